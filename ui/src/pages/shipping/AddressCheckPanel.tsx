import type { Address, AddressCheck, FieldDifference } from "../../ipc";

export type AddressDecision = "standardized" | "as_entered";

const FIELDS: { key: string; get: (a: Address) => string | null }[] = [
  { key: "name", get: (a) => a.name },
  { key: "company", get: (a) => a.company },
  { key: "street1", get: (a) => a.street1 },
  { key: "street2", get: (a) => a.street2 },
  { key: "city", get: (a) => a.city },
  { key: "state", get: (a) => a.state },
  { key: "zip5", get: (a) => a.zip5 },
  { key: "zip4", get: (a) => a.zip4 },
];

function Lines({ address, differences }: { address: Address; differences: FieldDifference[] }) {
  const changed = new Set(differences.map((d) => d.field));
  const part = (key: string, text: string | null) =>
    text ? changed.has(key) ? <mark key={key} data-diff={key}>{text}</mark> : <span key={key}>{text}</span> : null;
  const v = (k: string) => FIELDS.find((f) => f.key === k)!.get(address);
  return (
    <address>
      {part("name", v("name"))}
      {address.company && <>{"\n"}{part("company", v("company"))}</>}
      {"\n"}
      {part("street1", v("street1"))}
      {address.street2 && <>{"\n"}{part("street2", v("street2"))}</>}
      {"\n"}
      {part("city", v("city"))}, {part("state", v("state"))} {part("zip5", v("zip5"))}
      {address.zip4 && <>-{part("zip4", v("zip4"))}</>}
    </address>
  );
}

/**
 * USPS's standardized address next to what was entered, differences highlighted, and the
 * user's choice of which one goes on the label. Unknown addresses are flagged, never silently
 * sent: buying one needs an explicit "print it anyway".
 */
export function AddressCheckPanel(props: {
  check: AddressCheck;
  decision: AddressDecision;
  onDecision: (d: AddressDecision) => void;
  printAnyway: boolean;
  onPrintAnyway: (v: boolean) => void;
}) {
  const { check } = props;
  const unknown = check.standardized == null || check.deliverable === "no";
  if (check.deliverable === "not_checked") {
    return (
      <div data-testid="address-check" data-deliverable={check.deliverable}>
        <p className="notice notice-warn">
          The address was not checked{check.message ? `: ${check.message.trim().replace(/([^.])$/, "$1.")}` : "."} The label is printed as entered.
        </p>
      </div>
    );
  }
  return (
    <div data-testid="address-check" data-deliverable={check.deliverable}>
      {unknown ? (
        <p className="flag" role="alert">
          USPS does not recognize this address{check.message ? `: ${check.message}` : "."} Fix the order's address, or print
          it as entered if you are sure.
        </p>
      ) : check.deliverable === "unknown" ? (
        <p className="notice notice-warn">USPS matched the street but could not confirm the apartment or suite number.</p>
      ) : check.differences.length === 0 ? (
        <p className="muted">USPS confirms this address as entered.</p>
      ) : null}
      <div className="address-compare">
        <div>
          <h4>As entered</h4>
          <Lines address={check.as_entered} differences={check.differences} />
        </div>
        <div>
          <h4>USPS suggests</h4>
          {check.standardized ? <Lines address={check.standardized} differences={check.differences} /> : <p className="muted">No match</p>}
        </div>
      </div>
      {check.corrections.length > 0 && (
        <ul className="muted" data-testid="address-notes">
          {check.corrections.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      )}
      {check.usps_notes.length > 0 && (
        <details className="error-details">
          <summary>USPS details</summary>
          <ul>
            {check.usps_notes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
      {check.standardized && check.differences.length > 0 && (
        <div className="choice-row" role="radiogroup" aria-label="Which address goes on the label">
          <label className="check">
            <input
              type="radio"
              name="address-choice"
              checked={props.decision === "standardized"}
              onChange={() => props.onDecision("standardized")}
              data-choice="standardized"
            />
            Use USPS's suggestion
          </label>
          <label className="check">
            <input
              type="radio"
              name="address-choice"
              checked={props.decision === "as_entered"}
              onChange={() => props.onDecision("as_entered")}
              data-choice="as_entered"
            />
            Keep as entered
          </label>
        </div>
      )}
      {unknown && (
        <label className="check">
          <input type="checkbox" checked={props.printAnyway} onChange={(e) => props.onPrintAnyway(e.target.checked)} data-testid="print-anyway" />
          Print this address anyway
        </label>
      )}
    </div>
  );
}
