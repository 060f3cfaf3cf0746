//! Exchange between libraries (schema 4): merging a bundle in one
//! transaction ([`Store::batch`]), the merge bases of findings, open
//! conflicts and their resolution, and backup and restore of the whole
//! library file through SQLite's online backup API.

use std::path::{Path, PathBuf};

use kryphal_domain::Passphrase;
use kryphal_domain::{
    BundleOrigin, CarryOver, Comment, Document, Finding, MergeConflict, Outline, Resolution,
    Suggestion, VersionLink, WorkshopRecord,
};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::{APPLICATION_ID, Audit, LATEST_VERSION, Result, Stamp, Store, StoreError};

/// Many changes in one transaction, each with its own audit event: either
/// all of them are stored or none. Made by [`Store::batch`].
pub struct Batch<'t> {
    pub(crate) tx: &'t Transaction<'t>,
    pub(crate) stamp: &'t Stamp,
    origin: serde_json::Value,
}

impl Batch<'_> {
    /// Records one audit event; `after` gains the origin of the change.
    pub(crate) fn audit(&self, mut audit: Audit<'_>) -> Result<()> {
        let after = match audit.after.take() {
            Some(v) => serde_json::json!({"value": v, "from": self.origin}),
            None => serde_json::json!({"from": self.origin}),
        };
        crate::insert_audit(self.tx, self.stamp, audit, Some(after))
    }

    /// A document from a bundle, with its outline and source bytes.
    pub fn insert_document(
        &self,
        doc: &Document,
        lineage: &str,
        source_bytes: &[u8],
        outline: &Outline,
    ) -> Result<()> {
        crate::insert_document_rows(self.tx, doc, lineage, source_bytes, outline)?;
        self.audit(Audit {
            action: "document.import_bundle",
            entity: "document",
            entity_id: &doc.id,
            document_id: Some(&doc.id),
            before: None,
            after: Some(serde_json::json!({
                "meta": doc.meta,
                "source": doc.source,
                "sections": outline.sections.len(),
                "clauses": outline.clauses.len(),
            })),
        })
    }

    /// A finding the library did not have.
    pub fn insert_finding(&self, f: &Finding) -> Result<()> {
        crate::insert_finding_row(self.tx, f)?;
        self.audit(Audit {
            action: "finding.merge_add",
            entity: "finding",
            entity_id: &f.id,
            document_id: Some(&f.document_id),
            before: None,
            after: Some(serde_json::to_value(f)?),
        })
    }

    /// Replaces a finding's answers and comments with `after`'s (who
    /// changed it last and when come along); its clause stays.
    pub fn replace_finding(&self, before: &Finding, after: &Finding) -> Result<()> {
        self.tx.execute(
            "UPDATE findings SET body = ?2, comments = ?3, status = ?4, updated_at = ?5, updated_by = ?6
             WHERE id = ?1",
            params![
                before.id,
                serde_json::to_string(&after.input)?,
                serde_json::to_string(&after.comments)?,
                after.input.status.as_str(),
                after.updated_at,
                after.updated_by,
            ],
        )?;
        self.audit(Audit {
            action: "finding.merge_update",
            entity: "finding",
            entity_id: &before.id,
            document_id: Some(&before.document_id),
            before: Some(serde_json::to_value(&before.input)?),
            after: Some(serde_json::to_value(&after.input)?),
        })
    }

    /// Adds comments written elsewhere to a finding (`all` is the whole new list).
    pub fn merge_comments(&self, f: &Finding, added: &[Comment], all: &[Comment]) -> Result<()> {
        self.tx.execute(
            "UPDATE findings SET comments = ?2 WHERE id = ?1",
            params![f.id, serde_json::to_string(all)?],
        )?;
        self.audit(Audit {
            action: "finding.merge_comments",
            entity: "finding",
            entity_id: &f.id,
            document_id: Some(&f.document_id),
            before: None,
            after: Some(serde_json::to_value(added)?),
        })
    }

    /// A suggestion the library did not have, or a decision on one that is
    /// still open here (`before`).
    pub fn put_suggestion(&self, before: Option<&Suggestion>, s: &Suggestion) -> Result<()> {
        self.tx.execute(
            "INSERT INTO suggestions (id, document_id, clause_id, rule_id, body) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET body = excluded.body",
            params![
                s.id,
                s.document_id,
                s.clause_id,
                s.rule_id,
                serde_json::to_string(s)?
            ],
        )?;
        self.audit(Audit {
            action: "suggestion.merge",
            entity: "suggestion",
            entity_id: &s.id,
            document_id: Some(&s.document_id),
            before: before.map(|b| serde_json::to_value(&b.state)).transpose()?,
            after: Some(serde_json::to_value(&s.state)?),
        })
    }

    /// A workshop session's judgements and decisions that the library lacks
    /// (the session itself too when it is new; a session closed there is
    /// closed here). Entries the library already has are kept as they are.
    /// Returns how many entries were added.
    pub fn merge_workshop(&self, record: &WorkshopRecord) -> Result<usize> {
        let s = &record.session;
        let mut added = self.tx.execute(
            "INSERT INTO workshop_sessions (id, document_id, title, held_on, attendees, started_at, started_by, ended_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO NOTHING",
            params![
                s.id,
                s.document_id,
                s.title,
                s.held_on,
                serde_json::to_string(&s.attendees)?,
                s.started_at,
                s.started_by,
                s.ended_at
            ],
        )?;
        if s.ended_at.is_some() {
            added += self.tx.execute(
                "UPDATE workshop_sessions SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL",
                params![s.id, s.ended_at],
            )?;
        }
        for j in &record.judgements {
            added += self.tx.execute(
                "INSERT INTO workshop_judgements (session_id, finding_id, likelihood, impact, note, at, by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
                params![j.session_id, j.finding_id, j.likelihood, j.impact, j.note, j.at, j.by],
            )?;
        }
        for d in &record.decisions {
            added += self.tx.execute(
                "INSERT INTO workshop_decisions (session_id, clause_id, decision, dissent, at, by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                params![
                    d.session_id,
                    d.clause_id,
                    d.decision.as_str(),
                    d.dissent,
                    d.at,
                    d.by
                ],
            )?;
        }
        if added > 0 {
            self.audit(Audit {
                action: "workshop.merge",
                entity: "workshop",
                entity_id: &s.id,
                document_id: Some(&s.document_id),
                before: None,
                after: Some(serde_json::json!({"entries": added})),
            })?;
        }
        Ok(added)
    }

    /// Keeps both versions of a finding edited on both sides.
    pub fn insert_conflict(&self, c: &MergeConflict, theirs_revision: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO merge_conflicts (id, document_id, finding_id, mine, theirs, theirs_revision,
                origin, created_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                c.id,
                c.document_id,
                c.finding_id,
                c.mine.as_ref().map(serde_json::to_string).transpose()?,
                serde_json::to_string(&c.theirs)?,
                theirs_revision,
                serde_json::to_string(&c.origin)?,
                self.stamp.at,
                self.stamp.actor,
            ],
        )?;
        self.audit(Audit {
            action: "finding.conflict",
            entity: "finding",
            entity_id: &c.finding_id,
            document_id: Some(&c.document_id),
            before: c
                .mine
                .as_ref()
                .map(|m| serde_json::to_value(&m.input))
                .transpose()?,
            after: Some(serde_json::json!({"conflict": c.id, "theirs": c.theirs.input})),
        })
    }

    /// Restores a document's link to the version it replaces, with the rows
    /// that say what became of that version's findings.
    pub fn insert_version_link(&self, link: &VersionLink, carryovers: &[CarryOver]) -> Result<()> {
        crate::versions::insert_link(self.tx, link)?;
        crate::versions::insert_carryovers(self.tx, carryovers)?;
        self.audit(Audit {
            action: "document.version_link",
            entity: "document",
            entity_id: &link.document_id,
            document_id: Some(&link.document_id),
            before: None,
            after: Some(serde_json::json!({
                "previous_id": link.previous_id,
                "family_id": link.family_id,
                "number": link.number,
                "carryovers": carryovers.len(),
            })),
        })
    }

    /// Records `base` as the revision of a finding last exchanged.
    pub fn set_sync_base(&self, finding_id: &str, base: &str) -> Result<()> {
        set_sync_base(self.tx, finding_id, base)
    }

    /// One summary event for the whole import.
    pub fn summary(&self, entity_id: &str, summary: serde_json::Value) -> Result<()> {
        self.audit_event("bundle.import", entity_id, summary)
    }

    /// An event about a whole bundle (`bundle.import`, `bundle.export`),
    /// named by its file.
    pub fn audit_event(
        &self,
        action: &str,
        entity_id: &str,
        value: serde_json::Value,
    ) -> Result<()> {
        self.audit(Audit {
            action,
            entity: "bundle",
            entity_id,
            document_id: None,
            before: None,
            after: Some(value),
        })
    }
}

