// Settings › Packages: the boxes the shop ships in (name, inside dimensions, usual weight) —
// add, edit, make default, delete. The default preset is the box a new shipment starts with.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { ipc, type AppError, type PackagePreset, type PackagePresetInput } from "../../ipc";
import { EmptyState } from "../../components/EmptyState";
import { ErrorNotice } from "../../components/ErrorNotice";
import { splitOunces } from "../shipping/packageForm";
import { fieldErrors } from "./fieldErrors";
import "./settings.css";

type Draft = { name: string; length: string; width: string; height: string; lb: string; oz: string; is_default: boolean };

function draftOf(p: PackagePreset): Draft {
  const weight = p.weight_oz ? splitOunces(Number(p.weight_oz)) : { lb: "", oz: "" };
  return {
    name: p.name,
    length: p.dimensions.length_in,
    width: p.dimensions.width_in,
    height: p.dimensions.height_in,
    ...weight,
    is_default: p.is_default,
  };
}

/** The preset core takes, or what is wrong with the weight as typed (core checks the rest). */
export function presetInput(d: Draft): { input: PackagePresetInput } | { weightProblem: string } {
  let weight_oz: string | null = null;
  if (d.lb.trim() !== "" || d.oz.trim() !== "") {
    const lb = Number(d.lb.trim() || "0");
    const oz = Number(d.oz.trim() || "0");
    if (!Number.isFinite(lb) || !Number.isFinite(oz) || lb < 0 || oz < 0) return { weightProblem: "Type the weight as pounds and ounces, or leave both blank" };
    weight_oz = String(Math.round((lb * 16 + oz) * 10) / 10);
  }
  const dim = (s: string) => s.trim() || "0";
  return {
    input: {
      name: d.name.trim(),
      dimensions: { length_in: dim(d.length), width_in: dim(d.width), height_in: dim(d.height) },
      weight_oz,
      is_default: d.is_default,
    },
  };
}

function describe(p: PackagePreset): string {
  const d = p.dimensions;
  const box = `${d.length_in} × ${d.width_in} × ${d.height_in} in`;
  if (!p.weight_oz) return `${box} · weighed each time`;
  const { lb, oz } = splitOunces(Number(p.weight_oz));
  return `${box} · usually ${lb} lb ${oz} oz`;
}

type View = { kind: "list" } | { kind: "add" } | { kind: "edit"; preset: PackagePreset };

