//! Replacing a file in one step: the target holds its old contents or the
//! new ones, never a part.
//!
//! On Linux a rename over the target does it, whoever has the target open.
//! On Windows the same rename fails while another program holds the target
//! open without sharing it for deletion (Word and Excel do, with the file
//! they show), and briefly while a virus scanner or the search indexer
//! looks at the new file. [`replace_file`] retries for a moment (the
//! scanner's case), then says what is wrong (Word's case), and never leaves
//! half a file: the target is untouched and the caller removes its
//! temporary file.

use std::io;
use std::path::Path;

/// How long a replace keeps trying while the target is held open (Windows).
#[cfg_attr(not(windows), allow(dead_code))]
const HELD_OPEN_FOR: std::time::Duration = std::time::Duration::from_secs(2);

/// Moves `tmp` over `target` in one step. `tmp` must be in `target`'s
/// folder (a rename never copies). On Windows, a target held open by
/// another program gives an error of kind `ResourceBusy` whose message says
/// so, and a read-only target one of kind `PermissionDenied`.
pub fn replace_file(tmp: &Path, target: &Path) -> io::Result<()> {
    #[cfg(windows)]
    {
        replace_windows(tmp, target)
    }
    #[cfg(not(windows))]
    {
        std::fs::rename(tmp, target)
    }
}

#[cfg(windows)]
fn replace_windows(tmp: &Path, target: &Path) -> io::Result<()> {
    // A read-only target cannot be replaced on Windows (on Linux it can);
    // say so instead of "access denied".
    if std::fs::metadata(target).is_ok_and(|m| m.permissions().readonly()) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the file is read-only (see its Properties in Explorer)",
        ));
    }
    let started = std::time::Instant::now();
    let mut pause = std::time::Duration::from_millis(20);
    loop {
        match std::fs::rename(tmp, target) {
            Ok(()) => return Ok(()),
            Err(e) if !held_open(&e) => return Err(e),
            Err(_) => {}
        }
        // A reader that shares the file for deletion (a PDF viewer, Explorer's
        // preview) blocks a rename over it where Windows has no POSIX rename
        // (FAT and exFAT USB sticks, older Windows 10, Wine), but not a rename
        // of it: move it aside, then move the new file in.
        match replace_by_moving_aside(tmp, target) {
            Ok(()) => return Ok(()),
            Err(e2) if !held_open(&e2) => return Err(e2),
            Err(_) => {}
        }
        if started.elapsed() >= HELD_OPEN_FOR {
            return Err(io::Error::new(
                io::ErrorKind::ResourceBusy,
                "the file is open in another program (Word, Excel or a PDF reader?); \
                 close it there and try again",
            ));
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(std::time::Duration::from_millis(250));
    }
}

/// Renames `target` to a hidden name beside it, renames `tmp` to `target`,
/// and deletes the old file (Windows deletes it once its reader closes it).
/// If the second rename fails, the old file is put back. A crash between
/// the two renames leaves both files whole: the old one under the hidden
/// name `.NAME.<n>.old`, the new one under the caller's temporary name.
#[cfg(windows)]
fn replace_by_moving_aside(tmp: &Path, target: &Path) -> io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let aside = dir.join(format!(".{name}.{}-{nanos}.old", std::process::id()));
    std::fs::rename(target, &aside)?;
    if let Err(e) = std::fs::rename(tmp, target) {
        let _ = std::fs::rename(&aside, target);
        return Err(e);
    }
    let _ = std::fs::remove_file(&aside);
    Ok(())
}

