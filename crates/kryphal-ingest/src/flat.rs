//! Structure recovered from flat text: Markdown or plain text that a
//! converter made from a PDF or a Word file. The words survive such a
//! conversion; what the page showed often does not:
//!
//! - a bullet becomes a glyph at the start of a line (`·`, `•`, U+F0B7 from
//!   Word's Symbol font, `➢`, an en dash), or a glyph alone on a line with the
//!   item's text on the next (which Markdown reads as a heading underline);
//! - a heading becomes a plain short line, told from a paragraph only by
//!   standing alone: no sentence before it runs on into it, it does not end
//!   like a sentence, and text follows it;
//! - a cover sheet and letterhead come before the body: document-kind words
//!   (`RIKTLINJER`), the unit, addresses, reference names, and somewhere the
//!   title;
//! - a table of contents lists the headings with page numbers — which also
//!   says which later lines *are* headings.
//!
//! [`analyse`] classifies each line; the Markdown and plain-text readers then
//! build their blocks from the classification.

use crate::furniture;
use crate::structure::{self, Number};

/// What a line of flat text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    Blank,
    /// Running text (or a continuation of the item or paragraph before it).
    Text,
    /// The first line of a list item; the glyph is gone from `text`.
    Bullet,
    /// A heading found by this analysis, at `level`.
    Heading(u8),
    /// A Markdown heading the file itself marks (`## Syfte`), at its level.
    Marked(u8),
    /// Not part of the body: cover, letterhead, table of contents, a
    /// repeated title, an image file name, a stray page number.
    Drop,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FlatLine {
    pub text: String,
    pub kind: Kind,
}

/// The analysis of a flat text.
#[derive(Debug, Default)]
pub(crate) struct Flat {
    pub lines: Vec<FlatLine>,
    /// [`structure::toc_key`] of every table-of-contents entry.
    pub toc: Vec<String>,
    /// The title the cover shows, when there is a cover.
    pub title: Option<String>,
    /// A document-kind word from the cover (`Riktlinjer`, `Lathund`).
    pub doc_type: Option<String>,
    /// The decision date and body a decision line on the cover states
    /// (`Antagen av kommunfullmäktige § 117, 2011-06-16`).
    pub decided: Option<String>,
    pub decided_by: Option<String>,
}

/// Glyphs that start a list item in converted text. `-` and `*` are
/// Markdown's own and only count in plain text or alone on a line.
pub(crate) const GLYPHS: [&str; 16] = [
    "•", "·", "\u{F0B7}", "\u{F0A7}", "\u{F0D8}", "➢", "▪", "■", "●", "○", "◦", "–", "►", "➤", "✓",
    "\u{F0FC}",
];

/// Strips a list glyph: `· text` → `text`.
fn strip_glyph(t: &str, markdown: bool) -> Option<&str> {
    let plain_markers: &[&str] = if markdown { &[] } else { &["-", "*"] };
    GLYPHS
        .iter()
        .chain(plain_markers)
        .find_map(|g| t.strip_prefix(g))
        .filter(|rest| rest.starts_with([' ', '\t', '\u{a0}']))
        .map(str::trim_start)
        .filter(|rest| !rest.is_empty())
}

fn is_lone_glyph(t: &str) -> bool {
    GLYPHS.contains(&t) || matches!(t, "-" | "*" | "o")
}

fn ends_sentence(t: &str) -> bool {
    t.trim_end().ends_with(['.', '!', '?', ':', ';'])
}

fn starts_upper(t: &str) -> bool {
    t.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '”' | '“' | '(')
    })
}

/// A Markdown heading line: `## Syfte` → (2, `Syfte`).
fn marked(t: &str) -> Option<(u8, &str)> {
    let hashes = t.bytes().take_while(|b| *b == b'#').count();
    let rest = &t[hashes..];
    ((1..=6).contains(&hashes) && (rest.is_empty() || rest.starts_with(' ')))
        .then(|| (hashes as u8, rest.trim()))
}

/// A letterhead line: an address, organisation or contact line of the
/// sender (`Org.nr 212000-2882 · Bankgiro 624-1061`).
pub(crate) fn is_letterhead(t: &str) -> bool {
    // A letterhead line is short, and names a number, an address or a site;
    // a paragraph on one line is not one (and is not lower-cased to check).
    if t.len() > 240
        || !(t.contains('·')
            || t.contains('@')
            || t.contains("www")
            || t.bytes().any(|b| b.is_ascii_digit()))
    {
        return false;
    }
    let lower = t.to_lowercase();
    let markers = [
        "org.nr",
        "org nr",
        "organisationsnummer",
        "bankgiro",
        "plusgiro",
        "postgiro",
        "besöksadress",
        "postadress",
        "besök ",
        "post ",
        "kontaktcenter",
        "växel",
        "telefon",
        "tel.",
        "tel ",
        "e-post",
        "webb ",
        "www.",
        "fax ",
        "sms",
    ];
    let hits = markers.iter().filter(|m| lower.contains(**m)).count();
    hits >= 2 || (hits == 1 && t.contains('·') && !ends_sentence(t))
}

