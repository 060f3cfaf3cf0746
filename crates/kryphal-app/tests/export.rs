//! Exports written by the app, and the JSON analysis imported back, on real
//! library files.

use kryphal_app::{ErrorCode, ExportChoices, ExportSettings, Library};
use kryphal_domain::{FindingInput, FindingStatus};

/// A library with the sample document, two findings (one agreed with a
/// proposed wording and a comment, one draft), a dismissed suggestion and
/// the header settings filled in.
fn analysed() -> (tempfile::TempDir, Library, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("a.kryphal"), "anna").unwrap();
    assert!(lib.ensure_sample().unwrap());
    let doc = lib.documents().unwrap()[0].id.clone();
    let view = lib.document(&doc).unwrap();
    let c0 = view.outline.clauses[3].id.clone();
    let c1 = view.outline.clauses[5].id.clone();
    let agreed = lib
        .add_finding(
            &c0,
            FindingInput {
                unintended_consequence: "Gamla utdrag godtas.".into(),
                exploitation: "Ett bolag visar ett utdrag från före domen.".into(),
                crime_types: vec!["BED".into()],
                likelihood: Some(3),
                impact: Some(4),
                proposed_wording: "Utdraget får vara högst tre månader gammalt.".into(),
                status: FindingStatus::Agreed,
                ..Default::default()
            },
        )
        .unwrap();
    lib.add_comment(&agreed.id, "Stäm av med juristen.")
        .unwrap();
    lib.add_finding(
        &c1,
        FindingInput {
            unintended_consequence: "Oklart vad som avses.".into(),
            ..Default::default()
        },
    )
    .unwrap();
    if let Some(s) = view.suggestions.first() {
        lib.dismiss_suggestion(&s.id, "Redan reglerat i avtalet.")
            .unwrap();
    }
    lib.set_export_settings(&ExportSettings {
        municipality: "Ekby kommun".into(),
        committee: "Vård- och omsorgsnämnden".into(),
        responsible_official: "Anna Andersson".into(),
    })
    .unwrap();
    (dir, lib, doc)
}

#[test]
fn json_export_import_export_is_byte_identical() {
    let (dir, lib, doc) = analysed();
    let first = dir.path().join("analys.json");
    lib.export(&doc, "json", &ExportChoices::default(), &first)
        .unwrap();
    let bytes = std::fs::read(&first).unwrap();
    assert!(Library::is_analysis_json(&bytes));

    let mut empty = Library::open(&dir.path().join("b.kryphal"), "bertil").unwrap();
    let report = empty.import_analysis(&bytes).unwrap();
    assert_eq!(report.document_id, doc);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let second = dir.path().join("analys-2.json");
    empty
        .export(&doc, "json", &ExportChoices::default(), &second)
        .unwrap();
    let again = std::fs::read(&second).unwrap();
    assert!(
        bytes == again,
        "the second export differs from the first:\n{}",
        String::from_utf8_lossy(&again)
    );
    // The comment, the dismissal and both findings came along.
    let text = String::from_utf8(again).unwrap();
    assert!(text.contains("Stäm av med juristen."));
    assert!(text.contains("Redan reglerat i avtalet."));
    assert_eq!(empty.findings(&doc).unwrap().len(), 2);
    // The import is one audited event.
    let events = empty.history(Some(&doc)).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, "document.import_analysis");
    assert_eq!(events[0].actor, "bertil");
}

#[test]
fn importing_an_analysis_of_a_document_already_in_the_library_is_refused_untouched() {
    let (dir, mut lib, doc) = analysed();
    let bytes = lib
        .export_bytes(&doc, "json", &ExportChoices::default())
        .unwrap();
    let before = lib.history(None).unwrap().len();
    let findings = lib.findings(&doc).unwrap();
    let err = lib.import_analysis(&bytes).unwrap_err();
    assert_eq!(err.code, ErrorCode::Duplicate);
    assert!(
        err.message.contains("nothing was imported"),
        "{}",
        err.message
    );
    assert_eq!(lib.history(None).unwrap().len(), before);
    assert_eq!(lib.findings(&doc).unwrap(), findings);
    drop(dir);
}

#[test]
fn a_damaged_or_foreign_analysis_is_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let (_d, src, doc) = analysed();
    let good = src
        .export_bytes(&doc, "json", &ExportChoices::default())
        .unwrap();
    let mut lib = Library::open(&dir.path().join("c.kryphal"), "anna").unwrap();
    let cases: Vec<(Vec<u8>, ErrorCode)> = vec![
        (good[..good.len() / 2].to_vec(), ErrorCode::DamagedFile),
        (b"not json at all".to_vec(), ErrorCode::UnsupportedFormat),
        (
            br#"{"kind": "something-else"}"#.to_vec(),
            ErrorCode::UnsupportedFormat,
        ),
        (
            String::from_utf8(good.clone())
                .unwrap()
                .replace("\"format_version\": 2", "\"format_version\": 99")
                .into_bytes(),
            ErrorCode::LibraryNewer,
        ),
        (
            // A suggestion on a clause the outline lacks: the store's
            // foreign key would fail half-way; the app refuses first.
            String::from_utf8(good.clone())
                .unwrap()
                .replacen("\"clause_id\": \"", "\"clause_id\": \"x", 1)
                .into_bytes(),
            ErrorCode::DamagedFile,
        ),
    ];
    for (bytes, code) in cases {
        let err = lib.import_analysis(&bytes).unwrap_err();
        assert_eq!(err.code, code, "{}", err.message);
        assert!(err.message.ends_with('.'), "{}", err.message);
        assert!(lib.documents().unwrap().is_empty());
        assert!(lib.history(None).unwrap().is_empty());
    }
}

