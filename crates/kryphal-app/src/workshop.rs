//! Workshops: sessions in which the room judges findings and decides on
//! clauses, with the date and who was there.

use kryphal_domain::{
    Decision, DecisionKind, Judgement, WorkshopNote, WorkshopRecord, WorkshopSession,
};

use crate::{AppError, AppResult, ErrorCode, Library};

const MAX_TEXT: usize = 10_000;

fn invalid(message: impl Into<String>) -> AppError {
    AppError::new(ErrorCode::InvalidInput, message)
}

fn check_len(text: &str, what: &str, max: usize) -> AppResult<()> {
    if text.chars().count() > max {
        return Err(invalid(format!(
            "{what} can be at most {max} characters long."
        )));
    }
    Ok(())
}

/// Today's date in UTC, `YYYY-MM-DD`.
fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn check_date(date: &str) -> AppResult<()> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(date, &format).map(|_| ()).map_err(|_| {
        invalid(format!(
            "“{date}” is not a date; write it as YYYY-MM-DD, e.g. 2026-11-24."
        ))
    })
}

fn clean_attendees(attendees: Vec<String>) -> AppResult<Vec<String>> {
    let names: Vec<String> = attendees
        .into_iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    if names.len() > 200 {
        return Err(invalid("A session can list at most 200 attendees."));
    }
    for name in &names {
        check_len(name, "An attendee's name", 200)?;
        if name.contains(['\n', '\r']) {
            return Err(invalid("An attendee's name must be one line."));
        }
    }
    Ok(names)
}

impl Library {
    /// Opens a workshop session on a document. `held_on` defaults to today.
    pub fn start_workshop(
        &mut self,
        document: &str,
        title: &str,
        held_on: Option<&str>,
        attendees: Vec<String>,
    ) -> AppResult<WorkshopSession> {
        let doc = self.resolve_document(document)?;
        let title = title.trim();
        if title.is_empty() {
            return Err(invalid("A workshop session needs a title."));
        }
        check_len(title, "The title", 200)?;
        let held_on = held_on
            .map(str::trim)
            .map(str::to_string)
            .unwrap_or_else(today);
        check_date(&held_on)?;
        let stamp = self.stamp();
        let session = WorkshopSession {
            id: format!("w-{}", uuid::Uuid::new_v4().simple()),
            document_id: doc.id,
            title: title.to_string(),
            held_on,
            attendees: clean_attendees(attendees)?,
            started_at: stamp.at.clone(),
            started_by: stamp.actor.clone(),
            ended_at: None,
        };
        self.store.insert_session(&stamp, &session)?;
        Ok(session)
    }

    /// A document's workshop sessions, the latest first.
    pub fn workshops(&self, document: &str) -> AppResult<Vec<WorkshopSession>> {
        let doc = self.resolve_document(document)?;
        Ok(self.store.sessions(&doc.id)?)
    }

    /// A session with its judgements (risk levels filled in) and decisions.
    pub fn workshop(&self, id: &str) -> AppResult<WorkshopRecord> {
        let mut record = self.store.workshop_record(id)?;
        for j in &mut record.judgements {
            j.risk_level = self
                .rulebook
                .risk_level(j.likelihood, j.impact)
                .map(|l| l.id.clone());
        }
        Ok(record)
    }

    /// Replaces the attendees of an open session.
    pub fn set_workshop_attendees(&mut self, id: &str, attendees: Vec<String>) -> AppResult<()> {
        let names = clean_attendees(attendees)?;
        let stamp = self.stamp();
        Ok(self.store.set_attendees(&stamp, id, &names)?)
    }

    /// Records the room's likelihood × consequence judgement of a finding.
    pub fn record_judgement(
        &mut self,
        session: &str,
        finding: &str,
        likelihood: u8,
        impact: u8,
        note: &str,
    ) -> AppResult<Judgement> {
        let scale = &self.rulebook.scale;
        let (ls, is) = (scale.likelihood.steps.len(), scale.impact.steps.len());
        if likelihood == 0 || usize::from(likelihood) > ls {
            return Err(invalid(format!(
                "Likelihood must be a step from 1 to {ls} of the rulebook's scale, not {likelihood}."
            )));
        }
        if impact == 0 || usize::from(impact) > is {
            return Err(invalid(format!(
                "Consequence must be a step from 1 to {is} of the rulebook's scale, not {impact}."
            )));
        }
        check_len(note, "A note", MAX_TEXT)?;
        let stamp = self.stamp();
        let judgement = Judgement {
            session_id: session.to_string(),
            finding_id: finding.to_string(),
            likelihood,
            impact,
            risk_level: self
                .rulebook
                .risk_level(likelihood, impact)
                .map(|l| l.id.clone()),
            note: note.trim().to_string(),
            at: stamp.at.clone(),
            by: stamp.actor.clone(),
        };
        self.store.record_judgement(&stamp, &judgement)?;
        Ok(judgement)
    }

