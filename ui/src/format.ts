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

/** An order abroad ships with a customs form, one at a time (not in a batch). */
export const INTERNATIONAL_NOTE = "International — ships with a customs form";

export function isInternational(address: { country: string }): boolean {
  return address.country !== "US" && address.country !== "";
}

/** A country's name in the user's language (`CA` → "Canada"); the code itself when unknown. */
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(undefined, { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** "Austin, TX 78701", or "Ottawa, ON K1A 0A9, Canada" outside the US. */
export function placeLine(a: { city: string; state: string; zip5: string; country: string }): string {
  const region = [a.state, a.zip5].filter((p) => p.trim() !== "").join(" ");
  const place = [a.city, region].filter((p) => p.trim() !== "").join(", ");
  return isInternational(a) ? `${place}, ${countryName(a.country)}` : place;
}

/** "2 × Mug, Plate", or "No items" for an order without items (an address list). */
export function itemsLine(items: { quantity: number; title: string }[]): string {
  if (items.length === 0) return "No items";
  const qty = items.reduce((n, i) => n + i.quantity, 0);
  return `${qty} × ${items.map((i) => i.title).join(", ")}`;
}

/** USPS writes zones as "01".."09"; people say "zone 1". */
export function formatZone(zone: string | null | undefined): string {
  if (!zone) return "—";
  const n = Number(zone);
  return Number.isInteger(n) ? String(n) : zone;
}
