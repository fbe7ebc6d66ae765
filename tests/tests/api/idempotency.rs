//! A retry returns the first answer and never writes twice — also when the
//! retries race each other.

use futures::future::join_all;
use reqwest::StatusCode;
use sammen_backend::db::{self, Kind};
use sammen_tests::{args, good_proposal, on_both_databases, TestApp};
use serde_json::{json, Value};
use uuid::Uuid;

on_both_databases!(
    a_retry_returns_the_first_answer,
    twenty_racing_retries_create_one_row,
    a_key_reused_for_another_request_is_refused,
    signups_and_offers_are_idempotent_too,
    the_stored_answer_keeps_no_secret_and_no_person,
    a_retry_is_the_same_request_however_the_path_is_spelt,
    racing_retries_with_a_time_ordered_key_create_one_row,
    a_retry_finds_an_answer_stored_before_time_ordered_keys,
    a_write_refused_at_its_last_insert_leaves_nothing_and_its_retry_writes_once,
);

/// The fingerprint comes from the request (`public_form.rs`): a retry that
/// spells the municipality `bill%75nd` is the same request, and the same key
/// on another route is another request.
async fn a_retry_is_the_same_request_however_the_path_is_spelt(app: TestApp) {
    let key = Uuid::new_v4();
    // No institution, so that Nordfyns would take it too.
    let mut proposal = good_proposal();
    proposal.as_object_mut().unwrap().remove("institution");
    let first = app.post_idempotent(PROPOSE, key, &proposal).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let spelt = app
        .post_idempotent(
            "/api/v1/municipalities/bill%75nd/initiatives",
            key,
            &proposal,
        )
        .await;
    assert_eq!(spelt.status(), 201);
    let spelt: Value = spelt.json().await.unwrap();
    assert_eq!(spelt["id"], first["id"], "replayed, not created again");
    let elsewhere = app
        .post_idempotent(
            "/api/v1/municipalities/nordfyns/initiatives",
            key,
            &proposal,
        )
        .await;
    assert_eq!(elsewhere.status(), 422, "another route with the same key");
    let error: Value = elsewhere.json().await.unwrap();
    assert_eq!(error["error"]["code"], "idempotency_key_reused");
}

/// Issue 14, item 10: the table of stored answers holds neither the fresh
/// follow token nor the proposer's contact, nor the key that would open
/// them; the client with the key still gets its answer back.
async fn the_stored_answer_keeps_no_secret_and_no_person(app: TestApp) {
    let key = Uuid::new_v4();
    let first = app.post_idempotent(PROPOSE, key, &good_proposal()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let token = first["follow_token"].as_str().unwrap().to_string();
    for (what, sql) in [
        (
            "the token",
            format!("SELECT COUNT(*) FROM idempotency WHERE response LIKE '%{token}%'"),
        ),
        (
            "the email",
            "SELECT COUNT(*) FROM idempotency WHERE response LIKE '%mette@example.dk%'".to_string(),
        ),
        (
            "any plain answer",
            "SELECT COUNT(*) FROM idempotency WHERE response LIKE '%{%'".to_string(),
        ),
    ] {
        assert_eq!(app.count(&sql, vec![]).await, 0, "the table holds {what}");
    }
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM idempotency WHERE key = $1",
            args![key]
        )
        .await,
        0,
        "rows are found by a hash of the key"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM idempotency", vec![]).await,
        1
    );
    let again = app.post_idempotent(PROPOSE, key, &good_proposal()).await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(
        again["follow_token"],
        token.as_str(),
        "the client gets its answer back"
    );
}

const PROPOSE: &str = "/api/v1/municipalities/billund/initiatives";

