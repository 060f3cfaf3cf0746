//! New versions of a document: importing a revised file as the next version
//! of one already in the library, comparing two versions clause by clause,
//! and carrying the previous version's findings, suggestion decisions and
//! comments over to the matching clauses of the new one.
//!
//! Carry-over never deletes: the previous version keeps its findings as they
//! were; the new version gets a copy of each finding whose clause it still
//! has (marked for re-review when the clause changed, *implemented* when the
//! finding's proposed wording now stands), and a finding whose clause
//! vanished is listed as orphaned. Everything is stored in one transaction
//! (`Store::insert_version`): a carry-over that fails leaves the library as
//! it was.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use kryphal_domain::{
    CarryOver, CarryState, Clause, Document, Finding, Outline, SourceFile, Suggestion,
    SuggestionState, VersionLink,
};
use kryphal_store::{NewDocument, NewVersion};
use serde::Serialize;
use ts_rs::TS;

use crate::{AppError, AppResult, ErrorCode, Library, now, sha256_hex};

pub mod matching;

/// A document the file being imported may be a new version of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct VersionCandidate {
    pub document_id: String,
    pub title: String,
    pub dnr: String,
    pub version_label: String,
    /// What agrees: `title`, `dnr`, or `title_and_dnr`.
    pub reason: String,
}

/// One piece of a word-level difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DiffSegment {
    /// `same`, `deleted` (only in the old text) or `inserted` (only in the new).
    pub kind: String,
    pub text: String,
}

/// The word-level difference from `old` to `new`.
pub fn diff_segments(old: &str, new: &str) -> Vec<DiffSegment> {
    kryphal_export::word_diff(old, new)
        .into_iter()
        .map(|p| match p {
            kryphal_export::WordDiffPart::Same(text) => DiffSegment {
                kind: "same".into(),
                text,
            },
            kryphal_export::WordDiffPart::Deleted(text) => DiffSegment {
                kind: "deleted".into(),
                text,
            },
            kryphal_export::WordDiffPart::Inserted(text) => DiffSegment {
                kind: "inserted".into(),
                text,
            },
        })
        .collect()
}

/// What happened to a clause between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClauseChangeKind {
    Unchanged,
    Changed,
    Added,
    Removed,
}

/// A clause as one version has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClauseSide {
    pub id: String,
    pub number: String,
    pub label: String,
    pub text: String,
    pub position: u32,
}

impl From<&Clause> for ClauseSide {
    fn from(c: &Clause) -> Self {
        ClauseSide {
            id: c.id.clone(),
            number: c.number.clone(),
            label: c.label.clone(),
            text: c.text.clone(),
            position: c.position,
        }
    }
}

/// One row of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ClauseChange {
    pub kind: ClauseChangeKind,
    /// It stands elsewhere in the order of the new version.
    pub moved: bool,
    /// Its number changed (`p. 16` → `p. 17`).
    pub renumbered: bool,
    pub old: Option<ClauseSide>,
    pub new: Option<ClauseSide>,
    /// 1 for the same text, 0 for added and removed clauses.
    pub similarity: f64,
    /// The word-level difference old → new (changed clauses only).
    pub diff: Vec<DiffSegment>,
}

/// Counts of a comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct ComparisonSummary {
    pub unchanged: u32,
    pub changed: u32,
    pub added: u32,
    pub removed: u32,
    pub moved: u32,
    pub renumbered: u32,
}

/// A finding of the previous version and where it went.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CarriedFinding {
    pub carry: CarryOver,
    /// The copy on the new version, or (when orphaned) the original.
    pub finding: Finding,
    /// The clause's label in the new version (`None` when orphaned).
    pub new_label: Option<String>,
    /// The clause's change old → new, for findings to review again.
    pub diff: Vec<DiffSegment>,
}

/// Two versions of a document side by side.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct VersionComparison {
    pub old: Document,
    pub new: Document,
    pub summary: ComparisonSummary,
    /// In the order of the new version; removed clauses where they stood.
    pub changes: Vec<ClauseChange>,
    /// What became of the old version's findings (empty unless `new` was
    /// stored as the next version of `old`).
    pub carried: Vec<CarriedFinding>,
}

