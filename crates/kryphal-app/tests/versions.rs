//! A revised sample (`fixtures/reglemente-kundval-hemtjanst-2025.md`)
//! imported as a new version of the sample: a clause added in section 3
//! (3.2–3.8 renumbered to 3.3–3.9), 4.5 rewritten as a finding proposed, 4.6
//! changed otherwise, 5.4 removed, 6.5 moved to the end of section 6. Each
//! finding must land where it belongs.

use kryphal_app::{ClauseChangeKind, ErrorCode, Library};
use kryphal_domain::{CarryState, FindingInput, SuggestionState};

const REVISED: &str = include_str!("fixtures/reglemente-kundval-hemtjanst-2025.md");
const REVISED_NAME: &str = "reglemente-kundval-hemtjanst-2025.md";
const PROPOSED_4_5: &str = "För varje person i ledande ställning ska ett utdrag ur belastningsregistret ges in inför avtalstecknande och därefter en gång per år. Utdraget får vara högst tre månader gammalt.";

fn library() -> (tempfile::TempDir, Library, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("lib.kryphal"), "anna").unwrap();
    assert!(lib.ensure_sample().unwrap());
    let doc = lib.documents().unwrap()[0].id.clone();
    (dir, lib, doc)
}

fn clause(lib: &Library, doc: &str, number: &str) -> kryphal_domain::Clause {
    lib.document(doc)
        .unwrap()
        .outline
        .clauses
        .into_iter()
        .find(|c| c.number == number)
        .unwrap_or_else(|| panic!("no clause {number}"))
}

fn finding(text: &str) -> FindingInput {
    FindingInput {
        unintended_consequence: text.into(),
        likelihood: Some(3),
        impact: Some(3),
        ..Default::default()
    }
}

/// The sample with one finding on each kind of clause and a dismissed suggestion.
struct Analysed {
    owners: String,   // 3.6, renumbered to 3.7
    record: String,   // 4.5, rewritten as proposed
    changes: String,  // 4.6, changed
    relative: String, // 5.4, removed
    aconto: String,   // 6.5, moved
    dismissed: String,
}

fn analyse(lib: &mut Library, doc: &str) -> Analysed {
    let owners = lib
        .add_finding(
            &clause(lib, doc, "3.6").id,
            finding("Ägaruppgifter godtas utan kontroll."),
        )
        .unwrap();
    lib.add_comment(&owners.id, "Ta upp med förvaltningen.")
        .unwrap();
    let record = lib
        .add_finding(
            &clause(lib, doc, "4.5").id,
            FindingInput {
                proposed_wording: PROPOSED_4_5.into(),
                ..finding("Ett år gamla utdrag godtas.")
            },
        )
        .unwrap();
    let changes = lib
        .add_finding(
            &clause(lib, doc, "4.6").id,
            FindingInput {
                proposed_wording:
                    "Leverantören ska senast fem arbetsdagar efter en ändring anmäla den.".into(),
                ..finding("Skälig tid är obestämd.")
            },
        )
        .unwrap();
    let relative = lib
        .add_finding(
            &clause(lib, doc, "5.4").id,
            finding("Närstående som utförare ger risk för fusk med tid."),
        )
        .unwrap();
    let aconto = lib
        .add_finding(
            &clause(lib, doc, "6.5").id,
            finding("Förskott kan betalas till oseriösa leverantörer."),
        )
        .unwrap();
    // A suggestion on a clause that stays as it is (8.3, "osannolikt").
    let c83 = clause(lib, doc, "8.3").id;
    let s = lib
        .document(doc)
        .unwrap()
        .suggestions
        .into_iter()
        .find(|s| s.clause_id == c83)
        .expect("screening flags 8.3");
    lib.dismiss_suggestion(&s.id, "Bedömningen görs i varje enskilt fall.")
        .unwrap();
    Analysed {
        owners: owners.id,
        record: record.id,
        changes: changes.id,
        relative: relative.id,
        aconto: aconto.id,
        dismissed: s.rule_id,
    }
}

