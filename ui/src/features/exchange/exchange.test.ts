// The exchange menu through the whole UI against the fake backend: a
// bundle's import summary, the conflicts side by side and their resolution,
// the export of the open document.
import { afterEach, expect, test } from "vitest";
import type { Finding } from "../../lib/bindings/Finding";
import type { MergeConflict } from "../../lib/bindings/MergeConflict";
import type { RecordConflict } from "../../lib/bindings/RecordConflict";
import { sampleLibrary } from "../../lib/backend/sample";
import { mountApp, type MountedApp } from "../../test/mountApp";

let m: MountedApp | null = null;
afterEach(() => m?.cleanup());

function conflict(library: ReturnType<typeof sampleLibrary>): MergeConflict {
  const mine = library.documents[0]?.findings[0] as Finding;
  const theirs: Finding = { ...mine, unintended_consequence: "Bertils version av fyndet.", updated_by: "bertil" };
  return {
    id: "c-1",
    document_id: mine.document_id,
    finding_id: mine.id,
    mine: { ...mine, unintended_consequence: "Min version av fyndet." },
    theirs,
    origin: { author: "bertil", signed_by: null, created: "2026-11-24T04:00:00Z", file: "bertil.kryphal", app_version: "0.1.0" },
    created_at: "2026-11-24T05:00:00Z",
    created_by: "anna",
    resolved_at: null,
    resolved_by: null,
    resolution: null,
  };
}

test("open conflicts are counted in the menu, shown side by side and resolved by a choice", async () => {
  const library = sampleLibrary();
  m = await mountApp(library, async (b) => {
    b.conflicts = [conflict(library)];
  });
  const { one, all, settle, backend } = m;
  expect(one("conflict-count").textContent).toBe("1");
  one("exchange-menu").click();
  await settle();
  one("exchange-conflicts").click();
  await settle();
  const item = one("conflict-item");
  expect(item.textContent).toContain("Min version av fyndet.");
  expect(item.textContent).toContain("Bertils version av fyndet.");
  expect(item.textContent).toContain("Från bertil (bertil.kryphal)");
  one("conflict-keep-theirs").click();
  await settle();
  expect(backend.callsOf("resolve_conflict")[0]?.args).toEqual({ id: "c-1", keep: "theirs", combined: null });
  expect(all("conflict-item")).toHaveLength(0);
  expect(one("conflicts-none")).toBeTruthy();
  expect(all("conflict-count")).toHaveLength(0);
});

test("an imported bundle is summed up and the library is reloaded", async () => {
  m = await mountApp(sampleLibrary(), async (b) => {
    b.nextBundle = {
      origin: { author: "bertil", signed_by: null, created: "2026-11-24T04:00:00Z", file: "bertil.kryphal", app_version: "0.1.0" },
      documents: [
        {
          document_id: "d1",
          title: "Reglemente",
          new_document: false,
          findings_added: 2,
          findings_updated: 1,
          findings_unchanged: 3,
          comments_added: 1,
          conflicts: 1,
          suggestions_merged: 0,
          workshop_entries: 0,
          version_linked: false,
          metadata_updated: false,
          record_conflicts: 1,
        },
      ],
      conflicts: 1,
      record_conflicts: 1,
      warnings: [],
    };
  });
  const { one, settle, backend } = m;
  const listed = backend.callsOf("list_documents").length;
  one("exchange-menu").click();
  await settle();
  one("exchange-import").click();
  await settle();
  const result = one("exchange-result");
  expect(result.textContent).toContain("Från bertil");
  // An unsigned bundle says so: its author is only the file's claim.
  expect(result.textContent).toContain("Osignerat: inget visar vem som gjorde paketet");
  expect(result.textContent).toContain("Reglemente: sammanfogat – nya fynd: 2, uppdaterade: 1, kommentarer: 1, konflikter: 1.");
  expect(result.textContent).toContain("1 fynd har ändrats i båda biblioteken");
  expect(result.textContent).toContain("Ändrade i båda biblioteken (dokumentets metadata eller beslut om förslag): 1.");
  // The bundle's time reads as local time, not as an RFC 3339 stamp.
  expect(result.textContent).not.toContain("T04:00:00Z");
  expect(backend.callsOf("list_documents").length).toBeGreaterThan(listed);
});

