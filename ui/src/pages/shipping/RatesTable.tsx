import type { RateChoice, RateQuote, RatesAnswer } from "../../ipc";
import { formatMoney } from "../../format";

export function sameChoice(a: RateChoice | null, b: RateChoice): boolean {
  return !!a && a.mail_class === b.mail_class && a.rate_indicator === b.rate_indicator && a.processing_category === b.processing_category;
}

/** USPS's product name, with the description that tells flat-rate boxes and envelopes apart. */
export function serviceName(q: Pick<RateQuote, "product_name" | "description">): string {
  const d = q.description?.trim();
  if (!d || d.toLowerCase() === q.product_name.toLowerCase()) return q.product_name;
  return d.toLowerCase().startsWith(q.product_name.toLowerCase()) ? d : `${q.product_name} — ${d}`;
}

/**
 * The row core recommends preselecting (`RatesAnswer.recommended`: the cheapest service any
 * contents may use, in packaging the package fits); null when none is a safe default and the
 * user must choose.
 */
export function recommendedQuote(rates: RatesAnswer): RateQuote | null {
  return rates.quotes.find((q) => sameChoice(rates.recommended, q.choice)) ?? null;
}

export function choiceKey(c: RateChoice): string {
  return `${c.mail_class}/${c.rate_indicator}/${c.processing_category}`;
}

/**
 * Every eligible service with its price, delivery standard and zone; contract prices sit next
 * to retail and commercial when the account has them. One row is chosen for Buy.
 */
export function RatesTable(props: { rates: RatesAnswer; selected: RateChoice | null; onSelect: (q: RateQuote) => void }) {
  const { rates } = props;
  const contract = rates.contract_requested || rates.quotes.some((q) => q.contract != null);
  const notFound = rates.quotes.some((q) => q.contract_rate_not_found);
  if (rates.quotes.length === 0) {
    return <p className="muted">USPS offers no service for this package between these ZIP codes. Check the weight and size.</p>;
  }
  return (
    <div>
      {rates.contract_unavailable && (
        <p className="notice notice-warn" data-testid="contract-unavailable">
          No contract prices: {rates.contract_unavailable}. Published prices are shown.
        </p>
      )}
      {notFound && (
        <p className="notice notice-warn" data-testid="contract-not-found">
          USPS said "contract rate not found, published rate returned": the contract column shows published prices for the
          marked services.
        </p>
      )}
      {contract && (
        <p className="muted" data-testid="contract-reference">
          Contract prices are shown for reference. Labels are charged at the commercial price (the “You pay” column):
          Shipdesk does not yet send your contract with the payment authorization.
        </p>
      )}
      <table className="dense" data-testid="rates">
        <caption className="muted">
          {rates.origin_zip} → {rates.destination_zip}
          {rates.from_cache ? " · saved answer, no new USPS call" : ""}
        </caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Choose</span>
            </th>
            <th scope="col">Service</th>
            <th scope="col">Delivery</th>
            <th scope="col">Zone</th>
            <th scope="col" className="num">Retail</th>
            <th scope="col" className="num">Commercial</th>
            {contract && <th scope="col" className="num">Contract</th>}
            <th scope="col" className="num">You pay</th>
          </tr>
        </thead>
        <tbody>
          {rates.quotes.map((q) => {
            const chosen = sameChoice(props.selected, q.choice);
            const id = `rate-${choiceKey(q.choice)}`;
            return (
              <tr key={choiceKey(q.choice)} aria-selected={chosen} className="clickable" onClick={() => props.onSelect(q)} data-rate={q.choice.mail_class}>
                <td>
                  <input type="radio" name="rate" id={id} checked={chosen} onChange={() => props.onSelect(q)} aria-label={`${serviceName(q)} ${formatMoney(q.price)}`} />
                </td>
                <td className="service">
                  <label htmlFor={id}>{serviceName(q)}</label>
                  {sameChoice(rates.recommended, q.choice) && (
                    <span className="chip default-chip" data-testid="recommended" title="The cheapest service any contents may use, in packaging this package fits">
                      Recommended
                    </span>
                  )}
                  {q.warnings.length > 0 && <span className="muted" title={q.warnings.join("\n")}> ⚠</span>}
                </td>
                <td>{q.delivery_days ?? "—"}</td>
                <td>{q.zone ?? "—"}</td>
                <td className="num">{formatMoney(q.retail)}</td>
                <td className="num">{formatMoney(q.commercial)}</td>
                {contract && (
                  <td className="num">
                    {formatMoney(q.contract)}
                    {q.contract_rate_not_found && <span title="Published rate returned"> *</span>}
                  </td>
                )}
                <td className="num"><strong>{formatMoney(q.price)}</strong></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
