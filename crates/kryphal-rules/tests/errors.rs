//! A malformed pack is refused with the file, the line, the key and a plain
//! sentence. Each test copies the default pack, breaks one thing and checks
//! the error.

use std::path::{Path, PathBuf};

use kryphal_rules::{Rulebook, RulesError};

fn default_pack() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rulebooks/bra-mur-sv")
}

fn copy_pack() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let src = default_pack();
    std::fs::create_dir(tmp.path().join("rules")).unwrap();
    for sub in ["", "rules"] {
        for e in std::fs::read_dir(src.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, tmp.path().join(sub).join(p.file_name().unwrap())).unwrap();
            }
        }
    }
    tmp
}

fn edit(dir: &Path, file: &str, f: impl Fn(&str) -> String) {
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    let new = f(&text);
    assert_ne!(new, text, "the edit of {file} changed nothing");
    std::fs::write(p, new).unwrap();
}

fn write_rule(dir: &Path, name: &str, body: &str) {
    std::fs::write(dir.join("rules").join(name), body).unwrap();
}

/// A minimal valid rule, to be broken by each test.
const RULE: &str = r#"id = "test-rule"
kind = "existence"
category = "vaga-begrepp"
level = "warning"
message = "Vagt: {match}"
rationale = "Ett test."
crime_types = ["BED"]
terms = ["osannolik~"]

[examples]
hit = ["det är osannolikt"]
miss = ["det är sannolikt"]
"#;

fn load_err(dir: &Path) -> RulesError {
    Rulebook::load(dir).expect_err("the broken pack must be refused")
}

fn assert_located(err: &RulesError, file: &str, line: usize, key: &str) {
    let text = err.to_string();
    assert!(err.path().ends_with(file), "{text}");
    assert_eq!(err.line(), Some(line), "{text}");
    assert_eq!(err.key(), Some(key), "{text}");
    assert!(text.contains(&format!("line {line}")), "{text}");
    assert!(text.contains(file), "{text}");
}

#[test]
fn a_valid_extra_rule_loads_and_screens() {
    let dir = copy_pack();
    write_rule(dir.path(), "test-rule.toml", RULE);
    let book = Rulebook::load(dir.path()).unwrap();
    assert!(book.rule("test-rule").is_some());
}

#[test]
fn unknown_key_in_pack_toml_names_file_line_and_key() {
    let dir = copy_pack();
    edit(dir.path(), "pack.toml", |t| {
        t.replace("language = \"sv\"", "language = \"sv\"\ncolour = \"red\"")
    });
    let err = load_err(dir.path());
    // Line 6: the `#:schema` directive, a comment, id, version, language, then the bad key.
    assert_located(&err, "pack.toml", 6, "colour");
}

#[test]
fn unknown_key_in_a_rule_names_file_line_and_key() {
    let dir = copy_pack();
    write_rule(
        dir.path(),
        "test-rule.toml",
        &RULE.replace("level = \"warning\"", "level = \"warning\"\nseverity = 3"),
    );
    let err = load_err(dir.path());
    assert_located(&err, "rules/test-rule.toml", 5, "severity");
}

#[test]
fn unknown_rule_kind_is_refused_at_its_line() {
    let dir = copy_pack();
    write_rule(
        dir.path(),
        "test-rule.toml",
        &RULE.replace("kind = \"existence\"", "kind = \"spelling\""),
    );
    let err = load_err(dir.path());
    assert_located(&err, "rules/test-rule.toml", 2, "kind");
    assert!(err.to_string().contains("spelling"), "{err}");
}

#[test]
fn regex_with_look_around_does_not_compile_and_is_refused() {
    let dir = copy_pack();
    write_rule(
        dir.path(),
        "test-rule.toml",
        &RULE.replace(
            r#"terms = ["osannolik~"]"#,
            "terms = [\n  \"osannolik~\",\n  '/bör(?!ja)/',\n]",
        ),
    );
    let err = load_err(dir.path());
    assert_located(&err, "rules/test-rule.toml", 10, "terms");
    assert!(err.to_string().contains("does not compile"), "{err}");
}

#[test]
fn pattern_that_could_run_away_is_refused() {
    let dir = copy_pack();
    write_rule(
        dir.path(),
        "test-rule.toml",
        &RULE.replace(
            r#"terms = ["osannolik~"]"#,
            r#"terms = ['/(?:\w{100}){100}/']"#,
        ),
    );
    let err = load_err(dir.path());
    assert_located(&err, "rules/test-rule.toml", 8, "terms");
    assert!(err.to_string().contains("too large"), "{err}");
}

