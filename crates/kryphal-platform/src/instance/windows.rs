//! One app per library on Windows: a named pipe
//! (`\\.\pipe\kryphal-<hash>`, the hash of the user's name and the library's
//! full path, case folded as Windows folds file names).
//!
//! The first instance creates the pipe with `FILE_FLAG_FIRST_PIPE_INSTANCE`:
//! Windows lets exactly one process do that while the name exists, so the
//! pipe is its own lock (no lock file, nothing left behind by a killed app:
//! the name goes with the process). The pipe refuses remote clients, and its
//! default security lets other users only read, never send a request. It
//! answers from the moment the library is claimed (requests wait in a queue
//! until the window exists), so a start during a slow first start waits
//! instead of taking over.

use std::ffi::OsStr;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::windows::ffi::OsStrExt;
use std::os::windows::io::{FromRawHandle, OwnedHandle, RawHandle};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use windows_sys::Win32::Foundation::{
    ERROR_ACCESS_DENIED, ERROR_PIPE_BUSY, ERROR_PIPE_CONNECTED, GetLastError, INVALID_HANDLE_VALUE,
};
use windows_sys::Win32::Storage::FileSystem::{
    FILE_FLAG_FIRST_PIPE_INSTANCE, FlushFileBuffers, PIPE_ACCESS_DUPLEX,
};
use windows_sys::Win32::System::Pipes::{
    ConnectNamedPipe, CreateNamedPipeW, PIPE_READMODE_BYTE, PIPE_REJECT_REMOTE_CLIENTS,
    PIPE_TYPE_BYTE, PIPE_UNLIMITED_INSTANCES, PIPE_WAIT,
};

use super::{ANSWER_WITHIN, CLAIM_WITHIN, Claim, HELLO, MAX_LINE, Request};

/// The claim of the instance that runs on a library: its pipe is already
/// answered; the requests wait in `requests` until [`Instance::serve`].
pub struct Instance {
    requests: mpsc::Receiver<Request>,
    guard: InstanceGuard,
}

/// Claims `library` for this process, or hands `opened` over to the
/// process that already runs on it.
pub fn claim(library: &Path, opened: Option<&Path>) -> Claim {
    claim_in("kryphal", library, opened)
}

