//! Screening measured on real documents against labels written by reading
//! them (`tests/quality/screening/labels.toml`, format in the README §2).
//!
//! Each labelled document is imported with `kryphal_ingest::import` and
//! screened whole with [`kryphal_rules::suggest`], the entry point the app
//! uses, so that section context and document-wide checks work as for a
//! user. Each label's quote is mapped to the imported clause that contains
//! it (case and white space aside); two labels in one clause make one
//! expectation (flag if either is, their families together).
//!
//! - A clause-scope suggestion on a labelled clause is a **true positive**
//!   when the clause is a flag and the suggestion's family is one of its
//!   families; on a flag of other families it is **right clause, other
//!   family** (not a true positive); on a clause labelled `no flag` it is a
//!   **false positive**. Precision is over all clause-scope suggestions on
//!   labelled clauses.
//! - A flagged clause is **found** when it has a true positive; recall is
//!   over all flags, unmapped flags counted as misses.
//! - Suggestions on a section or the whole document are held against the
//!   `[[absence]]` entries: one of the entry's families, in its section (or
//!   anywhere for an entry without one; a document-wide suggestion also
//!   answers a section's entry).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use kryphal_domain::{Outline, Suggestion, SuggestionScope};
use kryphal_rules::Rulebook;
use serde::Deserialize;

use crate::text::norm;

/// The labels file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    #[serde(default)]
    pub clause: Vec<ClauseLabel>,
    #[serde(default)]
    pub absence: Vec<AbsenceLabel>,
}

/// One clause's label.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClauseLabel {
    pub doc: String,
    pub quote: String,
    pub flag: bool,
    #[serde(default)]
    pub families: Vec<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Something a section or a whole document lacks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbsenceLabel {
    pub doc: String,
    #[serde(default)]
    pub section: Option<String>,
    pub families: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Text as labels and clauses are compared: [`norm`], and a hyphen before a
/// space dropped (a word broken at a line end that the import did not
/// rejoin: `skynd- samt`), on both sides alike.
fn mapped_text(s: &str) -> String {
    norm(s).replace("- ", "")
}

/// Reads a labels file.
pub fn read_labels(path: &Path) -> Result<Labels, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Counts for one family (or in total).
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// Flagged clauses (with this family).
    pub flags: u32,
    /// Of them, found with a suggestion of the family (in total: of one of its families).
    pub found: u32,
    /// Clause-scope suggestions (of this family) on labelled clauses.
    pub suggestions: u32,
    /// Of them, true positives.
    pub tp: u32,
    /// On a flagged clause, but of another family.
    pub other_family: u32,
    /// On a clause labelled `no flag`.
    pub fp: u32,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        if self.suggestions == 0 {
            return f64::NAN;
        }
        f64::from(self.tp) / f64::from(self.suggestions)
    }
    pub fn recall(&self) -> f64 {
        if self.flags == 0 {
            return f64::NAN;
        }
        f64::from(self.found) / f64::from(self.flags)
    }
    fn row(&self, name: &str) -> String {
        format!(
            "{name:<28} {:>5} {:>5} {:>6} {:>6} {:>4} {:>5} {:>4} {:>6}",
            self.flags,
            self.found,
            fmt(self.recall()),
            self.suggestions,
            self.tp,
            self.other_family,
            self.fp,
            fmt(self.precision())
        )
    }
}

fn fmt(v: f64) -> String {
    if v.is_nan() {
        "—".into()
    } else {
        format!("{v:.3}")
    }
}

/// An absence entry and whether a section or document suggestion answered it.
#[derive(Debug, Clone)]
pub struct AbsenceResult {
    pub label: AbsenceLabel,
    /// The rule ids that answered it.
    pub found_by: Vec<String>,
}

/// The measurement over a set of documents.
#[derive(Debug, Default)]
pub struct Report {
    pub labels: usize,
    pub documents: Vec<(String, usize)>,
    pub total: Counts,
    pub families: BTreeMap<String, Counts>,
    /// Per issue-17 kind: (flags, found).
    pub kinds: BTreeMap<String, (u32, u32, Vec<String>)>,
    pub per_document: BTreeMap<String, Counts>,
    pub absences: Vec<AbsenceResult>,
    /// Section- and document-scope suggestions, and how many answer an entry.
    pub wide_suggestions: u32,
    pub wide_matched: u32,
    /// Clause-scope suggestions on clauses no label maps to.
    pub unlabelled: Vec<String>,
    pub unmapped: Vec<String>,
    /// False positives, misses and other-family hits, one line each.
    pub detail: Vec<String>,
}

