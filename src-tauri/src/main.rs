//! The Kryphål desktop app: a thin Tauri 2 shell. Each command takes the
//! shared state, calls `kryphal-app`, and returns its value or its
//! `{code, message}` error. No business logic lives here.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use kryphal_app::{
    AppError, AppInfo, AppResult, DocumentSummary, DocumentView, ErrorCode, Library, Passphrase,
    RulebookChoice, RulebookData,
};
use kryphal_app::{
    ExportChoices, ExportReport, ExportSettings, ImportReport, Preferences, ScreenReport,
    UndoReport,
};
use kryphal_app::{PresentMove, PresentTheme, PresentationState, ScreenInfo};
use kryphal_app::{SearchAnswer, SearchQuery};
use kryphal_domain::{
    AuditEvent, Clause, Decision, DecisionKind, Document, DocumentMeta, Finding, FindingInput,
    Judgement, Section, Suggestion, WorkshopNote, WorkshopRecord, WorkshopSession,
};
use tauri::{Emitter, Manager, State};

/// The projector window's label.
const PRESENTER: &str = "presenter";
/// The event both windows listen to: the presentation state, or null when it ended.
const PRESENTATION_EVENT: &str = "presentation";

mod exchange;
mod opened;
mod word;

use kryphal_platform::instance;

/// The open library, or why it could not be opened (shown by the UI).
struct AppState {
    library: Mutex<AppResult<Library>>,
    started: Instant,
    /// Test hook `--export-dir DIR`: exports go to `DIR/<suggested name>`
    /// without the save dialog (WebDriver cannot drive a native file chooser).
    export_dir: Option<PathBuf>,
    /// Test hook `--open-file PATH` (repeatable): the open dialogs (a bundle
    /// to import, a backup to restore) answer these paths in turn without
    /// showing the chooser, and "cancelled" once they are used up. `None`
    /// without the flag: the native dialog.
    open_files: Option<Mutex<VecDeque<PathBuf>>>,
    /// What the projector shows, while presentation mode is on.
    presentation: Mutex<Option<PresentationState>>,
    /// An encrypted bundle picked for import, waiting for its passphrase.
    pending_bundle: Mutex<Option<PathBuf>>,
}

impl AppState {
    fn lock(&self) -> MutexGuard<'_, AppResult<Library>> {
        // A panic in another command must not make the library unusable.
        self.library.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn pending_bundle(&self) -> MutexGuard<'_, Option<PathBuf>> {
        self.pending_bundle
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    fn presentation(&self) -> MutexGuard<'_, Option<PresentationState>> {
        self.presentation.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Changes the presentation and tells both windows.
    fn present<T>(
        &self,
        app: &tauri::AppHandle,
        f: impl FnOnce(&mut PresentationState) -> AppResult<T>,
    ) -> AppResult<PresentationState> {
        let mut guard = self.presentation();
        let state = guard.as_mut().ok_or_else(|| {
            AppError::new(ErrorCode::InvalidInput, "Presentation mode is not on.")
        })?;
        f(state)?;
        let state = state.clone();
        drop(guard);
        emit_presentation(app, Some(&state));
        Ok(state)
    }

    fn with<T>(&self, f: impl FnOnce(&mut Library) -> AppResult<T>) -> AppResult<T> {
        match &mut *self.lock() {
            Ok(lib) => f(lib),
            Err(e) => Err(e.clone()),
        }
    }
}

#[tauri::command]
fn app_info(state: State<'_, AppState>) -> AppResult<AppInfo> {
    state.with(|lib| Ok(lib.info()))
}

/// Opens the encrypted library with its passphrase. Until then every
/// command answers `library_locked`. The passphrase arrives once, is held in
/// a wiping [`Passphrase`] by the library (for its backups and the search
/// index's own connection) and is written nowhere; a wrong one leaves the
/// app locked, to try again.
#[tauri::command]
async fn unlock_library(state: State<'_, AppState>, passphrase: String) -> AppResult<AppInfo> {
    let passphrase = Passphrase::new(passphrase);
    let mut guard = state.lock();
    match &*guard {
        Ok(lib) => return Ok(lib.info()),
        Err(e) if e.code != ErrorCode::LibraryLocked => return Err(e.clone()),
        Err(_) => {}
    }
    let lib = open_library(Some(&passphrase))?;
    let info = lib.info();
    *guard = Ok(lib);
    Ok(info)
}

#[tauri::command]
fn rulebook(state: State<'_, AppState>) -> AppResult<RulebookData> {
    state.with(|lib| Ok(lib.rulebook().clone()))
}

#[tauri::command]
fn list_documents(state: State<'_, AppState>) -> AppResult<Vec<DocumentSummary>> {
    state.with(|lib| lib.documents())
}

