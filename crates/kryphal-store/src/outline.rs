//! Corrections of an imported outline (schema 7). A correction rewrites the
//! rows of a document's sections and clauses as one [`OutlineDiff`] and is
//! remembered in `outline_corrections`, keyed by text, so that it can be
//! made again on a new version of the document. The diff, the correction
//! row and the audit event go in one transaction; a diff whose rows no
//! longer look as it expects (changed by another program meanwhile) is
//! refused whole.

use std::collections::HashMap;

use kryphal_domain::{Clause, Outline, OutlineCorrection, Section, Suggestion};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::{
    Audit, Result, Stamp, Store, StoreError, clause_kind_str, insert_suggestion_rows, row_to_clause,
};

/// How two outlines of one document differ, row by row (rows are matched by id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutlineDiff {
    pub sections_removed: Vec<Section>,
    pub sections_added: Vec<Section>,
    /// Each as it was and as it becomes.
    pub sections_changed: Vec<(Section, Section)>,
    pub clauses_removed: Vec<Clause>,
    pub clauses_added: Vec<Clause>,
    /// Each as it was and as it becomes.
    pub clauses_changed: Vec<(Clause, Clause)>,
}

impl OutlineDiff {
    /// What turns `before` into `after`.
    pub fn between(before: &Outline, after: &Outline) -> OutlineDiff {
        let (sections_removed, sections_added, sections_changed) =
            rows_between(&before.sections, &after.sections, |s| s.id.as_str());
        let (clauses_removed, clauses_added, clauses_changed) =
            rows_between(&before.clauses, &after.clauses, |c| c.id.as_str());
        OutlineDiff {
            sections_removed,
            sections_added,
            sections_changed,
            clauses_removed,
            clauses_added,
            clauses_changed,
        }
    }

    /// The diff that takes this one back.
    pub fn inverse(&self) -> OutlineDiff {
        let swap = |pairs: &[(Section, Section)]| {
            pairs.iter().map(|(a, b)| (b.clone(), a.clone())).collect()
        };
        OutlineDiff {
            sections_removed: self.sections_added.clone(),
            sections_added: self.sections_removed.clone(),
            sections_changed: swap(&self.sections_changed),
            clauses_removed: self.clauses_added.clone(),
            clauses_added: self.clauses_removed.clone(),
            clauses_changed: self
                .clauses_changed
                .iter()
                .map(|(a, b)| (b.clone(), a.clone()))
                .collect(),
        }
    }

    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.sections_removed.is_empty()
            && self.sections_added.is_empty()
            && self.sections_changed.is_empty()
            && self.clauses_removed.is_empty()
            && self.clauses_added.is_empty()
            && self.clauses_changed.is_empty()
    }

    /// How many rows it touches, for the audit trail.
    pub(crate) fn summary(&self) -> serde_json::Value {
        serde_json::json!({
            "sections_removed": self.sections_removed.iter().map(|s| &s.id).collect::<Vec<_>>(),
            "sections_added": self.sections_added.iter().map(|s| &s.id).collect::<Vec<_>>(),
            "sections_changed": self.sections_changed.len(),
            "clauses_removed": self.clauses_removed.iter().map(|c| &c.id).collect::<Vec<_>>(),
            "clauses_added": self.clauses_added.iter().map(|c| &c.id).collect::<Vec<_>>(),
            "clauses_changed": self.clauses_changed.len(),
        })
    }
}

/// A correction of an outline, or the undo or redo of one, as the store
/// writes it: the rows, the correction kept or forgotten, and the event.
pub struct OutlineWrite<'a> {
    /// `outline.promote`, `outline.demote`, `outline.move`, `outline.renumber`
    /// or `outline.undo`.
    pub action: &'a str,
    /// `clause` or `section`.
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub diff: &'a OutlineDiff,
    /// The correction to keep (made now, or redone).
    pub record: Option<&'a OutlineCorrection>,
    /// The id of a correction to forget (undone); the audit trail keeps it.
    pub forget: Option<&'a str>,
    /// Suggestions to store again once the rows are back (those of a
    /// promoted clause, when the promotion is undone).
    pub suggestions: &'a [Suggestion],
}

/// Rows matched by `id`: those only in `before` (removed), only in `after`
/// (added, in `after`'s order), and in both but different (as they were and
/// as they become, in `before`'s order).
#[allow(clippy::type_complexity)]
fn rows_between<T: Clone + PartialEq>(
    before: &[T],
    after: &[T],
    id: impl Fn(&T) -> &str,
) -> (Vec<T>, Vec<T>, Vec<(T, T)>) {
    let old: HashMap<&str, &T> = before.iter().map(|r| (id(r), r)).collect();
    let new: HashMap<&str, &T> = after.iter().map(|r| (id(r), r)).collect();
    let mut removed = Vec::new();
    let mut changed = Vec::new();
    for r in before {
        match new.get(id(r)) {
            None => removed.push(r.clone()),
            Some(n) if *n != r => changed.push((r.clone(), (*n).clone())),
            Some(_) => {}
        }
    }
    let added = after
        .iter()
        .filter(|r| !old.contains_key(id(r)))
        .cloned()
        .collect();
    (removed, added, changed)
}

