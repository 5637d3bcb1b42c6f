// A stored field value as text for lists and pages.
import type { FieldSpec } from "./fields";
import { codeMessage } from "./fields";
import type { Collection } from "./generated/Collection";
import { COLLECTION_SPECS } from "./generated/collectionSpecs";
import { formatDate, formatNumber } from "./format";
import type { Locale } from "./generated/Locale";
import type { MessageId } from "./generated/MessageId";
import type { MessageArgs } from "./fluent";

export type Translate = (id: MessageId, args?: MessageArgs) => string;

/** `labels` maps referenced record ids to their names. */
export function displayValue(
  spec: FieldSpec,
  value: unknown,
  locale: Locale,
  t: Translate,
  labels: ReadonlyMap<string, string> = new Map(),
): string {
  if (value === null || value === undefined) return "";
  switch (spec.type.kind) {
    case "date":
      return formatDate(String(value), locale);
    case "code":
      return value === "" ? "" : t(codeMessage(spec.type.list, String(value)));
    case "number":
      return typeof value === "number" ? formatNumber(value, locale) : String(value);
    case "bool":
      return value ? t("yes") : t("no");
    case "strings":
      return Array.isArray(value) ? value.join(", ") : "";
    case "counts": {
      const list = spec.type.list;
      return Object.entries((value ?? {}) as Record<string, number>)
        .map(([code, n]) => `${t(codeMessage(list, code))}: ${formatNumber(n, locale)}`)
        .join("; ");
    }
    case "reference":
      return labels.get(String(value)) ?? "…";
    default:
      return String(value);
  }
}

/** Sum of a counts field (participants in total). */
export function total(counts: unknown): number {
  return Object.values((counts ?? {}) as Record<string, number>).reduce((a, b) => a + (Number(b) || 0), 0);
}

/** A record's label as shown: a date label (a distribution's, a hotline contact's) in the
 * locale's way of writing dates. */
export function shownLabel(collection: Collection, label: string, locale: Locale): string {
  const spec = COLLECTION_SPECS[collection];
  const kind = spec.fields.find((f) => f.name === spec.label)?.kind.kind;
  return kind === "date" ? formatDate(label, locale) : label;
}
