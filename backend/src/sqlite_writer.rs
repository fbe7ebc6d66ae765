//! SQLite's writes, committed in small batches by one connection.
//!
//! SQLite lets one connection write at a time. Left to itself, every pool
//! connection that wants to write waits in SQLite's busy handler, which
//! sleeps 1, 2, 5, 10 … 100 ms between tries: under load most of a write's
//! time was that sleep, and every write paid a commit of its own. Here each
//! write transaction of this process is instead a savepoint on one writing
//! connection, handed from one writer to the next in arrival order (a fair
//! async mutex), inside one SQLite transaction that commits when nobody
//! else is waiting, or after [`MAX_BATCH`] writes.
//!
//! - A write hears "committed" only after its batch's COMMIT: nothing is
//!   acknowledged that a crash could still lose.
//! - A write that fails or is dropped rolls back to its savepoint and takes
//!   nothing else with it.
//! - If COMMIT itself fails, every write of that batch hears the error, and
//!   none of them happened (idempotent retries then write them once).
//! - Other processes on the same file meet SQLite's busy timeout, as before.
//!
//! Whoever hands the connection on with a batch open and nobody in line
//! commits it, so a batch never waits for a writer that is not coming;
//! a writer that gives up its place in line (its request was dropped) makes
//! sure of the same.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};
use tokio::sync::{watch, Mutex, OwnedMutexGuard};

use crate::sqlite_direct::Direct;

/// At most this many writes share one COMMIT: enough to fold a burst into
/// a few commits, few enough that the first of them waits only a few ms.
pub const MAX_BATCH: usize = 32;

/// How long a write waits for its turn: SQLite's busy timeout (db.rs).
const WAIT_AT_MOST: std::time::Duration = std::time::Duration::from_secs(15);

/// How a batch ended, as every write of it hears: `None` while it is open.
type Outcome = Option<Result<(), String>>;

/// The open transaction and the writes released into it.
struct Batch {
    members: usize,
    outcome: watch::Sender<Outcome>,
}

/// The writing connection and what is open on it.
struct Slot {
    /// Its statements, run on the writer's own thread (`sqlite_direct.rs`);
    /// dropped before the connection.
    direct: Direct,
    conn: SqliteConnection,
    batch: Option<Batch>,
    /// A write's savepoint is open on the connection.
    in_write: bool,
    /// The last write's savepoint is done but not yet released: its RELEASE
    /// goes with the next statement the connection runs anyway (the next
    /// write's SAVEPOINT, or the batch's COMMIT), one round trip to the
    /// connection's thread fewer per write in the writer's turn.
    release: bool,
    /// The last write's savepoint name, 0 or 1 (see [`start`]).
    name: usize,
}

/// What starts a write: the batch's `BEGIN`, the last write's `RELEASE`
/// and this write's `SAVEPOINT`. It is sent with the write's first
/// statement, in one call. Two writes in a row take the two names in turn,
/// so "`ROLLBACK TO` this write's name" fails — and the batch is rolled
/// back whole — when the call broke off before this savepoint was made,
/// rather than undo the write before it.
fn start(opening: bool, release: bool, name: usize) -> &'static str {
    match (opening, release, name) {
        (true, _, 0) => "BEGIN IMMEDIATE; SAVEPOINT write_0",
        (true, _, _) => "BEGIN IMMEDIATE; SAVEPOINT write_1",
        (false, true, 0) => "RELEASE write_1; SAVEPOINT write_0",
        (false, true, _) => "RELEASE write_0; SAVEPOINT write_1",
        (false, false, 0) => "SAVEPOINT write_0",
        (false, false, _) => "SAVEPOINT write_1",
    }
}

const ROLLBACK_TO: [&str; 2] = [
    "ROLLBACK TO write_0; RELEASE write_0",
    "ROLLBACK TO write_1; RELEASE write_1",
];
const RELEASE: [&str; 2] = ["RELEASE write_0", "RELEASE write_1"];
const RELEASE_AND_COMMIT: [&str; 2] = ["RELEASE write_0; COMMIT", "RELEASE write_1; COMMIT"];

