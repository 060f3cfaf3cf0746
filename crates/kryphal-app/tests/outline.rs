//! Correcting the structure the importer guessed, on the sample in a real
//! library file: promote a clause to a heading, demote a heading to a
//! clause, move a clause under another heading, renumber a clause. Each is
//! audited, undoable, kept across reopening, and made again when a new
//! version of the document is imported (found by text, not by place).

use std::path::Path;

use kryphal_app::{ErrorCode, Library, SkipReason};
use kryphal_domain::{Clause, FindingInput, Outline, Section, SuggestionState};

const REVISED: &str = include_str!("fixtures/reglemente-kundval-hemtjanst-2025.md");
const REVISED_NAME: &str = "reglemente-kundval-hemtjanst-2025.md";

fn open(path: &Path) -> Library {
    let mut lib = Library::open(path, "anna").unwrap();
    lib.set_undo_coalescing(std::time::Duration::ZERO);
    lib
}

fn library() -> (tempfile::TempDir, Library, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = open(&dir.path().join("lib.kryphal"));
    assert!(lib.ensure_sample().unwrap());
    let doc = lib.documents().unwrap()[0].id.clone();
    (dir, lib, doc)
}

fn outline(lib: &Library, doc: &str) -> Outline {
    lib.document(doc).unwrap().outline
}

fn clause(lib: &Library, doc: &str, number: &str) -> Clause {
    outline(lib, doc)
        .clauses
        .into_iter()
        .find(|c| c.number == number)
        .unwrap_or_else(|| panic!("no clause {number}"))
}

fn clause_with(lib: &Library, doc: &str, words: &str) -> Clause {
    outline(lib, doc)
        .clauses
        .into_iter()
        .find(|c| c.text.contains(words))
        .unwrap_or_else(|| panic!("no clause with “{words}”"))
}

fn section(lib: &Library, doc: &str, title: &str) -> Section {
    outline(lib, doc)
        .sections
        .into_iter()
        .find(|s| s.title == title)
        .unwrap_or_else(|| panic!("no heading {title}"))
}

fn title_of(o: &Outline, section_id: &Option<String>) -> String {
    section_id
        .as_ref()
        .and_then(|id| o.sections.iter().find(|s| &s.id == id))
        .map(|s| s.title.clone())
        .unwrap_or_default()
}

/// The four corrections the tests make on the sample: 2.1 (“I detta
/// reglemente avses med”) becomes a heading over its a)–f), the heading
/// “Kvalitet” becomes a clause, 5.5 moves under “Ersättning och
/// utbetalning”, 7.5 is renumbered 7.6.
fn correct_all(lib: &mut Library, doc: &str) {
    let c21 = clause(lib, doc, "2.1");
    let heading = lib.promote_clause(&c21.id, Some(2)).unwrap();
    assert_eq!(
        (
            heading.number.as_str(),
            heading.title.as_str(),
            heading.level
        ),
        ("2.1", "I detta reglemente avses med", 2)
    );
    let kvalitet = section(lib, doc, "Kvalitet");
    let demoted = lib.demote_section(&kvalitet.id).unwrap();
    assert_eq!(demoted.text, "Kvalitet");
    let c55 = clause(lib, doc, "5.5");
    let moved = lib
        .move_clause(&c55.id, &section(lib, doc, "Ersättning och utbetalning").id)
        .unwrap();
    assert_eq!(moved.id, c55.id, "a moved clause keeps its id");
    let c75 = clause(lib, doc, "7.5");
    let renumbered = lib.renumber_clause(&c75.id, "7.6").unwrap();
    assert_eq!(renumbered.label, "Uppföljning och tillsyn › p. 7.6");
}

