import type { Route } from "../routes";
import { EmptyState } from "../components/EmptyState";

export function EndOfDayPage({ go }: { go: (r: Route) => void }) {
  return (
    <section aria-labelledby="eod-title" data-page="end-of-day">
      <header className="page-header">
        <h1 id="eod-title">End of Day</h1>
      </header>
      <EmptyState title="Nothing to close out today">
        <p>
          When today's labels are printed, create the SCAN form (PS Form 5630) here so the carrier scans
          one barcode instead of every package, and schedule a pickup if you need one.
        </p>
        <button type="button" onClick={() => go("shipments")}>
          See shipments
        </button>
      </EmptyState>
    </section>
  );
}
