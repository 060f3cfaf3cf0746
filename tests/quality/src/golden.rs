//! Golden outlines and the structure score.
//!
//! A golden outline (`tests/quality/golden/<file>.outline`, format in
//! `tests/quality/README.md`) lists a document's headings and clauses as a
//! person reading it sees them. [`score`] lays an import beside it:
//!
//! - **clause boundaries**: a golden clause is found when an imported clause
//!   *starts* with its first words (in document order); precision is over the
//!   imported clauses, recall over the golden ones;
//! - **labels**: of the clauses found, the share whose own number and whose
//!   heading (number and title of the section it sits directly under) are the
//!   golden ones — the label the app shows (`Ekonomi och ledning › p. 2`); how
//!   that heading nests is the heading score's business;
//! - **headings**: a golden heading is found when an imported section has its
//!   number and title *and* the same path above it (F1);
//! - **text coverage**: the share of golden clauses whose first and last words
//!   are both in the imported text, and whose first words do not start more
//!   imported clauses than golden ones (text duplicated or lost counts);
//! - **metadata**: each `title:`/`dnr:`/… line the golden states.
//!
//! [`Score::diff`] prints the two side by side, so that a failing figure
//! points at the clauses behind it.

use std::collections::HashMap;
use std::fmt::Write as _;

use kryphal_domain::{DocumentMeta, Outline};

use crate::text::{norm, norm_heading, norm_number};

/// One line of a golden outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Heading {
        level: usize,
        number: String,
        title: String,
    },
    Clause {
        number: String,
        /// The clause's first words (or all of it), as written.
        first: String,
        /// Its last words, when the golden gives them apart.
        last: Option<String>,
    },
}

/// A parsed golden outline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Golden {
    /// `title`, `dnr`, `decided`, `decided_by`, `responsible`.
    pub meta: Vec<(String, String)>,
    /// Set when the file should be refused; the reason as written.
    pub refuse: Option<String>,
    /// Set when the import should warn.
    pub warn: Option<String>,
    pub items: Vec<Item>,
}

const META_KEYS: [&str; 5] = ["title", "dnr", "decided", "decided_by", "responsible"];

/// Parses a golden outline; errors name the line.
pub fn parse(text: &str) -> Result<Golden, String> {
    let mut g = Golden::default();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        let at = || format!("line {}: {line:?}", i + 1);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("- ") {
            let (number, body) = bracketed(rest);
            let (first, last) = match body.split_once(" || ") {
                Some((f, l)) => (f, Some(l)),
                None => match body.rsplit_once(" | ") {
                    Some((f, l)) => (f, Some(l)),
                    None => (body, None),
                },
            };
            if first.trim().is_empty() {
                return Err(format!("a clause without text at {}", at()));
            }
            g.items.push(Item::Clause {
                number,
                first: first.trim().to_string(),
                last: last.map(|l| l.trim().to_string()).filter(|l| !l.is_empty()),
            });
        } else if line.starts_with('=') {
            let level = line.chars().take_while(|c| *c == '=').count();
            let rest = line[level..].trim();
            let (number, title) = bracketed(rest);
            if number.is_empty() && title.is_empty() {
                return Err(format!("an empty heading at {}", at()));
            }
            g.items.push(Item::Heading {
                level,
                number,
                title: title.trim().to_string(),
            });
        } else if let Some((key, value)) = line.split_once(':') {
            let (key, value) = (key.trim(), value.trim().to_string());
            match key {
                "refuse" => g.refuse = Some(value),
                "warn" => g.warn = Some(value),
                k if META_KEYS.contains(&k) => g.meta.push((k.to_string(), value)),
                _ => return Err(format!("unknown key {key:?} at {}", at())),
            }
        } else {
            return Err(format!("not a heading, clause or key at {}", at()));
        }
    }
    Ok(g)
}

/// `[3 §] Den som` → (`3 §`, `Den som`); no brackets → (``, all).
fn bracketed(s: &str) -> (String, &str) {
    let s = s.trim_start();
    if let Some(rest) = s.strip_prefix('[')
        && let Some(end) = rest.find(']')
    {
        return (rest[..end].trim().to_string(), rest[end + 1..].trim_start());
    }
    (String::new(), s)
}

