//! Swedish text analysis, shared by indexing, query parsing and snippets.
//!
//! Text is split into words (letters and digits; every other character is a
//! break), lower-cased, and each word is read by [`crate::words`]: its
//! lemmas from the lexicon, a compound's head and parts, or, for a word the
//! lexicon cannot read, its Snowball stem. The index gets, per text:
//!
//! - `body`: each word's keys at the word's position, plus `^head` for a
//!   compound's head (`sjöfartsstöd` → `sjöfartsstöd`, `^stöd`);
//! - `body_folded`: the same ASCII-folded (å→a, ä→a, ö→o, é→e), so that a
//!   word typed without diacritics (`atgardsplan`) meets `åtgärdsplanen`;
//! - `parts`: every word's parts in order, folded (`sjöfart`, `stöd`), so
//!   that a word finds the compounds it is part of and a compound its
//!   split form (`egenförsäkran` ↔ `egen försäkran`).
//!
//! A typed word the lexicon cannot read keeps the earlier behaviour for its
//! stem ([`Expansion`]): a long stem also reaches the indexed terms it
//! begins or ends, a short one only a few inflection endings.

use tantivy::tokenizer::{
    Language, LowerCaser, PreTokenizedString, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    StopWordFilter, TextAnalyzer, Token, TokenizerManager,
};

use crate::lexicon::{Map, fold};
use crate::words::{Word, analyse};

/// Name of the (unused) tokenizer of the pre-tokenized text fields.
pub(crate) const PRE_TOKENIZED: &str = "kryphal_pre";

/// Marks a compound's head among a word's keys in `body`.
pub(crate) const HEAD_MARK: char = '^';

/// Tokens longer than this (in bytes) are not indexed: they are never words.
const MAX_TOKEN_BYTES: usize = 80;

/// A stem at least this many characters long matches every indexed term it
/// is a prefix of (compounds and inflections), for words the lexicon does
/// not know.
pub(crate) const MIN_PREFIX_CHARS: usize = 6;

/// Inflection endings Snowball leaves on (notably the neuter definite `-et`)
/// that a short stem may still take: `avtal` → `avtalet`, `vård` → `vårds`.
const SHORT_STEM_ENDINGS: &[&str] = &["et", "ets", "t", "ts", "s", "n", "ns", "na", "nas"];

fn lowered() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .build()
}

/// Registers the tokenizer name the schema's text fields carry. Their text
/// is always given pre-tokenized, so it only has to exist.
pub(crate) fn register(manager: &TokenizerManager) {
    manager.register(PRE_TOKENIZED, lowered());
}

/// One word of a text: where it is and its lower-cased form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TextWord {
    /// Byte range in the text (always on char boundaries).
    pub start: usize,
    pub end: usize,
    pub lower: String,
}

/// The token streams of one text, ready for the index.
pub(crate) struct Streams {
    pub body: PreTokenizedString,
    pub folded: PreTokenizedString,
    pub parts: PreTokenizedString,
}

fn stream(tokens: Vec<Token>) -> PreTokenizedString {
    PreTokenizedString {
        text: String::new(),
        tokens,
    }
}

fn token(w: &TextWord, position: usize, text: String) -> Token {
    Token {
        offset_from: w.start,
        offset_to: w.end,
        position,
        text,
        position_length: 1,
    }
}

/// The analyzers, ready to use on text outside tantivy's indexer.
#[derive(Clone)]
pub(crate) struct Analyzers {
    lowered: TextAnalyzer,
    stop: TextAnalyzer,
}

impl Analyzers {
    pub fn new() -> Self {
        let stop = match StopWordFilter::new(Language::Swedish) {
            Some(filter) => TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(filter)
                .build(),
            None => TextAnalyzer::builder(RawTokenizer::default()).build(),
        };
        Analyzers {
            lowered: lowered(),
            stop,
        }
    }

    /// Splits `text` into lower-cased words.
    pub fn words(&mut self, text: &str) -> Vec<TextWord> {
        let mut out = Vec::new();
        let mut stream = self.lowered.token_stream(text);
        while let Some(t) = stream.next() {
            out.push(TextWord {
                start: t.offset_from,
                end: t.offset_to,
                lower: t.text.clone(),
            });
        }
        out
    }

    /// The index's token streams of `text` (`parts` empty unless asked).
    pub fn streams(&mut self, text: &str, with_parts: bool) -> Streams {
        let words = self.words(text);
        let mut body = Vec::with_capacity(words.len());
        let mut folded = Vec::with_capacity(words.len());
        let mut parts = Vec::new();
        let mut part_position = 0;
        for (position, w) in words.iter().enumerate() {
            let a = analyse(&w.lower, Map::Exact);
            let f = a.folded();
            for (word, out) in [(&*a, &mut body), (&f, &mut folded)] {
                for k in &word.keys {
                    out.push(token(w, position, k.clone()));
                }
                for h in &word.heads {
                    out.push(token(w, position, format!("{HEAD_MARK}{h}")));
                }
            }
            if with_parts {
                for p in &f.parts {
                    for l in &p.lemmas {
                        parts.push(token(w, part_position, l.clone()));
                    }
                    part_position += 1;
                }
            }
        }
        Streams {
            body: stream(body),
            folded: stream(folded),
            parts: stream(parts),
        }
    }

