import type { AppError } from "../ipc";

/** An error next to the thing that failed: what happened, in the core's words. */
export function ErrorNotice({ error, title }: { error: AppError; title?: string }) {
  return (
    <div className="notice notice-error" role="alert" data-error-code={error.code}>
      {title && <strong>{title}</strong>}
      <p>{error.message}</p>
    </div>
  );
}
