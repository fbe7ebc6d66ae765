//! Matching: the ranked volunteers for each need of an initiative, the
//! coordinator's invitations (sent through the outbox) and the answers they
//! mark. The ranking itself is `sammen_engine::rank`; this module only reads
//! what it needs and writes what the coordinator decided.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use sammen_engine::console::{
    Candidate, InvitationAnswer, InvitationStatus, InvitationView, NeedMatches, NewInvitations,
    ReasonText,
};
use sammen_engine::{Need, Offer};
use sammen_shared::admin::OfferView;
use sammen_shared::geo::GeoPoint;
use sammen_shared::initiative::NeedView;
use sammen_shared::text::{self, parse_optional_text};
use sammen_shared::week::{parse_slots, NeedSlots};
use sammen_shared::{FieldError, FieldErrors};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::admin::scope::{visible, visible_offers};
use crate::admin::signed::Signed;
use crate::args;
use crate::audit;
use crate::db::{self, Executor, SqlBuilder};
use crate::error::{Error, JsonBodyRefused, NotSignedIn, Result, SignedChangeRefused};
use crate::extract::{ApiJson, ApiPath, ApiQuery, ConsoleLang};
use crate::initiative::needs_of;
use crate::invitation;
use crate::mails;
use crate::outbox;
use crate::proposal::ProposalRow;
use crate::state::AppState;
use crate::stored::timestamp;
use crate::token;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(matches))
        .routes(routes!(set_need_slots))
        .routes(routes!(invite))
        .routes(routes!(answer))
}

/// How many candidates to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatchQuery {
    /// 1–200, default 20.
    pub limit: Option<u32>,
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: Uuid,
    need_id: Uuid,
    offer_id: Uuid,
    status: String,
    emailed: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl InvitationRow {
    fn view(self) -> Result<InvitationView> {
        Ok(InvitationView {
            status: InvitationStatus::parse(&self.status).ok_or_else(|| {
                Error::Internal(format!("unknown invitation status '{}'", self.status))
            })?,
            id: self.id,
            need_id: self.need_id,
            offer_id: self.offer_id,
            emailed: self.emailed,
            created_at: timestamp(self.created_at),
            updated_at: timestamp(self.updated_at),
        })
    }
}

const INVITATION_COLUMNS: &str =
    "id, need_id, offer_id, status, emailed, created_at, updated_at FROM invitations";

