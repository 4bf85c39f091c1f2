// Settings › Postage accounts › Endicia: log in with the account number and pass phrase (shown
// or hidden, remembered in the OS keyring or not), then "Postage details": the balance, status,
// Postage to add with Buy Postage, the server's response, and the recent purchases. Change Pass
// Phrase and the unlock of a suspended account are their own forms (EndiciaForms.tsx).
import { useEffect, useState } from "react";
import { ipc, type AppError, type EndiciaRemembered, type PostageAccount, type PostageAutoBuyInput } from "../../ipc";
import { ErrorNotice } from "../../components/ErrorNotice";
import { fieldErrors } from "./fieldErrors";
import { ChangePassPhraseForm, Field, UnlockForm } from "./EndiciaForms";
import { formatDate, formatMoney as money } from "../../format";
import { useAction } from "../../components/useAction";

type View = "login" | "details" | "change" | "unlock";

export function PostageAccounts() {
  const [remembered, setRemembered] = useState<EndiciaRemembered | null>(null);
  const [account, setAccount] = useState<PostageAccount | null>(null);
  const [view, setView] = useState<View>("login");
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The account number typed on the login form, for Change Pass Phrase and Unlock.
  const [typedAccount, setTypedAccount] = useState("");

  const reload = async () => {
    try {
      const r = await ipc.endiciaRemembered();
      setRemembered(r);
      if (r.logged_in) {
        setAccount(await ipc.endiciaAccount());
        setView("details");
      }
    } catch (e) {
      setError(e as AppError);
      setView("login");
    }
  };
  useEffect(() => {
    void reload();
  }, []);

  const loggedIn = (a: PostageAccount, message: string | null = null) => {
    setAccount(a);
    setNotice(message);
    setError(null);
    setView("details");
  };

  return (
    <div role="tabpanel" data-panel="postage">
      <h2>Endicia</h2>
      <p className="muted small">A prepaid postage account: labels bought through it are paid from its balance.</p>
      {error && view !== "login" && <ErrorNotice error={error} />}
      {notice && (
        <p className="notice notice-ok" role="status" data-testid="endicia-notice">
          {notice}
        </p>
      )}
      {view === "login" && error?.code === "ENDICIA_LOGIN_REQUIRED" && (
        <div className="notice notice-warn" role="alert" data-testid="endicia-login-again">
          <strong>Log in again.</strong> {error.message}
        </div>
      )}
      {view === "login" && remembered && (
        <LoginForm
          remembered={remembered}
          onLoggedIn={(a) => loggedIn(a)}
          onChange={(typed) => {
            setTypedAccount(typed);
            setView("change");
          }}
          onUnlock={(typed) => {
            setTypedAccount(typed);
            setView("unlock");
          }}
        />
      )}
      {view === "details" && account && (
        <PostageDetails
          account={account}
          onAccount={setAccount}
          onLoginLost={async (e) => {
            setAccount(null);
            setNotice(null);
            setError(e);
            setRemembered(await ipc.endiciaRemembered().catch(() => remembered));
            setView("login");
          }}
          onChange={() => setView("change")}
          onLogout={async () => {
            await ipc.endiciaLogout().catch(() => undefined);
            setAccount(null);
            setNotice(null);
            setRemembered(await ipc.endiciaRemembered().catch(() => remembered));
            setView("login");
          }}
        />
      )}
      {view === "change" && (
        <ChangePassPhraseForm
          loggedIn={account !== null}
          accountNumber={account?.account_number ?? (typedAccount || remembered?.account_number) ?? ""}
          onDone={async () => {
            setNotice("The pass phrase was changed. Use the new one from now on.");
            if (account) setView("details");
            else {
              setRemembered(await ipc.endiciaRemembered().catch(() => remembered));
              setView("login");
            }
          }}
          onCancel={() => setView(account ? "details" : "login")}
        />
      )}
      {view === "unlock" && (
        <UnlockForm
          accountNumber={(typedAccount || remembered?.account_number) ?? ""}
          sandboxDemo={remembered?.sandbox_demo ?? null}
          onUnlocked={(a) => loggedIn(a, "The account is unlocked and you are logged in with the new pass phrase.")}
          onCancel={() => setView("login")}
        />
      )}
    </div>
  );
}

