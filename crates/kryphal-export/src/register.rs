//! The risk register: one row per finding, a column per question of the
//! rulebook, as an XLSX workbook and as CSV. Both are written from the same
//! rows, so they hold the same values.

use kryphal_domain::Finding;
use kryphal_rules::FindingField;
use rust_xlsxwriter::{Color, DocProperties, Format as XFormat, FormatBorder, Workbook, XlsxError};

use crate::memo::quoted_text;
use crate::model::{Prepared, text_on};
use crate::{ExportError, Format, Variant, rulebook_ref};

/// One cell of the register.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(String),
    Number(f64),
    /// A risk level: its label and its `#rrggbb` colour.
    Level(String, String),
    Empty,
}

impl Value {
    fn text(s: impl Into<String>) -> Value {
        let s = s.into();
        if s.is_empty() {
            Value::Empty
        } else {
            Value::Text(s)
        }
    }

    /// The value as CSV text.
    fn as_text(&self) -> String {
        match self {
            Value::Text(s) | Value::Level(s, _) => s.clone(),
            Value::Number(n) => format!("{n}"),
            Value::Empty => String::new(),
        }
    }
}

/// The register's header and rows.
pub(crate) fn rows(p: &Prepared<'_>) -> (Vec<String>, Vec<Vec<Value>>) {
    let t = p.t;
    let questions: Vec<_> = p.rulebook.questions.iter().filter(|q| p.shows(q)).collect();
    let mut header: Vec<String> = vec![
        t.col_document.into(),
        t.dnr.into(),
        t.clause.into(),
        t.col_clause_id.into(),
        t.current_text.into(),
        t.col_finding_id.into(),
    ];
    header.extend(questions.iter().map(|q| q.label.clone()));
    header.extend([
        t.risk_level.to_string(),
        t.col_risk_value.to_string(),
        t.col_updated_by.to_string(),
        t.col_updated.to_string(),
    ]);
    let internal = p.options.variant == Variant::Internal;
    if internal {
        header.push(t.comments.to_string());
    }
    let doc = &p.analysis.document;
    let rows = p
        .all_findings()
        .into_iter()
        .map(|f| {
            let clause = p.clause(&f.clause_id);
            let mut row = vec![
                Value::text(doc.meta.title.clone()),
                Value::text(doc.meta.dnr.clone()),
                Value::text(clause.map(|c| c.label.clone()).unwrap_or_default()),
                Value::text(f.clause_id.clone()),
                Value::text(clause.map(quoted_text).unwrap_or_default()),
                Value::text(f.id.clone()),
            ];
            for q in &questions {
                row.push(answer(p, f, q));
            }
            row.push(match p.level(f) {
                Some(l) => Value::Level(l.label.clone(), l.color.clone()),
                None => Value::Empty,
            });
            row.push(match (f.input.likelihood, f.input.impact) {
                (Some(l), Some(k)) => Value::Number(f64::from(l) * f64::from(k)),
                _ => Value::Empty,
            });
            row.push(Value::text(f.updated_by.clone()));
            row.push(Value::text(f.updated_at.clone()));
            if internal {
                let comments: Vec<String> = f
                    .comments
                    .iter()
                    .map(|c| format!("{} ({}): {}", c.author, c.at, c.text))
                    .collect();
                row.push(Value::text(comments.join("\n")));
            }
            row
        })
        .collect();
    (header, rows)
}

fn answer(p: &Prepared<'_>, f: &Finding, q: &kryphal_rules::Question) -> Value {
    match q.field {
        Some(FindingField::Likelihood) => f
            .input
            .likelihood
            .map_or(Value::Empty, |v| Value::Number(f64::from(v))),
        Some(FindingField::Impact) => f
            .input
            .impact
            .map_or(Value::Empty, |v| Value::Number(f64::from(v))),
        _ => Value::text(p.answer_text(f, q)),
    }
}

/// Excel's limit on the characters of one cell.
const MAX_CELL: usize = 32_767;

fn clip(s: &str) -> &str {
    match s.char_indices().nth(MAX_CELL) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn rgb(hex: &str) -> Option<Color> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    u32::from_str_radix(h, 16).ok().map(Color::RGB)
}

fn xlsx_err(e: XlsxError) -> ExportError {
    ExportError::Write {
        format: Format::Xlsx,
        reason: e.to_string(),
    }
}

