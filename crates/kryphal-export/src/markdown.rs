//! The memo as Markdown (CommonMark with GitHub tables and `~~strike~~`).

use std::fmt::Write;

use crate::memo::{Block, Cell, Look, Span, TableKind};

/// Text from the document placed in Markdown: characters that would become
/// markup are escaped, line breaks become spaces.
pub(crate) fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Spans with their looks; emphasis markers go around the words, never
/// around the spaces next to them (CommonMark would not see them).
fn spans(spans: &[Span]) -> String {
    let mut out = String::new();
    for s in spans {
        let text = inline(&s.text);
        let core = text.trim();
        if core.is_empty() {
            out.push_str(&text);
            continue;
        }
        let lead = &text[..text.len() - text.trim_start().len()];
        let trail = &text[text.trim_end().len()..];
        let mut open = String::new();
        if s.look.strike {
            open.push_str("~~");
        }
        if s.look.bold {
            open.push_str("**");
        }
        if s.look.italic {
            open.push('*');
        }
        let mut close: String = open.chars().rev().collect();
        if s.look.underline && !s.look.bold {
            open.push_str("**");
            close.insert_str(0, "**");
        }
        let _ = write!(out, "{lead}{open}{core}{close}{trail}");
    }
    out
}

fn cell(c: &Cell) -> String {
    spans(&c.spans)
}

fn plain_cell(c: &Cell) -> String {
    let plain: Vec<Span> = c
        .spans
        .iter()
        .map(|s| Span {
            text: s.text.clone(),
            look: Look::default(),
        })
        .collect();
    spans(&plain)
}

pub(crate) fn render(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Title(t) => {
                let _ = writeln!(out, "# {}\n", inline(t));
            }
            Block::PageBreak => {}
            Block::Heading(level, t) => {
                let hashes = "#".repeat(usize::from(*level) + 1);
                let _ = writeln!(out, "{hashes} {}\n", inline(t));
            }
            Block::Para(s) => {
                let _ = writeln!(out, "{}\n", spans(s));
            }
            Block::Fields(fields) => {
                for (label, value) in fields {
                    let _ = writeln!(out, "- **{}:** {}", inline(label), inline(value));
                }
                out.push('\n');
            }
            Block::Quote(t) => {
                let _ = writeln!(out, "> {}\n", inline(t));
            }
            Block::Bullets(items) => {
                for item in items {
                    let _ = writeln!(out, "- {}", spans(item));
                }
                out.push('\n');
            }
            Block::Table {
                kind, header, rows, ..
            } => {
                let head: Vec<String> = header.iter().map(cell).collect();
                let _ = writeln!(out, "| {} |", head.join(" | "));
                let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
                for row in rows {
                    // Markdown has no underline, and marks inside a sentence
                    // break searching it: the wording table shows both texts
                    // whole, unmarked.
                    let cells: Vec<String> = if *kind == TableKind::Wording {
                        row.iter().map(plain_cell).collect()
                    } else {
                        row.iter().map(cell).collect()
                    };
                    let _ = writeln!(out, "| {} |", cells.join(" | "));
                }
                out.push('\n');
            }
        }
    }
    out
}
