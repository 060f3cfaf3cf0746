//! The library file on a real SQLite database in a temporary folder.

use std::path::Path;

use kryphal_domain::*;
use kryphal_store::{APPLICATION_ID, LATEST_VERSION, Store, StoreError};

mod common;
use common::{document, stamp};

fn outline() -> Outline {
    Outline {
        sections: vec![Section {
            id: "s1".into(),
            parent_id: None,
            level: 1,
            number: "4.".into(),
            title: "Krav".into(),
            position: 0,
        }],
        clauses: vec![
            Clause {
                id: "c1".into(),
                section_id: Some("s1".into()),
                number: "4.1".into(),
                label: "Krav › p. 4.1".into(),
                kind: ClauseKind::Numbered,
                text: "Utdraget får vara högst ett år gammalt.".into(),
                position: 1,
            },
            Clause {
                id: "c2".into(),
                section_id: Some("s1".into()),
                number: "a)".into(),
                label: "Krav › p. 4.1 a)".into(),
                kind: ClauseKind::ListItem,
                text: "första punkten".into(),
                position: 2,
            },
        ],
    }
}

fn finding(id: &str, clause: &str) -> Finding {
    Finding {
        id: id.into(),
        document_id: "d1".into(),
        clause_id: clause.into(),
        input: FindingInput {
            unintended_consequence: "Gamla utdrag godtas.".into(),
            crime_types: vec!["BED".into()],
            likelihood: Some(3),
            impact: Some(2),
            ..Default::default()
        },
        risk_level: None,
        comments: vec![],
        suggestion_id: None,
        created_at: "2026-11-23T10:01:00Z".into(),
        created_by: "anna".into(),
        updated_at: "2026-11-23T10:01:00Z".into(),
        updated_by: "anna".into(),
    }
}

fn seeded(path: &Path) -> Store {
    let mut store = Store::open(path).unwrap();
    store
        .insert_document(
            &stamp("2026-11-23T10:00:00Z"),
            &document("d1"),
            "d1",
            b"abc",
            &outline(),
        )
        .unwrap();
    store
}

#[test]
fn a_new_library_is_created_with_its_folder_in_wal_mode_and_marked_as_ours() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep/er/lib.kryphal");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    drop(store);
    let conn = rusqlite_probe(&path);
    assert_eq!(conn.0, APPLICATION_ID);
    assert_eq!(conn.1, LATEST_VERSION);
    assert_eq!(conn.2, "wal");
}

/// (application_id, user_version, journal_mode) read with a plain SQLite connection.
fn rusqlite_probe(path: &Path) -> (i32, i64, String) {
    let c = rusqlite::Connection::open(path).unwrap();
    (
        c.pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap(),
        c.pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap(),
        c.pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap(),
    )
}

#[test]
fn documents_outlines_and_findings_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.kryphal");
    {
        let mut store = seeded(&path);
        store
            .insert_finding(&stamp("2026-11-23T10:01:00Z"), &finding("f1", "c1"))
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let docs = store.documents().unwrap();
    assert_eq!(docs, vec![document("d1")]);
    assert_eq!(store.outline("d1").unwrap(), outline());
    assert_eq!(store.source_bytes("d1").unwrap(), b"abc");
    assert_eq!(
        store.document_by_sha256("d1-sha").unwrap().as_deref(),
        Some("d1")
    );
    let findings = store.findings("d1").unwrap();
    assert_eq!(findings, vec![finding("f1", "c1")]);
    assert_eq!(
        store.clause_documents("c1").unwrap(),
        vec!["d1".to_string()]
    );
}

