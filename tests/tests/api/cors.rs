//! Cross-origin use of the API: only from the municipality's own sites.

use reqwest::{Method, StatusCode};
use sammen_tests::{on_both_databases, TestApp};

on_both_databases!(
    an_allowed_site_may_call_its_municipalitys_api,
    other_sites_are_refused,
);

async fn preflight(app: &TestApp, path: &str, origin: &str) -> reqwest::Response {
    app.client
        .request(Method::OPTIONS, app.url(path))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "content-type, idempotency-key",
        )
        .send()
        .await
        .unwrap()
}

async fn an_allowed_site_may_call_its_municipalitys_api(app: TestApp) {
    let origin = "https://regnbuen.billund.dk";
    let response = preflight(&app, "/api/v1/municipalities/billund/initiatives", origin).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(response.headers()["access-control-allow-origin"], origin);
    let allowed_headers = response.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap();
    assert!(allowed_headers.contains("idempotency-key"));

    let response = app
        .client
        .get(app.url("/api/v1/municipalities/billund/initiatives"))
        .header("Origin", origin)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["access-control-allow-origin"], origin);
    assert!(response.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .contains("idempotent-replayed"));

    // The server's own pages (the demo) are same-origin.
    let own = app
        .client
        .get(app.url("/api/v1/municipalities/billund"))
        .header("Origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::OK);
}

async fn other_sites_are_refused(app: TestApp) {
    let response = preflight(
        &app,
        "/api/v1/municipalities/billund/initiatives",
        "https://evil.example",
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    // Nordfyns' site may not use Billund's API.
    let response = preflight(
        &app,
        "/api/v1/municipalities/billund/initiatives",
        "https://www.nordfynskommune.dk",
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "forbidden");
}
