// The USPS connection as the UI shows it, in one reducer. Core owns the state and "Remind Me
// Later": it emits a snapshot of every account's connection after each change (and answers the
// current one to a window that opens), and a failed call's error points at the account as that
// snapshot shows it, with core's decision whether to prompt. This file only turns those into
// what is on screen: the banner, the Reconnect prompt, a failed action waiting for its account
// to be reconnected, the diagnosis and the keyring notice.
import type { AccountConnection, AppError, ConnectionSnapshot, ErrorDetails } from "../ipc";

export type PromptRequest = {
  accountId: number | null;
  nickname: string;
  message: string;
  retry?: () => void;
  /** Whether the screen that failed is still mounted (no Retry offered otherwise). */
  alive: () => boolean;
  /** Straight to signing in (the banner's Reconnect) instead of asking first. */
  startNow: boolean;
};

/** A failed action waiting for its account to be reconnected, and the page it failed on. */
export type Parked = { accountId: number | null; retry: () => void; hash: string; alive: () => boolean };

export type ConnectionView = {
  /** Core's newest snapshot; `null` until the first one arrives. */
  snapshot: ConnectionSnapshot | null;
  prompt: PromptRequest | null;
  parked: Parked | null;
  /** "USPS is connected again. Try what failed once more?" */
  retryOffer: Parked | null;
  diagnosis: AppError | null;
  keyring: { error: AppError; retry?: () => void } | null;
};

export const initialView: ConnectionView = {
  snapshot: null,
  prompt: null,
  parked: null,
  retryOffer: null,
  diagnosis: null,
  keyring: null,
};

export type ConnectionAction =
  | { type: "snapshot"; snapshot: ConnectionSnapshot }
  /** A call failed because the account must sign in again; `account` as core reported it. */
  | { type: "needs_reconnect"; account: AccountConnection | null; message: string; retry?: () => void; alive: () => boolean; hash: string }
  | { type: "not_entitled"; error: AppError }
  | { type: "keyring"; error: AppError; retry?: () => void }
  | { type: "banner_reconnect" }
  | { type: "remind_later"; hash: string }
  | { type: "prompt_closed" }
  | { type: "retry_offer_closed" }
  | { type: "diagnosis_closed" }
  | { type: "keyring_closed" };

const ALWAYS = () => true;

/** What an error is about, underneath the purchase it may have happened in. */
export function innermost(details: ErrorDetails | undefined): ErrorDetails | undefined {
  return details?.kind === "purchase" && details.cause ? innermost(details.cause) : details;
}

/** The account a connection error points at, as core's snapshot shows it after the failure. */
export function connectionOf(error: AppError): AccountConnection | null {
  const about = innermost(error.details);
  return about?.kind === "usps_connection" ? about : null;
}

/** The accounts the banner names: those core says must sign in again. */
export function needingReconnect(snapshot: ConnectionSnapshot | null): AccountConnection[] {
  return snapshot?.accounts.filter((a) => a.state.state === "needs_reconnect") ?? [];
}

function reasonOf(account: AccountConnection): string {
  return account.state.state === "needs_reconnect" ? account.state.reason : "";
}

/**
 * What a failed call means for the connection, or `null` when the page shows the error itself:
 * anything that is not a connection problem, and a connection error for an account core does
 * not hold as needing it (a disconnected account says where to sign in again in its message).
 */
export function routeFailure(error: AppError, retry: (() => void) | undefined, alive: () => boolean, hash: string): ConnectionAction | null {
  const account = connectionOf(error);
  switch (error.code) {
    case "USPS_RECONNECT_REQUIRED":
      if (account && !account.prompt && account.state.state !== "needs_reconnect") return null;
      return { type: "needs_reconnect", account, message: error.message, retry, alive, hash };
    case "USPS_NOT_ENTITLED":
    case "USPS_ACCOUNT_NOT_AUTHORIZED":
      if (account && account.state.state !== "not_entitled") return null;
      return { type: "not_entitled", error };
    case "SECRET_STORE_UNAVAILABLE":
      return { type: "keyring", error, retry };
    default:
      return null;
  }
}

export function connectionReducer(view: ConnectionView, action: ConnectionAction): ConnectionView {
  switch (action.type) {
    case "snapshot":
      return withSnapshot(view, action.snapshot);
    case "needs_reconnect": {
      const { account, retry, alive } = action;
      const accountId = account?.account_id ?? null;
      const open = view.prompt;
      if (open && (accountId === null || open.accountId === accountId)) {
        return retry ? { ...view, prompt: { ...open, retry, alive } } : view;
      }
      if (account && !account.prompt) {
        // "Remind Me Later" holds: the banner says it; reconnecting will offer this retry.
        return retry ? { ...view, parked: { accountId, retry, alive, hash: action.hash } } : view;
      }
      const prompt = { accountId, nickname: account?.nickname ?? "USPS", message: action.message, retry, alive, startNow: false };
      return { ...view, prompt };
    }
    case "not_entitled":
      return { ...view, diagnosis: action.error };
    case "keyring":
      return { ...view, keyring: { error: action.error, retry: action.retry } };
    case "banner_reconnect": {
      const [first] = needingReconnect(view.snapshot);
      const waiting = view.parked;
      const prompt = {
        accountId: first ? first.account_id : null,
        nickname: first ? first.nickname : "USPS",
        message: first ? reasonOf(first) : "",
        retry: waiting?.retry,
        alive: waiting?.alive ?? ALWAYS,
        startNow: true,
      };
      return { ...view, parked: null, prompt };
    }
    case "remind_later": {
      const open = view.prompt;
      if (!open) return view;
      const parked = open.retry ? { accountId: open.accountId, retry: open.retry, alive: open.alive, hash: action.hash } : view.parked;
      return { ...view, prompt: null, parked };
    }
    case "prompt_closed":
      return { ...view, prompt: null };
    case "retry_offer_closed":
      return { ...view, retryOffer: null };
    case "diagnosis_closed":
      return { ...view, diagnosis: null };
    case "keyring_closed":
      return { ...view, keyring: null };
  }
}

/** Core's newer snapshot replaces the older; what changed between them may prompt or offer a retry. */
function withSnapshot(view: ConnectionView, snapshot: ConnectionSnapshot): ConnectionView {
  const before = view.snapshot;
  if (before && snapshot.revision <= before.revision) return view;
  const next = { ...view, snapshot };
  if (!before) return next;
  const was = (id: number) => before.accounts.find((a) => a.account_id === id);

  const parked = view.parked;
  if (parked) {
    // Reconnected outside the prompt (Settings › Edit › Login): offer what failed again, if the
    // screen it failed on is still there to show the result.
    const back = snapshot.accounts.find(
      (a) =>
        (parked.accountId === null || a.account_id === parked.accountId) &&
        a.state.state === "connected" &&
        was(a.account_id)?.state.state !== "connected",
    );
    if (back) {
      next.parked = null;
      if (parked.alive()) next.retryOffer = parked;
    }
  }

  if (!view.prompt) {
    // An account core newly says should prompt (its connection just broke, nothing snoozed).
    const newly = snapshot.accounts.find((a) => a.prompt && !was(a.account_id)?.prompt);
    if (newly) {
      next.prompt = { accountId: newly.account_id, nickname: newly.nickname, message: reasonOf(newly), alive: ALWAYS, startNow: false };
    }
  }
  return next;
}
