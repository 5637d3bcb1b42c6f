// Dates and numbers as each language writes them.
//
// Dates travel as ISO `YYYY-MM-DD`; Latvian and Russian show them as 09.11.2012,
// English as 09/11/2012 (day first, as in Latvia). Numbers use the locale's grouping:
// 12 345 (a no-break space) in Latvian and Russian, 12,345 in English.
import type { Locale } from "./generated/Locale";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function formatDate(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return "";
  const m = ISO_DATE.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  return locale === "en" ? `${d}/${mo}/${y}` : `${d}.${mo}.${y}`;
}

/** Reads a date typed as 9.11.2012, 09.11.2012, 9/11/2012 or 2012-11-09; null if none. */
export function parseDate(text: string): string | null {
  const t = text.trim();
  if (ISO_DATE.test(t)) return validIso(t);
  const m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})\.?$/.exec(t);
  if (!m) return null;
  const [, d, mo, y] = m;
  return validIso(`${y}-${mo!.padStart(2, "0")}-${d!.padStart(2, "0")}`);
}

/** A time of day as typed ("9:05", "0905", "9.05", "14:30") → `HH:MM`, or null. */
export function parseTime(text: string): string | null {
  const m = /^(\d{1,2})[:.]?(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  return h < 24 && min < 60 ? `${String(h).padStart(2, "0")}:${m[2]}` : null;
}

function validIso(iso: string): string | null {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? iso : null;
}

const TAGS: Record<Locale, string> = { lv: "lv-LV", ru: "ru-RU", en: "en-GB" };

export function formatNumber(n: number, locale: Locale): string {
  // Thousands apart by a no-break space in lv/ru, so a number never breaks across lines
  // (Intl may give a narrow one, which not every font draws).
  return numberFormat(locale)
    .format(n)
    .replace(/\u202f/g, "\u00a0");
}

// One formatter per language, made once: a report's table writes out hundreds of numbers.
const numberFormats = new Map<Locale, Intl.NumberFormat>();
function numberFormat(locale: Locale): Intl.NumberFormat {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(TAGS[locale]);
    numberFormats.set(locale, format);
  }
  return format;
}

/** A timestamp (ms) as date and time, for history entries. */
export function formatDateTime(ms: number, locale: Locale): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  const iso = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${formatDate(iso, locale)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A size in bytes as each language writes it: "728,7 kB" in Latvian, "728,7 кБ" in
 * Russian, "728.7 kB" in English; thousands apart by a no-break space. */
export function formatBytes(bytes: number, locale: Locale): string {
  if (bytes < 1000 && locale === "en") return `${bytes} B`;
  const [value, unit] =
    bytes < 1000 ? [bytes, "byte"] : bytes < 1_000_000 ? [bytes / 1000, "kilobyte"] : [bytes / 1_000_000, "megabyte"];
  return new Intl.NumberFormat(TAGS[locale], { style: "unit", unit, unitDisplay: "short", maximumFractionDigits: 1 })
    .format(value)
    .replace(/\u202f/g, "\u00a0");
}

/** How far ahead of `nowMs` the moment `ms` is, as each language says it: "pēc 12
 * sekundēm", "через 2 минуты", "in 3 hours" (a moment past reads as now). */
export function formatRelative(ms: number, nowMs: number, locale: Locale): string {
  const format = new Intl.RelativeTimeFormat(TAGS[locale], { numeric: "always" });
  const seconds = Math.max(0, Math.round((ms - nowMs) / 1000));
  if (seconds < 60) return format.format(seconds, "second");
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return format.format(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (hours < 24) return format.format(hours, "hour");
  return format.format(Math.round(hours / 24), "day");
}

/** A moment's calendar date where the laptop is (ISO), not UTC's: past midnight in Rīga
 * is still yesterday in UTC. */
export function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Today on this laptop's calendar (ISO date). */
export function today(): string {
  return localDate(new Date());
}

/** The year of the NGO's first records: year choices go back to it. */
export const FIRST_YEAR = 2005;

/** The years from `year` back to [`FIRST_YEAR`], newest first, as text. */
export function yearsSinceFirst(year: number): string[] {
  return Array.from({ length: Math.max(0, year - FIRST_YEAR + 1) }, (_, i) => String(year - i));
}
