// Core's VALIDATION errors name each field in `details.fields` (`{crid: "CRID must …"}`); forms
// show each message next to its input.
import type { AppError } from "../../ipc";

export type FieldErrors = Record<string, string>;

export function fieldErrors(error: AppError | null): FieldErrors {
  if (!error || error.code !== "VALIDATION") return {};
  const fields = (error.details as { fields?: unknown } | undefined)?.fields;
  if (!fields || typeof fields !== "object") return {};
  const out: FieldErrors = {};
  for (const [name, message] of Object.entries(fields as Record<string, unknown>)) {
    if (typeof message === "string") out[name] = message;
  }
  return out;
}
