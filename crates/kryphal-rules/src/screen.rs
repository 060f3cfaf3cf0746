//! Screening: every clause of a document against every rule of a pack.
//!
//! At load the pack's rules are compiled once into an [`Engine`]: one
//! [`RegexSet`] holding every word-term trigger of every rule and the
//! pack's clause-role signals, plus each pattern on its own for the byte
//! spans; a rule's other lists (`unless`, `with`, `unless_section`, the
//! required family) are kept apart. Screening a document is then:
//!
//! 1. one set search per clause tells which word-list triggers and signals
//!    occur where; the standalone patterns (raw regexes with gaps,
//!    thresholds) are run only on clauses that hold one of the words each
//!    cannot match without (one Aho-Corasick search per clause finds them
//!    all, see `prefilter`), a rule's only once its role fits the clause;
//!    the few with no such words are searched over the whole document;
//! 2. each clause gets its *role* (obligation, statement, definition,
//!    advice, context, heading, furniture) from its section titles, its own
//!    wording and its shape;
//! 3. per clause and rule whose trigger occurs: the role, `unless`, `with`,
//!    `unless_section` and (for `absence` rules) the required family in the
//!    clause, section or document decide — these lists are searched only
//!    there, and across a section at most once; the spans are found only
//!    for the few rules that fire, and a trigger after a negation counts as
//!    the rule says;
//! 4. where several rules hit the same words of a clause, the most specific
//!    one stays and the others are listed under it (`also`);
//! 5. `absence` rules reported on a section or the document give one hit on
//!    the first clause of their topic there.

use std::collections::HashMap;

use kryphal_domain::{ClauseKind, Outline, RelatedRule, Span, SuggestionScope};
use regex::{Regex, RegexSet, RegexSetBuilder};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::context::{CompiledSignals, ContextSignals, Signal};
use crate::rule::{
    ClauseRole, Compiled, Negation, PATTERN_SIZE_LIMIT, Proposal, Report, Rule, RuleKind,
    RuleLevel, Scope, compile_rule,
};
use crate::text::{Normalized, parse_number};

/// One clause to screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScreenClause {
    pub id: String,
    pub text: String,
    /// The clause's section.
    pub section_id: Option<String>,
    #[serde(default)]
    pub section_title: String,
    /// The titles of the sections above the clause's own, outermost first
    /// (advice headings such as *Till 7 §* may stand there).
    #[serde(default)]
    pub parent_titles: Vec<String>,
    /// The top-level section the clause's section belongs to; `section`
    /// scope looks across it. `None`: the clause's own section.
    #[serde(default)]
    pub top_section_id: Option<String>,
    /// What the import made the clause from; `None` when not known.
    #[serde(default)]
    pub kind: Option<ClauseKind>,
}

/// What screening reads: a document's clauses in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScreenInput {
    pub clauses: Vec<ScreenClause>,
    /// The document's title, for `{section}` in a document-wide hit.
    #[serde(default)]
    pub title: String,
}

impl From<&Outline> for ScreenInput {
    fn from(outline: &Outline) -> ScreenInput {
        let by_id: HashMap<&str, &kryphal_domain::Section> = outline
            .sections
            .iter()
            .map(|s| (s.id.as_str(), s))
            .collect();
        // Per section: the titles above it (outermost first) and its top section.
        let mut chain: HashMap<&str, (Vec<String>, String)> = HashMap::new();
        for s in &outline.sections {
            let mut parents = Vec::new();
            let mut top = s.id.as_str();
            let mut at = s.parent_id.as_deref();
            let mut guard = 0;
            while let Some(p) = at.and_then(|p| by_id.get(p)) {
                parents.push(p.title.clone());
                top = p.id.as_str();
                at = p.parent_id.as_deref();
                guard += 1;
                if guard > 32 {
                    break;
                }
            }
            parents.reverse();
            chain.insert(s.id.as_str(), (parents, top.to_string()));
        }
        ScreenInput {
            title: String::new(),
            clauses: outline
                .clauses
                .iter()
                .map(|c| {
                    let section = c.section_id.as_deref();
                    let (parents, top) = section
                        .and_then(|s| chain.get(s))
                        .map(|(p, t)| (p.clone(), Some(t.clone())))
                        .unwrap_or_default();
                    ScreenClause {
                        id: c.id.clone(),
                        text: c.text.clone(),
                        section_id: c.section_id.clone(),
                        section_title: section
                            .and_then(|s| by_id.get(s))
                            .map(|s| s.title.clone())
                            .unwrap_or_default(),
                        parent_titles: parents,
                        top_section_id: top,
                        kind: Some(c.kind),
                    }
                })
                .collect(),
        }
    }
}

