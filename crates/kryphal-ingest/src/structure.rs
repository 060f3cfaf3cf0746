//! From blocks to the outline: numbering, sections, clauses, labels, ids.

use std::collections::HashMap;

use kryphal_domain::{Clause, ClauseKind, DocumentMeta, Outline, Section};
use sha2::{Digest, Sha256};

use crate::Block;

/// A number a paragraph or heading starts with, as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Number {
    /// `4.`, `4.2`, `2.1.1` (a lone integer needs its full stop: `4.`).
    Decimal(String),
    /// `3 §`, `3 a §`.
    Paragraph(String),
    /// `2 kap.`
    Chapter(String),
    /// `punkt 16`.
    Point(String),
    /// `a)`, `1)`.
    Letter(String),
}

impl Number {
    fn printed(&self) -> &str {
        match self {
            Number::Decimal(s)
            | Number::Paragraph(s)
            | Number::Chapter(s)
            | Number::Point(s)
            | Number::Letter(s) => s,
        }
    }
}

/// Recognises the number a line starts with; returns it and the rest of the line.
pub fn leading_number(line: &str) -> Option<(Number, &str)> {
    let line = line.trim_start();
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits <= 3 {
        let after = &line[digits..];
        // `3 §`, `3§`, `3 a §` — but `8 § första stycket …` at the start of a
        // line is a reference: a paragraph's own text starts with a capital.
        if let Some(rest) = after.strip_prefix(" §").or_else(|| after.strip_prefix('§')) {
            if rest.starts_with('§') || !starts_own_text(rest) {
                return None;
            }
            return Some((
                Number::Paragraph(format!("{} §", &line[..digits])),
                rest.trim_start(),
            ));
        }
        let mut chars = after.chars();
        if let (Some(' '), Some(letter), Some(' ')) = (chars.next(), chars.next(), chars.next())
            && let Some(rest) = chars.as_str().strip_prefix('§')
            && letter.is_ascii_lowercase()
            && starts_own_text(rest)
        {
            return Some((
                Number::Paragraph(format!("{} {letter} §", &line[..digits])),
                rest.trim_start(),
            ));
        }
        if let Some(rest) = after.strip_prefix(" kap.") {
            // `7 kap. 1 §.` is a reference, not a chapter heading.
            let r = rest.trim_start();
            if r.starts_with(|c: char| {
                c.is_ascii_digit() || c.is_lowercase() || c == '.' || c == ','
            }) {
                return None;
            }
            return Some((
                Number::Chapter(format!("{} kap.", &line[..digits])),
                rest.trim_start(),
            ));
        }
        if let Some(rest) = after.strip_prefix(')')
            && rest.starts_with(' ')
        {
            return Some((
                Number::Letter(format!("{})", &line[..digits])),
                rest.trim_start(),
            ));
        }
        // Decimal: digits ( '.' digits )* '.'? followed by whitespace.
        let mut end = digits;
        let bytes = line.as_bytes();
        let mut groups = 1;
        while end < bytes.len() && bytes[end] == b'.' {
            let more = bytes[end + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if more == 0 || more > 3 {
                break;
            }
            end += 1 + more;
            groups += 1;
        }
        let trailing_dot = bytes.get(end) == Some(&b'.');
        let number_end = if trailing_dot { end + 1 } else { end };
        let followed_by_space = line[number_end..].starts_with([' ', '\t']);
        if followed_by_space && (groups > 1 || trailing_dot) {
            let rest = line[number_end..].trim_start();
            if !rest.is_empty() {
                return Some((Number::Decimal(line[..number_end].to_string()), rest));
            }
        }
        return None;
    }
    if let Some(rest) = line
        .strip_prefix("punkt ")
        .or_else(|| line.strip_prefix("Punkt "))
    {
        let n = rest.bytes().take_while(u8::is_ascii_digit).count();
        if n > 0 {
            let after = rest[n..].trim_start_matches(['.', ':']).trim_start();
            return Some((Number::Point(format!("punkt {}", &rest[..n])), after));
        }
    }
    if let Some(found) = word_number(line) {
        return Some(found);
    }
    let mut chars = line.chars();
    if let (Some(c), Some(')'), Some(' ')) = (chars.next(), chars.next(), chars.next())
        && c.is_lowercase()
        && c.is_alphabetic()
    {
        let len = c.len_utf8() + 1;
        return Some((
            Number::Letter(line[..len].to_string()),
            line[len..].trim_start(),
        ));
    }
    None
}

/// Words that number steps, levels and appendices in municipal documents:
/// `Steg 2`, `Nivå 1.`, `Bilaga 3:`, `Fas 2`.
const NUMBER_WORDS: [&str; 8] = [
    "Steg", "Nivå", "Bilaga", "Artikel", "Moment", "Fas", "Etapp", "Del",
];

/// `Nivå 1. Ges till …` → (`Nivå 1.`, `Ges till …`); `Steg 2` alone → (`Steg 2`, ``).
/// The number must stand alone or be followed by `.`/`:` and text that
/// starts a sentence: `Steg 2 innebär …` is running text.
fn word_number(line: &str) -> Option<(Number, &str)> {
    let word = NUMBER_WORDS.iter().find(|w| {
        line.strip_prefix(**w)
            .is_some_and(|r| r.starts_with(' ') && r[1..].starts_with(|c: char| c.is_ascii_digit()))
    })?;
    let rest = &line[word.len() + 1..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 3 {
        return None;
    }
    let after = &rest[digits..];
    let (mark, body) = match after.chars().next() {
        None => ("", ""),
        Some(c @ ('.' | ':')) => (if c == '.' { "." } else { "" }, after[1..].trim_start()),
        Some(_) => return None,
    };
    if !body.is_empty() && !starts_own_text(&after[1..]) {
        return None;
    }
    Some((
        Number::Point(format!("{word} {}{mark}", &rest[..digits])),
        body,
    ))
}

/// The text after a paragraph number starts the paragraph's own text: it is
/// empty (a `#### 3 §` heading) or starts with a capital, digit or quote.
fn starts_own_text(rest: &str) -> bool {
    let r = rest.trim_start();
    match r.chars().next() {
        None => true,
        Some(c) => {
            (c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '”' | '“' | '('))
                && (rest.is_empty() || rest.starts_with([' ', '\t', '\u{a0}']))
        }
    }
}

/// `Till 7 §`, `Till 7 och 8 §§`, `Till 3 a §`: headings of general advice
/// (allmänna råd) that refer to a paragraph; they are not clauses.
pub fn is_advice_heading(text: &str) -> bool {
    let t = text.trim();
    let Some(rest) = t.strip_prefix("Till ") else {
        return false;
    };
    t.chars().count() <= 40
        && (rest.ends_with(" §") || rest.ends_with(" §§") || rest.ends_with("kap."))
        && rest.starts_with(|c: char| c.is_ascii_digit())
}

/// Splits a run-in advice heading off its text: `Till 7 § Papperslim …`
/// → (`Till 7 §`, `Papperslim …`).
fn split_advice(text: &str) -> Option<(&str, &str)> {
    let t = text.trim();
    let rest = t.strip_prefix("Till ")?;
    let end = rest.find("§ ")? + "§".len();
    let head = &t[..5 + end];
    let body = t[5 + end..].trim_start();
    (is_advice_heading(head) && body.starts_with(char::is_uppercase)).then_some((head, body))
}

/// A heading that is only a paragraph number (`#### 3 §`, `#### 3 a §`),
/// also when a conversion left debris before it (`#### /24/ 11 §`).
pub fn paragraph_heading(text: &str) -> Option<String> {
    let t = text.trim();
    let body = t.strip_suffix('§')?.trim_end();
    let mut words: Vec<&str> = body.rsplit(' ').take(2).collect();
    words.reverse();
    let (n, letter) = match words.as_slice() {
        [n, l] if l.len() == 1 && l.chars().all(|c| c.is_ascii_lowercase()) => (*n, Some(*l)),
        [.., n] => (*n, None),
        _ => return None,
    };
    if n.is_empty() || n.len() > 3 || !n.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(match letter {
        Some(l) => format!("{n} {l} §"),
        None => format!("{n} §"),
    })
}

/// Lower-case, single-spaced text: what a clause id is derived from.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

fn short_hash(text: &str) -> String {
    let digest = Sha256::digest(normalise(text).as_bytes());
    hex::encode(&digest[..4])
}

/// The id a clause with `text` gets in a document of `lineage` (before the
/// `-2`, `-3` … that tell repeated texts apart). Used when the user splits a
/// clause, so that a split part has the id an import of its text would give.
pub fn clause_id(lineage: &str, text: &str) -> String {
    format!("{lineage}-{}", short_hash(text))
}

/// Hands out ids, adding `-2`, `-3` … when the same text occurs again.
#[derive(Default)]
struct Ids(HashMap<String, u32>);

impl Ids {
    fn next(&mut self, base: String) -> String {
        let n = self.0.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 { base } else { format!("{base}-{n}") }
    }
}

/// The parts of a decimal number: `7.1.` → [7, 1].
fn number_parts(number: &str) -> Option<Vec<u32>> {
    number
        .trim_end_matches('.')
        .split('.')
        .map(|p| p.parse().ok())
        .collect()
}

/// Text that runs on into what follows it: it ends in a colon or in a word
/// that cannot end a heading (`… avses ett kontrakt som`, `… ska med
/// myndighet jämställas` is fine, `… avses med` is not).
pub(crate) fn is_lead_in(text: &str) -> bool {
    let t = text.trim_end();
    if t.ends_with([':', ',', '–', '-']) {
        return true;
    }
    let last = t
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .to_lowercase();
    matches!(
        last.as_str(),
        "som"
            | "att"
            | "och"
            | "eller"
            | "av"
            | "för"
            | "med"
            | "till"
            | "i"
            | "på"
            | "om"
            | "de"
            | "den"
            | "det"
            | "en"
            | "ett"
            | "samt"
            | "vid"
            | "enligt"
            | "från"
            | "under"
            | "genom"
            | "mellan"
            | "inom"
            | "utan"
            | "än"
            | "när"
            | "där"
            | "vilka"
            | "vilket"
    )
}

/// A paragraph shaped like a numbered heading: `7. Kommunens yttersta ansvar
/// …` — a decimal number, then a title that starts with a capital and does
/// not end like a sentence or a lead-in. Returns the number's parts.
fn heading_shaped(text: &str) -> Option<Vec<u32>> {
    let (Number::Decimal(d), rest) = leading_number(text)? else {
        return None;
    };
    let rest = rest.trim();
    let fits = rest.starts_with(char::is_uppercase)
        && rest.chars().count() <= 200
        && !rest.ends_with(['.', ';', ','])
        && !is_lead_in(rest)
        && rest.split_whitespace().count() <= 24;
    fits.then(|| number_parts(&d)).flatten()
}

/// Whether `next` continues a heading sequence whose last heading was
/// `current`: a next sibling (gaps of a few allowed, a repeated number too:
/// real documents have both), a first child, or a later top-level number.
fn continues(current: &[u32], next: &[u32]) -> bool {
    let Some((&last, parent)) = next.split_last() else {
        return false;
    };
    if current.is_empty() {
        return true;
    }
    if parent.len() > current.len() || parent != &current[..parent.len()] {
        return false;
    }
    match current.get(parent.len()) {
        Some(&was) => last >= was && last <= was + 3,
        None => last <= 2,
    }
}

/// Which blocks are numbered headings written as plain paragraphs (text
/// converted from Word or a PDF): `3. Ansökan`, `2.1 Ekonomi`. A numbered
/// line opens a section when its number continues the document's heading
/// sequence, or a table of contents lists it; a run of single-level numbered
/// lines with nothing between them is a list, not a row of chapters.
fn numbered_headings(blocks: &[Block], toc: &[String]) -> Vec<bool> {
    let mut out = vec![false; blocks.len()];
    let shaped: Vec<Option<Vec<u32>>> = blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { text } => heading_shaped(text),
            _ => None,
        })
        .collect();
    let in_toc = |text: &str| {
        let key = toc_key(text);
        !key.is_empty() && toc.contains(&key)
    };
    let mut current: Vec<u32> = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if let Block::Heading { text, .. } = block {
            // Headings the reader is sure of carry the sequence too.
            if let Some((Number::Decimal(d), _)) = leading_number(text)
                && let Some(parts) = number_parts(&d)
            {
                current = parts;
            }
            continue;
        }
        let Some(parts) = &shaped[i] else { continue };
        let Block::Paragraph { text } = block else {
            continue;
        };
        // A run of single-level numbered lines with nothing between them is a list.
        let single = |k: usize| {
            shaped
                .get(k)
                .is_some_and(|n| n.as_ref().is_some_and(|n| n.len() == 1))
        };
        let in_run = parts.len() == 1 && (single(i + 1) || (i > 0 && single(i - 1)));
        let listed = !toc.is_empty() && in_toc(text);
        let heading = listed
            || (continues(&current, parts)
                && !in_run
                // A deeper level needs its parent as a heading.
                && (parts.len() == 1 || current.len() + 1 >= parts.len()));
        if heading {
            out[i] = true;
            current = parts.clone();
        }
    }
    out
}

