//! Text handling shared by loading and screening: normalising a clause so
//! that words broken across lines still match, translating the *term
//! syntax* of rule files into regular expressions, and reading numbers
//! written as digits or words.

use std::borrow::Cow;

/// A clause's text prepared for matching: lower-cased (a letter whose lower
/// case has another UTF-8 length is kept as it is), soft hyphens removed,
/// words hyphenated across a line break joined (`osanno-\nlikt` →
/// `osannolikt`), every run of white space collapsed to one space. `map[i]` is the byte
/// offset in the original text of the normalised text's byte `i`.
pub(crate) struct Normalized<'a> {
    pub text: Cow<'a, str>,
    map: Option<Vec<u32>>,
}

impl<'a> Normalized<'a> {
    pub fn new(original: &'a str) -> Normalized<'a> {
        // Most clauses only need lower-casing (and a line break made a
        // space), which keeps every byte where it was: then no map is made.
        let mut change = false;
        let mut remap = false;
        let mut prev_space = false;
        let bytes = original.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                // ASCII, byte by byte.
                let space = matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
                if space {
                    if prev_space {
                        remap = true;
                        break;
                    }
                    change |= b != b' ';
                } else if b == b'-' {
                    // A hyphen at a line's end may join a word's halves.
                    let rest = &bytes[i + 1..];
                    let at = rest
                        .iter()
                        .position(|b| !matches!(b, b' ' | b'\t' | b'\r'))
                        .map_or(b' ', |k| rest[k]);
                    if at == b'\n' {
                        remap = true;
                        break;
                    }
                } else {
                    change |= b.is_ascii_uppercase();
                }
                prev_space = space;
                i += 1;
                continue;
            }
            let c = original[i..].chars().next().expect("a char starts here");
            i += c.len_utf8();
            let space = c.is_whitespace();
            if space {
                if prev_space || c.len_utf8() > 1 {
                    remap = true;
                    break;
                }
                change |= c != ' ';
            } else if c == '\u{ad}' {
                remap = true;
                break;
            } else if c.is_uppercase() {
                change = true;
            }
            prev_space = space;
        }
        if !remap {
            if !change {
                return Normalized {
                    text: Cow::Borrowed(original),
                    map: None,
                };
            }
            let mut out = String::with_capacity(original.len());
            for c in original.chars() {
                if c.is_whitespace() {
                    out.push(' ');
                } else if c.is_ascii() {
                    out.push(c.to_ascii_lowercase());
                } else {
                    let mut lower = c.to_lowercase();
                    match (lower.next(), lower.next()) {
                        (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
                        _ => out.push(c),
                    }
                }
            }
            return Normalized {
                text: Cow::Owned(out),
                map: None,
            };
        }
        Normalized::remapped(original)
    }

    /// The general case: white space collapsed, soft hyphens dropped, words
    /// hyphenated across a line break joined, with a byte map back.
    fn remapped(original: &'a str) -> Normalized<'a> {
        let mut out = String::with_capacity(original.len());
        let mut map: Vec<u32> = Vec::with_capacity(original.len());
        let mut chars = original.char_indices().peekable();
        let mut prev: Option<char> = None;
        while let Some((i, c)) = chars.next() {
            if c == '\u{ad}' {
                continue;
            }
            if c == '-' && prev.is_some_and(char::is_alphabetic) {
                // A hyphen at the end of a line, followed by a lower-case word that
                // is not a conjunction, joins the word's two halves.
                let rest = &original[i + 1..];
                let after_ws = rest.trim_start_matches([' ', '\t', '\r']);
                if let Some(next_line) = after_ws.strip_prefix('\n') {
                    let next_line = next_line.trim_start_matches([' ', '\t', '\r']);
                    let starts_lower = next_line.chars().next().is_some_and(char::is_lowercase);
                    let word: String = next_line
                        .chars()
                        .take_while(|c| c.is_alphabetic())
                        .collect();
                    if starts_lower
                        && !matches!(word.as_str(), "och" | "eller" | "samt" | "and" | "or")
                    {
                        let skip = original.len() - i - 1 - next_line.len();
                        // Skip the hyphen's line break and indentation.
                        let target = i + 1 + skip;
                        while chars.peek().is_some_and(|&(j, _)| j < target) {
                            chars.next();
                        }
                        continue;
                    }
                }
            }
            if c.is_whitespace() {
                if prev == Some(' ') {
                    continue;
                }
                out.push(' ');
                map.push(i as u32);
                prev = Some(' ');
                continue;
            }
            let before = out.len();
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
                _ => out.push(c),
            }
            for k in 0..(out.len() - before) {
                map.push((i + k) as u32);
            }
            prev = Some(c);
        }
        Normalized {
            text: Cow::Owned(out),
            map: Some(map),
        }
    }

