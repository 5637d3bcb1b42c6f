// The office-wide limits as this laptop applies and offers them: the idle time before
// the lock and the days without contact before a wipe. The rule is the one of
// `saite_protocol::office::stricter_limit`, which the lost-laptop policy applies in
// Rust: the stricter of the laptop's own choice and the office's, where 0 or null is
// no limit. The idle lock lives in the web view, so its side of the rule is here.

/** The idle minutes after which the app locks (0: never; null: the office set none). */
export function lockAfterMinutes(own: number, officeMax: number | null): number {
  if (officeMax === null || officeMax <= 0) return own;
  return own > 0 ? Math.min(own, officeMax) : officeMax;
}

/** Whether a choice (0: none) stays within the office's limit, so a screen offers it. */
export function allowedByOffice(choice: number, officeLimit: number | null): boolean {
  return officeLimit === null || (choice > 0 && choice <= officeLimit);
}
