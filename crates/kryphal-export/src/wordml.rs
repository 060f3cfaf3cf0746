//! WordprocessingML written by hand: runs, paragraphs and tables for the
//! memo and the review document, the styles they use, and the package
//! around them — either Kryphål's own layout or the municipality's template
//! (`template.rs`). Text is always escaped; style ids go through a
//! [`StyleMap`] so that a template's own styles (a Swedish Word's `Rubrik1`
//! for *heading 1*) are the ones used.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::ooxml::{self, DECL, esc};
use crate::template::LoadedTemplate;
use crate::{ExportError, Format};

/// A4 in twentieths of a point, with 2.2 cm margins left and right.
pub(crate) const PAGE_W: u32 = 11_906;
pub(crate) const PAGE_H: u32 = 16_838;
pub(crate) const MARGIN: u32 = 1_247;
/// The text width of Kryphål's own page.
pub(crate) const TEXT_W: u32 = PAGE_W - 2 * MARGIN;

/// Kryphål's style ids (a template may map them to its own).
pub(crate) mod style {
    pub const NORMAL: &str = "Normal";
    pub const TITLE: &str = "Title";
    pub const H1: &str = "Heading1";
    pub const H2: &str = "Heading2";
    pub const H3: &str = "Heading3";
    pub const QUOTE: &str = "Quote";
    pub const TABLE_TEXT: &str = "TableText";
    pub const LIST_BULLET: &str = "ListBullet";
    pub const DELETED: &str = "KryphalStruken";
    pub const INSERTED: &str = "KryphalInfogad";
    pub const TABLE: &str = "KryphalTabell";
    pub const COMMENT_TEXT: &str = "CommentText";
    pub const COMMENT_REF: &str = "CommentReference";
}

/// One of Kryphål's styles: id, the built-in name Word knows it by, its
/// type, and the XML of its definition.
pub(crate) struct StyleDef {
    pub id: &'static str,
    pub name: String,
    pub kind: &'static str,
    pub xml: String,
}

