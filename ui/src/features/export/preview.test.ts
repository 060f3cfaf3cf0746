import { describe, expect, test } from "vitest";
import { sampleRulebook } from "../../lib/backend/sample";
import type { Finding } from "../../lib/bindings/Finding";
import { emptyFindingInput } from "../../lib/finding";
import { EXPORT_FORMATS, commentCount, groupByLevel, publicOmissions } from "./preview";
import { fakeIncludedFindings as includedFindings } from "../../lib/backend/fake-export";

const rb = sampleRulebook();

function finding(id: string, more: Partial<Finding> = {}): Finding {
  return {
    ...emptyFindingInput(),
    id,
    document_id: "d",
    clause_id: `c-${id}`,
    risk_level: null,
    comments: [],
    suggestion_id: null,
    created_at: "2026-11-01T10:00:00Z",
    created_by: "anna",
    updated_at: "2026-11-01T10:00:00Z",
    updated_by: "anna",
    ...more,
  };
}

const agreedWithWording = finding("a", { status: "agreed", proposed_wording: "Ny lydelse.", likelihood: 3, impact: 4 });
const agreedWithout = finding("b", { status: "agreed", likelihood: 1, impact: 1 });
const draft = finding("c", { status: "draft", proposed_wording: "Utkast.", likelihood: 3, impact: 3 });
const rejected = finding("d", { status: "rejected", proposed_wording: "Avvisad.", likelihood: 4, impact: 4 });
const unrated = finding("e", { status: "reviewed" });
const all = [agreedWithWording, agreedWithout, draft, rejected, unrated];
const ids = (fs: Finding[]) => fs.map((f) => f.id);

describe("which findings each format includes (the fake answers as the core does)", () => {
  test.each(["memo-docx", "memo-pdf", "md", "html"] as const)("%s: every finding that is not rejected", (format) => {
    expect(ids(includedFindings(all, format))).toEqual(["a", "b", "c", "e"]);
  });

  test.each(["xlsx", "csv", "json"] as const)("%s: every finding, rejected ones too", (format) => {
    expect(ids(includedFindings(all, format))).toEqual(["a", "b", "c", "d", "e"]);
  });

  test("tracked-docx: only agreed findings that propose a wording", () => {
    expect(ids(includedFindings(all, "tracked-docx"))).toEqual(["a"]);
  });

  test("tracked-docx: of two agreed proposals on one clause, the one changed last", () => {
    const older = finding("x", { clause_id: "c1", status: "agreed", proposed_wording: "Ett.", updated_at: "2026-11-01T10:00:00Z" });
    const newer = finding("y", { clause_id: "c1", status: "agreed", proposed_wording: "Två.", updated_at: "2026-11-02T10:00:00Z" });
    expect(ids(includedFindings([older, newer], "tracked-docx"))).toEqual(["y"]);
    expect(ids(includedFindings([newer, older], "tracked-docx"))).toEqual(["y"]);
  });

  test("a blank proposed wording is no proposal", () => {
    const blank = finding("z", { status: "agreed", proposed_wording: "   " });
    expect(includedFindings([blank], "tracked-docx")).toEqual([]);
  });

  test("every format the core offers is listed once", () => {
    expect(new Set(EXPORT_FORMATS).size).toBe(EXPORT_FORMATS.length);
    expect(EXPORT_FORMATS).toContain("review-docx");
  });
});

describe("the preview groups findings by risk level", () => {
  test("highest level first, unrated last, document order kept inside a group", () => {
    const second = finding("f", { likelihood: 4, impact: 4 });
    const groups = groupByLevel(rb, [agreedWithWording, agreedWithout, unrated, second, draft]);
    expect(groups.map((g) => g.level?.id ?? null)).toEqual(["very_high", "high", "low", null]);
    expect(ids(groups[0]!.findings)).toEqual(["a", "f"]);
  });

  test("no findings, no groups", () => {
    expect(groupByLevel(rb, [])).toEqual([]);
  });
});

describe("what the public variant leaves out", () => {
  test("the labels of the sensitive questions", () => {
    const book = structuredClone(rb);
    const labels = publicOmissions(book);
    expect(labels.length).toBe(book.questions.filter((q) => q.sensitive).length);
    expect(labels.length).toBeGreaterThan(0);
    book.questions.forEach((q) => (q.sensitive = false));
    expect(publicOmissions(book)).toEqual([]);
  });

  test("comments are counted", () => {
    const c = { author: "anna", at: "2026-11-01T10:00:00Z", text: "Hm." };
    expect(commentCount([finding("g", { comments: [c, c] }), finding("h", { comments: [c] })])).toBe(3);
  });
});
