// The Import dialog: pick a file, see what it is, map its columns when Shipdesk does not know
// the format, preview, import with progress, see the result.
//
// The column mapping is one object, `mapping`, from the moment a file needs one: the suggestion
// it starts as, each column the user picks, a saved mapping chosen from the list. Every change is
// previewed at once, and Import sends the very mapping object the preview on screen was made
// with (waiting for a preview still running), so what is previewed is what is imported. The form
// never goes away while the dialog is open: a mapping that is not complete yet is a preview that
// names what is missing (core's `unmapped_required`, `mapping_problems`), and a failed preview or
// import shows its error beside the form.
import { useCallback, useEffect, useRef, useState } from "react";
import { events, ipc, type AppError, type ColumnMapping, type ImportPreview, type ImportSummary, type Progress } from "../../ipc";
import type { MappedField } from "../../bindings/MappedField";
import { ModalDialog } from "../../connection/ModalDialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { INTERNATIONAL_NOTE, formatCount, isInternational, itemsLine, placeLine } from "../../format";
import "./import.css";

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

/** Every field a column can be mapped to, as the form names it. */
const FIELDS: { field: MappedField; label: string }[] = [
  { field: "order_number", label: "Order number" },
  { field: "source_id", label: "Order ID in your store" },
  { field: "ordered_at", label: "Order date" },
  { field: "status", label: "Order status" },
  { field: "name", label: "Recipient name" },
  { field: "first_name", label: "First name" },
  { field: "last_name", label: "Last name" },
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
  { field: "notes", label: "Notes" },
  { field: "tags", label: "Tags" },
];

const labelOf = (field: MappedField) => FIELDS.find((f) => f.field === field)?.label ?? field;

