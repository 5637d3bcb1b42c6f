// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { PreviewRow } from "../../lib/generated/PreviewRow";
import type { RowDecision } from "../../lib/generated/RowDecision";
import type { SourceSummary } from "../../lib/generated/SourceSummary";
import { setLocale, t } from "../../lib/i18n.svelte";
import Import from "./Import.svelte";

// The shell's side of an import: a file of three people, checked into one new row, one
// refused and one like a person already here.
const shell = vi.hoisted(() => {
  const summary: SourceSummary = {
    format: "csv",
    headers: ["Vārds, uzvārds", "Tālrunis"],
    sample: [{ line: 2, cells: ["Ilze Kalniņa", "+371 26000001"] }],
    rows: 3,
    organisation: ["name", "phones"],
    person: ["fullName", "phones"],
  };
  const rows: PreviewRow[] = [
    {
      line: 2,
      document: { fullName: "Ilze Kalniņa" },
      errors: [],
      duplicates: [],
      sameAsLine: null,
      decision: { kind: "add" },
    },
    {
      line: 3,
      document: { fullName: "Juris Bērziņš" },
      errors: [{ field: "phones.0", code: "invalid-phone" }],
      duplicates: [],
      sameAsLine: null,
      decision: { kind: "skip" },
    },
    {
      line: 4,
      document: { fullName: "Rasa Saliņa" },
      errors: [],
      duplicates: [{ id: "p1" as PreviewRow["duplicates"][0]["id"], label: "Rasa Saliņa", reasons: [] }],
      sameAsLine: null,
      decision: { kind: "merge", into: "p1" as PreviewRow["duplicates"][0]["id"] },
    },
  ];
  return { summary, rows, committed: [] as RowDecision[][], mappings: [] as (string | null)[][] };
});

vi.mock("../../lib/ipc", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../lib/ipc")>();
  return {
    ...original,
    commands: {
      ...original.commands,
      readImportFile: async () => shell.summary,
      previewImport: async (_kind: string, mapping: (string | null)[]) => {
        shell.mappings.push(mapping);
        return shell.rows;
      },
      commitImport: async (decisions: RowDecision[]) => {
        shell.committed.push(decisions);
        return {
          added: 1,
          merged: 0,
          skipped: [
            { line: 3, errors: shell.rows[1]!.errors, sameAsLine: null },
            { line: 4, errors: [], sameAsLine: null },
          ],
        };
      },
      cancelJob: async () => null,
      forgetImport: async () => null,
    },
  };
});

beforeAll(() => setLocale("lv"));

describe("Import", () => {
  it("checks a file, shows why rows are refused, and imports the decisions as changed", async () => {
    render(Import, { props: { kind: "person", ondone: () => {} } });
    const file = new File(["Vārds, uzvārds;Tālrunis\n"], "partneri.csv", { type: "text/csv" });
    await fireEvent.change(screen.getByTestId("import-file"), { target: { files: [file] } });
    await waitFor(() => expect(screen.getByTestId("import-mapping")).toBeTruthy());
    expect((screen.getByTestId("import-map-0") as HTMLSelectElement).value).toBe("fullName");

    await fireEvent.click(screen.getByTestId("import-check"));
    await waitFor(() => expect(screen.getByTestId("import-summary")).toBeTruthy());
    expect(shell.mappings).toEqual([["fullName", "phones"]]);
    // The new row needs no look; the refused one says why, in Latvian, naming the field.
    const noted = screen.getAllByTestId("import-row").map((r) => r.dataset.line);
    expect(noted).toEqual(["3", "4"]);
    const reason = screen.getByTestId("import-row-errors").textContent ?? "";
    expect(reason).toContain(t("validation-invalid-phone"));
    expect(reason).toContain(t("field-person-phones"));

    // Rasa is added to no one: skipped instead of merged.
    const decision = screen.getByTestId("import-decision") as HTMLSelectElement;
    expect(decision.value).toBe("merge:p1");
    await fireEvent.change(decision, { target: { value: "skip" } });
    await fireEvent.click(screen.getByTestId("import-confirm"));
    await waitFor(() => expect(screen.getByTestId("import-report")).toBeTruthy());
    expect(shell.committed).toEqual([[{ kind: "add" }, { kind: "skip" }, { kind: "skip" }]]);
    const skipped = screen.getByTestId("import-skipped").textContent ?? "";
    expect(skipped).toContain(t("import-skipped-by-choice"));
    expect(skipped).toContain(t("validation-invalid-phone"));
  });
});

describe("Import with many rows to look at", () => {
  it("shows them 300 at a time, each to be decided", async () => {
    const many: PreviewRow[] = Array.from({ length: 301 }, (_, i) => ({
      ...shell.rows[2]!,
      line: i + 2,
      document: { fullName: `Persona ${i}` },
    }));
    shell.rows.splice(0, shell.rows.length, ...many);
    render(Import, { props: { kind: "person", ondone: () => {} } });
    const file = new File(["x\n"], "daudzi.csv", { type: "text/csv" });
    await fireEvent.change(screen.getByTestId("import-file"), { target: { files: [file] } });
    await waitFor(() => expect(screen.getByTestId("import-check")).toBeTruthy());
    await fireEvent.click(screen.getByTestId("import-check"));
    await waitFor(() => expect(screen.getAllByTestId("import-row")).toHaveLength(300));
    expect(screen.getByTestId("import-show-more").parentElement?.textContent).toContain("1 rinda");
    await fireEvent.click(screen.getByTestId("import-show-more"));
    const last = screen.getAllByTestId("import-row").at(-1)!;
    expect(last.dataset.line).toBe("302");
    expect(last.querySelector("select")).toBeTruthy();
    expect(screen.queryByTestId("import-show-more")).toBeNull();
  });
});
