//! Groups, as the coordinator forms them (`group_forming` holds the rules):
//! the composer over the people who joined (families weighed by their
//! details, anyone else by group size), scoring groups moved by hand, saving
//! them as a draft, and handing them over: each member gets the group's
//! private link by email (or through the coordinator, when they gave no
//! email). After the hand-over the groups belong to their members.

use std::collections::HashMap;

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use sammen_engine::console::{
    ComposeRequest, CompositionView, GroupView, GroupsDraft, JoinedMember, LinkToPassOn,
    ReissuedLink, SavedGroups,
};
use sammen_engine::{ComposeError, Composition};
use sammen_shared::group::{CheckInView, HowItWent};
use sammen_shared::Lang;
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::admin::scope::visible;
use crate::admin::signed::Signed;
use crate::args;
use crate::db;
use crate::error::{Error, JsonBodyRefused, NotSignedIn, Result, SignedChangeRefused};
use crate::extract::{ApiJson, ApiPath, ConsoleLang};
use crate::group_forming::{self, DraftGroup};
use crate::group_link;
use crate::state::AppState;
use crate::stored::timestamp;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(compose))
        .routes(routes!(describe))
        .routes(routes!(saved, save))
        .routes(routes!(hand_over))
        .routes(routes!(reissue_link))
        .routes(routes!(check_ins))
}

/// Most families one run composes; far above any institution's.
const MAX_FAMILIES: usize = 5000;
/// Most search effort a request may ask for (the default is 300).
const MAX_EFFORT: u32 = 3000;

/// The composer's refusal as a 422 naming the rule it could not meet.
fn refused(error: ComposeError) -> Error {
    let field = match &error {
        ComposeError::InvalidSizes { .. } => "rules.min_size",
        ComposeError::GroupsDontFit { .. } => "rules.groups",
        ComposeError::ConflictingLocks { .. } => "rules.locks",
        _ => "groups",
    };
    Error::field(field, error.to_string())
}

fn view_of(composition: Composition, joined: &[JoinedMember], lang: Lang) -> CompositionView {
    let by_id: HashMap<Uuid, &JoinedMember> = joined.iter().map(|j| (j.signup_id, j)).collect();
    CompositionView {
        groups: composition
            .groups
            .into_iter()
            .map(|group| GroupView {
                index: group.index,
                members: group
                    .members
                    .iter()
                    .filter_map(|id| by_id.get(id).map(|m| (*m).clone()))
                    .collect(),
                shared_days: group.shared_days,
                max_distance_km: group.max_distance_km,
                mean_distance_km: group.mean_distance_km,
                newcomers: group.newcomers,
                reasons: group.reasons.iter().map(|r| r.text(lang)).collect(),
            })
            .collect(),
        score: composition.score,
    }
}

/// Compose groups from the families that joined: sizes, weights, locks (a
/// lock's `member_id` is a signup id) and a seed; nothing is saved. Run it
/// again with locks to keep families where the coordinator put them.
#[utoipa::path(
    post,
    path = "/api/v1/admin/initiatives/{id}/compose",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The initiative's id")),
    request_body = ComposeRequest,
    responses(
        (status = 200, description = "The proposed groups with their reasons", body = CompositionView),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        SignedChangeRefused,
        (status = 404, description = "No such initiative for you", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "Rules the families cannot meet, or a lock on someone who did not join", body = sammen_shared::ErrorBody),
    )
)]
async fn compose(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<ComposeRequest>,
) -> Result<Json<CompositionView>> {
    let ComposeRequest { mut rules, seed } = body.value;
    if rules.effort.is_some_and(|e| e > MAX_EFFORT) {
        return Err(refused_effort());
    }
    // Far beyond any real group, and small enough that no arithmetic on
    // them can overflow.
    let too_big = [
        ("rules.min_size", rules.min_size),
        ("rules.max_size", rules.max_size),
        ("rules.groups", rules.groups.unwrap_or(0)),
        (
            "rules.locks",
            rules.locks.iter().map(|l| l.group).max().unwrap_or(0),
        ),
    ]
    .into_iter()
    .find(|(_, value)| *value > MAX_FAMILIES);
    if let Some((field, _)) = too_big {
        return Err(Error::field(
            field,
            format!("`{field}` may be at most {MAX_FAMILIES}."),
        ));
    }
    let mut conn = state.db.acquire().await?;
    visible(&mut conn, &signed, id).await?;
    let joined = group_forming::joined(&mut conn, id).await?;
    // Escort groups are routes to the school.
    if let Some(goal) = group_forming::route_to(&mut conn, id).await? {
        goal.apply(&mut rules);
    }
    drop(conn);
    if joined.len() > MAX_FAMILIES {
        return Err(Error::conflict(format!(
            "More than {MAX_FAMILIES} families joined; compose them per institution."
        )));
    }
    let members = group_forming::members_of(&joined);
    // Composing 2 000 families takes about a second of CPU: off the async
    // workers, so other requests go on meanwhile.
    let composition = tokio::task::spawn_blocking(move || {
        sammen_engine::compose(&members, &rules, seed.unwrap_or(1))
    })
    .await
    .map_err(|e| Error::Internal(format!("composer failed: {e}")))?
    .map_err(refused)?;
    Ok(Json(view_of(composition, &joined, lang)))
}

