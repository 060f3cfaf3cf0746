//! Workshop sessions: the facilitator leads the verksamhet through the
//! analysis, and the room's judgements and decisions are recorded with the
//! date and who was there.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One workshop on one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorkshopSession {
    pub id: String,
    pub document_id: String,
    pub title: String,
    /// The day the session was held, `YYYY-MM-DD`.
    pub held_on: String,
    /// Who took part (names, optionally with their role).
    pub attendees: Vec<String>,
    /// RFC 3339 UTC; who opened the session (the facilitator).
    pub started_at: String,
    pub started_by: String,
    /// Set when the session is closed; a closed session takes no more entries.
    pub ended_at: Option<String>,
}

/// The room's judgement of one finding's risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Judgement {
    pub session_id: String,
    pub finding_id: String,
    pub likelihood: u8,
    pub impact: u8,
    /// The level the rulebook's banding gives (filled in when read).
    pub risk_level: Option<String>,
    pub note: String,
    pub at: String,
    pub by: String,
}

/// What the room decided about a clause's proposals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// Take the proposal forward to the nämnd.
    Adopt,
    /// Leave the clause as it is.
    Reject,
    /// Come back to it later.
    Defer,
}

impl DecisionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Adopt => "adopt",
            DecisionKind::Reject => "reject",
            DecisionKind::Defer => "defer",
        }
    }

    pub fn parse(s: &str) -> Option<DecisionKind> {
        match s {
            "adopt" => Some(DecisionKind::Adopt),
            "reject" => Some(DecisionKind::Reject),
            "defer" => Some(DecisionKind::Defer),
            _ => None,
        }
    }
}

/// A decision on one clause, with any dissent noted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Decision {
    pub session_id: String,
    pub clause_id: String,
    pub decision: DecisionKind,
    /// Who disagreed and why; empty when the room was agreed.
    pub dissent: String,
    pub at: String,
    pub by: String,
}

/// The facilitator's private note on a clause in a session: shown in the
/// control window, never projected, not part of the minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorkshopNote {
    pub session_id: String,
    pub clause_id: String,
    pub text: String,
    pub at: String,
    pub by: String,
}

/// A session with everything recorded in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorkshopRecord {
    pub session: WorkshopSession,
    pub judgements: Vec<Judgement>,
    pub decisions: Vec<Decision>,
    /// The facilitator's notes, one per clause at most.
    #[serde(default)]
    pub notes: Vec<WorkshopNote>,
}
