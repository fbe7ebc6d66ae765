//! Behind the reverse proxy every production setup has: the client address
//! comes from `X-Forwarded-For` / `Forwarded` only when the peer is a trusted
//! proxy, and write limits and the sign-in throttle count per client, not
//! per proxy. Sign-in counts failures only, and a stranger cannot lock a
//! coordinator out.

use reqwest::StatusCode;
use sammen_tests::{good_proposal, on_both_databases, Backend, TestApp, DEMO_PASSWORD};
use serde_json::{json, Value};

const PROPOSE: &str = "/api/v1/municipalities/billund/initiatives";

/// Proposes as the client behind `forwarded_for`; returns the status.
async fn propose_from(app: &TestApp, forwarded_for: &str) -> u16 {
    app.client
        .post(app.url(PROPOSE))
        .header("x-forwarded-for", forwarded_for)
        .json(&good_proposal())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// With 6 writes a minute, a burst of 2 passes and the third waits.
const SIX_A_MINUTE: (&str, &str) = ("SAMMEN_WRITES_PER_MINUTE_PER_ADDRESS", "6");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_behind_a_trusted_proxy_have_their_own_write_limits() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[SIX_A_MINUTE, ("SAMMEN_TRUSTED_PROXIES", "127.0.0.1, ::1")],
    )
    .await;
    let mut first = Vec::new();
    for _ in 0..3 {
        first.push(propose_from(&app, "203.0.113.1").await);
    }
    assert_eq!(first, [201, 201, 429], "one client is limited");
    assert_eq!(
        propose_from(&app, "203.0.113.2").await,
        201,
        "its neighbour behind the same proxy is not"
    );
    // A client's own `Forwarded` header is not what our proxy writes.
    let mut statuses = Vec::new();
    for n in 0..3 {
        let answer = app
            .client
            .post(app.url(PROPOSE))
            .header("x-forwarded-for", "203.0.113.3")
            .header("forwarded", format!("for=198.51.100.{n}"))
            .json(&good_proposal())
            .send()
            .await
            .unwrap();
        statuses.push(answer.status().as_u16());
    }
    assert_eq!(statuses, [201, 201, 429]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_that_writes_forwarded_is_read_when_configured() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[
            SIX_A_MINUTE,
            ("SAMMEN_TRUSTED_PROXIES", "127.0.0.1, ::1"),
            ("SAMMEN_CLIENT_ADDRESS_HEADER", "forwarded"),
        ],
    )
    .await;
    let propose = |forwarded: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(app.url(PROPOSE))
                .header("forwarded", forwarded)
                .json(&good_proposal())
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(propose("for=\"[2001:db8::5]:4711\";proto=https").await);
    }
    assert_eq!(statuses, [201, 201, 429]);
    assert_eq!(propose("for=192.0.2.60").await, 201, "another client");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_headers_from_an_untrusted_peer_are_ignored() {
    // The proxies are elsewhere; the test client connects from 127.0.0.1.
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[SIX_A_MINUTE, ("SAMMEN_TRUSTED_PROXIES", "10.0.0.0/8")],
    )
    .await;
    let mut statuses = Vec::new();
    for n in 0..3 {
        statuses.push(propose_from(&app, &format!("203.0.113.{n}")).await);
    }
    assert_eq!(
        statuses,
        [201, 201, 429],
        "made-up addresses are one client"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_left_most_entry_does_not_escape_the_limit() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[SIX_A_MINUTE, ("SAMMEN_TRUSTED_PROXIES", "127.0.0.1, ::1")],
    )
    .await;
    // The client sends its own X-Forwarded-For; the proxy appends what it saw.
    let forged = [
        "198.51.100.1, 203.0.113.7",
        "198.51.100.2, 203.0.113.7",
        "not an address, 203.0.113.7",
    ];
    let mut statuses = Vec::new();
    for header in forged {
        statuses.push(propose_from(&app, header).await);
    }
    assert_eq!(statuses, [201, 201, 429]);
    // Nor do forged entries push the proxy's own bucket: another client is free.
    assert_eq!(propose_from(&app, "203.0.113.8").await, 201);
}

const BEHIND_PROXY: &[(&str, &str)] = &[("SAMMEN_TRUSTED_PROXIES", "127.0.0.1, ::1")];

async fn sign_in_from(
    app: &TestApp,
    client: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/admin/session"))
        .header("x-forwarded-for", client)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

on_both_databases!(a_town_hall_behind_one_address_signs_in_all_morning with BEHIND_PROXY);

/// Successful sign-ins use nothing up: 40 from one address (the old limit
/// was 30 attempts per address, successes included).
async fn a_town_hall_behind_one_address_signs_in_all_morning(app: TestApp) {
    let staff = [
        "admin@billund.demo",
        "pia@regnbuen.demo",
        "lars@stenderup.demo",
    ];
    for n in 0..40 {
        let email = staff[n % staff.len()];
        let answer = sign_in_from(&app, "198.51.100.10", email, DEMO_PASSWORD).await;
        assert_eq!(answer.status(), StatusCode::OK, "sign-in {n} of {email}");
    }
    // A colleague's typo now and then is fine too.
    let typo = sign_in_from(&app, "198.51.100.10", "pia@regnbuen.demo", "oops").await;
    assert_eq!(typo.status(), StatusCode::UNAUTHORIZED);
    let again = sign_in_from(&app, "198.51.100.10", "pia@regnbuen.demo", DEMO_PASSWORD).await;
    assert_eq!(again.status(), StatusCode::OK);
    // The audit log has the client's address, not the proxy's.
    let admin = app.sign_in("admin@billund.demo").await;
    let audit: Value = admin
        .get("/api/v1/admin/audit?per_page=200")
        .await
        .json()
        .await
        .unwrap();
    let addresses: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["action"] == "sign_in")
        .filter_map(|entry| entry["address"].as_str())
        .collect();
    assert!(addresses.contains(&"198.51.100.10"), "{addresses:?}");
}

