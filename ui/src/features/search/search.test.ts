// The search dialog's logic and the dialog itself, through the whole UI
// against the fake backend.
import { flushSync } from "svelte";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { FakeBackend } from "../../lib/backend/fake";
import type { SearchHit } from "../../lib/bindings/SearchHit";
import { segmentsOf } from "../../lib/spans";
import type { AppState } from "../../lib/state.svelte";
import { mountApp, type MountedApp } from "../../test/mountApp";
import { shortcutFor } from "../../lib/keys";
import { countMessage, groupHits, moveActive, searchMarkFor, toggleFilter, visualOrder, wordSpans } from "./search";
import { fakeSearch } from "../../lib/backend/fake-search";
import type { FakeDocument } from "../../lib/backend/fake";
import { translate } from "../../lib/i18n/index.svelte";

function hit(document_id: string, clause_id: string): SearchHit {
  return {
    kind: "clause",
    document_id,
    document_title: `Titel ${document_id}`,
    clause_id,
    finding_id: null,
    suggestion_id: null,
    label: clause_id,
    position: 0,
    segments: [],
    cut_before: false,
    cut_after: false,
    matched_in: "text",
    words: [],
  };
}

describe("grouping", () => {
  test("groups follow their best hit and number hits in visual order", () => {
    const groups = groupHits([hit("a", "1"), hit("b", "2"), hit("a", "3"), hit("c", "4"), hit("b", "5")]);
    expect(groups.map((g) => g.documentId)).toEqual(["a", "b", "c"]);
    expect(groups[0]?.title).toBe("Titel a");
    expect(groups.map((g) => g.hits.map((h) => [h.hit.clause_id, h.index]))).toEqual([
      [["1", 0], ["3", 1]],
      [["2", 2], ["5", 3]],
      [["4", 4]],
    ]);
    expect(visualOrder(groups).map((h) => h.clause_id)).toEqual(["1", "3", "2", "5", "4"]);
  });
  test("no hits, no groups", () => {
    expect(groupHits([])).toEqual([]);
  });
});

describe("keyboard", () => {
  test("arrows move and wrap, Home/End jump, other keys do nothing", () => {
    expect(moveActive(-1, "ArrowDown", 3)).toBe(0);
    expect(moveActive(-1, "ArrowUp", 3)).toBe(2);
    expect(moveActive(0, "ArrowDown", 3)).toBe(1);
    expect(moveActive(2, "ArrowDown", 3)).toBe(0);
    expect(moveActive(0, "ArrowUp", 3)).toBe(2);
    expect(moveActive(1, "End", 3)).toBe(2);
    expect(moveActive(2, "Home", 3)).toBe(0);
    expect(moveActive(1, "PageDown", 3)).toBe(2);
    expect(moveActive(1, "x", 3)).toBeNull();
    expect(moveActive(0, "ArrowDown", 0)).toBeNull();
  });
});

describe("shortcuts", () => {
  const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    defaultPrevented: false,
    ...mods,
  });
  test("Ctrl+K and Ctrl+F open the search, also while typing; plain k and f do not", () => {
    for (const typing of [false, true]) {
      expect(shortcutFor(key("k", { ctrlKey: true }), { typing, inOutline: false })).toBe("search");
      expect(shortcutFor(key("F", { ctrlKey: true }), { typing, inOutline: false })).toBe("search");
    }
    expect(shortcutFor(key("f"), { typing: false, inOutline: false })).toBeNull();
    expect(shortcutFor(key("k", { ctrlKey: true, shiftKey: true }), { typing: false, inOutline: false })).toBeNull();
  });
});

describe("filters", () => {
  test("a chip toggles its filter on and off", () => {
    const on = toggleFilter([], "kind", "clause");
    expect(on).toEqual([{ key: "kind", value: "clause" }]);
    expect(toggleFilter(on, "kind", "clause")).toEqual([]);
    expect(toggleFilter(on, "kind", "finding")).toHaveLength(2);
  });
});

