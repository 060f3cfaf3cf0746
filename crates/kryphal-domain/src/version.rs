//! Versions of a document: a revised document imported as the next version
//! of one already in the library, and what happened to each finding of the
//! previous version when it was carried over.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a document stands among the versions of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VersionLink {
    pub document_id: String,
    /// The id of the family's first version; shared by all its versions.
    pub family_id: String,
    /// The version this one replaces (`None` for the first).
    pub previous_id: Option<String>,
    /// 1 for the first version, 2 for the next, …
    pub number: u32,
}

/// What became of a finding of the previous version in this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CarryState {
    /// Its clause is in the new version word for word (perhaps renumbered or moved).
    Carried,
    /// Its clause changed: the finding was carried over and must be reviewed again.
    Rereview,
    /// Its clause is gone: the finding stays on the previous version only.
    Orphaned,
    /// The finding's proposed wording now stands in the new version.
    Implemented,
}

impl CarryState {
    /// The stable lower-case name used in the library file and in `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            CarryState::Carried => "carried",
            CarryState::Rereview => "rereview",
            CarryState::Orphaned => "orphaned",
            CarryState::Implemented => "implemented",
        }
    }

    /// Parses the name written by [`CarryState::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "carried" => CarryState::Carried,
            "rereview" => CarryState::Rereview,
            "orphaned" => CarryState::Orphaned,
            "implemented" => CarryState::Implemented,
            _ => return None,
        })
    }
}

/// One finding of the previous version and where it went in this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CarryOver {
    /// The new version.
    pub document_id: String,
    /// The version the finding was written on.
    pub from_document_id: String,
    pub from_finding_id: String,
    pub from_clause_id: String,
    /// The clause's label and text as they read in the previous version.
    pub from_label: String,
    pub from_text: String,
    /// The copy of the finding on the new version (`None` when orphaned).
    pub finding_id: Option<String>,
    /// The matching clause of the new version (`None` when orphaned).
    pub clause_id: Option<String>,
    pub state: CarryState,
    /// Set when an analyst has reviewed the carried finding again.
    pub resolved_at: Option<String>,
    pub resolved_by: Option<String>,
}
