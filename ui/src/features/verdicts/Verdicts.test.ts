// Issue 22, items 2 and 3 in the UI against the fake backend: a verdict for
// every clause (one at a time and a whole section), coverage counting
// verdicts, "mark final" refused with what is missing and then given, and
// deleting a document after a confirmation that says what goes, undone.
import { afterEach, beforeEach, expect, test } from "vitest";
import { mountApp, type MountedApp } from "../../test/mountApp";

let m: MountedApp;
beforeEach(async () => {
  m = await mountApp();
});
afterEach(() => m.cleanup());

const q = (testid: string) => document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
const coverageText = () => m.one("coverage").textContent?.replace(/\s+/g, " ").trim() ?? "";

test("a clause's verdict and a whole section checked count in the coverage, and undo takes them back", async () => {
  expect(coverageText()).toContain("1 av 10 klausuler har en bedömning");
  expect(m.one("verdict-current").textContent).toContain("Ingen bedömning ännu");
  m.one("verdict-not_a_rule").click();
  await m.settle();
  expect(m.one("verdict-bar").dataset.verdict).toBe("not_a_rule");
  expect(coverageText()).toContain("2 av 10");
  expect(m.backend.callsOf("set_verdicts")[0]?.args).toEqual({ clauseIds: ["c-1-1"], verdict: "not_a_rule" });

  // The section of the clause with a finding: that one stays a risk.
  const risky = m.all("clause-item").find((c) => c.dataset.clauseId === "c-2-1-2") as HTMLElement;
  risky.click();
  await m.settle();
  expect(m.one("verdict-bar").dataset.verdict).toBe("risk");
  expect(m.all("verdict-checked")).toHaveLength(0);
  m.one("verdict-section-checked").click();
  await m.settle();
  expect(m.one("verdict-notice").textContent).toContain("förblir risk");
  const after = m.app.view?.coverage;
  expect(after?.checked).toBeGreaterThan(0);
  expect(coverageText()).toContain(`${(after?.clauses ?? 0) - (after?.none ?? 0)} av 10`);

  await m.app.undo();
  await m.settle();
  expect(m.app.view?.coverage.checked).toBe(0);
  expect(coverageText()).toContain("2 av 10");
});

test("mark final is refused with what is missing, then given once every clause has a verdict", async () => {
  m.one("mark-final").click();
  await m.settle();
  expect(m.one("final-error").textContent).toContain("klausuler saknar bedömning");
  // Every clause without findings: checked; every suggestion dismissed.
  const ids = (m.app.view?.verdicts ?? []).filter((v) => v.verdict === "none").map((v) => v.clause_id);
  await m.backend.setVerdicts(ids, "checked");
  for (const s of m.app.view?.suggestions ?? []) {
    if (s.state.state === "open") await m.backend.dismissSuggestion(s.id, "Inte relevant här.");
  }
  await m.app.reloadDocument();
  await m.settle();
  expect(coverageText()).toContain("10 av 10");
  m.one("mark-final").click();
  await m.settle();
  expect(m.one("coverage").dataset.final).toBe("true");
  expect(coverageText()).toContain("färdig, markerad av");
  expect(m.all("mark-final")).toHaveLength(0);
});

test("deleting a document asks first, says what goes, and undo brings it back", async () => {
  const before = m.all("doc-item").length;
  m.one("delete-document").click();
  await m.settle();
  expect(q("delete-what")?.textContent).toContain("10 klausuler, 1 fynd");
  q("delete-cancel")?.click();
  await m.settle();
  expect(q("delete-dialog")).toBeNull();
  expect(m.backend.callsOf("delete_document")).toHaveLength(0);

  m.one("delete-document").click();
  await m.settle();
  q("delete-confirm")?.click();
  await m.settle();
  expect(m.all("doc-item")).toHaveLength(before - 1);
  expect(m.all("doc-item").some((d) => d.dataset.docId === "doc-kundval")).toBe(false);
  expect(m.app.view).toBeNull();

  m.one("undo").click();
  await m.settle();
  expect(m.all("doc-item").some((d) => d.dataset.docId === "doc-kundval")).toBe(true);
  m.one("redo").click();
  await m.settle();
  expect(m.all("doc-item").some((d) => d.dataset.docId === "doc-kundval")).toBe(false);
});
