// The Reports screen's choices and the names of a report's rows and columns.
//
// The choices live here rather than in the screen, so coming back from the records
// behind a figure finds the report as it was left.
import { codeMessage } from "./fields";
import type { ListFilter } from "./generated/ListFilter";
import type { MessageId } from "./generated/MessageId";
import type { Report } from "./generated/Report";
import type { ReportColumn } from "./generated/ReportColumn";
import type { ReportDimension } from "./generated/ReportDimension";
import type { ReportRow } from "./generated/ReportRow";
import type { MessageArgs } from "./fluent";
import { formatDate } from "./format";
import type { Locale } from "./generated/Locale";
import type { RecordId } from "./generated/RecordId";

type Translate = (id: MessageId, args?: MessageArgs) => string;

export const DIMENSIONS: readonly ReportDimension[] = [
  "year",
  "quarter",
  "region",
  "municipality",
  "kind",
  "campaign",
  "target-group",
];

/** What the user chose: every filter empty means "any". Dates are ISO, or "" for open. */
export interface ReportChoice {
  by: ReportDimension;
  from: string;
  to: string;
  region: string;
  municipality: string;
  kind: string;
  campaign: string;
  targetGroup: string;
}

export const EMPTY_CHOICE: ReportChoice = {
  by: "year",
  from: "",
  to: "",
  region: "",
  municipality: "",
  kind: "",
  campaign: "",
  targetGroup: "",
};

export const reportChoice = $state<ReportChoice>({ ...EMPTY_CHOICE });

/** The list filters a choice stands for: what the report counts and its figures open. */
export function reportFilters(c: ReportChoice): ListFilter[] {
  const out: ListFilter[] = [];
  if (c.from || c.to) out.push({ kind: "period", from: c.from || null, to: c.to || null });
  if (c.region) out.push({ kind: "region", region: c.region });
  if (c.municipality) out.push({ kind: "fieldEquals", field: "municipality", value: c.municipality });
  if (c.kind) out.push({ kind: "fieldEquals", field: "kind", value: c.kind });
  if (c.campaign) out.push({ kind: "fieldEquals", field: "campaign", value: c.campaign });
  if (c.targetGroup) out.push({ kind: "counts", field: "participants", code: c.targetGroup });
  return out;
}

/** The filters that open the records behind one figure: the report's, the row's (none
 * for the total) and the column's. */
export function figureFilters(report: ListFilter[], row: ReportRow | null, column: ReportColumn): ListFilter[] {
  return [...report, ...(row ? [row.filter] : []), ...(column.filter ? [column.filter] : [])];
}

export const KEY_HEADER: Record<ReportDimension, MessageId> = {
  year: "report-column-key-year",
  quarter: "report-column-key-quarter",
  region: "report-column-key-region",
  municipality: "report-column-key-municipality",
  kind: "report-column-key-kind",
  campaign: "report-column-key-campaign",
  "target-group": "report-column-key-target-group",
};

export const BY_NAME: Record<ReportDimension, MessageId> = {
  year: "report-by-year",
  quarter: "report-by-quarter",
  region: "report-by-region",
  municipality: "report-by-municipality",
  kind: "report-by-kind",
  campaign: "report-by-campaign",
  "target-group": "report-by-target-group",
};

/** A row's name: a year, "2012. g. 3. ceturksnis", a region's or a code's name, a
 * campaign's. Years travel as strings so no language groups their digits. */
export function rowName(report: Report, row: ReportRow, t: Translate): string {
  const key = row.key;
  if (key === null) return t(report.by === "campaign" ? "report-no-campaign" : "report-none");
  switch (report.by) {
    case "year":
      return key;
    case "quarter": {
      const [year, quarter] = key.split("-Q");
      return t("report-quarter", { year: year ?? key, quarter: quarter ?? "" });
    }
    case "region":
      return t(codeMessage("region", key));
    case "municipality":
      return t(codeMessage("municipality", key));
    case "kind":
      return t(codeMessage("event-kind", key));
    case "target-group":
      return t(codeMessage("target-group", key));
    case "campaign":
      return row.label ?? key;
  }
}

export function columnName(column: ReportColumn, t: Translate): string {
  switch (column.measure.kind) {
    case "events":
      return t("report-column-events");
    case "participants":
      return t("report-column-participants");
    case "target-group":
      return t(codeMessage("target-group", column.measure.code));
  }
}

/** One coloured set of bars: a name and a value per row. */
export interface ChartSeries {
  name: string;
  values: number[];
}

/** What the chart beside a report draws: people per target group stacked, where the
 * rows count any; else the events. */
export function chartSeries(report: Report, t: Translate): ChartSeries[] {
  const groups = report.columns
    .map((column, i) => ({ column, i }))
    .filter(({ column }) => column.measure.kind === "target-group");
  if (groups.length > 0)
    return groups.map(({ column, i }) => ({
      name: columnName(column, t),
      values: report.rows.map((r) => r.values[i]!),
    }));
  const people = report.columns.findIndex((c) => c.measure.kind === "participants");
  if (people >= 0 && report.total[people]! > 0)
    return [{ name: t("report-column-participants"), values: report.rows.map((r) => r.values[people]!) }];
  return [{ name: t("report-column-events"), values: report.rows.map((r) => r.values[0]!) }];
}

/** The ids of records a list's filters name (campaigns), whose names describe them. */
export function referencedIds(filters: ListFilter[]): RecordId[] {
  return filters.flatMap((f) => (f.kind === "fieldEquals" && f.field === "campaign" ? [f.value as RecordId] : []));
}

/** A list's filters in words ("Apmācības · Rīga · 01.01.2012–31.12.2012"), so the
 * records behind a figure say what they are; `names` names the campaigns. */
export function describeFilters(
  filters: ListFilter[],
  t: Translate,
  locale: Locale,
  names: Map<string, string>,
): string {
  const parts = filters.map((f): string => {
    switch (f.kind) {
      case "period":
        return `${formatDate(f.from, locale) || "…"}–${formatDate(f.to, locale) || "…"}`;
      case "year":
        return String(f.year);
      case "region":
        return t(codeMessage("region", f.region));
      case "counts":
        return t(codeMessage("target-group", f.code));
      case "empty":
        return t(f.field === "campaign" ? "report-no-campaign" : "report-none");
      case "fieldEquals":
        if (f.field === "municipality") return t(codeMessage("municipality", f.value));
        if (f.field === "kind") return t(codeMessage("event-kind", f.value));
        return names.get(f.value) ?? "…";
      case "flag":
        return "";
    }
  });
  return parts.filter((p) => p !== "").join(" · ");
}
