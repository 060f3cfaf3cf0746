//! The change counter the search index keeps in step with, on a real file.

use kryphal_domain::*;
use kryphal_store::{Stamp, Store};

fn stamp() -> Stamp {
    Stamp {
        actor: "anna".into(),
        at: "2026-11-23T10:00:00Z".into(),
    }
}

fn document(id: &str) -> Document {
    Document {
        id: id.into(),
        meta: DocumentMeta {
            title: format!("Dokument {id}"),
            ..Default::default()
        },
        source: SourceFile {
            name: format!("{id}.md"),
            sha256: format!("{id}-sha"),
            format: SourceFormat::Markdown,
            size: 3,
        },
        imported_at: "2026-11-23T10:00:00Z".into(),
        imported_by: "anna".into(),
        rulebook: RulebookRef {
            id: "bra-mur-sv".into(),
            version: "0.1.0".into(),
        },
    }
}

#[test]
fn every_write_advances_the_counter_and_names_the_document_it_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("lib.kryphal")).unwrap();
    assert_eq!(store.change_counter().unwrap(), 0, "a new library");
    assert!(store.documents_changed_since(0).unwrap().is_empty());
    for id in ["d1", "d2"] {
        store
            .insert_document(&stamp(), &document(id), id, b"abc", &Outline::default())
            .unwrap();
    }
    let after_imports = store.change_counter().unwrap();
    assert!(after_imports >= 2);
    let mut both = store.documents_changed_since(0).unwrap();
    both.sort();
    assert_eq!(both, ["d1", "d2"]);
    // A change to d2 only.
    let meta = DocumentMeta {
        title: "Nytt namn".into(),
        ..Default::default()
    };
    store.update_document_meta(&stamp(), "d2", &meta).unwrap();
    assert!(store.change_counter().unwrap() > after_imports);
    assert_eq!(
        store.documents_changed_since(after_imports).unwrap(),
        ["d2"]
    );
    // A library setting changes no document.
    let before_setting = store.change_counter().unwrap();
    store.set_setting(&stamp(), "k", "v").unwrap();
    assert_eq!(store.change_counter().unwrap(), before_setting + 1);
    assert!(
        store
            .documents_changed_since(before_setting)
            .unwrap()
            .is_empty()
    );
    // Reopened: the counter is in the file.
    drop(store);
    let store = Store::open(&dir.path().join("lib.kryphal")).unwrap();
    assert_eq!(store.change_counter().unwrap(), before_setting + 1);
}
