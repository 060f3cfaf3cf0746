//! Minutes of a workshop session: who took part, and per clause the room's
//! decision (with any dissent) and the risk levels it agreed on.

use kryphal_domain::{DecisionKind, Document, Finding, Outline, WorkshopRecord};
use kryphal_rules::Rulebook;

use crate::memo::{Block, Span};
use crate::model::Prepared;
use crate::{Analysis, ExportError, ExportInput, ExportOptions, MemoHeader, docx, markdown};

/// Everything minutes are made from.
pub struct Minutes<'a> {
    pub record: &'a WorkshopRecord,
    pub document: &'a Document,
    pub outline: &'a Outline,
    pub findings: &'a [Finding],
    pub rulebook: &'a Rulebook,
}

fn decision_text(d: DecisionKind) -> &'static str {
    match d {
        DecisionKind::Adopt => "Förslaget tas vidare",
        DecisionKind::Reject => "Ingen ändring",
        DecisionKind::Defer => "Bordlagt",
    }
}

/// The minutes as blocks, in Swedish: the same content becomes Markdown or Word.
fn blocks(m: &Minutes<'_>) -> Vec<Block> {
    let s = &m.record.session;
    let mut out = vec![Block::Title(format!("Minnesanteckningar: {}", s.title))];
    let mut fields = vec![("Dokument".to_string(), m.document.meta.title.clone())];
    if !m.document.meta.dnr.trim().is_empty() {
        fields.push(("Dnr".into(), m.document.meta.dnr.clone()));
    }
    fields.push(("Datum".into(), s.held_on.clone()));
    fields.push(("Ledd av".into(), s.started_by.clone()));
    let state = if s.ended_at.is_some() {
        "avslutad"
    } else {
        "pågår"
    };
    fields.push(("Status".into(), state.into()));
    out.push(Block::Fields(fields));

    out.push(Block::Heading(1, "Deltagare".into()));
    if s.attendees.is_empty() {
        out.push(Block::Para(vec![Span::plain("Inga deltagare antecknade.")]));
    } else {
        out.push(Block::Bullets(
            s.attendees
                .iter()
                .map(|a| vec![Span::plain(a.clone())])
                .collect(),
        ));
    }

    out.push(Block::Heading(1, "Beslut och bedömningar".into()));
    let mut clauses = m.outline.clauses.clone();
    clauses.sort_by_key(|c| c.position);
    let level_label = |id: Option<&str>| {
        id.and_then(|id| m.rulebook.scale.levels.iter().find(|l| l.id == id))
            .map(|l| l.label.clone())
            .unwrap_or_else(|| "–".into())
    };
    let mut any = false;
    for c in &clauses {
        let decision = m.record.decisions.iter().find(|d| d.clause_id == c.id);
        let judged: Vec<_> = m
            .record
            .judgements
            .iter()
            .filter(|j| {
                m.findings
                    .iter()
                    .any(|f| f.id == j.finding_id && f.clause_id == c.id)
            })
            .collect();
        if decision.is_none() && judged.is_empty() {
            continue;
        }
        any = true;
        out.push(Block::Heading(2, c.label.clone()));
        out.push(Block::Quote(c.text.clone()));
        if let Some(d) = decision {
            let mut spans = vec![
                Span::bold("Beslut:"),
                Span::plain(format!(" {}.", decision_text(d.decision))),
            ];
            if !d.dissent.is_empty() {
                spans.push(Span::bold(" Avvikande mening:"));
                spans.push(Span::plain(format!(" {}", d.dissent)));
            }
            out.push(Block::Para(spans));
        }
        if !judged.is_empty() {
            out.push(Block::Bullets(
                judged
                    .iter()
                    .map(|j| {
                        let title = m
                            .findings
                            .iter()
                            .find(|f| f.id == j.finding_id)
                            .map(|f| {
                                let t = f.input.unintended_consequence.trim();
                                t.trim_end_matches(['.', ':']).to_string()
                            })
                            .filter(|t| !t.is_empty())
                            .unwrap_or_else(|| "Fynd utan beskrivning".into());
                        let mut spans = vec![
                            Span::plain(format!(
                                "{title}: sannolikhet {} × konsekvens {} — ",
                                j.likelihood, j.impact
                            )),
                            Span::bold(level_label(j.risk_level.as_deref())),
                        ];
                        if !j.note.is_empty() {
                            spans.push(Span::plain(format!(". {}", j.note)));
                        }
                        spans
                    })
                    .collect(),
            ));
        }
    }
    if !any {
        out.push(Block::Para(vec![Span::plain(
            "Inga beslut eller bedömningar antecknades.",
        )]));
    }
    out
}

/// The minutes as Markdown, in Swedish.
pub fn minutes_markdown(m: &Minutes<'_>) -> String {
    markdown::render(&blocks(m))
}

/// The minutes as a Word document (the memo's styles), in Swedish.
pub fn minutes_docx(m: &Minutes<'_>) -> Result<Vec<u8>, ExportError> {
    let analysis = Analysis {
        document: m.document.clone(),
        outline: m.outline.clone(),
        findings: m.findings.to_vec(),
        suggestions: Vec::new(),
    };
    let options = ExportOptions {
        header: MemoHeader {
            date: m.record.session.held_on.clone(),
            ..MemoHeader::default()
        },
        ..ExportOptions::default()
    };
    let input = ExportInput {
        analysis: &analysis,
        rulebook: m.rulebook,
    };
    docx::plain(&Prepared::new(&input, &options), &blocks(m))
}
