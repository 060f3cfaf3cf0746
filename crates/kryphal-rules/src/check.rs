//! `kryphal rulebook check DIR`: validate a pack and run every rule's
//! examples.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Pack, RuleKind, Rulebook, RulesError, ScreenInput, screen};

/// An example that did not behave as its rule says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExampleFailure {
    pub rule_id: String,
    /// The rule's file relative to the pack folder.
    pub file: String,
    /// The example's line in that file.
    pub line: usize,
    /// `true` for a `hit` example that did not hit, `false` for a `miss`
    /// example that did.
    pub expected_hit: bool,
    pub text: String,
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.expected_hit {
            "should hit but does not"
        } else {
            "is a near-miss but hits"
        };
        write!(
            f,
            "{}:{}: rule {}: example {what}: {:?}",
            self.file, self.line, self.rule_id, self.text
        )
    }
}

/// What checking a pack found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CheckReport {
    pub pack: Pack,
    /// Number of rules, and of rules per kind.
    pub rules: u32,
    pub rules_by_kind: Vec<(RuleKind, u32)>,
    /// Number of distinct vulnerability families the rules cover.
    pub categories_covered: u32,
    pub examples_run: u32,
    pub failures: Vec<ExampleFailure>,
}

impl CheckReport {
    /// True when every example behaved.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "pack {} {}: {} rules in {} families, {} examples run, {} failed",
            self.pack.id,
            self.pack.version,
            self.rules,
            self.categories_covered,
            self.examples_run,
            self.failures.len()
        )?;
        for fail in &self.failures {
            writeln!(f, "  {fail}")?;
        }
        Ok(())
    }
}

/// Validates the pack in `dir` (any error names file, line and key) and
/// runs every rule's examples: each `hit` text, screened as a document of
/// its own (its paragraphs, separated by a blank line, are its clauses),
/// must make the rule fire; each `miss` text must not.
pub fn check_pack(dir: &Path) -> Result<CheckReport, RulesError> {
    let book = Rulebook::load(dir)?;
    Ok(check_book(&book))
}

/// [`check_pack`] for a rulebook already loaded.
pub fn check_book(book: &Rulebook) -> CheckReport {
    let mut failures = Vec::new();
    let mut examples_run = 0u32;
    for rule in &book.rules {
        let cases = rule
            .examples
            .hit
            .iter()
            .zip(&rule.lines.hit)
            .map(|(t, l)| (t, *l, true))
            .chain(
                rule.examples
                    .miss
                    .iter()
                    .zip(&rule.lines.miss)
                    .map(|(t, l)| (t, *l, false)),
            );
        for (text, line, expected_hit) in cases {
            examples_run += 1;
            // A rule folded under a more specific one on the same words
            // fired too.
            let hit = screen(book, &ScreenInput::example(text))
                .iter()
                .any(|h| h.rule_id == rule.id || h.also.iter().any(|a| a.rule_id == rule.id));
            if hit != expected_hit {
                failures.push(ExampleFailure {
                    rule_id: rule.id.clone(),
                    file: rule.file.clone(),
                    line,
                    expected_hit,
                    text: text.clone(),
                });
            }
        }
    }
    let mut by_kind: Vec<(RuleKind, u32)> = Vec::new();
    for kind in [
        RuleKind::Existence,
        RuleKind::Absence,
        RuleKind::Threshold,
        RuleKind::Question,
    ] {
        let n = book.rules.iter().filter(|r| r.kind == kind).count() as u32;
        by_kind.push((kind, n));
    }
    let mut cats: Vec<&str> = book.rules.iter().map(|r| r.category.as_str()).collect();
    cats.sort_unstable();
    cats.dedup();
    CheckReport {
        pack: book.pack.clone(),
        rules: book.rules.len() as u32,
        rules_by_kind: by_kind,
        categories_covered: cats.len() as u32,
        examples_run,
        failures,
    }
}
