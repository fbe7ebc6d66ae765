//! Browsing: the demo data, filters, near me, pages.

use sammen_backend::db::{self, Kind};
use sammen_tests::{args, on_both_databases, TestApp};
use serde_json::{json, Value};

on_both_databases!(
    the_demo_municipalities_are_there,
    filters_narrow_the_list,
    near_me_sorts_by_distance_within_the_radius,
    pages_walk_through_everything_once,
    search_finds_part_of_a_word_through_the_trigram_index,
);

fn titles(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect()
}

async fn the_demo_municipalities_are_there(app: TestApp) {
    let billund = app.get_json("/api/v1/municipalities/billund").await;
    assert_eq!(billund["name"], "Billund Kommune");
    let institutions: Vec<&str> = billund["institutions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["slug"].as_str().unwrap())
        .collect();
    assert_eq!(institutions, vec!["regnbuen", "stenderup-skole"]);
    let nordfyns = app.get_json("/api/v1/municipalities/nordfyns").await;
    let categories: Vec<&str> = nordfyns["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap())
        .collect();
    assert!(categories.contains(&"child_minding") && categories.contains(&"snow_clearing"));

    let billund_list = app
        .get_json("/api/v1/municipalities/billund/initiatives")
        .await;
    assert_eq!(
        billund_list["total"], 2,
        "the submitted demo proposal is not public"
    );
    let skanderborg = app
        .get_json("/api/v1/municipalities/skanderborg/initiatives")
        .await;
    let mut names = titles(&skanderborg);
    names.sort();
    assert_eq!(
        names,
        vec![
            "Gå-bus: vi følger børn i skole",
            "Oprydning ved badestranden i Skanderborg Sø",
            "Vi bygger en legeplads i Stilling",
        ]
    );
}

async fn filters_narrow_the_list(app: TestApp) {
    let regnbuen = app
        .get_json("/api/v1/municipalities/billund/initiatives?institution=regnbuen")
        .await;
    assert_eq!(
        titles(&regnbuen),
        vec!["Legegrupper for børnene på Regnbuen"]
    );
    let walking = app
        .get_json("/api/v1/municipalities/skanderborg/initiatives?category=walking_group")
        .await;
    assert_eq!(titles(&walking), vec!["Gå-bus: vi følger børn i skole"]);
    let text = app
        .get_json("/api/v1/municipalities/skanderborg/initiatives?q=BADEBROEN")
        .await;
    assert_eq!(
        titles(&text),
        vec!["Oprydning ved badestranden i Skanderborg Sø"]
    );
    let wildcard = app
        .get_json("/api/v1/municipalities/skanderborg/initiatives?q=%25")
        .await;
    assert_eq!(wildcard["total"], 0, "% is a character, not a wildcard");
    let none = app
        .get_json("/api/v1/municipalities/billund/initiatives?category=snow_clearing")
        .await;
    assert_eq!(none["total"], 0);
}

async fn near_me_sorts_by_distance_within_the_radius(app: TestApp) {
    // Standing at Stilling Skole: the walking group (0.1 km) before the
    // playground (≈0.4 km); the lake beach (≈5 km) is outside 3 km.
    let near = app
        .get_json(
            "/api/v1/municipalities/skanderborg/initiatives?lat=56.0612&lon=9.9885&radius_km=3",
        )
        .await;
    assert_eq!(
        titles(&near),
        vec![
            "Gå-bus: vi følger børn i skole",
            "Vi bygger en legeplads i Stilling"
        ]
    );
    let distances: Vec<f64> = near["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["distance_km"].as_f64().unwrap())
        .collect();
    assert!(
        distances[0] <= distances[1] && distances[1] < 3.0,
        "{distances:?}"
    );
    let wide = app
        .get_json(
            "/api/v1/municipalities/skanderborg/initiatives?lat=56.0612&lon=9.9885&radius_km=50",
        )
        .await;
    assert_eq!(wide["total"], 3);

    // A citizen's proposal with a place name but no point is not hidden by
    // "near me": it comes after those with a distance.
    let mut proposal = sammen_tests::good_proposal();
    proposal["title"] = json!("Fællesspisning i forsamlingshuset");
    proposal["category"] = json!("other");
    proposal["institution"] = Value::Null;
    proposal["place"] = json!({"name": "Forsamlingshuset"});
    let response = app
        .post_json("/api/v1/municipalities/skanderborg/initiatives", &proposal)
        .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    app.publish(created["id"].as_str().unwrap()).await;
    let near = app
        .get_json(
            "/api/v1/municipalities/skanderborg/initiatives?lat=56.0612&lon=9.9885&radius_km=3",
        )
        .await;
    assert_eq!(
        titles(&near),
        vec![
            "Gå-bus: vi følger børn i skole",
            "Vi bygger en legeplads i Stilling",
            "Fællesspisning i forsamlingshuset"
        ]
    );
    assert_eq!(near["total"], 3);
    assert_eq!(near["items"][2]["distance_km"], Value::Null);
}

async fn pages_walk_through_everything_once(app: TestApp) {
    let all = app
        .get_json("/api/v1/municipalities/skanderborg/initiatives")
        .await;
    let mut seen = Vec::new();
    for page in 1..=3 {
        let one = app
            .get_json(&format!(
                "/api/v1/municipalities/skanderborg/initiatives?per_page=1&page={page}"
            ))
            .await;
        assert_eq!(one["total"], 3);
        assert_eq!(one["per_page"], 1);
        seen.extend(titles(&one).into_iter().map(String::from));
    }
    let expected: Vec<String> = titles(&all).into_iter().map(String::from).collect();
    assert_eq!(seen, expected);
    let beyond = app
        .get_json("/api/v1/municipalities/skanderborg/initiatives?per_page=1&page=4")
        .await;
    assert_eq!(beyond["items"].as_array().unwrap().len(), 0);
}

async fn search_finds_part_of_a_word_through_the_trigram_index(app: TestApp) {
    let path = "/api/v1/municipalities/skanderborg/initiatives";
    let mut ids = Vec::new();
    for (title, summary) in [
        (
            "Ladcykelværksted i Stilling",
            "Vi reparerer ladcykler sammen.",
        ),
        (
            "Fællesspisning 100% hjemmelavet",
            "Mad til alle, hver torsdag.",
        ),
    ] {
        let response = app
            .post_json(
                path,
                &json!({"title": title, "summary": summary, "category": "walking_group",
                        "place": {"name": "Stilling"},
                        "contact": {"name": "Ida", "email": "ida@example.dk"}}),
            )
            .await;
        assert_eq!(response.status(), 201);
        let created: Value = response.json().await.unwrap();
        let id = created["id"].as_str().unwrap().to_string();
        app.publish(&id).await;
        ids.push(id);
    }
    let found = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    };
    // Inside a compound word, in capitals, two words; a wildcard character
    // searched literally (the index takes no ESCAPE: the rows are read).
    for (q, expected) in [
        ("CYKEL", vec![ids[0].clone()]),
        ("cykelværk stilling", vec![ids[0].clone()]),
        ("100%25", vec![ids[1].clone()]),
        ("cykel%20torsdag", vec![]),
        ("ingenting", vec![]),
    ] {
        let page = app.get_json(&format!("{path}?q={q}")).await;
        assert_eq!(found(&page), expected, "q={q}: {page}");
        assert_eq!(page["total"], expected.len(), "q={q}");
    }

    // An edit reaches the index (the follow link's edit rewrites the text).
    let mut conn = app.db.acquire().await.unwrap();
    db::execute(
        &mut conn,
        "UPDATE initiatives SET search_text = 'havelaug' WHERE id = $1",
        args![uuid::Uuid::parse_str(&ids[0]).unwrap()],
    )
    .await
    .unwrap();
    drop(conn);
    assert_eq!(
        found(&app.get_json(&format!("{path}?q=cykel")).await),
        Vec::<String>::new()
    );
    assert_eq!(
        found(&app.get_json(&format!("{path}?q=havela")).await),
        vec![ids[0].clone()]
    );

    // The index is there and used.
    let mut conn = app.db.acquire().await.unwrap();
    match app.db.kind() {
        Kind::Sqlite => {
            let plan: Vec<(i64, i64, i64, String)> = db::fetch_all(
                &mut conn,
                "EXPLAIN QUERY PLAN SELECT id FROM initiatives_search WHERE search_text LIKE $1",
                args!["%havela%"],
            )
            .await
            .unwrap();
            assert!(
                plan.iter().any(|row| row.3.contains("VIRTUAL TABLE INDEX")),
                "{plan:?}"
            );
            // The triggers find an initiative's row in the index by its
            // number, never by reading the whole index (FTS5 cannot index
            // the id): `INDEX 0:=` is FTS5's lookup by rowid.
            let plan: Vec<(i64, i64, i64, String)> = db::fetch_all(
                &mut conn,
                "EXPLAIN QUERY PLAN DELETE FROM initiatives_search \
                 WHERE rowid = (SELECT row FROM initiatives_search_rows WHERE id = $1)",
                args![uuid::Uuid::parse_str(&ids[0]).unwrap()],
            )
            .await
            .unwrap();
            let details: Vec<&str> = plan.iter().map(|row| row.3.as_str()).collect();
            assert!(
                details.contains(&"SCAN initiatives_search VIRTUAL TABLE INDEX 0:="),
                "{details:?}"
            );
            assert!(
                details
                    .iter()
                    .any(|d| d.starts_with("SEARCH initiatives_search_rows USING")),
                "{details:?}"
            );
            // Archived, published again, edited, deleted: the index and its
            // numbers hold exactly the public initiatives all the way.
            let first = uuid::Uuid::parse_str(&ids[0]).unwrap();
            let second = uuid::Uuid::parse_str(&ids[1]).unwrap();
            // The demo's public initiatives, and these two.
            let public: i64 = db::fetch_scalar(
                &mut conn,
                "SELECT count(*) FROM initiatives WHERE status IN ('published', 'completed')",
                args![],
            )
            .await
            .unwrap();
            for (step, sql, id, expected) in [
                (
                    "archived",
                    "UPDATE initiatives SET status = 'archived' WHERE id = $1",
                    first,
                    public - 1,
                ),
                (
                    "published again",
                    "UPDATE initiatives SET status = 'published' WHERE id = $1",
                    first,
                    public,
                ),
                (
                    "edited",
                    "UPDATE initiatives SET search_text = 'bålhygge' WHERE id = $1",
                    first,
                    public,
                ),
                (
                    "deleted",
                    "DELETE FROM initiatives WHERE id = $1",
                    second,
                    public - 1,
                ),
            ] {
                db::execute(&mut conn, sql, args![id]).await.unwrap();
                for table in ["initiatives_search", "initiatives_search_rows"] {
                    let count: i64 = db::fetch_scalar(
                        &mut conn,
                        &format!("SELECT count(*) FROM {table}"),
                        args![],
                    )
                    .await
                    .unwrap();
                    assert_eq!(count, expected, "{step}: {table}");
                }
                let public: i64 = db::fetch_scalar(
                    &mut conn,
                    "SELECT count(*) FROM initiatives_search s \
                     JOIN initiatives_search_rows r ON r.row = s.rowid AND r.id = s.id \
                     JOIN initiatives i ON i.id = s.id AND i.search_text = s.search_text \
                     WHERE i.status IN ('published', 'completed')",
                    args![],
                )
                .await
                .unwrap();
                assert_eq!(public, expected, "{step}: rows that match");
            }
            drop(conn);
            assert_eq!(
                found(&app.get_json(&format!("{path}?q=lhyg")).await),
                vec![ids[0].clone()]
            );
        }
        Kind::Postgres => {
            // It holds the public initiatives only, as SQLite's does; that
            // the list's own query reads it is checked at 20,000 rows
            // (`flat_list.rs`), where the planner has a choice to make.
            let index: String = db::fetch_scalar(
                &mut conn,
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'initiatives_search_trgm'",
                args![],
            )
            .await
            .unwrap();
            assert!(
                index.contains("gin_trgm_ops")
                    && index.contains(
                        "WHERE (status = ANY (ARRAY['published'::text, 'completed'::text]))"
                    ),
                "{index}"
            );
        }
    }
}