function LoginForm(props: {
  remembered: EndiciaRemembered;
  onLoggedIn: (a: PostageAccount) => void;
  onChange: (accountNumber: string) => void;
  onUnlock: (accountNumber: string) => void;
}) {
  const r = props.remembered;
  const [accountNumber, setAccountNumber] = useState(r.account_number ?? "");
  const [passPhrase, setPassPhrase] = useState("");
  const [visible, setVisible] = useState(false);
  const [remember, setRemember] = useState(r.account_number !== null);
  const { busy, error, setError, run } = useAction();
  const [forgotten, setForgotten] = useState(false);
  const errors = fieldErrors(error);
  const usesRemembered = !forgotten && r.pass_phrase_remembered && passPhrase === "" && accountNumber === r.account_number;
  // Unticking "Remember" deletes what was remembered at once: next time the fields start blank.
  const toggleRemember = (on: boolean) => {
    setRemember(on);
    if (!on && r.account_number !== null && !forgotten) {
      ipc.endiciaForget().then(
        () => setForgotten(true),
        (e) => setError(e as AppError),
      );
    }
  };

  const login = () =>
    run(async () => props.onLoggedIn(await ipc.endiciaLogin({ account_number: accountNumber, pass_phrase: passPhrase === "" ? undefined : passPhrase, remember })));

  return (
    <form
      className="panel endicia-login"
      data-testid="endicia-login"
      onSubmit={(e) => {
        e.preventDefault();
        void login();
      }}
    >
      <div className="form-grid">
        <Field id="endicia-account" label="Account number" field="account_number" inputMode="numeric" autoComplete="username" value={accountNumber} onChange={setAccountNumber} error={errors.account_number} />
        <Field
          id="endicia-pass"
          label="Pass phrase"
          field="pass_phrase"
          secret
          visible={visible}
          autoComplete="current-password"
          placeholder={r.pass_phrase_remembered && !forgotten ? "Remembered (leave empty to use it)" : ""}
          value={passPhrase}
          onChange={setPassPhrase}
          error={errors.pass_phrase}
        />
      </div>
      <label className="checkbox-line">
        <input type="checkbox" checked={visible} onChange={(e) => setVisible(e.target.checked)} data-field="show-pass-phrase" /> Make pass phrase visible
      </label>
      <label className="checkbox-line">
        <input type="checkbox" checked={remember} onChange={(e) => toggleRemember(e.target.checked)} data-field="remember" /> Remember account number and pass phrase
        <span className="muted small"> (in the system keyring only)</span>
      </label>
      {forgotten && (
        <p className="small" role="status" data-testid="endicia-forgotten">
          The remembered account number and pass phrase were deleted from the keyring.
        </p>
      )}
      {error && !error.details && <ErrorNotice error={error} title="Could not log in to Endicia" />}
      <div className="section-actions">
        <button type="submit" className="primary" disabled={busy || (passPhrase === "" && !usesRemembered)} data-action="endicia-login">
          {busy ? "Logging in…" : "Login"}
        </button>
        <button type="button" onClick={() => props.onChange(accountNumber)} data-action="endicia-change-pass-phrase">
          Change Pass Phrase
        </button>
        <button type="button" className="link-button" onClick={() => props.onUnlock(accountNumber)} data-action="endicia-unlock">
          Account suspended? Unlock it
        </button>
      </div>
      {r.sandbox_demo && (
        <p className="muted small" data-testid="endicia-sandbox-demo">
          Sandbox: Shipdesk's built-in Endicia simulator. Log in with <code>{r.sandbox_demo.account_number}</code> /{" "}
          <code>{r.sandbox_demo.pass_phrase}</code>.
        </p>
      )}
    </form>
  );
}