/** "State", "State and ZIP", "Street, State and ZIP". */
function listed(words: string[]): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** A preview and the mapping object it was made with (`null`: the file's own format). */
type Previewed = { preview: ImportPreview; mapping: ColumnMapping | null };

/** Whether an import would read the file as this preview shows it. */
function importable({ preview, mapping }: Previewed): boolean {
  return mapping === null ? !preview.needs_mapping : preview.mapping_problems.length === 0;
}

type Stage = "choose" | "importing" | "done";

export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const [path, setPath] = useState("");
  const [saved, setSaved] = useState<ColumnMapping[]>([]);
  /** The mapping in play; `null` while the file's own format is used. */
  const [mapping, setMapping] = useState<ColumnMapping | null>(null);
  /** What Shipdesk suggested for this file, to go back to from a saved mapping. */
  const [suggestion, setSuggestion] = useState<ColumnMapping | null>(null);
  const [previewed, setPreviewed] = useState<Previewed | null>(null);
  const [previewError, setPreviewError] = useState<AppError | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [importError, setImportError] = useState<AppError | null>(null);
  const [stage, setStage] = useState<Stage>("choose");
  const [progress, setProgress] = useState<Progress | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [importedMapped, setImportedMapped] = useState(false);
  const [saveName, setSaveName] = useState("");
  const [savedAs, setSavedAs] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<AppError | null>(null);

  // The newest preview request and what it left, for Import (which must not act on an older one).
  const request = useRef(0);
  const pending = useRef<Promise<void>>(Promise.resolve());
  const latest = useRef<{ previewed: Previewed | null; failed: boolean }>({ previewed: null, failed: false });

  const refreshSaved = useCallback(() => ipc.mappingsList().then(setSaved, () => setSaved([])), []);
  useEffect(() => {
    void refreshSaved();
  }, [refreshSaved]);

  const runPreview = useCallback((file: string, m: ColumnMapping | null): Promise<void> => {
    const seq = ++request.current;
    setPreviewing(true);
    const run = (async () => {
      try {
        const preview = await ipc.importPreview(file, m);
        if (seq !== request.current) return;
        const next = { preview, mapping: m };
        latest.current = { previewed: next, failed: false };
        setPreviewed(next);
        setPreviewError(null);
      } catch (e) {
        if (seq !== request.current) return;
        latest.current = { ...latest.current, failed: true };
        setPreviewError(e as AppError);
      } finally {
        if (seq === request.current) setPreviewing(false);
      }
    })();
    pending.current = run;
    return run;
  }, []);

  /** The mapping in play becomes `m`, previewed at once. */
  const applyMapping = (m: ColumnMapping | null, file = path) => {
    setMapping(m);
    setImportError(null);
    return runPreview(file, m);
  };

  const choose = async () => {
    try {
      const picked = await ipc.pickOrderFile();
      if (!picked) return;
      setPath(picked);
      setPreviewed(null);
      setSuggestion(null);
      setSavedAs(null);
      latest.current = { previewed: null, failed: false };
      await applyMapping(null, picked);
      const first = latest.current;
      if (!first.failed && first.previewed?.preview.needs_mapping && first.previewed.preview.suggested_mapping) {
        const suggested = { ...first.previewed.preview.suggested_mapping, name: "" };
        setSuggestion(suggested);
        await applyMapping(suggested, picked);
      }
    } catch (e) {
      setPreviewError(e as AppError);
    }
  };

  const setColumn = (field: MappedField, header: string) => {
    const base: ColumnMapping = mapping ?? { name: "", columns: {} };
    const columns = { ...base.columns };
    if (header) columns[field] = header;
    else delete columns[field];
    // An edited saved mapping is no longer the saved one: it imports under no name until saved.
    setSavedAs(null);
    void applyMapping({ ...base, name: "", columns });
  };

  const chooseSaved = (name: string) => {
    setSavedAs(null);
    const picked = saved.find((m) => m.name === name);
    const detectedUnknown = previewed?.preview.detected_format === "unknown";
    void applyMapping(picked ? { ...picked } : detectedUnknown ? suggestion : null);
  };

  const save = async () => {
    if (!mapping || !saveName.trim()) return;
    const named = { ...mapping, name: saveName.trim() };
    setSaveError(null);
    try {
      await ipc.mappingSave(named);
      // The preview on screen stands for the named mapping too (a name does not change what it reads).
      if (previewed?.mapping === mapping) {
        const next = { ...previewed, mapping: named };
        latest.current = { ...latest.current, previewed: next };
        setPreviewed(next);
      }
      setMapping(named);
      setSavedAs(named.name);
      setSaveName("");
      await refreshSaved();
    } catch (e) {
      setSaveError(e as AppError);
    }
  };

  const start = async () => {
    setImportError(null);
    // Import what the newest preview showed, once it is there.
    for (let waitingFor = pending.current; ; waitingFor = pending.current) {
      await waitingFor;
      if (waitingFor === pending.current) break;
    }
    const { previewed: shown, failed } = latest.current;
    if (!shown || failed || !importable(shown)) return;
    setStage("importing");
    setProgress(null);
    const unlisten = await events.onImportProgress(setProgress);
    try {
      const res = await ipc.importOrders(path, shown.mapping ? { column_mapping: shown.mapping } : {});
      setSummary(res);
      setImportedMapped(shown.mapping !== null);
      setStage("done");
      onImported();
    } catch (e) {
      setImportError(e as AppError);
      setStage("choose");
    } finally {
      unlisten();
    }
  };

  const preview = previewed?.preview ?? null;
  const current = previewed !== null && previewed.mapping === mapping;
  const canImport = !!previewed && !previewError && (previewing || (current && importable(previewed)));
  const savedChoice = mapping && saved.some((s) => s.name === mapping.name) ? mapping.name : "";

  return (
    <ModalDialog titleId="import-title" onEscape={() => stage !== "importing" && onClose()} testId="import-dialog" className="wide">
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
            <button type="button" className="inline" onClick={() => void choose()} data-action="choose-file">
              Choose file…
            </button>
            <button type="button" className="inline" onClick={() => void applyMapping(mapping)} disabled={!path} data-action="preview">
              Preview again
            </button>
          </div>
          {preview && saved.length > 0 && (
            <div className="field">
              <label htmlFor="saved-mapping">Saved column mapping</label>
              <select id="saved-mapping" value={savedChoice} onChange={(e) => chooseSaved(e.target.value)}>
                <option value="">{preview.detected_format === "unknown" ? "None — map the columns below" : "None — use the detected format"}</option>
                {saved.map((m) => (
                  <option key={m.name} value={m.name}>
                    {m.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          {previewError && <ErrorNotice error={previewError} title="The file could not be previewed" />}
          {preview && (
            <div className="preview" data-testid="import-preview">
              <p>
                <strong data-testid="detected-format">{FORMAT_NAMES[preview.detected_format] ?? preview.detected_format}</strong> ·{" "}
                {preview.encoding} · {preview.delimiter === "\t" ? "tab" : `“${preview.delimiter}”`}-separated · {preview.headers.length} columns
              </p>
              {mapping && (
                <MappingForm
                  mapping={mapping}
                  preview={preview}
                  current={current}
                  onColumn={setColumn}
                  saveName={saveName}
                  onSaveName={setSaveName}
                  onSave={() => void save()}
                  savedAs={savedAs}
                  saveError={saveError}
                />
              )}
              {preview.mapped_preview.length > 0 && (
                <table className={current ? "items" : "items updating"} aria-busy={!current}>
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
                          {isInternational(o.ship_to) && ` (${INTERNATIONAL_NOTE})`}
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
          {importError && <ErrorNotice error={importError} title="Nothing was imported" />}
          <div className="form-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="button" className="primary" onClick={() => void start()} disabled={!canImport} data-action="start-import">
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
            <button type="button" onClick={() => void ipc.importCancel()}>
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
            {summary.mapping
              ? `Read with the saved column mapping “${summary.mapping}”`
              : importedMapped
                ? "Read with the columns you mapped"
                : FORMAT_NAMES[summary.format] ?? summary.format}{" "}
            · {formatCount(summary.rows)} rows read
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
    </ModalDialog>
  );
}

/**
 * Which column holds what: every field with the file's columns to choose from, the required ones
 * marked, those still without a column highlighted and named, and saving the mapping by name.
 */
function MappingForm(props: {
  mapping: ColumnMapping;
  preview: ImportPreview;
  /** Whether `preview` was made with `mapping` (not an earlier version of it). */
  current: boolean;
  onColumn: (field: MappedField, header: string) => void;
  saveName: string;
  onSaveName: (name: string) => void;
  onSave: () => void;
  savedAs: string | null;
  saveError: AppError | null;
}) {
  const { mapping, preview, current } = props;
  const required = new Set(preview.required_fields);
  // Until the preview of the newest change arrives (a moment), the last one's findings stay up.
  const unmapped = new Set(preview.unmapped_required);
  const absent = new Set(preview.absent_columns);
  const headers = new Set(preview.headers);
  const complete = current && preview.mapping_problems.length === 0;
  return (
    <fieldset className="mapping" data-testid="mapping-form">
      <legend>Which column holds what?</legend>
      <p className="muted mapping-hint">
        Fields marked <span className="required-mark">required</span> need a column. The recipient’s name may come from a first-name column instead.
      </p>
      <div className="mapping-grid">
        {FIELDS.map(({ field, label }) => {
          const chosen = mapping.columns[field] ?? "";
          const problem = unmapped.has(field) || absent.has(field);
          return (
            <label key={field} className={`mapping-field${problem ? " mapping-problem" : ""}`} data-field={field}>
              <span>
                {label}
                {required.has(field) && <span className="required-mark">required</span>}
              </span>
              <select
                value={chosen}
                onChange={(e) => props.onColumn(field, e.target.value)}
                data-map={field}
                aria-invalid={problem || undefined}
                aria-describedby={problem ? "mapping-status" : undefined}
              >
                <option value="">—</option>
                {chosen && !headers.has(chosen) && <option value={chosen}>{chosen} (not in this file)</option>}
                {preview.headers.map((h) => (
                  <option key={h} value={h}>
                    {h}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
      </div>
      <div id="mapping-status" aria-live="polite">
        {unmapped.size > 0 && (
          <p className="mapping-missing" data-testid="mapping-missing">
            Choose a column for {listed([...unmapped].map(labelOf))} to see the orders and import them.
          </p>
        )}
        {[...absent].map((field) => (
          <p key={field} className="mapping-missing" data-testid="mapping-absent">
            {labelOf(field)}: this file has no column “{mapping.columns[field]}”.
          </p>
        ))}
        {complete && preview.mapped_preview.length === 0 && <p className="muted">The first rows make no orders with this mapping.</p>}
      </div>
      <div className="row mapping-save">
        <div className="field grow">
          <label htmlFor="mapping-name">Save this mapping for the next file like this one</label>
          <input id="mapping-name" value={props.saveName} onChange={(e) => props.onSaveName(e.target.value)} placeholder="Warehouse sheet" data-field="mapping-name" />
        </div>
        <button type="button" className="inline" onClick={props.onSave} disabled={!props.saveName.trim()} data-action="save-mapping">
          Save mapping
        </button>
      </div>
      {props.savedAs && (
        <p role="status" data-testid="mapping-saved">
          Saved as “{props.savedAs}”. Choose it under Saved column mapping next time.
        </p>
      )}
      {props.saveError && <ErrorNotice error={props.saveError} title="The mapping was not saved" />}
    </fieldset>
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
