//! Presentation mode: what the projector shows while a facilitator leads a
//! workshop. The state is small and lives in the desktop shell, which sends
//! it to both windows after every change; the projector and the control
//! window draw from it and never keep a position of their own, so a
//! clicker pressed in either window moves both.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{AppError, AppResult, ErrorCode};

/// The projector's colours: both are high-contrast; dark suits a dim room,
/// light a bright one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PresentTheme {
    #[default]
    Dark,
    Light,
}

/// Where to move on the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "to", content = "clause_id", rename_all = "snake_case")]
pub enum PresentMove {
    Next,
    Previous,
    First,
    Last,
    /// A clause on the agenda, by id.
    Clause(String),
}

/// A screen the projector window can be put on (as the shell reports it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ScreenInfo {
    pub index: u32,
    pub name: String,
    /// Physical pixels.
    pub width: u32,
    pub height: u32,
    /// The screen the main window is on.
    pub current: bool,
}

/// Everything the projector needs to know to draw itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PresentationState {
    pub document_id: String,
    /// The workshop session whose judgements and decisions are shown, if any.
    pub session_id: Option<String>,
    /// The clause ids to step through, in order (never empty).
    pub agenda: Vec<String>,
    /// Position on the agenda.
    pub index: usize,
    /// The screen is blanked (B): the room looks at the people, not the slide.
    pub blank: bool,
    pub theme: PresentTheme,
    /// Grows with every change, including "the data behind the current clause
    /// changed" (a judgement recorded), so a window knows to reload.
    #[ts(type = "number")]
    pub revision: u64,
}

impl PresentationState {
    /// A presentation of `agenda`, starting at `start` when it is on the agenda.
    pub fn new(
        document_id: String,
        session_id: Option<String>,
        agenda: Vec<String>,
        start: Option<&str>,
        theme: PresentTheme,
    ) -> AppResult<PresentationState> {
        if agenda.is_empty() {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "There is nothing to present: the agenda has no clauses.",
            ));
        }
        if agenda.len() > 100_000 {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "The agenda is too long to present (at most 100,000 clauses).",
            ));
        }
        let index = start
            .and_then(|id| agenda.iter().position(|c| c == id))
            .unwrap_or(0);
        Ok(PresentationState {
            document_id,
            session_id,
            agenda,
            index,
            blank: false,
            theme,
            revision: 1,
        })
    }

    /// The clause on show.
    pub fn current(&self) -> &str {
        &self.agenda[self.index]
    }

    /// Moves on the agenda; the ends stop the movement (no wrap-around, so a
    /// clicker pressed once too often does not jump to the other end). Any
    /// move unblanks the screen. A clause not on the agenda is refused.
    pub fn go(&mut self, to: &PresentMove) -> AppResult<()> {
        let last = self.agenda.len() - 1;
        self.index = match to {
            PresentMove::Next => (self.index + 1).min(last),
            PresentMove::Previous => self.index.saturating_sub(1),
            PresentMove::First => 0,
            PresentMove::Last => last,
            PresentMove::Clause(id) => {
                self.agenda.iter().position(|c| c == id).ok_or_else(|| {
                    AppError::new(
                        ErrorCode::NotFound,
                        "That clause is not on the presentation's agenda.",
                    )
                })?
            }
        };
        self.blank = false;
        self.touch();
        Ok(())
    }

    /// Blanks or unblanks the screen; `None` toggles.
    pub fn set_blank(&mut self, blank: Option<bool>) {
        self.blank = blank.unwrap_or(!self.blank);
        self.touch();
    }

    pub fn set_theme(&mut self, theme: PresentTheme) {
        self.theme = theme;
        self.touch();
    }

    /// Marks the data behind the presentation as changed.
    pub fn touch(&mut self) {
        self.revision += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> PresentationState {
        PresentationState::new(
            "d".into(),
            Some("w".into()),
            vec!["a".into(), "b".into(), "c".into()],
            Some("b"),
            PresentTheme::Dark,
        )
        .unwrap()
    }

    #[test]
    fn starts_at_the_chosen_clause_and_stops_at_both_ends() {
        let mut s = state();
        assert_eq!(s.current(), "b");
        s.go(&PresentMove::Next).unwrap();
        s.go(&PresentMove::Next).unwrap();
        assert_eq!(s.current(), "c", "no wrap-around past the last clause");
        s.go(&PresentMove::First).unwrap();
        s.go(&PresentMove::Previous).unwrap();
        assert_eq!(s.current(), "a", "no wrap-around before the first clause");
        s.go(&PresentMove::Last).unwrap();
        assert_eq!(s.current(), "c");
        s.go(&PresentMove::Clause("a".into())).unwrap();
        assert_eq!(s.index, 0);
    }

    #[test]
    fn a_start_off_the_agenda_begins_at_the_top_and_a_move_off_it_is_refused() {
        let mut s = PresentationState::new(
            "d".into(),
            None,
            vec!["a".into(), "b".into()],
            Some("zz"),
            PresentTheme::Light,
        )
        .unwrap();
        assert_eq!(s.current(), "a");
        let before = s.clone();
        let err = s.go(&PresentMove::Clause("zz".into())).unwrap_err();
        assert_eq!(err.code, ErrorCode::NotFound);
        assert_eq!(s, before, "a refused move changes nothing");
    }

    #[test]
    fn blanking_toggles_and_any_move_brings_the_clause_back() {
        let mut s = state();
        let r0 = s.revision;
        s.set_blank(None);
        assert!(s.blank);
        s.set_blank(None);
        assert!(!s.blank);
        s.set_blank(Some(true));
        assert!(s.blank);
        s.go(&PresentMove::Next).unwrap();
        assert!(!s.blank);
        assert!(s.revision > r0 + 3, "every change bumps the revision");
    }

    #[test]
    fn an_empty_agenda_is_refused_with_a_sentence() {
        let err =
            PresentationState::new("d".into(), None, vec![], None, PresentTheme::Dark).unwrap_err();
        assert!(
            err.message.contains("nothing to present"),
            "{}",
            err.message
        );
    }

    #[test]
    fn moves_travel_as_tagged_json() {
        let m: PresentMove = serde_json::from_str(r#"{"to":"clause","clause_id":"c-1"}"#).unwrap();
        assert_eq!(m, PresentMove::Clause("c-1".into()));
        let m: PresentMove = serde_json::from_str(r#"{"to":"next"}"#).unwrap();
        assert_eq!(m, PresentMove::Next);
    }
}
