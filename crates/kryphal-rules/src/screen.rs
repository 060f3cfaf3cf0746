//! Screening: every clause of a document against every rule of a pack.
//!
//! At load the pack's rules are compiled once into an [`Engine`]: one
//! [`RegexSet`] holding every pattern of every rule (the trigger terms, the
//! `unless` terms and the required families), plus each pattern on its own
//! for the byte spans. Screening a document is then two passes: one set
//! search per clause tells which patterns occur where; a second pass decides
//! per clause and rule, looking at the section for `absence` rules, and
//! finds the spans only for the few rules that fire.

use std::collections::HashMap;

use kryphal_domain::{Outline, Span};
use regex::{Regex, RegexSet, RegexSetBuilder};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::rule::{Compiled, PATTERN_SIZE_LIMIT, Rule, RuleKind, RuleLevel, Scope, compile_rule};
use crate::text::{Normalized, parse_number};

/// One clause to screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScreenClause {
    pub id: String,
    pub text: String,
    /// The clause's section; `absence` rules look for required terms across it.
    pub section_id: Option<String>,
    #[serde(default)]
    pub section_title: String,
}

/// What screening reads: a document's clauses in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScreenInput {
    pub clauses: Vec<ScreenClause>,
}

impl From<&Outline> for ScreenInput {
    fn from(outline: &Outline) -> ScreenInput {
        let titles: HashMap<&str, &str> = outline
            .sections
            .iter()
            .map(|s| (s.id.as_str(), s.title.as_str()))
            .collect();
        ScreenInput {
            clauses: outline
                .clauses
                .iter()
                .map(|c| ScreenClause {
                    id: c.id.clone(),
                    text: c.text.clone(),
                    section_id: c.section_id.clone(),
                    section_title: c
                        .section_id
                        .as_deref()
                        .and_then(|s| titles.get(s))
                        .map(|t| t.to_string())
                        .unwrap_or_default(),
                })
                .collect(),
        }
    }
}

impl ScreenInput {
    /// One clause in a section of its own (used for rule examples).
    pub fn single(text: &str) -> ScreenInput {
        ScreenInput {
            clauses: vec![ScreenClause {
                id: "example".into(),
                text: text.into(),
                section_id: Some("example".into()),
                section_title: String::new(),
            }],
        }
    }
}

/// A rule that fired on a clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Hit {
    pub rule_id: String,
    pub clause_id: String,
    pub kind: RuleKind,
    pub level: RuleLevel,
    /// The rule's vulnerability family.
    pub category: String,
    /// The rule's message with `{match}` replaced by the first matched words.
    pub message: String,
    pub rationale: String,
    pub link: Option<String>,
    pub crime_types: Vec<String>,
    /// Byte spans of the matched words in the clause's text, in order.
    pub spans: Vec<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Trigger,
    Unless,
    Required,
}

#[derive(Debug)]
struct Pattern {
    regex: Regex,
    rule: usize,
    role: Role,
    /// Uses `^`, `$`, `\A` or `\z`, so it must see one clause at a time.
    anchored: bool,
}

/// A pack's rules compiled for screening.
#[derive(Debug)]
pub(crate) struct Engine {
    /// The word-term lists of all rules, searched together.
    set: RegexSet,
    /// Pattern index of each member of `set`.
    in_set: Vec<usize>,
    /// Raw regexes and threshold patterns, searched one by one: each has a
    /// literal prefix that lets the engine skip most clauses at memchr
    /// speed, whereas in one DFA with the word lists their gaps of "up to
    /// N words" would blow up the state space.
    alone: Vec<usize>,
    patterns: Vec<Pattern>,
    /// Per rule: indices of its trigger patterns.
    triggers: Vec<Vec<usize>>,
}

impl Engine {
    /// Compiles the rules (used when they were not compiled at load).
    pub(crate) fn build(rules: &[Rule]) -> Result<Engine, String> {
        let compiled = rules
            .iter()
            .map(|r| compile_rule(r).map_err(|m| format!("rule {}: {m}", r.id)))
            .collect::<Result<Vec<_>, _>>()?;
        Engine::from_compiled(compiled)
    }

