//! Exchange with other libraries: analysis bundles (export, import with a
//! three-way merge of findings, conflicts kept until resolved) and backup
//! and restore of the whole library.
//!
//! Merging a finding that both libraries hold compares three revisions of
//! its answers ([`kryphal_bundle::revision`]): ours, theirs, and the base the
//! bundle says theirs was edited from. Theirs unchanged since the base:
//! ours stays. Ours unchanged since the base: theirs is taken (audited as
//! coming from the bundle). Both changed: a conflict keeps both until the
//! user chooses. Comments are only ever added, so they are merged by union.
//! A finding deleted here comes back only through a conflict.

use std::collections::HashSet;
use std::path::Path;

use kryphal_bundle::{
    BundleDocument, BundleError, BundleFinding, BundleItem, BundleVersion, Header, RecordBases,
    decision_revision, meta_revision, revision,
};
use kryphal_domain::{
    BundleOrigin, Comment, DocumentMeta, Finding, FindingInput, MergeConflict, RecordConflict,
    RecordValue, Resolution, SuggestionState,
};
use serde::Serialize;
use ts_rs::TS;

use crate::error::capitalise;
use crate::{AppError, AppResult, ErrorCode, Library, io_reason, now, write_atomically};
use kryphal_domain::Passphrase;
use zeroize::Zeroize;

/// What a bundle export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BundleExportReport {
    pub path: String,
    pub file_name: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub documents: u32,
    pub findings: u32,
    /// The bundle was written in an encrypted envelope.
    pub encrypted: bool,
    /// The fingerprint of the key that signed it (`None`: unsigned).
    pub signed_by: Option<String>,
}

/// What importing a bundle did to one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct BundleDocumentReport {
    pub document_id: String,
    pub title: String,
    /// The library did not have the document: it was added whole.
    pub new_document: bool,
    pub findings_added: u32,
    /// Findings changed only in the other library, brought up to date.
    pub findings_updated: u32,
    pub findings_unchanged: u32,
    pub comments_added: u32,
    /// Findings changed in both libraries: kept both ways, to resolve.
    pub conflicts: u32,
    pub suggestions_merged: u32,
    pub workshop_entries: u32,
    /// Its link to the version it replaces was restored from the bundle.
    pub version_linked: bool,
    /// The metadata changed only in the other library, and was taken.
    pub metadata_updated: bool,
    /// The metadata or suggestions' decisions changed in both libraries:
    /// kept both ways, to resolve.
    pub record_conflicts: u32,
}

/// What importing a bundle did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BundleImportReport {
    pub origin: BundleOrigin,
    pub documents: Vec<BundleDocumentReport>,
    /// Conflicts about findings this import added (see [`Library::conflicts`]).
    pub conflicts: u32,
    /// Conflicts about metadata and suggestions' decisions it added (see
    /// [`Library::record_conflicts`]).
    pub record_conflicts: u32,
    pub warnings: Vec<String>,
}

/// A backup written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BackupReport {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// A restore done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RestoreReport {
    pub restored_from: String,
    /// Where the library as it was before the restore was kept.
    pub previous_saved_to: String,
    #[ts(type = "number")]
    pub documents: u64,
}

impl From<kryphal_bundle::envelope::EnvelopeError> for AppError {
    fn from(e: kryphal_bundle::envelope::EnvelopeError) -> Self {
        use kryphal_bundle::envelope::EnvelopeError as E;
        let code = match &e {
            E::EmptyPassphrase => ErrorCode::InvalidInput,
            E::WrongPassphraseOrTampered { .. } => ErrorCode::WrongPassphrase,
            E::Damaged { .. } => ErrorCode::DamagedFile,
            E::Newer { .. } => ErrorCode::BundleNewer,
            E::Crypto(_) => ErrorCode::Internal,
        };
        let mut message = e.to_string();
        capitalise(&mut message);
        if !matches!(e, E::Crypto(_) | E::EmptyPassphrase) {
            message.push_str(" Nothing was imported.");
        }
        AppError::new(code, message)
    }
}

/// Whether `bytes` is an encrypted bundle (it needs a passphrase to import).
pub fn bundle_is_encrypted(bytes: &[u8]) -> bool {
    kryphal_bundle::envelope::is_sealed(bytes)
}

impl From<BundleError> for AppError {
    fn from(e: BundleError) -> Self {
        let code = match &e {
            BundleError::NotABundle { .. } => ErrorCode::UnsupportedFormat,
            BundleError::Damaged { .. }
            | BundleError::Tampered { .. }
            | BundleError::Invalid { .. } => ErrorCode::DamagedFile,
            BundleError::Newer { .. } => ErrorCode::BundleNewer,
            BundleError::Unsafe { .. } => ErrorCode::UnsafeFile,
            BundleError::Write(_) => ErrorCode::Internal,
        };
        let mut message = e.to_string();
        capitalise(&mut message);
        if code != ErrorCode::Internal {
            message.push_str(" Nothing was imported.");
        }
        AppError::new(code, message)
    }
}

/// `record_sync` kinds.
const METADATA: &str = "metadata";
const SUGGESTION: &str = "suggestion";

/// A three-way merge's outcome for one record.
enum Merge {
    /// Both sides hold the same.
    Same,
    /// Ours stays (theirs unchanged since the base, or seen before).
    Ours,
    /// Only theirs changed: take it.
    Theirs,
    /// Both changed: keep both until the user chooses.
    Conflict,
}

