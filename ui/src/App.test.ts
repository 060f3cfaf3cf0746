// The whole UI against the fake backend, as the end-to-end tests will see it
// through the data-testid contract.
import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import App from "./App.svelte";
import { FakeBackend } from "./lib/backend/fake";
import { sampleLibrary } from "./lib/backend/sample";
import { i18n } from "./lib/i18n/index.svelte";
import { AppState } from "./lib/state.svelte";

let target: HTMLElement;
let component: ReturnType<typeof mount>;
let backend: FakeBackend;

const all = (testid: string) => [...target.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];
const one = (testid: string) => all(testid)[0] as HTMLElement;
/** A key pressed with the focus on the outline's current clause, where the one-letter keys act. */
function pressInOutline(key: string, init: KeyboardEventInit = {}) {
  const current = target.querySelector<HTMLElement>('[data-testid="clause-item"][aria-current="true"]') as HTMLElement;
  current.focus();
  current.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...init }));
}

async function settle() {
  for (let i = 0; i < 5; i++) {
    await vi.advanceTimersByTimeAsync(0);
    await tick();
  }
  flushSync();
}

beforeEach(async () => {
  vi.useFakeTimers();
  i18n.set("sv");
  backend = new FakeBackend(sampleLibrary());
  target = document.createElement("div");
  document.body.appendChild(target);
  component = mount(App, { target, props: { app: new AppState(backend) } });
  await settle();
});
afterEach(() => {
  unmount(component);
  target.remove();
  vi.useRealTimers();
});

test("the library lists documents with progress, findings and highest risk", () => {
  const items = all("doc-item");
  expect(items.map((i) => i.dataset.docId)).toEqual(["doc-kundval", "doc-forening"]);
  const first = items[0] as HTMLElement;
  expect(first.textContent).toContain("Reglemente för kundval inom hemtjänst");
  expect(first.textContent).toContain("1 av 10 klausuler granskade");
  // Findings by risk level, the highest first.
  const risk = first.querySelector<HTMLElement>('[data-testid="doc-risk"]');
  expect(risk?.dataset.level).toBe("high");
  expect(risk?.textContent?.trim()).toBe("1 Hög");
  expect(one("doc-list").contains(first)).toBe(true);
});

test("a document that is not open still shows its open suggestions", async () => {
  const open = one("doc-item").querySelector('[data-testid="doc-suggestions"]')?.textContent;
  expect(open).toMatch(/^\d+ öppna förslag$/);
  (all("doc-item")[1] as HTMLElement).click();
  await settle();
  expect(all("doc-item")[1]?.getAttribute("aria-current")).toBe("page");
  expect(one("doc-item").querySelector('[data-testid="doc-suggestions"]')?.textContent).toBe(open);
});

test("the outline shows headings and clauses in document order, the first clause selected", () => {
  expect(all("section-heading").map((h) => h.textContent?.replace(/\s+/g, " ").trim())).toEqual([
    "1. Inledning",
    "2. Krav på utföraren",
    "2.1 Ekonomi och ledning",
    "2.2 Personal",
    "3. Uppföljning och sanktioner",
  ]);
  expect(all("clause-item")).toHaveLength(10);
  expect(one("clause-item").getAttribute("aria-current")).toBe("true");
  expect(one("clause-text").textContent).toBe(
    "Reglementet gäller för kundval inom hemtjänst enligt lagen (2008:962) om valfrihetssystem i Ekviks kommun.",
  );
  // The clause with a finding carries a marker in its risk colour.
  const marked = all("clause-item").find((c) => c.dataset.clauseId === "c-2-1-2");
  expect(marked?.querySelector('[data-testid="clause-marker"]')?.getAttribute("data-level")).toBe("high");
});

