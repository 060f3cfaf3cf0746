//! PDF with a text layer through `lopdf`.
//!
//! `lopdf` parses the file; the page content streams are interpreted here
//! (text matrix, `cm`, `TJ` spacing, glyph widths) to recover lines in the
//! order they are drawn, then paragraphs from the line spacing, headings from
//! the font size (or a bold short line), list items from bullets. Running
//! headers and footers that repeat on the pages are dropped (see
//! [`crate::furniture`]), words hyphenated at line ends are rejoined and soft
//! hyphens removed. Text in fonts whose encoding cannot be decoded is left
//! out with a warning naming the pages. A PDF without a text layer (a scan)
//! is refused with the OCR message; an encrypted one with the password message;
//! one whose pages cannot be read (truncated, a reference loop, a content
//! stream that does not decompress) as damaged, naming the pages.
//! Any panic inside the parser is contained and reported as an unsafe file.
//!
//! The work is bounded. Before `lopdf` parses anything, the file's objects
//! are counted by a cheap scan ([`MAX_OBJECT_TOKENS`] numbers, names,
//! strings and brackets at most, stream data aside: `lopdf` keeps every one
//! as a value many times its size), and each object stream is checked as it
//! is loaded (unpacked to at most [`MAX_OBJECT_STREAM_BYTES`], its objects
//! counted against the same limit, its index in increasing order — an index
//! that points many objects at one offset would make one object many). The
//! content of a page is decompressed to at most
//! [`Limits::max_page_content_bytes`] and of all pages together to
//! [`Limits::max_unpacked_bytes`] (more is refused as a compression bomb);
//! operators are decoded one at a time and counted
//! ([`Limits::max_page_operations`] per page, sixteen times that per
//! document); graphics states nest at most [`Limits::max_nesting`] deep; a
//! font is read once however many pages use it, with at most
//! [`MAX_FONT_WIDTHS`] glyph widths; the text is spent against the import's
//! [`Budget`].

use std::collections::{BTreeSet, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::Encoding;
use lopdf::content::Content;
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};

use crate::budget::Budget;
use crate::furniture;
use crate::structure::leading_number;
use crate::text::join_wrapped;
use crate::{Block, IngestError, Limits, RawDocument};

/// The most numbers, names, strings and brackets a PDF's objects may hold
/// (stream data aside). A real document holds some thousands.
pub const MAX_OBJECT_TOKENS: usize = 2_000_000;

/// The most bytes one object stream may unpack to.
pub const MAX_OBJECT_STREAM_BYTES: usize = 16 * 1024 * 1024;

/// The most glyph widths read from one font (a real font has a few hundred,
/// a CJK font some tens of thousands).
pub const MAX_FONT_WIDTHS: usize = 65_536;

/// Reads a PDF file. Never panics: a crash in the parser becomes an error.
pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<RawDocument, IngestError> {
    match catch_unwind(AssertUnwindSafe(|| read_inner(name, bytes, limits))) {
        Ok(result) => result,
        Err(_) => Err(IngestError::Unsafe {
            name: name.to_string(),
            reason: "the PDF reader failed on its malformed contents".into(),
        }),
    }
}

/// One line of text on a page.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub text: String,
    pub y: f32,
    pub size: f32,
    pub bold: bool,
    /// Every word of the line is set in an italic font.
    pub italic: bool,
    pub page: u32,
    /// Where the line's first mark starts, and where its text starts after a
    /// list glyph (the same when there is none).
    pub x0: f32,
    pub x_text: f32,
    /// Where the line's last mark ends.
    pub x1: f32,
}

