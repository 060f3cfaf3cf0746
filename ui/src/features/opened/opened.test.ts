// A `.kryphal` file opened from the file manager: the app offers to import a
// bundle (nothing happens without a yes) and explains a whole library.
import { afterEach, expect, test } from "vitest";
import type { BundleImportReport } from "../../lib/bindings/BundleImportReport";
import { sampleLibrary } from "../../lib/backend/sample";
import { mountApp, type MountedApp } from "../../test/mountApp";

let m: MountedApp | null = null;
afterEach(() => m?.cleanup());

const report: BundleImportReport = {
  origin: { author: "bertil", signed_by: null, created: "2026-11-24T04:00:00Z", file: "från bertil.kryphal", app_version: "0.1.0" },
  documents: [
    {
      document_id: "d9",
      title: "Inköpspolicy",
      new_document: true,
      findings_added: 3,
      findings_updated: 0,
      findings_unchanged: 0,
      comments_added: 0,
      conflicts: 0,
      suggestions_merged: 0,
      workshop_entries: 0,
      version_linked: false,
      metadata_updated: false,
      record_conflicts: 0,
    },
  ],
  conflicts: 0,
  record_conflicts: 0,
  warnings: [],
};

test("a bundle the app was started with is offered, and imported only on yes", async () => {
  m = await mountApp(sampleLibrary(), async (b) => {
    b.opened = { name: "från bertil.kryphal", kind: "bundle" };
    b.nextBundle = report;
  });
  const { one, all, settle, backend } = m;
  expect(one("opened-file").textContent).toContain("Kryphål öppnades med filen från bertil.kryphal");
  expect(document.activeElement).toBe(one("opened-import"));
  expect(backend.callsOf("import_opened_bundle")).toHaveLength(0);
  const listed = backend.callsOf("list_documents").length;
  one("opened-import").click();
  await settle();
  expect(backend.callsOf("import_opened_bundle")).toHaveLength(1);
  expect(one("opened-file").textContent).toContain("Inköpspolicy: nytt dokument – nya fynd: 3");
  // The same wording as the exchange menu's, with the bundle's time readable, not an RFC 3339 stamp.
  expect(one("opened-file").textContent).toContain("Från bertil");
  expect(one("opened-file").textContent).not.toContain("T04:00:00Z");
  expect(backend.callsOf("list_documents").length).toBeGreaterThan(listed);
  one("opened-close").click();
  await settle();
  expect(all("opened-file")).toHaveLength(0);
});

test("'not now' closes the offer without importing", async () => {
  m = await mountApp(sampleLibrary(), async (b) => {
    b.opened = { name: "paket.kryphal", kind: "bundle" };
    b.nextBundle = report;
  });
  const { one, all, settle, backend } = m;
  one("opened-close").click();
  await settle();
  expect(all("opened-file")).toHaveLength(0);
  expect(backend.callsOf("import_opened_bundle")).toHaveLength(0);
});

test("a whole library is explained, not imported", async () => {
  m = await mountApp(sampleLibrary(), async (b) => {
    b.opened = { name: "library.kryphal", kind: "library" };
  });
  const { one, all } = m;
  expect(one("opened-file").textContent).toContain("library.kryphal är ett helt Kryphål-bibliotek");
  expect(all("opened-import")).toHaveLength(0);
});

test("started without a file, nothing is shown", async () => {
  m = await mountApp();
  expect(m.all("opened-file")).toHaveLength(0);
  expect(m.backend.callsOf("opened_file")).toHaveLength(1);
});

test("a bundle imported from the offer updates the exchange menu's conflict count", async () => {
  const library = sampleLibrary();
  const mine = library.documents[0]?.findings[0];
  if (!mine) throw new Error("the sample has a finding");
  m = await mountApp(library, async (b) => {
    b.opened = { name: "från bertil.kryphal", kind: "bundle" };
    b.nextBundle = { ...report, conflicts: 1 };
  });
  const { one, all, settle, backend } = m;
  expect(all("conflict-count")).toHaveLength(0);
  // The import brings a conflict into the library, as the core's merge would.
  const real = backend.importOpenedBundle.bind(backend);
  backend.importOpenedBundle = async () => {
    const r = await real();
    backend.conflicts.push({
      id: "c-1",
      document_id: mine.document_id,
      finding_id: mine.id,
      mine,
      theirs: { ...mine, unintended_consequence: "Bertils version." },
      origin: report.origin,
      created_at: "2026-11-24T05:00:00Z",
      created_by: "anna",
      resolved_at: null,
      resolved_by: null,
      resolution: null,
    });
    return r;
  };
  one("opened-import").click();
  await settle();
  expect(one("conflict-count").textContent).toBe("1");
});

test("a bundle handed over by a second start while the app runs is offered like one it started with", async () => {
  m = await mountApp(sampleLibrary());
  const { one, all, settle, backend } = m;
  expect(all("opened-file")).toHaveLength(0);
  backend.handOver({ name: "andra.kryphal", kind: "bundle" }, report);
  await settle();
  expect(one("opened-file").textContent).toContain("andra.kryphal");
  expect(document.activeElement).toBe(one("opened-import"));
  one("opened-import").click();
  await settle();
  expect(backend.callsOf("import_opened_bundle")).toHaveLength(1);
  expect(one("opened-file").textContent).toContain("Inköpspolicy: nytt dokument");

  // A second hand-over while the result is shown is offered once the result is closed.
  backend.handOver({ name: "tredje.kryphal", kind: "bundle" }, report);
  await settle();
  expect(one("opened-file").textContent).toContain("Inköpspolicy: nytt dokument");
  one("opened-close").click();
  await settle();
  expect(one("opened-file").textContent).toContain("tredje.kryphal");
  expect(all("opened-import")).toHaveLength(1);
});
