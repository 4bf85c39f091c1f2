// Settings › Printing: the system's printers, the printer for each kind of document (labels on
// the thermal printer, packing slips and SCAN forms on the laser printer), the label format,
// and a test page for each.
import { useEffect, useState } from "react";
import { ipc, type AppError, type DocumentKind, type LabelLayout, type PrinterChoices, type PrintingSetup } from "../../ipc";
import { ErrorNotice } from "../../components/ErrorNotice";
import { fieldErrors } from "./fieldErrors";
import "./settings.css";

const KINDS: { kind: DocumentKind; label: string; hint: string }[] = [
  { kind: "labels", label: "Labels", hint: "Usually the 4×6 thermal printer" },
  { kind: "packing_slips", label: "Packing slips", hint: "Letter paper" },
  { kind: "scan_forms", label: "SCAN forms", hint: "Letter paper" },
];

/** A chosen printer the system does not list (unplugged, renamed) is still shown, marked. */
function options(setup: PrintingSetup, chosen: string | null) {
  const names = setup.printers.map((p) => p.name);
  const missing = chosen && !names.includes(chosen) ? [chosen] : [];
  return [...setup.printers.map((p) => ({ name: p.name, label: p.is_default ? `${p.name} (system default)` : p.name })), ...missing.map((n) => ({ name: n, label: `${n} (not found now)` }))];
}

export function PrintingSettings() {
  const [setup, setSetup] = useState<PrintingSetup | null>(null);
  const [layout, setLayout] = useState<LabelLayout>("4x6");
  const [error, setError] = useState<AppError | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const errors = fieldErrors(error);

  useEffect(() => {
    ipc.printingSetup().then(setSetup, setError);
    ipc.labelLayout().then(setLayout, () => undefined);
  }, []);

  const choose = async (kind: DocumentKind, name: string) => {
    if (!setup) return;
    const next: PrinterChoices = { ...setup.choices, [kind]: name === "" ? null : name };
    setStatus(null);
    try {
      const saved = await ipc.setPrinterChoices(next);
      setSetup({ ...setup, choices: saved });
      setError(null);
      setStatus("Saved");
    } catch (e) {
      setError(e as AppError);
    }
  };
  const chooseLayout = async (l: LabelLayout) => {
    setLayout(l);
    try {
      await ipc.setLabelLayout(l);
    } catch (e) {
      setError(e as AppError);
    }
  };
  const test = async (kind: DocumentKind, label: string) => {
    setStatus(null);
    try {
      const printer = await ipc.printTestPage(kind);
      setError(null);
      setStatus(`${label}: test page sent to ${printer ?? "the system default printer"}`);
    } catch (e) {
      setError(e as AppError);
    }
  };

  if (!setup) return error ? <ErrorNotice error={error} /> : <p className="muted">Reading the system's printers…</p>;
  return (
    <section className="settings-section" aria-labelledby="printing-title" data-testid="printing-settings">
      <h2 id="printing-title">Printing</h2>
      {setup.problem ? (
        <p className="notice notice-warn" role="status" data-testid="printers-problem">
          {setup.problem} Documents go to the system default printer; Save as PDF works without one.
        </p>
      ) : setup.printers.length === 0 ? (
        <p className="notice notice-warn" role="status" data-testid="printers-problem">
          The system has no printers set up. Add one in the system's printer settings, then come back here.
        </p>
      ) : null}
      <table className="printing-table">
        <thead>
          <tr>
            <th scope="col">Document</th>
            <th scope="col">Printer</th>
            <th scope="col">
              <span className="visually-hidden">Test page</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {KINDS.map(({ kind, label, hint }) => {
            const chosen = setup.choices[kind] ?? null;
            return (
              <tr key={kind} data-kind={kind}>
                <th scope="row">
                  {label}
                  <div className="muted">{hint}</div>
                </th>
                <td>
                  <select aria-label={`Printer for ${label.toLowerCase()}`} value={chosen ?? ""} onChange={(e) => void choose(kind, e.target.value)} aria-invalid={errors[kind] ? true : undefined} data-testid={`printer-${kind}`}>
                    <option value="">System default printer</option>
                    {options(setup, chosen).map((o) => (
                      <option key={o.name} value={o.name}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                  {kind === "labels" && (
                    <label className="printing-format">
                      Format{" "}
                      <select aria-label="Label format" value={layout} onChange={(e) => void chooseLayout(e.target.value as LabelLayout)} data-testid="printing-label-format">
                        <option value="4x6">4×6 label (thermal)</option>
                        <option value="letter">Letter, two per page</option>
                      </select>
                    </label>
                  )}
                  {errors[kind] && (
                    <p className="field-error" data-error-for={kind}>
                      {errors[kind]}
                    </p>
                  )}
                </td>
                <td>
                  <button type="button" onClick={() => void test(kind, label)} data-action={`test-page-${kind}`}>
                    Print test page
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {status && (
        <p className="muted" role="status" data-testid="printing-status">
          {status}
        </p>
      )}
      {error && !Object.keys(errors).length && <ErrorNotice error={error} />}
    </section>
  );
}
