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

use std::sync::Arc;

use crate::analysis::{Analyzers, Expansion, HEAD_MARK};
use crate::capped::Capped;
use crate::error::Result;
use crate::facets::{Counts, FacetCounter};
use crate::heads::TermListCache;
use crate::index::{CONTEXT_SEPARATOR, SearchIndex};
use crate::lexicon::fold;
use crate::query::{ParsedQuery, Part, Typed, is_unknown, parse};
use crate::words::{Word, read};

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
/// Weight of a compound/inflection of an unknown word's stem relative to
/// the stem itself.
const EXPANSION_BOOST: f32 = 0.6;
/// Weight of a compound whose head is the word (`sjöfartsstöd` for `stöd`)
/// relative to the word in any form.
const HEAD_BOOST: f32 = 0.5;
/// Weight of a compound the word is a part of (`stödinsats` for `stöd`).
const PART_BOOST: f32 = 0.25;
/// Added to an item's score for each word it holds in some form, and for
/// each word it holds as a compound's head: far above any BM25 score, so
/// that the word in any form ranks above a compound it heads, which ranks
/// above a compound it is a part of, and BM25 orders within each.
const LEMMA_BONUS: f32 = 100.0;
const HEAD_BONUS: f32 = 50.0;
/// Weight of a match in the surroundings (label, document title) relative
/// to one in the item's own text, when the surroundings are searched.
const CONTEXT_BOOST: f32 = 0.2;
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

/// Which items a search admits (tried in this order, the next only when the
/// one before found nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    /// Several parts typed: every part in the item's own text or metadata,
    /// in some form or as a compound's head (not only inside a compound).
    Whole,
    /// Every part in the item's own text or metadata.
    Own,
    /// Every part in the item's own text, metadata or surroundings (its
    /// clause's label, its document's title, type and owner).
    Surroundings,
    /// Some part (several were typed and no item holds them all).
    Some,
}

/// The queries of one part: in the item's own fields, and in its
/// surroundings.
struct PartQueries {
    /// In some form or as a compound's head.
    whole: Box<dyn Query>,
    /// `whole`, or as a part inside a compound.
    own: Box<dyn Query>,
    context: Box<dyn Query>,
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
        let queries: Vec<PartQueries> = parsed
            .parts
            .iter()
            .map(|p| self.part_queries(&searcher, p))
            .collect::<Result<_>>()?;

        // With several words, a word found only inside a compound counts
        // only when no item holds them all otherwise.
        let mut tier = if parsed.parts.len() > 1 {
            Tier::Whole
        } else {
            Tier::Own
        };
        let mut found = self.collect(
            &searcher,
            self.build(&queries, &request.filters, tier).as_ref(),
            request,
        )?;
        if found.0.1 == 0 && tier == Tier::Whole {
            tier = Tier::Own;
            found = self.collect(
                &searcher,
                self.build(&queries, &request.filters, tier).as_ref(),
                request,
            )?;
        }
        if found.0.1 == 0 && !parsed.parts.is_empty() {
            tier = Tier::Surroundings;
            found = self.collect(
                &searcher,
                self.build(&queries, &request.filters, tier).as_ref(),
                request,
            )?;
        }
        if found.0.1 == 0 && parsed.parts.len() > 1 {
            tier = Tier::Some;
            found = self.collect(
                &searcher,
                self.build(&queries, &request.filters, tier).as_ref(),
                request,
            )?;
            results.relaxed = found.0.1 > 0;
        }
        let ((top, total, counts), capped) = found;
        results.total = total;
        results.total_is_lower_bound = capped;
        results.facets_are_lower_bounds = capped;
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
            let query = self.build(&queries, &others, tier);
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

    /// The queries of one part, in the item's own fields and in its
    /// surroundings.
    fn part_queries(&self, searcher: &Searcher, part: &Part) -> Result<PartQueries> {
        let f = &self.fields;
        match part {
            Part::Phrase { keys, folded, .. } => {
                let (body, meta) = if *folded {
                    (f.body_folded, f.meta_folded)
                } else {
                    (f.body, f.meta)
                };
                let terms = |field: Field, fold_keys: bool| -> Vec<Term> {
                    keys.iter()
                        .map(|k| {
                            let k = if fold_keys { fold(k) } else { k.clone() };
                            Term::from_field_text(field, &k)
                        })
                        .collect()
                };
                let own = should(vec![
                    (phrase_query(&terms(body, false)), 1.0),
                    (phrase_query(&terms(meta, false)), 1.0),
                ]);
                let own = should(vec![
                    (
                        Box::new(ConstScoreQuery::new(own.box_clone(), LEMMA_BONUS)),
                        1.0,
                    ),
                    (own, 1.0),
                ]);
                Ok(PartQueries {
                    whole: own.box_clone(),
                    own,
                    context: phrase_query(&terms(f.context, true)),
                })
            }
            Part::Word { typed, .. } => self.word_queries(searcher, typed),
        }
    }

