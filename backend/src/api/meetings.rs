//! The open meeting, as the room sees it: the board (anonymous), its QR
//! code, a live stream for the projector, and the phones' writes — join,
//! propose, put a dot.
//!
//! A whole room may sit behind one address (the venue's wifi), so meeting
//! writes are not limited per address; the meeting bounds them instead:
//! a few proposals and a few dots per participant, a cap on participants,
//! and nothing once the coordinator closes it. Joining is limited per
//! address generously (`limits::MeetingLimits`: a room joins in a burst, a
//! script is slowed to a crawl the projector shows), a phone keeps its seat
//! (joining again with its key mints nothing), the coordinator can lock the
//! room to new phones, and guessing codes makes an address wait.

use std::convert::Infallible;

use std::net::IpAddr;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::Json;
use chrono::Utc;
use sammen_shared::consent::{parse_consent_version, ConsentForm};
use sammen_shared::meeting::{MeetingBoard, NewMeetingProposal, NewVote, Participant, VoteCast};
use sammen_shared::text::{self, parse_optional_text, parse_text};
use sammen_shared::{ErrorCode, FieldError, FieldErrors};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::args;
use crate::client_addr::ClientAddr;
use crate::db::{self, Executor};
use crate::error::{Error, JsonBodyRefused, Result};
use crate::extract::{ApiJson, ApiPath, IdempotencyKey, LinkToken, RequestLang};
use crate::idempotency::{self, Start};
use crate::limits::too_many;
use crate::meeting::{board, by_code, join_url, MeetingRow, MEETING_COLUMNS};
use crate::said;
use crate::state::AppState;
use crate::token;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read_board))
        .routes(routes!(qr_code))
        .routes(routes!(live))
        .routes(routes!(join))
        .routes(routes!(propose))
        .routes(routes!(vote))
}

/// Proposals one participant may make.
const PROPOSALS_PER_PARTICIPANT: i64 = 5;
/// Participants one meeting takes: a large hall, not a flood.
const MAX_PARTICIPANTS: i64 = 2000;

/// The meeting with this code for a request from `client`: 429 while the
/// address waits for having guessed too many codes, 404 for a code that
/// matches nothing (counted against the address).
async fn find(
    state: &AppState,
    client: IpAddr,
    code: &str,
) -> std::result::Result<MeetingRow, Response> {
    if let Some(seconds) = state.meeting_limits.guessing(client) {
        return Err(too_many(seconds, &said::TOO_MANY_CODES));
    }
    let mut conn = state
        .db
        .acquire()
        .await
        .map_err(|e| Error::from(e).into_response())?;
    match by_code(&mut conn, code).await {
        Ok(meeting) => Ok(meeting),
        Err(error) => {
            if error.code() == Some(ErrorCode::NotFound) {
                state.meeting_limits.missed(client);
            }
            Err(error.into_response())
        }
    }
}

/// The board of a meeting: what the projector shows.
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{code}",
    tag = "meetings",
    params(("code" = String, Path, description = "The meeting's code")),
    responses(
        (status = 200, body = MeetingBoard),
        (status = 400, description = "A malformed code", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such meeting", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too many unknown codes from this address; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn read_board(
    State(state): State<AppState>,
    Extension(ClientAddr(client)): Extension<ClientAddr>,
    ApiPath(code): ApiPath<String>,
) -> Result<Response> {
    let meeting = match find(&state, client, &code).await {
        Ok(meeting) => meeting,
        Err(refusal) => return Ok(refusal),
    };
    let mut conn = state.db.acquire().await?;
    Ok(Json(board(&mut conn, &meeting).await?).into_response())
}

/// The QR code of the join address, as SVG, for the projector.
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{code}/qr.svg",
    tag = "meetings",
    params(("code" = String, Path, description = "The meeting's code")),
    responses(
        (status = 200, description = "The QR code", content_type = "image/svg+xml", body = String),
        (status = 400, description = "A malformed code", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such meeting", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too many unknown codes from this address; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn qr_code(
    State(state): State<AppState>,
    Extension(ClientAddr(client)): Extension<ClientAddr>,
    ApiPath(code): ApiPath<String>,
) -> Result<Response> {
    let meeting = match find(&state, client, &code).await {
        Ok(meeting) => meeting,
        Err(refusal) => return Ok(refusal),
    };
    let url = join_url(&state.config.public_url, &meeting.code);
    let qr = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| Error::Internal(format!("QR code: {e}")))?;
    let svg = qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(320, 320)
        .quiet_zone(true)
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        svg,
    )
        .into_response())
}

/// One server-sent event of the live board, as the stream frames it.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct LiveEvent {
    /// Always `board`.
    event: String,
    /// A [`MeetingBoard`] as JSON.
    data: String,
}

