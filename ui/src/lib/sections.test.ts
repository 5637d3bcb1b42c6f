import { describe, expect, it } from "vitest";
import { sectionById, SECTIONS } from "./sections";

describe("sections", () => {
  it("lists the seven sections in the order the home screen shows them", () => {
    expect(SECTIONS.map((s) => s.id)).toEqual([
      "seminars",
      "organisations",
      "materials",
      "campaigns",
      "reports",
      "sync",
      "settings",
    ]);
  });

  it("gives every section not built yet an empty-state message, and Settings none", () => {
    for (const s of SECTIONS) {
      expect(s.notReady === null, s.id).toBe(s.id === "settings");
    }
  });

  it("finds a section by id and refuses an unknown one", () => {
    expect(sectionById("reports").name).toBe("nav-reports");
    expect(() => sectionById("nope" as never)).toThrow();
  });
});
