//! Mail for real: the outbox delivers over SMTP to a real SMTP server
//! (aiosmtpd, started by the test), retries with a growing wait while the
//! server is down and delivers once it is back, and gives up on a permanent
//! refusal, which the coordinator then sees with the initiative.

use std::time::Duration;

use reqwest::StatusCode;
use sammen_tests::{args, free_port, good_proposal, Backend, SmtpServer, TestApp};
use serde_json::{json, Value};
use uuid::Uuid;

/// Runs `name(backend)` as `name::sqlite` and `name::postgres`.
macro_rules! on_both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(sammen_tests::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name(sammen_tests::Backend::Postgres).await
            }
        }
    };
}

async fn with_smtp(backend: Backend, smtp_url: &str) -> TestApp {
    TestApp::spawn_with(
        backend,
        &[
            ("SAMMEN_SMTP_URL", smtp_url),
            (
                "SAMMEN_MAIL_FROM",
                "Billund Kommune via Sammen <sammen@billund.example>",
            ),
            ("SAMMEN_PUBLIC_URL", "https://sammen.billund.example"),
            ("SAMMEN_MAIL_RETRY_S", "0.2"),
        ],
    )
    .await
}

/// Proposes (with `email` as the proposer's) and publishes with a message;
/// returns the initiative's id.
async fn propose_and_publish(app: &TestApp, email: &str) -> String {
    let mut proposal = good_proposal();
    proposal["contact"]["email"] = json!(email);
    let created = app.propose(&proposal).await;
    let id = created["id"].as_str().unwrap().to_string();
    let admin = app.sign_in("admin@billund.demo").await;
    let published = admin
        .post(
            &format!("/api/v1/admin/initiatives/{id}/decisions"),
            &json!({"action": "publish", "version": 1, "message": "Velkommen – vi glæder os."}),
        )
        .await;
    assert_eq!(published.status(), StatusCode::OK);
    id
}

/// The coordinator's mail about the initiative (not the confirmation the
/// proposer got when proposing), as the console lists it.
async fn mail_about(app: &TestApp, id: &str) -> Vec<Value> {
    all_mail_about(app, id)
        .await
        .into_iter()
        .filter(|m| m["kind"] != "proposal_received")
        .collect()
}

async fn all_mail_about(app: &TestApp, id: &str) -> Vec<Value> {
    let admin = app.sign_in("admin@billund.demo").await;
    let view: Value = admin
        .get(&format!("/api/v1/admin/initiatives/{id}"))
        .await
        .json()
        .await
        .unwrap();
    view["mail"].as_array().unwrap().clone()
}

on_both!(a_decision_email_arrives_over_smtp_in_danish_with_its_message_id);

async fn a_decision_email_arrives_over_smtp_in_danish_with_its_message_id(backend: Backend) {
    let smtp = SmtpServer::start();
    let app = with_smtp(backend, &smtp.url()).await;
    let id = propose_and_publish(&app, "mette@example.dk").await;
    // Her confirmation with its follow link, and the decision.
    let messages = smtp.wait_for(2).await;
    assert_eq!(messages.len(), 2);
    let message = messages
        .iter()
        .find(|m| m["subject"].as_str().unwrap().starts_with("Nyt om"))
        .expect("the decision");
    assert_eq!(message["mail_from"], "sammen@billund.example");
    assert_eq!(message["rcpt_tos"], json!(["mette@example.dk"]));
    let headers = &message["headers"];
    assert_eq!(
        headers["From"],
        "Billund Kommune via Sammen <sammen@billund.example>"
    );
    assert_eq!(headers["To"], "mette@example.dk");
    assert_eq!(
        message["subject"],
        "Nyt om dit forslag: Legegrupper for 3-5-årige"
    );
    assert_eq!(headers["Content-Type"], "text/plain; charset=\"utf-8\"");
    let body = message["body"].as_str().unwrap();
    assert!(body.starts_with("Kære Mette Hansen"), "{body}");
    assert!(
        body.contains("Billund Kommune har offentliggjort dit forslag"),
        "{body}"
    );
    assert!(body.contains("«Velkommen – vi glæder os.»"), "{body}");
    // The Message-ID is the outbox row's id at Sammen's host: a resend after
    // a crash is the same message to the receiving end.
    let row: Uuid = {
        let mut conn = app.db.acquire().await.unwrap();
        sammen_backend::db::fetch_scalar(
            &mut conn,
            "SELECT id FROM outbox WHERE subject_id = $1 AND kind = 'publish'",
            args![Uuid::parse_str(&id).unwrap()],
        )
        .await
        .unwrap()
    };
    assert_eq!(
        headers["Message-ID"],
        format!("<{row}@sammen.billund.example>")
    );
    let mail = mail_about(&app, &id).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0]["state"], "sent");
    assert_eq!(mail[0]["attempts"], 1);
    assert_eq!(mail[0]["kind"], "publish");
}

