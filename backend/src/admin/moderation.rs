//! Moderation: the queue of proposals, one proposal with its contact and
//! dialogue, and the coordinator's decisions. Only what the coordinator may
//! see exists for them: another municipality's or another institution's
//! initiative is a 404, so its existence does not leak.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use sammen_shared::admin::{
    AdminInitiative, Decision, Queue, QueueItem, QueueQuery, SignupView, StatusCount,
};
use sammen_shared::follow::{Author, NewMessage};
use sammen_shared::initiative::{Known, ProposalDetails};
use sammen_shared::person::ContactView;
use sammen_shared::signup::Family;
use sammen_shared::status::{Action, Actor, Status};
use sammen_shared::text::{self, parse_optional_text, parse_text};
use sammen_shared::{Current, FieldError, FieldErrors, ReaderLang};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::admin::scope::visible;
use crate::admin::signed::Signed;
use crate::args;
use crate::audit;
use crate::db::{self, Executor, SqlBuilder};
use crate::error::{Error, JsonBodyRefused, NotSignedIn, Result, SignedChangeRefused};
use crate::extract::{ApiJson, ApiPath, ApiQuery, ConsoleLang};
use crate::initiative::{insert_needs, needs_of, search_text_of};
use crate::mails;
use crate::municipality::tenant;
use crate::outbox;
use crate::proposal::{add_message, mail_follow_link, proposal_by_id, view_of, ProposalRow};
use crate::state::AppState;
use crate::stored::timestamp;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queue))
        .routes(routes!(read_initiative))
        .routes(routes!(decide))
        .routes(routes!(put_right))
        .routes(routes!(write_to_proposer))
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    id: Uuid,
    title: String,
    category: String,
    institution: Option<String>,
    status: String,
    version: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct CountRow {
    status: String,
    n: i64,
}

/// Limits a query on `initiatives i` to what the coordinator may see.
fn push_scope(query: &mut SqlBuilder, signed: &Signed) {
    query
        .push(" WHERE i.municipality = ")
        .bind(&signed.municipality);
    // A proposal whose proposer deleted their data before it was public is
    // an empty tombstone: a count, not work.
    query.push(" AND (i.erased_at IS NULL OR i.status IN ('published', 'completed'))");
    if signed.role == sammen_shared::admin::Role::Coordinator {
        if signed.institutions.is_empty() {
            query.push(" AND 1 = 0");
        } else {
            query
                .push(" AND i.institution IN ")
                .bind_list(signed.institutions.iter());
        }
    }
}

/// The moderation queue: counts per state, and the chosen state's
/// initiatives (default `submitted`), oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/admin/initiatives",
    tag = "admin",
    params(QueueQuery),
    responses(
        (status = 200, body = Queue),
        (status = 400, description = "A malformed filter", body = sammen_shared::ErrorBody),
        NotSignedIn,
    )
)]
async fn queue(
    State(state): State<AppState>,
    signed: Signed,
    ApiQuery(query): ApiQuery<QueueQuery>,
) -> Result<Json<Queue>> {
    let status = query.status.unwrap_or(Status::Submitted);
    let mut conn = state.db.acquire().await?;

    let mut counts = SqlBuilder::new("SELECT i.status, COUNT(*) AS n FROM initiatives i");
    push_scope(&mut counts, &signed);
    counts.push(" GROUP BY i.status");
    let rows: Vec<CountRow> = db::fetch_all(&mut conn, &counts.sql, counts.values).await?;
    let by_status: HashMap<String, i64> = rows.into_iter().map(|r| (r.status, r.n)).collect();

    let mut items = SqlBuilder::new(
        "SELECT i.id, i.title, i.category, i.institution, i.status, i.version, i.created_at, \
         i.updated_at FROM initiatives i",
    );
    push_scope(&mut items, &signed);
    items.push(" AND i.status = ").bind(status.as_str());
    if let Some(institution) = query.institution.filter(|s| !s.is_empty()) {
        items.push(" AND i.institution = ").bind(institution);
    }
    if let Some(category) = query.category.filter(|s| !s.is_empty()) {
        items.push(" AND i.category = ").bind(category);
    }
    items.push(" ORDER BY i.updated_at, i.id LIMIT 500");
    let rows: Vec<QueueRow> = db::fetch_all(&mut conn, &items.sql, items.values).await?;

    Ok(Json(Queue {
        counts: Status::ALL
            .into_iter()
            .map(|s| StatusCount {
                status: s,
                count: by_status.get(s.as_str()).copied().unwrap_or(0) as u64,
            })
            .collect(),
        items: rows
            .into_iter()
            .map(|row| {
                Ok(QueueItem {
                    status: Status::parse(&row.status).ok_or_else(|| {
                        Error::Internal(format!("unknown status '{}'", row.status))
                    })?,
                    id: row.id,
                    title: row.title,
                    category: row.category,
                    institution: row.institution,
                    version: row.version,
                    created_at: timestamp(row.created_at),
                    updated_at: timestamp(row.updated_at),
                })
            })
            .collect::<Result<Vec<_>>>()?,
    }))
}

