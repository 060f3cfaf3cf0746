//! # kryphal-domain
//!
//! The vocabulary of Kryphål, as plain data: a governing document
//! (*styrdokument*) with its outline of sections and clauses, the findings an
//! analyst writes on a clause, the suggestions screening proposes, the
//! rulebook an analysis follows and the audit events that record every change.
//!
//! This crate does no IO and knows nothing of SQLite, files or Tauri. Every
//! type that crosses to the user interface derives [`ts_rs::TS`]; the
//! generated TypeScript lives in `ui/src/lib/bindings/` and a test in
//! `kryphal-app` fails when it is stale.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod exchange;
mod finding;
pub mod matching;
mod outline;
mod review;
mod secret;
mod verdict;
mod version;
mod workshop;

pub use exchange::*;
pub use finding::*;
pub use matching::{hidden_characters, matching_text};
pub use outline::*;
pub use review::*;
pub use secret::Passphrase;
pub use verdict::*;
pub use version::*;
pub use workshop::*;

/// The format a document was imported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    Markdown,
    Text,
    Docx,
    Pdf,
    Odt,
    Html,
}

impl SourceFormat {
    /// The stable lower-case name used in the library file and in `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Markdown => "markdown",
            SourceFormat::Text => "text",
            SourceFormat::Docx => "docx",
            SourceFormat::Pdf => "pdf",
            SourceFormat::Odt => "odt",
            SourceFormat::Html => "html",
        }
    }

    /// Parses the name written by [`SourceFormat::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "markdown" => SourceFormat::Markdown,
            "text" => SourceFormat::Text,
            "docx" => SourceFormat::Docx,
            "pdf" => SourceFormat::Pdf,
            "odt" => SourceFormat::Odt,
            "html" => SourceFormat::Html,
            _ => return None,
        })
    }
}

/// Which rulebook pack (and which version of it) an analysis follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RulebookRef {
    pub id: String,
    pub version: String,
}

/// The original file a document was imported from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SourceFile {
    /// File name as the user had it (no directories).
    pub name: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    pub format: SourceFormat,
    /// Size in bytes.
    #[ts(type = "number")]
    pub size: u64,
}

/// What the document says about itself; every field is editable by the user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DocumentMeta {
    pub title: String,
    /// Kind of governing document, e.g. "Reglemente", "Auktorisationsvillkor", "Policy".
    pub doc_type: String,
    /// The owning body (nämnd, kommunstyrelse).
    pub owner: String,
    /// Diarienummer, e.g. `KS 2024/0113`.
    pub dnr: String,
    /// Beslutsdatum as printed, ISO `YYYY-MM-DD` when it could be read.
    pub decided: String,
    /// Beslutad/fastställd av.
    pub decided_by: String,
    /// Dokumentansvarig.
    pub responsible: String,
    pub valid_from: String,
    pub valid_to: String,
    /// Version label, e.g. "2024-03" or "Reviderad 2025".
    pub version_label: String,
}

/// A governing document in the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Document {
    pub id: String,
    pub meta: DocumentMeta,
    pub source: SourceFile,
    /// RFC 3339 UTC time of import.
    pub imported_at: String,
    pub imported_by: String,
    pub rulebook: RulebookRef,
}

/// One recorded change: who did what, when, with the state before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AuditEvent {
    #[ts(type = "number")]
    pub id: i64,
    /// RFC 3339 UTC.
    pub at: String,
    pub actor: String,
    /// Dotted verb, e.g. `document.import`, `finding.create`, `finding.update`.
    pub action: String,
    /// `document`, `clause`, `finding`, `suggestion`.
    pub entity: String,
    pub entity_id: String,
    pub document_id: Option<String>,
    #[ts(type = "unknown")]
    pub before: Option<serde_json::Value>,
    #[ts(type = "unknown")]
    pub after: Option<serde_json::Value>,
}
