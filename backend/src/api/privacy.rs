//! The citizen's private link, for any record they made: a proposal (its
//! follow token), a signup or an offer (the `private_token` of the answer).
//! With `Authorization: Bearer <token>` the holder downloads all data Sammen
//! holds with it, deletes it, or replaces or closes the link. Also the
//! consent texts the forms show.

use crate::said;
use axum::extract::FromRequestParts;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::Json;
use chrono::Utc;
use sammen_shared::consent::{self, ConsentForm, ConsentText};
use sammen_shared::privacy::{Erased, PersonalData, PrivateLink};
use sammen_shared::ErrorCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::db::Executor;
use crate::error::{Error, NoToken, Result};
use crate::extract::{ApiPath, IdempotencyKey, RequestLang};
use crate::idempotency::{self, Start};
use crate::municipality::{municipality_name, retention_months};
use crate::privacy::{self, Record, Signups};
use crate::state::AppState;
use crate::stored::timestamp;
use crate::token;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export_my_data))
        .routes(routes!(delete_my_data))
        .routes(routes!(rotate_link, revoke_link))
        .routes(routes!(consent_texts))
}

/// The secret of a private link, sent as `Authorization: Bearer <token>`.
pub struct PrivateToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PrivateToken {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(|token| PrivateToken(token.trim().to_string()))
            .filter(|token| !token.0.is_empty())
            .ok_or_else(|| Error::refused(ErrorCode::Unauthorized, &said::SEND_TOKEN))
    }
}

async fn record_of(ex: &mut impl Executor, token: &str) -> Result<Record> {
    privacy::by_token(ex, token)
        .await?
        .ok_or_else(|| Error::refused(ErrorCode::NotFound, &said::PRIVATE_LINK_GONE))
}

/// All data Sammen holds with this link's record: the record with your
/// contact and, for a proposal, the dialogue.
#[utoipa::path(
    get,
    path = "/api/v1/privacy/export",
    tag = "privacy",
    security(("follow_token" = [])),
    responses(
        (status = 200, body = PersonalData),
        NoToken,
        (status = 404, description = "No such link, or its data was deleted", body = sammen_shared::ErrorBody),
    )
)]
async fn export_my_data(
    State(state): State<AppState>,
    PrivateToken(token): PrivateToken,
) -> Result<Json<PersonalData>> {
    let mut conn = state.db.acquire().await?;
    let record = record_of(&mut conn, &token).await?;
    let export = privacy::export(&mut conn, &record).await?;
    Ok(Json(PersonalData {
        exported_at: timestamp(Utc::now()),
        records: vec![export],
    }))
}

