// Edit › Connection: how the account reaches USPS, its state and what to do about it, Login
// (reconnect at any time), the own app's credentials, Disconnect and Check connection.
import { useState } from "react";
import { ipc, type AppError, type ConnectOutcome, type UspsAccountRecord } from "../../ipc";
import { useConnectionCheck } from "../../connection/UspsConnection";
import { SignInProblem, SignInWaiting } from "../../connection/SignInStatus";
import { useSignIn } from "../../connection/useSignIn";
import { EMPTY_FIELDS } from "./AccountFieldsForm";
import { AdvancedOptions, PortRow, portNumber, useRedirectPort } from "./AddAccount";
import { DoctorChecklist } from "./DoctorChecklist";
import { fieldErrors } from "./fieldErrors";
import { StatusChip, verifiedSentence } from "./StatusChip";

const SHARED_LOGIN_WARNING =
  "Changing how this account signs in replaces the saved USPS authorization. Other systems that use the same USPS login (or the same USPS app) must be updated too.";

export function ConnectionSection({ account, onChanged }: { account: UspsAccountRecord; onChanged: () => void }) {
  const [port, setPort] = useRedirectPort();
  const [notes, setNotes] = useState<string[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [confirmDisconnect, setConfirmDisconnect] = useState(false);
  const doctor = useConnectionCheck(account.id);
  const [connectedNow, setConnectedNow] = useState<ConnectOutcome | null>(null);
  const signIn = useSignIn((outcome) => {
    setConnectedNow(outcome);
    setNotes(outcome.warnings);
    onChanged();
  });
  const { phase } = signIn;

  const login = () => {
    setConnectedNow(null);
    doctor.forget();
    signIn.start({ account: account.id, environment: null, base_url: null, fields: EMPTY_FIELDS, port: portNumber(port), client_id: null });
  };

  const disconnect = async () => {
    setConfirmDisconnect(false);
    setError(null);
    // A checklist from before says nothing about the account once it is disconnected.
    doctor.forget();
    try {
      const outcome = await ipc.uspsDisconnect(account.id);
      setConnectedNow(null);
      setNotes([
        outcome.revoked_at_usps
          ? "USPS revoked Shipdesk's authorization and the saved secrets were deleted."
          : "The saved secrets were deleted from this computer.",
        ...outcome.warnings,
      ]);
      onChanged();
    } catch (e) {
      setError(e as AppError);
    }
  };


  // The check's own record of the account is newer than the list until the list is read again.
  const checked = doctor.result?.account;
  const current = checked && checked.updated_at >= account.updated_at ? checked : account;
  const state = current.state;
  // A checklist is shown only while the account is in the state it left it in; after any later
  // change (a failed call, Disconnect, a sign-in) it would contradict the status above.
  const checklist = doctor.result && doctor.result.account.state.state === state.state ? doctor.result : null;
  const signInErrors = phase.kind === "failed" ? fieldErrors(phase.error) : {};
  return (
    <section className="panel" aria-labelledby={`connection-${account.id}`} data-testid="connection-section">
      <h3 id={`connection-${account.id}`}>
        Connection <StatusChip state={state} />
      </h3>
      <p className="muted">
        {account.mode.kind === "sign_in" ? "Signs in with your USPS business login." : `Uses your own USPS API app (client id ${account.mode.client_id}).`}{" "}
        <span data-field="last-verified">{verifiedSentence(current)}</span>
      </p>
      {state.state === "needs_reconnect" && (
        <>
          <p className="notice notice-warn" data-testid="account-reconnect-reason">
            {state.reason}
          </p>
          <p className="muted small" data-testid="password-reset-warning">
            Sign in with your current USPS.com password. Do not reset it to fix this: a reset breaks every connection to your USPS account at
            once (Shipdesk, partner platforms, 3PL systems, custom integrations), and each must then be signed in again. Reset it only as a last
            resort; nobody, Shipdesk included, can retrieve an existing password.
          </p>
        </>
      )}
      {state.state === "not_entitled" && (
        <div className="notice notice-warn" data-testid="account-diagnosis">
          <strong>USPS has not granted what this account needs.</strong>
          <p>
            Missing: <span data-field="missing">{state.missing.join(", ")}</span>
          </p>
          <p data-field="fix">{state.fix}</p>
          <p className="muted small">Signing in again will not change this.</p>
        </div>
      )}
      {state.state === "disconnected" && <p className="muted">Not connected. Use Login to sign in with USPS.</p>}
      {connectedNow && (
        <p className="notice notice-ok" role="status" data-testid="login-connected">
          {connectedNow.account.nickname} is connected.
        </p>
      )}
      {notes.map((n) => (
        <p key={n} className="notice notice-warn">
          {n}
        </p>
      ))}

      {phase.kind === "waiting" ? (
        <SignInWaiting started={phase.started} onCancel={signIn.cancel} />
      ) : (
        <>
          {notes.length === 0 && <p className="muted small">{SHARED_LOGIN_WARNING}</p>}
          <AdvancedOptions open={Boolean(signInErrors.port)}>
            <div className="form-grid">
              <PortRow port={port} setPort={setPort} error={signInErrors.port} />
            </div>
          </AdvancedOptions>
        </>
      )}
      {phase.kind === "failed" && <SignInProblem error={phase.error} onTryAgain={login} />}
      {account.mode.kind === "own_app" && <OwnAppCredentials account={account} onChanged={onChanged} />}

      <div className="section-actions">
        <button type="button" className="primary" onClick={login} disabled={phase.kind === "starting" || phase.kind === "waiting"} data-action="login">
          Login
        </button>
        <button type="button" onClick={doctor.check} disabled={doctor.running} data-action="check-connection">
          {doctor.running ? "Checking with USPS…" : "Check connection"}
        </button>
        {state.state !== "disconnected" &&
          (confirmDisconnect ? (
            <span role="group" aria-label="Confirm disconnect" className="row-actions">
              <span>Revoke Shipdesk's USPS authorization and delete the saved secrets?</span>
              <button type="button" className="danger" onClick={disconnect} data-action="confirm-disconnect">
                Disconnect
              </button>
              <button type="button" onClick={() => setConfirmDisconnect(false)}>
                Keep connected
              </button>
            </span>
          ) : (
            <button type="button" onClick={() => setConfirmDisconnect(true)} data-action="disconnect">
              Disconnect
            </button>
          ))}
      </div>
      {error && (
        <div className="notice notice-error" role="alert" data-error-code={error.code}>
          <p>{error.message}</p>
        </div>
      )}
      {doctor.error && (
        <div className="notice notice-error" role="alert" data-error-code={doctor.error.code}>
          <p>{doctor.error.message}</p>
        </div>
      )}
      {checklist && <DoctorChecklist check={checklist} />}
      {doctor.result && !checklist && (
        <p className="muted" data-testid="check-outdated">
          The connection changed since the last check. Use Check connection to check it again.
        </p>
      )}
    </section>
  );
}

function OwnAppCredentials({ account, onChanged }: { account: UspsAccountRecord; onChanged: () => void }) {
  const [clientId, setClientId] = useState(account.mode.client_id);
  const [secret, setSecret] = useState("");
  const [error, setError] = useState<AppError | null>(null);
  const [done, setDone] = useState<string[] | null>(null);
  const errors = fieldErrors(error);
  const save = async () => {
    setError(null);
    try {
      const outcome = await ipc.uspsConnectOwnApp({
        account: account.id,
        environment: null,
        base_url: null,
        fields: EMPTY_FIELDS,
        client_id: clientId,
        client_secret: secret,
      });
      setSecret("");
      setDone(outcome.warnings);
      onChanged();
    } catch (e) {
      setError(e as AppError);
    }
  };
  return (
    <fieldset className="panel" data-testid="own-app-credentials">
      <legend>Your USPS app's credentials</legend>
      <p className="notice notice-warn">
        Other systems that use the same USPS app or login must be updated with the new credentials too.
      </p>
      <div className="form-grid">
        <label htmlFor={`cid-${account.id}`}>Client id</label>
        <div>
          <input id={`cid-${account.id}`} data-field="client_id" value={clientId} onChange={(e) => setClientId(e.target.value)} aria-invalid={errors.client_id ? true : undefined} />
          {errors.client_id && <p className="field-error" data-error-for="client_id">{errors.client_id}</p>}
        </div>
        <label htmlFor={`secret-${account.id}`}>Client secret</label>
        <div>
          <input id={`secret-${account.id}`} type="password" autoComplete="off" data-field="client_secret" value={secret} onChange={(e) => setSecret(e.target.value)} aria-invalid={errors.client_secret ? true : undefined} />
          {errors.client_secret && <p className="field-error" data-error-for="client_secret">{errors.client_secret}</p>}
        </div>
      </div>
      {error && !errors.client_id && !errors.client_secret && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      {done && (
        <p role="status" className="notice notice-ok">
          New credentials saved. {done.join(" ")}
        </p>
      )}
      <div className="section-actions">
        <button type="button" onClick={save} data-action="save-credentials">
          Save credentials
        </button>
      </div>
    </fieldset>
  );
}
