//! Clause lists for tests without the ingest crate.
#![allow(dead_code)]

use std::path::Path;

use kryphal_rules::{ScreenClause, ScreenInput};

pub fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The sample reglemente as clauses: a paragraph starting `N.M ` is a
/// clause with id `N.M`; a paragraph starting `a) ` is clause `N.M a)` of
/// the last numbered clause; the section is the last `##`/`###` heading.
pub fn sample() -> ScreenInput {
    let text = std::fs::read_to_string(
        repo().join("crates/kryphal-app/sample/reglemente-kundval-hemtjanst.md"),
    )
    .unwrap();
    let body = text.splitn(3, "---").nth(2).unwrap();
    let mut clauses = Vec::new();
    let (mut section, mut title, mut last_num) = (String::new(), String::new(), String::new());
    for para in body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        if let Some(h) = para
            .strip_prefix("## ")
            .or_else(|| para.strip_prefix("### "))
        {
            section = h.to_string();
            title = h.to_string();
            continue;
        }
        if para.starts_with("# ") {
            continue;
        }
        let first = para.split_whitespace().next().unwrap_or("");
        let id = if first.contains('.') && first.chars().next().is_some_and(|c| c.is_ascii_digit())
        {
            last_num = first.to_string();
            first.to_string()
        } else if first.len() == 2 && first.ends_with(')') {
            format!("{last_num} {first}")
        } else {
            continue;
        };
        clauses.push(ScreenClause {
            id,
            text: para.to_string(),
            section_id: Some(section.clone()),
            section_title: title.clone(),
            ..ScreenClause::default()
        });
    }
    ScreenInput {
        clauses,
        ..ScreenInput::default()
    }
}

/// The LOU (SFS 2016:1145) split on `####` headings: one clause per
/// paragraph (§), in the chapter (`##`/`###` heading) it stands under.
pub fn lou() -> ScreenInput {
    let text = std::fs::read_to_string(Path::new(
        "/work/shared/corpus/sfs-2016-1145_lag-om-offentlig-upphandling_selex.md",
    ))
    .or_else(|_| {
        std::fs::read_to_string(
            repo().join("../shared/corpus/sfs-2016-1145_lag-om-offentlig-upphandling_selex.md"),
        )
    })
    .expect("the LOU corpus file");
    let mut clauses = Vec::new();
    let mut section = String::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("#### ") {
            if let Some((id, t)) = current.take() {
                clauses.push(ScreenClause {
                    id,
                    text: t,
                    section_id: Some(section.clone()),
                    section_title: section.clone(),
                    ..ScreenClause::default()
                });
            }
            current = Some((
                format!("{} {section} {h}", clauses.len() + 1),
                String::new(),
            ));
        } else if line.starts_with("## ") || line.starts_with("### ") {
            section = line.trim_start_matches('#').trim().to_string();
        } else if let Some((_, t)) = current.as_mut() {
            t.push_str(line);
            t.push('\n');
        }
    }
    if let Some((id, t)) = current {
        clauses.push(ScreenClause {
            id,
            text: t,
            section_id: Some(section.clone()),
            section_title: section,
            ..ScreenClause::default()
        });
    }
    ScreenInput {
        clauses,
        ..ScreenInput::default()
    }
}
