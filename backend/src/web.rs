//! The static side: the built widget at `/widget/…` (pre-compressed, cached
//! forever when the file name carries a content hash) and the demo pages at
//! `/demo` (a plain municipal page) and `/demo/hostile` (hostile CSS), the
//! coordinator console at `/console` (its own bundle under `/console/assets/`)
//! and the landing page of a group member's private link at `/group`. The
//! small pages' words are JSON files under each page's `lang/`.

use crate::said;
use sammen_shared::ErrorCode;
use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::Error;

/// Routes for the widget files and demo pages under `static_dir`
/// (`frontend/` of the repository: `dist/` is the built widget, `demo/` the
/// demo pages).
pub fn router<S: Clone + Send + Sync + 'static>(static_dir: &Path) -> Router<S> {
    let widget = ServeDir::new(static_dir.join("dist"))
        .precompressed_br()
        .precompressed_gzip();
    let demo = static_dir.join("demo");
    let group = static_dir.join("group");
    let meeting = static_dir.join("meeting");
    let invitation = static_dir.join("invitation");
    let organiser = static_dir.join("organiser");
    let my_data = static_dir.join("my-data");
    let embed = static_dir.join("embed");
    // The coordinator console is its own bundle, built into `console/dist/`.
    let console = static_dir.join("console").join("dist");
    let console_assets = ServeDir::new(&console)
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .nest_service("/widget", widget)
        .route_service("/console", ServeFile::new(console.join("index.html")))
        .nest_service("/console/assets", console_assets)
        .route_service("/demo", ServeFile::new(demo.join("index.html")))
        .route_service("/demo/hostile", ServeFile::new(demo.join("hostile.html")))
        // The console's live preview of the embed tag, in a frame.
        .route_service("/embed/preview", ServeFile::new(embed.join("preview.html")))
        .route_service(
            "/embed/preview.js",
            ServeFile::new(embed.join("preview.js")),
        )
        // A follow link sent by email where no municipality page points at
        // it (an idea chosen at an open meeting).
        .route_service("/follow", ServeFile::new(embed.join("follow.html")))
        // A group member's private link lands here until the group space
        // exists in the widget.
        .route_service("/group", ServeFile::new(group.join("index.html")))
        .route_service("/group/group.js", ServeFile::new(group.join("group.js")))
        .route_service("/group/group.css", ServeFile::new(group.join("group.css")))
        .route_service("/group/i18n.js", ServeFile::new(group.join("i18n.js")))
        .route_service("/group/key.js", ServeFile::new(group.join("key.js")))
        .route_service(
            "/group/languages.js",
            ServeFile::new(group.join("languages.js")),
        )
        .route_service("/group/join", ServeFile::new(group.join("join.html")))
        .route_service("/group/join.js", ServeFile::new(group.join("join.js")))
        // A volunteer answers an invitation from its email here.
        .route_service("/invitation", ServeFile::new(invitation.join("index.html")))
        .route_service(
            "/invitation/invitation.js",
            ServeFile::new(invitation.join("invitation.js")),
        )
        // The organiser's page behind the follow link.
        .route_service("/organiser", ServeFile::new(organiser.join("index.html")))
        .route_service(
            "/organiser/organiser.js",
            ServeFile::new(organiser.join("organiser.js")),
        )
        // A citizen's own data behind the private link of a signup, an offer
        // or a proposal.
        .route_service("/my-data", ServeFile::new(my_data.join("index.html")))
        .route_service(
            "/my-data/my-data.js",
            ServeFile::new(my_data.join("my-data.js")),
        )
        // The open meeting: phones at /meeting, the projector at
        // /meeting/projector; small pages of their own, no widget needed.
        .route_service("/meeting", ServeFile::new(meeting.join("index.html")))
        .route_service(
            "/meeting/projector",
            ServeFile::new(meeting.join("projector.html")),
        )
        .route_service(
            "/meeting/meeting.css",
            ServeFile::new(meeting.join("meeting.css")),
        )
        .route_service(
            "/meeting/common.js",
            ServeFile::new(meeting.join("common.js")),
        )
        .route_service(
            "/meeting/phone.js",
            ServeFile::new(meeting.join("phone.js")),
        )
        .route_service(
            "/meeting/projector.js",
            ServeFile::new(meeting.join("projector.js")),
        )
        // Each page's words, one JSON file per language (`lang/da.json`,
        // `lang/ar.json`; the group's `lang/languages.json` lists them).
        .nest_service("/group/lang", ServeDir::new(group.join("lang")))
        .nest_service("/meeting/lang", ServeDir::new(meeting.join("lang")))
        .nest_service("/invitation/lang", ServeDir::new(invitation.join("lang")))
        .nest_service("/organiser/lang", ServeDir::new(organiser.join("lang")))
        .nest_service("/my-data/lang", ServeDir::new(my_data.join("lang")))
        .layer(middleware::from_fn(cache_and_errors))
}

