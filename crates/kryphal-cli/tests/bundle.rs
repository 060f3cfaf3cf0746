//! Bundles, merges, conflicts, backup and restore, run as a user would on
//! real library files: `kryphal bundle export|import`, `kryphal conflicts`,
//! `kryphal conflict resolve`, `kryphal backup`, `kryphal restore`.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::SAMPLE;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn p(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }
    /// Runs as `user` on `library`; must succeed; returns stdout.
    fn ok(&self, library: &str, user: &str, args: &[&str]) -> String {
        let mut all = vec!["--user", user];
        all.extend_from_slice(args);
        common::succeeded(args, common::kryphal(&self.path(library), &all, None))
    }
    fn ok_stdin(&self, library: &str, user: &str, args: &[&str], stdin: &str) -> String {
        let mut all = vec!["--user", user];
        all.extend_from_slice(args);
        common::succeeded(
            args,
            common::kryphal(&self.path(library), &all, Some(stdin)),
        )
    }
    /// Exports `doc` from one library as a bundle `file` and imports it
    /// into another, each as its (library, user); returns the import's stdout.
    fn send(&self, from: (&str, &str), to: (&str, &str), doc: &str, file: &str) -> String {
        let bundle = self.p(file);
        self.ok(from.0, from.1, &["bundle", "export", doc, "--out", &bundle]);
        self.ok(to.0, to.1, &["bundle", "import", &bundle])
    }
    /// [`Env::send`], importing with `--json`: the import report.
    fn send_json(&self, from: (&str, &str), to: (&str, &str), doc: &str, file: &str) -> Value {
        let bundle = self.p(file);
        self.ok(from.0, from.1, &["bundle", "export", doc, "--out", &bundle]);
        serde_json::from_str(&self.ok(to.0, to.1, &["bundle", "import", &bundle, "--json"]))
            .unwrap()
    }
    fn json(&self, library: &str, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(library, "testare", args)).unwrap()
    }
    /// Runs on `library`; must fail; returns stderr.
    fn fails(&self, library: &str, args: &[&str]) -> String {
        let out = common::kryphal(&self.path(library), args, None);
        assert_eq!(out.status.code(), Some(1), "{args:?} should fail");
        String::from_utf8(out.stderr).unwrap()
    }
    fn write(&self, name: &str, bytes: &[u8]) -> String {
        std::fs::write(self.path(name), bytes).unwrap();
        self.p(name)
    }
    /// Everything a user can see of a library: documents, findings of each,
    /// conflicts and the audit trail.
    fn state(&self, library: &str) -> Value {
        let docs = self.json(library, &["list", "--json"]);
        let findings: Vec<Value> = docs
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                self.json(
                    library,
                    &["finding", "list", d["id"].as_str().unwrap(), "--json"],
                )
            })
            .collect();
        serde_json::json!({
            "documents": docs,
            "findings": findings,
            "conflicts": self.json(library, &["conflicts", "--all", "--json"]),
            "history": self.json(library, &["history", "--json"]),
        })
    }
}

/// A library with the sample document, two findings (one with a comment),
/// a dismissed suggestion and a workshop. Returns (doc id, finding ids).
fn analysed_library(env: &Env, library: &str, user: &str) -> (String, Vec<String>) {
    let out = env.ok(library, user, &["import", SAMPLE]);
    let doc = out.split('\t').next().unwrap().to_string();
    let view = env.json(library, &["show", &doc, "--json"]);
    let clauses: Vec<String> = view["outline"]["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    let mut findings = Vec::new();
    for (clause, text) in [
        (&clauses[3], "Leverantören kan byta ägare utan prövning."),
        (&clauses[7], "Kontrollen görs bara vid ansökan."),
    ] {
        let body =
            serde_json::json!({"unintended_consequence": text, "likelihood": 3, "impact": 2});
        let f: Value = serde_json::from_str(&env.ok_stdin(
            library,
            user,
            &["finding", "add", clause, "--json", "-"],
            &body.to_string(),
        ))
        .unwrap();
        findings.push(f["id"].as_str().unwrap().to_string());
    }
    env.ok(
        library,
        user,
        &["finding", "comment", &findings[0], "Stäm av med juristen."],
    );
    let screen = env.json(library, &["screen", &doc, "--json"]);
    if let Some(s) = screen["suggestions"].as_array().unwrap().first() {
        env.ok(
            library,
            user,
            &[
                "suggestion",
                "dismiss",
                s["id"].as_str().unwrap(),
                "--reason",
                "Redan reglerat i avtalet.",
            ],
        );
    }
    let session = env.ok(
        library,
        user,
        &[
            "workshop",
            "start",
            &doc,
            "--title",
            "Genomgång",
            "--date",
            "2026-11-20",
        ],
    );
    let session = session.split('\t').next().unwrap().to_string();
    env.ok(
        library,
        user,
        &["workshop", "judge", &session, &findings[0], "4", "3"],
    );
    env.ok(
        library,
        user,
        &["workshop", "decide", &session, &clauses[3], "adopt"],
    );
    (doc, findings)
}

fn update(env: &Env, library: &str, user: &str, finding: &str, body: Value) {
    env.ok_stdin(
        library,
        user,
        &["finding", "update", finding, "--json", "-"],
        &body.to_string(),
    );
}

fn read_bundle(path: &Path) -> kryphal_bundle::Bundle {
    let bytes = std::fs::read(path).unwrap();
    kryphal_bundle::read_bundle("b", &bytes, &kryphal_bundle::Limits::default()).unwrap()
}

/// The entries of a zip file, in order.
fn entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (String::from_utf8_lossy(f.name_raw()).into_owned(), data)
        })
        .collect()
}

fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn export_import_into_an_empty_library_and_export_again_gives_the_same_content() {
    let env = Env::new();
    let (doc, _) = analysed_library(&env, "a.kryphal", "anna");
    env.ok(
        "a.kryphal",
        "anna",
        &["bundle", "export", &doc, "--out", &env.p("first.kryphal")],
    );
    let report = import_json(&env, "b.kryphal", "bertil", "first.kryphal");
    assert_eq!(report["documents"][0]["new_document"], true);
    assert_eq!(report["documents"][0]["findings_added"], 2);
    assert_eq!(report["origin"]["author"], "anna");
    env.ok(
        "b.kryphal",
        "bertil",
        &["bundle", "export", &doc, "--out", &env.p("second.kryphal")],
    );

    let (first, second) = (
        read_bundle(&env.path("first.kryphal")),
        read_bundle(&env.path("second.kryphal")),
    );
    assert_eq!(first.items, second.items);
    assert_eq!(first.manifest.entries, second.manifest.entries);
    assert_eq!(first.manifest.documents, second.manifest.documents);
    assert_eq!(second.manifest.header.author, "bertil");
    // Every entry but the manifest (who made it, when) is the same, byte for byte.
    let strip = |path: &Path| {
        let mut e = entries(path);
        e.retain(|(n, _)| n != "manifest.json");
        e
    };
    assert_eq!(
        strip(&env.path("first.kryphal")),
        strip(&env.path("second.kryphal"))
    );
    let item = &second.items[0];
    assert!(!item.source.is_empty(), "the source file travels along");
    assert_eq!(item.analysis.workshops.len(), 1);
    assert_eq!(item.analysis.workshops[0].judgements.len(), 1);
    assert!(item.analysis.findings[0].finding.comments.len() == 1);
    assert!(
        item.analysis
            .suggestions
            .iter()
            .any(|s| matches!(s.state, kryphal_domain::SuggestionState::Dismissed { .. }))
    );
    // The imported document is searchable and exportable like any other.
    env.ok("b.kryphal", "bertil", &["search", "juristen"]);
    // Importing the same bundle again changes nothing and leaves no conflicts.
    env.ok(
        "b.kryphal",
        "bertil",
        &["bundle", "import", &env.p("first.kryphal")],
    );
    assert_eq!(
        env.json("b.kryphal", &["conflicts", "--json"]),
        serde_json::json!([])
    );
    assert_eq!(
        env.json("b.kryphal", &["finding", "list", &doc, "--json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn independent_edits_in_two_libraries_merge_without_losing_a_finding() {
    let env = Env::new();
    let (doc, f) = analysed_library(&env, "anna.kryphal", "anna");
    env.send(
        ("anna.kryphal", "anna"),
        ("bertil.kryphal", "bertil"),
        &doc,
        "start.kryphal",
    );
    let clause =
        env.json("anna.kryphal", &["show", &doc, "--json"])["outline"]["clauses"][12]["id"]
            .as_str()
            .unwrap()
            .to_string();

    // Anna: edits f0, comments on f1, adds a finding.
    update(
        &env,
        "anna.kryphal",
        "anna",
        &f[0],
        serde_json::json!({"unintended_consequence": "Annas version.", "likelihood": 4}),
    );
    env.ok(
        "anna.kryphal",
        "anna",
        &["finding", "comment", &f[1], "Anna: se även 4.3."],
    );
    env.ok_stdin(
        "anna.kryphal",
        "anna",
        &["finding", "add", &clause, "--json", "-"],
        r#"{"unintended_consequence": "Annas nya fynd."}"#,
    );
    // Bertil: edits f0 otherwise, edits f1, adds a finding.
    update(
        &env,
        "bertil.kryphal",
        "bertil",
        &f[0],
        serde_json::json!({"unintended_consequence": "Bertils version.", "likelihood": 2}),
    );
    update(
        &env,
        "bertil.kryphal",
        "bertil",
        &f[1],
        serde_json::json!({"unintended_consequence": "Kontrollen görs bara vid ansökan.", "likelihood": 3, "impact": 2, "status": "reviewed"}),
    );
    env.ok_stdin(
        "bertil.kryphal",
        "bertil",
        &["finding", "add", &clause, "--json", "-"],
        r#"{"unintended_consequence": "Bertils nya fynd."}"#,
    );

    // Bertil's bundle into Anna's library.
    env.ok(
        "bertil.kryphal",
        "bertil",
        &["bundle", "export", &doc, "--out", &env.p("bertil.bundle")],
    );
    let out = common::kryphal(
        &env.path("anna.kryphal"),
        &[
            "--user",
            "anna",
            "bundle",
            "import",
            &env.p("bertil.bundle"),
            "--json",
        ],
        None,
    );
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("edited in both libraries"),
        "the conflict is announced"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &report["documents"][0];
    assert_eq!(d["new_document"], false);
    assert_eq!(d["findings_added"], 1, "{report}");
    assert_eq!(d["findings_updated"], 1, "{report}");
    assert_eq!(d["conflicts"], 1, "{report}");
    assert_eq!(report["conflicts"], 1);

    // No finding lost: two old, one of Anna's, one of Bertil's.
    let findings = env.json("anna.kryphal", &["finding", "list", &doc, "--json"]);
    let by_id = |id: &str| {
        findings
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap()
            .clone()
    };
    let texts: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["unintended_consequence"].as_str().unwrap())
        .collect();
    assert_eq!(findings.as_array().unwrap().len(), 4, "{texts:?}");
    assert!(texts.contains(&"Annas nya fynd.") && texts.contains(&"Bertils nya fynd."));
    // f0 was edited on both sides: Anna's stays until she chooses.
    assert_eq!(by_id(&f[0])["unintended_consequence"], "Annas version.");
    // f1 was only edited by Bertil: taken, and Anna's comment kept.
    assert_eq!(by_id(&f[1])["status"], "reviewed");
    assert_eq!(by_id(&f[1])["updated_by"], "bertil");
    assert_eq!(by_id(&f[1])["comments"][0]["text"], "Anna: se även 4.3.");

    let conflicts = env.json("anna.kryphal", &["conflicts", "--json"]);
    assert_eq!(conflicts.as_array().unwrap().len(), 1);
    let c = &conflicts[0];
    assert_eq!(c["finding_id"], f[0].as_str());
    assert_eq!(c["mine"]["unintended_consequence"], "Annas version.");
    assert_eq!(c["theirs"]["unintended_consequence"], "Bertils version.");
    assert_eq!(c["origin"]["author"], "bertil");
    assert_eq!(c["origin"]["file"], "bertil.bundle");

    // The audit trail says whose change came from where.
    let history = env.json("anna.kryphal", &["history", &f[1], "--json"]);
    let merged = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "finding.merge_update")
        .expect("the update from the bundle is audited");
    assert_eq!(merged["actor"], "anna");
    assert_eq!(merged["after"]["from"]["author"], "bertil");
    assert_eq!(merged["after"]["from"]["file"], "bertil.bundle");

    // Importing the same bundle again adds no second conflict.
    env.ok(
        "anna.kryphal",
        "anna",
        &["bundle", "import", &env.p("bertil.bundle")],
    );
    assert_eq!(
        env.json("anna.kryphal", &["conflicts", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Anna takes Bertil's version; the conflict is closed.
    let id = c["id"].as_str().unwrap();
    env.ok(
        "anna.kryphal",
        "anna",
        &["conflict", "resolve", id, "--keep", "theirs"],
    );
    assert_eq!(
        env.json("anna.kryphal", &["finding", "list", &doc, "--json"])
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == f[0].as_str())
            .unwrap()["unintended_consequence"],
        "Bertils version."
    );
    assert_eq!(
        env.json("anna.kryphal", &["conflicts", "--json"]),
        serde_json::json!([])
    );
    let err = env.fails(
        "anna.kryphal",
        &["conflict", "resolve", id, "--keep", "mine"],
    );
    assert!(err.contains("already resolved"), "{err}");

    // Anna's bundle back into Bertil's library: both now hold the same findings.
    let report = env.send_json(
        ("anna.kryphal", "anna"),
        ("bertil.kryphal", "bertil"),
        &doc,
        "anna.bundle",
    );
    assert_eq!(report["conflicts"], 0, "{report}");
    let answers = |library: &str| {
        let mut list: Vec<(String, String, Vec<String>)> = env
            .json(library, &["finding", "list", &doc, "--json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["id"].as_str().unwrap().to_string(),
                    x["unintended_consequence"].as_str().unwrap().to_string(),
                    x["comments"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| c["text"].as_str().unwrap().to_string())
                        .collect(),
                )
            })
            .collect();
        list.sort();
        list
    };
    assert_eq!(answers("anna.kryphal"), answers("bertil.kryphal"));
}

#[test]
fn a_combined_resolution_and_keeping_mine_are_audited() {
    let env = Env::new();
    let (doc, f) = analysed_library(&env, "a.kryphal", "anna");
    env.send(
        ("a.kryphal", "anna"),
        ("b.kryphal", "bertil"),
        &doc,
        "s.kryphal",
    );
    for (lib, user, text) in [("a.kryphal", "anna", "A"), ("b.kryphal", "bertil", "B")] {
        for id in &f {
            update(
                &env,
                lib,
                user,
                id,
                serde_json::json!({"unintended_consequence": format!("{text} {id}")}),
            );
        }
    }
    env.send(
        ("b.kryphal", "bertil"),
        ("a.kryphal", "anna"),
        &doc,
        "b.bundle",
    );
    let conflicts = env.json("a.kryphal", &["conflicts", "--json"]);
    assert_eq!(conflicts.as_array().unwrap().len(), 2);
    let id_of = |finding: &str| {
        conflicts
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["finding_id"] == finding)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    env.ok(
        "a.kryphal",
        "anna",
        &["conflict", "resolve", &id_of(&f[0]), "--keep", "mine"],
    );
    env.ok_stdin(
        "a.kryphal",
        "anna",
        &[
            "conflict",
            "resolve",
            &id_of(&f[1]),
            "--keep",
            "combined",
            "--combined",
            "-",
        ],
        r#"{"unintended_consequence": "A och B tillsammans."}"#,
    );
    let list = env.json("a.kryphal", &["finding", "list", &doc, "--json"]);
    let text = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap()["unintended_consequence"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(text(&f[0]), format!("A {}", f[0]));
    assert_eq!(text(&f[1]), "A och B tillsammans.");
    let all = env.json("a.kryphal", &["conflicts", "--all", "--json"]);
    let resolutions: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["resolution"].as_str().unwrap())
        .collect();
    assert!(resolutions.contains(&"mine") && resolutions.contains(&"combined"));
    let history = env.json("a.kryphal", &["history", &f[1], "--json"]);
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "finding.resolve" && e["after"]["from"]["author"] == "bertil")
    );
    // Keeping mine is remembered: the same bundle again raises no conflict.
    env.ok(
        "a.kryphal",
        "anna",
        &["bundle", "import", &env.p("b.bundle")],
    );
    assert_eq!(
        env.json("a.kryphal", &["conflicts", "--json"]),
        serde_json::json!([])
    );
}

