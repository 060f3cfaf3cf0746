// A workshop in the whole UI against the fake backend: start a session,
// show it on the projector, judge, decide, note, end, write the minutes,
// and see the results under the clause.
import { afterEach, beforeEach, expect, test } from "vitest";
import { mountApp, type MountedApp } from "../../test/mountApp";

let m: MountedApp;
let all: MountedApp["all"];
let one: MountedApp["one"];
let settle: MountedApp["settle"];
let backend: MountedApp["backend"];

const input = (el: HTMLElement, value: string) => {
  (el as HTMLInputElement).value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
};

beforeEach(async () => {
  m = await mountApp(undefined, async (b) => {
    // A second clause with a finding, so the agenda has two stops.
    const view = await b.getDocument("doc-kundval");
    const clauses = [...view.outline.clauses].sort((x, y) => x.position - y.position);
    const bare = clauses.filter((c) => !view.findings.some((f) => f.clause_id === c.id)).at(-1)!;
    await b.addFinding(bare.id, { ...(await import("../../lib/finding")).emptyFindingInput(), unintended_consequence: "Andra fyndet." });
  });
  ({ all, one, settle, backend } = m);
});
afterEach(() => m.cleanup());

async function startSession() {
  one("toggle-workshop").click();
  await settle();
  expect(one("workshop-panel").textContent).toContain("Ingen workshop har hållits");
  input(one("workshop-new-attendees"), "Anna Berg, enhetschef\nOmar Said");
  one("workshop-start").closest("form")!.requestSubmit();
  await settle();
  expect(one("workshop-control")).toBeTruthy();
}

test("the workshop view takes the findings pane's room and starts a session with its attendees", async () => {
  expect(all("finding-panel").length + all("new-finding").length).toBeGreaterThan(0);
  await startSession();
  expect(all("new-finding")).toHaveLength(0);
  const started = backend.calls.find((c) => c.command === "start_workshop")!;
  expect(started.args.attendees).toEqual(["Anna Berg, enhetschef", "Omar Said"]);
  expect(started.args.title).toBe("Workshop – Reglemente för kundval inom hemtjänst");
  expect(one("workshop-position").textContent).toBe("1 av 2");
  expect((one("workshop-attendees") as HTMLTextAreaElement).value).toBe("Anna Berg, enhetschef\nOmar Said");
});

test("presenting sends the agenda of clauses with findings, and the control follows the projector", async () => {
  await startSession();
  one("present-start").click();
  await settle();
  const open = backend.calls.find((c) => c.command === "presentation_open")!;
  expect(open.args.agenda).toHaveLength(2);
  // The fake has a second screen, which is chosen for the projector.
  expect(open.args.screen).toBe(1);
  const first = one("workshop-clause-label").textContent;
  // A clicker pressed on the projector window: the control view moves too.
  await backend.presentationGo({ to: "next" });
  await settle();
  expect(one("workshop-position").textContent).toBe("2 av 2");
  expect(one("workshop-clause-label").textContent).not.toBe(first);
  expect(one("workshop-next-label")).toBeUndefined();
  // PageUp in the control window moves the projector back.
  one("workshop-control").dispatchEvent(new KeyboardEvent("keydown", { key: "PageUp", bubbles: true }));
  await settle();
  expect((await backend.presentationState())?.index).toBe(0);
  one("present-blank").click();
  await settle();
  expect((await backend.presentationState())?.blank).toBe(true);
  one("present-stop").click();
  await settle();
  expect(await backend.presentationState()).toBeNull();
  expect(all("present-start")).toHaveLength(1);
});

test("judgement, decision with dissent and a private note are recorded, then shown under the clause", async () => {
  await startSession();
  const judge = one("judge-finding");
  judge.querySelector<HTMLElement>('[data-testid="matrix-cell-2-3"]')!.click();
  await settle();
  expect(one("judge-room-level").textContent).toBe("Medel");
  (one("decision-adopt") as HTMLInputElement).click();
  input(one("decision-dissent"), "Omar vill vänta på juristen.");
  await settle();
  one("decision-save").click();
  await settle();
  expect(one("decision-recorded").textContent).toContain("Anta");
  input(one("workshop-note"), "Börja med utdragen.");
  one("workshop-note").dispatchEvent(new FocusEvent("blur"));
  await settle();

  const sessionId = m.app.workshopRecords[0]!.session.id;
  const record = await backend.workshop(sessionId);
  expect(record.judgements.map((j) => [j.likelihood, j.impact])).toEqual([[2, 3]]);
  expect(record.decisions.map((d) => [d.decision, d.dissent])).toEqual([["adopt", "Omar vill vänta på juristen."]]);
  expect(record.notes.map((n) => n.text)).toEqual(["Börja med utdragen."]);

  one("workshop-end").click();
  await settle();
  expect(one("workshop-closed")).toBeTruthy();
  expect((one("decision-dissent") as HTMLTextAreaElement).closest("fieldset")!.disabled).toBe(true);
  one("minutes-docx").click();
  one("minutes-md").click();
  await settle();
  expect(backend.minutesWritten.map((w) => w.format)).toEqual(["docx", "md"]);

  one("workshop-leave").click();
  await settle();
  expect(all("workshop-session")[0]!.textContent).toContain("1 beslut, 1 bedömningar, 2 deltagare");
  one("toggle-workshop").click();
  await settle();
  const results = one("workshop-results");
  expect(results.textContent).toContain("Beslut: Anta");
  expect(results.textContent).toContain("Omar vill vänta på juristen.");
  expect(results.textContent).toContain("rummet bedömde 2 × 3");
  expect(results.textContent).not.toContain("Börja med utdragen");
});

test("a refused entry shows the core's sentence and records nothing", async () => {
  await startSession();
  backend.failNext("record_decision", { code: "invalid_input", message: "The dissent is too long." });
  (one("decision-defer") as HTMLInputElement).click();
  await settle();
  one("decision-save").click();
  await settle();
  expect(one("workshop-error").textContent).toContain("The dissent is too long.");
  expect(all("decision-recorded")).toHaveLength(0);
});

test("a newly imported document opens outside the workshop view, without the previous session's attendees", async () => {
  await startSession();
  const file = new File(["# Riktlinje för representation\n\n## 1. Gåvor\n\nGåvor får tas emot om de är av ringa värde.\n"], "representation.md", {
    type: "text/markdown",
  });
  await m.app.importFiles([file]);
  await settle();
  one("import-close").click();
  await settle();
  expect(m.app.view?.document.meta.title).toContain("representation");
  expect(m.app.workshopOpen).toBe(false);
  expect(all("workshop-panel")).toHaveLength(0);
  expect(one("toggle-workshop").getAttribute("aria-pressed")).toBe("false");
  one("toggle-workshop").click();
  await settle();
  expect(one("workshop-panel").textContent).toContain("Ingen workshop har hållits");
  expect(all("workshop-control")).toHaveLength(0);
  expect((one("workshop-new-attendees") as HTMLTextAreaElement).value).toBe("");
});
