//! The overview of an analysis as an image for slides and memos: the risk
//! matrix as a heat map, findings by crime type and by status, coverage per
//! section and the heat strip along the document — all of it, or one chart
//! ([`OverviewPart`]) for one slide. The overview of the whole library
//! (`document_id` null) is drawn the same way, with coverage per document
//! and one thin strip per document instead.
//!
//! The SVG is drawn here by hand: every size is measured with the embedded
//! Liberation Sans (metric-compatible with Arial, which the SVG names as the
//! fallback), so labels are wrapped or shortened before they could overlap.
//! The PNG is that SVG rendered by `resvg` at twice its size with the same
//! embedded fonts and no system fonts, so it looks the same on every
//! machine. Text from documents and rulebooks is data: it is stripped of
//! characters XML cannot hold and escaped.

use std::fmt::Write as _;
use std::str::FromStr;
use std::sync::Arc;

use kryphal_domain::{DocumentMeta, Overview};
use kryphal_rules::Rulebook;
use resvg::{tiny_skia, usvg};
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

use crate::model::{parse_hex, text_on};
use crate::texts::{OverviewTexts, overview_texts};
use crate::{ExportError, Lang};

static REGULAR: &[u8] = include_bytes!("../fonts/LiberationSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/LiberationSans-Bold.ttf");

/// The PNG is drawn at this many pixels per SVG unit (crisp on slides).
pub const PNG_SCALE: f32 = 2.0;

const FONT_FAMILY: &str = "'Liberation Sans', Arial, Helvetica, sans-serif";
const INK: &str = "#1a1a1a";
const MUTED: &str = "#5f6368";
const ACCENT: &str = "#1f5fa8";
const TRACK: &str = "#eef0f3";
const BORDER: &str = "#c9ced6";
/// A clause with findings but no rated level, on the strip (as in the app).
const NO_LEVEL: &str = "#8a8a8a";
const WHITE: &str = "#ffffff";

const MARGIN: f32 = 40.0;
const ALL_WIDTH: f32 = 1200.0;
const PART_WIDTH: f32 = 960.0;
const COLUMN_GAP: f32 = 56.0;
const PANEL_GAP: f32 = 36.0;

const TITLE: f32 = 26.0;
const SUBTITLE: f32 = 15.0;
const HEADING: f32 = 18.0;
const LABEL: f32 = 14.0;
const SMALL: f32 = 13.0;
const CELL_COUNT: f32 = 24.0;

const CELL_W: f32 = 104.0;
const CELL_H: f32 = 68.0;
const CELL_GAP: f32 = 4.0;
const ROW_HEAD_MAX: f32 = 170.0;
const BAR_ROW: f32 = 26.0;
const BAR_H: f32 = 14.0;
const STRIP_H: f32 = 30.0;
/// One document's row of the library's strips, and its band's height.
const ROW_H: f32 = 24.0;
const ROW_STRIP_H: f32 = 14.0;
/// Sections (or the library's documents) listed at most; the rest are
/// summed up in one line.
const MAX_SECTIONS: usize = 40;
/// Documents given a strip of their own at most in the library's overview.
const MAX_STRIPS: usize = 40;
/// The widest a title column may be, of the panel's width: sections' titles
/// beside their bars, documents' beside bars and strips (one share, so that
/// the library's bars and strips start in line).
const SECTION_LABELS: f32 = 0.38;
const DOCUMENT_LABELS: f32 = 0.32;

/// Which chart an overview image shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum OverviewPart {
    /// `all`: every chart under the document's title (the default).
    #[default]
    All,
    /// `matrix`: the likelihood × consequence heat map with its legend.
    Matrix,
    /// `crime-types`: findings by crime type, as bars.
    CrimeTypes,
    /// `status`: findings by status, as bars.
    Status,
    /// `coverage`: reviewed clauses of all, per section (per document in
    /// the library's overview).
    Coverage,
    /// `strip`: where along the document the risks sit (along each
    /// document in the library's overview).
    Strip,
}

impl OverviewPart {
    /// Every part, `all` first.
    pub const ALL: [OverviewPart; 6] = [
        OverviewPart::All,
        OverviewPart::Matrix,
        OverviewPart::CrimeTypes,
        OverviewPart::Status,
        OverviewPart::Coverage,
        OverviewPart::Strip,
    ];

    /// The name used on the command line and over IPC.
    pub fn name(self) -> &'static str {
        match self {
            OverviewPart::All => "all",
            OverviewPart::Matrix => "matrix",
            OverviewPart::CrimeTypes => "crime-types",
            OverviewPart::Status => "status",
            OverviewPart::Coverage => "coverage",
            OverviewPart::Strip => "strip",
        }
    }

    /// The names of all parts, for error messages and help texts.
    pub fn names() -> Vec<&'static str> {
        OverviewPart::ALL.iter().map(|p| p.name()).collect()
    }
}

impl FromStr for OverviewPart {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OverviewPart::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| ExportError::UnknownPart(s.to_string()))
    }
}

/// The file format of an overview image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// `svg`: scalable, editable in Inkscape, LibreOffice and PowerPoint.
    Svg,
    /// `png`: a bitmap at [`PNG_SCALE`] times the SVG's size.
    Png,
}

impl ImageFormat {
    /// `svg` or `png`; also the file extension.
    pub fn name(self) -> &'static str {
        match self {
            ImageFormat::Svg => "svg",
            ImageFormat::Png => "png",
        }
    }

    /// The media (MIME) type of the bytes.
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Svg => "image/svg+xml",
            ImageFormat::Png => "image/png",
        }
    }
}

