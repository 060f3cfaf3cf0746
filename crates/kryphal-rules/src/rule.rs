//! Screening rules: one TOML file per rule under `rules/`, with a closed set
//! of kinds. This module reads a rule file, checks every key against its
//! kind and every pattern for compilation, size and empty matches, and
//! reports problems with the file, line and key.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use toml::Spanned;
use ts_rs::TS;

use crate::error::{RulesError, line_at, syntax};
use crate::text::{NUMBER, TermSource, bounded, literal_spaces, term_source};

/// The longest pattern source (after term-syntax expansion) a rule may use, in bytes.
pub const MAX_PATTERN_LEN: usize = 2_000;
/// The most compiled program size one pattern may take (`regex` size limit).
pub const PATTERN_SIZE_LIMIT: usize = 1 << 20;
/// The most terms one list of a rule may hold.
pub const MAX_TERMS: usize = 200;

/// The closed set of rule kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// Terms or patterns that signal a weakness.
    Existence,
    /// A clause of a topic whose section (or the clause itself) lacks every
    /// term of a required family (follow-up, sanctions, verification).
    Absence,
    /// A number in context (`högst N år gammalt`) at or beyond a limit.
    Threshold,
    /// A prompt shown for every clause of a topic.
    Question,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Existence => "existence",
            RuleKind::Absence => "absence",
            RuleKind::Threshold => "threshold",
            RuleKind::Question => "question",
        }
    }
}

/// How strongly a rule's hit is put to the analyst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RuleLevel {
    Suggestion,
    Warning,
}

/// Where an `absence` rule looks for the required terms.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// In the clause itself.
    Clause,
    /// Anywhere in the clause's section: its top-level section with every
    /// section nested in it (the default).
    #[default]
    Section,
    /// Anywhere in the whole document.
    Document,
}

/// Where an `absence` rule's suggestion is shown: on each clause of its
/// topic, or once for a whole section or the whole document (on the first
/// clause of the topic there).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Report {
    #[default]
    Clause,
    Section,
    Document,
}

/// What a clause is, as screening tells it from its section titles, its
/// own wording and its shape (signals in the pack's `context.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClauseRole {
    /// A binding rule: `ska`, `måste`, `får inte`, `ansvarar`.
    Obligation,
    /// Any other running text of the rules.
    Statement,
    /// A definition (`Med X avses`), or a clause under a definitions heading.
    Definition,
    /// Advice or guidance: under *Allmänna råd*, *Till 7 §*, *Kommentar*, *Tips*.
    Advice,
    /// Background, purpose, contacts: under *Bakgrund*, *Syfte*, *Kontakt*.
    Context,
    /// A short line with no sentence in it, e.g. a heading the import kept as text.
    Heading,
    /// Letterhead and page furniture: addresses, bankgiro, phone numbers.
    Furniture,
}

impl ClauseRole {
    pub fn as_str(self) -> &'static str {
        match self {
            ClauseRole::Obligation => "obligation",
            ClauseRole::Statement => "statement",
            ClauseRole::Definition => "definition",
            ClauseRole::Advice => "advice",
            ClauseRole::Context => "context",
            ClauseRole::Heading => "heading",
            ClauseRole::Furniture => "furniture",
        }
    }
    /// Every role, in order.
    pub const ALL: [ClauseRole; 7] = [
        ClauseRole::Obligation,
        ClauseRole::Statement,
        ClauseRole::Definition,
        ClauseRole::Advice,
        ClauseRole::Context,
        ClauseRole::Heading,
        ClauseRole::Furniture,
    ];
}

/// The roles a rule fires in unless it says otherwise.
pub const DEFAULT_ROLES: &[ClauseRole] = &[
    ClauseRole::Obligation,
    ClauseRole::Statement,
    ClauseRole::Definition,
];

/// How a rule treats a trigger that stands after a negation (`ingen
/// skyldighet att … betala ut`) in the same part of a sentence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Negation {
    /// A negated trigger does not count (the default).
    #[default]
    Skip,
    /// Negated or not, a trigger counts.
    Include,
    /// Only a negated trigger counts.
    Only,
}

/// A starting proposed wording: the matched words replaced, or a sentence
/// added after the clause. `{match}` and `{section}` may be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Proposal {
    Replace(String),
    Append(String),
}

