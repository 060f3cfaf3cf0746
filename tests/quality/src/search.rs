//! Search relevance: judged queries (`search/queries.toml`, format in
//! `tests/quality/README.md` §3) run against an index of the imported
//! documents, scored by recall@20 and precision@10 per query class.
//!
//! - A judged `quote` is mapped to the imported clause whose text contains
//!   it (case, whitespace and typography normalised, [`crate::text::norm`];
//!   if that fails, also ignoring punctuation). A quote that no clause holds
//!   (the importer lost or split it) is reported, never silently dropped;
//!   two quotes in one clause (the importer merged them) count once.
//! - `document = true` is the document-level hit (its title/metadata).
//! - **recall@20**: of a query's relevant items (mapped), the share in the
//!   first 20 hits. A query with more than 20 relevant items cannot reach 1,
//!   so **recall@20 of min(20, relevant)** is reported beside it (the share
//!   of the first 20 hits that could be relevant and are). **precision@10**:
//!   relevant items among the returned first 10 hits divided by the number
//!   returned (at most 10); 0 when nothing is returned. Per class and in
//!   total, the mean over queries.
//! - Hits in documents no judgement names (documents the judges left out,
//!   e.g. a garbled PDF) are neither relevant nor not: they are taken out
//!   of the ranked list before scoring ([`judged_documents`]), and counted.
//! - **near-misses**: a `not` item in the first 20 hits is counted.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use serde::Deserialize;

use crate::text::norm;

/// The judgements file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Judgements {
    pub query: Vec<Judged>,
}

/// One judged query.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Judged {
    pub q: String,
    pub class: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub relevant: Vec<Entry>,
    #[serde(default)]
    pub not: Vec<Entry>,
}

/// A clause (by a quote of it) or a whole document of one corpus file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub doc: String,
    #[serde(default)]
    pub quote: Option<String>,
    #[serde(default)]
    pub document: bool,
}

/// The documents the judgements name (relevant or near-miss entries).
pub fn judged_documents(j: &Judgements) -> std::collections::BTreeSet<String> {
    j.query
        .iter()
        .flat_map(|q| q.relevant.iter().chain(&q.not))
        .map(|e| e.doc.clone())
        .collect()
}

/// Parses a judgements file.
pub fn parse(text: &str) -> Result<Judgements, String> {
    toml::from_str(text).map_err(|e| e.to_string())
}

/// What a search result (or a judged item) is: a clause or a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    Clause(String),
    Document(String),
}

/// The imported clauses of one document, for mapping quotes.
pub struct ClauseTexts {
    /// (clause id, normalised text, text with only letters and digits).
    clauses: Vec<(String, String, String)>,
}

/// Letters and digits only, lower-case, single-spaced.
fn loose(s: &str) -> String {
    let kept: String = norm(s)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl ClauseTexts {
    pub fn new<'a>(clauses: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        ClauseTexts {
            clauses: clauses
                .into_iter()
                .map(|(id, text)| (id.to_owned(), norm(text), loose(text)))
                .collect(),
        }
    }

    /// The clauses holding `quote`: exact (normalised) matches, else loose ones.
    pub fn find(&self, quote: &str) -> Vec<String> {
        let q = norm(quote);
        let exact: Vec<String> = self
            .clauses
            .iter()
            .filter(|(_, t, _)| t.contains(&q))
            .map(|(id, _, _)| id.clone())
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        let q = loose(quote);
        if q.is_empty() {
            return Vec::new();
        }
        self.clauses
            .iter()
            .filter(|(_, _, l)| format!(" {l} ").contains(&format!(" {q} ")))
            .map(|(id, _, _)| id.clone())
            .collect()
    }
}

/// A judged query with its items mapped to imported clauses.
#[derive(Debug, Clone)]
pub struct Mapped {
    pub q: String,
    pub class: String,
    pub relevant: HashSet<Item>,
    pub not: HashSet<Item>,
    /// Entries that could not be mapped, with why.
    pub unmapped: Vec<String>,
}

