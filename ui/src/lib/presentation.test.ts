import { describe, expect, test } from "vitest";
import type { Clause } from "./bindings/Clause";
import type { Finding } from "./bindings/Finding";
import type { WorkshopRecord } from "./bindings/WorkshopRecord";
import {
  buildAgenda,
  clausePosition,
  formatElapsed,
  needsOwnPage,
  OWN_PAGE_CHARS,
  pagedAgenda,
  parseAttendees,
  presentKey,
  shownRating,
  slidePart,
  smallerStep,
  today,
  TYPE_STEPS,
} from "./presentation";

const key = (k: string, mods: Partial<KeyboardEvent> = {}) =>
  presentKey({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods } as KeyboardEvent);

test("clicker and keyboard keys move, blank and leave; other keys and chords do nothing", () => {
  for (const k of ["PageDown", "ArrowRight", "ArrowDown", " "]) expect(key(k)).toEqual({ move: { to: "next" } });
  for (const k of ["PageUp", "ArrowLeft", "ArrowUp", "Backspace"]) expect(key(k)).toEqual({ move: { to: "previous" } });
  expect(key("Home")).toEqual({ move: { to: "first" } });
  expect(key("End")).toEqual({ move: { to: "last" } });
  for (const k of ["b", "B", "."]) expect(key(k)).toEqual({ blank: true });
  expect(key("Escape")).toEqual({ close: true });
  // Near misses: other letters, and the same keys with a modifier (Ctrl+B, Alt+Left for history).
  expect(key("n")).toBeNull();
  expect(key("Enter")).toBeNull();
  expect(key("b", { ctrlKey: true })).toBeNull();
  expect(key("ArrowLeft", { altKey: true })).toBeNull();
  expect(key("PageDown", { metaKey: true })).toBeNull();
});

const clause = (id: string, position: number): Clause => ({
  id, section_id: null, number: id, label: id, kind: "numbered", text: `Text ${id}`, position,
});

test("the agenda holds the clauses with findings in document order, or all of them", () => {
  const clauses = [clause("a", 0), clause("b", 1), clause("c", 2)];
  const byClause = new Map<string, Finding[]>([
    ["c", [{} as Finding]],
    ["a", [{} as Finding]],
    ["b", []],
  ]);
  expect(buildAgenda(clauses, byClause, "findings")).toEqual(["a", "c"]);
  expect(buildAgenda(clauses, byClause, "all")).toEqual(["a", "b", "c"]);
  expect(buildAgenda(clauses, new Map(), "findings")).toEqual([]);
});

test("the timer reads m:ss, then h:mm:ss, never negative", () => {
  expect(formatElapsed(0)).toBe("0:00");
  expect(formatElapsed(59_999)).toBe("0:59");
  expect(formatElapsed(61_000)).toBe("1:01");
  expect(formatElapsed(3_600_000 + 61_000)).toBe("1:01:01");
  expect(formatElapsed(-5_000)).toBe("0:00");
});

test("the room's judgement wins over the analyst's rating; unrated findings have no place", () => {
  const f = { id: "f1", likelihood: 3, impact: 4 } as Finding;
  const g = { id: "f2", likelihood: null, impact: null } as Finding;
  const record = {
    judgements: [{ finding_id: "f1", likelihood: 2, impact: 3 }],
  } as unknown as WorkshopRecord;
  expect(shownRating(f, null)).toEqual({ likelihood: 3, impact: 4, byRoom: false });
  expect(shownRating(f, record)).toEqual({ likelihood: 2, impact: 3, byRoom: true });
  expect(shownRating(g, record)).toBeNull();
});

test("attendees are read one per line or separated by semicolons, blanks dropped", () => {
  expect(parseAttendees(" Anna Berg, enhetschef \n\nOmar Said; Lena Ek ;")).toEqual(["Anna Berg, enhetschef", "Omar Said", "Lena Ek"]);
  expect(parseAttendees("  \n ")).toEqual([]);
  expect(today(new Date(2026, 0, 5))).toBe("2026-01-05");
});

describe("fitting the projector", () => {
  test("the type steps down only while the slide overflows, and stops at the smallest step", () => {
    expect(smallerStep(0, false)).toBeNull();
    expect(smallerStep(0, true)).toBe(1);
    let step = 0;
    let n = 0;
    for (let next = smallerStep(step, true); next !== null; next = smallerStep(step, true)) {
      step = next;
      n++;
    }
    expect(step).toBe(TYPE_STEPS.length - 1);
    expect(n).toBe(TYPE_STEPS.length - 1);
    // Each step is smaller than the one before.
    for (let i = 1; i < TYPE_STEPS.length; i++) expect(TYPE_STEPS[i]).toBeLessThan(TYPE_STEPS[i - 1] as number);
  });

  test("a long clause gets its own page: on the agenda twice, its text first, then the rest", () => {
    expect(needsOwnPage("kort", "")).toBe(false);
    expect(needsOwnPage("x".repeat(OWN_PAGE_CHARS), "")).toBe(false);
    expect(needsOwnPage("x".repeat(OWN_PAGE_CHARS - 10), "y".repeat(11))).toBe(true);
    const agenda = pagedAgenda(["a", "long", "b"], (id) => id === "long");
    expect(agenda).toEqual(["a", "long", "long", "b"]);
    expect(agenda.map((_, i) => slidePart(agenda, i))).toEqual(["whole", "text", "rest", "whole"]);
    // Positions count clauses, not pages.
    expect(agenda.map((_, i) => clausePosition(agenda, i))).toEqual([
      { n: 1, m: 3 },
      { n: 2, m: 3 },
      { n: 2, m: 3 },
      { n: 3, m: 3 },
    ]);
    expect(slidePart([], 0)).toBe("whole");
  });
});
