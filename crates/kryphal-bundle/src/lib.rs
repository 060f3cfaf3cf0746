//! # kryphal-bundle
//!
//! An *analysis bundle* is one file (`.kryphal`) that carries whole analyses
//! from one library to another: per document its metadata, the original
//! source file, the outline, every finding (with comments and the revision
//! it was last exchanged at), the screening suggestions with their decisions
//! and the workshop sessions, plus the rulebook pack each analysis used.
//!
//! The file is a zip archive:
//!
//! ```text
//! manifest.json                    kind, format version, app version, created, author,
//!                                  documents (id, title, rulebook), every entry's size and SHA-256
//! documents/<id>/analysis.json     a [`BundleDocument`] (with its [`BundleVersion`] when the
//!                                  document was kept as a new version of another)
//! documents/<id>/source            the original file's bytes (absent when the library has none)
//! signature.json                   in a signed bundle only: the Ed25519 signature of
//!                                  manifest.json's bytes and the signer's public key
//! ```
//!
//! What the checks prove: the manifest's SHA-256 of every entry shows that
//! the entries are the ones the manifest lists (a truncated, damaged or
//! half-edited file is refused), but not who wrote them — anyone can change
//! an entry and recompute its checksum, and the manifest's `author` is a
//! claim. A **signed** bundle ([`signing`]) proves that the holder of the
//! signing key made it and nobody changed a byte since; an **encrypted**
//! one ([`envelope`]) that whoever made it knew the passphrase. An entry
//! name that appears twice in the archive is refused (tools disagree on
//! which copy counts).
//!
//! This crate is pure: [`write_bundle`] turns values into bytes and
//! [`read_bundle`] turns bytes back into values, checking everything before
//! it returns anything — the kind and format version first, then every
//! entry against the manifest's checksums, with [`Limits`] on the number of
//! entries, their unpacked sizes and their compression ratio, so that a
//! truncated, tampered or hostile file is refused with a sentence. Writing
//! is deterministic: the same analyses give the same entries, byte for byte.
//!
//! Merging a bundle into a library is not done here (see `kryphal-app`);
//! [`revision`] is the one piece of merge vocabulary shared by both sides.

pub mod envelope;
pub mod signing;

use std::io::{Cursor, Read, Write};

use kryphal_domain::{
    CarryOver, Document, DocumentMeta, Finding, FindingInput, Outline, RulebookRef, Suggestion,
    SuggestionState, VersionLink, WorkshopRecord,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zip::ZipArchive;
use zip::write::SimpleFileOptions;

/// The `kind` of every bundle's manifest.
pub const KIND: &str = "kryphal-bundle";
/// The bundle format this version writes for unsigned bundles.
pub const FORMAT_VERSION: u32 = 1;
/// The format of a signed bundle (format 1 with [`signing::SIGNATURE_ENTRY`]),
/// and the newest this version reads.
pub const SIGNED_FORMAT_VERSION: u32 = 2;
/// The manifest's entry name.
pub const MANIFEST: &str = "manifest.json";
/// The file name extension of a bundle, without the dot.
pub const EXTENSION: &str = "kryphal";

/// Errors of reading or writing a bundle. Every message is a sentence that
/// says what is wrong with the file.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The file is not a zip archive with a Kryphål manifest.
    #[error("{name} is not a Kryphål bundle: {reason}.")]
    NotABundle { name: String, reason: String },
    /// The archive is truncated or otherwise unreadable.
    #[error("{name} is damaged: {reason}.")]
    Damaged { name: String, reason: String },
    /// An entry does not match the manifest (checksum, size, missing or extra entry).
    #[error("{name} has been changed or damaged since it was made: {reason}. It was not imported.")]
    Tampered { name: String, reason: String },
    /// The bundle was written by a newer version of Kryphål.
    #[error(
        "{name} was made by a newer version of Kryphål ({app_version}, bundle format {found}; this version reads format {supported}). Update Kryphål to import it."
    )]
    Newer {
        name: String,
        found: u32,
        supported: u32,
        app_version: String,
    },
    /// The archive looks built to exhaust memory or disk (a zip bomb, too many entries).
    #[error("{name} is unsafe to open: {reason}.")]
    Unsafe { name: String, reason: String },
    /// The entries are intact but their content is not a valid analysis.
    #[error("{name} holds an invalid analysis: {reason}.")]
    Invalid { name: String, reason: String },
    /// Writing the archive failed (a bug: it is written to memory).
    #[error("the bundle could not be written: {0}.")]
    Write(String),
}