/// The need of a visible initiative, or 404.
async fn need_of(
    ex: &mut impl Executor,
    signed: &Signed,
    id: Uuid,
    need_id: Uuid,
) -> Result<(ProposalRow, NeedView)> {
    let initiative = visible(ex, signed, id).await?;
    let need = needs_of(ex, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default()
        .into_iter()
        .find(|need| need.id == need_id)
        .ok_or_else(|| Error::not_found("The initiative has no such need."))?;
    Ok((initiative, need))
}

fn engine_need(initiative: &ProposalRow, need: &NeedView) -> Need {
    Need {
        skills: need.skills.clone(),
        tools: need.tools.clone(),
        place: initiative
            .lat
            .zip(initiative.lon)
            .map(|(lat, lon)| GeoPoint { lat, lon }),
        slots: need.slots.clone(),
        people: need.people_wanted.max(1),
        languages: Vec::new(),
    }
}

fn engine_offer(offer: &OfferView) -> Offer {
    Offer {
        offer_id: offer.id,
        skills: offer.skills.clone(),
        tools: offer.tools.clone(),
        slots: offer.slots.clone(),
        area: offer.area.clone(),
        languages: offer.languages.clone(),
    }
}

/// The volunteers for one need, best first, with the reasons in the
/// coordinator's language and who has been invited already.
#[utoipa::path(
    get,
    path = "/api/v1/admin/initiatives/{id}/needs/{need_id}/matches",
    tag = "admin",
    params(
        ("id" = Uuid, Path, description = "The initiative's id"),
        ("need_id" = Uuid, Path, description = "One of its needs"),
        MatchQuery,
    ),
    responses(
        (status = 200, body = NeedMatches),
        (status = 400, description = "A malformed parameter", body = sammen_shared::ErrorBody),
        NotSignedIn,
        (status = 404, description = "No such initiative or need for you", body = sammen_shared::ErrorBody),
    )
)]
async fn matches(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    ApiPath((id, need_id)): ApiPath<(Uuid, Uuid)>,
    ApiQuery(query): ApiQuery<MatchQuery>,
) -> Result<Json<NeedMatches>> {
    let limit = query.limit.unwrap_or(20);
    if !(1..=200).contains(&limit) {
        return Err(Error::bad_parameter("`limit` must be 1–200."));
    }
    let mut conn = state.db.acquire().await?;
    let (initiative, need) = need_of(&mut conn, &signed, id, need_id).await?;
    let offers = visible_offers(&mut conn, &signed, None).await?;
    let invitations: Vec<InvitationRow> = db::fetch_all(
        &mut conn,
        &format!("SELECT {INVITATION_COLUMNS} WHERE need_id = $1 ORDER BY created_at, id"),
        args![need_id],
    )
    .await?;
    drop(conn);

    let engine_offers: Vec<Offer> = offers.iter().map(engine_offer).collect();
    let need_for_engine = engine_need(&initiative, &need);
    // Ranking 100 000 offers takes tens of milliseconds: keep it off the
    // async workers.
    let ranked = tokio::task::spawn_blocking(move || {
        sammen_engine::rank(&need_for_engine, &engine_offers, limit as usize)
    })
    .await
    .map_err(|e| Error::Internal(format!("ranking failed: {e}")))?;

    let by_id: HashMap<Uuid, &OfferView> = offers.iter().map(|o| (o.id, o)).collect();
    let mut invitations: HashMap<Uuid, InvitationView> = invitations
        .into_iter()
        .map(|row| row.view().map(|view| (view.offer_id, view)))
        .collect::<Result<_>>()?;
    let candidates = ranked
        .into_iter()
        .filter_map(|m| {
            let offer = by_id.get(&m.offer_id)?;
            Some(Candidate {
                offer_id: m.offer_id,
                score: m.score,
                reasons: m
                    .reasons
                    .into_iter()
                    .map(|reason| ReasonText {
                        text: reason.text(lang),
                        reason,
                    })
                    .collect(),
                contact: offer.contact.clone(),
                area_name: offer.area.name.clone(),
                invitation: invitations.remove(&m.offer_id),
            })
        })
        .collect();
    let mut rest: Vec<InvitationView> = invitations.into_values().collect();
    rest.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
    Ok(Json(NeedMatches {
        need_id,
        title: need.title,
        people_wanted: need.people_wanted,
        offers_considered: offers.len() as u32,
        candidates,
        invitations: rest,
    }))
}

