//! HTML through the `html5ever` tokenizer (entities, CRLF and broken markup are
//! handled the way a browser does). Only the main content is read: `<main>`,
//! `<article>`, `role="main"` or the law text box of Regeringskansliets
//! rättsdatabaser when present, and never scripts, styles, navigation,
//! headers, footers or forms. Text inside a block that holds hard-wrapped
//! lines with blank lines between paragraphs (as law pages do) is split at
//! the blank lines and its wrapped lines are joined, so a line that begins
//! with a cross-reference (`7 kap. 1 §.`) stays inside its paragraph.
//!
//! Bounded whatever the markup: closing a tag costs time only for the
//! elements it closes (a count per element name answers "is one open?"
//! without scanning the stack), an element whose end tag HTML lets one leave
//! out (`p`, `li`, `td`, …) is closed when the next one starts, nesting
//! deeper than [`Limits::max_nesting`] × 4 is refused, a tag with more than
//! [`MAX_ATTRIBUTES`] attributes is refused before tokenizing (the tokenizer
//! checks each attribute against all before it), and the text read is spent
//! against the import's [`Budget`].

use std::cell::RefCell;
use std::collections::HashMap;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, CharacterTokens, EndTag, StartTag, TagToken, Token, TokenSink, TokenSinkResult,
    Tokenizer, TokenizerOpts,
};

use crate::budget::Budget;
use crate::text::join_wrapped;
use crate::{Block, IngestError, Limits, RawDocument, meta};

/// The most attributes one tag may have; real pages use a handful.
pub const MAX_ATTRIBUTES: usize = 1_000;

/// Elements whose end tag may be left out, each closed when one of the
/// listed elements starts while it is the innermost open element.
const OPTIONAL_END: &[(&str, &[&str])] = &[
    (
        "p",
        &[
            "p",
            "div",
            "section",
            "article",
            "main",
            "ul",
            "ol",
            "table",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "pre",
            "blockquote",
            "hr",
            "address",
            "dl",
            "header",
            "footer",
            "nav",
            "aside",
            "form",
        ],
    ),
    ("li", &["li"]),
    ("dt", &["dt", "dd"]),
    ("dd", &["dt", "dd"]),
    ("td", &["td", "th", "tr"]),
    ("th", &["td", "th", "tr"]),
    ("tr", &["tr"]),
    ("option", &["option"]),
];

/// True when bytes begin (after whitespace and a BOM) like an HTML document.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let start: Vec<u8> = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(bytes)
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(15)
        .map(u8::to_ascii_lowercase)
        .collect();
    start.starts_with(b"<!doctype html") || start.starts_with(b"<html")
}

/// Elements whose content is never document text.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "head", "nav", "header", "footer", "aside", "form",
    "select", "button", "svg", "iframe", "object",
];
/// Elements that end a block of text.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "br",
    "li",
    "tr",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "blockquote",
    "dd",
    "dt",
    "table",
    "ul",
    "ol",
    "hr",
    "body",
    "title",
    "caption",
    "figcaption",
    "address",
];
const VOID: &[&str] = &[
    "br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "track",
    "wbr", "param",
];

/// What a block of text is, as the markup says.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Plain,
    Heading(u8),
    Item { depth: u8, label: String },
    Cell,
}

#[derive(Default)]
struct State {
    /// Open elements (names), for skip and main-content depth.
    stack: Vec<String>,
    /// How many elements of each name are open: an end tag with none open
    /// is ignored at once instead of searching the stack.
    open: HashMap<String, usize>,
    /// The import's budget (none only for the unit tests' `read_str`).
    budget: Option<Budget>,
    /// The first budget exceeded; later tokens are ignored.
    error: Option<IngestError>,
    max_depth: usize,
    skip_depth: Option<usize>,
    main_depth: Option<usize>,
    found_main: bool,
    title: String,
    in_title: bool,
    buf: String,
    kind: Vec<Kind>,
    /// Open lists: next number, or None for bullets.
    lists: Vec<Option<u32>>,
    row: Vec<String>,
    in_row: bool,
    /// Blocks inside the main content, and blocks outside it.
    main: Vec<Block>,
    outside: Vec<Block>,
}

