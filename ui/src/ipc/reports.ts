// Reports: typed calls over the `reports_*` commands.
import { call } from "./core";
import type { DayLabels } from "../bindings/DayLabels";
import type { PeriodSpend } from "../bindings/PeriodSpend";
import type { Report } from "../bindings/Report";
import type { ReportPeriod } from "../bindings/ReportPeriod";
import type { ReportQuery } from "../bindings/ReportQuery";
import type { ReportTotals } from "../bindings/ReportTotals";
import type { ServiceSpend } from "../bindings/ServiceSpend";
import type { VoidLine } from "../bindings/VoidLine";
import type { VoidState } from "../bindings/VoidState";

export type { DayLabels, PeriodSpend, Report, ReportPeriod, ReportQuery, ReportTotals, ServiceSpend, VoidLine, VoidState };

export const reportsIpc = {
  /** The report of `query`'s days; this month so far (by day) when `query` is null. */
  report: (query: ReportQuery | null) => call<Report>("reports_get", { query }),
  /** The OS save dialog for a CSV; the picked path (ending in `.csv`), or null. */
  pickCsvPath: (defaultName: string) => call<string | null>("reports_pick_csv_path", { defaultName }),
  /** Writes the range's labels as CSV to a path picked with `pickCsvPath`. */
  saveCsv: (query: ReportQuery, path: string) => call<void>("reports_save_csv", { query, path }),
};
