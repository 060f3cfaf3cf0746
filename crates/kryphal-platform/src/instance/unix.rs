//! One app per library on Unix: a socket in a folder only this user can
//! enter (`$XDG_RUNTIME_DIR/kryphal/`, else `/tmp/kryphal-UID/`), named by a
//! hash of the library's full path. Where no such socket can be made (a
//! folder owned by someone else, a path too long, no Unix sockets), the app
//! runs on its own.
//!
//! The first instance holds a lock file beside the socket for as long as it
//! runs and answers from the moment it claims the library (requests wait in
//! a queue until the window exists), so a start during a slow first start
//! waits instead of taking over; only the lock's holder ever removes or
//! binds the socket.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{ANSWER_WITHIN, CLAIM_WITHIN, Claim, HELLO, MAX_LINE, Request};

/// Unix socket paths are limited to 108 bytes on Linux.
const MAX_SOCKET_PATH: usize = 100;

/// The claim of the instance that runs on a library: its socket is already
/// answered; the requests wait in `requests` until [`Instance::serve`].
pub struct Instance {
    requests: mpsc::Receiver<Request>,
    guard: InstanceGuard,
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
    let name = socket_name(library);
    let socket = dir.join(format!("{name}.sock"));
    if socket.as_os_str().len() > MAX_SOCKET_PATH {
        return Claim::Alone(format!("the socket path {} is too long", socket.display()));
    }
    let request = match opened {
        Some(p) if p.as_os_str().as_bytes().contains(&b'\n') => {
            return Claim::Alone("the opened file's name holds a line break".into());
        }
        // Absolute, so the running app finds it from its own working folder.
        Some(p) => Request::Open(std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())),
        None => Request::Focus,
    };
    let lock_path = dir.join(format!("{name}.lock"));
    let deadline = Instant::now() + CLAIM_WITHIN;
    loop {
        match hand_over(&socket, &request) {
            Ok(()) => return Claim::HandedOver,
            // Somebody listens but did not take it (a newer protocol, a hung app):
            // never take its socket away; run beside it.
            Err(HandOver::Refused(why)) => {
                return Claim::Alone(format!(
                    "the app running on this library did not answer ({why})"
                ));
            }
            Err(HandOver::NobodyListens) => {}
        }
        // Only the holder of the lock removes and binds the socket.
        let lock = match File::create(&lock_path) {
            Ok(f) => f,
            Err(e) => return Claim::Alone(format!("{}: {e}", lock_path.display())),
        };
        match lock.try_lock() {
            Ok(()) => {
                // Nobody listens and nobody else holds the lock: whatever is at the
                // socket's path was left by an app that ended.
                if fs::symlink_metadata(&socket).is_ok_and(|m| m.file_type().is_socket()) {
                    let _ = fs::remove_file(&socket);
                }
                return match UnixListener::bind(&socket) {
                    Ok(listener) => {
                        let _ = fs::set_permissions(&socket, fs::Permissions::from_mode(0o600));
                        Claim::First(Instance::listen(listener, socket, lock))
                    }
                    Err(e) => Claim::Alone(format!("{}: {e}", socket.display())),
                };
            }
            // Another start is claiming the library right now: ask it in a moment.
            Err(fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Claim::Alone(format!("{} stayed locked", lock_path.display()));
            }
            Err(fs::TryLockError::Error(e)) => {
                return Claim::Alone(format!("{}: {e}", lock_path.display()));
            }
        }
    }
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

/// The socket's (and lock's) file name without extension: a hash of the
/// library's full path (FNV-1a, stable between builds, so every version
/// finds the same name).
fn socket_name(library: &Path) -> String {
    let full = fs::canonicalize(library)
        .or_else(|_| std::path::absolute(library))
        .unwrap_or_else(|_| library.to_path_buf());
    let hash = super::fnv1a(full.as_os_str().as_bytes().iter().copied());
    format!("{hash:016x}")
}

/// Why a hand-over did not happen.
enum HandOver {
    /// No socket, or no process behind it: the library is free.
    NobodyListens,
    /// A process listens but did not take the request.
    Refused(String),
}

