// The long-document tools in the whole UI against the fake backend: the
// outline's filter, Shift+J from the outline, folding a heading, the height
// handle from the keyboard (kept in the UI store), the "Mer" panel, and the
// help overlay listing the new keys.
import { afterEach, beforeEach, expect, test } from "vitest";
import { mountApp, type MountedApp } from "../../test/mountApp";

let m: MountedApp;
let all: MountedApp["all"];
let one: MountedApp["one"];
let settle: MountedApp["settle"];

beforeEach(async () => {
  m = await mountApp();
  ({ all, one, settle } = m);
});
afterEach(() => m.cleanup());

const key = (el: Element, k: string, init: KeyboardEventInit = {}) =>
  el.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...init }));

test("the filter narrows the outline to clauses with open suggestions, and back", async () => {
  const total = all("clause-item").length;
  const select = one("outline-filter") as HTMLSelectElement;
  select.value = "suggestions";
  select.dispatchEvent(new Event("change", { bubbles: true }));
  await settle();
  const items = all("clause-item");
  expect(items.length).toBeGreaterThan(0);
  expect(items.length).toBeLessThan(total);
  for (const item of items) expect(item.querySelector('[data-testid="clause-suggestion-count"]')).not.toBeNull();
  select.value = "all";
  select.dispatchEvent(new Event("change", { bubbles: true }));
  await settle();
  expect(all("clause-item")).toHaveLength(total);
});

test("Shift+J in the outline goes to the next clause that needs the analyst; on the page itself it does nothing", async () => {
  const start = one("clause-label").textContent;
  key(document.body, "J", { shiftKey: true });
  await settle();
  expect(one("clause-label").textContent).toBe(start);
  const selected = all("clause-item").find((c) => c.getAttribute("aria-current") === "true");
  if (!selected) throw new Error("a clause is selected");
  selected.focus();
  key(selected, "J", { shiftKey: true });
  await settle();
  // The sample's first clause has no verdict: the next one without a verdict follows it.
  expect(one("clause-label").textContent).not.toBe(start);
});

test("a folded heading hides its clauses, and unfolds again", async () => {
  const total = all("clause-item").length;
  const fold = all("section-fold")[0];
  if (!fold) throw new Error("the sample has headings");
  expect(fold.getAttribute("aria-expanded")).toBe("true");
  fold.click();
  await settle();
  expect(all("clause-item").length).toBeLessThan(total);
  expect(all("section-fold")[0]?.getAttribute("aria-expanded")).toBe("false");
  all("section-fold")[0]?.click();
  await settle();
  expect(all("clause-item")).toHaveLength(total);
});

test("ArrowLeft from a clause reaches its heading's fold button; Enter folds, ArrowDown comes back to a clause", async () => {
  const total = all("clause-item").length;
  const rows = all("clause-item");
  const second = rows[1];
  if (!second) throw new Error("two clauses");
  second.click();
  await settle();
  second.focus();
  key(second, "ArrowLeft");
  await settle();
  const fold = document.activeElement as HTMLElement;
  expect(fold.dataset.testid).toBe("section-fold");
  fold.click(); // what Enter on a button does
  await settle();
  expect(all("clause-item").length).toBeLessThan(total);
  key(fold, "ArrowDown");
  await settle();
  expect((document.activeElement as HTMLElement).dataset.testid).toBe("clause-item");
});

test("the outline's height handle moves with the arrow keys and says its value", async () => {
  const handle = one("outline-resize");
  expect(handle.getAttribute("role")).toBe("separator");
  expect(handle.getAttribute("aria-valuenow")).not.toBeNull();
  handle.focus();
  key(handle, "End");
  await settle();
  const split = document.querySelector<HTMLElement>(".split");
  expect(split?.style.gridTemplateRows).toMatch(/^\d+px auto minmax\(160px, 1fr\)$/);
});

test("the less used actions sit behind Mer, which opens, closes with Escape and blocks one-letter keys while open", async () => {
  const more = one("doc-more");
  const panel = one("doc-more-panel");
  expect(panel.hidden).toBe(true);
  more.click();
  await settle();
  expect(more.getAttribute("aria-expanded")).toBe("true");
  expect(panel.hidden).toBe(false);
  for (const id of ["export-open", "review-open", "edit-metadata", "rescreen", "delete-document"]) {
    expect(panel.querySelector(`[data-testid="${id}"]`)).not.toBeNull();
  }
  const exportButton = panel.querySelector('[data-testid="export-open"]');
  if (!exportButton) throw new Error("export is in the panel");
  key(exportButton, "Escape");
  await settle();
  expect(more.getAttribute("aria-expanded")).toBe("false");
  expect(document.activeElement).toBe(more);
});

test("the help overlay lists PageDown and Shift+J", async () => {
  const selected = all("clause-item").find((c) => c.getAttribute("aria-current") === "true");
  selected?.focus();
  if (selected) key(selected, "?");
  await settle();
  const text = one("help-overlay").textContent ?? "";
  expect(text).toContain("PageDown");
  expect(text).toContain("Shift+J");
});
