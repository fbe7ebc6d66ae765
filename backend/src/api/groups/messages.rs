//! Writing to another member through Sammen: they get an email, the
//! sender never sees their address. Limited per member (`limits.rs`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use sammen_shared::group::MessageToMember;
use sammen_shared::text::{self, parse_text};
use sammen_shared::{ErrorCode, FieldErrors};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::error::{Error, JsonBodyRefused, NoToken, Result};
use crate::extract::{ApiJson, ApiPath, IdempotencyKey, LinkToken, RequestLang};
use crate::idempotency::{self, Start};
use crate::limits::GroupWrite;
use crate::state::AppState;
use crate::{mails, outbox, said, token};

use crate::group_space::{me, members, of_families, touch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(message_member))
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
        NoToken,
        (status = 404, description = "No such group link or member", body = sammen_shared::ErrorBody),
        (status = 409, description = "The member gave no email", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "An empty message", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too much at once from this member; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn message_member(
    State(state): State<AppState>,
    LinkToken(secret): LinkToken,
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
        return Err(Error::refused(ErrorCode::NotFound, &said::NO_SUCH_MEMBER));
    };
    let Some(email) = to.contact_email.clone() else {
        return Err(Error::said(
            ErrorCode::Conflict,
            lang,
            &said::MEMBER_WITHOUT_EMAIL,
        ));
    };
    // Worded in the recipient's language, naming the sender only as the
    // group sees them.
    let reading = to.reader();
    let from = members
        .iter()
        .find(|m| m.signup_id == me.signup_id)
        .map(|m| m.label(reading, false, of_families(&members)))
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
    let (subject, text) = mails::between_members(
        reading,
        &from,
        &me.group_name,
        &me.initiative_title,
        &message,
    );
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