fn read_inner(name: &str, bytes: &[u8], limits: &Limits) -> Result<RawDocument, IngestError> {
    let tokens = object_tokens(bytes, MAX_OBJECT_TOKENS);
    let too_many = || IngestError::TooComplex {
        name: name.to_string(),
        what: format!(
            "its objects hold more than {MAX_OBJECT_TOKENS} numbers, names and strings (a real document holds some thousands)"
        ),
    };
    if tokens > MAX_OBJECT_TOKENS {
        return Err(too_many());
    }
    let load = |reconstruct: bool| {
        OBJECTS.with(|b| {
            *b.borrow_mut() = ObjectBudget {
                tokens_left: MAX_OBJECT_TOKENS - tokens,
                refused: None,
            }
        });
        let options = LoadOptions {
            max_decompressed_size: Some(MAX_OBJECT_STREAM_BYTES),
            filter: Some(object_stream_filter),
            force_reconstruct: reconstruct,
            ..LoadOptions::default()
        };
        let loaded = Document::load_mem_with_options(bytes, options);
        match OBJECTS.with(|b| b.borrow_mut().refused.take()) {
            Some(Refusal::Tokens) => Err(too_many()),
            Some(Refusal::Unsafe(reason)) => Err(IngestError::Unsafe {
                name: name.to_string(),
                reason,
            }),
            None => Ok(loaded),
        }
    };
    let loaded = match load(false)? {
        // With a filter lopdf does not rebuild a page tree it cannot read;
        // done here as lopdf does without one.
        Ok(doc) if doc.get_pages().is_empty() => match load(true)? {
            Ok(rebuilt) if !rebuilt.get_pages().is_empty() => Ok(rebuilt),
            _ => Ok(doc),
        },
        other => other,
    };
    let mut doc = loaded.map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => IngestError::Encrypted {
            name: name.to_string(),
        },
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            IngestError::Unsafe {
                name: name.to_string(),
                reason: format!(
                    "one of its object streams unpacks to more than {}, far more than any document's objects (a compression bomb)",
                    crate::budget::human_bytes(MAX_OBJECT_STREAM_BYTES as u64)
                ),
            }
        }
        other => IngestError::Damaged {
            name: name.to_string(),
            reason: format!("its PDF structure could not be read: {other}"),
        },
    })?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(IngestError::Encrypted {
            name: name.to_string(),
        });
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(IngestError::Damaged {
            name: name.to_string(),
            reason: "it has no pages".into(),
        });
    }
    let mut work = Work {
        budget: Budget::new(name, bytes.len(), limits),
        content_left: limits.max_unpacked_bytes,
        operations_left: limits.max_page_operations.saturating_mul(16),
        limits: *limits,
        fonts: HashMap::new(),
    };
    let mut all_pages: Vec<Vec<Line>> = Vec::new();
    let mut garbled: BTreeSet<u32> = BTreeSet::new();
    // Pages whose content could not be read, with the first reason.
    let mut unreadable: BTreeSet<u32> = BTreeSet::new();
    let mut first_reason: Option<String> = None;
    let mut chars = 0usize;
    let mut images = false;
    for (&number, &page_id) in &pages {
        work.budget.spend(0, 1)?;
        let (lines, bad) = match page_lines(&doc, page_id, number, &mut work)? {
            Ok(page) => page,
            Err(reason) => {
                unreadable.insert(number);
                first_reason.get_or_insert(reason);
                (Vec::new(), false)
            }
        };
        if bad {
            garbled.insert(number);
        }
        chars += lines
            .iter()
            .map(|l| l.text.chars().filter(|c| !c.is_whitespace()).count())
            .sum::<usize>();
        if lines.is_empty() && !images {
            images = doc.get_page_images(page_id).is_ok_and(|i| !i.is_empty());
        }
        all_pages.push(lines);
    }
    if chars < 16 * pages.len().min(4) && garbled.is_empty() {
        // No text: a scan only when nothing stood in the way of reading it.
        if let Some(reason) = first_reason {
            return Err(IngestError::Damaged {
                name: name.to_string(),
                reason: format!(
                    "the content of {} cannot be read: {reason}",
                    page_list(&unreadable)
                ),
            });
        }
        let _ = images;
        return Err(IngestError::NoTextLayer {
            name: name.to_string(),
        });
    }
    let mut raw = RawDocument::default();
    if !unreadable.is_empty() {
        raw.warnings.push(format!(
            "The content of {} could not be read ({}); the text there is missing, so check those pages against the original.",
            page_list(&unreadable),
            first_reason.unwrap_or_default()
        ));
    }
    if !garbled.is_empty() {
        let list: Vec<String> = garbled.iter().map(u32::to_string).collect();
        raw.warnings.push(format!(
            "Some text on page{} {} uses a font encoding that cannot be decoded; it was left out, so check those pages against the original.",
            if list.len() > 1 { "s" } else { "" },
            list.join(", ")
        ));
    }
    furniture::drop_running_lines(&mut all_pages);
    raw.blocks = blocks_from_lines(all_pages.into_iter().flatten().collect());
    if let Ok(info) = doc.trailer.get(b"Info").and_then(Object::as_reference)
        && let Ok(dict) = doc.get_dictionary(info)
        && let Ok(Object::String(title, _)) = dict.get(b"Title")
    {
        raw.meta.title = pdf_string(title);
    }
    // A title that is only a file name or a template name is no title.
    if crate::meta::is_file_name_like(&raw.meta.title) {
        raw.meta.title.clear();
    }
    Ok(raw)
}

/// Why loading stopped.
enum Refusal {
    /// The objects hold too many tokens.
    Tokens,
    /// An object stream is built to blow up (the reason).
    Unsafe(String),
}

/// What the object streams of the PDF being loaded may still hold. Per
/// thread, because `lopdf`'s load filter is a plain function.
struct ObjectBudget {
    tokens_left: usize,
    refused: Option<Refusal>,
}

thread_local! {
    static OBJECTS: std::cell::RefCell<ObjectBudget> = const {
        std::cell::RefCell::new(ObjectBudget {
            tokens_left: 0,
            refused: None,
        })
    };
}

/// `lopdf`'s load filter: keeps every object, except an object stream over
/// the budget, which is dropped unread and stops the load's acceptance.
fn object_stream_filter(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    if let Object::Stream(stream) = &*object
        && stream.dict.has_type(b"ObjStm")
    {
        let keep = OBJECTS.with(|b| {
            let mut b = b.borrow_mut();
            if b.refused.is_some() {
                return false;
            }
            match check_object_stream(stream, b.tokens_left) {
                Ok(tokens) => {
                    b.tokens_left -= tokens;
                    true
                }
                Err(refusal) => {
                    b.refused = Some(refusal);
                    false
                }
            }
        });
        if !keep {
            return None;
        }
    }
    // lopdf keeps its own `object` for a top-level object and uses the
    // returned one only for the members of an object stream, which are never
    // streams (ISO 32000-1, 7.5.7): a stream's content is not copied.
    let kept = match object {
        Object::Stream(_) => Object::Null,
        other => other.clone(),
    };
    Some((id, kept))
}

/// The tokens an object stream holds, checked: unpacked within
/// [`MAX_OBJECT_STREAM_BYTES`], its index in increasing order of offsets
/// (ISO 32000-1, 7.5.7), at most `left` tokens. A stream that does not
/// unpack is left to `lopdf`, which skips it.
fn check_object_stream(stream: &lopdf::Stream, left: usize) -> Result<usize, Refusal> {
    let content = match stream.decompressed_content_with_limit(MAX_OBJECT_STREAM_BYTES) {
        Ok(c) => c,
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
            return Err(Refusal::Unsafe(format!(
                "one of its object streams unpacks to more than {}, far more than any document's objects (a compression bomb)",
                crate::budget::human_bytes(MAX_OBJECT_STREAM_BYTES as u64)
            )));
        }
        Err(_) => return Ok(0),
    };
    let first = stream
        .dict
        .get(b"First")
        .and_then(Object::as_i64)
        .unwrap_or(0)
        .clamp(0, content.len() as i64) as usize;
    let index = &content[..first];
    let mut last: Option<u64> = None;
    let mut numbers = 0usize;
    for (i, word) in index
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        numbers += 1;
        if numbers > left {
            return Err(Refusal::Tokens);
        }
        if i % 2 == 1 {
            let offset: u64 = std::str::from_utf8(word)
                .ok()
                .and_then(|w| w.parse().ok())
                .unwrap_or(0);
            if last.is_some_and(|l| offset <= l) {
                return Err(Refusal::Unsafe(
                    "one of its object streams lists objects at the same place or out of order, which would make one object many (an object bomb)".into(),
                ));
            }
            last = Some(offset);
        }
    }
    let tokens = numbers + object_tokens(&content[first..], left - numbers);
    if tokens > left {
        return Err(Refusal::Tokens);
    }
    Ok(tokens)
}

