// Purchases whose outcome is not settled (Shipments › Purchases to check, and the count on the
// Shipments nav item). Read from core when a page mounts, when the window regains focus (the CLI
// or another window may have settled some), when this window settles one, and every few seconds
// while one is being bought elsewhere — start-up reconciliation included — so it does not stay
// "in progress" on screen after it finished.
import { useEffect, useState } from "react";
import { ipc, toAppError, type AppError, type PurchaseToCheck } from "../../ipc";

const CHANGED = "shipdesk:purchases-to-check-changed";
const IN_PROGRESS_POLL_MS = 3000;

/** Tells every list of purchases to check in this window to read core again. */
export function purchasesToCheckChanged() {
  window.dispatchEvent(new Event(CHANGED));
}

export function usePurchasesToCheck(): { items: PurchaseToCheck[] | null; error: AppError | null } {
  const [items, setItems] = useState<PurchaseToCheck[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let live = true;
    let poll: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      clearTimeout(poll);
      Promise.resolve()
        .then(() => ipc.purchasesToCheck())
        .then(
          (list) => {
            if (!live) return;
            setItems(list);
            setError(null);
            if (list.some((p) => p.in_progress)) poll = setTimeout(load, IN_PROGRESS_POLL_MS);
          },
          (e: unknown) => live && setError(toAppError(e)),
        );
    };
    load();
    window.addEventListener("focus", load);
    window.addEventListener(CHANGED, load);
    return () => {
      live = false;
      clearTimeout(poll);
      window.removeEventListener("focus", load);
      window.removeEventListener(CHANGED, load);
    };
  }, []);

  return { items, error };
}

/** `USPS_GROUND_ADVANTAGE` → "USPS Ground Advantage". */
export function mailClassName(mailClass: string): string {
  return mailClass
    .split("_")
    .map((w) => (w === "USPS" ? w : w.charAt(0) + w.slice(1).toLowerCase()))
    .join(" ");
}
