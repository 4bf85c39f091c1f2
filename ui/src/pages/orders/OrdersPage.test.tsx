import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, within } from "@testing-library/react";
import type { Order } from "../../ipc";

function order(n: number, patch: Partial<Order> = {}): Order {
  return {
    id: n,
    order_number: `#${1000 + n}`,
    source: { kind: "shopify", source_id: String(n) },
    status: "awaiting_shipment",
    ship_to: { name: `Person ${n}`, company: null, street1: `${n} Main St`, street2: null, city: "Austin", state: "TX", zip5: "78701", zip4: null, country: "US", phone: null, email: null },
    items: [{ sku: "HC-1", title: "Hand Cream", quantity: 2, unit_price: "12.00", weight_oz: "4" }],
    tags: [],
    notes: null,
    archived: false,
    ordered_at: "2026-11-10T15:00:00Z",
    created_at: "2026-11-20T10:00:00Z",
    updated_at: "2026-11-20T10:00:00Z",
    ...patch,
  } as Order;
}

const ALL = Array.from({ length: 5000 }, (_, i) => order(i + 1));
const ordersList = vi.fn();
const ordersArchive = vi.fn();
const importPreview = vi.fn();
const importOrders = vi.fn();
const ordersCreate = vi.fn();
const ordersScan = vi.fn();
const ordersGet = vi.fn();

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      ordersList: (q: unknown) => ordersList(q),
      ordersTags: async () => ["wholesale"],
      ordersArchive: (ids: number[], a: boolean) => ordersArchive(ids, a),
      ordersSetTags: async () => undefined,
      ordersCreate: (i: unknown) => ordersCreate(i),
      ordersScan: (c: string) => ordersScan(c),
      ordersGet: (id: number) => ordersGet(id),
      mappingsList: async () => [],
      pickOrderFile: async () => "/tmp/orders.csv",
      importPreview: (p: string, m: unknown) => importPreview(p, m),
      importOrders: (p: string, o: unknown) => importOrders(p, o),
      importCancel: async () => undefined,
      mappingSave: async () => undefined,
    },
    events: { onImportProgress: async () => () => undefined },
  };
});

import { OrdersPage } from "./OrdersPage";