/// One planned change to metadata or a suggestion's decision.
#[allow(clippy::large_enum_variant)] // one per document and suggestion of an import, never stored
enum RecordStep {
    Nothing,
    /// Record the revision both sides now share.
    Base(&'static str, String, String),
    TakeMeta {
        doc_id: String,
        before: DocumentMeta,
        after: DocumentMeta,
        base: String,
    },
    /// The conflict and the bundle's revision.
    Conflict(Box<RecordConflict>, String),
}

fn record_conflict(
    doc_id: &str,
    entity_id: &str,
    label: &str,
    mine: RecordValue,
    theirs: RecordValue,
    origin: &BundleOrigin,
) -> RecordConflict {
    RecordConflict {
        id: format!("r-{}", uuid::Uuid::new_v4().simple()),
        document_id: doc_id.to_string(),
        entity_id: entity_id.to_string(),
        label: label.to_string(),
        mine,
        theirs,
        origin: origin.clone(),
        created_at: String::new(),
        created_by: String::new(),
        resolved_at: None,
        resolved_by: None,
        resolution: None,
    }
}

fn apply_record(b: &kryphal_store::Batch<'_>, step: &RecordStep) -> kryphal_store::Result<()> {
    match step {
        RecordStep::Nothing => {}
        RecordStep::Base(kind, id, base) => b.set_record_base(kind, id, base)?,
        RecordStep::TakeMeta {
            doc_id,
            before,
            after,
            base,
        } => {
            b.replace_meta(doc_id, before, after)?;
            b.set_record_base(METADATA, doc_id, base)?;
        }
        RecordStep::Conflict(c, theirs) => b.insert_record_conflict(c, theirs)?,
    }
    Ok(())
}

/// After an export or the import of a whole document: both libraries hold
/// the analysis's metadata and decisions as they are in it.
fn set_record_bases(b: &kryphal_store::Batch<'_>, a: &BundleDocument) -> kryphal_store::Result<()> {
    b.set_record_base(METADATA, &a.document.id, &meta_revision(&a.document.meta))?;
    for s in &a.suggestions {
        b.set_record_base(SUGGESTION, &s.id, &decision_revision(&s.state))?;
    }
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Comments of `theirs` that `mine` lacks.
fn new_comments(mine: &[Comment], theirs: &[Comment]) -> Vec<Comment> {
    theirs
        .iter()
        .filter(|c| !mine.contains(c))
        .cloned()
        .collect()
}

/// Both lists of comments as one, in the order they were written.
fn union_comments(mine: &[Comment], theirs: &[Comment]) -> Vec<Comment> {
    let mut all = mine.to_vec();
    all.extend(new_comments(mine, theirs));
    all.sort_by(|a, b| a.at.cmp(&b.at));
    all
}

/// One planned change to a finding, decided before anything is written.
#[allow(clippy::large_enum_variant)] // a handful per import, never stored
enum FindingStep {
    Add(Finding),
    Update {
        mine: Finding,
        theirs: Finding,
    },
    /// Comments from the bundle; `base` when both sides hold the same answers.
    Comments {
        mine: Finding,
        added: Vec<Comment>,
        base: Option<String>,
    },
    /// Nothing to change; both sides hold the same answers (`base`).
    Same {
        id: String,
        base: String,
    },
    Conflict(Box<MergeConflict>),
}

impl Library {
    fn bundle_item(&self, doc_id: &str) -> AppResult<BundleItem> {
        let document = self.store.document(doc_id)?;
        let findings = self
            .store
            .findings(doc_id)?
            .into_iter()
            .map(|finding| {
                let base = self
                    .store
                    .sync_base(&finding.id)?
                    .unwrap_or_else(|| revision(&finding.input));
                Ok(BundleFinding { finding, base })
            })
            .collect::<AppResult<Vec<_>>>()?;
        let suggestions = self.store.suggestions(doc_id)?;
        let bases = RecordBases {
            metadata: self
                .store
                .record_base(METADATA, doc_id)?
                .unwrap_or_else(|| meta_revision(&document.meta)),
            suggestions: suggestions
                .iter()
                .map(|s| {
                    Ok((
                        s.id.clone(),
                        self.store
                            .record_base(SUGGESTION, &s.id)?
                            .unwrap_or_else(|| decision_revision(&s.state)),
                    ))
                })
                .collect::<AppResult<_>>()?,
        };
        let workshops = self
            .store
            .sessions(doc_id)?
            .iter()
            .map(|s| self.store.workshop_record(&s.id))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(BundleItem {
            analysis: BundleDocument {
                lineage: self.store.lineage(doc_id)?,
                outline: self.store.outline(doc_id)?,
                findings,
                suggestions,
                workshops,
                version: self
                    .store
                    .version_link(doc_id)?
                    .map(|link| {
                        Ok::<_, AppError>(BundleVersion {
                            link,
                            carryovers: self.store.carryovers(doc_id)?,
                        })
                    })
                    .transpose()?,
                bases: Some(bases),
                document,
            },
            source: self.store.source_bytes(doc_id)?,
        })
    }

    /// Writes the analyses of the documents named (ids, id prefixes or title
    /// prefixes; each once) to one bundle file at `out`, atomically. The
    /// export is audited, and each finding's current revision becomes the
    /// base the next bundle is merged from.
    pub fn export_bundle(
        &mut self,
        references: &[String],
        out: &Path,
    ) -> AppResult<BundleExportReport> {
        self.export_bundle_with(references, out, None)
    }

    /// [`Library::export_bundle`], encrypted with `passphrase` when one is
    /// given: the bundle is sealed in `kryphal_bundle::envelope` (Argon2id
    /// and XChaCha20-Poly1305) before anything is written, so no plaintext
    /// copy ever reaches the disk.
    pub fn export_bundle_with(
        &mut self,
        references: &[String],
        out: &Path,
        passphrase: Option<&Passphrase>,
    ) -> AppResult<BundleExportReport> {
        self.export_bundle_signed(references, out, passphrase, None)
    }

    /// [`Library::export_bundle_with`], signed with `key` when one is given
    /// (the user's key: [`crate::prefs::signing_key`]). The signature covers
    /// the manifest and through its checksums every entry; the recipient sees
    /// the key's fingerprint.
    pub fn export_bundle_signed(
        &mut self,
        references: &[String],
        out: &Path,
        passphrase: Option<&Passphrase>,
        key: Option<&kryphal_bundle::signing::SigningKey>,
    ) -> AppResult<BundleExportReport> {
        if references.is_empty() {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "Name at least one document to put in the bundle.",
            ));
        }
        let mut ids: Vec<String> = Vec::new();
        for r in references {
            let id = self.resolve_document(r)?.id;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let items = ids
            .iter()
            .map(|id| self.bundle_item(id))
            .collect::<AppResult<Vec<_>>>()?;
        let header = Header {
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            created: now(),
            author: self.user.clone(),
        };
        let mut bytes = kryphal_bundle::write_bundle_signed(&header, &items, key)?;
        let signed_by = key.map(|k| kryphal_bundle::signing::fingerprint(&k.public_key()));
        if let Some(passphrase) = passphrase {
            let sealed = kryphal_bundle::envelope::seal(&bytes, passphrase).map_err(|e| {
                let mut message = e.to_string();
                capitalise(&mut message);
                AppError::new(
                    ErrorCode::InvalidInput,
                    format!("{message} Nothing was written."),
                )
            })?;
            bytes.zeroize();
            bytes = sealed;
        }
        if let Some(dir) = out.parent().filter(|p| !p.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(AppError::new(
                ErrorCode::Io,
                format!(
                    "Cannot write {}: the folder {} does not exist.",
                    out.display(),
                    dir.display()
                ),
            ));
        }
        write_atomically(out, &bytes)?;
        let findings: u32 = items.iter().map(|i| i.analysis.findings.len() as u32).sum();
        let origin = BundleOrigin {
            author: header.author.clone(),
            signed_by: signed_by.clone(),
            created: header.created.clone(),
            file: file_name(out),
            app_version: header.app_version.clone(),
        };
        let stamp = self.stamp();
        self.store.batch(&stamp, &origin, |b| {
            for item in &items {
                for f in &item.analysis.findings {
                    b.set_sync_base(&f.finding.id, &revision(&f.finding.input))?;
                }
                set_record_bases(b, &item.analysis)?;
            }
            b.audit_event(
                "bundle.export",
                &origin.file,
                serde_json::json!({
                    "documents": ids,
                    "findings": findings,
                    "encrypted": passphrase.is_some(),
                    "signed_by": signed_by,
                }),
            )
        })?;
        Ok(BundleExportReport {
            path: out.display().to_string(),
            file_name: file_name(out),
            bytes: bytes.len() as u64,
            documents: items.len() as u32,
            findings,
            encrypted: passphrase.is_some(),
            signed_by,
        })
    }

    /// The file name a bundle of these documents is offered under: the
    /// title of the only document, or `analyser-<date>` for several.
    pub fn bundle_file_name(&self, references: &[String]) -> AppResult<String> {
        let stem = match references {
            [one] => crate::export::file_stem(&self.resolve_document(one)?.meta.title),
            _ => format!("analyser-{}", &now()[..10]),
        };
        Ok(format!("{stem}.{}", kryphal_bundle::EXTENSION))
    }

    /// The suggested name of a backup: `<library name>-backup-<date>.kryphal`.
    pub fn backup_file_name(&self) -> String {
        let stem = self
            .store
            .path()
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "library".into());
        format!("{stem}-backup-{}.kryphal", &now()[..10])
    }