    /// Puts rules compiled at load into one set.
    pub(crate) fn from_compiled(compiled: Vec<Compiled>) -> Result<Engine, String> {
        let mut sources = Vec::new();
        let mut in_set = Vec::new();
        let mut alone = Vec::new();
        let mut patterns = Vec::new();
        let mut triggers = vec![Vec::new(); compiled.len()];
        for (i, c) in compiled.into_iter().enumerate() {
            for (list, role) in [
                (c.trigger, Role::Trigger),
                (c.unless, Role::Unless),
                (c.required, Role::Required),
            ] {
                for (src, regex) in list {
                    let anchored = is_anchored(&src);
                    if role == Role::Trigger {
                        triggers[i].push(patterns.len());
                    }
                    if src.starts_with(crate::text::BOUNDED_PREFIX) {
                        in_set.push(patterns.len());
                        sources.push(src);
                    } else {
                        alone.push(patterns.len());
                    }
                    patterns.push(Pattern {
                        regex,
                        rule: i,
                        role,
                        anchored,
                    });
                }
            }
        }
        let set = RegexSetBuilder::new(&sources)
            .size_limit(PATTERN_SIZE_LIMIT * 64)
            .dfa_size_limit(PATTERN_SIZE_LIMIT * 16)
            .build()
            .map_err(|e| format!("the rules together are too large to compile: {e}"))?;
        Ok(Engine {
            set,
            in_set,
            alone,
            patterns,
            triggers,
        })
    }
}

#[derive(Default, Clone, Copy)]
struct Flags {
    trigger: bool,
    unless: bool,
    required: bool,
}

impl Flags {
    fn set(&mut self, role: Role) {
        match role {
            Role::Trigger => self.trigger = true,
            Role::Unless => self.unless = true,
            Role::Required => self.required = true,
        }
    }
}

/// Whether a pattern uses an anchor (`^` outside a class, `$`, `\A`, `\z`).
fn is_anchored(src: &str) -> bool {
    let b = src.as_bytes();
    src.contains('$')
        || src.contains("\\A")
        || src.contains("\\z")
        || b.iter()
            .enumerate()
            .any(|(i, &c)| c == b'^' && (i == 0 || b[i - 1] != b'['))
}

/// Screens every clause of `doc` with the rules of `book`. Hits come in
/// clause order, then in the order of the pack's rules.
pub fn screen(book: &crate::Rulebook, doc: &ScreenInput) -> Vec<Hit> {
    let engine = book.engine();
    let rules = &book.rules;
    if rules.is_empty() || doc.clauses.is_empty() {
        return Vec::new();
    }
    // Pass 1: which rules' patterns occur in each clause. The word lists are
    // one set search per clause; the standalone patterns each run once over
    // the whole document (clauses joined by a line break), which saves a
    // call per clause and pattern.
    let norms: Vec<Normalized<'_>> = doc
        .clauses
        .iter()
        .map(|c| Normalized::new(&c.text))
        .collect();
    let mut flags: Vec<Vec<Flags>> = Vec::with_capacity(doc.clauses.len());
    let mut joined = String::with_capacity(norms.iter().map(|n| n.text.len() + 1).sum());
    let mut starts = Vec::with_capacity(norms.len());
    for n in &norms {
        starts.push(joined.len());
        joined.push_str(&n.text);
        joined.push('\n');
        let mut f = vec![Flags::default(); rules.len()];
        for i in engine.set.matches(&n.text).into_iter() {
            f[engine.patterns[engine.in_set[i]].rule].set(engine.patterns[engine.in_set[i]].role);
        }
        flags.push(f);
    }
    let clause_at = |offset: usize| starts.partition_point(|&s| s <= offset) - 1;
    for &p in &engine.alone {
        let pat = &engine.patterns[p];
        if pat.anchored {
            for (c, n) in norms.iter().enumerate() {
                if pat.regex.is_match(&n.text) {
                    flags[c][pat.rule].set(pat.role);
                }
            }
            continue;
        }
        for m in pat.regex.find_iter(&joined) {
            let (first, last) = (
                clause_at(m.start()),
                clause_at(m.end().saturating_sub(1).max(m.start())),
            );
            if first == last {
                flags[first][pat.rule].set(pat.role);
            } else {
                // A match across clauses does not count; look in each of them alone.
                for c in first..=last {
                    if pat.regex.is_match(&norms[c].text) {
                        flags[c][pat.rule].set(pat.role);
                    }
                }
            }
        }
    }
    // Required families present anywhere in a section.
    let mut section_has: HashMap<Option<&str>, Vec<bool>> = HashMap::new();
    for (c, f) in doc.clauses.iter().zip(&flags) {
        let entry = section_has
            .entry(c.section_id.as_deref())
            .or_insert_with(|| vec![false; rules.len()]);
        for (r, fl) in f.iter().enumerate() {
            entry[r] |= fl.required;
        }
    }
    // Pass 2: decide and find spans.
    let mut hits = Vec::new();
    for ((clause, n), f) in doc.clauses.iter().zip(&norms).zip(&flags) {
        for (r, rule) in rules.iter().enumerate() {
            let fl = f[r];
            if !fl.trigger || fl.unless {
                continue;
            }
            if rule.kind == RuleKind::Absence {
                let present = match rule.scope {
                    Scope::Clause => fl.required,
                    Scope::Section => section_has[&clause.section_id.as_deref()][r],
                };
                if present {
                    continue;
                }
            }
            let spans = spans_of(engine, rule, r, &n.text);
            if spans.is_empty() {
                continue;
            }
            let (fs, fe) = n.original_span(spans[0].0, spans[0].1, &clause.text);
            let first = clause.text[fs..fe]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let message = rule.message.replace("{match}", &first);
            let spans = spans
                .iter()
                .map(|&(s, e)| {
                    let (s, e) = n.original_span(s, e, &clause.text);
                    Span {
                        start: s as u32,
                        end: e as u32,
                    }
                })
                .collect();
            hits.push(Hit {
                rule_id: rule.id.clone(),
                clause_id: clause.id.clone(),
                kind: rule.kind,
                level: rule.level,
                category: rule.category.clone(),
                message,
                rationale: rule.rationale.clone(),
                link: rule.link.clone(),
                crime_types: rule.crime_types.clone(),
                spans,
            });
        }
    }
    hits
}

