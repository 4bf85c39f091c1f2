import { useCallback, useEffect, useState } from "react";
import type { Route } from "../routes";
import { ipc, type AppError, type Shipment, type ShipmentStatus } from "../ipc";
import { EmptyState } from "../components/EmptyState";
import { ErrorNotice } from "../components/ErrorNotice";
import { formatDate, formatMoney } from "../format";
import { ShipmentDrawer } from "./shipping/ShipmentDrawer";
import { PurchasesToCheck } from "./shipping/PurchasesToCheck";
import { SHIPMENT_STATUS } from "./shipping/status";
import "./shipping/shipping.css";

/** Every label: order, service, tracking number, postage, status, printed; details in a drawer.
 * Above them, purchases whose outcome USPS never settled, to check again or discard. */
export function ShipmentsPage({ go }: { go: (r: Route) => void }) {
  const [rows, setRows] = useState<Shipment[] | null>(null);
  const [status, setStatus] = useState<ShipmentStatus | "">("");
  const [search, setSearch] = useState("");
  const [searched, setSearched] = useState("");
  const [error, setError] = useState<AppError | null>(null);
  const [open, setOpen] = useState<Shipment | null>(null);

  useEffect(() => {
    const t = setTimeout(() => setSearched(search.trim()), 150);
    return () => clearTimeout(t);
  }, [search]);

  const load = useCallback(() => {
    ipc.shipments({ status: status || undefined, search: searched || undefined, limit: 1000 }).then(
      (list) => {
        setRows(list);
        setError(null);
      },
      (e: AppError) => setError(e),
    );
  }, [status, searched]);
  useEffect(load, [load]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(null);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const changed = (s: Shipment) => {
    setOpen(s);
    setRows((list) => list?.map((x) => (x.id === s.id ? s : x)) ?? null);
  };

  return (
    <section aria-labelledby="shipments-title" data-page="shipments" className="page-fill">
      <header className="page-header">
        <h1 id="shipments-title">Shipments</h1>
        <input
          type="search"
          className="search"
          placeholder="Tracking number, order or recipient"
          aria-label="Search labels"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="shipments-search"
        />
        <label>
          Status{" "}
          <select value={status} onChange={(e) => setStatus(e.target.value as ShipmentStatus | "")} aria-label="Filter by label status">
            <option value="">Any</option>
            {Object.entries(SHIPMENT_STATUS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <span className="muted" aria-live="polite" data-testid="shipments-count">
          {rows == null ? "Loading…" : `${rows.length} label${rows.length === 1 ? "" : "s"}`}
        </span>
      </header>
      <PurchasesToCheck onSettled={load} />
      {error && <ErrorNotice error={error} title="Labels could not be loaded" />}
      {rows && rows.length === 0 && !status && !searched ? (
        <EmptyState title="No labels yet">
          <p>Labels you buy appear here with their tracking number, postage and status.</p>
          <button type="button" onClick={() => go("orders")}>
            Go to Orders to ship
          </button>
        </EmptyState>
      ) : rows && rows.length === 0 ? (
        <EmptyState title={searched ? "No labels match" : "No labels with this status"} />
      ) : (
        rows && (
          <div className="table-scroll">
            <table className="dense" data-testid="shipments-table">
              <thead>
                <tr>
                  <th scope="col">Created</th>
                  <th scope="col">Order</th>
                  <th scope="col">Recipient</th>
                  <th scope="col">Service</th>
                  <th scope="col">Tracking number</th>
                  <th scope="col" className="num">Postage</th>
                  <th scope="col">Status</th>
                  <th scope="col">Printed</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <tr
                    key={s.id}
                    className="clickable"
                    tabIndex={0}
                    aria-selected={open?.id === s.id}
                    onClick={() => setOpen(s)}
                    onKeyDown={(e) => e.key === "Enter" && setOpen(s)}
                    data-shipment={s.tracking_number}
                    data-order={s.order_number}
                  >
                    <td>{formatDate(s.created_at)}</td>
                    <td>{s.order_number}</td>
                    <td>
                      {s.ship_to.name}
                      <span className="muted"> · {[s.ship_to.city, s.ship_to.state].filter(Boolean).join(", ")}</span>
                    </td>
                    <td>{s.service_name}</td>
                    <td>{s.tracking_number}</td>
                    <td className="num">{formatMoney(s.postage)}</td>
                    <td>
                      <span className="status-chip" data-status={s.status}>
                        {SHIPMENT_STATUS[s.status]}
                        {s.void_pending ? " — being voided" : ""}
                      </span>
                    </td>
                    <td>{s.printed ? "Printed" : "Not printed"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      )}
      {open && <ShipmentDrawer key={open.id} shipment={open} onClose={() => setOpen(null)} onChanged={changed} />}
    </section>
  );
}
