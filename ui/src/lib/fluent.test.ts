import { describe, expect, it } from "vitest";
import { shippedBundles, shippedSources } from "./catalogue";
import { buildBundles, format, LOCALES } from "./fluent";
import type { MessageId } from "./generated/MessageId";

const toy = {
  "/x/locales/lv/a.ftl": [
    "hello = Sveiki",
    "only-lv = Tikai latviski",
    "count = { $n ->",
    "    [zero] { $n } semināru",
    "    [one] { $n } seminārs",
    "   *[other] { $n } semināri",
    "}",
  ].join("\n"),
  "/x/locales/ru/a.ftl": [
    "hello = Здравствуйте",
    "count = { $n ->",
    "    [one] { $n } семинар",
    "    [few] { $n } семинара",
    "   *[many] { $n } семинаров",
    "}",
  ].join("\n"),
};

// Ids that exist only in the toy catalogue are cast: the real MessageId union does not
// know them.
const id = (s: string) => s as MessageId;

describe("format", () => {
  const bundles = buildBundles(toy);

  it("uses the chosen locale, then Latvian, then the bare id", () => {
    expect(format(bundles, "ru", id("hello"))).toBe("Здравствуйте");
    expect(format(bundles, "ru", id("only-lv"))).toBe("Tikai latviski");
    expect(format(bundles, "en", id("hello"))).toBe("Sveiki");
    expect(format(bundles, "lv", id("missing"))).toBe("missing");
  });

  it("selects Latvian plural categories (zero, one, other)", () => {
    const lv = (n: number) => format(bundles, "lv", id("count"), { n });
    expect([0, 1, 2, 10, 11, 21, 22, 30].map(lv)).toEqual([
      "0 semināru",
      "1 seminārs",
      "2 semināri",
      "10 semināru",
      "11 semināru",
      "21 seminārs",
      "22 semināri",
      "30 semināru",
    ]);
  });

  it("selects Russian plural categories (one, few, many)", () => {
    const ru = (n: number) => format(bundles, "ru", id("count"), { n });
    expect([1, 3, 5, 11, 21, 24].map(ru)).toEqual([
      "1 семинар",
      "3 семинара",
      "5 семинаров",
      "11 семинаров",
      "21 семинар",
      "24 семинара",
    ]);
  });

  it("adds no bidi isolation marks around placeables", () => {
    expect(format(bundles, "lv", id("count"), { n: 1 })).not.toMatch(/[\u2068\u2069]/);
  });
});

describe("buildBundles", () => {
  it("rejects a file outside locales/<lv|ru|en>/", () => {
    expect(() => buildBundles({ "/x/locales/de/a.ftl": "a = b" })).toThrow(/locales/);
  });

  it("rejects an id defined twice in one locale", () => {
    expect(() => buildBundles({ "/x/locales/lv/a.ftl": "a = 1", "/x/locales/lv/b.ftl": "a = 2" })).toThrow();
  });
});

describe("the shipped catalogue", () => {
  const lvIds = Object.entries(shippedSources)
    .filter(([path]) => path.includes("/locales/lv/"))
    .flatMap(([, text]) => [...text.matchAll(/^([a-z][a-z0-9-]*)\s*=/gm)].map((m) => m[1] as MessageId));

  it("is bundled from every locale folder", () => {
    const tags = new Set(Object.keys(shippedSources).map((p) => /locales\/([^/]+)\//.exec(p)?.[1]));
    expect([...tags].sort()).toEqual([...LOCALES].sort());
    expect(lvIds.length).toBeGreaterThan(20);
  });

  it("formats every message in every locale without errors", () => {
    const args = {
      path: "/data",
      reason: "disk full",
      source: "flag",
      count: 3,
      min: 8,
      minutes: 15,
      onHand: 4,
      other: "A",
      kept: "B",
      seminars: 2,
      participants: 40,
      kb: "12",
      done: 1,
      total: 2,
      size: "4 kB",
      when: "24.11.2026 10:00",
      collections: "organizācijas",
      records: 30,
      of: 40,
      collection: "organizācijas",
      days: 30,
      field: "Piezīmes",
      mb: 5,
      amount: "3 dienām",
      year: "2012",
      quarter: "3",
      title: "Pasākumi un dalībnieki",
      stamp: "2026-12-07",
      page: 1,
      pages: 3,
      max: 100000,
      new: 2,
      duplicates: 1,
      refused: 3,
      repeated: 1,
      added: 2,
      merged: 1,
      skipped: 4,
      rows: 7,
      name: "Rasa Saliņa",
      line: 2,
      from: "01.01.2012",
      to: "none",
      until: "24.11.2026 10:15",
      fault: "entry 12 was changed",
      protocol: 4,
      office: 14,
      ms: 3,
      active: 5,
      silent: 1,
      date: "01.12.2026",
      time: "08.12.2026 01:30",
      unsynced: 2,
    };
    for (const locale of LOCALES) {
      const bundle = shippedBundles.get(locale)!;
      for (const messageId of lvIds) {
        const message = bundle.getMessage(messageId);
        expect(message?.value, `${messageId} in ${locale}`).toBeTruthy();
        const errors: Error[] = [];
        const text = bundle.formatPattern(message!.value!, args, errors);
        expect(errors, `${messageId} in ${locale}`).toEqual([]);
        expect(text.trim().length, `${messageId} in ${locale}`).toBeGreaterThan(0);
      }
    }
  });
});
