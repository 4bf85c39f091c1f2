// Not entitled / not linked: signing in again would not help, so instead of the Reconnect prompt
// the user reads what USPS is missing and what to do about it — the account's state as core
// recorded it for this failure.
import type { AppError } from "../ipc";
import { connectionOf } from "./connectionReducer";

export function Diagnosis({ error, onDismiss }: { error: AppError; onDismiss: () => void }) {
  const state = connectionOf(error)?.state;
  const missing = state?.state === "not_entitled" ? state.missing : [];
  const fix = state?.state === "not_entitled" ? state.fix : error.message;
  const title =
    error.code === "USPS_NOT_ENTITLED"
      ? "USPS has not granted Shipdesk what this needs"
      : "This USPS login is not linked to the account's CRID and MIDs";
  return (
    <div className="notice notice-warn usps-diagnosis" role="alert" data-testid="usps-diagnosis" data-error-code={error.code}>
      <strong>{title}</strong>
      {missing.length > 0 && (
        <p>
          Missing: <span data-field="missing">{missing.join(", ")}</span>
        </p>
      )}
      <p data-field="fix">{fix}</p>
      <p className="muted small">Signing in again will not change this; it is settled in the USPS portals.</p>
      <div className="modal-actions">
        <button
          type="button"
          onClick={() => {
            onDismiss();
            window.location.hash = "#/settings/carriers";
          }}
        >
          Open Carrier Settings
        </button>
        <button type="button" onClick={onDismiss} data-action="dismiss-diagnosis">
          Dismiss
        </button>
      </div>
    </div>
  );
}
