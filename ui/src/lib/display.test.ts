import { describe, expect, it } from "vitest";
import { shippedBundles } from "./catalogue";
import { displayValue, total } from "./display";
import { specOf } from "./fields";
import { format, type MessageArgs } from "./fluent";
import type { MessageId } from "./generated/MessageId";

const t = (id: MessageId, args?: MessageArgs) => format(shippedBundles, "lv", id, args);

describe("displayValue", () => {
  it("names codes, formats dates, counts and references", () => {
    expect(displayValue(specOf("seminar", "municipality")!, "daugavpils", "lv", t)).toBe("Daugavpils");
    expect(displayValue(specOf("seminar", "date")!, "2012-11-09", "lv", t)).toBe("09.11.2012");
    expect(displayValue(specOf("seminar", "participants")!, { "social-workers": 12, youth: 12000 }, "lv", t)).toBe(
      "Sociālie darbinieki: 12; Jaunieši: 12\u00a0000",
    );
    expect(displayValue(specOf("organisation", "coalitionMember")!, true, "lv", t)).toBe("Jā");
    const campaign = specOf("seminar", "campaign")!;
    expect(displayValue(campaign, "id-1", "lv", t, new Map([["id-1", "Pārdota brīvība"]]))).toBe("Pārdota brīvība");
    expect(displayValue(campaign, null, "lv", t)).toBe("");
  });

  it("renders user text as text (markup stays literal)", () => {
    const payload = "<img src=x onerror=alert(1)>";
    expect(displayValue(specOf("seminar", "title")!, payload, "lv", t)).toBe(payload);
  });

  it("totals participant counts", () => {
    expect(total({ a: 60, b: 21 })).toBe(81);
    expect(total(null)).toBe(0);
  });
});
