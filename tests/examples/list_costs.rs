//! What a read of the public list costs at 10 and at 100,000 published
//! initiatives in one municipality, on SQLite and PostgreSQL, with the
//! answers in memory bypassed: page 1, a page from a cursor 90 % down the
//! list, and page 1 of one category. Each is timed two ways, median of the
//! runs: its statements straight on the database (what `list_sql` gives),
//! and a GET through the running server after a bump of the public version
//! (the first read after a write). For comparison, the statements the list
//! ran before (`COUNT(*)` of every row, then `OFFSET`) at the same depth.
//!
//! `cargo run --release -p sammen-tests --example list_costs [-- 10 100000]`

use std::time::{Duration as Elapsed, Instant};

use chrono::{DateTime, Utc};
use sammen_backend::api::initiatives::{cursor_after, list_sql};
use sammen_backend::db;
use sammen_shared::page::InitiativeQuery;
use sammen_tests::{args, seed_initiatives, Backend, TestApp};
use uuid::Uuid;

const RUNS: usize = 25;

/// `count` published initiatives in Billund, categories and institutions
/// in turn, then the tables tidied as autovacuum would leave them.
async fn seed(app: &TestApp, count: usize) {
    seed_initiatives(app, "billund", "published", count, Utc::now()).await;
    // As autovacuum leaves a table: the seed's one transaction left a dead
    // version of a count per row it added.
    let mut conn = app.db.acquire().await.unwrap();
    let tidy = match app.db.kind() {
        db::Kind::Sqlite => "ANALYZE",
        db::Kind::Postgres => "VACUUM ANALYZE",
    };
    db::execute(&mut conn, tidy, args![]).await.unwrap();
}

fn median(mut times: Vec<Elapsed>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

/// A row of a page, by its id (the other columns are read, not decoded).
#[derive(sqlx::FromRow)]
struct Row {
    #[allow(dead_code)]
    id: Uuid,
}

/// The total's statement then the page's, run in turn, timed together.
async fn time_sql(app: &TestApp, statements: &[(String, Vec<db::Value>)]) -> f64 {
    let mut conn = app.db.acquire().await.unwrap();
    let mut times = Vec::new();
    for run in 0..RUNS + 3 {
        let started = Instant::now();
        let [(count, count_values), (page, page_values)] = statements else {
            panic!("a total and a page");
        };
        let _: i64 = db::fetch_scalar(&mut conn, count, count_values.clone())
            .await
            .unwrap();
        let rows: Vec<Row> = db::fetch_all(&mut conn, page, page_values.clone())
            .await
            .unwrap();
        assert!(!rows.is_empty());
        if run >= 3 {
            times.push(started.elapsed());
        }
    }
    median(times)
}

/// GET `path` after a bump of Billund's public version, so every read is
/// the first after a write.
async fn time_http(app: &TestApp, path: &str) -> f64 {
    let mut times = Vec::new();
    for run in 0..RUNS + 3 {
        let mut conn = app.db.acquire().await.unwrap();
        db::execute(
            &mut conn,
            "UPDATE public_versions SET version = version + 1 WHERE municipality = 'billund'",
            args![],
        )
        .await
        .unwrap();
        drop(conn);
        let started = Instant::now();
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        response.bytes().await.unwrap();
        if run >= 3 {
            times.push(started.elapsed());
        }
    }
    median(times)
}

#[tokio::main]
async fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|n| n.parse().expect("a number of initiatives"))
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10, 100_000]
    } else {
        sizes
    };
    println!("| database | initiatives | read | SQL ms | HTTP ms |");
    println!("|---|---:|---|---:|---:|");
    for backend in [Backend::Sqlite, Backend::Postgres] {
        for &count in &sizes {
            let app = TestApp::spawn(backend).await;
            let seeding = Instant::now();
            seed(&app, count).await;
            eprintln!(
                "{backend:?}: seeded {count} in {:.1} s",
                seeding.elapsed().as_secs_f64()
            );
            let total = app
                .count(
                    "SELECT COUNT(*) FROM initiatives WHERE municipality = 'billund' \
                     AND status = 'published'",
                    args![],
                )
                .await;
            // The row 90 % down the list, where a cursor would start.
            let depth = (total * 9 / 10).max(1);
            let (at, id): (DateTime<Utc>, Uuid) = {
                let mut conn = app.db.acquire().await.unwrap();
                db::fetch_optional(
                    &mut conn,
                    "SELECT published_at, id FROM initiatives WHERE municipality = 'billund' \
                     AND status = 'published' ORDER BY published_at DESC, id LIMIT 1 OFFSET $1",
                    args![depth - 1],
                )
                .await
                .unwrap()
                .unwrap()
            };
            let cursor = cursor_after(at, id);
            let list = "/api/v1/municipalities/billund/initiatives";
            let reads = [
                ("page 1", InitiativeQuery::default(), list.to_string()),
                (
                    "cursor page, 90 % down",
                    InitiativeQuery {
                        after: Some(cursor.clone()),
                        page: Some((depth / 20 + 1) as u32),
                        ..Default::default()
                    },
                    format!("{list}?page={}&after={cursor}", depth / 20 + 1),
                ),
                (
                    "category, page 1",
                    InitiativeQuery {
                        category: Some("snow_clearing".into()),
                        ..Default::default()
                    },
                    format!("{list}?category=snow_clearing"),
                ),
            ];
            for (name, query, path) in reads {
                let statements = list_sql("billund", query).expect("a list query");
                let sql = time_sql(&app, &statements).await;
                let http = time_http(&app, &path).await;
                println!("| {backend:?} | {total} | {name} | {sql:.2} | {http:.2} |");
            }
            // The list's statements before: every row counted, then skipped.
            let old_count = (
                "SELECT COUNT(*) FROM initiatives i WHERE i.municipality = 'billund' \
                 AND i.status = 'published'"
                    .to_string(),
                vec![],
            );
            for (name, offset) in [("before: page 1", 0), ("before: OFFSET 90 % down", depth)] {
                let page = (
                    format!(
                        "SELECT i.id FROM initiatives i WHERE i.municipality = 'billund' \
                         AND i.status = 'published' ORDER BY i.published_at DESC, i.id \
                         LIMIT 20 OFFSET {offset}"
                    ),
                    vec![],
                );
                let sql = time_sql(&app, &[old_count.clone(), page]).await;
                println!("| {backend:?} | {total} | {name} | {sql:.2} | – |");
            }
        }
    }
}