/// An image's file name left in the text by a converter (`image1.emf`).
fn is_image_name(t: &str) -> bool {
    let lower = t.to_lowercase();
    !t.contains(' ')
        && [
            ".emf", ".wmf", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".tif", ".tiff", ".bmp",
        ]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// A line that is nothing but a small number: a page number a converter left.
fn is_stray_number(t: &str) -> bool {
    !t.is_empty() && t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit())
}

/// A cover line that names a person, a unit or a date rather than the
/// document: not a title.
fn cover_detail(t: &str) -> bool {
    let lower = t.to_lowercase();
    let words: Vec<&str> = t.split_whitespace().collect();
    let unit = [
        "förvaltningen",
        "enheten",
        "avdelningen",
        "nämnden",
        "kontoret",
        "staben",
        "sektionen",
    ]
    .iter()
    .any(|u| lower.ends_with(u));
    let name = words.len() <= 3
        && words
            .iter()
            .all(|w| w.starts_with(char::is_uppercase) && !crate::cover::is_kind(w));
    let has_date = t.chars().filter(char::is_ascii_digit).count() >= 4;
    unit || name || has_date || words.len() < 2
}

/// Classifies the lines of a flat text (furniture and metadata lines already
/// taken out). `markdown`: the text is Markdown, so `#` lines are headings
/// it marks and `-`/`*` are its own list markers.
pub(crate) fn analyse(lines: &[&str], markdown: bool) -> Flat {
    let mut flat = Flat::default();
    let texts: Vec<String> = lines
        .iter()
        .map(|l| {
            if l.contains(['\u{AD}', '\t']) || l.trim_start().contains("    ") {
                cells(&l.replace('\u{AD}', "")).trim_end().to_string()
            } else {
                l.trim_end().to_string()
            }
        })
        .collect();
    let trimmed: Vec<&str> = texts.iter().map(|t| t.trim()).collect();
    let width = crate::text::wrap_width(&trimmed, 3);

    // The table of contents: its entries say which later lines are headings.
    let toc_run = furniture::toc_runs(&trimmed);
    let mut kinds: Vec<Kind> = Vec::with_capacity(lines.len());
    let mut out_text: Vec<String> = Vec::with_capacity(lines.len());
    let mut pending_toc = String::new();
    for (i, t) in trimmed.iter().enumerate() {
        if t.is_empty() {
            kinds.push(Kind::Blank);
            out_text.push(String::new());
            continue;
        }
        if toc_run[i] || furniture::is_toc_line(t) {
            let entry = toc_title(t);
            if entry.is_some() || toc_run[i] {
                let title = entry.unwrap_or(t);
                let full = if pending_toc.is_empty() {
                    title.to_string()
                } else {
                    format!("{pending_toc} {title}")
                };
                if entry.is_some() {
                    let key = structure::toc_key(&full);
                    if !key.is_empty() {
                        flat.toc.push(key);
                    }
                    pending_toc.clear();
                } else {
                    pending_toc = full;
                }
            }
            kinds.push(Kind::Drop);
            out_text.push(String::new());
            continue;
        }
        pending_toc.clear();
        if is_image_name(t) || is_stray_number(t) || is_letterhead(t) {
            kinds.push(Kind::Drop);
            out_text.push(String::new());
            continue;
        }
        // A row of a table that a converter marked as a heading
        // (`### Samhällstjänster | Från 75200000-8 …`) is a row.
        if markdown && let Some((level, rest)) = marked(t) {
            kinds.push(if rest.contains(" | ") {
                Kind::Text
            } else {
                Kind::Marked(level)
            });
            out_text.push(rest.to_string());
            continue;
        }
        if let Some(rest) = strip_glyph(t, markdown) {
            kinds.push(Kind::Bullet);
            out_text.push(rest.to_string());
            continue;
        }
        kinds.push(Kind::Text);
        // Markdown's indentation (nested lists) is kept; tests below trim.
        out_text.push(if markdown {
            texts[i].clone()
        } else {
            t.to_string()
        });
    }

    // A glyph alone on a line: the item's text is on the next line.
    for i in 0..kinds.len() {
        if kinds[i] == Kind::Text && is_lone_glyph(out_text[i].trim()) {
            let next = (i + 1..kinds.len().min(i + 3)).find(|&j| kinds[j] != Kind::Blank);
            if let Some(j) = next
                && kinds[j] == Kind::Text
                && !is_lone_glyph(out_text[j].trim())
            {
                out_text[j] = out_text[j].trim().to_string();
                kinds[i..j].fill(Kind::Drop);
                kinds[j] = Kind::Bullet;
            }
        }
    }
    // Word's second-level bullet `o` counts only inside a list.
    for i in 1..kinds.len() {
        if kinds[i] == Kind::Text
            && let Some(rest) = out_text[i].trim_start().strip_prefix("o ")
            && matches!(kinds[i - 1], Kind::Bullet)
        {
            out_text[i] = rest.trim_start().to_string();
            kinds[i] = Kind::Bullet;
        }
    }

    drop_repeated_lines(&mut kinds, &out_text);
    cover(&mut flat, &mut kinds, &mut out_text);

    // Headings: plain lines that stand alone.
    let next_content = |kinds: &[Kind], i: usize| {
        (i + 1..kinds.len()).find(|&j| !matches!(kinds[j], Kind::Blank | Kind::Drop))
    };
    // `group`: the line right after a heading found in the first pass may be
    // a heading under it, when text follows.
    let is_candidate = |kinds: &[Kind], i: usize, out_text: &[String], group: bool| -> bool {
        let t = out_text[i].trim();
        if kinds[i] != Kind::Text || out_text[i].starts_with("    ") {
            return false;
        }
        let listed = !flat.toc.is_empty() && {
            let key = structure::toc_key(t);
            !key.is_empty() && flat.toc.contains(&key)
        };
        let numbered = matches!(
            structure::leading_number(t),
            Some((
                Number::Decimal(_) | Number::Paragraph(_) | Number::Chapter(_) | Number::Letter(_),
                _
            ))
        );
        if numbered {
            // Numbered lines are the structure layer's to judge (sequence and lists).
            return false;
        }
        if listed {
            return t.chars().count() <= 200;
        }
        // A heading is short: a long line is text (and is not counted).
        if t.len() > 720 {
            return false;
        }
        let words = t.split_whitespace().count();
        let chars = t.chars().count();
        // A long line may still be a heading when blank lines set it apart
        // and a marked heading (a paragraph number) follows it.
        let isolated_before_marked = i > 0
            && kinds[i - 1] == Kind::Blank
            && kinds.get(i + 1) == Some(&Kind::Blank)
            && next_content(kinds, i).is_some_and(|j| matches!(kinds[j], Kind::Marked(_)));
        let short = (words <= 12 && chars <= 90 && width.is_none_or(|w| chars * 100 <= w * 75))
            || (isolated_before_marked && words <= 24 && chars <= 180);
        if !short
            || structure::is_lead_in(t)
            || !starts_upper(t)
            || !t.chars().any(char::is_alphabetic)
            || t.ends_with(['.', ',', ';', ':', '-'])
            || t.contains(" | ")
            || t.split_once(':').is_some_and(|(k, v)| {
                !v.trim().is_empty()
                    && crate::meta::set_field(&mut kryphal_domain::DocumentMeta::default(), k, v)
            })
        {
            return false;
        }
        // Nothing runs on into it: it starts after a blank line, a finished
        // sentence, a heading, or the end of a list item.
        let prev = (0..i).rev().find(|&j| kinds[j] != Kind::Drop);
        let boundary = match prev {
            None => true,
            Some(j) => match &kinds[j] {
                // The text under a `#### 3 §` line is that paragraph's.
                Kind::Marked(_) => structure::paragraph_heading(&out_text[j]).is_none(),
                Kind::Blank => (0..j)
                    .rev()
                    .find(|&k| !matches!(kinds[k], Kind::Blank | Kind::Drop))
                    .is_none_or(|k| !out_text[k].trim_end().ends_with(':')),
                Kind::Heading(_) => group,
                // What a colon announces is its content, not a heading.
                _ => ends_sentence(&out_text[j]) && !out_text[j].trim_end().ends_with(':'),
            },
        };
        // And something follows that is not its own continuation.
        // A list whose items continue the line's sentence (`… som avser` /
        // `1. juridiska tjänster`) makes it a lead-in, not a heading.
        let lower_item = |t: &str| {
            let t = t.trim_start();
            let body = match structure::leading_number(t) {
                Some((_, rest)) => rest,
                None => t,
            };
            body.starts_with(char::is_lowercase)
        };
        let follows = next_content(kinds, i).is_some_and(|j| match kinds[j] {
            Kind::Text => {
                starts_upper(out_text[j].trim_start())
                    && !is_lone_glyph(out_text[j].trim())
                    && !lower_item(&out_text[j])
            }
            Kind::Bullet => !lower_item(&out_text[j]),
            Kind::Marked(_) | Kind::Heading(_) => true,
            _ => false,
        });
        boundary && follows
    };
    // First the lines that stand alone on their own, then (once) a line
    // right under one of them: a chain of short lines (a cover) is no
    // chain of headings.
    for group in [false, true] {
        let found: Vec<usize> = (0..kinds.len())
            .filter(|&i| is_candidate(&kinds, i, &out_text, group))
            .filter(|&i| {
                !group
                    || (0..i)
                        .rev()
                        .find(|&j| !matches!(kinds[j], Kind::Blank | Kind::Drop))
                        .is_some_and(|j| kinds[j] == Kind::Heading(0))
            })
            .collect();
        for i in found {
            kinds[i] = Kind::Heading(0);
            out_text[i] = out_text[i].trim().to_string();
        }
    }
    // Three or more such lines in a row, with nothing between them, are a
    // list written without glyphs, not a ladder of headings.
    let mut i = 0;
    while i < kinds.len() {
        let mut run = vec![];
        let mut j = i;
        while j < kinds.len() {
            match kinds[j] {
                Kind::Heading(0) => run.push(j),
                Kind::Blank | Kind::Drop => {}
                _ => break,
            }
            j += 1;
        }
        if run.len() >= 3 {
            // The last may still head the text that follows the list.
            let last = *run.last().expect("three or more");
            let leads = next_content(&kinds, last).is_some_and(|n| {
                kinds[n] == Kind::Text && ends_sentence(&out_text[n])
                    || kinds.get(n + 1) == Some(&Kind::Text)
            });
            let heads = reference_list_heads(
                &run.iter()
                    .map(|&k| out_text[k].as_str())
                    .collect::<Vec<_>>(),
            );
            for (r, k) in run.into_iter().enumerate() {
                if (k != last || !leads) && !heads[r] {
                    kinds[k] = Kind::Text;
                }
            }
        }
        i = j.max(i + 1);
    }

    // Levels: beside the last heading before it; one below a heading it
    // directly follows (a group heading); one above a marked heading it
    // directly precedes.
    let mut last_level: Option<u8> = None;
    let min_marked = kinds
        .iter()
        .filter_map(|k| match k {
            Kind::Marked(l) => Some(*l),
            _ => None,
        })
        .min();
    for i in 0..kinds.len() {
        match kinds[i] {
            Kind::Marked(l) => last_level = Some(l),
            Kind::Heading(_) => {
                let prev = (0..i)
                    .rev()
                    .find(|&j| !matches!(kinds[j], Kind::Blank | Kind::Drop));
                let after_heading = prev.and_then(|j| match kinds[j] {
                    Kind::Heading(l) | Kind::Marked(l) => Some(l),
                    _ => None,
                });
                let next = next_content(&kinds, i);
                let before_marked = next.and_then(|j| match kinds[j] {
                    Kind::Marked(l) => Some(l),
                    _ => None,
                });
                let level = if let Some(l) = before_marked {
                    l.saturating_sub(1).max(1)
                } else if let Some(l) = after_heading {
                    (l + 1).min(6)
                } else {
                    last_level.or(min_marked).unwrap_or(1)
                };
                kinds[i] = Kind::Heading(level);
                last_level = Some(level);
            }
            _ => {}
        }
    }

    flat.lines = kinds
        .into_iter()
        .zip(out_text)
        .map(|(kind, text)| FlatLine { text, kind })
        .collect();
    flat
}

