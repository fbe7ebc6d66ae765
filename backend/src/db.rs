//! The one place where SQLite and PostgreSQL differ.
//!
//! Queries are written once, with `$1` placeholders (which SQLite reads by
//! number too) and values passed as [`Value`]s; the functions here send them
//! to whichever database `DATABASE_URL` chose. Identifiers and times are typed
//! in both databases (BLOB/TEXT in SQLite, UUID/TIMESTAMPTZ in PostgreSQL), so
//! each database has its own migration folder.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgArguments, PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteArguments, SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{
    Arguments, Decode, FromRow, PgConnection, PgPool, Postgres, Sqlite, SqliteConnection,
    SqlitePool, Transaction, Type,
};
use uuid::Uuid;

use crate::sqlite_direct::Direct1;
use crate::sqlite_reader::Reader;
use crate::sqlite_writer::{Write, Writer};
use std::sync::Arc;

/// A pool of connections to the configured database; on SQLite, beside it
/// the one connection this process writes through (`sqlite_writer.rs`) and,
/// for a file, the few that read the public version in place
/// (`sqlite_reader.rs`).
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool, Arc<Writer>, Option<Arc<Reader>>),
    Postgres(PgPool),
}

/// A PostgreSQL connection idle this long is pinged before it is used.
const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

/// Which database a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// One value bound to a `$n` placeholder. `None` binds SQL NULL.
#[derive(Clone, Debug)]
pub enum Value {
    Text(Option<String>),
    Int(Option<i64>),
    Float(Option<f64>),
    Bool(Option<bool>),
    Uuid(Option<Uuid>),
    Time(Option<DateTime<Utc>>),
}

macro_rules! value_from {
    ($variant:ident, $ty:ty) => {
        impl From<$ty> for Value {
            fn from(v: $ty) -> Self {
                Value::$variant(Some(v.into()))
            }
        }
        impl From<Option<$ty>> for Value {
            fn from(v: Option<$ty>) -> Self {
                Value::$variant(v.map(Into::into))
            }
        }
    };
}
value_from!(Text, String);
value_from!(Text, &str);
value_from!(Int, i64);
value_from!(Float, f64);
value_from!(Bool, bool);
value_from!(Uuid, Uuid);
value_from!(Time, DateTime<Utc>);

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(Some(v.clone()))
    }
}
impl From<Option<&String>> for Value {
    fn from(v: Option<&String>) -> Self {
        Value::Text(v.cloned())
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Int(Some(v.into()))
    }
}

/// The values of a query, in placeholder order: `args![id, title]`.
#[macro_export]
macro_rules! args {
    ($($value:expr),* $(,)?) => { vec![$($crate::db::Value::from($value)),*] };
}