    /// The original byte range of normalised range `start..end`.
    pub fn original_span(&self, start: usize, end: usize, original: &str) -> (usize, usize) {
        match &self.map {
            None => (start, end),
            Some(map) => {
                if start >= end || end > map.len() {
                    return (start.min(original.len()), end.min(original.len()));
                }
                let s = map[start] as usize;
                let last = map[end - 1] as usize;
                (s, last + 1)
            }
        }
    }
}

/// Normalised text has exactly one plain space wherever the original had
/// white space, so a pattern's `\s+` (outside a character class) is written
/// as a literal space, `\s*` and `\s?` as an optional one. The patterns
/// match the same text, and the regex engine can then use the literal words
/// around the spaces to skip ahead: a pattern that starts `i\s+förekommande`
/// is searched for as the literal `i förekommande`, not for every `i`.
pub(crate) fn literal_spaces(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('s') if !in_class => match chars.peek() {
                    Some('+') => {
                        chars.next();
                        out.push(' ');
                    }
                    Some('*' | '?') => {
                        chars.next();
                        out.push_str(" ?");
                    }
                    _ => out.push(' '),
                },
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` or `^]` right at the start is a member, not the end.
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().expect("peeked"));
                }
                if chars.peek() == Some(&']') {
                    out.push(chars.next().expect("peeked"));
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Swedish inflection endings a `~` after a term word allows (noun, adjective
/// and verb forms: `osannolik~` matches osannolik, osannolikt, osannolika).
const INFLECTIONS: &str = "(?:arna|erna|orna|andes|ande|ende|aste|ast|are|ade|ats|ens|ets|nas|en|et|na|ar|er|or|as|es|ts|ns|at|t|a|e|n|s)?";

/// A letter or digit of a word. The Latin script covers Swedish and English
/// (and most European languages); a narrow class keeps the compiled
/// automata small, which matters with hundreds of terms in one set.
const WORD: &str = r"(?-i:[\p{Latin}0-9])";
const NOT_WORD: &str = r"(?-i:[^\p{Latin}0-9])";

/// How every word-term pattern starts (the left word boundary).
pub(crate) const BOUNDED_PREFIX: &str = r"(?:^|(?-i:[^\p{Latin}0-9]))";

/// How the last word of a term ends.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Tail {
    Exact,
    /// `~`: Swedish inflection endings.
    Inflected,
    /// `*`: any letters.
    Open,
}

/// A compiled form of one term of a rule's term list.
pub(crate) enum TermSource {
    /// Words in term syntax: the regex body without the first word's
    /// leading wildcard (`lead`) and the last word's ending (`tail`), which
    /// are shared by all terms of a list to keep the automaton small.
    Words {
        lead: bool,
        body: String,
        tail: Tail,
    },
    /// A raw regular expression written `/…/`.
    Raw(String),
}

/// Translates one term of term syntax. Words are separated by white space
/// (matching any white space); `*` at the start or end of a word stands for
/// any letters (compounds and inflections), `~` at the end for the Swedish
/// inflection endings; every other character is literal. A term written
/// `/…/` is a raw regular expression.
pub(crate) fn term_source(term: &str) -> Result<TermSource, String> {
    let t = term.trim();
    if t.len() >= 2 && t.starts_with('/') && t.ends_with('/') {
        return Ok(TermSource::Raw(t[1..t.len() - 1].to_string()));
    }
    if t.is_empty() {
        return Err("a term is empty".into());
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    let n = words.len();
    let mut parts = Vec::new();
    let (mut first_lead, mut last_tail) = (false, Tail::Exact);
    for (i, w) in words.iter().enumerate() {
        let (lead, w) = match w.strip_prefix('*') {
            Some(rest) => (true, rest),
            None => (false, *w),
        };
        let (tail, w) = if let Some(rest) = w.strip_suffix('*') {
            (Tail::Open, rest)
        } else if let Some(rest) = w.strip_suffix('~') {
            (Tail::Inflected, rest)
        } else {
            (Tail::Exact, w)
        };
        if w.is_empty() {
            return Err(format!("the term {term:?} has a word with no letters"));
        }
        if w.contains(['*', '~']) {
            return Err(format!(
                "the term {term:?} uses `*` or `~` inside a word; they may only start or end one"
            ));
        }
        let mut s = String::new();
        if lead {
            if i == 0 {
                first_lead = true;
            } else {
                s.push_str(WORD);
                s.push('*');
            }
        }
        s.push_str(&regex::escape(&w.to_lowercase()));
        if i + 1 == n {
            last_tail = tail;
        } else {
            s.push_str(tail_regex(tail));
        }
        parts.push(s);
    }
    Ok(TermSource::Words {
        lead: first_lead,
        body: parts.join(r"\s+"),
        tail: last_tail,
    })
}

fn tail_regex(tail: Tail) -> &'static str {
    match tail {
        Tail::Exact => "",
        Tail::Inflected => INFLECTIONS,
        Tail::Open => "(?-i:[\\p{Latin}0-9])*",
    }
}

/// One pattern for all word terms of a list, grouped by leading wildcard
/// and ending so that each shared piece appears once, wrapped in word
/// boundaries. The boundaries are written as character classes rather than
/// `\b` so that the whole set stays on the fast DFA path for non-ASCII
/// (Swedish) text; the matched term is group `m`.
pub(crate) fn bounded(terms: &[(bool, String, Tail)]) -> String {
    let mut groups: std::collections::BTreeMap<(bool, Tail), Vec<&str>> = Default::default();
    for (lead, body, tail) in terms {
        groups.entry((*lead, *tail)).or_default().push(body);
    }
    let alts: Vec<String> = groups
        .iter()
        .map(|((lead, tail), bodies)| {
            format!(
                "{}(?:{}){}",
                if *lead {
                    format!("{WORD}*")
                } else {
                    String::new()
                },
                bodies.join("|"),
                tail_regex(*tail)
            )
        })
        .collect();
    format!("{BOUNDED_PREFIX}(?P<m>{})(?:{NOT_WORD}|$)", alts.join("|"))
}

/// The regex a `{number}` in a threshold pattern stands for: digits (with
/// thousands separated by a space), or a number word in Swedish or English.
pub(crate) const NUMBER: &str = r"(?P<n>\d{1,3}(?:[ \x{a0}]\d{3})+|\d+(?:[.,]\d+)?|\p{Latin}+)";

/// Reads a number written as digits or as a word (`ett`, `tolv`, `tredje`,
/// `twelve`). Returns `None` for anything else.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let t: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}'))
        .collect::<String>()
        .replace(',', ".")
        .to_lowercase();
    if let Ok(v) = t.parse::<f64>() {
        return Some(v);
    }
    let v = match t.as_str() {
        "noll" | "zero" => 0,
        "en" | "ett" | "one" | "a" | "an" | "första" | "first" => 1,
        "två" | "two" | "annat" | "andra" | "second" | "other" => 2,
        "tre" | "three" | "tredje" | "third" => 3,
        "fyra" | "four" | "fjärde" | "fourth" => 4,
        "fem" | "five" | "femte" | "fifth" => 5,
        "sex" | "six" | "sjätte" | "sixth" => 6,
        "sju" | "seven" => 7,
        "åtta" | "eight" => 8,
        "nio" | "nine" => 9,
        "tio" | "ten" | "tionde" => 10,
        "elva" | "eleven" => 11,
        "tolv" | "twelve" => 12,
        "tretton" | "thirteen" => 13,
        "fjorton" | "fourteen" => 14,
        "femton" | "fifteen" => 15,
        "sexton" | "sixteen" => 16,
        "sjutton" | "seventeen" => 17,
        "arton" | "eighteen" => 18,
        "nitton" | "nineteen" => 19,
        "tjugo" | "twenty" => 20,
        "trettio" | "thirty" => 30,
        "fyrtio" | "forty" => 40,
        "femtio" | "fifty" => 50,
        "sextio" | "sixty" => 60,
        "nittio" | "ninety" => 90,
        "hundra" | "hundred" => 100,
        _ => return None,
    };
    Some(f64::from(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenated_line_break_is_joined_and_mapped_back() {
        let original = "Det är osanno-\n  likt att bristen";
        let n = Normalized::new(original);
        assert_eq!(n.text, "det är osannolikt att bristen");
        let start = n.text.find("osannolikt").unwrap();
        let (s, e) = n.original_span(start, start + "osannolikt".len(), original);
        assert_eq!(&original[s..e], "osanno-\n  likt");
    }

    #[test]
    fn the_quick_path_gives_what_the_general_one_gives() {
        for original in [
            "Nämnden SKA\tpröva\nansökan.",
            "Ägaren\u{b}ÅTERBETALAR İstanbul Σ beloppet",
            "Pengar utbetalas - direkt",
            "utan\u{a0}kontroll",
            "osanno-\r\nlikt",
            "  två  mellanslag ",
            "vid behov",
        ] {
            let quick = Normalized::new(original);
            let general = Normalized::remapped(original);
            assert_eq!(quick.text, general.text, "{original:?}");
            for (start, _) in general.text.char_indices() {
                let end = general.text.len();
                assert_eq!(
                    quick.original_span(start, end, original),
                    general.original_span(start, end, original),
                    "{original:?} at {start}"
                );
            }
        }
    }

    #[test]
    fn conjunction_after_hyphen_keeps_the_hyphen() {
        let n = Normalized::new("hälso-\noch sjukvård");
        assert_eq!(n.text, "hälso- och sjukvård");
    }

    #[test]
    fn white_space_runs_collapse_and_plain_text_is_borrowed() {
        assert_eq!(Normalized::new("Vid\n\nBEHOV").text, "vid behov");
        assert_eq!(Normalized::new("ÅTERKRAV").text, "återkrav");
        assert!(matches!(
            Normalized::new("vid behov").text,
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn numbers_in_digits_and_words() {
        assert_eq!(parse_number("10 000"), Some(10_000.0));
        assert_eq!(parse_number("ett"), Some(1.0));
        assert_eq!(parse_number("Tolv"), Some(12.0));
        assert_eq!(parse_number("tredje"), Some(3.0));
        assert_eq!(parse_number("1,5"), Some(1.5));
        assert_eq!(parse_number("många"), None);
    }

    #[test]
    fn white_space_in_a_pattern_becomes_a_literal_space_outside_classes() {
        assert_eq!(
            literal_spaces(r"i\s+förekommande\s+fall"),
            "i förekommande fall"
        );
        assert_eq!(literal_spaces(r"a\s*b\s?c\sd"), "a ?b ?c d");
        assert_eq!(literal_spaces(r"[\s,]+x\\s+"), r"[\s,]+x\\s+");
        assert_eq!(literal_spaces(r"[^\]\s]\s+y"), r"[^\]\s] y");
        let re = regex::Regex::new(&literal_spaces(r"vid\s+behov\s*,?\s+kan")).unwrap();
        assert!(re.is_match("vid behov , kan") && re.is_match("vid behov kan"));
    }

    #[test]
    fn term_syntax_rejects_inner_wildcards() {
        assert!(term_source("osanno*likt").is_err());
        assert!(term_source("  ").is_err());
        assert!(matches!(term_source("/a+b/").unwrap(), TermSource::Raw(r) if r == "a+b"));
        assert!(matches!(
            term_source("*kontroll*").unwrap(),
            TermSource::Words {
                lead: true,
                tail: Tail::Open,
                ..
            }
        ));
    }
}
