// The follow-ups due today or overdue, for the sidebar's count. Asking also lets the app
// raise the day's desktop notification (once a day; the store keeps the day).
import { today } from "./format";
import { commands } from "./ipc";

let due = $state(0);

export const followUps = {
  get due(): number {
    return due;
  },
};

/** Counts again (after unlocking, on each screen change, and every few minutes). */
export async function checkFollowUps(): Promise<void> {
  try {
    due = (await commands.followUpReminder(today())).due;
  } catch {
    // Locked meanwhile: the count stays until the next check.
  }
}
