//! `/metrics`: on the internal listener of `SAMMEN_METRICS_ADDR`, or on the
//! main address to a bearer token (`metrics.rs` counts; this serves).

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use subtle::ConstantTimeEq;

use crate::error::{Error, Result};
use crate::state::AppState;

/// `/metrics` alone, for the internal listener of `SAMMEN_METRICS_ADDR`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(expose))
        .with_state(state)
}

/// `/metrics` on the main address, for `Authorization: Bearer <SAMMEN_METRICS_TOKEN>`.
pub async fn expose_to_token(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response> {
    let expected = state.config.metrics_token.as_deref().unwrap_or_default();
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if expected.is_empty() || !bool::from(sent.as_bytes().ct_eq(expected.as_bytes())) {
        return Err(Error::unauthorized(
            "The metrics need `Authorization: Bearer <SAMMEN_METRICS_TOKEN>`.",
        ));
    }
    expose(State(state)).await
}

/// The metrics, in the Prometheus text format.
pub async fn expose(State(state): State<AppState>) -> Result<Response> {
    crate::metrics::render(&state.metrics, &state.db).await
}
