import { describe, expect, test } from "vitest";
import type { Clause } from "./bindings/Clause";
import type { Section } from "./bindings/Section";
import {
  clampPane,
  filterValue,
  headingsOver,
  matchesFilter,
  memoryStore,
  needsMe,
  nextNeeding,
  pageRows,
  parseFilter,
  PlaceMemory,
  stepAmong,
  visibleRows,
  type ClauseFacts,
} from "./longdoc";
import type { OutlineRow } from "./outline";

const clause = (id: string): Clause => ({ id, text: id }) as unknown as Clause;
const section = (id: string, level: number): Section => ({ id, level, title: id }) as unknown as Section;
const facts = (over: Partial<ClauseFacts> = {}): ClauseFacts => ({
  openSuggestions: 0,
  findings: 0,
  unrated: 0,
  level: null,
  verdict: "checked",
  ...over,
});

// 1 Kap (level 1)
//   a, b
//   1.1 (level 2)
//     c
// 2 Kap (level 1)
//   d
const rows: OutlineRow[] = [
  { kind: "section", section: section("s1", 1), depth: 0 },
  { kind: "clause", clause: clause("a"), depth: 1 },
  { kind: "clause", clause: clause("b"), depth: 1 },
  { kind: "section", section: section("s11", 2), depth: 1 },
  { kind: "clause", clause: clause("c"), depth: 2 },
  { kind: "section", section: section("s2", 1), depth: 0 },
  { kind: "clause", clause: clause("d"), depth: 1 },
];
const ids = (rs: OutlineRow[]) => rs.map((r) => (r.kind === "section" ? `#${r.section.id}` : r.clause.id));
const order = ["a", "b", "c", "d"].map(clause);

describe("filters", () => {
  test("each filter lets through only its kind of clause", () => {
    const open = facts({ openSuggestions: 2 });
    const withFinding = facts({ findings: 1, level: "high", verdict: "risk" });
    const undecided = facts({ verdict: "none" });
    expect([open, withFinding, undecided].map((f) => matchesFilter({ kind: "suggestions" }, f))).toEqual([true, false, false]);
    expect([open, withFinding, undecided].map((f) => matchesFilter({ kind: "findings" }, f))).toEqual([false, true, false]);
    expect([open, withFinding, undecided].map((f) => matchesFilter({ kind: "no-verdict" }, f))).toEqual([false, false, true]);
    expect(matchesFilter({ kind: "risk", level: "high" }, withFinding)).toBe(true);
    expect(matchesFilter({ kind: "risk", level: "low" }, withFinding)).toBe(false);
    expect(matchesFilter({ kind: "all" }, undecided)).toBe(true);
  });

  test("a filter survives the trip through the select's value; nonsense means all", () => {
    for (const f of [{ kind: "all" }, { kind: "findings" }, { kind: "no-verdict" }, { kind: "risk", level: "medel" }] as const) {
      expect(parseFilter(filterValue(f))).toEqual(f);
    }
    expect(parseFilter("risk:")).toEqual({ kind: "all" });
    expect(parseFilter("whatever")).toEqual({ kind: "all" });
  });

  test("a clause needs me for an open suggestion, a missing verdict or an unrated finding, not otherwise", () => {
    expect(needsMe(facts())).toBe(false);
    expect(needsMe(facts({ verdict: "not_a_rule" }))).toBe(false);
    expect(needsMe(facts({ openSuggestions: 1 }))).toBe(true);
    expect(needsMe(facts({ verdict: "none" }))).toBe(true);
    expect(needsMe(facts({ verdict: null }))).toBe(true);
    expect(needsMe(facts({ verdict: "risk", findings: 2, unrated: 1 }))).toBe(true);
    expect(needsMe(facts({ verdict: "risk", findings: 2, unrated: 0 }))).toBe(false);
  });
});

describe("visible rows", () => {
  test("a folded heading keeps its row and hides what is under it, down to the next heading of its level", () => {
    expect(ids(visibleRows(rows, new Set()))).toEqual(ids(rows));
    expect(ids(visibleRows(rows, new Set(["s1"])))).toEqual(["#s1", "#s2", "d"]);
    expect(ids(visibleRows(rows, new Set(["s11"])))).toEqual(["#s1", "a", "b", "#s11", "#s2", "d"]);
  });

  test("a filter drops the clauses it refuses and, when asked, the headings left without any", () => {
    const keep = (c: Clause) => c.id === "c";
    expect(ids(visibleRows(rows, new Set(), keep))).toEqual(["#s1", "#s11", "c", "#s2"]);
    expect(ids(visibleRows(rows, new Set(), keep, true))).toEqual(["#s1", "#s11", "c"]);
    // Folded, the heading that holds a kept clause still shows.
    expect(ids(visibleRows(rows, new Set(["s1"]), keep, true))).toEqual(["#s1"]);
  });

  test("the headings over a clause, outermost first", () => {
    expect(headingsOver(rows, "c")).toEqual(["s1", "s11"]);
    expect(headingsOver(rows, "d")).toEqual(["s2"]);
    expect(headingsOver(rows, "nope")).toEqual([]);
  });
});

