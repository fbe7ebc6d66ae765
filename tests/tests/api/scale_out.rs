//! Two backends on one PostgreSQL database, a client spreading its requests
//! over both: idempotency and the moderation race hold across them. The two
//! servers run in this test process, each with its own state and pool;
//! `backend/tests/two_processes.rs` does the same with two `sammen`
//! processes, started at once, one of them killed midway.

use reqwest::StatusCode;
use sammen_tests::{args, good_proposal, Backend, TestApp};
use serde_json::{json, Value};
use uuid::Uuid;

const PROPOSE: &str = "/api/v1/municipalities/billund/initiatives";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_idempotency_key_on_two_backends_makes_one_row() {
    let first = TestApp::spawn(Backend::Postgres).await;
    let second = first.spawn_beside().await;
    assert_ne!(first.base, second.base);

    for round in 0..12 {
        let key = Uuid::new_v4();
        let mut body = good_proposal();
        let title = format!("Sneryddere nr. {round}");
        body["title"] = json!(title);
        // The same write, at the same moment, to both backends (and a retry
        // to each right behind it).
        let (a, b, c, d) = tokio::join!(
            first.post_idempotent(PROPOSE, key, &body),
            second.post_idempotent(PROPOSE, key, &body),
            second.post_idempotent(PROPOSE, key, &body),
            first.post_idempotent(PROPOSE, key, &body),
        );
        let mut answers = Vec::new();
        for response in [a, b, c, d] {
            let status = response.status();
            let replayed = response.headers().contains_key("idempotent-replayed");
            let json: Value = response.json().await.unwrap();
            assert_eq!(status, StatusCode::CREATED, "round {round}: {json}");
            answers.push((json, replayed));
        }
        assert!(
            answers.iter().all(|(a, _)| *a == answers[0].0),
            "round {round}: one answer"
        );
        assert_eq!(
            answers.iter().filter(|(_, replayed)| !replayed).count(),
            1,
            "round {round}: one first answer, the rest replayed"
        );
        let rows = first
            .count(
                "SELECT COUNT(*) FROM initiatives WHERE title = $1",
                args![title.as_str()],
            )
            .await;
        assert_eq!(rows, 1, "round {round}: exactly one row");
    }

    // Spread over both, every proposal is readable through the other.
    let created = second.propose(&good_proposal()).await;
    let token = created["follow_token"].as_str().unwrap();
    let follow = first
        .client
        .get(first.url("/api/v1/follow"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(follow.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_coordinators_on_two_backends_deciding_at_once_one_wins() {
    let first = TestApp::spawn(Backend::Postgres).await;
    let second = first.spawn_beside().await;
    let admin = first.sign_in("admin@billund.demo").await;
    let pia = second.sign_in("pia@regnbuen.demo").await;

    for round in 0..10 {
        let created = first.propose(&good_proposal()).await;
        let id = created["id"].as_str().unwrap();
        let path = format!("/api/v1/admin/initiatives/{id}/decisions");
        let publish = json!({"action": "publish", "version": 1});
        let decline = json!({"action": "decline", "version": 1, "message": "Det ligger uden for børnehaven."});
        let (a, b) = tokio::join!(admin.post(&path, &publish), pia.post(&path, &decline));
        let (a_status, b_status) = (a.status(), b.status());
        let (a_body, b_body): (Value, Value) = (a.json().await.unwrap(), b.json().await.unwrap());
        let mut statuses = [a_status, b_status];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "round {round}: {a_body} / {b_body}"
        );
        let (winner, loser) = if a_status == StatusCode::OK {
            ("published", &b_body)
        } else {
            ("declined", &a_body)
        };
        assert_eq!(loser["error"]["code"], "conflict");
        assert_eq!(
            loser["error"]["current"]["status"], winner,
            "the loser sees who won"
        );
        assert_eq!(loser["error"]["current"]["version"], 2);
        let uuid = Uuid::parse_str(id).unwrap();
        let stored = second
            .count(
                "SELECT COUNT(*) FROM initiatives WHERE id = $1 AND status = $2 AND version = 2",
                args![uuid, winner],
            )
            .await;
        assert_eq!(stored, 1, "round {round}");
        let decisions = first
            .count(
                "SELECT COUNT(*) FROM audit_log WHERE subject_id = $1 AND action IN ('publish', 'decline')",
                args![id],
            )
            .await;
        assert_eq!(decisions, 1, "round {round}: one decision audited");
    }
}
