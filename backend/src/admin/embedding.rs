//! Connecting a municipality's web sites: which pages were refused recently
//! (counts only), beside the allowed sites in `settings.rs`, so an admin
//! sees which origin to allow instead of guessing.

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use sammen_shared::admin::RefusedOrigin;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::admin::signed::Signed;
use crate::args;
use crate::db;
use crate::error::{AdminReadRefused, Result};
use crate::state::AppState;
use crate::stored::timestamp;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_refused_origins))
}

#[derive(sqlx::FromRow)]
struct RefusedRow {
    origin: String,
    refusals: i64,
    first_at: DateTime<Utc>,
    last_at: DateTime<Utc>,
}

/// Web pages that tried to use the widget without being allowed, most
/// recent first (admins only; the last 30 days, at most 50).
#[utoipa::path(
    get,
    path = "/api/v1/admin/origins/refused",
    tag = "admin",
    responses(
        (status = 200, body = Vec<RefusedOrigin>),
        AdminReadRefused,
    )
)]
async fn list_refused_origins(
    State(state): State<AppState>,
    signed: Signed,
) -> Result<Json<Vec<RefusedOrigin>>> {
    signed.require_admin()?;
    // This backend's latest refusals first go to the table; other backends
    // add theirs within a few seconds.
    state.refused.flush(&state.db).await?;
    let mut conn = state.db.acquire().await?;
    let rows: Vec<RefusedRow> = db::fetch_all(
        &mut conn,
        "SELECT r.origin, r.refusals, r.first_at, r.last_at FROM refused_origins r \
         WHERE r.municipality = $1 AND NOT EXISTS (SELECT 1 FROM allowed_origins a \
         WHERE a.municipality = r.municipality AND a.origin = r.origin) \
         ORDER BY r.last_at DESC LIMIT 50",
        args![&signed.municipality],
    )
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(|row| RefusedOrigin {
                origin: row.origin,
                refusals: row.refusals,
                first_refused_at: timestamp(row.first_at),
                last_refused_at: timestamp(row.last_at),
            })
            .collect(),
    ))
}
