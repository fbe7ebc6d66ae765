//! `/api/v1/admin/…`: what coordinators and municipality admins do, behind a
//! session cookie and a CSRF token. Every query is scoped to the signed-in
//! coordinator's municipality (and, for a coordinator, institutions).

use utoipa_axum::router::OpenApiRouter;

use crate::api::AppState;

pub mod accounts;
pub mod audit;
pub mod coordinators;
pub mod embedding;
pub mod groups;
pub mod matching;
pub mod meetings;
pub mod moderation;
pub mod privacy;
pub mod session;
pub mod settings;
pub mod stats;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(session::router())
        .merge(moderation::router())
        .merge(audit::router())
        .merge(settings::router())
        .merge(coordinators::router())
        .merge(embedding::router())
        .merge(matching::router())
        .merge(groups::router())
        .merge(meetings::router())
        .merge(stats::router())
        .merge(privacy::router())
}
