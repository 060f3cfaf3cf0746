//! Every export format, read back with a reader that is not ours where one
//! exists (calamine for XLSX, the csv crate for CSV, pdftotext for PDF).

mod common;
mod review;
mod template;

use common::*;
use kryphal_export::{
    ExportError, Format, Lang, Variant, export, markdown_memo, parse_analysis_json,
};
use kryphal_rules::Rulebook;

fn text(format: Format, variant: Variant, lang: Lang) -> String {
    let a = analysis();
    let book = Rulebook::builtin();
    let bytes = export(format, &input(&a, &book), &options(variant, lang)).expect("export");
    String::from_utf8(bytes).expect("UTF-8")
}

#[test]
fn format_names_parse_and_unknown_ones_are_refused() {
    for name in [
        "md",
        "html",
        "memo-docx",
        "tracked-docx",
        "memo-pdf",
        "xlsx",
        "csv",
        "json",
    ] {
        let f: Format = name.parse().expect(name);
        assert_eq!(f.name(), name);
    }
    let err = "odt".parse::<Format>().unwrap_err();
    assert!(matches!(err, ExportError::UnknownFormat(_)));
    assert!(err.to_string().contains("memo-docx"), "{err}");
    assert!("public".parse::<Variant>().is_ok());
    assert!("secret".parse::<Variant>().is_err());
    assert!("en".parse::<Lang>().is_ok());
    assert!("de".parse::<Lang>().is_err());
}

#[test]
fn markdown_memo_has_header_summary_findings_table_and_matrix() {
    let md = text(Format::Markdown, Variant::Internal, Lang::Sv);
    assert!(md.starts_with("- **Kommun:** Björkå kommun\n"), "{md}");
    for needle in [
        "# Brottssäkring av Auktorisationsvillkor för daglig verksamhet\n",
        "- **Nämnd:** Socialnämnden",
        // The memo's own Dnr, not the governing document's.
        "- **Dnr:** SN 2026/0512",
        "- **Datum:** 2026-11-22",
        "- **Handläggare:** Åsa Öberg, säkerhetsstrateg",
        "- **Version:** Intern",
        "## Sammanfattning",
        "Granskningen har lett till 5 iakttagelser, varav 2 med förslag till ändrad lydelse.",
        "## Förslag till beslut",
        "Socialnämnden beslutar att revidera Auktorisationsvillkor för daglig verksamhet enligt förslagen till ändrad lydelse i denna tjänsteskrivelse.",
        "## Ärendet",
        "Auktorisationsvillkor för daglig verksamhet (Dnr SN 2026/0412) beslutades av Socialnämnden 2025-05-14.",
        "| Mycket hög | 1 |",
        "## Iakttagelser",
        "### 1. Krav på utföraren › 3 §",
        "> 3 § Utföraren ska lämna registerutdrag",
        "**Brottstyper.** Bedrägeri (BrB 9 kap. 1 §), Urkundsförfalskning",
        "Sannolikhet 3 (Stor) × Konsekvens 4 (Allvarlig) = **Mycket hög**",
        "| Nuvarande lydelse | Föreslagen lydelse |",
        "| 3 § Utföraren ska lämna registerutdrag ur belastningsregistret för verksamhetsansvarig vid ansökan. Utdraget får vara högst ett år gammalt. | 3 § Utföraren ska lämna registerutdrag ur belastningsregistret för verksamhetsansvarig vid ansökan och därefter varje år. Utdraget får vara högst tre månader gammalt. |",
        "| Alternativ | Fördelar | Nackdelar | Kvarstående risk |",
        "2 × 4 = Hög",
        "**Skyddsfaktorer.** Utdraget begärs av nämnden",
        "## Bilagor",
        "- Bilaga 1. Riskmatris\n- Bilaga 2. Avfärdade screeningförslag\n- Bilaga 3. Teknisk information",
        "## Bilaga 1. Riskmatris",
        "## Bilaga 2. Avfärdade screeningförslag",
        "| Krav på utföraren › 6 § | Vagt begrepp: ”osannolikt” | Hävningsgrunden prövas ändå av nämnden. | Åsa Öberg, 2026-11-19 |",
        "## Bilaga 3. Teknisk information",
        "- **Källfil:** auktorisationsvillkor-daglig-verksamhet.docx",
        "- **Styrdokumentets Dnr:** SN 2026/0412",
        "- **Regelbok:** bra-mur-sv",
    ] {
        assert!(md.contains(needle), "missing {needle:?} in\n{md}");
    }
    // The order of a tjänsteskrivelse.
    let at = |s: &str| md.find(s).unwrap_or_else(|| panic!("{s}"));
    assert!(at("## Sammanfattning") < at("## Förslag till beslut"));
    assert!(at("## Förslag till beslut") < at("## Ärendet"));
    assert!(at("## Ärendet") < at("## Iakttagelser"));
    assert!(at("## Iakttagelser") < at("## Bilagor"));
    // The most serious finding first; the rejected one is not in the memo.
    let very_high = md.find("### 1. Krav på utföraren › 3 §").unwrap();
    let high = md.find("### 2. Krav på utföraren › 5 §").expect(&md);
    assert!(very_high < high);
    assert!(!md.contains("Osannolikt är ett vagt ord"), "{md}");
    // Markup from the document stays text.
    assert!(md.contains("\\<script\\>"), "{md}");
    assert!(!md.contains("<script>"), "{md}");
}