#[derive(sqlx::FromRow)]
struct SignupRow {
    id: Uuid,
    need_id: Option<Uuid>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    message: Option<String>,
    family: Option<String>,
    created_at: DateTime<Utc>,
}

async fn admin_view(ex: &mut impl Executor, row: ProposalRow) -> Result<AdminInitiative> {
    let status = row.status()?;
    let id = row.id;
    let (proposal, messages) = view_of(ex, row).await?;
    let signups: Vec<SignupRow> = db::fetch_all(
        ex,
        "SELECT id, need_id, contact_name, contact_email, contact_phone, message, family, created_at \
         FROM signups WHERE initiative_id = $1 AND NOT is_organiser ORDER BY created_at, id",
        args![id],
    )
    .await?;
    let signups = signups
        .into_iter()
        .map(|s| {
            let family = match s.family {
                Some(text) => Some(
                    serde_json::from_str::<Family>(&text)
                        .map_err(|e| Error::Internal(format!("stored family unreadable: {e}")))?,
                ),
                None => None,
            };
            Ok(SignupView {
                id: s.id,
                need_id: s.need_id,
                contact: ContactView {
                    name: s.contact_name.unwrap_or_default(),
                    email: s.contact_email,
                    phone: s.contact_phone,
                },
                message: s.message,
                family,
                created_at: timestamp(s.created_at),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let allowed_actions = status
        .allowed_actions()
        .into_iter()
        .filter(|a| a.actor() == Actor::Coordinator)
        .collect();
    let mail = crate::outbox::about(ex, id).await?;
    Ok(AdminInitiative {
        proposal,
        messages,
        allowed_actions,
        signups,
        mail,
    })
}

/// One initiative with the proposer's contact, the dialogue, the decisions
/// possible now and who joined.
#[utoipa::path(
    get,
    path = "/api/v1/admin/initiatives/{id}",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The initiative's id")),
    responses(
        (status = 200, body = AdminInitiative),
        NotSignedIn,
        (status = 404, description = "No such initiative for you", body = sammen_shared::ErrorBody),
        (status = 400, description = "A malformed parameter", body = sammen_shared::ErrorBody),
    )
)]
async fn read_initiative(
    State(state): State<AppState>,
    signed: Signed,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<AdminInitiative>> {
    let mut conn = state.db.acquire().await?;
    let row = visible(&mut conn, &signed, id).await?;
    Ok(Json(admin_view(&mut conn, row).await?))
}

/// Put a proposal right before publishing: its category, institution and
/// needs (an idea from the open meeting may come as "other", a proposer may
/// not know which institution it belongs to). Against the version seen;
/// audited with what it was before.
#[utoipa::path(
    put,
    path = "/api/v1/admin/initiatives/{id}/details",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The initiative's id")),
    request_body = ProposalDetails,
    responses(
        (status = 200, description = "Changed; the initiative now", body = AdminInitiative),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        SignedChangeRefused,
        (status = 404, description = "No such initiative for you", body = sammen_shared::ErrorBody),
        (status = 409, description = "Published already, or changed meanwhile; `current` says how it is now", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "Fields break the rules, or an institution that is not yours", body = sammen_shared::ErrorBody),
    )
)]
async fn put_right(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<ProposalDetails>,
) -> Result<Json<AdminInitiative>> {
    let (current, tenant) = {
        let mut conn = state.db.acquire().await?;
        let current = visible(&mut conn, &signed, id).await?;
        let tenant = tenant(&mut conn, &signed.municipality).await?;
        (current, tenant)
    };
    let (categories, institutions) = (tenant.category_slugs(), tenant.institution_slugs());
    let known = Known {
        categories: &categories,
        institutions: &institutions,
    };
    let details = body
        .value
        .parse(known)
        .map_err(|errors| Error::Validation(errors, lang.into()))?;
    // A coordinator moves it only among the institutions they see.
    if !signed.can_see(details.institution.as_deref()) {
        let mut errors = FieldErrors::new();
        errors.add("institution", FieldError::UnknownInstitution);
        return Err(Error::Validation(errors, lang.into()));
    }
    let status = current.status()?;
    if !matches!(status, Status::Submitted | Status::ChangesRequested) {
        return Err(Error::Stale {
            message: format!("A proposal that is {status} is put right before it is published."),
            current: Current {
                status,
                version: current.version,
            },
        });
    }
    let before = {
        let mut conn = state.db.acquire().await?;
        let needs: Vec<String> = needs_of(&mut conn, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .map(|n| n.title)
            .collect();
        json!({"category": current.category, "institution": current.institution, "needs": needs})
    };
    // The write comes first in the transaction (see `Db::begin`).
    let mut tx = state.db.begin().await?;
    let updated = db::execute(
        &mut tx,
        "UPDATE initiatives SET category = $1, institution = $2, version = version + 1, \
         updated_at = $3 WHERE id = $4 AND version = $5 AND status = $6",
        args![
            &details.category,
            details.institution.as_ref(),
            Utc::now(),
            id,
            body.value.version,
            status.as_str()
        ],
    )
    .await?;
    if updated == 0 {
        return Err(Error::Stale {
            message: "The proposal changed meanwhile. Reload it and try again.".into(),
            current: Current {
                status,
                version: current.version,
            },
        });
    }
    db::execute(
        &mut tx,
        "DELETE FROM needs WHERE initiative_id = $1",
        args![id],
    )
    .await?;
    insert_needs(&mut tx, id, &details.needs).await?;
    let after = json!({
        "category": details.category,
        "institution": details.institution,
        "needs": details.needs.iter().map(|n| n.title.clone()).collect::<Vec<_>>(),
    });
    audit::record(
        &mut tx,
        audit::Entry {
            before: Some(before),
            after: Some(after),
            ..signed.entry("put_right", "initiative", id)
        },
    )
    .await?;
    let row = proposal_by_id(&mut tx, &signed.municipality, id)
        .await?
        .ok_or_else(|| Error::not_found("The initiative is gone."))?;
    let view = admin_view(&mut tx, row).await?;
    tx.commit().await?;
    Ok(Json(view))
}

fn snapshot(status: Status, version: i64, title: &str, summary: &str) -> serde_json::Value {
    json!({"status": status.as_str(), "version": version, "title": title, "summary": summary})
}

/// Decide: publish (optionally editing title and summary), ask for changes,
/// decline with a reason, complete or archive — against the version seen.
#[utoipa::path(
    post,
    path = "/api/v1/admin/initiatives/{id}/decisions",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The initiative's id")),
    request_body = Decision,
    responses(
        (status = 200, description = "Decided; the initiative now", body = AdminInitiative),
        SignedChangeRefused,
        (status = 404, description = "No such initiative for you", body = sammen_shared::ErrorBody),
        (status = 409, description = "Not allowed from its state, or changed meanwhile; `current` says how it is now", body = sammen_shared::ErrorBody),
        (status = 422, description = "A message is missing or fields break the rules", body = sammen_shared::ErrorBody),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
    )
)]
async fn decide(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<Decision>,
) -> Result<Json<AdminInitiative>> {
    let decision = body.value;
    let mut errors = FieldErrors::new();
    let message = errors.check(
        "message",
        parse_optional_text(decision.message.as_deref(), text::OPTIONAL_BODY),
    );
    if decision.action.needs_message() && message.as_ref().is_some_and(Option::is_none) {
        errors.add("message", FieldError::Required);
    }
    let title = match decision.title.as_deref() {
        Some(raw) => errors.check("title", parse_text(raw, text::TITLE)),
        None => None,
    };
    let summary = match decision.summary.as_deref() {
        Some(raw) => errors.check("summary", parse_text(raw, text::BODY)),
        None => None,
    };
    if decision.action.actor() != Actor::Coordinator {
        errors.add("action", FieldError::OutOfRange { min: 0, max: 0 });
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors, lang.into()));
    }
    let message = message.flatten().unwrap_or_default();

    let current = {
        let mut conn = state.db.acquire().await?;
        visible(&mut conn, &signed, id).await?
    };
    let status = current.status()?;
    let next = status
        .apply(decision.action)
        .map_err(|illegal| Error::Stale {
            message: format!("You {illegal}."),
            current: Current {
                status,
                version: current.version,
            },
        })?;
    let edits_allowed = decision.action == Action::Publish;
    if !edits_allowed && (title.is_some() || summary.is_some()) {
        return Err(Error::bad_parameter(
            "Only publishing may edit the title and summary.",
        ));
    }
    let new_title = title.clone().unwrap_or_else(|| current.title.clone());
    let new_summary = summary.clone().unwrap_or_else(|| current.summary.clone());

    let now = Utc::now();
    let mut tx = state.db.begin().await?;
    let published_at = if next == Status::Published {
        Some(now)
    } else {
        None
    };
    let updated = db::execute(
        &mut tx,
        "UPDATE initiatives SET status = $1, version = version + 1, updated_at = $2, title = $3, \
         summary = $4, search_text = $5, published_at = COALESCE($6, published_at) \
         WHERE id = $7 AND version = $8 AND status = $9",
        args![
            next.as_str(),
            now,
            &new_title,
            &new_summary,
            search_text_of(
                &new_title,
                &new_summary,
                current.audience.as_deref(),
                &current.place_name,
                current.time_text.as_deref()
            ),
            published_at,
            id,
            decision.version,
            status.as_str()
        ],
    )
    .await?;
    if updated == 0 {
        let latest = proposal_by_id(&mut tx, &signed.municipality, id)
            .await?
            .ok_or_else(|| Error::not_found("There is no such initiative."))?;
        return Err(Error::Stale {
            message: format!(
                "Someone else decided first: it is now {} at version {}.",
                latest.status, latest.version
            ),
            current: Current {
                status: latest.status()?,
                version: latest.version,
            },
        });
    }
    if title.is_some() || summary.is_some() {
        audit::record(
            &mut tx,
            audit::Entry {
                before: Some(json!({"title": current.title, "summary": current.summary})),
                after: Some(json!({"title": new_title, "summary": new_summary})),
                ..signed.entry("edit", "initiative", id)
            },
        )
        .await?;
    }
    add_message(
        &mut tx,
        id,
        Author::Coordinator,
        &message,
        Some(decision.action),
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry {
            before: Some(snapshot(
                status,
                current.version,
                &current.title,
                &current.summary,
            )),
            after: Some(snapshot(
                next,
                current.version + 1,
                &new_title,
                &new_summary,
            )),
            ..signed.entry(decision.action.as_str(), "initiative", id)
        },
    )
    .await?;
    notify_proposer(
        &mut tx,
        &signed,
        &current,
        &new_title,
        Some(decision.action),
        &message,
        &state.config.public_url,
    )
    .await?;
    let row = visible(&mut tx, &signed, id).await?;
    let view = admin_view(&mut tx, row).await?;
    tx.commit().await?;
    Ok(Json(view))
}

