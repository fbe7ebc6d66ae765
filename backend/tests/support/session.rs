//! Signs a demo coordinator in over HTTP, as the console does: the session
//! cookie and its CSRF token. Shared by the process tests and the meeting
//! benchmark (`#[path]`: they are separate binaries).

use serde_json::{json, Value};

pub async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    email: &str,
    password: &str,
) -> (String, String) {
    let signed = client
        .post(format!("{base}/api/v1/admin/session"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), reqwest::StatusCode::OK, "{email} signs in");
    let cookie = signed.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let session: Value = signed.json().await.unwrap();
    (cookie, session["csrf_token"].as_str().unwrap().to_string())
}
