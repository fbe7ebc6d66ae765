//! The public path under an external load generator: `wrk` (a separate
//! process, so the client costs the server nothing it would not cost in
//! production) against a municipality's list, one initiative's page, a word
//! search and a citizen's proposal, each right after a bare axum handler
//! serving (or, for the proposal, taking a body and answering with) the very
//! same bytes from memory — on SQLite and on PostgreSQL. Prints one table
//! with each scenario's ratio to its bare handler, then what one request
//! costs right after a write (nothing kept) at this size of data.
//!
//! `cargo bench -p sammen-backend --bench load` (release; needs `wrk`:
//! `apt-get install wrk`). Settings: `SAMMEN_SEED_INITIATIVES` (published
//! initiatives added to Billund first, e.g. 100000; default 0: the demo
//! data), `SAMMEN_WRK_SECONDS` (10), `SAMMEN_WRK_CONNECTIONS` (256),
//! `SAMMEN_TEST_POSTGRES` (the server the scratch database is made on).
//!
//! Every guarantee stays on while it runs: proposals carry an
//! `Idempotency-Key` each, and the write limits are on, set high enough
//! that one loopback address may send this many. The mail the proposals
//! queue waits in the outbox (its worker looks once an hour): sending it
//! to files alongside, bounded by no mail server, would measure the disk.
//! Each database's server is stopped, workers and all, before the next.

/// The server's allocator (see main.rs), so the bench measures what runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::SocketAddr;
use std::process::Command;
use std::time::Instant;

use axum::http::{header, StatusCode};
use axum::routing::{get, post};
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

/// A proposal per request, each with its own `Idempotency-Key` (a UUID v7
/// as the widget makes them: the time, wrk's thread, the run's nonce and a
/// counter) and title.
const PROPOSE_LUA: &str = r#"
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
local n = 0
function init(args)
  nonce = args[1]
end
function request()
  n = n + 1
  -- A UUID v7, as the widget makes them: the time in milliseconds first.
  local ms = os.time() * 1000
  local key = string.format("%06x%02x-%04x-7%03x-8%s-%s%08x", math.floor(ms / 16777216),
    math.floor(ms / 65536) % 256, ms % 65536, tid, string.sub(nonce, 1, 3), string.sub(nonce, 4, 7), n)
  local body = string.format('{"title":"Belastning %d-%d","summary":"Et forslag fra belastningstesten.","category":"other","place":{"name":"Billund"},"contact":{"name":"Last","email":"last@example.dk"}}', tid, n)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Idempotency-Key"] = key}, body)
end
"#;