/// How a heading is looked up in a table of contents: its words without the
/// number, lower-case, single-spaced.
pub fn toc_key(text: &str) -> String {
    let title = match leading_number(text) {
        Some((_, rest)) => rest,
        None => text,
    };
    normalise(title.trim_end_matches([':', '.']))
}

/// Builds the outline of `blocks`; ids are prefixed with `lineage`. Metadata
/// lines found in the body fill empty fields of `meta`.
pub fn build(blocks: &[Block], meta: &mut DocumentMeta, lineage: &str) -> Outline {
    build_with_toc(blocks, &[], meta, lineage)
}

/// [`build`], knowing the titles a table of contents listed ([`toc_key`] of
/// each): a plain numbered line whose title is listed there is a heading.
pub fn build_with_toc(
    blocks: &[Block],
    toc: &[String],
    meta: &mut DocumentMeta,
    lineage: &str,
) -> Outline {
    let mut b = Builder {
        lineage,
        outline: Outline::default(),
        ids: Ids::default(),
        position: 0,
        stack: Vec::new(),
        last_number: None,
        chapter: None,
        pending: None,
        paragraph_count: 0,
        bullet_count: 0,
        row_count: 0,
        bare: None,
        words: split_word_evidence(blocks),
    };
    let headings = numbered_headings(blocks, toc);
    for (block, heading) in blocks.iter().zip(headings) {
        match block {
            Block::Paragraph { text } if heading => {
                let (number, title) = match leading_number(text) {
                    Some((n, rest)) => (n.printed().to_string(), rest.to_string()),
                    None => (String::new(), text.clone()),
                };
                let level = number.trim_end_matches('.').split('.').count().min(6) as u8;
                b.section(level, number, title);
            }
            _ => b.block(block, meta),
        }
    }
    b.outline
}

