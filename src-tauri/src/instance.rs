//! One running app per library. A second `kryphal-desktop` started on the
//! same library (a `.kryphal` file opened from the file manager while the
//! app runs, or the icon clicked again) hands its file to the running app
//! over a Unix socket and exits; the running app comes forward and offers
//! the import. Two processes on one library would keep two undo histories
//! and two search caches of the same file.
//!
//! The socket lives in a folder only this user can enter
//! (`$XDG_RUNTIME_DIR/kryphal/`, else `/tmp/kryphal-UID/`), named by a hash
//! of the library's full path, so two different libraries still run side
//! by side. Where no such socket can be made (a folder owned by someone
//! else, a path too long, no Unix sockets), the app runs on its own.
//!
//! The protocol is one line each way: `kryphal 1 open PATH` or
//! `kryphal 1 focus`, answered by `ok`.

#![cfg(unix)]

use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

const HELLO: &str = "kryphal 1 ";
/// Longest request line read (a path is far shorter).
const MAX_LINE: u64 = 16 * 1024;
/// How long a starting instance waits for the running one to answer.
const ANSWER_WITHIN: Duration = Duration::from_secs(3);
/// Unix socket paths are limited to 108 bytes on Linux.
const MAX_SOCKET_PATH: usize = 100;

/// What a starting instance should do.
pub enum Claim {
    /// No other instance runs on this library: this one serves the socket.
    First(Instance),
    /// The running instance took the file (or was brought forward): exit.
    HandedOver,
    /// The socket could not be set up; run without hand-over (`reason` says why).
    Alone(String),
}

/// The socket of the instance that runs on a library.
pub struct Instance {
    listener: UnixListener,
    path: PathBuf,
    inode: u64,
}

/// What the running instance is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Come forward, and offer to import this file.
    Open(PathBuf),
    /// Come forward.
    Focus,
}

/// Claims `library` for this process, or hands `opened` over to the
/// process that already runs on it.
pub fn claim(library: &Path, opened: Option<&Path>) -> Claim {
    let dir = match private_dir() {
        Ok(dir) => dir,
        Err(reason) => return Claim::Alone(reason),
    };
    claim_in(&dir, library, opened)
}

fn claim_in(dir: &Path, library: &Path, opened: Option<&Path>) -> Claim {
    let socket = dir.join(socket_name(library));
    if socket.as_os_str().len() > MAX_SOCKET_PATH {
        return Claim::Alone(format!("the socket path {} is too long", socket.display()));
    }
    let request = match opened {
        Some(p) if p.as_os_str().as_bytes().contains(&b'\n') => {
            return Claim::Alone("the opened file's name holds a line break".into());
        }
        Some(p) => Request::Open(p.to_path_buf()),
        None => Request::Focus,
    };
    for _ in 0..2 {
        if hand_over(&socket, &request).is_ok() {
            return Claim::HandedOver;
        }
        // Nobody answers: a socket left by an instance that died is removed.
        if fs::symlink_metadata(&socket).is_ok_and(|m| m.file_type().is_socket()) {
            let _ = fs::remove_file(&socket);
        }
        match UnixListener::bind(&socket) {
            Ok(listener) => {
                let _ = fs::set_permissions(&socket, fs::Permissions::from_mode(0o600));
                let inode = fs::metadata(&socket).map(|m| m.ino()).unwrap_or(0);
                return Claim::First(Instance {
                    listener,
                    path: socket,
                    inode,
                });
            }
            // Another instance bound it a moment ago: ask that one.
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => continue,
            Err(e) => return Claim::Alone(format!("{}: {e}", socket.display())),
        }
    }
    Claim::Alone(format!("{} is busy", socket.display()))
}

/// `$XDG_RUNTIME_DIR/kryphal`, else `TMPDIR/kryphal-UID`: created for this
/// user alone, and refused when anyone else could enter it.
fn private_dir() -> Result<PathBuf, String> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let uid = unsafe { libc::geteuid() };
    let dir = match std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from) {
        Some(run) if run.is_absolute() && run.is_dir() => run.join("kryphal"),
        _ => std::env::temp_dir().join(format!("kryphal-{uid}")),
    };
    match fs::DirBuilder::new().mode(0o700).create(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(format!("{}: {e}", dir.display())),
    }
    let meta = fs::symlink_metadata(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if !meta.is_dir() || meta.uid() != uid || meta.mode() & 0o077 != 0 {
        return Err(format!(
            "{} is not a folder for this user alone",
            dir.display()
        ));
    }
    Ok(dir)
}