impl FromStr for ImageFormat {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "svg" => Ok(ImageFormat::Svg),
            "png" => Ok(ImageFormat::Png),
            other => Err(ExportError::UnknownImageFormat(other.to_string())),
        }
    }
}

/// What an overview image is drawn from.
#[derive(Debug, Clone, Copy)]
pub struct OverviewImage<'a> {
    /// A document's overview, or the library's (`document_id` null).
    pub overview: &'a Overview,
    /// The document's title and Dnr head the image; `None` for the
    /// library's overview, headed by a fixed title and its number of
    /// documents.
    pub meta: Option<&'a DocumentMeta>,
    /// Scale labels, level colours and the banding.
    pub rulebook: &'a Rulebook,
    /// The date printed under the title, `YYYY-MM-DD`.
    pub date: &'a str,
}

/// The overview (or one part of it) as an image in `format`.
pub fn overview_image(
    format: ImageFormat,
    input: &OverviewImage<'_>,
    part: OverviewPart,
    lang: Lang,
) -> Result<Vec<u8>, ExportError> {
    let svg = overview_svg(input, part, lang);
    match format {
        ImageFormat::Svg => Ok(svg.into_bytes()),
        ImageFormat::Png => svg_to_png(&svg, PNG_SCALE),
    }
}

/// The overview (or one part of it) as a standalone SVG document.
pub fn overview_svg(input: &OverviewImage<'_>, part: OverviewPart, lang: Lang) -> String {
    let fonts = Fonts::new();
    let d = Draw {
        fonts: &fonts,
        t: overview_texts(lang),
        input,
    };
    let (width, panels) = match part {
        OverviewPart::All => {
            let inner = ALL_WIDTH - 2.0 * MARGIN;
            let matrix = d.matrix();
            let right_w = (inner - matrix.w - COLUMN_GAP).max(300.0);
            let crime = d.crime_types(right_w);
            let status = d.statuses(right_w);
            let mut right = Panel::empty(right_w);
            right.below(crime, 0.0);
            right.below(status, PANEL_GAP);
            let mut top = Panel::empty(inner);
            top.beside(matrix, right, COLUMN_GAP);
            let mut all = Panel::empty(inner);
            all.below(top, 0.0);
            all.below(d.strip(inner), PANEL_GAP);
            all.below(d.coverage(inner), PANEL_GAP);
            (ALL_WIDTH, all)
        }
        one => {
            let inner = PART_WIDTH - 2.0 * MARGIN;
            let panel = match one {
                OverviewPart::Matrix => d.matrix(),
                OverviewPart::CrimeTypes => d.crime_types(inner),
                OverviewPart::Status => d.statuses(inner),
                OverviewPart::Coverage => d.coverage(inner),
                _ => d.strip(inner),
            };
            let width = (panel.w + 2.0 * MARGIN).max(PART_WIDTH);
            let mut centred = Panel::empty(width - 2.0 * MARGIN);
            let dx = ((centred.w - panel.w) / 2.0).max(0.0);
            centred.place(panel, dx, 0.0);
            (width, centred)
        }
    };

    let header = d.header(width - 2.0 * MARGIN);
    let height = (MARGIN + header.h + PANEL_GAP * 0.75 + panels.h + MARGIN).ceil();
    let width = width.ceil();
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}" lang="{lang}" data-part="{part}">
<title>{title}</title>
<rect x="0" y="0" width="{width}" height="{height}" fill="{WHITE}"/>
"#,
        lang = lang.code(),
        part = part.name(),
        title = esc(&format!("{} – {}", d.t.overview, d.title())),
    );
    let _ = writeln!(
        out,
        r#"<g transform="translate({MARGIN} {MARGIN})">{}</g>"#,
        header.body
    );
    let _ = writeln!(
        out,
        r#"<g transform="translate({MARGIN} {})">{}</g>"#,
        fmt(MARGIN + header.h + PANEL_GAP * 0.75),
        panels.body
    );
    out.push_str("</svg>\n");
    out
}

/// Renders an SVG to PNG at `scale` with the embedded fonts only.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, ExportError> {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(REGULAR.to_vec());
    db.load_font_data(BOLD.to_vec());
    db.set_sans_serif_family("Liberation Sans");
    let options = usvg::Options {
        font_family: "Liberation Sans".into(),
        fontdb: Arc::new(db),
        languages: vec!["sv".into(), "en".into()],
        ..usvg::Options::default()
    };
    let tree =
        usvg::Tree::from_str(svg, &options).map_err(|e| ExportError::Image(e.to_string()))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| ExportError::Image("the image has no size".into()))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| ExportError::Image("the image is too large to draw".into()))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| ExportError::Image(e.to_string()))
}

// ---------------------------------------------------------------- measuring

struct Face {
    charmap: Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    upem: f32,
}

impl Face {
    fn load(data: &'static [u8]) -> Face {
        let font = FontRef::new(data).expect("the embedded font is valid");
        Face {
            charmap: font.charmap(),
            metrics: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
            upem: f32::from(
                font.metrics(Size::unscaled(), LocationRef::default())
                    .units_per_em,
            ),
        }
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| {
                let gid = self.charmap.map(c).unwrap_or_default();
                self.metrics.advance_width(gid).unwrap_or(0.0)
            })
            .sum::<f32>()
            / self.upem
            * size
    }
}

struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    fn new() -> Fonts {
        Fonts {
            regular: Face::load(REGULAR),
            bold: Face::load(BOLD),
        }
    }

    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        if bold {
            self.bold.width(text, size)
        } else {
            self.regular.width(text, size)
        }
    }

    /// `text` shortened with an ellipsis to fit `max` wide.
    fn fit(&self, text: &str, size: f32, bold: bool, max: f32) -> String {
        if self.width(text, size, bold) <= max {
            return text.to_string();
        }
        let mut cut: String = text.to_string();
        while !cut.is_empty() {
            cut.pop();
            let candidate = format!("{}…", cut.trim_end());
            if self.width(&candidate, size, bold) <= max {
                return candidate;
            }
        }
        "…".to_string()
    }

    /// `text` broken into at most `max_lines` lines `max` wide; the last
    /// line ends with an ellipsis when text is left over.
    fn wrap(&self, text: &str, size: f32, bold: bool, max: f32, max_lines: usize) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
        let mut rest = words.as_slice();
        while let Some((word, tail)) = rest.split_first() {
            let candidate = if line.is_empty() {
                (*word).to_string()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size, bold) <= max {
                line = candidate;
                rest = tail;
                continue;
            }
            if line.is_empty() {
                // One word wider than the line: shortened on its own line.
                lines.push(self.fit(word, size, bold, max));
                rest = tail;
            } else {
                lines.push(std::mem::take(&mut line));
            }
            if lines.len() == max_lines {
                break;
            }
        }
        if !line.is_empty() && lines.len() < max_lines {
            lines.push(line);
        }
        if !rest.is_empty() && lines.len() == max_lines {
            let last = lines.pop().unwrap_or_default();
            let all = format!("{last} {}", rest.join(" "));
            lines.push(self.fit(&all, size, bold, max));
        }
        lines
    }
}

// ---------------------------------------------------------------- text

/// Text for an XML text node or attribute value: the characters XML 1.0
/// cannot hold dropped (controls become spaces), markup characters escaped.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\u{FFFE}' | '\u{FFFF}' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// One line of text: every run of white space and control characters made
/// one space, trimmed.
fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A number for an SVG attribute: at most two decimals, no trailing zeros.
fn fmt(v: f32) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// A level colour as the SVG gets it: `#rrggbb` from the rulebook, or a
/// neutral grey when the rulebook's value is not a colour.
fn colour(hex: &str) -> String {
    match parse_hex(hex) {
        Some((r, g, b)) => format!("#{r:02x}{g:02x}{b:02x}"),
        None => NO_LEVEL.to_string(),
    }
}

/// `hex` mixed with white, `share` of the colour kept (for empty cells).
fn pale(hex: &str, share: f32) -> String {
    let (r, g, b) = parse_hex(hex).unwrap_or((138, 138, 138));
    let mix = |c: u8| (f32::from(c) * share + 255.0 * (1.0 - share)).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(r), mix(g), mix(b))
}

fn rgb_hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

#[derive(Clone, Copy)]
enum Anchor {
    Start,
    Middle,
    End,
}

/// One `<text>` element; `text` is escaped here.
#[allow(clippy::too_many_arguments)]
fn text(
    out: &mut String,
    x: f32,
    y: f32,
    size: f32,
    bold: bool,
    fill: &str,
    anchor: Anchor,
    text: &str,
) {
    let anchor = match anchor {
        Anchor::Start => "",
        Anchor::Middle => r#" text-anchor="middle""#,
        Anchor::End => r#" text-anchor="end""#,
    };
    let weight = if bold { r#" font-weight="bold""# } else { "" };
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" font-size="{}"{weight}{anchor} fill="{fill}">{}</text>"#,
        fmt(x),
        fmt(y),
        fmt(size),
        esc(text)
    );
}

// ---------------------------------------------------------------- layout

/// A drawn block: SVG content in its own coordinates, from (0, 0) to (w, h).
struct Panel {
    body: String,
    w: f32,
    h: f32,
}

impl Panel {
    fn empty(w: f32) -> Panel {
        Panel {
            body: String::new(),
            w,
            h: 0.0,
        }
    }

    fn place(&mut self, p: Panel, x: f32, y: f32) {
        let _ = write!(
            self.body,
            r#"<g transform="translate({} {})">{}</g>"#,
            fmt(x),
            fmt(y),
            p.body
        );
        self.h = self.h.max(y + p.h);
        self.w = self.w.max(x + p.w);
    }

    fn below(&mut self, p: Panel, gap: f32) {
        let y = if self.h > 0.0 { self.h + gap } else { 0.0 };
        self.place(p, 0.0, y);
    }

    fn beside(&mut self, left: Panel, right: Panel, gap: f32) {
        let x = left.w + gap;
        self.place(left, 0.0, 0.0);
        self.place(right, x, 0.0);
    }
}

struct Draw<'a> {
    fonts: &'a Fonts,
    t: &'static OverviewTexts,
    input: &'a OverviewImage<'a>,
}

