//! Open meetings, as the coordinator runs them: open one (a short code and a
//! QR code for the projector), watch the board, and close it, sending the
//! chosen proposals to the moderation queue as submitted initiatives.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use sammen_shared::meeting::{CloseMeeting, MeetingLock, MeetingView, NewMeeting};
use sammen_shared::status::Status;
use sammen_shared::text::{self, parse_text};
use sammen_shared::{FieldError, FieldErrors, ReaderLang};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::admin::signed::Signed;
use crate::args;
use crate::db::{self, Executor};
use crate::error::{Error, JsonBodyRefused, NotSignedIn, Result, SignedChangeRefused};
use crate::extract::{ApiJson, ApiPath, ConsoleLang};
use crate::initiative::search_text_of;
use crate::mails;
use crate::meeting::{board, join_url, MeetingRow, MEETING_COLUMNS};
use crate::outbox;
use crate::proposal::follow_link;
use crate::state::AppState;
use crate::token;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(open_meeting))
        .routes(routes!(read_meeting))
        .routes(routes!(close_meeting))
        .routes(routes!(lock_meeting))
}

/// Letters and digits in a meeting code.
const CODE_LENGTH: usize = 6;

async fn view(
    ex: &mut impl Executor,
    public_url: &str,
    meeting: &MeetingRow,
) -> Result<MeetingView> {
    Ok(MeetingView {
        id: meeting.id,
        code: meeting.code.clone(),
        join_url: join_url(public_url, &meeting.code),
        qr_svg_path: format!("/api/v1/meetings/{}/qr.svg", meeting.code),
        projector_path: format!("/meeting/projector#{}", meeting.code),
        board: board(ex, meeting).await?,
    })
}

/// A meeting of the coordinator's municipality and institutions, or 404.
async fn visible(ex: &mut impl Executor, signed: &Signed, id: Uuid) -> Result<MeetingRow> {
    db::fetch_optional::<MeetingRow>(
        ex,
        &format!("SELECT {MEETING_COLUMNS} WHERE id = $1 AND municipality = $2"),
        args![id, &signed.municipality],
    )
    .await?
    .filter(|m| signed.can_see(m.institution.as_deref()))
    .ok_or_else(|| Error::not_found("There is no such meeting."))
}