#[test]
fn the_earlier_markdown_memo_call_still_works() {
    let a = analysis();
    let book = Rulebook::builtin();
    let md = markdown_memo(&kryphal_export::Memo {
        document: &a.document,
        outline: &a.outline,
        findings: &a.findings,
        rulebook: &book,
    });
    assert!(md.contains("\n# Brottssäkring av "), "{md}");
    assert!(
        md.contains("| Nuvarande lydelse | Föreslagen lydelse |"),
        "{md}"
    );
}

#[test]
fn english_fixed_texts() {
    let md = text(Format::Markdown, Variant::Internal, Lang::En);
    for needle in [
        "# Crime proofing of Auktorisationsvillkor",
        "- **Municipality:** Björkå kommun",
        "- **Case officer:** Åsa Öberg",
        "## Summary",
        "The review led to 5 findings, 2 of them with a proposed new wording.",
        "## Proposed decision",
        "Socialnämnden decides to revise Auktorisationsvillkor för daglig verksamhet as proposed in this memo.",
        "## Background",
        "## Findings",
        "| Current wording | Proposed wording |",
        "## Appendix 1. Risk matrix",
        "## Appendix 3. Technical information",
        "- **Version:** Internal",
    ] {
        assert!(md.contains(needle), "missing {needle:?} in\n{md}");
    }
}

#[test]
fn html_is_self_contained_and_escapes_document_text() {
    let html = text(Format::Html, Variant::Internal, Lang::Sv);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<html lang=\"sv\">"));
    assert!(html.contains("Content-Security-Policy"));
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "{html}"
    );
    assert!(html.contains("&lt;b&gt;märkning&lt;/b&gt;"), "{html}");
    assert!(!html.contains("src=\"http"), "no external resources");
    assert!(html.contains("<del>ett år</del>"), "{html}");
    assert!(html.contains("<ins>tre månader</ins>"), "{html}");
    assert!(
        html.contains(
            "<th scope=\"col\">Nuvarande lydelse</th><th scope=\"col\">Föreslagen lydelse</th>"
        ),
        "{html}"
    );
    // Swedish typography: no line break before §.
    assert!(html.contains("3\u{a0}§"), "{html}");
    assert!(
        html.contains("style=\"background:#b71c1c;color:#ffffff\""),
        "{html}"
    );
}

