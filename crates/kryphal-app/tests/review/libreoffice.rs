//! The Word round trip with the real tool on the other side: review
//! documents of the sample (20 findings) and of a corpus document (22
//! findings) are answered in LibreOffice itself — changes accepted,
//! rejected and edited, replies and new comments written — by
//! `tests/libreoffice/review.py` over UNO, saved as DOCX, and read back.
//! Every finding's outcome, every reply and every note must come back, and
//! nothing else may change. One LibreOffice run for both files.
//!
//! Needs LibreOffice (Debian package libreoffice-writer-nogui) and its
//! Python bridge (python3-uno); fails naming them when they are missing.
//! With `KRYPHAL_REVIEW_DUMP=DIR` the files are kept there for a look.

use std::path::{Path, PathBuf};
use std::process::Command;

use kryphal_app::{ExportChoices, Library, ReviewPreview};
use kryphal_domain::{Finding, FindingInput, FindingStatus};
use serde_json::json;

const PYTHON: &str = "/usr/bin/python3";

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/libreoffice/review.py")
}

fn require_tools() {
    let uno = Command::new(PYTHON).args(["-c", "import uno"]).output();
    assert!(
        uno.is_ok_and(|o| o.status.success()),
        "LibreOffice's Python bridge is missing: install the Debian package python3-uno (./dev.sh setup installs it); {PYTHON} must be able to `import uno`"
    );
    assert!(
        Command::new("soffice").arg("--version").output().is_ok(),
        "LibreOffice is not installed: install the Debian package libreoffice-writer-nogui"
    );
}

/// The 20 clauses of the sample with a weak point planted on purpose (see
/// `sample/README.md`), by the end of their labels.
const WEAK: [&str; 20] = [
    "p. 2.1 f)",
    "p. 3.2",
    "p. 3.4",
    "p. 3.6",
    "p. 3.8",
    "p. 4.1",
    "p. 4.4",
    "p. 4.5",
    "p. 4.6",
    "p. 4.10",
    "p. 4.11",
    "p. 5.4",
    "p. 6.2",
    "p. 6.3",
    "p. 6.5",
    "p. 7.5",
    "p. 8.2 b)",
    "p. 8.3",
    "p. 9.3",
    "p. 10.2",
];

/// A finding with a proposed wording on each clause: the clause's text
/// with a sentence added, and one word changed where it has "ska".
fn analyse(lib: &mut Library, clauses: &[kryphal_domain::Clause]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, c) in clauses.iter().enumerate() {
        let mut proposal = format!("{} Kontrollen görs varje år.", c.text.trim());
        if i % 2 == 0 {
            proposal = proposal.replacen(" får ", " ska ", 1);
        }
        let f = lib
            .add_finding(
                &c.id,
                FindingInput {
                    unintended_consequence: format!("Formuleringen i {} kan utnyttjas.", c.label),
                    crime_types: vec!["BED".into()],
                    likelihood: Some(1 + (i % 4) as u8),
                    impact: Some(1 + ((i / 2) % 4) as u8),
                    proposed_wording: proposal,
                    status: FindingStatus::Reviewed,
                    ..Default::default()
                },
            )
            .unwrap();
        out.push(f);
    }
    out
}

/// The comment name of the finding numbered `n` in the review document.
fn comment(n: usize) -> String {
    format!("Iakttagelse {n}:")
}

