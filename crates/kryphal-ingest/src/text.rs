//! Plain text: decoding (UTF-8, or Windows-1252 when the bytes are not UTF-8)
//! and the line-based reader.
//!
//! A plain-text governing document usually has one paragraph per line (text
//! saved from Word) or paragraphs separated by blank lines with hard-wrapped
//! lines (text from e-mail or PDF). The reader joins wrapped lines, rejoins
//! words hyphenated at a line end (`an-` + `tagna` → `antagna`), recognises
//! short numbered lines as headings and reads a metadata block at the top.

use crate::{Block, IngestError, RawDocument, meta};

/// Windows-1252's characters for the bytes 0x80–0x9F (Latin-1 leaves them as controls).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// Decodes a text file: UTF-8 (a BOM is dropped), UTF-16 (with a BOM, or
/// without one when every other byte is zero, as Windows' "Unicode" text
/// is), else Windows-1252. Bytes that no text file has (NUL, most control
/// characters) make it "not text".
pub fn decode(name: &str, bytes: &[u8]) -> Result<String, IngestError> {
    if let Some(text) = utf16(name, bytes)? {
        return Ok(text);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let controls = bytes
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    if bytes.contains(&0) || controls * 100 > bytes.len().max(1) {
        return Err(IngestError::NotText {
            name: name.to_string(),
            reason:
                "it contains binary data (control bytes), so it is probably not a text document."
                    .into(),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => Ok(bytes
            .iter()
            .map(|&b| match b {
                0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
                _ => char::from(b),
            })
            .collect()),
    }
}

/// UTF-16 text: `None` when `bytes` are not UTF-16. With a byte-order mark
/// it is UTF-16 by that mark; without one, when at least nine in ten of the
/// bytes at odd (little-endian) or even (big-endian) positions are zero, as
/// in text of Latin letters.
fn utf16(name: &str, bytes: &[u8]) -> Result<Option<String>, IngestError> {
    let (little, body) = if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (true, rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (false, rest)
    } else {
        let pairs = bytes.len() / 2;
        if pairs < 2 || !bytes.len().is_multiple_of(2) {
            return Ok(None);
        }
        let zero_at = |offset: usize| {
            bytes
                .iter()
                .skip(offset)
                .step_by(2)
                .filter(|b| **b == 0)
                .count()
        };
        let (odd, even) = (zero_at(1), zero_at(0));
        if odd * 10 >= pairs * 9 && even * 10 < pairs {
            (true, bytes)
        } else if even * 10 >= pairs * 9 && odd * 10 < pairs {
            (false, bytes)
        } else {
            return Ok(None);
        }
    };
    let units = body.chunks_exact(2).map(|c| {
        if little {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or('\u{FFFD}'))
        .collect();
    let controls = text
        .chars()
        .filter(|&c| c < ' ' && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}'))
        .count();
    if text.contains('\0') || controls * 100 > text.len().max(1) || !body.len().is_multiple_of(2) {
        return Err(IngestError::NotText {
            name: name.to_string(),
            reason: "it starts like UTF-16 text but its characters are not text, so it is probably not a text document.".into(),
        });
    }
    Ok(Some(text))
}

/// Joins two lines of one paragraph, rejoining a word hyphenated at the break.
pub(crate) fn join_wrapped(acc: &mut String, next: &str) {
    let next = next.trim_start();
    if next.trim().is_empty() {
        return;
    }
    if acc.is_empty() {
        acc.push_str(next);
        return;
    }
    // `vård-` + `och omsorg` keeps its hyphen: a compound shortened before a conjunction.
    let first_word = next.split_whitespace().next().unwrap_or("");
    let conjunction = matches!(
        first_word.trim_end_matches([',', '.']),
        "och" | "eller" | "samt" | "respektive" | "resp." | "till" | "som"
    );
    let hyphenated = acc.ends_with('-')
        && acc[..acc.len() - 1]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphabetic())
        && next.chars().next().is_some_and(|c| c.is_lowercase())
        && !conjunction;
    if hyphenated {
        acc.pop();
    } else if acc.ends_with('\u{AD}') {
        acc.pop();
        return acc.push_str(next);
    } else {
        acc.push(' ');
    }
    acc.push_str(next);
}

/// Reads decoded text into blocks.
pub fn read(text: &str) -> RawDocument {
    let text = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\u{AD}', "")
        // docx2txt writes footnote markers as `[footnoteRef:2]`.
        .replace("[footnoteRef:", "[");
    let mut doc = RawDocument::default();
    let all: Vec<&str> = text.lines().collect();
    let first_line = all
        .iter()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.trim().to_string());
    let lines = clean_lines(&all, &mut doc.meta);
    let body_start = meta::read_leading_metadata(&lines, &mut doc.meta);
    if body_start > 0
        && doc.meta.title.is_empty()
        && let Some(first) = first_line
        && first.chars().count() <= 120
    {
        doc.meta.title = first;
    }
    let flat = crate::flat::analyse(&lines[body_start..], false);
    crate::markdown::adopt_cover(&mut doc.meta, &flat);
    doc.toc = flat.toc.clone();
    let body: Vec<&str> = lines[body_start..].iter().map(|l| l.trim()).collect();
    let wrapped = is_hard_wrapped(&body);
    // Paragraphs: a blank line ends one; so does a line that starts a new
    // numbered point, a heading or list item the analysis found, and a line
    // that ends a sentence when the next begins with a capital
    // (one-paragraph-per-line text).
    let mut current = String::new();
    let mut item = false;
    let flush = |current: &mut String, item: &mut bool, blocks: &mut Vec<Block>| {
        if !current.trim().is_empty() {
            let text = current.trim().to_string();
            blocks.push(if *item {
                Block::ListItem {
                    depth: 1,
                    label: "•".into(),
                    text,
                }
            } else {
                Block::Paragraph { text }
            });
        }
        current.clear();
        *item = false;
    };
    let wrapped_width = wrapped.unwrap_or(0);
    let wrapped = wrapped.is_some();
    let mut last_len = 0usize;
    for line in &flat.lines {
        let trimmed = line.text.trim();
        match line.kind {
            crate::flat::Kind::Drop => continue,
            crate::flat::Kind::Blank => {
                flush(&mut current, &mut item, &mut doc.blocks);
                continue;
            }
            crate::flat::Kind::Heading(level) | crate::flat::Kind::Marked(level) => {
                flush(&mut current, &mut item, &mut doc.blocks);
                doc.blocks.push(Block::Heading {
                    level,
                    text: trimmed.to_string(),
                });
                continue;
            }
            crate::flat::Kind::Bullet => {
                flush(&mut current, &mut item, &mut doc.blocks);
                item = true;
                current.push_str(trimmed);
                last_len = trimmed.chars().count();
                continue;
            }
            crate::flat::Kind::Text => {}
        }
        let sentence_break = ends_sentence(&current)
            && starts_upper(trimmed)
            && (!wrapped || last_len * 100 < wrapped_width * 85);
        let starts_new = current.is_empty()
            || crate::structure::leading_number(trimmed).is_some()
            || looks_like_heading(trimmed)
            || (looks_like_heading(current.trim()) && !starts_lower(trimmed))
            || sentence_break;
        last_len = trimmed.chars().count();
        if starts_new {
            flush(&mut current, &mut item, &mut doc.blocks);
        }
        join_wrapped(&mut current, trimmed);
    }
    flush(&mut current, &mut item, &mut doc.blocks);
    if doc.meta.title.is_empty() {
        // A first short line that is not a clause is the title.
        if let Some(Block::Paragraph { text } | Block::Heading { text, .. }) = doc.blocks.first()
            && text.chars().count() <= 120
            && !ends_sentence(text)
            && crate::structure::leading_number(text).is_none()
        {
            doc.meta.title = text.clone();
            doc.blocks.remove(0);
        }
    }
    if doc.meta.title.is_empty() && !doc.meta.doc_type.is_empty() {
        // A cover that names only the kind of document.
        doc.meta.title = doc.meta.doc_type.clone();
    }
    doc
}

/// Lines of a text converted from a PDF, with page furniture, template
/// checklists and colon-less cover metadata (`Dnr` / `KS/2013:635`) taken out.
pub(crate) fn clean_lines<'a>(lines: &[&'a str], meta: &mut crate::DocumentMeta) -> Vec<&'a str> {
    let used = meta::read_cover_lines(lines, meta);
    let furniture = crate::furniture::running_text_lines(lines);
    // The checklist of document kinds on a municipal cover sheet.
    const KINDS: [&str; 9] = [
        "Strategi",
        "Program",
        "Plan",
        "Policy",
        "Riktlinjer",
        "Riktlinje",
        "Regler",
        "Handlingsplan",
        "Instruktion",
    ];
    let mut kind_run = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j < lines.len() && KINDS.contains(&lines[j].trim()) {
            j += 1;
        }
        if j - i >= 4 {
            kind_run[i..j].iter_mut().for_each(|k| *k = true);
        }
        i = j.max(i + 1);
    }
    lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !furniture[*i] && !kind_run[*i] && !used.contains(i))
        .map(|(_, l)| *l)
        .collect()
}