impl ScreenInput {
    /// A rule example as a document: its paragraphs (separated by a blank
    /// line) are clauses of one section, so that section- and
    /// document-wide rules can be shown with several clauses.
    pub fn example(text: &str) -> ScreenInput {
        let parts: Vec<&str> = text
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() <= 1 {
            return ScreenInput::single(text);
        }
        ScreenInput {
            clauses: parts
                .iter()
                .enumerate()
                .map(|(i, p)| ScreenClause {
                    id: format!("example-{}", i + 1),
                    text: (*p).to_string(),
                    section_id: Some("example".into()),
                    ..ScreenClause::default()
                })
                .collect(),
            title: String::new(),
        }
    }

    /// One clause in a section of its own.
    pub fn single(text: &str) -> ScreenInput {
        ScreenInput {
            clauses: vec![ScreenClause {
                id: "example".into(),
                text: text.into(),
                section_id: Some("example".into()),
                ..ScreenClause::default()
            }],
            title: String::new(),
        }
    }
}

/// A rule that fired on a clause (or on a section or the document, shown
/// on a clause of its topic).
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
    /// The clause, or the section or document the hit is about.
    pub scope: SuggestionScope,
    /// The clause's role as screening read it.
    pub role: ClauseRole,
    /// Why, in one sentence tied to the clause's words.
    pub why: String,
    /// A starting wording for the finding's unintended consequence.
    pub consequence: String,
    /// A starting proposed wording for the clause (empty: none).
    pub proposal: String,
    /// Rules that fired on the same words and were folded under this one.
    pub also: Vec<RelatedRule>,
}

/// What a pattern of pass 1 stands for: a rule's trigger, or a role signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Rule(usize),
    Signal(Signal),
}

#[derive(Debug)]
struct Pattern {
    regex: Regex,
    owner: Owner,
    /// Uses `^` or `$`: pass 1 runs this multi-line copy over the whole
    /// document instead, where each clause is one line.
    lines: Option<Regex>,
    /// Uses `\A` or `\z`, so it must see one clause at a time.
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
    /// N words" would blow up the state space. These are the ones without
    /// a usable set of necessary words (see `filtered`).
    alone: Vec<usize>,
    /// Standalone patterns with a set of words every match contains: one
    /// Aho-Corasick search per clause for all these words tells which of
    /// them can match there, and only those are run, on that clause.
    filtered: Vec<usize>,
    /// All the necessary words of `filtered`, searched together; word `i`
    /// stands for the members of `filtered` in `word_owners[i]`.
    words: Option<aho_corasick::AhoCorasick>,
    word_owners: Vec<Vec<usize>>,
    patterns: Vec<Pattern>,
    /// Per rule: indices of its trigger patterns.
    triggers: Vec<Vec<usize>>,
    /// Per rule: its `unless`, `with`, `unless_section` and required
    /// patterns, which pass 2 runs only where the rule's trigger occurs.
    lists: Vec<RuleLists>,
    signals: CompiledSignals,
}

/// A rule's patterns other than its triggers.
#[derive(Debug, Default)]
struct RuleLists {
    unless: Vec<Regex>,
    with: Vec<Regex>,
    unless_section: Vec<Regex>,
    required: Vec<Regex>,
}

fn any_match(list: &[Regex], text: &str) -> bool {
    list.iter().any(|r| r.is_match(text))
}