    fn word_queries(&self, searcher: &Searcher, t: &Typed) -> Result<PartQueries> {
        let f = &self.fields;
        let (body, meta) = if t.folded {
            (f.body_folded, f.meta_folded)
        } else {
            (f.body, f.meta)
        };
        // The word in any form; compounds it heads (or, for a stem, the
        // terms it reaches); compounds it is a part of.
        let mut lemma: Vec<(Box<dyn Query>, f32)> = Vec::new();
        let mut heads: Vec<(Box<dyn Query>, f32)> = Vec::new();
        let mut parts: Vec<(Box<dyn Query>, f32)> = Vec::new();
        let mut context: Vec<(Box<dyn Query>, f32)> = Vec::new();
        if is_unknown(t) {
            // A word the lexicon cannot read: its stem, and as far as the
            // stem reaches (compounds it begins or ends, inflections).
            let key = &t.keys[0];
            for field in [body, meta] {
                let terms = expand(searcher, &self.term_lists, field, key, t.expansion)?;
                lemma.push((terms_query(&terms[..1]), 1.0));
                if terms.len() > 1 {
                    heads.push((terms_query(&terms[1..]), 1.0));
                }
            }
            if !t.quoted {
                parts.push((term(f.parts, &fold(key)), 1.0));
            }
            context.push((term(f.context, &fold(key)), 1.0));
        } else {
            for k in &t.keys {
                lemma.push((term(body, k), 1.0));
                lemma.push((term(meta, k), 1.0));
                context.push((term(f.context, &fold(k)), 1.0));
                if !t.quoted {
                    // Compounds it is the head of: `stöd` in `sjöfartsstöd`.
                    let head = format!("{HEAD_MARK}{k}");
                    heads.push((term(body, &head), 1.0));
                    heads.push((term(meta, &head), 1.0));
                }
            }
            if !t.quoted {
                // Compounds it is a part of (any part), or, typed as a
                // compound, its parts in a row: `egenförsäkran` also finds
                // `egen försäkran`, `kreditupplysning` `kreditupplysningslagen`.
                let keys = t.part_keys();
                let terms: Vec<Term> = keys
                    .iter()
                    .map(|k| Term::from_field_text(f.parts, k))
                    .collect();
                if t.word.is_compound() {
                    parts.push((phrase_query(&terms), 1.0));
                    // Its parts as words of their own, in a row.
                    let words: Vec<Term> = keys
                        .iter()
                        .map(|k| Term::from_field_text(f.body_folded, k))
                        .collect();
                    parts.push((phrase_query(&words), 1.0));
                } else {
                    for term in terms {
                        parts.push((
                            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                            1.0,
                        ));
                    }
                }
            }
        }
        let mut whole: Vec<(Box<dyn Query>, f32)> = Vec::new();
        for (queries, weight, bonus) in [(lemma, 1.0, LEMMA_BONUS), (heads, HEAD_BOOST, HEAD_BONUS)]
        {
            if queries.is_empty() {
                continue;
            }
            let q = should(queries);
            whole.push((Box::new(ConstScoreQuery::new(q.box_clone(), bonus)), 1.0));
            whole.push((q, weight));
        }
        let mut own: Vec<(Box<dyn Query>, f32)> =
            whole.iter().map(|(q, w)| (q.box_clone(), *w)).collect();
        if !parts.is_empty() {
            own.push((should(parts), PART_BOOST));
        }
        Ok(PartQueries {
            whole: should(whole),
            own: should(own),
            context: should(context),
        })
    }

    fn build(&self, parts: &[PartQueries], filters: &[Filter], tier: Tier) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let with_context = |p: &PartQueries| -> Box<dyn Query> {
            should(vec![
                (p.own.box_clone(), 1.0),
                (p.context.box_clone(), CONTEXT_BOOST),
            ])
        };
        match tier {
            Tier::Whole => {
                clauses.extend(parts.iter().map(|p| (Occur::Must, p.whole.box_clone())));
            }
            Tier::Own => {
                clauses.extend(parts.iter().map(|p| (Occur::Must, p.own.box_clone())));
            }
            Tier::Surroundings => {
                clauses.extend(parts.iter().map(|p| (Occur::Must, with_context(p))));
            }
            Tier::Some => {
                if !parts.is_empty() {
                    clauses.push((
                        Occur::Must,
                        Box::new(BooleanQuery::union(
                            parts.iter().map(with_context).collect(),
                        )),
                    ));
                }
            }
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
        let label = text(f.label);
        let title = text(f.title);
        let (snippet, matched_in) = match matcher.snippet(&body, analyzers) {
            Some(s) => (s, MatchedIn::Text),
            None => {
                let meta = text(f.meta);
                let around = join_context(&label, &title);
                match matcher
                    .snippet(&meta, analyzers)
                    .or_else(|| matcher.snippet(&around, analyzers))
                {
                    Some(s) => (s, MatchedIn::Metadata),
                    // Matched on a filter only, or in surroundings not kept
                    // (type, owner): show the start of the text.
                    None => (plain_snippet(&body), MatchedIn::Text),
                }
            }
        };
        Hit {
            kind,
            document_id: text(f.doc_id),
            document_title: title,
            clause_id: match kind {
                HitKind::Clause => Some(item_id.clone()),
                _ => clause_id,
            },
            finding_id: (kind == HitKind::Finding).then(|| item_id.clone()),
            suggestion_id: (kind == HitKind::Dismissal).then_some(item_id),
            label,
            position: u32::try_from(position).unwrap_or(u32::MAX),
            snippet,
            matched_in,
            score,
        }
    }
}

