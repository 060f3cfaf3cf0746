import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { FakeBackend } from "./backend/fake";
import { sampleLibrary } from "./backend/sample";
import { emptyFindingInput } from "./finding";
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
