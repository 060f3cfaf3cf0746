//! Odd input: an empty analysis, a clause longer than a page, a word wider
//! than a column, control characters and characters the font lacks.

mod common;

use common::*;
use kryphal_domain::{FindingInput, FindingStatus, Outline};
use kryphal_export::{Analysis, Format, Lang, Variant, export, parse_analysis_json};
use kryphal_rules::Rulebook;

fn all_formats(a: &Analysis) -> Vec<(Format, Vec<u8>)> {
    let book = Rulebook::builtin();
    let mut out = Vec::new();
    for variant in [Variant::Internal, Variant::Public] {
        for lang in [Lang::Sv, Lang::En] {
            for format in Format::ALL {
                let bytes = export(format, &input(a, &book), &options(variant, lang))
                    .unwrap_or_else(|e| panic!("{format} {variant:?} {lang:?}: {e}"));
                assert!(!bytes.is_empty());
                out.push((format, bytes));
            }
        }
    }
    out
}

#[test]
fn an_empty_analysis_exports_in_every_format() {
    let mut a = analysis();
    a.outline = Outline::default();
    a.findings.clear();
    a.suggestions.clear();
    a.document.meta = Default::default();
    for (format, bytes) in all_formats(&a) {
        if format == Format::Json {
            assert_eq!(parse_analysis_json(&bytes).unwrap().analysis, a);
        }
    }
}

fn long_clause() -> String {
    (1..=900)
        .map(|i| format!("ord{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn long_and_odd_text_survives_every_format() {
    let mut a = analysis();
    let long = long_clause();
    let wide = "Belastningsregisterutdragskontroll".repeat(12);
    a.outline.clauses[0].text = long.clone();
    a.outline.clauses[1].text =
        format!("Utdraget\u{b} får\u{c} vara\u{0} högst ett år gammalt 🙂 {wide} 中文.");
    let f = &mut a.findings[0];
    f.input = FindingInput {
        proposed_wording: format!("{long} ord901"),
        status: FindingStatus::Agreed,
        ..f.input.clone()
    };
    f.clause_id = a.outline.clauses[0].id.clone();
    let dir = tempfile::tempdir().unwrap();
    for (format, bytes) in all_formats(&a) {
        match format {
            Format::MemoDocx | Format::TrackedDocx => {
                use std::io::Read;
                let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
                let mut xml = Vec::new();
                zip.by_name("word/document.xml")
                    .unwrap()
                    .read_to_end(&mut xml)
                    .unwrap();
                assert!(
                    !xml.iter()
                        .any(|b| *b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')),
                    "{format}: a control character XML cannot hold"
                );
                let xml = String::from_utf8(xml).unwrap();
                assert!(!xml.contains("&#x"), "{format}: escaped control character");
                if format == Format::TrackedDocx {
                    assert!(xml.contains("Utdraget  får  vara  högst ett år gammalt 🙂"));
                }
            }
            Format::Json => {
                // The data formats keep every character.
                let back = parse_analysis_json(&bytes).unwrap();
                assert!(back.analysis.outline.clauses[1].text.contains('\u{b}'));
            }
            _ => {}
        }
    }
    // The PDF carries every word of a clause longer than a page, twice
    // (current and proposed wording) plus the quote.
    let book = Rulebook::builtin();
    let pdf = export(
        Format::MemoPdf,
        &input(&a, &book),
        &options(Variant::Internal, Lang::Sv),
    )
    .unwrap();
    let path = dir.path().join("long.pdf");
    std::fs::write(&path, pdf).unwrap();
    if let Ok(dump) = std::env::var("KRYPHAL_EXPORT_DUMP") {
        std::fs::copy(&path, std::path::Path::new(&dump).join("long.pdf")).unwrap();
    }
    let text = pdftotext(&path);
    let words: std::collections::HashMap<&str, usize> =
        text.split_whitespace()
            .fold(std::collections::HashMap::new(), |mut m, w| {
                *m.entry(w).or_default() += 1;
                m
            });
    for i in 1..=900 {
        let w = format!("ord{i}");
        assert!(
            words.get(w.as_str()).copied().unwrap_or(0) >= 3,
            "{w} appears {:?} times",
            words.get(w.as_str())
        );
    }
    assert!(words.contains_key("ord901"));
    let pages = text.matches('\u{c}').count();
    assert!(pages >= 4, "{pages} pages");
}
