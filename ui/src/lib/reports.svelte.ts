// The Reports screen's choices and the names of a report's rows and columns.
//
// The choices live here rather than in the screen, so coming back from the records
// behind a figure finds the report as it was left.
import { codeMessage, isEditable, LIST_FILTERS, specOf, type EditableCollection } from "./fields";
import type { Translate } from "./display";
import { formatDate, yearsSinceFirst } from "./format";
import type { CodeList } from "./generated/CodeList";
import { COLLECTION_SPECS } from "./generated/collectionSpecs";
import type { Collection } from "./generated/Collection";
import type { ListFilter } from "./generated/ListFilter";
import type { Locale } from "./generated/Locale";
import type { MessageId } from "./generated/MessageId";
import type { RecordId } from "./generated/RecordId";
import type { Report } from "./generated/Report";
import type { ReportColumn } from "./generated/ReportColumn";
import type { ReportDimension } from "./generated/ReportDimension";
import type { ReportFigure } from "./generated/ReportFigure";
import type { ReportRow } from "./generated/ReportRow";
import type { Table } from "./generated/Table";

/** A filter the Reports screen offers. */
export type ReportFilterId =
  | "period"
  | "region"
  | "municipality"
  | "kind"
  | "campaign"
  | "targetGroup"
  | "organisationKind"
  | "materialKind"
  | "topic"
  | "channel"
  | "funder";

/** What each figure is called, and which rows and filters it offers (the store refuses
 * any other dimension). */
export const FIGURES: Record<
  ReportFigure,
  {
    name: MessageId;
    summary: MessageId;
    dimensions: ReportDimension[];
    filters: ReportFilterId[];
    empty: MessageId;
    nothing: MessageId;
  }
> = {
  events: {
    name: "report-figure-events",
    summary: "report-figure-events-summary",
    dimensions: ["year", "quarter", "region", "municipality", "kind", "campaign", "funder", "target-group"],
    filters: ["period", "region", "municipality", "kind", "campaign", "funder", "targetGroup"],
    empty: "report-empty",
    nothing: "report-nothing",
  },
  organisations: {
    name: "report-figure-organisations",
    summary: "report-figure-organisations-summary",
    dimensions: ["organisation-kind", "region", "municipality"],
    filters: ["period", "region", "municipality", "organisationKind", "kind", "campaign", "funder", "targetGroup"],
    empty: "report-empty-organisations",
    nothing: "report-nothing-organisations",
  },
  distributions: {
    name: "report-figure-distributions",
    summary: "report-figure-distributions-summary",
    dimensions: ["year", "quarter", "region", "municipality", "organisation-kind", "material-kind", "material"],
    filters: ["period", "region", "municipality", "organisationKind", "materialKind", "campaign", "funder"],
    empty: "report-empty-distributions",
    nothing: "report-nothing-distributions",
  },
  hotline: {
    name: "report-figure-hotline",
    summary: "report-figure-hotline-summary",
    dimensions: ["year", "quarter", "region", "topic", "channel"],
    filters: ["period", "region", "topic", "channel"],
    empty: "report-empty-hotline",
    nothing: "report-nothing-hotline",
  },
};

export const FIGURE_ORDER: readonly ReportFigure[] = ["events", "organisations", "distributions", "hotline"];

/** What the user chose: every filter empty means "any". Dates are ISO, or "" for open. */
export interface ReportChoice {
  figure: ReportFigure;
  by: ReportDimension;
  from: string;
  to: string;
  region: string;
  municipality: string;
  kind: string;
  campaign: string;
  targetGroup: string;
  organisationKind: string;
  materialKind: string;
  topic: string;
  channel: string;
  funder: string;
}

export const EMPTY_CHOICE: ReportChoice = {
  figure: "events",
  by: "year",
  from: "",
  to: "",
  region: "",
  municipality: "",
  kind: "",
  campaign: "",
  targetGroup: "",
  organisationKind: "",
  materialKind: "",
  topic: "",
  channel: "",
  funder: "",
};

export const reportChoice = $state<ReportChoice>({ ...EMPTY_CHOICE });

/** The list filters a choice stands for: what the report counts and its figures open.
 * A distribution is placed by its recipient organisation, a hotline contact by the
 * region the caller gave. */