/// The one writing connection of a SQLite database in this process.
pub struct Writer {
    slot: Arc<Mutex<Slot>>,
    /// Writers waiting for the slot: while there are any, a batch stays open.
    waiting: AtomicUsize,
    /// The WAL has grown past [`CATCH_UP_AT`]: the next COMMIT checkpoints
    /// it, so that the write after it starts the WAL over (see `checkpoint`).
    catch_up: AtomicBool,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("waiting", &self.waiting.load(Ordering::Relaxed))
            .finish()
    }
}

/// One write in progress: a savepoint in the writer's open batch, with the
/// connection to itself until [`Write::commit`] or drop (which rolls back).
pub struct Write {
    slot: Option<OwnedMutexGuard<Slot>>,
    writer: Arc<Writer>,
    /// What starts this write ([`start`]), until its first statement takes it.
    start: Option<&'static str>,
}

async fn run(conn: &mut SqliteConnection, sql: &str) -> Result<(), sqlx::Error> {
    sqlx::query(sql).execute(conn).await.map(|_| ())
}

/// How often the WAL is copied back into the database file.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// Frames (4 KiB pages) in the WAL past which the writer checkpoints it
/// itself: 16 MiB.
const CATCH_UP_AT: i64 = 4096;

impl Writer {
    pub async fn open(options: &SqliteConnectOptions) -> Result<Arc<Writer>, sqlx::Error> {
        // Savepoints journal the pages they change: in memory, not a file.
        let options = options.clone().pragma("temp_store", "memory");
        // Serialized: SQLite's own mutex guards the handle too, whichever
        // thread runs on it (`sqlite_direct.rs`).
        let mut conn = SqliteConnection::connect_with(&options.clone().serialized(true)).await?;
        // The WAL is copied back by a connection of its own, beside the
        // writer (see `checkpoint`), not by the COMMIT that fills it.
        run(&mut conn, "PRAGMA wal_autocheckpoint = 0").await?;
        // A WAL started over after a burst is cut back to this size.
        run(&mut conn, "PRAGMA journal_size_limit = 67108864").await?;
        let direct = Direct::new(&mut conn).await?;
        let checkpointer = SqliteConnection::connect_with(&options).await?;
        let writer = Arc::new(Writer {
            slot: Arc::new(Mutex::new(Slot {
                direct,
                conn,
                batch: None,
                in_write: false,
                release: false,
                name: 1,
            })),
            waiting: AtomicUsize::new(0),
            catch_up: AtomicBool::new(false),
        });
        tokio::spawn(checkpoint(checkpointer, Arc::downgrade(&writer)));
        Ok(writer)
    }

    /// Waits for the connection, counted in line meanwhile; after
    /// [`WAIT_AT_MOST`] it gives up as SQLite's busy timeout would (a task
    /// that holds a write and starts another would otherwise wait forever).
    async fn take_turn(self: &Arc<Self>) -> Result<OwnedMutexGuard<Slot>, sqlx::Error> {
        /// Leaves the line; a writer that leaves without its turn (its
        /// request was dropped) may have been the one a batch waited for.
        struct InLine<'a> {
            writer: &'a Arc<Writer>,
            served: bool,
        }
        impl Drop for InLine<'_> {
            fn drop(&mut self) {
                self.writer.waiting.fetch_sub(1, Ordering::SeqCst);
                if !self.served {
                    let writer = self.writer.clone();
                    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                        runtime.spawn(async move {
                            let slot = writer.slot.clone().lock_owned().await;
                            writer.hand_on(slot).await;
                        });
                    }
                }
            }
        }
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let mut line = InLine {
            writer: self,
            served: false,
        };
        let slot = tokio::time::timeout(WAIT_AT_MOST, self.slot.clone().lock_owned())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?;
        line.served = true;
        Ok(slot)
    }

    /// Starts a write: its turn at the connection. Nothing is sent yet:
    /// what opens the batch (`BEGIN IMMEDIATE`, waiting the busy timeout for
    /// another process) and this write's savepoint go with its first
    /// statement ([`Write::connection`]), one round trip fewer in the turn.
    /// Dropped before that, it leaves the connection as it found it; after,
    /// dropping it rolls it back.
    pub async fn begin(self: &Arc<Self>) -> Result<Write, sqlx::Error> {
        let slot = self.take_turn().await?;
        let start = start(slot.batch.is_none(), slot.release, 1 - slot.name);
        Ok(Write {
            slot: Some(slot),
            writer: self.clone(),
            start: Some(start),
        })
    }

    /// Lets the next writer have the connection, first committing the open
    /// batch if nobody is waiting to add to it or it is full.
    async fn hand_on(&self, mut slot: OwnedMutexGuard<Slot>) {
        if slot.in_write {
            // A write dropped unfinished: undo it alone if its savepoint
            // still stands, else the whole batch is gone with it.
            slot.in_write = false;
            let members = slot.batch.as_ref().map_or(0, |batch| batch.members);
            let (undo, last) = (ROLLBACK_TO[slot.name], RELEASE[1 - slot.name]);
            match slot.run(undo).await {
                Ok(()) => {}
                // The call that started the write broke off before its
                // savepoint was made (the request was dropped mid-call):
                // nothing of it was written, but the last write's RELEASE
                // may or may not have run. It runs now, if it has not.
                Err(error) if no_such_savepoint(&error) && members > 0 => {
                    match slot.run(last).await {
                        Ok(()) => {}
                        Err(error) if no_such_savepoint(&error) => {}
                        Err(error) => fail_batch(&mut slot, &error).await,
                    }
                    slot.release = false;
                }
                // Otherwise the batch goes; a batch with no write in it
                // yet (this one opened it, its BEGIN run or not) loses
                // nothing.
                Err(error) => fail_batch(&mut slot, &error).await,
            }
        }
        let full = slot
            .batch
            .as_ref()
            .is_some_and(|batch| batch.members >= MAX_BATCH);
        if full || self.waiting.load(Ordering::SeqCst) == 0 {
            commit_batch(&mut slot, &self.catch_up).await;
        }
    }
}

