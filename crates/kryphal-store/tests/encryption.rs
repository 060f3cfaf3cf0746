//! Encrypted libraries (SQLCipher) on real files in a temporary folder:
//! what is on the disk, and what happens with a right, wrong or missing
//! passphrase.

use std::path::Path;

use kryphal_domain::*;
use kryphal_store::{FileKind, Stamp, Store, StoreError};
mod common;
use common::document;

const PASSPHRASE: &str = "Korrekt häst batteri häftklammer 42";
/// Words that appear only in the clause, the finding and the metadata.
const SECRETS: &[&str] = &[
    "högst ett år gammalt",
    "Gamla utdrag godtas",
    "Målvakt i styrelsen",
    "VON 2024/1",
    "Reglemente för kundval",
];

fn key() -> Passphrase {
    Passphrase::new(PASSPHRASE.to_string())
}

fn stamp() -> Stamp {
    common::stamp("2026-11-23T10:00:00Z")
}

fn outline(prefix: &str) -> Outline {
    Outline {
        sections: vec![],
        clauses: vec![Clause {
            id: format!("{prefix}-c1"),
            section_id: None,
            number: "4.1".into(),
            label: "p. 4.1".into(),
            kind: ClauseKind::Numbered,
            text: "Utdraget får vara högst ett år gammalt.".into(),
            position: 0,
        }],
    }
}

fn finding(doc: &str) -> Finding {
    Finding {
        id: format!("f-{doc}"),
        document_id: doc.into(),
        clause_id: format!("{doc}-c1"),
        input: FindingInput {
            unintended_consequence: "Gamla utdrag godtas.".into(),
            exploitation: "Målvakt i styrelsen".into(),
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

fn seed(store: &mut Store, doc: &str) {
    store
        .insert_document(&stamp(), &document(doc), doc, b"abc", &outline(doc))
        .unwrap();
    store.insert_finding(&stamp(), &finding(doc)).unwrap();
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Every byte of every file in `dir` (the library, its WAL, backups…).
fn all_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            out.push((
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            ));
        }
    }
    out
}

fn assert_no_plaintext(dir: &Path) {
    let files = all_bytes(dir);
    assert!(!files.is_empty());
    for (name, bytes) in &files {
        assert!(
            !bytes.starts_with(b"SQLite format 3"),
            "{name} has an SQLite header"
        );
        for secret in SECRETS.iter().chain([&PASSPHRASE]) {
            assert!(!contains(bytes, secret), "{name} holds “{secret}”");
        }
    }
}

#[test]
fn an_encrypted_library_holds_no_plaintext_not_even_the_sqlite_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.kryphal");
    let mut store = Store::open_with(&path, Some(&key())).unwrap();
    assert!(store.is_encrypted());
    seed(&mut store, "d1");
    // While open: the library and its write-ahead log.
    assert!(dir.path().join("lib.kryphal-wal").exists());
    assert_no_plaintext(dir.path());
    drop(store);
    assert_no_plaintext(dir.path());
    assert_eq!(FileKind::of(&path), FileKind::Encrypted);

    // The same data in a library without a passphrase is there to read:
    // the check above can fail.
    let plain_dir = tempfile::tempdir().unwrap();
    let plain = plain_dir.path().join("lib.kryphal");
    let mut store = Store::open(&plain).unwrap();
    seed(&mut store, "d1");
    drop(store);
    let bytes = std::fs::read(&plain).unwrap();
    assert!(bytes.starts_with(b"SQLite format 3\0"));
    assert!(contains(&bytes, "högst ett år gammalt"));
    assert_eq!(FileKind::of(&plain), FileKind::Plain);
}

#[test]
fn it_reopens_with_its_passphrase_and_everything_is_there() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.kryphal");
    let mut store = Store::open_with(&path, Some(&key())).unwrap();
    seed(&mut store, "d1");
    drop(store);
    let store = Store::open_with(&path, Some(&key())).unwrap();
    assert_eq!(store.documents().unwrap().len(), 1);
    assert_eq!(
        store.findings("d1").unwrap()[0].input.exploitation,
        "Målvakt i styrelsen"
    );
    assert_eq!(store.audit(None).unwrap().len(), 2, "the audit trail");
}

