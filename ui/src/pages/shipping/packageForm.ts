// The package as the Ship dialog edits it (text fields) and as core takes it (decimal strings in
// ounces and inches).
import type { Dimensions, Order, Package, PackagePreset } from "../../ipc";

export type PackageDraft = { lb: string; oz: string; length: string; width: string; height: string };

const DEFAULT_BOX = { length: "10", width: "8", height: "4" };

function num(s: string): number {
  const n = Number(s.trim() === "" ? "0" : s);
  return Number.isFinite(n) ? n : NaN;
}

/** Ounces split into pounds and ounces for the two weight fields. */
export function splitOunces(total: number): { lb: string; oz: string } {
  const lb = Math.floor(total / 16);
  const oz = Math.round((total - lb * 16) * 10) / 10;
  return { lb: String(lb), oz: String(oz) };
}

/** What the orders' items weigh together (ounces), or null when no item has a weight. */
export function itemsWeightOz(orders: Order[]): number | null {
  let sum = 0;
  let any = false;
  for (const o of orders) {
    for (const it of o.items) {
      if (it.weight_oz != null) {
        sum += Number(it.weight_oz) * it.quantity;
        any = true;
      }
    }
  }
  return any ? sum : null;
}

/**
 * The package fields for one order: what its items weigh (else the preset's usual weight) and
 * the preset's box. With no weight anywhere the weight stays blank for the user to type: a
 * guessed weight would be a label USPS later bills an adjustment for.
 */
export function initialDraft(order: Order | null, preset: PackagePreset | null): PackageDraft {
  const box = preset
    ? { length: preset.dimensions.length_in, width: preset.dimensions.width_in, height: preset.dimensions.height_in }
    : DEFAULT_BOX;
  const weight = (order && itemsWeightOz([order])) ?? (preset?.weight_oz ? Number(preset.weight_oz) : null);
  return { ...(weight != null && weight > 0 ? splitOunces(weight) : { lb: "", oz: "" }), ...box };
}

export function draftFromPreset(draft: PackageDraft, preset: PackagePreset): PackageDraft {
  const weight = preset.weight_oz ? splitOunces(Number(preset.weight_oz)) : { lb: draft.lb, oz: draft.oz };
  return { ...weight, length: preset.dimensions.length_in, width: preset.dimensions.width_in, height: preset.dimensions.height_in };
}

/** The package core takes, or the first problem with what was typed. */
export function toPackage(d: PackageDraft): { package: Package } | { problem: string } {
  const lb = num(d.lb);
  const oz = num(d.oz);
  const dims = [num(d.length), num(d.width), num(d.height)];
  if (!Number.isFinite(lb) || !Number.isFinite(oz) || lb < 0 || oz < 0) return { problem: "Weight must be a number of pounds and ounces" };
  const total = Math.round((lb * 16 + oz) * 10) / 10;
  if (total <= 0) return { problem: "Enter the package weight" };
  if (dims.some((x) => !Number.isFinite(x) || x <= 0)) return { problem: "Enter length, width and height in inches" };
  return {
    package: {
      weight_oz: String(total),
      dimensions: { length_in: String(dims[0]), width_in: String(dims[1]), height_in: String(dims[2]) },
    },
  };
}

/**
 * A batch's package: every order ships at its own weight, so the weight fields start blank and
 * only hold what the user types for orders without one.
 */
export function batchDraft(): PackageDraft {
  return { lb: "", oz: "", ...DEFAULT_BOX };
}

/** What a batch takes from the package fields: the box for every order, and the weight for orders without one. */
export type BatchPackage = { dimensions: Dimensions; fallbackWeightOz: string | null };

/** The batch's box and its weight for orders without one (null when left blank), or the first problem. */
export function toBatchPackage(d: PackageDraft): { batch: BatchPackage } | { problem: string } {
  const dims = [num(d.length), num(d.width), num(d.height)];
  if (dims.some((x) => !Number.isFinite(x) || x <= 0)) return { problem: "Enter length, width and height in inches" };
  let fallbackWeightOz: string | null = null;
  if (d.lb.trim() !== "" || d.oz.trim() !== "") {
    const lb = num(d.lb);
    const oz = num(d.oz);
    if (!Number.isFinite(lb) || !Number.isFinite(oz) || lb < 0 || oz < 0) return { problem: "Weight must be a number of pounds and ounces" };
    const total = Math.round((lb * 16 + oz) * 10) / 10;
    if (total <= 0) return { problem: "Type a weight above 0 for orders without one, or leave it blank" };
    fallbackWeightOz = String(total);
  }
  return {
    batch: { dimensions: { length_in: String(dims[0]), width_in: String(dims[1]), height_in: String(dims[2]) }, fallbackWeightOz },
  };
}

/** Today in the desk's own time zone, as YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, "0");
  const d = String(now.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/** A calendar day (YYYY-MM-DD) in the user's locale, read as a local date (not UTC midnight). */
export function formatDay(day: string | null | undefined): string {
  const m = day ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  if (!m) return day ?? "—";
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}
