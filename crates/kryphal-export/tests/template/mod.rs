//! The municipality's template: the memo and the review document poured
//! into it (its styles, page, headers and logo; its `kryphal.*` fields
//! filled). The templates are made by `fixtures/make_templates.py`.

use std::io::Read;

use kryphal_export::{ExportError, Format, Lang, Template, Variant, export, inspect_template};
use kryphal_rules::Rulebook;

use crate::common::*;

pub fn template(name: &str) -> Template {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    Template {
        name: name.to_string(),
        bytes: std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    }
}

fn parts(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = String::from_utf8_lossy(f.name_raw()).into_owned();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        out.insert(name, String::from_utf8_lossy(&b).into_owned());
    }
    out
}

pub fn with_template(format: Format, name: &str) -> Vec<u8> {
    let a = analysis();
    let book = Rulebook::builtin();
    let mut o = options(Variant::Public, Lang::Sv);
    o.template = Some(template(name));
    export(format, &input(&a, &book), &o).expect("export with a template")
}

#[test]
fn a_template_tells_which_fields_it_has() {
    let full = inspect_template(&template("ekby-mall.dotx")).unwrap();
    assert_eq!(
        full.fields,
        ["dnr", "datum", "namnd", "handlaggare", "arende"]
    );
    assert!(full.first_page_header);
    assert_eq!((full.images, full.headers, full.footers), (1, 2, 1));
    let bare = inspect_template(&template("ekby-mall-utan-falt.dotx")).unwrap();
    assert!(bare.fields.is_empty());
    assert!(bare.first_page_header);
    for bad in [b"not a zip".to_vec(), Vec::new()] {
        let err = inspect_template(&Template {
            name: "x.dotx".into(),
            bytes: bad,
        })
        .unwrap_err();
        assert!(matches!(err, ExportError::Template(_)), "{err:?}");
    }
    // A Word document works as a template too; a memo made by Kryphål is one.
    let memo = with_template(Format::MemoDocx, "ekby-mall-utan-falt.dotx");
    inspect_template(&Template {
        name: "memo.docx".into(),
        bytes: memo,
    })
    .unwrap();
}

#[test]
fn the_memo_takes_the_templates_styles_page_header_and_logo_and_fills_its_fields() {
    let p = parts(&with_template(Format::MemoDocx, "ekby-mall.dotx"));
    let doc = &p["word/document.xml"];
    roxmltree::Document::parse(doc).expect("document.xml is XML");
    // The template's letterhead first, its fields filled, then the memo.
    let at = |s: &str| {
        doc.find(s)
            .unwrap_or_else(|| panic!("{s} missing in {doc}"))
    };
    assert!(at("TJÄNSTESKRIVELSE") < at("Sammanfattning"));
    assert!(doc.contains(">2026-11-22<"), "the date bookmark");
    assert!(doc.contains(">Socialnämnden<"), "the committee control");
    assert!(doc.contains(">Åsa Öberg, säkerhetsstrateg<"));
    assert!(
        doc.contains(">Brottssäkring av Auktorisationsvillkor för daglig verksamhet<"),
        "the ärende control"
    );
    assert!(
        !doc.contains("Ange nämnd")
            && !doc.contains("ÅÅÅÅ-MM-DD")
            && !doc.contains("showingPlcHdr")
    );
    // The header fields are the template's now, not a table of our own.
    assert!(
        !doc.contains(">Handläggare<"),
        "no header table of Kryphål's own"
    );
    // Headings in the template's styles (Swedish Word's ids), the template's page.
    assert!(doc.contains("<w:pStyle w:val=\"Rubrik1\"/>") && !doc.contains("w:val=\"Heading1\""));
    assert!(doc.contains("<w:titlePg/>") && doc.contains("w:top=\"2268\""));
    let styles = &p["word/styles.xml"];
    assert!(styles.contains("w:styleId=\"Rubrik1\"") && styles.contains("C00000"));
    assert!(
        styles.contains("w:styleId=\"KryphalTabell\""),
        "Kryphål's own styles are added"
    );
    assert!(!styles.contains("w:styleId=\"Heading1\""));
    // The first page's header: the logo and the memo's Dnr.
    assert!(p["word/header1.xml"].contains(">SN 2026/0512<"));
    assert!(p["word/header1.xml"].contains("r:embed=\"rIdLogo\""));
    assert!(p.contains_key("word/media/image1.png"));
    // A Word document now, not a template; the bullet list has its numbering.
    assert!(p["[Content_Types].xml"].contains("wordprocessingml.document.main+xml"));
    assert!(!p["[Content_Types].xml"].contains("template.main"));
    assert!(p["word/numbering.xml"].contains("w:numFmt w:val=\"bullet\""));
    assert!(p["word/_rels/document.xml.rels"].contains("numbering.xml"));
    assert!(p["docProps/core.xml"].contains("Brottssäkring av"));
}

#[test]
fn a_template_without_fields_gives_styles_and_logo_and_the_memo_keeps_its_header_table() {
    let p = parts(&with_template(Format::MemoDocx, "ekby-mall-utan-falt.dotx"));
    let doc = &p["word/document.xml"];
    assert!(
        doc.contains(">Handläggare<") && doc.contains(">SN 2026/0512<"),
        "{doc}"
    );
    assert!(doc.contains("<w:pStyle w:val=\"Rubrik1\"/>"));
    assert!(p.contains_key("word/media/image1.png"));
}

#[test]
fn the_review_document_takes_the_templates_page_and_header_but_not_its_letterhead() {
    let bytes = with_template(Format::ReviewDocx, "ekby-mall.dotx");
    let p = parts(&bytes);
    let doc = &p["word/document.xml"];
    assert!(!doc.contains("TJÄNSTESKRIVELSE"), "{doc}");
    assert!(doc.contains("<w:commentRangeStart"));
    assert!(p["word/header1.xml"].contains(">SN 2026/0512<"));
    assert!(p["word/settings.xml"].contains("<w:trackRevisions/>"));
    assert!(p["word/_rels/document.xml.rels"].contains("comments.xml"));
    // And it still reads back.
    let r = kryphal_export::read_review(&bytes).unwrap();
    assert_eq!(r.findings.len(), 5);
    assert!(r.problems.is_empty());
}

/// Writes memos and review documents made with the templates to
/// `$KRYPHAL_EXPORT_DUMP` for looking at.
#[test]
#[ignore]
fn dump_with_templates() {
    let dir = std::path::PathBuf::from(
        std::env::var("KRYPHAL_EXPORT_DUMP").expect("KRYPHAL_EXPORT_DUMP"),
    );
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["ekby-mall.dotx", "ekby-mall-utan-falt.dotx"] {
        for format in [Format::MemoDocx, Format::ReviewDocx] {
            let out = dir.join(format!(
                "{}-{}.docx",
                format.name(),
                name.trim_end_matches(".dotx")
            ));
            std::fs::write(out, with_template(format, name)).unwrap();
        }
    }
}
