//! Coordinators' accounts after they exist: a coordinator changes their own
//! password; an admin changes a coordinator's role, deactivates or
//! reactivates them, ends their sessions or removes them. Every change is
//! audited, and a municipality never loses its last active admin.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::Utc;
use sammen_shared::admin::{ChangePassword, CoordinatorChange, Role};
use sammen_shared::{FieldError, FieldErrors};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::admin::signed::{cookie, Signed, COOKIE};
use crate::args;
use crate::db::{self, Executor};
use crate::error::{
    AdminChangeRefused, Error, JsonBodyRefused, NotSignedIn, Result, SignedChangeRefused,
};
use crate::extract::{ApiJson, ApiPath, ConsoleLang};
use crate::state::AppState;
use crate::{password, token};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(change_password))
        .routes(routes!(change_coordinator, remove_coordinator))
        .routes(routes!(end_sessions))
}

/// Change one's own password; one's other sessions end.
#[utoipa::path(
    put,
    path = "/api/v1/admin/session/password",
    tag = "admin",
    request_body = ChangePassword,
    responses(
        (status = 204, description = "Changed; other sessions ended"),
        (status = 400, description = "The body is not JSON", body = sammen_shared::ErrorBody),
        SignedChangeRefused,
        JsonBodyRefused,
        (status = 422, description = "The current password is wrong, or the new one too weak", body = sammen_shared::ErrorBody),
    )
)]
async fn change_password(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    ConsoleLang(lang): ConsoleLang,
    body: ApiJson<ChangePassword>,
) -> Result<StatusCode> {
    let request = body.value;
    let stored: String = {
        let mut conn = state.db.acquire().await?;
        db::fetch_scalar(
            &mut conn,
            "SELECT password_hash FROM coordinators WHERE id = $1",
            args![signed.id],
        )
        .await?
    };
    let current = request.current_password.clone();
    let matches = tokio::task::spawn_blocking(move || password::verify(&current, &stored))
        .await
        .map_err(|e| Error::Internal(format!("password check: {e}")))?;
    let mut errors = FieldErrors::new();
    if !matches {
        errors.add("current_password", FieldError::WrongPassword);
    }
    if password::check_strength(&request.new_password).is_err() {
        errors.add("new_password", FieldError::WeakPassword);
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors, lang.into()));
    }
    let hash = password::hash(&request.new_password).map_err(Error::Internal)?;
    let current_session = cookie(&headers, COOKIE)
        .map(|t| token::hash(&t))
        .unwrap_or_default();
    let mut tx = state.db.begin().await?;
    db::execute(
        &mut tx,
        "UPDATE coordinators SET password_hash = $1 WHERE id = $2",
        args![hash, signed.id],
    )
    .await?;
    // Whoever else may have had this password is signed out.
    db::execute(
        &mut tx,
        "DELETE FROM sessions WHERE coordinator_id = $1 AND token_hash <> $2",
        args![signed.id, current_session],
    )
    .await?;
    signed
        .record(
            &mut tx,
            "change_password",
            "coordinator",
            signed.id.to_string(),
            json!({}),
        )
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(sqlx::FromRow)]
struct Target {
    role: String,
    active: bool,
    email: String,
}

/// A coordinator of the admin's municipality, or 404.
async fn target(ex: &mut impl Executor, signed: &Signed, id: Uuid) -> Result<Target> {
    db::fetch_optional(
        ex,
        "SELECT role, active, email FROM coordinators WHERE id = $1 AND municipality = $2",
        args![id, &signed.municipality],
    )
    .await?
    .ok_or_else(|| Error::not_found("There is no such coordinator."))
}

/// Refuses a change that would leave the municipality without an active
/// admin (409): someone must be able to manage it.
async fn keep_an_admin(ex: &mut impl Executor, signed: &Signed, leaving: Uuid) -> Result<()> {
    let others: i64 = db::fetch_scalar(
        ex,
        "SELECT COUNT(*) FROM coordinators WHERE municipality = $1 AND role = 'admin' \
         AND active = $2 AND id <> $3",
        args![&signed.municipality, true, leaving],
    )
    .await?;
    if others == 0 {
        return Err(Error::conflict(
            "This is the municipality's last active admin; make another coordinator admin first.",
        ));
    }
    Ok(())
}