describe("stepping", () => {
  test("steps through the shown clauses only, and stops at the ends", () => {
    const shown = new Set(["a", "c", "d"]);
    expect(stepAmong(order, shown, "a", 1)).toBe("c");
    expect(stepAmong(order, shown, "c", -1)).toBe("a");
    expect(stepAmong(order, shown, "d", 1)).toBeNull();
    expect(stepAmong(order, shown, "a", -1)).toBeNull();
    expect(stepAmong(order, shown, "a", Infinity)).toBe("d");
    expect(stepAmong(order, shown, "d", -Infinity)).toBe("a");
  });

  test("from a hidden clause the first step lands on the nearest shown one in that direction", () => {
    const shown = new Set(["a", "d"]);
    expect(stepAmong(order, shown, "b", 1)).toBe("d");
    expect(stepAmong(order, shown, "c", -1)).toBe("a");
    expect(stepAmong(order, shown, "b", 2)).toBe("d");
    expect(stepAmong(order, new Set(), "a", 1)).toBeNull();
  });

  test("a page is as many clause rows as the outline shows, less one kept for context", () => {
    expect(pageRows(300, 30)).toBe(9);
    expect(pageRows(29, 30)).toBe(1);
    expect(pageRows(0, 30)).toBe(1);
    // A page down through 1,133 clauses from the first reaches the last in ceil(1132 / 9) presses.
    const many = Array.from({ length: 1133 }, (_, i) => clause(`c${i}`));
    const all = new Set(many.map((c) => c.id));
    let at: string | null = "c0";
    let presses = 0;
    for (let next = stepAmong(many, all, at, 9); next; next = stepAmong(many, all, at, 9)) {
      at = next;
      presses++;
    }
    expect(at).toBe("c1132");
    expect(presses).toBe(Math.ceil(1132 / 9));
  });

  test("next-needs-me goes forward (or back), past the end once, and says when it wrapped", () => {
    const needy = new Set(["b", "d"]);
    const needs = (c: Clause) => needy.has(c.id);
    expect(nextNeeding(order, "a", needs)).toEqual({ id: "b", wrapped: false });
    expect(nextNeeding(order, "b", needs)).toEqual({ id: "d", wrapped: false });
    expect(nextNeeding(order, "d", needs)).toEqual({ id: "b", wrapped: true });
    expect(nextNeeding(order, "c", needs, -1)).toEqual({ id: "b", wrapped: false });
    expect(nextNeeding(order, "a", needs, -1)).toEqual({ id: "d", wrapped: true });
    expect(nextNeeding(order, null, needs)).toEqual({ id: "b", wrapped: false });
    // The only one left is the current clause: it is found again (after going round).
    expect(nextNeeding(order, "b", (c) => c.id === "b")).toEqual({ id: "b", wrapped: true });
    expect(nextNeeding(order, "a", () => false)).toBeNull();
  });

  test("the outline's height stays within its bounds", () => {
    expect(clampPane(50, 96, 400)).toBe(96);
    expect(clampPane(999, 96, 400)).toBe(400);
    expect(clampPane(200.4, 96, 400)).toBe(200);
    expect(clampPane(Number.NaN, 96, 400)).toBe(96);
    // A window too small for both: the minimum wins.
    expect(clampPane(300, 96, 50)).toBe(96);
  });
});

describe("place memory", () => {
  test("remembers the last clause per document and library, across instances on one store", () => {
    const store = memoryStore();
    const one = new PlaceMemory(store, "/lib/a.sqlite");
    one.set("doc-1", "c-5");
    one.set("doc-2", "c-9");
    one.set("doc-1", "c-7");
    const again = new PlaceMemory(store, "/lib/a.sqlite");
    expect(again.get("doc-1")).toBe("c-7");
    expect(again.get("doc-2")).toBe("c-9");
    expect(new PlaceMemory(store, "/lib/b.sqlite").get("doc-1")).toBeNull();
  });

  test("forgets the least recently used beyond its limit, and ids that look like numbers keep their order", () => {
    const store = memoryStore();
    const m = new PlaceMemory(store, "x", 2);
    m.set("1234", "c1");
    m.set("abcd", "c2");
    m.set("1234", "c3"); // used again: now the most recent
    m.set("9999", "c4");
    const again = new PlaceMemory(store, "x", 2);
    expect(again.get("abcd")).toBeNull();
    expect(again.get("1234")).toBe("c3");
    expect(again.get("9999")).toBe("c4");
  });

  test("a broken or refusing store means nothing remembered, never an error", () => {
    const broken = { getItem: () => "{not json", setItem: () => {} };
    expect(new PlaceMemory(broken, "x").get("d")).toBeNull();
    const refusing = {
      getItem: () => null,
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    const m = new PlaceMemory(refusing, "x");
    expect(() => m.set("d", "c")).not.toThrow();
    expect(new PlaceMemory(null, "x").get("d")).toBeNull();
  });
});
