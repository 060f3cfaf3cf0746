//! Removing a document from the library, and putting it back (undo). A
//! removal takes every row that belongs to the document — its outline,
//! findings, suggestions, workshops, version link and carry-overs,
//! corrections, verdicts, final mark, exchange bases and conflicts — in one
//! transaction with one `document.delete` audit event, and returns them as a
//! [`DocumentSnapshot`] that [`Store::restore_document`] writes back as they
//! were. The audit trail keeps the document's history either way.

use rusqlite::params;
use rusqlite::types::Value;

use crate::{Audit, Result, Stamp, Store, StoreError, insert_audit};

/// The tables a document's rows live in, in the order they are written
/// back (parents first), each with the rows that belong to document `?1`.
const TABLES: [(&str, &str); 18] = [
    ("documents", "id = ?1"),
    ("sections", "document_id = ?1"),
    ("clauses", "document_id = ?1"),
    ("findings", "document_id = ?1"),
    ("suggestions", "document_id = ?1"),
    ("workshop_sessions", "document_id = ?1"),
    (
        "workshop_judgements",
        "session_id IN (SELECT id FROM workshop_sessions WHERE document_id = ?1)",
    ),
    (
        "workshop_decisions",
        "session_id IN (SELECT id FROM workshop_sessions WHERE document_id = ?1)",
    ),
    (
        "workshop_notes",
        "session_id IN (SELECT id FROM workshop_sessions WHERE document_id = ?1)",
    ),
    ("document_versions", "document_id = ?1"),
    ("carryovers", "document_id = ?1"),
    ("outline_corrections", "document_id = ?1"),
    ("clause_verdicts", "document_id = ?1"),
    ("document_final", "document_id = ?1"),
    (
        "finding_sync",
        "finding_id IN (SELECT id FROM findings WHERE document_id = ?1)",
    ),
    ("merge_conflicts", "document_id = ?1"),
    ("record_conflicts", "document_id = ?1"),
    (
        "record_sync",
        "(kind = 'metadata' AND entity_id = ?1)
         OR (kind = 'suggestion' AND entity_id IN (SELECT id FROM suggestions WHERE document_id = ?1))",
    ),
];

#[derive(Debug, Clone, PartialEq)]
struct TableRows {
    table: &'static str,
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
}

/// Every row a removed document had, to be written back by an undo.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentSnapshot {
    pub document_id: String,
    tables: Vec<TableRows>,
    /// Documents whose version link named this one as their previous
    /// version (the link was cleared with the removal).
    relinked: Vec<String>,
}

impl DocumentSnapshot {
    /// How many rows of `table` the document had (`findings`, `clauses`, …).
    pub fn count(&self, table: &str) -> usize {
        self.tables
            .iter()
            .find(|t| t.table == table)
            .map_or(0, |t| t.rows.len())
    }
}

impl Store {
    fn snapshot(&self, doc_id: &str) -> Result<DocumentSnapshot> {
        let mut tables = Vec::new();
        for (table, filter) in TABLES {
            let mut stmt = self
                .conn
                .prepare(&format!("SELECT * FROM {table} WHERE {filter}"))?;
            let columns: Vec<String> = stmt.column_names().map(str::to_string).collect();
            let n = columns.len();
            let rows = stmt
                .query_map([doc_id], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())?
                .collect::<rusqlite::Result<Vec<Vec<Value>>>>()?;
            tables.push(TableRows {
                table,
                columns,
                rows,
            });
        }
        let mut stmt = self
            .conn
            .prepare("SELECT document_id FROM document_versions WHERE previous_id = ?1")?;
        let relinked = stmt
            .query_map([doc_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(DocumentSnapshot {
            document_id: doc_id.to_string(),
            tables,
            relinked,
        })
    }

    /// Removes a document with everything that belongs to it, audited as
    /// `document.delete` (`before`: `summary`). Returns what was removed.
    pub fn delete_document(
        &mut self,
        stamp: &Stamp,
        doc_id: &str,
        summary: serde_json::Value,
    ) -> Result<DocumentSnapshot> {
        // NotFound for a document that is not there.
        self.document(doc_id)?;
        let snapshot = self.snapshot(doc_id)?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE document_versions SET previous_id = NULL WHERE previous_id = ?1",
            [doc_id],
        )?;
        for (table, filter) in TABLES.iter().rev() {
            tx.execute(&format!("DELETE FROM {table} WHERE {filter}"), [doc_id])?;
        }
        insert_audit(
            &tx,
            stamp,
            Audit {
                action: "document.delete",
                entity: "document",
                entity_id: doc_id,
                document_id: Some(doc_id),
                before: Some(summary),
                after: None,
            },
            None,
        )?;
        tx.commit()?;
        Ok(snapshot)
    }

    /// Writes a removed document back as it was (undo of a removal),
    /// audited as `document.restore`. Refused when a document with its id
    /// is in the library again.
    pub fn restore_document(&mut self, stamp: &Stamp, snapshot: &DocumentSnapshot) -> Result<()> {
        let doc_id = snapshot.document_id.as_str();
        if self.document(doc_id).is_ok() {
            return Err(StoreError::Stale {
                what: "Document",
                id: doc_id.to_string(),
            });
        }
        let tx = self.conn.transaction()?;
        for t in &snapshot.tables {
            if t.rows.is_empty() {
                continue;
            }
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({})",
                t.table,
                t.columns.join(", "),
                (1..=t.columns.len())
                    .map(|i| format!("?{i}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let mut insert = tx.prepare(&sql)?;
            for row in &t.rows {
                insert.execute(rusqlite::params_from_iter(row.iter()))?;
            }
        }
        for id in &snapshot.relinked {
            tx.execute(
                "UPDATE document_versions SET previous_id = ?1 WHERE document_id = ?2 AND previous_id IS NULL",
                params![doc_id, id],
            )?;
        }
        insert_audit(
            &tx,
            stamp,
            Audit {
                action: "document.restore",
                entity: "document",
                entity_id: doc_id,
                document_id: Some(doc_id),
                before: None,
                after: None,
            },
            Some(serde_json::json!({
                "clauses": snapshot.count("clauses"),
                "findings": snapshot.count("findings"),
            })),
        )?;
        tx.commit()?;
        Ok(())
    }
}