/// What happened to one golden line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    /// Found, label (or heading path) right.
    Right,
    /// Found at a clause start, but its number or path differs: what the import says.
    WrongLabel(String),
    /// Not found where it should start.
    Missing,
}

/// The score of one document.
#[derive(Debug, Clone, Default)]
pub struct Score {
    pub name: String,
    pub golden_clauses: usize,
    pub imported_clauses: usize,
    /// Golden clauses found at the start of an imported clause.
    pub matched: usize,
    /// Of those, with the right number and heading path.
    pub labels_right: usize,
    pub golden_headings: usize,
    pub imported_headings: usize,
    /// Golden headings found with the right path.
    pub headings_right: usize,
    /// Golden clauses whose text is there, once.
    pub covered: usize,
    pub meta_right: usize,
    pub meta_total: usize,
    /// `Some(ok)` when the golden expects a refusal or a warning.
    pub refusal: Option<bool>,
    pub warning: Option<bool>,
    diff: String,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

impl Score {
    pub fn boundary_precision(&self) -> f64 {
        ratio(self.matched, self.imported_clauses)
    }
    pub fn boundary_recall(&self) -> f64 {
        ratio(self.matched, self.golden_clauses)
    }
    pub fn boundary_f1(&self) -> f64 {
        f1(self.boundary_precision(), self.boundary_recall())
    }
    /// Labels right among the clauses found.
    pub fn label_accuracy(&self) -> f64 {
        ratio(self.labels_right, self.matched)
    }
    pub fn heading_f1(&self) -> f64 {
        f1(
            ratio(self.headings_right, self.imported_headings),
            ratio(self.headings_right, self.golden_headings),
        )
    }
    pub fn coverage(&self) -> f64 {
        ratio(self.covered, self.golden_clauses)
    }
    /// Whether this document is scored on its outline (not a refusal).
    pub fn has_outline(&self) -> bool {
        self.refusal.is_none()
    }
    /// The golden and the import side by side, mismatches marked.
    pub fn diff(&self) -> &str {
        &self.diff
    }

    /// An empty score to add documents' scores to.
    pub fn named(name: &str) -> Score {
        Score {
            name: name.to_string(),
            ..Score::default()
        }
    }

    /// Counts added up (micro-average) for a total row.
    pub fn add(&mut self, o: &Score) {
        self.golden_clauses += o.golden_clauses;
        self.imported_clauses += o.imported_clauses;
        self.matched += o.matched;
        self.labels_right += o.labels_right;
        self.golden_headings += o.golden_headings;
        self.imported_headings += o.imported_headings;
        self.headings_right += o.headings_right;
        self.covered += o.covered;
        self.meta_right += o.meta_right;
        self.meta_total += o.meta_total;
    }

    /// One row of the table [`table_header`] heads.
    pub fn row(&self) -> String {
        if let Some(ok) = self.refusal {
            return format!(
                "{:<58} {}",
                short(&self.name),
                if ok {
                    "refused, as expected"
                } else {
                    "NOT REFUSED (expected a refusal)"
                }
            );
        }
        format!(
            "{:<58} {:>5} {:>5}  {:>5.3} {:>5.3} {:>5.3}  {:>5.3}  {:>5.3}  {:>5.3}  {:>2}/{:<2}{}",
            short(&self.name),
            self.golden_clauses,
            self.imported_clauses,
            self.boundary_precision(),
            self.boundary_recall(),
            self.boundary_f1(),
            self.label_accuracy(),
            self.heading_f1(),
            self.coverage(),
            self.meta_right,
            self.meta_total,
            match self.warning {
                Some(true) => "  warned",
                Some(false) => "  NO WARNING",
                None => "",
            }
        )
    }
}

/// The header of the score table.
pub fn table_header() -> String {
    format!(
        "{:<58} {:>5} {:>5}  {:>5} {:>5} {:>5}  {:>5}  {:>5}  {:>5}  {}",
        "document", "gold", "imp", "P", "R", "F1", "label", "head", "cover", "meta"
    )
}

fn short(name: &str) -> String {
    if name.chars().count() <= 58 {
        name.to_string()
    } else {
        let s: String = name.chars().take(55).collect();
        format!("{s}...")
    }
}

/// The result of importing: the outline and metadata, or the refusal's message.
pub type ImportResult<'a> = Result<(&'a Outline, &'a DocumentMeta, &'a [String]), String>;

