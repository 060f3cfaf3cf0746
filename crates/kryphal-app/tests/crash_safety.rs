//! Crash safety: a writer killed with SIGKILL at a random moment loses
//! nothing it had reported as done, and never leaves a damaged library, a
//! half-imported document or a half-written export.
//!
//! Each test starts this test binary again as a writer process (the ignored
//! test `crash_writer`, told what to do by `KRYPHAL_CRASH_WRITER`). The
//! writer drives `Library` in a loop and prints `try …` before and `ack …`
//! after every call, so the test knows which changes had returned and which
//! one was in flight. The test kills it at a random moment, then opens the
//! library, runs `PRAGMA integrity_check` and compares the library with the
//! acknowledged changes: each of them must be there, and nothing else but
//! the one change in flight (which may or may not have been committed).
//!
//! The moments are random but seeded: the seed is printed, and
//! `KRYPHAL_CRASH_SEED=N` replays a run. `KRYPHAL_CRASH_KILLS=N` changes how
//! many times the edit test kills its writer (default 40).
#![cfg(unix)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kryphal_app::{ExportChoices, Library};
use kryphal_domain::FindingInput;
use kryphal_store::Store;

// ------------------------------------------------------------------ randomness

/// SplitMix64: small, seeded, good enough to pick moments and operations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

fn seed(test: &str) -> u64 {
    let seed = std::env::var("KRYPHAL_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    println!("{test}: seed {seed} (replay with KRYPHAL_CRASH_SEED={seed})");
    seed
}

// ------------------------------------------------------------------ the writer process

/// The writer process. Not a test of its own: the tests below start the test
/// binary again with `KRYPHAL_CRASH_WRITER` set and this test selected.
#[test]
#[ignore = "the writer process of the crash tests; started by them"]
fn crash_writer() {
    let Ok(mode) = std::env::var("KRYPHAL_CRASH_WRITER") else {
        return;
    };
    let env = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("{k} not set"));
    let library = PathBuf::from(env("KRYPHAL_CRASH_LIBRARY"));
    let run: u64 = env("KRYPHAL_CRASH_RUN").parse().unwrap();
    let mut rng = Rng(env("KRYPHAL_CRASH_SEED").parse().unwrap());
    let mut lib = Library::open(&library, "writer").expect("the writer opens the library");
    println!("ready");
    match mode.as_str() {
        "edits" => write_edits(&mut lib, run, &mut rng),
        "import" => write_imports(&mut lib, run),
        "export" => write_exports(&lib, Path::new(&env("KRYPHAL_CRASH_OUT"))),
        other => panic!("unknown writer mode {other}"),
    }
}

/// Adds findings, rewrites them and comments on them, for ever (until killed).
fn write_edits(lib: &mut Library, run: u64, rng: &mut Rng) {
    let doc = lib.documents().unwrap()[0].id.clone();
    let view = lib.document(&doc).unwrap();
    let clauses: Vec<String> = view.outline.clauses.iter().map(|c| c.id.clone()).collect();
    let mut findings: Vec<String> = view.findings.iter().map(|f| f.id.clone()).collect();
    for n in 0..1_000_000u64 {
        let tag = format!("r{run}e{n}");
        let op = if findings.is_empty() {
            0
        } else {
            rng.range(0, 9)
        };
        if op <= 3 {
            let clause = &clauses[rng.range(0, clauses.len() as u64 - 1) as usize];
            println!("try add {tag}");
            let f = lib
                .add_finding(clause, input(&tag))
                .expect("add_finding returns");
            println!("ack add {tag} {}", f.id);
            findings.push(f.id);
        } else if op <= 7 {
            let id = &findings[rng.range(0, findings.len() as u64 - 1) as usize];
            println!("try upd {id} {tag}");
            lib.update_finding(id, input(&tag))
                .expect("update_finding returns");
            println!("ack upd {id} {tag}");
        } else {
            let id = &findings[rng.range(0, findings.len() as u64 - 1) as usize];
            println!("try com {id} {tag}");
            lib.add_comment(id, &tag).expect("add_comment returns");
            println!("ack com {id} {tag}");
        }
    }
}

