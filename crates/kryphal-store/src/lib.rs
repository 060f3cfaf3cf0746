//! # kryphal-store
//!
//! A Kryphål *library* is one SQLite file. This crate opens it (creating it
//! when missing), applies the forward-only migrations in `migrations/`,
//! refuses a file written by a newer Kryphål or a file that is not a Kryphål
//! library at all — without writing a byte to it — and offers one function
//! per change, each of which commits the change together with its audit
//! event in a single transaction.
//!
//! Invariants:
//! - Only this crate speaks SQL.
//! - Every write goes through [`Store::write`], which records an
//!   [`AuditEvent`](kryphal_domain::AuditEvent) in the same transaction.
//! - The schema version is SQLite's `user_version`; the file is marked with
//!   `application_id` so that other SQLite files are recognised as foreign.

use std::path::{Path, PathBuf};

use kryphal_domain::{
    AuditEvent, Clause, ClauseKind, Comment, Document, DocumentMeta, Finding, FindingInput,
    Outline, Passphrase, RulebookRef, Section, SourceFile, SourceFormat, Suggestion,
    SuggestionState,
};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};

mod exchange;
mod migrations;
mod outline;
mod records;
mod removal;
mod review;
mod verdicts;
mod versions;
mod workshop;

pub use exchange::{Batch, LibraryFileInfo};
pub use outline::{OutlineDiff, OutlineWrite};
pub use removal::DocumentSnapshot;
pub use review::ReviewChange;
pub use verdicts::VerdictChange;
pub use versions::{NewDocument, NewVersion, VersionUndo};

pub use migrations::LATEST_VERSION;

/// `KRYP` in ASCII: marks a SQLite file as a Kryphål library.
pub const APPLICATION_ID: i32 = 0x4B52_5950;

/// Errors of the library file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The library was written by a newer version of Kryphål.
    #[error(
        "the library {path} was written by a newer version of Kryphål (schema {found}, this version knows {supported}); update Kryphål to open it. The file was not changed."
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// The file exists but is not an SQLite database, or is damaged — or,
    /// when `maybe_encrypted`, it may be an encrypted library opened
    /// without its passphrase (without the key the two look the same).
    #[error("{}", not_a_database(path, *maybe_encrypted))]
    NotADatabase {
        path: PathBuf,
        maybe_encrypted: bool,
    },
    /// The passphrase does not open the encrypted library.
    #[error(
        "The passphrase is wrong: {path} could not be unlocked with it (check the passphrase and try again). The file was not changed."
    )]
    WrongPassphrase { path: PathBuf },
    /// A passphrase was given for a library that is not encrypted.
    #[error(
        "{path} is not an encrypted library: open it without a passphrase. The file was not changed."
    )]
    NotEncrypted { path: PathBuf },
    /// An empty passphrase was given.
    #[error("An empty passphrase cannot protect a library: type the passphrase.")]
    EmptyPassphrase,
    /// The file is an SQLite database of some other program.
    #[error(
        "{path} is a database of another program, not a Kryphål library. The file was not changed."
    )]
    Foreign { path: PathBuf },
    /// The library or its folder cannot be written.
    #[error("the library {path} cannot be written: {reason}")]
    ReadOnly { path: PathBuf, reason: String },
    /// The path names a folder, not a file.
    #[error("{path} is a folder; give the path of a library file instead.")]
    IsDirectory { path: PathBuf },
    /// A record that should exist does not.
    #[error("{what} {id} was not found in the library.")]
    NotFound { what: &'static str, id: String },
    /// The record is closed to further changes.
    #[error("{what} {id} is closed; open a new one to record more.")]
    Closed { what: &'static str, id: String },
    /// A row is not as the change expected: something else changed it meanwhile.
    #[error(
        "{what} {id} was changed meanwhile (by another window or program), so this change was not made; reload and try again."
    )]
    Stale { what: &'static str, id: String },
    /// Stored JSON could not be read back.
    #[error("the library holds data this version cannot read ({0}).")]
    Data(#[from] serde_json::Error),
    /// Any other SQLite failure.
    #[error("the library could not be read or written: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

fn not_a_database(path: &Path, maybe_encrypted: bool) -> String {
    if maybe_encrypted {
        format!(
            "{} is an encrypted library, or is not a Kryphål library at all (damaged or not a database): an encrypted library opens only with its passphrase. The file was not changed.",
            path.display()
        )
    } else {
        format!(
            "{} is not a Kryphål library: the file is damaged or is not a database. The file was not changed.",
            path.display()
        )
    }
}

/// What a library file on disk is, judged from its first bytes without
/// opening it (nothing is written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// No file yet (or an empty one): opening creates the library.
    Missing,
    /// An SQLite file without encryption (it starts with SQLite's header).
    Plain,
    /// No SQLite header, and whole pages: an encrypted library (SQLCipher
    /// leaves no plaintext, not even the header) — or random bytes. Only a
    /// passphrase tells them apart.
    Encrypted,
    /// No SQLite header and not whole pages: no database at all.
    Other,
}

/// The first 16 bytes of every unencrypted SQLite file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

impl FileKind {
    /// Looks at the file at `path`.
    pub fn of(path: &Path) -> FileKind {
        use std::io::Read;
        let Ok(mut file) = std::fs::File::open(path) else {
            return FileKind::Missing;
        };
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut head = [0u8; 16];
        let mut read = 0;
        while read < head.len() {
            match file.read(&mut head[read..]) {
                Ok(0) | Err(_) => break,
                Ok(n) => read += n,
            }
        }
        if read == 0 {
            FileKind::Missing
        } else if read == head.len() && &head == SQLITE_HEADER {
            FileKind::Plain
        } else if len >= 512 && len % 512 == 0 {
            // SQLCipher writes whole pages (512 to 65,536 bytes each).
            FileKind::Encrypted
        } else {
            FileKind::Other
        }
    }
}

/// SQLCipher logs its own errors (a wrong key: "error decrypting page 1")
/// to stderr by default; Kryphål reports them in its own sentences. The
/// setting is process-wide, made once on a connection of its own.
fn quiet_sqlcipher() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if let Ok(c) = Connection::open_in_memory() {
            let _ = c.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()));
        }
    });
}

