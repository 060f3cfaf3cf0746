//! The one error type that crosses to the user: a stable `code` the UI
//! switches on, and a plain sentence.

use serde::Serialize;
use ts_rs::TS;

/// What kind of failure, for the UI to choose its message by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A document, clause or finding does not exist.
    NotFound,
    /// The request itself is wrong (bad JSON, a value off the scale, an ambiguous reference).
    InvalidInput,
    /// The file's format is not one Kryphål reads.
    UnsupportedFormat,
    /// The file is empty or holds no clauses.
    EmptyFile,
    /// A file could not be read or written.
    Io,
    /// The library was written by a newer Kryphål.
    LibraryNewer,
    /// The library file is damaged or not a library.
    LibraryCorrupt,
    /// The library or its folder is not writable.
    LibraryReadonly,
    /// The library is encrypted (or damaged: without the key the two look
    /// the same) and no passphrase was given.
    LibraryLocked,
    /// The passphrase does not open the encrypted library, backup or bundle.
    WrongPassphrase,
    /// A passphrase was given for a library or bundle that is not encrypted.
    NotEncrypted,
    /// The bundle is encrypted and no passphrase was given.
    PassphraseRequired,
    /// The same file is already in the library.
    Duplicate,
    /// The file is password-protected or encrypted.
    Encrypted,
    /// The file is a scan: pictures of pages with no text layer (needs OCR).
    NoTextLayer,
    /// The file is damaged or truncated.
    DamagedFile,
    /// The file looks built to harm the importer (zip bomb, entity expansion).
    UnsafeFile,
    /// A bundle made by a newer version of Kryphål.
    BundleNewer,
    /// A bundle's analyses follow a rulebook pack this library lacks.
    RulebookMissing,
    /// The search index could not be used (the library itself is fine).
    SearchUnavailable,
    /// The Word template for the memo cannot be used (not a Word template,
    /// damaged, macro-enabled, or gone from where it was chosen).
    TemplateUnusable,
    /// The file is not a review document Kryphål exported (or the one it
    /// reviews is not in this library).
    NotReview,
    /// A document cannot be marked final yet: clauses without a verdict or
    /// suggestions still open (the message names them).
    Incomplete,
    /// Anything else: a bug.
    Internal,
}

/// An error as the user sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError {
            code,
            message: message.into(),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

impl From<kryphal_store::StoreError> for AppError {
    fn from(e: kryphal_store::StoreError) -> Self {
        use kryphal_store::StoreError as S;
        if e.is_disk_full() {
            return AppError::new(
                ErrorCode::Io,
                "The disk that holds the library is full, so this change was not saved. \
                 Everything saved before is kept; free some space and try again.",
            );
        }
        let code = match &e {
            S::NewerSchema { .. } => ErrorCode::LibraryNewer,
            S::NotADatabase {
                maybe_encrypted: true,
                ..
            } => ErrorCode::LibraryLocked,
            S::NotADatabase { .. } | S::Foreign { .. } | S::Data(_) => ErrorCode::LibraryCorrupt,
            S::WrongPassphrase { .. } => ErrorCode::WrongPassphrase,
            S::NotEncrypted { .. } => ErrorCode::NotEncrypted,
            S::EmptyPassphrase => ErrorCode::InvalidInput,
            S::ReadOnly { .. } => ErrorCode::LibraryReadonly,
            S::IsDirectory { .. } | S::Closed { .. } | S::Stale { .. } => ErrorCode::InvalidInput,
            S::NotFound { .. } => ErrorCode::NotFound,
            S::Sqlite(_) => ErrorCode::Internal,
        };
        let mut message = e.to_string();
        // These start with the file's name, which stays as it is written.
        let starts_with_path = matches!(
            &e,
            S::NotADatabase { .. }
                | S::NotEncrypted { .. }
                | S::Foreign { .. }
                | S::IsDirectory { .. }
        );
        if !starts_with_path {
            capitalise(&mut message);
        }
        AppError::new(code, message)
    }
}

impl From<kryphal_ingest::IngestError> for AppError {
    fn from(e: kryphal_ingest::IngestError) -> Self {
        use kryphal_ingest::IngestError as I;
        let code = match &e {
            I::Empty { .. } | I::NoClauses { .. } => ErrorCode::EmptyFile,
            I::TooLarge { .. } | I::TooManyClauses { .. } | I::TooComplex { .. } => {
                ErrorCode::InvalidInput
            }
            I::Unsupported { .. } | I::NotText { .. } => ErrorCode::UnsupportedFormat,
            I::Encrypted { .. } => ErrorCode::Encrypted,
            I::NoTextLayer { .. } => ErrorCode::NoTextLayer,
            I::Damaged { .. } => ErrorCode::DamagedFile,
            I::Unsafe { .. } => ErrorCode::UnsafeFile,
        };
        AppError::new(code, e.to_string())
    }
}

/// Sentences start with a capital letter, unless they start with a file's
/// name: a first word that is not all letters (`lib.kryphal`, `./a`,
/// `rapport_2024`) is a name and stays as it is written.
pub(crate) fn capitalise(s: &mut String) {
    let first_word = s.split(char::is_whitespace).next().unwrap_or("");
    if !first_word.chars().all(char::is_alphabetic) {
        return;
    }
    if let Some(first) = s.chars().next()
        && first.is_lowercase()
    {
        let upper: String = first.to_uppercase().collect();
        s.replace_range(..first.len_utf8(), &upper);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_is_capitalised_but_a_file_name_is_not() {
        let cap = |s: &str| {
            let mut s = s.to_string();
            capitalise(&mut s);
            s
        };
        assert_eq!(cap("the library is full."), "The library is full.");
        assert_eq!(cap("lib.kryphal is damaged."), "lib.kryphal is damaged.");
        assert_eq!(cap("./lib is damaged."), "./lib is damaged.");
        assert_eq!(cap("rapport_2024 is damaged."), "rapport_2024 is damaged.");
        let e = AppError::from(kryphal_store::StoreError::NotEncrypted { path: "lib".into() });
        assert!(e.message.starts_with("lib is not"), "{}", e.message);
    }
}