pub type Result<T> = std::result::Result<T, BundleError>;

/// Who made a bundle, with which Kryphål and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub app_version: String,
    /// RFC 3339 UTC.
    pub created: String,
    /// The user who exported it.
    pub author: String,
}

/// One document as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestDocument {
    pub id: String,
    pub title: String,
    pub rulebook: RulebookRef,
}

/// One entry of the archive with its size and SHA-256 (lower-case hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

/// The table of contents: `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub kind: String,
    pub format_version: u32,
    #[serde(flatten)]
    pub header: Header,
    pub documents: Vec<ManifestDocument>,
    /// The rulebook packs the analyses follow, each once.
    pub rulebooks: Vec<RulebookRef>,
    pub entries: Vec<ManifestEntry>,
}

/// A finding as exchanged: the finding and the revision both sides last had
/// in common (see [`revision`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BundleFinding {
    pub finding: Finding,
    /// The [`revision`] of the finding's answers that the exporting library
    /// last received or exported unchanged: the merge base. Equal to the
    /// finding's own revision when it has not been edited since.
    pub base: String,
}

/// One document's whole analysis: `documents/<id>/analysis.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BundleDocument {
    pub document: Document,
    /// Shared by all versions of the document; prefixes its clause ids.
    pub lineage: String,
    pub outline: Outline,
    pub findings: Vec<BundleFinding>,
    pub suggestions: Vec<Suggestion>,
    pub workshops: Vec<WorkshopRecord>,
    /// Which document this one is a new version of, when it was kept as one
    /// (absent for a first version, and in bundles made before links travelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<BundleVersion>,
    /// The merge bases of the document's metadata and of the suggestions'
    /// decisions (absent in bundles made before these were merged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bases: Option<RecordBases>,
}

/// The revisions of a document's metadata ([`meta_revision`]) and of each
/// suggestion's decision ([`decision_revision`]) that the exporting library
/// last exchanged, like [`BundleFinding::base`] for findings. A record never
/// exchanged has its current revision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordBases {
    pub metadata: String,
    /// By suggestion id.
    pub suggestions: std::collections::BTreeMap<String, String>,
}

/// A document's place among versions: its link to the version it replaces
/// and what became of that version's findings in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleVersion {
    pub link: VersionLink,
    pub carryovers: Vec<CarryOver>,
}

/// A document's analysis with its source file's bytes (empty when the
/// library has none, e.g. for an analysis imported from JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct BundleItem {
    pub analysis: BundleDocument,
    pub source: Vec<u8>,
}

/// A bundle read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Bundle {
    pub manifest: Manifest,
    pub items: Vec<BundleItem>,
    /// The public key that signed it, checked (`None`: unsigned).
    pub signer: Option<[u8; 32]>,
}

/// What [`read_bundle`] accepts. The defaults fit any real library
/// (source files are limited to far less on import) and refuse bombs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Entries in the archive.
    pub max_entries: usize,
    /// Unpacked bytes of the manifest.
    pub max_manifest_bytes: u64,
    /// Unpacked bytes of any one entry.
    pub max_entry_bytes: u64,
    /// Unpacked bytes of all entries together.
    pub max_total_bytes: u64,
    /// Highest unpacked / packed ratio of an entry larger than `ratio_floor`.
    pub max_ratio: u64,
    /// Entries up to this size may compress as well as they like.
    pub ratio_floor: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 4_000,
            max_manifest_bytes: 8 << 20,
            max_entry_bytes: 256 << 20,
            max_total_bytes: 1 << 30,
            max_ratio: 200,
            ratio_floor: 1 << 20,
        }
    }
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The revision of a finding's answers: SHA-256 of their JSON. Two libraries
/// that hold the same answers give the same revision; comments are not part
/// of it (they are only ever added, and merged by union).
pub fn revision(input: &FindingInput) -> String {
    let json = serde_json::to_vec(input).expect("a finding's answers always serialise");
    sha256_hex(&json)
}

