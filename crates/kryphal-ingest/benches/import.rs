//! Import speed, side by side with the tools a user would otherwise use:
//! `pandoc` (DOCX → plain text) and `pdftotext` (poppler-utils) on the same
//! files in the same run. Run with `cargo bench -p kryphal-ingest`.
//!
//! Targets (issue 3): DOCX ≤ 0.5× pandoc, PDF ≤ 1.5× pdftotext, the 236 KB
//! LOU Markdown < 50 ms. Each figure is the median of several runs; the
//! external tools' times include starting the process, as a user pays it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use kryphal_ingest::{Limits, import};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    f(); // warm-up
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn kryphal(path: &Path) -> Duration {
    let bytes = std::fs::read(path).expect("corpus file");
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let limits = Limits::default();
    time(15, || {
        let imp = import(&name, &bytes, "bench", &limits).expect("imports");
        assert!(!imp.outline.clauses.is_empty());
    })
}

fn tool(program: &str, args: &[&str]) -> Option<Duration> {
    let ok = |c: &mut Command| c.output().is_ok_and(|o| o.status.success());
    if !ok(Command::new(program).args(args)) {
        println!("  ({program} is not installed or failed; its column is empty)");
        return None;
    }
    Some(time(7, || {
        let out = Command::new(program).args(args).output().expect("runs");
        assert!(out.status.success() && !out.stdout.is_empty());
    }))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../../../shared/corpus");
    if !corpus.is_dir() {
        println!(
            "SKIPPED: {} is absent; nothing to benchmark.",
            corpus.display()
        );
        return;
    }
    let fixtures = root.join("tests/fixtures");
    println!(
        "{:<58} {:>11} {:>11} {:>7}  target",
        "file", "kryphål", "peer", "ratio"
    );
    let row = |path: PathBuf, peer: Option<(&str, Vec<String>)>, target: &str| {
        let k = kryphal(&path);
        let p = peer.and_then(|(prog, args)| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            tool(prog, &args).map(|d| (prog, d))
        });
        let (peer_s, ratio) = match p {
            Some((prog, d)) => (
                format!("{} ({prog})", ms(d)),
                format!("{:.3}", k.as_secs_f64() / d.as_secs_f64()),
            ),
            None => ("-".into(), "-".into()),
        };
        println!(
            "{:<58} {:>11} {:>22} {:>7}  {target}",
            path.file_name().unwrap().to_string_lossy(),
            ms(k),
            peer_s,
            ratio
        );
    };
    for docx in [
        corpus.join("ad-2013-63_arbetsdomstolen-dom.docx"),
        fixtures.join("riktlinje.docx"),
    ] {
        let arg = docx.to_string_lossy().into_owned();
        row(
            docx,
            Some((
                "pandoc",
                vec![arg, "-t".into(), "plain".into(), "-o".into(), "-".into()],
            )),
            "ratio ≤ 0.5",
        );
    }
    for pdf in [
        corpus.join("afs-2011-19_kemiska-arbetsmiljorisker_konsoliderad.pdf"),
        corpus.join("prop-1999-2000-17_custom-font-encoding.pdf"),
        fixtures.join("riktlinje.pdf"),
    ] {
        let arg = pdf.to_string_lossy().into_owned();
        row(
            pdf,
            Some(("pdftotext", vec![arg, "-".into()])),
            "ratio ≤ 1.5",
        );
    }
    row(
        corpus.join("sfs-2016-1145_lag-om-offentlig-upphandling_selex.md"),
        None,
        "< 50 ms",
    );
    row(
        corpus.join("sfs-2008-962_lag-om-valfrihetssystem_rkrattsbaser.html"),
        None,
        "-",
    );
}
