import { useState, type FormEvent } from "react";
import { ipc, type AppError, type ShipFromAddress } from "../../ipc";
import { ErrorNotice } from "../../components/ErrorNotice";

const BLANK = { nickname: "", name: "", company: "", street1: "", street2: "", city: "", state: "", zip: "", phone: "", email: "" };

/** Chooses one of the saved ship-from addresses; adds one inline (the first one, or another). */
export function ShipFromPicker(props: {
  addresses: ShipFromAddress[];
  selected: number | null;
  onSelect: (id: number) => void;
  onAdded: (a: ShipFromAddress) => void;
}) {
  const [adding, setAdding] = useState(props.addresses.length === 0);
  const [form, setForm] = useState(BLANK);
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (k: keyof typeof BLANK) => (e: React.ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [k]: e.target.value }));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const [zip5, zip4] = form.zip.replace(/\s/g, "").split("-");
    const orNull = (s: string) => (s.trim() === "" ? null : s.trim());
    setSaving(true);
    try {
      const saved = await ipc.shipFromAdd({
        nickname: form.nickname.trim() || form.name.trim(),
        address: {
          name: form.name.trim(),
          company: orNull(form.company),
          street1: form.street1.trim(),
          street2: orNull(form.street2),
          city: form.city.trim(),
          state: form.state.trim().toUpperCase(),
          zip5: zip5 ?? "",
          zip4: zip4 ?? null,
          country: "US",
          phone: orNull(form.phone),
          email: orNull(form.email),
        },
        is_default: props.addresses.length === 0,
      });
      setError(null);
      setAdding(false);
      setForm(BLANK);
      props.onAdded(saved);
    } catch (err) {
      setError(err as AppError);
    } finally {
      setSaving(false);
    }
  };

  return (
    <fieldset className="ship-section">
      <legend>Ship from</legend>
      {props.addresses.length > 0 && (
        <div className="row">
          <label className="field">
            <span>Address</span>
            <select
              aria-label="Ship-from address"
              value={props.selected ?? ""}
              onChange={(e) => props.onSelect(Number(e.target.value))}
              data-testid="ship-from"
            >
              {props.addresses.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.nickname} — {a.address.street1}, {a.address.city} {a.address.state}
                  {a.is_default ? " (default)" : ""}
                </option>
              ))}
            </select>
          </label>
          {!adding && (
            <button type="button" onClick={() => setAdding(true)} className="inline">
              Add address…
            </button>
          )}
        </div>
      )}
      {adding && (
        <form onSubmit={save} aria-label="New ship-from address" data-testid="ship-from-form">
          {props.addresses.length === 0 && <p className="muted">Where do these packages ship from? Saved for next time.</p>}
          <div className="row">
            <label className="field"><span>Nickname</span><input value={form.nickname} onChange={set("nickname")} placeholder="Shop" data-field="nickname" /></label>
            <label className="field"><span>Name</span><input value={form.name} onChange={set("name")} required data-field="name" /></label>
            <label className="field"><span>Company</span><input value={form.company} onChange={set("company")} data-field="company" /></label>
          </div>
          <div className="row">
            <label className="field"><span>Street</span><input value={form.street1} onChange={set("street1")} required data-field="street1" /></label>
            <label className="field"><span>Apt / suite</span><input value={form.street2} onChange={set("street2")} data-field="street2" /></label>
          </div>
          <div className="row">
            <label className="field"><span>City</span><input value={form.city} onChange={set("city")} required data-field="city" /></label>
            <label className="field"><span>State</span><input value={form.state} onChange={set("state")} required maxLength={2} data-field="state" /></label>
            <label className="field"><span>ZIP</span><input value={form.zip} onChange={set("zip")} required data-field="zip" /></label>
          </div>
          <div className="row">
            <label className="field"><span>Phone</span><input value={form.phone} onChange={set("phone")} data-field="phone" /></label>
            <label className="field"><span>Email (USPS pickup notices)</span><input type="email" value={form.email} onChange={set("email")} data-field="email" /></label>
          </div>
          {error && <ErrorNotice error={error} title="The address was not saved" />}
          <div className="form-actions">
            {props.addresses.length > 0 && (
              <button type="button" onClick={() => setAdding(false)}>
                Cancel
              </button>
            )}
            <button type="submit" disabled={saving} data-action="save-ship-from">
              Save ship-from address
            </button>
          </div>
        </form>
      )}
    </fieldset>
  );
}
