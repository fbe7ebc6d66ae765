//! `GET /api/v1/municipalities/{municipality}`: what the widget needs to know
//! about a tenant — its institutions and categories. Kept in memory under
//! the municipality's public version (`public_answers.rs`).

use axum::extract::State;
use axum::response::Response;
use sammen_shared::municipality::MunicipalityView;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::Result;
use crate::extract::ApiPath;
use crate::municipality::tenant;
use crate::public_answers::PublicRead;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read_municipality))
}

/// A municipality: its name, institutions and categories.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{municipality}",
    tag = "public",
    params(("municipality" = String, Path, description = "Slug, e.g. `billund`")),
    responses(
        (status = 200, body = MunicipalityView, description = "The municipality, with a weak `ETag` and `Cache-Control: public, no-cache`"),
        (status = 304, description = "Not modified: the `ETag` sent in `If-None-Match` is current"),
        (status = 404, description = "No such municipality", body = sammen_shared::ErrorBody),
    )
)]
async fn read_municipality(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    read: PublicRead,
) -> Result<Response> {
    state
        .public
        .answer(&state.db, &slug, read, "tenant".into(), || async {
            let mut conn = state.db.acquire().await?;
            let tenant = tenant(&mut conn, &slug).await?;
            Ok(MunicipalityView {
                slug: tenant.slug,
                name: tenant.name,
                institutions: tenant.institutions,
                categories: tenant.categories,
            })
        })
        .await
}