#[test]
fn every_change_is_audited_with_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = seeded(&dir.path().join("lib.kryphal"));
    store
        .insert_finding(&stamp("2026-11-23T10:01:00Z"), &finding("f1", "c1"))
        .unwrap();
    let mut changed = finding("f1", "c1").input;
    changed.likelihood = Some(4);
    changed.status = FindingStatus::Reviewed;
    let after = store
        .update_finding(&stamp("2026-11-23T10:02:00Z"), "f1", &changed)
        .unwrap();
    assert_eq!(after.input, changed);
    assert_eq!(after.updated_at, "2026-11-23T10:02:00Z");
    // An update that changes nothing records nothing.
    store
        .update_finding(&stamp("2026-11-23T10:03:00Z"), "f1", &changed)
        .unwrap();
    store
        .delete_finding(&stamp("2026-11-23T10:04:00Z"), "f1")
        .unwrap();

    let all = store.audit(None).unwrap();
    let actions: Vec<&str> = all.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "document.import",
            "finding.create",
            "finding.update",
            "finding.delete"
        ]
    );
    let update = &store.audit(Some("f1")).unwrap()[1];
    assert_eq!(update.actor, "anna");
    assert_eq!(update.at, "2026-11-23T10:02:00Z");
    assert_eq!(update.before.as_ref().unwrap()["likelihood"], 3);
    assert_eq!(update.after.as_ref().unwrap()["likelihood"], 4);
    assert_eq!(update.after.as_ref().unwrap()["status"], "reviewed");
    assert!(matches!(
        store.finding("f1"),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn a_failed_change_leaves_no_trace_not_even_in_the_audit_trail() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = seeded(&dir.path().join("lib.kryphal"));
    // The clause does not exist: the foreign key refuses the finding.
    let err = store.insert_finding(&stamp("2026-11-23T10:01:00Z"), &finding("f9", "nope"));
    assert!(err.is_err());
    assert!(store.findings("d1").unwrap().is_empty());
    assert_eq!(store.audit(None).unwrap().len(), 1);
    // Importing the same document id twice fails whole: no duplicate sections or clauses.
    let again = store.insert_document(&stamp("x"), &document("d1"), "d1", b"abc", &outline());
    assert!(again.is_err());
    assert_eq!(store.outline("d1").unwrap(), outline());
}

fn sha(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn a_library_from_a_newer_version_is_refused_and_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.kryphal");
    drop(seeded(&path));
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = sha(&path);
    let err = Store::open(&path)
        .err()
        .expect("a newer library must be refused");
    assert!(matches!(err, StoreError::NewerSchema { .. }), "{err}");
    assert!(
        err.to_string().contains("newer version of Kryphål"),
        "{err}"
    );
    assert_eq!(sha(&path), before, "the file was changed");
    assert!(!dir.path().join("lib.kryphal-wal").exists());
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.kryphal");
    let junk: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&path, &junk).unwrap();
    let err = Store::open(&path).err().expect("junk must be refused");
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    assert!(err.to_string().contains("not a Kryphål library"), "{err}");
    assert_eq!(sha(&path), junk);
}

#[test]
fn another_programs_database_is_refused_and_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let before = sha(&path);
    let err = Store::open(&path)
        .err()
        .expect("a foreign database must be refused");
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    assert_eq!(sha(&path), before);
}

#[test]
fn a_folder_or_an_unwritable_place_is_refused_with_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open(dir.path()).err().unwrap();
    assert!(matches!(err, StoreError::IsDirectory { .. }), "{err}");
    // /proc refuses new files even for root.
    let err = Store::open(Path::new("/proc/kryphal-test/lib.kryphal"))
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    assert!(err.to_string().contains("cannot be written"), "{err}");
}

#[test]
fn settings_are_kept_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("lib.kryphal")).unwrap();
    assert_eq!(store.setting("k").unwrap(), None);
    store.set_setting(&stamp("t1"), "k", "v1").unwrap();
    store.set_setting(&stamp("t2"), "k", "v2").unwrap();
    assert_eq!(store.setting("k").unwrap().as_deref(), Some("v2"));
    let trail = store.audit(Some("k")).unwrap();
    assert_eq!(trail.len(), 2);
    assert_eq!(trail[1].before, Some(serde_json::json!("v1")));
}

