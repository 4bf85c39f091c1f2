import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, within } from "@testing-library/react";
import type { AppError } from "../../ipc";
import { SHIP_FROM, shipment } from "./testData";

const m = {
  shipments: vi.fn(),
  voidLabel: vi.fn(),
  createScanForms: vi.fn(),
  scanForms: vi.fn(),
  printScanForm: vi.fn(),
  pickupPrefill: vi.fn(),
  schedulePickup: vi.fn(),
  pickups: vi.fn(),
  printPackingSlips: vi.fn(),
  printLabels: vi.fn(),
};
const uspsErrors = vi.fn();

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      shipments: (q: unknown) => m.shipments(q),
      purchasesToCheck: async () => [],
      shipment: async (id: number) => shipment(id),
      voidLabel: (id: number) => m.voidLabel(id),
      labelLayout: async () => "letter",
      setLabelLayout: async () => undefined,
      labelPreview: async () => ({ kind: "png", base64: "iVBORw0KGgo=" }),
      shipFromList: async () => [SHIP_FROM],
      createScanForms: (d: string) => m.createScanForms(d),
      scanForms: () => m.scanForms(),
      printScanForm: (id: number) => m.printScanForm(id),
      pickupPrefill: (...a: unknown[]) => m.pickupPrefill(...a),
      schedulePickup: (i: unknown) => m.schedulePickup(i),
      pickups: () => m.pickups(),
      printPackingSlips: (ids: number[], from: number | null) => m.printPackingSlips(ids, from),
      printLabels: (ids: number[], layout: string) => m.printLabels(ids, layout),
      pickupEligibility: async () => ({ eligible: true, address: null, message: null }),
    },
  };
});
vi.mock("../../connection/UspsConnection", () => ({ useUspsErrors: () => uspsErrors }));

import { ShipmentsPage } from "../Shipments";
import { EndOfDayPage } from "../EndOfDay";

