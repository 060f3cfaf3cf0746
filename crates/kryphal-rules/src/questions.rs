//! The analyst's side of a pack: the questions a finding answers
//! (`questions.toml`), the actor types (`actors.toml`), the countermeasure
//! groups (`countermeasures.toml`) and the vulnerability families that
//! screening rules belong to (`categories.toml`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How a question is answered, which decides the form control the app shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Free text.
    Text,
    /// One of the options.
    SingleChoice,
    /// Any number of the options.
    MultipleChoice,
    /// A step of the pack's likelihood or consequence scale.
    Scale,
    /// Proposed wording, shown as a diff against the clause's current text.
    Wording,
}

/// The fixed field of a finding (`kryphal_domain::FindingInput`) that a
/// question fills. A question with no field is stored under its id in the
/// finding's `answers`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FindingField {
    UnintendedConsequence,
    Exploitation,
    Actors,
    CrimeTypes,
    Likelihood,
    Impact,
    Confidence,
    ActOn,
    ActOnReason,
    Alternatives,
    ProposedWording,
    MeasureType,
    CountermeasureGroup,
    ResponsibleBody,
    Status,
}

impl FindingField {
    /// The kinds of question that can fill this field.
    pub fn allowed_kinds(self) -> &'static [QuestionKind] {
        use FindingField::*;
        use QuestionKind::*;
        match self {
            UnintendedConsequence | Exploitation | ActOnReason | ResponsibleBody => &[Text],
            Actors | CrimeTypes => &[MultipleChoice],
            Likelihood | Impact => &[Scale],
            Confidence | ActOn | MeasureType | CountermeasureGroup | Status => &[SingleChoice],
            Alternatives | ProposedWording => &[Wording],
        }
    }

    /// The option values the field can store, when it is a closed set.
    pub fn fixed_values(self) -> Option<&'static [&'static str]> {
        match self {
            FindingField::Confidence => Some(&["low", "medium", "high"]),
            FindingField::ActOn => Some(&["yes", "no"]),
            FindingField::MeasureType => Some(&["rule_change", "control", "both"]),
            FindingField::Status => Some(&["draft", "reviewed", "agreed", "rejected"]),
            _ => None,
        }
    }

    /// The list of the pack a choice field must take its options from.
    pub fn required_source(self) -> Option<OptionSource> {
        match self {
            FindingField::Actors => Some(OptionSource::Actors),
            FindingField::CrimeTypes => Some(OptionSource::CrimeTypes),
            FindingField::CountermeasureGroup => Some(OptionSource::CountermeasureGroups),
            _ => None,
        }
    }
}

/// A list of the pack that a choice question takes its options from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OptionSource {
    CrimeTypes,
    Actors,
    CountermeasureGroups,
}

/// Which axis of the scale a `scale` question uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScaleAxis {
    Likelihood,
    Impact,
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: String,
    pub label: String,
    #[serde(default)]
    pub help: String,
}

/// A question of the finding form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub help: String,
    pub kind: QuestionKind,
    /// Options of a choice question written in the pack.
    #[serde(default)]
    pub options: Vec<Choice>,
    /// Or: the pack list the options come from.
    #[serde(default)]
    pub options_from: Option<OptionSource>,
    /// For `scale` questions: which axis.
    #[serde(default)]
    pub scale: Option<ScaleAxis>,
    /// Left out of public exports (e.g. exactly how a rule could be exploited).
    #[serde(default)]
    pub sensitive: bool,
    /// The fixed finding field the answer fills, if any.
    #[serde(default)]
    pub field: Option<FindingField>,
}

/// A type of actor who could exploit a weakness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub description: String,
}

/// A group of countermeasures (e.g. Clarke's "increase the effort").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CountermeasureGroup {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub description: String,
    /// Example measures, for the analyst's inspiration.
    #[serde(default)]
    pub examples: Vec<String>,
}

/// A vulnerability family that screening rules belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct QuestionsFile {
    pub questions: Vec<Question>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActorsFile {
    pub actors: Vec<Actor>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CountermeasuresFile {
    pub groups: Vec<CountermeasureGroup>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CategoriesFile {
    pub categories: Vec<Category>,
}
