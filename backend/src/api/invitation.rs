//! A volunteer's answer to an invitation, from the link in its email and
//! without an account: read what is asked, say yes or no (and change one's
//! mind while the initiative runs). The organiser sees the answer on the
//! follow link and the coordinator among the matches at once.

use crate::said;
use axum::extract::State;
use axum::Json;
use chrono::Utc;
use sammen_shared::invitation::{InvitationStatus, VolunteerAnswer, VolunteerInvitation};
use sammen_shared::ErrorCode;
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::audit;
use crate::error::{Error, JsonBodyRefused, NoToken, Result};
use crate::extract::{ApiJson, LinkToken};
use crate::invitation;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read_invitation, answer_invitation))
}

/// What the volunteer is asked to help with, and their answer so far.
#[utoipa::path(
    get,
    path = "/api/v1/invitation",
    tag = "public",
    security(("invitation_token" = [])),
    responses(
        (status = 200, body = VolunteerInvitation),
        NoToken,
        (status = 404, description = "No such invitation link", body = sammen_shared::ErrorBody),
    )
)]
async fn read_invitation(
    State(state): State<AppState>,
    LinkToken(secret): LinkToken,
) -> Result<Json<VolunteerInvitation>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(invitation::by_link(&mut conn, &secret).await?.view()?))
}

/// Answer yes (`accepted`) or no (`declined`). Sending the same answer again
/// changes nothing; another answer replaces it while the initiative runs.
#[utoipa::path(
    put,
    path = "/api/v1/invitation",
    tag = "public",
    security(("invitation_token" = [])),
    request_body = VolunteerAnswer,
    responses(
        (status = 200, description = "The answer is recorded", body = VolunteerInvitation),
        (status = 400, description = "The body is not JSON", body = sammen_shared::ErrorBody),
        NoToken,
        (status = 404, description = "No such invitation link", body = sammen_shared::ErrorBody),
        (status = 409, description = "The initiative has ended; answers are closed", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "Not an answer (only accepted or declined)", body = sammen_shared::ErrorBody),
    )
)]
async fn answer_invitation(
    State(state): State<AppState>,
    LinkToken(secret): LinkToken,
    body: ApiJson<VolunteerAnswer>,
) -> Result<Json<VolunteerInvitation>> {
    let answer = body.value.status;
    if answer == InvitationStatus::Invited {
        return Err(Error::field_refused(
            "status",
            &said::ANSWER_ACCEPTED_OR_DECLINED,
            &[],
        ));
    }
    let found = {
        let mut conn = state.db.acquire().await?;
        invitation::by_link(&mut conn, &secret).await?
    };
    if !found.open() {
        return Err(Error::refused(ErrorCode::Conflict, &said::INVITATION_ENDED));
    }
    let before = found.status()?;
    if before == answer {
        return Ok(Json(found.view()?));
    }
    // The write comes first in the transaction (see `Db::begin`).
    let mut tx = state.db.begin().await?;
    invitation::set_status(&mut tx, found.id, answer, Utc::now()).await?;
    audit::record(
        &mut tx,
        audit::Entry {
            before: Some(json!({"status": before.as_str()})),
            after: Some(json!({"status": answer.as_str()})),
            ..audit::Entry::unsigned(
                &found.municipality,
                "volunteer (invitation link)",
                "invitation_answer",
                "invitation",
                found.id,
            )
        },
    )
    .await?;
    let view = invitation::by_link(&mut tx, &secret).await?.view()?;
    tx.commit().await?;
    Ok(Json(view))
}
