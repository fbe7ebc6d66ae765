//! Consent versions and bot screening on the public forms (propose, join,
//! offer): what is stored with each record, and what is refused.

use reqwest::StatusCode;
use sammen_shared::consent::CONSENT_VERSION;
use sammen_tests::{args, good_proposal, on_both_databases, TestApp};
use serde_json::{json, Value};

on_both_databases!(
    every_form_stores_the_consent_version_it_was_sent_with,
    an_unknown_consent_version_is_a_field_error_and_nothing_is_stored,
    a_filled_honeypot_is_refused_and_nothing_is_stored,
    a_form_sent_too_fast_is_refused_but_api_clients_without_fill_time_pass,
    the_consent_texts_say_what_who_and_how_long,
    the_openapi_document_describes_the_form_extras_and_private_tokens,
);

pub const OFFERS: &str = "/api/v1/municipalities/nordfyns/offers";

pub fn good_offer(email: &str) -> Value {
    json!({
        "contact": {"name": "Jens Jensen", "email": email, "phone": "+45 22 33 44 55"},
        "skills": ["Førstehjælp"],
        "tools": ["Sneskovl"],
        "slots": [{"day": "mon", "from": "07:00", "to": "09:00"}],
        "area": {"name": "Otterup", "lat": 55.51512, "lon": 10.39761, "radius_km": 3},
        "languages": ["da"],
        "note": "Jeg bor på Søndergade 4."
    })
}

/// A published Billund initiative to join (a snow clearing: no family needed).
pub async fn published_initiative(app: &TestApp) -> String {
    let mut proposal = good_proposal();
    proposal["category"] = json!("snow_clearing");
    let created = app.propose(&proposal).await;
    let id = created["id"].as_str().unwrap().to_string();
    app.publish(&id).await;
    id
}

pub fn signups_path(id: &str) -> String {
    format!("/api/v1/municipalities/billund/initiatives/{id}/signups")
}

fn with(mut body: Value, extras: Value) -> Value {
    for (key, value) in extras.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

async fn error_of(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let body: Value = response.json().await.expect("a JSON error");
    (status, body["error"].clone())
}

async fn every_form_stores_the_consent_version_it_was_sent_with(app: TestApp) {
    let extras = json!({"consent_version": CONSENT_VERSION, "website": "", "fill_ms": 8000});
    let created = app.propose(&with(good_proposal(), extras.clone())).await;
    let initiative = published_initiative(&app).await;
    let signup = app
        .post_json(
            &signups_path(&initiative),
            &with(json!({"contact": {"name": "Ole"}}), extras.clone()),
        )
        .await;
    assert_eq!(signup.status(), StatusCode::CREATED);
    // Without a version (an API client), the one in force is stored.
    let offer = app.post_json(OFFERS, &good_offer("jens@example.dk")).await;
    assert_eq!(offer.status(), StatusCode::CREATED);

    let id = uuid::Uuid::parse_str(created["id"].as_str().unwrap()).unwrap();
    for (sql, values) in [
        (
            "SELECT COUNT(*) FROM initiatives WHERE id = $1 AND consent_version = $2",
            args![id, CONSENT_VERSION],
        ),
        (
            "SELECT COUNT(*) FROM signups WHERE contact_name = 'Ole' AND consent_version = $1",
            args![CONSENT_VERSION],
        ),
        (
            "SELECT COUNT(*) FROM offers WHERE contact_email = 'jens@example.dk' AND consent_version = $1",
            args![CONSENT_VERSION],
        ),
    ] {
        assert_eq!(app.count(sql, values).await, 1, "{sql}");
    }
}

async fn an_unknown_consent_version_is_a_field_error_and_nothing_is_stored(app: TestApp) {
    let initiative = published_initiative(&app).await;
    let stale = json!({"consent_version": "1999-01-01"});
    for (path, body) in [
        (
            "/api/v1/municipalities/billund/initiatives".to_string(),
            good_proposal(),
        ),
        (
            signups_path(&initiative),
            json!({"contact": {"name": "Ole"}}),
        ),
        (OFFERS.to_string(), good_offer("ukendt@example.dk")),
    ] {
        let (status, error) =
            error_of(app.post_json(&path, &with(body, stale.clone())).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert_eq!(error["code"], "validation_failed");
        assert_eq!(
            error["field_codes"]["consent_version"],
            "unknown_consent_version"
        );
    }
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM signups WHERE contact_name = 'Ole'",
            vec![]
        )
        .await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM offers WHERE contact_email = 'ukendt@example.dk'",
            vec![]
        )
        .await,
        0
    );
}

