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

/// The memo's own texts, each either as the user wrote it or generated:
/// its heading (*ärende*), *Förslag till beslut* and *Ärendet*.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoTexts {
    pub subject: String,
    pub decision_proposal: String,
    pub background: String,
}

/// The document's title as a memo names it: the metadata's title, unless
/// that is only the imported file's name (`reglemente_kundval-2024.docx`),
/// in which case the name made readable (`Reglemente kundval 2024`).
pub(crate) fn document_title(doc: &kryphal_domain::Document) -> String {
    let title = doc.meta.title.trim();
    let name = doc.source.name.trim();
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let looks_like_file = title.is_empty()
        || title == name
        || title == stem
        || (title.rsplit_once('.').is_some_and(|(_, ext)| {
            matches!(
                ext.to_ascii_lowercase().as_str(),
                "docx" | "doc" | "pdf" | "odt" | "md" | "txt" | "html" | "htm"
            )
        }));
    if !looks_like_file {
        return title.to_string();
    }
    let base = if title.is_empty() {
        stem
    } else {
        title.rsplit_once('.').map_or(title, |(s, _)| s)
    };
    let words: Vec<&str> = base
        .split(|c: char| c == '_' || c == '-' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => title.to_string(),
    }
}

/// The subject, decision proposal and background the memo prints: the
/// header's own, or generated ones where it leaves them empty.
pub(crate) fn memo_texts(p: &Prepared<'_>) -> MemoTexts {
    let doc = &p.analysis.document;
    let header = &p.options.header;
    let lang = p.options.lang;
    let title = document_title(doc);
    let proposals = p
        .memo_findings()
        .iter()
        .filter(|f| !f.input.proposed_wording.trim().is_empty())
        .count();
    let committee = if header.committee.trim().is_empty() {
        doc.meta.owner.trim()
    } else {
        header.committee.trim()
    };
    let or = |own: &str, generated: String| {
        if own.trim().is_empty() {
            generated
        } else {
            own.trim().to_string()
        }
    };
    MemoTexts {
        subject: or(&header.subject, format!("{} {title}", p.t.memo_title)),
        decision_proposal: or(
            &header.decision_proposal,
            crate::texts::decision_default(lang, committee, &title, proposals),
        ),
        background: or(
            &header.background,
            crate::texts::background_default(
                lang,
                &title,
                &doc.meta.dnr,
                &doc.meta.decided_by,
                &doc.meta.decided,
            ),
        ),
    }
}

/// The memo's header fields (label, value), empty ones left out.
pub(crate) fn header_fields(p: &Prepared<'_>) -> Vec<(String, String)> {
    let t = p.t;
    let doc = &p.analysis.document;
    let header = &p.options.header;
    let committee = if header.committee.trim().is_empty() {
        doc.meta.owner.trim()
    } else {
        header.committee.trim()
    };
    let mut fields = vec![
        (t.municipality, header.municipality.trim().to_string()),
        (t.committee, committee.to_string()),
        (t.dnr, header.case_dnr.trim().to_string()),
        (t.date, p.date()),
        (
            t.responsible_official,
            header.responsible_official.trim().to_string(),
        ),
    ];
    if p.options.variant == Variant::Internal {
        fields.push((t.variant, t.variant_internal.to_string()));
    }
    fields
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(l, v)| (l.to_string(), v))
        .collect()
}

/// How the blocks are made for one renderer.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Shape {
    /// The header fields are in the template's own fields: not in the body.
    pub fields_in_template: bool,
    /// The template prints the ärende as its heading: no title of our own.
    pub title_in_template: bool,
    /// The public variant is named in a last line (Markdown and HTML have no
    /// footer to say it in).
    pub variant_line: bool,
}