/// Copies the WAL back into the database file every [`CHECKPOINT_EVERY`]
/// while the writer lives. SQLite's automatic checkpoint would do it in the
/// COMMIT that crosses 1,000 pages, in the writer's turn, which every write
/// of the process waits for: a tenth of the writer's time under load. A
/// passive checkpoint from another connection runs beside the writer and
/// the readers, and waits for neither.
///
/// But SQLite starts the WAL over only when a write begins with every frame
/// copied back, and under a steady stream of writes that moment never came:
/// the WAL grew by 200 MB a second, every frame a new block of the file.
/// So once it holds more than [`CATCH_UP_AT`] frames, the writer copies the
/// last few back itself after its next COMMIT, and the next write starts it
/// over.
async fn checkpoint(mut conn: SqliteConnection, writer: std::sync::Weak<Writer>) {
    let mut every = tokio::time::interval(CHECKPOINT_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let Some(writer) = writer.upgrade() else {
            break;
        };
        // Its row: busy, frames in the WAL, frames copied back.
        let done: Result<(i64, i64, i64), _> = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(&mut conn)
            .await;
        match done {
            Ok((_, frames, _)) if frames > CATCH_UP_AT => {
                writer.catch_up.store(true, Ordering::Relaxed);
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "a WAL checkpoint failed"),
        }
    }
    let _ = conn.close().await;
}

/// Commits the open batch, if any, and tells its writes how it went.
async fn commit_batch(slot: &mut Slot, catch_up: &AtomicBool) {
    let Some(batch) = slot.batch.take() else {
        return;
    };
    let sql = if slot.release {
        RELEASE_AND_COMMIT[slot.name]
    } else {
        "COMMIT"
    };
    slot.release = false;
    let result = slot.run(sql).await;
    if result.is_err() {
        // Leave no transaction behind for the next batch to nest in.
        let _ = slot.run("ROLLBACK").await;
    } else if catch_up.swap(false, Ordering::Relaxed) {
        // On sqlx's thread: it ends with an fsync of the database file,
        // which is not to hold up a runtime thread. Busy (another
        // checkpoint runs) is no matter: the flag comes back.
        slot.direct.release();
        let _ = run(&mut slot.conn, "PRAGMA wal_checkpoint(PASSIVE)").await;
    }
    batch
        .outcome
        .send_replace(Some(result.map_err(|error| error.to_string())));
}

/// SQLite's answer to `ROLLBACK TO` or `RELEASE` of a savepoint that was
/// never made (or is gone).
fn no_such_savepoint(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.message().starts_with("no such savepoint"))
}