impl Draw<'_> {
    fn findings(&self, n: u32) -> String {
        if n == 1 {
            self.t.finding_one.to_string()
        } else {
            self.t.finding_other.replace("{n}", &n.to_string())
        }
    }

    fn documents(&self, n: usize) -> String {
        if n == 1 {
            self.t.document_one.to_string()
        } else {
            self.t.document_other.replace("{n}", &n.to_string())
        }
    }

    /// Whether this is the overview of the whole library.
    fn is_library(&self) -> bool {
        self.input.overview.document_id.is_none()
    }

    /// The image's title: the document's, or the library's fixed one.
    fn title(&self) -> String {
        match self.input.meta {
            Some(meta) => one_line(&meta.title),
            None => self.t.library.to_string(),
        }
    }

    /// A document's title on one line, or a fixed text when it has none.
    fn document_title(&self, title: &str) -> String {
        match one_line(title) {
            t if t.is_empty() => self.t.untitled.to_string(),
            t => t,
        }
    }

    fn level_colour(&self, id: Option<&str>) -> Option<String> {
        let id = id?;
        let level = self
            .input
            .rulebook
            .scale
            .levels
            .iter()
            .find(|l| l.id == id)?;
        Some(colour(&level.color))
    }

    /// Title (up to two lines), then `Översikt · Dnr … · date` (the
    /// library's: `Översikt · N dokument · date`).
    fn header(&self, w: f32) -> Panel {
        let mut p = Panel::empty(w);
        let mut y = TITLE;
        for line in self.fonts.wrap(&self.title(), TITLE, true, w, 2) {
            text(&mut p.body, 0.0, y, TITLE, true, INK, Anchor::Start, &line);
            y += TITLE * 1.2;
        }
        let mut sub = vec![self.t.overview.to_string()];
        match self.input.meta {
            Some(meta) => {
                let dnr = one_line(&meta.dnr);
                if !dnr.is_empty() {
                    sub.push(format!("{} {dnr}", self.t.dnr));
                }
            }
            None => sub.push(self.documents(self.input.overview.documents.len())),
        }
        let date = one_line(self.input.date);
        if !date.is_empty() {
            sub.push(date);
        }
        let sub = self.fonts.fit(&sub.join(" · "), SUBTITLE, false, w);
        y += 2.0;
        text(
            &mut p.body,
            0.0,
            y,
            SUBTITLE,
            false,
            MUTED,
            Anchor::Start,
            &sub,
        );
        p.h = y + 5.0;
        p
    }

    fn heading(&self, p: &mut Panel, title: &str) {
        let line = self.fonts.fit(title, HEADING, true, p.w);
        text(
            &mut p.body,
            0.0,
            HEADING,
            HEADING,
            true,
            INK,
            Anchor::Start,
            &line,
        );
        p.h = HEADING + 14.0;
    }

    /// The heat map: rows likelihood (highest on top), columns consequence.
    fn matrix(&self) -> Panel {
        let book = self.input.rulebook;
        let f = self.fonts;
        let mut rows: Vec<_> = book.scale.likelihood.steps.iter().collect();
        rows.sort_by_key(|s| std::cmp::Reverse(s.value));
        let mut cols: Vec<_> = book.scale.impact.steps.iter().collect();
        cols.sort_by_key(|s| s.value);

        let row_labels: Vec<Vec<String>> = rows
            .iter()
            .map(|s| f.wrap(&one_line(&s.label), SMALL, false, ROW_HEAD_MAX, 2))
            .collect();
        let row_head_w = row_labels
            .iter()
            .flatten()
            .map(|l| f.width(l, SMALL, false))
            .fold(0.0_f32, f32::max);
        let axis_w = SMALL + 12.0; // the turned likelihood title
        let gx = axis_w + row_head_w + 10.0;
        let grid_w = cols.len() as f32 * (CELL_W + CELL_GAP) - CELL_GAP;
        let grid_h = rows.len() as f32 * (CELL_H + CELL_GAP) - CELL_GAP;

        let mut p = Panel::empty(gx + grid_w.max(0.0));
        self.heading(&mut p, self.t.matrix);
        let gy = p.h;
        let body = &mut p.body;

        // The likelihood axis title, turned, centred on the grid.
        let ly = gy + grid_h / 2.0;
        let likelihood = f.fit(
            &one_line(&book.scale.likelihood.label),
            SMALL,
            true,
            grid_h.max(60.0),
        );
        let _ = write!(
            body,
            r#"<g transform="translate({} {}) rotate(-90)">"#,
            fmt(SMALL),
            fmt(ly)
        );
        text(
            body,
            0.0,
            0.0,
            SMALL,
            true,
            MUTED,
            Anchor::Middle,
            &likelihood,
        );
        body.push_str("</g>");

        for (r, step_l) in rows.iter().enumerate() {
            let y = gy + r as f32 * (CELL_H + CELL_GAP);
            let lines = &row_labels[r];
            let first = y + CELL_H / 2.0 + SMALL * 0.35 - (lines.len() as f32 - 1.0) * SMALL * 0.6;
            for (i, line) in lines.iter().enumerate() {
                text(
                    body,
                    gx - 10.0,
                    first + i as f32 * SMALL * 1.2,
                    SMALL,
                    false,
                    MUTED,
                    Anchor::End,
                    line,
                );
            }
            for (c, step_i) in cols.iter().enumerate() {
                let x = gx + c as f32 * (CELL_W + CELL_GAP);
                let cell =
                    self.input.overview.cells.iter().find(|cell| {
                        cell.likelihood == step_l.value && cell.impact == step_i.value
                    });
                let level = cell.and_then(|c| c.level.as_deref()).or_else(|| {
                    book.risk_level(step_l.value, step_i.value)
                        .map(|l| l.id.as_str())
                });
                let full = self
                    .level_colour(level)
                    .unwrap_or_else(|| WHITE.to_string());
                let n = cell.map_or(0, |c| c.finding_ids.len());
                let fill = if n == 0 {
                    pale(&full, 0.45)
                } else {
                    full.clone()
                };
                let _ = write!(
                    body,
                    r##"<rect x="{}" y="{}" width="{CELL_W}" height="{CELL_H}" rx="5" fill="{fill}" stroke="#000000" stroke-opacity="0.2" data-likelihood="{}" data-impact="{}" data-level="{}" data-count="{n}"/>"##,
                    fmt(x),
                    fmt(y),
                    step_l.value,
                    step_i.value,
                    esc(level.unwrap_or("")),
                );
                if n > 0 {
                    text(
                        body,
                        x + CELL_W / 2.0,
                        y + CELL_H / 2.0 + CELL_COUNT * 0.36,
                        CELL_COUNT,
                        true,
                        &rgb_hex(text_on(&full)),
                        Anchor::Middle,
                        &n.to_string(),
                    );
                }
            }
        }

        // Consequence steps under the columns, then the axis title.
        let mut y = gy + grid_h + 8.0 + SMALL;
        let mut deepest = 1;
        for (c, step) in cols.iter().enumerate() {
            let x = gx + c as f32 * (CELL_W + CELL_GAP) + CELL_W / 2.0;
            let lines = f.wrap(&one_line(&step.label), SMALL, false, CELL_W - 8.0, 2);
            deepest = deepest.max(lines.len());
            for (i, line) in lines.iter().enumerate() {
                text(
                    body,
                    x,
                    y + i as f32 * SMALL * 1.2,
                    SMALL,
                    false,
                    MUTED,
                    Anchor::Middle,
                    line,
                );
            }
        }
        y += (deepest as f32 - 1.0) * SMALL * 1.2 + SMALL * 1.7;
        let impact = f.fit(
            &one_line(&book.scale.impact.label),
            SMALL,
            true,
            grid_w.max(60.0),
        );
        text(
            body,
            gx + grid_w / 2.0,
            y,
            SMALL,
            true,
            MUTED,
            Anchor::Middle,
            &impact,
        );

        // The legend: every level, lowest first, wrapped to the panel.
        y += 16.0;
        y = self.level_legend(body, false, p.w, y);

        let unassessed = self.input.overview.unassessed;
        if unassessed > 0 {
            y += 8.0 + SMALL;
            let line = self
                .t
                .unassessed
                .replace("{count}", &self.findings(unassessed));
            text(
                body,
                0.0,
                y,
                SMALL,
                false,
                MUTED,
                Anchor::Start,
                &f.fit(&line, SMALL, false, p.w),
            );
            y += 4.0;
        }
        p.h = y;
        p
    }

    /// Swatches with labels from `top`, wrapped within `w`; returns the bottom.
    fn legend(&self, body: &mut String, items: &[(String, String)], w: f32, top: f32) -> f32 {
        let (mut x, mut y) = (0.0, top);
        let row = SMALL + 10.0;
        for (fill, label) in items {
            let label = self.fonts.fit(label, SMALL, false, w - 20.0);
            let item_w = 14.0 + 6.0 + self.fonts.width(&label, SMALL, false);
            if x > 0.0 && x + item_w > w {
                x = 0.0;
                y += row;
            }
            let _ = write!(
                body,
                r##"<rect x="{}" y="{}" width="14" height="14" rx="2" fill="{fill}" stroke="#000000" stroke-opacity="0.2"/>"##,
                fmt(x),
                fmt(y)
            );
            text(
                body,
                x + 20.0,
                y + 11.5,
                SMALL,
                false,
                INK,
                Anchor::Start,
                &label,
            );
            x += item_w + 18.0;
        }
        y + row - 6.0
    }

    /// Horizontal bars with the count after each bar.
    fn bars(&self, title: &str, items: &[(String, u32)], w: f32, kind: &str) -> Panel {
        let f = self.fonts;
        let mut p = Panel::empty(w);
        self.heading(&mut p, title);
        if items.is_empty() {
            text(
                &mut p.body,
                0.0,
                p.h + LABEL,
                LABEL,
                false,
                MUTED,
                Anchor::Start,
                self.t.none,
            );
            p.h += LABEL + 6.0;
            return p;
        }
        let max = items.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
        let count_w = f.width(&max.to_string(), LABEL, true) + 10.0;
        let label_w = items
            .iter()
            .map(|(l, _)| f.width(l, LABEL, false))
            .fold(0.0_f32, f32::max)
            .min(w * 0.45);
        let bar_x = label_w + 12.0;
        let bar_max = (w - bar_x - count_w).max(40.0);
        let mut y = p.h;
        for (label, n) in items {
            let label = f.fit(label, LABEL, false, label_w);
            text(
                &mut p.body,
                0.0,
                y + BAR_ROW / 2.0 + LABEL * 0.35,
                LABEL,
                false,
                INK,
                Anchor::Start,
                &label,
            );
            let bw = (bar_max * *n as f32 / max as f32).max(3.0);
            let _ = write!(
                p.body,
                r#"<rect x="{}" y="{}" width="{}" height="{BAR_H}" rx="3" fill="{ACCENT}" data-{kind}="{}" data-count="{n}"/>"#,
                fmt(bar_x),
                fmt(y + (BAR_ROW - BAR_H) / 2.0),
                fmt(bw),
                esc(&label),
            );
            text(
                &mut p.body,
                bar_x + bw + 6.0,
                y + BAR_ROW / 2.0 + LABEL * 0.35,
                LABEL,
                true,
                INK,
                Anchor::Start,
                &n.to_string(),
            );
            y += BAR_ROW;
        }
        p.h = y;
        p
    }

    fn crime_types(&self, w: f32) -> Panel {
        let items: Vec<(String, u32)> = self
            .input
            .overview
            .by_crime_type
            .iter()
            .map(|c| {
                let (key, label) = (one_line(&c.key), one_line(&c.label));
                let text = if label.is_empty() || label == key {
                    key
                } else {
                    format!("{key} · {label}")
                };
                (text, c.count)
            })
            .collect();
        self.bars(self.t.crime_types, &items, w, "crime-type")
    }

    fn statuses(&self, w: f32) -> Panel {
        let items: Vec<(String, u32)> = self
            .input
            .overview
            .by_status
            .iter()
            .map(|s| {
                let label = match s.key.as_str() {
                    "draft" => self.t.status_draft.to_string(),
                    "reviewed" => self.t.status_reviewed.to_string(),
                    "agreed" => self.t.status_agreed.to_string(),
                    "rejected" => self.t.status_rejected.to_string(),
                    other => one_line(other),
                };
                (label, s.count)
            })
            .collect();
        self.bars(self.t.statuses, &items, w, "status")
    }

    /// Reviewed of all, then one progress bar per section (per document in
    /// the library's overview).
    fn coverage(&self, w: f32) -> Panel {
        let f = self.fonts;
        let o = self.input.overview;
        // Every row as (label, reviewed, clauses), and what a row is.
        type Rows = Vec<(String, u32, u32)>;
        let (heading, kind, more, share, rows): (&str, &str, &str, f32, Rows) = if self.is_library()
        {
            let rows = o
                .documents
                .iter()
                .map(|d| (self.document_title(&d.title), d.reviewed, d.clauses))
                .collect();
            let t = self.t;
            let (heading, more) = (t.documents_coverage, t.more_documents);
            (heading, "document", more, DOCUMENT_LABELS, rows)
        } else {
            let rows = o
                .sections
                .iter()
                .map(|s| {
                    let title = match one_line(&s.title) {
                        t if t.is_empty() => self.t.no_section.to_string(),
                        t => t,
                    };
                    (title, s.reviewed, s.clauses)
                })
                .collect();
            let t = self.t;
            (t.sections, "section", t.more_sections, SECTION_LABELS, rows)
        };
        let mut p = Panel::empty(w);
        self.heading(&mut p, heading);
        let progress = self
            .t
            .progress
            .replace("{n}", &o.reviewed.to_string())
            .replace("{m}", &o.clauses.to_string());
        let mut y = p.h + LABEL;
        text(
            &mut p.body,
            0.0,
            y,
            LABEL,
            true,
            INK,
            Anchor::Start,
            &f.fit(&progress, LABEL, true, w),
        );
        y += 10.0;
        if rows.is_empty() && self.is_library() {
            y += LABEL + 4.0;
            self.muted_line(&mut p.body, y, w, self.t.no_documents);
            y += 6.0;
        }

        let shown = &rows[..rows.len().min(MAX_SECTIONS)];
        let widest_count = shown
            .iter()
            .map(|(_, r, c)| f.width(&format!("{r} / {c}"), LABEL, false))
            .fold(0.0_f32, f32::max);
        let label_w = shown
            .iter()
            .map(|(l, _, _)| f.width(l, LABEL, false))
            .fold(0.0_f32, f32::max)
            .min(w * share);
        let bar_x = label_w + 12.0;
        let bar_w = (w - bar_x - widest_count - 12.0).max(40.0);
        for (label, reviewed, clauses) in shown {
            let base = y + BAR_ROW / 2.0 + LABEL * 0.35;
            text(
                &mut p.body,
                0.0,
                base,
                LABEL,
                false,
                INK,
                Anchor::Start,
                &f.fit(label, LABEL, false, label_w),
            );
            let by = y + (BAR_ROW - BAR_H) / 2.0;
            let _ = write!(
                p.body,
                r#"<rect x="{}" y="{}" width="{}" height="{BAR_H}" rx="3" fill="{TRACK}"/>"#,
                fmt(bar_x),
                fmt(by),
                fmt(bar_w)
            );
            let share = if *clauses == 0 {
                0.0
            } else {
                (*reviewed as f32 / *clauses as f32).min(1.0)
            };
            let _ = write!(
                p.body,
                r#"<rect x="{}" y="{}" width="{}" height="{BAR_H}" rx="3" fill="{ACCENT}" data-{kind}="{}" data-reviewed="{reviewed}" data-clauses="{clauses}"/>"#,
                fmt(bar_x),
                fmt(by),
                fmt(bar_w * share),
                esc(label),
            );
            text(
                &mut p.body,
                w,
                base,
                LABEL,
                false,
                INK,
                Anchor::End,
                &format!("{reviewed} / {clauses}"),
            );
            y += BAR_ROW;
        }
        let hidden = rows.len().saturating_sub(MAX_SECTIONS);
        if hidden > 0 {
            y += LABEL + 8.0;
            self.muted_line(&mut p.body, y, w, &more.replace("{n}", &hidden.to_string()));
            y += 6.0;
        }
        p.h = y;
        p
    }

    /// One line of muted text at the left, shortened to `w`.
    fn muted_line(&self, body: &mut String, y: f32, w: f32, line: &str) {
        let line = self.fonts.fit(line, LABEL, false, w);
        text(body, 0.0, y, LABEL, false, MUTED, Anchor::Start, &line);
    }

    /// One band along the document, a tick per clause with findings in the
    /// colour of its highest level (one thinner band per document in the
    /// library's overview).
    fn strip(&self, w: f32) -> Panel {
        if self.is_library() {
            return self.document_strips(w);
        }
        let o = self.input.overview;
        let mut p = Panel::empty(w);
        self.heading(&mut p, self.t.strip);
        let top = p.h;
        let marks = o
            .strip
            .iter()
            .enumerate()
            .filter(|(_, h)| h.findings > 0)
            .map(|(i, h)| (i, h.level.as_deref()));
        let (band, any_unrated) = self.band(w, STRIP_H, 4.0, o.strip.len(), marks, "");
        p.place(band, 0.0, top);
        let y = top + STRIP_H + 6.0 + SMALL;
        self.ends(&mut p.body, 0.0, w, y);
        p.h = self.level_legend(&mut p.body, any_unrated, w, y + 12.0);
        p
    }

    /// The library's strips: a row per document, its title on the left and
    /// its clauses along a thin band (the first [`MAX_STRIPS`] documents;
    /// the rest are counted in one line).
    fn document_strips(&self, w: f32) -> Panel {
        let f = self.fonts;
        let docs = &self.input.overview.documents;
        let mut p = Panel::empty(w);
        self.heading(&mut p, self.t.documents_strip);
        if docs.is_empty() {
            let y = p.h + LABEL;
            self.muted_line(&mut p.body, y, w, self.t.no_documents);
            p.h = y + 6.0;
            return p;
        }
        let shown = &docs[..docs.len().min(MAX_STRIPS)];
        let titles: Vec<String> = shown
            .iter()
            .map(|d| self.document_title(&d.title))
            .collect();
        let label_w = titles
            .iter()
            .map(|t| f.width(t, LABEL, false))
            .fold(0.0_f32, f32::max)
            .min(w * DOCUMENT_LABELS);
        let band_x = label_w + 12.0;
        let band_w = (w - band_x).max(40.0);
        let mut y = p.h;
        let mut any_unrated = false;
        for (d, title) in shown.iter().zip(&titles) {
            text(
                &mut p.body,
                0.0,
                y + ROW_H / 2.0 + LABEL * 0.35,
                LABEL,
                false,
                INK,
                Anchor::Start,
                &f.fit(title, LABEL, false, label_w),
            );
            let track = format!(
                r#" data-strip="{}" data-clauses="{}" data-marks="{}""#,
                esc(title),
                d.clauses,
                d.marks.len()
            );
            let marks = d
                .marks
                .iter()
                .map(|m| (m.index as usize, m.level.as_deref()));
            let (band, unrated) =
                self.band(band_w, ROW_STRIP_H, 3.0, d.clauses as usize, marks, &track);
            any_unrated |= unrated;
            p.place(band, band_x, y + (ROW_H - ROW_STRIP_H) / 2.0);
            y += ROW_H;
        }
        y += SMALL;
        self.ends(&mut p.body, band_x, w, y);
        let hidden = docs.len().saturating_sub(MAX_STRIPS);
        if hidden > 0 {
            y += LABEL + 10.0;
            let line = self.t.more_documents.replace("{n}", &hidden.to_string());
            self.muted_line(&mut p.body, y, w, &line);
        }
        p.h = self.level_legend(&mut p.body, any_unrated, w, y + 12.0);
        p
    }

    /// A band `w` × `h` standing for `clauses` clauses, with a tick at each
    /// mark (a clause's place, its level) in the colour of the level, grey
    /// when it has none; neighbouring ticks of one colour are drawn as one
    /// rectangle. `track` adds attributes to the band's own rectangle.
    /// Returns the band and whether a mark had no level.
    fn band<'m>(
        &self,
        w: f32,
        h: f32,
        rx: f32,
        clauses: usize,
        marks: impl IntoIterator<Item = (usize, Option<&'m str>)>,
        track: &str,
    ) -> (Panel, bool) {
        let mut p = Panel::empty(w);
        p.h = h;
        let body = &mut p.body;
        let _ = write!(
            body,
            r#"<rect x="0" y="0" width="{}" height="{}" rx="{}" fill="{TRACK}" stroke="{BORDER}"{track}/>"#,
            fmt(w),
            fmt(h),
            fmt(rx)
        );
        let last_place = clauses.max(1) - 1;
        let step = w / clauses.max(1) as f32;
        let mut any_unrated = false;
        let mut run: Option<(usize, usize, String, String)> = None; // first, last, colour, level
        let flush = |body: &mut String, run: &Option<(usize, usize, String, String)>| {
            if let Some((first, last, fill, level)) = run {
                let x = *first as f32 * step;
                let width = ((*last + 1 - *first) as f32 * step).max(3.0).min(w - x);
                let x = x.min(w - width);
                let _ = write!(
                    body,
                    r#"<rect x="{}" y="0" width="{}" height="{}" fill="{fill}" data-tick="{}" data-level="{}"/>"#,
                    fmt(x),
                    fmt(width),
                    fmt(h),
                    last + 1 - first,
                    esc(level),
                );
            }
        };
        for (i, level) in marks {
            // A place past the end (the outline changed) stays on the band.
            let i = i.min(last_place);
            let fill = self.level_colour(level).unwrap_or_else(|| {
                any_unrated = true;
                NO_LEVEL.to_string()
            });
            let level = level.unwrap_or_default().to_string();
            match &mut run {
                Some((_, last, c, l)) if *last + 1 == i && *c == fill && *l == level => *last = i,
                _ => {
                    flush(body, &run);
                    run = Some((i, i, fill, level));
                }
            }
        }
        flush(body, &run);
        (p, any_unrated)
    }

    /// "Start of the document" under `x0`, "End" under `x1`, on baseline `y`.
    fn ends(&self, body: &mut String, x0: f32, x1: f32, y: f32) {
        let t = self.t;
        text(body, x0, y, SMALL, false, MUTED, Anchor::Start, t.start);
        text(body, x1, y, SMALL, false, MUTED, Anchor::End, t.end);
    }

    /// The legend of the rulebook's levels, lowest first, and of findings
    /// without a level when `unrated`; returns the bottom.
    fn level_legend(&self, body: &mut String, unrated: bool, w: f32, top: f32) -> f32 {
        let mut legend: Vec<(String, String)> = self
            .input
            .rulebook
            .scale
            .levels
            .iter()
            .map(|l| (colour(&l.color), one_line(&l.label)))
            .collect();
        if unrated {
            legend.push((NO_LEVEL.to_string(), self.t.no_level.to_string()));
        }
        self.legend(body, &legend, w, top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_fit_and_the_last_one_ends_in_an_ellipsis() {
        let f = Fonts::new();
        let text =
            "Riktlinjer för biståndsbedömning, kundval och uppföljning av utförare av hemtjänst";
        let lines = f.wrap(text, 20.0, true, 300.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(
            lines.iter().all(|l| f.width(l, 20.0, true) <= 300.0),
            "{lines:?}"
        );
        assert!(lines[1].ends_with('…'));
        assert_eq!(f.wrap("Kort titel", 20.0, true, 300.0, 2), ["Kort titel"]);
        assert!(f.wrap("", 20.0, true, 300.0, 2).is_empty());
        let word = f.wrap(
            "Auktorisationsvillkorsuppföljningsrutiner",
            20.0,
            false,
            120.0,
            2,
        );
        assert!(
            word.len() == 1 && word[0].ends_with('…') && f.width(&word[0], 20.0, false) <= 120.0
        );
    }

    #[test]
    fn escaping_leaves_no_markup_and_no_characters_xml_forbids() {
        assert_eq!(
            esc("<a href='x'>\"&\"</a>\u{0}\u{1b}\u{FFFF}å"),
            "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;  å"
        );
        assert_eq!(one_line(" a\n\tb\u{7}  c "), "a b c");
    }

    #[test]
    fn colours_from_the_rulebook_are_checked() {
        assert_eq!(colour("#B71C1C"), "#b71c1c");
        assert_eq!(colour("red\" onload=\"x"), NO_LEVEL);
        assert_eq!(pale("#000000", 0.5), "#808080");
    }

    #[test]
    fn long_document_titles_in_the_library_end_before_their_bar_and_band() {
        use kryphal_domain::{ClauseMark, DocumentHeat};
        let long = "Riktlinjer för biståndsbedömning, kundval och uppföljning av utförare av hemtjänst och ledsagning i Ekby kommun";
        let heat = |title: &str| DocumentHeat {
            document_id: title.into(),
            title: title.into(),
            doc_type: String::new(),
            owner: String::new(),
            clauses: 4,
            reviewed: 1,
            findings: 1,
            level: None,
            marks: vec![ClauseMark {
                index: 0,
                clause_id: "c".into(),
                label: "p. 1".into(),
                findings: 1,
                level: None,
            }],
        };
        let o = Overview {
            document_id: None,
            cells: vec![],
            unassessed: 0,
            by_crime_type: vec![],
            by_status: vec![],
            clauses: 8,
            reviewed: 2,
            sections: vec![],
            strip: vec![],
            documents: vec![heat(long), heat("Kort")],
            findings: vec![],
            earlier_versions: 0,
        };
        let book = Rulebook::builtin();
        let input = OverviewImage {
            overview: &o,
            meta: None,
            rulebook: &book,
            date: "2026-11-24",
        };
        let f = Fonts::new();
        for (part, kind) in [
            (OverviewPart::Coverage, "data-document"),
            (OverviewPart::Strip, "data-strip"),
        ] {
            let out = overview_svg(&input, part, Lang::Sv);
            let doc = roxmltree::Document::parse(&out).unwrap();
            let shown = doc
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .filter_map(|n| n.text())
                .find(|t| t.starts_with("Riktlinjer för"))
                .unwrap();
            assert!(shown.ends_with('…') && shown != long, "{part:?}: {shown}");
            assert!(out.contains("Kort<") || out.contains(">Kort</text>"));
            // Where the bar (its x) or the band (its group's translate) starts.
            let rect = doc
                .descendants()
                .find(|n| n.attribute(kind) == Some(long))
                .unwrap_or_else(|| panic!("{part:?}: the whole title is not in {kind}"));
            let start: f32 = match part {
                OverviewPart::Coverage => rect.attribute("x").unwrap().parse().unwrap(),
                _ => {
                    let t = rect.parent().unwrap().attribute("transform").unwrap();
                    let inner = t.strip_prefix("translate(").unwrap();
                    inner.split(' ').next().unwrap().parse().unwrap()
                }
            };
            let width = f.width(shown, LABEL, false);
            assert!(
                width + 10.0 <= start,
                "{part:?}: the title ({width}) runs into its bar at {start}"
            );
        }
    }
}
