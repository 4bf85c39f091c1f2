import { useEffect, useState } from "react";
import { ipc, type AppError, type DoctorReport } from "../ipc";
import type { Route } from "../routes";
import { CarrierSettings } from "./settings/CarrierSettings";
import { ShipFromSettings } from "./settings/ShipFromSettings";
import { PackageSettings } from "./settings/PackageSettings";
import { PostageAccounts } from "./settings/PostageAccounts";
import { PrintingSettings } from "./settings/PrintingSettings";
import { ErrorNotice } from "../components/ErrorNotice";
import { PlatformAppFacts } from "./settings/platformApps";
import "./settings/settings.css";

export type SettingsSection = "carriers" | "ship-from" | "packages" | "postage" | "printing" | "about";

const SECTIONS: { section: SettingsSection; label: string }[] = [
  { section: "carriers", label: "Carrier Settings" },
  { section: "ship-from", label: "Ship-from addresses" },
  { section: "packages", label: "Packages" },
  { section: "postage", label: "Postage accounts" },
  { section: "printing", label: "Printing" },
  { section: "about", label: "About" },
];

export function SettingsPage({ section, go }: { section: SettingsSection; go: (r: Route) => void }) {
  return (
    <section aria-labelledby="settings-title" data-page="settings">
      <header className="page-header">
        <h1 id="settings-title">Settings</h1>
      </header>
      <div className="tabs" role="tablist" aria-label="Settings sections">
        {/* Links, so each section has an address (a reload stays on it). */}
        {SECTIONS.map((s) => (
          <a
            key={s.section}
            href={`#/settings/${s.section}`}
            role="tab"
            aria-selected={section === s.section}
            data-tab={s.section}
            onClick={(e) => {
              e.preventDefault();
              go(`settings/${s.section}`);
            }}
          >
            {s.label}
          </a>
        ))}
      </div>
      {section === "carriers" && <CarrierSettings />}
      {section === "ship-from" && <ShipFromSettings />}
      {section === "packages" && <PackageSettings />}
      {section === "postage" && <PostageAccounts />}
      {section === "printing" && <PrintingSettings />}
      {section === "about" && <About />}
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
        <dd data-field="version">{report.version}</dd>
        <dt>Build</dt>
        <dd data-field="build">{report.build}</dd>
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
        <PlatformAppFacts statuses={report.platform_apps} />
      </dl>
    </div>
  );
}