/// Scores an import (or its refusal) against a golden outline.
pub fn score(name: &str, golden: &Golden, imported: ImportResult<'_>) -> Score {
    let mut s = Score {
        name: name.to_string(),
        ..Score::default()
    };
    let (outline, meta, warnings) = match (imported, &golden.refuse) {
        (Err(msg), Some(_)) => {
            s.refusal = Some(true);
            s.diff = format!("refused: {msg}\n");
            return s;
        }
        (Ok(_), Some(why)) => {
            s.refusal = Some(false);
            s.diff = format!("imported, but the golden expects a refusal ({why})\n");
            return s;
        }
        (Err(msg), None) => {
            s.golden_clauses = count_clauses(golden);
            s.golden_headings = golden.items.len() - s.golden_clauses;
            s.meta_total = golden.meta.len();
            s.diff = format!("REFUSED, but the golden expects an outline: {msg}\n");
            return s;
        }
        (Ok(x), None) => x,
    };
    if golden.warn.is_some() {
        s.warning = Some(!warnings.is_empty());
    }
    score_meta(&mut s, golden, meta);

    // The import as the scorer sees it.
    let sections: HashMap<&str, usize> = outline
        .sections
        .iter()
        .enumerate()
        .map(|(i, sec)| (sec.id.as_str(), i))
        .collect();
    let path_of = |id: Option<&str>| -> Vec<String> {
        let mut path = Vec::new();
        let mut at = id.and_then(|x| sections.get(x)).copied();
        while let Some(i) = at {
            let sec = &outline.sections[i];
            path.push(norm_heading(&sec.number, &sec.title));
            at = sec
                .parent_id
                .as_deref()
                .and_then(|x| sections.get(x))
                .copied();
            if path.len() > 64 {
                break;
            }
        }
        path.reverse();
        path
    };
    let clause_text: Vec<String> = outline.clauses.iter().map(|c| norm(&c.text)).collect();
    let clause_path: Vec<Vec<String>> = outline
        .clauses
        .iter()
        .map(|c| path_of(c.section_id.as_deref()))
        .collect();
    let section_key: Vec<String> = outline
        .sections
        .iter()
        .map(|sec| norm_heading(&sec.number, &sec.title))
        .collect();
    let section_parent_path: Vec<Vec<String>> = outline
        .sections
        .iter()
        .map(|sec| path_of(sec.parent_id.as_deref()))
        .collect();
    let all_text = {
        let mut t = String::new();
        for sec in &outline.sections {
            t.push_str(&norm(&format!("{} {}", sec.number, sec.title)));
            t.push_str(" \u{1}");
        }
        for c in &clause_text {
            t.push_str(c);
            t.push_str(" \u{1}");
        }
        t
    };
    s.imported_clauses = outline.clauses.len();
    s.imported_headings = outline.sections.len();

    // The golden clauses' first words. An imported clause "starts with" a
    // golden clause's first words by prefix, so the number of clauses that may
    // rightly start with them is the number of golden clauses whose own first
    // words begin with them (a short `Denna lag gäller inte för` is also the
    // start of every longer golden clause that begins so).
    let golden_firsts: Vec<String> = golden
        .items
        .iter()
        .filter_map(|it| match it {
            Item::Clause { first, .. } => Some(norm(first)),
            Item::Heading { .. } => None,
        })
        .collect();
    let golden_starts = |f: &str| golden_firsts.iter().filter(|g| g.starts_with(f)).count();

    let mut used_clause = vec![false; outline.clauses.len()];
    let mut used_section = vec![false; outline.sections.len()];
    let mut next_clause = 0usize;
    let mut next_section = 0usize;
    let mut path: Vec<(usize, String)> = Vec::new();
    let mut out = String::new();
    let mut last_shown = 0usize;

    for it in &golden.items {
        match it {
            Item::Heading {
                level,
                number,
                title,
            } => {
                s.golden_headings += 1;
                while path.last().is_some_and(|(l, _)| l >= level) {
                    path.pop();
                }
                let key = norm_heading(number, title);
                let want: Vec<String> = path.iter().map(|(_, k)| k.clone()).collect();
                let found = find_in_order(&section_key, &used_section, next_section, |k| *k == key);
                let status = match found {
                    Some(j) => {
                        used_section[j] = true;
                        if j >= next_section {
                            next_section = j + 1;
                        }
                        if section_parent_path[j] == want {
                            s.headings_right += 1;
                            Status::Right
                        } else {
                            Status::WrongLabel(format!(
                                "under {}",
                                show_path(&section_parent_path[j])
                            ))
                        }
                    }
                    None => Status::Missing,
                };
                let mark = match &status {
                    Status::Right => "  ",
                    Status::WrongLabel(_) => "H~",
                    Status::Missing => "H-",
                };
                let _ = write!(
                    out,
                    "{mark} {} {}",
                    "=".repeat(*level),
                    if number.is_empty() {
                        title.clone()
                    } else {
                        format!("[{number}] {title}")
                    }
                );
                match status {
                    Status::WrongLabel(got) => {
                        let _ = writeln!(out, "    <- the import has it {got}");
                    }
                    Status::Missing => {
                        let _ = writeln!(out, "    <- no such section");
                    }
                    Status::Right => out.push('\n'),
                }
                path.push((*level, key));
            }
            Item::Clause {
                number,
                first,
                last,
            } => {
                s.golden_clauses += 1;
                let f = norm(first);
                let want_path: Vec<String> = path.iter().map(|(_, k)| k.clone()).collect();
                // Of the clauses that start alike, the one that also ends alike.
                let l = last.as_ref().map(|l| norm(l));
                // (A clause written whole is the whole clause.)
                let found = find_in_order(&clause_text, &used_clause, next_clause, |t| {
                    t.starts_with(&f)
                        && match &l {
                            Some(l) => t.contains(l.as_str()),
                            None => *t == f,
                        }
                })
                .or_else(|| {
                    find_in_order(&clause_text, &used_clause, next_clause, |t| {
                        t.starts_with(&f)
                    })
                });
                // Coverage: the words are there, and not more often at a clause start than the golden has them.
                let starts = clause_text.iter().filter(|t| t.starts_with(&f)).count();
                let present = all_text.contains(&f)
                    && last.as_ref().is_none_or(|l| all_text.contains(&norm(l)));
                let covered = present && starts <= golden_starts(&f).max(1);
                if covered {
                    s.covered += 1;
                } else {
                    let why = if present {
                        format!("starts {starts} imported clauses")
                    } else {
                        "its words are not in the import's text".to_string()
                    };
                    let _ = writeln!(out, "c!   (not covered: {why})");
                }
                let status = match found {
                    Some(j) => {
                        used_clause[j] = true;
                        if j >= next_clause {
                            // Imported clauses no golden clause starts, shown where they stand.
                            let from = last_shown.max(next_clause);
                            for (c, _) in outline.clauses[from..j]
                                .iter()
                                .zip(&used_clause[from..j])
                                .filter(|(_, used)| !**used)
                            {
                                {
                                    let _ = writeln!(
                                        out,
                                        "+    extra clause [{}] {}",
                                        c.label,
                                        preview(&c.text)
                                    );
                                }
                            }
                            last_shown = j + 1;
                            next_clause = j + 1;
                        }
                        s.matched += 1;
                        let c = &outline.clauses[j];
                        // A clause's label is what the app shows: the heading it sits
                        // under and its own number (the nesting above is scored by headings).
                        if norm_number(&c.number) == norm_number(number)
                            && clause_path[j].last() == want_path.last()
                        {
                            s.labels_right += 1;
                            Status::Right
                        } else {
                            Status::WrongLabel(format!(
                                "number [{}] under {}",
                                c.number,
                                show_path(&clause_path[j])
                            ))
                        }
                    }
                    None => Status::Missing,
                };
                let shown = if number.is_empty() {
                    preview(first)
                } else {
                    format!("[{number}] {}", preview(first))
                };
                match status {
                    Status::Right => {
                        let _ = writeln!(out, "     - {shown}");
                    }
                    Status::WrongLabel(got) => {
                        let _ = writeln!(out, "L~   - {shown}    <- {got}");
                    }
                    Status::Missing => {
                        let inside = clause_text
                            .iter()
                            .position(|t| t.contains(&f))
                            .map(|k| {
                                format!(
                                    "inside [{}] {}",
                                    outline.clauses[k].label,
                                    preview(&outline.clauses[k].text)
                                )
                            })
                            .unwrap_or_else(|| "not in the import's text".into());
                        let _ = writeln!(out, "C-   - {shown}    <- {inside}");
                    }
                }
            }
        }
    }
    for (k, used) in used_clause.iter().enumerate().skip(last_shown) {
        if !used {
            let c = &outline.clauses[k];
            let _ = writeln!(out, "+    extra clause [{}] {}", c.label, preview(&c.text));
        }
    }
    s.diff = out;
    s
}

