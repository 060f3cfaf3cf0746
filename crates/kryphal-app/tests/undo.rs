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
    // Every change its own step here; coalescing is tested below.
    lib.set_undo_coalescing(std::time::Duration::ZERO);
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
}

/// The outline as (id, section, text) in document order, sections included.
fn outline_rows(lib: &Library, doc: &str) -> Vec<String> {
    let o = lib.document(doc).unwrap().outline;
    let mut rows: Vec<(u32, String)> = o
        .sections
        .iter()
        .map(|s| (s.position, format!("section {}", s.id)))
        .chain(o.clauses.iter().map(|c| {
            (
                c.position,
                format!(
                    "clause {} in {:?} «{}» {}",
                    c.id, c.section_id, c.number, c.text
                ),
            )
        }))
        .collect();
    rows.sort();
    rows.into_iter().map(|(_, r)| r).collect()
}

#[test]
fn a_merge_across_a_section_heading_undoes_to_the_same_outline_and_owners() {
    let (_dir, mut lib, doc) = library();
    // 3.8 is the last clause of chapter 3; 4.1 opens "Ekonomi och ledning".
    let last = clause(&lib, &doc, "3.8");
    let next = clause(&lib, &doc, "4.1");
    let on_next = lib.add_finding(&next, FindingInput::default()).unwrap();
    let next_suggestions: Vec<String> = lib
        .document(&doc)
        .unwrap()
        .suggestions
        .into_iter()
        .filter(|s| s.clause_id == next)
        .map(|s| s.id)
        .collect();
    assert!(
        !next_suggestions.is_empty(),
        "4.1 has screening suggestions in the sample"
    );
    let before = outline_rows(&lib, &doc);

    lib.merge_with_next(&last).unwrap();
    assert_eq!(lib.finding(&on_next.id).unwrap().clause_id, last);
    let merged = lib.document(&doc).unwrap();
    assert!(merged.outline.clauses.iter().all(|c| c.id != next));
    for s in merged
        .suggestions
        .iter()
        .filter(|s| next_suggestions.contains(&s.id))
    {
        assert_eq!(s.clause_id, last, "the suggestion moved with its clause");
    }

    let r = lib.undo().unwrap().unwrap();
    assert_eq!(r.edit, "clause.merge");
    assert_eq!(outline_rows(&lib, &doc), before);
    assert_eq!(lib.finding(&on_next.id).unwrap().clause_id, next);
    let back = lib.document(&doc).unwrap();
    for id in &next_suggestions {
        let s = back.suggestions.iter().find(|s| &s.id == id).unwrap();
        assert_eq!(s.clause_id, next);
    }

    lib.redo().unwrap();
    assert!(
        lib.document(&doc)
            .unwrap()
            .outline
            .clauses
            .iter()
            .all(|c| c.id != next)
    );
    lib.undo().unwrap();
    assert_eq!(outline_rows(&lib, &doc), before);
}

#[test]
fn a_merge_inside_a_section_undoes_after_a_later_split_was_undone() {
    let (_dir, mut lib, doc) = library();
    let a = clause(&lib, &doc, "4.5");
    let b = clause(&lib, &doc, "4.6");
    let before = outline_rows(&lib, &doc);
    lib.merge_with_next(&a).unwrap();
    // An earlier clause split and put back shifts positions under the merge.
    let early = clause(&lib, &doc, "1.2");
    let text = lib.clause_text(&early).unwrap();
    lib.split_clause(&early, text.find("Nämnden prövar").unwrap())
        .unwrap();
    lib.undo().unwrap();
    lib.undo().unwrap();
    let after: Vec<String> = outline_rows(&lib, &doc);
    assert_eq!(after, before);
    assert!(after.iter().any(|r| r.contains(&format!("clause {b} "))));
}

#[test]
fn comments_undo_and_redo_with_their_author_and_time() {
    let (_dir, mut lib, doc) = library();
    let c = clause(&lib, &doc, "4.5");
    let f = lib.add_finding(&c, FindingInput::default()).unwrap();
    lib.add_comment(&f.id, "Kolla med juristen.").unwrap();
    let commented = lib.add_comment(&f.id, "Klart, se 4.6.").unwrap();
    let second = commented.comments[1].clone();
    assert_eq!(second.author, "anna");

    let r = lib.undo().unwrap().unwrap();
    assert_eq!(r.edit, "finding.comment");
    let now = lib.finding(&f.id).unwrap();
    assert_eq!(now.comments.len(), 1);
    assert_eq!(now.comments[0].text, "Kolla med juristen.");

    lib.redo().unwrap();
    assert_eq!(lib.finding(&f.id).unwrap().comments[1], second);
    // The audit trail has the comment, its removal and its return.
    let actions: Vec<String> = lib
        .history(Some(&f.id))
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| a.as_str() == "finding.uncomment")
            .count(),
        1
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| a.as_str() == "finding.comment")
            .count(),
        3
    );
}

