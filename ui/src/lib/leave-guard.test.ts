import { describe, expect, it, vi } from "vitest";
import { guardLeaving, mayLeave } from "./leave-guard";

describe("leave guard", () => {
  it("asks only while a registered form is dirty", () => {
    const ask = vi.fn(() => false);
    expect(mayLeave(ask)).toBe(true);
    let dirty = false;
    const release = guardLeaving(() => dirty);
    expect(mayLeave(ask)).toBe(true);
    dirty = true;
    expect(mayLeave(ask)).toBe(false);
    expect(ask).toHaveBeenCalledTimes(1);
    release();
    expect(mayLeave(ask)).toBe(true);
  });
});