#[tauri::command]
fn get_document(state: State<'_, AppState>, doc_id: String) -> AppResult<DocumentView> {
    state.with(|lib| lib.document(&doc_id))
}

#[tauri::command]
fn add_finding(
    state: State<'_, AppState>,
    clause_id: String,
    input: FindingInput,
) -> AppResult<Finding> {
    state.with(|lib| lib.add_finding(&clause_id, input))
}

#[tauri::command]
fn update_finding(
    state: State<'_, AppState>,
    finding_id: String,
    input: FindingInput,
) -> AppResult<Finding> {
    state.with(|lib| lib.update_finding(&finding_id, input))
}

#[tauri::command]
async fn add_comment(
    state: State<'_, AppState>,
    finding_id: String,
    text: String,
) -> AppResult<Finding> {
    state.with(|lib| lib.add_comment(&finding_id, &text))
}

#[tauri::command]
fn delete_finding(state: State<'_, AppState>, finding_id: String) -> AppResult<()> {
    state.with(|lib| lib.delete_finding(&finding_id))
}

/// The file of an import request: its name from the `x-kryphal-file-name`
/// header (percent-encoded) and its bytes, the raw request body.
fn request_file<'r>(request: &'r tauri::ipc::Request<'_>) -> AppResult<(String, &'r [u8])> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(AppError::new(
            ErrorCode::InvalidInput,
            "The file's contents did not arrive as bytes.",
        ));
    };
    let name = request
        .headers()
        .get("x-kryphal-file-name")
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| AppError::new(ErrorCode::InvalidInput, "The file's name is missing."))?;
    Ok((name, bytes))
}

