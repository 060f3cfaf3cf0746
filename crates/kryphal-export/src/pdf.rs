//! The memo as PDF, laid out here: greedy line breaking at spaces, tables
//! whose rows move to the next page (or split, when taller than a page) with
//! the header row repeated, a footer with the variant and page numbers.
//! `krilla` writes the PDF and embeds the subset of Liberation Sans the memo
//! uses; every glyph keeps its text, so the PDF's text can be searched and
//! copied (å, ä, ö and § included).

use krilla::color::rgb;
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::DateTime;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, SpanTag, TableHeaderScope, Tag,
    TagGroup, TagKind, TagTree,
};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

use crate::memo::{Block, Cell, Look, Span, TableKind};
use crate::model::{Prepared, parse_hex, text_on, typo};
use crate::{ExportError, Format, Variant};

static REGULAR: &[u8] = include_bytes!("../fonts/LiberationSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/LiberationSans-Bold.ttf");
static ITALIC: &[u8] = include_bytes!("../fonts/LiberationSans-Italic.ttf");

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 62.0;
const RIGHT: f32 = PAGE_W - 62.0;
const TOP: f32 = 56.0;
const BOTTOM: f32 = PAGE_H - 64.0;
const TEXT_W: f32 = RIGHT - LEFT;

const BODY: f32 = 10.5;
const SMALL: f32 = 9.5;
const LEADING: f32 = 1.32;
const CELL_PAD: f32 = 4.0;

type Rgb = (u8, u8, u8);
const BLACK: Rgb = (17, 17, 17);
const HEADING: Rgb = (31, 56, 100);
const DELETED: Rgb = (139, 0, 0);
const INSERTED: Rgb = (11, 61, 145);
const GREY_LINE: Rgb = (119, 119, 119);
const HEADER_FILL: Rgb = (228, 228, 228);
const QUOTE_FILL: Rgb = (243, 243, 243);
const QUOTE_BAR: Rgb = (136, 136, 136);

/// One face of the font: the PDF font, and what measuring needs.
struct Face {
    font: Font,
    charmap: Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    upem: f32,
}

