//! Commands for exchanging analyses: bundles, conflicts, backup and
//! restore. As everywhere in the shell: lock, call `kryphal-app`, return.
//! Paths come from native dialogs opened here on the Rust side, so the UI
//! never names a path.

use kryphal_app::{AppResult, BackupReport, BundleExportReport, BundleImportReport, RestoreReport};
use kryphal_domain::{FindingInput, MergeConflict, RecordConflict, Resolution};
use tauri::State;

use crate::{AppState, open_target, save_target};

/// Writes the chosen documents to one bundle file. Null when cancelled.
#[tauri::command]
pub async fn export_bundle(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    doc_ids: Vec<String>,
) -> AppResult<Option<BundleExportReport>> {
    let name = state.with(|lib| lib.bundle_file_name(&doc_ids))?;
    let Some(target) = save_target(&app, &state, name, Some("Kryphål bundle")).await? else {
        return Ok(None);
    };
    state
        .with(|lib| lib.export_bundle(&doc_ids, &target))
        .map(Some)
}

/// Merges a bundle the user picks. Null when cancelled.
#[tauri::command]
pub async fn import_bundle(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> AppResult<Option<BundleImportReport>> {
    let Some(path) = open_target(&app, &state, "Kryphål bundle", "kryphal").await? else {
        return Ok(None);
    };
    state.with(|lib| lib.import_bundle_file(&path)).map(Some)
}

/// Merges a bundle given as bytes (a dropped file), named `name`.
#[tauri::command]
pub async fn import_bundle_bytes(
    state: State<'_, AppState>,
    name: String,
    bytes: Vec<u8>,
) -> AppResult<BundleImportReport> {
    state.with(|lib| lib.import_bundle(&name, &bytes))
}

#[tauri::command]
pub async fn list_conflicts(
    state: State<'_, AppState>,
    all: bool,
) -> AppResult<Vec<MergeConflict>> {
    state.with(|lib| lib.conflicts(all))
}

#[tauri::command]
pub async fn resolve_conflict(
    state: State<'_, AppState>,
    id: String,
    keep: Resolution,
    combined: Option<FindingInput>,
) -> AppResult<MergeConflict> {
    state.with(|lib| lib.resolve_conflict(&id, keep, combined))
}

/// The conflicts about metadata and suggestions' decisions.
#[tauri::command]
pub async fn list_record_conflicts(
    state: State<'_, AppState>,
    all: bool,
) -> AppResult<Vec<RecordConflict>> {
    state.with(|lib| lib.record_conflicts(all))
}

#[tauri::command]
pub async fn resolve_record_conflict(
    state: State<'_, AppState>,
    id: String,
    keep: Resolution,
) -> AppResult<RecordConflict> {
    state.with(|lib| lib.resolve_record_conflict(&id, keep))
}

/// Backs the library up to a file the user chooses. Null when cancelled.
#[tauri::command]
pub async fn backup_library(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> AppResult<Option<BackupReport>> {
    let name = state.with(|lib| Ok(lib.backup_file_name()))?;
    let Some(target) = save_target(&app, &state, name, Some("Kryphål library")).await? else {
        return Ok(None);
    };
    state.with(|lib| lib.backup(&target)).map(Some)
}

/// Replaces the library with a backup the user picks (the current one is
/// kept aside first). Null when cancelled.
#[tauri::command]
pub async fn restore_library(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> AppResult<Option<RestoreReport>> {
    let Some(path) = open_target(&app, &state, "Kryphål library", "kryphal").await? else {
        return Ok(None);
    };
    state.with(|lib| lib.restore(&path)).map(Some)
}