/// Imports one file whose bytes are the raw request body; the file name is
/// in the `x-kryphal-file-name` header (percent-encoded). The UI reads files
/// only through the file dialog or a drop, so the shell never opens paths
/// the UI names.
#[tauri::command]
async fn import_file(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> AppResult<ImportReport> {
    let (name, bytes) = request_file(&request)?;
    // Documents are never JSON: a `.json` file is a Kryphål analysis.
    if name.to_lowercase().ends_with(".json") {
        return state.with(|lib| lib.import_analysis(bytes));
    }
    state.with(|lib| lib.import_bytes(&name, bytes))
}

/// Imports a file already in the library again as a new version of itself,
/// carrying the findings over; sent like `import_file`.
#[tauri::command]
async fn import_file_replacing(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> AppResult<kryphal_app::VersionReport> {
    let (name, bytes) = request_file(&request)?;
    state.with(|lib| lib.import_bytes_replacing(&name, bytes))
}

/// Exports a document: Rust shows the native save dialog (the UI never
/// names a path), then writes the file atomically. Returns what was written
/// (the file's name, the template used), or null when the user cancelled
/// the dialog; the path stays here, for `open_export`. With
/// `--export-dir DIR` (a test hook) the file goes to `DIR/<suggested name>`
/// without a dialog.
#[tauri::command]
async fn export_document(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    last: State<'_, word::LastExport>,
    doc_id: String,
    format: String,
    choices: ExportChoices,
) -> AppResult<Option<ExportReport>> {
    // A bad format, variant or language is refused before any dialog opens.
    let name = state.with(|lib| lib.export_file_name(&doc_id, &format, &choices))?;
    let Some(target) = save_target(&app, &state, name, None).await? else {
        return Ok(None);
    };
    let mut report = state.with(|lib| lib.export(&doc_id, &format, &choices, &target))?;
    last.set(target);
    // The UI shows the name; the path stays with the shell.
    report.path = String::new();
    Ok(Some(report))
}

/// Which native file dialog to show.
pub(crate) enum Pick {
    Save(String),
    Open,
}

/// Shows a save or open dialog for files ending in `extension` off the main
/// thread, modal to the main window. `None` when the user cancelled.
pub(crate) async fn pick(
    app: &tauri::AppHandle,
    kind: Pick,
    filter: &str,
    extension: &str,
) -> AppResult<Option<PathBuf>> {
    use tauri_plugin_dialog::DialogExt;
    let (app, filter, extension) = (app.clone(), filter.to_string(), extension.to_string());
    let picked = tauri::async_runtime::spawn_blocking(move || {
        let mut dialog = app
            .dialog()
            .file()
            .add_filter(filter, &[extension.as_str()]);
        // Modal to the app's window, not a stray window of its own.
        if let Some(window) = tauri::Manager::get_webview_window(&app, "main") {
            dialog = dialog.set_parent(&window);
        }
        match kind {
            Pick::Save(name) => dialog.set_file_name(&name).blocking_save_file(),
            Pick::Open => dialog.blocking_pick_file(),
        }
    })
    .await
    .map_err(|e| AppError::new(ErrorCode::Internal, format!("The file dialog failed: {e}.")))?;
    picked
        .map(|p| {
            p.into_path().map_err(|e| {
                AppError::new(
                    ErrorCode::InvalidInput,
                    format!("The chosen place is not a file on this computer: {e}."),
                )
            })
        })
        .transpose()
}

/// Where to write a file suggested as `name`: the native save dialog's
/// answer (None when cancelled; `filter` names the file type, default the
/// extension), or `DIR/name` with the `--export-dir` test hook.
pub(crate) async fn save_target(
    app: &tauri::AppHandle,
    state: &AppState,
    name: String,
    filter: Option<&str>,
) -> AppResult<Option<PathBuf>> {
    if let Some(dir) = &state.export_dir {
        return Ok(Some(dir.join(&name)));
    }
    let extension = name.rsplit('.').next().unwrap_or_default().to_string();
    let filter = filter.map_or_else(|| extension.to_uppercase(), str::to_string);
    pick(app, Pick::Save(name), &filter, &extension).await
}

/// Which file to read: the native open dialog's answer (None when
/// cancelled), or the next path of the `--open-file` test hook.
pub(crate) async fn open_target(
    app: &tauri::AppHandle,
    state: &AppState,
    filter: &str,
    extension: &str,
) -> AppResult<Option<PathBuf>> {
    if let Some(queue) = &state.open_files {
        return Ok(queue.lock().unwrap_or_else(|p| p.into_inner()).pop_front());
    }
    pick(app, Pick::Open, filter, extension).await
}

/// Saves the overview (or one of its charts: `part`) as a `png` or `svg`
/// image where the save dialog says; the file's name, or null when cancelled.
/// `doc_id` null: the whole library's overview.
#[tauri::command]
async fn export_overview_image(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    doc_id: Option<String>,
    format: String,
    part: String,
    lang: String,
) -> AppResult<Option<String>> {
    let name = state.with(|lib| lib.overview_image_file_name(doc_id.as_deref(), &format, &part))?;
    let Some(target) = save_target(&app, &state, name, None).await? else {
        return Ok(None);
    };
    let report = state
        .with(|lib| lib.export_overview_image(doc_id.as_deref(), &format, &part, &lang, &target))?;
    Ok(Some(report.file_name))
}

/// The ids of the findings an export of `format` includes (the dialog's preview).
#[tauri::command]
async fn export_preview(
    state: State<'_, AppState>,
    doc_id: String,
    format: String,
) -> AppResult<Vec<String>> {
    state.with(|lib| lib.export_preview(&doc_id, &format))
}

/// The memo header fields kept in the library.
#[tauri::command]
async fn export_settings(state: State<'_, AppState>) -> AppResult<ExportSettings> {
    state.with(|lib| lib.export_settings())
}

/// Saves the memo header fields in the library (audited).
#[tauri::command]
async fn set_export_settings(
    state: State<'_, AppState>,
    settings: ExportSettings,
) -> AppResult<ExportSettings> {
    state.with(|lib| lib.set_export_settings(&settings))
}

#[tauri::command]
async fn update_metadata(
    state: State<'_, AppState>,
    doc_id: String,
    meta: DocumentMeta,
) -> AppResult<Document> {
    state.with(|lib| lib.update_metadata(&doc_id, meta))
}

#[tauri::command]
async fn split_clause(
    state: State<'_, AppState>,
    clause_id: String,
    at: usize,
) -> AppResult<Clause> {
    state.with(|lib| lib.split_clause(&clause_id, at))
}

#[tauri::command]
async fn merge_with_next(state: State<'_, AppState>, clause_id: String) -> AppResult<Clause> {
    state.with(|lib| lib.merge_with_next(&clause_id))
}

/// Makes a clause a heading at `level` (None: one below the heading it is under).
#[tauri::command]
async fn promote_clause(
    state: State<'_, AppState>,
    clause_id: String,
    level: Option<u8>,
) -> AppResult<Section> {
    state.with(|lib| lib.promote_clause(&clause_id, level))
}

/// Makes a heading a clause where it stands.
#[tauri::command]
async fn demote_section(state: State<'_, AppState>, section_id: String) -> AppResult<Clause> {
    state.with(|lib| lib.demote_section(&section_id))
}

/// Moves a clause under another heading of its document.
#[tauri::command]
async fn move_clause(
    state: State<'_, AppState>,
    clause_id: String,
    section_id: String,
) -> AppResult<Clause> {
    state.with(|lib| lib.move_clause(&clause_id, &section_id))
}

/// Gives clauses of one document a verdict (`None`: takes it away).
#[tauri::command]
async fn set_verdicts(
    state: State<'_, AppState>,
    clause_ids: Vec<String>,
    verdict: Option<kryphal_domain::Verdict>,
) -> AppResult<kryphal_app::VerdictReport> {
    state.with(|lib| lib.set_verdicts(&clause_ids, verdict))
}

/// Gives every clause under a heading a verdict.
#[tauri::command]
async fn set_section_verdict(
    state: State<'_, AppState>,
    section_id: String,
    verdict: Option<kryphal_domain::Verdict>,
) -> AppResult<kryphal_app::VerdictReport> {
    state.with(|lib| lib.set_section_verdict(&section_id, verdict))
}

/// Marks a document's review final, or refuses naming what is missing.
#[tauri::command]
async fn mark_final(
    state: State<'_, AppState>,
    doc_id: String,
) -> AppResult<kryphal_domain::Coverage> {
    state.with(|lib| lib.mark_final(&doc_id))
}

/// Takes the final mark away.
#[tauri::command]
async fn reopen_review(
    state: State<'_, AppState>,
    doc_id: String,
) -> AppResult<kryphal_domain::Coverage> {
    state.with(|lib| lib.reopen_review(&doc_id))
}

/// What deleting a document would take (nothing is changed).
#[tauri::command]
async fn deletion_preview(
    state: State<'_, AppState>,
    doc_id: String,
) -> AppResult<kryphal_app::DeletionPreview> {
    state.with(|lib| lib.deletion_preview(&doc_id))
}

/// Deletes a document with everything on it (undoable in the session).
#[tauri::command]
async fn delete_document(
    state: State<'_, AppState>,
    doc_id: String,
) -> AppResult<kryphal_app::DeletionPreview> {
    state.with(|lib| lib.delete_document(&doc_id))
}

/// Gives a clause another number.
#[tauri::command]
async fn renumber_clause(
    state: State<'_, AppState>,
    clause_id: String,
    number: String,
) -> AppResult<Clause> {
    state.with(|lib| lib.renumber_clause(&clause_id, &number))
}

#[tauri::command]
async fn version_status(
    state: State<'_, AppState>,
    doc_id: String,
) -> AppResult<kryphal_app::VersionStatus> {
    state.with(|lib| lib.version_status(&doc_id))
}

#[tauri::command]
async fn link_as_version(
    state: State<'_, AppState>,
    doc_id: String,
    previous_id: String,
) -> AppResult<kryphal_app::VersionReport> {
    state.with(|lib| lib.link_as_version(&doc_id, &previous_id))
}

#[tauri::command]
async fn compare_versions(
    state: State<'_, AppState>,
    old_id: String,
    new_id: String,
) -> AppResult<kryphal_app::VersionComparison> {
    state.with(|lib| lib.compare_versions(&old_id, &new_id))
}

/// Writes the comparison of two versions (`md` or `docx`) where the save
/// dialog says; the file's name, or null when cancelled.
#[tauri::command]
async fn export_comparison(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    old_id: String,
    new_id: String,
    format: String,
) -> AppResult<Option<String>> {
    let name = state.with(|lib| lib.comparison_file_name(&old_id, &new_id, &format))?;
    let Some(target) = save_target(&app, &state, name, None).await? else {
        return Ok(None);
    };
    state.with(|lib| lib.export_comparison(&old_id, &new_id, &format, &target))?;
    Ok(Some(file_name_of(&target)))
}

#[tauri::command]
async fn resolve_carryover(
    state: State<'_, AppState>,
    finding_id: String,
    resolved: bool,
) -> AppResult<kryphal_domain::CarryOver> {
    state.with(|lib| lib.resolve_carryover(&finding_id, resolved))
}

/// The overview of a document's analysis, or of the whole library's when
/// `doc_id` is null.
#[tauri::command]
async fn overview(
    state: State<'_, AppState>,
    doc_id: Option<String>,
) -> AppResult<kryphal_app::Overview> {
    state.with(|lib| match doc_id {
        Some(id) => lib.overview(&id),
        None => lib.library_overview(),
    })
}

#[tauri::command]
async fn history(
    state: State<'_, AppState>,
    entity_id: Option<String>,
) -> AppResult<Vec<AuditEvent>> {
    state.with(|lib| lib.history(entity_id.as_deref()))
}

#[tauri::command]
async fn screen_document(state: State<'_, AppState>, doc_id: String) -> AppResult<ScreenReport> {
    state.with(|lib| lib.screen(&doc_id))
}

#[tauri::command]
fn rulebooks(state: State<'_, AppState>) -> AppResult<Vec<RulebookChoice>> {
    state.with(|lib| Ok(lib.rulebooks()))
}

#[tauri::command]
async fn screen_with(
    state: State<'_, AppState>,
    doc_id: String,
    pack_id: String,
) -> AppResult<ScreenReport> {
    state.with(|lib| lib.screen_with(&doc_id, &pack_id))
}

#[tauri::command]
async fn accept_suggestion(
    state: State<'_, AppState>,
    suggestion_id: String,
) -> AppResult<Finding> {
    state.with(|lib| lib.accept_suggestion(&suggestion_id))
}

#[tauri::command]
async fn dismiss_suggestion(
    state: State<'_, AppState>,
    suggestion_id: String,
    reason: String,
) -> AppResult<Suggestion> {
    state.with(|lib| lib.dismiss_suggestion(&suggestion_id, &reason))
}

#[tauri::command]
async fn reopen_suggestion(
    state: State<'_, AppState>,
    suggestion_id: String,
) -> AppResult<Suggestion> {
    state.with(|lib| lib.reopen_suggestion(&suggestion_id))
}

#[tauri::command]
async fn preferences() -> Preferences {
    Preferences::load()
}

/// Saves the preferences; a new user name applies to the next change at once.
#[tauri::command]
async fn set_preferences(state: State<'_, AppState>, prefs: Preferences) -> AppResult<Preferences> {
    prefs.save()?;
    let user = prefs.effective_user();
    if let Ok(lib) = &mut *state.lock() {
        lib.set_user(user);
    }
    Ok(prefs)
}

/// Takes back the latest edit of this session (null when there is none).
#[tauri::command]
async fn undo(state: State<'_, AppState>) -> AppResult<Option<UndoReport>> {
    state.with(|lib| lib.undo())
}

/// Makes again the edit undone last (null when there is none).
#[tauri::command]
async fn redo(state: State<'_, AppState>) -> AppResult<Option<UndoReport>> {
    state.with(|lib| lib.redo())
}

/// Searches the library (answers "building" while the index is built at start).
#[tauri::command]
async fn search(state: State<'_, AppState>, query: SearchQuery) -> AppResult<SearchAnswer> {
    state.with(|lib| lib.search(&query))
}

// ------------------------------------------------------------------ workshops

#[tauri::command]
async fn workshops(state: State<'_, AppState>, doc_id: String) -> AppResult<Vec<WorkshopSession>> {
    state.with(|lib| lib.workshops(&doc_id))
}

#[tauri::command]
async fn workshop(state: State<'_, AppState>, session_id: String) -> AppResult<WorkshopRecord> {
    state.with(|lib| lib.workshop(&session_id))
}

#[tauri::command]
async fn start_workshop(
    state: State<'_, AppState>,
    doc_id: String,
    title: String,
    held_on: Option<String>,
    attendees: Vec<String>,
) -> AppResult<WorkshopSession> {
    state.with(|lib| lib.start_workshop(&doc_id, &title, held_on.as_deref(), attendees))
}

#[tauri::command]
async fn set_workshop_attendees(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    session_id: String,
    attendees: Vec<String>,
) -> AppResult<WorkshopRecord> {
    let record = state.with(|lib| {
        lib.set_workshop_attendees(&session_id, attendees)?;
        lib.workshop(&session_id)
    })?;
    touch_presentation(&app, &state);
    Ok(record)
}

#[tauri::command]
async fn record_judgement(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    session_id: String,
    finding_id: String,
    likelihood: u8,
    impact: u8,
    note: String,
) -> AppResult<Judgement> {
    let j = state
        .with(|lib| lib.record_judgement(&session_id, &finding_id, likelihood, impact, &note))?;
    touch_presentation(&app, &state);
    Ok(j)
}

#[tauri::command]
async fn record_decision(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    session_id: String,
    clause_id: String,
    decision: DecisionKind,
    dissent: String,
) -> AppResult<Decision> {
    let d = state.with(|lib| lib.record_decision(&session_id, &clause_id, decision, &dissent))?;
    touch_presentation(&app, &state);
    Ok(d)
}

/// The facilitator's private note on a clause (never sent to the projector).
#[tauri::command]
async fn set_workshop_note(
    state: State<'_, AppState>,
    session_id: String,
    clause_id: String,
    text: String,
) -> AppResult<WorkshopNote> {
    state.with(|lib| lib.set_workshop_note(&session_id, &clause_id, &text))
}

#[tauri::command]
async fn end_workshop(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    session_id: String,
) -> AppResult<WorkshopRecord> {
    let record = state.with(|lib| {
        lib.end_workshop(&session_id)?;
        lib.workshop(&session_id)
    })?;
    touch_presentation(&app, &state);
    Ok(record)
}

/// Writes a session's minutes (`md` or `docx`) where the save dialog says;
/// returns the file's name, or null when cancelled.
#[tauri::command]
async fn export_minutes(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    session_id: String,
    format: String,
) -> AppResult<Option<String>> {
    let name = state.with(|lib| lib.minutes_file_name(&session_id, &format))?;
    let Some(target) = save_target(&app, &state, name, None).await? else {
        return Ok(None);
    };
    state.with(|lib| lib.export_minutes(&session_id, &format, &target))?;
    Ok(Some(file_name_of(&target)))
}

fn file_name_of(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

// ---------------------------------------------------------- presentation mode

fn emit_presentation(app: &tauri::AppHandle, state: Option<&PresentationState>) {
    if let Err(e) = app.emit(PRESENTATION_EVENT, state) {
        eprintln!("kryphal-desktop: could not tell the windows about the presentation: {e}");
    }
}

/// After a recorded judgement or decision, the projector reloads what it shows.
fn touch_presentation(app: &tauri::AppHandle, state: &AppState) {
    let _ = state.present(app, |p| {
        p.touch();
        Ok(())
    });
}

/// The screens the projector window can go on.
#[tauri::command]
async fn screens(app: tauri::AppHandle) -> AppResult<Vec<ScreenInfo>> {
    let monitors = app.available_monitors().map_err(|e| {
        AppError::new(
            ErrorCode::Internal,
            format!("The screens could not be listed: {e}."),
        )
    })?;
    let current = app
        .get_webview_window("main")
        .and_then(|w| w.current_monitor().ok().flatten())
        .map(|m| (m.position().x, m.position().y));
    Ok(monitors
        .iter()
        .enumerate()
        .map(|(i, m)| ScreenInfo {
            index: i as u32,
            name: m.name().cloned().unwrap_or_else(|| format!("{}", i + 1)),
            width: m.size().width,
            height: m.size().height,
            current: current == Some((m.position().x, m.position().y)),
        })
        .collect())
}

/// Turns presentation mode on: the projector window opens (fullscreen on
/// screen `screen`, or as a 1024×768 window when `screen` is null) and shows
/// the clause `start` of `agenda`. Opening again moves the existing window.
#[tauri::command]
// A command's parameters are its IPC arguments, named as the UI sends them.
#[allow(clippy::too_many_arguments)]
async fn presentation_open(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    doc_id: String,
    session_id: Option<String>,
    agenda: Vec<String>,
    start: Option<String>,
    screen: Option<u32>,
    theme: Option<PresentTheme>,
) -> AppResult<PresentationState> {
    let theme = theme.unwrap_or_default();
    let next = PresentationState::new(doc_id, session_id, agenda, start.as_deref(), theme)?;
    let monitor = match screen {
        None => None,
        Some(i) => {
            let monitors = app.available_monitors().unwrap_or_default();
            Some(monitors.into_iter().nth(i as usize).ok_or_else(|| {
                AppError::new(
                    ErrorCode::InvalidInput,
                    "That screen is no longer connected. Choose another.",
                )
            })?)
        }
    };
    *state.presentation() = Some(next.clone());
    let window = match app.get_webview_window(PRESENTER) {
        Some(w) => w,
        None => tauri::WebviewWindowBuilder::new(
            &app,
            PRESENTER,
            tauri::WebviewUrl::App("index.html".into()),
        )
        .title("Kryphål – presentation")
        .inner_size(1024.0, 768.0)
        .min_inner_size(640.0, 480.0)
        .disable_drag_drop_handler()
        .build()
        .map_err(|e| {
            *state.presentation() = None;
            AppError::new(
                ErrorCode::Internal,
                format!("The presentation window could not be opened: {e}."),
            )
        })?,
    };
    let placed = match &monitor {
        // Moved and sized to the screen first: a window manager then makes it
        // fullscreen there, and without one (a bare X server) it covers the screen anyway.
        Some(m) => window
            .set_fullscreen(false)
            .and_then(|()| window.set_position(*m.position()))
            .and_then(|()| window.set_size(*m.size()))
            .and_then(|()| window.set_fullscreen(true)),
        None => window.set_fullscreen(false),
    };
    if let Err(e) = placed {
        eprintln!("kryphal-desktop: could not place the presentation window: {e}");
    }
    let _ = window.set_focus();
    emit_presentation(&app, Some(&next));
    Ok(next)
}

/// The presentation as it is, or null when presentation mode is off.
#[tauri::command]
async fn presentation_state(state: State<'_, AppState>) -> AppResult<Option<PresentationState>> {
    Ok(state.presentation().clone())
}

/// Moves on the agenda (from either window; both follow).
#[tauri::command]
async fn presentation_go(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    to: PresentMove,
) -> AppResult<PresentationState> {
    state.present(&app, |p| p.go(&to))
}

/// Blanks (true), shows (false) or toggles (null) the projected screen.
#[tauri::command]
async fn presentation_blank(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    blank: Option<bool>,
) -> AppResult<PresentationState> {
    state.present(&app, |p| {
        p.set_blank(blank);
        Ok(())
    })
}

#[tauri::command]
async fn presentation_theme(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    theme: PresentTheme,
) -> AppResult<PresentationState> {
    state.present(&app, |p| {
        p.set_theme(theme);
        Ok(())
    })
}

/// Turns presentation mode off and closes the projector window.
#[tauri::command]
async fn presentation_close(app: tauri::AppHandle, state: State<'_, AppState>) -> AppResult<()> {
    *state.presentation() = None;
    if let Some(w) = app.get_webview_window(PRESENTER) {
        let _ = w.destroy();
    }
    emit_presentation(&app, None);
    Ok(())
}

/// Called by the UI once the document list is painted; prints the time since
/// start for `scripts/measure-startup.sh`.
#[tauri::command]
fn ui_ready(state: State<'_, AppState>) {
    println!("KRYPHAL_READY {}", state.started.elapsed().as_millis());
}

/// `--NAME PATH` (or `--NAME=PATH`) from the command line: the first one.
fn path_arg(name: &str) -> AppResult<Option<PathBuf>> {
    Ok(path_args(name)?.into_iter().next())
}

/// Every `--NAME PATH` (or `--NAME=PATH`) from the command line, in order.
fn path_args(name: &str) -> AppResult<Vec<PathBuf>> {
    let mut args = std::env::args_os().skip(1);
    let flag = format!("--{name}");
    let mut found = Vec::new();
    while let Some(arg) = args.next() {
        let arg = arg.to_string_lossy().into_owned();
        if arg == flag {
            let path = args.next().ok_or_else(|| {
                AppError::new(ErrorCode::InvalidInput, format!("{flag} needs a path."))
            })?;
            found.push(PathBuf::from(path));
        } else if let Some(p) = arg.strip_prefix(&format!("{flag}=")) {
            found.push(PathBuf::from(p));
        }
    }
    Ok(found)
}

/// Opens the library named on the command line (or the default one); an
/// encrypted one needs `passphrase` (without it: `library_locked`, and the
/// UI asks for it).
fn open_library(passphrase: Option<&Passphrase>) -> AppResult<Library> {
    if let Some(dir) = path_arg("config-dir")? {
        kryphal_app::prefs::use_config_dir(dir);
    }
    let path = kryphal_app::resolve_library_path(path_arg("library")?);
    let mut lib = Library::open_with(&path, Preferences::load().effective_user(), passphrase)?;
    if let Some(dir) = kryphal_app::resolve_rulebook_dir(path_arg("rulebook")?)
        && let Some(warning) = lib.use_rulebook_dir(&dir)
    {
        eprintln!("kryphal-desktop: {warning}");
    }
    lib.ensure_sample()?;
    // Opens the search index and, when it is missing, stale or damaged,
    // rebuilds it on a background thread; the window does not wait.
    lib.start_search(true);
    Ok(lib)
}

/// Claims the library for this process, or hands the file it was started
/// with to the app already running on that library. `None` when this
/// process is to exit.
fn claim_library() -> Option<Option<instance::Instance>> {
    let path = kryphal_app::resolve_library_path(path_arg("library").ok().flatten());
    let opened = kryphal_app::opened::opened_path(std::env::args_os());
    match instance::claim(&path, opened.as_deref()) {
        instance::Claim::First(i) => Some(Some(i)),
        instance::Claim::HandedOver => {
            // A line the install test (tests/install-deb.sh) waits for.
            println!("KRYPHAL_HANDED_OVER");
            eprintln!(
                "kryphal-desktop: Kryphål already runs on {}; it was brought forward{}.",
                path.display(),
                if opened.is_some() {
                    " with the file"
                } else {
                    ""
                }
            );
            None
        }
        instance::Claim::Alone(why) => {
            eprintln!("kryphal-desktop: a second start will open a second window ({why}).");
            Some(None)
        }
    }
}

/// A request from a second start: the file to offer, and the main window forward.
fn handed_over(app: &tauri::AppHandle, request: instance::Request) {
    if let instance::Request::Open(path) = request {
        eprintln!("kryphal-desktop: handed {}", path.display());
        app.state::<opened::OpenedAtStart>().replace(path);
        if let Err(e) = app.emit(opened::OPENED_EVENT, ()) {
            eprintln!("kryphal-desktop: could not tell the window about the file: {e}");
        }
    }
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// The window is Microsoft's WebView2 on Windows. Without its runtime the
/// window cannot open: say so, and what IT must install, in a message box
/// (a GUI-subsystem program has no console for a panic message to reach).
#[cfg(windows)]
fn check_webview2() -> bool {
    let Err(e) = tauri::webview_version() else {
        return true;
    };
    kryphal_platform::notice::show_error(
        "Kryphål",
        &format!(
            "Kryphål kan inte starta: Microsoft Edge WebView2 Runtime saknas på den här datorn.\n\
             Be IT-avdelningen installera \"Microsoft Edge WebView2 Runtime\" (Evergreen, \
             det fristående installationsprogrammet för x64: \
             MicrosoftEdgeWebView2RuntimeInstallerX64.exe /silent /install). \
             Windows 11 har den redan.\n\n\
             Kryphål cannot start: the Microsoft Edge WebView2 Runtime is missing on this computer.\n\
             Ask your IT department to install \"Microsoft Edge WebView2 Runtime\" (Evergreen, \
             the x64 standalone installer: \
             MicrosoftEdgeWebView2RuntimeInstallerX64.exe /silent /install). \
             Windows 11 already has it.\n\n({e})"
        ),
    );
    false
}

fn main() {
    let started = Instant::now();
    #[cfg(windows)]
    if !check_webview2() {
        std::process::exit(3);
    }
    let Some(instance) = claim_library() else {
        return;
    };
    let instance_guard: Mutex<Option<instance::InstanceGuard>> = Mutex::new(None);
    let library = open_library(None);
    if let Err(e) = &library
        && e.code != ErrorCode::LibraryLocked
    {
        eprintln!("kryphal-desktop: {}", e.message);
    }
    let export_dir = path_arg("export-dir").unwrap_or_else(|e| {
        eprintln!("kryphal-desktop: {}", e.message);
        None
    });
    let open_files = match path_args("open-file") {
        Ok(paths) if paths.is_empty() => None,
        Ok(paths) => Some(Mutex::new(VecDeque::from(paths))),
        Err(e) => {
            eprintln!("kryphal-desktop: {}", e.message);
            None
        }
    };
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState {
            library: Mutex::new(library),
            started,
            export_dir,
            open_files,
            presentation: Mutex::new(None),
            pending_bundle: Mutex::new(None),
        })
        .manage(opened::OpenedAtStart::from_args())
        .manage(word::LastExport::default())
        .setup(move |app| {
            if let Some(instance) = instance {
                let handle = app.handle().clone();
                let guard = instance.serve(move |request| handed_over(&handle, request));
                *instance_guard.lock().unwrap_or_else(|p| p.into_inner()) = Some(guard);
                app.manage(instance_guard);
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            if !matches!(event, tauri::WindowEvent::Destroyed) {
                return;
            }
            let app = window.app_handle();
            match window.label() {
                // The projector closed by the window manager: presentation mode ends.
                PRESENTER => {
                    let state = app.state::<AppState>();
                    let was_on = state.presentation().take().is_some();
                    if was_on {
                        emit_presentation(app, None);
                    }
                }
                // The main window gone: the projector must not keep the app alive,
                // and a new start on this library must not be handed to an app that ends.
                "main" => {
                    if let Some(guard) = app.try_state::<Mutex<Option<instance::InstanceGuard>>>() {
                        drop(guard.lock().unwrap_or_else(|p| p.into_inner()).take());
                    }
                    if let Some(w) = app.get_webview_window(PRESENTER) {
                        let _ = w.destroy();
                    }
                }
                _ => {}
            }
        })
        .invoke_handler(tauri::generate_handler![
            app_info,
            unlock_library,
            rulebook,
            list_documents,
            get_document,
            overview,
            version_status,
            link_as_version,
            compare_versions,
            export_comparison,
            resolve_carryover,
            add_finding,
            update_finding,
            delete_finding,
            add_comment,
            ui_ready,
            import_file,
            import_file_replacing,
            update_metadata,
            split_clause,
            merge_with_next,
            promote_clause,
            demote_section,
            move_clause,
            renumber_clause,
            set_verdicts,
            set_section_verdict,
            mark_final,
            reopen_review,
            deletion_preview,
            delete_document,
            history,
            screen_document,
            rulebooks,
            screen_with,
            accept_suggestion,
            dismiss_suggestion,
            reopen_suggestion,
            undo,
            redo,
            preferences,
            set_preferences,
            export_document,
            export_preview,
            export_overview_image,
            export_settings,
            set_export_settings,
            search,
            workshops,
            workshop,
            start_workshop,
            set_workshop_attendees,
            record_judgement,
            record_decision,
            set_workshop_note,
            end_workshop,
            export_minutes,
            screens,
            presentation_open,
            presentation_state,
            presentation_go,
            presentation_blank,
            presentation_theme,
            presentation_close,
            exchange::export_bundle,
            exchange::import_bundle,
            exchange::import_bundle_unlock,
            exchange::import_bundle_bytes,
            exchange::list_conflicts,
            exchange::resolve_conflict,
            exchange::list_record_conflicts,
            exchange::resolve_record_conflict,
            exchange::backup_library,
            exchange::restore_library,
            opened::opened_file,
            opened::import_opened_bundle,
            word::memo_fields,
            word::set_memo_fields,
            word::export_template,
            word::choose_export_template,
            word::clear_export_template,
            word::preview_review,
            word::import_review,
            word::clause_notes,
            word::review_decisions,
            word::open_export,
        ])
        .run(tauri::generate_context!())
        .expect("the Tauri runtime failed to start");
}
