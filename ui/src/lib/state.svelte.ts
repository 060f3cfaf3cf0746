// The application's state: what is loaded, what is selected, and the
// actions the views call. Business rules stay in the core; this only keeps
// the screen in step with it.
import type { ClauseVerdict } from "./bindings/ClauseVerdict";
import type { Verdict } from "./bindings/Verdict";
import type { VerdictReport } from "./bindings/VerdictReport";
import type { VersionReport } from "./bindings/VersionReport";
import type { AppInfo } from "./bindings/AppInfo";
import type { Clause } from "./bindings/Clause";
import type { DocumentMeta } from "./bindings/DocumentMeta";
import type { DocumentSummary } from "./bindings/DocumentSummary";
import type { DocumentView } from "./bindings/DocumentView";
import type { Finding } from "./bindings/Finding";
import type { FindingInput } from "./bindings/FindingInput";
import type { ImportReport } from "./bindings/ImportReport";
import type { Rulebook } from "./bindings/Rulebook";
import type { RulebookChoice } from "./bindings/RulebookChoice";
import type { Preferences } from "./bindings/Preferences";
import type { Suggestion } from "./bindings/Suggestion";
import type { UndoReport } from "./bindings/UndoReport";
import type { PresentationState } from "./bindings/PresentationState";
import type { WorkshopRecord } from "./bindings/WorkshopRecord";
import { toBackendError, type Backend, type BackendError } from "./backend/backend";
import { Autosaver, type SaveState } from "./autosave";
import { i18n, type MessageKey } from "./i18n/index.svelte";
import { emptyFindingInput, inputOf } from "./finding";
import { clausesInOrder, mergeOutline, type OutlineRow } from "./outline";
import {
  headingsOver,
  matchesFilter,
  memoryStore,
  needsMe,
  nextNeeding,
  PlaceMemory,
  stepAmong,
  visibleRows,
  type ClauseFacts,
  type OutlineFilter,
} from "./longdoc";
import { findingLevel, highestLevel } from "./risk";

/** Where the UI keeps its small comforts (the last clause per document, the outline's height). */
export type UiStore = Pick<Storage, "getItem" | "setItem">;

/** What became of one file of an import. */
export type ImportResult =
  | { fileName: string; status: "ok"; report: ImportReport }
  | { fileName: string; status: "failed"; error: BackendError; file?: File }
  | { fileName: string; status: "replaced"; report: VersionReport }
  | { fileName: string; status: "skipped" };

/** An import of one or more files, read one after another. */
export interface ImportRun {
  /** Files in this run (grows when more are dropped while it runs). */
  total: number;
  /** 1-based number of the file being read now. */
  current: number;
  /** Name of the file being read now. */
  currentName: string;
  /** All files are through (the summary is shown). */
  done: boolean;
  /** The user asked to stop after the current file. */
  stopping: boolean;
  results: ImportResult[];
}

export class AppState {
  readonly backend: Backend;
  readonly autosaver: Autosaver;

  appInfo: AppInfo | null = $state(null);
  rulebook: Rulebook | null = $state(null);
  /** The packs a document can be screened with (the active pack first). */
  rulebooks: RulebookChoice[] = $state([]);
  documents: DocumentSummary[] = $state([]);
  loading = $state(true);
  loadError: BackendError | null = $state(null);

  view: DocumentView | null = $state(null);
  docLoading = $state(false);
  docError: BackendError | null = $state(null);
  selectedDocId: string | null = $state(null);
  selectedClauseId: string | null = $state(null);
  selectedFindingId: string | null = $state(null);
  /** Words of the search hit opened last, marked in its clause (features/search). */
  searchHighlight: { clauseId: string; words: string[] } | null = $state(null);

  saveState: SaveState = $state("saved");
  saveError: BackendError | null = $state(null);
  actionError: BackendError | null = $state(null);

  rows: OutlineRow[] = $derived(this.view ? mergeOutline(this.view.outline) : []);
  clauses: Clause[] = $derived(this.view ? clausesInOrder(this.view.outline) : []);
  selectedClause: Clause | null = $derived(
    this.clauses.find((c) => c.id === this.selectedClauseId) ?? null,
  );

