// The version bar and the comparison in the whole UI. The fake backend keeps
// no versions, so the core's answers are stubbed: a candidate for the open
// document, the report of keeping it as a new version, and a comparison.
import { afterEach, expect, test } from "vitest";
import type { FakeBackend } from "../../lib/backend/fake";
import type { VersionComparison } from "../../lib/bindings/VersionComparison";
import type { VersionStatus } from "../../lib/bindings/VersionStatus";
import { mountApp, type MountedApp } from "../../test/mountApp";

let m: MountedApp | undefined;
afterEach(() => m?.cleanup());

function stub(backend: FakeBackend) {
  let linked = false;
  const calls: string[] = [];
  backend.versionStatus = async (docId: string): Promise<VersionStatus> => ({
    document_id: docId,
    number: linked ? 2 : 1,
    previous_id: linked ? "doc-old" : null,
    next_id: null,
    candidates: linked
      ? []
      : [{ document_id: "doc-old", title: "Reglemente 2024", dnr: "VON 1", version_label: "2024", reason: "title_and_dnr" }],
    open_rereview: linked ? 1 : 0,
  });
  backend.linkAsVersion = async (docId: string, previousId: string) => {
    calls.push(`link ${docId} ${previousId}`);
    linked = true;
    return {
      document_id: docId, previous_id: previousId, family_id: previousId, number: 2, title: "R", file_name: "r.md",
      clauses: 3, summary: { unchanged: 1, changed: 1, added: 1, removed: 1, moved: 0, renumbered: 1 },
      carried: 0, rereview: 1, orphaned: 1, implemented: 0, decisions: 0, warnings: [],
      corrections_applied: 2,
      corrections_skipped: [
        {
          correction: {
            id: "oc-1", document_id: previousId, label: "Ersättning › p. 6.5", made_by: "anna",
            made_at: "2026-11-24T05:00:00Z", carried_from: null,
            change: { kind: "renumber", clause: { text: "a conto", occurrence: 1 }, from: "6.5", to: "6.5 a" },
          },
          reason: "number_changed", number_now: "6.7", message: "…",
        },
      ],
    };
  };
  backend.compareVersions = async (oldId: string, newId: string): Promise<VersionComparison> => {
    calls.push(`compare ${oldId} ${newId}`);
    const view = await backend.getDocument(newId);
    const doc = view.document;
    const side = (n: string, text: string) => ({ id: `c${n}`, number: n, label: `Avsnitt › p. ${n}`, text, position: 1 });
    const finding = view.findings[0]!;
    return {
      old: doc, new: doc,
      summary: { unchanged: 1, changed: 1, added: 1, removed: 1, moved: 0, renumbered: 1 },
      changes: [
        { kind: "added", moved: false, renumbered: false, old: null, new: side("1", "Ny text."), similarity: 0, diff: [] },
        {
          kind: "changed", moved: false, renumbered: false, old: side("2", "inom skälig tid"), new: side("2", "inom två veckor"),
          similarity: 0.6,
          diff: [{ kind: "same", text: "inom " }, { kind: "deleted", text: "skälig tid" }, { kind: "inserted", text: "två veckor" }],
        },
        { kind: "removed", moved: false, renumbered: false, old: side("3", "Borta."), new: null, similarity: 0, diff: [] },
      ],
      carried: [
        {
          carry: {
            document_id: newId, from_document_id: oldId, from_finding_id: "f-old", from_clause_id: "c2",
            from_label: "Avsnitt › p. 2", from_text: "inom skälig tid", finding_id: finding.id, clause_id: "c2",
            state: "rereview", resolved_at: null, resolved_by: null,
          },
          finding, new_label: "Avsnitt › p. 2",
          diff: [{ kind: "deleted", text: "skälig tid" }, { kind: "inserted", text: "två veckor" }],
        },
      ],
    };
  };
  backend.resolveCarryover = async (findingId: string, resolved: boolean) => {
    calls.push(`resolve ${findingId} ${resolved}`);
    return {
      document_id: "x", from_document_id: "doc-old", from_finding_id: "f-old", from_clause_id: "c2", from_label: "",
      from_text: "", finding_id: findingId, clause_id: "c2", state: "rereview", resolved_at: "2026-11-24T05:00:00Z",
      resolved_by: "anna",
    };
  };
  return calls;
}

test("a document with the title of an earlier one is offered as its new version, and the comparison follows", async () => {
  let calls: string[] = [];
  m = await mountApp(undefined, async (b) => (calls = stub(b)));
  const { one, all, settle } = m;
  expect(one("version-candidate").textContent).toContain("Reglemente 2024");
  expect(one("version-candidate").textContent).toContain("samma titel och Dnr");

  one("link-version").click();
  await settle();
  expect(calls[0]).toMatch(/^link .* doc-old$/);
  expect(one("version-notice").textContent).toContain("Sparad som version 2");
  expect(one("version-corrections").textContent).toBe(
    "2 rättelser av strukturen gjordes om; 1 passade inte längre: ”Ersättning › p. 6.5” har nu numret 6.7.",
  );
  expect(one("version-summary").textContent).toContain("1 ändrade, 1 nya, 1 borttagna");
  expect(all("version-change").map((c) => c.dataset.kind)).toEqual(["added", "changed", "removed"]);
  expect(all("diff-deleted")[0]?.textContent).toContain("skälig tid");
  expect(all("diff-inserted")[0]?.textContent).toContain("två veckor");
  expect(all("carried-finding").map((c) => c.dataset.state)).toEqual(["rereview"]);

  one("mark-reviewed").click();
  await settle();
  expect(calls.some((c) => c.startsWith("resolve "))).toBe(true);
  expect(all("carried-reviewed")).toHaveLength(1);

  one("version-compare-close").click();
  await settle();
  expect(all("version-compare")).toHaveLength(0);
  expect(one("version-number").textContent).toContain("Version 2");
});

test("“not a new version” hides the offer; a document on its own shows no bar", async () => {
  m = await mountApp(undefined, async (b) => void stub(b));
  m.one("not-a-version").click();
  await m.settle();
  expect(m.all("version-bar")).toHaveLength(0);
  m.cleanup();
  m = await mountApp();
  expect(m.all("version-bar")).toHaveLength(0);
});
