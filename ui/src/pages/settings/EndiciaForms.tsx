// The Endicia forms beside the login: Change Pass Phrase (logged in, or with the current pass
// phrase — the way out of a temporary one) and the unlock of an account suspended after wrong
// pass phrases (e-mail on file → challenge question → answer and a new pass phrase). Endicia's
// rules (5–64 characters, not one of the last four) come back as errors beside the field.
import { useState } from "react";
import { ipc, type EndiciaSandboxDemo, type PostageAccount } from "../../ipc";
import { ErrorNotice } from "../../components/ErrorNotice";
import { fieldErrors } from "./fieldErrors";
import { useAction } from "../../components/useAction";

/** One labelled input of an Endicia form, its error beside it. */
export function Field(props: {
  id: string;
  label: string;
  field: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  secret?: boolean;
  visible?: boolean;
  placeholder?: string;
  autoComplete?: string;
  inputMode?: "numeric" | "decimal";
}) {
  return (
    <div className="form-row">
      <label htmlFor={props.id}>{props.label}</label>
      <div>
        <input
          id={props.id}
          data-field={props.field}
          type={props.secret && !props.visible ? "password" : "text"}
          placeholder={props.placeholder}
          autoComplete={props.autoComplete}
          inputMode={props.inputMode}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          aria-invalid={!!props.error}
          aria-describedby={props.error ? `${props.id}-error` : undefined}
        />
        {props.error && (
          <p className="field-error" id={`${props.id}-error`}>
            {props.error}
          </p>
        )}
      </div>
    </div>
  );
}

export function ChangePassPhraseForm(props: { loggedIn: boolean; accountNumber: string; onDone: () => void; onCancel: () => void }) {
  const [accountNumber, setAccountNumber] = useState(props.accountNumber);
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [visible, setVisible] = useState(false);
  const { busy, error, run } = useAction();
  const errors = fieldErrors(error);
  const mismatch = confirm !== "" && confirm !== next ? "The two new pass phrases differ." : undefined;

  const change = () =>
    run(async () => {
      await ipc.endiciaChangePassPhrase(
        props.loggedIn ? { new_pass_phrase: next } : { account_number: accountNumber, current_pass_phrase: current, new_pass_phrase: next },
      );
      props.onDone();
    });

  return (
    <form
      className="panel"
      data-testid="endicia-change-pass-phrase"
      onSubmit={(e) => {
        e.preventDefault();
        if (!mismatch) void change();
      }}
    >
      <h3>Change Pass Phrase</h3>
      <p className="muted small">5 to 64 characters, not one of the account's last four. Several words, upper and lower case, a digit and punctuation make a strong one.</p>
      <div className="form-grid">
        {!props.loggedIn && (
          <>
            <Field id="change-account" label="Account number" field="account_number" value={accountNumber} onChange={setAccountNumber} error={errors.account_number} />
            <Field id="change-current" label="Current pass phrase" field="current_pass_phrase" value={current} onChange={setCurrent} error={errors.current_pass_phrase} secret visible={visible} />
          </>
        )}
        <Field id="change-new" label="New pass phrase" field="new_pass_phrase" value={next} onChange={setNext} error={errors.new_pass_phrase} secret visible={visible} />
        <Field id="change-confirm" label="New pass phrase again" field="confirm_pass_phrase" value={confirm} onChange={setConfirm} error={mismatch} secret visible={visible} />
      </div>
      <label className="checkbox-line">
        <input type="checkbox" checked={visible} onChange={(e) => setVisible(e.target.checked)} /> Make pass phrase visible
      </label>
      {error && !error.details && <ErrorNotice error={error} title="The pass phrase was not changed" />}
      <div className="section-actions">
        <button type="submit" className="primary" disabled={busy || next === "" || !!mismatch} data-action="endicia-change">
          {busy ? "Changing…" : "Change"}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function UnlockForm(props: {
  accountNumber: string;
  sandboxDemo: EndiciaSandboxDemo | null;
  onUnlocked: (a: PostageAccount) => void;
  onCancel: () => void;
}) {
  const [accountNumber, setAccountNumber] = useState(props.accountNumber);
  const [email, setEmail] = useState("");
  const [question, setQuestion] = useState<string | null>(null);
  const [answer, setAnswer] = useState("");
  const [next, setNext] = useState("");
  const { busy, error, run } = useAction();
  const errors = fieldErrors(error);

  const ask = () => run(async () => setQuestion(await ipc.endiciaChallengeQuestion(accountNumber, email)));
  const unlock = () =>
    run(async () => props.onUnlocked(await ipc.endiciaUnlock({ account_number: accountNumber, challenge_answer: answer, new_pass_phrase: next })));

  return (
    <form
      className="panel"
      data-testid="endicia-unlock"
      onSubmit={(e) => {
        e.preventDefault();
        void (question === null ? ask() : unlock());
      }}
    >
      <h3>Unlock a suspended account</h3>
      <p className="muted small">After five wrong pass phrases Endicia suspends the account. Answer its challenge question and choose a new pass phrase.</p>
      <div className="form-grid">
        <Field id="unlock-account" label="Account number" field="account_number" value={accountNumber} onChange={setAccountNumber} error={errors.account_number} />
        <Field id="unlock-email" label="E-mail on file" field="email" value={email} onChange={setEmail} error={errors.email} />
        {question !== null && (
          <>
            <div className="form-row">
              <span>Challenge question</span>
              <strong data-field="challenge-question">{question}</strong>
            </div>
            <Field id="unlock-answer" label="Answer" field="challenge_answer" value={answer} onChange={setAnswer} error={errors.challenge_answer} />
            <Field id="unlock-new" label="New pass phrase" field="new_pass_phrase" value={next} onChange={setNext} error={errors.new_pass_phrase} secret />
          </>
        )}
      </div>
      {error && !error.details && <ErrorNotice error={error} title="The account was not unlocked" />}
      {props.sandboxDemo && (
        <p className="muted small" data-testid="endicia-sandbox-unlock">
          Sandbox: the demo account's e-mail on file is <code>{props.sandboxDemo.email}</code> and its challenge answer{" "}
          <code>{props.sandboxDemo.challenge_answer}</code>.
        </p>
      )}
      <div className="section-actions">
        <button type="submit" className="primary" disabled={busy} data-action={question === null ? "endicia-get-question" : "endicia-unlock-submit"}>
          {question === null ? "Get the challenge question" : "Unlock"}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
