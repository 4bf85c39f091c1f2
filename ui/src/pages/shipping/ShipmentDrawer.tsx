import { useState } from "react";
import { ipc, type AppError, type Shipment, type VoidOutcome } from "../../ipc";
import { useUspsErrors } from "../../connection/UspsConnection";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatDate, formatMoney, formatWeightOz, formatZone } from "../../format";
import { LabelPreviews } from "./LabelPreviews";
import { formatDay } from "./packageForm";
import { SHIPMENT_STATUS, isValidPostage, whyNotVoidable } from "./status";

function voidResult(o: VoidOutcome): string {
  if (o.shipment.status === "refund_requested" && o.shipment.dispute_id == null && o.usps_status !== "DISPUTED") {
    // A refund at the seller of the label (Endicia): its own words, credited to the balance later.
    return `${o.usps_status}. The postage comes back to the account's balance when it is credited.`;
  }
  return o.shipment.status === "refund_requested"
    ? `Refund requested — USPS dispute ${o.shipment.dispute_id ?? "(no id given)"}. USPS decides the refund; its state is kept here.`
    : "Canceled — the label was voided before USPS manifested it; you are not charged.";
}

/** One label: preview, Reprint / Save, Void with its result, tracking refresh. Esc closes. */
export function ShipmentDrawer(props: { shipment: Shipment; onClose: () => void; onChanged: (s: Shipment) => void }) {
  const { shipment: s } = props;
  const handleUsps = useUspsErrors();
  const [confirmVoid, setConfirmVoid] = useState(false);
  const [voiding, setVoiding] = useState(false);
  const [voided, setVoided] = useState<VoidOutcome | null>(null);
  const [tracking, setTracking] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const cannotVoid = whyNotVoidable(s);

  const doVoid = async () => {
    setVoiding(true);
    setError(null);
    try {
      const outcome = await ipc.voidLabel(s.id);
      setVoided(outcome);
      setConfirmVoid(false);
      props.onChanged(outcome.shipment);
    } catch (e) {
      if (!handleUsps(e as AppError, () => void doVoid())) setError(e as AppError);
      // A void that reached USPS without a recorded result stays open: show the label as such.
      ipc.shipment(s.id).then(props.onChanged, () => undefined);
    } finally {
      setVoiding(false);
    }
  };

  const refresh = async () => {
    setTracking(true);
    setError(null);
    try {
      const [updated] = await ipc.refreshTracking([s.id]);
      if (updated) props.onChanged(updated);
    } catch (e) {
      if (!handleUsps(e as AppError, () => void refresh())) setError(e as AppError);
    } finally {
      setTracking(false);
    }
  };

  return (
    <aside className="drawer" role="dialog" aria-labelledby="shipment-title" data-testid="shipment-drawer">
      <header className="drawer-header">
        <h2 id="shipment-title">Label {s.tracking_number}</h2>
        <button type="button" onClick={props.onClose} aria-label="Close label details">
          ✕
        </button>
      </header>
      <dl className="facts">
        <dt>Order</dt>
        <dd>{s.order_number}</dd>
        <dt>Service</dt>
        <dd>{s.service_name}</dd>
        <dt>Status</dt>
        <dd data-testid="shipment-status">
          {SHIPMENT_STATUS[s.status]}
          {s.dispute_id ? ` (dispute ${s.dispute_id})` : ""}
          {s.void_pending ? " — being voided" : ""}
        </dd>
        <dt>Postage</dt>
        <dd>{formatMoney(s.postage)}{s.sample ? " (SAMPLE, not charged)" : ""}</dd>
        <dt>Weight</dt>
        <dd>{formatWeightOz(s.weight_oz)}</dd>
        <dt>Zone</dt>
        <dd>{formatZone(s.zone)}</dd>
        <dt>Commitment</dt>
        <dd>{s.commitment ?? "—"}</dd>
        <dt>Mailing date</dt>
        <dd>{formatDay(s.mailing_date)}</dd>
        <dt>Ship to</dt>
        <dd className="address">
          {s.ship_to.name}, {s.ship_to.street1}
          {s.ship_to.street2 ? `, ${s.ship_to.street2}` : ""}, {s.ship_to.city} {s.ship_to.state} {s.ship_to.zip5}
          {s.address_choice === "standardized" ? " (USPS's suggestion)" : " (as entered)"}
        </dd>
        <dt>Printed</dt>
        <dd>{s.printed ? formatDate(s.printed_at) : "Not yet"}</dd>
        <dt>Tracking</dt>
        <dd>{s.tracking_status ?? "Not checked"}{s.tracking_checked_at ? ` · ${formatDate(s.tracking_checked_at)}` : ""}</dd>
      </dl>
      {s.void_pending && !voided && (
        <p className="notice notice-warn" role="status" data-testid="void-pending">
          A void of this label was sent but its result is not recorded yet. USPS may already have canceled it, so it is not printed or saved. Void it again to finish.
        </p>
      )}
      {isValidPostage(s) && <LabelPreviews shipments={[s]} onPrinted={() => ipc.shipment(s.id).then(props.onChanged, () => undefined)} />}
      {voided && (
        <p className="notice notice-warn" role="status" data-testid="void-result">
          {voidResult(voided)}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
      <div className="drawer-actions">
        <button type="button" onClick={() => void refresh()} disabled={tracking} data-action="refresh-tracking">
          {tracking ? "Asking USPS…" : "Refresh tracking"}
        </button>
        {!confirmVoid && (
          <button type="button" onClick={() => setConfirmVoid(true)} disabled={cannotVoid != null} data-action="void" aria-describedby={cannotVoid ? "why-not-void" : undefined}>
            {s.void_pending ? "Finish voiding" : "Void label"}
          </button>
        )}
      </div>
      {confirmVoid && (
        // Its own block under the actions: the question and a 22-digit tracking number do not fit
        // on one line with three buttons in the drawer's width.
        <div className="void-confirm" role="group" aria-labelledby="void-question" data-testid="void-confirm">
          <p id="void-question">
            Void the label <span className="tracking-number">{s.tracking_number}</span>?
          </p>
          <div className="void-confirm-actions">
            <button type="button" onClick={() => setConfirmVoid(false)} disabled={voiding}>
              Keep it
            </button>
            <button type="button" className="primary" onClick={() => void doVoid()} disabled={voiding} data-action="confirm-void">
              {voiding ? "Voiding…" : "Yes, void it"}
            </button>
          </div>
        </div>
      )}
      {cannotVoid && !voided && (
        <p className="muted" id="why-not-void" data-testid="why-not-void">
          {cannotVoid}
        </p>
      )}
    </aside>
  );
}
