//! Reading what the user typed. There is no query syntax to get wrong:
//! text between double quotes is a phrase, everything else is plain words,
//! and every other character is just part of the text (or a word break).

use std::sync::Arc;

use crate::analysis::{Analyzers, Expansion, TextWord, maybe_fold, read_typed};
use crate::lexicon::fold;
use crate::words::{Kind, Word};

/// Longer input is cut here (at a character boundary) before it is read.
pub(crate) const MAX_QUERY_CHARS: usize = 1_000;
/// At most this many words and phrases are searched; the rest are ignored.
pub(crate) const MAX_PARTS: usize = 12;
/// A phrase longer than this is cut to its first words.
const MAX_PHRASE_WORDS: usize = 16;

/// Straight and typographic quotation marks (Swedish uses ” on both sides).
const QUOTES: &[char] = &[
    '"', '\u{201C}', '\u{201D}', '\u{201E}', '\u{00AB}', '\u{00BB}',
];

/// One typed word, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Typed {
    /// How the lexicon reads it (as written, or folded).
    pub word: Arc<Word>,
    /// Read ASCII-folded: it searches the folded fields.
    pub folded: bool,
    /// The keys searched for the whole word: its lemmas, or only the typed
    /// form when that is one of them (`stöd` is the noun, not `stöda`).
    pub keys: Vec<String>,
    /// For a word the lexicon cannot read: how far its stem reaches.
    pub expansion: Expansion,
    /// Quoted: the word and its inflections only (no compounds).
    pub quoted: bool,
    /// The word as typed, lower-case (folded when read folded).
    pub form: String,
}

impl Typed {
    /// The keys of its parts, folded, one per part (a compound's parts in
    /// order; a single key for a word that does not split).
    pub fn part_keys(&self) -> Vec<String> {
        if !self.word.is_compound() {
            return self.keys.iter().map(|k| fold(k)).collect();
        }
        self.word
            .parts
            .iter()
            .map(|p| {
                // The lemma written most like the part (`jävs` → `jäv`).
                let form = &self.form[p.start..p.end];
                let common = |l: &String| {
                    l.chars()
                        .zip(form.chars())
                        .take_while(|(a, b)| a == b)
                        .count()
                };
                let mut best: Option<&String> = None;
                for l in &p.lemmas {
                    if best.is_none_or(|b| common(l) > common(b)) {
                        best = Some(l);
                    }
                }
                fold(best.map_or("", String::as_str))
            })
            .collect()
    }
}

/// One thing to look for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    /// A word.
    Word { typed: Typed, surface: String },
    /// Consecutive words (`"registerutdrag från belastningsregistret"`,
    /// or a single typed token such as `KS/2024:0113` that splits in parts):
    /// one key per word, in the folded fields when `folded`.
    Phrase {
        keys: Vec<String>,
        folded: bool,
        surface: String,
    },
}

impl Part {
    /// The words as the user typed them, for "searched for: …".
    pub fn surface(&self) -> &str {
        match self {
            Part::Word { surface, .. } | Part::Phrase { surface, .. } => surface,
        }
    }
}

/// The parts of a query; empty when there is nothing to search for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ParsedQuery {
    pub parts: Vec<Part>,
    /// The input was cut (too long, or too many words).
    pub truncated: bool,
}

fn truncate_chars(s: &str, max: usize) -> (&str, bool) {
    match s.char_indices().nth(max) {
        Some((i, _)) => (&s[..i], true),
        None => (s, false),
    }
}

/// Reads one typed word.
pub(crate) fn typed(lower: &str, quoted: bool) -> Typed {
    let (word, folded) = read_typed(lower);
    let form = maybe_fold(lower, folded);
    let keys = if word.keys.contains(&form) {
        vec![form.clone()]
    } else {
        word.keys.clone()
    };
    let expansion = if quoted {
        Expansion::Exact
    } else {
        Expansion::for_stem(&keys[0])
    };
    Typed {
        word,
        folded,
        keys,
        expansion,
        quoted,
        form,
    }
}

/// The key of one word of a phrase: its lemma (the typed form when that is
/// one), folded when the phrase is searched folded.
fn phrase_key(w: &TextWord, folded: bool) -> String {
    let t = typed(&w.lower, true);
    let key = t.keys[0].clone();
    if folded && !t.folded { fold(&key) } else { key }
}

fn phrase(words: &[TextWord], surface: &str) -> Part {
    let words = &words[..words.len().min(MAX_PHRASE_WORDS)];
    let folded = words.iter().all(|w| w.lower.is_ascii());
    Part::Phrase {
        keys: words.iter().map(|w| phrase_key(w, folded)).collect(),
        folded,
        surface: surface.to_owned(),
    }
}

fn word(w: &TextWord, surface: &str, quoted: bool) -> Part {
    Part::Word {
        typed: typed(&w.lower, quoted),
        surface: surface.to_owned(),
    }
}

