import type { Route } from "../routes";
import { EmptyState } from "../components/EmptyState";

export function ShipmentsPage({ go }: { go: (r: Route) => void }) {
  return (
    <section aria-labelledby="shipments-title" data-page="shipments">
      <header className="page-header">
        <h1 id="shipments-title">Shipments</h1>
      </header>
      <EmptyState title="No labels yet">
        <p>Labels you buy appear here with their tracking number, postage and status.</p>
        <button type="button" onClick={() => go("orders")}>
          Go to Orders to ship
        </button>
      </EmptyState>
    </section>
  );
}
