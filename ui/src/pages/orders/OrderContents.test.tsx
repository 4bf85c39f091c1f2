import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, within } from "@testing-library/react";
import type { Order, OrderInput } from "../../ipc";

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return { ...real, ipc: { ordersUpdate: vi.fn() } };
});

import { OrdersTable } from "./OrdersTable";
import { OrderDrawer } from "./OrderDrawer";
import { OrderForm } from "./OrderForm";

function order(patch: Partial<Order> = {}): Order {
  return {
    id: 1,
    order_number: "#1002",
    source: { kind: "shopify", source_id: "9002" },
    status: "awaiting_shipment",
    ship_to: { name: "Guy Tremblay", company: null, street1: "111 Wellington St", street2: null, city: "Ottawa", state: "ON", zip5: "K1A 0A9", zip4: null, country: "CA", phone: null, email: null },
    items: [],
    tags: [],
    notes: null,
    archived: false,
    ordered_at: "2026-11-10T15:00:00Z",
    created_at: "2026-11-20T10:00:00Z",
    updated_at: "2026-11-20T10:00:00Z",
    ...patch,
  } as Order;
}

const austin = order({
  id: 2,
  order_number: "#1001",
  ship_to: { name: "Ann Lee", company: null, street1: "1 Main St", street2: null, city: "Austin", state: "TX", zip5: "78701", zip4: "1234", country: "US", phone: null, email: null },
  items: [{ sku: "MUG-1", title: "Mug", quantity: 2, unit_price: "12.00", weight_oz: "10" }],
});

describe("what an order may contain", () => {
  beforeEach(() => cleanup());

  it("marks an international order in the list and shows an order without items as such", () => {
    const rows = [order(), austin];
    render(
      <OrdersTable
        total={2}
        rowAt={(i) => rows[i]}
        query={{}}
        onSort={() => undefined}
        selection={{ ids: new Set(), anchor: null }}
        onSelection={() => undefined}
        onOpen={() => undefined}
      />,
    );
    const ottawa = document.querySelector("[data-order='#1002']") as HTMLElement;
    const mark = within(ottawa).getByTestId("international-mark");
    expect(mark.textContent).toBe("CA");
    expect(mark.getAttribute("aria-label")).toBe("International — ships with a customs form (Canada)");
    expect(within(ottawa).getByText("Ottawa, ON K1A 0A9, Canada")).toBeTruthy();
    expect(within(ottawa).getByText("No items")).toBeTruthy();
    const us = document.querySelector("[data-order='#1001']") as HTMLElement;
    expect(within(us).queryByTestId("international-mark")).toBeNull();
    expect(within(us).getByText("Austin, TX 78701")).toBeTruthy();
    expect(within(us).getByText("2 × Mug")).toBeTruthy();
  });

  it("says in the drawer that an international order ships with a customs form, and lists no items", () => {
    const onShip = vi.fn();
    render(<OrderDrawer order={order()} onClose={() => undefined} onSaved={() => undefined} onShip={onShip} />);
    const drawer = screen.getByTestId("order-drawer");
    expect(within(drawer).getByTestId("international-mark").textContent).toContain("International — ships with a customs form");
    expect(within(drawer).getByTestId("drawer-address").textContent).toContain("Canada");
    expect(within(drawer).getByText(/No items/)).toBeTruthy();
    const ship = within(drawer).getByRole("button", { name: "Ship" }) as HTMLButtonElement;
    expect(ship.disabled).toBe(false);
    cleanup();
    render(<OrderDrawer order={austin} onClose={() => undefined} onSaved={() => undefined} onShip={onShip} />);
    expect(screen.queryByTestId("international-mark")).toBeNull();
    expect((screen.getByRole("button", { name: "Ship" }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("saves an order without items, and a foreign postal code with its space", async () => {
    const onSave = vi.fn(async (_: OrderInput) => undefined);
    render(<OrderForm onSave={onSave} onCancel={() => undefined} />);
    const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(new RegExp(`^${label}`)), { target: { value } });
    type("Order number", "A-1");
    type("Name", "Guy Tremblay");
    type("Street", "111 Wellington St");
    type("City", "Ottawa");
    type("State", "ON");
    type("ZIP", "K1A 0A9");
    type("Country", "Canada");
    // The blank item row the form starts with is not an item.
    fireEvent.click(screen.getByRole("button", { name: "Save order" }));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    const sent = onSave.mock.calls[0][0];
    expect(sent.items).toEqual([]);
    expect(sent.ship_to).toMatchObject({ zip5: "K1A 0A9", zip4: null, country: "Canada", state: "ON" });
  });

  it("removes the last item of an order and sends a US ZIP+4 whole", async () => {
    const onSave = vi.fn(async (_: OrderInput) => undefined);
    const initial: OrderInput = { order_number: "#1001", status: "awaiting_shipment", ship_to: { ...austin.ship_to }, items: austin.items.map((i) => ({ ...i })), tags: [], notes: null };
    render(<OrderForm initial={initial} onSave={onSave} onCancel={() => undefined} />);
    fireEvent.click(screen.getByRole("button", { name: "Remove item 1" }));
    fireEvent.click(screen.getByRole("button", { name: "Save order" }));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    const sent = onSave.mock.calls[0][0];
    expect(sent.items).toEqual([]);
    expect(sent.ship_to).toMatchObject({ zip5: "78701-1234", zip4: null, country: "US" });
  });
});
