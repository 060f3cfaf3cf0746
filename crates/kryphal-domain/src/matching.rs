//! Text as screening and search read it.
//!
//! A document can hide a word from a pattern without hiding it from a
//! reader: a zero-width space inside `osannolikt`, a Cyrillic `о` in place
//! of the Latin `o`, an `ä` written as `a` plus a combining diaeresis. The
//! reader sees the word; a regular expression or an index does not. Before
//! a clause is screened or indexed it is read through [`for_matching`]:
//!
//! - composed to Unicode NFC (`a` + U+0308 → `ä`);
//! - invisible format characters removed ([`is_invisible`]: zero-width
//!   spaces and joiners, direction marks and overrides, the word joiner,
//!   the byte-order mark, tag characters, variation selectors, Hangul
//!   fillers, the soft hyphen);
//! - in a word that also has Latin letters, Cyrillic and Greek letters
//!   that look like Latin ones, and full-width Latin letters, replaced by
//!   the Latin letter ([`latin_look_alike`]).
//!
//! The stored text is never changed: this is a reading aid. Positions found
//! in the matching text map back to the original text
//! ([`Matching::original_range`]), so a highlight lands on the words as the
//! document wrote them. [`Matching::hidden`] says whether the text hid
//! something that way (an invisible character between two letters, a
//! look-alike letter in a Latin word): the app makes that a suggestion of
//! its own. A soft hyphen is a hyphenation hint, not hiding, and does not
//! count.
//!
//! Pure functions, no IO.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// A text read for matching, with the way back to the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matching<'a> {
    text: Cow<'a, str>,
    /// Per byte of `text`: the original byte range of the character (or
    /// composed sequence) it came from. `None` when the text is unchanged.
    map: Option<Vec<(u32, u32)>>,
    hidden: bool,
    /// The original byte ranges of the words that hid something.
    hiding: Vec<(usize, usize)>,
}

impl<'a> Matching<'a> {
    /// The text to match against.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text to match against, owned.
    pub fn into_text(self) -> Cow<'a, str> {
        self.text
    }

    /// Whether the text was changed at all.
    pub fn changed(&self) -> bool {
        self.map.is_some()
    }

    /// Whether the text hid something from matching: an invisible
    /// character between two letters, or a look-alike letter in a Latin word.
    pub fn hidden(&self) -> bool {
        self.hidden
    }

    /// The original byte ranges of the words that hid something, in order.
    pub fn hiding_words(&self) -> &[(usize, usize)] {
        &self.hiding
    }

    /// The original byte range of the matching text's range `start..end`
    /// (byte offsets; clamped to the text).
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let Some(map) = &self.map else {
            return (start, end);
        };
        if map.is_empty() {
            return (0, 0);
        }
        let start = start.min(map.len() - 1);
        let end = end.clamp(start + 1, map.len());
        (map[start].0 as usize, map[end - 1].1 as usize)
    }
}

/// The text `s` as screening and search read it (see the module docs).
pub fn matching_text(s: &str) -> Cow<'_, str> {
    for_matching(s).into_text()
}

/// Whether `s` hides words from matching: an invisible character between
/// two letters, or a Cyrillic, Greek or full-width look-alike inside a
/// word of Latin letters.
pub fn hidden_characters(s: &str) -> bool {
    for_matching(s).hidden()
}

/// Invisible characters that change nothing a reader sees: format
/// characters (Unicode category Cf) and a few others that render as nothing.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                      // soft hyphen
        | '\u{034F}'                    // combining grapheme joiner
        | '\u{061C}'                    // Arabic letter mark
        | '\u{115F}' | '\u{1160}'       // Hangul fillers
        | '\u{17B4}' | '\u{17B5}'       // Khmer inherent vowels
        | '\u{180B}'..='\u{180F}'       // Mongolian variation selectors, vowel separator
        | '\u{200B}'..='\u{200F}'       // zero-width space, (non-)joiner, direction marks
        | '\u{202A}'..='\u{202E}'       // direction embeddings and overrides
        | '\u{2060}'..='\u{2064}'       // word joiner, invisible operators
        | '\u{2066}'..='\u{206F}'       // direction isolates, deprecated format characters
        | '\u{3164}'                    // Hangul filler
        | '\u{FE00}'..='\u{FE0F}'       // variation selectors
        | '\u{FEFF}'                    // zero-width no-break space (BOM)
        | '\u{FFA0}'                    // half-width Hangul filler
        | '\u{1BCA0}'..='\u{1BCA3}'     // shorthand format controls
        | '\u{1D173}'..='\u{1D17A}'     // musical format controls
        | '\u{E0000}'..='\u{E007F}'     // tag characters
        | '\u{E0100}'..='\u{E01EF}'     // variation selectors supplement
    )
}