#[test]
fn a_burst_of_autosaves_to_one_finding_is_one_undo_step() {
    let (_dir, mut lib, doc) = library();
    let c = clause(&lib, &doc, "4.5");
    let f = lib.add_finding(&c, FindingInput::default()).unwrap();
    for text in ["G", "Gam", "Gamla utd", "Gamla utdrag godtas."] {
        lib.update_finding(
            &f.id,
            FindingInput {
                unintended_consequence: text.into(),
                ..Default::default()
            },
        )
        .unwrap();
    }
    let r = lib.undo().unwrap().unwrap();
    assert_eq!(r.edit, "finding.update");
    assert_eq!(lib.finding(&f.id).unwrap().input, FindingInput::default());
    assert_eq!(r.redo_left, 1);
    lib.redo().unwrap();
    assert_eq!(
        lib.finding(&f.id).unwrap().input.unintended_consequence,
        "Gamla utdrag godtas."
    );

    // Another finding's change in between keeps the steps apart.
    let g = lib.add_finding(&c, FindingInput::default()).unwrap();
    let text = |t: &str| FindingInput {
        unintended_consequence: t.into(),
        ..Default::default()
    };
    lib.update_finding(&f.id, text("ett")).unwrap();
    lib.update_finding(&g.id, text("två")).unwrap();
    lib.update_finding(&f.id, text("tre")).unwrap();
    lib.undo().unwrap();
    assert_eq!(
        lib.finding(&f.id).unwrap().input.unintended_consequence,
        "ett"
    );
}

#[test]
fn a_rating_just_before_typing_is_its_own_undo_step() {
    // The analyst picks a cell of the risk grid and starts typing the
    // proposed wording at once: one Ctrl+Z takes back the typing only.
    let (_dir, mut lib, doc) = library();
    let c = clause(&lib, &doc, "4.5");
    let f = lib.add_finding(&c, FindingInput::default()).unwrap();
    let rated = FindingInput {
        likelihood: Some(3),
        impact: Some(4),
        ..Default::default()
    };
    lib.update_finding(&f.id, rated.clone()).unwrap();
    for text in ["Utdraget", "Utdraget får vara högst en månad gammalt."] {
        lib.update_finding(
            &f.id,
            FindingInput {
                proposed_wording: text.into(),
                ..rated.clone()
            },
        )
        .unwrap();
    }
    lib.undo().unwrap();
    let now = lib.finding(&f.id).unwrap();
    assert_eq!(now.input.proposed_wording, "", "the typing is undone");
    assert_eq!(
        (now.input.likelihood, now.input.impact),
        (Some(3), Some(4)),
        "the rating made before the typing stays"
    );
    lib.undo().unwrap();
    assert_eq!(lib.finding(&f.id).unwrap().input, FindingInput::default());

    // Typing on in the same field after a pause of less than the window,
    // and changing the rating again, are told apart the same way.
    lib.redo().unwrap();
    lib.redo().unwrap();
    lib.update_finding(
        &f.id,
        FindingInput {
            likelihood: Some(1),
            proposed_wording: "Utdraget får vara högst en månad gammalt.".into(),
            ..rated.clone()
        },
    )
    .unwrap();
    lib.undo().unwrap();
    let now = lib.finding(&f.id).unwrap();
    assert_eq!(now.input.likelihood, Some(3));
    assert_eq!(
        now.input.proposed_wording,
        "Utdraget får vara högst en månad gammalt."
    );
}

#[test]
fn the_library_list_counts_open_suggestions_and_findings_by_level() {
    let (_dir, mut lib, doc) = library();
    let summary = |lib: &Library| {
        lib.documents()
            .unwrap()
            .into_iter()
            .find(|d| d.id == doc)
            .unwrap()
    };
    let open = lib
        .document(&doc)
        .unwrap()
        .suggestions
        .iter()
        .filter(|s| s.state == SuggestionState::Open)
        .count() as u32;
    assert!(open > 0);
    assert_eq!(summary(&lib).open_suggestion_count, open);
    assert!(summary(&lib).findings_by_level.is_empty());

    let s = lib.document(&doc).unwrap().suggestions[0].clone();
    lib.dismiss_suggestion(&s.id, "inte relevant").unwrap();
    assert_eq!(summary(&lib).open_suggestion_count, open - 1);

    let c = clause(&lib, &doc, "4.5");
    let rate = |l: u8, i: u8| FindingInput {
        likelihood: Some(l),
        impact: Some(i),
        ..Default::default()
    };
    lib.add_finding(&c, rate(3, 4)).unwrap();
    lib.add_finding(&c, rate(3, 4)).unwrap();
    lib.add_finding(&c, rate(1, 1)).unwrap();
    lib.add_finding(&c, FindingInput::default()).unwrap();
    let levels: Vec<(String, u32)> = summary(&lib)
        .findings_by_level
        .into_iter()
        .map(|l| (l.level, l.count))
        .collect();
    assert_eq!(levels, vec![("very_high".into(), 2), ("low".into(), 1)]);
    assert_eq!(summary(&lib).finding_count, 4);
}