fn refused_effort() -> Error {
    Error::field(
        "rules.effort",
        format!("`rules.effort` may be at most {MAX_EFFORT}."),
    )
}

/// Score groups as the coordinator arranged them by hand: shared afternoons,
/// distances, ages and newcomers of each. Sizes are not enforced.
#[utoipa::path(
    post,
    path = "/api/v1/admin/initiatives/{id}/compose/describe",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The initiative's id")),
    request_body = GroupsDraft,
    responses(
        (status = 200, description = "The groups with their reasons", body = CompositionView),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        SignedChangeRefused,
        (status = 404, description = "No such initiative for you", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "A family missing, twice, or not among those who joined", body = sammen_shared::ErrorBody),
    )
)]
async fn describe(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<GroupsDraft>,
) -> Result<Json<CompositionView>> {
    let mut conn = state.db.acquire().await?;
    visible(&mut conn, &signed, id).await?;
    let joined = group_forming::joined(&mut conn, id).await?;
    let route_to = group_forming::route_to(&mut conn, id).await?;
    drop(conn);
    let composition = group_forming::check_draft(&joined, &body.value.groups, route_to)?;
    Ok(Json(view_of(composition, &joined, lang)))
}

/// The initiative's saved groups (empty when none are saved yet).
#[utoipa::path(
    get,
    path = "/api/v1/admin/initiatives/{id}/groups",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The initiative's id")),
    responses(
        (status = 200, body = SavedGroups),
        (status = 400, description = "A malformed parameter", body = sammen_shared::ErrorBody),
        NotSignedIn,
        (status = 404, description = "No such initiative for you", body = sammen_shared::ErrorBody),
    )
)]
async fn saved(
    State(state): State<AppState>,
    signed: Signed,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<SavedGroups>> {
    let mut conn = state.db.acquire().await?;
    visible(&mut conn, &signed, id).await?;
    Ok(Json(group_forming::saved(&mut conn, id).await?))
}

/// Save groups (each list one group of signup ids, every family exactly
/// once), replacing the draft saved before. Once handed over they can't be
/// replaced (409).
#[utoipa::path(
    put,
    path = "/api/v1/admin/initiatives/{id}/groups",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The initiative's id")),
    request_body = GroupsDraft,
    responses(
        (status = 200, description = "Saved", body = SavedGroups),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        SignedChangeRefused,
        (status = 404, description = "No such initiative for you", body = sammen_shared::ErrorBody),
        (status = 409, description = "The groups were handed over already", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "A family missing, twice, or not among those who joined", body = sammen_shared::ErrorBody),
    )
)]
async fn save(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<GroupsDraft>,
) -> Result<Json<SavedGroups>> {
    let groups = body.value.groups;
    let mut conn = state.db.acquire().await?;
    visible(&mut conn, &signed, id).await?;
    let joined = group_forming::joined(&mut conn, id).await?;
    drop(conn);
    group_forming::check_draft(&joined, &groups, None)?;
    let draft: Vec<DraftGroup> = groups
        .iter()
        .map(|members| DraftGroup {
            name: None,
            members: members.clone(),
            organiser_in: false,
        })
        .collect();
    let mut tx = state.db.begin().await?;
    group_forming::save_draft(&mut tx, id, &draft, lang.into()).await?;
    signed
        .record(
            &mut tx,
            "save_groups",
            "initiative",
            id,
            json!({"groups": groups.iter().map(Vec::len).collect::<Vec<_>>()}),
        )
        .await?;
    let view = group_forming::saved(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(view))
}