/// Gives `conn` the library's key: SQLCipher's `PRAGMA key`, which must come
/// before any other statement on the connection. The statement text is
/// wiped after use. Encrypted libraries keep temporary tables in memory.
fn apply_key(conn: &Connection, key: &Passphrase) -> rusqlite::Result<()> {
    keyed_pragma(conn, "key", key)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

/// Runs `PRAGMA name = 'passphrase'` (`key` or `rekey`), quoting the
/// passphrase, and wipes the statement's text afterwards.
fn keyed_pragma(conn: &Connection, name: &str, key: &Passphrase) -> rusqlite::Result<()> {
    quiet_sqlcipher();
    let text = key.expose();
    let mut sql = zeroize::Zeroizing::new(String::with_capacity(text.len() * 2 + 20));
    sql.push_str("PRAGMA ");
    sql.push_str(name);
    sql.push_str(" = '");
    for c in text.chars() {
        if c == '\'' {
            sql.push('\'');
        }
        sql.push(c);
    }
    sql.push('\'');
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while rows.next()?.is_some() {}
    Ok(())
}

impl StoreError {
    /// Whether the change failed because the disk holding the library is full.
    pub fn is_disk_full(&self) -> bool {
        matches!(self, StoreError::Sqlite(e) if sqlite_code(e) == Some(rusqlite::ErrorCode::DiskFull))
    }

    /// Whether the change failed on a uniqueness constraint: another
    /// writer stored the same record first (the same file imported by two
    /// processes at once).
    pub fn is_constraint_violation(&self) -> bool {
        matches!(self, StoreError::Sqlite(e) if sqlite_code(e) == Some(rusqlite::ErrorCode::ConstraintViolation))
    }
}

/// Who makes a change, and when (RFC 3339 UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub actor: String,
    pub at: String,
}

/// One event to record with a change.
pub struct Audit<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub document_id: Option<&'a str>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// An open library file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The passphrase of an encrypted library (kept for backups and for
    /// the search index's own connection; wiped on drop).
    key: Option<Passphrase>,
}

fn sqlite_code(e: &rusqlite::Error) -> Option<rusqlite::ErrorCode> {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    }
}

