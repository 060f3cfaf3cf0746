//! Swedish text analysis, shared by indexing, query parsing and snippets.
//!
//! Two analyzers run over the same tokens:
//! - `kryphal_sv`: split on non-alphanumerics, drop absurdly long tokens,
//!   lower-case, Swedish Snowball stemming;
//! - `kryphal_sv_fold`: the same, then ASCII folding (å→a, ä→a, ö→o, é→e)
//!   applied *after* stemming, so that `atgardsplan` typed without
//!   diacritics meets `åtgärdsplanen` (stem `åtgärdsplan` → `atgardsplan`).
//!
//! Compounds are handled at query time (see [`Expansion`]): a long enough
//! stem also matches every indexed term it begins, so `auktorisation` finds
//! `auktorisationsvillkoren`, while short stems (`vård`) only take ordinary
//! inflection endings and so do not match `vårdnadshavare`.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, StopWordFilter, TextAnalyzer, TokenizerManager,
};

/// Name of the stemming analyzer in tantivy's tokenizer manager.
pub(crate) const STEMMED: &str = "kryphal_sv";
/// Name of the stemming + ASCII-folding analyzer.
pub(crate) const FOLDED: &str = "kryphal_sv_fold";

/// Tokens longer than this (in bytes) are not indexed: they are never words.
const MAX_TOKEN_BYTES: usize = 80;

/// A stem at least this many characters long matches every indexed term it
/// is a prefix of (compounds and inflections).
pub(crate) const MIN_PREFIX_CHARS: usize = 6;

/// Inflection endings Snowball leaves on (notably the neuter definite `-et`)
/// that a short stem may still take: `avtal` → `avtalet`, `vård` → `vårds`.
const SHORT_STEM_ENDINGS: &[&str] = &["et", "ets", "t", "ts", "s", "n", "ns", "na", "nas"];

fn stemmed_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::Swedish))
        .build()
}

fn folded_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::Swedish))
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers both analyzers with an index.
pub(crate) fn register(manager: &TokenizerManager) {
    manager.register(STEMMED, stemmed_analyzer());
    manager.register(FOLDED, folded_analyzer());
}

/// One word of a text: where it is and its two analysed forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// Byte range in the analysed text (always on char boundaries).
    pub start: usize,
    pub end: usize,
    /// Lower-cased, stemmed.
    pub stem: String,
    /// Lower-cased, stemmed, ASCII-folded.
    pub folded: String,
}

impl Token {
    /// True when the word carries letters that folding changes (å, ä, ö, é…).
    pub fn has_diacritics(&self) -> bool {
        self.stem != self.folded
    }
}

/// The analyzers, ready to use on text outside the index.
#[derive(Clone)]
pub(crate) struct Analyzers {
    stemmed: TextAnalyzer,
    lowered: TextAnalyzer,
    stem_one: TextAnalyzer,
    fold_one: TextAnalyzer,
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
            stemmed: stemmed_analyzer(),
            lowered: TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
                .filter(LowerCaser)
                .build(),
            stem_one: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::Swedish))
                .build(),
            fold_one: TextAnalyzer::builder(RawTokenizer::default())
                .filter(AsciiFoldingFilter)
                .build(),
            stop,
        }
    }

    /// Splits `text` into words, each with its stemmed and folded form.
    pub fn tokens(&mut self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut stream = self.stemmed.token_stream(text);
        while let Some(t) = stream.next() {
            out.push(Token {
                start: t.offset_from,
                end: t.offset_to,
                stem: t.text.clone(),
                folded: String::new(),
            });
        }
        drop(stream);
        for t in &mut out {
            t.folded = self.fold(&t.stem);
        }
        out
    }

    /// Like [`Analyzers::tokens`], but stems only the words `wanted` (given
    /// the lower-cased word and its folded form) says could match; the
    /// others get empty forms. Snowball only ever shortens a word at its
    /// end, so a word whose lower-cased (or folded) form does not begin
    /// with a query stem cannot stem to anything that does.
    pub fn tokens_where(
        &mut self,
        text: &str,
        mut wanted: impl FnMut(&str, &str) -> bool,
    ) -> Vec<Token> {
        let Analyzers {
            lowered,
            stem_one,
            fold_one,
            ..
        } = self;
        let mut out = Vec::new();
        let mut stream = lowered.token_stream(text);
        while let Some(t) = stream.next() {
            let lower = t.text.as_str();
            // Most words are plain ASCII: no copy is made of those that
            // cannot match.
            let want = if lower.is_ascii() {
                wanted(lower, lower)
            } else {
                wanted(lower, &fold_with(fold_one, lower))
            };
            let (stem, folded) = if want {
                let stem = stem_with(stem_one, lower);
                let folded = fold_with(fold_one, &stem);
                (stem, folded)
            } else {
                (String::new(), String::new())
            };
            out.push(Token {
                start: t.offset_from,
                end: t.offset_to,
                stem,
                folded,
            });
        }
        out
    }

    /// ASCII-folds one (already stemmed) term exactly as the index does.
    pub fn fold(&mut self, term: &str) -> String {
        fold_with(&mut self.fold_one, term)
    }

    /// True for Swedish stop words (`och`, `att`, `i`, `som`…).
    pub fn is_stop_word(&mut self, word: &str) -> bool {
        let mut stream = self.stop.token_stream(word);
        stream.next().is_none()
    }
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
    if key.is_empty() || term.len() < MIN_MODIFIER_BYTES + key.len() {
        return false;
    }
    let last = term.len() - key.len();
    let first = last
        .saturating_sub(MAX_HEAD_ENDING_BYTES)
        .max(MIN_MODIFIER_BYTES);
    (first..=last).any(|p| term.is_char_boundary(p) && term[p..].starts_with(key))
}