export function reportFilters(c: ReportChoice): ListFilter[] {
  if (c.figure === "organisations") {
    // The events' own filters choose the events; the place and kind are the
    // organisation's.
    const events = reportFilters({ ...c, figure: "events", region: "", municipality: "" });
    const own = reportFilters({
      ...c,
      figure: "events",
      from: "",
      to: "",
      kind: "",
      campaign: "",
      funder: "",
      targetGroup: "",
    });
    const kind: ListFilter[] = c.organisationKind
      ? [{ kind: "fieldEquals", field: "kind", value: c.organisationKind }]
      : [];
    return [{ kind: "reached", link: "seminar-organisation", filters: events }, ...own, ...kind];
  }
  const out: ListFilter[] = [];
  const offered = FIGURES[c.figure].filters;
  const equals = (field: string, value: string): ListFilter => ({ kind: "fieldEquals", field, value });
  const place = (filter: ListFilter): ListFilter =>
    c.figure === "events" ? filter : { kind: "via", field: "organisation", filter };
  if (c.from || c.to) out.push({ kind: "period", from: c.from || null, to: c.to || null });
  if (c.region)
    out.push(c.figure === "hotline" ? equals("region", c.region) : place({ kind: "region", region: c.region }));
  if (offered.includes("municipality") && c.municipality) out.push(place(equals("municipality", c.municipality)));
  if (offered.includes("kind") && c.kind) out.push(equals("kind", c.kind));
  // A material belongs to campaigns through links; an event names its own.
  if (offered.includes("campaign") && c.campaign)
    out.push(
      c.figure === "events"
        ? equals("campaign", c.campaign)
        : {
            kind: "via",
            field: "material",
            filter: { kind: "linked", link: "material-campaign", id: c.campaign },
          },
    );
  // A campaign has funders through links; an event is of a campaign, a material of
  // campaigns through links again.
  const funded: ListFilter = { kind: "linked", link: "campaign-funder", id: c.funder };
  if (offered.includes("funder") && c.funder)
    out.push(
      c.figure === "events"
        ? { kind: "via", field: "campaign", filter: funded }
        : {
            kind: "via",
            field: "material",
            filter: { kind: "reached", link: "material-campaign", filters: [funded] },
          },
    );
  if (offered.includes("targetGroup") && c.targetGroup)
    out.push({ kind: "counts", field: "participants", code: c.targetGroup });
  if (offered.includes("organisationKind") && c.organisationKind)
    out.push({ kind: "via", field: "organisation", filter: equals("kind", c.organisationKind) });
  if (offered.includes("materialKind") && c.materialKind)
    out.push({ kind: "via", field: "material", filter: equals("kind", c.materialKind) });
  if (offered.includes("topic") && c.topic) out.push(equals("topic", c.topic));
  if (offered.includes("channel") && c.channel) out.push(equals("channel", c.channel));
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
  "organisation-kind": "report-column-key-organisation-kind",
  "material-kind": "report-column-key-material-kind",
  material: "report-column-key-material",
  topic: "report-column-key-topic",
  channel: "report-column-key-channel",
  funder: "report-column-key-funder",
};

export const BY_NAME: Record<ReportDimension, MessageId> = {
  year: "report-by-year",
  quarter: "report-by-quarter",
  region: "report-by-region",
  municipality: "report-by-municipality",
  kind: "report-by-kind",
  campaign: "report-by-campaign",
  "target-group": "report-by-target-group",
  "organisation-kind": "report-by-organisation-kind",
  "material-kind": "report-by-material-kind",
  material: "report-by-material",
  topic: "report-by-topic",
  channel: "report-by-channel",
  funder: "report-by-funder",
};

/** How a table's title says what its rows are ("pa gadiem"). */
export const PER_NAME: Record<ReportDimension, MessageId> = {
  year: "report-per-year",
  quarter: "report-per-quarter",
  region: "report-per-region",
  municipality: "report-per-municipality",
  kind: "report-per-kind",
  campaign: "report-per-campaign",
  "target-group": "report-per-target-group",
  "organisation-kind": "report-per-organisation-kind",
  "material-kind": "report-per-material-kind",
  material: "report-per-material",
  topic: "report-per-topic",
  channel: "report-per-channel",
  funder: "report-per-funder",
};

/** A report table's title: "Pasākumi un dalībnieki pa gadiem", and what its filters
 * keep to ("Rīga · Apmācības"), if any. */
export function reportTitle(report: Report, t: Translate, filters = ""): string {
  const title = `${t(FIGURES[report.figure].name)} ${t(PER_NAME[report.by])}`;
  return filters ? `${title} (${filters})` : title;
}

/** The code list a dimension's keys come from, if any. */
const KEY_LIST: Partial<Record<ReportDimension, CodeList>> = {
  region: "region",
  municipality: "municipality",
  kind: "event-kind",
  "target-group": "target-group",
  "organisation-kind": "organisation-kind",
  "material-kind": "material-kind",
  topic: "hotline-topic",
  channel: "hotline-channel",
};

/** A row's name: a year, "2012. g. 3. ceturksnis", a code's name, a campaign's or a
 * material's. Years travel as strings so no language groups their digits. */
