// Add a USPS account: "Sign in with USPS" (the browser opens the USPS consent page; we wait for it
// to come back) or "Use my own USPS API app" (client id and secret).
import { useEffect, useId, useState, type ReactNode } from "react";
import { ipc, type AppError, type ConnectOutcome, type Environment } from "../../ipc";
import { SignInProblem, SignInWaiting } from "../../connection/SignInStatus";
import { useSignIn } from "../../connection/useSignIn";
import { AccountFieldsForm, EMPTY_FIELDS, cleanFields } from "./AccountFieldsForm";
import { ConnectedSummary } from "./ConnectedSummary";
import { fieldErrors } from "./fieldErrors";
import { ENVIRONMENT_LABEL } from "./StatusChip";
import { signInNotSetUp, usePlatformApps } from "./platformApps";

type Mode = "sign_in" | "own_app";

export function AddAccount({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const [mode, setMode] = useState<Mode>("sign_in");
  const [ownAppEnvironment, setOwnAppEnvironment] = useState<Environment>("sandbox");
  const [connected, setConnected] = useState<ConnectOutcome | null>(null);
  const useOwnApp = (environment: Environment) => {
    setOwnAppEnvironment(environment);
    setMode("own_app");
  };
  if (connected) return <ConnectedSummary outcome={connected} onDone={onDone} />;
  return (
    <div className="panel" data-testid="add-account">
      <h3>Add a USPS account</h3>
      <div className="choice-row" role="group" aria-label="How to connect">
        <button type="button" aria-pressed={mode === "sign_in"} onClick={() => setMode("sign_in")} data-choice="sign-in">
          Sign in with USPS
        </button>
        <button type="button" aria-pressed={mode === "own_app"} onClick={() => setMode("own_app")} data-choice="own-app">
          Use my own USPS API app
        </button>
      </div>
      {mode === "sign_in" ? (
        <SignInForm onConnected={setConnected} onCancel={onCancel} onUseOwnApp={useOwnApp} />
      ) : (
        <OwnAppForm onConnected={setConnected} onCancel={onCancel} initialEnvironment={ownAppEnvironment} />
      )}
    </div>
  );
}

function EnvironmentSelect({ value, onChange }: { value: Environment; onChange: (e: Environment) => void }) {
  const id = useId();
  return (
    <div className="form-row">
      <label htmlFor={id}>Environment</label>
      <select id={id} data-field="environment" value={value} onChange={(e) => onChange(e.target.value as Environment)}>
        {(Object.keys(ENVIRONMENT_LABEL) as Environment[]).map((env) => (
          <option key={env} value={env}>
            {ENVIRONMENT_LABEL[env]}
          </option>
        ))}
      </select>
    </div>
  );
}

function TextRow(props: {
  label: string;
  field: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  type?: string;
  hint?: string;
}) {
  const id = useId();
  return (
    <div className="form-row">
      <label htmlFor={id}>{props.label}</label>
      <div>
        <input
          id={id}
          type={props.type ?? "text"}
          data-field={props.field}
          value={props.value}
          placeholder={props.hint}
          autoComplete="off"
          aria-invalid={props.error ? true : undefined}
          aria-describedby={props.error ? `${id}-error` : undefined}
          onChange={(e) => props.onChange(e.target.value)}
        />
        {props.error && (
          <p className="field-error" id={`${id}-error`} data-error-for={props.field}>
            {props.error}
          </p>
        )}
      </div>
    </div>
  );
}

/** The loopback port USPS sends the browser back to (it must match a registered redirect URI). */
export function useRedirectPort(): [string, (v: string) => void] {
  const [port, setPort] = useState("");
  useEffect(() => {
    Promise.resolve().then(ipc.uspsRedirectPort).then((p) => setPort((cur) => cur || String(p)), () => undefined);
  }, []);
  return [port, setPort];
}

export function portNumber(port: string): number | null {
  const n = Number(port);
  return port.trim() && Number.isInteger(n) ? n : null;
}

/**
 * Options only a developer or IT needs (a custom USPS host, the sign-in's redirect port): folded
 * away under "Advanced", opened by itself when one of them has a problem to show.
 */
export function AdvancedOptions({ open, children }: { open: boolean; children: ReactNode }) {
  return (
    <details className="advanced-options" open={open || undefined} data-testid="advanced-options">
      <summary>Advanced</summary>
      <p className="muted small">Only needed for a test server or a USPS app registered with another redirect port.</p>
      {children}
    </details>
  );
}

export function PortRow({ port, setPort, error }: { port: string; setPort: (v: string) => void; error?: string }) {
  return (
    <TextRow
      label="Redirect port"
      field="port"
      value={port}
      onChange={setPort}
      error={error}
      hint="The port registered with USPS for http://127.0.0.1:<port>/usps/callback"
    />
  );
}

function SignInForm({
  onConnected,
  onCancel,
  onUseOwnApp,
}: {
  onConnected: (o: ConnectOutcome) => void;
  onCancel: () => void;
  onUseOwnApp: (environment: Environment) => void;
}) {
  const [nickname, setNickname] = useState("");
  const [environment, setEnvironment] = useState<Environment>("sandbox");
  const notSetUp = signInNotSetUp(usePlatformApps(), environment);
  const [baseUrl, setBaseUrl] = useState("");
  const [port, setPort] = useRedirectPort();
  const signIn = useSignIn(onConnected);
  const { phase } = signIn;
  const errors = phase.kind === "failed" ? fieldErrors(phase.error) : {};
  const start = () =>
    signIn.start({
      account: null,
      environment,
      base_url: baseUrl.trim() || null,
      fields: { ...EMPTY_FIELDS, nickname: nickname.trim() || null },
      port: portNumber(port),
      client_id: null,
    });
  if (phase.kind === "waiting") return <SignInWaiting started={phase.started} onCancel={signIn.cancel} />;
  return (
    <>
      <p className="muted">
        Your browser opens the USPS sign-in. After you sign in and choose <strong>Authorize &amp; Continue</strong>, USPS
        sends you back here.
      </p>
      <div className="form-grid">
        <TextRow label="Nickname" field="nickname" value={nickname} onChange={setNickname} error={errors.nickname} hint="e.g. Main warehouse" />
        <EnvironmentSelect value={environment} onChange={setEnvironment} />
      </div>
      <AdvancedOptions open={Boolean(errors.base_url || errors.port)}>
        <div className="form-grid">
          <TextRow label="Custom USPS host" field="base_url" value={baseUrl} onChange={setBaseUrl} error={errors.base_url} hint="Optional, e.g. a test proxy" />
          <PortRow port={port} setPort={setPort} error={errors.port} />
        </div>
      </AdvancedOptions>
      {notSetUp && (
        <div className="notice notice-error" role="status" data-testid="sign-in-not-set-up">
          <p>{notSetUp}</p>
          <div className="section-actions">
            <button type="button" onClick={() => onUseOwnApp(environment)} data-action="use-own-app">
              Connect with my own USPS app
            </button>
          </div>
        </div>
      )}
      {phase.kind === "failed" && <SignInProblem error={phase.error} onTryAgain={start} />}
      <div className="section-actions">
        <button
          type="button"
          className="primary"
          onClick={start}
          disabled={phase.kind === "starting" || notSetUp !== null}
          data-action="sign-in-with-usps"
        >
          Sign in with USPS
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}

function OwnAppForm({
  onConnected,
  onCancel,
  initialEnvironment,
}: {
  onConnected: (o: ConnectOutcome) => void;
  onCancel: () => void;
  initialEnvironment: Environment;
}) {
  const [environment, setEnvironment] = useState<Environment>(initialEnvironment);
  const [baseUrl, setBaseUrl] = useState("");
  const [clientId, setClientId] = useState("");
  const [clientSecret, setClientSecret] = useState("");
  const [fields, setFields] = useState(EMPTY_FIELDS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const errors = fieldErrors(error);
  const connect = async () => {
    setBusy(true);
    setError(null);
    try {
      const outcome = await ipc.uspsConnectOwnApp({
        account: null,
        environment,
        base_url: baseUrl.trim() || null,
        fields: cleanFields(fields),
        client_id: clientId,
        client_secret: clientSecret,
      });
      onConnected(outcome);
    } catch (e) {
      setError(e as AppError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <p className="muted">
        For a business with its own app in the USPS Developer Portal: copy its Consumer Key and Consumer Secret here.
        Shipdesk keeps the secret in your system keyring.
      </p>
      <div className="form-grid">
        <EnvironmentSelect value={environment} onChange={setEnvironment} />
        <TextRow label="Client id" field="client_id" value={clientId} onChange={setClientId} error={errors.client_id} hint="Consumer Key" />
        <TextRow label="Client secret" field="client_secret" type="password" value={clientSecret} onChange={setClientSecret} error={errors.client_secret} hint="Consumer Secret" />
        <AccountFieldsForm value={fields} onChange={setFields} errors={errors} />
      </div>
      <AdvancedOptions open={Boolean(errors.base_url)}>
        <div className="form-grid">
          <TextRow label="Custom USPS host" field="base_url" value={baseUrl} onChange={setBaseUrl} error={errors.base_url} hint="Optional, e.g. a test proxy" />
        </div>
      </AdvancedOptions>
      {error && Object.keys(errors).length === 0 && <SignInProblemOrMessage error={error} onTryAgain={connect} />}
      {error && Object.keys(errors).length > 0 && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      <div className="section-actions">
        <button type="button" className="primary" onClick={connect} disabled={busy} data-action="connect-own-app">
          {busy ? "Checking with USPS…" : "Connect"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}

function SignInProblemOrMessage({ error, onTryAgain }: { error: AppError; onTryAgain: () => void }) {
  if (error.code === "SECRET_STORE_UNAVAILABLE") return <SignInProblem error={error} onTryAgain={onTryAgain} />;
  return (
    <div className="notice notice-error" role="alert" data-error-code={error.code}>
      <p>{error.message}</p>
    </div>
  );
}
