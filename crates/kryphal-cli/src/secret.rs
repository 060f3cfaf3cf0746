//! Passphrases on the command line: read from a file (`--passphrase-file`,
//! `KRYPHAL_PASSPHRASE_FILE`, for scripts) or typed on the terminal without
//! echo — never taken as an argument's value, where it would show in the
//! shell history and the process list. The passphrase is never printed.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use kryphal_app::{AppError, ErrorCode, Library, LibraryFileKind, Passphrase};

/// The passphrase file given on the command line, else in `env`.
pub fn file_from(explicit: Option<PathBuf>, env: &str) -> Option<PathBuf> {
    explicit.or_else(|| {
        std::env::var_os(env)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
}

/// Reads a passphrase file (its one trailing line break is not part of it).
fn read_file(path: &Path) -> Result<Passphrase, AppError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        AppError::new(
            ErrorCode::Io,
            format!(
                "Cannot read the passphrase file {}: {}.",
                path.display(),
                kryphal_app::io_reason(&e)
            ),
        )
    })?;
    let passphrase = Passphrase::new(text);
    if passphrase.is_empty() {
        return Err(AppError::new(
            ErrorCode::InvalidInput,
            format!(
                "The passphrase file {} is empty; put the passphrase in it.",
                path.display()
            ),
        ));
    }
    Ok(passphrase)
}

/// Whether a passphrase can be asked for: a person at a terminal.
fn interactive() -> bool {
    std::io::stdin().is_terminal()
}

/// Asks on the terminal, without echo.
fn prompt(text: &str) -> Result<Passphrase, AppError> {
    let typed = rpassword::prompt_password(text).map_err(|e| {
        AppError::new(
            ErrorCode::Io,
            format!("The passphrase could not be read from the terminal ({e})."),
        )
    })?;
    let passphrase = Passphrase::new(typed);
    if passphrase.is_empty() {
        return Err(AppError::new(
            ErrorCode::InvalidInput,
            "No passphrase was typed; nothing was done.",
        ));
    }
    Ok(passphrase)
}

/// Opens the library at `path`: an encrypted one with the passphrase from
/// `file`, else asked on the terminal.
pub fn open_library(path: &Path, user: String, file: Option<&Path>) -> Result<Library, AppError> {
    let passphrase = match (LibraryFileKind::of(path), file) {
        (_, Some(file)) => Some(read_file(file)?),
        (LibraryFileKind::Encrypted, None) if interactive() => {
            Some(prompt(&format!("Passphrase for {}: ", path.display()))?)
        }
        _ => None,
    };
    Library::open_with(path, user, passphrase.as_ref()).map_err(|mut e| {
        if e.code == ErrorCode::LibraryLocked {
            e.message.push_str(
                " Give its passphrase with --passphrase-file FILE or KRYPHAL_PASSPHRASE_FILE, or run kryphal in a terminal to type it.",
            );
        }
        e
    })
}

/// A new passphrase for `what`: from `file`, else typed twice on the terminal.
pub fn new_passphrase(file: Option<&Path>, what: &str) -> Result<Passphrase, AppError> {
    if let Some(file) = file {
        return read_file(file);
    }
    if !interactive() {
        return Err(AppError::new(
            ErrorCode::InvalidInput,
            format!(
                "A passphrase for {what} is needed: give it in a file (see --help) or run kryphal in a terminal to type it. Nothing was written."
            ),
        ));
    }
    let first = prompt(&format!("New passphrase for {what}: "))?;
    let second = prompt("Type it again: ")?;
    if first.expose() != second.expose() {
        return Err(AppError::new(
            ErrorCode::InvalidInput,
            "The two passphrases typed differ; nothing was written.",
        ));
    }
    Ok(first)
}

/// The passphrase of the encrypted `kind` at `path`: from `file`, else
/// asked on the terminal.
pub fn existing_passphrase(
    file: Option<&Path>,
    path: &Path,
    kind: &str,
) -> Result<Passphrase, AppError> {
    if let Some(file) = file {
        return read_file(file);
    }
    if !interactive() {
        return Err(AppError::new(
            ErrorCode::PassphraseRequired,
            format!(
                "{} is an encrypted {kind}: give its passphrase with --bundle-passphrase-file FILE or KRYPHAL_BUNDLE_PASSPHRASE_FILE, or run kryphal in a terminal to type it. Nothing was imported.",
                path.display()
            ),
        ));
    }
    prompt(&format!("Passphrase for {}: ", path.display()))
}