/// How many tokens (numbers, names, strings, keywords, brackets) the
/// objects in `bytes` hold, stream data and cross-reference tables aside;
/// it stops counting once past `cap`. A cheap scan by PDF's lexical rules,
/// with no values built.
fn object_tokens(bytes: &[u8], cap: usize) -> usize {
    const WHITE: &[u8] = b" \t\r\n\x0c\x00";
    const DELIMITERS: &[u8] = b"()<>[]{}/%";
    let find = |from: usize, needle: &[u8]| -> Option<usize> {
        bytes
            .get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| from + p)
    };
    let n = bytes.len();
    let mut i = 0;
    let mut tokens = 0;
    while i < n && tokens <= cap {
        let c = bytes[i];
        if WHITE.contains(&c) || c == b'>' {
            i += 1;
            continue;
        }
        match c {
            b'%' => {
                i = bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n' || b == b'\r')
                    .map_or(n, |p| i + p + 1);
            }
            b'(' => {
                let mut depth = 1;
                i += 1;
                while i < n && depth > 0 {
                    match bytes[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => depth -= 1,
                        _ => {}
                    }
                    i += 1;
                }
                tokens += 1;
            }
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                tokens += 1;
                i += 2;
            }
            b'<' => {
                i = bytes[i..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(n, |p| i + p + 1);
                tokens += 1;
            }
            b'[' | b']' | b'{' | b'}' => {
                tokens += 1;
                i += 1;
            }
            _ => {
                let start = i;
                i += 1;
                while i < n && !WHITE.contains(&bytes[i]) && !DELIMITERS.contains(&bytes[i]) {
                    i += 1;
                }
                tokens += 1;
                match &bytes[start..i] {
                    b"stream" => i = find(i, b"endstream").map_or(n, |p| p + 9),
                    b"xref" => i = find(i, b"trailer").unwrap_or(n),
                    _ => {}
                }
            }
        }
    }
    tokens
}

/// `page 3`, `pages 2, 5, 7` (at most ten numbers, then `…`).
fn page_list(pages: &BTreeSet<u32>) -> String {
    let mut list: Vec<String> = pages.iter().take(10).map(u32::to_string).collect();
    if pages.len() > 10 {
        list.push("…".into());
    }
    format!(
        "page{} {}",
        if pages.len() > 1 { "s" } else { "" },
        list.join(", ")
    )
}

/// What reading the pages may still spend, and the fonts read so far.
struct Work<'a> {
    budget: Budget,
    /// Decompressed content bytes left for the remaining pages.
    content_left: u64,
    /// Operators left for the remaining pages.
    operations_left: usize,
    limits: Limits,
    /// Fonts by the address of their dictionary in the loaded document: a
    /// font used on every page is read once.
    fonts: HashMap<usize, std::rc::Rc<Font<'a>>>,
}

/// A PDF text string: UTF-16BE with a BOM, else PDFDocEncoding (≈ Latin-1).
fn pdf_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units).trim().to_string();
    }
    bytes
        .iter()
        .map(|&b| char::from(b))
        .collect::<String>()
        .trim()
        .to_string()
}

/// A font as far as text extraction needs it.
struct Font<'a> {
    encoding: Option<Encoding<'a>>,
    two_byte: bool,
    first: u32,
    widths: Vec<f32>,
    cid_widths: HashMap<u32, f32>,
    default_width: f32,
    bold: bool,
    italic: bool,
}

impl Font<'_> {
    fn width(&self, code: u32) -> f32 {
        if self.two_byte {
            return self
                .cid_widths
                .get(&code)
                .copied()
                .unwrap_or(self.default_width);
        }
        code.checked_sub(self.first)
            .and_then(|i| self.widths.get(i as usize))
            .copied()
            .filter(|w| *w > 0.0)
            .unwrap_or(self.default_width)
    }
}

fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn load_font<'a>(doc: &'a Document, dict: &'a Dictionary, limit: usize) -> Font<'a> {
    let resolve = |o: &'a Object| doc.dereference(o).map(|(_, o)| o).ok();
    let subtype = dict
        .get(b"Subtype")
        .and_then(Object::as_name)
        .unwrap_or(b"");
    let base = dict
        .get(b"BaseFont")
        .and_then(Object::as_name)
        .map(|n| String::from_utf8_lossy(n).to_lowercase())
        .unwrap_or_default();
    let bold = base.contains("bold") || base.contains("fet") || base.contains("black");
    let italic = base.contains("italic") || base.contains("oblique") || base.contains("kursiv");
    let two_byte = subtype == b"Type0";
    let mut font = Font {
        encoding: dict.get_font_encoding_with_limit(doc, limit).ok(),
        two_byte,
        first: 0,
        widths: Vec::new(),
        cid_widths: HashMap::new(),
        default_width: if two_byte { 1000.0 } else { 500.0 },
        bold,
        italic,
    };
    if two_byte {
        let descendant = dict
            .get(b"DescendantFonts")
            .ok()
            .and_then(resolve)
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(resolve)
            .and_then(|o| o.as_dict().ok());
        if let Some(d) = descendant {
            if let Some(dw) = d.get(b"DW").ok().and_then(number) {
                font.default_width = dw;
            }
            if let Some(w) = d
                .get(b"W")
                .ok()
                .and_then(resolve)
                .and_then(|o| o.as_array().ok())
            {
                let mut i = 0;
                while i < w.len() {
                    let Some(start) = number(&w[i]) else { break };
                    match w.get(i + 1).and_then(resolve) {
                        Some(Object::Array(ws)) => {
                            for (k, v) in ws.iter().enumerate() {
                                if font.cid_widths.len() >= MAX_FONT_WIDTHS {
                                    break;
                                }
                                if let Some(v) = number(v) {
                                    font.cid_widths
                                        .insert((start as u32).saturating_add(k as u32), v);
                                }
                            }
                            i += 2;
                        }
                        Some(end) => {
                            let (Some(end), Some(v)) = (number(end), w.get(i + 2).and_then(number))
                            else {
                                break;
                            };
                            let left = MAX_FONT_WIDTHS.saturating_sub(font.cid_widths.len()) as u32;
                            let first = start as u32;
                            let last = (end as u32).min(first.saturating_add(left.min(65_535)));
                            for c in first..=last {
                                if font.cid_widths.len() >= MAX_FONT_WIDTHS {
                                    break;
                                }
                                font.cid_widths.insert(c, v);
                            }
                            i += 3;
                        }
                        None => break,
                    }
                    if font.cid_widths.len() >= MAX_FONT_WIDTHS {
                        break;
                    }
                }
            }
        }
    } else {
        font.first = dict.get(b"FirstChar").ok().and_then(number).unwrap_or(0.0) as u32;
        if let Some(ws) = dict
            .get(b"Widths")
            .ok()
            .and_then(resolve)
            .and_then(|o| o.as_array().ok())
        {
            font.widths = ws
                .iter()
                .take(MAX_FONT_WIDTHS)
                .map(|o| resolve(o).and_then(number).unwrap_or(0.0))
                .collect();
        }
        if let Some(missing) = dict
            .get(b"FontDescriptor")
            .ok()
            .and_then(resolve)
            .and_then(|o| o.as_dict().ok())
            .and_then(|d| d.get(b"MissingWidth").ok().and_then(number))
            .filter(|w| *w > 0.0)
        {
            font.default_width = missing;
        }
    }
    font
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn translate(tx: f32, ty: f32, m: &Matrix) -> Matrix {
    mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], m)
}