  // ------------------------------------------------ long documents (lib/longdoc)
  /** What the outline shows; reset when another document opens. */
  outlineFilter: OutlineFilter = $state({ kind: "all" });
  /** The folded headings of the open document (kept per document for the session). */
  folded: ReadonlySet<string> = $state(new Set<string>());
  private foldedByDoc = new Map<string, ReadonlySet<string>>();
  /** What "next clause that needs me" found last (a message key), for the outline's live region. */
  outlineNotice: MessageKey | "" = $state("");
  /** Per clause: suggestions, findings, risk and verdict, for the filters and "needs me". */
  clauseFacts: Map<string, ClauseFacts> = $derived.by(() => {
    const rb = this.rulebook;
    const verdicts = new Map((this.view?.verdicts ?? []).map((v) => [v.clause_id, v.verdict]));
    const map = new Map<string, ClauseFacts>();
    for (const c of this.clauses) {
      const findings = this.findingsByClause.get(c.id) ?? [];
      const levels = rb ? findings.map((f) => findingLevel(rb, f)?.id ?? null) : [];
      map.set(c.id, {
        openSuggestions: this.openSuggestionCounts.get(c.id) ?? 0,
        findings: findings.length,
        unrated: findings.filter((f) => f.likelihood == null || f.impact == null).length,
        level: rb ? (highestLevel(rb, levels)?.id ?? null) : null,
        verdict: verdicts.get(c.id) ?? null,
      });
    }
    return map;
  });
  /** The outline rows shown under the filter and the folds. */
  shownRows: OutlineRow[] = $derived.by(() => {
    const filter = this.outlineFilter;
    const facts = this.clauseFacts;
    const keep = filter.kind === "all" ? undefined : (c: Clause) => {
      const f = facts.get(c.id);
      return f ? matchesFilter(filter, f) : false;
    };
    return visibleRows(this.rows, this.folded, keep, filter.kind !== "all");
  });
  /** Ids of the clauses the outline shows. */
  shownClauseIds: ReadonlySet<string> = $derived(
    new Set(this.shownRows.flatMap((r) => (r.kind === "clause" ? [r.clause.id] : []))),
  );
  /** Clauses the filter lets through (folded or not). */
  filteredCount: number = $derived.by(() => {
    const filter = this.outlineFilter;
    if (filter.kind === "all") return this.clauses.length;
    let n = 0;
    for (const f of this.clauseFacts.values()) if (matchesFilter(filter, f)) n++;
    return n;
  });
  /** Clauses that still need the analyst (open suggestion, no verdict, unrated finding). */
  needingCount: number = $derived.by(() => {
    let n = 0;
    for (const f of this.clauseFacts.values()) if (needsMe(f)) n++;
    return n;
  });
  private readonly store: UiStore;
  private placeMemory: PlaceMemory | null = null;
  private placeScope = "";
  /** The last clause of each document, per library. */
  get places(): PlaceMemory {
    const scope = this.appInfo?.library_path ?? "";
    if (!this.placeMemory || this.placeScope !== scope) {
      this.placeMemory = new PlaceMemory(this.store, scope);
      this.placeScope = scope;
    }
    return this.placeMemory;
  }
  /** The small UI settings store (the outline pane's height). */
  get uiStore(): UiStore {
    return this.store;
  }
  findingsByClause: Map<string, Finding[]> = $derived.by(() => {
    const map = new Map<string, Finding[]>();
    for (const f of this.view?.findings ?? []) {
      const list = map.get(f.clause_id);
      if (list) list.push(f);
      else map.set(f.clause_id, [f]);
    }
    return map;
  });
  clauseFindings: Finding[] = $derived(
    this.selectedClauseId ? (this.findingsByClause.get(this.selectedClauseId) ?? []) : [],
  );
  selectedFinding: Finding | null = $derived(
    this.clauseFindings.find((f) => f.id === this.selectedFindingId) ?? null,
  );

  /** Suggestions of the open document by clause, in the core's order. */
  suggestionsByClause: Map<string, Suggestion[]> = $derived.by(() => {
    const map = new Map<string, Suggestion[]>();
    for (const s of this.view?.suggestions ?? []) {
      const list = map.get(s.clause_id);
      if (list) list.push(s);
      else map.set(s.clause_id, [s]);
    }
    return map;
  });
  /** Open suggestions per clause id (only clauses that have some). */
  openSuggestionCounts: Map<string, number> = $derived.by(() => {
    const map = new Map<string, number>();
    for (const s of this.view?.suggestions ?? []) {
      if (s.state.state === "open") map.set(s.clause_id, (map.get(s.clause_id) ?? 0) + 1);
    }
    return map;
  });
  /** Open suggestions in the whole open document. */
  openSuggestionTotal: number = $derived(
    (this.view?.suggestions ?? []).filter((s) => s.state.state === "open").length,
  );
  clauseSuggestions: Suggestion[] = $derived(
    this.selectedClauseId ? (this.suggestionsByClause.get(this.selectedClauseId) ?? []) : [],
  );
  /** The suggestion whose reason field is open (dismissing), if any. */
  dismissingId: string | null = $state(null);
  /** The suggestion pointed at in the list (its words are emphasised in the text). */
  activeSuggestionId: string | null = $state(null);
  /** A screening action (accept, dismiss, reopen, re-screen) is running. */
  suggestionBusy = $state(false);
  /** The last re-screening's result, for the header's status line. */
  rescreenNotice: { open: number } | null = $state(null);

  /** The import in progress or its summary; null when none is shown. */
  importRun: ImportRun | null = $state(null);
  private importQueue: File[] = [];

  /** A split or merge is running. */
  clauseBusy = $state(false);

