//! Running a search: building the tantivy query from the parsed input,
//! counting facets and cutting snippets.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Facet as TFacet, Field, IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use crate::analysis::{Analyzers, Expansion, Token};
use crate::capped::Capped;
use crate::error::Result;
use crate::facets::{Counts, FacetCounter};
use crate::heads::TermListCache;
use crate::index::SearchIndex;
use crate::query::{ParsedQuery, Part, parse};

/// At most this many hits per page.
pub const MAX_LIMIT: usize = 200;
/// Paging stops here.
pub const MAX_OFFSET: usize = 10_000;
/// Matches are counted exactly up to this many (the default of
/// [`SearchIndex::set_count_cap`]); above it the total and the facet counts
/// are counts over the first this-many matches in index order, flagged by
/// [`SearchResults::total_is_lower_bound`]. Equal to [`MAX_OFFSET`]: no
/// page can start beyond it anyway.
pub const COUNT_CAP: usize = 10_000;
/// At most this many values are returned per facet (the most frequent).
pub const MAX_FACET_VALUES: usize = 50;
/// A typed word reaches at most this many other indexed terms (compounds,
/// inflections), the most frequent first.
const MAX_EXPANSIONS: usize = 32;
/// Weight of a compound/inflection relative to the exact stem.
const EXPANSION_BOOST: f32 = 0.6;
/// Weight of a match in the surroundings (title, metadata, label) relative
/// to a match in the item's own text: small enough that, for one word, an
/// own-text match in practice always outranks a surroundings-only match
/// (only an extremely long text against a very rare title word could
/// invert them), while still ordering surroundings-only matches among
/// themselves. Several words get a strict guarantee, see below.
const CONTEXT_BOOST: f32 = 0.02;
/// Added, when several words are searched, to items whose own text holds
/// every one, so that they come before any item that needed its
/// surroundings to match some word.
const ALL_IN_TEXT_BONUS: f32 = 1_000.0;
/// Snippets are cut from texts longer than this many bytes.
const SNIPPET_BYTES: usize = 280;
/// Context kept before the first highlighted word of a cut snippet.
const SNIPPET_LEAD_BYTES: usize = 60;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Document,
    Clause,
    Finding,
    Dismissal,
}

impl HitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HitKind::Document => "document",
            HitKind::Clause => "clause",
            HitKind::Finding => "finding",
            HitKind::Dismissal => "dismissal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "document" => HitKind::Document,
            "clause" => HitKind::Clause,
            "finding" => HitKind::Finding,
            "dismissal" => HitKind::Dismissal,
            _ => return None,
        })
    }
}

/// What results can be filtered and counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Facet {
    /// Document id (values are labelled with the title).
    Document,
    DocumentType,
    /// Owning body.
    Owner,
    /// Crime type id (findings only).
    CrimeType,
    /// Risk level id (findings only).
    RiskLevel,
    /// Finding status (findings only).
    Status,
    /// Document, clause, finding or dismissal.
    Kind,
}

impl Facet {
    /// Every facet, in the order results list them.
    pub const ALL: [Facet; 7] = [
        Facet::Document,
        Facet::DocumentType,
        Facet::Owner,
        Facet::CrimeType,
        Facet::RiskLevel,
        Facet::Status,
        Facet::Kind,
    ];

    pub(crate) fn root(self) -> &'static str {
        match self {
            Facet::Document => "d",
            Facet::DocumentType => "t",
            Facet::Owner => "o",
            Facet::CrimeType => "c",
            Facet::RiskLevel => "r",
            Facet::Status => "s",
            Facet::Kind => "k",
        }
    }
}

/// Keep only results whose `facet` has `value`. Several filters on one
/// facet mean "any of these"; filters on different facets must all hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub facet: Facet,
    pub value: String,
}

/// A search as the user asked it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    /// What was typed: plain words and "quoted phrases". Anything goes.
    pub query: String,
    pub filters: Vec<Filter>,
    /// Hits per page (capped at [`MAX_LIMIT`]; 0 gives counts only).
    pub limit: usize,
    pub offset: usize,
}

impl SearchRequest {
    /// A first page of 20 hits for `query`.
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            filters: Vec::new(),
            limit: 20,
            offset: 0,
        }
    }

    /// Adds a filter.
    pub fn filter(mut self, facet: Facet, value: impl Into<String>) -> Self {
        self.filters.push(Filter {
            facet,
            value: value.into(),
        });
        self
    }
}

