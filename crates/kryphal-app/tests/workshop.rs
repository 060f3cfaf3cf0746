//! Workshop sessions and the overview, through the core on a real library file.

use kryphal_app::Library;
use kryphal_domain::{DecisionKind, FindingInput, FindingStatus};

fn library(dir: &tempfile::TempDir) -> (Library, String) {
    let mut lib = Library::open(&dir.path().join("lib.kryphal"), "facilitator").unwrap();
    assert!(lib.ensure_sample().unwrap());
    let doc = lib.documents().unwrap()[0].id.clone();
    (lib, doc)
}

fn clause(lib: &Library, doc: &str, number: &str) -> String {
    lib.document(doc)
        .unwrap()
        .outline
        .clauses
        .into_iter()
        .find(|c| c.number == number)
        .unwrap()
        .id
}

/// A finding rated likelihood × impact, with crime types, a status and a consequence.
fn rated(l: u8, i: u8, crimes: &[&str], status: FindingStatus, consequence: &str) -> FindingInput {
    FindingInput {
        likelihood: Some(l),
        impact: Some(i),
        crime_types: crimes.iter().map(|c| c.to_string()).collect(),
        status,
        unintended_consequence: consequence.into(),
        ..Default::default()
    }
}

/// An overview's counts as (key, count) pairs.
fn counts(list: &[kryphal_app::Count]) -> Vec<(&str, u32)> {
    list.iter().map(|c| (c.key.as_str(), c.count)).collect()
}

#[test]
fn a_session_records_judgements_and_decisions_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let (mut lib, doc) = library(&dir);
    let c45 = clause(&lib, &doc, "4.5");
    let c46 = clause(&lib, &doc, "4.6");
    let f = lib.add_finding(&c45, FindingInput::default()).unwrap();

    let s = lib
        .start_workshop(
            &doc,
            "  Workshop med hemtjänsten  ",
            Some("2026-11-20"),
            vec![
                " Anna Berg, enhetschef ".into(),
                "".into(),
                "Omar Said".into(),
            ],
        )
        .unwrap();
    assert_eq!(s.title, "Workshop med hemtjänsten");
    assert_eq!(s.held_on, "2026-11-20");
    assert_eq!(s.attendees, ["Anna Berg, enhetschef", "Omar Said"]);
    assert_eq!(s.started_by, "facilitator");

    let j = lib
        .record_judgement(&s.id, &f.id, 3, 4, "Rummet enigt.")
        .unwrap();
    assert_eq!(j.risk_level.as_deref(), Some("very_high"));
    // A second judgement of the same finding replaces the first.
    lib.record_judgement(&s.id, &f.id, 2, 3, "Efter diskussion.")
        .unwrap();
    lib.record_decision(&s.id, &c45, DecisionKind::Adopt, "")
        .unwrap();
    lib.record_decision(
        &s.id,
        &c46,
        DecisionKind::Defer,
        "Omar vill vänta på juristen.",
    )
    .unwrap();
    lib.set_workshop_attendees(
        &s.id,
        vec!["Anna Berg".into(), "Omar Said".into(), "Lena Ek".into()],
    )
    .unwrap();
    lib.end_workshop(&s.id).unwrap();
    drop(lib);

    let lib = Library::open(&dir.path().join("lib.kryphal"), "someone else").unwrap();
    let record = lib.workshop(&s.id).unwrap();
    assert!(record.session.ended_at.is_some());
    assert_eq!(record.session.attendees.len(), 3);
    assert_eq!(record.judgements.len(), 1);
    let j = &record.judgements[0];
    assert_eq!(
        (j.likelihood, j.impact, j.note.as_str()),
        (2, 3, "Efter diskussion.")
    );
    assert_eq!(j.risk_level.as_deref(), Some("medium"));
    let decisions: Vec<_> = record
        .decisions
        .iter()
        .map(|d| (d.clause_id.as_str(), d.decision, d.dissent.as_str()))
        .collect();
    assert_eq!(
        decisions,
        [
            (c45.as_str(), DecisionKind::Adopt, ""),
            (
                c46.as_str(),
                DecisionKind::Defer,
                "Omar vill vänta på juristen."
            )
        ]
    );
    assert_eq!(lib.workshops(&doc).unwrap()[0].id, s.id);

    // The audit trail has the session's story, on the finding and the clause too.
    let on_finding: Vec<String> = lib
        .history(Some(&f.id))
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        on_finding
            .iter()
            .filter(|a| *a == "workshop.judgement")
            .count(),
        2
    );
    let on_clause: Vec<String> = lib
        .history(Some(&c46))
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(on_clause.iter().any(|a| a == "workshop.decision"));
    let on_session: Vec<String> = lib
        .history(Some(&s.id))
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        on_session,
        ["workshop.start", "workshop.attendees", "workshop.end"]
    );
}

