//! The group space behind a member's private link (`Authorization: Bearer
//! <secret>`, no account): the roster — names and contacts only of members
//! who agreed to share them — the schedule with its host rotation, messages
//! to a member through Sammen, invites for another family, leaving, and a
//! read-only calendar feed for the member's phone.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Datelike, Duration, Utc};
use sammen_engine::rotation::{self, Candidate};
use sammen_shared::consent::ConsentForm;
use sammen_shared::group::{
    CheckIn, DateAction, DateChange, DateStatus, GroupDate, GroupMember, GroupSpace, HostReason,
    InviteCreated, JoinByInvite, JoinedGroup, MessageToMember, NewGroupDate, Sharing,
};
use sammen_shared::person::Contact;
use sammen_shared::signup::Family;
use sammen_shared::text::{self, parse_optional_text, parse_text};
use sammen_shared::week::Weekday;
use sammen_shared::{ErrorCode, FieldError, FieldErrors, Lang};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::args;
use crate::db::{self, Executor};
use crate::error::{Error, Result};
use crate::extract::{ApiJson, ApiPath, FollowToken, IdempotencyKey, RequestLang};
use crate::idempotency::{self, Start};
use crate::limits::GroupWrite;
use crate::state::AppState;
use crate::stored::timestamp;
use crate::token::calendar_secret;
use crate::{outbox, token};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read_space))
        .routes(routes!(set_sharing, leave))
        .routes(routes!(add_date))
        .routes(routes!(change_date))
        .routes(routes!(message_member))
        .routes(routes!(create_invite))
        .routes(routes!(revoke_invite))
        .routes(routes!(join))
        .routes(routes!(calendar))
        .routes(routes!(check_in))
}

/// How long an invite link stays valid.
const INVITE_DAYS: i64 = 14;
/// How long a date lasts in the calendar feed.
const DATE_HOURS: i64 = 2;

#[derive(sqlx::FromRow)]
struct MeRow {
    signup_id: Uuid,
    group_id: Uuid,
    group_name: String,
    initiative_title: String,
    municipality: String,
    shares_contact: bool,
}

const ME_QUERY: &str = "SELECT m.signup_id, m.group_id, g.name AS group_name, \
     i.title AS initiative_title, i.municipality, m.shares_contact \
     FROM group_members m JOIN initiative_groups g ON g.id = m.group_id \
     JOIN initiatives i ON i.id = g.initiative_id";

async fn me(ex: &mut impl Executor, secret: &str) -> Result<MeRow> {
    db::fetch_optional(
        ex,
        &format!("{ME_QUERY} WHERE m.token_hash = $1"),
        args![token::hash(secret)],
    )
    .await?
    .ok_or_else(|| Error::not_found("There is no such group link."))
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    signup_id: Uuid,
    position: i64,
    shares_contact: bool,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    family: Option<String>,
}

async fn members(ex: &mut impl Executor, group: Uuid) -> Result<Vec<MemberRow>> {
    Ok(db::fetch_all(
        ex,
        "SELECT m.signup_id, m.position, m.shares_contact, s.contact_name, s.contact_email, \
         s.contact_phone, s.family FROM group_members m JOIN signups s ON s.id = m.signup_id \
         WHERE m.group_id = $1 ORDER BY m.position, m.signup_id",
        args![group],
    )
    .await?)
}

fn free_days(member: &MemberRow) -> Vec<Weekday> {
    member
        .family
        .as_deref()
        .and_then(|text| serde_json::from_str::<Family>(text).ok())
        .map(|f| f.free_afternoons)
        .unwrap_or_default()
}

impl MemberRow {
    /// How others see this member: their name if they share it (or to
    /// themselves), else "Familie 3".
    fn label(&self, lang: Lang, to_themselves: bool) -> String {
        match &self.contact_name {
            Some(name) if !name.is_empty() && (self.shares_contact || to_themselves) => {
                name.clone()
            }
            _ => match lang {
                Lang::Da => format!("Familie {}", self.position + 1),
                Lang::En => format!("Family {}", self.position + 1),
            },
        }
    }

