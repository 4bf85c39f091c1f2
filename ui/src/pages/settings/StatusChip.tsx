// The connection state at a glance: a small status chip in Carrier Settings.
import type { ConnectionState, Environment, UspsAccountRecord } from "../../ipc";

export const STATE_LABEL: Record<ConnectionState["state"], string> = {
  connected: "Connected",
  needs_reconnect: "Needs reconnect",
  not_entitled: "Not entitled",
  disconnected: "Disconnected",
};

export const ENVIRONMENT_LABEL: Record<Environment, string> = {
  sandbox: "Sandbox",
  tem: "TEM (testing)",
  production: "Production",
};

export function StatusChip({ state }: { state: ConnectionState }) {
  return (
    <span className={`chip chip-${state.state}`} data-state={state.state}>
      {STATE_LABEL[state.state]}
    </span>
  );
}

/**
 * When USPS last answered for the account. A connected account USPS has not been asked about yet
 * (the Sandbox demo before its first use) is "not checked yet", never "never".
 */
export function formatVerified(iso: string | null, state?: ConnectionState): string {
  if (!iso) return state?.state === "connected" ? "Not checked yet" : "Never";
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
}

/** "Last verified …" as a sentence for the account's connection section. */
export function verifiedSentence(a: Pick<UspsAccountRecord, "last_verified_at" | "state">): string {
  if (a.last_verified_at) return `USPS last answered ${formatVerified(a.last_verified_at)}.`;
  return a.state.state === "connected" ? "Not checked with USPS yet: Check connection asks USPS now." : "USPS has not answered for this account yet.";
}