/// Kryphål's styles, named in `lang` where Word has no built-in name.
pub(crate) fn style_defs(lang: &str) -> Vec<StyleDef> {
    let sv = lang == "sv";
    let rpr_font = "<w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:cs=\"Arial\"/>";
    let heading = |id: &'static str, name: &str, size: u32, level: u32, before: u32| StyleDef {
        id,
        name: name.to_string(),
        kind: "paragraph",
        xml: format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"{before}\" w:after=\"120\"/><w:outlineLvl w:val=\"{level}\"/></w:pPr><w:rPr>{rpr_font}<w:b/><w:bCs/><w:color w:val=\"1F3864\"/><w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr></w:style>"
        ),
    };
    let mut out = vec![
        StyleDef {
            id: style::NORMAL,
            name: "Normal".into(),
            kind: "paragraph",
            xml: format!("<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:before=\"0\" w:after=\"120\"/></w:pPr><w:rPr>{rpr_font}<w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/></w:rPr></w:style>"),
        },
        StyleDef {
            id: style::TITLE,
            name: "Title".into(),
            kind: "paragraph",
            xml: format!("<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"0\" w:after=\"240\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr>{rpr_font}<w:b/><w:bCs/><w:sz w:val=\"36\"/><w:szCs w:val=\"36\"/></w:rPr></w:style>"),
        },
        heading(style::H1, "heading 1", 30, 0, 360),
        heading(style::H2, "heading 2", 26, 1, 300),
        heading(style::H3, "heading 3", 23, 2, 240),
        StyleDef {
            id: style::QUOTE,
            name: "Quote".into(),
            kind: "paragraph",
            xml: "<w:style w:type=\"paragraph\" w:styleId=\"Quote\"><w:name w:val=\"Quote\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:before=\"60\" w:after=\"180\"/><w:ind w:left=\"567\" w:right=\"567\"/></w:pPr><w:rPr><w:i/><w:iCs/><w:color w:val=\"333333\"/></w:rPr></w:style>".into(),
        },
        StyleDef {
            id: style::TABLE_TEXT,
            name: if sv { "Tabelltext" } else { "Table Text" }.into(),
            kind: "paragraph",
            xml: format!("<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableText\"><w:name w:val=\"{}\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:before=\"20\" w:after=\"20\"/></w:pPr><w:rPr><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/></w:rPr></w:style>", if sv { "Tabelltext" } else { "Table Text" }),
        },
        StyleDef {
            id: style::LIST_BULLET,
            name: "List Bullet".into(),
            kind: "paragraph",
            xml: "<w:style w:type=\"paragraph\" w:styleId=\"ListBullet\"><w:name w:val=\"List Bullet\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:before=\"0\" w:after=\"60\"/></w:pPr></w:style>".into(),
        },
        StyleDef {
            id: style::DELETED,
            name: if sv { "Struken text" } else { "Deleted text" }.into(),
            kind: "character",
            xml: format!("<w:style w:type=\"character\" w:customStyle=\"1\" w:styleId=\"KryphalStruken\"><w:name w:val=\"{}\"/><w:rPr><w:strike/><w:color w:val=\"8B0000\"/></w:rPr></w:style>", if sv { "Struken text" } else { "Deleted text" }),
        },
        StyleDef {
            id: style::INSERTED,
            name: if sv { "Infogad text" } else { "Inserted text" }.into(),
            kind: "character",
            xml: format!("<w:style w:type=\"character\" w:customStyle=\"1\" w:styleId=\"KryphalInfogad\"><w:name w:val=\"{}\"/><w:rPr><w:b/><w:bCs/><w:color w:val=\"0B3D91\"/><w:u w:val=\"single\"/></w:rPr></w:style>", if sv { "Infogad text" } else { "Inserted text" }),
        },
        StyleDef {
            id: style::TABLE,
            name: if sv { "Kryphål tabell" } else { "Kryphål table" }.into(),
            kind: "table",
            xml: format!("<w:style w:type=\"table\" w:customStyle=\"1\" w:styleId=\"KryphalTabell\"><w:name w:val=\"{}\"/><w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"777777\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"777777\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"777777\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"777777\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"777777\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"777777\"/></w:tblBorders><w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>", if sv { "Kryphål tabell" } else { "Kryphål table" }),
        },
        StyleDef {
            id: style::COMMENT_TEXT,
            name: "annotation text".into(),
            kind: "paragraph",
            xml: "<w:style w:type=\"paragraph\" w:styleId=\"CommentText\"><w:name w:val=\"annotation text\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"40\"/></w:pPr><w:rPr><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/></w:rPr></w:style>".into(),
        },
        StyleDef {
            id: style::COMMENT_REF,
            name: "annotation reference".into(),
            kind: "character",
            xml: "<w:style w:type=\"character\" w:styleId=\"CommentReference\"><w:name w:val=\"annotation reference\"/><w:rPr><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/></w:rPr></w:style>".into(),
        },
    ];
    out.shrink_to_fit();
    out
}

/// Which style id the document uses for each of Kryphål's styles, and the
/// numbering id of the bullet list.
#[derive(Debug, Clone)]
pub(crate) struct StyleMap {
    ids: BTreeMap<&'static str, String>,
    pub bullets: u32,
}

impl StyleMap {
    /// Kryphål's own layout: every style is its own.
    pub(crate) fn own() -> StyleMap {
        StyleMap {
            ids: BTreeMap::new(),
            bullets: 1,
        }
    }

    pub(crate) fn with(ids: BTreeMap<&'static str, String>, bullets: u32) -> StyleMap {
        StyleMap { ids, bullets }
    }

    /// The id to write for Kryphål's style `ours`.
    pub(crate) fn id<'a>(&'a self, ours: &'a str) -> &'a str {
        self.ids.get(ours).map_or(ours, String::as_str)
    }
}

/// How a run looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RunLook<'a> {
    pub bold: bool,
    pub italic: bool,
    pub strike: bool,
    pub underline: bool,
    /// `RRGGBB`.
    pub color: Option<&'a str>,
    /// Half-points.
    pub size: Option<u32>,
    /// A character style (Kryphål's id).
    pub style: Option<&'static str>,
}

/// One run of text; line breaks and tabs become `w:br` and `w:tab`.
pub(crate) fn run(out: &mut String, text: &str, look: &RunLook<'_>, styles: &StyleMap) {
    run_tagged(out, text, look, styles, "w:t");
}

/// A run of deleted text (inside a `w:del`).
pub(crate) fn deleted_run(out: &mut String, text: &str) {
    out.push_str("<w:r>");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        let _ = write!(
            out,
            "<w:delText xml:space=\"preserve\">{}</w:delText>",
            esc(line)
        );
    }
    out.push_str("</w:r>");
}

