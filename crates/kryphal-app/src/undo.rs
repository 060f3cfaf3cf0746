//! Undo and redo of this session's edits.
//!
//! Every edit made through [`Library`](crate::Library) is remembered with
//! the state before and after it; undo applies the state before, redo the
//! state after, each through the store like any other change (so undo and
//! redo are audited too). The history lives as long as the open library.

use kryphal_domain::{Clause, DocumentMeta, Finding, FindingInput, SuggestionState};
use serde::Serialize;
use ts_rs::TS;

/// At most this many edits can be undone.
pub(crate) const LIMIT: usize = 500;

/// One edit that can be taken back.
#[derive(Debug, Clone)]
pub(crate) enum Edit {
    FindingCreated(Finding),
    FindingChanged {
        id: String,
        document_id: String,
        before: FindingInput,
        after: FindingInput,
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
}

/// What undo or redo changed, so that a view can reload it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UndoReport {
    /// `undo` or `redo`.
    pub direction: String,
    /// What kind of edit: `finding.create`, `finding.update`, `finding.delete`,
    /// `document.meta`, `suggestion.state`, `suggestion.accept`, `clause.split`.
    pub edit: String,
    pub document_id: String,
    /// The finding, suggestion or clause concerned (the document for metadata).
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
        }
    }
}
