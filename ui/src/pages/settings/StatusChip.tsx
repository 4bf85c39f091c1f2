// The connection state at a glance: a small status chip in Carrier Settings.
import type { ConnectionState, Environment } from "../../ipc";

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

export function formatVerified(iso: string | null): string {
  if (!iso) return "Never";
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
}
