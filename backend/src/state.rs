//! What every handler can reach: the database, the settings, and the
//! process's counters and limits.

use std::sync::Arc;

use crate::board_watch::BoardWatchers;
use crate::config::Config;
use crate::db::Db;

/// What every handler can reach, behind one `Arc`: axum clones the state
/// for every middleware and handler a request passes, and a struct of ten
/// `Arc`s cost ten atomic increments and decrements each time (7 % of a
/// public read's time, measured with perf).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] holds.
pub struct Shared {
    pub db: Db,
    pub config: Arc<Config>,
    pub metrics: Arc<crate::metrics::Metrics>,
    pub limits: Arc<crate::limits::WriteLimits>,
    pub boards: BoardWatchers,
    pub refused: Arc<crate::refused_origins::RefusedOrigins>,
    pub meeting_limits: Arc<crate::limits::MeetingLimits>,
    pub group_limits: Arc<crate::limits::GroupLimits>,
    /// Public answers kept under their municipality's version.
    pub public: Arc<crate::public_answers::PublicAnswers>,
}