  /** Edits of this session that can be undone / redone (the core's counts, tracked). */
  undoLeft = $state(0);
  redoLeft = $state(0);
  /** An undo or redo is running. */
  undoBusy = $state(false);
  /** What the last undo or redo did, for the live region. */
  lastUndo: UndoReport | null = $state(null);

  /** The user's preferences, once loaded. */
  preferences: Preferences | null = $state(null);

  /** The open document's workshop sessions with what was recorded in them, the latest first. */
  workshopRecords: WorkshopRecord[] = $state([]);
  /** The workshop view fills the space of the clause and findings panes. */
  workshopOpen = $state(false);
  /** The whole library's overview fills the space of the document and findings panes. */
  libraryOverview = $state(false);
  /** What the projector shows, while presentation mode is on (the shell's state). */
  presentation: PresentationState | null = $state(null);
  /** The selected clause's workshop results: per session, its decision and the room's judgements. */
  clauseWorkshops = $derived.by(() => {
    const id = this.selectedClauseId;
    const mine = new Set(this.clauseFindings.map((f) => f.id));
    return this.workshopRecords
      .map((r) => ({
        session: r.session,
        decision: r.decisions.find((d) => d.clause_id === id) ?? null,
        judgements: r.judgements.filter((j) => mine.has(j.finding_id)),
      }))
      .filter((w) => w.decision !== null || w.judgements.length > 0);
  });

  private openToken = 0;

  constructor(backend: Backend, autosaveDelayMs?: number, store: UiStore = memoryStore()) {
    this.backend = backend;
    this.store = store;
    this.autosaver = new Autosaver({
      save: (id, input) => backend.updateFinding(id, input),
      ...(autosaveDelayMs === undefined ? {} : { delayMs: autosaveDelayMs }),
      onState: (state, error) => {
        this.saveState = state;
        this.saveError = error;
      },
      onSaved: (saved) => {
        // Local edits are the truth for the fields the user types; take
        // only what the core computes.
        const local = this.view?.findings.find((f) => f.id === saved.id);
        if (local) {
          local.risk_level = saved.risk_level;
          local.updated_at = saved.updated_at;
          local.updated_by = saved.updated_by;
        }
        this.noteEdit();
        void this.refreshDocuments();
      },
    });
  }

  /**
   * Opens the encrypted library with its passphrase and loads it; resolves
   * to why not (a wrong passphrase) or null. The passphrase is not kept.
   */
  async unlock(passphrase: string): Promise<BackendError | null> {
    try {
      await this.backend.unlockLibrary(passphrase);
    } catch (e) {
      return toBackendError(e);
    }
    await this.init();
    return null;
  }

  /** Loads app info, rulebook and the library; opens the first document. */
  async init(): Promise<void> {
    this.loading = true;
    this.loadError = null;
    try {
      const [info, rulebook, documents, prefs] = await Promise.all([
        this.backend.appInfo(),
        this.backend.rulebook(),
        this.backend.listDocuments(),
        // Preferences are a comfort: without them the app still works.
        this.backend.preferences().catch(() => null),
      ]);
      if (prefs) {
        this.preferences = prefs;
        // The preferences decide; unset means Swedish.
        i18n.set(prefs.language === "en" ? "en" : "sv");
      }
      this.appInfo = info;
      this.rulebook = rulebook;
      this.documents = documents;
      // The pack choice is a comfort too: without it the active pack labels suggestions.
      this.rulebooks = await this.backend.rulebooks().catch(() => []);
    } catch (e) {
      this.loadError = toBackendError(e);
      return;
    } finally {
      this.loading = false;
    }
    this.notifyReady();
    void this.followPresentation();
    const first = this.documents[0];
    if (first && this.selectedDocId === null) await this.openDocument(first.id);
  }

  private readySent = false;
  private presentationFollowed = false;

  /** Keeps `presentation` in step with the shell (moves made in the projector window too). */
  private async followPresentation(): Promise<void> {
    if (this.presentationFollowed) return;
    this.presentationFollowed = true;
    try {
      await this.backend.onPresentation((s) => {
        this.presentation = s;
      });
      this.presentation = await this.backend.presentationState();
    } catch {
      // Without events the control window still works; it just does not follow the projector.
    }
  }

  /** Fetches the workshop sessions of a document (default: the open one) with their records. */
  async loadWorkshops(docId: string | null = this.selectedDocId): Promise<void> {
    if (!docId) return;
    try {
      const sessions = await this.backend.workshops(docId);
      const records = await Promise.all(sessions.map((s) => this.backend.workshop(s.id)));
      if (docId === this.selectedDocId) this.workshopRecords = records;
    } catch (e) {
      if (docId === this.selectedDocId) this.actionError = toBackendError(e);
    }
  }

  /** Once, after the document list has been painted. */
  private notifyReady(): void {
    if (this.readySent) return;
    this.readySent = true;
    const send = () => void this.backend.uiReady();
    if (typeof requestAnimationFrame === "function") {
      // After the list is rendered and the next frame is painted.
      requestAnimationFrame(() => setTimeout(send, 0));
    } else {
      setTimeout(send, 0);
    }
  }

