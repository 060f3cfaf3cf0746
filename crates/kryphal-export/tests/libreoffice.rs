//! The Word exports read by an independent reader: LibreOffice converts
//! them (to PDF, and the tracked-changes document also to flat ODT, where
//! LibreOffice lists the revisions it found), pdftotext reads the PDFs.
//! Needs the Debian packages libreoffice-writer-nogui (or any LibreOffice
//! with Writer) and poppler-utils; fails, naming them, when they are missing.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use kryphal_export::{Format, Lang, Variant, export};
use kryphal_rules::Rulebook;

fn soffice() -> &'static str {
    for name in ["soffice", "libreoffice"] {
        if Command::new(name).arg("--version").output().is_ok() {
            return name;
        }
    }
    panic!("LibreOffice is not installed: install the Debian package libreoffice-writer-nogui");
}

/// Converts `files` to `target` in one LibreOffice run with a private profile.
fn convert(files: &[PathBuf], target: &str, out: &Path, profile: &Path) {
    let result = Command::new(soffice())
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
        ])
        .arg(out)
        .args(files)
        .output()
        .expect("LibreOffice runs");
    assert!(
        result.status.success(),
        "LibreOffice failed: {}\n{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut s = String::new();
    zip.by_name(name)
        .expect(name)
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn libreoffice_converts_the_word_exports_and_sees_the_tracked_changes() {
    let a = analysis();
    let book = Rulebook::builtin();
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("lo-profile");
    let out = dir.path().join("out");
    let mut files = Vec::new();
    let mut write = |name: &str, format: Format, variant: Variant, lang: Lang| -> Vec<u8> {
        let bytes = export(format, &input(&a, &book), &options(variant, lang)).unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        files.push(path);
        bytes
    };
    write(
        "memo-intern.docx",
        Format::MemoDocx,
        Variant::Internal,
        Lang::Sv,
    );
    write(
        "memo-public-en.docx",
        Format::MemoDocx,
        Variant::Public,
        Lang::En,
    );
    let tracked = write(
        "andringar.docx",
        Format::TrackedDocx,
        Variant::Internal,
        Lang::Sv,
    );

    // The revisions are real Word revision marks, attributed and dated.
    let xml = zip_entry(&tracked, "word/document.xml");
    for needle in [
        "<w:ins ",
        "<w:del ",
        "w:author=\"Åsa Öberg\"",
        "w:date=\"2026-11-20T09:30:00Z\"",
        "<w:delText xml:space=\"preserve\">ett år</w:delText>",
    ] {
        assert!(xml.contains(needle), "missing {needle:?} in document.xml");
    }
    // Only the agreed finding becomes a revision; the reviewed one does not.
    assert!(
        !xml.contains("efterskott"),
        "a finding that is not agreed became a change"
    );

    write(
        "granskning.docx",
        Format::ReviewDocx,
        Variant::Internal,
        Lang::Sv,
    );
    // The memo in the municipality's template.
    let mut with_template = options(Variant::Public, Lang::Sv);
    with_template.template = Some(kryphal_export::Template {
        name: "ekby-mall.dotx".into(),
        bytes: std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ekby-mall.dotx"),
        )
        .unwrap(),
    });
    let mall = dir.path().join("mall.docx");
    std::fs::write(
        &mall,
        export(Format::MemoDocx, &input(&a, &book), &with_template).unwrap(),
    )
    .unwrap();
    files.push(mall);

    convert(&files, "pdf", &out, &profile);
    // The template's letterhead and first-page header, filled, around the memo.
    let mall = squash(&pdftotext(&out.join("mall.pdf")));
    for needle in [
        "Ekby kommun",
        "Dnr: SN 2026/0512",
        "TJÄNSTESKRIVELSE",
        "Nämnd: Socialnämnden",
        "Sammanfattning",
        "Nuvarande lydelse",
    ] {
        assert!(
            mall.contains(needle),
            "the memo in the template lacks {needle:?}:\n{mall}"
        );
    }
    let review = squash(&pdftotext(&out.join("granskning.pdf")));
    assert!(
        review.contains("3 § Utföraren ska lämna registerutdrag"),
        "{review}"
    );
    let memo = squash(&pdftotext(&out.join("memo-intern.pdf")));
    for needle in [
        "Brottssäkring av Auktorisationsvillkor för daglig verksamhet",
        "Björkå kommun",
        "SN 2026/0512",
        "2026-11-22",
        "Sammanfattning",
        "Iakttagelser",
        "1. Krav på utföraren › 3 §",
        "3 § Utföraren ska lämna registerutdrag ur belastningsregistret för verksamhetsansvarig vid ansökan. Utdraget får vara högst ett år gammalt.",
        "5 § Ersättning betalas ut i förskott varje månad",
        "Nuvarande lydelse",
        "Föreslagen lydelse",
        "Övervägda alternativ",
        "Bilaga 1. Riskmatris",
        "Intern – innehåller känsliga uppgifter",
        SENSITIVE,
        // Markup in a clause is printed as text.
        "<script>alert('x')</script>",
    ] {
        assert!(memo.contains(needle), "memo PDF lacks {needle:?}:\n{memo}");
    }
    let public = squash(&pdftotext(&out.join("memo-public-en.pdf")));
    for needle in [
        "Crime proofing of Auktorisationsvillkor",
        "Summary",
        "Current wording",
        "Proposed wording",
        "Public version – sensitive information left out",
    ] {
        assert!(
            public.contains(needle),
            "public memo PDF lacks {needle:?}:\n{public}"
        );
    }
    assert!(
        !public.contains(SENSITIVE),
        "the public memo shows a sensitive answer"
    );
    let changed = squash(&pdftotext(&out.join("andringar.pdf")));
    assert!(changed.contains("2 kap. Krav på utföraren"), "{changed}");
    assert!(changed.contains("tre månader"), "{changed}");

    // LibreOffice's own document model lists the revisions.
    convert(&files[2..], "fodt", &out, &profile);
    let fodt = std::fs::read_to_string(out.join("andringar.fodt")).unwrap();
    let regions = fodt.matches("<text:changed-region").count();
    assert!(regions >= 2, "LibreOffice found {regions} changes");
    assert!(fodt.contains("<text:insertion>"), "no insertion");
    assert!(fodt.contains("<text:deletion>"), "no deletion");
    assert!(
        fodt.contains("<dc:creator>Åsa Öberg</dc:creator>"),
        "author lost"
    );
    assert!(fodt.contains("<dc:date>2026-11-20T09:30:00"), "date lost");
    // The review document: LibreOffice sees every finding's comment, signed
    // by its author, and the proposals as revisions.
    let fodt = std::fs::read_to_string(out.join("granskning.fodt")).unwrap();
    assert_eq!(
        fodt.matches("<office:annotation ").count() + fodt.matches("<office:annotation>").count(),
        5,
        "five comments"
    );
    assert!(
        fodt.contains("Iakttagelse 1: Mycket hög"),
        "comment text lost"
    );
    assert!(
        fodt.matches("<text:changed-region").count() >= 4,
        "the proposals are revisions"
    );
}