/// A pooled connection or an open transaction, on either database: on
/// SQLite a write is the writer's ([`Write`]), whose statements run on the
/// calling thread except reads of records (`sqlite_direct.rs`).
pub enum Handle<'a> {
    Sqlite(&'a mut SqliteConnection),
    Write(&'a mut Write),
    Postgres(&'a mut PgConnection),
}

/// Anything queries can run on.
pub trait Executor: Send {
    /// Where a statement runs; for a PostgreSQL write only after
    /// [`Executor::begun`].
    fn handle(&mut self) -> Result<Handle<'_>, sqlx::Error>;

    /// Sends a PostgreSQL write's `BEGIN`, if not sent yet: before the
    /// first statement that is not put off ([`execute_later`]).
    fn begun(&mut self) -> impl std::future::Future<Output = Result<(), sqlx::Error>> + Send {
        std::future::ready(Ok(()))
    }

    /// Where a lone write statement on this executor is to go instead: a
    /// SQLite pool connection's writes join the writer's batches rather
    /// than wait in SQLite's busy handler.
    fn writer(&self) -> Option<&Arc<Writer>> {
        None
    }

    /// Statements given to [`execute_later`] and not run yet: only a
    /// write transaction keeps any (see there).
    fn later(&mut self) -> Option<&mut Vec<Later>> {
        None
    }
}

/// A statement put off by [`execute_later`]: its SQL and values.
pub struct Later {
    sql: String,
    values: Vec<Value>,
}

/// A connection taken from the pool for a few reads. On SQLite a single
/// write statement run on it ([`execute`]) goes through the writer.
pub enum Conn {
    Sqlite(PoolConnection<Sqlite>, Arc<Writer>),
    Postgres(PoolConnection<Postgres>),
}

/// An open transaction, with the statements put off in it
/// ([`execute_later`]); dropped without [`Tx::commit`] it rolls back.
pub enum Tx {
    Sqlite(Write, Vec<Later>),
    Postgres(PgWrite, Vec<Later>),
}

/// A PostgreSQL write's connection, and its transaction once begun.
///
/// A write begun with [`Db::begin_inserts`] sends nothing when it starts:
/// `BEGIN` goes just before its first statement that is not put off. A
/// write made only of plain inserts (a citizen's proposal or offer, with
/// its key and its mail) is then sent at its commit as one statement,
/// which is a transaction of its own: one round trip, where `BEGIN`, the
/// statements and `COMMIT` took three or more, each a wake-up of both
/// processes. Other writes begin at once, as ever ([`Db::begin`]).
pub enum PgWrite {
    NotBegun(PoolConnection<Postgres>),
    Begun(Transaction<'static, Postgres>),
    /// Its `BEGIN` failed, and the connection went back to the pool.
    Lost,
}

fn lost() -> sqlx::Error {
    sqlx::Error::Protocol("this write's BEGIN failed; it cannot go on".into())
}

impl Executor for Conn {
    fn handle(&mut self) -> Result<Handle<'_>, sqlx::Error> {
        Ok(match self {
            Conn::Sqlite(c, _) => Handle::Sqlite(c),
            Conn::Postgres(c) => Handle::Postgres(c),
        })
    }

    fn writer(&self) -> Option<&Arc<Writer>> {
        match self {
            Conn::Sqlite(_, writer) => Some(writer),
            Conn::Postgres(_) => None,
        }
    }
}

impl Executor for Tx {
    fn handle(&mut self) -> Result<Handle<'_>, sqlx::Error> {
        match self {
            Tx::Sqlite(t, _) => Ok(Handle::Write(t)),
            Tx::Postgres(PgWrite::Begun(t), _) => Ok(Handle::Postgres(t)),
            // Every statement asks for `begun` first (`run_later`).
            Tx::Postgres(PgWrite::NotBegun(_) | PgWrite::Lost, _) => Err(lost()),
        }
    }

    async fn begun(&mut self) -> Result<(), sqlx::Error> {
        if let Tx::Postgres(write, _) = self {
            match std::mem::replace(write, PgWrite::Lost) {
                PgWrite::NotBegun(conn) => {
                    *write = PgWrite::Begun(Transaction::begin(conn, None).await?);
                }
                other => *write = other,
            }
        }
        Ok(())
    }

    fn later(&mut self) -> Option<&mut Vec<Later>> {
        match self {
            Tx::Sqlite(_, later) | Tx::Postgres(_, later) => Some(later),
        }
    }
}

/// Options for opening the database.
#[derive(Clone, Debug)]
pub struct Options {
    pub url: String,
    pub max_connections: u32,
}

impl Db {
    /// Opens the pool. A SQLite file (and its folder) is created when missing
    /// and runs in WAL mode, so readers never wait for the writer.
    pub async fn connect(options: &Options) -> Result<Db, sqlx::Error> {
        let url = options.url.as_str();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let connect = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections)
                .acquire_timeout(Duration::from_secs(10))
                // sqlx pings every connection it hands out: a round trip
                // per request, and under load the connection was at work
                // a moment ago. Only one that sat idle is asked whether
                // the server is still there.
                .test_before_acquire(false)
                .before_acquire(|conn, meta| {
                    Box::pin(async move {
                        if meta.idle_for >= PING_AFTER_IDLE {
                            sqlx::Connection::ping(conn).await?;
                        }
                        Ok(true)
                    })
                })
                .connect_with(connect)
                .await?;
            return Ok(Db::Postgres(pool));
        }
        if let Some(folder) = sqlite_folder(url) {
            std::fs::create_dir_all(folder).map_err(sqlx::Error::Io)?;
        }
        let connect = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(15));
        let pool = SqlitePoolOptions::new()
            .max_connections(options.max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(connect.clone())
            .await?;
        let writer = Writer::open(&connect).await?;
        // The pool has made the file and put it in WAL mode by now.
        let path = connect.get_filename();
        let reader = if path.is_file() {
            let reader = Reader::open(path).map_err(|e| sqlx::Error::Configuration(e.into()))?;
            Some(Arc::new(reader))
        } else {
            None
        };
        Ok(Db::Sqlite(pool, writer, reader))
    }

    /// A municipality's public version read on this thread (SQLite with a
    /// file), or `None` to read it through the pool (see `sqlite_reader.rs`).
    pub fn version_in_place(&self, municipality: &str) -> Option<Option<i64>> {
        match self {
            Db::Sqlite(_, _, Some(reader)) => reader.version(municipality),
            _ => None,
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Db::Sqlite(..) => Kind::Sqlite,
            Db::Postgres(_) => Kind::Postgres,
        }
    }

    /// Brings the schema up to date. On PostgreSQL sqlx holds an advisory
    /// lock meanwhile, so several backends may start at once.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self {
            Db::Sqlite(pool, ..) => sqlx::migrate!("./migrations/sqlite").run(pool).await,
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await,
        }
    }

    /// How many migrations this build knows (applied ones are in
    /// `_sqlx_migrations`).
    pub fn migration_count(&self) -> usize {
        match self {
            Db::Sqlite(..) => sqlx::migrate!("./migrations/sqlite").iter().count(),
            Db::Postgres(_) => sqlx::migrate!("./migrations/postgres").iter().count(),
        }
    }

    pub async fn acquire(&self) -> Result<Conn, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool, writer, _) => Conn::Sqlite(pool.acquire().await?, writer.clone()),
            Db::Postgres(pool) => Conn::Postgres(pool.acquire().await?),
        })
    }

    /// Starts a write transaction. On SQLite it is a savepoint in the
    /// writer's batch, which holds the write lock from the start (so no
    /// snapshot can turn out stale), and this process's writes follow one
    /// another; still make its first statement a write, which PostgreSQL's
    /// row locks and conditional updates rely on. Never start a second
    /// while holding one: on SQLite it waits for the first.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(_, writer, _) => Tx::Sqlite(writer.begin().await?, Vec::new()),
            Db::Postgres(pool) => Tx::Postgres(PgWrite::Begun(pool.begin().await?), Vec::new()),
        })
    }

    /// [`Db::begin`] for a write that will be plain inserts alone (put off
    /// with [`execute_later`]): on PostgreSQL nothing is sent until its
    /// commit, which sends them as one statement, a transaction of its own
    /// ([`PgWrite`]); a statement that is not put off begins it first.
    pub async fn begin_inserts(&self) -> Result<Tx, sqlx::Error> {
        match self {
            Db::Postgres(pool) => Ok(Tx::Postgres(
                PgWrite::NotBegun(pool.acquire().await?),
                Vec::new(),
            )),
            Db::Sqlite(..) => self.begin().await,
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(pool, ..) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    /// Runs the statements put off, then commits.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        if let Tx::Postgres(PgWrite::NotBegun(conn), later) = &mut self {
            // Nothing sent yet: what was put off is the whole write, and
            // one statement is a transaction of its own.
            if later.is_empty() {
                return Ok(());
            }
            let (sql, values) = joined(std::mem::take(later));
            sqlx::query_with(&sql, pg_args(values)?)
                .execute(&mut **conn)
                .await?;
            return Ok(());
        }
        run_later(&mut self).await?;
        match self {
            Tx::Sqlite(write, _) => write.commit().await,
            Tx::Postgres(PgWrite::Begun(t), _) => t.commit().await,
            Tx::Postgres(..) => Err(lost()),
        }
    }

    /// Puts off `sql` as this write's first statement, on PostgreSQL only
    /// (elsewhere it runs now): unlike [`execute_later`] it may read a
    /// table, which no statement put off may write (they do not see each
    /// other's rows).
    pub async fn first_later(&mut self, sql: &str, values: Vec<Value>) -> Result<(), sqlx::Error> {
        match self {
            Tx::Postgres(_, later) => {
                later.insert(
                    0,
                    Later {
                        sql: sql.to_string(),
                        values,
                    },
                );
                Ok(())
            }
            Tx::Sqlite(..) => execute(self, sql, values).await.map(|_| ()),
        }
    }
}

