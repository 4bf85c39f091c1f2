// The date ranges the Reports page offers, as local calendar days (`YYYY-MM-DD`).
import type { ReportQuery } from "../../ipc";

export type RangePreset = "this_month" | "last_month" | "last_30_days" | "this_year" | "custom";

export const PRESETS: { value: RangePreset; label: string }[] = [
  { value: "this_month", label: "This month" },
  { value: "last_month", label: "Last month" },
  { value: "last_30_days", label: "Last 30 days" },
  { value: "this_year", label: "This year" },
  { value: "custom", label: "Custom range" },
];

function day(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `preset`'s first and last day as of `today`; null for a custom range. */
export function presetRange(preset: RangePreset, today: Date): Pick<ReportQuery, "from" | "to"> | null {
  const y = today.getFullYear();
  const m = today.getMonth();
  switch (preset) {
    case "this_month":
      return { from: day(new Date(y, m, 1)), to: day(today) };
    case "last_month":
      return { from: day(new Date(y, m - 1, 1)), to: day(new Date(y, m, 0)) };
    case "last_30_days":
      return { from: day(new Date(y, m, today.getDate() - 29)), to: day(today) };
    case "this_year":
      return { from: day(new Date(y, 0, 1)), to: day(today) };
    case "custom":
      return null;
  }
}
