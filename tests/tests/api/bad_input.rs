//! Each kind of bad input gets its typed 4xx with a JSON error body.

use reqwest::StatusCode;
use sammen_tests::{args, good_proposal, on_both_databases, TestApp};
use serde_json::{json, Value};

on_both_databases!(
    hostile_text_that_shapes_links_or_screens_is_refused,
    bad_fields_are_refused_with_per_field_messages,
    malformed_bodies_are_refused_with_their_own_codes,
    unknown_places_are_404_with_a_json_body,
);

const PROPOSE: &str = "/api/v1/municipalities/billund/initiatives";

async fn error_of(response: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let body: Value = response.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    body["error"].clone()
}

async fn refused_field(app: &TestApp, change: impl FnOnce(&mut Value), field: &str, code: &str) {
    let mut proposal = good_proposal();
    change(&mut proposal);
    let error = error_of(
        app.post_json(PROPOSE, &proposal).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error["code"], "validation_failed");
    assert_eq!(error["field_codes"][field], code, "{error}");
    assert!(
        error["fields"][field]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{error}"
    );
}

/// Issue 14, item 12: emails a mailto: link or a mailer would read as more
/// than an address, titles that show nothing, and text that reorders the
/// screen around it.
async fn hostile_text_that_shapes_links_or_screens_is_refused(app: TestApp) {
    for email in [
        "mette@example.dk?bcc=spy%40evil.dk",
        "javascript:alert(1)@x.dk",
        "\"quoted\"@example.dk",
    ] {
        refused_field(
            &app,
            |p| p["contact"]["email"] = json!(email),
            "contact.email",
            "invalid_email",
        )
        .await;
    }
    refused_field(
        &app,
        |p| p["title"] = json!("\u{200B}\u{200B}\u{200C}\u{FEFF}"),
        "title",
        "required",
    )
    .await;
    refused_field(
        &app,
        |p| p["title"] = json!("Gåtur \u{202E}ekcab"),
        "title",
        "control_characters",
    )
    .await;
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM initiatives WHERE title LIKE '%ekcab'",
            vec![]
        )
        .await,
        0
    );
}

async fn bad_fields_are_refused_with_per_field_messages(app: TestApp) {
    refused_field(&app, |p| p["title"] = json!(""), "title", "required").await;
    refused_field(&app, |p| p["title"] = json!("   "), "title", "required").await;
    refused_field(
        &app,
        |p| p["title"] = json!("x".repeat(10_000)),
        "title",
        "too_long",
    )
    .await;
    refused_field(
        &app,
        |p| p["title"] = json!("bad\u{0007}bell"),
        "title",
        "control_characters",
    )
    .await;
    refused_field(
        &app,
        |p| p["category"] = json!("karaoke"),
        "category",
        "unknown_category",
    )
    .await;
    refused_field(
        &app,
        |p| p["place"]["lat"] = json!(200),
        "place.lat",
        "latitude_out_of_range",
    )
    .await;
    refused_field(
        &app,
        |p| p["contact"]["email"] = json!("nope"),
        "contact.email",
        "invalid_email",
    )
    .await;
    refused_field(
        &app,
        |p| p["institution"] = json!("nordpolen"),
        "institution",
        "unknown_institution",
    )
    .await;
    refused_field(
        &app,
        |p| {
            p.as_object_mut().unwrap().remove("title");
        },
        "title",
        "required",
    )
    .await;

    // Field messages follow Accept-Language.
    let mut proposal = good_proposal();
    proposal["title"] = json!("");
    let response = app
        .client
        .post(app.url(PROPOSE))
        .header("Accept-Language", "en-GB,en;q=0.8")
        .json(&proposal)
        .send()
        .await
        .unwrap();
    let error = error_of(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error["fields"]["title"], "Please fill this in.");

    let stored = app
        .count(
            "SELECT COUNT(*) FROM initiatives WHERE contact_name = $1",
            args!["Mette Hansen"],
        )
        .await;
    assert_eq!(stored, 0, "nothing refused was stored");
}

async fn malformed_bodies_are_refused_with_their_own_codes(app: TestApp) {
    let send = |body: Vec<u8>, content_type: &'static str| {
        app.client
            .post(app.url(PROPOSE))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let error = error_of(
        send(b"{\"title\": ".to_vec(), "application/json")
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(error["code"], "invalid_json");

    let error = error_of(
        send(b"{} trailing".to_vec(), "application/json")
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(error["code"], "invalid_json");

    let mut wrong_type = good_proposal();
    wrong_type["title"] = json!(42);
    let body = serde_json::to_vec(&wrong_type).unwrap();
    let error = error_of(
        send(body, "application/json").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error["code"], "invalid_body");
    assert!(
        error["fields"]["title"]
            .as_str()
            .unwrap()
            .contains("expected a string"),
        "{error}"
    );

    let body = serde_json::to_vec(&good_proposal()).unwrap();
    let error = error_of(
        send(body, "text/plain").await.unwrap(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
    )
    .await;
    assert_eq!(error["code"], "unsupported_media_type");

    // Several times: a server that answered before reading the body made
    // the client's send fail now and then with a reset (oversized.rs).
    let mut huge = good_proposal();
    huge["summary"] = json!("a".repeat(2 * 1024 * 1024));
    let body = serde_json::to_vec(&huge).unwrap();
    for _ in 0..5 {
        let error = error_of(
            send(body.clone(), "application/json").await.unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
        )
        .await;
        assert_eq!(error["code"], "payload_too_large");
    }

    let response = app
        .client
        .post(app.url(PROPOSE))
        .header("Idempotency-Key", "not-a-uuid")
        .json(&good_proposal())
        .send()
        .await
        .unwrap();
    let error = error_of(response, StatusCode::BAD_REQUEST).await;
    assert_eq!(error["code"], "invalid_idempotency_key");

    for query in [
        "page=0",
        "per_page=1000",
        "lat=55",
        "lat=95&lon=9",
        "radius_km=-1",
        "page=abc",
    ] {
        let response = app
            .get(&format!(
                "/api/v1/municipalities/billund/initiatives?{query}"
            ))
            .await;
        let error = error_of(response, StatusCode::BAD_REQUEST).await;
        assert_eq!(error["code"], "invalid_parameter", "{query}");
    }
    let response = app
        .get("/api/v1/municipalities/billund/initiatives/not-a-uuid")
        .await;
    assert_eq!(
        error_of(response, StatusCode::BAD_REQUEST).await["code"],
        "invalid_parameter"
    );
}

async fn unknown_places_are_404_with_a_json_body(app: TestApp) {
    let response = app
        .post_json(
            "/api/v1/municipalities/atlantis/initiatives",
            &good_proposal(),
        )
        .await;
    assert_eq!(
        error_of(response, StatusCode::NOT_FOUND).await["code"],
        "not_found"
    );
    for path in [
        "/api/v1/municipalities/atlantis",
        "/api/v1/municipalities/atlantis/initiatives",
        "/api/v1/municipalities/billund/initiatives/00000000-0000-0000-0000-000000000000",
        "/api/v1/no-such-thing",
    ] {
        let response = app.get(path).await;
        assert_eq!(
            error_of(response, StatusCode::NOT_FOUND).await["code"],
            "not_found",
            "{path}"
        );
    }
    let response = app.client.delete(app.url(PROPOSE)).send().await.unwrap();
    assert_eq!(
        error_of(response, StatusCode::METHOD_NOT_ALLOWED).await["code"],
        "method_not_allowed"
    );
}
