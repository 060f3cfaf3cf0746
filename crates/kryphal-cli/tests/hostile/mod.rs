//! Hostile input and the edges (issue 21), against the real `kryphal`
//! binary: every hostile file is imported by a child process limited to
//! 1 GiB of address space (`ulimit -v`) and must be done within 30 seconds,
//! either imported with bounded text or refused with one sentence that
//! names what was too large — and a refusal leaves the library as it was.
//! Then the races and leftovers: libraries created by three processes at
//! once, one file imported by several at once, copies a killed backup or
//! restore left, pipes and devices given as files, bundles with duplicate
//! entries or a forged author, signed bundles, and the messages.
//!
//! `KRYPHAL_HOSTILE_KEEP=DIR` keeps the generated files in `DIR` (to
//! measure them with `/usr/bin/time`, as the closing table does).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common;
use crate::common::SAMPLE;
use crate::hostile_files as h;

/// The address space a child import may use: 1 GiB.
const MEMORY_KIB: u64 = 1024 * 1024;
/// The time it may take.
const SECONDS: u64 = 30;

struct Env {
    dir: tempfile::TempDir,
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// Peak resident memory in KiB, when `/usr/bin/time` is there to tell.
    peak_kib: Option<u64>,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn lib(&self) -> PathBuf {
        self.dir.path().join("lib.kryphal")
    }
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        if let Some(keep) = std::env::var_os("KRYPHAL_HOSTILE_KEEP") {
            let _ = std::fs::create_dir_all(&keep);
            let _ = std::fs::write(Path::new(&keep).join(name), bytes);
        }
        p
    }
    fn ok(&self, args: &[&str]) -> String {
        common::succeeded(args, common::kryphal(&self.lib(), args, None))
    }
    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
    /// What a refusal must not change: the documents and the audit trail.
    fn state(&self) -> (serde_json::Value, usize) {
        let list = self.json(&["list", "--json"]);
        let history = self.json(&["history", "--json"]);
        (list, history.as_array().unwrap().len())
    }
    /// `kryphal --library LIB ARGS` under `ulimit -v` and a time limit
    /// (killed at twice the limit, so a hang fails instead of waiting).
    fn limited(&self, args: &[&str]) -> Run {
        let out = self.dir.path().join("out.txt");
        let err = self.dir.path().join("err.txt");
        let peak = self.dir.path().join("peak.txt");
        let _ = std::fs::remove_file(&peak);
        let start = Instant::now();
        // GNU time, where installed, writes the peak resident memory (KiB).
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ulimit -v {MEMORY_KIB}; if [ -x /usr/bin/time ]; then exec /usr/bin/time -f %M -o \"$KRYPHAL_PEAK_FILE\" \"$0\" \"$@\"; else exec \"$0\" \"$@\"; fi"
            ))
            .env("KRYPHAL_PEAK_FILE", &peak)
            .arg(env!("CARGO_BIN_EXE_kryphal"))
            .arg("--library")
            .arg(self.lib())
            .args(args)
            .env("KRYPHAL_USER", "testare")
            .env_remove("KRYPHAL_LIBRARY")
            .env_remove("KRYPHAL_PASSPHRASE_FILE")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::fs::File::create(&err).unwrap())
            .spawn()
            .unwrap();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > Duration::from_secs(2 * SECONDS) {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{args:?} did not finish in {} s", 2 * SECONDS);
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Run {
            code: status.code(),
            stdout: std::fs::read_to_string(&out).unwrap_or_default(),
            stderr: std::fs::read_to_string(&err).unwrap_or_default(),
            elapsed: start.elapsed(),
            peak_kib: std::fs::read_to_string(&peak)
                .ok()
                .and_then(|t| t.lines().last()?.trim().parse().ok()),
        }
    }
}

/// Imports `bytes` as `name` into a library that already holds the sample,
/// limited; returns the run. Checks the time, and that nothing crashed.
fn import_limited(env: &Env, name: &str, bytes: &[u8]) -> Run {
    let path = env.file(name, bytes);
    let run = env.limited(&["import", path.to_str().unwrap()]);
    // The figures of the closing table (`--nocapture` shows them).
    eprintln!(
        "hostile: {name} ({} bytes): exit {:?}, {:.2} s, peak {}",
        bytes.len(),
        run.code,
        run.elapsed.as_secs_f64(),
        run.peak_kib
            .map_or("unknown".to_string(), |k| format!("{} MiB", k / 1024))
    );
    assert!(
        run.code.is_some(),
        "{name}: killed by a signal (out of memory?): {}",
        run.stderr
    );
    assert!(
        run.elapsed < Duration::from_secs(SECONDS),
        "{name}: took {:?}",
        run.elapsed
    );
    run
}