    /// Reads the bundle at `path` and merges it into the library.
    pub fn import_bundle_file(&mut self, path: &Path) -> AppResult<BundleImportReport> {
        self.import_bundle_file_with(path, || {
            Err(AppError::new(
                ErrorCode::PassphraseRequired,
                "The bundle is encrypted: give its passphrase to import it. Nothing was imported.",
            ))
        })
    }

    /// [`Library::import_bundle_file`] for a bundle that may be encrypted:
    /// `passphrase` is asked only when the file is an encrypted bundle.
    pub fn import_bundle_file_with(
        &mut self,
        path: &Path,
        passphrase: impl FnOnce() -> AppResult<Passphrase>,
    ) -> AppResult<BundleImportReport> {
        // A bundle unpacks to at most `max_total_bytes`; its file is never larger.
        let limit = kryphal_bundle::Limits::default().max_total_bytes;
        let bytes = crate::read_regular_file(path, limit, "a bundle file (.kryphal)").map_err(
            |e| match e {
                crate::ReadFileError::TooLarge { size, limit } => AppError::new(
                    ErrorCode::UnsafeFile,
                    format!(
                        "{} is {size} bytes, more than the {limit} bytes a bundle may hold; it was not read. Nothing was imported.",
                        file_name(path)
                    ),
                ),
                crate::ReadFileError::App(e) => e,
            },
        )?;
        let passphrase = if bundle_is_encrypted(&bytes) {
            Some(passphrase()?)
        } else {
            None
        };
        self.import_bundle_with(&file_name(path), &bytes, passphrase.as_ref())
    }