test("j moves to the next clause; n creates a finding; typing autosaves", async () => {
  pressInOutline("j");
  await settle();
  expect(one("clause-label").textContent).toBe("Inledning › p. 1.2");

  pressInOutline("n");
  await settle();
  expect(all("finding-item")).toHaveLength(1);
  expect(backend.callsOf("add_finding")[0]?.args.clauseId).toBe("c-1-2");

  const textarea = one("finding-consequence") as HTMLTextAreaElement;
  expect(document.activeElement).toBe(textarea);
  textarea.value = "Nämnden kan tolka ansvaret olika.";
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
  expect(one("save-status").dataset.state).toBe("saving");
  expect(one("save-status").textContent).toContain("Sparar…");

  await vi.advanceTimersByTimeAsync(400);
  await settle();
  expect(one("save-status").dataset.state).toBe("saved");
  expect(one("save-status").textContent).toContain("Sparat");
  const id = one("finding-item").dataset.findingId as string;
  expect(backend.storedFinding(id)?.unintended_consequence).toBe("Nämnden kan tolka ansvaret olika.");
});

test("a failed save says so in Swedish", async () => {
  const clause = all("clause-item").find((c) => c.dataset.clauseId === "c-2-1-2") as HTMLElement;
  clause.click();
  await settle();
  backend.failNext("update_finding", { code: "library_readonly", message: "attempt to write a readonly database" });
  one("matrix-cell-1-1").click();
  await vi.advanceTimersByTimeAsync(400);
  await settle();
  expect(one("save-status").dataset.state).toBe("error");
  expect(one("save-status").textContent).toBe("Kunde inte spara: biblioteket är skrivskyddat");
});

test("the shell is told once that the document list is painted", async () => {
  await vi.advanceTimersByTimeAsync(100);
  expect(backend.callsOf("ui_ready")).toHaveLength(1);
});

test("a library that cannot be opened shows a sentence about the library and no document list", async () => {
  unmount(component);
  target.innerHTML = "";
  backend = new FakeBackend(sampleLibrary());
  backend.failNext("list_documents", { code: "library_corrupt", message: "file is not a database" });
  component = mount(App, { target, props: { app: new AppState(backend) } });
  await settle();
  const fatal = one("fatal-error");
  expect(fatal.textContent).toMatch(/bibliotek/i);
  expect(fatal.textContent).toContain("biblioteksfilen är skadad");
  expect(fatal.textContent).toContain("Filen har inte ändrats.");
  expect(fatal.textContent).toContain("file is not a database");
  // Retrying cannot mend a damaged file, and nothing is being saved.
  expect(fatal.querySelector("button")).toBeNull();
  expect(target.querySelector('[data-testid="save-status"]')).toBeNull();
  expect(target.querySelector('[data-testid="doc-list"]')).toBeNull();
});

test("a read-only library offers to try again", async () => {
  unmount(component);
  target.innerHTML = "";
  backend = new FakeBackend(sampleLibrary());
  backend.failNext("list_documents", { code: "library_readonly", message: "the folder is read-only" });
  component = mount(App, { target, props: { app: new AppState(backend) } });
  await settle();
  const fatal = one("fatal-error");
  expect(fatal.textContent).toContain("biblioteket är skrivskyddat");
  const retry = fatal.querySelector("button") as HTMLButtonElement;
  expect(retry.textContent).toBe("Försök igen");
  retry.click();
  await settle();
  expect(target.querySelector('[data-testid="fatal-error"]')).toBeNull();
  expect(one("doc-list")).toBeTruthy();
});

test("the language switch turns the interface English", async () => {
  (target.querySelector('[data-testid="language-en"]') as HTMLButtonElement).click();
  await settle();
  expect(one("doc-item").textContent).toContain("1 of 10 clauses reviewed");
  expect(one("new-finding").textContent).toContain("New finding");
  expect(document.documentElement.lang).toBe("en");
});

