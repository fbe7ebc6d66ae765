//! Coordinators' accounts after they exist (issue 14, item 11): passwords of
//! blanks or the commonest kinds are refused; a coordinator changes their own
//! password (their other sessions end); an admin changes roles, deactivates,
//! reactivates, signs a coordinator out everywhere and removes them — never
//! the municipality's last active admin; all audited. An email is unique
//! within a municipality, so adding one says nothing about the others
//! (item 13); who has accounts in two chooses at sign-in.

use reqwest::{Method, StatusCode};
use sammen_tests::{on_both_databases, TestApp, DEMO_PASSWORD};
use serde_json::{json, Value};

on_both_databases!(
    weak_passwords_are_refused_everywhere,
    a_coordinator_changes_their_password_and_other_sessions_end,
    an_admin_manages_coordinators_but_never_removes_the_last_admin,
    an_email_used_in_another_municipality_tells_nothing,
);

async fn sign_in_status(app: &TestApp, email: &str, password: &str) -> StatusCode {
    app.client
        .post(app.url("/api/v1/admin/session"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

async fn coordinator_id(admin: &sammen_tests::Console<'_>, email: &str) -> String {
    let list: Value = admin
        .get("/api/v1/admin/coordinators")
        .await
        .json()
        .await
        .unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["email"] == email)
        .unwrap_or_else(|| panic!("{email} in {list}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn weak_passwords_are_refused_everywhere(app: TestApp) {
    let admin = app.sign_in("admin@billund.demo").await;
    for weak in [
        "            ",
        "123456789012",
        "Password1234!",
        "aaaaaaaaaaaaaaa",
    ] {
        let answer = admin
            .post(
                "/api/v1/admin/coordinators",
                &json!({"email": "ny@billund.demo", "name": "Ny Koordinator", "role": "coordinator",
                        "institutions": ["regnbuen"], "password": weak}),
            )
            .await;
        assert_eq!(
            answer.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{weak:?}"
        );
        let error: Value = answer.json().await.unwrap();
        assert_eq!(error["error"]["field_codes"]["password"], "weak_password");
    }
    let pia = app.sign_in("pia@regnbuen.demo").await;
    let answer = pia
        .request(Method::PUT, "/api/v1/admin/session/password")
        .json(&json!({"current_password": DEMO_PASSWORD, "new_password": "            "}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn a_coordinator_changes_their_password_and_other_sessions_end(app: TestApp) {
    let on_phone = app.sign_in("pia@regnbuen.demo").await;
    let at_desk = app.sign_in("pia@regnbuen.demo").await;
    let wrong = at_desk
        .request(Method::PUT, "/api/v1/admin/session/password")
        .json(
            &json!({"current_password": "not it at all", "new_password": "regnbuen-efterår-2026"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: Value = wrong.json().await.unwrap();
    assert_eq!(
        error["error"]["field_codes"]["current_password"],
        "wrong_password"
    );

    let changed = at_desk
        .request(Method::PUT, "/api/v1/admin/session/password")
        .json(&json!({"current_password": DEMO_PASSWORD, "new_password": "regnbuen-efterår-2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        at_desk.get("/api/v1/admin/session").await.status(),
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        on_phone.get("/api/v1/admin/session").await.status(),
        StatusCode::UNAUTHORIZED,
        "the other session ended"
    );
    assert_eq!(
        sign_in_status(&app, "pia@regnbuen.demo", DEMO_PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in_status(&app, "pia@regnbuen.demo", "regnbuen-efterår-2026").await,
        StatusCode::OK
    );
}

async fn an_admin_manages_coordinators_but_never_removes_the_last_admin(app: TestApp) {
    let admin = app.sign_in("admin@billund.demo").await;
    let pia_session = app.sign_in("pia@regnbuen.demo").await;
    let pia = coordinator_id(&admin, "pia@regnbuen.demo").await;
    let lars = coordinator_id(&admin, "lars@stenderup.demo").await;
    let me = coordinator_id(&admin, "admin@billund.demo").await;
    let patch = |id: &str, body: Value| {
        let request = admin
            .request(Method::PATCH, &format!("/api/v1/admin/coordinators/{id}"))
            .json(&body);
        async move { request.send().await.unwrap().status() }
    };

    // A coordinator may not; another municipality's admin finds nobody.
    let no = pia_session
        .request(Method::PATCH, &format!("/api/v1/admin/coordinators/{lars}"))
        .json(&json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(no.status(), StatusCode::FORBIDDEN);
    let nordfyns = app.sign_in("admin@nordfyns.demo").await;
    let elsewhere = nordfyns
        .request(Method::PATCH, &format!("/api/v1/admin/coordinators/{lars}"))
        .json(&json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), StatusCode::NOT_FOUND);

    // Deactivated: signed out at once, and no sign-in until reactivated.
    assert_eq!(
        patch(&pia, json!({"active": false})).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        pia_session.get("/api/v1/admin/session").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in_status(&app, "pia@regnbuen.demo", DEMO_PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    let listed: Value = admin
        .get("/api/v1/admin/coordinators")
        .await
        .json()
        .await
        .unwrap();
    let listed_pia = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == pia.as_str())
        .unwrap();
    assert_eq!(listed_pia["active"], false);
    assert_eq!(
        patch(&pia, json!({"active": true})).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        sign_in_status(&app, "pia@regnbuen.demo", DEMO_PASSWORD).await,
        StatusCode::OK
    );

    // The last active admin stays one.
    assert_eq!(
        patch(&me, json!({"role": "coordinator"})).await,
        StatusCode::CONFLICT
    );
    assert_eq!(
        patch(&me, json!({"active": false})).await,
        StatusCode::CONFLICT
    );
    let last = admin
        .request(Method::DELETE, &format!("/api/v1/admin/coordinators/{me}"))
        .send()
        .await
        .unwrap();
    assert_eq!(last.status(), StatusCode::CONFLICT);
    // With Lars made admin, the first admin may step down.
    assert_eq!(
        patch(&lars, json!({"role": "admin"})).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        patch(&me, json!({"role": "coordinator"})).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        admin.get("/api/v1/admin/audit").await.status(),
        StatusCode::FORBIDDEN,
        "no longer an admin, at once"
    );

    // Lars, now admin, signs Pia out everywhere and removes her.
    let lars_admin = app.sign_in("lars@stenderup.demo").await;
    let pia_again = app.sign_in("pia@regnbuen.demo").await;
    let ended = lars_admin
        .request(
            Method::DELETE,
            &format!("/api/v1/admin/coordinators/{pia}/sessions"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        pia_again.get("/api/v1/admin/session").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let removed = lars_admin
        .request(Method::DELETE, &format!("/api/v1/admin/coordinators/{pia}"))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        sign_in_status(&app, "pia@regnbuen.demo", DEMO_PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    let audit: Value = lars_admin
        .get("/api/v1/admin/audit?per_page=200")
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for action in [
        "deactivate_coordinator",
        "reactivate_coordinator",
        "change_coordinator",
        "end_sessions",
        "remove_coordinator",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

async fn an_email_used_in_another_municipality_tells_nothing(app: TestApp) {
    let nordfyns = app.sign_in("admin@nordfyns.demo").await;
    let other_password = "Snerydning-Otterup-2026";
    let add = |email: &'static str, password: &'static str| {
        json!({"email": email, "name": "Pia i Nordfyns", "role": "coordinator",
               "institutions": [], "password": password})
    };
    // Billund has pia@regnbuen.demo; Nordfyns' admin is told nothing of it:
    // the answer is the one a fresh address gets.
    let answer = nordfyns
        .post(
            "/api/v1/admin/coordinators",
            &add("pia@regnbuen.demo", other_password),
        )
        .await;
    assert_eq!(answer.status(), StatusCode::CREATED);
    let fresh = nordfyns
        .post(
            "/api/v1/admin/coordinators",
            &add("ny@nordfyns.demo", other_password),
        )
        .await;
    assert_eq!(fresh.status(), StatusCode::CREATED);
    // Within the municipality an address is still taken.
    let again = nordfyns
        .post(
            "/api/v1/admin/coordinators",
            &add("PIA@regnbuen.demo", other_password),
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: Value = again.json().await.unwrap();
    assert_eq!(error["error"]["field_codes"]["email"], "taken");

    // Each password opens its own municipality.
    let session = |password: &str, municipality: Option<&str>| {
        let mut body = json!({"email": "pia@regnbuen.demo", "password": password});
        if let Some(m) = municipality {
            body["municipality"] = json!(m);
        }
        app.client
            .post(app.url("/api/v1/admin/session"))
            .json(&body)
            .send()
    };
    let billund: Value = session(DEMO_PASSWORD, None)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(billund["coordinator"]["municipality"], "billund");
    let nordfyns_pia: Value = session(other_password, None)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(nordfyns_pia["coordinator"]["municipality"], "nordfyns");

    // The same password in both: the person proved it for both, so the
    // answer may name them; she chooses, and a choice she has no account in
    // is a wrong email or password.
    let pia_id = coordinator_id(&nordfyns, "pia@regnbuen.demo").await;
    nordfyns
        .request(
            Method::DELETE,
            &format!("/api/v1/admin/coordinators/{pia_id}"),
        )
        .send()
        .await
        .unwrap();
    let answer = nordfyns
        .post(
            "/api/v1/admin/coordinators",
            &add("pia@regnbuen.demo", DEMO_PASSWORD),
        )
        .await;
    assert_eq!(answer.status(), StatusCode::CREATED);
    let both = session(DEMO_PASSWORD, None).await.unwrap();
    assert_eq!(both.status(), StatusCode::CONFLICT);
    let error: Value = both.json().await.unwrap();
    assert_eq!(error["error"]["code"], "choose_municipality");
    let slugs: Vec<&str> = error["error"]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["billund", "nordfyns"]);
    assert!(error["error"]["choices"][0]["name"]
        .as_str()
        .unwrap()
        .contains("Billund"));
    let chosen: Value = session(DEMO_PASSWORD, Some("nordfyns"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(chosen["coordinator"]["municipality"], "nordfyns");
    let elsewhere = session(DEMO_PASSWORD, Some("odense")).await.unwrap();
    assert_eq!(elsewhere.status(), StatusCode::UNAUTHORIZED);
}