    /// Records the room's decision on a clause (a clause id, or an id prefix
    /// the library resolves), with any dissent.
    pub fn record_decision(
        &mut self,
        session: &str,
        clause: &str,
        decision: DecisionKind,
        dissent: &str,
    ) -> AppResult<Decision> {
        let (_, clause_id) = self.resolve_clause(clause)?;
        check_len(dissent, "The dissent", MAX_TEXT)?;
        let stamp = self.stamp();
        let d = Decision {
            session_id: session.to_string(),
            clause_id,
            decision,
            dissent: dissent.trim().to_string(),
            at: stamp.at.clone(),
            by: stamp.actor.clone(),
        };
        self.store.record_decision(&stamp, &d)?;
        Ok(d)
    }

    /// Sets the facilitator's private note on a clause (a clause id, or an id
    /// prefix the library resolves); an empty note removes it.
    pub fn set_workshop_note(
        &mut self,
        session: &str,
        clause: &str,
        text: &str,
    ) -> AppResult<WorkshopNote> {
        let (_, clause_id) = self.resolve_clause(clause)?;
        check_len(text, "A note", MAX_TEXT)?;
        let stamp = self.stamp();
        let note = WorkshopNote {
            session_id: session.to_string(),
            clause_id,
            text: text.trim().to_string(),
            at: stamp.at.clone(),
            by: stamp.actor.clone(),
        };
        self.store.set_note(&stamp, &note)?;
        Ok(note)
    }

    /// Closes a session; it takes no more entries.
    pub fn end_workshop(&mut self, id: &str) -> AppResult<()> {
        let stamp = self.stamp();
        Ok(self.store.end_session(&stamp, id)?)
    }

    /// The minutes of a session as Markdown (attendees; per clause the
    /// decision and the agreed risk levels).
    pub fn workshop_minutes(&self, id: &str) -> AppResult<String> {
        self.with_minutes(id, |m| Ok(kryphal_export::minutes_markdown(m)))
    }

    /// Writes the minutes of a session to `out` (whole or not at all), as
    /// `md` or `docx`.
    pub fn export_minutes(&self, id: &str, format: &str, out: &std::path::Path) -> AppResult<()> {
        let bytes = match format {
            "md" => self.workshop_minutes(id)?.into_bytes(),
            "docx" => self.with_minutes(id, |m| {
                kryphal_export::minutes_docx(m)
                    .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))
            })?,
            other => {
                return Err(invalid(format!(
                    "Minutes can be written as md or docx, not “{other}”."
                )));
            }
        };
        crate::write_atomically(out, &bytes)
    }

    /// A file name for a session's minutes: `<document> - minnesanteckningar
    /// <date>.<md|docx>`. An unknown format is refused.
    pub fn minutes_file_name(&self, id: &str, format: &str) -> AppResult<String> {
        if !matches!(format, "md" | "docx") {
            return Err(invalid(format!(
                "Minutes can be written as md or docx, not “{format}”."
            )));
        }
        let session = self.store.session(id)?;
        let doc = self.resolve_document(&session.document_id)?;
        Ok(format!(
            "{} - minnesanteckningar {}.{format}",
            crate::export::file_stem(&doc.meta.title),
            session.held_on
        ))
    }

    fn with_minutes<T>(
        &self,
        id: &str,
        f: impl FnOnce(&kryphal_export::Minutes<'_>) -> AppResult<T>,
    ) -> AppResult<T> {
        let record = self.workshop(id)?;
        let view = self.document(&record.session.document_id)?;
        f(&kryphal_export::Minutes {
            record: &record,
            document: &view.document,
            outline: &view.outline,
            findings: &view.findings,
            rulebook: &self.rulebook,
        })
    }
}
