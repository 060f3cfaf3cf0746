//! The `kryphal` binary, run as a user would, on a real library file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod common;
use common::SAMPLE;

// Issue 21's hostile files and edges live in this binary as modules (no
// test binary of their own: each one costs CI a link).
mod edges;
mod hostile;
#[path = "../../kryphal-ingest/tests/hostile_files/mod.rs"]
mod hostile_files;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn lib(&self) -> PathBuf {
        self.dir.path().join("lib.kryphal")
    }
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
    fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, None)
    }
    fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Output {
        common::kryphal(&self.lib(), args, stdin)
    }
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
    /// Imports the sample and returns the id of its first clause.
    fn import_sample_first_clause(&self) -> String {
        self.ok(&["import", SAMPLE]);
        let view = self.json(&["show", "Reglemente", "--json"]);
        view["outline"]["clauses"][0]["id"]
            .as_str()
            .unwrap()
            .to_string()
    }
    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
    /// Fails with exit code 1 and one sentence on stderr; returns it.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?} should fail: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.starts_with("kryphal: "), "{err}");
        err
    }
}

#[test]
fn import_list_show_finding_and_export_round_trip() {
    let env = Env::new();
    let imported = env.json(&["import", SAMPLE, "--json"]);
    assert_eq!(imported[0]["ok"], true);
    let report = &imported[0]["report"];
    assert_eq!(report["title"], "Reglemente för kundval inom hemtjänst");
    assert!(report["clauses"].as_u64().unwrap() >= 40);
    let doc_id = report["document_id"].as_str().unwrap().to_string();

    let list = env.json(&["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], doc_id.as_str());
    assert_eq!(list[0]["dnr"], "VON 2024/0187");
    assert_eq!(list[0]["finding_count"], 0);

    // DOC by unique title prefix, case-insensitive.
    let view = env.json(&["show", "reglemente för", "--json"]);
    let clauses = view["outline"]["clauses"].as_array().unwrap();
    let clause = clauses
        .iter()
        .find(|c| c["number"] == "4.5")
        .expect("clause 4.5 is in the outline");
    assert_eq!(clause["label"], "Ekonomi och ledning › p. 4.5");
    assert!(
        clause["text"]
            .as_str()
            .unwrap()
            .contains("högst ett år gammalt")
    );
    let clause_id = clause["id"].as_str().unwrap();

    let text = env.ok(&["show", &doc_id]);
    assert!(
        text.contains(&format!("{clause_id}\tEkonomi och ledning › p. 4.5\t")),
        "{text}"
    );

    let finding = r#"{"unintended_consequence": "Ett inaktuellt utdrag godtas.",
        "crime_types": ["BED", "URK"], "likelihood": 3, "impact": 4,
        "proposed_wording": "Utdraget får vara högst en månad gammalt.", "status": "reviewed"}"#;
    let out = env.run_with_stdin(&["finding", "add", clause_id, "--json", "-"], Some(finding));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let added: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(added["risk_level"], "very_high");
    assert_eq!(added["created_by"], "testare");

    let findings = env.json(&["finding", "list", &doc_id, "--json"]);
    assert_eq!(findings.as_array().unwrap().len(), 1);
    assert_eq!(findings[0]["clause_id"], clause_id);
    assert_eq!(
        findings[0]["crime_types"],
        serde_json::json!(["BED", "URK"])
    );
    assert_eq!(findings[0]["status"], "reviewed");

    let memo = env.dir.path().join("memo.md");
    env.ok(&[
        "export",
        &doc_id,
        "--format",
        "md",
        "--out",
        memo.to_str().unwrap(),
    ]);
    let md = std::fs::read_to_string(&memo).unwrap();
    assert!(
        md.contains("| Nuvarande lydelse | Föreslagen lydelse |"),
        "{md}"
    );
    assert!(
        md.contains("Utdraget får vara högst en månad gammalt."),
        "{md}"
    );
    assert!(md.contains("Ekonomi och ledning › p. 4.5"), "{md}");

    let history = env.json(&["history", "--json"]);
    let actions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["document.import", "document.screen", "finding.create"]
    );
}

fn library_state(env: &Env) -> (serde_json::Value, serde_json::Value) {
    (
        env.json(&["list", "--json"]),
        env.json(&["history", "--json"]),
    )
}