/// Runs wrk against `url`; with `script`, wrk's Lua makes each request.
fn wrk(
    url: &str,
    seconds: usize,
    connections: usize,
    script: Option<&std::path::Path>,
) -> Measured {
    let mut command = Command::new("wrk");
    command.args([
        "-t2",
        &format!("-c{connections}"),
        &format!("-d{seconds}s"),
        "--latency",
    ]);
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    command.arg(url);
    if script.is_some() {
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        command.args(["--", &nonce[..8]]);
    }
    let out = command.output().expect("wrk runs (apt-get install wrk)");
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

/// The bytes the bare handler serves for each scenario.
struct Bodies {
    list: Vec<u8>,
    one: Vec<u8>,
    search: Vec<u8>,
    proposed: Vec<u8>,
}

/// A bare axum handler serving each of `bodies` from memory; `/propose`
/// takes the request's body first, as the real one must.
async fn bare_server(bodies: Bodies) -> SocketAddr {
    let json = || [(header::CONTENT_TYPE, "application/json")];
    let Bodies {
        list,
        one,
        search,
        proposed,
    } = bodies;
    let app = Router::new()
        .route("/list", get(move || async move { (json(), list.clone()) }))
        .route("/one", get(move || async move { (json(), one.clone()) }))
        .route(
            "/search",
            get(move || async move { (json(), search.clone()) }),
        )
        .route(
            "/propose",
            post(move |body: axum::body::Bytes| async move {
                std::hint::black_box(body);
                (StatusCode::CREATED, json(), proposed.clone())
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// A running server, and what stops it with its background workers.
struct Running {
    addr: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn sammen_server(database_url: &str, dir: &std::path::Path) -> Running {
    let url = database_url.to_string();
    let data = dir.display().to_string();
    let config = Config::from_lookup(|name| match name {
        "SAMMEN_ADDR" => Some("127.0.0.1:0".into()),
        "DATABASE_URL" => Some(url.clone()),
        "SAMMEN_DATA_DIR" => Some(data.clone()),
        "SAMMEN_DEMO" => Some("1".into()),
        "SAMMEN_DEMO_PASSWORD" => Some("load-benchmark-password".into()),
        // On, but high enough for one loopback address to send a run's worth.
        "SAMMEN_WRITES_PER_MINUTE_PER_ADDRESS" => Some("100000000".into()),
        "SAMMEN_WRITES_PER_MINUTE_PER_MUNICIPALITY" => Some("100000000".into()),
        // The proposals' mail waits in the outbox: with the file transport,
        // bounded by no mail server, sending it alongside would measure the
        // disk (a real relay takes about 90 a second, docs/capacity.md).
        "SAMMEN_OUTBOX_INTERVAL_MS" => Some("3600000".into()),
        "RUST_LOG" => Some("warn".into()),
        _ => None,
    })
    .unwrap();
    let app = Application::build(config).await.unwrap();
    let addr = app.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let done = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    Running { addr, stop, done }
}

/// Adds `count` published initiatives to Billund, straight into the tables
/// (the API would take hours at its write limits), newest last.
async fn seed(db: &Db, count: usize) {
    if count == 0 {
        return;
    }
    let started = Instant::now();
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
    eprintln!(
        "seeded {count} published initiatives in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// The median time of one GET of `url` right after Billund's public
/// version moved, so that nothing kept answers it: what the first reader
/// after a write waits.
async fn after_a_write(db: &Db, http: &reqwest::Client, url: &str) -> f64 {
    let mut times = Vec::new();
    for _ in 0..15 {
        let mut conn = db.acquire().await.unwrap();
        db::execute(
            &mut conn,
            "UPDATE public_versions SET version = version + 1 WHERE municipality = 'billund'",
            vec![],
        )
        .await
        .unwrap();
        drop(conn);
        let started = Instant::now();
        let response = http.get(url).send().await.unwrap();
        assert!(response.status().is_success(), "{url} answers");
        response.bytes().await.unwrap();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

async fn get_bytes(http: &reqwest::Client, url: &str) -> Vec<u8> {
    let response = http.get(url).send().await.unwrap();
    assert!(response.status().is_success(), "{url} answers");
    response.bytes().await.unwrap().to_vec()
}

fn row(name: &str, measured: &Measured, bare_rps: f64) {
    println!(
        "| {name:<38} | {:>8.0} | {:>6.2} | {:>6.2} | {:>7.2} | {:>6} | {:>5.2} |",
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
    let script = dir.path().join("propose.lua");
    std::fs::write(&script, PROPOSE_LUA).unwrap();
    let pg = ScratchDatabase::create().await;
    let databases = [
        (
            "sqlite",
            format!("sqlite://{}/load.db", dir.path().display()),
        ),
        ("postgres", pg.url.clone()),
    ];
    let mut table = Vec::new();
    let mut cold = Vec::new();
    for (name, url) in databases {
        let sub = dir.path().join(name);
        std::fs::create_dir_all(&sub).unwrap();
        // One server at a time: the one before is stopped, workers and all.
        let server = sammen_server(&url, &sub).await;
        let addr = server.addr;
        let db = Db::connect(&Options {
            url: url.clone(),
            max_connections: 1,
        })
        .await
        .unwrap();
        seed(&db, seeded).await;
        let list_url = format!("http://{addr}/api/v1/municipalities/billund/initiatives");
        let list = get_bytes(&http, &list_url).await;
        let page: serde_json::Value = serde_json::from_slice(&list).unwrap();
        let id = page["items"][0]["id"]
            .as_str()
            .expect("an initiative")
            .to_string();
        let total = page["total"].as_u64().unwrap_or(0);
        let one_url = format!("{list_url}/{id}");
        let search_url = format!("{list_url}?q=sammen");
        let propose_url = list_url.clone();
        let (one, search) = (
            get_bytes(&http, &one_url).await,
            get_bytes(&http, &search_url).await,
        );
        let proposed = http
            .post(&propose_url)
            .header("Idempotency-Key", uuid::Uuid::now_v7().to_string())
            .json(&serde_json::json!({
                "title": "Belastning",
                "summary": "Et forslag fra belastningstesten.",
                "category": "other",
                "place": {"name": "Billund"},
                "contact": {"name": "Last", "email": "last@example.dk"}
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(proposed.status(), 201, "a proposal is taken");
        let proposed = proposed.bytes().await.unwrap().to_vec();
        let sizes = (list.len(), one.len(), search.len(), proposed.len());
        let bare = bare_server(Bodies {
            list,
            one,
            search,
            proposed,
        })
        .await;
        let mut run = |label: String, url: String, script: Option<&std::path::Path>| {
            // A short first run warms connections and caches; the second counts.
            wrk(&url, 2, connections, script);
            let measured = wrk(&url, seconds, connections, script);
            table.push((label, measured));
        };
        run(
            format!("{name}: bare, list's {} B", sizes.0),
            format!("http://{bare}/list"),
            None,
        );
        run(
            format!("{name}: list ({total} in all)"),
            list_url.clone(),
            None,
        );
        run(
            format!("{name}: bare, page's {} B", sizes.1),
            format!("http://{bare}/one"),
            None,
        );
        run(
            format!("{name}: an initiative's page"),
            one_url.clone(),
            None,
        );
        run(
            format!("{name}: bare, search's {} B", sizes.2),
            format!("http://{bare}/search"),
            None,
        );
        run(format!("{name}: search q=sammen"), search_url.clone(), None);

        // Page numbers reach 10,000 rows deep; the cursor of `Link:
        // rel="next"` goes on from there.
        let deep = (total / 20).clamp(1, 500);
        let deep_url = format!("{list_url}?page={deep}");
        let next = http.get(&deep_url).send().await.unwrap();
        let next = next
            .headers()
            .get("link")
            .and_then(|link| link.to_str().ok())
            .and_then(|link| link.split_once('<'))
            .and_then(|(_, rest)| rest.split_once('>'))
            .map(|(path, _)| format!("http://{addr}{path}"));
        let mut cold_urls = vec![
            ("list, page 1".to_string(), list_url.clone()),
            (format!("list, page {deep}"), deep_url),
        ];
        if let Some(next) = next {
            cold_urls.push((format!("list, the cursor after page {deep}"), next));
        }
        cold_urls.extend([
            ("search q=sammen".to_string(), search_url),
            ("an initiative's page".to_string(), one_url),
        ]);
        for (label, url) in cold_urls {
            cold.push((
                format!("{name}: {label}"),
                after_a_write(&db, &http, &url).await,
            ));
        }
        // Writes last: they move the version the reads above were kept under.
        run(
            format!("{name}: bare, takes a body, {} B", sizes.3),
            format!("http://{bare}/propose"),
            Some(&script),
        );
        run(format!("{name}: propose"), propose_url, Some(&script));
        db.close().await;
        let _ = server.stop.send(());
        server.done.await.unwrap().unwrap();
    }
    pg.drop_database().await;

    println!(
        "\nwrk -t2 -c{connections} -d{seconds}s, loopback; {seeded} initiatives seeded in Billund\n"
    );
    println!("| scenario                               |    req/s | avg ms | p50 ms |  p99 ms | errors | ×bare |");
    println!("|---|---|---|---|---|---|---|");
    let mut bare_rps = 1.0;
    for (label, measured) in &table {
        if label.contains(": bare") {
            bare_rps = measured.rps;
        }
        row(label, measured, bare_rps);
    }
    println!("\nOne request right after a write (nothing kept), median of 15:\n");
    println!("| request | ms |");
    println!("|---|---|");
    for (label, ms) in cold {
        println!("| {label} | {ms:.1} |");
    }
}
