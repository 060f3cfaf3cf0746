//! # kryphal-app
//!
//! The use cases of Kryphål, written once and called by both the desktop
//! shell (`src-tauri`) and the `kryphal` CLI: open a library, import a
//! document, read its outline, write findings, export. Everything here is
//! host-agnostic: no Tauri, no terminal.
//!
//! [`Library`] is the entry point. Every method returns [`AppError`] on
//! failure — a stable [`ErrorCode`] plus one plain sentence — which the shell
//! passes to the UI as `{code, message}` and the CLI prints on stderr.

use std::path::{Path, PathBuf};

use kryphal_domain::{
    AuditEvent, Clause, ClauseKind, ClauseVerdict, Coverage, Document, DocumentMeta, Finding,
    FindingInput, Outline, SourceFile, Suggestion, SuggestionState,
};
use kryphal_ingest::Limits;
use kryphal_rules::Rulebook;
use kryphal_store::{Stamp, Store};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

mod bundle;
pub mod corrections;
mod error;
mod export;
mod leftovers;
pub mod opened;
mod outline;
mod overview;
mod packs;
pub mod prefs;
mod presentation;
mod removal;
mod review;
pub mod sample;
mod screening;
pub mod search;
mod undo;
mod verdicts;
pub mod versions;
mod workshop;

pub use bundle::{
    BackupReport, BundleDocumentReport, BundleExportReport, BundleImportReport, RestoreReport,
    bundle_is_encrypted,
};
pub use corrections::SkipReason;
pub use error::{AppError, AppResult, ErrorCode};
pub use export::{
    EXPORT_SETTING_NAMES, ExportChoices, ExportReport, ExportSettings, MEMO_FIELD_NAMES,
    MemoFields, MemoFieldsView, TemplateStatus, export_formats, overview_image_parts,
};
pub use kryphal_domain::Passphrase;
pub use kryphal_rules::Rulebook as RulebookData;
pub use kryphal_store::FileKind as LibraryFileKind;
pub use opened::{OpenedFile, OpenedKind};
pub use outline::SkippedCorrection;
pub use overview::{
    ClauseHeat, ClauseMark, Count, DocumentHeat, MatrixCell, Overview, OverviewFinding,
    SectionCoverage,
};
pub use packs::RulebookChoice;
pub use prefs::Preferences;
pub use presentation::{PresentMove, PresentTheme, PresentationState, ScreenInfo};
pub use removal::DeletionPreview;
pub use review::{ReviewCounts, ReviewItem, ReviewNote, ReviewPreview, ReviewProblem};
pub use screening::HIDDEN_TEXT_RULE;
pub use search::{
    ReindexReport, SearchAnswer, SearchFacet, SearchFacetValue, SearchFilter, SearchHit,
    SearchQuery, SearchSegment, SearchStatus,
};
use undo::Edit;
pub use undo::UndoReport;
pub use verdicts::{SkippedVerdict, VerdictReport, clause_verdicts, coverage_of};
pub use versions::{
    CarriedFinding, ClauseChange, ClauseChangeKind, ClauseSide, ComparisonSummary, DiffSegment,
    VersionCandidate, VersionComparison, VersionEntry, VersionReport, VersionStatus,
};

/// Facts about the running app and its library, for the UI's header.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfo {
    pub library_path: String,
    /// Whether the library file is encrypted (SQLCipher).
    pub encrypted: bool,
    pub user: String,
    pub version: String,
    /// The active rulebook pack.
    pub rulebook: kryphal_domain::RulebookRef,
    /// Set when the chosen rulebook could not be used and the built-in one
    /// stands in: why, in one sentence.
    pub rulebook_warning: Option<String>,
}

/// A document as the library sidebar lists it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DocumentSummary {
    pub id: String,
    pub title: String,
    pub doc_type: String,
    pub owner: String,
    pub dnr: String,
    pub clause_count: u32,
    pub finding_count: u32,
    /// Clauses with a verdict: a finding (risk), or checked, not a rule or
    /// not assessed.
    pub reviewed_clause_count: u32,
    /// Every clause has a verdict, every suggestion is decided and the
    /// review was marked final.
    pub is_final: bool,
    /// The highest risk level id among the document's findings.
    pub highest_risk: Option<String>,
    /// Screening suggestions neither accepted nor dismissed.
    pub open_suggestion_count: u32,
    /// Findings per risk level, the rulebook's highest level first; levels
    /// without findings are left out, unassessed findings are not counted.
    pub findings_by_level: Vec<LevelCount>,
}

/// How many findings sit at one risk level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LevelCount {
    /// A level id of the rulebook's scale.
    pub level: String,
    pub count: u32,
}

/// A document with its outline, findings and screening suggestions, as the
/// document view shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DocumentView {
    pub document: Document,
    pub outline: Outline,
    pub findings: Vec<Finding>,
    pub suggestions: Vec<Suggestion>,
    /// Every clause's verdict, in document order.
    pub verdicts: Vec<ClauseVerdict>,
    pub coverage: Coverage,
}

/// What screening a document found.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ScreenReport {
    pub document_id: String,
    pub rulebook: kryphal_domain::RulebookRef,
    /// Suggestions still waiting for the analyst.
    pub open: u32,
    /// Every suggestion of the document, open or decided.
    pub suggestions: Vec<Suggestion>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportReport {
    pub document_id: String,
    pub title: String,
    pub file_name: String,
    pub sections: u32,
    pub clauses: u32,
    pub warnings: Vec<String>,
    /// Documents this one may be a new version of (same title or Dnr):
    /// the user may link it with [`Library::link_as_version`].
    pub version_candidates: Vec<versions::VersionCandidate>,
}