/// The socket's file name: a hash of the library's full path (FNV-1a,
/// stable between builds, so every version finds the same name).
fn socket_name(library: &Path) -> String {
    let full = fs::canonicalize(library)
        .or_else(|_| std::path::absolute(library))
        .unwrap_or_else(|_| library.to_path_buf());
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in full.as_os_str().as_bytes() {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}.sock")
}

fn hand_over(socket: &Path, request: &Request) -> io::Result<()> {
    let mut stream = UnixStream::connect(socket)?;
    stream.set_read_timeout(Some(ANSWER_WITHIN))?;
    stream.set_write_timeout(Some(ANSWER_WITHIN))?;
    let mut line = HELLO.as_bytes().to_vec();
    match request {
        Request::Open(path) => {
            line.extend_from_slice(b"open ");
            line.extend_from_slice(path.as_os_str().as_bytes());
        }
        Request::Focus => line.extend_from_slice(b"focus"),
    }
    line.push(b'\n');
    stream.write_all(&line)?;
    let mut answer = String::new();
    BufReader::new(stream.take(16)).read_line(&mut answer)?;
    if answer.trim_end() == "ok" {
        Ok(())
    } else {
        Err(io::Error::other(
            "the running instance did not take the request",
        ))
    }
}

/// Reads one request; `None` for anything that is not one.
fn read_request(stream: &UnixStream) -> Option<Request> {
    let mut line = Vec::new();
    BufReader::new(stream.take(MAX_LINE))
        .read_until(b'\n', &mut line)
        .ok()?;
    let line = line.strip_suffix(b"\n")?;
    let rest = line.strip_prefix(HELLO.as_bytes())?;
    if rest == b"focus" {
        return Some(Request::Focus);
    }
    let path = rest.strip_prefix(b"open ")?;
    (!path.is_empty()).then(|| Request::Open(PathBuf::from(std::ffi::OsStr::from_bytes(path))))
}

impl Instance {
    /// Answers requests on a thread of its own for as long as the app runs;
    /// `on_request` is called for each well-formed one.
    pub fn serve(self, on_request: impl Fn(Request) + Send + 'static) -> InstanceGuard {
        let guard = InstanceGuard {
            path: self.path.clone(),
            inode: self.inode,
        };
        let listener = self.listener;
        std::thread::Builder::new()
            .name("kryphal-instance".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    let Ok(mut stream) = stream else { continue };
                    let _ = stream.set_read_timeout(Some(ANSWER_WITHIN));
                    let _ = stream.set_write_timeout(Some(ANSWER_WITHIN));
                    if let Some(request) = read_request(&stream) {
                        on_request(request);
                        let _ = stream.write_all(b"ok\n");
                    } else {
                        let _ = stream.write_all(b"no\n");
                    }
                }
            })
            .map(|_| ())
            .unwrap_or_else(|e| eprintln!("kryphal-desktop: no hand-over thread: {e}"));
        guard
    }
}

/// Removes the socket when the app ends (only if it is still ours: a new
/// instance may have bound the name after this one stopped answering).
pub struct InstanceGuard {
    path: PathBuf,
    inode: u64,
}