#[test]
fn bad_entries_are_refused_with_a_sentence_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut lib, doc) = library(&dir);
    let c45 = clause(&lib, &doc, "4.5");
    let f = lib.add_finding(&c45, FindingInput::default()).unwrap();

    let e = lib
        .start_workshop(&doc, "Möte", Some("24/11/2026"), vec![])
        .unwrap_err();
    assert!(e.message.contains("YYYY-MM-DD"), "{}", e.message);
    let e = lib.start_workshop(&doc, "   ", None, vec![]).unwrap_err();
    assert!(e.message.contains("title"), "{}", e.message);
    assert!(lib.workshops(&doc).unwrap().is_empty());

    let s = lib.start_workshop(&doc, "Möte", None, vec![]).unwrap();
    assert_eq!(
        s.held_on.len(),
        10,
        "today's date by default: {}",
        s.held_on
    );
    let e = lib.record_judgement(&s.id, &f.id, 5, 1, "").unwrap_err();
    assert!(e.message.contains("1 to 4"), "{}", e.message);
    let e = lib
        .record_judgement(&s.id, "f-nothing", 1, 1, "")
        .unwrap_err();
    assert_eq!(e.code, kryphal_app::ErrorCode::NotFound);

    // A finding of another document is not this session's to judge.
    let other = lib
        .import_bytes(
            "annan.md",
            "# Annan riktlinje\n\n## 1. Syfte\n\n1.1 Bidrag betalas ut varje år.\n".as_bytes(),
        )
        .unwrap();
    let other_clause = lib.document(&other.document_id).unwrap().outline.clauses[0]
        .id
        .clone();
    let g = lib
        .add_finding(&other_clause, FindingInput::default())
        .unwrap();
    assert!(lib.record_judgement(&s.id, &g.id, 1, 1, "").is_err());
    assert!(
        lib.record_decision(&s.id, &other_clause, DecisionKind::Adopt, "")
            .is_err()
    );

    lib.end_workshop(&s.id).unwrap();
    let e = lib.record_judgement(&s.id, &f.id, 1, 1, "").unwrap_err();
    assert!(e.message.contains("closed"), "{}", e.message);
    assert!(lib.end_workshop(&s.id).is_err());
    let record = lib.workshop(&s.id).unwrap();
    assert!(record.judgements.is_empty() && record.decisions.is_empty());
}

