//! Deleting a document, and importing a file that is already in the
//! library again as a new version of itself (a "replace").
//!
//! A deletion takes the document with everything that hangs on it — its
//! outline, findings, suggestions, workshops, version link and carry-overs,
//! corrections and verdicts — in one transaction, audited as
//! `document.delete`; the search index drops it at its next catch-up (the
//! audit event names the document). It is one undo step of the session:
//! undo writes every row back as it was (`document.restore`).

use serde::Serialize;
use ts_rs::TS;

use crate::undo::Edit;
use crate::versions::VersionReport;
use crate::{AppError, AppResult, ErrorCode, Library, sha256_hex};

/// What deleting a document takes with it, for the confirmation to say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DeletionPreview {
    pub document_id: String,
    pub title: String,
    pub file_name: String,
    pub clauses: u32,
    pub findings: u32,
    pub suggestions: u32,
    pub workshops: u32,
    /// Clauses given a verdict by hand.
    pub verdicts: u32,
    /// The version this document replaces, if it is a later version.
    pub previous_version: Option<String>,
    /// Versions that replace this one (their link to it goes).
    pub next_versions: Vec<String>,
}

impl Library {
    /// What deleting `document` would take (nothing is changed).
    pub fn deletion_preview(&self, document: &str) -> AppResult<DeletionPreview> {
        let doc = self.resolve_document(document)?;
        let outline = self.store.outline(&doc.id)?;
        Ok(DeletionPreview {
            clauses: outline.clauses.len() as u32,
            findings: self.store.findings(&doc.id)?.len() as u32,
            suggestions: self.store.suggestions(&doc.id)?.len() as u32,
            workshops: self.store.sessions(&doc.id)?.len() as u32,
            verdicts: self.store.verdicts(&doc.id)?.len() as u32,
            previous_version: self
                .store
                .version_link(&doc.id)?
                .and_then(|l| l.previous_id),
            next_versions: self.store.next_versions(&doc.id)?,
            document_id: doc.id,
            title: doc.meta.title,
            file_name: doc.source.name,
        })
    }

    /// Deletes a document with its findings, suggestions, workshops,
    /// version link, corrections and verdicts; returns what went. Audited;
    /// undo of this session puts it all back.
    pub fn delete_document(&mut self, document: &str) -> AppResult<DeletionPreview> {
        let preview = self.deletion_preview(document)?;
        let stamp = self.stamp();
        let summary = serde_json::to_value(&preview)
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        let snapshot = self
            .store
            .delete_document(&stamp, &preview.document_id, summary)?;
        self.record(Edit::DocumentDeleted {
            document_id: preview.document_id.clone(),
            snapshot: Box::new(snapshot),
        });
        Ok(preview)
    }

    /// Reads the file at `path` and imports it again as a new version of
    /// itself ([`Library::import_bytes_replacing`]).
    pub fn import_file_replacing(&mut self, path: &std::path::Path) -> AppResult<VersionReport> {
        let (name, bytes) = self.read_import_file(path)?;
        self.import_bytes_replacing(&name, &bytes)
    }

    /// Imports a file that is already in the library (the same bytes) again,
    /// read by this version's importer, as the next version of the newest
    /// version it is in, carrying the findings over. A file not yet in the
    /// library is refused (import it the ordinary way).
    pub fn import_bytes_replacing(&mut self, name: &str, bytes: &[u8]) -> AppResult<VersionReport> {
        let sha256 = sha256_hex(bytes);
        let Some(existing) = self.store.document_by_sha256(&sha256)? else {
            return Err(AppError::new(
                ErrorCode::NotFound,
                format!(
                    "{name} is not in the library yet, so there is nothing to replace; import it instead."
                ),
            ));
        };
        // The newest version of its family: follow the links forward.
        let mut newest = existing;
        let mut seen = vec![newest.clone()];
        while let Some(next) = self.store.next_versions(&newest)?.into_iter().next() {
            if seen.contains(&next) {
                break;
            }
            seen.push(next.clone());
            newest = next;
        }
        self.import_version(name, bytes, &newest, true)
    }
}
