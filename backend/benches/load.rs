//! Load benchmark: list initiatives and propose at 256 concurrent
//! connections, on SQLite and on PostgreSQL, next to a bare axum handler
//! returning a fixed JSON body, measured the same way in the same run.
//! Loopback only; bounded by a request count per scenario.
//!
//! `cargo bench -p sammen-backend --bench load` (release). Settings:
//! `SAMMEN_LOAD_REQUESTS` (default 20000 per scenario), `SAMMEN_LOAD_CONCURRENCY` (256),
//! `SAMMEN_TEST_POSTGRES` (the server tests create databases on).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::routing::get;
use axum::{Json, Router};
use sammen_backend::config::Config;
use sammen_backend::startup::Application;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[path = "../tests/support/scratch_postgres.rs"]
mod scratch_postgres;
use scratch_postgres::ScratchDatabase;

struct Outcome {
    requests: usize,
    seconds: f64,
    p50_ms: f64,
    p99_ms: f64,
    server_errors: usize,
    other_failures: usize,
}

/// Builds request number `i` of a scenario.
type MakeRequest = Arc<dyn Fn(&reqwest::Client, usize) -> reqwest::RequestBuilder + Send + Sync>;

/// Sends `total` requests from `concurrency` tasks; `make` builds request `i`.
async fn hammer(
    client: &reqwest::Client,
    total: usize,
    concurrency: usize,
    make: MakeRequest,
) -> Outcome {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, next, make) = (client.clone(), next.clone(), make.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let (mut server_errors, mut other) = (0, 0);
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    return (latencies, server_errors, other);
                }
                let sent = Instant::now();
                match make(&client, i).send().await {
                    Ok(response) => {
                        let status = response.status();
                        let _ = response.bytes().await;
                        if status.is_server_error() {
                            server_errors += 1;
                        } else if !status.is_success() {
                            other += 1;
                        }
                    }
                    Err(_) => other += 1,
                }
                latencies.push(sent.elapsed());
            }
        }));
    }
    let mut all: Vec<Duration> = Vec::with_capacity(total);
    let (mut server_errors, mut other_failures) = (0, 0);
    for task in tasks {
        let (latencies, s, o) = task.await.expect("a load task");
        all.extend(latencies);
        server_errors += s;
        other_failures += o;
    }
    let seconds = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let at =
        |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)].as_secs_f64() * 1000.0;
    Outcome {
        requests: total,
        seconds,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        server_errors,
        other_failures,
    }
}

async fn bare_server() -> SocketAddr {
    let app = Router::new().route(
        "/fixed",
        get(|| async {
            Json(serde_json::json!({"items": [], "page": 1, "per_page": 20, "total": 0}))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

async fn sammen_server(database_url: &str, dir: &std::path::Path) -> SocketAddr {
    let url = database_url.to_string();
    let data = dir.display().to_string();
    let config = Config::from_lookup(|name| match name {
        "SAMMEN_ADDR" => Some("127.0.0.1:0".into()),
        "DATABASE_URL" => Some(url.clone()),
        "SAMMEN_DATA_DIR" => Some(data.clone()),
        "SAMMEN_DEMO" => Some("1".into()),
        "SAMMEN_DEMO_PASSWORD" => Some("load-benchmark-password".into()),
        "SAMMEN_DB_MAX_CONNECTIONS" => Some("16".into()),
        "SAMMEN_WRITES_PER_MINUTE_PER_ADDRESS" => Some("0".into()),
        "SAMMEN_WRITES_PER_MINUTE_PER_MUNICIPALITY" => Some("0".into()),
        "RUST_LOG" => Some("warn".into()),
        _ => None,
    })
    .unwrap();
    let app = Application::build(config).await.unwrap();
    let addr = app.local_addr();
    tokio::spawn(app.run_until(std::future::pending()));
    addr
}

fn row(name: &str, outcome: &Outcome, bare_rps: f64) {
    let rps = outcome.requests as f64 / outcome.seconds;
    println!(
        "| {name:<28} | {:>7} | {:>9.0} | {:>7.1} | {:>7.1} | {:>5} | {:>5} | {:>5.2} |",
        outcome.requests,
        rps,
        outcome.p50_ms,
        outcome.p99_ms,
        outcome.server_errors,
        outcome.other_failures,
        rps / bare_rps
    );
}

#[tokio::main]
async fn main() {
    let total = setting("SAMMEN_LOAD_REQUESTS", 20_000);
    let concurrency = setting("SAMMEN_LOAD_CONCURRENCY", 256);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();

    let bare = bare_server().await;
    let bare_url = format!("http://{bare}/fixed");
    let bare_outcome = hammer(
        &client,
        total,
        concurrency,
        Arc::new(move |c, _| c.get(&bare_url)),
    )
    .await;
    let bare_rps = total as f64 / bare_outcome.seconds;
    println!("\n{total} requests per scenario, {concurrency} concurrent connections, loopback\n");
    println!("| scenario                     | requests |    req/s | p50 ms | p99 ms |  5xx | other | ×bare |");
    println!("|---|---|---|---|---|---|---|---|");
    row("bare axum, fixed JSON", &bare_outcome, bare_rps);

    let dir = tempfile::tempdir().unwrap();
    let pg = ScratchDatabase::create().await;
    let databases = [
        (
            "sqlite",
            format!("sqlite://{}/load.db", dir.path().display()),
        ),
        ("postgres", pg.url.clone()),
    ];
    for (name, url) in databases {
        let sub = dir.path().join(name);
        std::fs::create_dir_all(&sub).unwrap();
        let addr = sammen_server(&url, &sub).await;
        let list = format!("http://{addr}/api/v1/municipalities/skanderborg/initiatives");
        let outcome = hammer(
            &client,
            total,
            concurrency,
            Arc::new(move |c, _| c.get(&list)),
        )
        .await;
        row(&format!("{name}: list initiatives"), &outcome, bare_rps);
        let propose = format!("http://{addr}/api/v1/municipalities/billund/initiatives");
        let outcome = hammer(
            &client,
            total,
            concurrency,
            Arc::new(move |c, i| {
                c.post(&propose)
                    .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
                    .json(&serde_json::json!({
                        "title": format!("Belastning {i}"),
                        "summary": "Et forslag fra belastningstesten.",
                        "category": "other",
                        "place": {"name": "Billund"},
                        "contact": {"name": "Last", "email": "last@example.dk"}
                    }))
            }),
        )
        .await;
        row(&format!("{name}: propose"), &outcome, bare_rps);
    }
    pg.drop_database().await;
}
