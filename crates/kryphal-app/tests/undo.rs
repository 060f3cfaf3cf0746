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

// ---- Issue 22: a verdict for every clause, the final mark, deleting a document ----

mod verdicts_and_deletion {
    use super::*;
    use kryphal_app::{ErrorCode, SearchQuery};
    use kryphal_domain::{Verdict, VerdictKind};

    fn verdict_of(lib: &Library, doc: &str, clause: &str) -> VerdictKind {
        lib.clause_verdicts(doc)
            .unwrap()
            .into_iter()
            .find(|v| v.clause_id == clause)
            .unwrap()
            .verdict
    }

    #[test]
    fn a_section_checked_in_bulk_counts_every_clause_and_undoes_in_one_step() {
        let (_dir, mut lib, doc) = library();
        lib.set_undo_coalescing(std::time::Duration::ZERO);
        let view = lib.document(&doc).unwrap();
        let before = view.coverage.clone();
        assert_eq!(before.clauses as usize, view.outline.clauses.len());
        // The section with the most clauses directly under it.
        let section = view
            .outline
            .sections
            .iter()
            .max_by_key(|s| {
                view.outline
                    .clauses
                    .iter()
                    .filter(|c| c.section_id.as_deref() == Some(s.id.as_str()))
                    .count()
            })
            .unwrap()
            .clone();
        let report = lib
            .set_section_verdict(&section.id, Some(Verdict::Checked))
            .unwrap();
        assert!(report.verdicts.len() >= 2, "{report:?}");
        for v in &report.verdicts {
            assert!(matches!(
                v.verdict,
                VerdictKind::Checked | VerdictKind::Risk
            ));
            assert_eq!(v.by.as_deref(), Some("anna"));
        }
        let checked = report.verdicts.len() - report.skipped.len();
        assert_eq!(
            report.coverage.decided(),
            before.decided() + checked as u32,
            "coverage counts the verdicts"
        );
        // Audited per clause.
        let first = &report.verdicts[0].clause_id;
        if report.skipped.iter().all(|s| &s.clause_id != first) {
            let h = lib.history(Some(first)).unwrap();
            assert!(h.iter().any(|e| e.action == "clause.verdict"), "{h:?}");
        }
        let r = lib.undo().unwrap().unwrap();
        assert_eq!(r.edit, "clause.verdict");
        assert_eq!(lib.coverage(&doc).unwrap().decided(), before.decided());
        lib.redo().unwrap();
        assert_eq!(
            lib.coverage(&doc).unwrap().decided(),
            before.decided() + checked as u32
        );
    }

    #[test]
    fn a_clause_with_findings_stays_a_risk_and_not_a_rule_takes_its_suggestions_out_of_screening() {
        let (_dir, mut lib, doc) = library();
        lib.screen(&doc).unwrap();
        let view = lib.document(&doc).unwrap();
        let flagged = view
            .suggestions
            .iter()
            .find(|s| matches!(s.state, SuggestionState::Open))
            .expect("the sample has an open suggestion")
            .clause_id
            .clone();
        let report = lib
            .set_verdicts(std::slice::from_ref(&flagged), Some(Verdict::NotARule))
            .unwrap();
        assert!(report.suggestions_removed > 0);
        assert_eq!(verdict_of(&lib, &doc, &flagged), VerdictKind::NotARule);
        // Screening again does not bring them back while it is not a rule.
        lib.screen(&doc).unwrap();
        let open_on = |lib: &Library| {
            lib.document(&doc)
                .unwrap()
                .suggestions
                .iter()
                .filter(|s| s.clause_id == flagged && matches!(s.state, SuggestionState::Open))
                .count()
        };
        assert_eq!(open_on(&lib), 0);
        // A rule again: screened again.
        let back = lib
            .set_verdicts(std::slice::from_ref(&flagged), Some(Verdict::Checked))
            .unwrap();
        assert!(back.suggestions_added > 0);
        assert!(open_on(&lib) > 0);

        // Findings make a risk; a verdict by hand is refused for it (skipped).
        let c = clause(&lib, &doc, "4.5");
        lib.add_finding(&c, FindingInput::default()).unwrap();
        let r = lib
            .set_verdicts(std::slice::from_ref(&c), Some(Verdict::Checked))
            .unwrap();
        assert_eq!(r.skipped.len(), 1);
        assert_eq!(r.skipped[0].reason, "has_findings");
        assert_eq!(verdict_of(&lib, &doc, &c), VerdictKind::Risk);
    }