/// Set when a need's help is wanted, every week (a proposer writes "when"
/// as free text; the coordinator turns it into times the ranking compares
/// with volunteers' free time). Empty means any time. Audited.
#[utoipa::path(
    put,
    path = "/api/v1/admin/initiatives/{id}/needs/{need_id}/slots",
    tag = "admin",
    params(
        ("id" = Uuid, Path, description = "The initiative's id"),
        ("need_id" = Uuid, Path, description = "One of its needs"),
    ),
    request_body = NeedSlots,
    responses(
        (status = 200, description = "The need with its new times", body = NeedView),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        SignedChangeRefused,
        (status = 404, description = "No such initiative or need for you", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "A time that is not HH:MM, ends before it starts, or more than 21", body = sammen_shared::ErrorBody),
    )
)]
async fn set_need_slots(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    ApiPath((id, need_id)): ApiPath<(Uuid, Uuid)>,
    body: ApiJson<NeedSlots>,
) -> Result<Json<NeedView>> {
    let mut errors = FieldErrors::new();
    let slots = parse_slots(&body.value.slots, "slots", &mut errors);
    if !errors.is_empty() {
        return Err(Error::Validation(errors, lang.into()));
    }
    let need = {
        let mut conn = state.db.acquire().await?;
        need_of(&mut conn, &signed, id, need_id).await?.1
    };
    // The transaction starts with its write (see `Db::begin`).
    let mut tx = state.db.begin().await?;
    let changed = db::execute(
        &mut tx,
        "UPDATE needs SET slots = $1 WHERE id = $2 AND initiative_id = $3",
        args![serde_json::to_string(&slots)?, need_id, id],
    )
    .await?;
    if changed == 0 {
        return Err(Error::not_found("The initiative has no such need."));
    }
    audit::record(
        &mut tx,
        audit::Entry {
            before: Some(json!({ "slots": need.slots })),
            after: Some(json!({ "slots": slots })),
            ..signed.entry("set_need_slots", "need", need_id)
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(NeedView { slots, ..need }))
}

/// Invite volunteers to a need: each gets an email (when they gave one)
/// through the outbox. Inviting someone already invited changes nothing.
#[utoipa::path(
    post,
    path = "/api/v1/admin/initiatives/{id}/needs/{need_id}/invitations",
    tag = "admin",
    params(
        ("id" = Uuid, Path, description = "The initiative's id"),
        ("need_id" = Uuid, Path, description = "One of its needs"),
    ),
    request_body = NewInvitations,
    responses(
        (status = 201, description = "Invited; all invitations of the need", body = Vec<InvitationView>),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        SignedChangeRefused,
        (status = 404, description = "No such initiative or need for you", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "No volunteers named, or one you cannot see", body = sammen_shared::ErrorBody),
    )
)]
async fn invite(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    ApiPath((id, need_id)): ApiPath<(Uuid, Uuid)>,
    body: ApiJson<NewInvitations>,
) -> Result<(StatusCode, Json<Vec<InvitationView>>)> {
    let request = body.value;
    let mut errors = FieldErrors::new();
    let message = errors
        .check(
            "message",
            parse_optional_text(request.message.as_deref(), text::OPTIONAL_BODY),
        )
        .flatten();
    let mut offer_ids = request.offer_ids.clone();
    offer_ids.sort_unstable();
    offer_ids.dedup();
    if offer_ids.is_empty() {
        errors.add("offer_ids", FieldError::Required);
    } else if offer_ids.len() > 200 {
        errors.add("offer_ids", FieldError::TooMany { max: 200 });
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors, lang.into()));
    }

    let mut conn = state.db.acquire().await?;
    let (initiative, need) = need_of(&mut conn, &signed, id, need_id).await?;
    let offers = visible_offers(&mut conn, &signed, None).await?;
    drop(conn);
    let by_id: HashMap<Uuid, &OfferView> = offers.iter().map(|o| (o.id, o)).collect();
    if let Some(unknown) = offer_ids.iter().find(|id| !by_id.contains_key(id)) {
        return Err(Error::field(
            "offer_ids",
            format!("There is no offer {unknown} you may see."),
        ));
    }
    let chosen: Vec<Offer> = offer_ids.iter().map(|id| engine_offer(by_id[id])).collect();
    // The score is kept so the coordinator later sees how good a match the
    // invitation was, even after offers change.
    let scores: HashMap<Uuid, f64> =
        sammen_engine::rank(&engine_need(&initiative, &need), &chosen, chosen.len())
            .into_iter()
            .map(|m| (m.offer_id, m.score))
            .collect();

    let municipality: String = {
        let mut conn = state.db.acquire().await?;
        db::fetch_scalar(
            &mut conn,
            "SELECT name FROM municipalities WHERE slug = $1",
            args![&signed.municipality],
        )
        .await?
    };
    let now = Utc::now();
    let mut tx = state.db.begin().await?;
    for offer_id in &offer_ids {
        let offer = by_id[offer_id];
        let emailed = offer.contact.email.is_some();
        // The volunteer's own link to answer; only its hash is kept.
        let secret = token::generate();
        let inserted = db::execute(
            &mut tx,
            "INSERT INTO invitations (id, municipality, initiative_id, need_id, offer_id, status, \
             score, invited_by, emailed, created_at, updated_at, answer_token_hash) \
             VALUES ($1, $2, $3, $4, $5, 'invited', $6, $7, $8, $9, $9, $10) \
             ON CONFLICT (need_id, offer_id) DO NOTHING",
            args![
                Uuid::new_v4(),
                &signed.municipality,
                id,
                need_id,
                *offer_id,
                scores.get(offer_id).copied().unwrap_or(0.0),
                &signed.email,
                emailed,
                now,
                token::hash(&secret)
            ],
        )
        .await?;
        if inserted == 0 {
            continue;
        }
        if let Some(email) = offer.contact.email.as_deref() {
            let stored: Option<(Option<String>,)> = db::fetch_optional(
                &mut tx,
                "SELECT lang FROM offers WHERE id = $1",
                args![*offer_id],
            )
            .await?;
            let (subject, body) = mails::to_volunteer(mails::VolunteerInvitation {
                lang: mails::reader_lang(stored.and_then(|(l,)| l).as_deref(), &offer.languages),
                name: &offer.contact.name,
                need: &need.title,
                initiative: &initiative.title,
                municipality: &municipality,
                coordinator: &signed.name,
                coordinator_email: &signed.email,
                message: message.as_deref(),
                answer_link: &invitation::answer_link(&state.config.public_url, &secret),
            });
            outbox::enqueue(
                &mut tx,
                outbox::Email {
                    municipality: &signed.municipality,
                    recipient: email,
                    subject,
                    body,
                    kind: "invitation",
                    subject_id: Some(id),
                },
            )
            .await?;
        }
        signed
            .record(
                &mut tx,
                "invite",
                "offer",
                offer_id,
                json!({"initiative": id, "need": need_id, "emailed": emailed}),
            )
            .await?;
    }
    let rows: Vec<InvitationRow> = db::fetch_all(
        &mut tx,
        &format!("SELECT {INVITATION_COLUMNS} WHERE need_id = $1 ORDER BY created_at, id"),
        args![need_id],
    )
    .await?;
    tx.commit().await?;
    let views = rows
        .into_iter()
        .map(InvitationRow::view)
        .collect::<Result<_>>()?;
    Ok((StatusCode::CREATED, Json(views)))
}

