//! Exchanging analyses between libraries: where a change came from, and
//! the conflicts a merge leaves for the user to resolve.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Finding;

/// Where merged changes came from: the bundle's author, when it was made,
/// and the file it was read from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BundleOrigin {
    /// The user who exported the bundle, *as the bundle says*: a claim,
    /// unless `signed_by` is set.
    pub author: String,
    /// The fingerprint of the key that signed the bundle, checked on
    /// import; `None` for an unsigned bundle, whose author nobody vouches for.
    #[serde(default)]
    pub signed_by: Option<String>,
    /// RFC 3339 UTC time the bundle was made.
    pub created: String,
    /// The bundle's file name (no folders).
    pub file: String,
    /// The Kryphål version that made it.
    pub app_version: String,
}

/// How a conflict was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// This library's version was kept.
    Mine,
    /// The bundle's version replaced it.
    Theirs,
    /// A version combined by hand.
    Combined,
}

impl Resolution {
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Mine => "mine",
            Resolution::Theirs => "theirs",
            Resolution::Combined => "combined",
        }
    }

    pub fn parse(s: &str) -> Option<Resolution> {
        match s {
            "mine" => Some(Resolution::Mine),
            "theirs" => Some(Resolution::Theirs),
            "combined" => Some(Resolution::Combined),
            _ => None,
        }
    }
}

/// One finding edited both here and in the library a bundle came from.
/// Both versions are kept until the user chooses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MergeConflict {
    pub id: String,
    pub document_id: String,
    pub finding_id: String,
    /// This library's version when the bundle came; `None` when the finding
    /// had been deleted here.
    pub mine: Option<Finding>,
    /// The bundle's version.
    pub theirs: Finding,
    pub origin: BundleOrigin,
    /// When the bundle was imported, and by whom.
    pub created_at: String,
    pub created_by: String,
    pub resolved_at: Option<String>,
    pub resolved_by: Option<String>,
    pub resolution: Option<Resolution>,
}

/// A record other than a finding that two libraries can both change: a
/// document's metadata, or the decision on a screening suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum RecordValue {
    Metadata(crate::DocumentMeta),
    Suggestion(crate::SuggestionState),
}

impl RecordValue {
    /// `metadata` or `suggestion`.
    pub fn kind(&self) -> &'static str {
        match self {
            RecordValue::Metadata(_) => "metadata",
            RecordValue::Suggestion(_) => "suggestion",
        }
    }
}

/// A document's metadata, or a suggestion's decision, changed both here and
/// in the library a bundle came from. Both versions are kept (this
/// library's in place, the bundle's here) until the user chooses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecordConflict {
    pub id: String,
    pub document_id: String,
    /// The document (metadata) or the suggestion (decision) concerned.
    pub entity_id: String,
    /// Names the record for people: the document's title, or the
    /// suggestion's message.
    pub label: String,
    /// This library's version when the bundle came.
    pub mine: RecordValue,
    /// The bundle's version.
    pub theirs: RecordValue,
    pub origin: BundleOrigin,
    pub created_at: String,
    pub created_by: String,
    pub resolved_at: Option<String>,
    pub resolved_by: Option<String>,
    pub resolution: Option<Resolution>,
}
