//! `kryphal outline promote | demote | move | renumber | corrections`, run as
//! an analyst would on the sample, and the corrections made again when the
//! revised 2025 version is imported with `--as-version-of`.

use std::path::Path;
use std::process::Output;

mod common;
use common::SAMPLE;

const REVISED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../kryphal-app/tests/fixtures/reglemente-kundval-hemtjanst-2025.md"
);

fn run(lib: &Path, args: &[&str]) -> Output {
    common::kryphal(lib, args, None)
}

fn ok(lib: &Path, args: &[&str]) -> String {
    common::succeeded(args, run(lib, args))
}

fn json(lib: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(lib, args)).unwrap()
}

/// The one line on stderr of a run that must have failed with exit code 1.
fn fails(lib: &Path, args: &[&str]) -> String {
    let out = run(lib, args);
    assert_eq!(out.status.code(), Some(1), "{args:?} should fail");
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr).unwrap()
}

/// The clause of `doc` with `number`, from `show --json`.
fn clause(lib: &Path, doc: &str, number: &str) -> serde_json::Value {
    json(lib, &["show", doc, "--json"])["outline"]["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == number)
        .unwrap_or_else(|| panic!("no clause {number}"))
        .clone()
}

fn id(v: &serde_json::Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

fn import_sample(lib: &Path) -> String {
    json(lib, &["import", SAMPLE, "--json"])[0]["report"]["document_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn the_four_corrections_in_text_and_json_and_their_list() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib.kryphal");
    let doc = import_sample(&lib);

    let c21 = id(&clause(&lib, &doc, "2.1"));
    let heading = json(
        &lib,
        &["outline", "promote", &c21, "--level", "2", "--json"],
    );
    assert_eq!(heading["title"], "I detta reglemente avses med");
    assert_eq!(heading["number"], "2.1");
    assert_eq!(heading["level"], 2);
    let heading_id = heading["id"].as_str().unwrap();

    // `show` lists headings with their ids, for demote and move.
    let shown = ok(&lib, &["show", &doc]);
    assert!(
        shown.contains(&format!(
            "\n  2.1 I detta reglemente avses med\t{heading_id}\n"
        )),
        "{shown}"
    );
    assert!(
        shown.contains("\tI detta reglemente avses med › p. 2.1 a)\tkund:"),
        "{shown}"
    );
    let kvalitet = shown
        .lines()
        .find(|l| l.trim_start().starts_with("Kvalitet\t"))
        .and_then(|l| l.split('\t').nth(1))
        .unwrap()
        .to_string();
    let demoted = ok(&lib, &["outline", "demote", &kvalitet]);
    let demoted: Vec<&str> = demoted.trim_end().split('\t').collect();
    assert_eq!(demoted[1..], ["Personal › p. 4.11 st. 2", "Kvalitet"]);

    let c55 = id(&clause(&lib, &doc, "5.5"));
    let moved = ok(
        &lib,
        &[
            "outline",
            "move",
            &c55,
            "--under",
            "Ersättning och utbetalning",
        ],
    );
    assert!(
        moved.starts_with(&format!("{c55}\tErsättning och utbetalning › p. 5.5\t")),
        "{moved}"
    );

    let c75 = id(&clause(&lib, &doc, "7.5"));
    let renumbered = json(&lib, &["outline", "renumber", &c75, "7.6", "--json"]);
    assert_eq!(
        (
            &renumbered["id"],
            &renumbered["number"],
            &renumbered["label"]
        ),
        (
            &serde_json::json!(c75),
            &serde_json::json!("7.6"),
            &serde_json::json!("Uppföljning och tillsyn › p. 7.6")
        )
    );

    let list = json(&lib, &["outline", "corrections", &doc, "--json"]);
    let kinds: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["change"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["promote", "demote", "move", "renumber"]);
    assert_eq!(
        list[0]["change"]["clause"]["text"],
        "i detta reglemente avses med"
    );
    assert_eq!(list[0]["made_by"], "testare");
    let text = ok(&lib, &["outline", "corrections", "Reglemente"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].ends_with("\ttestare\tDefinitioner › p. 2.1\tmade a heading (level 2)"));
    assert!(lines[2].ends_with("\tmoved under “ersättning och utbetalning”"));
    assert!(lines[3].ends_with("\trenumbered 7.5 → 7.6"));

    // Audited under the acting user.
    let history = json(&lib, &["history", &c75, "--json"]);
    let last = history.as_array().unwrap().last().unwrap();
    assert_eq!(
        (&last["action"], &last["actor"]),
        (
            &serde_json::json!("outline.renumber"),
            &serde_json::json!("testare")
        )
    );
}

#[test]
fn wrong_requests_get_one_sentence_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib.kryphal");
    let doc = import_sample(&lib);
    let c21 = id(&clause(&lib, &doc, "2.1"));
    common::succeeded(
        &["finding", "add"],
        common::kryphal(
            &lib,
            &["finding", "add", &c21, "--json", "-"],
            Some(r#"{"unintended_consequence": "Vaga definitioner."}"#),
        ),
    );
    assert_eq!(
        fails(&lib, &["outline", "promote", &c21]),
        "kryphal: “Definitioner › p. 2.1” has a finding, so it cannot become a heading: findings belong to clauses. Delete it first (the audit trail keeps it), then make it a heading.\n"
    );
    let c11 = id(&clause(&lib, &doc, "1.1"));
    assert_eq!(
        fails(&lib, &["outline", "promote", &c11, "--level", "3"]),
        "kryphal: A heading here can be level 1 to 2 (at most one below the heading before it), not 3.\n"
    );
    assert_eq!(
        fails(&lib, &["outline", "renumber", &c11, " "]),
        "kryphal: Give the clause's new number, for example 4.3, 3 § or b).\n"
    );
    assert_eq!(
        fails(&lib, &["outline", "move", &c11, "--under", "Bilagor"]),
        "kryphal: No heading “Bilagor” is in the library; `kryphal show DOC` lists the headings with their ids.\n"
    );
    assert_eq!(
        fails(&lib, &["outline", "demote", "no-such-heading"]),
        "kryphal: No heading “no-such-heading” is in the library; `kryphal show DOC` lists the headings with their ids.\n"
    );
    // A malformed command line is clap's business: exit 2.
    assert_eq!(
        run(&lib, &["outline", "promote", &c11, "--level", "two"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        ok(&lib, &["outline", "corrections", &doc]),
        "No corrections of the outline are kept for this document.\n"
    );
}

#[test]
fn importing_a_new_version_makes_the_corrections_again_and_says_which_no_longer_match() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib.kryphal");
    let old = import_sample(&lib);
    ok(
        &lib,
        &["outline", "promote", &id(&clause(&lib, &old, "2.1"))],
    );
    ok(
        &lib,
        &[
            "outline",
            "renumber",
            &id(&clause(&lib, &old, "7.5")),
            "7.6",
        ],
    );
    // 6.5 (a conto) is 6.7 in the revision: this one no longer fits.
    ok(
        &lib,
        &[
            "outline",
            "renumber",
            &id(&clause(&lib, &old, "6.5")),
            "6.5 a",
        ],
    );

    let text = ok(&lib, &["import", REVISED, "--as-version-of", &old]);
    assert!(
        text.contains("Outline corrections: 2 made again, 1 no longer matched.\n"),
        "{text}"
    );
    assert!(
        text.contains("was not made again: the clause is numbered “6.7” now."),
        "{text}"
    );
    let new = json(&lib, &["list", "--json"])[1]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = ok(&lib, &["show", &new]);
    assert!(
        shown.contains("\n  2.1 I detta reglemente avses med\t"),
        "{shown}"
    );
    assert!(
        shown.contains("\tUppföljning och tillsyn › p. 7.6\tInför den årliga"),
        "{shown}"
    );
    let list = json(&lib, &["outline", "corrections", &new, "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(list[0]["carried_from"].as_str().unwrap().starts_with("oc-"));
}