impl Store {
    /// Writes a correction of `doc_id`'s outline (or its undo): the diff,
    /// the correction row kept or forgotten, suggestions restored, and the
    /// audit event, in one transaction. Suggestions of a clause the diff
    /// removes go with it. A row that does not look as the diff expects is
    /// refused ([`StoreError::Stale`]) and nothing is written.
    pub fn correct_outline(
        &mut self,
        stamp: &Stamp,
        doc_id: &str,
        w: &OutlineWrite<'_>,
    ) -> Result<()> {
        self.document_column::<String>(doc_id, "id")?;
        let mut after = w.after.clone().unwrap_or(serde_json::Value::Null);
        if let serde_json::Value::Object(map) = &mut after {
            map.insert("rows".into(), w.diff.summary());
        }
        self.write(
            stamp,
            Audit {
                action: w.action,
                entity: w.entity,
                entity_id: w.entity_id,
                document_id: Some(doc_id),
                before: w.before.clone(),
                after: Some(after),
            },
            |tx| {
                apply_diff(tx, doc_id, w.diff)?;
                insert_suggestion_rows(tx, w.suggestions)?;
                if let Some(c) = w.record {
                    insert_corrections(tx, std::slice::from_ref(c))?;
                }
                if let Some(id) = w.forget {
                    let n = tx.execute(
                        "DELETE FROM outline_corrections WHERE id = ?1 AND document_id = ?2",
                        params![id, doc_id],
                    )?;
                    if n != 1 {
                        return Err(StoreError::NotFound {
                            what: "Outline correction",
                            id: id.to_string(),
                        });
                    }
                }
                Ok(())
            },
        )
    }