/// Text a rule must hit and near-misses it must not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Examples {
    pub hit: Vec<String>,
    pub miss: Vec<String>,
}

/// Lines in the rule's file, for messages. Not part of a rule's identity:
/// a rule read back from JSON (without lines) equals the one loaded.
#[derive(Debug, Clone, Default)]
pub(crate) struct RuleLines {
    pub id: usize,
    pub hit: Vec<usize>,
    pub miss: Vec<usize>,
}

impl PartialEq for RuleLines {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for RuleLines {}

/// A validated screening rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Rule {
    pub id: String,
    pub kind: RuleKind,
    /// Vulnerability family, an id from `categories.toml`.
    pub category: String,
    pub level: RuleLevel,
    /// Shown on a hit; `{match}` is replaced by the matched words.
    pub message: String,
    pub rationale: String,
    pub link: Option<String>,
    /// Crime type codes the rule suggests.
    pub crime_types: Vec<String>,
    /// `existence`: the terms that signal the weakness (term syntax).
    pub terms: Vec<String>,
    /// Any kind: the rule does not fire on a clause containing one of these.
    pub unless: Vec<String>,
    /// `absence`, `question`: terms that put a clause in the rule's topic.
    pub topic: Vec<String>,
    /// `absence`: the family of terms whose absence the rule reports.
    pub required: Vec<String>,
    /// `absence`: where the required terms are looked for.
    pub scope: Scope,
    /// `absence`: where the suggestion is shown.
    pub report: Report,
    /// `absence` reported on a section or document: how many clauses of the
    /// topic it takes.
    pub min_topic: u32,
    /// Any kind: the clause roles the rule fires in.
    pub roles: Vec<ClauseRole>,
    /// Any kind: how a trigger after a negation counts.
    pub negation: Negation,
    /// Any kind: the rule fires only on a clause that also contains one of these.
    pub with: Vec<String>,
    /// Any kind: the rule does not fire when the clause's section contains one of these.
    pub unless_section: Vec<String>,
    /// Why, in one sentence tied to the clause's words (`{match}`, `{section}`).
    pub why: Option<String>,
    /// A starting wording for the finding's unintended consequence.
    pub consequence: Option<String>,
    /// A starting proposed wording.
    pub proposal: Option<Proposal>,
    /// `threshold`: a regex with `{number}` (and `{unit}`) placeholders.
    pub pattern: Option<String>,
    /// `threshold`: unit word stems and their size in the smallest unit.
    pub units: BTreeMap<String, u32>,
    /// `threshold`: fire when the number (times its unit) is at least this.
    pub at_least: Option<u32>,
    /// `threshold`: fire when the number (times its unit) is at most this.
    pub at_most: Option<u32>,
    pub examples: Examples,
    /// The rule's file, relative to the pack folder (`rules/….toml`).
    pub file: String,
    #[serde(skip)]
    #[ts(skip)]
    pub(crate) lines: RuleLines,
}

impl Rule {
    /// The expanded regex of a threshold rule's `pattern`.
    pub(crate) fn threshold_regex_source(&self) -> Option<String> {
        let p = self.pattern.as_ref()?;
        Some(expand_threshold(p, &self.units))
    }
}

