import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, within } from "@testing-library/react";
import { RATES, SHIP_FROM, order } from "./testData";

const ORDERS = [order(1), order(2), order(3)];
const ordersGet = vi.fn();
const ratesForOrders = vi.fn();

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
      ratesForOrders: (...a: unknown[]) => ratesForOrders(...a),
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
    ratesForOrders.mockReset().mockImplementation(async (ids: number[]) =>
      ids.map((id) => ({ order_id: id, order_number: `#${1000 + id}`, package: RATES.package, rates: RATES, error: null })),
    );
  });

  it("ships the selected orders from the selection bar", async () => {
    render(<OrdersPage />);
    fireEvent.click(await screen.findByLabelText("Select order #1001"));
    fireEvent.click(screen.getByLabelText("Select order #1003"));
    const bar = await screen.findByRole("toolbar", { name: "Selected orders" });
    fireEvent.click(within(bar).getByRole("button", { name: "Ship" }));
    expect(await screen.findByText("Ship 2 orders")).toBeTruthy();
    await waitFor(() => expect(ratesForOrders).toHaveBeenCalledWith([1, 3], expect.anything(), 7));
    expect(await screen.findByRole("button", { name: "Buy 2 labels" })).toBeTruthy();
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
