//! The outline of a document: sections (headings) and the clauses under them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A heading of the document, possibly numbered (`3.`, `2 kap.`), nested by `level`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Section {
    /// Stable within the document: derived from the heading's number and text.
    pub id: String,
    pub parent_id: Option<String>,
    /// 1 for top-level headings.
    pub level: u8,
    /// Number as printed (`3.`, `2 kap.`), empty when the heading has none.
    pub number: String,
    pub title: String,
    /// Order within the document, shared with clauses.
    pub position: u32,
}

/// What kind of text a clause was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClauseKind {
    /// A paragraph with no number of its own.
    Paragraph,
    /// A paragraph that carries its own number (`4.2`, `3 §`, `punkt 16`).
    Numbered,
    /// An item of a numbered or bulleted list.
    ListItem,
    /// One row of a table.
    TableRow,
}

/// The unit an analyst comments on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Clause {
    /// Stable id: the same text in the same document lineage gives the same id.
    pub id: String,
    pub section_id: Option<String>,
    /// Number as printed (`4.2`, `3 §`, `a)`), empty when none.
    pub number: String,
    /// Human label, e.g. `Ekonomi och ledning › p. 2`.
    pub label: String,
    pub kind: ClauseKind,
    pub text: String,
    /// Order within the document, shared with sections.
    pub position: u32,
}

/// A document's whole outline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Outline {
    pub sections: Vec<Section>,
    pub clauses: Vec<Clause>,
}

/// What an outline correction applies to, found by its text rather than by
/// its place: the normalised text of a clause or heading (lower-case,
/// single-spaced, as clause ids are derived) and which occurrence of that
/// text it is, in document order, when the document repeats it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TextKey {
    pub text: String,
    /// 1 for the first clause (or heading) with this text, 2 for the next, …
    pub occurrence: u32,
}

/// What an analyst corrected in an imported outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OutlineChange {
    /// A clause that is really a heading becomes one, at `level`; the
    /// clauses that follow it in its section go under it. `number` and
    /// `title` are the clause's when the correction was made (applied again,
    /// the clause's own number and text are used).
    Promote {
        clause: TextKey,
        level: u8,
        number: String,
        title: String,
    },
    /// A heading that is really a clause becomes one, where it stood; its
    /// subsections move up a level, to its parent, and its clauses join the
    /// heading before it (its parent, or an earlier sibling's last section),
    /// as they would read without the heading.
    Demote { section: TextKey },
    /// A clause moves to the end of another section's own clauses.
    Move { clause: TextKey, under: TextKey },
    /// A clause's number changes from `from` to `to`.
    Renumber {
        clause: TextKey,
        from: String,
        to: String,
    },
}

impl OutlineChange {
    /// The stable name: `promote`, `demote`, `move` or `renumber`.
    pub fn kind(&self) -> &'static str {
        match self {
            OutlineChange::Promote { .. } => "promote",
            OutlineChange::Demote { .. } => "demote",
            OutlineChange::Move { .. } => "move",
            OutlineChange::Renumber { .. } => "renumber",
        }
    }

    /// The clause or heading the correction applies to.
    pub fn target(&self) -> &TextKey {
        match self {
            OutlineChange::Promote { clause, .. }
            | OutlineChange::Move { clause, .. }
            | OutlineChange::Renumber { clause, .. } => clause,
            OutlineChange::Demote { section } => section,
        }
    }
}

/// A correction of a document's outline, kept so that it is made again
/// when a new version of the document is imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OutlineCorrection {
    /// `oc-<uuid>`.
    pub id: String,
    pub document_id: String,
    pub change: OutlineChange,
    /// The clause's or heading's label when the correction was made, for
    /// people to read (matching goes by `change`'s text keys).
    pub label: String,
    pub made_by: String,
    pub made_at: String,
    /// The correction of the earlier version this one was carried over from.
    pub carried_from: Option<String>,
}
