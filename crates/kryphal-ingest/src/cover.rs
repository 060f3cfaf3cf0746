//! The title page of a PDF or Word document, told from its body.
//!
//! A governing document often opens with a title block: the kind of
//! document in large type (`Kommittédirektiv`, `Regeringens proposition`),
//! its designation (`Dir. 2016:15`), the title, the decision line (`Beslut
//! vid regeringssammanträde den 25 februari 2016`), perhaps the same block
//! again on a cover and a title page. None of it is a section of the body.
//! The body starts at the first heading that body text follows (or at the
//! first body text); what comes before is the cover when it holds at most
//! one sentence. The cover gives the title, the kind and the decision date;
//! a sentence in it stays in the body.

use kryphal_domain::DocumentMeta;

use crate::Block;
use crate::meta;
use crate::structure::{self, Number};

/// Words that name the kind of document on a title page or a cover sheet.
const KINDS: [&str; 27] = [
    "kommittédirektiv",
    "tilläggsdirektiv",
    "regeringens proposition",
    "proposition",
    "promemoria",
    "betänkande",
    "föreskrifter",
    "riktlinjer",
    "riktlinje",
    "policy",
    "regler",
    "rutin",
    "lathund",
    "anvisning",
    "instruktion",
    "reglemente",
    "tjänsteskrivelse",
    "pm",
    "dom",
    "beslut",
    "protokoll",
    "avtal",
    "rutiner",
    "plan",
    "handlingsplan",
    "program",
    "strategi",
];

/// A line that only names the kind of document.
pub(crate) fn is_kind(t: &str) -> bool {
    KINDS.contains(
        &t.trim()
            .trim_end_matches(['.', ':'])
            .to_lowercase()
            .as_str(),
    )
}

/// A document's designation on its title page: `Dir. 2016:15`,
/// `1999/2000:17`, `AFS 2011:19`, `SFS 2008:962`.
pub(crate) fn is_designation(t: &str) -> bool {
    let t = t.trim();
    let words = t.split_whitespace().count();
    let numbered = t.split_whitespace().any(|w| {
        let w = w.trim_end_matches(['.', ',', ')']);
        let (year, rest) = w.split_once(':').unwrap_or((w, ""));
        let year = year.rsplit('/').next().unwrap_or(year);
        year.len() == 4
            && year.bytes().all(|b| b.is_ascii_digit())
            && !rest.is_empty()
            && rest.bytes().all(|b| b.is_ascii_digit())
    });
    words <= 4 && numbered
}

fn words(t: &str) -> usize {
    t.split_whitespace().count()
}

fn ends_sentence(t: &str) -> bool {
    t.trim_end().ends_with(['.', '!', '?'])
}

/// A block of body text (not a heading, not a title-page line).
fn body(b: &Block) -> bool {
    match b {
        Block::Paragraph { text } => {
            let t = text.trim();
            let parenthesised = t.starts_with('(') && t.trim_end_matches('.').ends_with(')');
            meta::decision_date(t).is_none()
                && !parenthesised
                && !is_designation(t)
                && (ends_sentence(t)
                    || words(t) >= 8
                    || matches!(
                        structure::leading_number(t),
                        Some((Number::Paragraph(_) | Number::Decimal(_), _))
                    ))
        }
        Block::ListItem { .. } | Block::TableRow { .. } => true,
        Block::Heading { .. } => false,
    }
}

fn numbered_heading(b: &Block) -> bool {
    matches!(b, Block::Heading { text, .. } if structure::leading_number(text).is_some())
}

