// The customs declaration of a package abroad, as core prefilled it (the order's items, and per
// SKU what earlier labels abroad said). Core decides what is missing: its field keys
// (`customs.items[0].hs_tariff`) put each message beside its input, before and after Buy.
import { useId } from "react";
import type { ContentsType, CustomsDeclaration, CustomsItem, NonDelivery, Restriction } from "../../ipc";
import type { FieldErrors } from "../settings/fieldErrors";

const CONTENTS: [ContentsType, string][] = [
  ["merchandise", "Merchandise (sold goods)"],
  ["gift", "Gift"],
  ["documents", "Documents"],
  ["commercial_sample", "Commercial sample"],
  ["returned_goods", "Returned goods"],
  ["other", "Other"],
];

const NON_DELIVERY: [NonDelivery, string][] = [
  ["return", "Return it to me"],
  ["abandon", "Treat it as abandoned"],
];

const RESTRICTIONS: [Restriction | "", string][] = [
  ["", "None"],
  ["quarantine", "Quarantine"],
  ["sanitary_inspection", "Sanitary inspection"],
  ["phytosanitary_inspection", "Phytosanitary inspection (plants)"],
  ["other", "Other"],
];

type ItemField = "description" | "quantity" | "value_usd" | "weight_oz" | "hs_tariff" | "origin_country";

const COLUMNS: { field: ItemField; label: string; width: string; hint?: string }[] = [
  { field: "description", label: "Description", width: "28%" },
  { field: "quantity", label: "Qty", width: "7%" },
  { field: "value_usd", label: "Value each (USD)", width: "13%" },
  { field: "weight_oz", label: "Weight each (oz)", width: "12%" },
  { field: "hs_tariff", label: "HS tariff number", width: "17%", hint: "e.g. 3304.99" },
  { field: "origin_country", label: "Made in", width: "13%", hint: "e.g. US" },
];

function itemValue(item: CustomsItem, field: ItemField): string {
  const v = item[field];
  return v == null ? "" : String(v);
}

function withItemValue(item: CustomsItem, field: ItemField, text: string): CustomsItem {
  if (field === "quantity") return { ...item, quantity: Number.parseInt(text, 10) || 0 };
  if (field === "hs_tariff" || field === "origin_country") return { ...item, [field]: text.trim() === "" ? null : text };
  // Amounts take digits and one point; other keys are ignored.
  if (field === "value_usd" || field === "weight_oz") return /^\d*\.?\d*$/.test(text.trim()) ? { ...item, [field]: text.trim() } : item;
  return { ...item, [field]: text };
}

