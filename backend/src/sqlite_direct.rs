//! The SQLite writer's statements run on the calling thread.
//!
//! sqlx runs each SQLite connection on a thread of its own: every statement
//! is a message to that thread and its rows a message back, two thread
//! switches, and the task that waits for them queues again behind the
//! requests its runtime thread is serving. A write takes the one writer's
//! turn (`sqlite_writer.rs`) for two or three such calls, and every other
//! write of the process waits meanwhile: measured, the writer's thread was
//! busy under half the time and half of that was switching.
//!
//! So the writer takes its connection's lock from sqlx's thread
//! (`lock_handle`, which parks that thread until the lock is given back)
//! and runs statements itself, through rusqlite on the same `sqlite3`
//! handle. A statement takes a few microseconds; nothing here waits for
//! another process (see [`Direct::begin_immediate`]). What decodes rows into
//! records is sqlx's, so a read of records inside a write hands the lock
//! back and goes through sqlx as before.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{ffi, Connection, ToSql};
use sqlx::sqlite::LockedSqliteHandle;
use sqlx::SqliteConnection;
use uuid::Uuid;

use crate::db::Value;

/// Prepared statements kept per writer: every write statement the
/// service has, with room.
const CACHED_STATEMENTS: usize = 128;

/// The writer's `sqlite3` handle as rusqlite sees it, and, while the
/// writer runs statements itself, the lock that keeps sqlx's thread away
/// from it.
pub struct Direct {
    // Dropped first: finalizing its cached statements needs the handle
    // (opened `serialized`, so that is safe from any thread).
    conn: Connection,
    lock: Option<LockedSqliteHandle<'static>>,
}

/// How long a writer waits for another process's write (db.rs).
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

impl Direct {
    /// Wraps the handle of `sqlx_conn`, which must be opened `serialized`
    /// and outlive the result.
    pub async fn new(sqlx_conn: &mut SqliteConnection) -> Result<Direct, sqlx::Error> {
        let mut lock = sqlx_conn.lock_handle().await?;
        let handle = lock.as_raw_handle().as_ptr();
        // SAFETY: the handle stays open while `sqlx_conn` lives, which the
        // caller promises to outlast this; rusqlite does not close it.
        let conn = unsafe { Connection::from_handle(handle) }.map_err(error)?;
        conn.set_prepared_statement_cache_capacity(CACHED_STATEMENTS);
        drop(lock);
        Ok(Direct { conn, lock: None })
    }

    /// Takes the handle from sqlx's thread, if not held already.
    pub async fn hold(&mut self, sqlx_conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        if self.lock.is_none() {
            let lock = sqlx_conn.lock_handle().await?;
            // SAFETY: the guard borrows the connection's shared state (an
            // `Arc` that sqlx's thread holds too), not the connection
            // itself, and the writer drops it before the connection.
            let lock: LockedSqliteHandle<'static> = unsafe { std::mem::transmute(lock) };
            self.lock = Some(lock);
        }
        Ok(())
    }

    /// Gives the handle back to sqlx's thread, before anything goes
    /// through sqlx on this connection: it would wait for the lock forever.
    pub fn release(&mut self) {
        self.lock = None;
    }

    fn conn(&self) -> Result<&Connection, sqlx::Error> {
        match self.lock {
            Some(_) => Ok(&self.conn),
            None => Err(sqlx::Error::Protocol(
                "the writer's handle is not held".into(),
            )),
        }
    }

    /// Runs statements without values (`SAVEPOINT`, `COMMIT` …).
    pub fn batch(&self, sql: &str) -> Result<(), sqlx::Error> {
        self.conn()?.execute_batch(sql).map_err(error)
    }

    /// `BEGIN IMMEDIATE` without waiting: `Ok(false)` when another process
    /// writes, for the caller to wait through sqlx's thread instead of
    /// holding up this runtime thread for up to the busy timeout.
    pub fn begin_immediate(&self) -> Result<bool, sqlx::Error> {
        let conn = self.conn()?;
        conn.busy_timeout(std::time::Duration::ZERO)
            .map_err(error)?;
        let begun = conn.execute_batch("BEGIN IMMEDIATE");
        conn.busy_timeout(BUSY_TIMEOUT).map_err(error)?;
        match begun {
            Ok(()) => Ok(true),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy =>
            {
                Ok(false)
            }
            Err(e) => Err(error(e)),
        }
    }

    /// Runs one statement; returns how many rows it changed.
    pub fn execute(&self, sql: &str, values: &[Value]) -> Result<u64, sqlx::Error> {
        let conn = self.conn()?;
        let mut statement = bound(conn, sql, values)?;
        let mut rows = statement.raw_query();
        while rows.next().map_err(error)?.is_some() {}
        Ok(conn.changes())
    }

    /// Runs one statement and decodes the first column of its rows.
    pub fn scalars<T: Direct1>(&self, sql: &str, values: &[Value]) -> Result<Vec<T>, sqlx::Error> {
        let conn = self.conn()?;
        let mut statement = bound(conn, sql, values)?;
        let mut rows = statement.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(error)? {
            let value = row.get_ref(0).map_err(error)?;
            out.push(T::decode(value).map_err(|e| sqlx::Error::Decode(e.into()))?);
        }
        Ok(out)
    }
}