/// The Latin letter a Cyrillic, Greek or full-width letter looks like.
pub fn latin_look_alike(c: char) -> Option<char> {
    let latin = match c {
        // Cyrillic, lower case
        'а' => 'a',
        'е' => 'e',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'у' => 'y',
        'х' => 'x',
        'і' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'һ' => 'h',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'ӏ' => 'l',
        'ӓ' => 'ä',
        'ӧ' => 'ö',
        'ё' => 'ë',
        // Cyrillic, upper case
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'Х' => 'X',
        'У' => 'Y',
        'І' => 'I',
        'Ј' => 'J',
        'Ѕ' => 'S',
        'Ӓ' => 'Ä',
        'Ӧ' => 'Ö',
        'Ԛ' => 'Q',
        'Ԝ' => 'W',
        // Greek
        'α' => 'a',
        'ο' => 'o',
        'ν' => 'v',
        'ρ' => 'p',
        'ι' => 'i',
        'κ' => 'k',
        'υ' => 'u',
        'χ' => 'x',
        'Α' => 'A',
        'Β' => 'B',
        'Ε' => 'E',
        'Ζ' => 'Z',
        'Η' => 'H',
        'Ι' => 'I',
        'Κ' => 'K',
        'Μ' => 'M',
        'Ν' => 'N',
        'Ο' => 'O',
        'Ρ' => 'P',
        'Τ' => 'T',
        'Υ' => 'Y',
        'Χ' => 'X',
        // Full-width Latin letters and digits
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(c as u32 - 0xFF10 + 0x30)?
        }
        _ => return None,
    };
    Some(latin)
}

/// A letter of the Latin script (ASCII, Latin-1, Latin Extended).
fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (('\u{00C0}'..='\u{024F}').contains(&c) && c != '×' && c != '÷')
        || ('\u{1E00}'..='\u{1EFF}').contains(&c)
}

/// Reads `s` for matching (see the module docs).
pub fn for_matching(s: &str) -> Matching<'_> {
    // Fast path: plain ASCII has nothing to compose, hide or confuse.
    if s.is_ascii() {
        return unchanged(s);
    }
    // 1. NFC, one composed sequence (a starter and the marks after it) at a
    //    time, remembering where each came from; invisible characters out.
    struct Piece {
        c: char,
        from: (u32, u32),
    }
    let mut pieces: Vec<Piece> = Vec::with_capacity(s.len());
    let mut dropped_between: Vec<usize> = Vec::new(); // indices in `pieces` after which a character was dropped
    let mut changed = false;
    let mut seq_start: Option<usize> = None;
    let flush = |start: usize, end: usize, pieces: &mut Vec<Piece>, changed: &mut bool| {
        let seq = &s[start..end];
        let before = pieces.len();
        for c in seq.nfc() {
            pieces.push(Piece {
                c,
                from: (start as u32, end as u32),
            });
        }
        if pieces.len() - before != seq.chars().count() || !seq.chars().eq(seq.nfc()) {
            *changed = true;
        }
    };
    for (i, c) in s.char_indices() {
        if is_invisible(c) {
            if let Some(st) = seq_start.take() {
                flush(st, i, &mut pieces, &mut changed);
            }
            if c != '\u{00AD}' {
                dropped_between.push(pieces.len());
            }
            changed = true;
            continue;
        }
        let starter = canonical_combining_class(c) == 0;
        match seq_start {
            Some(st) if starter => {
                flush(st, i, &mut pieces, &mut changed);
                seq_start = Some(i);
            }
            Some(_) => {}
            None => seq_start = Some(i),
        }
    }
    if let Some(st) = seq_start {
        flush(st, s.len(), &mut pieces, &mut changed);
    }
    // Hidden: an invisible character with a letter on each side.
    let mut hidden_at: Vec<usize> = dropped_between
        .iter()
        .copied()
        .filter(|&k| {
            k > 0
                && k < pieces.len()
                && pieces[k - 1].c.is_alphabetic()
                && pieces[k].c.is_alphabetic()
        })
        .collect();
    // 2. Look-alikes in words that also have Latin letters.
    let mut k = 0;
    while k < pieces.len() {
        if !pieces[k].c.is_alphabetic() {
            k += 1;
            continue;
        }
        let start = k;
        while k < pieces.len() && pieces[k].c.is_alphabetic() {
            k += 1;
        }
        let word = &mut pieces[start..k];
        let has_latin = word.iter().any(|p| is_latin(p.c));
        let alikes = word.iter().any(|p| latin_look_alike(p.c).is_some());
        if has_latin && alikes {
            for p in word.iter_mut() {
                if let Some(l) = latin_look_alike(p.c) {
                    p.c = l;
                }
            }
            changed = true;
            hidden_at.push(start);
        }
    }
    if !changed {
        return unchanged(s);
    }
    let mut text = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len());
    for p in &pieces {
        text.push(p.c);
        for _ in 0..p.c.len_utf8() {
            map.push(p.from);
        }
    }
    // The words around each hiding place, in original offsets.
    hidden_at.sort_unstable();
    hidden_at.dedup();
    let mut hiding: Vec<(usize, usize)> = Vec::new();
    for k in hidden_at {
        let k = k.min(pieces.len().saturating_sub(1));
        let mut a = k;
        while a > 0 && pieces[a - 1].c.is_alphabetic() {
            a -= 1;
        }
        let mut b = k;
        while b < pieces.len() && pieces[b].c.is_alphabetic() {
            b += 1;
        }
        if b > a {
            let range = (pieces[a].from.0 as usize, pieces[b - 1].from.1 as usize);
            if hiding.last() != Some(&range) {
                hiding.push(range);
            }
        }
    }
    Matching {
        text: Cow::Owned(text),
        map: Some(map),
        hidden: !hiding.is_empty(),
        hiding,
    }
}