/// A byte range of [`Snippet::text`] to highlight (always on character
/// boundaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    pub start: usize,
    pub end: usize,
}

/// A run of snippet text, highlighted or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub text: String,
    pub highlighted: bool,
}

/// A piece of the hit's text around the matched words: plain text and the
/// ranges to highlight. Never markup.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<Highlight>,
    /// The text was cut before the snippet (show an ellipsis).
    pub cut_before: bool,
    /// The text goes on after the snippet.
    pub cut_after: bool,
}

impl Snippet {
    /// The snippet as alternating plain and highlighted runs (what a UI
    /// that renders text, not HTML, wants).
    pub fn segments(&self) -> Vec<Segment> {
        let mut out = Vec::new();
        let mut at = 0;
        for h in &self.highlights {
            if h.start > at {
                out.push(Segment {
                    text: self.text[at..h.start].to_owned(),
                    highlighted: false,
                });
            }
            out.push(Segment {
                text: self.text[h.start..h.end].to_owned(),
                highlighted: true,
            });
            at = h.end;
        }
        if at < self.text.len() {
            out.push(Segment {
                text: self.text[at..].to_owned(),
                highlighted: false,
            });
        }
        out
    }

    /// The highlighted words, in order.
    pub fn highlighted_words(&self) -> Vec<&str> {
        self.highlights
            .iter()
            .map(|h| &self.text[h.start..h.end])
            .collect()
    }
}

/// Where the words were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedIn {
    /// In the item's own text (clause text, finding analysis, dismissal
    /// reason, document title).
    Text,
    /// Only in its surroundings: document title and metadata, clause label,
    /// crime type names, suggestion message.
    Metadata,
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub kind: HitKind,
    pub document_id: String,
    pub document_title: String,
    /// The clause hit, or the clause a finding or dismissal is on.
    pub clause_id: Option<String>,
    pub finding_id: Option<String>,
    pub suggestion_id: Option<String>,
    /// The clause's label (empty for a document).
    pub label: String,
    /// The clause's position in its document (0 for a document).
    pub position: u32,
    pub snippet: Snippet,
    pub matched_in: MatchedIn,
    pub score: f32,
}

/// How many results have a facet value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    /// A readable name where the value is an id (document titles).
    pub label: Option<String>,
    pub count: u64,
}

/// The counts of one facet over all results (not just this page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCounts {
    pub facet: Facet,
    /// Most frequent first, at most [`MAX_FACET_VALUES`].
    pub values: Vec<FacetValue>,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SearchResults {
    /// This page of hits, best first.
    pub hits: Vec<Hit>,
    /// Number of results in all; a lower bound when
    /// [`SearchResults::total_is_lower_bound`].
    pub total: usize,
    /// More than the count cap ([`COUNT_CAP`]) matched: counting stopped
    /// there, so `total` and every facet count are counts over the first
    /// matches in index order (lower bounds), and the page of hits is the
    /// best of those matches, not necessarily of all.
    pub total_is_lower_bound: bool,
    /// The facet counts are lower bounds: set with
    /// `total_is_lower_bound`, and also when only the own pass of a facet
    /// filtered on (counted without its filter, so over more matches) hit
    /// the cap while `total` is exact.
    pub facets_are_lower_bounds: bool,
    /// Per facet, counts over all results (every facet, in [`Facet::ALL`]
    /// order; empty when there are no results). A facet filtered on is
    /// counted as if its own filter were not set, so its other values stay
    /// visible with the number of results each would give. Lower bounds
    /// when [`SearchResults::total_is_lower_bound`] (each facet's own pass
    /// is capped the same way).
    pub facets: Vec<FacetCounts>,
    /// The words and phrases searched for, as typed.
    pub searched: Vec<String>,
    /// No item held every word, so items holding some of them are shown.
    pub relaxed: bool,
    /// The query was too long and only its beginning was searched.
    pub query_truncated: bool,
}

/// Hits of one document, for results grouped by document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentGroup<'a> {
    pub document_id: &'a str,
    pub document_title: &'a str,
    /// In the order of the page (best first).
    pub hits: Vec<&'a Hit>,
}