/// What the corrections did to the sample, checked on `doc`'s outline.
fn assert_corrected(lib: &Library, doc: &str) {
    let o = outline(lib, doc);
    let heading = o
        .sections
        .iter()
        .find(|s| s.title == "I detta reglemente avses med")
        .expect("2.1 is a heading");
    assert_eq!(heading.level, 2);
    assert_eq!(
        title_of(&o, &heading.parent_id),
        "Definitioner",
        "under Definitioner"
    );
    let kund = o
        .clauses
        .iter()
        .find(|c| c.text.starts_with("kund:"))
        .unwrap();
    assert_eq!(kund.label, "I detta reglemente avses med › p. 2.1 a)");
    assert!(!o.sections.iter().any(|s| s.title == "Kvalitet"));
    let kvalitet = o.clauses.iter().find(|c| c.text == "Kvalitet").unwrap();
    assert_eq!(title_of(&o, &kvalitet.section_id), "Personal");
    let c412 = o
        .clauses
        .iter()
        .find(|c| c.text.starts_with("Leverantören ska ha ett ledningssystem"))
        .unwrap();
    assert_eq!(c412.label, "Personal › p. 4.12");
    let extra = o
        .clauses
        .iter()
        .find(|c| {
            c.text
                .starts_with("Leverantören får erbjuda kunden tilläggstjänster")
        })
        .unwrap();
    assert_eq!(
        title_of(&o, &extra.section_id),
        "Ersättning och utbetalning"
    );
    let last_in_6 = o
        .clauses
        .iter()
        .filter(|c| c.section_id == extra.section_id)
        .max_by_key(|c| c.position)
        .unwrap();
    assert_eq!(last_in_6.id, extra.id, "moved to the end of section 6");
    let review = o
        .clauses
        .iter()
        .find(|c| c.text.starts_with("Inför den årliga uppföljningen"))
        .unwrap();
    assert_eq!(
        (review.number.as_str(), review.label.as_str()),
        ("7.6", "Uppföljning och tillsyn › p. 7.6")
    );
}

#[test]
fn corrections_are_stored_audited_and_kept_when_the_library_is_opened_again() {
    let (dir, mut lib, doc) = library();
    let before = outline(&lib, &doc);
    let audit_before = lib.history(None).unwrap().len();
    correct_all(&mut lib, &doc);
    assert_corrected(&lib, &doc);

    let o = outline(&lib, &doc);
    assert_eq!(
        o.clauses.len(),
        before.clauses.len(),
        "one clause fewer, one more"
    );
    assert_eq!(o.sections.len(), before.sections.len());
    // Every clause that stayed a clause kept its id and text.
    for c in &before.clauses {
        if c.number != "2.1" {
            let after = o.clauses.iter().find(|a| a.id == c.id).expect("kept");
            assert_eq!(after.text, c.text);
        }
    }

    let history = lib.history(None).unwrap();
    let actions: Vec<&str> = history[audit_before..]
        .iter()
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "outline.promote",
            "outline.demote",
            "outline.move",
            "outline.renumber"
        ]
    );
    assert!(
        history[audit_before..]
            .iter()
            .all(|e| e.actor == "anna" && e.document_id.as_deref() == Some(doc.as_str()))
    );

    let kept = lib.outline_corrections(&doc).unwrap();
    let kinds: Vec<&str> = kept.iter().map(|c| c.change.kind()).collect();
    assert_eq!(kinds, ["promote", "demote", "move", "renumber"]);
    assert_eq!(kept[0].change.target().text, "i detta reglemente avses med");
    assert_eq!(kept[1].change.target().text, "kvalitet");
    assert_eq!(kept[0].label, "Definitioner › p. 2.1");
    assert!(
        kept.iter()
            .all(|c| c.made_by == "anna" && c.carried_from.is_none())
    );

    drop(lib);
    let lib = open(&dir.path().join("lib.kryphal"));
    assert_corrected(&lib, &doc);
    assert_eq!(lib.outline_corrections(&doc).unwrap(), kept);
}