/// Takes the title page off `blocks`, filling `meta` from it.
pub(crate) fn strip(blocks: &mut Vec<Block>, meta: &mut DocumentMeta) {
    // Body text proper: a long paragraph, a numbered one, or one that more
    // body follows (a title page may carry one short sentence).
    let strong = |i: usize| {
        blocks.get(i).is_some_and(|b| {
            body(b)
                && (match b {
                    Block::Paragraph { text } => {
                        words(text) >= 12 || structure::leading_number(text).is_some()
                    }
                    _ => true,
                } || blocks.get(i + 1).is_some_and(body))
        })
    };
    let first_body = (0..blocks.len()).find(|&i| strong(i));
    let first_heading =
        (0..blocks.len()).find(|&i| matches!(blocks[i], Block::Heading { .. }) && strong(i + 1));
    let mut start = match (first_body, first_heading) {
        (Some(b), Some(h)) => b.min(h),
        (Some(b), None) => b,
        (None, Some(h)) => h,
        (None, None) => return,
    };
    // A numbered parent heading right above belongs to the body too.
    while start > 0 && numbered_heading(&blocks[start - 1]) {
        start -= 1;
    }
    if start == 0 {
        return;
    }
    // A title page shows a heading, a kind, a designation or a decision line;
    // a few short paragraphs without any are the body's.
    let titled = blocks[..start].iter().any(|b| match b {
        Block::Heading { .. } => true,
        Block::Paragraph { text } => {
            is_kind(text) || is_designation(text) || meta::decision_date(text).is_some()
        }
        _ => false,
    });
    if !titled {
        return;
    }
    let cover: Vec<Block> = blocks.drain(..start).collect();
    let mut kept = Vec::new();
    let mut title: Option<(u8, String)> = None;
    let mut i = 0;
    while i < cover.len() {
        match &cover[i] {
            Block::Heading { level, text } => {
                let mut t = text.trim().to_string();
                // A title set over several lines comes as several headings.
                while let Some(Block::Heading {
                    level: l,
                    text: next,
                }) = cover.get(i + 1)
                    && l == level
                    && (t.ends_with('-')
                        || next.starts_with(char::is_lowercase)
                        || !(is_kind(next)
                            || is_designation(next)
                            || is_kind(&t)
                            || is_designation(&t)))
                {
                    crate::text::join_wrapped(&mut t, next.trim());
                    i += 1;
                }
                if is_kind(&t) {
                    if meta.doc_type.is_empty() {
                        meta.doc_type = t.clone();
                    }
                } else if !is_designation(&t)
                    && meta::decision_date(&t).is_none()
                    && title.as_ref().is_none_or(|(l, _)| level < l)
                {
                    title = Some((*level, t));
                }
            }
            Block::Paragraph { text } => {
                let field = text.split_once(':').is_some_and(|(k, v)| {
                    k.chars().count() <= 40 && !v.trim().is_empty() && meta::set_field(meta, k, v)
                });
                if field {
                    // `Diarienummer: KS 2024/12` on the title page.
                } else if let Some(date) = meta::decision_date(text) {
                    if meta.decided.is_empty() {
                        meta.decided = date;
                    }
                } else if ends_sentence(text) && words(text) >= 5 && !text.trim().starts_with('(') {
                    kept.push(cover[i].clone());
                }
            }
            _ => {}
        }
        i += 1;
    }
    if let Some((_, t)) = title
        && (meta.title.is_empty() || !meta::is_file_name_like(&t))
    {
        meta.title = t;
    }
    // The same title repeated over the body is no heading of it.
    let key = structure::toc_key(&meta.title);
    blocks.retain(|b| {
        !matches!(b, Block::Heading { text, .. } if !key.is_empty() && structure::toc_key(text) == key)
    });
    blocks.splice(0..0, kept);
}

/// Headings of a Word file that uses no heading styles: a short paragraph
/// that stands alone (after a finished sentence, a heading or the start,
/// before body text), does not end like a sentence or a lead-in, and starts
/// with a capital. Used only when the file marks (almost) no headings itself.
pub(crate) fn plain_headings(blocks: &mut [Block]) {
    if blocks
        .iter()
        .filter(|b| matches!(b, Block::Heading { .. }))
        .count()
        >= 3
    {
        return;
    }
    // `under`: the block before is taken for a heading found in the first pass.
    let candidate = |blocks: &[Block], i: usize, under: bool| -> bool {
        let Block::Paragraph { text } = &blocks[i] else {
            return false;
        };
        let t = text.trim();
        let label = t.ends_with(':') && words(t) <= 3;
        // `YRKANDEN M.M.`: a line in capitals is no sentence, whatever ends it.
        let caps = t.chars().filter(|c| c.is_alphabetic()).count() >= 3
            && t.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
        let shaped = words(t) <= 12
            && t.chars().count() <= 90
            && t.starts_with(char::is_uppercase)
            && t.chars().any(char::is_alphabetic)
            && (label || caps || !t.ends_with(['.', ',', ';', ':']))
            && (label || !structure::is_lead_in(t))
            && structure::leading_number(t).is_none()
            && meta::decision_date(t).is_none()
            && !is_record_line(t);
        let after = i == 0
            || under
            || caps
            || match &blocks[i - 1] {
                Block::Heading { .. } | Block::ListItem { .. } | Block::TableRow { .. } => true,
                Block::Paragraph { text } => text.trim_end().ends_with(['.', '!', '?']),
            };
        let before = match blocks.get(i + 1) {
            Some(Block::Paragraph { text }) => {
                text.starts_with(|c: char| !c.is_lowercase()) && !(label && words(text) <= 3)
            }
            Some(Block::ListItem { .. } | Block::TableRow { .. } | Block::Heading { .. }) => !label,
            None => false,
        };
        shaped && after && before
    };
    // First the paragraphs that stand alone; then one right under each of them.
    let mut found: Vec<usize> = (0..blocks.len())
        .filter(|&i| candidate(blocks, i, false))
        .collect();
    let under: Vec<usize> = found
        .iter()
        .map(|i| i + 1)
        .filter(|j| *j < blocks.len() && !found.contains(j) && candidate(blocks, *j, true))
        .collect();
    found.extend(under);
    found.sort_unstable();
    // Headings come several to a document: one lone short paragraph is text.
    if found.len() < 2 {
        return;
    }
    let mut level_of_prev: Option<(usize, u8)> = None;
    for i in found {
        let Block::Paragraph { text } = &blocks[i] else {
            continue;
        };
        let level = match level_of_prev {
            // Right under another such heading: one level below it.
            Some((j, l)) if j + 1 == i => (l + 1).min(6),
            _ => 1,
        };
        let title = text.trim().trim_end_matches(':').to_string();
        blocks[i] = Block::Heading { level, text: title };
        level_of_prev = Some((i, level));
    }
}