/// Hand the saved groups over: every member gets a private link to their
/// group, by email, or in this answer for the coordinator to pass on when
/// they gave no email. Happens once (409 after).
#[utoipa::path(
    post,
    path = "/api/v1/admin/initiatives/{id}/groups/hand-over",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The initiative's id")),
    responses(
        (status = 200, description = "Handed over", body = SavedGroups),
        (status = 400, description = "A malformed parameter", body = sammen_shared::ErrorBody),
        SignedChangeRefused,
        (status = 404, description = "No such initiative for you", body = sammen_shared::ErrorBody),
        (status = 409, description = "No groups saved, or handed over already", body = sammen_shared::ErrorBody),
    )
)]
async fn hand_over(
    State(state): State<AppState>,
    signed: Signed,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<SavedGroups>> {
    {
        let mut conn = state.db.acquire().await?;
        visible(&mut conn, &signed, id).await?;
    }
    let mut tx = state.db.begin().await?;
    let handed = group_forming::hand_over(&mut tx, &state.config.public_url, id).await?;
    let links_to_pass_on = handed
        .iter()
        .filter(|h| h.member.contact_email.is_none())
        .map(|h| LinkToPassOn {
            signup_id: h.member.signup_id,
            name: h.member.contact_name.clone().unwrap_or_default(),
            phone: h.member.contact_phone.clone(),
            link: h.link.clone(),
        })
        .collect();
    signed
        .record(
            &mut tx,
            "hand_over_groups",
            "initiative",
            id,
            json!({"members": handed.len()}),
        )
        .await?;
    let mut view = group_forming::saved(&mut tx, id).await?;
    tx.commit().await?;
    view.links_to_pass_on = links_to_pass_on;
    Ok(Json(view))
}

/// Make a member's group link again (a family lost it): the old one stops
/// working; the new one goes by email, or comes back here to pass on.
#[utoipa::path(
    post,
    path = "/api/v1/admin/group-members/{id}/link",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The member's signup id")),
    responses(
        (status = 200, description = "A new link; the old one stops", body = ReissuedLink),
        (status = 400, description = "A malformed id", body = sammen_shared::ErrorBody),
        SignedChangeRefused,
        (status = 404, description = "No such member of a handed-over group for you", body = sammen_shared::ErrorBody),
    )
)]
async fn reissue_link(
    State(state): State<AppState>,
    signed: Signed,
    ApiPath(signup_id): ApiPath<Uuid>,
) -> Result<Json<ReissuedLink>> {
    let gone = || Error::not_found("There is no such member of a handed-over group.");
    let member: group_link::Member = {
        let mut conn = state.db.acquire().await?;
        let member: group_link::Member = db::fetch_optional(
            &mut conn,
            &format!(
                "SELECT {} WHERE s.id = $1 AND s.erased_at IS NULL \
                 AND g.handed_over_at IS NOT NULL",
                group_link::MEMBER_COLUMNS
            ),
            args![signup_id],
        )
        .await?
        .ok_or_else(gone)?;
        // Visibility follows the initiative's municipality and institution.
        visible(&mut conn, &signed, member.initiative_id)
            .await
            .map_err(|_| gone())?;
        member
    };
    // The write comes first in the transaction (see `Db::begin`).
    let mut tx = state.db.begin().await?;
    let link = group_link::issue(&mut tx, &state.config.public_url, &member).await?;
    let emailed = member.contact_email.is_some();
    signed
        .record(
            &mut tx,
            "reissue_group_link",
            "signup",
            signup_id,
            json!({"emailed": emailed}),
        )
        .await?;
    tx.commit().await?;
    Ok(Json(ReissuedLink {
        signup_id,
        emailed,
        link: (!emailed).then_some(link),
    }))
}

#[derive(sqlx::FromRow)]
struct CheckInRow {
    group_name: String,
    starts_at: DateTime<Utc>,
    how: String,
    change: Option<String>,
    share_name: bool,
    contact_name: Option<String>,
}

/// The members' check-ins after held dates: how it went and what to change,
/// with a name only where the member chose to share it.
#[utoipa::path(
    get,
    path = "/api/v1/admin/initiatives/{id}/check-ins",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The initiative's id")),
    responses(
        (status = 200, body = Vec<CheckInView>),
        (status = 400, description = "A malformed parameter", body = sammen_shared::ErrorBody),
        NotSignedIn,
        (status = 404, description = "No such initiative for you", body = sammen_shared::ErrorBody),
    )
)]
async fn check_ins(
    State(state): State<AppState>,
    signed: Signed,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Vec<CheckInView>>> {
    let mut conn = state.db.acquire().await?;
    visible(&mut conn, &signed, id).await?;
    let rows: Vec<CheckInRow> = db::fetch_all(
        &mut conn,
        "SELECT g.name AS group_name, d.starts_at, c.how, c.change, c.share_name, s.contact_name \
         FROM group_check_ins c JOIN group_dates d ON d.id = c.date_id \
         JOIN initiative_groups g ON g.id = d.group_id JOIN signups s ON s.id = c.signup_id \
         WHERE g.initiative_id = $1 ORDER BY d.starts_at, g.position, c.created_at",
        args![id],
    )
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(CheckInView {
                how: HowItWent::parse(&row.how)
                    .ok_or_else(|| Error::Internal(format!("unknown answer '{}'", row.how)))?,
                group_name: row.group_name,
                date: timestamp(row.starts_at),
                change: row.change,
                name: row.share_name.then_some(row.contact_name).flatten(),
            })
        })
        .collect::<Result<_>>()
        .map(Json)
}
