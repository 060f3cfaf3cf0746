//! A verdict for every clause, coverage, and the final mark.
//!
//! A clause with findings has the verdict *risk*; the others get theirs by
//! hand — *checked, no risk*, *not a rule* (headings, letterheads, contact
//! details, background text) or *not assessed* — one clause at a time or a
//! whole section at once. Coverage counts verdicts. A document can be
//! marked final only when every clause has one and every suggestion is
//! decided; the memo then carries a coverage statement. A clause that is
//! not a rule is not screened: its open suggestions go when it becomes one
//! and its screening comes back when it stops being one. Every change is one
//! undo step and audited per clause (`clause.verdict`).

use std::collections::{HashMap, HashSet};

use kryphal_domain::{
    ClauseVerdict, Coverage, FinalMark, Finding, NameCount, Outline, StoredVerdict, Suggestion,
    SuggestionState, Verdict, VerdictKind,
};
use kryphal_store::VerdictChange;
use serde::Serialize;
use ts_rs::TS;

use crate::undo::Edit;
use crate::{AppError, AppResult, ErrorCode, Library};

/// A clause whose verdict was left as it was, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SkippedVerdict {
    pub clause_id: String,
    pub label: String,
    /// `has_findings`: its findings make it a risk; delete them first.
    pub reason: String,
}

/// What setting verdicts did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct VerdictReport {
    pub document_id: String,
    /// The verdicts of the clauses asked about, as they stand now.
    pub verdicts: Vec<ClauseVerdict>,
    /// Clauses left as they were.
    pub skipped: Vec<SkippedVerdict>,
    /// Open suggestions that went with clauses that are not rules.
    pub suggestions_removed: u32,
    /// Suggestions that came back with clauses that are rules again.
    pub suggestions_added: u32,
    pub coverage: Coverage,
}

/// Each clause's verdict from the outline, the findings and the verdicts
/// set by hand, in document order. Pure.
pub fn clause_verdicts(
    outline: &Outline,
    findings: &[Finding],
    stored: &[StoredVerdict],
) -> Vec<ClauseVerdict> {
    let mut first_finding: HashMap<&str, &Finding> = HashMap::new();
    for f in findings {
        let entry = first_finding.entry(f.clause_id.as_str()).or_insert(f);
        if f.created_at < entry.created_at {
            *entry = f;
        }
    }
    let by_hand: HashMap<&str, &StoredVerdict> =
        stored.iter().map(|v| (v.clause_id.as_str(), v)).collect();
    let mut clauses: Vec<_> = outline.clauses.iter().collect();
    clauses.sort_by_key(|c| c.position);
    clauses
        .into_iter()
        .map(|c| {
            if let Some(f) = first_finding.get(c.id.as_str()) {
                ClauseVerdict {
                    clause_id: c.id.clone(),
                    verdict: VerdictKind::Risk,
                    by: Some(f.created_by.clone()),
                    at: Some(f.created_at.clone()),
                }
            } else if let Some(v) = by_hand.get(c.id.as_str()) {
                ClauseVerdict {
                    clause_id: c.id.clone(),
                    verdict: v.verdict.into(),
                    by: Some(v.by.clone()),
                    at: Some(v.at.clone()),
                }
            } else {
                ClauseVerdict {
                    clause_id: c.id.clone(),
                    verdict: VerdictKind::None,
                    by: None,
                    at: None,
                }
            }
        })
        .collect()
}

/// The coverage of a document from its clauses' verdicts. Pure.
pub fn coverage_of(
    document_id: &str,
    verdicts: &[ClauseVerdict],
    suggestions: &[Suggestion],
    final_mark: Option<FinalMark>,
) -> Coverage {
    let count = |k: VerdictKind| verdicts.iter().filter(|v| v.verdict == k).count() as u32;
    let mut names: Vec<NameCount> = Vec::new();
    for v in verdicts {
        if let Some(by) = &v.by {
            match names.iter_mut().find(|n| &n.name == by) {
                Some(n) => n.count += 1,
                None => names.push(NameCount {
                    name: by.clone(),
                    count: 1,
                }),
            }
        }
    }
    names.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    let open_suggestions = suggestions
        .iter()
        .filter(|s| matches!(s.state, SuggestionState::Open))
        .count() as u32;
    let none = count(VerdictKind::None);
    Coverage {
        document_id: document_id.to_string(),
        clauses: verdicts.len() as u32,
        risk: count(VerdictKind::Risk),
        checked: count(VerdictKind::Checked),
        not_a_rule: count(VerdictKind::NotARule),
        not_assessed: count(VerdictKind::NotAssessed),
        none,
        open_suggestions,
        by: names,
        complete: none == 0 && open_suggestions == 0,
        final_mark,
    }
}

