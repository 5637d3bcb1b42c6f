import { describe, expect, it } from "vitest";
import type { SyncStatus } from "./generated/SyncStatus";
import { shippedBundles } from "./catalogue";
import { format } from "./fluent";
import { clockWarning, pushFraction, summarize } from "./sync.svelte";

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
    progress: null,
    failure: null,
    nextAttemptMs: null,
    massDelete: null,
    wipeAfterDays: null,
    lastContactMs: null,
    autoDownloadBytes: 5_000_000,
    clockSkewMs: null,
    ...over,
  };
}

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
    for (const phase of ["locked", "local-only", "syncing", "failed"] as const) {
      expect(summarize(status({ phase, verification: "verified" })).tone, phase).not.toBe("ok");
    }
  });

  it("names a failure in a few words", () => {
    const failed = status({ phase: "failed", failure: { code: "server-unreachable", detail: "x", atMs: 1 } });
    expect(summarize(failed)).toEqual({ tone: "problem", text: "sync-short-server-unreachable" });
    const text = format(shippedBundles, "lv", summarize(failed).text);
    expect(text).toBe("Serveris neatbild");
  });

  it("counts pending changes with each language's plural forms", () => {
    const say = (locale: "lv" | "ru" | "en", count: number) =>
      format(shippedBundles, locale, "sync-state-pending", { count });
    expect(say("lv", 1)).toBe("1 izmaiņa gaida nosūtīšanu");
    expect(say("lv", 5)).toBe("5 izmaiņas gaida nosūtīšanu");
    expect(say("ru", 2)).toBe("2 изменения ждут отправки");
    expect(say("ru", 5)).toBe("5 изменений ждут отправки");
    expect(say("en", 1)).toBe("1 change waiting to be sent");
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

  it("tells how far sending is, when it can", () => {
    const progress = (toPush: number, pushed: number) =>
      status({ phase: "syncing", progress: { toPush, pushed, pulled: 0, bytes: 0 } });
    expect(pushFraction(progress(400, 100))).toBe(0.25);
    expect(pushFraction(progress(0, 0))).toBeNull();
    expect(pushFraction(status({}))).toBeNull();
  });
});