/// Long cache for content-hashed files (their name changes with their
/// content), a short one for the stable loader and pages; JSON 404s. The
/// widget's files load from any page.
async fn cache_and_errors(request: Request, next: Next) -> Response {
    let hashed = is_content_hashed(request.uri().path());
    let widget = request.uri().path().starts_with("/widget/");
    // By path, not by content type: a 304 has none, and the browser would
    // apply the API's `default-src 'none'` to the cached page.
    let page = matches!(
        request.uri().path(),
        "/demo"
            | "/demo/hostile"
            | "/console"
            | "/group"
            | "/group/join"
            | "/invitation"
            | "/organiser"
            | "/my-data"
            | "/follow"
            | "/meeting"
            | "/meeting/projector"
    );
    let preview = request.uri().path() == "/embed/preview";
    let mut response = next.run(request).await;
    if response.status() == StatusCode::NOT_FOUND {
        response = Error::refused(ErrorCode::NotFound, &said::NOTHING_HERE).into_response();
    }
    if widget {
        embeddable_anywhere(response.headers_mut());
    }
    if response.status() == StatusCode::NOT_FOUND {
        return response;
    }
    if response.status().is_success() {
        let cache = if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "public, max-age=300"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    if page {
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(PAGE_POLICY),
        );
    }
    if preview {
        // Framed by the console (same origin), by nobody else.
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(PREVIEW_POLICY),
        );
        headers.insert(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("SAMEORIGIN"),
        );
    }
    response
}

/// A module script and the wasm it fetches load in CORS mode, from the
/// municipality's page: the widget's files are public, the same for every
/// page, and sent without credentials, so any origin may read them (`*`, not
/// the allow-list: the API keeps that). `Cross-Origin-Resource-Policy` lets
/// them load into host pages that isolate themselves (COEP).
fn embeddable_anywhere(headers: &mut axum::http::HeaderMap) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
    // Lets a host page's performance tools see the widget's load times.
    headers.insert(
        HeaderName::from_static("timing-allow-origin"),
        HeaderValue::from_static("*"),
    );
}

/// The pages' Content-Security-Policy: scripts only from this server (no
/// inline script; wasm may compile), styles from here or the widget's own
/// `<style>` in its shadow root, API calls only to this server, and no
/// framing by other sites.
pub const PAGE_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/// [`PAGE_POLICY`], except that the console may frame it.
pub const PREVIEW_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     frame-ancestors 'self'; base-uri 'none'; form-action 'self'; object-src 'none'";

/// `…/sammen-0123456789.js`, `…/sammen-0123456789_bg.wasm`: the part after
/// the last `-` starts with ten hex digits.
fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    name.rsplit_once('-').is_some_and(|(_, rest)| {
        rest.len() > 10
            && rest[..10]
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    })
}

#[cfg(test)]
mod tests {
    use super::is_content_hashed;

    #[test]
    fn tells_hashed_file_names_from_stable_ones() {
        assert!(is_content_hashed("/widget/sammen-e397992ff6.js"));
        assert!(is_content_hashed("/widget/sammen-e397992ff6_bg.wasm"));
        assert!(!is_content_hashed("/widget/sammen.js"));
        assert!(!is_content_hashed("/demo"));
        assert!(!is_content_hashed("/widget/my-page.html"));
    }
}
