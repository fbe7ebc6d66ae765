//! Backup and restore of the SQLite database. A backup is `VACUUM INTO`: a
//! consistent copy made inside one read transaction, so it is safe while the
//! server runs and writes. PostgreSQL has its own tools (`pg_dump`).

use std::path::Path;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::args;
use crate::db::{self, Db};

/// Writes a consistent copy of the running SQLite database to `target`,
/// which must not exist yet.
pub async fn backup(db: &Db, target: &Path) -> Result<(), String> {
    if !matches!(db, Db::Sqlite(..)) {
        return Err("backup is for SQLite; use pg_dump for PostgreSQL".into());
    }
    if target.exists() {
        return Err(format!(
            "{} exists already; choose a new file",
            target.display()
        ));
    }
    let target = target.to_str().ok_or("the backup path must be UTF-8")?;
    let mut conn = db.acquire().await.map_err(|e| e.to_string())?;
    db::execute(&mut conn, "VACUUM INTO $1", args![target])
        .await
        .map_err(|e| format!("backup failed: {e}"))?;
    Ok(())
}

/// Replaces the SQLite file at `database` with the backup at `source`,
/// after checking the backup's integrity. Refuses while a server holds the
/// database open for writing.
pub async fn restore(database: &Path, source: &Path) -> Result<(), String> {
    let mut backup = SqliteConnectOptions::new()
        .filename(source)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| format!("cannot open the backup {}: {e}", source.display()))?;
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut backup)
        .await
        .map_err(|e| format!("cannot check the backup: {e}"))?;
    backup.close().await.map_err(|e| e.to_string())?;
    if verdict != "ok" {
        return Err(format!("the backup is damaged: {verdict}"));
    }
    // Every running server holds a shared lock on this file; restoring
    // needs it alone.
    let lock = std::fs::File::create(lock_path(database))
        .map_err(|e| format!("cannot create the lock file: {e}"))?;
    lock.try_lock()
        .map_err(|_| "the database is in use: stop the server before restoring".to_string())?;
    let partial = database.with_extension("db.restoring");
    std::fs::copy(source, &partial).map_err(|e| format!("cannot copy the backup: {e}"))?;
    for suffix in ["-wal", "-shm"] {
        let side = format!("{}{suffix}", database.display());
        let _ = std::fs::remove_file(side);
    }
    std::fs::rename(&partial, database)
        .map_err(|e| format!("cannot put the backup in place: {e}"))?;
    Ok(())
}

/// The lock file beside a SQLite database.
pub fn lock_path(database: &Path) -> std::path::PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    name.into()
}

/// Holds a shared lock on the database's lock file while the server runs,
/// so `restore` cannot replace the file under it.
pub fn hold_shared_lock(database: &Path) -> Result<std::fs::File, String> {
    let file = std::fs::File::create(lock_path(database))
        .map_err(|e| format!("cannot create {}: {e}", lock_path(database).display()))?;
    file.try_lock_shared().map_err(|_| {
        "the database is being restored; start the server when that is done".to_string()
    })?;
    Ok(file)
}

/// The file of a `sqlite://path` URL.
pub fn sqlite_file(url: &str) -> Option<&Path> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| Path::new(path))
}