/// Stems one lower-cased word.
fn stem_with(stem_one: &mut TextAnalyzer, word: &str) -> String {
    let mut stream = stem_one.token_stream(word);
    match stream.next() {
        Some(t) => t.text.clone(),
        None => word.to_owned(),
    }
}

/// ASCII-folds one term (a no-op for ASCII).
fn fold_with(fold_one: &mut TextAnalyzer, term: &str) -> String {
    if term.is_ascii() {
        return term.to_owned();
    }
    let mut stream = fold_one.token_stream(term);
    match stream.next() {
        Some(t) => t.text.clone(),
        None => term.to_owned(),
    }
}

/// How far a query term reaches beyond its own stem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expansion {
    /// Only the stem itself (quoted words, phrase tokens).
    Exact,
    /// The stem and the few inflection endings Snowball leaves on.
    Endings,
    /// The stem and every term that begins with it (compounds).
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

    #[test]
    fn stems_and_folds() {
        let mut a = Analyzers::new();
        let toks = a.tokens("Åtgärdsplanen, registerutdraget och BELASTNINGSREGISTRET.");
        let stems: Vec<_> = toks.iter().map(|t| t.stem.as_str()).collect();
        let folded: Vec<_> = toks.iter().map(|t| t.folded.as_str()).collect();
        assert_eq!(stems[0], "åtgärdsplan");
        assert_eq!(folded[0], "atgardsplan");
        assert!(toks[0].has_diacritics());
        assert!(!toks[1].has_diacritics());
        assert_eq!(
            &"Åtgärdsplanen, registerutdraget och BELASTNINGSREGISTRET."
                [toks[3].start..toks[3].end],
            "BELASTNINGSREGISTRET"
        );
        eprintln!("{stems:?} {folded:?}");
    }

    #[test]
    fn lazy_tokens_agree_with_full_tokens() {
        let mut a = Analyzers::new();
        let text = "Åtgärdsplanerna, registerutdragen och BELASTNINGSREGISTRET gäller löst folk.";
        let full = a.tokens(text);
        let lazy = a.tokens_where(text, |_, _| true);
        assert_eq!(full, lazy);
        let none = a.tokens_where(text, |_, _| false);
        assert!(none.iter().all(|t| t.stem.is_empty()));
        assert_eq!(none.len(), full.len());
    }

    #[test]
    fn stop_words() {
        let mut a = Analyzers::new();
        assert!(a.is_stop_word("och"));
        assert!(a.is_stop_word("Att"));
        assert!(!a.is_stop_word("registerutdrag"));
    }

    #[test]
    fn compound_heads() {
        assert!(is_head("regist", "belastningsregistr"));
        assert!(is_head("kontroll", "egenkontroll"));
        assert!(Expansion::Prefix.reaches("regist", "belastningsregistr"));
        // Not a head: the word is in the middle, or there is no modifier.
        assert!(!is_head("regist", "belastningsregisterutdrag"));
        assert!(!is_head("regist", "regist"));
        assert!(!is_head("regist", "ixregist"));
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