fn count_clauses(g: &Golden) -> usize {
    g.items
        .iter()
        .filter(|i| matches!(i, Item::Clause { .. }))
        .count()
}

fn score_meta(s: &mut Score, golden: &Golden, meta: &DocumentMeta) {
    let mut notes = String::new();
    for (key, want) in &golden.meta {
        let got = match key.as_str() {
            "title" => &meta.title,
            "dnr" => &meta.dnr,
            "decided" => &meta.decided,
            "decided_by" => &meta.decided_by,
            _ => &meta.responsible,
        };
        s.meta_total += 1;
        if norm(got) == norm(want) {
            s.meta_right += 1;
        } else {
            let _ = writeln!(notes, "M~ {key}: want {want:?}, the import has {got:?}");
        }
    }
    s.diff.push_str(&notes);
}

/// The first unused index at or after `from` whose item passes `test`; else
/// the first unused one before it (out of order).
fn find_in_order<T>(
    items: &[T],
    used: &[bool],
    from: usize,
    test: impl Fn(&T) -> bool,
) -> Option<usize> {
    (from..items.len())
        .chain(0..from.min(items.len()))
        .find(|&j| !used[j] && test(&items[j]))
}

fn show_path(p: &[String]) -> String {
    if p.is_empty() {
        "(top)".into()
    } else {
        p.join(" › ")
    }
}