/// The statement for `sql`, prepared once per writer, with `values` bound
/// as sqlx binds them: `$n` takes the n-th value wherever it stands.
fn bound<'c>(
    conn: &'c Connection,
    sql: &str,
    values: &[Value],
) -> Result<rusqlite::CachedStatement<'c>, sqlx::Error> {
    let mut statement = conn.prepare_cached(sql).map_err(error)?;
    for index in 1..=statement.parameter_count() {
        let n = statement
            .parameter_name(index)
            .and_then(|name| name.strip_prefix(['$', '?']))
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(index);
        let value = values.get(n - 1).ok_or_else(|| {
            sqlx::Error::Protocol(format!("no value for placeholder {n} of {sql}"))
        })?;
        statement
            .raw_bind_parameter(index, Bind(value))
            .map_err(error)?;
    }
    Ok(statement)
}

/// A value as sqlx's SQLite driver stores it.
struct Bind<'a>(&'a Value);

impl ToSql for Bind<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            Value::Text(Some(text)) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            Value::Int(Some(n)) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(*n)),
            Value::Float(Some(x)) => ToSqlOutput::Owned(rusqlite::types::Value::Real(*x)),
            Value::Bool(Some(b)) => {
                ToSqlOutput::Owned(rusqlite::types::Value::Integer((*b).into()))
            }
            Value::Uuid(Some(id)) => ToSqlOutput::Borrowed(ValueRef::Blob(id.as_bytes())),
            // sqlx's encoding (chrono.rs), so stored times compare as text.
            Value::Time(Some(at)) => ToSqlOutput::Owned(rusqlite::types::Value::Text(
                at.to_rfc3339_opts(SecondsFormat::AutoSi, false),
            )),
            _ => ToSqlOutput::Owned(rusqlite::types::Value::Null),
        })
    }
}

/// A single column decoded as sqlx's SQLite driver would.
pub trait Direct1: Sized {
    fn decode(value: ValueRef<'_>) -> Result<Self, String>;
}

impl Direct1 for i64 {
    fn decode(value: ValueRef<'_>) -> Result<Self, String> {
        value.as_i64().map_err(|e| e.to_string())
    }
}

impl Direct1 for bool {
    fn decode(value: ValueRef<'_>) -> Result<Self, String> {
        Ok(i64::decode(value)? != 0)
    }
}

impl Direct1 for String {
    fn decode(value: ValueRef<'_>) -> Result<Self, String> {
        value
            .as_str()
            .map(str::to_string)
            .map_err(|e| e.to_string())
    }
}

impl Direct1 for Uuid {
    fn decode(value: ValueRef<'_>) -> Result<Self, String> {
        let bytes = value.as_blob().map_err(|e| e.to_string())?;
        Uuid::from_slice(bytes).map_err(|e| e.to_string())
    }
}

impl Direct1 for DateTime<Utc> {
    fn decode(value: ValueRef<'_>) -> Result<Self, String> {
        let text = value.as_str().map_err(|e| e.to_string())?;
        // sqlx's encoding, else SQLite's own `datetime()` (UTC).
        DateTime::parse_from_rfc3339(text)
            .map(|at| at.with_timezone(&Utc))
            .or_else(|_| {
                chrono::NaiveDateTime::parse_from_str(text, "%F %T%.f").map(|at| at.and_utc())
            })
            .map_err(|e| format!("{text}: {e}"))
    }
}

impl<T: Direct1> Direct1 for Option<T> {
    fn decode(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Null => Ok(None),
            value => T::decode(value).map(Some),
        }
    }
}

/// A rusqlite error as sqlx reports SQLite's: constraint violations keep
/// their kind, which callers test (`db::is_unique_violation`).
fn error(e: rusqlite::Error) -> sqlx::Error {
    match e {
        rusqlite::Error::SqliteFailure(failure, message) => {
            sqlx::Error::Database(Box::new(DirectError {
                code: failure.extended_code,
                message: message.unwrap_or_else(|| failure.to_string()),
            }))
        }
        other => sqlx::Error::Protocol(other.to_string()),
    }
}

#[derive(Debug)]
struct DirectError {
    code: i32,
    message: String,
}

impl std::fmt::Display for DirectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DirectError {}