fn set_sync_base(tx: &Transaction<'_>, finding_id: &str, base: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO finding_sync (finding_id, base) VALUES (?1, ?2)
         ON CONFLICT (finding_id) DO UPDATE SET base = excluded.base",
        params![finding_id, base],
    )?;
    Ok(())
}

/// What a library file holds, as checked before a restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryFileInfo {
    pub schema: i64,
    pub documents: u64,
}

const CONFLICT_COLUMNS: &str =
    "id, document_id, finding_id, mine, theirs, origin, created_at, created_by,
    resolved_at, resolved_by, resolution";

type ConflictRow = (
    MergeConflict,
    Option<String>,
    String,
    String,
    Option<String>,
);

fn row_to_conflict(r: &rusqlite::Row<'_>) -> rusqlite::Result<ConflictRow> {
    let placeholder = Finding {
        id: String::new(),
        document_id: String::new(),
        clause_id: String::new(),
        input: Default::default(),
        risk_level: None,
        comments: Vec::new(),
        suggestion_id: None,
        created_at: String::new(),
        created_by: String::new(),
        updated_at: String::new(),
        updated_by: String::new(),
    };
    Ok((
        MergeConflict {
            id: r.get(0)?,
            document_id: r.get(1)?,
            finding_id: r.get(2)?,
            mine: None,
            theirs: placeholder,
            origin: BundleOrigin::default(),
            created_at: r.get(6)?,
            created_by: r.get(7)?,
            resolved_at: r.get(8)?,
            resolved_by: r.get(9)?,
            resolution: None,
        },
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(10)?,
    ))
}