#[test]
fn public_variant_leaves_out_sensitive_answers_and_comments_everywhere() {
    for format in [Format::Markdown, Format::Html, Format::Json, Format::Csv] {
        let internal = text(format, Variant::Internal, Lang::Sv);
        let public = text(format, Variant::Public, Lang::Sv);
        assert!(
            internal.contains(SENSITIVE),
            "{format}: internal lacks the sensitive answer"
        );
        assert!(
            internal.contains(COMMENT),
            "{format}: internal lacks the comment"
        );
        assert!(
            !public.contains(SENSITIVE),
            "{format}: public shows the sensitive answer"
        );
        assert!(
            !public.contains(COMMENT),
            "{format}: public shows the comment"
        );
        assert!(
            public.contains("Utdraget får vara högst"),
            "{format}: public lost the clause"
        );
    }
    let md = text(Format::Markdown, Variant::Public, Lang::Sv);
    assert!(!md.contains("Avfärdade screeningförslag"), "{md}");
    // Technical lines only in the internal variant's appendix.
    for technical in [
        "auktorisationsvillkor-daglig-verksamhet.docx",
        "bra-mur-sv",
        "Teknisk information",
        "Avfärdat av",
    ] {
        assert!(
            !md.contains(technical),
            "public memo shows {technical:?}:\n{md}"
        );
    }
    assert!(md.contains("- Bilaga 1. Riskmatris\n\n"), "{md}");
    assert!(
        md.contains("*Offentlig version – känsliga uppgifter är utelämnade.*"),
        "{md}"
    );
}

#[test]
fn json_export_import_export_is_byte_identical() {
    let a = analysis();
    let book = Rulebook::builtin();
    for variant in [Variant::Internal, Variant::Public] {
        let opts = options(variant, Lang::Sv);
        let first = export(Format::Json, &input(&a, &book), &opts).unwrap();
        let imported = parse_analysis_json(&first).expect("re-import");
        assert_eq!(
            imported.format_version,
            kryphal_export::ANALYSIS_FORMAT_VERSION
        );
        assert_eq!(imported.variant, variant);
        assert_eq!(imported.rulebook, book.reference());
        if variant == Variant::Internal {
            assert_eq!(imported.analysis, a, "nothing lost");
        }
        let second = export(Format::Json, &input(&imported.analysis, &book), &opts).unwrap();
        assert_eq!(first, second, "{variant:?}");
    }
}

