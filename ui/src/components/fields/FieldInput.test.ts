// @vitest-environment jsdom
import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { FieldSpec } from "../../lib/fields";
import { setLocale } from "../../lib/i18n.svelte";
import { loadReference } from "../../lib/reference.svelte";
import Bound from "../../test/Bound.svelte";
import FieldInput from "./FieldInput.svelte";

vi.mock("../../lib/records", () => ({
  records: {
    referenceData: async () => ({
      codes: { "target-group": ["social-workers", "youth"], "event-kind": ["seminar", "round-table"] },
      municipalities: [],
    }),
  },
}));

beforeAll(async () => {
  setLocale("lv");
  await loadReference();
});

function field(props: { spec: FieldSpec; value: unknown; error?: string | null }) {
  return render(Bound, {
    props: { component: FieldInput, value: props.value, props: { spec: props.spec, error: props.error ?? null } },
  });
}
const bound = () => JSON.parse(screen.getByTestId("bound-value").textContent ?? "null");

describe("FieldInput", () => {
  it("reads dates as 09.11.2012 and stores ISO", async () => {
    field({ spec: { name: "date", label: "field-seminar-date", type: { kind: "date", required: true } }, value: null });
    const input = screen.getByLabelText("Datums *");
    await fireEvent.input(input, { target: { value: "9.11.2012" } });
    expect(bound()).toBe("2012-11-09");
    expect(input.getAttribute("aria-invalid")).toBe("false");
  });

  it("keeps an unreadable date as typed and marks the field, so the store can name it", async () => {
    field({ spec: { name: "date", label: "field-seminar-date", type: { kind: "date" } }, value: "2012-11-09" });
    const input = screen.getByLabelText("Datums") as HTMLInputElement;
    expect(input.value).toBe("09.11.2012");
    await fireEvent.input(input, { target: { value: "31.02.2012" } });
    expect(bound()).toBe("31.02.2012");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.value).toBe("31.02.2012");
    await fireEvent.input(input, { target: { value: " " } });
    expect(bound()).toBeNull();
  });

  it("adds a target group, counts its participants and removes it", async () => {
    field({
      spec: {
        name: "participants",
        label: "field-seminar-participants",
        type: { kind: "counts", list: "target-group" },
      },
      value: {},
    });
    const picker = screen.getByTestId("add-group-participants") as HTMLSelectElement;
    // Only groups not yet counted are offered.
    expect([...picker.options].map((o) => o.value)).toEqual(["", "social-workers", "youth"]);
    await fireEvent.change(picker, { target: { value: "social-workers" } });
    await fireEvent.click(screen.getByTestId("add-participants"));
    expect(bound()).toEqual({ "social-workers": 0 });
    expect([...picker.options].map((o) => o.value)).toEqual(["", "youth"]);

    await fireEvent.input(screen.getByTestId("count-social-workers"), { target: { value: "12" } });
    expect(bound()).toEqual({ "social-workers": 12 });

    await fireEvent.click(screen.getByRole("button", { name: "Noņemt" }));
    expect(bound()).toEqual({});
  });

  it("edits a list of phones item by item", async () => {
    field({
      spec: { name: "phones", label: "field-person-phones", type: { kind: "strings", format: "phone" } },
      value: ["+371 2000 0000"],
    });
    await fireEvent.click(screen.getByTestId("add-phones"));
    const inputs = screen.getAllByRole("textbox") as HTMLInputElement[];
    expect(inputs.map((i) => i.type)).toEqual(["tel", "tel"]);
    await fireEvent.input(inputs[1]!, { target: { value: "+371 6700 0000" } });
    expect(bound()).toEqual(["+371 2000 0000", "+371 6700 0000"]);
    await fireEvent.click(screen.getAllByRole("button", { name: "Noņemt" })[0]!);
    expect(bound()).toEqual(["+371 6700 0000"]);
  });

  it("shows the store's error beside its field, translated, and ties it to the input", async () => {
    field({
      spec: { name: "venue", label: "field-seminar-venue", type: { kind: "text" } },
      value: "x",
      error: "validation-required",
    });
    const input = screen.getByLabelText("Norises vieta");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    const message = document.getElementById(input.getAttribute("aria-describedby")!);
    expect(message?.textContent).toBe(screen.getByTestId("error-venue").textContent);
    expect(message?.textContent?.length).toBeGreaterThan(0);
  });

  it("clears an optional code back to null and keeps numbers numeric", async () => {
    const { unmount } = field({
      spec: { name: "kind", label: "field-seminar-kind", type: { kind: "code", list: "event-kind" } },
      value: "seminar",
    });
    const select = screen.getByLabelText("Veids") as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: "" } });
    expect(bound()).toBeNull();
    unmount();
    field({ spec: { name: "stock", label: "field-material-stock", type: { kind: "number" } }, value: null });
    await fireEvent.input(screen.getByRole("spinbutton"), { target: { value: "250" } });
    expect(bound()).toBe(250);
  });
});
