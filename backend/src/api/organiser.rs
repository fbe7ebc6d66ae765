//! The organiser's page behind the follow link, once the initiative is
//! published: who joined (with what each chose to show), the volunteers the
//! coordinator invited and their answers, and a message to them all through
//! Sammen. The proposal and its dialogue stay in `follow.rs`.

use crate::said;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use chrono::Utc;
use sammen_shared::follow::{
    CoOrganiserView, MarkDone, MessageQueued, MessageToPeople, OrganiserView,
};
use sammen_shared::status::Action;
use sammen_shared::status::Status;
use sammen_shared::text::{self, parse_text};
use sammen_shared::ErrorCode;
use sammen_shared::FieldErrors;
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::co_organiser::{self, Organiser};
use crate::db::{self, Executor};
use crate::error::{Error, JsonBodyRefused, NoToken, Result};
use crate::extract::{ApiJson, IdempotencyKey, LinkToken, RequestLang};
use crate::idempotency::{self, Start};
use crate::initiative::needs_of;
use crate::invitation;
use crate::limits::GroupWrite;
use crate::proposal::{people_of, reachable, unreachable};
use crate::state::AppState;
use crate::{args, audit};
use crate::{mails, outbox, token};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read_people))
        .routes(routes!(message_people))
        .routes(routes!(mark_done))
}

/// Whether the proposer runs the initiative now: people can join it.
fn running(status: Status) -> bool {
    matches!(status, Status::Published | Status::Completed)
}

