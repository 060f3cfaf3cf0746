//! What came back from a review in Word (schema 7): a reviewed file's
//! outcomes stored as one change ([`Store::apply_review`]) — the findings'
//! new answers and comments, the reviewer's decisions, the new notes on
//! clauses — in one transaction, each change with its audit event, and
//! taken back the same way ([`Store::unapply_review`], for undo).

use kryphal_domain::{ClauseNote, Finding, ReviewDecision, ReviewOutcome};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::{Audit, Result, Stamp, Store, StoreError, insert_audit};

/// One reviewed file's changes to a document.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewChange {
    pub document_id: String,
    /// The reviewed file's name.
    pub source: String,
    /// The reviewed file's SHA-256.
    pub source_sha256: String,
    /// Each changed finding as it was, and as it becomes (answers, comments,
    /// who changed it last and when).
    pub findings: Vec<(Finding, Finding)>,
    pub decisions: Vec<ReviewDecision>,
    pub notes: Vec<ClauseNote>,
}

fn put_finding(tx: &Transaction<'_>, f: &Finding) -> Result<()> {
    let n = tx.execute(
        "UPDATE findings SET body = ?2, comments = ?3, status = ?4, updated_at = ?5, updated_by = ?6
         WHERE id = ?1",
        params![
            f.id,
            serde_json::to_string(&f.input)?,
            serde_json::to_string(&f.comments)?,
            f.input.status.as_str(),
            f.updated_at,
            f.updated_by,
        ],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound {
            what: "Finding",
            id: f.id.clone(),
        });
    }
    Ok(())
}

