// "Log in to Endicia again": the Endicia account that pays for labels lost its login (pass
// phrase changed elsewhere, account suspended, or no remembered login after a restart). Core
// says so in its connection snapshot (`endicia`); like USPS's Reconnect, a banner stays until
// the user logs in, and a prompt offers Log in again or Remind Me Later (core keeps the snooze).
import { useId } from "react";
import { ModalDialog } from "./ModalDialog";
import type { EndiciaAttention } from "../ipc";

const POSTAGE_SETTINGS = "#/settings/postage";

export function EndiciaBanner({ attention }: { attention: EndiciaAttention }) {
  return (
    <div className="usps-banner" role="status" data-testid="endicia-banner">
      <span>
        Endicia account {attention.account_number} needs you to log in again before labels can be paid from it.
      </span>
      <a href={POSTAGE_SETTINGS} className="link-button" data-action="endicia-log-in-again">
        Log in again
      </a>
    </div>
  );
}

export function EndiciaPrompt(props: { attention: EndiciaAttention; onLogIn: () => void; onRemindLater: () => void }) {
  const titleId = useId();
  const bodyId = useId();
  const logIn = () => {
    props.onLogIn();
    window.location.hash = POSTAGE_SETTINGS;
  };
  return (
    <ModalDialog titleId={titleId} describedBy={bodyId} onEscape={props.onRemindLater} testId="endicia-prompt">
      <h2 id={titleId}>Log in to Endicia again</h2>
      <p id={bodyId}>
        Labels are paid from Endicia account {props.attention.account_number}, and it needs you to log in again:{" "}
        {props.attention.reason}
      </p>
      <div className="modal-actions">
        <button type="button" onClick={props.onRemindLater} data-action="endicia-remind-later">
          Remind Me Later
        </button>
        <button type="button" className="primary" onClick={logIn} data-action="endicia-prompt-log-in">
          Log in again
        </button>
      </div>
    </ModalDialog>
  );
}
