//! Undo and redo of this session's edits.
//!
//! Every edit made through [`Library`](crate::Library) is remembered with
//! the state before and after it; undo applies the state before, redo the
//! state after, each through the store like any other change (so undo and
//! redo are audited too). The history lives as long as the open library.

use std::time::{Duration, Instant};

use kryphal_domain::{
    CarryOver, Clause, Comment, DocumentMeta, Finding, FindingInput, OutlineChange,
    OutlineCorrection, Suggestion, SuggestionState, VersionLink,
};
use kryphal_store::OutlineDiff;
use serde::Serialize;
use ts_rs::TS;

/// At most this many edits can be undone.
pub(crate) const LIMIT: usize = 500;

/// Changes to the same fields of the same finding closer together than this
/// are one undo step: the app autosaves while the analyst types, and one
/// Ctrl+Z should take back a burst of typing, not a few letters. A change to
/// another field (a rating just before the typing) stays its own step.
pub(crate) const COALESCE: Duration = Duration::from_secs(2);

/// One edit that can be taken back.
#[derive(Debug, Clone)]
pub(crate) enum Edit {
    FindingCreated(Finding),
    FindingChanged {
        id: String,
        document_id: String,
        before: FindingInput,
        after: FindingInput,
        /// When `after` was saved (for coalescing).
        at: Instant,
    },
    FindingDeleted(Finding),
    MetaChanged {
        document_id: String,
        before: DocumentMeta,
        after: DocumentMeta,
    },
    SuggestionChanged {
        id: String,
        document_id: String,
        before: SuggestionState,
        after: SuggestionState,
    },
    SuggestionAccepted {
        suggestion_id: String,
        finding: Finding,
    },
    ClauseSplit {
        document_id: String,
        first_id: String,
        text_before: String,
        first_text: String,
        second: Clause,
    },
    ClauseMerged {
        document_id: String,
        /// Both clauses as they were before the merge.
        first: Clause,
        second: Clause,
        merged_text: String,
        /// Findings and suggestions that were the second clause's.
        findings: Vec<String>,
        suggestions: Vec<String>,
    },
    CommentAdded {
        document_id: String,
        finding_id: String,
        comment: Comment,
    },
    /// A document already in the library made the next version of another:
    /// the link, the findings carried over to it, its suggestions whose
    /// decisions were carried over (before and after) and the carry-over rows.
    VersionLinked {
        link: VersionLink,
        findings: Vec<Finding>,
        suggestions_before: Vec<Suggestion>,
        suggestions_after: Vec<Suggestion>,
        carryovers: Vec<CarryOver>,
        /// The earlier version's outline corrections made again on the
        /// document: the rows they changed, the corrections kept, and the
        /// suggestions of clauses they made headings.
        outline_diff: OutlineDiff,
        corrections: Vec<OutlineCorrection>,
        suggestions_removed: Vec<Suggestion>,
    },
    /// A correction of the outline (promote, demote, move, renumber): the
    /// rows it changed, the correction kept, and the suggestions that went
    /// with a clause made a heading.
    OutlineCorrected {
        document_id: String,
        /// `clause` or `section`.
        entity: &'static str,
        entity_id: String,
        diff: OutlineDiff,
        correction: OutlineCorrection,
        suggestions: Vec<Suggestion>,
    },
}

/// What undo or redo changed, so that a view can reload it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UndoReport {
    /// `undo` or `redo`.
    pub direction: String,
    /// What kind of edit: `finding.create`, `finding.update`, `finding.delete`,
    /// `document.meta`, `suggestion.state`, `suggestion.accept`, `clause.split`,
    /// `clause.merge`, `finding.comment`, `document.link_version`,
    /// `outline.promote`, `outline.demote`, `outline.move`, `outline.renumber`.
    pub edit: String,
    pub document_id: String,
    /// The finding, suggestion, clause or heading concerned (the document
    /// for metadata).
    pub entity_id: String,
    /// Edits left to undo and to redo afterwards.
    pub undo_left: u32,
    pub redo_left: u32,
}