impl Store {
    /// Stores a reviewed file's changes in one transaction: every finding's
    /// new state (audited `finding.review` with before and after), every
    /// decision, every note (`clause.note`), and the import itself
    /// (`document.review_import`, with the file's name and the counts).
    /// Nothing is stored unless all of it is.
    pub fn apply_review(&mut self, stamp: &Stamp, change: &ReviewChange) -> Result<()> {
        let tx = self.conn.transaction()?;
        let doc = Some(change.document_id.as_str());
        for (before, after) in &change.findings {
            put_finding(&tx, after)?;
            let decision = change
                .decisions
                .iter()
                .find(|d| d.finding_id == after.id)
                .map(|d| d.outcome.as_str());
            let added: Vec<_> = after.comments.iter().skip(before.comments.len()).collect();
            insert_audit(
                &tx,
                stamp,
                Audit {
                    action: "finding.review",
                    entity: "finding",
                    entity_id: &after.id,
                    document_id: doc,
                    before: Some(serde_json::to_value(&before.input)?),
                    after: None,
                },
                Some(serde_json::json!({
                    "value": after.input,
                    "outcome": decision,
                    "comments": added,
                    "source": change.source,
                })),
            )?;
        }
        for d in &change.decisions {
            tx.execute(
                "INSERT INTO review_decisions (finding_id, document_id, outcome, decided_by, decided_at,
                    proposal_before, proposal_after, source, source_sha256, imported_at, imported_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (finding_id, source_sha256) DO UPDATE SET
                    outcome = excluded.outcome, decided_by = excluded.decided_by,
                    decided_at = excluded.decided_at, proposal_before = excluded.proposal_before,
                    proposal_after = excluded.proposal_after, source = excluded.source,
                    imported_at = excluded.imported_at, imported_by = excluded.imported_by",
                params![
                    d.finding_id,
                    d.document_id,
                    d.outcome.as_str(),
                    d.decided_by,
                    d.decided_at,
                    d.proposal_before,
                    d.proposal_after,
                    d.source,
                    d.source_sha256,
                    d.imported_at,
                    d.imported_by,
                ],
            )?;
        }
        for n in &change.notes {
            tx.execute(
                "INSERT INTO clause_notes (id, document_id, clause_id, author, at, text, context, source)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    n.id,
                    n.document_id,
                    n.clause_id,
                    n.author,
                    n.at,
                    n.text,
                    n.context,
                    n.source
                ],
            )?;
            insert_audit(
                &tx,
                stamp,
                Audit {
                    action: "clause.note",
                    entity: "clause",
                    entity_id: n.clause_id.as_deref().unwrap_or(&n.document_id),
                    document_id: doc,
                    before: None,
                    after: None,
                },
                Some(serde_json::to_value(n)?),
            )?;
        }
        insert_audit(
            &tx,
            stamp,
            Audit {
                action: "document.review_import",
                entity: "document",
                entity_id: &change.document_id,
                document_id: doc,
                before: None,
                after: None,
            },
            Some(serde_json::json!({
                "source": change.source,
                "sha256": change.source_sha256,
                "findings": change.findings.len(),
                "decisions": change.decisions.len(),
                "notes": change.notes.len(),
            })),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Takes a stored review back in one transaction (undo): the findings
    /// as they were, its decisions and notes removed; audited
    /// `finding.review_undo`, `clause.unnote` and `document.review_undo`.
    pub fn unapply_review(&mut self, stamp: &Stamp, change: &ReviewChange) -> Result<()> {
        let tx = self.conn.transaction()?;
        let doc = Some(change.document_id.as_str());
        for (before, after) in &change.findings {
            put_finding(&tx, before)?;
            insert_audit(
                &tx,
                stamp,
                Audit {
                    action: "finding.review_undo",
                    entity: "finding",
                    entity_id: &before.id,
                    document_id: doc,
                    before: Some(serde_json::to_value(&after.input)?),
                    after: None,
                },
                Some(serde_json::to_value(&before.input)?),
            )?;
        }
        for d in &change.decisions {
            tx.execute(
                "DELETE FROM review_decisions WHERE finding_id = ?1 AND source_sha256 = ?2 AND imported_at = ?3",
                params![d.finding_id, d.source_sha256, d.imported_at],
            )?;
        }
        for n in &change.notes {
            tx.execute("DELETE FROM clause_notes WHERE id = ?1", [&n.id])?;
            insert_audit(
                &tx,
                stamp,
                Audit {
                    action: "clause.unnote",
                    entity: "clause",
                    entity_id: n.clause_id.as_deref().unwrap_or(&n.document_id),
                    document_id: doc,
                    before: Some(serde_json::to_value(n)?),
                    after: None,
                },
                None,
            )?;
        }
        insert_audit(
            &tx,
            stamp,
            Audit {
                action: "document.review_undo",
                entity: "document",
                entity_id: &change.document_id,
                document_id: doc,
                before: None,
                after: None,
            },
            Some(serde_json::json!({ "source": change.source })),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The reviewers' decisions on a document's findings, oldest first.
    pub fn review_decisions(&self, doc_id: &str) -> Result<Vec<ReviewDecision>> {
        let mut stmt = self.conn.prepare(
            "SELECT finding_id, document_id, outcome, decided_by, decided_at, proposal_before,
                    proposal_after, source, source_sha256, imported_at, imported_by
             FROM review_decisions WHERE document_id = ?1 ORDER BY imported_at, rowid",
        )?;
        let rows = stmt
            .query_map([doc_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    [
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, String>(8)?,
                        r.get::<_, String>(9)?,
                        r.get::<_, String>(10)?,
                    ],
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .filter_map(|(finding_id, document_id, outcome, rest)| {
                let [
                    decided_by,
                    decided_at,
                    proposal_before,
                    proposal_after,
                    source,
                    source_sha256,
                    imported_at,
                    imported_by,
                ] = rest;
                Some(ReviewDecision {
                    finding_id,
                    document_id,
                    outcome: ReviewOutcome::parse(&outcome)?,
                    decided_by,
                    decided_at,
                    proposal_before,
                    proposal_after,
                    source,
                    source_sha256,
                    imported_at,
                    imported_by,
                })
            })
            .collect())
    }

    /// Whether the decision of `finding_id` from the file `sha256` is stored.
    pub fn has_review_decision(&self, finding_id: &str, sha256: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM review_decisions WHERE finding_id = ?1 AND source_sha256 = ?2",
                [finding_id, sha256],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// A document's notes, in the order they were made.
    pub fn clause_notes(&self, doc_id: &str) -> Result<Vec<ClauseNote>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, document_id, clause_id, author, at, text, context, source
             FROM clause_notes WHERE document_id = ?1 ORDER BY at, rowid",
        )?;
        let rows = stmt
            .query_map([doc_id], |r| {
                Ok(ClauseNote {
                    id: r.get(0)?,
                    document_id: r.get(1)?,
                    clause_id: r.get(2)?,
                    author: r.get(3)?,
                    at: r.get(4)?,
                    text: r.get(5)?,
                    context: r.get(6)?,
                    source: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
