//! One watcher per live meeting per process. Every phone in the room and
//! the projector follow the board; if each stream asked the database on its
//! own, a room of 200 phones would cost 800 queries a second and 200 board
//! builds per dot. Instead the first stream of a meeting starts a task that
//! builds each new board once; every stream of that meeting in this process
//! reads it from a `watch` channel. The task ends when its last stream does.
//! Other backends run their own watchers, so any backend serves any room.
//!
//! A watcher learns of a change in three ways: a write through this process
//! wakes it ([`BoardWatchers::wake`]); on PostgreSQL, one listener per
//! process hears every backend's changes (`LISTEN sammen_meeting`, sent by a
//! trigger at commit); and it looks at the version on a timer, every 250 ms
//! on SQLite (the only way to see another process's writes there) and every
//! 2 s on PostgreSQL (in case a notification was lost with its connection).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::postgres::{PgListener, PgPool};
use tokio::sync::{watch, Notify};
use uuid::Uuid;

use crate::db::Db;

/// How often a watcher looks for a change without being told, on SQLite.
const POLL: Duration = Duration::from_millis(250);

/// The same on PostgreSQL, where the listener tells.
const POLL_LISTENING: Duration = Duration::from_secs(2);

/// The least time between two boards of one meeting: a full room's dots
/// arrive faster than phones need to redraw, and each board goes to every
/// phone. Changes meanwhile are folded into the next board.
const SETTLE: Duration = Duration::from_millis(100);

/// The PostgreSQL channel `0019_meeting_notify.sql` announces changes on.
const CHANNEL: &str = "sammen_meeting";

/// A board, serialized once for every stream that sends it.
pub type BoardJson = Arc<str>;

/// The running watchers of this process, by meeting.
#[derive(Clone, Default)]
pub struct BoardWatchers {
    running: Arc<Mutex<HashMap<Uuid, Running>>>,
    /// Whether this process's PostgreSQL listener has been started.
    listening: Arc<AtomicBool>,
}

/// A meeting's watcher: its latest board, and how to wake it.
struct Running {
    boards: watch::Receiver<Option<BoardJson>>,
    wake: Arc<Notify>,
}

impl BoardWatchers {
    /// The meeting's latest board (`None` until the first is built), and
    /// each later one; starts the meeting's watcher if none runs.
    pub fn subscribe(&self, db: &Db, meeting: Uuid) -> watch::Receiver<Option<BoardJson>> {
        if let Db::Postgres(pool) = db {
            if !self.listening.swap(true, Ordering::SeqCst) {
                tokio::spawn(listen(pool.clone(), self.clone()));
            }
        }
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(existing) = running.get(&meeting) {
            return existing.boards.clone();
        }
        let (sender, receiver) = watch::channel(None);
        let wake = Arc::new(Notify::new());
        running.insert(
            meeting,
            Running {
                boards: receiver.clone(),
                wake: wake.clone(),
            },
        );
        tokio::spawn(watch_meeting(
            db.clone(),
            meeting,
            sender,
            wake,
            self.clone(),
        ));
        receiver
    }

    /// Tells the meeting's watcher in this process, if one runs, that its
    /// board changed: called after a write has committed.
    pub fn wake(&self, meeting: Uuid) {
        let running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(watcher) = running.get(&meeting) {
            // A permit is kept if the watcher is busy: nothing is missed.
            watcher.wake.notify_one();
        }
    }

    /// Wakes every watcher: after the listener was away and may have
    /// missed notifications.
    fn wake_all(&self) {
        let running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        for watcher in running.values() {
            watcher.wake.notify_one();
        }
    }

    /// Forgets the meeting's watcher if only the map itself still holds a
    /// receiver. Decided under the lock that `subscribe` takes, so a new
    /// stream either joins this watcher before it stops or starts a new one.
    fn stop_if_unwatched(&self, meeting: Uuid, sender: &watch::Sender<Option<BoardJson>>) -> bool {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if sender.receiver_count() > 1 {
            return false;
        }
        running.remove(&meeting);
        true
    }
}

async fn watch_meeting(
    db: Db,
    meeting: Uuid,
    sender: watch::Sender<Option<BoardJson>>,
    wake: Arc<Notify>,
    watchers: BoardWatchers,
) {
    let poll = match db {
        Db::Sqlite(..) => POLL,
        Db::Postgres(_) => POLL_LISTENING,
    };
    let mut seen = None;
    loop {
        match crate::meeting::changed_board(&db, meeting, seen).await {
            Ok(Some(board)) => match serde_json::to_string(&board) {
                Ok(json) => {
                    seen = Some(board.version);
                    sender.send_replace(Some(json.into()));
                }
                Err(error) => tracing::error!(%error, "a meeting board does not serialize"),
            },
            Ok(None) => {}
            Err(error) => tracing::debug!(?error, %meeting, "the live board is not readable now"),
        }
        tokio::time::sleep(SETTLE).await;
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(poll.saturating_sub(SETTLE)) => {}
        }
        if watchers.stop_if_unwatched(meeting, &sender) {
            return;
        }
    }
}

/// This process's one PostgreSQL listener: wakes the watcher of each
/// meeting another backend (or this one) changed. Runs for the life of the
/// process; a lost connection is opened again, and every watcher then looks
/// for what it may have missed.
async fn listen(pool: PgPool, watchers: BoardWatchers) {
    loop {
        match PgListener::connect_with(&pool).await {
            Ok(mut listener) => match listener.listen(CHANNEL).await {
                Ok(()) => {
                    watchers.wake_all();
                    loop {
                        match listener.try_recv().await {
                            Ok(Some(notification)) => {
                                if let Ok(meeting) = notification.payload().parse() {
                                    watchers.wake(meeting);
                                }
                            }
                            // The connection was lost and opened again.
                            Ok(None) => watchers.wake_all(),
                            Err(error) => {
                                tracing::warn!(%error, "the meeting listener stopped");
                                break;
                            }
                        }
                    }
                }
                Err(error) => tracing::warn!(%error, "cannot listen for meeting changes"),
            },
            Err(error) => tracing::warn!(%error, "cannot connect the meeting listener"),
        }
        // Meanwhile the watchers poll; try again shortly.
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