/// Text hard-wrapped at a fixed width (from a PDF or e-mail): many lines are
/// almost as long as the longest. Returns that width.
fn is_hard_wrapped(lines: &[&str]) -> Option<usize> {
    wrap_width(lines, 4)
}

/// The width text is hard-wrapped at, when at least `tenths`/10 of its lines
/// come within 80 % of the longest; `None` for one paragraph per line (text
/// saved from Word).
pub(crate) fn wrap_width(lines: &[&str], tenths: usize) -> Option<usize> {
    let lens: Vec<usize> = lines
        .iter()
        .map(|l| l.trim().chars().count())
        .filter(|n| *n > 0)
        .collect();
    let max = lens.iter().copied().max()?;
    if lens.len() < 8 || !(40..=140).contains(&max) {
        return None;
    }
    let near = lens.iter().filter(|n| **n * 100 >= max * 80).count();
    (near * 10 >= lens.len() * tenths).then_some(max)
}

fn ends_sentence(s: &str) -> bool {
    matches!(
        s.trim_end().chars().last(),
        Some('.' | ':' | ';' | '!' | '?')
    )
}

fn starts_lower(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_lowercase)
}

fn starts_upper(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// A short line with a decimal number and no closing full stop, such as
/// `3. Ansökan om auktorisation` or `2.1 Ekonomi`, is a heading.
fn looks_like_heading(line: &str) -> bool {
    if line.chars().count() > 90 || ends_sentence(line) {
        return false;
    }
    match crate::structure::leading_number(line) {
        Some((crate::structure::Number::Decimal(_), rest)) => starts_upper(rest),
        Some((crate::structure::Number::Chapter(_), rest)) => !rest.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(doc: &RawDocument) -> Vec<String> {
        doc.blocks
            .iter()
            .map(|b| match b {
                Block::Heading { level, text } => format!("H{level} {text}"),
                Block::Paragraph { text } => text.clone(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn windows_1252_is_detected_and_converted() {
        let bytes = b"Leverant\xf6ren ska l\xe4mna \x93intyg\x94 \x96 senast";
        assert_eq!(
            decode("a.txt", bytes).unwrap(),
            "Leverantören ska lämna “intyg” – senast"
        );
    }

    #[test]
    fn utf8_bom_is_dropped_and_binary_refused() {
        assert_eq!(
            decode("a.txt", "\u{FEFF}Åtgärd".as_bytes()).unwrap(),
            "Åtgärd"
        );
        let err = decode("a.txt", b"PK\x03\x04\x00\x00binary").unwrap_err();
        assert!(err.to_string().contains("not a text file"), "{err}");
    }

    #[test]
    fn wrapped_lines_join_and_hyphenated_words_are_rejoined() {
        let doc = read(
            "Titel\n\nDen av fullmäktige an-\ntagna policyn gäller alla\nanställda.\n\nNytt stycke.",
        );
        assert_eq!(
            paragraphs(&doc),
            vec![
                "Den av fullmäktige antagna policyn gäller alla anställda.",
                "Nytt stycke."
            ]
        );
        assert_eq!(doc.meta.title, "Titel");
    }

    #[test]
    fn a_hyphen_before_a_capital_or_number_is_kept() {
        let mut s = String::from("Vård-");
        join_wrapped(&mut s, "Omsorg");
        assert_eq!(s, "Vård- Omsorg");
        let mut s = String::from("Vård-");
        join_wrapped(&mut s, "och omsorgsnämnden");
        assert_eq!(s, "Vård- och omsorgsnämnden");
        let mut s = String::from("tjänsteut-");
        join_wrapped(&mut s, "övning");
        assert_eq!(s, "tjänsteutövning");
    }

    #[test]
    fn numbered_lines_start_paragraphs_for_the_structure_to_judge() {
        let doc =
            read("Policy\n\n3. Ansökan\n3.1 Sökanden ska lämna\nuppgifter.\n3.2 Nämnden prövar.\n");
        assert_eq!(
            paragraphs(&doc),
            vec![
                "3. Ansökan",
                "3.1 Sökanden ska lämna uppgifter.",
                "3.2 Nämnden prövar."
            ]
        );
    }
}
