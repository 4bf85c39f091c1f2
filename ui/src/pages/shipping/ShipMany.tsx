import { useCallback, useEffect, useRef, useState } from "react";
import { ipc, type AppError, type BatchInput, type BatchPreview, type BatchPreviewLine, type Order, type RateQuote } from "../../ipc";
import { useUspsErrors } from "../../connection/UspsConnection";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatMoney, formatWeightOz, formatZone } from "../../format";
import { choiceKey, serviceName } from "./RatesTable";
import { BatchRun } from "./BatchRun";
import type { ShipSetup } from "./ShipDialog";

/** The service select's value meaning "each order's own recommended service" (core's default). */
const EACH = "each";

/** The quote an order is bought at with the chosen option (core priced each order at its own package). */
function quoteFor(line: BatchPreviewLine, option: string | null): RateQuote | null {
  if (option === EACH) return line.quote;
  return line.rates?.quotes.find((q) => choiceKey(q.choice) === option) ?? null;
}

function WeightCell({ line }: { line: BatchPreviewLine }) {
  if (line.weight === "missing") return <span className="flag">No weight</span>;
  const weight = formatWeightOz(line.package?.weight_oz);
  return line.weight === "fallback" ? (
    <span title="The order has no weight of its own: the weight typed above">{weight} (typed above)</span>
  ) : (
    <>{weight}</>
  );
}

/**
 * Many orders: core prices each order at its own weight (the typed weight only for orders without
 * one), the user sees every weight, the service and the total, then a batch buys them — each
 * address checked with USPS first unless the user chose to print them as entered.
 */
