// The Backend over Tauri IPC. Argument keys are camelCase (Tauri's default);
// payload objects (FindingInput) keep the snake_case keys of the Rust types.
import { invoke, type InvokeArgs, type InvokeOptions } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { getCurrentWebviewWindow } from "@tauri-apps/api/webviewWindow";

import type { Coverage } from "../bindings/Coverage";
import type { DeletionPreview } from "../bindings/DeletionPreview";
import type { Verdict } from "../bindings/Verdict";
import type { VerdictReport } from "../bindings/VerdictReport";
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
import type { Overview } from "../bindings/Overview";
import type { Preferences } from "../bindings/Preferences";
import type { Rulebook } from "../bindings/Rulebook";
import type { RulebookChoice } from "../bindings/RulebookChoice";
import type { ScreenReport } from "../bindings/ScreenReport";
import type { Suggestion } from "../bindings/Suggestion";
import type { UndoReport } from "../bindings/UndoReport";
import type { ExportChoices } from "../bindings/ExportChoices";
import type { ExportSettings } from "../bindings/ExportSettings";
import type { SearchAnswer } from "../bindings/SearchAnswer";
import type { SearchQuery } from "../bindings/SearchQuery";
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
import { toBackendError, type Backend, type PresentationRequest } from "./backend";
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

async function call<T>(command: string, args?: InvokeArgs, options?: InvokeOptions): Promise<T> {
  try {
    return await invoke<T>(command, args, options);
  } catch (e) {
    throw toBackendError(e);
  }
}

export class TauriBackend implements Backend {
  readonly isDemo = false;

  appInfo(): Promise<AppInfo> {
    return call("app_info");
  }
  unlockLibrary(passphrase: string): Promise<AppInfo> {
    return call("unlock_library", { passphrase });
  }
  rulebook(): Promise<Rulebook> {
    return call("rulebook");
  }
  listDocuments(): Promise<DocumentSummary[]> {
    return call("list_documents");
  }
  getDocument(docId: string): Promise<DocumentView> {
    return call("get_document", { docId });
  }
  versionStatus(docId: string): Promise<VersionStatus> {
    return call("version_status", { docId });
  }
  linkAsVersion(docId: string, previousId: string): Promise<VersionReport> {
    return call("link_as_version", { docId, previousId });
  }
  compareVersions(oldId: string, newId: string): Promise<VersionComparison> {
    return call("compare_versions", { oldId, newId });
  }
  exportComparison(oldId: string, newId: string, format: "md" | "docx"): Promise<string | null> {
    return call("export_comparison", { oldId, newId, format });
  }
  resolveCarryover(findingId: string, resolved: boolean): Promise<CarryOver> {
    return call("resolve_carryover", { findingId, resolved });
  }
  addFinding(clauseId: string, input: FindingInput): Promise<Finding> {
    return call("add_finding", { clauseId, input });
  }
  updateFinding(findingId: string, input: FindingInput): Promise<Finding> {
    return call("update_finding", { findingId, input });
  }
  async deleteFinding(findingId: string): Promise<void> {
    await call<null>("delete_finding", { findingId });
  }
  addComment(findingId: string, text: string): Promise<Finding> {
    return call("add_comment", { findingId, text });
  }
  importFile(fileName: string, bytes: Uint8Array): Promise<ImportReport> {
    // The bytes travel as the raw request body (no JSON array of numbers);
    // the name goes in a header, percent-encoded so that åäö survive.
    return call("import_file", bytes, {
      headers: { "x-kryphal-file-name": encodeURIComponent(fileName) },
    });
  }
  importFileReplacing(fileName: string, bytes: Uint8Array): Promise<VersionReport> {
    return call("import_file_replacing", bytes, {
      headers: { "x-kryphal-file-name": encodeURIComponent(fileName) },
    });
  }
  updateMetadata(docId: string, meta: DocumentMeta): Promise<Document> {
    return call("update_metadata", { docId, meta });
  }
  splitClause(clauseId: string, at: number): Promise<Clause> {
    return call("split_clause", { clauseId, at });
  }
  mergeWithNext(clauseId: string): Promise<Clause> {
    return call("merge_with_next", { clauseId });
  }
  promoteClause(clauseId: string, level: number | null): Promise<Section> {
    return call("promote_clause", { clauseId, level });
  }
  demoteSection(sectionId: string): Promise<Clause> {
    return call("demote_section", { sectionId });
  }
  moveClause(clauseId: string, sectionId: string): Promise<Clause> {
    return call("move_clause", { clauseId, sectionId });
  }
  setVerdicts(clauseIds: string[], verdict: Verdict | null): Promise<VerdictReport> {
    return call("set_verdicts", { clauseIds, verdict });
  }