/// Access denied, sharing violation, lock violation: what Windows answers
/// while another process has the file open.
#[cfg(windows)]
fn held_open(e: &io::Error) -> bool {
    use windows_sys::Win32::Foundation::{
        ERROR_ACCESS_DENIED, ERROR_LOCK_VIOLATION, ERROR_SHARING_VIOLATION,
    };
    matches!(
        e.raw_os_error().map(|c| c as u32),
        Some(ERROR_ACCESS_DENIED | ERROR_SHARING_VIOLATION | ERROR_LOCK_VIOLATION)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp_with(dir: &Path, text: &str) -> std::path::PathBuf {
        let tmp = dir.join(".memo.docx.1234.tmp");
        std::fs::write(&tmp, text).unwrap();
        tmp
    }

    #[test]
    fn a_new_file_appears_whole_and_the_temporary_name_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("Revideringsförslag för nämnden.docx");
        let tmp = tmp_with(dir.path(), "nytt");
        replace_file(&tmp, &target).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "nytt");
        assert!(!tmp.exists());
    }

    #[test]
    fn an_existing_file_is_replaced_in_a_folder_with_swedish_letters_and_spaces() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("Säkerhet och åtgärder öka");
        std::fs::create_dir(&folder).unwrap();
        let target = folder.join("minnesanteckningar.docx");
        std::fs::write(&target, "gammalt").unwrap();
        let tmp = tmp_with(&folder, "nytt");
        replace_file(&tmp, &target).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "nytt");
    }

    #[test]
    fn a_target_a_reader_has_open_is_replaced() {
        // A viewer that opened the file for reading (and, on Windows, shares it
        // for deletion, as std and most readers do) does not stop a replace.
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("memo.pdf");
        std::fs::write(&target, "gammalt").unwrap();
        let reader = open_shared(&target);
        let tmp = tmp_with(dir.path(), "nytt");
        replace_file(&tmp, &target).unwrap();
        drop(reader);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "nytt");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["memo.pdf"], "nothing left beside it");
    }

    #[cfg(not(windows))]
    fn open_shared(path: &Path) -> std::fs::File {
        std::fs::File::open(path).unwrap()
    }

    #[cfg(windows)]
    fn open_shared(path: &Path) -> std::fs::File {
        use std::os::windows::fs::OpenOptionsExt;
        use windows_sys::Win32::Storage::FileSystem::{
            FILE_SHARE_DELETE, FILE_SHARE_READ, FILE_SHARE_WRITE,
        };
        std::fs::OpenOptions::new()
            .read(true)
            .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
            .open(path)
            .unwrap()
    }

    /// Word holds the document it shows open without sharing it: the replace
    /// fails after its retries, with a message that says so, and the target
    /// keeps its old contents.
    #[cfg(windows)]
    #[test]
    fn a_target_held_open_by_another_program_is_refused_clearly_and_left_whole() {
        use std::os::windows::fs::OpenOptionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("Revideringsförslag.docx");
        std::fs::write(&target, "gammalt").unwrap();
        let word = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .share_mode(0)
            .open(&target)
            .unwrap();
        let tmp = tmp_with(dir.path(), "nytt");
        let started = std::time::Instant::now();
        let e = replace_file(&tmp, &target).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::ResourceBusy, "{e}");
        assert!(e.to_string().contains("open in another program"), "{e}");
        assert!(started.elapsed() >= HELD_OPEN_FOR, "it retried first");
        drop(word);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "gammalt");
        assert!(
            tmp.exists(),
            "the caller's temporary file is its own to remove"
        );
    }

    /// A scanner that lets go within the retry time does not fail the replace.
    #[cfg(windows)]
    #[test]
    fn a_target_held_open_for_a_moment_is_replaced_once_it_is_free() {
        use std::os::windows::fs::OpenOptionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("risker.xlsx");
        std::fs::write(&target, "gammalt").unwrap();
        let scanner = std::fs::OpenOptions::new()
            .read(true)
            .share_mode(0)
            .open(&target)
            .unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(scanner);
        });
        let tmp = tmp_with(dir.path(), "nytt");
        replace_file(&tmp, &target).unwrap();
        release.join().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "nytt");
    }

    #[cfg(windows)]
    #[test]
    fn a_read_only_target_is_refused_with_that_reason() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("låst.docx");
        std::fs::write(&target, "gammalt").unwrap();
        let mut perms = std::fs::metadata(&target).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&target, perms).unwrap();
        let tmp = tmp_with(dir.path(), "nytt");
        let e = replace_file(&tmp, &target).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::PermissionDenied);
        assert!(e.to_string().contains("read-only"), "{e}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "gammalt");
    }
}
