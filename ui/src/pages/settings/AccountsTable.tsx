// Settings › Carrier Settings › USPS: every account with its identifiers and connection state.
import type { UspsAccountRecord } from "../../ipc";
import { ENVIRONMENT_LABEL, StatusChip, formatVerified } from "./StatusChip";

export function AccountsTable(props: {
  accounts: UspsAccountRecord[];
  onEdit: (id: number) => void;
  onMakeDefault: (id: number) => void;
}) {
  const dash = (v: string | null) => v ?? "—";
  return (
    <table className="accounts" data-testid="usps-accounts">
      <thead>
        <tr>
          <th scope="col">Nickname</th>
          <th scope="col">Environment</th>
          <th scope="col">CRID</th>
          <th scope="col">MID</th>
          <th scope="col">Manifest MID</th>
          <th scope="col">EPS account</th>
          <th scope="col">Connection</th>
          <th scope="col">Last verified</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.accounts.map((a) => (
          <tr key={a.id} data-account={a.nickname}>
            <td>
              {a.nickname}
              {a.is_default && (
                <span className="chip default-chip" data-field="default">
                  Default
                </span>
              )}
            </td>
            <td>{ENVIRONMENT_LABEL[a.environment]}</td>
            <td className="mono">{dash(a.crid)}</td>
            <td className="mono">{dash(a.mid)}</td>
            <td className="mono">{dash(a.manifest_mid)}</td>
            <td className="mono">{dash(a.eps_account)}</td>
            <td>
              <StatusChip state={a.state} />
            </td>
            <td>{formatVerified(a.last_verified_at)}</td>
            <td className="row-actions">
              <button type="button" data-action="edit-account" onClick={() => props.onEdit(a.id)} aria-label={`Edit ${a.nickname}`}>
                Edit
              </button>
              {!a.is_default && (
                <button type="button" data-action="make-default" onClick={() => props.onMakeDefault(a.id)} aria-label={`Make ${a.nickname} the default`}>
                  Make default
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