    #[test]
    fn final_is_refused_with_a_sentence_until_every_clause_has_a_verdict_and_no_suggestion_is_open()
    {
        let (_dir, mut lib, doc) = library();
        let err = lib.mark_final(&doc).unwrap_err();
        assert_eq!(err.code, ErrorCode::Incomplete);
        assert!(
            err.message.contains("have no verdict yet"),
            "{}",
            err.message
        );
        // Decide every suggestion, give every clause a verdict.
        for s in lib.document(&doc).unwrap().suggestions {
            if matches!(s.state, SuggestionState::Open) {
                lib.dismiss_suggestion(&s.id, "Inte relevant här.").unwrap();
            }
        }
        let ids: Vec<String> = lib
            .clause_verdicts(&doc)
            .unwrap()
            .into_iter()
            .filter(|v| v.verdict == VerdictKind::None)
            .map(|v| v.clause_id)
            .collect();
        lib.set_verdicts(&ids, Some(Verdict::Checked)).unwrap();
        let coverage = lib.mark_final(&doc).unwrap();
        assert!(coverage.is_final());
        assert_eq!(coverage.none, 0);
        assert_eq!(coverage.decided(), coverage.clauses);
        assert_eq!(coverage.final_mark.as_ref().unwrap().by, "anna");
        assert!(
            lib.documents()
                .unwrap()
                .iter()
                .any(|d| d.id == doc && d.is_final)
        );
        assert!(
            lib.history(Some(&doc))
                .unwrap()
                .iter()
                .any(|e| e.action == "document.final")
        );
        // A new finding-less clause verdict taken away: no longer complete, the mark does not hold.
        lib.set_verdicts(&ids[..1], None).unwrap();
        assert!(!lib.coverage(&doc).unwrap().is_final());
    }

    #[test]
    fn a_deleted_document_takes_its_rows_and_search_entries_and_comes_back_with_undo() {
        let (_dir, mut lib, doc) = library();
        let c = clause(&lib, &doc, "4.5");
        let f = lib
            .add_finding(
                &c,
                FindingInput {
                    unintended_consequence: "Zebrafinken betalas ut två gånger.".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        let query = SearchQuery {
            query: "zebrafinken".into(),
            filters: vec![],
            limit: None,
        };
        assert!(!lib.search(&query).unwrap().hits.is_empty());
        let preview = lib.deletion_preview(&doc).unwrap();
        assert_eq!(preview.findings, 1);
        assert!(preview.clauses > 0);
        let gone = lib.delete_document(&doc).unwrap();
        assert_eq!(gone, preview);
        assert!(lib.documents().unwrap().iter().all(|d| d.id != doc));
        assert!(lib.finding(&f.id).is_err());
        assert!(
            lib.search(&query).unwrap().hits.is_empty(),
            "the search forgets it"
        );
        assert!(
            lib.history(Some(&doc))
                .unwrap()
                .iter()
                .any(|e| e.action == "document.delete")
        );

        let r = lib.undo().unwrap().unwrap();
        assert_eq!(r.edit, "document.delete");
        assert_eq!(
            lib.finding(&f.id).unwrap().input.unintended_consequence,
            "Zebrafinken betalas ut två gånger."
        );
        assert_eq!(
            lib.document(&doc).unwrap().outline.clauses.len() as u32,
            preview.clauses
        );
        assert!(
            !lib.search(&query).unwrap().hits.is_empty(),
            "found again after the undo"
        );
        lib.redo().unwrap();
        assert!(lib.document(&doc).is_err());
    }
}
