import { describe, expect, it } from "vitest";
import { activeSection, sectionById, sectionOf, SECTIONS } from "./sections";

describe("sections", () => {
  it("lists the eight sections in the order the home screen shows them", () => {
    expect(SECTIONS.map((s) => s.id)).toEqual([
      "seminars",
      "organisations",
      "materials",
      "campaigns",
      "hotline",
      "reports",
      "sync",
      "settings",
    ]);
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
