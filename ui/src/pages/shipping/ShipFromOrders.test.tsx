import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, within } from "@testing-library/react";
import type { BatchInput } from "../../ipc";
import { ADDRESS, RATES, SHIP_FROM, order } from "./testData";

const ORDERS = [order(1), order(2), order(3)];
const ordersGet = vi.fn();
const previewBatch = vi.fn();

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      ordersList: async () => ({ orders: ORDERS, total: ORDERS.length }),
      ordersTags: async () => [],
      ordersGet: (id: number) => ordersGet(id),
      packagePresets: async () => [],
      shipFromList: async () => [SHIP_FROM],
      previewBatch: (input: BatchInput) => previewBatch(input),
      checkOrderAddress: () => new Promise(() => undefined),
    },
    events: { onImportProgress: async () => () => undefined },
  };
});
vi.mock("../../connection/UspsConnection", () => ({ useUspsErrors: () => () => false }));

import { OrdersPage } from "../orders/OrdersPage";

describe("Ship from the Orders page", () => {
  beforeEach(() => {
    cleanup();
    ordersGet.mockReset().mockImplementation(async (id: number) => ORDERS.find((o) => o.id === id));
    previewBatch.mockReset().mockImplementation(async (input: BatchInput) => ({
      lines: input.order_ids.map((id) => ({
        order_id: id,
        order_number: `#${1000 + id}`,
        ship_to: ADDRESS,
        weight: "order",
        package: RATES.package,
        blocked: null,
        rates: RATES,
        rates_error: null,
        quote: RATES.quotes[0],
      })),
      to_buy: input.order_ids.length,
      using_fallback: 0,
      without_weight: 0,
      total: "10.20",
      priced: input.order_ids.length,
      services: [],
      every_order_has_recommendation: true,
      paid_from: "Sandbox demo",
      balance: null,
      duration: { seconds: 3, allowance_wait_seconds: 0, message: "About 3 s." },
    }));
  });

  it("ships the selected orders from the selection bar", async () => {
    render(<OrdersPage />);
    fireEvent.click(await screen.findByLabelText("Select order #1001"));
    fireEvent.click(screen.getByLabelText("Select order #1003"));
    const bar = await screen.findByRole("toolbar", { name: "Selected orders" });
    fireEvent.click(within(bar).getByRole("button", { name: "Ship" }));
    expect(await screen.findByText("Ship 2 orders")).toBeTruthy();
    await waitFor(() => expect(previewBatch).toHaveBeenCalledWith(expect.objectContaining({ order_ids: [1, 3], ship_from_id: 7 })));
    expect(await screen.findByRole("button", { name: "Buy 2 labels · $10.20" })).toBeTruthy();
  });

  it("ships one order from its details drawer", async () => {
    render(<OrdersPage />);
    fireEvent.doubleClick(await screen.findByText("#1002"));
    const drawer = await screen.findByTestId("order-drawer");
    fireEvent.click(within(drawer).getByRole("button", { name: "Ship" }));
    expect(await screen.findByText("Ship order #1002")).toBeTruthy();
    expect(await screen.findByText(/Asking USPS about/)).toBeTruthy();
  });
});