fn preview(t: &str) -> String {
    let one: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= 70 {
        one
    } else {
        format!("{}…", one.chars().take(70).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kryphal_domain::{Clause, ClauseKind, Section};

    fn outline() -> Outline {
        let sec = |id: &str, parent: Option<&str>, number: &str, title: &str, pos| Section {
            id: id.into(),
            parent_id: parent.map(Into::into),
            level: 1,
            number: number.into(),
            title: title.into(),
            position: pos,
        };
        let cl = |section: &str, number: &str, text: &str, pos| Clause {
            id: format!("c{pos}"),
            section_id: Some(section.into()),
            number: number.into(),
            label: String::new(),
            kind: ClauseKind::Paragraph,
            text: text.into(),
            position: pos,
        };
        Outline {
            sections: vec![
                sec("s1", None, "1 kap.", "Inledning", 0),
                sec("s2", Some("s1"), "", "Syfte", 1),
            ],
            clauses: vec![
                cl("s2", "1 §", "Lagen gäller kommuner och regioner.", 2),
                cl("s2", "", "Den gäller också förbund. Och stiftelser.", 3),
                cl("s1", "2 §", "Nämnden prövar.", 4),
            ],
        }
    }

    const GOLDEN: &str = "title: Lagen\n= [1 kap.] Inledning\n== Syfte\n- [1 §] Lagen gäller kommuner | och regioner.\n- Den gäller också förbund.\n- Och stiftelser.\n- [2 §] Nämnden prövar.\n";

    #[test]
    fn a_golden_outline_parses_headings_clauses_and_keys() {
        let g = parse(GOLDEN).unwrap();
        assert_eq!(g.meta, vec![("title".to_string(), "Lagen".to_string())]);
        assert_eq!(
            g.items[2],
            Item::Clause {
                number: "1 §".into(),
                first: "Lagen gäller kommuner".into(),
                last: Some("och regioner.".into())
            }
        );
        assert!(parse("? what").is_err());
        assert!(parse("colour: red").is_err());
    }

    #[test]
    fn boundaries_labels_headings_and_coverage_are_counted() {
        let g = parse(GOLDEN).unwrap();
        let o = outline();
        let meta = DocumentMeta {
            title: "Lagen".into(),
            ..DocumentMeta::default()
        };
        let s = score("x", &g, Ok((&o, &meta, &[])));
        assert_eq!((s.golden_clauses, s.imported_clauses, s.matched), (4, 3, 3));
        // "Och stiftelser." is merged into the clause before it: found inside, not at a start.
        assert!(s.diff().contains("C-   - Och stiftelser."), "{}", s.diff());
        // 2 § is placed under the chapter, while the golden has it under "Syfte".
        assert_eq!(s.labels_right, 2);
        assert!(s.diff().contains("L~   - [2 §]"), "{}", s.diff());
        assert_eq!(s.headings_right, 2);
        assert_eq!(s.covered, 4);
        assert_eq!((s.meta_right, s.meta_total), (1, 1));
        assert!((s.boundary_f1() - 2.0 * 1.0 * 0.75 / 1.75).abs() < 1e-9);
    }

    #[test]
    fn a_short_first_words_may_start_as_many_clauses_as_golden_clauses_begin_with_them() {
        let cl = |number: &str, text: &str, pos| Clause {
            id: format!("c{pos}"),
            section_id: None,
            number: number.into(),
            label: String::new(),
            kind: ClauseKind::Paragraph,
            text: text.into(),
            position: pos,
        };
        let o = |texts: &[&str]| Outline {
            sections: vec![],
            clauses: texts
                .iter()
                .enumerate()
                .map(|(i, t)| cl("", t, i as u32))
                .collect(),
        };
        let m = DocumentMeta::default();
        // Two golden clauses begin with "Denna lag gäller": the short one may share its start.
        let g =
            parse("- Denna lag gäller\n- Denna lag gäller inte för skolor | om inte annat sägs.\n")
                .unwrap();
        let two = o(&[
            "Denna lag gäller",
            "Denna lag gäller inte för skolor, om inte annat sägs.",
        ]);
        assert_eq!(score("x", &g, Ok((&two, &m, &[]))).covered, 2);
        // Near miss: the same text imported twice is a duplicate, not coverage
        // (of either: three clauses now start with the short first words).
        let dup = o(&[
            "Denna lag gäller",
            "Denna lag gäller inte för skolor, om inte annat sägs.",
            "Denna lag gäller inte för skolor, om inte annat sägs.",
        ]);
        let s = score("x", &g, Ok((&dup, &m, &[])));
        assert_eq!(s.covered, 0, "{}", s.diff());
        assert!(
            s.diff().contains("c!   (not covered: starts 3"),
            "{}",
            s.diff()
        );
        assert!(
            s.diff().contains("c!   (not covered: starts 2"),
            "{}",
            s.diff()
        );
    }

    #[test]
    fn a_refusal_is_right_only_when_the_golden_expects_one() {
        let refuse = parse("refuse: no text layer").unwrap();
        assert_eq!(
            score("x", &refuse, Err("scanned".into())).refusal,
            Some(true)
        );
        let o = outline();
        let m = DocumentMeta::default();
        assert_eq!(score("x", &refuse, Ok((&o, &m, &[]))).refusal, Some(false));
        let g = parse(GOLDEN).unwrap();
        let s = score("x", &g, Err("no".into()));
        assert_eq!((s.golden_clauses, s.matched), (4, 0));
        assert_eq!(s.boundary_f1(), 0.0);
    }
}