/// The revision of a document's metadata: SHA-256 of its JSON.
pub fn meta_revision(meta: &DocumentMeta) -> String {
    let json = serde_json::to_vec(meta).expect("metadata always serialises");
    sha256_hex(&json)
}

/// The revision of the decision on a suggestion: what was decided (open,
/// accepted, or dismissed with which reason), not who did it, when, or which
/// finding an acceptance made — the same decision taken in two libraries is
/// the same revision.
pub fn decision_revision(state: &SuggestionState) -> String {
    let key = match state {
        SuggestionState::Open => "open".to_string(),
        SuggestionState::Accepted { .. } => "accepted".to_string(),
        SuggestionState::Dismissed { reason, .. } => format!("dismissed\n{}", reason.trim()),
    };
    sha256_hex(key.as_bytes())
}

fn analysis_entry(id: &str) -> String {
    format!("documents/{id}/analysis.json")
}

fn source_entry(id: &str) -> String {
    format!("documents/{id}/source")
}

/// Document ids become entry names: only plain id characters are allowed.
fn safe_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Writes a bundle of `items` (in the given order). Deterministic: the same
/// header and items give the same bytes.
pub fn write_bundle(header: &Header, items: &[BundleItem]) -> Result<Vec<u8>> {
    write_bundle_signed(header, items, None)
}

/// [`write_bundle`], signed with `key` when one is given (format
/// [`SIGNED_FORMAT_VERSION`], with [`signing::SIGNATURE_ENTRY`]).
pub fn write_bundle_signed(
    header: &Header,
    items: &[BundleItem],
    key: Option<&signing::SigningKey>,
) -> Result<Vec<u8>> {
    let werr = |e: &dyn std::fmt::Display| BundleError::Write(e.to_string());
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    let mut documents = Vec::new();
    let mut rulebooks: Vec<RulebookRef> = Vec::new();
    for item in items {
        let doc = &item.analysis.document;
        if !safe_id(&doc.id) {
            return Err(BundleError::Write(format!(
                "the document id “{}” cannot name an entry",
                doc.id
            )));
        }
        if documents.iter().any(|d: &ManifestDocument| d.id == doc.id) {
            return Err(BundleError::Write(format!(
                "the document {} is listed twice",
                doc.id
            )));
        }
        documents.push(ManifestDocument {
            id: doc.id.clone(),
            title: doc.meta.title.clone(),
            rulebook: doc.rulebook.clone(),
        });
        if !rulebooks.contains(&doc.rulebook) {
            rulebooks.push(doc.rulebook.clone());
        }
        let json = serde_json::to_vec_pretty(&item.analysis).map_err(|e| werr(&e))?;
        entries.push((analysis_entry(&doc.id), json));
        if !item.source.is_empty() {
            entries.push((source_entry(&doc.id), item.source.clone()));
        }
    }
    let manifest = Manifest {
        kind: KIND.to_string(),
        format_version: if key.is_some() {
            SIGNED_FORMAT_VERSION
        } else {
            FORMAT_VERSION
        },
        header: header.clone(),
        documents,
        rulebooks,
        entries: entries
            .iter()
            .map(|(name, bytes)| ManifestEntry {
                name: name.clone(),
                size: bytes.len() as u64,
                sha256: sha256_hex(bytes),
            })
            .collect(),
    };
    let manifest_json = serde_json::to_vec_pretty(&manifest).map_err(|e| werr(&e))?;
    if let Some(key) = key {
        let signature = signing::SignatureFile::new(key, &manifest_json);
        entries.push((
            signing::SIGNATURE_ENTRY.to_string(),
            serde_json::to_vec_pretty(&signature).map_err(|e| werr(&e))?,
        ));
    }
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    // No timestamps from the clock: the zip crate's default date keeps the output deterministic.
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in std::iter::once((MANIFEST.to_string(), manifest_json)).chain(entries) {
        zip.start_file(name, options).map_err(|e| werr(&e))?;
        zip.write_all(&bytes).map_err(|e| werr(&e))?;
    }
    Ok(zip.finish().map_err(|e| werr(&e))?.into_inner())
}