#[test]
fn bad_files_are_refused_with_a_sentence_and_the_library_is_untouched() {
    let env = Env::new();
    env.ok(&["import", SAMPLE]);
    let before = library_state(&env);
    let missing = env.dir.path().join("saknas.md");
    let cases: Vec<(PathBuf, &str)> = vec![
        (missing, "does not exist"),
        (env.file("tom.md", b""), "is empty"),
        (env.file("blank.txt", b"\n  \n"), "is empty"),
        (env.dir.path().to_path_buf(), "is a folder"),
        (
            env.file("bild.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            "not a supported format",
        ),
        (
            env.file("binar.txt", b"\0\x01\x02\x03binary\0"),
            "not a text file",
        ),
        (
            env.file("gammal.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
            "legacy Word",
        ),
        (
            env.file("rubriker.md", b"# Bara en rubrik\n"),
            "no paragraphs or clauses",
        ),
    ];
    for (path, expected) in cases {
        let err = env.fails(&["import", path.to_str().unwrap()]);
        assert!(err.contains(expected), "{}: {err}", path.display());
    }
    // The same file twice is refused too.
    let err = env.fails(&["import", SAMPLE]);
    assert!(err.contains("already in the library"), "{err}");
    assert_eq!(library_state(&env), before);
}

#[test]
fn one_bad_file_among_good_ones_fails_the_command_but_keeps_the_good_imports() {
    let env = Env::new();
    let good = env.file(
        "policy.txt",
        "Inköpspolicy\n\n1.1 Inköp ska göras enligt LOU.\n".as_bytes(),
    );
    let bad = env.file("tom.txt", b"");
    let out = env.run(&[
        "import",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let results: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(results[0]["ok"], true);
    assert_eq!(results[1]["ok"], false);
    assert_eq!(results[1]["error"]["code"], "empty_file");
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 1);
}

#[test]
fn bad_findings_are_refused_and_nothing_is_stored() {
    let env = Env::new();
    let clause_id = env.import_sample_first_clause();
    let before = library_state(&env);
    let cases = [
        (r#"{"likelihood": 5}"#, "from 1 to 4"),
        (r#"{"impact": 0}"#, "from 1 to 4"),
        (r#"{"crime_types": ["XYZ"]}"#, "XYZ"),
        (r#"{"colour": "red"}"#, "unknown field"),
        (r#"{"status": "done"}"#, "unknown variant"),
        ("not json", "not valid"),
    ];
    for (json, expected) in cases {
        let out = env.run_with_stdin(&["finding", "add", &clause_id, "--json", "-"], Some(json));
        assert_eq!(out.status.code(), Some(1), "{json}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{json}: {err}");
    }
    let err = env.fails(&["finding", "add", "no-such-clause", "--json", "/dev/null"]);
    assert!(
        err.contains("not valid") || err.contains("No clause"),
        "{err}"
    );
    let out = env.run_with_stdin(
        &["finding", "add", "no-such-clause", "--json", "-"],
        Some("{}"),
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("No clause with the id"));
    assert_eq!(library_state(&env), before);
}

#[test]
fn unknown_documents_and_formats_get_a_sentence() {
    let env = Env::new();
    env.ok(&["import", SAMPLE]);
    assert!(
        env.fails(&["show", "Inköpspolicy"])
            .contains("No document in the library")
    );
    let out = env.dir.path().join("x.docx");
    let err = env.fails(&[
        "export",
        "Reglemente",
        "--format",
        "docx",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(err.contains("Unknown export format"), "{err}");
    assert!(!out.exists());
    let err = env.fails(&["export", "Reglemente", "--out", "/proc/nope/memo.md"]);
    assert!(err.contains("Cannot write"), "{err}");
}

#[test]
fn a_corrupt_or_unwritable_library_is_refused_and_left_as_it_was() {
    let env = Env::new();
    let junk = b"this is not a database at all, just some bytes".repeat(100);
    std::fs::write(env.lib(), &junk).unwrap();
    let err = env.fails(&["list"]);
    assert!(err.contains("not a Kryphål library"), "{err}");
    assert_eq!(std::fs::read(env.lib()).unwrap(), junk);

    let out = Command::new(env!("CARGO_BIN_EXE_kryphal"))
        .args(["--library", "/proc/kryphal/lib.kryphal", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be written"));
}

#[test]
fn the_library_can_be_chosen_by_environment_variable() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("env.kryphal");
    let out = Command::new(env!("CARGO_BIN_EXE_kryphal"))
        .args(["import", SAMPLE])
        .env("KRYPHAL_LIBRARY", &lib)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(Path::new(&lib).exists());
}

#[test]
fn a_reader_that_stops_early_does_not_make_the_command_panic() {
    let env = Env::new();
    env.ok(&["import", SAMPLE]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_kryphal"))
        .args([
            "--library",
            env.lib().to_str().unwrap(),
            "show",
            "Reglemente",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then hang up, like `| head -1`.
    let mut first = [0u8; 16];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[test]
fn metadata_can_be_corrected_and_bad_fields_are_named() {
    let env = Env::new();
    env.ok(&["import", SAMPLE]);
    let meta = env.json(&["meta", "Reglemente", "--json"]);
    assert_eq!(meta["dnr"], "VON 2024/0187");
    let meta = env.json(&[
        "meta",
        "Reglemente",
        "--set",
        "dnr=VON 2025/0042",
        "--set",
        "owner=Socialnämnden",
        "--json",
    ]);
    assert_eq!(meta["dnr"], "VON 2025/0042");
    assert_eq!(meta["owner"], "Socialnämnden");
    assert_eq!(env.json(&["list", "--json"])[0]["dnr"], "VON 2025/0042");
    let err = env.fails(&["meta", "Reglemente", "--set", "colour=red"]);
    assert!(err.contains("“colour” is not a metadata field"), "{err}");
    let err = env.fails(&["meta", "Reglemente", "--set", "title="]);
    assert!(err.contains("title cannot be empty"), "{err}");
    let history = env.json(&["history", "--json"]);
    let last = history.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "document.meta");
    assert_eq!(last["before"]["dnr"], "VON 2024/0187");
}

#[test]
fn splitting_and_merging_clauses_keeps_findings_attached() {
    let env = Env::new();
    env.ok(&["import", SAMPLE]);
    let view = env.json(&["show", "Reglemente", "--json"]);
    let clauses = view["outline"]["clauses"].as_array().unwrap();
    let c45 = clauses.iter().find(|c| c["number"] == "4.5").unwrap();
    let id = c45["id"].as_str().unwrap().to_string();
    let count = clauses.len();
    let out = env.run_with_stdin(
        &["finding", "add", &id, "--json", "-"],
        Some(r#"{"likelihood": 2, "impact": 2}"#),
    );
    assert!(out.status.success());

    let part = env.json(&["clause", "split", &id, "--before", "Utdraget får", "--json"]);
    assert_eq!(part["text"], "Utdraget får vara högst ett år gammalt.");
    assert_eq!(part["label"], "Ekonomi och ledning › p. 4.5 (forts.)");
    let view = env.json(&["show", "Reglemente", "--json"]);
    let clauses = view["outline"]["clauses"].as_array().unwrap();
    assert_eq!(clauses.len(), count + 1);
    let i = clauses.iter().position(|c| c["id"] == id.as_str()).unwrap();
    assert!(
        clauses[i]["text"]
            .as_str()
            .unwrap()
            .ends_with("inför avtalstecknande.")
    );
    assert_eq!(clauses[i + 1]["id"], part["id"]);
    assert_eq!(view["findings"][0]["clause_id"], id.as_str());

    // A finding on the second part moves to the first when they are merged again.
    let second = part["id"].as_str().unwrap();
    let out = env.run_with_stdin(&["finding", "add", second, "--json", "-"], Some("{}"));
    assert!(out.status.success());
    let merged = env.json(&["clause", "merge", &id, "--json"]);
    assert_eq!(merged["text"], c45["text"]);
    let view = env.json(&["show", "Reglemente", "--json"]);
    assert_eq!(view["outline"]["clauses"].as_array().unwrap().len(), count);
    let on: Vec<&str> = view["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["clause_id"].as_str().unwrap())
        .collect();
    assert_eq!(on, [id.as_str(), id.as_str()]);

    let err = env.fails(&["clause", "split", &id, "--before", "finns inte"]);
    assert!(err.contains("does not contain"), "{err}");
    let err = env.fails(&["clause", "split", &id, "--at", "0"]);
    assert!(err.contains("Both parts"), "{err}");
    let last = clauses.last().unwrap()["id"].as_str().unwrap().to_string();
    let err = env.fails(&["clause", "merge", &last]);
    assert!(err.contains("last clause"), "{err}");
}

#[test]
fn screening_points_at_weak_wording_and_remembers_decisions() {
    let env = Env::new();
    env.ok(&["import", SAMPLE]);
    let report = env.json(&["screen", "Reglemente", "--json"]);
    assert_eq!(report["rulebook"]["id"], "bra-mur-sv");
    let view = env.json(&["show", "Reglemente", "--json"]);
    let clause = |number: &str| {
        view["outline"]["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["number"] == number)
            .unwrap()
            .clone()
    };
    let suggestions = report["suggestions"].as_array().unwrap();
    let on = |number: &str| -> Vec<serde_json::Value> {
        let id = clause(number)["id"].clone();
        suggestions
            .iter()
            .filter(|s| s["clause_id"] == id)
            .cloned()
            .collect()
    };
    // 4.5: the extract "may be at most one year old" — stale evidence, with the words highlighted.
    let c45 = clause("4.5");
    let stale = on("4.5")
        .into_iter()
        .find(|s| s["category"] == "inaktuellt-underlag")
        .expect("4.5 is flagged as stale evidence");
    let text = c45["text"].as_str().unwrap();
    let span = &stale["spans"][0];
    let (a, b) = (
        span["start"].as_u64().unwrap() as usize,
        span["end"].as_u64().unwrap() as usize,
    );
    assert!(text[a..b].contains("ett år gammalt"), "{}", &text[a..b]);
    // Missing follow-up is flagged somewhere in the document, but not on 7.2
    // (unannounced visits), which is sound.
    assert!(
        suggestions
            .iter()
            .any(|s| s["category"] == "uppfoljning-saknas")
    );
    assert!(
        on("7.2")
            .iter()
            .all(|s| s["category"] != "uppfoljning-saknas"),
        "{:?}",
        on("7.2")
    );

    let id = stale["id"].as_str().unwrap();
    let finding = env.json(&["suggestion", "accept", id]);
    assert_eq!(finding["suggestion_id"], id);
    assert_eq!(finding["clause_id"], c45["id"]);
    assert_eq!(finding["status"], "draft");
    let err = env.fails(&["suggestion", "accept", id]);
    assert!(err.contains("already accepted"), "{err}");

    let other = on("4.4")[0]["id"].as_str().unwrap().to_string();
    let err = env.fails(&["suggestion", "dismiss", &other, "--reason", "  "]);
    assert!(err.contains("Say why"), "{err}");
    let dismissed = env.json(&["suggestion", "dismiss", &other, "--reason", "Täcks av 4.7"]);
    assert_eq!(dismissed["state"]["state"], "dismissed");
    assert_eq!(dismissed["state"]["reason"], "Täcks av 4.7");

    // Screening again keeps both decisions.
    let again = env.json(&["screen", "Reglemente", "--json"]);
    let state_of = |id: &str| {
        again["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()["state"]["state"]
            .clone()
    };
    assert_eq!(state_of(id), "accepted");
    assert_eq!(state_of(&other), "dismissed");
    assert_eq!(
        again["open"].as_u64().unwrap() + 2,
        again["suggestions"].as_array().unwrap().len() as u64
    );
}

#[test]
fn rulebook_check_passes_the_default_packs_and_names_a_broken_file() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rulebooks");
    for pack in ["bra-mur-sv", "marc-en"] {
        let out = Command::new(env!("CARGO_BIN_EXE_kryphal"))
            .args(["rulebook", "check", &format!("{root}/{pack}")])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{pack}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("0 failed"));
    }
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(format!("{root}/bra-mur-sv")).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(dir.path().join("pack.toml"), "id = \"x\"\nversion = \"1\"\nlanguage = \"sv\"\nname = \"x\"\ndescription = \"x\"\nfärg = 1\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kryphal"))
        .args(["rulebook", "check", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("pack.toml") && err.contains("färg"), "{err}");
}

#[test]
fn another_pack_can_be_chosen_and_a_broken_one_falls_back_with_a_warning() {
    let env = Env::new();
    env.ok(&["import", SAMPLE]);
    let marc = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rulebooks/marc-en");
    let report = env.json(&["--rulebook", marc, "screen", "Reglemente", "--json"]);
    assert_eq!(report["rulebook"]["id"], "marc-en");

    let broken = env.dir.path().join("broken-pack");
    std::fs::create_dir(&broken).unwrap();
    let out = env.run(&[
        "--rulebook",
        broken.to_str().unwrap(),
        "screen",
        "Reglemente",
        "--json",
    ]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning") && err.contains("built-in pack bra-mur-sv"),
        "{err}"
    );
    // The broken pack is not applied: the document stays with the pack it
    // was screened with, and the built-in pack is the active one.
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["rulebook"]["id"], "marc-en");
    let packs = env.json(&[
        "--rulebook",
        broken.to_str().unwrap(),
        "rulebook",
        "list",
        "--json",
    ]);
    assert_eq!(packs[0]["id"], "bra-mur-sv");
    assert_eq!(packs[0]["active"], true);
}

#[test]
fn a_pack_is_chosen_per_document_and_kept() {
    let env = Env::new();
    env.ok(&["import", SAMPLE]);
    let packs = env.json(&["rulebook", "list", "--json"]);
    let ids: Vec<&str> = packs
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["bra-mur-sv", "korruption-sv", "marc-en"]);
    assert_eq!(packs[0]["active"], true);

    let report = env.json(&["screen", "Reglemente", "--pack", "korruption-sv", "--json"]);
    assert_eq!(report["rulebook"]["id"], "korruption-sv");
    let s = &report["suggestions"][0];
    for key in ["scope", "why", "consequence", "proposal", "also"] {
        assert!(!s[key].is_null(), "a suggestion has {key}: {s}");
    }
    // Screening again without --pack keeps the document's pack.
    let again = env.json(&["screen", "Reglemente", "--json"]);
    assert_eq!(again["rulebook"]["id"], "korruption-sv");

    let out = env.run(&["screen", "Reglemente", "--pack", "kommunens-egen"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("kommunens-egen") && err.contains("korruption-sv"),
        "{err}"
    );
}

#[test]
fn a_200_mb_file_is_refused_before_it_is_read() {
    let env = Env::new();
    let big = env.dir.path().join("enorm.md");
    // A sparse file: 200 MB long without using the disk space.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    let err = env.fails(&["import", big.to_str().unwrap()]);
    assert!(err.contains("more than the limit"), "{err}");
    assert_eq!(env.json(&["list", "--json"]), serde_json::json!([]));
}

#[test]
fn comments_on_a_finding_are_signed_kept_and_audited() {
    let env = Env::new();
    let clause_id = env.import_sample_first_clause();
    let out = env.run_with_stdin(&["finding", "add", &clause_id, "--json", "-"], Some("{}"));
    let finding: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = finding["id"].as_str().unwrap();
    env.json(&["finding", "comment", id, "Diskutera med upphandlingen."]);
    let f = env.json(&["finding", "comment", id, "Klart för nämnden."]);
    let comments = f["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0]["text"], "Diskutera med upphandlingen.");
    assert_eq!(comments[1]["author"], "testare");
    let err = env.fails(&["finding", "comment", id, "   "]);
    assert!(err.contains("needs some text"), "{err}");
    let history = env.json(&["history", id, "--json"]);
    let actions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["finding.create", "finding.comment", "finding.comment"]
    );
}

/// Issue 22: `verdict` (clauses and a whole section), `show --json` with each
/// clause's verdict, `final` refusing with what is missing and then marking
/// the document final, and `delete` asking first.
#[test]
fn verdicts_final_and_delete() {
    let env = Env::new();
    let imported = env.json(&["import", SAMPLE, "--json"]);
    let doc = imported[0]["report"]["document_id"]
        .as_str()
        .unwrap()
        .to_string();
    let view = env.json(&["show", &doc, "--json"]);
    let verdicts = view["verdicts"].as_array().unwrap();
    assert_eq!(
        verdicts.len(),
        view["outline"]["clauses"].as_array().unwrap().len()
    );
    assert!(verdicts.iter().all(|v| v["verdict"] == "none"));

    let missing = env.fails(&["final", &doc]);
    assert!(missing.contains("have no verdict yet"), "{missing}");
    assert!(
        env.fails(&["verdict", "x", "--set", "fine"])
            .contains("no verdict")
    );

    // A whole section, then every remaining clause; suggestions dismissed.
    let section = view["outline"]["sections"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = env.json(&[
        "verdict",
        "--section",
        &section,
        "--set",
        "not-a-rule",
        "--json",
    ]);
    assert!(
        r["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["verdict"] == "not_a_rule")
    );
    let screened = env.json(&["screen", &doc, "--json"]);
    for s in screened["suggestions"].as_array().unwrap() {
        if s["state"]["state"] == "open" {
            env.ok(&[
                "suggestion",
                "dismiss",
                s["id"].as_str().unwrap(),
                "--reason",
                "Inte relevant.",
            ]);
        }
    }
    let rest: Vec<String> = env.json(&["show", &doc, "--json"])["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["verdict"] == "none")
        .map(|v| v["clause_id"].as_str().unwrap().to_string())
        .collect();
    let mut args = vec!["verdict"];
    args.extend(rest.iter().map(String::as_str));
    args.extend(["--set", "checked"]);
    let line = env.ok(&args);
    assert!(line.contains("none 0"), "{line}");
    let coverage = env.json(&["final", &doc, "--json"]);
    assert_eq!(coverage["none"], 0);
    assert!(coverage["final_mark"]["by"].is_string());

    // Delete: not without a yes.
    let out = env.run_with_stdin(&["delete", &doc], Some("no\n"));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was deleted"));
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 1);
    let gone = env.json(&["delete", &doc, "--yes", "--json"]);
    assert_eq!(gone["document_id"], doc.as_str());
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 0);
    let history = env.ok(&["history", &doc]);
    assert!(history.contains("document.delete"), "{history}");
}