  setSectionVerdict(sectionId: string, verdict: Verdict | null): Promise<VerdictReport> {
    return call("set_section_verdict", { sectionId, verdict });
  }

  markFinal(docId: string): Promise<Coverage> {
    return call("mark_final", { docId });
  }

  reopenReview(docId: string): Promise<Coverage> {
    return call("reopen_review", { docId });
  }

  deletionPreview(docId: string): Promise<DeletionPreview> {
    return call("deletion_preview", { docId });
  }

  deleteDocument(docId: string): Promise<DeletionPreview> {
    return call("delete_document", { docId });
  }

  renumberClause(clauseId: string, number: string): Promise<Clause> {
    return call("renumber_clause", { clauseId, number });
  }
  screenDocument(docId: string): Promise<ScreenReport> {
    return call("screen_document", { docId });
  }

  rulebooks(): Promise<RulebookChoice[]> {
    return call("rulebooks");
  }

  screenWith(docId: string, packId: string): Promise<ScreenReport> {
    return call("screen_with", { docId, packId });
  }
  acceptSuggestion(suggestionId: string): Promise<Finding> {
    return call("accept_suggestion", { suggestionId });
  }
  dismissSuggestion(suggestionId: string, reason: string): Promise<Suggestion> {
    return call("dismiss_suggestion", { suggestionId, reason });
  }
  reopenSuggestion(suggestionId: string): Promise<Suggestion> {
    return call("reopen_suggestion", { suggestionId });
  }
  history(entityId: string | null): Promise<AuditEvent[]> {
    return call("history", { entityId });
  }
  overview(docId: string | null): Promise<Overview> {
    return call("overview", { docId });
  }
  undo(): Promise<UndoReport | null> {
    return call("undo");
  }
  redo(): Promise<UndoReport | null> {
    return call("redo");
  }
  preferences(): Promise<Preferences> {
    return call("preferences");
  }
  setPreferences(prefs: Preferences): Promise<Preferences> {
    return call("set_preferences", { prefs });
  }
  exportDocument(docId: string, format: string, choices: ExportChoices): Promise<ExportReport | null> {
    return call("export_document", { docId, format, choices });
  }
  openExport(what: "file" | "folder"): Promise<void> {
    return call("open_export", { what });
  }
  memoFields(docId: string): Promise<MemoFieldsView> {
    return call("memo_fields", { docId });
  }
  setMemoFields(docId: string, fields: MemoFields): Promise<MemoFieldsView> {
    return call("set_memo_fields", { docId, fields });
  }
  exportTemplate(): Promise<TemplateStatus | null> {
    return call("export_template");
  }
  chooseExportTemplate(): Promise<TemplateStatus | null> {
    return call("choose_export_template");
  }
  clearExportTemplate(): Promise<void> {
    return call("clear_export_template");
  }
  previewReview(fileName: string, bytes: Uint8Array): Promise<ReviewPreview> {
    return call("preview_review", bytes, {
      headers: { "x-kryphal-file-name": encodeURIComponent(fileName) },
    });
  }
  importReview(fileName: string, bytes: Uint8Array): Promise<ReviewPreview> {
    return call("import_review", bytes, {
      headers: { "x-kryphal-file-name": encodeURIComponent(fileName) },
    });
  }
  clauseNotes(docId: string): Promise<ClauseNote[]> {
    return call("clause_notes", { docId });
  }
  reviewDecisions(docId: string): Promise<ReviewDecision[]> {
    return call("review_decisions", { docId });
  }
  exportOverviewImage(docId: string | null, format: "png" | "svg", part: string, lang: string): Promise<string | null> {
    return call("export_overview_image", { docId, format, part, lang });
  }
  exportPreview(docId: string, format: string): Promise<string[]> {
    return call("export_preview", { docId, format });
  }
  exportSettings(): Promise<ExportSettings> {
    return call("export_settings");
  }
  setExportSettings(settings: ExportSettings): Promise<ExportSettings> {
    return call("set_export_settings", { settings });
  }
  search(query: SearchQuery): Promise<SearchAnswer> {
    return call("search", { query });
  }
  workshops(docId: string): Promise<WorkshopSession[]> {
    return call("workshops", { docId });
  }
  workshop(sessionId: string): Promise<WorkshopRecord> {
    return call("workshop", { sessionId });
  }
  startWorkshop(docId: string, title: string, heldOn: string | null, attendees: string[]): Promise<WorkshopSession> {
    return call("start_workshop", { docId, title, heldOn, attendees });
  }
  setWorkshopAttendees(sessionId: string, attendees: string[]): Promise<WorkshopRecord> {
    return call("set_workshop_attendees", { sessionId, attendees });
  }
  recordJudgement(sessionId: string, findingId: string, likelihood: number, impact: number, note: string): Promise<Judgement> {
    return call("record_judgement", { sessionId, findingId, likelihood, impact, note });
  }
  recordDecision(sessionId: string, clauseId: string, decision: DecisionKind, dissent: string): Promise<Decision> {
    return call("record_decision", { sessionId, clauseId, decision, dissent });
  }
  setWorkshopNote(sessionId: string, clauseId: string, text: string): Promise<WorkshopNote> {
    return call("set_workshop_note", { sessionId, clauseId, text });
  }
  endWorkshop(sessionId: string): Promise<WorkshopRecord> {
    return call("end_workshop", { sessionId });
  }
  exportMinutes(sessionId: string, format: "md" | "docx"): Promise<string | null> {
    return call("export_minutes", { sessionId, format });
  }
  screens(): Promise<ScreenInfo[]> {
    return call("screens");
  }
  presentationOpen(r: PresentationRequest): Promise<PresentationState> {
    return call("presentation_open", {
      docId: r.docId,
      sessionId: r.sessionId,
      agenda: r.agenda,
      start: r.start,
      screen: r.screen,
      theme: r.theme,
    });
  }
  presentationState(): Promise<PresentationState | null> {
    return call("presentation_state");
  }
  presentationGo(to: PresentMove): Promise<PresentationState> {
    return call("presentation_go", { to });
  }
  presentationBlank(blank: boolean | null): Promise<PresentationState> {
    return call("presentation_blank", { blank });
  }
  presentationTheme(theme: PresentTheme): Promise<PresentationState> {
    return call("presentation_theme", { theme });
  }
  async presentationClose(): Promise<void> {
    await call<null>("presentation_close");
  }
  async onPresentation(listener: (state: PresentationState | null) => void): Promise<() => void> {
    try {
      return await listen<PresentationState | null>("presentation", (event) => listener(event.payload));
    } catch (e) {
      throw toBackendError(e);
    }
  }
  async onOpenedFile(listener: () => void): Promise<() => void> {
    try {
      return await listen<null>("opened-file", () => listener());
    } catch (e) {
      throw toBackendError(e);
    }
  }
  windowRole(): "main" | "presenter" {
    return getCurrentWebviewWindow().label === "presenter" ? "presenter" : "main";
  }
  exportBundle(docIds: string[], passphrase: string | null = null): Promise<BundleExportReport | null> {
    return call("export_bundle", { docIds, passphrase });
  }
  importBundle(): Promise<BundleImportReport | null> {
    return call("import_bundle");
  }
  importBundleUnlock(passphrase: string): Promise<BundleImportReport> {
    return call("import_bundle_unlock", { passphrase });
  }
  listConflicts(all: boolean): Promise<MergeConflict[]> {
    return call("list_conflicts", { all });
  }
  resolveConflict(id: string, keep: Resolution, combined: FindingInput | null): Promise<MergeConflict> {
    return call("resolve_conflict", { id, keep, combined });
  }
  listRecordConflicts(all: boolean): Promise<RecordConflict[]> {
    return call("list_record_conflicts", { all });
  }
  resolveRecordConflict(id: string, keep: Resolution): Promise<RecordConflict> {
    return call("resolve_record_conflict", { id, keep });
  }
  backupLibrary(): Promise<BackupReport | null> {
    return call("backup_library");
  }
  restoreLibrary(): Promise<RestoreReport | null> {
    return call("restore_library");
  }
  async uiReady(): Promise<void> {
    try {
      await invoke("ui_ready");
    } catch {
      // Only a measurement; never disturbs the user.
    }
  }
  openedFile(): Promise<OpenedFile | null> {
    return call("opened_file");
  }
  importOpenedBundle(): Promise<BundleImportReport> {
    return call("import_opened_bundle");
  }
}

/** True inside the Tauri webview. */
export function inTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}