export function ShipMany(props: { orders: Order[]; setup: ShipSetup; onBusy: (b: boolean) => void; onShipped: () => void; onCommitted: () => void }) {
  const { orders, setup } = props;
  const handleUsps = useUspsErrors();
  const [preview, setPreview] = useState<BatchPreview | null>(null);
  const [previewFor, setPreviewFor] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(false);
  const [service, setService] = useState<string | null>(null);
  const [includeLabelled, setIncludeLabelled] = useState(false);
  const [asEntered, setAsEntered] = useState(false);
  const [input, setInput] = useState<BatchInput | null>(null);
  const labelled = orders.filter((o) => o.status === "shipped");
  const toBuy = orders.filter((o) => includeLabelled || o.status !== "shipped");

  // What is asked of core, without the service (chosen after the preview).
  const batch: BatchInput | null = setup.batch
    ? {
        order_ids: toBuy.map((o) => o.id),
        ship_from_id: setup.shipFromId ?? undefined,
        ship_date: setup.shipDate,
        dimensions: setup.batch.dimensions,
        fallback_weight_oz: setup.batch.fallbackWeightOz ?? undefined,
        addresses: asEntered ? "as_entered" : "standardized",
        allow_additional_label: includeLabelled,
      }
    : null;
  // The address choice does not change prices: only what is priced makes the preview stale.
  const priceKey = batch ? JSON.stringify({ ...batch, addresses: null }) : null;

  const load = useCallback(async () => {
    if (!batch) return;
    const key = priceKey;
    setLoading(true);
    setError(null);
    try {
      const answer = await ipc.previewBatch(batch);
      setPreview(answer);
      setPreviewFor(key);
      setService((cur) => cur ?? (answer.every_order_has_recommendation ? EACH : null));
    } catch (e) {
      if (!handleUsps(e as AppError, () => void load())) setError(e as AppError);
    } finally {
      setLoading(false);
    }
  }, [batch, priceKey, handleUsps]);

  const first = useRef(true);
  useEffect(() => {
    if (first.current && batch) {
      first.current = false;
      void load();
    }
  }, [load, batch]);

  const stale = preview != null && previewFor !== priceKey;
  const chosen = service === EACH ? null : (preview?.services.find((s) => choiceKey(s.choice) === service) ?? null);
  const eachOffered = !!preview?.every_order_has_recommendation;
  const total = service === EACH ? preview?.total : chosen?.total;
  const priced = service === EACH ? preview?.priced : chosen?.priced;
  const toBuyCount = preview && !stale ? preview.to_buy : toBuy.length;
  const balanceShort = preview?.balance != null && total != null && Number(total) > Number(preview.balance);
  const ready = !!preview && !stale && !!batch && toBuyCount > 0 && (service === EACH ? eachOffered : !!chosen) && !balanceShort;

  const start = () => {
    if (!ready || !batch) return;
    props.onCommitted();
    setInput({ ...batch, service: chosen ? chosen.choice : undefined });
  };

  if (input) {
    return <BatchRun input={input} onBusy={props.onBusy} onFinished={props.onShipped} />;
  }

  return (
    <section className="ship-section" aria-labelledby="many-rates-title">
      <h3 id="many-rates-title">Service and rates</h3>
      {loading && <p className="muted">Pricing {orders.length} orders at their own weights with USPS (identical requests are asked once)…</p>}
      {error && <ErrorNotice error={error} title="No rates" />}
      {preview && !stale && preview.services.length > 0 && (
        <label className="field">
          <span>Service</span>
          <select aria-label="Service" value={service ?? ""} onChange={(e) => setService(e.target.value)} data-testid="batch-service">
            {service == null && (
              <option value="" disabled>
                Choose a service (none is a safe default for every one of these packages)
              </option>
            )}
            {eachOffered && (
              <option value={EACH}>
                Each order's recommended service — {formatMoney(preview.total)} for {preview.priced} of {toBuyCount}
              </option>
            )}
            {preview.services.map((s) => (
              <option key={choiceKey(s.choice)} value={choiceKey(s.choice)}>
                {serviceName(s)} for every order — {formatMoney(s.total)} for{" "}
                {s.priced} of {toBuyCount}
              </option>
            ))}
          </select>
        </label>
      )}
      {preview && !stale && (
        <>
          <div className="batch-table">
          <table className="dense" data-testid="batch-rates">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Ship to</th>
                <th scope="col">Weight</th>
                <th scope="col">Service</th>
                <th scope="col">Zone</th>
                <th scope="col" className="num">
                  Price
                </th>
              </tr>
            </thead>
            <tbody>
              {preview.lines.map((l) => {
                const q = quoteFor(l, service);
                return (
                  <tr key={l.order_id} data-order={l.order_number} data-weight={l.weight}>
                    <td>{l.order_number}</td>
                    <td>
                      {l.ship_to.city}, {l.ship_to.state} {l.ship_to.zip5}
                    </td>
                    <td>
                      <WeightCell line={l} />
                    </td>
                    <td className="service">{q ? serviceName(q) : "—"}</td>
                    <td>{formatZone(q?.zone)}</td>
                    <td className="num">
                      {l.blocked ? (
                        <span className="flag">Not bought: {l.blocked.message}</span>
                      ) : l.rates_error ? (
                        <span className="flag">{l.rates_error.message}</span>
                      ) : q ? (
                        formatMoney(q.price)
                      ) : (
                        "not offered"
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          </div>
          <div data-testid="batch-summary" role="status">
            <p className="summary-line">
              {toBuyCount} of {preview.lines.length} orders to buy
              {total != null && priced != null && priced > 0 ? ` · expected total ${formatMoney(total)}` : ""}
              {priced != null && priced < toBuyCount ? ` (${toBuyCount - priced} not priced for this service)` : ""}.
              {` Paid from ${preview.paid_from}`}
              {preview.balance != null ? ` (balance ${formatMoney(preview.balance)})` : ""}.
            </p>
            {toBuyCount > 0 && (
              <p
                className={preview.duration.allowance_wait_seconds > 0 ? "notice notice-warn" : "muted"}
                data-testid="batch-duration"
              >
                {preview.duration.message}
              </p>
            )}
            {balanceShort && (
              <p className="notice notice-warn" data-testid="balance-short">
                The postage balance of {preview.paid_from}, {formatMoney(preview.balance!)}, is less than this batch's{" "}
                {formatMoney(total!)}.{" "}
                <a href="#/settings/postage" data-action="buy-postage-first">
                  Buy postage first
                </a>
                , then get rates again.
              </p>
            )}
            {preview.using_fallback > 0 && setup.batch?.fallbackWeightOz && (
              <p className="muted" data-testid="uses-typed-weight">
                {preview.using_fallback === 1 ? "1 order has no weight of its own" : `${preview.using_fallback} orders have no weight of their own`}{" "}
                and will ship at the weight you typed, {formatWeightOz(setup.batch.fallbackWeightOz)}.
              </p>
            )}
            {preview.without_weight > 0 && (
              <p className="notice notice-warn" data-testid="without-weight">
                {preview.without_weight} {preview.without_weight === 1 ? "order has" : "orders have"} no weight and will not be bought. Type a
                weight for orders without one above (then get rates again), or add item weights to the{" "}
                {preview.without_weight === 1 ? "order" : "orders"}.
              </p>
            )}
          </div>
        </>
      )}
      {(stale || (!preview && !loading)) && (
        <button type="button" onClick={() => void load()} disabled={!batch || loading} data-action="get-rates">
          {stale ? "Package, date or orders changed — get rates again" : "Get rates"}
        </button>
      )}
      <div className="address-choice">
        <label className="check">
          <input type="checkbox" checked={asEntered} onChange={(e) => setAsEntered(e.target.checked)} data-testid="batch-as-entered" />
          Print addresses exactly as entered, without the USPS address check
        </label>
        <p className="muted">
          {asEntered
            ? "Every address prints as typed, even one USPS does not recognize."
            : "Each address is checked with USPS before its label, and USPS's standardized address (with its ZIP+4) is printed. An address USPS does not recognize is held back for you, not labelled."}
        </p>
      </div>
      {labelled.length > 0 && (
        <div className="notice notice-warn" role="alert" data-testid="already-labelled">
          <strong>
            {labelled.length} of these orders already {labelled.length === 1 ? "has" : "have"} a label ({labelled.map((o) => o.order_number).join(", ")}).
          </strong>
          <label className="check">
            <input type="checkbox" checked={includeLabelled} onChange={(e) => setIncludeLabelled(e.target.checked)} data-testid="confirm-another" />
            Buy another label for {labelled.length === 1 ? "it" : "them"} too
          </label>
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="primary" onClick={start} disabled={!ready} data-action="buy-batch">
          Buy {toBuyCount} label{toBuyCount === 1 ? "" : "s"}
          {ready && total != null && priced ? ` · ${formatMoney(total)}` : ""}
        </button>
      </div>
    </section>
  );
}
