//! ODT (OpenDocument Text) through `zip` + `quick-xml`: `content.xml` with
//! `text:h` (outline level), `text:p`, `text:list` (nesting, numbered or
//! bulleted by the list style) and tables row by row. Notes (`text:note`) are
//! appended to their paragraph; deleted tracked changes are skipped. The
//! text, each paragraph and cell, and the nesting of lists, tables and
//! paragraphs are spent against the import's [`Budget`]; a list style's
//! prefix and suffix are cut at [`MAX_AFFIX`] characters.

use std::collections::HashMap;

use quick_xml::events::Event;

use crate::budget::Budget;
use crate::xml::{Xml, attr, local, reference, text};
use crate::zipped::Archive;
use crate::{Block, IngestError, Limits, RawDocument};

/// The longest list-label prefix or suffix read (LibreOffice's own are a
/// character or two).
const MAX_AFFIX: usize = 16;

/// Reads an ODT file.
pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<RawDocument, IngestError> {
    let mut budget = Budget::new(name, bytes.len(), limits);
    let mut zip = Archive::open(name, bytes, limits)?;
    let content = zip
        .text("content.xml")?
        .ok_or_else(|| IngestError::Damaged {
            name: name.to_string(),
            reason: "the OpenDocument part content.xml is missing".into(),
        })?;
    if zip
        .text("META-INF/manifest.xml")?
        .is_some_and(|m| m.contains("encryption-data"))
    {
        return Err(IngestError::Encrypted {
            name: name.to_string(),
        });
    }
    let mut doc = RawDocument::default();
    // List styles: name → per level, whether it is numbered (prefix, format, suffix).
    let mut list_styles: ListStyles = HashMap::new();
    if let Some(styles) = zip.text("styles.xml")? {
        read_list_styles(name, "styles.xml", &styles, &mut list_styles)?;
    }
    read_list_styles(name, "content.xml", &content, &mut list_styles)?;
    let mut x = Xml::new(name, "content.xml", &content);
    // Open lists: (style, counters per depth).
    let mut lists: Vec<(Option<String>, u32)> = Vec::new();
    let mut list_style_stack: Vec<Option<String>> = Vec::new();
    // Paragraph stack (notes hold paragraphs of their own).
    let mut paras: Vec<(Option<u8>, String)> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut note_body: Option<String> = None;
    let mut note_depth = 0u32;
    let mut hidden = 0u32;
    let mut note_count = 0u32;
    // Tables: rows of cells of texts.
    let mut tables: Vec<TableState> = Vec::new();
    let mut item_started = false;
    loop {
        let event = x.next()?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let l = local(e);
                match l.as_str() {
                    "tracked-changes" | "note-citation" if !empty => hidden += 1,
                    _ if hidden > 0 => {}
                    "list" if !empty => {
                        budget.nesting(lists.len() + 1, "lists inside lists")?;
                        let style = attr(e, "style-name")
                            .or_else(|| list_style_stack.last().cloned().flatten());
                        list_style_stack.push(style.clone());
                        lists.push((style, 0));
                    }
                    "list-item" if !empty => {
                        if let Some(l) = lists.last_mut() {
                            l.1 += 1;
                        }
                        item_started = true;
                    }
                    "note" if !empty => {
                        note_depth += 1;
                        note_body = Some(String::new());
                    }
                    "h" | "p" if !empty => {
                        let level = (l.as_str() == "h").then(|| {
                            attr(e, "outline-level")
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(1)
                        });
                        if note_depth == 0 {
                            budget.nesting(paras.len() + 1, "paragraphs in frames")?;
                            paras.push((level, String::new()));
                        } else if let Some(b) = note_body.as_mut()
                            && !b.is_empty()
                        {
                            b.push(' ');
                        }
                    }
                    "table" if !empty => {
                        budget.nesting(tables.len() + 1, "tables inside tables")?;
                        tables.push(Default::default())
                    }
                    "table-cell" if !empty => budget.spend(0, 1)?,
                    "s" | "tab" | "line-break" => {
                        let n = attr(e, "c").and_then(|v| v.parse().ok()).unwrap_or(1usize);
                        let target = match note_body.as_mut() {
                            Some(b) if note_depth > 0 => Some(b),
                            _ => paras.last_mut().map(|p| &mut p.1),
                        };
                        if let Some(t) = target {
                            budget.spend(n.min(8), 0)?;
                            t.push_str(&" ".repeat(n.min(8)));
                        }
                    }
                    "soft-page-break" => {}
                    _ => {}
                }
            }
            Event::End(e) => {
                let l = e.local_name();
                match l.as_ref() {
                    "tracked-changes" | "note-citation" => hidden = hidden.saturating_sub(1),
                    _ if hidden > 0 => {}
                    "list" => {
                        lists.pop();
                        list_style_stack.pop();
                    }
                    "note" => {
                        note_depth = note_depth.saturating_sub(1);
                        if let Some(body) = note_body.take() {
                            note_count += 1;
                            if let Some(p) = paras.last_mut() {
                                p.1.push_str(&format!("[{note_count}]"));
                            }
                            notes.push(format!(
                                "[Fotnot {note_count}: {}]",
                                body.split_whitespace().collect::<Vec<_>>().join(" ")
                            ));
                        }
                    }
                    "h" | "p" if note_depth == 0 => {
                        let Some((level, raw)) = paras.pop() else {
                            continue;
                        };
                        let mut t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
                        t = t.replace('\u{AD}', "");
                        if t.is_empty() {
                            continue;
                        }
                        budget.spend(0, 1)?;
                        for n in notes.drain(..) {
                            t.push(' ');
                            t.push_str(&n);
                        }
                        let block = if let Some(level) = level {
                            Block::Heading { level, text: t }
                        } else if !lists.is_empty() && item_started {
                            item_started = false;
                            let depth = lists.len();
                            let (style, n) = lists.last().cloned().unwrap_or_default();
                            let numbered = style
                                .as_ref()
                                .and_then(|s| list_styles.get(s))
                                .and_then(|levels| levels.get(depth - 1).cloned().flatten());
                            let label = match numbered {
                                Some((prefix, format, suffix)) => {
                                    format!("{prefix}{}{suffix}", format_number(n, &format))
                                }
                                None => "•".to_string(),
                            };
                            budget.spend(label.len(), 0)?;
                            Block::ListItem {
                                depth: depth.min(255) as u8,
                                label,
                                text: t,
                            }
                        } else {
                            Block::Paragraph { text: t }
                        };
                        match tables.last_mut() {
                            Some((_, _, cell)) => cell.push(cell_text(&block)),
                            None => doc.blocks.push(block),
                        }
                    }
                    "table-cell" => {
                        if let Some((_, row, cell)) = tables.last_mut() {
                            row.push(std::mem::take(cell).join(" "));
                        }
                    }
                    "table-row" => {
                        if let Some((rows, row, _)) = tables.last_mut() {
                            rows.push(std::mem::take(row));
                        }
                    }
                    "table" => {
                        if let Some((rows, _, _)) = tables.pop() {
                            let blocks: Vec<Block> = rows
                                .into_iter()
                                .filter(|r| r.iter().any(|c| !c.is_empty()))
                                .map(|cells| {
                                    let filled: Vec<&String> =
                                        cells.iter().filter(|c| !c.is_empty()).collect();
                                    if filled.len() == 1 {
                                        Block::Paragraph {
                                            text: filled[0].clone(),
                                        }
                                    } else {
                                        Block::TableRow { cells }
                                    }
                                })
                                .collect();
                            match tables.last_mut() {
                                Some((_, _, cell)) => {
                                    cell.extend(blocks.iter().map(cell_text));
                                }
                                None => doc.blocks.extend(blocks),
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if hidden == 0 => {
                let t = text(&t);
                budget.spend(t.len(), 0)?;
                push_text(&mut paras, &mut note_body, note_depth, &t)
            }
            Event::GeneralRef(r) if hidden == 0 => {
                let r = reference(&r);
                budget.spend(r.len(), 0)?;
                push_text(&mut paras, &mut note_body, note_depth, &r)
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // The title the document's properties give.
    if let Some(meta) = zip.text("meta.xml")?
        && let Some(start) = meta.find("<dc:title>")
        && let Some(end) = meta[start..].find("</dc:title>")
    {
        doc.meta.title = meta[start + 10..start + end].trim().to_string();
    }
    Ok(doc)
}

/// A table being read: finished rows, the current row, the current cell.
type TableState = (Vec<Vec<String>>, Vec<String>, Vec<String>);

type ListStyles = HashMap<String, Vec<Option<(String, String, String)>>>;

/// Collects `text:list-style` definitions: per level, numbered or not.
fn read_list_styles(
    name: &str,
    part: &str,
    xml: &str,
    out: &mut ListStyles,
) -> Result<(), IngestError> {
    let mut x = Xml::new(name, part, xml);
    let mut current: Option<String> = None;
    loop {
        match x.next()? {
            Event::Start(e) | Event::Empty(e) => {
                let l = local(&e);
                if l == "list-style" {
                    current = attr(&e, "name");
                } else if (l == "list-level-style-number" || l == "list-level-style-bullet")
                    && let Some(s) = &current
                {
                    let level: usize = attr(&e, "level")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1)
                        .clamp(1, 10);
                    let levels = out.entry(s.clone()).or_default();
                    if levels.len() < level {
                        levels.resize(level, None);
                    }
                    levels[level - 1] = (l == "list-level-style-number").then(|| {
                        let affix = |key: &str| -> String {
                            attr(&e, key)
                                .unwrap_or_default()
                                .chars()
                                .take(MAX_AFFIX)
                                .collect()
                        };
                        (
                            affix("num-prefix"),
                            attr(&e, "num-format").unwrap_or_else(|| "1".into()),
                            affix("num-suffix"),
                        )
                    });
                }
            }
            Event::End(e) if e.local_name().as_ref() == "list-style" => current = None,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}

/// `3` in the list format `a` → `c`; `i` → roman; `1` → digits.
fn format_number(n: u32, format: &str) -> String {
    match format {
        "a" => char::from(b'a' + ((n.max(1) - 1) % 26) as u8).to_string(),
        "A" => char::from(b'A' + ((n.max(1) - 1) % 26) as u8).to_string(),
        "i" | "I" => {
            let r = [
                "", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
            ]
            .get(n as usize)
            .map(|s| s.to_string())
            .unwrap_or_else(|| n.to_string());
            if format == "I" { r.to_uppercase() } else { r }
        }
        "" => String::new(),
        _ => n.to_string(),
    }
}

fn push_text(paras: &mut [(Option<u8>, String)], note: &mut Option<String>, depth: u32, t: &str) {
    if depth > 0 {
        if let Some(n) = note.as_mut() {
            n.push_str(t);
        }
    } else if let Some(p) = paras.last_mut() {
        p.1.push_str(t);
    }
}

fn cell_text(b: &Block) -> String {
    match b {
        Block::Heading { text, .. } | Block::Paragraph { text } => text.clone(),
        Block::ListItem { label, text, .. } => format!("{label} {text}"),
        Block::TableRow { cells } => cells.join(" | "),
    }
}
