//! Commands for the Word round trip and the memo's settings: the memo
//! fields of a document, the municipality's template (chosen with the open
//! dialog on the Rust side), reading a reviewed Word file back (its bytes
//! come from the UI's file input, as for an import), the notes and
//! decisions that came back, and opening the file just exported or its
//! folder. As everywhere in the shell: lock, call `kryphal-app`, return.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use kryphal_app::{
    AppError, AppResult, ErrorCode, MemoFields, MemoFieldsView, ReviewPreview, TemplateStatus,
};
use kryphal_domain::{ClauseNote, ReviewDecision};
use tauri::State;

use crate::{AppState, open_target};

/// The file the last export wrote, for "Öppna" and "Visa i mappen".
#[derive(Default)]
pub struct LastExport(pub Mutex<Option<PathBuf>>);

impl LastExport {
    pub fn set(&self, path: PathBuf) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(path);
    }

    fn get(&self) -> Option<PathBuf> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// A document's memo fields as saved, and the generated ones.
#[tauri::command]
pub async fn memo_fields(state: State<'_, AppState>, doc_id: String) -> AppResult<MemoFieldsView> {
    state.with(|lib| lib.memo_fields(&doc_id))
}

/// Saves a document's memo fields (audited).
#[tauri::command]
pub async fn set_memo_fields(
    state: State<'_, AppState>,
    doc_id: String,
    fields: MemoFields,
) -> AppResult<MemoFieldsView> {
    state.with(|lib| lib.set_memo_fields(&doc_id, &fields))
}

/// The memo template chosen for the library, if any.
#[tauri::command]
pub async fn export_template(state: State<'_, AppState>) -> AppResult<Option<TemplateStatus>> {
    state.with(|lib| lib.export_template())
}

/// Lets the user pick a Word template (.dotx or .docx) in the open dialog
/// and keeps it for the library. Null when cancelled (nothing changes).
#[tauri::command]
pub async fn choose_export_template(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> AppResult<Option<TemplateStatus>> {
    let Some(path) = open_target(&app, &state, "Word-mall", "dotx").await? else {
        return Ok(None);
    };
    state.with(|lib| lib.set_export_template(Some(&path)))
}

/// Goes back to Kryphål's own layout.
#[tauri::command]
pub async fn clear_export_template(state: State<'_, AppState>) -> AppResult<()> {
    state.with(|lib| lib.set_export_template(None).map(|_| ()))
}

/// The bytes of a reviewed file and its name, from the raw request body
/// and the `x-kryphal-file-name` header (percent-encoded), as `import_file`.
fn reviewed_file(request: &tauri::ipc::Request<'_>) -> AppResult<(String, Vec<u8>)> {
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
    Ok((name, bytes.clone()))
}

/// What reading a reviewed Word file would do; stores nothing.
#[tauri::command]
pub async fn preview_review(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> AppResult<ReviewPreview> {
    let (name, bytes) = reviewed_file(&request)?;
    state.with(|lib| lib.review_preview(&name, &bytes))
}

/// Reads a reviewed Word file into the library as one change (undoable).
#[tauri::command]
pub async fn import_review(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> AppResult<ReviewPreview> {
    let (name, bytes) = reviewed_file(&request)?;
    state.with(|lib| lib.import_review(&name, &bytes, false))
}

/// A document's notes from reviewed files.
#[tauri::command]
pub async fn clause_notes(
    state: State<'_, AppState>,
    doc_id: String,
) -> AppResult<Vec<ClauseNote>> {
    state.with(|lib| lib.clause_notes(&doc_id))
}

/// The reviewers' decisions on a document's findings.
#[tauri::command]
pub async fn review_decisions(
    state: State<'_, AppState>,
    doc_id: String,
) -> AppResult<Vec<ReviewDecision>> {
    state.with(|lib| lib.review_decisions(&doc_id))
}

/// Opens the file the last export wrote (`what` = `file`) in the program
/// the system has for it, or shows it in its folder (`folder`). With the
/// test hook `--export-dir DIR` nothing is launched: the request is written
/// to `DIR/.opened` (one line, `file PATH` or `folder PATH`) for the
/// end-to-end tests to read.
#[tauri::command]
pub async fn open_export(
    state: State<'_, AppState>,
    last: State<'_, LastExport>,
    what: String,
) -> AppResult<()> {
    let path = last.get().ok_or_else(|| {
        AppError::new(
            ErrorCode::NotFound,
            "Nothing has been exported yet in this session.",
        )
    })?;
    if !path.exists() {
        return Err(AppError::new(
            ErrorCode::NotFound,
            format!("{} is no longer there.", path.display()),
        ));
    }
    let folder = match what.as_str() {
        "file" => false,
        "folder" => true,
        other => {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!("“{other}” is neither file nor folder."),
            ));
        }
    };
    if let Some(dir) = &state.export_dir {
        use std::io::Write;
        let mut log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(".opened"))
            .map_err(|e| AppError::new(ErrorCode::Io, e.to_string()))?;
        writeln!(
            log,
            "{} {}",
            if folder { "folder" } else { "file" },
            path.display()
        )
        .map_err(|e| AppError::new(ErrorCode::Io, e.to_string()))?;
        return Ok(());
    }
    launch(&path, folder)
}

/// Hands `path` to the desktop: the program for its type, or its folder
/// with the file selected where the system can do that.
fn launch(path: &Path, folder: bool) -> AppResult<()> {
    use std::process::{Command, Stdio};
    let spawn = |cmd: &mut Command| {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map(|_| ())
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let result = if cfg!(target_os = "windows") {
        if folder {
            spawn(Command::new("explorer").arg(format!("/select,{}", path.display())))
        } else {
            spawn(Command::new("explorer").arg(path))
        }
    } else if cfg!(target_os = "macos") {
        if folder {
            spawn(Command::new("open").arg("-R").arg(path))
        } else {
            spawn(Command::new("open").arg(path))
        }
    } else if folder {
        // The file manager's ShowItems selects the file; else open the folder.
        let uri = format!(
            "array:string:file://{}",
            percent_encoding::utf8_percent_encode(
                &path.display().to_string(),
                percent_encoding::NON_ALPHANUMERIC
            )
            .to_string()
            .replace("%2F", "/")
        );
        let shown = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.FileManager1",
                "--type=method_call",
                "/org/freedesktop/FileManager1",
                "org.freedesktop.FileManager1.ShowItems",
            ])
            .arg(uri)
            .arg("string:")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if shown {
            Ok(())
        } else {
            spawn(Command::new("xdg-open").arg(dir))
        }
    } else {
        spawn(Command::new("xdg-open").arg(path))
    };
    result.map_err(|e| {
        AppError::new(
            ErrorCode::Io,
            format!("The system could not open {}: {e}.", path.display()),
        )
    })
}