/// The board, live: a `board` event now and whenever it changes
/// (server-sent events). Any backend serves it: its watcher
/// (`board_watch.rs`) follows the meeting's version in the database.
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{code}/live",
    tag = "meetings",
    params(("code" = String, Path, description = "The meeting's code")),
    responses(
        (status = 200, description = "`board` events with a MeetingBoard as JSON", content_type = "text/event-stream", body = LiveEvent),
        (status = 400, description = "A malformed code", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such meeting", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too many unknown codes from this address; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn live(
    State(state): State<AppState>,
    Extension(ClientAddr(client)): Extension<ClientAddr>,
    ApiPath(code): ApiPath<String>,
) -> Result<Response> {
    let meeting = match find(&state, client, &code).await {
        Ok(meeting) => meeting,
        Err(refusal) => return Ok(refusal),
    };
    let boards = state.boards.subscribe(&state.db, meeting.id);
    // The first event is the board as it is; each later one a new version.
    let stream = futures_util::stream::unfold((boards, true), |(mut boards, first)| async move {
        if !first {
            boards.changed().await.ok()?;
        }
        loop {
            let latest = boards.borrow_and_update().clone();
            if let Some(json) = latest {
                let event = Event::default().event("board").data(&*json);
                return Some((Ok::<Event, Infallible>(event), (boards, false)));
            }
            boards.changed().await.ok()?;
        }
    });
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response())
}

/// Marks the board as changed; the first write of every meeting write, so
/// writes to one meeting queue up on its row instead of racing.
async fn bump(ex: &mut impl Executor, meeting: Uuid) -> Result<bool> {
    let bumped = db::execute(
        ex,
        "UPDATE meetings SET version = version + 1 WHERE id = $1 AND status = 'open'",
        args![meeting],
    )
    .await?;
    Ok(bumped == 1)
}

fn closed() -> Error {
    Error::refused(ErrorCode::Conflict, &said::MEETING_CLOSED)
}

