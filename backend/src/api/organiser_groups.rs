//! The organiser's groups behind the follow link: she forms groups by hand
//! from the people who joined (a work day's team, a rota, an escort group),
//! may be in them herself, and hands them over — then each group runs itself
//! in its own space. The rules are `group_forming`'s, shared with the
//! coordinator's console.

use sammen_shared::ErrorCode;
use std::collections::HashSet;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use sammen_shared::follow::{GroupsByOrganiser, LinkForMember, OrganiserGroup, OrganiserGroups};
use sammen_shared::status::Status;
use sammen_shared::text::{self, parse_text};
use sammen_shared::{FieldErrors, Text};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::audit;
use crate::co_organiser::{self, Organiser};
use crate::db::Executor;
use crate::error::{Error, JsonBodyRefused, NoToken, Result};
use crate::extract::{ApiJson, IdempotencyKey, LinkToken, RequestLang};
use crate::group_forming::{self, DraftGroup};
use crate::idempotency::{self, Start};
use crate::proposal::ProposalRow;
use crate::said;
use crate::state::AppState;
use crate::token;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read_groups, save_groups))
        .routes(routes!(hand_over))
}

/// More groups than any initiative forms by hand.
const MAX_GROUPS: usize = 100;

/// The groups as the organiser sees them: names and who is in each (ids of
/// the people on her page), never family details; escort groups as routes.
async fn organiser_view(ex: &mut impl Executor, initiative: Uuid) -> Result<OrganiserGroups> {
    let saved = group_forming::saved(ex, initiative).await?;
    let goal = group_forming::route_to(ex, initiative).await?;
    let routes = group_forming::routes(&saved, goal)?;
    Ok(OrganiserGroups {
        handed_over: saved.handed_over,
        groups: saved
            .groups
            .into_iter()
            .zip(routes)
            .map(|(g, route)| OrganiserGroup {
                name: g.name,
                members: g.members.iter().map(|m| m.signup_id).collect(),
                with_me: g.organiser_in,
                route,
            })
            .collect(),
        my_links: Vec::new(),
        links_to_pass_on: Vec::new(),
    })
}

/// The published initiative behind the follow link; groups are formed from
/// people who joined, so only while it runs.
async fn running_initiative(state: &AppState, token: &str) -> Result<(ProposalRow, Organiser)> {
    let mut conn = state.db.acquire().await?;
    let (row, organiser) = co_organiser::by_token(&mut conn, token).await?;
    if row.status()? != Status::Published {
        return Err(Error::refused(
            ErrorCode::Conflict,
            &said::GROUPS_WHILE_PUBLISHED,
        ));
    }
    Ok((row, organiser))
}

/// The initiative's groups, formed by the organiser or the coordinator
/// (empty when none are saved).
#[utoipa::path(
    get,
    path = "/api/v1/follow/groups",
    tag = "follow",
    security(("follow_token" = [])),
    responses(
        (status = 200, body = OrganiserGroups),
        NoToken,
        (status = 404, description = "No such follow link", body = sammen_shared::ErrorBody),
    )
)]
async fn read_groups(
    State(state): State<AppState>,
    LinkToken(token): LinkToken,
) -> Result<Json<OrganiserGroups>> {
    let mut conn = state.db.acquire().await?;
    let (row, _) = co_organiser::by_token(&mut conn, &token).await?;
    Ok(Json(organiser_view(&mut conn, row.id).await?))
}

