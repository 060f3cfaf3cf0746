//! Merging records other than findings (schema 6): a document's metadata
//! and the decisions on screening suggestions. Like findings (schema 4),
//! each keeps the revision last exchanged (`record_sync`), and a change made
//! in both libraries is kept as a conflict (`record_conflicts`) until the
//! user resolves it.

use kryphal_domain::{BundleOrigin, DocumentMeta, RecordConflict, RecordValue, Resolution};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::exchange::Batch;
use crate::{Audit, Result, Stamp, Store, StoreError};

const COLUMNS: &str = "id, document_id, entity_id, label, mine, theirs, origin, created_at, \
     created_by, resolved_at, resolved_by, resolution";

type Row = (RecordConflict, String, String, String, Option<String>);

fn row_to_conflict(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let placeholder = RecordValue::Metadata(DocumentMeta::default());
    Ok((
        RecordConflict {
            id: r.get(0)?,
            document_id: r.get(1)?,
            entity_id: r.get(2)?,
            label: r.get(3)?,
            mine: placeholder.clone(),
            theirs: placeholder,
            origin: BundleOrigin::default(),
            created_at: r.get(7)?,
            created_by: r.get(8)?,
            resolved_at: r.get(9)?,
            resolved_by: r.get(10)?,
            resolution: None,
        },
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(11)?,
    ))
}

fn decode(row: Row) -> Result<RecordConflict> {
    let (mut c, mine, theirs, origin, resolution) = row;
    c.mine = serde_json::from_str(&mine)?;
    c.theirs = serde_json::from_str(&theirs)?;
    c.origin = serde_json::from_str(&origin)?;
    c.resolution = resolution.as_deref().and_then(Resolution::parse);
    Ok(c)
}

fn set_base(tx: &Transaction<'_>, kind: &str, entity_id: &str, base: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO record_sync (kind, entity_id, base) VALUES (?1, ?2, ?3)
         ON CONFLICT (kind, entity_id) DO UPDATE SET base = excluded.base",
        params![kind, entity_id, base],
    )?;
    Ok(())
}

/// Writes `value` in place: the document's metadata or the suggestion's state.
fn write_value(tx: &Transaction<'_>, entity_id: &str, value: &RecordValue) -> Result<()> {
    let changed = match value {
        RecordValue::Metadata(meta) => tx.execute(
            "UPDATE documents SET meta = ?2 WHERE id = ?1",
            params![entity_id, serde_json::to_string(meta)?],
        )?,
        RecordValue::Suggestion(state) => {
            let body: Option<String> = tx
                .query_row(
                    "SELECT body FROM suggestions WHERE id = ?1",
                    [entity_id],
                    |r| r.get(0),
                )
                .optional()?;
            match body {
                Some(body) => {
                    let mut s: kryphal_domain::Suggestion = serde_json::from_str(&body)?;
                    s.state = state.clone();
                    tx.execute(
                        "UPDATE suggestions SET body = ?2 WHERE id = ?1",
                        params![entity_id, serde_json::to_string(&s)?],
                    )?
                }
                None => 0,
            }
        }
    };
    if changed != 1 {
        return Err(StoreError::NotFound {
            what: match value {
                RecordValue::Metadata(_) => "Document",
                RecordValue::Suggestion(_) => "Suggestion",
            },
            id: entity_id.to_string(),
        });
    }
    Ok(())
}

