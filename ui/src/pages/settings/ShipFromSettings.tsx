// Settings › Ship-from addresses: the addresses labels ship from — add, edit, make default,
// delete. Core decides what "delete" does: an address no label, SCAN form or pickup uses is
// deleted; one they use is archived (kept for those records, no longer offered), and the page
// says which happened.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { ipc, type AppError, type ShipFromAddress, type ShipFromInput } from "../../ipc";
import { EmptyState } from "../../components/EmptyState";
import { ErrorNotice } from "../../components/ErrorNotice";
import { fieldErrors, type FieldErrors } from "./fieldErrors";
import "./settings.css";

type Draft = {
  nickname: string;
  name: string;
  company: string;
  street1: string;
  street2: string;
  city: string;
  state: string;
  zip: string;
  phone: string;
  email: string;
  is_default: boolean;
};

const BLANK: Draft = { nickname: "", name: "", company: "", street1: "", street2: "", city: "", state: "", zip: "", phone: "", email: "", is_default: false };

function draftOf(a: ShipFromAddress): Draft {
  const x = a.address;
  return {
    nickname: a.nickname,
    name: x.name,
    company: x.company ?? "",
    street1: x.street1,
    street2: x.street2 ?? "",
    city: x.city,
    state: x.state,
    zip: x.zip4 ? `${x.zip5}-${x.zip4}` : x.zip5,
    phone: x.phone ?? "",
    email: x.email ?? "",
    is_default: a.is_default,
  };
}

/** What core takes: blank optional fields are null, "12345-6789" is split into ZIP and ZIP+4. */
export function inputOf(d: Draft): ShipFromInput {
  const orNull = (s: string) => (s.trim() === "" ? null : s.trim());
  const [zip5, zip4] = d.zip.replace(/\s/g, "").split("-");
  return {
    nickname: d.nickname.trim(),
    address: {
      name: d.name.trim(),
      company: orNull(d.company),
      street1: d.street1.trim(),
      street2: orNull(d.street2),
      city: d.city.trim(),
      state: d.state.trim().toUpperCase(),
      zip5: zip5 ?? "",
      zip4: zip4 ? zip4 : null,
      country: "US",
      phone: orNull(d.phone),
      email: orNull(d.email),
    },
    is_default: d.is_default,
  };
}

type View = { kind: "list" } | { kind: "add" } | { kind: "edit"; address: ShipFromAddress };

