//! `kryphal workshop …` and `kryphal overview`, run as a facilitator would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::SAMPLE;

fn run(lib: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    common::kryphal(lib, args, stdin)
}

fn ok(lib: &Path, args: &[&str], stdin: Option<&str>) -> String {
    common::succeeded(args, run(lib, args, stdin))
}

fn json(lib: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(lib, args, None)).unwrap()
}

/// The id of the clause numbered `number` in `doc`.
fn clause_id(lib: &Path, doc: &str, number: &str) -> String {
    let view = json(lib, &["show", doc, "--json"]);
    view["outline"]["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == number)
        .unwrap_or_else(|| panic!("no clause {number} in {doc}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_session_from_start_to_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let lib: PathBuf = dir.path().join("lib.kryphal");
    let imported = json(&lib, &["import", SAMPLE, "--json"]);
    let doc = imported[0]["report"]["document_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (c45, c46) = (clause_id(&lib, &doc, "4.5"), clause_id(&lib, &doc, "4.6"));
    let added: serde_json::Value = serde_json::from_str(&ok(
        &lib,
        &["finding", "add", &c45, "--json", "-"],
        Some(r#"{"unintended_consequence": "Ett gammalt utdrag godtas."}"#),
    ))
    .unwrap();
    let finding = added["id"].as_str().unwrap().to_string();

    let session = json(
        &lib,
        &[
            "workshop",
            "start",
            &doc,
            "--title",
            "Genomgång med hemtjänsten",
            "--date",
            "2026-11-20",
            "--attendee",
            "Anna Berg",
            "--attendee",
            "Omar Said",
            "--json",
        ],
    );
    let sid = session["id"].as_str().unwrap().to_string();
    assert_eq!(
        session["attendees"],
        serde_json::json!(["Anna Berg", "Omar Said"])
    );

    let judged = ok(
        &lib,
        &[
            "workshop", "judge", &sid, &finding, "3", "4", "--note", "Enigt.",
        ],
        None,
    );
    assert!(judged.contains("very_high"), "{judged}");
    ok(&lib, &["workshop", "decide", &sid, &c45, "adopt"], None);
    ok(
        &lib,
        &[
            "workshop",
            "decide",
            &sid,
            &c46,
            "defer",
            "--dissent",
            "Omar vill vänta.",
        ],
        None,
    );
    let bad = run(&lib, &["workshop", "decide", &sid, &c46, "maybe"], None);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("adopt, reject or defer"));
    ok(&lib, &["workshop", "end", &sid], None);
    let closed = run(&lib, &["workshop", "judge", &sid, &finding, "1", "1"], None);
    assert!(String::from_utf8_lossy(&closed.stderr).contains("closed"));

    let out = dir.path().join("minnesanteckningar.md");
    ok(
        &lib,
        &["workshop", "minutes", &sid, "--out", out.to_str().unwrap()],
        None,
    );
    let minutes = std::fs::read_to_string(&out).unwrap();
    for expected in [
        "# Minnesanteckningar: Genomgång med hemtjänsten",
        "- **Datum:** 2026-11-20",
        "- Anna Berg",
        "- Omar Said",
        "**Beslut:** Förslaget tas vidare.",
        "**Beslut:** Bordlagt.",
        "**Avvikande mening:** Omar vill vänta.",
        "sannolikhet 3 × konsekvens 4 — **Mycket hög**. Enigt.",
        "- **Status:** avslutad",
    ] {
        assert!(
            minutes.contains(expected),
            "minutes lack {expected:?}:\n{minutes}"
        );
    }

    // The same minutes as Word, read back by LibreOffice and pdftotext.
    let docx = dir.path().join("minnesanteckningar.docx");
    ok(
        &lib,
        &[
            "workshop",
            "minutes",
            &sid,
            "--format",
            "docx",
            "--out",
            docx.to_str().unwrap(),
        ],
        None,
    );
    assert!(std::fs::read(&docx).unwrap().starts_with(b"PK"));
    let profile = format!(
        "-env:UserInstallation=file://{}/lo-profile",
        dir.path().display()
    );
    let converted = Command::new("soffice")
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&docx)
        .output()
        .expect("soffice runs (Debian package libreoffice-writer-nogui)");
    assert!(
        converted.status.success(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    let text = Command::new("pdftotext")
        .arg(dir.path().join("minnesanteckningar.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext runs (Debian package poppler-utils)");
    // Compared with whitespace made single spaces: how LibreOffice wraps a line depends on
    // the fonts the machine has, and a fresh machine has others than a developer's.
    let text = String::from_utf8_lossy(&text.stdout)
        .replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "Minnesanteckningar: Genomgång med hemtjänsten",
        "Anna Berg",
        "Bordlagt",
        "Omar vill vänta.",
        "Mycket hög",
    ] {
        assert!(
            text.contains(expected),
            "the Word minutes lack {expected:?}:\n{text}"
        );
    }
    let bad = run(
        &lib,
        &[
            "workshop", "minutes", &sid, "--format", "pdf", "--out", "x.pdf",
        ],
        None,
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("md or docx"));

    let overview = json(&lib, &["overview", &doc, "--json"]);
    assert_eq!(overview["reviewed"], 1);
    let listed = ok(&lib, &["workshop", "list", &doc], None);
    assert!(
        listed.contains(&sid) && listed.contains("closed"),
        "{listed}"
    );
}

#[test]
fn the_overview_as_svg_and_png_images() {
    let dir = tempfile::tempdir().unwrap();
    let lib: PathBuf = dir.path().join("lib.kryphal");
    let imported = json(&lib, &["import", SAMPLE, "--json"]);
    let doc = imported[0]["report"]["document_id"]
        .as_str()
        .unwrap()
        .to_string();
    let c45 = clause_id(&lib, &doc, "4.5");
    ok(
        &lib,
        &["finding", "add", &c45, "--json", "-"],
        Some(r#"{"likelihood": 4, "impact": 4, "crime_types": ["URK"]}"#),
    );

    let svg = dir.path().join("matris.svg");
    let args = [
        "overview",
        &doc,
        "--image",
        "svg",
        "--part",
        "matrix",
        "--out",
        svg.to_str().unwrap(),
    ];
    let out = run(&lib, &args, None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("kryphal: wrote"));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        text.contains(
            r#"data-likelihood="4" data-impact="4" data-level="very_high" data-count="1""#
        )
    );
    assert!(text.contains("Riskmatris"));

    let png = dir.path().join("översikt.png");
    ok(
        &lib,
        &[
            "overview",
            &doc,
            "--image",
            "png",
            "--lang",
            "en",
            "--out",
            png.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        std::fs::read(&png)
            .unwrap()
            .starts_with(b"\x89PNG\r\n\x1a\n")
    );

    // A bad format, part or language: a sentence, exit 1, nothing written,
    // the library untouched.
    let before = std::fs::read(&lib).unwrap();
    let bad_out = dir.path().join("bad.gif");
    for (flag, value, needle) in [
        ("--image", "gif", "svg or png"),
        ("--part", "pie", "matrix"),
        ("--lang", "de", "sv or en"),
    ] {
        let mut args = vec!["overview", &doc, "--out", bad_out.to_str().unwrap()];
        if flag != "--image" {
            args.extend(["--image", "png"]);
        }
        args.extend([flag, value]);
        let out = run(&lib, &args, None);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("kryphal: ") && err.contains(needle),
            "{err}"
        );
        assert!(!bad_out.exists());
    }
    assert_eq!(std::fs::read(&lib).unwrap(), before);
    // --out without --image is a malformed command line.
    let out = run(&lib, &["overview", &doc, "--out", "x.png"], None);
    assert_eq!(out.status.code(), Some(2));
    // The text overview still works without --image.
    assert!(ok(&lib, &["overview", &doc], None).contains("of"));
}

#[test]
fn the_overview_without_a_document_is_the_whole_librarys() {
    let dir = tempfile::tempdir().unwrap();
    let lib: PathBuf = dir.path().join("lib.kryphal");
    let import = |name: &str, text: &str| {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        json(&lib, &["import", file.to_str().unwrap(), "--json"])[0]["report"]["document_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let sample = json(&lib, &["import", SAMPLE, "--json"])[0]["report"]["document_id"]
        .as_str()
        .unwrap()
        .to_string();
    let policy = import(
        "inkopspolicy.md",
        "# Inköpspolicy för Ekby kommun\n\n## 1 Allmänt\n\n1.1 Policyn gäller alla inköp.\n\n\
         1.2 Direktupphandling får göras av den som har fått delegation.\n",
    );
    let quiet = import(
        "tom.md",
        "# Riktlinje utan fynd\n\n1 § Riktlinjen gäller från i dag.\n",
    );
    for (doc, number, finding) in [
        (
            &sample,
            "4.5",
            r#"{"likelihood": 4, "impact": 4, "crime_types": ["URK"]}"#,
        ),
        (
            &policy,
            "1.2",
            r#"{"likelihood": 3, "impact": 4, "crime_types": ["MUT"]}"#,
        ),
        (
            &policy,
            "1.1",
            r#"{"unintended_consequence": "Gåvor nämns inte."}"#,
        ),
    ] {
        let clause = clause_id(&lib, doc, number);
        ok(
            &lib,
            &["finding", "add", &clause, "--json", "-"],
            Some(finding),
        );
    }

    // JSON: no document id, a row per document, every finding placed.
    let o = json(&lib, &["overview", "--json"]);
    assert!(o["document_id"].is_null(), "{o}");
    let docs = o["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 3);
    let clauses: u64 = docs.iter().map(|d| d["clauses"].as_u64().unwrap()).sum();
    assert_eq!(o["clauses"].as_u64(), Some(clauses));
    assert_eq!(o["reviewed"], 3);
    assert_eq!(o["findings"].as_array().unwrap().len(), 3);
    let row = |id: &str| docs.iter().find(|d| d["document_id"] == id).unwrap();
    let p = row(&policy);
    assert_eq!(
        (&p["reviewed"], &p["clauses"], &p["findings"], &p["level"]),
        (&2.into(), &2.into(), &2.into(), &"very_high".into())
    );
    assert_eq!(p["marks"].as_array().unwrap().len(), 2);
    assert_eq!(row(&quiet)["marks"].as_array().unwrap().len(), 0);
    assert!(o["sections"].as_array().unwrap().is_empty());

    // Text: the totals, a line per document, then the cells and crime types.
    let text = ok(&lib, &["overview"], None);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        format!("3 of {clauses} clauses reviewed in 3 documents")
    );
    assert!(
        lines.contains(&format!(
            "{policy}\tInköpspolicy för Ekby kommun\t2 of 2 clauses reviewed\t2 findings\tvery_high"
        )
        .as_str()),
        "{text}"
    );
    assert!(
        lines.contains(
            &format!("{quiet}\tRiktlinje utan fynd\t0 of 1 clauses reviewed\t0 findings\t-")
                .as_str()
        ),
        "{text}"
    );
    assert!(lines.contains(&"not rated\t1 findings"), "{text}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("MUT\t") && l.ends_with("\t1")),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("likelihood 4 × consequence 4\tvery_high\t1 findings")),
        "{text}"
    );
    // A document's own overview has no document lines.
    let own = ok(&lib, &["overview", &policy], None);
    assert!(own.starts_with("2 of 2 clauses reviewed\n"), "{own}");
    assert!(!own.contains("Reglemente"), "{own}");

    // The image: every document's title, bar and strip.
    let svg = dir.path().join("bibliotek.svg");
    let out = run(
        &lib,
        &["overview", "--image", "svg", "--out", svg.to_str().unwrap()],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("kryphal: wrote"));
    let image = std::fs::read_to_string(&svg).unwrap();
    assert!(image.contains("Alla styrdokument i biblioteket"));
    for d in docs {
        let title = d["title"].as_str().unwrap();
        assert!(image.contains(&format!(">{title}</text>")), "{title}");
        assert!(
            image.contains(&format!(
                r#"data-document="{title}" data-reviewed="{}" data-clauses="{}""#,
                d["reviewed"], d["clauses"]
            )),
            "{title}"
        );
        assert!(
            image.contains(&format!(r#"data-strip="{title}""#)),
            "{title}"
        );
    }
}

#[test]
fn an_unknown_document_is_still_refused_with_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let lib: PathBuf = dir.path().join("lib.kryphal");
    json(&lib, &["import", SAMPLE, "--json"]);
    let svg = dir.path().join("x.svg");
    for args in [
        vec!["overview", "Inköpspolicy"],
        vec!["overview", "Inköpspolicy", "--json"],
        vec![
            "overview",
            "Inköpspolicy",
            "--image",
            "svg",
            "--out",
            svg.to_str().unwrap(),
        ],
    ] {
        let out = run(&lib, &args, None);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("kryphal: No document in the library")
                && err.contains("“Inköpspolicy”")
                && err.trim_end().ends_with('.'),
            "{err}"
        );
        assert!(!svg.exists());
    }
    // The near miss: the same library answers without a document.
    assert!(ok(&lib, &["overview"], None).starts_with("0 of "));
}