/// The stored surroundings of an item for a snippet: label and title.
fn join_context(label: &str, title: &str) -> String {
    match (label.trim().is_empty(), title.trim().is_empty()) {
        (false, false) => format!("{label}{CONTEXT_SEPARATOR}{title}"),
        (false, true) => label.to_owned(),
        (true, _) => title.to_owned(),
    }
}

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// Any of `queries`, each weighted.
fn should(queries: Vec<(Box<dyn Query>, f32)>) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = queries
        .into_iter()
        .map(|(q, w)| {
            let q: Box<dyn Query> = if (w - 1.0).abs() < f32::EPSILON {
                q
            } else {
                Box::new(BoostQuery::new(q, w))
            };
            (Occur::Should, q)
        })
        .collect();
    if clauses.len() == 1 {
        return clauses.pop().map(|(_, q)| q).expect("one clause");
    }
    Box::new(BooleanQuery::new(clauses))
}

/// The exact term plus the most frequent terms the expansion reaches, over
/// every segment's term dictionary (for stems of words the lexicon cannot
/// read).
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
    should(
        terms
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let q: Box<dyn Query> =
                    Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs));
                (q, if i == 0 { 1.0 } else { EXPANSION_BOOST })
            })
            .collect(),
    )
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

/// What one rule of the matcher looks for.
enum Rule {
    /// A typed word.
    Word(Typed),
    /// Consecutive words, each with this key.
    Phrase { keys: Vec<String>, folded: bool },
}

/// One word of a stored text as the matcher sees it.
struct Seen {
    start: usize,
    end: usize,
    word: Arc<Word>,
    folded: Arc<Word>,
}

impl Seen {
    fn word(&self, folded: bool) -> &Word {
        if folded { &self.folded } else { &self.word }
    }
}

/// Decides which words (or parts of words) of a stored text to highlight,
/// with the same rules the query used to find it.
struct Matcher {
    rules: Vec<Rule>,
}

/// A highlighted range of a text and the rule behind it.
#[derive(Debug, Clone, Copy)]
struct Mark {
    word: usize,
    start: usize,
    end: usize,
    rule: usize,
}

impl Matcher {
    fn new(parsed: &ParsedQuery) -> Self {
        Matcher {
            rules: parsed
                .parts
                .iter()
                .map(|p| match p {
                    Part::Word { typed, .. } => Rule::Word(typed.clone()),
                    Part::Phrase { keys, folded, .. } => Rule::Phrase {
                        keys: keys.clone(),
                        folded: *folded,
                    },
                })
                .collect(),
        }
    }

    /// Marks the words and parts of words matching a rule.
    fn marks(&self, seen: &[Seen]) -> Vec<Mark> {
        let mut marks: Vec<Mark> = Vec::new();
        for (ri, rule) in self.rules.iter().enumerate() {
            match rule {
                Rule::Word(t) => word_marks(t, ri, seen, &mut marks),
                Rule::Phrase { keys, folded } => {
                    if keys.is_empty() || keys.len() > seen.len() {
                        continue;
                    }
                    for start in 0..=seen.len() - keys.len() {
                        let all = keys.iter().enumerate().all(|(k, key)| {
                            let w = seen[start + k].word(*folded);
                            w.keys.iter().any(|x| x == key)
                        });
                        if all {
                            for (k, s) in seen[start..start + keys.len()].iter().enumerate() {
                                marks.push(Mark {
                                    word: start + k,
                                    start: s.start,
                                    end: s.end,
                                    rule: ri,
                                });
                            }
                        }
                    }
                }
            }
        }
        // One mark per range, in text order; the whole word wins over a part.
        marks.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        let mut out: Vec<Mark> = Vec::new();
        for m in marks {
            match out.last() {
                Some(last) if m.start < last.end => {}
                _ => out.push(m),
            }
        }
        out
    }

