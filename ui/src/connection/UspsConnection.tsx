// The USPS connection as the whole app sees it (docs/connection.md#prompt-and-banner): which
// accounts need to be reconnected, the "Your USPS connection needs to be renewed" prompt, the
// persistent banner after "Remind Me Later", and the diagnosis for accounts USPS has not
// entitled or linked.
//
// One channel: core emits a snapshot of every account's connection after each change (the
// `usps://connection` event; a window that opens reads the current one), and one reducer
// (`connectionReducer.ts`) renders it. Pages hand their failed USPS calls to `useUspsErrors()`;
// a connection error points at the account as core's snapshot shows it, so the prompt shows only
// when core says so, and "Remind Me Later" goes to core, which answers with a new snapshot. A
// missing OS keyring is taken over too: the user may keep the session's secrets in memory and
// retry.
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, useState, type ReactNode, type JSX } from "react";
import { events, ipc, type AccountConnection, type AppError, type ConnectionCheck, type ConnectionSnapshot, type UspsAccountRecord } from "../ipc";
import { ReconnectPrompt } from "./ReconnectPrompt";
import { Diagnosis } from "./Diagnosis";
import { KeyringPrompt } from "./KeyringPrompt";
import { ContractQuestion, GuideOfferBanner } from "./ContractOffer";
import { EndiciaBanner, EndiciaPrompt } from "./EndiciaLogin";
import { connectionReducer, initialView, needingReconnect, routeFailure, type PromptRequest } from "./connectionReducer";
import "./connection.css";

export type { PromptRequest } from "./connectionReducer";

/** `true` = it was a connection problem and the prompt/banner/diagnosis took it over. */
export type UspsErrorHandler = (error: AppError, retry?: () => void) => boolean;

/** The provider's handler also learns whether the caller is still mounted. */
type InternalHandler = (error: AppError, retry?: () => void, alive?: () => boolean) => boolean;

const ALWAYS = () => true;

type ConnectionContext = {
  handle: InternalHandler;
  needing: AccountConnection[];
  reconnect: () => void;
  accounts: UspsAccountRecord[] | null;
  accountsError: AppError | null;
  refreshAccounts: () => Promise<void>;
  checks: Map<number, CheckRun>;
  checkConnection: (id: number) => Promise<void>;
  forgetCheck: (id: number) => void;
  /** What the user answered to "Do you have USPS contract prices?" (`null`: not yet). */
  contractPricesSaid: boolean | null;
  /** The business account guide was asked for (banner, first-use question): Carrier Settings opens it. */
  guideRequested: boolean;
  openGuide: () => void;
  guideShown: () => void;
};

/** The last "Check connection" of an account. */
export type CheckRun = { running: boolean; result: ConnectionCheck | null; error: AppError | null };

const Ctx = createContext<ConnectionContext | null>(null);

