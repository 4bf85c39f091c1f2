// The USPS connection as the whole app sees it (docs/connection.md#prompt-and-banner): which
// accounts need to be reconnected, the "Your USPS connection needs to be renewed" prompt, the
// persistent banner after "Remind Me Later", and the diagnosis for accounts USPS has not
// entitled or linked.
//
// Every page that calls USPS hands its failures to `useUspsErrors()`; the provider decides from
// `AppError.code` alone whether the prompt, the diagnosis or the caller deals with it. State comes
// from one initial `uspsAccounts()` plus the `usps://connection` events, so the banner is right on
// every page without each page asking. A missing OS keyring is taken over too: the user may keep
// the session's secrets in memory and retry.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode, type JSX } from "react";
import { events, ipc, type AppError, type ConnectionCheck, type ConnectionEvent, type UspsAccountRecord } from "../ipc";
import { ReconnectPrompt } from "./ReconnectPrompt";
import { Diagnosis } from "./Diagnosis";
import { KeyringPrompt } from "./KeyringPrompt";
import "./connection.css";

/** `true` = it was a connection problem and the prompt/banner/diagnosis took it over. */
export type UspsErrorHandler = (error: AppError, retry?: () => void) => boolean;

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

type Needing = { nickname: string; reason: string };

/** A failed action waiting for the account to be reconnected, and the page it failed on.
 * `alive` says whether the component that failed is still on screen to show the retry's result. */
type Parked = { accountId: number | null; retry: () => void; hash: string; alive: () => boolean };

/** The provider's handler also learns whether the caller is still mounted. */
type InternalHandler = (error: AppError, retry?: () => void, alive?: () => boolean) => boolean;

const ALWAYS = () => true;

type ConnectionContext = {
  handle: InternalHandler;
  needing: Map<number, Needing>;
  reconnect: () => void;
  accounts: UspsAccountRecord[] | null;
  accountsError: AppError | null;
  refreshAccounts: () => Promise<void>;
  checks: Map<number, CheckRun>;
  checkConnection: (id: number) => Promise<void>;
  forgetCheck: (id: number) => void;
};

/** The last "Check connection" of an account. */
export type CheckRun = { running: boolean; result: ConnectionCheck | null; error: AppError | null };

const Ctx = createContext<ConnectionContext | null>(null);

function detailNumber(error: AppError, key: string): number | null {
  const d = error.details as Record<string, unknown> | undefined;
  const v = d && typeof d === "object" ? d[key] : undefined;
  return typeof v === "number" ? v : null;
}

function detailString(error: AppError, key: string): string | null {
  const d = error.details as Record<string, unknown> | undefined;
  const v = d && typeof d === "object" ? d[key] : undefined;
  return typeof v === "string" ? v : null;
}

function needingFrom(accounts: UspsAccountRecord[]): Map<number, Needing> {
  const map = new Map<number, Needing>();
  for (const a of accounts) {
    if (a.state.state === "needs_reconnect") map.set(a.id, { nickname: a.nickname, reason: a.state.reason });
  }
  return map;
}

