//! The coordinators' API: sign-in, roles and tenants, CSRF, throttling,
//! moderation with its dialogue, audit and notifications.

use futures::future::join;
use reqwest::{Method, StatusCode};
use sammen_tests::{good_proposal, on_both_databases, TestApp, DEMO_PASSWORD};
use serde_json::{json, Value};

on_both_databases!(
    a_coordinator_signs_in_and_out,
    a_change_without_the_csrf_token_is_refused,
    wrong_passwords_are_throttled_without_telling_whether_the_email_exists,
    coordinators_see_only_their_institutions_and_municipality,
    the_regnbuen_dialogue_from_proposal_to_publication,
    an_illegal_decision_is_refused_with_the_current_state,
    two_coordinators_deciding_at_once_one_wins,
);

async fn sign_in_raw(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/admin/session"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn queue_titles(console: &sammen_tests::Console<'_>, status: &str) -> Vec<String> {
    let response = console
        .get(&format!("/api/v1/admin/initiatives?status={status}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let queue: Value = response.json().await.unwrap();
    queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}

async fn a_coordinator_signs_in_and_out(app: TestApp) {
    let response = sign_in_raw(&app, "PIA@regnbuen.demo", DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http in tests");
    let session: Value = response.json().await.unwrap();
    assert_eq!(session["coordinator"]["role"], "coordinator");
    assert_eq!(session["coordinator"]["institutions"], json!(["regnbuen"]));

    let console = app.sign_in("pia@regnbuen.demo").await;
    assert_eq!(
        console.get("/api/v1/admin/session").await.status(),
        StatusCode::OK
    );
    let out = console
        .request(Method::DELETE, "/api/v1/admin/session")
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        console.get("/api/v1/admin/session").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/admin/initiatives").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn a_change_without_the_csrf_token_is_refused(app: TestApp) {
    let created = app.propose(&good_proposal()).await;
    let console = app.sign_in("pia@regnbuen.demo").await;
    let path = format!(
        "/api/v1/admin/initiatives/{}/decisions",
        created["id"].as_str().unwrap()
    );
    let decision = json!({"action": "publish", "version": 1});
    for token in [None, Some("0".repeat(64))] {
        let mut request = app
            .client
            .post(app.url(&path))
            .header("cookie", &console.cookie)
            .json(&decision);
        if let Some(token) = token {
            request = request.header("x-csrf-token", token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["code"], "csrf_failed");
    }
    let view: Value = console
        .get(&format!(
            "/api/v1/admin/initiatives/{}",
            created["id"].as_str().unwrap()
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        view["proposal"]["status"], "submitted",
        "nothing was decided"
    );
    assert_eq!(
        console.post(&path, &decision).await.status(),
        StatusCode::OK,
        "with the token it works"
    );
}

async fn wrong_passwords_are_throttled_without_telling_whether_the_email_exists(app: TestApp) {
    let known = sign_in_raw(&app, "pia@regnbuen.demo", "wrong password 1").await;
    let unknown = sign_in_raw(&app, "nobody@regnbuen.demo", "wrong password 1").await;
    assert_eq!(known.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let (known, unknown): (Value, Value) =
        (known.json().await.unwrap(), unknown.json().await.unwrap());
    assert_eq!(
        known, unknown,
        "the same answer for a known and an unknown email"
    );

    for attempt in 2..=5 {
        let response = sign_in_raw(
            &app,
            "pia@regnbuen.demo",
            &format!("wrong password {attempt}"),
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let locked = sign_in_raw(&app, "pia@regnbuen.demo", DEMO_PASSWORD).await;
    assert_eq!(
        locked.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    let wait: i64 = locked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    let error: Value = locked.json().await.unwrap();
    assert_eq!(error["error"]["code"], "rate_limited");
    // Another account from the same address is not locked yet.
    assert_eq!(
        sign_in_raw(&app, "lars@stenderup.demo", DEMO_PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
}

async fn coordinators_see_only_their_institutions_and_municipality(app: TestApp) {
    let mut regnbuen = good_proposal();
    regnbuen["title"] = json!("Forslag til Regnbuen");
    let regnbuen = app.propose(&regnbuen).await;
    let mut stenderup = good_proposal();
    stenderup["title"] = json!("Forslag til Stenderup");
    stenderup["institution"] = json!("stenderup-skole");
    stenderup["category"] = json!("other");
    let stenderup = app.propose(&stenderup).await;
    let stenderup_id = stenderup["id"].as_str().unwrap();

    let pia = app.sign_in("pia@regnbuen.demo").await;
    let titles = queue_titles(&pia, "submitted").await;
    assert!(titles.contains(&"Forslag til Regnbuen".to_string()));
    assert!(!titles.contains(&"Forslag til Stenderup".to_string()));
    assert_eq!(
        pia.get(&format!("/api/v1/admin/initiatives/{stenderup_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let decide = pia
        .post(
            &format!("/api/v1/admin/initiatives/{stenderup_id}/decisions"),
            &json!({"action": "publish", "version": 1}),
        )
        .await;
    assert_eq!(decide.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        pia.get("/api/v1/admin/audit").await.status(),
        StatusCode::FORBIDDEN
    );

    let lars = app.sign_in("lars@stenderup.demo").await;
    let titles = queue_titles(&lars, "submitted").await;
    assert!(titles.contains(&"Forslag til Stenderup".to_string()));
    assert!(!titles.contains(&"Forslag til Regnbuen".to_string()));

    let admin = app.sign_in("admin@billund.demo").await;
    let titles = queue_titles(&admin, "submitted").await;
    assert!(
        titles.contains(&"Forslag til Stenderup".to_string())
            && titles.contains(&"Forslag til Regnbuen".to_string())
    );
    let view: Value = admin
        .get(&format!("/api/v1/admin/initiatives/{stenderup_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        view["proposal"]["contact"]["email"], "mette@example.dk",
        "the coordinator sees the contact"
    );
    assert_eq!(
        admin.get("/api/v1/admin/audit").await.status(),
        StatusCode::OK
    );

    let nordfyns = app.sign_in("admin@nordfyns.demo").await;
    let titles = queue_titles(&nordfyns, "submitted").await;
    assert!(
        titles.is_empty(),
        "Billund's proposals are not Nordfyns' business: {titles:?}"
    );
    let regnbuen_id = regnbuen["id"].as_str().unwrap();
    assert_eq!(
        nordfyns
            .get(&format!("/api/v1/admin/initiatives/{regnbuen_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let decide = nordfyns
        .post(
            &format!("/api/v1/admin/initiatives/{regnbuen_id}/decisions"),
            &json!({"action": "decline", "version": 1, "message": "Nej"}),
        )
        .await;
    assert_eq!(decide.status(), StatusCode::NOT_FOUND);
}

async fn the_regnbuen_dialogue_from_proposal_to_publication(app: TestApp) {
    let created = app.propose(&good_proposal()).await;
    let (id, token) = (
        created["id"].as_str().unwrap(),
        created["follow_token"].as_str().unwrap(),
    );
    let pia = app.sign_in("pia@regnbuen.demo").await;
    let decisions = format!("/api/v1/admin/initiatives/{id}/decisions");

    let without_reason = pia
        .post(
            &decisions,
            &json!({"action": "request_changes", "version": 1}),
        )
        .await;
    assert_eq!(without_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let asked = pia
        .post(&decisions, &json!({"action": "request_changes", "version": 1, "message": "Hvilken aldersgruppe er det for?"}))
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    let asked: Value = asked.json().await.unwrap();
    assert_eq!(asked["proposal"]["status"], "changes_requested");
    assert_eq!(
        asked["allowed_actions"],
        json!([]),
        "the proposer acts next"
    );

    let follow: Value = app
        .client
        .get(app.url("/api/v1/follow"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        follow["messages"][0]["body"],
        "Hvilken aldersgruppe er det for?"
    );
    let version = follow["proposal"]["version"].as_i64().unwrap();
    let mut edited = good_proposal();
    edited["audience"] = json!("Børn på 3-5 år og deres forældre");
    let resubmitted = app
        .client
        .put(app.url("/api/v1/follow"))
        .bearer_auth(token)
        .json(&json!({"version": version, "proposal": edited, "resubmit": true, "message": "Nu står alderen der."}))
        .send()
        .await
        .unwrap();
    assert_eq!(resubmitted.status(), StatusCode::OK);

    assert!(queue_titles(&pia, "submitted")
        .await
        .contains(&"Legegrupper for 3-5-årige".to_string()));
    let view: Value = pia
        .get(&format!("/api/v1/admin/initiatives/{id}"))
        .await
        .json()
        .await
        .unwrap();
    let version = view["proposal"]["version"].as_i64().unwrap();
    let published = pia
        .post(
            &decisions,
            &json!({"action": "publish", "version": version, "message": "Velkommen!", "title": "Legegrupper på Regnbuen"}),
        )
        .await;
    assert_eq!(published.status(), StatusCode::OK);
    let public = app
        .get_json(&format!("/api/v1/municipalities/billund/initiatives/{id}"))
        .await;
    assert_eq!(public["title"], "Legegrupper på Regnbuen");
    let search = app
        .get_json("/api/v1/municipalities/billund/initiatives?q=p%C3%A5%20regnbuen")
        .await;
    assert!(
        search["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == id),
        "the edited title is searchable"
    );

    let admin = app.sign_in("admin@billund.demo").await;
    let audit: Value = admin.get("/api/v1/admin/audit").await.json().await.unwrap();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for expected in ["request_changes", "edit", "publish", "sign_in"] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    let publish = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "publish")
        .unwrap();
    assert!(publish["before"].as_str().unwrap().contains("submitted"));
    assert!(publish["after"].as_str().unwrap().contains("published"));
    assert_eq!(publish["actor"], "pia@regnbuen.demo");

    let outbox = app.outbox().await;
    let kinds: Vec<&str> = outbox.iter().map(|(_, _, kind)| kind.as_str()).collect();
    // The confirmation with her follow link, then the coordinator's two.
    assert_eq!(
        kinds,
        vec!["proposal_received", "request_changes", "publish"]
    );
    assert!(outbox.iter().all(|(to, _, _)| to == "mette@example.dk"));
    assert!(outbox[0].1.starts_with("Vi har fået dit forslag"));
    assert!(outbox[1..]
        .iter()
        .all(|(_, subject, _)| subject.starts_with("Nyt om dit forslag")));
    // The worker delivers them as files.
    let started = std::time::Instant::now();
    loop {
        let files = std::fs::read_dir(app.outbox_dir())
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".eml"))
                    .count()
            })
            .unwrap_or(0);
        // The file is written before the row is marked sent: both, or wait.
        let pending = app
            .count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL", vec![])
            .await;
        if files == 3 && pending == 0 {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 10,
            "the outbox worker wrote {files} of 3 emails, {pending} not marked sent"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn an_illegal_decision_is_refused_with_the_current_state(app: TestApp) {
    let created = app.propose(&good_proposal()).await;
    let id = created["id"].as_str().unwrap();
    let pia = app.sign_in("pia@regnbuen.demo").await;
    let decisions = format!("/api/v1/admin/initiatives/{id}/decisions");
    assert_eq!(pia.post(&decisions, &json!({"action": "decline", "version": 1, "message": "Det ligger uden for børnehaven."})).await.status(), StatusCode::OK);
    let again = pia
        .post(&decisions, &json!({"action": "publish", "version": 2}))
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let error: Value = again.json().await.unwrap();
    assert_eq!(
        error["error"]["current"],
        json!({"status": "declined", "version": 2})
    );
    let resubmit = pia
        .post(&decisions, &json!({"action": "resubmit", "version": 2}))
        .await;
    assert_eq!(
        resubmit.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "only the proposer resubmits"
    );
    let follow: Value = app
        .client
        .get(app.url("/api/v1/follow"))
        .bearer_auth(created["follow_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        follow["messages"][0]["body"], "Det ligger uden for børnehaven.",
        "the proposer reads the reason"
    );
}

async fn two_coordinators_deciding_at_once_one_wins(app: TestApp) {
    let created = app.propose(&good_proposal()).await;
    let id = created["id"].as_str().unwrap();
    let pia = app.sign_in("pia@regnbuen.demo").await;
    let admin = app.sign_in("admin@billund.demo").await;
    let decisions = format!("/api/v1/admin/initiatives/{id}/decisions");
    let publish = json!({"action": "publish", "version": 1});
    let decline = json!({"action": "decline", "version": 1, "message": "Nej tak."});
    let (a, b) = join(
        pia.post(&decisions, &publish),
        admin.post(&decisions, &decline),
    )
    .await;
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let loser = if a.status() == StatusCode::CONFLICT {
        a
    } else {
        b
    };
    let error: Value = loser.json().await.unwrap();
    assert_eq!(error["error"]["current"]["version"], 2);
    let winner_status = error["error"]["current"]["status"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(winner_status == "published" || winner_status == "declined");
    let decided = app
        .count(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('publish', 'decline')",
            vec![],
        )
        .await;
    assert_eq!(decided, 1, "one decision recorded");
}