impl Library {
    /// Each clause's verdict of a document (by id), in document order.
    pub(crate) fn verdicts_of(&self, doc_id: &str) -> AppResult<Vec<ClauseVerdict>> {
        let outline = self.store.outline(doc_id)?;
        let findings = self.store.findings(doc_id)?;
        let stored = self.store.verdicts(doc_id)?;
        Ok(clause_verdicts(&outline, &findings, &stored))
    }

    /// The coverage of a document (by id).
    pub(crate) fn coverage_by_id(&self, doc_id: &str) -> AppResult<Coverage> {
        let verdicts = self.verdicts_of(doc_id)?;
        let suggestions = self.store.suggestions(doc_id)?;
        Ok(coverage_of(
            doc_id,
            &verdicts,
            &suggestions,
            self.store.final_mark(doc_id)?,
        ))
    }

    /// What the memo needs of a document's verdicts: its coverage (the
    /// statement is printed when final) and the clauses that are not rules.
    pub(crate) fn memo_coverage(&self, doc_id: &str) -> AppResult<kryphal_export::MemoCoverage> {
        let verdicts = self.verdicts_of(doc_id)?;
        let suggestions = self.store.suggestions(doc_id)?;
        let not_a_rule = verdicts
            .iter()
            .filter(|v| v.verdict == VerdictKind::NotARule)
            .map(|v| v.clause_id.clone())
            .collect();
        Ok(kryphal_export::MemoCoverage {
            coverage: coverage_of(
                doc_id,
                &verdicts,
                &suggestions,
                self.store.final_mark(doc_id)?,
            ),
            not_a_rule,
        })
    }

    /// Each clause's verdict of a document, in document order.
    pub fn clause_verdicts(&self, document: &str) -> AppResult<Vec<ClauseVerdict>> {
        let doc = self.resolve_document(document)?;
        self.verdicts_of(&doc.id)
    }

    /// A document's coverage: its clauses counted by verdict.
    pub fn coverage(&self, document: &str) -> AppResult<Coverage> {
        let doc = self.resolve_document(document)?;
        self.coverage_by_id(&doc.id)
    }

    /// The ids of the clauses not a rule in a document.
    pub(crate) fn not_rules(&self, doc_id: &str) -> AppResult<HashSet<String>> {
        Ok(self
            .store
            .verdicts(doc_id)?
            .into_iter()
            .filter(|v| v.verdict == Verdict::NotARule)
            .map(|v| v.clause_id)
            .collect())
    }

