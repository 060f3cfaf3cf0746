// English is complete: the finding form, the memo (export) dialog and the
// workshop view, rendered in English, show no Swedish word of the catalogue.
// Document text and the rulebook pack's own texts are data (a Swedish pack
// stays Swedish), so words that occur there are not counted.
import { afterEach, expect, test } from "vitest";
import { sampleLibrary } from "../backend/sample";
import { mountApp, type MountedApp } from "../../test/mountApp";
import { en } from "./en";
import { i18n } from "./index.svelte";
import { sv } from "./sv";

const wordsOf = (s: string) => (s.toLowerCase().match(/\p{L}{3,}/gu) ?? []) as string[];

/** Proper nouns and names that are the same in both languages. */
const ALLOWED = new Set(["kryphål", "brå", "mur", "marc", "dnr", "word", "docx", "pdf", "markdown"]);

/** Words of the Swedish catalogue that the English one never uses. */
const englishWords = new Set(Object.values(en).flatMap(wordsOf));
const swedishWords = new Set(
  Object.values(sv)
    .flatMap(wordsOf)
    .filter((w) => !englishWords.has(w) && !ALLOWED.has(w)),
);
/** Words of the data: the sample documents, findings and the Swedish rulebook pack. */
const dataWords = new Set(wordsOf(JSON.stringify(sampleLibrary())));

/** What a reader sees or hears of `root`: its text and its labels. */
function rendered(root: Element): string {
  const parts = [root.textContent ?? ""];
  for (const el of root.querySelectorAll("[aria-label], [placeholder], [title], [aria-valuetext]")) {
    for (const a of ["aria-label", "placeholder", "title", "aria-valuetext"]) {
      const v = el.getAttribute(a);
      if (v) parts.push(v);
    }
  }
  return parts.join(" ");
}

function swedishIn(root: Element): string[] {
  // The screens' names come from the operating system: data too.
  const screens = new Set(wordsOf(JSON.stringify(m?.backend.fakeScreens ?? [])));
  return [...new Set(wordsOf(rendered(root)).filter((w) => swedishWords.has(w) && !dataWords.has(w) && !screens.has(w)))].sort();
}

let m: MountedApp | null = null;
afterEach(() => {
  m?.cleanup();
  m = null;
  i18n.set("sv");
});

test("the scan finds Swedish where there is Swedish (the Swedish UI)", async () => {
  m = await mountApp();
  expect(swedishIn(m.target).length).toBeGreaterThan(10);
});

test("the finding form, the memo dialog and the workshop speak English", async () => {
  m = await mountApp();
  const { one, all, settle, target } = m;
  i18n.set("en");
  await settle();

  // The finding form of a clause with a finding, with "More" open.
  const f = m.app.view?.findings[0];
  if (!f || !m.app.view) throw new Error("the sample has findings");
  await m.app.openAt(m.app.view.document.id, f.clause_id, f.id);
  await settle();
  const form = one("finding-form");
  expect(form).toBeTruthy();
  (one("finding-more") as HTMLDetailsElement).open = true;
  await settle();
  expect(rendered(form)).toContain(en["finding.more"]);
  expect(rendered(form)).toContain(en["finding.current"]);
  expect(swedishIn(form), "finding form").toEqual([]);
  // The core's own values (status, confidence) in the interface's words, not the Swedish pack's.
  const statusOptions = [...(form.querySelector('[data-testid="finding-status"]') as HTMLSelectElement).options].map((o) => o.textContent?.trim());
  expect(statusOptions).toEqual([en["status.draft"], en["status.reviewed"], en["status.agreed"], en["status.rejected"]]);
  const listed = target.querySelector('[data-testid="finding-item"] .status')?.textContent?.trim();
  expect([en["status.draft"], en["status.reviewed"], en["status.agreed"], en["status.rejected"]]).toContain(listed);

  // The export dialog with the memo's fields.
  one("export-open").click();
  await settle();
  const dialog = target.querySelector('[role="dialog"]') as HTMLElement;
  expect(dialog).toBeTruthy();
  expect(dialog.querySelector('[data-testid="export-memo"]')).toBeTruthy();
  expect(swedishIn(dialog), "memo dialog").toEqual([]);
  (dialog.querySelector('[data-testid="export-cancel"], [data-testid="export-close"]') as HTMLElement | null)?.click();
  await settle();

  // The workshop view, before and after a session starts.
  one("toggle-workshop").click();
  await settle();
  expect(swedishIn(one("workshop-panel")), "workshop").toEqual([]);
  const attendees = one("workshop-new-attendees") as HTMLTextAreaElement;
  attendees.value = "Anna Berg";
  attendees.dispatchEvent(new Event("input", { bubbles: true }));
  one("workshop-start").closest("form")?.requestSubmit();
  await settle();
  expect(one("workshop-control")).toBeTruthy();
  expect(swedishIn(one("workshop-control")), "workshop session").toEqual([]);
});
