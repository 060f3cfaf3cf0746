//! The comparison of two versions of a document: per clause whether it was
//! added, removed, changed or moved, and the *Nuvarande | Föreslagen
//! lydelse* table from the old text to the new with the changed words
//! marked. Built as memo blocks, so Markdown and Word share the content.

use kryphal_domain::Document;
use kryphal_rules::Rulebook;

use crate::memo::{Block, Cell, Span, TableKind, wording_cells};
use crate::model::Prepared;
use crate::{Analysis, ExportError, ExportInput, ExportOptions, MemoHeader, docx, markdown};

/// What happened to one clause between the two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Unchanged,
    Changed,
    Added,
    Removed,
}

/// One clause of the comparison: its label and text in the old version, in
/// the new one, or in both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparedClause {
    pub kind: ChangeKind,
    /// It stands elsewhere in the order of the new version.
    pub moved: bool,
    pub old_label: Option<String>,
    pub old_text: Option<String>,
    pub new_label: Option<String>,
    pub new_text: Option<String>,
}

/// A finding of the old version whose carry-over needs attention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarriedNote {
    /// `rereview`, `orphaned` or `implemented`.
    pub state: String,
    pub label: String,
    pub finding: String,
}

/// Everything a comparison export is made from.
pub struct Comparison<'a> {
    pub old: &'a Document,
    pub new: &'a Document,
    /// In the order of the new version; removed clauses where they stood.
    pub clauses: &'a [ComparedClause],
    pub notes: &'a [CarriedNote],
    pub rulebook: &'a Rulebook,
    /// The day of export, `YYYY-MM-DD`.
    pub date: &'a str,
}

fn version_name(d: &Document) -> String {
    let label = d.meta.version_label.trim();
    if label.is_empty() {
        format!("{} ({})", d.meta.title, d.id)
    } else {
        format!("{} ({label}, {})", d.meta.title, d.id)
    }
}

fn blocks(c: &Comparison<'_>) -> Vec<Block> {
    let mut out = vec![Block::Title(format!(
        "Jämförelse mellan versioner: {}",
        c.new.meta.title
    ))];
    let mut fields = vec![
        ("Tidigare version".to_string(), version_name(c.old)),
        ("Ny version".to_string(), version_name(c.new)),
    ];
    if !c.new.meta.dnr.trim().is_empty() {
        fields.push(("Dnr".into(), c.new.meta.dnr.trim().to_string()));
    }
    fields.push(("Datum".into(), c.date.to_string()));
    out.push(Block::Fields(fields));

    let count = |k: ChangeKind| c.clauses.iter().filter(|x| x.kind == k).count();
    let moved = c.clauses.iter().filter(|x| x.moved).count();
    out.push(Block::Heading(1, "Sammanfattning".into()));
    out.push(Block::Bullets(vec![
        vec![Span::plain(format!(
            "Ändrade punkter: {}",
            count(ChangeKind::Changed)
        ))],
        vec![Span::plain(format!(
            "Nya punkter: {}",
            count(ChangeKind::Added)
        ))],
        vec![Span::plain(format!(
            "Borttagna punkter: {}",
            count(ChangeKind::Removed)
        ))],
        vec![Span::plain(format!("Flyttade punkter: {moved}"))],
        vec![Span::plain(format!(
            "Oförändrade punkter: {}",
            count(ChangeKind::Unchanged)
        ))],
    ]));

    out.push(Block::Heading(1, "Ändringar".into()));
    let rows: Vec<Vec<Cell>> = c
        .clauses
        .iter()
        .filter(|x| x.kind != ChangeKind::Unchanged || x.moved)
        .map(|x| {
            let what = match (x.kind, x.moved) {
                (ChangeKind::Changed, true) => "ändrad, flyttad",
                (ChangeKind::Changed, false) => "ändrad",
                (ChangeKind::Added, _) => "ny",
                (ChangeKind::Removed, _) => "borttagen",
                (ChangeKind::Unchanged, _) => "flyttad",
            };
            let label = match (&x.old_label, &x.new_label) {
                (Some(o), Some(n)) if o != n => format!("{o} → {n}"),
                (_, Some(n)) => n.clone(),
                (Some(o), None) => o.clone(),
                (None, None) => String::new(),
            };
            let old = x.old_text.as_deref().unwrap_or("");
            let new = x.new_text.as_deref().unwrap_or("");
            let (left, right) = wording_cells(old, new);
            vec![Cell::text(format!("{label} ({what})")), left, right]
        })
        .collect();
    if rows.is_empty() {
        out.push(Block::Para(vec![Span::plain(
            "Versionerna har samma lydelse.",
        )]));
    } else {
        out.push(Block::Table {
            kind: TableKind::Grid,
            header: vec![
                Cell::text("Punkt"),
                Cell::text("Nuvarande lydelse"),
                Cell::text("Föreslagen lydelse"),
            ],
            rows,
            widths: vec![2, 4, 4],
        });
    }

    if !c.notes.is_empty() {
        out.push(Block::Heading(1, "Fynd från den tidigare versionen".into()));
        let title = |state: &str| match state {
            "rereview" => "Ska granskas på nytt (punkten har ändrats)",
            "orphaned" => "Punkten finns inte längre (fyndet finns kvar i den tidigare versionen)",
            "implemented" => "Genomförda (den föreslagna lydelsen gäller nu)",
            _ => "Överförda",
        };
        for state in ["rereview", "orphaned", "implemented"] {
            let items: Vec<Vec<Span>> = c
                .notes
                .iter()
                .filter(|n| n.state == state)
                .map(|n| {
                    vec![
                        Span::bold(format!("{}:", n.label)),
                        Span::plain(format!(" {}", n.finding)),
                    ]
                })
                .collect();
            if !items.is_empty() {
                out.push(Block::Heading(2, title(state).into()));
                out.push(Block::Bullets(items));
            }
        }
    }
    out
}

/// The comparison as Markdown, in Swedish.
pub fn comparison_markdown(c: &Comparison<'_>) -> String {
    markdown::render(&blocks(c))
}

/// The comparison as a Word document (the memo's styles), in Swedish.
pub fn comparison_docx(c: &Comparison<'_>) -> Result<Vec<u8>, ExportError> {
    let analysis = Analysis {
        document: c.new.clone(),
        outline: Default::default(),
        findings: Vec::new(),
        suggestions: Vec::new(),
    };
    let options = ExportOptions {
        header: MemoHeader {
            date: c.date.to_string(),
            ..MemoHeader::default()
        },
        ..ExportOptions::default()
    };
    let input = ExportInput {
        analysis: &analysis,
        rulebook: c.rulebook,
    };
    docx::plain(&Prepared::new(&input, &options), &blocks(c))
}