/// A line that records rather than heads: a field with its value
/// (`Sekreterare: Charlotte Svanström`), a line stating a date (`Dom
/// 2013-08-21, målnummer B-114-2012`), or a bare running number (`Nr 63`).
fn is_record_line(t: &str) -> bool {
    let field = t
        .split_once(": ")
        .is_some_and(|(_, v)| !v.trim().is_empty());
    let dated = t.as_bytes().windows(10).any(|w| {
        w.iter().enumerate().all(|(k, b)| match k {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
    });
    let mut ws = t.split_whitespace();
    let running_number = matches!(
        (ws.next(), ws.next(), ws.next()),
        (Some("Nr" | "Nr." | "No" | "No."), Some(n), None) if n.chars().all(|c| c.is_ascii_digit())
    );
    field || dated || running_number
}

/// A form's labelled field (`Lagrum: | • 16 § föräldraledighetslagen`): the
/// label heads its value, and a value listed with bullets is a list.
pub(crate) fn labelled_fields(blocks: &mut Vec<Block>) {
    let mut out = Vec::with_capacity(blocks.len());
    for b in blocks.drain(..) {
        if let Block::TableRow { cells } = &b {
            let filled: Vec<&String> = cells.iter().filter(|c| !c.trim().is_empty()).collect();
            if let [label, value] = filled.as_slice()
                && label.trim_end().ends_with(':')
                && words(label) <= 3
            {
                let mut probe = DocumentMeta::default();
                if !meta::set_field(&mut probe, label, value) {
                    out.push(Block::Heading {
                        level: 1,
                        text: label.trim().trim_end_matches(':').to_string(),
                    });
                    let items: Vec<&str> = value
                        .split('•')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .collect();
                    if value.trim_start().starts_with('•') {
                        out.extend(items.iter().map(|t| Block::ListItem {
                            depth: 1,
                            label: "•".into(),
                            text: t.to_string(),
                        }));
                    } else {
                        out.push(Block::Paragraph {
                            text: value.trim().to_string(),
                        });
                    }
                    continue;
                }
            }
        }
        out.push(b);
    }
    *blocks = out;
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_title_block_gives_kind_title_and_date_and_leaves_the_body() {
        let mut blocks = vec![
            h(1, "Kommittédirektiv"),
            h(2, "Tilläggsdirektiv till Forskningsdatautred-"),
            h(2, "ningen (U 2016:04)"),
            p("Beslut vid regeringssammanträde den 16 mars 2017"),
            h(3, "Dir. 2017:29"),
            h(3, "Utvidgning av uppdraget"),
            p(
                "Regeringen beslutade den 7 juli 2016 kommittédirektiv om uppdrag att analysera vilken reglering som behövs.",
            ),
        ];
        let mut meta = DocumentMeta::default();
        strip(&mut blocks, &mut meta);
        assert_eq!(
            meta.title,
            "Tilläggsdirektiv till Forskningsdatautredningen (U 2016:04)"
        );
        assert_eq!(meta.doc_type, "Kommittédirektiv");
        assert_eq!(meta.decided, "2017-03-16");
        assert_eq!(blocks[0], h(3, "Utvidgning av uppdraget"));
        assert_eq!(blocks.len(), 2);
    }

    #[test]
    fn a_sentence_on_the_cover_stays_and_numbered_headings_are_body() {
        let mut blocks = vec![
            h(1, "Regeringens proposition"),
            h(1, "1999/2000:17"),
            h(2, "Avtal mellan Sverige och Danmark"),
            p("Regeringen överlämnar denna proposition till riksdagen."),
            p("Stockholm den 14 oktober 1999"),
            h(2, "Propositionens huvudsakliga innehåll"),
            p(
                "I propositionen föreslås att riksdagen godkänner ett avtal mellan Sverige och Danmark om beskattning.",
            ),
        ];
        let mut meta = DocumentMeta::default();
        strip(&mut blocks, &mut meta);
        assert_eq!(meta.title, "Avtal mellan Sverige och Danmark");
        assert_eq!(meta.decided, "1999-10-14");
        assert_eq!(
            blocks[0],
            p("Regeringen överlämnar denna proposition till riksdagen.")
        );

        let mut numbered = vec![
            h(1, "1. Inledning"),
            h(2, "1.1 Bakgrund"),
            p("Text som löper över flera rader och säger vad riktlinjen gäller för och varför."),
        ];
        let before = numbered.clone();
        strip(&mut numbered, &mut DocumentMeta::default());
        assert_eq!(numbered, before);
    }

    #[test]
    fn designations_and_kinds() {
        assert!(is_designation("Dir. 2016:15"));
        assert!(is_designation("1999/2000:17"));
        assert!(is_designation("AFS 2011:19"));
        assert!(!is_designation(
            "Lag (2008:962) om valfrihetssystem och mer"
        ));
        assert!(is_kind("Kommittédirektiv"));
        assert!(!is_kind("Kommittédirektivets syfte"));
    }

    #[test]
    fn capital_lines_head_and_record_lines_do_not_in_unstyled_word() {
        let mut blocks = vec![
            p("Parter:"),
            p("Grünberger Advokater AB; S.J."),
            p("Nr 63"),
            p("Grünberger Advokater AB i Stockholm"),
            p("Dom 2013-08-21, målnummer B-114-2012"),
            p("Sekreterare: Charlotte Svanström"),
            p("BILAGA"),
            p("Tingsrättens dom (ledamöter: Lars Lundgren och Anna Adolfsson)"),
            p("BAKGRUND"),
            p("S.J. var tillsvidareanställd som receptionist."),
            p("YRKANDEN M.M."),
            p("Advokatbyrån har bestritt käromålet."),
            // Near miss: a short line in small letters ending in a full stop is a sentence.
            p("Målet avgjordes."),
            p("Parterna har yrkat ersättning."),
        ];
        plain_headings(&mut blocks);
        assert_eq!(
            blocks,
            vec![
                h(1, "Parter"),
                p("Grünberger Advokater AB; S.J."),
                p("Nr 63"),
                p("Grünberger Advokater AB i Stockholm"),
                p("Dom 2013-08-21, målnummer B-114-2012"),
                p("Sekreterare: Charlotte Svanström"),
                h(1, "BILAGA"),
                p("Tingsrättens dom (ledamöter: Lars Lundgren och Anna Adolfsson)"),
                h(1, "BAKGRUND"),
                p("S.J. var tillsvidareanställd som receptionist."),
                h(1, "YRKANDEN M.M."),
                p("Advokatbyrån har bestritt käromålet."),
                p("Målet avgjordes."),
                p("Parterna har yrkat ersättning."),
            ]
        );
        assert!(is_record_line("Nr 63") && !is_record_line("Nr 63 Ansökan"));
    }

    #[test]
    fn unstyled_word_headings_and_form_fields() {
        let mut blocks = vec![
            Block::TableRow {
                cells: vec![
                    "Lagrum:".into(),
                    "• 16 § föräldraledighetslagen • 13 kap. SFB".into(),
                ],
            },
            p("REFERAT"),
            p("Parter:"),
            p("Grünberger Advokater AB i Stockholm"),
            p("mot"),
            p("Arbetsdomstolen har avgjort målet utan huvudförhandling."),
            p("Domskäl"),
            p("Bakgrund"),
            p("S.J. har arbetat som receptionist på advokatbyrån sedan flera år."),
            p("Det är ostridigt att S.J. har ansökt om tillfällig föräldrapenning."),
        ];
        plain_headings(&mut blocks);
        labelled_fields(&mut blocks);
        assert_eq!(
            blocks,
            vec![
                h(1, "Lagrum"),
                Block::ListItem {
                    depth: 1,
                    label: "•".into(),
                    text: "16 § föräldraledighetslagen".into()
                },
                Block::ListItem {
                    depth: 1,
                    label: "•".into(),
                    text: "13 kap. SFB".into()
                },
                h(1, "REFERAT"),
                h(2, "Parter"),
                p("Grünberger Advokater AB i Stockholm"),
                p("mot"),
                p("Arbetsdomstolen har avgjort målet utan huvudförhandling."),
                h(1, "Domskäl"),
                h(2, "Bakgrund"),
                p("S.J. har arbetat som receptionist på advokatbyrån sedan flera år."),
                p("Det är ostridigt att S.J. har ansökt om tillfällig föräldrapenning."),
            ]
        );
    }
}
