//! The index's schema: one tantivy document per searchable item.
//!
//! Text fields are tokenized by [`crate::analysis`]'s Swedish tokenizers:
//! lemmas and compound heads at the words' positions, or the words' parts in
//! a row.

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::{PARTS, WORDS, WORDS_FOLDED};

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
    /// The item's own text (clause text, a finding's analysis, a
    /// dismissal's reason, a document's title), stored for snippets. Its
    /// words: lemmas (or stems), and `^head` for a compound's head
    /// (`sjöfartsstöd`: `sjöfartsstöd`, `^stöd`).
    pub body: Field,
    /// `body` ASCII-folded.
    pub body_folded: Field,
    /// The parts of the own text's compounds in order, ASCII-folded
    /// (`sjö fart stöd`); a gap between words.
    pub parts: Field,
    /// The item's own metadata, stored (as `body`): a document's type,
    /// owner, Dnr and other metadata; a finding's crime type names and
    /// responsible body; a dismissed suggestion's message.
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

fn indexed(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
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
        body: b.add_text_field("body", indexed(WORDS).set_stored()),
        body_folded: b.add_text_field("body_folded", indexed(WORDS_FOLDED)),
        parts: b.add_text_field("parts", indexed(PARTS)),
        meta: b.add_text_field("meta", indexed(WORDS).set_stored()),
        meta_folded: b.add_text_field("meta_folded", indexed(WORDS_FOLDED)),
        context: b.add_text_field("context", indexed(WORDS_FOLDED)),
        facets: b.add_facet_field("facets", FacetOptions::default()),
    };
    (b.build(), fields)
}