export function UspsConnectionProvider(props: { children: ReactNode }): JSX.Element {
  const [view, dispatch] = useReducer(connectionReducer, initialView);
  const received = useCallback((snapshot: ConnectionSnapshot) => dispatch({ type: "snapshot", snapshot }), []);

  // Core's snapshots: every change as it happens, and the current one for this window. The
  // reducer keeps the newest revision, whichever arrives first.
  useEffect(() => {
    let stop: (() => void) | undefined;
    let gone = false;
    Promise.resolve()
      .then(() => events.onUspsConnection(received))
      .then((unlisten) => (gone ? unlisten() : (stop = unlisten)))
      .catch(() => undefined);
    Promise.resolve()
      .then(() => ipc.uspsConnection())
      .then((snapshot) => {
        if (!gone) received(snapshot);
      })
      .catch(() => undefined);
    return () => {
      gone = true;
      stop?.();
    };
  }, [received]);

  // The full account records (Carrier Settings), read again whenever core reports a change.
  const [accounts, setAccounts] = useState<UspsAccountRecord[] | null>(null);
  const [accountsError, setAccountsError] = useState<AppError | null>(null);
  const refreshAccounts = useCallback(async () => {
    try {
      setAccounts(await ipc.uspsAccounts());
      setAccountsError(null);
    } catch (e) {
      setAccountsError(e as AppError);
    }
  }, []);
  const revision = view.snapshot?.revision;
  useEffect(() => {
    void refreshAccounts();
  }, [revision, refreshAccounts]);

  const handle = useCallback<InternalHandler>((error, retry, alive = ALWAYS) => {
    const action = routeFailure(error, retry, alive, window.location.hash);
    if (action) dispatch(action);
    return action !== null;
  }, []);

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
        const { state } = result.account;
        if (state.state === "needs_reconnect") {
          // Whether to prompt is core's call: read the snapshot the check left behind.
          const snapshot = await ipc.uspsConnection();
          received(snapshot);
          const account = snapshot.accounts.find((a) => a.account_id === id) ?? null;
          dispatch({ type: "needs_reconnect", account, message: state.reason, retry: again, alive: ALWAYS, hash: window.location.hash });
        }
      } catch (e) {
        const error = e as AppError;
        update({ running: false, result: null, error });
        handle(error, again);
      }
      // "Last verified" changes without a state change, so without a snapshot.
      void refreshAccounts();
    },
    [handle, received, refreshAccounts],
  );
  const forgetCheck = useCallback((id: number) => {
    setChecks((prev) => {
      const next = new Map(prev);
      next.delete(id);
      return next;
    });
  }, []);

  const reconnect = useCallback(() => dispatch({ type: "banner_reconnect" }), []);

  const remindLater = useCallback((request: PromptRequest) => {
    dispatch({ type: "remind_later", hash: window.location.hash });
    // Core snoozes and emits the snapshot that says so; the banner stays.
    if (request.accountId !== null) ipc.uspsSnoozePrompt(request.accountId).catch(() => undefined);
  }, []);

  // The first-use question is asked when this window opens on a desk that needs it, not when
  // the last account is removed later.
  const [askOnOpen, setAskOnOpen] = useState<boolean | null>(null);
  const offer = view.snapshot?.guide_offer ?? "none";
  useEffect(() => {
    if (askOnOpen === null && view.snapshot) setAskOnOpen(view.snapshot.guide_offer === "ask_about_contract");
  }, [askOnOpen, view.snapshot]);
  const [guideRequested, setGuideRequested] = useState(false);
  const openGuide = useCallback(() => {
    setGuideRequested(true);
    window.location.hash = "#/settings/carriers";
  }, []);
  const guideShown = useCallback(() => setGuideRequested(false), []);
  const answer = (have: boolean) => {
    setAskOnOpen(false);
    sayContractPrices(have).catch(() => undefined);
    if (have) openGuide();
  };
  const contractPricesSaid = view.snapshot?.contract_prices_said ?? null;

  const needing = useMemo(() => needingReconnect(view.snapshot), [view.snapshot]);
  const value = useMemo<ConnectionContext>(
    () => ({ handle, needing, reconnect, accounts, accountsError, refreshAccounts, checks, checkConnection, forgetCheck, contractPricesSaid, guideRequested, openGuide, guideShown }),
    [handle, needing, reconnect, accounts, accountsError, refreshAccounts, checks, checkConnection, forgetCheck, contractPricesSaid, guideRequested, openGuide, guideShown],
  );

  const { prompt, retryOffer, diagnosis, keyring } = view;
  const endicia = view.snapshot?.endicia ?? null;
  const endiciaKey = endicia ? `${endicia.account_number}:${endicia.reason}` : null;
  // "Log in again" takes the user to the login form: the prompt stays away for this loss.
  const [endiciaLoggingIn, setEndiciaLoggingIn] = useState<string | null>(null);
  const mode = prompt?.accountId != null ? accounts?.find((a) => a.id === prompt.accountId)?.mode : undefined;

  return (
    <Ctx.Provider value={value}>
      <div className="usps-frame">
        {needing.length > 0 && <ConnectionBanner needing={needing} onReconnect={reconnect} />}
        {offer === "connect_for_contract" && <GuideOfferBanner onOpenGuide={openGuide} />}
        {endicia && <EndiciaBanner attention={endicia} />}
        {retryOffer && (
          <RetryOffer
            onRetry={() => {
              dispatch({ type: "retry_offer_closed" });
              if (window.location.hash !== retryOffer.hash) window.location.hash = retryOffer.hash;
              setTimeout(retryOffer.retry, 0);
            }}
            onDismiss={() => dispatch({ type: "retry_offer_closed" })}
          />
        )}
        {diagnosis && <Diagnosis error={diagnosis} onDismiss={() => dispatch({ type: "diagnosis_closed" })} />}
        {props.children}
      </div>
      {askOnOpen && offer === "ask_about_contract" && !prompt && <ContractQuestion onAnswer={answer} onLater={() => setAskOnOpen(false)} />}
      {keyring && !prompt && <KeyringPrompt error={keyring.error} retry={keyring.retry} onClose={() => dispatch({ type: "keyring_closed" })} />}
      {endicia?.prompt && !prompt && endiciaLoggingIn !== endiciaKey && (
        <EndiciaPrompt
          attention={endicia}
          onLogIn={() => setEndiciaLoggingIn(endiciaKey)}
          onRemindLater={() => void ipc.endiciaRemindLater().catch(() => undefined)}
        />
      )}
      {prompt && (
        <ReconnectPrompt
          key={`${prompt.accountId}-${prompt.startNow}`}
          request={prompt}
          ownApp={mode?.kind === "own_app"}
          onRemindLater={() => remindLater(prompt)}
          onClose={() => dispatch({ type: "prompt_closed" })}
        />
      )}
    </Ctx.Provider>
  );
}

function ConnectionBanner({ needing, onReconnect }: { needing: AccountConnection[]; onReconnect: () => void }) {
  const names = needing.map((n) => n.nickname);
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
  return { needsReconnect: needing.length > 0, reconnect };
}

/** The USPS accounts (Carrier Settings), read again after every connection snapshot. */
export function useUspsAccounts() {
  const { accounts, accountsError, refreshAccounts } = useConnection();
  return { accounts, error: accountsError, refresh: refreshAccounts };
}

const sayContractPrices = (have: boolean) => ipc.uspsSayContractPrices(have);

/** The business account guide: whether it was asked for, and the user's answer about contract prices. */
export function useBusinessGuide() {
  const { contractPricesSaid, guideRequested, guideShown } = useConnection();
  return { contractPricesSaid, requested: guideRequested, shown: guideShown, say: sayContractPrices };
}

/** "Check connection" for one account: the last result survives navigation. */
export function useConnectionCheck(accountId: number) {
  const { checks, checkConnection, forgetCheck } = useConnection();
  const run = checks.get(accountId) ?? { running: false, result: null, error: null };
  return { ...run, check: () => checkConnection(accountId), forget: () => forgetCheck(accountId) };
}
