// Every keyboard shortcut, in one list: the `?` overlay shows it and tooltips name keys from it.
import { NAV, type Route } from "./routes";

export type ShortcutArea = "Everywhere" | "Orders" | "Ship dialog" | "Labels";

export interface Shortcut {
  keys: string[];
  what: string;
  area: ShortcutArea;
}

/** Alt+1… for each page of the side navigation, in its order. */
export const PAGE_KEYS: { key: string; route: Route; label: string }[] = NAV.map((n, i) => ({ key: String(i + 1), route: n.route, label: n.label }));

export const SHORTCUTS: Shortcut[] = [
  { area: "Everywhere", keys: ["?"], what: "Show these shortcuts" },
  ...PAGE_KEYS.map((p): Shortcut => ({ area: "Everywhere", keys: [`Alt+${p.key}`], what: `Go to ${p.label}` })),
  { area: "Everywhere", keys: ["Esc"], what: "Close the open drawer or dialog" },
  { area: "Orders", keys: ["/"], what: "Search orders" },
  { area: "Orders", keys: ["F2"], what: "Scan an order to ship (scanner or typed order number, then Enter)" },
  { area: "Orders", keys: ["↑", "↓"], what: "Move in the orders list" },
  { area: "Orders", keys: ["Home", "End", "PgUp", "PgDn"], what: "Jump in the orders list" },
  { area: "Orders", keys: ["Shift+↑", "Shift+↓"], what: "Extend the selection" },
  { area: "Orders", keys: ["Space"], what: "Select or unselect the order" },
  { area: "Orders", keys: ["Ctrl+A"], what: "Select every order in the list" },
  { area: "Orders", keys: ["Enter"], what: "Open the order" },
  { area: "Orders", keys: ["S"], what: "Ship the selected orders" },
  { area: "Ship dialog", keys: ["Tab"], what: "Move through weight, box, service and Buy" },
  { area: "Ship dialog", keys: ["Enter"], what: "Buy the label once Buy has the focus" },
  { area: "Labels", keys: ["Ctrl+P"], what: "Print the labels on screen" },
  { area: "Labels", keys: ["Enter"], what: "Open the label (in the Shipments list)" },
];

/** Whether the key went to a text field (then it is typing, not a shortcut). */
export function isTyping(target: EventTarget | null): boolean {
  if (target instanceof HTMLInputElement) return !["checkbox", "radio", "button", "submit", "reset"].includes(target.type);
  return (
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLElement && target.isContentEditable)
  );
}
