// The one interface the UI talks to. `tauri.ts` implements it over IPC;
// `fake.ts` implements it in memory for tests and for viewing the UI in a
// plain browser. Nothing outside this folder imports @tauri-apps/api.
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
import type { ErrorCode } from "../bindings/ErrorCode";
import type { Overview } from "../bindings/Overview";
import type { Preferences } from "../bindings/Preferences";
import type { UndoReport } from "../bindings/UndoReport";
import type { Rulebook } from "../bindings/Rulebook";
import type { RulebookChoice } from "../bindings/RulebookChoice";
import type { ScreenReport } from "../bindings/ScreenReport";
import type { Suggestion } from "../bindings/Suggestion";
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

/** How presentation mode is opened (see `presentationOpen`). */
export interface PresentationRequest {
  docId: string;
  sessionId: string | null;
  /** Clause ids to step through, in order. */
  agenda: string[];
  /** The clause to begin with (the first on the agenda when null or not on it). */
  start: string | null;
  /** A screen's index from `screens()`: fullscreen there; null: a 1024×768 window. */
  screen: number | null;
  theme: PresentTheme;
}
import type { BackupReport } from "../bindings/BackupReport";
import type { OpenedFile } from "../bindings/OpenedFile";
import type { BundleExportReport } from "../bindings/BundleExportReport";
import type { BundleImportReport } from "../bindings/BundleImportReport";
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

