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

// The overview of a document's analysis: computed by kryphal-app, never
// stored; drawn by the UI and by kryphal-export's overview images.

/// One cell of the risk matrix with the findings in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MatrixCell {
    pub likelihood: u8,
    pub impact: u8,
    /// The level the rulebook's banding gives the cell.
    pub level: Option<String>,
    pub finding_ids: Vec<String>,
}

/// A count under a key (a crime type, a status, a decision).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Count {
    pub key: String,
    /// The key's name in the rulebook (or the key itself).
    pub label: String,
    pub count: u32,
}

/// Clauses reviewed (with at least one finding) of all, in one section
/// (a document's overview only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SectionCoverage {
    /// `None` for clauses outside any section.
    pub section_id: Option<String>,
    pub title: String,
    pub clauses: u32,
    pub reviewed: u32,
}

/// One clause on the heat strip along the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClauseHeat {
    pub clause_id: String,
    pub label: String,
    pub findings: u32,
    /// The highest risk level among the clause's findings.
    pub level: Option<String>,
}

/// A clause with findings, placed on its document's row of the library's
/// heat strips.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClauseMark {
    /// The clause's place in document order, 0 first (of `DocumentHeat::clauses`).
    pub index: u32,
    pub clause_id: String,
    pub label: String,
    pub findings: u32,
    /// The highest risk level among the clause's findings.
    pub level: Option<String>,
}

/// One document's row in the overview of the whole library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DocumentHeat {
    pub document_id: String,
    pub title: String,
    pub doc_type: String,
    pub owner: String,
    pub clauses: u32,
    /// Clauses with at least one finding.
    pub reviewed: u32,
    pub findings: u32,
    /// The highest risk level among the document's findings.
    pub level: Option<String>,
    /// Only the clauses with findings, in document order.
    pub marks: Vec<ClauseMark>,
}

/// A finding of the library's overview, with where it sits (a document's
/// overview has the findings of its document at hand).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OverviewFinding {
    pub id: String,
    pub document_id: String,
    pub document_title: String,
    pub clause_id: String,
    pub clause_label: String,
    /// A one-line title: the unintended consequence, else the proposed wording.
    pub title: String,
    pub level: Option<String>,
}

/// The overview of one document's analysis, or of the whole library's
/// (`document_id` null): the same matrix, crime types and statuses over all
/// documents, with coverage and heat strips per document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Overview {
    /// `None` for the overview of the whole library.
    pub document_id: Option<String>,
    /// Every cell of the matrix, likelihood 1 first, then impact 1 first.
    pub cells: Vec<MatrixCell>,
    /// Findings without a likelihood × consequence rating.
    pub unassessed: u32,
    /// In the rulebook's order; crime types without findings left out.
    pub by_crime_type: Vec<Count>,
    pub by_status: Vec<Count>,
    pub clauses: u32,
    pub reviewed: u32,
    pub sections: Vec<SectionCoverage>,
    /// Every clause in document order (empty in the library's overview).
    pub strip: Vec<ClauseHeat>,
    /// The library's overview: one row per document, in the library's
    /// order (empty in a document's overview).
    pub documents: Vec<DocumentHeat>,
    /// The library's overview: every finding the matrix counts, so a cell
    /// can list them with their document (empty in a document's overview).
    pub findings: Vec<OverviewFinding>,
    /// The library's overview: earlier versions of documents, left out of
    /// every figure (their findings are carried into the newest version,
    /// which counts). 0 in a document's overview.
    pub earlier_versions: u32,
}
