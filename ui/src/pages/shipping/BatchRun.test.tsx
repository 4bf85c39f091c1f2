import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, within } from "@testing-library/react";
import type { BatchFailure, BatchInput, BatchReport } from "../../ipc";
import { shipment } from "./testData";

const m = { buyBatch: vi.fn(), retryBatch: vi.fn(), cancelBatch: vi.fn() };

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      buyBatch: (i: BatchInput) => m.buyBatch(i),
      retryBatch: (r: BatchReport) => m.retryBatch(r),
      cancelBatch: () => m.cancelBatch(),
      labelLayout: async () => "4x6",
      labelPreview: async () => ({ kind: "svg", svg: "<svg xmlns='http://www.w3.org/2000/svg'/>" }),
      printLabels: async () => 1,
      setLabelLayout: async () => undefined,
    },
    events: { onBatchProgress: async () => () => undefined },
  };
});
vi.mock("../../connection/UspsConnection", () => ({ useUspsErrors: () => () => false }));

import { BatchRun } from "./BatchRun";

const INPUT: BatchInput = {
  order_ids: [1, 2, 3, 4],
  ship_date: "2026-11-21",
  dimensions: { length_in: "10", width_in: "8", height_in: "4" },
  addresses: "standardized",
  allow_additional_label: false,
};

const conflict = (id: number, message: string, details: BatchFailure["error"]["details"]): BatchFailure => ({
  order_id: id,
  order_number: `#${1000 + id}`,
  request: null,
  kind: "validation",
  error: { code: "CONFLICT", message, details },
});

describe("Batch report", () => {
  beforeEach(() => {
    cleanup();
    Object.values(m).forEach((f) => f.mockReset());
  });

  it("reports orders another window or the CLI labelled as labelled elsewhere, not as problems to fix or retry", async () => {
    const missingZip: BatchFailure = { ...conflict(4, "", undefined), error: { code: "VALIDATION", message: "ZIP is missing" } };
    const report: BatchReport = {
      input: INPUT,
      total: 4,
      bought: [shipment(1)],
      needs_attention: [],
      validation_problems: [
        conflict(2, "Order #1002 already has label 9200190234567139601088. Void it first, or ask for an additional label.", {
          kind: "already_shipped",
          order_id: 2,
          shipment_id: 9,
          tracking_number: "9200190234567139601088",
        }),
        conflict(3, "A label for order #1003 is being bought by another Shipdesk window or command right now", {
          kind: "purchase_in_flight",
          order_id: 3,
        }),
        missingZip,
      ],
      usps_rejections: [],
      connection_problems: [],
      not_started: [],
      cancelled: false,
      stopped_because: null,
      seconds: 1,
    };
    m.buyBatch.mockResolvedValue(report);
    m.retryBatch.mockResolvedValue({ ...report, total: 1, bought: [], validation_problems: [missingZip] });
    render(<BatchRun input={INPUT} onBusy={() => undefined} onFinished={() => undefined} />);

    const shown = await screen.findByTestId("batch-report");
    expect(shown.textContent).toContain("1 of 4 labels bought, 1 not bought, 2 already labelled elsewhere.");
    const elsewhere = within(shown).getByTestId("labelled-elsewhere");
    expect(within(elsewhere).getByText("Already labelled elsewhere (2)")).toBeTruthy();
    expect(elsewhere.querySelector("li[data-order='#1002']")!.textContent).toBe("#1002: has label 9200190234567139601088");
    expect(elsewhere.querySelector("li[data-order='#1003']")!.textContent).toContain("was being bought elsewhere when this batch reached it");
    expect(elsewhere.textContent).not.toContain("Void it first");
    expect(within(shown).getByText("Validation problems (1)")).toBeTruthy();

    fireEvent.click(within(shown).getByRole("button", { name: "Retry failed (1)" }));
    await waitFor(() => expect(m.retryBatch).toHaveBeenCalledWith({ ...report, validation_problems: [missingZip] }));
  });
});
