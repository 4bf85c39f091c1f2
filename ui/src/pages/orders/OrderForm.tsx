import { useState, type FormEvent } from "react";
import type { AppError, Order, OrderInput } from "../../ipc";
import type { FieldProblem } from "../../bindings/FieldProblem";
import type { LineItem } from "../../bindings/LineItem";

const EMPTY_ITEM: LineItem = { sku: null, title: "", quantity: 1, unit_price: null, weight_oz: null };

export function orderToInput(o: Order): OrderInput {
  return { order_number: o.order_number, status: o.status, ship_to: { ...o.ship_to }, items: o.items.map((i) => ({ ...i })), tags: [...o.tags], notes: o.notes };
}

/** A row of the item list nobody filled in (the form starts with one): not an item. */
function isBlankItem(it: LineItem): boolean {
  return !it.sku?.trim() && !it.title.trim() && !it.unit_price?.trim() && !it.weight_oz?.trim();
}

/** Whether the country typed is the US (blank means the US), where ZIPs are digits only. */
function isUsCountry(country: string): boolean {
  return ["", "US", "USA", "UNITED STATES", "UNITED STATES OF AMERICA"].includes(country.trim().toUpperCase().replace(/\./g, ""));
}

function blankInput(): OrderInput {
  return {
    order_number: "",
    ship_to: { name: "", company: null, street1: "", street2: null, city: "", state: "", zip5: "", zip4: null, country: "US", phone: null, email: null },
    items: [{ ...EMPTY_ITEM }],
    tags: [],
    notes: null,
  };
}

/** Create or edit an order. Core validates; its problems appear next to the fields they name. */
export function OrderForm({ initial, onSave, onCancel }: { initial?: OrderInput; onSave: (i: OrderInput) => Promise<void>; onCancel: () => void }) {
  const [input, setInput] = useState<OrderInput>(initial ?? blankInput());
  const [zip, setZip] = useState(() => (initial ? initial.ship_to.zip5 + (initial.ship_to.zip4 ? `-${initial.ship_to.zip4}` : "") : ""));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const problemFor = (field: string) => problems.find((p) => p.field === field)?.message;
  const setAddr = (k: keyof OrderInput["ship_to"], v: string) =>
    setInput((s) => ({ ...s, ship_to: { ...s.ship_to, [k]: v === "" && k !== "name" && k !== "street1" && k !== "city" && k !== "state" && k !== "country" ? null : v } }));
  const setItem = (i: number, patch: Partial<LineItem>) =>
    setInput((s) => ({ ...s, items: s.items.map((it, j) => (j === i ? { ...it, ...patch } : it)) }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    // Core reads "12345-6789" whole; a postal code elsewhere keeps its spaces ("K1A 0A9").
    const zipText = isUsCountry(input.ship_to.country) ? zip.replace(/\s/g, "") : zip.trim();
    // An order may have no items (an address list): rows left blank are not items.
    const items = input.items.filter((it) => !isBlankItem(it));
    try {
      await onSave({ ...input, items, ship_to: { ...input.ship_to, zip5: zipText, zip4: null } });
    } catch (raw) {
      const e = raw as AppError;
      setProblems(e.details?.kind === "order_problems" ? e.details.problems : []);
      setError(e.message);
    } finally {
      setSaving(false);
    }
  };

  const field = (label: string, name: string, value: string | null, onChange: (v: string) => void, opts: { required?: boolean; width?: string } = {}) => {
    const problem = problemFor(name);
    const id = `f-${name.replace(/[^a-z0-9]/gi, "-")}`;
    return (
      <div className="field" style={opts.width ? { flex: `1 0 ${opts.width}`, maxWidth: `calc(${opts.width} * 1.6)` } : undefined}>
        <label htmlFor={id}>
          {label}
          {opts.required && <span aria-hidden="true"> *</span>}
        </label>
        <input
          id={id}
          name={name}
          value={value ?? ""}
          required={opts.required}
          aria-invalid={!!problem}
          aria-describedby={problem ? `${id}-err` : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
        {problem && (
          <span className="field-error" id={`${id}-err`}>
            {problem}
          </span>
        )}
      </div>
    );
  };

  const a = input.ship_to;
  return (
    <form className="order-form" onSubmit={submit} noValidate>
      {error && (
        <div className="notice notice-error" role="alert">
          {problems.length ? "Please fix the fields marked below." : error}
        </div>
      )}
      <div className="row">{field("Order number", "order_number", input.order_number, (v) => setInput((s) => ({ ...s, order_number: v })), { required: true })}</div>
      <fieldset>
        <legend>Ship to</legend>
        <div className="row">
          {field("Name", "ship_to.name", a.name, (v) => setAddr("name", v), { required: true })}
          {field("Company", "ship_to.company", a.company, (v) => setAddr("company", v))}
        </div>
        <div className="row">
          {field("Street", "ship_to.street1", a.street1, (v) => setAddr("street1", v), { required: true })}
          {field("Apt, suite", "ship_to.street2", a.street2, (v) => setAddr("street2", v))}
        </div>
        <div className="row">
          {field("City", "ship_to.city", a.city, (v) => setAddr("city", v), { required: true })}
          {field("State", "ship_to.state", a.state, (v) => setAddr("state", v), { required: isUsCountry(a.country), width: "70px" })}
          {field("ZIP", "ship_to.zip", zip, setZip, { required: isUsCountry(a.country), width: "110px" })}
          {field("Country", "ship_to.country", a.country, (v) => setAddr("country", v), { width: "90px" })}
        </div>
        <div className="row">
          {field("Phone", "ship_to.phone", a.phone, (v) => setAddr("phone", v))}
          {field("Email", "ship_to.email", a.email, (v) => setAddr("email", v))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Items</legend>
        {input.items.map((it, i) => (
          <div className="row item-row" key={i}>
            {field("SKU", `items[${i}].sku`, it.sku, (v) => setItem(i, { sku: v || null }), { width: "110px" })}
            {field("Title", `items[${i}].title`, it.title, (v) => setItem(i, { title: v }), { required: true })}
            {field("Qty", `items[${i}].quantity`, String(it.quantity), (v) => setItem(i, { quantity: Number(v) || 0 }), { width: "60px" })}
            {field("Price ($)", `items[${i}].unit_price`, it.unit_price, (v) => setItem(i, { unit_price: v || null }), { width: "90px" })}
            {field("Weight (oz)", `items[${i}].weight_oz`, it.weight_oz, (v) => setItem(i, { weight_oz: v || null }), { width: "90px" })}
            {(input.items.length > 1 || !isBlankItem(it)) && (
              <button type="button" className="inline" aria-label={`Remove item ${i + 1}`} onClick={() => setInput((s) => ({ ...s, items: s.items.filter((_, j) => j !== i) }))}>
                Remove
              </button>
            )}
          </div>
        ))}
        <button type="button" onClick={() => setInput((s) => ({ ...s, items: [...s.items, { ...EMPTY_ITEM }] }))}>
          Add item
        </button>
      </fieldset>
      <div className="field">
        <label htmlFor="f-notes">Notes</label>
        <textarea id="f-notes" value={input.notes ?? ""} onChange={(e) => setInput((s) => ({ ...s, notes: e.target.value || null }))} />
      </div>
      <div className="form-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={saving}>
          {saving ? "Saving…" : "Save order"}
        </button>
      </div>
    </form>
  );
}