#[test]
fn each_finding_lands_on_the_right_clause_of_the_revised_version() {
    let (_dir, mut lib, old) = library();
    let a = analyse(&mut lib, &old);
    let old_findings = lib.findings(&old).unwrap();

    let report = lib
        .import_bytes_as_version(REVISED_NAME, REVISED.as_bytes(), &old)
        .unwrap();
    assert_eq!(
        (report.number, report.previous_id.as_str()),
        (2, old.as_str())
    );
    assert_eq!(report.family_id, old);
    assert_eq!(
        (
            report.carried,
            report.rereview,
            report.orphaned,
            report.implemented
        ),
        (2, 1, 1, 1)
    );
    assert_eq!(report.decisions, 1);
    let new = report.document_id.clone();

    // Both versions are kept; the old one's findings are untouched.
    assert_eq!(lib.documents().unwrap().len(), 2);
    assert_eq!(lib.findings(&old).unwrap(), old_findings);

    let cmp = lib.compare_versions(&old, &new).unwrap();
    let carried = |from: &str| {
        cmp.carried
            .iter()
            .find(|c| c.carry.from_finding_id == from)
            .unwrap_or_else(|| panic!("{from} not listed"))
    };
    let new_number = |from: &str| {
        let id = carried(from)
            .carry
            .clause_id
            .clone()
            .expect("placed on a clause");
        lib.document(&new)
            .unwrap()
            .outline
            .clauses
            .into_iter()
            .find(|c| c.id == id)
            .unwrap()
            .number
    };

    // Renumbered, unchanged: carried with its comment.
    let owners = carried(&a.owners);
    assert_eq!(owners.carry.state, CarryState::Carried);
    assert_eq!(new_number(&a.owners), "3.7");
    assert_eq!(owners.finding.comments.len(), 1);
    assert_eq!(owners.finding.document_id, new);

    // Rewritten as proposed: implemented.
    let record = carried(&a.record);
    assert_eq!(record.carry.state, CarryState::Implemented);
    assert_eq!(new_number(&a.record), "4.5");

    // Changed otherwise: to be reviewed again, with the diff.
    let changes = carried(&a.changes);
    assert_eq!(changes.carry.state, CarryState::Rereview);
    assert_eq!(new_number(&a.changes), "4.6");
    assert!(
        changes
            .diff
            .iter()
            .any(|d| d.kind == "deleted" && d.text.contains("skälig tid"))
    );
    assert!(
        changes
            .diff
            .iter()
            .any(|d| d.kind == "inserted" && d.text.contains("två veckor"))
    );

    // Removed: orphaned, never deleted.
    let relative = carried(&a.relative);
    assert_eq!(relative.carry.state, CarryState::Orphaned);
    assert_eq!(relative.carry.finding_id, None);
    assert_eq!(relative.finding.id, a.relative);
    assert!(lib.finding(&a.relative).is_ok());

    // Moved: carried to 6.7.
    assert_eq!(carried(&a.aconto).carry.state, CarryState::Carried);
    assert_eq!(new_number(&a.aconto), "6.7");

    // The new version holds the four placed findings, none twice.
    assert_eq!(lib.findings(&new).unwrap().len(), 4);

    // The dismissal is carried to 8.3 of the new version.
    let c83 = clause(&lib, &new, "8.3").id;
    let s = lib
        .document(&new)
        .unwrap()
        .suggestions
        .into_iter()
        .find(|s| s.clause_id == c83 && s.rule_id == a.dismissed)
        .unwrap();
    assert!(
        matches!(s.state, SuggestionState::Dismissed { ref reason, .. } if reason.contains("enskilt fall"))
    );

    // The comparison tells added, removed, changed and moved apart.
    let s = &cmp.summary;
    assert_eq!((s.added, s.removed), (1, 1), "{s:?}");
    assert!(s.changed >= 3, "{s:?}"); // 4.5, 4.6, 7.4, 10.1
    assert!(s.moved >= 1, "{s:?}");
    assert!(s.renumbered >= 7, "{s:?}");
    let added = cmp
        .changes
        .iter()
        .find(|c| c.kind == ClauseChangeKind::Added)
        .unwrap();
    assert_eq!(added.new.as_ref().unwrap().number, "3.2");
    let removed = cmp
        .changes
        .iter()
        .find(|c| c.kind == ClauseChangeKind::Removed)
        .unwrap();
    assert_eq!(removed.old.as_ref().unwrap().number, "5.4");
    let moved = cmp.changes.iter().find(|c| c.moved).unwrap();
    assert_eq!(moved.new.as_ref().unwrap().number, "6.7");
    let renumbered = cmp
        .changes
        .iter()
        .find(|c| c.old.as_ref().is_some_and(|o| o.number == "3.8"))
        .unwrap();
    assert_eq!(renumbered.kind, ClauseChangeKind::Unchanged);
    assert_eq!(renumbered.new.as_ref().unwrap().number, "3.9");

    // The family lists both, and a re-review can be marked done.
    let versions = lib.versions(&new).unwrap();
    assert_eq!(
        versions.iter().map(|v| v.number).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(versions[1].open_rereview, 1);
    lib.resolve_carryover(changes.carry.finding_id.as_deref().unwrap(), true)
        .unwrap();
    assert_eq!(lib.versions(&new).unwrap()[1].open_rereview, 0);
}

#[test]
fn a_plain_import_proposes_the_document_with_the_same_title_and_dnr() {
    let (_dir, mut lib, old) = library();
    let proposed = lib
        .propose_version(REVISED_NAME, REVISED.as_bytes())
        .unwrap();
    assert_eq!(proposed.len(), 1);
    assert_eq!(
        (
            proposed[0].document_id.as_str(),
            proposed[0].reason.as_str()
        ),
        (old.as_str(), "title_and_dnr")
    );
    let report = lib.import_bytes(REVISED_NAME, REVISED.as_bytes()).unwrap();
    assert_eq!(report.version_candidates.len(), 1);
    assert_eq!(report.version_candidates[0].document_id, old);

    // Linking it afterwards carries the findings over the same way.
    let c = clause(&lib, &old, "5.4").id;
    lib.add_finding(&c, finding("Närstående.")).unwrap();
    let status = lib.version_status(&report.document_id).unwrap();
    assert_eq!(status.candidates.len(), 1);
    assert_eq!(status.candidates[0].document_id, old);
    // The older document is not told it may be a version of the newer one.
    assert!(lib.version_status(&old).unwrap().candidates.is_empty());
    let linked = lib.link_as_version(&report.document_id, &old).unwrap();
    let status = lib.version_status(&report.document_id).unwrap();
    assert_eq!(
        (status.number, status.previous_id.as_deref()),
        (2, Some(old.as_str()))
    );
    assert!(status.candidates.is_empty());
    assert_eq!(
        lib.version_status(&old).unwrap().next_id,
        Some(report.document_id.clone())
    );
    assert_eq!((linked.number, linked.orphaned), (2, 1));
    // Now the old version has a newer one: only the newest is proposed.
    let proposed = lib
        .propose_version(
            "x.md",
            "# Reglemente för kundval inom hemtjänst\n\nText.\n".as_bytes(),
        )
        .unwrap();
    assert_eq!(proposed.len(), 1);
    assert_eq!(
        (
            proposed[0].document_id.as_str(),
            proposed[0].reason.as_str()
        ),
        (report.document_id.as_str(), "title")
    );
}

#[test]
fn bad_requests_are_refused_and_leave_the_library_unchanged() {
    let (dir, mut lib, old) = library();
    analyse(&mut lib, &old);
    let before = lib.history(None).unwrap().len();

    let e = lib
        .import_bytes_as_version(REVISED_NAME, REVISED.as_bytes(), "no-such-document")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);

    let e = lib
        .import_bytes_as_version("same.md", kryphal_app::sample::TEXT.as_bytes(), &old)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Duplicate);
    assert!(e.message.contains("very version"), "{}", e.message);

    let e = lib
        .import_bytes_as_version("tom.md", b"", &old)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::EmptyFile);

    let e = lib.compare_versions(&old, &old).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);

    assert_eq!(lib.history(None).unwrap().len(), before);
    assert_eq!(lib.documents().unwrap().len(), 1);

    // A version that already has a newer one is refused as the base.
    let v2 = lib
        .import_bytes_as_version(REVISED_NAME, REVISED.as_bytes(), &old)
        .unwrap();
    let before = lib.history(None).unwrap().len();
    let e = lib
        .import_bytes_as_version(
            "v3.md",
            format!("{REVISED}\nEn rad till.\n").as_bytes(),
            &old,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains(&v2.document_id), "{}", e.message);
    assert_eq!(lib.history(None).unwrap().len(), before);

    // The link survives reopening the library.
    drop(lib);
    let lib = Library::open(&dir.path().join("lib.kryphal"), "anna").unwrap();
    assert_eq!(lib.previous_version(&v2.document_id).unwrap(), Some(old));
}

