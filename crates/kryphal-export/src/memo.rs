//! The revision memo's content as a list of blocks, rendered by the
//! Markdown, HTML, DOCX and PDF writers alike. Blocks hold plain text (never
//! markup): each renderer escapes it for its own format.

use kryphal_domain::{Finding, SuggestionState};

use crate::diff::{self, Part};
use crate::model::Prepared;
use crate::{Variant, rulebook_ref};

/// How a piece of text looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Look {
    pub bold: bool,
    pub italic: bool,
    /// Deleted words in the *Nuvarande lydelse* column.
    pub strike: bool,
    /// Inserted words in the *Föreslagen lydelse* column.
    pub underline: bool,
}

/// A piece of text with one look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    pub text: String,
    pub look: Look,
}

impl Span {
    pub fn plain(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            look: Look::default(),
        }
    }
    pub fn bold(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            look: Look {
                bold: true,
                ..Look::default()
            },
        }
    }
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Cell {
    pub spans: Vec<Span>,
    /// Background `#rrggbb`; text on it is white and bold.
    pub fill: Option<String>,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell {
            spans: vec![Span::plain(s)],
            fill: None,
        }
    }
}

/// What kind of table, which decides its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TableKind {
    /// An ordinary grid with a header row.
    Grid,
    /// *Nuvarande lydelse | Föreslagen lydelse*.
    Wording,
    /// The risk matrix: a header row and a header column, coloured cells.
    Matrix,
}

/// One block of the memo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    Title(String),
    /// The next block starts a new page (before an appendix).
    PageBreak,
    /// Level 1 or 2.
    Heading(u8, String),
    Para(Vec<Span>),
    /// Label–value pairs: the header block.
    Fields(Vec<(String, String)>),
    /// A quoted clause text.
    Quote(String),
    Bullets(Vec<Vec<Span>>),
    Table {
        kind: TableKind,
        header: Vec<Cell>,
        rows: Vec<Vec<Cell>>,
        /// Relative column widths.
        widths: Vec<u32>,
    },
}

/// The memo of `p`.
pub(crate) fn blocks(p: &Prepared<'_>) -> Vec<Block> {
    let t = p.t;
    let doc = &p.analysis.document;
    let header = &p.options.header;
    let mut out = Vec::new();
    out.push(Block::Title(format!("{} {}", t.memo_title, doc.meta.title)));

    let first = |a: &str, b: &str| {
        if a.trim().is_empty() {
            b.trim().to_string()
        } else {
            a.trim().to_string()
        }
    };
    let book = rulebook_ref(p.rulebook);
    let mut fields = vec![
        (t.municipality, header.municipality.trim().to_string()),
        (t.committee, first(&header.committee, &doc.meta.owner)),
        (t.dnr, doc.meta.dnr.trim().to_string()),
        (t.date, p.date()),
        (
            t.responsible_official,
            first(&header.responsible_official, &doc.meta.responsible),
        ),
        (t.document, doc.meta.title.trim().to_string()),
        (t.doc_type, doc.meta.doc_type.trim().to_string()),
        (t.decided, doc.meta.decided.trim().to_string()),
        (t.decided_by, doc.meta.decided_by.trim().to_string()),
        (t.source_file, doc.source.name.clone()),
        (t.rulebook, format!("{} {}", book.id, book.version)),
    ];
    fields.push((
        t.variant,
        match p.options.variant {
            Variant::Internal => t.variant_internal,
            Variant::Public => t.variant_public,
        }
        .to_string(),
    ));
    out.push(Block::Fields(
        fields
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(l, v)| (l.to_string(), v))
            .collect(),
    ));

    let findings = p.memo_findings();
    summary(p, &findings, &mut out);
    if !findings.is_empty() {
        out.push(Block::Heading(1, t.findings.to_string()));
        for (n, f) in findings.iter().enumerate() {
            finding(p, n + 1, f, &mut out);
        }
    }
    matrix(p, &findings, &mut out);
    if p.options.variant == Variant::Internal {
        dismissed(p, &mut out);
    }
    out
}