#[test]
fn bad_bundles_are_refused_with_a_sentence_and_the_library_is_untouched() {
    let env = Env::new();
    let (doc, _) = analysed_library(&env, "src.kryphal", "anna");
    let good = env.p("good.kryphal");
    env.ok(
        "src.kryphal",
        "anna",
        &["bundle", "export", &doc, "--out", &good],
    );
    let good_entries = entries(Path::new(&good));
    let good_bytes = std::fs::read(&good).unwrap();

    // The target library has another document and a finding of its own.
    env.ok(
        "lib.kryphal",
        "bertil",
        &[
            "import",
            env.write("egen.md", "# Egen\n\n1. En regel.\n".as_bytes())
                .as_str(),
        ],
    );

    let mut cases: Vec<(String, &str)> = Vec::new();
    // A changed byte in the analysis: the checksum no longer matches.
    let mut tampered = good_entries.clone();
    let analysis = tampered
        .iter_mut()
        .find(|(n, _)| n.ends_with("analysis.json"))
        .unwrap();
    let text = String::from_utf8(analysis.1.clone()).unwrap();
    analysis.1 = text.replacen("juristen", "juristEn", 1).into_bytes();
    cases.push((
        env.write("tampered.kryphal", &zip_of(&tampered)),
        "checksum",
    ));
    // Cut off half-way.
    cases.push((
        env.write("truncated.kryphal", &good_bytes[..good_bytes.len() / 2]),
        "truncated",
    ));
    // From a newer Kryphål.
    let mut newer = good_entries.clone();
    let mut manifest: Value = serde_json::from_slice(&newer[0].1).unwrap();
    manifest["format_version"] = 3.into(); // 2 is a signed bundle
    manifest["app_version"] = "9.0.0".into();
    newer[0].1 = serde_json::to_vec(&manifest).unwrap();
    cases.push((
        env.write("newer.kryphal", &zip_of(&newer)),
        "newer version of Kryphål",
    ));
    // Analysed with a rulebook pack this library lacks (an intact bundle).
    let mut foreign = read_bundle(Path::new(&good));
    for item in &mut foreign.items {
        item.analysis.document.rulebook.id = "kommunens-egen".into();
    }
    let foreign_bytes =
        kryphal_bundle::write_bundle(&foreign.manifest.header, &foreign.items).unwrap();
    cases.push((
        env.write("foreign.kryphal", &foreign_bytes),
        "rulebook pack kommunens-egen",
    ));
    // A zip bomb: 64 MiB of zeros in well under 1 MiB.
    let mut bomb = good_entries.clone();
    bomb.push(("documents/x/source".into(), vec![0u8; 64 << 20]));
    let bomb = zip_of(&bomb);
    assert!(bomb.len() < 1 << 20);
    cases.push((env.write("bomb.kryphal", &bomb), "zip bomb"));
    // Not a bundle at all.
    cases.push((
        env.write("memo.kryphal", b"Not a zip."),
        "not a Kryphål bundle",
    ));
    cases.push((env.p("missing.kryphal"), "does not exist"));

    let before = env.state("lib.kryphal");
    for (path, expected) in &cases {
        let err = env.fails("lib.kryphal", &["bundle", "import", path]);
        assert!(err.contains(expected), "{path}: {err}");
        assert!(
            err.starts_with("kryphal: ") && err.trim_end().ends_with('.'),
            "{err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "one sentence: {err}");
    }
    assert_eq!(env.state("lib.kryphal"), before);
    // The good bundle still imports.
    env.ok("lib.kryphal", "bertil", &["bundle", "import", &good]);
}

#[test]
fn backup_while_open_and_restore_that_keeps_the_current_library_aside() {
    let env = Env::new();
    let (doc, _) = analysed_library(&env, "lib.kryphal", "anna");
    let backup = env.p("backup.kryphal");
    env.ok("lib.kryphal", "anna", &["backup", "--out", &backup]);
    let at_backup = env.state("lib.kryphal");
    let clause = env.json("lib.kryphal", &["show", &doc, "--json"])["outline"]["clauses"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    env.ok_stdin(
        "lib.kryphal",
        "anna",
        &["finding", "add", &clause, "--json", "-"],
        r#"{"unintended_consequence": "Efter säkerhetskopian."}"#,
    );
    let after_edit = env.state("lib.kryphal");

    // Bad restores leave the library as it is.
    let cases = [
        (
            env.write("text.kryphal", b"inte en databas"),
            "not a Kryphål library",
        ),
        (env.p("saknas.kryphal"), "does not exist"),
        (env.p("lib.kryphal"), "the library itself"),
    ];
    for (path, expected) in &cases {
        let err = env.fails("lib.kryphal", &["restore", path]);
        assert!(err.contains(expected), "{path}: {err}");
    }
    assert_eq!(env.state("lib.kryphal"), after_edit);

    let out = env.ok("lib.kryphal", "anna", &["restore", &backup]);
    assert!(out.contains("kept in"), "{out}");
    let aside = out
        .trim_end()
        .rsplit("kept in ")
        .next()
        .unwrap()
        .trim_end_matches('.')
        .to_string();
    assert!(aside.contains("before-restore"), "{aside}");
    let restored = env.state("lib.kryphal");
    assert_eq!(restored["findings"], at_backup["findings"]);
    assert_eq!(restored["history"], at_backup["history"]);
    // The library as it was before the restore is a whole library of its own.
    let kept = common::kryphal(
        Path::new(&aside),
        &["finding", "list", &doc, "--json"],
        None,
    );
    let kept: Value = serde_json::from_slice(&kept.stdout).unwrap();
    assert!(
        kept.as_array()
            .unwrap()
            .iter()
            .any(|f| f["unintended_consequence"] == "Efter säkerhetskopian.")
    );
    // The backup itself was not changed by being restored from.
    let again = common::kryphal(Path::new(&backup), &["history", "--json"], None);
    let again: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again, at_backup["history"]);
    // Search works on the restored library (its index is rebuilt).
    env.ok("lib.kryphal", "anna", &["search", "juristen"]);

    // Any library file can be restored from, also one in use by another program (WAL mode).
    env.ok("other.kryphal", "bertil", &["import", SAMPLE]);
    env.ok("other.kryphal", "bertil", &["list"]);
    let out = env.ok("lib.kryphal", "anna", &["restore", &env.p("other.kryphal")]);
    assert!(out.contains("(1 documents)"), "{out}");
    assert_eq!(
        env.json("lib.kryphal", &["finding", "list", &doc, "--json"]),
        serde_json::json!([])
    );
}

const REVISED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../kryphal-app/tests/fixtures/reglemente-kundval-hemtjanst-2025.md"
);