impl Drop for InstanceGuard {
    fn drop(&mut self) {
        if fs::metadata(&self.path).is_ok_and(|m| m.ino() == self.inode) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn first(claim: Claim) -> Instance {
        match claim {
            Claim::First(i) => i,
            Claim::HandedOver => panic!("handed over, expected the first instance"),
            Claim::Alone(why) => panic!("alone ({why}), expected the first instance"),
        }
    }

    #[test]
    fn a_second_instance_hands_its_file_to_the_first_and_a_third_library_runs_apart() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.kryphal");
        let (tx, rx) = mpsc::channel();
        let guard = first(claim_in(dir.path(), &library, None)).serve(move |r| tx.send(r).unwrap());

        let bundle = dir.path().join("från Bertil.kryphal");
        assert!(matches!(
            claim_in(dir.path(), &library, Some(&bundle)),
            Claim::HandedOver
        ));
        assert_eq!(
            rx.recv_timeout(ANSWER_WITHIN).unwrap(),
            Request::Open(bundle)
        );
        assert!(matches!(
            claim_in(dir.path(), &library, None),
            Claim::HandedOver
        ));
        assert_eq!(rx.recv_timeout(ANSWER_WITHIN).unwrap(), Request::Focus);

        // The same library named another way is the same library.
        let other_name = dir.path().join(".").join("lib.kryphal");
        assert!(matches!(
            claim_in(dir.path(), &other_name, None),
            Claim::HandedOver
        ));
        assert_eq!(rx.recv_timeout(ANSWER_WITHIN).unwrap(), Request::Focus);

        // Another library is not handed over: it gets its own socket.
        let other = first(claim_in(
            dir.path(),
            &dir.path().join("other.kryphal"),
            None,
        ));
        drop(other);
        drop(guard);
        assert_eq!(
            fs::read_dir(dir.path())
                .unwrap()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().unwrap().is_socket())
                .count(),
            1,
            "the first library's socket is removed when it ends; the unserved one stays until claimed again"
        );
    }

    #[test]
    fn a_socket_left_by_a_dead_instance_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.kryphal");
        // Bound and dropped without being removed: what a killed process leaves.
        let dead = first(claim_in(dir.path(), &library, None));
        let left = dead.path.clone();
        drop(dead.listener);
        assert!(left.exists());
        let (tx, rx) = mpsc::channel();
        let _guard =
            first(claim_in(dir.path(), &library, None)).serve(move |r| tx.send(r).unwrap());
        assert!(matches!(
            claim_in(dir.path(), &library, None),
            Claim::HandedOver
        ));
        assert_eq!(rx.recv_timeout(ANSWER_WITHIN).unwrap(), Request::Focus);
    }

    #[test]
    fn garbage_on_the_socket_is_answered_no_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.kryphal");
        let (tx, rx) = mpsc::channel();
        let instance = first(claim_in(dir.path(), &library, None));
        let socket = instance.path.clone();
        let _guard = instance.serve(move |r| tx.send(r).unwrap());
        for junk in [
            &b"hello\n"[..],
            b"kryphal 1 open \n",
            b"kryphal 2 focus\n",
            b"kryphal 1 focus",
            &[0xff; 40_000],
        ] {
            let mut s = UnixStream::connect(&socket).unwrap();
            s.set_read_timeout(Some(ANSWER_WITHIN)).unwrap();
            let _ = s.write_all(junk);
            let _ = s.shutdown(std::net::Shutdown::Write);
            let mut answer = String::new();
            let _ = s.read_to_string(&mut answer);
            assert_ne!(
                answer,
                "ok\n",
                "{:?} was taken",
                String::from_utf8_lossy(&junk[..junk.len().min(20)])
            );
        }
        assert!(
            rx.recv_timeout(Duration::from_millis(200)).is_err(),
            "no request got through"
        );
        // A well-formed request still does.
        assert!(matches!(
            claim_in(dir.path(), &library, None),
            Claim::HandedOver
        ));
        assert_eq!(rx.recv_timeout(ANSWER_WITHIN).unwrap(), Request::Focus);
    }

    #[test]
    fn a_name_with_a_line_break_or_a_long_path_runs_alone() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.kryphal");
        assert!(matches!(
            claim_in(dir.path(), &library, Some(Path::new("/tmp/a\nb.kryphal"))),
            Claim::Alone(_)
        ));
        let deep = dir.path().join("x".repeat(120));
        assert!(matches!(claim_in(&deep, &library, None), Claim::Alone(_)));
    }

    #[test]
    fn the_private_folder_is_for_this_user_alone() {
        let dir = private_dir().unwrap();
        let meta = fs::metadata(&dir).unwrap();
        assert_eq!(meta.mode() & 0o777, 0o700);
    }
}