describe("Orders page", () => {
  beforeEach(() => {
    cleanup();
    ordersList.mockReset().mockImplementation(async (q: { search?: string; offset?: number; limit?: number }) => {
      const rows = q.search ? ALL.filter((o) => o.ship_to.name.includes(q.search!)) : ALL;
      const off = q.offset ?? 0;
      return { orders: rows.slice(off, off + (q.limit ?? 100)), total: rows.length };
    });
    ordersArchive.mockReset().mockResolvedValue(1);
  });

  it("scan-to-ship: F2 focuses the scan field; a code that must not ship is said loudly and buys nothing", async () => {
    render(<OrdersPage />);
    await screen.findByText("5,000 orders");
    fireEvent.keyDown(window, { key: "F2" });
    const field = screen.getByLabelText("Scan an order to ship") as HTMLInputElement;
    expect(document.activeElement).toBe(field);
    ordersScan.mockResolvedValueOnce({ order: order(3, { status: "shipped" }), refusal: "Order #1003 is already shipped: a scan does not buy a second label." });
    fireEvent.change(field, { target: { value: "1003" } });
    fireEvent.submit(field.closest("form")!);
    const note = await screen.findByTestId("scan-note");
    expect(note.getAttribute("role")).toBe("alert");
    expect(note.textContent).toContain("already shipped");
    expect(ordersScan).toHaveBeenCalledWith("1003");
    expect(field.value).toBe("");
    expect(screen.queryByTestId("ship-dialog")).toBeNull();

    ordersScan.mockRejectedValueOnce({ code: "NOT_FOUND", message: "No order has the number or marketplace order id \"42\" that was scanned." });
    fireEvent.change(field, { target: { value: "42" } });
    fireEvent.submit(field.closest("form")!);
    await waitFor(() => expect(screen.getByTestId("scan-note").textContent).toContain("\"42\""));
  });

  it("renders only the visible rows of a large result", async () => {
    render(<OrdersPage />);
    expect(await screen.findByText("5,000 orders")).toBeTruthy();
    const rows = await screen.findAllByRole("row");
    // header + a window of rows, never all 5000
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(120);
    expect(ordersList.mock.calls[0][0]).toMatchObject({ offset: 0, limit: 200, archived: "active" });
  });

  it("searches as you type and shows the match count", async () => {
    render(<OrdersPage />);
    await screen.findByText("5,000 orders");
    fireEvent.change(screen.getByLabelText("Search orders"), { target: { value: "Person 4999" } });
    expect(await screen.findByText("1 order")).toBeTruthy();
    expect(ordersList).toHaveBeenLastCalledWith(expect.objectContaining({ search: "Person 4999" }));
  });

  it("asks for letters or numbers when the core finds nothing to search in what was typed", async () => {
    render(<OrdersPage />);
    await screen.findByText("5,000 orders");
    ordersList.mockImplementation(async (q: { search?: string }) =>
      q.search === "*" ? { orders: [], total: 0, nothing_to_search: true } : { orders: [], total: 0, nothing_to_search: false },
    );
    fireEvent.change(screen.getByLabelText("Search orders"), { target: { value: "*" } });
    expect(await screen.findByText("Type letters or numbers to search")).toBeTruthy();
    expect(screen.queryByText("No orders match")).toBeNull();
    fireEvent.change(screen.getByLabelText("Search orders"), { target: { value: "zzz" } });
    expect(await screen.findByText("No orders match")).toBeTruthy();
    expect(screen.queryByText("Type letters or numbers to search")).toBeNull();
  });

  it("selects with Shift-click and archives the selection", async () => {
    render(<OrdersPage />);
    await screen.findByText("5,000 orders");
    const row = (n: string) => screen.getByText(n).closest('[role="row"]')!;
    await screen.findByText("#1001");
    expect(screen.getByTestId("selection-hint")).toBeTruthy();
    fireEvent.click(row("#1001"));
    fireEvent.click(row("#1004"), { shiftKey: true });
    expect(await screen.findByText("4 selected")).toBeTruthy();
    expect(screen.queryByTestId("selection-hint")).toBeNull();
    expect(screen.queryByTestId("order-drawer")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Archive" }));
    await waitFor(() => expect(ordersArchive).toHaveBeenCalledWith([1, 2, 3, 4], true));
  });

  it("opens an order with one click on its number, and the table is one Tab stop driven by keys", async () => {
    render(<OrdersPage />);
    fireEvent.click(await screen.findByRole("button", { name: "#1003" }));
    expect(within(await screen.findByTestId("order-drawer")).getByText("Order #1003")).toBeTruthy();
    fireEvent.keyDown(window, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("order-drawer")).toBeNull());

    const grid = screen.getByTestId("orders-scroller");
    // Nothing inside the rows is its own Tab stop.
    for (const el of Array.from(grid.querySelectorAll("input, button"))) expect((el as HTMLElement).tabIndex).toBe(-1);
    grid.focus();
    fireEvent.keyDown(grid, { key: "ArrowDown" });
    fireEvent.keyDown(grid, { key: "ArrowDown", shiftKey: true });
    expect(await screen.findByText("2 selected")).toBeTruthy();
    fireEvent.keyDown(grid, { key: " " });
    expect(await screen.findByText("1 selected")).toBeTruthy();
    // The keys continue from the row last opened (#1003): down to #1004, Shift+down to #1005.
    fireEvent.keyDown(grid, { key: "Enter" });
    expect(within(await screen.findByTestId("order-drawer")).getByText("Order #1005")).toBeTruthy();
  });

  it("Shift+click on a checkbox extends the selection, and Ctrl+A selects orders wherever the focus is", async () => {
    render(<OrdersPage />);
    await screen.findByText("#1001");
    const box = (n: string) => screen.getByRole("checkbox", { name: `Select order ${n}` });
    fireEvent.click(box("#1002"));
    expect(await screen.findByText("1 selected")).toBeTruthy();
    fireEvent.click(box("#1005"), { shiftKey: true });
    expect(await screen.findByText("4 selected")).toBeTruthy();
    expect((box("#1004") as HTMLInputElement).checked).toBe(true);
    fireEvent.click(box("#1003"));
    expect(await screen.findByText("3 selected")).toBeTruthy();
    // A Shift+mousedown on a row does not start selecting the page's text.
    const down = new MouseEvent("mousedown", { bubbles: true, cancelable: true, shiftKey: true });
    box("#1006").closest('[role="row"]')!.dispatchEvent(down);
    expect(down.defaultPrevented).toBe(true);

    fireEvent.keyDown(document.body, { key: "a", ctrlKey: true });
    await waitFor(() => expect(Number(screen.getByText(/selected$/).textContent!.split(" ")[0].replace(/,/g, ""))).toBeGreaterThan(4));
    fireEvent.keyDown(screen.getByRole("searchbox"), { key: "a", ctrlKey: true });
  });

  it("S ships the selected orders, and is typing in a text field", async () => {
    // The Ship dialog itself is tested elsewhere: here the orders are fetched for it, never answered.
    ordersGet.mockReset().mockReturnValue(new Promise(() => undefined));
    render(<OrdersPage />);
    const row = (n: string) => screen.getByText(n).closest('[role="row"]')!;
    await screen.findByText("#1001");
    fireEvent.keyDown(window, { key: "s" });
    expect(ordersGet).not.toHaveBeenCalled();
    fireEvent.click(row("#1001"));
    fireEvent.click(row("#1002"), { shiftKey: true });
    await screen.findByText("2 selected");
    expect(document.querySelector("[data-action=ship]")!.getAttribute("aria-keyshortcuts")).toBe("S");
    fireEvent.keyDown(screen.getByRole("searchbox"), { key: "s" });
    expect(ordersGet).not.toHaveBeenCalled();
    fireEvent.keyDown(screen.getByTestId("orders-scroller"), { key: "s" });
    await waitFor(() => expect(ordersGet.mock.calls.map((c) => c[0])).toEqual([1, 2]));
  });

  it("opens the details drawer on double-click and closes it with Escape", async () => {
    render(<OrdersPage />);
    fireEvent.doubleClick(await screen.findByText("#1002"));
    const drawer = await screen.findByTestId("order-drawer");
    expect(within(drawer).getByText("Order #1002")).toBeTruthy();
    expect(within(drawer).getByText("$12.00")).toBeTruthy();
    fireEvent.keyDown(window, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("order-drawer")).toBeNull());
  });

  it("shows the core's field problems next to the fields of a new order", async () => {
    ordersCreate.mockRejectedValue({
      code: "VALIDATION",
      message: "ZIP is missing",
      details: { kind: "order_problems", problems: [{ field: "ship_to.zip", message: "ZIP is missing" }] },
    });
    render(<OrdersPage />);
    fireEvent.click(screen.getByRole("button", { name: "New order" }));
    fireEvent.click(screen.getByRole("button", { name: "Save order" }));
    expect(await screen.findByText("ZIP is missing")).toBeTruthy();
    expect(screen.getByLabelText(/ZIP/).getAttribute("aria-invalid")).toBe("true");
  });

  it("New order takes focus, closes on Escape, and confirms a save in the order's drawer", async () => {
    render(<OrdersPage />);
    const opener = screen.getByRole("button", { name: "New order" });
    opener.focus();
    fireEvent.click(opener);
    const dialog = await screen.findByTestId("new-order-dialog");
    expect(document.activeElement).toBe(within(dialog).getByLabelText(/Order number/));
    fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("new-order-dialog")).toBeNull());
    expect(document.activeElement).toBe(opener);

    ordersCreate.mockResolvedValue({ ...ALL[0], order_number: "#9001" });
    fireEvent.click(opener);
    fireEvent.click(await screen.findByRole("button", { name: "Save order" }));
    const drawer = await screen.findByTestId("order-drawer");
    expect(within(drawer).getByTestId("order-saved").textContent).toBe("Order #9001 saved.");
    expect(drawer.contains(document.activeElement)).toBe(true);
  });

  it("imports a file: preview, then a summary with per-line problems", async () => {
    importPreview.mockResolvedValue({
      detected_format: "shopify",
      encoding: "UTF-8",
      delimiter: ",",
      headers: ["Name"],
      first_rows: [],
      needs_mapping: false,
      suggested_mapping: null,
      required_fields: ["name", "street1", "city", "state", "zip"],
      unmapped_required: [],
      absent_columns: [],
      mapping_problems: [],
      mapped_preview: [{ line: 2, order_number: "#2001", status: "awaiting_shipment", ship_to: ALL[0].ship_to, items: ALL[0].items, tags: [], notes: null }],
      problems: [],
      warnings: [],
    });
    importOrders.mockResolvedValue({
      format: "shopify", mapping: null, encoding: "UTF-8", rows: 5, new: 2, updated: 0, unchanged: 0, skipped: 1, invalid: 1,
      problems: [{ line: 4, field: "ship_to.zip", message: "line 4: ZIP is missing" }], warnings: [], skipped_orders: [],
    });
    render(<OrdersPage />);
    fireEvent.click(screen.getAllByRole("button", { name: "Import orders" })[0]);
    // The file comes from the app's dialog (the app reads nothing else), and is previewed at once.
    fireEvent.click(screen.getByRole("button", { name: "Choose file…" }));
    expect((await screen.findByTestId("detected-format")).textContent).toBe("Shopify orders export");
    expect(screen.getByTestId("import-path").textContent).toBe("/tmp/orders.csv");
    expect(importPreview).toHaveBeenCalledWith("/tmp/orders.csv", null);
    fireEvent.click(screen.getByRole("button", { name: "Import" }));
    const summary = await screen.findByTestId("import-summary");
    expect(summary.textContent).toContain("2 new");
    expect(within(summary).getByText("line 4: ZIP is missing")).toBeTruthy();
    expect(importOrders).toHaveBeenCalledWith("/tmp/orders.csv", {});
  });
});
