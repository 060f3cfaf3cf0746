import { afterEach, expect, test } from "vitest";
import type { AuditEvent } from "./bindings/AuditEvent";
import { formatTime, historyLines } from "./history";
import { i18n } from "./i18n/index.svelte";

afterEach(() => i18n.set("sv"));

function event(id: number, action: string, at: string, actor = "anna", before: unknown = null, after: unknown = null): AuditEvent {
  return { id, at, actor, action, entity: action.split(".")[0] ?? "", entity_id: "f-1", document_id: "d", before, after };
}

// Local wall-clock times, so the test does not depend on the machine's time zone.
const local = (y: number, mo: number, d: number, h: number, mi: number, s = 0) =>
  new Date(y, mo - 1, d, h, mi, s).toISOString();

test("events read as Swedish sentences, newest first, with what changed", () => {
  i18n.set("sv");
  const lines = historyLines([
    event(1, "finding.create", local(2026, 11, 23, 13, 58)),
    event(2, "finding.update", local(2026, 11, 23, 14, 2, 5), "anna", { unintended_consequence: "", status: "draft" }, { unintended_consequence: "A", status: "draft" }),
    // Autosave a few seconds later, same minute: one line.
    event(3, "finding.update", local(2026, 11, 23, 14, 2, 40), "anna", { likelihood: null, impact: null }, { likelihood: 3, impact: 4 }),
    event(4, "finding.update", local(2026, 11, 23, 14, 5), "björn", { status: "draft" }, { status: "agreed" }),
  ]);
  expect(lines.map((l) => l.text)).toEqual([
    "björn ändrade fyndet 2026-11-23 14:05",
    "anna ändrade fyndet 2026-11-23 14:02",
    "anna skapade fyndet 2026-11-23 13:58",
  ]);
  expect(lines[0]?.fields).toEqual(["Status"]);
  expect(lines[1]?.fields).toEqual(["Oavsiktlig konsekvens", "Riskbedömning"]);
});

test("clause and document events, and English", () => {
  i18n.set("en");
  const lines = historyLines([
    event(1, "clause.split", local(2026, 1, 2, 9, 5), "eva"),
    event(2, "document.meta", local(2026, 1, 2, 9, 6), "eva", { dnr: "" }, { dnr: "KS 2026/1" }),
  ]);
  expect(lines.map((l) => l.text)).toEqual([
    "eva changed the metadata 2026-01-02 09:06",
    "eva split the clause 2026-01-02 09:05",
  ]);
  expect(lines[0]?.fields).toEqual(["Registration number (Dnr)"]);
  expect(formatTime("not a date")).toBe("not a date");
});

test("a change merged from a bundle names the bundle's author and file, and what it changed", () => {
  i18n.set("sv");
  const from = { author: "Björn Kollega", signed_by: null, created: "2026-11-20T10:00:00Z", file: "kollega.kryphal", app_version: "0.1.0" };
  const lines = historyLines([
    event(1, "finding.create", local(2026, 11, 23, 9, 0)),
    event(2, "finding.merge_update", local(2026, 11, 23, 10, 0), "anna", { status: "draft", exploitation: "" }, { value: { status: "draft", exploitation: "Bulvan" }, from }),
    event(3, "finding.resolve", local(2026, 11, 23, 11, 0), "anna", null, { conflict: "c-1", resolution: "theirs", value: {}, from }),
    event(4, "finding.update", local(2026, 11, 23, 12, 0), "anna", { status: "draft" }, { status: "agreed" }),
  ]);
  expect(lines.map((l) => l.text)).toEqual([
    "anna ändrade fyndet 2026-11-23 12:00",
    "anna löste konflikten om fyndet 2026-11-23 11:00",
    "anna uppdaterade fyndet från ett analyspaket 2026-11-23 10:00",
    "anna skapade fyndet 2026-11-23 09:00",
  ]);
  expect(lines.map((l) => l.origin?.author ?? null)).toEqual([null, "Björn Kollega", "Björn Kollega", null]);
  expect(lines[2]?.origin?.file).toBe("kollega.kryphal");
  expect(lines[2]?.fields).toEqual(["Utnyttjande"]);
});

test("a reviewed Word file read in, and undone, reads as sentences", () => {
  i18n.set("sv");
  const lines = historyLines([
    event(1, "finding.review", local(2026, 12, 7, 10, 0), "anna"),
    event(2, "document.review_import", local(2026, 12, 7, 10, 1), "anna"),
    event(3, "document.review_undo", local(2026, 12, 7, 10, 9), "anna"),
  ]);
  expect(lines.map((l) => l.text)).toEqual([
    "anna ångrade inläsningen av en granskad Word-fil 2026-12-07 10:09",
    "anna läste in en granskad Word-fil 2026-12-07 10:01",
    "anna läste in granskarens svar på fyndet 2026-12-07 10:00",
  ]);
});
