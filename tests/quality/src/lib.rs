//! # kryphal-quality
//!
//! Measures Kryphål on real documents against expectations that people wrote
//! by reading the documents (the rules are in `tests/quality/README.md`):
//!
//! - [`golden`]: golden outlines (`golden/*.outline`) and the structure score
//!   of an import against one: clause-boundary F1, label accuracy, heading
//!   accuracy and text coverage, with a readable diff.
//! - [`search`]: judged search queries (`search/queries.toml`) and their
//!   recall@20 / precision@10 per query class.
//! - [`screening`]: precision and recall of screening against clause labels
//!   (`screening/labels.toml`), per family and in total, and the
//!   section- and document-wide absences.
//!
//! The test binary (`tests/main.rs`) prints the tables and holds the floors.

pub mod golden;
pub mod screening;
pub mod search;
pub mod text;

use std::path::PathBuf;

/// The repository's root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/corpus` beside the repository, when it is there.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = repo().join("../shared/corpus");
    dir.is_dir().then_some(dir)
}
