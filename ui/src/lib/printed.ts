// Printed reports (PDF): what the funder's report and a seminar's one-page report hold,
// composed from the figures and names the screens show; the shell lays them out
// (saite-export's `write_pdf`).
import { displayValue, total, type Translate } from "./display";
import { codeMessage, FIELDS } from "./fields";
import { formatNumber } from "./format";
import type { Cell } from "./generated/Cell";
import type { ListQuery } from "./generated/ListQuery";
import type { Locale } from "./generated/Locale";
import type { PrintedBlock } from "./generated/PrintedBlock";
import type { PrintedReport } from "./generated/PrintedReport";
import type { Report } from "./generated/Report";
import type { ReportMeasure } from "./generated/ReportMeasure";
import type { StoredRecord } from "./generated/StoredRecord";
import type { Table } from "./generated/Table";
import { records } from "./records";
import { describeFilters, reportFilters, reportTable, type ReportChoice } from "./reports.svelte";

const text = (value: string): Cell => (value === "" ? { kind: "empty" } : { kind: "text", value });
const integer = (value: number): Cell => ({ kind: "integer", value });

/** A table, or "None." where it would have no rows. */
function tableOrNone(rows: number, table: () => Table, t: Translate): PrintedBlock {
  return rows === 0 ? { kind: "paragraph", text: t("printed-none") } : { kind: "table", table: table() };
}

/** A report's total of one measure (0 where it has no such column). */
function totalOf(report: Report, measure: ReportMeasure["kind"]): number {
  const i = report.columns.findIndex((c) => c.measure.kind === measure);
  return i < 0 ? 0 : (report.total[i] ?? 0);
}

/** Every record a list query matches, page by page. */
async function everyListed(query: Omit<ListQuery, "offset" | "limit" | "withTotal">): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  for (;;) {
    const page = await records.list({ ...query, offset: out.length, limit: 500, withTotal: false });
    out.push(...page.items);
    if (page.items.length < 500) return out;
  }
}

/** The report a funder asks for, of what `choice` keeps to (a period, a campaign or a
 * funder, …): the totals, events by region and target group, every event, the
 * organisations involved and the materials handed out. `names` names the campaigns and
 * funders the filters refer to. */
export async function funderReport(
  choice: ReportChoice,
  names: ReadonlyMap<string, string>,
  t: Translate,
  locale: Locale,
): Promise<PrintedReport> {
  const events = reportFilters({ ...choice, figure: "events" });
  const [byRegion, organisations, materials, seminars] = await Promise.all([
    records.report({ figure: "events", by: "region", filters: events }),
    records.report({
      figure: "organisations",
      by: "organisation-kind",
      filters: reportFilters({ ...choice, figure: "organisations" }),
    }),
    records.report({
      figure: "distributions",
      by: "material",
      filters: reportFilters({ ...choice, figure: "distributions" }),
    }),
    everyListed({ collection: "seminar", filters: events, sort: "date", descending: false }),
  ]);
  const field = (name: string) => t(`field-seminar-${name}` as Parameters<Translate>[0]);
  const table = (report: Report): PrintedBlock => tableOrNone(report.rows.length, () => reportTable(report, t), t);
  return {
    title: t("printed-funder-title"),
    subtitle: describeFilters(events, t, locale, new Map(names)) || t("printed-all-time"),
    blocks: [
      {
        kind: "facts",
        facts: [
          [t("report-column-events"), formatNumber(totalOf(byRegion, "events"), locale)],
          [t("report-column-participants"), formatNumber(totalOf(byRegion, "participants"), locale)],
          [t("report-column-organisations"), formatNumber(totalOf(organisations, "organisations"), locale)],
          [t("report-column-copies"), formatNumber(totalOf(materials, "copies"), locale)],
          [t("report-column-recipients"), formatNumber(totalOf(materials, "recipients"), locale)],
        ],
      },
      { kind: "heading", text: t("printed-by-region") },
      table(byRegion),
      { kind: "heading", text: t("printed-events") },
      tableOrNone(
        seminars.length,
        () => ({
          title: t("printed-events"),
          columns: [
            field("date"),
            field("title"),
            field("municipality"),
            field("kind"),
            t("report-column-participants"),
          ],
          rows: seminars.map((s) => {
            const doc = s.document;
            const code = (list: "municipality" | "event-kind", value: unknown) =>
              typeof value === "string" && value !== "" ? t(codeMessage(list, value)) : "";
            return [
              typeof doc.date === "string" ? { kind: "date", value: doc.date } : { kind: "empty" },
              text(s.label),
              text(code("municipality", doc.municipality)),
              text(code("event-kind", doc.kind)),
              integer(total(doc.participants)),
            ];
          }),
        }),
        t,
      ),
      { kind: "heading", text: t("printed-organisations") },
      table(organisations),
      { kind: "heading", text: t("printed-materials") },
      table(materials),
    ],
  };
}

/** A seminar's own one-page report, for the partner who hosted it: its facts (not its
 * notes, which stay in the store), participants by target group and the organisations
 * that took part. `labels` names the records it refers to. */
export function seminarReport(
  seminar: StoredRecord,
  labels: ReadonlyMap<string, string>,
  organisations: string[],
  t: Translate,
  locale: Locale,
): PrintedReport {
  const doc = seminar.document;
  const facts: [string, string][] = FIELDS.seminar
    .filter((f) => f.name !== "title" && f.type.kind !== "counts" && f.type.kind !== "textarea")
    .map((f): [string, string] => [t(f.label), displayValue(f, doc[f.name], locale, t, labels)])
    .filter(([, value]) => value !== "");
  const counts = Object.entries((doc.participants ?? {}) as Record<string, number>).filter(([, n]) => n > 0);
  return {
    title: seminar.label,
    subtitle: null,
    blocks: [
      { kind: "facts", facts },
      { kind: "heading", text: t("printed-seminar-participants") },
      tableOrNone(
        counts.length,
        () => ({
          title: t("printed-seminar-participants"),
          columns: [t("report-column-key-target-group"), t("report-column-participants")],
          rows: [
            ...counts.map(([code, n]) => [text(t(codeMessage("target-group", code))), integer(n)]),
            [text(t("report-total")), integer(total(doc.participants))],
          ],
        }),
        t,
      ),
      { kind: "heading", text: t("printed-seminar-organisations") },
      { kind: "paragraph", text: organisations.length === 0 ? t("printed-none") : organisations.join("\n") },
    ],
  };
}
