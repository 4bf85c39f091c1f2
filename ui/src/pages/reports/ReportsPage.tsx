import { useCallback, useEffect, useState } from "react";
import { ipc, type AppError, type Report, type ReportPeriod, type ReportQuery, type VoidLine } from "../../ipc";
import { EmptyState } from "../../components/EmptyState";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatCount, formatMoney } from "../../format";
import { fieldErrors } from "../settings/fieldErrors";
import { LabelsPerDayChart, ServicesChart, SpendChart } from "./Charts";
import { PRESETS, presetRange, type RangePreset } from "./ranges";
import "./reports.css";

const PERIODS: { value: ReportPeriod; label: string }[] = [
  { value: "day", label: "Day" },
  { value: "week", label: "Week" },
  { value: "month", label: "Month" },
];

function voidState(v: VoidLine): string {
  switch (v.state) {
    case "canceled":
      return "Canceled — not charged";
    case "refund_pending":
      return v.dispute_id ? `Refund pending (USPS dispute ${v.dispute_id})` : `Refund pending${v.provider_status ? ` — ${v.provider_status}` : ""}`;
    case "in_progress":
      return "Void sent, no answer recorded yet";
  }
}

function Totals({ report }: { report: Report }) {
  const t = report.totals;
  const cards: { label: string; value: string; note?: string; id: string }[] = [
    { id: "postage", label: "Postage", value: formatMoney(t.postage), note: `${formatCount(t.labels)} label${t.labels === 1 ? "" : "s"}` },
    { id: "average", label: "Average per order", value: formatMoney(t.average_per_order), note: `${formatCount(t.orders)} order${t.orders === 1 ? "" : "s"}` },
    { id: "voided", label: "Voided", value: formatCount(t.voided), note: `${formatMoney(t.voided_postage)} not charged` },
    { id: "refunds", label: "Refunds pending", value: formatMoney(t.refunds_pending_postage), note: `${formatCount(t.refunds_pending)} label${t.refunds_pending === 1 ? "" : "s"}` },
  ];
  return (
    <>
      <dl className="report-totals" data-testid="report-totals">
        {cards.map((c) => (
          <div key={c.id} className="report-total" data-total={c.id}>
            <dt>{c.label}</dt>
            <dd>
              <span className="report-total-value">{c.value}</span>
              {c.note && <span className="muted">{c.note}</span>}
            </dd>
          </div>
        ))}
      </dl>
      {t.samples > 0 && (
        <p className="muted" data-testid="report-samples">
          {formatCount(t.samples)} of these labels are Sandbox samples: no postage was charged for them.
        </p>
      )}
    </>
  );
}

/** Postage spend, labels per day, spend per service, voids and refunds over a range of days. */
export function ReportsPage() {
  const [preset, setPreset] = useState<RangePreset>("this_month");
  const [range, setRange] = useState(() => presetRange("this_month", new Date())!);
  const [period, setPeriod] = useState<ReportPeriod>("day");
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const query: ReportQuery = { ...range, period };
  const errors = fieldErrors(error);

  const load = useCallback((q: ReportQuery) => {
    ipc.report(q).then(
      (r) => {
        setReport(r);
        setError(null);
      },
      (e: AppError) => setError(e),
    );
  }, []);
  useEffect(() => load(query), [load, query.from, query.to, query.period]); // eslint-disable-line react-hooks/exhaustive-deps

  const choosePreset = (p: RangePreset) => {
    setPreset(p);
    const r = presetRange(p, new Date());
    if (r) setRange(r);
  };
  const exportCsv = async () => {
    setSaved(null);
    try {
      const path = await ipc.pickCsvPath(`shipdesk-labels-${query.from}-to-${query.to}.csv`);
      if (!path) return;
      await ipc.saveCsv(query, path);
      setSaved(`Saved ${path}`);
    } catch (e) {
      setError(e as AppError);
    }
  };

  return (
    <section className="page reports-page" aria-labelledby="reports-title" data-page="reports">
      <header className="page-header">
        <h1 id="reports-title">Reports</h1>
      </header>
      <form className="report-controls" onSubmit={(e) => e.preventDefault()} aria-label="Report range">
        <label>
          Range{" "}
          <select value={preset} onChange={(e) => choosePreset(e.target.value as RangePreset)} data-testid="report-preset">
            {PRESETS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          From{" "}
          <input
            type="date"
            value={range.from}
            onChange={(e) => {
              setPreset("custom");
              setRange({ ...range, from: e.target.value });
            }}
            aria-invalid={errors.from ? true : undefined}
            data-testid="report-from"
          />
        </label>
        <label>
          To{" "}
          <input
            type="date"
            value={range.to}
            onChange={(e) => {
              setPreset("custom");
              setRange({ ...range, to: e.target.value });
            }}
            aria-invalid={errors.to ? true : undefined}
            data-testid="report-to"
          />
        </label>
        <label>
          Group by{" "}
          <select value={period} onChange={(e) => setPeriod(e.target.value as ReportPeriod)} data-testid="report-period">
            {PERIODS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void exportCsv()} data-action="export-report-csv" title="The range's labels, one row each, for a spreadsheet">
          Export CSV
        </button>
        {saved && (
          <span className="muted" role="status" data-testid="report-saved">
            {saved}
          </span>
        )}
      </form>
      {(errors.from || errors.to) && (
        <p className="field-error" role="alert" data-error-for={errors.from ? "from" : "to"}>
          {errors.from ?? errors.to}
        </p>
      )}
      {error && !errors.from && !errors.to && <ErrorNotice error={error} />}
      {report && !error && <ReportBody report={report} />}
    </section>
  );
}

function ReportBody({ report }: { report: Report }) {
  const empty = report.totals.labels === 0 && report.totals.voided === 0;
  return (
    <div data-testid="report" data-from={report.from} data-to={report.to} data-period={report.period}>
      <Totals report={report} />
      {empty ? (
        <EmptyState title="No labels in this range">Labels bought between these days show here: spend, labels per day, services and voids.</EmptyState>
      ) : (
        <>
          <div className="report-charts">
            <SpendChart spend={report.spend} />
            <LabelsPerDayChart days={report.labels_per_day} />
            {report.services.length > 0 && <ServicesChart services={report.services} />}
          </div>
          <h2>By service</h2>
          <table className="report-table" data-testid="report-services">
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col" className="num">Labels</th>
                <th scope="col" className="num">Postage</th>
              </tr>
            </thead>
            <tbody>
              {report.services.map((s) => (
                <tr key={s.service_name}>
                  <td>{s.service_name}</td>
                  <td className="num">{formatCount(s.labels)}</td>
                  <td className="num">{formatMoney(s.postage)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Voids and refunds</h2>
          {report.voids.length === 0 ? (
            <p className="muted">No label of this range was voided.</p>
          ) : (
            <table className="report-table" data-testid="report-voids">
              <thead>
                <tr>
                  <th scope="col">Bought</th>
                  <th scope="col">Order</th>
                  <th scope="col">Tracking number</th>
                  <th scope="col">Service</th>
                  <th scope="col" className="num">Postage</th>
                  <th scope="col">Where it stands</th>
                </tr>
              </thead>
              <tbody>
                {report.voids.map((v) => (
                  <tr key={v.shipment_id} data-void-state={v.state}>
                    <td>{v.bought_on}</td>
                    <td>{v.order_number}</td>
                    <td className="tracking-number">{v.tracking_number}</td>
                    <td>{v.service_name}</td>
                    <td className="num">{formatMoney(v.postage)}</td>
                    <td>{voidState(v)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
