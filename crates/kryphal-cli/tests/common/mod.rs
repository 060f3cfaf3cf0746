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
    kryphal_with(library, args, &[], stdin)
}

/// [`kryphal`] with extra environment variables; none of the caller's
/// `KRYPHAL_LIBRARY` or passphrase-file variables leak in.
pub fn kryphal_with(
    library: &Path,
    args: &[&str],
    envs: &[(&str, &Path)],
    stdin: Option<&str>,
) -> Output {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kryphal"));
    cmd.arg("--library")
        .arg(library)
        .args(args)
        .env("KRYPHAL_USER", "testare")
        .env_remove("KRYPHAL_LIBRARY")
        .env_remove("KRYPHAL_PASSPHRASE_FILE")
        .env_remove("KRYPHAL_BUNDLE_PASSPHRASE_FILE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
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