/// Screens many documents, spread over the machine's cores; the result
/// holds each document's hits in the order of `docs`.
pub fn screen_many(book: &crate::Rulebook, docs: &[ScreenInput]) -> Vec<Vec<Hit>> {
    let _ = book.engine();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(docs.len().max(1));
    if threads <= 1 {
        return docs.iter().map(|d| screen(book, d)).collect();
    }
    let chunk = docs.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = docs
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|d| screen(book, d)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("screening thread"))
            .collect()
    })
}

/// Screens an outline (convenience over [`ScreenInput::from`]).
pub fn screen_outline(book: &crate::Rulebook, outline: &Outline) -> Vec<Hit> {
    screen(book, &ScreenInput::from(outline))
}

/// Byte spans (in the normalised text) of a rule's trigger matches; for a
/// threshold rule only those whose number passes the limit.
fn spans_of(engine: &Engine, rule: &Rule, r: usize, text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    for &p in &engine.triggers[r] {
        let re = &engine.patterns[p].regex;
        let mut at = 0;
        while at <= text.len() {
            let Some(caps) = re.captures_at(text, at) else {
                break;
            };
            let whole = caps.get(0).expect("group 0");
            let m = caps.name("m").unwrap_or(whole);
            let next = if m.end() > at {
                m.end()
            } else {
                whole.end().max(at + 1)
            };
            if rule.kind == RuleKind::Threshold && !threshold_passes(rule, &caps) {
                at = next_char(text, next);
                continue;
            }
            spans.push((m.start(), m.end()));
            at = next_char(text, next);
        }
    }
    spans.sort_unstable();
    spans.dedup();
    spans
}

fn next_char(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn threshold_passes(rule: &Rule, caps: &regex::Captures<'_>) -> bool {
    let Some(n) = caps.name("n").and_then(|m| parse_number(m.as_str())) else {
        return false;
    };
    let factor = match caps.name("unit") {
        None => 1.0,
        Some(u) => {
            let word = u.as_str().to_lowercase();
            let best = rule
                .units
                .iter()
                .filter(|(k, _)| word.starts_with(&k.to_lowercase()))
                .max_by_key(|(k, _)| k.len());
            match best {
                Some((_, v)) => f64::from(*v),
                None => return false,
            }
        }
    };
    let value = n * factor;
    rule.at_least.is_none_or(|l| value >= f64::from(l))
        && rule.at_most.is_none_or(|l| value <= f64::from(l))
}
