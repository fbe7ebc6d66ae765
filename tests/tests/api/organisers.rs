//! The proposer runs the initiative once it is published: the follow link
//! shows who joined (with what each chose to show) and the volunteers the
//! coordinator invited, who answer themselves from the invitation's email.

use reqwest::{Method, StatusCode};
use sammen_tests::{on_both_databases, TestApp};
use serde_json::{json, Value};

on_both_databases!(
    a_volunteer_answers_from_the_email_and_the_organiser_sees_it,
    the_organiser_sees_who_joined_with_what_each_chose_to_show,
    the_organiser_forms_a_rota_from_who_joined_and_runs_it_herself,
    a_coordinator_forms_groups_of_helpers_who_are_no_families,
    a_co_organiser_runs_it_with_the_proposer_through_a_link_of_her_own,
    the_organiser_sees_her_escort_groups_as_routes,
);

/// The organiser's page behind the follow link.
async fn people(app: &TestApp, token: &str) -> Value {
    app.get_json_with("/api/v1/follow/people", token).await
}

/// The organiser writes to the people who joined.
async fn write_to_people(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    let response = app
        .client
        .post(app.url("/api/v1/follow/people/messages"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn recipients(app: &TestApp, kind: &str) -> Vec<String> {
    let mut to: Vec<String> = app
        .outbox()
        .await
        .into_iter()
        .filter(|(_, _, k)| k == kind)
        .map(|(to, _, _)| to)
        .collect();
    to.sort();
    to
}

async fn follow(app: &TestApp, token: &str) -> Value {
    app.get_json_with("/api/v1/follow", token).await
}

/// Hanne's snow clearing in Nordfyns: two people with a shovel wanted.
async fn hannes_snow_clearing(app: &TestApp) -> (String, String, String) {
    let response = app
        .post_json(
            "/api/v1/municipalities/nordfyns/initiatives",
            &json!({
                "title": "Snerydning på Skovvej",
                "summary": "Fortovet ryddes, når det har sneet.",
                "category": "snow_clearing",
                "institution": "otterup",
                "place": {"name": "Skovvej", "lat": 55.50, "lon": 10.39},
                "needs": [{"title": "En med sneskovl", "people_wanted": 2, "tools": ["sneskovl"],
                           "slots": [{"day": "mon", "from": "07:00", "to": "09:00"}]}],
                "contact": {"name": "Hanne Lund", "email": "hanne@example.dk"}
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    let token = created["follow_token"].as_str().unwrap().to_string();
    app.publish(&id).await;
    let view = follow(app, &token).await;
    let need = view["proposal"]["needs"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    (id, need, token)
}

async fn invitation(
    app: &TestApp,
    secret: &str,
    method: Method,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = app
        .client
        .request(method, app.url("/api/v1/invitation"))
        .bearer_auth(secret);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn a_volunteer_answers_from_the_email_and_the_organiser_sees_it(app: TestApp) {
    let (id, need, token) = hannes_snow_clearing(&app).await;
    let response = app
        .post_json(
            "/api/v1/municipalities/nordfyns/offers",
            &json!({
                "contact": {"name": "Karen Holm", "email": "karen@example.dk"},
                "tools": ["sneskovl"],
                "slots": [{"day": "mon", "from": "06:00", "to": "10:00"}],
                "area": {"name": "Otterup", "lat": 55.501, "lon": 10.391, "radius_km": 3},
                "languages": ["da"]
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let offer: Value = response.json().await.unwrap();
    let offer_id = offer["id"].as_str().unwrap();

    // Before anyone is invited the organiser sees nobody.
    let view = people(&app, &token).await;
    assert_eq!(view["invited"], json!([]));
    assert_eq!(view["status"], "published");
    assert_eq!(view["needs"][0]["people_joined"], 0);

    let console = app.sign_in("admin@nordfyns.demo").await;
    let response = console
        .post(
            &format!("/api/v1/admin/initiatives/{id}/needs/{need}/invitations"),
            &json!({"offer_ids": [offer_id]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    // Karen reads her email and follows its link.
    let mail = app.mail_text("karen@example.dk", "invitation").await;
    let link = mail
        .split_whitespace()
        .find(|word| word.contains("/invitation#"))
        .unwrap_or_else(|| panic!("no answer link in {mail}"));
    let secret = link.split('#').nth(1).unwrap();
    let (status, seen) = invitation(&app, secret, Method::GET, None).await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    assert_eq!(seen["initiative"], "Snerydning på Skovvej");
    assert_eq!(seen["need"], "En med sneskovl");
    assert_eq!(seen["status"], "invited");
    assert_eq!(seen["open"], true);

    let view = people(&app, &token).await;
    assert_eq!(view["invited"][0]["first_name"], "Karen");
    assert_eq!(view["invited"][0]["status"], "invited");
    assert!(
        view["invited"][0].get("email").is_none(),
        "the organiser sees a first name, not the offer's contact"
    );

    // She says yes: Hanne sees it, and the need counts her.
    for _ in 0..2 {
        let (status, answered) = invitation(
            &app,
            secret,
            Method::PUT,
            Some(json!({"status": "accepted"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{answered}");
        assert_eq!(answered["status"], "accepted");
    }
    let view = people(&app, &token).await;
    assert_eq!(view["invited"][0]["status"], "accepted");
    assert_eq!(view["needs"][0]["people_joined"], 1, "1 of 2");
    assert_eq!(
        follow(&app, &token).await["proposal"]["needs"][0]["people_joined"],
        1,
        "the follow link counts her too"
    );
    let public = app
        .get_json(&format!("/api/v1/municipalities/nordfyns/initiatives/{id}"))
        .await;
    assert_eq!(public["needs"][0]["people_joined"], 1);
    // The coordinator sees the answer among the matches at once.
    let matches: Value = console
        .get(&format!(
            "/api/v1/admin/initiatives/{id}/needs/{need}/matches?limit=50"
        ))
        .await
        .json()
        .await
        .unwrap();
    let invited = matches["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .chain(
            matches["candidates"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|c| c.get("invitation")),
        )
        .find(|i| i["offer_id"] == offer_id)
        .cloned()
        .expect("the invitation among the matches");
    assert_eq!(invited["status"], "accepted");
    // Sending the same answer twice was one change, audited as the volunteer's.
    let audited = app
        .count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'invitation_answer' \
             AND actor = 'volunteer (invitation link)'",
            vec![],
        )
        .await;
    assert_eq!(audited, 1);

    // A volunteer who said yes hears from the organiser like those who joined.
    let (status, queued) = write_to_people(
        &app,
        &token,
        json!({"body": "Tak, Karen! Vi starter mandag kl. 7.", "need_id": need}),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{queued}");
    assert_eq!(queued["sent_to"], 1);
    assert_eq!(
        recipients(&app, "organiser_message").await,
        ["karen@example.dk"]
    );
    let mail = app.mail_text("karen@example.dk", "organiser_message").await;
    assert!(mail.contains("Hanne Lund"), "{mail}");
    assert!(!mail.contains("hanne@example.dk"), "{mail}");

    // She changes her mind.
    let (status, _) = invitation(
        &app,
        secret,
        Method::PUT,
        Some(json!({"status": "declined"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        follow(&app, &token).await["proposal"]["needs"][0]["people_joined"],
        0
    );

    // Clear errors for what is not an answer or not a link.
    let (status, body) = invitation(
        &app,
        secret,
        Method::PUT,
        Some(json!({"status": "invited"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["fields"]["status"].is_string(), "{body}");
    let (status, _) = invitation(&app, "not-a-link", Method::GET, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let response = app.get("/api/v1/invitation").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // The link carries a secret: once the mail is sent its text is not kept.
    for _ in 0..100 {
        let kept = app
            .count(
                "SELECT COUNT(*) FROM outbox WHERE kind = 'invitation' AND body <> ''",
                vec![],
            )
            .await;
        if kept == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let kept = app
        .count(
            "SELECT COUNT(*) FROM outbox WHERE kind = 'invitation' AND body <> ''",
            vec![],
        )
        .await;
    assert_eq!(kept, 0);

    // Once the initiative is archived, answers are closed.
    let version = follow(&app, &token).await["proposal"]["version"].clone();
    let response = console
        .post(
            &format!("/api/v1/admin/initiatives/{id}/decisions"),
            &json!({"action": "archive", "version": version, "message": "Vinteren er slut."}),
        )
        .await;
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );
    let (status, seen) = invitation(&app, secret, Method::GET, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["open"], false);
    let (status, _) = invitation(
        &app,
        secret,
        Method::PUT,
        Some(json!({"status": "accepted"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

async fn sign_up(app: &TestApp, id: &str, body: Value) -> (StatusCode, Value) {
    let response = app
        .post_json(
            &format!("/api/v1/municipalities/nordfyns/initiatives/{id}/signups"),
            &body,
        )
        .await;
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn the_organiser_sees_who_joined_with_what_each_chose_to_show(app: TestApp) {
    let (id, need, token) = hannes_snow_clearing(&app).await;
    let contact = |name: &str| {
        json!({"name": name, "email": format!("{}@example.dk", name.to_lowercase()),
               "phone": "+45 20 30 40 50"})
    };
    let (status, asta) = sign_up(
        &app,
        &id,
        json!({"need_id": need, "contact": contact("Asta"), "organiser_sees": "email",
               "message": "Jeg har en ekstra skovl."}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{asta}");
    let (status, _) = sign_up(
        &app,
        &id,
        json!({"need_id": need, "contact": contact("Bo"), "organiser_sees": "phone"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = sign_up(&app, &id, json!({"contact": contact("Cille")})).await;
    assert_eq!(status, StatusCode::CREATED);
    // Showing an email one did not give is pointed at.
    let (status, refused) = sign_up(
        &app,
        &id,
        json!({"contact": {"name": "Dan", "phone": "+45 99 88 77 66"}, "organiser_sees": "email"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused["error"]["fields"]["contact.email"].is_string(),
        "{refused}"
    );
    let (status, refused) = sign_up(
        &app,
        &id,
        json!({"contact": contact("Eva"), "organiser_sees": "everything"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");

    let view = people(&app, &token).await;
    let joined = view["people"].as_array().unwrap();
    assert_eq!(joined.len(), 3, "{joined:?}");
    assert_eq!(joined[0]["name"], "Asta");
    assert_eq!(joined[0]["email"], "asta@example.dk");
    assert_eq!(joined[0]["phone"], Value::Null);
    assert_eq!(joined[0]["message"], "Jeg har en ekstra skovl.");
    assert_eq!(joined[0]["need_id"], need.as_str());
    assert_eq!(joined[1]["name"], "Bo");
    assert_eq!(joined[1]["email"], Value::Null);
    assert_eq!(joined[1]["phone"], "+45 20 30 40 50");
    assert_eq!(joined[2]["name"], "Cille");
    assert_eq!(joined[2]["email"], Value::Null, "the name only by default");
    assert_eq!(joined[2]["phone"], Value::Null);
    assert_eq!(joined[2]["need_id"], Value::Null);
    assert_eq!(view["needs"][0]["people_joined"], 2);
    // Dan joins with his phone only.
    let (status, _) = sign_up(
        &app,
        &id,
        json!({"contact": {"name": "Dan", "phone": "+45 99 88 77 66"}, "organiser_sees": "phone"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    // Hanne writes to them through Sammen: everyone, then one need's people;
    // she is told that Dan, without an email, is not reached.
    let (status, queued) =
        write_to_people(&app, &token, json!({"body": "Vi mødes ved nr. 3 kl. 7."})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{queued}");
    assert_eq!(queued["sent_to"], 3);
    assert_eq!(queued["without_email"], 1);
    assert_eq!(
        recipients(&app, "organiser_message").await,
        ["asta@example.dk", "bo@example.dk", "cille@example.dk"],
        "each gets it, also those who showed only their name or phone"
    );
    let (status, queued) = write_to_people(
        &app,
        &token,
        json!({"body": "Husk skovlen.", "need_id": need}),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(queued["sent_to"], 2);
    let (status, refused) = write_to_people(
        &app,
        &token,
        json!({"body": "Hej", "need_id": uuid::Uuid::new_v4()}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused["error"]["fields"]["need_id"].is_string(),
        "{refused}"
    );
    let (status, _) = write_to_people(&app, &token, json!({"body": "  "})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Not a relay for floods: a handful at once, then 429 with Retry-After.
    let mut limited = false;
    for i in 0..10 {
        let response = app
            .client
            .post(app.url("/api/v1/follow/people/messages"))
            .bearer_auth(&token)
            .json(&json!({"body": format!("Besked {i}")}))
            .send()
            .await
            .unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(response.headers().contains_key("retry-after"));
            limited = true;
            break;
        }
        assert_eq!(response.status(), StatusCode::ACCEPTED);
    }
    assert!(limited, "ten messages in a row are limited");

    // Asta deletes her data with her private link: she is gone from the list.
    let response = app
        .client
        .delete(app.url("/api/v1/privacy/data"))
        .bearer_auth(asta["private_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let view = people(&app, &token).await;
    let names: Vec<&str> = view["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Bo", "Cille", "Dan"]);

    // Hanne marks it done with what came of it: it leaves the running list
    // and shows among the results, to everyone.
    let done = |outcome: &str| {
        app.client
            .post(app.url("/api/v1/follow/done"))
            .bearer_auth(&token)
            .json(&json!({"outcome": outcome}))
            .send()
    };
    assert_eq!(
        done("  ").await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let outcome = "Fortovet på Skovvej var ryddet hver morgen hele vinteren.";
    for _ in 0..2 {
        let response = done(outcome).await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "a retry is the same answer"
        );
        let view: Value = response.json().await.unwrap();
        assert_eq!(view["status"], "completed");
        assert_eq!(view["outcome"], outcome);
    }
    assert_eq!(
        done("Noget andet").await.unwrap().status(),
        StatusCode::CONFLICT
    );
    let running = app
        .get_json("/api/v1/municipalities/nordfyns/initiatives?per_page=100")
        .await;
    assert!(!running.to_string().contains("Snerydning på Skovvej"));
    let results = app
        .get_json("/api/v1/municipalities/nordfyns/initiatives?results=true")
        .await;
    assert_eq!(results["items"][0]["title"], "Snerydning på Skovvej");
    assert_eq!(results["items"][0]["outcome"], outcome);
    assert_eq!(results["items"][0]["status"], "completed");
    let one = app
        .get_json(&format!("/api/v1/municipalities/nordfyns/initiatives/{id}"))
        .await;
    assert_eq!(one["outcome"], outcome);

    // Before publication nobody has joined, and the list is empty.
    let response = app
        .post_json(
            "/api/v1/municipalities/billund/initiatives",
            &sammen_tests::good_proposal(),
        )
        .await;
    let created: Value = response.json().await.unwrap();
    let view = people(&app, created["follow_token"].as_str().unwrap()).await;
    assert_eq!(view["status"], "submitted");
    assert_eq!(view["people"], json!([]));
    assert_eq!(view["invited"], json!([]));
    let (status, _) = write_to_people(
        &app,
        created["follow_token"].as_str().unwrap(),
        json!({"body": "Hej"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

/// A request with the follow link's token.
async fn as_organiser(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
    key: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

/// The group link in the last group mail to `address`.
async fn group_token(app: &TestApp, address: &str) -> String {
    let mail = app.mail_text(address, "group_link").await;
    let link = mail
        .split_whitespace()
        .find(|w| w.contains("sammen-group="))
        .unwrap_or_else(|| panic!("no group link in {mail}"));
    link.split("sammen-group=").nth(1).unwrap().to_string()
}

async fn the_organiser_forms_a_rota_from_who_joined_and_runs_it_herself(app: TestApp) {
    let (id, need, token) = hannes_snow_clearing(&app).await;
    let mut ids = Vec::new();
    for (name, contact) in [
        ("Asta", json!({"name": "Asta", "email": "asta@example.dk"})),
        ("Bo", json!({"name": "Bo", "email": "bo@example.dk"})),
        (
            "Cille",
            json!({"name": "Cille", "phone": "+45 20 30 40 50"}),
        ),
    ] {
        let (status, _) = sign_up(&app, &id, json!({"need_id": need, "contact": contact})).await;
        assert_eq!(status, StatusCode::CREATED, "{name}");
    }
    let view = people(&app, &token).await;
    for person in view["people"].as_array().unwrap() {
        ids.push(person["signup_id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), 3);
    let groups_path = "/api/v1/follow/groups";
    let (status, none) = as_organiser(&app, &token, Method::GET, groups_path, None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        none,
        json!({"groups": [], "handed_over": false, "my_links": [], "links_to_pass_on": []})
    );

    // A stranger, someone twice, an empty group: refused with the field.
    let stranger = uuid::Uuid::new_v4().to_string();
    for draft in [
        json!({"groups": [{"members": [stranger]}]}),
        json!({"groups": [{"members": [ids[0]]}, {"members": [ids[0]]}]}),
        json!({"groups": [{"members": []}]}),
        json!({"groups": [{"name": "\u{202e}x", "members": [ids[0]]}]}),
    ] {
        let (status, error) = as_organiser(
            &app,
            &token,
            Method::PUT,
            groups_path,
            Some(draft.clone()),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{draft}: {error}");
        assert!(error["error"]["fields"].is_object(), "{error}");
    }

    // Hanne's rota: Asta, Bo and Cille, and herself; nobody left out.
    let draft = json!({"groups": [{"name": "Morgenholdet", "members": ids, "with_me": true}]});
    let (status, saved) =
        as_organiser(&app, &token, Method::PUT, groups_path, Some(draft), None).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["groups"][0]["name"], "Morgenholdet");
    assert_eq!(saved["groups"][0]["with_me"], true);
    assert_eq!(saved["groups"][0]["members"], json!(ids));
    assert_eq!(
        saved["groups"][0]["route"],
        Value::Null,
        "a rota is no route"
    );

    // The coordinator sees the same draft, helpers with their need.
    let console = app.sign_in("admin@nordfyns.demo").await;
    let admin: Value = console
        .get(&format!("/api/v1/admin/initiatives/{id}/groups"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(admin["groups"][0]["organiser_in"], true);
    assert_eq!(admin["groups"][0]["members"][0]["need"], "En med sneskovl");
    assert_eq!(admin["groups"][0]["members"][0]["family"], Value::Null);

    // Handed over once; a retry with the same key gets the same answer.
    let key = uuid::Uuid::new_v4().to_string();
    let hand_over = "/api/v1/follow/groups/hand-over";
    let (status, handed) =
        as_organiser(&app, &token, Method::POST, hand_over, None, Some(&key)).await;
    assert_eq!(status, StatusCode::OK, "{handed}");
    assert_eq!(handed["handed_over"], true);
    assert_eq!(handed["my_links"].as_array().unwrap().len(), 1);
    let pass_on = handed["links_to_pass_on"].as_array().unwrap();
    assert_eq!(pass_on.len(), 1, "Cille gave no email: {handed}");
    assert_eq!(pass_on[0]["name"], "Cille");
    let (status, again) =
        as_organiser(&app, &token, Method::POST, hand_over, None, Some(&key)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, handed);
    let (status, _) = as_organiser(&app, &token, Method::POST, hand_over, None, None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = as_organiser(
        &app,
        &token,
        Method::PUT,
        groups_path,
        Some(json!({"groups": [{"members": [ids[0]]}]})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Hanne's own link opens the rota's space, as mailed to her.
    let hanne = group_token(&app, "hanne@example.dk").await;
    let mine = handed["my_links"][0].as_str().unwrap();
    assert!(mine.ends_with(&hanne), "{mine} is the mailed link");
    let space = app.get_json_with("/api/v1/group", &hanne).await;
    assert_eq!(space["group_name"], "Morgenholdet");
    assert_eq!(space["families"], false);
    let labels: Vec<&str> = space["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["Medlem 1", "Medlem 2", "Medlem 3", "Hanne Lund"]);
    // Asta sees the organiser as such, not as a number.
    let asta = group_token(&app, "asta@example.dk").await;
    let space = app.get_json_with("/api/v1/group", &asta).await;
    assert_eq!(space["members"][3]["label"], "Arrangøren");
    assert_eq!(space["members"][0]["label"], "Asta");

    // Hanne counts neither among those who joined nor on her own page.
    let view = people(&app, &token).await;
    assert_eq!(view["people"].as_array().unwrap().len(), 3);
    assert_eq!(view["needs"][0]["people_joined"], 3);
    let public = app
        .get_json(&format!("/api/v1/municipalities/nordfyns/initiatives/{id}"))
        .await;
    assert_eq!(public["joined"], 3, "{public}");
    let (_, groups) = as_organiser(&app, &token, Method::GET, groups_path, None, None).await;
    assert_eq!(groups["groups"][0]["members"], json!(ids));
    assert_eq!(
        groups["my_links"],
        json!([]),
        "links only in the hand-over's answer"
    );

    // When Hanne deletes her data, her membership goes with it.
    let response = app
        .client
        .delete(app.url("/api/v1/privacy/data"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let response = app
        .client
        .get(app.url("/api/v1/group"))
        .bearer_auth(&hanne)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

async fn a_coordinator_forms_groups_of_helpers_who_are_no_families(app: TestApp) {
    let (id, need, _) = hannes_snow_clearing(&app).await;
    let mut ids = Vec::new();
    for name in ["Asta", "Bo", "Cille", "Dan"] {
        let email = format!("{}@example.dk", name.to_lowercase());
        let (status, joined) = sign_up(
            &app,
            &id,
            json!({"need_id": need, "contact": {"name": name, "email": email}}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{joined}");
        ids.push(joined["id"].as_str().unwrap().to_string());
    }
    let console = app.sign_in("admin@nordfyns.demo").await;
    // The composer splits helpers into groups of a size; no family left out.
    let response = console
        .post(
            &format!("/api/v1/admin/initiatives/{id}/compose"),
            &json!({"rules": {"min_size": 2, "max_size": 2}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let composed: Value = response.json().await.unwrap();
    let groups: Vec<Vec<String>> = composed["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            g["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["signup_id"].as_str().unwrap().to_string())
                .collect()
        })
        .collect();
    assert_eq!(groups.len(), 2, "{composed}");
    assert!(groups.iter().all(|g| g.len() == 2), "{composed}");
    // By hand, a group may leave someone out: Dan stays outside.
    let draft = json!({"groups": [[ids[0], ids[1]], [ids[2]]]});
    let response = console
        .request(
            Method::PUT,
            &format!("/api/v1/admin/initiatives/{id}/groups"),
        )
        .json(&draft)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response = console
        .post(
            &format!("/api/v1/admin/initiatives/{id}/groups/hand-over"),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let bo = group_token(&app, "bo@example.dk").await;
    let space = app.get_json_with("/api/v1/group", &bo).await;
    assert_eq!(space["families"], false);
    assert_eq!(space["members"].as_array().unwrap().len(), 2);
    assert_eq!(space["members"][0]["label"], "Medlem 1");
}

async fn a_co_organiser_runs_it_with_the_proposer_through_a_link_of_her_own(app: TestApp) {
    let (id, need, token) = hannes_snow_clearing(&app).await;
    let (status, _) = sign_up(
        &app,
        &id,
        json!({"need_id": need, "contact": {"name": "Asta", "email": "asta@example.dk"}}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let path = "/api/v1/follow/co-organisers";
    for (body, field) in [
        (json!({"name": "", "email": "karen@example.dk"}), "name"),
        (json!({"name": "Karen", "email": "karen"}), "email"),
        (json!({"name": "Karen", "email": ""}), "email"),
    ] {
        let (status, error) =
            as_organiser(&app, &token, Method::POST, path, Some(body.clone()), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {error}");
        assert!(error["error"]["fields"][field].is_string(), "{error}");
    }
    let karen = json!({"name": "Karen Holm", "email": "Karen@Example.dk"});
    let (status, added) =
        as_organiser(&app, &token, Method::POST, path, Some(karen.clone()), None).await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!(added["email"], "karen@example.dk");
    let (status, _) = as_organiser(&app, &token, Method::POST, path, Some(karen), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "each email once");
    let view = people(&app, &token).await;
    assert_eq!(view["proposer"], true);
    assert_eq!(view["co_organisers"][0]["name"], "Karen Holm");
    assert_eq!(view["co_organisers"][0]["email"], "karen@example.dk");

    // Karen's own link opens the organiser's page, not the proposal.
    let mail = app.mail_text("karen@example.dk", "organiser_link").await;
    let link = mail
        .split_whitespace()
        .find(|w| w.contains("/organiser#"))
        .unwrap_or_else(|| panic!("no link in {mail}"));
    let secret = link.split('#').nth(1).unwrap();
    let seen = people(&app, secret).await;
    assert_eq!(seen["proposer"], false);
    assert_eq!(seen["people"][0]["name"], "Asta");
    assert_eq!(seen["co_organisers"][0]["email"], Value::Null);
    let (status, _) = as_organiser(&app, secret, Method::GET, "/api/v1/follow", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the proposal stays Hanne's");
    let (status, _) = as_organiser(
        &app,
        secret,
        Method::POST,
        path,
        Some(json!({"name": "Bo", "email": "bo@example.dk"})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let co_id = added["id"].as_str().unwrap();
    let (status, _) = as_organiser(
        &app,
        secret,
        Method::DELETE,
        &format!("{path}/{co_id}"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // She writes to the helpers, signing with her own name.
    let (status, sent) =
        write_to_people(&app, secret, json!({"body": "Jeg tager tirsdag morgen."})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{sent}");
    let mail = app.mail_text("asta@example.dk", "organiser_message").await;
    assert!(mail.contains("Karen Holm"), "{mail}");

    // Hanne removes her: the link stops.
    let response = app
        .client
        .delete(app.url(&format!("{path}/{co_id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = app
        .client
        .get(app.url("/api/v1/follow/people"))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

/// Katrine's walking bus to Stilling Skole, pinned on the school, published:
/// its id and her follow token.
async fn katrines_walking_bus(app: &TestApp, title: &str, school: (f64, f64)) -> (String, String) {
    let response = app
        .post_json(
            "/api/v1/municipalities/skanderborg/initiatives",
            &json!({
                "title": title,
                "summary": "Forældre skiftes til at gå med børnene i skole om morgenen.",
                "category": "walking_group",
                "institution": "stilling-skole",
                "place": {"name": "Stilling Skole", "lat": school.0, "lon": school.1},
                "contact": {"name": "Katrine", "email": "katrine@example.dk"}
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    app.publish(&id).await;
    (id, created["follow_token"].as_str().unwrap().to_string())
}

/// A family joins the walking bus `id`, with a home when `family` has one;
/// the signup ids of everyone who joined so far.
async fn family_joins(
    app: &TestApp,
    id: &str,
    token: &str,
    name: &str,
    family: Value,
) -> Vec<String> {
    let response = app
        .post_json(
            &format!("/api/v1/municipalities/skanderborg/initiatives/{id}/signups"),
            &json!({"contact": {"name": name, "email": format!("{}@example.dk", name.to_lowercase())},
                    "family": family}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "{name}");
    people(app, token).await["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["signup_id"].as_str().unwrap().to_string())
        .collect()
}

async fn the_organiser_sees_her_escort_groups_as_routes(app: TestApp) {
    let school: (f64, f64) = (56.0611, 10.0004);
    let (id, token) = katrines_walking_bus(&app, "Gå-bus fra Nordvej", school).await;
    // Three homes north of the school, near and far; one family gives none.
    let mut ids = Vec::new();
    for (name, km_north) in [
        ("Nanna", Some(0.4)),
        ("Niels", Some(0.9)),
        ("Nora", Some(1.5)),
        ("Uffe", None),
    ] {
        let mut family = json!({"child_age_band": "6-9", "area": "Stilling"});
        if let Some(km) = km_north {
            family["lat"] = json!(school.0 + km / 111.195);
            family["lon"] = json!(school.1);
        }
        ids = family_joins(&app, &id, &token, name, family).await;
    }
    assert_eq!(ids.len(), 4);

    // Her one route, as saved, read again, and once handed over.
    let route = json!({"from": "north", "homes": 3, "nearest_km": 0.4, "farthest_km": 1.5,
                       "without_point": 1, "to": {"kind": "school"}});
    let groups_path = "/api/v1/follow/groups";
    let draft = json!({"groups": [{"name": "Nordvej", "members": ids}]});
    let (status, saved) =
        as_organiser(&app, &token, Method::PUT, groups_path, Some(draft), None).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["groups"][0]["route"], route, "{saved}");
    let (_, read) = as_organiser(&app, &token, Method::GET, groups_path, None, None).await;
    assert_eq!(read["groups"][0]["route"], route);
    let (status, handed) = as_organiser(
        &app,
        &token,
        Method::POST,
        "/api/v1/follow/groups/hand-over",
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{handed}");
    assert_eq!(handed["groups"][0]["route"], route);

    // Two groups by hand: each its own route; a group whose only member
    // gave no home is no route.
    let (second, token) = katrines_walking_bus(&app, "Gå-bus nummer to", school).await;
    let east = school.1 + 0.8 / (111.195 * school.0.to_radians().cos());
    family_joins(
        &app,
        &second,
        &token,
        "Ole",
        json!({"child_age_band": "6-9", "area": "Stilling", "lat": school.0, "lon": east}),
    )
    .await;
    let ids = family_joins(
        &app,
        &second,
        &token,
        "Ulla",
        json!({"child_age_band": "6-9", "area": "Stilling"}),
    )
    .await;
    let draft = json!({"groups": [{"members": [ids[0]]}, {"members": [ids[1]]}]});
    let (status, saved) =
        as_organiser(&app, &token, Method::PUT, groups_path, Some(draft), None).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        saved["groups"][0]["route"],
        json!({"from": "east", "homes": 1, "nearest_km": 0.8, "farthest_km": 0.8,
               "without_point": 0, "to": {"kind": "school"}})
    );
    assert_eq!(saved["groups"][1]["route"], Value::Null, "{saved}");
}
