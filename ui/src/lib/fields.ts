// How each record type's fields are edited and shown. The field names are those of the
// generated record types; labels are `field-<collection>-<name>` messages.
import type { CodeList } from "./generated/CodeList";
import type { Collection } from "./generated/Collection";
import type { MessageId } from "./generated/MessageId";

export type FieldKind =
  | { kind: "text"; required?: boolean }
  | { kind: "textarea" }
  | { kind: "code"; list: CodeList; required?: boolean }
  | { kind: "date"; required?: boolean }
  | { kind: "number"; required?: boolean }
  | { kind: "bool" }
  | { kind: "strings"; format: "phone" | "email" | "text" }
  | { kind: "counts"; list: CodeList }
  | { kind: "reference"; collection: Collection; required?: boolean };

export interface FieldSpec {
  name: string;
  label: MessageId;
  type: FieldKind;
}

/** The collections with their own list, page and form. */
export type EditableCollection =
  "seminar" | "organisation" | "person" | "material" | "distribution" | "campaign" | "follow-up";

const f = (collection: EditableCollection, name: string, type: FieldKind): FieldSpec => ({
  name,
  label: `field-${collection}-${name}` as MessageId,
  type,
});

export const FIELDS: Record<EditableCollection, FieldSpec[]> = {
  seminar: [
    f("seminar", "title", { kind: "text", required: true }),
    f("seminar", "kind", { kind: "code", list: "event-kind", required: true }),
    f("seminar", "date", { kind: "date", required: true }),
    f("seminar", "endDate", { kind: "date" }),
    f("seminar", "municipality", { kind: "code", list: "municipality", required: true }),
    f("seminar", "venue", { kind: "text" }),
    f("seminar", "organiser", { kind: "text" }),
    f("seminar", "campaign", { kind: "reference", collection: "campaign" }),
    f("seminar", "topics", { kind: "strings", format: "text" }),
    f("seminar", "participants", { kind: "counts", list: "target-group" }),
    f("seminar", "notes", { kind: "textarea" }),
  ],
  organisation: [
    f("organisation", "name", { kind: "text", required: true }),
    f("organisation", "kind", { kind: "code", list: "organisation-kind", required: true }),
    f("organisation", "municipality", { kind: "code", list: "municipality" }),
    f("organisation", "address", { kind: "text" }),
    f("organisation", "phones", { kind: "strings", format: "phone" }),
    f("organisation", "emails", { kind: "strings", format: "email" }),
    f("organisation", "website", { kind: "text" }),
    f("organisation", "coalitionMember", { kind: "bool" }),
    f("organisation", "notes", { kind: "textarea" }),
  ],
  person: [
    f("person", "fullName", { kind: "text", required: true }),
    f("person", "organisation", { kind: "reference", collection: "organisation" }),
    f("person", "position", { kind: "text" }),
    f("person", "phones", { kind: "strings", format: "phone" }),
    f("person", "emails", { kind: "strings", format: "email" }),
    f("person", "preferredLanguage", { kind: "code", list: "material-language" }),
    f("person", "municipality", { kind: "code", list: "municipality" }),
    f("person", "lastContactedOn", { kind: "date" }),
    f("person", "legalBasis", { kind: "code", list: "legal-basis", required: true }),
    f("person", "basisConfirmedOn", { kind: "date", required: true }),
    f("person", "notes", { kind: "textarea" }),
  ],
  material: [
    f("material", "title", { kind: "text", required: true }),
    f("material", "kind", { kind: "code", list: "material-kind", required: true }),
    f("material", "description", { kind: "textarea" }),
    f("material", "stock", { kind: "number" }),
  ],
  distribution: [
    f("distribution", "material", { kind: "reference", collection: "material", required: true }),
    f("distribution", "organisation", { kind: "reference", collection: "organisation", required: true }),
    f("distribution", "seminar", { kind: "reference", collection: "seminar" }),
    f("distribution", "quantity", { kind: "number", required: true }),
    f("distribution", "date", { kind: "date", required: true }),
    f("distribution", "method", { kind: "code", list: "distribution-method", required: true }),
    f("distribution", "notes", { kind: "textarea" }),
  ],
  campaign: [
    f("campaign", "name", { kind: "text", required: true }),
    f("campaign", "kind", { kind: "code", list: "campaign-kind", required: true }),
    f("campaign", "startsOn", { kind: "date" }),
    f("campaign", "endsOn", { kind: "date" }),
    f("campaign", "funders", { kind: "strings", format: "text" }),
    f("campaign", "description", { kind: "textarea" }),
  ],
  "follow-up": [
    f("follow-up", "title", { kind: "text", required: true }),
    f("follow-up", "seminar", { kind: "reference", collection: "seminar" }),
    f("follow-up", "organisation", { kind: "reference", collection: "organisation" }),
    f("follow-up", "person", { kind: "reference", collection: "person" }),
    f("follow-up", "owner", { kind: "text", required: true }),
    f("follow-up", "dueOn", { kind: "date" }),
    f("follow-up", "done", { kind: "bool" }),
    f("follow-up", "notes", { kind: "textarea" }),
  ],
};

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

