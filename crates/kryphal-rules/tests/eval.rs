//! The *sample check*: precision and recall of the bra-mur-sv pack on the
//! small hand-labelled set in `tests/eval/labels.toml` (see the comment at
//! its top), mostly our own sample reglemente with its weak points planted
//! on purpose, plus a few corpus clauses screened one by one. It guards the
//! sample's planted points; it says little about real documents. Screening
//! on real documents is measured in `tests/quality` (the screening module,
//! against `tests/quality/screening/labels.toml`).

mod common;

use std::collections::HashMap;

use kryphal_rules::{Hit, RuleKind, Rulebook, ScreenInput, screen};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Labels {
    clause: Vec<Label>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Label {
    source: String,
    clause: Option<String>,
    quote: Option<String>,
    text: Option<String>,
    flag: bool,
    family: Option<String>,
    note: Option<String>,
}

#[test]
fn screening_precision_and_recall_on_the_labelled_set() {
    let path = common::repo().join("crates/kryphal-rules/tests/eval/labels.toml");
    let labels: Labels = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let book = Rulebook::load(&common::repo().join("rulebooks/bra-mur-sv")).unwrap();

    let sample = common::sample();
    let mut sample_hits: HashMap<String, Vec<Hit>> = HashMap::new();
    for h in screen(&book, &sample) {
        sample_hits.entry(h.clause_id.clone()).or_default().push(h);
    }

    let (mut tp, mut fp, mut fn_, mut tn, mut family_ok) = (0u32, 0u32, 0u32, 0u32, 0u32);
    let mut report = String::new();
    for l in &labels.clause {
        let _ = &l.note;
        let (name, hits): (String, Vec<Hit>) = if l.source == "sample" {
            let id = l.clause.clone().expect("sample labels name a clause");
            let clause = sample
                .clauses
                .iter()
                .find(|c| c.id == id)
                .unwrap_or_else(|| panic!("no clause {id} in the sample"));
            let quote = l.quote.as_deref().expect("sample labels quote the clause");
            assert!(
                clause.text.contains(quote),
                "clause {id} does not contain {quote:?}"
            );
            (
                id.clone(),
                sample_hits.get(&id).cloned().unwrap_or_default(),
            )
        } else {
            let text = l.text.as_deref().expect("corpus labels quote the text");
            let file =
                std::fs::read_to_string(common::repo().join("../shared/corpus").join(&l.source))
                    .or_else(|_| {
                        std::fs::read_to_string(
                            std::path::Path::new("/work/shared/corpus").join(&l.source),
                        )
                    })
                    .unwrap();
            assert!(
                file.contains(text),
                "{} does not contain {text:?}",
                l.source
            );
            let short: String = text.chars().take(50).collect();
            (
                format!("{}: {short}", l.source),
                screen(&book, &ScreenInput::single(text)),
            )
        };
        let flags: Vec<&Hit> = hits
            .iter()
            .filter(|h| h.kind != RuleKind::Question)
            .collect();
        let predicted = !flags.is_empty();
        let rules: Vec<&str> = flags.iter().map(|h| h.rule_id.as_str()).collect();
        match (l.flag, predicted) {
            (true, true) => {
                tp += 1;
                if flags.iter().any(|h| Some(&h.category) == l.family.as_ref()) {
                    family_ok += 1;
                } else {
                    report.push_str(&format!(
                        "  family? {name} (want {:?}, got {rules:?})\n",
                        l.family
                    ));
                }
            }
            (false, true) => {
                fp += 1;
                report.push_str(&format!("  FP {name} {rules:?}\n"));
            }
            (true, false) => {
                fn_ += 1;
                report.push_str(&format!("  FN {name} (want {:?})\n", l.family));
            }
            (false, false) => tn += 1,
        }
    }
    let precision = f64::from(tp) / f64::from(tp + fp);
    let recall = f64::from(tp) / f64::from(tp + fn_);
    println!(
        "labelled clauses: {} ({} flags); TP {tp} FP {fp} FN {fn_} TN {tn}\nprecision {precision:.3}  recall {recall:.3}  expected family among true positives {family_ok}/{tp}\n{report}",
        labels.clause.len(),
        tp + fn_
    );
    assert!(labels.clause.len() >= 60);
    assert!(precision >= 0.7, "precision {precision:.3} < 0.7\n{report}");
    assert!(recall >= 0.8, "recall {recall:.3} < 0.8\n{report}");
}
