// Money with cents and currency, weights with units, dates in the user's locale.
const money = new Intl.NumberFormat(undefined, { style: "currency", currency: "USD" });

export function formatMoney(decimal: string | null | undefined): string {
  if (decimal == null || decimal === "") return "—";
  const n = Number(decimal);
  return Number.isFinite(n) ? money.format(n) : decimal;
}

export function formatWeightOz(oz: string | number | null | undefined): string {
  if (oz == null || oz === "") return "—";
  const n = typeof oz === "number" ? oz : Number(oz);
  if (!Number.isFinite(n)) return String(oz);
  const lb = Math.floor(n / 16);
  const rest = Math.round((n - lb * 16) * 10) / 10;
  if (lb === 0) return `${rest} oz`;
  return rest === 0 ? `${lb} lb` : `${lb} lb ${rest} oz`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

export function formatCount(n: number): string {
  return n.toLocaleString();
}

export const STATUS_LABELS: Record<string, string> = {
  awaiting_shipment: "Awaiting shipment",
  shipped: "Shipped",
  cancelled: "Cancelled",
  on_hold: "On hold",
};
