//! CORS for the widget: a page may call the API of a municipality only from
//! an origin that municipality allows (table `allowed_origins`), or from this
//! server's own pages. Follow links carry no municipality in their path, so
//! they accept any origin that some municipality allows; so do private links
//! (`/api/v1/privacy/…`), which delete with DELETE.
//!
//! A refusal is counted for the admin (`refused_origins.rs`). A refused
//! simple request (the widget's first GET) may read its 403 — it says only
//! that the page is not allowed — so the widget can tell the citizen so
//! instead of showing an empty box. The widget's own files (`/widget/…`)
//! load from any page: see `web.rs`. The answer for a municipality's origin
//! is kept per public version (`public_answers.rs`), which every change to
//! its allowed sites bumps.

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use sammen_shared::ErrorCode;

use crate::error::Error;
use crate::municipality;
use crate::public_answers::PublicVersion;
use crate::state::AppState;

const ALLOWED_METHODS: &str = "GET, POST, PUT, DELETE";
const ALLOWED_HEADERS: &str = "content-type, idempotency-key, authorization, accept-language";
const EXPOSED_HEADERS: &str = "idempotent-replayed, retry-after, link";

/// Checks the `Origin` of API requests and answers preflights.
pub async fn cors<F, Fut>(state: &AppState, mut request: Request, next: F) -> Response
where
    F: FnOnce(Request) -> Fut,
    Fut: std::future::Future<Output = Response>,
{
    // Most requests carry no `Origin` (same-site pages, CDNs, servers):
    // they pass without an allocation.
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|_| request.uri().path().starts_with("/api/v1/"))
        .map(str::to_string);
    let Some(origin) = origin else {
        return next(request).await;
    };
    let path = request.uri().path().to_string();
    if is_same_origin(&origin, request.headers()) {
        return next(request).await;
    }
    let preflight = request.method() == Method::OPTIONS;
    let municipality = crate::tenant::municipality_in_path(&path);
    let allowed = match municipality.as_deref() {
        Some(municipality) => {
            // The municipality's public version says whether it exists and
            // keys the answer for this origin (a change to the allowed sites
            // bumps it); the handler reuses it rather than read it again.
            match state.public.version(&state.db, municipality).await {
                Ok(Some(version)) => {
                    request.extensions_mut().insert(PublicVersion {
                        municipality: municipality.to_string(),
                        version,
                    });
                    state
                        .public
                        .site_allowed(&state.db, municipality, version, &origin)
                        .await
                }
                // A misspelt `data-municipality` is no refusal to count: say
                // that there is no such municipality.
                Ok(None) => return unknown_municipality(&origin, municipality, !preflight),
                Err(error) => Err(error),
            }
        }
        None => municipality::allows_origin(&state.db, &origin, None).await,
    };
    match allowed {
        Ok(true) => {}
        Ok(false) => {
            if let Some(municipality) = municipality.as_deref() {
                state.refused.count(municipality, &origin);
            }
            tracing::info!(%origin, municipality = municipality.as_deref(), "refused: not an allowed site");
            return forbidden(&origin, !preflight);
        }
        Err(error) => return error.into_response(),
    }
    let mut response = if preflight {
        let mut response = StatusCode::NO_CONTENT.into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(ALLOWED_METHODS),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(ALLOWED_HEADERS),
        );
        headers.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        response
    } else {
        next(request).await
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&origin) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSED_HEADERS),
    );
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
    response
}

/// The refusal; `readable` lets the calling page read it (no preflight).
fn forbidden(origin: &str, readable: bool) -> Response {
    let response = Error::refused_with(
        ErrorCode::OriginNotAllowed,
        &crate::said::ORIGIN_NOT_ALLOWED,
        &[("origin", &origin)],
    )
    .into_response();
    readable_by(origin, readable, response)
}

/// The answer for a municipality that does not exist; `readable` as for
/// [`forbidden`].
fn unknown_municipality(origin: &str, municipality: &str, readable: bool) -> Response {
    let refused = Error::refused_with(
        ErrorCode::NotFound,
        &crate::said::UNKNOWN_EMBEDDED_MUNICIPALITY,
        &[("municipality", &municipality)],
    );
    readable_by(origin, readable, refused.into_response())
}

/// Lets the page on `origin` read `response` when `readable`.
fn readable_by(origin: &str, readable: bool, mut response: Response) -> Response {
    if readable {
        if let Ok(value) = HeaderValue::from_str(origin) {
            let headers = response.headers_mut();
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
            headers.append(header::VARY, HeaderValue::from_static("Origin"));
        }
    }
    response
}

/// Browsers send `Origin` on same-origin POSTs too; those are our own pages.
fn is_same_origin(origin: &str, headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        == Some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_our_own_origin() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(is_same_origin("http://127.0.0.1:8080", &headers));
        assert!(!is_same_origin("http://evil.example", &headers));
    }
}
