// Fluent bundles built from the same locales/*.ftl files the Rust side embeds.
//
// Glossary: a *bundle* holds one locale's messages; *format* looks a message up in the
// chosen locale, then in Latvian (the fallback), and shows the bare id only when no
// locale has it (the locale audit keeps that from shipping).
import { FluentBundle, FluentResource, type FluentVariable } from "@fluent/bundle";
import type { Locale } from "./generated/Locale";
import type { MessageId } from "./generated/MessageId";

export const LOCALES: readonly Locale[] = ["lv", "ru", "en"];
export const FALLBACK_LOCALE: Locale = "lv";

export type MessageArgs = Record<string, FluentVariable>;
export type Bundles = ReadonlyMap<Locale, FluentBundle>;

function isLocale(tag: string): tag is Locale {
  return (LOCALES as readonly string[]).includes(tag);
}

/**
 * Builds one bundle per locale from `{ ".../locales/<tag>/<file>.ftl": text }`.
 * Throws on an id defined twice: a broken catalogue must fail tests, not render half a
 * screen. (FluentResource skips unparsable entries silently; the Rust locale audit
 * rejects such files before they ship.)
 */
export function buildBundles(sources: Record<string, string>): Bundles {
  const bundles = new Map<Locale, FluentBundle>();
  for (const [path, text] of Object.entries(sources).sort(([a], [b]) => a.localeCompare(b))) {
    const tag = /locales\/([^/]+)\/[^/]+\.ftl$/.exec(path)?.[1];
    if (!tag || !isLocale(tag)) throw new Error(`${path} is not under locales/<lv|ru|en>/`);
    let bundle = bundles.get(tag);
    if (!bundle) {
      // No bidi isolation marks: every Saite language is left-to-right, and the marks
      // would end up in copied text and test matchers.
      bundle = new FluentBundle(tag, { useIsolating: false });
      bundles.set(tag, bundle);
    }
    const resource = new FluentResource(text);
    const errors = bundle.addResource(resource);
    if (errors.length > 0) throw new Error(`${path}: ${errors.map(String).join("; ")}`);
  }
  return bundles;
}

export function format(bundles: Bundles, locale: Locale, id: MessageId, args?: MessageArgs): string {
  for (const candidate of [locale, FALLBACK_LOCALE]) {
    const bundle = bundles.get(candidate);
    const message = bundle?.getMessage(id);
    if (bundle && message?.value) {
      const errors: Error[] = [];
      const text = bundle.formatPattern(message.value, args ?? null, errors);
      if (errors.length === 0) return text;
      console.warn(`message ${id} in ${candidate}:`, errors);
      return text;
    }
  }
  return id;
}
