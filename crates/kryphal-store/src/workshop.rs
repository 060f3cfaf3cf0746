//! Workshop sessions, the room's judgements and decisions (schema 2).
//! Every change is audited like any other; a closed session takes no more
//! entries.

use kryphal_domain::{
    Decision, DecisionKind, Judgement, WorkshopNote, WorkshopRecord, WorkshopSession,
};
use rusqlite::{OptionalExtension, params};

use crate::{Audit, Result, Stamp, Store, StoreError};

const SESSION_COLUMNS: &str =
    "id, document_id, title, held_on, attendees, started_at, started_by, ended_at";

fn row_to_session(r: &rusqlite::Row<'_>) -> rusqlite::Result<(WorkshopSession, String)> {
    Ok((
        WorkshopSession {
            id: r.get(0)?,
            document_id: r.get(1)?,
            title: r.get(2)?,
            held_on: r.get(3)?,
            attendees: Vec::new(),
            started_at: r.get(5)?,
            started_by: r.get(6)?,
            ended_at: r.get(7)?,
        },
        r.get(4)?,
    ))
}

impl Store {
    /// Opens a workshop session on a document.
    pub fn insert_session(&mut self, stamp: &Stamp, session: &WorkshopSession) -> Result<()> {
        self.document(&session.document_id)?;
        self.write(
            stamp,
            Audit {
                action: "workshop.start",
                entity: "workshop",
                entity_id: &session.id,
                document_id: Some(&session.document_id),
                before: None,
                after: Some(serde_json::to_value(session)?),
            },
            |tx| {
                tx.execute(
                    &format!(
                        "INSERT INTO workshop_sessions ({SESSION_COLUMNS})
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                    ),
                    params![
                        session.id,
                        session.document_id,
                        session.title,
                        session.held_on,
                        serde_json::to_string(&session.attendees)?,
                        session.started_at,
                        session.started_by,
                        session.ended_at,
                    ],
                )?;
                Ok(())
            },
        )
    }

