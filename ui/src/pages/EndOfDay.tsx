import { useCallback, useEffect, useState } from "react";
import type { Route } from "../routes";
import { ipc, type AppError, type ScanFormRecord, type ShipFromAddress, type Shipment } from "../ipc";
import { useUspsErrors } from "../connection/UspsConnection";
import { EmptyState } from "../components/EmptyState";
import { ErrorNotice } from "../components/ErrorNotice";
import { formatMoney } from "../format";
import { formatDay, localToday } from "./shipping/packageForm";
import { PickupPanel } from "./shipping/PickupPanel";
import "./shipping/shipping.css";

function FormActions({ form }: { form: ScanFormRecord }) {
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const run = async (work: () => Promise<string | null>) => {
    try {
      const done = await work();
      if (done) setStatus(done);
      setError(null);
    } catch (e) {
      setError(e as AppError);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void run(async () => (await ipc.printScanForm(form.id), "Sent to the printer"))} data-action="print-scan-form">
        Print
      </button>{" "}
      <button
        type="button"
        onClick={() => void run(async () => {
          const path = await ipc.saveScanFormPdf(form.id, `scan-form-${form.mailing_date}-${form.manifest_number}.pdf`);
          return path && `Saved ${path}`;
        })}
        data-action="save-scan-form"
      >
        Save as PDF
      </button>
      {status && <span className="muted" role="status"> {status}</span>}
      {error && <ErrorNotice error={error} />}
    </>
  );
}

/** Today's labels not yet on a SCAN form (per ship-from), Create SCAN form, history, pickup. */
export function EndOfDayPage({ go }: { go: (r: Route) => void }) {
  const handleUsps = useUspsErrors();
  const [pending, setPending] = useState<Shipment[] | null>(null);
  const [forms, setForms] = useState<ScanFormRecord[]>([]);
  const [addresses, setAddresses] = useState<ShipFromAddress[]>([]);
  const [created, setCreated] = useState<ScanFormRecord[] | null>(null);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const today = localToday();

  const load = useCallback(() => {
    ipc.shipments({ mailing_date: today, status: "label_created", limit: 1000 }).then(
      (list) => setPending(list.filter((s) => s.scan_form_id == null)),
      (e: AppError) => setError(e),
    );
    ipc.scanForms().then(setForms, (e: AppError) => setError(e));
    ipc.shipFromList().then(setAddresses, (e: AppError) => setError(e));
  }, [today]);
  useEffect(load, [load]);

  const create = async () => {
    setCreating(true);
    setError(null);
    try {
      setCreated(await ipc.createScanForms(today));
      load();
    } catch (e) {
      if (!handleUsps(e as AppError, () => void create())) setError(e as AppError);
    } finally {
      setCreating(false);
    }
  };

  const groups = new Map<number | null, Shipment[]>();
  for (const s of pending ?? []) groups.set(s.ship_from_id, [...(groups.get(s.ship_from_id) ?? []), s]);
  const nameOf = (id: number | null) => addresses.find((a) => a.id === id)?.nickname ?? "Unknown address";

  return (
    <section aria-labelledby="eod-title" data-page="end-of-day">
      <header className="page-header">
        <h1 id="eod-title">End of Day</h1>
        <button type="button" className="primary" onClick={() => void create()} disabled={creating || !pending || pending.length === 0} data-action="create-scan-form">
          {creating ? "Asking USPS for the SCAN form…" : "Create SCAN form"}
        </button>
      </header>
      {error && <ErrorNotice error={error} />}
      {created && (
        <div className="notice notice-warn" role="status" data-testid="scan-form-created">
          {created.map((f) => (
            <p key={f.id}>
              SCAN form {f.manifest_number} for {nameOf(f.ship_from_id)}: {f.label_count} label{f.label_count === 1 ? "" : "s"}. Print it and
              hand it to the carrier with the packages. <FormActions form={f} />
            </p>
          ))}
        </div>
      )}
      {pending && pending.length === 0 && !created ? (
        <EmptyState title="Nothing to close out today">
          <p>
            When today's labels are printed, create the SCAN form (PS Form 5630) here so the carrier scans one barcode instead of
            every package, and schedule a pickup if you need one.
          </p>
          <button type="button" onClick={() => go("orders")}>
            Go to Orders to ship
          </button>
        </EmptyState>
      ) : (
        [...groups.entries()].map(([id, list]) => (
          <div className="eod-group" key={id ?? "none"} data-testid="eod-group">
            <h2>
              {nameOf(id)}: {list.length} label{list.length === 1 ? "" : "s"} not on a SCAN form
            </h2>
            <table className="dense">
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Service</th>
                  <th scope="col">Tracking number</th>
                  <th scope="col" className="num">Postage</th>
                  <th scope="col">Printed</th>
                </tr>
              </thead>
              <tbody>
                {list.map((s) => (
                  <tr key={s.id} data-shipment={s.tracking_number}>
                    <td>{s.order_number}</td>
                    <td>{s.service_name}</td>
                    <td>{s.tracking_number}</td>
                    <td className="num">{formatMoney(s.postage)}</td>
                    <td>{s.printed ? "Printed" : "Not printed"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))
      )}
      {addresses.length > 0 && <PickupPanel addresses={addresses} />}
      <h2>Past SCAN forms</h2>
      {forms.length === 0 ? (
        <p className="muted">No SCAN forms yet.</p>
      ) : (
        <table className="dense" data-testid="scan-forms">
          <thead>
            <tr>
              <th scope="col">Mailing date</th>
              <th scope="col">From</th>
              <th scope="col">Form number</th>
              <th scope="col" className="num">Labels</th>
              <th scope="col"><span className="visually-hidden">Print or save</span></th>
            </tr>
          </thead>
          <tbody>
            {forms.map((f) => (
              <tr key={f.id} data-scan-form={f.manifest_number}>
                <td>{formatDay(f.mailing_date)}</td>
                <td>{nameOf(f.ship_from_id)}</td>
                <td>{f.manifest_number}</td>
                <td className="num">{f.label_count}</td>
                <td>
                  <FormActions form={f} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
