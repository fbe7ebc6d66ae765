//! The group's dates: add one (the rotation proposes the host) or a series
//! of them at once (a rota, `rota.rs`), accept, pass on, cancel or mark it
//! held — which asks for a check-in: every member after a date of their
//! own, whoever took it after a date of a rota.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Datelike, Duration, Utc};
use sammen_engine::rotation;
use sammen_shared::group::{
    DateAction, DateChange, DateStatus, GroupSpace, HostReason, NewGroupDate,
};
use sammen_shared::text::{self, parse_optional_text};
use sammen_shared::week::Weekday;
use sammen_shared::{ErrorCode, FieldError, FieldErrors};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::args;
use crate::db::{self, Executor};
use crate::error::{Error, JsonBodyRefused, NoToken, Result};
use crate::extract::{ApiJson, ApiPath, IdempotencyKey, LinkToken, RequestLang};
use crate::idempotency::{self, Start};
use crate::limits::GroupWrite;
use crate::rota::{self, DateSeries, NewDateSeries, SeriesAdded};
use crate::state::AppState;
use crate::{mails, outbox, said, token};

use crate::group_space::{
    candidates, dates, host_reason_text, me, members, space, touch, DateRow, MeRow, MemberRow,
    DATE_COLUMNS,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(add_date))
        .routes(routes!(add_series))
        .routes(routes!(cancel_series))
        .routes(routes!(change_date))
}

fn weekday_of(time: DateTime<chrono::FixedOffset>) -> Weekday {
    Weekday::ALL[time.weekday().num_days_from_monday() as usize]
}

/// The rotation's host for a date on `day`, skipping `exclude`.
fn rotate(
    members: &[MemberRow],
    dates: &[DateRow],
    day: Weekday,
    exclude: &[Uuid],
) -> Option<(Uuid, HostReason)> {
    rotation::next_host(&candidates(members, dates), day, exclude)
}

