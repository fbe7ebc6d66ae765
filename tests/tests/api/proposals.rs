use sammen_tests::{args, good_proposal, on_both_databases, TestApp};
use serde_json::{json, Value};

on_both_databases!(
    a_proposal_is_hidden_until_published,
    markup_in_a_title_is_stored_and_returned_as_text,
    danish_and_arabic_text_round_trip_unchanged,
);

async fn list_titles(app: &TestApp) -> Vec<String> {
    let page = app
        .get_json("/api/v1/municipalities/billund/initiatives?per_page=100")
        .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["title"].as_str().unwrap().to_string())
        .collect()
}

async fn a_proposal_is_hidden_until_published(app: TestApp) {
    let mut proposal = good_proposal();
    proposal["title"] = json!("Bålaften for hele børnehaven");
    let created = app.propose(&proposal).await;
    assert_eq!(created["status"], "submitted");
    assert_eq!(created["follow_token"].as_str().unwrap().len(), 76);
    let id = created["id"].as_str().unwrap();

    assert!(!list_titles(&app)
        .await
        .contains(&"Bålaften for hele børnehaven".to_string()));
    let hidden = app
        .get(&format!("/api/v1/municipalities/billund/initiatives/{id}"))
        .await;
    assert_eq!(hidden.status(), 404);

    app.publish(id).await;
    assert!(list_titles(&app)
        .await
        .contains(&"Bålaften for hele børnehaven".to_string()));
    let one = app
        .get_json(&format!("/api/v1/municipalities/billund/initiatives/{id}"))
        .await;
    assert_eq!(one["status"], "published");
    assert_eq!(one["institution"]["name"], "Børnehaven Regnbuen");
    assert_eq!(one["needs"][0]["title"], "Værtsfamilier");
    assert_eq!(one["needs"][0]["people_wanted"], 4);
    assert_eq!(one["joined"], 0);
}

async fn markup_in_a_title_is_stored_and_returned_as_text(app: TestApp) {
    let mut proposal = good_proposal();
    proposal["title"] = json!("<script>alert(1)</script>");
    let created = app.propose(&proposal).await;
    let id = created["id"].as_str().unwrap();
    app.publish(id).await;
    let response = app
        .get(&format!("/api/v1/municipalities/billund/initiatives/{id}"))
        .await;
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["title"], "<script>alert(1)</script>");
    let stored = app
        .count(
            "SELECT COUNT(*) FROM initiatives WHERE title = $1",
            args!["<script>alert(1)</script>"],
        )
        .await;
    assert_eq!(stored, 1);
}

async fn danish_and_arabic_text_round_trip_unchanged(app: TestApp) {
    let mut proposal = good_proposal();
    let title = "Æblerov på Ærø – مجموعة اللعب للأطفال";
    let summary = "Vi plukker æbler, pærer og blåbær sammen.\nنلتقي كل يوم خميس.";
    proposal["title"] = json!(title);
    proposal["summary"] = json!(summary);
    proposal["place"]["name"] = json!("Østergård, Ærøskøbing");
    let created = app.propose(&proposal).await;
    let id = created["id"].as_str().unwrap();
    app.publish(id).await;
    let one = app
        .get_json(&format!("/api/v1/municipalities/billund/initiatives/{id}"))
        .await;
    assert_eq!(one["title"], title);
    assert_eq!(one["summary"], summary);
    assert_eq!(one["place"]["name"], "Østergård, Ærøskøbing");
    // Search is case-insensitive beyond ASCII too.
    let found = app
        .get_json("/api/v1/municipalities/billund/initiatives?q=%C3%86BLEROV")
        .await;
    assert_eq!(found["total"], 1, "{found}");
    let found = app
        .get_json(
            "/api/v1/municipalities/billund/initiatives?q=%D9%85%D8%AC%D9%85%D9%88%D8%B9%D8%A9",
        )
        .await;
    assert_eq!(found["total"], 1, "{found}");
}