struct Builder<'a> {
    lineage: &'a str,
    outline: Outline,
    ids: Ids,
    position: u32,
    /// (heading level, section index) from the outermost heading inward.
    stack: Vec<(u8, usize)>,
    /// The last numbered clause in the current section: letters and list items hang under it.
    last_number: Option<String>,
    /// The current chapter (`2 kap.`) and the heading level it was given.
    chapter: Option<(String, u8)>,
    /// A paragraph number given by a heading of its own (`#### 3 §`).
    pending: Option<String>,
    paragraph_count: u32,
    bullet_count: u32,
    row_count: u32,
    /// The last section, when it is a bare `Bilaga 2` with nothing under it yet.
    bare: Option<(usize, u8)>,
    /// The document's words, when a word is broken mid-line somewhere.
    words: Option<std::collections::HashSet<String>>,
}

/// The whole words a document writes that could close a word broken
/// mid-line elsewhere in it (`genom- förandet` → is `genomförandet` or
/// `genom-förandet` written somewhere?); `None` when no word is broken.
fn split_word_evidence(blocks: &[Block]) -> Option<std::collections::HashSet<String>> {
    let texts = || {
        blocks.iter().flat_map(|b| match b {
            Block::Paragraph { text }
            | Block::Heading { text, .. }
            | Block::ListItem { text, .. } => {
                vec![text.as_str()]
            }
            Block::TableRow { cells } => cells.iter().map(String::as_str).collect(),
        })
    };
    // Only the few candidate forms are looked for, not every word kept.
    let mut wanted = std::collections::HashSet::new();
    for t in texts() {
        for (_, head, tail) in broken_words(t) {
            wanted.insert(format!("{head}{tail}").to_lowercase());
            wanted.insert(format!("{head}-{tail}").to_lowercase());
        }
    }
    if wanted.is_empty() {
        return None;
    }
    let lengths: std::collections::HashSet<usize> = wanted.iter().map(String::len).collect();
    let mut found = std::collections::HashSet::new();
    for w in texts().flat_map(str::split_whitespace) {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if lengths.contains(&w.len()) {
            let lower = w.to_lowercase();
            if wanted.contains(&lower) {
                found.insert(lower);
            }
        }
    }
    Some(found)
}

