import { describe, expect, it } from "vitest";
import { shippedBundles } from "./catalogue";
import { formatDate, formatNumber, parseDate } from "./format";

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
    expect(formatNumber(12345, "lv")).toBe("12 345");
    expect(formatNumber(12345, "ru")).toBe("12 345");
    expect(formatNumber(12345, "en")).toBe("12,345");
    expect(formatNumber(411, "lv")).toBe("411");
  });
});