  async refreshDocuments(): Promise<void> {
    try {
      this.documents = await this.backend.listDocuments();
    } catch (e) {
      this.actionError = toBackendError(e);
    }
  }

  async openDocument(docId: string): Promise<void> {
    this.libraryOverview = false;
    await this.autosaver.flush();
    const token = ++this.openToken;
    // Another document never opens in the workshop view of the previous one
    // (its sessions and attendees are that document's).
    if (docId !== this.selectedDocId) this.workshopOpen = false;
    this.selectedDocId = docId;
    this.docLoading = true;
    this.docError = null;
    try {
      const view = await this.backend.getDocument(docId);
      if (token !== this.openToken) return;
      this.view = view;
      this.rescreenNotice = null;
      this.workshopRecords = [];
      this.outlineFilter = { kind: "all" };
      this.outlineNotice = "";
      this.folded = this.foldedByDoc.get(docId) ?? new Set();
      void this.loadWorkshops(docId);
      // Back where the user was in this document, else at its first clause.
      const order = clausesInOrder(view.outline);
      const remembered = this.places.get(docId);
      const first = order.find((c) => c.id === remembered) ?? order[0];
      this.selectedClauseId = null;
      this.selectedFindingId = null;
      if (first) this.selectClauseNow(first.id);
    } catch (e) {
      if (token !== this.openToken) return;
      this.view = null;
      this.docError = toBackendError(e);
    } finally {
      if (token === this.openToken) this.docLoading = false;
    }
  }

  /**
   * Opens a place in the library: the document (unless it is open), then the
   * clause and the finding when they are in it. True when the clause was selected.
   */
  async openAt(docId: string, clauseId: string | null, findingId: string | null = null): Promise<boolean> {
    this.libraryOverview = false;
    if (this.selectedDocId !== docId || !this.view) await this.openDocument(docId);
    if (this.selectedDocId !== docId || !clauseId || !this.clauses.some((c) => c.id === clauseId)) return false;
    await this.selectClause(clauseId);
    if (findingId && this.clauseFindings.some((f) => f.id === findingId)) await this.selectFinding(findingId);
    return true;
  }

  /**
   * Fetches the open document again (after its outline changed) and keeps
   * the selection on `keepClauseId` and, when still there, on the selected finding.
   */
  async reloadDocument(keepClauseId: string | null = this.selectedClauseId): Promise<void> {
    const docId = this.selectedDocId;
    if (!docId) return;
    const token = ++this.openToken;
    const keepFinding = this.selectedFindingId;
    try {
      const view = await this.backend.getDocument(docId);
      if (token !== this.openToken) return;
      this.view = view;
      const clauses = clausesInOrder(view.outline);
      const clause = clauses.find((c) => c.id === keepClauseId) ?? clauses[0];
      this.selectedClauseId = null;
      this.selectedFindingId = null;
      if (!clause) return;
      this.selectClauseNow(clause.id);
      if (keepFinding && this.clauseFindings.some((f) => f.id === keepFinding)) {
        this.selectedFindingId = keepFinding;
      }
    } catch (e) {
      if (token !== this.openToken) return;
      this.docError = toBackendError(e);
    }
  }

  private selectClauseNow(clauseId: string): void {
    if (this.selectedClauseId !== clauseId) {
      this.dismissingId = null;
      this.activeSuggestionId = null;
    }
    this.selectedClauseId = clauseId;
    this.selectedFindingId = this.findingsByClause.get(clauseId)?.[0]?.id ?? null;
    if (this.selectedDocId) this.places.set(this.selectedDocId, clauseId);
    // A clause chosen elsewhere (search, "needs me", undo) is never left folded away.
    if (this.folded.size > 0) {
      const over = headingsOver(this.rows, clauseId).filter((id) => this.folded.has(id));
      if (over.length > 0) this.setFolded(new Set([...this.folded].filter((id) => !over.includes(id))));
    }
  }

  private setFolded(next: ReadonlySet<string>): void {
    this.folded = next;
    if (this.selectedDocId) this.foldedByDoc.set(this.selectedDocId, next);
  }

  /** Folds or unfolds a heading of the outline; a selected clause folded away moves to the heading's first clause after it. */
  toggleFold(sectionId: string): void {
    const next = new Set(this.folded);
    if (next.has(sectionId)) next.delete(sectionId);
    else next.add(sectionId);
    this.setFolded(next);
  }

  /** Folds every heading (true) or none (false). */
  foldAll(fold: boolean): void {
    this.setFolded(fold ? new Set(this.rows.flatMap((r) => (r.kind === "section" ? [r.section.id] : []))) : new Set());
  }

