//! The index's schema: one tantivy document per searchable item.

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::{FOLDED, STEMMED};

/// Bumped whenever the schema or the analysis changes: an index written with
/// another version is rebuilt from the library.
pub(crate) const SCHEMA_VERSION: u32 = 1;

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
    /// The item's own text: clause text, a finding's analysis, a dismissal's
    /// reason, a document's title. Stemmed, stored for snippets.
    pub body: Field,
    /// `body`, stemmed and ASCII-folded.
    pub body_folded: Field,
    /// What surrounds the item: document title and metadata, clause label,
    /// crime type names, suggestion message. Stemmed, stored for snippets.
    pub context: Field,
    /// `context`, stemmed and ASCII-folded.
    pub context_folded: Field,
    /// Filters and facet counts: `/d/<doc id>`, `/t/<type>`, `/o/<owner>`,
    /// `/c/<crime type>`, `/r/<risk>`, `/s/<status>`, `/k/<kind>`.
    pub facets: Field,
}

fn text(analyzer: &str, stored: bool) -> TextOptions {
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored { opts.set_stored() } else { opts }
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
        body: b.add_text_field("body", text(STEMMED, true)),
        body_folded: b.add_text_field("body_folded", text(FOLDED, false)),
        context: b.add_text_field("context", text(STEMMED, true)),
        context_folded: b.add_text_field("context_folded", text(FOLDED, false)),
        facets: b.add_facet_field("facets", FacetOptions::default()),
    };
    (b.build(), fields)
}
