//! Check-ins after a held date: how it went and one thing to change.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use sammen_shared::group::CheckIn;
use sammen_shared::text::{self, parse_optional_text};
use sammen_shared::{ErrorCode, FieldErrors};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::args;
use crate::db::{self};
use crate::error::{Error, JsonBodyRefused, NoToken, Result};
use crate::extract::{ApiJson, ApiPath, LinkToken, RequestLang};
use crate::said;
use crate::state::AppState;

use crate::group_space::{me, touch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(check_in))
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
        NoToken,
        (status = 404, description = "No such group link or date", body = sammen_shared::ErrorBody),
        (status = 409, description = "The date was not held (yet)", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "Fields break the rules", body = sammen_shared::ErrorBody),
    )
)]
async fn check_in(
    State(state): State<AppState>,
    LinkToken(secret): LinkToken,
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
        None => return Err(Error::refused(ErrorCode::NotFound, &said::NO_SUCH_DATE)),
        Some((status,)) if status != "done" => {
            return Err(Error::said(
                ErrorCode::Conflict,
                lang,
                &said::CHECK_IN_AFTER_THE_DATE,
            ))
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
