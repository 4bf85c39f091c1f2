// Settings › Carrier Settings › USPS: the accounts, adding one, editing one. The list comes from
// the connection provider, which keeps it fresh from `usps://connection` events.
import { useEffect, useState } from "react";
import { ipc, type SandboxInfo } from "../../ipc";
import { EmptyState } from "../../components/EmptyState";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useBusinessGuide, useUspsAccounts } from "../../connection/UspsConnection";
import { AccountsTable } from "./AccountsTable";
import { AddAccount } from "./AddAccount";
import { BusinessGuide } from "./BusinessGuide";
import { EditAccount } from "./EditAccount";

type View = { kind: "list" } | { kind: "add" } | { kind: "edit"; id: number };

export function CarrierSettings() {
  const { accounts, error, refresh } = useUspsAccounts();
  const [view, setView] = useState<View>({ kind: "list" });
  const [inMemory, setInMemory] = useState(false);
  const guide = useBusinessGuide();
  // Events only carry state changes; "last verified" moves on every successful call.
  useEffect(() => {
    refresh();
  }, [refresh]);
  useEffect(() => {
    Promise.resolve().then(ipc.uspsSecretsInMemory).then(setInMemory, () => undefined);
  }, [view]);

  const editing = view.kind === "edit" ? accounts?.find((a) => a.id === view.id) : undefined;
  const back = () => {
    setView({ kind: "list" });
    refresh();
  };

  return (
    <div role="tabpanel" data-panel="carriers">
      <h2>USPS</h2>
      {inMemory && (
        <p className="notice notice-warn" data-testid="secrets-in-memory">
          USPS sign-ins are kept in memory only for this session: you will need to sign in again after closing Shipdesk.
        </p>
      )}
      {error && <ErrorNotice error={error} title="Could not read the USPS accounts" />}
      {view.kind === "add" && <AddAccount onDone={back} onCancel={back} />}
      {view.kind === "edit" && editing && <EditAccount key={editing.id} account={editing} onBack={back} onChanged={refresh} />}
      {view.kind === "list" && accounts && (
        <>
          <div className="section-actions">
            <button type="button" className="primary" onClick={() => setView({ kind: "add" })} data-action="add-account">
              Add account
            </button>
          </div>
          {accounts.length === 0 ? (
            <EmptyState title="No USPS accounts yet">
              <p>Add a USPS business account to buy labels: sign in with USPS, or use your own USPS API app.</p>
            </EmptyState>
          ) : (
            <AccountsTable
              accounts={accounts}
              onEdit={(id) => setView({ kind: "edit", id })}
              onMakeDefault={(id) => ipc.uspsSetDefault(id).then(refresh, () => undefined)}
            />
          )}
          {accounts.some((a) => a.environment === "sandbox") && <SandboxNote />}
          <BusinessGuide
            key={accounts.map((a) => a.id).join(",")}
            openAtStart={accounts.length === 0}
            onSignIn={() => setView({ kind: "add" })}
            onChecked={refresh}
            contractPricesSaid={guide.contractPricesSaid}
            requested={guide.requested}
            onShown={guide.shown}
            onSayContractPrices={guide.say}
          />
        </>
      )}
      {view.kind === "list" && !accounts && !error && <p aria-live="polite">Reading the USPS accounts…</p>}
    </div>
  );
}

/** Sandbox: the demo sign-in to type on the simulator's pages, and where the simulator runs. */
function SandboxNote() {
  const [info, setInfo] = useState<SandboxInfo | null>(null);
  useEffect(() => {
    Promise.resolve().then(ipc.uspsSandboxInfo).then(setInfo, () => undefined);
  }, []);
  if (!info) return null;
  return (
    <p className="muted small" data-testid="sandbox-info">
      Sandbox accounts talk to Shipdesk's built-in USPS simulator at{" "}
      <code data-field="sandbox-url">{info.base_url}</code>. On its sign-in page use{" "}
      <code>{info.demo_username}</code> / <code>{info.demo_password}</code> (or <code>{info.contract_username}</code> with the same password
      for a business with contract prices). Labels bought there are marked SAMPLE.
    </p>
  );
}
