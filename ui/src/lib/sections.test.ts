import { describe, expect, it } from "vitest";
import { activeSection, sectionById, sectionOf, SECTIONS, visibleSections } from "./sections";

describe("sections", () => {
  it("lists the nine sections in the order the home screen shows them", () => {
    expect(SECTIONS.map((s) => s.id)).toEqual([
      "seminars",
      "organisations",
      "materials",
      "campaigns",
      "hotline",
      "reports",
      "sync",
      "settings",
      "admin",
    ]);
  });

  it("shows Administration to coordinators and administrators only", () => {
    const ids = (role: Parameters<typeof visibleSections>[0]) => visibleSections(role).map((s) => s.id);
    for (const role of [null, undefined, "consultant"] as const) {
      expect(ids(role)).not.toContain("admin");
      expect(ids(role)).toHaveLength(8);
    }
    expect(ids("coordinator")).toContain("admin");
    expect(ids("admin")).toEqual(SECTIONS.map((s) => s.id));
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
