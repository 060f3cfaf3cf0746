//! Search through the core, on a real library file with its index folder
//! beside it.

use std::time::{Duration, Instant};

use kryphal_app::search::index_dir;
use kryphal_app::{ErrorCode, Library, SearchAnswer, SearchFilter, SearchQuery, SearchStatus};
use kryphal_domain::FindingInput;

fn library() -> (tempfile::TempDir, Library, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("lib.kryphal"), "anna").unwrap();
    assert!(lib.ensure_sample().unwrap());
    let doc = lib.documents().unwrap()[0].id.clone();
    (dir, lib, doc)
}

fn search(lib: &mut Library, q: &str) -> SearchAnswer {
    lib.search(&SearchQuery {
        query: q.into(),
        ..Default::default()
    })
    .unwrap()
}

fn clause_of_number(lib: &Library, doc: &str, number: &str) -> String {
    lib.document(doc)
        .unwrap()
        .outline
        .clauses
        .iter()
        .find(|c| c.number == number)
        .unwrap()
        .id
        .clone()
}

/// Searches `query` until the background build is done (at most 30 s);
/// the first answer that is ready.
fn ready_answer(lib: &mut Library, query: &str) -> SearchAnswer {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let answer = search(lib, query);
        match answer.status {
            SearchStatus::Building => {
                assert!(Instant::now() < deadline, "the build never finished");
                std::thread::sleep(Duration::from_millis(20));
            }
            SearchStatus::Ready => return answer,
            SearchStatus::Unavailable => panic!("{:?}", answer.message),
        }
    }
}

#[test]
fn a_word_of_the_sample_finds_its_clause_with_the_word_highlighted() {
    let (dir, mut lib, doc) = library();
    let answer = search(&mut lib, "belastningsregister");
    assert_eq!(answer.status, SearchStatus::Ready);
    assert!(answer.total >= 1);
    // Far below the count cap: the total is exact.
    assert!(!answer.total_is_lower_bound);
    let hit = &answer.hits[0];
    assert_eq!(hit.kind, "clause");
    assert_eq!(hit.document_id, doc);
    assert_eq!(
        hit.clause_id.as_deref(),
        Some(clause_of_number(&lib, &doc, "4.5").as_str())
    );
    assert_eq!(hit.words, vec!["belastningsregistret".to_string()]);
    assert!(
        hit.segments
            .iter()
            .any(|s| s.highlighted && s.text == "belastningsregistret")
    );
    assert!(answer.facets.iter().any(|f| f.key == "document"));
    assert!(
        index_dir(&dir.path().join("lib.kryphal")).is_dir(),
        "the index lives beside the library"
    );
}