fn sqlite_folder(url: &str) -> Option<&Path> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next()?;
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
}

fn sqlite_args(values: Vec<Value>) -> Result<SqliteArguments<'static>, sqlx::Error> {
    let mut args = SqliteArguments::default();
    for value in values {
        match value {
            Value::Text(v) => args.add(v),
            Value::Int(v) => args.add(v),
            Value::Float(v) => args.add(v),
            Value::Bool(v) => args.add(v),
            Value::Uuid(v) => args.add(v),
            Value::Time(v) => args.add(v),
        }
        .map_err(sqlx::Error::Encode)?;
    }
    Ok(args)
}

fn pg_args(values: Vec<Value>) -> Result<PgArguments, sqlx::Error> {
    let mut args = PgArguments::default();
    for value in values {
        match value {
            Value::Text(v) => args.add(v),
            Value::Int(v) => args.add(v),
            Value::Float(v) => args.add(v),
            Value::Bool(v) => args.add(v),
            Value::Uuid(v) => args.add(v),
            Value::Time(v) => args.add(v),
        }
        .map_err(sqlx::Error::Encode)?;
    }
    Ok(args)
}

/// A row type both databases can decode.
pub trait Record:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> Record for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// A single column both databases can decode.
pub trait Scalar:
    Direct1
    + for<'r> Decode<'r, Sqlite>
    + Type<Sqlite>
    + for<'r> Decode<'r, Postgres>
    + Type<Postgres>
    + Send
    + Unpin
{
}
impl<T> Scalar for T where
    T: Direct1
        + for<'r> Decode<'r, Sqlite>
        + Type<Sqlite>
        + for<'r> Decode<'r, Postgres>
        + Type<Postgres>
        + Send
        + Unpin
{
}