export function rowName(report: Report, row: ReportRow, t: Translate): string {
  const key = row.key;
  if (key === null) return t(report.by === "campaign" ? "report-no-campaign" : "report-none");
  if (report.by === "year") return key;
  if (report.by === "quarter") {
    const [year, quarter] = key.split("-Q");
    return t("report-quarter", { year: year ?? key, quarter: quarter ?? "" });
  }
  const list = KEY_LIST[report.by];
  return list ? t(codeMessage(list, key)) : (row.label ?? key);
}

export function columnName(column: ReportColumn, t: Translate): string {
  switch (column.measure.kind) {
    case "events":
      return t("report-column-events");
    case "participants":
      return t("report-column-participants");
    case "target-group":
      return t(codeMessage("target-group", column.measure.code));
    case "distributions":
      return t("report-column-distributions");
    case "copies":
      return t("report-column-copies");
    case "recipients":
      return t("report-column-recipients");
    case "contacts":
      return t("report-column-contacts");
    case "organisations":
      return t("report-column-organisations");
  }
}

/** One coloured set of bars: a name and a value per row. */
export interface ChartSeries {
  name: string;
  values: number[];
}

/** What the chart beside a report draws: people per target group stacked, where the
 * rows count any; else the participants, the copies or the events. */
export function chartSeries(report: Report, t: Translate): ChartSeries[] {
  const series = (i: number): ChartSeries => ({
    name: columnName(report.columns[i]!, t),
    values: report.rows.map((r) => r.values[i]!),
  });
  const indexes = (kind: ReportColumn["measure"]["kind"]) =>
    report.columns.flatMap((c, i) => (c.measure.kind === kind ? [i] : []));
  const groups = indexes("target-group");
  if (groups.length > 0) return groups.map(series);
  for (const kind of ["participants", "copies"] as const) {
    const [i] = indexes(kind);
    if (i !== undefined && report.total[i]! > 0) return [series(i)];
  }
  return [series(0)];
}

/** The ids of records a list's filters name (campaigns, materials, funders), whose
 * names describe them. */
export function referencedIds(filters: ListFilter[]): RecordId[] {
  const named = (f: ListFilter): RecordId[] => {
    if (f.kind === "fieldEquals" && (f.field === "campaign" || f.field === "material")) return [f.value as RecordId];
    if (f.kind === "linked") return [f.id as RecordId];
    if (f.kind === "reached") return f.filters.flatMap(named);
    return f.kind === "via" ? named(f.filter) : [];
  };
  return filters.flatMap(named).filter((id, i, all) => all.indexOf(id) === i);
}

/** What a field of a collection's records holds, by its spec. */
function fieldType(collection: Collection, field: string) {
  return isEditable(collection) ? specOf(collection, field)?.type : undefined;
}

/** A list's filters in words ("Apmācības · Rīga · 01.01.2012–31.12.2012"), so the
 * records behind a figure say what they are; `names` names campaigns and materials. */
export function describeFilters(
  filters: ListFilter[],
  t: Translate,
  locale: Locale,
  names: Map<string, string>,
  collection: Collection = "seminar",
): string {
  const describe = (f: ListFilter, of: Collection): string => {
    switch (f.kind) {
      case "period":
        return `${formatDate(f.from, locale) || "…"}–${formatDate(f.to, locale) || "…"}`;
      case "year":
        return String(f.year);
      case "region":
        // "" is a report's row of no region.
        return f.region ? t(codeMessage("region", f.region)) : t("report-none");
      case "counts":
        return t(codeMessage("target-group", f.code));
      case "empty":
        return t(f.field === "campaign" ? "report-no-campaign" : "report-none");
      case "via": {
        // The filter applies to the record the field refers to, as its spec says.
        const type = fieldType(of, f.field);
        return describe(f.filter, type?.kind === "reference" ? type.collection : of);
      }
      case "fieldEquals": {
        const type = fieldType(of, f.field);
        return type?.kind === "code" ? t(codeMessage(type.list, f.value)) : (names.get(f.value) ?? "…");
      }
      case "linked":
        return names.get(f.id) ?? "…";
      case "reached":
        // The events' filters, read as the events' own.
        return f.filters
          .map((inner) => describe(inner, "seminar"))
          .filter((p) => p !== "")
          .join(" · ");
      case "flag":
        return "";
    }
  };
  return filters
    .map((f) => describe(f, collection))
    .filter((p) => p !== "")
    .join(" · ");
}

/** A report as the screen shows it, for a spreadsheet: the row names and column titles in
 * the chosen language, the numbers as numbers, the total last. */
export function reportTable(report: Report, t: Translate, filters = ""): Table {
  const key = t(KEY_HEADER[report.by]);
  return {
    title: reportTitle(report, t, filters),
    columns: [key, ...report.columns.map((c) => columnName(c, t))],
    rows: [
      ...report.rows.map((row) => [
        { kind: "text" as const, value: rowName(report, row, t) },
        ...row.values.map((v) => ({ kind: "integer" as const, value: v })),
      ]),
      [
        { kind: "text" as const, value: t("report-total") },
        ...report.total.map((v) => ({ kind: "integer" as const, value: v })),
      ],
    ],
  };
}