/// Change a coordinator's role, or deactivate or reactivate them (admins
/// only). A deactivated coordinator's sessions end at once.
#[utoipa::path(
    patch,
    path = "/api/v1/admin/coordinators/{id}",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The coordinator's id")),
    request_body = CoordinatorChange,
    responses(
        (status = 204, description = "Changed"),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        AdminChangeRefused,
        (status = 404, description = "No such coordinator in your municipality", body = sammen_shared::ErrorBody),
        (status = 409, description = "It would leave the municipality without an active admin", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "A body of the wrong shape", body = sammen_shared::ErrorBody),
    )
)]
async fn change_coordinator(
    State(state): State<AppState>,
    signed: Signed,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<CoordinatorChange>,
) -> Result<StatusCode> {
    signed.require_admin()?;
    let change = body.value;
    let mut tx = state.db.begin().await?;
    // The first statement writes: two admins demoting each other at once
    // queue up here instead of both passing the check below.
    db::execute(
        &mut tx,
        "UPDATE municipalities SET name = name WHERE slug = $1",
        args![&signed.municipality],
    )
    .await?;
    let before = target(&mut tx, &signed, id).await?;
    let role = change
        .role
        .unwrap_or(Role::parse(&before.role).unwrap_or(Role::Coordinator));
    let active = change.active.unwrap_or(before.active);
    let stays_admin = role == Role::Admin && active;
    if before.role == "admin" && before.active && !stays_admin {
        keep_an_admin(&mut tx, &signed, id).await?;
    }
    db::execute(
        &mut tx,
        "UPDATE coordinators SET role = $1, active = $2 WHERE id = $3",
        args![role.as_str(), active, id],
    )
    .await?;
    if !active {
        db::execute(
            &mut tx,
            "DELETE FROM sessions WHERE coordinator_id = $1",
            args![id],
        )
        .await?;
    }
    let action = match (before.active, active) {
        (true, false) => "deactivate_coordinator",
        (false, true) => "reactivate_coordinator",
        _ => "change_coordinator",
    };
    signed
        .record(
            &mut tx,
            action,
            "coordinator",
            id.to_string(),
            json!({"role": role.as_str(), "active": active}),
        )
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove a coordinator (admins only): the account and its sessions go; the
/// audit log keeps what they did.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/coordinators/{id}",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The coordinator's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "A malformed parameter", body = sammen_shared::ErrorBody),
        AdminChangeRefused,
        (status = 404, description = "No such coordinator in your municipality", body = sammen_shared::ErrorBody),
        (status = 409, description = "The municipality's last active admin", body = sammen_shared::ErrorBody),
    )
)]
async fn remove_coordinator(
    State(state): State<AppState>,
    signed: Signed,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode> {
    signed.require_admin()?;
    let mut tx = state.db.begin().await?;
    db::execute(
        &mut tx,
        "UPDATE municipalities SET name = name WHERE slug = $1",
        args![&signed.municipality],
    )
    .await?;
    let before = target(&mut tx, &signed, id).await?;
    if before.role == "admin" && before.active {
        keep_an_admin(&mut tx, &signed, id).await?;
    }
    db::execute(&mut tx, "DELETE FROM coordinators WHERE id = $1", args![id]).await?;
    signed
        .record(
            &mut tx,
            "remove_coordinator",
            "coordinator",
            id.to_string(),
            json!({"email": before.email, "removed_at": Utc::now().to_rfc3339()}),
        )
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// End every session of a coordinator (admins; or oneself): signed out
/// everywhere, at once.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/coordinators/{id}/sessions",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The coordinator's id")),
    responses(
        (status = 204, description = "Signed out everywhere"),
        (status = 400, description = "A malformed parameter", body = sammen_shared::ErrorBody),
        NotSignedIn,
        (status = 403, description = "Not an admin (and not yourself), or no CSRF token", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such coordinator in your municipality", body = sammen_shared::ErrorBody),
    )
)]
async fn end_sessions(
    State(state): State<AppState>,
    signed: Signed,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode> {
    if id != signed.id {
        signed.require_admin()?;
    }
    let mut tx = state.db.begin().await?;
    target(&mut tx, &signed, id).await?;
    db::execute(
        &mut tx,
        "DELETE FROM sessions WHERE coordinator_id = $1",
        args![id],
    )
    .await?;
    signed
        .record(
            &mut tx,
            "end_sessions",
            "coordinator",
            id.to_string(),
            json!({}),
        )
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