impl Face {
    fn load(data: &'static [u8]) -> Option<Face> {
        let font_ref = FontRef::new(data).ok()?;
        let upem = f32::from(
            font_ref
                .metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        Some(Face {
            font: Font::new(data.into(), 0)?,
            charmap: font_ref.charmap(),
            metrics: font_ref.glyph_metrics(Size::unscaled(), LocationRef::default()),
            upem,
        })
    }

    fn glyph(&self, c: char) -> (u32, f32) {
        let gid = self.charmap.map(c).unwrap_or_default();
        let adv = self.metrics.advance_width(gid).unwrap_or(0.0) / self.upem;
        (gid.to_u32(), adv)
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.glyph(c).1).sum::<f32>() * size
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum FaceId {
    Regular,
    Bold,
    Italic,
}

struct Faces {
    regular: Face,
    bold: Face,
    italic: Face,
}

impl Faces {
    fn get(&self, id: FaceId) -> &Face {
        match id {
            FaceId::Regular => &self.regular,
            FaceId::Bold => &self.bold,
            FaceId::Italic => &self.italic,
        }
    }
}

/// What is drawn, in page coordinates (points, y down, text at its baseline).
enum Op {
    Text {
        x: f32,
        y: f32,
        face: FaceId,
        size: f32,
        color: Rgb,
        text: String,
        /// The structure element the text belongs to; [`ARTIFACT`] for
        /// page furniture (footer, repeated table headers).
        node: usize,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
}

/// The node of text that is page furniture, not content.
const ARTIFACT: usize = usize::MAX;

/// A kind of structure element of the tagged PDF.
enum STag {
    /// Heading of a level (1 = the title) with its text.
    H(u16, String),
    P,
    Quote,
    List,
    Item,
    Label,
    Body,
    Table,
    Row,
    Header(TableHeaderScope),
    Data,
}

/// A structure element: its own text (identifiers of marked content, in
/// drawing order) and its child elements.
struct SNode {
    tag: STag,
    children: Vec<usize>,
    ids: Vec<Identifier>,
}

/// Text style of a run of text: face, colour and decoration.
#[derive(Clone, Copy, PartialEq, Debug)]
struct Style {
    face: FaceId,
    color: Rgb,
    strike: bool,
    underline: bool,
}

impl Style {
    fn of(look: Look, base: Style) -> Style {
        let mut s = base;
        if look.bold || look.underline {
            s.face = FaceId::Bold;
        } else if look.italic {
            s.face = FaceId::Italic;
        }
        if look.strike {
            s.color = DELETED;
            s.strike = true;
        }
        if look.underline {
            s.color = INSERTED;
            s.underline = true;
        }
        s
    }
}

/// A piece of a laid-out line.
struct Piece {
    x: f32,
    text: String,
    style: Style,
}

/// A line of text, pieces positioned from the line's left edge.
struct Line {
    pieces: Vec<Piece>,
}

/// Breaks styled text into lines no wider than `width`, at spaces (a word
/// longer than a line is broken between characters). Non-breaking spaces
/// do not break.
fn lines(faces: &Faces, spans: &[(String, Style)], size: f32, width: f32) -> Vec<Line> {
    // Tokens: words and runs of spaces, each with its style.
    let mut tokens: Vec<(String, Style, bool)> = Vec::new(); // (text, style, is_space)
    let mut breaks: Vec<usize> = Vec::new(); // forced breaks before token index
    for (text, style) in spans {
        let mut word = String::new();
        for c in text.chars() {
            match c {
                ' ' | '\t' => {
                    if !word.is_empty() {
                        tokens.push((std::mem::take(&mut word), *style, false));
                    }
                    tokens.push((" ".to_string(), *style, true));
                }
                '\n' | '\r' => {
                    if !word.is_empty() {
                        tokens.push((std::mem::take(&mut word), *style, false));
                    }
                    breaks.push(tokens.len());
                }
                _ => word.push(c),
            }
        }
        if !word.is_empty() {
            tokens.push((word, *style, false));
        }
    }
    let mut out = Vec::new();
    let mut line: Vec<Piece> = Vec::new();
    let mut x = 0.0f32;
    let push = |line: &mut Vec<Piece>, x: f32, text: &str, style: Style| match line.last_mut() {
        Some(last) if last.style == style => last.text.push_str(text),
        _ => line.push(Piece {
            x,
            text: text.to_string(),
            style,
        }),
    };
    // A line keeps the space it broke at (invisible at its end), so the
    // text read from the PDF has its word breaks.
    let finish = |line: &mut Vec<Piece>, out: &mut Vec<Line>| {
        out.push(Line {
            pieces: std::mem::take(line),
        });
    };
    for (i, (text, style, is_space)) in tokens.iter().enumerate() {
        if breaks.contains(&i) && (!line.is_empty() || i > 0) {
            finish(&mut line, &mut out);
            x = 0.0;
        }
        let face = faces.get(style.face);
        let w = face.width(text, size);
        if *is_space {
            if line.is_empty() {
                continue; // no leading spaces
            }
            push(&mut line, x, text, *style);
            x += w;
            continue;
        }
        if x + w > width && !line.is_empty() {
            finish(&mut line, &mut out);
            x = 0.0;
        }
        if w > width {
            // A word wider than the line: break it between characters.
            for c in text.chars() {
                let cw = face.width(c.encode_utf8(&mut [0; 4]), size);
                if x + cw > width && !line.is_empty() {
                    finish(&mut line, &mut out);
                    x = 0.0;
                }
                push(&mut line, x, c.encode_utf8(&mut [0; 4]), *style);
                x += cw;
            }
            continue;
        }
        push(&mut line, x, text, *style);
        x += w;
    }
    if !line.is_empty() || out.is_empty() {
        finish(&mut line, &mut out);
    }
    out
}

/// The page-filling state.
struct Layout<'f> {
    faces: &'f Faces,
    pages: Vec<Vec<Op>>,
    y: f32,
    /// The structure tree: every element, and the top-level ones in order.
    nodes: Vec<SNode>,
    roots: Vec<usize>,
    /// The element text drawn now belongs to.
    leaf: usize,
    /// Headings for the bookmarks: level, text, page index, top.
    marks: Vec<(u16, String, usize, f32)>,
}

impl<'f> Layout<'f> {
    fn new(faces: &'f Faces) -> Self {
        Layout {
            faces,
            pages: vec![Vec::new()],
            y: TOP,
            nodes: Vec::new(),
            roots: Vec::new(),
            leaf: ARTIFACT,
            marks: Vec::new(),
        }
    }

    /// Adds a structure element under `parent` (or at the top level).
    fn node(&mut self, tag: STag, parent: Option<usize>) -> usize {
        let id = self.nodes.len();
        self.nodes.push(SNode {
            tag,
            children: Vec::new(),
            ids: Vec::new(),
        });
        match parent {
            Some(p) => self.nodes[p].children.push(id),
            None => self.roots.push(id),
        }
        id
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Makes room for `h` points, starting a new page if needed.
    fn ensure(&mut self, h: f32) {
        if self.y + h > BOTTOM && self.y > TOP {
            self.new_page();
        }
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        self.ops().push(Op::Rect { x, y, w, h, color });
    }

    /// Draws one laid-out line with its top at `top`.
    fn draw_line(&mut self, line: &Line, x0: f32, top: f32, size: f32) {
        let baseline = top + size * 0.93;
        for p in &line.pieces {
            // Decoration stops at the last visible character.
            let w = self.faces.get(p.style.face).width(p.text.trim_end(), size);
            let x = x0 + p.x;
            let node = self.leaf;
            self.ops().push(Op::Text {
                x,
                y: baseline,
                face: p.style.face,
                size,
                color: p.style.color,
                text: p.text.clone(),
                node,
            });
            if p.style.strike {
                self.rect(x, baseline - size * 0.3, w, size * 0.06, p.style.color);
            }
            if p.style.underline {
                self.rect(x, baseline + size * 0.12, w, size * 0.06, p.style.color);
            }
        }
    }

    /// Flowing text: lines placed one by one, breaking pages between lines.
    fn text(&mut self, spans: &[(String, Style)], size: f32, x0: f32, width: f32, after: f32) {
        let lh = size * LEADING;
        for line in lines(self.faces, spans, size, width) {
            self.ensure(lh);
            let top = self.y;
            self.draw_line(&line, x0, top, size);
            self.y += lh;
        }
        self.y += after;
    }

    fn heading(&mut self, text: &str, level: u16, size: f32, before: f32) {
        self.leaf = self.node(STag::H(level, text.to_string()), None);
        let style = Style {
            face: FaceId::Bold,
            color: HEADING,
            strike: false,
            underline: false,
        };
        // Keep the heading with at least three lines of what follows.
        if self.y > TOP {
            self.y += before;
        }
        self.ensure(size * LEADING * 2.0 + BODY * LEADING * 3.0);
        self.marks
            .push((level, text.to_string(), self.pages.len() - 1, self.y));
        self.text(&[(typo(text), style)], size, LEFT, TEXT_W, size * 0.45);
    }

    /// A table's columns, in points.
    fn columns(widths: &[u32]) -> Vec<f32> {
        let total: u32 = widths.iter().sum::<u32>().max(1);
        widths
            .iter()
            .map(|w| TEXT_W * (*w as f32) / (total as f32))
            .collect()
    }

    /// A row's cells broken into lines, with their fills.
    fn layout_row(
        faces: &Faces,
        kind: TableKind,
        cols: &[f32],
        row: &[Cell],
        is_header: bool,
    ) -> Vec<(Vec<Line>, Option<Rgb>)> {
        let size = SMALL;
        row.iter()
            .zip(cols)
            .enumerate()
            .map(|(i, (c, w))| {
                let fill = c.fill.as_deref().and_then(parse_rgb).or(
                    if is_header || (kind == TableKind::Matrix && i == 0) {
                        Some(HEADER_FILL)
                    } else {
                        None
                    },
                );
                let base = Style {
                    face: if is_header || c.fill.is_some() {
                        FaceId::Bold
                    } else {
                        FaceId::Regular
                    },
                    color: c.fill.as_deref().map_or(BLACK, text_on),
                    strike: false,
                    underline: false,
                };
                let spans: Vec<(String, Style)> = c
                    .spans
                    .iter()
                    .map(|s: &Span| (typo(&s.text), Style::of(s.look, base)))
                    .collect();
                (lines(faces, &spans, size, w - 2.0 * CELL_PAD), fill)
            })
            .collect()
    }

    /// The height a table needs on its first page so that its header never
    /// stands alone: the header and the first row (or as much of a first
    /// row taller than a page as fills one).
    fn table_start(
        &self,
        kind: TableKind,
        header: &[Cell],
        rows: &[Vec<Cell>],
        widths: &[u32],
    ) -> f32 {
        let cols = Self::columns(widths);
        let lh = SMALL * LEADING;
        let head_h = row_height(&Self::layout_row(self.faces, kind, &cols, header, true), lh);
        let first = rows.first().map_or(0.0, |r| {
            row_height(&Self::layout_row(self.faces, kind, &cols, r, false), lh)
        });
        let page = BOTTOM - TOP;
        head_h + first.min(page - head_h - 1.0).max(0.0)
    }

    /// The height of a heading or a paragraph of flowing text.
    fn flow_height(&self, b: &Block) -> f32 {
        match b {
            Block::Heading(level, t) => {
                let size = if *level <= 1 { 14.0 } else { 12.0 };
                let before = if *level <= 1 { 12.0 } else { 8.0 };
                let style = Style {
                    face: FaceId::Bold,
                    color: HEADING,
                    strike: false,
                    underline: false,
                };
                let n = lines(self.faces, &[(typo(t), style)], size, TEXT_W).len() as f32;
                before + n * size * LEADING + size * 0.45
            }
            Block::Para(s) => {
                lines(self.faces, &base_spans(s), BODY, TEXT_W).len() as f32 * BODY * LEADING + 5.0
            }
            _ => 0.0,
        }
    }

    fn table(&mut self, kind: TableKind, header: &[Cell], rows: &[Vec<Cell>], widths: &[u32]) {
        let cols = Self::columns(widths);
        let size = SMALL;
        let lh = size * LEADING;
        let faces = self.faces;
        let layout_row =
            |row: &[Cell], is_header: bool| Self::layout_row(faces, kind, &cols, row, is_header);
        let head = layout_row(header, true);
        let head_h = row_height(&head, lh);
        // The structure: Table > TR > TH/TD. A header row repeated on a
        // later page is page furniture.
        let table = self.node(STag::Table, None);
        let head_row = self.node(STag::Row, Some(table));
        let head_nodes: Vec<usize> = header
            .iter()
            .map(|_| self.node(STag::Header(TableHeaderScope::Column), Some(head_row)))
            .collect();
        let repeated = vec![ARTIFACT; header.len()];
        // The header and the first row start on the same page.
        let start = self.table_start(kind, header, rows, widths);
        self.ensure(start);
        self.draw_row(&head, &head_nodes, &cols, lh, size);
        for row in rows {
            let mut cells = layout_row(row, false);
            let tr = self.node(STag::Row, Some(table));
            let nodes: Vec<usize> = (0..row.len())
                .map(|i| {
                    let tag = if kind == TableKind::Matrix && i == 0 {
                        STag::Header(TableHeaderScope::Row)
                    } else {
                        STag::Data
                    };
                    self.node(tag, Some(tr))
                })
                .collect();
            loop {
                let h = row_height(&cells, lh);
                let room = BOTTOM - self.y;
                if h <= room {
                    self.draw_row(&cells, &nodes, &cols, lh, size);
                    break;
                }
                let fresh = BOTTOM - TOP - head_h;
                if h <= fresh || room < lh * 2.0 + 2.0 * CELL_PAD {
                    // Move the whole row (or what is left of it) to the next page.
                    self.new_page();
                    self.draw_row(&head, &repeated, &cols, lh, size);
                    if h <= fresh {
                        continue;
                    }
                }
                // Taller than a page: draw what fits, carry the rest over.
                let fit = (((BOTTOM - self.y - 2.0 * CELL_PAD) / lh).floor() as usize).max(1);
                let mut rest = Vec::new();
                let mut now = Vec::new();
                for (ls, fill) in cells {
                    let mut ls = ls;
                    let tail = if ls.len() > fit {
                        ls.split_off(fit)
                    } else {
                        Vec::new()
                    };
                    now.push((ls, fill));
                    rest.push((tail, fill));
                }
                self.draw_row(&now, &nodes, &cols, lh, size);
                self.new_page();
                self.draw_row(&head, &repeated, &cols, lh, size);
                cells = rest;
            }
        }
        self.y += 8.0;
    }

    fn draw_row(
        &mut self,
        cells: &[(Vec<Line>, Option<Rgb>)],
        nodes: &[usize],
        cols: &[f32],
        lh: f32,
        size: f32,
    ) {
        let h = row_height(cells, lh);
        let top = self.y;
        let mut x = LEFT;
        for (((ls, fill), w), node) in cells.iter().zip(cols).zip(nodes) {
            if let Some(color) = fill {
                self.rect(x, top, *w, h, *color);
            }
            self.leaf = *node;
            let mut y = top + CELL_PAD;
            for line in ls {
                self.draw_line(line, x + CELL_PAD, y, size);
                y += lh;
            }
            x += w;
        }
        // Grid lines: top, bottom, and every column edge.
        let line = 0.6;
        self.rect(LEFT, top, TEXT_W, line, GREY_LINE);
        self.rect(LEFT, top + h, TEXT_W, line, GREY_LINE);
        let mut x = LEFT;
        self.rect(x, top, line, h, GREY_LINE);
        for w in cols {
            x += w;
            self.rect(x - line, top, line, h, GREY_LINE);
        }
        self.y = top + h;
    }
}

fn row_height(cells: &[(Vec<Line>, Option<Rgb>)], lh: f32) -> f32 {
    let n = cells.iter().map(|(l, _)| l.len()).max().unwrap_or(1).max(1);
    n as f32 * lh + 2.0 * CELL_PAD
}

fn parse_rgb(hex: &str) -> Option<Rgb> {
    parse_hex(hex)
}

fn plain(text: String, face: FaceId) -> (String, Style) {
    (
        text,
        Style {
            face,
            color: BLACK,
            strike: false,
            underline: false,
        },
    )
}

fn base_spans(spans: &[Span]) -> Vec<(String, Style)> {
    let base = Style {
        face: FaceId::Regular,
        color: BLACK,
        strike: false,
        underline: false,
    };
    spans
        .iter()
        .map(|s| (typo(&s.text), Style::of(s.look, base)))
        .collect()
}

fn fill(surface: &mut Surface<'_>, (r, g, b): Rgb) {
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }));
}

