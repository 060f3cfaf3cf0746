//! Verdicts on clauses and the final mark of a document (schema 9). A
//! verdict set by hand is one row per clause; each change is audited as a
//! `clause.verdict` event on the clause, and a batch of them (a whole
//! section) goes in one transaction. Suggestions that go with a clause
//! becoming *not a rule* (and come back when it stops being one) are stored
//! in the same transaction.

use kryphal_domain::{FinalMark, RulebookRef, StoredVerdict, Suggestion, Verdict};
use rusqlite::{OptionalExtension, params};

use crate::{Result, Stamp, Store, StoreError, insert_audit, insert_suggestion_rows};

/// One clause's verdict before and after a change (`None`: no verdict set by hand).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictChange {
    pub clause_id: String,
    pub before: Option<StoredVerdict>,
    pub after: Option<StoredVerdict>,
}

impl VerdictChange {
    /// The change that takes this one back.
    pub fn inverse(&self) -> VerdictChange {
        VerdictChange {
            clause_id: self.clause_id.clone(),
            before: self.after.clone(),
            after: self.before.clone(),
        }
    }
}

fn verdict_from(s: &str) -> rusqlite::Result<Verdict> {
    Verdict::parse(s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown verdict {s}").into(),
        )
    })
}

impl Store {
    /// The verdicts set by hand on a document's clauses.
    pub fn verdicts(&self, doc_id: &str) -> Result<Vec<StoredVerdict>> {
        let mut stmt = self.conn.prepare(
            "SELECT v.clause_id, v.verdict, v.by, v.at FROM clause_verdicts v
             JOIN clauses c ON c.document_id = v.document_id AND c.id = v.clause_id
             WHERE v.document_id = ?1 ORDER BY c.position",
        )?;
        let rows = stmt
            .query_map([doc_id], |r| {
                Ok(StoredVerdict {
                    clause_id: r.get(0)?,
                    verdict: verdict_from(&r.get::<_, String>(1)?)?,
                    by: r.get(2)?,
                    at: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Writes verdict changes, removes the suggestions in `removed` and
    /// stores those in `added`, in one transaction with one audit event per
    /// clause. A change whose clause no longer has its `before` verdict
    /// (changed meanwhile by another program) refuses the whole batch.
    pub fn set_verdicts(
        &mut self,
        stamp: &Stamp,
        doc_id: &str,
        changes: &[VerdictChange],
        removed: &[Suggestion],
        added: &[Suggestion],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        for change in changes {
            let now: Option<String> = tx
                .query_row(
                    "SELECT verdict FROM clause_verdicts WHERE document_id = ?1 AND clause_id = ?2",
                    params![doc_id, change.clause_id],
                    |r| r.get(0),
                )
                .optional()?;
            if now.as_deref() != change.before.as_ref().map(|v| v.verdict.as_str()) {
                return Err(StoreError::Stale {
                    what: "The verdict of clause",
                    id: change.clause_id.clone(),
                });
            }
            tx.execute(
                "DELETE FROM clause_verdicts WHERE document_id = ?1 AND clause_id = ?2",
                params![doc_id, change.clause_id],
            )?;
            if let Some(v) = &change.after {
                tx.execute(
                    "INSERT INTO clause_verdicts (document_id, clause_id, verdict, by, at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![doc_id, v.clause_id, v.verdict.as_str(), v.by, v.at],
                )?;
            }
            let gone: Vec<&str> = removed
                .iter()
                .filter(|s| s.clause_id == change.clause_id)
                .map(|s| s.id.as_str())
                .collect();
            let back: Vec<&str> = added
                .iter()
                .filter(|s| s.clause_id == change.clause_id)
                .map(|s| s.id.as_str())
                .collect();
            let mut after = serde_json::json!({
                "verdict": change.after.as_ref().map(|v| v.verdict.as_str()),
            });
            if !gone.is_empty() {
                after["suggestions_removed"] = serde_json::json!(gone);
            }
            if !back.is_empty() {
                after["suggestions_added"] = serde_json::json!(back);
            }
            insert_audit(
                &tx,
                stamp,
                crate::Audit {
                    action: "clause.verdict",
                    entity: "clause",
                    entity_id: &change.clause_id,
                    document_id: Some(doc_id),
                    before: Some(serde_json::json!({
                        "verdict": change.before.as_ref().map(|v| v.verdict.as_str()),
                    })),
                    after: None,
                },
                Some(after),
            )?;
        }
        for s in removed {
            tx.execute("DELETE FROM suggestions WHERE id = ?1", [&s.id])?;
        }
        insert_suggestion_rows(&tx, added)?;
        tx.commit()?;
        Ok(())
    }

    /// The final mark of a document, if its review was marked final.
    pub fn final_mark(&self, doc_id: &str) -> Result<Option<FinalMark>> {
        Ok(self
            .conn
            .query_row(
                "SELECT by, at, rulebook_id, rulebook_version FROM document_final WHERE document_id = ?1",
                [doc_id],
                |r| {
                    Ok(FinalMark {
                        document_id: doc_id.to_string(),
                        by: r.get(0)?,
                        at: r.get(1)?,
                        rulebook: RulebookRef {
                            id: r.get(2)?,
                            version: r.get(3)?,
                        },
                    })
                },
            )
            .optional()?)
    }

    /// Marks a document's review final (`Some`) or takes the mark away
    /// (`None`), audited as `document.final` or `document.reopen`.
    pub fn set_final(
        &mut self,
        stamp: &Stamp,
        doc_id: &str,
        mark: Option<&FinalMark>,
    ) -> Result<()> {
        let before = self.final_mark(doc_id)?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM document_final WHERE document_id = ?1",
            [doc_id],
        )?;
        if let Some(m) = mark {
            tx.execute(
                "INSERT INTO document_final (document_id, by, at, rulebook_id, rulebook_version)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![doc_id, m.by, m.at, m.rulebook.id, m.rulebook.version],
            )?;
        }
        insert_audit(
            &tx,
            stamp,
            crate::Audit {
                action: if mark.is_some() {
                    "document.final"
                } else {
                    "document.reopen"
                },
                entity: "document",
                entity_id: doc_id,
                document_id: Some(doc_id),
                before: before.map(serde_json::to_value).transpose()?,
                after: None,
            },
            mark.map(serde_json::to_value).transpose()?,
        )?;
        tx.commit()?;
        Ok(())
    }
}
