//! Versions of a document (schema 3): the link from a new version to the one
//! it replaces, and the carry-over of the previous version's findings and
//! suggestion decisions. A new version is stored in one transaction with one
//! audit event: either all of it is there, or none of it.

use kryphal_domain::{
    CarryOver, CarryState, Document, Finding, Outline, OutlineCorrection, Suggestion, VersionLink,
};
use rusqlite::{OptionalExtension, params};

use crate::outline::{OutlineDiff, apply_diff, delete_corrections, insert_corrections};
use crate::{Audit, Result, Stamp, Store, StoreError, insert_document_rows, insert_finding_row};

/// The rows of a document that is stored together with its version link.
pub struct NewDocument<'a> {
    pub document: &'a Document,
    pub lineage: &'a str,
    pub source_bytes: &'a [u8],
    pub outline: &'a Outline,
    /// Its suggestions from screening, with carried-over decisions applied.
    pub suggestions: &'a [Suggestion],
}

/// Everything a new version adds to the library.
pub struct NewVersion<'a> {
    /// The document itself when it is imported now; `None` when a document
    /// already in the library becomes the new version.
    pub document: Option<NewDocument<'a>>,
    pub link: &'a VersionLink,
    /// The findings carried over, already placed on the new version's clauses.
    pub findings: &'a [Finding],
    /// Suggestions of a document already in the library whose decision was
    /// carried over (replaced whole).
    pub suggestion_updates: &'a [Suggestion],
    /// One per finding of the previous version.
    pub carryovers: &'a [CarryOver],
    /// For a document already in the library: its outline rewritten by the
    /// previous version's corrections (a new document's `outline` is
    /// already corrected).
    pub outline_diff: Option<&'a OutlineDiff>,
    /// The previous version's outline corrections that were made again on
    /// this one, kept as this document's own.
    pub corrections: &'a [OutlineCorrection],
}

/// What [`Store::remove_version`] takes back of a document that was linked
/// as a new version.
pub struct VersionUndo<'a> {
    pub link: &'a VersionLink,
    /// The ids of the findings carried over to it.
    pub findings: &'a [String],
    /// Its suggestions whose decisions were carried over, as they were before.
    pub suggestions_before: &'a [Suggestion],
    /// The inverse of the outline diff the link made (corrections made again).
    pub outline_diff: Option<&'a OutlineDiff>,
    /// The ids of the corrections the link kept for it.
    pub corrections: &'a [String],
    /// Suggestions that went with clauses the corrections made headings.
    pub suggestions_removed: &'a [Suggestion],
}

const CARRY_COLUMNS: &str = "document_id, from_document_id, from_finding_id, from_clause_id, \
     from_label, from_text, finding_id, clause_id, state, resolved_at, resolved_by";

fn row_to_carryover(r: &rusqlite::Row<'_>) -> rusqlite::Result<CarryOver> {
    let state: String = r.get(8)?;
    Ok(CarryOver {
        document_id: r.get(0)?,
        from_document_id: r.get(1)?,
        from_finding_id: r.get(2)?,
        from_clause_id: r.get(3)?,
        from_label: r.get(4)?,
        from_text: r.get(5)?,
        finding_id: r.get(6)?,
        clause_id: r.get(7)?,
        state: CarryState::parse(&state).unwrap_or(CarryState::Rereview),
        resolved_at: r.get(9)?,
        resolved_by: r.get(10)?,
    })
}

/// Inserts carry-over rows (one already there is left as it is).
pub(crate) fn insert_carryovers(tx: &rusqlite::Transaction<'_>, rows: &[CarryOver]) -> Result<()> {
    let mut insert = tx.prepare(&format!(
        "INSERT INTO carryovers ({CARRY_COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT DO NOTHING"
    ))?;
    for c in rows {
        insert.execute(params![
            c.document_id,
            c.from_document_id,
            c.from_finding_id,
            c.from_clause_id,
            c.from_label,
            c.from_text,
            c.finding_id,
            c.clause_id,
            c.state.as_str(),
            c.resolved_at,
            c.resolved_by,
        ])?;
    }
    Ok(())
}

