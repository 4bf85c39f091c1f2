import { useEffect, useState } from "react";
import { events, ipc, type AppError, type ColumnMapping, type ImportPreview, type ImportSummary, type Progress } from "../../ipc";
import type { MappedField } from "../../bindings/MappedField";
import { ErrorNotice } from "../../components/ErrorNotice";
import { INTERNATIONAL_NOT_SUPPORTED, formatCount, isInternational, itemsLine, placeLine } from "../../format";

const FORMAT_NAMES: Record<string, string> = {
  shopify: "Shopify orders export",
  etsy_orders: "Etsy sold orders",
  etsy_order_items: "Etsy sold order items",
  ebay: "eBay orders report",
  amazon_unshipped: "Amazon unshipped orders",
  woocommerce: "WooCommerce order export",
  woocommerce_item_rows: "WooCommerce order export (one row per product)",
  unknown: "Not recognized — map the columns below",
};

const FIELDS: { field: MappedField; label: string }[] = [
  { field: "order_number", label: "Order number" },
  { field: "name", label: "Recipient name" },
  { field: "company", label: "Company" },
  { field: "street1", label: "Street" },
  { field: "street2", label: "Apt / suite" },
  { field: "city", label: "City" },
  { field: "state", label: "State" },
  { field: "zip", label: "ZIP" },
  { field: "country", label: "Country" },
  { field: "phone", label: "Phone" },
  { field: "email", label: "Email" },
  { field: "sku", label: "SKU" },
  { field: "item_title", label: "Item title" },
  { field: "quantity", label: "Quantity" },
  { field: "unit_price", label: "Price" },
  { field: "weight", label: "Weight" },
  { field: "ordered_at", label: "Order date" },
  { field: "notes", label: "Notes" },
  { field: "tags", label: "Tags" },
];

type Stage = "choose" | "importing" | "done";