    /// The languages the member's family gave, for the language of emails.
    fn languages(&self) -> Vec<String> {
        self.family
            .as_deref()
            .and_then(|t| serde_json::from_str::<Family>(t).ok())
            .map(|f| f.languages)
            .unwrap_or_default()
    }
}

#[derive(sqlx::FromRow)]
struct DateRow {
    id: Uuid,
    starts_at: DateTime<Utc>,
    note: Option<String>,
    host: Option<Uuid>,
    host_reason: Option<String>,
    status: String,
}

impl DateRow {
    fn status(&self) -> Result<DateStatus> {
        DateStatus::parse(&self.status)
            .ok_or_else(|| Error::Internal(format!("unknown date status '{}'", self.status)))
    }
}

const DATE_COLUMNS: &str = "id, starts_at, note, host, host_reason, status FROM group_dates";

async fn dates(ex: &mut impl Executor, group: Uuid) -> Result<Vec<DateRow>> {
    Ok(db::fetch_all(
        ex,
        &format!("SELECT {DATE_COLUMNS} WHERE group_id = $1 ORDER BY starts_at, id"),
        args![group],
    )
    .await?)
}

fn host_reason(text: Option<&str>) -> Option<HostReason> {
    match text? {
        "fewest_and_free" => Some(HostReason::FewestAndFree),
        "fewest" => Some(HostReason::Fewest),
        "chosen" => Some(HostReason::Chosen),
        _ => None,
    }
}

fn host_reason_text(reason: HostReason) -> &'static str {
    match reason {
        HostReason::FewestAndFree => "fewest_and_free",
        HostReason::Fewest => "fewest",
        HostReason::Chosen => "chosen",
    }
}

async fn space(ex: &mut impl Executor, me: &MeRow, secret: &str, lang: Lang) -> Result<GroupSpace> {
    let members = members(ex, me.group_id).await?;
    let dates = dates(ex, me.group_id).await?;
    let hosted = |id: Uuid| {
        dates
            .iter()
            .filter(|d| d.host == Some(id) && d.status != "cancelled")
            .count() as u32
    };
    let days: Vec<Vec<Weekday>> = members.iter().map(free_days).collect();
    let given: Vec<&Vec<Weekday>> = days.iter().filter(|d| !d.is_empty()).collect();
    let shared_days = Weekday::ALL
        .into_iter()
        .filter(|day| !given.is_empty() && given.iter().all(|d| d.contains(day)))
        .collect();
    Ok(GroupSpace {
        initiative_title: me.initiative_title.clone(),
        group_name: me.group_name.clone(),
        members: members
            .iter()
            .map(|m| {
                let is_me = m.signup_id == me.signup_id;
                let visible = m.shares_contact || is_me;
                GroupMember {
                    member_id: m.signup_id,
                    label: m.label(lang, is_me),
                    contact: visible.then(|| Contact {
                        name: m.contact_name.clone().unwrap_or_default(),
                        email: m.contact_email.clone(),
                        phone: m.contact_phone.clone(),
                    }),
                    is_me,
                    hosted: hosted(m.signup_id),
                }
            })
            .collect(),
        shared_days,
        dates: dates
            .iter()
            .map(|d| {
                Ok(GroupDate {
                    id: d.id,
                    starts_at: timestamp(d.starts_at),
                    note: d.note.clone(),
                    host: d.host,
                    host_reason: host_reason(d.host_reason.as_deref()),
                    status: d.status()?,
                })
            })
            .collect::<Result<_>>()?,
        i_share_contact: me.shares_contact,
        calendar_path: format!("/api/v1/group-calendar/{}.ics", calendar_secret(secret)),
    })
}

async fn touch(ex: &mut impl Executor, group: Uuid) -> Result<()> {
    db::execute(
        ex,
        "UPDATE initiative_groups SET last_activity_at = $1 WHERE id = $2",
        args![Utc::now(), group],
    )
    .await?;
    Ok(())
}