  /**
   * Selects the next (or previous) clause that needs the analyst among those
   * the filter lets through; says so in `outlineNotice` when none is left.
   */
  goToNeeding(direction: 1 | -1 = 1): string | null {
    const filter = this.outlineFilter;
    const facts = this.clauseFacts;
    const found = nextNeeding(this.clauses, this.selectedClauseId, (c) => {
      const f = facts.get(c.id);
      return f !== undefined && needsMe(f) && matchesFilter(filter, f);
    }, direction);
    if (!found) {
      this.outlineNotice = "longdoc.needsNone";
      return null;
    }
    this.outlineNotice = found.wrapped ? "longdoc.needsWrapped" : "";
    void this.selectClause(found.id);
    return found.id;
  }

  /** Selects a clause (saving pending edits first) and its first finding. */
  selectClause(clauseId: string): Promise<void> {
    if (clauseId === this.selectedClauseId) return Promise.resolve();
    const saved = this.autosaver.flush();
    this.selectClauseNow(clauseId);
    return saved;
  }

  /** Moves the selection `delta` clauses along the document; returns the new clause id. */
  moveClause(delta: number): string | null {
    // Through the clauses the outline shows (the filter and the folds apply).
    const next = stepAmong(this.clauses, this.shownClauseIds, this.selectedClauseId, delta);
    if (next === null) {
      const here = this.selectedClauseId;
      return here !== null && this.shownClauseIds.has(here) ? here : null;
    }
    void this.selectClause(next);
    return next;
  }

  selectFinding(findingId: string): Promise<void> {
    if (findingId === this.selectedFindingId) return Promise.resolve();
    const saved = this.autosaver.flush();
    this.selectedFindingId = findingId;
    return saved;
  }

  /** Creates an empty finding on the selected clause and selects it. */
  async newFinding(): Promise<Finding | null> {
    const clauseId = this.selectedClauseId;
    const view = this.view;
    if (!clauseId || !view) return null;
    await this.autosaver.flush();
    this.actionError = null;
    try {
      const finding = await this.backend.addFinding(clauseId, emptyFindingInput());
      this.noteEdit();
      if (this.view !== view) return null;
      view.findings.push(finding);
      if (this.selectedClauseId === clauseId) this.selectedFindingId = finding.id;
      void this.refreshDocuments();
      return finding;
    } catch (e) {
      this.actionError = toBackendError(e);
      return null;
    }
  }

  /** Applies an edit to the selected finding at once and schedules its save. */
  editFinding(patch: Partial<FindingInput>): void {
    const f = this.selectedFinding;
    if (!f) return;
    Object.assign(f, patch);
    this.autosaver.schedule(f.id, inputOf($state.snapshot(f) as Finding));
  }

  /**
   * Adds a comment to a finding. Pending edits are saved first; only the
   * comments are taken from the core's copy, so unsaved typing is kept.
   * Returns the error, or null when done.
   */
  async addComment(findingId: string, text: string): Promise<BackendError | null> {
    if (text.trim() === "") return { code: "invalid_input", message: "" };
    const view = this.view;
    if (!view) return { code: "not_found", message: "no document is open" };
    try {
      await this.autosaver.flush();
      const saved = await this.backend.addComment(findingId, text.trim());
      this.noteEdit();
      const local = view.findings.find((f) => f.id === findingId);
      if (local) local.comments = saved.comments;
      return null;
    } catch (e) {
      return toBackendError(e);
    }
  }

  async deleteFinding(findingId: string): Promise<boolean> {
    const view = this.view;
    if (!view) return false;
    this.autosaver.cancel(findingId);
    this.actionError = null;
    try {
      await this.backend.deleteFinding(findingId);
      this.noteEdit();
    } catch (e) {
      this.actionError = toBackendError(e);
      return false;
    }
    const index = view.findings.findIndex((f) => f.id === findingId);
    if (index >= 0) view.findings.splice(index, 1);
    if (this.selectedFindingId === findingId) {
      this.selectedFindingId = this.clauseFindings[0]?.id ?? null;
    }
    void this.refreshDocuments();
    return true;
  }

  /** Replaces a suggestion of the open document with the core's copy. */
  private putSuggestion(updated: Suggestion): void {
    const list = this.view?.suggestions;
    if (!list) return;
    const i = list.findIndex((s) => s.id === updated.id);
    if (i >= 0) list[i] = updated;
  }

  /**
   * Accepts a suggestion: the core makes a draft finding of it on its clause,
   * which is then selected. Returns the finding, or null on failure.
   */
  async acceptSuggestion(suggestionId: string): Promise<Finding | null> {
    const view = this.view;
    if (!view || this.suggestionBusy) return null;
    this.suggestionBusy = true;
    this.actionError = null;
    try {
      await this.autosaver.flush();
      const finding = await this.backend.acceptSuggestion(suggestionId);
      this.noteEdit();
      if (this.view !== view) return null;
      view.findings.push(finding);
      const s = view.suggestions.find((x) => x.id === suggestionId);
      if (s) this.putSuggestion({ ...s, state: { state: "accepted", finding_id: finding.id } });
      if (this.dismissingId === suggestionId) this.dismissingId = null;
      if (this.selectedClauseId !== finding.clause_id) this.selectClauseNow(finding.clause_id);
      this.selectedFindingId = finding.id;
      void this.refreshDocuments();
      return finding;
    } catch (e) {
      this.actionError = toBackendError(e);
      return null;
    } finally {
      this.suggestionBusy = false;
    }
  }