struct Sink(RefCell<State>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut s = self.0.borrow_mut();
        if s.error.is_some() {
            return TokenSinkResult::Continue;
        }
        match token {
            TagToken(tag) => {
                let name = tag.name.to_string();
                let is_main = matches!(name.as_str(), "main" | "article")
                    || tag.attrs.iter().any(|a| {
                        let k = a.name.local.as_ref();
                        let v = a.value.as_ref();
                        (k == "role" && v == "main")
                            || (k == "class" && v.split_whitespace().any(|c| c == "body-text"))
                    });
                match tag.kind {
                    StartTag => {
                        if BLOCK.contains(&name.as_str()) {
                            s.flush();
                        }
                        s.close_optional(&name);
                        let raw = match name.as_str() {
                            "script" => Some(RawKind::ScriptData),
                            "style" | "noscript" | "iframe" | "xmp" => Some(RawKind::Rawtext),
                            "textarea" | "title" => Some(RawKind::Rcdata),
                            _ => None,
                        };
                        if VOID.contains(&name.as_str()) || tag.self_closing {
                            return TokenSinkResult::Continue;
                        }
                        if s.stack.len() >= s.max_depth
                            && let Some(b) = &s.budget
                        {
                            let e = b.refuse(format!(
                                "it nests elements more than {} deep",
                                s.max_depth
                            ));
                            s.error = Some(e);
                            return TokenSinkResult::Continue;
                        }
                        s.stack.push(name.clone());
                        *s.open.entry(name.clone()).or_default() += 1;
                        let depth = s.stack.len();
                        if s.skip_depth.is_none() && SKIP.contains(&name.as_str()) {
                            s.skip_depth = Some(depth);
                        }
                        if name == "title" {
                            s.in_title = true;
                        }
                        if is_main && s.main_depth.is_none() && !s.found_main {
                            s.main_depth = Some(depth);
                        }
                        match name.as_str() {
                            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                                let level = name.as_bytes()[1] - b'0';
                                s.kind.push(Kind::Heading(level));
                            }
                            "ol" => {
                                let start = tag
                                    .attrs
                                    .iter()
                                    .find(|a| a.name.local.as_ref() == "start")
                                    .and_then(|a| a.value.parse().ok())
                                    .unwrap_or(1);
                                s.lists.push(Some(start));
                            }
                            "ul" => s.lists.push(None),
                            "li" => {
                                let depth = s.lists.len().clamp(1, 255) as u8;
                                let label = match s.lists.last_mut() {
                                    Some(Some(n)) => {
                                        *n += 1;
                                        format!("{}.", *n - 1)
                                    }
                                    _ => "•".to_string(),
                                };
                                s.kind.push(Kind::Item { depth, label });
                            }
                            "tr" => {
                                s.in_row = true;
                                s.row.clear();
                            }
                            "td" | "th" => {
                                s.kind.push(Kind::Cell);
                                s.row.push(String::new());
                            }
                            _ => {}
                        }
                        if let Some(k) = raw {
                            return TokenSinkResult::RawData(k);
                        }
                    }
                    EndTag => {
                        if BLOCK.contains(&name.as_str()) || name == "title" {
                            s.flush();
                        }
                        // Close up to the matching element (tolerating unclosed ones).
                        s.close(&name);
                        match name.as_str() {
                            "title" => s.in_title = false,
                            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "td" | "th" => {
                                s.kind.pop();
                            }
                            "ol" | "ul" => {
                                s.lists.pop();
                            }
                            "tr" => s.end_row(),
                            _ => {}
                        }
                    }
                }
            }
            CharacterTokens(t) => {
                if s.in_title || s.skip_depth.is_none() {
                    let spent = match s.budget.as_mut() {
                        Some(b) => b.spend(t.len(), 0),
                        None => Ok(()),
                    };
                    if let Err(e) = spent {
                        s.error = Some(e);
                        return TokenSinkResult::Continue;
                    }
                }
                if s.in_title {
                    s.title.push_str(&t);
                } else if s.skip_depth.is_none() {
                    s.buf.push_str(&t);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl State {
    /// Closes the innermost open element named `name` and every element
    /// opened inside it. Costs time for the elements closed only: with none
    /// of that name open, nothing is searched.
    fn close(&mut self, name: &str) {
        if self.open.get(name).is_none_or(|n| *n == 0) {
            return;
        }
        let Some(pos) = self.stack.iter().rposition(|n| *n == name) else {
            return;
        };
        let depth = pos + 1;
        for closed in self.stack.drain(pos..) {
            if let Some(n) = self.open.get_mut(&closed) {
                *n = n.saturating_sub(1);
            }
        }
        if self.skip_depth.is_some_and(|d| d >= depth) {
            self.skip_depth = None;
        }
        if self.main_depth.is_some_and(|d| d >= depth) {
            self.main_depth = None;
            self.found_main = true;
        }
    }

    /// Before `starting` opens: closes the innermost element when HTML lets
    /// its end tag be left out there (`<p>a<p>b`, `<li>a<li>b`), as its end
    /// tag would.
    fn close_optional(&mut self, starting: &str) {
        let Some(top) = self.stack.last() else { return };
        let closes = OPTIONAL_END
            .iter()
            .any(|(open, by)| open == top && by.contains(&starting));
        if !closes {
            return;
        }
        let top = top.clone();
        self.close(&top);
        match top.as_str() {
            "li" | "td" | "th" => {
                self.kind.pop();
            }
            "tr" => self.end_row(),
            _ => {}
        }
    }

    /// The end of a table row: its cells become a block.
    fn end_row(&mut self) {
        self.in_row = false;
        let cells = std::mem::take(&mut self.row);
        if cells.iter().any(|c| !c.is_empty()) {
            self.push(Block::TableRow { cells });
        }
    }

    fn push(&mut self, block: Block) {
        if let Some(b) = self.budget.as_mut()
            && let Err(e) = b.spend(0, 1)
        {
            self.error.get_or_insert(e);
            return;
        }
        if self.main_depth.is_some() {
            self.main.push(block);
        } else if !self.found_main {
            self.outside.push(block);
        }
    }

    /// Ends the current block of text.
    fn flush(&mut self) {
        let raw = std::mem::take(&mut self.buf).replace(['\r', '\u{AD}'], "");
        if raw.trim().is_empty() {
            return;
        }
        let kind = self.kind.last().cloned().unwrap_or(Kind::Plain);
        // Paragraphs are separated by blank lines inside one element (law text).
        let chunks: Vec<String> = split_blank_lines(&raw);
        let several = chunks.len() > 1;
        for chunk in chunks {
            let block = match &kind {
                Kind::Cell if self.in_row => {
                    if let Some(cell) = self.row.last_mut() {
                        if !cell.is_empty() {
                            cell.push(' ');
                        }
                        cell.push_str(&chunk);
                    }
                    continue;
                }
                Kind::Heading(level) => Block::Heading {
                    level: *level,
                    text: chunk,
                },
                Kind::Item { depth, label } => Block::ListItem {
                    depth: *depth,
                    label: label.clone(),
                    text: chunk,
                },
                _ if several && looks_like_subheading(&chunk) => Block::Heading {
                    level: 3,
                    text: chunk,
                },
                _ => Block::Paragraph { text: chunk },
            };
            self.push(block);
        }
        if matches!(kind, Kind::Item { .. }) {
            // Further text in the same item is a continuation, not a new item.
            if let Some(Kind::Item { label, .. }) = self.kind.last_mut() {
                label.clear();
            }
        }
    }
}

/// Splits text at blank lines, joining the hard-wrapped lines of each part.
fn split_blank_lines(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in raw.split('\n') {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        join_wrapped(&mut current, &line);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A short unnumbered line without closing punctuation, such as
/// `Lagens omfattning`, between paragraphs of law text is a heading.
fn looks_like_subheading(s: &str) -> bool {
    s.chars().count() <= 80
        && s.split_whitespace().count() <= 8
        && s.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() && c.is_uppercase())
        && !matches!(s.chars().last(), Some('.' | ':' | ';' | ',' | '?' | '!'))
        && crate::structure::leading_number(s).is_none()
}

/// The most attributes any tag of `html` has, read as the tokenizer reads
/// tags (`<` and a letter, quoted values, up to `>`); it stops counting
/// once a tag has more than `cap`.
fn most_attributes(html: &str, cap: usize) -> usize {
    let b = html.as_bytes();
    let mut most = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        i += 1;
        let mut count = 0usize;
        let mut in_word = true; // the tag name
        while i < b.len() && b[i] != b'>' {
            match b[i] {
                q @ (b'"' | b'\'') if i > 0 && b[i - 1] == b'=' => {
                    i += 1;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                }
                c if c.is_ascii_whitespace() || c == b'/' => in_word = false,
                b'=' => in_word = true,
                _ => {
                    if !in_word {
                        count += 1;
                        if count > cap {
                            return count;
                        }
                    }
                    in_word = true;
                }
            }
            i += 1;
        }
        most = most.max(count);
    }
    most
}

/// Reads decoded HTML into blocks. `name` is the file's name and `bytes`
/// its size, for the budget and messages.
pub fn read(name: &str, html: &str, limits: &Limits) -> Result<RawDocument, IngestError> {
    let budget = Budget::new(name, html.len(), limits);
    if most_attributes(html, MAX_ATTRIBUTES) > MAX_ATTRIBUTES {
        return Err(budget.refuse(format!(
            "one of its tags has more than {MAX_ATTRIBUTES} attributes"
        )));
    }
    let state = State {
        budget: Some(budget),
        max_depth: limits.max_nesting.saturating_mul(4),
        ..State::default()
    };
    let mut doc = read_state(html, state);
    match doc.1.take() {
        Some(e) => Err(e),
        None => Ok(doc.0),
    }
}

/// Reads decoded HTML without a budget (unit tests).
#[cfg(test)]
fn read_str(html: &str) -> RawDocument {
    read_state(
        html,
        State {
            max_depth: usize::MAX,
            ..State::default()
        },
    )
    .0
}

fn read_state(html: &str, state: State) -> (RawDocument, Option<IngestError>) {
    let sink = Sink(RefCell::new(state));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let queue = BufferQueue::default();
    let html = html.replace("\r\n", "\n");
    // Fed in pieces, so that reading stops soon after a budget is exceeded.
    let mut rest = html.as_str();
    while !rest.is_empty() {
        let mut cut = rest.len().min(64 * 1024);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (piece, after) = rest.split_at(cut);
        rest = after;
        queue.push_back(StrTendril::from_slice(piece));
        let _ = tokenizer.feed(&queue);
        if tokenizer.sink.0.borrow().error.is_some() {
            break;
        }
    }
    tokenizer.end();
    let mut state = tokenizer.sink.0.take();
    if let Some(e) = state.error.take() {
        return (RawDocument::default(), Some(e));
    }
    state.flush();
    if let Some(e) = state.error.take() {
        return (RawDocument::default(), Some(e));
    }
    let mut doc = RawDocument::default();
    let found_main = state.found_main || state.main_depth.is_some();
    // Outside the main content: `Label: value` lines are metadata; a statute's
    // name (`Lag (2008:962) om …`) is its title.
    for b in &state.outside {
        if let Block::Paragraph { text } | Block::Heading { text, .. } = b {
            if let Some((k, v)) = text.split_once(':') {
                meta::set_field(&mut doc.meta, k, v);
            }
            if doc.meta.title.is_empty() && is_statute_title(text) {
                doc.meta.title = text.clone();
            }
        }
    }
    doc.blocks = if found_main {
        state.main
    } else {
        state.outside
    };
    if doc.meta.title.is_empty() {
        if let Some(pos) = doc
            .blocks
            .iter()
            .position(|b| matches!(b, Block::Heading { level: 1, .. }))
            && let Block::Heading { text, .. } = doc.blocks.remove(pos)
        {
            doc.meta.title = text;
        } else {
            doc.meta.title = state.title.split_whitespace().collect::<Vec<_>>().join(" ");
        }
    }
    (doc, None)
}

/// `Lag (2008:962) om valfrihetssystem`, `Bidragsbrottslag (2007:612)`.
fn is_statute_title(s: &str) -> bool {
    s.chars().count() <= 150
        && !s.contains(": ")
        && s.split_whitespace().any(|w| {
            let w = w.trim_end_matches([',', '.']);
            w.starts_with('(')
                && w.ends_with(')')
                && w[1..w.len() - 1].split_once(':').is_some_and(|(y, n)| {
                    y.len() == 4 && y.chars().chain(n.chars()).all(|c| c.is_ascii_digit())
                })
        })
        && s.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_crlf_and_wrapped_lines_in_the_main_content() {
        let doc = read_str(
            "<html><head><title>Sajt</title><script>var x = '<p>nej</p>';</script></head>\r\n<body><nav>Meny</nav>\
             <div><span>Utf&#228;rdad:</span> 2008-11-20</div><div><span>Lag (2008:962) om valfrihetssystem</span></div>\
             <div class=\"result-box-text body-text\">1 kap. Till&#228;mpning\r\n\r\nLagens omfattning\r\n\r\n\
             1 &#167; Denna lag g&#228;ller n&#228;r en myndighet beslutat enligt\r\n7 kap. 1 &sect;.\r\nIngen ny paragraf.\r\n</div>\
             <footer>Kontakt</footer></body></html>",
        );
        assert_eq!(doc.meta.title, "Lag (2008:962) om valfrihetssystem");
        assert_eq!(doc.meta.decided, "2008-11-20");
        assert_eq!(
            doc.blocks,
            vec![
                Block::Paragraph {
                    text: "1 kap. Tillämpning".into()
                },
                Block::Heading {
                    level: 3,
                    text: "Lagens omfattning".into()
                },
                Block::Paragraph {
                    text: "1 § Denna lag gäller när en myndighet beslutat enligt 7 kap. 1 §. Ingen ny paragraf.".into()
                },
            ]
        );
    }

    #[test]
    fn without_a_main_element_the_body_is_read_with_lists_and_tables() {
        let doc = read_str(
            "<!DOCTYPE html><html><head><title>Policy &amp; riktlinje</title><style>p{}</style></head><body>\
             <h2>Syfte</h2><p>Texten &auml;r\nh&aring;rt radbruten.</p><ol start=\"3\"><li>tre</li><li>fyra</li></ol>\
             <ul><li>punkt</li></ul><table><tr><th>Belopp</th><th>Beslut</th></tr><tr><td>100</td><td>chef</td></tr></table></body></html>",
        );
        assert_eq!(doc.meta.title, "Policy & riktlinje");
        assert_eq!(
            doc.blocks,
            vec![
                Block::Heading {
                    level: 2,
                    text: "Syfte".into()
                },
                Block::Paragraph {
                    text: "Texten är hårt radbruten.".into()
                },
                Block::ListItem {
                    depth: 1,
                    label: "3.".into(),
                    text: "tre".into()
                },
                Block::ListItem {
                    depth: 1,
                    label: "4.".into(),
                    text: "fyra".into()
                },
                Block::ListItem {
                    depth: 1,
                    label: "•".into(),
                    text: "punkt".into()
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
    fn html_is_recognised_by_its_start() {
        assert!(looks_like_html(b"\n  <!DOCTYPE html><html>"));
        assert!(looks_like_html(b"<HTML><body>"));
        assert!(!looks_like_html(b"Vanlig text <html>"));
    }
}