describe("highlighting in the clause", () => {
  test("words become UTF-8 byte spans, case-insensitive, overlaps merged", () => {
    const text = "Utdrag ur belastningsregistret. Ett nytt utdrag ur Belastningsregistret!";
    const spans = wordSpans(text, ["belastningsregistret", "utdrag"]);
    // "Utdrag" at 0; "belastningsregistret" at byte 10; the second pair further on.
    expect(spans[0]).toEqual({ start: 0, end: 6 });
    expect(spans[1]).toEqual({ start: 10, end: 30 });
    expect(spans).toHaveLength(4);
    const segs = segmentsOf(text, [{ id: "s", spans }]);
    expect(segs.filter((s) => s.ids.length > 0).map((s) => s.text)).toEqual([
      "Utdrag",
      "belastningsregistret",
      "utdrag",
      "Belastningsregistret",
    ]);
  });
  test("offsets count å, ä and ö as two bytes", () => {
    const spans = wordSpans("Åtgärd för leverantör", ["leverantör"]);
    expect(spans).toEqual([{ start: 14, end: 25 }]);
  });
  test("only the clause the hit pointed at is marked", () => {
    const clause = { id: "c1", text: "ett registerutdrag" };
    expect(searchMarkFor(clause, { clauseId: "c2", words: ["registerutdrag"] })).toBeNull();
    expect(searchMarkFor(clause, { clauseId: "c1", words: ["registerutdrag"] })?.spans).toEqual([
      { start: 4, end: 18 },
    ]);
    expect(searchMarkFor(clause, { clauseId: "c1", words: ["saknas"] })).toBeNull();
  });
});

describe("count cap", () => {
  // Five clauses holding "ska", in one document (only what the fake reads).
  const docs = [
    {
      document: { id: "D", meta: { title: "Riktlinje", doc_type: "Riktlinje", owner: "KS" } },
      outline: {
        clauses: [1, 2, 3, 4, 5].map((n) => ({ id: `c${n}`, label: `p. ${n}`, text: `Nämnden ska ${n}.`, position: n })),
      },
      findings: [],
    },
  ] as unknown as FakeDocument[];

  test("above the cap the total is a lower bound, flagged, with facets over the counted part", () => {
    const a = fakeSearch(docs, { query: "ska", filters: [], limit: 2 }, 3);
    expect(a.total).toBe(3);
    expect(a.total_is_lower_bound).toBe(true);
    expect(a.hits).toHaveLength(2);
    expect(a.facets.find((f) => f.key === "kind")?.values).toEqual([{ value: "clause", count: 3, label: null }]);
    const m = countMessage(a.total, a.hits.length, a.total_is_lower_bound);
    expect(translate("sv", m.key, m.params)).toBe("Minst 3 träffar, de 2 bästa visas");
    expect(translate("en", m.key, m.params)).toBe("At least 3 results, the best 2 shown");
  });

  test("just under the cap the count is exact", () => {
    const a = fakeSearch(docs, { query: "ska", filters: [], limit: 2 }, 5);
    expect(a.total).toBe(5);
    expect(a.total_is_lower_bound).toBe(false);
    const m = countMessage(a.total, a.hits.length, a.total_is_lower_bound);
    expect(translate("sv", m.key, m.params)).toBe("5 träffar, de 2 bästa visas");
    expect(countMessage(1, 1, false)).toEqual({ key: "search.countOne" });
    expect(countMessage(4, 4, false)).toEqual({ key: "search.count", params: { total: 4 } });
  });
});

