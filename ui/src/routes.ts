// Pages are addressed by the URL hash so a reload keeps the user where they were.
export type Route =
  | "orders"
  | "shipments"
  | "end-of-day"
  | "reports"
  | "settings/carriers"
  | "settings/ship-from"
  | "settings/packages"
  | "settings/postage"
  | "settings/printing"
  | "settings/about";

export const NAV: { route: Route; label: string }[] = [
  { route: "orders", label: "Orders" },
  { route: "shipments", label: "Shipments" },
  { route: "end-of-day", label: "End of Day" },
  { route: "reports", label: "Reports" },
  { route: "settings/carriers", label: "Settings" },
];

export function routeFromHash(hash: string): Route {
  const r = hash.replace(/^#\/?/, "");
  const known: Route[] = ["orders", "shipments", "end-of-day", "reports", "settings/carriers", "settings/ship-from", "settings/packages", "settings/postage", "settings/printing", "settings/about"];
  return (known as string[]).includes(r) ? (r as Route) : "orders";
}
