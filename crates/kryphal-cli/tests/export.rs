//! `kryphal export`, `kryphal settings` and the analysis import, run as a
//! user would, on real files.

use std::path::{Path, PathBuf};
use std::process::Output;

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
    fn run_on(&self, library: &str, args: &[&str], stdin: Option<&str>) -> Output {
        common::kryphal(&self.path(library), args, stdin)
    }
    fn ok_on(&self, library: &str, args: &[&str]) -> String {
        let out = self.run_on(library, args, None);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
    fn ok(&self, args: &[&str]) -> String {
        self.ok_on("lib.kryphal", args)
    }
    fn fails_on(&self, library: &str, args: &[&str]) -> String {
        let out = self.run_on(library, args, None);
        assert_eq!(out.status.code(), Some(1), "{args:?} should fail");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.starts_with("kryphal: "), "{err}");
        assert!(err.trim_end().ends_with('.'), "{err}");
        err
    }
    fn fails(&self, args: &[&str]) -> String {
        self.fails_on("lib.kryphal", args)
    }
    /// The sample with an agreed finding that proposes a wording; returns the document id.
    fn analysed(&self) -> String {
        self.ok(&["import", SAMPLE]);
        let view: serde_json::Value =
            serde_json::from_str(&self.ok(&["show", "Reglemente", "--json"])).unwrap();
        let clause = view["outline"]["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["number"] == "4.5")
            .unwrap();
        let finding = r#"{"unintended_consequence": "Ett inaktuellt utdrag godtas.",
            "exploitation": "Ett bolag visar ett gammalt utdrag.",
            "crime_types": ["BED"], "likelihood": 3, "impact": 4,
            "proposed_wording": "Utdraget får vara högst en månad gammalt.", "status": "agreed"}"#;
        let out = self.run_on(
            "lib.kryphal",
            &[
                "finding",
                "add",
                clause["id"].as_str().unwrap(),
                "--json",
                "-",
            ],
            Some(finding),
        );
        assert!(out.status.success());
        view["document"]["id"].as_str().unwrap().to_string()
    }
}

fn export_args<'a>(doc: &'a str, format: &'a str, out: &'a Path) -> Vec<&'a str> {
    vec![
        "export",
        doc,
        "--format",
        format,
        "--out",
        out.to_str().unwrap(),
    ]
}

#[test]
fn every_format_is_written_whole_with_its_magic_bytes() {
    let env = Env::new();
    let doc = env.analysed();
    let magic: &[(&str, &[u8])] = &[
        ("memo-docx", b"PK\x03\x04"),
        ("tracked-docx", b"PK\x03\x04"),
        ("review-docx", b"PK\x03\x04"),
        ("xlsx", b"PK\x03\x04"),
        ("memo-pdf", b"%PDF-"),
        ("csv", b"\xEF\xBB\xBF"),
        ("json", b"{"),
        ("html", b"<!DOCTYPE html>"),
        ("md", b"- **"),
    ];
    assert_eq!(magic.len(), kryphal_app::EXPORT_FORMATS.len());
    for (format, head) in magic {
        for variant in ["internal", "public"] {
            let out = env.path(&format!("{format}-{variant}.out"));
            let mut args = export_args(&doc, format, &out);
            args.extend(["--variant", variant, "--lang", "en"]);
            env.ok(&args);
            let bytes = std::fs::read(&out).unwrap();
            assert!(bytes.len() > 200, "{format} is only {} bytes", bytes.len());
            assert!(
                bytes.starts_with(head),
                "{format} starts with {:?}",
                String::from_utf8_lossy(&bytes[..16.min(bytes.len())])
            );
        }
    }
}

#[test]
fn bad_format_variant_or_language_is_refused_and_no_file_appears() {
    let env = Env::new();
    let doc = env.analysed();
    let out = env.path("memo.docx");
    let err = env.fails(&export_args(&doc, "docx", &out));
    assert!(err.contains("memo-docx"), "names the formats: {err}");
    let mut args = export_args(&doc, "memo-docx", &out);
    args.extend(["--variant", "hemlig"]);
    assert!(env.fails(&args).contains("internal or public"));
    let mut args = export_args(&doc, "memo-docx", &out);
    args.extend(["--lang", "de"]);
    assert!(env.fails(&args).contains("sv or en"));
    assert!(!out.exists());
}