export interface Backend {
  /** `true` for the in-memory fake (the header says so). */
  readonly isDemo: boolean;
  appInfo(): Promise<AppInfo>;
  /**
   * Opens the encrypted library (every other call answers `library_locked`
   * until then) with its passphrase, sent once and kept by neither side's
   * UI state. A wrong one is refused with `wrong_passphrase`; try again.
   */
  unlockLibrary(passphrase: string): Promise<AppInfo>;
  rulebook(): Promise<Rulebook>;
  listDocuments(): Promise<DocumentSummary[]>;
  getDocument(docId: string): Promise<DocumentView>;
  addFinding(clauseId: string, input: FindingInput): Promise<Finding>;
  updateFinding(findingId: string, input: FindingInput): Promise<Finding>;
  deleteFinding(findingId: string): Promise<void>;
  /** Adds a comment, signed by the user, to a finding; returns the finding. Blank text is refused (`invalid_input`). */
  addComment(findingId: string, text: string): Promise<Finding>;
  /** Imports one file (its name, with extension, and its bytes) as a new document. */
  importFile(fileName: string, bytes: Uint8Array): Promise<ImportReport>;
  /**
   * Imports a file that is already in the library again, as the next version of the newest
   * version it belongs to, carrying the findings over (a "replace"); a file not in the
   * library is refused (`not_found`).
   */
  importFileReplacing(fileName: string, bytes: Uint8Array): Promise<VersionReport>;
  /** Replaces a document's metadata; an empty title is refused (`invalid_input`). */
  updateMetadata(docId: string, meta: DocumentMeta): Promise<Document>;
  /**
   * Splits a clause at `at`, a UTF-8 byte offset into its text. The clause keeps
   * its id, findings and the first part; the new second clause is returned.
   */
  splitClause(clauseId: string, at: number): Promise<Clause>;
  /** Merges a clause with the following one; returns the merged clause (the first's id). */
  mergeWithNext(clauseId: string): Promise<Clause>;
  /**
   * Makes a clause a heading at `level` (1 = top; null: one below the heading it is under);
   * the clauses after it in its section go under it. A clause with findings is refused
   * (`invalid_input`). Returns the new heading. Kept, and made again on a new version.
   */
  promoteClause(clauseId: string, level: number | null): Promise<Section>;
  /** Makes a heading a clause where it stands; its subsections move up a level. Returns the clause. */
  demoteSection(sectionId: string): Promise<Clause>;
  /** Moves a clause under another heading of its document, after that heading's own clauses. */
  moveClause(clauseId: string, sectionId: string): Promise<Clause>;
  /** Gives a clause another number (`4.3`, `3 §`, `b)`); its label follows. Blank is refused. */
  renumberClause(clauseId: string, number: string): Promise<Clause>;
  /** Gives clauses of one document a verdict (null: takes the verdict set by hand away). A clause with findings stays a risk (skipped). */
  setVerdicts(clauseIds: string[], verdict: Verdict | null): Promise<VerdictReport>;
  /** Gives every clause under a heading (its subsections' too) a verdict. */
  setSectionVerdict(sectionId: string, verdict: Verdict | null): Promise<VerdictReport>;
  /** Marks the review final; refused (`incomplete`) while a clause lacks a verdict or a suggestion is open. */
  markFinal(docId: string): Promise<Coverage>;
  /** Takes the final mark away. */
  reopenReview(docId: string): Promise<Coverage>;
  /** What deleting a document would take; nothing is changed. */
  deletionPreview(docId: string): Promise<DeletionPreview>;
  /** Deletes a document with everything on it; undoable in the session. */
  deleteDocument(docId: string): Promise<DeletionPreview>;
  /** Screens a document again with its own pack; decisions on earlier suggestions are kept. */
  screenDocument(docId: string): Promise<ScreenReport>;
  /** The packs a document can be screened with (the active pack first, with each pack's families). */
  rulebooks(): Promise<RulebookChoice[]>;
  /**
   * Makes `packId` the document's pack and screens it with that pack; decisions on earlier
   * suggestions are kept. An unknown pack is refused (`invalid_input`).
   */
  screenWith(docId: string, packId: string): Promise<ScreenReport>;
  /** Turns a suggestion into a draft finding on its clause, prefilled from the rule. */
  acceptSuggestion(suggestionId: string): Promise<Finding>;
  /** Dismisses a suggestion; the reason is required (`invalid_input` when blank). */
  dismissSuggestion(suggestionId: string, reason: string): Promise<Suggestion>;
  /** Puts a dismissed suggestion back among the open ones. */
  reopenSuggestion(suggestionId: string): Promise<Suggestion>;
  /** The audit trail of one entity (a finding, clause or document id), or of everything; oldest first. */
  history(entityId: string | null): Promise<AuditEvent[]>;
  /**
   * Risk matrix counts, crime types, statuses, coverage and the heat strip of a document; with
   * `docId` null, of the whole library (coverage and a strip per document, every finding placed).
   */
  overview(docId: string | null): Promise<Overview>;
  /** Takes back the latest edit of this session; null when there is none. */
  undo(): Promise<UndoReport | null>;
  /** Makes again the edit undone last; null when there is none. */
  redo(): Promise<UndoReport | null>;
  /** The user's preferences (name for the audit trail, language). */
  preferences(): Promise<Preferences>;
  /** Saves the preferences; returns what was stored. */
  setPreferences(prefs: Preferences): Promise<Preferences>;
  /**
   * Exports a document in `format` (`memo-docx`, `tracked-docx`, `review-docx`, …). The shell asks
   * where to save with the native dialog (the UI never names a path); returns what was written (the
   * file's name, the template used and its fields filled; `path` is empty), or null when the user
   * cancelled. The shell remembers the file for `openExport`.
   */
  exportDocument(docId: string, format: string, choices: ExportChoices): Promise<ExportReport | null>;
  /** Opens the file just exported in its program (`file`), or shows it in its folder (`folder`). */
  openExport(what: "file" | "folder"): Promise<void>;
  /** A document's memo fields (ärende Dnr, subject, förslag till beslut, ärendet) as saved, and the generated ones. */
  memoFields(docId: string): Promise<MemoFieldsView>;
  /** Saves a document's memo fields; a text equal to the generated one is kept generated. */
  setMemoFields(docId: string, fields: MemoFields): Promise<MemoFieldsView>;
  /** The Word template chosen for the memo and the review document; null for Kryphål's own layout. */
  exportTemplate(): Promise<TemplateStatus | null>;
  /** Lets the user pick a Word template in the native open dialog; null when cancelled. A file that is no template is refused (`template_unusable`). */
  chooseExportTemplate(): Promise<TemplateStatus | null>;
  /** Goes back to Kryphål's own layout. */
  clearExportTemplate(): Promise<void>;
  /** What reading a reviewed Word file (its name and bytes) would do; stores nothing. */
  previewReview(fileName: string, bytes: Uint8Array): Promise<ReviewPreview>;
  /** Reads a reviewed Word file into the library as one change (undoable). */
  importReview(fileName: string, bytes: Uint8Array): Promise<ReviewPreview>;
  /** A document's notes from reviewed files (new comments that answer no finding). */
  clauseNotes(docId: string): Promise<ClauseNote[]>;
  /** The reviewers' decisions on a document's findings. */
  reviewDecisions(docId: string): Promise<ReviewDecision[]>;
  /**
   * Saves the overview, or one chart of it (`part`: all, matrix, crime-types, status, coverage,
   * strip), as `png` or `svg` where the native save dialog says; the file's name, or null when cancelled.
   * `docId` null: the whole library's overview.
   */
  exportOverviewImage(docId: string | null, format: "png" | "svg", part: string, lang: string): Promise<string | null>;
  /** The ids of the findings an export of `format` includes, in the export's order (the dialog's preview). */
  exportPreview(docId: string, format: string): Promise<string[]>;
  /** The memo header fields kept in the library (municipality, nämnd, responsible official). */
  exportSettings(): Promise<ExportSettings>;
  /** Saves the memo header fields in the library; returns what was stored. */
  setExportSettings(settings: ExportSettings): Promise<ExportSettings>;
  /**
   * Searches the whole library. Any text is a valid query (read as plain
   * words); the answer's `status` is `building` while the index is built at
   * start and `unavailable` (with a `message`) when it cannot be used.
   */
  search(query: SearchQuery): Promise<SearchAnswer>;
  /** A document's workshop sessions, the latest first. */
  workshops(docId: string): Promise<WorkshopSession[]>;
  /** A session with its judgements (levels filled in), decisions and the facilitator's notes. */
  workshop(sessionId: string): Promise<WorkshopRecord>;
  /** Opens a session; `heldOn` (`YYYY-MM-DD`) defaults to today. A blank title is refused. */
  startWorkshop(docId: string, title: string, heldOn: string | null, attendees: string[]): Promise<WorkshopSession>;
  /** Replaces the attendees of an open session; returns the session's record. */
  setWorkshopAttendees(sessionId: string, attendees: string[]): Promise<WorkshopRecord>;
  /** Records (or replaces) the room's likelihood × consequence judgement of a finding. */
  recordJudgement(sessionId: string, findingId: string, likelihood: number, impact: number, note: string): Promise<Judgement>;
  /** Records (or replaces) the room's decision on a clause, with any dissent. */
  recordDecision(sessionId: string, clauseId: string, decision: DecisionKind, dissent: string): Promise<Decision>;
  /** Sets the facilitator's private note on a clause; an empty text removes it. */
  setWorkshopNote(sessionId: string, clauseId: string, text: string): Promise<WorkshopNote>;
  /** Closes a session (it takes no more entries); returns its record. */
  endWorkshop(sessionId: string): Promise<WorkshopRecord>;
  /** Writes a session's minutes (`md` or `docx`) where the save dialog says; the file's name, or null when cancelled. */
  exportMinutes(sessionId: string, format: "md" | "docx"): Promise<string | null>;
  /** The screens the projector window can go on. */
  screens(): Promise<ScreenInfo[]>;
  /** Turns presentation mode on (opens or moves the projector window). */
  presentationOpen(request: PresentationRequest): Promise<PresentationState>;
  /** The presentation as it is; null when presentation mode is off. */
  presentationState(): Promise<PresentationState | null>;
  /** Moves on the agenda; every window follows. */
  presentationGo(to: PresentMove): Promise<PresentationState>;
  /** Blanks (true), shows (false) or toggles (null) the projected screen. */
  presentationBlank(blank: boolean | null): Promise<PresentationState>;
  presentationTheme(theme: PresentTheme): Promise<PresentationState>;
  /** Turns presentation mode off and closes the projector window. */
  presentationClose(): Promise<void>;
  /** Calls `listener` with every change of the presentation (null when it ended); returns the unsubscribe. */
  onPresentation(listener: (state: PresentationState | null) => void): Promise<() => void>;
  /**
   * Calls `listener` when a second start of the app handed a file over (opened from the file
   * manager while the app runs): ask `openedFile` again. Returns the unsubscribe.
   */
  onOpenedFile(listener: () => void): Promise<() => void>;
  /** Which window this UI runs in: the main window or the projector. */
  windowRole(): "main" | "presenter";
  /**
   * Writes the documents' analyses to one bundle file chosen in the native
   * save dialog, encrypted with `passphrase` when one is given; null when cancelled.
   */
  exportBundle(docIds: string[], passphrase?: string | null): Promise<BundleExportReport | null>;
  /**
   * Merges a bundle chosen in the native open dialog; null when cancelled.
   * An encrypted bundle rejects with `passphrase_required`: then call `importBundleUnlock`.
   */
  importBundle(): Promise<BundleImportReport | null>;
  /** Imports the encrypted bundle just chosen with `importBundle`; a wrong passphrase rejects with `wrong_passphrase` (try again). */
  importBundleUnlock(passphrase: string): Promise<BundleImportReport>;
  /** The conflicts merges left: open ones, or all. */
  listConflicts(all: boolean): Promise<MergeConflict[]>;
  /** Resolves a conflict: mine, theirs, or `combined` answers. */
  resolveConflict(id: string, keep: Resolution, combined: FindingInput | null): Promise<MergeConflict>;
  /** The conflicts merges left about documents' metadata and suggestions' decisions: open ones, or all. */
  listRecordConflicts(all: boolean): Promise<RecordConflict[]>;
  /** Resolves a conflict about metadata or a decision: mine or theirs. */
  resolveRecordConflict(id: string, keep: Resolution): Promise<RecordConflict>;
  /** Backs the whole library up to a file chosen in the save dialog; null when cancelled. */
  backupLibrary(): Promise<BackupReport | null>;
  /** Replaces the library with a backup chosen in the open dialog (the current one is kept aside); null when cancelled. */
  restoreLibrary(): Promise<RestoreReport | null>;
  /** Where a document stands among versions; for one on its own, the earlier documents it may be a new version of. */
  versionStatus(docId: string): Promise<VersionStatus>;
  /** Makes a document the next version of `previousId` and carries that one's findings over. */
  linkAsVersion(docId: string, previousId: string): Promise<VersionReport>;
  /** Two versions clause by clause, with what became of the older one's findings. */
  compareVersions(oldId: string, newId: string): Promise<VersionComparison>;
  /**
   * Writes the comparison of two versions (`docx` or `md`: the *Nuvarande / Föreslagen lydelse*
   * table) where the native save dialog says; the file's name, or null when cancelled.
   */
  exportComparison(oldId: string, newId: string, format: "md" | "docx"): Promise<string | null>;
  /** Marks a carried-over finding as reviewed again (or not). */
  resolveCarryover(findingId: string, resolved: boolean): Promise<CarryOver>;
  /** Tells the shell the document list is painted (start-up time measurement). Never fails. */
  uiReady(): Promise<void>;
  /**
   * The `.kryphal` file the app was started with (opened from the file manager): its name and
   * whether it is a bundle or a whole library; null when there is none. The path stays in the shell.
   */
  openedFile(): Promise<OpenedFile | null>;
  /** Imports the file the app was started with as a bundle (once; `invalid_input` when there is none). */
  importOpenedBundle(): Promise<BundleImportReport>;
}

