import { useState } from "react";
import { ipc, type AppError, type PackagePreset } from "../../ipc";
import { draftFromPreset, toPackage, type PackageDraft } from "./packageForm";

/** Weight (lb + oz), dimensions (in) and the saved presets that fill them. */
export function PackageFields(props: {
  draft: PackageDraft;
  presets: PackagePreset[];
  onChange: (d: PackageDraft) => void;
  onPresetSaved: (p: PackagePreset) => void;
  problem: string | null;
}) {
  const { draft, presets, onChange } = props;
  const [saveError, setSaveError] = useState<string | null>(null);
  const saveAsPreset = async () => {
    const parsed = toPackage(draft);
    if (!("package" in parsed)) return;
    const name = window.prompt("Name for this box (e.g. Small box)")?.trim();
    if (!name) return;
    try {
      const saved = await ipc.packagePresetAdd({ name, dimensions: parsed.package.dimensions, weight_oz: parsed.package.weight_oz });
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
            <span>Weight lb</span>
            <input inputMode="decimal" value={draft.lb} onChange={set("lb")} aria-label="Weight, pounds" data-testid="weight-lb" />
          </label>
          <label className="field">
            <span>oz</span>
            <input inputMode="decimal" value={draft.oz} onChange={set("oz")} aria-label="Weight, ounces" data-testid="weight-oz" />
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
