// The app shell's reminder that nothing is real yet: while the default USPS account is a
// Sandbox one, every page shows that labels are samples and no postage is charged. The accounts
// come from the connection provider, which reads them again after every change (a new default
// included).
import { useUspsAccounts } from "../../connection/UspsConnection";

export function SandboxBadge() {
  const { accounts } = useUspsAccounts();
  const account = accounts?.find((a) => a.is_default) ?? null;
  if (account?.environment !== "sandbox") return null;
  return (
    <div className="sandbox-badge" role="note" data-testid="sandbox-badge" title={`The default USPS account, ${account.nickname}, is a Sandbox account`}>
      <strong>Sandbox</strong> — labels are samples, no postage is charged
    </div>
  );
}