#[test]
fn the_overview_counts_cells_crime_types_statuses_and_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let (mut lib, doc) = library(&dir);
    let c45 = clause(&lib, &doc, "4.5");
    let c46 = clause(&lib, &doc, "4.6");
    let rated = |l, i, crimes: &[&str], status| rated(l, i, crimes, status, "");
    let a = lib
        .add_finding(&c45, rated(3, 4, &["URK", "BID"], FindingStatus::Agreed))
        .unwrap();
    let b = lib
        .add_finding(&c45, rated(3, 4, &["URK"], FindingStatus::Draft))
        .unwrap();
    lib.add_finding(&c46, rated(1, 2, &[], FindingStatus::Draft))
        .unwrap();
    lib.add_finding(&c46, FindingInput::default()).unwrap();

    let o = lib.overview(&doc).unwrap();
    assert_eq!(o.cells.len(), 16);
    let cell = o
        .cells
        .iter()
        .find(|c| c.likelihood == 3 && c.impact == 4)
        .unwrap();
    assert_eq!(cell.level.as_deref(), Some("very_high"));
    let mut ids = cell.finding_ids.clone();
    ids.sort();
    let mut want = vec![a.id.clone(), b.id.clone()];
    want.sort();
    assert_eq!(ids, want);
    assert_eq!(
        o.cells.iter().map(|c| c.finding_ids.len()).sum::<usize>(),
        3
    );
    assert_eq!(o.unassessed, 1);

    let crimes = counts(&o.by_crime_type);
    assert!(
        crimes.contains(&("URK", 2)) && crimes.contains(&("BID", 1)),
        "{crimes:?}"
    );
    assert_eq!(crimes.len(), 2);
    let statuses = counts(&o.by_status);
    assert_eq!(statuses, [("draft", 3), ("agreed", 1)]);

    assert_eq!(o.reviewed, 2);
    assert_eq!(
        o.clauses as usize,
        lib.document(&doc).unwrap().outline.clauses.len()
    );
    let heat45 = o.strip.iter().find(|h| h.clause_id == c45).unwrap();
    assert_eq!(
        (heat45.findings, heat45.level.as_deref()),
        (2, Some("very_high"))
    );
    let heat46 = o.strip.iter().find(|h| h.clause_id == c46).unwrap();
    assert_eq!((heat46.findings, heat46.level.as_deref()), (2, Some("low")));
    assert_eq!(o.sections.iter().map(|s| s.clauses).sum::<u32>(), o.clauses);
    assert_eq!(o.sections.iter().map(|s| s.reviewed).sum::<u32>(), 2);
    let ekonomi = o
        .sections
        .iter()
        .find(|s| s.title.contains("Ekonomi och ledning"))
        .unwrap();
    assert_eq!(ekonomi.reviewed, 2);
}

#[test]
fn the_library_overview_adds_up_every_document_and_places_each_finding() {
    let dir = tempfile::tempdir().unwrap();
    let empty = Library::open(&dir.path().join("empty.kryphal"), "facilitator").unwrap();
    let none = empty.library_overview().unwrap();
    assert_eq!(
        (none.document_id.as_deref(), none.clauses, none.reviewed),
        (None, 0, 0)
    );
    assert!(none.documents.is_empty() && none.findings.is_empty() && none.by_status.is_empty());
    assert_eq!(
        none.cells.len(),
        16,
        "the matrix is there even with nothing in it"
    );

    let (mut lib, sample) = library(&dir);
    let report = lib
        .import_bytes(
            "inkopspolicy.md",
            "# Inköpspolicy för Ekby kommun\n\n## 1 Allmänt\n\n1.1 Policyn gäller alla inköp.\n\n\
             1.2 Direktupphandling får göras av den som har fått delegation.\n\n\
             1.3 Gåvor från leverantörer tas inte emot.\n"
                .as_bytes(),
        )
        .unwrap();
    let policy = report.document_id.clone();
    // A third document without findings is still a row of the overview.
    lib.import_bytes(
        "tom.md",
        "# Riktlinje utan fynd\n\n1 § Riktlinjen gäller från i dag.\n".as_bytes(),
    )
    .unwrap();
    let c45 = clause(&lib, &sample, "4.5");
    let c12 = clause(&lib, &policy, "1.2");
    let rated =
        |l, i, crimes: &[&str], status| rated(l, i, crimes, status, "Delegationen kan missbrukas.");
    let a = lib
        .add_finding(&c45, rated(3, 4, &["URK"], FindingStatus::Agreed))
        .unwrap();
    let b = lib
        .add_finding(&c12, rated(3, 4, &["MUT", "URK"], FindingStatus::Draft))
        .unwrap();
    lib.add_finding(&c12, rated(1, 1, &[], FindingStatus::Draft))
        .unwrap();
    lib.add_finding(&c12, FindingInput::default()).unwrap();

    let o = lib.library_overview().unwrap();
    assert_eq!(o.document_id, None);
    assert!(
        o.sections.is_empty() && o.strip.is_empty(),
        "no per-clause lists for the library"
    );
    let cell = o
        .cells
        .iter()
        .find(|c| c.likelihood == 3 && c.impact == 4)
        .unwrap();
    let mut ids = cell.finding_ids.clone();
    ids.sort();
    let mut want = vec![a.id.clone(), b.id.clone()];
    want.sort();
    assert_eq!(ids, want, "one cell holds findings of two documents");
    assert_eq!(o.unassessed, 1);
    let crimes = counts(&o.by_crime_type);
    assert!(
        crimes.contains(&("URK", 2)) && crimes.contains(&("MUT", 1)),
        "{crimes:?}"
    );
    assert_eq!(crimes.len(), 2);
    let statuses = counts(&o.by_status);
    assert_eq!(statuses, [("draft", 3), ("agreed", 1)]);

    // Per document: the sums add up and each row knows its own.
    assert_eq!(o.documents.len(), 3);
    assert_eq!(
        o.documents.iter().map(|d| d.clauses).sum::<u32>(),
        o.clauses
    );
    assert_eq!(o.reviewed, 2);
    let row = |id: &str| o.documents.iter().find(|d| d.document_id == id).unwrap();
    let p = row(&policy);
    assert_eq!(
        (p.clauses, p.reviewed, p.findings, p.level.as_deref()),
        (3, 1, 3, Some("very_high"))
    );
    assert_eq!(p.title, "Inköpspolicy för Ekby kommun");
    assert_eq!(p.marks.len(), 1);
    assert_eq!(
        (
            p.marks[0].index,
            p.marks[0].clause_id.as_str(),
            p.marks[0].findings
        ),
        (1, c12.as_str(), 3)
    );
    let s = row(&sample);
    assert_eq!(s.marks.len(), 1);
    let per_doc = lib.overview(&sample).unwrap();
    let at = per_doc
        .strip
        .iter()
        .position(|h| h.clause_id == c45)
        .unwrap();
    assert_eq!(
        s.marks[0].index as usize, at,
        "the mark sits where the document's own strip has it"
    );
    assert_eq!(s.clauses, per_doc.clauses);
    let quiet = o
        .documents
        .iter()
        .find(|d| d.title == "Riktlinje utan fynd")
        .unwrap();
    assert_eq!(
        (
            quiet.findings,
            quiet.reviewed,
            quiet.level.as_ref(),
            quiet.marks.len()
        ),
        (0, 0, None, 0)
    );

    // Every finding is listed with its document and clause.
    assert_eq!(o.findings.len(), 4);
    let fb = o.findings.iter().find(|f| f.id == b.id).unwrap();
    assert_eq!(
        (
            fb.document_id.as_str(),
            fb.clause_id.as_str(),
            fb.clause_label.as_str(),
            fb.title.as_str()
        ),
        (
            policy.as_str(),
            c12.as_str(),
            "1 Allmänt › p. 1.2",
            "Delegationen kan missbrukas."
        )
    );
    assert_eq!(fb.document_title, "Inköpspolicy för Ekby kommun");
    assert_eq!(fb.level.as_deref(), Some("very_high"));
}

