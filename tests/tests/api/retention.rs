//! The retention job erases personal data once the municipality's period has
//! passed since an initiative was declined or archived, or an offer was made.
//! The clock is moved by calling the job's sweep with a later time.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use sammen_backend::retention::{sweep, Swept, SENT_MAIL_KEPT_DAYS};
use sammen_tests::{args, good_proposal, on_both_databases, TestApp};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::trust::{good_offer, signups_path, OFFERS};

on_both_databases!(
    ended_initiatives_and_old_offers_lose_personal_data_after_the_period,
    an_admin_sets_the_retention_period,
    sent_mail_keeps_its_address_and_text_for_thirty_days,
    every_initiative_with_a_contact_has_an_end_of_life,
);

async fn contact_left(app: &TestApp, table: &str, id: Uuid) -> i64 {
    app.count(
        &format!("SELECT COUNT(*) FROM {table} WHERE id = $1 AND contact_name IS NOT NULL"),
        args![id],
    )
    .await
}

async fn ended_initiatives_and_old_offers_lose_personal_data_after_the_period(app: TestApp) {
    let admin = app.sign_in("admin@billund.demo").await;
    let decide = |id: Uuid, body: Value| {
        let admin = &admin;
        async move {
            let response = admin
                .post(&format!("/api/v1/admin/initiatives/{id}/decisions"), &body)
                .await;
            assert_eq!(response.status(), StatusCode::OK, "{body}");
        }
    };
    let id_of = |v: &Value| Uuid::parse_str(v["id"].as_str().unwrap()).unwrap();

    let declined = id_of(&app.propose(&good_proposal()).await);
    decide(
        declined,
        json!({"action": "decline", "version": 1, "message": "Nej tak."}),
    )
    .await;
    let archived = id_of(&app.propose(&good_proposal()).await);
    decide(archived, json!({"action": "publish", "version": 1})).await;
    let joined = app
        .post_json(
            &signups_path(&archived.to_string()),
            &json!({"contact": {"name": "Gammel Deltager"},
                    "family": {"child_age_band": "3-5", "area": "Billund"}}),
        )
        .await;
    assert_eq!(joined.status(), StatusCode::CREATED);
    let signup = id_of(&joined.json::<Value>().await.unwrap());
    decide(
        archived,
        json!({"action": "archive", "version": 2, "message": "Tak for i år."}),
    )
    .await;
    let running = id_of(&app.propose(&good_proposal()).await);
    decide(running, json!({"action": "publish", "version": 1})).await;
    let offer: Value = app
        .post_json(OFFERS, &good_offer("gammel@example.dk"))
        .await
        .json()
        .await
        .unwrap();
    let offer = id_of(&offer);

    // Today and eleven months on, nothing is due (Billund and Nordfyns keep
    // data 12 months by default).
    let now = Utc::now();
    for later in [now, now + Duration::days(335)] {
        sweep(&app.db, later).await.expect("a sweep");
        for (table, id) in [
            ("initiatives", declined),
            ("initiatives", archived),
            ("signups", signup),
            ("offers", offer),
        ] {
            assert_eq!(
                contact_left(&app, table, id).await,
                1,
                "{table} {id} kept at {later}"
            );
        }
    }

    // Thirteen months on, what ended is erased — with its signups — and what
    // still runs is not.
    let later = now + Duration::days(400);
    let swept = sweep(&app.db, later).await.expect("a sweep");
    assert!(
        swept.initiatives >= 2 && swept.signups >= 1 && swept.offers >= 1,
        "{swept:?}"
    );
    for (table, id) in [
        ("initiatives", declined),
        ("initiatives", archived),
        ("signups", signup),
        ("offers", offer),
    ] {
        assert_eq!(
            contact_left(&app, table, id).await,
            0,
            "{table} {id} erased"
        );
        assert_eq!(
            app.count(
                &format!("SELECT COUNT(*) FROM {table} WHERE id = $1 AND erased_at IS NOT NULL"),
                args![id]
            )
            .await,
            1,
            "{table} {id} stays as a count"
        );
    }
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM initiatives WHERE id = $1 AND title = '' AND summary = ''",
            args![declined]
        )
        .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM messages WHERE initiative_id = $1",
            args![declined]
        )
        .await,
        0
    );
    assert_eq!(
        contact_left(&app, "initiatives", running).await,
        1,
        "a running initiative keeps its contact"
    );
    // Once erased, a record is not erased again (mail sent since the first
    // sweep may still be emptied).
    let again = sweep(&app.db, later).await.expect("a sweep");
    assert_eq!(
        again,
        Swept {
            mails: again.mails,
            ..Swept::default()
        }
    );
    let audit: Value = admin
        .get("/api/v1/admin/audit?per_page=200")
        .await
        .json()
        .await
        .unwrap();
    assert!(audit
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["actor"] == "retention job" && e["subject_id"] == declined.to_string()));
}

