import { useEffect, useRef, useState } from "react";
import { ipc, type AppError, type LabelLayout, type LabelPreview, type Shipment } from "../../ipc";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatMoney } from "../../format";

function previewSrc(p: LabelPreview): string {
  return p.kind === "svg" ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(p.svg)}` : `data:image/png;base64,${p.base64}`;
}

/** One label as an image (the webview cannot show a PDF), loaded from core. When Shipdesk has no
 * copy of a USPS label's document, it offers to download it from USPS again. */
export function LabelImage({ shipment }: { shipment: Shipment }) {
  const [preview, setPreview] = useState<LabelPreview | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [downloading, setDownloading] = useState(false);
  useEffect(() => {
    let live = true;
    ipc.labelPreview(shipment.id).then(
      (p) => {
        if (!live) return;
        setPreview(p);
        setError(null);
      },
      (e: AppError) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [shipment.id, attempt]);
  const downloadAgain = async () => {
    setDownloading(true);
    try {
      await ipc.labelDownloadAgain(shipment.id);
      setAttempt((n) => n + 1);
    } catch (e) {
      setError(e as AppError);
    } finally {
      setDownloading(false);
    }
  };
  const missing = error?.code === "NOT_FOUND";
  return (
    <figure data-testid="label-preview" data-tracking={shipment.tracking_number}>
      {error ? (
        <>
          <ErrorNotice error={error} title="No preview" />
          {missing && (
            <button type="button" onClick={downloadAgain} disabled={downloading} data-action="download-label-again">
              {downloading ? "Downloading from USPS…" : "Download the label from USPS again"}
            </button>
          )}
        </>
      ) : preview ? (
        <img src={previewSrc(preview)} alt={`Label for order ${shipment.order_number}, tracking ${shipment.tracking_number}`} />
      ) : (
        // The same box as the image to come, so the buttons below do not jump when it arrives.
        <p className="muted label-preview-pending">Drawing the label preview…</p>
      )}
      <figcaption>
        {shipment.order_number} · {shipment.service_name} · {formatMoney(shipment.postage)}
        <br />
        <span data-testid="tracking-number">{shipment.tracking_number}</span>
        {shipment.sample ? " · SAMPLE" : ""}
      </figcaption>
    </figure>
  );
}

function pairs<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += 2) out.push(list.slice(i, i + 2));
  return out;
}

/**
 * Previews of freshly bought (or reprinted) labels with Print and Save as PDF in the remembered
 * format. Ctrl+P prints them while this is on screen.
 */
export function LabelPreviews({ shipments, onPrinted }: { shipments: Shipment[]; onPrinted?: () => void }) {
  const [layout, setLayout] = useState<LabelLayout | null>(null);
  const [busy, setBusy] = useState<"print" | "save" | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const ids = shipments.map((s) => s.id);

  useEffect(() => {
    ipc.labelLayout().then(setLayout, () => setLayout("4x6"));
  }, []);

  const print = async () => {
    if (busy != null) return;
    setBusy("print");
    try {
      const jobs = await ipc.printLabels(ids, layout);
      setDone(`Sent to the printer (${jobs} job${jobs === 1 ? "" : "s"})`);
      setError(null);
      onPrinted?.();
    } catch (e) {
      setError(e as AppError);
    } finally {
      setBusy(null);
    }
  };
  const printRef = useRef(print);
  printRef.current = print;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "p") {
        e.preventDefault();
        void printRef.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const save = async () => {
    setBusy("save");
    try {
      const name = shipments.length === 1 ? `label-${shipments[0].tracking_number}.pdf` : `labels-${shipments.length}.pdf`;
      const written = await ipc.saveLabelsPdf(ids, layout, name);
      if (written) setDone(`Saved ${written.join(", ")}`);
      setError(null);
    } catch (e) {
      setError(e as AppError);
    } finally {
      setBusy(null);
    }
  };

  const orderIds = [...new Set(shipments.map((s) => s.order_id))];
  const slips = async (how: "print" | "save") => {
    setBusy(how);
    try {
      const from = shipments[0]?.ship_from_id ?? null;
      if (how === "print") {
        await ipc.printPackingSlips(orderIds, from);
        setDone("Packing slips sent to the printer");
      } else {
        const path = await ipc.savePackingSlipsPdf(orderIds, from, `packing-slips-${orderIds.length}.pdf`);
        if (path) setDone(`Saved ${path}`);
      }
      setError(null);
    } catch (e) {
      setError(e as AppError);
    } finally {
      setBusy(null);
    }
  };

  const changeLayout = (l: LabelLayout) => {
    setLayout(l);
    ipc.setLabelLayout(l).catch((e: AppError) => setError(e));
  };

  // Right after a purchase the next thing to do is print: focus goes there (not to the page
  // body, where Escape and the shortcuts stop reaching the dialog). While a document is being
  // printed or saved the buttons say so with aria-disabled, keeping the focus where it is.
  const printButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    printButton.current?.focus();
  }, []);
  const unlessBusy = (run: () => void) => () => {
    if (busy == null) run();
  };

  return (
    <section className="ship-section" aria-label="Label preview" data-testid="label-previews">
      {layout === "letter" ? (
        // As printed on Letter paper: two labels side by side at the top of each sheet.
        <div className="label-preview" data-layout="letter">
          {pairs(shipments).map((pair) => (
            <div className="letter-page" key={pair[0].id} data-testid="letter-page" aria-label="Letter sheet">
              {pair.map((s) => (
                <LabelImage key={s.id} shipment={s} />
              ))}
            </div>
          ))}
        </div>
      ) : (
        <div className="label-preview" data-layout="4x6">
          {shipments.map((s) => (
            <LabelImage key={s.id} shipment={s} />
          ))}
        </div>
      )}
      <div className="preview-actions">
        <label>
          Format{" "}
          <select aria-label="Label format" value={layout ?? "4x6"} onChange={(e) => changeLayout(e.target.value as LabelLayout)} data-testid="label-format">
            <option value="4x6">4×6 label (thermal)</option>
            <option value="letter">Letter, two per page</option>
          </select>
        </label>
        <button ref={printButton} type="button" className="primary" onClick={unlessBusy(() => void print())} aria-disabled={busy != null} data-action="print-labels" title="Print (Ctrl+P)">
          {busy === "print" ? "Printing…" : "Print"}
        </button>
        <button type="button" onClick={unlessBusy(() => void save())} aria-disabled={busy != null} data-action="save-labels">
          {busy === "save" ? "Saving…" : "Save as PDF"}
        </button>
        <button type="button" onClick={unlessBusy(() => void slips("print"))} aria-disabled={busy != null} data-action="print-packing-slips">
          Print packing slip{orderIds.length === 1 ? "" : "s"}
        </button>
        <button type="button" onClick={unlessBusy(() => void slips("save"))} aria-disabled={busy != null} data-action="save-packing-slips">
          Save packing slip{orderIds.length === 1 ? "" : "s"} as PDF
        </button>
        {done && (
          <span className="muted" role="status" data-testid="print-status">
            {done}
          </span>
        )}
      </div>
      {error && <ErrorNotice error={error} title="The labels did not print" />}
    </section>
  );
}
