// Edit one USPS account: its identifiers (validated per field by core), the Connection section,
// default and removal.
import { useState } from "react";
import { ipc, type AccountFields, type AppError, type UspsAccountRecord } from "../../ipc";
import { AccountFieldsForm, cleanFields } from "./AccountFieldsForm";
import { ConnectionSection } from "./ConnectionSection";
import { fieldErrors } from "./fieldErrors";
import { ENVIRONMENT_LABEL } from "./StatusChip";

export function EditAccount(props: { account: UspsAccountRecord; onBack: () => void; onChanged: () => void }) {
  const a = props.account;
  const [fields, setFields] = useState<AccountFields>({ nickname: a.nickname, crid: a.crid, mid: a.mid, manifest_mid: a.manifest_mid, eps_account: a.eps_account, has_contract: a.has_contract, calls_per_hour: a.calls_per_hour ?? undefined });
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [removeError, setRemoveError] = useState<AppError | null>(null);

  const save = async () => {
    setError(null);
    setSaved(false);
    try {
      const cleaned = cleanFields(fields);
      // Saving other fields leaves what USPS detected alone; only a changed box is the user's word.
      if (cleaned.has_contract === a.has_contract) delete cleaned.has_contract;
      if (cleaned.calls_per_hour == null || cleaned.calls_per_hour === a.calls_per_hour) delete cleaned.calls_per_hour;
      await ipc.uspsUpdateAccount(a.id, cleaned);
      setSaved(true);
      props.onChanged();
    } catch (e) {
      setError(e as AppError);
    }
  };
  const remove = async () => {
    setRemoveError(null);
    try {
      await ipc.uspsRemove(a.id);
      props.onChanged();
      props.onBack();
    } catch (e) {
      setRemoveError(e as AppError);
      setConfirmRemove(false);
    }
  };
  const errors = fieldErrors(error);
  return (
    <div data-testid="edit-account" data-account={a.nickname}>
      <div className="section-actions">
        <button type="button" onClick={props.onBack} data-action="back-to-accounts">
          ← USPS accounts
        </button>
      </div>
      <h3>
        {a.nickname} <span className="muted">· {ENVIRONMENT_LABEL[a.environment]}</span>
      </h3>
      <section className="panel" aria-label="Account details">
        <div className="form-grid">
          <AccountFieldsForm value={fields} onChange={(f) => { setFields(f); setSaved(false); }} errors={errors} />
        </div>
        {error && Object.keys(errors).length === 0 && (
          <p className="field-error" role="alert">
            {error.message}
          </p>
        )}
        <div className="section-actions">
          <button type="button" className="primary" onClick={save} data-action="save-account">
            Save
          </button>
          {saved && <span role="status">Saved.</span>}
        </div>
      </section>
      <ConnectionSection account={a} onChanged={props.onChanged} />
      <section className="panel" aria-label="Remove">
        {removeError && <RemoveRefused error={removeError} />}
        {confirmRemove ? (
          <div className="row-actions" role="group" aria-label="Confirm removal">
            <span>Disconnect and remove {a.nickname} from Shipdesk? Shipments already bought stay.</span>
            <button type="button" className="danger" onClick={remove} data-action="confirm-remove">
              Remove account
            </button>
            <button type="button" onClick={() => setConfirmRemove(false)}>
              Keep it
            </button>
          </div>
        ) : (
          <button type="button" onClick={() => setConfirmRemove(true)} data-action="remove-account">
            Remove account…
          </button>
        )}
      </section>
    </div>
  );
}

// Why the account was not removed. Unfinished label purchases keep it (they are settled through
// it): core names their orders, all of them listed here.
function RemoveRefused(props: { error: AppError }) {
  const details = props.error.details;
  return (
    <div className="field-error" role="alert" data-testid="remove-refused">
      <p>{props.error.message}</p>
      {details?.kind === "account_has_open_purchases" && (
        <ul aria-label="Orders with unfinished purchases">
          {details.order_numbers.map((number) => (
            <li key={number} data-order-number={number}>
              Order {number}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