async fn a_retry_returns_the_first_answer(app: TestApp) {
    let key = Uuid::new_v4();
    let first = app.post_idempotent(PROPOSE, key, &good_proposal()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.unwrap();

    let retry = app.post_idempotent(PROPOSE, key, &good_proposal()).await;
    assert_eq!(retry.status(), StatusCode::CREATED);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let retry: Value = retry.json().await.unwrap();
    assert_eq!(retry, first, "same id, same follow token");

    let rows = app
        .count(
            "SELECT COUNT(*) FROM initiatives WHERE contact_name = $1",
            args!["Mette Hansen"],
        )
        .await;
    assert_eq!(rows, 1);
}

async fn twenty_racing_retries_create_one_row(app: TestApp) {
    twenty_racing_retries(app, Uuid::new_v4()).await;
}

/// The widget's keys are UUID v7, whose rows keep the key's time in front
/// (`idempotency.rs`): another statement, the same promise.
async fn racing_retries_with_a_time_ordered_key_create_one_row(app: TestApp) {
    twenty_racing_retries(app, Uuid::now_v7()).await;
}

async fn twenty_racing_retries(app: TestApp, key: Uuid) {
    let mut proposal = good_proposal();
    proposal["title"] = json!("Tyve forsøg, ét forslag");
    let attempts = (0..20).map(|_| app.post_idempotent(PROPOSE, key, &proposal));
    let responses = join_all(attempts).await;
    let mut ids = Vec::new();
    for response in responses {
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        ids.push(body["id"].as_str().unwrap().to_string());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every retry got the same id");
    let rows = app
        .count(
            "SELECT COUNT(*) FROM initiatives WHERE title = $1",
            args!["Tyve forsøg, ét forslag"],
        )
        .await;
    assert_eq!(rows, 1);
}

/// A UUID v7 key's row moved when its time went in front of it: a client
/// whose first try was answered by the version before, and whose retry
/// reaches this one, still gets that first answer and no second proposal.
async fn a_retry_finds_an_answer_stored_before_time_ordered_keys(app: TestApp) {
    use sha2::{Digest, Sha256};
    let key = Uuid::now_v7();
    let first = app.post_idempotent(PROPOSE, key, &good_proposal()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    // Where the version before kept it: the hash of the key alone.
    let digest = Sha256::digest([b"sammen-idempotency-row\0".as_slice(), key.as_bytes()].concat());
    let before = Uuid::from_slice(&digest[..16]).unwrap();
    let mut conn = app.db.acquire().await.unwrap();
    let moved =
        sammen_backend::db::execute(&mut conn, "UPDATE idempotency SET key = $1", args![before])
            .await
            .unwrap();
    drop(conn);
    assert_eq!(moved, 1);

    let retry = app.post_idempotent(PROPOSE, key, &good_proposal()).await;
    assert_eq!(retry.status(), StatusCode::CREATED);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let retry: Value = retry.json().await.unwrap();
    assert_eq!(retry, first, "same id, same follow token");
    let mut other = good_proposal();
    other["title"] = json!("Et helt andet forslag");
    let reused = app.post_idempotent(PROPOSE, key, &other).await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM initiatives WHERE contact_name = $1",
            args!["Mette Hansen"],
        )
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM idempotency", vec![]).await,
        1,
        "the retry stored no second row"
    );
}

async fn a_key_reused_for_another_request_is_refused(app: TestApp) {
    let key = Uuid::new_v4();
    let first = app.post_idempotent(PROPOSE, key, &good_proposal()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let mut other = good_proposal();
    other["title"] = json!("Et helt andet forslag");
    let reused = app.post_idempotent(PROPOSE, key, &other).await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = reused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "idempotency_key_reused");
    let rows = app
        .count(
            "SELECT COUNT(*) FROM initiatives WHERE title = $1",
            args!["Et helt andet forslag"],
        )
        .await;
    assert_eq!(rows, 0);
}

async fn signups_and_offers_are_idempotent_too(app: TestApp) {
    let page = app
        .get_json("/api/v1/municipalities/nordfyns/initiatives?category=snow_clearing")
        .await;
    let id = page["items"][0]["id"].as_str().unwrap();
    let path = format!("/api/v1/municipalities/nordfyns/initiatives/{id}/signups");
    let signup = json!({"contact": {"name": "Karen Sne", "phone": "22334455"}});
    let key = Uuid::new_v4();
    let answers = join_all((0..5).map(|_| app.post_idempotent(&path, key, &signup))).await;
    for answer in answers {
        assert_eq!(answer.status(), StatusCode::CREATED);
    }
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM signups WHERE contact_name = $1",
            args!["Karen Sne"]
        )
        .await,
        1
    );

    let offer = json!({
        "contact": {"name": "Jens Skovl"},
        "tools": ["sneskovl"],
        "area": {"name": "Otterup"}
    });
    let key = Uuid::new_v4();
    let answers = join_all(
        (0..5).map(|_| app.post_idempotent("/api/v1/municipalities/nordfyns/offers", key, &offer)),
    )
    .await;
    for answer in answers {
        assert_eq!(answer.status(), StatusCode::CREATED);
    }
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM offers WHERE contact_name = $1",
            args!["Jens Skovl"]
        )
        .await,
        1
    );
}