/// In a run of short lines (a list written without glyphs), the lines that
/// head groups of a reference list: a source list reads `Lagar och
/// förordningar`, `Förvaltningslag (2017:900)`, `Föräldrabalk (1949:381)`,
/// `Justitieombudsmannen`, `JO 1998/99 sid. 464` … — its items cite years
/// and numbers, its group headings (one, or two in a row) hold no digit.
/// Only when at least two items carry digits; a list of plain words
/// (`Omsorgsdirektör`, `Myndighetschef`) keeps all its lines as items.
fn reference_list_heads(run: &[&str]) -> Vec<bool> {
    let digits: Vec<bool> = run
        .iter()
        .map(|t| t.chars().any(|c| c.is_ascii_digit()))
        .collect();
    let mut heads = vec![false; run.len()];
    if digits.iter().filter(|d| **d).count() < 2 {
        return heads;
    }
    // Before the first citing line, plain items may precede the headings
    // (`Hantera skyndsamt`, then `Källhänvisning`, `Lagar och förordningar`).
    let first_cite = digits.iter().position(|d| *d).unwrap_or(run.len());
    let opens = |k: usize| k == 0 || digits[k - 1] || k <= first_cite;
    for i in 0..run.len() {
        if digits[i] {
            continue;
        }
        let next_cites = digits.get(i + 1) == Some(&true);
        let then_cites = digits.get(i + 1) == Some(&false) && digits.get(i + 2) == Some(&true);
        // A heading of two lines in a row is a group heading and its first group.
        let first_of_two = then_cites && opens(i);
        let second_of_two = next_cites && i > 0 && !digits[i - 1] && opens(i - 1);
        let alone = next_cites && (i == 0 || digits[i - 1]);
        heads[i] = alone || first_of_two || second_of_two;
    }
    heads
}

