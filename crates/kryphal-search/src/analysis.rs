//! Swedish text analysis, shared by indexing, query parsing and snippets.
//!
//! Text is split into words (letters and digits; every other character is a
//! break), lower-cased, and each word is read by [`crate::words`]: its
//! lemmas from the lexicon, a compound's head and parts, or, for a word the
//! lexicon cannot read, its Snowball stem. The index's tokenizers
//! ([`register`]) turn a text into:
//!
//! - words: each word's keys at the word's position, plus `^head` for a
//!   compound's head (`sjöfartsstöd` → `sjöfartsstöd`, `^stöd`);
//! - the same ASCII-folded (å→a, ä→a, ö→o, é→e), so that a word typed
//!   without diacritics (`atgardsplan`) meets `åtgärdsplanen`;
//! - parts: the parts of each compound in a row, folded (`sjö`, `fart`,
//!   `stöd`), with a gap between words, so that a word finds the compounds
//!   it is part of and a typed compound a longer one that holds it.
//!
//! A typed word the lexicon cannot read keeps the earlier behaviour for its
//! stem ([`Expansion`]): a long stem also reaches the indexed terms it
//! begins or ends, a short one only a few inflection endings.

use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, StopWordFilter,
    TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager,
};

use crate::lexicon::{Map, fold};
use crate::words::{Word, analyse, read};

/// The tokenizer of the fields of words: lemmas and `^heads`.
pub(crate) const WORDS: &str = "kryphal_words";
/// The same, ASCII-folded.
pub(crate) const WORDS_FOLDED: &str = "kryphal_words_folded";
/// The tokenizer of the `parts` field: every word's parts in a row, folded.
pub(crate) const PARTS: &str = "kryphal_parts";

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

/// Registers the tokenizers of the schema's text fields.
pub(crate) fn register(manager: &TokenizerManager) {
    manager.register(
        WORDS,
        TextAnalyzer::from(SwedishTokenizer::new(Stream::Words)),
    );
    manager.register(
        WORDS_FOLDED,
        TextAnalyzer::from(SwedishTokenizer::new(Stream::WordsFolded)),
    );
    manager.register(
        PARTS,
        TextAnalyzer::from(SwedishTokenizer::new(Stream::Parts)),
    );
}

/// Which tokens a [`SwedishTokenizer`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Words,
    WordsFolded,
    Parts,
}

/// Splits text into words and reads each with the lexicon ([`read`]); its
/// tokens are the words' keys and `^heads` at the words' positions, or the
/// parts of the words that are compounds, in a row (a word that does not
/// split takes a position but gives no token: it is in the word fields
/// already, and a phrase of parts cannot run through it).
#[derive(Clone)]
struct SwedishTokenizer {
    stream: Stream,
    lowered: TextAnalyzer,
    /// The tokens of the last text; `tokens[..len]` are in use, the rest
    /// keep their buffers for the next text.
    tokens: Vec<Token>,
    len: usize,
}

impl SwedishTokenizer {
    fn new(stream: Stream) -> Self {
        SwedishTokenizer {
            stream,
            lowered: lowered(),
            tokens: Vec::new(),
            len: 0,
        }
    }

    fn push(&mut self, from: usize, to: usize, position: usize, text: &str) {
        if self.len == self.tokens.len() {
            self.tokens.push(Token::default());
        }
        let t = &mut self.tokens[self.len];
        t.offset_from = from;
        t.offset_to = to;
        t.position = position;
        t.position_length = 1;
        t.text.clear();
        t.text.push_str(text);
        self.len += 1;
    }
}

/// The tokens of one text, made at once.
struct Tokens<'a> {
    tokens: &'a [Token],
    next: usize,
}

impl TokenStream for Tokens<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        unreachable!("the index never changes a token of this stream")
    }
}

impl Tokenizer for SwedishTokenizer {
    type TokenStream<'a> = Tokens<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens<'a> {
        self.len = 0;
        // The same text comes to the word, folded and parts fields one
        // after the other: its words are read once.
        // (Taken out while in use: a panic leaves the memo empty, not wrong.)
        let (mut memo, mut words) = LAST_TEXT.with(|last| std::mem::take(&mut *last.borrow_mut()));
        if memo != text {
            memo.clear();
            memo.push_str(text);
            words.clear();
            let mut stream = self.lowered.token_stream(text);
            while let Some(t) = stream.next() {
                words.push((t.offset_from, t.offset_to, read(&t.text)));
            }
        }
        let mut position = 0;
        let mut head = String::new();
        for (from, to, r) in &words {
            let (from, to) = (*from, *to);
            match self.stream {
                Stream::Words | Stream::WordsFolded => {
                    let word = if self.stream == Stream::Words {
                        &r.word
                    } else {
                        &r.folded
                    };
                    for k in &word.keys {
                        self.push(from, to, position, k);
                    }
                    for h in &word.heads {
                        head.clear();
                        head.push(HEAD_MARK);
                        head.push_str(h);
                        self.push(from, to, position, &head);
                    }
                    position += 1;
                }
                Stream::Parts => {
                    if r.folded.is_compound() {
                        for p in &r.folded.parts {
                            for l in &p.lemmas {
                                self.push(from, to, position, l);
                            }
                            position += 1;
                        }
                    }
                    // A gap: parts of two words are never in a row.
                    position += 1;
                }
            }
        }
        LAST_TEXT.with(|last| *last.borrow_mut() = (memo, words));
        Tokens {
            tokens: &self.tokens[..self.len],
            next: 0,
        }
    }
}

/// The words of a text, read.
type ReadWords = Vec<(usize, usize, std::sync::Arc<crate::words::Reading>)>;

thread_local! {
    /// The last text tokenized on this thread, and its words.
    static LAST_TEXT: std::cell::RefCell<(String, ReadWords)> =
        const { std::cell::RefCell::new((String::new(), Vec::new())) };
}

/// One word of a text: where it is and its lower-cased form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TextWord {
    /// Byte range in the text (always on char boundaries).
    pub start: usize,
    pub end: usize,
    pub lower: String,
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

    fn tokens(stream: Stream, text: &str) -> Vec<(usize, String)> {
        let mut t = SwedishTokenizer::new(stream);
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while let Some(tok) = s.next() {
            out.push((tok.position, tok.text.clone()));
        }
        out
    }

    #[test]
    fn words_become_lemmas_heads_and_parts() {
        let text = "Kostnaderna för sjöfartsstöd.";
        let body = tokens(Stream::Words, text);
        let want: Vec<(usize, String)> = [
            (0, "kostnad"),
            (1, "för"),
            (2, "sjöfartsstöd"),
            (2, "^stöd"),
        ]
        .iter()
        .map(|(p, t)| (*p, t.to_string()))
        .collect();
        assert_eq!(body, want);
        // Only compounds have parts; words are never in a row with another
        // word's parts.
        assert_eq!(
            tokens(Stream::Parts, text),
            [
                (2, "sjo".to_owned()),
                (3, "fart".to_owned()),
                (4, "stod".to_owned())
            ]
        );
        assert!(tokens(Stream::WordsFolded, text).contains(&(2, "^stod".to_owned())));
        let mut t = SwedishTokenizer::new(Stream::Words);
        let mut s = t.token_stream(text);
        s.advance();
        let first = s.token();
        assert_eq!(&text[first.offset_from..first.offset_to], "Kostnaderna");
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
