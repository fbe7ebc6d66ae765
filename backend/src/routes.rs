//! The application's router: every HTTP module's routes, the OpenAPI
//! document generated from their annotations, the static files and the
//! middleware around them (CORS, write limits, metrics).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sammen_shared::ErrorCode;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::error::Error;
use crate::state::AppState;
use crate::{admin, api};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sammen API",
        description = "Citizen dialogue for municipalities: initiatives citizens run, offers of help, \
                       signups, and the proposer's follow link. Errors are \
                       `{\"error\": {\"code\", \"message\", \"fields\"}}`; field messages follow \
                       `Accept-Language` (Danish by default).",
    ),
    tags(
        (name = "public", description = "What citizens do through the widget"),
        (name = "follow", description = "The proposer's private follow link"),
        (name = "privacy", description = "A citizen's private link (follow token, or a signup's or offer's private token): download or delete your data"),
        (name = "admin", description = "Coordinators: sign-in, moderation, audit (session cookie + X-CSRF-Token)"),
        (name = "operations", description = "Health checks"),
    ),
    modifiers(&LinkTokenScheme)
)]
struct ApiDoc;

struct LinkTokenScheme;

impl Modify for LinkTokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "follow_token",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        components.add_security_scheme(
            "meeting_token",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        components.add_security_scheme(
            "invitation_token",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        components.add_security_scheme(
            "group_token",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The API routes and their OpenAPI document: every router of `api/` and
/// `admin/`, mounted here and nowhere else.
pub fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(api::health::router())
        .merge(api::municipalities::router())
        .merge(api::initiatives::router())
        .merge(api::proposals::router())
        .merge(api::signups::router())
        .merge(api::offers::router())
        .merge(api::follow::router())
        .merge(api::invitation::router())
        .merge(api::organiser::router())
        .merge(api::organiser_groups::router())
        .merge(api::co_organisers::router())
        .merge(api::groups::roster::router())
        .merge(api::groups::dates::router())
        .merge(api::groups::messages::router())
        .merge(api::groups::invites::router())
        .merge(api::groups::links::router())
        .merge(api::groups::calendar::router())
        .merge(api::groups::check_ins::router())
        .merge(api::meetings::router())
        .merge(api::privacy::router())
        .merge(admin::session::router())
        .merge(admin::moderation::router())
        .merge(admin::audit_log::router())
        .merge(admin::settings::router())
        .merge(admin::offers::router())
        .merge(admin::coordinators::router())
        .merge(admin::embedding::router())
        .merge(admin::matching::router())
        .merge(admin::groups::router())
        .merge(admin::meetings::router())
        .merge(admin::stats::router())
        .merge(admin::privacy::router())
        .split_for_parts()
}

/// The whole application router, state applied.
pub fn router(state: AppState) -> Router {
    let (routes, openapi) = routes();
    let static_files = crate::web::router(&state.config.static_dir);
    let document: Arc<str> = openapi.to_json().unwrap_or_else(|_| "{}".into()).into();
    // Metrics are not public: on the main address only to a bearer token.
    let routes = if state.config.metrics_token.is_some() {
        routes.route("/metrics", get(api::metrics::expose_to_token))
    } else {
        routes
    };
    routes
        .route(
            "/api/openapi.json",
            get(move || {
                let document = document.clone();
                async move {
                    (
                        [(
                            header::CONTENT_TYPE,
                            HeaderValue::from_static("application/json"),
                        )],
                        document.to_string(),
                    )
                }
            }),
        )
        .merge(static_files)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(state.clone(), checks))
        .with_state(state)
}

/// What every request passes through on its way to a route, outermost
/// first: the metrics, CORS, the write limits and the body's announced
/// size. In one layer: every layer costs every request a clone of the
/// service below it and a boxed future, and a kept public read is only a
/// few microseconds in all.
async fn checks(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let arrival = crate::metrics::Arrival::of(&request);
    // The limits sit inside CORS so that a widget on the municipality's
    // own site can read its 429 (and Retry-After) and say "wait a moment"
    // instead of "no connection".
    let limits = &state.limits;
    let response = crate::cors::cors(&state, request, move |request| async move {
        match crate::limits::refusal(limits, &request) {
            Some(refused) => refused,
            None => crate::oversized::refuse(request, |request| next.run(request)).await,
        }
    })
    .await;
    arrival.answered(&state.metrics, &response);
    response
}

async fn not_found() -> Error {
    Error::refused(ErrorCode::NotFound, &crate::said::NOTHING_HERE)
}

async fn method_not_allowed() -> Response {
    Error::refused(ErrorCode::MethodNotAllowed, &crate::said::WRONG_METHOD).into_response()
}