#[test]
fn the_library_overview_counts_only_the_newest_version_of_a_document() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("lib.kryphal"), "facilitator").unwrap();
    let v1 = lib
        .import_bytes(
            "policy-v1.md",
            "# Inköpspolicy\n\n1 § Direktupphandling får göras av den som har delegation.\n\n2 § Gåvor tas inte emot.\n".as_bytes(),
        )
        .unwrap()
        .document_id;
    let c1 = clause(&lib, &v1, "1 §");
    lib.add_finding(
        &c1,
        rated(3, 4, &["MUT"], FindingStatus::Draft, "Köp delas upp."),
    )
    .unwrap();
    let before = lib.library_overview().unwrap();
    assert_eq!(
        (
            before.documents.len(),
            before.findings.len(),
            before.earlier_versions
        ),
        (1, 1, 0)
    );

    // The revised policy as a new version: the finding is carried over into it.
    let v2 = lib
        .import_bytes_as_version(
            "policy-v2.md",
            "# Inköpspolicy\n\n1 § Direktupphandling får göras av den som har delegation, högst 100 000 kronor.\n\n2 § Gåvor tas inte emot.\n".as_bytes(),
            &v1,
        )
        .unwrap();
    let v2_id = v2.document_id.clone();
    assert_eq!(lib.findings(&v2_id).unwrap().len(), 1, "carried over");
    let after = lib.library_overview().unwrap();
    assert_eq!(after.earlier_versions, 1);
    assert_eq!(
        after
            .documents
            .iter()
            .map(|d| d.document_id.as_str())
            .collect::<Vec<_>>(),
        [v2_id.as_str()]
    );
    assert_eq!(
        after.findings.len(),
        1,
        "the carried finding is counted once, in the newest version"
    );
    assert_eq!(
        after
            .cells
            .iter()
            .map(|c| c.finding_ids.len())
            .sum::<usize>(),
        1
    );
    assert_eq!(counts(&after.by_crime_type), [("MUT", 1)]);
    assert_eq!(
        after.clauses, before.clauses,
        "the old version's clauses are not added"
    );
    // The old version keeps its own overview.
    assert_eq!(lib.overview(&v1).unwrap().reviewed, 1);
}