/// Columns a converter left as runs of tabs (`försäkringstjänster\t\tden
/// premie …`) or of spaces become cells joined by ` | `, as table rows are.
/// A gap of one tab, or of four or more spaces, is a cell gap when the next
/// cell starts with a capital or a digit (`Posttjänster\t64000000-6`); before
/// a small letter it is a space inside a sentence (`ett totalt\thjälpbehov`).
/// Leading tabs and spaces stay (Markdown's indentation).
fn cells(line: &str) -> String {
    let body = line.trim_start_matches(['\t', ' ']);
    let lead = &line[..line.len() - body.len()];
    if !body.contains('\t') && !body.contains("    ") {
        return line.to_string();
    }
    let mut out = String::from(lead);
    let (mut tabs, mut spaces) = (0, 0);
    for (i, c) in body.char_indices() {
        match c {
            '\t' => {
                tabs += 1;
                continue;
            }
            ' ' => {
                spaces += 1;
                continue;
            }
            _ => {}
        }
        if tabs > 0 || spaces > 0 {
            let rest = &body[i..];
            // A tab before a page number (a contents entry) is left for the contents reader.
            let page = tabs > 0 && rest.len() <= 3 && rest.bytes().all(|b| b.is_ascii_digit());
            let next_cell = c.is_uppercase() || c.is_ascii_digit();
            out.push_str(if page {
                "\t"
            } else if tabs >= 2 || ((tabs == 1 || spaces >= 4) && next_cell) {
                " | "
            } else if tabs > 0 {
                " "
            } else {
                &body[i - spaces..i]
            });
            tabs = 0;
            spaces = 0;
        }
        out.push(c);
    }
    if tabs > 0 {
        out.push('\t');
    }
    out
}