#[test]
fn each_correction_undoes_to_the_outline_before_it_and_redoes() {
    let (_dir, mut lib, doc) = library();
    let mut states = vec![outline(&lib, &doc)];
    let c21 = clause(&lib, &doc, "2.1");
    lib.promote_clause(&c21.id, None).unwrap();
    states.push(outline(&lib, &doc));
    lib.demote_section(&section(&lib, &doc, "Kvalitet").id)
        .unwrap();
    states.push(outline(&lib, &doc));
    lib.move_clause(&clause(&lib, &doc, "5.5").id, "Ersättning och utbetalning")
        .unwrap();
    states.push(outline(&lib, &doc));
    lib.renumber_clause(&clause(&lib, &doc, "7.5").id, "7.6")
        .unwrap();
    states.push(outline(&lib, &doc));

    for (i, edit) in [
        "outline.renumber",
        "outline.move",
        "outline.demote",
        "outline.promote",
    ]
    .iter()
    .enumerate()
    {
        let report = lib.undo().unwrap().unwrap();
        assert_eq!(report.edit, *edit);
        assert_eq!(outline(&lib, &doc), states[3 - i], "after undoing {edit}");
        assert_eq!(lib.outline_corrections(&doc).unwrap().len(), 3 - i);
    }
    assert_eq!(outline(&lib, &doc), states[0]);
    let report = lib.redo().unwrap().unwrap();
    assert_eq!(
        (report.edit.as_str(), report.entity_id.as_str()),
        ("outline.promote", c21.id.as_str())
    );
    assert_eq!(outline(&lib, &doc), states[1]);
    assert_eq!(lib.outline_corrections(&doc).unwrap().len(), 1);
    let undo_event = lib
        .history(Some(&c21.id))
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect::<Vec<_>>();
    assert_eq!(
        undo_event,
        ["outline.promote", "outline.undo", "outline.promote"]
    );
}

#[test]
fn a_promoted_clause_takes_its_suggestions_along_and_undo_brings_them_back() {
    let (_dir, mut lib, doc) = library();
    // 8.3 (“osannolikt”) has a suggestion; dismiss it so its decision matters.
    let c83 = clause(&lib, &doc, "8.3");
    let suggestion = lib
        .document(&doc)
        .unwrap()
        .suggestions
        .into_iter()
        .find(|s| s.clause_id == c83.id)
        .expect("8.3 has a suggestion");
    lib.dismiss_suggestion(&suggestion.id, "Bedömt i workshop.")
        .unwrap();
    let with = lib.document(&doc).unwrap().suggestions;
    lib.promote_clause(&c83.id, None).unwrap();
    assert!(
        !lib.document(&doc)
            .unwrap()
            .suggestions
            .iter()
            .any(|s| s.clause_id == c83.id)
    );
    lib.undo().unwrap();
    let back = lib.document(&doc).unwrap().suggestions;
    assert_eq!(back, with);
    assert!(matches!(
        back.iter().find(|s| s.id == suggestion.id).unwrap().state,
        SuggestionState::Dismissed { .. }
    ));
}