    /// True for Swedish stop words (`och`, `att`, `i`, `som`…).
    pub fn is_stop_word(&mut self, word: &str) -> bool {
        let mut stream = self.stop.token_stream(word);
        stream.next().is_none()
    }
}

/// How a typed word is read: as written, or (typed without å/ä/ö and not a
/// word as written) ASCII-folded.
pub(crate) fn read_typed(lower: &str) -> (std::sync::Arc<Word>, bool) {
    let exact = analyse(lower, Map::Exact);
    if !lower.is_ascii() || exact.kind != crate::words::Kind::Unknown {
        return (exact, false);
    }
    (analyse(lower, Map::Folded), true)
}

/// ASCII-folds when asked.
pub(crate) fn maybe_fold(s: &str, folded: bool) -> String {
    if folded { fold(s) } else { s.to_owned() }
}

/// A compound's modifier (what comes before its head) has at least this
/// many bytes: `belastnings|registr`.
const MIN_MODIFIER_BYTES: usize = 3;
/// After the head, an indexed term may still carry this many bytes of
/// inflection (stems of compounds keep some: `belastningsregistr`).
const MAX_HEAD_ENDING_BYTES: usize = 3;

/// Whether `term` is a compound whose last part is `key` (plus a short
/// ending), e.g. `belastningsregistr` for `regist`. A term that begins
/// with `key` is not a head match (prefix expansion covers those).
pub(crate) fn is_head(key: &str, term: &str) -> bool {
    if key.is_empty() || term.len() < MIN_MODIFIER_BYTES + key.len() || term.starts_with(HEAD_MARK)
    {
        return false;
    }
    let last = term.len() - key.len();
    let first = last
        .saturating_sub(MAX_HEAD_ENDING_BYTES)
        .max(MIN_MODIFIER_BYTES);
    (first..=last).any(|p| term.is_char_boundary(p) && term[p..].starts_with(key))
}

/// How far the stem of a typed word the lexicon cannot read reaches beyond
/// itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expansion {
    /// Only the stem itself (quoted words).
    Exact,
    /// The stem and the few inflection endings Snowball leaves on.
    Endings,
    /// The stem and every term that begins or ends with it (compounds).
    Prefix,
}

impl Expansion {
    /// The expansion a typed (unquoted) word gets from the length of its stem.
    pub fn for_stem(stem: &str) -> Self {
        if stem.chars().count() >= MIN_PREFIX_CHARS {
            Expansion::Prefix
        } else {
            Expansion::Endings
        }
    }

    /// Whether `term` (an indexed term) is reached by the query stem `key`.
    pub fn reaches(self, key: &str, term: &str) -> bool {
        match self {
            Expansion::Exact => term == key,
            Expansion::Prefix => term.starts_with(key) || is_head(key, term),
            Expansion::Endings => {
                term == key
                    || (term.starts_with(key) && SHORT_STEM_ENDINGS.contains(&&term[key.len()..]))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &PreTokenizedString) -> Vec<(usize, &str)> {
        s.tokens
            .iter()
            .map(|t| (t.position, t.text.as_str()))
            .collect()
    }

    #[test]
    fn words_become_lemmas_heads_and_parts() {
        let mut a = Analyzers::new();
        let s = a.streams("Kostnaderna för sjöfartsstöd.", true);
        assert_eq!(
            texts(&s.body),
            [
                (0, "kostnad"),
                (1, "för"),
                (2, "sjöfartsstöd"),
                (2, "^stöd")
            ]
        );
        let p = texts(&s.parts);
        assert_eq!(
            p,
            [
                (0, "kostnad"),
                (1, "for"),
                (2, "sjo"),
                (3, "fart"),
                (4, "stod")
            ]
        );
        let f = texts(&s.folded);
        assert!(f.contains(&(2, "^stod")), "{f:?}");
        assert_eq!(
            &"Kostnaderna för sjöfartsstöd."
                [s.body.tokens[0].offset_from..s.body.tokens[0].offset_to],
            "Kostnaderna"
        );
    }

    #[test]
    fn stop_words() {
        let mut a = Analyzers::new();
        assert!(a.is_stop_word("och"));
        assert!(a.is_stop_word("Att"));
        assert!(!a.is_stop_word("registerutdrag"));
    }

    #[test]
    fn compound_heads_of_unknown_stems() {
        assert!(is_head("regist", "belastningsregistr"));
        assert!(is_head("kontroll", "egenkontroll"));
        assert!(Expansion::Prefix.reaches("regist", "belastningsregistr"));
        assert!(!is_head("regist", "belastningsregisterutdrag"));
        assert!(!is_head("regist", "regist"));
        assert!(!is_head("regist", "^belastningsregist"));
        assert!(!Expansion::Endings.reaches("vård", "hemvård"));
        assert!(!Expansion::Exact.reaches("regist", "belastningsregistr"));
    }

    #[test]
    fn expansion_reach() {
        assert!(Expansion::Prefix.reaches("auktorisation", "auktorisationsvillkor"));
        assert!(Expansion::Endings.reaches("avtal", "avtalet"));
        assert!(!Expansion::Endings.reaches("vård", "vårdnadshavar"));
        assert!(!Expansion::Exact.reaches("vård", "vårds"));
        assert_eq!(Expansion::for_stem("vård"), Expansion::Endings);
        assert_eq!(Expansion::for_stem("bidrag"), Expansion::Prefix);
    }
}
