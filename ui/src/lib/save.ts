// What a screen can save a file as: a table's formats (ExportFormat, from Rust), cards
// for an address book, a printed report.
import type { ExportFormat } from "./generated/ExportFormat";

export type SaveFormat = ExportFormat | "vcard" | "pdf";

/** A table's formats, in the order the buttons show them. */
export const TABLE_FORMATS: readonly SaveFormat[] = ["csv", "csv-excel-lv", "xlsx"];

/** The table format `format` is, or null for cards and PDFs. */
export function tableFormat(format: SaveFormat): ExportFormat | null {
  return format === "vcard" || format === "pdf" ? null : format;
}
