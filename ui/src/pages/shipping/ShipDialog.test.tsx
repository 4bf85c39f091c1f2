import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, within } from "@testing-library/react";
import type { AppError, BatchInput, BatchPreview, BatchPreviewLine, BatchProgress, BatchReport, PurchaseRequest, RateQuote } from "../../ipc";
import { ADDRESS, CHECK, RATES, RATES_CHEAPEST_UNSAFE, SHIP_FROM, order, shipment } from "./testData";

const m = {
  checkOrderAddress: vi.fn(),
  ratesForOrder: vi.fn(),
  previewBatch: vi.fn(),
  buyLabel: vi.fn(),
  buyBatch: vi.fn(),
  retryBatch: vi.fn(),
  cancelBatch: vi.fn(),
  printLabels: vi.fn(),
  setLabelLayout: vi.fn(),
  packagePresets: vi.fn(),
  packagePresetAdd: vi.fn(),
  ordersUpdate: vi.fn(),
};
const uspsErrors = vi.fn();
let progress: ((p: BatchProgress) => void) | null = null;

vi.mock("../../ipc", async (orig) => {
  const real = await orig<typeof import("../../ipc")>();
  return {
    ...real,
    ipc: {
      packagePresets: () => m.packagePresets(),
      packagePresetAdd: (i: unknown) => m.packagePresetAdd(i),
      ordersUpdate: (id: number, i: unknown) => m.ordersUpdate(id, i),
      shipFromList: async () => [SHIP_FROM],
      labelLayout: async () => "4x6",
      labelPreview: async () => ({ kind: "svg", svg: "<svg xmlns='http://www.w3.org/2000/svg'/>" }),
      checkOrderAddress: (id: number) => m.checkOrderAddress(id),
      ratesForOrder: (...a: unknown[]) => m.ratesForOrder(...a),
      previewBatch: (i: BatchInput) => m.previewBatch(i),
      buyLabel: (r: PurchaseRequest) => m.buyLabel(r),
      buyBatch: (i: BatchInput) => m.buyBatch(i),
      retryBatch: (r: BatchReport) => m.retryBatch(r),
      cancelBatch: () => m.cancelBatch(),
      printLabels: (ids: number[], l: string) => m.printLabels(ids, l),
      setLabelLayout: (l: string) => m.setLabelLayout(l),
    },
    events: {
      onBatchProgress: async (h: (p: BatchProgress) => void) => {
        progress = h;
        return () => {
          progress = null;
        };
      },
    },
  };
});
const bannerReconnect = vi.fn();
vi.mock("../../connection/UspsConnection", () => ({ useUspsErrors: () => uspsErrors, useConnectionBanner: () => ({ needsReconnect: true, reconnect: bannerReconnect }) }));

import { ShipDialog } from "./ShipDialog";

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const failure = (id: number, code: AppError["code"], message: string, kind: "validation" | "usps_rejected" | "connection") => ({
  order_id: id,
  request: null,
  order_number: `#${1000 + id}`,
  kind,
  error: { code, message },
});