/// Reads and checks a bundle. `name` is the file's name, for messages.
/// Nothing is returned unless every check passes.
pub fn read_bundle(name: &str, bytes: &[u8], limits: &Limits) -> Result<Bundle> {
    let not_bundle = |reason: &str| BundleError::NotABundle {
        name: name.to_string(),
        reason: reason.to_string(),
    };
    let tampered = |reason: String| BundleError::Tampered {
        name: name.to_string(),
        reason,
    };
    let invalid = |reason: String| BundleError::Invalid {
        name: name.to_string(),
        reason,
    };
    if bytes.is_empty() {
        return Err(not_bundle("the file is empty"));
    }
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        if bytes.starts_with(b"PK") {
            BundleError::Damaged {
                name: name.to_string(),
                reason: format!("the archive is truncated or corrupt ({e})"),
            }
        } else {
            not_bundle("it is not a zip archive")
        }
    })?;
    if zip.has_duplicate_names() {
        return Err(tampered(
            "it holds two entries with the same name, which programs read differently".into(),
        ));
    }
    if zip.len() > limits.max_entries {
        return Err(BundleError::Unsafe {
            name: name.to_string(),
            reason: format!(
                "it holds {} entries, more than the {} a bundle may have",
                zip.len(),
                limits.max_entries
            ),
        });
    }
    // Declared sizes and compression ratios first, before anything is unpacked.
    let mut declared_total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| BundleError::Damaged {
            name: name.to_string(),
            reason: format!("an entry cannot be read ({e})"),
        })?;
        let entry_name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        check_size(
            name,
            &entry_name,
            size,
            packed,
            limits.max_entry_bytes,
            limits,
        )?;
        declared_total = declared_total.saturating_add(size);
    }
    if declared_total > limits.max_total_bytes {
        return Err(BundleError::Unsafe {
            name: name.to_string(),
            reason: format!(
                "its entries unpack to {declared_total} bytes, more than the {} a bundle may hold",
                limits.max_total_bytes
            ),
        });
    }
    let mut reader = EntryReader {
        name,
        limits,
        budget: limits.max_total_bytes,
    };
    let manifest_bytes = reader
        .read(&mut zip, MANIFEST, limits.max_manifest_bytes)?
        .ok_or_else(|| not_bundle("it has no manifest.json"))?;
    let value: serde_json::Value = serde_json::from_slice(&manifest_bytes)
        .map_err(|_| not_bundle("its manifest.json is not JSON"))?;
    if value.get("kind").and_then(|k| k.as_str()) != Some(KIND) {
        return Err(not_bundle("its manifest does not name a Kryphål bundle"));
    }
    let found = value
        .get("format_version")
        .and_then(|v| v.as_u64())
        .ok_or_else(|| invalid("the manifest has no format version".into()))?;
    if found > u64::from(SIGNED_FORMAT_VERSION) {
        return Err(BundleError::Newer {
            name: name.to_string(),
            found: u32::try_from(found).unwrap_or(u32::MAX),
            supported: SIGNED_FORMAT_VERSION,
            app_version: value
                .get("app_version")
                .and_then(|v| v.as_str())
                .map(|v| format!("Kryphål {v}"))
                .unwrap_or_else(|| "an unknown version".into()),
        });
    }
    let manifest: Manifest = serde_json::from_value(value)
        .map_err(|e| invalid(format!("its manifest cannot be read ({e})")))?;

    // A signature covers the manifest's exact bytes, and through its
    // checksums every entry: checked before anything else is believed.
    let signature = reader.read(&mut zip, signing::SIGNATURE_ENTRY, 64 * 1024)?;
    let signer = match (signature, found == u64::from(SIGNED_FORMAT_VERSION)) {
        (None, false) => None,
        (None, true) => {
            return Err(tampered(
                "it was signed, but its signature is missing".into(),
            ));
        }
        (Some(_), false) => {
            return Err(tampered(
                "it holds a signature, but its manifest is of an unsigned bundle".into(),
            ));
        }
        (Some(bytes), true) => {
            let file: signing::SignatureFile = serde_json::from_slice(&bytes)
                .map_err(|_| tampered("its signature cannot be read".into()))?;
            Some(file.verify(&manifest_bytes).map_err(tampered)?)
        }
    };

    // Every entry of the archive is in the manifest, and the other way round.
    let listed: std::collections::HashSet<&str> =
        manifest.entries.iter().map(|e| e.name.as_str()).collect();
    if listed.len() != manifest.entries.len() {
        return Err(tampered("the manifest lists an entry twice".into()));
    }
    for raw in zip.file_names_raw() {
        let entry = String::from_utf8_lossy(raw);
        if entry != MANIFEST
            && entry != signing::SIGNATURE_ENTRY
            && !listed.contains(entry.as_ref())
        {
            return Err(tampered(format!(
                "it holds {entry}, which its manifest does not list"
            )));
        }
    }
    let mut contents = std::collections::HashMap::new();
    for entry in &manifest.entries {
        let data = reader
            .read(&mut zip, &entry.name, limits.max_entry_bytes)?
            .ok_or_else(|| tampered(format!("its entry {} is missing", entry.name)))?;
        if data.len() as u64 != entry.size || sha256_hex(&data) != entry.sha256 {
            return Err(tampered(format!(
                "the checksum of {} does not match its manifest",
                entry.name
            )));
        }
        contents.insert(entry.name.as_str(), data);
    }

    let mut items = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for listed in &manifest.documents {
        if !safe_id(&listed.id) || !seen.insert(listed.id.as_str()) {
            return Err(invalid(format!(
                "the manifest lists the document id “{}” twice or in a bad form",
                listed.id
            )));
        }
        let json = contents
            .remove(analysis_entry(&listed.id).as_str())
            .ok_or_else(|| {
                tampered(format!("the analysis of document {} is missing", listed.id))
            })?;
        let analysis: BundleDocument = serde_json::from_slice(&json).map_err(|e| {
            invalid(format!(
                "the analysis of document {} cannot be read ({e})",
                listed.id
            ))
        })?;
        check_analysis(&analysis, listed).map_err(invalid)?;
        let source = contents
            .remove(source_entry(&listed.id).as_str())
            .unwrap_or_default();
        if !source.is_empty() && sha256_hex(&source) != analysis.document.source.sha256 {
            return Err(tampered(format!(
                "the source file of document {} is not the one the analysis was made from",
                listed.id
            )));
        }
        items.push(BundleItem { analysis, source });
    }
    if let Some(extra) = contents.keys().next() {
        return Err(tampered(format!(
            "its entry {extra} belongs to no listed document"
        )));
    }
    Ok(Bundle {
        manifest,
        items,
        signer,
    })
}