impl Engine {
    /// Compiles the rules and signals (used when they were not compiled at load).
    pub(crate) fn build(rules: &[Rule], context: &ContextSignals) -> Result<Engine, String> {
        let compiled = rules
            .iter()
            .map(|r| compile_rule(r).map_err(|m| format!("rule {}: {m}", r.id)))
            .collect::<Result<Vec<_>, _>>()?;
        let signals = context
            .compile()
            .map_err(|(key, _, m)| format!("context.toml {key}: {m}"))?;
        Engine::from_compiled(compiled, signals)
    }

    /// Puts rules compiled at load into one set.
    pub(crate) fn from_compiled(
        compiled: Vec<Compiled>,
        mut signals: CompiledSignals,
    ) -> Result<Engine, String> {
        let mut sources = Vec::new();
        let mut in_set = Vec::new();
        let mut alone = Vec::new();
        let mut filtered = Vec::new();
        let mut words: Vec<Vec<u8>> = Vec::new();
        let mut word_index: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut word_owners: Vec<Vec<usize>> = Vec::new();
        let mut patterns = Vec::new();
        let mut triggers = vec![Vec::new(); compiled.len()];
        let mut add = |src: String, regex: Regex, owner: Owner, patterns: &mut Vec<Pattern>| {
            let mut anchored = is_anchored(&src);
            let mut lines = None;
            if anchored && !src.contains("\\A") && !src.contains("\\z") && !starts_anchored(&src) {
                // Normalised clauses have no line breaks, and the document is
                // searched with one clause per line.
                if let Ok(re) = regex::RegexBuilder::new(&format!("(?m:{src})"))
                    .size_limit(PATTERN_SIZE_LIMIT)
                    .build()
                {
                    lines = Some(re);
                    anchored = false;
                }
            }
            if src.starts_with(crate::text::BOUNDED_PREFIX) {
                in_set.push(patterns.len());
                sources.push(src);
            } else if let Some(needed) = crate::prefilter::necessary_literals(&src) {
                for w in needed {
                    let at = match word_index.get(&w) {
                        Some(&i) => i,
                        None => {
                            word_index.insert(w.clone(), words.len());
                            words.push(w);
                            word_owners.push(Vec::new());
                            words.len() - 1
                        }
                    };
                    word_owners[at].push(filtered.len());
                }
                filtered.push(patterns.len());
            } else {
                alone.push(patterns.len());
            }
            patterns.push(Pattern {
                regex,
                owner,
                lines,
                anchored,
            });
        };
        let mut lists = Vec::with_capacity(compiled.len());
        for (i, c) in compiled.into_iter().enumerate() {
            for (src, regex) in c.trigger {
                triggers[i].push(patterns.len());
                add(src, regex, Owner::Rule(i), &mut patterns);
            }
            let only = |l: Vec<(String, Regex)>| l.into_iter().map(|(_, r)| r).collect();
            lists.push(RuleLists {
                unless: only(c.unless),
                with: only(c.with),
                unless_section: only(c.unless_section),
                required: only(c.required),
            });
        }
        for (signal, src, regex) in std::mem::take(&mut signals.clause) {
            add(src, regex, Owner::Signal(signal), &mut patterns);
        }
        let set = RegexSetBuilder::new(&sources)
            .size_limit(PATTERN_SIZE_LIMIT * 64)
            .dfa_size_limit(PATTERN_SIZE_LIMIT * 16)
            .build()
            .map_err(|e| format!("the rules together are too large to compile: {e}"))?;
        let words = if words.is_empty() {
            None
        } else {
            Some(
                aho_corasick::AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::Standard)
                    // A few hundred words: the full DFA is small, and an
                    // overlapping search with it is the fastest.
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .build(&words)
                    .map_err(|e| format!("the rules' necessary words do not compile: {e}"))?,
            )
        };
        Ok(Engine {
            set,
            in_set,
            alone,
            filtered,
            words,
            word_owners,
            patterns,
            triggers,
            lists,
            signals,
        })
    }
}

/// What pass 1 found in one clause: which rules' triggers occur, and the
/// role signals.
struct ClauseFlags {
    rules: Vec<bool>,
    signals: u8,
    /// Standalone trigger patterns of rules whose necessary words occur in
    /// the clause but which have not been run: pass 2 runs them only for a
    /// rule whose other conditions (its roles) hold there.
    pending: Vec<usize>,
}

