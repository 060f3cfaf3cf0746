//! Word documents: the revision memo with real Word styles, and the
//! governing document with the agreed proposals as tracked changes.

use std::collections::BTreeMap;

use docx_rs::{
    AbstractNumbering, BorderType, Delete, Docx, Insert, Level, LevelJc, LevelText, LineSpacing,
    NumberFormat, Numbering, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType, Start, Style,
    StyleType, TableBorder, TableBorderPosition, TableBorders,
};
use kryphal_domain::{Finding, FindingStatus};

use crate::diff::{self, Part};
use crate::memo::{Block, Cell, Span};
use crate::model::{Prepared, iso_date, text_on, typo};
use crate::template::LoadedTemplate;
use crate::wordml::{self, ParaLook, RunLook, StyleMap, TEXT_W, TableCell, WordDoc};
use crate::{ExportError, Format};

/// A4 in twentieths of a point, with 2.2 cm margins left and right
/// (the tracked-changes document, written with docx-rs).
const PAGE_W: u32 = 11_906;
const PAGE_H: u32 = 16_838;
const MARGIN: i32 = 1_247;
const BULLETS: usize = 2;
const TABLE_STYLE: &str = "KryphalTabell";
const DELETED_STYLE: &str = "KryphalStruken";
const INSERTED_STYLE: &str = "KryphalInfogad";

fn font() -> RunFonts {
    RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial")
}

/// The styles a secretary can restyle in Word: Title, Heading 1–3, Quote,
/// a table style and two character styles for deleted and inserted words.
fn styled(docx: Docx, lang: &str) -> Docx {
    let spacing = |before: u32, after: u32| LineSpacing::new().before(before).after(after);
    let heading = |id: &str, name: &str, size: usize, level: usize, before: u32| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .bold()
            .size(size)
            .color("1F3864")
            .fonts(font())
            .outline_lvl(level)
            .line_spacing(spacing(before, 120))
            .next("Normal")
    };
    docx.default_fonts(font())
        .default_size(22)
        .add_style(
            Style::new("Normal", StyleType::Paragraph)
                .name("Normal")
                .fonts(font())
                .size(22)
                .line_spacing(spacing(0, 120)),
        )
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .bold()
                .size(36)
                .fonts(font())
                .line_spacing(spacing(0, 240))
                .next("Normal"),
        )
        .add_style(heading("Heading1", "heading 1", 30, 0, 360))
        .add_style(heading("Heading2", "heading 2", 26, 1, 300))
        .add_style(heading("Heading3", "heading 3", 23, 2, 240))
        .add_style(
            Style::new("Quote", StyleType::Paragraph)
                .name("Quote")
                .italic()
                .color("333333")
                .fonts(font())
                .indent(Some(567), None, Some(567), None)
                .line_spacing(spacing(60, 180)),
        )
        .add_style(
            Style::new("TableText", StyleType::Paragraph)
                .name(if lang == "sv" {
                    "Tabelltext"
                } else {
                    "Table Text"
                })
                .fonts(font())
                .size(20)
                .line_spacing(spacing(20, 20)),
        )
        .add_style(
            Style::new("ListBullet", StyleType::Paragraph)
                .name("List Bullet")
                .fonts(font())
                .line_spacing(spacing(0, 60)),
        )
        .add_style(
            Style::new(DELETED_STYLE, StyleType::Character)
                .name(if lang == "sv" {
                    "Struken text"
                } else {
                    "Deleted text"
                })
                .color("8B0000"),
        )
        .add_style(
            Style::new(INSERTED_STYLE, StyleType::Character)
                .name(if lang == "sv" {
                    "Infogad text"
                } else {
                    "Inserted text"
                })
                .bold()
                .underline("single")
                .color("0B3D91"),
        )
        .add_style({
            let border = |pos| {
                TableBorder::new(pos)
                    .size(4)
                    .color("777777")
                    .border_type(BorderType::Single)
            };
            Style::new(TABLE_STYLE, StyleType::Table)
                .name(if lang == "sv" {
                    "Kryphål tabell"
                } else {
                    "Kryphål table"
                })
                .set_borders(
                    TableBorders::with_empty()
                        .set(border(TableBorderPosition::Top))
                        .set(border(TableBorderPosition::Left))
                        .set(border(TableBorderPosition::Bottom))
                        .set(border(TableBorderPosition::Right))
                        .set(border(TableBorderPosition::InsideH))
                        .set(border(TableBorderPosition::InsideV)),
                )
        })
        .add_abstract_numbering(
            AbstractNumbering::new(BULLETS).add_level(
                Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("bullet"),
                    LevelText::new("•"),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(567),
                    Some(SpecialIndentType::Hanging(283)),
                    None,
                    None,
                ),
            ),
        )
        .add_numbering(Numbering::new(BULLETS, BULLETS))
        .page_size(PAGE_W, PAGE_H)
        .page_margin(
            PageMargin::new()
                .top(1_134)
                .bottom(1_134)
                .left(MARGIN)
                .right(MARGIN),
        )
}