fn expand_threshold(pattern: &str, units: &BTreeMap<String, u32>) -> String {
    let mut keys: Vec<&String> = units.keys().collect();
    keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
    let alt = keys
        .iter()
        .map(|k| regex::escape(k))
        .collect::<Vec<_>>()
        .join("|");
    literal_spaces(
        &pattern
            .replace("{number}", NUMBER)
            .replace("{unit}", &format!(r"(?P<unit>(?:{alt})\p{{Latin}}*)")),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExamples {
    hit: Vec<Spanned<String>>,
    miss: Vec<Spanned<String>>,
}

type Terms = Spanned<Vec<Spanned<String>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    kind: Spanned<RuleKind>,
    category: Spanned<String>,
    level: RuleLevel,
    message: Spanned<String>,
    rationale: Spanned<String>,
    #[serde(default)]
    link: Option<String>,
    crime_types: Vec<Spanned<String>>,
    terms: Option<Terms>,
    unless: Option<Terms>,
    topic: Option<Terms>,
    required: Option<Terms>,
    scope: Option<Spanned<Scope>>,
    report: Option<Spanned<Report>>,
    min_topic: Option<Spanned<u32>>,
    roles: Option<Spanned<Vec<ClauseRole>>>,
    negation: Option<Spanned<Negation>>,
    with: Option<Terms>,
    unless_section: Option<Terms>,
    why: Option<Spanned<String>>,
    consequence: Option<Spanned<String>>,
    proposal: Option<Spanned<Proposal>>,
    pattern: Option<Spanned<String>>,
    units: Option<Spanned<BTreeMap<String, u32>>>,
    at_least: Option<Spanned<u32>>,
    at_most: Option<Spanned<u32>>,
    examples: Spanned<RawExamples>,
}

/// The keys of a rule file, with the kinds each applies to (`None`: all
/// kinds) and whether the key is required. The JSON Schema is generated
/// from this table and a test keeps it in step with [`RawRule`].
pub(crate) const KEYS: &[KeySpec] = &[
    KeySpec::all(
        "id",
        Json::Str,
        true,
        "Unique id of the rule within the pack (lower case, digits and hyphens).",
    ),
    KeySpec::all(
        "kind",
        Json::Kind,
        true,
        "Rule kind: existence, absence, threshold or question.",
    ),
    KeySpec::all(
        "category",
        Json::Str,
        true,
        "Vulnerability family: an id from the pack's categories.toml.",
    ),
    KeySpec::all("level", Json::Level, true, "suggestion or warning."),
    KeySpec::all(
        "message",
        Json::Str,
        true,
        "Shown on a hit; {match} is replaced by the matched words.",
    ),
    KeySpec::all(
        "rationale",
        Json::Str,
        true,
        "Why the wording is a weakness, for the analyst.",
    ),
    KeySpec::all("link", Json::Str, false, "Optional link to guidance."),
    KeySpec::all(
        "crime_types",
        Json::StrList,
        true,
        "Crime type codes from crime-types.toml that a hit suggests.",
    ),
    KeySpec::kinds(
        "terms",
        Json::StrList,
        &[RuleKind::Existence],
        true,
        "Terms that signal the weakness. Words separated by spaces; `*` at the start or end of a word stands for any letters, `~` at the end for Swedish inflections; `/…/` is a raw regex.",
    ),
    KeySpec::all(
        "unless",
        Json::StrList,
        false,
        "The rule does not fire on a clause that contains one of these terms.",
    ),
    KeySpec::kinds(
        "topic",
        Json::StrList,
        &[RuleKind::Absence, RuleKind::Question],
        true,
        "Terms that put a clause in the rule's topic.",
    ),
    KeySpec::kinds(
        "required",
        Json::StrList,
        &[RuleKind::Absence],
        true,
        "The family of terms whose absence from the clause, its section or the document (see `scope`) the rule reports.",
    ),
    KeySpec::kinds(
        "scope",
        Json::Scope,
        &[RuleKind::Absence],
        false,
        "Where the required terms are looked for: clause, section (the default: the clause's top-level section with the sections nested in it) or document.",
    ),
    KeySpec::kinds(
        "report",
        Json::Report,
        &[RuleKind::Absence],
        false,
        "Where the suggestion is shown: on each clause of the topic (clause, the default), or once for the section or the document that lacks the required terms.",
    ),
    KeySpec::kinds(
        "min_topic",
        Json::Int,
        &[RuleKind::Absence],
        false,
        "With report = section or document: how many clauses of the topic the section or document must have before its lack is reported (default 1).",
    ),
    KeySpec::all(
        "roles",
        Json::Roles,
        false,
        "The clause roles the rule fires in: obligation, statement, definition, advice, context, heading, furniture (default: obligation, statement, definition).",
    ),
    KeySpec::all(
        "negation",
        Json::Negation,
        false,
        "How a trigger after a negation in the same part of a sentence counts: skip (the default), include, or only.",
    ),
    KeySpec::all(
        "with",
        Json::StrList,
        false,
        "The rule fires only on a clause that also contains one of these terms.",
    ),
    KeySpec::all(
        "unless_section",
        Json::StrList,
        false,
        "The rule does not fire on a clause whose section (with the sections nested in its top-level section) contains one of these terms.",
    ),
    KeySpec::all(
        "why",
        Json::Str,
        false,
        "Why, in one sentence tied to the clause's words; {match} and {section} may be used.",
    ),
    KeySpec::all(
        "consequence",
        Json::Str,
        false,
        "A starting wording for the finding's unintended consequence; {match} and {section} may be used.",
    ),
    KeySpec::all(
        "proposal",
        Json::Proposal,
        false,
        "A starting proposed wording: { replace = \"…\" } replaces the matched words, { append = \"…\" } adds a sentence after the clause; {match} and {section} may be used.",
    ),
    KeySpec::kinds(
        "pattern",
        Json::Str,
        &[RuleKind::Threshold],
        true,
        "A regex with one {number} and, when units are given, one {unit}.",
    ),
    KeySpec::kinds(
        "units",
        Json::Units,
        &[RuleKind::Threshold],
        false,
        "Unit word stems and their size in the smallest unit, e.g. { år = 365, månad = 30, dag = 1 }.",
    ),
    KeySpec::kinds(
        "at_least",
        Json::Int,
        &[RuleKind::Threshold],
        false,
        "Fire when the number times its unit is at least this.",
    ),
    KeySpec::kinds(
        "at_most",
        Json::Int,
        &[RuleKind::Threshold],
        false,
        "Fire when the number times its unit is at most this.",
    ),
    KeySpec::all(
        "examples",
        Json::Examples,
        true,
        "Examples: `hit` (texts the rule must hit) and `miss` (near-misses it must not).",
    ),
];

#[derive(Clone, Copy)]
pub(crate) enum Json {
    Str,
    StrList,
    Int,
    Kind,
    Level,
    Scope,
    Report,
    Roles,
    Negation,
    Proposal,
    Units,
    Examples,
}

pub(crate) struct KeySpec {
    pub name: &'static str,
    pub json: Json,
    pub kinds: Option<&'static [RuleKind]>,
    pub required: bool,
    pub description: &'static str,
}

impl KeySpec {
    const fn all(
        name: &'static str,
        json: Json,
        required: bool,
        description: &'static str,
    ) -> Self {
        KeySpec {
            name,
            json,
            kinds: None,
            required,
            description,
        }
    }
    const fn kinds(
        name: &'static str,
        json: Json,
        kinds: &'static [RuleKind],
        required: bool,
        description: &'static str,
    ) -> Self {
        KeySpec {
            name,
            json,
            kinds: Some(kinds),
            required,
            description,
        }
    }
}

/// What a rule may refer to.
pub(crate) struct Known<'a> {
    pub crime_types: HashSet<&'a str>,
    pub categories: HashSet<&'a str>,
}

