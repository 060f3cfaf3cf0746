//! Commands for exchanging analyses: bundles, conflicts, backup and
//! restore. As everywhere in the shell: lock, call `kryphal-app`, return.
//! Paths come from native dialogs opened here on the Rust side, so the UI
//! never names a path.

use kryphal_app::{
    AppError, AppResult, BackupReport, BundleExportReport, BundleImportReport, ErrorCode,
    Passphrase, RestoreReport,
};
use kryphal_domain::{FindingInput, MergeConflict, RecordConflict, Resolution};
use tauri::State;

use crate::{AppState, open_target, save_target};

/// Writes the chosen documents to one bundle file, encrypted with
/// `passphrase` when one is given. Null when cancelled.
#[tauri::command]
pub async fn export_bundle(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    doc_ids: Vec<String>,
    passphrase: Option<String>,
) -> AppResult<Option<BundleExportReport>> {
    let passphrase = passphrase.map(Passphrase::new);
    let name = state.with(|lib| lib.bundle_file_name(&doc_ids))?;
    let Some(target) = save_target(&app, &state, name, Some("Kryphål bundle")).await? else {
        return Ok(None);
    };
    state
        .with(|lib| lib.export_bundle_with(&doc_ids, &target, passphrase.as_ref()))
        .map(Some)
}

/// Merges a bundle the user picks. Null when cancelled. An encrypted
/// bundle answers `passphrase_required` and is remembered for
/// [`import_bundle_unlock`] (the UI never names the path).
#[tauri::command]
pub async fn import_bundle(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> AppResult<Option<BundleImportReport>> {
    let Some(path) = open_target(&app, &state, "Kryphål bundle", "kryphal").await? else {
        return Ok(None);
    };
    *state.pending_bundle() = None;
    state
        .with(|lib| {
            lib.import_bundle_file_with(&path, || {
                *state.pending_bundle() = Some(path.clone());
                Err(AppError::new(
                    ErrorCode::PassphraseRequired,
                    "The bundle is encrypted: give its passphrase to import it. Nothing was imported.",
                ))
            })
        })
        .map(Some)
}

/// Imports the encrypted bundle last picked with `import_bundle`, with its
/// passphrase. A wrong passphrase keeps the bundle for another try.
#[tauri::command]
pub async fn import_bundle_unlock(
    state: State<'_, AppState>,
    passphrase: String,
) -> AppResult<BundleImportReport> {
    let passphrase = Passphrase::new(passphrase);
    let path = state.pending_bundle().clone().ok_or_else(|| {
        AppError::new(
            ErrorCode::InvalidInput,
            "No encrypted bundle is waiting to be imported; choose it again.",
        )
    })?;
    let result = state.with(|lib| lib.import_bundle_file_with(&path, || Ok(passphrase)));
    if !matches!(&result, Err(e) if e.code == ErrorCode::WrongPassphrase) {
        *state.pending_bundle() = None;
    }
    result
}

/// Merges a bundle given as bytes (a dropped file), named `name`.
#[tauri::command]
pub async fn import_bundle_bytes(
    state: State<'_, AppState>,
    name: String,
    bytes: Vec<u8>,
) -> AppResult<BundleImportReport> {
    state.with(|lib| lib.import_bundle_with(&name, &bytes, None))
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