#[test]
fn every_change_is_found_by_the_next_search() {
    let (_dir, mut lib, doc) = library();
    assert_eq!(search(&mut lib, "zebrafink").total, 0);
    let c = clause_of_number(&lib, &doc, "4.5");
    let f = lib.add_finding(&c, FindingInput::default()).unwrap();
    lib.update_finding(
        &f.id,
        FindingInput {
            unintended_consequence: "En zebrafink kan lämna gamla utdrag.".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let answer = search(&mut lib, "zebrafink");
    assert_eq!(answer.total, 1);
    assert_eq!(answer.hits[0].kind, "finding");
    assert_eq!(answer.hits[0].finding_id.as_deref(), Some(f.id.as_str()));
    // Undo takes the word away again, and so does deleting.
    lib.undo().unwrap();
    assert_eq!(search(&mut lib, "zebrafink").total, 0);
    lib.redo().unwrap();
    assert_eq!(search(&mut lib, "zebrafink").total, 1);
    lib.delete_finding(&f.id).unwrap();
    assert_eq!(search(&mut lib, "zebrafink").total, 0);
    // Metadata.
    let mut meta = lib.document(&doc).unwrap().document.meta;
    meta.title = "Kundvalsreglemente med pelikan".into();
    lib.update_metadata(&doc, meta).unwrap();
    let answer = search(&mut lib, "pelikan");
    assert!(answer.hits.iter().any(|h| h.kind == "document"));
}

#[test]
fn a_change_made_by_another_process_is_found_too() {
    let (dir, mut lib, doc) = library();
    assert_eq!(search(&mut lib, "zebrafink").total, 0);
    let path = dir.path().join("lib.kryphal");
    let mut other = Library::open(&path, "bo").unwrap();
    let c = clause_of_number(&other, &doc, "4.5");
    other
        .add_finding(
            &c,
            FindingInput {
                unintended_consequence: "zebrafink".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(search(&mut lib, "zebrafink").total, 1);
}

#[test]
fn a_reopened_library_reuses_its_index_and_a_damaged_one_is_rebuilt() {
    let (dir, mut lib, _doc) = library();
    let path = dir.path().join("lib.kryphal");
    let before = search(&mut lib, "belastningsregister").total;
    drop(lib);
    let mut lib = Library::open(&path, "anna").unwrap();
    assert_eq!(search(&mut lib, "belastningsregister").total, before);
    drop(lib);
    // Damage the index: every file's contents replaced by junk.
    let idx = index_dir(&path);
    for entry in std::fs::read_dir(&idx).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::write(&p, b"junk").unwrap();
        }
    }
    let mut lib = Library::open(&path, "anna").unwrap();
    let answer = search(&mut lib, "belastningsregister");
    assert_eq!(answer.status, SearchStatus::Ready);
    assert_eq!(answer.total, before);
}

#[test]
fn an_index_held_by_another_window_leaves_search_in_memory() {
    let (dir, mut first, _doc) = library();
    assert_eq!(search(&mut first, "belastningsregister").message, None);
    // A second window on the same library: the index folder is taken.
    let mut second = Library::open(&dir.path().join("lib.kryphal"), "bo").unwrap();
    let answer = search(&mut second, "belastningsregister");
    assert_eq!(answer.status, SearchStatus::Ready);
    assert!(answer.total >= 1);
    let note = answer.message.unwrap();
    assert!(note.contains("in memory"), "{note}");
    // Everything else works.
    assert_eq!(second.documents().unwrap().len(), 1);
}

#[test]
fn a_file_where_the_index_folder_should_be_is_moved_aside_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.kryphal");
    std::fs::write(index_dir(&path), b"not a folder").unwrap();
    let mut lib = Library::open(&path, "anna").unwrap();
    lib.ensure_sample().unwrap();
    let answer = search(&mut lib, "belastningsregister");
    assert_eq!(answer.status, SearchStatus::Ready);
    assert!(answer.total >= 1);
    let kept = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .any(|e| std::fs::read(e.path()).unwrap() == b"not a folder");
    assert!(
        kept,
        "the foreign file is kept somewhere beside the library"
    );
}

#[test]
fn hostile_queries_are_plain_words_never_errors() {
    let (_dir, mut lib, _doc) = library();
    let long = "ord ".repeat(2_500);
    for q in [
        "\"unbalanced AND (",
        "",
        "   ",
        "*:* OR title:[a TO z] ~2 ^3 \\",
        "\"\"\"",
        long.as_str(),
        "<script>alert(1)</script>",
    ] {
        let answer = search(&mut lib, q);
        assert_eq!(answer.status, SearchStatus::Ready, "query {q:.40}");
    }
    assert!(search(&mut lib, &long).query_truncated);
}

#[test]
fn filters_narrow_and_an_unknown_key_is_refused() {
    let (_dir, mut lib, _doc) = library();
    let all = search(&mut lib, "leverantör");
    assert!(all.total > 1);
    let clauses = lib
        .search(&SearchQuery {
            query: "leverantör".into(),
            filters: vec![SearchFilter {
                key: "kind".into(),
                value: "document".into(),
            }],
            limit: None,
        })
        .unwrap();
    assert!(clauses.total < all.total);
    assert!(clauses.hits.iter().all(|h| h.kind == "document"));
    let err = lib
        .search(&SearchQuery {
            query: "x".into(),
            filters: vec![SearchFilter {
                key: "colour".into(),
                value: "red".into(),
            }],
            limit: None,
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("colour"), "{}", err.message);
}

#[test]
fn a_background_build_answers_building_then_ready() {
    let (dir, lib, _doc) = library();
    drop(lib);
    std::fs::remove_dir_all(index_dir(&dir.path().join("lib.kryphal"))).ok();
    let mut lib = Library::open(&dir.path().join("lib.kryphal"), "anna").unwrap();
    lib.start_search(true);
    let answer = ready_answer(&mut lib, "belastningsregister");
    assert!(answer.total >= 1);
    assert!(!lib.search_building());
}

#[test]
fn reindex_rebuilds_everything() {
    let (_dir, mut lib, _doc) = library();
    let report = lib.reindex().unwrap();
    assert_eq!(report.documents, 1);
    assert!(report.items > 50, "{report:?}");
    assert!(report.path.unwrap().ends_with(".search"));
}

/// Edits on a 2,000-clause document stay as fast as without search (the
/// index is brought up to date at the next search, not per keystroke), and
/// that first search after an edit re-indexes the document in reasonable
/// time. Prints the figures (`--nocapture`).
#[test]
fn a_long_document_is_reindexed_at_the_next_search_not_per_edit() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("lib.kryphal"), "anna").unwrap();
    let mut text = String::from("# Lång policy\n\n");
    for i in 1..=2_000 {
        text.push_str(&format!(
            "{i}. Leverantören ska lämna registerutdrag nummer {i} och redovisa underleverantörer varje kvartal.\n"
        ));
    }
    let report = lib.import_bytes("lang.md", text.as_bytes()).unwrap();
    assert!(report.clauses >= 2_000, "{report:?}");
    assert!(search(&mut lib, "registerutdrag").total >= 2_000);
    let clause = lib.document(&report.document_id).unwrap().outline.clauses[5]
        .id
        .clone();
    let f = lib.add_finding(&clause, FindingInput::default()).unwrap();
    let t = Instant::now();
    for i in 0..10 {
        lib.update_finding(
            &f.id,
            FindingInput {
                unintended_consequence: format!("Skrivet {i} gånger: kolibri"),
                ..Default::default()
            },
        )
        .unwrap();
    }
    let per_edit = t.elapsed() / 10;
    let t = Instant::now();
    let answer = search(&mut lib, "kolibri");
    let first_search = t.elapsed();
    assert_eq!(answer.total, 1);
    let t = Instant::now();
    search(&mut lib, "kolibri");
    let next_search = t.elapsed();
    println!(
        "2,000 clauses: edit {per_edit:?}, first search after edits (re-index) {first_search:?}, next search {next_search:?}"
    );
    assert!(first_search < Duration::from_secs(10));
}

