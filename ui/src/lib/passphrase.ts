// What a new passphrase must satisfy before it is sent to the store (which refuses only
// an empty one). Returns the message to show, or null when the choice is acceptable.
import type { MessageId } from "./generated/MessageId";

export const MIN_PASSPHRASE_CHARS = 8;

export type PassphraseProblem = { id: MessageId; args?: Record<string, number> } | null;

export function checkNewPassphrase(passphrase: string, confirmation: string): PassphraseProblem {
  if ([...passphrase].length < MIN_PASSPHRASE_CHARS) {
    return { id: "passphrase-too-short", args: { min: MIN_PASSPHRASE_CHARS } };
  }
  if (passphrase !== confirmation) return { id: "passphrase-mismatch" };
  return null;
}
