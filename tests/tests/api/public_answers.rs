//! Public answers kept in memory (`public_answers.rs`) are never stale: a
//! write is seen on the next read, also through another backend on the same
//! database; `ETag`/304 follow the municipality's public version; nothing a
//! coordinator sees is kept or shown to the public.

use reqwest::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH};
use reqwest::{Response, StatusCode};
use sammen_tests::{good_proposal, on_both_databases, TestApp};
use serde_json::{json, Value};

on_both_databases!(
    a_write_is_seen_on_the_next_read,
    an_etag_answers_304_until_a_write_changes_it,
    a_second_backend_sees_a_write_through_the_first_on_its_next_read,
    a_coordinator_gets_no_kept_answer_and_the_public_no_coordinators_data,
    a_site_allowed_or_removed_counts_from_the_next_request,
);

const LIST: &str = "/api/v1/municipalities/billund/initiatives";

/// A snow-clearing proposal in Billund (no family asked of who joins).
fn snow_clearing(title: &str) -> Value {
    let mut body = good_proposal();
    body["title"] = json!(title);
    body["category"] = json!("snow_clearing");
    body["institution"] = Value::Null;
    body
}

fn item<'a>(list: &'a Value, id: &str) -> Option<&'a Value> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
}

async fn join(app: &TestApp, id: &str, name: &str) {
    let response = app
        .post_json(
            &format!("{LIST}/{id}/signups"),
            &json!({"contact": {"name": name}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "{name} joins");
}

async fn get_if_none_match(app: &TestApp, path: &str, etag: &str) -> Response {
    app.client
        .get(app.url(path))
        .header(IF_NONE_MATCH, etag)
        .send()
        .await
        .unwrap()
}

fn etag_of(response: &Response) -> String {
    response.headers()[ETAG].to_str().unwrap().to_string()
}

async fn a_write_is_seen_on_the_next_read(app: TestApp) {
    let before = app.get_json(LIST).await;
    let created = app.propose(&snow_clearing("Sne på Stenderupvej")).await;
    let id = created["id"].as_str().unwrap().to_string();
    let page = format!("{LIST}/{id}");
    assert!(item(&app.get_json(LIST).await, &id).is_none());
    assert_eq!(app.get(&page).await.status(), StatusCode::NOT_FOUND);

    // Published with an edited title through the console: the next reads
    // show it, also the page that was a 404 a moment ago.
    let admin = app.sign_in("admin@billund.demo").await;
    let decided = admin
        .post(
            &format!("/api/v1/admin/initiatives/{id}/decisions"),
            &json!({"action": "publish", "version": 1, "title": "Sne ryddet på Stenderupvej"}),
        )
        .await;
    assert_eq!(decided.status(), StatusCode::OK);
    let list = app.get_json(LIST).await;
    assert_eq!(list["total"], before["total"].as_u64().unwrap() + 1);
    let shown = item(&list, &id).expect("the published initiative is listed");
    assert_eq!(shown["title"], "Sne ryddet på Stenderupvej");
    assert_eq!(shown["joined"], 0);
    assert_eq!(app.get_json(&page).await["joined"], 0);
    let searched = app.get_json(&format!("{LIST}?q=stenderupvej")).await;
    assert!(item(&searched, &id).is_some());

    // Someone joins: the counts move on the next read of both.
    join(&app, &id, "Hanne").await;
    assert_eq!(item(&app.get_json(LIST).await, &id).unwrap()["joined"], 1);
    assert_eq!(app.get_json(&page).await["joined"], 1);
    let need = app.get_json(&page).await["needs"][0]["id"].clone();
    let response = app
        .post_json(
            &format!("{page}/signups"),
            &json!({"contact": {"name": "Bo"}, "need_id": need}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let read = app.get_json(&page).await;
    assert_eq!(read["joined"], 2);
    assert_eq!(read["needs"][0]["people_joined"], 1);

    // An institution added is in the municipality's view at once.
    let billund = "/api/v1/municipalities/billund";
    assert_eq!(
        app.get_json(billund).await["institutions"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let added = admin
        .post(
            "/api/v1/admin/institutions",
            &json!({"slug": "solsikken", "name": "Børnehaven Solsikken", "kind": "preschool"}),
        )
        .await;
    assert_eq!(added.status(), StatusCode::CREATED);
    assert_eq!(
        app.get_json(billund).await["institutions"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Archived: gone from the list and the page at once.
    let version = admin
        .get(&format!("/api/v1/admin/initiatives/{id}"))
        .await
        .json::<Value>()
        .await
        .unwrap()["proposal"]["version"]
        .clone();
    let archived = admin
        .post(
            &format!("/api/v1/admin/initiatives/{id}/decisions"),
            &json!({"action": "archive", "version": version, "message": "Vinteren er slut."}),
        )
        .await;
    assert_eq!(archived.status(), StatusCode::OK);
    assert!(item(&app.get_json(LIST).await, &id).is_none());
    assert_eq!(app.get(&page).await.status(), StatusCode::NOT_FOUND);
}

async fn an_etag_answers_304_until_a_write_changes_it(app: TestApp) {
    let created = app.propose(&snow_clearing("Sne ved hallen")).await;
    let id = created["id"].as_str().unwrap().to_string();
    app.publish(&id).await;
    let page = format!("{LIST}/{id}");
    for path in [LIST, page.as_str(), "/api/v1/municipalities/billund"] {
        let first = app.get(path).await;
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        let etag = etag_of(&first);
        assert!(etag.starts_with("W/\""), "{path}: {etag}");
        assert_eq!(first.headers()[CACHE_CONTROL], "public, no-cache", "{path}");
        let again = get_if_none_match(&app, path, &etag).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(etag_of(&again), etag);
        assert!(again.bytes().await.unwrap().is_empty());
        // Another question has another tag.
        let other = app.get(&format!("{path}?page=2")).await;
        if path == LIST {
            assert_ne!(etag_of(&other), etag);
        }
    }

    // A proposal is not public: the tags stay.
    let list_tag = etag_of(&app.get(LIST).await);
    let page_tag = etag_of(&app.get(&page).await);
    app.propose(&snow_clearing("Endnu ikke offentlig")).await;
    let unchanged = get_if_none_match(&app, LIST, &list_tag).await;
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);

    // Someone joins: both tags change and the new answers come whole.
    join(&app, &id, "Karen").await;
    for (path, tag) in [(LIST, &list_tag), (page.as_str(), &page_tag)] {
        let changed = get_if_none_match(&app, path, tag).await;
        assert_eq!(changed.status(), StatusCode::OK, "{path}");
        assert_ne!(&etag_of(&changed), tag, "{path}");
        let body: Value = changed.json().await.unwrap();
        let joined = if path == LIST {
            item(&body, &id).unwrap()["joined"].clone()
        } else {
            body["joined"].clone()
        };
        assert_eq!(joined, 1, "{path}");
    }

    // A 404 carries no tag, and a malformed filter is refused as before.
    let missing = app.get(&format!("{LIST}/{}", uuid::Uuid::new_v4())).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.headers().get(ETAG).is_none());
    assert_eq!(
        app.get(&format!("{LIST}?page=0")).await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/api/v1/municipalities/bilund/initiatives")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn a_second_backend_sees_a_write_through_the_first_on_its_next_read(first: TestApp) {
    let second = first.spawn_beside().await;
    let created = first.propose(&snow_clearing("Sne for to")).await;
    let id = created["id"].as_str().unwrap().to_string();
    let page = format!("{LIST}/{id}");
    // Both keep their answers from before.
    for app in [&first, &second] {
        assert!(item(&app.get_json(LIST).await, &id).is_none());
        assert_eq!(app.get(&page).await.status(), StatusCode::NOT_FOUND);
    }
    let tag = etag_of(&second.get(LIST).await);

    let admin = first.sign_in("admin@billund.demo").await;
    let decided = admin
        .post(
            &format!("/api/v1/admin/initiatives/{id}/decisions"),
            &json!({"action": "publish", "version": 1}),
        )
        .await;
    assert_eq!(decided.status(), StatusCode::OK);
    assert!(item(&second.get_json(LIST).await, &id).is_some());
    assert_eq!(second.get(&page).await.status(), StatusCode::OK);
    assert_eq!(
        get_if_none_match(&second, LIST, &tag).await.status(),
        StatusCode::OK,
        "the old tag is not current on the second backend either"
    );

    // Joining through the second: the first counts it on its next read,
    // many times over, as fast as a client can ask.
    for round in 1..=5 {
        let (writer, reader) = if round % 2 == 0 {
            (&first, &second)
        } else {
            (&second, &first)
        };
        join(writer, &id, &format!("Deltager {round}")).await;
        assert_eq!(
            reader.get_json(&page).await["joined"],
            round,
            "round {round}"
        );
        assert_eq!(
            item(&reader.get_json(LIST).await, &id).unwrap()["joined"],
            round,
            "round {round}"
        );
    }
}

async fn a_coordinator_gets_no_kept_answer_and_the_public_no_coordinators_data(app: TestApp) {
    let created = app.propose(&snow_clearing("Sne hos Mette")).await;
    let id = created["id"].as_str().unwrap().to_string();
    app.publish(&id).await;
    let page = format!("{LIST}/{id}");
    let admin = app.sign_in("admin@billund.demo").await;
    // The coordinator's view of it has the proposer's contact, and is no
    // public answer: no tag, never kept.
    let inside = admin.get(&format!("/api/v1/admin/initiatives/{id}")).await;
    assert_eq!(inside.status(), StatusCode::OK);
    assert!(inside.headers().get(ETAG).is_none());
    let inside = inside.text().await.unwrap();
    assert!(inside.contains("mette@example.dk"), "{inside}");
    join(&app, &id, "Signe Synlig").await;
    let inside = admin
        .get(&format!("/api/v1/admin/initiatives/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        inside.contains("Signe Synlig"),
        "the signup at once: {inside}"
    );

    // What the public reads — signed in or not — has none of it.
    for path in [LIST, page.as_str(), "/api/v1/municipalities/billund"] {
        let anonymous = app.get(path).await.text().await.unwrap();
        let signed_in = admin.get(path).await.text().await.unwrap();
        for text in [&anonymous, &signed_in] {
            for private in [
                "mette@example.dk",
                "Mette Hansen",
                "12 34 56 78",
                "Signe Synlig",
            ] {
                assert!(!text.contains(private), "{path} shows {private}");
            }
        }
        assert_eq!(anonymous, signed_in, "{path}: one public answer");
    }
}

async fn a_site_allowed_or_removed_counts_from_the_next_request(app: TestApp) {
    let site = "https://www.new-site.example";
    let from = |app: &TestApp| app.client.get(app.url(LIST)).header("Origin", site).send();
    assert_eq!(from(&app).await.unwrap().status(), StatusCode::FORBIDDEN);
    let admin = app.sign_in("admin@billund.demo").await;
    let allowed = admin
        .post("/api/v1/admin/origins", &json!({"origin": site}))
        .await;
    assert_eq!(allowed.status(), StatusCode::CREATED);
    let answer = from(&app).await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()["access-control-allow-origin"], site);
    let removed = admin
        .request(
            reqwest::Method::DELETE,
            &format!("/api/v1/admin/origins?origin={site}"),
        )
        .send()
        .await
        .unwrap();
    assert!(removed.status().is_success(), "{}", removed.status());
    assert_eq!(from(&app).await.unwrap().status(), StatusCode::FORBIDDEN);
}