impl Edit {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Edit::FindingCreated(_) => "finding.create",
            Edit::FindingChanged { .. } => "finding.update",
            Edit::FindingDeleted(_) => "finding.delete",
            Edit::MetaChanged { .. } => "document.meta",
            Edit::SuggestionChanged { .. } => "suggestion.state",
            Edit::SuggestionAccepted { .. } => "suggestion.accept",
            Edit::ClauseSplit { .. } => "clause.split",
            Edit::ClauseMerged { .. } => "clause.merge",
            Edit::CommentAdded { .. } => "finding.comment",
            Edit::VersionLinked { .. } => "document.link_version",
            Edit::OutlineCorrected { correction, .. } => match correction.change {
                OutlineChange::Promote { .. } => "outline.promote",
                OutlineChange::Demote { .. } => "outline.demote",
                OutlineChange::Move { .. } => "outline.move",
                OutlineChange::Renumber { .. } => "outline.renumber",
            },
        }
    }

    pub(crate) fn target(&self) -> (String, String) {
        match self {
            Edit::FindingCreated(f) | Edit::FindingDeleted(f) => {
                (f.document_id.clone(), f.id.clone())
            }
            Edit::FindingChanged {
                id, document_id, ..
            }
            | Edit::SuggestionChanged {
                id, document_id, ..
            } => (document_id.clone(), id.clone()),
            Edit::MetaChanged { document_id, .. } => (document_id.clone(), document_id.clone()),
            Edit::SuggestionAccepted {
                suggestion_id,
                finding,
            } => (finding.document_id.clone(), suggestion_id.clone()),
            Edit::ClauseSplit {
                document_id,
                first_id,
                ..
            } => (document_id.clone(), first_id.clone()),
            Edit::ClauseMerged {
                document_id, first, ..
            } => (document_id.clone(), first.id.clone()),
            Edit::CommentAdded {
                document_id,
                finding_id,
                ..
            } => (document_id.clone(), finding_id.clone()),
            Edit::VersionLinked { link, .. } => {
                (link.document_id.clone(), link.document_id.clone())
            }
            Edit::OutlineCorrected {
                document_id,
                entity_id,
                ..
            } => (document_id.clone(), entity_id.clone()),
        }
    }

    /// Folds `next` into this edit when both change the same finding within
    /// `window` of each other. Returns `next` back when they stay apart.
    pub(crate) fn absorb(&mut self, next: Edit, window: Duration) -> Option<Edit> {
        match (self, next) {
            (
                Edit::FindingChanged {
                    id,
                    before,
                    after,
                    at,
                    ..
                },
                Edit::FindingChanged {
                    id: next_id,
                    before: next_before,
                    after: next_after,
                    at: next_at,
                    ..
                },
            ) if *id == next_id
                && next_at.saturating_duration_since(*at) < window
                && same_burst(before, after, &next_before, &next_after) =>
            {
                *after = next_after;
                *at = next_at;
                None
            }
            (_, next) => Some(next),
        }
    }
}

/// The fields of a finding that differ between two states, by name.
fn changed_fields(a: &FindingInput, b: &FindingInput) -> Vec<String> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(a), serde_json::to_value(b))
    else {
        return Vec::new();
    };
    a.iter()
        .filter(|(k, v)| b.get(k.as_str()) != Some(v))
        .map(|(k, _)| k.clone())
        .collect()
}

/// Whether the next change continues the step: it touches only fields the
/// step already changed (typing on in the same field), and at least one.
fn same_burst(
    before: &FindingInput,
    after: &FindingInput,
    next_before: &FindingInput,
    next_after: &FindingInput,
) -> bool {
    let step = changed_fields(before, after);
    let next = changed_fields(next_before, next_after);
    !next.is_empty() && next.iter().all(|f| step.contains(f))
}