#[test]
fn the_comparison_exports_as_markdown_and_word() {
    let (dir, mut lib, old) = library();
    analyse(&mut lib, &old);
    let new = lib
        .import_bytes_as_version(REVISED_NAME, REVISED.as_bytes(), &old)
        .unwrap()
        .document_id;
    let md = String::from_utf8(lib.comparison_bytes(&old, &new, "md").unwrap()).unwrap();
    assert!(
        md.contains("| Punkt | Nuvarande lydelse | Föreslagen lydelse |"),
        "{md}"
    );
    assert!(md.contains("~~skälig tid~~"), "{md}");
    assert!(md.contains("**två veckor**"), "{md}");
    assert!(
        md.contains("(borttagen)") && md.contains("(ny)") && md.contains("flyttad"),
        "{md}"
    );
    assert!(md.contains("Ska granskas på nytt"), "{md}");

    let out = dir.path().join("jamforelse.docx");
    let n = lib.export_comparison(&old, &new, "docx", &out).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(bytes.len(), n);
    assert_eq!(&bytes[..2], b"PK");

    let e = lib.comparison_bytes(&old, &new, "pdf").unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    // The name the app's save dialog offers: the title and both version labels.
    assert_eq!(
        lib.comparison_file_name(&old, &new, "docx").unwrap(),
        "Reglemente för kundval inom hemtjänst - jämförelse 2024 och 2025.docx"
    );
    let e = lib.comparison_file_name(&old, &new, "pdf").unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
}

