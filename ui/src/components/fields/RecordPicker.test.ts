// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { setLocale } from "../../lib/i18n.svelte";
import Bound from "../../test/Bound.svelte";
import RecordPicker from "./RecordPicker.svelte";

vi.mock("../../lib/records", () => ({
  records: {
    search: async () => [
      { id: "p1", collection: "person", label: "Rēzeknes robežsargs" },
      { id: "o1", collection: "organisation", label: "Rēzeknes novada pašvaldība" },
      { id: "o2", collection: "organisation", label: "Rēzeknes sociālais dienests" },
    ],
    get: async (id: string) => (id === "o9" ? { id, label: "Jau izvēlētā organizācija" } : null),
  },
}));

beforeAll(() => setLocale("lv"));

const bound = () => JSON.parse(screen.getByTestId("bound-value").textContent ?? "null");

describe("RecordPicker", () => {
  it("offers only records of its collection and binds the chosen id", async () => {
    render(Bound, {
      props: { component: RecordPicker, value: null, props: { id: "f-organisationId", collection: "organisation" } },
    });
    const input = screen.getByRole("combobox");
    expect(input.getAttribute("aria-expanded")).toBe("false");
    await fireEvent.input(input, { target: { value: "rēzekne" } });
    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(2));
    expect(input.getAttribute("aria-expanded")).toBe("true");
    await fireEvent.click(screen.getByRole("button", { name: "Rēzeknes sociālais dienests" }));
    expect(bound()).toBe("o2");
    expect(screen.getByTestId("f-organisationId-chosen").textContent).toBe("Rēzeknes sociālais dienests");
    expect(screen.queryByRole("combobox")).toBeNull();
  });

  it("shows the label of an already chosen record and can clear it", async () => {
    render(Bound, {
      props: { component: RecordPicker, value: "o9", props: { id: "f-org", collection: "organisation" } },
    });
    await waitFor(() => expect(screen.getByTestId("f-org-chosen").textContent).toBe("Jau izvēlētā organizācija"));
    await fireEvent.click(screen.getByRole("button", { name: "Noņemt" }));
    expect(bound()).toBeNull();
    expect(screen.getByRole("combobox")).toBeTruthy();
  });
});
