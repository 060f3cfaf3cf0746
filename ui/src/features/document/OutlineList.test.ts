// The outline of a long document is windowed: few rows in the DOM, the
// whole list reachable by keyboard.
import { afterEach, beforeEach, expect, test } from "vitest";
import { largeDocument, sampleLibrary } from "../../lib/backend/sample";
import { mountApp, type MountedApp } from "../../test/mountApp";

let m: MountedApp;
let all: MountedApp["all"];
let one: MountedApp["one"];
let settle: MountedApp["settle"];
let target: HTMLElement;

beforeEach(async () => {
  const library = sampleLibrary();
  library.documents = [largeDocument()];
  m = await mountApp(library);
  ({ all, one, settle, target } = m);
});
afterEach(() => m.cleanup());

test("a 2,000-clause outline puts only a window of rows in the DOM, sized for the whole list", () => {
  const outline = one("outline");
  expect(outline.dataset.rows).toBe("2040");
  const rendered = all("clause-item").length;
  expect(rendered).toBeGreaterThan(10);
  expect(rendered).toBeLessThan(120);
  // The padding stands in for the rows not rendered: 2,000 clause rows of
  // 30 px and 40 headings of 36 px in all.
  const top = parseFloat(outline.style.paddingTop);
  const bottom = parseFloat(outline.style.paddingBottom);
  const rows = [...outline.children].reduce((h, li) => h + (li.classList.contains("section") ? 36 : 30), 0);
  expect(top - 4 + rows + bottom - 12).toBe(2000 * 30 + 40 * 36);
});

test("End and Home in the outline reach the last and first clause, rendering them", async () => {
  const first = one("clause-item");
  first.focus();
  first.dispatchEvent(new KeyboardEvent("keydown", { key: "End", bubbles: true }));
  await settle();
  expect(one("clause-label").textContent).toBe("Kapitel 40 › p. 50 §");
  const last = target.querySelector<HTMLElement>('[data-clause-id="l-40-50"]');
  expect(last?.getAttribute("aria-current")).toBe("true");
  expect(last?.closest("li")?.getAttribute("aria-posinset")).toBe("2040");
  expect(all("clause-item").some((c) => c.dataset.clauseId === "l-1-1")).toBe(false);

  last?.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowUp", bubbles: true }));
  await settle();
  expect(one("clause-label").textContent).toBe("Kapitel 40 › p. 49 §");

  (document.activeElement ?? document.body).dispatchEvent(new KeyboardEvent("keydown", { key: "Home", bubbles: true }));
  await settle();
  expect(one("clause-label").textContent).toBe("Kapitel 1 › p. 1 §");
  expect(target.querySelector('[data-clause-id="l-1-1"]')?.getAttribute("aria-current")).toBe("true");
});
