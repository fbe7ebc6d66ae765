//! `POST …/initiatives`: a citizen proposes an initiative they will run. It
//! starts as `submitted`, invisible to the public, and the answer carries the
//! private follow token — shown once, stored only as a hash.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use sammen_shared::consent::ConsentForm;
use sammen_shared::geo::GeoPoint;
use sammen_shared::initiative::{Known, NewInitiative, Proposal, ProposalCreated};
use sammen_shared::status::Status;
use sammen_shared::ReaderLang;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::args;
use crate::db::{self, Executor};
use crate::error::{Error, JsonBodyRefused, Result};
use crate::extract::{ApiPath, RequestLang};
use crate::idempotency::{self, Start};
use crate::initiative::{insert_needs, search_text};
use crate::mails;
use crate::municipality::{institution_point, tenant};
use crate::outbox;
use crate::proposal::{mint_follow_link, page_on_allowed_site};
use crate::public_form::PublicForm;
use crate::state::AppState;
use crate::token;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(propose_initiative))
}

/// Propose an initiative you will run. Send an `Idempotency-Key` (UUID) so a
/// retry returns the first answer instead of proposing twice.
#[utoipa::path(
    post,
    path = "/api/v1/municipalities/{municipality}/initiatives",
    tag = "public",
    params(
        ("municipality" = String, Path, description = "Slug, e.g. `billund`"),
        ("Idempotency-Key" = Option<Uuid>, Header, description = "A UUID made by the client for this write"),
    ),
    request_body = sammen_shared::privacy::ProposalForm,
    responses(
        (status = 201, description = "Proposed; keep the follow token", body = ProposalCreated),
        (status = 400, description = "Not JSON, or a malformed Idempotency-Key", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such municipality", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "Fields to correct, the key was used for another request, or the form looked automated (`spam_suspected`, `too_fast`)", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too many writes; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn propose_initiative(
    State(state): State<AppState>,
    ApiPath(municipality): ApiPath<String>,
    RequestLang(lang): RequestLang,
    form: PublicForm<NewInitiative>,
) -> Result<Response> {
    let tenant = {
        let mut conn = state.db.acquire().await?;
        tenant(&mut conn, &municipality).await?
    };
    let consent = form.screen(ConsentForm::Propose, state.config.min_fill_ms, lang)?;

    let (categories, institutions) = (tenant.category_slugs(), tenant.institution_slugs());
    let known = Known {
        categories: &categories,
        institutions: &institutions,
    };
    let proposal = form
        .value
        .parse(known)
        .map_err(|errors| Error::Validation(errors, lang))?;
    let reader = mails::proposer_lang(form.value.lang, lang);

    // Read before the write's transaction, whose first statement must be a
    // write (see `Db::begin`).
    let (page, point) = {
        let mut conn = state.db.acquire().await?;
        let page = page_on_allowed_site(
            &mut conn,
            &municipality,
            &state.config.public_url,
            form.value.page.as_deref(),
        )
        .await?;
        // Without a point of its own, the institution's (where the admin
        // set one).
        let point = match proposal.place.point {
            Some(point) => Some(point),
            None => {
                institution_point(&mut conn, &municipality, proposal.institution.as_deref()).await?
            }
        };
        (page, point)
    };
    let mut write = match form.start(&state.db).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(write) => write,
    };
    let id = Uuid::new_v4();
    let follow_token = token::generate();
    insert_initiative(
        &mut write.tx,
        id,
        &municipality,
        &proposal,
        reader,
        point,
        &token::hash(&follow_token),
    )
    .await?;
    db::execute(
        &mut write.tx,
        "UPDATE initiatives SET consent_version = $1, page_url = $2 WHERE id = $3",
        args![consent, page.as_deref(), id],
    )
    .await?;
    // A confirmation with a follow link of its own: on a shared computer
    // the widget forgets the link, and the email brings her back.
    if let Some(email) = proposal.contact.email.as_deref() {
        let link = mint_follow_link(
            &mut write.tx,
            id,
            &municipality,
            page.as_deref(),
            &state.config.public_url,
        )
        .await?;
        let (subject, body) = mails::to_new_proposer(
            reader,
            &proposal.contact.name,
            &proposal.title,
            &tenant.name,
            &link,
        );
        outbox::enqueue(
            &mut write.tx,
            outbox::Email {
                municipality: &municipality,
                recipient: email,
                subject,
                body,
                kind: "proposal_received",
                subject_id: Some(id),
            },
        )
        .await?;
    }
    let created = ProposalCreated {
        id,
        status: Status::Submitted,
        follow_token,
    };
    idempotency::finish(write, StatusCode::CREATED, &created).await
}

async fn insert_initiative(
    ex: &mut impl Executor,
    id: Uuid,
    municipality: &str,
    proposal: &Proposal,
    reader: ReaderLang,
    point: Option<GeoPoint>,
    follow_token_hash: &str,
) -> Result<()> {
    let now = Utc::now();
    db::execute(
        ex,
        "INSERT INTO initiatives (id, municipality, institution, category, title, summary, \
         audience, place_name, lat, lon, time_text, search_text, status, version, lang, \
         contact_name, contact_email, contact_phone, follow_token_hash, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19, $20, $20)",
        args![
            id,
            municipality,
            proposal.institution.as_ref(),
            &proposal.category,
            &proposal.title,
            &proposal.summary,
            proposal.audience.as_ref(),
            &proposal.place.name,
            point.map(|p| p.lat),
            point.map(|p| p.lon),
            proposal.when.as_ref(),
            search_text(proposal),
            Status::Submitted.as_str(),
            1i64,
            reader.code(),
            &proposal.contact.name,
            proposal.contact.email.as_ref(),
            proposal.contact.phone.as_ref(),
            follow_token_hash,
            now,
        ],
    )
    .await?;
    insert_needs(ex, id, &proposal.needs).await?;
    Ok(())
}
