// Core's VALIDATION errors about a form carry `details` of kind `fields`, one message per field
// (`{crid: "CRID must …"}`), or, for an address, `order_problems` naming each field under a
// prefix (`ship_from.zip5`); forms show each message next to its input.
import type { AppError } from "../../ipc";

export type FieldErrors = Record<string, string>;

/** Each field's message; with `prefix`, address problems under it are keyed without it (`zip5`). */
export function fieldErrors(error: AppError | null, prefix?: string): FieldErrors {
  if (!error || error.code !== "VALIDATION") return {};
  if (error.details?.kind === "fields") return { ...error.details.fields };
  if (error.details?.kind === "order_problems" && prefix) {
    const out: FieldErrors = {};
    for (const p of error.details.problems) {
      if (!p.field.startsWith(`${prefix}.`)) continue;
      const key = p.field.slice(prefix.length + 1);
      out[key] = out[key] ? `${out[key]}; ${p.message}` : p.message;
    }
    return out;
  }
  return {};
}
