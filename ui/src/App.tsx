import { useEffect, useState } from "react";
import { ipc, type AppError } from "./ipc";
import { NAV, routeFromHash, type Route } from "./routes";
import { OrdersPage } from "./pages/orders/OrdersPage";
import { ShipmentsPage } from "./pages/Shipments";
import { EndOfDayPage } from "./pages/EndOfDay";
import { SettingsPage, type SettingsSection } from "./pages/Settings";
import { SandboxBadge } from "./pages/settings/SandboxBadge";
import { ErrorNotice } from "./components/ErrorNotice";
import { UspsConnectionProvider } from "./connection/UspsConnection";
import { usePurchasesToCheck } from "./pages/shipping/purchasesToCheck";

export function App() {
  const [route, setRoute] = useState<Route>(() => routeFromHash(window.location.hash));
  const [startupError, setStartupError] = useState<AppError | null>(null);
  const toCheck = usePurchasesToCheck().items?.length ?? 0;

  useEffect(() => {
    const onHash = () => setRoute(routeFromHash(window.location.hash));
    window.addEventListener("hashchange", onHash);
    ipc.appReady().catch((e: AppError) => setStartupError(e));
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  const go = (r: Route) => {
    window.location.hash = `#/${r}`;
    setRoute(r);
  };

  return (
    <UspsConnectionProvider>
    <div className="shell">
      <nav className="sidenav" aria-label="Main">
        <div className="brand">Shipdesk</div>
        <ul>
          {NAV.map((n) => {
            const active = route === n.route || (n.route.startsWith("settings") && route.startsWith("settings"));
            return (
              <li key={n.route}>
                <a
                  href={`#/${n.route}`}
                  data-nav={n.route.split("/")[0]}
                  aria-current={active ? "page" : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    go(n.route);
                  }}
                >
                  {n.label}
                  {n.route === "shipments" && toCheck > 0 && (
                    <span className="count-badge nav-badge" data-testid="nav-purchases-to-check" title={`${toCheck} purchase${toCheck === 1 ? "" : "s"} to check`}>
                      {toCheck}
                      <span className="visually-hidden"> purchase{toCheck === 1 ? "" : "s"} to check</span>
                    </span>
                  )}
                </a>
              </li>
            );
          })}
        </ul>
        {/* Below the links: appearing once the accounts are read, it moves nothing under the pointer. */}
        <SandboxBadge />
      </nav>
      <main className="content">
        {startupError ? (
          <ErrorNotice error={startupError} title="Shipdesk could not open its data" />
        ) : (
          <Page route={route} go={go} />
        )}
      </main>
    </div>
    </UspsConnectionProvider>
  );
}

function Page({ route, go }: { route: Route; go: (r: Route) => void }) {
  switch (route) {
    case "orders":
      return <OrdersPage />;
    case "shipments":
      return <ShipmentsPage go={go} />;
    case "end-of-day":
      return <EndOfDayPage go={go} />;
    case "settings/carriers":
    case "settings/ship-from":
    case "settings/packages":
    case "settings/postage":
    case "settings/about":
      return <SettingsPage section={route.slice("settings/".length) as SettingsSection} go={go} />;
  }
}