test("Ctrl+Z outside text fields undoes the typed consequence; Ctrl+Shift+Z redoes it", async () => {
  expect((one("undo") as HTMLButtonElement).disabled).toBe(true);
  expect((one("redo") as HTMLButtonElement).disabled).toBe(true);
  pressInOutline("n");
  await settle();
  const textarea = one("finding-consequence") as HTMLTextAreaElement;
  textarea.value = "Ersättning utan prestation.";
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
  // In the text field Ctrl+Z is the field's own (nothing happens here).
  textarea.dispatchEvent(new KeyboardEvent("keydown", { key: "z", ctrlKey: true, bubbles: true }));
  await settle();
  expect(backend.callsOf("undo")).toHaveLength(0);
  textarea.blur();
  window.dispatchEvent(new KeyboardEvent("keydown", { key: "z", ctrlKey: true }));
  await vi.advanceTimersByTimeAsync(400);
  await settle();
  expect(backend.callsOf("undo")).toHaveLength(1);
  const id = one("finding-item").dataset.findingId as string;
  expect(backend.storedFinding(id)?.unintended_consequence).toBe("");
  expect((one("finding-consequence") as HTMLTextAreaElement).value).toBe("");
  expect(one("undo-status").textContent).toBe("Ångrade: ändring av fynd");
  expect((one("redo") as HTMLButtonElement).disabled).toBe(false);

  window.dispatchEvent(new KeyboardEvent("keydown", { key: "Z", ctrlKey: true, shiftKey: true }));
  await settle();
  expect((one("finding-consequence") as HTMLTextAreaElement).value).toBe("Ersättning utan prestation.");
  expect(one("undo-status").textContent).toBe("Gjorde om: ändring av fynd");

  one("undo").click();
  await settle();
  expect((one("finding-consequence") as HTMLTextAreaElement).value).toBe("");
});

test("? opens the keyboard help, Escape closes it", async () => {
  pressInOutline("?", { shiftKey: true });
  await settle();
  const overlay = one("help-overlay");
  expect(overlay).toBeTruthy();
  expect(all("help-row").length).toBeGreaterThanOrEqual(9);
  // The data shipped with the program, with its licence (issue 18: the search's word list).
  const licences = one("help-licences").textContent ?? "";
  expect(licences).toContain("Hunspell");
  expect(licences).toContain("GNU LGPL version 3");
  expect(overlay.contains(document.activeElement)).toBe(true);
  overlay.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
  await settle();
  expect(all("help-overlay")).toHaveLength(0);
});

test("preferences: the name and language are saved; the language switch saves too", async () => {
  one("open-preferences").click();
  await settle();
  const name = one("pref-user-name") as HTMLInputElement;
  name.value = "Anna Berg";
  name.dispatchEvent(new Event("input", { bubbles: true }));
  const lang = one("pref-language") as HTMLSelectElement;
  lang.selectedIndex = [...lang.options].findIndex((o) => o.value === "en");
  lang.dispatchEvent(new Event("change", { bubbles: true }));
  flushSync();
  one("pref-save").click();
  await settle();
  const saved = backend.callsOf("set_preferences").at(-1)?.args as { prefs: { user_name: string; language: string } };
  expect(saved.prefs.language).toBe("en");
  expect(saved.prefs.user_name).toBe("Anna Berg");
  expect(i18n.locale).toBe("en");
  expect(all("preferences-form")).toHaveLength(0);

  one("language-sv").click();
  await settle();
  expect(backend.callsOf("set_preferences").at(-1)?.args).toEqual({
    prefs: { user_name: "Anna Berg", language: "sv", name_asked: true },
  });
});

test("the library is grouped by document type and owner", () => {
  const groups = all("doc-group");
  expect(groups.length).toBeGreaterThan(0);
  expect(groups[0]?.querySelector("h3")?.textContent).toBeTruthy();
  expect(groups[0]?.querySelector("h4")?.textContent).toBeTruthy();
});