describe("Ship dialog, one order", () => {
  beforeEach(() => {
    cleanup();
    Object.values(m).forEach((f) => f.mockReset());
    uspsErrors.mockReset().mockReturnValue(false);
    m.checkOrderAddress.mockResolvedValue(CHECK);
    m.ratesForOrder.mockResolvedValue(RATES);
    m.printLabels.mockResolvedValue(1);
    m.setLabelLayout.mockResolvedValue(undefined);
    m.packagePresets.mockResolvedValue([]);
  });

  it("checks the address, shows rates with cents, buys as entered and previews the label", async () => {
    m.buyLabel.mockResolvedValue({ shipment: shipment(1), resumed_earlier_attempt: false });
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    const check = await screen.findByTestId("address-check");
    expect(within(check).getByText("12 ELM ST").tagName).toBe("MARK");
    expect(within(check).getByText("1234").tagName).toBe("MARK");
    expect((within(check).getByLabelText("Use USPS's suggestion") as HTMLInputElement).checked).toBe(true);

    const rates = await screen.findByTestId("rates");
    // "You pay" is the one price column; retail, commercial and contract are behind a toggle.
    expect(within(rates).getAllByText("$5.10").length).toBe(1);
    expect(within(rates).queryByText("$7.45")).toBeNull();
    expect(within(rates).getAllByText("1").length).toBe(2); // zone "01" on both rows
    expect(within(rates).queryByText("01")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Price details" }));
    expect(within(rates).getByText("$7.45")).toBeTruthy();
    expect(within(rates).getByText("$5.40")).toBeTruthy();
    expect(within(rates).getAllByText("$5.10").length).toBe(2);
    expect(screen.getByTestId("contract-not-found").textContent).toContain("no contract price");
    expect(m.ratesForOrder).toHaveBeenCalledWith(1, { weight_oz: "8", dimensions: { length_in: "10", width_in: "8", height_in: "4" } }, 7, CHECK.standardized);

    fireEvent.click(within(check).getByLabelText("Keep as entered"));
    // A different ship-to makes the shown rates stale until asked again.
    fireEvent.click(await screen.findByRole("button", { name: /get rates again/ }));
    await waitFor(() => expect(m.ratesForOrder).toHaveBeenLastCalledWith(1, expect.anything(), 7, null));
    fireEvent.click(await screen.findByLabelText("Priority Mail $8.55"));
    fireEvent.click(screen.getByRole("button", { name: "Buy label · $8.55" }));
    await screen.findByTestId("bought");
    expect(m.buyLabel).toHaveBeenCalledWith(
      expect.objectContaining({
        order_id: 1,
        rate: RATES.quotes[1].choice,
        ship_from_id: 7,
        ship_to: { choice: "as_entered" },
        allow_additional_label: false,
        ignore_bad_address: false,
      }),
    );
    const img = (await screen.findByAltText(/Label for order #1001/)) as HTMLImageElement;
    expect(img.src.startsWith("data:image/svg+xml")).toBe(true);
    // Focus lands on Print, not on the page body.
    expect(document.activeElement?.getAttribute("data-action")).toBe("print-labels");
    fireEvent.keyDown(window, { key: "p", ctrlKey: true });
    await waitFor(() => expect(m.printLabels).toHaveBeenCalledWith([1], "4x6"));
  });

  it("scan mode: Buy has the focus once it can buy, and the bought label goes to the printer at once", async () => {
    m.buyLabel.mockResolvedValue({ shipment: shipment(1), resumed_earlier_attempt: false });
    const done = vi.fn();
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} scan={{ onDone: done }} />);
    await screen.findByTestId("rates");
    await waitFor(() => expect(document.activeElement?.getAttribute("data-action")).toBe("buy-label"));
    // Enter on the focused button is its click.
    fireEvent.click(document.activeElement as HTMLElement);
    await waitFor(() => expect(done).toHaveBeenCalled());
    expect(m.printLabels).toHaveBeenCalledWith([1], null);
    expect(done.mock.calls[0][0]).toContain("sent to the printer");
    expect(done.mock.calls[0][1]).toBe(true);
  });

  it("scan mode: a failed print is said, the label stays bought", async () => {
    m.buyLabel.mockResolvedValue({ shipment: shipment(1), resumed_earlier_attempt: false });
    m.printLabels.mockRejectedValue({ code: "PRINTING_FAILED", message: "No printer is set up." });
    const done = vi.fn();
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} scan={{ onDone: done }} />);
    await waitFor(() => expect(document.activeElement?.getAttribute("data-action")).toBe("buy-label"));
    fireEvent.click(document.activeElement as HTMLElement);
    await waitFor(() => expect(done).toHaveBeenCalled());
    expect(done.mock.calls[0][0]).toContain("but not printed: No printer is set up. Print it from Shipments.");
    expect(done.mock.calls[0][1]).toBe(false);
  });

  it("preselects and marks the service core recommends, not the cheapest row", async () => {
    m.ratesForOrder.mockResolvedValue(RATES_CHEAPEST_UNSAFE);
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    const rates = await screen.findByTestId("rates");
    const ground = within(rates).getByLabelText("USPS Ground Advantage $16.75") as HTMLInputElement;
    await waitFor(() => expect(ground.checked).toBe(true));
    const media = within(rates).getByLabelText("Media Mail $6.43") as HTMLInputElement;
    expect(media.checked).toBe(false);
    // The restricted class is listed after the open ones, with who may use it.
    const rows = within(rates).getAllByRole("row").map((r) => r.getAttribute("data-rate") ?? r.textContent);
    expect(rows.indexOf("MEDIA_MAIL")).toBeGreaterThan(rows.indexOf("PRIORITY_MAIL"));
    expect(media.closest("tr")?.querySelector("[data-testid=restriction]")?.textContent).toContain("books");
    // Flat-rate products are not offered for the shop's own box.
    expect(within(rates).queryByLabelText("Priority Mail Flat Rate Envelope $9.85")).toBeNull();
    const marked = within(rates).getAllByTestId("recommended");
    expect(marked).toHaveLength(1);
    expect(marked[0].closest("tr")?.getAttribute("data-rate")).toBe("USPS_GROUND_ADVANTAGE");
    expect(screen.getByRole("button", { name: "Buy label · $16.75" })).toBeTruthy();
    // Shipping in USPS flat-rate packaging shows those products; one the box does not fit is not choosable.
    fireEvent.click(screen.getByLabelText("USPS Flat Rate envelope or box"));
    const envelope = within(screen.getByTestId("rates")).getByLabelText("Priority Mail Flat Rate Envelope $9.85") as HTMLInputElement;
    expect(envelope.disabled).toBe(true);
    expect(within(screen.getByTestId("rates")).queryByLabelText("USPS Ground Advantage $16.75")).toBeNull();
    expect((screen.getByRole("button", { name: "Buy label" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("preselects nothing when core recommends no service", async () => {
    m.ratesForOrder.mockResolvedValue({ ...RATES_CHEAPEST_UNSAFE, recommended: null });
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    const rates = await screen.findByTestId("rates");
    expect(within(rates).queryByTestId("recommended")).toBeNull();
    const radios = within(rates).getAllByRole("radio") as HTMLInputElement[];
    expect(radios).toHaveLength(3);
    expect(radios.some((r) => r.checked)).toBe(false);
    expect((screen.getByRole("button", { name: "Buy label" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(within(rates).getByLabelText("Media Mail $6.43"));
    expect((screen.getByRole("button", { name: "Buy label · $6.43" }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("keeps Buy disabled while the purchase is in flight", async () => {
    const pending = deferred<unknown>();
    m.buyLabel.mockReturnValue(pending.promise);
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    await screen.findByTestId("rates");
    const buy = screen.getByRole("button", { name: /Buy label/ }) as HTMLButtonElement;
    fireEvent.click(buy);
    await waitFor(() => expect(buy.disabled).toBe(true));
    expect(buy.textContent).toBe("Buying label…");
    fireEvent.click(buy);
    expect(m.buyLabel).toHaveBeenCalledTimes(1);
    pending.resolve({ shipment: shipment(1), resumed_earlier_attempt: false });
    await screen.findByTestId("bought");
  });

  it("hands a reconnect error to the connection prompt and retries through it", async () => {
    const reconnect: AppError = { code: "USPS_RECONNECT_REQUIRED", message: "Reconnect USPS", details: { kind: "usps_connection", account_id: 1, nickname: "Sandbox demo", state: { state: "needs_reconnect", reason: "Sign in again." }, prompt: true } };
    m.ratesForOrder.mockRejectedValueOnce(reconnect);
    uspsErrors.mockReturnValue(true);
    bannerReconnect.mockClear();
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    await waitFor(() => expect(uspsErrors).toHaveBeenCalledWith(reconnect, expect.any(Function)));
    expect(screen.queryByText("Reconnect USPS")).toBeNull();
    // The rates section does not wait on in silence: it says what it needs, with a way to do it.
    const needed = await screen.findByTestId("reconnect-needed");
    expect(needed.textContent).toContain("USPS needs to be reconnected before rates can be fetched.");
    fireEvent.click(within(needed).getByRole("button", { name: "Reconnect" }));
    expect(bannerReconnect).toHaveBeenCalledTimes(1);
    const retry = uspsErrors.mock.calls[0][1] as () => void;
    retry();
    expect(await screen.findByTestId("rates")).toBeTruthy();
    expect(screen.queryByTestId("reconnect-needed")).toBeNull();
    expect(m.ratesForOrder).toHaveBeenCalledTimes(2);
  });

  it("every wait on USPS has a Cancel, and a stopped request's late answer is dropped", async () => {
    const check = deferred<typeof CHECK>();
    m.checkOrderAddress.mockReturnValueOnce(check.promise);
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    const asking = await screen.findByTestId("checking-address");
    expect(asking.textContent).toContain("Asking USPS about 12 elm street, Austin…");
    fireEvent.click(within(asking).getByRole("button", { name: "Cancel" }));
    expect(screen.getByTestId("check-stopped").textContent).toContain("The address was not checked.");
    check.resolve(CHECK);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId("address-check")).toBeNull();

    const rates = deferred<typeof RATES>();
    m.ratesForOrder.mockReturnValueOnce(rates.promise);
    fireEvent.click(screen.getByRole("button", { name: "Get rates" }));
    const getting = await screen.findByTestId("getting-rates");
    fireEvent.click(within(getting).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByTestId("getting-rates")).toBeNull();
    rates.resolve(RATES);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId("rates")).toBeNull();
    expect(screen.getByRole("button", { name: "Get rates" })).toBeTruthy();

    // Asking again works as before.
    fireEvent.click(screen.getByRole("button", { name: "Check the address" }));
    await screen.findByTestId("address-check");
    expect(m.checkOrderAddress).toHaveBeenCalledTimes(2);
  });

  it("Escape closes the dialog even when focus has fallen out of it", async () => {
    const onClose = vi.fn();
    render(<ShipDialog orders={[order(1)]} onClose={onClose} onShipped={() => undefined} />);
    await screen.findByTestId("rates");
    (document.activeElement as HTMLElement | null)?.blur();
    expect(document.activeElement === document.body || document.activeElement === null).toBe(true);
    fireEvent.keyDown(document.body, { key: "Escape" });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it("shows other USPS errors next to what failed", async () => {
    m.checkOrderAddress.mockRejectedValue({ code: "USPS_UNAVAILABLE", message: "USPS did not answer" });
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    expect(await screen.findByText("USPS did not answer")).toBeTruthy();
    expect(uspsErrors).toHaveBeenCalled();
  });

  it("keeps USPS's codes and HTTP status behind Details, under a plain sentence", async () => {
    m.checkOrderAddress.mockRejectedValue({
      code: "USPS_REJECTED",
      message: "USPS did not accept the request: The ZIP code is not valid.",
      details: {
        kind: "usps_rejected",
        account_id: 1,
        nickname: "Main",
        status: 400,
        usps_codes: ["010001"],
        fields: ["ZIPCode"],
        problems: [{ code: "010001", field: "ZIPCode", title: "Bad Request", detail: "The ZIP code is not valid." }],
      },
    });
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    const alert = (await screen.findByText("USPS did not accept the request: The ZIP code is not valid.")).closest("[role=alert]")!;
    expect(alert.querySelector("p")!.textContent).not.toMatch(/HTTP|010001|ZIPCode/);
    const details = within(alert as HTMLElement).getByTestId("error-details");
    expect(details.textContent).toContain("HTTP 400");
    expect(details.textContent).toContain("[010001] ZIPCode: The ZIP code is not valid.");
  });

  it("asks explicitly before buying a second label for an order that has one", async () => {
    m.buyLabel.mockResolvedValue({ shipment: shipment(1), resumed_earlier_attempt: false });
    render(<ShipDialog orders={[order(1, { status: "shipped" })]} onClose={() => undefined} onShipped={() => undefined} />);
    await screen.findByTestId("rates");
    const buy = screen.getByRole("button", { name: /Buy label/ }) as HTMLButtonElement;
    expect(buy.disabled).toBe(true);
    fireEvent.click(screen.getByTestId("confirm-another"));
    expect(buy.disabled).toBe(false);
    fireEvent.click(buy);
    await waitFor(() => expect(m.buyLabel).toHaveBeenCalledWith(expect.objectContaining({ allow_additional_label: true })));
  });

  it("flags an address USPS does not know and needs an explicit print-anyway", async () => {
    m.checkOrderAddress.mockResolvedValue({ ...CHECK, standardized: null, differences: [], deliverable: "no", message: "Address Not Found." });
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    expect((await screen.findByRole("alert")).textContent).toContain("USPS does not recognize this address");
    await screen.findByTestId("rates");
    const buy = screen.getByRole("button", { name: /Buy label/ }) as HTMLButtonElement;
    expect(buy.disabled).toBe(true);
    fireEvent.click(screen.getByTestId("print-anyway"));
    expect(buy.disabled).toBe(false);
  });

  it("fixes an address USPS does not know right in the dialog and checks it again", async () => {
    m.checkOrderAddress.mockResolvedValueOnce({ ...CHECK, standardized: null, differences: [], deliverable: "no", message: "Address Not Found." });
    m.checkOrderAddress.mockResolvedValueOnce(CHECK);
    m.ordersUpdate.mockImplementation(async (id: number, input: { ship_to: typeof ADDRESS }) => order(id, { ship_to: { ...input.ship_to } }));
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    await screen.findByRole("alert");
    fireEvent.click(screen.getByRole("button", { name: "Edit the address" }));
    fireEvent.change(screen.getByLabelText(/Street/), { target: { value: "12 Elm St" } });
    fireEvent.click(screen.getByRole("button", { name: "Save order" }));
    await waitFor(() => expect(m.ordersUpdate).toHaveBeenCalledWith(1, expect.objectContaining({ ship_to: expect.objectContaining({ street1: "12 Elm St" }) })));
    await waitFor(() => expect(m.checkOrderAddress).toHaveBeenCalledTimes(2));
    expect((await screen.findByTestId("address-check")).getAttribute("data-deliverable")).toBe("yes");
  });

  it("says why contract prices are missing when USPS refused the contract search", async () => {
    m.ratesForOrder.mockResolvedValue({ ...RATES, contract_unavailable: "USPS refused the contract price search (403)" });
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    expect((await screen.findByTestId("contract-unavailable")).textContent).toContain("USPS refused the contract price search (403)");
  });

  it("asks for a weight when the order has none instead of guessing one", async () => {
    render(<ShipDialog orders={[order(1, { items: [{ sku: "X", title: "Soap", quantity: 1, unit_price: null, weight_oz: null }] })]} onClose={() => undefined} onShipped={() => undefined} />);
    expect((await screen.findByTestId("no-weight")).textContent).toContain("has no weight");
    expect((screen.getByLabelText("Weight, pounds") as HTMLInputElement).value).toBe("");
    await screen.findByTestId("address-check");
    expect(screen.getByText("Enter the package weight")).toBeTruthy();
    expect(m.ratesForOrder).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText("Weight, pounds"), { target: { value: "2" } });
    await waitFor(() => expect(m.ratesForOrder).toHaveBeenCalledWith(1, expect.objectContaining({ weight_oz: "32" }), 7, expect.anything()));
  });

  it("starts from the shop's default box until the user types", async () => {
    m.packagePresets.mockResolvedValue([
      { id: 2, name: "Small", dimensions: { length_in: "6", width_in: "4", height_in: "2" }, weight_oz: null, is_default: false },
      { id: 3, name: "Mailer", dimensions: { length_in: "12", width_in: "9", height_in: "1" }, weight_oz: "5", is_default: true },
    ]);
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    await waitFor(() => expect((screen.getByLabelText("Length, inches") as HTMLInputElement).value).toBe("12"));
    // The order's own weight wins over the preset's usual one.
    expect((screen.getByLabelText("Weight, ounces") as HTMLInputElement).value).toBe("8");
  });

  it("fills the package from a saved preset and saves a new one", async () => {
    m.packagePresets.mockResolvedValue([{ id: 3, name: "Mailer", dimensions: { length_in: "12", width_in: "9", height_in: "1" }, weight_oz: "5" }]);
    m.packagePresetAdd.mockImplementation(async (i: { name: string }) => ({ id: 4, ...i }));
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    fireEvent.change(await screen.findByLabelText("Package preset"), { target: { value: "3" } });
    expect((screen.getByLabelText("Length, inches") as HTMLInputElement).value).toBe("12");
    expect((screen.getByLabelText("Weight, ounces") as HTMLInputElement).value).toBe("5");
    window.prompt = vi.fn(() => "Flat mailer");
    fireEvent.click(screen.getByRole("button", { name: "Save as preset…" }));
    await waitFor(() =>
      expect(m.packagePresetAdd).toHaveBeenCalledWith({ name: "Flat mailer", dimensions: { length_in: "12", width_in: "9", height_in: "1" }, weight_oz: "5" }),
    );
    expect(await screen.findByRole("option", { name: /Flat mailer/ })).toBeTruthy();
  });

  it("closes on Escape", async () => {
    const onClose = vi.fn();
    render(<ShipDialog orders={[order(1)]} onClose={onClose} onShipped={() => undefined} />);
    const dialog = await screen.findByTestId("ship-dialog");
    fireEvent.keyDown(dialog, { key: "Escape" });
    expect(onClose).toHaveBeenCalled();
  });
});

const BOX = { length_in: "10", width_in: "8", height_in: "4" };
const GROUND = RATES.quotes[0];
const PRIORITY = RATES.quotes[1];

function line(id: number, patch: Partial<BatchPreviewLine> = {}): BatchPreviewLine {
  return {
    order_id: id,
    order_number: `#${1000 + id}`,
    ship_to: { ...ADDRESS },
    weight: "order",
    package: { weight_oz: "8", dimensions: BOX },
    blocked: null,
    rates: RATES,
    rates_error: null,
    quote: GROUND,
    ...patch,
  };
}

/** What core answers for `lines`: totals over the lines that are not blocked. */
function preview(lines: BatchPreviewLine[], patch: Partial<BatchPreview> = {}): BatchPreview {
  const buying = lines.filter((l) => l.blocked == null);
  const sum = (q: (l: BatchPreviewLine) => RateQuote | null | undefined) => buying.reduce((t, l) => t + Number(q(l)?.price ?? 0), 0).toFixed(2);
  return {
    lines,
    to_buy: buying.length,
    using_fallback: buying.filter((l) => l.weight === "fallback").length,
    without_weight: lines.filter((l) => l.weight === "missing").length,
    total: sum((l) => l.quote),
    priced: buying.filter((l) => l.quote).length,
    services: [
      { choice: GROUND.choice, product_name: GROUND.product_name, description: null, total: sum(() => GROUND), priced: buying.length },
      { choice: PRIORITY.choice, product_name: PRIORITY.product_name, description: null, total: sum(() => PRIORITY), priced: buying.length },
    ],
    every_order_has_recommendation: true,
    paid_from: "Sandbox demo",
    balance: null,
    duration: { seconds: 12, allowance_wait_seconds: 0, message: "About 12 s." },
    ...patch,
  };
}

const unweighed = (id: number) => order(id, { items: [{ sku: null, title: "Soap", quantity: 1, unit_price: null, weight_oz: null }] });
const noWeight = (id: number): Partial<BatchPreviewLine> => ({
  weight: "missing",
  package: null,
  rates: null,
  quote: null,
  blocked: { code: "VALIDATION", message: `Order #${1000 + id} has no weight: add item weights to the order, or type a weight for orders without one` },
});

describe("Ship dialog, many orders", () => {
  beforeEach(() => {
    cleanup();
    Object.values(m).forEach((f) => f.mockReset());
    uspsErrors.mockReset().mockReturnValue(false);
    m.packagePresets.mockResolvedValue([]);
    m.previewBatch.mockImplementation(async (input: BatchInput) => preview(input.order_ids.map((id) => line(id))));
  });

  it("shows each order's own weight, holds back orders without one until a weight is typed, and buys through core", async () => {
    m.buyBatch.mockReturnValue(new Promise(() => undefined));
    m.previewBatch.mockResolvedValueOnce(preview([line(1), line(2, noWeight(2)), line(3, noWeight(3))]));
    render(<ShipDialog orders={[order(1), unweighed(2), unweighed(3)]} onClose={() => undefined} onShipped={() => undefined} />);
    const rates = await screen.findByTestId("batch-rates");
    // Nothing is assumed: the weight fields start blank, and core gets no weight for orders without one.
    expect((screen.getByLabelText("Weight for orders without one, pounds") as HTMLInputElement).value).toBe("");
    expect(m.previewBatch).toHaveBeenCalledWith({
      order_ids: [1, 2, 3],
      ship_from_id: 7,
      ship_date: expect.any(String),
      dimensions: BOX,
      fallback_weight_oz: undefined,
      addresses: "standardized",
      allow_additional_label: false,
    });
    expect(within(rates).getByText("8 oz")).toBeTruthy();
    expect(within(rates).getAllByText("No weight")).toHaveLength(2);
    expect(screen.getByTestId("without-weight").textContent).toContain("2 orders have no weight and will not be bought");
    expect(screen.getByTestId("batch-summary").textContent).toContain("1 of 3 orders to buy · expected total $5.10");
    expect(screen.getByRole("button", { name: "Buy 1 label · $5.10" })).toBeTruthy();

    // A typed weight is for the orders without one; the shown rates are stale until asked again.
    fireEvent.change(screen.getByLabelText("Weight for orders without one, pounds"), { target: { value: "1" } });
    expect((screen.getByRole("button", { name: /Buy/ }) as HTMLButtonElement).disabled).toBe(true);
    const typed = { weight: "fallback" as const, package: { weight_oz: "16", dimensions: BOX }, quote: PRIORITY };
    m.previewBatch.mockResolvedValueOnce(preview([line(1), line(2, typed), line(3, typed)]));
    fireEvent.click(screen.getByRole("button", { name: /get rates again/ }));
    await waitFor(() => expect(m.previewBatch).toHaveBeenLastCalledWith(expect.objectContaining({ fallback_weight_oz: "16" })));
    expect((await screen.findByTestId("uses-typed-weight")).textContent).toContain("2 orders have no weight of their own and will ship at the weight you typed, 1 lb");
    expect(within(screen.getByTestId("batch-rates")).getAllByText("1 lb (typed above)")).toHaveLength(2);
    expect(screen.queryByTestId("without-weight")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Buy 3 labels · $22.20" }));
    await waitFor(() => expect(m.buyBatch).toHaveBeenCalled());
    // Each order's own recommended service: core decides it per order (no service sent).
    expect(m.buyBatch.mock.calls[0][0]).toEqual({
      order_ids: [1, 2, 3],
      ship_from_id: 7,
      ship_date: expect.any(String),
      dimensions: BOX,
      fallback_weight_oz: "16",
      addresses: "standardized",
      allow_additional_label: false,
      service: undefined,
    });
  });

  it("holds a batch that costs more than the prepaid balance and offers to buy postage first", async () => {
    m.previewBatch.mockResolvedValueOnce(preview([line(1), line(2)], { paid_from: "Endicia 2500123", balance: "6.00" }));
    render(<ShipDialog orders={[order(1), order(2)]} onClose={() => undefined} onShipped={() => undefined} />);
    const short = await screen.findByTestId("balance-short");
    expect(short.textContent).toContain("Endicia 2500123");
    expect(short.textContent).toContain("$6.00");
    expect(short.textContent).toContain("$10.20");
    expect(screen.getByRole("link", { name: "Buy postage first" }).getAttribute("href")).toBe("#/settings/postage");
    expect((screen.getByRole("button", { name: /Buy 2 labels/ }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId("batch-summary").textContent).toContain("Paid from Endicia 2500123 (balance $6.00)");
  });

  it("says up front how long a batch beyond USPS's hourly allowance will take", async () => {
    const message =
      "About 1 h 1 min: USPS allows this account's app 60 label requests an hour, so the batch waits about 1 h 1 min for it instead of being refused. Keep Shipdesk open until it is done.";
    m.previewBatch.mockResolvedValueOnce(preview([line(1), line(2)], { duration: { seconds: 3665, allowance_wait_seconds: 3605, message } }));
    render(<ShipDialog orders={[order(1), order(2)]} onClose={() => undefined} onShipped={() => undefined} />);
    const said = await screen.findByTestId("batch-duration");
    expect(said.textContent).toBe(message);
    expect(said.className).toContain("notice-warn");
    expect((screen.getByRole("button", { name: /Buy 2 labels/ }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("prices one service for every order at each order's own quote, and prints as entered only when asked", async () => {
    m.buyBatch.mockReturnValue(new Promise(() => undefined));
    const heavier = { ...PRIORITY, price: "12.40" };
    m.previewBatch.mockResolvedValueOnce(
      preview([line(1), line(2, { package: { weight_oz: "48", dimensions: BOX }, rates: { ...RATES, quotes: [GROUND, heavier] } })], {
        services: [{ choice: PRIORITY.choice, product_name: "Priority Mail", description: null, total: "20.95", priced: 2 }],
      }),
    );
    render(<ShipDialog orders={[order(1), order(2)]} onClose={() => undefined} onShipped={() => undefined} />);
    const service = (await screen.findByTestId("batch-service")) as HTMLSelectElement;
    expect(service.value).toBe("each");
    fireEvent.change(service, { target: { value: "PRIORITY_MAIL/SP/MACHINABLE" } });
    const rates = screen.getByTestId("batch-rates");
    expect(within(rates).getByText("3 lb")).toBeTruthy();
    expect(within(rates).getByText("$8.55")).toBeTruthy();
    expect(within(rates).getByText("$12.40")).toBeTruthy();
    fireEvent.click(screen.getByTestId("batch-as-entered"));
    fireEvent.click(screen.getByRole("button", { name: "Buy 2 labels · $20.95" }));
    await waitFor(() => expect(m.buyBatch).toHaveBeenCalled());
    expect(m.buyBatch.mock.calls[0][0]).toMatchObject({ order_ids: [1, 2], service: PRIORITY.choice, addresses: "as_entered" });
    expect(m.previewBatch).toHaveBeenCalledTimes(1);
  });

  it("asks for a service when not every order has a safe default", async () => {
    m.previewBatch.mockImplementation(async (input: BatchInput) =>
      preview(
        input.order_ids.map((id) => line(id, { quote: null })),
        { every_order_has_recommendation: false },
      ),
    );
    render(<ShipDialog orders={[order(1), order(2)]} onClose={() => undefined} onShipped={() => undefined} />);
    const service = (await screen.findByTestId("batch-service")) as HTMLSelectElement;
    expect(service.value).toBe("");
    expect(within(service).getByText(/Choose a service/)).toBeTruthy();
    expect(within(service).queryByText(/recommended service/)).toBeNull();
    const buy = screen.getByRole("button", { name: /Buy 2 labels/ }) as HTMLButtonElement;
    expect(buy.disabled).toBe(true);
    fireEvent.change(service, { target: { value: "PRIORITY_MAIL/SP/MACHINABLE" } });
    expect(buy.disabled).toBe(false);
    expect(within(service).queryByText(/Choose a service/)).toBeNull();
  });

  it("runs a batch with progress and a report that separates the failures, then retries them", async () => {
    const run = deferred<BatchReport>();
    m.buyBatch.mockReturnValueOnce(run.promise);
    const orders = Array.from({ length: 40 }, (_, i) => order(i + 1));
    render(<ShipDialog orders={orders} onClose={() => undefined} onShipped={() => undefined} />);
    await screen.findByTestId("batch-service");
    fireEvent.click(screen.getByRole("button", { name: /Buy 40 labels/ }));
    await waitFor(() => expect(m.buyBatch).toHaveBeenCalled());
    const input = m.buyBatch.mock.calls[0][0] as BatchInput;
    expect(input.order_ids).toHaveLength(40);

    await waitFor(() => expect(progress).not.toBeNull());
    progress!({ done: 12, total: 40, bought: 11, failed: 1, waiting_for_quota_secs: null, message: "12 of 40" });
    expect((await screen.findByTestId("batch-progress-text")).textContent).toContain("12 of 40");
    const bar = screen.getByLabelText("Labels bought so far") as HTMLProgressElement;
    expect(bar.value).toBe(12);
    m.cancelBatch.mockResolvedValue(undefined);
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(m.cancelBatch).toHaveBeenCalled();

    const report: BatchReport = {
      input,
      total: 40,
      bought: [shipment(1), shipment(2)],
      needs_attention: [
        {
          order_id: 6,
          order_number: "#1006",
          reason: "address_not_recognized",
          message: "USPS does not recognize the address of order #1006: Address Not Found.",
          address_check: { ...CHECK, standardized: null, differences: [], deliverable: "no" },
        },
      ],
      validation_problems: [failure(3, "VALIDATION", "ZIP is missing", "validation")],
      usps_rejections: [failure(4, "USPS_REJECTED", "Invalid ZIP for city", "usps_rejected")],
      connection_problems: [failure(5, "USPS_UNAVAILABLE", "USPS did not answer", "connection")],
      not_started: [],
      cancelled: false,
      stopped_because: null,
      seconds: 3,
    };
    const none = { needs_attention: [], validation_problems: [], usps_rejections: [], connection_problems: [] };
    m.retryBatch.mockResolvedValue({ ...report, ...none, total: 4, bought: [shipment(5)] });
    run.resolve(report);
    const shown = await screen.findByTestId("batch-report");
    expect(shown.textContent).toContain("2 of 40 labels bought");
    expect(within(shown).getByText("Needs attention (1)")).toBeTruthy();
    expect(within(shown).getByText("Validation problems (1)")).toBeTruthy();
    expect(within(shown).getByText("USPS rejections (1)")).toBeTruthy();
    expect(within(shown).getByText("Connection problems (1)")).toBeTruthy();
    expect(await screen.findAllByTestId("label-preview")).toHaveLength(2);
    fireEvent.click(within(shown).getByRole("button", { name: "Retry failed (4)" }));
    await waitFor(() => expect(m.retryBatch).toHaveBeenCalledWith(report));
    await waitFor(() => expect(screen.getAllByTestId("label-preview")).toHaveLength(3));
  });

  it("buys orders held for their address as entered only when asked", async () => {
    const held: BatchReport = {
      input: { order_ids: [1, 2], ship_date: "2026-11-21", dimensions: BOX, addresses: "standardized", allow_additional_label: false },
      total: 2,
      bought: [shipment(1)],
      needs_attention: [
        { order_id: 2, order_number: "#1002", reason: "address_not_recognized", message: "USPS does not recognize the address of order #1002.", address_check: null },
      ],
      validation_problems: [],
      usps_rejections: [],
      connection_problems: [],
      not_started: [],
      cancelled: false,
      stopped_because: null,
      seconds: 1,
    };
    m.buyBatch.mockResolvedValueOnce(held).mockResolvedValueOnce({ ...held, input: { ...held.input, order_ids: [2] }, total: 1, bought: [shipment(2)], needs_attention: [] });
    render(<ShipDialog orders={[order(1), order(2)]} onClose={() => undefined} onShipped={() => undefined} />);
    await screen.findByTestId("batch-service");
    fireEvent.click(screen.getByRole("button", { name: /Buy 2 labels/ }));
    const attention = await screen.findByTestId("needs-attention");
    expect(attention.textContent).toContain("USPS does not recognize the address of order #1002");
    fireEvent.click(within(attention).getByRole("button", { name: "Buy it with the address as entered" }));
    await waitFor(() => expect(m.buyBatch).toHaveBeenCalledTimes(2));
    expect(m.buyBatch.mock.calls[1][0]).toEqual({ ...held.input, order_ids: [2], addresses: "as_entered" });
  });

  it("hands a batch stopped for reconnect to the connection prompt", async () => {
    const stop: AppError = { code: "USPS_RECONNECT_REQUIRED", message: "Reconnect USPS" };
    m.buyBatch.mockResolvedValue({
      input: { order_ids: [1, 2], addresses: "standardized", allow_additional_label: false },
      total: 2, bought: [], needs_attention: [], validation_problems: [], usps_rejections: [], connection_problems: [],
      not_started: [1, 2], cancelled: false, stopped_because: stop, seconds: 0.1,
    });
    render(<ShipDialog orders={[order(1), order(2)]} onClose={() => undefined} onShipped={() => undefined} />);
    await screen.findByTestId("batch-service");
    fireEvent.click(screen.getByRole("button", { name: /Buy 2 labels/ }));
    await waitFor(() => expect(uspsErrors).toHaveBeenCalledWith(stop, expect.any(Function)));
  });
});