fn decode_conflict(row: ConflictRow) -> Result<MergeConflict> {
    let (mut c, mine, theirs, origin, resolution) = row;
    c.mine = mine.map(|m| serde_json::from_str(&m)).transpose()?;
    c.theirs = serde_json::from_str(&theirs)?;
    c.origin = serde_json::from_str(&origin)?;
    c.resolution = resolution.as_deref().and_then(Resolution::parse);
    Ok(c)
}

impl Store {
    /// Runs `f` with a [`Batch`] in one transaction: every change it makes
    /// is audited with `origin`, and either all are stored or none.
    pub fn batch<T>(
        &mut self,
        stamp: &Stamp,
        origin: &BundleOrigin,
        f: impl FnOnce(&Batch<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self.conn.transaction()?;
        let out = {
            let batch = Batch {
                tx: &tx,
                stamp,
                origin: serde_json::to_value(origin)?,
            };
            f(&batch)?
        };
        tx.commit()?;
        Ok(out)
    }

    /// The revision of a finding last exchanged, if it ever was.
    pub fn sync_base(&self, finding_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT base FROM finding_sync WHERE finding_id = ?1",
                [finding_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Whether a finding with this id was deleted in this library.
    pub fn finding_deleted(&self, finding_id: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM audit WHERE entity = 'finding' AND entity_id = ?1 AND action = 'finding.delete'
                 UNION ALL
                 SELECT 1 FROM audit WHERE action = 'suggestion.unaccept' AND json_extract(before, '$.id') = ?1
                 LIMIT 1",
                [finding_id],
                |_| Ok(()),
            )
            .optional()?
            .is_some()
            && self.finding(finding_id).is_err())
    }

    /// The conflicts, open ones only unless `all`; oldest first.
    pub fn conflicts(&self, all: bool) -> Result<Vec<MergeConflict>> {
        self.conflict_rows(
            "merge_conflicts",
            CONFLICT_COLUMNS,
            all,
            row_to_conflict,
            decode_conflict,
        )
    }

    /// One conflict.
    pub fn conflict(&self, id: &str) -> Result<MergeConflict> {
        self.conflict_row(
            "merge_conflicts",
            CONFLICT_COLUMNS,
            id,
            row_to_conflict,
            decode_conflict,
        )
    }

    /// The conflicts of one kind (`table`), open ones only unless `all`,
    /// oldest first: each row read by `read` and decoded by `decode`.
    pub(crate) fn conflict_rows<R, T>(
        &self,
        table: &str,
        columns: &str,
        all: bool,
        read: fn(&rusqlite::Row<'_>) -> rusqlite::Result<R>,
        decode: fn(R) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {columns} FROM {table}
             WHERE ?1 OR resolved_at IS NULL ORDER BY created_at, id"
        ))?;
        let rows = stmt
            .query_map([all], read)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(decode).collect()
    }

