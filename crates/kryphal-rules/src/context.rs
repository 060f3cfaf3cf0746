//! The signals that tell screening what a clause *is* (its role) and where
//! a negation reaches: a pack's optional `context.toml`. They are data, in
//! the pack's language, so that every rule of any pack can say in which
//! roles it fires (`roles`) and how it treats a negated trigger
//! (`negation`) without knowing the words behind them.

use std::path::Path;

use regex::Regex;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{RulesError, line_of};
use crate::rule::{MAX_TERMS, build_regex, term_list_sources};

/// Words that negate what follows them, and how far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NegationSignals {
    /// Negating words (term syntax): `inte`, `ej`, `ingen`, …
    #[serde(default)]
    pub words: Vec<String>,
    /// How many words after a negating word it reaches.
    #[serde(default = "default_window")]
    pub window: u8,
    /// Words that end a negation's reach early (besides `.`, `,`, `;`, `:`,
    /// `!`, `?`, which always do): `men`, `utan`, …
    #[serde(default)]
    pub breaks: Vec<String>,
}

impl Default for NegationSignals {
    fn default() -> Self {
        NegationSignals {
            words: Vec::new(),
            window: default_window(),
            breaks: Vec::new(),
        }
    }
}

fn default_window() -> u8 {
    6
}
fn default_heading_words() -> u8 {
    6
}
fn default_furniture_words() -> u8 {
    14
}

/// What marks each clause role (see [`crate::ClauseRole`]). Section lists
/// are matched against section titles, the others against the clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleSignals {
    /// Titles of sections (or of any section above) that hold advice:
    /// `allmänna råd`, `till 7 §`, `kommentar`, `tips`.
    #[serde(default)]
    pub advice_sections: Vec<String>,
    /// Titles of sections that hold background, purpose or contacts.
    #[serde(default)]
    pub context_sections: Vec<String>,
    /// Titles of sections that hold definitions.
    #[serde(default)]
    pub definition_sections: Vec<String>,
    /// Wording that makes a clause advice wherever it stands (`tips:`).
    #[serde(default)]
    pub advice: Vec<String>,
    /// Wording that makes a clause background wherever it stands: an
    /// account of case law or preparatory works.
    #[serde(default)]
    pub context: Vec<String>,
    /// Wording of a definition: `med … avses`, `definieras som`.
    #[serde(default)]
    pub definition: Vec<String>,
    /// Wording of letterheads and page furniture: `bankgiro`, `telefon`,
    /// `postadress`, an e-mail address.
    #[serde(default)]
    pub furniture: Vec<String>,
    /// A clause with a furniture word and no obligation is furniture when it
    /// has at most this many words and does not end like a sentence (or when
    /// it is thick with numbers, as a letterhead is).
    #[serde(default = "default_furniture_words")]
    pub furniture_max_words: u8,
    /// Wording of a binding rule: `ska`, `måste`, `får inte`, `ansvarar`.
    #[serde(default)]
    pub obligation: Vec<String>,
    /// A paragraph of at most this many words that does not end like a
    /// sentence and states no obligation is a heading (0: never).
    #[serde(default = "default_heading_words")]
    pub heading_max_words: u8,
}

impl Default for RoleSignals {
    fn default() -> Self {
        RoleSignals {
            advice_sections: Vec::new(),
            context_sections: Vec::new(),
            definition_sections: Vec::new(),
            advice: Vec::new(),
            context: Vec::new(),
            definition: Vec::new(),
            furniture: Vec::new(),
            furniture_max_words: default_furniture_words(),
            obligation: Vec::new(),
            // Without role signals no clause is taken for a heading either.
            heading_max_words: 0,
        }
    }
}

/// A pack's `context.toml`. A pack without one screens every clause as a
/// statement and ignores negation.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct ContextSignals {
    #[serde(default)]
    pub negation: NegationSignals,
    #[serde(default)]
    pub roles: RoleSignals,
}

pub(crate) type ContextFile = ContextSignals;

/// Which clause-wording signal a pattern of the engine's set stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    Advice,
    Context,
    Definition,
    Furniture,
    Obligation,
}

impl Signal {
    pub fn bit(self) -> u8 {
        match self {
            Signal::Advice => 1,
            Signal::Context => 2,
            Signal::Definition => 4,
            Signal::Furniture => 8,
            Signal::Obligation => 16,
        }
    }
}