fn run_tagged(out: &mut String, text: &str, look: &RunLook<'_>, styles: &StyleMap, tag: &str) {
    out.push_str("<w:r>");
    let mut rpr = String::new();
    if let Some(s) = look.style {
        let _ = write!(rpr, "<w:rStyle w:val=\"{}\"/>", esc(styles.id(s)));
    }
    if look.bold {
        rpr.push_str("<w:b/><w:bCs/>");
    }
    if look.italic {
        rpr.push_str("<w:i/><w:iCs/>");
    }
    if look.strike {
        rpr.push_str("<w:strike/>");
    }
    if let Some(c) = look.color {
        let _ = write!(rpr, "<w:color w:val=\"{c}\"/>");
    }
    if let Some(s) = look.size {
        let _ = write!(rpr, "<w:sz w:val=\"{s}\"/><w:szCs w:val=\"{s}\"/>");
    }
    if look.underline {
        rpr.push_str("<w:u w:val=\"single\"/>");
    }
    if !rpr.is_empty() {
        let _ = write!(out, "<w:rPr>{rpr}</w:rPr>");
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                out.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                let _ = write!(out, "<{tag} xml:space=\"preserve\">{}</{tag}>", esc(piece));
            }
        }
    }
    out.push_str("</w:r>");
}

/// Paragraph properties.
#[derive(Debug, Clone, Default)]
pub(crate) struct ParaLook {
    /// Kryphål's style id.
    pub style: Option<&'static str>,
    pub keep_next: bool,
    /// `right`, `center`.
    pub align: Option<&'static str>,
    /// Bullet list item.
    pub bullet: bool,
    /// Left indent, twips.
    pub indent: Option<u32>,
    pub page_break_before: bool,
}

/// The opening of a paragraph with its properties; close with `</w:p>`.
pub(crate) fn para_open(out: &mut String, look: &ParaLook, styles: &StyleMap) {
    out.push_str("<w:p>");
    let mut ppr = String::new();
    if let Some(s) = look.style {
        let _ = write!(ppr, "<w:pStyle w:val=\"{}\"/>", esc(styles.id(s)));
    }
    if look.keep_next {
        ppr.push_str("<w:keepNext/>");
    }
    if look.page_break_before {
        ppr.push_str("<w:pageBreakBefore/>");
    }
    if look.bullet {
        let _ = write!(
            ppr,
            "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"{}\"/></w:numPr>",
            styles.bullets
        );
    }
    if let Some(i) = look.indent {
        let _ = write!(ppr, "<w:ind w:left=\"{i}\"/>");
    }
    if let Some(a) = look.align {
        let _ = write!(ppr, "<w:jc w:val=\"{a}\"/>");
    }
    if !ppr.is_empty() {
        let _ = write!(out, "<w:pPr>{ppr}</w:pPr>");
    }
}

/// A paragraph of one plain run.
pub(crate) fn simple_para(out: &mut String, text: &str, look: &ParaLook, styles: &StyleMap) {
    para_open(out, look, styles);
    if !text.is_empty() {
        run(out, text, &RunLook::default(), styles);
    }
    out.push_str("</w:p>");
}

/// A table cell's content and looks.
pub(crate) struct TableCell<'a> {
    /// The cell's runs, already written.
    pub runs: String,
    /// Background `RRGGBB`.
    pub fill: Option<&'a str>,
}

