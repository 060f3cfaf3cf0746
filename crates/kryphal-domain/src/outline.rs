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
