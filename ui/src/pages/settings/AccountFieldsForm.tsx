// The identifiers an account carries (nickname, CRID, MIDs, EPS account), each with its own
// message from core's validation.
import { useId } from "react";
import type { AccountFields } from "../../ipc";
import type { FieldErrors } from "./fieldErrors";

type TextField = Exclude<keyof AccountFields, "has_contract" | "calls_per_hour">;

const FIELDS: { key: TextField; label: string; hint: string }[] = [
  { key: "nickname", label: "Nickname", hint: "How this account is shown in Shipdesk" },
  { key: "crid", label: "CRID", hint: "Customer Registration ID, digits (usually 8)" },
  { key: "mid", label: "MID", hint: "Mailer ID, 6 or 9 digits" },
  { key: "manifest_mid", label: "Manifest MID", hint: "The MID labels and SCAN forms are made under" },
  { key: "eps_account", label: "EPS account", hint: "Enterprise Payment System account, 10 digits" },
];

export const EMPTY_FIELDS: AccountFields = { nickname: null, crid: null, mid: null, manifest_mid: null, eps_account: null };

export function AccountFieldsForm(props: {
  value: AccountFields;
  onChange: (next: AccountFields) => void;
  errors: FieldErrors;
  only?: (keyof AccountFields)[];
}) {
  const base = useId();
  const shown = props.only ? FIELDS.filter((f) => props.only!.includes(f.key)) : FIELDS;
  const contractShown = !props.only || props.only.includes("has_contract");
  const allowanceShown = !props.only || props.only.includes("calls_per_hour");
  const allowanceId = `${base}-calls_per_hour`;
  const allowanceError = props.errors.calls_per_hour;
  return (
    <>
      {shown.map((f) => {
        const id = `${base}-${f.key}`;
        const error = props.errors[f.key];
        return (
          <div className="form-row" key={f.key}>
            <label htmlFor={id}>{f.label}</label>
            <div>
              <input
                id={id}
                name={f.key}
                data-field={f.key}
                value={props.value[f.key] ?? ""}
                placeholder={f.hint}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                onChange={(e) => props.onChange({ ...props.value, [f.key]: e.target.value })}
              />
              {error && (
                <p className="field-error" id={`${id}-error`} data-error-for={f.key}>
                  {error}
                </p>
              )}
            </div>
          </div>
        );
      })}
      {contractShown && (
        <div className="form-row">
          <span />
          <div>
            <label className="check">
              <input
                type="checkbox"
                data-field="has_contract"
                checked={props.value.has_contract ?? false}
                onChange={(e) => props.onChange({ ...props.value, has_contract: e.target.checked })}
              />
              Contract prices (NSA): labels are bought at this account’s USPS contract prices
            </label>
          </div>
        </div>
      )}
      {allowanceShown && (
        <div className="form-row">
          <label htmlFor={allowanceId}>Calls per hour</label>
          <div>
            <input
              id={allowanceId}
              type="number"
              min={1}
              step={1}
              inputMode="numeric"
              data-field="calls_per_hour"
              value={props.value.calls_per_hour ?? ""}
              placeholder="60 (USPS’s default)"
              aria-invalid={allowanceError ? true : undefined}
              aria-describedby={`${allowanceId}-hint`}
              onChange={(e) =>
                props.onChange({ ...props.value, calls_per_hour: e.target.value === "" ? undefined : Number(e.target.value) })
              }
            />
            <p className="muted" id={`${allowanceId}-hint`}>
              USPS allows each app 60 calls an hour per API unless it raised yours; long batches wait for the allowance.
            </p>
            {allowanceError && (
              <p className="field-error" data-error-for="calls_per_hour">
                {allowanceError}
              </p>
            )}
          </div>
        </div>
      )}
    </>
  );
}

/** Blank inputs mean "no value" to core. */
export function cleanFields(f: AccountFields): AccountFields {
  const v = (s: string | null) => (s && s.trim() ? s.trim() : null);
  return { nickname: v(f.nickname), crid: v(f.crid), mid: v(f.mid), manifest_mid: v(f.manifest_mid), eps_account: v(f.eps_account), has_contract: f.has_contract, calls_per_hour: f.calls_per_hour };
}