#[test]
fn the_facilitators_notes_are_kept_per_clause_and_stay_out_of_the_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut lib, doc) = library(&dir);
    let c45 = clause(&lib, &doc, "4.5");
    let c46 = clause(&lib, &doc, "4.6");
    let s = lib.start_workshop(&doc, "Genomgång", None, vec![]).unwrap();

    lib.set_workshop_note(&s.id, &c45, "  Fråga om utdragens ålder först.  ")
        .unwrap();
    lib.set_workshop_note(&s.id, &c46, "Ta upp ägarbyten.")
        .unwrap();
    // A second note on the same clause replaces the first; an empty one removes it.
    lib.set_workshop_note(&s.id, &c45, "Börja med utdragens ålder.")
        .unwrap();
    lib.set_workshop_note(&s.id, &c46, "   ").unwrap();

    let record = lib.workshop(&s.id).unwrap();
    let notes: Vec<_> = record
        .notes
        .iter()
        .map(|n| (n.clause_id.as_str(), n.text.as_str(), n.by.as_str()))
        .collect();
    assert_eq!(
        notes,
        [(c45.as_str(), "Börja med utdragens ålder.", "facilitator")]
    );
    let minutes = lib.workshop_minutes(&s.id).unwrap();
    assert!(
        !minutes.contains("utdragens ålder"),
        "private notes leaked into the minutes:\n{minutes}"
    );
    let on_clause = lib.history(Some(&c46)).unwrap();
    assert_eq!(
        on_clause
            .iter()
            .filter(|e| e.action == "workshop.note")
            .count(),
        2,
        "setting and removing the note are both in the audit trail"
    );

    // A note on a clause of another document, or in a closed session, is refused.
    lib.end_workshop(&s.id).unwrap();
    let err = lib.set_workshop_note(&s.id, &c45, "Sent.").unwrap_err();
    assert!(
        err.message.contains("closed") || err.message.contains("stängd"),
        "{}",
        err.message
    );
    assert_eq!(lib.workshop(&s.id).unwrap().notes.len(), 1);
}

#[test]
fn the_overview_is_written_as_svg_and_png_and_bad_choices_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut lib, doc) = library(&dir);
    let c45 = clause(&lib, &doc, "4.5");
    lib.add_finding(
        &c45,
        FindingInput {
            likelihood: Some(3),
            impact: Some(4),
            crime_types: vec!["URK".into()],
            ..Default::default()
        },
    )
    .unwrap();
    let title = lib.resolve_document(&doc).unwrap().meta.title;

    let svg = dir.path().join("matris.svg");
    let report = lib
        .export_overview_image(Some(&doc), "svg", "matrix", "sv", &svg)
        .unwrap();
    assert_eq!(report.format, "svg");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(report.bytes as usize, text.len());
    assert!(
        text.contains(
            r#"data-likelihood="3" data-impact="4" data-level="very_high" data-count="1""#
        )
    );
    assert!(text.contains("Riskmatris") && !text.contains("Fynd per brottstyp"));

    let png = dir.path().join("översikt.png");
    lib.export_overview_image(Some(&doc), "png", "all", "en", &png)
        .unwrap();
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));

    assert_eq!(
        lib.overview_image_file_name(Some(&doc), "png", "all")
            .unwrap(),
        format!("{title} - översikt.png")
    );
    assert_eq!(
        lib.overview_image_file_name(Some(&doc), "svg", "matrix")
            .unwrap(),
        format!("{title} - riskmatris.svg")
    );

    let before = std::fs::read_dir(dir.path()).unwrap().count();
    for (format, part, lang, needle) in [
        ("gif", "all", "sv", "“gif”"),
        ("svg", "pie", "sv", "“pie”"),
        ("png", "all", "de", "“de”"),
    ] {
        let out = dir.path().join("bad.img");
        let err = lib
            .export_overview_image(Some(&doc), format, part, lang, &out)
            .unwrap_err();
        assert_eq!(err.code, kryphal_app::ErrorCode::InvalidInput, "{err:?}");
        assert!(
            err.message.contains(needle) && err.message.ends_with('.'),
            "{}",
            err.message
        );
        assert!(!out.exists());
    }
    assert!(
        lib.overview_image_file_name(Some(&doc), "jpg", "all")
            .is_err()
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), before);
}