/// The group: roster, schedule, shared afternoons, my calendar feed.
#[utoipa::path(
    get,
    path = "/api/v1/group",
    tag = "groups",
    security(("group_token" = [])),
    responses(
        (status = 200, body = GroupSpace),
        (status = 401, description = "No token sent", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such group link", body = sammen_shared::ErrorBody),
    )
)]
async fn read_space(
    State(state): State<AppState>,
    FollowToken(secret): FollowToken,
    RequestLang(lang): RequestLang,
) -> Result<Json<GroupSpace>> {
    let mut conn = state.db.acquire().await?;
    let me = me(&mut conn, &secret).await?;
    Ok(Json(space(&mut conn, &me, &secret, lang).await?))
}

/// Share (or stop sharing) my name and contact with the group.
#[utoipa::path(
    put,
    path = "/api/v1/group/me",
    tag = "groups",
    security(("group_token" = [])),
    request_body = Sharing,
    responses(
        (status = 200, body = GroupSpace),
        (status = 400, description = "The body is not JSON", body = sammen_shared::ErrorBody),
        (status = 401, description = "No token sent", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such group link", body = sammen_shared::ErrorBody),
        (status = 413, description = "The body is larger than 64 KiB", body = sammen_shared::ErrorBody),
        (status = 415, description = "The body is not application/json", body = sammen_shared::ErrorBody),
        (status = 422, description = "The body has the wrong shape", body = sammen_shared::ErrorBody),
    )
)]
async fn set_sharing(
    State(state): State<AppState>,
    FollowToken(secret): FollowToken,
    RequestLang(lang): RequestLang,
    body: ApiJson<Sharing>,
) -> Result<Json<GroupSpace>> {
    let mut tx = state.db.begin().await?;
    let changed = db::execute(
        &mut tx,
        "UPDATE group_members SET shares_contact = $1 WHERE token_hash = $2",
        args![body.value.share_contact, token::hash(&secret)],
    )
    .await?;
    if changed == 0 {
        return Err(Error::not_found("There is no such group link."));
    }
    let me = me(&mut tx, &secret).await?;
    touch(&mut tx, me.group_id).await?;
    let view = space(&mut tx, &me, &secret, lang).await?;
    tx.commit().await?;
    Ok(Json(view))
}

