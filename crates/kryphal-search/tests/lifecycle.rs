//! The index on disk: generation stamps, keeping in step with the library,
//! rebuilds, and recovery from missing, damaged or foreign folders.

mod common;
use common as fixtures;

use std::fs;
use std::path::Path;

use fixtures::id;
use kryphal_search::{
    IndexHealth, IndexedDocument, SearchError, SearchIndex, SearchRequest, SearchResults,
};

fn search(index: &SearchIndex, q: &str) -> SearchResults {
    let mut request = SearchRequest::new(q);
    request.limit = 200;
    index.search(&request).expect("search")
}

fn ids(index: &SearchIndex, q: &str) -> Vec<String> {
    search(index, q).hits.iter().map(id).collect()
}

fn built(dir: &Path, generation: u64) {
    let (index, _) = SearchIndex::open(dir).expect("open");
    index.rebuild(fixtures::all(), generation).expect("rebuild");
}

#[test]
fn missing_index_is_created_then_generation_round_trips() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("lib.kryphal.search");
    {
        let (index, health) = SearchIndex::open(&dir).expect("open");
        assert_eq!(health, IndexHealth::Created);
        assert!(health.needs_rebuild(0));
        assert_eq!(index.generation(), None);
        index.rebuild(fixtures::all(), 41).expect("rebuild");
        index
            .replace_document(&fixtures::doc_b(), 42)
            .expect("replace");
        assert_eq!(index.generation(), Some(42));
        assert!(index.size_on_disk().expect("size") > 0);
    }
    let (index, health) = SearchIndex::open(&dir).expect("reopen");
    assert_eq!(
        health,
        IndexHealth::Ready {
            generation: Some(42)
        }
    );
    assert!(!health.needs_rebuild(42));
    assert!(health.needs_rebuild(43));
    assert!(ids(&index, "registerutdrag").contains(&"a9".to_string()));
    // Document titles (facet labels) are known after reopening.
    let r = search(&index, "registerutdrag");
    let a = r
        .facet(kryphal_search::Facet::Document)
        .iter()
        .find(|v| v.value == "A")
        .cloned();
    assert_eq!(
        a.and_then(|v| v.label).as_deref(),
        Some("Auktorisationsvillkor för hemtjänst")
    );
    index.set_generation(50).expect("stamp");
    drop(index);
    let (_, health) = SearchIndex::open(&dir).expect("reopen");
    assert_eq!(
        health,
        IndexHealth::Ready {
            generation: Some(50)
        }
    );
}

#[test]
fn empty_folder_is_a_new_index() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (_, health) = SearchIndex::open(tmp.path()).expect("open");
    assert_eq!(health, IndexHealth::Created);
}

#[test]
fn replace_and_remove_keep_the_index_in_step() {
    let index = SearchIndex::in_memory().expect("index");
    index.rebuild(fixtures::all(), 1).expect("rebuild");
    assert!(ids(&index, "bidragsbrott").contains(&"b1".to_string()));

    // Edit a clause, drop a finding, add a dismissal.
    let mut b = fixtures::doc_b();
    b.clauses[0].text = "Den sökande ska lämna fullständiga uppgifter om sina inkomster.".into();
    b.findings.retain(|f| f.id != "f1");
    b.dismissals.push(kryphal_search::IndexedDismissal {
        suggestion_id: "s2".into(),
        clause_id: "b2".into(),
        reason: "Planen följs redan upp kvartalsvis.".into(),
        message: "Oklar uppföljning".into(),
    });
    index.replace_document(&b, 2).expect("replace");
    let got = ids(&index, "bidragsbrott");
    assert!(
        !got.contains(&"b1".to_string()) && !got.contains(&"f1".to_string()),
        "{got:?}"
    );
    assert!(got.contains(&"f3".to_string()));
    assert_eq!(ids(&index, "kvartalsvis"), ["s2"]);
    // Nothing is duplicated by replacing twice.
    index.replace_document(&b, 3).expect("replace");
    assert_eq!(search(&index, "delegationsordningen").total, 1);

    index.remove_document("C", 4).expect("remove");
    assert!(ids(&index, "mutor").is_empty());
    assert!(ids(&index, "öppenhet").is_empty());
    assert_eq!(index.generation(), Some(4));
    // Removing what is not there is fine.
    index
        .remove_document("no-such-document", 5)
        .expect("remove");
    // A renamed document is found under its new title only: the document
    // itself (a title word matches the document, not each of its clauses).
    let mut a = fixtures::doc_a();
    a.title = "Villkor för ledsagning".into();
    index.replace_document(&a, 6).expect("replace");
    let r = search(&index, "ledsagning");
    assert!(
        r.hits
            .iter()
            .all(|h| h.document_title == "Villkor för ledsagning")
    );
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].kind, kryphal_search::HitKind::Document);
}

