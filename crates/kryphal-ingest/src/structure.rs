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
        // `3 §`, `3§`, `3 a §`
        if let Some(rest) = after.strip_prefix(" §").or_else(|| after.strip_prefix('§')) {
            return Some((
                Number::Paragraph(format!("{} §", &line[..digits])),
                rest.trim_start(),
            ));
        }
        let mut chars = after.chars();
        if let (Some(' '), Some(letter), Some(' ')) = (chars.next(), chars.next(), chars.next())
            && let Some(rest) = chars.as_str().strip_prefix('§')
            && letter.is_ascii_lowercase()
        {
            return Some((
                Number::Paragraph(format!("{} {letter} §", &line[..digits])),
                rest.trim_start(),
            ));
        }
        if let Some(rest) = after.strip_prefix(" kap.") {
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

/// Builds the outline of `blocks`; ids are prefixed with `lineage`. Metadata
/// lines found in the body fill empty fields of `meta`.
pub fn build(blocks: &[Block], meta: &mut DocumentMeta, lineage: &str) -> Outline {
    let mut outline = Outline::default();
    let mut ids = Ids::default();
    let mut position = 0u32;
    // (level, section index) from the outermost heading inward.
    let mut stack: Vec<(u8, usize)> = Vec::new();
    // The last numbered clause in the current section: letters and list items hang under it.
    let mut last_number: Option<String> = None;
    let mut paragraph_count = 0u32;
    let mut bullet_count = 0u32;

    for block in blocks {
        let section_title = |stack: &Vec<(u8, usize)>, outline: &Outline| {
            stack
                .last()
                .map(|&(_, i)| {
                    let s: &Section = &outline.sections[i];
                    s.title.clone()
                })
                .unwrap_or_default()
        };
        let (kind, number, text, label_tail) = match block {
            Block::Heading { level, text } => {
                let (number, title) = match leading_number(text) {
                    Some((n @ (Number::Decimal(_) | Number::Chapter(_)), rest)) => {
                        (n.printed().to_string(), rest.to_string())
                    }
                    _ => (String::new(), text.clone()),
                };
                while stack.last().is_some_and(|&(l, _)| l >= *level) {
                    stack.pop();
                }
                let parent_id = stack.last().map(|&(_, i)| outline.sections[i].id.clone());
                let id = ids.next(format!(
                    "{lineage}-s{}",
                    short_hash(&format!("{number} {title}"))
                ));
                outline.sections.push(Section {
                    id,
                    parent_id,
                    level: (stack.len() + 1).min(255) as u8,
                    number,
                    title,
                    position,
                });
                position += 1;
                stack.push((*level, outline.sections.len() - 1));
                last_number = None;
                paragraph_count = 0;
                bullet_count = 0;
                continue;
            }
            Block::Paragraph { text } => {
                if let Some((k, v)) = text.split_once(':')
                    && k.chars().count() <= 40
                    && !v.trim().is_empty()
                    && v.len() < 120
                {
                    let mut probe = meta.clone();
                    if crate::meta::set_field(&mut probe, k, v) && probe != *meta {
                        *meta = probe;
                        continue;
                    }
                }
                match leading_number(text) {
                    Some((Number::Chapter(n), rest))
                        if rest.chars().count() < 80 && !rest.ends_with('.') =>
                    {
                        // A chapter line on its own is a heading.
                        let level = 1;
                        while stack.last().is_some_and(|&(l, _)| l >= level) {
                            stack.pop();
                        }
                        let id = ids.next(format!("{lineage}-s{}", short_hash(text)));
                        outline.sections.push(Section {
                            id,
                            parent_id: None,
                            level: 1,
                            number: n,
                            title: rest.to_string(),
                            position,
                        });
                        position += 1;
                        stack.push((level, outline.sections.len() - 1));
                        last_number = None;
                        continue;
                    }
                    Some((Number::Letter(l), rest)) => {
                        let tail = match &last_number {
                            Some(parent) => format!("{} {l}", point(parent)),
                            None => format!("punkt {l}"),
                        };
                        (ClauseKind::ListItem, l, rest.to_string(), tail)
                    }
                    Some((n, rest)) => {
                        let printed = n.printed().to_string();
                        last_number = Some(printed.clone());
                        bullet_count = 0;
                        (
                            ClauseKind::Numbered,
                            printed.clone(),
                            rest.to_string(),
                            point(&printed),
                        )
                    }
                    None => {
                        paragraph_count += 1;
                        let tail = match &last_number {
                            Some(parent) => {
                                format!("{} st. {}", point(parent), paragraph_count + 1)
                            }
                            None => format!("st. {paragraph_count}"),
                        };
                        (ClauseKind::Paragraph, String::new(), text.clone(), tail)
                    }
                }
            }
            Block::ListItem { label, text, .. } => {
                let (number, body) = if label == "•" {
                    bullet_count += 1;
                    (String::new(), text.clone())
                } else {
                    (label.clone(), text.clone())
                };
                let own = if number.is_empty() {
                    format!("strecksats {bullet_count}")
                } else {
                    format!("punkt {}", number.trim_end_matches('.'))
                };
                let tail = match &last_number {
                    Some(parent) => format!("{} {own}", point(parent)),
                    None => own,
                };
                (ClauseKind::ListItem, number, body, tail)
            }
            Block::TableRow { cells } => {
                let text = cells.join(" | ");
                paragraph_count += 1;
                (
                    ClauseKind::TableRow,
                    String::new(),
                    text,
                    format!("rad {paragraph_count}"),
                )
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        let title = section_title(&stack, &outline);
        let label = if title.is_empty() {
            label_tail
        } else {
            format!("{title} › {label_tail}")
        };
        let id = ids.next(format!("{lineage}-{}", short_hash(&text)));
        outline.clauses.push(Clause {
            id,
            section_id: stack.last().map(|&(_, i)| outline.sections[i].id.clone()),
            number,
            label,
            kind,
            text,
            position,
        });
        position += 1;
        if matches!(kind, ClauseKind::Numbered) {
            paragraph_count = 0;
        }
    }
    outline
}

/// How a clause number reads in a label: `p. 4.2`, `3 §`, `punkt 16`.
fn point(number: &str) -> String {
    if number.ends_with('§') || number.starts_with("punkt") || number.ends_with(')') {
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
                "[Ansökan › 1 §] En ansökan ska vara skriftlig.",
                "[Ansökan › 2 a §] Nämnden prövar enligt 7 kap. 1 § ansökan.",
                "[Ansökan › 2 a § punkt 1] första",
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
}
