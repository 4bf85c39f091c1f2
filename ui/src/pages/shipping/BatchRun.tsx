import { useEffect, useRef, useState } from "react";
import { events, ipc, type AppError, type BatchFailure, type BatchHold, type BatchInput, type BatchProgress, type BatchReport } from "../../ipc";
import { useUspsErrors } from "../../connection/UspsConnection";
import { ErrorNotice } from "../../components/ErrorNotice";
import { LabelPreviews } from "./LabelPreviews";

function FailureList({ title, items, hint }: { title: string; items: BatchFailure[]; hint: string }) {
  if (items.length === 0) return null;
  return (
    <div>
      <h4>
        {title} ({items.length})
      </h4>
      <p className="muted">{hint}</p>
      <ul>
        {items.map((f) => (
          <li key={f.order_id} data-order={f.order_number ?? f.order_id} data-error-code={f.error.code}>
            <strong>{f.order_number ?? `order ${f.order_id}`}</strong>: {f.error.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Refused because another Shipdesk window or the `shipdesk` command labelled the order (or is
 * buying its label right now) — during this batch or since the list was read. Nothing to fix and
 * nothing to retry: the label exists, in Shipments.
 */
function labelledElsewhere(f: BatchFailure): boolean {
  const kind = f.error.details?.kind;
  return f.error.code === "CONFLICT" && (kind === "already_shipped" || kind === "purchase_in_flight");
}

function LabelledElsewhereList({ items }: { items: BatchFailure[] }) {
  if (items.length === 0) return null;
  return (
    <div data-testid="labelled-elsewhere">
      <h4>Already labelled elsewhere ({items.length})</h4>
      <p className="muted">
        Bought outside this batch, by another Shipdesk window or the shipdesk command. Not bought again and not charged here; the labels
        are in Shipments.
      </p>
      <ul>
        {items.map((f) => {
          const details = f.error.details;
          const what =
            details?.kind === "already_shipped"
              ? details.tracking_number
                ? `has label ${details.tracking_number}`
                : "is already marked shipped"
              : "was being bought elsewhere when this batch reached it; its label shows in Shipments once bought";
          return (
            <li key={f.order_id} data-order={f.order_number ?? f.order_id} data-error-code={f.error.code}>
              <strong>{f.order_number ?? `order ${f.order_id}`}</strong>: {what}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Orders held back before anything was sent: no weight, or an address USPS does not recognize. */
function HeldList({ items, onBuyAsEntered }: { items: BatchHold[]; onBuyAsEntered: (orderIds: number[]) => void }) {
  if (items.length === 0) return null;
  const addresses = items.filter((h) => h.reason === "address_not_recognized");
  return (
    <div data-testid="needs-attention">
      <h4>Needs attention ({items.length})</h4>
      <p className="muted">Not bought and not charged. Fix these orders, then retry.</p>
      <ul>
        {items.map((h) => (
          <li key={h.order_id} data-order={h.order_number} data-reason={h.reason}>
            <strong>{h.order_number}</strong>: {h.message}
          </li>
        ))}
      </ul>
      {addresses.length > 0 && (
        <button type="button" onClick={() => onBuyAsEntered(addresses.map((h) => h.order_id))} data-action="buy-as-entered">
          Buy {addresses.length === 1 ? "it" : `these ${addresses.length}`} with the address as entered
        </button>
      )}
    </div>
  );
}

/** A running batch ("12 of 40", Cancel), then its report with "Retry failed" and the labels. */
export function BatchRun(props: { input: BatchInput; onBusy: (b: boolean) => void; onFinished: () => void }) {
  const handleUsps = useUspsErrors();
  const [progress, setProgress] = useState<BatchProgress | null>(null);
  const [report, setReport] = useState<BatchReport | null>(null);
  const [running, setRunning] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [bought, setBought] = useState<BatchReport["bought"]>([]);
  const started = useRef(false);

  const run = async (work: () => Promise<BatchReport>) => {
    setRunning(true);
    setCancelling(false);
    setError(null);
    props.onBusy(true);
    const unlisten = await events.onBatchProgress(setProgress);
    try {
      const r = await work();
      setReport(r);
      setBought((prev) => [...prev, ...r.bought]);
      if (r.stopped_because) handleUsps(r.stopped_because, () => void retry(r));
      props.onFinished();
    } catch (e) {
      setError(e as AppError);
    } finally {
      unlisten();
      setRunning(false);
      props.onBusy(false);
    }
  };
  // Orders labelled elsewhere are not retried: they have their label.
  const retry = (previous: BatchReport) =>
    run(() => ipc.retryBatch({ ...previous, validation_problems: previous.validation_problems.filter((f) => !labelledElsewhere(f)) }));
  const buyAsEntered = (previous: BatchReport, orderIds: number[]) =>
    run(() => ipc.buyBatch({ ...previous.input, order_ids: orderIds, addresses: "as_entered" }));

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void run(() => ipc.buyBatch(props.input));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const cancel = () => {
    setCancelling(true);
    ipc.cancelBatch().catch((e: AppError) => setError(e));
  };

  const elsewhere = report ? report.validation_problems.filter(labelledElsewhere) : [];
  const problems = report ? report.validation_problems.filter((f) => !labelledElsewhere(f)) : [];
  const failed = report
    ? report.needs_attention.length +
      problems.length +
      report.usps_rejections.length +
      report.connection_problems.length +
      report.not_started.length
    : 0;

  return (
    <section className="ship-section" aria-labelledby="batch-title" data-testid="batch">
      <h3 id="batch-title">Buying labels</h3>
      {running && (
        <div aria-live="polite">
          <p data-testid="batch-progress-text">
            {progress ? progress.message : `Starting ${props.input.order_ids.length} purchases…`}
            {progress?.waiting_for_quota_secs ? ` — USPS asked us to wait ${progress.waiting_for_quota_secs} s (hourly quota)` : ""}
            {cancelling ? " — cancelling: purchases already sent are finishing" : ""}
          </p>
          <progress max={progress?.total ?? props.input.order_ids.length} value={progress?.done ?? 0} aria-label="Labels bought so far" />
          <div className="form-actions">
            <button type="button" onClick={cancel} disabled={cancelling} data-action="cancel-batch">
              Cancel
            </button>
          </div>
        </div>
      )}
      {error && <ErrorNotice error={error} title="The batch did not run" />}
      {report && !running && (
        <div className="batch-report" data-testid="batch-report">
          <p className="summary-line" role="status">
            {report.bought.length} of {report.total} labels bought{report.cancelled ? " — cancelled" : ""}
            {failed > 0 ? `, ${failed} not bought` : ""}
            {elsewhere.length > 0 ? `, ${elsewhere.length} already labelled elsewhere` : ""}.
          </p>
          {report.stopped_because && <ErrorNotice error={report.stopped_because} title="The batch stopped early" />}
          <HeldList items={report.needs_attention} onBuyAsEntered={(ids) => void buyAsEntered(report, ids)} />
          <LabelledElsewhereList items={elsewhere} />
          <FailureList title="Validation problems" items={problems} hint="Fix these orders (address, weight, service), then retry." />
          <FailureList title="USPS rejections" items={report.usps_rejections} hint="USPS refused the request's content; change the order or package." />
          <FailureList title="Connection problems" items={report.connection_problems} hint="Nothing was charged twice; retrying reuses the same purchase." />
          {report.not_started.length > 0 && <p>{report.not_started.length} not started.</p>}
          {failed > 0 && (
            <button type="button" className="primary" onClick={() => void retry(report)} data-action="retry-failed">
              Retry failed ({failed})
            </button>
          )}
        </div>
      )}
      {bought.length > 0 && !running && <LabelPreviews shipments={bought} />}
    </section>
  );
}
