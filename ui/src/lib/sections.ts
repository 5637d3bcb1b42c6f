// The sections of the app, in the order the navigation shows them. Each names its
// messages explicitly (typed MessageIds), so the compiler and the locale audit see them.
import type { EditableCollection } from "./fields";
import type { ImportKind } from "./generated/ImportKind";
import type { ListFilter } from "./generated/ListFilter";
import type { MessageId } from "./generated/MessageId";
import type { RecordId } from "./generated/RecordId";
import type { Role } from "./generated/Role";
import { deskAccess, ROLES } from "./desk";

export type SectionId =
  "seminars" | "organisations" | "materials" | "campaigns" | "hotline" | "reports" | "sync" | "settings" | "admin";

/** Where the app is. */
export type View =
  | { page: "home" }
  | {
      page: "section";
      section: SectionId;
      tab?: EditableCollection;
      /** The records behind a report's figure: the list shows only these. */
      preset?: ListFilter[];
    }
  | { page: "record"; collection: EditableCollection; id: RecordId }
  | {
      page: "new";
      collection: EditableCollection;
      preset?: Record<string, unknown>;
      /** Made from a seminar's page: link the new organisation to it and go back. */
      forSeminar?: RecordId;
    }
  | { page: "edit"; collection: EditableCollection; id: RecordId }
  /** One material handed out to many organisations at once. */
  | { page: "hand-out"; material?: RecordId }
  /** Organisations or people from a partner's file. */
  | { page: "import"; kind: ImportKind }
  | { page: "trash" };

export interface Section {
  id: SectionId;
  name: MessageId;
  summary: MessageId;
  /** The record lists the section shows, as tabs (first = default). */
  collections: EditableCollection[];
  /** Shown only to these roles (the server still judges every request). */
  roles?: readonly Role[];
}

export const SECTIONS: readonly Section[] = [
  {
    id: "seminars",
    name: "nav-seminars",
    summary: "section-seminars-summary",
    collections: ["seminar", "follow-up"],
  },
  {
    id: "organisations",
    name: "nav-organisations",
    summary: "section-organisations-summary",
    collections: ["organisation", "person"],
  },
  {
    id: "materials",
    name: "nav-materials",
    summary: "section-materials-summary",
    collections: ["material", "distribution"],
  },
  {
    id: "campaigns",
    name: "nav-campaigns",
    summary: "section-campaigns-summary",
    collections: ["campaign", "funder"],
  },
  {
    id: "hotline",
    name: "nav-hotline",
    summary: "section-hotline-summary",
    collections: ["hotline-contact"],
  },
  {
    id: "reports",
    name: "nav-reports",
    summary: "section-reports-summary",
    collections: [],
  },
  { id: "sync", name: "nav-sync", summary: "section-sync-summary", collections: [] },
  { id: "settings", name: "nav-settings", summary: "section-settings-summary", collections: [] },
  {
    id: "admin",
    name: "nav-admin",
    summary: "section-admin-summary",
    collections: [],
    roles: ROLES.filter((role) => deskAccess(role).read),
  },
];

/** The sections a user of `role` sees (`null`: not connected, or the role not known yet). */
export function visibleSections(role: Role | null | undefined): readonly Section[] {
  return SECTIONS.filter((s) => !s.roles || (role != null && s.roles.includes(role)));
}

/** The section a collection's records belong to. */
export function sectionOf(collection: EditableCollection): SectionId {
  return SECTIONS.find((s) => s.collections.includes(collection))?.id ?? "seminars";
}

/** The section the sidebar highlights for a view. */
export function activeSection(view: View): SectionId | "home" | "trash" {
  switch (view.page) {
    case "home":
    case "trash":
      return view.page;
    case "section":
      return view.section;
    case "hand-out":
      return "materials";
    case "import":
      return "organisations";
    default:
      return sectionOf(view.collection);
  }
}

export function sectionById(id: SectionId): Section {
  const section = SECTIONS.find((s) => s.id === id);
  if (!section) throw new Error(`unknown section ${id}`);
  return section;
}
