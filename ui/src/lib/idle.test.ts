import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { watchIdle } from "./idle";

describe("watchIdle", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("fires once after the limit without activity", () => {
    const onIdle = vi.fn();
    const w = watchIdle({ limitMinutes: () => 15, onIdle, now: () => Date.now(), checkEveryMs: 1000 });
    vi.advanceTimersByTime(14 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60 * 60_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    w.stop();
  });

  it("activity postpones locking, and re-arms after it fired", () => {
    const onIdle = vi.fn();
    const w = watchIdle({ limitMinutes: () => 1, onIdle, now: () => Date.now(), checkEveryMs: 1000 });
    vi.advanceTimersByTime(50_000);
    w.touch();
    vi.advanceTimersByTime(50_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(11_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    w.touch();
    vi.advanceTimersByTime(61_000);
    expect(onIdle).toHaveBeenCalledTimes(2);
    w.stop();
  });

  it("never fires with a limit of 0, and follows a changed limit", () => {
    const onIdle = vi.fn();
    let limit = 0;
    const w = watchIdle({ limitMinutes: () => limit, onIdle, now: () => Date.now(), checkEveryMs: 1000 });
    vi.advanceTimersByTime(24 * 60 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
    limit = 5;
    vi.advanceTimersByTime(1000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    w.stop();
  });

  it("stops checking once stopped", () => {
    const onIdle = vi.fn();
    const w = watchIdle({ limitMinutes: () => 1, onIdle, now: () => Date.now(), checkEveryMs: 1000 });
    w.stop();
    vi.advanceTimersByTime(10 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
  });
});