fn draw(surface: &mut Surface<'_>, faces: &Faces, nodes: &mut [SNode], op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            face,
            size,
            color,
            text,
            node,
        } => {
            match nodes.get_mut(*node) {
                Some(n) => n
                    .ids
                    .push(surface.start_tagged(ContentTag::Span(SpanTag::empty()))),
                None => {
                    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                        ArtifactType::PaginationOther,
                    )));
                }
            }
            let face = faces.get(*face);
            let glyphs: Vec<KrillaGlyph> = text
                .char_indices()
                .map(|(i, c)| {
                    let (gid, adv) = face.glyph(c);
                    KrillaGlyph::new(
                        GlyphId::new(gid),
                        adv,
                        0.0,
                        0.0,
                        0.0,
                        i..i + c.len_utf8(),
                        None,
                    )
                })
                .collect();
            fill(surface, *color);
            surface.draw_glyphs(
                Point::from_xy(*x, *y),
                &glyphs,
                face.font.clone(),
                text,
                *size,
                false,
            );
            surface.end_tagged();
        }
        Op::Rect { x, y, w, h, color } => {
            let Some(rect) = Rect::from_xywh(*x, *y, w.max(0.1), h.max(0.1)) else {
                return;
            };
            let mut pb = PathBuilder::new();
            pb.push_rect(rect);
            if let Some(path) = pb.finish() {
                // Rules, fills and text decoration are layout, not content.
                surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                    ArtifactType::Layout,
                )));
                fill(surface, *color);
                surface.draw_path(&path);
                surface.end_tagged();
            }
        }
    }
}

