// "Your USPS connection needs to be renewed": Reconnect runs the same sign-in as Carrier
// Settings › Edit › Login; on success the failed action is offered again (Retry). Escape is
// Remind Me Later, the gentle way out.
import { useEffect, useId } from "react";
import { ModalDialog } from "./ModalDialog";
import { SignInProblem, SignInWaiting } from "./SignInStatus";
import { useSignIn } from "./useSignIn";
import type { PromptRequest } from "./UspsConnection";
import type { SignInStart } from "../ipc";

function reconnectRequest(accountId: number | null): SignInStart {
  return {
    account: accountId,
    environment: null,
    base_url: null,
    fields: { nickname: null, crid: null, mid: null, manifest_mid: null, eps_account: null },
    port: null,
    client_id: null,
  };
}

export function ReconnectPrompt(props: {
  request: PromptRequest;
  ownApp: boolean;
  onRemindLater: () => void;
  onClose: () => void;
}) {
  const titleId = useId();
  const bodyId = useId();
  const { request } = props;
  const signIn = useSignIn();
  const { phase } = signIn;
  const canSignIn = !props.ownApp && request.accountId !== null;

  useEffect(() => {
    if (request.startNow && canSignIn) signIn.start(reconnectRequest(request.accountId));
    // Once per prompt: the key on <ReconnectPrompt> remounts it for a new request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const connected = phase.kind === "connected";
  const retry = request.retry && request.alive() ? request.retry : undefined;
  const onEscape = () => {
    if (connected) props.onClose();
    else {
      if (phase.kind === "waiting") signIn.cancel();
      props.onRemindLater();
    }
  };

  const openSettings = () => {
    props.onClose();
    window.location.hash = "#/settings/carriers";
  };

  return (
    <ModalDialog titleId={titleId} describedBy={bodyId} onEscape={onEscape} testId="reconnect-prompt">
      {connected ? (
        <>
          <h2 id={titleId}>USPS is connected again</h2>
          <div id={bodyId}>
            <p>
              {phase.outcome.account.nickname} is connected.
              {retry ? " You can try what failed again now." : ""}
            </p>
            {phase.outcome.warnings.map((w) => (
              <p key={w} className="notice notice-warn">
                {w}
              </p>
            ))}
          </div>
          <div className="modal-actions">
            {retry && (
              <button
                type="button"
                className="primary"
                data-action="retry"
                onClick={() => {
                  props.onClose();
                  retry();
                }}
              >
                Retry
              </button>
            )}
            <button type="button" data-action="close" onClick={props.onClose}>
              {retry ? "Not now" : "Close"}
            </button>
          </div>
        </>
      ) : (
        <>
          <h2 id={titleId}>Your USPS connection needs to be renewed</h2>
          <div id={bodyId}>
            <p>
              Shipdesk can no longer act for <strong>{request.nickname}</strong> at USPS, so labels, rates and pickups
              wait until you sign in again.
            </p>
            {request.message && <p className="muted">{request.message}</p>}
            {props.ownApp && (
              <p>
                This account uses your own USPS API app. Enter its current client secret in Carrier Settings ›
                USPS › Edit.
              </p>
            )}
          </div>
          {phase.kind === "waiting" && <SignInWaiting started={phase.started} onCancel={signIn.cancel} />}
          {phase.kind === "starting" && <p aria-live="polite">Opening USPS sign-in…</p>}
          {phase.kind === "failed" && (
            <SignInProblem error={phase.error} onTryAgain={() => signIn.start(phase.request)} />
          )}
          <div className="modal-actions">
            {phase.kind !== "waiting" && phase.kind !== "starting" && (
              <button
                type="button"
                className="primary"
                data-action="reconnect"
                onClick={() => (canSignIn ? signIn.start(reconnectRequest(request.accountId)) : openSettings())}
              >
                Reconnect
              </button>
            )}
            <button
              type="button"
              data-action="remind-later"
              onClick={() => {
                if (phase.kind === "waiting") signIn.cancel();
                props.onRemindLater();
              }}
            >
              Remind Me Later
            </button>
          </div>
        </>
      )}
    </ModalDialog>
  );
}
