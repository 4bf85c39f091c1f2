// Shared fixtures for the connection and Carrier Settings tests.
import type { AccountConnection, ConnectionSnapshot, ConnectionState, UspsAccountRecord } from "../ipc";

export function account(id: number, state: ConnectionState = { state: "connected" }, patch: Partial<UspsAccountRecord> = {}): UspsAccountRecord {
  return {
    id,
    nickname: id === 1 ? "Sandbox demo" : `Account ${id}`,
    environment: "sandbox",
    base_url: null,
    crid: "56982563",
    mid: "902345671",
    manifest_mid: "902345672",
    eps_account: "1000012345",
    mode: { kind: "sign_in", client_id: "shipdesk-sandbox" },
    is_default: id === 1,
    is_sandbox_demo: id === 1,
    state,
    last_verified_at: "2026-11-21T18:00:00Z",
    created_at: "2026-11-20T10:00:00Z",
    updated_at: "2026-11-20T10:00:00Z",
    has_contract: false,
    contract_source: null,
    calls_per_hour: null,
    ...patch,
  };
}

export const NEEDS_RECONNECT: ConnectionState = { state: "needs_reconnect", reason: "USPS no longer accepts the saved authorization." };

/** A connection snapshot as core emits it: nothing about contract prices asked or offered. */
export function connectionSnapshot(revision: number, accounts: AccountConnection[], patch: Partial<ConnectionSnapshot> = {}): ConnectionSnapshot {
  return { revision, accounts, contract_prices_said: null, guide_offer: "none", endicia: null, ...patch };
}
