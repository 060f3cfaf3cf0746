//! The default packs load, pass `check_pack`, match the compiled-in copies,
//! and the published JSON Schema is in step with the loader.

use std::path::{Path, PathBuf};

use kryphal_rules::{RuleKind, Rulebook, check_pack, rule_file_schema};

fn pack_dir(id: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../rulebooks")
        .join(id)
}

#[test]
fn every_default_pack_passes_its_examples() {
    for id in ["bra-mur-sv", "korruption-sv", "marc-en"] {
        let report = check_pack(&pack_dir(id)).unwrap_or_else(|e| panic!("{id}: {e}"));
        print!("{report}");
        assert!(report.passed(), "{report}");
        assert!(
            report.examples_run >= 2 * report.rules,
            "{id}: every rule has examples"
        );
        assert_eq!(report.pack.id, id);
    }
}

#[test]
fn swedish_pack_has_thirty_rules_across_ten_families_and_every_kind() {
    let report = check_pack(&pack_dir("bra-mur-sv")).unwrap();
    let screening: u32 = report
        .rules_by_kind
        .iter()
        .filter(|(k, _)| *k != RuleKind::Question)
        .map(|(_, n)| n)
        .sum();
    assert!(screening >= 30, "{screening} screening rules");
    assert!(report.categories_covered >= 10, "{report}");
    for (kind, n) in &report.rules_by_kind {
        assert!(*n > 0, "no rule of kind {kind:?}");
    }
}

#[test]
fn folders_on_disk_match_the_compiled_in_packs() {
    assert_eq!(
        Rulebook::builtin_ids(),
        vec!["bra-mur-sv", "korruption-sv", "marc-en"]
    );
    for id in Rulebook::builtin_ids() {
        let on_disk = Rulebook::load(&pack_dir(id)).unwrap();
        assert_eq!(on_disk, Rulebook::builtin_pack(id).unwrap(), "{id}");
    }
    assert_eq!(Rulebook::builtin().pack.id, "bra-mur-sv");
    assert!(Rulebook::builtin_pack("nope").is_none());
}

#[test]
fn marc_pack_groups_countermeasures_by_clarkes_five_aims() {
    let book = Rulebook::builtin_pack("marc-en").unwrap();
    let ids: Vec<&str> = book
        .countermeasure_groups
        .iter()
        .map(|g| g.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "increase_effort",
            "increase_risks",
            "reduce_rewards",
            "reduce_provocations",
            "remove_excuses"
        ]
    );
    assert_eq!(book.pack.language, "en");
}

/// `KRYPHAL_UPDATE_SCHEMA=1 cargo test -p kryphal-rules --test packs` rewrites it.
#[test]
fn published_pack_file_schemas_are_up_to_date_and_name_every_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rulebooks/schema");
    for (stem, schema) in kryphal_rules::pack_file_schemas() {
        let path = dir.join(format!("{stem}.schema.json"));
        let fresh = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        if std::env::var_os("KRYPHAL_UPDATE_SCHEMA").is_some() {
            std::fs::write(&path, &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            committed,
            fresh,
            "{} is stale; run KRYPHAL_UPDATE_SCHEMA=1 cargo test -p kryphal-rules --test packs",
            path.display()
        );
        // Unknown keys are refused by the loader, so the schema must say so too.
        assert_eq!(schema["additionalProperties"], false, "{stem}");
        // Every pack file points editors at its schema.
        for pack in ["bra-mur-sv", "korruption-sv", "marc-en"] {
            let text =
                std::fs::read_to_string(pack_dir(pack).join(format!("{stem}.toml"))).unwrap();
            let directive = format!("#:schema ../schema/{stem}.schema.json");
            assert!(
                text.starts_with(&directive),
                "{pack}/{stem}.toml lacks `{directive}` on its first line"
            );
        }
    }
}

#[test]
fn published_rule_schema_is_up_to_date() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rulebooks/schema/rule.schema.json");
    let fresh = serde_json::to_string_pretty(&rule_file_schema()).unwrap() + "\n";
    if std::env::var_os("KRYPHAL_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed, fresh,
        "rulebooks/schema/rule.schema.json is stale; run KRYPHAL_UPDATE_SCHEMA=1 cargo test -p kryphal-rules --test packs"
    );
}