/// A statement that changes rows (not `VACUUM`, a `PRAGMA` or a read).
fn is_write(sql: &str) -> bool {
    let start = sql.trim_start();
    ["INSERT", "UPDATE", "DELETE", "WITH"].iter().any(|verb| {
        start
            .get(..verb.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(verb))
    })
}

/// Runs a plain insert (`INSERT … VALUES`) whose count of changed rows
/// nobody needs, as late as it may: in a write transaction, just before
/// the next statement or the commit — on PostgreSQL the inserts put off
/// together as one statement, one round trip ([`joined`]); elsewhere at
/// once. An error comes from that later statement or commit, and the
/// transaction is then lost as with any failed statement.
pub async fn execute_later(
    ex: &mut impl Executor,
    sql: &str,
    values: Vec<Value>,
) -> Result<(), sqlx::Error> {
    let plain = is_plain_insert(sql);
    debug_assert!(plain, "not a plain insert: {sql}");
    match ex.later().filter(|_| plain) {
        Some(later) => {
            later.push(Later {
                sql: sql.to_string(),
                values,
            });
            Ok(())
        }
        None => execute(ex, sql, values).await.map(|_| ()),
    }
}

/// Begins a PostgreSQL write if need be, then runs the statements put off
/// by [`execute_later`], if any, in order.
async fn run_later(ex: &mut impl Executor) -> Result<(), sqlx::Error> {
    ex.begun().await?;
    let Some(later) = ex.later().filter(|later| !later.is_empty()) else {
        return Ok(());
    };
    let later = std::mem::take(later);
    match ex.handle()? {
        Handle::Write(write) => {
            let direct = write.direct().await?;
            for statement in later {
                direct.execute(&statement.sql, &statement.values)?;
            }
        }
        Handle::Postgres(c) => {
            let (sql, values) = joined(later);
            sqlx::query_with(&sql, pg_args(values)?).execute(c).await?;
        }
        Handle::Sqlite(_) => {}
    }
    Ok(())
}

