//! A municipality's public version read in place on SQLite.
//!
//! Every public read asks for the version first (`public_answers.rs`), so
//! that a write committed through any connection or process is seen on the
//! next read. Through the pool that is a trip to the connection's own
//! thread and back — two wake-ups and a few allocations made on one thread
//! and freed on another — for a read that takes SQLite about a microsecond:
//! an indexed row of a table of a few rows per municipality. Under load
//! the trip cost a kept public read more than everything else it did.
//!
//! So this process keeps connections of its own for that one statement and
//! runs it on the calling thread. It is a read in WAL mode: it never waits
//! for the writer or a checkpoint, and it starts after the request arrived,
//! so it sees every commit before it, whichever process made it. The
//! connections are few and each is held only for the statement; a request
//! that finds them all busy, or any error, falls back to the pool.
//!
//! Most of the time even that statement is skipped. Starting a read
//! transaction costs SQLite two `fcntl` locks and a mutex shared by every
//! connection to the file. But a commit becomes visible to readers at one
//! place: the header of the WAL index (the `-shm` file, shared memory that
//! every connection of every process maps; its layout is documented in
//! SQLite's `walformat.html`). A commit rewrites it — a new last frame and
//! checksum — and a reader takes its snapshot from it. So the version read
//! is kept with the header seen just *before* the read; while the header is
//! unchanged no commit has happened since, and the kept version is the one
//! a fresh read would return. A changed header (a commit, a restarted WAL,
//! or a header caught half written) only means reading again.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError, RwLock, TryLockError};
use std::time::Duration;

use rusqlite::{ffi, Connection, OpenFlags, OptionalExtension};

const VERSION: &str = "SELECT version FROM public_versions WHERE municipality = ?1";

/// As many as the runtime has worker threads is enough: each thread runs
/// one statement at a time.
const CONNECTIONS: usize = 4;

/// The first copy of the WAL index's header: 48 bytes, as 32-bit words.
const HEADER_WORDS: usize = 12;

/// Connections that only read the public version, and the WAL index's
/// header each version was read under.
#[derive(Debug)]
pub struct Reader {
    known: RwLock<HashMap<String, Known>>,
    wal_index: Option<WalIndex>,
    // Last: SQLite's mapping of the WAL index lives while they are open.
    connections: Vec<Mutex<Connection>>,
}

/// SQLite's own mapping of the WAL index's first region (32 KiB): no file
/// of ours is opened, because closing any descriptor of a file drops every
/// POSIX lock the process holds on it — SQLite's included.
#[derive(Debug)]
struct WalIndex(*const AtomicU32);

// SAFETY: the mapping is shared memory that SQLite's connections of every
// process read and write from any thread; this only loads from it,
// atomically, while the connections that keep it mapped are open.
unsafe impl Send for WalIndex {}
unsafe impl Sync for WalIndex {}

#[derive(Debug, Clone, Copy)]
struct Known {
    header: Header,
    version: Option<i64>,
}

type Header = [u32; HEADER_WORDS];

impl Reader {
    /// Opens the connections to the database file at `path`, which the
    /// pool has already created and put in WAL mode.
    pub fn open(path: &Path) -> rusqlite::Result<Reader> {
        let connections: Vec<Mutex<Connection>> = (0..CONNECTIONS)
            .map(|_| {
                let conn = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                // A reader waits only for a WAL recovery after a crash;
                // past this it goes through the pool, which waits longer.
                conn.busy_timeout(Duration::from_millis(50))?;
                conn.pragma_update(None, "query_only", true)?;
                // A first read maps the WAL index (and so keeps it from
                // being truncated under the mapping below while we live).
                conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
                Ok(Mutex::new(conn))
            })
            .collect::<rusqlite::Result<_>>()?;
        let wal_index = connections.first().and_then(|conn| {
            let conn = conn.lock().unwrap_or_else(PoisonError::into_inner);
            let mapped = wal_index(&conn);
            if mapped.is_none() {
                tracing::warn!("the WAL index is not mapped: every public version is read");
            }
            mapped
        });
        Ok(Reader {
            connections,
            wal_index,
            known: RwLock::default(),
        })
    }

    /// The WAL index's header as it is now.
    fn header(&self) -> Option<Header> {
        let WalIndex(words) = self.wal_index.as_ref()?;
        let mut header = [0; HEADER_WORDS];
        for (i, word) in header.iter_mut().enumerate() {
            // SAFETY: the region is 32 KiB, page aligned, and mapped while
            // `self.connections` are open (see `WalIndex`).
            *word = unsafe { (*words.add(i)).load(Ordering::Acquire) };
        }
        Some(header)
    }
    /// The municipality's public version (`None`: no such municipality),
    /// or `None` when no connection is free or the read failed, for the
    /// caller to read it through the pool instead.
    pub fn version(&self, municipality: &str) -> Option<Option<i64>> {
        let header = self.header();
        let known = self.known.read().unwrap_or_else(PoisonError::into_inner);
        if let (Some(header), Some(known)) = (header, known.get(municipality)) {
            if known.header == header {
                return Some(known.version);
            }
        }
        drop(known);
        let version = self.read(municipality)?;
        // Only a municipality that exists is kept: slugs come from paths,
        // and anyone may send any.
        if let (Some(header), Some(_)) = (header, version) {
            self.known
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(municipality.to_string(), Known { header, version });
        }
        Some(version)
    }

