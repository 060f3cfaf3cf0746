// An in-memory Backend: used by the unit tests, and by the UI when it runs
// in a plain browser (no Tauri), so the interface can be viewed and tried.
import type { AppInfo } from "../bindings/AppInfo";
import type { Document } from "../bindings/Document";
import type { DocumentSummary } from "../bindings/DocumentSummary";
import type { DocumentView } from "../bindings/DocumentView";
import type { Finding } from "../bindings/Finding";
import type { FindingInput } from "../bindings/FindingInput";
import type { Outline } from "../bindings/Outline";
import type { Rulebook } from "../bindings/Rulebook";
import type { Backend, BackendError, ErrorCode } from "./backend";

export interface FakeDocument {
  document: Document;
  outline: Outline;
  findings: Finding[];
}

export interface FakeLibrary {
  appInfo: AppInfo;
  rulebook: Rulebook;
  documents: FakeDocument[];
}

export interface FakeOptions {
  /** Delay before each answer, in milliseconds (0: answer on the next microtask). */
  latencyMs?: number;
  /** Clock for created_at/updated_at. */
  now?: () => string;
}

export type FakeCall = { command: string; args: Record<string, unknown> };

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function fail(code: ErrorCode, message: string): BackendError {
  return { code, message };
}

export class FakeBackend implements Backend {
  readonly isDemo = true;
  /** Every call made, in order, with a copy of its arguments. */
  readonly calls: FakeCall[] = [];
  private lib: FakeLibrary;
  private latencyMs: number;
  private now: () => string;
  private nextId = 1;
  private failures = new Map<string, BackendError[]>();

  constructor(seed: FakeLibrary, options: FakeOptions = {}) {
    this.lib = clone(seed);
    this.latencyMs = options.latencyMs ?? 0;
    this.now = options.now ?? (() => new Date().toISOString());
  }

  /** Makes the next call of `command` reject with `error`. */
  failNext(command: string, error: BackendError): void {
    const list = this.failures.get(command) ?? [];
    list.push(error);
    this.failures.set(command, list);
  }

  /** Calls of one command. */
  callsOf(command: string): FakeCall[] {
    return this.calls.filter((c) => c.command === command);
  }

  /** The stored finding (a copy), for assertions. */
  storedFinding(id: string): Finding | undefined {
    for (const d of this.lib.documents) {
      const f = d.findings.find((x) => x.id === id);
      if (f) return clone(f);
    }
    return undefined;
  }

  private async answer<T>(command: string, args: Record<string, unknown>, body: () => T): Promise<T> {
    this.calls.push({ command, args: clone(args) });
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    else await Promise.resolve();
    const queued = this.failures.get(command);
    const error = queued?.shift();
    if (error) throw error;
    return clone(body());
  }

  private findClause(clauseId: string): FakeDocument {
    const doc = this.lib.documents.find((d) => d.outline.clauses.some((c) => c.id === clauseId));
    if (!doc) throw fail("not_found", `no clause ${clauseId}`);
    return doc;
  }

  private findFinding(findingId: string): { doc: FakeDocument; index: number } {
    for (const doc of this.lib.documents) {
      const index = doc.findings.findIndex((f) => f.id === findingId);
      if (index >= 0) return { doc, index };
    }
    throw fail("not_found", `no finding ${findingId}`);
  }

  private validate(input: FindingInput): void {
    const { likelihood, impact } = input;
    const lSteps = this.lib.rulebook.scale.likelihood.steps.length;
    const iSteps = this.lib.rulebook.scale.impact.steps.length;
    if (likelihood != null && (likelihood < 1 || likelihood > lSteps)) {
      throw fail("invalid_input", `likelihood ${likelihood} is off the scale`);
    }
    if (impact != null && (impact < 1 || impact > iSteps)) {
      throw fail("invalid_input", `impact ${impact} is off the scale`);
    }
    const codes = new Set(this.lib.rulebook.crime_types.map((c) => c.code));
    for (const code of input.crime_types) {
      if (!codes.has(code)) throw fail("invalid_input", `unknown crime type ${code}`);
    }
  }

  private riskOf(input: FindingInput): string | null {
    if (input.likelihood == null || input.impact == null) return null;
    return this.lib.rulebook.scale.banding.matrix[input.likelihood - 1]?.[input.impact - 1] ?? null;
  }

  private summary(d: FakeDocument): DocumentSummary {
    const levels = this.lib.rulebook.scale.levels.map((l) => l.id);
    let highest: string | null = null;
    for (const f of d.findings) {
      if (f.risk_level != null && (highest == null || levels.indexOf(f.risk_level) > levels.indexOf(highest))) {
        highest = f.risk_level;
      }
    }
    return {
      id: d.document.id,
      title: d.document.meta.title,
      doc_type: d.document.meta.doc_type,
      owner: d.document.meta.owner,
      dnr: d.document.meta.dnr,
      clause_count: d.outline.clauses.length,
      finding_count: d.findings.length,
      // The fake counts a clause as reviewed once it has a finding.
      reviewed_clause_count: new Set(d.findings.map((f) => f.clause_id)).size,
      highest_risk: highest,
    };
  }

  appInfo(): Promise<AppInfo> {
    return this.answer("app_info", {}, () => this.lib.appInfo);
  }

  rulebook(): Promise<Rulebook> {
    return this.answer("rulebook", {}, () => this.lib.rulebook);
  }

  listDocuments(): Promise<DocumentSummary[]> {
    return this.answer("list_documents", {}, () => this.lib.documents.map((d) => this.summary(d)));
  }

  getDocument(docId: string): Promise<DocumentView> {
    return this.answer("get_document", { docId }, () => {
      const d = this.lib.documents.find((x) => x.document.id === docId);
      if (!d) throw fail("not_found", `no document ${docId}`);
      return { document: d.document, outline: d.outline, findings: d.findings };
    });
  }

  addFinding(clauseId: string, input: FindingInput): Promise<Finding> {
    return this.answer("add_finding", { clauseId, input }, () => {
      const doc = this.findClause(clauseId);
      this.validate(input);
      const at = this.now();
      const user = this.lib.appInfo.user;
      const finding: Finding = {
        ...clone(input),
        id: `f-${this.nextId++}`,
        document_id: doc.document.id,
        clause_id: clauseId,
        risk_level: this.riskOf(input),
        comments: [],
        suggestion_id: null,
        created_at: at,
        created_by: user,
        updated_at: at,
        updated_by: user,
      };
      doc.findings.push(finding);
      return finding;
    });
  }

  updateFinding(findingId: string, input: FindingInput): Promise<Finding> {
    return this.answer("update_finding", { findingId, input }, () => {
      const { doc, index } = this.findFinding(findingId);
      this.validate(input);
      const old = doc.findings[index] as Finding;
      const updated: Finding = {
        ...old,
        ...clone(input),
        risk_level: this.riskOf(input),
        updated_at: this.now(),
        updated_by: this.lib.appInfo.user,
      };
      doc.findings[index] = updated;
      return updated;
    });
  }

  async uiReady(): Promise<void> {
    this.calls.push({ command: "ui_ready", args: {} });
  }

  async deleteFinding(findingId: string): Promise<void> {
    await this.answer("delete_finding", { findingId }, () => {
      const { doc, index } = this.findFinding(findingId);
      doc.findings.splice(index, 1);
      return null;
    });
  }
}
