import { describe, expect, it } from "vitest";
import { activeSection, sectionById, sectionOf, SECTIONS } from "./sections";

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

  it("gives a section an empty-state message exactly when it has no screen yet", () => {
    for (const s of SECTIONS) {
      const hasScreen = s.collections.length > 0 || s.id === "settings" || s.id === "sync";
      expect(s.notReady === null, s.id).toBe(hasScreen);
    }
    expect(SECTIONS.filter((s) => s.notReady).map((s) => s.id)).toEqual(["reports"]);
  });

  it("places every record kind in one section, and highlights it for its pages", () => {
    expect(sectionOf("person")).toBe("organisations");
    expect(sectionOf("distribution")).toBe("materials");
    expect(activeSection({ page: "edit", collection: "follow-up", id: "x" })).toBe("seminars");
    expect(activeSection({ page: "trash" })).toBe("trash");
  });

  it("finds a section by id and refuses an unknown one", () => {
    expect(sectionById("reports").name).toBe("nav-reports");
    expect(() => sectionById("nope" as never)).toThrow();
  });
});