impl sqlx::error::DatabaseError for DirectError {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<std::borrow::Cow<'_, str>> {
        Some(self.code.to_string().into())
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> sqlx::error::ErrorKind {
        use sqlx::error::ErrorKind;
        match self.code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                ErrorKind::UniqueViolation
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
            ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
            ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args;
    use crate::db::{self, Db, Options};

    async fn db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&Options {
            url: format!("sqlite://{}/direct.db", dir.path().display()),
            max_connections: 2,
        })
        .await
        .unwrap();
        let mut conn = db.acquire().await.unwrap();
        db::execute(
            &mut conn,
            "CREATE TABLE t (id BLOB PRIMARY KEY, at TEXT NOT NULL, yes INTEGER, \
             n INTEGER, x REAL, name TEXT)",
            vec![],
        )
        .await
        .unwrap();
        (dir, db)
    }

    /// What the writer runs itself is stored exactly as sqlx stores it, so
    /// rows written either way compare equal, and it reads back the same.
    #[tokio::test]
    async fn values_are_stored_as_sqlx_stores_them() {
        let (_dir, db) = db().await;
        let at: DateTime<Utc> = "2026-11-28T00:16:39.123456789Z".parse().unwrap();
        let (id, other) = (Uuid::now_v7(), Uuid::now_v7());
        // Placeholders out of order and used twice, as queries here do.
        let insert = "INSERT INTO t (name, id, at, yes, n, x) VALUES ($6, $1, $2, $3, $4, $5)";
        let mut tx = db.begin().await.unwrap();
        db::execute(
            &mut tx,
            insert,
            args![id, at, true, 7i64, 0.5f64, Some("Bålhytten")],
        )
        .await
        .unwrap();
        let found: Vec<Uuid> = db::fetch_scalars(
            &mut tx,
            "SELECT id FROM t WHERE at = $1 AND yes = $2 AND name = $3",
            args![at, true, "Bålhytten"],
        )
        .await
        .unwrap();
        assert_eq!(found, [id], "read back through the same path");
        tx.commit().await.unwrap();

        // The same values through sqlx, on a pool connection.
        let mut conn = db.acquire().await.unwrap();
        let Db::Sqlite(pool, ..) = &db else {
            unreachable!()
        };
        sqlx::query(insert)
            .bind(other)
            .bind(at)
            .bind(true)
            .bind(7i64)
            .bind(0.5f64)
            .bind("Bålhytten")
            .execute(pool)
            .await
            .unwrap();
        let same: i64 = db::fetch_scalar(
            &mut conn,
            "SELECT COUNT(*) FROM t a JOIN t b ON a.at = b.at AND a.yes = b.yes \
             AND a.n = b.n AND a.x = b.x AND a.name = b.name WHERE a.id = $1 AND b.id = $2",
            args![id, other],
        )
        .await
        .unwrap();
        assert_eq!(same, 1, "both rows hold the same stored values");
        let read: (Uuid, DateTime<Utc>, bool) =
            sqlx::query_as("SELECT id, at, yes FROM t WHERE id = $1")
                .bind(id)
                .fetch_one(pool)
                .await
                .unwrap();
        assert_eq!(read, (id, at, true), "sqlx reads what the writer wrote");
        let mut tx = db.begin().await.unwrap();
        let times: Vec<Option<DateTime<Utc>>> = db::fetch_scalars(
            &mut tx,
            "SELECT at FROM t WHERE id = $1 UNION ALL SELECT NULL",
            args![other],
        )
        .await
        .unwrap();
        assert_eq!(times, [Some(at), None], "and the writer what sqlx wrote");
    }

    /// A constraint broken on the writer's thread is the same error as
    /// through sqlx: callers tell a taken key by it.
    #[tokio::test]
    async fn a_taken_key_is_reported_as_sqlx_would() {
        let (_dir, db) = db().await;
        let id = Uuid::now_v7();
        let insert = "INSERT INTO t (id, at) VALUES ($1, $2)";
        let mut tx = db.begin().await.unwrap();
        db::execute(&mut tx, insert, args![id, Utc::now()])
            .await
            .unwrap();
        let error = db::execute(&mut tx, insert, args![id, Utc::now()])
            .await
            .unwrap_err();
        assert!(db::is_unique_violation(&error), "{error}");
        let error = db::execute(&mut tx, "INSERT INTO t (id) VALUES ($1)", args![id])
            .await
            .unwrap_err();
        assert!(
            matches!(&error, sqlx::Error::Database(e)
                if e.kind() == sqlx::error::ErrorKind::NotNullViolation),
            "{error}"
        );
        drop(tx);
    }

    /// While another process writes, the writer waits for it without
    /// holding up the runtime's thread: on a runtime of one thread, other
    /// tasks go on meanwhile.
    #[tokio::test(flavor = "current_thread")]
    async fn waiting_for_another_process_holds_up_nothing_else() {
        let (dir, db) = db().await;
        let other = Connection::open(dir.path().join("direct.db")).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let write = tokio::spawn({
            let db = db.clone();
            async move {
                let mut tx = db.begin().await.unwrap();
                db::execute(
                    &mut tx,
                    "INSERT INTO t (id, at) VALUES ($1, $2)",
                    args![Uuid::now_v7(), Utc::now()],
                )
                .await
                .unwrap();
                tx.commit().await.unwrap();
            }
        });
        let mut ticks = 0;
        while ticks < 10 {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            ticks += 1;
        }
        assert!(
            !write.is_finished(),
            "the write waits for the other process"
        );
        other.execute_batch("COMMIT").unwrap();
        write.await.unwrap();
        let mut conn = db.acquire().await.unwrap();
        let rows: i64 = db::fetch_scalar(&mut conn, "SELECT COUNT(*) FROM t", vec![])
            .await
            .unwrap();
        assert_eq!(rows, 1);
    }
}