/// `INSERT … VALUES (…)`, reading no table: what [`joined`] may join.
fn is_plain_insert(sql: &str) -> bool {
    let sql = sql.trim_start();
    sql.get(..6)
        .is_some_and(|verb| verb.eq_ignore_ascii_case("INSERT"))
        && !sql.to_ascii_uppercase().contains("SELECT")
}

/// Plain inserts as one PostgreSQL statement: all but the last in a `WITH`
/// (`WITH l0 AS (INSERT …), l1 AS (INSERT …) INSERT …`), each one's
/// placeholders moved past the values of those before it. The inserts of
/// one statement do not see each other's rows, which no plain insert
/// needs; foreign keys are checked at the statement's end, when all are in.
fn joined(statements: Vec<Later>) -> (String, Vec<Value>) {
    let mut sql = String::new();
    let mut values = Vec::new();
    let last = statements.len() - 1;
    for (n, statement) in statements.into_iter().enumerate() {
        let one = renumbered(&statement.sql, values.len());
        match (n, n == last) {
            (0, true) => sql = one,
            (0, false) => sql = format!("WITH l0 AS ({one})"),
            (n, false) => sql.push_str(&format!(", l{n} AS ({one})")),
            (_, true) => {
                sql.push(' ');
                sql.push_str(&one);
            }
        }
        values.extend(statement.values);
    }
    (sql, values)
}

/// `sql` with every placeholder `$n` made `$(n + by)`; quoted text, names
/// and `--` comments are left as they are.
fn renumbered(sql: &str, by: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                out.push(c);
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '-' && chars.peek() == Some(&'-') => {
                // To the end of the line, an apostrophe in it and all.
                out.push(c);
                for c in chars.by_ref() {
                    out.push(c);
                    if c == '\n' {
                        break;
                    }
                }
            }
            None if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) => {
                let mut n = 0usize;
                while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    n = n * 10 + d as usize;
                    chars.next();
                }
                out.push('$');
                out.push_str(&(n + by).to_string());
            }
            None => out.push(c),
        }
    }
    out
}

/// Runs a statement; returns how many rows it changed.
pub async fn execute(
    ex: &mut impl Executor,
    sql: &str,
    values: Vec<Value>,
) -> Result<u64, sqlx::Error> {
    run_later(ex).await?;
    if let Some(writer) = ex.writer().filter(|_| is_write(sql)) {
        let mut write = writer.begin().await?;
        let changed = write.direct().await?.execute(sql, &values)?;
        write.commit().await?;
        return Ok(changed);
    }
    Ok(match ex.handle()? {
        Handle::Write(write) => write.direct().await?.execute(sql, &values)?,
        Handle::Sqlite(c) => sqlx::query_with(sql, sqlite_args(values)?)
            .execute(c)
            .await?
            .rows_affected(),
        Handle::Postgres(c) => sqlx::query_with(sql, pg_args(values)?)
            .execute(c)
            .await?
            .rows_affected(),
    })
}

/// `sql` after what must run before it in the same call, if anything.
fn after<'a>(start: Option<&str>, sql: &'a str) -> std::borrow::Cow<'a, str> {
    match start {
        Some(start) => format!("{start}; {sql}").into(),
        None => sql.into(),
    }
}

