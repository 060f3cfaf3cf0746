//! What the app hands the index: plain copies of a document's searchable
//! text, built from the library's domain types.

use kryphal_domain::{
    Alternative, Clause, Document, Finding, Outline, Suggestion, SuggestionState,
};
use serde::{Deserialize, Serialize};

/// One document of the library with everything about it that search finds:
/// its metadata, its clauses, the findings on them and the reasons given
/// for dismissed suggestions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexedDocument {
    pub id: String,
    pub title: String,
    /// Kind of governing document, e.g. "Reglemente" (a facet).
    pub doc_type: String,
    /// The owning body, e.g. "Vård- och omsorgsnämnden" (a facet).
    pub owner: String,
    /// Diarienummer, e.g. `VON 2024/0187`.
    pub dnr: String,
    /// Further metadata worth finding: decided by, responsible, version
    /// label, dates, source file name.
    pub other_metadata: Vec<String>,
    pub clauses: Vec<IndexedClause>,
    pub findings: Vec<IndexedFinding>,
    pub dismissals: Vec<IndexedDismissal>,
}

/// A clause: the unit an analyst comments on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexedClause {
    pub id: String,
    /// Human label, e.g. `Ekonomi och ledning › p. 2`.
    pub label: String,
    pub text: String,
    /// Order within the document.
    pub position: u32,
}

/// A finding on a clause: the analyst's own words are searched; crime types,
/// risk level and status are facets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexedFinding {
    pub id: String,
    pub clause_id: String,
    /// The unintended consequence the wording allows.
    pub consequence: String,
    /// Who could exploit it and how.
    pub exploitation: String,
    /// Why it is (or is not) serious enough to act on.
    pub act_on_reason: String,
    /// Each regulatory alternative considered: wording, pros and cons.
    pub alternatives: Vec<String>,
    pub proposed_wording: String,
    pub responsible_body: String,
    /// The text of each comment.
    pub comments: Vec<String>,
    /// Crime type ids from the rulebook (a facet), e.g. `BID`.
    pub crime_types: Vec<String>,
    /// The crime types' names (e.g. "Bidragsbrott"), so that typing the
    /// name finds the finding. Searched as metadata.
    pub crime_type_names: Vec<String>,
    /// Risk level id from the rulebook's banding (a facet).
    pub risk_level: Option<String>,
    /// `draft`, `reviewed`, `agreed`, `rejected` (a facet).
    pub status: String,
}

/// A screening suggestion the analyst dismissed, with the reason given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexedDismissal {
    pub suggestion_id: String,
    pub clause_id: String,
    pub reason: String,
    /// The suggestion's own message (e.g. "Vag term: *osannolikt*"),
    /// searched as metadata.
    pub message: String,
}

impl From<&Clause> for IndexedClause {
    fn from(c: &Clause) -> Self {
        IndexedClause {
            id: c.id.clone(),
            label: c.label.clone(),
            text: c.text.clone(),
            position: c.position,
        }
    }
}

fn alternative_text(a: &Alternative) -> String {
    [&a.wording, &a.pros, &a.cons]
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

impl From<&Finding> for IndexedFinding {
    /// Copies a finding; `crime_type_names` stays empty (see
    /// [`IndexedFinding::with_crime_type_names`]).
    fn from(f: &Finding) -> Self {
        let i = &f.input;
        IndexedFinding {
            id: f.id.clone(),
            clause_id: f.clause_id.clone(),
            consequence: i.unintended_consequence.clone(),
            exploitation: i.exploitation.clone(),
            act_on_reason: i.act_on_reason.clone(),
            alternatives: i
                .alternatives
                .iter()
                .map(alternative_text)
                .filter(|s| !s.is_empty())
                .collect(),
            proposed_wording: i.proposed_wording.clone(),
            responsible_body: i.responsible_body.clone(),
            comments: f.comments.iter().map(|c| c.text.clone()).collect(),
            crime_types: i.crime_types.clone(),
            crime_type_names: Vec::new(),
            risk_level: f.risk_level.clone(),
            status: i.status.as_str().to_owned(),
        }
    }
}

impl IndexedFinding {
    /// Fills `crime_type_names` by looking each crime type id up (in the
    /// rulebook); ids without a name are skipped.
    pub fn with_crime_type_names(mut self, name_of: impl Fn(&str) -> Option<String>) -> Self {
        self.crime_type_names = self
            .crime_types
            .iter()
            .filter_map(|id| name_of(id))
            .collect();
        self
    }
}

impl IndexedDismissal {
    /// The dismissal recorded on a suggestion, if it was dismissed.
    pub fn from_suggestion(s: &Suggestion) -> Option<Self> {
        match &s.state {
            SuggestionState::Dismissed { reason, .. } => Some(IndexedDismissal {
                suggestion_id: s.id.clone(),
                clause_id: s.clause_id.clone(),
                reason: reason.clone(),
                message: s.message.clone(),
            }),
            _ => None,
        }
    }
}

impl IndexedDocument {
    /// Builds the indexed form of a document from the library's types.
    /// `crime_type_name` maps a crime type id to its name in the rulebook.
    pub fn from_domain(
        document: &Document,
        outline: &Outline,
        findings: &[Finding],
        suggestions: &[Suggestion],
        crime_type_name: impl Fn(&str) -> Option<String>,
    ) -> Self {
        let m = &document.meta;
        let other_metadata = [
            &m.decided,
            &m.decided_by,
            &m.responsible,
            &m.valid_from,
            &m.valid_to,
            &m.version_label,
            &document.source.name,
        ]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .cloned()
        .collect();
        IndexedDocument {
            id: document.id.clone(),
            title: m.title.clone(),
            doc_type: m.doc_type.clone(),
            owner: m.owner.clone(),
            dnr: m.dnr.clone(),
            other_metadata,
            clauses: outline.clauses.iter().map(IndexedClause::from).collect(),
            findings: findings
                .iter()
                .map(|f| IndexedFinding::from(f).with_crime_type_names(&crime_type_name))
                .collect(),
            dismissals: suggestions
                .iter()
                .filter_map(IndexedDismissal::from_suggestion)
                .collect(),
        }
    }
}