    /// The corrections kept for a document, in the order they were made.
    pub fn outline_corrections(&self, doc_id: &str) -> Result<Vec<OutlineCorrection>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, document_id, change, label, made_by, made_at, carried_from
             FROM outline_corrections WHERE document_id = ?1 ORDER BY seq, id",
        )?;
        let rows = stmt
            .query_map([doc_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(
                |(id, document_id, change, label, made_by, made_at, carried_from)| {
                    Ok(OutlineCorrection {
                        id,
                        document_id,
                        change: serde_json::from_str(&change)?,
                        label,
                        made_by,
                        made_at,
                        carried_from,
                    })
                },
            )
            .collect()
    }

    /// The documents that hold a section with this id (normally one).
    pub fn section_documents(&self, section_id: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT document_id FROM sections WHERE id = ?1 ORDER BY document_id")?;
        let ids = stmt
            .query_map([section_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// The clauses of a document on which a workshop recorded a decision or a note.
    pub fn clauses_with_workshop_records(&self, doc_id: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT d.clause_id FROM workshop_decisions d
             JOIN workshop_sessions s ON s.id = d.session_id WHERE s.document_id = ?1
             UNION
             SELECT n.clause_id FROM workshop_notes n
             JOIN workshop_sessions s ON s.id = n.session_id WHERE s.document_id = ?1",
        )?;
        let ids = stmt
            .query_map([doc_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// Whether a workshop recorded a decision or a note on a clause.
    pub fn clause_has_workshop_records(&self, doc_id: &str, clause_id: &str) -> Result<bool> {
        let n: i64 = self.conn.query_row(
            "SELECT (SELECT count(*) FROM workshop_decisions d
                     JOIN workshop_sessions s ON s.id = d.session_id
                     WHERE s.document_id = ?1 AND d.clause_id = ?2)
                  + (SELECT count(*) FROM workshop_notes n
                     JOIN workshop_sessions s ON s.id = n.session_id
                     WHERE s.document_id = ?1 AND n.clause_id = ?2)",
            params![doc_id, clause_id],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }
}

fn current_section(tx: &Transaction<'_>, doc_id: &str, id: &str) -> Result<Option<Section>> {
    Ok(tx
        .query_row(
            "SELECT id, parent_id, level, number, title, position FROM sections
             WHERE document_id = ?1 AND id = ?2",
            params![doc_id, id],
            |r| {
                Ok(Section {
                    id: r.get(0)?,
                    parent_id: r.get(1)?,
                    level: r.get(2)?,
                    number: r.get(3)?,
                    title: r.get(4)?,
                    position: r.get(5)?,
                })
            },
        )
        .optional()?)
}

fn current_clause(tx: &Transaction<'_>, doc_id: &str, id: &str) -> Result<Option<Clause>> {
    Ok(tx
        .query_row(
            "SELECT id, section_id, number, label, kind, text, position FROM clauses
             WHERE document_id = ?1 AND id = ?2",
            params![doc_id, id],
            row_to_clause,
        )
        .optional()?)
}

fn stale(what: &'static str, id: &str) -> StoreError {
    StoreError::Stale {
        what,
        id: id.to_string(),
    }
}

/// Rewrites the rows of `doc_id`'s outline as `diff` says, after checking
/// that every row it removes or changes is as it expects and that every row
/// it adds is not there yet.
pub(crate) fn apply_diff(tx: &Transaction<'_>, doc_id: &str, diff: &OutlineDiff) -> Result<()> {
    for s in diff
        .sections_removed
        .iter()
        .chain(diff.sections_changed.iter().map(|(b, _)| b))
    {
        if current_section(tx, doc_id, &s.id)?.as_ref() != Some(s) {
            return Err(stale("Heading", &s.id));
        }
    }
    for c in diff
        .clauses_removed
        .iter()
        .chain(diff.clauses_changed.iter().map(|(b, _)| b))
    {
        if current_clause(tx, doc_id, &c.id)?.as_ref() != Some(c) {
            return Err(stale("Clause", &c.id));
        }
    }
    for s in &diff.sections_added {
        if current_section(tx, doc_id, &s.id)?.is_some() {
            return Err(stale("Heading", &s.id));
        }
    }
    for c in &diff.clauses_added {
        if current_clause(tx, doc_id, &c.id)?.is_some() {
            return Err(stale("Clause", &c.id));
        }
    }
    for c in &diff.clauses_removed {
        // Its suggestions go with it (findings are moved away first: a
        // promotion of a clause with findings is refused before this).
        tx.execute(
            "DELETE FROM suggestions WHERE document_id = ?1 AND clause_id = ?2",
            params![doc_id, c.id],
        )?;
        tx.execute(
            "DELETE FROM clauses WHERE document_id = ?1 AND id = ?2",
            params![doc_id, c.id],
        )?;
    }
    for s in &diff.sections_removed {
        tx.execute(
            "DELETE FROM sections WHERE document_id = ?1 AND id = ?2",
            params![doc_id, s.id],
        )?;
    }
    let mut update_section = tx.prepare(
        "UPDATE sections SET parent_id = ?3, level = ?4, number = ?5, title = ?6, position = ?7
         WHERE document_id = ?1 AND id = ?2",
    )?;
    for (_, s) in &diff.sections_changed {
        update_section.execute(params![
            doc_id,
            s.id,
            s.parent_id,
            s.level,
            s.number,
            s.title,
            s.position
        ])?;
    }
    let mut update_clause = tx.prepare(
        "UPDATE clauses SET section_id = ?3, number = ?4, label = ?5, kind = ?6, text = ?7,
             position = ?8
         WHERE document_id = ?1 AND id = ?2",
    )?;
    for (_, c) in &diff.clauses_changed {
        update_clause.execute(params![
            doc_id,
            c.id,
            c.section_id,
            c.number,
            c.label,
            clause_kind_str(c.kind),
            c.text,
            c.position
        ])?;
    }
    let mut insert_section = tx.prepare(
        "INSERT INTO sections (document_id, id, parent_id, level, number, title, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for s in &diff.sections_added {
        insert_section.execute(params![
            doc_id,
            s.id,
            s.parent_id,
            s.level,
            s.number,
            s.title,
            s.position
        ])?;
    }
    let mut insert_clause = tx.prepare(
        "INSERT INTO clauses (document_id, id, section_id, number, label, kind, text, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for c in &diff.clauses_added {
        insert_clause.execute(params![
            doc_id,
            c.id,
            c.section_id,
            c.number,
            c.label,
            clause_kind_str(c.kind),
            c.text,
            c.position
        ])?;
    }
    Ok(())
}

/// Keeps corrections, each after the ones its document already has.
pub(crate) fn insert_corrections(tx: &Transaction<'_>, rows: &[OutlineCorrection]) -> Result<()> {
    for c in rows {
        let seq: i64 = tx.query_row(
            "SELECT coalesce(max(seq), 0) + 1 FROM outline_corrections WHERE document_id = ?1",
            [&c.document_id],
            |r| r.get(0),
        )?;
        let key = c.change.target();
        tx.execute(
            "INSERT INTO outline_corrections (id, document_id, seq, kind, target_text,
                 target_occurrence, change, label, made_by, made_at, carried_from)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                c.id,
                c.document_id,
                seq,
                c.change.kind(),
                key.text,
                key.occurrence,
                serde_json::to_string(&c.change)?,
                c.label,
                c.made_by,
                c.made_at,
                c.carried_from,
            ],
        )?;
    }
    Ok(())
}

/// Forgets corrections by id (a version link undone).
pub(crate) fn delete_corrections(tx: &Transaction<'_>, doc_id: &str, ids: &[String]) -> Result<()> {
    for id in ids {
        tx.execute(
            "DELETE FROM outline_corrections WHERE id = ?1 AND document_id = ?2",
            params![id, doc_id],
        )?;
    }
    Ok(())
}
