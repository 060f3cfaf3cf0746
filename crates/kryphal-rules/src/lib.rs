//! # kryphal-rules
//!
//! A rulebook *pack* is a folder of TOML files under `rulebooks/<pack>/`:
//!
//! | file | holds |
//! |---|---|
//! | `pack.toml` | identity: id, version, language, name, description |
//! | `scale.toml` | likelihood and consequence steps, risk levels, the banding of every cell |
//! | `crime-types.toml` | the crime types an analyst can name |
//! | `questions.toml` | the questions of the finding form, each tied to a finding field or stored by id |
//! | `actors.toml` | actor types (who could exploit a weakness) |
//! | `countermeasures.toml` | countermeasure groups |
//! | `categories.toml` | vulnerability families that screening rules belong to |
//! | `context.toml` | optional: the signals of clause roles (advice, definition, furniture, …) and of negation |
//! | `rules/*.toml` | one screening rule per file: `existence`, `absence`, `threshold` or `question` |
//!
//! [`Rulebook::load`] reads and validates a pack: unknown keys, duplicate
//! ids, a banding with a missing cell, a rule naming an unknown crime type,
//! a regex that does not compile or is too large — each is refused with a
//! [`RulesError`] naming the file, the line and the key. Loading also
//! compiles every rule once, so that [`screen`] is cheap: one `RegexSet`
//! search per clause. Besides its words, a rule can ask for context: the
//! clause's *role* (a rule about obligations stays quiet in advice, in a
//! definition or on a letterhead), negation (`ingen skyldighet att … betala
//! ut`), another term in the same clause (`with`), or a term that silences
//! it when it stands anywhere in the section (`unless_section`); overlapping
//! hits fold into the most specific one, and `absence` rules can report
//! what a whole section or document lacks. [`suggest`] turns hits into the
//! suggestions the app stores, each with a why, a starting consequence and
//! a starting proposed wording. [`check_pack`] validates a pack and runs every rule's
//! hit and near-miss examples. [`rule_file_schema`] is the JSON Schema of a
//! rule file (committed as `rulebooks/schema/rule.schema.json`).
//!
//! The default packs (`bra-mur-sv`, Swedish, after Brå/MUR; `korruption-sv`,
//! Swedish, after the corruption-proofing methods of anti-corruption bodies;
//! `marc-en`, English, after MARC and Clarke's five groups) are compiled in,
//! so the app always has a valid rulebook even when no folder is at hand.
//!
//! Invariant: only this crate reads rulebook files or knows their format;
//! other crates see the validated [`Rulebook`].

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use kryphal_domain::RulebookRef;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod check;
mod context;
mod error;
mod prefilter;
mod questions;
mod rule;
mod schema;
mod screen;
mod suggest;
mod text;

pub use check::{CheckReport, ExampleFailure, check_book, check_pack};
pub use context::{ContextSignals, NegationSignals, RoleSignals};
pub use error::RulesError;
pub use questions::{
    Actor, Category, Choice, CountermeasureGroup, FindingField, OptionSource, Question,
    QuestionKind, ScaleAxis,
};
pub use rule::{
    ClauseRole, DEFAULT_ROLES, Examples, MAX_PATTERN_LEN, MAX_TERMS, Negation, PATTERN_SIZE_LIMIT,
    Proposal, Report, Rule, RuleKind, RuleLevel, Scope,
};
pub use schema::{pack_file_schemas, rule_file_schema};
pub use screen::{
    Hit, ScreenClause, ScreenInput, clause_roles, screen, screen_many, screen_outline,
};
pub use suggest::suggest;

use error::{line_of, syntax};
use questions::{ActorsFile, CategoriesFile, CountermeasuresFile, QuestionsFile};
use screen::Engine;

/// The pack's identity, from `pack.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    pub id: String,
    pub version: String,
    pub language: String,
    pub name: String,
    pub description: String,
}

/// One step of a scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub value: u8,
    pub label: String,
    #[serde(default)]
    pub description: String,
}

/// An ordinal scale (likelihood or consequence).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Axis {
    pub label: String,
    pub steps: Vec<Step>,
}

/// A named risk level with the colour used for it everywhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub id: String,
    pub label: String,
    /// `#rrggbb`.
    pub color: String,
}

/// The risk level of every likelihood × consequence cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Banding {
    /// `matrix[likelihood - 1][impact - 1]` is a level id.
    pub matrix: Vec<Vec<String>>,
}