pub(crate) fn xlsx(p: &Prepared<'_>) -> Result<Vec<u8>, ExportError> {
    let (header, rows) = rows(p);
    let t = p.t;
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "{}: {}",
                t.sheet_register, p.analysis.document.meta.title
            ))
            .set_company(p.options.header.municipality.clone()),
    );
    let head = XFormat::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE4E4E4))
        .set_border(FormatBorder::Thin)
        .set_text_wrap();
    let wrap = XFormat::new()
        .set_text_wrap()
        .set_border(FormatBorder::Thin);
    let ws = wb.add_worksheet();
    ws.set_name(t.sheet_register).map_err(xlsx_err)?;
    for (c, h) in header.iter().enumerate() {
        let col = u16::try_from(c).map_err(|_| ExportError::Write {
            format: Format::Xlsx,
            reason: "too many columns".into(),
        })?;
        ws.write_string_with_format(0, col, clip(h), &head)
            .map_err(xlsx_err)?;
        let width = match c {
            4 => 60.0,
            0 | 2 => 28.0,
            1 | 3 | 5 => 16.0,
            _ => 24.0,
        };
        ws.set_column_width(col, width).map_err(xlsx_err)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| ExportError::Write {
            format: Format::Xlsx,
            reason: "too many rows".into(),
        })?;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16; // bounded by the header, checked above
            match v {
                Value::Text(s) => {
                    ws.write_string_with_format(r, c, clip(s), &wrap)
                        .map_err(xlsx_err)?;
                }
                Value::Number(n) => {
                    ws.write_number_with_format(r, c, *n, &wrap)
                        .map_err(xlsx_err)?;
                }
                Value::Level(label, color_hex) => {
                    let mut fmt = wrap.clone().set_bold();
                    if let Some(color) = rgb(color_hex) {
                        let (r, g, b) = text_on(color_hex);
                        let text = (u32::from(r) << 16) | (u32::from(g) << 8) | u32::from(b);
                        fmt = fmt
                            .set_background_color(color)
                            .set_font_color(Color::RGB(text));
                    }
                    ws.write_string_with_format(r, c, clip(label), &fmt)
                        .map_err(xlsx_err)?;
                }
                Value::Empty => {
                    ws.write_blank(r, c, &wrap).map_err(xlsx_err)?;
                }
            }
        }
    }
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let last_col = u16::try_from(header.len().saturating_sub(1)).unwrap_or(0);
    ws.autofilter(0, 0, last_row, last_col).map_err(xlsx_err)?;
    ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;

    // A second sheet says what the export is.
    let about = wb.add_worksheet();
    about.set_name(t.sheet_about).map_err(xlsx_err)?;
    let book = rulebook_ref(p.rulebook);
    let doc = &p.analysis.document;
    let variant = match p.options.variant {
        Variant::Internal => t.variant_internal,
        Variant::Public => t.variant_public,
    };
    let lines = [
        (t.document, doc.meta.title.clone()),
        (t.dnr, doc.meta.dnr.clone()),
        (t.municipality, p.options.header.municipality.clone()),
        (t.committee, p.options.header.committee.clone()),
        (t.exported, p.date()),
        (t.rulebook, format!("{} {}", book.id, book.version)),
        (t.variant, variant.to_string()),
    ];
    let bold = XFormat::new().set_bold();
    for (r, (label, value)) in lines.iter().enumerate() {
        let r = r as u32;
        about
            .write_string_with_format(r, 0, *label, &bold)
            .map_err(xlsx_err)?;
        about.write_string(r, 1, clip(value)).map_err(xlsx_err)?;
    }
    about.set_column_width(0, 20).map_err(xlsx_err)?;
    about.set_column_width(1, 60).map_err(xlsx_err)?;
    wb.save_to_buffer().map_err(xlsx_err)
}

/// A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`,
/// tab, carriage return first) gets a leading apostrophe, the usual guard
/// against formula injection through CSV.
pub(crate) fn csv_guard(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn csv_field(s: &str) -> String {
    let s = csv_guard(s);
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The register as CSV: UTF-8 with a byte-order mark (so Excel reads å, ä
/// and ö right), `;` between fields (the list separator of Swedish Excel),
/// CRLF between records, fields quoted when they hold `;`, `"` or a line
/// break.
pub(crate) fn csv(p: &Prepared<'_>) -> Vec<u8> {
    let (header, rows) = rows(p);
    let mut out = String::from("\u{feff}");
    let line = |out: &mut String, fields: Vec<String>| {
        let cells: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&cells.join(";"));
        out.push_str("\r\n");
    };
    line(&mut out, header);
    for row in rows {
        line(&mut out, row.iter().map(Value::as_text).collect());
    }
    out.into_bytes()
}