/// The versions of a document as the CLI lists them, without the ids' order.
fn versions(env: &Env, library: &str, doc: &str) -> Value {
    env.json(library, &["versions", doc, "--json"])
}

#[test]
fn version_links_travel_in_bundles_and_come_back_the_same() {
    let env = Env::new();
    let (old, _) = analysed_library(&env, "a.kryphal", "anna");
    env.ok(
        "a.kryphal",
        "anna",
        &["import", REVISED, "--as-version-of", &old],
    );
    let list = env.json("a.kryphal", &["list", "--json"]);
    let new = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .find(|id| *id != old)
        .expect("the new version is listed");
    assert_eq!(versions(&env, "a.kryphal", &new)[1]["number"], 2);
    let carried_before =
        env.json("a.kryphal", &["compare", &old, &new, "--json"])["carried"].clone();
    assert!(!carried_before.as_array().unwrap().is_empty());

    // The newer version first: the link is restored after both documents are in.
    env.ok(
        "a.kryphal",
        "anna",
        &[
            "bundle",
            "export",
            &new,
            &old,
            "--out",
            &env.p("first.kryphal"),
        ],
    );
    let first = read_bundle(&env.path("first.kryphal"));
    let link = first.items[0]
        .analysis
        .version
        .as_ref()
        .expect("the new version carries its link");
    assert_eq!(
        (link.link.previous_id.as_deref(), link.link.number),
        (Some(old.as_str()), 2)
    );
    assert!(
        first.items[1].analysis.version.is_none(),
        "the first version has no link"
    );

    let report = import_json(&env, "b.kryphal", "bertil", "first.kryphal");
    assert_eq!(report["documents"][0]["version_linked"], true);
    assert_eq!(report["documents"][1]["version_linked"], false);
    assert_eq!(report["warnings"], serde_json::json!([]));
    assert_eq!(
        versions(&env, "b.kryphal", &new),
        versions(&env, "a.kryphal", &new)
    );
    assert_eq!(
        env.json("b.kryphal", &["compare", &old, &new, "--json"])["carried"],
        carried_before,
        "what became of each finding is the same"
    );

    env.ok(
        "b.kryphal",
        "bertil",
        &[
            "bundle",
            "export",
            &new,
            &old,
            "--out",
            &env.p("second.kryphal"),
        ],
    );
    let strip = |path: &Path| {
        let mut e = entries(path);
        e.retain(|(n, _)| n != "manifest.json");
        e
    };
    assert_eq!(
        strip(&env.path("first.kryphal")),
        strip(&env.path("second.kryphal")),
        "the second export holds the same entries, links included, byte for byte"
    );

    // Again into a library that already has both: nothing changes, no warning.
    let again = import_json(&env, "b.kryphal", "bertil", "second.kryphal");
    assert_eq!(again["documents"][0]["version_linked"], false);
    assert_eq!(again["warnings"], serde_json::json!([]));

    // Without the earlier version the newer one still comes in, with a warning that names it.
    let alone = env.send_json(
        ("a.kryphal", "anna"),
        ("c.kryphal", "cecilia"),
        &new,
        "alone.kryphal",
    );
    assert_eq!(alone["documents"][0]["new_document"], true);
    assert_eq!(alone["documents"][0]["version_linked"], false);
    let warning = alone["warnings"][0].as_str().unwrap();
    assert!(
        warning.contains(&old) && warning.contains("without its link"),
        "{warning}"
    );
    assert_eq!(
        versions(&env, "c.kryphal", &new).as_array().unwrap().len(),
        1
    );
}