/// Compiles one pattern source as screening will, with the crate's limits.
pub(crate) fn build_regex(source: &str) -> Result<Regex, String> {
    check_lower_case(source)?;
    check_word_boundaries(source)?;
    if source.len() > MAX_PATTERN_LEN {
        return Err(format!(
            "the pattern is {} bytes long; at most {MAX_PATTERN_LEN} are allowed",
            source.len()
        ));
    }
    let re = RegexBuilder::new(source)
        .case_insensitive(false)
        .size_limit(PATTERN_SIZE_LIMIT)
        .nest_limit(64)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => {
                "the pattern is too large once compiled (it could run away); write it more simply"
                    .to_string()
            }
            other => format!(
                "the pattern does not compile (look-around and back-references are not supported): {}",
                other.to_string().lines().last().unwrap_or("").trim()
            ),
        })?;
    if re.is_match("") || re.is_match(" ") {
        return Err("the pattern matches empty text, so it would hit every clause".into());
    }
    Ok(re)
}

/// A Unicode word boundary (`\\b`, `\\B`) cannot run on the fast automaton
/// once the text has letters such as å, ä and ö, and would make screening
/// several times slower: refuse it and say what to write instead.
fn check_word_boundaries(source: &str) -> Result<(), String> {
    let mut chars = source.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            continue;
        }
        if let Some((_, n)) = chars.next()
            && (n == 'b' || n == 'B')
            && !source[..i].ends_with("(?-u:")
        {
            return Err(format!(
                "the pattern uses the word boundary \\{n}, which makes screening slow on Swedish text; write (?-u:\\{n}) or a character class such as [^\\p{{Latin}}0-9]"
            ));
        }
    }
    Ok(())
}