/// Maps every entry of `judged` onto the imported documents (`docs`: corpus
/// file name → its clause texts; a file not there is reported).
pub fn map(judged: &Judged, docs: &HashMap<String, ClauseTexts>) -> Mapped {
    let mut unmapped = Vec::new();
    let mut one = |e: &Entry, out: &mut HashSet<Item>| {
        let Some(texts) = docs.get(&e.doc) else {
            unmapped.push(format!("{}: document not imported", e.doc));
            return;
        };
        if e.document {
            out.insert(Item::Document(e.doc.clone()));
            return;
        }
        let Some(quote) = &e.quote else {
            unmapped.push(format!("{}: neither quote nor document", e.doc));
            return;
        };
        let found = texts.find(quote);
        match found.as_slice() {
            [] => unmapped.push(format!("{}: no clause holds \"{quote}\"", e.doc)),
            [id] => {
                out.insert(Item::Clause(id.clone()));
            }
            many => {
                // The quote is unique in the source; several imported clauses
                // holding it means the importer repeated text. All count.
                unmapped.push(format!(
                    "{}: {} clauses hold \"{quote}\" (all counted)",
                    e.doc,
                    many.len()
                ));
                out.extend(many.iter().cloned().map(Item::Clause));
            }
        }
    };
    let mut relevant = HashSet::new();
    for e in &judged.relevant {
        one(e, &mut relevant);
    }
    let mut not = HashSet::new();
    for e in &judged.not {
        one(e, &mut not);
    }
    Mapped {
        q: judged.q.clone(),
        class: judged.class.clone(),
        relevant,
        not,
        unmapped,
    }
}

/// The figures of one query.
#[derive(Debug, Clone)]
pub struct QueryScore {
    pub q: String,
    pub class: String,
    pub relevant: usize,
    pub found_in_20: usize,
    pub returned_10: usize,
    pub relevant_in_10: usize,
    pub near_misses_in_20: usize,
    pub unmapped: usize,
    /// Relevant items not in the first 20, and first-10 hits not relevant.
    pub missed: Vec<Item>,
    pub wrong: Vec<Item>,
}

impl QueryScore {
    pub fn recall(&self) -> f64 {
        if self.relevant == 0 {
            1.0
        } else {
            self.found_in_20 as f64 / self.relevant as f64
        }
    }

    /// Recall@20 of at most 20 relevant items.
    pub fn recall_capped(&self) -> f64 {
        if self.relevant == 0 {
            1.0
        } else {
            self.found_in_20 as f64 / self.relevant.min(20) as f64
        }
    }

    pub fn precision(&self) -> f64 {
        if self.returned_10 == 0 {
            if self.relevant == 0 { 1.0 } else { 0.0 }
        } else {
            self.relevant_in_10 as f64 / self.returned_10 as f64
        }
    }
}

/// Scores one query from its ranked results (best first).
pub fn score(mapped: &Mapped, results: &[Item]) -> QueryScore {
    let top20: Vec<&Item> = results.iter().take(20).collect();
    let top10: Vec<&Item> = results.iter().take(10).collect();
    let mut missed: Vec<Item> = mapped
        .relevant
        .iter()
        .filter(|r| !top20.contains(r))
        .cloned()
        .collect();
    missed.sort();
    QueryScore {
        q: mapped.q.clone(),
        class: mapped.class.clone(),
        relevant: mapped.relevant.len(),
        found_in_20: mapped.relevant.len() - missed.len(),
        returned_10: top10.len(),
        relevant_in_10: top10
            .iter()
            .filter(|i| mapped.relevant.contains(**i))
            .count(),
        near_misses_in_20: top20.iter().filter(|i| mapped.not.contains(**i)).count(),
        unmapped: mapped.unmapped.len(),
        missed,
        wrong: top10
            .iter()
            .filter(|i| !mapped.relevant.contains(**i))
            .map(|i| (*i).clone())
            .collect(),
    }
}

/// Mean figures over a set of queries.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    pub queries: usize,
    pub recall_at_20: f64,
    /// Recall@20 of min(20, relevant).
    pub recall_at_20_capped: f64,
    pub precision_at_10: f64,
    pub near_misses: usize,
    pub unmapped: usize,
}

pub fn summarise<'a>(scores: impl IntoIterator<Item = &'a QueryScore>) -> Summary {
    let mut s = Summary::default();
    for q in scores {
        s.queries += 1;
        s.recall_at_20 += q.recall();
        s.recall_at_20_capped += q.recall_capped();
        s.precision_at_10 += q.precision();
        s.near_misses += q.near_misses_in_20;
        s.unmapped += q.unmapped;
    }
    if s.queries > 0 {
        s.recall_at_20 /= s.queries as f64;
        s.recall_at_20_capped /= s.queries as f64;
        s.precision_at_10 /= s.queries as f64;
    }
    s
}