    /// One session.
    pub fn session(&self, id: &str) -> Result<WorkshopSession> {
        let (mut s, attendees) = self
            .conn
            .query_row(
                &format!("SELECT {SESSION_COLUMNS} FROM workshop_sessions WHERE id = ?1"),
                [id],
                row_to_session,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "Workshop session",
                id: id.to_string(),
            })?;
        s.attendees = serde_json::from_str(&attendees)?;
        Ok(s)
    }

    /// A document's sessions, the latest first.
    pub fn sessions(&self, doc_id: &str) -> Result<Vec<WorkshopSession>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {SESSION_COLUMNS} FROM workshop_sessions WHERE document_id = ?1
             ORDER BY held_on DESC, started_at DESC, id"
        ))?;
        let rows = stmt
            .query_map([doc_id], row_to_session)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(mut s, a)| {
                s.attendees = serde_json::from_str(&a)?;
                Ok(s)
            })
            .collect()
    }

    fn open_session(&self, id: &str) -> Result<WorkshopSession> {
        let s = self.session(id)?;
        if s.ended_at.is_some() {
            return Err(StoreError::Closed {
                what: "The workshop session",
                id: id.to_string(),
            });
        }
        Ok(s)
    }

    /// Replaces the list of attendees of an open session.
    pub fn set_attendees(&mut self, stamp: &Stamp, id: &str, attendees: &[String]) -> Result<()> {
        let before = self.open_session(id)?;
        self.write(
            stamp,
            Audit {
                action: "workshop.attendees",
                entity: "workshop",
                entity_id: id,
                document_id: Some(&before.document_id),
                before: Some(serde_json::to_value(&before.attendees)?),
                after: Some(serde_json::to_value(attendees)?),
            },
            |tx| {
                tx.execute(
                    "UPDATE workshop_sessions SET attendees = ?2 WHERE id = ?1",
                    params![id, serde_json::to_string(attendees)?],
                )?;
                Ok(())
            },
        )
    }

    /// Closes a session.
    pub fn end_session(&mut self, stamp: &Stamp, id: &str) -> Result<()> {
        let before = self.open_session(id)?;
        self.write(
            stamp,
            Audit {
                action: "workshop.end",
                entity: "workshop",
                entity_id: id,
                document_id: Some(&before.document_id),
                before: None,
                after: Some(serde_json::json!({ "ended_at": stamp.at })),
            },
            |tx| {
                tx.execute(
                    "UPDATE workshop_sessions SET ended_at = ?2 WHERE id = ?1",
                    params![id, stamp.at],
                )?;
                Ok(())
            },
        )
    }

    /// Records (or replaces) the room's judgement of a finding.
    pub fn record_judgement(&mut self, stamp: &Stamp, j: &Judgement) -> Result<()> {
        let session = self.open_session(&j.session_id)?;
        let finding = self.finding(&j.finding_id)?;
        if finding.document_id != session.document_id {
            return Err(StoreError::NotFound {
                what: "Finding in the session's document",
                id: j.finding_id.clone(),
            });
        }
        self.write(
            stamp,
            Audit {
                action: "workshop.judgement",
                entity: "finding",
                entity_id: &j.finding_id,
                document_id: Some(&session.document_id),
                before: None,
                after: Some(serde_json::to_value(j)?),
            },
            |tx| {
                tx.execute(
                    "INSERT INTO workshop_judgements (session_id, finding_id, likelihood, impact, note, at, by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (session_id, finding_id) DO UPDATE SET
                       likelihood = excluded.likelihood, impact = excluded.impact,
                       note = excluded.note, at = excluded.at, by = excluded.by",
                    params![j.session_id, j.finding_id, j.likelihood, j.impact, j.note, j.at, j.by],
                )?;
                Ok(())
            },
        )
    }

    /// Records (or replaces) the room's decision on a clause.
    pub fn record_decision(&mut self, stamp: &Stamp, d: &Decision) -> Result<()> {
        let session = self.open_session(&d.session_id)?;
        self.clause(&session.document_id, &d.clause_id)?;
        self.write(
            stamp,
            Audit {
                action: "workshop.decision",
                entity: "clause",
                entity_id: &d.clause_id,
                document_id: Some(&session.document_id),
                before: None,
                after: Some(serde_json::to_value(d)?),
            },
            |tx| {
                tx.execute(
                    "INSERT INTO workshop_decisions (session_id, clause_id, decision, dissent, at, by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (session_id, clause_id) DO UPDATE SET
                       decision = excluded.decision, dissent = excluded.dissent,
                       at = excluded.at, by = excluded.by",
                    params![d.session_id, d.clause_id, d.decision.as_str(), d.dissent, d.at, d.by],
                )?;
                Ok(())
            },
        )
    }

    /// Sets the facilitator's note on a clause of an open session; an empty
    /// text removes it.
    pub fn set_note(&mut self, stamp: &Stamp, n: &WorkshopNote) -> Result<()> {
        let session = self.open_session(&n.session_id)?;
        self.clause(&session.document_id, &n.clause_id)?;
        let before: Option<String> = self
            .conn
            .query_row(
                "SELECT text FROM workshop_notes WHERE session_id = ?1 AND clause_id = ?2",
                params![n.session_id, n.clause_id],
                |r| r.get(0),
            )
            .optional()?;
        if before.as_deref().unwrap_or_default() == n.text {
            return Ok(());
        }
        self.write(
            stamp,
            Audit {
                action: "workshop.note",
                entity: "clause",
                entity_id: &n.clause_id,
                document_id: Some(&session.document_id),
                before: before.map(serde_json::Value::String),
                after: Some(serde_json::to_value(n)?),
            },
            |tx| {
                if n.text.is_empty() {
                    tx.execute(
                        "DELETE FROM workshop_notes WHERE session_id = ?1 AND clause_id = ?2",
                        params![n.session_id, n.clause_id],
                    )?;
                } else {
                    tx.execute(
                        "INSERT INTO workshop_notes (session_id, clause_id, text, at, by)
                         VALUES (?1, ?2, ?3, ?4, ?5)
                         ON CONFLICT (session_id, clause_id) DO UPDATE SET
                           text = excluded.text, at = excluded.at, by = excluded.by",
                        params![n.session_id, n.clause_id, n.text, n.at, n.by],
                    )?;
                }
                Ok(())
            },
        )
    }

    /// A session with its judgements and decisions (in the order they were made).
    pub fn workshop_record(&self, id: &str) -> Result<WorkshopRecord> {
        let session = self.session(id)?;
        let mut stmt = self.conn.prepare(
            "SELECT session_id, finding_id, likelihood, impact, note, at, by
             FROM workshop_judgements WHERE session_id = ?1 ORDER BY at, finding_id",
        )?;
        let judgements = stmt
            .query_map([id], |r| {
                Ok(Judgement {
                    session_id: r.get(0)?,
                    finding_id: r.get(1)?,
                    likelihood: r.get(2)?,
                    impact: r.get(3)?,
                    risk_level: None,
                    note: r.get(4)?,
                    at: r.get(5)?,
                    by: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT session_id, clause_id, decision, dissent, at, by
             FROM workshop_decisions WHERE session_id = ?1 ORDER BY at, clause_id",
        )?;
        let decisions = stmt
            .query_map([id], |r| {
                let kind: String = r.get(2)?;
                Ok(Decision {
                    session_id: r.get(0)?,
                    clause_id: r.get(1)?,
                    // The CHECK constraint keeps other values out.
                    decision: DecisionKind::parse(&kind).unwrap_or(DecisionKind::Defer),
                    dissent: r.get(3)?,
                    at: r.get(4)?,
                    by: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT session_id, clause_id, text, at, by
             FROM workshop_notes WHERE session_id = ?1 ORDER BY at, clause_id",
        )?;
        let notes = stmt
            .query_map([id], |r| {
                Ok(WorkshopNote {
                    session_id: r.get(0)?,
                    clause_id: r.get(1)?,
                    text: r.get(2)?,
                    at: r.get(3)?,
                    by: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(WorkshopRecord {
            session,
            judgements,
            decisions,
            notes,
        })
    }
}
