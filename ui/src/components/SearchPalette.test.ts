// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { SearchHit } from "../lib/generated/SearchHit";
import { setLocale } from "../lib/i18n.svelte";
import SearchPalette from "./SearchPalette.svelte";

// The store answers in rank order, kinds interleaved; the palette groups them by kind.
const HITS: SearchHit[] = [
  { id: "o1", collection: "organisation", label: "Daugavpils valsts robežsardze" },
  { id: "s1", collection: "seminar", label: "Seminārs Daugavpilī" },
  { id: "o2", collection: "organisation", label: "Daugavpils sociālais dienests" },
  // Not a kind the user opens on its own (a link row): never listed.
  { id: "l1", collection: "seminar-organisation", label: "link" },
  { id: "p1", collection: "person", label: "Anna Daugava" },
];
const search = vi.fn(async (query: string, _limit: number) => (query.trim() === "nekas" ? [] : HITS));
vi.mock("../lib/records", () => ({ records: { search: (q: string, n: number) => search(q, n) } }));

beforeAll(() => setLocale("lv"));

function open() {
  const onopen = vi.fn();
  const onclose = vi.fn();
  render(SearchPalette, { props: { onopen, onclose } });
  return { onopen, onclose, input: screen.getByTestId("search-input") };
}

describe("SearchPalette", () => {
  it("groups results by kind in rank order and leaves out link rows", async () => {
    const { input } = open();
    expect(document.activeElement).toBe(input);
    await fireEvent.input(input, { target: { value: "Даугавпилс" } });
    await waitFor(() => expect(screen.getAllByTestId("search-hit")).toHaveLength(4));
    expect(search).toHaveBeenLastCalledWith("Даугавпилс", 40);
    const groups = screen.getAllByRole("group");
    expect(groups.map((g) => g.getAttribute("aria-label"))).toEqual(["Organizācija", "Seminārs", "Kontaktpersona"]);
    expect(screen.getAllByTestId("search-hit").map((h) => h.id)).toEqual(["hit-o1", "hit-o2", "hit-s1", "hit-p1"]);
  });

  it("moves through results with the arrows, stops at the ends, and opens with Enter", async () => {
    const { input, onopen } = open();
    await fireEvent.input(input, { target: { value: "daug" } });
    await waitFor(() => expect(screen.getAllByTestId("search-hit")).toHaveLength(4));
    const selected = () =>
      screen.getAllByTestId("search-hit").find((h) => h.getAttribute("aria-selected") === "true")?.id;
    expect(selected()).toBe("hit-o1");
    expect(input.getAttribute("aria-activedescendant")).toBe("hit-o1");
    await fireEvent.keyDown(input, { key: "ArrowUp" });
    expect(selected()).toBe("hit-o1");
    for (let i = 0; i < 10; i++) await fireEvent.keyDown(input, { key: "ArrowDown" });
    expect(selected()).toBe("hit-p1");
    await fireEvent.keyDown(input, { key: "ArrowUp" });
    expect(selected()).toBe("hit-s1");
    await fireEvent.keyDown(input, { key: "Enter" });
    expect(onopen).toHaveBeenCalledWith("seminar", "s1");
  });

  it("says when nothing matches and closes with Escape", async () => {
    const { input, onclose, onopen } = open();
    await fireEvent.input(input, { target: { value: "nekas" } });
    await waitFor(() => expect(screen.getByTestId("search-none")).toBeTruthy());
    await fireEvent.keyDown(input, { key: "Enter" });
    expect(onopen).not.toHaveBeenCalled();
    await fireEvent.keyDown(input, { key: "Escape" });
    expect(onclose).toHaveBeenCalledOnce();
  });

  it("does not search an empty query", async () => {
    search.mockClear();
    const { input } = open();
    await fireEvent.input(input, { target: { value: "   " } });
    await new Promise((r) => setTimeout(r, 200));
    expect(search).not.toHaveBeenCalled();
    expect(screen.queryByTestId("search-none")).toBeNull();
  });
});
