//! Minutes of a workshop session: who took part, and per clause the room's
//! decision (with any dissent) and the risk levels it agreed on.

use std::fmt::Write;

use kryphal_domain::{DecisionKind, Document, Finding, Outline, WorkshopRecord};
use kryphal_rules::Rulebook;

use crate::markdown::inline;

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

/// The minutes as Markdown, in Swedish.
pub fn minutes_markdown(m: &Minutes<'_>) -> String {
    let s = &m.record.session;
    let mut out = String::new();
    let _ = writeln!(out, "# Minnesanteckningar: {}\n", inline(&s.title));
    let _ = writeln!(out, "- **Dokument:** {}", inline(&m.document.meta.title));
    if !m.document.meta.dnr.trim().is_empty() {
        let _ = writeln!(out, "- **Dnr:** {}", inline(&m.document.meta.dnr));
    }
    let _ = writeln!(out, "- **Datum:** {}", inline(&s.held_on));
    let _ = writeln!(out, "- **Ledd av:** {}", inline(&s.started_by));
    let _ = writeln!(
        out,
        "- **Status:** {}\n",
        if s.ended_at.is_some() {
            "avslutad"
        } else {
            "pågår"
        }
    );

    let _ = writeln!(out, "## Deltagare\n");
    if s.attendees.is_empty() {
        let _ = writeln!(out, "Inga deltagare antecknade.\n");
    } else {
        for a in &s.attendees {
            let _ = writeln!(out, "- {}", inline(a));
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Beslut och bedömningar\n");
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
        let _ = writeln!(out, "### {}\n", inline(&c.label));
        let _ = writeln!(out, "> {}\n", inline(&c.text));
        if let Some(d) = decision {
            let _ = writeln!(out, "**Beslut:** {}.", decision_text(d.decision));
            if !d.dissent.is_empty() {
                let _ = writeln!(out, " **Avvikande mening:** {}", inline(&d.dissent));
            }
            out.push('\n');
        }
        for j in judged {
            let title = m
                .findings
                .iter()
                .find(|f| f.id == j.finding_id)
                .map(|f| f.input.unintended_consequence.trim().to_string())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| "Fynd utan beskrivning".into());
            let _ = writeln!(
                out,
                "- {}: sannolikhet {} × konsekvens {} — **{}**{}",
                inline(&title),
                j.likelihood,
                j.impact,
                level_label(j.risk_level.as_deref()),
                if j.note.is_empty() {
                    String::new()
                } else {
                    format!(". {}", inline(&j.note))
                }
            );
        }
        out.push('\n');
    }
    if !any {
        let _ = writeln!(out, "Inga beslut eller bedömningar antecknades.\n");
    }
    out
}
