import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, within } from "@testing-library/react";
import type { AddressCheck, CustomsDraft, PurchaseRequest } from "../../ipc";
import { ADDRESS, RATES, SHIP_FROM, order, shipment } from "./testData";

const m = {
  checkOrderAddress: vi.fn(),
  ratesForOrder: vi.fn(),
  customsDraft: vi.fn(),
  buyLabel: vi.fn(),
};

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      packagePresets: async () => [],
      shipFromList: async () => [SHIP_FROM],
      labelLayout: async () => "4x6",
      labelPreview: async () => ({ kind: "svg", svg: "<svg xmlns='http://www.w3.org/2000/svg'/>" }),
      checkOrderAddress: (id: number) => m.checkOrderAddress(id),
      ratesForOrder: (...a: unknown[]) => m.ratesForOrder(...a),
      customsDraft: (id: number) => m.customsDraft(id),
      buyLabel: (r: PurchaseRequest) => m.buyLabel(r),
    },
    events: { onBatchProgress: async () => () => undefined },
  };
});
vi.mock("../../connection/UspsConnection", () => ({ useUspsErrors: () => () => false, useConnectionBanner: () => ({ needsReconnect: false, reconnect: () => undefined }) }));

import { ShipDialog } from "./ShipDialog";

const OTTAWA = { ...ADDRESS, name: "Amelie Tremblay", street1: "24 Sussex Dr", city: "Ottawa", state: "ON", zip5: "K1M 1M4", country: "CA" };

const NOT_CHECKED: AddressCheck = {
  as_entered: OTTAWA,
  standardized: null,
  differences: [],
  corrections: [],
  usps_notes: [],
  deliverable: "not_checked",
  dpv_confirmation: null,
  carrier_route: null,
  business: null,
  vacant: null,
  message: "USPS checks US addresses only, and this one is in Canada",
};

const DRAFT: CustomsDraft = {
  declaration: {
    contents: "merchandise",
    comments: null,
    items: [{ description: "Hand Cream", quantity: 2, value_usd: "12.00", weight_oz: "4", hs_tariff: null, origin_country: "US", sku: "HC-1" }],
    non_delivery: "return",
    restriction: null,
    restriction_comments: null,
    aes_itn: null,
    invoice_number: null,
  },
  missing: { "customs.items[0].hs_tariff": "The HS tariff number (6 to 14 digits) is required for merchandise" },
  from_saved: 0,
};

describe("Ship dialog, an order abroad", () => {
  beforeEach(() => {
    cleanup();
    Object.values(m).forEach((f) => f.mockReset());
    m.checkOrderAddress.mockResolvedValue(NOT_CHECKED);
    m.ratesForOrder.mockResolvedValue({ ...RATES, destination_country: "CA", destination_zip: "K1M 1M4" });
    m.customsDraft.mockResolvedValue(DRAFT);
  });

  it("prefills the customs form, shows the missing HS number beside its input, and buys with the declaration", async () => {
    m.buyLabel
      .mockRejectedValueOnce({
        code: "VALIDATION",
        message: "The customs form needs one more thing",
        details: { kind: "fields", fields: { "customs.items[0].origin_country": "\"Narnia\" is not a country" } },
      })
      .mockResolvedValueOnce({ shipment: { ...shipment(1), tracking_number: "CP123456785US", service_name: "Priority Mail International" }, resumed_earlier_attempt: false });
    render(<ShipDialog orders={[order(1, { ship_to: OTTAWA })]} onClose={() => undefined} onShipped={() => undefined} />);
    const form = await screen.findByTestId("customs-form");
    expect(m.customsDraft).toHaveBeenCalledWith(1);
    expect(within(form).getByText(/USPS prints this declaration with the label for Canada/)).toBeTruthy();
    expect((within(form).getByLabelText("Item 1 Description") as HTMLInputElement).value).toBe("Hand Cream");
    expect(within(form).getByText("The HS tariff number (6 to 14 digits) is required for merchandise")).toBeTruthy();
    expect(within(form).getByTestId("customs-total").textContent).toContain("$24.00");
    expect((await screen.findByTestId("address-check")).textContent).toContain("USPS checks US addresses only");

    // Filling the field clears its message; core's refusal on Buy shows beside its own field.
    fireEvent.change(within(form).getByLabelText("Item 1 HS tariff number"), { target: { value: "3304.99" } });
    expect(within(form).queryByText(/required for merchandise/)).toBeNull();
    fireEvent.change(within(form).getByLabelText("Item 1 Made in"), { target: { value: "Narnia" } });
    await screen.findByTestId("rates");
    const buy = await screen.findByRole("button", { name: /Buy label/ });
    await waitFor(() => expect((buy as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(buy);
    expect(await within(form).findByText("\"Narnia\" is not a country")).toBeTruthy();
    fireEvent.change(within(form).getByLabelText("Item 1 Made in"), { target: { value: "US" } });
    fireEvent.change(within(form).getByLabelText("Restrictions"), { target: { value: "other" } });
    fireEvent.change(within(form).getByLabelText("Which restriction"), { target: { value: "Lab inspection" } });
    // Amounts take digits and one point: a stray letter is ignored, "3." goes out as 3.
    fireEvent.change(within(form).getByLabelText("Item 1 Value each (USD)"), { target: { value: "12.00x" } });
    fireEvent.change(within(form).getByLabelText("Item 1 Weight each (oz)"), { target: { value: "3." } });
    fireEvent.click(screen.getByRole("button", { name: /Buy label/ }));
    await screen.findByTestId("bought");
    const sent = m.buyLabel.mock.calls[1][0] as PurchaseRequest;
    expect(sent.customs?.items[0]).toMatchObject({ hs_tariff: "3304.99", origin_country: "US", quantity: 2, value_usd: "12.00", weight_oz: "3" });
    expect(sent.customs?.non_delivery).toBe("return");
    expect(sent.customs).toMatchObject({ restriction: "other", restriction_comments: "Lab inspection" });
  });
});
