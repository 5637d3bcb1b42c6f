// Typed calls to the shell's commands (src-tauri/src/commands.rs). The types come from
// Rust through ts-rs; only the command names are spelled here.
import { invoke } from "@tauri-apps/api/core";
import type { AppInfo } from "./generated/AppInfo";
import type { CommandError } from "./generated/CommandError";
import type { ErrorCode } from "./generated/ErrorCode";
import type { Locale } from "./generated/Locale";
import type { MessageId } from "./generated/MessageId";
import type { Preferences } from "./generated/Preferences";

export const commands = {
  appInfo: () => invoke<AppInfo>("app_info"),
  getPreferences: () => invoke<Preferences>("get_preferences"),
  setLanguage: (language: Locale) => invoke<Preferences>("set_language", { language }),
};

export function isCommandError(value: unknown): value is CommandError {
  return typeof value === "object" && value !== null && "code" in value && "args" in value;
}

/** The message explaining `code`; the compiler checks that every code has one. */
export function errorMessageId(code: ErrorCode): MessageId {
  return `error-${code}`;
}

/** Any rejection as a CommandError, so the UI always has a code and a message. */
export function asCommandError(value: unknown): CommandError {
  if (isCommandError(value)) return value;
  console.error(value);
  return { code: "internal", args: {}, field: null };
}
