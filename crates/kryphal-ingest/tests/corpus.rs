//! One test per row of ../shared/corpus/MANIFEST.md: real documents nobody on
//! this project wrote. The corpus is read in place (never copied); the tests
//! skip with a printed reason only when the folder is absent.

mod common;

use std::path::PathBuf;

use kryphal_domain::{ClauseKind, SourceFormat};
use kryphal_ingest::{IngestError, Limits};

fn corpus(file: &str) -> Option<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if !dir.is_dir() {
        eprintln!(
            "SKIPPED: {} is absent, so the corpus test for {file} did not run",
            dir.display()
        );
        return None;
    }
    Some(std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}")))
}

fn import(file: &str) -> Option<kryphal_ingest::Imported> {
    corpus(file).map(|b| common::import(file, &b))
}

/// Words broken by a line-end hyphen that was never rejoined: `an- tagna`.
fn broken_words(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .windows(2)
        .filter(|w| {
            w[0].ends_with('-')
                && w[0].chars().rev().nth(1).is_some_and(char::is_alphabetic)
                && w[1].chars().next().is_some_and(char::is_lowercase)
                && !matches!(
                    w[1].trim_end_matches([',', '.']),
                    "och" | "eller" | "samt" | "respektive" | "till" | "som"
                )
        })
        .map(|w| format!("{} {}", w[0], w[1]))
        .collect()
}

