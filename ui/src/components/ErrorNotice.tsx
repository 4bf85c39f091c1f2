import type { AppError } from "../ipc";

/** The technical facts behind an error (USPS's status, message codes and fields), for Details. */
export function technicalDetails(error: AppError): string[] {
  const d = error.details;
  const lines: string[] = [];
  if (d?.kind === "usps_rejected") {
    lines.push(`USPS answered HTTP ${d.status}`);
    for (const p of d.problems) {
      const text = p.detail ?? p.title ?? "";
      lines.push([p.code && `[${p.code}]`, p.field && `${p.field}:`, text].filter(Boolean).join(" "));
    }
  } else if (d?.kind === "usps_unavailable" && d.status != null) {
    lines.push(`USPS answered HTTP ${d.status}`);
  }
  if (lines.length > 0) lines.push(`Shipdesk error code ${error.code}`);
  return lines;
}

/**
 * An error next to the thing that failed: what happened, in the core's plain words; USPS's
 * codes and HTTP statuses, when there are any, behind "Details".
 */
export function ErrorNotice({ error, title }: { error: AppError; title?: string }) {
  const technical = technicalDetails(error);
  return (
    <div className="notice notice-error" role="alert" data-error-code={error.code}>
      {title && <strong>{title}</strong>}
      <p>{error.message}</p>
      {error.code === "ENDICIA_LOGIN_REQUIRED" && (
        <p>
          <a href="#/settings/postage" data-action="endicia-log-in-again">
            Log in to Endicia
          </a>
        </p>
      )}
      {technical.length > 0 && (
        <details className="error-details" data-testid="error-details">
          <summary>Details</summary>
          <ul>
            {technical.map((line, i) => (
              <li key={i}>
                <code>{line}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
