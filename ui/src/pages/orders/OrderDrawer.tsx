import { useEffect, useRef, useState } from "react";
import { ipc, type Order } from "../../ipc";
import { INTERNATIONAL_NOTE, STATUS_LABELS, countryName, formatDate, formatMoney, formatWeightOz, isInternational } from "../../format";
import { OrderForm, orderToInput } from "./OrderForm";

/**
 * Details of one order beside the table, instead of a page hop; Esc closes it. Focus moves into
 * the drawer when it opens and back to where it was when it closes; a save says so.
 */
export function OrderDrawer({
  order,
  onClose,
  onSaved,
  onShip,
  notice,
}: {
  order: Order;
  onClose: () => void;
  onSaved: (o: Order) => void;
  onShip?: () => void;
  /** Shown once at the top (e.g. "Order #1001 saved" after New order). */
  notice?: string | null;
}) {
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(notice ?? null);
  const box = useRef<HTMLElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    box.current?.focus();
    return () => {
      if (before?.isConnected) before.focus();
    };
  }, []);
  useEffect(() => {
    if (!saved) return;
    const t = setTimeout(() => setSaved(null), 6000);
    return () => clearTimeout(t);
  }, [saved]);
  const a = order.ship_to;
  const international = isInternational(a);
  return (
    <aside ref={box} className="drawer" role="dialog" aria-labelledby="drawer-title" tabIndex={-1} data-testid="order-drawer">
      <header className="drawer-header">
        <h2 id="drawer-title">Order {order.order_number}</h2>
        <button type="button" onClick={onClose} aria-label="Close details">
          ✕
        </button>
      </header>
      <p role="status" className={saved ? "notice notice-ok" : "visually-hidden"} data-testid="order-saved">
        {saved}
      </p>
      {editing ? (
        <OrderForm
          initial={orderToInput(order)}
          onCancel={() => setEditing(false)}
          onSave={async (input) => {
            const updated = await ipc.ordersUpdate(order.id, input);
            setEditing(false);
            setSaved(`Changes to order ${updated.order_number} saved.`);
            onSaved(updated);
          }}
        />
      ) : (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd>{STATUS_LABELS[order.status] ?? order.status}</dd>
            <dt>Ordered</dt>
            <dd>{formatDate(order.ordered_at ?? order.created_at)}</dd>
            <dt>Source</dt>
            <dd>
              {order.source.kind}
              {order.source.source_id ? ` (${order.source.source_id})` : ""}
            </dd>
            <dt>Ship to</dt>
            <dd className="address" data-testid="drawer-address">
              {a.name}
              {a.company && <br />}
              {a.company}
              <br />
              {a.street1}
              {a.street2 && <br />}
              {a.street2}
              <br />
              {[a.city, [a.state, a.zip5 + (a.zip4 ? `-${a.zip4}` : "")].filter((p) => p.trim() !== "").join(" ")].filter((p) => p.trim() !== "").join(", ")}
              <br />
              {international ? countryName(a.country) : a.country}
            </dd>
            {international && (
              <>
                <dt>Shipping</dt>
                <dd className="notice" data-testid="international-mark">
                  {INTERNATIONAL_NOTE}: Ship opens the customs declaration for this order to {countryName(a.country)}, filled in from its items
                  and what earlier labels of the same products said.
                </dd>
              </>
            )}
            {a.phone && (
              <>
                <dt>Phone</dt>
                <dd>{a.phone}</dd>
              </>
            )}
            {a.email && (
              <>
                <dt>Email</dt>
                <dd>{a.email}</dd>
              </>
            )}
            {order.tags.length > 0 && (
              <>
                <dt>Tags</dt>
                <dd>{order.tags.join(", ")}</dd>
              </>
            )}
            {order.notes && (
              <>
                <dt>Notes</dt>
                <dd>{order.notes}</dd>
              </>
            )}
            {order.archived && (
              <>
                <dt>Archived</dt>
                <dd>Yes</dd>
              </>
            )}
          </dl>
          <table className="items">
            <thead>
              <tr>
                <th>SKU</th>
                <th>Item</th>
                <th className="num">Qty</th>
                <th className="num">Price</th>
                <th className="num">Weight</th>
              </tr>
            </thead>
            <tbody>
              {order.items.length === 0 && (
                <tr>
                  <td colSpan={5} className="empty">
                    No items (nothing to list on a packing slip)
                  </td>
                </tr>
              )}
              {order.items.map((it, i) => (
                <tr key={i}>
                  <td>{it.sku ?? "—"}</td>
                  <td>{it.title}</td>
                  <td className="num">{it.quantity}</td>
                  <td className="num">{formatMoney(it.unit_price)}</td>
                  <td className="num">{formatWeightOz(it.weight_oz)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="drawer-actions">
            <button type="button" onClick={() => setEditing(true)} disabled={order.status === "shipped"}>
              Edit
            </button>
            {onShip && (
              <button
                type="button"
                className="primary"
                onClick={onShip}
                disabled={order.status === "cancelled"}
                title={international ? INTERNATIONAL_NOTE : undefined}
                data-action="ship-order"
              >
                Ship
              </button>
            )}
          </div>
        </>
      )}
    </aside>
  );
}
