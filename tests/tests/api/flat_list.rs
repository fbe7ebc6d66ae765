//! The public list costs the same at 100,000 initiatives as at 10: its
//! total comes from `initiative_counts` (kept by triggers), exact after
//! every kind of change; pages follow a cursor (`after`, in the `Link`
//! header) instead of skipping rows; and the database reads an index in the
//! list's order for every list query, never every initiative.

use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use sammen_backend::api::initiatives::{list_sql, MAX_OFFSET};
use sammen_backend::db::{self, Kind};
use sammen_shared::page::InitiativeQuery;
use sammen_tests::{args, good_proposal, on_both_databases, seed_initiatives, TestApp};
use serde_json::{json, Value};
use uuid::Uuid;

on_both_databases!(
    the_counted_total_is_exact_after_every_kind_of_change,
    the_next_link_walks_the_whole_list_once_in_order,
    a_bad_cursor_or_a_page_too_deep_is_refused_naming_after,
    every_list_query_reads_an_index_in_order_never_every_initiative,
);

const LIST: &str = "/api/v1/municipalities/billund/initiatives";

/// The counts kept are the counts of the rows, in every municipality and
/// for every category and institution; and the totals the list answers
/// (category, institution, both, results) are `COUNT(*)`.
async fn counts_match(app: &TestApp, when: &str) {
    type Row = (String, String, String, String, i64);
    let mut conn = app.db.acquire().await.unwrap();
    let kept: Vec<Row> = db::fetch_all(
        &mut conn,
        "SELECT municipality, status, category, institution, n FROM initiative_counts \
         WHERE n <> 0 ORDER BY municipality, status, category, institution",
        args![],
    )
    .await
    .unwrap();
    let counted: Vec<Row> = db::fetch_all(
        &mut conn,
        "SELECT municipality, status, category, COALESCE(institution, '') AS institution, \
         COUNT(*) AS n FROM initiatives WHERE status IN ('published', 'completed') \
         GROUP BY municipality, status, category, COALESCE(institution, '') \
         ORDER BY municipality, status, category, institution",
        args![],
    )
    .await
    .unwrap();
    drop(conn);
    assert_eq!(kept, counted, "{when}: the counts kept");
    assert!(
        kept.iter().all(|row| row.4 > 0),
        "{when}: no count below zero"
    );

    for (results, category, institution) in [
        (false, None, None),
        (false, Some("snow_clearing"), None),
        (false, None, Some("regnbuen")),
        (false, Some("playdate_group"), Some("regnbuen")),
        (false, Some("no_such_category"), None),
        (true, None, None),
        (true, Some("snow_clearing"), None),
        (true, None, Some("stenderup-skole")),
    ] {
        let mut path = format!("{LIST}?results={results}");
        let mut sql = format!(
            "SELECT COUNT(*) FROM initiatives WHERE municipality = 'billund' AND status = '{}'",
            if results { "completed" } else { "published" }
        );
        if let Some(category) = category {
            path.push_str(&format!("&category={category}"));
            sql.push_str(&format!(" AND category = '{category}'"));
        }
        if let Some(institution) = institution {
            path.push_str(&format!("&institution={institution}"));
            sql.push_str(&format!(" AND institution = '{institution}'"));
        }
        let answered = app.get_json(&path).await["total"].as_i64().unwrap();
        assert_eq!(answered, app.count(&sql, args![]).await, "{when}: {path}");
    }
}

async fn version_of(admin: &sammen_tests::Console<'_>, id: &str) -> Value {
    admin
        .get(&format!("/api/v1/admin/initiatives/{id}"))
        .await
        .json::<Value>()
        .await
        .unwrap()["proposal"]["version"]
        .clone()
}

