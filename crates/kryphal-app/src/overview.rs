//! The overview of an analysis, for one document or for the whole library:
//! the figures a facilitator shows and a memo quotes (risk matrix counts,
//! findings by crime type and by status, coverage, where the risks sit).
//! Computed from the library on demand, never stored.

use std::collections::HashMap;

use kryphal_domain::{Document, Finding, FindingInput, Outline};
// The overview's types are plain data in kryphal-domain, so that
// kryphal-export can draw them as images.
pub use kryphal_domain::{
    ClauseHeat, ClauseMark, Count, DocumentHeat, MatrixCell, Overview, OverviewFinding,
    SectionCoverage,
};

use crate::{AppResult, Library};

/// The statuses in the order the overview lists them.
const STATUSES: [&str; 4] = ["draft", "reviewed", "agreed", "rejected"];

/// Longest one-line finding title, in characters (as the app's lists).
const TITLE_CHARS: usize = 90;

/// A finding's one-line title: the first line of its unintended
/// consequence, else of its proposed wording, shortened with `…`.
fn finding_title(f: &FindingInput) -> String {
    let text = match f.unintended_consequence.trim() {
        "" => f.proposed_wording.trim(),
        t => t,
    };
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() > TITLE_CHARS {
        let mut short: String = line.chars().take(TITLE_CHARS - 1).collect();
        short.push('…');
        short
    } else {
        line.to_string()
    }
}

impl Library {
    /// The overview of a document's analysis.
    pub fn overview(&self, document: &str) -> AppResult<Overview> {
        let view = self.document(document)?;
        Ok(self.overview_of(&view.document, &view.outline, &view.findings))
    }

    /// The overview of the whole library: the matrix, crime types and
    /// statuses over the findings of every document, the clauses reviewed
    /// of all, and per document its coverage, highest level and a heat
    /// strip of the clauses with findings. `document_id` is `None`. Only
    /// the newest version of a document counts (`earlier_versions` says how
    /// many were left out).
    pub fn library_overview(&self) -> AppResult<Overview> {
        let book = &self.rulebook;
        let mut all = Overview {
            document_id: None,
            cells: self.empty_cells(),
            unassessed: 0,
            by_crime_type: Vec::new(),
            by_status: Vec::new(),
            clauses: 0,
            reviewed: 0,
            sections: Vec::new(),
            strip: Vec::new(),
            documents: Vec::new(),
            findings: Vec::new(),
            earlier_versions: 0,
        };
        // A version that has a newer one is left out: its findings were
        // carried over, and counting both would count them twice.
        let superseded: std::collections::HashSet<String> = self
            .store
            .version_links()?
            .into_iter()
            .filter_map(|link| link.previous_id)
            .collect();
        let mut crime: HashMap<String, u32> = HashMap::new();
        let mut status: HashMap<String, u32> = HashMap::new();
        for doc in self.store.documents()? {
            if superseded.contains(&doc.id) {
                all.earlier_versions += 1;
                continue;
            }
            let outline = self.store.outline(&doc.id)?;
            let findings = self.with_risk(self.store.findings(&doc.id)?);
            let one = self.overview_of(&doc, &outline, &findings);
            for (cell, theirs) in all.cells.iter_mut().zip(one.cells) {
                cell.finding_ids.extend(theirs.finding_ids);
            }
            all.unassessed += one.unassessed;
            for c in one.by_crime_type {
                *crime.entry(c.key).or_default() += c.count;
            }
            for c in one.by_status {
                *status.entry(c.key).or_default() += c.count;
            }
            all.clauses += one.clauses;
            all.reviewed += one.reviewed;
            let labels: HashMap<&str, &str> = outline
                .clauses
                .iter()
                .map(|c| (c.id.as_str(), c.label.as_str()))
                .collect();
            all.findings.extend(findings.iter().map(|f| {
                OverviewFinding {
                    id: f.id.clone(),
                    document_id: doc.id.clone(),
                    document_title: doc.meta.title.clone(),
                    clause_id: f.clause_id.clone(),
                    clause_label: labels
                        .get(f.clause_id.as_str())
                        .map(|l| l.to_string())
                        .unwrap_or_default(),
                    title: finding_title(&f.input),
                    level: f.risk_level.clone(),
                }
            }));
            all.documents.push(DocumentHeat {
                level: self.highest_level(&findings),
                findings: findings.len() as u32,
                clauses: one.clauses,
                reviewed: one.reviewed,
                marks: one
                    .strip
                    .into_iter()
                    .enumerate()
                    .filter(|(_, h)| h.findings > 0)
                    .map(|(i, h)| ClauseMark {
                        index: i as u32,
                        clause_id: h.clause_id,
                        label: h.label,
                        findings: h.findings,
                        level: h.level,
                    })
                    .collect(),
                document_id: doc.id,
                title: doc.meta.title,
                doc_type: doc.meta.doc_type,
                owner: doc.meta.owner,
            });
        }
        all.by_crime_type = book
            .crime_types
            .iter()
            .filter_map(|ct| {
                crime.get(&ct.code).map(|&count| Count {
                    key: ct.code.clone(),
                    label: ct.name.clone(),
                    count,
                })
            })
            .collect();
        all.by_status = STATUSES
            .iter()
            .filter_map(|s| {
                status.get(*s).map(|&count| Count {
                    key: s.to_string(),
                    label: s.to_string(),
                    count,
                })
            })
            .collect();
        Ok(all)
    }