/// `scale.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    pub likelihood: Axis,
    pub impact: Axis,
    pub levels: Vec<Level>,
    pub banding: Banding,
}

/// A crime type an analyst can name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CrimeType {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct CrimeTypesFile {
    crime_types: Vec<CrimeType>,
}

/// The compiled screening engine of a pack. It is derived from the rules,
/// so it takes no part in equality and is not serialised; a rulebook read
/// back from JSON compiles it on first use.
#[derive(Clone, Default)]
struct EngineCell(OnceLock<Arc<Engine>>);

impl PartialEq for EngineCell {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for EngineCell {}
impl std::fmt::Debug for EngineCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "EngineCell(compiled)"
        } else {
            "EngineCell(empty)"
        })
    }
}

/// A whole, validated pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Rulebook {
    pub pack: Pack,
    pub scale: Scale,
    pub crime_types: Vec<CrimeType>,
    #[serde(default)]
    pub questions: Vec<Question>,
    #[serde(default)]
    pub actors: Vec<Actor>,
    #[serde(default)]
    pub countermeasure_groups: Vec<CountermeasureGroup>,
    #[serde(default)]
    pub categories: Vec<Category>,
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// The signals of clause roles and negation (`context.toml`).
    #[serde(default)]
    pub context: ContextSignals,
    #[serde(skip)]
    #[ts(skip)]
    engine: EngineCell,
}

/// The files of a pack, by path relative to the pack folder.
type Files = BTreeMap<String, String>;

/// The files every pack must have.
const PACK_FILES: &[&str] = &[
    "pack.toml",
    "scale.toml",
    "crime-types.toml",
    "questions.toml",
    "actors.toml",
    "countermeasures.toml",
    "categories.toml",
];

/// The files a pack may have.
const OPTIONAL_FILES: &[&str] = &["context.toml"];

include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));

impl Rulebook {
    /// The default pack compiled into the program (`rulebooks/bra-mur-sv`).
    pub fn builtin() -> Rulebook {
        Self::builtin_pack("bra-mur-sv").expect("the default pack is compiled in")
    }

