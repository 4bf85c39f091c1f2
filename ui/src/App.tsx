import { lazy, Suspense, useEffect, useState } from "react";
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
import { KeyboardHelp } from "./components/KeyboardHelp";
import { PAGE_KEYS, isTyping } from "./shortcuts";

// Its chart library is the largest part of the UI: loaded when the page is first opened, so it
// does not slow down the start.
const ReportsPage = lazy(() => import("./pages/reports/ReportsPage").then((m) => ({ default: m.ReportsPage })));

export function App() {
  const [route, setRoute] = useState<Route>(() => routeFromHash(window.location.hash));
  const [startupError, setStartupError] = useState<AppError | null>(null);
  const [help, setHelp] = useState(false);
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

  // `?` shows every shortcut; Alt+1… goes to the pages of the side navigation.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "?" && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target) && !document.querySelector("[role=dialog][aria-modal=true]")) {
        e.preventDefault();
        setHelp(true);
        return;
      }
      const page = e.altKey && !e.ctrlKey && !e.metaKey ? PAGE_KEYS.find((p) => e.code === `Digit${p.key}` || e.key === p.key) : undefined;
      if (page) {
        e.preventDefault();
        window.location.hash = `#/${page.route}`;
        setRoute(page.route);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

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
                  title={`${n.label} (Alt+${NAV.indexOf(n) + 1})`}
                  aria-keyshortcuts={`Alt+${NAV.indexOf(n) + 1}`}
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
        <button type="button" className="keyboard-help-link" onClick={() => setHelp(true)} aria-keyshortcuts="?" data-action="keyboard-help">
          Keyboard shortcuts <kbd>?</kbd>
        </button>
      </nav>
      <main className="content">
        {startupError ? (
          <ErrorNotice error={startupError} title="Shipdesk could not open its data" />
        ) : (
          <Page route={route} go={go} />
        )}
      </main>
      {help && <KeyboardHelp onClose={() => setHelp(false)} />}
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
    case "reports":
      return (
        <Suspense fallback={<p className="muted">Opening Reports…</p>}>
          <ReportsPage />
        </Suspense>
      );
    case "settings/carriers":
    case "settings/ship-from":
    case "settings/packages":
    case "settings/postage":
    case "settings/printing":
    case "settings/about":
      return <SettingsPage section={route.slice("settings/".length) as SettingsSection} go={go} />;
  }
}
