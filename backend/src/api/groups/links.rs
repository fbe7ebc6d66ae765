//! Asking for one's group link again, by email, without the old link: every
//! group the address is a member of gets a new link sent to it (the old one
//! stops). The answer is the same whether the address is known or not, so
//! nobody learns who is in a group by asking.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use sammen_shared::group::LinkRequest;
use sammen_shared::person::parse_email;
use sammen_shared::FieldErrors;
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::args;
use crate::audit;
use crate::client_addr::ClientAddr;
use crate::db;
use crate::error::{Error, JsonBodyRefused, Result};
use crate::extract::{ApiJson, RequestLang};
use crate::group_link::{self, Member, MEMBER_COLUMNS};
use crate::limits::{GroupLimits, GroupWrite};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(ask_for_link))
}

/// Send me my group link again: each group of this email gets a new link by
/// email, and the old one stops. Always 202, known address or not.
#[utoipa::path(
    post,
    path = "/api/v1/group/link-requests",
    tag = "groups",
    request_body = LinkRequest,
    responses(
        (status = 202, description = "If the address is a member of a group, a new link is on its way"),
        (status = 400, description = "The body is not JSON", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "Not an email address", body = sammen_shared::ErrorBody),
        (status = 429, description = "Asked too often for this address or from this client; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn ask_for_link(
    State(state): State<AppState>,
    Extension(ClientAddr(client)): Extension<ClientAddr>,
    RequestLang(lang): RequestLang,
    body: ApiJson<LinkRequest>,
) -> Result<Response> {
    let mut errors = FieldErrors::new();
    let email = errors
        .check("email", parse_email(Some(&body.value.email)))
        .flatten();
    let Some(email) = email else {
        if errors.is_empty() {
            errors.add("email", sammen_shared::FieldError::Required);
        }
        return Err(Error::Validation(errors, lang));
    };
    for key in [format!("email:{email}"), format!("client:{client}")] {
        if let Some(wait) = state
            .group_limits
            .wait(GroupLimits::key(&key), GroupWrite::LinkRequest)
        {
            return Ok(wait);
        }
    }
    let mut conn = state.db.acquire().await?;
    let members: Vec<Member> = db::fetch_all(
        &mut conn,
        &format!(
            "SELECT {MEMBER_COLUMNS} WHERE s.contact_email = $1 AND s.erased_at IS NULL \
             AND g.handed_over_at IS NOT NULL ORDER BY s.created_at, s.id"
        ),
        args![&email],
    )
    .await?;
    drop(conn);
    // The write comes first in the transaction (see `Db::begin`).
    let mut tx = state.db.begin().await?;
    for member in &members {
        group_link::issue(&mut tx, &state.config.public_url, member).await?;
        audit::record(
            &mut tx,
            audit::Entry::unsigned(
                &member.municipality,
                "group member (by email)",
                "reissue_group_link",
                "signup",
                member.signup_id,
            ),
        )
        .await?;
    }
    tx.commit().await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"queued": true}))).into_response())
}