/// The analysis agrees with itself and with the manifest: every finding,
/// suggestion and workshop belongs to the document, every clause reference
/// exists, no id is used twice.
fn check_analysis(
    a: &BundleDocument,
    listed: &ManifestDocument,
) -> std::result::Result<(), String> {
    let doc = &a.document.id;
    if *doc != listed.id || a.document.rulebook != listed.rulebook {
        return Err(format!(
            "document {} does not match its manifest entry",
            listed.id
        ));
    }
    let clauses: std::collections::HashSet<&str> =
        a.outline.clauses.iter().map(|c| c.id.as_str()).collect();
    if clauses.len() != a.outline.clauses.len() {
        return Err(format!("two clauses of document {doc} share one id"));
    }
    let mut findings = std::collections::HashSet::new();
    for bf in &a.findings {
        let f = &bf.finding;
        if f.document_id != *doc || !clauses.contains(f.clause_id.as_str()) {
            return Err(format!(
                "finding {} is on a clause document {doc} lacks",
                f.id
            ));
        }
        if !findings.insert(f.id.as_str()) {
            return Err(format!("the finding id {} is used twice", f.id));
        }
    }
    let mut suggestions = std::collections::HashSet::new();
    for s in &a.suggestions {
        if s.document_id != *doc
            || !clauses.contains(s.clause_id.as_str())
            || !suggestions.insert(s.id.as_str())
        {
            return Err(format!(
                "suggestion {} is on a clause document {doc} lacks, or is listed twice",
                s.id
            ));
        }
    }
    for w in &a.workshops {
        if w.session.document_id != *doc
            || w.judgements.iter().any(|j| j.session_id != w.session.id)
            || w.decisions.iter().any(|d| d.session_id != w.session.id)
        {
            return Err(format!(
                "workshop session {} does not belong to document {doc}",
                w.session.id
            ));
        }
    }
    if let Some(v) = &a.version {
        let link = &v.link;
        if link.document_id != *doc
            || link.number < 2
            || link.previous_id.is_none()
            || link.previous_id.as_deref() == Some(doc.as_str())
            || v.carryovers.iter().any(|c| c.document_id != *doc)
        {
            return Err(format!(
                "the version link of document {doc} does not fit the document"
            ));
        }
    }
    Ok(())
}

