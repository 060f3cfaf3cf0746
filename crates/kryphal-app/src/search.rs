//! Search across the library, kept in step with it.
//!
//! The index ([`kryphal_search::SearchIndex`]) lives in a folder beside the
//! library file (`library.kryphal.search/`). The library is the source of
//! truth; the index is a copy that can always be rebuilt from it
//! ([`Library::reindex`]).
//!
//! **Keeping in step.** Every write to the library is audited, and every
//! audit event names the document it changed, so the highest audit id is
//! the library's change counter ([`Store::change_counter`]). The index
//! records, with each commit, the counter it was brought up to. Writes do
//! nothing here (an autosave while typing stays as fast as before); before
//! each search, the documents changed since the index's counter
//! ([`Store::documents_changed_since`]) are re-indexed. So a search always
//! sees the library as it is, even after changes made by another process
//! (the CLI beside the desktop app).
//!
//! **At start** ([`Library::start_search`]): a missing, damaged or foreign
//! index, or one ahead of the library (a library restored from a backup),
//! is rebuilt from scratch; one behind is caught up. The desktop app does
//! this on a background thread with its own connection to the library, and
//! searches answer [`SearchStatus::Building`] meanwhile; the CLI does it
//! before searching.
//!
//! **When the index cannot be written** (a read-only folder, another window
//! holding it), the index is kept in memory for this session instead, and
//! [`SearchAnswer::message`] says so. Nothing about the index can break the
//! library: every other use case works without it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use kryphal_rules::Rulebook;
use kryphal_search::{
    Facet, IndexHealth, IndexedDocument, MatchedIn, SearchError, SearchIndex, SearchRequest,
};
use kryphal_store::Store;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{AppError, AppResult, ErrorCode, Library};

/// Hits per page unless asked otherwise.
pub const DEFAULT_LIMIT: u32 = 20;
/// The most hits one search returns.
pub const MAX_LIMIT: u32 = kryphal_search::MAX_LIMIT as u32;

/// The filter keys of [`SearchQuery::filters`] (and of `kryphal search
/// --filter KEY=VALUE`), with the facet each stands for.
pub const FILTER_KEYS: [(&str, Facet); 7] = [
    ("document", Facet::Document),
    ("type", Facet::DocumentType),
    ("owner", Facet::Owner),
    ("crime", Facet::CrimeType),
    ("risk", Facet::RiskLevel),
    ("status", Facet::Status),
    ("kind", Facet::Kind),
];

fn facet_key(facet: Facet) -> &'static str {
    FILTER_KEYS
        .iter()
        .find(|(_, f)| *f == facet)
        .map(|(k, _)| *k)
        .unwrap_or("kind")
}

/// A search as the UI or the CLI asks it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SearchQuery {
    /// What was typed: plain words and "quoted phrases". Anything goes; a
    /// query is never an error.
    pub query: String,
    /// Keep only results with these facet values: any value within a key,
    /// all keys.
    pub filters: Vec<SearchFilter>,
    /// Hits to return (default 20, at most 200).
    pub limit: Option<u32>,
}

/// One filter: `key` is one of `document`, `type`, `owner`, `crime`,
/// `risk`, `status`, `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SearchFilter {
    pub key: String,
    pub value: String,
}

/// Whether search can answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SearchStatus {
    /// The results are complete.
    Ready,
    /// The index is being built from the library; try again shortly.
    Building,
    /// Search cannot be used in this session; `message` says why.
    Unavailable,
}

/// The answer to a [`SearchQuery`].
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SearchAnswer {
    pub status: SearchStatus,
    /// Why search is unavailable, or a note on a degraded index (kept in
    /// memory because its folder cannot be written).
    pub message: Option<String>,
    /// Results in all (not just these hits); a lower bound when
    /// `total_is_lower_bound`.
    pub total: u32,
    /// More results matched than a search counts exactly
    /// ([`kryphal_search::COUNT_CAP`]): `total` and the facet counts are
    /// counts over the first matches (show "at least"/"10 000+"), and the
    /// hits are the best of those.
    pub total_is_lower_bound: bool,
    /// The facet counts are counts over the first matches only: the total
    /// was capped, or a filtered facet's own count (taken without its
    /// filter) was. Can be set while `total_is_lower_bound` is not.
    pub facets_are_lower_bounds: bool,
    /// Best first.
    pub hits: Vec<SearchHit>,
    /// Counts per facet over all results; facets without values left out.
    pub facets: Vec<SearchFacet>,
    /// No item held every word, so items holding some of them are shown.
    pub relaxed: bool,
    /// The query was too long; only its beginning was searched.
    pub query_truncated: bool,
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SearchHit {
    /// `document`, `clause`, `finding` or `dismissal`.
    pub kind: String,
    pub document_id: String,
    pub document_title: String,
    /// The clause hit, or the clause a finding or dismissal is on.
    pub clause_id: Option<String>,
    pub finding_id: Option<String>,
    pub suggestion_id: Option<String>,
    /// The clause's label (empty for a document).
    pub label: String,
    /// The clause's position in its document.
    pub position: u32,
    /// The snippet as plain and highlighted runs of text (never markup).
    pub segments: Vec<SearchSegment>,
    /// Text was cut before / after the snippet.
    pub cut_before: bool,
    pub cut_after: bool,
    /// `text` (the item's own text) or `metadata` (only its surroundings).
    pub matched_in: String,
    /// The highlighted words, each once, in order: for marking them in the
    /// clause when the hit is opened.
    pub words: Vec<String>,
}

/// A run of snippet text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SearchSegment {
    pub text: String,
    pub highlighted: bool,
}

