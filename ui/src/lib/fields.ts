// How each record type's fields are edited and shown, derived from the collection specs
// (generated from saite-domain's `spec.rs`); labels are `field-<collection>-<name>` messages.
import type { CodeList } from "./generated/CodeList";
import type { Collection } from "./generated/Collection";
import type { MessageId } from "./generated/MessageId";
import type { FieldSpec as SpecField } from "./generated/FieldSpec";
import type { ScreenSpec } from "./generated/ScreenSpec";
import { COLLECTION_SPECS, type ScreenCollection } from "./generated/collectionSpecs";

export type FieldKind =
  | { kind: "text"; required?: boolean }
  | { kind: "textarea" }
  | { kind: "code"; list: CodeList; required?: boolean }
  | { kind: "date"; required?: boolean }
  | { kind: "time"; required?: boolean }
  | { kind: "number"; required?: boolean }
  | { kind: "bool" }
  | { kind: "strings"; format: "phone" | "email" | "text" }
  | { kind: "counts"; list: CodeList }
  | { kind: "reference"; collection: Collection; required?: boolean };

export interface FieldSpec {
  name: string;
  label: MessageId;
  type: FieldKind;
  /** A line under the input saying what (not) to write there. */
  hint?: MessageId;
}

/** The fields whose forms carry a hint, by `collection.field`. */
const FIELD_HINTS: Partial<Record<string, MessageId>> = {
  "hotline-contact.notes": "hint-hotline-contact-notes",
};

/** The collections with their own list, page and form: those whose spec has a screen. */
export type EditableCollection = ScreenCollection;

/** The collections whose spec gives them a screen, in the specs' order (the app's). */
export const EDITABLE: EditableCollection[] = (Object.keys(COLLECTION_SPECS) as Collection[]).filter(
  (c): c is EditableCollection => COLLECTION_SPECS[c].list.screen !== null,
);

/** How the form edits a field of the kind its spec gives. */
function formKind(spec: SpecField): FieldKind {
  const required = spec.required;
  const kind = spec.kind;
  switch (kind.kind) {
    case "text":
      return { kind: "text", required };
    case "long-text":
      return { kind: "textarea" };
    case "code":
      return { kind: "code", list: kind.list, required };
    case "date":
      return { kind: "date", required };
    case "time":
      return { kind: "time", required };
    case "integer":
      return { kind: "number", required };
    case "bool":
      return { kind: "bool" };
    case "texts":
      return { kind: "strings", format: "text" };
    case "phones":
      return { kind: "strings", format: "phone" };
    case "emails":
      return { kind: "strings", format: "email" };
    case "counts":
      return { kind: "counts", list: kind.list };
    case "reference":
      return { kind: "reference", collection: kind.collection, required };
    default:
      // Attachments' own fields (any-reference, collection-name, content-address) are
      // never edited in a form: the app fills them in.
      return { kind: "text", required };
  }
}

/** Each editable collection's fields, in its spec's order, as its form edits them. */
export const FIELDS = Object.fromEntries(
  EDITABLE.map((c) => [
    c,
    COLLECTION_SPECS[c].fields.map((field): FieldSpec => ({
      name: field.name,
      label: `field-${c}-${field.name}` as MessageId,
      type: formKind(field),
      hint: FIELD_HINTS[`${c}.${field.name}`],
    })),
  ]),
) as Record<EditableCollection, FieldSpec[]>;

/** The name of a reference-data code, e.g. municipality daugavpils → "Daugavpils". */
export function codeMessage(list: CodeList, code: string): MessageId {
  // Every code of every list has this message in every locale: the Rust test
  // `every_code_has_a_name_in_every_locale` guarantees it.
  return `${list}-${code}` as MessageId;
}

/** The value a new, empty form starts from. */
export function emptyValue(type: FieldKind): unknown {
  switch (type.kind) {
    case "strings":
      return [];
    case "counts":
      return {};
    case "bool":
      return false;
    case "number":
      return type.required ? null : 0;
    case "reference":
    case "date":
    case "time":
      return null;
    case "code":
      return type.required ? "" : null;
    default:
      return "";
  }
}

/** Whether two field values are the same (for unsaved-change detection). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The fields of `draft` that differ from `saved`. */
export function changedFields(saved: Record<string, unknown>, draft: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(draft)) {
    if (!sameValue(saved[k], v)) patch[k] = v;
  }
  return patch;
}

/** Messages for the store's validation codes beside a field. */
export function fieldErrorsByName(errors: { field: string; code: string }[]): Map<string, MessageId> {
  const byField = new Map<string, MessageId>();
  for (const e of errors) {
    // "participants.youth" and "phones.1" belong to the field before the dot.
    const name = e.field.split(".")[0] ?? e.field;
    if (!byField.has(name)) byField.set(name, `validation-${e.code}` as MessageId);
  }
  return byField;
}