    /// [`Library::import_bundle`] for a bundle that may be encrypted: an
    /// encrypted one is opened with `passphrase` (refused with
    /// [`ErrorCode::PassphraseRequired`] without one, with
    /// [`ErrorCode::WrongPassphrase`] when it is wrong or the file was
    /// changed) before anything else is looked at. The library is untouched
    /// unless the whole bundle is authentic and valid.
    pub fn import_bundle_with(
        &mut self,
        name: &str,
        bytes: &[u8],
        passphrase: Option<&Passphrase>,
    ) -> AppResult<BundleImportReport> {
        if !bundle_is_encrypted(bytes) {
            return self.import_bundle(name, bytes);
        }
        let Some(passphrase) = passphrase else {
            return Err(AppError::new(
                ErrorCode::PassphraseRequired,
                format!(
                    "{name} is an encrypted bundle: give its passphrase to import it. Nothing was imported."
                ),
            ));
        };
        let plain = kryphal_bundle::envelope::open(name, bytes, passphrase)?;
        self.import_bundle(name, &plain)
    }

    /// Merges a bundle (`name` is its file name) into the library: new
    /// documents whole; for documents the library has, new findings are
    /// added, findings edited only there are brought up to date, findings
    /// edited on both sides become conflicts (both kept), comments are
    /// united. Everything is checked first and stored in one transaction,
    /// each change audited with where it came from; a bad bundle leaves the
    /// library untouched.
    pub fn import_bundle(&mut self, name: &str, bytes: &[u8]) -> AppResult<BundleImportReport> {
        let bundle = kryphal_bundle::read_bundle(name, bytes, &kryphal_bundle::Limits::default())?;
        let manifest = &bundle.manifest;
        // The author is the bundle's claim; only a checked signature says
        // who made it (`signed_by`), and the audit trail records both as such.
        let origin = BundleOrigin {
            author: manifest.header.author.clone(),
            signed_by: bundle
                .signer
                .as_ref()
                .map(kryphal_bundle::signing::fingerprint),
            created: manifest.header.created.clone(),
            file: name.to_string(),
            app_version: manifest.header.app_version.clone(),
        };
        let mut warnings = Vec::new();
        let active = self.rulebook.reference();
        for pack in &manifest.rulebooks {
            let known_version = if pack.id == active.id {
                Some(active.version.clone())
            } else {
                kryphal_rules::Rulebook::builtin_pack(&pack.id).map(|b| b.pack.version.clone())
            };
            match known_version {
                None => {
                    return Err(AppError::new(
                        ErrorCode::RulebookMissing,
                        format!(
                            "The bundle {name} was analysed with the rulebook pack {} {}, which this library does not have; start Kryphål with that pack (--rulebook DIR) and import again. Nothing was imported.",
                            pack.id, pack.version
                        ),
                    ));
                }
                Some(v) if v != pack.version => warnings.push(format!(
                    "The bundle follows the rulebook {} {}, but this library has version {v}; risk levels and labels follow the version here.",
                    pack.id, pack.version
                )),
                Some(_) => {}
            }
        }

        // Plan everything before writing anything.
        let existing = self.store.documents()?;
        let mut plans = Vec::new();
        for item in &bundle.items {
            let a = &item.analysis;
            let doc = &a.document;
            let mut report = BundleDocumentReport {
                document_id: doc.id.clone(),
                title: doc.meta.title.clone(),
                ..Default::default()
            };
            let here = existing.iter().find(|d| d.id == doc.id);
            if here.is_none() {
                if let Some(same) = existing
                    .iter()
                    .find(|d| d.source.sha256 == doc.source.sha256 && !item.source.is_empty())
                {
                    return Err(AppError::new(
                        ErrorCode::Duplicate,
                        format!(
                            "The library has the document “{}” (id {}) from the same file as the bundle's “{}” (id {}), under another id, so they cannot be merged; nothing was imported.",
                            same.meta.title, same.id, doc.meta.title, doc.id
                        ),
                    ));
                }
                for f in &a.findings {
                    if self.store.finding(&f.finding.id).is_ok() {
                        return Err(AppError::new(
                            ErrorCode::DamagedFile,
                            format!(
                                "The bundle's finding {} belongs to another document in this library; nothing was imported.",
                                f.finding.id
                            ),
                        ));
                    }
                }
                report.new_document = true;
                report.findings_added = a.findings.len() as u32;
                report.suggestions_merged = a.suggestions.len() as u32;
                plans.push((item, report, Vec::new(), Vec::new(), Vec::new()));
                continue;
            }
            let mut records = Vec::new();
            if let Some(here) = here {
                match &a.bases {
                    Some(bases) => {
                        let m = meta_revision(&here.meta);
                        let t = meta_revision(&doc.meta);
                        let step =
                            match self.three_way(METADATA, &doc.id, &m, &t, &bases.metadata)? {
                                Merge::Same => RecordStep::Base(METADATA, doc.id.clone(), t),
                                Merge::Ours => RecordStep::Nothing,
                                Merge::Theirs => {
                                    report.metadata_updated = true;
                                    RecordStep::TakeMeta {
                                        doc_id: doc.id.clone(),
                                        before: here.meta.clone(),
                                        after: doc.meta.clone(),
                                        base: t,
                                    }
                                }
                                Merge::Conflict => {
                                    report.record_conflicts += 1;
                                    RecordStep::Conflict(
                                        Box::new(record_conflict(
                                            &doc.id,
                                            &doc.id,
                                            &here.meta.title,
                                            RecordValue::Metadata(here.meta.clone()),
                                            RecordValue::Metadata(doc.meta.clone()),
                                            &origin,
                                        )),
                                        t,
                                    )
                                }
                            };
                        records.push(step);
                    }
                    // A bundle from before metadata was merged: the library's stays.
                    None if here.meta != doc.meta => warnings.push(format!(
                        "The metadata of “{}” differs in the bundle; the library's was kept.",
                        here.meta.title
                    )),
                    None => {}
                }
            }
            let outline = self.store.outline(&doc.id)?;
            let clauses: HashSet<&str> = outline.clauses.iter().map(|c| c.id.as_str()).collect();
            if let Some(f) = a
                .findings
                .iter()
                .find(|f| !clauses.contains(f.finding.clause_id.as_str()))
            {
                return Err(AppError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "The document “{}” has been split or merged differently in the two libraries: the bundle's finding {} is on clause {}, which this library does not have. Nothing was imported.",
                        doc.meta.title, f.finding.id, f.finding.clause_id
                    ),
                ));
            }
            let mut steps = Vec::new();
            for bf in &a.findings {
                if let Some(step) = self.plan_finding(bf, &origin, &mut report)? {
                    steps.push(step);
                }
            }
            let mut suggestions = Vec::new();
            for s in &a.suggestions {
                if !clauses.contains(s.clause_id.as_str()) {
                    continue;
                }
                let mine = self.store.suggestion(&s.id).ok();
                let base = a.bases.as_ref().and_then(|b| b.suggestions.get(&s.id));
                match (mine, base) {
                    (None, _) => {
                        suggestions.push((None, s.clone()));
                        records.push(RecordStep::Base(
                            SUGGESTION,
                            s.id.clone(),
                            decision_revision(&s.state),
                        ));
                    }
                    (Some(mine), Some(base)) => {
                        let m = decision_revision(&mine.state);
                        let t = decision_revision(&s.state);
                        match self.three_way(SUGGESTION, &s.id, &m, &t, base)? {
                            Merge::Same => {
                                records.push(RecordStep::Base(SUGGESTION, s.id.clone(), t))
                            }
                            Merge::Ours => {}
                            Merge::Theirs => {
                                suggestions.push((Some(mine), s.clone()));
                                records.push(RecordStep::Base(SUGGESTION, s.id.clone(), t));
                            }
                            Merge::Conflict => {
                                report.record_conflicts += 1;
                                records.push(RecordStep::Conflict(
                                    Box::new(record_conflict(
                                        &doc.id,
                                        &s.id,
                                        &s.message,
                                        RecordValue::Suggestion(mine.state),
                                        RecordValue::Suggestion(s.state.clone()),
                                        &origin,
                                    )),
                                    t,
                                ));
                            }
                        }
                    }
                    // A bundle from before decisions were merged: an open one takes theirs.
                    (Some(mine), None) => {
                        if mine.state == SuggestionState::Open && s.state != mine.state {
                            suggestions.push((Some(mine), s.clone()))
                        }
                    }
                }
            }
            report.suggestions_merged = suggestions.len() as u32;
            plans.push((item, report, steps, suggestions, records));
        }

        let links = self.plan_links(&bundle.items, &existing, &mut warnings)?;
        for (item, report, _, _, _) in &mut plans {
            report.version_linked = links
                .iter()
                .any(|v| v.link.document_id == item.analysis.document.id);
        }

        let stamp = self.stamp();
        let reports = self.store.batch(&stamp, &origin, |b| {
            let mut reports = Vec::new();
            for (item, mut report, steps, suggestions, records) in plans {
                let a = &item.analysis;
                if report.new_document {
                    b.insert_document(&a.document, &a.lineage, &item.source, &a.outline)?;
                    for f in &a.findings {
                        b.insert_finding(&f.finding)?;
                        b.set_sync_base(&f.finding.id, &revision(&f.finding.input))?;
                    }
                    for s in &a.suggestions {
                        b.put_suggestion(None, s)?;
                    }
                    set_record_bases(b, a)?;
                } else {
                    apply_steps(b, &steps)?;
                    for (before, s) in &suggestions {
                        b.put_suggestion(before.as_ref(), s)?;
                    }
                    for step in &records {
                        apply_record(b, step)?;
                    }
                }
                for w in &a.workshops {
                    report.workshop_entries += b.merge_workshop(w)? as u32;
                }
                reports.push(report);
            }
            // Links last: the version a document replaces may come in the same bundle.
            for v in &links {
                b.insert_version_link(&v.link, &v.carryovers)?;
            }
            let conflicts: u32 = reports
                .iter()
                .map(|r| r.conflicts + r.record_conflicts)
                .sum();
            b.summary(
                &origin.file,
                serde_json::json!({"documents": reports, "conflicts": conflicts}),
            )?;
            Ok(reports)
        })?;
        let conflicts = reports.iter().map(|r| r.conflicts).sum();
        let record_conflicts = reports.iter().map(|r| r.record_conflicts).sum();
        // Findings may have changed under the session's undo steps: start afresh.
        self.undo.clear();
        self.redo.clear();
        Ok(BundleImportReport {
            origin,
            documents: reports,
            conflicts,
            record_conflicts,
            warnings,
        })
    }

    /// The version links of the bundle's documents that this library lacks
    /// and can take: the version replaced is here or in the bundle, and has
    /// no other newer version here. A link that cannot be kept, or differs
    /// from the library's, is a warning; the library's own link stays.
    fn plan_links<'b>(
        &self,
        items: &'b [BundleItem],
        existing: &[kryphal_domain::Document],
        warnings: &mut Vec<String>,
    ) -> AppResult<Vec<&'b BundleVersion>> {
        let mut links: Vec<&BundleVersion> = Vec::new();
        for item in items {
            let (doc, Some(v)) = (&item.analysis.document, &item.analysis.version) else {
                continue;
            };
            let previous = v.link.previous_id.as_deref().unwrap_or_default();
            if let Some(here) = self.store.version_link(&doc.id)? {
                if here.previous_id != v.link.previous_id {
                    warnings.push(format!(
                        "“{}” is a new version of another document in the bundle than in this library; the library's link was kept.",
                        doc.meta.title
                    ));
                }
                continue;
            }
            let in_bundle = items.iter().any(|i| i.analysis.document.id == previous);
            if !in_bundle && !existing.iter().any(|d| d.id == previous) {
                warnings.push(format!(
                    "“{}” is version {} of a document ({previous}) that is neither in the bundle nor in this library; it was kept without its link to earlier versions.",
                    doc.meta.title, v.link.number
                ));
                continue;
            }
            let taken = self
                .store
                .next_versions(previous)?
                .into_iter()
                .any(|next| next != doc.id)
                || links
                    .iter()
                    .any(|l| l.link.previous_id.as_deref() == Some(previous));
            if taken {
                warnings.push(format!(
                    "“{}” is a new version of {previous}, which already has another newer version in this library; it was kept without the link.",
                    doc.meta.title
                ));
                continue;
            }
            links.push(v);
        }
        Ok(links)
    }

    /// Decides what happens to one of the bundle's findings for a document
    /// the library has.
    fn plan_finding(
        &self,
        bf: &BundleFinding,
        origin: &BundleOrigin,
        report: &mut BundleDocumentReport,
    ) -> AppResult<Option<FindingStep>> {
        let theirs = &bf.finding;
        let t = revision(&theirs.input);
        let conflict = |mine: Option<Finding>| {
            FindingStep::Conflict(Box::new(MergeConflict {
                id: format!("c-{}", uuid::Uuid::new_v4().simple()),
                document_id: theirs.document_id.clone(),
                finding_id: theirs.id.clone(),
                mine,
                theirs: theirs.clone(),
                origin: origin.clone(),
                created_at: String::new(),
                created_by: String::new(),
                resolved_at: None,
                resolved_by: None,
                resolution: None,
            }))
        };
        let Ok(mine) = self.store.finding(&theirs.id) else {
            if !self.store.finding_deleted(&theirs.id)? {
                report.findings_added += 1;
                return Ok(Some(FindingStep::Add(theirs.clone())));
            }
            // Deleted here: it comes back only if the user says so.
            if self.store.sync_base(&theirs.id)?.as_deref() == Some(t.as_str())
                || self.store.open_conflict_with(&theirs.id, &t)?
            {
                return Ok(None);
            }
            report.conflicts += 1;
            return Ok(Some(conflict(None)));
        };
        let m = revision(&mine.input);
        let added = new_comments(&mine.comments, &theirs.comments);
        if m == t || t == bf.base {
            // Same answers, or theirs unchanged since the base: ours stays.
            let base = (m == t).then(|| t.clone());
            if added.is_empty() {
                report.findings_unchanged += 1;
                return Ok(base.map(|base| FindingStep::Same {
                    id: mine.id.clone(),
                    base,
                }));
            }
            report.comments_added += added.len() as u32;
            return Ok(Some(FindingStep::Comments { mine, added, base }));
        }
        if self.store.sync_base(&theirs.id)?.as_deref() == Some(t.as_str()) {
            // This library has seen their version already (and kept its own).
            if added.is_empty() {
                report.findings_unchanged += 1;
                return Ok(None);
            }
            report.comments_added += added.len() as u32;
            return Ok(Some(FindingStep::Comments {
                mine,
                added,
                base: None,
            }));
        }
        if m == bf.base {
            report.findings_updated += 1;
            report.comments_added += added.len() as u32;
            let mut theirs = theirs.clone();
            theirs.comments = union_comments(&mine.comments, &theirs.comments);
            return Ok(Some(FindingStep::Update { mine, theirs }));
        }
        if self.store.open_conflict_with(&theirs.id, &t)? {
            return Ok(None);
        }
        report.conflicts += 1;
        Ok(Some(conflict(Some(mine))))
    }

    /// The three-way decision for a record (`kind`: metadata or suggestion)
    /// from its revisions here (`m`), in the bundle (`t`) and the base the
    /// bundle's was changed from.
    fn three_way(&self, kind: &str, id: &str, m: &str, t: &str, base: &str) -> AppResult<Merge> {
        if m == t {
            return Ok(Merge::Same);
        }
        // Theirs unchanged since the base, or seen here already (and ours kept).
        if t == base || self.store.record_base(kind, id)?.as_deref() == Some(t) {
            return Ok(Merge::Ours);
        }
        if m == base {
            return Ok(Merge::Theirs);
        }
        if self.store.open_record_conflict_with(kind, id, t)? {
            return Ok(Merge::Ours);
        }
        Ok(Merge::Conflict)
    }

    /// The conflicts about metadata and suggestions' decisions left by
    /// merges: open ones, or all with `all`.
    pub fn record_conflicts(&self, all: bool) -> AppResult<Vec<RecordConflict>> {
        Ok(self.store.record_conflicts(all)?)
    }

    /// Resolves a conflict about metadata or a suggestion's decision: keep
    /// this library's (`Mine`) or take the bundle's (`Theirs`). Audited; the
    /// same bundle does not raise it again.
    pub fn resolve_record_conflict(
        &mut self,
        id: &str,
        keep: Resolution,
    ) -> AppResult<RecordConflict> {
        let conflict = self.store.record_conflict(id)?;
        if conflict.resolved_at.is_some() {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!("The conflict {id} is already resolved."),
            ));
        }
        if keep == Resolution::Combined {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!(
                    "The conflict {id} is about {}; keep mine or theirs (a combined version is for findings). Nothing was changed.",
                    match conflict.theirs {
                        RecordValue::Metadata(_) => "the document's metadata",
                        RecordValue::Suggestion(_) => "the decision on a suggestion",
                    }
                ),
            ));
        }
        let stamp = self.stamp();
        let resolved = self.store.resolve_record_conflict(&stamp, id, keep)?;
        // The record may have changed under the session's undo steps.
        self.undo.clear();
        self.redo.clear();
        Ok(resolved)
    }

    /// The conflicts left by merges: open ones, or all with `all`.
    pub fn conflicts(&self, all: bool) -> AppResult<Vec<MergeConflict>> {
        let mut list = self.store.conflicts(all)?;
        for c in &mut list {
            if let Some(m) = c.mine.as_mut() {
                self.fill_risk(m);
            }
            self.fill_risk(&mut c.theirs);
        }
        Ok(list)
    }

    /// Resolves a conflict: keep this library's finding (`Mine`), take the
    /// bundle's (`Theirs`), or store `combined` answers (`Combined`).
    /// Comments from both sides are kept whichever is chosen.
    pub fn resolve_conflict(
        &mut self,
        id: &str,
        keep: Resolution,
        combined: Option<FindingInput>,
    ) -> AppResult<MergeConflict> {
        let conflict = self.store.conflict(id)?;
        if conflict.resolved_at.is_some() {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!("The conflict {id} is already resolved."),
            ));
        }
        let current = self.store.finding(&conflict.finding_id).ok();
        let stamp = self.stamp();
        let result = match keep {
            Resolution::Mine => current,
            Resolution::Theirs => {
                let mut f = conflict.theirs.clone();
                if let Some(cur) = &current {
                    f.comments = union_comments(&cur.comments, &f.comments);
                }
                Some(f)
            }
            Resolution::Combined => {
                let Some(input) = combined else {
                    return Err(AppError::new(
                        ErrorCode::InvalidInput,
                        "A combined resolution needs the combined answers.",
                    ));
                };
                self.validate(&input)?;
                let mut f = current.clone().unwrap_or_else(|| conflict.theirs.clone());
                if let Some(cur) = &current {
                    f.comments = union_comments(&cur.comments, &conflict.theirs.comments);
                }
                f.input = input;
                f.updated_at = stamp.at.clone();
                f.updated_by = stamp.actor.clone();
                Some(f)
            }
        };
        let mut resolved = self
            .store
            .resolve_conflict(&stamp, id, keep, result.as_ref())?;
        if let Some(m) = resolved.mine.as_mut() {
            self.fill_risk(m);
        }
        self.fill_risk(&mut resolved.theirs);
        Ok(resolved)
    }

    /// Writes a consistent copy of the whole library to `out` while it is
    /// open (SQLite's online backup API), checked with `integrity_check`,
    /// into a temporary file that is then renamed into place.
    pub fn backup(&self, out: &Path) -> AppResult<BackupReport> {
        if out.is_dir() {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!(
                    "{} is a folder; give the path of the backup file to write.",
                    out.display()
                ),
            ));
        }
        if same_file(out, self.store.path()) {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "A backup cannot be written over the library itself; choose another file.",
            ));
        }
        let dir = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !dir.is_dir() {
            return Err(AppError::new(
                ErrorCode::Io,
                format!(
                    "Cannot write {}: the folder {} does not exist.",
                    out.display(),
                    dir.display()
                ),
            ));
        }
        // Copies a killed backup left here go first; this one is owner-only,
        // encrypted when the library is, and removed whatever happens.
        crate::leftovers::sweep(dir);
        let mut temp =
            crate::leftovers::TempFile::new(dir, &file_name(out), true).map_err(|e| {
                AppError::new(
                    ErrorCode::Io,
                    format!("Cannot write {}: {}.", out.display(), io_reason(&e)),
                )
            })?;
        let tmp = temp.path().to_path_buf();
        let result = self
            .store
            .backup_to(&tmp)
            .map_err(|e| {
                AppError::new(
                    ErrorCode::Io,
                    format!("The backup to {} could not be written: {e}", out.display()),
                )
            })
            .and_then(|()| {
                // Closed first: Windows renames no open file.
                temp.close();
                kryphal_platform::replace_file(&tmp, out).map_err(|e| {
                    AppError::new(
                        ErrorCode::Io,
                        format!("Cannot write {}: {}.", out.display(), io_reason(&e)),
                    )
                })
            });
        drop(temp);
        result?;
        let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
        Ok(BackupReport {
            path: out.display().to_string(),
            bytes,
        })
    }

    /// Replaces the library with the backup at `from`. The backup is
    /// checked first (a Kryphål library, not from a newer version, intact);
    /// then the current library is copied aside beside it
    /// (`<library>.before-restore-<time>.kryphal`), and only then replaced,
    /// in one step that leaves either the old or the whole restored library.
    pub fn restore(&mut self, from: &Path) -> AppResult<RestoreReport> {
        if same_file(from, self.store.path()) {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "That file is the library itself; choose a backup to restore.",
            ));
        }
        let dir = self
            .store
            .path()
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        // Work on a copy: checking a file must not change the user's backup.
        // The copy is owner-only and removed whatever happens (a killed
        // restore's copy is swept at the next open).
        let mut temp = crate::leftovers::TempFile::new(&dir, "restore", true).map_err(|e| {
            AppError::new(
                ErrorCode::Io,
                format!(
                    "Cannot write beside the library in {}: {}.",
                    dir.display(),
                    io_reason(&e)
                ),
            )
        })?;
        copy_regular_file(from, temp.file())?;
        let copy = temp.path().to_path_buf();
        let result = self.restore_from_copy(from, &copy);
        drop(temp);
        result
    }

    fn restore_from_copy(&mut self, from: &Path, copy: &Path) -> AppResult<RestoreReport> {
        kryphal_store::Store::check_library_file(copy, self.store.passphrase()).map_err(|e| {
            let mut err = AppError::from(e);
            err.message = err
                .message
                .replace(&copy.display().to_string(), &from.display().to_string());
            err.message.push_str(" The library was not changed.");
            err
        })?;
        let stamp = compact_time(&now());
        let aside = self.store.sibling_path("before-restore", &stamp);
        self.backup(&aside).map_err(|e| {
            AppError::new(
                e.code,
                format!(
                    "The library could not be copied aside before the restore, so it was not changed: {}",
                    e.message
                ),
            )
        })?;
        let info = self.store.replace_with(copy)?;
        self.undo.clear();
        self.redo.clear();
        // The index described the library before: rebuild it from the restored one.
        self.search = crate::search::SearchState::default();
        let _ = std::fs::remove_dir_all(crate::search::index_dir(self.store.path()));
        Ok(RestoreReport {
            restored_from: from.display().to_string(),
            previous_saved_to: aside.display().to_string(),
            documents: info.documents,
        })
    }
}

