//! The open meeting under a full room: 200 phones join, propose and put
//! three dots each, all at once, while every phone and a projector follow
//! the live stream (as `/meeting` and `/meeting/projector` do). Reports the
//! phones' write latencies, whether every proposal and dot was counted
//! exactly once, how long after the last dot the projector's stream showed
//! the final board, and how many phones' streams showed it too (and the
//! slowest of them). On SQLite and PostgreSQL; loopback only.
//!
//! `cargo bench -p sammen-backend --bench meeting`. Settings:
//! `SAMMEN_MEETING_PHONES` (default 200), `SAMMEN_TEST_POSTGRES`.

/// The server's allocator (see main.rs), so the bench measures what runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use sammen_backend::config::Config;
use sammen_backend::startup::Application;
use serde_json::{json, Value};

#[path = "../tests/support/scratch_postgres.rs"]
mod scratch_postgres;
use scratch_postgres::ScratchDatabase;
#[path = "../tests/support/session.rs"]
mod session;
use session::sign_in;

const PASSWORD: &str = "meeting-benchmark-password";

async fn server(database_url: &str, dir: &std::path::Path) -> String {
    let url = database_url.to_string();
    let data = dir.display().to_string();
    let config = Config::from_lookup(|name| match name {
        "SAMMEN_ADDR" => Some("127.0.0.1:0".into()),
        "DATABASE_URL" => Some(url.clone()),
        "SAMMEN_DATA_DIR" => Some(data.clone()),
        "SAMMEN_DEMO" => Some("1".into()),
        "SAMMEN_DEMO_PASSWORD" => Some(PASSWORD.into()),
        "SAMMEN_DB_MAX_CONNECTIONS" => Some("16".into()),
        // Every phone of the bench joins from this one address.
        "SAMMEN_MEETING_JOINS_PER_MINUTE_PER_ADDRESS" => Some("0".into()),
        "RUST_LOG" => Some("warn".into()),
        _ => None,
    })
    .unwrap();
    let app = Application::build(config).await.unwrap();
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until(std::future::pending()));
    base
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn open_meeting(client: &reqwest::Client, base: &str) -> String {
    let (cookie, csrf) = sign_in(client, base, "pia@regnbuen.demo", PASSWORD).await;
    let meeting: Value = client
        .post(format!("{base}/api/v1/admin/meetings"))
        .header("cookie", cookie)
        .header("x-csrf-token", csrf)
        .json(&json!({"title": "Belastningsmøde", "institution": "regnbuen"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    meeting["code"].as_str().unwrap().to_string()
}

/// Follows the live stream; hands each board's JSON to `seen` with when it
/// arrived.
fn follow(
    client: &reqwest::Client,
    base: &str,
    code: &str,
    mut seen: impl FnMut(Instant, String) + Send + 'static,
) {
    let request = client.get(format!("{base}/api/v1/meetings/{code}/live"));
    tokio::spawn(async move {
        let mut stream = request.send().await.unwrap().bytes_stream();
        let mut buffer = String::new();
        while let Some(Ok(chunk)) = stream.next().await {
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find("\n\n") {
                let event: String = buffer.drain(..end + 2).collect();
                let data: String = event
                    .lines()
                    .filter_map(|l| l.strip_prefix("data: "))
                    .collect();
                if !data.is_empty() {
                    seen(Instant::now(), data);
                }
            }
        }
    });
}

/// The projector: every board, parsed, with when it arrived.
fn projector(
    client: &reqwest::Client,
    base: &str,
    code: &str,
) -> Arc<Mutex<Vec<(Instant, Value)>>> {
    let boards = Arc::new(Mutex::new(Vec::new()));
    let seen = boards.clone();
    follow(client, base, code, move |at, data| {
        if let Ok(board) = serde_json::from_str::<Value>(&data) {
            seen.lock().unwrap().push((at, board));
        }
    });
    boards
}

/// A phone's view of the board: only the newest, unparsed, so 200 of them
/// cost the benchmark's client little next to the server it measures.
type Newest = Arc<Mutex<Option<(Instant, String)>>>;

fn phone_screen(client: &reqwest::Client, base: &str, code: &str) -> Newest {
    let newest: Newest = Arc::default();
    let seen = newest.clone();
    follow(client, base, code, move |at, data| {
        *seen.lock().unwrap() = Some((at, data));
    });
    newest
}

async fn room(name: &str, base: &str, phones: usize) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(phones)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let code = open_meeting(&client, base).await;
    let boards = projector(&client, base, &code);
    let screens: Vec<Newest> = (0..phones)
        .map(|_| phone_screen(&client, base, &code))
        .collect();
    let started = Instant::now();
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let failures = Arc::new(Mutex::new(0usize));
    let tasks: Vec<_> = (0..phones)
        .map(|i| {
            let (client, base, code) = (client.clone(), base.to_string(), code.clone());
            let (latencies, failures) = (latencies.clone(), failures.clone());
            tokio::spawn(async move {
                let timed = |request: reqwest::RequestBuilder| {
                    let (latencies, failures) = (latencies.clone(), failures.clone());
                    async move {
                        let sent = Instant::now();
                        let response = request.send().await;
                        latencies.lock().unwrap().push(sent.elapsed());
                        match response {
                            Ok(r) if r.status().is_success() => {
                                Some(r.json::<Value>().await.unwrap())
                            }
                            _ => {
                                *failures.lock().unwrap() += 1;
                                None
                            }
                        }
                    }
                };
                let joined =
                    timed(client.post(format!("{base}/api/v1/meetings/{code}/participants")))
                        .await?;
                let token = joined["participant_token"].as_str()?.to_string();
                timed(
                    client
                        .post(format!("{base}/api/v1/meetings/{code}/proposals"))
                        .bearer_auth(&token)
                        .header("idempotency-key", uuid::Uuid::now_v7().to_string())
                        .json(&json!({"title": format!("Forslag {i}")})),
                )
                .await?;
                Some((i, token))
            })
        })
        .collect();
    let mut tokens = Vec::new();
    for task in tasks {
        if let Some(t) = task.await.unwrap() {
            tokens.push(t);
        }
    }
    let board: Value = client
        .get(format!("{base}/api/v1/meetings/{code}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<String> = (0..phones)
        .map(|i| {
            board["proposals"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["title"] == format!("Forslag {i}"))
                .map(|p| p["id"].as_str().unwrap().to_string())
                .unwrap_or_default()
        })
        .collect();
    let votes: Vec<_> = tokens
        .into_iter()
        .map(|(i, token)| {
            let (client, base, code, ids) =
                (client.clone(), base.to_string(), code.clone(), ids.clone());
            let (latencies, failures) = (latencies.clone(), failures.clone());
            tokio::spawn(async move {
                for k in 1..=3 {
                    let sent = Instant::now();
                    let response = client
                        .post(format!("{base}/api/v1/meetings/{code}/votes"))
                        .bearer_auth(&token)
                        .header("idempotency-key", uuid::Uuid::now_v7().to_string())
                        .json(&json!({"proposal_id": ids[(i + k) % ids.len()]}))
                        .send()
                        .await;
                    latencies.lock().unwrap().push(sent.elapsed());
                    if !matches!(response, Ok(ref r) if r.status().is_success()) {
                        *failures.lock().unwrap() += 1;
                    }
                }
            })
        })
        .collect();
    for task in votes {
        task.await.unwrap();
    }
    let last_write = Instant::now();
    let writes_seconds = started.elapsed().as_secs_f64();
    let expected_votes = phones * 3;
    let deadline = Instant::now() + Duration::from_secs(10);
    let caught_up = loop {
        let found = boards.lock().unwrap().iter().find_map(|(at, b)| {
            (b["votes_cast"] == expected_votes
                && b["proposals"].as_array().map(Vec::len) == Some(phones))
            .then_some(*at)
        });
        if let Some(at) = found {
            break Some(at.saturating_duration_since(last_write));
        }
        if Instant::now() > deadline {
            break None;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    // Every phone's stream has had the projector's wait, and a second more.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut screens_final = 0;
    let mut slowest_screen = Duration::ZERO;
    for screen in &screens {
        let newest = screen.lock().unwrap().clone();
        let Some((at, data)) = newest else { continue };
        let board: Value = serde_json::from_str(&data).unwrap_or_default();
        if board["votes_cast"] == expected_votes
            && board["proposals"].as_array().map(Vec::len) == Some(phones)
        {
            screens_final += 1;
            slowest_screen = slowest_screen.max(at.saturating_duration_since(last_write));
        }
    }
    let final_board: Value = client
        .get(format!("{base}/api/v1/meetings/{code}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut all = latencies.lock().unwrap().clone();
    all.sort();
    println!(
        "| {name:<8} | {phones:>6} | {:>6} | {:>9.2} | {:>6.1} | {:>6.1} | {:>8} | {:>9} | {:>6} | {:>14} | {screens_final:>5}/{phones} | {:>6} ms |",
        all.len(),
        writes_seconds,
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        *failures.lock().unwrap(),
        final_board["proposals"].as_array().unwrap().len(),
        final_board["votes_cast"],
        caught_up.map(|d| format!("{} ms", d.as_millis())).unwrap_or_else(|| "never".into()),
        slowest_screen.as_millis(),
    );
}

#[tokio::main]
async fn main() {
    let phones: usize = std::env::var("SAMMEN_MEETING_PHONES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let pg = ScratchDatabase::create().await;
    println!(
        "\nOne meeting, every phone joins + proposes, then puts 3 dots, all at once, \
         every phone and a projector on the live stream; loopback\n"
    );
    println!("| database | phones | writes | seconds | p50 ms | p99 ms | failures | proposals | dots | projector lag | phones showing it | slowest phone lag |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (name, url) in [
        (
            "sqlite",
            format!("sqlite://{}/meeting.db", dir.path().display()),
        ),
        ("postgres", pg.url.clone()),
    ] {
        let sub = dir.path().join(name);
        std::fs::create_dir_all(&sub).unwrap();
        let base = server(&url, &sub).await;
        room(name, &base, phones).await;
    }
    pg.drop_database().await;
}
