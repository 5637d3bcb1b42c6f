// The interface language as reactive state. `t()` reads it, so any markup that calls
// `t()` re-renders when the language changes.
import { shippedBundles } from "./catalogue";
import { FALLBACK_LOCALE, format, type MessageArgs } from "./fluent";
import type { Locale } from "./generated/Locale";
import type { MessageId } from "./generated/MessageId";

let current = $state<Locale>(FALLBACK_LOCALE);

export const i18n = {
  get locale(): Locale {
    return current;
  },
};

export function setLocale(locale: Locale): void {
  current = locale;
  document.documentElement.lang = locale;
}

export function t(id: MessageId, args?: MessageArgs): string {
  return format(shippedBundles, current, id, args);
}