fn unchanged(s: &str) -> Matching<'_> {
    Matching {
        text: Cow::Borrowed(s),
        map: None,
        hidden: false,
        hiding: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(original: &str, expected: &str, hidden: bool) {
        let m = for_matching(original);
        assert_eq!(m.text(), expected, "{original:?}");
        assert_eq!(m.hidden(), hidden, "{original:?}");
        assert_eq!(matching_text(original), expected);
        assert_eq!(hidden_characters(original), hidden);
    }

    #[test]
    fn plain_text_is_borrowed_and_unchanged() {
        let m = for_matching("Det är osannolikt att kontroll sker.");
        assert!(!m.changed());
        assert!(matches!(m.into_text(), Cow::Borrowed(_)));
        let m = for_matching("plain ascii");
        assert_eq!(m.original_range(0, 5), (0, 5));
    }

    #[test]
    fn invisible_characters_inside_words_are_removed_and_flagged() {
        check("det är osanno\u{200B}likt", "det är osannolikt", true);
        check("egen\u{2060}försäkran", "egenförsäkran", true);
        check("\u{FEFF}kontroll\u{200D}", "kontroll", false);
        // Between words a zero-width space hides nothing.
        check("två\u{200B} ord", "två ord", false);
        // A soft hyphen is a hyphenation hint.
        check("egen\u{AD}kontroll", "egenkontroll", false);
        check("ett \u{202E}omvänt", "ett omvänt", false);
    }

    #[test]
    fn look_alike_letters_in_latin_words_become_latin() {
        // Cyrillic о and а in a Swedish word.
        check("det är \u{43E}sannolikt", "det är osannolikt", true);
        check("k\u{43E}ntr\u{43E}ll", "kontroll", true);
        check("egenf\u{4E7}rs\u{4D3}kran", "egenförsäkran", true);
        // Greek omicron.
        check("\u{3BF}sannolikt", "osannolikt", true);
        // Full-width.
        check("ｋontroll", "kontroll", true);
        // A word wholly in Cyrillic is Russian, not a disguise.
        check("слово осаннолик", "слово осаннолик", false);
        check("Москва och Malmö", "Москва och Malmö", false);
    }

    #[test]
    fn decomposed_letters_are_composed() {
        check("fo\u{308}rsa\u{308}kran", "försäkran", false);
        check("A\u{30A}tgärd", "Åtgärd", false);
    }

    #[test]
    fn ranges_map_back_to_the_words_as_written() {
        let original = "Det är \u{43E}sanno\u{200B}likt att k\u{43E}ntroll sker.";
        let m = for_matching(original);
        assert_eq!(m.text(), "Det är osannolikt att kontroll sker.");
        for word in ["osannolikt", "kontroll", "sker", "Det"] {
            let start = m.text().find(word).unwrap();
            let (a, b) = m.original_range(start, start + word.len());
            let back = &original[a..b];
            assert_eq!(matching_text(back), word, "{back:?}");
        }
        assert_eq!(
            m.hiding_words()
                .iter()
                .map(|&(a, b)| &original[a..b])
                .collect::<Vec<_>>(),
            vec!["\u{43E}sanno\u{200B}likt", "k\u{43E}ntroll"]
        );
        // Composed letters map back to the whole sequence.
        let decomposed = "fo\u{308}r";
        let m = for_matching(decomposed);
        assert_eq!(m.text(), "för");
        let (a, b) = m.original_range(1, 3);
        assert_eq!(&decomposed[a..b], "o\u{308}");
    }
}
