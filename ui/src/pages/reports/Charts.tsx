// The Reports page's charts (recharts, drawn as SVG): spend per period, labels per day, spend
// per service. Each sits in a figure whose caption says what it shows.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import type { DayLabels, PeriodSpend, ServiceSpend } from "../../ipc";
import { formatMoney } from "../../format";

const WIDTH = 720;
const ACCENT = "#2563eb";
const VOIDED = "#d97706";

const dollars = (v: unknown) => formatMoney(String(v));

/** "Dec 2" from `2026-12-02`, read as a local calendar day. */
function shortDay(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

export function SpendChart({ spend }: { spend: PeriodSpend[] }) {
  const data = spend.map((p) => ({ name: p.label, postage: Number(p.postage), labels: p.labels }));
  return (
    <figure className="report-chart" data-testid="chart-spend">
      <figcaption>Postage spend</figcaption>
      <BarChart width={WIDTH} height={220} data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" tick={{ fontSize: 11 }} interval="preserveStartEnd" />
        <YAxis tickFormatter={dollars} width={72} tick={{ fontSize: 11 }} />
        <Tooltip formatter={(v) => dollars(v)} />
        <Bar dataKey="postage" name="Postage" fill={ACCENT} isAnimationActive={false} />
      </BarChart>
    </figure>
  );
}

export function LabelsPerDayChart({ days }: { days: DayLabels[] }) {
  const data = days.map((d) => ({ name: shortDay(d.day), labels: d.labels, voided: d.voided }));
  return (
    <figure className="report-chart" data-testid="chart-labels">
      <figcaption>Labels per day</figcaption>
      <BarChart width={WIDTH} height={200} data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" tick={{ fontSize: 11 }} interval="preserveStartEnd" />
        <YAxis allowDecimals={false} width={40} tick={{ fontSize: 11 }} />
        <Tooltip />
        <Legend />
        <Bar dataKey="labels" name="Labels" stackId="day" fill={ACCENT} isAnimationActive={false} />
        <Bar dataKey="voided" name="Voided" stackId="day" fill={VOIDED} isAnimationActive={false} />
      </BarChart>
    </figure>
  );
}

export function ServicesChart({ services }: { services: ServiceSpend[] }) {
  const data = services.map((s) => ({ name: s.service_name, postage: Number(s.postage) }));
  return (
    <figure className="report-chart" data-testid="chart-services">
      <figcaption>Spend per service</figcaption>
      <BarChart width={WIDTH} height={Math.max(80, 36 * data.length + 40)} data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tickFormatter={dollars} tick={{ fontSize: 11 }} />
        <YAxis type="category" dataKey="name" width={220} tick={{ fontSize: 11 }} />
        <Tooltip formatter={(v) => dollars(v)} />
        <Bar dataKey="postage" name="Postage" fill={ACCENT} isAnimationActive={false} />
      </BarChart>
    </figure>
  );
}