/// Where a word ends in a hyphen and the next word starts with a small
/// letter: (byte range of `genom- förandet`, `genom`, `förandet`).
fn broken_words(text: &str) -> impl Iterator<Item = (std::ops::Range<usize>, &str, &str)> {
    text.match_indices("- ").filter_map(move |(at, _)| {
        let head_start = text[..at]
            .rfind(|c: char| !c.is_alphabetic())
            .map_or(0, |k| {
                k + text[k..].chars().next().map_or(1, char::len_utf8)
            });
        let head = &text[head_start..at];
        let tail_start = at + 2;
        let tail_len = text[tail_start..]
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(text.len() - tail_start);
        let tail = &text[tail_start..tail_start + tail_len];
        // `vård- och omsorg`, `privat- eller offentligrättslig`: a compound
        // shortened before a conjunction is never a broken word.
        let conjunction = matches!(
            tail,
            "och" | "eller" | "samt" | "respektive" | "resp" | "som" | "men" | "utan"
        );
        (head.chars().count() >= 2
            && tail.chars().count() >= 2
            && tail.starts_with(char::is_lowercase)
            && !conjunction)
            .then_some((head_start..tail_start + tail_len, head, tail))
    })
}

/// Rejoins a word a conversion broke inside a line (`genom- förandet`), when
/// the document itself writes the whole word elsewhere (`genomförandet`, or
/// `icke-diskriminerande` with its hyphen). Without that evidence the text is
/// left as printed: `hjärt- kärlsjukdom`, `betal- och drivmedelskort`.
fn rejoin_broken_words(text: &str, words: &std::collections::HashSet<String>) -> Option<String> {
    let mut out = String::new();
    let mut from = 0;
    for (range, head, tail) in broken_words(text) {
        let closed = format!("{head}{tail}");
        let hyphened = format!("{head}-{tail}");
        let whole = if words.contains(&closed.to_lowercase()) {
            closed
        } else if words.contains(&hyphened.to_lowercase()) {
            hyphened
        } else {
            continue;
        };
        out.push_str(&text[from..range.start]);
        out.push_str(&whole);
        from = range.end;
    }
    (from > 0).then(|| {
        out.push_str(&text[from..]);
        out
    })
}

