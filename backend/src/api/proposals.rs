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
use crate::outbox;
use crate::proposal::{mint_follow_link, page_on_allowed_site};
use crate::public_answers::PublicRead;
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
    read: PublicRead,
    form: PublicForm<NewInitiative>,
) -> Result<Response> {
    let (version, tenant) = state.public.tenant(&state.db, &municipality, &read).await?;
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
    let page = page_on_allowed_site(
        &state.public,
        &state.db,
        (&municipality, version),
        &state.config.public_url,
        form.value.page.as_deref(),
    )
    .await?;
    // Without a point of its own, the institution's (where the admin set
    // one).
    let point = proposal
        .place
        .point
        .or_else(|| tenant.institution_point(proposal.institution.as_deref()));
    // Ordered by time: a proposal's rows then land at the end of each
    // index on the id, not on a random page of it, so a batch of writes
    // dirties — and copies into the WAL at its COMMIT — a few pages.
    let id = Uuid::now_v7();
    let follow_token = token::generate();
    let created = ProposalCreated {
        id,
        status: Status::Submitted,
        follow_token,
    };
    let mut write = match form
        .start_answered(&state.db, StatusCode::CREATED, &created)
        .await?
    {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(write) => write,
    };
    insert_initiative(
        &mut write.tx,
        &Proposed {
            id,
            municipality: &municipality,
            proposal: &proposal,
            reader,
            point,
            follow_token_hash: &token::hash(&created.follow_token),
            consent: &consent,
            page: page.as_deref(),
        },
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
    idempotency::finish_answered(write).await
}

/// A proposal as it is stored: the form and what the server adds to it.
struct Proposed<'a> {
    id: Uuid,
    municipality: &'a str,
    proposal: &'a Proposal,
    reader: ReaderLang,
    point: Option<GeoPoint>,
    follow_token_hash: &'a str,
    consent: &'a str,
    page: Option<&'a str>,
}

async fn insert_initiative(ex: &mut impl Executor, row: &Proposed<'_>) -> Result<()> {
    let Proposed {
        id,
        municipality,
        proposal,
        reader,
        point,
        follow_token_hash,
        consent,
        page,
    } = *row;
    let now = Utc::now();
    db::execute_later(
        ex,
        "INSERT INTO initiatives (id, municipality, institution, category, title, summary, \
         audience, place_name, lat, lon, time_text, search_text, status, version, lang, \
         contact_name, contact_email, contact_phone, follow_token_hash, created_at, updated_at, \
         consent_version, page_url) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19, $20, $20, $21, $22)",
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
            consent,
            page,
        ],
    )
    .await?;
    insert_needs(ex, id, &proposal.needs).await?;
    Ok(())
}