/// The memo of `p`: a *tjänsteskrivelse* — header fields, the ärende as
/// title, *Sammanfattning*, *Förslag till beslut*, *Ärendet*, the
/// findings, *Bilagor* and the appendices (the technical ones only in the
/// internal variant).
pub(crate) fn blocks(p: &Prepared<'_>, shape: Shape) -> Vec<Block> {
    let t = p.t;
    let doc = &p.analysis.document;
    let texts = memo_texts(p);
    let mut out = Vec::new();
    if !shape.fields_in_template {
        out.push(Block::Fields(header_fields(p)));
    }
    if !shape.title_in_template {
        out.push(Block::Title(texts.subject.clone()));
    }

    let findings = p.memo_findings();
    let proposals = findings
        .iter()
        .filter(|f| !f.input.proposed_wording.trim().is_empty())
        .count();
    let what = document_title(doc);
    out.push(Block::Heading(1, t.summary.to_string()));
    out.push(Block::Para(vec![Span::plain(
        crate::texts::summary_sentence(p.options.lang, &what, findings.len(), proposals),
    )]));
    level_counts(p, &findings, &mut out);

    out.push(Block::Heading(1, t.decision.to_string()));
    for para in texts
        .decision_proposal
        .split("\n\n")
        .filter(|s| !s.trim().is_empty())
    {
        out.push(Block::Para(vec![Span::plain(para.trim().to_string())]));
    }

    out.push(Block::Heading(1, t.background.to_string()));
    for para in texts
        .background
        .split("\n\n")
        .filter(|s| !s.trim().is_empty())
    {
        out.push(Block::Para(vec![Span::plain(para.trim().to_string())]));
    }
    if let Some(memo) = &p.options.coverage
        && memo.coverage.is_final()
    {
        out.push(Block::Heading(1, t.coverage_title.to_string()));
        for para in
            crate::texts::coverage_statement(p.options.lang, &memo.coverage, &p.rulebook.pack.name)
        {
            out.push(Block::Para(vec![Span::plain(para)]));
        }
    }
    overview_table(p, &findings, &mut out);

    if !findings.is_empty() {
        out.push(Block::Heading(1, t.findings.to_string()));
        for (n, f) in findings.iter().enumerate() {
            finding(p, n + 1, f, &mut out);
        }
    }

    // The appendices: listed, then each on a page of its own.
    let mut appendices: Vec<(&str, Appendix)> = vec![(t.matrix_title, matrix)];
    if p.options.variant == Variant::Internal {
        if has_dismissed(p) {
            appendices.push((t.dismissed_title, dismissed));
        }
        appendices.push((t.technical_title, technical));
    }
    out.push(Block::Heading(1, t.appendices.to_string()));
    out.push(Block::Bullets(
        appendices
            .iter()
            .enumerate()
            .map(|(i, (title, _))| vec![Span::plain(appendix_title(p, i + 1, title))])
            .collect(),
    ));
    for (i, (title, write)) in appendices.iter().enumerate() {
        out.push(Block::PageBreak);
        out.push(Block::Heading(1, appendix_title(p, i + 1, title)));
        write(p, &findings, &mut out);
    }
    if shape.variant_line && p.options.variant == Variant::Public {
        out.push(Block::Para(vec![Span {
            text: format!("{}.", t.public_version),
            look: Look {
                italic: true,
                ..Look::default()
            },
        }]));
    }
    out
}

/// Writes one appendix's content.
type Appendix = fn(&Prepared<'_>, &[&Finding], &mut Vec<Block>);

fn appendix_title(p: &Prepared<'_>, n: usize, title: &str) -> String {
    p.t.appendix
        .replace("{n}", &n.to_string())
        .replace("{title}", title)
}

fn has_dismissed(p: &Prepared<'_>) -> bool {
    p.analysis.suggestions.iter().any(|s| {
        matches!(s.state, SuggestionState::Dismissed { .. }) && !p.not_a_rule(&s.clause_id)
    })
}

/// The internal memo's technical lines: where the analysis came from.
fn technical(p: &Prepared<'_>, _: &[&Finding], out: &mut Vec<Block>) {
    let t = p.t;
    let doc = &p.analysis.document;
    let book = rulebook_ref(p.rulebook);
    out.push(Block::Para(vec![Span::plain(t.technical_intro)]));
    let fields = vec![
        (t.document, doc.meta.title.trim().to_string()),
        (t.doc_type, doc.meta.doc_type.trim().to_string()),
        (t.document_dnr, doc.meta.dnr.trim().to_string()),
        (t.decided, doc.meta.decided.trim().to_string()),
        (t.decided_by, doc.meta.decided_by.trim().to_string()),
        (t.source_file, doc.source.name.clone()),
        (t.document_id, doc.id.clone()),
        (t.rulebook, format!("{} {}", book.id, book.version)),
        (t.variant, t.variant_internal.to_string()),
    ];
    out.push(Block::Fields(
        fields
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(l, v)| (l.to_string(), v))
            .collect(),
    ));
}

/// The internal memo's record of screening suggestions dismissed, with the reasons.
fn dismissed(p: &Prepared<'_>, _: &[&Finding], out: &mut Vec<Block>) {
    let t = p.t;
    let mut rows: Vec<(u32, Vec<Cell>)> = p
        .analysis
        .suggestions
        .iter()
        .filter(|s| !p.not_a_rule(&s.clause_id))
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

/// Findings per risk level, the most serious first.
fn level_counts(p: &Prepared<'_>, findings: &[&Finding], out: &mut Vec<Block>) {
    let t = p.t;
    if findings.is_empty() {
        return;
    }
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
}

/// One line per finding, in the memo's order (the most serious first).
fn overview_table(p: &Prepared<'_>, findings: &[&Finding], out: &mut Vec<Block>) {
    let t = p.t;
    if findings.is_empty() {
        return;
    }
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
    out.push(Block::Para(vec![Span::bold(t.overview_title)]));
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