export function CustomsForm(props: {
  value: CustomsDeclaration;
  onChange: (next: CustomsDeclaration) => void;
  /** Core's messages by field (`customs.items[0].hs_tariff`, `customs.aes_itn`). */
  errors: FieldErrors;
  country: string;
  fromSaved: number;
}) {
  const base = useId();
  const d = props.value;
  const error = (key: string) => props.errors[key];
  const setItem = (i: number, item: CustomsItem) => props.onChange({ ...d, items: d.items.map((x, j) => (j === i ? item : x)) });
  const total = d.items.reduce((t, i) => t + Number(i.value_usd || 0) * i.quantity, 0);
  return (
    <div className="customs-form" data-testid="customs-form">
      <p className="muted">
        USPS prints this declaration with the label for {props.country}.
        {props.fromSaved > 0 && ` ${props.fromSaved === 1 ? "One item was" : `${props.fromSaved} items were`} filled in from an earlier label of the same product.`}
      </p>
      <div className="form-row">
        <label htmlFor={`${base}-contents`}>Contents</label>
        <select id={`${base}-contents`} data-field="customs.contents" value={d.contents} onChange={(e) => props.onChange({ ...d, contents: e.target.value as ContentsType })}>
          {CONTENTS.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {d.contents === "other" && (
        <div className="form-row">
          <label htmlFor={`${base}-comments`}>What it is</label>
          <div>
            <input id={`${base}-comments`} data-field="customs.comments" maxLength={25} value={d.comments ?? ""} onChange={(e) => props.onChange({ ...d, comments: e.target.value })} />
            {error("customs.comments") && <p className="field-error" data-error-for="customs.comments">{error("customs.comments")}</p>}
          </div>
        </div>
      )}
      <table className="customs-items" data-testid="customs-items">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.field} style={{ width: c.width }}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {d.items.map((item, i) => (
            <tr key={i}>
              {COLUMNS.map((c) => {
                const key = `customs.items[${i}].${c.field}`;
                const message = error(key);
                return (
                  <td key={c.field}>
                    <input
                      aria-label={`Item ${i + 1} ${c.label}`}
                      data-field={key}
                      value={itemValue(item, c.field)}
                      placeholder={c.hint}
                      inputMode={c.field === "description" || c.field === "origin_country" ? undefined : "decimal"}
                      aria-invalid={message ? true : undefined}
                      onChange={(e) => setItem(i, withItemValue(item, c.field, e.target.value))}
                    />
                    {message && (
                      <p className="field-error" data-error-for={key}>
                        {message}
                      </p>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {error("customs.items") && <p className="field-error" data-error-for="customs.items">{error("customs.items")}</p>}
      <p className="muted" data-testid="customs-total">
        Declared value ${total.toFixed(2)}.
      </p>
      <div className="form-row">
        <label htmlFor={`${base}-nondelivery`}>If it cannot be delivered</label>
        <select id={`${base}-nondelivery`} data-field="customs.non_delivery" value={d.non_delivery} onChange={(e) => props.onChange({ ...d, non_delivery: e.target.value as NonDelivery })}>
          {NON_DELIVERY.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="form-row">
        <label htmlFor={`${base}-restriction`}>Restrictions</label>
        <select
          id={`${base}-restriction`}
          data-field="customs.restriction"
          value={d.restriction ?? ""}
          onChange={(e) => props.onChange({ ...d, restriction: e.target.value === "" ? null : (e.target.value as Restriction) })}
        >
          {RESTRICTIONS.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {d.restriction === "other" && (
        <div className="form-row">
          <label htmlFor={`${base}-restriction-comments`}>Which restriction</label>
          <div>
            <input
              id={`${base}-restriction-comments`}
              data-field="customs.restriction_comments"
              maxLength={25}
              value={d.restriction_comments ?? ""}
              onChange={(e) => props.onChange({ ...d, restriction_comments: e.target.value })}
            />
            {error("customs.restriction_comments") && (
              <p className="field-error" data-error-for="customs.restriction_comments">
                {error("customs.restriction_comments")}
              </p>
            )}
          </div>
        </div>
      )}
      <div className="form-row">
        <label htmlFor={`${base}-itn`}>AES ITN</label>
        <div>
          <input
            id={`${base}-itn`}
            data-field="customs.aes_itn"
            value={d.aes_itn ?? ""}
            placeholder="Only for exports over $2,500 per Schedule B number"
            aria-invalid={error("customs.aes_itn") ? true : undefined}
            onChange={(e) => props.onChange({ ...d, aes_itn: e.target.value.trim() === "" ? null : e.target.value })}
          />
          {error("customs.aes_itn") && (
            <p className="field-error" data-error-for="customs.aes_itn">
              {error("customs.aes_itn")}
            </p>
          )}
        </div>
      </div>
    </div>
  );
}

/** The declaration as core reads it: amounts as exact decimals ("3." → "3", blank → "0"). */
export function declarationToSend(d: CustomsDeclaration): CustomsDeclaration {
  const amount = (t: string) => {
    const v = t.replace(/\.$/, "");
    return /^\d+(\.\d+)?$/.test(v) ? v : /^\.\d+$/.test(v) ? `0${v}` : "0";
  };
  return { ...d, items: d.items.map((i) => ({ ...i, value_usd: amount(i.value_usd), weight_oz: amount(i.weight_oz) })) };
}
