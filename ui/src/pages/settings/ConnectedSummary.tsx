// After connecting: the account as USPS described it (CRID/MIDs/EPS prefilled from the token when
// it said so), editable before the user goes back to the list with Done.
import { useState } from "react";
import { ipc, type AccountFields, type AppError, type ConnectOutcome } from "../../ipc";
import { AccountFieldsForm, cleanFields } from "./AccountFieldsForm";
import { fieldErrors } from "./fieldErrors";
import { StatusChip } from "./StatusChip";

export function ConnectedSummary({ outcome, onDone }: { outcome: ConnectOutcome; onDone: () => void }) {
  const a = outcome.account;
  const [fields, setFields] = useState<AccountFields>({
    nickname: a.nickname,
    crid: a.crid,
    mid: a.mid,
    manifest_mid: a.manifest_mid,
    eps_account: a.eps_account,
  });
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  const done = async () => {
    setError(null);
    try {
      await ipc.uspsUpdateAccount(a.id, cleanFields(fields));
      setSaved(true);
      onDone();
    } catch (e) {
      setError(e as AppError);
    }
  };
  return (
    <div className="panel" data-testid="account-connected" aria-live="polite">
      <h3>
        {a.nickname} is connected <StatusChip state={a.state} />
      </h3>
      {outcome.warnings.map((w) => (
        <p key={w} className="notice notice-warn">
          {w}
        </p>
      ))}
      <p className="muted">Check the identifiers USPS gave us; fill in what is missing.</p>
      <div className="form-grid">
        <AccountFieldsForm value={fields} onChange={setFields} errors={fieldErrors(error)} />
      </div>
      {error && error.code !== "VALIDATION" && <p className="field-error">{error.message}</p>}
      <div className="section-actions">
        <button type="button" className="primary" onClick={done} data-action="done" disabled={saved}>
          Done
        </button>
      </div>
    </div>
  );
}
