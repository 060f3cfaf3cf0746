//! A full disk and a read-only library: the change is refused with a
//! sentence that says why, nothing saved before is lost, and the library
//! stays intact.
//!
//! The library lives on a small tmpfs mounted for the test, which needs
//! root (as in CI). Where mounting is not allowed the tests say so and pass
//! without checking anything; `KRYPHAL_REQUIRE_MOUNT=1` makes that a failure.
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::Command;

use kryphal_app::{ErrorCode, ExportChoices, Library};
use kryphal_domain::FindingInput;
use kryphal_store::Store;

/// A tmpfs of a given size, unmounted when dropped.
struct Tmpfs {
    _dir: tempfile::TempDir,
    mnt: PathBuf,
}

impl Tmpfs {
    fn mount(size: &str, test: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let mnt = dir.path().join("mnt");
        std::fs::create_dir(&mnt).unwrap();
        let status = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0755"),
                "tmpfs",
            ])
            .arg(&mnt)
            .output();
        match status {
            Ok(out) if out.status.success() => Some(Tmpfs { _dir: dir, mnt }),
            other => {
                let why = match other {
                    Ok(out) => String::from_utf8_lossy(&out.stderr).trim().to_string(),
                    Err(e) => e.to_string(),
                };
                assert!(
                    std::env::var_os("KRYPHAL_REQUIRE_MOUNT").is_none(),
                    "{test}: cannot mount a tmpfs: {why}"
                );
                println!("{test}: SKIPPED, cannot mount a tmpfs here (needs root): {why}");
                None
            }
        }
    }

    fn remount(&self, mode: &str) {
        let out = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(&self.mnt)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "remount {mode}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.mnt).status();
    }
}

fn sha(path: &Path) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

/// Text that does not repeat, so the library cannot hold it in less space.
fn filler(n: usize, len: usize) -> String {
    let mut x = n as u64 + 1;
    let mut s = format!("f{n} ");
    while s.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.push_str(&format!("{x:x} "));
    }
    s
}

#[test]
fn a_full_disk_refuses_the_change_with_a_sentence_and_keeps_the_library() {
    let Some(fs) = Tmpfs::mount("3m", "full disk") else {
        return;
    };
    let library = fs.mnt.join("library.kryphal");
    let mut lib = Library::open(&library, "anna").unwrap();
    assert!(lib.ensure_sample().unwrap());
    let doc = lib.documents().unwrap()[0].id.clone();
    let clause = lib.document(&doc).unwrap().outline.clauses[0].id.clone();

    // Fill the disk with findings until a change is refused.
    let mut saved = Vec::new();
    let err = loop {
        assert!(saved.len() < 1000, "3 MB never filled up");
        let text = filler(saved.len(), 16 * 1024);
        let input = FindingInput {
            unintended_consequence: format!("finding {}", saved.len()),
            exploitation: text.clone(),
            ..Default::default()
        };
        match lib.add_finding(&clause, input) {
            Ok(f) => saved.push((f.id, text)),
            Err(e) => break e,
        }
    };
    println!(
        "full disk: {} findings saved, then: {:?} {}",
        saved.len(),
        err.code,
        err.message
    );
    assert!(saved.len() > 10, "the disk filled up too early");
    assert_eq!(err.code, ErrorCode::Io, "{err:?}");
    assert!(err.message.contains("full"), "{}", err.message);

    // An export that does not fit is refused too, and leaves no file behind.
    let out = fs.mnt.join("analys.json");
    let err = lib
        .export(&doc, "json", &ExportChoices::default(), &out)
        .expect_err("a 1 MB export does not fit on a full disk");
    println!("full disk, export: {:?} {}", err.code, err.message);
    assert_eq!(err.code, ErrorCode::Io);
    assert!(err.message.contains("full"), "{}", err.message);
    assert!(!out.exists());
    let left: Vec<_> = std::fs::read_dir(&fs.mnt)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
    drop(lib);

    // Reopened on the still-full disk: intact, and every saved finding is there.
    let store = Store::open(&library).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    drop(store);
    let lib = Library::open(&library, "anna").unwrap();
    let findings = lib.findings(&doc).unwrap();
    assert_eq!(findings.len(), saved.len());
    for (id, text) in &saved {
        let f = findings
            .iter()
            .find(|f| f.id == *id)
            .expect("a saved finding is kept");
        assert_eq!(f.input.exploitation, *text);
    }
}

#[test]
fn a_library_on_a_read_only_disk_is_refused_with_a_sentence_and_not_touched() {
    let Some(fs) = Tmpfs::mount("4m", "read-only") else {
        return;
    };
    let library = fs.mnt.join("library.kryphal");
    {
        let mut lib = Library::open(&library, "anna").unwrap();
        assert!(lib.ensure_sample().unwrap());
    }
    let before = sha(&library);
    fs.remount("ro");

    let err = Library::open(&library, "anna")
        .err()
        .expect("a library on a read-only disk is refused");
    println!("read-only: {:?} {}", err.code, err.message);
    assert_eq!(err.code, ErrorCode::LibraryReadonly);
    assert!(err.message.contains("cannot be written"), "{}", err.message);
    assert_eq!(sha(&library), before, "the library was changed");

    fs.remount("rw");
    let store = Store::open(&library).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn an_export_to_a_read_only_folder_is_refused_and_writes_nothing() {
    let Some(fs) = Tmpfs::mount("1m", "read-only export") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("library.kryphal"), "anna").unwrap();
    assert!(lib.ensure_sample().unwrap());
    let doc = lib.documents().unwrap()[0].id.clone();
    fs.remount("ro");
    let out = fs.mnt.join("memo.md");
    let err = lib
        .export(&doc, "md", &ExportChoices::default(), &out)
        .expect_err("a read-only folder is refused");
    println!("read-only export: {:?} {}", err.code, err.message);
    assert_eq!(err.code, ErrorCode::Io);
    assert!(err.message.contains("read-only"), "{}", err.message);
    assert_eq!(std::fs::read_dir(&fs.mnt).unwrap().count(), 0);
}