#[test]
fn the_library_overview_is_written_as_svg_and_png_with_a_row_per_document() {
    let dir = tempfile::tempdir().unwrap();
    let (mut lib, sample) = library(&dir);
    let policy = lib
        .import_bytes(
            "inkopspolicy.md",
            "# Inköpspolicy för Ekby kommun\n\n## 1 Allmänt\n\n1.1 Policyn gäller alla inköp.\n\n\
             1.2 Direktupphandling får göras av den som har fått delegation.\n"
                .as_bytes(),
        )
        .unwrap()
        .document_id;
    lib.import_bytes(
        "tom.md",
        "# Riktlinje utan fynd\n\n1 § Riktlinjen gäller från i dag.\n".as_bytes(),
    )
    .unwrap();
    let rated = FindingInput {
        likelihood: Some(3),
        impact: Some(4),
        ..Default::default()
    };
    lib.add_finding(&clause(&lib, &sample, "4.5"), rated.clone())
        .unwrap();
    lib.add_finding(&clause(&lib, &policy, "1.2"), rated)
        .unwrap();
    lib.add_finding(&clause(&lib, &policy, "1.1"), FindingInput::default())
        .unwrap();
    let o = lib.library_overview().unwrap();

    let svg = dir.path().join("bibliotek.svg");
    let report = lib
        .export_overview_image(None, "svg", "all", "sv", &svg)
        .unwrap();
    let text = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(report.bytes as usize, text.len());
    assert!(text.contains("Alla styrdokument i biblioteket"));
    assert!(text.contains("Översikt · 3 dokument · "));
    assert!(
        text.contains(
            r#"data-likelihood="3" data-impact="4" data-level="very_high" data-count="2""#
        ),
        "the matrix counts both documents' findings"
    );
    assert_eq!(o.documents.len(), 3);
    for d in &o.documents {
        assert!(
            text.contains(&format!(">{}</text>", d.title)),
            "{}",
            d.title
        );
        assert!(
            text.contains(&format!(
                r#"data-document="{}" data-reviewed="{}" data-clauses="{}""#,
                d.title, d.reviewed, d.clauses
            )),
            "no coverage bar for {}",
            d.title
        );
        assert!(
            text.contains(&format!(
                r#"data-strip="{}" data-clauses="{}" data-marks="{}""#,
                d.title,
                d.clauses,
                d.marks.len()
            )),
            "no strip for {}",
            d.title
        );
    }
    assert!(text.contains(
        r#"data-document="Inköpspolicy för Ekby kommun" data-reviewed="2" data-clauses="2""#
    ));

    let png = dir.path().join("bibliotek.png");
    lib.export_overview_image(None, "png", "strip", "en", &png)
        .unwrap();
    assert!(
        std::fs::read(&png)
            .unwrap()
            .starts_with(b"\x89PNG\r\n\x1a\n")
    );

    assert_eq!(
        lib.overview_image_file_name(None, "png", "all").unwrap(),
        "Biblioteket - översikt.png"
    );
    assert_eq!(
        lib.overview_image_file_name(None, "svg", "matrix").unwrap(),
        "Biblioteket - riskmatris.svg"
    );
    // A document that is not there is still refused, with nothing written.
    let out = dir.path().join("ingen.svg");
    let err = lib
        .export_overview_image(Some("no-such-document"), "svg", "all", "sv", &out)
        .unwrap_err();
    assert_eq!(err.code, kryphal_app::ErrorCode::NotFound, "{err:?}");
    assert!(!out.exists());
}