/// What importing a new version did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct VersionReport {
    pub document_id: String,
    pub previous_id: String,
    pub family_id: String,
    pub number: u32,
    pub title: String,
    pub file_name: String,
    pub clauses: u32,
    pub summary: ComparisonSummary,
    pub carried: u32,
    pub rereview: u32,
    pub orphaned: u32,
    pub implemented: u32,
    /// Suggestion decisions (dismissals, acceptances) carried over.
    pub decisions: u32,
    /// The previous version's outline corrections made again on this one
    /// (found by their text).
    pub corrections_applied: u32,
    /// Those whose text this version no longer has (or that no longer fit).
    pub corrections_skipped: Vec<crate::SkippedCorrection>,
    pub warnings: Vec<String>,
}

/// The versions of a document's family, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct VersionEntry {
    pub document_id: String,
    pub title: String,
    pub version_label: String,
    pub number: u32,
    pub previous_id: Option<String>,
    /// Carried findings still waiting for review again.
    pub open_rereview: u32,
}

/// Where a document stands among versions, for the document view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct VersionStatus {
    pub document_id: String,
    /// 1 for a document on its own.
    pub number: u32,
    pub previous_id: Option<String>,
    pub next_id: Option<String>,
    /// For a document on its own: documents imported before it that it may
    /// be a new version of (same title or Dnr).
    pub candidates: Vec<VersionCandidate>,
    /// Carried findings still waiting to be reviewed again.
    pub open_rereview: u32,
}

fn count(carry: &[CarryOver], state: CarryState) -> u32 {
    carry.iter().filter(|c| c.state == state).count() as u32
}