    /// The ids of the packs compiled into the program.
    pub fn builtin_ids() -> Vec<&'static str> {
        BUILTIN_PACKS.iter().map(|(id, _)| *id).collect()
    }

    /// A pack compiled into the program, by id (`bra-mur-sv`, `korruption-sv`, `marc-en`).
    pub fn builtin_pack(id: &str) -> Option<Rulebook> {
        let (name, files) = BUILTIN_PACKS.iter().find(|(name, _)| *name == id)?;
        let files: Files = files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        let dir = PathBuf::from("rulebooks").join(name);
        Some(
            Self::from_files(&dir, &files, false)
                .expect("the built-in rulebooks are valid (checked by tests)"),
        )
    }

    /// Reads and validates the pack in `dir`.
    pub fn load(dir: &Path) -> Result<Rulebook, RulesError> {
        Self::from_files(dir, &read_pack_files(dir)?, true)
    }

    /// Builds a pack from its files. With `compile`, every pattern is
    /// compiled and checked now and the engine is ready at once; without
    /// (only for the built-in packs, which the test suite checks), the
    /// engine is compiled on the first screening, which keeps start-up and
    /// the other crates' tests fast.
    fn from_files(dir: &Path, files: &Files, compile: bool) -> Result<Rulebook, RulesError> {
        let get = |name: &str| -> Result<&str, RulesError> {
            files
                .get(name)
                .map(String::as_str)
                .ok_or_else(|| RulesError::Io {
                    path: dir.join(name),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "the pack has no such file",
                    ),
                })
        };
        let pack: Pack = parse(dir, "pack.toml", get("pack.toml")?)?;
        let scale: Scale = parse(dir, "scale.toml", get("scale.toml")?)?;
        let crime_types: CrimeTypesFile = parse(dir, "crime-types.toml", get("crime-types.toml")?)?;
        let questions: QuestionsFile = parse(dir, "questions.toml", get("questions.toml")?)?;
        let actors: ActorsFile = parse(dir, "actors.toml", get("actors.toml")?)?;
        let groups: CountermeasuresFile =
            parse(dir, "countermeasures.toml", get("countermeasures.toml")?)?;
        let categories: CategoriesFile = parse(dir, "categories.toml", get("categories.toml")?)?;
        let context: ContextSignals = match files.get("context.toml") {
            Some(text) => {
                let c: ContextSignals = parse(dir, "context.toml", text)?;
                c.validate(dir, text)?;
                c
            }
            None => ContextSignals::default(),
        };
        let mut book = Rulebook {
            pack,
            scale,
            crime_types: crime_types.crime_types,
            questions: questions.questions,
            actors: actors.actors,
            countermeasure_groups: groups.groups,
            categories: categories.categories,
            rules: Vec::new(),
            context,
            engine: EngineCell::default(),
        };
        book.validate(dir, files)?;

        let known = rule::Known {
            crime_types: book.crime_types.iter().map(|c| c.code.as_str()).collect(),
            categories: book.categories.iter().map(|c| c.id.as_str()).collect(),
        };
        let mut rules: Vec<Rule> = Vec::new();
        let mut compiled = Vec::new();
        let mut ids: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for (name, text) in files.iter().filter(|(n, _)| n.starts_with("rules/")) {
            let (r, c) = rule::parse_rule(dir, name, text, &known, compile)?;
            compiled.extend(c);
            if let Some((first, line)) = ids.get(&r.id) {
                return Err(RulesError::Invalid {
                    path: dir.join(name),
                    line: Some(r.lines.id),
                    key: Some("id".into()),
                    message: format!(
                        "the rule id {:?} is already used in {first} (line {line}); rule ids must be unique",
                        r.id
                    ),
                });
            }
            ids.insert(r.id.clone(), (name.clone(), r.lines.id));
            rules.push(r);
        }
        book.rules = rules;
        if compile {
            let signals = book
                .context
                .compile()
                .expect("the signals were validated above");
            let engine = Engine::from_compiled(compiled, signals).map_err(|message| {
                RulesError::Invalid {
                    path: dir.join("rules"),
                    line: None,
                    key: None,
                    message,
                }
            })?;
            let _ = book.engine.0.set(Arc::new(engine));
        }
        Ok(book)
    }

    /// The compiled rules; compiled here if the rulebook was not loaded from
    /// files (e.g. read back from JSON). A rulebook whose rules no longer
    /// compile screens with no rules at all.
    pub(crate) fn engine(&self) -> &Engine {
        self.engine.0.get_or_init(|| {
            Arc::new(
                Engine::build(&self.rules, &self.context).unwrap_or_else(|_| {
                    Engine::build(&[], &ContextSignals::default())
                        .expect("an empty rule set compiles")
                }),
            )
        })
    }

    fn validate(&self, dir: &Path, files: &Files) -> Result<(), RulesError> {
        let invalid =
            |file: &str, line: Option<usize>, key: &str, message: String| RulesError::Invalid {
                path: dir.join(file),
                line,
                key: Some(key.to_string()),
                message,
            };
        let text = |file: &str| files.get(file).map(String::as_str).unwrap_or("");
        let find = |file: &str, needle: &str| line_of(text(file), needle);
        if self.pack.id.trim().is_empty() || self.pack.version.trim().is_empty() {
            return Err(invalid(
                "pack.toml",
                find("pack.toml", "id").or(Some(1)),
                "id",
                "the pack needs a non-empty id and version".into(),
            ));
        }
        for (name, axis) in [
            ("likelihood", &self.scale.likelihood),
            ("impact", &self.scale.impact),
        ] {
            let line = find("scale.toml", &format!("[{name}]"));
            if axis.steps.is_empty() {
                return Err(invalid(
                    "scale.toml",
                    line,
                    "steps",
                    format!("[{name}] has no steps"),
                ));
            }
            for (i, step) in axis.steps.iter().enumerate() {
                if usize::from(step.value) != i + 1 {
                    return Err(invalid(
                        "scale.toml",
                        line,
                        "steps",
                        format!(
                            "[{name}] step {} has value {}; steps must be numbered 1, 2, 3, … in order",
                            i + 1,
                            step.value
                        ),
                    ));
                }
            }
        }
        let banding_line = find("scale.toml", "matrix");
        let rows = &self.scale.banding.matrix;
        if rows.len() != self.scale.likelihood.steps.len() {
            return Err(invalid(
                "scale.toml",
                banding_line,
                "banding.matrix",
                format!(
                    "[banding] matrix has {} rows but the likelihood scale has {} steps; every cell needs a level",
                    rows.len(),
                    self.scale.likelihood.steps.len()
                ),
            ));
        }
        let mut level_ids = HashSet::new();
        for level in &self.scale.levels {
            if !level_ids.insert(level.id.as_str()) {
                return Err(invalid(
                    "scale.toml",
                    find("scale.toml", &format!("id = \"{}\"", level.id)),
                    "levels.id",
                    format!("the risk level id {:?} is defined twice", level.id),
                ));
            }
        }
        for (r, row) in rows.iter().enumerate() {
            let row_line = banding_line.map(|l| l + r + 1);
            if row.len() != self.scale.impact.steps.len() {
                return Err(invalid(
                    "scale.toml",
                    row_line,
                    "banding.matrix",
                    format!(
                        "[banding] matrix row {} has {} cells but the consequence scale has {} steps; every cell needs a level",
                        r + 1,
                        row.len(),
                        self.scale.impact.steps.len()
                    ),
                ));
            }
            for cell in row {
                if !level_ids.contains(cell.as_str()) {
                    return Err(invalid(
                        "scale.toml",
                        row_line,
                        "banding.matrix",
                        format!(
                            "[banding] matrix row {} names unknown level {cell:?}",
                            r + 1
                        ),
                    ));
                }
            }
        }
        unique(self.crime_types.iter().map(|c| c.code.as_str()), |code| {
            invalid(
                "crime-types.toml",
                find("crime-types.toml", &format!("code = \"{code}\"")),
                "code",
                format!("crime type code {code:?} is defined twice"),
            )
        })?;
        unique(self.actors.iter().map(|a| a.id.as_str()), |id| {
            invalid(
                "actors.toml",
                find("actors.toml", &format!("id = \"{id}\"")),
                "id",
                format!("the actor id {id:?} is defined twice"),
            )
        })?;
        unique(
            self.countermeasure_groups.iter().map(|g| g.id.as_str()),
            |id| {
                invalid(
                    "countermeasures.toml",
                    find("countermeasures.toml", &format!("id = \"{id}\"")),
                    "id",
                    format!("the countermeasure group id {id:?} is defined twice"),
                )
            },
        )?;
        unique(self.categories.iter().map(|c| c.id.as_str()), |id| {
            invalid(
                "categories.toml",
                find("categories.toml", &format!("id = \"{id}\"")),
                "id",
                format!("the category id {id:?} is defined twice"),
            )
        })?;
        self.validate_questions(dir, text("questions.toml"))
    }

    fn validate_questions(&self, dir: &Path, text: &str) -> Result<(), RulesError> {
        let mut ids = HashSet::new();
        let mut fields = HashSet::new();
        for q in &self.questions {
            let line = line_of(text, &format!("id = \"{}\"", q.id));
            let bad = |key: &str, message: String| RulesError::Invalid {
                path: dir.join("questions.toml"),
                line,
                key: Some(key.to_string()),
                message: format!("question {:?}: {message}", q.id),
            };
            if q.id.trim().is_empty() {
                return Err(bad("id", "the question id is empty".into()));
            }
            if !ids.insert(q.id.as_str()) {
                return Err(bad("id", "the question id is used twice".into()));
            }
            let choice = matches!(
                q.kind,
                QuestionKind::SingleChoice | QuestionKind::MultipleChoice
            );
            if choice && q.options.is_empty() == q.options_from.is_none() {
                return Err(bad(
                    "options",
                    "a choice question needs either `options` or `options_from`, not both".into(),
                ));
            }
            if !choice && (!q.options.is_empty() || q.options_from.is_some()) {
                return Err(bad(
                    "options",
                    "only single_choice and multiple_choice questions take options".into(),
                ));
            }
            if (q.kind == QuestionKind::Scale) != q.scale.is_some() {
                return Err(bad(
                    "scale",
                    "a scale question needs `scale = \"likelihood\"` or `\"impact\"`, and only a scale question takes it".into(),
                ));
            }
            let mut values = HashSet::new();
            for o in &q.options {
                if !values.insert(o.value.as_str()) {
                    return Err(bad(
                        "options",
                        format!("the option {:?} is listed twice", o.value),
                    ));
                }
            }
            if let Some(field) = q.field {
                if !fields.insert(field) {
                    return Err(bad(
                        "field",
                        format!("another question already fills the field {field:?}"),
                    ));
                }
                if !field.allowed_kinds().contains(&q.kind) {
                    return Err(bad(
                        "kind",
                        format!(
                            "the field {field:?} is filled by a question of kind {:?}",
                            field.allowed_kinds()
                        ),
                    ));
                }
                if let Some(fixed) = field.fixed_values() {
                    for o in &q.options {
                        if !fixed.contains(&o.value.as_str()) {
                            return Err(bad(
                                "options",
                                format!(
                                    "the option {:?} cannot be stored in {field:?}; use one of {fixed:?}",
                                    o.value
                                ),
                            ));
                        }
                    }
                    if q.options_from.is_some() {
                        return Err(bad("options_from", format!("{field:?} has fixed options")));
                    }
                }
                if let Some(src) = field.required_source()
                    && q.options_from != Some(src)
                {
                    return Err(bad(
                        "options_from",
                        format!("the field {field:?} takes its options from {src:?}"),
                    ));
                }
                let axis = match field {
                    FindingField::Likelihood => Some(ScaleAxis::Likelihood),
                    FindingField::Impact => Some(ScaleAxis::Impact),
                    _ => None,
                };
                if axis.is_some() && q.scale != axis {
                    return Err(bad(
                        "scale",
                        format!("the field {field:?} uses the {axis:?} scale"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The reference an analysis stores.
    pub fn reference(&self) -> RulebookRef {
        RulebookRef {
            id: self.pack.id.clone(),
            version: self.pack.version.clone(),
        }
    }

    /// The risk level for 1-based `likelihood` × `impact`, if both are on the scale.
    pub fn risk_level(&self, likelihood: u8, impact: u8) -> Option<&Level> {
        let id = self
            .scale
            .banding
            .matrix
            .get(usize::from(likelihood).checked_sub(1)?)?
            .get(usize::from(impact).checked_sub(1)?)?;
        self.scale.levels.iter().find(|l| &l.id == id)
    }

    /// The crime type with `code`, if the pack defines it.
    pub fn crime_type(&self, code: &str) -> Option<&CrimeType> {
        self.crime_types.iter().find(|c| c.code == code)
    }

    /// The regular expressions screening runs for the rules' triggers
    /// (term lists translated, threshold placeholders expanded), in rule
    /// order: for inspection, and for comparing with other tools.
    pub fn screening_patterns(&self) -> Vec<String> {
        self.rules
            .iter()
            .filter_map(|r| rule::compile_rule(r).ok())
            .flat_map(|c| c.trigger.into_iter().map(|(src, _)| src))
            .collect()
    }

    /// The screening rule with `id`.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The question that fills `field`, if the pack has one.
    pub fn question_for(&self, field: FindingField) -> Option<&Question> {
        self.questions.iter().find(|q| q.field == Some(field))
    }

    /// The vulnerability family with `id`.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }
}

fn unique<'a>(
    items: impl Iterator<Item = &'a str>,
    err: impl Fn(&str) -> RulesError,
) -> Result<(), RulesError> {
    let mut seen = HashSet::new();
    for i in items {
        if !seen.insert(i) {
            return Err(err(i));
        }
    }
    Ok(())
}

/// Reads the pack's files (and `rules/*.toml`, sorted by name).
fn read_pack_files(dir: &Path) -> Result<Files, RulesError> {
    let read = |path: PathBuf| {
        std::fs::read_to_string(&path).map_err(|source| RulesError::Io { path, source })
    };
    let mut files = Files::new();
    for name in PACK_FILES {
        files.insert(name.to_string(), read(dir.join(name))?);
    }
    for name in OPTIONAL_FILES {
        let path = dir.join(name);
        if path.is_file() {
            files.insert(name.to_string(), read(path)?);
        }
    }
    let rules = dir.join("rules");
    if rules.is_dir() {
        let entries = std::fs::read_dir(&rules).map_err(|source| RulesError::Io {
            path: rules.clone(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| RulesError::Io {
                path: rules.clone(),
                source,
            })?;
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "toml") {
                let name = format!("rules/{}", entry.file_name().to_string_lossy());
                files.insert(name, read(path)?);
            }
        }
    }
    Ok(files)
}

fn parse<T: serde::de::DeserializeOwned>(
    dir: &Path,
    file: &str,
    text: &str,
) -> Result<T, RulesError> {
    toml::from_str(text).map_err(|e| syntax(dir.join(file), text, &e))
}