#[test]
fn the_header_comes_from_the_library_settings_and_every_format_is_written() {
    let (dir, lib, doc) = analysed();
    let md = String::from_utf8(
        lib.export_bytes(&doc, "md", &ExportChoices::default())
            .unwrap(),
    )
    .unwrap();
    assert!(md.contains("Ekby kommun"), "{md}");
    assert!(md.contains("Vård- och omsorgsnämnden"));
    assert!(md.contains("Anna Andersson"));
    for format in kryphal_app::EXPORT_FORMATS {
        for variant in ["internal", "public"] {
            for lang in ["sv", "en"] {
                let choices = ExportChoices {
                    variant: variant.into(),
                    lang: lang.into(),
                };
                let name = lib.export_file_name(&doc, format, &choices).unwrap();
                let out = dir.path().join(&name);
                let report = lib.export(&doc, format, &choices, &out).unwrap();
                assert_eq!(report.file_name, name);
                assert!(std::fs::metadata(&out).unwrap().len() > 100, "{name}");
            }
        }
    }
    // No temporary files are left beside the exports.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn the_public_variant_leaves_out_the_exploitation_and_comments() {
    let (_dir, lib, doc) = analysed();
    let public = ExportChoices {
        variant: "public".into(),
        lang: "sv".into(),
    };
    let text = String::from_utf8(lib.export_bytes(&doc, "md", &public).unwrap()).unwrap();
    assert!(!text.contains("utdrag från före domen"), "{text}");
    let internal = String::from_utf8(
        lib.export_bytes(&doc, "md", &ExportChoices::default())
            .unwrap(),
    )
    .unwrap();
    assert!(internal.contains("utdrag från före domen"));
}

#[test]
fn bad_choices_and_targets_are_refused_with_a_sentence_and_no_file() {
    let (dir, lib, doc) = analysed();
    let out = dir.path().join("x.docx");
    let bad = [
        ("docx", ExportChoices::default()),
        (
            "memo-docx",
            ExportChoices {
                variant: "secret".into(),
                lang: "sv".into(),
            },
        ),
        (
            "memo-docx",
            ExportChoices {
                variant: "internal".into(),
                lang: "fi".into(),
            },
        ),
    ];
    for (format, choices) in bad {
        let err = lib.export(&doc, format, &choices, &out).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.message.ends_with('.'), "{}", err.message);
        assert!(!out.exists());
    }
    let missing = dir.path().join("no-such-folder").join("x.docx");
    let err = lib
        .export(&doc, "memo-docx", &ExportChoices::default(), &missing)
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Io);
    assert!(err.message.contains("does not exist"), "{}", err.message);
}

#[test]
fn settings_are_kept_trimmed_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.kryphal");
    let mut lib = Library::open(&path, "anna").unwrap();
    assert_eq!(lib.export_settings().unwrap(), ExportSettings::default());
    lib.set_export_setting("committee", "  Kommunstyrelsen ")
        .unwrap();
    let err = lib.set_export_setting("colour", "blå").unwrap_err();
    assert!(err.message.contains("municipality"), "{}", err.message);
    drop(lib);
    let lib = Library::open(&path, "anna").unwrap();
    assert_eq!(lib.export_settings().unwrap().committee, "Kommunstyrelsen");
    let events = lib.history(Some("export.committee")).unwrap();
    assert_eq!(events.len(), 1);
}

#[test]
fn the_preview_names_the_findings_each_export_includes() {
    let (dir, mut lib, doc) = analysed();
    let view = lib.document(&doc).unwrap();
    let agreed = view
        .findings
        .iter()
        .find(|f| f.input.status == FindingStatus::Agreed)
        .unwrap()
        .clone();
    let draft = view
        .findings
        .iter()
        .find(|f| f.input.status == FindingStatus::Draft)
        .unwrap()
        .clone();
    // A rejected finding, and a second agreed proposal on the same clause changed later.
    let rejected = lib
        .add_finding(
            &draft.clause_id,
            FindingInput {
                unintended_consequence: "Avfärdat.".into(),
                status: FindingStatus::Rejected,
                ..Default::default()
            },
        )
        .unwrap();
    let later = lib
        .add_finding(
            &agreed.clause_id,
            FindingInput {
                unintended_consequence: "En bättre formulering.".into(),
                proposed_wording: "Utdraget får vara högst en månad gammalt.".into(),
                status: FindingStatus::Agreed,
                ..Default::default()
            },
        )
        .unwrap();

    // The memo: not the rejected one; the rated (very high) finding first.
    let memo = lib.export_preview(&doc, "memo-docx").unwrap();
    assert_eq!(memo[0], agreed.id);
    assert!(memo.contains(&draft.id) && memo.contains(&later.id));
    assert!(!memo.contains(&rejected.id));
    assert_eq!(lib.export_preview(&doc, "md").unwrap(), memo);

    // Tracked changes: one proposal per clause, the one changed last.
    assert_eq!(
        lib.export_preview(&doc, "tracked-docx").unwrap(),
        vec![later.id]
    );
    let out = dir.path().join("spårat.docx");
    lib.export(&doc, "tracked-docx", &ExportChoices::default(), &out)
        .unwrap();
    let xml = {
        let file = std::fs::File::open(&out).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut s)
            .unwrap();
        s
    };
    assert!(
        xml.contains("en månad"),
        "the previewed proposal is the one in the file"
    );
    assert!(
        !xml.contains("högst tre månader gammalt"),
        "the older proposal is not"
    );

    // The register and the JSON: every finding.
    assert_eq!(lib.export_preview(&doc, "xlsx").unwrap().len(), 4);
    assert_eq!(lib.export_preview(&doc, "json").unwrap().len(), 4);

    let err = lib.export_preview(&doc, "pptx").unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
}
