//! Public reads under an external load generator: `wrk` (a separate
//! process, so the client costs the server nothing it would not cost in
//! production) against the list of a municipality's initiatives and one
//! initiative's page, next to a bare axum handler serving the very same
//! bytes from memory, on SQLite and on PostgreSQL. Prints one table with
//! each scenario's ratio to the bare handler.
//!
//! `cargo bench -p sammen-backend --bench public_reads` (release; needs
//! `wrk`: `apt-get install wrk`). Settings: `SAMMEN_SEED_INITIATIVES`
//! (published initiatives added to Billund first, e.g. 100000; default 0:
//! the demo data), `SAMMEN_WRK_SECONDS` (10), `SAMMEN_WRK_CONNECTIONS`
//! (256), `SAMMEN_TEST_POSTGRES` (the server the scratch database is made on).

use std::net::SocketAddr;
use std::process::Command;
use std::time::Instant;

use axum::http::header;
use axum::routing::get;
use axum::Router;
use chrono::{Duration, Utc};
use sammen_backend::config::Config;
use sammen_backend::db::{self, Db, Options};
use sammen_backend::startup::Application;

#[path = "../tests/support/scratch_postgres.rs"]
mod scratch_postgres;
use scratch_postgres::ScratchDatabase;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What one wrk run measured.
struct Measured {
    rps: f64,
    avg_ms: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// Non-2xx answers plus socket errors.
    errors: u64,
}

/// wrk prints times as `512.00us`, `1.23ms` or `1.01s`.
fn millis(text: &str) -> f64 {
    let (number, factor) = if let Some(n) = text.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (text, 1.0)
    };
    number.parse::<f64>().unwrap_or(f64::NAN) * factor
}

fn wrk(url: &str, seconds: usize, connections: usize) -> Measured {
    let out = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
            url,
        ])
        .output()
        .expect("wrk runs (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut measured = Measured {
        rps: 0.0,
        avg_ms: f64::NAN,
        p50_ms: f64::NAN,
        p99_ms: f64::NAN,
        errors: 0,
    };
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", rps] => measured.rps = rps.parse().unwrap_or(0.0),
            ["Latency", avg, _, _, _] => measured.avg_ms = millis(avg),
            ["50%", at] => measured.p50_ms = millis(at),
            ["99%", at] => measured.p99_ms = millis(at),
            ["Non-2xx", "or", "3xx", "responses:", n] => {
                measured.errors += n.parse::<u64>().unwrap_or(0)
            }
            ["Socket", "errors:", rest @ ..] => {
                measured.errors += rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>()
            }
            _ => {}
        }
    }
    measured
}

/// A bare axum handler serving `list` at `/list` and `one` at `/one`.
async fn bare_server(list: Vec<u8>, one: Vec<u8>) -> SocketAddr {
    let json = || [(header::CONTENT_TYPE, "application/json")];
    let app = Router::new()
        .route("/list", get(move || async move { (json(), list.clone()) }))
        .route("/one", get(move || async move { (json(), one.clone()) }));
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
        "SAMMEN_DEMO_PASSWORD" => Some("public-reads-benchmark".into()),
        "RUST_LOG" => Some("warn".into()),
        _ => None,
    })
    .unwrap();
    let app = Application::build(config).await.unwrap();
    let addr = app.local_addr();
    tokio::spawn(app.run_until(std::future::pending()));
    addr
}