/// The file is refused with one sentence containing `what`, within the
/// limits, and the library is untouched.
fn refused(name: &str, bytes: &[u8], what: &str) {
    let env = Env::new();
    env.ok(&["import", SAMPLE]);
    let before = env.state();
    let run = import_limited(&env, name, bytes);
    assert_eq!(
        run.code,
        Some(1),
        "{name} should be refused: {}",
        run.stdout
    );
    let first = run.stderr.lines().next().unwrap_or("");
    assert!(first.starts_with(&format!("kryphal: {name} ")), "{first}");
    assert!(first.contains(what), "{name}: {first}");
    assert_eq!(env.state(), before, "{name}: the library changed");
}

/// The file is imported within the limits; returns the new document's id.
fn imported(env: &Env, name: &str, bytes: &[u8]) -> String {
    let run = import_limited(env, name, bytes);
    assert_eq!(run.code, Some(0), "{name}: {}", run.stderr);
    run.stdout.split('\t').next().unwrap().to_string()
}

#[test]
fn a_lettered_list_from_two_hundred_million_imports_with_short_labels() {
    let env = Env::new();
    let id = imported(&env, "lista.docx", &h::numbering_docx());
    let view = env.json(&["show", &id, "--json"]);
    for c in view["outline"]["clauses"].as_array().unwrap() {
        assert!(c["text"].as_str().unwrap().len() < 400, "{c}");
    }
}

#[test]
fn a_footnote_cited_thousands_of_times_imports_small_and_stays_searchable() {
    let env = Env::new();
    imported(&env, "fotnot-stor.docx", &h::footnote_docx(1024, 5_000));
    // The variant that was accepted as 440 MB of text.
    let id = imported(&env, "fotnot.docx", &h::footnote_docx(100, 4_400));
    let view = env.json(&["show", &id, "--json"]);
    let text: usize = view["outline"]["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap().len())
        .sum();
    assert!(text < 1 << 20, "{text} bytes of text");
    let run = env.limited(&["search", "uppföljning"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.elapsed < Duration::from_secs(SECONDS),
        "{:?}",
        run.elapsed
    );
    assert!(run.stdout.contains("uppföljning"), "{}", run.stdout);
}

#[test]
fn a_pdf_page_of_two_hundred_million_operators_is_refused() {
    refused(
        "q.pdf",
        &h::q_bomb_pdf(192),
        "content of page 1 unpacks to more than 64 MB",
    );
    refused(
        "n.pdf",
        &h::many_operators_pdf(1_500_000),
        "page 1 draws more than 1000000 operators",
    );
}

#[test]
fn pdf_objects_that_would_fill_the_memory_are_refused() {
    refused(
        "sidor.pdf",
        &h::many_pages_pdf(100_000),
        "more than 2000000 numbers",
    );
    refused(
        "array.pdf",
        &h::big_array_pdf(3_000_000),
        "more than 2000000 numbers",
    );
    refused(
        "objstm.pdf",
        &h::object_stream_bomb_pdf(2_000, 100_000),
        "object bomb",
    );
    let env = Env::new();
    imported(&env, "font.pdf", &h::wide_font_pdf(50_000));
}

#[test]
fn html_with_unmatched_closing_tags_is_read_in_linear_time() {
    let env = Env::new();
    // 1,000 open elements, 200,000 closing tags that match none: 1.2 MB.
    imported(&env, "stack.html", &h::unmatched_html(1_000, 200_000));
    // The shape, 50,000 open: refused as nesting, at once.
    refused(
        "stack.html",
        &h::unmatched_html(50_000, 150_000),
        "nests elements more than 1024 deep",
    );
    refused(
        "attr.html",
        &h::many_attributes_html(200_000),
        "more than 1000 attributes",
    );
}

#[test]
fn office_files_that_nest_or_flood_are_refused() {
    refused(
        "tabeller.docx",
        &h::nested_tables_docx(100_000),
        "tables inside tables more than 256 deep",
    );
    refused(
        "celler.docx",
        &h::empty_cells_docx(1_500_000),
        "its text grows past 64 MB",
    );
    refused(
        "listor.odt",
        &h::nested_lists_odt(100_000),
        "lists inside lists more than 256 deep",
    );
    refused(
        "rader.txt",
        &h::many_lines_text(16 << 20),
        "more than 100000 clauses",
    );
}

#[test]
fn broken_pdfs_and_unicode_text_get_true_messages() {
    refused("trunkerad.pdf", &h::truncated_pdf(), "is damaged");
    refused("slinga.pdf", &h::reference_loop_pdf(), "reference loop");
    let env = Env::new();
    let id = imported(&env, "unicode.txt", &h::utf16_text());
    let view = env.json(&["show", &id, "--json"]);
    assert_eq!(view["document"]["meta"]["title"], "Riktlinje för kontroll");
}