/// A memo span as a Word run.
fn span_run(
    out: &mut String,
    span: &Span,
    styles: &StyleMap,
    cell_look: Option<(bool, Option<&str>)>,
) {
    let (force_bold, color) = cell_look.unwrap_or((false, None));
    let look = RunLook {
        bold: (span.look.bold && !span.look.underline) || force_bold,
        italic: span.look.italic,
        strike: false,
        underline: false,
        color,
        size: None,
        style: if span.look.strike {
            Some(wordml::style::DELETED)
        } else if span.look.underline {
            Some(wordml::style::INSERTED)
        } else {
            None
        },
    };
    wordml::run(out, &typo(&span.text), &look, styles);
}

fn cell_runs(c: &Cell, header: bool, styles: &StyleMap) -> (String, Option<String>) {
    let fill = c
        .fill
        .as_deref()
        .map(|f| f.trim_start_matches('#').to_uppercase());
    let color = c.fill.as_deref().map(|f| {
        let (r, g, b) = text_on(f);
        format!("{r:02X}{g:02X}{b:02X}")
    });
    let mut runs = String::new();
    for s in &c.spans {
        span_run(
            &mut runs,
            s,
            styles,
            Some((header || c.fill.is_some(), color.as_deref())),
        );
    }
    (runs, fill)
}

/// The memo's blocks as WordprocessingML body content.
fn body(blocks: &[Block], styles: &StyleMap, text_w: u32) -> (String, bool) {
    use wordml::style;
    let mut out = String::new();
    let mut bullets = false;
    for (i, b) in blocks.iter().enumerate() {
        let next_is_table = matches!(blocks.get(i + 1), Some(Block::Table { .. }));
        match b {
            Block::Title(t) => wordml::simple_para(
                &mut out,
                &typo(t),
                &ParaLook {
                    style: Some(style::TITLE),
                    keep_next: true,
                    ..ParaLook::default()
                },
                styles,
            ),
            Block::PageBreak => out.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"),
            Block::Heading(level, t) => wordml::simple_para(
                &mut out,
                &typo(t),
                &ParaLook {
                    style: Some(if *level <= 1 { style::H1 } else { style::H2 }),
                    keep_next: true,
                    ..ParaLook::default()
                },
                styles,
            ),
            Block::Para(spans) => {
                // A lead-in keeps with the table it introduces.
                wordml::para_open(
                    &mut out,
                    &ParaLook {
                        style: Some(style::NORMAL),
                        keep_next: next_is_table,
                        ..ParaLook::default()
                    },
                    styles,
                );
                for s in spans {
                    span_run(&mut out, s, styles, None);
                }
                out.push_str("</w:p>");
            }
            Block::Fields(f) => {
                wordml::fields_table(&mut out, f, text_w, styles);
                out.push_str("<w:p/>");
            }
            Block::Quote(t) => wordml::simple_para(
                &mut out,
                &typo(t),
                &ParaLook {
                    style: Some(style::QUOTE),
                    ..ParaLook::default()
                },
                styles,
            ),
            Block::Bullets(items) => {
                bullets = true;
                for item in items {
                    wordml::para_open(
                        &mut out,
                        &ParaLook {
                            style: Some(style::LIST_BULLET),
                            bullet: true,
                            ..ParaLook::default()
                        },
                        styles,
                    );
                    for s in item {
                        span_run(&mut out, s, styles, None);
                    }
                    out.push_str("</w:p>");
                }
            }
            Block::Table {
                kind: _,
                header,
                rows,
                widths,
            } => {
                let head: Vec<(String, Option<String>)> =
                    header.iter().map(|c| cell_runs(c, true, styles)).collect();
                let body_rows: Vec<Vec<(String, Option<String>)>> = rows
                    .iter()
                    .map(|r| r.iter().map(|c| cell_runs(c, false, styles)).collect())
                    .collect();
                fn as_cells(v: &[(String, Option<String>)]) -> Vec<TableCell<'_>> {
                    v.iter()
                        .map(|(runs, fill)| TableCell {
                            runs: runs.clone(),
                            fill: fill.as_deref(),
                        })
                        .collect()
                }
                let head_cells = as_cells(&head);
                let row_cells: Vec<Vec<TableCell<'_>>> =
                    body_rows.iter().map(|r| as_cells(r)).collect();
                wordml::table(&mut out, &head_cells, &row_cells, widths, text_w, styles);
                // A table directly followed by another needs a paragraph between.
                out.push_str("<w:p/>");
            }
        }
    }
    (out, bullets)
}