/// The suggestion's state in `library` (`open`, `accepted`, `dismissed`) and the reason.
fn decision(env: &Env, library: &str, doc: &str, id: &str) -> (String, String) {
    let view = env.json(library, &["show", doc, "--json"]);
    let s = view["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no suggestion {id}"))
        .clone();
    (
        s["state"]["state"].as_str().unwrap().to_string(),
        s["state"]["reason"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

fn dnr(env: &Env, library: &str) -> String {
    env.json(library, &["list", "--json"])[0]["dnr"]
        .as_str()
        .unwrap()
        .to_string()
}

fn import_json(env: &Env, library: &str, user: &str, bundle: &str) -> Value {
    serde_json::from_str(&env.ok(
        library,
        user,
        &["bundle", "import", &env.p(bundle), "--json"],
    ))
    .unwrap()
}

#[test]
fn metadata_and_decisions_changed_on_both_sides_are_conflicts_until_resolved() {
    let env = Env::new();
    let (doc, _) = analysed_library(&env, "anna.kryphal", "anna");
    env.send(
        ("anna.kryphal", "anna"),
        ("bertil.kryphal", "bertil"),
        &doc,
        "start.kryphal",
    );
    let view = env.json("anna.kryphal", &["show", &doc, "--json"]);
    let open: Vec<String> = view["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["state"]["state"] == "open")
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    let (s1, s2, s3) = (&open[0], &open[1], &open[2]);

    // Anna: a Dnr, accepts s1, dismisses s2.
    env.ok(
        "anna.kryphal",
        "anna",
        &["meta", &doc, "--set", "dnr=KS 2026/1"],
    );
    env.ok("anna.kryphal", "anna", &["suggestion", "accept", s1]);
    env.ok(
        "anna.kryphal",
        "anna",
        &[
            "suggestion",
            "dismiss",
            s2,
            "--reason",
            "Regleras i avtalet.",
        ],
    );
    // Bertil: another Dnr, dismisses s1, dismisses s2 the same way (a near miss), dismisses s3.
    env.ok(
        "bertil.kryphal",
        "bertil",
        &["meta", &doc, "--set", "dnr=KS 2026/2"],
    );
    env.ok(
        "bertil.kryphal",
        "bertil",
        &[
            "suggestion",
            "dismiss",
            s1,
            "--reason",
            "Inte aktuellt här.",
        ],
    );
    env.ok(
        "bertil.kryphal",
        "bertil",
        &[
            "suggestion",
            "dismiss",
            s2,
            "--reason",
            "Regleras i avtalet.",
        ],
    );
    env.ok(
        "bertil.kryphal",
        "bertil",
        &[
            "suggestion",
            "dismiss",
            s3,
            "--reason",
            "Bara Bertil har tagit ställning.",
        ],
    );
    for (lib, user, out) in [
        ("anna.kryphal", "anna", "anna.kryphal.bundle"),
        ("bertil.kryphal", "bertil", "bertil.kryphal.bundle"),
    ] {
        env.ok(lib, user, &["bundle", "export", &doc, "--out", &env.p(out)]);
    }

    // Both directions: the Dnr and s1 are conflicts; s2 (the same decision) and s3 (decided
    // only there) are not.
    for (lib, user, bundle, mine_dnr, mine_s1, theirs_author) in [
        (
            "anna.kryphal",
            "anna",
            "bertil.kryphal.bundle",
            "KS 2026/1",
            "accepted",
            "bertil",
        ),
        (
            "bertil.kryphal",
            "bertil",
            "anna.kryphal.bundle",
            "KS 2026/2",
            "dismissed",
            "anna",
        ),
    ] {
        let report = import_json(&env, lib, user, bundle);
        assert_eq!(report["record_conflicts"], 2, "{lib}: {report}");
        assert_eq!(report["documents"][0]["record_conflicts"], 2);
        assert_eq!(report["documents"][0]["metadata_updated"], false);
        assert_eq!(
            dnr(&env, lib),
            mine_dnr,
            "{lib}: its own Dnr stays until resolved"
        );
        assert_eq!(
            decision(&env, lib, &doc, s1).0,
            mine_s1,
            "{lib}: its own decision stays"
        );
        assert_eq!(
            decision(&env, lib, &doc, s2),
            ("dismissed".to_string(), "Regleras i avtalet.".to_string())
        );
        assert_eq!(
            decision(&env, lib, &doc, s3),
            (
                "dismissed".to_string(),
                "Bara Bertil har tagit ställning.".to_string()
            ),
            "{lib}: a decision made only on one side is taken"
        );
        let conflicts = env.json(lib, &["conflicts", "--records", "--json"]);
        let conflicts = conflicts.as_array().unwrap();
        assert_eq!(conflicts.len(), 2);
        let meta = conflicts
            .iter()
            .find(|c| c["theirs"]["kind"] == "metadata")
            .unwrap();
        assert_eq!(meta["mine"]["value"]["dnr"], mine_dnr);
        assert_ne!(meta["theirs"]["value"]["dnr"], mine_dnr);
        assert_eq!(meta["origin"]["author"], theirs_author);
        let sug = conflicts
            .iter()
            .find(|c| c["theirs"]["kind"] == "suggestion")
            .unwrap();
        assert_eq!(sug["entity_id"], s1.as_str());
        assert_eq!(sug["mine"]["value"]["state"], mine_s1);
        // The text listing names both kinds.
        let text = env.ok(lib, user, &["conflicts"]);
        assert!(
            text.contains("\tmetadata ") && text.contains("\tsuggestion "),
            "{text}"
        );
        // The same bundle again raises nothing new.
        let again = import_json(&env, lib, user, bundle);
        assert_eq!(again["record_conflicts"], 0);
        assert_eq!(
            env.json(lib, &["conflicts", "--records", "--json"])
                .as_array()
                .unwrap()
                .len(),
            2
        );
    }

    // Anna takes Bertil's Dnr and keeps her acceptance; a combined choice is refused.
    let conflicts = env.json("anna.kryphal", &["conflicts", "--records", "--json"]);
    let id_of = |kind: &str| {
        conflicts
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["theirs"]["kind"] == kind)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (meta_id, sug_id) = (id_of("metadata"), id_of("suggestion"));
    let refused = env.fails(
        "anna.kryphal",
        &[
            "--user", "anna", "conflict", "resolve", &meta_id, "--keep", "combined",
        ],
    );
    assert!(refused.contains("keep mine or theirs"), "{refused}");
    env.ok(
        "anna.kryphal",
        "anna",
        &["conflict", "resolve", &meta_id, "--keep", "theirs"],
    );
    env.ok(
        "anna.kryphal",
        "anna",
        &["conflict", "resolve", &sug_id, "--keep", "mine"],
    );
    assert_eq!(dnr(&env, "anna.kryphal"), "KS 2026/2");
    assert_eq!(decision(&env, "anna.kryphal", &doc, s1).0, "accepted");
    assert_eq!(
        env.json("anna.kryphal", &["conflicts", "--records", "--json"]),
        serde_json::json!([])
    );
    let all = env.json(
        "anna.kryphal",
        &["conflicts", "--records", "--all", "--json"],
    );
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .all(|c| c["resolved_by"] == "anna")
    );
    let resolved = env.json("anna.kryphal", &["history", &doc, "--json"]);
    let event = resolved
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "document.resolve")
        .expect("the resolution is audited");
    assert_eq!(event["after"]["from"]["author"], "bertil");
    // Resolved: the same bundle does not raise it again.
    let again = import_json(&env, "anna.kryphal", "anna", "bertil.kryphal.bundle");
    assert_eq!(again["record_conflicts"], 0);
    assert_eq!(dnr(&env, "anna.kryphal"), "KS 2026/2");

    // Near miss for metadata: once both hold the same, the same edit on both sides is no conflict.
    let bertil = env.json("bertil.kryphal", &["conflicts", "--records", "--json"]);
    for c in bertil.as_array().unwrap() {
        env.ok(
            "bertil.kryphal",
            "bertil",
            &[
                "conflict",
                "resolve",
                c["id"].as_str().unwrap(),
                "--keep",
                "mine",
            ],
        );
    }
    for (lib, user, out) in [
        ("anna.kryphal", "anna", "anna2.bundle"),
        ("bertil.kryphal", "bertil", "bertil2.bundle"),
    ] {
        env.ok(lib, user, &["meta", &doc, "--set", "decided=2026-12-01"]);
        env.ok(lib, user, &["bundle", "export", &doc, "--out", &env.p(out)]);
    }
    let same = import_json(&env, "anna.kryphal", "anna", "bertil2.bundle");
    assert_eq!(same["record_conflicts"], 0, "{same}");
    assert_eq!(same["documents"][0]["metadata_updated"], false);
    let same = import_json(&env, "bertil.kryphal", "bertil", "anna2.bundle");
    assert_eq!(same["record_conflicts"], 0, "{same}");

    // Metadata changed only on one side since: taken, audited with its origin.
    env.ok(
        "anna.kryphal",
        "anna",
        &["meta", &doc, "--set", "dnr=KS 2026/3"],
    );
    env.ok(
        "anna.kryphal",
        "anna",
        &["bundle", "export", &doc, "--out", &env.p("anna3.bundle")],
    );
    let taken = import_json(&env, "bertil.kryphal", "bertil", "anna3.bundle");
    assert_eq!(taken["documents"][0]["metadata_updated"], true, "{taken}");
    assert_eq!(taken["record_conflicts"], 0);
    assert_eq!(dnr(&env, "bertil.kryphal"), "KS 2026/3");
}
