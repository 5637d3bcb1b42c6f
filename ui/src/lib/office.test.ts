import { describe, expect, it } from "vitest";
import { allowedByOffice, lockAfterMinutes } from "./office";

describe("lockAfterMinutes", () => {
  it("applies the stricter of the own choice and the office's maximum", () => {
    expect(lockAfterMinutes(15, null)).toBe(15);
    expect(lockAfterMinutes(0, null)).toBe(0);
    expect(lockAfterMinutes(30, 10)).toBe(10);
    expect(lockAfterMinutes(5, 10)).toBe(5);
    // "Never" on the laptop does not lift the office's limit.
    expect(lockAfterMinutes(0, 10)).toBe(10);
  });
});

describe("allowedByOffice", () => {
  it("offers only choices within the office's limit, never none under one", () => {
    expect(allowedByOffice(30, null)).toBe(true);
    expect(allowedByOffice(0, null)).toBe(true);
    expect(allowedByOffice(14, 14)).toBe(true);
    expect(allowedByOffice(30, 14)).toBe(false);
    expect(allowedByOffice(0, 14)).toBe(false);
  });
});