/// The fields a template can be filled with, from the memo's header.
pub(crate) fn template_values(p: &Prepared<'_>) -> BTreeMap<&'static str, String> {
    let h = &p.options.header;
    let doc = &p.analysis.document;
    let committee = if h.committee.trim().is_empty() {
        doc.meta.owner.trim()
    } else {
        h.committee.trim()
    };
    let texts = crate::memo::memo_texts(p);
    [
        ("dnr", h.case_dnr.trim().to_string()),
        ("datum", p.date()),
        ("namnd", committee.to_string()),
        ("handlaggare", h.responsible_official.trim().to_string()),
        ("arende", texts.subject),
        ("kommun", h.municipality.trim().to_string()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect()
}

/// The footer of Kryphål's own layout: the variant, the memo's Dnr, the page.
pub(crate) fn footer(p: &Prepared<'_>, dnr: &str) -> String {
    let variant = match p.options.variant {
        crate::Variant::Internal => p.t.variant_internal,
        crate::Variant::Public => p.t.public_version,
    };
    let small = RunLook {
        size: Some(16),
        color: Some("555555"),
        ..RunLook::default()
    };
    let styles = StyleMap::own();
    let mut f = String::new();
    wordml::para_open(
        &mut f,
        &ParaLook {
            style: Some(wordml::style::NORMAL),
            align: Some("right"),
            ..ParaLook::default()
        },
        &styles,
    );
    let mut lead = variant.to_string();
    if !dnr.trim().is_empty() {
        lead.push_str(&format!(" · {} {}", p.t.dnr, dnr.trim()));
    }
    lead.push_str(&format!(" · {} ", p.t.page));
    wordml::run(&mut f, &lead, &small, &styles);
    f.push_str("<w:fldSimple w:instr=\" PAGE \"><w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple></w:p>");
    f
}

/// Blocks other than the memo's (minutes, a comparison) in Kryphål's own layout.
pub(crate) fn plain(p: &Prepared<'_>, blocks: &[Block]) -> Result<Vec<u8>, ExportError> {
    let styles = StyleMap::own();
    let (body, bullets) = body(blocks, &styles, TEXT_W);
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Title(t) => Some(t.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let doc = WordDoc {
        body,
        footer: Some(footer(p, "")),
        bullets,
        track_changes: false,
        parts: Vec::new(),
        title,
        lang: if p.t.lang == "sv" { "sv" } else { "en" },
        date: iso_date(&p.options.header.date),
        format: Format::MemoDocx,
    };
    wordml::package(&doc, None)
}

/// The revision memo: Kryphål's own layout, or the municipality's template
/// with its fields filled (the header fields then stay out of the body).
pub(crate) fn memo(p: &Prepared<'_>) -> Result<Vec<u8>, ExportError> {
    let values = template_values(p);
    let template = p
        .options
        .template
        .as_ref()
        .map(|t| LoadedTemplate::load(t, p.t.lang, &values, true))
        .transpose()?;
    let own = StyleMap::own();
    let (styles, text_w) = match &template {
        Some(t) => (t.styles(), TEXT_W),
        None => (&own, TEXT_W),
    };
    let fields_in_template = template.as_ref().is_some_and(|t| !t.info.fields.is_empty());
    let blocks = crate::memo::blocks(
        p,
        crate::memo::Shape {
            fields_in_template,
            title_in_template: template
                .as_ref()
                .is_some_and(|t| t.info.fields.iter().any(|f| f == "arende")),
            variant_line: template.is_some(),
        },
    );
    let (body, bullets) = body(&blocks, styles, text_w);
    let subject = crate::memo::memo_texts(p).subject;
    let doc = WordDoc {
        body,
        footer: Some(footer(p, &p.options.header.case_dnr)),
        bullets,
        track_changes: false,
        parts: Vec::new(),
        title: subject,
        lang: if p.t.lang == "sv" { "sv" } else { "en" },
        date: iso_date(&p.options.header.date),
        format: Format::MemoDocx,
    };
    wordml::package(&doc, template.as_ref())
}

/// The file's creation date: the memo's date, so the same input gives the same bytes.
fn dated(docx: Docx, date: &str) -> Docx {
    let d = iso_date(date);
    if d.len() == 10 && d.is_ascii() {
        let at = format!("{d}T00:00:00Z");
        docx.created_at(&at).updated_at(&at)
    } else {
        docx
    }
}

/// The package docx-rs writes, deflated.
fn pack(docx: Docx, format: Format) -> Result<Vec<u8>, ExportError> {
    let mut buf = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut buf)
        .map_err(|e| ExportError::Write {
            format,
            reason: e.to_string(),
        })?;
    crate::ooxml::deflate(&buf.into_inner(), format)
}

/// The proposal that changes a clause in the tracked-changes document: the
/// clause's agreed finding with a proposed wording, the latest changed one
/// if there are several.
fn agreed_proposals<'a>(p: &'a Prepared<'_>) -> Vec<&'a Finding> {
    let mut agreed: Vec<&Finding> = p
        .analysis
        .findings
        .iter()
        .filter(|f| {
            f.input.status == FindingStatus::Agreed && !f.input.proposed_wording.trim().is_empty()
        })
        .collect();
    agreed.sort_by(|a, b| b.updated_at.cmp(&a.updated_at));
    agreed
}

/// The findings the tracked-changes document carries: one per clause (the
/// agreed proposal changed last), in document order.
pub(crate) fn tracked_findings<'a>(p: &'a Prepared<'_>) -> Vec<&'a Finding> {
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<&Finding> = agreed_proposals(p)
        .into_iter()
        .filter(|f| seen.insert(f.clause_id.as_str()))
        .collect();
    out.sort_by_key(|f| p.clause(&f.clause_id).map_or(u32::MAX, |c| c.position));
    out
}

/// A revision date Word accepts: the finding's time, or the memo's date.
fn revision_date(f: &Finding, fallback: &str) -> String {
    let at = f.updated_at.trim();
    match at.get(..19) {
        Some(head) if head.as_bytes().get(10) == Some(&b'T') && head.is_ascii() => {
            return format!("{head}Z");
        }
        _ => {}
    }
    if !fallback.is_empty() {
        format!("{fallback}T00:00:00Z")
    } else {
        "1970-01-01T00:00:00Z".to_string()
    }
}

/// The document's text with each agreed proposal as a Word revision:
/// deleted words as `w:del`, inserted words as `w:ins`, attributed to the
/// analyst who last changed the finding, dated when they did.
pub(crate) fn tracked(p: &Prepared<'_>) -> Result<Vec<u8>, ExportError> {
    let mut docx = dated(styled(Docx::new(), p.t.lang), &p.options.header.date);
    let doc = &p.analysis.document;
    let outline = &p.analysis.outline;
    if !doc.meta.title.trim().is_empty() {
        docx = docx.add_paragraph(
            Paragraph::new()
                .style("Title")
                .add_run(Run::new().add_text(doc.meta.title.trim())),
        );
    }
    let proposals = agreed_proposals(p);
    let fallback = iso_date(&p.options.header.date);
    enum Item<'a> {
        Section(&'a kryphal_domain::Section),
        Clause(&'a kryphal_domain::Clause),
    }
    let mut items: Vec<(u32, Item)> = outline
        .sections
        .iter()
        .map(|s| (s.position, Item::Section(s)))
        .chain(
            outline
                .clauses
                .iter()
                .map(|c| (c.position, Item::Clause(c))),
        )
        .collect();
    items.sort_by_key(|(pos, _)| *pos);
    for (_, item) in items {
        match item {
            Item::Section(s) => {
                let style = match s.level {
                    0 | 1 => "Heading1",
                    2 => "Heading2",
                    _ => "Heading3",
                };
                let text = if s.number.is_empty() {
                    s.title.clone()
                } else {
                    format!("{} {}", s.number, s.title)
                };
                docx = docx.add_paragraph(
                    Paragraph::new()
                        .style(style)
                        .add_run(Run::new().add_text(text)),
                );
            }
            Item::Clause(c) => {
                let mut para = Paragraph::new().style("Normal");
                if c.kind == kryphal_domain::ClauseKind::ListItem {
                    para = para.indent(Some(567), None, None, None);
                }
                if !c.number.is_empty() && !c.text.starts_with(&c.number) {
                    para = para.add_run(Run::new().add_text(format!("{} ", c.number)));
                }
                match proposals.iter().find(|f| f.clause_id == c.id) {
                    None => para = para.add_run(Run::new().add_text(c.text.clone())),
                    Some(f) => {
                        let author = if f.updated_by.trim().is_empty() {
                            "Kryphål".to_string()
                        } else {
                            f.updated_by.trim().to_string()
                        };
                        let date = revision_date(f, &fallback);
                        for part in diff::words(&c.text, f.input.proposed_wording.trim()) {
                            para = match part {
                                Part::Same(s) => para.add_run(Run::new().add_text(s)),
                                Part::Deleted(s) => para.add_delete(
                                    Delete::new()
                                        .author(author.clone())
                                        .date(date.clone())
                                        .add_run(Run::new().add_delete_text(s)),
                                ),
                                Part::Inserted(s) => para.add_insert(
                                    Insert::new(Run::new().add_text(s))
                                        .author(author.clone())
                                        .date(date.clone()),
                                ),
                            };
                        }
                    }
                }
                docx = docx.add_paragraph(para);
            }
        }
    }
    pack(docx, Format::TrackedDocx)
}