#[test]
fn every_rule_file_uses_only_keys_the_schema_allows_for_its_kind() {
    let schema = rule_file_schema();
    let props = schema["properties"].as_object().unwrap();
    for id in ["bra-mur-sv", "korruption-sv", "marc-en"] {
        for entry in std::fs::read_dir(pack_dir(id).join("rules")).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let table: toml::Table = toml::from_str(&text).unwrap();
            let kind = table["kind"].as_str().unwrap();
            let rule_for_kind = schema["allOf"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["if"]["properties"]["kind"]["const"] == kind)
                .unwrap();
            for key in table.keys() {
                assert!(
                    props.contains_key(key),
                    "{}: {key} not in schema",
                    path.display()
                );
                assert_ne!(
                    rule_for_kind["then"]["properties"][key],
                    serde_json::Value::Bool(false),
                    "{}: {key} forbidden for {kind}",
                    path.display()
                );
            }
            for req in schema["required"].as_array().unwrap() {
                assert!(
                    table.contains_key(req.as_str().unwrap()),
                    "{}: {req}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn builtin_pack_is_valid_and_bands_like_msb() {
    let book = Rulebook::builtin();
    assert_eq!(book.pack.id, "bra-mur-sv");
    assert_eq!(book.reference().version, book.pack.version);
    assert_eq!(book.risk_level(1, 1).unwrap().id, "low");
    assert_eq!(book.risk_level(2, 2).unwrap().id, "medium");
    assert_eq!(book.risk_level(3, 3).unwrap().id, "high");
    assert_eq!(book.risk_level(4, 3).unwrap().id, "very_high");
    assert!(book.risk_level(0, 1).is_none());
    assert!(book.risk_level(5, 1).is_none());
    assert_eq!(book.crime_type("BID").unwrap().name, "Bidragsbrott");
    assert_eq!(book.crime_types.len(), 13);
}

#[test]
fn swedish_questions_cover_every_finding_field_and_mark_exploitation_sensitive() {
    use kryphal_rules::FindingField::*;
    let book = Rulebook::builtin();
    for field in [
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
    ] {
        assert!(
            book.question_for(field).is_some(),
            "no question fills {field:?}"
        );
    }
    let sensitive: Vec<&str> = book
        .questions
        .iter()
        .filter(|q| q.sensitive)
        .map(|q| q.id.as_str())
        .collect();
    assert_eq!(sensitive, ["tillvagagangssatt"]);
    assert_eq!(
        book.question_for(Exploitation).unwrap().id,
        "tillvagagangssatt"
    );
}

#[test]
fn a_rulebook_read_back_from_json_still_screens() {
    let book = Rulebook::builtin();
    let json = serde_json::to_string(&book).unwrap();
    let back: Rulebook = serde_json::from_str(&json).unwrap();
    assert!(back == book, "the rulebook changed in a JSON round trip");
    let hits = kryphal_rules::screen(
        &back,
        &kryphal_rules::ScreenInput::single("Det är osannolikt att felet upprepas."),
    );
    assert!(
        hits.iter().any(|h| h.rule_id == "vag-osannolik"),
        "{hits:?}"
    );
}

#[test]
fn every_built_in_rule_explains_itself_and_offers_a_starting_wording() {
    for id in Rulebook::builtin_ids() {
        let book = Rulebook::builtin_pack(id).unwrap();
        for rule in &book.rules {
            assert!(rule.why.is_some(), "{id}/{}: no `why`", rule.file);
            assert!(
                rule.consequence.is_some(),
                "{id}/{}: no `consequence`",
                rule.file
            );
            assert!(rule.proposal.is_some(), "{id}/{}: no `proposal`", rule.file);
        }
    }
}

#[test]
fn corruption_pack_covers_the_corruption_proofing_factors_and_shares_the_finding_form() {
    let report = check_pack(&pack_dir("korruption-sv")).unwrap();
    assert!(report.passed(), "{report}");
    let book = Rulebook::builtin_pack("korruption-sv").unwrap();
    for family in [
        "skonsmassighet",
        "frister",
        "blank-delegering",
        "beslut-utan-insyn",
        "konkurrens",
        "oppna-krav",
        "rollsammanblandning",
        "foljd-saknas",
    ] {
        assert!(
            book.rules.iter().any(|r| r.category == family),
            "no rule in {family}"
        );
    }
    let swedish = Rulebook::builtin();
    assert_eq!(book.scale, swedish.scale);
    assert_eq!(book.crime_types, swedish.crime_types);
    assert_eq!(book.questions, swedish.questions);
    assert_eq!(book.pack.language, "sv");
}