#[test]
fn linking_as_a_new_version_is_undone_and_redone_whole() {
    let (dir, mut lib, old) = library();
    let a = analyse(&mut lib, &old);
    let report = lib.import_bytes(REVISED_NAME, REVISED.as_bytes()).unwrap();
    let new = report.document_id;
    // The revised document's own suggestion on 8.3 is open before the link.
    let open_83 = |lib: &Library| {
        lib.document(&new)
            .unwrap()
            .suggestions
            .into_iter()
            .find(|s| s.rule_id == a.dismissed && s.clause_id == clause(lib, &new, "8.3").id)
            .map(|s| s.state)
    };
    assert_eq!(open_83(&lib), Some(SuggestionState::Open));
    let before = lib.document(&new).unwrap();
    let history_before = lib.history(None).unwrap().len();

    let linked = lib.link_as_version(&new, &old).unwrap();
    assert_eq!(
        (
            linked.number,
            linked.rereview,
            linked.orphaned,
            linked.decisions
        ),
        (2, 1, 1, 1)
    );
    let after_link = lib.document(&new).unwrap();
    assert_eq!(after_link.findings.len(), 4, "four findings carried over");
    assert!(matches!(
        open_83(&lib),
        Some(SuggestionState::Dismissed { .. })
    ));

    let undone = lib.undo().unwrap().expect("the link can be undone");
    assert_eq!(
        (undone.edit.as_str(), undone.document_id.as_str()),
        ("document.link_version", new.as_str())
    );
    let status = lib.version_status(&new).unwrap();
    assert_eq!((status.number, status.previous_id), (1, None));
    assert_eq!(lib.version_status(&old).unwrap().next_id, None);
    let restored = lib.document(&new).unwrap();
    assert_eq!(
        restored.findings, before.findings,
        "the carried findings are gone"
    );
    assert_eq!(
        restored.suggestions, before.suggestions,
        "the decision carried over is taken back"
    );
    assert!(lib.compare_versions(&old, &new).unwrap().carried.is_empty());
    // The old version is as it was, and the undo is in the audit trail.
    assert_eq!(lib.document(&old).unwrap().findings.len(), 5);
    let history = lib.history(None).unwrap();
    assert_eq!(history.len(), history_before + 2);
    assert_eq!(history.last().unwrap().action, "document.unlink_version");

    // Redo links it again with the same carried findings; the same rows as before.
    let redone = lib.redo().unwrap().expect("the link can be redone");
    assert_eq!(redone.edit, "document.link_version");
    assert_eq!(lib.document(&new).unwrap().findings, after_link.findings);
    assert_eq!(lib.version_status(&new).unwrap().number, 2);
    assert_eq!(
        lib.compare_versions(&old, &new).unwrap().carried.len(),
        5,
        "every finding of the old version is accounted for again"
    );
    assert!(matches!(
        open_83(&lib),
        Some(SuggestionState::Dismissed { .. })
    ));

    // The library file, reopened, holds the link (the redo was stored, not kept in memory).
    let path = dir.path().join("lib.kryphal");
    drop(lib);
    let lib = Library::open(&path, "anna").unwrap();
    assert_eq!(lib.version_status(&new).unwrap().number, 2);
    let _ = (a.owners, a.record, a.changes, a.relative, a.aconto);
}

