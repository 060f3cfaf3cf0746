//! What came back from a review in Word: the reviewer's outcome for each
//! finding's proposal, and new comments kept as notes on clauses.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the reviewer did with a finding's proposed wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    /// The tracked change was accepted: the proposal stands.
    Accepted,
    /// The tracked change was rejected: the clause stays as it is.
    Rejected,
    /// The reviewer changed the proposed wording; theirs is the proposal now.
    Edited,
}

impl ReviewOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewOutcome::Accepted => "accepted",
            ReviewOutcome::Rejected => "rejected",
            ReviewOutcome::Edited => "edited",
        }
    }

    pub fn parse(s: &str) -> Option<ReviewOutcome> {
        match s {
            "accepted" => Some(ReviewOutcome::Accepted),
            "rejected" => Some(ReviewOutcome::Rejected),
            "edited" => Some(ReviewOutcome::Edited),
            _ => None,
        }
    }
}

/// A reviewer's decision on a finding, as read from a reviewed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReviewDecision {
    pub finding_id: String,
    pub document_id: String,
    pub outcome: ReviewOutcome,
    /// Who decided: the file's last author, or who revised the text.
    pub decided_by: String,
    /// RFC 3339 UTC: when the reviewed file was saved.
    pub decided_at: String,
    pub proposal_before: String,
    pub proposal_after: String,
    /// The reviewed file's name and SHA-256.
    pub source: String,
    pub source_sha256: String,
    pub imported_at: String,
    pub imported_by: String,
}

/// A note on a clause: a comment in a reviewed file that answers no finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClauseNote {
    pub id: String,
    pub document_id: String,
    /// `None`: a note on the document (a heading, text that is no clause).
    pub clause_id: Option<String>,
    pub author: String,
    /// RFC 3339 UTC.
    pub at: String,
    pub text: String,
    /// The commented paragraph's text, shortened.
    pub context: String,
    /// The file it came from.
    pub source: String,
}