/// The counts of one facet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SearchFacet {
    /// The filter key (`document`, `type`, …).
    pub key: String,
    /// Most frequent first.
    pub values: Vec<SearchFacetValue>,
}

/// How many results have one facet value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SearchFacetValue {
    pub value: String,
    /// A readable name where the value is an id (document titles).
    pub label: Option<String>,
    pub count: u32,
}

/// What `reindex` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReindexReport {
    pub documents: u32,
    /// Searchable items: documents, clauses, findings and dismissals.
    pub items: u32,
    /// The index folder (`None` when the index is kept in memory).
    pub path: Option<String>,
    /// A note on a degraded index (kept in memory), as in [`SearchAnswer`].
    pub message: Option<String>,
}

/// The index folder of the library at `library`: `<library>.search`.
pub fn index_dir(library: &Path) -> PathBuf {
    let mut name = library.as_os_str().to_owned();
    name.push(".search");
    PathBuf::from(name)
}

impl From<SearchError> for AppError {
    fn from(e: SearchError) -> Self {
        AppError::new(ErrorCode::SearchUnavailable, e.to_string())
    }
}

/// Where the index stands, shared with the background builder.
#[derive(Debug, Clone)]
enum Phase {
    Building,
    Ready,
    Failed(String),
}

/// The library's search index and its state. Opened on first use.
#[derive(Default)]
pub(crate) struct SearchState {
    open: Option<OpenIndex>,
}

struct OpenIndex {
    index: Arc<SearchIndex>,
    phase: Arc<Mutex<Phase>>,
    /// Set when the index is kept in memory: why.
    note: Option<String>,
}

