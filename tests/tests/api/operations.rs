//! Health checks and the generated API description.

use sammen_tests::{on_both_databases, Backend, TestApp};
use serde_json::Value;

on_both_databases!(
    health_and_readiness_answer,
    the_openapi_document_describes_every_route,
    every_annotated_handler_is_documented_and_routed
);

async fn health_and_readiness_answer(app: TestApp) {
    assert_eq!(app.get_json("/healthz").await["status"], "ok");
    let ready = app.get_json("/readyz").await;
    assert_eq!(ready["status"], "ok");
    let expected = match app.backend {
        sammen_tests::Backend::Sqlite => "sqlite",
        sammen_tests::Backend::Postgres => "postgres",
    };
    assert_eq!(ready["database"], expected);
}

async fn the_openapi_document_describes_every_route(app: TestApp) {
    let doc: Value = app.get_json("/api/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/municipalities/{municipality}", "get"),
        ("/api/v1/municipalities/{municipality}/initiatives", "get"),
        ("/api/v1/municipalities/{municipality}/initiatives", "post"),
        (
            "/api/v1/municipalities/{municipality}/initiatives/{id}",
            "get",
        ),
        (
            "/api/v1/municipalities/{municipality}/initiatives/{id}/signups",
            "post",
        ),
        ("/api/v1/municipalities/{municipality}/offers", "post"),
        ("/api/v1/follow", "get"),
        ("/api/v1/follow", "put"),
        ("/api/v1/follow/messages", "post"),
        ("/api/v1/follow/resubmit", "post"),
        ("/healthz", "get"),
        ("/readyz", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is documented"
        );
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for schema in [
        "NewInitiative",
        "InitiativeView",
        "ErrorBody",
        "FollowView",
        "NewSignup",
        "NewOffer",
    ] {
        assert!(schemas.contains_key(schema), "schema {schema}");
    }
}

on_both_databases!(pages_and_answers_carry_security_headers);