/// The classes in the order of the README, then any others.
pub const CLASSES: [&str; 8] = [
    "base",
    "inflection",
    "compound-part",
    "compound-whole",
    "no-diacritics",
    "two-words",
    "phrase",
    "title",
];

/// Per class and in total.
pub fn by_class(scores: &[QueryScore]) -> BTreeMap<String, Summary> {
    let mut classes: BTreeMap<String, Vec<&QueryScore>> = BTreeMap::new();
    for s in scores {
        classes.entry(s.class.clone()).or_default().push(s);
    }
    classes
        .into_iter()
        .map(|(c, v)| (c, summarise(v)))
        .collect()
}

/// The table printed by the test: one row per class, then the total.
pub fn table(scores: &[QueryScore]) -> String {
    let classes = by_class(scores);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| class | queries | recall@20 | recall@20 of min(20, relevant) | precision@10 | near-misses in top 20 | unmapped entries |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|");
    let mut names: Vec<&str> = CLASSES
        .iter()
        .copied()
        .filter(|c| classes.contains_key(*c))
        .collect();
    names.extend(
        classes
            .keys()
            .map(String::as_str)
            .filter(|c| !CLASSES.contains(c)),
    );
    let row = |out: &mut String, name: &str, s: &Summary| {
        let _ = writeln!(
            out,
            "| {name} | {} | {:.3} | {:.3} | {:.3} | {} | {} |",
            s.queries,
            s.recall_at_20,
            s.recall_at_20_capped,
            s.precision_at_10,
            s.near_misses,
            s.unmapped
        );
    };
    for name in names {
        row(&mut out, name, &classes[name]);
    }
    row(&mut out, "**total**", &summarise(scores));
    out
}

/// One line per query: figures, and what was missed or wrongly returned.
pub fn details(scores: &[QueryScore], describe: impl Fn(&Item) -> String) -> String {
    let mut out = String::new();
    for s in scores {
        let _ = writeln!(
            out,
            "{:<16} {:<40} R@20 {:.2} ({}/{})  P@10 {:.2} ({}/{}){}{}",
            s.class,
            format!("{:?}", s.q),
            s.recall(),
            s.found_in_20,
            s.relevant,
            s.precision(),
            s.relevant_in_10,
            s.returned_10,
            if s.near_misses_in_20 > 0 {
                format!("  NEAR-MISSES {}", s.near_misses_in_20)
            } else {
                String::new()
            },
            if s.unmapped > 0 {
                format!("  unmapped {}", s.unmapped)
            } else {
                String::new()
            },
        );
        for m in &s.missed {
            let _ = writeln!(out, "      missed: {}", describe(m));
        }
        for w in &s.wrong {
            let _ = writeln!(out, "      not relevant in top 10: {}", describe(w));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str) -> Item {
        Item::Clause(id.into())
    }

    #[test]
    fn quotes_map_across_whitespace_case_and_punctuation() {
        let texts = ClauseTexts::new([
            (
                "c1",
                "Penninggåvor är aldrig  tillåtna och ska\ninte tas emot.",
            ),
            ("c2", "Om ”gåvan” – som sådan – är liten."),
        ]);
        assert_eq!(texts.find("penninggåvor är aldrig tillåtna"), ["c1"]);
        assert_eq!(texts.find("om \"gåvan\" - som sådan"), ["c2"]);
        assert_eq!(texts.find("gåvan som sådan är liten"), ["c2"]);
        assert!(texts.find("finns inte").is_empty());
    }

    #[test]
    fn recall_and_precision() {
        let mapped = Mapped {
            q: "x".into(),
            class: "base".into(),
            relevant: [item("a"), item("b"), item("c")].into_iter().collect(),
            not: [item("n")].into_iter().collect(),
            unmapped: vec![],
        };
        let s = score(&mapped, &[item("a"), item("n"), item("b"), item("z")]);
        assert!((s.recall() - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.precision() - 0.5).abs() < 1e-9);
        assert_eq!(s.near_misses_in_20, 1);
        assert_eq!(score(&mapped, &[]).precision(), 0.0);
    }
}