  /** Dismisses a suggestion with a reason; returns the error, or null when done. */
  async dismissSuggestion(suggestionId: string, reason: string): Promise<BackendError | null> {
    const view = this.view;
    if (!view) return { code: "not_found", message: "no document is open" };
    if (reason.trim() === "") return { code: "invalid_input", message: "" };
    this.suggestionBusy = true;
    try {
      const updated = await this.backend.dismissSuggestion(suggestionId, reason.trim());
      this.noteEdit();
      if (this.view === view) this.putSuggestion(updated);
      if (this.dismissingId === suggestionId) this.dismissingId = null;
      return null;
    } catch (e) {
      return toBackendError(e);
    } finally {
      this.suggestionBusy = false;
    }
  }

  /** Puts a dismissed suggestion back among the open ones. */
  async reopenSuggestion(suggestionId: string): Promise<boolean> {
    const view = this.view;
    if (!view) return false;
    this.suggestionBusy = true;
    this.actionError = null;
    try {
      const updated = await this.backend.reopenSuggestion(suggestionId);
      this.noteEdit();
      if (this.view === view) this.putSuggestion(updated);
      return true;
    } catch (e) {
      this.actionError = toBackendError(e);
      return false;
    } finally {
      this.suggestionBusy = false;
    }
  }

  /** The name of a vulnerability family in the open document's pack (else the active pack's), or the id. */
  categoryLabel(id: string): string {
    const pack = this.rulebooks.find((p) => p.id === this.view?.document.rulebook.id);
    return (
      pack?.categories.find((c) => c.id === id)?.label ??
      this.rulebook?.categories.find((c) => c.id === id)?.label ??
      id
    );
  }

  /** Screens the open document with another pack, which becomes its pack; the selection stays. */
  async choosePack(packId: string): Promise<BackendError | null> {
    const docId = this.selectedDocId;
    if (!docId || this.suggestionBusy) return null;
    this.suggestionBusy = true;
    this.rescreenNotice = null;
    try {
      await this.autosaver.flush();
      const report = await this.backend.screenWith(docId, packId);
      await this.reloadDocument();
      this.rescreenNotice = { open: report.open };
      void this.refreshDocuments();
      return null;
    } catch (e) {
      return toBackendError(e);
    } finally {
      this.suggestionBusy = false;
    }
  }

  /** Screens the open document again and reloads it; the selection stays. */
  async rescreen(): Promise<BackendError | null> {
    const docId = this.selectedDocId;
    if (!docId || this.suggestionBusy) return null;
    this.suggestionBusy = true;
    this.rescreenNotice = null;
    try {
      await this.autosaver.flush();
      const report = await this.backend.screenDocument(docId);
      await this.reloadDocument();
      this.rescreenNotice = { open: report.open };
      return null;
    } catch (e) {
      return toBackendError(e);
    } finally {
      this.suggestionBusy = false;
    }
  }

