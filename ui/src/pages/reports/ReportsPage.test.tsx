import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, within } from "@testing-library/react";
import type { AppError, Report, ReportQuery } from "../../ipc";
import { presetRange } from "./ranges";

const m = { report: vi.fn(), pickCsvPath: vi.fn(), saveCsv: vi.fn() };

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      report: (q: ReportQuery | null) => m.report(q),
      pickCsvPath: (n: string) => m.pickCsvPath(n),
      saveCsv: (q: ReportQuery, p: string) => m.saveCsv(q, p),
    },
  };
});

import { ReportsPage } from "./ReportsPage";

function report(q: ReportQuery): Report {
  return {
    from: q.from,
    to: q.to,
    period: q.period,
    totals: {
      labels: 3,
      postage: "27.45",
      orders: 3,
      average_per_order: "9.15",
      voided: 1,
      voided_postage: "9.35",
      refunds_pending: 1,
      refunds_pending_postage: "8.10",
      samples: 0,
    },
    spend: [
      { start: "2026-11-01", label: "Week of Nov 1", labels: 2, postage: "19.35" },
      { start: "2026-11-08", label: "Week of Nov 8", labels: 1, postage: "8.10" },
    ],
    labels_per_day: [
      { day: "2026-11-02", labels: 2, voided: 1 },
      { day: "2026-11-03", labels: 1, voided: 0 },
    ],
    services: [
      { service_name: "Priority Mail", labels: 2, postage: "19.35" },
      { service_name: "USPS Ground Advantage", labels: 1, postage: "8.10" },
    ],
    voids: [
      { shipment_id: 3, order_number: "#1003", tracking_number: "9400111", service_name: "Priority Mail", postage: "8.10", bought_on: "2026-11-10", state: "refund_pending", dispute_id: "D-77", provider_status: "DISPUTED" },
      { shipment_id: 2, order_number: "#1002", tracking_number: "9400222", service_name: "Priority Mail", postage: "9.35", bought_on: "2026-11-02", state: "canceled", dispute_id: null, provider_status: "CANCELED" },
    ],
  };
}

describe("Reports", () => {
  beforeEach(() => {
    cleanup();
    m.report.mockReset();
    m.pickCsvPath.mockReset();
    m.saveCsv.mockReset();
    m.report.mockImplementation(async (q: ReportQuery) => report(q));
  });

  it("shows this month's totals, charts, services and voids, and regroups by week", async () => {
    render(<ReportsPage />);
    const totals = await screen.findByTestId("report-totals");
    const thisMonth = presetRange("this_month", new Date())!;
    expect(m.report).toHaveBeenCalledWith({ ...thisMonth, period: "day" });
    expect(within(totals).getByText("$27.45")).toBeTruthy();
    expect(within(totals).getByText("$9.15")).toBeTruthy();
    expect(within(totals).getByText("$9.35 not charged")).toBeTruthy();
    expect(within(totals).getByText("$8.10")).toBeTruthy();
    for (const chart of ["chart-spend", "chart-labels", "chart-services"]) expect(screen.getByTestId(chart)).toBeTruthy();
    const voids = screen.getByTestId("report-voids");
    expect(within(voids).getByText("Refund pending (USPS dispute D-77)")).toBeTruthy();
    expect(within(voids).getByText("Canceled — not charged")).toBeTruthy();
    expect(within(screen.getByTestId("report-services")).getByText("USPS Ground Advantage")).toBeTruthy();

    fireEvent.change(screen.getByTestId("report-period"), { target: { value: "week" } });
    await waitFor(() => expect(m.report).toHaveBeenLastCalledWith({ ...thisMonth, period: "week" }));
  });

  it("shows a bad range next to its field and keeps the controls", async () => {
    const refused: AppError = { code: "VALIDATION", message: "The range ends (2026-11-01) before it starts (2026-11-30)", details: { kind: "fields", fields: { to: "The range ends (2026-11-01) before it starts (2026-11-30)" } } };
    render(<ReportsPage />);
    await screen.findByTestId("report-totals");
    m.report.mockRejectedValue(refused);
    fireEvent.change(screen.getByTestId("report-to"), { target: { value: "2026-11-01" } });
    const problem = await screen.findByRole("alert");
    expect(problem.getAttribute("data-error-for")).toBe("to");
    expect(problem.textContent).toContain("before it starts");
    expect((screen.getByTestId("report-preset") as HTMLSelectElement).value).toBe("custom");
    expect(screen.getByTestId("report-to").getAttribute("aria-invalid")).toBe("true");
  });

  it("exports the range's labels as CSV to the path picked, and nothing when the dialog is cancelled", async () => {
    render(<ReportsPage />);
    await screen.findByTestId("report-totals");
    fireEvent.change(screen.getByTestId("report-preset"), { target: { value: "last_month" } });
    const lastMonth = presetRange("last_month", new Date())!;
    m.pickCsvPath.mockResolvedValueOnce(null).mockResolvedValueOnce("/home/me/labels.csv");
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(m.pickCsvPath).toHaveBeenCalledTimes(1));
    expect(m.pickCsvPath).toHaveBeenCalledWith(`shipdesk-labels-${lastMonth.from}-to-${lastMonth.to}.csv`);
    expect(m.saveCsv).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    expect(await screen.findByText("Saved /home/me/labels.csv")).toBeTruthy();
    expect(m.saveCsv).toHaveBeenCalledWith({ ...lastMonth, period: "day" }, "/home/me/labels.csv");
  });
});

describe("Report ranges", () => {
  it("are calendar days where the user is", () => {
    const today = new Date(2026, 2, 31); // March 31, 2026
    expect(presetRange("this_month", today)).toEqual({ from: "2026-03-01", to: "2026-03-31" });
    expect(presetRange("last_month", today)).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(presetRange("last_30_days", today)).toEqual({ from: "2026-03-02", to: "2026-03-31" });
    expect(presetRange("this_year", new Date(2027, 0, 1))).toEqual({ from: "2027-01-01", to: "2027-01-01" });
    expect(presetRange("custom", today)).toBeNull();
  });
});