/// A table: the header row repeats on every page and stays with the first
/// row (`w:tblHeader`, `w:keepNext` in its paragraphs); no row breaks across
/// pages (`w:cantSplit`) unless it is too long to fit on one.
pub(crate) fn table(
    out: &mut String,
    header: &[TableCell<'_>],
    rows: &[Vec<TableCell<'_>>],
    widths: &[u32],
    text_w: u32,
    styles: &StyleMap,
) {
    let total: u32 = widths.iter().sum::<u32>().max(1);
    let grid: Vec<u32> = widths.iter().map(|w| text_w * w / total).collect();
    let _ = write!(
        out,
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"{}\"/><w:tblW w:w=\"{text_w}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
        esc(styles.id(style::TABLE))
    );
    for g in &grid {
        let _ = write!(out, "<w:gridCol w:w=\"{g}\"/>");
    }
    out.push_str("</w:tblGrid>");
    let row_xml = |out: &mut String, cells: &[TableCell<'_>], head: bool, keep: bool| {
        // A row of more than about a page of text must be allowed to break.
        let long = cells.iter().map(|c| c.runs.len()).max().unwrap_or(0) > 6_000;
        out.push_str("<w:tr><w:trPr>");
        if !long {
            out.push_str("<w:cantSplit/>");
        }
        if head {
            out.push_str("<w:tblHeader/>");
        }
        out.push_str("</w:trPr>");
        for (c, w) in cells.iter().zip(&grid) {
            let _ = write!(out, "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>");
            let fill = c.fill.or(if head { Some("E4E4E4") } else { None });
            if let Some(f) = fill {
                let _ = write!(
                    out,
                    "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{f}\"/>"
                );
            }
            out.push_str("</w:tcPr>");
            para_open(
                out,
                &ParaLook {
                    style: Some(style::TABLE_TEXT),
                    keep_next: keep,
                    ..ParaLook::default()
                },
                styles,
            );
            out.push_str(&c.runs);
            out.push_str("</w:p></w:tc>");
        }
        out.push_str("</w:tr>");
    };
    row_xml(out, header, true, true);
    for row in rows {
        row_xml(out, row, false, false);
    }
    out.push_str("</w:tbl>");
}

/// A two-column table without borders: the memo's header fields.
pub(crate) fn fields_table(
    out: &mut String,
    fields: &[(String, String)],
    text_w: u32,
    styles: &StyleMap,
) {
    let label_w = 2_800.min(text_w / 3);
    let _ = write!(
        out,
        "<w:tbl><w:tblPr><w:tblW w:w=\"{text_w}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/><w:right w:val=\"nil\"/><w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w=\"{label_w}\"/><w:gridCol w:w=\"{}\"/></w:tblGrid>",
        text_w - label_w
    );
    for (label, value) in fields {
        let _ = write!(
            out,
            "<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w=\"{label_w}\" w:type=\"dxa\"/></w:tcPr>"
        );
        para_open(
            out,
            &ParaLook {
                style: Some(style::NORMAL),
                ..ParaLook::default()
            },
            styles,
        );
        run(
            out,
            label,
            &RunLook {
                bold: true,
                ..RunLook::default()
            },
            styles,
        );
        let _ = write!(
            out,
            "</w:p></w:tc><w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/></w:tcPr>",
            text_w - label_w
        );
        para_open(
            out,
            &ParaLook {
                style: Some(style::NORMAL),
                ..ParaLook::default()
            },
            styles,
        );
        run(out, value, &RunLook::default(), styles);
        out.push_str("</w:p></w:tc></w:tr>");
    }
    out.push_str("</w:tbl>");
}

/// A part of the package besides the main document, with how the main
/// document refers to it.
pub(crate) struct Part {
    /// The part's path in the package, `word/comments.xml`.
    pub path: String,
    /// Its content type, when the package's `xml` default does not fit.
    pub content_type: Option<&'static str>,
    /// The relationship from `word/document.xml` (target relative to
    /// `word/`), when the document refers to it.
    pub rel: Option<(&'static str, String)>,
    pub bytes: Vec<u8>,
}

/// A Word document ready to be packaged: its body and the parts it needs.
pub(crate) struct WordDoc {
    /// The body's blocks (paragraphs and tables), without `w:sectPr`.
    pub body: String,
    /// The footer's paragraphs for Kryphål's own layout (a template keeps its own).
    pub footer: Option<String>,
    /// Whether the body uses the bullet list.
    pub bullets: bool,
    /// `word/settings.xml` should turn on tracking of changes (the review document).
    pub track_changes: bool,
    pub parts: Vec<Part>,
    /// Core properties.
    pub title: String,
    pub lang: &'static str,
    /// ISO date of the file (its creation time), `YYYY-MM-DD`.
    pub date: String,
    pub format: Format,
}

/// The `xmlns` declarations of a main document part.
pub(crate) fn doc_namespaces() -> String {
    format!(
        "xmlns:w=\"{}\" xmlns:r=\"{}\" xmlns:w14=\"{}\" xmlns:w15=\"{}\" xmlns:mc=\"{}\" mc:Ignorable=\"w14 w15\"",
        ooxml::NS_W,
        ooxml::NS_R,
        ooxml::NS_W14,
        ooxml::NS_W15,
        ooxml::NS_MC
    )
}

fn core_xml(doc: &WordDoc) -> String {
    let date = if doc.date.len() == 10 && doc.date.is_ascii() {
        format!("{}T00:00:00Z", doc.date)
    } else {
        "1980-01-01T00:00:00Z".to_string()
    };
    format!(
        "{DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dc:creator>Kryphål</dc:creator><cp:lastModifiedBy>Kryphål</cp:lastModifiedBy><dc:language>{}</dc:language><dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified></cp:coreProperties>",
        esc(&doc.title),
        if doc.lang == "sv" { "sv-SE" } else { "en-GB" }
    )
}

pub(crate) fn bullet_numbering(abstract_id: u32, num_id: u32) -> (String, String) {
    (
        format!(
            "<w:abstractNum w:abstractNumId=\"{abstract_id}\"><w:multiLevelType w:val=\"singleLevel\"/><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"•\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"567\" w:hanging=\"283\"/></w:pPr></w:lvl></w:abstractNum>"
        ),
        format!("<w:num w:numId=\"{num_id}\"><w:abstractNumId w:val=\"{abstract_id}\"/></w:num>"),
    )
}

fn settings_xml(track: bool, lang: &str) -> String {
    format!(
        "{DECL}<w:settings xmlns:w=\"{}\">{}<w:defaultTabStop w:val=\"709\"/><w:characterSpacingControl w:val=\"doNotCompress\"/><w:themeFontLang w:val=\"{}\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>",
        ooxml::NS_W,
        if track { "<w:trackRevisions/>" } else { "" },
        if lang == "sv" { "sv-SE" } else { "en-GB" }
    )
}

fn styles_xml(lang: &str) -> String {
    let mut s = format!(
        "{DECL}<w:styles xmlns:w=\"{}\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Arial\" w:eastAsia=\"Arial\" w:hAnsi=\"Arial\" w:cs=\"Arial\"/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"{}\"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>",
        ooxml::NS_W,
        if lang == "sv" { "sv-SE" } else { "en-GB" }
    );
    for d in style_defs(lang) {
        s.push_str(&d.xml);
    }
    s.push_str("</w:styles>");
    s
}

/// A relationship list.
pub(crate) fn rels_xml(rels: &[(String, String, String)]) -> String {
    let mut s = format!("{DECL}<Relationships xmlns=\"{}\">", ooxml::NS_PKG_REL);
    for (id, kind, target) in rels {
        let _ = write!(
            s,
            "<Relationship Id=\"{}\" Type=\"{}\" Target=\"{}\"/>",
            esc(id),
            esc(kind),
            esc(target)
        );
    }
    s.push_str("</Relationships>");
    s
}

/// The package of `doc` in Kryphål's own layout, or in `template`'s.
pub(crate) fn package(
    doc: &WordDoc,
    template: Option<&LoadedTemplate>,
) -> Result<Vec<u8>, ExportError> {
    match template {
        Some(t) => t.package(doc),
        None => own_package(doc),
    }
}

/// Kryphål's own layout: A4, Arial, its styles, a footer with the variant
/// and page numbers.
fn own_package(doc: &WordDoc) -> Result<Vec<u8>, ExportError> {
    let mut rels: Vec<(String, String, String)> = vec![
        ("rId1".into(), ooxml::REL_STYLES.into(), "styles.xml".into()),
        (
            "rId2".into(),
            ooxml::REL_SETTINGS.into(),
            "settings.xml".into(),
        ),
    ];
    let mut overrides: Vec<(String, String)> = vec![
        ("/word/document.xml".into(), ooxml::CT_DOCUMENT.into()),
        ("/word/styles.xml".into(), ooxml::CT_STYLES.into()),
        ("/word/settings.xml".into(), ooxml::CT_SETTINGS.into()),
        ("/docProps/core.xml".into(), ooxml::CT_CORE.into()),
        ("/docProps/app.xml".into(), ooxml::CT_APP.into()),
    ];
    let mut w = crate::ooxml::PackageWriter::new(doc.format);
    let mut footer_ref = String::new();
    if let Some(footer) = &doc.footer {
        rels.push((
            "rId3".into(),
            ooxml::REL_FOOTER.into(),
            "footer1.xml".into(),
        ));
        overrides.push(("/word/footer1.xml".into(), ooxml::CT_FOOTER.into()));
        footer_ref = "<w:footerReference w:type=\"default\" r:id=\"rId3\"/>".into();
        w.add(
            "word/footer1.xml",
            format!("{DECL}<w:ftr {}>{footer}</w:ftr>", doc_namespaces()).as_bytes(),
        )?;
    }
    if doc.bullets {
        rels.push((
            "rId4".into(),
            ooxml::REL_NUMBERING.into(),
            "numbering.xml".into(),
        ));
        overrides.push(("/word/numbering.xml".into(), ooxml::CT_NUMBERING.into()));
        let (a, n) = bullet_numbering(1, 1);
        w.add(
            "word/numbering.xml",
            format!(
                "{DECL}<w:numbering xmlns:w=\"{}\">{a}{n}</w:numbering>",
                ooxml::NS_W
            )
            .as_bytes(),
        )?;
    }
    for (i, p) in doc.parts.iter().enumerate() {
        if let Some((kind, target)) = &p.rel {
            rels.push((
                format!("rIdK{}", i + 1),
                (*kind).to_string(),
                target.clone(),
            ));
        }
        if let Some(ct) = p.content_type {
            overrides.push((format!("/{}", p.path), ct.to_string()));
        }
    }
    let sect = format!(
        "<w:sectPr>{footer_ref}<w:pgSz w:w=\"{PAGE_W}\" w:h=\"{PAGE_H}\"/><w:pgMar w:top=\"1134\" w:right=\"{MARGIN}\" w:bottom=\"1134\" w:left=\"{MARGIN}\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>"
    );
    let document = format!(
        "{DECL}<w:document {}><w:body>{}{sect}</w:body></w:document>",
        doc_namespaces(),
        doc.body
    );
    w.add("[Content_Types].xml", content_types(&overrides).as_bytes())?;
    w.add(
        "_rels/.rels",
        rels_xml(&[
            (
                "rId1".into(),
                ooxml::REL_OFFICE_DOCUMENT.into(),
                "word/document.xml".into(),
            ),
            (
                "rId2".into(),
                ooxml::REL_CORE.into(),
                "docProps/core.xml".into(),
            ),
            (
                "rId3".into(),
                ooxml::REL_APP.into(),
                "docProps/app.xml".into(),
            ),
        ])
        .as_bytes(),
    )?;
    w.add("docProps/core.xml", core_xml(doc).as_bytes())?;
    w.add("docProps/app.xml", app_xml().as_bytes())?;
    w.add("word/document.xml", document.as_bytes())?;
    w.add("word/_rels/document.xml.rels", rels_xml(&rels).as_bytes())?;
    w.add("word/styles.xml", styles_xml(doc.lang).as_bytes())?;
    w.add(
        "word/settings.xml",
        settings_xml(doc.track_changes, doc.lang).as_bytes(),
    )?;
    for p in &doc.parts {
        w.add(&p.path, &p.bytes)?;
    }
    w.finish()
}

pub(crate) fn app_xml() -> String {
    format!(
        "{DECL}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"><Application>Kryphål</Application></Properties>"
    )
}

pub(crate) fn core_props(doc: &WordDoc) -> String {
    core_xml(doc)
}

pub(crate) fn content_types(overrides: &[(String, String)]) -> String {
    let mut s = format!(
        "{DECL}<Types xmlns=\"{}\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/><Default Extension=\"jpeg\" ContentType=\"image/jpeg\"/><Default Extension=\"jpg\" ContentType=\"image/jpeg\"/><Default Extension=\"gif\" ContentType=\"image/gif\"/><Default Extension=\"emf\" ContentType=\"image/x-emf\"/><Default Extension=\"wmf\" ContentType=\"image/x-wmf\"/>",
        ooxml::NS_CT
    );
    for (part, ct) in overrides {
        let _ = write!(
            s,
            "<Override PartName=\"{}\" ContentType=\"{}\"/>",
            esc(part),
            esc(ct)
        );
    }
    s.push_str("</Types>");
    s
}

/// The settings part for a template that has none, and the settings a
/// review document adds to a template's.
pub(crate) fn default_settings(track: bool, lang: &str) -> String {
    settings_xml(track, lang)
}
