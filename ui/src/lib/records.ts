// Typed calls to the record commands of the shell (src-tauri/src/commands.rs). Record
// documents are typed per collection by the generated types (Seminar, Organisation...).
import { invoke } from "@tauri-apps/api/core";
import type { Collection } from "./generated/Collection";
import type { Created } from "./generated/Created";
import type { DuplicateCandidate } from "./generated/DuplicateCandidate";
import type { HistoryEntry } from "./generated/HistoryEntry";
import type { TrailEntry } from "./generated/TrailEntry";
import type { ListPage } from "./generated/ListPage";
import type { ListQuery } from "./generated/ListQuery";
import type { MergePreview } from "./generated/MergePreview";
import type { RecordId } from "./generated/RecordId";
import type { Report } from "./generated/Report";
import type { ReportQuery } from "./generated/ReportQuery";
import type { ReferenceData } from "./generated/ReferenceData";
import type { SearchHit } from "./generated/SearchHit";
import type { StoredRecord } from "./generated/StoredRecord";

export type Document = Record<string, unknown>;

/** JSON with every non-ASCII character escaped, so it can travel in an HTTP header. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}

export const records = {
  referenceData: () => invoke<ReferenceData>("reference_data"),
  create: (collection: Collection, document: Document) => invoke<Created>("create_record", { collection, document }),
  /** All in one transaction, or none. */
  createMany: (records: [Collection, Document][]) => invoke<RecordId[]>("create_records", { records }),
  update: (id: RecordId, patch: Document) => invoke<boolean>("update_record", { id, patch }),
  remove: (id: RecordId) => invoke<null>("delete_record", { id }),
  restore: (id: RecordId) => invoke<null>("restore_record", { id }),
  get: (id: RecordId) => invoke<StoredRecord | null>("get_record", { id }),
  getMany: (ids: RecordId[]) => invoke<StoredRecord[]>("get_records", { ids }),
  referrers: (id: RecordId, collection: Collection | null = null) =>
    invoke<StoredRecord[]>("referrers", { id, collection }),
  materialOnHand: (id: RecordId) => invoke<number>("material_on_hand", { id }),
  list: (query: ListQuery) => invoke<ListPage>("list_records", { query }),
  report: (query: ReportQuery) => invoke<Report>("report", { query }),
  search: (query: string, limit: number) => invoke<SearchHit[]>("search_records", { query, limit }),
  history: (id: RecordId) => invoke<HistoryEntry[]>("record_history", { id }),
  /** The record's changes as the office's audit keeps them (needs the server). */
  trail: (id: RecordId) => invoke<TrailEntry[]>("record_trail", { id }),
  trash: (limit: number) => invoke<StoredRecord[]>("trash", { limit }),
  duplicates: (collection: Collection, document: Document, exclude: RecordId | null) =>
    invoke<DuplicateCandidate[]>("duplicate_candidates", { collection, document, exclude }),
  mergePreview: (keep: RecordId, remove: RecordId) => invoke<MergePreview>("merge_preview", { keep, remove }),
  merge: (keep: RecordId, remove: RecordId) => invoke<null>("merge_records", { keep, remove }),
  attach: async (owner: RecordId, file: File) =>
    invoke<RecordId>("attach_file", new Uint8Array(await file.arrayBuffer()), {
      headers: { "x-saite-attachment": asciiJson({ owner, fileName: file.name, mediaType: file.type }) },
    }),
  openAttachment: (id: RecordId) => invoke<null>("open_attachment", { id }),
};
