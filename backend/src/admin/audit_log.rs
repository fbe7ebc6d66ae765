//! `GET /api/v1/admin/audit`: the municipality's audit log, newest first,
//! for its admins (`audit.rs` writes it).

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use sammen_shared::admin::AuditEntry;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::admin::signed::Signed;
use crate::args;
use crate::db::{self};
use crate::error::{AdminReadRefused, Error, Result};
use crate::extract::ApiQuery;
use crate::state::AppState;
use crate::stored::timestamp;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read_audit_log))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Page number, from 1.
    page: Option<u32>,
    /// Entries per page, 1–200 (default 50).
    per_page: Option<u32>,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: Uuid,
    actor: String,
    action: String,
    subject_type: String,
    subject_id: Option<String>,
    before_state: Option<String>,
    after_state: Option<String>,
    created_at: DateTime<Utc>,
    client_address: Option<String>,
}

/// The municipality's audit log, newest first (admins only).
#[utoipa::path(
    get,
    path = "/api/v1/admin/audit",
    tag = "admin",
    params(AuditQuery),
    responses(
        (status = 200, body = Vec<AuditEntry>),
        (status = 400, description = "A malformed page", body = sammen_shared::ErrorBody),
        AdminReadRefused,
    )
)]
async fn read_audit_log(
    State(state): State<AppState>,
    signed: Signed,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>> {
    signed.require_admin()?;
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(50);
    if page == 0 || !(1..=200).contains(&per_page) {
        return Err(Error::bad_parameter(
            "page starts at 1; per_page is from 1 to 200.",
        ));
    }
    let mut conn = state.db.acquire().await?;
    let rows: Vec<AuditRow> = db::fetch_all(
        &mut conn,
        "SELECT id, actor, action, subject_type, subject_id, before_state, after_state, \
         created_at, client_address FROM audit_log WHERE municipality = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3",
        args![&signed.municipality, i64::from(per_page), i64::from(page - 1) * i64::from(per_page)],
    )
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(|row| AuditEntry {
                id: row.id,
                actor: row.actor,
                action: row.action,
                subject_type: row.subject_type,
                subject_id: row.subject_id,
                before: row.before_state,
                after: row.after_state,
                created_at: timestamp(row.created_at),
                address: row.client_address,
            })
            .collect(),
    ))
}
