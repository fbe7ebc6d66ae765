//! Person data never appears in a public response.

use sammen_tests::{good_proposal, on_both_databases, TestApp};
use serde_json::json;

on_both_databases!(public_responses_never_contain_contact_details);

async fn public_responses_never_contain_contact_details(app: TestApp) {
    let mut proposal = good_proposal();
    proposal["contact"] = json!({"name": "Hemmelig Navnesen", "email": "hemmelig@example.dk", "phone": "+45 99 88 77 66"});
    let created = app.propose(&proposal).await;
    let id = created["id"].as_str().unwrap();
    app.publish(id).await;
    let path = format!("/api/v1/municipalities/billund/initiatives/{id}/signups");
    let family = json!({
        "contact": {"name": "Deltager Privatsen", "email": "deltager@example.dk", "phone": "11223344"},
        "family": {"child_age_band": "3-5", "area": "Billund", "lat": 55.73, "lon": 9.11}
    });
    assert_eq!(app.post_json(&path, &family).await.status(), 201);

    let secrets = [
        "Hemmelig Navnesen",
        "hemmelig@example.dk",
        "99 88 77 66",
        "Deltager Privatsen",
        "deltager@example.dk",
        "11223344",
        "Demo Forslagsstiller",
        "forslag@example.dk",
        "follow_token",
    ];
    for public in [
        format!("/api/v1/municipalities/billund/initiatives/{id}"),
        "/api/v1/municipalities/billund/initiatives?per_page=100".to_string(),
        "/api/v1/municipalities/billund/initiatives?lat=55.73&lon=9.11&radius_km=50".to_string(),
        "/api/v1/municipalities/billund".to_string(),
    ] {
        let text = app.get(&public).await.text().await.unwrap();
        assert!(text.contains("Legegrupper"), "{public} answered: {text}");
        for secret in secrets {
            assert!(!text.contains(secret), "{public} leaks '{secret}'");
        }
    }
}
