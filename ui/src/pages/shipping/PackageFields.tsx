import { useState } from "react";
import { ipc, type AppError, type PackagePreset } from "../../ipc";
import { draftFromPreset, toBatchPackage, toPackage, type PackageDraft } from "./packageForm";

/** Weight (lb + oz), dimensions (in) and the saved presets that fill them. */
export function PackageFields(props: {
  draft: PackageDraft;
  presets: PackagePreset[];
  onChange: (d: PackageDraft) => void;
  onPresetSaved: (p: PackagePreset) => void;
  problem: string | null;
  /** Many orders: each ships at its own weight, and the weight fields are only for orders without one. */
  forOrdersWithoutWeight?: boolean;
  /** Put the cursor in the pounds field (a scanned order without a weight: weigh, type, Enter). */
  focusWeight?: boolean;
}) {
  const { draft, presets, onChange } = props;
  const [saveError, setSaveError] = useState<string | null>(null);
  const saveAsPreset = async () => {
    const parsed = props.forOrdersWithoutWeight ? toBatchPackage(draft) : toPackage(draft);
    if ("problem" in parsed) return;
    const box = "package" in parsed ? parsed.package : { dimensions: parsed.batch.dimensions, weight_oz: parsed.batch.fallbackWeightOz };
    const name = window.prompt("Name for this box (e.g. Small box)")?.trim();
    if (!name) return;
    try {
      const saved = await ipc.packagePresetAdd({ name, dimensions: box.dimensions, weight_oz: box.weight_oz });
      setSaveError(null);
      props.onPresetSaved(saved);
    } catch (e) {
      setSaveError((e as AppError).message);
    }
  };
  const set = (k: keyof PackageDraft) => (e: React.ChangeEvent<HTMLInputElement>) => onChange({ ...draft, [k]: e.target.value });
  return (
    <fieldset className="ship-section" aria-describedby={props.problem ? "package-problem" : undefined}>
      <legend>Package</legend>
      <div className="row">
        {presets.length > 0 && (
          <label className="field">
            <span>Preset</span>
            <select
              aria-label="Package preset"
              defaultValue=""
              onChange={(e) => {
                const p = presets.find((x) => String(x.id) === e.target.value);
                if (p) onChange(draftFromPreset(draft, p));
              }}
            >
              <option value="">Custom</option>
              {presets.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.dimensions.length_in}×{p.dimensions.width_in}×{p.dimensions.height_in} in)
                </option>
              ))}
            </select>
          </label>
        )}
        <div className="dims">
          <label className="field">
            <span>{props.forOrdersWithoutWeight ? "Weight if none, lb" : "Weight lb"}</span>
            <input
              inputMode="decimal"
              value={draft.lb}
              onChange={set("lb")}
              aria-label={props.forOrdersWithoutWeight ? "Weight for orders without one, pounds" : "Weight, pounds"}
              data-autofocus={props.focusWeight || undefined}
              aria-describedby={props.forOrdersWithoutWeight ? "weight-if-none" : undefined}
              data-testid="weight-lb"
            />
          </label>
          <label className="field">
            <span>oz</span>
            <input
              inputMode="decimal"
              value={draft.oz}
              onChange={set("oz")}
              aria-label={props.forOrdersWithoutWeight ? "Weight for orders without one, ounces" : "Weight, ounces"}
              aria-describedby={props.forOrdersWithoutWeight ? "weight-if-none" : undefined}
              data-testid="weight-oz"
            />
          </label>
        </div>
        <div className="dims">
          <label className="field">
            <span>L in</span>
            <input inputMode="decimal" value={draft.length} onChange={set("length")} aria-label="Length, inches" />
          </label>
          <label className="field">
            <span>W in</span>
            <input inputMode="decimal" value={draft.width} onChange={set("width")} aria-label="Width, inches" />
          </label>
          <label className="field">
            <span>H in</span>
            <input inputMode="decimal" value={draft.height} onChange={set("height")} aria-label="Height, inches" />
          </label>
        </div>
        <button type="button" className="inline" onClick={() => void saveAsPreset()} disabled={props.problem != null} data-action="save-preset">
          Save as preset…
        </button>
      </div>
      {props.forOrdersWithoutWeight && (
        <p className="muted" id="weight-if-none">
          Each order ships at what its items weigh. The weight here is only for orders without one; leave it blank to hold those
          orders back.
        </p>
      )}
      {saveError && (
        <p className="field-error" role="alert">
          {saveError}
        </p>
      )}
      {props.problem && (
        <p className="field-error" id="package-problem" role="alert">
          {props.problem}
        </p>
      )}
    </fieldset>
  );
}
