import { describe, expect, it } from "vitest";
import type { Report } from "./generated/Report";
import { t } from "./i18n.svelte";
import {
  chartSeries,
  describeFilters,
  EMPTY_CHOICE,
  figureFilters,
  figureList,
  periodName,
  periodPresets,
  presetOf,
  presetPeriod,
  referencedIds,
  reportFilters,
  reportTable,
  rowName,
} from "./reports.svelte";

const report: Report = {
  figure: "events",
  by: "quarter",
  collection: "seminar",
  columns: [
    { measure: { kind: "events" }, filter: null },
    { measure: { kind: "participants" }, filter: null },
    {
      measure: { kind: "target-group", code: "social-workers" },
      filter: { kind: "counts", field: "participants", code: "social-workers" },
    },
  ],
  rows: [
    {
      key: "2012-Q4",
      label: null,
      filter: { kind: "period", from: "2012-10-01", to: "2012-12-31" },
      values: [2, 25, 25],
    },
  ],
  total: [2, 25, 25],
};

describe("reports", () => {
  it("turns the choices into the list filters a report and its figures share", () => {
    expect(reportFilters(EMPTY_CHOICE)).toEqual([]);
    expect(
      reportFilters({ ...EMPTY_CHOICE, from: "2010-01-01", region: "riga", kind: "training", targetGroup: "pupils" }),
    ).toEqual([
      { kind: "period", from: "2010-01-01", to: null },
      { kind: "region", region: "riga" },
      { kind: "fieldEquals", field: "kind", value: "training" },
      { kind: "counts", field: "participants", code: "pupils" },
    ]);
  });

  it("places materials handed out by their recipient, and keeps to the figure's own filters", () => {
    const choice = {
      ...EMPTY_CHOICE,
      figure: "distributions" as const,
      region: "latgale",
      kind: "training",
      organisationKind: "school",
      materialKind: "poster",
    };
    expect(reportFilters(choice)).toEqual([
      { kind: "via", field: "organisation", filter: { kind: "region", region: "latgale" } },
      { kind: "via", field: "organisation", filter: { kind: "fieldEquals", field: "kind", value: "school" } },
      { kind: "via", field: "material", filter: { kind: "fieldEquals", field: "kind", value: "poster" } },
    ]);
    expect(describeFilters(reportFilters(choice), t, "lv", new Map(), "distribution")).toBe(
      "Latgale · Skola · Plakāts",
    );
  });

  it("reaches a funder through an event's campaign, and a material's through its links", () => {
    const events = reportFilters({ ...EMPTY_CHOICE, funder: "f1", topic: "work-abroad" });
    expect(events).toEqual([
      { kind: "via", field: "campaign", filter: { kind: "linked", link: "campaign-funder", id: "f1" } },
    ]);
    const handed = reportFilters({ ...EMPTY_CHOICE, figure: "distributions", campaign: "c1", funder: "f1" });
    expect(handed).toEqual([
      { kind: "via", field: "material", filter: { kind: "linked", link: "material-campaign", id: "c1" } },
      {
        kind: "via",
        field: "material",
        filter: {
          kind: "reached",
          link: "material-campaign",
          filters: [{ kind: "linked", link: "campaign-funder", id: "f1" }],
        },
      },
    ]);
    const names = new Map([
      ["f1", "Rīgas dome"],
      ["c1", "Atver acis"],
    ]);
    expect(referencedIds([...events, ...handed])).toEqual(["f1", "c1"]);
    expect(describeFilters(events, t, "lv", names)).toBe("Rīgas dome");
    expect(describeFilters(handed, t, "lv", names, "distribution")).toBe("Atver acis · Rīgas dome");
    // Organisations reached: the events' filters inside, the organisation's own outside.
    const reached = reportFilters({
      ...EMPTY_CHOICE,
      figure: "organisations",
      from: "2012-01-01",
      region: "latgale",
      campaign: "c1",
      organisationKind: "library",
    });
    expect(reached).toEqual([
      {
        kind: "reached",
        link: "seminar-organisation",
        filters: [
          { kind: "period", from: "2012-01-01", to: null },
          { kind: "fieldEquals", field: "campaign", value: "c1" },
        ],
      },
      { kind: "region", region: "latgale" },
      { kind: "fieldEquals", field: "kind", value: "library" },
    ]);
    expect(describeFilters(reached, t, "lv", names, "organisation")).toBe(
      "01.01.2012–… · Atver acis · Latgale · Bibliotēka",
    );
    const hotline = reportFilters({ ...EMPTY_CHOICE, figure: "hotline", region: "latgale", topic: "work-abroad" });
    expect(describeFilters(hotline, t, "lv", names, "hotline-contact")).toBe("Latgale · Darbs ārzemēs");
  });

  it("opens a figure with the report's filters, its row's and its column's", () => {
    const base = reportFilters({ ...EMPTY_CHOICE, region: "riga" });
    expect(figureFilters(base, report.rows[0]!, report.columns[2]!)).toEqual([
      { kind: "region", region: "riga" },
      { kind: "period", from: "2012-10-01", to: "2012-12-31" },
      { kind: "counts", field: "participants", code: "social-workers" },
    ]);
    expect(figureFilters(base, null, report.columns[0]!)).toEqual(base);
  });

  it("names a quarter without grouping the year's digits, and stacks target groups", () => {
    expect(rowName(report, report.rows[0]!, t)).toBe("2012. g. 4. ceturksnis");
    expect(rowName({ ...report, by: "campaign" }, { ...report.rows[0]!, key: null }, t)).toBe("Bez kampaņas");
    expect(chartSeries(report, t)).toEqual([{ name: "Sociālie darbinieki", values: [25] }]);
  });

  it("makes a spreadsheet table of what the screen shows, the total last", () => {
    expect(reportTable(report, t, "Rīga · Apmācības").title).toBe(
      "Pasākumi un dalībnieki pa ceturkšņiem (Rīga · Apmācības)",
    );
    expect(reportTable(report, t)).toEqual({
      title: "Pasākumi un dalībnieki pa ceturkšņiem",
      columns: ["Ceturksnis", "Pasākumi", "Dalībnieki", "Sociālie darbinieki"],
      rows: [
        [
          { kind: "text", value: "2012. g. 4. ceturksnis" },
          { kind: "integer", value: 2 },
          { kind: "integer", value: 25 },
          { kind: "integer", value: 25 },
        ],
        [
          { kind: "text", value: "Kopā" },
          { kind: "integer", value: 2 },
          { kind: "integer", value: 25 },
          { kind: "integer", value: 25 },
        ],
      ],
    });
  });

  it("sets a list's own controls from a figure's filters and keeps the rest fixed", () => {
    const training = reportFilters({ ...EMPTY_CHOICE, region: "riga", kind: "training" });
    const year = figureFilters(
      training,
      { key: "2012", label: null, filter: { kind: "period", from: "2012-01-01", to: "2012-12-31" }, values: [] },
      report.columns[1]!,
    );
    expect(figureList("seminar", year)).toEqual({
      values: { region: "riga", kind: "training", year: "2012" },
      fixed: [],
      counted: { field: "participants", code: null, title: "report-column-participants" },
    });
    // A target group has no control of its own; its participants are the column.
    const group = figureFilters(training, null, report.columns[2]!);
    expect(figureList("seminar", group)).toEqual({
      values: { region: "riga", kind: "training" },
      fixed: [{ kind: "counts", field: "participants", code: "social-workers" }],
      counted: { field: "participants", code: "social-workers", title: "target-group-social-workers" },
    });
    // A period that is not one whole year, and a second value for a control, stay fixed.
    const quarter = figureFilters(
      reportFilters({ ...EMPTY_CHOICE, kind: "training" }),
      report.rows[0]!,
      report.columns[0]!,
    );
    expect(figureList("seminar", [...quarter, { kind: "fieldEquals", field: "kind", value: "seminar" }])).toEqual({
      values: { kind: "training" },
      fixed: [
        { kind: "period", from: "2012-10-01", to: "2012-12-31" },
        { kind: "fieldEquals", field: "kind", value: "seminar" },
      ],
      counted: { field: "participants", code: null, title: "report-column-participants" },
    });
    // Organisations in no region, or abroad: only abroad is a choice of the control.
    expect(figureList("organisation", [{ kind: "region", region: "" }]).fixed).toEqual([
      { kind: "region", region: "" },
    ]);
    expect(figureList("organisation", [{ kind: "region", region: "abroad" }]).values).toEqual({ region: "abroad" });
    expect(describeFilters([{ kind: "region", region: "" }], t, "lv", new Map(), "organisation")).toBe("Nav norādīts");
    expect(describeFilters([{ kind: "region", region: "abroad" }], t, "lv", new Map(), "organisation")).toBe("Ārzemes");
    // Materials handed out are placed by their recipient: no control of the log says so.
    const handedOut = reportFilters({ ...EMPTY_CHOICE, figure: "distributions", region: "latgale" });
    expect(figureList("distribution", handedOut)).toEqual({ values: {}, fixed: handedOut, counted: null });
  });

  it("offers periods relative to today, then each year back to 2005", () => {
    const today = "2026-02-14";
    const presets = periodPresets(today);
    expect(presets.slice(0, 6)).toEqual(["this-year", "last-year", "this-quarter", "last-quarter", "2026", "2025"]);
    expect(presets.at(-1)).toBe("2005");
    expect(presetPeriod("this-year", today)).toEqual({ from: "2026-01-01", to: "2026-12-31" });
    expect(presetPeriod("last-year", today)).toEqual({ from: "2025-01-01", to: "2025-12-31" });
    expect(presetPeriod("this-quarter", today)).toEqual({ from: "2026-01-01", to: "2026-03-31" });
    // The quarter before the first is the last of the year before.
    expect(presetPeriod("last-quarter", today)).toEqual({ from: "2025-10-01", to: "2025-12-31" });
    expect(presetPeriod("last-quarter", "2026-08-31")).toEqual({ from: "2026-04-01", to: "2026-06-30" });
    expect(presetPeriod("2012", today)).toEqual({ from: "2012-01-01", to: "2012-12-31" });
    // A period reads as the preset it is, the relative name first.
    expect(presetOf("2026-01-01", "2026-12-31", today)).toBe("this-year");
    expect(presetOf("2012-01-01", "2012-12-31", today)).toBe("2012");
    expect(presetOf("2012-01-01", "2012-06-30", today)).toBe("");
    expect(presetOf("", "", today)).toBe("");
    expect(periodName("last-quarter", t)).toBe("Iepriekšējais ceturksnis");
    expect(periodName("2012", t)).toBe("2012");
  });
});