/// Inserts a document's version link.
pub(crate) fn insert_link(tx: &rusqlite::Transaction<'_>, link: &VersionLink) -> Result<()> {
    tx.execute(
        "INSERT INTO document_versions (document_id, family_id, previous_id, number)
         VALUES (?1, ?2, ?3, ?4)",
        params![
            link.document_id,
            link.family_id,
            link.previous_id,
            link.number
        ],
    )?;
    Ok(())
}

fn row_to_link(r: &rusqlite::Row<'_>) -> rusqlite::Result<VersionLink> {
    Ok(VersionLink {
        document_id: r.get(0)?,
        family_id: r.get(1)?,
        previous_id: r.get(2)?,
        number: r.get(3)?,
    })
}

impl Store {
    /// Stores a new version: its document (when new), the link to the
    /// version it replaces, the carried-over findings and suggestion
    /// decisions and one carry-over row per finding of the previous version,
    /// in one transaction with one audit event.
    pub fn insert_version(&mut self, stamp: &Stamp, v: &NewVersion<'_>) -> Result<()> {
        let count = |state: CarryState| v.carryovers.iter().filter(|c| c.state == state).count();
        let after = serde_json::json!({
            "previous_id": v.link.previous_id,
            "family_id": v.link.family_id,
            "number": v.link.number,
            "imported": v.document.is_some(),
            "carried": count(CarryState::Carried),
            "rereview": count(CarryState::Rereview),
            "orphaned": count(CarryState::Orphaned),
            "implemented": count(CarryState::Implemented),
            "outline_corrections": v.corrections.iter().map(|c| &c.id).collect::<Vec<_>>(),
        });
        let doc_id = v.link.document_id.as_str();
        self.write(
            stamp,
            Audit {
                action: "document.new_version",
                entity: "document",
                entity_id: doc_id,
                document_id: Some(doc_id),
                before: None,
                after: Some(after),
            },
            |tx| {
                if let Some(d) = &v.document {
                    insert_document_rows(tx, d.document, d.lineage, d.source_bytes, d.outline)?;
                    crate::insert_suggestion_rows(tx, d.suggestions)?;
                }
                if let Some(diff) = v.outline_diff {
                    apply_diff(tx, doc_id, diff)?;
                }
                insert_corrections(tx, v.corrections)?;
                insert_link(tx, v.link)?;
                for f in v.findings {
                    insert_finding_row(tx, f)?;
                }
                for s in v.suggestion_updates {
                    let n = tx.execute(
                        "UPDATE suggestions SET body = ?2 WHERE id = ?1 AND document_id = ?3",
                        params![s.id, serde_json::to_string(s)?, doc_id],
                    )?;
                    if n != 1 {
                        return Err(StoreError::NotFound {
                            what: "Suggestion",
                            id: s.id.clone(),
                        });
                    }
                }
                insert_carryovers(tx, v.carryovers)?;
                Ok(())
            },
        )
    }

    /// Takes back [`Store::insert_version`] for a document that was already
    /// in the library (undo of linking it as a new version): the link, the
    /// carry-over rows and the carried findings (`findings`) go, the
    /// suggestions take their decisions from before (`suggestions_before`),
    /// and the outline corrections made again go (rows back as they were,
    /// suggestions of clauses made headings restored), in one transaction
    /// with one audit event. The document stays.
    pub fn remove_version(&mut self, stamp: &Stamp, u: &VersionUndo<'_>) -> Result<()> {
        let VersionUndo {
            link,
            findings,
            suggestions_before,
            ..
        } = *u;
        let doc_id = link.document_id.as_str();
        if self.version_link(doc_id)?.as_ref() != Some(link) {
            return Err(StoreError::NotFound {
                what: "Version link",
                id: doc_id.to_string(),
            });
        }
        let before = serde_json::json!({
            "previous_id": link.previous_id,
            "family_id": link.family_id,
            "number": link.number,
            "findings": findings,
            "outline_corrections": u.corrections,
        });
        self.write(
            stamp,
            Audit {
                action: "document.unlink_version",
                entity: "document",
                entity_id: doc_id,
                document_id: Some(doc_id),
                before: Some(before),
                after: None,
            },
            |tx| {
                tx.execute("DELETE FROM carryovers WHERE document_id = ?1", [doc_id])?;
                for id in findings {
                    tx.execute(
                        "DELETE FROM findings WHERE id = ?1 AND document_id = ?2",
                        params![id, doc_id],
                    )?;
                }
                for s in suggestions_before {
                    tx.execute(
                        "UPDATE suggestions SET body = ?2 WHERE id = ?1 AND document_id = ?3",
                        params![s.id, serde_json::to_string(s)?, doc_id],
                    )?;
                }
                if let Some(diff) = u.outline_diff {
                    apply_diff(tx, doc_id, diff)?;
                }
                crate::insert_suggestion_rows(tx, u.suggestions_removed)?;
                delete_corrections(tx, doc_id, u.corrections)?;
                tx.execute(
                    "DELETE FROM document_versions WHERE document_id = ?1",
                    [doc_id],
                )?;
                Ok(())
            },
        )
    }