#[test]
fn splitting_a_clause_keeps_its_findings_and_shifts_what_follows() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = seeded(&dir.path().join("lib.kryphal"));
    store
        .insert_finding(&stamp("t1"), &finding("f1", "c1"))
        .unwrap();
    let second = Clause {
        id: "c1b".into(),
        section_id: None,
        number: String::new(),
        label: "Krav › p. 4.1 st. 2".into(),
        kind: ClauseKind::Paragraph,
        text: "ett år gammalt.".into(),
        position: 0,
    };
    let inserted = store
        .split_clause(&stamp("t2"), "d1", "c1", "Utdraget får vara högst", &second)
        .unwrap();
    assert_eq!(inserted.position, 2);
    assert_eq!(inserted.section_id.as_deref(), Some("s1"));
    let o = store.outline("d1").unwrap();
    let order: Vec<(&str, u32, &str)> = o
        .clauses
        .iter()
        .map(|c| (c.id.as_str(), c.position, c.text.as_str()))
        .collect();
    assert_eq!(
        order,
        [
            ("c1", 1, "Utdraget får vara högst"),
            ("c1b", 2, "ett år gammalt."),
            ("c2", 3, "första punkten")
        ]
    );
    assert_eq!(store.finding("f1").unwrap().clause_id, "c1");
    let ev = store.audit(Some("c1")).unwrap();
    assert_eq!(ev.last().unwrap().action, "clause.split");
    assert_eq!(
        ev.last().unwrap().before.as_ref().unwrap()["text"],
        "Utdraget får vara högst ett år gammalt."
    );
}

