//! `GET /api/v1/admin/offers`: the offers of help citizens made, for the
//! coordinators who find volunteers among them.

use axum::extract::State;
use axum::Json;
use sammen_shared::admin::OfferView;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::admin::scope::visible_offers;
use crate::admin::signed::Signed;
use crate::error::{NotSignedIn, Result};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_offers))
}

/// Offers of help, newest first: all of the municipality's for an admin;
/// for a coordinator, those made through their institutions or none.
#[utoipa::path(
    get,
    path = "/api/v1/admin/offers",
    tag = "admin",
    responses(
        (status = 200, body = Vec<OfferView>),
        NotSignedIn,
    )
)]
async fn list_offers(
    State(state): State<AppState>,
    signed: Signed,
) -> Result<Json<Vec<OfferView>>> {
    let mut conn = state.db.acquire().await?;
    visible_offers(&mut conn, &signed, Some(1000))
        .await
        .map(Json)
}
