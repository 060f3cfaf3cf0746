// An in-memory Backend: used by the unit tests, and by the UI when it runs
// in a plain browser (no Tauri), so the interface can be viewed and tried.
import type { DeletionPreview } from "../bindings/DeletionPreview";
import type { Verdict } from "../bindings/Verdict";
import type { VerdictReport } from "../bindings/VerdictReport";
import type { ClauseVerdict } from "../bindings/ClauseVerdict";
import type { Coverage } from "../bindings/Coverage";
import type { FinalMark } from "../bindings/FinalMark";
import { clauseVerdicts, coverageOf, type FakeVerdict } from "./fake-verdicts";
import type { AppInfo } from "../bindings/AppInfo";
import type { AuditEvent } from "../bindings/AuditEvent";
import type { Clause } from "../bindings/Clause";
import type { Section } from "../bindings/Section";
import type { Document } from "../bindings/Document";
import type { DocumentMeta } from "../bindings/DocumentMeta";
import type { DocumentSummary } from "../bindings/DocumentSummary";
import type { DocumentView } from "../bindings/DocumentView";
import type { Finding } from "../bindings/Finding";
import type { FindingInput } from "../bindings/FindingInput";
import type { ImportReport } from "../bindings/ImportReport";
import type { Outline } from "../bindings/Outline";
import type { Overview } from "../bindings/Overview";
import type { Preferences } from "../bindings/Preferences";
import type { Rulebook } from "../bindings/Rulebook";
import type { ScreenReport } from "../bindings/ScreenReport";
import type { Suggestion } from "../bindings/Suggestion";
import type { SuggestionState } from "../bindings/SuggestionState";
import type { UndoReport } from "../bindings/UndoReport";
import type { ExportChoices } from "../bindings/ExportChoices";
import type { ExportSettings } from "../bindings/ExportSettings";
import type { Backend, BackendError, ErrorCode, PresentationRequest } from "./backend";
import type { Decision } from "../bindings/Decision";
import type { DecisionKind } from "../bindings/DecisionKind";
import type { Judgement } from "../bindings/Judgement";
import type { PresentMove } from "../bindings/PresentMove";
import type { PresentTheme } from "../bindings/PresentTheme";
import type { PresentationState } from "../bindings/PresentationState";
import type { ScreenInfo } from "../bindings/ScreenInfo";
import type { WorkshopNote } from "../bindings/WorkshopNote";
import type { WorkshopRecord } from "../bindings/WorkshopRecord";
import type { WorkshopSession } from "../bindings/WorkshopSession";
import { emptyFindingInput as emptyInput, inputOf } from "../finding";
import { fakeImport, fingerprint } from "./fake-import";
import { fakeScreen, type FakeRule } from "./fake-screen";
import type { RulebookChoice } from "../bindings/RulebookChoice";
import { findingTitle } from "../finding";
import { fakeSearch } from "./fake-search";
import { fakeIncludedFindings } from "./fake-export";
import { EXPORT_FORMATS, type ExportFormat } from "../../features/export/preview";
import type { SearchAnswer } from "../bindings/SearchAnswer";
import type { SearchQuery } from "../bindings/SearchQuery";
import type { BackupReport } from "../bindings/BackupReport";
import type { BundleExportReport } from "../bindings/BundleExportReport";
import type { BundleImportReport } from "../bindings/BundleImportReport";
import type { OpenedFile } from "../bindings/OpenedFile";
import type { MergeConflict } from "../bindings/MergeConflict";
import type { RecordConflict } from "../bindings/RecordConflict";
import type { Resolution } from "../bindings/Resolution";
import type { RestoreReport } from "../bindings/RestoreReport";
import type { CarryOver } from "../bindings/CarryOver";
import type { VersionComparison } from "../bindings/VersionComparison";
import type { VersionReport } from "../bindings/VersionReport";
import type { VersionStatus } from "../bindings/VersionStatus";
import type { ClauseNote } from "../bindings/ClauseNote";
import type { ExportReport } from "../bindings/ExportReport";
import type { MemoFields } from "../bindings/MemoFields";
import type { MemoFieldsView } from "../bindings/MemoFieldsView";
import type { ReviewDecision } from "../bindings/ReviewDecision";
import type { ReviewPreview } from "../bindings/ReviewPreview";
import type { TemplateStatus } from "../bindings/TemplateStatus";

export interface FakeDocument {
  document: Document;
  outline: Outline;
  findings: Finding[];
  /** Verdicts set by hand (none yet when absent). */
  verdicts?: FakeVerdict[];
  /** The final mark of the review. */
  finalMark?: FinalMark | null;
}

export interface FakeLibrary {
  appInfo: AppInfo;
  rulebook: Rulebook;
  documents: FakeDocument[];
  /** Screening rules of the fake (the core's come from the rulebook pack). */
  screening?: FakeRule[];
  /**
   * Other packs a document may choose, besides the active one (`rulebook`):
   * their screening rules (`screening` stands for the active pack's).
   */
  otherPacks?: { choice: RulebookChoice; screening: FakeRule[] }[];
}

export interface FakeOptions {
  /** Delay before each answer, in milliseconds (0: answer on the next microtask). */
  latencyMs?: number;
  /** Clock for created_at/updated_at. */
  now?: () => string;
  /** An encrypted library: every call answers `library_locked` until `unlockLibrary` gets this passphrase. */
  passphrase?: string;
  /** The first start: no name saved and not asked for yet (the welcome dialog shows). */
  firstStart?: boolean;
}

export type FakeCall = { command: string; args: Record<string, unknown> };

/** One document's stored state, as the fake's undo restores it. */
interface DocShot {
  doc: FakeDocument;
  decisions: [string, SuggestionState][];
}

/** An undoable edit of the fake: the document before and after. */
interface FakeEdit {
  kind: string;
  documentId: string;
  entityId: string;
  before: DocShot;
  /** Null when the edit deleted the document. */
  after: DocShot | null;
}

/** Audit actions that the core's undo covers, by the kind its report names. */
const UNDO_KINDS: Record<string, string> = {
  "finding.create": "finding.create",
  "finding.update": "finding.update",
  "finding.delete": "finding.delete",
  "document.meta": "document.meta",
  "suggestion.accept": "suggestion.accept",
  "suggestion.dismiss": "suggestion.state",
  "suggestion.reopen": "suggestion.state",
  "clause.split": "clause.split",
  "clause.merge": "clause.merge",
  "finding.comment": "finding.comment",
  "outline.promote": "outline.promote",
  "outline.demote": "outline.demote",
  "outline.move": "outline.move",
  "outline.renumber": "outline.renumber",
  "clause.verdict": "clause.verdict",
  "document.final": "document.final",
  "document.reopen": "document.final",
  "document.delete": "document.delete",
};

/** A label's part after its section's title (`p. 4.2` of `Ekonomi › p. 4.2`). */
function labelTail(label: string): string {
  const at = label.indexOf(" › ");
  return at < 0 ? label : label.slice(at + 3);
}

/** A label in `section` with `tail`. */
function labelIn(section: Section | undefined, tail: string): string {
  return section?.title ? `${section.title} › ${tail}` : tail;
}