#[test]
fn merging_clauses_moves_the_findings_of_the_second_to_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = seeded(&dir.path().join("lib.kryphal"));
    store
        .insert_finding(&stamp("t1"), &finding("f1", "c1"))
        .unwrap();
    store
        .insert_finding(&stamp("t1"), &finding("f2", "c2"))
        .unwrap();
    store
        .merge_clauses(&stamp("t2"), "d1", "c1", "c2", "Utdraget … första punkten")
        .unwrap();
    let o = store.outline("d1").unwrap();
    assert_eq!(o.clauses.len(), 1);
    assert_eq!(o.clauses[0].text, "Utdraget … första punkten");
    let on_first: Vec<String> = store
        .findings("d1")
        .unwrap()
        .into_iter()
        .map(|f| format!("{}@{}", f.id, f.clause_id))
        .collect();
    assert_eq!(on_first, ["f1@c1", "f2@c1"]);
    assert!(matches!(
        store.merge_clauses(&stamp("t3"), "d1", "c1", "c2", "x"),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn a_version_1_library_is_upgraded_to_the_latest_schema_keeping_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.kryphal");
    {
        // A library as the first release wrote it: schema 1 only.
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(include_str!("../migrations/0001_init.sql"))
            .unwrap();
        c.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        c.execute(
            "INSERT INTO library_meta (key, value) VALUES ('sample_offered', 'yes')",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.setting("sample_offered").unwrap().as_deref(),
        Some("yes")
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
    drop(store);
    assert_eq!(rusqlite_probe(&path).1, LATEST_VERSION);
    const { assert!(LATEST_VERSION >= 2) };
    let c = rusqlite::Connection::open(&path).unwrap();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'workshop_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // Schema 2 made sessions, judgements and decisions; schema 5 the facilitator's notes.
    assert_eq!(
        tables,
        [
            "workshop_decisions",
            "workshop_judgements",
            "workshop_notes",
            "workshop_sessions"
        ]
    );
}

#[test]
fn a_new_version_is_stored_whole_or_not_at_all() {
    use kryphal_domain::{CarryOver, CarryState, VersionLink};
    use kryphal_store::{NewDocument, NewVersion};
    let dir = tempfile::tempdir().unwrap();
    let mut store = seeded(&dir.path().join("lib.kryphal"));
    let trail = store.audit(None).unwrap().len();
    let link = VersionLink {
        document_id: "d2".into(),
        family_id: "d1".into(),
        previous_id: Some("d1".into()),
        number: 2,
    };
    let carry = |clause: &str| CarryOver {
        document_id: "d2".into(),
        from_document_id: "d1".into(),
        from_finding_id: "f1".into(),
        from_clause_id: "c1".into(),
        from_label: "Krav › p. 4.1".into(),
        from_text: "text".into(),
        finding_id: Some("f2".into()),
        clause_id: Some(clause.into()),
        state: CarryState::Carried,
        resolved_at: None,
        resolved_by: None,
    };
    let doc = document("d2");
    let outline = outline();
    let store_it = |store: &mut Store, clause: &str| {
        let f = Finding {
            document_id: "d2".into(),
            ..finding("f2", clause)
        };
        store.insert_version(
            &stamp("2026-11-23T11:00:00Z"),
            &NewVersion {
                document: Some(NewDocument {
                    document: &doc,
                    lineage: "d2",
                    source_bytes: b"abcd",
                    outline: &outline,
                    suggestions: &[],
                }),
                link: &link,
                findings: &[f],
                suggestion_updates: &[],
                carryovers: &[carry(clause)],
                outline_diff: None,
                corrections: &[],
            },
        )
    };
    // A finding placed on a clause the new version lacks fails the whole write.
    assert!(store_it(&mut store, "no-such-clause").is_err());
    assert_eq!(store.documents().unwrap().len(), 1);
    assert!(store.version_links().unwrap().is_empty());
    assert_eq!(store.audit(None).unwrap().len(), trail);

    store_it(&mut store, "c1").unwrap();
    assert_eq!(store.version_link("d2").unwrap(), Some(link.clone()));
    assert_eq!(store.next_versions("d1").unwrap(), vec!["d2".to_string()]);
    assert_eq!(store.carryovers("d2").unwrap(), vec![carry("c1")]);
    assert_eq!(store.findings("d2").unwrap().len(), 1);
    let events = store.audit(None).unwrap();
    assert_eq!(events.len(), trail + 1);
    assert!(events.iter().any(|e| e.action == "document.new_version"));
}

fn open_suggestion(id: &str, clause: &str) -> Suggestion {
    Suggestion {
        id: id.into(),
        document_id: "d1".into(),
        clause_id: clause.into(),
        rule_id: "inaktuellt".into(),
        category: "kontroll".into(),
        message: "Utdraget kan vara gammalt.".into(),
        rationale: "Ett gammalt utdrag visar inte nya domar.".into(),
        crime_types: vec!["BED".into()],
        spans: vec![],
        state: SuggestionState::Open,
        scope: Default::default(),
        why: String::new(),
        consequence: String::new(),
        proposal: String::new(),
        also: Vec::new(),
    }
}

#[test]
fn a_document_and_its_first_screening_are_stored_together_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("lib.kryphal")).unwrap();
    let rulebook = document("d1").rulebook;
    // The second suggestion repeats the first one's id: the whole import fails,
    // and the document is not left behind without its suggestions.
    let clash = [open_suggestion("s1", "c1"), open_suggestion("s1", "c2")];
    let err = store.insert_screened_document(
        &stamp("2026-11-23T10:00:00Z"),
        &document("d1"),
        "d1",
        b"abc",
        &outline(),
        &rulebook,
        &clash,
    );
    assert!(err.is_err());
    assert!(store.documents().unwrap().is_empty());
    assert!(store.audit(None).unwrap().is_empty());

    let good = [open_suggestion("s1", "c1"), open_suggestion("s2", "c2")];
    let open = store
        .insert_screened_document(
            &stamp("2026-11-23T10:00:00Z"),
            &document("d1"),
            "d1",
            b"abc",
            &outline(),
            &rulebook,
            &good,
        )
        .unwrap();
    assert_eq!(open, 2);
    assert_eq!(store.suggestions("d1").unwrap(), good.to_vec());
    let actions: Vec<String> = store
        .audit(None)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["document.import", "document.screen"]);
}