function PostageDetails(props: {
  account: PostageAccount;
  onAccount: (a: PostageAccount) => void;
  /** The login stopped working (pass phrase changed elsewhere, account suspended). */
  onLoginLost: (e: AppError) => void;
  onChange: () => void;
  onLogout: () => void;
}) {
  const a = props.account;
  const [amount, setAmount] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [response, setResponse] = useState<string | null>(null);
  const errors = fieldErrors(error);

  const buy = async () => {
    setBusy(true);
    setError(null);
    setResponse(null);
    try {
      const outcome = await ipc.endiciaBuy(amount);
      props.onAccount(outcome.account);
      setResponse(outcome.message);
      setAmount("");
    } catch (e) {
      const error = e as AppError;
      if (error.code === "ENDICIA_LOGIN_REQUIRED") return props.onLoginLost(error);
      setError(error);
      // A refusal or a lost answer changes the account's purchases: show them as they are now.
      ipc.endiciaAccount().then(props.onAccount, () => undefined);
    } finally {
      setBusy(false);
    }
  };
  const payLabels = async (pays: boolean) => {
    setError(null);
    try {
      props.onAccount(await ipc.endiciaPayLabels(pays));
    } catch (e) {
      const error = e as AppError;
      if (error.code === "ENDICIA_LOGIN_REQUIRED") return props.onLoginLost(error);
      setError(error);
    }
  };
  const checkAgain = async (id: number) => {
    setError(null);
    try {
      const settled = await ipc.endiciaCheckPurchase(id);
      setResponse(settled.state === "done" ? `The $${settled.amount} purchase went through.` : settled.message ?? null);
      props.onAccount(await ipc.endiciaAccount());
    } catch (e) {
      setError(e as AppError);
    }
  };

  return (
    <div className="panel" data-testid="postage-details">
      <h3>Postage details</h3>
      <dl className="facts">
        <dt>Account number</dt>
        <dd data-field="account-number">{a.account_number}</dd>
        <dt>Account postage balance</dt>
        <dd data-field="balance">{money(a.balance)}</dd>
        <dt>Printed to date</dt>
        <dd>{money(a.printed)}</dd>
        <dt>Status</dt>
        <dd data-field="status">{a.status}</dd>
      </dl>
      <label className="checkbox-line">
        <input type="checkbox" checked={a.pays_labels} onChange={(e) => void payLabels(e.target.checked)} data-field="pays-labels" />
        Pay for labels from this account
      </label>
      <p className="muted small">
        {a.pays_labels
          ? "Labels, batches and End of Day forms are paid from this balance. Address checks, tracking and pickups still go through your USPS account."
          : "Labels are paid from your default USPS account."}
      </p>
      <AutoBuyForm account={a} onAccount={props.onAccount} />
      {a.open_purchase && (
        <div className="notice notice-warn" data-testid="open-purchase">
          A postage purchase of {money(a.open_purchase.amount)} is not confirmed yet. {a.open_purchase.message ?? ""} It is never sent twice.{" "}
          <button type="button" onClick={() => checkAgain(a.open_purchase!.id)} data-action="check-purchase">
            Check again
          </button>
        </div>
      )}
      <form
        className="buy-postage"
        onSubmit={(e) => {
          e.preventDefault();
          void buy();
        }}
      >
        <label htmlFor="postage-to-add">Postage to add</label>
        <input id="postage-to-add" data-field="amount" inputMode="decimal" placeholder="$50.00" value={amount} onChange={(e) => setAmount(e.target.value)} aria-invalid={!!errors.amount} />
        <button type="submit" className="primary" disabled={busy || amount.trim() === "" || a.open_purchase !== null} data-action="buy-postage">
          {busy ? "Buying…" : "Buy Postage"}
        </button>
      </form>
      {errors.amount && <p className="field-error" data-testid="amount-error">{errors.amount}</p>}
      {error && !errors.amount && <ErrorNotice error={error} title="Postage was not bought" />}
      {response && (
        <p className="small" role="status" data-testid="server-response">
          {response}
        </p>
      )}
      {a.purchases.length > 0 && (
        <table className="accounts small" data-testid="postage-purchases">
          <thead>
            <tr>
              <th>When</th>
              <th>Amount</th>
              <th>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {a.purchases.map((p) => (
              <tr key={p.id} data-state={p.state}>
                <td>{formatDate(p.created_at)}</td>
                <td>{money(p.amount)}</td>
                <td>{PURCHASE_STATE[p.state]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="section-actions">
        <button type="button" onClick={props.onChange} data-action="endicia-change-pass-phrase">
          Change Pass Phrase
        </button>
        <button type="button" onClick={props.onLogout} data-action="endicia-logout">
          Log out
        </button>
      </div>
    </div>
  );
}

/** "Buy postage automatically": below a balance, a set amount is bought before the next label. */
function AutoBuyForm(props: { account: PostageAccount; onAccount: (a: PostageAccount) => void }) {
  const current = props.account.auto_buy;
  const [on, setOn] = useState(current !== null);
  const [below, setBelow] = useState(current?.below ?? "");
  const [amount, setAmount] = useState(current?.amount ?? "");
  const { busy, error, run } = useAction();
  const errors = fieldErrors(error);
  const save = (auto: PostageAutoBuyInput | null) =>
    run(async () => {
      props.onAccount(await ipc.endiciaAutoBuy(auto));
    });
  const toggle = (checked: boolean) => {
    setOn(checked);
    if (!checked && current !== null) void save(null);
  };
  return (
    <div className="auto-buy" data-testid="auto-buy">
      <label className="checkbox-line">
        <input type="checkbox" checked={on} onChange={(e) => toggle(e.target.checked)} data-field="auto-buy" /> Buy postage automatically
      </label>
      {on && (
        <form
          className="buy-postage"
          onSubmit={(e) => {
            e.preventDefault();
            void save({ below, amount });
          }}
        >
          <label htmlFor="auto-below">When the balance is below</label>
          <input id="auto-below" data-field="auto_below" inputMode="decimal" placeholder="$25.00" value={below} onChange={(e) => setBelow(e.target.value)} aria-invalid={!!errors.auto_below} />
          <label htmlFor="auto-amount">buy</label>
          <input id="auto-amount" data-field="auto_amount" inputMode="decimal" placeholder="$50.00" value={amount} onChange={(e) => setAmount(e.target.value)} aria-invalid={!!errors.auto_amount} />
          <button type="submit" disabled={busy || below.trim() === "" || amount.trim() === ""} data-action="save-auto-buy">
            Save
          </button>
        </form>
      )}
      {(errors.auto_below || errors.auto_amount) && <p className="field-error" data-testid="auto-buy-error">{errors.auto_below ?? errors.auto_amount}</p>}
      {error && !errors.auto_below && !errors.auto_amount && <ErrorNotice error={error} />}
      {current && (
        <p className="muted small" data-testid="auto-buy-status">
          Before a label, {money(current.amount)} of postage is bought when the balance is below {money(current.below)}.
        </p>
      )}
    </div>
  );
}

const PURCHASE_STATE: Record<PostageAccount["purchases"][number]["state"], string> = {
  intent: "Not sent yet",
  sent: "Waiting for Endicia",
  done: "Bought",
  refused: "Refused",
  not_applied: "Not applied",
};