/// Open a meeting for an institution (or the municipality, for an admin).
#[utoipa::path(
    post,
    path = "/api/v1/admin/meetings",
    tag = "admin",
    request_body = NewMeeting,
    responses(
        (status = 201, description = "Open; its code, QR code and projector page", body = MeetingView),
        (status = 400, description = "The body is not JSON", body = sammen_shared::ErrorBody),
        SignedChangeRefused,
        JsonBodyRefused,
        (status = 422, description = "Fields break the rules", body = sammen_shared::ErrorBody),
    )
)]
async fn open_meeting(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    body: ApiJson<NewMeeting>,
) -> Result<(StatusCode, Json<MeetingView>)> {
    let request = body.value;
    let mut errors = FieldErrors::new();
    let title = errors.check("title", parse_text(&request.title, text::TITLE));
    let votes = request.votes_per_person.unwrap_or(3);
    if !(1..=10).contains(&votes) {
        errors.add(
            "votes_per_person",
            FieldError::OutOfRange { min: 1, max: 10 },
        );
    }
    let institution = request.institution.filter(|s| !s.is_empty());
    // An admin's `institutions` are all of the municipality's, so this also
    // refuses an institution that does not exist.
    let known = match institution.as_deref() {
        Some(slug) => signed.institutions.iter().any(|i| i == slug),
        None => signed.can_see(None),
    };
    if !known {
        errors.add("institution", FieldError::UnknownInstitution);
    }
    let (Some(title), true) = (title, errors.is_empty()) else {
        return Err(Error::Validation(errors, lang.into()));
    };
    let id = Uuid::new_v4();
    let mut tx = state.db.begin().await?;
    // A fresh code until one is free: collisions are rare, so few rounds.
    let mut code = String::new();
    for _ in 0..8 {
        let candidate = token::short_code(CODE_LENGTH);
        let inserted = db::execute(
            &mut tx,
            "INSERT INTO meetings (id, municipality, institution, code, title, votes_per_person, \
             status, version, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'open', 0, $7, $8) ON CONFLICT (code) DO NOTHING",
            args![
                id,
                &signed.municipality,
                institution.as_ref(),
                &candidate,
                &title,
                i64::from(votes),
                &signed.email,
                Utc::now()
            ],
        )
        .await?;
        if inserted == 1 {
            code = candidate;
            break;
        }
    }
    if code.is_empty() {
        return Err(Error::Internal("no free meeting code".into()));
    }
    signed
        .record(
            &mut tx,
            "open_meeting",
            "meeting",
            id,
            json!({"code": code, "title": title}),
        )
        .await?;
    let meeting = visible(&mut tx, &signed, id).await?;
    let view = view(&mut tx, &state.config.public_url, &meeting).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// A meeting with its board.
#[utoipa::path(
    get,
    path = "/api/v1/admin/meetings/{id}",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    responses(
        (status = 200, body = MeetingView),
        (status = 400, description = "A malformed parameter", body = sammen_shared::ErrorBody),
        NotSignedIn,
        (status = 404, description = "No such meeting for you", body = sammen_shared::ErrorBody),
    )
)]
async fn read_meeting(
    State(state): State<AppState>,
    signed: Signed,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<MeetingView>> {
    let mut conn = state.db.acquire().await?;
    let meeting = visible(&mut conn, &signed, id).await?;
    Ok(Json(
        view(&mut conn, &state.config.public_url, &meeting).await?,
    ))
}

#[derive(sqlx::FromRow)]
struct ChosenRow {
    id: Uuid,
    title: String,
    summary: Option<String>,
    category: String,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    consent_version: Option<String>,
    lang: Option<String>,
}

/// Close the meeting: no more proposals or dots; the chosen proposals become
/// submitted initiatives in the moderation queue, one click for all.
#[utoipa::path(
    post,
    path = "/api/v1/admin/meetings/{id}/close",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    request_body = CloseMeeting,
    responses(
        (status = 200, description = "Closed; the board shows which proposals became initiatives", body = MeetingView),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        SignedChangeRefused,
        (status = 404, description = "No such meeting for you", body = sammen_shared::ErrorBody),
        (status = 409, description = "Closed already", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "A proposal not of this meeting", body = sammen_shared::ErrorBody),
    )
)]
async fn close_meeting(
    State(state): State<AppState>,
    signed: Signed,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<CloseMeeting>,
) -> Result<Json<MeetingView>> {
    let mut promote = body.value.promote;
    promote.sort_unstable();
    promote.dedup();
    let (meeting, place) = {
        let mut conn = state.db.acquire().await?;
        let meeting = visible(&mut conn, &signed, id).await?;
        let institution_name: Option<(String,)> = match &meeting.institution {
            Some(slug) => {
                db::fetch_optional(
                    &mut conn,
                    "SELECT name FROM institutions WHERE municipality = $1 AND slug = $2",
                    args![&meeting.municipality, slug],
                )
                .await?
            }
            None => None,
        };
        let place = institution_name
            .map(|(name,)| name)
            .unwrap_or_else(|| meeting.title.clone());
        (meeting, place)
    };
    let now = Utc::now();
    let mut tx = state.db.begin().await?;
    let closed = db::execute(
        &mut tx,
        "UPDATE meetings SET status = 'closed', closed_at = $1, version = version + 1 \
         WHERE id = $2 AND status = 'open'",
        args![now, id],
    )
    .await?;
    if closed == 0 {
        return Err(Error::conflict("The meeting is closed already."));
    }
    for proposal_id in &promote {
        let chosen: ChosenRow = db::fetch_optional(
            &mut tx,
            "SELECT id, title, summary, category, contact_name, contact_email, contact_phone, \
             consent_version, lang FROM meeting_proposals WHERE id = $1 AND meeting_id = $2",
            args![*proposal_id, id],
        )
        .await?
        .ok_or_else(|| {
            Error::field(
                "promote",
                format!("Proposal {proposal_id} is not of this meeting."),
            )
        })?;
        let initiative = Uuid::new_v4();
        let summary = chosen
            .summary
            .clone()
            .unwrap_or_else(|| chosen.title.clone());
        // An idea whose proposer left a contact keeps its proposer: the
        // initiative gets the contact and a follow link, sent by email. An
        // anonymous idea has neither; the coordinator takes it from here
        // with the people in the room.
        let secret = token::generate();
        let lang = chosen
            .lang
            .as_deref()
            .and_then(ReaderLang::from_code)
            .unwrap_or_default();
        db::execute(
            &mut tx,
            "INSERT INTO initiatives (id, municipality, institution, category, title, summary, \
             audience, place_name, lat, lon, time_text, search_text, status, version, lang, \
             contact_name, contact_email, contact_phone, follow_token_hash, created_at, \
             updated_at, consent_version) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, \
             (SELECT lat FROM institutions WHERE municipality = $2 AND slug = $3), \
             (SELECT lon FROM institutions WHERE municipality = $2 AND slug = $3), \
             NULL, $8, $9, 1, $10, $11, $12, $13, $14, $15, $15, $16)",
            args![
                initiative,
                &meeting.municipality,
                meeting.institution.as_ref(),
                &chosen.category,
                &chosen.title,
                &summary,
                &place,
                search_text_of(&chosen.title, &summary, None, &place, None),
                Status::Submitted.as_str(),
                lang.code(),
                chosen.contact_name.as_ref(),
                chosen.contact_email.as_ref(),
                chosen.contact_phone.as_ref(),
                token::hash(&secret),
                now,
                chosen.consent_version.as_ref()
            ],
        )
        .await?;
        if let (Some(name), Some(email)) = (&chosen.contact_name, &chosen.contact_email) {
            let link = follow_link(&state.config.public_url, &meeting.municipality, &secret);
            let (subject, body) =
                mails::to_meeting_proposer(lang, name, &chosen.title, &meeting.title, &link);
            outbox::enqueue(
                &mut tx,
                outbox::Email {
                    municipality: &meeting.municipality,
                    recipient: email,
                    subject,
                    body,
                    kind: "follow_link",
                    subject_id: Some(initiative),
                },
            )
            .await?;
        }
        db::execute(
            &mut tx,
            "UPDATE meeting_proposals SET initiative_id = $1 WHERE id = $2",
            args![initiative, chosen.id],
        )
        .await?;
    }
    // The contacts of ideas not chosen have served their purpose.
    db::execute(
        &mut tx,
        "UPDATE meeting_proposals SET contact_name = NULL, contact_email = NULL, \
         contact_phone = NULL WHERE meeting_id = $1",
        args![id],
    )
    .await?;
    signed
        .record(
            &mut tx,
            "close_meeting",
            "meeting",
            id,
            json!({"promoted": promote.len()}),
        )
        .await?;
    let meeting = visible(&mut tx, &signed, id).await?;
    let view = view(&mut tx, &state.config.public_url, &meeting).await?;
    tx.commit().await?;
    state.boards.wake(id);
    Ok(Json(view))
}