    /// One conflict of one kind (`table`) by its id.
    pub(crate) fn conflict_row<R, T>(
        &self,
        table: &str,
        columns: &str,
        id: &str,
        read: fn(&rusqlite::Row<'_>) -> rusqlite::Result<R>,
        decode: fn(R) -> Result<T>,
    ) -> Result<T> {
        let row = self
            .conn
            .query_row(
                &format!("SELECT {columns} FROM {table} WHERE id = ?1"),
                [id],
                read,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "Conflict",
                id: id.to_string(),
            })?;
        decode(row)
    }

    /// Whether an open conflict already holds this revision of the bundle's finding.
    pub fn open_conflict_with(&self, finding_id: &str, theirs_revision: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM merge_conflicts WHERE finding_id = ?1 AND theirs_revision = ?2
                 AND resolved_at IS NULL",
                [finding_id, theirs_revision],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Settles a conflict: `result` is the finding to keep (`None`: it stays
    /// deleted). The finding is written (or re-created), the conflict is
    /// marked resolved and the bundle's revision becomes the merge base, in
    /// one transaction with one audit event.
    pub fn resolve_conflict(
        &mut self,
        stamp: &Stamp,
        id: &str,
        resolution: Resolution,
        result: Option<&Finding>,
    ) -> Result<MergeConflict> {
        let conflict = self.conflict(id)?;
        if conflict.resolved_at.is_some() {
            return Err(StoreError::Closed {
                what: "The conflict",
                id: id.to_string(),
            });
        }
        let current = self.finding(&conflict.finding_id).ok();
        let theirs_revision: String = self.conn.query_row(
            "SELECT theirs_revision FROM merge_conflicts WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        self.write(
            stamp,
            Audit {
                action: "finding.resolve",
                entity: "finding",
                entity_id: &conflict.finding_id,
                document_id: Some(&conflict.document_id),
                before: current
                    .as_ref()
                    .map(|f| serde_json::to_value(&f.input))
                    .transpose()?,
                after: Some(serde_json::json!({
                    "conflict": id,
                    "resolution": resolution,
                    "value": result.map(|f| &f.input),
                    "from": conflict.origin,
                })),
            },
            |tx| {
                match (result, &current) {
                    (Some(f), Some(_)) => {
                        tx.execute(
                            "UPDATE findings SET body = ?2, comments = ?3, status = ?4, updated_at = ?5, updated_by = ?6
                             WHERE id = ?1",
                            params![
                                f.id,
                                serde_json::to_string(&f.input)?,
                                serde_json::to_string(&f.comments)?,
                                f.input.status.as_str(),
                                f.updated_at,
                                f.updated_by,
                            ],
                        )?;
                    }
                    (Some(f), None) => crate::insert_finding_row(tx, f)?,
                    (None, Some(f)) => {
                        tx.execute("DELETE FROM findings WHERE id = ?1", [&f.id])?;
                    }
                    (None, None) => {}
                }
                tx.execute(
                    "UPDATE merge_conflicts SET resolved_at = ?2, resolved_by = ?3, resolution = ?4 WHERE id = ?1",
                    params![id, stamp.at, stamp.actor, resolution.as_str()],
                )?;
                set_sync_base(tx, &conflict.finding_id, &theirs_revision)
            },
        )?;
        self.conflict(id)
    }

    /// Writes a consistent copy of the library to `dest` (a new file) with
    /// SQLite's online backup API, while the library stays open; the copy
    /// is a plain (rollback-journal) file, checked with `integrity_check`.
    ///
    /// The backup of an encrypted library is encrypted with the same
    /// passphrase (SQLCipher copies pages only between databases with the
    /// same key), so no plaintext copy is ever written.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let mut out = Connection::open(dest)?;
        if let Some(key) = &self.key {
            crate::apply_key(&out, key)?;
        }
        {
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
            backup.run_to_completion(256, std::time::Duration::from_millis(5), None)?;
        }
        out.pragma_update(None, "journal_mode", "DELETE")?;
        let check: String = out.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(StoreError::NotADatabase {
                path: dest.to_path_buf(),
                maybe_encrypted: false,
            });
        }
        Ok(())
    }

