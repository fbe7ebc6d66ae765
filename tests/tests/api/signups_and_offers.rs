use reqwest::StatusCode;
use sammen_tests::{args, good_proposal, on_both_databases, TestApp};
use serde_json::{json, Value};

on_both_databases!(
    a_citizen_joins_an_initiative_for_one_need,
    a_playdate_group_is_joined_as_a_family,
    only_published_initiatives_can_be_joined,
    a_citizen_offers_tools_and_time,
    joiners_and_volunteers_get_their_private_link_by_email,
);

async fn first_initiative(app: &TestApp, municipality: &str, category: &str) -> Value {
    let page = app
        .get_json(&format!(
            "/api/v1/municipalities/{municipality}/initiatives?category={category}"
        ))
        .await;
    page["items"][0].clone()
}

async fn a_citizen_joins_an_initiative_for_one_need(app: TestApp) {
    let build = first_initiative(&app, "skanderborg", "playground_build").await;
    let id = build["id"].as_str().unwrap();
    let trailer = build["needs"][1].clone();
    assert_eq!(trailer["title"], "Trailer til materialer");
    let before = trailer["people_joined"].as_u64().unwrap();

    let path = format!("/api/v1/municipalities/skanderborg/initiatives/{id}/signups");
    let body = json!({
        "need_id": trailer["id"],
        "contact": {"name": "Ole Trailer", "email": "ole@example.dk"},
        "message": "Jeg har en trailer med lad."
    });
    let response = app.post_json(&path, &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["initiative_id"], id);
    assert_eq!(created["need_id"], trailer["id"]);

    let after = app
        .get_json(&format!(
            "/api/v1/municipalities/skanderborg/initiatives/{id}"
        ))
        .await;
    assert_eq!(
        after["needs"][1]["people_joined"].as_u64().unwrap(),
        before + 1
    );
    assert_eq!(
        after["joined"].as_u64().unwrap(),
        build["joined"].as_u64().unwrap() + 1
    );
    let stored = app
        .count(
            "SELECT COUNT(*) FROM signups WHERE contact_email = $1 AND message IS NOT NULL",
            args!["ole@example.dk"],
        )
        .await;
    assert_eq!(stored, 1);

    let other_need =
        json!({"need_id": "00000000-0000-0000-0000-000000000001", "contact": {"name": "X"}});
    let response = app.post_json(&path, &other_need).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["field_codes"]["need_id"], "unknown_need");
}