    /// Every cell of the active pack's matrix, likelihood 1 first, then
    /// impact 1 first, with no findings yet.
    fn empty_cells(&self) -> Vec<MatrixCell> {
        let book = &self.rulebook;
        let mut cells = Vec::new();
        for l in &book.scale.likelihood.steps {
            for i in &book.scale.impact.steps {
                cells.push(MatrixCell {
                    likelihood: l.value,
                    impact: i.value,
                    level: book.risk_level(l.value, i.value).map(|lv| lv.id.clone()),
                    finding_ids: Vec::new(),
                });
            }
        }
        cells
    }

    /// The overview of one document from its outline and findings (with
    /// their risk levels filled in).
    fn overview_of(
        &self,
        document: &Document,
        outline: &Outline,
        findings: &[Finding],
    ) -> Overview {
        let book = &self.rulebook;
        let mut cells = self.empty_cells();
        for cell in &mut cells {
            cell.finding_ids = findings
                .iter()
                .filter(|f| {
                    f.input.likelihood == Some(cell.likelihood)
                        && f.input.impact == Some(cell.impact)
                })
                .map(|f| f.id.clone())
                .collect();
        }
        let unassessed = findings
            .iter()
            .filter(|f| f.input.likelihood.is_none() || f.input.impact.is_none())
            .count() as u32;

        let by_crime_type = book
            .crime_types
            .iter()
            .filter_map(|ct| {
                let count = findings
                    .iter()
                    .filter(|f| f.input.crime_types.iter().any(|c| c == &ct.code))
                    .count() as u32;
                (count > 0).then(|| Count {
                    key: ct.code.clone(),
                    label: ct.name.clone(),
                    count,
                })
            })
            .collect();
        let by_status = STATUSES
            .iter()
            .filter_map(|s| {
                let count = findings
                    .iter()
                    .filter(|f| f.input.status.as_str() == *s)
                    .count() as u32;
                (count > 0).then(|| Count {
                    key: s.to_string(),
                    label: s.to_string(),
                    count,
                })
            })
            .collect();

        let level_rank = |id: &str| book.scale.levels.iter().position(|l| l.id == id);
        let mut clauses_in_order = outline.clauses.clone();
        clauses_in_order.sort_by_key(|c| c.position);
        let strip: Vec<ClauseHeat> = clauses_in_order
            .iter()
            .map(|c| {
                let own: Vec<_> = findings.iter().filter(|f| f.clause_id == c.id).collect();
                let level = own
                    .iter()
                    .filter_map(|f| f.risk_level.as_deref())
                    .max_by_key(|id| level_rank(id))
                    .map(str::to_string);
                ClauseHeat {
                    clause_id: c.id.clone(),
                    label: c.label.clone(),
                    findings: own.len() as u32,
                    level,
                }
            })
            .collect();
        let reviewed = strip.iter().filter(|h| h.findings > 0).count() as u32;

        let mut sections: Vec<SectionCoverage> = Vec::new();
        for (c, heat) in clauses_in_order.iter().zip(&strip) {
            let reviewed_here = u32::from(heat.findings > 0);
            match sections.iter_mut().find(|s| s.section_id == c.section_id) {
                Some(s) => {
                    s.clauses += 1;
                    s.reviewed += reviewed_here;
                }
                None => sections.push(SectionCoverage {
                    title: c
                        .section_id
                        .as_ref()
                        .and_then(|id| outline.sections.iter().find(|s| &s.id == id))
                        .map(|s| {
                            if s.number.is_empty() {
                                s.title.clone()
                            } else {
                                format!("{} {}", s.number, s.title)
                            }
                        })
                        .unwrap_or_default(),
                    section_id: c.section_id.clone(),
                    clauses: 1,
                    reviewed: reviewed_here,
                }),
            }
        }

        Overview {
            document_id: Some(document.id.clone()),
            cells,
            unassessed,
            by_crime_type,
            by_status,
            clauses: strip.len() as u32,
            reviewed,
            sections,
            strip,
            documents: Vec::new(),
            findings: Vec::new(),
            earlier_versions: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(consequence: &str, wording: &str) -> FindingInput {
        FindingInput {
            unintended_consequence: consequence.into(),
            proposed_wording: wording.into(),
            ..FindingInput::default()
        }
    }

    #[test]
    fn a_finding_title_is_one_line_and_falls_back_to_the_wording() {
        assert_eq!(
            finding_title(&finding("  Gamla utdrag godtas.\nMer text", "x")),
            "Gamla utdrag godtas."
        );
        assert_eq!(
            finding_title(&finding(" \n ", "Högst tre månader.")),
            "Högst tre månader."
        );
        assert_eq!(finding_title(&finding("", "")), "");
        let long = "å".repeat(120);
        let title = finding_title(&finding(&long, ""));
        assert_eq!(title.chars().count(), TITLE_CHARS);
        assert!(title.ends_with('…'));
        assert_eq!(
            finding_title(&finding(&"ö".repeat(TITLE_CHARS), ""))
                .chars()
                .count(),
            TITLE_CHARS
        );
    }
}
