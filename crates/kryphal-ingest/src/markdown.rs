//! Markdown (CommonMark with tables) through `pulldown-cmark`.
//!
//! Inline markup is reduced to its text: emphasis, links and inline HTML
//! become plain words (imported text is never rendered as markup).

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::text::join_wrapped;
use crate::{Block, RawDocument, meta};

enum Open {
    Heading(u8),
    Paragraph,
    Item { depth: u8, label: String },
    Cell,
}

/// True when the text uses Markdown at all: headings, front matter, lists,
/// tables, emphasis or links. Plain text named `.md` is read as plain text.
pub fn has_markdown_syntax(text: &str) -> bool {
    text.starts_with("---")
        || text.lines().take(5000).any(|l| {
            let t = l.trim_start();
            (t.starts_with('#') && t.trim_start_matches('#').starts_with(' '))
                || t.starts_with("- ")
                || t.starts_with("* ")
                || t.starts_with('|')
                || t.starts_with("> ")
                || t.contains("**")
                || t.contains("](")
        })
}

/// Reads Markdown text into blocks.
pub fn read(text: &str) -> RawDocument {
    let mut doc = RawDocument::default();
    let text = text.replace('\u{AD}', "");
    let body = meta::split_front_matter(&text, &mut doc.meta);
    // Text converted from a PDF: page furniture, cover checklists and cover
    // metadata lines are taken out before parsing.
    let all: Vec<&str> = body.lines().collect();
    let mut lines = crate::text::clean_lines(&all, &mut doc.meta);
    let mut i = 0;
    lines.retain(|l| {
        i += 1;
        let t = l.trim();
        let metadata = i <= 60
            && !t.starts_with('#')
            && t.split_once(':').is_some_and(|(k, v)| {
                k.chars().count() <= 40
                    && !v.trim().is_empty()
                    && meta::set_field(&mut doc.meta, k, v)
            });
        !metadata
    });
    let flat = crate::flat::analyse(&lines, true);
    adopt_cover(&mut doc.meta, &flat);
    doc.toc = flat.toc;
    let body = render(&flat.lines);
    let parser = Parser::new_ext(&body, Options::ENABLE_TABLES);

    // Ordered lists keep their next number; unordered ones hold None.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut buf = String::new();
    let mut row: Vec<String> = Vec::new();

    fn flush(buf: &mut String, open: &[Open], blocks: &mut Vec<Block>) {
        let raw = std::mem::take(buf);
        let is_paragraph = !open
            .iter()
            .any(|o| matches!(o, Open::Heading(_) | Open::Item { .. } | Open::Cell));
        let pieces = split_soft_paragraphs(&raw);
        if is_paragraph && pieces.len() > 1 {
            blocks.extend(pieces.into_iter().map(|text| Block::Paragraph { text }));
            return;
        }
        let text = pieces.join(" ").trim().to_string();
        if text.is_empty() {
            return;
        }
        let block = match open.iter().rev().find(|o| !matches!(o, Open::Paragraph)) {
            Some(Open::Heading(level)) => Block::Heading {
                level: *level,
                text,
            },
            Some(Open::Item { depth, label }) => Block::ListItem {
                depth: *depth,
                label: label.clone(),
                text,
            },
            _ => Block::Paragraph { text },
        };
        blocks.push(block);
    }

    for event in parser {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut buf, &open, &mut doc.blocks);
                open.push(Open::Heading(heading_level(level)));
            }
            Event::Start(Tag::Paragraph) => {
                if !matches!(open.last(), Some(Open::Item { .. })) {
                    flush(&mut buf, &open, &mut doc.blocks);
                }
                open.push(Open::Paragraph);
            }
            Event::Start(Tag::List(start)) => {
                flush(&mut buf, &open, &mut doc.blocks);
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut buf, &open, &mut doc.blocks);
                let label = match lists.last_mut() {
                    Some(Some(n)) => {
                        let l = format!("{n}.");
                        *n += 1;
                        l
                    }
                    _ => "•".to_string(),
                };
                open.push(Open::Item {
                    depth: lists.len().clamp(1, 255) as u8,
                    label,
                });
            }
            Event::Start(Tag::TableCell) => open.push(Open::Cell),
            Event::End(TagEnd::TableCell) => {
                open.pop();
                row.push(std::mem::take(&mut buf).trim().to_string());
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                let cells = std::mem::take(&mut row);
                if cells.iter().any(|c| !c.is_empty()) {
                    doc.blocks.push(Block::TableRow { cells });
                }
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Item) => {
                flush(&mut buf, &open, &mut doc.blocks);
                open.pop();
            }
            Event::End(TagEnd::Paragraph) => {
                open.pop();
                if matches!(open.last(), Some(Open::Item { .. })) {
                    // A loose list item may hold several paragraphs: keep them together.
                    buf.push(' ');
                } else {
                    flush(&mut buf, &open, &mut doc.blocks);
                }
            }
            // A block of nothing but tags (`<section id="k1">`, `</div>`) is a
            // converter's markup around the text, not text; tags inside text
            // stay literal.
            Event::Html(t) if only_tags(&t) => {}
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                buf.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => buf.push('\n'),
            _ => {}
        }
    }
    flush(&mut buf, &open, &mut doc.blocks);
    // The single level-1 heading at the top is the document's title.
    if let Some(Block::Heading { level: 1, text }) = doc.blocks.first()
        && (doc.meta.title.is_empty() || doc.meta.title == *text)
    {
        doc.meta.title = text.clone();
        doc.blocks.remove(0);
    }
    doc
}

