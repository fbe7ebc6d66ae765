//! A member's read-only calendar feed (`.ics`): the address carries a
//! secret derived from the member's, since calendar apps cannot send headers.

use crate::said;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use sammen_shared::ErrorCode;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::args;
use crate::db::{self};
use crate::error::{Error, Result};
use crate::extract::{ApiPath, RequestLang};
use crate::state::AppState;
use crate::token;

use crate::group_space::{self, dates, members, of_families};

/// How long a date lasts in the calendar feed.
const DATE_HOURS: i64 = 2;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(calendar))
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
    .ok_or_else(|| Error::refused(ErrorCode::NotFound, &said::NO_SUCH_CALENDAR))?;
    let members = members(&mut conn, group.group_id).await?;
    let dates = dates(&mut conn, group.group_id).await?;
    let families = of_families(&members);
    let label = |id: Uuid| {
        members
            .iter()
            .find(|m| m.signup_id == id)
            .map(|m| m.label(lang, false, families))
    };
    use icalendar::{Calendar, Component, Event, EventLike};
    let mut calendar = Calendar::new();
    calendar.name(&format!(
        "{} – {}",
        group.group_name, group.initiative_title
    ));
    for date in dates.iter().filter(|d| d.status != "cancelled") {
        let host = date.host.and_then(label);
        let summary = match host {
            Some(host) => {
                group_space::AT_HOST.say(lang, &[("group", &group.group_name), ("host", &host)])
            }
            None => group.group_name.clone(),
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