/// `2.1 Information till den enskilde\t8` → `2.1 Information till den enskilde`.
fn toc_title(t: &str) -> Option<&str> {
    let digits = t.chars().rev().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits == t.len() {
        return None;
    }
    let title = t[..t.len() - digits]
        .trim_end()
        .trim_end_matches(['.', '…', '·', '_', ' ', '\t'])
        .trim();
    (!title.is_empty() && title.chars().any(char::is_alphabetic)).then_some(title)
}

/// A line that names a document: it starts with a word for a kind of
/// governing document (`Riktlinjer mot …`, `Kostpolicy för …`, `Regler för …`).
fn title_like(t: &str) -> bool {
    const STEMS: [&str; 20] = [
        "riktlinje",
        "policy",
        "regler",
        "regel",
        "rutin",
        "lathund",
        "anvisning",
        "instruktion",
        "reglemente",
        "handlingsplan",
        "plan",
        "program",
        "strategi",
        "taxa",
        "föreskrift",
        "villkor",
        "underlag",
        "ordning",
        "avtal",
        "tillämpningsanvisning",
    ];
    let first = t.split_whitespace().next().unwrap_or("").to_lowercase();
    t.split_whitespace().count() >= 2
        && STEMS.iter().any(|s| first.contains(s))
        && !t.trim_end().ends_with([',', ';', ':'])
}

/// A short line that could head a section: no sentence, no list, no detail.
fn heading_like(t: &str) -> bool {
    let t = t.trim();
    let lower = t.to_lowercase();
    let unit = [
        "förvaltningen",
        "enheten",
        "avdelningen",
        "kontoret",
        "staben",
    ]
    .iter()
    .any(|u| lower.ends_with(u));
    !unit
        && t.split_whitespace().count() <= 12
        && t.chars().count() <= 90
        && starts_upper(t)
        && t.chars().any(char::is_alphabetic)
        && !t.ends_with(['.', ',', ';', ':'])
        && !structure::is_lead_in(t)
        && !title_like(t)
        && !crate::cover::is_kind(t)
        && !t.contains(": ")
}

