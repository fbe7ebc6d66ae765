//! `POST …/offers`: a citizen offers what they can give — skills, tools,
//! weekly time, an area, languages — for coordinators to match later.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use sammen_shared::consent::ConsentForm;
use sammen_shared::offer::{NewOffer, OfferCreated};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::args;
use crate::db;
use crate::error::{Error, JsonBodyRefused, Result};
use crate::extract::{ApiPath, RequestLang};
use crate::idempotency::{self, Start};
use crate::mails;
use crate::outbox;
use crate::public_answers::PublicRead;
use crate::public_form::PublicForm;
use crate::state::AppState;
use crate::token;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(make_offer))
}

/// Offer help without a specific initiative. Seen only by the municipality's
/// coordinators.
#[utoipa::path(
    post,
    path = "/api/v1/municipalities/{municipality}/offers",
    tag = "public",
    params(
        ("municipality" = String, Path, description = "Slug, e.g. `nordfyns`"),
        ("Idempotency-Key" = Option<Uuid>, Header, description = "A UUID made by the client for this write"),
    ),
    request_body = sammen_shared::privacy::OfferForm,
    responses(
        (status = 201, description = "Offered; keep the private token", body = OfferCreated),
        (status = 400, description = "Not JSON, or a malformed key", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such municipality", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "Fields to correct, or the form looked automated (`spam_suspected`, `too_fast`)", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too many writes; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn make_offer(
    State(state): State<AppState>,
    ApiPath(municipality): ApiPath<String>,
    RequestLang(lang): RequestLang,
    read: PublicRead,
    form: PublicForm<NewOffer>,
) -> Result<Response> {
    let (_, tenant) = state.public.tenant(&state.db, &municipality, &read).await?;
    let consent = form.screen(ConsentForm::Offer, state.config.min_fill_ms, lang)?;
    let offer = form
        .value
        .parse(&tenant.institution_slugs())
        .map_err(|errors| Error::Validation(errors, lang))?;

    // Without a point of its own, the institution's (where the admin set
    // one).
    let point = offer
        .area
        .point
        .or_else(|| tenant.institution_point(offer.institution.as_deref()));
    let id = Uuid::new_v4();
    let created = OfferCreated {
        id,
        private_token: token::generate(),
    };
    let mut write = match form
        .start_answered(&state.db, StatusCode::CREATED, &created)
        .await?
    {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(write) => write,
    };
    let private_token = &created.private_token;

    db::execute_later(
        &mut write.tx,
        "INSERT INTO offers (id, municipality, institution, contact_name, contact_email, \
         contact_phone, skills, tools, slots, languages, area_name, lat, lon, radius_km, note, \
         created_at, consent_version, private_token_hash, lang) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $19)",
        args![
            id,
            &municipality,
            offer.institution.as_ref(),
            &offer.contact.name,
            offer.contact.email.as_ref(),
            offer.contact.phone.as_ref(),
            serde_json::to_string(&offer.skills)?,
            serde_json::to_string(&offer.tools)?,
            serde_json::to_string(&offer.slots)?,
            serde_json::to_string(&offer.languages)?,
            &offer.area.name,
            point.map(|p| p.lat),
            point.map(|p| p.lon),
            offer.area.radius_km,
            offer.note.as_ref(),
            Utc::now(),
            consent,
            token::hash(private_token),
            // An invitation to help, later, follows this mail's language.
            lang.code(),
        ],
    )
    .await?;
    // The private link the consent text promises, by email when there is one.
    if let Some(email) = offer.contact.email.as_deref() {
        let link = outbox::my_data_link(&state.config.public_url, private_token);
        let (subject, body) = mails::to_offerer(lang, &offer.contact.name, &tenant.name, &link);
        outbox::enqueue(
            &mut write.tx,
            outbox::Email {
                municipality: &municipality,
                recipient: email,
                subject,
                body,
                kind: "offer_link",
                subject_id: Some(id),
            },
        )
        .await?;
    }
    idempotency::finish_answered(write).await
}
