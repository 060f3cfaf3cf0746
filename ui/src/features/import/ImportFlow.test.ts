// Import, metadata, split/merge and history in the whole UI against the fake backend.
import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import App from "../../App.svelte";
import { FakeBackend } from "../../lib/backend/fake";
import { sampleLibrary } from "../../lib/backend/sample";
import { i18n } from "../../lib/i18n/index.svelte";
import { AppState } from "../../lib/state.svelte";
import { emptyFindingInput } from "../../lib/finding";

let target: HTMLElement;
let component: ReturnType<typeof mount>;
let backend: FakeBackend;
let app: AppState;

const all = (testid: string, root: ParentNode = target) => [
  ...root.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`),
];
const one = (testid: string, root: ParentNode = target) => {
  const el = all(testid, root)[0];
  if (!el) throw new Error(`no data-testid="${testid}"`);
  return el;
};
const text = (el: Element | undefined) => (el?.textContent ?? "").replace(/\s+/g, " ").trim();

async function settle(rounds = 8) {
  for (let i = 0; i < rounds; i++) {
    await vi.advanceTimersByTimeAsync(0);
    await tick();
  }
  flushSync();
}

const MARKDOWN = `# Riktlinje för tillfälliga serveringstillstånd

Dnr: KS 2026/0017

## 1. Ansökan

Ansökan ska lämnas in senast tre veckor före arrangemanget.

Sökanden ska intyga att näringsförbud inte föreligger.

## 2. Tillsyn

Kommunen får göra oanmälda besök under serveringstiden.
`;

/** Puts the caret at `offset` in the clause text, as a click or the arrow keys would. */
function placeCaret(el: HTMLElement, offset: number) {
  const node = el.firstChild as Text;
  const range = document.createRange();
  range.setStart(node, offset);
  range.collapse(true);
  const selection = document.getSelection() as Selection;
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new Event("selectionchange"));
}

function file(name: string, content: string): File {
  return new File([content], name);
}

beforeEach(async () => {
  vi.useFakeTimers();
  i18n.set("sv");
  backend = new FakeBackend(sampleLibrary());
  app = new AppState(backend);
  target = document.createElement("div");
  document.body.appendChild(target);
  component = mount(App, { target, props: { app } });
  await settle();
});
afterEach(() => {
  unmount(component);
  target.remove();
  vi.useRealTimers();
});

test("the import button is a real button that opens the hidden multi-file input", () => {
  const button = one("import-button") as HTMLButtonElement;
  expect(button.tagName).toBe("BUTTON");
  expect(button.textContent).toBe("Importera…");
  const input = one("import-input") as HTMLInputElement;
  expect(input.type).toBe("file");
  expect(input.multiple).toBe(true);
  expect(input.accept).toBe(".docx,.pdf,.odt,.md,.markdown,.txt,.html,.htm,.json");
  let opened = 0;
  input.addEventListener("click", () => opened++);
  button.click();
  expect(opened).toBe(1);
});

test("files are imported one after another with progress, then a summary; the first new document opens", async () => {
  const release = backend.hold("import_file");
  const run = app.importFiles([
    file("serveringstillstånd.md", MARKDOWN),
    file("tom.txt", ""),
    file("gammal.doc", "x"),
  ]);
  await settle();

  const progress = one("import-progress");
  expect(text(progress)).toContain("Läser in 1 av 3: serveringstillstånd.md…");
  const bar = progress.querySelector('[role="progressbar"]') as HTMLElement;
  expect(bar.getAttribute("aria-valuemax")).toBe("3");
  expect(bar.getAttribute("aria-valuenow")).toBe("0");
  expect(target.querySelector('[data-testid="import-summary"]')).toBeNull();
  // One at a time: the second file is not sent before the first is answered.
  expect(backend.callsOf("import_file")).toHaveLength(1);

  release();
  await run;
  await settle();

  expect(target.querySelector('[data-testid="import-progress"]')).toBeNull();
  expect(backend.callsOf("import_file").map((c) => c.args.fileName)).toEqual([
    "serveringstillstånd.md",
    "tom.txt",
    "gammal.doc",
  ]);
  const summary = one("import-summary");
  const results = all("import-result", summary);
  expect(results.map((r) => r.dataset.ok)).toEqual(["true", "false", "false"]);
  expect(text(results[0])).toContain("Riktlinje för tillfälliga serveringstillstånd");
  expect(text(results[0])).toContain("Hittade 2 avsnitt och 3 klausuler.");
  expect(text(results[1])).toContain("tom.txt");
  expect(text(results[1])).toContain("Lästes inte in: filen är tom.");
  expect(text(results[2])).toContain("äldre Word-fil (.doc)");
  expect(text(target)).toContain("1 av 3 filer lästes in.");
  expect(document.activeElement).toBe(one("import-close"));

  // The library lists the new document, and it is open.
  const items = all("doc-item");
  expect(items).toHaveLength(3);
  const newId = items[2]?.dataset.docId as string;
  expect(app.selectedDocId).toBe(newId);
  expect(text(one("document-title"))).toBe("Riktlinje för tillfälliga serveringstillstånd");
  expect(text(one("document-dnr"))).toBe("Dnr KS 2026/0017");
  expect(all("clause-item")).toHaveLength(3);

  one("import-close").click();
  await settle();
  expect(target.querySelector('[role="dialog"]')).toBeNull();
});

test("the same file twice is refused as a duplicate, and warnings are listed", async () => {
  await app.importFiles([file("a.md", MARKDOWN)]);
  await settle();
  one("import-close").click();
  await settle();
  await app.importFiles([file("kopia.md", MARKDOWN), file("rapport.pdf", "%PDF-1.7 demo")]);
  await settle();
  const results = all("import-result", one("import-summary"));
  expect(results.map((r) => r.dataset.ok)).toEqual(["false", "true"]);
  expect(text(results[0])).toContain("Lästes inte in: filen finns redan i biblioteket.");
  expect(text(results[0])).toContain("already in the library");
  expect(text(results[1])).toContain("Varningar");
  expect(text(results[1])).toContain("Demo mode reads only text");
});

test("a file refused as already in the library can be replaced by a new version that keeps its findings", async () => {
  await app.importFiles([file("a.md", MARKDOWN)]);
  await settle();
  one("import-close").click();
  await settle();
  const firstId = app.selectedDocId as string;
  const clause = app.clauses[0];
  if (!clause) throw new Error("no clause");
  await backend.addFinding(clause.id, { ...emptyFindingInput(), unintended_consequence: "Kan utnyttjas." });
  await app.importFiles([file("a.md", MARKDOWN)]);
  await settle();
  const refused = one("import-result", one("import-summary"));
  expect(refused.dataset.ok).toBe("false");
  const replace = one("import-replace", refused);
  expect(text(replace)).toBe("Ersätt med ny version");
  expect(replace.getAttribute("aria-label")).toBe("Ersätt a.md med en ny version");
  replace.click();
  await settle();
  const done = one("import-result", one("import-summary"));
  expect(done.dataset.ok).toBe("true");
  expect(text(one("import-replaced", done))).toBe("Inläst som version 2: 1 av iakttagelserna förda över.");
  expect(all("import-replace")).toHaveLength(0);
  expect(backend.callsOf("import_file_replacing")).toHaveLength(1);
  // The new version is opened, with the finding carried over; the first stays.
  expect(app.selectedDocId).not.toBe(firstId);
  expect(app.documents.map((d) => d.id)).toContain(firstId);
  expect(app.view?.findings.map((f) => f.unintended_consequence)).toEqual(["Kan utnyttjas."]);
});

test("choosing files in the input imports them", async () => {
  const input = one("import-input") as HTMLInputElement;
  const files = [file("a.md", MARKDOWN)];
  Object.defineProperty(input, "files", { configurable: true, get: () => files });
  input.dispatchEvent(new Event("change", { bubbles: true }));
  await settle();
  await vi.waitFor(() => expect(all("import-summary")).toHaveLength(1));
  expect(backend.callsOf("import_file")).toHaveLength(1);
});

test("dragging files over the window shows the drop zone; dropping imports them", async () => {
  const files = [file("a.md", MARKDOWN), file("b.txt", "1. Första punkten.\n\n2. Andra punkten.")];
  const transfer = { types: ["Files"], files, dropEffect: "none" };
  const drag = (type: string) => {
    const event = new Event(type, { bubbles: true, cancelable: true });
    Object.defineProperty(event, "dataTransfer", { value: transfer });
    window.dispatchEvent(event);
    return event;
  };
  expect(target.querySelector('[data-testid="drop-zone"]')).toBeNull();
  expect(drag("dragenter").defaultPrevented).toBe(true);
  const over = drag("dragover");
  expect(over.defaultPrevented).toBe(true);
  await settle();
  expect(text(one("drop-zone"))).toContain("Släpp filerna för att läsa in dem");
  drag("drop");
  await settle();
  expect(target.querySelector('[data-testid="drop-zone"]')).toBeNull();
  await vi.waitFor(() => expect(all("import-summary")).toHaveLength(1));
  expect(all("import-result").map((r) => r.dataset.ok)).toEqual(["true", "true"]);
});

test("stopping an import finishes the current file and lists the rest as not imported", async () => {
  const release = backend.hold("import_file");
  const run = app.importFiles([file("a.md", MARKDOWN), file("b.txt", "Text.")]);
  await settle();
  one("import-stop").click();
  await settle();
  expect(text(one("import-stop"))).toBe("Avbryter efter den här filen…");
  release();
  await run;
  await settle();
  expect(backend.callsOf("import_file")).toHaveLength(1);
  expect(all("import-result").map((r) => r.dataset.ok)).toEqual(["true", "false"]);
  expect(text(all("import-result")[1])).toContain("importen avbröts");
});

test("metadata is edited in a form and saved with update_metadata", async () => {
  one("edit-metadata").click();
  await settle();
  const dnr = one("meta-dnr") as HTMLInputElement;
  expect(dnr.value).toBe("SN 2024/0142");
  expect(document.activeElement).toBe(one("meta-title"));
  for (const f of ["title", "doc_type", "owner", "dnr", "decided", "decided_by", "responsible", "valid_from", "valid_to", "version_label"]) {
    expect(all(`meta-${f}`), f).toHaveLength(1);
  }
  dnr.value = "SN 2025/0999";
  dnr.dispatchEvent(new Event("input", { bubbles: true }));
  one("meta-save").click();
  await settle();
  const call = backend.callsOf("update_metadata")[0];
  expect(call?.args.docId).toBe("doc-kundval");
  expect(call?.args.meta).toMatchObject({ dnr: "SN 2025/0999", title: "Reglemente för kundval inom hemtjänst" });
  expect(target.querySelector('[data-testid="metadata-form"]')).toBeNull();
  expect(text(one("document-dnr"))).toBe("Dnr SN 2025/0999");
  const listed = all("doc-item").find((i) => i.dataset.docId === "doc-kundval");
  expect(app.documents.find((d) => d.id === "doc-kundval")?.dnr).toBe("SN 2025/0999");
  expect(listed).toBeTruthy();
});

test("an empty title is not sent; Escape with changes asks before discarding", async () => {
  one("edit-metadata").click();
  await settle();
  const title = one("meta-title") as HTMLInputElement;
  title.value = "  ";
  title.dispatchEvent(new Event("input", { bubbles: true }));
  one("meta-save").click();
  await settle();
  expect(backend.callsOf("update_metadata")).toHaveLength(0);
  expect(title.getAttribute("aria-invalid")).toBe("true");
  expect(text(target)).toContain("Dokumentet måste ha en titel.");

  title.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
  await settle();
  expect(text(target)).toContain("Du har ändringar som inte är sparade.");
  one("meta-discard").click();
  await settle();
  expect(target.querySelector('[data-testid="metadata-form"]')).toBeNull();
  expect(text(one("document-title"))).toBe("Reglemente för kundval inom hemtjänst");
});

test("a clause is split at the caret (UTF-8 bytes) and merged back, keeping the selection", async () => {
  const clause = all("clause-item").find((c) => c.dataset.clauseId === "c-2-1-2") as HTMLElement;
  clause.click();
  await settle();
  const area = one("clause-text");
  const original =
    "Ägare och personer i ledande ställning får inte vara dömda för brott som avser yrkesutövningen.\nKravet prövas när ansökan om auktorisation kommer in.";
  expect(area.textContent).toBe(original);
  expect(area.getAttribute("aria-readonly")).toBe("true");
  expect((one("split-clause") as HTMLButtonElement).disabled).toBe(true);

  const caret = original.indexOf("Kravet");
  area.focus();
  placeCaret(area, caret);
  await settle();
  expect((one("split-clause") as HTMLButtonElement).disabled).toBe(false);
  expect(text(target)).toContain("den andra börjar med ”Kravet prövas när ansökan om");

  one("split-clause").click();
  await settle();
  const at = backend.callsOf("split_clause")[0]?.args.at;
  // Bytes, not characters: Ä, ä, å, ö before the caret take two bytes each.
  expect(at).toBe(new TextEncoder().encode(original.slice(0, caret)).length);
  expect(at).toBe(caret + 6);
  expect(all("clause-item")).toHaveLength(11);
  expect(app.selectedClauseId).toBe("c-2-1-2");
  expect(one("clause-text").textContent).toBe(
    "Ägare och personer i ledande ställning får inte vara dömda för brott som avser yrkesutövningen.",
  );
  // The finding stays on the first part.
  expect(all("finding-item")).toHaveLength(1);
  expect(text(target)).toContain("Klausulen delades i två.");

  one("merge-next").click();
  await settle();
  expect(backend.callsOf("merge_with_next")[0]?.args).toEqual({ clauseId: "c-2-1-2" });
  expect(all("clause-item")).toHaveLength(10);
  expect(app.selectedClauseId).toBe("c-2-1-2");
  expect(one("clause-text").textContent).toBe(original.replace("\n", " "));

  // Both show in the clause's history.
  const reader = target.querySelector('[aria-label="Vald klausul"]') as HTMLElement;
  one("history-toggle", reader).click();
  await settle();
  const lines = all("history-event", reader).map(text);
  expect(lines[0]).toMatch(/^demo slog ihop klausulen med nästa \d{4}-\d\d-\d\d \d\d:\d\d$/);
  expect(lines[1]).toMatch(/^demo delade klausulen /);
});

test("the clause text cannot be edited", async () => {
  const area = one("clause-text");
  const before = area.textContent;
  const typing = new InputEvent("beforeinput", { inputType: "insertText", data: "x", bubbles: true, cancelable: true });
  area.dispatchEvent(typing);
  expect(typing.defaultPrevented).toBe(true);
  // Should something get through anyway, the text is put back.
  (area.firstChild as Text).data = "ändrad";
  area.dispatchEvent(new Event("input", { bubbles: true }));
  expect(area.textContent).toBe(before);
});

test("merge is not offered on the last clause; Enter in the text splits", async () => {
  app.moveClause(100);
  await settle();
  expect((one("merge-next") as HTMLButtonElement).disabled).toBe(true);
  const area = one("clause-text");
  placeCaret(area, (area.textContent ?? "").indexOf("för den tid"));
  area.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
  await settle();
  expect(backend.callsOf("split_clause")).toHaveLength(1);
  expect(all("clause-item")).toHaveLength(11);
});

test("a finding's history says who changed it and when", async () => {
  const clause = all("clause-item").find((c) => c.dataset.clauseId === "c-3-1") as HTMLElement;
  clause.click();
  await settle();
  one("new-finding").click();
  await settle();
  const consequence = one("finding-consequence") as HTMLTextAreaElement;
  consequence.value = "Uppföljningen kan bli en formalitet.";
  consequence.dispatchEvent(new Event("input", { bubbles: true }));
  await vi.advanceTimersByTimeAsync(400);
  await settle();
  const panel = one("finding-form").parentElement as HTMLElement;
  const toggle = one("history-toggle", panel);
  expect(toggle.getAttribute("aria-expanded")).toBe("false");
  toggle.click();
  await settle();
  expect(toggle.getAttribute("aria-expanded")).toBe("true");
  const lines = all("history-event", panel).map(text);
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^demo ändrade fyndet \d{4}-\d\d-\d\d \d\d:\d\d Ändrat: Oavsiktlig konsekvens$/);
  expect(lines[1]).toMatch(/^demo skapade fyndet /);
});