/// Text is matched in lower case (see `text::Normalized`), so a pattern
/// with an upper-case letter outside an escape (`\\S`, `\\p{Latin}`) could
/// never match: refuse it with a sentence that says so.
fn check_lower_case(source: &str) -> Result<(), String> {
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('p' | 'P') if chars.peek() == Some(&'{') => {
                    for c in chars.by_ref() {
                        if c == '}' {
                            break;
                        }
                    }
                }
                _ => {}
            }
        } else if c == '(' && chars.peek() == Some(&'?') {
            // Group names and flags: `(?P<Name>…)`, `(?i)`.
            for c in chars.by_ref() {
                if c == ')' || c == '>' || c == ':' {
                    break;
                }
            }
        } else if c.is_uppercase() {
            return Err(format!(
                "the pattern contains the upper-case letter {c:?}; text is matched in lower case, so write patterns in lower case"
            ));
        }
    }
    Ok(())
}

/// The regex sources of a term list: one bounded alternation of all word
/// terms, and one alternation of all raw `/…/` terms (each raw term's
/// `m` group renamed `m1`, `m2`, … after the first, so that one search
/// covers them all).
pub(crate) fn term_list_sources(terms: &[String]) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut raw = Vec::new();
    for t in terms {
        match term_source(t)? {
            TermSource::Words { lead, body, tail } => words.push((lead, body, tail)),
            TermSource::Raw(r) => raw.push(r),
        }
    }
    let mut out = Vec::new();
    if !words.is_empty() {
        out.push(bounded(&words));
    }
    if raw.len() == 1 {
        out.push(format!("(?:{})", raw[0]));
    } else if !raw.is_empty() {
        let alts: Vec<String> = raw
            .iter()
            .enumerate()
            .map(|(i, r)| {
                if i == 0 {
                    format!("(?:{r})")
                } else {
                    format!(
                        "(?:{})",
                        r.replace("(?P<m>", &format!("(?P<m{i}>"))
                            .replace("(?<m>", &format!("(?<m{i}>"))
                    )
                }
            })
            .collect();
        out.push(format!("(?:{})", alts.join("|")));
    }
    Ok(out.iter().map(|s| literal_spaces(s)).collect())
}

/// The marked part of a match: the first `m`, `m1`, `m2`, … group that took
/// part in it.
pub(crate) fn marked<'h>(caps: &regex::Captures<'h>) -> Option<regex::Match<'h>> {
    caps.name("m")
        .or_else(|| (1..32).find_map(|i| caps.name(&format!("m{i}"))))
}

/// A rule's patterns compiled, by role, as screening uses them.
pub(crate) struct Compiled {
    pub trigger: Vec<(String, Regex)>,
    pub unless: Vec<(String, Regex)>,
    pub required: Vec<(String, Regex)>,
    pub with: Vec<(String, Regex)>,
    pub unless_section: Vec<(String, Regex)>,
}

/// Compiles a list of term-syntax terms (no line information).
pub(crate) fn compile_terms(terms: &[String]) -> Result<Vec<(String, Regex)>, String> {
    term_list_sources(terms)?
        .into_iter()
        .map(|s| build_regex(&s).map(|r| (s, r)))
        .collect()
}

/// Compiles a validated rule's patterns (no line information).
pub(crate) fn compile_rule(rule: &Rule) -> Result<Compiled, String> {
    let mut trigger = match rule.kind {
        RuleKind::Existence => compile_terms(&rule.terms)?,
        RuleKind::Absence | RuleKind::Question => compile_terms(&rule.topic)?,
        RuleKind::Threshold => Vec::new(),
    };
    if let Some(src) = rule.threshold_regex_source() {
        let re = build_regex(&src)?;
        trigger.push((src, re));
    }
    Ok(Compiled {
        trigger,
        unless: compile_terms(&rule.unless)?,
        required: compile_terms(&rule.required)?,
        with: compile_terms(&rule.with)?,
        unless_section: compile_terms(&rule.unless_section)?,
    })
}

