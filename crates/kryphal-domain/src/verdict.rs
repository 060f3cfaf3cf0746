//! Verdicts: what the analyst concluded about each clause, so that coverage
//! can reach every clause and not only those with findings; and the mark
//! that a document's review is final.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::RulebookRef;

/// A verdict the analyst gives a clause explicitly. A clause with findings
/// has the verdict *risk* by virtue of them ([`VerdictKind::Risk`]), so
/// risk is never set by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Checked against the rulebook's questions: no risk found.
    Checked,
    /// Not a rule at all: a heading, letterhead, contact details or
    /// background text. Not screened and left out of the memo.
    NotARule,
    /// Deliberately not assessed (out of scope, someone else's task).
    NotAssessed,
}

impl Verdict {
    /// The stable name: `checked`, `not_a_rule` or `not_assessed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Checked => "checked",
            Verdict::NotARule => "not_a_rule",
            Verdict::NotAssessed => "not_assessed",
        }
    }

    /// Reads a name written by [`Verdict::as_str`] (also with a hyphen:
    /// `not-a-rule`, as the command line writes it).
    pub fn parse(s: &str) -> Option<Verdict> {
        Some(match s.trim().replace('-', "_").as_str() {
            "checked" => Verdict::Checked,
            "not_a_rule" => Verdict::NotARule,
            "not_assessed" => Verdict::NotAssessed,
            _ => return None,
        })
    }
}

/// A clause's verdict as it stands: *risk* when the clause has findings,
/// else the verdict set by hand, else *none* (it still needs a verdict).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum VerdictKind {
    Risk,
    Checked,
    NotARule,
    NotAssessed,
    None,
}

impl VerdictKind {
    /// The stable name: `risk`, `checked`, `not_a_rule`, `not_assessed`, `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::Risk => "risk",
            VerdictKind::Checked => "checked",
            VerdictKind::NotARule => "not_a_rule",
            VerdictKind::NotAssessed => "not_assessed",
            VerdictKind::None => "none",
        }
    }
}

impl From<Verdict> for VerdictKind {
    fn from(v: Verdict) -> Self {
        match v {
            Verdict::Checked => VerdictKind::Checked,
            Verdict::NotARule => VerdictKind::NotARule,
            Verdict::NotAssessed => VerdictKind::NotAssessed,
        }
    }
}

/// A verdict set by hand, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StoredVerdict {
    pub clause_id: String,
    pub verdict: Verdict,
    /// Who gave it (the display name from the preferences).
    pub by: String,
    /// RFC 3339 UTC.
    pub at: String,
}

/// One clause's verdict as it stands, with who gave it and when (for
/// *risk*: who wrote the clause's first finding).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClauseVerdict {
    pub clause_id: String,
    pub verdict: VerdictKind,
    pub by: Option<String>,
    pub at: Option<String>,
}

/// How many clauses one person gave a verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NameCount {
    pub name: String,
    pub count: u32,
}

/// That a document's review is final: who said so, when, and under which
/// rulebook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FinalMark {
    pub document_id: String,
    pub by: String,
    pub at: String,
    pub rulebook: RulebookRef,
}

/// A document's coverage: every clause counted by its verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Coverage {
    pub document_id: String,
    pub clauses: u32,
    pub risk: u32,
    pub checked: u32,
    pub not_a_rule: u32,
    pub not_assessed: u32,
    /// Clauses still without a verdict.
    pub none: u32,
    /// Screening suggestions neither accepted nor dismissed.
    pub open_suggestions: u32,
    /// Who gave the verdicts, most first.
    pub by: Vec<NameCount>,
    /// Every clause has a verdict and every suggestion is decided.
    pub complete: bool,
    /// The review was marked final (it may have become incomplete since,
    /// then `complete` is false and the mark does not hold).
    pub final_mark: Option<FinalMark>,
}

impl Coverage {
    /// Clauses with a verdict.
    pub fn decided(&self) -> u32 {
        self.clauses - self.none
    }

    /// Marked final and still complete.
    pub fn is_final(&self) -> bool {
        self.complete && self.final_mark.is_some()
    }
}
