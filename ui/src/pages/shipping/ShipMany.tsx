import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ipc, type AppError, type Order, type OrderRates, type PurchaseRequest, type RateChoice, type RateQuote } from "../../ipc";
import { useUspsErrors } from "../../connection/UspsConnection";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatMoney } from "../../format";
import { choiceKey } from "./RatesTable";
import { BatchRun } from "./BatchRun";
import type { ShipSetup } from "./ShipDialog";

type Service = { choice: RateChoice; name: string; total: number; priced: number };

/** The services offered across the orders, cheapest total first. */
function servicesOf(rows: OrderRates[]): Service[] {
  const map = new Map<string, Service>();
  for (const r of rows) {
    for (const q of r.rates?.quotes ?? []) {
      const k = choiceKey(q.choice);
      const s = map.get(k) ?? { choice: q.choice, name: q.product_name + (q.description ? ` — ${q.description}` : ""), total: 0, priced: 0 };
      s.total += Number(q.price ?? 0);
      s.priced += 1;
      map.set(k, s);
    }
  }
  return [...map.values()].sort((a, b) => b.priced - a.priced || a.total - b.total);
}

/**
 * The service preselected for every order: the one core recommends (`rates.recommended`) for
 * the most orders, the cheaper in total on a tie; none when core recommends none.
 */
function recommendedForAll(rows: OrderRates[]): string | null {
  const votes = new Map<string, number>();
  for (const r of rows) {
    if (r.rates?.recommended) {
      const k = choiceKey(r.rates.recommended);
      votes.set(k, (votes.get(k) ?? 0) + 1);
    }
  }
  const ranked = servicesOf(rows)
    .filter((s) => votes.has(choiceKey(s.choice)))
    .sort((a, b) => votes.get(choiceKey(b.choice))! - votes.get(choiceKey(a.choice))! || a.total - b.total);
  return ranked.length > 0 ? choiceKey(ranked[0].choice) : null;
}

function quoteFor(r: OrderRates, key: string | null): RateQuote | undefined {
  return r.rates?.quotes.find((q) => choiceKey(q.choice) === key);
}

/** Many orders: one service for all, rates per order, then a batch with progress and a report. */
export function ShipMany(props: { orders: Order[]; setup: ShipSetup; onBusy: (b: boolean) => void; onShipped: () => void; onCommitted: () => void }) {
  const { orders, setup } = props;
  const handleUsps = useUspsErrors();
  const [rows, setRows] = useState<OrderRates[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(false);
  const [service, setService] = useState<string | null>(null);
  const [includeLabelled, setIncludeLabelled] = useState(false);
  const [requests, setRequests] = useState<PurchaseRequest[] | null>(null);
  const labelled = orders.filter((o) => o.status === "shipped");

  const load = useCallback(async () => {
    if (!setup.package) return;
    setLoading(true);
    setError(null);
    try {
      const answer = await ipc.ratesForOrders(
        orders.map((o) => o.id),
        setup.package,
        setup.shipFromId,
      );
      setRows(answer);
      setService((cur) => cur ?? recommendedForAll(answer));
    } catch (e) {
      if (!handleUsps(e as AppError, () => void load())) setError(e as AppError);
    } finally {
      setLoading(false);
    }
  }, [orders, setup.package, setup.shipFromId, handleUsps]);

  const first = useRef(true);
  useEffect(() => {
    if (first.current && setup.package) {
      first.current = false;
      void load();
    }
  }, [load, setup.package]);

  const services = useMemo(() => servicesOf(rows ?? []), [rows]);
  const chosen = services.find((s) => choiceKey(s.choice) === service) ?? null;
  const toBuy = orders.filter((o) => includeLabelled || o.status !== "shipped");

  const start = () => {
    if (!chosen || !setup.package) return;
    props.onCommitted();
    setRequests(
      toBuy.map((o) => ({
        order_id: o.id,
        rate: chosen.choice,
        package: setup.package!,
        ship_from_id: setup.shipFromId ?? undefined,
        ship_date: setup.shipDate,
        ship_to: { choice: "as_entered" },
        ignore_bad_address: false,
        allow_additional_label: o.status === "shipped" && includeLabelled,
      })),
    );
  };

  if (requests) {
    return <BatchRun requests={requests} onBusy={props.onBusy} onFinished={props.onShipped} />;
  }

  return (
    <section className="ship-section" aria-labelledby="many-rates-title">
      <h3 id="many-rates-title">Service and rates</h3>
      {loading && <p className="muted">Getting rates for {orders.length} orders from USPS (identical requests are asked once)…</p>}
      {error && <ErrorNotice error={error} title="No rates" />}
      {rows && services.length > 0 && (
        <label className="field">
          <span>Service for every order</span>
          <select aria-label="Service for every order" value={service ?? ""} onChange={(e) => setService(e.target.value)} data-testid="batch-service">
            {service == null && (
              <option value="" disabled>
                Choose a service (none is a safe default for these packages)
              </option>
            )}
            {services.map((s) => (
              <option key={choiceKey(s.choice)} value={choiceKey(s.choice)}>
                {s.name} — {formatMoney(s.total.toFixed(2))} for {s.priced} of {rows.length}
              </option>
            ))}
          </select>
        </label>
      )}
      {rows && (
        <table className="dense" data-testid="batch-rates">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Ship to</th>
              <th scope="col">Zone</th>
              <th scope="col">Delivery</th>
              <th scope="col" className="num">Price</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const q = quoteFor(r, service);
              const o = orders.find((x) => x.id === r.order_id);
              return (
                <tr key={r.order_id}>
                  <td>{r.order_number}</td>
                  <td>{o ? `${o.ship_to.city}, ${o.ship_to.state} ${o.ship_to.zip5}` : ""}</td>
                  <td>{q?.zone ?? "—"}</td>
                  <td>{q?.delivery_days ?? "—"}</td>
                  <td className="num">{r.error ? <span className="flag">{r.error.message}</span> : q ? formatMoney(q.price) : "not offered"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {!rows && !loading && (
        <button type="button" onClick={() => void load()} disabled={!setup.package} data-action="get-rates">
          Get rates
        </button>
      )}
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
        <button type="button" className="primary" onClick={start} disabled={!chosen || !setup.package || toBuy.length === 0} data-action="buy-batch">
          Buy {toBuy.length} label{toBuy.length === 1 ? "" : "s"}
        </button>
      </div>
    </section>
  );
}
