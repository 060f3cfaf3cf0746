//! Forward-only schema migrations, kept as SQL files in `migrations/`.

use rusqlite::Connection;

/// Each migration brings the schema from `version - 1` to `version`.
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
];

/// The schema version this build writes.
pub const LATEST_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

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