/// Export formats of this version, by the names the CLI and the app use
/// (`kryphal_export::Format::names`, in menu order).
pub const EXPORT_FORMATS: &[&str] = &[
    "memo-docx",
    "memo-pdf",
    "tracked-docx",
    "review-docx",
    "xlsx",
    "csv",
    "md",
    "html",
    "json",
];

/// An open library with the active rulebook and the acting user.
pub struct Library {
    store: Store,
    rulebook: Rulebook,
    rulebook_warning: Option<String>,
    user: String,
    limits: Limits,
    undo: Vec<Edit>,
    redo: Vec<Edit>,
    coalesce: std::time::Duration,
    search: search::SearchState,
    /// Built-in packs other than the active one, loaded when a document
    /// chooses them (see `packs.rs`).
    packs: std::cell::RefCell<std::collections::HashMap<String, Rulebook>>,
}

/// Where the library lives unless told otherwise: the OS's local data
/// directory (`~/.local/share/kryphal/library.kryphal` on Linux,
/// `%LOCALAPPDATA%\Kryphal\kryphal\data\library.kryphal` on Windows). On
/// Windows that is the local profile, never the roaming one (`%APPDATA%`),
/// which IT may redirect to a network share where SQLite's locking cannot be
/// trusted.
pub fn default_library_path() -> PathBuf {
    directories::ProjectDirs::from("se", "Kryphal", "kryphal")
        .map(|d| d.data_local_dir().join("library.kryphal"))
        .unwrap_or_else(|| PathBuf::from("library.kryphal"))
}

