import { describe, expect, it } from "vitest";
import type { StoredRecord } from "./generated/StoredRecord";
import { t } from "./i18n.svelte";
import { seminarReport } from "./printed";

const seminar = {
  id: "01890a5d-ac96-774b-bcce-b302099a8057",
  collection: "seminar",
  label: "Cilvēku tirdzniecības novēršana",
  document: {
    title: "Cilvēku tirdzniecības novēršana",
    kind: "training",
    date: "2012-11-09",
    municipality: "daugavpils",
    organisedBy: "org-1",
    participants: { "social-workers": 25, teachers: 0, youth: 12 },
    notes: "Kāda lieta, kas paliek tikai datorā",
  },
  deleted: false,
  createdAtMs: 0,
  updatedAtMs: 0,
} as unknown as StoredRecord;

describe("a seminar's printed report", () => {
  it("holds its facts, participants and organisations, never its notes", () => {
    const report = seminarReport(seminar, new Map([["org-1", "Daugavpils sociālais dienests"]]), ["NVA"], t, "lv");
    expect(report.title).toBe("Cilvēku tirdzniecības novēršana");
    const [facts, , participants, , organisations] = report.blocks;
    expect(facts).toEqual({
      kind: "facts",
      facts: [
        ["Veids", "Apmācības"],
        ["Datums", "09.11.2012"],
        ["Pašvaldība", "Daugavpils"],
        ["Organizators", "Daugavpils sociālais dienests"],
      ],
    });
    expect(JSON.stringify(report)).not.toContain("paliek tikai datorā");
    expect(participants?.kind === "table" && participants.table.rows).toEqual([
      [
        { kind: "text", value: "Sociālie darbinieki" },
        { kind: "integer", value: 25 },
      ],
      [
        { kind: "text", value: "Jaunieši" },
        { kind: "integer", value: 12 },
      ],
      [
        { kind: "text", value: "Kopā" },
        { kind: "integer", value: 37 },
      ],
    ]);
    expect(organisations).toEqual({ kind: "paragraph", text: "NVA" });
  });
});
