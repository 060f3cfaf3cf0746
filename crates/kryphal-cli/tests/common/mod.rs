//! Shared by the CLI test files: running the real `kryphal` binary as a user would.

#![allow(dead_code)] // each test file uses its own part

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The built-in sample document, a real file on disk.
pub const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../kryphal-app/sample/reglemente-kundval-hemtjanst.md"
);

/// Runs `kryphal --library LIBRARY ARGS…` as the user `testare`, with
/// `stdin` fed to it (or closed), and waits for it.
pub fn kryphal(library: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kryphal"))
        .arg("--library")
        .arg(library)
        .args(args)
        .env("KRYPHAL_USER", "testare")
        .env_remove("KRYPHAL_LIBRARY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// The standard output of a run that must have succeeded.
pub fn succeeded(args: &[&str], out: Output) -> String {
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
