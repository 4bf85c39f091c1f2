// USPS accounts and their connection. Typed calls over the `carriers_*` commands and the
// `usps://connection` event: core's connection snapshot, emitted after every change (a window
// that opens reads the current one with `uspsConnection`).
import { call, subscribe } from "./core";
import type { AccountFields } from "../bindings/AccountFields";
import type { CheckStatus } from "../bindings/CheckStatus";
import type { CheckStep } from "../bindings/CheckStep";
import type { ConnectOutcome } from "../bindings/ConnectOutcome";
import type { ConnectionCheck } from "../bindings/ConnectionCheck";
import type { AccountConnection } from "../bindings/AccountConnection";
import type { ConnectionSnapshot } from "../bindings/ConnectionSnapshot";
import type { EndiciaAttention } from "../bindings/EndiciaAttention";
import type { ConnectionMode } from "../bindings/ConnectionMode";
import type { ConnectionState } from "../bindings/ConnectionState";
import type { DisconnectOutcome } from "../bindings/DisconnectOutcome";
import type { Environment } from "../bindings/Environment";
import type { FieldProblem } from "../bindings/FieldProblem";
import type { GuideOffer } from "../bindings/GuideOffer";
import type { OnboardingAction } from "../bindings/OnboardingAction";
import type { OnboardingGuide } from "../bindings/OnboardingGuide";
import type { OnboardingStatus } from "../bindings/OnboardingStatus";
import type { OnboardingStep } from "../bindings/OnboardingStep";
import type { OwnAppRequest } from "../bindings/OwnAppRequest";
import type { SignInRequest } from "../bindings/SignInRequest";
import type { UspsAccountRecord } from "../bindings/UspsAccountRecord";

export type {
  AccountConnection,
  AccountFields,
  CheckStatus,
  CheckStep,
  ConnectOutcome,
  ConnectionCheck,
  ConnectionSnapshot,
  EndiciaAttention,
  ConnectionMode,
  ConnectionState,
  DisconnectOutcome,
  Environment,
  FieldProblem,
  GuideOffer,
  OnboardingAction,
  OnboardingGuide,
  OnboardingStatus,
  OnboardingStep,
  OwnAppRequest,
  SignInRequest,
  UspsAccountRecord,
};

/** A sign-in in progress: the consent address to show (with Copy) while waiting. */
export type SignInStarted = { id: number; url: string; redirect_uri: string; browser_opened: boolean };

/** Sandbox mode: the demo sign-in shown on screen and the in-process simulator's address. */
export type SandboxInfo = { base_url: string; demo_username: string; demo_password: string; contract_username: string };

/** "Sign in with USPS" with an own platform app needs its secret too (never echoed back). */
export type SignInStart = SignInRequest & { client_secret?: string | null };

export const carriersIpc = {
  uspsAccounts: () => call<UspsAccountRecord[]>("carriers_list"),
  uspsSignInStart: (request: SignInStart) => call<SignInStarted>("carriers_sign_in_start", { request }),
  /** Waits for the browser to come back (or the timeout); the window comes to the front on success. */
  uspsSignInFinish: (id: number) => call<ConnectOutcome>("carriers_sign_in_finish", { id }),
  uspsSignInCancel: (id: number) => call<void>("carriers_sign_in_cancel", { id }),
  uspsConnectOwnApp: (request: OwnAppRequest) => call<ConnectOutcome>("carriers_connect_own_app", { request }),
  uspsUpdateAccount: (id: number, fields: AccountFields) =>
    call<UspsAccountRecord>("carriers_update", { id, fields }),
  uspsSetDefault: (id: number) => call<UspsAccountRecord>("carriers_set_default", { id }),
  uspsCheck: (id: number) => call<ConnectionCheck>("carriers_check", { id }),
  /** "Connect your USPS business account": the three steps as USPS shows them (checks with USPS). */
  uspsOnboarding: (id: number | null) => call<OnboardingGuide>("carriers_onboarding", { id }),
  uspsOpenBusinessPortal: () => call<void>("carriers_open_business_portal"),
  /** "Do you have USPS contract (NSA) prices?": core keeps the answer and emits a new snapshot. */
  uspsSayContractPrices: (have: boolean) => call<void>("carriers_say_contract_prices", { have }),
  uspsDisconnect: (id: number) => call<DisconnectOutcome>("carriers_disconnect", { id }),
  uspsRemove: (id: number) => call<DisconnectOutcome>("carriers_remove", { id }),
  /** "Remind Me Later": answers when the snooze ends (RFC 3339); core emits the new snapshot. */
  uspsSnoozePrompt: (id: number) => call<string>("carriers_snooze_prompt", { id }),
  /** Every account's connection now, for a window that opens before the next event. */
  uspsConnection: () => call<ConnectionSnapshot>("carriers_connection_snapshot"),
  /** "Keep this session in memory only" when the OS keyring is unavailable. */
  uspsKeepSecretsInMemory: () => call<void>("carriers_keep_secrets_in_memory"),
  uspsSecretsInMemory: () => call<boolean>("carriers_secrets_in_memory"),
  uspsRedirectPort: () => call<number>("carriers_redirect_port"),
  uspsSandboxInfo: () => call<SandboxInfo>("carriers_sandbox_info"),
};

export const carriersEvents = {
  onUspsConnection: (handler: (snapshot: ConnectionSnapshot) => void) =>
    subscribe<ConnectionSnapshot>("usps://connection", handler),
};