impl SearchResults {
    /// The page's hits grouped by document; groups in the order of their
    /// best hit.
    pub fn by_document(&self) -> Vec<DocumentGroup<'_>> {
        let mut groups: Vec<DocumentGroup<'_>> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for hit in &self.hits {
            let i = *index.entry(&hit.document_id).or_insert_with(|| {
                groups.push(DocumentGroup {
                    document_id: &hit.document_id,
                    document_title: &hit.document_title,
                    hits: Vec::new(),
                });
                groups.len() - 1
            });
            groups[i].hits.push(hit);
        }
        groups
    }

    /// The counts of one facet.
    pub fn facet(&self, facet: Facet) -> &[FacetValue] {
        self.facets
            .iter()
            .find(|f| f.facet == facet)
            .map(|f| f.values.as_slice())
            .unwrap_or(&[])
    }
}

/// Top hits, total count and facet counts of one search, and whether
/// counting stopped at the cap.
type Collected = ((Vec<(f32, tantivy::DocAddress)>, usize, Counts), bool);

/// Which fields a part is searched in.
#[derive(Clone, Copy)]
enum Scope {
    /// Own text and surroundings.
    All,
    /// Own text only.
    Text,
}

/// The terms a query part reaches in each field, found once per search.
struct Reach {
    body: Vec<Term>,
    context: Vec<Term>,
}

impl SearchIndex {
    /// Searches. Never fails on what was typed: an empty or unreadable query
    /// gives no hits (or, with filters, everything the filters keep).
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let mut analyzers = self.analyzers.clone();
        let parsed = parse(&request.query, &mut analyzers);
        let searcher = self.reader.searcher();
        let live: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        self.facet_maps.retain(&live);
        self.term_lists.retain(&live);
        let mut results = SearchResults {
            searched: parsed
                .parts
                .iter()
                .map(|p| p.surface().to_owned())
                .collect(),
            query_truncated: parsed.truncated,
            ..Default::default()
        };
        if parsed.parts.is_empty() && request.filters.is_empty() {
            return Ok(results);
        }
        let reach: Vec<Reach> = parsed
            .parts
            .iter()
            .map(|p| self.reach(&searcher, p))
            .collect::<Result<_>>()?;