fn all_text(imp: &kryphal_ingest::Imported) -> String {
    imp.outline
        .clauses
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn botkyrka_mutor_och_jav_markdown_from_pdf() {
    let Some(imp) = import("botkyrka_riktlinjer-mot-mutor-och-jav_2013_pdf2md.md") else {
        return;
    };
    assert_eq!(imp.meta.dnr, "KS/2013:635");
    assert_eq!(imp.meta.decided, "2013-12-13");
    let text = all_text(&imp);
    assert!(
        text.contains("den av fullmäktige antagna policyn"),
        "hyphenated word rejoined"
    );
    assert_eq!(broken_words(&text), Vec::<String>::new());
    for furniture in ["BOTKYRKA KOMMUN", "[8]", "2013-12-13"] {
        assert!(
            !text.contains(furniture),
            "page furniture {furniture:?} left in the clauses"
        );
    }
    assert!(
        !imp.outline
            .sections
            .iter()
            .any(|s| s.title.contains("BOTKYRKA"))
    );
    let titles: Vec<&str> = imp
        .outline
        .sections
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    for heading in ["Syfte", "Bakgrund", "Omfattning"] {
        assert!(
            titles.contains(&heading),
            "{heading} missing from {titles:?}"
        );
    }
    // Paragraph-level clauses, not one clause per section.
    let bakgrund = imp
        .outline
        .sections
        .iter()
        .find(|s| s.title == "Bakgrund")
        .unwrap();
    let in_bakgrund = imp
        .outline
        .clauses
        .iter()
        .filter(|c| c.section_id.as_deref() == Some(&bakgrund.id))
        .count();
    assert!(in_bakgrund >= 2, "Bakgrund has {in_bakgrund} clauses");
}

#[test]
fn botkyrka_betalkort_template_placeholders_are_not_metadata() {
    let Some(imp) = import("botkyrka_regler-betal-och-drivmedelskort_pdf2md.md") else {
        return;
    };
    assert_eq!(
        imp.meta.title,
        "Regler för betal- och drivmedelskort i Botkyrka kommun"
    );
    assert_eq!(
        imp.meta.dnr, "",
        "the template's 'skriv nummer exempelvis KS/xxx:xx' is no Dnr"
    );
    assert_eq!(imp.meta.decided, "");
    assert_eq!(
        imp.meta.responsible,
        "Planerings- och uppföljningsavdelningen"
    );
    let text = all_text(&imp);
    assert!(
        !text.contains("skriv nummer"),
        "placeholder text became a clause"
    );
    assert!(
        !text.contains("Strategi Program Plan"),
        "cover checklist became a clause"
    );
    assert_eq!(broken_words(&text), Vec::<String>::new());
    assert!(
        imp.outline.clauses.len() >= 20,
        "{} clauses",
        imp.outline.clauses.len()
    );
}

#[test]
fn botkyrka_sol_guideline_plain_text_with_metadata_toc_and_decimal_headings() {
    let Some(imp) = import("botkyrka_riktlinje-handlaggning-SoL_2025_docx2txt.md") else {
        return;
    };
    assert_eq!(imp.meta.dnr, "VON/2022:00276");
    assert_eq!(imp.meta.decided_by, "Vård- och omsorgsnämnden");
    assert_eq!(imp.meta.responsible, "Kvalitetschef");
    assert_eq!(
        imp.meta.title,
        "Riktlinjer för handläggning enligt socialtjänstlagen"
    );
    let text = all_text(&imp);
    assert!(
        !text.contains("God man och förvaltare\t7"),
        "table-of-contents lines were imported"
    );
    assert!(!text.lines().any(kryphal_ingest::furniture::is_toc_line));
    let numbers: Vec<&str> = imp
        .outline
        .sections
        .iter()
        .map(|s| s.number.as_str())
        .collect();
    for n in ["1.", "1.1", "2.", "2.1", "2.1.1", "3.1"] {
        assert!(numbers.contains(&n), "heading {n} missing: {numbers:?}");
    }
    // Each numbered heading exists once: the table of contents did not add copies.
    assert_eq!(numbers.iter().filter(|n| **n == "2.1.1").count(), 1);
    let s211 = imp
        .outline
        .sections
        .iter()
        .find(|s| s.number == "2.1.1")
        .unwrap();
    let s21 = imp
        .outline
        .sections
        .iter()
        .find(|s| s.number == "2.1")
        .unwrap();
    assert_eq!(
        s211.parent_id.as_ref(),
        Some(&s21.id),
        "2.1.1 sits under 2.1"
    );
    assert!(!text.contains("footnoteRef"));
}

#[test]
fn lov_html_chapters_and_paragraphs() {
    let Some(imp) = import("sfs-2008-962_lag-om-valfrihetssystem_rkrattsbaser.html") else {
        return;
    };
    assert_eq!(imp.format, SourceFormat::Html);
    assert_eq!(imp.meta.title, "Lag (2008:962) om valfrihetssystem");
    let chapter2 = imp
        .outline
        .sections
        .iter()
        .find(|s| s.number == "2 kap.")
        .expect("2 kap.");
    assert_eq!(chapter2.title, "Definitioner");
    let p1 = imp
        .outline
        .clauses
        .iter()
        .find(|c| c.number == "1 §" && c.section_id.as_deref() == Some(&chapter2.id))
        .expect("2 kap. 1 §");
    assert!(
        p1.text.starts_with("Med förfrågningsunderlag avses"),
        "{}",
        p1.text
    );
    assert!(p1.label.ends_with("2 kap. 1 §"), "{}", p1.label);
    // Entities decoded, no markup or navigation.
    let text = all_text(&imp);
    assert!(text.contains("tillämpa valfrihetssystem"));
    assert!(!text.contains("&#") && !text.contains("Föregående") && !text.contains('<'));
    // "…uteslutits med stöd av\n7 kap. 1 §." stays inside its paragraph.
    assert!(
        !imp.outline
            .clauses
            .iter()
            .any(|c| c.text.starts_with("7 kap. 1 §") || c.text.starts_with("1 §."))
    );
    assert!(
        text.contains("uteslutits med stöd av 7 kap. 1 §."),
        "the cross-reference line was split off"
    );
    let chapters = imp
        .outline
        .sections
        .iter()
        .filter(|s| s.number.ends_with("kap."))
        .count();
    assert!(chapters >= 10, "{chapters} chapters");
    let paragraphs = imp
        .outline
        .clauses
        .iter()
        .filter(|c| c.number.ends_with('§'))
        .count();
    assert_eq!(
        paragraphs, 38,
        "every § that starts a paragraph on the page, and nothing else"
    );
}

#[test]
fn bidragsbrottslag_html_paragraphs_and_list_items() {
    let Some(imp) = import("sfs-2007-612_bidragsbrottslag_rkrattsbaser.html") else {
        return;
    };
    assert_eq!(imp.meta.title, "Bidragsbrottslag (2007:612)");
    let numbers: Vec<&str> = imp
        .outline
        .clauses
        .iter()
        .filter(|c| c.kind == ClauseKind::Numbered)
        .map(|c| c.number.as_str())
        .collect();
    assert_eq!(numbers, ["1 §", "2 §", "3 §", "4 §", "5 §", "6 §", "7 §"]);
    let items: Vec<&str> = imp
        .outline
        .clauses
        .iter()
        .filter(|c| c.kind == ClauseKind::ListItem)
        .map(|c| c.label.as_str())
        .collect();
    assert_eq!(items, ["3 § punkt 1", "3 § punkt 2", "3 § punkt 3"]);
}

#[test]
fn lou_markdown_has_about_415_paragraphs() {
    let Some(imp) = import("sfs-2016-1145_lag-om-offentlig-upphandling_selex.md") else {
        return;
    };
    let paragraphs = imp
        .outline
        .clauses
        .iter()
        .filter(|c| c.kind == ClauseKind::Numbered && c.number.ends_with('§'))
        .count();
    assert!((405..=425).contains(&paragraphs), "{paragraphs} § clauses");
    // The mangled heading `#### /24/ 11 §` still becomes 11 §.
    assert!(
        imp.outline
            .clauses
            .iter()
            .any(|c| c.number == "11 §" && c.label.contains("kap. 11 §"))
    );
    let ch1 = imp
        .outline
        .sections
        .iter()
        .find(|s| s.number == "1 kap.")
        .expect("1 kap.");
    assert!(ch1.title.starts_with("Lagens innehåll"));
    assert_eq!(imp.meta.title, "Lag om offentlig upphandling");
}

#[test]
fn afs_pdf_paragraphs_soft_hyphens_and_advice_headings() {
    let Some(imp) = import("afs-2011-19_kemiska-arbetsmiljorisker_konsoliderad.pdf") else {
        return;
    };
    assert_eq!(imp.format, SourceFormat::Pdf);
    let text = all_text(&imp);
    assert!(!text.contains('\u{AD}'), "soft hyphens removed");
    let numbers: Vec<&str> = imp
        .outline
        .clauses
        .iter()
        .filter(|c| c.number.ends_with('§'))
        .map(|c| c.number.as_str())
        .collect();
    for n in ["1 §", "2 §", "7 §", "8 §", "12 §"] {
        assert!(numbers.contains(&n), "{n} missing");
    }
    // Reading order: 7 § comes after 6 § and before 8 §.
    let pos = |n: &str| {
        imp.outline
            .clauses
            .iter()
            .position(|c| c.number == n)
            .unwrap()
    };
    assert!(pos("6 §") < pos("7 §") && pos("7 §") < pos("8 §"));
    // "Till 7 §" heads general advice: it is a section, never a clause.
    assert!(
        !imp.outline
            .clauses
            .iter()
            .any(|c| c.text.trim() == "Till 7 §" || c.text.starts_with("Till 7 § "))
    );
    assert!(imp.outline.sections.iter().any(|s| s.title == "Till 7 §"));
    // The running header of its 34 pages does not repeat as clauses (one
    // mention at the end of the regulation text is the document's own).
    let headers = imp
        .outline
        .clauses
        .iter()
        .filter(|c| c.text.trim() == "AFS 2011:19")
        .count();
    assert!(headers <= 1, "{headers} running headers left");
}

#[test]
fn ad_2013_63_docx_with_all_text_in_one_layout_table() {
    let Some(imp) = import("ad-2013-63_arbetsdomstolen-dom.docx") else {
        return;
    };
    assert_eq!(imp.format, SourceFormat::Docx);
    assert!(
        imp.outline.clauses.len() >= 50,
        "{} clauses",
        imp.outline.clauses.len()
    );
    assert_eq!(imp.meta.decided, "2013-08-21");
    let text = all_text(&imp);
    assert!(
        text.contains(
            "Arbetsdomstolen har, med stöd av 4 kap. 10 § tredje stycket arbetstvistlagen"
        )
    );
    assert!(
        !text.contains("FORMTEXT"),
        "field instructions are not text"
    );
}

#[test]
fn custom_font_encoding_pdf_imports_with_a_warning_naming_pages() {
    let Some(imp) = import("prop-1999-2000-17_custom-font-encoding.pdf") else {
        return;
    };
    assert_eq!(imp.warnings.len(), 1, "{:?}", imp.warnings);
    assert!(
        imp.warnings[0].contains("page 1") && imp.warnings[0].contains("cannot be decoded"),
        "{}",
        imp.warnings[0]
    );
    let text = all_text(&imp);
    assert!(!text.contains("UDQ3HUVVRQ"), "garbage passed on");
    assert!(text.contains("Regeringen föreslår att riksdagen"));
}

#[test]
fn scanned_pdf_is_refused_with_the_ocr_message() {
    let Some(bytes) = corpus("prop-1991-92-43_scanned-no-textlayer.pdf") else {
        return;
    };
    let err = kryphal_ingest::import(
        "prop-1991-92-43_scanned-no-textlayer.pdf",
        &bytes,
        "d",
        &Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, IngestError::NoTextLayer { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "prop-1991-92-43_scanned-no-textlayer.pdf is a scanned PDF without a text layer; run OCR on it first."
    );
}
