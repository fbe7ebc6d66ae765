//! The group's roster behind a member's private link: read the space, share
//! (or stop sharing) my name and contact, leave the group.

use crate::said;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use sammen_shared::group::{GroupSpace, Sharing};
use sammen_shared::ErrorCode;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::args;
use crate::db::{self};
use crate::error::{Error, JsonBodyRefused, NoToken, Result};
use crate::extract::{ApiJson, LinkToken, RequestLang};
use crate::state::AppState;
use crate::token;

use crate::group_space::{me, space, touch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read_space))
        .routes(routes!(set_sharing, leave))
}

/// The group: roster, schedule, shared afternoons, my calendar feed.
#[utoipa::path(
    get,
    path = "/api/v1/group",
    tag = "groups",
    security(("group_token" = [])),
    responses(
        (status = 200, body = GroupSpace),
        NoToken,
        (status = 404, description = "No such group link", body = sammen_shared::ErrorBody),
    )
)]
async fn read_space(
    State(state): State<AppState>,
    LinkToken(secret): LinkToken,
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
        NoToken,
        (status = 404, description = "No such group link", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "The body has the wrong shape", body = sammen_shared::ErrorBody),
    )
)]
async fn set_sharing(
    State(state): State<AppState>,
    LinkToken(secret): LinkToken,
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
        return Err(Error::refused(ErrorCode::NotFound, &said::GROUP_LINK_GONE));
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
        NoToken,
        (status = 404, description = "No such group link", body = sammen_shared::ErrorBody),
    )
)]
async fn leave(State(state): State<AppState>, LinkToken(secret): LinkToken) -> Result<StatusCode> {
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
        return Err(Error::refused(ErrorCode::NotFound, &said::GROUP_LINK_GONE));
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