export function UspsConnectionProvider(props: { children: ReactNode }): JSX.Element {
  const [accounts, setAccounts] = useState<UspsAccountRecord[] | null>(null);
  const [accountsError, setAccountsError] = useState<AppError | null>(null);
  const [needing, setNeeding] = useState<Map<number, Needing>>(new Map());
  const [prompt, setPrompt] = useState<PromptRequest | null>(null);
  const [diagnosis, setDiagnosis] = useState<AppError | null>(null);
  const [keyring, setKeyring] = useState<{ error: AppError; retry?: () => void } | null>(null);
  // Refs so the error handler stays one stable function for the pages that hold it.
  const promptRef = useRef<PromptRequest | null>(null);
  const snoozed = useRef(new Set<number>());
  const parked = useRef<Parked | undefined>(undefined);
  const [retryOffer, setRetryOffer] = useState<Parked | null>(null);
  const park = (accountId: number | null, retry: (() => void) | undefined, alive: () => boolean) => {
    parked.current = retry ? { accountId, retry, hash: window.location.hash, alive } : undefined;
  };
  const needingRef = useRef(needing);
  needingRef.current = needing;

  const showPrompt = useCallback((next: PromptRequest | null) => {
    promptRef.current = next;
    setPrompt(next);
  }, []);

  // Bumped when a failure marks an account locally, so a list fetched before it cannot erase it.
  const marks = useRef(0);

  const refreshAccounts = useCallback(async () => {
    const marksBefore = marks.current;
    try {
      const list = await ipc.uspsAccounts();
      setAccounts(list);
      setAccountsError(null);
      const fetched = needingFrom(list);
      setNeeding((prev) => (marks.current === marksBefore ? fetched : new Map([...prev, ...fetched])));
    } catch (e) {
      setAccountsError(e as AppError);
    }
  }, []);

  useEffect(() => {
    let stop: (() => void) | undefined;
    let gone = false;
    Promise.resolve()
      .then(() => events.onUspsConnection((e: ConnectionEvent) => {
        setNeeding((prev) => {
          const next = new Map(prev);
          if (e.state.state === "needs_reconnect") next.set(e.account_id, { nickname: e.nickname, reason: e.state.reason });
          else next.delete(e.account_id);
          return next;
        });
        if (e.state.state !== "needs_reconnect") snoozed.current.delete(e.account_id);
        const waiting = parked.current;
        if (e.state.state === "connected" && waiting && (waiting.accountId === e.account_id || waiting.accountId === null)) {
          // Reconnected outside the prompt (Settings › Edit › Login): offer what failed again,
          // if the screen it failed on is still there to show the result.
          parked.current = undefined;
          if (waiting.alive()) setRetryOffer(waiting);
        }
        const open = promptRef.current;
        if (e.state.state === "needs_reconnect" && e.prompt && !open && !snoozed.current.has(e.account_id)) {
          showPrompt({ accountId: e.account_id, nickname: e.nickname, message: e.state.reason, alive: ALWAYS, startNow: false });
        }
        refreshAccounts();
      }))
      .then((unlisten) => (gone ? unlisten() : (stop = unlisten)))
      .catch(() => undefined);
    refreshAccounts();
    return () => {
      gone = true;
      stop?.();
    };
  }, [refreshAccounts, showPrompt]);

  /** The prompt (or, while "Remind Me Later" holds, the banner) for an account USPS stopped accepting. */
  const needsReconnect = useCallback(
    (accountId: number | null, nickname: string, message: string, retry?: () => void, alive: () => boolean = ALWAYS) => {
      if (accountId !== null) {
        marks.current += 1;
        setNeeding((prev) => new Map(prev).set(accountId, { nickname, reason: message }));
      }
      const open = promptRef.current;
      if (open && (open.accountId === accountId || accountId === null)) {
        showPrompt(retry ? { ...open, retry, alive } : open);
      } else if (accountId !== null && snoozed.current.has(accountId)) {
        // "Remind Me Later" holds: the banner says it; reconnecting will offer this retry.
        park(accountId, retry, alive);
      } else {
        showPrompt({ accountId, nickname, message, retry, alive, startNow: false });
      }
    },
    [showPrompt],
  );

  const handle = useCallback<InternalHandler>(
    (error, retry, alive = ALWAYS) => {
      switch (error.code) {
        case "USPS_RECONNECT_REQUIRED":
          needsReconnect(detailNumber(error, "account_id"), detailString(error, "nickname") ?? "USPS", error.message, retry, alive);
          return true;
        case "SECRET_STORE_UNAVAILABLE":
          setKeyring({ error, retry });
          return true;
        case "USPS_NOT_ENTITLED":
        case "USPS_ACCOUNT_NOT_AUTHORIZED":
          setDiagnosis(error);
          refreshAccounts();
          return true;
        default:
          return false;
      }
    },
    [refreshAccounts, needsReconnect],
  );

  // "Check connection" runs here, not in the Settings page, so its Retry after a reconnect still
  // lands somewhere visible when the user has navigated in between.
  const [checks, setChecks] = useState<Map<number, CheckRun>>(new Map());
  const checkConnection = useCallback(
    async (id: number): Promise<void> => {
      const update = (run: CheckRun) => setChecks((prev) => new Map(prev).set(id, run));
      const again = () => void checkConnection(id);
      update({ running: true, result: null, error: null });
      try {
        const result = await ipc.uspsCheck(id);
        update({ running: false, result, error: null });
        const { state, nickname } = result.account;
        if (state.state === "needs_reconnect") needsReconnect(id, nickname, state.reason, again);
      } catch (e) {
        const error = e as AppError;
        update({ running: false, result: null, error });
        handle(error, again);
      }
      refreshAccounts();
    },
    [handle, needsReconnect, refreshAccounts],
  );
  const forgetCheck = useCallback((id: number) => {
    setChecks((prev) => {
      const next = new Map(prev);
      next.delete(id);
      return next;
    });
  }, []);

  const reconnect = useCallback(() => {
    const [first] = needingRef.current.entries();
    const waiting = parked.current;
    parked.current = undefined;
    showPrompt({
      accountId: first ? first[0] : null,
      nickname: first ? first[1].nickname : "USPS",
      message: first ? first[1].reason : "",
      retry: waiting?.retry,
      alive: waiting?.alive ?? ALWAYS,
      startNow: true,
    });
  }, [showPrompt]);

  const remindLater = useCallback(
    (request: PromptRequest) => {
      showPrompt(null);
      park(request.accountId, request.retry, request.alive);
      if (request.accountId !== null) {
        snoozed.current.add(request.accountId);
        ipc.uspsSnoozePrompt(request.accountId).catch(() => undefined);
      }
    },
    [showPrompt],
  );

  const value = useMemo<ConnectionContext>(
    () => ({ handle, needing, reconnect, accounts, accountsError, refreshAccounts, checks, checkConnection, forgetCheck }),
    [handle, needing, reconnect, accounts, accountsError, refreshAccounts, checks, checkConnection, forgetCheck],
  );

  const mode = prompt?.accountId != null ? accounts?.find((a) => a.id === prompt.accountId)?.mode : undefined;

  return (
    <Ctx.Provider value={value}>
      <div className="usps-frame">
        {needing.size > 0 && <ConnectionBanner needing={needing} onReconnect={reconnect} />}
        {retryOffer && (
          <RetryOffer
            onRetry={() => {
              setRetryOffer(null);
              if (window.location.hash !== retryOffer.hash) window.location.hash = retryOffer.hash;
              setTimeout(retryOffer.retry, 0);
            }}
            onDismiss={() => setRetryOffer(null)}
          />
        )}
        {diagnosis && <Diagnosis error={diagnosis} onDismiss={() => setDiagnosis(null)} />}
        {props.children}
      </div>
      {keyring && !prompt && <KeyringPrompt error={keyring.error} retry={keyring.retry} onClose={() => setKeyring(null)} />}
      {prompt && (
        <ReconnectPrompt
          key={`${prompt.accountId}-${prompt.startNow}`}
          request={prompt}
          ownApp={mode?.kind === "own_app"}
          onRemindLater={() => remindLater(prompt)}
          onClose={() => {
            showPrompt(null);
            refreshAccounts();
          }}
        />
      )}
    </Ctx.Provider>
  );
}