/// The organiser's page: who joined, with the email or phone each chose to
/// show, and the volunteers the coordinator invited with their answers —
/// once the initiative is published (before, nobody can join: both empty).
#[utoipa::path(
    get,
    path = "/api/v1/follow/people",
    tag = "follow",
    security(("follow_token" = [])),
    responses(
        (status = 200, body = OrganiserView),
        NoToken,
        (status = 404, description = "No such follow link", body = sammen_shared::ErrorBody),
    )
)]
async fn read_people(
    State(state): State<AppState>,
    LinkToken(token): LinkToken,
) -> Result<Json<OrganiserView>> {
    let mut conn = state.db.acquire().await?;
    let (row, organiser) = co_organiser::by_token(&mut conn, &token).await?;
    let status = row.status()?;
    let (people, invited) = if running(status) {
        (
            people_of(&mut conn, row.id).await?,
            invitation::of_initiative(&mut conn, row.id).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let needs = needs_of(&mut conn, &[row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    let proposer = matches!(organiser, Organiser::Proposer);
    Ok(Json(OrganiserView {
        co_organisers: co_organiser::of_initiative(&mut conn, row.id)
            .await?
            .into_iter()
            .map(|c| CoOrganiserView {
                email: c.email.filter(|_| proposer),
                ..c
            })
            .collect(),
        proposer,
        outcome: outcome_of(&mut conn, row.id).await?,
        title: row.title,
        status,
        needs,
        people,
        invited,
    }))
}

/// Write to everyone who joined (or those of one need), through Sammen:
/// each gets an email, and no address is shown to the organiser. Volunteers
/// who said yes count as joined. Limited like a group's messages.
#[utoipa::path(
    post,
    path = "/api/v1/follow/people/messages",
    tag = "follow",
    security(("follow_token" = [])),
    params(("Idempotency-Key" = Option<uuid::Uuid>, Header, description = "A UUID made by the client for this write")),
    request_body = MessageToPeople,
    responses(
        (status = 202, description = "Queued, one email per person", body = MessageQueued),
        (status = 400, description = "Not JSON, or a malformed key", body = sammen_shared::ErrorBody),
        NoToken,
        (status = 404, description = "No such follow link", body = sammen_shared::ErrorBody),
        (status = 409, description = "Not published, or nobody to write to by email", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "An empty message, or a need the initiative does not have", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too many messages at once; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn message_people(
    State(state): State<AppState>,
    LinkToken(token): LinkToken,
    RequestLang(lang): RequestLang,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<MessageToPeople>,
) -> Result<Response> {
    let mut errors = FieldErrors::new();
    let Some(message) = errors.check("body", parse_text(&body.value.body, text::BODY)) else {
        return Err(Error::Validation(errors, lang));
    };
    let need = body.value.need_id;
    let (row, organiser, recipients, need_title, without_email) = {
        let mut conn = state.db.acquire().await?;
        let (row, organiser) = co_organiser::by_token(&mut conn, &token).await?;
        if !running(row.status()?) {
            return Err(Error::refused(
                ErrorCode::Conflict,
                &said::WRITE_ONCE_PUBLISHED,
            ));
        }
        let needs = needs_of(&mut conn, &[row.id])
            .await?
            .remove(&row.id)
            .unwrap_or_default();
        let need_title = match need {
            Some(id) => Some(
                needs
                    .into_iter()
                    .find(|n| n.id == id)
                    .map(|n| n.title)
                    .ok_or_else(|| Error::field_refused("need_id", &said::NO_SUCH_NEED, &[]))?,
            ),
            None => None,
        };
        let recipients = reachable(&mut conn, row.id, need).await?;
        let without_email = unreachable(&mut conn, row.id, need).await?;
        (row, organiser, recipients, need_title, without_email)
    };
    if recipients.is_empty() {
        return Err(Error::refused(
            ErrorCode::Conflict,
            &said::NOBODY_TO_WRITE_TO,
        ));
    }
    let fingerprint = idempotency::fingerprint(
        "POST /api/v1/follow/people/messages",
        &token::hash(&token),
        &body.digest,
    );
    let mut write = match idempotency::start(&state.db, key, &fingerprint).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(write) => write,
    };
    // The municipality's sender is not a relay for floods.
    if let Some(wait) = state.group_limits.wait(row.id, GroupWrite::Message) {
        return Ok(wait);
    }
    let organiser = organiser.name(&row);
    let title = &row.title;
    // In the organiser's language, which is the message's.
    let (subject, text) =
        mails::from_organiser(lang, &organiser, title, need_title.as_deref(), &message);
    for recipient in &recipients {
        outbox::enqueue(
            &mut write.tx,
            outbox::Email {
                municipality: &row.municipality,
                recipient,
                subject: subject.clone(),
                body: text.clone(),
                kind: "organiser_message",
                subject_id: Some(row.id),
            },
        )
        .await?;
    }
    let sent_to = u32::try_from(recipients.len()).unwrap_or(u32::MAX);
    idempotency::finish(
        write,
        StatusCode::ACCEPTED,
        &MessageQueued {
            sent_to,
            without_email,
        },
    )
    .await
}

async fn outcome_of(ex: &mut impl Executor, id: uuid::Uuid) -> Result<Option<String>> {
    let row: Option<(Option<String>,)> = db::fetch_optional(
        ex,
        "SELECT outcome FROM initiatives WHERE id = $1",
        args![id],
    )
    .await?;
    Ok(row.and_then(|(outcome,)| outcome))
}

/// Mark the initiative done, with a short text about what came of it: it
/// leaves the list of running initiatives and shows among the results.
#[utoipa::path(
    post,
    path = "/api/v1/follow/done",
    tag = "follow",
    security(("follow_token" = [])),
    request_body = MarkDone,
    responses(
        (status = 200, description = "Done; the organiser's page now", body = OrganiserView),
        (status = 400, description = "Not JSON", body = sammen_shared::ErrorBody),
        NoToken,
        (status = 404, description = "No such follow link", body = sammen_shared::ErrorBody),
        (status = 409, description = "Not running (not published, or done already)", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "What came of it is missing or too long", body = sammen_shared::ErrorBody),
    )
)]
async fn mark_done(
    State(state): State<AppState>,
    LinkToken(token): LinkToken,
    RequestLang(lang): RequestLang,
    body: ApiJson<MarkDone>,
) -> Result<Json<OrganiserView>> {
    let mut errors = FieldErrors::new();
    let Some(outcome) = errors.check("outcome", parse_text(&body.value.outcome, text::BODY)) else {
        return Err(Error::Validation(errors, lang));
    };
    let (row, organiser) = {
        let mut conn = state.db.acquire().await?;
        co_organiser::by_token(&mut conn, &token).await?
    };
    let status = row.status()?;
    if status == Status::Completed {
        // A retry of the same answer is that answer, not a conflict.
        let mut conn = state.db.acquire().await?;
        if outcome_of(&mut conn, row.id).await?.as_deref() == Some(outcome.as_str()) {
            drop(conn);
            return read_people(State(state), LinkToken(token)).await;
        }
    }
    let next = status.apply(Action::Complete).map_err(|_| {
        Error::refused_with(
            ErrorCode::Conflict,
            &said::CANNOT_MARK_DONE,
            &[("status", &status)],
        )
    })?;
    // The write comes first in the transaction (see `Db::begin`).
    let mut tx = state.db.begin().await?;
    let changed = db::execute(
        &mut tx,
        "UPDATE initiatives SET status = $1, outcome = $2, version = version + 1, updated_at = $3 \
         WHERE id = $4 AND status = $5",
        args![next.as_str(), &outcome, Utc::now(), row.id, status.as_str()],
    )
    .await?;
    if changed == 0 {
        return Err(Error::refused(
            ErrorCode::Conflict,
            &said::INITIATIVE_CHANGED,
        ));
    }
    audit::record(
        &mut tx,
        audit::Entry {
            before: Some(json!({"status": status.as_str()})),
            after: Some(json!({"status": next.as_str(), "outcome": outcome})),
            ..audit::Entry::unsigned(
                &row.municipality,
                organiser.actor(),
                "mark_done",
                "initiative",
                row.id,
            )
        },
    )
    .await?;
    tx.commit().await?;
    read_people(State(state), LinkToken(token)).await
}
