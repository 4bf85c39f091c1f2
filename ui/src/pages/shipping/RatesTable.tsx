import { useState } from "react";
import type { RateChoice, RateQuote, RatesAnswer } from "../../ipc";
import { formatMoney, formatZone } from "../../format";

export function sameChoice(a: RateChoice | null, b: RateChoice): boolean {
  return !!a && a.mail_class === b.mail_class && a.rate_indicator === b.rate_indicator && a.processing_category === b.processing_category;
}

/** USPS's product name, with the description that tells flat-rate boxes and envelopes apart. */
export function serviceName(q: Pick<RateQuote, "product_name" | "description">): string {
  const d = q.description?.trim();
  if (!d || d.toLowerCase() === q.product_name.toLowerCase()) return q.product_name;
  return d.toLowerCase().startsWith(q.product_name.toLowerCase()) ? d : `${q.product_name} — ${d}`;
}

/** What the shop ships in: its own box (the usual case) or a USPS flat-rate envelope or box. */
export type PackagingMode = "own" | "flat_rate";

/**
 * The row core recommends preselecting for the packaging the user ships in
 * (`RatesAnswer.recommended`: the cheapest service any contents may use in the shop's own box;
 * `recommended_flat_rate`: the cheapest flat-rate product the package fits); null when none is
 * a safe default and the user must choose.
 */
export function recommendedQuote(rates: RatesAnswer, packaging: PackagingMode = "own"): RateQuote | null {
  const wanted = packaging === "own" ? rates.recommended : rates.recommended_flat_rate;
  return rates.quotes.find((q) => sameChoice(wanted, q.choice)) ?? null;
}

export function choiceKey(c: RateChoice): string {
  return `${c.mail_class}/${c.rate_indicator}/${c.processing_category}`;
}

/** The rows shown for a packaging mode: flat-rate products only when the user ships in them. */
export function quotesFor(rates: RatesAnswer, packaging: PackagingMode): RateQuote[] {
  return rates.quotes.filter((q) => (packaging === "flat_rate" ? q.packaging === "flat_rate" : q.packaging !== "flat_rate"));
}

/**
 * Every service for the package with what the label will cost ("You pay"), delivery standard
 * and zone. Services only some shipments may use are listed last with their restriction;
 * USPS flat-rate products appear only when the user says the package ships in one. Retail,
 * commercial and contract prices sit behind "Price details". One row is chosen for Buy.
 */