#[test]
fn a_file_already_in_the_library_is_replaced_by_a_new_version_carrying_its_findings() {
    let (_dir, mut lib, old) = library();
    analyse(&mut lib, &old);
    let sample = kryphal_app::sample::TEXT.as_bytes();
    let answers = |lib: &Library, doc: &str| {
        let mut a: Vec<(String, String)> = lib
            .document(doc)
            .unwrap()
            .findings
            .into_iter()
            .map(|f| {
                let clause = lib
                    .document(doc)
                    .unwrap()
                    .outline
                    .clauses
                    .into_iter()
                    .find(|c| c.id == f.clause_id)
                    .unwrap();
                (clause.number, f.input.unintended_consequence)
            })
            .collect();
        a.sort();
        a
    };
    let before = answers(&lib, &old);
    assert!(before.len() >= 4, "{before:?}");

    // An ordinary import of the same bytes is refused; so is replacing a
    // file that is not in the library. Neither changes anything.
    let events = lib.history(None).unwrap().len();
    let e = lib.import_bytes("kopia.md", sample).unwrap_err();
    assert_eq!(e.code, ErrorCode::Duplicate);
    let e = lib
        .import_bytes_replacing("annan.md", b"# Annat\n\n1. Helt annan text.\n")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert!(e.message.contains("nothing to replace"), "{}", e.message);
    assert_eq!(lib.history(None).unwrap().len(), events);
    assert_eq!(lib.documents().unwrap().len(), 1);

    // Replacing reads the file again as version 2, with every finding on
    // its clause; the first version keeps its own.
    let v2 = lib.import_bytes_replacing("kopia.md", sample).unwrap();
    assert_eq!((v2.previous_id.as_str(), v2.number), (old.as_str(), 2));
    assert_ne!(v2.document_id, old);
    assert_eq!(v2.carried as usize, before.len());
    assert_eq!((v2.rereview, v2.orphaned), (0, 0));
    assert_eq!(v2.summary.unchanged, v2.clauses);
    assert!(v2.decisions >= 1, "the dismissal is carried over too");
    assert_eq!(answers(&lib, &v2.document_id), before);
    assert_eq!(answers(&lib, &old), before);
    assert_eq!(
        lib.previous_version(&v2.document_id).unwrap(),
        Some(old.clone())
    );
    assert!(
        lib.history(None).unwrap().len() > events,
        "the replacement is audited"
    );

    // The same file again follows the versions forward: version 3 of v2.
    let v3 = lib.import_bytes_replacing("kopia.md", sample).unwrap();
    assert_eq!(
        (v3.previous_id.as_str(), v3.number),
        (v2.document_id.as_str(), 3)
    );
    assert_eq!(answers(&lib, &v3.document_id), before);
    assert_eq!(lib.documents().unwrap().len(), 3);
}