/// Save the organiser's groups as a draft, replacing the one before (also
/// one the coordinator saved): each a name, people who joined (each in one
/// group at most) and whether she is in it. 409 once handed over.
#[utoipa::path(
    put,
    path = "/api/v1/follow/groups",
    tag = "follow",
    security(("follow_token" = [])),
    request_body = GroupsByOrganiser,
    responses(
        (status = 200, description = "Saved", body = OrganiserGroups),
        (status = 400, description = "Not JSON", body = sammen_shared::ErrorBody),
        NoToken,
        (status = 404, description = "No such follow link", body = sammen_shared::ErrorBody),
        (status = 409, description = "Not published, or handed over already", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "An empty group, a bad name, or someone twice or who did not join", body = sammen_shared::ErrorBody),
    )
)]
async fn save_groups(
    State(state): State<AppState>,
    LinkToken(token): LinkToken,
    RequestLang(lang): RequestLang,
    body: ApiJson<GroupsByOrganiser>,
) -> Result<Json<OrganiserGroups>> {
    let groups = body.value.groups;
    if groups.len() > MAX_GROUPS {
        return Err(Error::field_refused(
            "groups",
            &said::AT_MOST_GROUPS,
            &[("max", &MAX_GROUPS)],
        ));
    }
    let mut errors = FieldErrors::new();
    let draft: Vec<DraftGroup> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| DraftGroup {
            name: g
                .name
                .as_deref()
                .and_then(|n| {
                    errors.check(
                        &format!("groups[{i}].name"),
                        parse_text(n, text::OPTIONAL_LABEL),
                    )
                })
                .filter(|n| !n.is_empty()),
            members: g.members.clone(),
            organiser_in: g.with_me,
        })
        .collect();
    if !errors.is_empty() {
        return Err(Error::Validation(errors, lang));
    }
    let (row, organiser) = running_initiative(&state, &token).await?;
    let joined = {
        let mut conn = state.db.acquire().await?;
        group_forming::joined(&mut conn, row.id).await?
    };
    // Said in words the organiser reads (the coordinator's console names
    // the composer's own refusals).
    let refuse =
        |text: &Text, name: &str| Error::field("groups", text.say(lang, &[("name", &name)]));
    if let Some(n) = draft.iter().position(|g| g.members.is_empty()) {
        let name = draft[n]
            .name
            .clone()
            .unwrap_or_else(|| format!("{}", n + 1));
        return Err(refuse(&said::GROUP_WITHOUT_MEMBERS, &name));
    }
    let ids: HashSet<Uuid> = joined.iter().map(|j| j.signup_id).collect();
    if draft
        .iter()
        .flat_map(|g| &g.members)
        .any(|m| !ids.contains(m))
    {
        return Err(refuse(&said::NOT_JOINED, ""));
    }
    let mut seen = HashSet::new();
    if let Some(twice) = draft
        .iter()
        .flat_map(|g| &g.members)
        .find(|m| !seen.insert(**m))
    {
        let name = joined
            .iter()
            .find(|j| j.signup_id == *twice)
            .map(|j| j.name.clone())
            .unwrap_or_default();
        return Err(refuse(&said::IN_TWO_GROUPS, &name));
    }
    let lists: Vec<Vec<Uuid>> = draft.iter().map(|g| g.members.clone()).collect();
    group_forming::check_draft(&joined, &lists, None)?;
    let mut tx = state.db.begin().await?;
    group_forming::save_draft(&mut tx, row.id, &draft, lang).await?;
    audit::record(
        &mut tx,
        audit::Entry {
            after: Some(json!({"groups": lists.iter().map(Vec::len).collect::<Vec<_>>()})),
            ..audit::Entry::unsigned(
                &row.municipality,
                organiser.actor(),
                "save_groups",
                "initiative",
                row.id,
            )
        },
    )
    .await?;
    let view = organiser_view(&mut tx, row.id).await?;
    tx.commit().await?;
    Ok(Json(view))
}

/// Hand the saved groups over: every member gets a private link to their
/// group's space by email; the organiser gets hers for the groups she is in
/// (also here), and here the links of members who gave no email, to pass
/// on. Once (409 after); a retry with the same `Idempotency-Key` gets the
/// first answer.
#[utoipa::path(
    post,
    path = "/api/v1/follow/groups/hand-over",
    tag = "follow",
    security(("follow_token" = [])),
    responses(
        (status = 200, description = "Handed over", body = OrganiserGroups),
        (status = 400, description = "A malformed key", body = sammen_shared::ErrorBody),
        NoToken,
        (status = 404, description = "No such follow link", body = sammen_shared::ErrorBody),
        (status = 409, description = "Not published, no groups saved, or handed over already", body = sammen_shared::ErrorBody),
    )
)]
async fn hand_over(
    State(state): State<AppState>,
    LinkToken(token): LinkToken,
    RequestLang(lang): RequestLang,
    IdempotencyKey(key): IdempotencyKey,
) -> Result<Response> {
    let (row, organiser) = running_initiative(&state, &token).await?;
    let fingerprint = idempotency::fingerprint(
        "POST /api/v1/follow/groups/hand-over",
        &token::hash(&token),
        "",
    );
    let mut write = match idempotency::start(&state.db, key, &fingerprint).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(write) => write,
    };
    let handed = group_forming::hand_over(&mut write.tx, &state.config.public_url, row.id).await?;
    audit::record(
        &mut write.tx,
        audit::Entry {
            after: Some(json!({"members": handed.len()})),
            ..audit::Entry::unsigned(
                &row.municipality,
                organiser.actor(),
                "hand_over_groups",
                "initiative",
                row.id,
            )
        },
    )
    .await?;
    let mut view = organiser_view(&mut write.tx, row.id).await?;
    for h in handed {
        if h.is_organiser {
            view.my_links.push(h.link);
        } else if h.member.contact_email.is_none() {
            view.links_to_pass_on.push(LinkForMember {
                signup_id: h.member.signup_id,
                name: h
                    .member
                    .contact_name
                    .unwrap_or_else(|| said::NO_NAME.say(lang, &[])),
                link: h.link,
            });
        }
    }
    idempotency::finish(write, StatusCode::OK, &view).await
}