#[test]
fn rebuild_equals_incremental() {
    let incremental = SearchIndex::in_memory().expect("index");
    for (i, d) in fixtures::all().iter().enumerate() {
        incremental.replace_document(d, i as u64).expect("replace");
    }
    // Add and then remove a document that the rebuild never sees.
    let mut extra = fixtures::doc_c();
    extra.id = "X".into();
    incremental.replace_document(&extra, 10).expect("replace");
    incremental.remove_document("X", 11).expect("remove");

    let rebuilt = SearchIndex::in_memory().expect("index");
    let stats = rebuilt.rebuild(fixtures::all(), 11).expect("rebuild");
    assert_eq!(stats.documents, 3);
    assert_eq!(stats.items as u64, rebuilt.item_count());
    assert_eq!(incremental.item_count(), rebuilt.item_count());
    for q in [
        "registerutdrag",
        "atgardsplan",
        "bidragsbrott",
        "hemtjänst",
        "\"registerutdraget från belastningsregistret\"",
        "mutor",
        "vård",
    ] {
        let mut a = ids(&incremental, q);
        let mut b = ids(&rebuilt, q);
        a.sort();
        b.sort();
        assert_eq!(a, b, "{q}");
        assert_eq!(
            search(&incremental, q).facets,
            search(&rebuilt, q).facets,
            "{q}"
        );
    }
}

#[test]
fn failed_rebuild_changes_nothing() {
    let index = SearchIndex::in_memory().expect("index");
    index.rebuild(fixtures::all(), 7).expect("rebuild");
    let before = index.item_count();
    let source = vec![Ok(fixtures::doc_a()), Err("disk read error")];
    let err = index.try_rebuild(source, 8).expect_err("must fail");
    assert!(matches!(err, SearchError::Source(_)), "{err}");
    assert_eq!(err.code(), "search_source");
    assert_eq!(index.item_count(), before);
    assert_eq!(index.generation(), Some(7));
    assert!(ids(&index, "mutor").contains(&"c2".to_string()));
    // And the writer still works afterwards.
    index.remove_document("C", 9).expect("remove");
    assert!(ids(&index, "mutor").is_empty());
}

fn assert_recreated(dir: &Path, wiped: bool) -> SearchIndex {
    let (index, health) = SearchIndex::open(dir).expect("never an error");
    match &health {
        IndexHealth::Recreated { moved_aside_to, .. } => {
            assert_eq!(moved_aside_to.is_none(), wiped, "{health:?}");
        }
        other => panic!("expected Recreated, got {other:?}"),
    }
    assert!(health.needs_rebuild(0));
    assert_eq!(index.item_count(), 0);
    // Usable at once.
    index.rebuild(fixtures::all(), 3).expect("rebuild");
    assert!(ids(&index, "registerutdrag").contains(&"a9".to_string()));
    index
}

#[test]
fn truncated_meta_json_is_detected_and_recovered() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("idx");
    built(&dir, 1);
    let meta = dir.join("meta.json");
    let text = fs::read(&meta).expect("meta");
    fs::write(&meta, &text[..text.len() / 2]).expect("truncate");
    assert_recreated(&dir, true);
    // And the recreated index opens cleanly next time.
    let (_, health) = SearchIndex::open(&dir).expect("open");
    assert_eq!(
        health,
        IndexHealth::Ready {
            generation: Some(3)
        }
    );
}