async fn decide(admin: &sammen_tests::Console<'_>, id: &str, action: &str) {
    let version = version_of(admin, id).await;
    let response = admin
        .post(
            &format!("/api/v1/admin/initiatives/{id}/decisions"),
            &json!({"action": action, "version": version, "message": "Tak for forslaget."}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "{action} {id}");
}

async fn the_counted_total_is_exact_after_every_kind_of_change(app: TestApp) {
    counts_match(&app, "the demo data, counted by the migration").await;

    // Proposals are not public: nothing counted yet.
    let mut proposals = Vec::new();
    for (title, category, institution) in [
        ("Sne ved hallen", "snow_clearing", Value::Null),
        (
            "Legegrupper i Regnbuen",
            "playdate_group",
            json!("regnbuen"),
        ),
        (
            "Gå-bus til Stenderup",
            "walking_group",
            json!("stenderup-skole"),
        ),
    ] {
        let mut body = good_proposal();
        body["title"] = json!(title);
        body["category"] = json!(category);
        body["institution"] = institution;
        let created = app.propose(&body).await;
        proposals.push((
            created["id"].as_str().unwrap().to_string(),
            created["follow_token"].as_str().unwrap().to_string(),
        ));
    }
    counts_match(&app, "three proposals").await;
    let (snow, snow_token) = proposals[0].clone();
    let (play, _) = proposals[1].clone();
    let (walk, _) = proposals[2].clone();

    // Published by the coordinator, and straight in the table.
    let admin = app.sign_in("admin@billund.demo").await;
    decide(&admin, &snow, "publish").await;
    counts_match(&app, "published by the coordinator").await;
    app.publish(&play).await;
    app.publish(&walk).await;
    counts_match(&app, "published in the table").await;

    // Completed by its organiser: from the running list to the results.
    let response = app
        .client
        .post(app.url("/api/v1/follow/done"))
        .bearer_auth(&snow_token)
        .json(&json!({"outcome": "Fortovet var ryddet hele vinteren."}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    counts_match(&app, "completed by the organiser").await;

    // Archived by the coordinator: out of the list.
    decide(&admin, &play, "archive").await;
    counts_match(&app, "archived").await;

    // Another category and institution, and then none.
    let mut conn = app.db.acquire().await.unwrap();
    let walk_id = Uuid::parse_str(&walk).unwrap();
    for (category, institution) in [("snow_clearing", Some("regnbuen")), ("other", None)] {
        db::execute(
            &mut conn,
            "UPDATE initiatives SET category = $1, institution = $2 WHERE id = $3",
            args![category, institution, walk_id],
        )
        .await
        .unwrap();
        drop(conn);
        counts_match(&app, &format!("moved to {category}, {institution:?}")).await;
        conn = app.db.acquire().await.unwrap();
    }
    drop(conn);

    // Erased (the proposer's data): still public, still counted.
    let response = admin
        .request(
            Method::DELETE,
            &format!("/api/v1/admin/privacy/proposal/{walk}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    counts_match(&app, "erased").await;

    // Many at once: an import, a change of status of many in one
    // statement, a delete of many; and a row changed twice in one
    // transaction.
    let now = Utc::now();
    let published = seed_initiatives(&app, "billund", "published", 60, now).await;
    let completed = seed_initiatives(&app, "billund", "completed", 20, now).await;
    seed_initiatives(&app, "skanderborg", "published", 10, now).await;
    seed_initiatives(&app, "billund", "submitted", 10, now).await;
    counts_match(&app, "imported").await;
    let mut conn = app.db.acquire().await.unwrap();
    db::execute(
        &mut conn,
        "UPDATE initiatives SET status = 'completed' WHERE id IN ($1, $2, $3)",
        args![published[0], published[1], published[2]],
    )
    .await
    .unwrap();
    db::execute(
        &mut conn,
        "DELETE FROM initiatives WHERE id IN ($1, $2, $3, $4)",
        args![published[10], published[11], completed[0], completed[1]],
    )
    .await
    .unwrap();
    drop(conn);
    counts_match(&app, "completed and deleted in bulk").await;
    let mut tx = app.db.begin().await.unwrap();
    db::execute(
        &mut tx,
        "UPDATE initiatives SET status = 'archived' WHERE id = $1",
        args![published[20]],
    )
    .await
    .unwrap();
    db::execute(
        &mut tx,
        "UPDATE initiatives SET status = 'completed', category = 'snow_clearing' WHERE id = $1",
        args![published[20]],
    )
    .await
    .unwrap();
    db::execute(
        &mut tx,
        "DELETE FROM initiatives WHERE id = $1",
        args![published[21]],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    counts_match(&app, "changed twice in one transaction").await;
}

/// The `after` of a response's `Link: <…>; rel="next"`, and the link.
fn next_link(response: &reqwest::Response) -> Option<String> {
    let link = response.headers().get("link")?.to_str().unwrap();
    let target = link
        .strip_prefix('<')
        .and_then(|rest| rest.split_once(">; rel=\"next\""))
        .map(|(target, _)| target.to_string());
    assert!(target.is_some(), "a next link: {link}");
    target
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

/// Follows the `Link` headers from `first` to the end; the ids in the
/// order seen, and the page numbers the answers gave.
async fn walk(app: &TestApp, first: &str) -> (Vec<String>, Vec<u64>) {
    let mut seen = Vec::new();
    let mut pages = Vec::new();
    let mut path = first.to_string();
    loop {
        let response = app.get(&path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let next = next_link(&response);
        let page: Value = response.json().await.unwrap();
        pages.push(page["page"].as_u64().unwrap());
        seen.extend(ids(&page));
        match next {
            Some(link) => {
                assert!(link.starts_with(LIST), "{link}");
                path = link;
            }
            None => return (seen, pages),
        }
        assert!(pages.len() < 100, "the walk ends");
    }
}

async fn the_next_link_walks_the_whole_list_once_in_order(app: TestApp) {
    let now = Utc::now();
    seed_initiatives(&app, "billund", "published", 37, now).await;
    seed_initiatives(&app, "billund", "completed", 11, now).await;

    for (per_page, filters) in [
        (4, ""),
        (3, "&category=snow_clearing"),
        (2, "&institution=regnbuen&category=other"),
        (5, "&results=true"),
        (2, "&q=f%C3%A6llesspisning"),
    ] {
        let all = app.get_json(&format!("{LIST}?per_page=100{filters}")).await;
        let total = all["total"].as_u64().unwrap();
        assert_eq!(total, ids(&all).len() as u64, "{filters}");
        assert!(total >= 3, "{filters}: {total}");
        let first = format!("{LIST}?per_page={per_page}{filters}");
        let (seen, pages) = walk(&app, &first).await;
        assert_eq!(seen, ids(&all), "{first}: each once, in the list's order");
        assert_eq!(pages, (1..=pages.len() as u64).collect::<Vec<_>>());
        assert_eq!(pages.len() as u64, total.div_ceil(per_page));
    }

    // A page by number ends where the cursor starts: the same rows.
    let response = app.get(&format!("{LIST}?per_page=4&page=3")).await;
    let next = next_link(&response).unwrap();
    assert!(
        next.contains("page=4") && next.contains("per_page=4"),
        "{next}"
    );
    let by_cursor = app.get_json(&next).await;
    let by_number = app.get_json(&format!("{LIST}?per_page=4&page=4")).await;
    assert_eq!(ids(&by_cursor), ids(&by_number));
    assert_eq!(by_cursor["page"], 4);
    assert_eq!(by_cursor["total"], by_number["total"]);

    // The link is kept with the answer: the second read (from memory)
    // has it too; a new initiative makes a new answer and a new link.
    let again = app.get(&format!("{LIST}?per_page=4&page=3")).await;
    assert_eq!(next_link(&again).unwrap(), next);
    seed_initiatives(&app, "billund", "published", 1, now + Duration::hours(1)).await;
    let after_write = app.get(&format!("{LIST}?per_page=4&page=3")).await;
    assert_ne!(next_link(&after_write).unwrap(), next);

    // A browser on the municipality's site may read it.
    let cross = app
        .client
        .get(app.url(LIST))
        .header("origin", "https://regnbuen.billund.dk")
        .send()
        .await
        .unwrap();
    assert!(cross.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .contains("link"));

    // The last page has no next; neither has a near search.
    let last = app.get(&format!("{LIST}?per_page=100")).await;
    assert!(last.headers().get("link").is_none());
    let near = app
        .get(&format!(
            "{LIST}?per_page=1&lat=55.727&lon=9.109&radius_km=50"
        ))
        .await;
    assert_eq!(near.status(), StatusCode::OK);
    assert!(near.headers().get("link").is_none());
}

async fn a_bad_cursor_or_a_page_too_deep_is_refused_naming_after(app: TestApp) {
    let refused = |path: String| {
        let app = &app;
        async move {
            let response = app
                .client
                .get(app.url(&path))
                .header("accept-language", "en")
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], "invalid_parameter", "{path}");
            body["error"]["message"].as_str().unwrap().to_string()
        }
    };
    for after in ["nonsense", "AAAA", "%F0%9F%98%80", "A".repeat(400).as_str()] {
        let message = refused(format!("{LIST}?after={after}")).await;
        assert!(message.contains("after"), "{message}");
    }
    // A cursor with nanoseconds past a second is none a list gave.
    let mut bytes = vec![0u8; 28];
    bytes[8..12].copy_from_slice(&2_000_000_000u32.to_be_bytes());
    let forged = base64_url(&bytes);
    assert!(refused(format!("{LIST}?after={forged}"))
        .await
        .contains("after"));
    let message = refused(format!("{LIST}?after={forged}&lat=55.7&lon=9.1")).await;
    assert!(message.contains("after"), "{message}");

    // Page numbers reach the first 10,000 initiatives; deeper, the answer
    // says to follow `after`. In Danish by default.
    let deepest = MAX_OFFSET as u64 / 20;
    let ok = app.get(&format!("{LIST}?page={deepest}")).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let message = refused(format!("{LIST}?page={}", deepest + 1)).await;
    assert!(
        message.contains("after") && message.contains("10000"),
        "{message}"
    );
    let danish = app.get(&format!("{LIST}?page=101&per_page=100")).await;
    assert_eq!(danish.status(), StatusCode::BAD_REQUEST);
    let body: Value = danish.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Gå videre med after"),
        "{body}"
    );
    // With a cursor the number is only a label: any depth.
    let cursor = sammen_backend::api::initiatives::cursor_after(Utc::now(), Uuid::nil());
    let deep = app
        .get_json(&format!("{LIST}?page=4000000&after={cursor}"))
        .await;
    assert_eq!(deep["page"], 4_000_000);
    // A near search pages by number within its candidates, as before.
    let near = app.get(&format!("{LIST}?page=1000&lat=55.7&lon=9.1")).await;
    assert_eq!(near.status(), StatusCode::OK);
}

fn base64_url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (k, b)| n | (u32::from(*b) << (16 - 8 * k)));
        for k in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
        }
    }
    out
}

/// The plan of `sql` with `values`: SQLite's `EXPLAIN QUERY PLAN` details,
/// or PostgreSQL's `EXPLAIN` lines.
async fn plan(app: &TestApp, sql: &str, values: Vec<db::Value>) -> Vec<String> {
    let mut conn = app.db.acquire().await.unwrap();
    match app.db.kind() {
        Kind::Sqlite => {
            let rows: Vec<(i64, i64, i64, String)> =
                db::fetch_all(&mut conn, &format!("EXPLAIN QUERY PLAN {sql}"), values)
                    .await
                    .unwrap();
            rows.into_iter().map(|row| row.3).collect()
        }
        Kind::Postgres => db::fetch_scalars(&mut conn, &format!("EXPLAIN {sql}"), values)
            .await
            .unwrap(),
    }
}

async fn every_list_query_reads_an_index_in_order_never_every_initiative(app: TestApp) {
    // Enough rows that reading them all and sorting would be the planner's
    // choice were there no index in the list's order (PostgreSQL weighs
    // its statistics, made by ANALYZE): 20,000 in Billund, some completed,
    // and others elsewhere.
    let now = Utc::now();
    let published = seed_initiatives(&app, "billund", "published", 16_000, now).await;
    seed_initiatives(&app, "billund", "completed", 2_000, now).await;
    seed_initiatives(&app, "skanderborg", "published", 2_000, now).await;
    let mut conn = app.db.acquire().await.unwrap();
    db::execute(&mut conn, "ANALYZE", args![]).await.unwrap();
    drop(conn);
    let deep = published[12_345];
    let deep_at = now - Duration::seconds((12_345 / 2) * 60);
    let cursor = sammen_backend::api::initiatives::cursor_after(deep_at, deep);

    let after = Some(cursor);
    let category = Some("snow_clearing".to_string());
    let results = Some(true);
    for (name, query, index) in [
        (
            "page 1",
            InitiativeQuery::default(),
            "initiatives_by_status",
        ),
        (
            "a page by number",
            InitiativeQuery {
                page: Some(50),
                ..Default::default()
            },
            "initiatives_by_status",
        ),
        (
            "a cursor's page",
            InitiativeQuery {
                after: after.clone(),
                ..Default::default()
            },
            "initiatives_by_status",
        ),
        (
            "a category",
            InitiativeQuery {
                category: category.clone(),
                ..Default::default()
            },
            "initiatives_by_category",
        ),
        (
            "a category from a cursor",
            InitiativeQuery {
                category: category.clone(),
                after: after.clone(),
                ..Default::default()
            },
            "initiatives_by_category",
        ),
        (
            "an institution",
            InitiativeQuery {
                institution: Some("regnbuen".into()),
                ..Default::default()
            },
            "initiatives_by_institution",
        ),
        (
            "results",
            InitiativeQuery {
                results,
                ..Default::default()
            },
            "initiatives_by_completion",
        ),
        (
            "results from a cursor",
            InitiativeQuery {
                results,
                after: after.clone(),
                ..Default::default()
            },
            "initiatives_by_completion",
        ),
    ] {
        let from_cursor = query.after.is_some();
        let column = if query.results == Some(true) {
            "updated_at"
        } else {
            "published_at"
        };
        let [(count_sql, count_values), (page_sql, page_values)] =
            list_sql("billund", query).unwrap_or_else(|| panic!("{name}: a list query"));
        let count_plan = plan(&app, &count_sql, count_values).await;
        let page_plan = plan(&app, &page_sql, page_values).await;
        let text = format!("{name}:\ncount: {count_plan:#?}\npage: {page_plan:#?}");
        assert!(
            !count_sql.contains("FROM initiatives"),
            "{name}: the total is not counted: {count_sql}"
        );
        match app.db.kind() {
            Kind::Sqlite => {
                assert!(
                    count_plan
                        .iter()
                        .any(|l| l.contains("SEARCH initiative_counts USING PRIMARY KEY")),
                    "{text}"
                );
                assert!(
                    page_plan
                        .iter()
                        .any(|l| l.starts_with(&format!("SEARCH i USING INDEX {index} ("))),
                    "{text}"
                );
                // No full scan of a table, no sort of the rows.
                assert!(
                    !page_plan
                        .iter()
                        .chain(&count_plan)
                        .any(|l| l.starts_with("SCAN ") || l.contains("TEMP B-TREE")),
                    "{text}"
                );
            }
            Kind::Postgres => {
                assert!(
                    page_plan
                        .iter()
                        .any(|l| l.contains(&format!("Index Scan using {index} on initiatives i"))),
                    "{text}"
                );
                assert!(
                    !page_plan.iter().chain(&count_plan).any(|l| l
                        .contains("Seq Scan on initiatives")
                        || l.contains("Bitmap Heap Scan on initiatives")
                        || l.trim_start()
                            .trim_start_matches("->  ")
                            .starts_with("Sort")
                        || l.contains("Incremental Sort")),
                    "{text}"
                );
            }
        }
        // A cursor's page starts the index range at the cursor, not at the
        // top of the list.
        if from_cursor && app.db.kind() == Kind::Postgres {
            assert!(
                page_plan
                    .iter()
                    .any(|l| l.contains("Index Cond") && l.contains(&format!("{column} <="))),
                "{text}"
            );
        }
        if from_cursor && app.db.kind() == Kind::Sqlite {
            assert!(
                page_plan.iter().any(|l| l.contains(&format!("{column}<?"))),
                "{text}"
            );
        }
    }
    // A rare word, on PostgreSQL: found through the trigram index, which
    // holds the public initiatives alone; the list's query names the status
    // that lets the planner use it. (SQLite asks its own index first.)
    if app.db.kind() == Kind::Postgres {
        let query = InitiativeQuery {
            q: Some("12345".into()),
            ..Default::default()
        };
        let [_, (sql, values)] = list_sql("billund", query).expect("a list query");
        let page_plan = plan(&app, &sql, values).await;
        assert!(
            page_plan
                .iter()
                .any(|l| l.contains("Bitmap Index Scan on initiatives_search_trgm")),
            "{page_plan:#?}"
        );
    }
}
