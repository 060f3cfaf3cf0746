//! Shared by the store's test files: the stamp and document they build on.

#![allow(dead_code)] // each test file uses its own part

use kryphal_domain::*;
use kryphal_store::Stamp;

/// Anna's stamp at `at`.
pub fn stamp(at: &str) -> Stamp {
    Stamp {
        actor: "anna".into(),
        at: at.into(),
    }
}

/// A Markdown document with the id `id` (its hash is derived from the id).
pub fn document(id: &str) -> Document {
    Document {
        id: id.into(),
        meta: DocumentMeta {
            title: "Reglemente för kundval".into(),
            dnr: "VON 2024/1".into(),
            ..Default::default()
        },
        source: SourceFile {
            name: "r.md".into(),
            sha256: format!("{id}-sha"),
            format: SourceFormat::Markdown,
            size: 3,
        },
        imported_at: "2026-11-23T10:00:00Z".into(),
        imported_by: "anna".into(),
        rulebook: RulebookRef {
            id: "bra-mur-sv".into(),
            version: "0.1.0".into(),
        },
    }
}