fn lock(m: &Mutex<Phase>) -> MutexGuard<'_, Phase> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The searchable copy of one document, read from the store (`None` when
/// the document no longer exists).
fn indexed_document(
    store: &Store,
    rulebook: &Rulebook,
    id: &str,
) -> AppResult<Option<IndexedDocument>> {
    let document = match store.document(id) {
        Ok(d) => d,
        Err(kryphal_store::StoreError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let outline = store.outline(id)?;
    let mut findings = store.findings(id)?;
    for f in &mut findings {
        f.risk_level = match (f.input.likelihood, f.input.impact) {
            (Some(l), Some(i)) => rulebook.risk_level(l, i).map(|lvl| lvl.id.clone()),
            _ => None,
        };
    }
    let suggestions = store.suggestions(id)?;
    let mut indexed =
        IndexedDocument::from_domain(&document, &outline, &findings, &suggestions, |code| {
            rulebook.crime_type(code).map(|c| c.name.clone())
        });
    // The index reads clause texts and titles as screening does: a
    // zero-width space or a look-alike letter cannot hide a word from
    // search (`kryphal_domain::matching`). The library keeps the text as written.
    let read = |s: &mut String| {
        if let std::borrow::Cow::Owned(m) = kryphal_domain::matching_text(s) {
            *s = m;
        }
    };
    read(&mut indexed.title);
    for clause in &mut indexed.clauses {
        read(&mut clause.text);
        read(&mut clause.label);
    }
    Ok(Some(indexed))
}

/// Rebuilds the whole index from the library.
fn rebuild(store: &Store, rulebook: &Rulebook, index: &SearchIndex) -> AppResult<(u32, u32)> {
    let generation = store.change_counter()?;
    let ids: Vec<String> = store.documents()?.into_iter().map(|d| d.id).collect();
    let documents = ids
        .iter()
        .filter_map(|id| indexed_document(store, rulebook, id).transpose());
    let stats = index.try_rebuild(documents, generation)?;
    Ok((stats.documents as u32, stats.items as u32))
}

/// Re-indexes the documents changed since the index's counter. The counter
/// is advanced only with the last document, so an interruption leaves the
/// index visibly behind (and caught up next time), never wrongly current.
fn catch_up(store: &Store, rulebook: &Rulebook, index: &SearchIndex) -> AppResult<()> {
    let library = store.change_counter()?;
    let Some(at) = index.generation() else {
        rebuild(store, rulebook, index)?;
        return Ok(());
    };
    if at == library {
        return Ok(());
    }
    if at > library {
        // The index belongs to a later state of some library (a backup was
        // restored): it cannot be caught up, only rebuilt.
        rebuild(store, rulebook, index)?;
        return Ok(());
    }
    let changed = store.documents_changed_since(at)?;
    let Some((last, rest)) = changed.split_last() else {
        index.set_generation(library)?;
        return Ok(());
    };
    for (id, stamp) in rest
        .iter()
        .map(|id| (id, at))
        .chain(std::iter::once((last, library)))
    {
        match indexed_document(store, rulebook, id)? {
            Some(doc) => index.replace_document(&doc, stamp)?,
            None => index.remove_document(id, stamp)?,
        }
    }
    Ok(())
}

/// Brings an index just opened up to date: rebuilt when it is new, damaged
/// or ahead of the library, caught up when behind.
fn bring_up_to_date(
    store: &Store,
    rulebook: &Rulebook,
    index: &SearchIndex,
    health: &IndexHealth,
) -> AppResult<()> {
    match health {
        IndexHealth::Ready {
            generation: Some(_),
        } => catch_up(store, rulebook, index),
        _ => rebuild(store, rulebook, index).map(|_| ()),
    }
}

/// Opens the index beside `library`, or in memory when that folder cannot
/// be used; the note says why.
/// The index of an encrypted library is always kept in memory: a folder
/// beside it would hold its text unencrypted.
fn open_index(
    library: &Path,
    encrypted: bool,
) -> AppResult<(SearchIndex, IndexHealth, Option<String>)> {
    if encrypted {
        return Ok((SearchIndex::in_memory()?, IndexHealth::Created, None));
    }
    let dir = index_dir(library);
    match SearchIndex::open(&dir) {
        Ok((index, health)) => Ok((index, health, None)),
        Err(e) => {
            let note = format!(
                "The search index cannot be kept beside the library ({e}), so it is built in memory for this session."
            );
            let index = SearchIndex::in_memory()?;
            Ok((index, IndexHealth::Created, Some(note)))
        }
    }
}

impl Library {
    /// Opens the search index and brings it up to date with the library.
    /// With `background`, a rebuild or catch-up runs on its own thread
    /// (with its own connection to the library) and searches answer
    /// [`SearchStatus::Building`] until it is done; otherwise it runs
    /// before this returns. Does nothing when the index is already open.
    /// Never fails: a problem is reported by [`Library::search`].
    pub fn start_search(&mut self, background: bool) {
        if self.search.open.is_some() {
            return;
        }
        let (index, health, note) = match open_index(self.store.path(), self.store.is_encrypted()) {
            Ok(opened) => opened,
            Err(e) => {
                self.search.open = Some(OpenIndex {
                    index: Arc::new(match SearchIndex::in_memory() {
                        Ok(i) => i,
                        Err(_) => return,
                    }),
                    phase: Arc::new(Mutex::new(Phase::Failed(e.message))),
                    note: None,
                });
                return;
            }
        };
        let index = Arc::new(index);
        let phase = Arc::new(Mutex::new(Phase::Building));
        if background {
            let path = self.store.path().to_path_buf();
            let key = self.store.passphrase().cloned();
            let rulebook = self.rulebook.clone();
            let (index2, phase2) = (Arc::clone(&index), Arc::clone(&phase));
            let spawned = std::thread::Builder::new()
                .name("search-index".into())
                .spawn(move || {
                    let result = Store::open_with(&path, key.as_ref())
                        .map_err(AppError::from)
                        .and_then(|store| bring_up_to_date(&store, &rulebook, &index2, &health));
                    *lock(&phase2) = match result {
                        Ok(()) => Phase::Ready,
                        Err(e) => Phase::Failed(e.message),
                    };
                });
            if let Err(e) = spawned {
                *lock(&phase) = Phase::Failed(format!(
                    "The search index could not be built: no thread could be started ({e})."
                ));
            }
        } else {
            let result = bring_up_to_date(&self.store, &self.rulebook, &index, &health);
            *lock(&phase) = match result {
                Ok(()) => Phase::Ready,
                Err(e) => Phase::Failed(e.message),
            };
        }
        self.search.open = Some(OpenIndex { index, phase, note });
    }

    /// Whether the index is being built in the background.
    pub fn search_building(&self) -> bool {
        self.search
            .open
            .as_ref()
            .is_some_and(|o| matches!(*lock(&o.phase), Phase::Building))
    }

    /// Searches the library. Opens the index first if needed (and builds it
    /// right away). Any text is a valid query; only an unknown filter key is
    /// an error ([`ErrorCode::InvalidInput`]). An index that cannot be used
    /// is not an error either: the answer's status says so.
    pub fn search(&mut self, query: &SearchQuery) -> AppResult<SearchAnswer> {
        let mut request = SearchRequest::new(query.query.clone());
        request.limit = query.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize;
        for f in &query.filters {
            let Some((_, facet)) = FILTER_KEYS.iter().find(|(k, _)| *k == f.key) else {
                let keys: Vec<&str> = FILTER_KEYS.iter().map(|(k, _)| *k).collect();
                return Err(AppError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "Unknown search filter \"{}\": use one of {}.",
                        f.key,
                        keys.join(", ")
                    ),
                ));
            };
            request = request.filter(*facet, f.value.clone());
        }
        self.start_search(false);
        let empty = |status, message| SearchAnswer {
            status,
            message,
            total: 0,
            total_is_lower_bound: false,
            facets_are_lower_bounds: false,
            hits: Vec::new(),
            facets: Vec::new(),
            relaxed: false,
            query_truncated: false,
        };
        let Some(open) = &self.search.open else {
            return Ok(empty(
                SearchStatus::Unavailable,
                Some("The search index could not be opened.".into()),
            ));
        };
        let phase = lock(&open.phase).clone();
        match phase {
            Phase::Building => return Ok(empty(SearchStatus::Building, None)),
            Phase::Failed(why) => return Ok(empty(SearchStatus::Unavailable, Some(why))),
            Phase::Ready => {}
        }
        let searched = catch_up(&self.store, &self.rulebook, &open.index)
            .and_then(|()| open.index.search(&request).map_err(AppError::from));
        let results = match searched {
            Ok(r) => r,
            Err(e) => return Ok(empty(SearchStatus::Unavailable, Some(e.message))),
        };
        let hits = results
            .hits
            .iter()
            .map(|h| {
                let mut words: Vec<String> = Vec::new();
                for w in h.snippet.highlighted_words() {
                    if !words.iter().any(|x| x.eq_ignore_ascii_case(w)) {
                        words.push(w.to_owned());
                    }
                }
                SearchHit {
                    kind: h.kind.as_str().to_owned(),
                    document_id: h.document_id.clone(),
                    document_title: h.document_title.clone(),
                    clause_id: h.clause_id.clone(),
                    finding_id: h.finding_id.clone(),
                    suggestion_id: h.suggestion_id.clone(),
                    label: h.label.clone(),
                    position: h.position,
                    segments: h
                        .snippet
                        .segments()
                        .into_iter()
                        .map(|s| SearchSegment {
                            text: s.text,
                            highlighted: s.highlighted,
                        })
                        .collect(),
                    cut_before: h.snippet.cut_before,
                    cut_after: h.snippet.cut_after,
                    matched_in: match h.matched_in {
                        MatchedIn::Text => "text",
                        MatchedIn::Metadata => "metadata",
                    }
                    .to_owned(),
                    words,
                }
            })
            .collect();
        let facets = results
            .facets
            .iter()
            .filter(|f| !f.values.is_empty())
            .map(|f| SearchFacet {
                key: facet_key(f.facet).to_owned(),
                values: f
                    .values
                    .iter()
                    .map(|v| SearchFacetValue {
                        value: v.value.clone(),
                        label: v.label.clone(),
                        count: u32::try_from(v.count).unwrap_or(u32::MAX),
                    })
                    .collect(),
            })
            .collect();
        Ok(SearchAnswer {
            status: SearchStatus::Ready,
            message: open.note.clone(),
            total: u32::try_from(results.total).unwrap_or(u32::MAX),
            total_is_lower_bound: results.total_is_lower_bound,
            facets_are_lower_bounds: results.facets_are_lower_bounds,
            hits,
            facets,
            relaxed: results.relaxed,
            query_truncated: results.query_truncated,
        })
    }

    /// Rebuilds the search index from the library, now.
    pub fn reindex(&mut self) -> AppResult<ReindexReport> {
        self.start_search(false);
        let Some(open) = &self.search.open else {
            return Err(AppError::new(
                ErrorCode::SearchUnavailable,
                "The search index could not be opened.",
            ));
        };
        if let Phase::Building = *lock(&open.phase) {
            return Err(AppError::new(
                ErrorCode::SearchUnavailable,
                "The search index is already being built; try again when it is done.",
            ));
        }
        let (documents, items) = rebuild(&self.store, &self.rulebook, &open.index)?;
        *lock(&open.phase) = Phase::Ready;
        Ok(ReindexReport {
            documents,
            items,
            path: open.index.dir().map(|d| d.display().to_string()),
            message: open.note.clone(),
        })
    }
}