async fn notify_proposer(
    ex: &mut impl Executor,
    signed: &Signed,
    initiative: &ProposalRow,
    title: &str,
    action: Option<Action>,
    message: &str,
    public_url: &str,
) -> Result<()> {
    let Some(email) = initiative.contact_email.as_deref() else {
        return Ok(());
    };
    let municipality: String = db::fetch_scalar(
        ex,
        "SELECT name FROM municipalities WHERE slug = $1",
        args![&signed.municipality],
    )
    .await?;
    let lang = ReaderLang::from_code(&initiative.lang).unwrap_or_default();
    let name = initiative.contact_name.as_deref().unwrap_or("");
    let link = mail_follow_link(ex, initiative, public_url).await?;
    let (subject, body) = mails::to_proposer(mails::ToProposer {
        lang,
        name,
        title,
        action,
        message,
        municipality: &municipality,
        link: &link,
    });
    outbox::enqueue(
        ex,
        outbox::Email {
            municipality: &signed.municipality,
            recipient: email,
            subject,
            body,
            kind: action.map(Action::as_str).unwrap_or("message"),
            subject_id: Some(initiative.id),
        },
    )
    .await
}

/// Write to the proposer without deciding; they are notified by email.
#[utoipa::path(
    post,
    path = "/api/v1/admin/initiatives/{id}/messages",
    tag = "admin",
    params(("id" = Uuid, Path, description = "The initiative's id")),
    request_body = NewMessage,
    responses(
        (status = 201, description = "Sent; the initiative now", body = AdminInitiative),
        SignedChangeRefused,
        (status = 404, description = "No such initiative for you", body = sammen_shared::ErrorBody),
        (status = 422, description = "An empty message", body = sammen_shared::ErrorBody),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
    )
)]
async fn write_to_proposer(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<NewMessage>,
) -> Result<(StatusCode, Json<AdminInitiative>)> {
    let mut errors = FieldErrors::new();
    let Some(message) = errors.check("body", parse_text(&body.value.body, text::BODY)) else {
        return Err(Error::Validation(errors, lang.into()));
    };
    let current = {
        let mut conn = state.db.acquire().await?;
        visible(&mut conn, &signed, id).await?
    };
    let mut tx = state.db.begin().await?;
    add_message(&mut tx, id, Author::Coordinator, &message, None).await?;
    let title = current.title.clone();
    notify_proposer(
        &mut tx,
        &signed,
        &current,
        &title,
        None,
        &message,
        &state.config.public_url,
    )
    .await?;
    let row = visible(&mut tx, &signed, id).await?;
    let view = admin_view(&mut tx, row).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
}