function ConnectionBanner({ needing, onReconnect }: { needing: Map<number, Needing>; onReconnect: () => void }) {
  const names = [...needing.values()].map((n) => n.nickname);
  return (
    <div className="usps-banner" role="status" data-testid="usps-banner">
      <span>
        USPS needs to be reconnected
        {names.length > 0 && <span className="muted"> ({names.join(", ")})</span>}
      </span>
      <span aria-hidden="true"> · </span>
      <button type="button" className="link-button" onClick={onReconnect} data-action="banner-reconnect">
        Reconnect
      </button>
    </div>
  );
}

function RetryOffer({ onRetry, onDismiss }: { onRetry: () => void; onDismiss: () => void }) {
  return (
    <div className="usps-banner usps-retry-offer" role="status" data-testid="usps-retry-offer">
      <span>USPS is connected again. Try what failed once more?</span>
      <button type="button" className="primary" onClick={onRetry} data-action="retry">
        Retry
      </button>
      <button type="button" onClick={onDismiss} data-action="dismiss-retry">
        Dismiss
      </button>
    </div>
  );
}

function useConnection(): ConnectionContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error("useUspsErrors/useConnectionBanner need <UspsConnectionProvider> above them");
  return ctx;
}

export function useUspsErrors(): UspsErrorHandler {
  const { handle } = useConnection();
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  return useCallback<UspsErrorHandler>((error, retry) => handle(error, retry, () => mounted.current), [handle]);
}

/** For pages that need USPS: show the banner's Reconnect instead of failing silently. */
export function useConnectionBanner(): { needsReconnect: boolean; reconnect: () => void } {
  const { needing, reconnect } = useConnection();
  return { needsReconnect: needing.size > 0, reconnect };
}

/** The USPS accounts (Carrier Settings), kept fresh by connection events. */
export function useUspsAccounts() {
  const { accounts, accountsError, refreshAccounts } = useConnection();
  return { accounts, error: accountsError, refresh: refreshAccounts };
}

/** "Check connection" for one account: the last result survives navigation. */
export function useConnectionCheck(accountId: number) {
  const { checks, checkConnection, forgetCheck } = useConnection();
  const run = checks.get(accountId) ?? { running: false, result: null, error: null };
  return { ...run, check: () => checkConnection(accountId), forget: () => forgetCheck(accountId) };
}
