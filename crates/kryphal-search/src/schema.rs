//! The index's schema: one tantivy document per searchable item.
//!
//! Text fields are indexed from tokens made by [`crate::analysis`]
//! (pre-tokenized: lemmas, compound heads and parts at their positions),
//! and stored separately for snippets.

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::PRE_TOKENIZED;

/// Bumped whenever the schema or the analysis changes: an index written with
/// another version is rebuilt from the library. (The lexicon in use is
/// recorded beside it, see `index.rs`.)
pub(crate) const SCHEMA_VERSION: u32 = 2;

/// Handles to the fields of [`build_schema`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// `document`, `clause`, `finding`, `dismissal` (raw, stored).
    pub kind: Field,
    /// The document the item belongs to (raw, stored; deletes go by it).
    pub doc_id: Field,
    /// Clause, finding or suggestion id; the document id for a document.
    pub item_id: Field,
    pub clause_id: Field,
    pub title: Field,
    pub label: Field,
    pub position: Field,
    /// The item's own text, stored for snippets: clause text, a finding's
    /// analysis, a dismissal's reason, a document's title.
    pub text: Field,
    /// The own text's words: lemmas (or stems), and `^head` for a
    /// compound's head (`sjöfartsstöd`: `sjöfartsstöd`, `^stöd`).
    pub body: Field,
    /// `body` ASCII-folded.
    pub body_folded: Field,
    /// The own text's compound parts in order, ASCII-folded (a word that
    /// does not split is one part): `sjöfart stöd`.
    pub parts: Field,
    /// The item's own metadata, stored: a document's type, owner, Dnr and
    /// other metadata; a finding's crime type names and responsible body;
    /// a dismissed suggestion's message.
    pub meta_text: Field,
    /// `meta_text`'s words (as `body`).
    pub meta: Field,
    /// `meta` ASCII-folded.
    pub meta_folded: Field,
    /// What surrounds an item, ASCII-folded: its clause's label, its
    /// document's title, type and owner. Searched only when no item holds
    /// every word in its own text and metadata. Not stored: snippets of a
    /// match there come from the stored label and title.
    pub context: Field,
    /// Filters and facet counts: `/d/<doc id>`, `/t/<type>`, `/o/<owner>`,
    /// `/c/<crime type>`, `/r/<risk>`, `/s/<status>`, `/k/<kind>`.
    pub facets: Field,
}

fn indexed() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(PRE_TOKENIZED)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

pub(crate) fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        kind: b.add_text_field("kind", STRING | STORED),
        doc_id: b.add_text_field("doc_id", STRING | STORED),
        item_id: b.add_text_field("item_id", STRING | STORED),
        clause_id: b.add_text_field("clause_id", STORED),
        title: b.add_text_field("title", STORED),
        label: b.add_text_field("label", STORED),
        position: b.add_u64_field("position", STORED),
        text: b.add_text_field("text", STORED),
        body: b.add_text_field("body", indexed()),
        body_folded: b.add_text_field("body_folded", indexed()),
        parts: b.add_text_field("parts", indexed()),
        meta_text: b.add_text_field("meta_text", STORED),
        meta: b.add_text_field("meta", indexed()),
        meta_folded: b.add_text_field("meta_folded", indexed()),
        context: b.add_text_field("context", indexed()),
        facets: b.add_facet_field("facets", FacetOptions::default()),
    };
    (b.build(), fields)
}