/// Reads and validates one rule file. With `compile`, every pattern is
/// compiled and checked, and the compiled patterns are returned for the
/// engine; without (the built-in packs, checked by the test suite), the
/// engine compiles them on first use.
pub(crate) fn parse_rule(
    dir: &Path,
    file: &str,
    text: &str,
    known: &Known<'_>,
    compile: bool,
) -> Result<(Rule, Option<Compiled>), RulesError> {
    let path = dir.join(file);
    let raw: RawRule = toml::from_str(text).map_err(|e| syntax(path.clone(), text, &e))?;
    let at = |span: std::ops::Range<usize>| Some(line_at(text, span.start));
    let invalid = |line: Option<usize>, key: &str, message: String| RulesError::Invalid {
        path: path.clone(),
        line,
        key: Some(key.to_string()),
        message,
    };

    let id = raw.id.get_ref().trim().to_string();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        return Err(invalid(
            at(raw.id.span()),
            "id",
            format!("the rule id {id:?} must be lower-case letters a–z, digits, `-` or `_`"),
        ));
    }
    let kind = *raw.kind.get_ref();
    if !known.categories.contains(raw.category.get_ref().as_str()) {
        return Err(invalid(
            at(raw.category.span()),
            "category",
            format!(
                "the category {:?} is not defined in categories.toml",
                raw.category.get_ref()
            ),
        ));
    }
    for ct in &raw.crime_types {
        if !known.crime_types.contains(ct.get_ref().as_str()) {
            return Err(invalid(
                at(ct.span()),
                "crime_types",
                format!(
                    "the crime type code {:?} is not defined in crime-types.toml",
                    ct.get_ref()
                ),
            ));
        }
    }
    // Placeholders in the texts shown to the analyst.
    let proposal_text = raw.proposal.as_ref().map(|p| match p.get_ref() {
        Proposal::Replace(t) | Proposal::Append(t) => (t.as_str(), p.span()),
    });
    let texts = [
        (
            "message",
            Some((raw.message.get_ref().as_str(), raw.message.span())),
        ),
        (
            "why",
            raw.why.as_ref().map(|w| (w.get_ref().as_str(), w.span())),
        ),
        (
            "consequence",
            raw.consequence
                .as_ref()
                .map(|w| (w.get_ref().as_str(), w.span())),
        ),
        ("proposal", proposal_text),
    ];
    for (key, text) in texts {
        let Some((text, span)) = text else { continue };
        check_placeholders(text).map_err(|m| invalid(at(span.clone()), key, m))?;
        if key != "message" && text.trim().is_empty() {
            return Err(invalid(at(span), key, format!("the `{key}` text is empty")));
        }
    }
    if raw.rationale.get_ref().trim().is_empty() {
        return Err(invalid(
            at(raw.rationale.span()),
            "rationale",
            "the rationale is empty".into(),
        ));
    }

    // Keys that do not apply to this kind, and keys the kind requires.
    let present: &[(&str, Option<std::ops::Range<usize>>)] = &[
        ("terms", raw.terms.as_ref().map(Spanned::span)),
        ("topic", raw.topic.as_ref().map(Spanned::span)),
        ("required", raw.required.as_ref().map(Spanned::span)),
        ("scope", raw.scope.as_ref().map(Spanned::span)),
        ("report", raw.report.as_ref().map(Spanned::span)),
        ("min_topic", raw.min_topic.as_ref().map(Spanned::span)),
        ("pattern", raw.pattern.as_ref().map(Spanned::span)),
        ("units", raw.units.as_ref().map(Spanned::span)),
        ("at_least", raw.at_least.as_ref().map(Spanned::span)),
        ("at_most", raw.at_most.as_ref().map(Spanned::span)),
    ];
    for (name, span) in present {
        let spec = KEYS.iter().find(|k| k.name == *name).expect("key in table");
        let applies = spec.kinds.is_none_or(|ks| ks.contains(&kind));
        match span {
            Some(span) if !applies => {
                return Err(invalid(
                    at(span.clone()),
                    name,
                    format!(
                        "the key `{name}` does not apply to a rule of kind `{}`",
                        kind.as_str()
                    ),
                ));
            }
            None if applies && spec.required => {
                return Err(invalid(
                    at(raw.kind.span()),
                    name,
                    format!("a rule of kind `{}` needs the key `{name}`", kind.as_str()),
                ));
            }
            _ => {}
        }
    }
    let report = raw
        .report
        .as_ref()
        .map(|r| *r.get_ref())
        .unwrap_or_default();
    if let Some(m) = &raw.min_topic {
        if *m.get_ref() == 0 {
            return Err(invalid(
                at(m.span()),
                "min_topic",
                "`min_topic` must be at least 1".into(),
            ));
        }
        if report == Report::Clause {
            return Err(invalid(
                at(m.span()),
                "min_topic",
                "`min_topic` needs `report = \"section\"` or `\"document\"`".into(),
            ));
        }
    }
    if let (Some(r), Some(sc)) = (&raw.report, &raw.scope) {
        let narrower = matches!(
            (r.get_ref(), sc.get_ref()),
            (Report::Section, Scope::Clause) | (Report::Document, Scope::Clause | Scope::Section)
        );
        if narrower {
            return Err(invalid(
                at(sc.span()),
                "scope",
                "a rule reported on a section or document must look for the required terms at least as widely (`scope` section or document)".into(),
            ));
        }
    }
    if let Some(roles) = &raw.roles
        && roles.get_ref().is_empty()
    {
        return Err(invalid(
            at(roles.span()),
            "roles",
            "the list `roles` is empty, so the rule could never fire".into(),
        ));
    }
    if kind == RuleKind::Threshold && raw.at_least.is_none() && raw.at_most.is_none() {
        return Err(invalid(
            at(raw.kind.span()),
            "at_least",
            "a threshold rule needs `at_least`, `at_most` or both".into(),
        ));
    }

    // Every term list: size, syntax and compilation, reported at the term's line.
    type Listed = (Vec<String>, Vec<(String, Regex)>);
    let terms_of = |key: &str, t: &Option<Terms>| -> Result<Listed, RulesError> {
        let Some(t) = t else {
            return Ok((Vec::new(), Vec::new()));
        };
        if t.get_ref().is_empty() && key != "unless" {
            return Err(invalid(
                at(t.span()),
                key,
                format!("the list `{key}` is empty"),
            ));
        }
        if t.get_ref().len() > MAX_TERMS {
            return Err(invalid(
                at(t.span()),
                key,
                format!("the list `{key}` has more than {MAX_TERMS} terms"),
            ));
        }
        let out: Vec<String> = t.get_ref().iter().map(|x| x.get_ref().clone()).collect();
        if !compile {
            return Ok((out, Vec::new()));
        }
        // Compile the list as screening will; only when that fails, find the
        // term at fault so that the error names its line.
        match compile_terms(&out) {
            Ok(compiled) => Ok((out, compiled)),
            Err(list_message) => {
                for term in t.get_ref() {
                    compile_terms(std::slice::from_ref(term.get_ref())).map_err(|m| {
                        invalid(
                            at(term.span()),
                            key,
                            format!("term {:?}: {m}", term.get_ref()),
                        )
                    })?;
                }
                Err(invalid(
                    at(t.span()),
                    key,
                    format!("the list as a whole: {list_message}"),
                ))
            }
        }
    };
    let (terms, c_terms) = terms_of("terms", &raw.terms)?;
    let (unless, c_unless) = terms_of("unless", &raw.unless)?;
    let (topic, c_topic) = terms_of("topic", &raw.topic)?;
    let (required, c_required) = terms_of("required", &raw.required)?;
    let (with, c_with) = terms_of("with", &raw.with)?;
    let (unless_section, c_unless_section) = terms_of("unless_section", &raw.unless_section)?;

    let units = raw
        .units
        .as_ref()
        .map(|u| u.get_ref().clone())
        .unwrap_or_default();
    if let Some(u) = &raw.units {
        for (k, v) in u.get_ref() {
            if k.trim().is_empty() || *v == 0 {
                return Err(invalid(
                    at(u.span()),
                    "units",
                    format!("the unit {k:?} needs a non-empty name and a size above 0"),
                ));
            }
        }
    }
    let mut c_threshold = None;
    if let Some(p) = &raw.pattern {
        let src = p.get_ref();
        let count = src.matches("{number}").count();
        if count != 1 {
            return Err(invalid(
                at(p.span()),
                "pattern",
                format!("the pattern must contain `{{number}}` exactly once (found {count})"),
            ));
        }
        let has_unit = src.contains("{unit}");
        if has_unit == units.is_empty() {
            return Err(invalid(
                at(p.span()),
                "pattern",
                "use `{unit}` in the pattern exactly when the rule lists `units`".into(),
            ));
        }
        if units.keys().any(|k| k.chars().any(char::is_uppercase)) {
            return Err(invalid(
                at(p.span()),
                "units",
                "write unit names in lower case; text is matched in lower case".into(),
            ));
        }
        if compile {
            let src = expand_threshold(src, &units);
            let re = build_regex(&src).map_err(|m| invalid(at(p.span()), "pattern", m))?;
            c_threshold = Some((src, re));
        }
    }

    let examples = raw.examples.get_ref();
    if examples.hit.is_empty() || examples.miss.is_empty() {
        return Err(invalid(
            at(raw.examples.span()),
            "examples",
            "a rule needs at least one `hit` example and at least one `miss` (near-miss) example"
                .into(),
        ));
    }

    let compiled = compile.then(|| {
        let mut trigger = match kind {
            RuleKind::Existence => c_terms,
            RuleKind::Absence | RuleKind::Question => c_topic,
            RuleKind::Threshold => Vec::new(),
        };
        trigger.extend(c_threshold);
        Compiled {
            trigger,
            unless: c_unless,
            required: c_required,
            with: c_with,
            unless_section: c_unless_section,
        }
    });
    let scope = match (raw.scope.as_ref().map(|s| *s.get_ref()), report) {
        (Some(s), _) => s,
        (None, Report::Document) => Scope::Document,
        (None, _) => Scope::Section,
    };
    let rule = Rule {
        id,
        kind,
        category: raw.category.into_inner(),
        level: raw.level,
        message: raw.message.into_inner(),
        rationale: raw.rationale.into_inner(),
        link: raw.link,
        crime_types: raw
            .crime_types
            .into_iter()
            .map(Spanned::into_inner)
            .collect(),
        terms,
        unless,
        topic,
        required,
        scope,
        report,
        min_topic: raw.min_topic.map(Spanned::into_inner).unwrap_or(1),
        roles: raw
            .roles
            .map(Spanned::into_inner)
            .map(|mut r| {
                let mut seen = HashSet::new();
                r.retain(|x| seen.insert(*x));
                r
            })
            .unwrap_or_else(|| DEFAULT_ROLES.to_vec()),
        negation: raw.negation.map(Spanned::into_inner).unwrap_or_default(),
        with,
        unless_section,
        why: raw.why.map(Spanned::into_inner),
        consequence: raw.consequence.map(Spanned::into_inner),
        proposal: raw.proposal.map(Spanned::into_inner),
        pattern: raw.pattern.map(Spanned::into_inner),
        units,
        at_least: raw.at_least.map(Spanned::into_inner),
        at_most: raw.at_most.map(Spanned::into_inner),
        lines: RuleLines {
            id: line_at(text, raw.id.span().start),
            hit: examples
                .hit
                .iter()
                .map(|e| line_at(text, e.span().start))
                .collect(),
            miss: examples
                .miss
                .iter()
                .map(|e| line_at(text, e.span().start))
                .collect(),
        },
        examples: Examples {
            hit: examples.hit.iter().map(|e| e.get_ref().clone()).collect(),
            miss: examples.miss.iter().map(|e| e.get_ref().clone()).collect(),
        },
        file: file.to_string(),
    };
    Ok((rule, compiled))
}

/// The placeholders a text shown to the analyst may use.
pub(crate) const PLACEHOLDERS: &[&str] = &["match", "section"];

/// Checks that every `{…}` in `text` is a known placeholder.
pub(crate) fn check_placeholders(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| "a `{` in the text is never closed".to_string())?;
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            return Err(format!(
                "the text uses the placeholder {{{name}}}; only {{match}} and {{section}} are known"
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

/// The field names serde accepts for a rule file (read from the derive).
#[cfg(test)]
pub(crate) fn raw_rule_fields() -> &'static [&'static str] {
    struct Probe(Option<&'static [&'static str]>);
    impl<'de> serde::Deserializer<'de> for &mut Probe {
        type Error = serde::de::value::Error;
        fn deserialize_any<V: serde::de::Visitor<'de>>(
            self,
            _: V,
        ) -> Result<V::Value, Self::Error> {
            Err(serde::de::Error::custom("probe"))
        }
        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = Some(fields);
            Err(serde::de::Error::custom("probe"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    let mut probe = Probe(None);
    let _ = RawRule::deserialize(&mut probe);
    probe.0.unwrap_or(&[])
}
