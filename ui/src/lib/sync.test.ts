import { describe, expect, it } from "vitest";
import type { SyncStatus } from "./generated/SyncStatus";
import { shippedBundles } from "./catalogue";
import { format } from "./fluent";
import type { SyncProgress } from "./generated/SyncProgress";
import { clockWarning, firstPull, summarize, syncStory } from "./sync.svelte";

function status(over: Partial<SyncStatus>): SyncStatus {
  return {
    phase: "idle",
    account: { server: "https://s.lv", email: "a@b.lv", organisation: "Org" },
    pending: 0,
    conflicts: 0,
    lastSuccessMs: null,
    verification: null,
    repulled: [],
    mismatched: [],
    massDelete: null,
    wipeAfterDays: null,
    lastContactMs: null,
    autoDownloadBytes: 5_000_000,
    clockSkewMs: null,
    ...over,
  } as SyncStatus;
}

const round = (over: Partial<SyncProgress>): SyncProgress => ({
  stage: "sending",
  toPush: 0,
  pushed: 0,
  toPull: null,
  pulled: 0,
  bytes: 0,
  ...over,
});

describe("the sync summary", () => {
  it("says verified only when the checksums matched and nothing waits", () => {
    expect(summarize(status({ verification: "verified" }))).toEqual({ tone: "ok", text: "sync-state-verified" });
    expect(summarize(status({ verification: "verified", pending: 3 }))).toEqual({
      tone: "waiting",
      text: "sync-state-pending",
      args: { count: 3 },
    });
    expect(summarize(status({ verification: "mismatch" })).tone).toBe("problem");
    expect(summarize(status({ verification: "verified", conflicts: 1 }))).toEqual({
      tone: "waiting",
      text: "sync-state-conflicts",
      args: { count: 1 },
    });
    expect(summarize(status({ verification: "changed-meanwhile" })).tone).toBe("waiting");
    expect(summarize(status({ verification: null })).text).toBe("sync-state-not-yet");
    // Whatever else, no phase but idle ever reads as verified.
    const others: Partial<SyncStatus>[] = [
      { phase: "locked" },
      { phase: "local-only" },
      { phase: "syncing", progress: round({}) },
      { phase: "failed", failure: { code: "offline", detail: "", atMs: 1 }, nextAttemptMs: null },
    ];
    for (const phase of others) {
      expect(summarize(status({ ...phase, verification: "verified" })).tone, phase.phase).not.toBe("ok");
    }
  });

  it("names a failure in a few words", () => {
    const failed = status({
      phase: "failed",
      failure: { code: "server-unreachable", detail: "x", atMs: 1 },
      nextAttemptMs: null,
    });
    expect(summarize(failed)).toEqual({ tone: "problem", text: "sync-short-server-unreachable" });
    const text = format(shippedBundles, "lv", summarize(failed).text);
    expect(text).toBe("Serveris neatbild");
  });

  it("counts pending changes with each language's plural forms", () => {
    const say = (locale: "lv" | "ru" | "en", count: number) =>
      format(shippedBundles, locale, "sync-state-pending", { count });
    expect(say("lv", 1)).toBe("1 ieraksts gaida nosūtīšanu");
    expect(say("lv", 5)).toBe("5 ieraksti gaida nosūtīšanu");
    expect(say("lv", 10)).toBe("10 ierakstu gaida nosūtīšanu");
    expect(say("ru", 2)).toBe("2 записи ждут отправки");
    expect(say("ru", 5)).toBe("5 записей ждут отправки");
    expect(say("en", 1)).toBe("1 record waits to be sent");
  });

  it("says in plain words how far the clock is off, in each language", () => {
    expect(clockWarning(null)).toBeNull();
    const say = (locale: "lv" | "ru" | "en", skewMs: number) => {
      const w = clockWarning(skewMs)!;
      return format(shippedBundles, locale, w.text, {
        amount: format(shippedBundles, locale, w.amount, { count: w.count }),
      });
    };
    const day = 24 * 3_600_000;
    expect(say("lv", 3 * day)).toContain("steidzas par 3 dienām");
    expect(say("lv", 21 * day)).toContain("steidzas par 21 dienu");
    expect(say("lv", -7 * 60_000)).toContain("atpaliek par 7 minūtēm");
    expect(say("ru", 3 * day)).toContain("спешат на 3 дня");
    expect(say("ru", 5 * 3_600_000)).toContain("спешат на 5 часов");
    expect(say("ru", -1 * 60_000 * 21)).toContain("отстают на 21 минуту");
    expect(say("en", 3 * 3_600_000)).toContain("is 3 hours ahead");
    expect(say("en", -day * 2)).toContain("2 days behind");
  });

  it("tells one story: headline, progress and pending counted in records, never a failure beside a round", () => {
    const said = (st: SyncStatus, locale: "lv" | "ru" | "en" = "lv") => {
      const story = syncStory(st);
      return format(shippedBundles, locale, story.text, story.args);
    };
    const sending = status({ phase: "syncing", progress: round({ toPush: 16_002, pushed: 11_000 }), pending: 15_002 });
    expect(said(sending)).toBe("Nosūtīti 11\u00a0000 no 16\u00a0002 ierakstiem");
    expect(syncStory(sending).progress?.fraction).toBeCloseTo(11_000 / 16_002);
    const pending = syncStory(sending).pending;
    expect(format(shippedBundles, "lv", pending.text, pending.args)).toBe("15\u00a0002 ieraksti gaida nosūtīšanu");
    const receiving = status({
      phase: "syncing",
      progress: round({ stage: "receiving", toPull: 100_000, pulled: 12_400 }),
    });
    expect(said(receiving)).toBe("Saņemti 12\u00a0400 no 100\u00a0000 ierakstiem");
    expect(said(receiving, "ru")).toBe("Получено 12\u00a0400 из 100\u00a0000 записей");
    expect(said(receiving, "en")).toBe("Received 12,400 of 100,000 records");
    expect(syncStory(receiving).progress?.fraction).toBeCloseTo(0.124);
    const uncounted = status({ phase: "syncing", progress: round({ stage: "receiving" }) });
    expect(syncStory(uncounted).text).toBe("sync-receiving-uncounted");
    expect(syncStory(uncounted).progress?.fraction).toBeNull();
    expect(syncStory(status({ phase: "syncing", progress: round({ stage: "checking" }) })).text).toBe("sync-checking");
    // Nothing to send: not "sent 0 of 0".
    expect(syncStory(status({ phase: "syncing", progress: round({}) })).text).toBe("sync-state-syncing");
    // No progress outside a round.
    for (const st of [
      status({}),
      status({ phase: "failed", failure: { code: "server-unreachable", detail: "", atMs: 1 }, nextAttemptMs: 5 }),
    ]) {
      expect(syncStory(st).progress).toBeNull();
    }
  });

  it("knows when lists must say records are still coming rather than none", () => {
    const never = { lastSuccessMs: null };
    expect(firstPull(status({ ...never, phase: "idle" }))).toEqual({ done: 0, total: null });
    expect(
      firstPull(status({ ...never, phase: "syncing", progress: round({ stage: "receiving", toPull: 20, pulled: 5 }) })),
    ).toEqual({ done: 5, total: 20 });
    expect(firstPull(status({ ...never, phase: "syncing", progress: round({ toPull: 20 }) }))).toEqual({
      done: 0,
      total: null,
    });
    // Once a sync has succeeded, or without a server, an empty list is empty.
    expect(
      firstPull(status({ lastSuccessMs: 5, phase: "syncing", progress: round({ stage: "receiving" }) })),
    ).toBeNull();
    expect(firstPull(status({ ...never, phase: "local-only", account: null }))).toBeNull();
    expect(
      firstPull(
        status({ ...never, phase: "failed", failure: { code: "offline", detail: "", atMs: 1 }, nextAttemptMs: 9 }),
      ),
    ).toBeNull();
    expect(firstPull(null)).toBeNull();
  });
});