/// Lock the meeting to new phones (those in keep their seat, and may go on
/// proposing and putting dots), or open it again.
#[utoipa::path(
    put,
    path = "/api/v1/admin/meetings/{id}/lock",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    request_body = MeetingLock,
    responses(
        (status = 200, description = "Locked or unlocked; the board shows it", body = MeetingView),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        SignedChangeRefused,
        (status = 404, description = "No such meeting for you", body = sammen_shared::ErrorBody),
        (status = 409, description = "The meeting is closed", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "A body of the wrong shape", body = sammen_shared::ErrorBody),
    )
)]
async fn lock_meeting(
    State(state): State<AppState>,
    signed: Signed,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<MeetingLock>,
) -> Result<Json<MeetingView>> {
    let locked = body.value.locked;
    let mut tx = state.db.begin().await?;
    // The version moves, so every projector and phone sees the lock at once.
    let changed = db::execute(
        &mut tx,
        "UPDATE meetings SET locked = $1, version = version + 1 \
         WHERE id = $2 AND municipality = $3 AND status = 'open'",
        args![locked, id, &signed.municipality],
    )
    .await?;
    let meeting = visible(&mut tx, &signed, id).await?;
    if changed == 0 {
        return Err(Error::conflict("The meeting is closed."));
    }
    signed
        .record(
            &mut tx,
            if locked {
                "lock_meeting"
            } else {
                "unlock_meeting"
            },
            "meeting",
            id,
            json!({"locked": locked}),
        )
        .await?;
    let view = view(&mut tx, &state.config.public_url, &meeting).await?;
    tx.commit().await?;
    state.boards.wake(meeting.id);
    Ok(Json(view))
}
