// Sync as the UI shows it: the status the shell reports (polled, so no event
// permissions are needed), and the one-line summary the indicator and the Sync screen
// share.
//
// Invariant: "verified" is shown only when the last round's checksums matched the
// server's and nothing waits to be sent; the app never says "synced" when it is not.
import type { MessageArgs } from "./fluent";
import type { Collection } from "./generated/Collection";
import type { MessageId } from "./generated/MessageId";
import type { SyncFailureCode } from "./generated/SyncFailureCode";
import type { SyncProgress } from "./generated/SyncProgress";
import type { SyncStatus } from "./generated/SyncStatus";
import { commands } from "./ipc";

/** How the indicator colours the state. */
export type SyncTone = "ok" | "busy" | "waiting" | "problem" | "off";

export interface SyncSummary {
  tone: SyncTone;
  text: MessageId;
  args?: MessageArgs;
}

export function shortFailure(code: SyncFailureCode): MessageId {
  return `sync-short-${code}`;
}

export function collectionName(c: Collection): MessageId {
  return `sync-collection-${c}`;
}

/**
 * The one story every sync view tells (indicator, Home, Sync screen), worked out from
 * the one state the shell reports: the headline, the progress bar (only while a round
 * runs) and what still waits, all counted in records. Progress and a failure come from
 * the phase itself, so a failure is never shown beside a running round.
 */
export interface SyncStory extends SyncSummary {
  /** While a round runs: how far (null when it cannot be told) and the bytes moved. */
  progress: { fraction: number | null; bytes: number } | null;
  /** The records still waiting to be sent. */
  pending: { text: MessageId; args?: MessageArgs };
}

export function syncStory(status: SyncStatus): SyncStory {
  const pending =
    status.pending > 0
      ? { text: "sync-state-pending" as const, args: { count: status.pending } }
      : { text: "sync-pending-none" as const };
  const headline = summarize(status);
  const progress =
    status.phase === "syncing" ? { fraction: roundFraction(status.progress), bytes: status.progress.bytes } : null;
  return { ...headline, progress, pending };
}

/** The headline alone (the indicator's first line, Home's sync line). */
export function summarize(status: SyncStatus): SyncSummary {
  switch (status.phase) {
    case "locked":
      return { tone: "off", text: "sync-state-locked" };
    case "local-only":
      return { tone: "off", text: "sync-state-local-only" };
    case "syncing":
      return { tone: "busy", ...roundHeadline(status.progress) };
    case "failed":
      return { tone: "problem", text: shortFailure(status.failure.code) };
    case "idle":
      if (status.conflicts > 0)
        return { tone: "waiting", text: "sync-state-conflicts", args: { count: status.conflicts } };
      if (status.pending > 0) return { tone: "waiting", text: "sync-state-pending", args: { count: status.pending } };
      switch (status.verification) {
        case "verified":
          return { tone: "ok", text: "sync-state-verified" };
        case "repaired":
          return { tone: "ok", text: "sync-state-repaired" };
        case "changed-meanwhile":
          return { tone: "waiting", text: "sync-state-changed-meanwhile" };
        case "mismatch":
          return { tone: "problem", text: "sync-state-mismatch" };
        default:
          return { tone: "waiting", text: "sync-state-not-yet" };
      }
  }
}

/** What a running round does now, in words and records. */
function roundHeadline(p: SyncProgress): { text: MessageId; args?: MessageArgs } {
  switch (p.stage) {
    case "sending":
      return p.toPush > 0
        ? { text: "sync-sending", args: { done: p.pushed, total: p.toPush } }
        : { text: "sync-state-syncing" };
    case "receiving":
      if (p.toPull === null) return { text: "sync-receiving-uncounted" };
      return p.toPull > 0
        ? { text: "sync-receiving", args: { done: p.pulled, total: p.toPull } }
        : { text: "sync-state-syncing" };
    case "checking":
      return { text: "sync-checking" };
    case "files":
      return { text: "sync-files" };
  }
}

/** How far the stage a round is in has got, in [0, 1]; null when it cannot be told. */
function roundFraction(p: SyncProgress): number | null {
  if (p.stage === "sending" && p.toPush > 0) return Math.min(1, p.pushed / p.toPush);
  if (p.stage === "receiving" && p.toPull) return Math.min(1, p.pulled / p.toPull);
  return null;
}

/**
 * Records a first sync is still bringing: while a laptop that never finished a sync
 * receives, its lists must say the records are on their way, not that there are none.
 * Null otherwise.
 */
export function firstPull(status: SyncStatus | null): { done: number; total: number | null } | null {
  if (!status?.account || status.lastSuccessMs !== null) return null;
  // Connected and never synced: the first round is about to begin.
  if (status.phase === "idle") return { done: 0, total: null };
  if (status.phase !== "syncing") return null;
  const p = status.progress;
  // Nothing to bring (an empty office): no "0 of 0".
  return { done: p.pulled, total: p.stage === "sending" || p.toPull === 0 ? null : p.toPull };
}

/**
 * What to tell the user about this laptop's clock: null when it is near the server's;
 * otherwise the warning, with how far off it is in minutes, hours or days.
 * `amount` is a message of its own, to be translated and passed in.
 */
export function clockWarning(skewMs: number | null): { text: MessageId; amount: MessageId; count: number } | null {
  if (skewMs === null || skewMs === 0) return null;
  const off = Math.abs(skewMs);
  const minute = 60_000;
  const hour = 60 * minute;
  const [amount, count]: [MessageId, number] =
    off < 2 * hour
      ? ["sync-clock-minutes", Math.round(off / minute)]
      : off < 48 * hour
        ? ["sync-clock-hours", Math.round(off / hour)]
        : ["sync-clock-days", Math.round(off / (24 * hour))];
  return { text: skewMs > 0 ? "sync-clock-ahead" : "sync-clock-behind", amount, count };
}

export const sync = $state<{ status: SyncStatus | null }>({ status: null });

/**
 * Polls the shell's sync status: every second during a round, every three otherwise.
 * `onstatus` sees each status (the app re-reads the store state when the store was
 * wiped or locked under it). Returns a stop function.
 */
export function watchSync(onstatus: (s: SyncStatus) => void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    try {
      const status = await commands.syncStatus();
      if (stopped) return;
      sync.status = status;
      onstatus(status);
    } catch (e) {
      console.error(e);
    }
    if (!stopped) timer = setTimeout(tick, sync.status?.phase === "syncing" ? 1000 : 3000);
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Reads the status at once (after "Sync now", connecting...). */
export async function refreshSync(): Promise<SyncStatus> {
  const status = await commands.syncStatus();
  sync.status = status;
  return status;
}