/// Reads `input` as plain words and quoted phrases. Never fails.
pub(crate) fn parse(input: &str, analyzers: &mut Analyzers) -> ParsedQuery {
    let (text, mut truncated) = truncate_chars(input, MAX_QUERY_CHARS);

    // Split on quotation marks; an unbalanced last quote leaves plain words.
    let mut segments: Vec<(bool, &str)> = Vec::new();
    let mut in_quote = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if QUOTES.contains(&c) {
            segments.push((in_quote, &text[start..i]));
            in_quote = !in_quote;
            start = i + c.len_utf8();
        }
    }
    segments.push((false, &text[start..]));

    let mut parts: Vec<Part> = Vec::new();
    let mut stop_words: Vec<Part> = Vec::new();
    for (quoted, segment) in segments {
        if quoted {
            let words = analyzers.words(segment);
            let surface = segment.trim();
            match words.len() {
                0 => {}
                1 => parts.push(word(&words[0], surface, true)),
                _ => parts.push(phrase(&words, surface)),
            }
            continue;
        }
        for w in segment.split_whitespace() {
            let words = analyzers.words(w);
            match words.len() {
                0 => {}
                1 => {
                    let t = &words[0];
                    let surface = &w[t.start..t.end];
                    let part = word(t, surface, false);
                    if analyzers.is_stop_word(surface) {
                        stop_words.push(part);
                    } else {
                        parts.push(part);
                    }
                }
                _ => parts.push(phrase(&words, w)),
            }
        }
    }
    // Stop words only count when there is nothing else to search for.
    if parts.is_empty() {
        parts = stop_words;
    }
    let mut unique: Vec<Part> = Vec::new();
    for p in parts {
        let seen = unique.iter().any(|u| match (u, &p) {
            (Part::Word { typed: a, .. }, Part::Word { typed: b, .. }) => {
                a.keys == b.keys && a.folded == b.folded && a.quoted == b.quoted
            }
            (
                Part::Phrase {
                    keys: a,
                    folded: fa,
                    ..
                },
                Part::Phrase {
                    keys: b,
                    folded: fb,
                    ..
                },
            ) => a == b && fa == fb,
            _ => false,
        });
        if !seen {
            unique.push(p);
        }
    }
    if unique.len() > MAX_PARTS {
        unique.truncate(MAX_PARTS);
        truncated = true;
    }
    ParsedQuery {
        parts: unique,
        truncated,
    }
}

/// Whether the lexicon could not read the word (its stem is searched).
pub(crate) fn is_unknown(t: &Typed) -> bool {
    t.word.kind == Kind::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ParsedQuery {
        parse(s, &mut Analyzers::new())
    }

    fn keys(q: &ParsedQuery) -> Vec<String> {
        q.parts
            .iter()
            .map(|p| match p {
                Part::Word { typed, .. } => typed.keys.join("|"),
                Part::Phrase { keys, .. } => format!("\"{}\"", keys.join(" ")),
            })
            .collect()
    }

    #[test]
    fn words_phrases_and_noise() {
        assert_eq!(
            keys(&p("registerutdrag hemtjänst")),
            ["registerutdrag", "hemtjänst"]
        );
        assert_eq!(
            keys(&p("\"ska lämna registerutdrag\" vård")),
            ["\"ska lämna registerutdrag\"", "vård"]
        );
        assert_eq!(keys(&p("kostnaderna")), ["kostnad"]);
        // The typed form is the lemma: not the verb `stöda` too.
        assert_eq!(keys(&p("stöd")), ["stöd"]);
        assert_eq!(keys(&p("\"unbalanced quote")).len(), 2);
        assert!(p("AND OR NOT").parts.len() == 3);
        assert!(p("*?:^~(){}[]").parts.is_empty());
        assert_eq!(p("field:value").parts.len(), 1);
        assert!(p("").parts.is_empty());
        assert!(p("   \t\n ").parts.is_empty());
        assert_eq!(
            keys(&p("”kontroll av” leverantör")),
            ["\"kontroll av\"", "leverantör"]
        );
    }

    #[test]
    fn words_without_diacritics_are_read_folded() {
        let q = p("gavor");
        let Part::Word { typed, .. } = &q.parts[0] else {
            panic!("a word")
        };
        assert!(typed.folded);
        assert_eq!(typed.keys, ["gava"]);
        // A word as written is read as written.
        let q = p("kontor");
        let Part::Word { typed, .. } = &q.parts[0] else {
            panic!("a word")
        };
        assert!(!typed.folded);
    }

    #[test]
    fn compound_parts_in_order() {
        let q = p("egenförsäkran");
        let Part::Word { typed, .. } = &q.parts[0] else {
            panic!("a word")
        };
        assert_eq!(typed.part_keys(), ["egen", "forsakra"]);
    }

    #[test]
    fn stop_words_dropped_unless_alone() {
        assert_eq!(
            keys(&p("registerutdrag och hemtjänst")),
            ["registerutdrag", "hemtjänst"]
        );
        assert_eq!(keys(&p("och")), ["och"]);
    }

    #[test]
    fn long_input_is_cut() {
        let q = p(&"belastningsregister ".repeat(600));
        assert!(q.truncated);
        assert_eq!(q.parts.len(), 1);
        let many: String = (0..100).map(|i| format!("ord{i} ")).collect();
        let q = p(&many);
        assert_eq!(q.parts.len(), MAX_PARTS);
        assert!(q.truncated);
    }
}