struct Case {
    doc: String,
    /// Finding ids in the review document's numbering.
    order: Vec<String>,
    before: Vec<Finding>,
    accept: Vec<usize>,
    reject: Vec<usize>,
    edit: Vec<usize>,
    replies: Vec<(usize, &'static str, &'static str, &'static str)>,
    note: (String, &'static str, &'static str),
}

fn operations(case: &Case) -> Vec<serde_json::Value> {
    let mut ops = Vec::new();
    for &n in &case.accept {
        ops.push(json!({"action": "accept", "comment": comment(n)}));
    }
    for &n in &case.reject {
        ops.push(json!({"action": "reject", "comment": comment(n)}));
    }
    for &n in &case.edit {
        ops.push(json!({"action": "edit", "comment": comment(n), "old": "Kontrollen görs varje år", "new": "Kontrollen görs varje halvår"}));
    }
    for (n, author, text, date) in &case.replies {
        ops.push(json!({"action": "reply", "comment": comment(*n), "author": author, "text": text, "date": date}));
    }
    let (paragraph, author, text) = &case.note;
    ops.push(json!({"action": "note", "paragraph": paragraph, "author": author, "text": text, "date": "2026-12-03T08:30:00"}));
    ops
}

fn check(lib: &Library, case: &Case, report: &ReviewPreview) {
    let now: Vec<Finding> = lib.findings(&case.doc).unwrap();
    let by_id = |id: &str| now.iter().find(|f| f.id == id).unwrap();
    let was = |id: &str| case.before.iter().find(|f| f.id == id).unwrap();
    for (i, id) in case.order.iter().enumerate() {
        let n = i + 1;
        let (f, old) = (by_id(id), was(id));
        let replies: Vec<_> = case.replies.iter().filter(|r| r.0 == n).collect();
        if case.accept.contains(&n) {
            assert_eq!(
                f.input.status,
                FindingStatus::Agreed,
                "finding {n} was accepted"
            );
            assert_eq!(f.input.proposed_wording, old.input.proposed_wording);
        } else if case.reject.contains(&n) {
            assert_eq!(
                f.input.status,
                FindingStatus::Rejected,
                "finding {n} was rejected"
            );
            assert_eq!(f.input.proposed_wording, old.input.proposed_wording);
        } else if case.edit.contains(&n) {
            assert_eq!(
                f.input.status,
                FindingStatus::Reviewed,
                "finding {n} was edited"
            );
            assert_eq!(
                f.input.proposed_wording,
                old.input
                    .proposed_wording
                    .replace("varje år", "varje halvår"),
                "finding {n}: the reviewer's text is the proposal"
            );
        } else {
            // Pending: nothing changes but its replies.
            assert_eq!(f.input, old.input, "finding {n} was left pending");
        }
        // Nothing else of the finding changed.
        let mut expected = old.input.clone();
        expected.status = f.input.status;
        expected.proposed_wording = f.input.proposed_wording.clone();
        assert_eq!(
            f.input, expected,
            "finding {n}: only status and proposal change"
        );
        assert_eq!(
            f.comments.len(),
            old.comments.len() + replies.len(),
            "finding {n}'s replies"
        );
        for (r, (_, author, text, date)) in f.comments[old.comments.len()..].iter().zip(&replies) {
            assert_eq!(r.author, *author);
            assert_eq!(r.text, *text);
            assert_eq!(r.at, format!("{date}Z"));
        }
    }
    let c = &report.counts;
    assert_eq!(c.accepted as usize, case.accept.len(), "{c:?}");
    assert_eq!(c.rejected as usize, case.reject.len(), "{c:?}");
    assert_eq!(c.edited as usize, case.edit.len(), "{c:?}");
    assert_eq!(
        c.pending as usize,
        case.order.len() - case.accept.len() - case.reject.len() - case.edit.len(),
        "{c:?}"
    );
    assert_eq!(c.replies as usize, case.replies.len(), "{c:?}");
    assert_eq!(c.notes, 1, "{c:?}");
    assert_eq!((c.not_found, c.skipped), (0, 0), "{:?}", report.problems);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let notes = lib.clause_notes(&case.doc).unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(
        (notes[0].author.as_str(), notes[0].text.as_str()),
        (case.note.1, case.note.2)
    );
    assert!(notes[0].clause_id.is_some(), "the note is on its clause");
    assert_eq!(notes[0].at, "2026-12-03T08:30:00Z");
    assert_eq!(
        lib.review_decisions(&case.doc).unwrap().len(),
        case.accept.len() + case.reject.len() + case.edit.len()
    );
}

#[test]
fn libreoffice_accepts_rejects_edits_and_replies_and_every_answer_comes_back() {
    require_tools();
    let dir = tempfile::tempdir().unwrap();
    let keep = std::env::var_os("KRYPHAL_REVIEW_DUMP").map(PathBuf::from);
    let out = keep.clone().unwrap_or_else(|| dir.path().to_path_buf());
    std::fs::create_dir_all(&out).unwrap();
    let mut lib = Library::open(&dir.path().join("lo.kryphal"), "Anna Analytiker").unwrap();
    lib.set_undo_coalescing(std::time::Duration::ZERO);

    // The sample, 20 findings on its weak clauses.
    assert!(lib.ensure_sample().unwrap());
    let sample = lib.documents().unwrap()[0].id.clone();
    let outline = lib.document(&sample).unwrap().outline;
    let weak: Vec<_> = WEAK
        .iter()
        .map(|w| {
            outline
                .clauses
                .iter()
                .find(|c| c.label.ends_with(w))
                .unwrap_or_else(|| panic!("{w}"))
                .clone()
        })
        .collect();
    analyse(&mut lib, &weak);
    // A corpus document (Botkyrka's rules against bribes), 22 findings.
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/botkyrka_riktlinjer-mot-mutor-och-jav_2013_pdf2md.md");
    let corpus_doc = if corpus.exists() {
        let r = lib.import_file(&corpus).unwrap();
        let clauses: Vec<_> = lib
            .document(&r.document_id)
            .unwrap()
            .outline
            .clauses
            .into_iter()
            .filter(|c| c.text.split_whitespace().count() >= 6)
            .step_by(2)
            .take(22)
            .collect();
        assert_eq!(clauses.len(), 22);
        analyse(&mut lib, &clauses);
        Some(r.document_id)
    } else {
        eprintln!(
            "SKIPPED: {} is absent; only the sample goes through LibreOffice",
            corpus.display()
        );
        None
    };

    if keep.is_some() {
        // The memo of the sample with its 20 findings, public, for a look at its pages.
        lib.set_export_settings(&kryphal_app::ExportSettings {
            municipality: "Ekby kommun".into(),
            committee: "Vård- och omsorgsnämnden".into(),
            responsible_official: "Anna Analytiker, säkerhetsstrateg".into(),
        })
        .unwrap();
        lib.set_memo_field(&sample, "case_dnr", "VON 2026/0042")
            .unwrap();
        for format in ["memo-docx", "memo-pdf"] {
            let choices = ExportChoices {
                variant: "public".into(),
                lang: "sv".into(),
            };
            let name = lib.export_file_name(&sample, format, &choices).unwrap();
            lib.export(&sample, format, &choices, &out.join(name))
                .unwrap();
        }
    }

    let mut cases = Vec::new();
    let mut jobs = Vec::new();
    for (doc, name) in [
        (Some(sample.clone()), "sample"),
        (corpus_doc.clone(), "corpus"),
    ] {
        let Some(doc) = doc else { continue };
        let order = lib.export_preview(&doc, "review-docx").unwrap();
        let sent = out.join(format!("{name}-granskning.docx"));
        lib.export(&doc, "review-docx", &ExportChoices::default(), &sent)
            .unwrap();
        let back = out.join(format!("{name}-granskad.docx"));
        let view = lib.document(&doc).unwrap();
        // A clause without a finding gets the new comment.
        let with: std::collections::HashSet<&str> =
            view.findings.iter().map(|f| f.clause_id.as_str()).collect();
        let free = view
            .outline
            .clauses
            .iter()
            .find(|c| !with.contains(c.id.as_str()) && c.text.split_whitespace().count() >= 6)
            .unwrap();
        let snippet: String = free
            .text
            .split_whitespace()
            .take(5)
            .collect::<Vec<_>>()
            .join(" ");
        let total = order.len();
        let case = if name == "sample" {
            Case {
                doc: doc.clone(),
                before: view.findings.clone(),
                accept: vec![1, 3, 5, 7, 9, 11, 13],
                reject: vec![2, 4, 6, 8],
                edit: vec![10],
                replies: vec![
                    (
                        1,
                        "Verksamhetschef Vera",
                        "Vi godtar ändringen.",
                        "2026-12-01T10:00:00",
                    ),
                    (
                        2,
                        "Juristen",
                        "Avvisas: regleras redan i avtalet.",
                        "2026-12-01T11:15:00",
                    ),
                    (
                        12,
                        "Verksamhetschef Vera",
                        "Behöver diskuteras på nästa möte.",
                        "2026-12-02T09:00:00",
                    ),
                    (
                        total,
                        "Nämndsekreteraren",
                        "Tas upp i december.",
                        "2026-12-02T14:30:00",
                    ),
                ],
                note: (snippet, "Juristen", "Även denna punkt bör ses över."),
                order,
            }
        } else {
            Case {
                doc: doc.clone(),
                before: view.findings.clone(),
                accept: (1..=11).collect(),
                reject: (12..=16).collect(),
                edit: Vec::new(),
                replies: vec![
                    (3, "Förvaltningsjuristen", "Rimligt.", "2026-12-01T08:00:00"),
                    (
                        13,
                        "Förvaltningsjuristen",
                        "Gäller redan enligt lag.",
                        "2026-12-01T08:05:00",
                    ),
                    (20, "HR-chefen", "Vi återkommer.", "2026-12-01T08:10:00"),
                ],
                note: (snippet, "HR-chefen", "Saknas en rutin här."),
                order,
            }
        };
        jobs.push(json!({"input": sent, "output": back, "operations": operations(&case)}));
        cases.push((case, back));
    }
    let plan = dir.path().join("plan.json");
    std::fs::write(
        &plan,
        serde_json::to_vec(&json!({"profile": dir.path().join("lo-profile"), "jobs": jobs}))
            .unwrap(),
    )
    .unwrap();
    let run = Command::new(PYTHON)
        .arg(script())
        .arg(&plan)
        .output()
        .expect("python3 runs");
    assert!(
        run.status.success(),
        "LibreOffice could not answer the review documents:\n{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );

    let others = |lib: &Library| {
        (
            lib.document(&sample).unwrap().suggestions,
            lib.document(&sample).unwrap().outline,
            lib.documents().unwrap().len(),
        )
    };
    let untouched = others(&lib);
    for (case, back) in &cases {
        let bytes = std::fs::read(back).unwrap();
        let preview = lib.review_preview("granskad.docx", &bytes).unwrap();
        let report = lib.import_review("granskad.docx", &bytes, false).unwrap();
        assert_eq!(
            preview.counts, report.counts,
            "the preview is what is stored"
        );
        assert!(report.stored);
        eprintln!(
            "{}: {} accepted, {} rejected, {} edited, {} pending, {} replies, {} notes",
            case.doc,
            report.counts.accepted,
            report.counts.rejected,
            report.counts.edited,
            report.counts.pending,
            report.counts.replies,
            report.counts.notes
        );
        check(&lib, case, &report);
    }
    assert_eq!(
        others(&lib),
        untouched,
        "suggestions, outline and documents are as they were"
    );
    // The whole import of a file is one undo step.
    if corpus_doc.is_some() {
        lib.undo().unwrap().unwrap();
        let corpus_case = &cases[1].0;
        assert_eq!(lib.findings(&corpus_case.doc).unwrap(), corpus_case.before);
        assert!(lib.clause_notes(&corpus_case.doc).unwrap().is_empty());
    }
}