fn hand_over(socket: &Path, request: &Request) -> Result<(), HandOver> {
    let mut stream = match UnixStream::connect(socket) {
        Ok(s) => s,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused
            ) =>
        {
            return Err(HandOver::NobodyListens);
        }
        Err(e) => return Err(HandOver::Refused(e.to_string())),
    };
    let refused = |e: io::Error| HandOver::Refused(e.to_string());
    stream
        .set_read_timeout(Some(ANSWER_WITHIN))
        .map_err(refused)?;
    stream
        .set_write_timeout(Some(ANSWER_WITHIN))
        .map_err(refused)?;
    let mut line = HELLO.as_bytes().to_vec();
    match request {
        Request::Open(path) => {
            line.extend_from_slice(b"open ");
            line.extend_from_slice(path.as_os_str().as_bytes());
        }
        Request::Focus => line.extend_from_slice(b"focus"),
    }
    line.push(b'\n');
    stream.write_all(&line).map_err(refused)?;
    let mut answer = String::new();
    BufReader::new(stream.take(16))
        .read_line(&mut answer)
        .map_err(refused)?;
    match answer.trim_end() {
        "ok" => Ok(()),
        other => Err(HandOver::Refused(format!("it answered {other:?}"))),
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
    let path = PathBuf::from(std::ffi::OsStr::from_bytes(rest.strip_prefix(b"open ")?));
    if !path.is_absolute() {
        return None;
    }
    // Only a regular file is offered (a FIFO or a folder would hang or confuse the
    // offer); anything else still brings the window forward.
    Some(if fs::metadata(&path).is_ok_and(|m| m.is_file()) {
        Request::Open(path)
    } else {
        Request::Focus
    })
}

impl Instance {
    /// Answers the socket from now on, each connection on a short thread of
    /// its own (a slow client holds up nobody); requests are queued.
    fn listen(listener: UnixListener, path: PathBuf, lock: File) -> Instance {
        let inode = fs::metadata(&path).map(|m| m.ino()).unwrap_or(0);
        let (tx, requests) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("kryphal-instance".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    let Ok(stream) = stream else {
                        // Out of file handles or the like: wait rather than spin.
                        std::thread::sleep(Duration::from_millis(100));
                        continue;
                    };
                    let tx = tx.clone();
                    let _ = std::thread::Builder::new()
                        .name("kryphal-instance-request".into())
                        .spawn(move || answer(stream, &tx));
                }
            });
        if let Err(e) = spawned {
            eprintln!("kryphal-desktop: no hand-over thread: {e}");
        }
        Instance {
            requests,
            guard: InstanceGuard {
                path,
                inode,
                _lock: lock,
            },
        }
    }

    /// Calls `on_request` for every request, those queued since the claim
    /// first, on a thread of its own for as long as the app runs.
    pub fn serve(self, on_request: impl Fn(Request) + Send + 'static) -> InstanceGuard {
        let requests = self.requests;
        let spawned = std::thread::Builder::new()
            .name("kryphal-instance-serve".into())
            .spawn(move || {
                for request in requests {
                    on_request(request);
                }
            });
        if let Err(e) = spawned {
            eprintln!("kryphal-desktop: no hand-over thread: {e}");
        }
        self.guard
    }
}

fn answer(mut stream: UnixStream, queue: &mpsc::Sender<Request>) {
    let _ = stream.set_read_timeout(Some(ANSWER_WITHIN));
    let _ = stream.set_write_timeout(Some(ANSWER_WITHIN));
    let taken = read_request(&stream).is_some_and(|request| queue.send(request).is_ok());
    let reply: &[u8] = if taken { b"ok\n" } else { b"no\n" };
    let _ = stream.write_all(reply);
}

/// Removes the socket when the app ends (only if it is still ours: a new
/// instance may have bound the name after this one stopped answering).
pub struct InstanceGuard {
    path: PathBuf,
    inode: u64,
    /// Held for the life of the app: while it is, nobody else binds the socket.
    _lock: File,
}

impl Drop for InstanceGuard {
    fn drop(&mut self) {
        // Removed before the lock goes (the field is dropped after this body).
        if fs::metadata(&self.path).is_ok_and(|m| m.ino() == self.inode) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(claim: Claim) -> Instance {
        match claim {
            Claim::First(i) => i,
            Claim::HandedOver => panic!("handed over, expected the first instance"),
            Claim::Alone(why) => panic!("alone ({why}), expected the first instance"),
        }
    }

    fn socket_of(dir: &Path, library: &Path) -> PathBuf {
        dir.join(format!("{}.sock", socket_name(library)))
    }

    fn sockets_in(dir: &Path) -> usize {
        fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().unwrap().is_socket())
            .count()
    }

    #[test]
    fn a_second_instance_hands_its_file_to_the_first_and_another_library_runs_apart() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.kryphal");
        let (tx, rx) = mpsc::channel();
        let guard = first(claim_in(dir.path(), &library, None)).serve(move |r| tx.send(r).unwrap());

