// Settings › Carrier Settings › USPS: every account with its identifiers and connection state.
// Four columns that wrap (account, USPS identifiers, connection, actions) so the table fits the
// page from 1024 px wide without clipping its buttons.
import type { UspsAccountRecord } from "../../ipc";
import { ENVIRONMENT_LABEL, StatusChip, formatVerified } from "./StatusChip";
import "./settings.css";

/** Whether labels are bought at the account's contract (NSA) prices, and who said so. */
export function contractText(a: Pick<UspsAccountRecord, "has_contract" | "contract_source">): string {
  const answer = a.has_contract ? "Yes" : "No";
  switch (a.contract_source) {
    case "detected":
      return a.has_contract ? "Yes (USPS shows it)" : "No (USPS shows none)";
    case "entered":
      return `${answer} (you said so)`;
    default:
      return a.has_contract ? answer : "No (none found yet)";
  }
}

export function AccountsTable(props: {
  accounts: UspsAccountRecord[];
  onEdit: (id: number) => void;
  onMakeDefault: (id: number) => void;
}) {
  const dash = (v: string | null) => v ?? "—";
  return (
    <div className="accounts-fit">
      <table className="accounts" data-testid="usps-accounts">
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">USPS identifiers</th>
            <th scope="col">Connection</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.accounts.map((a) => (
            <tr key={a.id} data-account={a.nickname}>
              <td>
                <span className="account-name">{a.nickname}</span>
                {a.is_default && (
                  <span className="chip default-chip" data-field="default">
                    Default
                  </span>
                )}
                <div className="muted small" data-field="environment">
                  {ENVIRONMENT_LABEL[a.environment]}
                </div>
              </td>
              <td>
                <dl className="account-ids">
                  <dt>CRID</dt>
                  <dd className="mono">{dash(a.crid)}</dd>
                  <dt>MID</dt>
                  <dd className="mono">{dash(a.mid)}</dd>
                  <dt>Manifest MID</dt>
                  <dd className="mono">{dash(a.manifest_mid)}</dd>
                  <dt>EPS account</dt>
                  <dd className="mono">{dash(a.eps_account)}</dd>
                  <dt>Contract prices</dt>
                  <dd data-field="contract">{contractText(a)}</dd>
                </dl>
              </td>
              <td>
                <StatusChip state={a.state} />
                <div className="muted small" data-field="last-verified">
                  Last verified: {formatVerified(a.last_verified_at, a.state)}
                </div>
              </td>
              <td>
                <div className="account-actions">
                  <button type="button" data-action="edit-account" onClick={() => props.onEdit(a.id)} aria-label={`Edit ${a.nickname}`}>
                    Edit
                  </button>
                  {!a.is_default && (
                    <button type="button" data-action="make-default" onClick={() => props.onMakeDefault(a.id)} aria-label={`Make ${a.nickname} the default`}>
                      Make default
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
