//! Invites: a one-time link a member makes for another family, revoking it,
//! and joining through it (with consent and a private link of one's own).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use sammen_shared::consent::ConsentForm;
use sammen_shared::group::{InviteCreated, JoinByInvite, JoinedGroup};
use sammen_shared::{ErrorCode, FieldErrors};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::args;
use crate::db::{self};
use crate::error::{Error, JsonBodyRefused, NoToken, Result};
use crate::extract::{ApiJson, ApiPath, IdempotencyKey, LinkToken, RequestLang};
use crate::idempotency::{self, Start};
use crate::limits::GroupWrite;
use crate::said;
use crate::state::AppState;
use crate::token;
use crate::token::calendar_secret;

use crate::group_space::{me, touch};

/// How long an invite link stays valid.
const INVITE_DAYS: i64 = 14;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_invite))
        .routes(routes!(revoke_invite))
        .routes(routes!(join))
}

/// A one-time invite link for another family; the group can revoke it.
#[utoipa::path(
    post,
    path = "/api/v1/group/invites",
    tag = "groups",
    security(("group_token" = [])),
    responses(
        (status = 201, description = "The invite's secret, shown once", body = InviteCreated),
        NoToken,
        (status = 404, description = "No such group link", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too much at once from this member; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn create_invite(
    State(state): State<AppState>,
    LinkToken(secret): LinkToken,
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
        NoToken,
        (status = 404, description = "No such group link or open invite", body = sammen_shared::ErrorBody),
    )
)]
async fn revoke_invite(
    State(state): State<AppState>,
    LinkToken(secret): LinkToken,
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
        return Err(Error::refused(ErrorCode::NotFound, &said::NO_SUCH_INVITE));
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
        JsonBodyRefused,
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
        _ => return Err(Error::said(ErrorCode::NotFound, lang, &said::INVITE_DEAD)),
    };
    let signup_id = Uuid::new_v4();
    db::execute(
        &mut write.tx,
        "INSERT INTO signups (id, initiative_id, need_id, contact_name, contact_email, \
         contact_phone, message, family, created_at, consent_version, joined_by_invite, lang) \
         VALUES ($1, $2, NULL, $3, $4, $5, NULL, $6, $7, $8, $9, $10)",
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
            true,
            lang.code()
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