/// A proposal is written whole or not at all — its key, the initiative,
/// its needs, its follow link and its mail — also on PostgreSQL, where it
/// goes as one statement at the end (`db::PgWrite`): when the last of its
/// inserts (the mail) is refused, nothing stays, and the same request with
/// the same key, once the refusal is gone, writes it once.
async fn a_write_refused_at_its_last_insert_leaves_nothing_and_its_retry_writes_once(app: TestApp) {
    let refuse = match app.db.kind() {
        Kind::Sqlite => vec![
            "CREATE TRIGGER refuse_mail BEFORE INSERT ON outbox \
             WHEN NEW.recipient = 'mette@example.dk' BEGIN SELECT RAISE(ABORT, 'refused'); END",
        ],
        Kind::Postgres => vec![
            "CREATE FUNCTION refuse_mail() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN IF NEW.recipient = 'mette@example.dk' THEN RAISE EXCEPTION 'refused'; END IF; \
             RETURN NEW; END $$",
            "CREATE TRIGGER refuse_mail BEFORE INSERT ON outbox \
             FOR EACH ROW EXECUTE FUNCTION refuse_mail()",
        ],
    };
    let mut conn = app.db.acquire().await.unwrap();
    for sql in refuse {
        db::execute(&mut conn, sql, args![]).await.unwrap();
    }
    let tables = [
        "idempotency",
        "initiatives",
        "needs",
        "follow_links",
        "outbox",
    ];
    let mut before = Vec::new();
    for table in tables {
        before.push(
            app.count(&format!("SELECT COUNT(*) FROM {table}"), args![])
                .await,
        );
    }

    let key = Uuid::now_v7();
    let refused = app.post_idempotent(PROPOSE, key, &good_proposal()).await;
    assert_eq!(refused.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "internal", "{body}");
    for (table, was) in tables.iter().zip(&before) {
        let now = app
            .count(&format!("SELECT COUNT(*) FROM {table}"), args![])
            .await;
        assert_eq!(now, *was, "{table}: nothing of the refused write stays");
    }

    let drop = match app.db.kind() {
        Kind::Sqlite => "DROP TRIGGER refuse_mail",
        Kind::Postgres => "DROP TRIGGER refuse_mail ON outbox",
    };
    db::execute(&mut conn, drop, args![]).await.unwrap();
    let retry = app.post_idempotent(PROPOSE, key, &good_proposal()).await;
    assert_eq!(retry.status(), StatusCode::CREATED);
    assert!(
        retry.headers().get("idempotent-replayed").is_none(),
        "the first try left no answer to replay"
    );
    let again = app.post_idempotent(PROPOSE, key, &good_proposal()).await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    for (table, was) in tables.iter().zip(&before) {
        let now = app
            .count(&format!("SELECT COUNT(*) FROM {table}"), args![])
            .await;
        assert_eq!(now, was + 1, "{table}: written once");
    }
}