/// Join the meeting from a phone: an anonymous key for proposing and
/// putting dots. A phone that sends its key (`Authorization: Bearer …`)
/// keeps its seat: the same key, its dots as it left them, nothing new.
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{code}/participants",
    tag = "meetings",
    params(("code" = String, Path, description = "The meeting's code")),
    responses(
        (status = 200, description = "Back in the seat this key holds", body = Participant),
        (status = 201, body = Participant),
        (status = 400, description = "A malformed code", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such meeting", body = sammen_shared::ErrorBody),
        (status = 409, description = "The meeting is closed, full or locked to new phones", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too many joins or unknown codes from this address; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn join(
    State(state): State<AppState>,
    Extension(ClientAddr(client)): Extension<ClientAddr>,
    ApiPath(code): ApiPath<String>,
    RequestLang(lang): RequestLang,
    seat: std::result::Result<LinkToken, Error>,
) -> Result<Response> {
    let meeting = match find(&state, client, &code).await {
        Ok(meeting) => meeting,
        Err(refusal) => return Ok(refusal),
    };
    if let Ok(LinkToken(secret)) = &seat {
        let mut conn = state.db.acquire().await?;
        if let Ok(participant_id) = participant(&mut conn, meeting.id, secret).await {
            let used: i64 = db::fetch_scalar(
                &mut conn,
                "SELECT COUNT(*) FROM meeting_votes WHERE participant_id = $1",
                args![participant_id],
            )
            .await?;
            let seat = Participant {
                participant_token: secret.clone(),
                votes_left: (meeting.votes_per_person - used).max(0) as u32,
            };
            return Ok((StatusCode::OK, Json(seat)).into_response());
        }
    }
    if meeting.is_open() && meeting.locked {
        return Err(Error::said(
            ErrorCode::Conflict,
            lang,
            &said::MEETING_LOCKED,
        ));
    }
    if let Some(seconds) = state.meeting_limits.join(client) {
        return Ok(too_many(seconds, &said::TOO_MANY_PHONES));
    }
    let secret = token::generate();
    let mut tx = state.db.begin().await?;
    if !bump(&mut tx, meeting.id).await? {
        return Err(closed());
    }
    let joined: i64 = db::fetch_scalar(
        &mut tx,
        "SELECT COUNT(*) FROM meeting_participants WHERE meeting_id = $1",
        args![meeting.id],
    )
    .await?;
    if joined >= MAX_PARTICIPANTS {
        return Err(Error::refused(ErrorCode::Conflict, &said::MEETING_FULL));
    }
    db::execute(
        &mut tx,
        "INSERT INTO meeting_participants (id, meeting_id, token_hash, created_at) \
         VALUES ($1, $2, $3, $4)",
        args![Uuid::new_v4(), meeting.id, token::hash(&secret), Utc::now()],
    )
    .await?;
    tx.commit().await?;
    state.boards.wake(meeting.id);
    let seat = Participant {
        participant_token: secret,
        votes_left: meeting.votes_per_person.max(0) as u32,
    };
    Ok((StatusCode::CREATED, Json(seat)).into_response())
}

async fn participant(ex: &mut impl Executor, meeting: Uuid, secret: &str) -> Result<Uuid> {
    let row: Option<(Uuid,)> = db::fetch_optional(
        ex,
        "SELECT id FROM meeting_participants WHERE meeting_id = $1 AND token_hash = $2",
        args![meeting, token::hash(secret)],
    )
    .await?;
    row.map(|(id,)| id)
        .ok_or_else(|| Error::refused(ErrorCode::Unauthorized, &said::JOIN_FIRST))
}

/// Propose an initiative in the room.
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{code}/proposals",
    tag = "meetings",
    security(("meeting_token" = [])),
    params(
        ("code" = String, Path, description = "The meeting's code"),
        ("Idempotency-Key" = Option<Uuid>, Header, description = "A UUID made by the client for this write"),
    ),
    request_body = NewMeetingProposal,
    responses(
        (status = 201, description = "On the board; the board now", body = MeetingBoard),
        (status = 400, description = "The body is not JSON", body = sammen_shared::ErrorBody),
        (status = 401, description = "Not joined", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such meeting", body = sammen_shared::ErrorBody),
        (status = 409, description = "The meeting is closed, or you proposed the most you may", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "Fields break the rules", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too many unknown codes from this address; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn propose(
    State(state): State<AppState>,
    Extension(ClientAddr(client)): Extension<ClientAddr>,
    ApiPath(code): ApiPath<String>,
    LinkToken(secret): LinkToken,
    RequestLang(lang): RequestLang,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<NewMeetingProposal>,
) -> Result<Response> {
    let request = &body.value;
    let mut errors = FieldErrors::new();
    let title = errors.check("title", parse_text(&request.title, text::TITLE));
    let summary = errors
        .check(
            "summary",
            parse_optional_text(request.summary.as_deref(), text::OPTIONAL_BODY),
        )
        .flatten();
    // A proposer who wants to run the idea leaves a name and a way to reach
    // them; an empty contact is no contact.
    let contact = request
        .contact
        .as_ref()
        .filter(|c| {
            !c.name.trim().is_empty()
                || c.email.as_deref().is_some_and(|e| !e.trim().is_empty())
                || c.phone.as_deref().is_some_and(|p| !p.trim().is_empty())
        })
        .and_then(|c| {
            let parsed = c.parse("contact", &mut errors);
            if parsed
                .as_ref()
                .is_some_and(|p| p.email.is_none() && p.phone.is_none())
            {
                errors.add("contact.email", FieldError::Required);
            }
            parsed
        });
    let consent = errors.check(
        "consent_version",
        parse_consent_version(request.consent_version.as_deref(), ConsentForm::Propose),
    );
    let meeting = match find(&state, client, &code).await {
        Ok(meeting) => meeting,
        Err(refusal) => return Ok(refusal),
    };
    let (meeting, participant_id, known_category) = {
        let mut conn = state.db.acquire().await?;
        let participant_id = participant(&mut conn, meeting.id, &secret).await?;
        let category = request.category.clone().unwrap_or_else(|| "other".into());
        let known: i64 = db::fetch_scalar(
            &mut conn,
            "SELECT COUNT(*) FROM categories WHERE municipality = $1 AND slug = $2",
            args![&meeting.municipality, &category],
        )
        .await?;
        (meeting, participant_id, (known > 0).then_some(category))
    };
    if known_category.is_none() {
        errors.add("category", FieldError::UnknownCategory);
    }
    let (Some(title), Some(category), true) = (title, known_category, errors.is_empty()) else {
        return Err(Error::Validation(errors, lang));
    };
    let fingerprint = idempotency::fingerprint(
        &format!("POST /api/v1/meetings/{}/proposals", meeting.code),
        &token::hash(&secret),
        &body.digest,
    );
    let mut write = match idempotency::start(&state.db, key, &fingerprint).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(write) => write,
    };
    if !bump(&mut write.tx, meeting.id).await? {
        return Err(closed());
    }
    let made: i64 = db::fetch_scalar(
        &mut write.tx,
        "SELECT COUNT(*) FROM meeting_proposals WHERE participant_id = $1",
        args![participant_id],
    )
    .await?;
    if made >= PROPOSALS_PER_PARTICIPANT {
        return Err(Error::refused_with(
            ErrorCode::Conflict,
            &said::PROPOSALS_USED,
            &[("max", &PROPOSALS_PER_PARTICIPANT)],
        ));
    }
    db::execute(
        &mut write.tx,
        "INSERT INTO meeting_proposals (id, meeting_id, participant_id, title, summary, category, \
         created_at, contact_name, contact_email, contact_phone, consent_version, lang) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        args![
            Uuid::new_v4(),
            meeting.id,
            participant_id,
            title,
            summary,
            category,
            Utc::now(),
            contact.as_ref().map(|c| c.name.clone()),
            contact.as_ref().and_then(|c| c.email.clone()),
            contact.as_ref().and_then(|c| c.phone.clone()),
            contact.as_ref().and(consent),
            lang.code()
        ],
    )
    .await?;
    let current: MeetingRow = db::fetch_optional(
        &mut write.tx,
        &format!("SELECT {MEETING_COLUMNS} WHERE id = $1"),
        args![meeting.id],
    )
    .await?
    .ok_or_else(|| Error::refused(ErrorCode::NotFound, &said::MEETING_GONE))?;
    let view = board(&mut write.tx, &current).await?;
    let answer = idempotency::finish(write, StatusCode::CREATED, &view).await;
    state.boards.wake(meeting.id);
    answer
}

/// Put a dot on someone else's proposal (several on one are fine).
#[utoipa::path(
    post,
    path = "/api/v1/meetings/{code}/votes",
    tag = "meetings",
    security(("meeting_token" = [])),
    params(
        ("code" = String, Path, description = "The meeting's code"),
        ("Idempotency-Key" = Option<Uuid>, Header, description = "A UUID made by the client for this write"),
    ),
    request_body = NewVote,
    responses(
        (status = 201, description = "Counted", body = VoteCast),
        (status = 400, description = "The body is not JSON", body = sammen_shared::ErrorBody),
        (status = 401, description = "Not joined", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such meeting or proposal", body = sammen_shared::ErrorBody),
        (status = 409, description = "The meeting is closed, or no dots left", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "A dot on one's own proposal", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too many unknown codes from this address; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn vote(
    State(state): State<AppState>,
    Extension(ClientAddr(client)): Extension<ClientAddr>,
    ApiPath(code): ApiPath<String>,
    LinkToken(secret): LinkToken,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<NewVote>,
) -> Result<Response> {
    let proposal_id = body.value.proposal_id;
    let meeting = match find(&state, client, &code).await {
        Ok(meeting) => meeting,
        Err(refusal) => return Ok(refusal),
    };
    let (meeting, participant_id, author) = {
        let mut conn = state.db.acquire().await?;
        let participant_id = participant(&mut conn, meeting.id, &secret).await?;
        let author: Option<(Uuid,)> = db::fetch_optional(
            &mut conn,
            "SELECT participant_id FROM meeting_proposals WHERE id = $1 AND meeting_id = $2",
            args![proposal_id, meeting.id],
        )
        .await?;
        (meeting, participant_id, author)
    };
    let Some((author,)) = author else {
        return Err(Error::refused(
            ErrorCode::NotFound,
            &said::NO_SUCH_MEETING_PROPOSAL,
        ));
    };
    if author == participant_id {
        return Err(Error::field_refused(
            "proposal_id",
            &said::DOTS_ON_OTHERS,
            &[],
        ));
    }
    let fingerprint = idempotency::fingerprint(
        &format!("POST /api/v1/meetings/{}/votes", meeting.code),
        &token::hash(&secret),
        &body.digest,
    );
    let mut write = match idempotency::start(&state.db, key, &fingerprint).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(write) => write,
    };
    if !bump(&mut write.tx, meeting.id).await? {
        return Err(closed());
    }
    let used: i64 = db::fetch_scalar(
        &mut write.tx,
        "SELECT COUNT(*) FROM meeting_votes WHERE participant_id = $1",
        args![participant_id],
    )
    .await?;
    if used >= meeting.votes_per_person {
        return Err(Error::refused(ErrorCode::Conflict, &said::NO_DOTS_LEFT));
    }
    db::execute(
        &mut write.tx,
        "INSERT INTO meeting_votes (id, meeting_id, proposal_id, participant_id, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
        args![
            Uuid::new_v4(),
            meeting.id,
            proposal_id,
            participant_id,
            Utc::now()
        ],
    )
    .await?;
    let left = (meeting.votes_per_person - used - 1).max(0) as u32;
    let answer =
        idempotency::finish(write, StatusCode::CREATED, &VoteCast { votes_left: left }).await;
    state.boards.wake(meeting.id);
    answer
}