#[test]
fn an_encrypted_library_is_indexed_in_memory_only_in_the_background_and_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.kryphal");
    let key = kryphal_app::Passphrase::new("en lång lösenfras för sökning".into());
    let mut lib = Library::open_with(&path, "anna", Some(&key)).unwrap();
    assert!(lib.is_encrypted());
    assert!(lib.ensure_sample().unwrap());
    drop(lib);
    // As the desktop app opens it: the index built by a thread with its own connection.
    let mut lib = Library::open_with(&path, "anna", Some(&key)).unwrap();
    lib.start_search(true);
    let answer = ready_answer(&mut lib, "belastningsregister");
    assert!(answer.total >= 1, "{answer:?}");
    assert_eq!(
        answer.message, None,
        "an encrypted library's index is in memory by design"
    );
    // A change is found too (the in-memory index catches up).
    let doc = lib.documents().unwrap()[0].id.clone();
    let clause = clause_of_number(&lib, &doc, "4.5");
    lib.add_finding(
        &clause,
        FindingInput {
            unintended_consequence: "Bulvaner i styrelsen".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(search(&mut lib, "bulvaner").total, 1);
    let report = lib.reindex().unwrap();
    assert_eq!(report.path, None);
    assert!(
        !index_dir(&path).exists(),
        "an index folder beside an encrypted library"
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("search")), "{names:?}");
}
