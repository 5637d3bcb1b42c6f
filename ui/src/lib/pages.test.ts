import { describe, expect, it, vi } from "vitest";
import { PageCache, visibleRange } from "./pages";

describe("visibleRange", () => {
  it("covers the viewport plus overscan, clamped to the list", () => {
    expect(visibleRange(0, 440, 44, 100_000, 5)).toEqual({ first: 0, last: 15 });
    expect(visibleRange(44_000, 440, 44, 100_000, 5)).toEqual({ first: 995, last: 1015 });
    expect(visibleRange(4_399_560, 440, 44, 100_000, 5)).toEqual({ first: 99_985, last: 100_000 });
    expect(visibleRange(0, 440, 44, 3, 5)).toEqual({ first: 0, last: 3 });
  });
});

describe("PageCache", () => {
  it("fetches each page once, only when a row in it is wanted", async () => {
    const fetch = vi.fn(async (offset: number, limit: number) => Array.from({ length: limit }, (_, i) => offset + i));
    const loaded = vi.fn();
    const cache = new PageCache(50, fetch, loaded);
    expect(cache.row(120)).toBeUndefined();
    expect(cache.row(130)).toBeUndefined();
    await vi.waitFor(() => expect(loaded).toHaveBeenCalledTimes(1));
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith(100, 50);
    expect(cache.row(120)).toBe(120);
    expect(cache.row(99_999 % 150)).toBeUndefined();
    expect(cache.loadedPages).toBe(1);
  });
});
