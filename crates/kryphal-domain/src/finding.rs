//! Findings (the analyst's judgement on a clause) and suggestions (what
//! screening proposes).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a finding stands in its review.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FindingStatus {
    #[default]
    Draft,
    Reviewed,
    Agreed,
    Rejected,
}

impl FindingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingStatus::Draft => "draft",
            FindingStatus::Reviewed => "reviewed",
            FindingStatus::Agreed => "agreed",
            FindingStatus::Rejected => "rejected",
        }
    }
}

/// How sure the analyst is of the risk estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// Whether the remedy is a change of the rule's wording or a control measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MeasureType {
    RuleChange,
    Control,
    Both,
}

/// A regulatory alternative considered, with its pros, cons and residual risk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct Alternative {
    pub wording: String,
    pub pros: String,
    pub cons: String,
    pub residual_likelihood: Option<u8>,
    pub residual_impact: Option<u8>,
}

/// A comment on a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Comment {
    pub author: String,
    /// RFC 3339 UTC.
    pub at: String,
    pub text: String,
}

/// The editable content of a finding: what the analyst answers. Every field
/// is optional on input so that a partial finding can be saved at once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct FindingInput {
    /// The unintended consequence the wording allows.
    pub unintended_consequence: String,
    /// Who could exploit it and how (sensitive: left out of public exports).
    pub exploitation: String,
    /// Actor types from the rulebook (e.g. `leverantor`, `enskild`).
    pub actors: Vec<String>,
    /// Crime type codes from the rulebook (e.g. `BID`, `BED`).
    pub crime_types: Vec<String>,
    /// 1-based step of the rulebook's likelihood scale.
    pub likelihood: Option<u8>,
    /// 1-based step of the rulebook's consequence scale.
    pub impact: Option<u8>,
    pub confidence: Option<Confidence>,
    /// Serious enough to act on?
    pub act_on: Option<bool>,
    pub act_on_reason: String,
    pub alternatives: Vec<Alternative>,
    /// The wording the analyst proposes instead of the clause's current text.
    pub proposed_wording: String,
    pub measure_type: Option<MeasureType>,
    /// Countermeasure group id from the rulebook.
    pub countermeasure_group: Option<String>,
    pub responsible_body: String,
    pub status: FindingStatus,
    /// Answers to rulebook questions beyond the fixed fields, by question id.
    #[ts(type = "Record<string, unknown>")]
    pub answers: serde_json::Map<String, serde_json::Value>,
}

/// A finding on one clause, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Finding {
    pub id: String,
    pub document_id: String,
    pub clause_id: String,
    #[serde(flatten)]
    pub input: FindingInput,
    /// Risk level id from the rulebook's banding, when likelihood and impact are set.
    pub risk_level: Option<String>,
    pub comments: Vec<Comment>,
    /// The suggestion this finding was accepted from, if any.
    pub suggestion_id: Option<String>,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
}

/// A span of a clause's text, in bytes of its UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

/// What became of a suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SuggestionState {
    Open,
    Accepted {
        finding_id: String,
    },
    Dismissed {
        reason: String,
        by: String,
        at: String,
    },
}

/// What a suggestion points at: words of its clause, or something a whole
/// section or document lacks (it is then shown on the section's or the
/// document's first clause of its topic).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionScope {
    #[default]
    Clause,
    Section,
    Document,
}

/// Another rule that fired on the same words of the same clause; listed
/// under the suggestion of the most specific rule instead of as a
/// suggestion of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RelatedRule {
    pub rule_id: String,
    pub category: String,
    pub message: String,
}

/// What a screening rule proposes for a clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Suggestion {
    pub id: String,
    pub document_id: String,
    pub clause_id: String,
    pub rule_id: String,
    pub category: String,
    pub message: String,
    pub rationale: String,
    pub crime_types: Vec<String>,
    pub spans: Vec<Span>,
    pub state: SuggestionState,
    /// Clause, or the section or document the suggestion is about.
    #[serde(default)]
    pub scope: SuggestionScope,
    /// Why, in one sentence tied to the clause's own words.
    #[serde(default)]
    pub why: String,
    /// A starting wording for the finding's unintended consequence.
    #[serde(default)]
    pub consequence: String,
    /// A starting proposed wording for the clause (its text, changed).
    #[serde(default)]
    pub proposal: String,
    /// Other rules that fired on the same words, folded under this one.
    #[serde(default)]
    pub also: Vec<RelatedRule>,
}
