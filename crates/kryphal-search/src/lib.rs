//! # kryphal-search
//!
//! Search across everything in a Kryphål library: documents (title and
//! metadata), clauses (text and label), findings (consequence, analysis,
//! alternatives, proposed wording, comments) and the reasons given for
//! dismissed suggestions. The index is a [tantivy] folder beside the
//! library file; the library stays the source of truth and the index can
//! always be rebuilt from it.
//!
//! ## Using it
//!
//! ```no_run
//! use kryphal_search::{IndexedDocument, SearchIndex, SearchRequest, Facet};
//! # fn library_generation() -> u64 { 7 }
//! # fn all_documents() -> Vec<IndexedDocument> { vec![] }
//! # fn main() -> kryphal_search::Result<()> {
//! // At start: open (a damaged or outdated index is replaced, never an error).
//! let (index, health) = SearchIndex::open("library.kryphal.search")?;
//! if health.needs_rebuild(library_generation()) {
//!     // In the background: searches keep answering meanwhile.
//!     index.rebuild(all_documents(), library_generation())?;
//! }
//! // After every change to the library, with its new change counter:
//! # let changed = IndexedDocument::default();
//! index.replace_document(&changed, 8)?;
//! index.remove_document("doc-id", 9)?;
//! // Searching.
//! let results = index.search(&SearchRequest::new("registerutdrag hemtjänst")
//!     .filter(Facet::DocumentType, "Auktorisationsvillkor"))?;
//! for group in results.by_document() {
//!     for hit in group.hits {
//!         for segment in hit.snippet.segments() { /* text, highlighted */ }
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! - [`SearchIndex::open`]`(dir) -> Result<(SearchIndex, IndexHealth)>`;
//!   [`SearchIndex::in_memory`]`()`.
//! - [`SearchIndex::replace_document`]`(&IndexedDocument, generation)`,
//!   [`SearchIndex::remove_document`]`(id, generation)`,
//!   [`SearchIndex::rebuild`]`(documents, generation)` /
//!   [`SearchIndex::try_rebuild`] (fallible source),
//!   [`SearchIndex::set_generation`]: each is one atomic commit.
//! - [`SearchIndex::search`]`(&SearchRequest) -> Result<SearchResults>`.
//! - [`IndexedDocument::from_domain`] builds the input from the library's
//!   domain types.
//!
//! ## Keeping in step
//!
//! Every commit carries a *generation stamp* (the library's change counter,
//! e.g. the highest audit event id) in tantivy's commit payload, together
//! with the schema version. [`SearchIndex::open`] reports it in
//! [`IndexHealth::Ready`]; a missing index is [`IndexHealth::Created`], and
//! a damaged one (unreadable `meta.json`, failed checksums, foreign files,
//! another schema version, a tantivy error or panic while opening) is
//! replaced by an empty one: [`IndexHealth::Recreated`]. A folder carrying
//! our marker file is wiped; anything else is moved aside, never deleted.
//! One writer (`writer_with_num_threads(1, 50 MB)`) serves all writes;
//! searches run alongside and see the last commit.
//!
//! ## Swedish
//!
//! Words are read with a real Swedish lexicon, compiled from the Swedish
//! Hunspell dictionary (`lexicon/`, LGPL-3, embedded; `KRYPHAL_LEXICON`
//! replaces it): every form maps to its lemma(s), so `kostnad`, `kostnader`
//! and `kostnaderna` are one word, and `ledamot` meets `ledamöterna`.
//! Compounds are split by the lexicon's compounding rules (with linking
//! `-s-`, `-e-`, `-a-` forms): `sjöfartsstöd` is `sjöfart` + `stöd`, so
//! `stöd` finds it (ranked after the word itself), while `ort` does not find
//! `kontor`. A typed compound also finds its parts written apart or inside a
//! longer compound. A word the lexicon cannot read (a name, a new coinage it
//! cannot split) falls back to the Snowball stemmer, with compounds found
//! by prefix and head as before. Every field has an ASCII-folded twin: a
//! word typed without å/ä/ö that is not a word as written (`atgardsplan`,
//! `gavor`) is read folded and finds `åtgärdsplanen`, `gåvorna`. Highlights
//! show why a hit matched: the inflected word, or the part of a compound.
//! A quoted word is matched in any inflection but not inside compounds.
//! Swedish stop words are ignored unless nothing else was typed.

//! ## Queries
//!
//! What is typed is read as plain words and "quoted phrases" (straight or
//! typographic quotes); every other character is just a word break. An
//! unbalanced quote is ignored, a word that splits into several tokens
//! (`KS/2024:0113`) is searched as a phrase, input beyond 1,000 characters
//! or 12 words is cut. No input can produce an error.
//!
//! Every word must occur in the item's own text or metadata (a document's
//! title and metadata are the document's own: a title word finds the
//! document, not each of its clauses); with several words, a word found
//! only inside a compound counts only when no item holds every word
//! otherwise. Only when no item holds every word
//! that way do surroundings count (clause label, document title and
//! metadata), and only when still nothing matches are items holding some
//! of the words shown ([`SearchResults::relaxed`]). Ranking: an item with
//! the word in any form comes before one with a compound the word heads,
//! which comes before one with a compound the word is a part of; BM25
//! within each.
//!
//! Filters ([`Filter`]) on [`Facet`]s combine as "any value within a facet,
//! all facets". Facet counts cover all results of the search (filters
//! applied), except that a facet filtered on is counted without its own
//! filter: its other values keep their counts, so choosing one crime type
//! still shows how many results each other crime type would give
//! (disjunctive facets). Snippets are plain text with byte ranges to highlight
//! ([`Snippet::segments`] gives text runs for a UI); never markup.

mod analysis;
mod capped;
mod error;
mod facets;
mod heads;
mod index;
mod lexicon;
mod model;
mod query;
mod schema;
mod search;
mod words;

pub use error::{Result, SearchError};
pub use index::{IndexHealth, RebuildStats, SearchIndex};
pub use lexicon::Lexicon;
#[doc(hidden)]
pub use lexicon::build as lexicon_build;
pub use model::{IndexedClause, IndexedDismissal, IndexedDocument, IndexedFinding};
pub use search::{
    COUNT_CAP, DocumentGroup, Facet, FacetCounts, FacetValue, Filter, Highlight, Hit, HitKind,
    MAX_FACET_VALUES, MAX_LIMIT, MAX_OFFSET, MatchedIn, SearchRequest, SearchResults, Segment,
    Snippet,
};

/// How the search reads one word (lower-cased first): its lemmas, its
/// compound parts, or its stem. For the `analyse_words` example and tests.
#[doc(hidden)]
pub fn explain_word(word: &str) -> String {
    let lower = word.to_lowercase();
    let w = words::analyse(&lower, lexicon::Map::Exact);
    let parts: Vec<String> = w
        .parts
        .iter()
        .map(|p| format!("{}={}", &lower[p.start..p.end], p.lemmas.join("/")))
        .collect();
    format!(
        "{word}: {:?} keys {:?} heads {:?} parts [{}]",
        w.kind,
        w.keys,
        w.heads,
        parts.join(" + ")
    )
}

/// Longest query read, in characters; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = query::MAX_QUERY_CHARS;
