import { useEffect, useState } from "react";
import { ipc, type AppError, type DoctorReport } from "../ipc";
import type { Route } from "../routes";
import { CarrierSettings } from "./settings/CarrierSettings";
import { ErrorNotice } from "../components/ErrorNotice";

export function SettingsPage({ section, go }: { section: "carriers" | "about"; go: (r: Route) => void }) {
  return (
    <section aria-labelledby="settings-title" data-page="settings">
      <header className="page-header">
        <h1 id="settings-title">Settings</h1>
      </header>
      <div className="tabs" role="tablist" aria-label="Settings sections">
        <button
          role="tab"
          aria-selected={section === "carriers"}
          data-tab="carriers"
          onClick={() => go("settings/carriers")}
        >
          Carrier Settings
        </button>
        <button role="tab" aria-selected={section === "about"} data-tab="about" onClick={() => go("settings/about")}>
          About
        </button>
      </div>
      {section === "carriers" ? <CarrierSettings /> : <About />}
    </section>
  );
}

function About() {
  const [report, setReport] = useState<DoctorReport | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    ipc.doctor().then(setReport, setError);
  }, []);
  if (error) return <ErrorNotice error={error} />;
  if (!report) return <p aria-live="polite">Reading the data directory…</p>;
  return (
    <div role="tabpanel" data-panel="about">
      <dl className="facts" data-testid="doctor">
        <dt>Version</dt>
        <dd>{report.version}</dd>
        <dt>Data directory</dt>
        <dd data-field="data-dir">{report.data_dir}</dd>
        <dt>Database</dt>
        <dd>{report.database_path}</dd>
        <dt>Schema version</dt>
        <dd data-field="schema-version">
          {report.schema_version} (latest {report.latest_schema_version})
        </dd>
        <dt>Environment</dt>
        <dd data-field="environment">{report.environment}</dd>
      </dl>
    </div>
  );
}