#[test]
fn json_import_refuses_bad_files_with_clear_errors() {
    let a = analysis();
    let book = Rulebook::builtin();
    let good = export(
        Format::Json,
        &input(&a, &book),
        &options(Variant::Internal, Lang::Sv),
    )
    .unwrap();
    let truncated = &good[..good.len() / 2];
    assert!(matches!(
        parse_analysis_json(truncated),
        Err(ExportError::Truncated(_))
    ));
    assert!(matches!(
        parse_analysis_json(b"PK\x03\x04 not json"),
        Err(ExportError::NotJson(_))
    ));
    assert!(matches!(
        parse_analysis_json(br#"{"kind":"something-else","format_version":1}"#),
        Err(ExportError::WrongKind(_))
    ));
    assert!(matches!(
        parse_analysis_json(b"[1,2]"),
        Err(ExportError::WrongKind(_))
    ));
    let text = String::from_utf8(good.clone()).unwrap();
    let newer = text.replacen("\"format_version\": 2", "\"format_version\": 3", 1);
    let err = parse_analysis_json(newer.as_bytes()).unwrap_err();
    assert!(
        matches!(
            err,
            ExportError::NewerVersion {
                found: 3,
                supported: 2
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("update Kryphål"), "{err}");
    let orphan = text.replacen("\"clause_id\": \"c-3\"", "\"clause_id\": \"c-99\"", 1);
    let err = parse_analysis_json(orphan.as_bytes()).unwrap_err();
    assert!(matches!(err, ExportError::Invalid(_)), "{err}");
    let missing = text.replacen("\"outline\"", "\"outlines\"", 1);
    let err = parse_analysis_json(missing.as_bytes()).unwrap_err();
    assert!(matches!(err, ExportError::Invalid(_)), "{err}");
    // A byte-order mark in front is fine.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(&good);
    assert!(parse_analysis_json(&bom).is_ok());
}

fn csv_rows(variant: Variant) -> Vec<Vec<String>> {
    let a = analysis();
    let book = Rulebook::builtin();
    let bytes = export(Format::Csv, &input(&a, &book), &options(variant, Lang::Sv)).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte-order mark");
    assert!(bytes.windows(2).any(|w| w == b"\r\n"), "CRLF records");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(&bytes[3..]);
    reader
        .records()
        .map(|r| r.expect("CSV record").iter().map(str::to_string).collect())
        .collect()
}

fn xlsx_rows(variant: Variant) -> Vec<Vec<String>> {
    use calamine::{Data, Reader, Xlsx};
    let a = analysis();
    let book = Rulebook::builtin();
    let bytes = export(Format::Xlsx, &input(&a, &book), &options(variant, Lang::Sv)).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("calamine opens it");
    assert_eq!(wb.sheet_names(), vec!["Riskregister", "Om exporten"]);
    let range = wb.worksheet_range("Riskregister").expect("sheet");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn register_csv_and_xlsx_read_back_to_the_same_rows() {
    let book = Rulebook::builtin();
    for variant in [Variant::Internal, Variant::Public] {
        let csv = csv_rows(variant);
        let xlsx = xlsx_rows(variant);
        assert_eq!(csv.len(), 7, "header + one row per finding");
        assert_eq!(csv.len(), xlsx.len());
        let header = &csv[0];
        for q in &book.questions {
            let shown = variant == Variant::Internal || !q.sensitive;
            assert_eq!(
                header.contains(&q.label),
                shown,
                "{variant:?}: column {}",
                q.label
            );
        }
        for (r, (c_row, x_row)) in csv.iter().zip(&xlsx).enumerate() {
            assert_eq!(c_row.len(), x_row.len(), "row {r}");
            for (c, (cv, xv)) in c_row.iter().zip(x_row).enumerate() {
                if cv.starts_with("'=") {
                    // The CSV guards a would-be formula; the XLSX stores it as a string.
                    assert_eq!(&cv[1..], xv, "row {r} col {c}");
                } else {
                    assert_eq!(cv, xv, "row {r} col {c}");
                }
            }
        }
        // Document order; the level label in its column.
        let ids: Vec<&str> = csv[1..].iter().map(|r| r[5].as_str()).collect();
        assert_eq!(ids, ["f-6", "f-1", "f-3", "f-2", "f-4", "f-5"]);
        let level_col = header.iter().position(|h| h == "Risknivå").unwrap();
        assert_eq!(csv[2][level_col], "Mycket hög");
        let l_col = header.iter().position(|h| h == "Sannolikhet").unwrap();
        assert_eq!(xlsx[2][l_col], "3");
        assert!(csv[2][4].starts_with("3 § Utföraren ska lämna registerutdrag"));
        assert!(
            csv.iter()
                .flatten()
                .any(|c| c == "'=SUMMA(A1:A9) börjar som en formel.")
        );
    }
}

#[test]
fn xlsx_has_filters_frozen_header_and_the_levels_colours() {
    use std::io::Read;
    let a = analysis();
    let book = Rulebook::builtin();
    let bytes = export(
        Format::Xlsx,
        &input(&a, &book),
        &options(Variant::Internal, Lang::Sv),
    )
    .unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert!(sheet.contains("<autoFilter"), "{sheet}");
    assert!(sheet.contains("state=\"frozen\""), "{sheet}");
    let mut styles = String::new();
    zip.by_name("xl/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    for level in &book.scale.levels {
        let argb = format!("FF{}", level.color.trim_start_matches('#').to_uppercase());
        assert!(
            styles.contains(&argb),
            "fill {argb} of {} missing",
            level.id
        );
    }
}

#[test]
fn pdf_text_has_the_swedish_memo_and_embedded_fonts() {
    let a = analysis();
    let book = Rulebook::builtin();
    let dir = tempfile::tempdir().unwrap();
    for (variant, name) in [
        (Variant::Internal, "intern.pdf"),
        (Variant::Public, "offentlig.pdf"),
    ] {
        let bytes = export(
            Format::MemoPdf,
            &input(&a, &book),
            &options(variant, Lang::Sv),
        )
        .unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        // Declared PDF/A-2a and PDF/UA-1, with the output intent, XMP
        // metadata and structure tree they need.
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        assert!(has(b"<pdfaid:part>2</pdfaid:part>"), "no PDF/A part");
        assert!(
            has(b"<pdfaid:conformance>A</pdfaid:conformance>"),
            "no PDF/A level"
        );
        assert!(has(b"/OutputIntents"), "no output intent");
        assert!(has(b"<pdfuaid:part>1</pdfuaid:part>"), "no PDF/UA part");
        assert!(has(b"/StructTreeRoot"), "not tagged");
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let text = pdftotext(&path);
        let flat = squash(&text);
        for needle in [
            "Brottssäkring av Auktorisationsvillkor för daglig verksamhet",
            "Björkå kommun",
            "Handläggare",
            "Åsa Öberg, säkerhetsstrateg",
            "SN 2026/0512",
            "Sammanfattning",
            "Förslag till beslut",
            "Ärendet",
            "Nuvarande lydelse",
            "Föreslagen lydelse",
            "Bilaga 1. Riskmatris",
            "Mycket hög",
            "BrB 9 kap. 1 §",
            "Utdraget får vara högst",
        ] {
            assert!(
                flat.contains(needle),
                "{variant:?}: missing {needle:?} in\n{text}"
            );
        }
        assert_eq!(
            flat.contains(SENSITIVE),
            variant == Variant::Internal,
            "{text}"
        );
        assert!(flat.contains(match variant {
            Variant::Internal => "Intern – innehåller känsliga uppgifter",
            Variant::Public => "Offentlig version – känsliga uppgifter är utelämnade",
        }));
        assert_eq!(
            flat.contains("auktorisationsvillkor-daglig-verksamhet.docx"),
            variant == Variant::Internal,
            "the source file is a technical line of the internal appendix only"
        );
        let fonts = std::process::Command::new("pdffonts")
            .arg(&path)
            .output()
            .expect("pdffonts (Debian package poppler-utils)");
        let fonts = String::from_utf8_lossy(&fonts.stdout);
        assert!(fonts.contains("LiberationSans"), "{fonts}");
        for line in fonts.lines().skip(2) {
            assert!(line.contains(" yes "), "font not embedded: {line}");
        }
    }
}

/// Writes every format of the fixture to `$KRYPHAL_EXPORT_DUMP` for looking
/// at: `KRYPHAL_EXPORT_DUMP=/tmp/x cargo test -p kryphal-export --test formats dump -- --ignored`.
#[test]
#[ignore]
fn dump() {
    let dir = std::env::var("KRYPHAL_EXPORT_DUMP").expect("KRYPHAL_EXPORT_DUMP");
    std::fs::create_dir_all(&dir).unwrap();
    let a = analysis();
    let book = Rulebook::builtin();
    for variant in [Variant::Internal, Variant::Public] {
        for lang in [Lang::Sv, Lang::En] {
            for format in Format::ALL {
                let bytes = export(format, &input(&a, &book), &options(variant, lang)).unwrap();
                let name = format!(
                    "{}-{}-{}.{}",
                    format.name(),
                    variant.name(),
                    lang.code(),
                    format.extension()
                );
                std::fs::write(std::path::Path::new(&dir).join(name), bytes).unwrap();
            }
        }
    }
}

#[test]
fn memo_docx_uses_real_word_styles() {
    use std::io::Read;
    let a = analysis();
    let book = Rulebook::builtin();
    let bytes = export(
        Format::MemoDocx,
        &input(&a, &book),
        &options(Variant::Internal, Lang::Sv),
    )
    .unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let styles = read("word/styles.xml");
    for id in [
        "Title",
        "Heading1",
        "Heading2",
        "Quote",
        "TableText",
        "KryphalTabell",
    ] {
        assert!(
            styles.contains(&format!("w:styleId=\"{id}\"")),
            "style {id} missing"
        );
    }
    assert!(styles.contains("<w:name w:val=\"heading 1\""), "{styles}");
    let doc = read("word/document.xml");
    for used in [
        "<w:pStyle w:val=\"Heading1\"/>",
        "<w:pStyle w:val=\"Heading2\"/>",
        "<w:pStyle w:val=\"Quote\"/>",
        "<w:tblStyle w:val=\"KryphalTabell\"/>",
        "<w:rStyle w:val=\"KryphalStruken\"/>",
        "<w:rStyle w:val=\"KryphalInfogad\"/>",
        // Table headers repeat on every page and keep with the first row; rows do not split.
        "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
        "<w:pPr><w:pStyle w:val=\"TableText\"/><w:keepNext/></w:pPr>",
    ] {
        assert!(doc.contains(used), "{used} not used");
    }
    // Every part is deflated, none stored.
    let packed = export(
        Format::MemoDocx,
        &input(&a, &book),
        &options(Variant::Internal, Lang::Sv),
    )
    .unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(packed)).unwrap();
    for i in 0..zip.len() {
        let f = zip.by_index(i).unwrap();
        assert_eq!(
            f.compression(),
            zip::CompressionMethod::Deflated,
            "{}",
            f.name_raw().escape_ascii()
        );
    }
    // Swedish typography: a non-breaking space before §.
    assert!(doc.contains("3\u{a0}§"), "no non-breaking space before §");
}

#[test]
fn tracked_docx_takes_the_latest_of_two_agreed_proposals_on_one_clause() {
    use std::io::Read;
    let mut a = analysis();
    let mut second = a.findings[0].clone();
    second.id = "f-7".into();
    second.input.proposed_wording =
        "Utföraren ska lämna registerutdrag ur belastningsregistret varje kvartal.".into();
    second.updated_at = "2026-11-21T08:00:00Z".into();
    second.updated_by = "Per Ström".into();
    a.findings.push(second);
    let book = Rulebook::builtin();
    let bytes = export(
        Format::TrackedDocx,
        &input(&a, &book),
        &options(Variant::Internal, Lang::Sv),
    )
    .unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(
        xml.contains("varje kvartal"),
        "the latest proposal is the revision"
    );
    assert!(xml.contains("w:author=\"Per Ström\""));
    assert!(
        !xml.contains("tre månader"),
        "the older proposal is not applied too"
    );
}

#[test]
fn json_of_format_version_1_still_reads_with_plain_suggestions() {
    let a = analysis();
    let book = Rulebook::builtin();
    let good = export(
        Format::Json,
        &input(&a, &book),
        &options(Variant::Internal, Lang::Sv),
    )
    .unwrap();
    // Version 1 had no scope, why, consequence, proposal or also on a suggestion.
    let mut value: serde_json::Value = serde_json::from_slice(&good).unwrap();
    value["format_version"] = 1.into();
    for s in value["suggestions"].as_array_mut().unwrap() {
        let s = s.as_object_mut().unwrap();
        for key in ["scope", "why", "consequence", "proposal", "also"] {
            assert!(s.remove(key).is_some(), "{key}");
        }
    }
    let v1 = serde_json::to_vec_pretty(&value).unwrap();
    let imported = parse_analysis_json(&v1).expect("a version-1 file reads");
    assert_eq!(imported.format_version, 1);
    assert_eq!(imported.analysis, a);
}

/// A coverage of the sample analysis: every clause decided, marked final
/// when `final_by` is given; clause c-6 (with a dismissed suggestion) is not
/// a rule.
fn memo_coverage(final_by: Option<&str>) -> kryphal_export::MemoCoverage {
    use kryphal_domain::{Coverage, FinalMark, NameCount, RulebookRef};
    kryphal_export::MemoCoverage {
        coverage: Coverage {
            document_id: "doc-1".into(),
            clauses: 7,
            risk: 4,
            checked: 1,
            not_a_rule: 1,
            not_assessed: 1,
            none: 0,
            open_suggestions: 0,
            by: vec![
                NameCount {
                    name: "Anna Berg".into(),
                    count: 5,
                },
                NameCount {
                    name: "Per Ek".into(),
                    count: 2,
                },
            ],
            complete: true,
            final_mark: final_by.map(|by| FinalMark {
                document_id: "doc-1".into(),
                by: by.into(),
                at: "2026-12-07T15:30:00Z".into(),
                rulebook: RulebookRef {
                    id: "bra-mur-sv".into(),
                    version: "9.9.1".into(),
                },
            }),
        },
        not_a_rule: vec!["c-6".into()],
    }
}

fn memo_with(coverage: Option<kryphal_export::MemoCoverage>, lang: Lang) -> String {
    let a = analysis();
    let book = Rulebook::builtin();
    let options = kryphal_export::ExportOptions {
        coverage,
        ..options(Variant::Internal, lang)
    };
    squash(
        &String::from_utf8(export(Format::Markdown, &input(&a, &book), &options).unwrap()).unwrap(),
    )
}

#[test]
fn a_final_memo_carries_the_coverage_statement_and_leaves_out_clauses_that_are_not_rules() {
    let before = memo_with(None, Lang::Sv);
    assert!(
        before.contains("Hävningsgrunden prövas ändå av nämnden."),
        "{before}"
    );
    assert!(!before.contains("Granskningens omfattning"));

    let md = memo_with(Some(memo_coverage(Some("Anna Berg"))), Lang::Sv);
    let name = &Rulebook::builtin().pack.name;
    for expected in [
        "## Granskningens omfattning".to_string(),
        "Samtliga 7 klausuler i styrdokumentet har fått en bedömning: 4 med risk, 1 kontrollerade utan risk, 1 som inte är regler och 1 som medvetet inte har bedömts.".to_string(),
        "Bedömningarna gjordes av Anna Berg (5), Per Ek (2).".to_string(),
        format!("Granskningen markerades som slutlig av Anna Berg den 2026-12-07. Regelbok: {name} (bra-mur-sv 9.9.1)."),
    ] {
        assert!(md.contains(&expected), "missing {expected:?} in {md}");
    }
    // The dismissed suggestion on the clause that is not a rule is gone
    // (and with it the appendix, which had only that one).
    assert!(
        !md.contains("Hävningsgrunden prövas ändå av nämnden."),
        "{md}"
    );
    assert!(!md.contains("Avfärdade screeningförslag"), "{md}");

    let en = memo_with(Some(memo_coverage(Some("Anna Berg"))), Lang::En);
    assert!(en.contains("## Coverage of the review"), "{en}");
    assert!(en.contains("All 7 clauses of the document have a verdict: 4 with a risk, 1 checked with no risk, 1 not a rule and 1 deliberately not assessed."), "{en}");
    assert!(
        en.contains("The verdicts were given by Anna Berg (5), Per Ek (2)."),
        "{en}"
    );
    assert!(
        en.contains("The review was marked final by Anna Berg on 2026-12-07."),
        "{en}"
    );
}

#[test]
fn a_memo_of_a_review_not_marked_final_has_no_coverage_statement() {
    let md = memo_with(Some(memo_coverage(None)), Lang::Sv);
    assert!(!md.contains("Granskningens omfattning"), "{md}");
    assert!(!md.contains("Bedömningarna gjordes av"), "{md}");
    // Not a rule is left out all the same.
    assert!(
        !md.contains("Hävningsgrunden prövas ändå av nämnden."),
        "{md}"
    );
}
