//! The structure score over every golden outline: a table per document and in
//! total, and floors the total and every document must stay above.
//!
//! `KRYPHAL_QUALITY_DIFF=<part of a file name>` prints the golden and the
//! import side by side for the matching documents; `KRYPHAL_HOLDOUT=<dir>`
//! scores the documents of a folder held out from tuning (`<dir>/docs/<file>`
//! against `<dir>/golden/<file>.outline`) instead of failing on floors.

use std::path::{Path, PathBuf};

use kryphal_ingest::{Limits, import};
use kryphal_quality::golden::{self, Score, table_header};
use kryphal_quality::{corpus_dir, repo};

/// Floors: the figures reached (2026-12-08), which may only rise. Issue 16's
/// targets are 0.95 / 0.95 / 0.99 in total and 0.85 for every document on
/// each measure; where a figure is still below its target, the floor is the
/// figure, not the target.
const FLOOR_TOTAL_F1: f64 = 0.955;
const FLOOR_TOTAL_LABELS: f64 = 0.955;
const FLOOR_TOTAL_COVERAGE: f64 = 0.98;
/// Per document: boundary F1, label accuracy, coverage.
const FLOOR_DOCUMENT: [f64; 3] = [0.78, 0.70, 0.94];

fn golden_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "outline"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Scores every golden outline in `golden_dir` against its source, found by `source`.
fn score_all(golden_dir: &Path, source: impl Fn(&str) -> Option<PathBuf>) -> Vec<Score> {
    let only = std::env::var("KRYPHAL_QUALITY_DIFF").ok();
    let mut scores = Vec::new();
    for file in golden_files(golden_dir) {
        let doc = file.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        let g = golden::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let Some(path) = source(&doc) else {
            println!("SKIPPED {doc}: its source is not here");
            continue;
        };
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let imported = import(&name, &bytes, "q", &Limits::default());
        let s = match &imported {
            Ok(imp) => golden::score(
                &doc,
                &g,
                Ok((&imp.outline, &imp.meta, imp.warnings.as_slice())),
            ),
            Err(e) => golden::score(&doc, &g, Err(e.to_string())),
        };
        if only.as_deref().is_some_and(|o| doc.contains(o)) {
            println!("---- {doc}\n{}", s.diff());
        }
        scores.push(s);
    }
    scores
}

fn print_table(title: &str, scores: &[Score]) -> Score {
    let mut total = Score::named("TOTAL (clauses and headings of all documents added up)");
    println!("\n{title}\n{}", table_header());
    for s in scores {
        println!("{}", s.row());
        if s.has_outline() {
            total.add(s);
        }
    }
    println!("{}", total.row());
    total
}

fn corpus_source(doc: &str) -> Option<PathBuf> {
    if doc == "sample" {
        return Some(repo().join("crates/kryphal-app/sample/reglemente-kundval-hemtjanst.md"));
    }
    corpus_dir().map(|d| d.join(doc)).filter(|p| p.is_file())
}

#[test]
fn outlines_of_real_documents_match_what_a_reader_sees() {
    let dir = repo().join("tests/quality/golden");
    let scores = score_all(&dir, corpus_source);
    assert!(
        scores.len() >= 2,
        "fewer than two golden outlines were scored (corpus missing?)"
    );
    let total = print_table(
        "Structure score: golden outlines of the corpus and the sample",
        &scores,
    );
    let mut failures = Vec::new();
    for s in &scores {
        if s.refusal == Some(false) {
            failures.push(format!("{}: not refused", s.name));
        }
        if s.warning == Some(false) {
            failures.push(format!("{}: no warning", s.name));
        }
        if !s.has_outline() {
            continue;
        }
        for ((what, v), floor) in [
            ("boundary F1", s.boundary_f1()),
            ("label accuracy", s.label_accuracy()),
            ("coverage", s.coverage()),
        ]
        .into_iter()
        .zip(FLOOR_DOCUMENT)
        {
            if v < floor {
                failures.push(format!("{}: {what} {v:.3} < {floor}", s.name));
            }
        }
    }
    for (what, v, floor) in [
        ("total boundary F1", total.boundary_f1(), FLOOR_TOTAL_F1),
        (
            "total label accuracy",
            total.label_accuracy(),
            FLOOR_TOTAL_LABELS,
        ),
        ("total coverage", total.coverage(), FLOOR_TOTAL_COVERAGE),
    ] {
        if v < floor {
            failures.push(format!("{what} {v:.3} < {floor}"));
        }
    }
    assert!(
        failures.is_empty(),
        "below the floors (KRYPHAL_QUALITY_DIFF=<name> shows why):\n{}",
        failures.join("\n")
    );
}

#[test]
fn outlines_of_held_out_documents() {
    let Ok(dir) = std::env::var("KRYPHAL_HOLDOUT") else {
        println!(
            "SKIPPED: KRYPHAL_HOLDOUT is not set (a folder of documents held out from tuning)"
        );
        return;
    };
    let dir = PathBuf::from(dir);
    let docs = dir.join("docs");
    let scores = score_all(&dir.join("golden"), |doc| {
        Some(docs.join(doc)).filter(|p| p.is_file())
    });
    print_table("Structure score: held-out documents", &scores);
}
