//! Word documents: the revision memo with real Word styles, and the
//! governing document with the agreed proposals as tracked changes.

use docx_rs::{
    AbstractNumbering, AlignmentType, BorderType, BreakType, Delete, Docx, Footer, IndentLevel,
    Insert, Level, LevelJc, LevelText, LineSpacing, NumberFormat, Numbering, NumberingId,
    PageMargin, PageNum, Paragraph, Run, RunFonts, Shading, ShdType, SpecialIndentType, Start,
    Style, StyleType, Table, TableBorder, TableBorderPosition, TableBorders, TableCell, TableRow,
    WidthType,
};
use kryphal_domain::{Finding, FindingStatus};

use crate::diff::{self, Part};
use crate::memo::{Block, Cell, Span, TableKind};
use crate::model::{Prepared, iso_date, text_on, typo};
use crate::{ExportError, Format};

/// A4 in twentieths of a point, with 2.2 cm margins left and right.
const PAGE_W: u32 = 11_906;
const PAGE_H: u32 = 16_838;
const MARGIN: i32 = 1_247;
const TEXT_W: usize = (PAGE_W as usize) - 2 * (MARGIN as usize);
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

fn run(span: &Span) -> Run {
    let mut r = Run::new().add_text(typo(&span.text));
    if span.look.strike {
        r = r.style(DELETED_STYLE).strike();
    }
    if span.look.underline {
        r = r.style(INSERTED_STYLE);
    } else if span.look.bold {
        r = r.bold();
    }
    if span.look.italic {
        r = r.italic();
    }
    r
}

fn paragraph(spans: &[Span]) -> Paragraph {
    spans
        .iter()
        .fold(Paragraph::new().style("Normal"), |p, s| p.add_run(run(s)))
}

fn cell(c: &Cell, width: usize, header: bool) -> TableCell {
    let mut p = Paragraph::new().style("TableText");
    for s in &c.spans {
        let mut r = run(s);
        if header || c.fill.is_some() {
            r = r.bold();
        }
        if let Some(fill) = &c.fill {
            let (red, green, blue) = text_on(fill);
            r = r.color(format!("{red:02X}{green:02X}{blue:02X}"));
        }
        p = p.add_run(r);
    }
    let mut tc = TableCell::new()
        .add_paragraph(p)
        .width(width, WidthType::Dxa);
    let fill = match (&c.fill, header) {
        (Some(color), _) => color.trim_start_matches('#').to_string(),
        (None, true) => "E4E4E4".to_string(),
        (None, false) => String::new(),
    };
    if !fill.is_empty() {
        tc = tc.shading(
            Shading::new()
                .shd_type(ShdType::Clear)
                .color("auto")
                .fill(fill),
        );
    }
    tc
}

fn table(header: &[Cell], rows: &[Vec<Cell>], widths: &[u32]) -> Table {
    let total: u32 = widths.iter().sum::<u32>().max(1);
    let grid: Vec<usize> = widths
        .iter()
        .map(|w| TEXT_W * (*w as usize) / (total as usize))
        .collect();
    let mut out = vec![
        TableRow::new(
            header
                .iter()
                .zip(&grid)
                .map(|(c, w)| cell(c, *w, true))
                .collect(),
        )
        .cant_split(),
    ];
    for row in rows {
        out.push(
            TableRow::new(
                row.iter()
                    .zip(&grid)
                    .map(|(c, w)| cell(c, *w, false))
                    .collect(),
            )
            .cant_split(),
        );
    }
    Table::without_borders(out)
        .style(TABLE_STYLE)
        .set_grid(grid)
        .width(TEXT_W, WidthType::Dxa)
}

fn fields(fields: &[(String, String)]) -> Table {
    let label_w = 2_800;
    let rows = fields
        .iter()
        .map(|(label, value)| {
            TableRow::new(vec![
                TableCell::new()
                    .add_paragraph(
                        Paragraph::new()
                            .style("Normal")
                            .add_run(Run::new().add_text(label).bold()),
                    )
                    .width(label_w, WidthType::Dxa),
                TableCell::new()
                    .add_paragraph(
                        Paragraph::new()
                            .style("Normal")
                            .add_run(Run::new().add_text(typo(value))),
                    )
                    .width(TEXT_W - label_w, WidthType::Dxa),
            ])
        })
        .collect();
    Table::without_borders(rows)
        .set_grid(vec![label_w, TEXT_W - label_w])
        .width(TEXT_W, WidthType::Dxa)
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

fn pack(docx: Docx, format: Format) -> Result<Vec<u8>, ExportError> {
    let mut buf = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut buf)
        .map_err(|e| ExportError::Write {
            format,
            reason: e.to_string(),
        })?;
    Ok(buf.into_inner())
}

/// The revision memo.
pub(crate) fn memo(p: &Prepared<'_>, blocks: &[Block]) -> Result<Vec<u8>, ExportError> {
    let mut docx = dated(styled(Docx::new(), p.t.lang), &p.options.header.date);
    let dnr = p.analysis.document.meta.dnr.trim();
    let variant = match p.options.variant {
        crate::Variant::Internal => p.t.variant_internal,
        crate::Variant::Public => p.t.variant_public,
    };
    let mut foot = Paragraph::new().style("Normal").align(AlignmentType::Right);
    foot = foot.add_run(
        Run::new()
            .add_text(format!("{}: {variant} · ", p.t.variant))
            .size(16),
    );
    if !dnr.is_empty() {
        foot = foot.add_run(
            Run::new()
                .add_text(format!("{} {} · ", p.t.dnr, dnr))
                .size(18),
        );
    }
    foot = foot
        .add_run(Run::new().add_text(format!("{} ", p.t.page)).size(16))
        .add_page_num(PageNum::new());
    docx = docx.footer(Footer::new().add_paragraph(foot));
    for b in blocks {
        docx = match b {
            Block::Title(t) => docx.add_paragraph(
                Paragraph::new()
                    .style("Title")
                    .add_run(Run::new().add_text(typo(t))),
            ),
            Block::PageBreak => {
                docx.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
            }
            Block::Heading(level, t) => docx.add_paragraph(
                Paragraph::new()
                    .style(if *level <= 1 { "Heading1" } else { "Heading2" })
                    .keep_next(true)
                    .add_run(Run::new().add_text(typo(t))),
            ),
            Block::Para(s) => docx.add_paragraph(paragraph(s)),
            Block::Fields(f) => docx.add_table(fields(f)).add_paragraph(Paragraph::new()),
            Block::Quote(t) => docx.add_paragraph(
                Paragraph::new()
                    .style("Quote")
                    .add_run(Run::new().add_text(typo(t))),
            ),
            Block::Bullets(items) => items.iter().fold(docx, |d, item| {
                let para = item.iter().fold(
                    Paragraph::new()
                        .style("ListBullet")
                        .numbering(NumberingId::new(BULLETS), IndentLevel::new(0)),
                    |para, s| para.add_run(run(s)),
                );
                d.add_paragraph(para)
            }),
            Block::Table {
                kind,
                header,
                rows,
                widths,
            } => {
                let t = table(header, rows, widths);
                let d = docx.add_table(t);
                // A table directly followed by another needs a paragraph between.
                match kind {
                    TableKind::Matrix | TableKind::Grid | TableKind::Wording => {
                        d.add_paragraph(Paragraph::new().style("Normal"))
                    }
                }
            }
        };
    }
    pack(docx, Format::MemoDocx)
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
