// The one interface the UI talks to. `tauri.ts` implements it over IPC;
// `fake.ts` implements it in memory for tests and for viewing the UI in a
// plain browser. Nothing outside this folder imports @tauri-apps/api.
import type { AppInfo } from "../bindings/AppInfo";
import type { AuditEvent } from "../bindings/AuditEvent";
import type { Clause } from "../bindings/Clause";
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
import type { ScreenReport } from "../bindings/ScreenReport";
import type { Suggestion } from "../bindings/Suggestion";
import type { ExportChoices } from "../bindings/ExportChoices";
import type { ExportSettings } from "../bindings/ExportSettings";
import type { SearchAnswer } from "../bindings/SearchAnswer";
import type { SearchQuery } from "../bindings/SearchQuery";
import type { CarryOver } from "../bindings/CarryOver";
import type { VersionComparison } from "../bindings/VersionComparison";
import type { VersionReport } from "../bindings/VersionReport";
import type { VersionStatus } from "../bindings/VersionStatus";

export interface Backend {
  /** `true` for the in-memory fake (the header says so). */
  readonly isDemo: boolean;
  appInfo(): Promise<AppInfo>;
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
  /** Replaces a document's metadata; an empty title is refused (`invalid_input`). */
  updateMetadata(docId: string, meta: DocumentMeta): Promise<Document>;
  /**
   * Splits a clause at `at`, a UTF-8 byte offset into its text. The clause keeps
   * its id, findings and the first part; the new second clause is returned.
   */
  splitClause(clauseId: string, at: number): Promise<Clause>;
  /** Merges a clause with the following one; returns the merged clause (the first's id). */
  mergeWithNext(clauseId: string): Promise<Clause>;
  /** Screens a document again with the active rulebook; decisions on earlier suggestions are kept. */
  screenDocument(docId: string): Promise<ScreenReport>;
  /** Turns a suggestion into a draft finding on its clause, prefilled from the rule. */
  acceptSuggestion(suggestionId: string): Promise<Finding>;
  /** Dismisses a suggestion; the reason is required (`invalid_input` when blank). */
  dismissSuggestion(suggestionId: string, reason: string): Promise<Suggestion>;
  /** Puts a dismissed suggestion back among the open ones. */
  reopenSuggestion(suggestionId: string): Promise<Suggestion>;
  /** The audit trail of one entity (a finding, clause or document id), or of everything; oldest first. */
  history(entityId: string | null): Promise<AuditEvent[]>;
  /** Risk matrix counts, crime types, statuses, coverage and the heat strip of a document. */
  overview(docId: string): Promise<Overview>;
  /** Takes back the latest edit of this session; null when there is none. */
  undo(): Promise<UndoReport | null>;
  /** Makes again the edit undone last; null when there is none. */
  redo(): Promise<UndoReport | null>;
  /** The user's preferences (name for the audit trail, language). */
  preferences(): Promise<Preferences>;
  /** Saves the preferences; returns what was stored. */
  setPreferences(prefs: Preferences): Promise<Preferences>;
  /**
   * Exports a document in `format` (`memo-docx`, `tracked-docx`, …). The shell asks where to save
   * with the native dialog (the UI never names a path); returns the written file's name, or null
   * when the user cancelled.
   */
  exportDocument(docId: string, format: string, choices: ExportChoices): Promise<string | null>;
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
  /** Where a document stands among versions; for one on its own, the earlier documents it may be a new version of. */
  versionStatus(docId: string): Promise<VersionStatus>;
  /** Makes a document the next version of `previousId` and carries that one's findings over. */
  linkAsVersion(docId: string, previousId: string): Promise<VersionReport>;
  /** Two versions clause by clause, with what became of the older one's findings. */
  compareVersions(oldId: string, newId: string): Promise<VersionComparison>;
  /** Marks a carried-over finding as reviewed again (or not). */
  resolveCarryover(findingId: string, resolved: boolean): Promise<CarryOver>;
  /** Tells the shell the document list is painted (start-up time measurement). Never fails. */
  uiReady(): Promise<void>;
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
  "duplicate",
  "encrypted",
  "no_text_layer",
  "damaged_file",
  "unsafe_file",
  "search_unavailable",
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
