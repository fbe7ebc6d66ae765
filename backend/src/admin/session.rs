//! Signing in and out (`signed.rs` checks the session on every other
//! admin request). Failed sign-ins are throttled per
//! account and client address (`sign_in_throttle.rs`); the answer never says
//! whether the email exists.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::Json;
use chrono::{Duration, Utc};
use sammen_shared::admin::{CoordinatorView, Role, SessionView, SignIn};
use sammen_shared::{ErrorCode, MunicipalityChoice};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::admin::signed::{
    cookie, institutions_of, session_cookie, Signed, COOKIE, SESSION_HOURS,
};
use crate::args;
use crate::audit;
use crate::client_addr::ClientAddr;
use crate::db::{self};
use crate::error::{Error, JsonBodyRefused, NotSignedIn, Result, SignedChangeRefused};
use crate::extract::ApiJson;
use crate::sign_in_throttle::{self, Verdict};
use crate::state::AppState;
use crate::stored::timestamp;
use crate::{password, token};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(sign_in, current_session, sign_out))
}

fn throttled(seconds: i64) -> Response {
    let mut response = Error::coded(
        ErrorCode::RateLimited,
        if seconds < 60 {
            format!("Too many failed sign-ins; try again in {seconds} seconds.")
        } else {
            format!(
                "Too many failed sign-ins; try again in {} minutes.",
                (seconds + 59) / 60
            )
        },
    )
    .into_response();
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[derive(sqlx::FromRow)]
struct Account {
    id: Uuid,
    municipality: String,
    name: String,
    role: String,
    password_hash: String,
    municipality_name: String,
}

/// Sign in with email and password.
#[utoipa::path(
    post,
    path = "/api/v1/admin/session",
    tag = "admin",
    request_body = SignIn,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = SessionView),
        (status = 401, description = "Wrong email or password", body = sammen_shared::ErrorBody),
        (status = 409, description = "The email and password fit accounts in several municipalities: send again with one of `choices` as `municipality`", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too many attempts; see Retry-After", body = sammen_shared::ErrorBody),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "Fields to correct, or a body of the wrong shape", body = sammen_shared::ErrorBody),
    )
)]
async fn sign_in(
    State(state): State<AppState>,
    Extension(ClientAddr(address)): Extension<ClientAddr>,
    body: ApiJson<SignIn>,
) -> Result<Response> {
    let email = body.value.email.trim().to_lowercase();
    let mut attempt = sign_in_throttle::Attempt::new(&email, address);
    if let Verdict::Wait(seconds) =
        sign_in_throttle::check_and_count(&state.db, &mut attempt, Utc::now()).await?
    {
        tracing::warn!(%address, "sign-in throttled");
        return Ok(throttled(seconds));
    }
    // No coordinator has a longer address; do not even look one up.
    let email = if email.chars().count() > sign_in_throttle::EMAIL_LIMIT {
        String::new()
    } else {
        email
    };
    let mut conn = state.db.acquire().await?;
    // An email is unique per municipality, so it may have several accounts.
    let accounts: Vec<Account> = db::fetch_all(
        &mut conn,
        "SELECT c.id, c.municipality, c.name, c.role, c.password_hash, m.name AS municipality_name \
         FROM coordinators c JOIN municipalities m ON m.slug = c.municipality \
         WHERE c.email = $1 AND c.active = $2 ORDER BY c.municipality LIMIT 8",
        args![&email, true],
    )
    .await?;
    let accounts: Vec<Account> = match &body.value.municipality {
        Some(chosen) => accounts
            .into_iter()
            .filter(|a| &a.municipality == chosen)
            .collect(),
        None => accounts,
    };
    // Verify against a decoy when the email is unknown, so both take as long.
    let stored: Vec<String> = if accounts.is_empty() {
        vec![password::decoy_hash().to_string()]
    } else {
        accounts.iter().map(|a| a.password_hash.clone()).collect()
    };
    let password = body.value.password.clone();
    let matches = tokio::task::spawn_blocking(move || {
        stored
            .iter()
            .map(|hash| password::verify(&password, hash))
            .collect::<Vec<bool>>()
    })
    .await
    .map_err(|e| Error::Internal(format!("password check: {e}")))?;
    let mut fitting: Vec<Account> = accounts
        .into_iter()
        .zip(matches)
        .filter_map(|(account, matches)| matches.then_some(account))
        .collect();
    if fitting.len() > 1 {
        // The password of each was given: naming them tells nothing new.
        return Err(Error::ChooseMunicipality(
            fitting
                .into_iter()
                .map(|a| MunicipalityChoice {
                    slug: a.municipality,
                    name: a.municipality_name,
                })
                .collect(),
        ));
    }
    let Some(account) = fitting.pop() else {
        tracing::info!(%address, "sign-in refused");
        return Err(Error::unauthorized("Wrong email or password."));
    };
    drop(conn);
    sign_in_throttle::succeeded(&state.db, &attempt, Utc::now()).await?;

    let role = Role::parse(&account.role)
        .ok_or_else(|| Error::Internal(format!("unknown role '{}' stored", account.role)))?;
    let session_token = token::generate();
    let csrf_token = token::generate();
    let now = Utc::now();
    let expires_at = now + Duration::hours(SESSION_HOURS);
    let mut tx = state.db.begin().await?;
    db::execute(
        &mut tx,
        "INSERT INTO sessions (token_hash, coordinator_id, csrf_token, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
        args![
            token::hash(&session_token),
            account.id,
            &csrf_token,
            now,
            expires_at
        ],
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry {
            municipality: &account.municipality,
            actor_id: Some(account.id),
            address: Some(address),
            actor: &email,
            action: "sign_in",
            subject_type: "coordinator",
            subject_id: Some(account.id.to_string()),
            before: None,
            after: None,
        },
    )
    .await?;
    let institutions = institutions_of(&mut tx, account.id, &account.municipality, role).await?;
    tx.commit().await?;

    let view = SessionView {
        coordinator: CoordinatorView {
            id: account.id,
            municipality: account.municipality,
            email,
            name: account.name,
            role,
            institutions,
            active: true,
        },
        csrf_token,
        expires_at: timestamp(expires_at),
    };
    let secure = state.config.public_url.starts_with("https://");
    let mut response = Json(view).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(&session_token, SESSION_HOURS * 3600, secure),
    );
    Ok(response)
}

/// The signed-in coordinator and the CSRF token (for a console reload).
#[utoipa::path(
    get,
    path = "/api/v1/admin/session",
    tag = "admin",
    responses(
        (status = 200, body = SessionView),
        NotSignedIn,
    )
)]
async fn current_session(signed: Signed) -> Json<SessionView> {
    Json(SessionView {
        coordinator: signed.view(),
        csrf_token: signed.csrf_token.clone(),
        expires_at: timestamp(signed.expires_at),
    })
}

/// Sign out: the session ends on the server and the cookie is cleared.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/session",
    tag = "admin",
    responses(
        (status = 204, description = "Signed out"),
        SignedChangeRefused,
    )
)]
async fn sign_out(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
) -> Result<Response> {
    if let Some(token) = cookie(&headers, COOKIE) {
        let mut conn = state.db.acquire().await?;
        db::execute(
            &mut conn,
            "DELETE FROM sessions WHERE token_hash = $1",
            args![token::hash(&token)],
        )
        .await?;
    }
    tracing::info!(coordinator = %signed.id, "signed out");
    let secure = state.config.public_url.starts_with("https://");
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie("", 0, secure));
    Ok(response)
}