/// The signals compiled.
#[derive(Debug, Default)]
pub(crate) struct CompiledSignals {
    /// Clause-wording patterns, searched with the rules' set.
    pub clause: Vec<(Signal, String, Regex)>,
    pub negation: Option<Regex>,
    pub breaks: Option<Regex>,
    pub window: usize,
    pub advice_titles: Option<Regex>,
    pub context_titles: Option<Regex>,
    pub definition_titles: Option<Regex>,
    pub furniture_max_words: usize,
    pub heading_max_words: usize,
}

/// One list compiled into a single pattern (`None` when empty).
fn one(terms: &[String]) -> Result<Option<(String, Regex)>, String> {
    if terms.is_empty() {
        return Ok(None);
    }
    let sources = term_list_sources(terms)?;
    let src = if sources.len() == 1 {
        sources.into_iter().next().unwrap()
    } else {
        sources.join("|")
    };
    build_regex(&src).map(|r| Some((src, r)))
}

impl ContextSignals {
    /// Compiles the signals; the message says which list and term failed.
    pub(crate) fn compile(
        &self,
    ) -> Result<CompiledSignals, (&'static str, Option<String>, String)> {
        let lists: [(&'static str, &Vec<String>); 10] = [
            ("negation.words", &self.negation.words),
            ("negation.breaks", &self.negation.breaks),
            ("roles.advice_sections", &self.roles.advice_sections),
            ("roles.context_sections", &self.roles.context_sections),
            ("roles.definition_sections", &self.roles.definition_sections),
            ("roles.advice", &self.roles.advice),
            ("roles.context", &self.roles.context),
            ("roles.definition", &self.roles.definition),
            ("roles.furniture", &self.roles.furniture),
            ("roles.obligation", &self.roles.obligation),
        ];
        let mut compiled = Vec::new();
        for (key, terms) in lists {
            if terms.len() > MAX_TERMS {
                return Err((
                    key,
                    None,
                    format!("the list has more than {MAX_TERMS} terms"),
                ));
            }
            match one(terms) {
                Ok(c) => compiled.push(c),
                Err(list_message) => {
                    for t in terms.iter() {
                        if let Err(m) = one(std::slice::from_ref(t)) {
                            return Err((key, Some(t.clone()), format!("term {t:?}: {m}")));
                        }
                    }
                    return Err((key, None, format!("the list as a whole: {list_message}")));
                }
            }
        }
        let mut it = compiled.into_iter();
        let mut next = || it.next().flatten();
        let negation = next().map(|(_, r)| r);
        let breaks = next().map(|(_, r)| r);
        let advice_titles = next().map(|(_, r)| r);
        let context_titles = next().map(|(_, r)| r);
        let definition_titles = next().map(|(_, r)| r);
        // The clause signals go to the engine as the rules' lists do: the
        // word terms as one pattern for its set, the raw terms apart.
        let mut clause = Vec::new();
        for (signal, terms) in [
            (Signal::Advice, &self.roles.advice),
            (Signal::Context, &self.roles.context),
            (Signal::Definition, &self.roles.definition),
            (Signal::Furniture, &self.roles.furniture),
            (Signal::Obligation, &self.roles.obligation),
        ] {
            let sources = term_list_sources(terms).map_err(|m| ("roles", None, m))?;
            for src in sources {
                let re = build_regex(&src).map_err(|m| ("roles", None, m))?;
                clause.push((signal, src, re));
            }
        }
        Ok(CompiledSignals {
            clause,
            negation,
            breaks,
            window: usize::from(self.negation.window),
            advice_titles,
            context_titles,
            definition_titles,
            furniture_max_words: usize::from(self.roles.furniture_max_words),
            heading_max_words: usize::from(self.roles.heading_max_words),
        })
    }

    /// Validates the signals read from `context.toml`, with file, line and key.
    pub(crate) fn validate(&self, dir: &Path, text: &str) -> Result<(), RulesError> {
        self.compile().map(|_| ()).map_err(|(key, term, message)| {
            let line = term
                .as_deref()
                .and_then(|t| {
                    text.lines()
                        .position(|l| {
                            l.contains(&format!("\"{t}\"")) || l.contains(&format!("'{t}'"))
                        })
                        .map(|i| i + 1)
                })
                .or_else(|| line_of(text, key.rsplit('.').next().unwrap_or(key)));
            RulesError::Invalid {
                path: dir.join("context.toml"),
                line,
                key: Some(key.to_string()),
                message,
            }
        })
    }
}