#[test]
fn a_wrong_passphrase_is_refused_with_a_sentence_and_the_file_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.kryphal");
    let mut store = Store::open_with(&path, Some(&key())).unwrap();
    seed(&mut store, "d1");
    drop(store);
    let before = std::fs::read(&path).unwrap();
    let wrong = Passphrase::new("korrekt häst batteri häftklammer 42".into());
    let err = Store::open_with(&path, Some(&wrong))
        .err()
        .expect("a wrong passphrase must be refused");
    assert!(matches!(err, StoreError::WrongPassphrase { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.starts_with("The passphrase is wrong"), "{text}");
    assert!(!text.contains("damaged"), "{text}");
    assert!(!format!("{err:?}").contains("häst"), "{err:?}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file was changed"
    );
    assert!(!dir.path().join("lib.kryphal-wal").exists());
    // And the right one still works afterwards.
    Store::open_with(&path, Some(&key())).unwrap();
}

#[test]
fn without_its_passphrase_an_encrypted_library_is_refused_as_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.kryphal");
    drop(Store::open_with(&path, Some(&key())).unwrap());
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("needs its passphrase");
    assert!(
        matches!(
            err,
            StoreError::NotADatabase {
                maybe_encrypted: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("is an encrypted library"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_plain_library_opened_with_a_passphrase_is_refused_with_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.kryphal");
    let mut store = Store::open(&path).unwrap();
    seed(&mut store, "d1");
    drop(store);
    let before = std::fs::read(&path).unwrap();
    let err = Store::open_with(&path, Some(&key())).err().unwrap();
    assert!(matches!(err, StoreError::NotEncrypted { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("is not an encrypted library: open it without a passphrase"),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let err = Store::open_with(
        &dir.path().join("new.kryphal"),
        Some(&Passphrase::new(String::new())),
    )
    .err()
    .unwrap();
    assert!(matches!(err, StoreError::EmptyPassphrase), "{err:?}");
    assert!(!dir.path().join("new.kryphal").exists());
}

#[test]
fn the_backup_of_an_encrypted_library_is_encrypted_with_the_same_key_and_restores() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.kryphal");
    let mut store = Store::open_with(&path, Some(&key())).unwrap();
    seed(&mut store, "d1");
    let backup = dir.path().join("backup.kryphal");
    store.backup_to(&backup).unwrap();
    assert_no_plaintext(dir.path());
    assert_eq!(FileKind::of(&backup), FileKind::Encrypted);
    // The backup opens with the library's passphrase, and only with it.
    let info = Store::check_library_file(&backup, Some(&key())).unwrap();
    assert_eq!(info.documents, 1);
    let err = Store::check_library_file(&backup, None).err().unwrap();
    assert!(
        matches!(
            err,
            StoreError::NotADatabase {
                maybe_encrypted: true,
                ..
            }
        ),
        "{err:?}"
    );
    let other = Passphrase::new("en annan fras".into());
    let err = Store::check_library_file(&backup, Some(&other))
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::WrongPassphrase { .. }), "{err:?}");

    // Restore: a second document added after the backup goes away again.
    seed(&mut store, "d2");
    assert_eq!(store.documents().unwrap().len(), 2);
    let copy = dir.path().join("copy.kryphal");
    std::fs::copy(&backup, &copy).unwrap();
    let info = store.replace_with(&copy).unwrap();
    assert_eq!(info.documents, 1);
    assert_eq!(store.documents().unwrap().len(), 1);
    drop(store);
    assert_no_plaintext(dir.path());
    let store = Store::open_with(&path, Some(&key())).unwrap();
    assert_eq!(store.documents().unwrap().len(), 1);
}

#[test]
fn a_plain_backup_is_not_restored_into_an_encrypted_library() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.kryphal");
    let mut store = Store::open(&plain).unwrap();
    seed(&mut store, "d1");
    drop(store);
    let mut store = Store::open_with(&dir.path().join("lib.kryphal"), Some(&key())).unwrap();
    let err = store.replace_with(&plain).err().unwrap();
    assert!(matches!(err, StoreError::NotEncrypted { .. }), "{err:?}");
    assert!(store.documents().unwrap().is_empty());
}

#[test]
fn fts5_still_works_in_sqlcipher_with_and_without_a_key() {
    let dir = tempfile::tempdir().unwrap();
    for key in [None, Some("nyckel")] {
        let c = rusqlite::Connection::open(dir.path().join(format!("fts-{key:?}.db"))).unwrap();
        if let Some(k) = key {
            c.pragma_update(None, "key", k).unwrap();
        }
        c.execute_batch(
            "CREATE VIRTUAL TABLE t USING fts5(x);
             INSERT INTO t VALUES ('auktorisation krävs'), ('belastningsregister');",
        )
        .unwrap();
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM t WHERE t MATCH 'auktorisation'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1);
    }
}

#[test]
fn a_new_passphrase_replaces_the_old_one_keeps_everything_and_is_audited_without_either() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.kryphal");
    let mut store = Store::open_with(&path, Some(&key())).unwrap();
    seed(&mut store, "d1");
    let new = Passphrase::new("Ett nytt lösenord för biblioteket".into());
    store.change_passphrase(&stamp(), &new).unwrap();
    // Still usable in the same session, and in WAL mode again.
    seed(&mut store, "d2");
    let mode: String = {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "key", new.expose()).unwrap();
        c.query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(mode, "wal");
    drop(store);
    let err = Store::open_with(&path, Some(&key())).err().unwrap();
    assert!(matches!(err, StoreError::WrongPassphrase { .. }), "{err:?}");
    let store = Store::open_with(&path, Some(&new)).unwrap();
    assert_eq!(store.documents().unwrap().len(), 2);
    let events = store.audit(None).unwrap();
    let event = events
        .iter()
        .find(|e| e.action == "library.passphrase")
        .expect("the change is audited");
    let shown = serde_json::to_string(&events).unwrap();
    assert!(
        !shown.contains("lösenord") && !shown.contains("häst"),
        "{shown}"
    );
    assert_eq!(event.actor, "anna");
    drop(store);
    assert_no_plaintext(dir.path());
    for (name, bytes) in all_bytes(dir.path()) {
        assert!(
            !contains(&bytes, new.expose()),
            "{name} holds the new passphrase"
        );
    }
    // A plain library has no passphrase to change.
    let mut plain = Store::open(&dir.path().join("plain.kryphal")).unwrap();
    let err = plain.change_passphrase(&stamp(), &new).err().unwrap();
    assert!(matches!(err, StoreError::NotEncrypted { .. }), "{err:?}");
}
