//! The proposer's follow link, opened with its token and no account: read the
//! proposal and its dialogue, reply, edit, and resubmit after the coordinator
//! asked for changes. Edits carry the version they were made against, so an
//! edit never silently overwrites a change the proposer has not seen.

use crate::error::Unsaid;
use crate::said;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use chrono::Utc;
use sammen_shared::follow::{Author, EditProposal, FollowView, NewMessage, Resubmit};
use sammen_shared::initiative::Known;
use sammen_shared::status::{Action, Status};
use sammen_shared::text::{self, parse_optional_text, parse_text};
use sammen_shared::ErrorCode;
use sammen_shared::FieldErrors;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::args;
use crate::db::{self, Executor};
use crate::error::{Error, JsonBodyRefused, NoToken, Result};
use crate::extract::{ApiJson, IdempotencyKey, LinkToken, RequestLang};
use crate::idempotency::{self, Start, Write};
use crate::initiative::{insert_needs, search_text};
use crate::mails;
use crate::municipality::tenant;
use crate::proposal::{add_message, proposal_by_token, view_of, ProposalRow};
use crate::state::AppState;
use crate::token;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read_follow, edit_proposal))
        .routes(routes!(reply))
        .routes(routes!(resubmit))
}

async fn follow_view(ex: &mut impl Executor, token: &str) -> Result<FollowView> {
    let row = proposal_by_token(ex, token).await?;
    let status = row.status()?;
    let (proposal, messages) = view_of(ex, row).await?;
    Ok(FollowView {
        can_edit: status.proposer_can_edit(),
        can_resubmit: status.apply(Action::Resubmit).is_ok(),
        messages,
        proposal,
    })
}

/// Why a versioned change did not apply: the proposal moved on meanwhile.
fn stale(current: &ProposalRow) -> Error {
    let unsaid = Unsaid::new(
        &said::PROPOSAL_CHANGED,
        &[("status", &current.status), ("version", &current.version)],
    );
    match current.status() {
        Ok(status) => Error::Refused {
            code: ErrorCode::Conflict,
            unsaid,
            current: Some(sammen_shared::Current {
                status,
                version: current.version,
            }),
        },
        Err(error) => error,
    }
}

async fn start_write(
    state: &AppState,
    key: Option<Uuid>,
    route: &str,
    token: &str,
    digest: &str,
) -> Result<Start> {
    let fingerprint = idempotency::fingerprint(route, &token::hash(token), digest);
    idempotency::start(&state.db, key, &fingerprint).await
}

async fn finish_with_view(mut write: Write, status: StatusCode, token: &str) -> Result<Response> {
    let view = follow_view(&mut write.tx, token).await?;
    idempotency::finish(write, status, &view).await
}

/// The proposal, its dialogue and what the proposer may do now.
#[utoipa::path(
    get,
    path = "/api/v1/follow",
    tag = "follow",
    security(("follow_token" = [])),
    responses(
        (status = 200, body = FollowView),
        NoToken,
        (status = 404, description = "No such follow link", body = sammen_shared::ErrorBody),
    )
)]
async fn read_follow(
    State(state): State<AppState>,
    LinkToken(token): LinkToken,
) -> Result<Json<FollowView>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(follow_view(&mut conn, &token).await?))
}

