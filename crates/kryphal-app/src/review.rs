//! Reading a reviewed Word file back into the library: the app's side of
//! `kryphal_export::read_review`.
//!
//! [`Library::review_preview`] reads the file and plans every change
//! without storing anything; [`Library::import_review`] stores the same
//! plan as one change (one transaction, audited, one undo step). Per
//! finding: an accepted change makes it agreed, a rejected one rejected, an
//! edited proposal becomes its proposal (marked as changed by the reviewer)
//! and makes it reviewed; each outcome is kept as a [`ReviewDecision`] with
//! who decided and when. Replies to its comment become its comments (with
//! their authors and times; one already there is not added again); other
//! new comments become [`ClauseNote`]s. Nothing is guessed: a finding
//! deleted since, one whose proposal or clause changed in Kryphål since the
//! export, or one whose clause the file no longer has, is reported and
//! left as it is.

use std::path::Path;

use kryphal_domain::{ClauseNote, Comment, Finding, FindingStatus, ReviewDecision, ReviewOutcome};
use kryphal_export::{Outcome, ReviewReading};
use kryphal_store::ReviewChange;
use serde::Serialize;
use ts_rs::TS;

use crate::export::export_error;
use crate::undo::Edit;
use crate::{AppError, AppResult, ErrorCode, Library, now, sha256_hex};

/// What a reviewed file says about one finding, and what importing it does.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ReviewItem {
    pub finding_id: String,
    pub clause_id: String,
    /// The clause's label (`Ekonomi och ledning › p. 4.5`).
    pub clause_label: String,
    /// `accepted`, `rejected`, `edited`, `pending` (the change is still
    /// there), `commented` (the finding had no tracked change) or
    /// `not_found`.
    pub outcome: String,
    pub status_before: FindingStatus,
    pub status_after: FindingStatus,
    pub proposal_before: String,
    pub proposal_after: String,
    /// Who decided (accepted, rejected, edited), when known.
    pub decided_by: String,
    /// Replies that become the finding's comments (those already there left out).
    pub replies: Vec<Comment>,
    /// Why the outcome is not stored: `finding_deleted`,
    /// `changed_since_export` (its proposal was changed in Kryphål after the
    /// export), `clause_changed` (its clause was split, merged or moved),
    /// `not_found` (the file no longer has the clause). `None`: stored.
    pub skipped: Option<String>,
    /// Importing changes nothing (the same file was read before).
    pub unchanged: bool,
}

/// A new comment that becomes a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReviewNote {
    /// The clause it is on; `None`: on the document.
    pub clause_id: Option<String>,
    pub clause_label: Option<String>,
    pub author: String,
    pub at: String,
    pub text: String,
    /// The commented text.
    pub context: String,
    /// The same note is in the library already (the file was read before).
    pub duplicate: bool,
}

/// Something the file could not tell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReviewProblem {
    /// `clause_not_found`, `ambiguous_reply`, `finding_deleted`,
    /// `changed_since_export`, `clause_changed`.
    pub code: String,
    pub clause_id: Option<String>,
    pub clause_label: Option<String>,
    pub finding_id: Option<String>,
    /// One sentence (English; the UI words it by `code`).
    pub message: String,
}

/// How many of each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct ReviewCounts {
    pub accepted: u32,
    pub rejected: u32,
    pub edited: u32,
    pub pending: u32,
    pub commented: u32,
    pub not_found: u32,
    /// Replies added as comments.
    pub replies: u32,
    /// Notes added.
    pub notes: u32,
    /// Findings whose outcome is reported but not stored.
    pub skipped: u32,
    /// Findings changed by the import.
    pub changed: u32,
}

/// A reviewed file read against the library: what importing it does (or did).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ReviewPreview {
    pub document_id: String,
    pub title: String,
    pub file_name: String,
    pub file_sha256: String,
    /// The file's last author, when it says.
    pub reviewed_by: String,
    /// When it was saved last, when it says.
    pub reviewed_at: String,
    pub items: Vec<ReviewItem>,
    pub notes: Vec<ReviewNote>,
    pub problems: Vec<ReviewProblem>,
    pub counts: ReviewCounts,
    /// Whether importing changes anything.
    pub will_change: bool,
    /// Whether it was stored (false for a preview or a dry run).
    pub stored: bool,
}

