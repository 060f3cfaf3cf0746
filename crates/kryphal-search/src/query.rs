//! Reading what the user typed. There is no query syntax to get wrong:
//! text between double quotes is a phrase, everything else is plain words,
//! and every other character is just part of the text (or a word break).

use crate::analysis::{Analyzers, Expansion, Token};

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

/// One thing to look for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    /// A word: its stem (folded when `folded`), and how far it reaches.
    Word {
        key: String,
        folded: bool,
        expansion: Expansion,
        surface: String,
    },
    /// Consecutive words (`"registerutdrag från belastningsregistret"`,
    /// or a single typed token such as `KS/2024:0113` that splits in parts).
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

/// Whether to search the folded fields: only when no token carries
/// diacritics (then a query without å/ä/ö also finds text with them).
fn folded(tokens: &[Token]) -> bool {
    !tokens.iter().any(Token::has_diacritics)
}

fn key_of(t: &Token, folded: bool) -> String {
    if folded {
        t.folded.clone()
    } else {
        t.stem.clone()
    }
}

fn phrase(tokens: &[Token], surface: &str) -> Part {
    let tokens = &tokens[..tokens.len().min(MAX_PHRASE_WORDS)];
    let f = folded(tokens);
    Part::Phrase {
        keys: tokens.iter().map(|t| key_of(t, f)).collect(),
        folded: f,
        surface: surface.to_owned(),
    }
}

fn word(t: &Token, surface: &str, expansion: Expansion) -> Part {
    let f = !t.has_diacritics();
    Part::Word {
        key: key_of(t, f),
        folded: f,
        expansion,
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
            let tokens = analyzers.tokens(segment);
            let surface = segment.trim();
            match tokens.len() {
                0 => {}
                1 => parts.push(word(&tokens[0], surface, Expansion::Exact)),
                _ => parts.push(phrase(&tokens, surface)),
            }
            continue;
        }
        for w in segment.split_whitespace() {
            let tokens = analyzers.tokens(w);
            match tokens.len() {
                0 => {}
                1 => {
                    let t = &tokens[0];
                    let surface = &w[t.start..t.end];
                    let part = word(t, surface, Expansion::for_stem(&t.stem));
                    if analyzers.is_stop_word(surface) {
                        stop_words.push(part);
                    } else {
                        parts.push(part);
                    }
                }
                _ => parts.push(phrase(&tokens, w)),
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
            (
                Part::Word {
                    key: a,
                    folded: fa,
                    expansion: ea,
                    ..
                },
                Part::Word {
                    key: b,
                    folded: fb,
                    expansion: eb,
                    ..
                },
            ) => a == b && fa == fb && ea == eb,
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
                Part::Word { key, .. } => key.clone(),
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
            ["\"ska lämn registerutdrag\"", "vård"]
        );
        assert_eq!(keys(&p("\"unbalanced quote")), ["unbalanced", "quot"]);
        assert!(p("AND OR NOT").parts.len() == 3);
        assert!(p("*?:^~(){}[]").parts.is_empty());
        assert_eq!(keys(&p("field:value")), ["\"field valu\""]);
        assert!(p("").parts.is_empty());
        assert!(p("   \t\n ").parts.is_empty());
        assert_eq!(
            keys(&p("”kontroll av” leverantör")),
            ["\"kontroll av\"", "leverantör"]
        );
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