impl Batch<'_> {
    /// Records `base` as the revision of a record (`metadata` of a
    /// document, or a `suggestion`'s decision) last exchanged.
    pub fn set_record_base(&self, kind: &str, entity_id: &str, base: &str) -> Result<()> {
        set_base(self.tx, kind, entity_id, base)
    }

    /// Takes the bundle's metadata of a document changed only there.
    pub fn replace_meta(
        &self,
        doc_id: &str,
        before: &DocumentMeta,
        after: &DocumentMeta,
    ) -> Result<()> {
        write_value(self.tx, doc_id, &RecordValue::Metadata(after.clone()))?;
        self.audit(Audit {
            action: "document.merge_meta",
            entity: "document",
            entity_id: doc_id,
            document_id: Some(doc_id),
            before: Some(serde_json::to_value(before)?),
            after: Some(serde_json::to_value(after)?),
        })
    }

    /// Keeps both versions of a record changed on both sides.
    pub fn insert_record_conflict(&self, c: &RecordConflict, theirs_revision: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO record_conflicts (id, kind, document_id, entity_id, label, mine, theirs,
                theirs_revision, origin, created_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                c.id,
                c.theirs.kind(),
                c.document_id,
                c.entity_id,
                c.label,
                serde_json::to_string(&c.mine)?,
                serde_json::to_string(&c.theirs)?,
                theirs_revision,
                serde_json::to_string(&c.origin)?,
                self.stamp.at,
                self.stamp.actor,
            ],
        )?;
        let (entity, action) = match c.theirs {
            RecordValue::Metadata(_) => ("document", "document.conflict"),
            RecordValue::Suggestion(_) => ("suggestion", "suggestion.conflict"),
        };
        self.audit(Audit {
            action,
            entity,
            entity_id: &c.entity_id,
            document_id: Some(&c.document_id),
            before: Some(serde_json::to_value(&c.mine)?),
            after: Some(serde_json::json!({"conflict": c.id, "theirs": c.theirs})),
        })
    }
}

impl Store {
    /// The revision of a record (`metadata`, `suggestion`) last exchanged, if it ever was.
    pub fn record_base(&self, kind: &str, entity_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT base FROM record_sync WHERE kind = ?1 AND entity_id = ?2",
                params![kind, entity_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Whether an open conflict already keeps this revision of the record.
    pub fn open_record_conflict_with(
        &self,
        kind: &str,
        entity_id: &str,
        revision: &str,
    ) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM record_conflicts WHERE kind = ?1 AND entity_id = ?2
                 AND theirs_revision = ?3 AND resolved_at IS NULL",
                params![kind, entity_id, revision],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// The record conflicts, open ones only unless `all`; oldest first.
    pub fn record_conflicts(&self, all: bool) -> Result<Vec<RecordConflict>> {
        self.conflict_rows("record_conflicts", COLUMNS, all, row_to_conflict, decode)
    }

    /// One record conflict.
    pub fn record_conflict(&self, id: &str) -> Result<RecordConflict> {
        self.conflict_row("record_conflicts", COLUMNS, id, row_to_conflict, decode)
    }

    /// Settles a record conflict: with `Theirs` the bundle's version is
    /// written in place; either way the conflict is marked resolved and the
    /// bundle's revision becomes the merge base, in one transaction with one
    /// audit event.
    pub fn resolve_record_conflict(
        &mut self,
        stamp: &Stamp,
        id: &str,
        resolution: Resolution,
    ) -> Result<RecordConflict> {
        let conflict = self.record_conflict(id)?;
        if conflict.resolved_at.is_some() {
            return Err(StoreError::Closed {
                what: "The conflict",
                id: id.to_string(),
            });
        }
        let theirs_revision: String = self.conn.query_row(
            "SELECT theirs_revision FROM record_conflicts WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        let kind = conflict.theirs.kind();
        let (entity, action) = match conflict.theirs {
            RecordValue::Metadata(_) => ("document", "document.resolve"),
            RecordValue::Suggestion(_) => ("suggestion", "suggestion.resolve"),
        };
        self.write(
            stamp,
            Audit {
                action,
                entity,
                entity_id: &conflict.entity_id,
                document_id: Some(&conflict.document_id),
                before: None,
                after: Some(serde_json::json!({
                    "conflict": id,
                    "resolution": resolution,
                    "value": if resolution == Resolution::Theirs { Some(&conflict.theirs) } else { None },
                    "from": conflict.origin,
                })),
            },
            |tx| {
                if resolution == Resolution::Theirs {
                    write_value(tx, &conflict.entity_id, &conflict.theirs)?;
                }
                tx.execute(
                    "UPDATE record_conflicts SET resolved_at = ?2, resolved_by = ?3, resolution = ?4
                     WHERE id = ?1",
                    params![id, stamp.at, stamp.actor, resolution.as_str()],
                )?;
                set_base(tx, kind, &conflict.entity_id, &theirs_revision)
            },
        )?;
        self.record_conflict(id)
    }
}
