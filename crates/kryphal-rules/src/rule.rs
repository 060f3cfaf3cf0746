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
use crate::text::{NUMBER, TermSource, bounded, term_source};

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
    /// Anywhere in the clause's section (the default).
    #[default]
    Section,
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
    pattern
        .replace("{number}", NUMBER)
        .replace("{unit}", &format!(r"(?P<unit>(?:{alt})\p{{Latin}}*)"))
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
        "The family of terms whose absence from the clause's section (or clause) the rule reports.",
    ),
    KeySpec::kinds(
        "scope",
        Json::Scope,
        &[RuleKind::Absence],
        false,
        "Where the required terms are looked for: section (default) or clause.",
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
/// terms, plus one source per raw `/…/` term.
pub(crate) fn term_list_sources(terms: &[String]) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut out = Vec::new();
    for t in terms {
        match term_source(t)? {
            TermSource::Words { lead, body, tail } => words.push((lead, body, tail)),
            TermSource::Raw(r) => out.push(format!("(?:{r})")),
        }
    }
    if !words.is_empty() {
        out.insert(0, bounded(&words));
    }
    Ok(out)
}

/// A rule's patterns compiled, by role, as screening uses them.
pub(crate) struct Compiled {
    pub trigger: Vec<(String, Regex)>,
    pub unless: Vec<(String, Regex)>,
    pub required: Vec<(String, Regex)>,
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
    // Placeholders in the message.
    let msg = raw.message.get_ref();
    let mut rest = msg.as_str();
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| {
            invalid(
                at(raw.message.span()),
                "message",
                "a `{` in the message is never closed".into(),
            )
        })?;
        let name = &after[..close];
        if name != "match" {
            return Err(invalid(
                at(raw.message.span()),
                "message",
                format!("the message uses the placeholder {{{name}}}; only {{match}} is known"),
            ));
        }
        rest = &after[close + 1..];
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
        }
    });
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
        scope: raw.scope.map(Spanned::into_inner).unwrap_or_default(),
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