export type { ErrorCode };

/** The error codes the core sends across IPC (`ErrorCode` in crates/kryphal-app/src/error.rs). */
export const ERROR_CODES = [
  "not_found",
  "invalid_input",
  "unsupported_format",
  "empty_file",
  "io",
  "library_newer",
  "library_corrupt",
  "library_readonly",
  "library_locked",
  "wrong_passphrase",
  "not_encrypted",
  "passphrase_required",
  "duplicate",
  "encrypted",
  "no_text_layer",
  "damaged_file",
  "unsafe_file",
  "bundle_newer",
  "rulebook_missing",
  "search_unavailable",
  "template_unusable",
  "not_review",
  "incomplete",
  "internal",
] as const satisfies readonly ErrorCode[];

// Fails to compile when the core adds an error code that is not listed above
// (and so has no message in the catalogues).
const everyCodeListed: [Exclude<ErrorCode, (typeof ERROR_CODES)[number]>] extends [never] ? true : never = true;
void everyCodeListed;

/** What a failed command rejects with. */
export interface BackendError {
  code: string;
  message: string;
}

export function isKnownCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

/** Normalises whatever a rejected call produced into `{code, message}`. */
export function toBackendError(e: unknown): BackendError {
  if (typeof e === "object" && e !== null) {
    const o = e as Record<string, unknown>;
    if (typeof o.code === "string") {
      return { code: o.code, message: typeof o.message === "string" ? o.message : "" };
    }
    if (e instanceof Error) return { code: "internal", message: e.message };
  }
  if (typeof e === "string") return { code: "internal", message: e };
  return { code: "internal", message: String(e) };
}