  /**
   * Imports files one after another; the progress and then the summary are
   * in `importRun`. Files given while an import runs join it. Afterwards the
   * library is refreshed and the first imported document is opened.
   */
  async importFiles(files: readonly File[]): Promise<void> {
    if (files.length === 0) return;
    const run = this.importRun;
    if (run && !run.done) {
      this.importQueue.push(...files);
      run.total += files.length;
      return;
    }
    this.importQueue = [...files];
    this.importRun = {
      total: files.length,
      current: 0,
      currentName: "",
      done: false,
      stopping: false,
      results: [],
    };
    const active = this.importRun;
    await this.autosaver.flush();
    let file: File | undefined;
    while ((file = this.importQueue.shift())) {
      if (active.stopping) {
        active.results.push({ fileName: file.name, status: "skipped" });
        continue;
      }
      active.current = active.results.length + 1;
      active.currentName = file.name;
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const report = await this.backend.importFile(file.name, bytes);
        active.results.push({ fileName: file.name, status: "ok", report });
        void this.refreshDocuments();
      } catch (e) {
        // The file is kept, so that one already in the library can be replaced.
        active.results.push({ fileName: file.name, status: "failed", error: toBackendError(e), file });
      }
    }
    active.done = true;
    await this.refreshDocuments();
    const first = active.results.find((r) => r.status === "ok");
    if (first) await this.openDocument(first.report.document_id);
  }

  /**
   * Reads a file of the finished import that was refused as already in the library again,
   * as a new version of itself with the findings carried over, and opens the new version.
   * Returns the error, or null when replaced.
   */
  async replaceImported(index: number): Promise<BackendError | null> {
    const run = this.importRun;
    const result = run?.results[index];
    if (!run?.done || result?.status !== "failed" || !result.file) {
      return { code: "not_found", message: "there is no refused file to replace" };
    }
    const file = result.file;
    try {
      await this.autosaver.flush();
      const bytes = new Uint8Array(await file.arrayBuffer());
      const report = await this.backend.importFileReplacing(file.name, bytes);
      // Not an undo step of the core: deleting the new version takes it back.
      run.results[index] = { fileName: file.name, status: "replaced", report };
    } catch (e) {
      return toBackendError(e);
    }
    await this.refreshDocuments();
    const replaced = run.results[index];
    if (replaced.status === "replaced") await this.openDocument(replaced.report.document_id);
    return null;
  }

  /** Stops an import after the file being read now; the rest are listed as not imported. */
  stopImport(): void {
    if (this.importRun && !this.importRun.done) this.importRun.stopping = true;
  }

  /** Closes the import summary. */
  closeImport(): void {
    if (this.importRun?.done) this.importRun = null;
  }

  /** Saves the open document's metadata; returns the error, or null when saved. */
  async saveMetadata(meta: DocumentMeta): Promise<BackendError | null> {
    const view = this.view;
    if (!view) return { code: "not_found", message: "no document is open" };
    try {
      const doc = await this.backend.updateMetadata(view.document.id, meta);
      this.noteEdit();
      if (this.view === view) view.document = doc;
    } catch (e) {
      return toBackendError(e);
    }
    await this.refreshDocuments();
    return null;
  }

  /** Splits a clause at UTF-8 byte offset `at`; the selection stays on its first part. */
  splitClause(clauseId: string, at: number): Promise<BackendError | null> {
    return this.changeOutline(clauseId, async () => {
      await this.backend.splitClause(clauseId, at);
      this.noteEdit();
    });
  }

  /** Merges a clause with the next; the selection stays on the merged clause. */
  mergeWithNext(clauseId: string): Promise<BackendError | null> {
    return this.changeOutline(clauseId, async () => {
      await this.backend.mergeWithNext(clauseId);
      this.noteEdit();
    });
  }

  /**
   * Makes a clause a heading at `level` (null: the core's default). The selection moves to
   * the clause after it (the first under the new heading), else the one before.
   */
  promoteClause(clauseId: string, level: number | null): Promise<BackendError | null> {
    const i = this.clauses.findIndex((c) => c.id === clauseId);
    const keep = this.clauses[i + 1]?.id ?? this.clauses[i - 1]?.id ?? clauseId;
    return this.changeOutline(keep, async () => {
      await this.backend.promoteClause(clauseId, level);
      this.noteEdit();
    });
  }

  /** Makes a heading a clause where it stands; the selection stays. */
  demoteSection(sectionId: string): Promise<BackendError | null> {
    return this.changeOutline(this.selectedClauseId ?? "", async () => {
      await this.backend.demoteSection(sectionId);
      this.noteEdit();
    });
  }

  /** Moves a clause under another heading; the selection stays on it. */
  moveClauseUnder(clauseId: string, sectionId: string): Promise<BackendError | null> {
    return this.changeOutline(clauseId, async () => {
      await this.backend.moveClause(clauseId, sectionId);
      this.noteEdit();
    });
  }

  /** Gives a clause another number; the selection stays on it. */
  renumberClause(clauseId: string, number: string): Promise<BackendError | null> {
    return this.changeOutline(clauseId, async () => {
      await this.backend.renumberClause(clauseId, number);
      this.noteEdit();
    });
  }

  private async changeOutline(clauseId: string, change: () => Promise<unknown>): Promise<BackendError | null> {
    if (this.clauseBusy) return null;
    this.clauseBusy = true;
    try {
      await this.autosaver.flush();
      try {
        await change();
      } catch (e) {
        return toBackendError(e);
      }
      await this.reloadDocument(clauseId);
      void this.refreshDocuments();
      return null;
    } finally {
      this.clauseBusy = false;
    }
  }

  /** An edit reached the core: it can be undone, and nothing can be redone any more. */
  noteEdit(): void {
    this.undoLeft += 1;
    this.redoLeft = 0;
    this.lastUndo = null;
  }

  /** The verdict of each clause of the open document, by clause id. */
  get verdictByClause(): Map<string, ClauseVerdict> {
    return new Map((this.view?.verdicts ?? []).map((v) => [v.clause_id, v]));
  }

  /**
   * Gives the selected clause (or, with `sectionId`, every clause under that
   * heading) a verdict; null takes it away. Returns the report, or null on error.
   */
  async giveVerdict(verdict: Verdict | null, sectionId: string | null = null): Promise<VerdictReport | null> {
    const clauseId = this.selectedClauseId;
    if (!sectionId && !clauseId) return null;
    this.actionError = null;
    try {
      await this.autosaver.flush();
      const report = sectionId
        ? await this.backend.setSectionVerdict(sectionId, verdict)
        : await this.backend.setVerdicts([clauseId as string], verdict);
      this.noteEdit();
      await this.reloadDocument();
      await this.refreshDocuments();
      return report;
    } catch (e) {
      this.actionError = toBackendError(e);
      return null;
    }
  }

  /** Marks the open document's review final; the error (e.g. `incomplete`) when refused. */
  async markFinal(): Promise<BackendError | null> {
    const docId = this.selectedDocId;
    if (!docId) return null;
    try {
      await this.autosaver.flush();
      await this.backend.markFinal(docId);
      this.noteEdit();
      await this.reloadDocument();
      await this.refreshDocuments();
      return null;
    } catch (e) {
      return toBackendError(e);
    }
  }

  /** Deletes a document (after the confirmation); undoable. The error, or null. */
  async deleteDocument(docId: string): Promise<BackendError | null> {
    try {
      await this.autosaver.flush();
      await this.backend.deleteDocument(docId);
      this.noteEdit();
      if (docId === this.selectedDocId) this.closeDeleted();
      await this.refreshDocuments();
      return null;
    } catch (e) {
      return toBackendError(e);
    }
  }

  /** The open document was deleted: nothing is open any more. */
  private closeDeleted(): void {
    this.openToken++;
    this.view = null;
    this.selectedDocId = null;
    this.selectedClauseId = null;
    this.selectedFindingId = null;
  }

  /** Takes back the session's latest edit (pending edits are saved first). */
  undo(): Promise<UndoReport | null> {
    return this.step("undo");
  }

  /** Makes again the edit undone last. */
  redo(): Promise<UndoReport | null> {
    return this.step("redo");
  }

  private async step(direction: "undo" | "redo"): Promise<UndoReport | null> {
    if (this.undoBusy) return null;
    this.undoBusy = true;
    this.actionError = null;
    try {
      // The undo must act on the latest edit, so what is typed is saved first.
      await this.autosaver.flush();
      const report = direction === "undo" ? await this.backend.undo() : await this.backend.redo();
      if (!report) {
        if (direction === "undo") this.undoLeft = 0;
        else this.redoLeft = 0;
        return null;
      }
      this.undoLeft = report.undo_left;
      this.redoLeft = report.redo_left;
      this.lastUndo = report;
      await this.showChanged(report);
      return report;
    } catch (e) {
      this.actionError = toBackendError(e);
      return null;
    } finally {
      this.undoBusy = false;
    }
  }

  /** Reloads what an undo or redo changed and selects it when it still exists. */
  private async showChanged(report: UndoReport): Promise<void> {
    await this.refreshDocuments();
    if (!this.documents.some((d) => d.id === report.document_id)) {
      // The edit made again was a deletion: the document is gone.
      if (report.document_id === this.selectedDocId) this.closeDeleted();
      return;
    }
    if (report.document_id !== this.selectedDocId) {
      if (!this.documents.some((d) => d.id === report.document_id)) return;
      await this.openDocument(report.document_id);
    } else {
      await this.reloadDocument();
    }
    const view = this.view;
    if (!view || view.document.id !== report.document_id) return;
    const finding = view.findings.find((f) => f.id === report.entity_id);
    const suggestion = view.suggestions.find((s) => s.id === report.entity_id);
    const clause = this.clauses.find((c) => c.id === report.entity_id);
    if (finding) {
      this.selectClauseNow(finding.clause_id);
      this.selectedFindingId = finding.id;
    } else if (suggestion) {
      const accepted = suggestion.state.state === "accepted" ? suggestion.state.finding_id : null;
      this.selectClauseNow(suggestion.clause_id);
      if (accepted && view.findings.some((f) => f.id === accepted)) this.selectedFindingId = accepted;
    } else if (clause) {
      this.selectClauseNow(clause.id);
    }
  }

  /** Saves the preferences; returns the error, or null when saved. */
  async savePreferences(prefs: Preferences): Promise<BackendError | null> {
    try {
      this.preferences = await this.backend.setPreferences(prefs);
      // The name applies to the next change; the header shows the current one.
      const info = await this.backend.appInfo().catch(() => null);
      if (info) this.appInfo = info;
      return null;
    } catch (e) {
      return toBackendError(e);
    }
  }

  /** The first start: no name saved and not asked for yet (the welcome dialog asks). */
  get askName(): boolean {
    const prefs = this.preferences;
    return !!prefs && !prefs.name_asked && prefs.user_name.trim() === "";
  }

  /** The welcome dialog's answer: the name given (empty: skipped), not to be asked again. */
  answerName(name: string): Promise<BackendError | null> {
    const current = this.preferences ?? { user_name: "", language: "", name_asked: false };
    return this.savePreferences({ ...current, user_name: name.trim() || current.user_name, name_asked: true });
  }

  /** Remembers the interface language in the preferences (the switch calls this). */
  async saveLanguage(language: string): Promise<void> {
    const current = this.preferences ?? { user_name: "", language: "", name_asked: false };
    if (current.language === language) return;
    await this.savePreferences({ ...current, language });
  }
}