test("exporting a bundle names the open document", async () => {
  m = await mountApp();
  const { one, settle, backend, app } = m;
  one("exchange-menu").click();
  await settle();
  one("exchange-export").click();
  await settle();
  expect(backend.callsOf("export_bundle")[0]?.args).toEqual({ docIds: [app.selectedDocId] });
  expect(one("exchange-result").textContent).toContain("sparades");
});

test("conflicts about the metadata and a decision are shown with what differs and resolved by a choice", async () => {
  const library = sampleLibrary();
  const doc = library.documents[0]?.document;
  if (!doc) throw new Error("the sample has a document");
  const suggestion = { id: `s-${doc.id}-c1-vague`, message: "Vagt begrepp: osannolikt" };
  const origin = { author: "bertil", signed_by: null, created: "2026-11-24T04:00:00Z", file: "bertil.kryphal", app_version: "0.1.0" };
  const base = { origin, created_at: "2026-11-24T05:00:00Z", created_by: "anna", resolved_at: null, resolved_by: null, resolution: null };
  const records: RecordConflict[] = [
    {
      ...base,
      id: "r-meta",
      document_id: doc.id,
      entity_id: doc.id,
      label: doc.meta.title,
      mine: { kind: "metadata", value: { ...doc.meta, dnr: "KS 2026/1" } },
      theirs: { kind: "metadata", value: { ...doc.meta, dnr: "KS 2026/2" } },
    },
    {
      ...base,
      id: "r-sug",
      document_id: doc.id,
      entity_id: suggestion.id,
      label: suggestion.message,
      mine: { kind: "suggestion", value: { state: "accepted", finding_id: "f-1" } },
      theirs: { kind: "suggestion", value: { state: "dismissed", reason: "Inte aktuellt här.", by: "bertil", at: "2026-11-24T03:00:00Z" } },
    },
  ];
  m = await mountApp(library, async (b) => {
    b.recordConflicts = records;
  });
  const { one, all, settle, backend } = m;
  expect(one("conflict-count").textContent).toBe("2");
  one("exchange-menu").click();
  await settle();
  one("exchange-conflicts").click();
  await settle();
  const items = all("record-conflict-item");
  expect(items.map((i) => i.getAttribute("data-kind"))).toEqual(["metadata", "suggestion"]);
  const [meta, sug] = items as [HTMLElement, HTMLElement];
  // Only what differs is shown: the Dnr, not the unchanged title.
  expect(meta.textContent).toContain("Diarienummer (Dnr)");
  expect(meta.textContent).toContain("KS 2026/1");
  expect(meta.textContent).toContain("KS 2026/2");
  expect(meta.querySelectorAll("dt")).toHaveLength(2);
  expect(sug.textContent).toContain("Accepterat – blev ett fynd");
  expect(sug.textContent).toContain("Avfärdat: Inte aktuellt här.");
  expect(sug.textContent).toContain("Från bertil (bertil.kryphal)");
  (meta.querySelector('[data-testid="record-keep-theirs"]') as HTMLButtonElement).click();
  await settle();
  expect(backend.callsOf("resolve_record_conflict")[0]?.args).toEqual({ id: "r-meta", keep: "theirs" });
  expect(all("record-conflict-item")).toHaveLength(1);
  expect(one("conflict-count").textContent).toBe("1");
});

test("a signed bundle shows the fingerprint of the key that signed it", async () => {
  const { bundleImportLines } = await import("./importSummary");
  const lines = bundleImportLines({
    origin: { author: "bertil", signed_by: "3f2a 9c01 77de 12ab 99ff 0a1b 2c3d 4e5f", created: "2026-11-24T04:00:00Z", file: "b.kryphal", app_version: "0.1.0" },
    documents: [],
    conflicts: 0,
    record_conflicts: 0,
    warnings: [],
  });
  expect(lines.join(" ")).toContain("Signerat med nyckeln 3f2a 9c01 77de 12ab 99ff 0a1b 2c3d 4e5f");
  expect(lines.join(" ")).not.toContain("Osignerat");
});
