//! The Kryphål desktop app: a thin Tauri 2 shell. Each command takes the
//! shared state, calls `kryphal-app`, and returns its value or its
//! `{code, message}` error. No business logic lives here.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use kryphal_app::{
    AppError, AppInfo, AppResult, DocumentSummary, DocumentView, ErrorCode, Library, RulebookData,
};
use kryphal_app::{
    ExportChoices, ExportSettings, ImportReport, Preferences, ScreenReport, UndoReport,
};
use kryphal_app::{SearchAnswer, SearchQuery};
use kryphal_domain::{
    AuditEvent, Clause, Document, DocumentMeta, Finding, FindingInput, Suggestion,
};
use tauri::State;

/// The open library, or why it could not be opened (shown by the UI).
struct AppState {
    library: Mutex<AppResult<Library>>,
    started: Instant,
    /// Test hook `--export-dir DIR`: exports go to `DIR/<suggested name>`
    /// without the save dialog (WebDriver cannot drive a native file chooser).
    export_dir: Option<PathBuf>,
}

impl AppState {
    fn lock(&self) -> MutexGuard<'_, AppResult<Library>> {
        // A panic in another command must not make the library unusable.
        self.library.lock().unwrap_or_else(|p| p.into_inner())
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

/// Imports one file whose bytes are the raw request body; the file name is
/// in the `x-kryphal-file-name` header (percent-encoded). The UI reads files
/// only through the file dialog or a drop, so the shell never opens paths
/// the UI names.
#[tauri::command]
async fn import_file(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> AppResult<ImportReport> {
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
    // Documents are never JSON: a `.json` file is a Kryphål analysis.
    if name.to_lowercase().ends_with(".json") {
        return state.with(|lib| lib.import_analysis(bytes));
    }
    state.with(|lib| lib.import_bytes(&name, bytes))
}

/// Exports a document: Rust shows the native save dialog (the UI never
/// names a path), then writes the file atomically. Returns the file's name,
/// or null when the user cancelled the dialog. With `--export-dir DIR` (a
/// test hook) the file goes to `DIR/<suggested name>` without a dialog.
#[tauri::command]
async fn export_document(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    doc_id: String,
    format: String,
    choices: ExportChoices,
) -> AppResult<Option<String>> {
    // A bad format, variant or language is refused before any dialog opens.
    let name = state.with(|lib| lib.export_file_name(&doc_id, &format, &choices))?;
    let target = match &state.export_dir {
        Some(dir) => dir.join(&name),
        None => {
            use tauri_plugin_dialog::DialogExt;
            let extension = name.rsplit('.').next().unwrap_or_default().to_string();
            let picked = tauri::async_runtime::spawn_blocking(move || {
                let mut dialog = app
                    .dialog()
                    .file()
                    .set_file_name(&name)
                    .add_filter(extension.to_uppercase(), &[extension.as_str()]);
                // Modal to the app's window, not a stray window of its own.
                if let Some(window) = tauri::Manager::get_webview_window(&app, "main") {
                    dialog = dialog.set_parent(&window);
                }
                dialog.blocking_save_file()
            })
            .await
            .map_err(|e| {
                AppError::new(ErrorCode::Internal, format!("The save dialog failed: {e}."))
            })?;
            let Some(picked) = picked else {
                return Ok(None);
            };
            picked.into_path().map_err(|e| {
                AppError::new(
                    ErrorCode::InvalidInput,
                    format!("The chosen place cannot be written to as a file: {e}."),
                )
            })?
        }
    };
    let report = state.with(|lib| lib.export(&doc_id, &format, &choices, &target))?;
    Ok(Some(report.file_name))
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

/// The overview of a document's analysis.
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

#[tauri::command]
async fn resolve_carryover(
    state: State<'_, AppState>,
    finding_id: String,
    resolved: bool,
) -> AppResult<kryphal_domain::CarryOver> {
    state.with(|lib| lib.resolve_carryover(&finding_id, resolved))
}

#[tauri::command]
async fn overview(state: State<'_, AppState>, doc_id: String) -> AppResult<kryphal_app::Overview> {
    state.with(|lib| lib.overview(&doc_id))
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

/// Called by the UI once the document list is painted; prints the time since
/// start for `scripts/measure-startup.sh`.
#[tauri::command]
fn ui_ready(state: State<'_, AppState>) {
    println!("KRYPHAL_READY {}", state.started.elapsed().as_millis());
}

/// `--NAME PATH` (or `--NAME=PATH`) from the command line.
fn path_arg(name: &str) -> AppResult<Option<PathBuf>> {
    let mut args = std::env::args_os().skip(1);
    let flag = format!("--{name}");
    while let Some(arg) = args.next() {
        let arg = arg.to_string_lossy().into_owned();
        if arg == flag {
            return args.next().map(|p| Some(PathBuf::from(p))).ok_or_else(|| {
                AppError::new(ErrorCode::InvalidInput, format!("{flag} needs a path."))
            });
        }
        if let Some(p) = arg.strip_prefix(&format!("{flag}=")) {
            return Ok(Some(PathBuf::from(p)));
        }
    }
    Ok(None)
}

fn open_library() -> AppResult<Library> {
    if let Some(dir) = path_arg("config-dir")? {
        kryphal_app::prefs::use_config_dir(dir);
    }
    let path = kryphal_app::resolve_library_path(path_arg("library")?);
    let mut lib = Library::open(&path, Preferences::load().effective_user())?;
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

fn main() {
    let started = Instant::now();
    let library = open_library();
    if let Err(e) = &library {
        eprintln!("kryphal-desktop: {}", e.message);
    }
    let export_dir = path_arg("export-dir").unwrap_or_else(|e| {
        eprintln!("kryphal-desktop: {}", e.message);
        None
    });
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState {
            library: Mutex::new(library),
            started,
            export_dir,
        })
        .invoke_handler(tauri::generate_handler![
            app_info,
            rulebook,
            list_documents,
            get_document,
            overview,
            version_status,
            link_as_version,
            compare_versions,
            resolve_carryover,
            add_finding,
            update_finding,
            delete_finding,
            add_comment,
            ui_ready,
            import_file,
            update_metadata,
            split_clause,
            merge_with_next,
            history,
            screen_document,
            accept_suggestion,
            dismiss_suggestion,
            reopen_suggestion,
            undo,
            redo,
            preferences,
            set_preferences,
            export_document,
            export_settings,
            set_export_settings,
            search,
        ])
        .run(tauri::generate_context!())
        .expect("the Tauri runtime failed to start");
}