function clone<T>(v: T): T {
  // A command that answers nothing (void) answers nothing here too.
  if (v === undefined) return v;
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
  private audit: AuditEvent[] = [];
  private fingerprints = new Map<string, string>();
  /** What the analyst decided about suggestions, by suggestion id (kept across re-screening). */
  private decisions = new Map<string, SuggestionState>();
  private undoStack: FakeEdit[] = [];
  private redoStack: FakeEdit[] = [];
  /** The undoable edit recorded by the call being answered. */
  private pending: { kind: string; documentId: string; entityId: string } | null = null;
  private prefs: Preferences;

  constructor(seed: FakeLibrary, options: FakeOptions = {}) {
    this.lib = clone(seed);
    this.latencyMs = options.latencyMs ?? 0;
    this.now = options.now ?? (() => new Date().toISOString());
    this.passphrase = options.passphrase ?? null;
    // Demo mode and the tests start as if the first start had asked for the name already,
    // unless told otherwise.
    this.prefs = { user_name: "", language: "", name_asked: !options.firstStart };
  }

  /** Set while the fake library is encrypted and not unlocked yet. */
  private passphrase: string | null;

  /** Makes the fake library an encrypted one, locked until `unlockLibrary(passphrase)`. */
  lockWith(passphrase: string): void {
    this.passphrase = passphrase;
  }

  unlockLibrary(passphrase: string): Promise<AppInfo> {
    // The passphrase is not recorded with the call.
    return this.answer("unlock_library", {}, () => {
      if (this.passphrase === null) return this.lib.appInfo;
      if (passphrase !== this.passphrase) {
        throw fail("wrong_passphrase", "The passphrase is wrong: the library could not be unlocked with it.");
      }
      this.passphrase = null;
      return this.lib.appInfo;
    });
  }

  /** Makes the next call of `command` reject with `error`. */
  failNext(command: string, error: BackendError): void {
    const list = this.failures.get(command) ?? [];
    list.push(error);
    this.failures.set(command, list);
  }

  /** Makes every call of `command` wait until the returned function is called. */
  hold(command: string): () => void {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    this.gates.set(command, gate);
    return () => {
      this.gates.delete(command);
      release();
    };
  }
  private gates = new Map<string, Promise<void>>();

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
    const gate = this.gates.get(command);
    if (gate) await gate;
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    else await Promise.resolve();
    const queued = this.failures.get(command);
    const error = queued?.shift();
    if (error) throw error;
    if (this.passphrase !== null && command !== "unlock_library" && command !== "preferences") {
      throw fail("library_locked", "The library is encrypted: it opens only with its passphrase.");
    }
    this.pending = null;
    const shots = new Map(this.lib.documents.map((d) => [d.document.id, this.shot(d)]));
    const result = clone(body());
    const edit = this.pending as { kind: string; documentId: string; entityId: string } | null;
    this.pending = null;
    if (edit) {
      const before = shots.get(edit.documentId);
      const doc = this.lib.documents.find((d) => d.document.id === edit.documentId);
      if (before) {
        this.redoStack = [];
        this.undoStack.push({ ...edit, before, after: doc ? this.shot(doc) : null });
      }
    }
    return result;
  }

  private shot(d: FakeDocument): DocShot {
    return { doc: clone(d), decisions: clone([...this.decisions]) };
  }

  private restore(documentId: string, shot: DocShot | null): void {
    const i = this.lib.documents.findIndex((d) => d.document.id === documentId);
    if (shot === null) {
      // The state after a deletion: the document is gone.
      if (i >= 0) this.lib.documents.splice(i, 1);
      return;
    }
    if (i < 0) this.lib.documents.push(clone(shot.doc));
    else this.lib.documents[i] = clone(shot.doc);
    this.decisions = new Map(clone(shot.decisions));
  }

  private report(edit: FakeEdit, direction: string): UndoReport {
    return {
      direction,
      edit: edit.kind,
      document_id: edit.documentId,
      entity_id: edit.entityId,
      undo_left: this.undoStack.length,
      redo_left: this.redoStack.length,
    };
  }

  private record(
    action: string,
    entity: string,
    entityId: string,
    documentId: string | null,
    before: unknown,
    after: unknown,
  ): void {
    const kind = UNDO_KINDS[action];
    if (kind && documentId && !(action === "finding.update" && JSON.stringify(before) === JSON.stringify(after))) {
      this.pending = { kind, documentId, entityId };
    }
    this.audit.push({
      id: this.audit.length + 1,
      at: this.now(),
      actor: this.lib.appInfo.user,
      action,
      entity,
      entity_id: entityId,
      document_id: documentId,
      before: before === undefined ? null : clone(before),
      after: after === undefined ? null : clone(after),
    });
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

  private verdictsOf(d: FakeDocument): ClauseVerdict[] {
    return clauseVerdicts(d.outline, d.findings, d.verdicts ?? []);
  }

  private coverageOf(d: FakeDocument): Coverage {
    return coverageOf(d.document.id, this.verdictsOf(d), this.screen(d), d.finalMark ?? null);
  }

  private summary(d: FakeDocument): DocumentSummary {
    const coverage = this.coverageOf(d);
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
      // Clauses with a verdict, as the core counts them.
      reviewed_clause_count: coverage.clauses - coverage.none,
      is_final: coverage.complete && coverage.final_mark != null,
      highest_risk: highest,
      open_suggestion_count: this.screen(d).filter((s) => s.state.state === "open").length,
      findings_by_level: [...levels]
        .reverse()
        .map((level) => ({ level, count: d.findings.filter((f) => f.risk_level === level).length }))
        .filter((l) => l.count > 0),
    };
  }

  appInfo(): Promise<AppInfo> {
    return this.answer("app_info", {}, () => this.lib.appInfo);
  }

  rulebook(): Promise<Rulebook> {
    return this.answer("rulebook", {}, () => this.lib.rulebook);
  }

  rulebooks(): Promise<RulebookChoice[]> {
    return this.answer("rulebooks", {}, () => this.choices());
  }

  private choices(): RulebookChoice[] {
    const b = this.lib.rulebook;
    const active: RulebookChoice = {
      id: b.pack.id,
      version: b.pack.version,
      name: b.pack.name,
      language: b.pack.language,
      description: b.pack.description,
      active: true,
      categories: b.categories,
    };
    return [active, ...(this.lib.otherPacks ?? []).map((p) => p.choice)];
  }

  screenWith(docId: string, packId: string): Promise<ScreenReport> {
    return this.answer("screen_with", { docId, packId }, () => {
      const d = this.lib.documents.find((x) => x.document.id === docId);
      if (!d) throw fail("not_found", `no document ${docId}`);
      const pack = this.choices().find((c) => c.id === packId);
      if (!pack) {
        throw fail(
          "invalid_input",
          `There is no rulebook pack “${packId}”; choose one of ${this.choices()
            .map((c) => c.id)
            .join(", ")}.`,
        );
      }
      d.document = { ...d.document, rulebook: { id: pack.id, version: pack.version } };
      this.record("document.screen", "document", docId, docId, null, { rulebook: d.document.rulebook });
      const suggestions = this.screen(d);
      return {
        document_id: docId,
        rulebook: d.document.rulebook,
        open: suggestions.filter((s) => s.state.state === "open").length,
        suggestions,
      };
    });
  }

  listDocuments(): Promise<DocumentSummary[]> {
    return this.answer("list_documents", {}, () => this.lib.documents.map((d) => this.summary(d)));
  }

  getDocument(docId: string): Promise<DocumentView> {
    return this.answer("get_document", { docId }, () => {
      const d = this.lib.documents.find((x) => x.document.id === docId);
      if (!d) throw fail("not_found", `no document ${docId}`);
      return {
        document: d.document,
        outline: d.outline,
        findings: d.findings,
        suggestions: this.screen(d),
        verdicts: this.verdictsOf(d),
        coverage: this.coverageOf(d),
      };
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
      this.record("finding.create", "finding", finding.id, doc.document.id, null, input);
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
      this.record("finding.update", "finding", findingId, doc.document.id, inputOf(old), input);
      return updated;
    });
  }

  undo(): Promise<UndoReport | null> {
    return this.answer("undo", {}, () => {
      const edit = this.undoStack.pop();
      if (!edit) return null;
      this.restore(edit.documentId, edit.before);
      this.redoStack.push(edit);
      return this.report(edit, "undo");
    });
  }

  redo(): Promise<UndoReport | null> {
    return this.answer("redo", {}, () => {
      const edit = this.redoStack.pop();
      if (!edit) return null;
      this.restore(edit.documentId, edit.after);
      this.undoStack.push(edit);
      return this.report(edit, "redo");
    });
  }

  preferences(): Promise<Preferences> {
    return this.answer("preferences", {}, () => this.prefs);
  }

  setPreferences(prefs: Preferences): Promise<Preferences> {
    return this.answer("set_preferences", { prefs }, () => {
      this.prefs = clone(prefs);
      if (prefs.user_name.trim() !== "") this.lib.appInfo.user = prefs.user_name.trim();
      return this.prefs;
    });
  }

  private exportHeader: ExportSettings = { municipality: "", committee: "", responsible_official: "" };
  /** The files the fake "wrote", by name (for assertions). */
  readonly exported: { docId: string; format: string; choices: ExportChoices; fileName: string }[] = [];
  /** What `openExport` was asked to open (for assertions). */
  readonly exportsOpened: ("file" | "folder")[] = [];
  /** The memo template; tests set it (null: Kryphål's own layout). */
  template: TemplateStatus | null = null;
  /** What the next `chooseExportTemplate` answers (the user's pick in the open dialog). */
  nextTemplate: TemplateStatus | null = null;
  private memo = new Map<string, MemoFields>();
  /** What the next reviewed file reads as; null: it is no review document. */
  nextReview: ReviewPreview | null = null;
  notes: ClauseNote[] = [];
  storedReviewDecisions: ReviewDecision[] = [];

  exportDocument(docId: string, format: string, choices: ExportChoices): Promise<ExportReport | null> {
    return this.answer("export_document", { docId, format, choices }, () => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
        throw { code: "invalid_input", message: `Unknown export format “${format}”.` } satisfies BackendError;
      }
      if (choices.variant !== "internal" && choices.variant !== "public") {
        throw { code: "invalid_input", message: `Unknown variant “${choices.variant}”.` } satisfies BackendError;
      }
      const doc = this.lib.documents.find((d) => d.document.id === docId);
      if (!doc) throw { code: "not_found", message: `Document ${docId} was not found.` } satisfies BackendError;
      const ext = format.endsWith("docx") ? "docx" : format === "memo-pdf" ? "pdf" : format;
      const fileName = `${doc.document.meta.title} - export.${ext}`;
      this.exported.push({ docId, format, choices: clone(choices), fileName });
      const word = format === "memo-docx" || format === "review-docx";
      return {
        file_name: fileName,
        path: "",
        format,
        bytes: 1000,
        template: word && this.template ? this.template.name : null,
        template_fields: word && this.template ? [...this.template.fields] : [],
      };
    });
  }

  openExport(what: "file" | "folder"): Promise<void> {
    return this.answer("open_export", { what }, () => {
      if (this.exported.length === 0) throw fail("not_found", "Nothing has been exported yet in this session.");
      this.exportsOpened.push(what);
    });
  }

  private defaultsFor(docId: string): MemoFields {
    const doc = this.lib.documents.find((d) => d.document.id === docId);
    if (!doc) throw fail("not_found", `Document ${docId} was not found.`);
    const title = doc.document.meta.title;
    const who = this.exportHeader.committee || doc.document.meta.owner || "Nämnden";
    return {
      case_dnr: "",
      subject: `Brottssäkring av ${title}`,
      decision_proposal: `${who} beslutar att revidera ${title} enligt förslagen till ändrad lydelse i denna tjänsteskrivelse.`,
      background: `${title} är föremål för denna granskning.`,
    };
  }

  memoFields(docId: string): Promise<MemoFieldsView> {
    return this.answer("memo_fields", { docId }, () => ({
      saved: clone(this.memo.get(docId) ?? { case_dnr: "", subject: "", decision_proposal: "", background: "" }),
      defaults: this.defaultsFor(docId),
    }));
  }

  setMemoFields(docId: string, fields: MemoFields): Promise<MemoFieldsView> {
    return this.answer("set_memo_fields", { docId, fields }, () => {
      const defaults = this.defaultsFor(docId);
      const keep = (v: string, d: string) => (v.trim() === d.trim() ? "" : v.trim());
      const saved = {
        case_dnr: fields.case_dnr.trim(),
        subject: keep(fields.subject, defaults.subject),
        decision_proposal: keep(fields.decision_proposal, defaults.decision_proposal),
        background: keep(fields.background, defaults.background),
      };
      this.memo.set(docId, saved);
      return { saved: clone(saved), defaults };
    });
  }

  exportTemplate(): Promise<TemplateStatus | null> {
    return this.answer("export_template", {}, () => clone(this.template));
  }

  chooseExportTemplate(): Promise<TemplateStatus | null> {
    return this.answer("choose_export_template", {}, () => {
      if (this.nextTemplate) this.template = clone(this.nextTemplate);
      return clone(this.nextTemplate);
    });
  }

  clearExportTemplate(): Promise<void> {
    return this.answer("clear_export_template", {}, () => {
      this.template = null;
    });
  }

  previewReview(fileName: string, bytes: Uint8Array): Promise<ReviewPreview> {
    return this.answer("preview_review", { fileName, size: bytes.length }, () => {
      if (!this.nextReview) throw fail("not_review", `${fileName} is not a review document exported by Kryphål.`);
      return { ...clone(this.nextReview), file_name: fileName, stored: false };
    });
  }

  importReview(fileName: string, bytes: Uint8Array): Promise<ReviewPreview> {
    return this.answer("import_review", { fileName, size: bytes.length }, () => {
      if (!this.nextReview) throw fail("not_review", `${fileName} is not a review document exported by Kryphål.`);
      const review = clone(this.nextReview);
      const doc = this.lib.documents.find((d) => d.document.id === review.document_id);
      if (!doc) throw fail("not_review", "The reviewed document is not in this library.");
      for (const item of review.items) {
        const f = doc.findings.find((x) => x.id === item.finding_id);
        if (!f || item.skipped) continue;
        f.status = item.status_after;
        f.proposed_wording = item.proposal_after;
        f.comments.push(...item.replies);
        if (["accepted", "rejected", "edited"].includes(item.outcome)) {
          this.storedReviewDecisions.push({
            finding_id: f.id,
            document_id: doc.document.id,
            outcome: item.outcome as ReviewDecision["outcome"],
            decided_by: item.decided_by,
            decided_at: review.reviewed_at || this.now(),
            proposal_before: item.proposal_before,
            proposal_after: item.proposal_after,
            source: fileName,
            source_sha256: review.file_sha256,
            imported_at: this.now(),
            imported_by: this.lib.appInfo.user,
          });
        }
      }
      for (const n of review.notes.filter((x) => !x.duplicate)) {
        this.notes.push({
          id: `n-${this.nextId++}`,
          document_id: doc.document.id,
          clause_id: n.clause_id,
          author: n.author,
          at: n.at,
          text: n.text,
          context: n.context,
          source: fileName,
        });
      }
      return { ...review, file_name: fileName, stored: review.will_change };
    });
  }

  clauseNotes(docId: string): Promise<ClauseNote[]> {
    return this.answer("clause_notes", { docId }, () => clone(this.notes.filter((n) => n.document_id === docId)));
  }

  reviewDecisions(docId: string): Promise<ReviewDecision[]> {
    return this.answer("review_decisions", { docId }, () =>
      clone(this.storedReviewDecisions.filter((d) => d.document_id === docId)),
    );
  }

  /** Overview images the fake "wrote" (for assertions). */
  readonly imagesWritten: { docId: string | null; format: string; part: string; lang: string }[] = [];

  exportOverviewImage(docId: string | null, format: "png" | "svg", part: string, lang: string): Promise<string | null> {
    return this.answer("export_overview_image", { docId, format, part, lang }, () => {
      const doc = docId === null ? null : this.lib.documents.find((d) => d.document.id === docId);
      if (docId !== null && !doc) throw fail("not_found", `Document ${docId} was not found.`);
      if (format !== "png" && format !== "svg") throw fail("invalid_input", `Overview images are png or svg, not “${format}”.`);
      if (!["all", "matrix", "crime-types", "status", "coverage", "strip"].includes(part)) {
        throw fail("invalid_input", `Unknown part “${part}”.`);
      }
      this.imagesWritten.push({ docId, format, part, lang });
      return `${doc ? doc.document.meta.title : "Biblioteket"} - ${part}.${format}`;
    });
  }

  exportPreview(docId: string, format: string): Promise<string[]> {
    return this.answer("export_preview", { docId, format }, () => {
      const doc = this.lib.documents.find((d) => d.document.id === docId);
      if (!doc) throw fail("not_found", `Document ${docId} was not found.`);
      if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw fail("invalid_input", `Unknown export format “${format}”.`);
      return fakeIncludedFindings(doc.findings, format as ExportFormat).map((f) => f.id);
    });
  }

  exportSettings(): Promise<ExportSettings> {
    return this.answer("export_settings", {}, () => this.exportHeader);
  }

  setExportSettings(settings: ExportSettings): Promise<ExportSettings> {
    return this.answer("set_export_settings", { settings }, () => {
      this.exportHeader = {
        municipality: settings.municipality.trim(),
        committee: settings.committee.trim(),
        responsible_official: settings.responsible_official.trim(),
      };
      return this.exportHeader;
    });
  }

  /** Open and resolved conflicts (tests put some here); a bundle to "import". */
  conflicts: MergeConflict[] = [];
  recordConflicts: RecordConflict[] = [];
  nextBundle: BundleImportReport | null = null;
  /** Makes `nextBundle` an encrypted one, opened with this passphrase. */
  nextBundlePassphrase: string | null = null;
  private bundleWaiting = false;

  exportBundle(docIds: string[], passphrase: string | null = null): Promise<BundleExportReport | null> {
    // The passphrase is not recorded with the call; whether there was one is.
    return this.answer("export_bundle", passphrase === null ? { docIds } : { docIds, encrypted: true }, () => {
      const docs = this.lib.documents.filter((d) => docIds.includes(d.document.id));
      if (docs.length === 0) throw fail("invalid_input", "Name at least one document to put in the bundle.");
      const name = docs.length === 1 ? `${docs[0]?.document.meta.title}.kryphal` : "analyser.kryphal";
      return {
        path: name,
        file_name: name,
        bytes: 1024,
        documents: docs.length,
        findings: docs.reduce((n, d) => n + d.findings.length, 0),
        encrypted: passphrase !== null,
        // The app's export does not sign (the CLI's --sign does).
        signed_by: null,
      };
    });
  }

  importBundle(): Promise<BundleImportReport | null> {
    return this.answer("import_bundle", {}, () => {
      if (this.nextBundle && this.nextBundlePassphrase !== null) {
        this.bundleWaiting = true;
        throw fail("passphrase_required", "The bundle is encrypted: give its passphrase to import it. Nothing was imported.");
      }
      return this.nextBundle;
    });
  }

  importBundleUnlock(passphrase: string): Promise<BundleImportReport> {
    return this.answer("import_bundle_unlock", {}, () => {
      if (!this.bundleWaiting || !this.nextBundle) {
        throw fail("invalid_input", "No encrypted bundle is waiting to be imported; choose it again.");
      }
      if (passphrase !== this.nextBundlePassphrase) {
        throw fail("wrong_passphrase", "The passphrase is wrong, or the encrypted bundle was changed or damaged after it was written.");
      }
      this.bundleWaiting = false;
      return this.nextBundle;
    });
  }

  listConflicts(all: boolean): Promise<MergeConflict[]> {
    return this.answer("list_conflicts", { all }, () => this.conflicts.filter((c) => all || c.resolved_at === null));
  }

  resolveConflict(id: string, keep: Resolution, combined: FindingInput | null): Promise<MergeConflict> {
    return this.answer("resolve_conflict", { id, keep, combined }, () => {
      const c = this.conflicts.find((x) => x.id === id);
      if (!c) throw fail("not_found", `Conflict ${id} was not found in the library.`);
      if (c.resolved_at !== null) throw fail("invalid_input", `The conflict ${id} is already resolved.`);
      c.resolved_at = this.now();
      c.resolved_by = this.lib.appInfo.user;
      c.resolution = keep;
      return c;
    });
  }

  listRecordConflicts(all: boolean): Promise<RecordConflict[]> {
    return this.answer("list_record_conflicts", { all }, () => this.recordConflicts.filter((c) => all || c.resolved_at === null));
  }

  resolveRecordConflict(id: string, keep: Resolution): Promise<RecordConflict> {
    return this.answer("resolve_record_conflict", { id, keep }, () => {
      const c = this.recordConflicts.find((x) => x.id === id);
      if (!c) throw fail("not_found", `Conflict ${id} was not found in the library.`);
      if (c.resolved_at !== null) throw fail("invalid_input", `The conflict ${id} is already resolved.`);
      if (keep === "combined") throw fail("invalid_input", `The conflict ${id} is resolved by keeping mine or theirs.`);
      c.resolved_at = this.now();
      c.resolved_by = this.lib.appInfo.user;
      c.resolution = keep;
      return c;
    });
  }

  backupLibrary(): Promise<BackupReport | null> {
    return this.answer("backup_library", {}, () => null);
  }

  restoreLibrary(): Promise<RestoreReport | null> {
    return this.answer("restore_library", {}, () => null);
  }

  search(query: SearchQuery): Promise<SearchAnswer> {
    return this.answer("search", { query }, () => fakeSearch(this.lib.documents, query));
  }

  async uiReady(): Promise<void> {
    this.calls.push({ command: "ui_ready", args: {} });
  }

  /** The file the app "was started with" (tests set it); importing it answers `nextBundle`. */
  opened: OpenedFile | null = null;

  openedFile(): Promise<OpenedFile | null> {
    return this.answer("opened_file", {}, () => this.opened);
  }

  importOpenedBundle(): Promise<BundleImportReport> {
    return this.answer("import_opened_bundle", {}, () => {
      const report = this.opened?.kind === "bundle" ? this.nextBundle : null;
      if (!report) throw fail("invalid_input", "Kryphål was not started with a file to import.");
      this.opened = null;
      return report;
    });
  }

  addComment(findingId: string, text: string): Promise<Finding> {
    return this.answer("add_comment", { findingId, text }, () => {
      const { doc, index } = this.findFinding(findingId);
      const trimmed = text.trim();
      if (trimmed === "") throw fail("invalid_input", "A comment needs some text.");
      const finding = doc.findings[index] as Finding;
      const comment = { author: this.lib.appInfo.user, at: this.now(), text: trimmed };
      finding.comments = [...finding.comments, comment];
      this.record("finding.comment", "finding", findingId, doc.document.id, null, comment);
      return finding;
    });
  }

  async deleteFinding(findingId: string): Promise<void> {
    await this.answer("delete_finding", { findingId }, () => {
      const { doc, index } = this.findFinding(findingId);
      const [gone] = doc.findings.splice(index, 1);
      this.record("finding.delete", "finding", findingId, doc.document.id, gone, null);
      return null;
    });
  }

  importFile(fileName: string, bytes: Uint8Array): Promise<ImportReport> {
    const size = bytes.length;
    return this.answer("import_file", { fileName, size }, () => {
      const print = fingerprint(bytes);
      const existing = this.fingerprints.get(print);
      const same = this.lib.documents.find((d) => d.document.id === existing);
      if (same) {
        throw fail("duplicate", `${fileName} is already in the library as “${same.document.meta.title}” (id ${same.document.id}).`);
      }
      const id = `doc-${this.nextId++}`;
      const imported = fakeImport(fileName, bytes, id);
      const document: Document = {
        id,
        meta: imported.meta,
        source: { name: fileName, sha256: print.padStart(64, "0"), format: imported.format, size },
        imported_at: this.now(),
        imported_by: this.lib.appInfo.user,
        rulebook: { id: this.lib.rulebook.pack.id, version: this.lib.rulebook.pack.version },
      };
      this.lib.documents.push({ document, outline: imported.outline, findings: [] });
      this.fingerprints.set(print, id);
      this.record("document.import", "document", id, id, null, document.meta);
      return {
        document_id: id,
        title: document.meta.title,
        file_name: fileName,
        sections: imported.outline.sections.length,
        clauses: imported.outline.clauses.length,
        warnings: imported.warnings,
        version_candidates: [],
      };
    });
  }

  // Versions are kept by the core only; demo mode shows every document on its own.
  versionStatus(docId: string): Promise<VersionStatus> {
    return this.answer("version_status", { docId }, () => ({
      document_id: docId,
      number: 1,
      previous_id: null,
      next_id: null,
      candidates: [],
      open_rereview: 0,
    }));
  }
  importFileReplacing(fileName: string, bytes: Uint8Array): Promise<VersionReport> {
    return this.answer("import_file_replacing", { fileName, size: bytes.length }, () => {
      const print = fingerprint(bytes);
      const previous = this.lib.documents.find((d) => d.document.id === this.fingerprints.get(print));
      if (!previous) {
        throw fail("not_found", `${fileName} is not in the library yet, so there is nothing to replace; import it instead.`);
      }
      // Demo mode reads the same bytes to the same outline: every finding carries over.
      const id = `doc-${this.nextId++}`;
      const document: Document = { ...clone(previous.document), id, imported_at: this.now(), imported_by: this.lib.appInfo.user };
      const findings = previous.findings.map((f) => ({ ...clone(f), id: `f-${this.nextId++}`, document_id: id }));
      this.lib.documents.push({ document, outline: clone(previous.outline), findings });
      this.record("document.version", "document", id, id, null, document.meta);
      const clauses = previous.outline.clauses.length;
      return {
        document_id: id,
        previous_id: previous.document.id,
        family_id: previous.document.id,
        number: 2,
        title: document.meta.title,
        file_name: fileName,
        clauses,
        summary: { unchanged: clauses, changed: 0, added: 0, removed: 0, moved: 0, renumbered: 0 },
        carried: findings.length,
        rereview: 0,
        orphaned: 0,
        implemented: 0,
        decisions: 0,
        corrections_applied: 0,
        corrections_skipped: [],
        warnings: [],
      };
    });
  }
  linkAsVersion(docId: string, previousId: string): Promise<VersionReport> {
    return this.answer("link_as_version", { docId, previousId }, () => {
      throw fail("invalid_input", "Versions are not kept in demo mode.");
    });
  }
  compareVersions(oldId: string, newId: string): Promise<VersionComparison> {
    return this.answer("compare_versions", { oldId, newId }, () => {
      throw fail("invalid_input", "Versions are not kept in demo mode.");
    });
  }
  exportComparison(oldId: string, newId: string, format: "md" | "docx"): Promise<string | null> {
    return this.answer("export_comparison", { oldId, newId, format }, () => {
      throw fail("invalid_input", "Versions are not kept in demo mode.");
    });
  }
  resolveCarryover(findingId: string, resolved: boolean): Promise<CarryOver> {
    return this.answer("resolve_carryover", { findingId, resolved }, () => {
      throw fail("invalid_input", "Versions are not kept in demo mode.");
    });
  }

  updateMetadata(docId: string, meta: DocumentMeta): Promise<Document> {
    return this.answer("update_metadata", { docId, meta }, () => {
      const d = this.lib.documents.find((x) => x.document.id === docId);
      if (!d) throw fail("not_found", `no document ${docId}`);
      if (meta.title.trim() === "") {
        throw fail("invalid_input", "A document needs a title; the title cannot be empty.");
      }
      const before = d.document.meta;
      d.document.meta = clone(meta);
      this.record("document.meta", "document", docId, docId, before, meta);
      return d.document;
    });
  }

  splitClause(clauseId: string, at: number): Promise<Clause> {
    return this.answer("split_clause", { clauseId, at }, () => {
      const doc = this.findClause(clauseId);
      const clause = doc.outline.clauses.find((c) => c.id === clauseId) as Clause;
      const bytes = new TextEncoder().encode(clause.text);
      if (!Number.isInteger(at) || at < 0 || at > bytes.length || !isCharBoundary(bytes, at)) {
        throw fail("invalid_input", `Position ${at} is not between two characters of the clause's text.`);
      }
      const decoder = new TextDecoder();
      const first = decoder.decode(bytes.slice(0, at)).trim();
      const second = decoder.decode(bytes.slice(at)).trim();
      if (first === "" || second === "") {
        throw fail("invalid_input", "Both parts of a split clause must contain text; choose a point inside the text.");
      }
      const before = clone(clause);
      const taken = new Set(doc.outline.clauses.map((c) => c.id));
      let id = `${clauseId}-d${this.nextId++}`;
      while (taken.has(id)) id = `${clauseId}-d${this.nextId++}`;
      for (const row of [...doc.outline.sections, ...doc.outline.clauses]) {
        if (row.position > clause.position) row.position += 1;
      }
      clause.text = first;
      const added: Clause = {
        id,
        section_id: clause.section_id,
        number: "",
        label: `${clause.label} (forts.)`,
        kind: "paragraph",
        text: second,
        position: clause.position + 1,
      };
      doc.outline.clauses.push(added);
      doc.outline.clauses.sort((a, b) => a.position - b.position);
      this.record("clause.split", "clause", clauseId, doc.document.id, before, { first, second: added });
      return added;
    });
  }

  mergeWithNext(clauseId: string): Promise<Clause> {
    return this.answer("merge_with_next", { clauseId }, () => {
      const doc = this.findClause(clauseId);
      const clauses = doc.outline.clauses;
      const i = clauses.findIndex((c) => c.id === clauseId);
      const first = clauses[i] as Clause;
      const next = clauses[i + 1];
      if (!next) {
        throw fail(
          "invalid_input",
          "This is the document's last clause; there is no following clause to merge it with.",
        );
      }
      const before = { first: clone(first), second: clone(next) };
      first.text = next.number ? `${first.text} ${next.number} ${next.text}` : `${first.text} ${next.text}`;
      for (const f of doc.findings) if (f.clause_id === next.id) f.clause_id = first.id;
      clauses.splice(i + 1, 1);
      for (const row of [...doc.outline.sections, ...clauses]) {
        if (row.position > next.position) row.position -= 1;
      }
      this.record("clause.merge", "clause", clauseId, doc.document.id, before, { text: first.text });
      return first;
    });
  }

  // The structure corrections, simplified (the core's `corrections::apply` is the real
  // thing): enough for the UI to be tried and tested against.

  promoteClause(clauseId: string, level: number | null): Promise<Section> {
    return this.answer("promote_clause", { clauseId, level }, () => {
      const doc = this.findClause(clauseId);
      const o = doc.outline;
      const clause = o.clauses.find((c) => c.id === clauseId) as Clause;
      const findings = doc.findings.filter((f) => f.clause_id === clauseId).length;
      if (findings > 0) {
        throw fail(
          "invalid_input",
          `“${clause.label}” has ${findings === 1 ? "a finding" : `${findings} findings`}, so it cannot become a heading: findings belong to clauses.`,
        );
      }
      const before = o.sections.filter((s) => s.position < clause.position).sort((a, b) => b.position - a.position);
      const deepest = (before[0]?.level ?? 0) + 1;
      const own = o.sections.find((s) => s.id === clause.section_id)?.level ?? 0;
      const lvl = level ?? Math.min(own + 1, deepest);
      if (lvl < 1 || lvl > deepest) {
        throw fail("invalid_input", `A heading here can be level 1 to ${deepest}, not ${lvl}.`);
      }
      const section: Section = {
        id: `${clauseId}-h${this.nextId++}`,
        parent_id: before.find((s) => s.level < lvl)?.id ?? null,
        level: lvl,
        number: clause.number,
        title: clause.text.trim(),
        position: clause.position,
      };
      const next = Math.min(...o.sections.filter((s) => s.position > clause.position).map((s) => s.position), Infinity);
      for (const s of [...o.sections].filter((s) => s.position > clause.position).sort((a, b) => a.position - b.position)) {
        if (s.level <= lvl) break;
        const parent = o.sections.find((p) => p.id === s.parent_id);
        if (!parent || parent.position < clause.position) s.parent_id = section.id;
      }
      for (const c of o.clauses) {
        if (c.position > clause.position && c.position < next) {
          c.section_id = section.id;
          c.label = labelIn(section, labelTail(c.label));
        }
      }
      o.clauses = o.clauses.filter((c) => c.id !== clauseId);
      o.sections.push(section);
      o.sections.sort((a, b) => a.position - b.position);
      this.record("outline.promote", "clause", clauseId, doc.document.id, clause, section);
      return section;
    });
  }

  demoteSection(sectionId: string): Promise<Clause> {
    return this.answer("demote_section", { sectionId }, () => {
      const doc = this.lib.documents.find((d) => d.outline.sections.some((s) => s.id === sectionId));
      if (!doc) throw fail("not_found", `No heading “${sectionId}” is in the library.`);
      const o = doc.outline;
      const section = o.sections.find((s) => s.id === sectionId) as Section;
      const rest = o.sections.filter((s) => s.id !== sectionId);
      const beforeIt = rest.filter((s) => s.position < section.position).sort((a, b) => b.position - a.position)[0];
      for (const s of rest.filter((s) => s.position > section.position).sort((a, b) => a.position - b.position)) {
        if (s.level <= section.level) break;
        s.level -= 1;
        if (s.parent_id === sectionId) s.parent_id = section.parent_id;
      }
      for (const c of o.clauses) {
        if (c.section_id === sectionId) {
          c.section_id = beforeIt?.id ?? null;
          c.label = labelIn(beforeIt, labelTail(c.label));
        }
      }
      const clause: Clause = {
        id: `${sectionId}-c${this.nextId++}`,
        section_id: beforeIt?.id ?? null,
        number: section.number,
        label: labelIn(beforeIt, section.number ? `p. ${section.number.replace(/\.$/, "")}` : "st. 1"),
        kind: section.number ? "numbered" : "paragraph",
        text: section.title,
        position: section.position,
      };
      o.sections = rest;
      o.clauses.push(clause);
      o.clauses.sort((a, b) => a.position - b.position);
      this.record("outline.demote", "section", sectionId, doc.document.id, section, clause);
      return clause;
    });
  }

  moveClause(clauseId: string, sectionId: string): Promise<Clause> {
    return this.answer("move_clause", { clauseId, sectionId }, () => {
      const doc = this.findClause(clauseId);
      const o = doc.outline;
      const clause = o.clauses.find((c) => c.id === clauseId) as Clause;
      const target = o.sections.find((s) => s.id === sectionId);
      if (!target) throw fail("not_found", `No heading “${sectionId}” is in the document.`);
      if (clause.section_id === sectionId) {
        throw fail("invalid_input", `“${clause.label}” is already under “${target.title}”.`);
      }
      const anchor = Math.max(
        target.position,
        ...o.clauses.filter((c) => c.id !== clauseId && c.section_id === sectionId).map((c) => c.position),
      );
      for (const row of [...o.sections, ...o.clauses]) if (row !== clause && row.position > anchor) row.position += 1;
      const before = clone(clause);
      clause.position = anchor + 1;
      clause.section_id = sectionId;
      clause.label = labelIn(target, labelTail(clause.label));
      o.clauses.sort((a, b) => a.position - b.position);
      this.record("outline.move", "clause", clauseId, doc.document.id, before, clause);
      return clause;
    });
  }

  renumberClause(clauseId: string, number: string): Promise<Clause> {
    return this.answer("renumber_clause", { clauseId, number }, () => {
      const doc = this.findClause(clauseId);
      const clause = doc.outline.clauses.find((c) => c.id === clauseId) as Clause;
      const to = number.trim();
      if (to === "") throw fail("invalid_input", "Give the clause's new number, for example 4.3, 3 § or b).");
      if (to === clause.number) throw fail("invalid_input", `“${clause.label}” is already numbered ${to}.`);
      const before = clone(clause);
      const section = doc.outline.sections.find((s) => s.id === clause.section_id);
      const tail = labelTail(clause.label);
      const old = clause.number.replace(/\.$/, "");
      clause.label = labelIn(
        section,
        old && tail.endsWith(old) ? tail.slice(0, tail.length - old.length) + to.replace(/\.$/, "") : `p. ${to}`,
      );
      clause.number = to;
      if (clause.kind === "paragraph") clause.kind = "numbered";
      this.record("outline.renumber", "clause", clauseId, doc.document.id, before, clause);
      return clause;
    });
  }

  private docById(docId: string): FakeDocument {
    const d = this.lib.documents.find((x) => x.document.id === docId);
    if (!d) throw fail("not_found", `no document ${docId}`);
    return d;
  }

  private applyVerdicts(d: FakeDocument, ids: string[], verdict: Verdict | null): VerdictReport {
    const withFindings = new Set(d.findings.map((f) => f.clause_id));
    const stored = (d.verdicts ??= []);
    const skipped: VerdictReport["skipped"] = [];
    const at = this.now();
    for (const id of ids) {
      const clause = d.outline.clauses.find((c) => c.id === id);
      if (!clause) throw fail("not_found", `no clause ${id}`);
      if (withFindings.has(id) && verdict !== null) {
        skipped.push({ clause_id: id, label: clause.label, reason: "has_findings" });
        continue;
      }
      const i = stored.findIndex((v) => v.clause_id === id);
      const before = i >= 0 ? stored[i]?.verdict ?? null : null;
      if (before === verdict) continue;
      if (i >= 0) stored.splice(i, 1);
      if (verdict !== null) stored.push({ clause_id: id, verdict, by: this.lib.appInfo.user, at });
      this.record("clause.verdict", "clause", id, d.document.id, { verdict: before }, { verdict });
    }
    const asked = new Set(ids);
    return {
      document_id: d.document.id,
      verdicts: this.verdictsOf(d).filter((v) => asked.has(v.clause_id)),
      skipped,
      // The fake's screening is computed from its rules on every call.
      suggestions_removed: 0,
      suggestions_added: 0,
      coverage: this.coverageOf(d),
    };
  }

  setVerdicts(clauseIds: string[], verdict: Verdict | null): Promise<VerdictReport> {
    return this.answer("set_verdicts", { clauseIds, verdict }, () => {
      const first = clauseIds[0];
      if (first === undefined) throw fail("invalid_input", "Name at least one clause to give a verdict.");
      const d = this.findClause(first);
      return this.applyVerdicts(d, clauseIds, verdict);
    });
  }

  setSectionVerdict(sectionId: string, verdict: Verdict | null): Promise<VerdictReport> {
    return this.answer("set_section_verdict", { sectionId, verdict }, () => {
      const d = this.lib.documents.find((x) => x.outline.sections.some((s) => s.id === sectionId));
      if (!d) throw fail("not_found", `no heading ${sectionId}`);
      const inside = new Set([sectionId]);
      for (const s of [...d.outline.sections].sort((a, b) => a.position - b.position)) {
        if (s.parent_id != null && inside.has(s.parent_id)) inside.add(s.id);
      }
      const ids = d.outline.clauses
        .filter((c) => c.section_id != null && inside.has(c.section_id))
        .sort((a, b) => a.position - b.position)
        .map((c) => c.id);
      if (ids.length === 0) throw fail("invalid_input", "The heading has no clauses under it to give a verdict.");
      return this.applyVerdicts(d, ids, verdict);
    });
  }

  markFinal(docId: string): Promise<Coverage> {
    return this.answer("mark_final", { docId }, () => {
      const d = this.docById(docId);
      const coverage = this.coverageOf(d);
      if (!coverage.complete) {
        throw fail(
          "incomplete",
          `The document cannot be marked final: ${coverage.none} clauses have no verdict and ${coverage.open_suggestions} suggestions are open. Nothing was changed.`,
        );
      }
      const before = d.finalMark ?? null;
      d.finalMark = { document_id: docId, by: this.lib.appInfo.user, at: this.now(), rulebook: { id: this.lib.rulebook.pack.id, version: this.lib.rulebook.pack.version } };
      this.record("document.final", "document", docId, docId, before, d.finalMark);
      return this.coverageOf(d);
    });
  }

  reopenReview(docId: string): Promise<Coverage> {
    return this.answer("reopen_review", { docId }, () => {
      const d = this.docById(docId);
      if (d.finalMark) {
        const before = d.finalMark;
        d.finalMark = null;
        this.record("document.reopen", "document", docId, docId, before, null);
      }
      return this.coverageOf(d);
    });
  }

  private preview(d: FakeDocument): DeletionPreview {
    return {
      document_id: d.document.id,
      title: d.document.meta.title,
      file_name: d.document.source.name,
      clauses: d.outline.clauses.length,
      findings: d.findings.length,
      suggestions: this.screen(d).length,
      workshops: 0,
      verdicts: (d.verdicts ?? []).length,
      previous_version: null,
      next_versions: [],
    };
  }

  deletionPreview(docId: string): Promise<DeletionPreview> {
    return this.answer("deletion_preview", { docId }, () => this.preview(this.docById(docId)));
  }

  deleteDocument(docId: string): Promise<DeletionPreview> {
    return this.answer("delete_document", { docId }, () => {
      const d = this.docById(docId);
      const preview = this.preview(d);
      this.record("document.delete", "document", docId, docId, preview, null);
      this.lib.documents.splice(this.lib.documents.indexOf(d), 1);
      return preview;
    });
  }

  private screen(d: FakeDocument): Suggestion[] {
    const other = (this.lib.otherPacks ?? []).find(
      (p) => p.choice.id === d.document.rulebook.id && p.choice.id !== this.lib.rulebook.pack.id,
    );
    const rules = other ? other.screening : (this.lib.screening ?? []);
    return fakeScreen(d.document.id, d.outline.clauses, rules, this.decisions);
  }

  private findSuggestion(suggestionId: string): { doc: FakeDocument; suggestion: Suggestion } {
    for (const doc of this.lib.documents) {
      const suggestion = this.screen(doc).find((s) => s.id === suggestionId);
      if (suggestion) return { doc, suggestion };
    }
    throw fail("not_found", `no suggestion ${suggestionId}`);
  }

  screenDocument(docId: string): Promise<ScreenReport> {
    return this.answer("screen_document", { docId }, () => {
      const d = this.lib.documents.find((x) => x.document.id === docId);
      if (!d) throw fail("not_found", `no document ${docId}`);
      const suggestions = this.screen(d);
      return {
        document_id: docId,
        rulebook: d.document.rulebook,
        open: suggestions.filter((s) => s.state.state === "open").length,
        suggestions,
      };
    });
  }

  acceptSuggestion(suggestionId: string): Promise<Finding> {
    return this.answer("accept_suggestion", { suggestionId }, () => {
      const { doc, suggestion } = this.findSuggestion(suggestionId);
      if (suggestion.state.state === "accepted") {
        throw fail("invalid_input", `This suggestion was already accepted as finding ${suggestion.state.finding_id}.`);
      }
      const known = new Set(this.lib.rulebook.crime_types.map((c) => c.code));
      const at = this.now();
      const user = this.lib.appInfo.user;
      const finding: Finding = {
        ...emptyInput(),
        unintended_consequence: (suggestion.consequence.trim() === ""
          ? `${suggestion.message} ${suggestion.rationale}`
          : suggestion.consequence
        ).trim(),
        proposed_wording: suggestion.proposal.trim(),
        crime_types: suggestion.crime_types.filter((c) => known.has(c)),
        id: `f-${this.nextId++}`,
        document_id: doc.document.id,
        clause_id: suggestion.clause_id,
        risk_level: null,
        comments: [],
        suggestion_id: suggestion.id,
        created_at: at,
        created_by: user,
        updated_at: at,
        updated_by: user,
      };
      doc.findings.push(finding);
      this.decisions.set(suggestion.id, { state: "accepted", finding_id: finding.id });
      this.record("suggestion.accept", "suggestion", suggestion.id, doc.document.id, suggestion.state, {
        finding_id: finding.id,
      });
      return finding;
    });
  }

  dismissSuggestion(suggestionId: string, reason: string): Promise<Suggestion> {
    return this.answer("dismiss_suggestion", { suggestionId, reason }, () => {
      if (reason.trim() === "") {
        throw fail(
          "invalid_input",
          "Say why the suggestion is dismissed; the reason is kept for whoever reviews the analysis.",
        );
      }
      const { doc, suggestion } = this.findSuggestion(suggestionId);
      const state: SuggestionState = {
        state: "dismissed",
        reason: reason.trim(),
        by: this.lib.appInfo.user,
        at: this.now(),
      };
      this.decisions.set(suggestionId, state);
      this.record("suggestion.dismiss", "suggestion", suggestionId, doc.document.id, suggestion.state, state);
      return { ...suggestion, state };
    });
  }

  reopenSuggestion(suggestionId: string): Promise<Suggestion> {
    return this.answer("reopen_suggestion", { suggestionId }, () => {
      const { doc, suggestion } = this.findSuggestion(suggestionId);
      this.decisions.delete(suggestionId);
      this.record("suggestion.reopen", "suggestion", suggestionId, doc.document.id, suggestion.state, {
        state: "open",
      });
      return { ...suggestion, state: { state: "open" } };
    });
  }

  history(entityId: string | null): Promise<AuditEvent[]> {
    return this.answer("history", { entityId }, () =>
      this.audit.filter((e) => entityId === null || e.entity_id === entityId),
    );
  }

  overview(docId: string | null): Promise<Overview> {
    return this.answer("overview", { docId }, () => {
      if (docId === null) return this.libraryOverview();
      const d = this.lib.documents.find((x) => x.document.id === docId);
      if (!d) throw fail("not_found", `Document ${docId} was not found in the library.`);
      return this.documentOverview(d);
    });
  }

  /** The matrix's cells with the findings in each, likelihood 1 first. */
  private matrixCells(findings: Finding[]): Overview["cells"] {
    const rb = this.lib.rulebook;
    return rb.scale.likelihood.steps.flatMap((l) =>
      rb.scale.impact.steps.map((i) => ({
        likelihood: l.value,
        impact: i.value,
        level: rb.scale.banding.matrix[l.value - 1]?.[i.value - 1] ?? null,
        finding_ids: findings.filter((f) => f.likelihood === l.value && f.impact === i.value).map((f) => f.id),
      })),
    );
  }

  private documentOverview(d: FakeDocument): Overview {
    const rb = this.lib.rulebook;
    const levels = rb.scale.levels.map((l) => l.id);
    const cells = this.matrixCells(d.findings);
    const count = (key: string, label: string, n: number) => ({ key, label, count: n });
    const clauses = [...d.outline.clauses].sort((a, b) => a.position - b.position);
    const strip = clauses.map((c) => {
      const own = d.findings.filter((f) => f.clause_id === c.id);
      const ranked = own.map((f) => f.risk_level).filter((l): l is string => l != null);
      ranked.sort((a, b) => levels.indexOf(b) - levels.indexOf(a));
      return { clause_id: c.id, label: c.label, findings: own.length, level: ranked[0] ?? null };
    });
    const sections = new Map<string | null, { section_id: string | null; title: string; clauses: number; reviewed: number }>();
    for (const [k, c] of clauses.entries()) {
      const key = c.section_id ?? null;
      const s = d.outline.sections.find((x) => x.id === key);
      const row = sections.get(key) ?? { section_id: key, title: s ? `${s.number} ${s.title}`.trim() : "", clauses: 0, reviewed: 0 };
      row.clauses += 1;
      row.reviewed += (strip[k]?.findings ?? 0) > 0 ? 1 : 0;
      sections.set(key, row);
    }
    return {
      document_id: d.document.id,
      cells,
      unassessed: d.findings.filter((f) => f.likelihood == null || f.impact == null).length,
      by_crime_type: rb.crime_types
        .map((ct) => count(ct.code, ct.name, d.findings.filter((f) => f.crime_types.includes(ct.code)).length))
        .filter((c) => c.count > 0),
      by_status: ["draft", "reviewed", "agreed", "rejected"]
        .map((st) => count(st, st, d.findings.filter((f) => f.status === st).length))
        .filter((c) => c.count > 0),
      clauses: strip.length,
      reviewed: strip.filter((h) => h.findings > 0).length,
      sections: [...sections.values()],
      strip,
      documents: [],
      findings: [],
      earlier_versions: 0,
    };
  }

  /** The whole library's overview, added up from the documents' own as the core does. */
  private libraryOverview(): Overview {
    const rb = this.lib.rulebook;
    const levels = rb.scale.levels.map((l) => l.id);
    const highest = (ids: (string | null)[]) =>
      ids.filter((l): l is string => l != null).sort((a, b) => levels.indexOf(b) - levels.indexOf(a))[0] ?? null;
    const each = this.lib.documents.map((d) => ({ d, o: this.documentOverview(d) }));
    const sum = (pick: (o: Overview) => { key: string; label: string; count: number }[], order: string[]) =>
      order
        .map((key) => {
          const n = each.reduce((acc, { o }) => acc + (pick(o).find((c) => c.key === key)?.count ?? 0), 0);
          const label = each.map(({ o }) => pick(o).find((c) => c.key === key)?.label).find(Boolean) ?? key;
          return { key, label, count: n };
        })
        .filter((c) => c.count > 0);
    return {
      document_id: null,
      cells: this.matrixCells(each.flatMap(({ d }) => d.findings)),
      unassessed: each.reduce((n, { o }) => n + o.unassessed, 0),
      by_crime_type: sum((o) => o.by_crime_type, rb.crime_types.map((c) => c.code)),
      by_status: sum((o) => o.by_status, ["draft", "reviewed", "agreed", "rejected"]),
      clauses: each.reduce((n, { o }) => n + o.clauses, 0),
      reviewed: each.reduce((n, { o }) => n + o.reviewed, 0),
      sections: [],
      strip: [],
      earlier_versions: 0,
      documents: each.map(({ d, o }) => ({
        document_id: d.document.id,
        title: d.document.meta.title,
        doc_type: d.document.meta.doc_type,
        owner: d.document.meta.owner,
        clauses: o.clauses,
        reviewed: o.reviewed,
        findings: d.findings.length,
        level: highest(d.findings.map((f) => f.risk_level)),
        marks: o.strip.flatMap((h, index) => (h.findings > 0 ? [{ index, ...h }] : [])),
      })),
      findings: each.flatMap(({ d }) =>
        d.findings.map((f) => ({
          id: f.id,
          document_id: d.document.id,
          document_title: d.document.meta.title,
          clause_id: f.clause_id,
          clause_label: d.outline.clauses.find((c) => c.id === f.clause_id)?.label ?? "",
          title: findingTitle(f),
          level: f.risk_level,
        })),
      ),
    };
  }

  // ---------------------------------------------------------------- workshops

  private sessions: WorkshopRecord[] = [];
  /** Minutes the fake "wrote" (for assertions). */
  readonly minutesWritten: { sessionId: string; format: string; fileName: string }[] = [];

  private openRecord(sessionId: string): WorkshopRecord {
    const r = this.sessions.find((x) => x.session.id === sessionId);
    if (!r) throw fail("not_found", `Workshop session ${sessionId} was not found.`);
    if (r.session.ended_at) throw fail("invalid_input", `The workshop session ${sessionId} is closed.`);
    return r;
  }

  private withLevels(r: WorkshopRecord): WorkshopRecord {
    const out = clone(r);
    for (const j of out.judgements) j.risk_level = this.riskOf({ ...emptyInput(), likelihood: j.likelihood, impact: j.impact });
    return out;
  }

  workshops(docId: string): Promise<WorkshopSession[]> {
    return this.answer("workshops", { docId }, () =>
      this.sessions
        .filter((r) => r.session.document_id === docId)
        .map((r) => r.session)
        .reverse(),
    );
  }

  workshop(sessionId: string): Promise<WorkshopRecord> {
    return this.answer("workshop", { sessionId }, () => {
      const r = this.sessions.find((x) => x.session.id === sessionId);
      if (!r) throw fail("not_found", `Workshop session ${sessionId} was not found.`);
      return this.withLevels(r);
    });
  }

  startWorkshop(docId: string, title: string, heldOn: string | null, attendees: string[]): Promise<WorkshopSession> {
    return this.answer("start_workshop", { docId, title, heldOn, attendees }, () => {
      if (!this.lib.documents.some((d) => d.document.id === docId)) throw fail("not_found", `Document ${docId} was not found.`);
      if (title.trim() === "") throw fail("invalid_input", "A workshop session needs a title.");
      const at = this.now();
      const session: WorkshopSession = {
        id: `w-${this.nextId++}`,
        document_id: docId,
        title: title.trim(),
        held_on: heldOn?.trim() || at.slice(0, 10),
        attendees: attendees.map((a) => a.trim()).filter(Boolean),
        started_at: at,
        started_by: this.lib.appInfo.user,
        ended_at: null,
      };
      this.sessions.push({ session, judgements: [], decisions: [], notes: [] });
      this.record("workshop.start", "workshop", session.id, docId, null, session);
      return session;
    });
  }

  setWorkshopAttendees(sessionId: string, attendees: string[]): Promise<WorkshopRecord> {
    return this.answer("set_workshop_attendees", { sessionId, attendees }, () => {
      const r = this.openRecord(sessionId);
      const names = attendees.map((a) => a.trim()).filter(Boolean);
      this.record("workshop.attendees", "workshop", sessionId, r.session.document_id, r.session.attendees, names);
      r.session.attendees = names;
      this.touchPresentation();
      return this.withLevels(r);
    });
  }

  recordJudgement(sessionId: string, findingId: string, likelihood: number, impact: number, note: string): Promise<Judgement> {
    return this.answer("record_judgement", { sessionId, findingId, likelihood, impact, note }, () => {
      const r = this.openRecord(sessionId);
      this.findFinding(findingId);
      this.validate({ ...emptyInput(), likelihood, impact });
      const j: Judgement = {
        session_id: sessionId,
        finding_id: findingId,
        likelihood,
        impact,
        risk_level: this.riskOf({ ...emptyInput(), likelihood, impact }),
        note: note.trim(),
        at: this.now(),
        by: this.lib.appInfo.user,
      };
      r.judgements = [...r.judgements.filter((x) => x.finding_id !== findingId), j];
      this.record("workshop.judgement", "finding", findingId, r.session.document_id, null, j);
      this.touchPresentation();
      return j;
    });
  }

  recordDecision(sessionId: string, clauseId: string, decision: DecisionKind, dissent: string): Promise<Decision> {
    return this.answer("record_decision", { sessionId, clauseId, decision, dissent }, () => {
      const r = this.openRecord(sessionId);
      this.findClause(clauseId);
      const d: Decision = { session_id: sessionId, clause_id: clauseId, decision, dissent: dissent.trim(), at: this.now(), by: this.lib.appInfo.user };
      r.decisions = [...r.decisions.filter((x) => x.clause_id !== clauseId), d];
      this.record("workshop.decision", "clause", clauseId, r.session.document_id, null, d);
      this.touchPresentation();
      return d;
    });
  }

  setWorkshopNote(sessionId: string, clauseId: string, text: string): Promise<WorkshopNote> {
    return this.answer("set_workshop_note", { sessionId, clauseId, text }, () => {
      const r = this.openRecord(sessionId);
      this.findClause(clauseId);
      const n: WorkshopNote = { session_id: sessionId, clause_id: clauseId, text: text.trim(), at: this.now(), by: this.lib.appInfo.user };
      r.notes = r.notes.filter((x) => x.clause_id !== clauseId);
      if (n.text !== "") r.notes.push(n);
      this.record("workshop.note", "clause", clauseId, r.session.document_id, null, n);
      return n;
    });
  }

  endWorkshop(sessionId: string): Promise<WorkshopRecord> {
    return this.answer("end_workshop", { sessionId }, () => {
      const r = this.openRecord(sessionId);
      r.session.ended_at = this.now();
      this.record("workshop.end", "workshop", sessionId, r.session.document_id, null, null);
      this.touchPresentation();
      return this.withLevels(r);
    });
  }

  exportMinutes(sessionId: string, format: "md" | "docx"): Promise<string | null> {
    return this.answer("export_minutes", { sessionId, format }, () => {
      const r = this.sessions.find((x) => x.session.id === sessionId);
      if (!r) throw fail("not_found", `Workshop session ${sessionId} was not found.`);
      if (format !== "md" && format !== "docx") throw fail("invalid_input", `Minutes can be written as md or docx, not “${format}”.`);
      const fileName = `minnesanteckningar ${r.session.held_on}.${format}`;
      this.minutesWritten.push({ sessionId, format, fileName });
      return fileName;
    });
  }

  // -------------------------------------------------------- presentation mode

  private presentation: PresentationState | null = null;
  private presentationListeners = new Set<(s: PresentationState | null) => void>();
  /** The screens the fake reports (tests may replace them). */
  fakeScreens: ScreenInfo[] = [
    { index: 0, name: "Inbyggd skärm", width: 1920, height: 1080, current: true },
    { index: 1, name: "Projektor", width: 1024, height: 768, current: false },
  ];
  /** Which window the fake pretends to be. */
  role: "main" | "presenter" = "main";

  private emitPresentation(): void {
    const s = this.presentation ? clone(this.presentation) : null;
    for (const l of this.presentationListeners) l(s);
  }

  private touchPresentation(): void {
    if (!this.presentation) return;
    this.presentation.revision += 1;
    this.emitPresentation();
  }

  private changePresentation(change: (p: PresentationState) => void): PresentationState {
    const p = this.presentation;
    if (!p) throw fail("invalid_input", "Presentation mode is not on.");
    change(p);
    p.revision += 1;
    this.emitPresentation();
    return p;
  }

  screens(): Promise<ScreenInfo[]> {
    return this.answer("screens", {}, () => this.fakeScreens);
  }

  presentationOpen(r: PresentationRequest): Promise<PresentationState> {
    return this.answer("presentation_open", { ...r }, () => {
      if (r.agenda.length === 0) throw fail("invalid_input", "There is nothing to present: the agenda has no clauses.");
      if (r.screen !== null && !this.fakeScreens.some((x) => x.index === r.screen)) {
        throw fail("invalid_input", "That screen is no longer connected. Choose another.");
      }
      const index = Math.max(0, r.start ? r.agenda.indexOf(r.start) : 0);
      this.presentation = {
        document_id: r.docId,
        session_id: r.sessionId,
        agenda: [...r.agenda],
        index,
        blank: false,
        theme: r.theme,
        revision: (this.presentation?.revision ?? 0) + 1,
      };
      this.emitPresentation();
      return this.presentation;
    });
  }

  presentationState(): Promise<PresentationState | null> {
    return this.answer("presentation_state", {}, () => this.presentation);
  }

  presentationGo(to: PresentMove): Promise<PresentationState> {
    return this.answer("presentation_go", { to }, () =>
      this.changePresentation((p) => {
        const last = p.agenda.length - 1;
        if (to.to === "next") p.index = Math.min(p.index + 1, last);
        else if (to.to === "previous") p.index = Math.max(p.index - 1, 0);
        else if (to.to === "first") p.index = 0;
        else if (to.to === "last") p.index = last;
        else {
          const i = p.agenda.indexOf(to.clause_id);
          if (i < 0) throw fail("not_found", "That clause is not on the presentation's agenda.");
          p.index = i;
        }
        p.blank = false;
      }),
    );
  }

  presentationBlank(blank: boolean | null): Promise<PresentationState> {
    return this.answer("presentation_blank", { blank }, () =>
      this.changePresentation((p) => {
        p.blank = blank ?? !p.blank;
      }),
    );
  }

  presentationTheme(theme: PresentTheme): Promise<PresentationState> {
    return this.answer("presentation_theme", { theme }, () =>
      this.changePresentation((p) => {
        p.theme = theme;
      }),
    );
  }

  async presentationClose(): Promise<void> {
    await this.answer("presentation_close", {}, () => {
      this.presentation = null;
      this.emitPresentation();
      return null;
    });
  }

  async onPresentation(listener: (state: PresentationState | null) => void): Promise<() => void> {
    this.presentationListeners.add(listener);
    return () => this.presentationListeners.delete(listener);
  }

  private openedListeners = new Set<() => void>();

  async onOpenedFile(listener: () => void): Promise<() => void> {
    this.openedListeners.add(listener);
    return () => this.openedListeners.delete(listener);
  }

  /** A second start of the app hands `file` over (as the shell's instance socket does). */
  handOver(file: OpenedFile, bundle: BundleImportReport): void {
    this.opened = file;
    this.nextBundle = bundle;
    for (const l of this.openedListeners) l();
  }

  windowRole(): "main" | "presenter" {
    return this.role;
  }
}

/** True when byte `at` does not fall inside a multi-byte UTF-8 sequence. */
function isCharBoundary(bytes: Uint8Array, at: number): boolean {
  if (at === 0 || at === bytes.length) return true;
  const b = bytes[at] as number;
  return (b & 0xc0) !== 0x80;
}
