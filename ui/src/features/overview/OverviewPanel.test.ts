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

// The whole library's overview: every document's findings in one matrix, a row per document.
async function libraryWithTwoAnalysed(): Promise<void> {
  m.cleanup();
  m = await mountApp(undefined, async (b) => {
    const { emptyFindingInput } = await import("../../lib/finding");
    await b.addFinding("fc-2", {
      ...emptyFindingInput(),
      unintended_consequence: "Närvarokort kan fyllas i i efterhand.",
      likelihood: 4,
      impact: 3,
      crime_types: ["BID"],
    });
  });
  ({ all, one, settle, backend } = m);
}

test("the library's overview adds up every document and opens a finding in its own document", async () => {
  await libraryWithTwoAnalysed();
  const open = one("library-overview-open");
  expect(open.getAttribute("aria-pressed")).toBe("false");
  open.click();
  await settle();
  expect(open.getAttribute("aria-pressed")).toBe("true");
  expect(all("library-overview")).toHaveLength(1);
  expect(all("outline")).toHaveLength(0);
  expect(m.target.querySelectorAll('[data-pane="findings"]')).toHaveLength(0);
  expect(one("library-overview").querySelector("h2")?.textContent).toBe("Översikt över hela biblioteket");
  // 10 clauses in the sample, 3 in the föreningsbidrag: one reviewed in each.
  expect(one("overview-coverage").textContent).toContain("2 av 13 klausuler granskade");

  const rows = all("overview-document");
  expect(rows.map((r) => r.dataset.documentId)).toEqual(["doc-kundval", "doc-forening"]);
  const forening = rows[1] as HTMLElement;
  expect(forening.querySelector('[data-testid="overview-document-reviewed"]')?.textContent).toBe("1 / 3");
  const marks = [...forening.querySelectorAll<HTMLElement>('[data-testid="overview-mark"]')];
  expect(marks).toHaveLength(1);
  expect(marks[0]?.style.left).toBe(`${(1 / 3) * 100}%`);

  // The cell holds the föreningsbidrag finding, named with its document and clause.
  const cell = one("heat-cell-4-3");
  expect(cell.dataset.count).toBe("1");
  cell.click();
  await settle();
  expect(one("overview-finding").textContent).toBe("Närvarokort kan fyllas i i efterhand.");
  expect(one("overview-finding-place").textContent).toContain("Riktlinjer för föreningsbidrag");
  one("overview-finding").click();
  await settle();
  expect(all("library-overview")).toHaveLength(0);
  expect(one("document-title").textContent).toBe("Riktlinjer för föreningsbidrag");
  expect(one("clause-text").textContent).toContain("deltagartillfälle");
  expect(all("finding-item").some((f) => f.getAttribute("aria-pressed") === "true")).toBe(true);
  expect(one("library-overview-open").getAttribute("aria-pressed")).toBe("false");
});

test("a mark on a document's strip opens that clause, and the library's image is saved without a document", async () => {
  await libraryWithTwoAnalysed();
  one("library-overview-open").click();
  await settle();
  one("overview-image-svg").click();
  await settle();
  expect(JSON.stringify(backend.imagesWritten)).toBe(JSON.stringify([{ docId: null, format: "svg", part: "all", lang: "sv" }]));
  const part = one("overview-image-part") as HTMLSelectElement;
  expect([...part.options].map((o) => o.textContent)).toContain("Täckning per dokument");

  const kundvalMarks = (all("overview-document")[0] as HTMLElement).querySelectorAll<HTMLElement>('[data-testid="overview-mark"]');
  expect(kundvalMarks).toHaveLength(1);
  kundvalMarks[0]?.click();
  await settle();
  expect(one("document-title").textContent).toBe("Reglemente för kundval inom hemtjänst");
  expect(one("clause-label").textContent).toBe("Ekonomi och ledning › p. 2");
});

test("the library's overview button is not offered for an empty library", async () => {
  m.cleanup();
  m = await mountApp({ ...(await import("../../lib/backend/sample")).sampleLibrary(), documents: [] });
  ({ all, one, settle, backend } = m);
  expect(all("library-overview-open")).toHaveLength(0);
});

test("clause keys do nothing while an overview covers the outline; they work again once it is gone", async () => {
  const press = (k: string) => {
    document.body.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));
    flushSync();
  };
  const clauseBefore = m.app.selectedClauseId;
  for (const open of ["toggle-overview", "library-overview-open"]) {
    one(open).click();
    await settle();
    expect(all("outline")).toHaveLength(0);
    press("j");
    press("a");
    press("n");
    await settle();
    expect(m.app.selectedClauseId).toBe(clauseBefore);
    expect(backend.callsOf("accept_suggestion")).toHaveLength(0);
    expect(backend.callsOf("add_finding")).toHaveLength(0);
    // Back to the clauses.
    if (open === "toggle-overview") one("toggle-overview").click();
    else (all("doc-item")[0] as HTMLElement).click();
    await settle();
    expect(all("outline")).toHaveLength(1);
  }
  // From the outline (where one-letter keys act) j moves again.
  const current = document.querySelector<HTMLElement>('[data-testid="clause-item"][aria-current="true"]') as HTMLElement;
  current.focus();
  current.dispatchEvent(new KeyboardEvent("keydown", { key: "j", bubbles: true, cancelable: true }));
  await settle();
  expect(m.app.selectedClauseId).not.toBe(clauseBefore);
});

test("the library's overview follows changes to the library, and its button toggles it off again", async () => {
  await libraryWithTwoAnalysed();
  one("library-overview-open").click();
  await settle();
  expect(one("overview-coverage").textContent).toContain("2 av 13 klausuler granskade");
  // A change from elsewhere (an import, a bundle, a restore) refreshes the library's list.
  const { emptyFindingInput } = await import("../../lib/finding");
  await backend.addFinding("fc-3", { ...emptyFindingInput(), unintended_consequence: "Korten visas aldrig." });
  await m.app.refreshDocuments();
  await settle();
  expect(one("overview-coverage").textContent).toContain("3 av 13 klausuler granskade");

  one("library-overview-open").click();
  await settle();
  expect(all("library-overview")).toHaveLength(0);
  expect(all("outline")).toHaveLength(1);
  expect(one("library-overview-open").getAttribute("aria-pressed")).toBe("false");
});