async fn a_playdate_group_is_joined_as_a_family(app: TestApp) {
    let playdates = first_initiative(&app, "billund", "playdate_group").await;
    let path = format!(
        "/api/v1/municipalities/billund/initiatives/{}/signups",
        playdates["id"].as_str().unwrap()
    );
    let without_family = app
        .post_json(&path, &json!({"contact": {"name": "Amal"}}))
        .await;
    assert_eq!(without_family.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: Value = without_family.json().await.unwrap();
    assert_eq!(error["error"]["field_codes"]["family"], "family_required");

    let family = json!({
        "contact": {"name": "Amal", "phone": "+45 40 50 60 70"},
        "family": {
            "child_age_band": "3-5",
            "area": "Billund øst",
            "lat": 55.731234, "lon": 9.123456,
            "free_afternoons": ["tue", "thu"],
            "languages": ["ar", "da"],
            "new_in_area": true
        }
    });
    let response = app.post_json(&path, &family).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let stored: Vec<String> = {
        let mut conn = app.db.acquire().await.unwrap();
        sammen_backend::db::fetch_scalars(
            &mut conn,
            "SELECT family FROM signups WHERE contact_name = $1",
            args!["Amal"],
        )
        .await
        .unwrap()
    };
    let family: Value = serde_json::from_str(&stored[0]).unwrap();
    assert_eq!(family["child_age_band"], "3-5");
    assert_eq!(
        family["home"],
        json!({"lat": 55.731, "lon": 9.123}),
        "the home point is coarse"
    );
    assert_eq!(family["new_in_area"], true);
}

async fn only_published_initiatives_can_be_joined(app: TestApp) {
    let created = app.propose(&good_proposal()).await;
    let path = format!(
        "/api/v1/municipalities/billund/initiatives/{}/signups",
        created["id"].as_str().unwrap()
    );
    let body = json!({"contact": {"name": "Tidlig"}, "family": {"child_age_band": "0-2", "area": "Billund"}});
    let response = app.post_json(&path, &body).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Another municipality's initiative is not found here either.
    let nordfyns = first_initiative(&app, "nordfyns", "snow_clearing").await;
    let path = format!(
        "/api/v1/municipalities/billund/initiatives/{}/signups",
        nordfyns["id"].as_str().unwrap()
    );
    let response = app
        .post_json(&path, &json!({"contact": {"name": "Forkert kommune"}}))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

async fn a_citizen_offers_tools_and_time(app: TestApp) {
    let offer = json!({
        "contact": {"name": "Jens Jensen", "email": "jens@example.dk"},
        "skills": ["Førstehjælp"],
        "tools": ["Sneskovl", "Trillebør"],
        "slots": [{"day": "mon", "from": "7:00", "to": "9:00"}, {"day": "thu", "from": "07:00", "to": "09:00"}],
        "area": {"name": "Otterup", "lat": 55.51512, "lon": 10.39761, "radius_km": 3},
        "languages": ["da", "ar"],
        "note": "Jeg står tidligt op."
    });
    let response = app
        .post_json("/api/v1/municipalities/nordfyns/offers", &offer)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    assert!(created["id"].as_str().is_some());
    let stored = app
        .count(
            "SELECT COUNT(*) FROM offers WHERE municipality = 'nordfyns' AND contact_email = $1 \
             AND radius_km = 3 AND lat = 55.515 AND slots LIKE '%07:00%'",
            args!["jens@example.dk"],
        )
        .await;
    assert_eq!(stored, 1);

    let empty = json!({"contact": {"name": "Ingen"}, "area": {"name": "Otterup"}});
    let response = app
        .post_json("/api/v1/municipalities/nordfyns/offers", &empty)
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// The private link in the newest mail of `kind` to `address`.
async fn private_link(app: &TestApp, address: &str, kind: &str) -> (String, String) {
    let mail = app.mail_text(address, kind).await;
    let link = mail
        .split_whitespace()
        .find(|w| w.contains("/my-data#"))
        .unwrap_or_else(|| panic!("no private link in {mail}"))
        .to_string();
    (mail, link)
}

async fn joiners_and_volunteers_get_their_private_link_by_email(app: TestApp) {
    let build = first_initiative(&app, "skanderborg", "playground_build").await;
    let id = build["id"].as_str().unwrap();
    let need = build["needs"][1].clone();
    let response = app
        .post_json(
            &format!("/api/v1/municipalities/skanderborg/initiatives/{id}/signups"),
            &json!({"need_id": need["id"], "organiser_sees": "phone",
                    "contact": {"name": "Jens", "email": "jens@example.dk", "phone": "+45 20 20 20 20"}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let joined: Value = response.json().await.unwrap();
    let (mail, link) = private_link(&app, "jens@example.dk", "signup_link").await;
    assert!(mail.contains(build["title"].as_str().unwrap()), "{mail}");
    assert!(mail.contains("Trailer til materialer"), "{mail}");
    assert!(mail.contains("dit navn og dit telefonnummer"), "{mail}");
    // The mailed link is the one the answer carried: it opens Jens's data.
    let token = link.split('#').nth(1).unwrap();
    assert_eq!(token, joined["private_token"].as_str().unwrap());
    let data = app.get_json_with("/api/v1/privacy/export", token).await;
    assert_eq!(
        data["records"][0]["signup"]["signup"]["contact"]["name"],
        "Jens"
    );

    // A volunteer, in English.
    let response = app
        .client
        .post(app.url("/api/v1/municipalities/nordfyns/offers"))
        .header("accept-language", "en")
        .json(&json!({
            "contact": {"name": "Ann", "email": "ann@example.dk"},
            "tools": ["snow shovel"],
            "area": {"name": "Otterup", "radius_km": 3},
            "languages": ["en"]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let offered: Value = response.json().await.unwrap();
    let (mail, link) = private_link(&app, "ann@example.dk", "offer_link").await;
    assert!(mail.contains("Thank you for offering help"), "{mail}");
    assert!(link.ends_with(offered["private_token"].as_str().unwrap()));

    // Someone who gave only a phone gets no mail (the link is in the answer).
    let before = app.outbox().await.len();
    let response = app
        .post_json(
            &format!("/api/v1/municipalities/skanderborg/initiatives/{id}/signups"),
            &json!({"contact": {"name": "Ole", "phone": "+45 30 30 30 30"}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(app.outbox().await.len(), before);
}
