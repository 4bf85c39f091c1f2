import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent, cleanup, waitFor, within } from "@testing-library/react";
import type { AppError, BatchProgress, BatchReport, PurchaseRequest } from "../../ipc";
import { CHECK, RATES, RATES_CHEAPEST_UNSAFE, SHIP_FROM, order, shipment } from "./testData";

const m = {
  checkOrderAddress: vi.fn(),
  ratesForOrder: vi.fn(),
  ratesForOrders: vi.fn(),
  buyLabel: vi.fn(),
  buyBatch: vi.fn(),
  retryBatch: vi.fn(),
  cancelBatch: vi.fn(),
  printLabels: vi.fn(),
  setLabelLayout: vi.fn(),
  packagePresets: vi.fn(),
  packagePresetAdd: vi.fn(),
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
      shipFromList: async () => [SHIP_FROM],
      labelLayout: async () => "4x6",
      labelPreview: async () => ({ kind: "svg", svg: "<svg xmlns='http://www.w3.org/2000/svg'/>" }),
      checkOrderAddress: (id: number) => m.checkOrderAddress(id),
      ratesForOrder: (...a: unknown[]) => m.ratesForOrder(...a),
      ratesForOrders: (...a: unknown[]) => m.ratesForOrders(...a),
      buyLabel: (r: PurchaseRequest) => m.buyLabel(r),
      buyBatch: (r: PurchaseRequest[]) => m.buyBatch(r),
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
vi.mock("../../connection/UspsConnection", () => ({ useUspsErrors: () => uspsErrors }));

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
  request: { order_id: id } as PurchaseRequest,
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
    expect(within(rates).getByText("$7.45")).toBeTruthy();
    expect(within(rates).getByText("$5.40")).toBeTruthy();
    expect(within(rates).getAllByText("$5.10").length).toBeGreaterThan(0);
    expect(screen.getByTestId("contract-not-found").textContent).toContain("contract rate not found, published rate returned");
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
    fireEvent.keyDown(window, { key: "p", ctrlKey: true });
    await waitFor(() => expect(m.printLabels).toHaveBeenCalledWith([1], "4x6"));
  });

  it("preselects and marks the service core recommends, not the cheapest row", async () => {
    m.ratesForOrder.mockResolvedValue(RATES_CHEAPEST_UNSAFE);
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    const rates = await screen.findByTestId("rates");
    const ground = within(rates).getByLabelText("USPS Ground Advantage $16.75") as HTMLInputElement;
    await waitFor(() => expect(ground.checked).toBe(true));
    expect((within(rates).getByLabelText("Media Mail $6.43") as HTMLInputElement).checked).toBe(false);
    expect((within(rates).getByLabelText("Priority Mail Flat Rate Envelope $9.85") as HTMLInputElement).checked).toBe(false);
    const marked = within(rates).getAllByTestId("recommended");
    expect(marked).toHaveLength(1);
    expect(marked[0].closest("tr")?.getAttribute("data-rate")).toBe("USPS_GROUND_ADVANTAGE");
    expect(screen.getByRole("button", { name: "Buy label · $16.75" })).toBeTruthy();
  });

  it("preselects nothing when core recommends no service", async () => {
    m.ratesForOrder.mockResolvedValue({ ...RATES_CHEAPEST_UNSAFE, recommended: null });
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    const rates = await screen.findByTestId("rates");
    expect(within(rates).queryByTestId("recommended")).toBeNull();
    const radios = within(rates).getAllByRole("radio") as HTMLInputElement[];
    expect(radios).toHaveLength(4);
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
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    await waitFor(() => expect(uspsErrors).toHaveBeenCalledWith(reconnect, expect.any(Function)));
    expect(screen.queryByText("Reconnect USPS")).toBeNull();
    const retry = uspsErrors.mock.calls[0][1] as () => void;
    retry();
    expect(await screen.findByTestId("rates")).toBeTruthy();
    expect(m.ratesForOrder).toHaveBeenCalledTimes(2);
  });

  it("shows other USPS errors next to what failed", async () => {
    m.checkOrderAddress.mockRejectedValue({ code: "USPS_UNAVAILABLE", message: "USPS did not answer" });
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    expect(await screen.findByText("USPS did not answer")).toBeTruthy();
    expect(uspsErrors).toHaveBeenCalled();
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

  it("says why contract prices are missing when USPS refused the contract search", async () => {
    m.ratesForOrder.mockResolvedValue({ ...RATES, contract_unavailable: "USPS refused the contract price search (403)" });
    render(<ShipDialog orders={[order(1)]} onClose={() => undefined} onShipped={() => undefined} />);
    expect((await screen.findByTestId("contract-unavailable")).textContent).toContain("USPS refused the contract price search (403)");
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

describe("Ship dialog, many orders", () => {
  beforeEach(() => {
    cleanup();
    Object.values(m).forEach((f) => f.mockReset());
    uspsErrors.mockReset().mockReturnValue(false);
    m.packagePresets.mockResolvedValue([]);
    m.ratesForOrders.mockImplementation(async (ids: number[]) =>
      ids.map((id) => ({ order_id: id, order_number: `#${1000 + id}`, package: RATES.package, rates: RATES, error: null })),
    );
  });

  it("runs a batch with progress and a report that separates the failures, then retries them", async () => {
    const run = deferred<BatchReport>();
    m.buyBatch.mockReturnValue(run.promise);
    const orders = Array.from({ length: 40 }, (_, i) => order(i + 1));
    render(<ShipDialog orders={orders} onClose={() => undefined} onShipped={() => undefined} />);
    const service = (await screen.findByTestId("batch-service")) as HTMLSelectElement;
    expect(service.value).toBe("USPS_GROUND_ADVANTAGE/SP/MACHINABLE");
    fireEvent.click(screen.getByRole("button", { name: "Buy 40 labels" }));
    await waitFor(() => expect(m.buyBatch).toHaveBeenCalled());
    const requests = m.buyBatch.mock.calls[0][0] as PurchaseRequest[];
    expect(requests).toHaveLength(40);
    expect(requests[0]).toMatchObject({ order_id: 1, rate: RATES.quotes[0].choice, ship_from_id: 7 });

    await waitFor(() => expect(progress).not.toBeNull());
    progress!({ done: 12, total: 40, bought: 11, failed: 1, waiting_for_quota_secs: null, message: "12 of 40" });
    expect((await screen.findByTestId("batch-progress-text")).textContent).toContain("12 of 40");
    const bar = screen.getByLabelText("Labels bought so far") as HTMLProgressElement;
    expect(bar.value).toBe(12);
    m.cancelBatch.mockResolvedValue(undefined);
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(m.cancelBatch).toHaveBeenCalled();

    const report: BatchReport = {
      total: 40,
      bought: [shipment(1), shipment(2)],
      validation_problems: [failure(3, "VALIDATION", "ZIP is missing", "validation")],
      usps_rejections: [failure(4, "USPS_REJECTED", "Invalid ZIP for city", "usps_rejected")],
      connection_problems: [failure(5, "USPS_UNAVAILABLE", "USPS did not answer", "connection")],
      not_started: [],
      cancelled: false,
      stopped_because: null,
      seconds: 3,
    };
    m.retryBatch.mockResolvedValue({ ...report, total: 3, bought: [shipment(5)], validation_problems: [], usps_rejections: [], connection_problems: [] });
    run.resolve(report);
    const shown = await screen.findByTestId("batch-report");
    expect(shown.textContent).toContain("2 of 40 labels bought");
    expect(within(shown).getByText("Validation problems (1)")).toBeTruthy();
    expect(within(shown).getByText("USPS rejections (1)")).toBeTruthy();
    expect(within(shown).getByText("Connection problems (1)")).toBeTruthy();
    expect(await screen.findAllByTestId("label-preview")).toHaveLength(2);
    fireEvent.click(within(shown).getByRole("button", { name: "Retry failed (3)" }));
    await waitFor(() => expect(m.retryBatch).toHaveBeenCalledWith(report));
    await waitFor(() => expect(screen.getAllByTestId("label-preview")).toHaveLength(3));
  });

  it("preselects the service core recommends for the most orders", async () => {
    const priority = RATES_CHEAPEST_UNSAFE.quotes[3].choice;
    m.buyBatch.mockReturnValue(new Promise(() => undefined));
    m.ratesForOrders.mockImplementation(async (ids: number[]) =>
      ids.map((id) => ({
        order_id: id,
        order_number: `#${1000 + id}`,
        package: RATES.package,
        rates: id === 3 ? { ...RATES_CHEAPEST_UNSAFE, recommended: priority } : RATES_CHEAPEST_UNSAFE,
        error: null,
      })),
    );
    render(<ShipDialog orders={[order(1), order(2), order(3)]} onClose={() => undefined} onShipped={() => undefined} />);
    const service = (await screen.findByTestId("batch-service")) as HTMLSelectElement;
    expect(service.value).toBe("USPS_GROUND_ADVANTAGE/SP/MACHINABLE");
    fireEvent.click(screen.getByRole("button", { name: "Buy 3 labels" }));
    await waitFor(() => expect(m.buyBatch).toHaveBeenCalled());
    const requests = m.buyBatch.mock.calls[0][0] as PurchaseRequest[];
    expect(requests.map((r) => r.rate)).toEqual([0, 1, 2].map(() => RATES_CHEAPEST_UNSAFE.recommended));
  });

  it("asks for a service when core recommends none", async () => {
    m.ratesForOrders.mockImplementation(async (ids: number[]) =>
      ids.map((id) => ({ order_id: id, order_number: `#${1000 + id}`, package: RATES.package, rates: { ...RATES_CHEAPEST_UNSAFE, recommended: null }, error: null })),
    );
    render(<ShipDialog orders={[order(1), order(2)]} onClose={() => undefined} onShipped={() => undefined} />);
    const service = (await screen.findByTestId("batch-service")) as HTMLSelectElement;
    expect(service.value).toBe("");
    expect(within(service).getByText(/Choose a service/)).toBeTruthy();
    const buy = screen.getByRole("button", { name: "Buy 2 labels" }) as HTMLButtonElement;
    expect(buy.disabled).toBe(true);
    fireEvent.change(service, { target: { value: "PRIORITY_MAIL/SP/MACHINABLE" } });
    expect(buy.disabled).toBe(false);
    expect(within(service).queryByText(/Choose a service/)).toBeNull();
  });

  it("hands a batch stopped for reconnect to the connection prompt", async () => {
    const stop: AppError = { code: "USPS_RECONNECT_REQUIRED", message: "Reconnect USPS" };
    m.buyBatch.mockResolvedValue({
      total: 2, bought: [], validation_problems: [], usps_rejections: [], connection_problems: [],
      not_started: [{ order_id: 1 }, { order_id: 2 }], cancelled: false, stopped_because: stop, seconds: 0.1,
    });
    render(<ShipDialog orders={[order(1), order(2)]} onClose={() => undefined} onShipped={() => undefined} />);
    await screen.findByTestId("batch-service");
    fireEvent.click(screen.getByRole("button", { name: "Buy 2 labels" }));
    await waitFor(() => expect(uspsErrors).toHaveBeenCalledWith(stop, expect.any(Function)));
  });
});