/// A heading that is only a numbering word and its number (`Bilaga 2`,
/// `Artikel 3`): the heading right under it is its title.
fn is_bare_designation(number: &str, title: &str) -> bool {
    number.is_empty() && matches!(word_number(title.trim()), Some((_, rest)) if rest.is_empty())
}

impl Builder<'_> {
    fn section(&mut self, level: u8, number: String, title: String) {
        // `## Bilaga 2` then `### Förteckning över …`: one heading.
        if let Some((i, l)) = self.bare.take()
            && level > l
            && i + 1 == self.outline.sections.len()
        {
            let sec = &mut self.outline.sections[i];
            let joined = [number.as_str(), title.as_str()]
                .iter()
                .filter(|t| !t.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            sec.title = format!("{} {joined}", sec.title);
            return;
        }
        let bare = is_bare_designation(&number, &title);
        while self.stack.last().is_some_and(|&(l, _)| l >= level) {
            self.stack.pop();
        }
        if self.chapter.as_ref().is_some_and(|(_, l)| *l >= level) {
            self.chapter = None;
        }
        if number.ends_with("kap.") {
            self.chapter = Some((number.clone(), level));
        }
        let parent_id = self
            .stack
            .last()
            .map(|&(_, i)| self.outline.sections[i].id.clone());
        let id = self.ids.next(format!(
            "{}-s{}",
            self.lineage,
            short_hash(&format!("{number} {title}"))
        ));
        self.outline.sections.push(Section {
            id,
            parent_id,
            level: (self.stack.len() + 1).min(255) as u8,
            number,
            title,
            position: self.position,
        });
        self.position += 1;
        self.stack.push((level, self.outline.sections.len() - 1));
        self.bare = bare.then(|| (self.outline.sections.len() - 1, level));
        self.last_number = None;
        self.pending = None;
        self.paragraph_count = 0;
        self.bullet_count = 0;
        self.row_count = 0;
    }

    /// How a paragraph number reads in a label: `2 kap. 3 §` inside a chapter.
    fn point(&self, number: &str) -> String {
        match &self.chapter {
            Some((chapter, _)) if number.ends_with('§') => format!("{chapter} {number}"),
            _ => point(number),
        }
    }

    /// The level for an advice heading: just below the current section, or
    /// beside the previous advice heading.
    fn advice_level(&self) -> u8 {
        match self.stack.last() {
            Some(&(l, i)) if is_advice_heading(&self.outline.sections[i].title) => l,
            Some(&(l, _)) => l.saturating_add(1).min(9),
            None => 1,
        }
    }

    fn block(&mut self, block: &Block, meta: &mut DocumentMeta) {
        let (kind, number, text, label_tail) = match block {
            Block::Heading { level, text } => {
                if crate::cover::is_designation(text) {
                    // `Dir. 2016:15` in a page's title block names the document.
                    return;
                }
                if let Some(n) = paragraph_heading(text) {
                    // `#### 3 §`: the paragraph's text follows as its clauses.
                    self.pending = Some(n);
                    self.paragraph_count = 0;
                    return;
                }
                let (number, title) = match leading_number(text) {
                    Some((n @ (Number::Decimal(_) | Number::Chapter(_)), rest)) => {
                        (n.printed().to_string(), rest.to_string())
                    }
                    _ => (String::new(), text.clone()),
                };
                self.section(*level, number, title);
                return;
            }
            Block::Paragraph { text } => {
                if crate::furniture::is_toc_line(text) {
                    return;
                }
                if let Some((k, v)) = text.split_once(':')
                    && k.chars().count() <= 40
                    && !v.trim().is_empty()
                    && v.len() < 120
                {
                    let mut probe = meta.clone();
                    if crate::meta::set_field(&mut probe, k, v) && probe != *meta {
                        *meta = probe;
                        return;
                    }
                }
                if meta.decided.is_empty()
                    && (!text.trim_end().ends_with('.') || self.outline.clauses.len() < 5)
                    && let Some(date) = crate::meta::decision_date(text)
                {
                    // `Beslut vid regeringssammanträde den 25 februari 2016`.
                    meta.decided = date;
                    return;
                }
                if let Some((head, rest)) = split_advice(text) {
                    // A run-in advice heading: `Till 7 § Papperslim som …`.
                    let level = self.advice_level();
                    self.section(level, String::new(), head.to_string());
                    return self.block(
                        &Block::Paragraph {
                            text: rest.to_string(),
                        },
                        meta,
                    );
                }
                if is_advice_heading(text) {
                    let level = self.advice_level();
                    self.section(level, String::new(), text.trim().to_string());
                    return;
                }
                if let Some(n) = self.pending.take() {
                    self.last_number = Some(n.clone());
                    self.paragraph_count = 0;
                    self.bullet_count = 0;
                    let tail = self.point(&n);
                    (ClauseKind::Numbered, n, text.clone(), tail)
                } else {
                    match leading_number(text) {
                        Some((Number::Chapter(n), rest))
                            if rest.chars().count() < 80
                                && (!rest.ends_with('.')
                                    || rest.split_whitespace().count() <= 4) =>
                        {
                            // A chapter line on its own is a heading.
                            self.section(1, n, rest.to_string());
                            return;
                        }
                        Some((Number::Letter(l), rest)) => {
                            let tail = match &self.last_number {
                                Some(parent) => format!("{} {l}", self.point(parent)),
                                None => format!("punkt {l}"),
                            };
                            (ClauseKind::ListItem, l, rest.to_string(), tail)
                        }
                        // `1.` under a paragraph (§) or point is one of its items.
                        Some((Number::Decimal(d), rest))
                            if !d.trim_end_matches('.').contains('.')
                                && self.last_number.as_ref().is_some_and(|p| {
                                    p.ends_with('§') || p.starts_with("punkt")
                                }) =>
                        {
                            let parent = self.last_number.clone().unwrap_or_default();
                            let tail = format!(
                                "{} punkt {}",
                                self.point(&parent),
                                d.trim_end_matches('.')
                            );
                            (ClauseKind::ListItem, d, rest.to_string(), tail)
                        }
                        Some((n, rest)) => {
                            let printed = n.printed().to_string();
                            self.last_number = Some(printed.clone());
                            self.bullet_count = 0;
                            let tail = self.point(&printed);
                            (ClauseKind::Numbered, printed, rest.to_string(), tail)
                        }
                        None => {
                            self.paragraph_count += 1;
                            let tail = match &self.last_number {
                                Some(parent) => {
                                    format!(
                                        "{} st. {}",
                                        self.point(parent),
                                        self.paragraph_count + 1
                                    )
                                }
                                None => format!("st. {}", self.paragraph_count),
                            };
                            (ClauseKind::Paragraph, String::new(), text.clone(), tail)
                        }
                    }
                }
            }
            Block::ListItem { label, text, .. } => {
                let (number, body) = if label == "•" || label.is_empty() {
                    self.bullet_count += 1;
                    (String::new(), text.clone())
                } else {
                    (label.clone(), text.clone())
                };
                let own = if number.is_empty() {
                    format!("strecksats {}", self.bullet_count)
                } else {
                    format!("punkt {}", number.trim_end_matches('.'))
                };
                let tail = match &self.last_number {
                    Some(parent) => format!("{} {own}", self.point(parent)),
                    None => own,
                };
                (ClauseKind::ListItem, number, body, tail)
            }
            Block::TableRow { cells } => {
                let filled: Vec<&String> = cells.iter().filter(|c| !c.trim().is_empty()).collect();
                if let [k, v] = filled.as_slice()
                    && k.trim_end().ends_with(':')
                    && k.chars().count() <= 40
                {
                    let mut probe = meta.clone();
                    if crate::meta::set_field(&mut probe, k, v) && probe != *meta {
                        *meta = probe;
                        return;
                    }
                }
                let text = filled
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(" | ");
                self.row_count += 1;
                (
                    ClauseKind::TableRow,
                    String::new(),
                    text,
                    format!("rad {}", self.row_count),
                )
            }
        };
        if text.trim().is_empty() {
            return;
        }
        let title = self
            .stack
            .last()
            .map(|&(_, i)| self.outline.sections[i].title.clone())
            .unwrap_or_default();
        let label = if title.is_empty() {
            label_tail
        } else {
            format!("{title} › {label_tail}")
        };
        self.bare = None;
        let text = match &self.words {
            Some(words) => rejoin_broken_words(&text, words).unwrap_or(text),
            None => text,
        };
        let id = self
            .ids
            .next(format!("{}-{}", self.lineage, short_hash(&text)));
        self.outline.clauses.push(Clause {
            id,
            section_id: self
                .stack
                .last()
                .map(|&(_, i)| self.outline.sections[i].id.clone()),
            number,
            label,
            kind,
            text,
            position: self.position,
        });
        self.position += 1;
        if matches!(kind, ClauseKind::Numbered) {
            self.paragraph_count = 0;
        }
    }
}

