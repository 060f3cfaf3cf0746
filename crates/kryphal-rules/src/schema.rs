//! The JSON Schema of a rule file, generated from the same key table the
//! loader checks against (so the two cannot drift apart), committed as
//! `rulebooks/schema/rule.schema.json` for editors (e.g. Taplo's
//! `#:schema` comment) and checked for staleness by a test.

use serde_json::{Map, Value, json};

use crate::RuleKind;
use crate::rule::{Json, KEYS};

const KINDS: [RuleKind; 4] = [
    RuleKind::Existence,
    RuleKind::Absence,
    RuleKind::Threshold,
    RuleKind::Question,
];

fn type_of(j: Json) -> Value {
    let str_list = json!({ "type": "array", "items": { "type": "string", "minLength": 1 } });
    match j {
        Json::Str => json!({ "type": "string" }),
        Json::StrList => str_list,
        Json::Int => json!({ "type": "integer", "minimum": 0 }),
        Json::Kind => json!({ "enum": KINDS.iter().map(|k| k.as_str()).collect::<Vec<_>>() }),
        Json::Level => json!({ "enum": ["suggestion", "warning"] }),
        Json::Scope => json!({ "enum": ["clause", "section", "document"] }),
        Json::Report => json!({ "enum": ["clause", "section", "document"] }),
        Json::Roles => json!({
            "type": "array",
            "minItems": 1,
            "items": { "enum": crate::ClauseRole::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>() }
        }),
        Json::Negation => json!({ "enum": ["skip", "include", "only"] }),
        Json::Proposal => json!({
            "type": "object",
            "additionalProperties": false,
            "minProperties": 1,
            "maxProperties": 1,
            "properties": {
                "replace": { "type": "string", "minLength": 1,
                             "description": "Replaces the first matched words of the clause." },
                "append": { "type": "string", "minLength": 1,
                            "description": "Added as a sentence after the clause." }
            }
        }),
        Json::Units => json!({
            "type": "object",
            "additionalProperties": { "type": "integer", "minimum": 1 }
        }),
        Json::Examples => json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["hit", "miss"],
            "properties": {
                "hit": { "type": "array", "minItems": 1, "items": { "type": "string" },
                         "description": "Texts the rule must hit." },
                "miss": { "type": "array", "minItems": 1, "items": { "type": "string" },
                          "description": "Near-misses the rule must not hit." }
            }
        }),
    }
}

/// The JSON Schema (draft-07) of one rule file under `rules/`.
pub fn rule_file_schema() -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for k in KEYS {
        let mut t = type_of(k.json);
        let desc = match k.kinds {
            None => k.description.to_string(),
            Some(kinds) => format!(
                "{} (kind: {})",
                k.description,
                kinds
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        t["description"] = Value::String(desc);
        props.insert(k.name.to_string(), t);
        if k.required && k.kinds.is_none() {
            required.push(k.name);
        }
    }
    let mut all_of = Vec::new();
    for kind in KINDS {
        let mut then_required = Vec::new();
        let mut forbidden = Map::new();
        for k in KEYS {
            match k.kinds {
                Some(ks) if ks.contains(&kind) && k.required => then_required.push(k.name),
                Some(ks) if !ks.contains(&kind) => {
                    forbidden.insert(k.name.to_string(), Value::Bool(false));
                }
                _ => {}
            }
        }
        all_of.push(json!({
            "if": { "properties": { "kind": { "const": kind.as_str() } }, "required": ["kind"] },
            "then": { "required": then_required, "properties": forbidden }
        }));
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Kryphål screening rule",
        "description": "One screening rule of a Kryphål rulebook pack (rules/<id>.toml). Unknown keys are refused.",
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": props,
        "allOf": all_of
    })
}

/// The JSON Schemas of a pack's other files, by file stem (`pack`, `scale`,
/// `crime-types`, `questions`, `actors`, `countermeasures`, `categories`,
/// `context`),
/// derived from the very types the loader deserialises into, so they cannot
/// drift from what the loader accepts. Committed under `rulebooks/schema/`.
pub fn pack_file_schemas() -> Vec<(&'static str, Value)> {
    use crate::questions::{ActorsFile, CategoriesFile, CountermeasuresFile, QuestionsFile};
    fn of<T: schemars::JsonSchema>() -> Value {
        serde_json::to_value(schemars::schema_for!(T)).expect("a schema is JSON")
    }
    vec![
        ("pack", of::<crate::Pack>()),
        ("scale", of::<crate::Scale>()),
        ("crime-types", of::<crate::CrimeTypesFile>()),
        ("questions", of::<QuestionsFile>()),
        ("actors", of::<ActorsFile>()),
        ("countermeasures", of::<CountermeasuresFile>()),
        ("categories", of::<CategoriesFile>()),
        ("context", of::<crate::context::ContextFile>()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::raw_rule_fields;

    #[test]
    fn key_table_lists_exactly_the_fields_the_loader_accepts() {
        let mut table: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
        let mut serde: Vec<&str> = raw_rule_fields().to_vec();
        table.sort_unstable();
        serde.sort_unstable();
        assert_eq!(table, serde);
        assert!(serde.contains(&"examples"));
    }

    #[test]
    fn schema_forbids_threshold_keys_on_existence_rules() {
        let s = rule_file_schema();
        let existence = s["allOf"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["if"]["properties"]["kind"]["const"] == "existence")
            .unwrap();
        assert_eq!(
            existence["then"]["properties"]["pattern"],
            Value::Bool(false)
        );
        assert_eq!(existence["then"]["required"], json!(["terms"]));
        assert_eq!(s["additionalProperties"], Value::Bool(false));
    }
}
