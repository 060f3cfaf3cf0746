//! # kryphal-export
//!
//! Turns an analysis into documents a nämnd can decide on. This version
//! writes the revision memo as Markdown: the document's header fields, a
//! summary of findings by risk level, and per finding the quoted clause, the
//! analysis and the *Nuvarande lydelse | Föreslagen lydelse* table.
//!
//! Exports are pure functions from data to bytes; writing files is the
//! caller's business.

use kryphal_domain::{Clause, Document, Finding, Outline};
use kryphal_rules::Rulebook;

/// Everything a memo is made from.
pub struct Memo<'a> {
    pub document: &'a Document,
    pub outline: &'a Outline,
    pub findings: &'a [Finding],
    pub rulebook: &'a Rulebook,
}

/// Text from the document placed in Markdown: characters that would become
/// markup are escaped, line breaks become spaces.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// The revision memo as Markdown.
pub fn markdown_memo(memo: &Memo<'_>) -> String {
    use std::fmt::Write;
    let doc = memo.document;
    let book = memo.rulebook;
    let mut out = String::new();
    let _ = writeln!(out, "# Brottssäkring av {}\n", inline(&doc.meta.title));
    let field = |out: &mut String, label: &str, value: &str| {
        if !value.trim().is_empty() {
            let _ = writeln!(out, "- **{label}:** {}", inline(value));
        }
    };
    field(&mut out, "Dokument", &doc.meta.title);
    field(&mut out, "Dnr", &doc.meta.dnr);
    field(&mut out, "Ägare", &doc.meta.owner);
    field(&mut out, "Beslutat", &doc.meta.decided);
    field(&mut out, "Beslutat av", &doc.meta.decided_by);
    field(&mut out, "Källfil", &doc.source.name);
    field(
        &mut out,
        "Regelbok",
        &format!("{} {}", doc.rulebook.id, doc.rulebook.version),
    );
    let _ = writeln!(out, "\n## Sammanfattning\n");
    let active: Vec<&Finding> = memo
        .findings
        .iter()
        .filter(|f| f.input.status != kryphal_domain::FindingStatus::Rejected)
        .collect();
    if active.is_empty() {
        let _ = writeln!(out, "Inga iakttagelser har registrerats.");
    } else {
        let _ = writeln!(out, "{} iakttagelser:\n", active.len());
        for level in book.scale.levels.iter().rev() {
            let n = active
                .iter()
                .filter(|f| f.risk_level.as_deref() == Some(level.id.as_str()))
                .count();
            if n > 0 {
                let _ = writeln!(out, "- {}: {n}", level.label);
            }
        }
        let unrated = active.iter().filter(|f| f.risk_level.is_none()).count();
        if unrated > 0 {
            let _ = writeln!(out, "- Ej bedömda: {unrated}");
        }
    }
    let clause = |id: &str| -> Option<&Clause> { memo.outline.clauses.iter().find(|c| c.id == id) };
    for (i, f) in active.iter().enumerate() {
        let Some(c) = clause(&f.clause_id) else {
            continue;
        };
        let _ = writeln!(out, "\n## {}. {}\n", i + 1, inline(&c.label));
        let _ = writeln!(out, "> {}\n", inline(&c.text));
        if !f.input.unintended_consequence.trim().is_empty() {
            let _ = writeln!(
                out,
                "**Oavsiktlig konsekvens.** {}\n",
                inline(&f.input.unintended_consequence)
            );
        }
        if !f.input.crime_types.is_empty() {
            let names: Vec<String> = f
                .input
                .crime_types
                .iter()
                .map(|code| match book.crime_type(code) {
                    Some(ct) if !ct.reference.is_empty() => {
                        format!("{} ({})", ct.name, ct.reference)
                    }
                    Some(ct) => ct.name.clone(),
                    None => code.clone(),
                })
                .collect();
            let _ = writeln!(out, "**Brottstyper.** {}\n", inline(&names.join(", ")));
        }
        if let (Some(l), Some(k)) = (f.input.likelihood, f.input.impact) {
            let step = |axis: &kryphal_rules::Axis, v: u8| {
                axis.steps
                    .get(usize::from(v) - 1)
                    .map(|s| s.label.clone())
                    .unwrap_or_default()
            };
            let level = book
                .risk_level(l, k)
                .map(|l| l.label.clone())
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "**Risk.** {} {l} ({}) × {} {k} ({}) = {level}\n",
                book.scale.likelihood.label,
                step(&book.scale.likelihood, l),
                book.scale.impact.label,
                step(&book.scale.impact, k),
            );
        }
        if !f.input.proposed_wording.trim().is_empty() {
            let _ = writeln!(out, "| Nuvarande lydelse | Föreslagen lydelse |");
            let _ = writeln!(out, "|---|---|");
            let _ = writeln!(
                out,
                "| {} | {} |\n",
                inline(&c.text),
                inline(&f.input.proposed_wording)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kryphal_domain::*;

    fn doc() -> Document {
        Document {
            id: "d1".into(),
            meta: DocumentMeta {
                title: "Reglemente".into(),
                dnr: "VON 2024/1".into(),
                ..Default::default()
            },
            source: SourceFile {
                name: "r.md".into(),
                sha256: "00".into(),
                format: SourceFormat::Markdown,
                size: 1,
            },
            imported_at: "2026-01-01T00:00:00Z".into(),
            imported_by: "a".into(),
            rulebook: RulebookRef {
                id: "bra-mur-sv".into(),
                version: "0.1.0".into(),
            },
        }
    }

    #[test]
    fn memo_has_header_summary_and_the_two_column_table() {
        let outline = Outline {
            sections: vec![],
            clauses: vec![Clause {
                id: "c1".into(),
                section_id: None,
                number: "4.2".into(),
                label: "Ekonomi › p. 4.2".into(),
                kind: ClauseKind::Numbered,
                text: "Utdraget får vara högst ett år gammalt.".into(),
                position: 0,
            }],
        };
        let finding = Finding {
            id: "f1".into(),
            document_id: "d1".into(),
            clause_id: "c1".into(),
            input: FindingInput {
                unintended_consequence: "Ett inaktuellt utdrag godtas.".into(),
                crime_types: vec!["BED".into()],
                likelihood: Some(3),
                impact: Some(4),
                proposed_wording: "Utdraget får vara högst en månad gammalt | <b>".into(),
                ..Default::default()
            },
            risk_level: Some("very_high".into()),
            comments: vec![],
            suggestion_id: None,
            created_at: String::new(),
            created_by: String::new(),
            updated_at: String::new(),
            updated_by: String::new(),
        };
        let book = Rulebook::builtin();
        let md = markdown_memo(&Memo {
            document: &doc(),
            outline: &outline,
            findings: &[finding],
            rulebook: &book,
        });
        assert!(md.starts_with("# Brottssäkring av Reglemente\n"), "{md}");
        assert!(md.contains("- **Dnr:** VON 2024/1"), "{md}");
        assert!(md.contains("- Mycket hög: 1"), "{md}");
        assert!(
            md.contains("**Brottstyper.** Bedrägeri (BrB 9 kap. 1 §)"),
            "{md}"
        );
        assert!(
            md.contains("Sannolikhet 3 (Stor) × Konsekvens 4 (Allvarlig) = Mycket hög"),
            "{md}"
        );
        assert!(
            md.contains("| Nuvarande lydelse | Föreslagen lydelse |"),
            "{md}"
        );
        // User text cannot break the table or smuggle in HTML.
        assert!(md.contains("högst en månad gammalt \\| \\<b\\>"), "{md}");
    }

    #[test]
    fn memo_without_findings_says_so() {
        let book = Rulebook::builtin();
        let md = markdown_memo(&Memo {
            document: &doc(),
            outline: &Outline::default(),
            findings: &[],
            rulebook: &book,
        });
        assert!(md.contains("Inga iakttagelser har registrerats."), "{md}");
    }
}