/// How a clause number reads in a label: `p. 4.2`, `3 §`, `punkt 16`.
fn point(number: &str) -> String {
    if number.ends_with('§')
        || number.starts_with("punkt")
        || number.ends_with(')')
        || number.starts_with(|c: char| c.is_alphabetic())
    {
        number.to_string()
    } else {
        format!("p. {}", number.trim_end_matches('.'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &[Block], expect: &[&str]) {
        let outline = build(input, &mut DocumentMeta::default(), "d");
        let mut lines: Vec<(u32, String)> = outline
            .sections
            .iter()
            .map(|s| {
                (
                    s.position,
                    format!(
                        "{}# {} {}",
                        " ".repeat(usize::from(s.level) - 1),
                        s.number,
                        s.title
                    ),
                )
            })
            .collect();
        lines.extend(
            outline
                .clauses
                .iter()
                .map(|c| (c.position, format!("[{}] {}", c.label, c.text))),
        );
        lines.sort();
        let got: Vec<String> = lines.into_iter().map(|(_, l)| l).collect();
        assert_eq!(got, expect);
    }

    fn h(level: u8, text: &str) -> Block {
        Block::Heading {
            level,
            text: text.into(),
        }
    }
    fn p(text: &str) -> Block {
        Block::Paragraph { text: text.into() }
    }

    #[test]
    fn numbers_are_recognised_and_references_are_not() {
        let n = |s: &str| leading_number(s).map(|(n, r)| (n.printed().to_string(), r.to_string()));
        assert_eq!(
            n("4.2 Leverantören ska"),
            Some(("4.2".into(), "Leverantören ska".into()))
        );
        assert_eq!(n("4. Krav"), Some(("4.".into(), "Krav".into())));
        assert_eq!(n("2.1.1 Ekonomi"), Some(("2.1.1".into(), "Ekonomi".into())));
        assert_eq!(n("3 § Den som"), Some(("3 §".into(), "Den som".into())));
        assert_eq!(n("3 a § Den som"), Some(("3 a §".into(), "Den som".into())));
        assert_eq!(
            n("2 kap. Upphandling"),
            Some(("2 kap.".into(), "Upphandling".into()))
        );
        assert_eq!(
            n("punkt 16. Avgifter"),
            Some(("punkt 16".into(), "Avgifter".into()))
        );
        assert_eq!(n("a) första"), Some(("a)".into(), "första".into())));
        assert_eq!(n("1) första"), Some(("1)".into(), "första".into())));
        // Not numbers of the document's own: amounts, years, dates, running text.
        assert_eq!(n("5 000 kronor betalas"), None);
        assert_eq!(n("2024 beslutade nämnden"), None);
        assert_eq!(n("2024-03-20 beslutades"), None);
        assert_eq!(n("Enligt 7 kap. 1 § gäller"), None);
        assert_eq!(n("4.2"), None);
    }

    #[test]
    fn clauses_follow_the_documents_numbering_with_labels() {
        check(
            &[
                h(2, "4. Krav på leverantören"),
                h(3, "Ekonomi och ledning"),
                p("4.1 Leverantören ska ha ordnad ekonomi."),
                p("4.2 Leverantören ska lämna:"),
                p("a) registerutdrag;"),
                p("b) årsredovisning."),
                p("Ett stycke utan nummer."),
                h(2, "5. Avtal"),
                p("Löptext i avsnittet."),
            ],
            &[
                "# 4. Krav på leverantören",
                " #  Ekonomi och ledning",
                "[Ekonomi och ledning › p. 4.1] Leverantören ska ha ordnad ekonomi.",
                "[Ekonomi och ledning › p. 4.2] Leverantören ska lämna:",
                "[Ekonomi och ledning › p. 4.2 a)] registerutdrag;",
                "[Ekonomi och ledning › p. 4.2 b)] årsredovisning.",
                "[Ekonomi och ledning › p. 4.2 st. 2] Ett stycke utan nummer.",
                "# 5. Avtal",
                "[Avtal › st. 1] Löptext i avsnittet.",
            ],
        );
    }

    #[test]
    fn laws_get_chapters_and_paragraph_signs() {
        check(
            &[
                p("2 kap. Ansökan"),
                p("1 § En ansökan ska vara skriftlig."),
                p("2 a § Nämnden prövar enligt 7 kap. 1 § ansökan."),
                Block::ListItem {
                    depth: 1,
                    label: "1.".into(),
                    text: "första".into(),
                },
            ],
            &[
                "# 2 kap. Ansökan",
                "[Ansökan › 2 kap. 1 §] En ansökan ska vara skriftlig.",
                "[Ansökan › 2 kap. 2 a §] Nämnden prövar enligt 7 kap. 1 § ansökan.",
                "[Ansökan › 2 kap. 2 a § punkt 1] första",
            ],
        );
    }

    #[test]
    fn references_advice_headings_and_paragraph_headings_are_not_clauses() {
        let n = |s: &str| leading_number(s).map(|(n, _)| n.printed().to_string());
        assert_eq!(n("7 kap. 1 §."), None);
        assert_eq!(n("8 § första stycket gäller"), None);
        assert_eq!(n("3 a § Den som"), Some("3 a §".into()));
        assert_eq!(paragraph_heading("/24/ 11 §"), Some("11 §".into()));
        assert_eq!(paragraph_heading("3 a §"), Some("3 a §".into()));
        assert_eq!(paragraph_heading("Ansökan"), None);
        check(
            &[
                p("1 kap. Allmänna bestämmelser"),
                h(4, "1 §"),
                p("Lagen gäller kommuner."),
                p("Den gäller också regioner."),
                p("Till 1 §"),
                p("Med kommun avses också kommunalförbund."),
                p("Till 2 § Med region avses landsting."),
                p("Innehåll"),
                p("Syfte\t4"),
                p("2 § Nämnden ska"),
                p("1. pröva ansökan,"),
                p("2. fatta beslut."),
                p("10 kap. Rättsmedel m.m."),
                p("punkt 16 Avgifter tas ut."),
            ],
            &[
                "# 1 kap. Allmänna bestämmelser",
                "[Allmänna bestämmelser › 1 kap. 1 §] Lagen gäller kommuner.",
                "[Allmänna bestämmelser › 1 kap. 1 § st. 2] Den gäller också regioner.",
                " #  Till 1 §",
                "[Till 1 § › st. 1] Med kommun avses också kommunalförbund.",
                " #  Till 2 §",
                "[Till 2 § › st. 1] Med region avses landsting.",
                "[Till 2 § › 1 kap. 2 §] Nämnden ska",
                "[Till 2 § › 1 kap. 2 § punkt 1] pröva ansökan,",
                "[Till 2 § › 1 kap. 2 § punkt 2] fatta beslut.",
                "# 10 kap. Rättsmedel m.m.",
                "[Rättsmedel m.m. › punkt 16] Avgifter tas ut.",
            ],
        );
    }

    #[test]
    fn ids_are_stable_under_renumbering_and_unique_for_repeated_text() {
        let a = build(
            &[
                p("16. Ersättning betalas månadsvis."),
                p("Samma."),
                p("Samma."),
            ],
            &mut DocumentMeta::default(),
            "d",
        );
        let b = build(
            &[p("16. Ny punkt."), p("17. Ersättning betalas månadsvis.")],
            &mut DocumentMeta::default(),
            "d",
        );
        assert_eq!(a.clauses[0].id, b.clauses[1].id);
        assert_ne!(a.clauses[1].id, a.clauses[2].id);
        assert!(a.clauses[2].id.ends_with("-2"));
        assert!(a.clauses[0].id.starts_with("d-"));
    }

    #[test]
    fn metadata_paragraphs_are_read_not_made_clauses() {
        let mut meta = DocumentMeta::default();
        let o = build(&[p("Dnr: KS 2024/12"), p("Texten.")], &mut meta, "d");
        assert_eq!(meta.dnr, "KS 2024/12");
        assert_eq!(o.clauses.len(), 1);
    }

    #[test]
    fn a_bare_appendix_heading_takes_the_heading_under_it_as_its_title() {
        check(
            &[
                h(2, "Bilaga 2"),
                h(3, "Förteckning över tjänster"),
                p("Posttjänster | 64000000-6"),
                h(2, "Bilaga 3"),
                p("I lagen gäller följande."),
                h(3, "Definitioner"),
            ],
            &[
                "#  Bilaga 2 Förteckning över tjänster",
                "[Bilaga 2 Förteckning över tjänster › st. 1] Posttjänster | 64000000-6",
                "#  Bilaga 3",
                "[Bilaga 3 › st. 1] I lagen gäller följande.",
                // Near miss: text stands between, so this is a heading of its own.
                " #  Definitioner",
            ],
        );
        // Near miss: a heading with a title of its own keeps the next heading apart.
        check(
            &[h(2, "Bilaga 2 Tjänster"), h(3, "Posttjänster"), p("Text.")],
            &[
                "#  Bilaga 2 Tjänster",
                " #  Posttjänster",
                "[Posttjänster › st. 1] Text.",
            ],
        );
    }

    #[test]
    fn a_word_broken_mid_line_is_rejoined_when_the_document_writes_it_whole() {
        check(
            &[
                p(
                    "Myndigheten ska dokumentera genom- förandet av en icke- diskriminerande upphandling.",
                ),
                p("Genomförandet ska vara icke-diskriminerande."),
                p("Vid hjärt- kärlsjukdom gäller vård- och omsorgsboende."),
                p("Ett vård-och omsorgsboende och kärlsjukdomar."),
            ],
            &[
                "[st. 1] Myndigheten ska dokumentera genomförandet av en icke-diskriminerande upphandling.",
                "[st. 2] Genomförandet ska vara icke-diskriminerande.",
                // Near misses: no whole word elsewhere; a conjunction after the hyphen.
                "[st. 3] Vid hjärt- kärlsjukdom gäller vård- och omsorgsboende.",
                "[st. 4] Ett vård-och omsorgsboende och kärlsjukdomar.",
            ],
        );
    }
}
