//! What every handler can reach: the database, the settings, and the
//! process's counters and limits.

use std::sync::Arc;

use crate::board_watch::BoardWatchers;
use crate::config::Config;
use crate::db::Db;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
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