async fn an_admin_sets_the_retention_period(app: TestApp) {
    let admin = app.sign_in("admin@nordfyns.demo").await;
    let current: Value = admin
        .get("/api/v1/admin/retention")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(current, json!({"months": 12}));
    for months in [0, 121] {
        let response = admin
            .request(reqwest::Method::PUT, "/api/v1/admin/retention")
            .json(&json!({"months": months}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let response = admin
        .request(reqwest::Method::PUT, "/api/v1/admin/retention")
        .json(&json!({"months": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let pia = app.sign_in("pia@regnbuen.demo").await;
    let response = pia
        .request(reqwest::Method::PUT, "/api/v1/admin/retention")
        .json(&json!({"months": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let offer: Value = app
        .post_json(OFFERS, &good_offer("kort@example.dk"))
        .await
        .json()
        .await
        .unwrap();
    let offer = Uuid::parse_str(offer["id"].as_str().unwrap()).unwrap();
    let billund_offer: Value = app
        .post_json(
            "/api/v1/municipalities/billund/offers",
            &good_offer("lang@example.dk"),
        )
        .await
        .json()
        .await
        .unwrap();
    let billund_offer = Uuid::parse_str(billund_offer["id"].as_str().unwrap()).unwrap();

    // Four months on: Nordfyns' three months are up, Billund's twelve are not.
    sweep(&app.db, Utc::now() + Duration::days(124))
        .await
        .expect("a sweep");
    assert_eq!(contact_left(&app, "offers", offer).await, 0);
    assert_eq!(contact_left(&app, "offers", billund_offer).await, 1);
    let texts: Value = app
        .get_json("/api/v1/municipalities/nordfyns/consent")
        .await;
    assert!(
        texts[0]["how_long"].as_str().unwrap().contains("3 måneder"),
        "{texts}"
    );
    let audit: Value = admin.get("/api/v1/admin/audit").await.json().await.unwrap();
    assert!(audit
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "set_retention"));
}

async fn sent_mail_keeps_its_address_and_text_for_thirty_days(app: TestApp) {
    let created = app.propose(&good_proposal()).await;
    let id = created["id"].as_str().unwrap();
    let admin = app.sign_in("admin@billund.demo").await;
    let published = admin
        .post(
            &format!("/api/v1/admin/initiatives/{id}/decisions"),
            &json!({"action": "publish", "version": 1}),
        )
        .await;
    assert_eq!(published.status(), StatusCode::OK);
    // Someone joins and the organiser writes to them: a mail with no secret.
    let joined = app
        .post_json(
            &format!("/api/v1/municipalities/billund/initiatives/{id}/signups"),
            &json!({"contact": {"name": "Jonas", "email": "jonas@example.dk"},
                    "family": {"child_age_band": "3-5", "area": "Billund"}}),
        )
        .await;
    assert_eq!(joined.status(), StatusCode::CREATED);
    let written = app
        .client
        .post(app.url("/api/v1/follow/people/messages"))
        .bearer_auth(created["follow_token"].as_str().unwrap())
        .json(&json!({"body": "Vi ses torsdag."}))
        .send()
        .await
        .unwrap();
    assert_eq!(written.status(), StatusCode::ACCEPTED);
    let unsent = "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL";
    for _ in 0..200 {
        if app.count(unsent, vec![]).await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        app.count(unsent, vec![]).await,
        0,
        "the worker sent the mail"
    );
    let readable = "SELECT COUNT(*) FROM outbox WHERE recipient = 'jonas@example.dk' \
                    AND kind = 'organiser_message' AND body <> '' AND subject <> ''";
    let sent = app.count(readable, vec![]).await;
    assert_eq!(sent, 1, "the organiser wrote to Jonas");
    // Mail that carried a private link keeps no text once it is sent.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE kind IN ('publish', 'signup_link') AND body <> ''",
            vec![]
        )
        .await,
        0,
        "the proposer's follow link and Jonas's private link are not kept"
    );

    let now = Utc::now();
    let kept = sweep(&app.db, now + Duration::days(SENT_MAIL_KEPT_DAYS - 1))
        .await
        .expect("a sweep");
    assert_eq!(kept.mails, 0);
    assert_eq!(app.count(readable, vec![]).await, sent);

    let later = sweep(&app.db, now + Duration::days(SENT_MAIL_KEPT_DAYS + 1))
        .await
        .expect("a sweep");
    assert!(later.mails as i64 >= sent, "{later:?}");
    assert_eq!(app.count(readable, vec![]).await, 0);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL AND recipient = '' \
             AND subject = '' AND body = ''",
            vec![]
        )
        .await,
        later.mails as i64,
        "the rows stay as a count of what went out"
    );
    assert!(
        contact_left(
            &app,
            "initiatives",
            Uuid::parse_str(created["id"].as_str().unwrap()).unwrap()
        )
        .await
            == 1,
        "a running initiative keeps its contact"
    );
}

/// Issue 14, item 9: proposals nobody moderated, completed initiatives and
/// initiatives left published have an end of life too.
async fn every_initiative_with_a_contact_has_an_end_of_life(app: TestApp) {
    let admin = app.sign_in("admin@billund.demo").await;
    let id_of = |v: &Value| Uuid::parse_str(v["id"].as_str().unwrap()).unwrap();
    let forgotten = id_of(&app.propose(&good_proposal()).await);
    let completed = id_of(&app.propose(&good_proposal()).await);
    for (version, action) in [(1, "publish"), (2, "complete")] {
        let decided = admin
            .post(
                &format!("/api/v1/admin/initiatives/{completed}/decisions"),
                &json!({"action": action, "version": version, "message": "Tak!"}),
            )
            .await;
        assert_eq!(decided.status(), StatusCode::OK, "{action}");
    }
    let left_published = id_of(&app.propose(&good_proposal()).await);
    app.publish(&left_published.to_string()).await;
    let busy = id_of(&app.propose(&good_proposal()).await);
    app.publish(&busy.to_string()).await;

    let now = Utc::now();
    // A year and a month on: the forgotten proposal and the completed
    // initiative are past their time; what is published is not yet.
    let swept = sweep(&app.db, now + Duration::days(400)).await.unwrap();
    assert!(swept.initiatives >= 2, "{swept:?}");
    assert_eq!(contact_left(&app, "initiatives", forgotten).await, 0);
    assert_eq!(contact_left(&app, "initiatives", completed).await, 0);
    assert_eq!(contact_left(&app, "initiatives", left_published).await, 1);
    // A completed initiative stays public as what came of it, without contact.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM initiatives WHERE id = $1 AND title <> ''",
            args![completed]
        )
        .await,
        1
    );

    // Two years and a month on, with a signup to the busy one a month
    // before: the forgotten published initiative goes, the busy one stays.
    let two_years = now + Duration::days(760);
    {
        let mut conn = app.db.acquire().await.unwrap();
        sammen_backend::db::execute(
            &mut conn,
            "INSERT INTO signups (id, initiative_id, contact_name, created_at) VALUES ($1, $2, 'Ny', $3)",
            args![Uuid::new_v4(), busy, two_years - Duration::days(30)],
        )
        .await
        .unwrap();
    }
    sweep(&app.db, two_years).await.unwrap();
    assert_eq!(contact_left(&app, "initiatives", left_published).await, 0);
    assert_eq!(contact_left(&app, "initiatives", busy).await, 1);
}