async fn a_filled_honeypot_is_refused_and_nothing_is_stored(app: TestApp) {
    let initiative = published_initiative(&app).await;
    let before = app.count("SELECT COUNT(*) FROM initiatives", vec![]).await;
    let bot = json!({"website": "http://spam.example", "fill_ms": 9000});
    for (path, body) in [
        (
            "/api/v1/municipalities/billund/initiatives".to_string(),
            good_proposal(),
        ),
        (
            signups_path(&initiative),
            json!({"contact": {"name": "Bot"}}),
        ),
        (OFFERS.to_string(), good_offer("bot@example.dk")),
    ] {
        let (status, error) = error_of(app.post_json(&path, &with(body, bot.clone())).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert_eq!(error["code"], "spam_suspected", "{path}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM initiatives", vec![]).await,
        before
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM signups WHERE contact_name = 'Bot'",
            vec![]
        )
        .await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM offers WHERE contact_email = 'bot@example.dk'",
            vec![]
        )
        .await,
        0
    );
    // A honeypot of the wrong type is a typed error too, not a 500.
    let (status, error) = error_of(
        app.post_json(
            OFFERS,
            &with(good_offer("x@example.dk"), json!({"website": 7})),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["code"], "invalid_body");
}

async fn a_form_sent_too_fast_is_refused_but_api_clients_without_fill_time_pass(app: TestApp) {
    let initiative = published_initiative(&app).await;
    for (path, body) in [
        (
            "/api/v1/municipalities/billund/initiatives".to_string(),
            good_proposal(),
        ),
        (
            signups_path(&initiative),
            json!({"contact": {"name": "Hurtig"}}),
        ),
        (OFFERS.to_string(), good_offer("hurtig@example.dk")),
    ] {
        let fast = with(body.clone(), json!({"website": "", "fill_ms": 400}));
        let (status, error) = error_of(app.post_json(&path, &fast).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert_eq!(error["code"], "too_fast", "{path}");
        // Worded for the citizen who reads it in the widget, in Danish by default.
        assert_eq!(
            error["message"],
            "Formularen blev sendt meget hurtigt. Vent et øjeblik, og send den igen.",
            "{path}"
        );
        let patient = with(body.clone(), json!({"website": "", "fill_ms": 3000}));
        assert_eq!(
            app.post_json(&path, &patient).await.status(),
            StatusCode::CREATED,
            "{path}"
        );
        assert_eq!(
            app.post_json(&path, &body).await.status(),
            StatusCode::CREATED,
            "{path}"
        );
    }
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM signups WHERE contact_name = 'Hurtig'",
            vec![]
        )
        .await,
        2
    );
}

async fn the_consent_texts_say_what_who_and_how_long(app: TestApp) {
    let texts: Value = app
        .client
        .get(app.url("/api/v1/municipalities/billund/consent"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let texts = texts.as_array().unwrap();
    assert_eq!(texts.len(), 3);
    for text in texts {
        assert_eq!(text["version"], CONSENT_VERSION);
        assert!(
            text["how_long"].as_str().unwrap().contains("12 months"),
            "{text}"
        );
        assert!(!text["stored"].as_str().unwrap().is_empty());
        assert!(!text["who_sees"].as_str().unwrap().is_empty());
    }
    assert_eq!(
        app.get("/api/v1/municipalities/nowhere/consent")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn the_openapi_document_describes_the_form_extras_and_private_tokens(app: TestApp) {
    let doc = app.get_json("/api/openapi.json").await;
    let schemas = &doc["components"]["schemas"];
    for field in ["consent_version", "website", "fill_ms"] {
        assert!(
            schemas["FormExtras"]["properties"][field].is_object(),
            "FormExtras.{field}"
        );
    }
    for (path, form) in [
        (
            "/api/v1/municipalities/{municipality}/initiatives",
            "ProposalForm",
        ),
        (
            "/api/v1/municipalities/{municipality}/initiatives/{id}/signups",
            "SignupForm",
        ),
        ("/api/v1/municipalities/{municipality}/offers", "OfferForm"),
    ] {
        let body = &doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]
            ["schema"]["$ref"];
        assert_eq!(
            body,
            &json!(format!("#/components/schemas/{form}")),
            "{path}"
        );
        assert!(
            schemas[form]["allOf"].to_string().contains("FormExtras"),
            "{form}"
        );
    }
    for created in ["SignupCreated", "OfferCreated"] {
        assert!(
            schemas[created]["required"]
                .as_array()
                .unwrap()
                .contains(&json!("private_token")),
            "{created}"
        );
    }
    for path in [
        "/api/v1/privacy/export",
        "/api/v1/privacy/data",
        "/api/v1/privacy/link",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
}