/// A title and kind the cover shows replace none the file states, or a file
/// name standing in for a title.
pub(crate) fn adopt_cover(meta: &mut crate::DocumentMeta, flat: &crate::flat::Flat) {
    if let Some(title) = &flat.title
        && (meta.title.is_empty() || meta::is_file_name_like(&meta.title))
    {
        meta.title = title.clone();
    }
    if let Some(kind) = &flat.doc_type
        && meta.doc_type.is_empty()
    {
        meta.doc_type = kind.clone();
    }
    // A decision line says when the document was decided; a bare date on a
    // cover is only the date it was printed or drafted.
    if let Some(date) = &flat.decided {
        meta.decided = date.clone();
    }
    if let Some(body) = &flat.decided_by
        && meta.decided_by.is_empty()
    {
        meta.decided_by = body.clone();
    }
}

/// The analysed lines as Markdown that says what the page showed: list
/// items as `- `, found headings as `#`, cover and furniture left out.
fn render(lines: &[crate::flat::FlatLine]) -> String {
    use crate::flat::Kind;
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        match line.kind {
            Kind::Drop => continue,
            Kind::Blank => {}
            Kind::Text => out.push_str(&line.text),
            Kind::Bullet => {
                out.push_str("- ");
                out.push_str(&line.text);
            }
            Kind::Heading(level) | Kind::Marked(level) => {
                out.push('\n');
                out.push_str(&"#".repeat(usize::from(level)));
                out.push(' ');
                out.push_str(&line.text);
                out.push('\n');
            }
        }
        out.push('\n');
        // A line of dashes under text would make it a heading (setext): keep them apart.
        if matches!(line.kind, Kind::Text | Kind::Bullet)
            && lines
                .get(i + 1)
                .is_some_and(|n| !n.text.is_empty() && n.text.chars().all(|c| c == '-' || c == '='))
        {
            out.push('\n');
        }
    }
    out
}

/// Joins the soft-wrapped lines of a paragraph, splitting it where a line
/// ends a sentence well short of the wrap width: text converted from a PDF
/// often has no blank line between its paragraphs.
fn split_soft_paragraphs(raw: &str) -> Vec<String> {
    let lines: Vec<&str> = raw
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let max = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let wrapped = lines.len() >= 3 && max >= 40;
    let mut out = Vec::new();
    let mut current = String::new();
    for (i, line) in lines.iter().enumerate() {
        join_wrapped(&mut current, line);
        let short = line.chars().count() * 100 < max * 85;
        let ends = matches!(line.chars().last(), Some('.' | '!' | '?' | ':'));
        let next_upper = lines
            .get(i + 1)
            .and_then(|n| n.chars().next())
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        if wrapped && short && ends && next_upper {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether `html` holds tags and whitespace only (no text between them).
fn only_tags(html: &str) -> bool {
    let mut depth = 0u32;
    let mut tags = 0u32;
    for c in html.chars() {
        match c {
            '<' => {
                depth += 1;
                tags += 1;
            }
            '>' if depth > 0 => depth -= 1,
            c if depth == 0 && !c.is_whitespace() => return false,
            _ => {}
        }
    }
    tags > 0 && depth == 0
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_paragraphs_lists_and_tables_become_blocks() {
        let doc = read(
            "---\ntitle: Inköpspolicy\n---\n# Inköpspolicy\n\n## 1. Syfte\n\nDen av nämnden an-\ntagna policyn *gäller*.\n\n1. första\n2. andra\n   - under\n\n| Belopp | Beslut |\n|---|---|\n| 100 | chef |\n",
        );
        assert_eq!(doc.meta.title, "Inköpspolicy");
        assert_eq!(
            doc.blocks,
            vec![
                Block::Heading {
                    level: 2,
                    text: "1. Syfte".into()
                },
                Block::Paragraph {
                    text: "Den av nämnden antagna policyn gäller.".into()
                },
                Block::ListItem {
                    depth: 1,
                    label: "1.".into(),
                    text: "första".into()
                },
                Block::ListItem {
                    depth: 1,
                    label: "2.".into(),
                    text: "andra".into()
                },
                Block::ListItem {
                    depth: 2,
                    label: "•".into(),
                    text: "under".into()
                },
                Block::TableRow {
                    cells: vec!["Belopp".into(), "Beslut".into()]
                },
                Block::TableRow {
                    cells: vec!["100".into(), "chef".into()]
                },
            ]
        );
    }

    #[test]
    fn a_converters_tag_blocks_are_not_clauses_but_tags_in_text_stay_text() {
        let doc = read(
            "<section id=\"p1\">\n\n1 § Lagen gäller.\n\n</section>\n\nText med <b>fet</b> stil.\n",
        );
        assert_eq!(
            doc.blocks,
            vec![
                Block::Paragraph {
                    text: "1 § Lagen gäller.".into()
                },
                Block::Paragraph {
                    text: "Text med <b>fet</b> stil.".into()
                },
            ]
        );
    }

    #[test]
    fn html_in_markdown_stays_inert_text() {
        let doc = read("Text <script>alert(1)</script> efter.\n");
        assert_eq!(
            doc.blocks,
            vec![Block::Paragraph {
                text: "Text <script>alert(1)</script> efter.".into()
            }]
        );
    }

    #[test]
    fn ordered_list_numbering_follows_the_start_number() {
        let doc = read("16. sexton\n17. sjutton\n");
        assert_eq!(
            doc.blocks,
            vec![
                Block::ListItem {
                    depth: 1,
                    label: "16.".into(),
                    text: "sexton".into()
                },
                Block::ListItem {
                    depth: 1,
                    label: "17.".into(),
                    text: "sjutton".into()
                },
            ]
        );
    }
}
