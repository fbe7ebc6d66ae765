//! Browsing: the demo data, filters, near me, pages.

use sammen_tests::{on_both_databases, TestApp};
use serde_json::{json, Value};

on_both_databases!(
    the_demo_municipalities_are_there,
    filters_narrow_the_list,
    near_me_sorts_by_distance_within_the_radius,
    pages_walk_through_everything_once,
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