/// Rolls the open batch back (whatever of it is left) and tells its writes.
async fn fail_batch(slot: &mut Slot, error: &sqlx::Error) {
    let _ = slot.run("ROLLBACK").await;
    slot.release = false;
    if let Some(batch) = slot.batch.take() {
        batch
            .outcome
            .send_replace(Some(Err(format!("the batch was rolled back: {error}"))));
    }
}

impl Slot {
    /// Runs statements without values, on this thread when it can.
    async fn run(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        self.direct.hold(&mut self.conn).await?;
        self.direct.batch(sql)
    }

    /// Counts a write as started: from then on rolling back to its
    /// savepoint is how it ends unfinished.
    fn started(&mut self) {
        if self.batch.is_none() {
            self.batch = Some(Batch {
                members: 0,
                outcome: watch::channel(None).0,
            });
        }
        self.release = false;
        self.name = 1 - self.name;
        self.in_write = true;
    }
}

impl Write {
    /// The connection for this write's next statement through sqlx (for
    /// reads of records), and what must be sent before it in the same call:
    /// [`start`], for the first one. From then on the write counts as
    /// started, whether the call gets through or not — a savepoint that was
    /// never made is found out when rolling back to it fails, and then the
    /// batch goes.
    pub fn connection(&mut self) -> (&mut SqliteConnection, Option<&'static str>) {
        let slot = self.slot.as_mut().expect("a write in progress");
        slot.direct.release();
        let start = self.start.take();
        if start.is_some() {
            slot.started();
        }
        (&mut slot.conn, start)
    }

    /// The connection for this write's next statement on this thread
    /// (`sqlite_direct.rs`), its start run first.
    pub async fn direct(&mut self) -> Result<&Direct, sqlx::Error> {
        let slot: &mut Slot = self.slot.as_deref_mut().expect("a write in progress");
        slot.direct.hold(&mut slot.conn).await?;
        if let Some(start) = self.start.take() {
            slot.started();
            match start.strip_prefix("BEGIN IMMEDIATE; ") {
                Some(savepoint) => {
                    if !slot.direct.begin_immediate()? {
                        // Another process writes: wait for it on sqlx's
                        // thread, not this one.
                        slot.direct.release();
                        run(&mut slot.conn, "BEGIN IMMEDIATE").await?;
                        slot.direct.hold(&mut slot.conn).await?;
                    }
                    slot.direct.batch(savepoint)?;
                }
                None => slot.direct.batch(start)?,
            }
        }
        Ok(&slot.direct)
    }

    /// Releases this write into its batch and returns once the batch has
    /// committed (or with the error that kept it from committing).
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        let mut slot = self.slot.take().expect("a write in progress");
        if self.start.take().is_some() {
            // Nothing was sent: nothing to commit.
            self.writer.hand_on_now(slot);
            return Ok(());
        }
        let Some(batch) = slot.batch.as_mut() else {
            self.writer.hand_on_now(slot);
            return Err(sqlx::Error::Protocol("no batch is open".into()));
        };
        // Released with whatever the connection runs next (see `release`).
        batch.members += 1;
        let mut outcome = batch.outcome.subscribe();
        slot.in_write = false;
        slot.release = true;
        self.writer.hand_on_now(slot);
        let ended = outcome
            .wait_for(Option::is_some)
            .await
            .map(|ended| ended.clone());
        match ended {
            Ok(Some(Ok(()))) => Ok(()),
            Ok(Some(Err(error))) => Err(sqlx::Error::Protocol(format!(
                "the write's batch did not commit: {error}"
            ))),
            _ => Err(sqlx::Error::PoolClosed),
        }
    }
}

impl Writer {
    /// Hands the connection on at once when that needs no statement (others
    /// are waiting to join the batch), else in a task of its own: a request
    /// dropped halfway (its client went away) must not leave the connection
    /// in a state the slot does not know of.
    fn hand_on_now(self: &Arc<Self>, slot: OwnedMutexGuard<Slot>) {
        let full = slot
            .batch
            .as_ref()
            .is_some_and(|batch| batch.members >= MAX_BATCH);
        let commit = slot.batch.is_some() && (full || self.waiting.load(Ordering::SeqCst) == 0);
        if !slot.in_write && !commit {
            drop(slot);
            return;
        }
        let writer = self.clone();
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move { writer.hand_on(slot).await });
        }
    }
}