        let mut relaxed = false;
        let mut query = self.build(&parsed, &reach, &request.filters, relaxed, false);
        let mut found = self.collect(&searcher, query.as_ref(), request)?;
        if found.0.1 == 0 && parsed.parts.len() > 1 {
            relaxed = true;
            query = self.build(&parsed, &reach, &request.filters, relaxed, false);
            found = self.collect(&searcher, query.as_ref(), request)?;
            results.relaxed = found.0.1 > 0;
        }
        let ((mut top, total, counts), capped) = found;
        results.total = total;
        results.total_is_lower_bound = capped;
        results.facets_are_lower_bounds = capped;
        // With several parts, a page made only of best-tier items (score
        // with the all-in-text bonus) needs no second pass.
        let page_end = request.offset.min(MAX_OFFSET) + request.limit.clamp(1, MAX_LIMIT);
        let page_is_best_tier = parsed.parts.len() > 1
            && top.len() >= page_end
            && top.iter().all(|(score, _)| *score >= ALL_IN_TEXT_BONUS);
        if capped && !relaxed && !parsed.parts.is_empty() && !page_is_best_tier {
            // The page above is the best of the first matches in index
            // order, and those may be surroundings-only matches while items
            // holding every word in their own text (which rank first) come
            // later. So the matches of that best tier get a capped pass of
            // their own, scored exactly as in the full query, and the two
            // tops are merged: an item of the best tier is never displaced
            // by a lesser one merely because the latter was indexed first.
            let query = self.build(&parsed, &reach, &request.filters, relaxed, true);
            let ((best, _, _), _) = self.collect(&searcher, query.as_ref(), request)?;
            top.extend(best);
            top.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            top.dedup_by_key(|(_, address)| *address);
        }
        results.facets = self.facet_counts(&counts);
        // A facet filtered on is counted without its own filter, so that its
        // other values stay visible (choosing one crime type still shows how
        // many results the others would give). One more pass, without
        // scoring, per facet filtered on.
        let mut filtered: Vec<Facet> = request.filters.iter().map(|f| f.facet).collect();
        filtered.sort_by_key(|f| f.root());
        filtered.dedup();
        for facet in filtered {
            let others: Vec<Filter> = request
                .filters
                .iter()
                .filter(|f| f.facet != facet)
                .cloned()
                .collect();
            let query = self.build(&parsed, &reach, &others, relaxed, false);
            let counter = Capped::new(
                FacetCounter {
                    cache: &self.facet_maps,
                },
                self.count_cap(),
            );
            let counts = searcher.search(query.as_ref(), &counter)?;
            results.facets_are_lower_bounds |= counter.was_capped();
            let mut own = self.facet_counts(&counts);
            if let (Some(slot), Some(mine)) = (
                results.facets.iter_mut().find(|f| f.facet == facet),
                own.iter_mut().find(|f| f.facet == facet),
            ) {
                slot.values = std::mem::take(&mut mine.values);
            }
        }
        let matcher = Matcher::new(&parsed);
        let offset = request.offset.min(MAX_OFFSET);
        for (score, address) in top
            .into_iter()
            .skip(offset)
            .take(request.limit.min(MAX_LIMIT))
        {
            let doc: TantivyDocument = searcher.doc(address)?;
            results
                .hits
                .push(self.hit(&doc, score, &matcher, &mut analyzers));
        }
        Ok(results)
    }

    fn collect(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        request: &SearchRequest,
    ) -> Result<Collected> {
        let facets = FacetCounter {
            cache: &self.facet_maps,
        };
        let limit = request.limit.clamp(1, MAX_LIMIT);
        let offset = request.offset.min(MAX_OFFSET);
        // The page with everything before it (so that two tops can be
        // merged); cut to the page by the caller.
        let top = TopDocs::with_limit(offset + limit).order_by_score();
        // Never fewer than the page asked for.
        let cap = self.count_cap().max(offset + limit);
        let collector = Capped::new((top, Count, facets), cap);
        let found = searcher.search(query, &collector)?;
        Ok((found, collector.was_capped()))
    }

    fn facet_counts(&self, counts: &Counts) -> Vec<FacetCounts> {
        let mut by_facet: HashMap<Facet, Vec<(&str, u64)>> = HashMap::new();
        for (facet, value, count) in counts.values() {
            by_facet.entry(facet).or_default().push((value, count));
        }
        let titles = self.titles.read().unwrap_or_else(|e| e.into_inner());
        Facet::ALL
            .iter()
            .map(|&facet| {
                let mut values = by_facet.remove(&facet).unwrap_or_default();
                let order =
                    |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
                if values.len() > MAX_FACET_VALUES {
                    values.select_nth_unstable_by(MAX_FACET_VALUES, order);
                    values.truncate(MAX_FACET_VALUES);
                }
                values.sort_unstable_by(order);
                let values = values
                    .into_iter()
                    .map(|(value, count)| FacetValue {
                        value: value.to_owned(),
                        label: match facet {
                            Facet::Document => titles.get(value).cloned(),
                            _ => None,
                        },
                        count,
                    })
                    .collect();
                FacetCounts { facet, values }
            })
            .collect()
    }

    /// Finds the indexed terms a part reaches, in the fields it searches.
    fn reach(&self, searcher: &Searcher, part: &Part) -> Result<Reach> {
        let f = &self.fields;
        let (body, context) = match part {
            Part::Word { folded, .. } | Part::Phrase { folded, .. } if *folded => {
                (f.body_folded, f.context_folded)
            }
            _ => (f.body, f.context),
        };
        match part {
            Part::Word { key, expansion, .. } => Ok(Reach {
                body: expand(searcher, &self.term_lists, body, key, *expansion)?,
                context: expand(searcher, &self.term_lists, context, key, *expansion)?,
            }),
            Part::Phrase { keys, .. } => Ok(Reach {
                body: keys
                    .iter()
                    .map(|k| Term::from_field_text(body, k))
                    .collect(),
                context: keys
                    .iter()
                    .map(|k| Term::from_field_text(context, k))
                    .collect(),
            }),
        }
    }

    fn build(
        &self,
        parsed: &ParsedQuery,
        reach: &[Reach],
        filters: &[Filter],
        relaxed: bool,
        best_tier_only: bool,
    ) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !parsed.parts.is_empty() {
            let all: Vec<Box<dyn Query>> = parsed
                .parts
                .iter()
                .zip(reach)
                .map(|(p, r)| part_query(p, r, Scope::All))
                .collect();
            if relaxed {
                clauses.push((Occur::Must, Box::new(BooleanQuery::union(all))));
            } else {
                clauses.extend(all.into_iter().map(|q| (Occur::Must, q)));
            }
        }
        if parsed.parts.len() > 1 {
            let in_text: Vec<Box<dyn Query>> = parsed
                .parts
                .iter()
                .zip(reach)
                .map(|(p, r)| part_query(p, r, Scope::Text))
                .collect();
            clauses.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(
                    Box::new(BooleanQuery::intersection(in_text)),
                    ALL_IN_TEXT_BONUS,
                )),
            ));
        }
        if best_tier_only && !parsed.parts.is_empty() {
            // Only items holding every part in their own text; scores are
            // unchanged (this clause adds nothing to them).
            let in_text: Vec<Box<dyn Query>> = parsed
                .parts
                .iter()
                .zip(reach)
                .map(|(p, r)| part_query(p, r, Scope::Text))
                .collect();
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(
                    Box::new(BooleanQuery::intersection(in_text)),
                    0.0,
                )),
            ));
        }
        let mut by_facet: BTreeMap<&'static str, Vec<Box<dyn Query>>> = BTreeMap::new();
        for filter in filters {
            let term = Term::from_facet(
                self.fields.facets,
                &TFacet::from_path([filter.facet.root(), filter.value.trim()]),
            );
            by_facet
                .entry(filter.facet.root())
                .or_default()
                .push(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
        }
        for (_, alternatives) in by_facet {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(
                    Box::new(BooleanQuery::union(alternatives)),
                    0.0,
                )),
            ));
        }
        if clauses.is_empty() {
            // Neither words nor filters (a facet's own counts when it is
            // the only filter of a search without words): everything.
            return Box::new(AllQuery);
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn hit(
        &self,
        doc: &TantivyDocument,
        score: f32,
        matcher: &Matcher,
        analyzers: &mut Analyzers,
    ) -> Hit {
        let f = &self.fields;
        let text = |field: Field| -> String {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let kind = HitKind::parse(&text(f.kind)).unwrap_or(HitKind::Clause);
        let item_id = text(f.item_id);
        let clause_id = Some(text(f.clause_id)).filter(|s| !s.is_empty());
        let position = doc
            .get_first(f.position)
            .and_then(|v| v.as_u64())
            .unwrap_or(0);
        let body = text(f.body);
        let (snippet, matched_in) = match matcher.snippet(&body, analyzers) {
            Some(s) => (s, MatchedIn::Text),
            None => {
                let context = text(f.context);
                match matcher.snippet(&context, analyzers) {
                    Some(s) => (s, MatchedIn::Metadata),
                    // Matched on a filter only: show the start of the text.
                    None => (plain_snippet(&body), MatchedIn::Text),
                }
            }
        };
        Hit {
            kind,
            document_id: text(f.doc_id),
            document_title: text(f.title),
            clause_id: match kind {
                HitKind::Clause => Some(item_id.clone()),
                _ => clause_id,
            },
            finding_id: (kind == HitKind::Finding).then(|| item_id.clone()),
            suggestion_id: (kind == HitKind::Dismissal).then_some(item_id),
            label: text(f.label),
            position: u32::try_from(position).unwrap_or(u32::MAX),
            snippet,
            matched_in,
            score,
        }
    }
}

/// The exact term plus the most frequent terms the expansion reaches, over
/// every segment's term dictionary.
fn expand(
    searcher: &Searcher,
    term_lists: &TermListCache,
    field: Field,
    key: &str,
    expansion: Expansion,
) -> Result<Vec<Term>> {
    let mut terms = vec![Term::from_field_text(field, key)];
    if expansion == Expansion::Exact {
        return Ok(terms);
    }
    let mut upper = key.as_bytes().to_vec();
    upper.push(0xFF); // above every UTF-8 continuation of `key`
    let mut found: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .range()
            .gt(key.as_bytes())
            .lt(&upper)
            .into_stream()
            .map_err(|e| crate::error::SearchError::Engine(e.to_string()))?;
        while stream.advance() {
            let Ok(term) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if expansion.reaches(key, term) {
                *found.entry(term.to_owned()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
        if expansion == Expansion::Prefix {
            for (term, doc_freq) in term_lists.get(segment, field)?.heads(key) {
                *found.entry(term.to_owned()).or_default() += u64::from(doc_freq);
            }
        }
    }
    let mut found: Vec<(String, u64)> = found.into_iter().collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    terms.extend(
        found
            .into_iter()
            .take(MAX_EXPANSIONS)
            .map(|(t, _)| Term::from_field_text(field, &t)),
    );
    Ok(terms)
}

fn terms_query(terms: &[Term]) -> Box<dyn Query> {
    let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(terms.len());
    for (i, t) in terms.iter().enumerate() {
        let q: Box<dyn Query> = Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs));
        let q = if i == 0 {
            q
        } else {
            Box::new(BoostQuery::new(q, EXPANSION_BOOST))
        };
        should.push((Occur::Should, q));
    }
    if should.len() == 1 {
        return should
            .pop()
            .map(|(_, q)| q)
            .unwrap_or_else(|| Box::new(BooleanQuery::new(vec![])));
    }
    Box::new(BooleanQuery::new(should))
}

fn phrase_query(terms: &[Term]) -> Box<dyn Query> {
    if terms.len() == 1 {
        return Box::new(TermQuery::new(
            terms[0].clone(),
            IndexRecordOption::WithFreqs,
        ));
    }
    Box::new(PhraseQuery::new(terms.to_vec()))
}

fn part_query(part: &Part, reach: &Reach, scope: Scope) -> Box<dyn Query> {
    let one = match part {
        Part::Word { .. } => terms_query,
        Part::Phrase { .. } => phrase_query,
    };
    match scope {
        Scope::Text => one(&reach.body),
        Scope::All => Box::new(BooleanQuery::new(vec![
            (Occur::Should, one(&reach.body)),
            (
                Occur::Should,
                Box::new(BoostQuery::new(one(&reach.context), CONTEXT_BOOST)),
            ),
        ])),
    }
}

/// Decides which words of a stored text to highlight, with the same rules
/// the query used to find it.
struct Matcher {
    words: Vec<(String, bool, Expansion)>,
    phrases: Vec<(Vec<String>, bool)>,
}

impl Matcher {
    fn new(parsed: &ParsedQuery) -> Self {
        let mut m = Matcher {
            words: Vec::new(),
            phrases: Vec::new(),
        };
        for p in &parsed.parts {
            match p {
                Part::Word {
                    key,
                    folded,
                    expansion,
                    ..
                } => m.words.push((key.clone(), *folded, *expansion)),
                Part::Phrase { keys, folded, .. } => m.phrases.push((keys.clone(), *folded)),
            }
        }
        m
    }

    /// Every stem searched for, with whether it is folded.
    /// Every stem searched for, with whether it is folded and whether it
    /// can be found inside a word (as a compound's head).
    fn keys(&self) -> impl Iterator<Item = (&str, bool, bool)> {
        self.words
            .iter()
            .map(|(k, f, e)| (k.as_str(), *f, *e == Expansion::Prefix))
            .chain(
                self.phrases
                    .iter()
                    .flat_map(|(ks, f)| ks.iter().map(move |k| (k.as_str(), *f, false))),
            )
    }

    /// For each token, the id of the rule it matches (words first, then
    /// phrases), or `None`.
    fn mark(&self, tokens: &[Token]) -> Vec<Option<usize>> {
        let mut marks: Vec<Option<usize>> = tokens
            .iter()
            .map(|t| {
                self.words
                    .iter()
                    .position(|(key, folded, exp)| exp.reaches(key, form(t, *folded)))
            })
            .collect();
        for (pi, (keys, folded)) in self.phrases.iter().enumerate() {
            let id = self.words.len() + pi;
            if keys.is_empty() || keys.len() > tokens.len() {
                continue;
            }
            for start in 0..=tokens.len() - keys.len() {
                if keys
                    .iter()
                    .enumerate()
                    .all(|(k, key)| form(&tokens[start + k], *folded) == key)
                {
                    for m in &mut marks[start..start + keys.len()] {
                        *m = Some(id);
                    }
                }
            }
        }
        marks
    }

    /// A snippet of `text` around its matches, or `None` when nothing in it
    /// matches.
    fn snippet(&self, text: &str, analyzers: &mut Analyzers) -> Option<Snippet> {
        if text.is_empty() {
            return None;
        }
        let tokens = analyzers.tokens_where(text, |lower, lower_folded| {
            self.keys().any(|(key, folded, inside)| {
                let word = if folded { lower_folded } else { lower };
                if inside {
                    word.contains(key)
                } else {
                    word.starts_with(key)
                }
            })
        });
        let marks = self.mark(&tokens);
        let matched: Vec<usize> = (0..tokens.len()).filter(|&i| marks[i].is_some()).collect();
        if matched.is_empty() {
            return None;
        }
        let (start, end) = if text.len() <= SNIPPET_BYTES {
            (0, text.len())
        } else {
            // The window (starting at a matched word) with the most distinct
            // rules matched, then the most matches.
            let mut best = (0usize, 0usize, matched[0]);
            for &i in &matched {
                let limit = tokens[i].start + SNIPPET_BYTES - SNIPPET_LEAD_BYTES;
                let mut rules: Vec<usize> = Vec::new();
                let mut count = 0;
                for &j in matched
                    .iter()
                    .filter(|&&j| j >= i && tokens[j].end <= limit)
                {
                    count += 1;
                    if let Some(r) = marks[j]
                        && !rules.contains(&r)
                    {
                        rules.push(r);
                    }
                }
                if (rules.len(), count) > (best.0, best.1) {
                    best = (rules.len(), count, i);
                }
            }
            let first = best.2;
            // Start a little before the first match, at a word.
            let lead_from = tokens[first].start.saturating_sub(SNIPPET_LEAD_BYTES);
            let start = tokens[..=first]
                .iter()
                .find(|t| t.start >= lead_from)
                .map_or(tokens[first].start, |t| t.start);
            let start = if start <= tokens[0].start { 0 } else { start };
            let limit = start + SNIPPET_BYTES;
            let end = tokens
                .iter()
                .filter(|t| t.start >= start && t.end <= limit)
                .map(|t| t.end)
                .max()
                .unwrap_or(tokens[first].end)
                .max(tokens[first].end);
            // Keep trailing punctuation that closes the last word.
            let end = extend_punct(text, end);
            (
                start,
                if end >= text.trim_end().len() {
                    text.len()
                } else {
                    end
                },
            )
        };
        let mut highlights: Vec<Highlight> = Vec::new();
        let mut last_rule: Option<usize> = None;
        for &i in &matched {
            let t = &tokens[i];
            if t.start < start || t.end > end {
                continue;
            }
            let h = Highlight {
                start: t.start - start,
                end: t.end - start,
            };
            // Join the words of one phrase occurrence into one highlight.
            let joinable = marks[i].is_some_and(|r| r >= self.words.len()) && last_rule == marks[i];
            match highlights.last_mut() {
                Some(prev)
                    if joinable
                        && text[start + prev.end..t.start]
                            .chars()
                            .all(|c| !c.is_alphanumeric()) =>
                {
                    prev.end = h.end;
                }
                _ => highlights.push(h),
            }
            last_rule = marks[i];
        }
        let slice = &text[start..end];
        Some(Snippet {
            text: slice.to_owned(),
            highlights,
            cut_before: start > 0,
            cut_after: end < text.len(),
        })
    }
}

fn form(t: &Token, folded: bool) -> &str {
    if folded { &t.folded } else { &t.stem }
}

/// Moves `end` past punctuation that directly follows a word (not spaces).
fn extend_punct(text: &str, end: usize) -> usize {
    let mut e = end;
    for c in text[end..].chars() {
        if c.is_whitespace() || c.is_alphanumeric() {
            break;
        }
        e += c.len_utf8();
        if e - end > 3 {
            break;
        }
    }
    e
}

/// The beginning of a text, for hits found by filters alone.
fn plain_snippet(text: &str) -> Snippet {
    if text.len() <= SNIPPET_BYTES {
        return Snippet {
            text: text.to_owned(),
            ..Default::default()
        };
    }
    let mut end = SNIPPET_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if let Some(space) = text[..end].rfind(char::is_whitespace)
        && space > SNIPPET_BYTES / 2
    {
        end = space;
    }
    Snippet {
        text: text[..end].to_owned(),
        highlights: Vec::new(),
        cut_before: false,
        cut_after: true,
    }
}