/** How a list opened from a figure keeps to the figure's filters: those its own controls
 * offer are set in them (and can be changed there), the rest stay fixed and are named
 * above the list. `counted` is a number column of the collection's counts field (a
 * seminar's participants), named as the report names it: the target group the figure
 * kept to, or (code null) all of them. */
export interface FigureList {
  values: Record<string, string>;
  fixed: ListFilter[];
  counted: { field: string; code: string | null; title: MessageId } | null;
}

export function figureList(collection: EditableCollection, preset: ListFilter[]): FigureList {
  const controls = LIST_FILTERS[collection];
  const offers = (type: "region" | "year") => controls.some((c) => c.type === type);
  // The control a filter sets, and to what; null where no control says the same.
  const control = (f: ListFilter): [string, string] | null => {
    // No region ("") is no choice of the control, which would read it as any.
    if (f.kind === "region" && f.region && offers("region")) return ["region", f.region];
    if (f.kind === "year" && offers("year")) return ["year", String(f.year)];
    // A year's row opens its period: the year control says it.
    if (f.kind === "period" && offers("year") && f.from && f.to) {
      const year = f.from.slice(0, 4);
      if (f.from === `${year}-01-01` && f.to === `${year}-12-31`) return ["year", year];
    }
    if (f.kind === "fieldEquals" && controls.some((c) => c.type === "code" && c.field === f.field))
      return [f.field, f.value];
    return null;
  };
  const values: Record<string, string> = {};
  const fixed: ListFilter[] = [];
  for (const f of preset) {
    const set = control(f);
    // A control holds one value: a second, different one stays fixed (both apply).
    if (set && (values[set[0]] === undefined || values[set[0]] === set[1])) values[set[0]] = set[1];
    else fixed.push(f);
  }
  const counts = COLLECTION_SPECS[collection].fields.find((f) => f.kind.kind === "counts");
  if (counts?.kind.kind !== "counts") return { values, fixed, counted: null };
  const group = preset.find((f) => f.kind === "counts" && f.field === counts.name);
  const code = group?.kind === "counts" ? group.code : null;
  const title = code ? codeMessage(counts.kind.list, code) : "report-column-participants";
  return { values, fixed, counted: { field: counts.name, code, title } };
}

/** The periods the Reports screen offers in one choice: relative to today, then each
 * year back to the first records. */
export type PeriodPreset = "this-year" | "last-year" | "this-quarter" | "last-quarter" | `${number}`;

export function periodPresets(today: string): PeriodPreset[] {
  const years = yearsSinceFirst(Number(today.slice(0, 4))) as PeriodPreset[];
  return ["this-year", "last-year", "this-quarter", "last-quarter", ...years];
}

/** A period preset's name; a year's is the year. */
export function periodName(preset: PeriodPreset, t: Translate): string {
  const names: Record<string, MessageId> = {
    "this-year": "report-period-this-year",
    "last-year": "report-period-last-year",
    "this-quarter": "report-period-this-quarter",
    "last-quarter": "report-period-last-quarter",
  };
  const id = names[preset];
  return id ? t(id) : preset;
}

/** The dates a period preset stands for on `today` (ISO dates); a quarter's as the
 * store's rows by quarter open them (`row_filter` in report.rs). */
export function presetPeriod(preset: PeriodPreset, today: string): { from: string; to: string } {
  const year = Number(today.slice(0, 4));
  const wholeYear = (y: number) => ({ from: `${y}-01-01`, to: `${y}-12-31` });
  const quarter = (y: number, q: number) => {
    const last = q === 1 || q === 4 ? 31 : 30;
    const month = (m: number) => String(m).padStart(2, "0");
    return { from: `${y}-${month(q * 3 - 2)}-01`, to: `${y}-${month(q * 3)}-${last}` };
  };
  const q = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  switch (preset) {
    case "this-year":
      return wholeYear(year);
    case "last-year":
      return wholeYear(year - 1);
    case "this-quarter":
      return quarter(year, q);
    case "last-quarter":
      return q === 1 ? quarter(year - 1, 4) : quarter(year, q - 1);
    default:
      return wholeYear(Number(preset));
  }
}

/** The preset a period is, if any ("" for none): the relative ones first, so this year
 * reads as "this year" rather than as its number. */
export function presetOf(from: string, to: string, today: string): PeriodPreset | "" {
  return (
    periodPresets(today).find((p) => {
      const period = presetPeriod(p, today);
      return period.from === from && period.to === to;
    }) ?? ""
  );
}