        let bundle = dir.path().join("från Bertil.kryphal");
        fs::write(&bundle, b"PK").unwrap();
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
        assert_eq!(sockets_in(dir.path()), 2);
        drop(other);
        drop(guard);
        assert_eq!(
            sockets_in(dir.path()),
            0,
            "each socket is removed when its app ends"
        );
        // And the library is free again.
        drop(first(claim_in(dir.path(), &library, None)));
    }

    #[test]
    fn a_start_during_a_slow_first_start_waits_for_it_and_never_takes_over() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.kryphal");
        // Claimed, but the window is not there yet: nothing served.
        let slow = first(claim_in(dir.path(), &library, None));
        assert!(
            matches!(claim_in(dir.path(), &library, None), Claim::HandedOver),
            "queued, not taken over"
        );
        assert_eq!(sockets_in(dir.path()), 1);
        let (tx, rx) = mpsc::channel();
        let _guard = slow.serve(move |r| tx.send(r).unwrap());
        assert_eq!(
            rx.recv_timeout(ANSWER_WITHIN).unwrap(),
            Request::Focus,
            "the queued request arrives once served"
        );
    }

    #[test]
    fn a_socket_left_by_a_killed_app_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.kryphal");
        // What a killed process leaves: the socket file, nobody behind it, no lock held.
        drop(UnixListener::bind(socket_of(dir.path(), &library)).unwrap());
        assert_eq!(sockets_in(dir.path()), 1);
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
    fn only_an_existing_regular_file_is_offered_and_a_relative_name_is_made_absolute() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.kryphal");
        let (tx, rx) = mpsc::channel();
        let _guard =
            first(claim_in(dir.path(), &library, None)).serve(move |r| tx.send(r).unwrap());
        let fifo = dir.path().join("fifo.kryphal");
        let c = std::ffi::CString::new(fifo.as_os_str().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        for not_a_file in [
            fifo,
            dir.path().to_path_buf(),
            dir.path().join("gone.kryphal"),
        ] {
            assert!(matches!(
                claim_in(dir.path(), &library, Some(&not_a_file)),
                Claim::HandedOver
            ));
            assert_eq!(
                rx.recv_timeout(ANSWER_WITHIN).unwrap(),
                Request::Focus,
                "{not_a_file:?} is not offered"
            );
        }
        // A relative name is sent as seen from the second start's folder (here: the test's).
        let here = std::env::current_dir().unwrap().join("Cargo.toml");
        assert!(matches!(
            claim_in(dir.path(), &library, Some(Path::new("Cargo.toml"))),
            Claim::HandedOver
        ));
        assert_eq!(rx.recv_timeout(ANSWER_WITHIN).unwrap(), Request::Open(here));
    }

    #[test]
    fn garbage_on_the_socket_is_answered_no_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.kryphal");
        let (tx, rx) = mpsc::channel();
        let _guard =
            first(claim_in(dir.path(), &library, None)).serve(move |r| tx.send(r).unwrap());
        let socket = socket_of(dir.path(), &library);
        let junk: [&[u8]; 6] = [
            b"hello\n",
            b"kryphal 1 open \n",
            b"kryphal 1 open relative.kryphal\n",
            b"kryphal 2 focus\n",
            b"kryphal 1 focus",
            &[0xff; 40_000],
        ];
        for bytes in junk {
            let mut s = UnixStream::connect(&socket).unwrap();
            s.set_read_timeout(Some(ANSWER_WITHIN)).unwrap();
            let _ = s.write_all(bytes);
            let _ = s.shutdown(std::net::Shutdown::Write);
            let mut answer = String::new();
            let _ = s.read_to_string(&mut answer);
            assert_ne!(
                answer,
                "ok\n",
                "{:?} was taken",
                String::from_utf8_lossy(&bytes[..bytes.len().min(20)])
            );
        }
        assert!(
            rx.recv_timeout(Duration::from_millis(200)).is_err(),
            "no request got through"
        );
        // A client that sends nothing holds up nobody.
        let _silent = UnixStream::connect(&socket).unwrap();
        assert!(matches!(
            claim_in(dir.path(), &library, None),
            Claim::HandedOver
        ));
        assert_eq!(rx.recv_timeout(ANSWER_WITHIN).unwrap(), Request::Focus);
    }

    #[test]
    fn a_listener_that_does_not_take_the_request_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.kryphal");
        // Something else listens on the name (say a newer Kryphål that answers "no").
        let listener = UnixListener::bind(socket_of(dir.path(), &library)).unwrap();
        std::thread::spawn(move || {
            for mut s in listener.incoming().flatten() {
                let _ = s.write_all(b"no\n");
            }
        });
        assert!(matches!(
            claim_in(dir.path(), &library, None),
            Claim::Alone(_)
        ));
        assert_eq!(sockets_in(dir.path()), 1, "its socket is not removed");
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
