//! Citizens' writes are rate-limited per address: 429 with Retry-After.

use sammen_tests::{good_proposal, Backend, TestApp};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_proposals_from_one_address_is_slowed_down() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[("SAMMEN_WRITES_PER_MINUTE_PER_ADDRESS", "6")],
    )
    .await;
    let path = "/api/v1/municipalities/billund/initiatives";
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(app.post_json(path, &good_proposal()).await);
    }
    let codes: Vec<u16> = statuses.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(&codes[..2], &[201, 201], "a burst of two is fine");
    assert_eq!(codes[2], 429, "{codes:?}");
    let limited = statuses.remove(2);
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=11).contains(&wait), "{wait}");
    let error: Value = limited.json().await.unwrap();
    assert_eq!(error["error"]["code"], "rate_limited");
    // Reading is never limited.
    for _ in 0..20 {
        assert_eq!(app.get(path).await.status(), 200);
    }
}

/// Percent-encoding the slug is the same municipality to the router, and so
/// to the limit (issue 14, item 8).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_percent_encoded_slug_does_not_escape_the_municipalitys_limit() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[("SAMMEN_WRITES_PER_MINUTE_PER_MUNICIPALITY", "6")],
    )
    .await;
    let mut codes = Vec::new();
    for slug in ["billund", "bill%75nd", "%62illund", "billun%64"] {
        let path = format!("/api/v1/municipalities/{slug}/initiatives");
        codes.push(
            app.post_json(&path, &good_proposal())
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(&codes[..2], &[201, 201], "{codes:?}");
    assert!(codes[2..].iter().all(|c| *c == 429), "{codes:?}");
}

/// The widget on a municipality's own site (another origin than the API)
/// must be able to read the 429 and its Retry-After, or it could only say
/// "no connection" where it should say "wait a moment".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widget_on_another_origin_reads_its_429() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[("SAMMEN_WRITES_PER_MINUTE_PER_ADDRESS", "6")],
    )
    .await;
    let site = "https://regnbuen.billund.dk";
    let path = "/api/v1/municipalities/billund/initiatives";
    let mut last = None;
    for _ in 0..3 {
        last = Some(
            app.client
                .post(app.url(path))
                .header("Origin", site)
                .json(&good_proposal())
                .send()
                .await
                .unwrap(),
        );
    }
    let limited = last.unwrap();
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["access-control-allow-origin"], site);
    assert!(limited.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .contains("retry-after"));
    assert!(limited.headers().contains_key("retry-after"));
    let error: Value = limited.json().await.unwrap();
    assert_eq!(error["error"]["code"], "rate_limited");
}