/// The outline with 4.1 a) made a heading of its own (what promoting it does to the rows).
fn promoted() -> Outline {
    let mut o = outline();
    o.clauses.pop();
    o.sections.push(Section {
        id: "s2".into(),
        parent_id: Some("s1".into()),
        level: 2,
        number: "a)".into(),
        title: "första punkten".into(),
        position: 2,
    });
    o
}

fn correction(id: &str) -> OutlineCorrection {
    OutlineCorrection {
        id: id.into(),
        document_id: "d1".into(),
        change: OutlineChange::Promote {
            clause: TextKey {
                text: "första punkten".into(),
                occurrence: 1,
            },
            level: 2,
            number: "a)".into(),
            title: "första punkten".into(),
        },
        label: "Krav › p. 4.1 a)".into(),
        made_by: "anna".into(),
        made_at: "2026-11-23T10:02:00Z".into(),
        carried_from: None,
    }
}

/// Promoting 4.1 a) as the store is asked to write it.
fn write<'a>(
    diff: &'a kryphal_store::OutlineDiff,
    c: &'a OutlineCorrection,
) -> kryphal_store::OutlineWrite<'a> {
    kryphal_store::OutlineWrite {
        action: "outline.promote",
        entity: "clause",
        entity_id: "c2",
        before: None,
        after: Some(serde_json::json!({"correction": c.id})),
        diff,
        record: Some(c),
        forget: None,
        suggestions: &[],
    }
}

#[test]
fn an_outline_correction_is_stored_whole_with_its_event_or_not_at_all() {
    use kryphal_store::{OutlineDiff, OutlineWrite};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.kryphal");
    let mut store = seeded(&path);
    let diff = OutlineDiff::between(&outline(), &promoted());
    assert_eq!(diff.clauses_removed.len(), 1);
    assert_eq!(diff.sections_added.len(), 1);

    // A diff that expects another text than the stored one (changed meanwhile)
    // is refused whole: no row, no correction, no event.
    let mut stale = diff.clone();
    stale.clauses_removed[0].text = "en annan text".into();
    let err = store
        .correct_outline(
            &stamp("2026-11-23T10:02:00Z"),
            "d1",
            &write(&stale, &correction("oc-1")),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Stale { .. }), "{err}");
    assert_eq!(store.outline("d1").unwrap(), outline());
    assert!(store.outline_corrections("d1").unwrap().is_empty());
    assert_eq!(store.audit(None).unwrap().len(), 1);

    store
        .correct_outline(
            &stamp("2026-11-23T10:02:00Z"),
            "d1",
            &write(&diff, &correction("oc-1")),
        )
        .unwrap();
    drop(store);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.outline("d1").unwrap(), promoted());
    assert_eq!(
        store.outline_corrections("d1").unwrap(),
        vec![correction("oc-1")]
    );
    let event = store.audit(None).unwrap().pop().unwrap();
    assert_eq!(
        (
            event.action.as_str(),
            event.entity_id.as_str(),
            event.actor.as_str()
        ),
        ("outline.promote", "c2", "anna")
    );

    // Undone: the rows back, the correction forgotten, one more event.
    store
        .correct_outline(
            &stamp("2026-11-23T10:03:00Z"),
            "d1",
            &OutlineWrite {
                action: "outline.undo",
                forget: Some("oc-1"),
                record: None,
                ..write(&diff.inverse(), &correction("oc-1"))
            },
        )
        .unwrap();
    assert_eq!(store.outline("d1").unwrap(), outline());
    assert!(store.outline_corrections("d1").unwrap().is_empty());
    assert_eq!(store.audit(None).unwrap().len(), 3);
}