export function PackageSettings() {
  const [presets, setPresets] = useState<PackagePreset[] | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [view, setView] = useState<View>({ kind: "list" });
  const [confirming, setConfirming] = useState<number | null>(null);

  const load = useCallback(async () => {
    try {
      setPresets(await ipc.packagePresets());
      setLoadError(null);
    } catch (e) {
      setLoadError(e as AppError);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (what: () => Promise<string>) => {
    setActionError(null);
    setStatus(null);
    try {
      setStatus(await what());
    } catch (e) {
      setActionError(e as AppError);
    }
    await load();
  };

  const saved = (message: string) => {
    setView({ kind: "list" });
    setStatus(message);
    setActionError(null);
    void load();
  };

  return (
    <div role="tabpanel" data-panel="packages" className="settings-panel">
      <h2>Packages</h2>
      <p className="muted">
        The boxes and mailers you ship in. The default is the package a new shipment starts with; a usual weight fills in the weight for orders
        whose items have none.
      </p>
      {loadError && <ErrorNotice error={loadError} title="Could not read the packages" />}
      {status && (
        <p className="notice notice-ok" role="status" data-testid="packages-status">
          {status}
        </p>
      )}
      {actionError && <ErrorNotice error={actionError} />}
      {view.kind === "add" && (
        <PresetForm
          title="Add a package"
          initial={{ name: "", length: "", width: "", height: "", lb: "", oz: "", is_default: (presets?.length ?? 0) === 0 }}
          onSave={async (input) => {
            const p = await ipc.packagePresetAdd(input);
            saved(`${p.name} was added.`);
          }}
          onCancel={() => setView({ kind: "list" })}
        />
      )}
      {view.kind === "edit" && (
        <PresetForm
          key={view.preset.id}
          title={`Edit ${view.preset.name}`}
          initial={draftOf(view.preset)}
          editing
          onSave={async (input) => {
            const p = await ipc.packagePresetUpdate(view.preset.id, input);
            saved(`${p.name} was saved.`);
          }}
          onCancel={() => setView({ kind: "list" })}
        />
      )}
      {view.kind === "list" && presets && (
        <>
          <div className="section-actions">
            <button type="button" className="primary" data-action="add-package" onClick={() => setView({ kind: "add" })}>
              Add package
            </button>
          </div>
          {presets.length === 0 ? (
            <EmptyState title="No packages saved yet">
              <p>Save the boxes you use most, with their size and usual weight, so shipping starts with the right package.</p>
            </EmptyState>
          ) : (
            <ul className="settings-list" data-testid="package-list">
              {presets.map((p) => (
                <li key={p.id} data-package={p.name} className="settings-item">
                  <div className="settings-item-main">
                    <strong>{p.name}</strong>
                    {p.is_default && (
                      <span className="chip default-chip" data-field="default">
                        Default
                      </span>
                    )}
                    <div className="muted">{describe(p)}</div>
                  </div>
                  {confirming === p.id ? (
                    <div className="settings-confirm" role="group" aria-label={`Confirm deleting ${p.name}`}>
                      <span>Delete {p.name}? Labels already bought keep their package.</span>
                      <button
                        type="button"
                        className="danger"
                        data-action="confirm-delete"
                        onClick={() =>
                          void act(async () => {
                            setConfirming(null);
                            await ipc.packagePresetDelete(p.id);
                            return `${p.name} was deleted.`;
                          })
                        }
                      >
                        Delete
                      </button>
                      <button type="button" onClick={() => setConfirming(null)}>
                        Keep
                      </button>
                    </div>
                  ) : (
                    <div className="settings-item-actions">
                      <button type="button" data-action="edit" aria-label={`Edit ${p.name}`} onClick={() => setView({ kind: "edit", preset: p })}>
                        Edit
                      </button>
                      {!p.is_default && (
                        <button
                          type="button"
                          data-action="make-default"
                          aria-label={`Make ${p.name} the default`}
                          onClick={() =>
                            void act(async () => {
                              await ipc.packagePresetSetDefault(p.id);
                              return `${p.name} is now the default package.`;
                            })
                          }
                        >
                          Make default
                        </button>
                      )}
                      <button type="button" data-action="delete" aria-label={`Delete ${p.name}`} onClick={() => setConfirming(p.id)}>
                        Delete…
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {view.kind === "list" && !presets && !loadError && <p aria-live="polite">Reading the packages…</p>}
    </div>
  );
}

function PresetForm(props: {
  title: string;
  initial: Draft;
  editing?: boolean;
  onSave: (input: PackagePresetInput) => Promise<void>;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(props.initial);
  const [error, setError] = useState<AppError | null>(null);
  const [weightProblem, setWeightProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const base = useId();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const errors = fieldErrors(error);
  const weightError = weightProblem ?? errors.weight_oz;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const parsed = presetInput(draft);
    if ("weightProblem" in parsed) {
      setWeightProblem(parsed.weightProblem);
      return;
    }
    setWeightProblem(null);
    setSaving(true);
    try {
      await props.onSave(parsed.input);
    } catch (err) {
      setError(err as AppError);
    } finally {
      setSaving(false);
    }
  };
  const set = (k: keyof Omit<Draft, "is_default">) => (e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [k]: e.target.value });
  const input = (k: keyof Omit<Draft, "is_default">, label: string, errorKey: string | null, extra: { hint?: string; inputMode?: "decimal" } = {}) => {
    const id = `${base}-${k}`;
    const message = errorKey ? errors[errorKey] : undefined;
    return (
      <div className="settings-field short">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          data-field={k}
          value={draft[k]}
          placeholder={extra.hint}
          inputMode={extra.inputMode}
          autoComplete="off"
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? `${id}-error` : undefined}
          onChange={set(k)}
        />
        {message && (
          <p className="field-error" id={`${id}-error`} data-error-for={errorKey!}>
            {message}
          </p>
        )}
      </div>
    );
  };
  const atFields = ["name", "dimensions.length_in", "dimensions.width_in", "dimensions.height_in", "weight_oz"].some((k) => errors[k]);
  return (
    <form className="panel settings-form" data-testid="package-form" onSubmit={submit} noValidate aria-labelledby={`${base}-title`}>
      <h3 id={`${base}-title`}>{props.title}</h3>
      <div className="settings-fields">
        <div className="settings-field">
          <label htmlFor={`${base}-name`}>Name</label>
          <input
            id={`${base}-name`}
            ref={first}
            data-field="name"
            value={draft.name}
            placeholder="e.g. Small box, Poly mailer"
            autoComplete="off"
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? `${base}-name-error` : undefined}
            onChange={set("name")}
          />
          {errors.name && (
            <p className="field-error" id={`${base}-name-error`} data-error-for="name">
              {errors.name}
            </p>
          )}
        </div>
      </div>
      <fieldset className="settings-group">
        <legend>Size, inches</legend>
        <div className="settings-fields">
          {input("length", "Length", "dimensions.length_in", { inputMode: "decimal" })}
          {input("width", "Width", "dimensions.width_in", { inputMode: "decimal" })}
          {input("height", "Height", "dimensions.height_in", { inputMode: "decimal" })}
        </div>
      </fieldset>
      <fieldset className="settings-group" aria-describedby={`${base}-weight-hint`}>
        <legend>Usual weight (optional)</legend>
        <p className="muted small" id={`${base}-weight-hint`}>
          Leave blank to weigh each package.
        </p>
        <div className="settings-fields">
          {input("lb", "Pounds", null, { inputMode: "decimal" })}
          {input("oz", "Ounces", null, { inputMode: "decimal" })}
        </div>
        {weightError && (
          <p className="field-error" data-error-for="weight_oz" role="alert">
            {weightError}
          </p>
        )}
      </fieldset>
      {!(props.editing && props.initial.is_default) && (
        <label className="settings-check">
          <input type="checkbox" checked={draft.is_default} onChange={(e) => setDraft({ ...draft, is_default: e.target.checked })} data-field="is_default" />
          Start new shipments with this package (default)
        </label>
      )}
      {error && !atFields && <ErrorNotice error={error} />}
      <div className="section-actions">
        <button type="submit" className="primary" disabled={saving} data-action="save-package">
          {saving ? "Saving…" : "Save"}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