describe("Shipments page", () => {
  beforeEach(() => {
    cleanup();
    Object.values(m).forEach((f) => f.mockReset());
    uspsErrors.mockReset().mockReturnValue(false);
  });

  it("lists labels with order, service, tracking, postage, status and printed", async () => {
    m.shipments.mockResolvedValue([shipment(1), shipment(2, { status: "refund_requested", dispute_id: "D-9", printed: true })]);
    render(<ShipmentsPage go={() => undefined} />);
    const table = await screen.findByTestId("shipments-table");
    const row = within(table).getByText("#1002").closest("tr")!;
    expect(row.textContent).toContain("Refund requested");
    expect(row.textContent).toContain("$5.10");
    expect(row.textContent).toContain("Printed");
    expect(within(table).getByText("#1001").closest("tr")!.textContent).toContain("Not printed");
    expect(row.textContent).toContain("Ada Park");
  });

  it("searches labels by tracking number, order or recipient through core", async () => {
    m.shipments.mockResolvedValue([shipment(1), shipment(2)]);
    render(<ShipmentsPage go={() => undefined} />);
    await screen.findByTestId("shipments-table");
    m.shipments.mockResolvedValue([]);
    fireEvent.change(screen.getByTestId("shipments-search"), { target: { value: " ada  " } });
    await waitFor(() => expect(m.shipments).toHaveBeenLastCalledWith(expect.objectContaining({ search: "ada" })));
    expect(await screen.findByText("No labels match")).toBeTruthy();
  });

  it("voids a label before manifest: Canceled", async () => {
    m.shipments.mockResolvedValue([shipment(1)]);
    m.voidLabel.mockResolvedValue({ shipment: shipment(1, { status: "voided" }), usps_status: "CANCELED" });
    render(<ShipmentsPage go={() => undefined} />);
    fireEvent.click(await screen.findByText("#1001"));
    const drawer = await screen.findByTestId("shipment-drawer");
    expect(await within(drawer).findByAltText(/Label for order #1001/)).toBeTruthy();
    fireEvent.click(within(drawer).getByRole("button", { name: "Void label" }));
    fireEvent.click(within(drawer).getByRole("button", { name: "Yes, void it" }));
    expect((await screen.findByTestId("void-result")).textContent).toContain("Canceled");
    expect(m.voidLabel).toHaveBeenCalledWith(1);
    expect(screen.getByTestId("shipment-status").textContent).toBe("Voided");
  });

  it("reprints a label and prints its packing slip from the drawer", async () => {
    m.shipments.mockResolvedValue([shipment(1)]);
    m.printLabels.mockResolvedValue(1);
    m.printPackingSlips.mockResolvedValue(undefined);
    render(<ShipmentsPage go={() => undefined} />);
    fireEvent.click(await screen.findByText("#1001"));
    const drawer = await screen.findByTestId("shipment-drawer");
    // The remembered format arrives after the drawer opens; Print sends whatever is shown.
    await waitFor(() => expect((within(drawer).getByTestId("label-format") as HTMLSelectElement).value).toBe("letter"));
    // The preview shows the Letter sheet the label prints on; 4x6 shows the label alone.
    expect(within(drawer).getAllByTestId("letter-page")).toHaveLength(1);
    fireEvent.change(within(drawer).getByTestId("label-format"), { target: { value: "4x6" } });
    expect(within(drawer).queryByTestId("letter-page")).toBeNull();
    fireEvent.change(within(drawer).getByTestId("label-format"), { target: { value: "letter" } });
    fireEvent.click(within(drawer).getByRole("button", { name: "Print" }));
    await waitFor(() => expect(m.printLabels).toHaveBeenCalledWith([1], "letter"));
    // A click while the labels are still printing is ignored (aria-disabled): wait for the end.
    const slips = within(drawer).getByRole("button", { name: "Print packing slip" });
    await waitFor(() => expect(slips.getAttribute("aria-disabled")).toBe("false"));
    fireEvent.click(slips);
    await waitFor(() => expect(m.printPackingSlips).toHaveBeenCalledWith([1], 7));
    expect((await within(drawer).findByTestId("print-status")).textContent).toBe("Packing slips sent to the printer");
  });

  it("voids a manifested label: Refund requested with the dispute id", async () => {
    m.shipments.mockResolvedValue([shipment(1)]);
    m.voidLabel.mockResolvedValue({ shipment: shipment(1, { status: "refund_requested", dispute_id: "DSP-42" }), usps_status: "DISPUTED" });
    render(<ShipmentsPage go={() => undefined} />);
    fireEvent.click(await screen.findByText("#1001"));
    fireEvent.click(await screen.findByRole("button", { name: "Void label" }));
    fireEvent.click(screen.getByRole("button", { name: "Yes, void it" }));
    const result = await screen.findByTestId("void-result");
    expect(result.textContent).toContain("Refund requested");
    expect(result.textContent).toContain("DSP-42");
  });

  it("says why a label on a SCAN form or already refunded cannot be voided", async () => {
    m.shipments.mockResolvedValue([shipment(1, { scan_form_id: 3 }), shipment(2, { status: "refund_requested", dispute_id: "DSP-7" })]);
    render(<ShipmentsPage go={() => undefined} />);
    fireEvent.click(await screen.findByText("#1001"));
    expect((await screen.findByTestId("why-not-void")).textContent).toContain("on an End of Day SCAN form");
    expect((screen.getByRole("button", { name: "Void label" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.keyDown(window, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("shipment-drawer")).toBeNull());
    fireEvent.click(screen.getByText("#1002"));
    expect((await screen.findByTestId("why-not-void")).textContent).toContain("DSP-7");
  });

  it("offers no Print or Save for a label being voided or voided, and finishes an open void", async () => {
    m.shipments.mockResolvedValue([shipment(1, { void_pending: true }), shipment(2, { status: "voided" })]);
    m.voidLabel.mockResolvedValue({ shipment: shipment(1, { status: "voided" }), usps_status: "CANCELED" });
    render(<ShipmentsPage go={() => undefined} />);
    fireEvent.click(await screen.findByText("#1001"));
    const drawer = await screen.findByTestId("shipment-drawer");
    expect(within(drawer).getByTestId("void-pending").textContent).toContain("not recorded yet");
    expect(within(drawer).getByTestId("shipment-status").textContent).toContain("being voided");
    expect(within(drawer).queryByRole("button", { name: "Print" })).toBeNull();
    expect(within(drawer).queryByRole("button", { name: "Save as PDF" })).toBeNull();
    expect(within(drawer).queryByTestId("label-preview")).toBeNull();
    fireEvent.click(within(drawer).getByRole("button", { name: "Finish voiding" }));
    fireEvent.click(within(drawer).getByRole("button", { name: "Yes, void it" }));
    expect((await screen.findByTestId("void-result")).textContent).toContain("Canceled");
    expect(m.voidLabel).toHaveBeenCalledWith(1);
    expect(screen.queryByTestId("void-pending")).toBeNull();
    fireEvent.keyDown(window, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("shipment-drawer")).toBeNull());
    fireEvent.click(screen.getByText("#1002"));
    const voided = await screen.findByTestId("shipment-drawer");
    expect(within(voided).queryByRole("button", { name: "Print" })).toBeNull();
    expect(within(voided).queryByTestId("label-preview")).toBeNull();
  });

  it("hands a void that needs a reconnect to the connection prompt", async () => {
    const err: AppError = { code: "USPS_RECONNECT_REQUIRED", message: "Reconnect USPS" };
    m.shipments.mockResolvedValue([shipment(1)]);
    m.voidLabel.mockRejectedValue(err);
    uspsErrors.mockReturnValue(true);
    render(<ShipmentsPage go={() => undefined} />);
    fireEvent.click(await screen.findByText("#1001"));
    fireEvent.click(await screen.findByRole("button", { name: "Void label" }));
    fireEvent.click(screen.getByRole("button", { name: "Yes, void it" }));
    await waitFor(() => expect(uspsErrors).toHaveBeenCalledWith(err, expect.any(Function)));
    expect(screen.queryByText("Reconnect USPS")).toBeNull();
  });
});

describe("End of Day page", () => {
  beforeEach(() => {
    cleanup();
    Object.values(m).forEach((f) => f.mockReset());
    uspsErrors.mockReset().mockReturnValue(false);
    m.pickups.mockResolvedValue([]);
    m.pickupPrefill.mockResolvedValue({ ship_from_id: 7, pickup_date: "2026-11-23", packages: [{ package_type: "USPS_GROUND_ADVANTAGE", count: 2 }], estimated_weight_lb: "1.5" });
  });

  it("creates the SCAN form for today's labels and prints it", async () => {
    m.shipments.mockResolvedValue([shipment(1), shipment(2), shipment(3, { scan_form_id: 1 })]);
    m.scanForms.mockResolvedValue([]);
    m.createScanForms.mockResolvedValue([
      { id: 5, account_id: 1, ship_from_id: 7, manifest_number: "9275090000000000000001", mailing_date: "2026-11-21", label_count: 2, tracking_numbers: [], created_at: "" },
    ]);
    m.printScanForm.mockResolvedValue(undefined);
    render(<EndOfDayPage go={() => undefined} />);
    const group = await screen.findByTestId("eod-group");
    expect(group.textContent).toContain("Shop: 2 labels not on a SCAN form");
    fireEvent.click(screen.getByRole("button", { name: "Create SCAN form" }));
    const created = await screen.findByTestId("scan-form-created");
    expect(created.textContent).toContain("9275090000000000000001");
    fireEvent.click(within(created).getByRole("button", { name: "Print" }));
    await waitFor(() => expect(m.printScanForm).toHaveBeenCalledWith(5));
  });

  it("prefills a pickup from today's labels and schedules it", async () => {
    m.shipments.mockResolvedValue([shipment(1)]);
    m.scanForms.mockResolvedValue([]);
    m.schedulePickup.mockResolvedValue({});
    render(<EndOfDayPage go={() => undefined} />);
    const button = await screen.findByRole("button", { name: "Schedule pickup (2 packages)" });
    expect((screen.getByLabelText("Estimated total weight, pounds") as HTMLInputElement).value).toBe("1.5");
    fireEvent.click(button);
    await waitFor(() =>
      expect(m.schedulePickup).toHaveBeenCalledWith(
        expect.objectContaining({ ship_from_id: 7, pickup_date: "2026-11-23", packages: [{ package_type: "USPS_GROUND_ADVANTAGE", count: 2 }], package_location: "FRONT_DOOR" }),
      ),
    );
  });
});