fn input(tag: &str) -> FindingInput {
    FindingInput {
        unintended_consequence: tag.to_string(),
        exploitation: format!("{tag}: ett bolag visar ett gammalt utdrag ur belastningsregistret."),
        crime_types: vec!["BED".into()],
        likelihood: Some(3),
        impact: Some(4),
        ..Default::default()
    }
}

/// Imports one generated document after another, for ever (until killed).
fn write_imports(lib: &mut Library, run: u64) {
    for n in 0..1_000_000u64 {
        let name = format!("r{run}-d{n}.md");
        println!("try imp {name}");
        let report = lib
            .import_bytes(&name, generated_document(&name).as_bytes())
            .expect("import_bytes returns");
        println!("ack imp {name} {} {}", report.document_id, report.clauses);
    }
}

/// A document of 12 numbered sections with 6 clauses each, its text
/// depending on its name (so every one is new to the library).
fn generated_document(name: &str) -> String {
    let mut text = format!(
        "# Riktlinje för kundval {name}\n\nDnr KS 2026/{}\n\n",
        name.len()
    );
    for s in 1..=12 {
        text.push_str(&format!("## {s} Avsnitt {s} ({name})\n\n"));
        for c in 1..=6 {
            text.push_str(&format!(
                "{s}.{c} Leverantören ska vid behov och om möjligt redovisa ett utdrag ur \
                 belastningsregistret som är högst ett år gammalt, enligt punkt {c} i {name}.\n\n"
            ));
        }
    }
    text
}

/// Exports the analysis as JSON and as Markdown to fixed paths, for ever.
fn write_exports(lib: &Library, out: &Path) {
    let doc = lib.documents().unwrap()[0].id.clone();
    let choices = ExportChoices::default();
    for n in 0..1_000_000u64 {
        for (format, file) in [("json", "analys.json"), ("md", "memo.md")] {
            println!("try exp {n} {format}");
            lib.export(&doc, format, &choices, &out.join(file))
                .expect("export returns");
            println!("ack exp {n} {format}");
        }
    }
}

// ------------------------------------------------------------------ running and killing it

/// What one writer run printed before it was killed.
struct Run {
    lines: Vec<String>,
}

impl Run {
    fn acks(&self) -> impl Iterator<Item = Vec<&str>> {
        self.lines
            .iter()
            .filter(|l| l.starts_with("ack "))
            .map(|l| l.split(' ').skip(1).collect())
    }

    /// The last `try` line, when no `ack` followed it: the call in flight.
    fn in_flight(&self) -> Option<Vec<&str>> {
        let last = self
            .lines
            .iter()
            .rev()
            .find(|l| l.starts_with("try ") || l.starts_with("ack "))?;
        last.strip_prefix("try ")
            .map(|rest| rest.split(' ').collect())
    }
}