fn norm_dnr(d: &str) -> String {
    d.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The comparison rows of `old` → `new` from the matched pairs.
fn changes(old: &Outline, new: &Outline, pairs: &[matching::Pair]) -> Vec<ClauseChange> {
    let mut rows: Vec<((i64, u8, u32), ClauseChange)> = Vec::new();
    let mut new_of_old: HashMap<usize, usize> = HashMap::new();
    for p in pairs {
        new_of_old.insert(p.old, p.new);
        let (o, n) = (&old.clauses[p.old], &new.clauses[p.new]);
        let same = p.similarity >= 1.0;
        rows.push((
            (i64::from(n.position), 0, 0),
            ClauseChange {
                kind: if same {
                    ClauseChangeKind::Unchanged
                } else {
                    ClauseChangeKind::Changed
                },
                moved: p.moved,
                renumbered: o.number != n.number,
                old: Some(o.into()),
                new: Some(n.into()),
                similarity: p.similarity,
                diff: if same {
                    Vec::new()
                } else {
                    diff_segments(&o.text, &n.text)
                },
            },
        ));
    }
    let matched_new: std::collections::HashSet<usize> = pairs.iter().map(|p| p.new).collect();
    for (j, n) in new.clauses.iter().enumerate() {
        if !matched_new.contains(&j) {
            rows.push((
                (i64::from(n.position), 0, 0),
                ClauseChange {
                    kind: ClauseChangeKind::Added,
                    moved: false,
                    renumbered: false,
                    old: None,
                    new: Some(n.into()),
                    similarity: 0.0,
                    diff: Vec::new(),
                },
            ));
        }
    }
    for (i, o) in old.clauses.iter().enumerate() {
        if new_of_old.contains_key(&i) {
            continue;
        }
        // After the new place of the nearest earlier old clause that was kept.
        let anchor = (0..i)
            .rev()
            .find_map(|k| new_of_old.get(&k))
            .map(|&j| i64::from(new.clauses[j].position))
            .unwrap_or(-1);
        rows.push((
            (anchor, 1, o.position),
            ClauseChange {
                kind: ClauseChangeKind::Removed,
                moved: false,
                renumbered: false,
                old: Some(o.into()),
                new: None,
                similarity: 0.0,
                diff: Vec::new(),
            },
        ));
    }
    rows.sort_by_key(|(k, _)| *k);
    rows.into_iter().map(|(_, c)| c).collect()
}

fn summary(changes: &[ClauseChange]) -> ComparisonSummary {
    let mut s = ComparisonSummary::default();
    for c in changes {
        match c.kind {
            ClauseChangeKind::Unchanged => s.unchanged += 1,
            ClauseChangeKind::Changed => s.changed += 1,
            ClauseChangeKind::Added => s.added += 1,
            ClauseChangeKind::Removed => s.removed += 1,
        }
        s.moved += u32::from(c.moved);
        s.renumbered += u32::from(c.renumbered);
    }
    s
}

/// The carry-over of `old_findings` and `old_suggestions` onto a new version.
struct Plan {
    findings: Vec<Finding>,
    carryovers: Vec<CarryOver>,
    /// The new version's suggestions with the carried decisions applied.
    suggestions: Vec<Suggestion>,
    /// How many of them got a decision carried over.
    decisions: u32,
    changes: Vec<ClauseChange>,
}

impl Library {
    /// Documents already in the library that a document with `meta` may be a
    /// new version of: the latest version of each family whose title or Dnr
    /// is the same (case and spaces aside). `exclude` is left out.
    pub fn version_candidates_for(
        &self,
        meta: &kryphal_domain::DocumentMeta,
        exclude: Option<&str>,
    ) -> AppResult<Vec<VersionCandidate>> {
        let title = matching::normalise(&meta.title);
        let dnr = norm_dnr(&meta.dnr);
        let mut out = Vec::new();
        for d in self.store.documents()? {
            if Some(d.id.as_str()) == exclude || !self.store.next_versions(&d.id)?.is_empty() {
                continue;
            }
            let same_title = !title.is_empty() && matching::normalise(&d.meta.title) == title;
            let same_dnr = !dnr.is_empty() && norm_dnr(&d.meta.dnr) == dnr;
            let reason = match (same_title, same_dnr) {
                (true, true) => "title_and_dnr",
                (true, false) => "title",
                (false, true) => "dnr",
                (false, false) => continue,
            };
            out.push(VersionCandidate {
                document_id: d.id,
                title: d.meta.title,
                dnr: d.meta.dnr,
                version_label: d.meta.version_label,
                reason: reason.into(),
            });
        }
        // Both agreeing first.
        out.sort_by_key(|c| u8::from(c.reason != "title_and_dnr"));
        Ok(out)
    }

    /// The documents the file `name` with `bytes` may be a new version of
    /// (read, not imported). Asked before an import, so the user can choose.
    pub fn propose_version(&self, name: &str, bytes: &[u8]) -> AppResult<Vec<VersionCandidate>> {
        let imported = kryphal_ingest::import(name, bytes, "probe", &self.limits)?;
        self.version_candidates_for(&imported.meta, None)
    }

    /// Reads the file at `path` and imports it as the next version of `previous`.
    pub fn import_file_as_version(
        &mut self,
        path: &Path,
        previous: &str,
    ) -> AppResult<VersionReport> {
        let (name, bytes) = self.read_import_file(path)?;
        self.import_bytes_as_version(&name, &bytes, previous)
    }

    /// Imports a document as the next version of `previous` (an id, id
    /// prefix or title prefix) and carries the previous version's findings,
    /// comments and suggestion decisions over, all in one transaction.
    pub fn import_bytes_as_version(
        &mut self,
        name: &str,
        bytes: &[u8],
        previous: &str,
    ) -> AppResult<VersionReport> {
        let prev = self.resolve_document(previous)?;
        let link = self.next_link(&prev)?;
        let sha256 = sha256_hex(bytes);
        if let Some(existing) = self.store.document_by_sha256(&sha256)? {
            let doc = self.store.document(&existing)?;
            let what = if existing == prev.id {
                "it is the very version it would replace".to_string()
            } else {
                format!(
                    "it is already in the library as “{}” (id {})",
                    doc.meta.title, doc.id
                )
            };
            return Err(AppError::new(
                ErrorCode::Duplicate,
                format!(
                    "{name} cannot be imported as a new version: {what}. The library was not changed."
                ),
            ));
        }
        let id = self.new_document_id(&sha256)?;
        let imported = kryphal_ingest::import(name, bytes, &id, &self.limits)?;
        // The analyst's corrections of the previous version's outline, made
        // again where their text is found, before screening and carry-over.
        let corrected =
            self.reapply_corrections(&prev.id, &imported.outline, &id, &id, &HashSet::new())?;
        let outline = corrected.outline;
        let doc = Document {
            id: id.clone(),
            meta: imported.meta,
            source: SourceFile {
                name: name.to_string(),
                sha256,
                format: imported.format,
                size: bytes.len() as u64,
            },
            imported_at: now(),
            imported_by: self.user.clone(),
            // A new version keeps the pack its predecessor is screened with.
            rulebook: self.book_for(&prev.rulebook.id).reference(),
        };
        let fresh = self.screening(&id, &doc.meta.title, &doc.rulebook.id, &outline);
        let plan = self.plan(&prev, &doc.id, &id, &outline, fresh)?;
        let link = VersionLink {
            document_id: id.clone(),
            ..link
        };
        let stamp = self.stamp();
        self.store.insert_version(
            &stamp,
            &NewVersion {
                document: Some(NewDocument {
                    document: &doc,
                    lineage: &id,
                    source_bytes: bytes,
                    outline: &outline,
                    suggestions: &plan.suggestions,
                }),
                link: &link,
                findings: &plan.findings,
                suggestion_updates: &[],
                carryovers: &plan.carryovers,
                outline_diff: None,
                corrections: &corrected.kept,
            },
        )?;
        Ok(VersionReport {
            document_id: id,
            previous_id: prev.id,
            family_id: link.family_id,
            number: link.number,
            title: doc.meta.title,
            file_name: name.to_string(),
            clauses: outline.clauses.len() as u32,
            summary: summary(&plan.changes),
            carried: count(&plan.carryovers, CarryState::Carried),
            rereview: count(&plan.carryovers, CarryState::Rereview),
            orphaned: count(&plan.carryovers, CarryState::Orphaned),
            implemented: count(&plan.carryovers, CarryState::Implemented),
            decisions: plan.decisions,
            corrections_applied: corrected.kept.len() as u32,
            corrections_skipped: corrected.skipped,
            warnings: imported.warnings,
        })
    }

    /// Makes `document` (already in the library, imported on its own) the
    /// next version of `previous` and carries the findings over, in one
    /// transaction. Its own findings and decisions stay as they are.
    pub fn link_as_version(&mut self, document: &str, previous: &str) -> AppResult<VersionReport> {
        let doc = self.resolve_document(document)?;
        let prev = self.resolve_document(previous)?;
        if doc.id == prev.id {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "A document cannot be a new version of itself. The library was not changed.",
            ));
        }
        if self.store.version_link(&doc.id)?.is_some()
            || !self.store.next_versions(&doc.id)?.is_empty()
        {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!(
                    "“{}” ({}) already belongs to a chain of versions; only a document imported on its own can become a new version. The library was not changed.",
                    doc.meta.title, doc.id
                ),
            ));
        }
        let link = self.next_link(&prev)?;
        let stored = self.store.outline(&doc.id)?;
        let lineage = self.store.lineage(&doc.id)?;
        // The previous version's outline corrections, made again on this
        // document's outline where their text is found; clauses that already
        // carry findings or workshop records stay clauses.
        let protected: HashSet<String> = self
            .store
            .findings(&doc.id)?
            .into_iter()
            .map(|f| f.clause_id)
            .chain(self.store.clauses_with_workshop_records(&doc.id)?)
            .collect();
        let corrected =
            self.reapply_corrections(&prev.id, &stored, &doc.id, &lineage, &protected)?;
        let outline = corrected.outline;
        let outline_diff = kryphal_store::OutlineDiff::between(&stored, &outline);
        let gone: HashSet<&str> = outline_diff
            .clauses_removed
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        let (suggestions_removed, current): (Vec<Suggestion>, Vec<Suggestion>) = self
            .store
            .suggestions(&doc.id)?
            .into_iter()
            .partition(|s| gone.contains(s.clause_id.as_str()));
        let plan = self.plan(&prev, &doc.id, &lineage, &outline, current.clone())?;
        let updates: Vec<Suggestion> = plan
            .suggestions
            .iter()
            .filter(|s| current.iter().any(|c| c.id == s.id && c.state != s.state))
            .cloned()
            .collect();
        let link = VersionLink {
            document_id: doc.id.clone(),
            ..link
        };
        let stamp = self.stamp();
        self.store.insert_version(
            &stamp,
            &NewVersion {
                document: None,
                link: &link,
                findings: &plan.findings,
                suggestion_updates: &updates,
                carryovers: &plan.carryovers,
                outline_diff: (!outline_diff.is_empty()).then_some(&outline_diff),
                corrections: &corrected.kept,
            },
        )?;
        let suggestions_before: Vec<Suggestion> = current
            .into_iter()
            .filter(|c| updates.iter().any(|u| u.id == c.id))
            .collect();
        self.record(crate::undo::Edit::VersionLinked {
            link: link.clone(),
            findings: plan.findings.clone(),
            suggestions_before,
            suggestions_after: updates.clone(),
            carryovers: plan.carryovers.clone(),
            outline_diff,
            corrections: corrected.kept.clone(),
            suggestions_removed,
        });
        Ok(VersionReport {
            document_id: doc.id,
            previous_id: prev.id,
            family_id: link.family_id,
            number: link.number,
            title: doc.meta.title,
            file_name: doc.source.name,
            clauses: outline.clauses.len() as u32,
            summary: summary(&plan.changes),
            carried: count(&plan.carryovers, CarryState::Carried),
            rereview: count(&plan.carryovers, CarryState::Rereview),
            orphaned: count(&plan.carryovers, CarryState::Orphaned),
            implemented: count(&plan.carryovers, CarryState::Implemented),
            decisions: updates.len() as u32,
            corrections_applied: corrected.kept.len() as u32,
            corrections_skipped: corrected.skipped,
            warnings: Vec::new(),
        })
    }

    /// The link a new version of `prev` gets (its `document_id` still to be
    /// filled in). Refuses a version that already has a newer one.
    fn next_link(&self, prev: &Document) -> AppResult<VersionLink> {
        if let Some(next) = self.store.next_versions(&prev.id)?.first() {
            let next = self.store.document(next)?;
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!(
                    "“{}” ({}) already has a newer version, {} ({}); import the file as a new version of that one instead. The library was not changed.",
                    prev.meta.title, prev.id, next.meta.title, next.id
                ),
            ));
        }
        let own = self.store.version_link(&prev.id)?;
        Ok(VersionLink {
            document_id: String::new(),
            family_id: own
                .as_ref()
                .map(|l| l.family_id.clone())
                .unwrap_or_else(|| prev.id.clone()),
            previous_id: Some(prev.id.clone()),
            number: own.map(|l| l.number).unwrap_or(1) + 1,
        })
    }

    /// Matches `prev`'s clauses with `outline` (the new version's, whose
    /// ids start with `lineage`) and works out where every finding and
    /// suggestion decision goes.
    fn plan(
        &self,
        prev: &Document,
        doc_id: &str,
        lineage: &str,
        outline: &Outline,
        mut suggestions: Vec<Suggestion>,
    ) -> AppResult<Plan> {
        let old = self.store.outline(&prev.id)?;
        let old_lineage = self.store.lineage(&prev.id)?;
        let old_findings = self.store.findings(&prev.id)?;
        let old_suggestions = self.store.suggestions(&prev.id)?;
        let mut hints: HashMap<String, Vec<String>> = HashMap::new();
        for f in &old_findings {
            let w = f.input.proposed_wording.trim();
            if !w.is_empty() {
                hints
                    .entry(f.clause_id.clone())
                    .or_default()
                    .push(w.to_string());
            }
        }
        let pairs = matching::match_clauses(
            &old.clauses,
            &old_lineage,
            &outline.clauses,
            lineage,
            &hints,
        );
        let new_of: HashMap<&str, (&Clause, f64)> = pairs
            .iter()
            .map(|p| {
                (
                    old.clauses[p.old].id.as_str(),
                    (&outline.clauses[p.new], p.similarity),
                )
            })
            .collect();
        let stamp = self.stamp();
        let mut findings = Vec::new();
        let mut carryovers = Vec::new();
        let mut finding_map: HashMap<String, String> = HashMap::new();
        for f in &old_findings {
            let old_clause = old.clauses.iter().find(|c| c.id == f.clause_id);
            let (from_label, from_text) = old_clause
                .map(|c| (c.label.clone(), c.text.clone()))
                .unwrap_or_default();
            let target = new_of.get(f.clause_id.as_str());
            let proposal = f.input.proposed_wording.trim();
            let state = match target {
                None => CarryState::Orphaned,
                Some((c, _))
                    if !proposal.is_empty()
                        && matching::similarity(proposal, &c.text)
                            >= matching::IMPLEMENTED_THRESHOLD =>
                {
                    CarryState::Implemented
                }
                Some((_, sim)) if *sim >= 1.0 => CarryState::Carried,
                Some(_) => CarryState::Rereview,
            };
            let copy = target.map(|(c, _)| {
                let id = format!("f-{}", uuid::Uuid::new_v4().simple());
                finding_map.insert(f.id.clone(), id.clone());
                Finding {
                    id,
                    document_id: doc_id.to_string(),
                    clause_id: c.id.clone(),
                    input: f.input.clone(),
                    risk_level: None,
                    comments: f.comments.clone(),
                    suggestion_id: f.suggestion_id.as_ref().and_then(|s| {
                        let rule = old_suggestions.iter().find(|o| &o.id == s)?.rule_id.clone();
                        let new_id = format!("s-{}-{rule}", c.id);
                        suggestions.iter().any(|n| n.id == new_id).then_some(new_id)
                    }),
                    created_at: f.created_at.clone(),
                    created_by: f.created_by.clone(),
                    updated_at: stamp.at.clone(),
                    updated_by: stamp.actor.clone(),
                }
            });
            carryovers.push(CarryOver {
                document_id: doc_id.to_string(),
                from_document_id: prev.id.clone(),
                from_finding_id: f.id.clone(),
                from_clause_id: f.clause_id.clone(),
                from_label,
                from_text,
                finding_id: copy.as_ref().map(|c| c.id.clone()),
                clause_id: copy.as_ref().map(|c| c.clause_id.clone()),
                state,
                resolved_at: None,
                resolved_by: None,
            });
            findings.extend(copy);
        }
        // Decisions on suggestions: the same rule on the matching clause.
        let mut decisions = 0;
        for o in old_suggestions
            .iter()
            .filter(|s| s.state != SuggestionState::Open)
        {
            let Some((c, _)) = new_of.get(o.clause_id.as_str()) else {
                continue;
            };
            let new_id = format!("s-{}-{}", c.id, o.rule_id);
            let Some(n) = suggestions.iter_mut().find(|n| n.id == new_id) else {
                continue;
            };
            if n.state != SuggestionState::Open {
                continue;
            }
            let state = match &o.state {
                SuggestionState::Accepted { finding_id } => match finding_map.get(finding_id) {
                    Some(id) => SuggestionState::Accepted {
                        finding_id: id.clone(),
                    },
                    None => continue,
                },
                other => other.clone(),
            };
            n.state = state;
            decisions += 1;
        }
        Ok(Plan {
            findings,
            carryovers,
            suggestions,
            decisions,
            changes: changes(&old, outline, &pairs),
        })
    }

    /// Compares two documents clause by clause (normally two versions of
    /// one document, `old` first). When `new` was stored as the next version
    /// of `old`, the comparison also lists what became of `old`'s findings.
    pub fn compare_versions(&self, old: &str, new: &str) -> AppResult<VersionComparison> {
        let old_doc = self.resolve_document(old)?;
        let new_doc = self.resolve_document(new)?;
        if old_doc.id == new_doc.id {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!(
                    "Both names give the same document, “{}” ({}); compare two different versions.",
                    old_doc.meta.title, old_doc.id
                ),
            ));
        }
        let old_outline = self.store.outline(&old_doc.id)?;
        let new_outline = self.store.outline(&new_doc.id)?;
        let carry: Vec<CarryOver> = self
            .store
            .carryovers(&new_doc.id)?
            .into_iter()
            .filter(|c| c.from_document_id == old_doc.id)
            .collect();
        let mut hints: HashMap<String, Vec<String>> = HashMap::new();
        for f in self.store.findings(&old_doc.id)? {
            let w = f.input.proposed_wording.trim();
            if !w.is_empty() {
                hints
                    .entry(f.clause_id.clone())
                    .or_default()
                    .push(w.to_string());
            }
        }
        let pairs = matching::match_clauses(
            &old_outline.clauses,
            &self.store.lineage(&old_doc.id)?,
            &new_outline.clauses,
            &self.store.lineage(&new_doc.id)?,
            &hints,
        );
        let changes = changes(&old_outline, &new_outline, &pairs);
        let mut carried = Vec::new();
        for c in carry {
            let finding = match &c.finding_id {
                Some(id) => self.finding(id)?,
                None => self.finding(&c.from_finding_id)?,
            };
            let new_clause = c
                .clause_id
                .as_ref()
                .and_then(|id| new_outline.clauses.iter().find(|n| &n.id == id));
            let diff = match (c.state, new_clause) {
                (CarryState::Carried | CarryState::Orphaned, _) | (_, None) => Vec::new(),
                (_, Some(n)) => diff_segments(&c.from_text, &n.text),
            };
            carried.push(CarriedFinding {
                new_label: new_clause.map(|n| n.label.clone()),
                carry: c,
                finding,
                diff,
            });
        }
        Ok(VersionComparison {
            summary: summary(&changes),
            old: old_doc,
            new: new_doc,
            changes,
            carried,
        })
    }

    /// Where `document` stands among versions: its link, the next version,
    /// and (for a document on its own) the earlier documents it may be a new
    /// version of.
    pub fn version_status(&self, document: &str) -> AppResult<VersionStatus> {
        let doc = self.resolve_document(document)?;
        let link = self.store.version_link(&doc.id)?;
        let next_id = self.store.next_versions(&doc.id)?.into_iter().next();
        let candidates = if link.is_none() && next_id.is_none() {
            let docs = self.store.documents()?;
            self.version_candidates_for(&doc.meta, Some(&doc.id))?
                .into_iter()
                .filter(|c| {
                    docs.iter()
                        .find(|d| d.id == c.document_id)
                        .is_some_and(|d| {
                            (d.imported_at.as_str(), d.id.as_str())
                                < (doc.imported_at.as_str(), doc.id.as_str())
                        })
                })
                .collect()
        } else {
            Vec::new()
        };
        let open_rereview = self
            .store
            .carryovers(&doc.id)?
            .iter()
            .filter(|c| c.state == CarryState::Rereview && c.resolved_at.is_none())
            .count() as u32;
        Ok(VersionStatus {
            number: link.as_ref().map(|l| l.number).unwrap_or(1),
            previous_id: link.and_then(|l| l.previous_id),
            next_id,
            candidates,
            open_rereview,
            document_id: doc.id,
        })
    }

    /// The version before `document`, when it was stored as a new version.
    pub fn previous_version(&self, document: &str) -> AppResult<Option<String>> {
        let doc = self.resolve_document(document)?;
        Ok(self
            .store
            .version_link(&doc.id)?
            .and_then(|l| l.previous_id))
    }

    /// The versions of `document`'s family, oldest first.
    pub fn versions(&self, document: &str) -> AppResult<Vec<VersionEntry>> {
        let doc = self.resolve_document(document)?;
        let family = self
            .store
            .version_link(&doc.id)?
            .map(|l| l.family_id)
            .unwrap_or_else(|| doc.id.clone());
        let links = self.store.version_links()?;
        let mut out = Vec::new();
        if let Ok(first) = self.store.document(&family) {
            out.push(VersionEntry {
                document_id: first.id.clone(),
                title: first.meta.title,
                version_label: first.meta.version_label,
                number: 1,
                previous_id: None,
                open_rereview: 0,
            });
        }
        for l in links.into_iter().filter(|l| l.family_id == family) {
            let d = self.store.document(&l.document_id)?;
            let open = self
                .store
                .carryovers(&d.id)?
                .iter()
                .filter(|c| c.state == CarryState::Rereview && c.resolved_at.is_none())
                .count() as u32;
            out.push(VersionEntry {
                document_id: d.id,
                title: d.meta.title,
                version_label: d.meta.version_label,
                number: l.number,
                previous_id: l.previous_id,
                open_rereview: open,
            });
        }
        Ok(out)
    }

    /// Marks a carried-over finding as reviewed again (`resolved` true) or
    /// puts it back on the list. `finding` is the finding's id in the new
    /// version or in the previous one.
    pub fn resolve_carryover(&mut self, finding: &str, resolved: bool) -> AppResult<CarryOver> {
        let found = self
            .store
            .documents()?
            .into_iter()
            .map(|d| self.store.carryovers(&d.id))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .find(|c| c.finding_id.as_deref() == Some(finding) || c.from_finding_id == finding)
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::NotFound,
                    format!("No finding “{finding}” was carried over from an earlier version."),
                )
            })?;
        let stamp = self.stamp();
        Ok(self.store.resolve_carryover(
            &stamp,
            &found.document_id,
            &found.from_finding_id,
            resolved,
        )?)
    }

    /// The comparison of `old` and `new` as an export (`md` or `docx`), in Swedish.
    pub fn comparison_bytes(&self, old: &str, new: &str, format: &str) -> AppResult<Vec<u8>> {
        let cmp = self.compare_versions(old, new)?;
        let clauses: Vec<kryphal_export::ComparedClause> = cmp
            .changes
            .iter()
            .map(|c| kryphal_export::ComparedClause {
                kind: match c.kind {
                    ClauseChangeKind::Unchanged => kryphal_export::ChangeKind::Unchanged,
                    ClauseChangeKind::Changed => kryphal_export::ChangeKind::Changed,
                    ClauseChangeKind::Added => kryphal_export::ChangeKind::Added,
                    ClauseChangeKind::Removed => kryphal_export::ChangeKind::Removed,
                },
                moved: c.moved,
                old_label: c.old.as_ref().map(|s| s.label.clone()),
                old_text: c.old.as_ref().map(quoted),
                new_label: c.new.as_ref().map(|s| s.label.clone()),
                new_text: c.new.as_ref().map(quoted),
            })
            .collect();
        let notes: Vec<kryphal_export::CarriedNote> = cmp
            .carried
            .iter()
            .filter(|c| c.carry.state != CarryState::Carried)
            .map(|c| kryphal_export::CarriedNote {
                state: c.carry.state.as_str().into(),
                label: c
                    .new_label
                    .clone()
                    .unwrap_or_else(|| c.carry.from_label.clone()),
                finding: {
                    let t = c.finding.input.unintended_consequence.trim();
                    if t.is_empty() {
                        format!("fynd {}", c.finding.id)
                    } else {
                        t.to_string()
                    }
                },
            })
            .collect();
        let date = now()[..10].to_string();
        let input = kryphal_export::Comparison {
            old: &cmp.old,
            new: &cmp.new,
            clauses: &clauses,
            notes: &notes,
            rulebook: &self.rulebook,
            date: &date,
        };
        match format.trim() {
            "md" => Ok(kryphal_export::comparison_markdown(&input).into_bytes()),
            "docx" => kryphal_export::comparison_docx(&input)
                .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string())),
            other => Err(AppError::new(
                ErrorCode::InvalidInput,
                format!("A comparison can be written as md or docx, not “{other}”."),
            )),
        }
    }

    /// Writes the comparison of `old` and `new` to `out` (whole or not at all).
    pub fn export_comparison(
        &self,
        old: &str,
        new: &str,
        format: &str,
        out: &Path,
    ) -> AppResult<usize> {
        let bytes = self.comparison_bytes(old, new, format)?;
        crate::write_atomically(out, &bytes)?;
        Ok(bytes.len())
    }

    /// The file name a comparison export is offered under: the newer
    /// document's title and both version labels (`… - jämförelse 2024 och
    /// 2025.docx`). A format other than `md` or `docx` is refused here, before
    /// any save dialog opens.
    pub fn comparison_file_name(&self, old: &str, new: &str, format: &str) -> AppResult<String> {
        let format = format.trim();
        if format != "md" && format != "docx" {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!("A comparison can be written as md or docx, not “{format}”."),
            ));
        }
        let o = self.resolve_document(old)?;
        let n = self.resolve_document(new)?;
        let stem = crate::export::file_stem(&n.meta.title);
        let (a, b) = (o.meta.version_label.trim(), n.meta.version_label.trim());
        Ok(if a.is_empty() || b.is_empty() || a == b {
            format!("{stem} - versionsjämförelse.{format}")
        } else {
            format!(
                "{stem} - jämförelse {} och {}.{format}",
                crate::export::file_stem(a),
                crate::export::file_stem(b)
            )
        })
    }
}

/// The clause text as the document prints it: its number first.
fn quoted(c: &ClauseSide) -> String {
    if c.number.is_empty() || c.text.starts_with(&c.number) {
        c.text.clone()
    } else {
        format!("{} {}", c.number, c.text)
    }
}