/** Pick a file, see what it is (or map its columns), preview, import with progress, see the result. */
export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const [path, setPath] = useState("");
  const [saved, setSaved] = useState<ColumnMapping[]>([]);
  const [savedName, setSavedName] = useState("");
  const [mapping, setMapping] = useState<ColumnMapping | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [stage, setStage] = useState<Stage>("choose");
  const [progress, setProgress] = useState<Progress | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [saveAs, setSaveAs] = useState("");

  useEffect(() => {
    ipc.mappingsList().then(setSaved, () => setSaved([]));
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && stage !== "importing" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [stage, onClose]);

  const activeMapping = savedName ? saved.find((m) => m.name === savedName) ?? null : mapping;

  const runPreview = async (p = path, m = activeMapping) => {
    if (!p.trim()) return;
    try {
      const res = await ipc.importPreview(p.trim(), m);
      setPreview(res);
      setError(null);
      if (res.needs_mapping && !m && res.suggested_mapping) setMapping({ ...res.suggested_mapping, name: "" });
    } catch (e) {
      setPreview(null);
      setError(e as AppError);
    }
  };

  const choose = async () => {
    try {
      const picked = await ipc.pickOrderFile();
      if (picked) {
        setPath(picked);
        await runPreview(picked);
      }
    } catch (e) {
      setError(e as AppError);
    }
  };

  const setColumn = (field: MappedField, header: string) => {
    const base: ColumnMapping = mapping ?? { name: "", columns: {} };
    const columns = { ...base.columns };
    if (header) columns[field] = header;
    else delete columns[field];
    setMapping({ ...base, columns });
    setSavedName("");
  };

  const start = async () => {
    setStage("importing");
    setProgress(null);
    const unlisten = await events.onImportProgress(setProgress);
    try {
      let options = {};
      if (savedName) options = { mapping: savedName };
      else if (mapping && preview?.needs_mapping !== false) {
        const named = saveAs.trim() ? { ...mapping, name: saveAs.trim() } : { ...mapping, name: mapping.name || "unsaved" };
        if (saveAs.trim()) await ipc.mappingSave(named);
        options = { column_mapping: named };
      }
      const res = await ipc.importOrders(path.trim(), options);
      setSummary(res);
      setStage("done");
      onImported();
    } catch (e) {
      setError(e as AppError);
      setStage("choose");
    } finally {
      unlisten();
    }
  };

  const needsMapping = preview?.needs_mapping ?? false;
  const canImport = !!preview && (!needsMapping || (!!activeMapping && Object.keys(activeMapping.columns).length > 0));

  return (
    <div className="modal-backdrop">
      <div className="modal wide" role="dialog" aria-modal="true" aria-labelledby="import-title" data-testid="import-dialog">
        <h2 id="import-title">Import orders</h2>
        {stage === "choose" && (
          <>
            <div className="row">
              {/* The app reads only files picked in its own dialog, so the path is shown, not typed. */}
              <div className="field grow">
                <span id="import-path-label">File</span>
                <output id="import-path" aria-labelledby="import-path-label" data-testid="import-path">
                  {path || "No file chosen"}
                </output>
              </div>
              <button type="button" className="inline" onClick={choose} data-action="choose-file">
                Choose file…
              </button>
              <button type="button" className="inline" onClick={() => runPreview()} disabled={!path.trim()} data-action="preview">
                Preview
              </button>
            </div>
            {saved.length > 0 && (
              <div className="field">
                <label htmlFor="saved-mapping">Saved column mapping</label>
                <select
                  id="saved-mapping"
                  value={savedName}
                  onChange={(e) => {
                    setSavedName(e.target.value);
                    const m = saved.find((s) => s.name === e.target.value) ?? null;
                    if (path.trim()) runPreview(path, m);
                  }}
                >
                  <option value="">Detect the format</option>
                  {saved.map((m) => (
                    <option key={m.name} value={m.name}>
                      {m.name}
                    </option>
                  ))}
                </select>
              </div>
            )}
            {error && <ErrorNotice error={error} />}
            {preview && (
              <div className="preview" data-testid="import-preview">
                <p>
                  <strong data-testid="detected-format">{FORMAT_NAMES[preview.detected_format] ?? preview.detected_format}</strong> ·{" "}
                  {preview.encoding} · {preview.delimiter === "\t" ? "tab" : `“${preview.delimiter}”`}-separated · {preview.headers.length} columns
                </p>
                {needsMapping && !savedName && (
                  <fieldset className="mapping">
                    <legend>Which column holds what?</legend>
                    <div className="mapping-grid">
                      {FIELDS.map(({ field, label }) => (
                        <label key={field}>
                          {label}
                          <select value={mapping?.columns[field] ?? ""} onChange={(e) => setColumn(field, e.target.value)} data-map={field}>
                            <option value="">—</option>
                            {preview.headers.map((h) => (
                              <option key={h} value={h}>
                                {h}
                              </option>
                            ))}
                          </select>
                        </label>
                      ))}
                    </div>
                    <div className="row">
                      <button type="button" className="inline" onClick={() => runPreview(path, mapping)}>
                        Update preview
                      </button>
                      <div className="field grow">
                        <label htmlFor="save-as">Save this mapping as (optional)</label>
                        <input id="save-as" value={saveAs} onChange={(e) => setSaveAs(e.target.value)} placeholder="Warehouse sheet" />
                      </div>
                    </div>
                  </fieldset>
                )}
                {preview.mapped_preview.length > 0 && (
                  <table className="items">
                    <caption>First orders as they will be imported</caption>
                    <thead>
                      <tr>
                        <th>Line</th>
                        <th>Order #</th>
                        <th>Ship to</th>
                        <th>City, state, ZIP</th>
                        <th>Items</th>
                      </tr>
                    </thead>
                    <tbody>
                      {preview.mapped_preview.map((o) => (
                        <tr key={`${o.line}-${o.order_number}`}>
                          <td>{o.line}</td>
                          <td>{o.order_number}</td>
                          <td>{o.ship_to.name}</td>
                          <td>
                            {placeLine(o.ship_to)}
                            {isInternational(o.ship_to) && ` (${INTERNATIONAL_NOT_SUPPORTED})`}
                          </td>
                          <td>{itemsLine(o.items)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                <Problems title="Problems in the first rows" problems={preview.problems} />
                <Problems title="Warnings" problems={preview.warnings} />
              </div>
            )}
            <div className="form-actions">
              <button type="button" onClick={onClose}>
                Cancel
              </button>
              <button type="button" className="primary" onClick={start} disabled={!canImport} data-action="start-import">
                Import
              </button>
            </div>
          </>
        )}
        {stage === "importing" && (
          <div aria-live="polite">
            <p data-testid="import-progress-text">
              {progress
                ? `${progress.phase === "reading" ? "Reading" : "Saving"} ${formatCount(progress.rows_done)} of ${formatCount(progress.rows_total_estimate)} rows`
                : "Opening the file…"}
            </p>
            <progress max={progress?.rows_total_estimate || 1} value={progress?.rows_done ?? 0} aria-label="Import progress" />
            <div className="form-actions">
              <button type="button" onClick={() => ipc.importCancel()}>
                Cancel import
              </button>
            </div>
          </div>
        )}
        {stage === "done" && summary && (
          <div data-testid="import-summary">
            <p className="summary-line">
              <strong>{summary.new}</strong> new · <strong>{summary.updated}</strong> updated · <strong>{summary.unchanged}</strong> unchanged ·{" "}
              <strong>{summary.skipped}</strong> skipped · <strong>{summary.invalid}</strong> with problems
            </p>
            <p className="muted">
              {FORMAT_NAMES[summary.format] ?? summary.format}
              {summary.mapping ? ` (mapping “${summary.mapping}”)` : ""} · {formatCount(summary.rows)} rows read
            </p>
            <Problems title="Not imported" problems={summary.problems} />
            <Problems title="Imported with warnings" problems={summary.warnings} />
            {summary.skipped_orders.length > 0 && (
              <details>
                <summary>Skipped ({summary.skipped_orders.length})</summary>
                <ul>
                  {summary.skipped_orders.map((s) => (
                    <li key={`${s.line}-${s.order_number}`}>
                      line {s.line}: {s.order_number} — {s.reason}
                    </li>
                  ))}
                </ul>
              </details>
            )}
            <div className="form-actions">
              <button type="button" className="primary" onClick={onClose} data-action="close-import">
                Done
              </button>
            </div>
          </div>
        )}
      </div>
    </div>
  );
}

function Problems({ title, problems }: { title: string; problems: { line: number; field: string; message: string }[] }) {
  if (problems.length === 0) return null;
  return (
    <details open className="problems">
      <summary>
        {title} ({problems.length})
      </summary>
      <ul>
        {problems.slice(0, 200).map((p, i) => (
          <li key={i} data-line={p.line} data-field={p.field}>
            {p.message}
          </li>
        ))}
      </ul>
      {problems.length > 200 && <p className="muted">…and {problems.length - 200} more.</p>}
    </details>
  );
}