/// A template's instruction line repeated in the body ("Ta inte bort denna
/// rad …"): the same line of five or more words, no sentence, standing
/// alone more than once, is not the document's text.
fn drop_repeated_lines(kinds: &mut [Kind], text: &[String]) {
    let mut seen: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (i, t) in text.iter().enumerate() {
        let t = t.trim();
        if kinds[i] == Kind::Text
            && (i == 0 || kinds[i - 1] == Kind::Blank)
            && kinds.get(i + 1).is_none_or(|k| *k == Kind::Blank)
            && t.len() < 400
            && !ends_sentence(t)
            && t.split_whitespace().count() >= 5
            && !structure::is_lead_in(t)
            && structure::leading_number(t).is_none()
        {
            seen.entry(t).or_default().push(i);
        }
    }
    for lines in seen.values().filter(|v| v.len() >= 2) {
        for &i in lines {
            kinds[i] = Kind::Drop;
        }
    }
}

/// Finds where the body starts, reads the title and the document kind from
/// the cover before it and drops the cover. The body starts at the first
/// heading that running text follows, together with the headings right
/// above it; what comes before is a cover when it holds at most one sentence.
fn cover(flat: &mut Flat, kinds: &mut [Kind], text: &mut [String]) {
    let content: Vec<usize> = (0..kinds.len())
        .filter(|&i| !matches!(kinds[i], Kind::Blank | Kind::Drop))
        .collect();
    let line = |n: usize| text[content[n]].trim();
    // Running text: a list item, a line that ends a sentence, or one that a
    // wrapped sentence continues from.
    let running = |n: usize| -> bool {
        let i = content[n];
        matches!(kinds[i], Kind::Bullet)
            || (kinds[i] == Kind::Text
                && (ends_sentence(line(n))
                    || structure::leading_number(line(n)).is_some()
                    || ["- ", "* ", "+ "].iter().any(|m| line(n).starts_with(m))
                    || content.get(n + 1).is_some_and(|&j| {
                        kinds[j] == Kind::Text
                            && text[j].trim_start().starts_with(char::is_lowercase)
                    })))
    };
    let heading_at = |n: usize| -> bool {
        let i = content[n];
        match kinds[i] {
            Kind::Marked(_) => !crate::cover::is_kind(line(n)) && !title_like(line(n)),
            Kind::Text => heading_like(line(n)),
            _ => false,
        }
    };
    let Some(first) =
        (0..content.len()).find(|&n| heading_at(n) && n + 1 < content.len() && running(n + 1))
    else {
        return;
    };
    let mut start = first;
    while start > 0 && heading_at(start - 1) {
        start -= 1;
    }
    // A numbered line is the document's own: the cover ends before it.
    if let Some(n) = (0..start)
        .find(|&n| kinds[content[n]] == Kind::Text && structure::leading_number(line(n)).is_some())
    {
        start = n;
    }
    // A cover without a title line of its own: the line that opens the body
    // over its first marked heading is the title, not a heading.
    let names_document = (0..start).any(|n| {
        let t = line(n);
        title_like(t) || (!cover_detail(t) && !t.contains(": ") && !crate::cover::is_kind(t))
    });
    if start > 0
        && !names_document
        && start + 1 < content.len()
        && kinds[content[start]] == Kind::Text
        && matches!(kinds[content[start + 1]], Kind::Marked(_))
    {
        start += 1;
    }
    if start == 0 {
        return;
    }
    let sentences = (0..start)
        .filter(|&n| line(n).split_whitespace().count() >= 8 && line(n).ends_with(['.', '!', '?']))
        .count();
    if sentences > 1 {
        return;
    }
    // The title: a line that names the document, else the longest cover
    // line that is no detail; with the line it wraps onto.
    let mut titled: Option<String> = None;
    let mut longest: Option<String> = None;
    let mut k = 0;
    while k < start {
        let mut t = line(k).to_string();
        let lower = t.to_lowercase();
        if let Some(date) = crate::meta::decision_date(&t) {
            flat.decided.get_or_insert(date);
            if let Some(body) = crate::meta::decision_body(&t) {
                flat.decided_by.get_or_insert(body);
            }
            k += 1;
            continue;
        }
        if crate::cover::is_kind(&t) {
            flat.doc_type.get_or_insert_with(|| {
                let mut c = lower.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            });
            k += 1;
            continue;
        }
        while k + 1 < start
            && content[k + 1] == content[k] + 1
            && (line(k + 1).starts_with(char::is_lowercase)
                || t.ends_with('-')
                || structure::is_lead_in(&t))
        {
            k += 1;
            crate::text::join_wrapped(&mut t, line(k));
        }
        let t = t.trim_end_matches('.').to_string();
        if title_like(&t) && titled.is_none() {
            titled = Some(t.clone());
        }
        if !cover_detail(&t)
            && !t.contains(": ")
            && longest
                .as_ref()
                .is_none_or(|b| t.chars().count() > b.chars().count())
        {
            longest = Some(t);
        }
        k += 1;
    }
    for &i in &content[..start] {
        kinds[i] = Kind::Drop;
    }
    let best = titled.or(longest);
    if let Some(title) = &best {
        // The same title repeated over the body is no heading of it.
        let key = structure::toc_key(title);
        let title_len = title.chars().count();
        for n in start..content.len() {
            let i = content[n];
            // Only a line no longer than the title can hold it (alone or
            // with the line it wraps onto).
            if !matches!(kinds[i], Kind::Marked(_) | Kind::Text)
                || text[i].trim().chars().count() > title_len + 2
            {
                continue;
            }
            let mut t = text[i].trim().to_string();
            if structure::toc_key(&t) == key {
                kinds[i] = Kind::Drop;
                continue;
            }
            // Also when it is wrapped onto the next line.
            if let Some(&j) = content.get(n + 1) {
                crate::text::join_wrapped(&mut t, text[j].trim());
                if structure::toc_key(&t) == key {
                    kinds[i] = Kind::Drop;
                    kinds[j] = Kind::Drop;
                }
            }
        }
    }
    flat.title = best;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str, markdown: bool) -> Vec<String> {
        let lines: Vec<&str> = text.lines().collect();
        analyse(&lines, markdown)
            .lines
            .into_iter()
            .filter(|l| !matches!(l.kind, Kind::Blank | Kind::Drop))
            .map(|l| match l.kind {
                Kind::Heading(n) => format!("H{n} {}", l.text),
                Kind::Marked(n) => format!("M{n} {}", l.text),
                Kind::Bullet => format!("* {}", l.text),
                _ => l.text,
            })
            .collect()
    }

    #[test]
    fn glyphs_alone_on_a_line_and_symbol_bullets_start_list_items() {
        assert_eq!(
            show(
                "Nedan följer exempel:\n-\nPenninggåvor i kontanter.\n-\nBorgensåtaganden.\n\u{F0B7} snöskottning\n· vedhuggning\n",
                true
            ),
            vec![
                "Nedan följer exempel:",
                "* Penninggåvor i kontanter.",
                "* Borgensåtaganden.",
                "* snöskottning",
                "* vedhuggning"
            ]
        );
    }

    #[test]
    fn a_short_line_standing_alone_is_a_heading_and_a_paragraphs_last_line_is_not() {
        let text = "## Omfattning\nRiktlinjerna omfattar alla anställda.\n\nInformation och uppföljning\nAlla ska ta del av dessa riktlinjer. Det kan\nske vid anställning och på arbetsplatsträffar\noch i Botkyrka kommun\nVad är ett mutbrott?\nLagreglerna finns i brottsbalken.\n";
        assert_eq!(
            show(text, true),
            vec![
                "M2 Omfattning",
                "Riktlinjerna omfattar alla anställda.",
                "H2 Information och uppföljning",
                "Alla ska ta del av dessa riktlinjer. Det kan",
                "ske vid anställning och på arbetsplatsträffar",
                "och i Botkyrka kommun",
                "Vad är ett mutbrott?",
                "Lagreglerna finns i brottsbalken.",
            ]
        );
    }

    #[test]
    fn a_heading_over_another_groups_it() {
        assert_eq!(
            show(
                "Inriktning\nNäring\nAlla enheter ska följa matsedeln.\nBetalkort\n## Allmänt\nMed betalkort avses kontokort.\n",
                true
            ),
            vec![
                "H2 Inriktning",
                "H3 Näring",
                "Alla enheter ska följa matsedeln.",
                "H1 Betalkort",
                "M2 Allmänt",
                "Med betalkort avses kontokort.",
            ]
        );
    }

    #[test]
    fn the_cover_gives_the_title_and_kind_and_is_not_body() {
        let text = "# RIKTLINJER\n2013-12-13\nKommunledningsförvaltningen\nPost Botkyrka kommun, 147 85 Tumba · Besök Munkhättevägen 45\nReferens\nJannica Ifström\nRiktlinjer mot mutor och jäv i Botkyrka kommun\n## Syfte\nDessa riktlinjer syftar till att stödja.\n";
        let lines: Vec<&str> = text.lines().collect();
        let flat = analyse(&lines, true);
        assert_eq!(
            flat.title.as_deref(),
            Some("Riktlinjer mot mutor och jäv i Botkyrka kommun")
        );
        assert_eq!(flat.doc_type.as_deref(), Some("Riktlinjer"));
        assert_eq!(
            show(text, true),
            vec!["M2 Syfte", "Dessa riktlinjer syftar till att stödja."]
        );
    }

    #[test]
    fn a_table_of_contents_names_the_headings_of_one_paragraph_per_line_text() {
        let text = "Innehåll\nInledning\t6\nSyfte\t6\n1. God man och förvaltare\t7\nInledning\nRiktlinjerna är en vägledning för handläggare.\nSyfte\nRiktlinjernas syfte är att säkerställa rättssäkerhet\n";
        let lines: Vec<&str> = text.lines().collect();
        let flat = analyse(&lines, false);
        assert_eq!(
            flat.toc,
            vec!["inledning", "syfte", "god man och förvaltare"]
        );
        assert_eq!(
            show(text, false),
            vec![
                "H1 Inledning",
                "Riktlinjerna är en vägledning för handläggare.",
                "H1 Syfte",
                "Riktlinjernas syfte är att säkerställa rättssäkerhet"
            ]
        );
    }

    #[test]
    fn letterheads_image_names_and_stray_numbers_are_dropped() {
        assert!(is_letterhead(
            "Org.nr 212000-2882 · Bankgiro 624-1061 · Fax 08-530 616 66"
        ));
        assert!(!is_letterhead("Betalning sker till kommunens bankgiro."));
        assert!(is_image_name("image1.emf"));
        assert!(is_stray_number("4"));
        assert!(!is_stray_number("4 §"));
    }

    #[test]
    fn tab_and_space_gaps_before_a_capital_or_digit_are_cells() {
        assert_eq!(
            cells("Posttjänster\t64000000-6 (Post)"),
            "Posttjänster | 64000000-6 (Post)"
        );
        assert_eq!(
            cells("Hälsovård och tjänster          75200000-8"),
            "Hälsovård och tjänster | 75200000-8"
        );
        assert_eq!(cells("Beskrivning\t\t\tCPV-kod"), "Beskrivning | CPV-kod");
        // Near misses: a tab inside a sentence, a contents entry's page, indentation.
        assert_eq!(
            cells("ha ett totalt\thjälpbehov från 30"),
            "ha ett totalt hjälpbehov från 30"
        );
        assert_eq!(cells("Inledning\t6"), "Inledning\t6");
        assert_eq!(cells("    1. Första punkten"), "    1. Första punkten");
        assert_eq!(cells("ord    och ord"), "ord    och ord");
        // A table row a converter marked as a heading is a row.
        assert_eq!(
            show("## Bilaga\n\n### Samhällstjänster\tFrån 75200000-8\n", true),
            vec!["M2 Bilaga", "Samhällstjänster | Från 75200000-8"]
        );
    }

    #[test]
    fn a_reference_list_keeps_its_group_headings() {
        let text = "Sök fram tillämpligt kapitel.\n\nHantera skyndsamt\n\nKällhänvisning\n\nLagar och förordningar\n\nFörvaltningslag (2017:900)\n\nFöräldrabalk (1949:381)\n\nJustitieombudsmannen\n\nJO 1981/81 sid. 239\n\nJO 1998/99 sid. 464\n";
        assert_eq!(
            show(text, true),
            vec![
                "Sök fram tillämpligt kapitel.",
                "Hantera skyndsamt",
                "H1 Källhänvisning",
                "H2 Lagar och förordningar",
                "Förvaltningslag (2017:900)",
                "Föräldrabalk (1949:381)",
                "H2 Justitieombudsmannen",
                "JO 1981/81 sid. 239",
                "JO 1998/99 sid. 464",
            ]
        );
        // Near misses: a list of plain words, and one with a single citing item.
        assert_eq!(
            reference_list_heads(&["Omsorgsdirektör", "Myndighetschef", "Omsorgschef"]),
            vec![false; 3]
        );
        assert_eq!(
            reference_list_heads(&["Lagar", "Förvaltningslag (2017:900)", "Omsorgschef"]),
            vec![false; 3]
        );
    }
}