impl Store {
    /// Opens the unencrypted library at `path`, creating it (and its
    /// folder) when missing.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with(path, None)
    }

    /// Opens the library at `path` with its passphrase (`None`: an
    /// unencrypted library), creating it (and its folder) when missing — an
    /// encrypted one when a passphrase is given. The key is given to SQLCipher
    /// before anything else and checked right away by a read: a wrong
    /// passphrase is [`StoreError::WrongPassphrase`], a passphrase for an
    /// unencrypted library [`StoreError::NotEncrypted`], no passphrase for
    /// an encrypted one [`StoreError::NotADatabase`] with `maybe_encrypted`.
    pub fn open_with(path: &Path, key: Option<&Passphrase>) -> Result<Store> {
        let path = path.to_path_buf();
        if path.is_dir() {
            return Err(StoreError::IsDirectory { path });
        }
        if key.is_some_and(Passphrase::is_empty) {
            return Err(StoreError::EmptyPassphrase);
        }
        let kind = FileKind::of(&path);
        match (key, kind) {
            (Some(_), FileKind::Plain) => return Err(StoreError::NotEncrypted { path }),
            (Some(_), FileKind::Other) => {
                return Err(StoreError::NotADatabase {
                    path,
                    maybe_encrypted: false,
                });
            }
            _ => {}
        }
        if let Some(parent) = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty() && !p.exists())
        {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::ReadOnly {
                path: path.clone(),
                reason: format!("its folder {} cannot be created ({e}).", parent.display()),
            })?;
        }
        // Processes opening a library that another is creating or migrating
        // at that moment: the busy timeout covers most waits, but SQLite
        // answers "locked" at once where waiting could deadlock (a file
        // turning to WAL under a reader, a read upgraded to a write). Such
        // an open starts again from the file, for a few seconds at most.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match Self::open_file(&path, key, kind) {
                Err(StoreError::Sqlite(e))
                    if matches!(
                        sqlite_code(&e),
                        Some(
                            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                        )
                    ) && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                opened => return opened,
            }
        }
    }

    /// One attempt of [`Store::open_with`] on a file whose kind is known.
    fn open_file(path: &Path, key: Option<&Passphrase>, kind: FileKind) -> Result<Store> {
        let path = path.to_path_buf();
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| match sqlite_code(&e) {
            Some(rusqlite::ErrorCode::CannotOpen) => StoreError::ReadOnly {
                path: path.clone(),
                reason: "the file cannot be created or opened there (check that the folder exists and is writable).".into(),
            },
            _ => StoreError::Sqlite(e),
        })?;
        if let Some(key) = key {
            apply_key(&conn, key).map_err(StoreError::Sqlite)?;
        }
        // Before the first read: another process creating or migrating the
        // same file holds a lock for a moment, which is waited for.
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(StoreError::Sqlite)?;
        let classify = |e: rusqlite::Error, path: &Path| match sqlite_code(&e) {
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
                if key.is_some() {
                    StoreError::WrongPassphrase {
                        path: path.to_path_buf(),
                    }
                } else {
                    StoreError::NotADatabase {
                        path: path.to_path_buf(),
                        maybe_encrypted: kind == FileKind::Encrypted,
                    }
                }
            }
            // A library in WAL mode on a read-only disk: SQLite cannot create
            // the files beside it that even reading needs.
            Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly) => {
                StoreError::ReadOnly {
                    path: path.to_path_buf(),
                    reason: "the file or its folder is read-only.".into(),
                }
            }
            _ => StoreError::Sqlite(e),
        };
        // Read-only look first: nothing below writes until the file is known to be ours.
        // The three reads share one read transaction: another process creating the
        // same library may commit between two separate reads, and an empty header
        // read before its commit with its tables read after looks like a stranger.
        let (app_id, version, tables): (i32, i64, i64) = (|| {
            let tx = conn.unchecked_transaction()?;
            let read = (
                tx.pragma_query_value(None, "application_id", |r| r.get(0))?,
                tx.pragma_query_value(None, "user_version", |r| r.get(0))?,
                tx.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?,
            );
            tx.commit()?;
            Ok(read)
        })()
        .map_err(|e| classify(e, &path))?;
        let fresh = tables == 0 && version == 0;
        if !fresh && app_id != APPLICATION_ID {
            return Err(StoreError::Foreign { path });
        }
        if version > LATEST_VERSION {
            return Err(StoreError::NewerSchema {
                path,
                found: version,
                supported: LATEST_VERSION,
            });
        }
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(StoreError::ReadOnly {
                path,
                reason: "the file is read-only.".into(),
            });
        }
        let setup = || -> rusqlite::Result<()> {
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            // FULL: each commit reaches the disk before the call returns, so
            // an edit the app has reported as saved survives a power cut too,
            // not only a crash of the app (NORMAL may lose the last commits).
            conn.pragma_update(None, "synchronous", "FULL")?;
            conn.pragma_update(None, "foreign_keys", "ON")?;
            Ok(())
        };
        setup().map_err(|e| match sqlite_code(&e) {
            Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen) => {
                StoreError::ReadOnly {
                    path: path.clone(),
                    reason: "the file or its folder is read-only.".into(),
                }
            }
            _ => classify(e, &path),
        })?;
        let mut store = Store {
            conn,
            path,
            key: key.cloned(),
        };
        migrations::migrate(&mut store.conn).map_err(|e| match sqlite_code(&e) {
            Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly {
                path: store.path.clone(),
                reason: "the file or its folder is read-only.".into(),
            },
            _ => StoreError::Sqlite(e),
        })?;
        Ok(store)
    }

    /// The library file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the library is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// The passphrase the library was opened with (`None`: unencrypted),
    /// for a second connection to the same library.
    pub fn passphrase(&self) -> Option<&Passphrase> {
        self.key.as_ref()
    }

    /// Changes the passphrase of an encrypted library: SQLCipher's `PRAGMA
    /// rekey` rewrites every page with the new key in one transaction (in
    /// rollback-journal mode, after a checkpoint, so that no page stays
    /// under the old key in the write-ahead log; the journal keeps the old
    /// key, so a crash leaves the library whole under the old passphrase).
    /// Audited as `library.passphrase`, without either passphrase. Needs
    /// the library to be open nowhere else.
    pub fn change_passphrase(&mut self, stamp: &Stamp, new: &Passphrase) -> Result<()> {
        if self.key.is_none() {
            return Err(StoreError::NotEncrypted {
                path: self.path.clone(),
            });
        }
        if new.is_empty() {
            return Err(StoreError::EmptyPassphrase);
        }
        let busy = |e: rusqlite::Error| match sqlite_code(&e) {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::ReadOnly {
                    path: self.path.clone(),
                    reason: "another program has the library open; close it and try again.".into(),
                }
            }
            _ => StoreError::Sqlite(e),
        };
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(busy)?;
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .map_err(busy)?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(busy(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                None,
            )));
        }
        let rekeyed = keyed_pragma(&self.conn, "rekey", new);
        let back = self.conn.pragma_update(None, "journal_mode", "WAL");
        rekeyed.map_err(busy)?;
        back?;
        self.key = Some(new.clone());
        self.write(
            stamp,
            Audit {
                action: "library.passphrase",
                entity: "library",
                entity_id: "passphrase",
                document_id: None,
                before: None,
                after: None,
            },
            |_| Ok(()),
        )
    }

    /// Runs `f` in one transaction and records `audit` in it.
    fn write<T>(
        &mut self,
        stamp: &Stamp,
        audit: Audit<'_>,
        f: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self.conn.transaction()?;
        let out = f(&tx)?;
        let after = audit.after.clone();
        insert_audit(&tx, stamp, audit, after)?;
        tx.commit()?;
        Ok(out)
    }

    /// A value from the library's own key/value table.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM library_meta WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Sets a value in the library's key/value table (audited).
    pub fn set_setting(&mut self, stamp: &Stamp, key: &str, value: &str) -> Result<()> {
        let before = self.setting(key)?;
        self.write(
            stamp,
            Audit {
                action: "library.setting",
                entity: "library",
                entity_id: key,
                document_id: None,
                before: before.map(serde_json::Value::String),
                after: Some(serde_json::Value::String(value.to_string())),
            },
            |tx| {
                tx.execute(
                    "INSERT INTO library_meta (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![key, value],
                )?;
                Ok(())
            },
        )
    }

    /// Stores a newly imported document with its outline and original bytes.
    pub fn insert_document(
        &mut self,
        stamp: &Stamp,
        doc: &Document,
        lineage: &str,
        source_bytes: &[u8],
        outline: &Outline,
    ) -> Result<()> {
        let after = import_summary(doc, outline);
        self.write(
            stamp,
            Audit {
                action: "document.import",
                entity: "document",
                entity_id: &doc.id,
                document_id: Some(&doc.id),
                before: None,
                after: Some(after),
            },
            |tx| insert_document_rows(tx, doc, lineage, source_bytes, outline),
        )
    }

    /// Stores a newly imported document together with its first screening:
    /// the document, its outline and the rulebook's open suggestions in one
    /// transaction, audited as `document.import` then `document.screen`. A
    /// crash leaves either the screened document or nothing. Returns the
    /// number of open suggestions stored.
    #[allow(clippy::too_many_arguments)]
    pub fn insert_screened_document(
        &mut self,
        stamp: &Stamp,
        doc: &Document,
        lineage: &str,
        source_bytes: &[u8],
        outline: &Outline,
        rulebook: &RulebookRef,
        suggestions: &[Suggestion],
    ) -> Result<usize> {
        let tx = self.conn.transaction()?;
        insert_document_rows(&tx, doc, lineage, source_bytes, outline)?;
        let imported = import_summary(doc, outline);
        insert_audit(
            &tx,
            stamp,
            Audit {
                action: "document.import",
                entity: "document",
                entity_id: &doc.id,
                document_id: Some(&doc.id),
                before: None,
                after: None,
            },
            Some(imported),
        )?;
        insert_suggestion_rows(&tx, suggestions)?;
        insert_audit(
            &tx,
            stamp,
            Audit {
                action: "document.screen",
                entity: "document",
                entity_id: &doc.id,
                document_id: Some(&doc.id),
                before: None,
                after: None,
            },
            Some(serde_json::json!({
                "rulebook": rulebook,
                "open_suggestions": suggestions.len(),
            })),
        )?;
        tx.commit()?;
        Ok(suggestions.len())
    }

    /// Stores a whole analysis read from its JSON export — the document, its
    /// outline, findings (with comments) and suggestions (with their
    /// decisions) exactly as given — in one transaction with one audit
    /// event. Either all of it is stored or none of it.
    #[allow(clippy::too_many_arguments)]
    pub fn insert_analysis(
        &mut self,
        stamp: &Stamp,
        doc: &Document,
        lineage: &str,
        source_bytes: &[u8],
        outline: &Outline,
        findings: &[Finding],
        suggestions: &[Suggestion],
    ) -> Result<()> {
        let after = serde_json::json!({
            "meta": doc.meta,
            "source": doc.source,
            "sections": outline.sections.len(),
            "clauses": outline.clauses.len(),
            "findings": findings.len(),
            "suggestions": suggestions.len(),
        });
        self.write(
            stamp,
            Audit {
                action: "document.import_analysis",
                entity: "document",
                entity_id: &doc.id,
                document_id: Some(&doc.id),
                before: None,
                after: Some(after),
            },
            |tx| {
                insert_document_rows(tx, doc, lineage, source_bytes, outline)?;
                for f in findings {
                    insert_finding_row(tx, f)?;
                }
                insert_suggestion_rows(tx, suggestions)?;
                Ok(())
            },
        )
    }

    /// Splits a clause in two. The clause keeps its id, its findings and
    /// `first_text`; `second` is inserted right after it (its `position` is
    /// set here) and every later section and clause moves down one place.
    pub fn split_clause(
        &mut self,
        stamp: &Stamp,
        doc_id: &str,
        clause_id: &str,
        first_text: &str,
        second: &Clause,
    ) -> Result<Clause> {
        let before = self.clause(doc_id, clause_id)?;
        let mut second = second.clone();
        second.position = before.position + 1;
        second.section_id = before.section_id.clone();
        let after = serde_json::json!({"first": first_text, "second": &second});
        self.write(
            stamp,
            Audit {
                action: "clause.split",
                entity: "clause",
                entity_id: clause_id,
                document_id: Some(doc_id),
                before: Some(serde_json::to_value(&before)?),
                after: Some(after),
            },
            |tx| insert_clause_after(tx, doc_id, before.position, clause_id, first_text, &second),
        )?;
        Ok(second)
    }

    /// Merges clause `second_id` into `first_id`, which gets `merged_text`.
    /// The findings and suggestions of the second clause move to the first;
    /// then the second clause is removed. Nothing of the analysis is lost.
    pub fn merge_clauses(
        &mut self,
        stamp: &Stamp,
        doc_id: &str,
        first_id: &str,
        second_id: &str,
        merged_text: &str,
    ) -> Result<()> {
        let first = self.clause(doc_id, first_id)?;
        let second = self.clause(doc_id, second_id)?;
        self.write(
            stamp,
            Audit {
                action: "clause.merge",
                entity: "clause",
                entity_id: first_id,
                document_id: Some(doc_id),
                before: Some(serde_json::json!({"first": first, "second": second})),
                after: Some(serde_json::json!({"text": merged_text})),
            },
            |tx| {
                tx.execute(
                    "UPDATE clauses SET text = ?3 WHERE document_id = ?1 AND id = ?2",
                    params![doc_id, first_id, merged_text],
                )?;
                for table in ["findings", "suggestions"] {
                    tx.execute(
                        &format!(
                            "UPDATE {table} SET clause_id = ?2 WHERE document_id = ?1 AND clause_id = ?3"
                        ),
                        params![doc_id, first_id, second_id],
                    )?;
                }
                // A suggestion's body repeats its clause id.
                tx.execute(
                    "UPDATE suggestions SET body = json_set(body, '$.clause_id', ?2)
                     WHERE document_id = ?1 AND clause_id = ?2",
                    params![doc_id, first_id],
                )?;
                tx.execute(
                    "DELETE FROM clauses WHERE document_id = ?1 AND id = ?2",
                    params![doc_id, second_id],
                )?;
                Ok(())
            },
        )
    }

    /// Takes back a merge: the first clause gets its text back, the second
    /// returns with its id, number, label and section, placed right after
    /// the first clause (or, when it opened a section of its own, right
    /// after that section's heading), and the findings and suggestions that
    /// were its own move back to it.
    #[allow(clippy::too_many_arguments)]
    pub fn unmerge_clauses(
        &mut self,
        stamp: &Stamp,
        doc_id: &str,
        first: &Clause,
        second: &Clause,
        findings: &[String],
        suggestions: &[String],
    ) -> Result<()> {
        let merged = self.clause(doc_id, &first.id)?;
        self.write(
            stamp,
            Audit {
                action: "clause.unmerge",
                entity: "clause",
                entity_id: &first.id,
                document_id: Some(doc_id),
                before: Some(serde_json::json!({"text": merged.text})),
                after: Some(serde_json::json!({"first": first, "second": second})),
            },
            |tx| {
                // The item the second clause followed: its own section's
                // heading when that is not the first clause's section.
                let anchor: u32 = match (&second.section_id, &first.section_id) {
                    (Some(own), other) if Some(own) != other.as_ref() => tx.query_row(
                        "SELECT position FROM sections WHERE document_id = ?1 AND id = ?2",
                        params![doc_id, own],
                        |r| r.get(0),
                    )?,
                    _ => tx.query_row(
                        "SELECT position FROM clauses WHERE document_id = ?1 AND id = ?2",
                        params![doc_id, first.id],
                        |r| r.get(0),
                    )?,
                };
                let restored = Clause {
                    position: anchor + 1,
                    ..second.clone()
                };
                insert_clause_after(tx, doc_id, anchor, &first.id, &first.text, &restored)?;
                for (table, ids) in [("findings", findings), ("suggestions", suggestions)] {
                    for id in ids {
                        tx.execute(
                            &format!(
                                "UPDATE {table} SET clause_id = ?3 WHERE document_id = ?1 AND id = ?2"
                            ),
                            params![doc_id, id, second.id],
                        )?;
                    }
                }
                // A suggestion's body repeats its clause id.
                for id in suggestions {
                    tx.execute(
                        "UPDATE suggestions SET body = json_set(body, '$.clause_id', ?2) WHERE id = ?1",
                        params![id, second.id],
                    )?;
                }
                Ok(())
            },
        )
    }

    /// Replaces a document's metadata (audited with before and after).
    pub fn update_document_meta(
        &mut self,
        stamp: &Stamp,
        doc_id: &str,
        meta: &DocumentMeta,
    ) -> Result<()> {
        let before = self.document(doc_id)?.meta;
        self.write(
            stamp,
            Audit {
                action: "document.meta",
                entity: "document",
                entity_id: doc_id,
                document_id: Some(doc_id),
                before: Some(serde_json::to_value(&before)?),
                after: Some(serde_json::to_value(meta)?),
            },
            |tx| {
                tx.execute(
                    "UPDATE documents SET meta = ?2 WHERE id = ?1",
                    params![doc_id, serde_json::to_string(meta)?],
                )?;
                Ok(())
            },
        )
    }

    const DOC_COLUMNS: &'static str =
        "id, meta, source_name, source_sha256, source_format, source_size,
        imported_at, imported_by, rulebook_id, rulebook_version";

    fn row_to_document(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Document, String)> {
        let meta: String = r.get(1)?;
        let format: String = r.get(4)?;
        Ok((
            Document {
                id: r.get(0)?,
                meta: DocumentMeta::default(),
                source: SourceFile {
                    name: r.get(2)?,
                    sha256: r.get(3)?,
                    format: SourceFormat::parse(&format).unwrap_or(SourceFormat::Text),
                    size: r.get::<_, i64>(5)? as u64,
                },
                imported_at: r.get(6)?,
                imported_by: r.get(7)?,
                rulebook: RulebookRef {
                    id: r.get(8)?,
                    version: r.get(9)?,
                },
            },
            meta,
        ))
    }

    /// All documents, in import order.
    pub fn documents(&self) -> Result<Vec<Document>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM documents ORDER BY imported_at, id",
            Self::DOC_COLUMNS
        ))?;
        let rows = stmt.query_map([], Self::row_to_document)?;
        rows.map(|row| {
            let (mut doc, meta) = row?;
            doc.meta = serde_json::from_str(&meta)?;
            Ok(doc)
        })
        .collect()
    }

    /// The library's change counter: the id of the latest audit event (0 for
    /// a library never written). Every change is audited, so it grows with
    /// every write; the search index records it to know whether it is in step.
    pub fn change_counter(&self) -> Result<u64> {
        let id: i64 = self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM audit", [], |r| r.get(0))?;
        Ok(u64::try_from(id).unwrap_or(0))
    }

    /// The documents changed after change counter `since` (see
    /// [`Store::change_counter`]), each once.
    pub fn documents_changed_since(&self, since: u64) -> Result<Vec<String>> {
        let since = i64::try_from(since).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT document_id FROM audit WHERE id > ?1 AND document_id IS NOT NULL",
        )?;
        let ids = stmt
            .query_map([since], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// Clauses per document id.
    pub fn clause_counts(&self) -> Result<std::collections::HashMap<String, u32>> {
        self.counts("SELECT document_id, count(*) FROM clauses GROUP BY document_id")
    }

    /// Open (neither accepted nor dismissed) suggestions per document id.
    pub fn open_suggestion_counts(&self) -> Result<std::collections::HashMap<String, u32>> {
        self.counts(
            "SELECT document_id, count(*) FROM suggestions
             WHERE json_extract(body, '$.state.state') = 'open' GROUP BY document_id",
        )
    }

    fn counts(&self, sql: &str) -> Result<std::collections::HashMap<String, u32>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One document by id.
    pub fn document(&self, id: &str) -> Result<Document> {
        let (mut doc, meta) = self
            .conn
            .query_row(
                &format!("SELECT {} FROM documents WHERE id = ?1", Self::DOC_COLUMNS),
                [id],
                Self::row_to_document,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "Document",
                id: id.to_string(),
            })?;
        doc.meta = serde_json::from_str(&meta)?;
        Ok(doc)
    }

    /// The id of the document imported from a file with this SHA-256, if any.
    pub fn document_by_sha256(&self, sha256: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM documents WHERE source_sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// One column of a document's row; `NotFound` when there is no such document.
    fn document_column<T: rusqlite::types::FromSql>(
        &self,
        doc_id: &str,
        column: &str,
    ) -> Result<T> {
        self.conn
            .query_row(
                &format!("SELECT {column} FROM documents WHERE id = ?1"),
                [doc_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "Document",
                id: doc_id.to_string(),
            })
    }

    /// The lineage a document's clause ids are prefixed with.
    pub fn lineage(&self, doc_id: &str) -> Result<String> {
        self.document_column(doc_id, "lineage")
    }

    /// The original bytes of a document's source file.
    pub fn source_bytes(&self, doc_id: &str) -> Result<Vec<u8>> {
        self.document_column(doc_id, "source_bytes")
    }

    /// A document's sections and clauses in document order.
    pub fn outline(&self, doc_id: &str) -> Result<Outline> {
        let mut s = self.conn.prepare(
            "SELECT id, parent_id, level, number, title, position FROM sections
             WHERE document_id = ?1 ORDER BY position",
        )?;
        let sections = s
            .query_map([doc_id], |r| {
                Ok(Section {
                    id: r.get(0)?,
                    parent_id: r.get(1)?,
                    level: r.get(2)?,
                    number: r.get(3)?,
                    title: r.get(4)?,
                    position: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut c = self.conn.prepare(
            "SELECT id, section_id, number, label, kind, text, position FROM clauses
             WHERE document_id = ?1 ORDER BY position",
        )?;
        let clauses = c
            .query_map([doc_id], row_to_clause)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Outline { sections, clauses })
    }

    /// The documents that hold a clause with this id (normally one).
    pub fn clause_documents(&self, clause_id: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT document_id FROM clauses WHERE id = ?1 ORDER BY document_id")?;
        let ids = stmt
            .query_map([clause_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// One clause.
    pub fn clause(&self, doc_id: &str, clause_id: &str) -> Result<Clause> {
        self.conn
            .query_row(
                "SELECT id, section_id, number, label, kind, text, position FROM clauses
                 WHERE document_id = ?1 AND id = ?2",
                [doc_id, clause_id],
                row_to_clause,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "Clause",
                id: clause_id.to_string(),
            })
    }

    /// Stores a new finding.
    pub fn insert_finding(&mut self, stamp: &Stamp, f: &Finding) -> Result<()> {
        self.write(
            stamp,
            Audit {
                action: "finding.create",
                entity: "finding",
                entity_id: &f.id,
                document_id: Some(&f.document_id),
                before: None,
                after: Some(serde_json::to_value(&f.input)?),
            },
            |tx| insert_finding_row(tx, f),
        )
    }

    /// Replaces a finding's answers; the audit event holds before and after.
    /// Returns the finding as stored afterwards.
    pub fn update_finding(
        &mut self,
        stamp: &Stamp,
        id: &str,
        input: &FindingInput,
    ) -> Result<Finding> {
        let before = self.finding(id)?;
        if before.input == *input {
            return Ok(before);
        }
        self.write(
            stamp,
            Audit {
                action: "finding.update",
                entity: "finding",
                entity_id: id,
                document_id: Some(&before.document_id),
                before: Some(serde_json::to_value(&before.input)?),
                after: Some(serde_json::to_value(input)?),
            },
            |tx| {
                tx.execute(
                    "UPDATE findings SET body = ?2, status = ?3, updated_at = ?4, updated_by = ?5 WHERE id = ?1",
                    params![id, serde_json::to_string(input)?, input.status.as_str(), stamp.at, stamp.actor],
                )?;
                Ok(())
            },
        )?;
        self.finding(id)
    }

    /// Adds a comment to a finding, signed with the stamp.
    pub fn add_comment(
        &mut self,
        stamp: &Stamp,
        finding_id: &str,
        text: &str,
    ) -> Result<Vec<Comment>> {
        let comment = Comment {
            author: stamp.actor.clone(),
            at: stamp.at.clone(),
            text: text.to_string(),
        };
        self.push_comment(stamp, finding_id, &comment)
    }

    /// Adds a comment as it was written (author and time kept): redo of a
    /// comment that was undone.
    pub fn push_comment(
        &mut self,
        stamp: &Stamp,
        finding_id: &str,
        comment: &Comment,
    ) -> Result<Vec<Comment>> {
        let mut comments = self.finding(finding_id)?.comments;
        comments.push(comment.clone());
        self.write_comments(
            stamp,
            finding_id,
            "finding.comment",
            None,
            Some(comment),
            comments,
        )
    }

    /// Removes the latest comment equal to `comment` (undo of a comment);
    /// the audit trail keeps it.
    pub fn remove_comment(
        &mut self,
        stamp: &Stamp,
        finding_id: &str,
        comment: &Comment,
    ) -> Result<Vec<Comment>> {
        let mut comments = self.finding(finding_id)?.comments;
        let Some(at) = comments.iter().rposition(|c| c == comment) else {
            return Err(StoreError::NotFound {
                what: "Comment",
                id: format!("{finding_id} ({})", comment.at),
            });
        };
        comments.remove(at);
        self.write_comments(
            stamp,
            finding_id,
            "finding.uncomment",
            Some(comment),
            None,
            comments,
        )
    }

    /// Stores a finding's comment list, audited as `action` with the one
    /// comment added (`after`) or taken away (`before`).
    fn write_comments(
        &mut self,
        stamp: &Stamp,
        finding_id: &str,
        action: &str,
        before: Option<&Comment>,
        after: Option<&Comment>,
        comments: Vec<Comment>,
    ) -> Result<Vec<Comment>> {
        let document_id = self.finding(finding_id)?.document_id;
        self.write(
            stamp,
            Audit {
                action,
                entity: "finding",
                entity_id: finding_id,
                document_id: Some(&document_id),
                before: before.map(serde_json::to_value).transpose()?,
                after: after.map(serde_json::to_value).transpose()?,
            },
            |tx| {
                tx.execute(
                    "UPDATE findings SET comments = ?2 WHERE id = ?1",
                    params![finding_id, serde_json::to_string(&comments)?],
                )?;
                Ok(())
            },
        )?;
        Ok(comments)
    }

    /// Deletes a finding; its last state stays in the audit trail.
    pub fn delete_finding(&mut self, stamp: &Stamp, id: &str) -> Result<()> {
        let before = self.finding(id)?;
        self.write(
            stamp,
            Audit {
                action: "finding.delete",
                entity: "finding",
                entity_id: id,
                document_id: Some(&before.document_id),
                before: Some(serde_json::to_value(&before)?),
                after: None,
            },
            |tx| {
                tx.execute("DELETE FROM findings WHERE id = ?1", [id])?;
                Ok(())
            },
        )
    }

    const FINDING_COLUMNS: &'static str =
        "id, document_id, clause_id, body, comments, suggestion_id,
        created_at, created_by, updated_at, updated_by";

    fn row_to_finding(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Finding, String, String)> {
        Ok((
            Finding {
                id: r.get(0)?,
                document_id: r.get(1)?,
                clause_id: r.get(2)?,
                input: FindingInput::default(),
                risk_level: None,
                comments: Vec::new(),
                suggestion_id: r.get(5)?,
                created_at: r.get(6)?,
                created_by: r.get(7)?,
                updated_at: r.get(8)?,
                updated_by: r.get(9)?,
            },
            r.get(3)?,
            r.get(4)?,
        ))
    }

    fn decode_finding(row: (Finding, String, String)) -> Result<Finding> {
        let (mut f, body, comments) = row;
        f.input = serde_json::from_str(&body)?;
        f.comments = serde_json::from_str::<Vec<Comment>>(&comments)?;
        Ok(f)
    }

    /// One finding by id. `risk_level` is left for the caller, who knows the rulebook.
    pub fn finding(&self, id: &str) -> Result<Finding> {
        let row = self
            .conn
            .query_row(
                &format!(
                    "SELECT {} FROM findings WHERE id = ?1",
                    Self::FINDING_COLUMNS
                ),
                [id],
                Self::row_to_finding,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "Finding",
                id: id.to_string(),
            })?;
        Self::decode_finding(row)
    }

    /// All findings of a document, in the order of their clauses, oldest first.
    pub fn findings(&self, doc_id: &str) -> Result<Vec<Finding>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM findings f WHERE f.document_id = ?1
             ORDER BY (SELECT position FROM clauses c WHERE c.document_id = f.document_id AND c.id = f.clause_id),
                      f.created_at, f.id",
            Self::FINDING_COLUMNS
                .split(',')
                .map(|c| format!("f.{}", c.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
        let rows = stmt
            .query_map([doc_id], Self::row_to_finding)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(Self::decode_finding).collect()
    }

    /// Stores the result of screening a document with `rulebook`: open
    /// suggestions are replaced by `fresh`; a suggestion the analyst already
    /// accepted or dismissed (same id: same clause, same rule) keeps its
    /// state; `rulebook` becomes the document's pack (the one that screens
    /// it from now on). Returns how many suggestions are open afterwards.
    pub fn replace_open_suggestions(
        &mut self,
        stamp: &Stamp,
        doc_id: &str,
        rulebook: &RulebookRef,
        fresh: &[Suggestion],
    ) -> Result<usize> {
        let decided: std::collections::HashSet<String> = self
            .suggestions(doc_id)?
            .into_iter()
            .filter(|s| s.state != SuggestionState::Open)
            .map(|s| s.id)
            .collect();
        let open: Vec<&Suggestion> = fresh.iter().filter(|s| !decided.contains(&s.id)).collect();
        let count = open.len();
        self.write(
            stamp,
            Audit {
                action: "document.screen",
                entity: "document",
                entity_id: doc_id,
                document_id: Some(doc_id),
                before: None,
                after: Some(serde_json::json!({
                    "rulebook": rulebook,
                    "open_suggestions": count,
                })),
            },
            |tx| {
                let all: Vec<(String, String)> = {
                    let mut stmt =
                        tx.prepare("SELECT id, body FROM suggestions WHERE document_id = ?1")?;
                    stmt.query_map([doc_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                        .collect::<rusqlite::Result<_>>()?
                };
                for (id, body) in all {
                    let s: Suggestion = serde_json::from_str(&body)?;
                    if s.state == SuggestionState::Open {
                        tx.execute("DELETE FROM suggestions WHERE id = ?1", [id])?;
                    }
                }
                insert_suggestion_rows(tx, open.iter().copied())?;
                tx.execute(
                    "UPDATE documents SET rulebook_id = ?2, rulebook_version = ?3 WHERE id = ?1",
                    rusqlite::params![doc_id, rulebook.id, rulebook.version],
                )?;
                Ok(count)
            },
        )
    }

    /// The suggestions of a document, in the order of their clauses.
    pub fn suggestions(&self, doc_id: &str) -> Result<Vec<Suggestion>> {
        let mut stmt = self.conn.prepare(
            "SELECT s.body FROM suggestions s
             LEFT JOIN clauses c ON c.document_id = s.document_id AND c.id = s.clause_id
             WHERE s.document_id = ?1 ORDER BY c.position, s.rule_id",
        )?;
        let rows = stmt
            .query_map([doc_id], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.iter().map(|b| Ok(serde_json::from_str(b)?)).collect()
    }

    /// One suggestion.
    pub fn suggestion(&self, id: &str) -> Result<Suggestion> {
        let body: String = self
            .conn
            .query_row("SELECT body FROM suggestions WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "Suggestion",
                id: id.to_string(),
            })?;
        Ok(serde_json::from_str(&body)?)
    }

    /// Records that a suggestion was dismissed (with the reason) or reopened.
    pub fn set_suggestion_state(
        &mut self,
        stamp: &Stamp,
        id: &str,
        state: SuggestionState,
    ) -> Result<Suggestion> {
        let before = self.suggestion(id)?;
        let mut after = before.clone();
        after.state = state;
        let action = match after.state {
            SuggestionState::Dismissed { .. } => "suggestion.dismiss",
            SuggestionState::Accepted { .. } => "suggestion.accept",
            SuggestionState::Open => "suggestion.reopen",
        };
        self.write(
            stamp,
            Audit {
                action,
                entity: "suggestion",
                entity_id: id,
                document_id: Some(&before.document_id),
                before: Some(serde_json::to_value(&before.state)?),
                after: Some(serde_json::to_value(&after.state)?),
            },
            |tx| {
                tx.execute(
                    "UPDATE suggestions SET body = ?2 WHERE id = ?1",
                    params![id, serde_json::to_string(&after)?],
                )?;
                Ok(())
            },
        )?;
        Ok(after)
    }

    /// Accepts a suggestion: stores `finding` (made from it) and marks the
    /// suggestion accepted, in one transaction.
    pub fn accept_suggestion(&mut self, stamp: &Stamp, id: &str, finding: &Finding) -> Result<()> {
        let mut s = self.suggestion(id)?;
        s.state = SuggestionState::Accepted {
            finding_id: finding.id.clone(),
        };
        self.write(
            stamp,
            Audit {
                action: "suggestion.accept",
                entity: "suggestion",
                entity_id: id,
                document_id: Some(&s.document_id),
                before: None,
                after: Some(serde_json::to_value(&finding.input)?),
            },
            |tx| {
                insert_finding_row(tx, finding)?;
                tx.execute(
                    "UPDATE suggestions SET body = ?2 WHERE id = ?1",
                    params![id, serde_json::to_string(&s)?],
                )?;
                Ok(())
            },
        )
    }

    /// Takes back the acceptance of a suggestion: the finding made from it is
    /// deleted and the suggestion is open again, in one transaction.
    pub fn unaccept_suggestion(&mut self, stamp: &Stamp, id: &str) -> Result<()> {
        let mut s = self.suggestion(id)?;
        let SuggestionState::Accepted { finding_id } = s.state.clone() else {
            return Ok(());
        };
        let finding = self.finding(&finding_id)?;
        s.state = SuggestionState::Open;
        self.write(
            stamp,
            Audit {
                action: "suggestion.unaccept",
                entity: "suggestion",
                entity_id: id,
                document_id: Some(&s.document_id),
                before: Some(serde_json::to_value(&finding)?),
                after: None,
            },
            |tx| {
                tx.execute("DELETE FROM findings WHERE id = ?1", [&finding_id])?;
                tx.execute(
                    "UPDATE suggestions SET body = ?2 WHERE id = ?1",
                    params![id, serde_json::to_string(&s)?],
                )?;
                Ok(())
            },
        )
    }

    /// The audit trail of one entity (or of everything when `entity_id` is None), oldest first.
    pub fn audit(&self, entity_id: Option<&str>) -> Result<Vec<AuditEvent>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, at, actor, action, entity, entity_id, document_id, before, after FROM audit
             WHERE ?1 IS NULL OR entity_id = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map([entity_id], |r| {
                Ok((
                    AuditEvent {
                        id: r.get(0)?,
                        at: r.get(1)?,
                        actor: r.get(2)?,
                        action: r.get(3)?,
                        entity: r.get(4)?,
                        entity_id: r.get(5)?,
                        document_id: r.get(6)?,
                        before: None,
                        after: None,
                    },
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(mut e, before, after)| {
                e.before = before.map(|s| serde_json::from_str(&s)).transpose()?;
                e.after = after.map(|s| serde_json::from_str(&s)).transpose()?;
                Ok(e)
            })
            .collect()
    }

    /// Runs SQLite's own consistency check; `Ok(())` when it reports "ok".
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

/// Inserts one audit event (with `after` as its after-state) in `tx`.
fn insert_audit(
    tx: &Transaction<'_>,
    stamp: &Stamp,
    audit: Audit<'_>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO audit (at, actor, action, entity, entity_id, document_id, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            stamp.at,
            stamp.actor,
            audit.action,
            audit.entity,
            audit.entity_id,
            audit.document_id,
            audit.before.map(|v| v.to_string()),
            after.map(|v| v.to_string()),
        ],
    )?;
    Ok(())
}

/// Stores suggestions (their ids must be new to the library).
pub(crate) fn insert_suggestion_rows<'a>(
    tx: &Transaction<'_>,
    suggestions: impl IntoIterator<Item = &'a Suggestion>,
) -> Result<()> {
    let mut insert = tx.prepare(
        "INSERT INTO suggestions (id, document_id, clause_id, rule_id, body) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for s in suggestions {
        insert.execute(params![
            s.id,
            s.document_id,
            s.clause_id,
            s.rule_id,
            serde_json::to_string(s)?
        ])?;
    }
    Ok(())
}

/// What the audit trail keeps of an import: the metadata, the source and
/// the outline's size.
fn import_summary(doc: &Document, outline: &Outline) -> serde_json::Value {
    serde_json::json!({
        "meta": doc.meta,
        "source": doc.source,
        "sections": outline.sections.len(),
        "clauses": outline.clauses.len(),
    })
}

/// The rows of a newly stored document: the document, its sections and clauses.
fn insert_document_rows(
    tx: &Transaction<'_>,
    doc: &Document,
    lineage: &str,
    source_bytes: &[u8],
    outline: &Outline,
) -> Result<()> {
    tx.execute(
        "INSERT INTO documents (id, lineage, meta, source_name, source_sha256, source_format,
            source_size, source_bytes, imported_at, imported_by, rulebook_id, rulebook_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            doc.id,
            lineage,
            serde_json::to_string(&doc.meta)?,
            doc.source.name,
            doc.source.sha256,
            doc.source.format.as_str(),
            doc.source.size as i64,
            source_bytes,
            doc.imported_at,
            doc.imported_by,
            doc.rulebook.id,
            doc.rulebook.version,
        ],
    )?;
    let mut s = tx.prepare(
        "INSERT INTO sections (document_id, id, parent_id, level, number, title, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for sec in &outline.sections {
        s.execute(params![
            doc.id,
            sec.id,
            sec.parent_id,
            sec.level,
            sec.number,
            sec.title,
            sec.position
        ])?;
    }
    let mut c = tx.prepare(
        "INSERT INTO clauses (document_id, id, section_id, number, label, kind, text, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for cl in &outline.clauses {
        c.execute(params![
            doc.id,
            cl.id,
            cl.section_id,
            cl.number,
            cl.label,
            clause_kind_str(cl.kind),
            cl.text,
            cl.position
        ])?;
    }
    Ok(())
}

fn insert_finding_row(tx: &Transaction<'_>, f: &Finding) -> Result<()> {
    tx.execute(
        "INSERT INTO findings (id, document_id, clause_id, body, comments, suggestion_id, status,
            created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            f.id,
            f.document_id,
            f.clause_id,
            serde_json::to_string(&f.input)?,
            serde_json::to_string(&f.comments)?,
            f.suggestion_id,
            f.input.status.as_str(),
            f.created_at,
            f.created_by,
            f.updated_at,
            f.updated_by,
        ],
    )?;
    Ok(())
}

/// Makes room after `position` (every later section and clause moves one
/// down), gives clause `first_id` the text `first_text` and inserts `second`
/// at `position + 1`: the common part of a split and of undoing a merge.
fn insert_clause_after(
    tx: &Transaction<'_>,
    doc_id: &str,
    position: u32,
    first_id: &str,
    first_text: &str,
    second: &Clause,
) -> Result<()> {
    for table in ["sections", "clauses"] {
        tx.execute(
            &format!(
                "UPDATE {table} SET position = position + 1
                 WHERE document_id = ?1 AND position > ?2"
            ),
            params![doc_id, position],
        )?;
    }
    tx.execute(
        "UPDATE clauses SET text = ?3 WHERE document_id = ?1 AND id = ?2",
        params![doc_id, first_id, first_text],
    )?;
    tx.execute(
        "INSERT INTO clauses (document_id, id, section_id, number, label, kind, text, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            doc_id,
            second.id,
            second.section_id,
            second.number,
            second.label,
            clause_kind_str(second.kind),
            second.text,
            position + 1
        ],
    )?;
    Ok(())
}

fn clause_kind_str(kind: ClauseKind) -> &'static str {
    match kind {
        ClauseKind::Paragraph => "paragraph",
        ClauseKind::Numbered => "numbered",
        ClauseKind::ListItem => "list_item",
        ClauseKind::TableRow => "table_row",
    }
}

fn row_to_clause(r: &rusqlite::Row<'_>) -> rusqlite::Result<Clause> {
    let kind: String = r.get(4)?;
    Ok(Clause {
        id: r.get(0)?,
        section_id: r.get(1)?,
        number: r.get(2)?,
        label: r.get(3)?,
        kind: match kind.as_str() {
            "numbered" => ClauseKind::Numbered,
            "list_item" => ClauseKind::ListItem,
            "table_row" => ClauseKind::TableRow,
            _ => ClauseKind::Paragraph,
        },
        text: r.get(5)?,
        position: r.get(6)?,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_commit_is_synced_to_disk_before_it_returns() {
        // WAL with synchronous = FULL (2): a saved edit survives a power cut.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lib.kryphal");
        drop(super::Store::open(&path).unwrap());
        let store = super::Store::open(&path).unwrap();
        let pragma = |name: &str| -> String {
            store
                .conn
                .query_row(&format!("PRAGMA {name}"), [], |r| {
                    r.get::<_, rusqlite::types::Value>(0)
                })
                .map(|v| match v {
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    other => format!("{other:?}"),
                })
                .unwrap()
        };
        assert_eq!(pragma("synchronous"), "2");
        assert_eq!(pragma("journal_mode"), "wal");
    }
}