/// The library path: the explicit one, else `KRYPHAL_LIBRARY`, else the default.
pub fn resolve_library_path(explicit: Option<PathBuf>) -> PathBuf {
    explicit
        .or_else(|| {
            std::env::var_os("KRYPHAL_LIBRARY")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(default_library_path)
}

/// The rulebook folder: the explicit one, else `KRYPHAL_RULEBOOK`; `None`
/// means the built-in default pack.
pub fn resolve_rulebook_dir(explicit: Option<PathBuf>) -> Option<PathBuf> {
    explicit.or_else(|| {
        std::env::var_os("KRYPHAL_RULEBOOK")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
}

/// The acting user's name: `KRYPHAL_USER`, else the OS user name.
pub fn default_user() -> String {
    std::env::var("KRYPHAL_USER")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .or_else(|| Some(whoami::username()).filter(|u| !u.is_empty()))
        .unwrap_or_else(|| "okänd".to_string())
}

/// Who a command acts as: `explicit` (the CLI's `--as NAME`) when given,
/// else `KRYPHAL_USER`, else the display name saved in the preferences
/// (the app's Settings), else the OS user name.
pub fn acting_user(explicit: Option<String>) -> String {
    explicit
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .or_else(|| {
            std::env::var("KRYPHAL_USER")
                .ok()
                .map(|u| u.trim().to_string())
                .filter(|u| !u.is_empty())
        })
        .unwrap_or_else(|| Preferences::load().effective_user())
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("RFC 3339 formatting of the current time cannot fail")
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Library {
    /// Opens (or creates) the unencrypted library at `path`, acting as `user`.
    pub fn open(path: &Path, user: impl Into<String>) -> AppResult<Library> {
        Self::open_with(path, user, None)
    }

    /// Opens (or creates) the library at `path` with its passphrase
    /// (`None`: unencrypted), acting as `user`. A new library is created
    /// encrypted when a passphrase is given. The search index of an
    /// encrypted library is kept in memory only (never beside it on disk).
    pub fn open_with(
        path: &Path,
        user: impl Into<String>,
        passphrase: Option<&Passphrase>,
    ) -> AppResult<Library> {
        let store = Store::open_with(path, passphrase)?;
        // Copies of the library that a killed backup or restore left beside it.
        if let Some(dir) = store.path().parent() {
            leftovers::sweep(if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            });
        }
        Ok(Library {
            store,
            rulebook: Rulebook::builtin(),
            rulebook_warning: None,
            user: user.into(),
            limits: Limits::default(),
            undo: Vec::new(),
            redo: Vec::new(),
            coalesce: undo::COALESCE,
            search: search::SearchState::default(),
            packs: Default::default(),
        })
    }

    /// Makes the pack in `dir` the active rulebook. A pack that does not
    /// load leaves the built-in pack active; the reason is kept in
    /// [`AppInfo::rulebook_warning`] and returned.
    pub fn use_rulebook_dir(&mut self, dir: &Path) -> Option<String> {
        match Rulebook::load(dir) {
            Ok(book) => {
                self.rulebook = book;
                self.rulebook_warning = None;
            }
            Err(e) => {
                self.rulebook = Rulebook::builtin();
                self.rulebook_warning = Some(format!(
                    "The rulebook in {} could not be used, so the built-in pack {} {} is active: {e}",
                    dir.display(),
                    self.rulebook.pack.id,
                    self.rulebook.pack.version
                ));
            }
        }
        self.rulebook_warning.clone()
    }

    /// Acts as `user` from now on (after the user changed their name in the preferences).
    pub fn set_user(&mut self, user: impl Into<String>) {
        self.user = user.into();
    }

    fn stamp(&self) -> Stamp {
        Stamp {
            actor: self.user.clone(),
            at: now(),
        }
    }

    /// Whether the library is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.store.is_encrypted()
    }

    /// Changes the passphrase of the encrypted library (audited without
    /// either passphrase). The library must be open nowhere else. Backups
    /// made before keep the old passphrase.
    pub fn change_passphrase(&mut self, new: &Passphrase) -> AppResult<()> {
        let stamp = self.stamp();
        Ok(self.store.change_passphrase(&stamp, new)?)
    }

    pub fn info(&self) -> AppInfo {
        AppInfo {
            library_path: self.store.path().display().to_string(),
            encrypted: self.store.is_encrypted(),
            user: self.user.clone(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            rulebook: self.rulebook.reference(),
            rulebook_warning: self.rulebook_warning.clone(),
        }
    }

    /// The active rulebook.
    pub fn rulebook(&self) -> &Rulebook {
        &self.rulebook
    }

    /// Reads the file at `path` and imports it.
    pub fn import_file(&mut self, path: &Path) -> AppResult<ImportReport> {
        let (name, bytes) = self.read_import_file(path)?;
        self.import_bytes(&name, &bytes)
    }

    /// Reads the Kryphål analysis (`json` export) at `path` and imports it
    /// ([`Library::import_analysis`]); a file that is not a regular file or
    /// larger than four times the document size limit is refused unread.
    pub fn import_analysis_file(&mut self, path: &Path) -> AppResult<ImportReport> {
        let limit = self.limits.max_bytes.saturating_mul(4);
        let bytes = read_regular_file(path, limit, "a Kryphål analysis (.json)").map_err(
            |e| match e {
                ReadFileError::TooLarge { size, limit } => AppError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "{} is {size} bytes, more than the {limit} bytes an analysis may have; it was not read.",
                        path.display()
                    ),
                ),
                ReadFileError::App(e) => e,
            },
        )?;
        self.import_analysis(&bytes)
    }

    /// The name and bytes of a file to import, refused when it is not a
    /// regular file (a folder, a pipe, a device) or over the size limit.
    fn read_import_file(&self, path: &Path) -> AppResult<(String, Vec<u8>)> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let bytes = read_regular_file(path, self.limits.max_bytes, "a document file").map_err(
            |e| match e {
                ReadFileError::TooLarge { size, limit } => kryphal_ingest::IngestError::TooLarge {
                    name: name.clone(),
                    size,
                    limit,
                }
                .into(),
                ReadFileError::App(e) => e,
            },
        )?;
        Ok((name, bytes))
    }

    /// Imports a document from its bytes; `name` is the file name (it decides the format).
    pub fn import_bytes(&mut self, name: &str, bytes: &[u8]) -> AppResult<ImportReport> {
        let sha256 = sha256_hex(bytes);
        if let Some(e) = self.already_imported(name, &sha256)? {
            return Err(e);
        }
        let id = self.new_document_id(&sha256)?;
        let imported = kryphal_ingest::import(name, bytes, &id, &self.limits)?;
        let version_candidates = self.version_candidates_for(&imported.meta, None)?;
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
            rulebook: self.rulebook.reference(),
        };
        // Screened before it is stored, and stored with its suggestions in one
        // transaction: the library never holds an imported document that the
        // rulebook has not yet looked at.
        let rulebook = self.rulebook.reference();
        let suggestions = self.screening(&id, &doc.meta.title, &rulebook.id, &imported.outline);
        let stamp = self.stamp();
        let stored = self.store.insert_screened_document(
            &stamp,
            &doc,
            &id,
            bytes,
            &imported.outline,
            &rulebook,
            &suggestions,
        );
        if let Err(e) = stored {
            // Another process imported the same file between the check above
            // and this write: the same sentence as when it was there before.
            if e.is_constraint_violation()
                && let Some(duplicate) = self.already_imported(name, &doc.source.sha256)?
            {
                return Err(duplicate);
            }
            return Err(e.into());
        }
        Ok(ImportReport {
            document_id: id,
            title: doc.meta.title,
            file_name: name.to_string(),
            sections: imported.outline.sections.len() as u32,
            clauses: imported.outline.clauses.len() as u32,
            warnings: imported.warnings,
            version_candidates,
        })
    }

    /// The refusal of a file whose bytes (`sha256`) are already in the
    /// library, or `None` when they are not.
    fn already_imported(&self, name: &str, sha256: &str) -> AppResult<Option<AppError>> {
        let Some(existing) = self.store.document_by_sha256(sha256)? else {
            return Ok(None);
        };
        let doc = self.store.document(&existing)?;
        Ok(Some(AppError::new(
            ErrorCode::Duplicate,
            format!(
                "{name} is already in the library as “{}” (id {}).",
                doc.meta.title, doc.id
            ),
        )))
    }

    /// A short id from the file's hash, lengthened in the unlikely case it is taken.
    fn new_document_id(&self, sha256: &str) -> AppResult<String> {
        let taken: Vec<String> = self.store.documents()?.into_iter().map(|d| d.id).collect();
        (10..=sha256.len())
            .step_by(2)
            .map(|n| sha256[..n].to_string())
            .find(|id| !taken.contains(id))
            .ok_or_else(|| AppError::new(ErrorCode::Internal, "No free document id."))
    }

    /// Finds a document by id, id prefix or unique title prefix (case-insensitive).
    pub fn resolve_document(&self, reference: &str) -> AppResult<Document> {
        let docs = self.store.documents()?;
        let reference = reference.trim();
        if let Some(d) = docs.iter().find(|d| d.id == reference) {
            return Ok(d.clone());
        }
        let lower = reference.to_lowercase();
        let matches: Vec<&Document> = docs
            .iter()
            .filter(|d| {
                !lower.is_empty()
                    && (d.id.starts_with(&lower) || d.meta.title.to_lowercase().starts_with(&lower))
            })
            .collect();
        match matches.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(AppError::new(
                ErrorCode::NotFound,
                format!(
                    "No document in the library has the id or a title starting with “{reference}”."
                ),
            )),
            many => Err(AppError::new(
                ErrorCode::InvalidInput,
                format!(
                    "“{reference}” matches {} documents ({}); give more of the title or the id.",
                    many.len(),
                    many.iter()
                        .map(|d| format!("{} {}", d.id, d.meta.title))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            )),
        }
    }

    /// All documents with their review progress.
    pub fn documents(&self) -> AppResult<Vec<DocumentSummary>> {
        let clause_counts = self.store.clause_counts()?;
        let open_counts = self.store.open_suggestion_counts()?;
        self.store
            .documents()?
            .into_iter()
            .map(|doc| {
                let findings = self.with_risk(self.store.findings(&doc.id)?);
                let coverage = self.coverage_by_id(&doc.id)?;
                let findings_by_level = self
                    .rulebook
                    .scale
                    .levels
                    .iter()
                    .rev()
                    .filter_map(|level| {
                        let count = findings
                            .iter()
                            .filter(|f| f.risk_level.as_deref() == Some(level.id.as_str()))
                            .count() as u32;
                        (count > 0).then(|| LevelCount {
                            level: level.id.clone(),
                            count,
                        })
                    })
                    .collect();
                Ok(DocumentSummary {
                    highest_risk: self.highest_level(&findings),
                    clause_count: clause_counts.get(&doc.id).copied().unwrap_or(0),
                    open_suggestion_count: open_counts.get(&doc.id).copied().unwrap_or(0),
                    finding_count: findings.len() as u32,
                    reviewed_clause_count: coverage.decided(),
                    is_final: coverage.is_final(),
                    findings_by_level,
                    id: doc.id,
                    title: doc.meta.title,
                    doc_type: doc.meta.doc_type,
                    owner: doc.meta.owner,
                    dnr: doc.meta.dnr,
                })
            })
            .collect()
    }

    fn highest_level(&self, findings: &[Finding]) -> Option<String> {
        let levels = &self.rulebook.scale.levels;
        findings
            .iter()
            .filter_map(|f| f.risk_level.as_deref())
            .filter_map(|id| levels.iter().position(|l| l.id == id))
            .max()
            .map(|i| levels[i].id.clone())
    }

    fn with_risk(&self, mut findings: Vec<Finding>) -> Vec<Finding> {
        for f in &mut findings {
            self.fill_risk(f);
        }
        findings
    }

    fn fill_risk(&self, f: &mut Finding) {
        f.risk_level = match (f.input.likelihood, f.input.impact) {
            (Some(l), Some(i)) => self.rulebook.risk_level(l, i).map(|lvl| lvl.id.clone()),
            _ => None,
        };
    }

    /// A document with its outline and findings.
    pub fn document(&self, reference: &str) -> AppResult<DocumentView> {
        let document = self.resolve_document(reference)?;
        let outline = self.store.outline(&document.id)?;
        let findings = self.with_risk(self.store.findings(&document.id)?);
        let suggestions = self.store.suggestions(&document.id)?;
        let verdicts =
            verdicts::clause_verdicts(&outline, &findings, &self.store.verdicts(&document.id)?);
        let coverage = verdicts::coverage_of(
            &document.id,
            &verdicts,
            &suggestions,
            self.store.final_mark(&document.id)?,
        );
        Ok(DocumentView {
            outline,
            findings,
            suggestions,
            verdicts,
            coverage,
            document,
        })
    }

    /// The findings of a document.
    pub fn findings(&self, reference: &str) -> AppResult<Vec<Finding>> {
        let document = self.resolve_document(reference)?;
        Ok(self.with_risk(self.store.findings(&document.id)?))
    }

    /// One finding.
    pub fn finding(&self, id: &str) -> AppResult<Finding> {
        let mut f = self.store.finding(id)?;
        self.fill_risk(&mut f);
        Ok(f)
    }

    fn validate(&self, input: &FindingInput) -> AppResult<()> {
        let scale = &self.rulebook.scale;
        let check = |value: Option<u8>, steps: usize, what: &str| match value {
            Some(v) if v == 0 || usize::from(v) > steps => Err(AppError::new(
                ErrorCode::InvalidInput,
                format!(
                    "{what} must be a step from 1 to {steps} of the rulebook's scale, not {v}."
                ),
            )),
            _ => Ok(()),
        };
        check(input.likelihood, scale.likelihood.steps.len(), "Likelihood")?;
        check(input.impact, scale.impact.steps.len(), "Impact")?;
        for alt in &input.alternatives {
            check(
                alt.residual_likelihood,
                scale.likelihood.steps.len(),
                "Residual likelihood",
            )?;
            check(
                alt.residual_impact,
                scale.impact.steps.len(),
                "Residual impact",
            )?;
        }
        if let Some(unknown) = input
            .crime_types
            .iter()
            .find(|c| self.rulebook.crime_type(c).is_none())
        {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!(
                    "Crime type “{unknown}” is not in the rulebook {}; known codes are {}.",
                    self.rulebook.pack.id,
                    self.rulebook
                        .crime_types
                        .iter()
                        .map(|c| c.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        Ok(())
    }

    /// Finds the clause a reference names: `CLAUSE_ID` or `DOC_ID/CLAUSE_ID`.
    fn resolve_clause(&self, reference: &str) -> AppResult<(String, String)> {
        if let Some((doc, clause)) = reference.split_once('/') {
            let doc = self.resolve_document(doc)?;
            self.store.clause(&doc.id, clause)?;
            return Ok((doc.id, clause.to_string()));
        }
        let docs = self.store.clause_documents(reference)?;
        match docs.as_slice() {
            [one] => Ok((one.clone(), reference.to_string())),
            [] => Err(AppError::new(
                ErrorCode::NotFound,
                format!(
                    "No clause with the id “{reference}” is in the library; `kryphal show DOC` lists the ids."
                ),
            )),
            _ => Err(AppError::new(
                ErrorCode::InvalidInput,
                format!(
                    "The clause id “{reference}” occurs in several documents; write it as DOC_ID/{reference}."
                ),
            )),
        }
    }

    /// Adds a finding to a clause (`CLAUSE_ID` or `DOC_ID/CLAUSE_ID`).
    pub fn add_finding(&mut self, clause: &str, input: FindingInput) -> AppResult<Finding> {
        self.validate(&input)?;
        let (document_id, clause_id) = self.resolve_clause(clause)?;
        let stamp = self.stamp();
        let finding = Finding {
            id: format!("f-{}", uuid::Uuid::new_v4().simple()),
            document_id,
            clause_id,
            input,
            risk_level: None,
            comments: Vec::new(),
            suggestion_id: None,
            created_at: stamp.at.clone(),
            created_by: stamp.actor.clone(),
            updated_at: stamp.at.clone(),
            updated_by: stamp.actor.clone(),
        };
        self.store.insert_finding(&stamp, &finding)?;
        self.record(Edit::FindingCreated(finding.clone()));
        self.finding(&finding.id)
    }

    /// Replaces the answers of a finding.
    pub fn update_finding(&mut self, id: &str, input: FindingInput) -> AppResult<Finding> {
        self.validate(&input)?;
        let before = self.store.finding(id)?;
        let stamp = self.stamp();
        let mut f = self.store.update_finding(&stamp, id, &input)?;
        if before.input != input {
            self.record(Edit::FindingChanged {
                id: id.to_string(),
                document_id: before.document_id.clone(),
                before: before.input,
                after: input,
                at: std::time::Instant::now(),
            });
        }
        self.fill_risk(&mut f);
        Ok(f)
    }

    /// Adds a comment to a finding, signed by the acting user. Returns the finding.
    pub fn add_comment(&mut self, finding_id: &str, text: &str) -> AppResult<Finding> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "A comment needs some text.",
            ));
        }
        if text.chars().count() > 10_000 {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "A comment can be at most 10,000 characters long.",
            ));
        }
        let stamp = self.stamp();
        let comments = self.store.add_comment(&stamp, finding_id, text)?;
        let finding = self.finding(finding_id)?;
        if let Some(comment) = comments.last() {
            self.record(Edit::CommentAdded {
                document_id: finding.document_id.clone(),
                finding_id: finding_id.to_string(),
                comment: comment.clone(),
            });
        }
        Ok(finding)
    }

    /// Deletes a finding (its history stays in the audit trail).
    pub fn delete_finding(&mut self, id: &str) -> AppResult<()> {
        let before = self.store.finding(id)?;
        let stamp = self.stamp();
        self.store.delete_finding(&stamp, id)?;
        self.record(Edit::FindingDeleted(before));
        Ok(())
    }

    /// Who changed what and when, for one entity or the whole library.
    pub fn history(&self, entity_id: Option<&str>) -> AppResult<Vec<AuditEvent>> {
        Ok(self.store.audit(entity_id)?)
    }

    /// Screens every clause of a document with its own pack (the active
    /// pack at import, or the one chosen with [`Library::screen_with`]).
    /// Open suggestions are replaced; accepted and dismissed ones stay
    /// decided.
    pub fn screen(&mut self, reference: &str) -> AppResult<ScreenReport> {
        let document = self.resolve_document(reference)?;
        let pack = document.rulebook.id.clone();
        self.screen_document(&document, &pack)
    }

    /// Accepts a suggestion: a draft finding on its clause, prefilled from the
    /// rule: the suggestion's starting consequence (its why and rationale
    /// when it has none), its starting proposed wording and its crime types.
    /// The analyst edits them like any answer.
    pub fn accept_suggestion(&mut self, id: &str) -> AppResult<Finding> {
        let suggestion = self.store.suggestion(id)?;
        if let SuggestionState::Accepted { finding_id } = &suggestion.state {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!("This suggestion was already accepted as finding {finding_id}."),
            ));
        }
        let stamp = self.stamp();
        let consequence = if suggestion.consequence.trim().is_empty() {
            format!("{} {}", suggestion.message, suggestion.rationale)
        } else {
            suggestion.consequence.clone()
        };
        let input = FindingInput {
            unintended_consequence: consequence.trim().to_string(),
            proposed_wording: suggestion.proposal.trim().to_string(),
            crime_types: suggestion
                .crime_types
                .iter()
                .filter(|c| self.rulebook.crime_type(c).is_some())
                .cloned()
                .collect(),
            ..FindingInput::default()
        };
        let finding = Finding {
            id: format!("f-{}", uuid::Uuid::new_v4().simple()),
            document_id: suggestion.document_id.clone(),
            clause_id: suggestion.clause_id.clone(),
            input,
            risk_level: None,
            comments: Vec::new(),
            suggestion_id: Some(suggestion.id.clone()),
            created_at: stamp.at.clone(),
            created_by: stamp.actor.clone(),
            updated_at: stamp.at.clone(),
            updated_by: stamp.actor.clone(),
        };
        self.store.accept_suggestion(&stamp, id, &finding)?;
        self.record(Edit::SuggestionAccepted {
            suggestion_id: id.to_string(),
            finding: finding.clone(),
        });
        self.finding(&finding.id)
    }

    /// Dismisses a suggestion with the analyst's reason, which is remembered.
    pub fn dismiss_suggestion(&mut self, id: &str, reason: &str) -> AppResult<Suggestion> {
        if reason.trim().is_empty() {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "Say why the suggestion is dismissed; the reason is kept for whoever reviews the analysis.",
            ));
        }
        let stamp = self.stamp();
        let state = SuggestionState::Dismissed {
            reason: reason.trim().to_string(),
            by: stamp.actor.clone(),
            at: stamp.at.clone(),
        };
        self.change_suggestion(id, state)
    }

    /// Puts a dismissed suggestion back among the open ones.
    pub fn reopen_suggestion(&mut self, id: &str) -> AppResult<Suggestion> {
        self.change_suggestion(id, SuggestionState::Open)
    }

    /// Corrects a document's metadata (title, type, owner, Dnr, dates, …).
    pub fn update_metadata(&mut self, reference: &str, meta: DocumentMeta) -> AppResult<Document> {
        let doc = self.resolve_document(reference)?;
        if meta.title.trim().is_empty() {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "A document needs a title; the title cannot be empty.",
            ));
        }
        let stamp = self.stamp();
        self.store.update_document_meta(&stamp, &doc.id, &meta)?;
        if doc.meta != meta {
            self.record(Edit::MetaChanged {
                document_id: doc.id.clone(),
                before: doc.meta,
                after: meta,
            });
        }
        Ok(self.store.document(&doc.id)?)
    }

    /// The text of a clause (`CLAUSE_ID` or `DOC_ID/CLAUSE_ID`).
    pub fn clause_text(&self, clause: &str) -> AppResult<String> {
        let (doc_id, clause_id) = self.resolve_clause(clause)?;
        Ok(self.store.clause(&doc_id, &clause_id)?.text)
    }

    /// Splits a clause in two at byte offset `at` of its text. The first part
    /// keeps the clause's id and findings; the second becomes a new clause
    /// right after it. Returns the new clause.
    pub fn split_clause(&mut self, clause: &str, at: usize) -> AppResult<Clause> {
        let (doc_id, clause_id) = self.resolve_clause(clause)?;
        let current = self.store.clause(&doc_id, &clause_id)?;
        let text = &current.text;
        if !text.is_char_boundary(at) {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!("Position {at} is not between two characters of the clause's text."),
            ));
        }
        let (first, second) = (text[..at].trim(), text[at..].trim());
        if first.is_empty() || second.is_empty() {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "Both parts of a split clause must contain text; choose a point inside the text.",
            ));
        }
        let lineage = self.store.lineage(&doc_id)?;
        let taken: Vec<String> = self
            .store
            .outline(&doc_id)?
            .clauses
            .into_iter()
            .map(|c| c.id)
            .collect();
        let base = kryphal_ingest::structure::clause_id(&lineage, second);
        let id = std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}-{n}")))
            .find(|id| !taken.contains(id))
            .expect("an unused id exists");
        let new = Clause {
            id,
            section_id: current.section_id.clone(),
            number: String::new(),
            label: format!("{} (forts.)", current.label),
            kind: ClauseKind::Paragraph,
            text: second.to_string(),
            position: current.position + 1,
        };
        let stamp = self.stamp();
        let second = self
            .store
            .split_clause(&stamp, &doc_id, &clause_id, first, &new)?;
        self.record(Edit::ClauseSplit {
            document_id: doc_id,
            first_id: clause_id,
            text_before: text.clone(),
            first_text: first.to_string(),
            second: second.clone(),
        });
        Ok(second)
    }

    /// Merges a clause with the clause that follows it; the findings of both
    /// end up on the merged clause, which keeps the first clause's id.
    pub fn merge_with_next(&mut self, clause: &str) -> AppResult<Clause> {
        let (doc_id, clause_id) = self.resolve_clause(clause)?;
        let clauses = self.store.outline(&doc_id)?.clauses;
        let i = clauses
            .iter()
            .position(|c| c.id == clause_id)
            .ok_or_else(|| AppError::new(ErrorCode::NotFound, "The clause is gone."))?;
        let Some(next) = clauses.get(i + 1) else {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "This is the document's last clause; there is no following clause to merge it with.",
            ));
        };
        let first = &clauses[i];
        let merged = if next.number.is_empty() {
            format!("{} {}", first.text, next.text)
        } else {
            format!("{} {} {}", first.text, next.number, next.text)
        };
        let findings = self
            .store
            .findings(&doc_id)?
            .into_iter()
            .filter(|f| f.clause_id == next.id)
            .map(|f| f.id)
            .collect();
        let suggestions = self
            .store
            .suggestions(&doc_id)?
            .into_iter()
            .filter(|s| s.clause_id == next.id)
            .map(|s| s.id)
            .collect();
        let stamp = self.stamp();
        self.store
            .merge_clauses(&stamp, &doc_id, &first.id, &next.id, &merged)?;
        self.record(Edit::ClauseMerged {
            document_id: doc_id.clone(),
            first: first.clone(),
            second: next.clone(),
            merged_text: merged,
            findings,
            suggestions,
        });
        Ok(self.store.clause(&doc_id, &clause_id)?)
    }

    fn change_suggestion(&mut self, id: &str, state: SuggestionState) -> AppResult<Suggestion> {
        let before = self.store.suggestion(id)?;
        if let SuggestionState::Accepted { .. } = before.state {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "This suggestion became a finding; change or delete the finding instead.",
            ));
        }
        let stamp = self.stamp();
        let after = self.store.set_suggestion_state(&stamp, id, state.clone())?;
        self.record(Edit::SuggestionChanged {
            id: id.to_string(),
            document_id: before.document_id,
            before: before.state,
            after: state,
        });
        Ok(after)
    }

    /// How close together changes to one finding must be to count as one
    /// undo step (2 s unless changed; zero keeps every change apart).
    pub fn set_undo_coalescing(&mut self, window: std::time::Duration) {
        self.coalesce = window;
    }

    /// Remembers an edit for undo; a new edit ends what could be redone.
    /// A change to the finding changed just before, within the coalescing
    /// window, joins that step.
    fn record(&mut self, edit: Edit) {
        let joinable = self.redo.is_empty();
        self.redo.clear();
        let edit = match self.undo.last_mut() {
            Some(last) if joinable => match last.absorb(edit, self.coalesce) {
                Some(edit) => edit,
                None => return,
            },
            _ => edit,
        };
        self.undo.push(edit);
        if self.undo.len() > undo::LIMIT {
            self.undo.remove(0);
        }
    }

    /// Takes back the latest edit of this session. `None` when there is nothing to undo.
    pub fn undo(&mut self) -> AppResult<Option<UndoReport>> {
        let Some(edit) = self.undo.pop() else {
            return Ok(None);
        };
        if let Err(e) = self.apply(&edit, true) {
            self.undo.push(edit);
            return Err(e);
        }
        let report = self.report(&edit, "undo");
        self.redo.push(edit);
        Ok(Some(UndoReport {
            redo_left: self.redo.len() as u32,
            ..report
        }))
    }

    /// Makes again the edit undone last. `None` when there is nothing to redo.
    pub fn redo(&mut self) -> AppResult<Option<UndoReport>> {
        let Some(edit) = self.redo.pop() else {
            return Ok(None);
        };
        if let Err(e) = self.apply(&edit, false) {
            self.redo.push(edit);
            return Err(e);
        }
        self.undo.push(edit.clone());
        Ok(Some(self.report(&edit, "redo")))
    }

    fn report(&self, edit: &Edit, direction: &str) -> UndoReport {
        let (document_id, entity_id) = edit.target();
        UndoReport {
            direction: direction.to_string(),
            edit: edit.kind().to_string(),
            document_id,
            entity_id,
            undo_left: self.undo.len() as u32,
            redo_left: self.redo.len() as u32,
        }
    }

    /// Applies the state before (`back`) or after an edit.
    fn apply(&mut self, edit: &Edit, back: bool) -> AppResult<()> {
        let stamp = self.stamp();
        match (edit, back) {
            (Edit::FindingCreated(f), true) | (Edit::FindingDeleted(f), false) => {
                self.store.delete_finding(&stamp, &f.id)?
            }
            (Edit::FindingCreated(f), false) | (Edit::FindingDeleted(f), true) => {
                self.store.insert_finding(&stamp, f)?
            }
            (
                Edit::FindingChanged {
                    id, before, after, ..
                },
                back,
            ) => {
                self.store
                    .update_finding(&stamp, id, if back { before } else { after })?;
            }
            (
                Edit::MetaChanged {
                    document_id,
                    before,
                    after,
                },
                back,
            ) => self.store.update_document_meta(
                &stamp,
                document_id,
                if back { before } else { after },
            )?,
            (
                Edit::SuggestionChanged {
                    id, before, after, ..
                },
                back,
            ) => {
                self.store.set_suggestion_state(
                    &stamp,
                    id,
                    if back { before } else { after }.clone(),
                )?;
            }
            (Edit::SuggestionAccepted { suggestion_id, .. }, true) => {
                self.store.unaccept_suggestion(&stamp, suggestion_id)?
            }
            (
                Edit::SuggestionAccepted {
                    suggestion_id,
                    finding,
                },
                false,
            ) => self
                .store
                .accept_suggestion(&stamp, suggestion_id, finding)?,
            (
                Edit::ClauseSplit {
                    document_id,
                    first_id,
                    text_before,
                    second,
                    ..
                },
                true,
            ) => {
                self.store
                    .merge_clauses(&stamp, document_id, first_id, &second.id, text_before)?
            }
            (
                Edit::ClauseSplit {
                    document_id,
                    first_id,
                    first_text,
                    second,
                    ..
                },
                false,
            ) => {
                self.store
                    .split_clause(&stamp, document_id, first_id, first_text, second)?;
            }
            (
                Edit::ClauseMerged {
                    document_id,
                    first,
                    second,
                    findings,
                    suggestions,
                    ..
                },
                true,
            ) => self.store.unmerge_clauses(
                &stamp,
                document_id,
                first,
                second,
                findings,
                suggestions,
            )?,
            (
                Edit::ClauseMerged {
                    document_id,
                    first,
                    second,
                    merged_text,
                    ..
                },
                false,
            ) => {
                self.store
                    .merge_clauses(&stamp, document_id, &first.id, &second.id, merged_text)?
            }
            (
                Edit::CommentAdded {
                    finding_id,
                    comment,
                    ..
                },
                back,
            ) => {
                if back {
                    self.store.remove_comment(&stamp, finding_id, comment)?;
                } else {
                    self.store.push_comment(&stamp, finding_id, comment)?;
                }
            }
            (Edit::OutlineCorrected { .. }, back) => self.redo_correction(back, edit)?,
            (
                Edit::VerdictsChanged {
                    document_id,
                    changes,
                    removed,
                    added,
                },
                back,
            ) => {
                if back {
                    let inverse: Vec<_> = changes.iter().map(|c| c.inverse()).collect();
                    self.store
                        .set_verdicts(&stamp, document_id, &inverse, added, removed)?
                } else {
                    self.store
                        .set_verdicts(&stamp, document_id, changes, removed, added)?
                }
            }
            (
                Edit::FinalChanged {
                    document_id,
                    before,
                    after,
                },
                back,
            ) => self.store.set_final(
                &stamp,
                document_id,
                if back { before } else { after }.as_ref(),
            )?,
            (Edit::DocumentDeleted { snapshot, .. }, true) => {
                self.store.restore_document(&stamp, snapshot)?
            }
            (Edit::DocumentDeleted { document_id, .. }, false) => {
                let summary = serde_json::to_value(self.deletion_preview(document_id)?)
                    .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
                self.store.delete_document(&stamp, document_id, summary)?;
            }
            (
                Edit::VersionLinked {
                    link,
                    findings,
                    suggestions_before,
                    outline_diff,
                    corrections,
                    suggestions_removed,
                    ..
                },
                true,
            ) => {
                if let Some(next) = self.store.next_versions(&link.document_id)?.first() {
                    return Err(AppError::new(
                        ErrorCode::InvalidInput,
                        format!(
                            "The link cannot be undone: {next} has since become a newer version of {}. Nothing was changed.",
                            link.document_id
                        ),
                    ));
                }
                let ids: Vec<String> = findings.iter().map(|f| f.id.clone()).collect();
                let inverse = outline_diff.inverse();
                let kept: Vec<String> = corrections.iter().map(|c| c.id.clone()).collect();
                self.store.remove_version(
                    &stamp,
                    &kryphal_store::VersionUndo {
                        link,
                        findings: &ids,
                        suggestions_before,
                        outline_diff: (!inverse.is_empty()).then_some(&inverse),
                        corrections: &kept,
                        suggestions_removed,
                    },
                )?
            }
            (
                Edit::VersionLinked {
                    link,
                    findings,
                    suggestions_after,
                    carryovers,
                    outline_diff,
                    corrections,
                    ..
                },
                false,
            ) => self.store.insert_version(
                &stamp,
                &kryphal_store::NewVersion {
                    document: None,
                    link,
                    findings,
                    suggestion_updates: suggestions_after,
                    carryovers,
                    outline_diff: (!outline_diff.is_empty()).then_some(outline_diff),
                    corrections,
                },
            )?,
            (Edit::ReviewImported(change), true) => self.store.unapply_review(&stamp, change)?,
            (Edit::ReviewImported(change), false) => self.store.apply_review(&stamp, change)?,
        }
        Ok(())
    }

    /// Imports the built-in sample document when the library has never had
    /// any document. Returns whether it did.
    pub fn ensure_sample(&mut self) -> AppResult<bool> {
        const KEY: &str = "sample_offered";
        if self.store.setting(KEY)?.is_some() || !self.store.documents()?.is_empty() {
            return Ok(false);
        }
        self.import_bytes(sample::FILE_NAME, sample::TEXT.as_bytes())?;
        let stamp = self.stamp();
        self.store.set_setting(&stamp, KEY, &stamp.at)?;
        Ok(true)
    }
}