/// Mark what a volunteer answered (or take an answer back to `invited`).
#[utoipa::path(
    put,
    path = "/api/v1/admin/invitations/{id}",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The invitation's id")),
    request_body = InvitationAnswer,
    responses(
        (status = 200, description = "Marked", body = InvitationView),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        SignedChangeRefused,
        (status = 404, description = "No such invitation for you", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "An unknown status", body = sammen_shared::ErrorBody),
    )
)]
async fn answer(
    State(state): State<AppState>,
    signed: Signed,
    ApiPath(invitation_id): ApiPath<Uuid>,
    body: ApiJson<InvitationAnswer>,
) -> Result<Json<InvitationView>> {
    let status = body.value.status;
    let mut conn = state.db.acquire().await?;
    let mut query = SqlBuilder::new("SELECT initiative_id, status FROM invitations WHERE id = ");
    query.bind(invitation_id);
    query
        .push(" AND municipality = ")
        .bind(&signed.municipality);
    let found: Option<(Uuid, String)> =
        db::fetch_optional(&mut conn, &query.sql, query.values).await?;
    let Some((initiative_id, before)) = found else {
        return Err(Error::not_found("There is no such invitation."));
    };
    // Visibility follows the initiative's institution.
    visible(&mut conn, &signed, initiative_id)
        .await
        .map_err(|_| Error::not_found("There is no such invitation."))?;
    drop(conn);
    // The write comes first in the transaction (see `Db::begin`).
    let mut tx = state.db.begin().await?;
    invitation::set_status(&mut tx, invitation_id, status, Utc::now()).await?;
    audit::record(
        &mut tx,
        audit::Entry {
            before: Some(json!({"status": before})),
            after: Some(json!({"status": status.as_str()})),
            ..signed.entry("invitation_answer", "invitation", invitation_id)
        },
    )
    .await?;
    let row: InvitationRow = db::fetch_optional(
        &mut tx,
        &format!("SELECT {INVITATION_COLUMNS} WHERE id = $1"),
        args![invitation_id],
    )
    .await?
    .ok_or_else(|| Error::not_found("There is no such invitation."))?;
    tx.commit().await?;
    Ok(Json(row.view()?))
}