/// Starts a writer, kills it with SIGKILL `delay` after it has opened the
/// library (or, with `before_ready`, `delay` after it was started, while it
/// may still be opening the library), and returns what it printed.
fn run_and_kill(
    mode: &str,
    library: &Path,
    out: Option<&Path>,
    run: u64,
    rng: &mut Rng,
    delay: Duration,
    before_ready: bool,
) -> Run {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = Command::new(exe);
    cmd.args([
        "crash_writer",
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env("KRYPHAL_CRASH_WRITER", mode)
    .env("KRYPHAL_CRASH_LIBRARY", library)
    .env("KRYPHAL_CRASH_RUN", run.to_string())
    .env("KRYPHAL_CRASH_SEED", rng.next().to_string())
    .env_remove("KRYPHAL_CRASH_OUT")
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    if let Some(out) = out {
        cmd.env("KRYPHAL_CRASH_OUT", out);
    }
    let started = Instant::now();
    let mut child = cmd.spawn().expect("the writer starts");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    if before_ready {
        std::thread::sleep(delay);
    } else {
        loop {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(line) => {
                    // The test harness may have printed the test's name on the same line.
                    let ready = line.ends_with("ready");
                    lines.push(line);
                    if ready {
                        break;
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    let out = child.wait_with_output().unwrap();
                    panic!(
                        "run {run}: the writer never opened the library; it printed {lines:?} and {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            }
        }
        std::thread::sleep(delay);
    }
    // The writer runs until it is killed: if it has stopped on its own, a
    // call failed, and that is a failure of the test.
    let still_running = child.try_wait().unwrap().is_none();
    child.kill().unwrap();
    let output = child.wait_with_output().unwrap();
    reader.join().unwrap();
    lines.extend(rx.try_iter());
    assert!(
        still_running && output.status.signal() == Some(9),
        "run {run}: the writer stopped by itself ({:?}) {:?} after start:\n{}\n{}",
        output.status,
        started.elapsed(),
        lines.join("\n"),
        String::from_utf8_lossy(&output.stderr)
    );
    Run { lines }
}

/// Opens the library file as the store and checks SQLite's own verdict.
fn assert_intact(library: &Path, run: u64) {
    let store = Store::open(library).unwrap_or_else(|e| panic!("run {run}: reopening: {e}"));
    let verdict = store.integrity_check().unwrap();
    assert_eq!(verdict, "ok", "run {run}: PRAGMA integrity_check");
}

fn kills(default: u64) -> u64 {
    std::env::var("KRYPHAL_CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

// ------------------------------------------------------------------ edits

/// What the library must hold: per finding, its consequence text and its comments.
type Model = BTreeMap<String, (String, Vec<String>)>;

fn library_state(library: &Path, doc: &str) -> Model {
    let lib = Library::open(library, "checker").unwrap();
    lib.findings(doc)
        .unwrap()
        .into_iter()
        .map(|f| {
            let comments = f.comments.iter().map(|c| c.text.clone()).collect();
            (f.id, (f.input.unintended_consequence, comments))
        })
        .collect()
}

#[test]
fn edits_acknowledged_before_a_kill_are_all_kept() {
    let mut rng = Rng(seed("edits"));
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("library.kryphal");
    let doc = {
        let mut lib = Library::open(&library, "setup").unwrap();
        assert!(lib.ensure_sample().unwrap());
        lib.documents().unwrap()[0].id.clone()
    };
    let mut model = library_state(&library, &doc);
    let (mut acked, mut in_flight_kept, mut in_flight_lost) = (0usize, 0usize, 0usize);
    let runs = kills(40);
    for run in 0..runs {
        // One kill in eight lands while the writer may still be opening the library.
        let before_ready = rng.range(0, 7) == 0;
        let delay = Duration::from_millis(if before_ready {
            rng.range(0, 40)
        } else {
            rng.range(5, 250)
        });
        let out = run_and_kill("edits", &library, None, run, &mut rng, delay, before_ready);
        for ack in out.acks() {
            match ack[..] {
                ["add", tag, id] => {
                    assert!(model.insert(id.into(), (tag.into(), vec![])).is_none());
                }
                ["upd", id, tag] => model.get_mut(id).unwrap().0 = tag.into(),
                ["com", id, tag] => model.get_mut(id).unwrap().1.push(tag.into()),
                _ => panic!("run {run}: unexpected line {ack:?}"),
            }
            acked += 1;
        }
        assert_intact(&library, run);
        let actual = library_state(&library, &doc);
        // The call in flight may have been committed just before the kill.
        let mut kept = false;
        match out.in_flight().as_deref() {
            Some(["add", tag]) => {
                for (id, state) in &actual {
                    if !model.contains_key(id) && state.0 == *tag && state.1.is_empty() {
                        model.insert(id.clone(), state.clone());
                        kept = true;
                    }
                }
            }
            Some(["upd", id, tag]) if actual.get(*id).is_some_and(|s| s.0 == *tag) => {
                model.get_mut(*id).unwrap().0 = tag.to_string();
                kept = true;
            }
            Some(["com", id, tag])
                if actual.get(*id).is_some_and(|s| {
                    let expected = model[*id].1.len();
                    s.1.len() == expected + 1 && s.1[expected] == *tag
                }) =>
            {
                model.get_mut(*id).unwrap().1.push(tag.to_string());
                kept = true;
            }
            Some(["upd", _, _] | ["com", _, _]) => {}
            Some(other) => panic!("run {run}: unexpected line {other:?}"),
            None => {}
        }
        if out.in_flight().is_some() {
            if kept {
                in_flight_kept += 1;
            } else {
                in_flight_lost += 1;
            }
        }
        assert_eq!(
            actual, model,
            "run {run}: the library differs from the acknowledged edits"
        );
    }
    println!(
        "edits: {runs} kills, {acked} acknowledged edits all present; the call in flight \
         was committed {in_flight_kept} times and not {in_flight_lost} times"
    );
    assert!(acked > 0, "no edit was acknowledged in {runs} runs");
}

// ------------------------------------------------------------------ imports

#[test]
fn an_import_killed_midway_leaves_no_half_document() {
    let mut rng = Rng(seed("import"));
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("library.kryphal");
    drop(Library::open(&library, "setup").unwrap());
    let mut acked: BTreeMap<String, (String, u32)> = BTreeMap::new();
    let runs = kills(40) / 3;
    let (mut acked_calls, mut in_flight_kept) = (0usize, 0usize);
    for run in 0..runs {
        let delay = Duration::from_millis(rng.range(20, 1500));
        let out = run_and_kill("import", &library, None, run, &mut rng, delay, false);
        for ack in out.acks() {
            match ack[..] {
                ["imp", name, id, clauses] => {
                    acked.insert(name.into(), (id.into(), clauses.parse().unwrap()));
                    acked_calls += 1;
                }
                _ => panic!("run {run}: unexpected line {ack:?}"),
            }
        }
        assert_intact(&library, run);
        let pending = match out.in_flight().as_deref() {
            Some(["imp", name]) => Some(name.to_string()),
            None => None,
            Some(other) => panic!("run {run}: unexpected line {other:?}"),
        };
        let lib = Library::open(&library, "checker").unwrap();
        let mut seen = BTreeSet::new();
        for summary in lib.documents().unwrap() {
            let view = lib.document(&summary.id).unwrap();
            let name = view.document.source.name.clone();
            // Every document in the library is whole: its outline is the one
            // a fresh import of the same bytes gives, clause for clause.
            let bytes = generated_document(&name);
            let expected = kryphal_ingest::import(
                &name,
                bytes.as_bytes(),
                &summary.id,
                &kryphal_ingest::Limits::default(),
            )
            .unwrap();
            assert_eq!(
                view.outline, expected.outline,
                "run {run}: {name} is not the whole document"
            );
            // Imported and screened in one transaction: never one without the other.
            assert!(
                !view.suggestions.is_empty(),
                "run {run}: {name} is stored without its screening"
            );
            match acked.get(&name) {
                Some((id, clauses)) => {
                    assert_eq!(*id, summary.id, "run {run}: {name}");
                    assert_eq!(*clauses as usize, view.outline.clauses.len());
                }
                None => {
                    assert_eq!(
                        Some(&name),
                        pending.as_ref(),
                        "run {run}: {name} is in the library but was never imported"
                    );
                    in_flight_kept += 1;
                    acked.insert(
                        name.clone(),
                        (summary.id.clone(), view.outline.clauses.len() as u32),
                    );
                }
            }
            seen.insert(name);
        }
        let missing: Vec<&String> = acked.keys().filter(|n| !seen.contains(*n)).collect();
        assert!(
            missing.is_empty(),
            "run {run}: acknowledged imports missing: {missing:?}"
        );
    }
    println!(
        "import: {runs} kills, {acked_calls} acknowledged imports, {} documents all whole \
         and screened ({in_flight_kept} committed by the call in flight)",
        acked.len()
    );
    assert!(acked_calls > 0, "no import was acknowledged in {runs} runs");
}

// ------------------------------------------------------------------ exports

#[test]
fn an_export_killed_midway_leaves_no_half_written_file() {
    const FINDINGS: usize = 120;
    let mut rng = Rng(seed("export"));
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("library.kryphal");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // A sample analysis with enough findings that an export takes a while to write.
    let doc = {
        let mut lib = Library::open(&library, "setup").unwrap();
        assert!(lib.ensure_sample().unwrap());
        let doc = lib.documents().unwrap()[0].id.clone();
        let clauses: Vec<String> = lib
            .document(&doc)
            .unwrap()
            .outline
            .clauses
            .iter()
            .map(|c| c.id.clone())
            .collect();
        for n in 0..FINDINGS {
            let mut finding = input(&format!("f{n} {}", "oklar formulering ".repeat(20)));
            finding.proposed_wording = "Utdraget får vara högst tre månader gammalt. ".repeat(10);
            lib.add_finding(&clauses[n % clauses.len()], finding)
                .unwrap();
        }
        doc
    };
    let reference = |format: &str| {
        let lib = Library::open(&library, "checker").unwrap();
        lib.export_bytes(&doc, format, &ExportChoices::default())
            .unwrap()
    };
    // The date in the memo is today's: take the references on both sides of the runs.
    let before = [reference("json"), reference("md")];
    let runs = kills(40) / 3;
    let mut outcomes: Vec<Run> = Vec::new();
    let mut temporary_left = 0;
    for run in 0..runs {
        let delay = Duration::from_millis(rng.range(20, 1500));
        outcomes.push(run_and_kill(
            "export",
            &library,
            Some(&out),
            run,
            &mut rng,
            delay,
            false,
        ));
        for entry in std::fs::read_dir(&out).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".tmp") {
                // A temporary file the killed writer had not renamed yet.
                temporary_left += 1;
                std::fs::remove_file(out.join(&name)).unwrap();
            }
        }
        assert_intact(&library, run);
        check_exports(&out, &before, None, run);
    }
    let after = [reference("json"), reference("md")];
    check_exports(&out, &before, Some(&after), runs);
    let acked: usize = outcomes.iter().map(|r| r.acks().count()).sum();
    println!(
        "export: {runs} kills, {acked} exports acknowledged, every target whole; \
         {temporary_left} of the kills landed while a temporary file was being written"
    );
    assert!(acked > 0, "no export was acknowledged in {runs} runs");
    // The JSON export read back is the whole analysis.
    let parsed =
        kryphal_export::parse_analysis_json(&std::fs::read(out.join("analys.json")).unwrap())
            .expect("the exported JSON reads back");
    assert_eq!(parsed.analysis.findings.len(), FINDINGS);
}

/// Each target is absent (never written yet) or byte for byte a whole export.
fn check_exports(out: &Path, before: &[Vec<u8>; 2], after: Option<&[Vec<u8>; 2]>, run: u64) {
    for (i, file) in ["analys.json", "memo.md"].iter().enumerate() {
        let Ok(bytes) = std::fs::read(out.join(file)) else {
            continue;
        };
        let whole = bytes == before[i] || after.is_some_and(|a| bytes == a[i]);
        assert!(
            whole,
            "run {run}: {file} is not a whole export ({} bytes, a whole one has {})",
            bytes.len(),
            before[i].len()
        );
    }
}
