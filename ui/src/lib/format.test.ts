import { describe, expect, it } from "vitest";
import { shippedBundles } from "./catalogue";
import { formatBytes, formatDate, formatNumber, formatRelative, parseDate, parseTime } from "./format";

describe("dates", () => {
  it("shows 09.11.2012 in Latvian and Russian, 09/11/2012 in English", () => {
    expect(formatDate("2012-11-09", "lv")).toBe("09.11.2012");
    expect(formatDate("2012-11-09", "ru")).toBe("09.11.2012");
    expect(formatDate("2012-11-09", "en")).toBe("09/11/2012");
    expect(formatDate(null, "lv")).toBe("");
  });

  it("hints each language's date form in its own letters, and reads a date typed that way", () => {
    const hints = (["lv", "ru", "en"] as const).map((locale) => {
      const bundle = shippedBundles.get(locale)!;
      const hint = bundle.formatPattern(bundle.getMessage("date-placeholder")!.value!);
      // The hint filled in: day, month, year where its letters stand.
      const typed = hint
        .replace(/^[^./]+/, "09")
        .replace(/([./])[^./]+([./])/, "$111$2")
        .replace(/[^./]+$/, "2012");
      expect(parseDate(typed), `${locale}: ${hint} as ${typed}`).toBe("2012-11-09");
      expect(typed, locale).toBe(formatDate("2012-11-09", locale));
      return hint;
    });
    expect(hints).toEqual(["dd.mm.gggg", "дд.мм.гггг", "dd/mm/yyyy"]);
  });

  it("reads what people type, and refuses impossible dates", () => {
    expect(parseDate("9.11.2012")).toBe("2012-11-09");
    expect(parseDate("09.11.2012.")).toBe("2012-11-09");
    expect(parseDate("9/11/2012")).toBe("2012-11-09");
    expect(parseDate("2012-11-09")).toBe("2012-11-09");
    expect(parseDate("30.02.2013")).toBeNull();
    expect(parseDate("2013-13-01")).toBeNull();
    expect(parseDate("vakar")).toBeNull();
  });

  it("reads a time as people type it, and refuses impossible ones", () => {
    expect(parseTime("9:05")).toBe("09:05");
    expect(parseTime(" 14.30 ")).toBe("14:30");
    expect(parseTime("0905")).toBe("09:05");
    expect(parseTime("23:59")).toBe("23:59");
    expect(parseTime("24:00")).toBeNull();
    expect(parseTime("12:60")).toBeNull();
    expect(parseTime("pusdienlaikā")).toBeNull();
  });

  it("round-trips every day of a year through the Latvian form", () => {
    for (let day = 0; day < 366; day++) {
      const iso = new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10);
      expect(parseDate(formatDate(iso, "lv"))).toBe(iso);
      expect(parseDate(formatDate(iso, "en"))).toBe(iso);
    }
  });
});

describe("numbers", () => {
  it("groups thousands as each language does", () => {
    expect(formatNumber(12345, "lv")).toBe("12\u00a0345");
    expect(formatNumber(12345, "ru")).toBe("12\u00a0345");
    expect(formatNumber(1234567.5, "lv")).toBe("1\u00a0234\u00a0567,5");
    expect(formatNumber(12345, "en")).toBe("12,345");
    expect(formatNumber(411, "lv")).toBe("411");
  });
});

describe("sizes and times ahead", () => {
  it("writes sizes as each language does, decimal comma and no-break space included", () => {
    expect(formatBytes(728_700, "lv")).toBe("728,7 kB");
    expect(formatBytes(728_700, "ru")).toBe("728,7 кБ");
    expect(formatBytes(728_700, "en")).toBe("728.7 kB");
    expect(formatBytes(4_100_000, "lv")).toBe("4,1 MB");
    expect(formatBytes(950, "lv")).toBe("950 B");
    expect(formatBytes(950, "en")).toBe("950 B");
    expect(formatBytes(12_345_600_000, "lv")).toBe("12\u00a0345,6 MB");
  });

  it("says how soon in words, not as a date", () => {
    const now = 1_700_000_000_000;
    expect(formatRelative(now + 12_000, now, "lv")).toBe("pēc 12 sekundēm");
    expect(formatRelative(now + 12_000, now, "ru")).toBe("через 12 секунд");
    expect(formatRelative(now + 12_000, now, "en")).toBe("in 12 seconds");
    expect(formatRelative(now + 120_000, now, "ru")).toBe("через 2 минуты");
    expect(formatRelative(now + 3 * 3_600_000, now, "lv")).toBe("pēc 3 stundām");
    expect(formatRelative(now - 5_000, now, "en")).toBe("in 0 seconds");
  });
});