/// The memo's `YYYY-MM-DD` as a PDF date.
fn pdf_date(iso: &str) -> Option<DateTime> {
    let mut parts = iso.split('-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    Some(DateTime::new(year).month(month).day(day))
}

fn write_err(reason: impl Into<String>) -> ExportError {
    ExportError::Write {
        format: Format::MemoPdf,
        reason: reason.into(),
    }
}

pub(crate) fn render(p: &Prepared<'_>, blocks: &[Block]) -> Result<Vec<u8>, ExportError> {
    let faces = Faces {
        regular: Face::load(REGULAR).ok_or_else(|| write_err("the regular font cannot be read"))?,
        bold: Face::load(BOLD).ok_or_else(|| write_err("the bold font cannot be read"))?,
        italic: Face::load(ITALIC).ok_or_else(|| write_err("the italic font cannot be read"))?,
    };
    let mut l = Layout::new(&faces);
    let mut title = String::new();
    for (i, b) in blocks.iter().enumerate() {
        // A heading or a lead-in stays with the table it introduces (and a
        // heading with the lead-in after it): they move to the next page
        // together when the table's header and first row do not fit.
        let keep: f32 = match (b, blocks.get(i + 1), blocks.get(i + 2)) {
            (
                Block::Heading(..) | Block::Para(_),
                Some(Block::Table {
                    kind,
                    header,
                    rows,
                    widths,
                }),
                _,
            ) => l.flow_height(b) + l.table_start(*kind, header, rows, widths),
            (
                Block::Heading(..),
                Some(next @ Block::Para(_)),
                Some(Block::Table {
                    kind,
                    header,
                    rows,
                    widths,
                }),
            ) => {
                l.flow_height(b) + l.flow_height(next) + l.table_start(*kind, header, rows, widths)
            }
            _ => 0.0,
        };
        if keep > 0.0 && keep < BOTTOM - TOP {
            l.ensure(keep);
        }
        match b {
            Block::Title(t) => {
                title = t.clone();
                let style = Style {
                    face: FaceId::Bold,
                    color: BLACK,
                    strike: false,
                    underline: false,
                };
                l.leaf = l.node(STag::H(1, t.clone()), None);
                l.text(&[(typo(t), style)], 18.0, LEFT, TEXT_W, 10.0);
            }
            Block::PageBreak => {
                if l.y > TOP {
                    l.new_page();
                }
            }
            Block::Heading(level, t) => {
                if *level <= 1 {
                    l.heading(t, 2, 14.0, 12.0);
                } else {
                    l.heading(t, 3, 12.0, 8.0);
                }
            }
            Block::Para(s) => {
                l.leaf = l.node(STag::P, None);
                l.text(&base_spans(s), BODY, LEFT, TEXT_W, 5.0);
            }
            Block::Fields(fields) => {
                let label_w = 150.0;
                let table = l.node(STag::Table, None);
                for (label, value) in fields {
                    let tr = l.node(STag::Row, Some(table));
                    let th = l.node(STag::Header(TableHeaderScope::Row), Some(tr));
                    let td = l.node(STag::Data, Some(tr));
                    let value_lines = lines(
                        &faces,
                        &[plain(typo(value), FaceId::Regular)],
                        BODY,
                        TEXT_W - label_w,
                    );
                    let lh = BODY * LEADING;
                    l.ensure(lh * value_lines.len() as f32);
                    let top = l.y;
                    let label_lines = lines(
                        &faces,
                        &[plain(label.clone(), FaceId::Bold)],
                        BODY,
                        label_w - 8.0,
                    );
                    l.leaf = th;
                    for (i, line) in label_lines.iter().enumerate() {
                        l.draw_line(line, LEFT, top + i as f32 * lh, BODY);
                    }
                    l.leaf = td;
                    for (i, line) in value_lines.iter().enumerate() {
                        l.draw_line(line, LEFT + label_w, top + i as f32 * lh, BODY);
                    }
                    l.y = top + lh * value_lines.len().max(label_lines.len()) as f32;
                }
                l.y += 10.0;
            }
            Block::Quote(t) => {
                let style = Style {
                    face: FaceId::Italic,
                    color: (51, 51, 51),
                    strike: false,
                    underline: false,
                };
                let ls = lines(&faces, &[(typo(t), style)], BODY, TEXT_W - 24.0);
                let lh = BODY * LEADING;
                let quote = l.node(STag::Quote, None);
                l.leaf = l.node(STag::P, Some(quote));
                l.y += 2.0;
                for line in &ls {
                    l.ensure(lh + 4.0);
                    let top = l.y;
                    l.rect(LEFT, top - 2.0, TEXT_W, lh + 0.5, QUOTE_FILL);
                    l.rect(LEFT, top - 2.0, 3.0, lh + 0.5, QUOTE_BAR);
                    l.draw_line(line, LEFT + 14.0, top, BODY);
                    l.y += lh;
                }
                l.y += 8.0;
            }
            Block::Bullets(items) => {
                let list = l.node(STag::List, None);
                for item in items {
                    let ls = lines(&faces, &base_spans(item), BODY, TEXT_W - 18.0);
                    let lh = BODY * LEADING;
                    let li = l.node(STag::Item, Some(list));
                    let label = l.node(STag::Label, Some(li));
                    let body = l.node(STag::Body, Some(li));
                    for (i, line) in ls.iter().enumerate() {
                        l.ensure(lh);
                        let top = l.y;
                        if i == 0 {
                            let bullet = Line {
                                pieces: vec![Piece {
                                    x: 0.0,
                                    text: "•".into(),
                                    style: plain(String::new(), FaceId::Regular).1,
                                }],
                            };
                            l.leaf = label;
                            l.draw_line(&bullet, LEFT + 6.0, top, BODY);
                        }
                        l.leaf = body;
                        l.draw_line(line, LEFT + 18.0, top, BODY);
                        l.y += lh;
                    }
                }
                l.y += 5.0;
            }
            Block::Table {
                kind,
                header,
                rows,
                widths,
            } => l.table(*kind, header, rows, widths),
        }
    }
    let Layout {
        pages,
        mut nodes,
        roots,
        marks,
        ..
    } = l;
    let total = pages.len();

    // PDF/A-2a: the archival profile, fit for the record, with the
    // structure tags that make it accessible.
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_A)
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| write_err(format!("{e:?}")))?;
    let mut doc = Document::new_with(SerializeSettings {
        configuration,
        ..SerializeSettings::default()
    });
    let mut metadata = Metadata::new()
        .title(title)
        .language(p.t.lang.to_string())
        .creator("Kryphål".to_string());
    if let Some(date) = pdf_date(&p.date()) {
        metadata = metadata.creation_date(date);
    }
    doc.set_metadata(metadata);
    doc.set_outline(bookmarks(&marks));
    let variant = match p.options.variant {
        Variant::Internal => format!("{}: {}", p.t.variant, p.t.variant_internal),
        Variant::Public => p.t.public_version.to_string(),
    };
    let dnr = p.options.header.case_dnr.trim();
    let settings =
        PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| write_err("invalid page size"))?;
    for (n, ops) in pages.iter().enumerate() {
        let mut page = doc.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, &faces, &mut nodes, op);
        }
        // Footer: the variant on the left, Dnr and page on the right.
        let size = 8.0;
        let y = PAGE_H - 36.0;
        let left = Op::Text {
            x: LEFT,
            y,
            face: FaceId::Regular,
            size,
            color: GREY_LINE,
            text: variant.clone(),
            node: ARTIFACT,
        };
        draw(&mut surface, &faces, &mut nodes, &left);
        let mut right_text = format!("{} {} ({total})", p.t.page, n + 1);
        if !dnr.is_empty() {
            right_text = format!("{} {} · {right_text}", p.t.dnr, typo(dnr));
        }
        let w = faces.regular.width(&right_text, size);
        let right = Op::Text {
            x: RIGHT - w,
            y,
            face: FaceId::Regular,
            size,
            color: GREY_LINE,
            text: right_text,
            node: ARTIFACT,
        };
        draw(&mut surface, &faces, &mut nodes, &right);
        surface.finish();
        page.finish();
    }
    let mut tree = TagTree::new().with_lang(Some(p.t.lang.to_string()));
    for root in roots {
        if let Some(group) = tag_group(&mut nodes, root) {
            tree.push(group);
        }
    }
    doc.set_tag_tree(tree);
    doc.finish().map_err(|e| write_err(format!("{e:?}")))
}