function screenOf(c: EditableCollection): ScreenSpec {
  const screen = COLLECTION_SPECS[c].list.screen;
  if (!screen) throw new Error(`${c} has no screen`);
  return screen;
}

/** The columns of each list, by field name, and the default sort. */
export const LIST_COLUMNS = Object.fromEntries(
  EDITABLE.map((c) => {
    const screen = screenOf(c);
    return [c, { columns: screen.columns, sort: screen.sort, descending: screen.descending }];
  }),
) as Record<EditableCollection, { columns: string[]; sort: string | null; descending: boolean }>;

export type FilterSpec =
  | { type: "region" }
  | { type: "year" }
  | { type: "open"; field: string }
  | { type: "mine"; field: string }
  | { type: "code"; field: string; list: CodeList; label: MessageId };

/** The filters each list offers; a code filter's list is its field's. */
export const LIST_FILTERS = Object.fromEntries(
  EDITABLE.map((c) => [
    c,
    screenOf(c).filters.map((filter): FilterSpec => {
      if (filter.type !== "code") return filter;
      const kind = COLLECTION_SPECS[c].fields.find((f) => f.name === filter.field)?.kind;
      if (kind?.kind !== "code") throw new Error(`${c}.${filter.field} is not a code field`);
      return { type: "code", field: filter.field, list: kind.list, label: `field-${c}-${filter.field}` as MessageId };
    }),
  ]),
) as Record<EditableCollection, FilterSpec[]>;

/** The message naming a new record of the collection ("Jauns seminārs"). */
export const NEW_RECORD: Record<EditableCollection, MessageId> = {
  seminar: "new-seminar",
  organisation: "new-organisation",
  person: "new-person",
  material: "new-material",
  distribution: "new-distribution",
  campaign: "new-campaign",
  "follow-up": "new-follow-up",
  "hotline-contact": "new-hotline-contact",
  funder: "new-funder",
};

export const COLLECTION_NAME: Record<EditableCollection, MessageId> = {
  seminar: "collection-seminar",
  organisation: "collection-organisation",
  person: "collection-person",
  material: "collection-material",
  distribution: "collection-distribution",
  campaign: "collection-campaign",
  "follow-up": "collection-follow-up",
  "hotline-contact": "collection-hotline-contact",
  funder: "collection-funder",
};

export function isEditable(c: Collection): c is EditableCollection {
  return c in FIELDS;
}

export function specOf(collection: EditableCollection, name: string): FieldSpec | undefined {
  return FIELDS[collection].find((s) => s.name === name);
}

/** The tab naming a list of the collection ("Semināri"). */
export const TAB_NAME: Record<EditableCollection, MessageId> = {
  seminar: "tab-seminar",
  organisation: "tab-organisation",
  person: "tab-person",
  material: "tab-material",
  distribution: "tab-distribution",
  campaign: "tab-campaign",
  "follow-up": "tab-follow-up",
  "hotline-contact": "tab-hotline-contact",
  funder: "tab-funder",
};

/** A way from a record of one collection to records of another through link records
 * (a link's spec has no label and two references): the link collection, the field
 * naming the near record and the field naming the far one. */
export interface LinkEnd {
  link: Collection;
  near: string;
  far: string;
  to: Collection;
}

/** The link ends whose links are added and removed on the page of a record of `c`: a
 * link with no fields but its two references belongs to the record its first field
 * names (a material's campaigns, a campaign's funders); the other end lists it. */
export function ownedLinks(c: Collection): LinkEnd[] {
  return linkEnds(c).filter((e) => {
    const fields = COLLECTION_SPECS[e.link].fields;
    return fields.length === 2 && fields[0]!.name === e.near;
  });
}

/** The ways link records lead from a record of `c` to others, read from the specs. */
export function linkEnds(c: Collection): LinkEnd[] {
  const ends: LinkEnd[] = [];
  for (const link of Object.keys(COLLECTION_SPECS) as Collection[]) {
    const spec = COLLECTION_SPECS[link];
    const refs = spec.fields.flatMap((f) =>
      f.kind.kind === "reference" ? [{ name: f.name, to: f.kind.collection }] : [],
    );
    const [a, b] = refs;
    if (spec.label !== null || refs.length !== 2 || !a || !b) continue;
    if (a.to === c) ends.push({ link, near: a.name, far: b.name, to: b.to });
    if (b.to === c) ends.push({ link, near: b.name, far: a.name, to: a.to });
  }
  return ends;
}

/** The heading of a record page's section listing records of `c` ("Pasākumi"). */
export function relatedHeading(c: EditableCollection): MessageId {
  return `related-${c}` as MessageId;
}