/// Refuses an entry that declares more than `cap` bytes, or that packs
/// far better than real content does.
fn check_size(
    name: &str,
    entry: &str,
    size: u64,
    packed: u64,
    cap: u64,
    limits: &Limits,
) -> Result<()> {
    if size > cap {
        return Err(bomb(name, entry, size));
    }
    if size > limits.ratio_floor && size / packed > limits.max_ratio {
        return Err(BundleError::Unsafe {
            name: name.to_string(),
            reason: format!(
                "its entry {entry} is compressed {}:1, far more than real content allows (a zip bomb)",
                size / packed
            ),
        });
    }
    Ok(())
}

fn bomb(name: &str, entry: &str, size: u64) -> BundleError {
    BundleError::Unsafe {
        name: name.to_string(),
        reason: format!(
            "its entry {entry} unpacks to {size} bytes or more, beyond what a bundle may hold (a zip bomb)"
        ),
    }
}

/// Reads entries with a shared budget of unpacked bytes.
struct EntryReader<'a> {
    name: &'a str,
    limits: &'a Limits,
    budget: u64,
}

impl EntryReader<'_> {
    /// One entry's bytes, at most `max` of them; `Ok(None)` when there is no such entry.
    fn read(
        &mut self,
        zip: &mut ZipArchive<Cursor<&[u8]>>,
        entry: &str,
        max: u64,
    ) -> Result<Option<Vec<u8>>> {
        let name = self.name;
        let mut file = match zip.by_name(entry) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => {
                return Err(BundleError::Damaged {
                    name: name.to_string(),
                    reason: format!("its entry {entry} cannot be read ({e})"),
                });
            }
        };
        if file.encrypted() {
            return Err(BundleError::NotABundle {
                name: name.to_string(),
                reason: format!("its entry {entry} is encrypted"),
            });
        }
        let cap = max.min(self.budget);
        let declared = file.size();
        let packed = file.compressed_size().max(1);
        check_size(name, entry, declared, packed, cap, self.limits)?;
        let mut buf = Vec::with_capacity(declared.min(16 << 20) as usize);
        // `take` guards against an entry that unpacks to more than it declares.
        let read = (&mut file)
            .take(cap + 1)
            .read_to_end(&mut buf)
            .map_err(|e| BundleError::Damaged {
                name: name.to_string(),
                reason: format!("its entry {entry} cannot be unpacked ({e})"),
            })? as u64;
        if read > cap {
            return Err(bomb(name, entry, read));
        }
        self.budget -= read;
        Ok(Some(buf))
    }
}