    /// Sets (or with `None` clears) the verdict of clauses of one document
    /// (`CLAUSE_ID` or `DOC_ID/CLAUSE_ID` each). A clause with findings
    /// keeps *risk* and is listed in `skipped`. One undo step.
    pub fn set_verdicts(
        &mut self,
        clauses: &[String],
        verdict: Option<Verdict>,
    ) -> AppResult<VerdictReport> {
        if clauses.is_empty() {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "Name at least one clause to give a verdict.",
            ));
        }
        let mut doc_id: Option<String> = None;
        let mut ids = Vec::new();
        for reference in clauses {
            let (doc, clause) = self.resolve_clause(reference)?;
            if doc_id.as_deref().is_some_and(|d| d != doc) {
                return Err(AppError::new(
                    ErrorCode::InvalidInput,
                    "The clauses belong to different documents; give the verdicts of one document at a time. Nothing was changed.",
                ));
            }
            doc_id = Some(doc);
            if !ids.contains(&clause) {
                ids.push(clause);
            }
        }
        let doc_id = doc_id.expect("at least one clause");
        self.apply_verdicts(&doc_id, &ids, verdict)
    }

    /// Sets (or clears) the verdict of every clause under a heading
    /// (`SECTION_ID` or `DOC_ID/SECTION_ID`), its subsections' too.
    pub fn set_section_verdict(
        &mut self,
        section: &str,
        verdict: Option<Verdict>,
    ) -> AppResult<VerdictReport> {
        let (doc_id, s) = self.resolve_section(section, None)?;
        let outline = self.store.outline(&doc_id)?;
        let mut inside: HashSet<&str> = HashSet::from([s.id.as_str()]);
        // Subsections, however deep (parents come before their children).
        let mut sections: Vec<_> = outline.sections.iter().collect();
        sections.sort_by_key(|x| x.position);
        for x in sections {
            if x.parent_id.as_deref().is_some_and(|p| inside.contains(p)) {
                inside.insert(x.id.as_str());
            }
        }
        let mut clauses: Vec<_> = outline
            .clauses
            .iter()
            .filter(|c| {
                c.section_id
                    .as_deref()
                    .is_some_and(|id| inside.contains(id))
            })
            .collect();
        clauses.sort_by_key(|c| c.position);
        let ids: Vec<String> = clauses.iter().map(|c| c.id.clone()).collect();
        if ids.is_empty() {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!(
                    "The heading “{}” has no clauses under it to give a verdict.",
                    s.title
                ),
            ));
        }
        self.apply_verdicts(&doc_id, &ids, verdict)
    }

    fn apply_verdicts(
        &mut self,
        doc_id: &str,
        ids: &[String],
        verdict: Option<Verdict>,
    ) -> AppResult<VerdictReport> {
        let outline = self.store.outline(doc_id)?;
        let findings = self.store.findings(doc_id)?;
        let with_findings: HashSet<&str> = findings.iter().map(|f| f.clause_id.as_str()).collect();
        let stored: HashMap<String, StoredVerdict> = self
            .store
            .verdicts(doc_id)?
            .into_iter()
            .map(|v| (v.clause_id.clone(), v))
            .collect();
        let stamp = self.stamp();
        let mut skipped = Vec::new();
        let mut changes = Vec::new();
        for id in ids {
            let before = stored.get(id).cloned();
            if with_findings.contains(id.as_str()) && verdict.is_some() {
                let label = outline
                    .clauses
                    .iter()
                    .find(|c| &c.id == id)
                    .map(|c| c.label.clone())
                    .unwrap_or_default();
                skipped.push(SkippedVerdict {
                    clause_id: id.clone(),
                    label,
                    reason: "has_findings".into(),
                });
                continue;
            }
            if before.as_ref().map(|v| v.verdict) == verdict {
                continue;
            }
            changes.push(VerdictChange {
                clause_id: id.clone(),
                before,
                after: verdict.map(|v| StoredVerdict {
                    clause_id: id.clone(),
                    verdict: v,
                    by: stamp.actor.clone(),
                    at: stamp.at.clone(),
                }),
            });
        }
        // Not a rule: its open suggestions go. A rule again: screened again.
        let suggestions = self.store.suggestions(doc_id)?;
        let existing: HashSet<&str> = suggestions.iter().map(|s| s.id.as_str()).collect();
        let leaving: HashSet<&str> = changes
            .iter()
            .filter(|c| c.after.as_ref().map(|v| v.verdict) == Some(Verdict::NotARule))
            .map(|c| c.clause_id.as_str())
            .collect();
        let returning: HashSet<&str> = changes
            .iter()
            .filter(|c| {
                c.before.as_ref().map(|v| v.verdict) == Some(Verdict::NotARule)
                    && c.after.as_ref().map(|v| v.verdict) != Some(Verdict::NotARule)
            })
            .map(|c| c.clause_id.as_str())
            .collect();
        let removed: Vec<Suggestion> = suggestions
            .iter()
            .filter(|s| {
                leaving.contains(s.clause_id.as_str()) && matches!(s.state, SuggestionState::Open)
            })
            .cloned()
            .collect();
        let added: Vec<Suggestion> = if returning.is_empty() {
            Vec::new()
        } else {
            // The whole document is screened (some rules look at more than
            // one clause); only the returning clauses' suggestions are kept.
            let doc = self.store.document(doc_id)?;
            self.screening(doc_id, &doc.meta.title, &doc.rulebook.id, &outline)
                .into_iter()
                .filter(|s| returning.contains(s.clause_id.as_str()))
                .filter(|s| !existing.contains(s.id.as_str()))
                .collect()
        };
        if !changes.is_empty() {
            self.store
                .set_verdicts(&stamp, doc_id, &changes, &removed, &added)?;
            self.record(Edit::VerdictsChanged {
                document_id: doc_id.to_string(),
                changes: changes.clone(),
                removed: removed.clone(),
                added: added.clone(),
            });
        }
        let asked: HashSet<&str> = ids.iter().map(String::as_str).collect();
        let verdicts = self
            .verdicts_of(doc_id)?
            .into_iter()
            .filter(|v| asked.contains(v.clause_id.as_str()))
            .collect();
        Ok(VerdictReport {
            document_id: doc_id.to_string(),
            verdicts,
            skipped,
            suggestions_removed: removed.len() as u32,
            suggestions_added: added.len() as u32,
            coverage: self.coverage_by_id(doc_id)?,
        })
    }

    /// Marks a document's review final, or refuses with a sentence naming
    /// what is missing (clauses without a verdict, open suggestions). The
    /// mark records who, when and the active rulebook. One undo step.
    pub fn mark_final(&mut self, document: &str) -> AppResult<Coverage> {
        let doc = self.resolve_document(document)?;
        let coverage = self.coverage_by_id(&doc.id)?;
        if !coverage.complete {
            return Err(AppError::new(
                ErrorCode::Incomplete,
                self.missing_sentence(&doc.id, &coverage)?,
            ));
        }
        let before = self.store.final_mark(&doc.id)?;
        let stamp = self.stamp();
        let mark = FinalMark {
            document_id: doc.id.clone(),
            by: stamp.actor.clone(),
            at: stamp.at.clone(),
            rulebook: self.rulebook.reference(),
        };
        self.store.set_final(&stamp, &doc.id, Some(&mark))?;
        self.record(Edit::FinalChanged {
            document_id: doc.id.clone(),
            before,
            after: Some(mark),
        });
        self.coverage_by_id(&doc.id)
    }

    /// Takes the final mark away (more work is to be done). One undo step.
    pub fn reopen_review(&mut self, document: &str) -> AppResult<Coverage> {
        let doc = self.resolve_document(document)?;
        let before = self.store.final_mark(&doc.id)?;
        if before.is_some() {
            let stamp = self.stamp();
            self.store.set_final(&stamp, &doc.id, None)?;
            self.record(Edit::FinalChanged {
                document_id: doc.id.clone(),
                before,
                after: None,
            });
        }
        self.coverage_by_id(&doc.id)
    }

    /// What keeps a document from being final, in one sentence.
    fn missing_sentence(&self, doc_id: &str, coverage: &Coverage) -> AppResult<String> {
        let outline = self.store.outline(doc_id)?;
        let label = |id: &str| {
            outline
                .clauses
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.label.clone())
                .unwrap_or_else(|| id.to_string())
        };
        let mut parts = Vec::new();
        if coverage.none > 0 {
            let first: Vec<String> = self
                .verdicts_of(doc_id)?
                .into_iter()
                .filter(|v| v.verdict == VerdictKind::None)
                .take(3)
                .map(|v| format!("“{}”", label(&v.clause_id)))
                .collect();
            parts.push(format!(
                "{} of {} clauses have no verdict yet ({}{})",
                coverage.none,
                coverage.clauses,
                first.join(", "),
                if coverage.none > 3 { ", …" } else { "" }
            ));
        }
        if coverage.open_suggestions > 0 {
            let first: Vec<String> = self
                .store
                .suggestions(doc_id)?
                .into_iter()
                .filter(|s| matches!(s.state, SuggestionState::Open))
                .take(3)
                .map(|s| format!("“{}” on {}", s.message, label(&s.clause_id)))
                .collect();
            parts.push(format!(
                "{} screening suggestions are neither accepted nor dismissed ({}{})",
                coverage.open_suggestions,
                first.join(", "),
                if coverage.open_suggestions > 3 {
                    ", …"
                } else {
                    ""
                }
            ));
        }
        Ok(format!(
            "The document cannot be marked final: {}. Nothing was changed.",
            parts.join("; and ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use kryphal_domain::{Clause, ClauseKind, FindingInput};

    use super::*;

    fn clause(id: &str, position: u32) -> Clause {
        Clause {
            id: id.into(),
            section_id: None,
            number: String::new(),
            label: id.into(),
            kind: ClauseKind::Paragraph,
            text: format!("text {id}"),
            position,
        }
    }

    fn finding(clause: &str, by: &str, at: &str) -> Finding {
        Finding {
            id: format!("f-{clause}-{at}"),
            document_id: "d".into(),
            clause_id: clause.into(),
            input: FindingInput::default(),
            risk_level: None,
            comments: Vec::new(),
            suggestion_id: None,
            created_at: at.into(),
            created_by: by.into(),
            updated_at: at.into(),
            updated_by: by.into(),
        }
    }

    fn stored(clause: &str, verdict: Verdict, by: &str) -> StoredVerdict {
        StoredVerdict {
            clause_id: clause.into(),
            verdict,
            by: by.into(),
            at: "2026-01-02T00:00:00Z".into(),
        }
    }

    #[test]
    fn findings_make_a_risk_over_a_verdict_by_hand_and_the_rest_needs_one() {
        let outline = Outline {
            sections: vec![],
            clauses: vec![clause("c", 3), clause("a", 1), clause("b", 2)],
        };
        let findings = vec![
            finding("a", "Per Ek", "2026-01-03T00:00:00Z"),
            finding("a", "Anna Berg", "2026-01-01T00:00:00Z"),
        ];
        let by_hand = vec![
            stored("a", Verdict::Checked, "Per Ek"),
            stored("b", Verdict::NotARule, "Anna Berg"),
        ];
        let v = clause_verdicts(&outline, &findings, &by_hand);
        let kinds: Vec<_> = v
            .iter()
            .map(|v| (v.clause_id.as_str(), v.verdict))
            .collect();
        assert_eq!(
            kinds,
            [
                ("a", VerdictKind::Risk),
                ("b", VerdictKind::NotARule),
                ("c", VerdictKind::None)
            ]
        );
        assert_eq!(
            v[0].by.as_deref(),
            Some("Anna Berg"),
            "the first finding's author"
        );
        let c = coverage_of("d", &v, &[], None);
        assert_eq!((c.clauses, c.risk, c.not_a_rule, c.none), (3, 1, 1, 1));
        assert!(!c.complete);
        assert_eq!(c.decided(), 2);
        assert_eq!(
            c.by,
            [NameCount {
                name: "Anna Berg".into(),
                count: 2
            }]
        );
    }

    #[test]
    fn coverage_is_complete_only_with_every_verdict_and_no_open_suggestion() {
        let outline = Outline {
            sections: vec![],
            clauses: vec![clause("a", 1)],
        };
        let v = clause_verdicts(
            &outline,
            &[],
            &[stored("a", Verdict::NotAssessed, "Anna Berg")],
        );
        let open = Suggestion {
            id: "s".into(),
            document_id: "d".into(),
            clause_id: "a".into(),
            rule_id: "r".into(),
            category: String::new(),
            message: String::new(),
            rationale: String::new(),
            crime_types: vec![],
            spans: vec![],
            state: SuggestionState::Open,
            scope: Default::default(),
            why: String::new(),
            consequence: String::new(),
            proposal: String::new(),
            also: vec![],
        };
        assert!(coverage_of("d", &v, &[], None).complete);
        let with_open = coverage_of("d", &v, std::slice::from_ref(&open), None);
        assert!(!with_open.complete);
        assert_eq!(with_open.open_suggestions, 1);
        let decided = Suggestion {
            state: SuggestionState::Dismissed {
                reason: "x".into(),
                by: "y".into(),
                at: "z".into(),
            },
            ..open
        };
        assert!(coverage_of("d", &v, &[decided], None).complete);
    }
}
