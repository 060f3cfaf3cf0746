//! Undo and redo through the core, on a real library file.

use kryphal_app::Library;
use kryphal_domain::{DocumentMeta, FindingInput, SuggestionState};

fn library() -> (tempfile::TempDir, Library, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("lib.kryphal"), "anna").unwrap();
    assert!(lib.ensure_sample().unwrap());
    let doc = lib.documents().unwrap()[0].id.clone();
    (dir, lib, doc)
}

fn clause(lib: &Library, doc: &str, number: &str) -> String {
    let view = lib.document(doc).unwrap();
    view.outline
        .clauses
        .iter()
        .find(|c| c.number == number)
        .unwrap()
        .id
        .clone()
}

#[test]
fn finding_edits_undo_and_redo_in_order() {
    let (_dir, mut lib, doc) = library();
    let c = clause(&lib, &doc, "4.5");
    let f = lib.add_finding(&c, FindingInput::default()).unwrap();
    let first = FindingInput {
        unintended_consequence: "Gamla utdrag godtas.".into(),
        ..Default::default()
    };
    lib.update_finding(&f.id, first.clone()).unwrap();
    let second = FindingInput {
        likelihood: Some(3),
        impact: Some(4),
        ..first.clone()
    };
    lib.update_finding(&f.id, second.clone()).unwrap();

    let r = lib.undo().unwrap().unwrap();
    assert_eq!(
        (r.direction.as_str(), r.edit.as_str()),
        ("undo", "finding.update")
    );
    assert_eq!(lib.finding(&f.id).unwrap().input, first);
    lib.undo().unwrap();
    assert_eq!(lib.finding(&f.id).unwrap().input, FindingInput::default());
    let r = lib.undo().unwrap().unwrap();
    assert_eq!(r.edit, "finding.create");
    assert!(lib.finding(&f.id).is_err());
    assert_eq!(r.undo_left, 0);
    assert_eq!(r.redo_left, 3);
    assert!(lib.undo().unwrap().is_none());

    lib.redo().unwrap();
    lib.redo().unwrap();
    lib.redo().unwrap();
    let back = lib.finding(&f.id).unwrap();
    assert_eq!(back.input, second);
    assert_eq!(back.risk_level.as_deref(), Some("very_high"));
    assert!(lib.redo().unwrap().is_none());

    // A new edit after an undo ends the redo history.
    lib.undo().unwrap();
    lib.update_finding(&f.id, FindingInput::default()).unwrap();
    assert!(lib.redo().unwrap().is_none());
}

#[test]
fn deleting_a_finding_can_be_undone_with_its_id_and_answers() {
    let (_dir, mut lib, doc) = library();
    let c = clause(&lib, &doc, "4.4");
    let input = FindingInput {
        crime_types: vec!["BED".into()],
        ..Default::default()
    };
    let f = lib.add_finding(&c, input.clone()).unwrap();
    lib.delete_finding(&f.id).unwrap();
    lib.undo().unwrap();
    let back = lib.finding(&f.id).unwrap();
    assert_eq!(back.input, input);
    assert_eq!(back.clause_id, c);
}

#[test]
fn metadata_suggestions_and_splits_undo_too() {
    let (_dir, mut lib, doc) = library();
    let before = lib.resolve_document(&doc).unwrap().meta;
    lib.update_metadata(
        &doc,
        DocumentMeta {
            dnr: "VON 2099/1".into(),
            ..before.clone()
        },
    )
    .unwrap();
    lib.undo().unwrap();
    assert_eq!(lib.resolve_document(&doc).unwrap().meta, before);

    let s = lib.document(&doc).unwrap().suggestions[0].clone();
    lib.dismiss_suggestion(&s.id, "inte relevant").unwrap();
    lib.undo().unwrap();
    let now = lib
        .document(&doc)
        .unwrap()
        .suggestions
        .into_iter()
        .find(|x| x.id == s.id)
        .unwrap();
    assert_eq!(now.state, SuggestionState::Open);

    let f = lib.accept_suggestion(&s.id).unwrap();
    let r = lib.undo().unwrap().unwrap();
    assert_eq!(r.edit, "suggestion.accept");
    assert!(lib.finding(&f.id).is_err());
    let now = lib
        .document(&doc)
        .unwrap()
        .suggestions
        .into_iter()
        .find(|x| x.id == s.id)
        .unwrap();
    assert_eq!(now.state, SuggestionState::Open);
    lib.redo().unwrap();
    assert_eq!(
        lib.finding(&f.id).unwrap().suggestion_id.as_deref(),
        Some(s.id.as_str())
    );

    let c = clause(&lib, &doc, "4.5");
    let text = lib.clause_text(&c).unwrap();
    let count = lib.document(&doc).unwrap().outline.clauses.len();
    let at = text.find("Utdraget får").unwrap();
    lib.split_clause(&c, at).unwrap();
    assert_eq!(lib.document(&doc).unwrap().outline.clauses.len(), count + 1);
    lib.undo().unwrap();
    assert_eq!(lib.clause_text(&c).unwrap(), text);
    assert_eq!(lib.document(&doc).unwrap().outline.clauses.len(), count);
    lib.redo().unwrap();
    assert_eq!(lib.document(&doc).unwrap().outline.clauses.len(), count + 1);

    // A merge ends the undo history rather than undoing around it.
    lib.merge_with_next(&c).unwrap();
    assert!(lib.undo().unwrap().is_none());
}