    /// The version read from the table.
    fn read(&self, municipality: &str) -> Option<Option<i64>> {
        let conn = self.connections.iter().find_map(|c| match c.try_lock() {
            Ok(conn) => Some(conn),
            // A statement that panicked left nothing half done.
            Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        })?;
        let read = conn.prepare_cached(VERSION).and_then(|mut statement| {
            statement
                .query_row([municipality], |row| row.get::<_, i64>(0))
                .optional()
        });
        match read {
            Ok(version) => Some(version),
            Err(error) => {
                tracing::warn!(%error, "reading a public version in place failed");
                None
            }
        }
    }
}

/// The first region of the WAL index as SQLite mapped it for `conn`, through
/// the VFS's `xShmMap` (the file handle from `SQLITE_FCNTL_FILE_POINTER`).
/// `None` when the file has no shared memory (not WAL, or an in-memory VFS).
fn wal_index(conn: &Connection) -> Option<WalIndex> {
    const REGION: std::os::raw::c_int = 32 * 1024;
    let mut file: *mut ffi::sqlite3_file = std::ptr::null_mut();
    // SAFETY: the handle is open and used by this thread alone (its mutex
    // is held); the file pointer and its methods are SQLite's and live
    // with the connection; `xShmMap` with bExtend = 0 only returns the
    // region the connection's first read already mapped.
    unsafe {
        let rc = ffi::sqlite3_file_control(
            conn.handle(),
            c"main".as_ptr(),
            ffi::SQLITE_FCNTL_FILE_POINTER,
            (&raw mut file).cast(),
        );
        if rc != ffi::SQLITE_OK || file.is_null() {
            return None;
        }
        let methods = (*file).pMethods;
        if methods.is_null() || (*methods).iVersion < 2 {
            return None;
        }
        let map = (*methods).xShmMap?;
        let mut region: *mut std::os::raw::c_void = std::ptr::null_mut();
        let rc = map(file, 0, REGION, 0, &raw mut region);
        (rc == ffi::SQLITE_OK && !region.is_null()).then(|| WalIndex(region.cast_const().cast()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database() -> (tempfile::TempDir, std::path::PathBuf, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("versions.db");
        let writer = Connection::open(&path).unwrap();
        writer
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 CREATE TABLE public_versions (municipality TEXT PRIMARY KEY, version INTEGER NOT NULL);
                 INSERT INTO public_versions VALUES ('billund', 1), ('odense', 7);",
            )
            .unwrap();
        (dir, path, writer)
    }

    #[test]
    fn reads_what_another_connection_committed_and_lets_go_when_busy() {
        let (_dir, path, writer) = database();
        let reader = Reader::open(&path).unwrap();
        assert_eq!(reader.version("billund"), Some(Some(1)));
        assert_eq!(reader.version("nowhere"), Some(None));
        writer
            .execute(
                "UPDATE public_versions SET version = 2 WHERE municipality = 'billund'",
                [],
            )
            .unwrap();
        assert_eq!(
            reader.version("billund"),
            Some(Some(2)),
            "the next read sees the commit"
        );
        // An open write transaction does not hold a WAL reader up.
        writer
            .execute_batch("BEGIN IMMEDIATE; UPDATE public_versions SET version = 3;")
            .unwrap();
        assert_eq!(reader.version("billund"), Some(Some(2)));
        writer.execute_batch("COMMIT").unwrap();
        assert_eq!(reader.version("billund"), Some(Some(3)));
        // It never writes.
        let conn = reader.connections[0].lock().unwrap();
        assert!(conn.execute("DELETE FROM public_versions", []).is_err());
    }

    #[test]
    fn a_version_is_read_again_only_after_a_commit() {
        let (_dir, path, writer) = database();
        let reader = Reader::open(&path).unwrap();
        assert!(reader.wal_index.is_some(), "the WAL index is mapped");
        assert_eq!(reader.version("billund"), Some(Some(1)));
        assert_eq!(reader.version("odense"), Some(Some(7)));
        // With every connection taken a read cannot happen: what is
        // answered now comes from the kept version, under the same header.
        let held: Vec<_> = reader
            .connections
            .iter()
            .map(|c| c.lock().unwrap())
            .collect();
        assert_eq!(reader.version("billund"), Some(Some(1)));
        assert_eq!(reader.version("odense"), Some(Some(7)));
        assert_eq!(
            reader.version("nowhere"),
            None,
            "an unknown slug is never kept"
        );
        // A commit by another connection — of any table — changes the
        // header: the caller is told to read through the pool.
        writer
            .execute_batch("CREATE TABLE other (x); INSERT INTO other VALUES (1);")
            .unwrap();
        assert_eq!(reader.version("billund"), None);
        drop(held);
        assert_eq!(reader.version("billund"), Some(Some(1)));
        // Even after a checkpoint restarts the WAL, a commit is seen.
        writer
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
        writer
            .execute(
                "UPDATE public_versions SET version = 8 WHERE municipality = 'odense'",
                [],
            )
            .unwrap();
        assert_eq!(reader.version("odense"), Some(Some(8)));
        assert_eq!(reader.version("billund"), Some(Some(1)));
    }
}
