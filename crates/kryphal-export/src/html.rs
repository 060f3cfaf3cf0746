//! The memo as one self-contained, print-ready HTML page: inline CSS, no
//! scripts, no external resources, a content security policy that forbids
//! both. Every piece of text is escaped.

use std::fmt::Write;

use crate::memo::{Block, Cell, Span, TableKind};
use crate::model::{Prepared, text_on, typo};

/// `text` escaped for HTML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A colour from the rulebook, used in a style attribute only if it is a
/// plain `#rrggbb`.
fn safe_color(c: &str) -> Option<&str> {
    let ok = c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit());
    ok.then_some(c)
}

fn spans(out: &mut String, spans: &[Span]) {
    for s in spans {
        let mut text = escape(&typo(&s.text));
        if s.look.italic {
            text = format!("<em>{text}</em>");
        }
        if s.look.bold && !s.look.underline {
            text = format!("<strong>{text}</strong>");
        }
        if s.look.strike {
            text = format!("<del>{text}</del>");
        }
        if s.look.underline {
            text = format!("<ins>{text}</ins>");
        }
        out.push_str(&text);
    }
}

/// A table cell; `scope` is `col` or `row` for header cells.
fn cell(out: &mut String, tag: &str, scope: Option<&str>, c: &Cell) {
    let _ = write!(out, "<{tag}");
    if let Some(scope) = scope {
        let _ = write!(out, " scope=\"{scope}\"");
    }
    if let Some(color) = c.fill.as_deref().and_then(safe_color) {
        let (r, g, b) = text_on(color);
        let _ = write!(
            out,
            " class=\"level\" style=\"background:{color};color:#{r:02x}{g:02x}{b:02x}\""
        );
    }
    out.push('>');
    spans(out, &c.spans);
    let _ = write!(out, "</{tag}>");
}

const STYLE: &str = r#"
@page { size: A4; margin: 2cm 2cm 2.2cm 2cm; }
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.4; color: #111; max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 18pt; margin: 0 0 .6em; }
h2 { font-size: 14pt; margin: 1.6em 0 .4em; border-bottom: 1px solid #999; padding-bottom: .1em; }
h3 { font-size: 12pt; margin: 1.4em 0 .3em; break-after: avoid; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: 0 0 1.5em; }
dl.fields dt { font-weight: bold; }
dl.fields dd { margin: 0; }
blockquote { margin: .6em 0 .8em; padding: .3em .9em; border-left: 4px solid #888; background: #f3f3f3; font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; break-inside: avoid; }
th, td { border: 1px solid #777; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #e4e4e4; }
td.level, th.level { font-weight: bold; }
table.wording td { width: 50%; }
del { text-decoration: line-through; color: #8b0000; }
ins { text-decoration: underline; font-weight: bold; color: #0b3d91; }
div.page-break { break-before: page; }
@media print { body { margin: 0; max-width: none; padding: 0; } a { color: inherit; } }
"#;

pub(crate) fn render(p: &Prepared<'_>, blocks: &[Block]) -> String {
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Title(t) => Some(t.as_str()),
            _ => None,
        })
        .unwrap_or_default();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        p.t.lang,
        escape(title)
    );
    for b in blocks {
        match b {
            Block::Title(t) => {
                let _ = writeln!(out, "<h1>{}</h1>", escape(&typo(t)));
            }
            Block::PageBreak => out.push_str("<div class=\"page-break\"></div>\n"),
            Block::Heading(level, t) => {
                let _ = writeln!(out, "<h{n}>{}</h{n}>", escape(&typo(t)), n = level + 1);
            }
            Block::Para(s) => {
                out.push_str("<p>");
                spans(&mut out, s);
                out.push_str("</p>\n");
            }
            Block::Fields(fields) => {
                out.push_str("<dl class=\"fields\">\n");
                for (label, value) in fields {
                    let _ = writeln!(
                        out,
                        "<dt>{}</dt><dd>{}</dd>",
                        escape(label),
                        escape(&typo(value))
                    );
                }
                out.push_str("</dl>\n");
            }
            Block::Quote(t) => {
                let _ = writeln!(out, "<blockquote>{}</blockquote>", escape(&typo(t)));
            }
            Block::Bullets(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str("<li>");
                    spans(&mut out, item);
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n");
            }
            Block::Table {
                kind, header, rows, ..
            } => {
                let class = match kind {
                    TableKind::Grid => "grid",
                    TableKind::Wording => "wording",
                    TableKind::Matrix => "matrix",
                };
                let _ = writeln!(out, "<table class=\"{class}\">\n<thead><tr>");
                for c in header {
                    cell(&mut out, "th", Some("col"), c);
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for (i, c) in row.iter().enumerate() {
                        if *kind == TableKind::Matrix && i == 0 {
                            cell(&mut out, "th", Some("row"), c);
                        } else {
                            cell(&mut out, "td", None, c);
                        }
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}
