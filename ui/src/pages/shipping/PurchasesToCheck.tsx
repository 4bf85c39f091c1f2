import { useEffect, useState } from "react";
import { ipc, type AppError, type DiscardOutcome, type Order, type PurchaseToCheck, type Shipment } from "../../ipc";
import { useUspsErrors } from "../../connection/UspsConnection";
import { ModalDialog } from "../../connection/ModalDialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatMoney } from "../../format";
import { OrderDrawer } from "../orders/OrderDrawer";
import { LabelPreviews } from "./LabelPreviews";
import { mailClassName, purchasesToCheckChanged, usePurchasesToCheck } from "./purchasesToCheck";

type Action = "check" | "discard";

function formatWhen(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** What went wrong with Check again or Discard, by core's error code. */
function failureTitle(action: Action, e: AppError): string {
  if (e.code === "NOT_FOUND") return "This purchase was settled meanwhile";
  if (e.code === "CONFLICT" && e.details?.kind === "purchase_in_flight") return "Being bought in another window";
  if (e.code === "PURCHASE_OUTCOME_UNKNOWN" || e.code === "USPS_UNAVAILABLE") {
    return action === "check"
      ? "USPS did not settle it this time; it stays here to check again later"
      : "USPS could not be asked to cancel it; nothing was changed";
  }
  return action === "check" ? "The purchase could not be checked" : "The purchase was not discarded";
}

/**
 * Shipments › Purchases to check: label purchases sent to USPS whose answer never reached
 * Shipdesk (or could not be stored), so USPS may have charged for a label nobody has. Each can
 * be checked again (re-sent with its own idempotency key: USPS returns the label it made, or
 * makes it, never a second charge) or discarded (USPS first cancels what the purchase made).
 * Shown only while there is something to check or an outcome to read.
 */
export function PurchasesToCheck({ onSettled }: { onSettled: () => void }) {
  const { items, error: loadError } = usePurchasesToCheck();
  const handleUsps = useUspsErrors();
  const [busy, setBusy] = useState<{ attemptId: number; action: Action } | null>(null);
  const [confirming, setConfirming] = useState<PurchaseToCheck | null>(null);
  const [recovered, setRecovered] = useState<Shipment | null>(null);
  const [discarded, setDiscarded] = useState<{ orderNumber: string; outcome: DiscardOutcome } | null>(null);
  const [failure, setFailure] = useState<{ orderNumber: string; action: Action; error: AppError } | null>(null);
  const [order, setOrder] = useState<Order | null>(null);
  const [orderError, setOrderError] = useState<AppError | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOrder(null);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const begin = (p: PurchaseToCheck, action: Action) => {
    setBusy({ attemptId: p.attempt_id, action });
    setRecovered(null);
    setDiscarded(null);
    setFailure(null);
  };

  const failed = (p: PurchaseToCheck, action: Action, error: AppError, retry: () => void) => {
    if (!handleUsps(error, retry)) setFailure({ orderNumber: p.order_number, action, error });
    // Its last error, or that it was settled or taken up elsewhere, shows in the list.
    purchasesToCheckChanged();
    if (error.code === "NOT_FOUND") onSettled();
  };

  const checkAgain = async (p: PurchaseToCheck) => {
    begin(p, "check");
    try {
      setRecovered(await ipc.checkPurchaseAgain(p.attempt_id));
      purchasesToCheckChanged();
      onSettled();
    } catch (e) {
      failed(p, "check", e as AppError, () => void checkAgain(p));
    } finally {
      setBusy(null);
    }
  };

  const discard = async (p: PurchaseToCheck) => {
    setConfirming(null);
    begin(p, "discard");
    try {
      setDiscarded({ orderNumber: p.order_number, outcome: await ipc.discardPurchase(p.attempt_id) });
      purchasesToCheckChanged();
      onSettled();
    } catch (e) {
      failed(p, "discard", e as AppError, () => void discard(p));
    } finally {
      setBusy(null);
    }
  };

  const openOrder = async (orderId: number) => {
    try {
      setOrder(await ipc.ordersGet(orderId));
      setOrderError(null);
    } catch (e) {
      setOrderError(e as AppError);
    }
  };

  const list = items ?? [];
  if (list.length === 0 && !recovered && !discarded && !failure && !loadError) return null;

  return (
    <section className="ship-section" aria-labelledby="to-check-title" data-testid="purchases-to-check">
      <h3 id="to-check-title">
        Purchases to check{" "}
        {list.length > 0 && (
          <span className="count-badge" data-testid="purchases-to-check-count">
            {list.length}
          </span>
        )}
      </h3>
      {loadError && <ErrorNotice error={loadError} title="Purchases to check could not be loaded" />}
      {list.length > 0 && (
        <>
          <p className="muted">
            Shipdesk sent these label purchases to USPS but never got (or could not store) the answer, so USPS may have
            charged for a label you do not have. <strong>Check again</strong> asks USPS for the label this purchase made —
            or makes it now — without charging twice. <strong>Discard</strong> cancels at USPS whatever label it made, so
            you can buy the order differently.
          </p>
          <div className="table-scroll to-check">
            <table className="dense" data-testid="purchases-to-check-table">
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Account</th>
                  <th scope="col">Service</th>
                  <th scope="col">Sent</th>
                  <th scope="col" className="num">Tries</th>
                  <th scope="col">What USPS last said</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((p) => {
                  const mine = busy?.attemptId === p.attempt_id;
                  const disabled = p.in_progress || busy != null;
                  return (
                    <tr key={p.attempt_id} data-attempt={p.attempt_id} data-order={p.order_number}>
                      <td>
                        <button type="button" className="link" onClick={() => void openOrder(p.order_id)} aria-label={`Open order ${p.order_number}`}>
                          {p.order_number}
                        </button>
                      </td>
                      <td>{p.account_name}</td>
                      <td>{mailClassName(p.mail_class)}</td>
                      <td>{p.sent_at ? formatWhen(p.sent_at) : "Never sent"}</td>
                      <td className="num">{p.sends}</td>
                      <td className="service">{p.last_error ?? "No answer"}</td>
                      <td>
                        <span className="row-actions">
                          {p.in_progress && (
                            <span className="status-chip" data-testid="in-progress" id={`in-progress-${p.attempt_id}`}>
                              Being bought in another window
                            </span>
                          )}
                          <button
                            type="button"
                            onClick={() => void checkAgain(p)}
                            disabled={disabled}
                            aria-busy={mine && busy?.action === "check"}
                            aria-describedby={p.in_progress ? `in-progress-${p.attempt_id}` : undefined}
                            data-action="check-again"
                          >
                            {mine && busy?.action === "check" ? "Checking with USPS…" : "Check again"}
                          </button>
                          <button
                            type="button"
                            onClick={() => setConfirming(p)}
                            disabled={disabled}
                            aria-busy={mine && busy?.action === "discard"}
                            aria-describedby={p.in_progress ? `in-progress-${p.attempt_id}` : undefined}
                            data-action="discard"
                          >
                            {mine && busy?.action === "discard" ? "Discarding…" : "Discard"}
                          </button>
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {failure && <ErrorNotice error={failure.error} title={`Order ${failure.orderNumber}: ${failureTitle(failure.action, failure.error)}`} />}
      {orderError && <ErrorNotice error={orderError} title="The order could not be opened" />}
      {discarded && (
        <p className="notice notice-warn" role="status" data-testid="discard-result">
          Purchase for order {discarded.orderNumber} discarded: {discarded.outcome.message}. The order can be bought again.
        </p>
      )}
      {recovered && (
        <>
          <p role="status" data-testid="recovered">
            Label recovered for order {recovered.order_number}: {recovered.service_name}, tracking {recovered.tracking_number},{" "}
            {formatMoney(recovered.postage)}.
          </p>
          <LabelPreviews shipments={[recovered]} />
        </>
      )}
      {confirming && <ConfirmDiscard purchase={confirming} onDiscard={() => void discard(confirming)} onKeep={() => setConfirming(null)} />}
      {order && <OrderDrawer order={order} onClose={() => setOrder(null)} onSaved={setOrder} />}
    </section>
  );
}

function ConfirmDiscard(props: { purchase: PurchaseToCheck; onDiscard: () => void; onKeep: () => void }) {
  const p = props.purchase;
  return (
    <ModalDialog titleId="discard-title" describedBy="discard-explained" onEscape={props.onKeep} testId="confirm-discard">
      <h2 id="discard-title">Discard the purchase for order {p.order_number}?</h2>
      <div id="discard-explained">
        {p.sends > 0 ? (
          <p>
            Shipdesk first asks USPS to cancel whatever label this purchase made (a refund is requested if USPS has
            already put it on a manifest), so nothing stays charged. Then the purchase is closed and the order can be
            bought again. If USPS cannot be reached, nothing changes.
          </p>
        ) : (
          <p>This purchase never reached USPS, so nothing was charged. Discarding closes it; the order can be bought again.</p>
        )}
      </div>
      <div className="form-actions">
        <button type="button" onClick={props.onKeep} data-action="keep-purchase">
          Keep it
        </button>
        <button type="button" className="primary" onClick={props.onDiscard} data-action="confirm-discard">
          Yes, discard it
        </button>
      </div>
    </ModalDialog>
  );
}