impl Report {
    /// The table, printed by the test.
    pub fn table(&self, title: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "\n{title}");
        let _ = writeln!(
            out,
            "{} labels from {} documents:",
            self.labels,
            self.documents.len()
        );
        for (d, n) in &self.documents {
            let _ = writeln!(out, "  {n:>4}  {d}");
        }
        let head = format!(
            "{:<28} {:>5} {:>5} {:>6} {:>6} {:>4} {:>5} {:>4} {:>6}",
            "family", "flags", "found", "recall", "sugg.", "TP", "other", "FP", "prec."
        );
        let _ = writeln!(out, "\n{head}");
        for (f, c) in &self.families {
            let _ = writeln!(out, "{}", c.row(f));
        }
        let _ = writeln!(out, "{}", self.total.row("TOTAL"));
        let _ = writeln!(out, "\n{head}");
        for (d, c) in &self.per_document {
            let short: String = d.chars().take(28).collect();
            let _ = writeln!(out, "{}", c.row(&short));
        }
        if !self.kinds.is_empty() {
            let _ = writeln!(out, "\nissue 17's misses (kind: found/flags, by rules):");
            for (k, (n, f, rules)) in &self.kinds {
                let _ = writeln!(out, "  {k:<28} {f}/{n}  {}", rules.join(", "));
            }
        }
        let _ = writeln!(
            out,
            "\nabsences ([[absence]] entries): {}/{} found; {} section/document suggestions, {} of them answer an entry",
            self.absences
                .iter()
                .filter(|a| !a.found_by.is_empty())
                .count(),
            self.absences.len(),
            self.wide_suggestions,
            self.wide_matched
        );
        for a in &self.absences {
            let _ = writeln!(
                out,
                "  {} {} › {} {:?}: {}",
                if a.found_by.is_empty() {
                    "MISSED"
                } else {
                    "found "
                },
                a.label.doc,
                a.label.section.as_deref().unwrap_or("(document)"),
                a.label.families,
                if a.found_by.is_empty() {
                    String::new()
                } else {
                    a.found_by.join(", ")
                }
            );
        }
        let _ = writeln!(
            out,
            "\nclause suggestions on clauses no label names: {}",
            self.unlabelled.len()
        );
        if !self.unmapped.is_empty() {
            let _ = writeln!(
                out,
                "labels whose quote is in no imported clause: {}",
                self.unmapped.len()
            );
            for u in &self.unmapped {
                let _ = writeln!(out, "  {u}");
            }
        }
        out
    }
}

/// The expectation for one imported clause.
#[derive(Default)]
struct Expect {
    flag: bool,
    families: Vec<String>,
    kinds: Vec<String>,
    notes: Vec<String>,
}

/// Measures `book` on the labelled documents; `source` finds a document's
/// file by its name in the labels.
pub fn measure(
    book: &Rulebook,
    labels: &Labels,
    source: impl Fn(&str) -> Option<std::path::PathBuf>,
) -> Report {
    let mut report = Report {
        labels: labels.clause.len(),
        ..Report::default()
    };
    let mut docs: Vec<&str> = labels.clause.iter().map(|l| l.doc.as_str()).collect();
    docs.extend(labels.absence.iter().map(|a| a.doc.as_str()));
    let mut seen = std::collections::HashSet::new();
    docs.retain(|d| seen.insert(*d));
    for doc in docs {
        let doc_labels: Vec<&ClauseLabel> = labels.clause.iter().filter(|l| l.doc == doc).collect();
        report.documents.push((doc.to_string(), doc_labels.len()));
        let Some(path) = source(doc) else {
            report.detail.push(format!("SKIPPED {doc}: not found"));
            for l in doc_labels.iter().filter(|l| l.flag) {
                count_flag(&mut report, doc, l, false, &[]);
            }
            continue;
        };
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let imported =
            match kryphal_ingest::import(&name, &bytes, "q", &kryphal_ingest::Limits::default()) {
                Ok(i) => i,
                Err(e) => {
                    report.detail.push(format!("IMPORT FAILED {doc}: {e}"));
                    for l in doc_labels.iter().filter(|l| l.flag) {
                        count_flag(&mut report, doc, l, false, &[]);
                    }
                    continue;
                }
            };
        let suggestions =
            kryphal_rules::suggest(book, "q", &imported.meta.title, &imported.outline);
        if std::env::var("KRYPHAL_SCREEN_DUMP").is_ok_and(|d| !d.is_empty() && doc.contains(&d)) {
            dump(book, doc, &doc_labels, &imported.outline, &suggestions);
        }
        measure_document(
            &mut report,
            doc,
            &doc_labels,
            &imported.outline,
            &suggestions,
        );
        let doc_absences: Vec<&AbsenceLabel> =
            labels.absence.iter().filter(|a| a.doc == doc).collect();
        measure_absences(
            &mut report,
            book,
            &doc_absences,
            &imported.outline,
            &suggestions,
        );
    }
    report
}

