//! Correcting an imported outline without importing again: a clause made a
//! heading, a heading made a clause, a clause moved under another section,
//! a clause renumbered. Each is one [`Library`] method, one store
//! transaction (the rows, the kept correction and the audit event
//! `outline.promote`, `outline.demote`, `outline.move` or `outline.renumber`)
//! and one undo step. The corrections themselves are computed by the pure
//! [`corrections::apply`]; they are kept, keyed by text, and made again when
//! a new version of the document is imported ([`Library::reapply_corrections`]).

use std::collections::HashSet;

use kryphal_domain::{Clause, Outline, OutlineChange, OutlineCorrection, Section, Suggestion};
use kryphal_store::{OutlineDiff, OutlineWrite};
use serde::Serialize;
use ts_rs::TS;

use crate::corrections::{self, Context, SkipReason};
use crate::undo::Edit;
use crate::{AppError, AppResult, ErrorCode, Library};

/// A correction of the previous version that was not made on the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SkippedCorrection {
    pub correction: OutlineCorrection,
    pub reason: SkipReason,
    /// The clause's number now (for `number_changed`).
    pub number_now: String,
    /// What and why, in one English sentence (the UI words it by `reason`).
    pub message: String,
}

/// The previous version's corrections made on a new version's outline.
pub(crate) struct Reapplied {
    pub outline: Outline,
    /// The corrections made (or already true), as the new document's own.
    pub kept: Vec<OutlineCorrection>,
    pub skipped: Vec<SkippedCorrection>,
}

/// The most characters a clause number may have.
const MAX_NUMBER: usize = 30;

fn invalid(message: impl Into<String>) -> AppError {
    AppError::new(ErrorCode::InvalidInput, message)
}

/// A heading as people read it: `4.2 Ekonomi`.
fn heading_name(s: &Section) -> String {
    format!("{} {}", s.number, s.title).trim().to_string()
}

impl Library {
    /// The outline corrections kept for a document, in the order they were made.
    pub fn outline_corrections(&self, document: &str) -> AppResult<Vec<OutlineCorrection>> {
        let doc = self.resolve_document(document)?;
        Ok(self.store.outline_corrections(&doc.id)?)
    }