/// Copies the regular file `from` into `to` (a pipe or device is refused
/// before anything is read; a backup is at most as large as SQLite allows).
fn copy_regular_file(from: &Path, to: &mut std::fs::File) -> AppResult<()> {
    let cannot = |e: &std::io::Error| {
        AppError::new(
            ErrorCode::Io,
            format!("Cannot read {}: {}.", from.display(), io_reason(e)),
        )
    };
    let meta = std::fs::metadata(from).map_err(|e| cannot(&e))?;
    if !meta.is_file() {
        return Err(AppError::new(
            ErrorCode::InvalidInput,
            format!(
                "{} is not a file (a folder, device or pipe); choose a backup file to restore. The library was not changed.",
                from.display()
            ),
        ));
    }
    let mut source = std::fs::File::open(from).map_err(|e| cannot(&e))?;
    std::io::copy(&mut source, to).map_err(|e| cannot(&e))?;
    to.sync_all().map_err(|e| cannot(&e))?;
    Ok(())
}

fn apply_steps(b: &kryphal_store::Batch<'_>, steps: &[FindingStep]) -> kryphal_store::Result<()> {
    for step in steps {
        match step {
            FindingStep::Add(f) => {
                b.insert_finding(f)?;
                b.set_sync_base(&f.id, &revision(&f.input))?;
            }
            FindingStep::Update { mine, theirs } => {
                b.replace_finding(mine, theirs)?;
                b.set_sync_base(&theirs.id, &revision(&theirs.input))?;
            }
            FindingStep::Comments { mine, added, base } => {
                let all = union_comments(&mine.comments, added);
                b.merge_comments(mine, added, &all)?;
                if let Some(base) = base {
                    b.set_sync_base(&mine.id, base)?;
                }
            }
            FindingStep::Same { id, base } => b.set_sync_base(id, base)?,
            FindingStep::Conflict(c) => b.insert_conflict(c, &revision(&c.theirs.input))?,
        }
    }
    Ok(())
}

/// `2026-11-24T04:05:06Z` → `20261124-040506`, for file names.
fn compact_time(rfc3339: &str) -> String {
    let digits: String = rfc3339
        .chars()
        .take(19)
        .filter(char::is_ascii_digit)
        .collect();
    if digits.len() == 14 {
        format!("{}-{}", &digits[..8], &digits[8..])
    } else {
        digits
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
