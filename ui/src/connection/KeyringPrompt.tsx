// The OS keyring is unavailable (no Secret Service, locked, refused): say so plainly and offer to
// keep USPS secrets in memory for this session, then try the failed action again.
import { useId, useState } from "react";
import { ipc, type AppError } from "../ipc";
import { ModalDialog } from "./ModalDialog";

export function KeyringPrompt(props: { error: AppError; retry?: () => void; onClose: () => void }) {
  const titleId = useId();
  const bodyId = useId();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<AppError | null>(null);
  const keepInMemory = async () => {
    setBusy(true);
    try {
      await ipc.uspsKeepSecretsInMemory();
      props.onClose();
      props.retry?.();
    } catch (e) {
      setFailed(e as AppError);
      setBusy(false);
    }
  };
  return (
    <ModalDialog titleId={titleId} describedBy={bodyId} onEscape={props.onClose} testId="keyring-prompt">
      <h2 id={titleId}>Shipdesk cannot reach your system keyring</h2>
      <div id={bodyId}>
        <p>USPS sign-ins are kept in the operating system's keyring, and it is not available right now.</p>
        <p className="muted">{props.error.message}</p>
        <p>
          You can keep this session in memory only: USPS works until you close Shipdesk, and you will need to sign in
          again next time.
        </p>
        {failed && <p className="field-error">{failed.message}</p>}
      </div>
      <div className="modal-actions">
        <button type="button" className="primary" onClick={keepInMemory} disabled={busy} data-action="keep-in-memory">
          Keep this session in memory only
        </button>
        <button type="button" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </ModalDialog>
  );
}