/// A run of text drawn at one place.
struct Span {
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    text: String,
    bold: bool,
    italic: bool,
    font: Vec<u8>,
}

/// Why a page's content was not read.
#[derive(Debug, PartialEq)]
enum Unread {
    /// It decompresses to more than the limit: a compression bomb.
    TooLarge,
    /// It is missing or damaged: the reason, a lower-case clause.
    Damaged(String),
}

/// The page's content streams, decoded and joined, and why some of it may
/// be wrong (a stream that did not decompress is read as it is, as other
/// readers do; a page that then shows no text is reported with the reason).
/// Plain LZW streams (old Acrobat files) are decoded here in small steps:
/// lopdf's LZW path zeroes a large buffer for every stream, which made such
/// files several times slower than pdftotext. Everything else goes through
/// lopdf. [`Unread::TooLarge`] when the decoded content would exceed `limit`.
fn page_content(
    doc: &Document,
    page_id: ObjectId,
    limit: usize,
) -> Result<(Vec<u8>, Option<String>), Unread> {
    let ids = doc.get_page_contents(page_id);
    if ids.is_empty() {
        // A page without content is blank, unless its content entry leads nowhere.
        let refers = doc
            .get_dictionary(page_id)
            .is_ok_and(|d| d.get(b"Contents").is_ok());
        if refers {
            return Err(Unread::Damaged(
                "its content entry leads to no content stream (a reference loop or a missing object)"
                    .into(),
            ));
        }
        return Ok((Vec::new(), None));
    }
    let mut streams: Vec<&lopdf::Stream> = Vec::new();
    for &id in &ids {
        match doc.get_object(id) {
            Ok(Object::Stream(s)) => streams.push(s),
            Ok(_) => {
                return Err(Unread::Damaged(format!(
                    "its content object {} {} is not a stream",
                    id.0, id.1
                )));
            }
            Err(_) => {
                return Err(Unread::Damaged(format!(
                    "its content object {} {} is missing (the file may be truncated)",
                    id.0, id.1
                )));
            }
        }
    }
    let plain_lzw = |s: &lopdf::Stream| {
        matches!(s.filters().as_deref(), Ok([b"LZWDecode"])) && s.dict.get(b"DecodeParms").is_err()
    };
    let mut content = Vec::new();
    if !streams.iter().all(|s| plain_lzw(s)) {
        let mut problem = None;
        for stream in streams {
            let remaining = limit.saturating_sub(content.len());
            match stream.decompressed_content_with_limit(remaining) {
                Ok(data) => content.extend_from_slice(&data),
                Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                    ..
                })) => return Err(Unread::TooLarge),
                Err(e) => {
                    if stream.content.len() > remaining {
                        return Err(Unread::TooLarge);
                    }
                    problem.get_or_insert_with(|| {
                        format!("a content stream does not decompress ({e})")
                    });
                    content.extend_from_slice(&stream.content);
                }
            }
            content.push(b'\n');
        }
        return Ok((content, problem));
    }
    let mut buf = vec![0u8; 1 << 16];
    for stream in streams {
        // PDF's LZW is TIFF-style (EarlyChange 1 by default), most significant bit first.
        let mut decoder = weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
        let mut input = stream.content.as_slice();
        loop {
            let result = decoder.decode_bytes(input, &mut buf);
            content.extend_from_slice(&buf[..result.consumed_out]);
            input = &input[result.consumed_in..];
            if content.len() > limit {
                return Err(Unread::TooLarge);
            }
            match result.status {
                Ok(weezl::LzwStatus::Ok) if result.consumed_in > 0 || result.consumed_out > 0 => {}
                // Done, out of input, or damaged: keep what was decoded, as lopdf does.
                _ => break,
            }
        }
        content.push(b'\n');
    }
    Ok((content, None))
}

