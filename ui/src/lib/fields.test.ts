import { describe, expect, it } from "vitest";
import { shippedBundles } from "./catalogue";
import {
  changedFields,
  EDITABLE,
  emptyValue,
  fieldErrorsByName,
  FIELDS,
  LIST_FILTERS,
  LIST_COLUMNS,
  linkEnds,
  ownedLinks,
  relatedHeading,
} from "./fields";

describe("field specs", () => {
  it("label every field with a message that exists in every locale", () => {
    for (const specs of Object.values(FIELDS)) {
      for (const spec of specs) {
        for (const locale of ["lv", "ru", "en"] as const) {
          expect(shippedBundles.get(locale)!.hasMessage(spec.label), `${spec.label} in ${locale}`).toBe(true);
        }
      }
    }
  });

  it("come from the collection specs: a screen for each collection whose spec has one", () => {
    const editable: Record<(typeof EDITABLE)[number], true> = {
      seminar: true,
      organisation: true,
      person: true,
      material: true,
      distribution: true,
      campaign: true,
      "follow-up": true,
      "hotline-contact": true,
      funder: true,
    };
    expect([...EDITABLE].sort()).toEqual(Object.keys(editable).sort());
    expect(FIELDS.seminar.map((f) => f.name).slice(0, 3)).toEqual(["title", "kind", "date"]);
    expect(FIELDS.seminar[1]!.type).toEqual({ kind: "code", list: "event-kind", required: true });
    expect(FIELDS["hotline-contact"].find((f) => f.name === "time")!.type).toEqual({ kind: "time", required: false });
    expect(FIELDS["hotline-contact"].find((f) => f.name === "notes")!.hint).toBe("hint-hotline-contact-notes");
    expect(FIELDS.organisation.find((f) => f.name === "phones")!.type).toEqual({ kind: "strings", format: "phone" });
    expect(LIST_FILTERS.person).toEqual([
      { type: "code", field: "preferredLanguage", list: "material-language", label: "field-person-preferredLanguage" },
    ]);
    expect(LIST_COLUMNS.seminar).toEqual({
      columns: ["date", "title", "municipality", "kind"],
      sort: "date",
      descending: true,
    });
  });

  it("lead through link records to the far side, both ways", () => {
    expect(linkEnds("seminar")).toEqual([
      { link: "seminar-organisation", near: "seminar", far: "organisation", to: "organisation" },
      { link: "seminar-person", near: "seminar", far: "person", to: "person" },
    ]);
    expect(linkEnds("person")).toEqual([{ link: "seminar-person", near: "person", far: "seminar", to: "seminar" }]);
    expect(linkEnds("campaign")).toEqual([
      { link: "material-campaign", near: "campaign", far: "material", to: "material" },
      { link: "campaign-funder", near: "campaign", far: "funder", to: "funder" },
    ]);
    expect(linkEnds("follow-up")).toEqual([]);
    // A link is added and removed from the record its first field names.
    expect(ownedLinks("campaign").map((e) => e.link)).toEqual(["campaign-funder"]);
    expect(ownedLinks("material").map((e) => e.link)).toEqual(["material-campaign"]);
    expect(ownedLinks("funder")).toEqual([]);
    expect(ownedLinks("person")).toEqual([]);
    for (const c of EDITABLE) {
      for (const locale of ["lv", "ru", "en"] as const) {
        expect(shippedBundles.get(locale)!.hasMessage(relatedHeading(c)), `${c} in ${locale}`).toBe(true);
      }
    }
  });

  it("start new forms from values the store accepts for absent input", () => {
    expect(emptyValue({ kind: "strings", format: "phone" })).toEqual([]);
    expect(emptyValue({ kind: "time", required: false })).toBeNull();
    expect(emptyValue({ kind: "counts", list: "target-group" })).toEqual({});
    expect(emptyValue({ kind: "reference", collection: "campaign" })).toBeNull();
    expect(emptyValue({ kind: "code", list: "municipality" })).toBeNull();
    expect(emptyValue({ kind: "code", list: "event-kind", required: true })).toBe("");
  });
});

describe("changedFields", () => {
  it("sends only what changed, comparing lists and maps by value", () => {
    const saved = { title: "A", topics: ["x"], participants: { youth: 3 }, venue: "" };
    const draft = { title: "A", topics: ["x"], participants: { youth: 4 }, venue: "Rēzekne" };
    expect(changedFields(saved, draft)).toEqual({ participants: { youth: 4 }, venue: "Rēzekne" });
  });
});

describe("fieldErrorsByName", () => {
  it("puts a nested error beside its field, first error first", () => {
    const m = fieldErrorsByName([
      { field: "participants.youth", code: "negative-count" },
      { field: "phones.1", code: "invalid-phone" },
      { field: "phones.2", code: "invalid-phone" },
      { field: "title", code: "required" },
    ]);
    expect(m.get("participants")).toBe("validation-negative-count");
    expect(m.get("phones")).toBe("validation-invalid-phone");
    expect(m.get("title")).toBe("validation-required");
  });
});
