//! `kryphal search` and `kryphal reindex`, run as a user would, on a real
//! library file with its index folder beside it.

use std::path::PathBuf;
use std::process::Output;

mod common;
use common::SAMPLE;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn with_sample() -> Env {
        let env = Env {
            dir: tempfile::tempdir().unwrap(),
        };
        env.ok(&["import", SAMPLE]);
        env
    }
    fn lib(&self) -> PathBuf {
        self.dir.path().join("lib.kryphal")
    }
    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        common::kryphal(&self.lib(), args, stdin)
    }
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args, None);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
}

#[test]
fn search_prints_hits_grouped_by_document_with_the_words_marked() {
    let env = Env::with_sample();
    let out = env.ok(&["search", "belastningsregister"]);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("1 result"), "{out}");
    assert_eq!(lines.next(), Some(""));
    let heading = lines.next().unwrap();
    assert!(heading.starts_with("Reglemente för kundval"), "{out}");
    assert!(lines.next().unwrap().starts_with("  clause\t"), "{out}");
    assert!(out.contains("«belastningsregistret»"), "{out}");
    assert!(
        env.lib().with_extension("kryphal.search").is_dir(),
        "the index folder is beside the library"
    );
}

#[test]
fn search_json_follows_the_documented_contract() {
    let env = Env::with_sample();
    let v = env.json(&["search", "leverantör", "--json", "--limit", "3"]);
    assert_eq!(v["status"], "ready");
    assert!(v["total"].as_u64().unwrap() > 3);
    assert_eq!(v["total_is_lower_bound"], false);
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 3);
    for key in [
        "kind",
        "document_id",
        "document_title",
        "clause_id",
        "label",
        "segments",
        "words",
        "matched_in",
    ] {
        assert!(hits[0].get(key).is_some(), "hit lacks {key}: {}", hits[0]);
    }
    let facets = v["facets"].as_array().unwrap();
    let kind = facets.iter().find(|f| f["key"] == "kind").unwrap();
    assert!(kind["values"][0]["count"].as_u64().unwrap() > 0);
}

#[test]
fn filters_narrow_results_and_a_bad_filter_gets_a_sentence() {
    let env = Env::with_sample();
    let all = env.json(&["search", "leverantör", "--json"]);
    let docs = env.json(&[
        "search",
        "leverantör",
        "--json",
        "--filter",
        "kind=document",
    ]);
    assert!(docs["total"].as_u64() < all["total"].as_u64());
    assert!(
        docs["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["kind"] == "document")
    );
    for bad in ["colour=red", "kind"] {
        let out = env.run(&["search", "x", "--filter", bad], None);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.starts_with("kryphal: "), "{err}");
        assert!(err.contains("filter"), "{err}");
    }
}

#[test]
fn hostile_queries_are_read_as_plain_words() {
    let env = Env::with_sample();
    let long = "a\"(".repeat(3_400);
    for q in [
        "\"unbalanced AND (",
        "",
        "*:*",
        "title:[a TO z]",
        long.as_str(),
    ] {
        let out = env.run(&["search", q, "--json"], None);
        assert!(
            out.status.success(),
            "{q:.30}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(env.ok(&["search", "zzzqqq"]).trim(), "No results.");
}

#[test]
fn a_finding_added_from_the_cli_is_found_and_reindex_rebuilds() {
    let env = Env::with_sample();
    assert_eq!(env.ok(&["search", "zebrafink"]).trim(), "No results.");
    let view = env.json(&["show", "Reglemente", "--json"]);
    let clause = view["outline"]["clauses"][3]["id"].as_str().unwrap();
    let out = env.run(
        &["finding", "add", clause, "--json", "-"],
        Some(r#"{"unintended_consequence": "En zebrafink kan utnyttja regeln."}"#),
    );
    assert!(out.status.success());
    let v = env.json(&["search", "zebrafink", "--json"]);
    assert_eq!(v["total"], 1);
    assert_eq!(v["hits"][0]["kind"], "finding");
    // Delete the index: the next search rebuilds it; reindex does too.
    std::fs::remove_dir_all(env.lib().with_extension("kryphal.search")).unwrap();
    assert_eq!(env.json(&["search", "zebrafink", "--json"])["total"], 1);
    let report = env.json(&["reindex", "--json"]);
    assert_eq!(report["documents"], 1);
    assert!(
        env.ok(&["reindex"])
            .starts_with("Search index rebuilt: 1 documents")
    );
}
