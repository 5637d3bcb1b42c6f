// The sections of the app, in the order the navigation shows them. Each names its
// messages explicitly (typed MessageIds), so the compiler and the locale audit see them.
import type { MessageId } from "./generated/MessageId";

export type SectionId =
  | "seminars"
  | "organisations"
  | "materials"
  | "campaigns"
  | "reports"
  | "sync"
  | "settings";

export type Route = "home" | SectionId;

export interface Section {
  id: SectionId;
  name: MessageId;
  summary: MessageId;
  /** What the section says while it is not built; null once it is. */
  notReady: MessageId | null;
}

export const SECTIONS: readonly Section[] = [
  { id: "seminars", name: "nav-seminars", summary: "section-seminars-summary", notReady: "section-seminars-not-ready" },
  {
    id: "organisations",
    name: "nav-organisations",
    summary: "section-organisations-summary",
    notReady: "section-organisations-not-ready",
  },
  { id: "materials", name: "nav-materials", summary: "section-materials-summary", notReady: "section-materials-not-ready" },
  { id: "campaigns", name: "nav-campaigns", summary: "section-campaigns-summary", notReady: "section-campaigns-not-ready" },
  { id: "reports", name: "nav-reports", summary: "section-reports-summary", notReady: "section-reports-not-ready" },
  { id: "sync", name: "nav-sync", summary: "section-sync-summary", notReady: "section-sync-not-ready" },
  { id: "settings", name: "nav-settings", summary: "section-settings-summary", notReady: null },
];

export function sectionById(id: SectionId): Section {
  const section = SECTIONS.find((s) => s.id === id);
  if (!section) throw new Error(`unknown section ${id}`);
  return section;
}