pub async fn fetch_all<R: Record>(
    ex: &mut impl Executor,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<R>, sqlx::Error> {
    run_later(ex).await?;
    match ex.handle()? {
        Handle::Write(write) => {
            let (c, start) = write.connection();
            sqlx::query_as_with(&after(start, sql), sqlite_args(values)?)
                .fetch_all(c)
                .await
        }
        Handle::Sqlite(c) => {
            sqlx::query_as_with(sql, sqlite_args(values)?)
                .fetch_all(c)
                .await
        }
        Handle::Postgres(c) => {
            sqlx::query_as_with(sql, pg_args(values)?)
                .fetch_all(c)
                .await
        }
    }
}

pub async fn fetch_optional<R: Record>(
    ex: &mut impl Executor,
    sql: &str,
    values: Vec<Value>,
) -> Result<Option<R>, sqlx::Error> {
    run_later(ex).await?;
    match ex.handle()? {
        Handle::Write(write) => {
            let (c, start) = write.connection();
            sqlx::query_as_with(&after(start, sql), sqlite_args(values)?)
                .fetch_optional(c)
                .await
        }
        Handle::Sqlite(c) => {
            sqlx::query_as_with(sql, sqlite_args(values)?)
                .fetch_optional(c)
                .await
        }
        Handle::Postgres(c) => {
            sqlx::query_as_with(sql, pg_args(values)?)
                .fetch_optional(c)
                .await
        }
    }
}

pub async fn fetch_scalar<T: Scalar>(
    ex: &mut impl Executor,
    sql: &str,
    values: Vec<Value>,
) -> Result<T, sqlx::Error> {
    run_later(ex).await?;
    match ex.handle()? {
        Handle::Write(write) => write
            .direct()
            .await?
            .scalars(sql, &values)?
            .into_iter()
            .next()
            .ok_or(sqlx::Error::RowNotFound),
        Handle::Sqlite(c) => {
            sqlx::query_scalar_with(sql, sqlite_args(values)?)
                .fetch_one(c)
                .await
        }
        Handle::Postgres(c) => {
            sqlx::query_scalar_with(sql, pg_args(values)?)
                .fetch_one(c)
                .await
        }
    }
}

pub async fn fetch_scalars<T: Scalar>(
    ex: &mut impl Executor,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<T>, sqlx::Error> {
    run_later(ex).await?;
    match ex.handle()? {
        Handle::Write(write) => write.direct().await?.scalars(sql, &values),
        Handle::Sqlite(c) => {
            sqlx::query_scalar_with(sql, sqlite_args(values)?)
                .fetch_all(c)
                .await
        }
        Handle::Postgres(c) => {
            sqlx::query_scalar_with(sql, pg_args(values)?)
                .fetch_all(c)
                .await
        }
    }
}

/// Builds a query whose shape depends on the request (optional filters,
/// `IN` lists), numbering placeholders as values are pushed.
#[derive(Default, Debug)]
pub struct SqlBuilder {
    pub sql: String,
    pub values: Vec<Value>,
}

impl SqlBuilder {
    pub fn new(sql: &str) -> Self {
        SqlBuilder {
            sql: sql.to_string(),
            values: Vec::new(),
        }
    }

    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        self.sql.push_str(&format!("${}", self.values.len()));
        self
    }

    /// Appends `(…, …)` with one placeholder per value.
    pub fn bind_list<V: Into<Value>>(&mut self, values: impl IntoIterator<Item = V>) -> &mut Self {
        self.sql.push('(');
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.bind(value);
        }
        self.sql.push(')');
        self
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether an error means the same key or row was written concurrently.
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_put_off_are_joined_with_their_own_values() {
        assert_eq!(
            renumbered("INSERT INTO t (a, b) VALUES ($1, $2) -- '$1'", 3),
            "INSERT INTO t (a, b) VALUES ($4, $5) -- '$1'"
        );
        assert_eq!(
            renumbered("UPDATE t SET a = $1 -- it's $1\nWHERE b = $2", 1),
            "UPDATE t SET a = $2 -- it's $1\nWHERE b = $3"
        );
        assert_eq!(
            renumbered(r#"SELECT '$1 it''s', "$2", $10, $1"#, 2),
            r#"SELECT '$1 it''s', "$2", $12, $3"#
        );
        assert_eq!(
            renumbered(r#"INSERT INTO t VALUES ('$1 it''s', "$2", $10, $1)"#, 2),
            r#"INSERT INTO t VALUES ('$1 it''s', "$2", $12, $3)"#
        );
        let later = |sql: &str, values| Later {
            sql: sql.into(),
            values,
        };
        let (sql, values) = joined(vec![
            later("INSERT INTO a VALUES ($1, $2)", args!["a", 1i64]),
            later("INSERT INTO b VALUES ($2, $1)", args!["b", 2i64]),
            later("INSERT INTO c VALUES ($1)", args!["c"]),
        ]);
        assert_eq!(
            sql,
            "WITH l0 AS (INSERT INTO a VALUES ($1, $2)), \
             l1 AS (INSERT INTO b VALUES ($4, $3)) INSERT INTO c VALUES ($5)"
        );
        assert_eq!(values.len(), 5);
        let (sql, _) = joined(vec![later("INSERT INTO a VALUES ($1)", args!["a"])]);
        assert_eq!(sql, "INSERT INTO a VALUES ($1)");
        assert!(is_plain_insert("  insert INTO a VALUES ($1)"));
        assert!(!is_plain_insert("INSERT INTO a SELECT * FROM b"));
        assert!(!is_plain_insert("UPDATE a SET b = 1"));
    }

    /// On SQLite: run before the next statement (which sees them) and the
    /// commit, in order; a failing one fails the commit and takes the
    /// whole write with it.
    #[tokio::test]
    async fn statements_put_off_run_in_order_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&Options {
            url: format!("sqlite://{}/later.db", dir.path().display()),
            max_connections: 2,
        })
        .await
        .unwrap();
        let mut conn = db.acquire().await.unwrap();
        execute(
            &mut conn,
            "CREATE TABLE t (a TEXT PRIMARY KEY, b INTEGER NOT NULL)",
            vec![],
        )
        .await
        .unwrap();
        drop(conn);

        let mut tx = db.begin().await.unwrap();
        execute_later(&mut tx, "INSERT INTO t VALUES ($1, $2)", args!["x", 1i64])
            .await
            .unwrap();
        execute_later(&mut tx, "INSERT INTO t VALUES ($2, $1)", args![10i64, "w"])
            .await
            .unwrap();
        let b: i64 = fetch_scalar(&mut tx, "SELECT SUM(b) FROM t", vec![])
            .await
            .unwrap();
        assert_eq!(b, 11, "the read sees the statements put off before it");
        execute_later(&mut tx, "INSERT INTO t VALUES ($1, $2)", args!["y", 2i64])
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let mut tx = db.begin().await.unwrap();
        execute_later(&mut tx, "INSERT INTO t VALUES ($1, $2)", args!["z", 3i64])
            .await
            .unwrap();
        // Taken already: the commit fails, and "z" goes with it.
        execute_later(&mut tx, "INSERT INTO t VALUES ($1, $2)", args!["x", 4i64])
            .await
            .unwrap();
        assert!(tx.commit().await.is_err());

        let mut conn = db.acquire().await.unwrap();
        let rows: Vec<(String, i64)> =
            fetch_all(&mut conn, "SELECT a, b FROM t ORDER BY a", vec![])
                .await
                .unwrap();
        assert_eq!(
            rows,
            [
                ("w".to_string(), 10),
                ("x".to_string(), 1),
                ("y".to_string(), 2)
            ]
        );
    }

    #[test]
    fn finds_the_folder_of_a_sqlite_file() {
        assert_eq!(
            sqlite_folder("sqlite://data/sammen.db"),
            Some(Path::new("data"))
        );
        assert_eq!(sqlite_folder("sqlite:sammen.db?mode=rwc"), None);
        assert_eq!(sqlite_folder("sqlite::memory:"), None);
    }

    #[test]
    fn numbers_placeholders_in_order() {
        let mut q = SqlBuilder::new("SELECT 1 WHERE a = ");
        q.bind("x").push(" AND b IN ").bind_list([1i64, 2]);
        assert_eq!(q.sql, "SELECT 1 WHERE a = $1 AND b IN ($2, $3)");
        assert_eq!(q.values.len(), 3);
    }

    #[test]
    fn escapes_like_wildcards() {
        assert_eq!(like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