/// The lines of one page in drawing order and whether some text was
/// garbled; the inner `Err` is why the page could not be read (a damaged
/// page), the outer one a refusal of the whole file (a budget exceeded).
#[allow(clippy::type_complexity)]
fn page_lines<'a>(
    doc: &'a Document,
    page_id: ObjectId,
    page: u32,
    work: &mut Work<'a>,
) -> Result<Result<(Vec<Line>, bool), String>, IngestError> {
    let limit = usize::try_from(work.limits.max_page_content_bytes.min(work.content_left))
        .unwrap_or(usize::MAX);
    let (content, problem) = match page_content(doc, page_id, limit) {
        Ok(c) => c,
        Err(Unread::Damaged(reason)) => return Ok(Err(reason)),
        Err(Unread::TooLarge) => {
            let whole = work.content_left < work.limits.max_page_content_bytes;
            return Err(IngestError::Unsafe {
                name: work.budget.name().to_string(),
                reason: if whole {
                    format!(
                        "the content of its pages unpacks to more than {} in all (page {page} is where it passed that), far more than the text of any document (a compression bomb)",
                        crate::budget::human_bytes(work.limits.max_unpacked_bytes)
                    )
                } else {
                    format!(
                        "the content of page {page} unpacks to more than {}, far more than the text of any page (a compression bomb)",
                        crate::budget::human_bytes(work.limits.max_page_content_bytes)
                    )
                },
            });
        }
    };
    work.content_left = work.content_left.saturating_sub(content.len() as u64);
    let font_limit = usize::try_from(work.limits.max_page_content_bytes).unwrap_or(usize::MAX);
    let mut fonts: HashMap<Vec<u8>, std::rc::Rc<Font<'a>>> = HashMap::new();
    if let Ok(page_fonts) = doc.get_page_fonts(page_id) {
        for (key, dict) in page_fonts {
            let address = dict as *const Dictionary as usize;
            let font = work
                .fonts
                .entry(address)
                .or_insert_with(|| std::rc::Rc::new(load_font(doc, dict, font_limit)))
                .clone();
            fonts.insert(key, font);
        }
    }
    let mut spans: Vec<Span> = Vec::new();
    let mut ctm = IDENTITY;
    // `q`/`Q` save and restore the whole graphics state, the text state
    // (font, size, spacing) included: a footnote mark set small inside
    // `q … Q` must not shrink the text after it.
    type Saved<'f> = (
        Matrix,
        f32,
        f32,
        f32,
        f32,
        f32,
        Option<(&'f Vec<u8>, &'f Font<'f>)>,
    );
    let mut stack: Vec<Saved> = Vec::new();
    let mut tm = IDENTITY;
    let mut tlm = IDENTITY;
    let (mut size, mut leading, mut char_sp, mut word_sp, mut scale) =
        (1.0f32, 0.0f32, 0.0f32, 0.0f32, 1.0f32);
    let mut font: Option<(&Vec<u8>, &Font)> = None;
    let mut operations = 0usize;
    let mut broken = problem;
    // One operator at a time: a page of a hundred million operators is
    // never held whole, and is refused once it passes the limit.
    for op in Content::decode_iter(&content) {
        let op = match op {
            Ok(op) => op,
            Err(e) => {
                // What was read so far stands, as with other readers.
                broken.get_or_insert_with(|| format!("its content is malformed ({e})"));
                break;
            }
        };
        operations += 1;
        if operations > work.limits.max_page_operations {
            return Err(work.budget.refuse(format!(
                "page {page} draws more than {} operators (a real page draws some thousands)",
                work.limits.max_page_operations
            )));
        }
        if work.operations_left == 0 {
            return Err(work.budget.refuse(format!(
                "its pages draw more than {} operators in all (page {page} is where it passed that)",
                work.limits.max_page_operations.saturating_mul(16)
            )));
        }
        work.operations_left -= 1;
        let n = |i: usize| op.operands.get(i).and_then(number).unwrap_or(0.0);
        match op.operator.as_str() {
            "q" => {
                work.budget.nesting(stack.len() + 1, "graphics states")?;
                stack.push((ctm, size, leading, char_sp, word_sp, scale, font))
            }
            "Q" => {
                if let Some(saved) = stack.pop() {
                    (ctm, size, leading, char_sp, word_sp, scale, font) = saved;
                } else {
                    ctm = IDENTITY;
                }
            }
            "cm" => ctm = mul(&[n(0), n(1), n(2), n(3), n(4), n(5)], &ctm),
            "BT" => {
                tm = IDENTITY;
                tlm = IDENTITY;
            }
            "Tf" => {
                size = n(1);
                font = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|name| fonts.get_key_value(name))
                    .map(|(k, f)| (k, &**f));
            }
            "TL" => leading = n(0),
            "Tc" => char_sp = n(0),
            "Tw" => word_sp = n(0),
            "Tz" => scale = n(0) / 100.0,
            "Td" => {
                tlm = translate(n(0), n(1), &tlm);
                tm = tlm;
            }
            "TD" => {
                leading = -n(1);
                tlm = translate(n(0), n(1), &tlm);
                tm = tlm;
            }
            "Tm" => {
                tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                tm = tlm;
            }
            "T*" => {
                tlm = translate(0.0, -leading, &tlm);
                tm = tlm;
            }
            "Tj" | "TJ" | "'" | "\"" => {
                if matches!(op.operator.as_str(), "'" | "\"") {
                    tlm = translate(0.0, -leading, &tlm);
                    tm = tlm;
                }
                let Some((key, f)) = font else { continue };
                let items: Vec<&Object> = match op.operator.as_str() {
                    "TJ" => op
                        .operands
                        .first()
                        .and_then(|o| o.as_array().ok())
                        .map(|a| a.iter().collect())
                        .unwrap_or_default(),
                    "\"" => op.operands.get(2).into_iter().collect(),
                    _ => op.operands.first().into_iter().collect(),
                };
                let start = mul(&tm, &ctm);
                let device_size = (size * (start[2].hypot(start[3]))).abs().max(0.1);
                let mut text = String::new();
                for item in items {
                    match item {
                        Object::String(bytes, _) => {
                            if let Some(enc) = &f.encoding
                                && let Ok(s) = Document::decode_text(enc, bytes)
                            {
                                text.push_str(&s);
                            }
                            let codes: Vec<u32> = if f.two_byte {
                                bytes
                                    .chunks(2)
                                    .map(|c| {
                                        u32::from(c[0]) << 8 | u32::from(*c.get(1).unwrap_or(&0))
                                    })
                                    .collect()
                            } else {
                                bytes.iter().map(|&b| u32::from(b)).collect()
                            };
                            for code in codes {
                                let mut adv = f.width(code) / 1000.0 * size + char_sp;
                                if !f.two_byte && code == 32 {
                                    adv += word_sp;
                                }
                                tm = translate(adv * scale, 0.0, &tm);
                            }
                        }
                        other => {
                            if let Some(k) = number(other) {
                                if k < -200.0 && !text.ends_with(' ') {
                                    text.push(' ');
                                }
                                tm = translate(-k / 1000.0 * size * scale, 0.0, &tm);
                            }
                        }
                    }
                }
                let end = mul(&tm, &ctm);
                if !text.is_empty() {
                    work.budget.spend(text.len(), 1)?;
                    spans.push(Span {
                        x0: start[4],
                        x1: end[4],
                        y: start[5],
                        size: device_size,
                        text,
                        bold: f.bold,
                        italic: f.italic,
                        font: key.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    let garbled = drop_garbled(&mut spans);
    if std::env::var_os("KRYPHAL_DEBUG_PDF").is_some() {
        for s in &spans {
            eprintln!(
                "p{page} x{:.1}-{:.1} y{:.1} s{:.1} b{} {:?}",
                s.x0, s.x1, s.y, s.size, s.bold, s.text
            );
        }
    }
    let lines = lines_from_spans(spans, page);
    if lines.is_empty()
        && let Some(reason) = broken
    {
        return Ok(Err(reason));
    }
    Ok(Ok((lines, garbled)))
}

/// Removes the text of fonts whose decoded text is mostly not words.
fn drop_garbled(spans: &mut Vec<Span>) -> bool {
    let mut per_font: HashMap<&[u8], (usize, usize)> = HashMap::new();
    for s in spans.iter() {
        let e = per_font.entry(&s.font).or_default();
        for w in s.text.split_whitespace() {
            e.0 += 1;
            if garbled_word(w) {
                e.1 += 1;
            }
        }
    }
    let bad: Vec<Vec<u8>> = per_font
        .into_iter()
        .filter(|(_, (words, bad))| *bad >= 1 && *bad * 3 >= *words)
        .map(|(k, _)| k.to_vec())
        .collect();
    if bad.is_empty() {
        return false;
    }
    spans.retain(|s| !bad.contains(&s.font));
    true
}

/// A "word" that no language has: letters with digits or odd symbols inside,
/// control or replacement characters.
pub(crate) fn garbled_word(w: &str) -> bool {
    let w = w.trim_matches(|c: char| c.is_ascii_punctuation() || c == '–' || c == '”');
    if w.chars()
        .any(|c| c == '\u{FFFD}' || (c.is_control() && c != '\t'))
    {
        return true;
    }
    let chars: Vec<char> = w.chars().collect();
    if chars.len() < 4 {
        return false;
    }
    let inner_symbol = chars[1..chars.len() - 1].iter().any(|c| {
        matches!(
            c,
            '|' | '\\'
                | '^'
                | '~'
                | '{'
                | '}'
                | '<'
                | '>'
                | '@'
                | '#'
                | '$'
                | '%'
                | '*'
                | '='
                | '+'
                | '['
        )
    });
    let digit_inside = chars
        .windows(3)
        .any(|t| t[0].is_alphabetic() && t[1].is_ascii_digit() && t[2].is_alphabetic());
    let case_switches = chars
        .windows(2)
        .filter(|p| p[0].is_lowercase() && p[1].is_uppercase())
        .count();
    inner_symbol || digit_inside || case_switches >= 2
}

fn lines_from_spans(spans: Vec<Span>, page: u32) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut last_x1 = f32::MIN;
    let mut all_bold = true;
    let mut all_italic = true;
    // Whether the line so far holds only a list glyph (its text starts next).
    let mut glyph_only = false;
    for s in spans {
        let same_line = lines.last().is_some_and(|l: &Line| {
            l.page == page
                && (s.y - l.y).abs() <= 0.5 * s.size.max(l.size)
                && s.x0 >= last_x1 - 2.0 * s.size
        });
        let blank = s.text.trim().is_empty();
        if same_line {
            let l = lines.last_mut().expect("checked above");
            let gap = s.x0 - last_x1;
            // A list label drawn flush against its text (`1.` `a)` `•`) still ends a word.
            let after_label = {
                let t = l.text.trim();
                t.chars().count() <= 4
                    && (t.ends_with('.') || t.ends_with(')') || t == "•")
                    && t.chars()
                        .next()
                        .is_some_and(|c| c.is_alphanumeric() || c == '•')
            };
            if (gap > 0.15 * s.size || after_label)
                && !l.text.ends_with(' ')
                && !s.text.starts_with(' ')
            {
                l.text.push(' ');
            }
            if l.text.trim().is_empty() && !blank {
                l.x0 = s.x0;
                l.x_text = s.x0;
            } else if glyph_only && !blank {
                l.x_text = s.x0;
                glyph_only = false;
            }
            l.text.push_str(&s.text);
            // A superscript (footnote mark) does not change the line's size.
            if s.text.trim().chars().count() > 2 {
                l.size = l.size.max(s.size);
            }
            if !blank {
                all_bold &= s.bold;
                all_italic &= s.italic;
                l.bold = all_bold;
                l.italic = all_italic;
                if is_label(l.text.trim()) {
                    glyph_only = true;
                }
            }
        } else {
            if let Some(l) = lines.last_mut() {
                l.text = l.text.trim().to_string();
            }
            all_bold = s.bold || blank;
            all_italic = s.italic || blank;
            glyph_only = is_label(s.text.trim());
            lines.push(Line {
                text: s.text,
                y: s.y,
                size: s.size,
                bold: s.bold,
                italic: s.italic,
                page,
                x0: s.x0,
                x_text: s.x0,
                x1: s.x1,
            });
        }
        last_x1 = s.x1;
        if !blank && let Some(l) = lines.last_mut() {
            l.x1 = l.x1.max(s.x1);
        }
    }
    for l in &mut lines {
        l.text = l.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    lines.retain(|l| !l.text.is_empty());
    lines
}

/// A list label standing before its text: a glyph, `4.`, `a)`, `1)`.
fn is_label(t: &str) -> bool {
    crate::flat::GLYPHS.contains(&t)
        || (t.chars().count() <= 4
            && (t.ends_with('.') || t.ends_with(')'))
            && t[..t.len() - 1].chars().all(|c| c.is_ascii_digit())
            && t.len() > 1)
        || (t.chars().count() == 2 && t.ends_with(')') && t.starts_with(char::is_lowercase))
}

fn is_bullet(s: &str) -> Option<&str> {
    crate::flat::GLYPHS
        .iter()
        .chain(&["-", "o"])
        .find_map(|b| s.strip_prefix(b))
        .filter(|rest| rest.starts_with(' '))
        .map(str::trim_start)
}

fn ends_sentence(s: &str) -> bool {
    matches!(
        s.trim_end().chars().last(),
        Some('.' | ':' | ';' | '!' | '?')
    )
}

/// Groups lines into headings, paragraphs and list items.
pub(crate) fn blocks_from_lines(lines: Vec<Line>) -> Vec<Block> {
    // The body size: the size most characters are set in.
    let mut sizes: HashMap<i32, usize> = HashMap::new();
    for l in &lines {
        *sizes.entry((l.size * 2.0).round() as i32).or_default() += l.text.len();
    }
    let body = sizes
        .iter()
        .max_by_key(|(s, n)| (**n, -**s))
        .map(|(s, _)| *s as f32 / 2.0)
        .unwrap_or(10.0);
    let mut heading_sizes: Vec<i32> = sizes
        .keys()
        .copied()
        .filter(|s| *s as f32 / 2.0 >= body * 1.12)
        .collect();
    heading_sizes.sort_unstable_by(|a, b| b.cmp(a));
    // Typical distance between lines of a paragraph.
    let mut gaps: Vec<f32> = lines
        .windows(2)
        .filter(|w| w[0].page == w[1].page)
        .map(|w| w[0].y - w[1].y)
        .filter(|d| *d > 0.0 && *d < 3.0 * body)
        .collect();
    gaps.sort_by(f32::total_cmp);
    let spacing = gaps.get(gaps.len() / 3).copied().unwrap_or(body * 1.2);

    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    let flush = |current: &mut Option<Block>, blocks: &mut Vec<Block>| {
        if let Some(mut b) = current.take() {
            if let Block::Paragraph { text }
            | Block::ListItem { text, .. }
            | Block::Heading { text, .. } = &mut b
            {
                *text = text.replace('\u{AD}', "").trim().to_string();
                if text.is_empty() {
                    return;
                }
            }
            blocks.push(b);
        }
    };
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    let toc = furniture::toc_runs(&texts);
    let bold_level = (heading_sizes.len() + 1).min(6) as u8;
    // The left margin of each page: where most of its body lines start.
    let mut margins: HashMap<u32, f32> = HashMap::new();
    {
        let mut starts: HashMap<(u32, i32), usize> = HashMap::new();
        for l in &lines {
            *starts.entry((l.page, l.x0.round() as i32)).or_default() += 1;
        }
        for ((page, x), n) in starts {
            let best = margins.entry(page).or_insert(x as f32);
            let best_n = lines
                .iter()
                .filter(|l| l.page == page && l.x0.round() as i32 == best.round() as i32)
                .count();
            if n > best_n || (n == best_n && (x as f32) < *best) {
                *best = x as f32;
            }
        }
    }
    let indent_of = |l: &Line| l.x0 - margins.get(&l.page).copied().unwrap_or(l.x0);
    // The right edge of each page's text: where full lines end.
    let mut right: HashMap<u32, f32> = HashMap::new();
    for l in &lines {
        let r = right.entry(l.page).or_insert(l.x1);
        *r = r.max(l.x1);
    }
    // A line that ends a sentence well before the right edge, where the next
    // line's first word would have fitted, ended its paragraph on purpose.
    let ended_early = |p: &Line, next: &Line| {
        if p.page != next.page || !ends_sentence(&p.text) {
            return false;
        }
        let chars = p.text.chars().count().max(1) as f32;
        let per_char = (p.x1 - p.x0).max(1.0) / chars;
        let first = next.text.split_whitespace().next().unwrap_or("");
        let needed = (first.chars().count() as f32 + 1.0) * per_char;
        let room = right.get(&p.page).copied().unwrap_or(p.x1) - p.x1;
        room > needed + per_char && next.text.starts_with(|c: char| c.is_uppercase())
    };
    // Paragraphs told by a first-line indent (Word's default style): used
    // when many lines after a finished sentence start indented.
    let indented_starts = lines
        .windows(2)
        .filter(|w| {
            w[0].page == w[1].page
                && ends_sentence(&w[0].text)
                && (0.8 * body..6.0 * body).contains(&indent_of(&w[1]))
        })
        .count();
    let indents = indented_starts >= 3 && indented_starts * 40 >= lines.len();
    // Italic sub-headings sit one level below bold ones.
    let italic_level = (bold_level + 1).min(6);
    // Sub-headings of body size told by their style: a run of at most three
    // bold (or italic) lines that stands apart from the text around it, does
    // not end like a sentence and starts with a capital. One level below
    // bold ones for italic ones.
    let styled_runs = |styled: &dyn Fn(&Line) -> bool| -> Vec<bool> {
        let mut out = vec![false; lines.len()];
        let close = |a: &Line, b: &Line| {
            a.page == b.page && a.y > b.y && a.y - b.y <= spacing * 1.35 && a.size == b.size
        };
        let mut i = 0;
        while i < lines.len() {
            if !styled(&lines[i]) || (lines[i].size - body).abs() >= 0.6 {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < lines.len() && styled(&lines[j]) && close(&lines[j - 1], &lines[j]) {
                j += 1;
            }
            let text: String = lines[i..j]
                .iter()
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let qualifies = j - i <= 3
                && text.chars().count() <= 200
                && !ends_sentence(&text)
                && leading_number(&text).is_none()
                && text.starts_with(char::is_uppercase);
            if qualifies {
                out[i..j].fill(true);
            }
            i = j;
        }
        out
    };
    let styled_heading = styled_runs(&|l: &Line| l.bold);
    let italic_heading = styled_runs(&|l: &Line| l.italic && !l.bold);
    // Where the text of the list item being read starts (its hanging indent).
    let mut item_x: Option<(f32, bool)> = None;
    let mut prev: Option<&Line> = None;
    for (index, line) in lines.iter().enumerate() {
        let t = line.text.as_str();
        if toc[index] || furniture::is_toc_line(t) {
            continue;
        }
        let size_key = (line.size * 2.0).round() as i32;
        let heading_level = heading_sizes
            .iter()
            .position(|s| *s == size_key)
            .map(|i| (i + 1).min(6) as u8)
            .or_else(|| styled_heading[index].then_some(bold_level))
            .or_else(|| italic_heading[index].then_some(italic_level));
        let gap_before = match prev {
            Some(p) if p.page == line.page => p.y - line.y > spacing * 1.35 || p.y < line.y,
            Some(_) => {
                // Across a page break: continue only an unfinished sentence.
                let cont = current.as_ref().is_some_and(|b| match b {
                    Block::Paragraph { text } | Block::ListItem { text, .. } => {
                        !ends_sentence(text)
                    }
                    _ => false,
                });
                !(cont && t.chars().next().is_some_and(char::is_lowercase))
            }
            None => true,
        };
        let size_changed =
            prev.is_some_and(|p| ((p.size - line.size).abs() > 0.6) && p.page == line.page);
        let prev_text_done = current.as_ref().is_none_or(|b| match b {
            Block::Paragraph { text } | Block::ListItem { text, .. } => {
                ends_sentence(text) || text.ends_with(',')
            }
            _ => true,
        });
        if let Some(level) = heading_level
            && t.chars().count() <= 120
        {
            // A heading set over two lines: its own line spacing, or a
            // word broken at the end of the first line.
            let wraps = prev.is_some_and(|p| {
                p.page == line.page && p.y > line.y && p.y - line.y <= line.size * 1.6
            });
            match &mut current {
                Some(Block::Heading { level: l, text })
                    if *l == level && (!gap_before || wraps || text.ends_with('-')) =>
                {
                    join_wrapped(text, t);
                }
                _ => {
                    flush(&mut current, &mut blocks);
                    current = Some(Block::Heading {
                        level,
                        text: t.to_string(),
                    });
                }
            }
            prev = Some(line);
            continue;
        }
        if crate::structure::is_advice_heading(t) {
            // `Till 7 §` heads the general advice on 7 §: a line of its own.
            flush(&mut current, &mut blocks);
            blocks.push(Block::Paragraph {
                text: t.to_string(),
            });
            prev = None;
            continue;
        }
        if t.split_once(':').is_some_and(|(k, v)| {
            k.chars().count() <= 40
                && !v.trim().is_empty()
                && crate::meta::set_field(&mut crate::DocumentMeta::default(), k, v)
        }) {
            // A metadata line (`Diarienummer: KS 2024/12`) stands alone.
            flush(&mut current, &mut blocks);
            blocks.push(Block::Paragraph {
                text: t.to_string(),
            });
            prev = None;
            continue;
        }
        // An item's lines hang at its text; a line back at the margin (with
        // a hanging indent to compare with) ends it.
        // The item's first continuation line shows whether its lines hang
        // at its text; only then does a line back at the margin end it.
        if let Some((x, confirmed)) = item_x.as_mut()
            && !*confirmed
            && prev.is_some_and(|p| p.page == line.page)
        {
            if (line.x0 - *x).abs() <= 0.5 * body {
                *confirmed = true;
            } else {
                item_x = None;
            }
        }
        let leaves_item = matches!(
            current,
            Some(Block::ListItem { .. } | Block::Paragraph { .. })
        ) && item_x.is_some_and(|(x, confirmed)| {
            confirmed
                && x - margins.get(&line.page).copied().unwrap_or(x) > 0.5 * body
                && line.x0 < x - 0.5 * body
        });
        // With first-line indents, an indented line after a finished
        // sentence (or any indented line after a margin line) opens a paragraph.
        let indent_break = indents
            && !matches!(current, Some(Block::ListItem { .. }))
            && (0.8 * body..6.0 * body).contains(&indent_of(line))
            && prev.is_some_and(|p| p.page != line.page || indent_of(p) < 0.5 * body);
        if let Some(rest) = is_bullet(t) {
            flush(&mut current, &mut blocks);
            item_x = Some((line.x_text, false));
            current = Some(Block::ListItem {
                depth: 1,
                label: "•".into(),
                text: rest.to_string(),
            });
        } else if gap_before
            || leaves_item
            || indent_break
            || prev.is_some_and(|p| ended_early(p, line))
            || size_changed
            || matches!(current, Some(Block::Heading { .. }))
            || match leading_number(t) {
                Some((
                    crate::structure::Number::Paragraph(_) | crate::structure::Number::Chapter(_),
                    _,
                )) => prev_text_done,
                Some(_) => true,
                None => false,
            }
        {
            flush(&mut current, &mut blocks);
            // A numbered item's lines hang at its text, as a bullet's do.
            item_x = (line.x_text > line.x0).then_some((line.x_text, false));
            current = Some(Block::Paragraph {
                text: t.to_string(),
            });
        } else {
            match &mut current {
                Some(Block::Paragraph { text } | Block::ListItem { text, .. }) => {
                    join_wrapped(text, t)
                }
                _ => {
                    current = Some(Block::Paragraph {
                        text: t.to_string(),
                    })
                }
            }
        }
        prev = Some(line);
    }
    flush(&mut current, &mut blocks);
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The LZW fast path must give exactly what lopdf gives, page by page.
    #[test]
    fn own_lzw_decoding_matches_lopdf_on_the_acrobat_3_corpus_file() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpus/prop-1999-2000-17_custom-font-encoding.pdf");
        let Ok(bytes) = std::fs::read(&path) else {
            println!("skipped: {} is absent", path.display());
            return;
        };
        let doc = Document::load_mem(&bytes).unwrap();
        let limit = 64 << 20;
        let mut lzw_pages = 0;
        for (_, page_id) in doc.get_pages() {
            let (ours, problem) = page_content(&doc, page_id, limit).unwrap();
            assert_eq!(problem, None);
            let theirs = doc.get_page_content_with_limit(page_id, limit).unwrap();
            assert_eq!(ours, theirs);
            let streams = doc.get_page_contents(page_id);
            if streams.iter().any(|&id| {
                doc.get_object(id)
                    .and_then(Object::as_stream)
                    .is_ok_and(|s| matches!(s.filters().as_deref(), Ok([b"LZWDecode"])))
            }) {
                lzw_pages += 1;
            }
        }
        assert!(lzw_pages > 0, "the file no longer exercises the LZW path");
        // A limit smaller than a page refuses instead of decoding on.
        let first = doc.get_pages().into_values().next().unwrap();
        assert_eq!(page_content(&doc, first, 10), Err(Unread::TooLarge));
    }
}