/// Leave the group; the link stops working.
#[utoipa::path(
    delete,
    path = "/api/v1/group/me",
    tag = "groups",
    security(("group_token" = [])),
    responses(
        (status = 204, description = "Left"),
        (status = 401, description = "No token sent", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such group link", body = sammen_shared::ErrorBody),
    )
)]
async fn leave(
    State(state): State<AppState>,
    FollowToken(secret): FollowToken,
) -> Result<StatusCode> {
    #[derive(sqlx::FromRow)]
    struct Leaving {
        group_id: Uuid,
        signup_id: Uuid,
        municipality: String,
        joined_by_invite: bool,
    }
    let leaving: Option<Leaving> = {
        let mut conn = state.db.acquire().await?;
        db::fetch_optional(
            &mut conn,
            "SELECT m.group_id, m.signup_id, i.municipality, s.joined_by_invite \
             FROM group_members m JOIN signups s ON s.id = m.signup_id \
             JOIN initiatives i ON i.id = s.initiative_id WHERE m.token_hash = $1",
            args![token::hash(&secret)],
        )
        .await?
    };
    let Some(leaving) = leaving else {
        return Err(Error::not_found("There is no such group link."));
    };
    let mut tx = state.db.begin().await?;
    db::execute(
        &mut tx,
        "DELETE FROM group_members WHERE token_hash = $1",
        args![token::hash(&secret)],
    )
    .await?;
    // A family that came by invite was here only for the group: what it told
    // us leaves with it. (One that joined the initiative itself stays signed
    // up, and deletes its data with its private link.)
    if leaving.joined_by_invite {
        let record = crate::privacy::Record {
            kind: sammen_shared::privacy::RecordKind::Signup,
            id: leaving.signup_id,
            municipality: leaving.municipality,
        };
        crate::privacy::erase(&mut tx, &record, crate::privacy::Signups::Keep, Utc::now()).await?;
    }
    touch(&mut tx, leaving.group_id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
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
    let candidates: Vec<Candidate> = members
        .iter()
        .map(|m| {
            let theirs = dates
                .iter()
                .filter(|d| d.host == Some(m.signup_id) && d.status != "cancelled");
            Candidate {
                member_id: m.signup_id,
                hosted: theirs.clone().count() as u32,
                free_days: free_days(m),
                last_hosted: theirs.map(|d| d.starts_at.timestamp()).max(),
            }
        })
        .collect();
    rotation::next_host(&candidates, day, exclude)
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
        (status = 401, description = "No token sent", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such group link", body = sammen_shared::ErrorBody),
        (status = 413, description = "The body is larger than 64 KiB", body = sammen_shared::ErrorBody),
        (status = 415, description = "The body is not application/json", body = sammen_shared::ErrorBody),
        (status = 422, description = "A time that is not RFC 3339, in the past, or a host not in the group", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too much at once from this member; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn add_date(
    State(state): State<AppState>,
    FollowToken(secret): FollowToken,
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
        Some(_) => {
            return Err(Error::field(
                "host",
                "The host must be a member of the group.",
            ))
        }
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
        (status = 401, description = "No token sent", body = sammen_shared::ErrorBody),
        (status = 403, description = "Only the proposed host accepts or passes a date on", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such group link or date", body = sammen_shared::ErrorBody),
        (status = 409, description = "Not possible from the date's state, or nobody left to host", body = sammen_shared::ErrorBody),
        (status = 413, description = "The body is larger than 64 KiB", body = sammen_shared::ErrorBody),
        (status = 415, description = "The body is not application/json", body = sammen_shared::ErrorBody),
        (status = 422, description = "An unknown action", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too much at once from this member; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn change_date(
    State(state): State<AppState>,
    FollowToken(secret): FollowToken,
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
    .ok_or_else(|| Error::not_found("The group has no such date."))?;
    let status = date.status()?;
    let open = matches!(status, DateStatus::Proposed | DateStatus::Accepted);
    let only_host = || {
        Error::with_status(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "Only the proposed host can accept or pass the date on.",
        )
    };
    let (next_status, next_host) = match action {
        DateAction::Accept if date.host != Some(me.signup_id) => return Err(only_host()),
        DateAction::Accept if status == DateStatus::Proposed => (DateStatus::Accepted, None),
        DateAction::Swap if date.host != Some(me.signup_id) => return Err(only_host()),
        DateAction::Swap if open => {
            let members = members(&mut tx, me.group_id).await?;
            let dates = dates(&mut tx, me.group_id).await?;
            let day = weekday_of(date.starts_at.fixed_offset());
            let next = rotate(&members, &dates, day, &[me.signup_id])
                .ok_or_else(|| Error::conflict("Nobody else in the group can take the date."))?;
            (DateStatus::Proposed, Some(next))
        }
        DateAction::Cancel if open => (DateStatus::Cancelled, None),
        DateAction::Done if open => (DateStatus::Done, None),
        _ => {
            return Err(Error::conflict(format!(
                "A {} date cannot be changed that way.",
                status.as_str()
            )))
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
        ask_for_check_ins(&mut tx, &me).await?;
    }
    let view = space(&mut tx, &me, &secret, lang).await?;
    tx.commit().await?;
    Ok(Json(view).into_response())
}

/// Write to another member through Sammen: they get an email; their
/// address stays hidden from the sender.
#[utoipa::path(
    post,
    path = "/api/v1/group/members/{id}/messages",
    tag = "groups",
    security(("group_token" = [])),
    params(
        ("id" = Uuid, Path, description = "The member's id"),
        ("Idempotency-Key" = Option<Uuid>, Header, description = "A UUID made by the client for this write"),
    ),
    request_body = MessageToMember,
    responses(
        (status = 202, description = "Queued for sending"),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        (status = 401, description = "No token sent", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such group link or member", body = sammen_shared::ErrorBody),
        (status = 409, description = "The member gave no email", body = sammen_shared::ErrorBody),
        (status = 413, description = "The body is larger than 64 KiB", body = sammen_shared::ErrorBody),
        (status = 415, description = "The body is not application/json", body = sammen_shared::ErrorBody),
        (status = 422, description = "An empty message", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too much at once from this member; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn message_member(
    State(state): State<AppState>,
    FollowToken(secret): FollowToken,
    RequestLang(lang): RequestLang,
    IdempotencyKey(key): IdempotencyKey,
    ApiPath(member_id): ApiPath<Uuid>,
    body: ApiJson<MessageToMember>,
) -> Result<Response> {
    let mut errors = FieldErrors::new();
    let Some(message) = errors.check("body", parse_text(&body.value.body, text::BODY)) else {
        return Err(Error::Validation(errors, lang));
    };
    let (me, members) = {
        let mut conn = state.db.acquire().await?;
        let me = me(&mut conn, &secret).await?;
        let members = members(&mut conn, me.group_id).await?;
        (me, members)
    };
    let Some(to) = members.iter().find(|m| m.signup_id == member_id) else {
        return Err(Error::not_found("The group has no such member."));
    };
    let Some(email) = to.contact_email.clone() else {
        return Err(Error::conflict(
            "This member gave no email; ask the coordinator how to reach them.",
        ));
    };
    // Worded in the recipient's language, naming the sender only as the
    // group sees them.
    let reading = outbox::reading_lang(&to.languages());
    let from = members
        .iter()
        .find(|m| m.signup_id == me.signup_id)
        .map(|m| m.label(reading, false))
        .unwrap_or_default();
    let fingerprint = idempotency::fingerprint(
        &format!("POST /api/v1/group/members/{member_id}/messages"),
        &token::hash(&secret),
        &body.digest,
    );
    let mut write = match idempotency::start(&state.db, key, &fingerprint).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(write) => write,
    };
    // Messages go out as the municipality's mail: not a relay for floods.
    if let Some(wait) = state.group_limits.wait(me.signup_id, GroupWrite::Message) {
        return Ok(wait);
    }
    let (subject, text) = match reading {
        Lang::Da => (
            format!("Besked fra {from} i {}", me.group_name),
            format!(
                "{from} i {} («{}») skriver:\n\n«{message}»\n\nSvar via jeres gruppes side.\n\nVenlig hilsen\nSammen",
                me.group_name, me.initiative_title
            ),
        ),
        Lang::En => (
            format!("A message from {from} in {}", me.group_name),
            format!(
                "{from} in {} (“{}”) writes:\n\n«{message}»\n\nReply through your group's page.\n\nKind regards\nSammen",
                me.group_name, me.initiative_title
            ),
        ),
    };
    touch(&mut write.tx, me.group_id).await?;
    outbox::enqueue(
        &mut write.tx,
        outbox::Email {
            municipality: &me.municipality,
            recipient: &email,
            subject,
            body: text,
            kind: "group_message",
            subject_id: Some(me.group_id),
        },
    )
    .await?;
    idempotency::finish(
        write,
        StatusCode::ACCEPTED,
        &serde_json::json!({"queued": true}),
    )
    .await
}

/// A one-time invite link for another family; the group can revoke it.
#[utoipa::path(
    post,
    path = "/api/v1/group/invites",
    tag = "groups",
    security(("group_token" = [])),
    responses(
        (status = 201, description = "The invite's secret, shown once", body = InviteCreated),
        (status = 401, description = "No token sent", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such group link", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too much at once from this member; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn create_invite(
    State(state): State<AppState>,
    FollowToken(secret): FollowToken,
) -> Result<Response> {
    let me = {
        let mut conn = state.db.acquire().await?;
        me(&mut conn, &secret).await?
    };
    if let Some(wait) = state.group_limits.wait(me.signup_id, GroupWrite::Invite) {
        return Ok(wait);
    }
    let invite = token::generate();
    let id = Uuid::new_v4();
    let mut tx = state.db.begin().await?;
    db::execute(
        &mut tx,
        "INSERT INTO group_invites (id, group_id, token_hash, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
        args![
            id,
            me.group_id,
            token::hash(&invite),
            me.signup_id,
            Utc::now()
        ],
    )
    .await?;
    touch(&mut tx, me.group_id).await?;
    tx.commit().await?;
    let created = InviteCreated {
        id,
        invite_token: invite,
    };
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// Revoke an unused invite of the group.
#[utoipa::path(
    delete,
    path = "/api/v1/group/invites/{id}",
    tag = "groups",
    security(("group_token" = [])),
    params(("id" = Uuid, Path, description = "The invite's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, description = "A malformed parameter", body = sammen_shared::ErrorBody),
        (status = 401, description = "No token sent", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such group link or open invite", body = sammen_shared::ErrorBody),
    )
)]
async fn revoke_invite(
    State(state): State<AppState>,
    FollowToken(secret): FollowToken,
    ApiPath(invite_id): ApiPath<Uuid>,
) -> Result<StatusCode> {
    let me = {
        let mut conn = state.db.acquire().await?;
        me(&mut conn, &secret).await?
    };
    let mut tx = state.db.begin().await?;
    let revoked = db::execute(
        &mut tx,
        "UPDATE group_invites SET revoked_at = $1 WHERE id = $2 AND group_id = $3 \
         AND used_at IS NULL AND revoked_at IS NULL",
        args![Utc::now(), invite_id, me.group_id],
    )
    .await?;
    if revoked == 0 {
        return Err(Error::not_found("The group has no such open invite."));
    }
    touch(&mut tx, me.group_id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(sqlx::FromRow)]
struct InviteRow {
    group_id: Uuid,
    initiative_id: Uuid,
    created_at: DateTime<Utc>,
}

/// Join a group through an invite link: the new family gets its own
/// private link. Each invite works once.
#[utoipa::path(
    post,
    path = "/api/v1/group/join",
    tag = "groups",
    params(("Idempotency-Key" = Option<Uuid>, Header, description = "A UUID made by the client for this write")),
    request_body = JoinByInvite,
    responses(
        (status = 201, description = "Joined; the new member's private link", body = JoinedGroup),
        (status = 400, description = "The body is not JSON", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such invite, or it was used, revoked or is too old", body = sammen_shared::ErrorBody),
        (status = 413, description = "The body is larger than 64 KiB", body = sammen_shared::ErrorBody),
        (status = 415, description = "The body is not application/json", body = sammen_shared::ErrorBody),
        (status = 422, description = "Fields break the rules", body = sammen_shared::ErrorBody),
    )
)]
async fn join(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    IdempotencyKey(key): IdempotencyKey,
    body: ApiJson<JoinByInvite>,
) -> Result<Response> {
    // The family consents as any family joining does (the page shows the
    // text and sends its version), and the honeypot and fill time apply.
    let consent = crate::abuse::screen(
        &body.raw,
        ConsentForm::Signup,
        state.config.min_fill_ms,
        lang,
    )?;
    let request = &body.value;
    let mut errors = FieldErrors::new();
    let contact = request.contact.parse("contact", &mut errors);
    let family = request
        .family
        .as_ref()
        .and_then(|f| f.parse("family", &mut errors));
    let Some(contact) = contact.filter(|_| errors.is_empty()) else {
        return Err(Error::Validation(errors, lang));
    };
    let invite_hash = token::hash(request.invite_token.trim());
    let fingerprint =
        idempotency::fingerprint("POST /api/v1/group/join", &invite_hash, &body.digest);
    let mut write = match idempotency::start(&state.db, key, &fingerprint).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(write) => write,
    };
    let now = Utc::now();
    // Using the invite is the first write: of two joins at once, one wins.
    let used = db::execute(
        &mut write.tx,
        "UPDATE group_invites SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
         AND revoked_at IS NULL",
        args![now, &invite_hash],
    )
    .await?;
    let invite: Option<InviteRow> = db::fetch_optional(
        &mut write.tx,
        "SELECT v.group_id, g.initiative_id, v.created_at FROM group_invites v \
         JOIN initiative_groups g ON g.id = v.group_id WHERE v.token_hash = $1",
        args![&invite_hash],
    )
    .await?;
    let invite = match invite {
        Some(invite) if used == 1 && invite.created_at > now - Duration::days(INVITE_DAYS) => {
            invite
        }
        _ => {
            return Err(Error::not_found(
                "This invite does not work (any more): ask the group for a new one.",
            ))
        }
    };
    let signup_id = Uuid::new_v4();
    db::execute(
        &mut write.tx,
        "INSERT INTO signups (id, initiative_id, need_id, contact_name, contact_email, \
         contact_phone, message, family, created_at, consent_version, joined_by_invite) \
         VALUES ($1, $2, NULL, $3, $4, $5, NULL, $6, $7, $8, $9)",
        args![
            signup_id,
            invite.initiative_id,
            &contact.name,
            contact.email.as_ref(),
            contact.phone.as_ref(),
            family
                .as_ref()
                .map(serde_json::to_string)
                .transpose()
                .map_err(|e| Error::Internal(e.to_string()))?,
            now,
            consent,
            true
        ],
    )
    .await?;
    let position: i64 = db::fetch_scalar(
        &mut write.tx,
        "SELECT COALESCE(MAX(position), -1) + 1 FROM group_members WHERE group_id = $1",
        args![invite.group_id],
    )
    .await?;
    let member = token::generate();
    db::execute(
        &mut write.tx,
        "INSERT INTO group_members (group_id, signup_id, position, token_hash, calendar_hash) \
         VALUES ($1, $2, $3, $4, $5)",
        args![
            invite.group_id,
            signup_id,
            position,
            token::hash(&member),
            token::hash(&calendar_secret(&member))
        ],
    )
    .await?;
    touch(&mut write.tx, invite.group_id).await?;
    idempotency::finish(
        write,
        StatusCode::CREATED,
        &JoinedGroup {
            member_token: member,
        },
    )
    .await
}

#[derive(sqlx::FromRow)]
struct CalendarRow {
    group_id: Uuid,
    group_name: String,
    initiative_title: String,
}

/// A member's calendar feed (iCalendar): the group's dates that are not
/// cancelled. The address carries a read-only secret, since calendar apps
/// cannot send headers.
#[utoipa::path(
    get,
    path = "/api/v1/group-calendar/{file}",
    tag = "groups",
    params(("file" = String, Path, description = "`<calendar secret>.ics`, from `calendar_path`")),
    responses(
        (status = 200, description = "The feed", content_type = "text/calendar", body = String),
        (status = 400, description = "A malformed address", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such calendar", body = sammen_shared::ErrorBody),
    )
)]
async fn calendar(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    ApiPath(file): ApiPath<String>,
) -> Result<Response> {
    let secret = file.strip_suffix(".ics").unwrap_or(&file);
    let mut conn = state.db.acquire().await?;
    let group: CalendarRow = db::fetch_optional(
        &mut conn,
        "SELECT m.group_id, g.name AS group_name, i.title AS initiative_title \
         FROM group_members m JOIN initiative_groups g ON g.id = m.group_id \
         JOIN initiatives i ON i.id = g.initiative_id WHERE m.calendar_hash = $1",
        args![token::hash(secret)],
    )
    .await?
    .ok_or_else(|| Error::not_found("There is no such calendar."))?;
    let members = members(&mut conn, group.group_id).await?;
    let dates = dates(&mut conn, group.group_id).await?;
    let label = |id: Uuid| {
        members
            .iter()
            .find(|m| m.signup_id == id)
            .map(|m| m.label(lang, false))
    };
    use icalendar::{Calendar, Component, Event, EventLike};
    let mut calendar = Calendar::new();
    calendar.name(&format!(
        "{} – {}",
        group.group_name, group.initiative_title
    ));
    for date in dates.iter().filter(|d| d.status != "cancelled") {
        let host = date.host.and_then(label);
        let summary = match (lang, host) {
            (Lang::Da, Some(host)) => format!("{}: hos {host}", group.group_name),
            (Lang::En, Some(host)) => format!("{}: at {host}'s", group.group_name),
            (_, None) => group.group_name.clone(),
        };
        let mut event = Event::new();
        event
            .uid(&format!("{}@sammen", date.id))
            .summary(&summary)
            .starts(date.starts_at)
            .ends(date.starts_at + Duration::hours(DATE_HOURS));
        if let Some(note) = &date.note {
            event.description(note);
        }
        calendar.push(event.done());
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        calendar.done().to_string(),
    )
        .into_response())
}

/// After a date was held, every member with an email is asked the two
/// check-in questions (answered on the group's page).
async fn ask_for_check_ins(ex: &mut impl Executor, me: &MeRow) -> Result<()> {
    for member in members(ex, me.group_id).await? {
        let Some(email) = member.contact_email.as_deref() else {
            continue;
        };
        let (subject, body) = match outbox::reading_lang(&member.languages()) {
            Lang::Da => (
                format!("Hvordan gik det? {}", me.group_name),
                format!(
                    "I har holdt en aftale i {}. Hvordan gik det, og hvad vil I gøre anderledes \
                     næste gang? To korte spørgsmål på jeres gruppes side; koordinatoren ser \
                     svarene uden navn, medmindre du selv vælger det.\n\nVenlig hilsen\nSammen",
                    me.group_name
                ),
            ),
            Lang::En => (
                format!("How did it go? {}", me.group_name),
                format!(
                    "{} held a date. How did it go, and what would you change next time? Two \
                     short questions on your group's page; the coordinator sees the answers \
                     without your name unless you choose otherwise.\n\nKind regards\nSammen",
                    me.group_name
                ),
            ),
        };
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

/// Answer the check-in of a held date: how it went, one thing to change.
/// Answering again replaces the answer.
#[utoipa::path(
    put,
    path = "/api/v1/group/dates/{id}/check-in",
    tag = "groups",
    security(("group_token" = [])),
    params(("id" = Uuid, Path, description = "The date's id")),
    request_body = CheckIn,
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        (status = 401, description = "No token sent", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such group link or date", body = sammen_shared::ErrorBody),
        (status = 409, description = "The date was not held (yet)", body = sammen_shared::ErrorBody),
        (status = 413, description = "The body is larger than 64 KiB", body = sammen_shared::ErrorBody),
        (status = 415, description = "The body is not application/json", body = sammen_shared::ErrorBody),
        (status = 422, description = "Fields break the rules", body = sammen_shared::ErrorBody),
    )
)]
async fn check_in(
    State(state): State<AppState>,
    FollowToken(secret): FollowToken,
    RequestLang(lang): RequestLang,
    ApiPath(date_id): ApiPath<Uuid>,
    body: ApiJson<CheckIn>,
) -> Result<StatusCode> {
    let answer = &body.value;
    let mut errors = FieldErrors::new();
    let change = errors
        .check(
            "change",
            parse_optional_text(answer.change.as_deref(), text::OPTIONAL_BODY),
        )
        .flatten();
    if !errors.is_empty() {
        return Err(Error::Validation(errors, lang));
    }
    let (me, status) = {
        let mut conn = state.db.acquire().await?;
        let me = me(&mut conn, &secret).await?;
        let status: Option<(String,)> = db::fetch_optional(
            &mut conn,
            "SELECT status FROM group_dates WHERE id = $1 AND group_id = $2",
            args![date_id, me.group_id],
        )
        .await?;
        (me, status)
    };
    match status {
        None => return Err(Error::not_found("The group has no such date.")),
        Some((status,)) if status != "done" => {
            return Err(Error::conflict("Check in after the date was held."))
        }
        Some(_) => {}
    }
    let mut tx = state.db.begin().await?;
    db::execute(
        &mut tx,
        "INSERT INTO group_check_ins (date_id, signup_id, how, change, share_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (date_id, signup_id) DO UPDATE SET \
         how = excluded.how, change = excluded.change, share_name = excluded.share_name, \
         created_at = excluded.created_at",
        args![
            date_id,
            me.signup_id,
            answer.how.as_str(),
            change,
            answer.share_name,
            Utc::now()
        ],
    )
    .await?;
    touch(&mut tx, me.group_id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
