// The Reports page's charts (Chart.js on a canvas): spend per period, labels per day, spend per
// service. Each sits in a figure whose caption says what it shows; the canvas carries a summary
// for screen readers, and the tables below the charts hold the same figures.
//
// Chart.js, not an SVG library: the app freezes Object.prototype (tauri's `freezePrototype`),
// and libraries that assign `toString`/`valueOf` on their own objects (recharts' decimal.js-light,
// d3-color) throw at load under it.
import { useEffect, useRef } from "react";
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration } from "chart.js";
import type { DayLabels, PeriodSpend, ServiceSpend } from "../../ipc";
import { formatMoney } from "../../format";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const ACCENT = "#2563eb";
const VOIDED = "#d97706";

const dollars = (v: number | string) => formatMoney(String(v));

/** "Dec 2" from `2026-12-02`, read as a local calendar day. */
function shortDay(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

/** One Chart.js chart on a canvas, redrawn when its configuration changes. */
function BarCanvas({ config, height, summary }: { config: ChartConfiguration<"bar">; height: number; summary: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext("2d");
    if (!context) return; // no canvas (unit tests): the tables show the figures
    const chart = new Chart(context, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="report-canvas" style={{ height }}>
      <canvas ref={canvas} role="img" aria-label={summary} />
    </div>
  );
}

function options(money: boolean, horizontal = false): ChartConfiguration<"bar">["options"] {
  const valueAxis = {
    beginAtZero: true,
    ticks: money ? { callback: (v: number | string) => dollars(v) } : { precision: 0 },
  };
  return {
    animation: false,
    maintainAspectRatio: false,
    indexAxis: horizontal ? "y" : "x",
    plugins: {
      legend: { display: !money },
      tooltip: money ? { callbacks: { label: (item) => `${item.dataset.label}: ${dollars(item.parsed[horizontal ? "x" : "y"] ?? 0)}` } } : {},
    },
    scales: horizontal ? { x: valueAxis } : { y: valueAxis, x: { stacked: !money } },
  };
}

export function SpendChart({ spend }: { spend: PeriodSpend[] }) {
  const config: ChartConfiguration<"bar"> = {
    type: "bar",
    data: { labels: spend.map((p) => p.label), datasets: [{ label: "Postage", data: spend.map((p) => Number(p.postage)), backgroundColor: ACCENT }] },
    options: options(true),
  };
  const drawn = spend.filter((p) => Number(p.postage) > 0).length;
  return (
    <figure className="report-chart" data-testid="chart-spend" data-bars={drawn}>
      <figcaption>Postage spend</figcaption>
      <BarCanvas config={config} height={220} summary={`Postage spend over ${spend.length} periods, ${drawn} with postage`} />
    </figure>
  );
}

export function LabelsPerDayChart({ days }: { days: DayLabels[] }) {
  const config: ChartConfiguration<"bar"> = {
    type: "bar",
    data: {
      labels: days.map((d) => shortDay(d.day)),
      datasets: [
        { label: "Labels", data: days.map((d) => d.labels), backgroundColor: ACCENT, stack: "day" },
        { label: "Voided", data: days.map((d) => d.voided), backgroundColor: VOIDED, stack: "day" },
      ],
    },
    options: options(false),
  };
  const total = days.reduce((n, d) => n + d.labels, 0);
  return (
    <figure className="report-chart" data-testid="chart-labels">
      <figcaption>Labels per day</figcaption>
      <BarCanvas config={config} height={200} summary={`${total} labels over ${days.length} days`} />
    </figure>
  );
}

export function ServicesChart({ services }: { services: ServiceSpend[] }) {
  const config: ChartConfiguration<"bar"> = {
    type: "bar",
    data: { labels: services.map((s) => s.service_name), datasets: [{ label: "Postage", data: services.map((s) => Number(s.postage)), backgroundColor: ACCENT }] },
    options: options(true, true),
  };
  return (
    <figure className="report-chart" data-testid="chart-services">
      <figcaption>Spend per service</figcaption>
      <BarCanvas config={config} height={Math.max(90, 34 * services.length + 50)} summary={`Postage per service: ${services.map((s) => `${s.service_name} ${dollars(s.postage)}`).join(", ")}`} />
    </figure>
  );
}