on_both!(while_the_mail_server_is_down_the_outbox_retries_and_delivers_once_it_is_back);

async fn while_the_mail_server_is_down_the_outbox_retries_and_delivers_once_it_is_back(
    backend: Backend,
) {
    let port = free_port();
    let app = with_smtp(backend, &format!("smtp://127.0.0.1:{port}")).await;
    let id = propose_and_publish(&app, "mette@example.dk").await;
    // Nobody listens: a few attempts, each after a longer wait.
    let attempts = "SELECT attempts FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL \
                    AND kind = 'publish'";
    for _ in 0..100 {
        if app.count(attempts, vec![]).await >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(app.count(attempts, vec![]).await >= 3, "it retried");
    let mail = mail_about(&app, &id).await;
    assert_eq!(mail[0]["state"], "waiting");
    assert!(
        mail[0]["last_error"].as_str().unwrap().len() > 5,
        "{mail:?}"
    );
    let waits: i64 = app
        .count(
            "SELECT COUNT(*) FROM outbox WHERE next_attempt_at > created_at AND kind = 'publish'",
            vec![],
        )
        .await;
    assert_eq!(waits, 1, "the next attempt waits");

    // The server comes back: the message arrives, once.
    let smtp = SmtpServer::start_on(port);
    let messages = smtp.wait_for(2).await;
    assert!(messages
        .iter()
        .all(|m| m["rcpt_tos"] == json!(["mette@example.dk"])));
    for _ in 0..50 {
        if mail_about(&app, &id).await[0]["state"] == "sent" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(mail_about(&app, &id).await[0]["state"], "sent");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(smtp.messages().len(), 2, "each delivered once");
}

on_both!(a_permanent_refusal_stops_the_retries_and_the_coordinator_sees_it);

async fn a_permanent_refusal_stops_the_retries_and_the_coordinator_sees_it(backend: Backend) {
    let smtp = SmtpServer::start();
    let app = with_smtp(backend, &smtp.url()).await;
    let id = propose_and_publish(&app, "refused.mette@example.dk").await;
    let failed =
        "SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL AND kind <> 'proposal_received'";
    for _ in 0..100 {
        if app.count(failed, vec![]).await == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(app.count(failed, vec![]).await, 1, "marked failed");
    // Several retry periods later it was not tried again.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mail = mail_about(&app, &id).await;
    assert_eq!(mail[0]["state"], "failed");
    assert_eq!(mail[0]["attempts"], 1, "no retries after a 5xx");
    let why = mail[0]["last_error"].as_str().unwrap();
    assert!(why.contains("550"), "{why}");
    assert!(smtp.messages().is_empty());

    // A recipient no mailer can use (written straight to the outbox, as no
    // form accepts one) fails for good too, without a round trip.
    {
        let mut conn = app.db.acquire().await.unwrap();
        let now = chrono::Utc::now();
        sammen_backend::db::execute(
            &mut conn,
            "INSERT INTO outbox (id, municipality, recipient, subject, body, kind, subject_id, \
             created_at, attempts, next_attempt_at) VALUES ($1, 'billund', 'not an address', \
             'x', 'y', 'message', $2, $3, 0, $3)",
            args![Uuid::new_v4(), Uuid::parse_str(&id).unwrap(), now],
        )
        .await
        .unwrap();
    }
    for _ in 0..50 {
        if app.count(failed, vec![]).await == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mail = mail_about(&app, &id).await;
    let unusable = mail
        .iter()
        .find(|m| m["recipient"] == "not an address")
        .expect("listed");
    assert_eq!(unusable["state"], "failed");
    assert_eq!(unusable["attempts"], 1);
    // Failed mail is not "waiting" in the metrics' outbox depth.
    assert_eq!(
        sammen_backend::outbox::depth(&app.db).await.unwrap(),
        0,
        "nothing waits"
    );
}

on_both!(a_morning_of_mail_leaves_in_one_go_not_a_round_per_tick);

/// More mail is due than one round takes (20): the worker goes on with the
/// next round at once instead of at its next tick — here an hour away, so
/// without that only the first 20 would arrive. A round sends to several
/// recipients at once, and each recipient's mail in the order queued.
async fn a_morning_of_mail_leaves_in_one_go_not_a_round_per_tick(backend: Backend) {
    let smtp = SmtpServer::start();
    let hour = "3600000";
    let app = TestApp::spawn_with(
        backend,
        &[
            ("SAMMEN_SMTP_URL", &smtp.url()),
            ("SAMMEN_OUTBOX_INTERVAL_MS", hour),
        ],
    )
    .await;
    let mut tx = app.db.begin().await.unwrap();
    // 100 neighbours, and among the first round five mails to one
    // coordinator, which must reach her in the order they were queued.
    let mut recipients: Vec<String> = (0..100).map(|n| format!("nabo{n}@example.dk")).collect();
    for n in 0..5 {
        recipients.insert(3 + n, "koordinator@example.dk".into());
    }
    let mut hers = 0;
    for recipient in &recipients {
        let subject = if recipient.starts_with("koordinator") {
            hers += 1;
            format!("Nyt forslag {hers}")
        } else {
            "Snerydning i morgen".into()
        };
        sammen_backend::outbox::enqueue(
            &mut tx,
            sammen_backend::outbox::Email {
                municipality: "billund",
                recipient,
                subject,
                body: "Vi mødes kl. 7 ved skolen.".into(),
                kind: "message",
                subject_id: None,
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    // A worker whose first tick is now (the app's own ticked at its start,
    // and sends to the same server if it ticks again).
    let mailer = sammen_backend::outbox::Mailer::new(
        Some(&smtp.url()),
        "sammen@billund.example",
        std::env::temp_dir(),
        Duration::from_millis(3_600_000),
    )
    .unwrap();
    let worker = tokio::spawn(sammen_backend::outbox::run_worker(app.db.clone(), mailer));
    let messages = smtp.wait_for(105).await;
    worker.abort();
    let mut to_her: Vec<&Value> = messages
        .iter()
        .filter(|m| m["rcpt_tos"][0] == "koordinator@example.dk")
        .collect();
    to_her.sort_by_key(|m| m["received"].as_u64());
    let subjects: Vec<&str> = to_her
        .iter()
        .map(|m| m["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        (1..=5)
            .map(|n| format!("Nyt forslag {n}"))
            .collect::<Vec<_>>(),
        "hers in the order queued"
    );
    let mut got: Vec<String> = messages
        .iter()
        .map(|m| m["rcpt_tos"][0].as_str().unwrap().to_string())
        .collect();
    got.sort();
    let mut sent = recipients.clone();
    sent.sort();
    assert_eq!(got, sent, "each once");
    let left = app
        .count(
            "SELECT COUNT(*) FROM outbox WHERE kind = 'message' AND sent_at IS NULL",
            args![],
        )
        .await;
    assert_eq!(left, 0);
}