/// Adds `count` published initiatives to Billund, straight into the tables
/// (the API would take hours at its write limits), newest last.
async fn seed(url: &str, count: usize) {
    if count == 0 {
        return;
    }
    let started = Instant::now();
    let db = Db::connect(&Options {
        url: url.into(),
        max_connections: 1,
    })
    .await
    .unwrap();
    let mut tx = db.begin().await.unwrap();
    let base = Utc::now() - Duration::days(400);
    const BATCH: usize = 500;
    let mut done = 0;
    while done < count {
        let n = BATCH.min(count - done);
        let mut query = db::SqlBuilder::new(
            "INSERT INTO initiatives (id, municipality, category, title, summary, place_name, \
             search_text, status, version, lang, follow_token_hash, created_at, updated_at, \
             published_at) VALUES ",
        );
        for k in 0..n {
            let i = done + k;
            let at = base + Duration::seconds(i as i64 * 60);
            let title = format!("Fællesspisning nr {i}");
            let summary = "Vi laver mad sammen i foreningshuset og spiser ved lange borde.";
            if k > 0 {
                query.push(", ");
            }
            query
                .push("(")
                .bind(uuid::Uuid::new_v4())
                .push(", 'billund', 'other', ")
                .bind(title.as_str())
                .push(", ")
                .bind(summary)
                .push(", 'Billund', ")
                .bind(format!("{}\n{}\nbillund", title, summary).to_lowercase())
                .push(", 'published', 1, 'da', ")
                .bind(format!("seeded-{}", uuid::Uuid::new_v4().simple()))
                .push(", ")
                .bind(at)
                .push(", ")
                .bind(at)
                .push(", ")
                .bind(at)
                .push(")");
        }
        db::execute(&mut tx, &query.sql, query.values)
            .await
            .unwrap();
        done += n;
    }
    tx.commit().await.unwrap();
    db.close().await;
    eprintln!(
        "seeded {count} published initiatives in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

fn row(name: &str, measured: &Measured, bare_rps: f64) {
    println!(
        "| {name:<34} | {:>8.0} | {:>6.2} | {:>6.2} | {:>7.2} | {:>6} | {:>5.2} |",
        measured.rps,
        measured.avg_ms,
        measured.p50_ms,
        measured.p99_ms,
        measured.errors,
        measured.rps / bare_rps
    );
}

#[tokio::main]
async fn main() {
    let seeded = setting("SAMMEN_SEED_INITIATIVES", 0);
    let seconds = setting("SAMMEN_WRK_SECONDS", 10);
    let connections = setting("SAMMEN_WRK_CONNECTIONS", 256);
    let http = reqwest::Client::new();
    let dir = tempfile::tempdir().unwrap();
    let pg = ScratchDatabase::create().await;
    let databases = [
        (
            "sqlite",
            format!("sqlite://{}/reads.db", dir.path().display()),
        ),
        ("postgres", pg.url.clone()),
    ];
    let mut table = Vec::new();
    for (name, url) in databases {
        let sub = dir.path().join(name);
        std::fs::create_dir_all(&sub).unwrap();
        let addr = sammen_server(&url, &sub).await;
        seed(&url, seeded).await;
        let list_url = format!("http://{addr}/api/v1/municipalities/billund/initiatives");
        let list = http.get(&list_url).send().await.unwrap();
        assert!(list.status().is_success(), "the list answers");
        let list = list.bytes().await.unwrap().to_vec();
        let page: serde_json::Value = serde_json::from_slice(&list).unwrap();
        let id = page["items"][0]["id"]
            .as_str()
            .expect("an initiative")
            .to_string();
        let one_url = format!("{list_url}/{id}");
        let one = http
            .get(&one_url)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .to_vec();
        let (list_bytes, one_bytes, total) = (list.len(), one.len(), page["total"].clone());
        let bare = bare_server(list, one).await;
        let mut run = |label: String, url: String| {
            // A short first run warms connections and caches; the second counts.
            wrk(&url, 2, connections);
            let measured = wrk(&url, seconds, connections);
            table.push((label, measured));
        };
        run(
            format!("{name}: bare, list's {list_bytes} B"),
            format!("http://{bare}/list"),
        );
        run(format!("{name}: list ({total} in all)"), list_url);
        run(
            format!("{name}: bare, page's {one_bytes} B"),
            format!("http://{bare}/one"),
        );
        run(format!("{name}: an initiative's page"), one_url);
    }
    pg.drop_database().await;

    println!(
        "\nwrk -t2 -c{connections} -d{seconds}s, loopback; {seeded} initiatives seeded in Billund\n"
    );
    println!("| scenario                           |    req/s | avg ms | p50 ms |  p99 ms | errors | ×bare |");
    println!("|---|---|---|---|---|---|---|");
    let mut bare_rps = 1.0;
    for (label, measured) in &table {
        if label.contains(": bare") {
            bare_rps = measured.rps;
        }
        row(label, measured, bare_rps);
    }
}