/// `prefix` keeps the tests' pipes apart from a running app's.
fn claim_in(prefix: &str, library: &Path, opened: Option<&Path>) -> Claim {
    let pipe = pipe_name(prefix, library);
    let request = match opened {
        Some(p) => {
            // Absolute, so the running app finds it from its own working folder.
            let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
            match p.to_str() {
                Some(s) if !s.contains(['\n', '\r']) => Request::Open(p),
                _ => return Claim::Alone("the opened file's name cannot be sent".into()),
            }
        }
        None => Request::Focus,
    };
    let deadline = Instant::now() + CLAIM_WITHIN;
    loop {
        match hand_over(&pipe, &request) {
            Ok(()) => return Claim::HandedOver,
            Err(HandOver::Refused(why)) => {
                return Claim::Alone(format!(
                    "the app running on this library did not answer ({why})"
                ));
            }
            Err(HandOver::Busy) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
            Err(HandOver::Busy) => {
                return Claim::Alone(format!("{pipe} stayed busy"));
            }
            Err(HandOver::NobodyListens) => {}
        }
        match create_pipe(&pipe, true) {
            Ok(handle) => return Claim::First(Instance::listen(handle, pipe)),
            // Another process made the pipe a moment ago (a start racing this one,
            // or the running app between two pipe instances): ask it again.
            Err(e) if e.raw_os_error() == Some(ERROR_ACCESS_DENIED as i32) => {
                if Instant::now() >= deadline {
                    return Claim::Alone(format!("{pipe} belongs to another process"));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => return Claim::Alone(format!("{pipe}: {e}")),
        }
    }
}

/// `\\.\pipe\PREFIX-<hash>`: FNV-1a of the user's name and the library's
/// absolute path in lower case (Windows file names ignore case). Not
/// `canonicalize`: it would name a library that exists (`\\?\C:\…`) other
/// than one about to be created (`C:\…`).
fn pipe_name(prefix: &str, library: &Path) -> String {
    let full = std::path::absolute(library).unwrap_or_else(|_| library.to_path_buf());
    let full = full.to_string_lossy();
    let full = full.strip_prefix(r"\\?\").unwrap_or(&full).to_lowercase();
    let user = std::env::var("USERNAME").unwrap_or_default().to_lowercase();
    let key = format!("{user}\n{full}");
    format!(r"\\.\pipe\{prefix}-{:016x}", super::fnv1a(key.bytes()))
}

fn wide(s: &str) -> Vec<u16> {
    OsStr::new(s).encode_wide().chain(Some(0)).collect()
}

/// Creates one instance of the pipe; `first`: only if no instance exists.
fn create_pipe(name: &str, first: bool) -> io::Result<OwnedHandle> {
    let name = wide(name);
    let mut open_mode = PIPE_ACCESS_DUPLEX;
    if first {
        open_mode |= FILE_FLAG_FIRST_PIPE_INSTANCE;
    }
    // SAFETY: `name` is NUL-terminated UTF-16 that outlives the call; no
    // security attributes (the default: the creator, SYSTEM and
    // administrators have full control, everyone else may only read).
    let handle = unsafe {
        CreateNamedPipeW(
            name.as_ptr(),
            open_mode,
            PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
            PIPE_UNLIMITED_INSTANCES,
            4096,
            4096,
            0,
            std::ptr::null(),
        )
    };
    if handle == INVALID_HANDLE_VALUE {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a valid handle that nothing else owns.
    Ok(unsafe { OwnedHandle::from_raw_handle(handle as RawHandle) })
}

/// Why a hand-over did not happen.
enum HandOver {
    /// No pipe: the library is free.
    NobodyListens,
    /// The pipe exists but every instance is taken: try again shortly.
    Busy,
    /// A process listens but did not take the request.
    Refused(String),
}

fn hand_over(pipe: &str, request: &Request) -> Result<(), HandOver> {
    let stream = match OpenOptions::new().read(true).write(true).open(pipe) {
        Ok(s) => s,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(HandOver::NobodyListens),
        Err(e) if e.raw_os_error() == Some(ERROR_PIPE_BUSY as i32) => return Err(HandOver::Busy),
        Err(e) => return Err(HandOver::Refused(e.to_string())),
    };
    let mut line = HELLO.to_string();
    match request {
        Request::Open(path) => {
            line.push_str("open ");
            line.push_str(&path.to_string_lossy());
        }
        Request::Focus => line.push_str("focus"),
    }
    line.push('\n');
    // A pipe has no timeouts of its own: talk on a thread and stop waiting for
    // it after ANSWER_WITHIN (a hung app must not hang this start).
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut stream = stream;
        let result = (|| {
            stream.write_all(line.as_bytes())?;
            let mut answer = String::new();
            BufReader::new((&stream).take(16)).read_line(&mut answer)?;
            Ok::<_, io::Error>(answer)
        })();
        let _ = tx.send(result);
    });
    match rx.recv_timeout(ANSWER_WITHIN) {
        Ok(Ok(answer)) if answer.trim_end() == "ok" => Ok(()),
        Ok(Ok(other)) => Err(HandOver::Refused(format!("it answered {other:?}"))),
        Ok(Err(e)) => Err(HandOver::Refused(e.to_string())),
        Err(_) => Err(HandOver::Refused("no answer in time".into())),
    }
}

/// Reads one request; `None` for anything that is not one.
fn read_request(stream: &File) -> Option<Request> {
    let mut line = Vec::new();
    BufReader::new(stream.take(MAX_LINE))
        .read_until(b'\n', &mut line)
        .ok()?;
    let line = std::str::from_utf8(line.strip_suffix(b"\n")?).ok()?;
    let rest = line.strip_prefix(HELLO)?;
    if rest == "focus" {
        return Some(Request::Focus);
    }
    let path = PathBuf::from(rest.strip_prefix("open ")?);
    if !path.is_absolute() {
        return None;
    }
    // Only a regular file is offered; anything else still brings the window forward.
    Some(if std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
        Request::Open(path)
    } else {
        Request::Focus
    })
}

impl Instance {
    /// Answers the pipe from now on: one instance waits for a client while
    /// the one before answers on a short thread of its own; requests are queued.
    fn listen(first: OwnedHandle, name: String) -> Instance {
        let (tx, requests) = mpsc::channel();
        let closing = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&closing);
        let pipe = name.clone();
        let spawned = std::thread::Builder::new()
            .name("kryphal-instance".into())
            .spawn(move || {
                let mut waiting = first;
                loop {
                    // SAFETY: a valid pipe handle; no OVERLAPPED (a blocking wait).
                    let connected = unsafe {
                        ConnectNamedPipe(waiting.as_raw_handle_ptr(), std::ptr::null_mut())
                    } != 0
                        || unsafe { GetLastError() } == ERROR_PIPE_CONNECTED;
                    if stop.load(Ordering::SeqCst) {
                        // The guard woke us to close: the name goes with the last handle.
                        return;
                    }
                    // The next instance exists before this one is answered, so a
                    // client always finds one (or is told the pipe is busy).
                    let next = match create_pipe(&pipe, false) {
                        Ok(h) => h,
                        Err(e) => {
                            eprintln!("kryphal-desktop: hand-over stopped: {e}");
                            return;
                        }
                    };
                    let served = std::mem::replace(&mut waiting, next);
                    if connected {
                        let tx = tx.clone();
                        let _ = std::thread::Builder::new()
                            .name("kryphal-instance-request".into())
                            .spawn(move || answer(File::from(served), &tx));
                    }
                }
            });
        if let Err(e) = spawned {
            eprintln!("kryphal-desktop: no hand-over thread: {e}");
        }
        Instance {
            requests,
            guard: InstanceGuard { name, closing },
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

/// Raw handle access for the FFI calls.
trait AsRawHandlePtr {
    fn as_raw_handle_ptr(&self) -> windows_sys::Win32::Foundation::HANDLE;
}

impl AsRawHandlePtr for OwnedHandle {
    fn as_raw_handle_ptr(&self) -> windows_sys::Win32::Foundation::HANDLE {
        std::os::windows::io::AsRawHandle::as_raw_handle(self) as _
    }
}

fn answer(mut stream: File, queue: &mpsc::Sender<Request>) {
    let taken = read_request(&stream).is_some_and(|request| queue.send(request).is_ok());
    let reply: &[u8] = if taken { b"ok\n" } else { b"no\n" };
    let _ = stream.write_all(reply);
    // The reply must be read before the handle closes (closing drops unread data).
    // SAFETY: a valid pipe handle.
    unsafe {
        FlushFileBuffers(std::os::windows::io::AsRawHandle::as_raw_handle(&stream) as _);
    }
}

/// Closes the pipe when the app's main window goes, so that a new start is
/// not handed to an app that ends.
pub struct InstanceGuard {
    name: String,
    closing: Arc<AtomicBool>,
}

impl Drop for InstanceGuard {
    fn drop(&mut self) {
        self.closing.store(true, Ordering::SeqCst);
        // Wake the listener from its wait with a connection of our own; it sees
        // the flag and closes the waiting instance.
        let _ = OpenOptions::new().read(true).write(true).open(&self.name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    /// A pipe prefix of its own for every test (they run in parallel).
    fn prefix() -> String {
        static N: AtomicUsize = AtomicUsize::new(0);
        format!(
            "kryphal-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        )
    }

    fn first(claim: Claim) -> Instance {
        match claim {
            Claim::First(i) => i,
            Claim::HandedOver => panic!("handed over, expected the first instance"),
            Claim::Alone(why) => panic!("alone ({why}), expected the first instance"),
        }
    }

    #[test]
    fn a_second_instance_hands_its_file_to_the_first_and_another_library_runs_apart() {
        let p = prefix();
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("Bibliotek för Åsa.kryphal");
        let (tx, rx) = mpsc::channel();
        let guard = first(claim_in(&p, &library, None)).serve(move |r| tx.send(r).unwrap());

        let bundle = dir.path().join("från Bertil ä ö.kryphal");
        std::fs::write(&bundle, b"PK").unwrap();
        assert!(matches!(
            claim_in(&p, &library, Some(&bundle)),
            Claim::HandedOver
        ));
        assert_eq!(
            rx.recv_timeout(ANSWER_WITHIN).unwrap(),
            Request::Open(bundle)
        );
        assert!(matches!(claim_in(&p, &library, None), Claim::HandedOver));
        assert_eq!(rx.recv_timeout(ANSWER_WITHIN).unwrap(), Request::Focus);

        // The same library named another way (case, a `.`) is the same library.
        let other_name = PathBuf::from(library.to_string_lossy().to_uppercase());
        assert!(matches!(claim_in(&p, &other_name, None), Claim::HandedOver));
        assert_eq!(rx.recv_timeout(ANSWER_WITHIN).unwrap(), Request::Focus);
        let dotted = dir.path().join(".").join("Bibliotek för Åsa.kryphal");
        assert!(matches!(claim_in(&p, &dotted, None), Claim::HandedOver));
        assert_eq!(rx.recv_timeout(ANSWER_WITHIN).unwrap(), Request::Focus);

        // Another library is not handed over: it gets its own pipe.
        let other = first(claim_in(&p, &dir.path().join("other.kryphal"), None));
        drop(other);
        drop(guard);
        // The library is free again once its app's guard is gone.
        drop(first(claim_in(&p, &library, None)));
    }

    #[test]
    fn a_start_during_a_slow_first_start_waits_for_it_and_never_takes_over() {
        let p = prefix();
        let library = Path::new(r"C:\Kryphål\lib.kryphal");
        // Claimed, but the window is not there yet: nothing served.
        let slow = first(claim_in(&p, library, None));
        assert!(
            matches!(claim_in(&p, library, None), Claim::HandedOver),
            "queued, not taken over"
        );
        let (tx, rx) = mpsc::channel();
        let _guard = slow.serve(move |r| tx.send(r).unwrap());
        assert_eq!(
            rx.recv_timeout(ANSWER_WITHIN).unwrap(),
            Request::Focus,
            "the queued request arrives once served"
        );
    }

    #[test]
    fn many_starts_at_once_all_reach_the_one_first_instance() {
        let p = prefix();
        let library = Path::new(r"C:\many\lib.kryphal");
        let (tx, rx) = mpsc::channel();
        let _guard = first(claim_in(&p, library, None)).serve(move |r| tx.send(r).unwrap());
        let starts: Vec<_> = (0..8)
            .map(|_| {
                let p = p.clone();
                std::thread::spawn(move || matches!(claim_in(&p, library, None), Claim::HandedOver))
            })
            .collect();
        for s in starts {
            assert!(s.join().unwrap(), "every start was handed over");
        }
        for _ in 0..8 {
            assert_eq!(rx.recv_timeout(ANSWER_WITHIN).unwrap(), Request::Focus);
        }
    }

    #[test]
    fn only_an_existing_regular_file_is_offered_and_a_relative_name_is_made_absolute() {
        let p = prefix();
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.kryphal");
        let (tx, rx) = mpsc::channel();
        let _guard = first(claim_in(&p, &library, None)).serve(move |r| tx.send(r).unwrap());
        for not_a_file in [dir.path().to_path_buf(), dir.path().join("gone.kryphal")] {
            assert!(matches!(
                claim_in(&p, &library, Some(&not_a_file)),
                Claim::HandedOver
            ));
            assert_eq!(
                rx.recv_timeout(ANSWER_WITHIN).unwrap(),
                Request::Focus,
                "{not_a_file:?} is not offered"
            );
        }
        let here = std::env::current_dir().unwrap().join("Cargo.toml");
        if here.is_file() {
            assert!(matches!(
                claim_in(&p, &library, Some(Path::new("Cargo.toml"))),
                Claim::HandedOver
            ));
            assert_eq!(rx.recv_timeout(ANSWER_WITHIN).unwrap(), Request::Open(here));
        }
    }

    #[test]
    fn garbage_on_the_pipe_is_answered_no_and_changes_nothing() {
        let p = prefix();
        let library = Path::new(r"C:\junk\lib.kryphal");
        let (tx, rx) = mpsc::channel();
        let _guard = first(claim_in(&p, library, None)).serve(move |r| tx.send(r).unwrap());
        let pipe = pipe_name(&p, library);
        let junk: [&[u8]; 6] = [
            b"hello\n",
            b"kryphal 1 open \n",
            b"kryphal 1 open relative.kryphal\n",
            b"kryphal 2 focus\n",
            b"kryphal 1 open \xff\xfe\n",
            &[0xff; MAX_LINE as usize + 100],
        ];
        for bytes in junk {
            let mut s = OpenOptions::new()
                .read(true)
                .write(true)
                .open(&pipe)
                .unwrap();
            let _ = s.write_all(bytes);
            // Past the length limit the answer comes without a line end.
            let mut answer = String::new();
            let _ = BufReader::new(&s).read_line(&mut answer);
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
        let _silent = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&pipe)
            .unwrap();
        assert!(matches!(claim_in(&p, library, None), Claim::HandedOver));
        assert_eq!(rx.recv_timeout(ANSWER_WITHIN).unwrap(), Request::Focus);
    }

    #[test]
    fn a_listener_that_does_not_take_the_request_is_left_alone() {
        let p = prefix();
        let library = Path::new(r"C:\other\lib.kryphal");
        // Something else owns the name (say a newer Kryphål that answers "no").
        let pipe = pipe_name(&p, library);
        let server = create_pipe(&pipe, true).unwrap();
        std::thread::spawn(move || {
            // SAFETY: a valid pipe handle; a blocking wait.
            unsafe { ConnectNamedPipe(server.as_raw_handle_ptr(), std::ptr::null_mut()) };
            let mut s = File::from(server);
            let mut line = String::new();
            let _ = BufReader::new(&s).read_line(&mut line);
            let _ = s.write_all(b"no\n");
            std::thread::sleep(Duration::from_secs(1));
        });
        assert!(matches!(claim_in(&p, library, None), Claim::Alone(_)));
    }

    #[test]
    fn the_pipe_name_ignores_case_and_differs_per_library() {
        let a = pipe_name("k", Path::new(r"C:\Users\Åsa\AppData\Local\lib.kryphal"));
        let b = pipe_name("k", Path::new(r"c:\users\åsa\appdata\local\LIB.kryphal"));
        let c = pipe_name("k", Path::new(r"C:\Users\Åsa\AppData\Local\annan.kryphal"));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.starts_with(r"\\.\pipe\k-"), "{a}");
    }
}
