//! The one error type of the crate.

use std::path::PathBuf;

/// What can go wrong with the search index. Every message is written for the
/// person using the app; [`SearchError::code`] gives a stable code for the UI.
///
/// A bad *query* is never an error: whatever is typed is read as plain words.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index folder could not be created, read, moved aside or written.
    #[error("The search index folder {path} could not be used: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Another Kryphål window (or process) is already updating this index.
    #[error(
        "The search index is in use by another Kryphål window. Close the other window and try again."
    )]
    Busy,
    /// The search engine failed while reading or updating the index. The
    /// library itself is not affected; the index can be rebuilt from it.
    #[error(
        "The search index could not be read or updated ({0}). Your library is not affected; the index can be rebuilt from it."
    )]
    Engine(String),
    /// Reading the library for a rebuild failed; the index was left as it was.
    #[error("The search index could not be rebuilt because the library could not be read: {0}")]
    Source(String),
}

impl SearchError {
    /// A stable machine-readable code (`search_io`, `search_busy`,
    /// `search_engine`, `search_source`) for the UI to choose its text by.
    pub fn code(&self) -> &'static str {
        match self {
            SearchError::Io { .. } => "search_io",
            SearchError::Busy => "search_busy",
            SearchError::Engine(_) => "search_engine",
            SearchError::Source(_) => "search_source",
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        SearchError::Io {
            path: path.into(),
            source,
        }
    }
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        match e {
            tantivy::TantivyError::LockFailure(..) => SearchError::Busy,
            other => SearchError::Engine(other.to_string()),
        }
    }
}

/// Shorthand for this crate's results.
pub type Result<T, E = SearchError> = std::result::Result<T, E>;
