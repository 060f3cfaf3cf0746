import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { FakeBackend } from "./backend/fake";
import { sampleLibrary } from "./backend/sample";
import { emptyFindingInput } from "./finding";
import { memoryStore } from "./longdoc";
import { AppState } from "./state.svelte";

let backend: FakeBackend;
let app: AppState;

beforeEach(async () => {
  vi.useFakeTimers();
  backend = new FakeBackend(sampleLibrary());
  app = new AppState(backend);
  await app.init();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("AppState", () => {
  test("init loads the library and opens the first document at its first clause", () => {
    expect(app.documents.map((d) => d.title)).toContain("Reglemente för kundval inom hemtjänst");
    expect(app.selectedDocId).toBe("doc-kundval");
    expect(app.selectedClauseId).toBe("c-1-1");
    expect(app.rows[0]).toMatchObject({ kind: "section" });
  });

  test("selecting a clause with findings selects its first finding", async () => {
    await app.selectClause("c-2-1-2");
    expect(app.clauseFindings.map((f) => f.id)).toEqual(["f-seed-1"]);
    expect(app.selectedFinding?.id).toBe("f-seed-1");
  });

  test("moveClause walks the clauses in document order and stops at the ends", () => {
    expect(app.moveClause(-1)).toBe("c-1-1");
    expect(app.moveClause(1)).toBe("c-1-2");
    expect(app.moveClause(1)).toBe("c-2-1-1");
    expect(app.moveClause(100)).toBe("c-3-4");
  });

  test("new finding is created empty on the selected clause and selected", async () => {
    await app.selectClause("c-3-3");
    const f = await app.newFinding();
    expect(f).not.toBeNull();
    const call = backend.callsOf("add_finding")[0];
    expect(call?.args).toEqual({ clauseId: "c-3-3", input: emptyFindingInput() });
    expect(app.selectedFindingId).toBe(f?.id);
    expect(app.clauseFindings).toHaveLength(1);
  });

  test("edits are applied at once and saved with only FindingInput keys", async () => {
    await app.selectClause("c-3-3");
    await app.newFinding();
    app.editFinding({ unintended_consequence: "Osannolikt är inte mätbart." });
    app.editFinding({ likelihood: 3, impact: 4 });
    expect(app.selectedFinding?.unintended_consequence).toBe("Osannolikt är inte mätbart.");
    expect(app.saveState).toBe("saving");
    await vi.advanceTimersByTimeAsync(400);
    const calls = backend.callsOf("update_finding");
    expect(calls).toHaveLength(1);
    const sent = calls[0]?.args.input as Record<string, unknown>;
    expect(Object.keys(sent).sort()).toEqual(Object.keys(emptyFindingInput()).sort());
    expect(sent).toMatchObject({ likelihood: 3, impact: 4 });
    expect(app.saveState).toBe("saved");
    expect(app.selectedFinding?.risk_level).toBe("very_high");
  });

  test("changing clause flushes a pending edit immediately", async () => {
    await app.selectClause("c-2-1-2");
    app.editFinding({ proposed_wording: "Ny lydelse" });
    await app.selectClause("c-3-1");
    expect(backend.callsOf("update_finding")).toHaveLength(1);
    expect(backend.storedFinding("f-seed-1")?.proposed_wording).toBe("Ny lydelse");
  });

  test("opening another document flushes first", async () => {
    await app.selectClause("c-2-1-2");
    app.editFinding({ status: "agreed" });
    await app.openDocument("doc-forening");
    expect(backend.storedFinding("f-seed-1")?.status).toBe("agreed");
    expect(app.selectedClauseId).toBe("fc-1");
  });

  test("deleting a finding removes it, drops its pending edit and updates the library", async () => {
    await app.selectClause("c-2-1-2");
    app.editFinding({ exploitation: "never saved" });
    expect(await app.deleteFinding("f-seed-1")).toBe(true);
    expect(app.clauseFindings).toHaveLength(0);
    expect(app.selectedFindingId).toBeNull();
    await vi.advanceTimersByTimeAsync(1000);
    expect(backend.callsOf("update_finding")).toHaveLength(0);
    expect(app.documents.find((d) => d.id === "doc-kundval")?.finding_count).toBe(0);
  });

  test("a failing add shows an error and changes nothing", async () => {
    backend.failNext("add_finding", { code: "library_readonly", message: "ro" });
    expect(await app.newFinding()).toBeNull();
    expect(app.actionError?.code).toBe("library_readonly");
    expect(app.clauseFindings).toHaveLength(0);
  });
});

describe("undo and redo", () => {
  test("undo saves pending typing first, then takes it back; redo brings it again", async () => {
    await app.selectClause("c-3-3");
    const f = await app.newFinding();
    expect(app.undoLeft).toBe(1);
    app.editFinding({ unintended_consequence: "Något kan gå fel." });
    // Not yet saved: undo must flush first and act on that save.
    const undone = await app.undo();
    expect(undone).toMatchObject({ direction: "undo", edit: "finding.update", entity_id: f?.id });
    expect(backend.storedFinding(f!.id)?.unintended_consequence).toBe("");
    expect(app.selectedFinding?.unintended_consequence).toBe("");
    expect(app.selectedFindingId).toBe(f?.id);
    expect(app.undoLeft).toBe(1);
    expect(app.redoLeft).toBe(1);
    expect(app.autosaver.busy).toBe(false);

    const redone = await app.redo();
    expect(redone).toMatchObject({ direction: "redo", edit: "finding.update" });
    expect(app.selectedFinding?.unintended_consequence).toBe("Något kan gå fel.");
    expect(app.redoLeft).toBe(0);

    // Undo twice: the consequence, then the finding itself.
    await app.undo();
    await app.undo();
    expect(app.clauseFindings).toHaveLength(0);
    expect(app.undoLeft).toBe(0);
    expect(await app.undo()).toBeNull();
  });

  test("a new edit ends what could be redone", async () => {
    await app.selectClause("c-3-3");
    await app.newFinding();
    await app.undo();
    expect(app.redoLeft).toBe(1);
    await app.newFinding();
    expect(app.redoLeft).toBe(0);
    expect(app.undoLeft).toBe(1);
  });

  test("a merge and a comment can be undone and redone", async () => {
    await app.selectClause("c-3-3");
    const before = app.clauses.map((c) => c.id);
    expect(await app.mergeWithNext("c-3-3")).toBeNull();
    expect(app.clauses).toHaveLength(before.length - 1);
    expect(app.undoLeft).toBe(1);
    const report = await app.undo();
    expect(report?.edit).toBe("clause.merge");
    expect(app.clauses.map((c) => c.id)).toEqual(before);
    await app.redo();
    expect(app.clauses).toHaveLength(before.length - 1);

    const finding = await app.newFinding();
    expect(finding).not.toBeNull();
    expect(await app.addComment(finding?.id ?? "", "Fråga juristen.")).toBeNull();
    expect(app.selectedFinding?.comments.map((c) => c.text)).toEqual(["Fråga juristen."]);
    expect((await app.undo())?.edit).toBe("finding.comment");
    expect(app.selectedFinding?.comments).toEqual([]);
    await app.redo();
    expect(app.selectedFinding?.comments.map((c) => c.text)).toEqual(["Fråga juristen."]);
  });

  test("preferences are loaded at start and saved", async () => {
    expect(app.preferences).toEqual({ user_name: "", language: "", name_asked: true });
    expect(app.askName).toBe(false);
    expect(await app.savePreferences({ user_name: "Anna Berg", language: "sv", name_asked: true })).toBeNull();
    expect(app.preferences?.user_name).toBe("Anna Berg");
    expect(app.appInfo?.user).toBe("Anna Berg");
  });

  test("reopening a document returns to the clause the user was at, on the same store only", async () => {
    const store = memoryStore();
    const withStore = new AppState(backend, undefined, store);
    await withStore.init();
    await withStore.selectClause("c-3-4");
    await withStore.openDocument("doc-forening");
    expect(withStore.selectedDocId).toBe("doc-forening");
    await withStore.openDocument("doc-kundval");
    expect(withStore.selectedClauseId).toBe("c-3-4");
    // A restart with the same store: the same place.
    const restarted = new AppState(backend, undefined, store);
    await restarted.init();
    expect(restarted.selectedClauseId).toBe("c-3-4");
    // Another store knows nothing: the first clause.
    const fresh = new AppState(backend);
    await fresh.init();
    expect(fresh.selectedClauseId).toBe("c-1-1");
  });

  test("j/k and the filters: only the clauses the outline shows are stepped through", async () => {
    await app.selectClause("c-3-4");
    await app.newFinding();
    await app.selectClause("c-1-1");
    const withFindings = app.clauses.filter((c) => (app.findingsByClause.get(c.id)?.length ?? 0) > 0).map((c) => c.id);
    expect(withFindings.length).toBeGreaterThan(1);
    app.outlineFilter = { kind: "findings" };
    expect([...app.shownClauseIds]).toEqual(withFindings);
    expect(app.filteredCount).toBe(withFindings.length);
    // From the first clause (no finding, filtered out) the next step is the first with a finding.
    expect(app.moveClause(1)).toBe(withFindings[0]);
    expect(app.moveClause(1)).toBe(withFindings[1]);
    app.outlineFilter = { kind: "all" };
    expect(app.shownClauseIds.size).toBe(app.clauses.length);
  });

  test("a folded heading hides its clauses from stepping; choosing a clause in it unfolds it", async () => {
    const first = app.rows.find((r) => r.kind === "section");
    if (first?.kind !== "section") throw new Error("the sample has headings");
    const under = app.clauses.filter((c) => c.section_id === first.section.id).map((c) => c.id);
    expect(under.length).toBeGreaterThan(0);
    await app.selectClause("c-3-4");
    app.toggleFold(first.section.id);
    expect(under.some((id) => app.shownClauseIds.has(id))).toBe(false);
    // j from the clause before the folded heading (none here) or k from after it skips the folded clauses.
    expect(under).not.toContain(app.moveClause(-1));
    await app.selectClause(under[0] as string);
    expect(app.folded.has(first.section.id)).toBe(false);
    app.foldAll(true);
    expect(app.shownClauseIds.size).toBeLessThan(app.clauses.length);
    app.foldAll(false);
    expect(app.folded.size).toBe(0);
  });

  test("next-needs-me skips clauses with a verdict and no open suggestion, and says when none is left", async () => {
    const needing = app.clauses.filter((c) => {
      const f = app.clauseFacts.get(c.id);
      return f && (f.openSuggestions > 0 || f.verdict === "none" || f.verdict === null || f.unrated > 0);
    });
    expect(needing.length).toBeGreaterThan(0);
    const found = app.goToNeeding(1);
    expect(found).not.toBeNull();
    expect(needing.map((c) => c.id)).toContain(found);
    // With a filter nothing passes, nothing is found, and the notice says so.
    app.outlineFilter = { kind: "risk", level: "no-such-level" };
    expect(app.goToNeeding(1)).toBeNull();
    expect(app.outlineNotice).toBe("longdoc.needsNone");
  });
});