describe("the dialog", () => {
  let m: MountedApp;
  let target: HTMLElement;
  let backend: FakeBackend;
  let app: AppState;
  let settle: MountedApp["settle"];
  const all = (testid: string) => [...document.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];
  const one = (testid: string) => all(testid)[0] as HTMLElement;
  function key(el: Element, k: string, init: KeyboardEventInit = {}) {
    el.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...init }));
    flushSync();
  }
  async function typeQuery(q: string) {
    const input = one("search-input") as HTMLInputElement;
    input.value = q;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    await vi.advanceTimersByTimeAsync(200);
    await settle();
  }

  beforeEach(async () => {
    m = await mountApp();
    ({ target, backend, app, settle } = m);
  });
  afterEach(() => m.cleanup());

  test("Ctrl+K opens it, typing searches once after a pause, Escape closes", async () => {
    key(document.body, "k", { ctrlKey: true });
    await settle();
    expect(one("search-dialog")).toBeTruthy();
    expect(document.activeElement).toBe(one("search-input"));
    const input = one("search-input") as HTMLInputElement;
    for (const q of ["l", "le", "lev"]) {
      input.value = q;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      flushSync();
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(backend.callsOf("search")).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(200);
    await settle();
    expect(backend.callsOf("search")).toHaveLength(1);
    key(one("search-input"), "Escape");
    await settle();
    expect(all("search-dialog")).toHaveLength(0);
  });

  test("Ctrl+F opens it from a text field too", async () => {
    const field = document.createElement("textarea");
    target.appendChild(field);
    field.focus();
    key(field, "f", { ctrlKey: true });
    await settle();
    expect(all("search-dialog")).toHaveLength(1);
  });

  test("hits grouped by document, snippets as text with marks, arrows and Enter open the clause", async () => {
    key(document.body, "k", { ctrlKey: true });
    await settle();
    const word = firstWordOfSecondClause(app);
    await typeQuery(word);
    const hits = all("search-hit");
    expect(hits.length).toBeGreaterThan(0);
    expect(all("search-group").length).toBeGreaterThan(0);
    const marks = [...document.querySelectorAll('[data-testid="search-snippet"] mark')];
    expect(marks.length).toBeGreaterThan(0);
    expect(marks.every((m) => m.children.length === 0)).toBe(true);
    expect(one("search-input").getAttribute("aria-activedescendant")).toBe(hits[0]?.id);
    key(one("search-input"), "ArrowDown");
    const expected = hits.length > 1 ? hits[1] : hits[0];
    expect(one("search-input").getAttribute("aria-activedescendant")).toBe(expected?.id);
    expect(expected?.getAttribute("aria-selected")).toBe("true");
    const clauseId = expected?.dataset.clauseId;
    key(one("search-input"), "Enter");
    await settle();
    expect(all("search-dialog")).toHaveLength(0);
    if (clauseId) {
      expect(app.selectedClauseId).toBe(clauseId);
      expect(app.searchHighlight?.clauseId).toBe(clauseId);
      expect(document.querySelector('[data-suggestion-ids~="search-hit"]')).not.toBeNull();
      // Moving on forgets the marks.
      app.moveClause(1);
      await settle();
      if (app.selectedClauseId !== clauseId) {
        expect(app.searchHighlight).toBeNull();
        expect(document.querySelector('[data-suggestion-ids~="search-hit"]')).toBeNull();
      }
    }
  });

  test("a hostile query shows no error and markup stays text", async () => {
    key(document.body, "k", { ctrlKey: true });
    await settle();
    await typeQuery('"unbalanced AND ( <b>x</b>');
    expect(one("search-status").dataset.state).not.toBe("error");
    expect(document.querySelector('[data-testid="search-results"] b')).toBeNull();
  });

  test("a facet chip narrows the results", async () => {
    key(document.body, "k", { ctrlKey: true });
    await settle();
    // In the sample's clauses and in its seeded finding.
    await typeQuery("ägare");
    const chips = all("search-facet-value").filter((c) => c.dataset.key === "kind");
    expect(chips.length, "the word is in more than one kind of hit").toBeGreaterThanOrEqual(2);
    const before = all("search-hit").length;
    chips[chips.length - 1]?.click();
    await vi.advanceTimersByTimeAsync(200);
    await settle();
    expect(all("search-hit").length).toBeLessThan(before);
    const last = backend.callsOf("search").at(-1)?.args as { query: { filters: unknown[] } };
    expect(last.query.filters).toHaveLength(1);
  });

  test("facet counts over a capped search say they are minimums; an exact search does not", async () => {
    key(document.body, "k", { ctrlKey: true });
    await settle();
    await typeQuery("ägare");
    expect(all("search-facets")).toHaveLength(1);
    expect(all("search-facets-capped")).toHaveLength(0);
    one("search-close").click();
    await settle();

    // The core sets the flag when a filtered facet's own count hit the cap (the total stays exact).
    const real = backend.search.bind(backend);
    backend.search = async (q) => ({ ...(await real(q)), facets_are_lower_bounds: true });
    key(document.body, "k", { ctrlKey: true });
    await settle();
    await typeQuery("ägare");
    expect(one("search-facets-capped").textContent).toBe("Fler träffar fanns än som räknades, så antalen ovan är minimiantal.");
    expect(one("search-status").textContent).not.toMatch(/Minst/);
  });

  test("while the index is built, the dialog says so and searches again by itself", async () => {
    const real = backend.search.bind(backend);
    let building = true;
    backend.search = async (q) => {
      const a = await real(q);
      return building ? { ...a, status: "building", hits: [], total: 0, facets: [] } : a;
    };
    key(document.body, "k", { ctrlKey: true });
    await settle();
    await typeQuery(firstWordOfSecondClause(app));
    expect(one("search-status").dataset.state).toBe("building");
    building = false;
    await vi.advanceTimersByTimeAsync(800);
    await settle();
    expect(one("search-status").dataset.state).toBe("ready");
    expect(all("search-hit").length).toBeGreaterThan(0);
  });
});

/** A word of the open document, long enough to search for. */
function firstWordOfSecondClause(app: AppState): string {
  const text = app.clauses[1]?.text ?? app.clauses[0]?.text ?? "";
  return text.split(/[^\p{L}]+/u).find((w) => w.length >= 6) ?? "och";
}