    /// Finds the heading a reference names: `SECTION_ID`, `DOC_ID/SECTION_ID`,
    /// or — inside the document `within` — the heading's title (with or
    /// without its number; case and spacing aside) when only one has it.
    fn resolve_section(
        &self,
        reference: &str,
        within: Option<&str>,
    ) -> AppResult<(String, Section)> {
        let reference = reference.trim();
        let find = |doc: &str, id: &str| -> AppResult<Option<Section>> {
            Ok(self
                .store
                .outline(doc)?
                .sections
                .into_iter()
                .find(|s| s.id == id))
        };
        if let Some((doc, id)) = reference.split_once('/')
            && let Ok(d) = self.resolve_document(doc)
            && let Some(s) = find(&d.id, id)?
        {
            return Ok((d.id, s));
        }
        if let Some(doc) = within {
            if let Some(s) = find(doc, reference)? {
                return Ok((doc.to_string(), s));
            }
            let wanted = corrections::text_key(reference.trim_end_matches([':', '.']));
            let named: Vec<Section> = self
                .store
                .outline(doc)?
                .sections
                .into_iter()
                .filter(|s| {
                    let title = corrections::text_key(s.title.trim_end_matches([':', '.']));
                    !wanted.is_empty()
                        && (title == wanted
                            || corrections::text_key(&heading_name(s).replace('.', " "))
                                == corrections::text_key(&reference.replace('.', " ")))
                })
                .collect();
            match named.as_slice() {
                [one] => return Ok((doc.to_string(), one.clone())),
                [] => {}
                many => {
                    return Err(invalid(format!(
                        "{} headings of the document are called “{reference}”; give the heading's id ({}).",
                        many.len(),
                        many.iter()
                            .map(|s| s.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            }
        }
        let docs = self.store.section_documents(reference)?;
        match docs.as_slice() {
            [one] => {
                if let Some(doc) = within
                    && doc != one
                {
                    return Err(invalid(format!(
                        "The heading {reference} is in another document; a clause can only move within its own document."
                    )));
                }
                let s = find(one, reference)?.ok_or_else(|| {
                    AppError::new(
                        ErrorCode::NotFound,
                        format!("The heading {reference} is gone."),
                    )
                })?;
                Ok((one.clone(), s))
            }
            [] => Err(AppError::new(
                ErrorCode::NotFound,
                format!(
                    "No heading “{reference}” is in the library; `kryphal show DOC` lists the headings with their ids."
                ),
            )),
            _ => Err(invalid(format!(
                "The heading id “{reference}” occurs in several documents; write it as DOC_ID/{reference}."
            ))),
        }
    }

    /// The clause (`CLAUSE_ID` or `DOC_ID/CLAUSE_ID`) with its document's outline.
    fn clause_in_outline(&self, clause: &str) -> AppResult<(String, Outline, Clause)> {
        let (doc_id, clause_id) = self.resolve_clause(clause)?;
        let outline = self.store.outline(&doc_id)?;
        let c = outline
            .clauses
            .iter()
            .find(|c| c.id == clause_id)
            .cloned()
            .ok_or_else(|| AppError::new(ErrorCode::NotFound, "The clause is gone."))?;
        Ok((doc_id, outline, c))
    }

    /// Makes a clause a heading at `level` (1 = top; `None`: one below the
    /// heading it is under). The clauses after it in its section go under
    /// it. A clause with findings or workshop records is refused: they hang
    /// on clauses. Returns the new heading.
    pub fn promote_clause(&mut self, clause: &str, level: Option<u8>) -> AppResult<Section> {
        let (doc_id, outline, c) = self.clause_in_outline(clause)?;
        let findings = self
            .store
            .findings(&doc_id)?
            .iter()
            .filter(|f| f.clause_id == c.id)
            .count();
        if findings > 0 {
            return Err(invalid(format!(
                "“{}” has {} so it cannot become a heading: findings belong to clauses. Delete {} first (the audit trail keeps {}), then make it a heading.",
                c.label,
                if findings == 1 {
                    "a finding,".to_string()
                } else {
                    format!("{findings} findings,")
                },
                if findings == 1 { "it" } else { "them" },
                if findings == 1 { "it" } else { "them" },
            )));
        }
        if self.store.clause_has_workshop_records(&doc_id, &c.id)? {
            return Err(invalid(format!(
                "A workshop recorded a decision or a note on “{}”, so it cannot become a heading.",
                c.label
            )));
        }
        let deepest = corrections::deepest_level(&outline, &c.id).unwrap_or(1);
        let own_level = c
            .section_id
            .as_ref()
            .and_then(|id| outline.sections.iter().find(|s| &s.id == id))
            .map(|s| s.level)
            .unwrap_or(0);
        let level = level.unwrap_or(own_level.saturating_add(1).min(deepest));
        if level == 0 || level > deepest {
            return Err(invalid(if deepest == 1 {
                format!("A heading here can only be level 1, not {level}.")
            } else {
                format!(
                    "A heading here can be level 1 to {deepest} (at most one below the heading before it), not {level}."
                )
            }));
        }
        let key = corrections::clause_key(&outline, &c.id).expect("the clause is in the outline");
        let change = OutlineChange::Promote {
            clause: key,
            level,
            number: c.number.clone(),
            title: c.text.trim().to_string(),
        };
        let before = serde_json::json!({ "clause": c });
        let after = self.correct(&doc_id, &outline, change, &c.label, "clause", &c.id, before)?;
        after
            .sections
            .into_iter()
            .find(|s| s.position == c.position)
            .ok_or_else(|| AppError::new(ErrorCode::Internal, "The new heading is missing."))
    }

    /// Makes a heading (`SECTION_ID` or `DOC_ID/SECTION_ID`) a clause where
    /// it stands, with the id an import of its text would give; its
    /// subsections move up a level and its clauses join the heading before
    /// it. Returns the new clause.
    pub fn demote_section(&mut self, section: &str) -> AppResult<Clause> {
        let (doc_id, s) = self.resolve_section(section, None)?;
        let outline = self.store.outline(&doc_id)?;
        let key = corrections::section_key(&outline, &s.id).expect("the heading is in the outline");
        let change = OutlineChange::Demote { section: key };
        let before = serde_json::json!({ "section": s });
        let name = heading_name(&s);
        let after = self.correct(&doc_id, &outline, change, &name, "section", &s.id, before)?;
        after
            .clauses
            .into_iter()
            .find(|c| c.position == s.position)
            .ok_or_else(|| AppError::new(ErrorCode::Internal, "The new clause is missing."))
    }

    /// Moves a clause under another heading of its document (`SECTION_ID`,
    /// `DOC_ID/SECTION_ID` or the heading's title), after that heading's
    /// own clauses. The clause keeps its id and findings. Returns the clause.
    pub fn move_clause(&mut self, clause: &str, section: &str) -> AppResult<Clause> {
        let (doc_id, outline, c) = self.clause_in_outline(clause)?;
        let (_, target) = self.resolve_section(section, Some(&doc_id))?;
        if c.section_id.as_deref() == Some(target.id.as_str()) {
            return Err(invalid(format!(
                "“{}” is already under “{}”.",
                c.label,
                heading_name(&target)
            )));
        }
        let change = OutlineChange::Move {
            clause: corrections::clause_key(&outline, &c.id).expect("the clause is in the outline"),
            under: corrections::section_key(&outline, &target.id)
                .expect("the heading is in the outline"),
        };
        let before = serde_json::json!({ "clause": c, "under": target.id });
        let after = self.correct(&doc_id, &outline, change, &c.label, "clause", &c.id, before)?;
        after
            .clauses
            .into_iter()
            .find(|x| x.id == c.id)
            .ok_or_else(|| AppError::new(ErrorCode::Internal, "The moved clause is missing."))
    }

    /// Gives a clause another number (`4.3`, `3 §`, `b)`); its label follows.
    /// Returns the clause.
    pub fn renumber_clause(&mut self, clause: &str, number: &str) -> AppResult<Clause> {
        let number = number.trim();
        if number.is_empty() {
            return Err(invalid(
                "Give the clause's new number, for example 4.3, 3 § or b).",
            ));
        }
        if number.chars().count() > MAX_NUMBER || number.chars().any(char::is_control) {
            return Err(invalid(format!(
                "A clause number is at most {MAX_NUMBER} characters on one line, such as 4.3, 3 § or b)."
            )));
        }
        let (doc_id, outline, c) = self.clause_in_outline(clause)?;
        if c.number == number {
            return Err(invalid(format!(
                "“{}” is already numbered {number}.",
                c.label
            )));
        }
        let change = OutlineChange::Renumber {
            clause: corrections::clause_key(&outline, &c.id).expect("the clause is in the outline"),
            from: c.number.clone(),
            to: number.to_string(),
        };
        let before = serde_json::json!({ "clause": c });
        let after = self.correct(&doc_id, &outline, change, &c.label, "clause", &c.id, before)?;
        after
            .clauses
            .into_iter()
            .find(|x| x.id == c.id)
            .ok_or_else(|| AppError::new(ErrorCode::Internal, "The renumbered clause is missing."))
    }

    /// Makes one correction on `outline` (the document's, as stored) and
    /// stores it with the rows it changes, in one transaction; remembers it
    /// for undo. Returns the corrected outline.
    #[allow(clippy::too_many_arguments)]
    fn correct(
        &mut self,
        doc_id: &str,
        outline: &Outline,
        change: OutlineChange,
        label: &str,
        entity: &'static str,
        entity_id: &str,
        before: serde_json::Value,
    ) -> AppResult<Outline> {
        let lineage = self.store.lineage(doc_id)?;
        let protected = HashSet::new();
        let done = corrections::apply(
            outline,
            std::slice::from_ref(&change),
            &Context {
                lineage: &lineage,
                protected: &protected,
            },
        );
        if let Some((_, skip)) = done.not_applicable.first() {
            return Err(invalid(format!(
                "The outline was not changed: {}.",
                skip.sentence()
            )));
        }
        let diff = OutlineDiff::between(outline, &done.outline);
        let removed: HashSet<&str> = diff.clauses_removed.iter().map(|c| c.id.as_str()).collect();
        let suggestions: Vec<Suggestion> = self
            .store
            .suggestions(doc_id)?
            .into_iter()
            .filter(|s| removed.contains(s.clause_id.as_str()))
            .collect();
        let stamp = self.stamp();
        let correction = OutlineCorrection {
            id: format!("oc-{}", uuid::Uuid::new_v4().simple()),
            document_id: doc_id.to_string(),
            change,
            label: label.to_string(),
            made_by: stamp.actor.clone(),
            made_at: stamp.at.clone(),
            carried_from: None,
        };
        let action = format!("outline.{}", correction.change.kind());
        self.store.correct_outline(
            &stamp,
            doc_id,
            &OutlineWrite {
                action: &action,
                entity,
                entity_id,
                before: Some(serde_json::json!({
                    "was": before,
                    "suggestions": suggestions.iter().map(|s| &s.id).collect::<Vec<_>>(),
                })),
                after: Some(serde_json::json!({ "correction": correction })),
                diff: &diff,
                record: Some(&correction),
                forget: None,
                suggestions: &[],
            },
        )?;
        self.record(Edit::OutlineCorrected {
            document_id: doc_id.to_string(),
            entity,
            entity_id: entity_id.to_string(),
            diff,
            correction,
            suggestions,
        });
        Ok(done.outline)
    }

    /// Undoes (`back`) or redoes a correction: the rows back as they were
    /// (with the suggestions of a promoted clause) and the correction
    /// forgotten, or made again.
    pub(crate) fn redo_correction(&mut self, back: bool, edit: &Edit) -> AppResult<()> {
        let Edit::OutlineCorrected {
            document_id,
            entity,
            entity_id,
            diff,
            correction,
            suggestions,
        } = edit
        else {
            return Err(AppError::new(
                ErrorCode::Internal,
                "Not a correction of the outline.",
            ));
        };
        let stamp = self.stamp();
        let action = format!("outline.{}", correction.change.kind());
        let inverse;
        let w = if back {
            inverse = diff.inverse();
            OutlineWrite {
                action: "outline.undo",
                entity,
                entity_id,
                before: Some(serde_json::json!({ "correction": correction })),
                after: Some(serde_json::json!({ "undone": action })),
                diff: &inverse,
                record: None,
                forget: Some(&correction.id),
                suggestions,
            }
        } else {
            OutlineWrite {
                action: &action,
                entity,
                entity_id,
                before: None,
                after: Some(serde_json::json!({ "correction": correction, "redo": true })),
                diff,
                record: Some(correction),
                forget: None,
                suggestions: &[],
            }
        };
        Ok(self.store.correct_outline(&stamp, document_id, &w)?)
    }

    /// Makes the corrections kept for `previous` on `outline`, the outline
    /// of the document `doc_id` (a new version of it) whose ids start with
    /// `lineage`. Clauses in `protected` (they have findings) stay clauses.
    /// Corrections are found by text, not by place: the ones whose text the
    /// new version no longer has are returned as skipped.
    pub(crate) fn reapply_corrections(
        &self,
        previous: &str,
        outline: &Outline,
        doc_id: &str,
        lineage: &str,
        protected: &HashSet<String>,
    ) -> AppResult<Reapplied> {
        let stored = self.store.outline_corrections(previous)?;
        let changes: Vec<OutlineChange> = stored.iter().map(|c| c.change.clone()).collect();
        let done = corrections::apply(outline, &changes, &Context { lineage, protected });
        let kept = done
            .applied
            .iter()
            .map(|&i| OutlineCorrection {
                id: format!("oc-{}", uuid::Uuid::new_v4().simple()),
                document_id: doc_id.to_string(),
                carried_from: Some(stored[i].id.clone()),
                ..stored[i].clone()
            })
            .collect();
        let skipped = done
            .not_applicable
            .iter()
            .map(|(i, skip)| SkippedCorrection {
                message: format!(
                    "The correction of “{}” ({}) was not made again: {}.",
                    stored[*i].label,
                    corrections::describe(&stored[*i].change),
                    skip.sentence()
                ),
                correction: stored[*i].clone(),
                reason: skip.reason,
                number_now: skip.number_now.clone(),
            })
            .collect();
        Ok(Reapplied {
            outline: done.outline,
            kept,
            skipped,
        })
    }
}
