import type { Shipment, ShipmentStatus } from "../../ipc";

export const SHIPMENT_STATUS: Record<ShipmentStatus, string> = {
  label_created: "Label created",
  voided: "Voided",
  refund_requested: "Refund requested",
  in_transit: "In transit",
  delivered: "Delivered",
};

/** Why a label cannot be voided, or null when it can (core refuses the same cases). */
export function whyNotVoidable(s: Shipment): string | null {
  switch (s.status) {
    case "voided":
      return "This label is already voided.";
    case "refund_requested":
      return `A refund was already requested${s.dispute_id ? ` (USPS dispute ${s.dispute_id})` : ""}.`;
    case "in_transit":
    case "delivered":
      return "USPS has already scanned this package; it can no longer be voided.";
    case "label_created":
      return s.scan_form_id != null ? "This label is on an End of Day SCAN form; USPS does not cancel labels on a SCAN form." : null;
  }
}

/** Whether the label is still valid postage that may be printed or saved: not voided, no refund
 * requested, and no void of it open (core refuses the same cases). */
export function isValidPostage(s: Shipment): boolean {
  return s.status !== "voided" && s.status !== "refund_requested" && !s.void_pending;
}
