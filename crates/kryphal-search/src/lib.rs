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
//! Text is lower-cased and Swedish-stemmed (Snowball) into one field and,
//! additionally ASCII-folded after stemming, into a second. A word typed
//! with å/ä/ö searches the exact field; a word typed without them searches
//! the folded one, so `atgardsplan` finds `åtgärdsplan`. Compounds: a typed
//! word whose stem has at least six letters also reaches the (at most 32
//! most frequent) indexed terms that begin with it, so `auktorisation`
//! finds `auktorisationsvillkoren` and `belastningsregister` finds
//! `belastningsregistret`. Such a word also finds the compounds it ends
//! (their *head*, with at most a 3-byte ending left by stemming):
//! `register` finds `belastningsregistret`, `kontroll` finds
//! `egenkontroll`, found by a substring search over a cached copy of each
//! segment's term list (tens of microseconds per word). A shorter stem only
//! takes inflection endings, so `vård` finds neither `vårdnadshavare` nor
//! `hemvård`. A quoted word is matched exactly
//! (stemmed, no compounds). Swedish stop words are ignored unless nothing
//! else was typed.
//!
//! ## Queries
//!
//! What is typed is read as plain words and "quoted phrases" (straight or
//! typographic quotes); every other character is just a word break. An
//! unbalanced quote is ignored, a word that splits into several tokens
//! (`KS/2024:0113`) is searched as a phrase, input beyond 1,000 characters
//! or 12 words is cut. No input can produce an error.
//!
//! Every word must occur in the item or its surroundings (document title
//! and metadata, clause label, crime type names); when no item holds them
//! all, items holding some are shown and [`SearchResults::relaxed`] says
//! so. With several words, items whose own text holds every word rank
//! first (a constant bonus); otherwise BM25, with surroundings weighted at
//! 2 % of own text (so a one-word search lists own-text matches first) and
//! compounds/inflections at 60 % of the exact stem.
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
mod model;
mod query;
mod schema;
mod search;

pub use error::{Result, SearchError};
pub use index::{IndexHealth, RebuildStats, SearchIndex};
pub use model::{IndexedClause, IndexedDismissal, IndexedDocument, IndexedFinding};
pub use search::{
    COUNT_CAP, DocumentGroup, Facet, FacetCounts, FacetValue, Filter, Highlight, Hit, HitKind,
    MAX_FACET_VALUES, MAX_LIMIT, MAX_OFFSET, MatchedIn, SearchRequest, SearchResults, Segment,
    Snippet,
};

/// Longest query read, in characters; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = query::MAX_QUERY_CHARS;