export function RatesTable(props: {
  rates: RatesAnswer;
  selected: RateChoice | null;
  onSelect: (q: RateQuote) => void;
  packaging: PackagingMode;
  onPackaging: (p: PackagingMode) => void;
}) {
  const { rates, packaging } = props;
  const [details, setDetails] = useState(false);
  const contract = rates.contract_requested || rates.quotes.some((q) => q.contract != null);
  const notFound = rates.quotes.some((q) => q.contract_rate_not_found);
  const offersFlatRate = rates.quotes.some((q) => q.packaging === "flat_rate");
  if (rates.quotes.length === 0) {
    return <p className="muted">USPS offers no service for this package between these ZIP codes. Check the weight and size.</p>;
  }
  const shown = quotesFor(rates, packaging);
  const open = shown.filter((q) => q.restriction == null);
  const restricted = shown.filter((q) => q.restriction != null);
  const columns = 5 + (details ? 2 + (contract ? 1 : 0) : 0);

  const row = (q: RateQuote) => {
    const chosen = sameChoice(props.selected, q.choice);
    const id = `rate-${choiceKey(q.choice)}`;
    const unusable = q.packaging === "flat_rate" && !q.fits_package;
    const pick = () => !unusable && props.onSelect(q);
    return (
      <tr
        key={choiceKey(q.choice)}
        aria-selected={chosen}
        aria-disabled={unusable || undefined}
        className={unusable ? "unusable" : "clickable"}
        onClick={pick}
        data-rate={q.choice.mail_class}
        data-packaging={q.packaging}
      >
        <td>
          <input type="radio" name="rate" id={id} checked={chosen} disabled={unusable} onChange={pick} aria-label={`${serviceName(q)} ${formatMoney(q.price)}`} />
        </td>
        <td className="service">
          <label htmlFor={id}>{serviceName(q)}</label>
          {sameChoice(packaging === "own" ? rates.recommended : rates.recommended_flat_rate, q.choice) && (
            <span className="chip default-chip" data-testid="recommended" title="The cheapest service any contents may use, in packaging this package fits">
              Recommended
            </span>
          )}
          {q.warnings.length > 0 && <span className="muted" title={q.warnings.join("\n")}> ⚠</span>}
          {q.restriction && (
            <small className="restriction" data-testid="restriction">
              {q.restriction}
            </small>
          )}
          {unusable && <small className="restriction">The package does not fit in this USPS packaging.</small>}
        </td>
        <td>{q.delivery_days ?? "—"}</td>
        <td>{formatZone(q.zone)}</td>
        {details && <td className="num">{formatMoney(q.retail)}</td>}
        {details && <td className="num">{formatMoney(q.commercial)}</td>}
        {details && contract && (
          <td className="num">
            {formatMoney(q.contract)}
            {q.contract_rate_not_found && <span title="Published rate returned"> *</span>}
          </td>
        )}
        <td className="num">
          <strong>{formatMoney(q.price)}</strong>
        </td>
      </tr>
    );
  };

  return (
    <div>
      {rates.contract_unavailable && (
        <p className="notice notice-warn" data-testid="contract-unavailable">
          No contract prices: {rates.contract_unavailable}. Published prices are shown.
        </p>
      )}
      <div className="rates-controls">
        {offersFlatRate && (
          <fieldset className="packaging-choice" aria-label="Packaging">
            <label className="check">
              <input type="radio" name="packaging" checked={packaging === "own"} onChange={() => props.onPackaging("own")} data-packaging-choice="own" />
              My own box or envelope
            </label>
            <label className="check">
              <input type="radio" name="packaging" checked={packaging === "flat_rate"} onChange={() => props.onPackaging("flat_rate")} data-packaging-choice="flat_rate" />
              USPS Flat Rate envelope or box
            </label>
          </fieldset>
        )}
        <button type="button" className="link" aria-expanded={details} onClick={() => setDetails((d) => !d)} data-action="price-details">
          {details ? "Hide price details" : "Price details"}
        </button>
      </div>
      {details && notFound && (
        <p className="notice notice-warn" data-testid="contract-not-found">
          USPS had no contract price for the services marked *: the contract column shows the published price for them.
        </p>
      )}
      {details && contract && (
        <p className="muted" data-testid="contract-reference">
          {rates.contract_prices
            ? "This account holds a contract: “You pay” is your contract price where USPS has one, and the commercial price for the other services. Labels are charged exactly that."
            : "This account holds no contract: labels are charged the commercial price (“You pay”). The contract column shows what USPS answered for your account."}
        </p>
      )}
      <table className="dense" data-testid="rates">
        <caption className="muted">
          {rates.origin_zip} → {rates.destination_zip}
          <span data-testid="paid-from"> · paid from {rates.paid_from}</span>
          {rates.from_cache ? " · saved answer, no new carrier call" : ""}
        </caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Choose</span>
            </th>
            <th scope="col">Service</th>
            <th scope="col">Delivery</th>
            <th scope="col">Zone</th>
            {details && <th scope="col" className="num">Retail</th>}
            {details && <th scope="col" className="num">Commercial</th>}
            {details && contract && <th scope="col" className="num">Contract</th>}
            <th scope="col" className="num">You pay</th>
          </tr>
        </thead>
        <tbody>
          {open.map(row)}
          {restricted.length > 0 && (
            <tr className="group-row">
              <th scope="rowgroup" colSpan={columns}>
                Only for certain contents or drop-off places
              </th>
            </tr>
          )}
          {restricted.map(row)}
        </tbody>
      </table>
      {shown.length === 0 && (
        <p className="muted" data-testid="no-rates-for-packaging">
          {packaging === "flat_rate" ? "USPS quoted no flat-rate product for this package." : "USPS quoted only flat-rate products for this package."}
        </p>
      )}
    </div>
  );
}