fn count_flag(report: &mut Report, doc: &str, l: &ClauseLabel, found_strict: bool, by: &[String]) {
    report.total.flags += 1;
    report
        .per_document
        .entry(doc.to_string())
        .or_default()
        .flags += 1;
    if found_strict {
        report.total.found += 1;
        report
            .per_document
            .entry(doc.to_string())
            .or_default()
            .found += 1;
    }
    if let Some(k) = &l.kind {
        let e = report.kinds.entry(k.clone()).or_default();
        e.0 += 1;
        if found_strict {
            e.1 += 1;
            e.2.extend(by.iter().cloned());
        }
    }
}

fn measure_document(
    report: &mut Report,
    doc: &str,
    labels: &[&ClauseLabel],
    outline: &Outline,
    suggestions: &[Suggestion],
) {
    let texts: Vec<String> = outline
        .clauses
        .iter()
        .map(|c| mapped_text(&c.text))
        .collect();
    let mut expect: HashMap<usize, Expect> = HashMap::new();
    let mut unmapped_flags: Vec<&ClauseLabel> = Vec::new();
    for l in labels {
        let q = mapped_text(&l.quote);
        match texts.iter().position(|t| t.contains(&q)) {
            Some(i) => {
                let e = expect.entry(i).or_default();
                e.flag |= l.flag;
                if l.flag {
                    for f in &l.families {
                        if !e.families.contains(f) {
                            e.families.push(f.clone());
                        }
                    }
                    e.kinds.extend(l.kind.iter().cloned());
                    e.notes.push(format!(
                        "{:?} {}",
                        l.families,
                        l.note.as_deref().unwrap_or("")
                    ));
                }
            }
            None => {
                report.unmapped.push(format!(
                    "{doc}: {}{}",
                    if l.flag { "FLAG " } else { "" },
                    l.quote
                ));
                if l.flag {
                    unmapped_flags.push(l);
                }
            }
        }
    }
    let index: HashMap<&str, usize> = outline
        .clauses
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut on_clause: HashMap<usize, Vec<&Suggestion>> = HashMap::new();
    for s in suggestions
        .iter()
        .filter(|s| s.scope == SuggestionScope::Clause)
    {
        let i = index[s.clause_id.as_str()];
        if expect.contains_key(&i) {
            on_clause.entry(i).or_default().push(s);
        } else {
            let short: String = outline.clauses[i].text.chars().take(80).collect();
            report
                .unlabelled
                .push(format!("{doc}: {} on {short:?}", s.rule_id));
        }
    }
    let per_doc = report.per_document.entry(doc.to_string()).or_default();
    let _ = per_doc;
    let mut keys: Vec<&usize> = expect.keys().collect();
    keys.sort();
    for &i in keys {
        let e = &expect[&i];
        let here = on_clause.get(&i).cloned().unwrap_or_default();
        let short: String = outline.clauses[i].text.chars().take(110).collect();
        let mut found_families: Vec<&str> = Vec::new();
        for s in &here {
            let fam = report.families.entry(s.category.clone()).or_default();
            fam.suggestions += 1;
            report.total.suggestions += 1;
            let pd = report.per_document.entry(doc.to_string()).or_default();
            pd.suggestions += 1;
            if e.flag && e.families.contains(&s.category) {
                fam.tp += 1;
                report.total.tp += 1;
                pd.tp += 1;
                found_families.push(s.category.as_str());
            } else if e.flag {
                fam.other_family += 1;
                report.total.other_family += 1;
                pd.other_family += 1;
                report.detail.push(format!(
                    "OTHER {doc}: {} ({}) on {short:?} want {:?}",
                    s.rule_id, s.category, e.families
                ));
            } else {
                fam.fp += 1;
                report.total.fp += 1;
                pd.fp += 1;
                report
                    .detail
                    .push(format!("FP    {doc}: {} on {short:?}", s.rule_id));
            }
        }
        if e.flag {
            for f in &e.families {
                let fam = report.families.entry(f.clone()).or_default();
                fam.flags += 1;
                if found_families.contains(&f.as_str()) {
                    fam.found += 1;
                }
            }
            let found = !found_families.is_empty();
            let by: Vec<String> = here
                .iter()
                .filter(|s| e.families.contains(&s.category))
                .map(|s| s.rule_id.clone())
                .collect();
            report.total.flags += 1;
            let pd = report.per_document.entry(doc.to_string()).or_default();
            pd.flags += 1;
            if found {
                report.total.found += 1;
                pd.found += 1;
            } else {
                report.detail.push(format!(
                    "MISS  {doc}: {short:?} {}{}",
                    e.notes.join(" | "),
                    if here.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " [got {}]",
                            here.iter()
                                .map(|s| s.rule_id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                ));
            }
            for k in &e.kinds {
                let entry = report.kinds.entry(k.clone()).or_default();
                entry.0 += 1;
                if found {
                    entry.1 += 1;
                    entry.2.extend(by.iter().cloned());
                }
            }
        }
    }
    for l in unmapped_flags {
        for f in &l.families {
            report.families.entry(f.clone()).or_default().flags += 1;
        }
        count_flag(report, doc, l, false, &[]);
        report
            .detail
            .push(format!("MISS  {doc}: (unmapped) {:?}", l.quote));
    }
}

fn measure_absences(
    report: &mut Report,
    book: &Rulebook,
    labels: &[&AbsenceLabel],
    outline: &Outline,
    suggestions: &[Suggestion],
) {
    // A heading the import kept as a paragraph (as screening reads it)
    // titles the clauses after it in its section.
    let roles = kryphal_rules::clause_roles(book, &kryphal_rules::ScreenInput::from(outline));
    let mut implicit: HashMap<&str, String> = HashMap::new();
    let mut last: Option<(Option<&str>, String)> = None;
    for (c, r) in outline.clauses.iter().zip(&roles) {
        if *r == kryphal_rules::ClauseRole::Heading {
            last = Some((c.section_id.as_deref(), norm(&c.text)));
        } else if let Some((s, t)) = &last
            && *s == c.section_id.as_deref()
        {
            implicit.insert(c.id.as_str(), t.clone());
        }
    }
    let clause_section: HashMap<&str, Option<&str>> = outline
        .clauses
        .iter()
        .map(|c| (c.id.as_str(), c.section_id.as_deref()))
        .collect();
    let sections: HashMap<&str, &kryphal_domain::Section> = outline
        .sections
        .iter()
        .map(|s| (s.id.as_str(), s))
        .collect();
    // The titles of a clause's section and every section above it.
    let titles_of = |clause: &str| -> Vec<String> {
        let mut out: Vec<String> = implicit.get(clause).cloned().into_iter().collect();
        let mut at = clause_section.get(clause).copied().flatten();
        while let Some(s) = at.and_then(|id| sections.get(id)) {
            out.push(norm(&s.title));
            at = s.parent_id.as_deref();
            if out.len() > 32 {
                break;
            }
        }
        out
    };
    let wide: Vec<&Suggestion> = suggestions
        .iter()
        .filter(|s| s.scope != SuggestionScope::Clause)
        .collect();
    let mut matched = vec![false; wide.len()];
    for l in labels {
        let mut found_by = Vec::new();
        for (i, s) in wide.iter().enumerate() {
            if !l.families.contains(&s.category) {
                continue;
            }
            let place = match &l.section {
                None => true,
                Some(title) => {
                    s.scope == SuggestionScope::Document
                        || titles_of(&s.clause_id).iter().any(|t| {
                            let want = norm(title);
                            t.trim_end_matches(['.', ':'])
                                .ends_with(want.trim_end_matches(['.', ':']))
                        })
                }
            };
            if place {
                matched[i] = true;
                found_by.push(s.rule_id.clone());
            }
        }
        report.absences.push(AbsenceResult {
            label: (*l).clone(),
            found_by,
        });
    }
    report.wide_suggestions += wide.len() as u32;
    report.wide_matched += matched.iter().filter(|m| **m).count() as u32;
    for (s, m) in wide.iter().zip(&matched) {
        if !m {
            report.detail.push(format!(
                "WIDE  {}: {} ({:?}) unanswered by any [[absence]] entry",
                labels.first().map_or("?", |l| l.doc.as_str()),
                s.rule_id,
                s.scope
            ));
        }
    }
}

/// Prints a document clause by clause: role, section, label, suggestions.
fn dump(
    book: &Rulebook,
    doc: &str,
    labels: &[&ClauseLabel],
    outline: &Outline,
    suggestions: &[Suggestion],
) {
    let input = kryphal_rules::ScreenInput::from(outline);
    let roles = kryphal_rules::clause_roles(book, &input);
    println!("==== {doc}");
    for (i, c) in outline.clauses.iter().enumerate() {
        let t = mapped_text(&c.text);
        let label = labels.iter().find(|l| t.contains(&mapped_text(&l.quote)));
        let mark = match label {
            Some(l) if l.flag => format!("FLAG{:?}", l.families),
            Some(_) => "-".to_string(),
            None => "?".to_string(),
        };
        let sugg: Vec<String> = suggestions
            .iter()
            .filter(|s| s.clause_id == c.id)
            .map(|s| format!("{}({:?})", s.rule_id, s.scope))
            .collect();
        println!(
            "[{i}] {:?}/{} §{} | {} | {}\n     {}",
            c.kind,
            roles[i].as_str(),
            input.clauses[i].section_title,
            mark,
            sugg.join(" "),
            c.text.replace('\n', " ")
        );
    }
}