test("F6 moves the focus from pane to pane and around, Shift+F6 back", async () => {
  const press = (shiftKey = false) => {
    const from = document.activeElement ?? document.body;
    from.dispatchEvent(new KeyboardEvent("keydown", { key: "F6", shiftKey, bubbles: true }));
  };
  const pane = () => document.activeElement?.closest<HTMLElement>("[data-pane]")?.dataset.pane;
  press();
  await settle();
  expect(pane()).toBe("header");
  press();
  await settle();
  expect(pane()).toBe("library");
  expect(document.activeElement?.getAttribute("aria-current")).toBe("page");
  press();
  await settle();
  expect(pane()).toBe("outline");
  expect(document.activeElement?.getAttribute("aria-current")).toBe("true");
  press();
  await settle();
  expect(document.activeElement).toBe(one("clause-text"));
  press();
  await settle();
  expect(pane()).toBe("findings");
  press();
  await settle();
  expect(pane()).toBe("header");
  press(true);
  await settle();
  expect(pane()).toBe("findings");
});

// Issue 22, item 1: a click into empty space leaves the focus on the page
// itself (in a browser the focus moves to body; here the field is blurred,
// which is the same). Typing there must not act on anything.
const SENTENCE = "Kommunledningsförvaltningen ansvarar för att nämnden kan dokumentera avtal, jämföra anbud och kontrollera dem.";

function typeOn(el: Element, text: string) {
  for (const key of text) {
    el.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
    el.dispatchEvent(new KeyboardEvent("keyup", { key, bubbles: true, cancelable: true }));
  }
}

const WRITES = ["add_finding", "accept_suggestion", "dismiss_suggestion", "update_finding", "delete_finding"];

test("typing a sentence full of n, a, d, j and k after a click into empty space does nothing", async () => {
  // The clause with an open suggestion, so that a and d would have something to act on.
  const clause = all("clause-item").find((c) => c.dataset.clauseId === "c-2-1-2") as HTMLElement;
  clause.click();
  await settle();
  pressInOutline("n");
  await settle();
  const findings = all("finding-item").length;
  const calls = backend.calls.length;
  const label = one("clause-label").textContent;
  (document.activeElement as HTMLElement).blur();
  expect(document.activeElement).toBe(document.body);

  typeOn(document.body, SENTENCE);
  await settle();

  expect(backend.calls.slice(calls).filter((c) => WRITES.includes(c.command))).toEqual([]);
  expect(all("finding-item")).toHaveLength(findings);
  expect(one("clause-label").textContent).toBe(label);
  expect(all("dismiss-reason")).toHaveLength(0);
  expect(all("help-overlay")).toHaveLength(0);
  expect(document.activeElement).toBe(document.body);
});

test("one-letter keys act from the clause reader, but not while a menu or dialog is open", async () => {
  const reader = one("clause-text");
  reader.focus();
  reader.dispatchEvent(new KeyboardEvent("keydown", { key: "j", bubbles: true, cancelable: true }));
  await settle();
  expect(one("clause-label").textContent).toBe("Inledning › p. 1.2");

  // With the exchange menu open, n in the outline creates nothing and j moves nowhere.
  one("exchange-menu").click();
  await settle();
  expect(one("exchange-menu").getAttribute("aria-expanded")).toBe("true");
  pressInOutline("n");
  pressInOutline("j");
  await settle();
  expect(backend.callsOf("add_finding")).toHaveLength(0);
  expect(one("clause-label").textContent).toBe("Inledning › p. 1.2");
  one("exchange-menu").click();
  await settle();

  // The same with the metadata dialog open.
  one("edit-metadata").click();
  await settle();
  expect(document.querySelector('[role="dialog"]')).not.toBeNull();
  pressInOutline("n");
  await settle();
  expect(backend.callsOf("add_finding")).toHaveLength(0);
});

test("clearing a choice never shifts the form: the clear link keeps its place before anything is chosen", async () => {
  pressInOutline("n");
  await settle();
  const clears = all("choice-clear");
  expect(clears.length).toBeGreaterThan(0);
  for (const c of clears) {
    expect((c as HTMLButtonElement).disabled).toBe(true);
    expect(c.classList.contains("idle")).toBe(true);
  }
});
