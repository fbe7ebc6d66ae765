//! Health checks and the generated API description.

use sammen_tests::{on_both_databases, TestApp};
use serde_json::Value;

on_both_databases!(
    health_and_readiness_answer,
    the_openapi_document_describes_every_route
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