#[test]
fn an_unwritable_target_is_refused_and_an_old_file_is_kept() {
    let env = Env::new();
    let doc = env.analysed();
    let missing = env.path("no-folder/memo.docx");
    let err = env.fails(&export_args(&doc, "memo-docx", &missing));
    assert!(err.contains("does not exist"), "{err}");
    let folder = env.path("a-folder");
    std::fs::create_dir(&folder).unwrap();
    assert!(
        env.fails(&export_args(&doc, "memo-docx", &folder))
            .contains("is a folder")
    );
    // A read-only folder (skipped as root, who may write anyway).
    let ro = env.path("ro");
    std::fs::create_dir(&ro).unwrap();
    let target = ro.join("memo.docx");
    std::fs::write(&target, b"old").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(ro.join("probe"), b"x").is_err() {
        let err = env.fails(&export_args(&doc, "memo-docx", &target));
        assert!(err.contains("Cannot write"), "{err}");
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
    }
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn json_round_trip_through_the_cli_is_byte_identical() {
    let env = Env::new();
    let doc = env.analysed();
    let first = env.path("analys.json");
    env.ok(&export_args(&doc, "json", &first));
    let out = env.ok_on(
        "other.kryphal",
        &["import", first.to_str().unwrap(), "--json"],
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report[0]["ok"], true, "{out}");
    assert_eq!(report[0]["report"]["document_id"], doc.as_str());
    let second = env.path("analys-2.json");
    env.ok_on("other.kryphal", &export_args(&doc, "json", &second));
    assert!(std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap());

    // Importing it again is refused, and the library is left as it was.
    let before = env.ok_on("other.kryphal", &["history", "--json"]);
    let err = env.fails_on("other.kryphal", &["import", first.to_str().unwrap()]);
    assert!(err.contains("already has the document"), "{err}");
    assert_eq!(env.ok_on("other.kryphal", &["history", "--json"]), before);

    // Other JSON is not taken for an analysis.
    let other = env.path("other.json");
    std::fs::write(&other, br#"{"name": "x"}"#).unwrap();
    let err = env.fails_on("third.kryphal", &["import", other.to_str().unwrap()]);
    assert!(err.contains("not a Kryphål analysis"), "{err}");
}

#[test]
fn the_header_settings_are_set_shown_and_printed_in_the_memo() {
    let env = Env::new();
    let doc = env.analysed();
    env.ok(&[
        "settings",
        "--set",
        "municipality=Ekby kommun",
        "--set",
        "committee=Vård- och omsorgsnämnden",
        "--set",
        "responsible_official=Anna Andersson",
    ]);
    let shown: serde_json::Value = serde_json::from_str(&env.ok(&["settings", "--json"])).unwrap();
    assert_eq!(shown["municipality"], "Ekby kommun");
    assert!(
        env.ok(&["settings"])
            .contains("committee\tVård- och omsorgsnämnden")
    );
    let err = env.fails(&["settings", "--set", "färg=blå"]);
    assert!(err.contains("responsible_official"), "{err}");
    assert!(
        env.fails(&["settings", "--set", "municipality"])
            .contains("FIELD=VALUE")
    );
    let memo = env.path("memo.md");
    env.ok(&export_args(&doc, "md", &memo));
    let md = std::fs::read_to_string(&memo).unwrap();
    assert!(md.contains("Ekby kommun"), "{md}");
    assert!(md.contains("Anna Andersson"), "{md}");
}

/// The package with the tracked changes of every clause accepted, as Word's
/// Accept All does, and a new comment on the first clause.
fn accept_all(bytes: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = String::from_utf8_lossy(f.name_raw()).into_owned();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        if name == "word/document.xml" {
            let mut xml = String::from_utf8(b).unwrap();
            while let Some(a) = xml.find("<w:del ") {
                let z = a + xml[a..].find("</w:del>").unwrap() + "</w:del>".len();
                xml.replace_range(a..z, "");
            }
            while let Some(a) = xml.find("<w:ins ") {
                let z = a + xml[a..].find('>').unwrap() + 1;
                xml.replace_range(a..z, "");
                let c = xml.find("</w:ins>").unwrap();
                xml.replace_range(c..c + "</w:ins>".len(), "");
            }
            b = xml.into_bytes();
        }
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&b).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn a_review_document_goes_out_and_its_answers_come_back_with_review_import() {
    let env = Env::new();
    let doc = env.analysed();
    let sent = env.path("granskning.docx");
    env.ok(&export_args(&doc, "review-docx", &sent));
    let back = env.path("granskad.docx");
    std::fs::write(&back, accept_all(&std::fs::read(&sent).unwrap())).unwrap();
    let back = back.to_str().unwrap();

    // A dry run says what would happen and stores nothing.
    let out = env.run_on(
        "lib.kryphal",
        &["review", "import", back, "--dry-run", "--json"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["counts"]["accepted"], 1, "{plan}");
    assert_eq!(plan["stored"], false);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 accepted") && err.contains("dry run: nothing stored"),
        "{err}"
    );
    let before: serde_json::Value =
        serde_json::from_str(&env.ok(&["finding", "list", &doc, "--json"])).unwrap();
    assert_eq!(before[0]["status"], "agreed");
    assert!(env.ok(&["review", "notes", &doc]).is_empty());

    // Read for real: the finding's decision is kept with who and when.
    let text = env.ok(&["review", "import", back]);
    assert!(text.contains("\taccepted\tagreed→agreed\t"), "{text}");
    let notes: serde_json::Value =
        serde_json::from_str(&env.ok(&["review", "notes", &doc, "--json"])).unwrap();
    assert_eq!(notes["decisions"][0]["outcome"], "accepted", "{notes}");
    assert_eq!(notes["decisions"][0]["source"], "granskad.docx");
    assert!(env.ok(&["history"]).contains("document.review_import"));

    // A file that is not a review document is refused with a sentence.
    let memo = env.path("memo.docx");
    env.ok(&export_args(&doc, "memo-docx", &memo));
    let err = env.fails(&["review", "import", memo.to_str().unwrap()]);
    assert!(err.contains("not a review document"), "{err}");
}

#[test]
fn the_template_and_a_documents_memo_fields_are_settings() {
    let env = Env::new();
    let doc = env.analysed();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../kryphal-export/tests/fixtures");
    let with = fixtures.join("ekby-mall.dotx");
    let without = fixtures.join("ekby-mall-utan-falt.dotx");
    let shown = env.ok(&["settings", "--template", with.to_str().unwrap()]);
    assert!(
        shown.contains("template_fields\tdnr,datum,namnd,handlaggare,arende"),
        "{shown}"
    );
    let fields = env.ok(&[
        "settings",
        "--doc",
        &doc,
        "--set",
        "case_dnr=VON 2026/0042",
        "--set",
        "decision_proposal=Nämnden beslutar att anta förslagen.",
    ]);
    assert!(fields.contains("case_dnr\tVON 2026/0042"), "{fields}");
    assert!(
        fields.contains("decision_proposal\tNämnden beslutar att anta förslagen."),
        "{fields}"
    );
    assert!(
        fields.contains(
            "subject\tBrottssäkring av Reglemente för kundval inom hemtjänst\t(generated)"
        ),
        "{fields}"
    );
    let memo = env.path("memo.docx");
    let out = env.run_on("lib.kryphal", &export_args(&doc, "memo-docx", &memo), None);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("made with the template ekby-mall.dotx; filled its fields dnr"),
        "{err}"
    );
    let md = env.path("memo.md");
    env.ok(&export_args(&doc, "md", &md));
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(
        md.contains("- **Dnr:** VON 2026/0042")
            && md.contains("Nämnden beslutar att anta förslagen."),
        "{md}"
    );

    // A template without fields works, and the note says what it gives.
    let out = env.run_on(
        "lib.kryphal",
        &["settings", "--template", without.to_str().unwrap()],
        None,
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no kryphal.* fields"));
    let out = env.run_on("lib.kryphal", &export_args(&doc, "memo-docx", &memo), None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("which has no kryphal.* fields"));
    // Not a template: refused, the setting kept.
    let err = env.fails(&["settings", "--template", SAMPLE]);
    assert!(err.contains("is not a Word file"), "{err}");
    assert!(env.ok(&["settings"]).contains("ekby-mall-utan-falt.dotx"));
    assert!(
        env.ok(&["settings", "--no-template"])
            .contains("template\t\n")
    );
}
