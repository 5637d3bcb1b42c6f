import { describe, expect, it } from "vitest";
import type { Report } from "./generated/Report";
import { t } from "./i18n.svelte";
import {
  chartSeries,
  describeFilters,
  EMPTY_CHOICE,
  figureFilters,
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
});
