// What the user sees while "Sign in with USPS" runs, and when it did not work: the consent
// address with a Copy button (in case the browser did not open), Cancel, and plain messages for
// a denied consent, a wrong state, a timeout or a missing keyring.
import { useState } from "react";
import { ipc, type AppError, type SignInStarted } from "../ipc";

export function SignInWaiting({ started, onCancel }: { started: SignInStarted; onCancel: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(started.url);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="sign-in-waiting" data-testid="sign-in-waiting" aria-live="polite">
      <p className="waiting-title">
        <span className="spinner" aria-hidden="true" /> Waiting for USPS sign-in…
      </p>
      <p className="muted">
        {started.browser_opened
          ? "Finish signing in in your browser, then come back here."
          : "The browser did not open. Copy this address into a browser to sign in."}
      </p>
      <div className="copy-row">
        <input readOnly aria-label="USPS sign-in address" value={started.url} data-field="consent-url" />
        <button type="button" onClick={copy} data-action="copy-url">
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <p className="muted small">USPS will return to {started.redirect_uri}.</p>
      <button type="button" onClick={onCancel} data-action="cancel-sign-in">
        Cancel
      </button>
    </div>
  );
}

/** A failed sign-in in the user's words; the keyring case offers the in-memory fallback. */
export function SignInProblem({ error, onTryAgain }: { error: AppError; onTryAgain: () => void }) {
  const [busy, setBusy] = useState(false);
  const [fallbackError, setFallbackError] = useState<AppError | null>(null);
  if (error.code === "SECRET_STORE_UNAVAILABLE") {
    const keepInMemory = async () => {
      setBusy(true);
      try {
        await ipc.uspsKeepSecretsInMemory();
        onTryAgain();
      } catch (e) {
        setFallbackError(e as AppError);
      } finally {
        setBusy(false);
      }
    };
    return (
      <div className="notice notice-warn" role="alert" data-error-code={error.code}>
        <strong>Shipdesk cannot reach your system keyring</strong>
        <p>
          Your USPS sign-in is normally kept in the operating system's keyring, and it is not available right
          now. {error.message}
        </p>
        <p>
          You can keep this session in memory only: USPS works until you close Shipdesk, and you will need to
          sign in again next time.
        </p>
        <button type="button" className="primary" onClick={keepInMemory} disabled={busy} data-action="keep-in-memory">
          Keep this session in memory only
        </button>
        {fallbackError && <p>{fallbackError.message}</p>}
      </div>
    );
  }
  return (
    <div className="notice notice-error" role="alert" data-error-code={error.code}>
      <strong>USPS sign-in did not finish</strong>
      <p>{error.message}</p>
      <button type="button" onClick={onTryAgain} data-action="try-again">
        Try again
      </button>
    </div>
  );
}
