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

/// Words that name the kind of document on a title page.
const KINDS: [&str; 22] = [
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
}
