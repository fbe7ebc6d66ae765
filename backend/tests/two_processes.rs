//! Scale-out with real processes: two `sammen` binaries started at the same
//! moment on one fresh PostgreSQL database (so they race to migrate and to
//! load the demo data), and a client that spreads its requests over both as
//! a load balancer would. The same idempotency key sent to both stores one
//! row; a coordinator's session made on one works on the other; two
//! coordinators deciding at once on the two backends get one 200 and one
//! 409, and the public list read through either, kept in memory by both,
//! says at once what was decided; when one backend is killed, its requests
//! go to the other with the same key and nothing is lost or doubled.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::{Connection, PgConnection};

mod support {
    pub mod scratch_postgres;
    pub mod session;
}
use support::scratch_postgres::ScratchDatabase;
use support::session;

const PASSWORD: &str = "two-processes-password";
const PROPOSE: &str = "/api/v1/municipalities/billund/initiatives";

/// A `sammen` process, killed (SIGKILL) when dropped.
struct Backend {
    child: Child,
    base: String,
    _data: tempfile::TempDir,
}

impl Backend {
    fn start(database_url: &str) -> Backend {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let data = tempfile::tempdir().unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_sammen"))
            .env_clear()
            .env("SAMMEN_ADDR", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", database_url)
            .env("SAMMEN_DATA_DIR", data.path())
            .env("SAMMEN_DEMO", "1")
            .env("SAMMEN_DEMO_PASSWORD", PASSWORD)
            .env("SAMMEN_WRITES_PER_MINUTE_PER_ADDRESS", "0")
            .env("SAMMEN_WRITES_PER_MINUTE_PER_MUNICIPALITY", "0")
            .env("SAMMEN_MIN_FILL_MS", "0")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        Backend {
            child,
            base: format!("http://127.0.0.1:{port}"),
            _data: data,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn wait_ready(client: &reqwest::Client, backend: &mut Backend) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if let Ok(Some(status)) = backend.child.try_wait() {
            panic!("a backend exited while starting beside the other: {status}");
        }
        let ready = client.get(backend.url("/readyz")).send().await;
        if ready.is_ok_and(|r| r.status() == StatusCode::OK) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("a backend did not come up");
}

fn proposal(title: &str) -> Value {
    json!({
        "title": title,
        "summary": "Sendt til to backends på én database.",
        "category": "other",
        "place": {"name": "Billund"},
        "contact": {"name": "Test", "email": "test@example.dk"}
    })
}

async fn count(pg: &mut PgConnection, sql: &str, text: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(text)
        .fetch_one(pg)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_backend_processes_on_one_postgres_database() {
    let database = ScratchDatabase::create().await;
    let url = database.url.clone();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    // Both start at once: migrations and demo data must not trip each other.
    let mut a = Backend::start(&url);
    let mut b = Backend::start(&url);
    wait_ready(&client, &mut a).await;
    wait_ready(&client, &mut b).await;
    let mut pg = PgConnection::connect(&url).await.unwrap();
    let municipalities: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM municipalities")
        .fetch_one(&mut pg)
        .await
        .unwrap();
    let demo = sammen_backend::seed::demo_municipalities().len() as i64;
    assert_eq!(municipalities, demo, "the demo data loaded once");
    // Initiatives have no unique key: a second load would double them.
    let regnbuen: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM initiatives WHERE title = 'Legegrupper for børnene på Regnbuen'",
    )
    .fetch_one(&mut pg)
    .await
    .unwrap();
    assert_eq!(regnbuen, 1, "each demo initiative once");

    // The same write with the same key to both backends at once: one row,
    // one answer.
    for round in 0..20 {
        let title = format!("To backends {round}");
        // Both kinds of key: a UUID v7's row is found another way
        // (`idempotency.rs`).
        let key = if round % 2 == 0 {
            uuid::Uuid::new_v4()
        } else {
            uuid::Uuid::now_v7()
        }
        .to_string();
        let send = |backend: &Backend| {
            client
                .post(backend.url(PROPOSE))
                .header("idempotency-key", &key)
                .json(&proposal(&title))
                .send()
        };
        let (first, second) = tokio::join!(send(&a), send(&b));
        let (first, second) = (first.unwrap(), second.unwrap());
        assert_eq!(first.status(), StatusCode::CREATED, "round {round}");
        assert_eq!(second.status(), StatusCode::CREATED, "round {round}");
        let (first, second): (Value, Value) =
            (first.json().await.unwrap(), second.json().await.unwrap());
        assert_eq!(first, second, "round {round}: one answer");
        let rows = count(
            &mut pg,
            "SELECT COUNT(*) FROM initiatives WHERE title = $1",
            &title,
        )
        .await;
        assert_eq!(rows, 1, "round {round}: one row");
    }

    // A session made on one backend works on the other, and two
    // coordinators deciding at once on the two backends: one wins.
    let (admin_cookie, admin_csrf) =
        session::sign_in(&client, &a.base, "admin@billund.demo", PASSWORD).await;
    let (pia_cookie, pia_csrf) =
        session::sign_in(&client, &b.base, "pia@regnbuen.demo", PASSWORD).await;
    for round in 0..10 {
        let created: Value = client
            .post(a.url(PROPOSE))
            .header("idempotency-key", uuid::Uuid::new_v4().to_string())
            .json(&json!({
                "title": format!("Kapløb {round}"),
                "summary": "To koordinatorer beslutter på samme tid.",
                "category": "playdate_group",
                "institution": "regnbuen",
                "place": {"name": "Regnbuen"},
                "contact": {"name": "Test"}
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let path = format!(
            "/api/v1/admin/initiatives/{}/decisions",
            created["id"].as_str().unwrap()
        );
        let decide = |backend: &Backend, cookie: &str, csrf: &str, body: Value| {
            client
                .post(backend.url(&path))
                .header("cookie", cookie)
                .header("x-csrf-token", csrf)
                .json(&body)
                .send()
        };
        for backend in [&a, &b] {
            let list = client
                .get(backend.url(&format!("{PROPOSE}?q=kapløb {round}")))
                .send()
                .await
                .unwrap();
            assert_eq!(list.status(), StatusCode::OK);
        }
        // The admin signed in on `a` decides through `b`, and Pia the other way.
        let (publish, decline) = tokio::join!(
            decide(
                &b,
                &admin_cookie,
                &admin_csrf,
                json!({"action": "publish", "version": 1})
            ),
            decide(
                &a,
                &pia_cookie,
                &pia_csrf,
                json!({"action": "decline", "version": 1, "message": "Ikke i år."})
            ),
        );
        let published = publish.unwrap().status() == StatusCode::OK;
        let mut statuses = [
            if published {
                StatusCode::OK
            } else {
                StatusCode::CONFLICT
            },
            decline.unwrap().status(),
        ];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "round {round}: one decision wins"
        );
        // Both processes keep public answers in memory; the next read through
        // either says what was decided through the other.
        for backend in [&a, &b] {
            let list: Value = client
                .get(backend.url(&format!("{PROPOSE}?q=kapløb {round}")))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let listed = list["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["id"] == created["id"]);
            assert_eq!(listed, published, "round {round}: {}", backend.base);
        }
    }

    // One backend dies while the client spreads 200 proposals over both; a
    // request that fails on one is sent to the other with the same key.
    let total = 200;
    let mut answered = Vec::new();
    let mut moved = 0;
    let (a_propose, b_propose) = (a.url(PROPOSE), b.url(PROPOSE));
    let mut a = Some(a);
    for i in 0..total {
        if i == total / 3 {
            drop(a.take()); // SIGKILL: requests to it fail from now on
        }
        let title = format!("Failover {i}");
        let key = uuid::Uuid::new_v4().to_string();
        // Round robin: every other request tries `a` first, dead or not.
        let targets = if i % 2 == 0 {
            [&a_propose, &b_propose]
        } else {
            [&b_propose, &a_propose]
        };
        let mut stored = None;
        for target in targets {
            let sent = client
                .post(target)
                .header("idempotency-key", &key)
                .json(&proposal(&title))
                .send()
                .await;
            match sent {
                Ok(response) if response.status() == StatusCode::CREATED => {
                    stored = Some(response.json::<Value>().await.unwrap()["id"].clone());
                    break;
                }
                Ok(response) => panic!("{title}: {}", response.status()),
                Err(_) => moved += 1,
            }
        }
        answered.push(stored.unwrap_or_else(|| panic!("{title} was never stored")));
    }
    let rows = count(
        &mut pg,
        "SELECT COUNT(*) FROM initiatives WHERE title LIKE $1",
        "Failover %",
    )
    .await;
    let distinct = count(
        &mut pg,
        "SELECT COUNT(DISTINCT title) FROM initiatives WHERE title LIKE $1",
        "Failover %",
    )
    .await;
    let mut ids: Vec<String> = answered.iter().map(Value::to_string).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total, "each proposal answered with its own row");
    println!("{total} proposals over two backends, one killed: {moved} requests moved to the other, {rows} stored");
    assert!(moved > 0, "requests went to the dead backend first");
    assert_eq!(rows, total as i64, "none lost, none doubled");
    assert_eq!(distinct, total as i64);

    drop(b);
    drop(pg);
    database.drop_database().await;
}