#[test]
fn pattern_matching_empty_text_is_refused() {
    let dir = copy_pack();
    write_rule(
        dir.path(),
        "test-rule.toml",
        &RULE.replace(r#"terms = ["osannolik~"]"#, r#"terms = ['/x*/']"#),
    );
    let err = load_err(dir.path());
    assert_located(&err, "rules/test-rule.toml", 8, "terms");
    assert!(err.to_string().contains("empty text"), "{err}");
}

#[test]
fn duplicate_rule_id_names_both_files() {
    let dir = copy_pack();
    write_rule(
        dir.path(),
        "zz-copy.toml",
        &RULE.replace("test-rule", "vag-osannolik"),
    );
    let err = load_err(dir.path());
    assert_located(&err, "rules/zz-copy.toml", 1, "id");
    assert!(
        err.to_string()
            .contains("already used in rules/vag-osannolik.toml"),
        "{err}"
    );
}

#[test]
fn unknown_crime_type_code_in_a_rule_is_refused() {
    let dir = copy_pack();
    write_rule(
        dir.path(),
        "test-rule.toml",
        &RULE.replace(r#"["BED"]"#, r#"["BED", "XYZ"]"#),
    );
    let err = load_err(dir.path());
    assert_located(&err, "rules/test-rule.toml", 7, "crime_types");
    assert!(
        err.to_string()
            .contains("\"XYZ\" is not defined in crime-types.toml"),
        "{err}"
    );
}

#[test]
fn key_of_another_kind_is_refused() {
    let dir = copy_pack();
    write_rule(
        dir.path(),
        "test-rule.toml",
        &RULE.replace("[examples]", "scope = \"clause\"\n\n[examples]"),
    );
    let err = load_err(dir.path());
    assert_located(&err, "rules/test-rule.toml", 10, "scope");
    assert!(
        err.to_string()
            .contains("does not apply to a rule of kind `existence`"),
        "{err}"
    );
}

#[test]
fn rule_without_near_miss_examples_is_refused() {
    let dir = copy_pack();
    write_rule(
        dir.path(),
        "test-rule.toml",
        &RULE.replace(r#"miss = ["det är sannolikt"]"#, "miss = []"),
    );
    let err = load_err(dir.path());
    assert!(err.to_string().contains("at least one `miss`"), "{err}");
    assert_eq!(err.key(), Some("examples"));
}

#[test]
fn unknown_placeholder_in_message_is_refused() {
    let dir = copy_pack();
    write_rule(
        dir.path(),
        "test-rule.toml",
        &RULE.replace("{match}", "{matched}"),
    );
    let err = load_err(dir.path());
    assert_located(&err, "rules/test-rule.toml", 5, "message");
}

#[test]
fn banding_with_a_missing_cell_is_refused() {
    let dir = copy_pack();
    edit(dir.path(), "scale.toml", |s| {
        s.replace(
            r#"["low", "low", "low", "medium"],"#,
            r#"["low", "low", "low"],"#,
        )
    });
    let err = load_err(dir.path());
    assert!(err.to_string().contains("row 1 has 3 cells"), "{err}");
    assert!(
        err.to_string().contains("every cell needs a level"),
        "{err}"
    );
    assert!(err.path().ends_with("scale.toml"));
    assert!(err.line().is_some_and(|l| l > 40), "{err}");
}

#[test]
fn banding_naming_an_unknown_level_is_refused() {
    let dir = copy_pack();
    edit(dir.path(), "scale.toml", |s| {
        s.replacen("\"very_high\"]", "\"extreme\"]", 1)
    });
    let err = load_err(dir.path());
    assert!(
        err.to_string().contains("unknown level \"extreme\""),
        "{err}"
    );
}

#[test]
fn question_filling_a_field_with_the_wrong_kind_is_refused() {
    let dir = copy_pack();
    edit(dir.path(), "questions.toml", |s| {
        s.replacen(
            "kind = \"scale\"\nscale = \"likelihood\"",
            "kind = \"text\"",
            1,
        )
    });
    let err = load_err(dir.path());
    assert!(err.path().ends_with("questions.toml"), "{err}");
    assert_eq!(err.key(), Some("kind"), "{err}");
    assert!(err.to_string().contains("sannolikhet"), "{err}");
}

#[test]
fn missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let err = load_err(dir.path());
    assert!(err.to_string().contains("pack.toml"), "{err}");
}

#[test]
fn unknown_clause_role_is_refused_at_its_line() {
    let dir = copy_pack();
    write_rule(
        dir.path(),
        "test-rule.toml",
        &RULE.replace(
            "terms = [\"osannolik~\"]",
            "terms = [\"osannolik~\"]\nroles = [\"obligation\", \"footnote\"]",
        ),
    );
    let err = load_err(dir.path());
    assert_located(&err, "rules/test-rule.toml", 9, "roles");
    assert!(err.to_string().contains("footnote"), "{err}");
}

#[test]
fn unknown_placeholder_in_the_why_is_refused() {
    let dir = copy_pack();
    write_rule(
        dir.path(),
        "test-rule.toml",
        &RULE.replace(
            "terms = [\"osannolik~\"]",
            "terms = [\"osannolik~\"]\nwhy = \"Se {paragraf}.\"",
        ),
    );
    let err = load_err(dir.path());
    assert_located(&err, "rules/test-rule.toml", 9, "why");
    assert!(err.to_string().contains("{paragraf}"), "{err}");
}

#[test]
fn proposal_with_two_forms_is_refused() {
    let dir = copy_pack();
    write_rule(
        dir.path(),
        "test-rule.toml",
        &RULE.replace(
            "terms = [\"osannolik~\"]",
            "terms = [\"osannolik~\"]\nproposal = { replace = \"ska\", append = \"Och mer.\" }",
        ),
    );
    let err = load_err(dir.path());
    assert_eq!(err.line(), Some(9), "{err}");
    assert_eq!(err.key(), Some("proposal"), "{err}");
}

#[test]
fn report_and_min_topic_belong_to_absence_rules_only() {
    let dir = copy_pack();
    write_rule(
        dir.path(),
        "test-rule.toml",
        &RULE.replace(
            "terms = [\"osannolik~\"]",
            "terms = [\"osannolik~\"]\nreport = \"document\"",
        ),
    );
    let err = load_err(dir.path());
    assert_located(&err, "rules/test-rule.toml", 9, "report");
    assert!(err.to_string().contains("does not apply"), "{err}");
}

#[test]
fn min_topic_without_a_section_or_document_report_is_refused() {
    let dir = copy_pack();
    let absence = RULE
        .replace("kind = \"existence\"", "kind = \"absence\"")
        .replace(
            "terms = [\"osannolik~\"]",
            "topic = [\"osannolik~\"]\nrequired = [\"kriterier\"]\nmin_topic = 2",
        );
    write_rule(dir.path(), "test-rule.toml", &absence);
    let err = load_err(dir.path());
    assert_located(&err, "rules/test-rule.toml", 10, "min_topic");
    assert!(err.to_string().contains("report"), "{err}");
}

#[test]
fn a_term_of_with_that_does_not_compile_names_its_line() {
    let dir = copy_pack();
    write_rule(
        dir.path(),
        "test-rule.toml",
        &RULE.replace(
            "terms = [\"osannolik~\"]",
            "terms = [\"osannolik~\"]\nwith = [\n    \"belopp\",\n    '/(?=x)/',\n]",
        ),
    );
    let err = load_err(dir.path());
    assert_located(&err, "rules/test-rule.toml", 11, "with");
}

#[test]
fn unknown_key_in_context_toml_names_file_line_and_key() {
    let dir = copy_pack();
    edit(dir.path(), "context.toml", |t| {
        t.replace("window = 6", "window = 6\nreach = 3")
    });
    let err = load_err(dir.path());
    assert!(err.path().ends_with("context.toml"), "{err}");
    assert_eq!(err.key(), Some("reach"), "{err}");
    assert!(err.line().is_some(), "{err}");
}

#[test]
fn a_context_term_that_does_not_compile_names_its_list_and_line() {
    let dir = copy_pack();
    edit(dir.path(), "context.toml", |t| {
        t.replace("    \"bankgiro*\",", "    \"bankgiro*\",\n    '/(?<=x)y/',")
    });
    let err = load_err(dir.path());
    assert!(err.path().ends_with("context.toml"), "{err}");
    assert_eq!(err.key(), Some("roles.furniture"), "{err}");
    let line = std::fs::read_to_string(dir.path().join("context.toml"))
        .unwrap()
        .lines()
        .position(|l| l.contains("(?<=x)y"))
        .unwrap()
        + 1;
    assert_eq!(err.line(), Some(line), "{err}");
}

#[test]
fn a_pack_without_context_toml_loads_and_reads_every_clause_as_a_statement() {
    let dir = copy_pack();
    std::fs::remove_file(dir.path().join("context.toml")).unwrap();
    let book = Rulebook::load(dir.path()).unwrap();
    let roles = kryphal_rules::clause_roles(
        &book,
        &kryphal_rules::ScreenInput::single("Bankgiro 624-1061"),
    );
    assert_eq!(roles, [kryphal_rules::ClauseRole::Statement]);
}

#[test]
fn a_unicode_word_boundary_is_refused_and_an_ascii_one_screens() {
    // `\b` would keep the pattern off the fast automaton on text with å, ä, ö.
    let dir = copy_pack();
    write_rule(
        dir.path(),
        "test-rule.toml",
        &RULE.replace(
            r#"terms = ["osannolik~"]"#,
            "terms = [\n  \"osannolik~\",\n  '/\\bfusk\\b/',\n]",
        ),
    );
    let err = load_err(dir.path());
    assert_located(&err, "rules/test-rule.toml", 10, "terms");
    assert!(err.to_string().contains("(?-u:\\b)"), "{err}");

    // The ASCII boundary loads, fires on the word and not inside a longer one.
    let ok = RULE
        .replace(
            r#"terms = ["osannolik~"]"#,
            r#"terms = ['/(?-u:\b)fusk(?-u:\b)/']"#,
        )
        .replace(
            r#"hit = ["det är osannolikt"]"#,
            r#"hit = ["Misstänkt fusk anmäls till nämnden."]"#,
        )
        .replace(
            r#"miss = ["det är sannolikt"]"#,
            r#"miss = ["Ett fuskbygge rivs på ägarens bekostnad."]"#,
        );
    write_rule(dir.path(), "test-rule.toml", &ok);
    let report = kryphal_rules::check_pack(dir.path()).unwrap();
    assert!(report.passed(), "{report}");
    let book = Rulebook::load(dir.path()).unwrap();
    assert!(book.rule("test-rule").is_some());
}
