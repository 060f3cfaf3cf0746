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
//! is refused with the OCR message; an encrypted one with the password message.
//! Any panic inside the parser is contained and reported as an unsafe file.

use std::collections::{BTreeSet, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::Encoding;
use lopdf::content::Content;
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};

use crate::furniture;
use crate::structure::leading_number;
use crate::text::join_wrapped;
use crate::{Block, IngestError, Limits, RawDocument};

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
    let limit = usize::try_from(limits.max_unpacked_bytes).unwrap_or(usize::MAX);
    let options = LoadOptions {
        max_decompressed_size: Some(limit),
        ..LoadOptions::default()
    };
    let mut doc = Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => IngestError::Encrypted {
            name: name.to_string(),
        },
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
    let mut all_pages: Vec<Vec<Line>> = Vec::new();
    let mut garbled: BTreeSet<u32> = BTreeSet::new();
    let mut chars = 0usize;
    let mut images = false;
    for (&number, &page_id) in &pages {
        let (lines, bad) = page_lines(&doc, page_id, number, limit);
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
        return Err(IngestError::NoTextLayer {
            name: name.to_string(),
        });
    }
    let _ = images;
    let mut raw = RawDocument::default();
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
                                if let Some(v) = number(v) {
                                    font.cid_widths.insert(start as u32 + k as u32, v);
                                }
                            }
                            i += 2;
                        }
                        Some(end) => {
                            let (Some(end), Some(v)) = (number(end), w.get(i + 2).and_then(number))
                            else {
                                break;
                            };
                            for c in (start as u32)..=(end as u32).min(start as u32 + 65_535) {
                                font.cid_widths.insert(c, v);
                            }
                            i += 3;
                        }
                        None => break,
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

/// The page's content streams, decoded and joined. Plain LZW streams (old
/// Acrobat files) are decoded here in small steps: lopdf's LZW path zeroes a
/// large buffer for every stream, which made such files several times slower
/// than pdftotext. Everything else goes through lopdf. `None` when the
/// decoded content would exceed `limit`.
fn page_content(doc: &Document, page_id: ObjectId, limit: usize) -> Option<Vec<u8>> {
    let ids = doc.get_page_contents(page_id);
    let streams: Vec<&lopdf::Stream> = ids
        .iter()
        .filter_map(|&id| doc.get_object(id).and_then(Object::as_stream).ok())
        .collect();
    let plain_lzw = |s: &lopdf::Stream| {
        matches!(s.filters().as_deref(), Ok([b"LZWDecode"])) && s.dict.get(b"DecodeParms").is_err()
    };
    if !streams.iter().all(|s| plain_lzw(s)) {
        return doc.get_page_content_with_limit(page_id, limit).ok();
    }
    let mut content = Vec::new();
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
                return None;
            }
            match result.status {
                Ok(weezl::LzwStatus::Ok) if result.consumed_in > 0 || result.consumed_out > 0 => {}
                // Done, out of input, or damaged: keep what was decoded, as lopdf does.
                _ => break,
            }
        }
        content.push(b'\n');
    }
    Some(content)
}

/// The lines of one page in drawing order; true when some text was garbled.
fn page_lines(doc: &Document, page_id: ObjectId, page: u32, limit: usize) -> (Vec<Line>, bool) {
    let Some(content) = page_content(doc, page_id, limit) else {
        return (Vec::new(), false);
    };
    let Ok(content) = Content::decode(&content) else {
        return (Vec::new(), false);
    };
    let fonts: HashMap<Vec<u8>, Font> = doc
        .get_page_fonts(page_id)
        .map(|f| {
            f.into_iter()
                .map(|(k, d)| (k, load_font(doc, d, limit)))
                .collect()
        })
        .unwrap_or_default();
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
    for op in &content.operations {
        let n = |i: usize| op.operands.get(i).and_then(number).unwrap_or(0.0);
        match op.operator.as_str() {
            "q" => stack.push((ctm, size, leading, char_sp, word_sp, scale, font)),
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
                    .and_then(|name| fonts.get_key_value(name));
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
    (lines_from_spans(spans, page), garbled)
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
            let ours = page_content(&doc, page_id, limit).unwrap();
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
        assert!(page_content(&doc, first, 10).is_none());
    }
}
