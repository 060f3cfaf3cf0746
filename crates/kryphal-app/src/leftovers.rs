//! Temporary files beside the library, and what a crash leaves of them.
//!
//! A backup, a restore and every export are written to a temporary file
//! first and renamed into place. A process killed on the way leaves that
//! file behind — for a backup or a restore a whole copy of the library. So:
//!
//! - a temporary file is created new and named `.<name>.kryphal-<uuid>.tmp`;
//!   a copy of the library (a backup, the copy a restore checks) is readable
//!   by its owner only (0600 on Unix), and so is the backup it becomes; the
//!   backup of an encrypted library is encrypted as it is written, so its
//!   temporary file never holds plaintext;
//! - while it is in use the process holds an advisory lock on it (Unix), and
//!   it is removed when the work ends, also on an error;
//! - [`sweep`] removes the ones left by a killed process — no lock held and
//!   older than a minute — with SQLite's `-journal`, `-wal` and `-shm` files
//!   beside them. `Library::open` sweeps the library's folder; a backup
//!   sweeps the folder it writes to. Files left by versions before this one
//!   (`.restore-<uuid>.tmp`, `.<name>.kryphal.<uuid>.tmp`) are swept too
//!   when they are library files.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// SQLite's companion files of a database file.
const COMPANIONS: [&str; 3] = ["-journal", "-wal", "-shm"];

/// A temporary file this process is using.
pub(crate) struct TempFile {
    path: PathBuf,
    file: Option<File>,
}

impl TempFile {
    /// A new temporary file in `dir` for `name` (`dir/.name.kryphal-<uuid>.tmp`),
    /// created empty (owner-only when `private`), locked while this value lives.
    pub(crate) fn new(dir: &Path, name: &str, private: bool) -> std::io::Result<TempFile> {
        let path = dir.join(format!(
            ".{name}.kryphal-{}.tmp",
            uuid::Uuid::new_v4().simple()
        ));
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        if private {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        #[cfg(not(unix))]
        let _ = private;
        let file = options.open(&path)?;
        #[cfg(unix)]
        {
            // An advisory lock (flock) that SQLite's own locks (fcntl) do not
            // see: it tells a sweeping process that the file is in use.
            let _ = file.try_lock();
        }
        Ok(TempFile {
            path,
            file: Some(file),
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Closes the file (and releases the lock) but keeps the path, which
    /// is still removed on drop if it is there: Windows renames no open file.
    pub(crate) fn close(&mut self) {
        self.file.take();
    }

    /// The open file, to write through.
    pub(crate) fn file(&mut self) -> &mut File {
        self.file.as_mut().expect("open until dropped")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        // Removed first, unlocked after: a sweeping process never sees it unlocked.
        remove_with_companions(&self.path);
        self.file.take();
    }
}

fn remove_with_companions(path: &Path) {
    let _ = std::fs::remove_file(path);
    for suffix in COMPANIONS {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// Whether `name` is a temporary file of Kryphål's (see the module docs),
/// and whether it is one of the older kinds that are removed only when they
/// are library files.
fn temp_kind(name: &str) -> Option<bool> {
    let stem = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let hex32 = |s: &str| s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some((_, uuid)) = stem.rsplit_once(".kryphal-")
        && hex32(uuid)
    {
        return Some(false);
    }
    if let Some(uuid) = stem.strip_prefix("restore-")
        && hex32(uuid)
    {
        return Some(true);
    }
    if let Some((base, uuid)) = stem.rsplit_once('.')
        && hex32(uuid)
        && base.ends_with(".kryphal")
    {
        return Some(true);
    }
    None
}

/// Removes the temporary files a killed Kryphål left in `dir` (see the
/// module docs); returns how many it removed. Never fails: a file it cannot
/// judge or remove stays.
pub(crate) fn sweep(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(old_kind) = temp_kind(name) else {
            continue;
        };
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        // A minute's grace: a file just created may not be locked yet.
        let age = meta
            .modified()
            .ok()
            .and_then(|m| SystemTime::now().duration_since(m).ok())
            .unwrap_or_default();
        if age < Duration::from_secs(60) {
            continue;
        }
        if old_kind
            && !matches!(
                kryphal_store::FileKind::of(&path),
                kryphal_store::FileKind::Plain | kryphal_store::FileKind::Encrypted
            )
        {
            continue;
        }
        if in_use(&path, age) {
            continue;
        }
        remove_with_companions(&path);
        removed += 1;
    }
    removed
}

/// Whether another process holds the file (its lock on Unix; elsewhere,
/// where SQLite's own locks would conflict with a whole-file lock, a file
/// touched in the last hour counts as in use).
fn in_use(path: &Path, age: Duration) -> bool {
    #[cfg(unix)]
    {
        let _ = age;
        let Ok(file) = File::open(path) else {
            return true;
        };
        match file.try_lock() {
            Ok(()) => {
                let _ = file.unlock();
                false
            }
            Err(_) => true,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        age < Duration::from_secs(3600)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_recognised_and_others_left_alone() {
        let uuid = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            temp_kind(&format!(".b.kryphal.kryphal-{uuid}.tmp")),
            Some(false)
        );
        assert_eq!(
            temp_kind(&format!(".memo.docx.kryphal-{uuid}.tmp")),
            Some(false)
        );
        assert_eq!(temp_kind(&format!(".restore-{uuid}.tmp")), Some(true));
        assert_eq!(temp_kind(&format!(".b.kryphal.{uuid}.tmp")), Some(true));
        assert_eq!(temp_kind(&format!(".memo.docx.{uuid}.tmp")), None);
        assert_eq!(temp_kind(&format!("b.kryphal.kryphal-{uuid}.tmp")), None);
        assert_eq!(temp_kind(".b.kryphal.kryphal-123.tmp"), None);
        assert_eq!(temp_kind("library.kryphal"), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_temporary_file_is_private_locked_and_removed_with_its_companions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let temp = TempFile::new(dir.path(), "b.kryphal", true).unwrap();
        let path = temp.path().to_path_buf();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let mut journal = path.as_os_str().to_owned();
        journal.push("-journal");
        std::fs::write(PathBuf::from(&journal), b"x").unwrap();
        // In use: another file handle cannot take the lock.
        assert!(in_use(&path, Duration::from_secs(3600)));
        drop(temp);
        assert!(!path.exists());
        assert!(!PathBuf::from(journal).exists());
    }
}