    /// A document's version link, when it was stored as a new version.
    pub fn version_link(&self, doc_id: &str) -> Result<Option<VersionLink>> {
        Ok(self
            .conn
            .query_row(
                "SELECT document_id, family_id, previous_id, number FROM document_versions
                 WHERE document_id = ?1",
                [doc_id],
                row_to_link,
            )
            .optional()?)
    }

    /// Every version link in the library.
    pub fn version_links(&self) -> Result<Vec<VersionLink>> {
        let mut stmt = self.conn.prepare(
            "SELECT document_id, family_id, previous_id, number FROM document_versions
             ORDER BY family_id, number",
        )?;
        let rows = stmt
            .query_map([], row_to_link)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The documents stored as the next version of `doc_id`.
    pub fn next_versions(&self, doc_id: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT document_id FROM document_versions WHERE previous_id = ?1 ORDER BY number",
        )?;
        let rows = stmt
            .query_map([doc_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(rows)
    }

    /// What became of the previous version's findings in `doc_id`, in the
    /// order of the previous version's clauses.
    pub fn carryovers(&self, doc_id: &str) -> Result<Vec<CarryOver>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM carryovers co
             LEFT JOIN clauses c ON c.document_id = co.from_document_id AND c.id = co.from_clause_id
             WHERE co.document_id = ?1 ORDER BY c.position, co.from_finding_id",
            CARRY_COLUMNS
                .split(',')
                .map(|c| format!("co.{}", c.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
        let rows = stmt
            .query_map([doc_id], row_to_carryover)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Records that a carried-over finding was reviewed again (or, with
    /// `resolved` false, puts it back on the list).
    pub fn resolve_carryover(
        &mut self,
        stamp: &Stamp,
        doc_id: &str,
        from_finding_id: &str,
        resolved: bool,
    ) -> Result<CarryOver> {
        let before = self
            .carryovers(doc_id)?
            .into_iter()
            .find(|c| c.from_finding_id == from_finding_id)
            .ok_or_else(|| StoreError::NotFound {
                what: "Carried-over finding",
                id: from_finding_id.to_string(),
            })?;
        let mut after = before.clone();
        if resolved {
            after.resolved_at = Some(stamp.at.clone());
            after.resolved_by = Some(stamp.actor.clone());
        } else {
            after.resolved_at = None;
            after.resolved_by = None;
        }
        self.write(
            stamp,
            Audit {
                action: if resolved {
                    "carryover.resolve"
                } else {
                    "carryover.reopen"
                },
                entity: "finding",
                entity_id: before.finding_id.as_deref().unwrap_or(from_finding_id),
                document_id: Some(doc_id),
                before: Some(serde_json::to_value(&before)?),
                after: Some(serde_json::to_value(&after)?),
            },
            |tx| {
                tx.execute(
                    "UPDATE carryovers SET resolved_at = ?3, resolved_by = ?4
                     WHERE document_id = ?1 AND from_finding_id = ?2",
                    params![
                        doc_id,
                        from_finding_id,
                        after.resolved_at,
                        after.resolved_by
                    ],
                )?;
                Ok(())
            },
        )?;
        Ok(after)
    }
}
