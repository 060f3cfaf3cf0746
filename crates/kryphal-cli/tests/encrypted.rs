//! Encrypted libraries and encrypted bundles, run as a user would:
//! `kryphal init --encrypt`, every command on the encrypted library with the
//! passphrase from a file, and what ends up on the disk, on the terminal
//! and in the audit trail.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::SAMPLE;

const PASSPHRASE: &str = "Sju sjösjuka sjömän på skeppet Shanghai 7";
const BUNDLE_PASSPHRASE: &str = "ett helt annat lösenord för paketet";
/// A finding's text: only in the library (encrypted) and the bundle.
const FINDING_TEXT: &str = "Bulvanen byter styrelse efter avtalet";
/// A clause of the sample document.
const CLAUSE_TEXT: &str = "utdrag ur belastningsregistret ges in";

struct Env {
    dir: tempfile::TempDir,
    /// Passphrase files live outside the library's folder.
    secrets: tempfile::TempDir,
}

/// What one run printed.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Env {
    fn new() -> Env {
        let env = Env {
            dir: tempfile::tempdir().unwrap(),
            secrets: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir(env.dir.path().join("lib")).unwrap();
        std::fs::write(env.secret("pass"), format!("{PASSPHRASE}\n")).unwrap();
        std::fs::write(env.secret("wrong"), "sju sjösjuka sjömän\n").unwrap();
        std::fs::write(env.secret("bundle-pass"), BUNDLE_PASSPHRASE).unwrap();
        env
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn secret(&self, name: &str) -> PathBuf {
        self.secrets.path().join(name)
    }
    fn library(&self) -> PathBuf {
        self.path("lib/analys.kryphal")
    }
    /// Runs `kryphal` on `library` with `envs` and `stdin`; never asks on a
    /// terminal (standard input is a pipe).
    fn run_on(
        &self,
        library: &Path,
        args: &[&str],
        envs: &[(&str, &Path)],
        stdin: Option<&str>,
    ) -> Run {
        let out = common::kryphal_with(library, args, envs, stdin);
        let run = Run {
            code: out.status.code(),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        };
        for printed in [&run.stdout, &run.stderr] {
            assert!(
                !printed.contains(PASSPHRASE) && !printed.contains(BUNDLE_PASSPHRASE),
                "{args:?} printed a passphrase"
            );
        }
        run
    }
    /// Runs with `--passphrase-file`; must succeed; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        self.ok_stdin(args, None)
    }
    fn ok_stdin(&self, args: &[&str], stdin: Option<&str>) -> String {
        let pass = self.secret("pass");
        let mut all = vec!["--passphrase-file", pass.to_str().unwrap()];
        all.extend_from_slice(args);
        let run = self.run_on(&self.library(), &all, &[], stdin);
        assert_eq!(run.code, Some(0), "{args:?} failed: {}", run.stderr);
        run.stdout
    }
    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Every file under `dir`, with its bytes.
fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                todo.push(entry.path());
            } else {
                out.push((entry.path(), std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    out
}

/// Imports the sample and adds a finding; returns (document id, clause id).
fn analysed(env: &Env) -> (String, String) {
    let out = env.ok(&["import", SAMPLE]);
    let doc = out.split('\t').next().unwrap().to_string();
    let view = env.json(&["show", &doc, "--json"]);
    let clause = view["outline"]["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["text"].as_str().unwrap().contains(CLAUSE_TEXT))
        .expect("the sample's clause 4.5")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = serde_json::json!({
        "unintended_consequence": FINDING_TEXT,
        "likelihood": 3,
        "impact": 3
    });
    env.ok_stdin(
        &["finding", "add", &clause, "--json", "-"],
        Some(&body.to_string()),
    );
    (doc, clause)
}

#[test]
fn an_encrypted_library_works_with_every_command_and_leaves_no_plaintext_or_passphrase() {
    let env = Env::new();
    let run = env.run_on(
        &env.library(),
        &[
            "--passphrase-file",
            env.secret("pass").to_str().unwrap(),
            "init",
            "--encrypt",
        ],
        &[],
        None,
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("created the encrypted library"),
        "{}",
        run.stderr
    );
    let (doc, _clause) = analysed(&env);

    // Commands that read, search, export, screen and back up.
    let list = env.ok(&["list"]);
    assert!(list.contains(&doc), "{list}");
    let hits = env.json(&["search", "bulvanen", "--json"]);
    assert_eq!(hits["status"], "ready");
    assert!(hits["total"].as_u64().unwrap() >= 1, "{hits}");
    let hits = env.json(&["search", "belastningsregister", "--json"]);
    assert!(hits["total"].as_u64().unwrap() >= 1, "{hits}");
    let reindex = env.json(&["reindex", "--json"]);
    assert_eq!(reindex["path"], Value::Null, "the index is in memory only");
    assert_eq!(reindex["message"], Value::Null, "{reindex}");
    env.ok(&["screen", &doc]);
    env.ok(&["overview", &doc, "--json"]);
    env.ok(&["settings", "--set", "municipality=Exempelby kommun"]);
    let memo = env.path("memo.md");
    env.ok(&[
        "export",
        &doc,
        "--format",
        "md",
        "--out",
        memo.to_str().unwrap(),
    ]);
    assert!(contains(&std::fs::read(&memo).unwrap(), FINDING_TEXT));
    let backup = env.path("lib/backup.kryphal");
    env.ok(&["backup", "--out", backup.to_str().unwrap()]);
    let history = env.ok(&["history", "--json"]);
    assert!(history.contains("finding.create"), "{history}");
    assert!(!history.contains(PASSPHRASE));

    // The index never touched the disk.
    let mut index = env.library().into_os_string();
    index.push(".search");
    assert!(
        !PathBuf::from(index).exists(),
        "an index folder was written"
    );

    // The library's folder (library, backup, anything beside them) holds
    // neither the analysis nor the passphrase, and no SQLite header.
    let files = files_under(&env.path("lib"));
    assert!(files.len() >= 2, "{files:?}");
    for (path, bytes) in &files {
        assert!(
            !bytes.starts_with(b"SQLite format 3"),
            "{} has an SQLite header",
            path.display()
        );
        for secret in [FINDING_TEXT, CLAUSE_TEXT, "Exempelby", PASSPHRASE] {
            assert!(
                !contains(bytes, secret),
                "{} holds “{secret}”",
                path.display()
            );
        }
    }

    // The backup is an encrypted library that opens with the same passphrase.
    let pass = env.secret("pass");
    let run = env.run_on(
        &backup,
        &["--passphrase-file", pass.to_str().unwrap(), "list"],
        &[],
        None,
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains(&doc));
    // … and restores.
    env.ok(&["restore", backup.to_str().unwrap()]);
    assert!(env.ok(&["list"]).contains(&doc));

    // The passphrase from the environment works as well as the option.
    let run = env.run_on(
        &env.library(),
        &["list"],
        &[("KRYPHAL_PASSPHRASE_FILE", &env.secret("pass"))],
        None,
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn a_wrong_or_missing_passphrase_is_refused_with_a_sentence_and_changes_nothing() {
    let env = Env::new();
    env.ok(&["init", "--encrypt"]);
    analysed(&env);
    let before = std::fs::read(env.library()).unwrap();

    let wrong = env.secret("wrong");
    let run = env.run_on(
        &env.library(),
        &["--passphrase-file", wrong.to_str().unwrap(), "list"],
        &[],
        None,
    );
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.starts_with("kryphal: The passphrase is wrong:"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("damaged"), "{}", run.stderr);

    // No passphrase and no terminal to ask on.
    let run = env.run_on(&env.library(), &["list"], &[], None);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("is an encrypted library"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--passphrase-file"), "{}", run.stderr);

    // A passphrase file that does not exist, or is empty.
    let missing = env.secret("nope");
    let run = env.run_on(
        &env.library(),
        &["--passphrase-file", missing.to_str().unwrap(), "list"],
        &[],
        None,
    );
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("Cannot read the passphrase file"),
        "{}",
        run.stderr
    );
    std::fs::write(env.secret("empty"), "\n").unwrap();
    let empty = env.secret("empty");
    let run = env.run_on(
        &env.library(),
        &["--passphrase-file", empty.to_str().unwrap(), "list"],
        &[],
        None,
    );
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("is empty"), "{}", run.stderr);

    assert_eq!(std::fs::read(env.library()).unwrap(), before);

    // `init` never overwrites.
    let run = env.run_on(&env.library(), &["init"], &[], None);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(std::fs::read(env.library()).unwrap(), before);

    // A plain library with a passphrase, and `init --encrypt` with nothing to read it from.
    let plain = env.path("plain.kryphal");
    let run = env.run_on(&plain, &["init"], &[], None);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let pass = env.secret("pass");
    let run = env.run_on(
        &plain,
        &["--passphrase-file", pass.to_str().unwrap(), "list"],
        &[],
        None,
    );
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("is not an encrypted library: open it without a passphrase"),
        "{}",
        run.stderr
    );
    let run = env.run_on(&env.path("new.kryphal"), &["init", "--encrypt"], &[], None);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("A passphrase for"), "{}", run.stderr);
    assert!(!env.path("new.kryphal").exists());
}

#[test]
fn an_encrypted_bundle_round_trips_and_a_wrong_passphrase_or_a_changed_byte_is_refused() {
    let env = Env::new();
    env.ok(&["init", "--encrypt"]);
    let (doc, _) = analysed(&env);
    let bundle = env.path("utbyte.kryphal");
    let bundle_pass = env.secret("bundle-pass");
    let run = env.run_on(
        &env.library(),
        &[
            "--passphrase-file",
            env.secret("pass").to_str().unwrap(),
            "bundle",
            "export",
            &doc,
            "--out",
            bundle.to_str().unwrap(),
            "--encrypt",
            "--bundle-passphrase-file",
            bundle_pass.to_str().unwrap(),
            "--json",
        ],
        &[],
        None,
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["encrypted"], true);
    assert!(
        run.stderr.contains("the encrypted bundle"),
        "{}",
        run.stderr
    );
    let sealed = std::fs::read(&bundle).unwrap();
    assert!(sealed.starts_with(b"KRYPHAL-SEALED"));
    for secret in [
        FINDING_TEXT,
        CLAUSE_TEXT,
        "manifest.json",
        "PK\u{3}\u{4}",
        BUNDLE_PASSPHRASE,
        PASSPHRASE,
    ] {
        assert!(!contains(&sealed, secret), "the bundle holds “{secret}”");
    }

    // Another (plain) library imports it only with the bundle's passphrase.
    let other = env.path("other.kryphal");
    let import = |extra: &[&str]| {
        let mut args = vec!["bundle", "import", bundle.to_str().unwrap()];
        args.extend_from_slice(extra);
        env.run_on(&other, &args, &[], None)
    };
    let run = import(&[]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("is an encrypted bundle"),
        "{}",
        run.stderr
    );
    let wrong = env.secret("wrong");
    let run = import(&["--bundle-passphrase-file", wrong.to_str().unwrap()]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("the passphrase is wrong, or the encrypted bundle was changed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Nothing was imported."),
        "{}",
        run.stderr
    );

    // One changed byte in the middle of the ciphertext.
    let mut tampered = sealed.clone();
    let middle = tampered.len() / 2;
    tampered[middle] ^= 0x40;
    let bad = env.path("tampered.kryphal");
    std::fs::write(&bad, &tampered).unwrap();
    let run = env.run_on(
        &other,
        &[
            "bundle",
            "import",
            bad.to_str().unwrap(),
            "--bundle-passphrase-file",
            bundle_pass.to_str().unwrap(),
        ],
        &[],
        None,
    );
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("changed or damaged"), "{}", run.stderr);

    // Untouched so far: no document, no audit event.
    let state = env.run_on(&other, &["history", "--json"], &[], None);
    assert_eq!(state.code, Some(0), "{}", state.stderr);
    assert_eq!(
        serde_json::from_str::<Value>(&state.stdout).unwrap(),
        Value::Array(vec![])
    );

    let run = env.run_on(
        &other,
        &["bundle", "import", bundle.to_str().unwrap()],
        &[("KRYPHAL_BUNDLE_PASSPHRASE_FILE", &bundle_pass)],
        None,
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains(&doc), "{}", run.stdout);
    let findings = env.run_on(&other, &["finding", "list", &doc, "--json"], &[], None);
    assert!(
        findings.stdout.contains(FINDING_TEXT),
        "{}",
        findings.stdout
    );
}

#[test]
fn rekey_changes_the_passphrase_and_the_old_one_no_longer_opens_the_library() {
    let env = Env::new();
    env.ok(&["init", "--encrypt"]);
    let (doc, _) = analysed(&env);
    std::fs::write(env.secret("new"), "Ny fras efter sommaren\n").unwrap();
    let new = env.secret("new");
    let run = env.run_on(
        &env.library(),
        &[
            "--passphrase-file",
            env.secret("pass").to_str().unwrap(),
            "rekey",
            "--new-passphrase-file",
            new.to_str().unwrap(),
        ],
        &[],
        None,
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("was changed"), "{}", run.stderr);
    let old = env.run_on(
        &env.library(),
        &[
            "--passphrase-file",
            env.secret("pass").to_str().unwrap(),
            "list",
        ],
        &[],
        None,
    );
    assert_eq!(old.code, Some(1));
    assert!(
        old.stderr.contains("The passphrase is wrong"),
        "{}",
        old.stderr
    );
    let run = env.run_on(
        &env.library(),
        &[
            "--passphrase-file",
            new.to_str().unwrap(),
            "history",
            "--json",
        ],
        &[],
        None,
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("library.passphrase"));
    assert!(!run.stdout.contains("Ny fras"));
    let list = env.run_on(
        &env.library(),
        &["--passphrase-file", new.to_str().unwrap(), "list"],
        &[],
        None,
    );
    assert!(list.stdout.contains(&doc));
    for (path, bytes) in files_under(&env.path("lib")) {
        assert!(
            !contains(&bytes, "Ny fras efter sommaren"),
            "{}",
            path.display()
        );
    }
    // A plain library has nothing to change.
    let plain = env.path("plain.kryphal");
    env.run_on(&plain, &["init"], &[], None);
    let run = env.run_on(
        &plain,
        &["rekey", "--new-passphrase-file", new.to_str().unwrap()],
        &[],
        None,
    );
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("is not an encrypted library"),
        "{}",
        run.stderr
    );
}
