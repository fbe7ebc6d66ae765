//! `/api/v1/admin/…`: what coordinators and municipality admins do, behind a
//! session cookie and a CSRF token. Every query is scoped to the signed-in
//! coordinator's municipality (and, for a coordinator, institutions).

use utoipa_axum::router::OpenApiRouter;

use crate::api::AppState;

pub mod accounts;
pub mod audit;
pub mod moderation;
pub mod session;
pub mod settings;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(session::router())
        .merge(moderation::router())
        .merge(audit::router())
        .merge(settings::router())
}
