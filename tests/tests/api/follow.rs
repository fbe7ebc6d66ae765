//! The proposer's follow link: status, dialogue, reply, edit and resubmit.

use reqwest::StatusCode;
use sammen_tests::{good_proposal, on_both_databases, TestApp};
use serde_json::{json, Value};

on_both_databases!(
    proposer_sees_the_coordinators_question_and_resubmits,
    a_stale_edit_is_refused_with_the_current_state,
    the_follow_link_needs_its_token,
    every_email_to_the_proposer_carries_a_link_back_to_her_page,
);

async fn follow(app: &TestApp, token: &str) -> Value {
    app.get_json_with("/api/v1/follow", token).await
}

async fn proposer_sees_the_coordinators_question_and_resubmits(app: TestApp) {
    let created = app.propose(&good_proposal()).await;
    let (id, token) = (
        created["id"].as_str().unwrap(),
        created["follow_token"].as_str().unwrap(),
    );

    let view = follow(&app, token).await;
    assert_eq!(view["proposal"]["status"], "submitted");
    assert_eq!(
        view["proposal"]["contact"]["email"], "mette@example.dk",
        "the proposer sees their own contact"
    );
    assert_eq!(view["can_edit"], true);
    assert_eq!(view["can_resubmit"], false);

    app.request_changes(id, "Kan I skrive, hvilken aldersgruppe det er for?")
        .await;
    let view = follow(&app, token).await;
    assert_eq!(view["proposal"]["status"], "changes_requested");
    assert_eq!(view["messages"][0]["author"], "coordinator");
    assert_eq!(view["messages"][0]["action"], "request_changes");
    assert_eq!(
        view["messages"][0]["body"],
        "Kan I skrive, hvilken aldersgruppe det er for?"
    );
    assert_eq!(view["can_resubmit"], true);

    let reply = app
        .client
        .post(app.url("/api/v1/follow/messages"))
        .bearer_auth(token)
        .json(&json!({"body": "Selvfølgelig, vi retter det."}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::CREATED);

    let mut edited = good_proposal();
    edited["title"] = json!("Legegrupper for 3-5-årige på Regnbuen");
    edited["audience"] = json!("Familier med børn på 3-5 år");
    let version = view["proposal"]["version"].as_i64().unwrap();
    let response = app
        .client
        .put(app.url("/api/v1/follow"))
        .bearer_auth(token)
        .json(&json!({"version": version, "proposal": edited, "resubmit": true, "message": "Rettet."}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let view: Value = response.json().await.unwrap();
    assert_eq!(view["proposal"]["status"], "submitted");
    assert_eq!(
        view["proposal"]["title"],
        "Legegrupper for 3-5-årige på Regnbuen"
    );
    assert_eq!(view["proposal"]["version"].as_i64().unwrap(), version + 1);
    let messages = view["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[1]["body"], "Selvfølgelig, vi retter det.");
    assert_eq!(messages[2]["action"], "resubmit");

    // Resubmitting again is not a legal move now.
    let again = app
        .client
        .post(app.url("/api/v1/follow/resubmit"))
        .bearer_auth(token)
        .json(&json!({"version": version + 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
}

async fn a_stale_edit_is_refused_with_the_current_state(app: TestApp) {
    let created = app.propose(&good_proposal()).await;
    let (id, token) = (
        created["id"].as_str().unwrap(),
        created["follow_token"].as_str().unwrap(),
    );
    let seen = follow(&app, token).await["proposal"]["version"]
        .as_i64()
        .unwrap();
    app.request_changes(id, "Mangler et sted.").await;

    let response = app
        .client
        .put(app.url("/api/v1/follow"))
        .bearer_auth(token)
        .json(&json!({"version": seen, "proposal": good_proposal()}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["code"], "conflict");
    let message = error["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("changes_requested") && message.contains(&format!("version {}", seen + 1)),
        "{message}"
    );

    let resubmit = app
        .client
        .post(app.url("/api/v1/follow/resubmit"))
        .bearer_auth(token)
        .json(&json!({"version": seen + 1, "message": "Stedet er Regnbuens have."}))
        .send()
        .await
        .unwrap();
    assert_eq!(resubmit.status(), StatusCode::OK);
    let view: Value = resubmit.json().await.unwrap();
    assert_eq!(view["proposal"]["status"], "submitted");
}

async fn the_follow_link_needs_its_token(app: TestApp) {
    let response = app.get("/api/v1/follow").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = app
        .client
        .get(app.url("/api/v1/follow"))
        .bearer_auth("0".repeat(64))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["code"], "not_found");
}

/// The link in the newest mail of `kind` to `address`.
async fn link_in_mail(app: &TestApp, address: &str, kind: &str) -> String {
    let mail = app.mail_text(address, kind).await;
    mail.split_whitespace()
        .find(|w| w.contains("sammen-follow="))
        .unwrap_or_else(|| panic!("no follow link in {mail}"))
        .to_string()
}

async fn every_email_to_the_proposer_carries_a_link_back_to_her_page(app: TestApp) {
    // Proposed on Billund's own page (an allowed site), and on a page
    // elsewhere, whose address is not kept.
    let mut on_billund = good_proposal();
    on_billund["page"] = json!("https://www.billund.dk/borger/sammen?tema=leg#top");
    let created = app.propose(&on_billund).await;
    let (id, first) = (
        created["id"].as_str().unwrap().to_string(),
        created["follow_token"].as_str().unwrap().to_string(),
    );
    let mut elsewhere = good_proposal();
    elsewhere["contact"]["email"] = json!("anden@example.dk");
    elsewhere["page"] = json!("https://evil.example/phish");
    let other = app.propose(&elsewhere).await;
    // The confirmation carries a link of its own already.
    let confirmed = link_in_mail(&app, "mette@example.dk", "proposal_received").await;
    assert!(
        confirmed.starts_with("https://www.billund.dk/borger/sammen?tema=leg#sammen-follow="),
        "{confirmed}"
    );
    let secret = confirmed.split("sammen-follow=").nth(1).unwrap();
    assert_eq!(follow(&app, secret).await["proposal"]["id"], id.as_str());

    let console = app.sign_in("pia@regnbuen.demo").await;
    for (id, version) in [(id.as_str(), 1), (other["id"].as_str().unwrap(), 1)] {
        let response = console
            .post(
                &format!("/api/v1/admin/initiatives/{id}/decisions"),
                &json!({"action": "request_changes", "version": version,
                        "message": "Hvilken aldersgruppe?"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let link = link_in_mail(&app, "mette@example.dk", "request_changes").await;
    assert!(
        link.starts_with("https://www.billund.dk/borger/sammen?tema=leg#sammen-follow="),
        "{link}"
    );
    let mailed = link.split("sammen-follow=").nth(1).unwrap().to_string();
    assert_ne!(mailed, first);
    // Both links open the proposal.
    assert_eq!(follow(&app, &mailed).await["proposal"]["id"], id.as_str());
    assert_eq!(follow(&app, &first).await["proposal"]["id"], id.as_str());
    let link = link_in_mail(&app, "anden@example.dk", "request_changes").await;
    // Sammen's own follow page (the test server's public address).
    assert!(
        link.starts_with("http://127.0.0.1:")
            && link.contains("/follow?municipality=billund#sammen-follow="),
        "{link}"
    );

    // Replacing the link ends every link she had, the mailed ones too.
    let response = app
        .client
        .post(app.url("/api/v1/privacy/link"))
        .bearer_auth(&mailed)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let fresh: Value = response.json().await.unwrap();
    for old in [&mailed, &first] {
        let response = app
            .client
            .get(app.url("/api/v1/follow"))
            .bearer_auth(old)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    let token = fresh["token"].as_str().unwrap();
    assert_eq!(follow(&app, token).await["proposal"]["id"], id.as_str());
}