/// Reply to the coordinator.
#[utoipa::path(
    post,
    path = "/api/v1/follow/messages",
    tag = "follow",
    security(("follow_token" = [])),
    params(("Idempotency-Key" = Option<Uuid>, Header, description = "A UUID made by the client for this write")),
    request_body = NewMessage,
    responses(
        (status = 201, description = "Sent; the dialogue as it is now", body = FollowView),
        (status = 400, description = "Not JSON, or a malformed key", body = sammen_shared::ErrorBody),
        NoToken,
        (status = 404, description = "No such follow link", body = sammen_shared::ErrorBody),
        (status = 409, description = "The proposal is archived", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "Fields to correct", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too many writes; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn reply(
    State(state): State<AppState>,
    LinkToken(token): LinkToken,
    RequestLang(lang): RequestLang,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<NewMessage>,
) -> Result<Response> {
    let mut errors = FieldErrors::new();
    let text = errors.check("body", parse_text(&body.value.body, text::BODY));
    let Some(text) = text else {
        return Err(Error::Validation(errors, lang));
    };
    let current = {
        let mut conn = state.db.acquire().await?;
        proposal_by_token(&mut conn, &token).await?
    };
    if current.status()? == Status::Archived {
        return Err(Error::refused(
            ErrorCode::Conflict,
            &said::PROPOSAL_ARCHIVED,
        ));
    }
    let mut write = match start_write(
        &state,
        key,
        "POST /api/v1/follow/messages",
        &token,
        &body.digest,
    )
    .await?
    {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(write) => write,
    };
    add_message(&mut write.tx, current.id, Author::Proposer, &text, None).await?;
    finish_with_view(write, StatusCode::CREATED, &token).await
}

/// Edit the proposal (while it is submitted or changes were requested),
/// optionally resubmitting it in the same step.
#[utoipa::path(
    put,
    path = "/api/v1/follow",
    tag = "follow",
    security(("follow_token" = [])),
    params(("Idempotency-Key" = Option<Uuid>, Header, description = "A UUID made by the client for this write")),
    request_body = EditProposal,
    responses(
        (status = 200, description = "Saved", body = FollowView),
        (status = 400, description = "Not JSON, or a malformed key", body = sammen_shared::ErrorBody),
        NoToken,
        (status = 404, description = "No such follow link", body = sammen_shared::ErrorBody),
        (status = 409, description = "Changed meanwhile, or no longer editable", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "Fields to correct", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too many writes; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn edit_proposal(
    State(state): State<AppState>,
    LinkToken(token): LinkToken,
    RequestLang(lang): RequestLang,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<EditProposal>,
) -> Result<Response> {
    let (current, tenant) = {
        let mut conn = state.db.acquire().await?;
        let current = proposal_by_token(&mut conn, &token).await?;
        let tenant = tenant(&mut conn, &current.municipality).await?;
        (current, tenant)
    };
    let edit = &body.value;
    let (categories, institutions) = (tenant.category_slugs(), tenant.institution_slugs());
    let known = Known {
        categories: &categories,
        institutions: &institutions,
    };
    let mut errors = FieldErrors::new();
    let note = errors.check(
        "message",
        parse_optional_text(edit.message.as_deref(), text::OPTIONAL_BODY),
    );
    let proposal = match edit.proposal.parse(known) {
        Ok(proposal) if errors.is_empty() => proposal,
        Ok(_) => return Err(Error::Validation(errors, lang)),
        Err(mut more) => {
            for (field, error) in errors.iter() {
                more.add(field.clone(), *error);
            }
            return Err(Error::Validation(more, lang));
        }
    };
    // An edit from the widget names its fallback language: keep the pack's.
    let reader = mails::proposer_lang(edit.proposal.lang, lang);
    let status = current.status()?;
    if !status.proposer_can_edit() {
        return Err(Error::refused_with(
            ErrorCode::Conflict,
            &said::NOT_EDITABLE,
            &[("status", &status)],
        ));
    }
    let next = if edit.resubmit {
        status.apply(Action::Resubmit).map_err(|e| {
            Error::refused_with(
                ErrorCode::Conflict,
                &said::CANNOT_RESUBMIT,
                &[("status", &e.from)],
            )
        })?
    } else {
        status
    };

    let mut write =
        match start_write(&state, key, "PUT /api/v1/follow", &token, &body.digest).await? {
            Start::Replay(response) => return Ok(response),
            Start::Fresh(write) => write,
        };
    let point = proposal.place.point;
    let updated = db::execute(
        &mut write.tx,
        "UPDATE initiatives SET institution = $1, category = $2, title = $3, summary = $4, \
         audience = $5, place_name = $6, lat = $7, lon = $8, time_text = $9, search_text = $10, \
         lang = $11, contact_name = $12, contact_email = $13, contact_phone = $14, status = $15, \
         version = version + 1, updated_at = $16 \
         WHERE id = $17 AND version = $18 AND status = $19",
        args![
            proposal.institution.as_ref(),
            &proposal.category,
            &proposal.title,
            &proposal.summary,
            proposal.audience.as_ref(),
            &proposal.place.name,
            point.map(|p| p.lat),
            point.map(|p| p.lon),
            proposal.when.as_ref(),
            search_text(&proposal),
            reader.code(),
            &proposal.contact.name,
            proposal.contact.email.as_ref(),
            proposal.contact.phone.as_ref(),
            next.as_str(),
            Utc::now(),
            current.id,
            edit.version,
            status.as_str(),
        ],
    )
    .await?;
    if updated == 0 {
        let latest = proposal_by_token(&mut write.tx, &token).await?;
        return Err(stale(&latest));
    }
    db::execute(
        &mut write.tx,
        "DELETE FROM needs WHERE initiative_id = $1",
        args![current.id],
    )
    .await?;
    insert_needs(&mut write.tx, current.id, &proposal.needs).await?;
    if edit.resubmit || note.as_ref().is_some_and(Option::is_some) {
        let action = edit.resubmit.then_some(Action::Resubmit);
        let text = note.flatten().unwrap_or_default();
        add_message(&mut write.tx, current.id, Author::Proposer, &text, action).await?;
    }
    finish_with_view(write, StatusCode::OK, &token).await
}

/// Send the proposal back to the coordinator after changes were requested.
#[utoipa::path(
    post,
    path = "/api/v1/follow/resubmit",
    tag = "follow",
    security(("follow_token" = [])),
    params(("Idempotency-Key" = Option<Uuid>, Header, description = "A UUID made by the client for this write")),
    request_body = Resubmit,
    responses(
        (status = 200, description = "Back in the coordinator's queue", body = FollowView),
        (status = 400, description = "Not JSON, or a malformed key", body = sammen_shared::ErrorBody),
        NoToken,
        (status = 404, description = "No such follow link", body = sammen_shared::ErrorBody),
        (status = 409, description = "Changed meanwhile, or no changes were requested", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "Fields to correct", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too many writes; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn resubmit(
    State(state): State<AppState>,
    LinkToken(token): LinkToken,
    RequestLang(lang): RequestLang,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<Resubmit>,
) -> Result<Response> {
    let mut errors = FieldErrors::new();
    let note = errors.check(
        "message",
        parse_optional_text(body.value.message.as_deref(), text::OPTIONAL_BODY),
    );
    let Some(note) = note else {
        return Err(Error::Validation(errors, lang));
    };
    let current = {
        let mut conn = state.db.acquire().await?;
        proposal_by_token(&mut conn, &token).await?
    };
    let status = current.status()?;
    let next = status.apply(Action::Resubmit).map_err(|e| {
        Error::refused_with(
            ErrorCode::Conflict,
            &said::CANNOT_RESUBMIT,
            &[("status", &e.from)],
        )
    })?;
    let mut write = match start_write(
        &state,
        key,
        "POST /api/v1/follow/resubmit",
        &token,
        &body.digest,
    )
    .await?
    {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(write) => write,
    };
    let updated = db::execute(
        &mut write.tx,
        "UPDATE initiatives SET status = $1, version = version + 1, updated_at = $2 \
         WHERE id = $3 AND version = $4 AND status = $5",
        args![
            next.as_str(),
            Utc::now(),
            current.id,
            body.value.version,
            status.as_str()
        ],
    )
    .await?;
    if updated == 0 {
        let latest = proposal_by_token(&mut write.tx, &token).await?;
        return Err(stale(&latest));
    }
    add_message(
        &mut write.tx,
        current.id,
        Author::Proposer,
        &note.unwrap_or_default(),
        Some(Action::Resubmit),
    )
    .await?;
    finish_with_view(write, StatusCode::OK, &token).await
}