/// The bookmarks: level-2 headings at the top, level-3 ones under the
/// heading before them.
fn bookmarks(marks: &[(u16, String, usize, f32)]) -> Outline {
    let mut outline = Outline::new();
    let mut current: Option<OutlineNode> = None;
    for (level, text, page, y) in marks {
        let node = OutlineNode::new(
            typo(text),
            XyzDestination::new(*page, Point::from_xy(LEFT, (*y - 4.0).max(0.0))),
        );
        match (level, current.as_mut()) {
            (3.., Some(parent)) => parent.push_child(node),
            _ => {
                if let Some(done) = current.take() {
                    outline.push_child(done);
                }
                current = Some(node);
            }
        }
    }
    if let Some(done) = current {
        outline.push_child(done);
    }
    outline
}

/// The tag group of structure element `id`, its text first, then its
/// children; `None` when it holds nothing (krilla drops empty groups, but
/// an empty cell must still keep its place in the row).
fn tag_group(nodes: &mut [SNode], id: usize) -> Option<TagGroup> {
    let children = std::mem::take(&mut nodes.get_mut(id)?.children);
    let ids = std::mem::take(&mut nodes.get_mut(id)?.ids);
    let kind: TagKind = match &nodes.get(id)?.tag {
        STag::H(level, text) => Tag::Hn(
            std::num::NonZeroU16::new(*level).unwrap_or(std::num::NonZeroU16::MIN),
            Some(text.clone()),
        )
        .into(),
        STag::P => Tag::P.into(),
        STag::Quote => Tag::BlockQuote.into(),
        STag::List => Tag::L(ListNumbering::Disc).into(),
        STag::Item => Tag::LI.into(),
        STag::Label => Tag::Lbl.into(),
        STag::Body => Tag::LBody.into(),
        STag::Table => Tag::Table.into(),
        STag::Row => Tag::TR.into(),
        STag::Header(scope) => Tag::TH(*scope).into(),
        STag::Data => Tag::TD.into(),
    };
    let mut group = TagGroup::new(kind);
    for i in ids {
        group.push(i);
    }
    for c in children {
        if let Some(g) = tag_group(nodes, c) {
            group.push(g);
        }
    }
    Some(group)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faces() -> Faces {
        Faces {
            regular: Face::load(REGULAR).expect("regular"),
            bold: Face::load(BOLD).expect("bold"),
            italic: Face::load(ITALIC).expect("italic"),
        }
    }

    fn texts(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.pieces.iter().map(|p| p.text.as_str()).collect::<String>())
            .collect()
    }

    #[test]
    fn lines_fit_the_width_and_break_only_at_plain_spaces() {
        let f = faces();
        let text = "Enligt 9\u{a0}kap. 1\u{a0}§ brottsbalken döms den som vilseleder någon.";
        let spans = [plain(text.to_string(), FaceId::Regular)];
        let ls = lines(&f, &spans, 10.0, 80.0);
        assert!(ls.len() > 2, "{:?}", texts(&ls));
        for l in &ls {
            let w: f32 = l
                .pieces
                .iter()
                .map(|p| p.x + f.regular.width(p.text.trim_end(), 10.0))
                .fold(0.0, f32::max);
            assert!(w <= 80.0 + 0.01, "{w}");
        }
        let joined: String = texts(&ls).concat();
        assert_eq!(joined, text, "nothing lost, spaces kept");
        assert!(texts(&ls).iter().any(|l| l.contains("1\u{a0}§")));
    }

    #[test]
    fn a_word_wider_than_the_line_is_broken_between_characters() {
        let f = faces();
        let word = "Belastningsregisterutdragskontroll".repeat(3);
        let ls = lines(&f, &[plain(word.clone(), FaceId::Bold)], 10.0, 60.0);
        assert!(ls.len() > 3);
        assert_eq!(texts(&ls).concat(), word);
    }
}