/// Delete your personal data: names, contact, messages, family details and
/// free text go; an anonymous count stays. A published initiative stays
/// public without your contact. The link stops working.
#[utoipa::path(
    delete,
    path = "/api/v1/privacy/data",
    tag = "privacy",
    security(("follow_token" = [])),
    params(("Idempotency-Key" = Option<uuid::Uuid>, Header, description = "A UUID made by the client for this write")),
    responses(
        (status = 200, description = "Deleted", body = Erased),
        (status = 400, description = "A malformed key", body = sammen_shared::ErrorBody),
        NoToken,
        (status = 404, description = "No such link, or its data was deleted", body = sammen_shared::ErrorBody),
        (status = 422, description = "The key was used for another request", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too many writes; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn delete_my_data(
    State(state): State<AppState>,
    PrivateToken(token): PrivateToken,
    IdempotencyKey(key): IdempotencyKey,
) -> Result<Response> {
    let fingerprint =
        idempotency::fingerprint("DELETE /api/v1/privacy/data", &token::hash(&token), "");
    let mut write = match idempotency::start(&state.db, key, &fingerprint).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(write) => write,
    };
    // Looked up beside the transaction, so that its first statement is a
    // write (SQLite then takes the write lock at once; see `Db::begin`).
    let record = {
        let mut conn = state.db.acquire().await?;
        record_of(&mut conn, &token).await?
    };
    let records = privacy::erase(&mut write.tx, &record, Signups::Keep, Utc::now()).await?;
    crate::audit::record(
        &mut write.tx,
        crate::audit::Entry::unsigned(
            &record.municipality,
            "citizen (private link)",
            "erase_personal_data",
            record.kind.as_str(),
            record.id,
        ),
    )
    .await?;
    idempotency::finish(write, StatusCode::OK, &Erased { records }).await
}

/// Replace the link: the answer carries a new token and the old one stops
/// working (send an `Idempotency-Key`, so a lost answer can be fetched again
/// with the old token).
#[utoipa::path(
    post,
    path = "/api/v1/privacy/link",
    tag = "privacy",
    security(("follow_token" = [])),
    params(("Idempotency-Key" = Option<uuid::Uuid>, Header, description = "A UUID made by the client for this write")),
    responses(
        (status = 200, description = "The new link", body = PrivateLink),
        (status = 400, description = "A malformed key", body = sammen_shared::ErrorBody),
        NoToken,
        (status = 404, description = "No such link", body = sammen_shared::ErrorBody),
        (status = 422, description = "The key was used for another request", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too many writes; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn rotate_link(
    State(state): State<AppState>,
    PrivateToken(token): PrivateToken,
    IdempotencyKey(key): IdempotencyKey,
) -> Result<Response> {
    let fingerprint =
        idempotency::fingerprint("POST /api/v1/privacy/link", &token::hash(&token), "");
    let mut write = match idempotency::start(&state.db, key, &fingerprint).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(write) => write,
    };
    // Looked up beside the transaction, so that its first statement is a
    // write (SQLite then takes the write lock at once; see `Db::begin`).
    let record = {
        let mut conn = state.db.acquire().await?;
        record_of(&mut conn, &token).await?
    };
    let fresh = privacy::replace_link(&mut write.tx, &record, true)
        .await?
        .ok_or_else(|| Error::Internal("rotating gave no token".into()))?;
    let link = PrivateLink {
        kind: record.kind,
        id: record.id,
        token: fresh,
    };
    idempotency::finish(write, StatusCode::OK, &link).await
}

/// Close the link for good, keeping the data (an admin can still export or
/// delete it on request).
#[utoipa::path(
    delete,
    path = "/api/v1/privacy/link",
    tag = "privacy",
    security(("follow_token" = [])),
    responses(
        (status = 204, description = "Closed"),
        NoToken,
        (status = 404, description = "No such link", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too many writes; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn revoke_link(
    State(state): State<AppState>,
    PrivateToken(token): PrivateToken,
) -> Result<StatusCode> {
    let record = {
        let mut conn = state.db.acquire().await?;
        record_of(&mut conn, &token).await?
    };
    let mut tx = state.db.begin().await?;
    privacy::replace_link(&mut tx, &record, false).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What each public form tells the citizen: what is stored, who sees it, for
/// how long (the municipality's retention period), and the version to send
/// back as `consent_version`. In the request's language.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{municipality}/consent",
    tag = "public",
    params(("municipality" = String, Path, description = "Slug, e.g. `billund`")),
    responses(
        (status = 200, body = Vec<ConsentText>),
        (status = 400, description = "A malformed slug", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such municipality", body = sammen_shared::ErrorBody),
    )
)]
async fn consent_texts(
    State(state): State<AppState>,
    ApiPath(municipality): ApiPath<String>,
    RequestLang(lang): RequestLang,
) -> Result<Json<Vec<ConsentText>>> {
    let mut conn = state.db.acquire().await?;
    municipality_name(&mut conn, &municipality).await?;
    let months = retention_months(&mut conn, &municipality).await?;
    Ok(Json(
        ConsentForm::ALL
            .into_iter()
            .map(|form| consent::text(form, lang, months))
            .collect(),
    ))
}