fn problem(code: &str, item: &ReviewItem, message: String) -> ReviewProblem {
    ReviewProblem {
        code: code.to_string(),
        clause_id: Some(item.clause_id.clone()),
        clause_label: Some(item.clause_label.clone()),
        finding_id: Some(item.finding_id.clone()),
        message,
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Library {
    /// Reads a reviewed file and plans the import, storing nothing.
    pub fn review_preview(&self, name: &str, bytes: &[u8]) -> AppResult<ReviewPreview> {
        Ok(self.review_plan(name, bytes)?.0)
    }

    /// Reads a reviewed file and stores what it says as one change (audited,
    /// undoable as one step); with `dry_run`, only plans it. Returns the plan
    /// with `stored` telling which.
    pub fn import_review(
        &mut self,
        name: &str,
        bytes: &[u8],
        dry_run: bool,
    ) -> AppResult<ReviewPreview> {
        let (mut preview, change) = self.review_plan(name, bytes)?;
        if dry_run || !preview.will_change {
            return Ok(preview);
        }
        let stamp = self.stamp();
        self.store.apply_review(&stamp, &change)?;
        self.record(Edit::ReviewImported(change));
        preview.stored = true;
        Ok(preview)
    }

    /// [`Library::import_review`] of the file at `path`.
    pub fn import_review_file(&mut self, path: &Path, dry_run: bool) -> AppResult<ReviewPreview> {
        let (name, bytes) = self.read_import_file(path)?;
        self.import_review(&name, &bytes, dry_run)
    }

    /// The notes on a document's clauses (from reviewed files), oldest first.
    pub fn clause_notes(&self, reference: &str) -> AppResult<Vec<ClauseNote>> {
        let doc = self.resolve_document(reference)?;
        Ok(self.store.clause_notes(&doc.id)?)
    }

    /// The reviewers' decisions on a document's findings, oldest first.
    pub fn review_decisions(&self, reference: &str) -> AppResult<Vec<ReviewDecision>> {
        let doc = self.resolve_document(reference)?;
        Ok(self.store.review_decisions(&doc.id)?)
    }

    fn review_plan(&self, name: &str, bytes: &[u8]) -> AppResult<(ReviewPreview, ReviewChange)> {
        if bytes.len() as u64 > self.limits.max_bytes {
            return Err(AppError::new(
                ErrorCode::UnsafeFile,
                format!(
                    "{name} is {} bytes, more than the {} bytes a reviewed document may have; nothing was imported.",
                    bytes.len(),
                    self.limits.max_bytes
                ),
            ));
        }
        let reading: ReviewReading = kryphal_export::read_review(bytes).map_err(export_error)?;
        let manifest = &reading.manifest;
        let doc = self.store.document(&manifest.document_id).map_err(|_| {
            AppError::new(
                ErrorCode::NotReview,
                format!(
                    "{name} is the review of “{}” (document id {}), which is not in this library; nothing was imported.",
                    manifest.title, manifest.document_id
                ),
            )
        })?;
        let outline = self.store.outline(&doc.id)?;
        let label = |clause: &str| {
            outline
                .clauses
                .iter()
                .find(|c| c.id == clause)
                .map(|c| c.label.clone())
        };
        let sha = sha256_hex(bytes);
        let at = now();
        let file_at = if reading.modified_at.is_empty() {
            at.clone()
        } else {
            reading.modified_at.clone()
        };
        let file_by = if reading.modified_by.trim().is_empty() {
            self.user.clone()
        } else {
            reading.modified_by.trim().to_string()
        };

        let mut items = Vec::new();
        let mut problems = Vec::new();
        let mut counts = ReviewCounts::default();
        let mut change = ReviewChange {
            document_id: doc.id.clone(),
            source: name.to_string(),
            source_sha256: sha.clone(),
            findings: Vec::new(),
            decisions: Vec::new(),
            notes: Vec::new(),
        };
        for fr in &reading.findings {
            let manifest_clause = manifest
                .clauses
                .iter()
                .find(|c| c.findings.iter().any(|f| f.finding_id == fr.finding_id));
            let exported_proposal = manifest_clause
                .and_then(|c| c.findings.iter().find(|f| f.finding_id == fr.finding_id))
                .map(|f| f.proposed.clone())
                .unwrap_or_default();
            let exported_text = manifest_clause
                .and_then(|c| c.text.clone())
                .unwrap_or_default();
            let mut item = ReviewItem {
                finding_id: fr.finding_id.clone(),
                clause_id: fr.clause_id.clone(),
                clause_label: label(&fr.clause_id).unwrap_or_else(|| fr.clause_id.clone()),
                outcome: fr.outcome.as_str().to_string(),
                status_before: FindingStatus::Draft,
                status_after: FindingStatus::Draft,
                proposal_before: exported_proposal.clone(),
                proposal_after: exported_proposal.clone(),
                decided_by: String::new(),
                replies: Vec::new(),
                skipped: None,
                unchanged: false,
            };
            match fr.outcome {
                Outcome::Accepted => counts.accepted += 1,
                Outcome::Rejected => counts.rejected += 1,
                Outcome::Edited => counts.edited += 1,
                Outcome::Pending => counts.pending += 1,
                Outcome::Commented => counts.commented += 1,
                Outcome::NotFound => counts.not_found += 1,
            }
            let current: Option<Finding> = self
                .store
                .finding(&fr.finding_id)
                .ok()
                .filter(|f| f.document_id == doc.id);
            let Some(current) = current else {
                item.skipped = Some("finding_deleted".into());
                problems.push(problem(
                    "finding_deleted",
                    &item,
                    format!(
                        "Finding {} of {} is no longer in the library; what the file says about it is not imported.",
                        item.finding_id, item.clause_label
                    ),
                ));
                counts.skipped += 1;
                items.push(item);
                continue;
            };
            item.status_before = current.input.status;
            item.status_after = current.input.status;
            item.proposal_before = current.input.proposed_wording.clone();
            item.proposal_after = current.input.proposed_wording.clone();
            let mut after = current.clone();
            // Replies: the finding's comments, once.
            for r in &fr.replies {
                let seen = after
                    .comments
                    .iter()
                    .any(|c| c.author == r.author && squash(&c.text) == squash(&r.text));
                if seen || r.text.trim().is_empty() {
                    continue;
                }
                let comment = Comment {
                    author: if r.author.trim().is_empty() {
                        file_by.clone()
                    } else {
                        r.author.clone()
                    },
                    at: if r.at.is_empty() {
                        file_at.clone()
                    } else {
                        r.at.clone()
                    },
                    text: r.text.trim().to_string(),
                };
                item.replies.push(comment.clone());
                after.comments.push(comment);
            }
            // The outcome, unless something changed in Kryphål since the export.
            let decides = matches!(
                fr.outcome,
                Outcome::Accepted | Outcome::Rejected | Outcome::Edited
            );
            let clause_now = outline.clauses.iter().find(|c| c.id == current.clause_id);
            if fr.outcome == Outcome::NotFound {
                item.skipped = Some("not_found".into());
                counts.skipped += 1;
            } else if decides
                && squash(&current.input.proposed_wording) != squash(&exported_proposal)
            {
                item.skipped = Some("changed_since_export".into());
                problems.push(problem(
                    "changed_since_export",
                    &item,
                    format!(
                        "The proposal of finding {} on {} was changed in Kryphål after the review document was exported; the reviewer's answer ({}) is not applied.",
                        item.finding_id,
                        item.clause_label,
                        fr.outcome.as_str()
                    ),
                ));
                counts.skipped += 1;
            } else if decides
                && (current.clause_id != fr.clause_id
                    || clause_now.is_none_or(|c| squash(&c.text) != squash(&exported_text)))
            {
                item.skipped = Some("clause_changed".into());
                problems.push(problem(
                    "clause_changed",
                    &item,
                    format!(
                        "The clause of finding {} ({}) was changed in Kryphål after the review document was exported; the reviewer's answer ({}) is not applied.",
                        item.finding_id,
                        item.clause_label,
                        fr.outcome.as_str()
                    ),
                ));
                counts.skipped += 1;
            } else if decides {
                let (outcome, status) = match fr.outcome {
                    Outcome::Accepted => (ReviewOutcome::Accepted, FindingStatus::Agreed),
                    Outcome::Rejected => (ReviewOutcome::Rejected, FindingStatus::Rejected),
                    _ => (ReviewOutcome::Edited, FindingStatus::Reviewed),
                };
                let decided_by = match (outcome, &fr.reviser) {
                    (ReviewOutcome::Edited, Some(r)) if !r.trim().is_empty() => {
                        r.trim().to_string()
                    }
                    _ => file_by.clone(),
                };
                after.input.status = status;
                if outcome == ReviewOutcome::Edited {
                    after.input.proposed_wording = fr.text.clone();
                }
                item.decided_by = decided_by.clone();
                let known = self.store.has_review_decision(&current.id, &sha)?;
                if !(known && after.input == current.input) {
                    change.decisions.push(ReviewDecision {
                        finding_id: current.id.clone(),
                        document_id: doc.id.clone(),
                        outcome,
                        decided_by,
                        decided_at: file_at.clone(),
                        proposal_before: current.input.proposed_wording.clone(),
                        proposal_after: after.input.proposed_wording.clone(),
                        source: name.to_string(),
                        source_sha256: sha.clone(),
                        imported_at: at.clone(),
                        imported_by: self.user.clone(),
                    });
                }
            }
            item.status_after = after.input.status;
            item.proposal_after = after.input.proposed_wording.clone();
            counts.replies += item.replies.len() as u32;
            let changed = after.input != current.input || after.comments != current.comments;
            item.unchanged =
                !changed && !change.decisions.iter().any(|d| d.finding_id == current.id);
            if changed {
                // An edited proposal is marked as the reviewer's; otherwise
                // the finding was last changed by whoever imported the answer.
                after.updated_at = at.clone();
                after.updated_by =
                    match change.decisions.iter().find(|d| d.finding_id == current.id) {
                        Some(d) if d.outcome == ReviewOutcome::Edited => d.decided_by.clone(),
                        _ => self.user.clone(),
                    };
                counts.changed += 1;
                change.findings.push((current, after));
            }
            items.push(item);
        }
        for p in &reading.problems {
            problems.push(ReviewProblem {
                code: p.code.clone(),
                clause_id: p.clause_id.clone(),
                clause_label: p.clause_id.as_deref().and_then(label),
                finding_id: p.finding_id.clone(),
                message: p.detail.clone(),
            });
        }
        let existing = self.store.clause_notes(&doc.id)?;
        let mut notes = Vec::new();
        for n in &reading.notes {
            let clause_id = n
                .clause_id
                .clone()
                .filter(|c| outline.clauses.iter().any(|x| &x.id == c));
            let duplicate = existing.iter().any(|e| {
                e.clause_id == clause_id
                    && e.author == n.comment.author
                    && squash(&e.text) == squash(&n.comment.text)
            }) || n.comment.text.trim().is_empty();
            let note_at = if n.comment.at.is_empty() {
                file_at.clone()
            } else {
                n.comment.at.clone()
            };
            let author = if n.comment.author.trim().is_empty() {
                file_by.clone()
            } else {
                n.comment.author.clone()
            };
            if !duplicate {
                change.notes.push(ClauseNote {
                    id: format!("n-{}", uuid::Uuid::new_v4().simple()),
                    document_id: doc.id.clone(),
                    clause_id: clause_id.clone(),
                    author: author.clone(),
                    at: note_at.clone(),
                    text: n.comment.text.trim().to_string(),
                    context: n.context.clone(),
                    source: name.to_string(),
                });
                counts.notes += 1;
            }
            notes.push(ReviewNote {
                clause_label: clause_id.as_deref().and_then(label),
                clause_id,
                author,
                at: note_at,
                text: n.comment.text.trim().to_string(),
                context: n.context.clone(),
                duplicate,
            });
        }
        let will_change =
            !change.findings.is_empty() || !change.decisions.is_empty() || !change.notes.is_empty();
        Ok((
            ReviewPreview {
                document_id: doc.id.clone(),
                title: doc.meta.title.clone(),
                file_name: name.to_string(),
                file_sha256: sha,
                reviewed_by: reading.modified_by.clone(),
                reviewed_at: reading.modified_at.clone(),
                items,
                notes,
                problems,
                counts,
                will_change,
                stored: false,
            },
            change,
        ))
    }
}
