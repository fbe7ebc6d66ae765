//! Co-organisers: the proposer adds people who run the initiative with her,
//! each mailed a link of their own to the organiser's page, and removes them
//! (their link stops). Only the proposer's follow link may do either.

use crate::said;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use sammen_shared::follow::{CoOrganiserView, NewCoOrganiser};
use sammen_shared::person::parse_email;
use sammen_shared::text::{self, parse_text};
use sammen_shared::{ErrorCode, FieldErrors};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::audit;
use crate::co_organiser::{self, Organiser};
use crate::error::{Error, JsonBodyRefused, NoToken, Result};
use crate::extract::{ApiJson, ApiPath, IdempotencyKey, LinkToken, RequestLang};
use crate::idempotency::{self, Start};
use crate::proposal::ProposalRow;
use crate::state::AppState;
use crate::token;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(add))
        .routes(routes!(remove))
}

/// The proposal behind the proposer's own follow link; a co-organiser's
/// link is refused (403).
async fn as_proposer(state: &AppState, token: &str) -> Result<ProposalRow> {
    let mut conn = state.db.acquire().await?;
    match co_organiser::by_token(&mut conn, token).await? {
        (row, Organiser::Proposer) => Ok(row),
        (_, Organiser::CoOrganiser { .. }) => Err(Error::refused(
            ErrorCode::Forbidden,
            &said::ONLY_THE_PROPOSER,
        )),
    }
}

/// Add a co-organiser: they get their own link to the organiser's page by
/// email. At most 5, each email once (409).
#[utoipa::path(
    post,
    path = "/api/v1/follow/co-organisers",
    tag = "follow",
    security(("follow_token" = [])),
    params(("Idempotency-Key" = Option<uuid::Uuid>, Header, description = "A UUID made by the client for this write")),
    request_body = NewCoOrganiser,
    responses(
        (status = 201, description = "Added; their link is on its way", body = CoOrganiserView),
        (status = 400, description = "Not JSON, or a malformed key", body = sammen_shared::ErrorBody),
        NoToken,
        (status = 403, description = "A co-organiser's link, not the proposer's", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such follow link", body = sammen_shared::ErrorBody),
        (status = 409, description = "Not published or done, five already, or that email is one", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "A missing name or an unusable email", body = sammen_shared::ErrorBody),
    )
)]
async fn add(
    State(state): State<AppState>,
    LinkToken(secret): LinkToken,
    RequestLang(lang): RequestLang,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<NewCoOrganiser>,
) -> Result<Response> {
    let mut errors = FieldErrors::new();
    let name = errors.check("name", parse_text(&body.value.name, text::LABEL));
    let email = errors
        .check("email", parse_email(Some(&body.value.email)))
        .flatten();
    if email.is_none() && errors.is_empty() {
        errors.check::<()>("email", Err(sammen_shared::FieldError::Required));
    }
    let (Some(name), Some(email)) = (name, email) else {
        return Err(Error::Validation(errors, lang));
    };
    let row = as_proposer(&state, &secret).await?;
    if !matches!(
        row.status()?,
        sammen_shared::status::Status::Published | sammen_shared::status::Status::Completed
    ) {
        return Err(Error::refused(
            ErrorCode::Conflict,
            &said::CO_ORGANISERS_ONCE_PUBLISHED,
        ));
    }
    let fingerprint = idempotency::fingerprint(
        "POST /api/v1/follow/co-organisers",
        &token::hash(&secret),
        &body.digest,
    );
    let mut write = match idempotency::start(&state.db, key, &fingerprint).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(write) => write,
    };
    let added = co_organiser::add(
        &mut write.tx,
        &state.config.public_url,
        &row,
        &name,
        &email,
        lang,
    )
    .await?;
    audit::record(
        &mut write.tx,
        audit::Entry {
            after: Some(json!({"co_organiser": added.id})),
            ..audit::Entry::unsigned(
                &row.municipality,
                Organiser::Proposer.actor(),
                "add_co_organiser",
                "initiative",
                row.id,
            )
        },
    )
    .await?;
    idempotency::finish(write, StatusCode::CREATED, &added).await
}

/// Remove a co-organiser: their link stops working.
#[utoipa::path(
    delete,
    path = "/api/v1/follow/co-organisers/{id}",
    tag = "follow",
    security(("follow_token" = [])),
    params(("id" = Uuid, Path, description = "The co-organiser's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "A malformed id", body = sammen_shared::ErrorBody),
        NoToken,
        (status = 403, description = "A co-organiser's link, not the proposer's", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such follow link or co-organiser", body = sammen_shared::ErrorBody),
    )
)]
async fn remove(
    State(state): State<AppState>,
    LinkToken(secret): LinkToken,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode> {
    let row = as_proposer(&state, &secret).await?;
    let mut tx = state.db.begin().await?;
    if !co_organiser::remove(&mut tx, row.id, id).await? {
        return Err(Error::refused(
            ErrorCode::NotFound,
            &said::NO_SUCH_CO_ORGANISER,
        ));
    }
    audit::record(
        &mut tx,
        audit::Entry {
            after: Some(json!({"co_organiser": id})),
            ..audit::Entry::unsigned(
                &row.municipality,
                Organiser::Proposer.actor(),
                "remove_co_organiser",
                "initiative",
                row.id,
            )
        },
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
