import { describe, expect, it } from "vitest";
import { asciiJson } from "./records";

describe("asciiJson", () => {
  it("escapes every non-ASCII character and still parses to the same value", () => {
    const value = { fileName: "Darba kārtība — Даугавпилс.pdf", owner: "x" };
    const text = asciiJson(value);
    expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
    expect(JSON.parse(text)).toEqual(value);
  });
});
