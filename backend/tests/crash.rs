//! Crash safety: while clients submit proposals with idempotency keys and
//! retry on any failure, the server is killed with SIGKILL several times and
//! restarted. Afterwards every proposal is stored exactly once — none lost,
//! none doubled — and each one's answer names the stored row. On SQLite and
//! PostgreSQL. The count is small here (it runs in CI); `SAMMEN_CRASH_COUNT`
//! raises it for the benchmark run.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod support {
    pub mod scratch_postgres;
}
use support::scratch_postgres::ScratchDatabase;

struct Server {
    child: Option<Child>,
    port: u16,
    env: Vec<(String, String)>,
}

impl Server {
    fn start(&mut self) {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sammen"));
        command
            .env_clear()
            .env("SAMMEN_ADDR", format!("127.0.0.1:{}", self.port))
            .env("SAMMEN_DEMO", "1")
            .env("SAMMEN_DEMO_PASSWORD", "crash-test-password")
            .env("SAMMEN_WRITES_PER_MINUTE_PER_ADDRESS", "0")
            .env("SAMMEN_WRITES_PER_MINUTE_PER_MUNICIPALITY", "0")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (key, value) in &self.env {
            command.env(key, value);
        }
        self.child = Some(command.spawn().expect("the server starts"));
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill(); // SIGKILL: no graceful shutdown
            let _ = child.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// How many times the server is killed (`SAMMEN_CRASH_KILLS`, default 5).
fn kills_wanted() -> usize {
    std::env::var("SAMMEN_CRASH_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5)
}

/// What one crash run did, for the report.
struct Run {
    total: usize,
    kills: usize,
    stored: i64,
    distinct: i64,
    /// Requests sent, retries included.
    sent: usize,
    elapsed: Duration,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} proposals, {} requests sent ({} retries), {} answered 2xx, {} kills, {} stored, \
             {} distinct, {} doubled, {:.1} s",
            self.total,
            self.sent,
            self.sent - self.total,
            self.total,
            self.kills,
            self.stored,
            self.distinct,
            self.stored - self.distinct,
            self.elapsed.as_secs_f64()
        )
    }
}

fn count() -> usize {
    std::env::var("SAMMEN_CRASH_COUNT")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200)
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not come up");
}

async fn crash_while_submitting(database_url: String) -> Run {
    let started = Instant::now();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let data = tempfile::tempdir().unwrap();
    let mut server = Server {
        child: None,
        port,
        env: vec![
            ("SAMMEN_DATA_DIR".into(), data.path().display().to_string()),
            ("DATABASE_URL".into(), database_url.clone()),
        ],
    };
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    server.start();
    wait_ready(&client, &base).await;

    let total = count();
    let next = Arc::new(AtomicUsize::new(0));
    let retries = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for _ in 0..4 {
        let (client, base, next, retries) =
            (client.clone(), base.clone(), next.clone(), retries.clone());
        workers.push(tokio::spawn(async move {
            let mut answers = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= total {
                    return answers;
                }
                // Both kinds of key: a v7 key's row is found another way
                // (`idempotency.rs`), and must hold through a kill as well.
                let key = if i % 2 == 0 {
                    uuid::Uuid::new_v4()
                } else {
                    uuid::Uuid::now_v7()
                };
                let body = serde_json::json!({
                    "title": format!("Nedbrud {i}"),
                    "summary": "Et forslag sendt mens serveren går ned.",
                    "category": "other",
                    "place": {"name": "Billund"},
                    "contact": {"name": "Test"}
                });
                loop {
                    let sent = client
                        .post(format!("{base}/api/v1/municipalities/billund/initiatives"))
                        .header("Idempotency-Key", key.to_string())
                        .json(&body)
                        .send()
                        .await;
                    match sent {
                        Ok(response) if response.status() == 201 => {
                            let created: serde_json::Value =
                                response.json().await.unwrap_or_default();
                            if let Some(id) = created["id"].as_str() {
                                answers.push((i, id.to_string()));
                                break;
                            }
                        }
                        Ok(response) => assert!(
                            response.status().is_server_error(),
                            "only the crash may fail a request, not {}",
                            response.status()
                        ),
                        Err(_) => {}
                    }
                    retries.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(30)).await;
                }
            }
        }));
    }
    let killer = {
        let done = done.clone();
        let client = client.clone();
        let base = base.clone();
        tokio::spawn(async move {
            let mut kills = 0;
            while !done.load(Ordering::SeqCst) && kills < kills_wanted() {
                tokio::time::sleep(Duration::from_millis(150 + 70 * kills as u64)).await;
                server.kill();
                kills += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
                server.start();
                wait_ready(&client, &base).await;
            }
            (kills, server)
        })
    };
    let mut answers = Vec::new();
    for worker in workers {
        answers.extend(worker.await.unwrap());
    }
    done.store(true, Ordering::SeqCst);
    let (kills, server) = killer.await.unwrap();

    // Every proposal answered once, and the stored rows are exactly those.
    assert_eq!(
        answers.len(),
        total,
        "every proposal got its 201 in the end"
    );
    let mut indexes: Vec<usize> = answers.iter().map(|(i, _)| *i).collect();
    indexes.sort_unstable();
    indexes.dedup();
    assert_eq!(indexes.len(), total);
    drop(server);
    let stored = stored_titles(&database_url).await;
    let distinct = {
        let mut titles = stored.clone();
        titles.sort();
        titles.dedup();
        titles.len() as i64
    };
    Run {
        total,
        kills,
        stored: stored.len() as i64,
        distinct,
        sent: total + retries.load(Ordering::SeqCst),
        elapsed: started.elapsed(),
    }
}

/// The titles of the crash test's proposals, straight from the database.
async fn stored_titles(database_url: &str) -> Vec<String> {
    let options = sammen_backend::db::Options {
        url: database_url.to_string(),
        max_connections: 1,
    };
    let db = sammen_backend::db::Db::connect(&options)
        .await
        .expect("the database opens");
    let mut conn = db.acquire().await.unwrap();
    let titles = sammen_backend::db::fetch_scalars(
        &mut conn,
        "SELECT title FROM initiatives WHERE title LIKE $1",
        sammen_backend::args!["Nedbrud %"],
    )
    .await
    .unwrap();
    drop(conn);
    db.close().await;
    titles
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_sqlite_server_loses_and_doubles_nothing() {
    let data = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/crash.db", data.path().display());
    let run = crash_while_submitting(url).await;
    let Run {
        total,
        kills,
        stored,
        distinct,
        ..
    } = run;
    println!("sqlite: {run}");
    assert!(
        kills >= 2,
        "the server was killed while clients wrote ({kills})"
    );
    assert_eq!(stored, total as i64, "none lost, none doubled");
    assert_eq!(distinct, total as i64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_postgres_server_loses_and_doubles_nothing() {
    let database = ScratchDatabase::create().await;
    let run = crash_while_submitting(database.url.clone()).await;
    let Run {
        total,
        kills,
        stored,
        distinct,
        ..
    } = run;
    database.drop_database().await;
    println!("postgres: {run}");
    assert!(
        kills >= 2,
        "the server was killed while clients wrote ({kills})"
    );
    assert_eq!(stored, total as i64, "none lost, none doubled");
    assert_eq!(distinct, total as i64);
}
