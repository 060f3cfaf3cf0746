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

/// Applies every migration newer than the file's `user_version`, each in its
/// own transaction together with the new version number.
pub(crate) fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let mut pending: Vec<(i64, &str)> = MIGRATIONS
        .iter()
        .copied()
        .filter(|(v, _)| *v > current)
        .collect();
    pending.sort_by_key(|(v, _)| *v);
    for (version, sql) in pending {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "application_id", crate::APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_unique_and_the_latest_is_the_highest() {
        let mut versions: Vec<i64> = MIGRATIONS.iter().map(|(v, _)| *v).collect();
        versions.sort_unstable();
        let n = versions.len();
        versions.dedup();
        assert_eq!(versions.len(), n, "two migrations with the same number");
        assert_eq!(LATEST_VERSION, *versions.last().unwrap());
    }

    #[test]
    fn a_list_with_a_gap_migrates_a_new_file_to_the_latest_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, LATEST_VERSION);
        // The verdict tables of 0009 are there.
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name IN ('clause_verdicts', 'document_final')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 2);
    }
}
