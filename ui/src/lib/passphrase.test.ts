import { describe, expect, it } from "vitest";
import { checkNewPassphrase, MIN_PASSPHRASE_CHARS } from "./passphrase";

describe("checkNewPassphrase", () => {
  it("refuses a short passphrase, counting characters not bytes", () => {
    expect(checkNewPassphrase("īsa", "īsa")?.id).toBe("passphrase-too-short");
    expect(checkNewPassphrase("ā".repeat(MIN_PASSPHRASE_CHARS), "ā".repeat(MIN_PASSPHRASE_CHARS))).toBeNull();
  });

  it("refuses a confirmation that differs", () => {
    expect(checkNewPassphrase("garāka parole", "garaka parole")?.id).toBe("passphrase-mismatch");
  });

  it("accepts a long matching passphrase", () => {
    expect(checkNewPassphrase("drošā māja 2012", "drošā māja 2012")).toBeNull();
  });
});
