// "Connect your USPS business account": the three steps a business goes through before Shipdesk
// can buy its labels (business account, Enterprise Payment Account, link), each with its state as
// USPS shows it (core reads them off the connection doctor) and a button for what to do next.
import { useEffect, useRef, useState } from "react";
import { ipc, type AppError, type OnboardingGuide, type OnboardingStatus } from "../../ipc";
import { ErrorNotice } from "../../components/ErrorNotice";

const STATUS_LABEL: Record<OnboardingStatus, string> = {
  done: "Done",
  pending: "Pending at USPS",
  to_do: "To do",
  not_checked: "Not checked yet",
};

export function BusinessGuide(props: {
  openAtStart: boolean;
  onSignIn: () => void;
  onChecked?: () => void;
  /** What the user answered to "Do you have USPS contract prices?" (`null`: not yet). */
  contractPricesSaid: boolean | null;
  /** Asked for (the banner, the first-use question): opens and scrolls into view, then `onShown`. */
  requested: boolean;
  onShown: () => void;
  onSayContractPrices: (have: boolean) => Promise<void>;
}) {
  const [guide, setGuide] = useState<OnboardingGuide | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [portalError, setPortalError] = useState<AppError | null>(null);
  const { requested, onShown } = props;
  const [open, setOpen] = useState(props.openAtStart || requested);
  const box = useRef<HTMLDetailsElement>(null);

  const check = async () => {
    setChecking(true);
    setError(null);
    try {
      setGuide(await ipc.uspsOnboarding(null));
      // The check updated the account's state and "last verified".
      props.onChecked?.();
    } catch (e) {
      setError(e as AppError);
    } finally {
      setChecking(false);
    }
  };
  // USPS is asked the first time the guide is open (at once when it starts open: no account).
  const asked = useRef(false);
  const firstLook = () => {
    if (asked.current) return;
    asked.current = true;
    void check();
  };
  useEffect(() => {
    if (open) firstLook();
  });
  // Asked for from the banner or the first-use question: open it and bring it into view.
  useEffect(() => {
    if (!requested) return;
    setOpen(true);
    box.current?.scrollIntoView?.({ block: "start" });
    onShown();
  }, [requested, onShown]);
  const [sayError, setSayError] = useState<AppError | null>(null);
  const say = (have: boolean) => {
    setSayError(null);
    props.onSayContractPrices(have).catch((e) => setSayError(e as AppError));
  };
  const openPortal = () => {
    setPortalError(null);
    ipc.uspsOpenBusinessPortal().catch((e) => setPortalError(e as AppError));
  };

  return (
    <details
      ref={box}
      className="business-guide"
      data-testid="business-guide"
      open={open}
      onToggle={(e) => {
        const nowOpen = (e.target as HTMLDetailsElement).open;
        setOpen(nowOpen);
        if (nowOpen) firstLook();
      }}
    >
      <summary>Connect your USPS business account</summary>
      <p className="muted small">Three steps, each checked with USPS. Shipdesk buys labels once all three are done.</p>
      <label className="checkbox-line">
        <input
          type="checkbox"
          checked={props.contractPricesSaid === true}
          onChange={(e) => say(e.target.checked)}
          data-field="have-contract-prices"
        />{" "}
        I have USPS contract prices (NSA): remind me until my business account is connected
      </label>
      {sayError && <ErrorNotice error={sayError} title="Your answer could not be saved" />}
      {error && <ErrorNotice error={error} title="USPS could not be asked" />}
      {portalError && <ErrorNotice error={portalError} title="The USPS business portal could not be opened" />}
      {checking && !guide && <p aria-live="polite">Asking USPS…</p>}
      {guide && (
        <ol className="guide-steps">
          {guide.steps.map((step) => (
            <li key={step.key} data-step={step.key} data-status={step.status}>
              <div className="guide-step-head">
                <strong>{step.title}</strong> <span className={`chip guide-${step.status}`}>{STATUS_LABEL[step.status]}</span>
              </div>
              <p className="small">{step.detail}</p>
              {step.status !== "done" && step.action === "open_business_portal" && (
                <button type="button" onClick={openPortal} data-action="open-business-portal">
                  Open the USPS business portal
                </button>
              )}
              {step.status !== "done" && step.action === "sign_in" && (
                <button type="button" className="primary" onClick={props.onSignIn} data-action="guide-sign-in">
                  Sign in with USPS
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      {guide?.contract && (
        <p className="small" data-testid="guide-contract">
          {guide.contract}
        </p>
      )}
      {guide && (
        <p className="muted small" data-testid="guide-password-warning">
          {guide.password_warning}
        </p>
      )}
      <button type="button" onClick={check} disabled={checking} data-action="guide-check">
        {checking ? "Checking with USPS…" : "Check again"}
      </button>
    </details>
  );
}
