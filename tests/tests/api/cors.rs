//! Cross-origin use of the API: only from the municipality's own sites.

use reqwest::{Method, StatusCode};
use sammen_tests::{on_both_databases, TestApp};
use serde_json::{json, Value};

on_both_databases!(
    an_allowed_site_may_call_its_municipalitys_api,
    other_sites_are_refused,
    a_refused_page_reads_why_and_the_admin_sees_which_site_it_was,
    the_widgets_files_load_from_any_page,
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

/// A GET from a page on `origin`.
async fn get_from(app: &TestApp, path: &str, origin: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("Origin", origin)
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

    let response = get_from(&app, "/api/v1/municipalities/billund/initiatives", origin).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["access-control-allow-origin"], origin);
    assert!(response.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .contains("idempotent-replayed"));

    // The server's own pages (the demo) are same-origin.
    let own = get_from(&app, "/api/v1/municipalities/billund", &app.base).await;
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
    assert_eq!(body["error"]["code"], "origin_not_allowed");
}

async fn a_refused_page_reads_why_and_the_admin_sees_which_site_it_was(app: TestApp) {
    let site = "https://www.billund-bibliotek.dk";
    let list = "/api/v1/municipalities/billund/initiatives";
    for _ in 0..3 {
        let refused = get_from(&app, list, site).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        // The widget may read the refusal (and only that), to tell the
        // citizen instead of showing an empty box.
        assert_eq!(refused.headers()["access-control-allow-origin"], site);
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["error"]["code"], "origin_not_allowed");
        assert!(body["error"]["message"].as_str().unwrap().contains(site));
    }
    assert_eq!(
        preflight(&app, list, site).await.status(),
        StatusCode::FORBIDDEN
    );
    // A misspelt municipality in the tag is said as such, and counts nowhere.
    let misspelt = get_from(&app, "/api/v1/municipalities/bilund/initiatives", site).await;
    assert_eq!(misspelt.status(), StatusCode::NOT_FOUND);
    assert_eq!(misspelt.headers()["access-control-allow-origin"], site);
    let body: Value = misspelt.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("'bilund'"),
        "{body}"
    );
    // Another municipality's refusals are its own.
    preflight(
        &app,
        "/api/v1/municipalities/nordfyns/initiatives",
        "https://elsewhere.example",
    )
    .await;

    let admin = app.sign_in("admin@billund.demo").await;
    let refused: Value = admin
        .get("/api/v1/admin/origins/refused")
        .await
        .json()
        .await
        .unwrap();
    let refused = refused.as_array().unwrap();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0]["origin"], site);
    assert_eq!(refused[0]["refusals"], 4);
    assert!(refused[0]["last_refused_at"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    let pia = app.sign_in("pia@regnbuen.demo").await;
    assert_eq!(
        pia.get("/api/v1/admin/origins/refused").await.status(),
        StatusCode::FORBIDDEN,
        "admins only"
    );

    // The admin allows it: the page works, and the warning goes.
    let allowed = admin
        .post("/api/v1/admin/origins", &json!({"origin": site}))
        .await;
    assert_eq!(allowed.status(), StatusCode::CREATED);
    let works = get_from(&app, list, site).await;
    assert_eq!(works.status(), StatusCode::OK);
    let refused: Value = admin
        .get("/api/v1/admin/origins/refused")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(refused.as_array().unwrap().len(), 0, "{refused}");
}

async fn the_widgets_files_load_from_any_page(app: TestApp) {
    // A module script and its wasm load in CORS mode from the host page.
    let anywhere = "https://any-municipal-site.example";
    for file in ["/widget/sammen.js", "/widget/not-there.wasm"] {
        let answer = get_from(&app, file, anywhere).await;
        assert_eq!(
            answer.headers()["access-control-allow-origin"],
            "*",
            "{file}"
        );
        assert_eq!(
            answer.headers()["cross-origin-resource-policy"],
            "cross-origin",
            "{file}"
        );
        assert!(
            answer
                .headers()
                .get("access-control-allow-credentials")
                .is_none(),
            "public files, never with credentials"
        );
    }
    // The API itself keeps its allow-list.
    let api = get_from(&app, "/api/v1/municipalities/billund", anywhere).await;
    assert_eq!(api.status(), StatusCode::FORBIDDEN);
    assert!(api.headers().get("cross-origin-resource-policy").is_none());
}