export function ShipFromSettings() {
  const [addresses, setAddresses] = useState<ShipFromAddress[] | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const [view, setView] = useState<View>({ kind: "list" });
  const [status, setStatus] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);

  const load = useCallback(async () => {
    try {
      setAddresses(await ipc.shipFromList());
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

  const makeDefault = (a: ShipFromAddress) =>
    act(async () => {
      await ipc.shipFromSetDefault(a.id);
      return `${a.nickname} is now the default ship-from address.`;
    });

  const remove = (a: ShipFromAddress) =>
    act(async () => {
      setConfirming(null);
      const outcome = await ipc.shipFromRemove(a.id);
      return outcome === "deleted"
        ? `${a.nickname} was deleted.`
        : `${a.nickname} was archived: labels, SCAN forms or pickups use it, so it is kept for them but no longer offered when you ship.`;
    });

  const saved = (message: string) => {
    setView({ kind: "list" });
    setStatus(message);
    setActionError(null);
    void load();
  };

  return (
    <div role="tabpanel" data-panel="ship-from" className="settings-panel">
      <h2>Ship-from addresses</h2>
      <p className="muted">The addresses your labels show as the sender. The default is used when you ship unless you pick another.</p>
      {loadError && <ErrorNotice error={loadError} title="Could not read the ship-from addresses" />}
      {status && (
        <p className="notice notice-ok" role="status" data-testid="ship-from-status">
          {status}
        </p>
      )}
      {actionError && <ErrorNotice error={actionError} />}
      {view.kind === "add" && (
        <ShipFromForm
          title="Add a ship-from address"
          initial={{ ...BLANK, is_default: (addresses?.length ?? 0) === 0 }}
          onSave={async (input) => {
            const a = await ipc.shipFromAdd(input);
            saved(`${a.nickname} was added.`);
          }}
          onCancel={() => setView({ kind: "list" })}
        />
      )}
      {view.kind === "edit" && (
        <ShipFromForm
          key={view.address.id}
          title={`Edit ${view.address.nickname}`}
          initial={draftOf(view.address)}
          editing
          onSave={async (input) => {
            const a = await ipc.shipFromUpdate(view.address.id, input);
            saved(`${a.nickname} was saved. Labels already bought keep the address they were bought with.`);
          }}
          onCancel={() => setView({ kind: "list" })}
        />
      )}
      {view.kind === "list" && addresses && (
        <>
          <div className="section-actions">
            <button type="button" className="primary" data-action="add-ship-from" onClick={() => setView({ kind: "add" })}>
              Add address
            </button>
          </div>
          {addresses.length === 0 ? (
            <EmptyState title="No ship-from addresses yet">
              <p>Add the address your packages ship from: USPS prints it on every label.</p>
            </EmptyState>
          ) : (
            <ul className="settings-list" data-testid="ship-from-list">
              {addresses.map((a) => (
                <li key={a.id} data-ship-from={a.nickname} className="settings-item">
                  <div className="settings-item-main">
                    <strong>{a.nickname}</strong>
                    {a.is_default && (
                      <span className="chip default-chip" data-field="default">
                        Default
                      </span>
                    )}
                    <div className="muted">{oneLine(a)}</div>
                  </div>
                  {confirming === a.id ? (
                    <div className="settings-confirm" role="group" aria-label={`Confirm deleting ${a.nickname}`}>
                      <span>
                        Delete {a.nickname}? If labels, SCAN forms or pickups used it, it is archived instead: kept for them, no longer offered.
                      </span>
                      <button type="button" className="danger" data-action="confirm-delete" onClick={() => void remove(a)}>
                        Delete
                      </button>
                      <button type="button" onClick={() => setConfirming(null)}>
                        Keep
                      </button>
                    </div>
                  ) : (
                    <div className="settings-item-actions">
                      <button type="button" data-action="edit" aria-label={`Edit ${a.nickname}`} onClick={() => setView({ kind: "edit", address: a })}>
                        Edit
                      </button>
                      {!a.is_default && (
                        <button type="button" data-action="make-default" aria-label={`Make ${a.nickname} the default`} onClick={() => void makeDefault(a)}>
                          Make default
                        </button>
                      )}
                      <button type="button" data-action="delete" aria-label={`Delete ${a.nickname}`} onClick={() => setConfirming(a.id)}>
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
      {view.kind === "list" && !addresses && !loadError && <p aria-live="polite">Reading the ship-from addresses…</p>}
    </div>
  );
}

function oneLine(a: ShipFromAddress): string {
  const x = a.address;
  const zip = x.zip4 ? `${x.zip5}-${x.zip4}` : x.zip5;
  return [x.company ? `${x.name}, ${x.company}` : x.name, x.street1, x.street2, `${x.city}, ${x.state} ${zip}`].filter(Boolean).join(" · ");
}

const FIELDS: { key: keyof Omit<Draft, "is_default">; label: string; errorKey: string; hint?: string; required?: boolean; short?: boolean }[] = [
  { key: "nickname", label: "Nickname", errorKey: "nickname", hint: "e.g. Shop, Warehouse" },
  { key: "name", label: "Name", errorKey: "name", required: true },
  { key: "company", label: "Company", errorKey: "company" },
  { key: "street1", label: "Street address", errorKey: "street1", required: true },
  { key: "street2", label: "Apt, suite, unit", errorKey: "street2" },
  { key: "city", label: "City", errorKey: "city", required: true },
  { key: "state", label: "State", errorKey: "state", hint: "e.g. MO", required: true, short: true },
  { key: "zip", label: "ZIP Code", errorKey: "zip5", hint: "12345 or 12345-6789", required: true, short: true },
  { key: "phone", label: "Phone", errorKey: "phone" },
  { key: "email", label: "Email", errorKey: "email", hint: "For USPS pickups and notices" },
];

function ShipFromForm(props: {
  title: string;
  initial: Draft;
  editing?: boolean;
  onSave: (input: ShipFromInput) => Promise<void>;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(props.initial);
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const base = useId();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const errors: FieldErrors = fieldErrors(error, "ship_from");
  if (errors.zip4) errors.zip5 = errors.zip5 ? `${errors.zip5}; ${errors.zip4}` : errors.zip4;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await props.onSave(inputOf(draft));
    } catch (err) {
      setError(err as AppError);
    } finally {
      setSaving(false);
    }
  };
  const shownAtFields = FIELDS.some((f) => errors[f.errorKey]);
  return (
    <form className="panel settings-form" data-testid="ship-from-form" onSubmit={submit} noValidate aria-labelledby={`${base}-title`}>
      <h3 id={`${base}-title`}>{props.title}</h3>
      <div className="settings-fields">
        {FIELDS.map((f, i) => {
          const id = `${base}-${f.key}`;
          const message = errors[f.errorKey];
          return (
            <div className={f.short ? "settings-field short" : "settings-field"} key={f.key}>
              <label htmlFor={id}>
                {f.label}
                {f.required && <span aria-hidden="true"> *</span>}
              </label>
              <input
                id={id}
                ref={i === 0 ? first : undefined}
                data-field={f.key}
                value={draft[f.key]}
                placeholder={f.hint}
                autoComplete="off"
                aria-required={f.required ? true : undefined}
                aria-invalid={message ? true : undefined}
                aria-describedby={message ? `${id}-error` : undefined}
                onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
              />
              {message && (
                <p className="field-error" id={`${id}-error`} data-error-for={f.errorKey}>
                  {message}
                </p>
              )}
            </div>
          );
        })}
      </div>
      {!(props.editing && props.initial.is_default) && (
        <label className="settings-check">
          <input type="checkbox" checked={draft.is_default} onChange={(e) => setDraft({ ...draft, is_default: e.target.checked })} data-field="is_default" />
          Make this the default ship-from address
        </label>
      )}
      {error && !shownAtFields && <ErrorNotice error={error} />}
      <div className="section-actions">
        <button type="submit" className="primary" disabled={saving} data-action="save-ship-from">
          {saving ? "Saving…" : "Save"}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
