// The projector view against the fake backend: it draws the clause the
// presentation points at, follows every change, sends the clicker's keys to
// the shell, blanks, and shows the room's decision once it is recorded.
import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { FakeBackend } from "../../lib/backend/fake";
import { sampleLibrary } from "../../lib/backend/sample";
import { i18n } from "../../lib/i18n/index.svelte";
import PresentView from "./PresentView.svelte";

let backend: FakeBackend;
let target: HTMLElement;
let component: ReturnType<typeof mount>;
const one = (id: string) => target.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const settle = async () => {
  for (let i = 0; i < 6; i++) {
    await vi.advanceTimersByTimeAsync(0);
    await tick();
  }
  flushSync();
};
const press = async (key: string) => {
  window.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
  await settle();
};

beforeEach(async () => {
  vi.useFakeTimers();
  i18n.set("sv");
  backend = new FakeBackend(sampleLibrary());
  backend.role = "presenter";
  target = document.createElement("div");
  document.body.appendChild(target);
});
afterEach(() => {
  unmount(component);
  target.remove();
  vi.useRealTimers();
});

async function start() {
  const view = await backend.getDocument("doc-kundval");
  const clauses = [...view.outline.clauses].sort((a, b) => a.position - b.position);
  const withFinding = view.findings[0]!.clause_id;
  const other = clauses.find((c) => c.id !== withFinding)!.id;
  const session = await backend.startWorkshop("doc-kundval", "Genomgång", null, ["Anna"]);
  await backend.presentationOpen({
    docId: "doc-kundval", sessionId: session.id, agenda: [withFinding, other], start: null, screen: null, theme: "dark",
  });
  component = mount(PresentView, { target, props: { backend } });
  await settle();
  return { view, withFinding, other, session, clauses };
}

test("without a presentation the projector says how to start one", async () => {
  component = mount(PresentView, { target, props: { backend } });
  await settle();
  expect(one("present-waiting")?.textContent).toContain("Ingen presentation pågår");
});

test("the projector shows the clause with its findings, and keys move, blank and leave", async () => {
  const { view, withFinding, other } = await start();
  const clauseOf = (id: string) => view.outline.clauses.find((c) => c.id === id)!;
  expect(one("present-label")?.textContent).toBe(clauseOf(withFinding).label);
  expect(one("present-text")?.textContent).toBe(clauseOf(withFinding).text);
  expect(one("present-position")?.textContent).toBe("1 av 2");
  expect(target.querySelectorAll('[data-testid="present-finding"]')).toHaveLength(1);
  expect(one("present-view")?.dataset.theme).toBe("dark");

  await press("PageDown");
  expect(one("present-label")?.textContent).toBe(clauseOf(other).label);
  expect(one("present-position")?.textContent).toBe("2 av 2");
  expect(one("present-findings")).toBeNull();
  // The end of the agenda stops the clicker.
  await press("PageDown");
  expect(one("present-position")?.textContent).toBe("2 av 2");

  await press("b");
  expect(one("present-view")?.dataset.blank).toBe("true");
  expect(one("present-label")).toBeNull();
  await press("PageUp");
  expect(one("present-view")?.dataset.blank).toBe("false");
  expect(one("present-label")?.textContent).toBe(clauseOf(withFinding).label);

  const moves = backend.calls.filter((c) => c.command.startsWith("presentation_")).map((c) => c.command);
  expect(moves).toEqual(["presentation_open", "presentation_state", "presentation_go", "presentation_go", "presentation_blank", "presentation_go"]);

  await press("Escape");
  expect(await backend.presentationState()).toBeNull();
  expect(one("present-waiting")?.textContent).toContain("Ingen presentation pågår");
});

test("a decision and a judgement recorded in the control window appear on the projector", async () => {
  const { view, withFinding, session } = await start();
  const finding = view.findings[0]!;
  expect(one("present-decision")).toBeNull();
  await backend.recordJudgement(session.id, finding.id, 1, 1, "");
  await backend.recordDecision(session.id, withFinding, "defer", "Lena vill läsa mer.");
  await settle();
  expect(one("present-decision")?.textContent).toContain("Beslut: Skjut upp");
  expect(one("present-decision")?.textContent).toContain("Lena vill läsa mer.");
  expect(one("present-cell-1-1")?.textContent).toBe("F1");
  expect(target.textContent).toContain("rummets bedömning");
});

test("the light theme is a switch away", async () => {
  await start();
  await backend.presentationTheme("light");
  await settle();
  expect(one("present-view")?.dataset.theme).toBe("light");
});