impl Drop for Write {
    fn drop(&mut self) {
        // Unfinished: roll back to the savepoint and hand on, in a task,
        // since dropping cannot wait.
        if let Some(slot) = self.slot.take() {
            self.writer.hand_on_now(slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::sqlite::SqliteJournalMode;

    async fn writer() -> (tempfile::TempDir, Arc<Writer>, SqliteConnectOptions) {
        let dir = tempfile::tempdir().unwrap();
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("w.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(std::time::Duration::from_secs(15));
        let writer = Writer::open(&options).await.unwrap();
        {
            let mut write = writer.begin().await.unwrap();
            run_in(&mut write, "CREATE TABLE t (n INTEGER PRIMARY KEY)")
                .await
                .unwrap();
            write.commit().await.unwrap();
        }
        (dir, writer, options)
    }

    /// The rows another connection sees: what was committed.
    async fn committed(options: &SqliteConnectOptions) -> Vec<i64> {
        let mut conn = SqliteConnection::connect_with(options).await.unwrap();
        sqlx::query_scalar("SELECT n FROM t ORDER BY n")
            .fetch_all(&mut conn)
            .await
            .unwrap()
    }

    /// `sql` on the write's connection, after what starts the write.
    fn started<'a>(write: &'a mut Write, sql: &str) -> (&'a mut SqliteConnection, String) {
        let (conn, start) = write.connection();
        let sql = match start {
            Some(start) => format!("{start}; {sql}"),
            None => sql.to_string(),
        };
        (conn, sql)
    }

    async fn run_in(write: &mut Write, sql: &str) -> Result<(), sqlx::Error> {
        let (conn, sql) = started(write, sql);
        run(conn, &sql).await
    }

    async fn insert(write: &mut Write, n: i64) -> Result<(), sqlx::Error> {
        let (conn, sql) = started(write, "INSERT INTO t (n) VALUES ($1)");
        sqlx::query(&sql).bind(n).execute(conn).await.map(|_| ())
    }

    /// `.cargo/config.toml` builds SQLite without its memory statistics
    /// (a global mutex on every allocation): a build that lost the flag
    /// fails here, not only in a benchmark.
    #[tokio::test]
    async fn sqlite_is_built_without_memory_statistics() {
        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        let options: Vec<String> = sqlx::query_scalar("PRAGMA compile_options")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert!(
            options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
            "{options:?}"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writes_commit_together_and_fail_alone() {
        let (_dir, writer, options) = writer().await;
        let mut tasks = Vec::new();
        for n in 0..300i64 {
            let writer = writer.clone();
            tasks.push(tokio::spawn(async move {
                let mut write = writer.begin().await.unwrap();
                insert(&mut write, n).await.unwrap();
                match n % 5 {
                    // Dropped unfinished: rolled back alone.
                    1 => Ok(false),
                    // A failing statement (the row exists), then dropped.
                    2 => {
                        assert!(insert(&mut write, n).await.is_err());
                        Ok(false)
                    }
                    _ => write.commit().await.map(|()| true),
                }
            }));
        }
        let mut acknowledged = Vec::new();
        for (n, task) in tasks.into_iter().enumerate() {
            if task.await.unwrap().expect("a commit") {
                acknowledged.push(n as i64);
            }
        }
        assert_eq!(acknowledged.len(), 180);
        assert_eq!(committed(&options).await, acknowledged);
        assert_eq!(writer.waiting.load(Ordering::SeqCst), 0);
    }

    /// Requests dropped at any point (their client went away) leave the
    /// connection fit for the next write, and only acknowledged writes in
    /// the table.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writes_dropped_anywhere_leave_the_writer_sound() {
        // Where an abort lands is chance: several rounds make a gap found.
        for _ in 0..4 {
            drop_writes_anywhere().await;
        }
    }

    async fn drop_writes_anywhere() {
        let (_dir, writer, options) = writer().await;
        let acknowledged = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for t in 0..40i64 {
            let (writer, acknowledged) = (writer.clone(), acknowledged.clone());
            tasks.push(tokio::spawn(async move {
                for n in t * 100..t * 100 + 100 {
                    let mut write = writer.begin().await?;
                    insert(&mut write, n).await?;
                    write.commit().await?;
                    acknowledged.lock().unwrap().push(n);
                }
                Ok::<_, sqlx::Error>(())
            }));
        }
        // Abort tasks one after another, wherever each is: waiting in line,
        // in its statement, in its commit or waiting for its batch.
        for task in tasks.iter().step_by(2) {
            tokio::time::sleep(std::time::Duration::from_micros(500)).await;
            task.abort();
        }
        for task in tasks {
            let _ = task.await;
        }
        // The writer still writes, and nothing is left half done.
        let mut write = writer.begin().await.unwrap();
        insert(&mut write, 10_000).await.unwrap();
        write.commit().await.unwrap();
        let mut expected = acknowledged.lock().unwrap().clone();
        expected.push(10_000);
        expected.sort_unstable();
        let found = committed(&options).await;
        // An aborted task may have committed before it heard so: every
        // acknowledged row is there, and nothing but rows that were written.
        for n in &expected {
            assert!(found.contains(n), "acknowledged {n} is committed");
        }
        assert!(found.iter().all(|n| *n < 4_000 || *n == 10_000));
        assert!(expected.len() > 2_000, "the tasks let be went through");
    }

    /// A request dropped while the call that starts its write was under way
    /// may have left any part of that call undone: the write before it is
    /// committed either way, and the writer goes on.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_whose_start_broke_off_takes_nothing_with_it() {
        let (_dir, writer, options) = writer().await;
        // The last write's RELEASE not sent, then sent without the SAVEPOINT.
        for (n, release_ran) in [(1, false), (2, true)] {
            let mut first = writer.begin().await.unwrap();
            insert(&mut first, n).await.unwrap();
            let next = tokio::spawn({
                let writer = writer.clone();
                async move {
                    let mut write = writer.begin().await.unwrap();
                    let (conn, start) = write.connection();
                    let start = start.expect("the second write of the batch starts it");
                    assert!(start.starts_with("RELEASE"), "{start}");
                    if release_ran {
                        let release = start.split(';').next().unwrap();
                        run(conn, release).await.unwrap();
                    }
                    // Dropped here, its savepoint never made.
                }
            });
            while writer.waiting.load(Ordering::SeqCst) == 0 {
                tokio::task::yield_now().await;
            }
            first.commit().await.expect("the first write commits");
            next.await.unwrap();
        }
        let mut write = writer.begin().await.unwrap();
        insert(&mut write, 3).await.unwrap();
        write.commit().await.unwrap();
        assert_eq!(committed(&options).await, vec![1, 2, 3]);
    }

    /// Under a steady stream of writes the WAL is started over, not grown:
    /// 100 MB written leave a WAL of at most [`CATCH_UP_AT`] frames and a
    /// batch or two, not 100 MB.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_steady_stream_of_writes_keeps_the_wal_small() {
        let (dir, writer, _options) = writer().await;
        let mut write = writer.begin().await.unwrap();
        run_in(
            &mut write,
            "CREATE TABLE b (n INTEGER PRIMARY KEY, data TEXT)",
        )
        .await
        .unwrap();
        write.commit().await.unwrap();
        let data = "x".repeat(8_000);
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (writer, data) = (writer.clone(), data.clone());
            tasks.push(tokio::spawn(async move {
                for _ in 0..1_600 {
                    let mut write = writer.begin().await.unwrap();
                    write
                        .direct()
                        .await
                        .unwrap()
                        .execute(
                            "INSERT INTO b (data) VALUES ($1)",
                            &[crate::db::Value::from(&data)],
                        )
                        .unwrap();
                    write.commit().await.unwrap();
                }
            }));
        }
        let wal = dir.path().join("w.db-wal");
        let mut largest = 0;
        while tasks.iter().any(|task| !task.is_finished()) {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            largest = largest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let limit = 64 << 20;
        assert!(largest < limit, "the WAL grew to {largest} bytes");
    }

    /// A write of another process waits for the batch (SQLite's lock), and
    /// the batch does not wait for more writers once none are in line.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_lone_write_commits_at_once() {
        let (_dir, writer, options) = writer().await;
        let mut write = writer.begin().await.unwrap();
        insert(&mut write, 1).await.unwrap();
        write.commit().await.unwrap();
        assert_eq!(committed(&options).await, vec![1]);
        let mut other = SqliteConnection::connect_with(&options).await.unwrap();
        run(&mut other, "INSERT INTO t (n) VALUES (2)")
            .await
            .unwrap();
        assert_eq!(committed(&options).await, vec![1, 2]);
    }
}
