// The overview in the whole UI against the fake backend: the toggle, the
// heat map counts, a cell's findings, the strip, and jumping back to a clause.
import { flushSync } from "svelte";
import { afterEach, beforeEach, expect, test } from "vitest";
import { mountApp, type MountedApp } from "../../test/mountApp";

let m: MountedApp;
let all: MountedApp["all"];
let one: MountedApp["one"];
let settle: MountedApp["settle"];
let backend: MountedApp["backend"];

beforeEach(async () => {
  m = await mountApp();
  ({ all, one, settle, backend } = m);
});
afterEach(() => m.cleanup());

test("the overview replaces the clause view and counts the sample's finding in its cell", async () => {
  const toggle = one("toggle-overview");
  expect(toggle.getAttribute("aria-pressed")).toBe("false");
  toggle.click();
  await settle();
  expect(toggle.getAttribute("aria-pressed")).toBe("true");
  expect(all("outline")).toHaveLength(0);
  expect(one("overview-coverage").textContent).toContain("1 av 10 klausuler granskade");
  const cells = [...one("overview").querySelectorAll<HTMLElement>('[data-testid^="heat-cell-"]')];
  expect(cells).toHaveLength(16);
  const withFindings = cells.filter((c) => Number(c.dataset.count) > 0);
  expect(withFindings.length).toBeGreaterThan(0);
  const total = cells.reduce((n, c) => n + Number(c.dataset.count), 0);
  const view = await backend.getDocument("doc-kundval");
  const rated = view.findings.filter((f) => f.likelihood != null && f.impact != null).length;
  expect(total).toBe(rated);

  // A cell's findings, and a click on one opens its clause.
  const cell = withFindings[0] as HTMLElement;
  cell.click();
  await settle();
  expect(cell.getAttribute("aria-pressed")).toBe("true");
  const finding = one("overview-finding");
  expect(finding).toBeTruthy();
  finding.click();
  await settle();
  expect(all("overview")).toHaveLength(0);
  expect(one("clause-label").textContent).toBe("Ekonomi och ledning › p. 2");
  expect(all("finding-item").some((f) => f.getAttribute("aria-pressed") === "true")).toBe(true);
});

test("the heat strip marks the clauses with findings and opens them", async () => {
  one("toggle-overview").click();
  await settle();
  const ticks = all("heat-tick");
  expect(ticks).toHaveLength(1);
  expect(ticks[0]?.dataset.level).toBe("high");
  expect(one("heat-strip").children).toHaveLength(10);
  ticks[0]?.click();
  await settle();
  expect(one("clause-label").textContent).toBe("Ekonomi och ledning › p. 2");
});

test("an empty cell says so, and statuses are listed by name", async () => {
  one("toggle-overview").click();
  await settle();
  const empty = [...one("overview").querySelectorAll<HTMLElement>('[data-testid^="heat-cell-"]')].find(
    (c) => c.dataset.count === "0",
  ) as HTMLElement;
  empty.click();
  await settle();
  expect(one("heat-cell-findings").textContent).toContain("Inga fynd i den här rutan.");
  expect(one("overview-statuses").textContent).toMatch(/Utkast|Granskad|Överenskommen/);
});

test("the overview, or one chart of it, is saved as PNG or SVG in the interface's language", async () => {
  one("toggle-overview").click();
  await settle();
  one("overview-image-png").click();
  await settle();
  const part = one("overview-image-part") as HTMLSelectElement;
  part.selectedIndex = [...part.options].findIndex((o) => o.value === "matrix");
  part.dispatchEvent(new Event("change", { bubbles: true }));
  flushSync();
  one("overview-image-svg").click();
  await settle();
  expect(JSON.stringify(backend.imagesWritten)).toBe(JSON.stringify([
    { docId: "doc-kundval", format: "png", part: "all", lang: "sv" },
    { docId: "doc-kundval", format: "svg", part: "matrix", lang: "sv" },
  ]));
  expect(one("overview-image-status").textContent).toContain("Sparade Reglemente för kundval inom hemtjänst - matrix.svg");

  backend.failNext("export_overview_image", { code: "io", message: "The disk is full." });
  one("overview-image-png").click();
  await settle();
  expect(one("overview-image-status").textContent).toContain("Bilden kunde inte sparas");
  expect(one("overview-image-status").textContent).toContain("The disk is full.");
});
