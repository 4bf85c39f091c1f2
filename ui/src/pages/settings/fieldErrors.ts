// Core's VALIDATION errors about a form carry `details` of kind `fields`, one message per field
// (`{crid: "CRID must …"}`); forms show each message next to its input.
import type { AppError } from "../../ipc";

export type FieldErrors = Record<string, string>;

export function fieldErrors(error: AppError | null): FieldErrors {
  if (!error || error.code !== "VALIDATION" || error.details?.kind !== "fields") return {};
  return { ...error.details.fields };
}