#[test]
fn damaged_segment_files_are_detected() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("idx");
    built(&dir, 1);
    let mut damaged = 0;
    for entry in fs::read_dir(&dir).expect("dir") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if name.ends_with(".idx") || name.ends_with(".store") {
            let mut bytes = fs::read(&path).expect("read");
            let mid = bytes.len() / 2;
            let end = (mid + 16).min(bytes.len());
            for b in &mut bytes[mid..end] {
                *b ^= 0xA5;
            }
            fs::write(&path, bytes).expect("write");
            damaged += 1;
        }
    }
    assert!(damaged > 0);
    assert_recreated(&dir, true);
}

#[test]
fn garbage_files_in_our_folder_are_wiped() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("idx");
    built(&dir, 1);
    fs::remove_file(dir.join("meta.json")).expect("rm");
    fs::write(dir.join("garbage.bin"), [0u8, 159, 146, 150]).expect("write");
    assert_recreated(&dir, true);
    assert!(!dir.join("garbage.bin").exists());
}

#[test]
fn another_schema_version_or_lexicon_is_rebuilt() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("idx");
    built(&dir, 1);
    let meta = dir.join("meta.json");
    let text = fs::read_to_string(&meta).expect("meta");
    // The analysis version: the schema's, then the lexicon's fingerprint.
    let at = text.find("schema=").expect("a schema stamp") + "schema=".len();
    let version: String = text[at..].chars().take_while(|c| *c != ';').collect();
    assert!(version.starts_with("2-"), "{text}");
    fs::write(&meta, text.replacen(&version, "2-0000000000000000", 1)).expect("write");
    let (_, health) = SearchIndex::open(&dir).expect("open");
    assert!(
        matches!(
            health,
            IndexHealth::Recreated {
                moved_aside_to: None,
                ..
            }
        ),
        "{health:?}"
    );
}

#[test]
fn a_foreign_folder_is_moved_aside_never_deleted() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("idx");
    fs::create_dir_all(&dir).expect("mkdir");
    fs::write(dir.join("my notes.txt"), "viktigt").expect("write");
    let index = assert_recreated(&dir, false);
    drop(index);
    let aside = tmp.path().join("idx.unreadable");
    assert_eq!(
        fs::read_to_string(aside.join("my notes.txt")).expect("kept"),
        "viktigt"
    );
    // A file where the folder should be is moved aside too.
    let file = tmp.path().join("file-index");
    fs::write(&file, "not a folder").expect("write");
    assert_recreated(&file, false);
    assert!(tmp.path().join("file-index.unreadable").is_file());
}

#[test]
fn a_second_writer_is_refused_as_busy() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("idx");
    let (first, _) = SearchIndex::open(&dir).expect("open");
    first
        .replace_document(
            &IndexedDocument {
                id: "z".into(),
                ..Default::default()
            },
            1,
        )
        .expect("write");
    match SearchIndex::open(&dir) {
        Err(SearchError::Busy) => {}
        Err(other) => panic!("expected Busy, got {other}"),
        Ok((_, health)) => panic!("expected Busy, got {health:?}"),
    }
    // The first one is untouched.
    assert_eq!(first.item_count(), 1);
}

#[test]
fn searches_run_while_a_rebuild_writes() {
    use std::sync::Arc;
    let index = Arc::new(SearchIndex::in_memory().expect("index"));
    index.rebuild(fixtures::all(), 1).expect("rebuild");
    let writer = {
        let index = Arc::clone(&index);
        std::thread::spawn(move || {
            for g in 2..12 {
                index.rebuild(fixtures::all(), g).expect("rebuild");
            }
        })
    };
    for _ in 0..50 {
        // Always the whole previous or the whole new content.
        assert_eq!(search(&index, "registerutdrag").total, 4);
    }
    writer.join().expect("writer thread");
    assert_eq!(index.generation(), Some(11));
}