async fn pages_and_answers_carry_security_headers(app: TestApp) {
    let page = app.get("/demo").await;
    assert_eq!(page.status(), 200);
    let headers = page.headers();
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let policy = headers["content-security-policy"].to_str().unwrap();
    let scripts = policy
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert!(!scripts.contains("unsafe-inline"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");

    let answer = app.get("/api/v1/municipalities/billund").await;
    assert_eq!(
        answer.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
    assert_eq!(answer.headers()["x-frame-options"], "DENY");
}

const METRICS_TOKEN: &str = "a-long-metrics-token-for-tests";

on_both_databases!(metrics_count_requests_by_route_and_the_outbox with &[("SAMMEN_METRICS_TOKEN", METRICS_TOKEN)]);

async fn metrics_count_requests_by_route_and_the_outbox(app: TestApp) {
    for _ in 0..3 {
        app.get("/api/v1/municipalities/billund/initiatives").await;
    }
    app.get("/api/v1/municipalities/billund/initiatives/not-a-uuid")
        .await;
    // Made-up methods and paths must not grow the label sets.
    for n in 0..5 {
        let method = reqwest::Method::from_bytes(format!("BREW{n}").as_bytes()).unwrap();
        app.client
            .request(method, app.url(&format!("/made-up-{n}")))
            .send()
            .await
            .unwrap();
    }
    let refused = app.get("/metrics").await;
    assert_eq!(refused.status(), 401, "the metrics are not public");
    let wrong = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("a-wrong-token-of-some-length")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let response = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let line = text
        .lines()
        .find(|l| {
            l.starts_with("sammen_http_requests_total{")
                && l.contains("route=\"/api/v1/municipalities/{municipality}/initiatives\"")
                && l.contains("status=\"200\"")
        })
        .unwrap_or_else(|| panic!("no request counter in {text}"));
    assert!(line.ends_with(" 3"), "{line}");
    assert!(text.contains("status=\"400\""), "{text}");
    assert!(text.contains("sammen_http_request_duration_seconds_bucket"));
    assert!(text.contains("sammen_outbox_depth 0"), "{text}");
    assert!(!text.contains("not-a-uuid"), "ids never become labels");
    assert!(
        !text.contains("BREW") && !text.contains("made-up"),
        "{text}"
    );
    assert!(text.contains("method=\"other\""), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_have_their_own_internal_address_or_none_at_all() {
    let plain = TestApp::spawn(Backend::Sqlite).await;
    assert_eq!(
        plain.get("/metrics").await.status(),
        404,
        "not served at all"
    );
    let internal =
        TestApp::spawn_with(Backend::Sqlite, &[("SAMMEN_METRICS_ADDR", "127.0.0.1:0")]).await;
    assert_eq!(
        internal.get("/metrics").await.status(),
        404,
        "not on the public address"
    );
    let metrics = internal.metrics_base.clone().expect("a metrics listener");
    let answer = internal
        .client
        .get(format!("{metrics}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert!(answer.text().await.unwrap().contains("sammen_outbox_depth"));
    let api = internal
        .client
        .get(format!("{metrics}/api/v1/municipalities/billund"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 404, "the metrics address serves nothing else");
}

on_both_databases!(https_answers_carry_strict_transport_security with &[("SAMMEN_PUBLIC_URL", "https://sammen.example.dk")]);

async fn https_answers_carry_strict_transport_security(app: TestApp) {
    for path in ["/api/v1/municipalities/billund", "/demo", "/nothing-here"] {
        let answer = app.get(path).await;
        assert_eq!(
            answer.headers()["strict-transport-security"],
            "max-age=31536000",
            "{path}"
        );
    }
    let plain = TestApp::spawn(app.backend).await;
    let answer = plain.get("/api/v1/municipalities/billund").await;
    assert!(answer.headers().get("strict-transport-security").is_none());
}

on_both_databases!(a_reloaded_page_keeps_its_own_policy);

/// A reload answered 304 must not carry the API's `default-src 'none'`: the
/// browser applies the 304's headers to the cached page.
async fn a_reloaded_page_keeps_its_own_policy(app: TestApp) {
    let first = app.get("/demo").await;
    let modified = first.headers()["last-modified"]
        .to_str()
        .unwrap()
        .to_string();
    let again = app
        .client
        .get(app.url("/demo"))
        .header("if-modified-since", modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    let policy = again.headers()["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("script-src 'self'"), "{policy}");
}

/// The operations the handlers declare (`#[utoipa::path(method, path = …)]`
/// in the backend's sources), as `METHOD path`.
fn annotated_operations() -> std::collections::BTreeSet<String> {
    fn walk(dir: &std::path::Path, found: &mut std::collections::BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for block in text.split("#[utoipa::path(").skip(1) {
                    let method = block.split(',').next().unwrap().trim().to_uppercase();
                    let route = block
                        .split_once("path = \"")
                        .and_then(|(_, rest)| rest.split('"').next())
                        .unwrap();
                    found.insert(format!("{method} {route}"));
                }
            }
        }
    }
    let mut found = std::collections::BTreeSet::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../backend/src"),
        &mut found,
    );
    found
}

/// Every handler's operation is in the document (so its router is mounted),
/// the document has no other, and each one is routed: a request to it never
/// meets the router's "nothing here" 404 or a 405.
async fn every_annotated_handler_is_documented_and_routed(app: TestApp) {
    let doc: Value = app.get_json("/api/openapi.json").await;
    let documented: std::collections::BTreeSet<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|k| ["get", "put", "post", "patch", "delete"].contains(&k.as_str()))
                .map(move |method| format!("{} {path}", method.to_uppercase()))
        })
        .collect();
    let annotated = annotated_operations();
    assert!(
        annotated.len() > 70,
        "{} annotated operations",
        annotated.len()
    );
    assert_eq!(documented, annotated);
    for operation in &documented {
        let (method, path) = operation.split_once(' ').unwrap();
        let concrete = path
            .replace("{municipality}", "billund")
            .replace("{code}", "ZZZZZZ")
            .replace("{file}", "nothing.ics")
            .replace("{kind}", "signup")
            .replace("{id}", "00000000-0000-0000-0000-000000000000")
            .replace("{need_id}", "00000000-0000-0000-0000-000000000000")
            .replace("{slug}", "regnbuen");
        assert!(!concrete.contains('{'), "a placeholder left in {concrete}");
        let answer = app
            .client
            .request(method.parse().unwrap(), app.url(&concrete))
            .send()
            .await
            .unwrap();
        let status = answer.status();
        let body = answer.text().await.unwrap_or_default();
        assert_ne!(status, 405, "{operation} is routed for its method");
        assert!(
            !body.contains("There is nothing at this address."),
            "{operation} reaches a handler, not the fallback"
        );
    }
}
