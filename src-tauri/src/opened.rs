//! The file the app was started with (a `.kryphal` file opened from the file
//! manager: the desktop entry runs `kryphal-desktop %f`). The shell keeps
//! its path; the UI asks at start what it is (a name and a kind, never the
//! path) and, if the user agrees, has the shell import it as a bundle.

use std::path::PathBuf;
use std::sync::Mutex;

use kryphal_app::{AppError, AppResult, BundleImportReport, ErrorCode, OpenedFile};
use tauri::State;

use crate::AppState;

/// Emitted when a second start handed a file over (see `instance.rs`): the
/// UI asks `opened_file` again.
#[cfg_attr(not(unix), allow(dead_code))]
pub const OPENED_EVENT: &str = "opened-file";

/// The path given on the command line (or handed over by a second start),
/// until it has been imported.
pub struct OpenedAtStart(Mutex<Option<PathBuf>>);

impl OpenedAtStart {
    pub fn from_args() -> Self {
        let path = kryphal_app::opened::opened_path(std::env::args_os());
        if let Some(path) = &path {
            eprintln!("kryphal-desktop: started with {}", path.display());
        }
        Self(Mutex::new(path))
    }

    /// A file handed over by a second start replaces one not yet imported.
    #[cfg_attr(not(unix), allow(dead_code))]
    pub fn replace(&self, path: PathBuf) {
        *self.path() = Some(path);
    }

    fn path(&self) -> std::sync::MutexGuard<'_, Option<PathBuf>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The file the app was started with, or null.
#[tauri::command]
pub async fn opened_file(opened: State<'_, OpenedAtStart>) -> AppResult<Option<OpenedFile>> {
    let described = opened
        .path()
        .as_deref()
        .and_then(kryphal_app::opened::describe);
    if let Some(file) = &described {
        // A line the install test (tests/install-deb.sh) waits for.
        println!("KRYPHAL_OPENED {:?} {}", file.kind, file.name);
    }
    Ok(described)
}

/// Imports the file the app was started with as a bundle (once).
#[tauri::command]
pub async fn import_opened_bundle(
    state: State<'_, AppState>,
    opened: State<'_, OpenedAtStart>,
) -> AppResult<BundleImportReport> {
    let path = opened.path().take().ok_or_else(|| {
        AppError::new(
            ErrorCode::InvalidInput,
            "Kryphål was not started with a file to import.",
        )
    })?;
    let report = state.with(|lib| lib.import_bundle_file(&path))?;
    println!("KRYPHAL_IMPORTED {}", report.documents.len());
    Ok(report)
}