on_both_databases!(a_stranger_cannot_lock_a_coordinator_out with BEHIND_PROXY);

async fn a_stranger_cannot_lock_a_coordinator_out(app: TestApp) {
    let pia = "pia@regnbuen.demo";
    let desk = "198.51.100.20";
    assert_eq!(
        sign_in_from(&app, desk, pia, DEMO_PASSWORD).await.status(),
        StatusCode::OK
    );

    // A stranger guesses Pia's password from one address: five tries, then
    // a wait that grows.
    let stranger = "203.0.113.66";
    for n in 1..=5 {
        let answer = sign_in_from(&app, stranger, pia, &format!("guess {n}")).await;
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED, "guess {n}");
    }
    let waiting = sign_in_from(&app, stranger, pia, "guess 6").await;
    assert_eq!(waiting.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: i64 = waiting.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&wait), "the first wait is short: {wait}");
    let error: Value = waiting.json().await.unwrap();
    assert_eq!(error["error"]["code"], "rate_limited");
    // Even the right password waits at the stranger's address …
    assert_eq!(
        sign_in_from(&app, stranger, pia, DEMO_PASSWORD)
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // … but Pia at her desk is not locked out.
    assert_eq!(
        sign_in_from(&app, desk, pia, DEMO_PASSWORD).await.status(),
        StatusCode::OK
    );

    // Many addresses, one guess each, 20 failures for the account in all:
    // from now on an address Pia never used must wait …
    for n in 1..=15 {
        let answer = sign_in_from(&app, &format!("192.0.2.{n}"), pia, "spray").await;
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED, "spray {n}");
    }
    let new_place = sign_in_from(&app, "192.0.2.200", pia, DEMO_PASSWORD).await;
    assert_eq!(new_place.status(), StatusCode::TOO_MANY_REQUESTS);
    // … while her usual desk still signs in, and so do her colleagues.
    assert_eq!(
        sign_in_from(&app, desk, pia, DEMO_PASSWORD).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        sign_in_from(&app, "192.0.2.200", "lars@stenderup.demo", DEMO_PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
}

on_both_databases!(refused_attempts_store_nothing_and_keys_are_hashes with BEHIND_PROXY);

/// A password typed into the email field is never stored, a huge "email"
/// makes rows no bigger, and an attempt refused by the throttle writes
/// nothing.
async fn refused_attempts_store_nothing_and_keys_are_hashes(app: TestApp) {
    let huge = format!(
        "{}@example.dk",
        "correct horse battery staple ".repeat(2000)
    );
    for n in 1..=5 {
        let answer = sign_in_from(&app, "203.0.113.9", &huge, &format!("pw {n}")).await;
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    }
    let rows = "SELECT COUNT(*) FROM sign_in_failures";
    let before = app.count(rows, vec![]).await;
    assert_eq!(before, 3, "one row per counter: pair, address, account");
    let long_keys = app
        .count(
            "SELECT COUNT(*) FROM sign_in_failures WHERE LENGTH(key) <> 64",
            vec![],
        )
        .await;
    assert_eq!(long_keys, 0, "keys are SHA-256 hex");
    let plain = app
        .count(
            "SELECT COUNT(*) FROM sign_in_failures WHERE key LIKE '%horse%' OR key LIKE '%@%'",
            vec![],
        )
        .await;
    assert_eq!(plain, 0);
    let attempts: i64 = app
        .count(
            "SELECT CAST(COALESCE(SUM(failures), 0) AS BIGINT) FROM sign_in_failures",
            vec![],
        )
        .await;
    for _ in 0..10 {
        let refused = sign_in_from(&app, "203.0.113.9", &huge, "again").await;
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    }
    assert_eq!(app.count(rows, vec![]).await, before, "no new rows");
    assert_eq!(
        app.count(
            "SELECT CAST(COALESCE(SUM(failures), 0) AS BIGINT) FROM sign_in_failures",
            vec![]
        )
        .await,
        attempts,
        "a refused attempt counts nothing"
    );
    // Counters nobody added to for an hour are forgotten (issue 14, item 1).
    let later = chrono::Utc::now() + chrono::Duration::minutes(61);
    let forgotten = sammen_backend::sign_in_throttle::forget_old(&app.db, later)
        .await
        .unwrap();
    assert!(forgotten >= 3, "{forgotten}");
    assert_eq!(app.count(rows, vec![]).await, 0);
}

on_both_databases!(parallel_guesses_do_not_slip_past_the_throttle with BEHIND_PROXY);

async fn parallel_guesses_do_not_slip_past_the_throttle(app: TestApp) {
    let guesses = (0..20).map(|n| {
        let app = &app;
        async move {
            sign_in_from(
                app,
                "203.0.113.50",
                "pia@regnbuen.demo",
                &format!("guess {n}"),
            )
            .await
            .status()
        }
    });
    let statuses = futures::future::join_all(guesses).await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(checked + refused, 20, "{statuses:?}");
    assert!(
        checked <= 5,
        "at most the free five were checked: {statuses:?}"
    );
}