    /// Checks that `path` is a whole Kryphål library this version can open:
    /// ours by `application_id`, not from a newer schema, and passing
    /// SQLite's `integrity_check`. `path` may be modified (pass a copy).
    /// `key` is the passphrase it must be encrypted with (`None`: it must
    /// be unencrypted).
    pub fn check_library_file(path: &Path, key: Option<&Passphrase>) -> Result<LibraryFileInfo> {
        let kind = crate::FileKind::of(path);
        match (kind, key) {
            (crate::FileKind::Plain, Some(_)) => {
                return Err(StoreError::NotEncrypted {
                    path: path.to_path_buf(),
                });
            }
            (crate::FileKind::Missing | crate::FileKind::Other, _) => {
                return Err(StoreError::NotADatabase {
                    path: path.to_path_buf(),
                    maybe_encrypted: false,
                });
            }
            _ => {}
        }
        let bad = || match key {
            Some(_) => StoreError::WrongPassphrase {
                path: path.to_path_buf(),
            },
            None => StoreError::NotADatabase {
                path: path.to_path_buf(),
                maybe_encrypted: kind == crate::FileKind::Encrypted,
            },
        };
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|_| bad())?;
        if let Some(key) = key {
            crate::apply_key(&conn, key).map_err(|_| bad())?;
        }
        let probe = || -> rusqlite::Result<(i32, i64, String)> {
            Ok((
                conn.pragma_query_value(None, "application_id", |r| r.get(0))?,
                conn.pragma_query_value(None, "user_version", |r| r.get(0))?,
                conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?,
            ))
        };
        let (app_id, schema, check) = probe().map_err(|_| bad())?;
        if app_id != APPLICATION_ID {
            return Err(StoreError::Foreign {
                path: path.to_path_buf(),
            });
        }
        if schema > LATEST_VERSION {
            return Err(StoreError::NewerSchema {
                path: path.to_path_buf(),
                found: schema,
                supported: LATEST_VERSION,
            });
        }
        let damaged = || StoreError::NotADatabase {
            path: path.to_path_buf(),
            maybe_encrypted: false,
        };
        if check != "ok" {
            return Err(damaged());
        }
        let documents: i64 = conn
            .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
            .map_err(|_| damaged())?;
        // A library in WAL mode could not be read by a read-only connection
        // without its shared-memory file: make the copy a plain file.
        conn.pragma_update(None, "journal_mode", "DELETE")
            .map_err(|_| damaged())?;
        Ok(LibraryFileInfo {
            schema,
            documents: u64::try_from(documents).unwrap_or(0),
        })
    }

    /// Replaces the whole library with the library file at `source` (checked
    /// with [`Store::check_library_file`] first), through the backup API
    /// into this connection: SQLite copies every page in one step under a
    /// write lock, so the library holds either its old content or the whole
    /// restored one. An older schema is migrated afterwards.
    pub fn replace_with(&mut self, source: &Path) -> Result<LibraryFileInfo> {
        let info = Self::check_library_file(source, self.key.as_ref())?;
        let from = Connection::open_with_flags(
            source,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        if let Some(key) = &self.key {
            crate::apply_key(&from, key)?;
        }
        {
            let restore = rusqlite::backup::Backup::new(&from, &mut self.conn)?;
            match restore.step(-1)? {
                rusqlite::backup::StepResult::Done => {}
                _ => {
                    return Err(StoreError::ReadOnly {
                        path: self.path.clone(),
                        reason: "another program is using the library; close it and try again."
                            .into(),
                    });
                }
            }
        }
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        crate::migrations::migrate(&mut self.conn)?;
        Ok(info)
    }

    /// A path beside the library that does not exist yet: `<library>.<tag>-<stamp>[-n].kryphal`.
    pub fn sibling_path(&self, tag: &str, stamp: &str) -> PathBuf {
        let base = self.path.with_extension("");
        let mut n = 0;
        loop {
            let suffix = if n == 0 {
                String::new()
            } else {
                format!("-{n}")
            };
            let mut name = base.as_os_str().to_owned();
            name.push(format!(".{tag}-{stamp}{suffix}.kryphal"));
            let candidate = PathBuf::from(name);
            if !candidate.exists() {
                return candidate;
            }
            n += 1;
        }
    }
}