    /// A snippet of `text` around its matches, or `None` when nothing in it
    /// matches.
    fn snippet(&self, text: &str, analyzers: &mut Analyzers) -> Option<Snippet> {
        if text.is_empty() {
            return None;
        }
        let seen: Vec<Seen> = analyzers
            .words(text)
            .into_iter()
            .map(|w| {
                let r = read(&w.lower);
                Seen {
                    start: w.start,
                    end: w.end,
                    word: Arc::clone(&r.word),
                    folded: Arc::clone(&r.folded),
                }
            })
            .collect();
        let marks = self.marks(&seen);
        if marks.is_empty() {
            return None;
        }
        let (start, end) = if text.len() <= SNIPPET_BYTES {
            (0, text.len())
        } else {
            // The window (starting at a mark) with the most distinct rules
            // marked, then the most marks.
            let mut best = (0usize, 0usize, 0usize);
            for (i, m) in marks.iter().enumerate() {
                let limit = m.start + SNIPPET_BYTES - SNIPPET_LEAD_BYTES;
                let mut rules: Vec<usize> = Vec::new();
                let mut count = 0;
                for n in marks[i..].iter().filter(|n| n.end <= limit) {
                    count += 1;
                    if !rules.contains(&n.rule) {
                        rules.push(n.rule);
                    }
                }
                if (rules.len(), count) > (best.0, best.1) {
                    best = (rules.len(), count, i);
                }
            }
            let first = &seen[marks[best.2].word];
            // Start a little before the first match, at a word.
            let lead_from = first.start.saturating_sub(SNIPPET_LEAD_BYTES);
            let start = seen
                .iter()
                .find(|w| w.start >= lead_from)
                .map_or(first.start, |w| w.start)
                .min(first.start);
            let start = if start <= seen[0].start { 0 } else { start };
            let limit = start + SNIPPET_BYTES;
            let end = seen
                .iter()
                .filter(|w| w.start >= start && w.end <= limit)
                .map(|w| w.end)
                .max()
                .unwrap_or(first.end)
                .max(first.end);
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
        let mut last: Option<Mark> = None;
        for m in &marks {
            if m.start < start || m.end > end {
                continue;
            }
            let h = Highlight {
                start: m.start - start,
                end: m.end - start,
            };
            // Join the words of one phrase occurrence into one highlight.
            let phrase = matches!(self.rules[m.rule], Rule::Phrase { .. });
            match (highlights.last_mut(), last) {
                (Some(prev), Some(l))
                    if phrase
                        && l.rule == m.rule
                        && l.word + 1 == m.word
                        && text[start + prev.end..m.start]
                            .chars()
                            .all(|c| !c.is_alphanumeric()) =>
                {
                    prev.end = h.end;
                }
                _ => highlights.push(h),
            }
            last = Some(*m);
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

/// The marks of a typed word in a text: the word in any form (whole word);
/// a compound it is the head or a part of (that part); typed as a compound,
/// its parts in a row (those parts).
fn word_marks(t: &Typed, rule: usize, seen: &[Seen], marks: &mut Vec<Mark>) {
    let unknown = is_unknown(t);
    let part_keys = t.part_keys();
    for (i, s) in seen.iter().enumerate() {
        let w = s.word(t.folded);
        let whole = if unknown {
            w.keys.iter().any(|k| t.expansion.reaches(&t.keys[0], k))
        } else {
            w.keys.iter().any(|k| t.keys.contains(k))
        };
        if whole {
            marks.push(Mark {
                word: i,
                start: s.start,
                end: s.end,
                rule,
            });
            continue;
        }
        if t.quoted || t.word.is_compound() {
            continue;
        }
        // A part of a compound (its head included): that part.
        for p in &s.folded.parts {
            if s.folded.parts.len() > 1 && p.lemmas.iter().any(|l| part_keys.contains(l)) {
                marks.push(Mark {
                    word: i,
                    start: s.start + p.start,
                    end: s.start + p.end,
                    rule,
                });
            }
        }
    }
    if t.quoted || !t.word.is_compound() || part_keys.len() < 2 {
        return;
    }
    // Typed as a compound: its parts in a row, within a word or across
    // words (`egen försäkran`).
    let flat: Vec<(usize, usize, usize, &Vec<String>)> = seen
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            s.folded
                .parts
                .iter()
                .map(move |p| (i, s.start + p.start, s.start + p.end, &p.lemmas))
        })
        .collect();
    if flat.len() < part_keys.len() {
        return;
    }
    for at in 0..=flat.len() - part_keys.len() {
        let run = &flat[at..at + part_keys.len()];
        if run.iter().zip(&part_keys).all(|(p, k)| p.3.contains(k)) {
            for p in run {
                marks.push(Mark {
                    word: p.0,
                    start: p.1,
                    end: p.2,
                    rule,
                });
            }
        }
    }
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
