//! `POST …/initiatives/{id}/signups`: a citizen joins a published initiative,
//! optionally for one of its needs; a playdate group is joined as a family.

use crate::said;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use sammen_shared::consent::ConsentForm;
use sammen_shared::signup::{NewSignup, SignupCreated};
use sammen_shared::status::Status;
use sammen_shared::ErrorCode;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::args;
use crate::db;
use crate::error::{Error, JsonBodyRefused, Result};
use crate::extract::{ApiPath, RequestLang};
use crate::idempotency::{self, Start};
use crate::initiative::public_initiative;
use crate::mails;
use crate::municipality::municipality_name;
use crate::outbox;
use crate::public_form::PublicForm;
use crate::state::AppState;
use crate::token;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(sign_up))
}

/// Join a published initiative. The contact is seen only by its coordinator.
#[utoipa::path(
    post,
    path = "/api/v1/municipalities/{municipality}/initiatives/{id}/signups",
    tag = "public",
    params(
        ("municipality" = String, Path, description = "Slug, e.g. `billund`"),
        ("id" = Uuid, Path, description = "The initiative's id"),
        ("Idempotency-Key" = Option<Uuid>, Header, description = "A UUID made by the client for this write"),
    ),
    request_body = sammen_shared::privacy::SignupForm,
    responses(
        (status = 201, description = "Joined; keep the private token", body = SignupCreated),
        (status = 400, description = "Not JSON, or a malformed id or key", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such public initiative", body = sammen_shared::ErrorBody),
        (status = 409, description = "The initiative has ended", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
        (status = 422, description = "Fields to correct, or the form looked automated (`spam_suspected`, `too_fast`)", body = sammen_shared::ErrorBody),
        (status = 429, description = "Too many writes; see Retry-After", body = sammen_shared::ErrorBody),
    )
)]
async fn sign_up(
    State(state): State<AppState>,
    ApiPath((municipality, id)): ApiPath<(String, Uuid)>,
    RequestLang(lang): RequestLang,
    form: PublicForm<NewSignup>,
) -> Result<Response> {
    let (initiative, need_ids) = {
        let mut conn = state.db.acquire().await?;
        municipality_name(&mut conn, &municipality).await?;
        let initiative = public_initiative(&mut conn, &municipality, id).await?;
        let need_ids: Vec<Uuid> = db::fetch_scalars(
            &mut conn,
            "SELECT id FROM needs WHERE initiative_id = $1",
            args![id],
        )
        .await?;
        (initiative, need_ids)
    };
    if initiative.status()? != Status::Published {
        return Err(Error::refused(ErrorCode::Conflict, &said::INITIATIVE_ENDED));
    }
    let consent = form.screen(ConsentForm::Signup, state.config.min_fill_ms, lang)?;
    let signup = form
        .value
        .parse(&initiative.category, &need_ids)
        .map_err(|errors| Error::Validation(errors, lang))?;

    let mut write = match form.start(&state.db).await? {
        Start::Replay(response) => return Ok(response),
        Start::Fresh(write) => write,
    };
    let signup_id = Uuid::new_v4();
    let private_token = token::generate();
    let family = signup
        .family
        .as_ref()
        .map(serde_json::to_string)
        .transpose()?;
    db::execute(
        &mut write.tx,
        "INSERT INTO signups (id, initiative_id, need_id, contact_name, contact_email, \
         contact_phone, message, family, created_at, consent_version, private_token_hash, \
         organiser_sees, lang) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        args![
            signup_id,
            id,
            signup.need_id,
            &signup.contact.name,
            signup.contact.email.as_ref(),
            signup.contact.phone.as_ref(),
            signup.message.as_ref(),
            family,
            Utc::now(),
            consent,
            token::hash(&private_token),
            signup.organiser_sees.as_str(),
            // Later mail (the group's link, reminders) follows this one.
            lang.code(),
        ],
    )
    .await?;
    // The private link the consent text promises, by email when there is one.
    if let Some(email) = signup.contact.email.as_deref() {
        let need: Option<String> = match signup.need_id {
            Some(need) => db::fetch_scalars(
                &mut write.tx,
                "SELECT title FROM needs WHERE id = $1",
                args![need],
            )
            .await?
            .pop(),
            None => None,
        };
        let link = outbox::my_data_link(&state.config.public_url, &private_token);
        let (subject, body) = mails::to_joiner(
            lang,
            &signup.contact.name,
            &initiative.title,
            need.as_deref(),
            signup.organiser_sees,
            &link,
        );
        outbox::enqueue(
            &mut write.tx,
            outbox::Email {
                municipality: &municipality,
                recipient: email,
                subject,
                body,
                kind: "signup_link",
                subject_id: Some(id),
            },
        )
        .await?;
    }
    let created = SignupCreated {
        id: signup_id,
        initiative_id: id,
        need_id: signup.need_id,
        private_token,
    };
    idempotency::finish(write, StatusCode::CREATED, &created).await
}