#[test]
fn a_clause_with_findings_is_not_made_a_heading_and_nothing_changes() {
    let (_dir, mut lib, doc) = library();
    let c21 = clause(&lib, &doc, "2.1");
    lib.add_finding(
        &c21.id,
        FindingInput {
            unintended_consequence: "Definitionerna är vaga.".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let before = outline(&lib, &doc);
    let audit = lib.history(None).unwrap().len();
    let e = lib.promote_clause(&c21.id, None).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert_eq!(
        e.message,
        "“Definitioner › p. 2.1” has a finding, so it cannot become a heading: findings belong to clauses. Delete it first (the audit trail keeps it), then make it a heading."
    );
    assert_eq!(outline(&lib, &doc), before);
    assert_eq!(lib.history(None).unwrap().len(), audit);
    assert!(lib.outline_corrections(&doc).unwrap().is_empty());
}

fn refused<T>(r: Result<T, kryphal_app::AppError>) -> (ErrorCode, String) {
    let e = r.map(|_| ()).unwrap_err();
    (e.code, e.message)
}

#[test]
fn bad_requests_are_refused_with_a_sentence_and_change_nothing() {
    let (_dir, mut lib, doc) = library();
    let before = outline(&lib, &doc);
    let c21 = clause(&lib, &doc, "2.1");
    let c11 = clause(&lib, &doc, "1.1");

    assert_eq!(
        refused(lib.promote_clause(&c21.id, Some(4))),
        (
            ErrorCode::InvalidInput,
            "A heading here can be level 1 to 2 (at most one below the heading before it), not 4."
                .into()
        )
    );
    assert_eq!(
        refused(lib.promote_clause(&c21.id, Some(0))).0,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        refused(lib.renumber_clause(&c21.id, "  ")),
        (
            ErrorCode::InvalidInput,
            "Give the clause's new number, for example 4.3, 3 § or b).".into()
        )
    );
    assert_eq!(
        refused(lib.renumber_clause(&c21.id, "2.1")),
        (
            ErrorCode::InvalidInput,
            "“Definitioner › p. 2.1” is already numbered 2.1.".into()
        )
    );
    assert_eq!(
        refused(lib.renumber_clause(&c21.id, "1\n2")).0,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        refused(lib.move_clause(&c11.id, "Inledning och syfte")),
        (
            ErrorCode::InvalidInput,
            "“Inledning och syfte › p. 1.1” is already under “1. Inledning och syfte”.".into()
        )
    );
    assert_eq!(
        refused(lib.move_clause(&c11.id, "Bilagor")).0,
        ErrorCode::NotFound
    );
    assert_eq!(
        refused(lib.demote_section("no-such-heading")).0,
        ErrorCode::NotFound
    );
    assert_eq!(
        refused(lib.promote_clause("no-such-clause", None)).0,
        ErrorCode::NotFound
    );
    // A heading of another document is not a place to move to.
    let other = lib
        .import_bytes("annat.md", b"# Annat\n\n## Avsnitt\n\nEtt stycke.\n")
        .unwrap()
        .document_id;
    let elsewhere = outline(&lib, &other).sections[0].id.clone();
    let (code, message) = refused(lib.move_clause(&c11.id, &elsewhere));
    assert_eq!(code, ErrorCode::InvalidInput);
    assert!(message.contains("another document"), "{message}");
    assert_eq!(outline(&lib, &doc), before);
    assert!(lib.outline_corrections(&doc).unwrap().is_empty());
}

#[test]
fn a_new_version_gets_the_corrections_made_again_where_its_text_is_found() {
    let (_dir, mut lib, old) = library();
    correct_all(&mut lib, &old);
    // Two more that the revision no longer fits: 6.5 (“a conto”) is 6.7 in
    // the revision, and 5.4 (a relative as the provider) is gone from it.
    let aconto = clause_with(&lib, &old, "a conto");
    lib.renumber_clause(&aconto.id, "6.5 a").unwrap();
    let relative = clause(&lib, &old, "5.4");
    lib.move_clause(&relative.id, "Personal").unwrap();
    let old_outline = outline(&lib, &old);

    let report = lib
        .import_bytes_as_version(REVISED_NAME, REVISED.as_bytes(), &old)
        .unwrap();
    assert_eq!(report.corrections_applied, 4);
    let skipped: Vec<(SkipReason, &str)> = report
        .corrections_skipped
        .iter()
        .map(|s| (s.reason, s.number_now.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            (SkipReason::NumberChanged, "6.7"),
            (SkipReason::ClauseGone, "")
        ]
    );
    assert!(
        report.corrections_skipped[0]
            .message
            .ends_with("the clause is numbered “6.7” now."),
        "{}",
        report.corrections_skipped[0].message
    );
    let new = report.document_id.clone();
    assert_corrected(&lib, &new);
    // The new version keeps the corrections made again as its own, for the
    // version after it, each pointing at the one it came from.
    let old_kept = lib.outline_corrections(&old).unwrap();
    let new_kept = lib.outline_corrections(&new).unwrap();
    assert_eq!(new_kept.len(), 4);
    for (n, o) in new_kept.iter().zip(&old_kept) {
        assert_eq!(n.change, o.change);
        assert_eq!(n.carried_from.as_deref(), Some(o.id.as_str()));
        assert_eq!(n.document_id, new);
    }
    // The previous version is not touched.
    assert_eq!(outline(&lib, &old), old_outline);
    // The screening ran on the corrected outline: no suggestion hangs on a clause that is gone.
    let view = lib.document(&new).unwrap();
    assert!(
        view.suggestions
            .iter()
            .all(|s| view.outline.clauses.iter().any(|c| c.id == s.clause_id))
    );
}

#[test]
fn the_same_text_imported_again_as_a_version_gets_every_correction() {
    let (_dir, mut lib, old) = library();
    correct_all(&mut lib, &old);
    // The same words, saved again (one more line break at the end).
    let again = format!("{}\n", kryphal_app::sample::TEXT);
    let report = lib
        .import_bytes_as_version("reglemente-igen.md", again.as_bytes(), &old)
        .unwrap();
    assert_eq!(report.corrections_applied, 4);
    assert!(report.corrections_skipped.is_empty());
    let new = report.document_id;
    let strip = |o: Outline, lineage: &str| -> Vec<String> {
        let mut rows: Vec<(u32, String)> = o
            .sections
            .iter()
            .map(|s| {
                (
                    s.position,
                    format!("# {} {} {}", s.level, s.number, s.title),
                )
            })
            .chain(o.clauses.iter().map(|c| {
                (
                    c.position,
                    format!("{} [{}] {}", c.id.replacen(lineage, "", 1), c.label, c.text),
                )
            }))
            .collect();
        rows.sort();
        rows.into_iter().map(|(_, r)| r).collect()
    };
    assert_eq!(
        strip(outline(&lib, &new), &new),
        strip(outline(&lib, &old), &old),
        "the same corrected outline, ids aside from their lineage"
    );
}

#[test]
fn linking_a_document_as_a_new_version_makes_the_corrections_and_undo_takes_them_back() {
    let (_dir, mut lib, old) = library();
    correct_all(&mut lib, &old);
    let new = lib
        .import_bytes(REVISED_NAME, REVISED.as_bytes())
        .unwrap()
        .document_id;
    let before = lib.document(&new).unwrap();
    let report = lib.link_as_version(&new, &old).unwrap();
    assert_eq!(report.corrections_applied, 4);
    assert_corrected(&lib, &new);
    assert_eq!(lib.outline_corrections(&new).unwrap().len(), 4);
    let linked = lib.document(&new).unwrap();

    let undone = lib.undo().unwrap().unwrap();
    assert_eq!(undone.edit, "document.link_version");
    let back = lib.document(&new).unwrap();
    assert_eq!(back.outline, before.outline, "the outline as imported");
    assert_eq!(back.suggestions, before.suggestions);
    assert!(lib.outline_corrections(&new).unwrap().is_empty());

    lib.redo().unwrap().unwrap();
    let again = lib.document(&new).unwrap();
    assert_eq!(again.outline, linked.outline);
    assert_eq!(lib.outline_corrections(&new).unwrap().len(), 4);
}

#[test]
fn a_clause_a_workshop_decided_on_stays_a_clause_here_and_on_a_linked_version() {
    let (_dir, mut lib, old) = library();
    lib.promote_clause(&clause(&lib, &old, "2.1").id, None)
        .unwrap();
    let new = lib
        .import_bytes(REVISED_NAME, REVISED.as_bytes())
        .unwrap()
        .document_id;
    // In the revision, a workshop has decided on 2.1 before it is linked.
    let session = lib
        .start_workshop(&new, "Genomgång", Some("2026-11-20"), vec![])
        .unwrap();
    let c21 = clause(&lib, &new, "2.1");
    lib.record_decision(
        &session.id,
        &c21.id,
        kryphal_domain::DecisionKind::Adopt,
        "",
    )
    .unwrap();
    let e = lib.promote_clause(&c21.id, None).unwrap_err();
    assert_eq!(
        e.message,
        "A workshop recorded a decision or a note on “Definitioner › p. 2.1”, so it cannot become a heading."
    );
    let report = lib.link_as_version(&new, &old).unwrap();
    assert_eq!(report.corrections_applied, 0);
    assert_eq!(
        report
            .corrections_skipped
            .iter()
            .map(|s| s.reason)
            .collect::<Vec<_>>(),
        [SkipReason::HasFindings]
    );
    assert_eq!(
        clause(&lib, &new, "2.1").id,
        c21.id,
        "2.1 is still a clause"
    );
}