impl ClauseFlags {
    fn set(&mut self, owner: Owner) {
        match owner {
            Owner::Rule(r) => self.rules[r] = true,
            Owner::Signal(s) => self.signals |= s.bit(),
        }
    }
    fn is(&self, owner: Owner) -> bool {
        match owner {
            Owner::Rule(r) => self.rules[r],
            Owner::Signal(s) => self.has(s),
        }
    }
    fn has(&self, s: Signal) -> bool {
        self.signals & s.bit() != 0
    }
}

/// Whether every match of a pattern starts at the start of the text (`^…`,
/// `(?:^…|^…)`): then a search of each clause on its own stops at once where
/// it fails, cheaper than a search of the whole document.
fn starts_anchored(src: &str) -> bool {
    let mut rest = src;
    while let Some(r) = rest.strip_prefix("(?:") {
        rest = r;
    }
    if !rest.starts_with('^') {
        return false;
    }
    // Every top-level alternative of the outermost group starts with `^` too.
    let inner = src.trim_start_matches("(?:");
    let mut depth = 0i32;
    let mut in_class = false;
    let mut escaped = false;
    for (i, c) in inner.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class => depth -= 1,
            '|' if !in_class && depth <= 0 => {
                let next = inner[i + 1..].trim_start_matches("(?:");
                if !next.starts_with('^') {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
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

/// The role a clause's shape gives it: furniture, or a heading the import
/// kept as text.
fn shape_role(
    sig: &CompiledSignals,
    clause: &ScreenClause,
    text: &str,
    flags: &ClauseFlags,
) -> Option<ClauseRole> {
    let obligation = flags.has(Signal::Obligation);
    let words = text.split_whitespace().count();
    if flags.has(Signal::Furniture) && !obligation && {
        // A short line that is not a sentence ("Bankgiro 624-1061"), or a
        // letterhead line thick with numbers (postcodes, phone numbers,
        // organisation and giro numbers).
        let digits = text.chars().filter(char::is_ascii_digit).count();
        let alnum = text.chars().filter(|c| c.is_alphanumeric()).count();
        let sentence = clause.text.trim_end().ends_with(['.', '!', '?']);
        (words <= sig.furniture_max_words && !sentence) || digits * 6 >= alnum
    } {
        return Some(ClauseRole::Furniture);
    }
    let paragraph = matches!(
        clause.kind,
        None | Some(ClauseKind::Paragraph) | Some(ClauseKind::Numbered)
    );
    let original = clause.text.trim();
    if paragraph
        && !obligation
        && words > 0
        && words <= sig.heading_max_words
        && !original.ends_with(['.', ':', ';', '!', '?', ','])
        && original
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    {
        return Some(ClauseRole::Heading);
    }
    None
}

/// The role of every clause from its signals, shape and section titles. A
/// clause the shape makes a heading also titles the clauses after it in its
/// section (imports often keep a document's lesser headings as text).
fn roles_of<'d>(
    sig: &CompiledSignals,
    doc: &'d ScreenInput,
    norms: &[Normalized<'_>],
    flags: &[ClauseFlags],
) -> Vec<ClauseRole> {
    // What each distinct title says (advice, context, definition), worked
    // out once per title rather than once per clause.
    let mut titles: HashMap<&str, [bool; 3]> = HashMap::new();
    let title_says = |title: &'_ str| -> [bool; 3] {
        let is = |re: &Option<Regex>, text: &str| re.as_ref().is_some_and(|r| r.is_match(text));
        let norm = Normalized::new(title.trim());
        [
            is(&sig.advice_titles, &norm.text),
            is(&sig.context_titles, &norm.text),
            is(&sig.definition_titles, &norm.text),
        ]
    };
    let mut says =
        |title: &'d str| -> [bool; 3] { *titles.entry(title).or_insert_with(|| title_says(title)) };
    let mut implicit: Option<(Option<&str>, &str)> = None;
    let mut out = Vec::with_capacity(doc.clauses.len());
    for ((clause, n), f) in doc.clauses.iter().zip(norms).zip(flags) {
        if let Some(role) = shape_role(sig, clause, &n.text, f) {
            if role == ClauseRole::Heading {
                implicit = Some((clause.section_id.as_deref(), clause.text.as_str()));
            }
            out.push(role);
            continue;
        }
        let under = implicit
            .filter(|(s, _)| *s == clause.section_id.as_deref())
            .map(|(_, t)| t);
        let own = under.unwrap_or(&clause.section_title);
        let above = clause
            .parent_titles
            .iter()
            .map(String::as_str)
            .chain(under.map(|_| clause.section_title.as_str()));
        let [own_advice, own_context, own_definition] = says(own);
        let role = if f.has(Signal::Definition) {
            ClauseRole::Definition
        } else if f.has(Signal::Advice) || own_advice || above.clone().any(|t| says(t)[0]) {
            ClauseRole::Advice
        } else if f.has(Signal::Context) || own_context {
            ClauseRole::Context
        } else if own_definition {
            ClauseRole::Definition
        } else if f.has(Signal::Obligation) {
            ClauseRole::Obligation
        } else {
            ClauseRole::Statement
        };
        out.push(role);
    }
    out
}

/// Byte ranges (in the normalised text) after a negating word that its
/// negation reaches.
fn negated_ranges(sig: &CompiledSignals, text: &str) -> Vec<(usize, usize)> {
    let Some(neg) = &sig.negation else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for caps in neg.captures_iter(text) {
        let m = caps
            .name("m")
            .unwrap_or_else(|| caps.get(0).expect("group 0"));
        let start = m.end();
        let mut end = start;
        let mut words = 0;
        let rest = &text[start..];
        let stop = rest
            .find(['.', ',', ';', ':', '!', '?'])
            .map_or(text.len(), |i| start + i);
        let stop = match &sig.breaks {
            Some(b) => b
                .find(&text[start..stop])
                .map_or(stop, |bm| start + bm.start()),
            None => stop,
        };
        for (i, w) in text[start..stop].split_whitespace().enumerate() {
            if i >= sig.window {
                break;
            }
            words += 1;
            let at = text[end..stop].find(w).map_or(end, |k| end + k);
            end = at + w.len();
        }
        if words > 0 {
            out.push((start, end));
        }
    }
    out
}

/// Fills `{match}` and `{section}`.
fn fill(template: &str, matched: &str, section: &str) -> String {
    template
        .replace("{match}", matched)
        .replace("{section}", section)
}

/// The text a hit's explanations quote: the first matched words, white
/// space collapsed.
fn quote(text: &str, span: (usize, usize)) -> String {
    text[span.0..span.1]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A section- or document-wide absence: the rule and the section (`None`:
/// the document).
type GroupKey<'a> = (usize, Option<&'a str>);
/// A clause of such an absence's topic, with its spans.
type TopicClause = (usize, Vec<(usize, usize)>);

/// A hit before it is written out.
struct Candidate {
    rule: usize,
    clause: usize,
    spans: Vec<(usize, usize)>,
    scope: SuggestionScope,
    /// Rules folded under this one.
    also: Vec<usize>,
}

/// How specific a rule's hit is: a rule that names the weakness beats one
/// that only names the topic, a longer matched phrase beats a shorter one,
/// a warning beats a suggestion, then the pack's order.
fn specificity(rule: &Rule, spans: &[(usize, usize)]) -> (u8, usize, u8) {
    let kind = match rule.kind {
        RuleKind::Existence | RuleKind::Threshold => 3,
        RuleKind::Absence => 2,
        RuleKind::Question => 1,
    };
    let longest = spans.iter().map(|(s, e)| e - s).max().unwrap_or(0);
    let level = u8::from(rule.level == RuleLevel::Warning);
    (kind, longest, level)
}

fn overlaps(a: &[(usize, usize)], b: &[(usize, usize)]) -> bool {
    a.iter()
        .any(|&(s1, e1)| b.iter().any(|&(s2, e2)| s1 < e2 && s2 < e1))
}

/// Screens every clause of `doc` with the rules of `book`. Hits come in
/// clause order, then in the order of the pack's rules.
pub fn screen<'d>(book: &crate::Rulebook, doc: &'d ScreenInput) -> Vec<Hit> {
    let engine = book.engine();
    let rules = &book.rules;
    if rules.is_empty() || doc.clauses.is_empty() {
        return Vec::new();
    }
    let (norms, flags) = pass_one(engine, rules.len(), doc);

    // The clauses of each section (its top-level section), for the lists a
    // rule looks for across a section or the document. They are searched
    // only for rules whose trigger occurs there, and at most once.
    fn section_key(c: &ScreenClause) -> Option<&str> {
        c.top_section_id.as_deref().or(c.section_id.as_deref())
    }
    let mut members: HashMap<Option<&str>, Vec<usize>> = HashMap::new();
    for (i, c) in doc.clauses.iter().enumerate() {
        members.entry(section_key(c)).or_default().push(i);
    }
    let all: Vec<usize> = (0..doc.clauses.len()).collect();
    // (rule, list, section or None for the document) → found.
    type WideKey<'a> = (usize, u8, Option<Option<&'a str>>);
    let mut wide: HashMap<WideKey<'_>, bool> = HashMap::new();
    let mut found_across = |r: usize, which: u8, key: Option<Option<&'d str>>| -> bool {
        *wide.entry((r, which, key)).or_insert_with(|| {
            let list = match which {
                0 => &engine.lists[r].required,
                _ => &engine.lists[r].unless_section,
            };
            let clauses = match key {
                Some(k) => &members[&k],
                None => &all,
            };
            clauses.iter().any(|&c| any_match(list, &norms[c].text))
        })
    };

    // Pass 2: roles, decisions, spans.
    let sig = &engine.signals;
    let roles = roles_of(sig, doc, &norms, &flags);
    let mut clause_hits: Vec<Candidate> = Vec::new();
    // Section- and document-wide absences: (rule, section key) → topic clauses.
    let mut groups: Vec<(GroupKey<'_>, Vec<TopicClause>)> = Vec::new();
    for (ci, ((clause, n), f)) in doc.clauses.iter().zip(&norms).zip(&flags).enumerate() {
        let role = roles[ci];
        let key = section_key(clause);
        let mut negated: Option<Vec<(usize, usize)>> = None;
        let mut here: Vec<Candidate> = Vec::new();
        for (r, rule) in rules.iter().enumerate() {
            if !rule.roles.contains(&role) {
                continue;
            }
            if !f.rules[r]
                && !f.pending.iter().any(|&p| {
                    let pat = &engine.patterns[p];
                    pat.owner == Owner::Rule(r) && pat.regex.is_match(&n.text)
                })
            {
                continue;
            }
            let lists = &engine.lists[r];
            if any_match(&lists.unless, &n.text) {
                continue;
            }
            if !lists.with.is_empty() && !any_match(&lists.with, &n.text) {
                continue;
            }
            if !lists.unless_section.is_empty() && found_across(r, 1, Some(key)) {
                continue;
            }
            let wide_group = match (rule.kind, rule.report) {
                (RuleKind::Absence, Report::Section) => Some((r, key)),
                (RuleKind::Absence, Report::Document) => Some((r, None)),
                _ => None,
            };
            // A section- or document-wide absence needs its topic clauses
            // only until there are enough of them.
            if let Some(gk) = wide_group
                && groups
                    .iter()
                    .any(|(k, list)| *k == gk && list.len() >= rule.min_topic as usize)
            {
                continue;
            }
            if rule.kind == RuleKind::Absence {
                let present = match rule.scope {
                    Scope::Clause => any_match(&lists.required, &n.text),
                    Scope::Section => found_across(r, 0, Some(key)),
                    Scope::Document => found_across(r, 0, None),
                };
                if present {
                    continue;
                }
            }
            let mut spans = spans_of(engine, rule, r, &n.text);
            if rule.negation != Negation::Include && !spans.is_empty() {
                let ranges = negated.get_or_insert_with(|| negated_ranges(sig, &n.text));
                let is_negated = |s: usize| ranges.iter().any(|&(a, b)| s >= a && s < b.max(a + 1));
                let only = rule.negation == Negation::Only;
                spans.retain(|&(s, _)| is_negated(s) == only);
            }
            if spans.is_empty() {
                continue;
            }
            match wide_group {
                Some(gk) => match groups.iter_mut().find(|(k, _)| *k == gk) {
                    Some((_, list)) => list.push((ci, spans)),
                    None => groups.push((gk, vec![(ci, spans)])),
                },
                None => here.push(Candidate {
                    rule: r,
                    clause: ci,
                    spans,
                    scope: SuggestionScope::Clause,
                    also: Vec::new(),
                }),
            }
        }
        // One suggestion per span: the most specific rule keeps it.
        if here.len() > 1 {
            here.sort_by(|a, b| {
                specificity(&rules[b.rule], &b.spans)
                    .cmp(&specificity(&rules[a.rule], &a.spans))
                    .then(a.rule.cmp(&b.rule))
            });
            let mut kept: Vec<Candidate> = Vec::new();
            for cand in here {
                match kept.iter_mut().find(|k| overlaps(&k.spans, &cand.spans)) {
                    Some(k) => k.also.push(cand.rule),
                    None => kept.push(cand),
                }
            }
            kept.sort_by_key(|k| k.rule);
            clause_hits.extend(kept);
        } else {
            clause_hits.extend(here);
        }
    }
    for ((r, _), list) in groups {
        let rule = &rules[r];
        if list.len() < rule.min_topic as usize {
            continue;
        }
        let (ci, spans) = list.into_iter().next().expect("a group has a clause");
        clause_hits.push(Candidate {
            rule: r,
            clause: ci,
            spans,
            scope: if rule.report == Report::Section {
                SuggestionScope::Section
            } else {
                SuggestionScope::Document
            },
            also: Vec::new(),
        });
    }
    clause_hits.sort_by_key(|c| (c.clause, c.rule));
    clause_hits
        .into_iter()
        .map(|c| {
            let clause = &doc.clauses[c.clause];
            hit(
                &rules[c.rule],
                rules,
                clause,
                &norms[c.clause],
                roles[c.clause],
                &doc.title,
                c,
            )
        })
        .collect()
}

/// Writes a candidate out as a hit: spans in the original text, the texts
/// for the analyst filled in.
fn hit(
    rule: &Rule,
    rules: &[Rule],
    clause: &ScreenClause,
    n: &Normalized<'_>,
    role: ClauseRole,
    title: &str,
    c: Candidate,
) -> Hit {
    let (fs, fe) = n.original_span(c.spans[0].0, c.spans[0].1, &clause.text);
    let first = quote(&clause.text, (fs, fe));
    let section = match c.scope {
        SuggestionScope::Clause => clause.section_title.as_str(),
        SuggestionScope::Section => clause
            .parent_titles
            .first()
            .unwrap_or(&clause.section_title)
            .as_str(),
        SuggestionScope::Document => "",
    };
    let section = if section.trim().is_empty() {
        title
    } else {
        section
    };
    let spans = c
        .spans
        .iter()
        .map(|&(s, e)| {
            let (s, e) = n.original_span(s, e, &clause.text);
            Span {
                start: s as u32,
                end: e as u32,
            }
        })
        .collect();
    let message = fill(&rule.message, &first, section);
    let proposal = match &rule.proposal {
        None => String::new(),
        Some(Proposal::Replace(t)) => format!(
            "{}{}{}",
            &clause.text[..fs],
            fill(t, &first, section),
            &clause.text[fe..]
        ),
        Some(Proposal::Append(t)) => {
            format!("{} {}", clause.text.trim_end(), fill(t, &first, section))
        }
    };
    Hit {
        rule_id: rule.id.clone(),
        clause_id: clause.id.clone(),
        kind: rule.kind,
        level: rule.level,
        category: rule.category.clone(),
        why: rule
            .why
            .as_deref()
            .map_or_else(|| message.clone(), |w| fill(w, &first, section)),
        consequence: rule
            .consequence
            .as_deref()
            .map_or_else(|| rule.rationale.clone(), |w| fill(w, &first, section)),
        message,
        rationale: rule.rationale.clone(),
        link: rule.link.clone(),
        crime_types: rule.crime_types.clone(),
        spans,
        scope: c.scope,
        role,
        proposal,
        also: c
            .also
            .iter()
            .map(|&o| RelatedRule {
                rule_id: rules[o].id.clone(),
                category: rules[o].category.clone(),
                message: fill(&rules[o].message, &first, section),
            })
            .collect(),
    }
}

/// Pass 1: which patterns occur in each clause. The word lists are one set
/// search per clause; the standalone patterns each run once over the whole
/// document (clauses joined by a line break), which saves a call per clause
/// and pattern.
fn pass_one<'d>(
    engine: &Engine,
    rule_count: usize,
    doc: &'d ScreenInput,
) -> (Vec<Normalized<'d>>, Vec<ClauseFlags>) {
    let rules_len = rule_count;
    let norms: Vec<Normalized<'_>> = doc
        .clauses
        .iter()
        .map(|c| Normalized::new(&c.text))
        .collect();
    let mut flags: Vec<ClauseFlags> = Vec::with_capacity(doc.clauses.len());
    let mut joined = String::with_capacity(norms.iter().map(|n| n.text.len() + 1).sum());
    let mut starts = Vec::with_capacity(norms.len());
    for n in &norms {
        starts.push(joined.len());
        joined.push_str(&n.text);
        joined.push('\n');
        let mut f = ClauseFlags {
            rules: vec![false; rules_len],
            signals: 0,
            pending: Vec::new(),
        };
        for i in engine.set.matches(&n.text).into_iter() {
            f.set(engine.patterns[engine.in_set[i]].owner);
        }
        flags.push(f);
    }
    // The standalone patterns with necessary words: only where one of their
    // words occurs, and not for a rule or signal already found there.
    if let Some(ac) = &engine.words {
        let mut seen = vec![usize::MAX; engine.filtered.len()];
        for (c, n) in norms.iter().enumerate() {
            for m in ac.find_overlapping_iter(n.text.as_ref()) {
                for &k in &engine.word_owners[m.pattern().as_usize()] {
                    if seen[k] == c {
                        continue;
                    }
                    seen[k] = c;
                    let p = engine.filtered[k];
                    let pat = &engine.patterns[p];
                    if flags[c].is(pat.owner) {
                        continue;
                    }
                    match pat.owner {
                        Owner::Rule(_) => flags[c].pending.push(p),
                        Owner::Signal(_) => {
                            if pat.regex.is_match(&n.text) {
                                flags[c].set(pat.owner);
                            }
                        }
                    }
                }
            }
        }
    }
    let clause_at = |offset: usize| starts.partition_point(|&s| s <= offset) - 1;
    for &p in &engine.alone {
        let pat = &engine.patterns[p];
        if pat.anchored {
            for (c, n) in norms.iter().enumerate() {
                if pat.regex.is_match(&n.text) {
                    flags[c].set(pat.owner);
                }
            }
            continue;
        }
        let whole = pat.lines.as_ref().unwrap_or(&pat.regex);
        for m in whole.find_iter(&joined) {
            let (first, last) = (
                clause_at(m.start()),
                clause_at(m.end().saturating_sub(1).max(m.start())),
            );
            if first == last {
                flags[first].set(pat.owner);
            } else {
                // A match across clauses does not count; look in each of them alone.
                for c in first..=last {
                    if pat.regex.is_match(&norms[c].text) {
                        flags[c].set(pat.owner);
                    }
                }
            }
        }
    }

    (norms, flags)
}

/// The role screening reads for each clause of `doc` (for inspection and
/// tests; [`screen`] works them out on its own).
pub fn clause_roles(book: &crate::Rulebook, doc: &ScreenInput) -> Vec<ClauseRole> {
    let engine = book.engine();
    let (norms, flags) = pass_one(engine, book.rules.len(), doc);
    roles_of(&engine.signals, doc, &norms, &flags)
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
            let m = crate::rule::marked(&caps).unwrap_or(whole);
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
