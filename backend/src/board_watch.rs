//! One watcher per live meeting per process. Every phone in the room and
//! the projector follow the board; if each stream asked the database on its
//! own, a room of 200 phones would cost 800 queries a second and 200 board
//! builds per dot. Instead the first stream of a meeting starts a task that
//! polls the meeting's version and builds each new board once; every stream
//! of that meeting in this process reads it from a `watch` channel. The task
//! ends when its last stream does. Other backends run their own watchers, so
//! any backend serves any room.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;
use uuid::Uuid;

use crate::db::Db;

/// How often a watcher looks for a change.
const POLL: Duration = Duration::from_millis(250);

/// A board, serialized once for every stream that sends it.
pub type BoardJson = Arc<str>;

/// The running watchers of this process, by meeting.
#[derive(Clone, Default)]
pub struct BoardWatchers {
    running: Arc<Mutex<HashMap<Uuid, watch::Receiver<Option<BoardJson>>>>>,
}

impl BoardWatchers {
    /// The meeting's latest board (`None` until the first is built), and
    /// each later one; starts the meeting's watcher if none runs.
    pub fn subscribe(&self, db: &Db, meeting: Uuid) -> watch::Receiver<Option<BoardJson>> {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(existing) = running.get(&meeting) {
            return existing.clone();
        }
        let (sender, receiver) = watch::channel(None);
        running.insert(meeting, receiver.clone());
        tokio::spawn(watch_meeting(db.clone(), meeting, sender, self.clone()));
        receiver
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
    watchers: BoardWatchers,
) {
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
        tokio::time::sleep(POLL).await;
        if watchers.stop_if_unwatched(meeting, &sender) {
            return;
        }
    }
}