/** The columns of each list, by field name, and the default sort. */
export const LIST_COLUMNS: Record<EditableCollection, { columns: string[]; sort: string | null; descending: boolean }> =
  {
    seminar: { columns: ["date", "title", "municipality", "kind"], sort: "date", descending: true },
    organisation: { columns: ["name", "kind", "municipality"], sort: "name", descending: false },
    person: { columns: ["fullName", "organisation", "position", "phones"], sort: "fullName", descending: false },
    material: { columns: ["title", "kind", "stock"], sort: "title", descending: false },
    distribution: { columns: ["date", "material", "organisation", "quantity"], sort: "date", descending: true },
    campaign: { columns: ["name", "kind", "startsOn"], sort: "name", descending: false },
    "follow-up": { columns: ["dueOn", "title", "owner", "done"], sort: "dueOn", descending: false },
  };

export type FilterSpec =
  | { type: "region" }
  | { type: "year" }
  | { type: "open"; field: string }
  | { type: "mine"; field: string }
  | { type: "code"; field: string; list: CodeList; label: MessageId };

/** The filters each list offers. */
export const LIST_FILTERS: Record<EditableCollection, FilterSpec[]> = {
  seminar: [
    { type: "region" },
    { type: "code", field: "municipality", list: "municipality", label: "field-seminar-municipality" },
    { type: "year" },
    { type: "code", field: "kind", list: "event-kind", label: "field-seminar-kind" },
  ],
  organisation: [
    { type: "region" },
    { type: "code", field: "kind", list: "organisation-kind", label: "field-organisation-kind" },
  ],
  person: [
    { type: "code", field: "preferredLanguage", list: "material-language", label: "field-person-preferredLanguage" },
  ],
  material: [{ type: "code", field: "kind", list: "material-kind", label: "field-material-kind" }],
  distribution: [
    { type: "year" },
    { type: "code", field: "method", list: "distribution-method", label: "field-distribution-method" },
  ],
  campaign: [{ type: "code", field: "kind", list: "campaign-kind", label: "field-campaign-kind" }],
  "follow-up": [{ type: "open", field: "done" }, { type: "mine", field: "owner" }, { type: "year" }],
};

/** The message naming a new record of the collection ("Jauns seminārs"). */
export const NEW_RECORD: Record<EditableCollection, MessageId> = {
  seminar: "new-seminar",
  organisation: "new-organisation",
  person: "new-person",
  material: "new-material",
  distribution: "new-distribution",
  campaign: "new-campaign",
  "follow-up": "new-follow-up",
};

export const COLLECTION_NAME: Record<EditableCollection, MessageId> = {
  seminar: "collection-seminar",
  organisation: "collection-organisation",
  person: "collection-person",
  material: "collection-material",
  distribution: "collection-distribution",
  campaign: "collection-campaign",
  "follow-up": "collection-follow-up",
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
};