/// The internal memo's record of screening suggestions dismissed, with the reasons.
fn dismissed(p: &Prepared<'_>, out: &mut Vec<Block>) {
    let t = p.t;
    let mut rows: Vec<(u32, Vec<Cell>)> = p
        .analysis
        .suggestions
        .iter()
        .filter_map(|s| match &s.state {
            SuggestionState::Dismissed { reason, by, at } => {
                let clause = p.clause(&s.clause_id);
                Some((
                    clause.map_or(u32::MAX, |c| c.position),
                    vec![
                        Cell::text(clause.map_or_else(|| s.clause_id.clone(), |c| c.label.clone())),
                        Cell::text(s.message.clone()),
                        Cell::text(reason.trim()),
                        Cell::text(format!("{by}, {}", crate::model::iso_date(at))),
                    ],
                ))
            }
            _ => None,
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    rows.sort_by_key(|(pos, _)| *pos);
    out.push(Block::Heading(1, t.appendix_dismissed.to_string()));
    out.push(Block::Para(vec![Span::plain(t.dismissed_intro)]));
    out.push(Block::Table {
        kind: TableKind::Grid,
        header: vec![
            Cell::text(t.clause),
            Cell::text(t.suggestion),
            Cell::text(t.reason),
            Cell::text(t.dismissed_by),
        ],
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        widths: vec![3, 4, 4, 3],
    });
}

fn level_cell(p: &Prepared<'_>, f: &Finding) -> Cell {
    match p.level(f) {
        Some(l) => Cell {
            spans: vec![Span::plain(l.label.clone())],
            fill: Some(l.color.clone()),
        },
        None => Cell::text(p.t.not_rated),
    }
}

fn clause_label(p: &Prepared<'_>, f: &Finding) -> String {
    p.clause(&f.clause_id)
        .map_or_else(|| f.clause_id.clone(), |c| c.label.clone())
}

fn summary(p: &Prepared<'_>, findings: &[&Finding], out: &mut Vec<Block>) {
    let t = p.t;
    out.push(Block::Heading(1, t.summary.to_string()));
    if findings.is_empty() {
        out.push(Block::Para(vec![Span::plain(t.no_findings)]));
        return;
    }
    let proposals = findings
        .iter()
        .filter(|f| !f.input.proposed_wording.trim().is_empty())
        .count();
    out.push(Block::Para(vec![Span::plain(format!(
        "{} {}, {proposals} {}.",
        findings.len(),
        t.findings_count,
        t.with_proposal
    ))]));
    // Counts by level, the most serious first.
    let mut rows = Vec::new();
    for level in p.rulebook.scale.levels.iter().rev() {
        let n = findings
            .iter()
            .filter(|f| p.level(f).is_some_and(|l| l.id == level.id))
            .count();
        if n > 0 {
            rows.push(vec![
                Cell {
                    spans: vec![Span::plain(level.label.clone())],
                    fill: Some(level.color.clone()),
                },
                Cell::text(n.to_string()),
            ]);
        }
    }
    let unrated = findings.iter().filter(|f| p.level(f).is_none()).count();
    if unrated > 0 {
        rows.push(vec![
            Cell::text(t.not_rated),
            Cell::text(unrated.to_string()),
        ]);
    }
    out.push(Block::Table {
        kind: TableKind::Grid,
        header: vec![Cell::text(t.risk_level), Cell::text(t.count)],
        rows,
        widths: vec![3, 1],
    });
    // One line per finding, in the memo's order (the most serious first).
    let rows = findings
        .iter()
        .enumerate()
        .map(|(n, f)| {
            vec![
                Cell::text((n + 1).to_string()),
                Cell::text(clause_label(p, f)),
                level_cell(p, f),
                Cell::text(p.status(f.input.status)),
            ]
        })
        .collect();
    out.push(Block::Table {
        kind: TableKind::Grid,
        header: vec![
            Cell::text(t.number),
            Cell::text(t.clause),
            Cell::text(t.risk_level),
            Cell::text(t.status),
        ],
        rows,
        widths: vec![1, 7, 2, 2],
    });
}

fn labelled(label: &str, text: &str) -> Block {
    Block::Para(vec![
        Span::bold(format!("{label}. ")),
        Span::plain(text.trim().to_string()),
    ])
}

fn finding(p: &Prepared<'_>, n: usize, f: &Finding, out: &mut Vec<Block>) {
    let t = p.t;
    let i = &f.input;
    let clause = p.clause(&f.clause_id);
    out.push(Block::Heading(2, format!("{n}. {}", clause_label(p, f))));
    if let Some(c) = clause {
        out.push(Block::Quote(quoted_text(c)));
    }
    if !i.unintended_consequence.trim().is_empty() {
        out.push(labelled(
            t.unintended_consequence,
            &i.unintended_consequence,
        ));
    }
    if !i.exploitation.trim().is_empty() {
        out.push(labelled(t.exploitation, &i.exploitation));
    }
    if !i.actors.is_empty() {
        let names: Vec<String> = i.actors.iter().map(|a| p.actor(a)).collect();
        out.push(labelled(t.actors, &names.join(", ")));
    }
    if !i.crime_types.is_empty() {
        let names: Vec<String> = i.crime_types.iter().map(|c| p.crime_type(c)).collect();
        out.push(labelled(t.crime_types, &names.join(", ")));
    }
    if let (Some(l), Some(k)) = (i.likelihood, i.impact) {
        let mut spans = vec![
            Span::bold(format!("{}. ", t.risk)),
            Span::plain(format!(
                "{} {} × {} {}",
                t.likelihood,
                p.likelihood_step(l),
                t.impact,
                p.impact_step(k)
            )),
        ];
        if let Some(level) = p.level(f) {
            spans.push(Span::plain(" = "));
            spans.push(Span::bold(level.label.clone()));
        }
        if let Some(c) = i.confidence {
            spans.push(Span::plain(format!(
                " ({}: {})",
                t.confidence,
                p.confidence(c)
            )));
        }
        spans.push(Span::plain("."));
        out.push(Block::Para(spans));
    }
    if i.act_on.is_some() || !i.act_on_reason.trim().is_empty() {
        let mut text = i
            .act_on
            .map(|b| p.yes_no(b).to_string())
            .unwrap_or_default();
        if !i.act_on_reason.trim().is_empty() {
            if !text.is_empty() {
                text.push_str(". ");
            }
            text.push_str(i.act_on_reason.trim());
        }
        out.push(labelled(t.act_on, &text));
    }
    // Further answers the pack asks for (protective factors, certificate givers…).
    for q in p
        .rulebook
        .questions
        .iter()
        .filter(|q| q.field.is_none() && p.shows(q))
    {
        let a = p.answer_text(f, q);
        if !a.trim().is_empty() {
            out.push(labelled(&q.label, &a));
        }
    }
    if !i.alternatives.is_empty() {
        out.push(Block::Para(vec![Span::bold(t.alternatives)]));
        let rows = i
            .alternatives
            .iter()
            .map(|a| {
                vec![
                    Cell::text(a.wording.trim()),
                    Cell::text(a.pros.trim()),
                    Cell::text(a.cons.trim()),
                    Cell::text(p.risk_product(a.residual_likelihood, a.residual_impact)),
                ]
            })
            .collect();
        out.push(Block::Table {
            kind: TableKind::Grid,
            header: vec![
                Cell::text(t.alternative),
                Cell::text(t.pros),
                Cell::text(t.cons),
                Cell::text(t.residual_risk),
            ],
            rows,
            widths: vec![4, 3, 3, 2],
        });
    }
    if let (Some(c), false) = (clause, i.proposed_wording.trim().is_empty()) {
        out.push(Block::Para(vec![Span::plain(format!(
            "{} {}:",
            t.proposal_lead, c.label
        ))]));
        let (mut left, mut right) = wording_cells(&c.text, i.proposed_wording.trim());
        if !c.number.is_empty() && !c.text.starts_with(&c.number) {
            let number = Span::plain(format!("{} ", c.number));
            left.spans.insert(0, number.clone());
            right.spans.insert(0, number);
        }
        out.push(Block::Table {
            kind: TableKind::Wording,
            header: vec![
                Cell::text(t.current_wording),
                Cell::text(t.proposed_wording),
            ],
            rows: vec![vec![left, right]],
            widths: vec![1, 1],
        });
    }
    let mut tail = Vec::new();
    if let Some(m) = i.measure_type {
        tail.push((t.measure_type, p.measure(m).to_string()));
    }
    if let Some(g) = i.countermeasure_group.as_deref() {
        tail.push((t.countermeasure, p.countermeasure(g)));
    }
    if !i.responsible_body.trim().is_empty() {
        tail.push((t.responsible_body, i.responsible_body.trim().to_string()));
    }
    tail.push((t.status, p.status(i.status).to_string()));
    for (label, value) in tail {
        out.push(labelled(label, &value));
    }
    if !f.comments.is_empty() {
        out.push(Block::Para(vec![Span::bold(t.comments)]));
        out.push(Block::Bullets(
            f.comments
                .iter()
                .map(|c| {
                    vec![
                        Span {
                            text: format!("{}, {}: ", c.author, crate::model::iso_date(&c.at)),
                            look: Look {
                                italic: true,
                                ..Look::default()
                            },
                        },
                        Span::plain(c.text.trim().to_string()),
                    ]
                })
                .collect(),
        ));
    }
}

/// The clause's text as the document prints it: its number first.
pub(crate) fn quoted_text(c: &kryphal_domain::Clause) -> String {
    if c.number.is_empty() || c.text.starts_with(&c.number) {
        c.text.clone()
    } else {
        format!("{} {}", c.number, c.text)
    }
}

/// The two cells of the *Nuvarande | Föreslagen lydelse* table: deleted
/// words struck through on the left, inserted words underlined on the right.
pub(crate) fn wording_cells(current: &str, proposed: &str) -> (Cell, Cell) {
    let strike = Look {
        strike: true,
        ..Look::default()
    };
    let insert = Look {
        underline: true,
        bold: true,
        ..Look::default()
    };
    let mut left = Vec::new();
    let mut right = Vec::new();
    for part in diff::words(current, proposed) {
        match part {
            Part::Same(s) => {
                left.push(Span::plain(s.clone()));
                right.push(Span::plain(s));
            }
            Part::Deleted(s) => marked(&mut left, &s, strike),
            Part::Inserted(s) => marked(&mut right, &s, insert),
        }
    }
    (
        Cell {
            spans: left,
            fill: None,
        },
        Cell {
            spans: right,
            fill: None,
        },
    )
}

/// Changed words with their mark; the spaces around them stay unmarked, so
/// no underline or strike runs into the gap before a word.
fn marked(out: &mut Vec<Span>, s: &str, look: Look) {
    let core = s.trim();
    if core.is_empty() {
        out.push(Span::plain(s));
        return;
    }
    let lead = &s[..s.len() - s.trim_start().len()];
    let trail = &s[s.trim_end().len()..];
    if !lead.is_empty() {
        out.push(Span::plain(lead));
    }
    out.push(Span {
        text: core.to_string(),
        look,
    });
    if !trail.is_empty() {
        out.push(Span::plain(trail));
    }
}

fn matrix(p: &Prepared<'_>, findings: &[&Finding], out: &mut Vec<Block>) {
    let t = p.t;
    let scale = &p.rulebook.scale;
    out.push(Block::PageBreak);
    out.push(Block::Heading(1, t.appendix_matrix.to_string()));
    out.push(Block::Para(vec![Span::plain(t.matrix_intro)]));
    let mut header = vec![Cell::text(t.matrix_corner)];
    header.extend(
        scale
            .impact
            .steps
            .iter()
            .map(|s| Cell::text(format!("{} {}", s.value, s.label))),
    );
    let mut rows = Vec::new();
    for l in scale.likelihood.steps.iter().rev() {
        let mut row = vec![Cell {
            spans: vec![Span::bold(format!("{} {}", l.value, l.label))],
            fill: None,
        }];
        for k in &scale.impact.steps {
            let n = findings
                .iter()
                .filter(|f| f.input.likelihood == Some(l.value) && f.input.impact == Some(k.value))
                .count();
            let level = p.rulebook.risk_level(l.value, k.value);
            let mut text = level.map(|lv| lv.label.clone()).unwrap_or_default();
            if n > 0 {
                text.push_str(&format!(" ({n})"));
            }
            row.push(Cell {
                spans: vec![Span::plain(text)],
                fill: level.map(|lv| lv.color.clone()),
            });
        }
        rows.push(row);
    }
    let mut widths = vec![3];
    widths.extend(scale.impact.steps.iter().map(|_| 2));
    out.push(Block::Table {
        kind: TableKind::Matrix,
        header,
        rows,
        widths,
    });
}