/// Add a date; the rotation proposes the host (who hosted least, whose
/// afternoons fit) unless a member is chosen.
#[utoipa::path(
    post,
    path = "/api/v1/group/dates",
    tag = "groups",
    security(("group_token" = [])),
    params(("Idempotency-Key" = Option<Uuid>, Header, description = "A UUID made by the client for this write")),
    request_body = NewGroupDate,
    responses(
        (status = 201, description = "Added; the group now", body = GroupSpace),
        (status = 400, description = "The body is not JSON", body = sammen_shared::ErrorBody),
        NoToken,
        (status = 404, description = "No such group link", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "A time that is not RFC 3339, in the past, or a host not in the group", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too much at once from this member; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn add_date(
    State(state): State<AppState>,
    LinkToken(secret): LinkToken,
    RequestLang(lang): RequestLang,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<NewGroupDate>,
) -> Result<Response> {
    let request = &body.value;
    let mut errors = FieldErrors::new();
    let starts = DateTime::parse_from_rfc3339(request.starts_at.trim()).ok();
    let now = Utc::now();
    match starts {
        None => errors.add("starts_at", FieldError::InvalidTime),
        Some(t) if t < now - Duration::days(1) || t > now + Duration::days(730) => {
            errors.add("starts_at", FieldError::OutOfRange { min: 0, max: 730 })
        }
        Some(_) => {}
    }
    let note = errors
        .check(
            "note",
            parse_optional_text(request.note.as_deref(), text::OPTIONAL_BODY),
        )
        .flatten();
    let (Some(starts), true) = (starts, errors.is_empty()) else {
        return Err(Error::Validation(errors, lang));
    };
    let me = {
        let mut conn = state.db.acquire().await?;
        me(&mut conn, &secret).await?
    };
    let fingerprint = idempotency::fingerprint(
        "POST /api/v1/group/dates",
        &token::hash(&secret),
        &body.digest,
    );
    let mut write = match idempotency::start(&state.db, key, &fingerprint).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(write) => write,
    };
    if let Some(wait) = state.group_limits.wait(me.signup_id, GroupWrite::Date) {
        return Ok(wait);
    }
    // A write first (see `Db::begin`), then the reads the rotation needs.
    touch(&mut write.tx, me.group_id).await?;
    let members = members(&mut write.tx, me.group_id).await?;
    let dates = dates(&mut write.tx, me.group_id).await?;
    let host = match request.host {
        Some(chosen) if members.iter().any(|m| m.signup_id == chosen) => {
            Some((chosen, HostReason::Chosen))
        }
        Some(_) => return Err(Error::field_refused("host", &said::HOST_IN_GROUP, &[])),
        None => rotate(&members, &dates, weekday_of(starts), &[]),
    };
    db::execute(
        &mut write.tx,
        "INSERT INTO group_dates (id, group_id, starts_at, note, host, host_reason, status, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'proposed', $7, $7)",
        args![
            Uuid::new_v4(),
            me.group_id,
            starts.with_timezone(&Utc),
            note,
            host.map(|h| h.0),
            host.map(|h| host_reason_text(h.1)),
            now
        ],
    )
    .await?;
    let view = space(&mut write.tx, &me, &secret, lang).await?;
    idempotency::finish(write, StatusCode::CREATED, &view).await
}

/// Add a series of dates at once — weekdays over a period at one time, say
/// Monday to Friday at 06:30 all winter (at most 120 dates, a year) — each
/// taken in turn as the rotation proposes. Every member with an email gets
/// one mail about it with their own turns, not one per date.
#[utoipa::path(
    post,
    path = "/api/v1/group/date-series",
    tag = "groups",
    security(("group_token" = [])),
    params(("Idempotency-Key" = Option<Uuid>, Header, description = "A UUID made by the client for this write")),
    request_body = NewDateSeries,
    responses(
        (status = 201, description = "Added; how many and the group now", body = SeriesAdded),
        (status = 400, description = "The body is not JSON", body = sammen_shared::ErrorBody),
        NoToken,
        (status = 404, description = "No such group link", body = sammen_shared::ErrorBody),
        (status = 409, description = "The group has too many dates ahead already", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "No weekday, a day not written YYYY-MM-DD or in the past, an end before the start, too long a period or too many dates", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too much at once from this member; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn add_series(
    State(state): State<AppState>,
    LinkToken(secret): LinkToken,
    RequestLang(lang): RequestLang,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<NewDateSeries>,
) -> Result<Response> {
    let series =
        DateSeries::parse(&body.value, Utc::now()).map_err(|e| Error::Validation(e, lang))?;
    let me = {
        let mut conn = state.db.acquire().await?;
        me(&mut conn, &secret).await?
    };
    let fingerprint = idempotency::fingerprint(
        "POST /api/v1/group/date-series",
        &token::hash(&secret),
        &body.digest,
    );
    let mut write = match idempotency::start(&state.db, key, &fingerprint).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(write) => write,
    };
    // A series is many dates and a mail to everyone: it counts against both.
    for limit in [GroupWrite::Date, GroupWrite::Message] {
        if let Some(wait) = state.group_limits.wait(me.signup_id, limit) {
            return Ok(wait);
        }
    }
    touch(&mut write.tx, me.group_id).await?;
    let added = rota::add(&mut write.tx, &me, &series, lang).await?;
    let space = space(&mut write.tx, &me, &secret, lang).await?;
    idempotency::finish(write, StatusCode::CREATED, &SeriesAdded { added, space }).await
}

/// Cancel the rest of a rota: its dates still to come and not yet held
/// (the snow stayed away, the plan changed). Held dates stay.
#[utoipa::path(
    post,
    path = "/api/v1/group/date-series/{id}/cancel",
    tag = "groups",
    security(("group_token" = [])),
    params(("id" = Uuid, Path, description = "The rota's id (`series_id` of its dates)")),
    responses(
        (status = 200, description = "Cancelled; the group now", body = GroupSpace),
        (status = 400, description = "A malformed id", body = sammen_shared::ErrorBody),
        NoToken,
        (status = 404, description = "No such group link, or no such rota in the group", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too much at once from this member; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn cancel_series(
    State(state): State<AppState>,
    LinkToken(secret): LinkToken,
    RequestLang(lang): RequestLang,
    ApiPath(series_id): ApiPath<Uuid>,
) -> Result<Response> {
    let me = {
        let mut conn = state.db.acquire().await?;
        me(&mut conn, &secret).await?
    };
    if let Some(wait) = state.group_limits.wait(me.signup_id, GroupWrite::Date) {
        return Ok(wait);
    }
    let mut tx = state.db.begin().await?;
    touch(&mut tx, me.group_id).await?;
    rota::cancel_rest(&mut tx, &me, series_id).await?;
    let view = space(&mut tx, &me, &secret, lang).await?;
    tx.commit().await?;
    Ok(Json(view).into_response())
}

/// Accept hosting (the proposed host), pass it on (swap), cancel, or mark
/// a date done.
#[utoipa::path(
    post,
    path = "/api/v1/group/dates/{id}/changes",
    tag = "groups",
    security(("group_token" = [])),
    params(("id" = Uuid, Path, description = "The date's id")),
    request_body = DateChange,
    responses(
        (status = 200, description = "Changed; the group now", body = GroupSpace),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        NoToken,
        (status = 403, description = "Only the proposed host accepts or passes a date on", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such group link or date", body = sammen_shared::ErrorBody),
        (status = 409, description = "Not possible from the date's state, or nobody left to host", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "An unknown action", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too much at once from this member; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn change_date(
    State(state): State<AppState>,
    LinkToken(secret): LinkToken,
    RequestLang(lang): RequestLang,
    ApiPath(date_id): ApiPath<Uuid>,
    body: ApiJson<DateChange>,
) -> Result<Response> {
    let action = body.value.action;
    let me = {
        let mut conn = state.db.acquire().await?;
        me(&mut conn, &secret).await?
    };
    if let Some(wait) = state.group_limits.wait(me.signup_id, GroupWrite::Date) {
        return Ok(wait);
    }
    let mut tx = state.db.begin().await?;
    touch(&mut tx, me.group_id).await?;
    let date: DateRow = db::fetch_optional(
        &mut tx,
        &format!("SELECT {DATE_COLUMNS} WHERE id = $1 AND group_id = $2"),
        args![date_id, me.group_id],
    )
    .await?
    .ok_or_else(|| Error::refused(ErrorCode::NotFound, &said::NO_SUCH_DATE))?;
    let status = date.status()?;
    let open = matches!(status, DateStatus::Proposed | DateStatus::Accepted);
    let only_host = || Error::refused(ErrorCode::Forbidden, &said::ONLY_THE_HOST);
    let (next_status, next_host) = match action {
        DateAction::Accept if date.host != Some(me.signup_id) => return Err(only_host()),
        DateAction::Accept if status == DateStatus::Proposed => (DateStatus::Accepted, None),
        DateAction::Swap if date.host != Some(me.signup_id) => return Err(only_host()),
        DateAction::Swap if open => {
            let members = members(&mut tx, me.group_id).await?;
            let dates = dates(&mut tx, me.group_id).await?;
            let day = weekday_of(date.starts_at.fixed_offset());
            let next = rotate(&members, &dates, day, &[me.signup_id]).ok_or_else(|| {
                Error::said(ErrorCode::Conflict, lang, &said::NOBODY_ELSE_CAN_TAKE)
            })?;
            (DateStatus::Proposed, Some(next))
        }
        DateAction::Cancel if open => (DateStatus::Cancelled, None),
        DateAction::Done if open => (DateStatus::Done, None),
        _ => {
            return Err(Error::refused_with(
                ErrorCode::Conflict,
                &said::DATE_NOT_CHANGEABLE,
                &[("status", &status.as_str())],
            ))
        }
    };
    let (host, reason) = match next_host {
        Some((host, reason)) => (Some(host), Some(host_reason_text(reason).to_string())),
        None => (date.host, date.host_reason.clone()),
    };
    db::execute(
        &mut tx,
        "UPDATE group_dates SET status = $1, host = $2, host_reason = $3, updated_at = $4 \
         WHERE id = $5",
        args![next_status.as_str(), host, reason, Utc::now(), date_id],
    )
    .await?;
    if next_status == DateStatus::Done {
        // A rota's morning is asked about to whoever took it: the whole
        // group every morning would be a flood.
        let only = date.series_id.is_some().then_some(host).flatten();
        if date.series_id.is_none() || only.is_some() {
            ask_for_check_ins(&mut tx, &me, only).await?;
        }
    }
    let view = space(&mut tx, &me, &secret, lang).await?;
    tx.commit().await?;
    Ok(Json(view).into_response())
}

/// After a date was held, every member with an email (or `only` one) is
/// asked the two check-in questions (answered on the group's page).
async fn ask_for_check_ins(ex: &mut impl Executor, me: &MeRow, only: Option<Uuid>) -> Result<()> {
    for member in members(ex, me.group_id).await? {
        if only.is_some_and(|id| id != member.signup_id) {
            continue;
        }
        let Some(email) = member.contact_email.as_deref() else {
            continue;
        };
        let (subject, body) = mails::how_did_it_go(member.reader(), &me.group_name);
        outbox::enqueue(
            ex,
            outbox::Email {
                municipality: &me.municipality,
                recipient: email,
                subject,
                body,
                kind: "check_in",
                subject_id: Some(me.group_id),
            },
        )
        .await?;
    }
    Ok(())
}
