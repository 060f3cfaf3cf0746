//! `kryphal import --as-version-of`, `link`, `compare` and `versions`, run as
//! an analyst would on the sample and its revised 2025 version.

use std::path::{Path, PathBuf};
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

/// The sample with findings on 3.6 (renumbered), 4.6 (changed) and 5.4 (removed).
fn analysed(lib: &Path) -> String {
    let doc = json(lib, &["import", SAMPLE, "--json"])[0]["report"]["document_id"]
        .as_str()
        .unwrap()
        .to_string();
    let view = json(lib, &["show", &doc, "--json"]);
    for number in ["3.6", "4.6", "5.4"] {
        let clause = view["outline"]["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["number"] == number)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let body = format!(r#"{{"unintended_consequence": "Brist i {number}."}}"#);
        common::succeeded(
            &["finding", "add"],
            common::kryphal(
                lib,
                &["finding", "add", &clause, "--json", "-"],
                Some(&body),
            ),
        );
    }
    doc
}

#[test]
fn import_as_version_then_compare_in_text_json_markdown_and_word() {
    let dir = tempfile::tempdir().unwrap();
    let lib: PathBuf = dir.path().join("lib.kryphal");
    let old = analysed(&lib);

    let text = ok(&lib, &["import", REVISED, "--as-version-of", &old]);
    assert!(text.contains(&format!("version 2 (after {old})")), "{text}");
    assert!(
        text.contains("Findings: 1 carried over, 1 to review again, 1 orphaned, 0 implemented"),
        "{text}"
    );
    let list = json(&lib, &["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    let new = list[1]["id"].as_str().unwrap().to_string();

    let cmp = json(&lib, &["compare", &old, &new, "--json"]);
    assert_eq!(cmp["summary"]["added"], 1);
    assert_eq!(cmp["summary"]["removed"], 1);
    let states: Vec<&str> = cmp["carried"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["carry"]["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, vec!["carried", "rereview", "orphaned"]);

    let text = ok(&lib, &["compare", &old, &new]);
    assert!(
        text.contains("added\tAnsökan om auktorisation › p. 3.2"),
        "{text}"
    );
    assert!(text.contains("[-skälig tid-]{+två veckor+}"), "{text}");
    assert!(text.contains("finding orphaned"), "{text}");

    let md = dir.path().join("jamforelse.md");
    let out = run(
        &lib,
        &["compare", &old, &new, "--out", md.to_str().unwrap()],
    );
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrote"));
    assert!(
        std::fs::read_to_string(&md)
            .unwrap()
            .contains("Nuvarande lydelse")
    );
    let docx = dir.path().join("jamforelse.docx");
    ok(
        &lib,
        &[
            "compare",
            &old,
            &new,
            "--format",
            "docx",
            "--out",
            docx.to_str().unwrap(),
        ],
    );
    assert_eq!(&std::fs::read(&docx).unwrap()[..2], b"PK");

    let versions = ok(&lib, &["versions", &new]);
    assert!(versions.starts_with(&format!("1\t{old}\t")), "{versions}");
    assert!(versions.contains("1 to review again"), "{versions}");
}

#[test]
fn a_plain_import_hints_at_the_earlier_version_and_link_follows_the_hint() {
    let dir = tempfile::tempdir().unwrap();
    let lib: PathBuf = dir.path().join("lib.kryphal");
    let old = analysed(&lib);
    let out = run(&lib, &["import", REVISED]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("may be a new version of “Reglemente för kundval inom hemtjänst” ({old}, same title and Dnr)")), "{stderr}");
    let new = String::from_utf8(out.stdout)
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_string();
    let report = json(&lib, &["link", &new, "--as-version-of", &old, "--json"]);
    assert_eq!(report["number"], 2);
    assert_eq!(report["orphaned"], 1);
}

#[test]
fn bad_requests_get_a_sentence_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let lib: PathBuf = dir.path().join("lib.kryphal");
    let old = analysed(&lib);
    let history = ok(&lib, &["history", "--json"]);
    let refused = |args: &[&str], needle: &str| {
        let out = run(&lib, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(
            err.starts_with("kryphal: ") && err.contains(needle),
            "{args:?}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    };
    refused(
        &["import", REVISED, "--as-version-of", "okänt"],
        "No document",
    );
    refused(
        &["import", SAMPLE, "--as-version-of", &old],
        "very version it would replace",
    );
    refused(
        &["import", SAMPLE, REVISED, "--as-version-of", &old],
        "exactly one file",
    );
    refused(&["compare", &old, &old], "same document");
    refused(&["compare", &old, "okänt"], "No document");
    refused(&["link", &old, "--as-version-of", &old], "itself");
    let out = dir.path().join("x.pdf");
    refused(
        &[
            "compare",
            &old,
            &old,
            "--format",
            "pdf",
            "--out",
            out.to_str().unwrap(),
        ],
        "same document",
    );
    assert!(!out.exists());
    assert_eq!(ok(&lib, &["history", "--json"]), history);
}

#[test]
fn import_replace_reads_a_file_already_in_the_library_as_a_new_version() {
    let dir = tempfile::tempdir().unwrap();
    let lib: PathBuf = dir.path().join("lib.kryphal");
    let old = analysed(&lib);

    // A plain import of the same file is refused with a hint at --replace.
    let out = run(&lib, &["import", SAMPLE]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already in the library"), "{err}");
    assert!(err.contains("kryphal import --replace"), "{err}");

    // A file not in the library has nothing to replace.
    let other = dir.path().join("annan.md");
    std::fs::write(&other, "# Annat\n\n1. Helt annan text.\n").unwrap();
    let out = run(&lib, &["import", "--replace", other.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to replace"));
    assert_eq!(json(&lib, &["list", "--json"]).as_array().unwrap().len(), 1);

    let answer = json(&lib, &["import", "--replace", SAMPLE, "--json"]);
    let report = &answer[0]["report"];
    assert_eq!(answer[0]["ok"], true);
    assert_eq!(report["previous_id"], old.as_str());
    assert_eq!(report["number"], 2);
    assert_eq!(report["carried"], 3);
    let new = report["document_id"].as_str().unwrap();
    let findings = json(&lib, &["show", new, "--json"])["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["unintended_consequence"].as_str().unwrap().to_string())
        .collect::<std::collections::BTreeSet<_>>();
    assert_eq!(
        findings,
        ["Brist i 3.6.", "Brist i 4.6.", "Brist i 5.4."]
            .map(String::from)
            .into()
    );
    // --replace and --as-version-of do not go together.
    let out = run(
        &lib,
        &["import", "--replace", SAMPLE, "--as-version-of", &old],
    );
    assert!(!out.status.success());
}

#[test]
fn the_audit_trail_names_the_display_name_of_as_or_of_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    let lib: PathBuf = dir.path().join("lib.kryphal");
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("preferences.json"),
        r#"{"user_name": "Anna Berg", "language": "sv"}"#,
    )
    .unwrap();
    let no_env_user = Path::new("");
    let with_settings = [
        ("KRYPHAL_USER", no_env_user),
        ("KRYPHAL_CONFIG_DIR", config.as_path()),
    ];
    common::succeeded(
        &["import"],
        common::kryphal_with(&lib, &["import", SAMPLE], &with_settings, None),
    );
    common::succeeded(
        &["--as"],
        common::kryphal_with(
            &lib,
            &["--as", "Per Ek", "import", REVISED],
            &with_settings,
            None,
        ),
    );
    let history = ok(&lib, &["history"]);
    let actors: Vec<&str> = history
        .lines()
        .filter(|l| l.contains("document.import"))
        .map(|l| l.split('\t').nth(1).unwrap())
        .collect();
    assert_eq!(actors.len(), 2, "{history}");
    assert!(actors.contains(&"Anna Berg"), "{history}");
    assert!(actors.contains(&"Per Ek"), "{history}");
}