/// Why a file operation failed, in a few plain words (for messages).
pub fn io_reason(e: &std::io::Error) -> String {
    // A reason written for the user (`kryphal_platform::replace_file`'s on
    // Windows: held open by another program, read-only) says it best.
    if e.get_ref().is_some() {
        return e.to_string();
    }
    match e.kind() {
        std::io::ErrorKind::NotFound => "the file does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::StorageFull => "the disk is full".into(),
        std::io::ErrorKind::ReadOnlyFilesystem => "the disk is read-only".into(),
        _ => e.to_string(),
    }
}

/// Why [`read_regular_file`] read nothing.
pub(crate) enum ReadFileError {
    /// The file is larger than the limit.
    TooLarge { size: u64, limit: u64 },
    /// Anything else, as the user sees it.
    App(AppError),
}

/// Reads the file at `path` whole, but only a regular file (a folder, a
/// named pipe, a socket or a device such as `/dev/zero` is refused before
/// anything is read: a pipe would block and a device never end) of at most
/// `limit` bytes, checked before reading and enforced while reading (a file
/// that grows meanwhile is refused too). `what` names what was expected
/// (`a document file`).
pub(crate) fn read_regular_file(
    path: &Path,
    limit: u64,
    what: &str,
) -> Result<Vec<u8>, ReadFileError> {
    use std::io::Read;
    let cannot = |e: &std::io::Error| {
        ReadFileError::App(AppError::new(
            ErrorCode::Io,
            format!("Cannot read {}: {}.", path.display(), io_reason(e)),
        ))
    };
    let meta = std::fs::metadata(path).map_err(|e| cannot(&e))?;
    let not_regular = |kind: &str| {
        ReadFileError::App(AppError::new(
            ErrorCode::InvalidInput,
            format!(
                "{} is {kind}, not a file; give the path of {what}.",
                path.display()
            ),
        ))
    };
    if meta.is_dir() {
        return Err(not_regular("a folder"));
    }
    if !meta.is_file() {
        return Err(not_regular("a device, pipe or socket"));
    }
    if meta.len() > limit {
        return Err(ReadFileError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let file = std::fs::File::open(path).map_err(|e| cannot(&e))?;
    // The open file itself, in case the path was swapped after the check.
    if !file.metadata().map_err(|e| cannot(&e))?.is_file() {
        return Err(not_regular("a device, pipe or socket"));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot(&e))?;
    if bytes.len() as u64 > limit {
        return Err(ReadFileError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Writes `bytes` to a temporary file in `out`'s folder, then renames it over `out`.
fn write_atomically(out: &Path, bytes: &[u8]) -> AppResult<()> {
    let fail = |e: std::io::Error| {
        AppError::new(
            ErrorCode::Io,
            format!("Cannot write {}: {}.", out.display(), io_reason(&e)),
        )
    };
    if out.is_dir() {
        return Err(AppError::new(
            ErrorCode::InvalidInput,
            format!(
                "{} is a folder; give the path of the file to write.",
                out.display()
            ),
        ));
    }
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let result = (|| {
        use std::io::Write;
        let mut temp = leftovers::TempFile::new(dir, &name, false)?;
        temp.file().write_all(bytes)?;
        temp.file().sync_all()?;
        // Closed before the replace (Windows cannot rename an open file);
        // removed when `temp` is dropped if the replace did not take it.
        temp.close();
        kryphal_platform::replace_file(temp.path(), out)
    })();
    result.map_err(fail)
}
