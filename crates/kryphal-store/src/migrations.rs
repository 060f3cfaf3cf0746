//! Forward-only schema migrations, kept as SQL files in `migrations/`.

use rusqlite::Connection;

/// Each migration brings the schema to `version` from the one before it in
/// this list. Numbers may leave a gap (branches merged in another order than
/// they were numbered: 0009 can come before 0008 is merged); they are applied
/// in ascending order, each only once, and must stay unique.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_init.sql")),
    (2, include_str!("../migrations/0002_workshop.sql")),
    (3, include_str!("../migrations/0003_versions.sql")),
    (4, include_str!("../migrations/0004_bundles.sql")),
    (5, include_str!("../migrations/0005_workshop_notes.sql")),
    (6, include_str!("../migrations/0006_record_conflicts.sql")),
    (
        7,
        include_str!("../migrations/0007_outline_corrections.sql"),
    ),
    (8, include_str!("../migrations/0008_review.sql")),
    (9, include_str!("../migrations/0009_verdicts.sql")),
];

/// The schema version this build writes.
pub const LATEST_VERSION: i64 = latest();

const fn latest() -> i64 {
    let mut max = 0;
    let mut i = 0;
    while i < MIGRATIONS.len() {
        if MIGRATIONS[i].0 > max {
            max = MIGRATIONS[i].0;
        }
        i += 1;
    }
    max
}

/// Applies every migration newer than the file's `user_version`, all in one
/// exclusive transaction together with the new version number.
///
/// The version is read again *inside* that transaction: several processes
/// creating or upgrading the same library at once wait for each other there,
/// and the ones that come second find the work done (reading it outside, two
/// of them would both run migration 1 and the second fail on "table already
/// exists"). A crash leaves the old schema or the new one, never a mixture.
pub(crate) fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current >= LATEST_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
    let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for &(version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
    }
    tx.pragma_update(None, "application_id", crate::APPLICATION_ID)?;
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::{LATEST_VERSION, MIGRATIONS};
    use rusqlite::Connection;

    fn tables(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn versions_follow_each_other_without_a_gap() {
        let versions: Vec<i64> = MIGRATIONS.iter().map(|(v, _)| *v).collect();
        let expected: Vec<i64> = (1..=LATEST_VERSION).collect();
        assert_eq!(versions, expected);
    }

    #[test]
    fn a_library_at_version_7_gains_the_review_tables_and_keeps_its_rows() {
        // A library written by a build whose last migration was 7 (the
        // outline corrections): a document and a correction in it.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.kryphal");
        {
            let mut conn = Connection::open(&path).unwrap();
            for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v <= 7) {
                let tx = conn.transaction().unwrap();
                tx.execute_batch(sql).unwrap();
                tx.pragma_update(None, "application_id", crate::APPLICATION_ID)
                    .unwrap();
                tx.pragma_update(None, "user_version", version).unwrap();
                tx.commit().unwrap();
            }
            conn.execute(
                "INSERT INTO documents (id, lineage, meta, source_name, source_sha256, \
                 source_format, source_size, source_bytes, imported_at, imported_by, \
                 rulebook_id, rulebook_version) VALUES ('d1', 'l1', '{}', 'a.docx', \
                 'x', 'docx', 1, x'00', '2026-12-01', 'a', 'r', '1')",
                [],
            )
            .unwrap_or_else(|e| panic!("documents row: {e}"));
            let t = tables(&conn);
            assert!(t.contains(&"outline_corrections".to_string()));
            assert!(!t.contains(&"review_decisions".to_string()));
        }
        let store = crate::Store::open(&path).unwrap();
        let version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, LATEST_VERSION);
        let t = tables(&store.conn);
        for name in ["outline_corrections", "review_decisions", "clause_notes"] {
            assert!(t.contains(&name.to_string()), "{name} missing: {t:?}");
        }
        let docs: i64 = store
            .conn
            .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
            .unwrap();
        assert_eq!(docs, 1);
    }

    #[test]
    fn a_new_library_has_every_table_at_the_latest_version() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::Store::open(&dir.path().join("new.kryphal")).unwrap();
        let t = tables(&store.conn);
        for name in [
            "outline_corrections",
            "review_decisions",
            "clause_notes",
            "clause_verdicts",
            "document_final",
        ] {
            assert!(t.contains(&name.to_string()), "{name} missing: {t:?}");
        }
    }
}
