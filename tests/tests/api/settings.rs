//! What a municipality admin manages, and what a coordinator may not.

use reqwest::{Method, StatusCode};
use sammen_tests::{on_both_databases, TestApp};
use serde_json::{json, Value};

on_both_databases!(
    only_an_admin_manages_the_municipality,
    an_admin_adds_an_institution_a_coordinator_and_a_site,
    coordinators_read_the_offers_they_may_see,
    an_admin_gives_a_place_its_point_and_what_is_tied_to_it_has_a_place,
);

async fn only_an_admin_manages_the_municipality(app: TestApp) {
    let pia = app.sign_in("pia@regnbuen.demo").await;
    let refused = [
        (Method::GET, "/api/v1/admin/coordinators", None),
        (
            Method::POST,
            "/api/v1/admin/coordinators",
            Some(json!({"email": "x@y.dk", "name": "X", "password": "a long enough password"})),
        ),
        (
            Method::POST,
            "/api/v1/admin/institutions",
            Some(json!({"slug": "solsikken", "name": "Solsikken"})),
        ),
        (
            Method::POST,
            "/api/v1/admin/categories",
            Some(json!({"slug": "knitting", "name_da": "Strik", "name_en": "Knitting"})),
        ),
        (Method::GET, "/api/v1/admin/origins", None),
        (
            Method::POST,
            "/api/v1/admin/origins",
            Some(json!({"origin": "https://evil.example"})),
        ),
        (
            Method::DELETE,
            "/api/v1/admin/origins?origin=https://www.billund.dk",
            None,
        ),
        (Method::GET, "/api/v1/admin/audit", None),
        (
            Method::PUT,
            "/api/v1/admin/institutions/regnbuen/point",
            Some(json!({"lat": 55.0, "lon": 9.0})),
        ),
    ];
    for (method, path, body) in refused {
        let mut request = pia.request(method.clone(), path);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{method} {path}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["code"], "forbidden", "{method} {path}");
    }
    let origins = app
        .count(
            "SELECT COUNT(*) FROM allowed_origins WHERE origin = 'https://evil.example'",
            vec![],
        )
        .await;
    assert_eq!(origins, 0);
}

async fn an_admin_adds_an_institution_a_coordinator_and_a_site(app: TestApp) {
    let admin = app.sign_in("admin@billund.demo").await;
    let created = admin
        .post(
            "/api/v1/admin/institutions",
            &json!({"slug": "solsikken", "name": "Børnehaven Solsikken", "kind": "preschool"}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let again = admin
        .post(
            "/api/v1/admin/institutions",
            &json!({"slug": "solsikken", "name": "Igen"}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: Value = again.json().await.unwrap();
    assert_eq!(error["error"]["field_codes"]["slug"], "taken");
    let bad = admin
        .post(
            "/api/v1/admin/institutions",
            &json!({"slug": "Sol Sikken", "name": "X"}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let public = app.get_json("/api/v1/municipalities/billund").await;
    assert!(public["institutions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["slug"] == "solsikken"));

    // A proposal is checked against the municipality kept per public
    // version: the category an admin adds is taken from the next one on.
    let knitting = json!({
        "title": "Strikkeklub i biblioteket",
        "summary": "Vi strikker sammen hver tirsdag.",
        "category": "knitting",
        "place": {"name": "Biblioteket"},
        "contact": {"name": "Ulla", "phone": "+45 20 20 20 20"}
    });
    let unknown = app
        .post_json("/api/v1/municipalities/billund/initiatives", &knitting)
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let category = admin
        .post(
            "/api/v1/admin/categories",
            &json!({"slug": "knitting", "name_da": "Strikkeklub", "name_en": "Knitting club"}),
        )
        .await;
    assert_eq!(category.status(), StatusCode::CREATED);
    let proposed = app
        .post_json("/api/v1/municipalities/billund/initiatives", &knitting)
        .await;
    assert_eq!(proposed.status(), StatusCode::CREATED);
    let public = app.get_json("/api/v1/municipalities/billund").await;
    assert_eq!(
        public["categories"].as_array().unwrap().last().unwrap()["slug"],
        "knitting"
    );

    let weak = admin
        .post("/api/v1/admin/coordinators", &json!({"email": "sol@solsikken.demo", "name": "Sol", "institutions": ["solsikken"], "password": "kort"}))
        .await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let coordinator = admin
        .post(
            "/api/v1/admin/coordinators",
            &json!({"email": "sol@solsikken.demo", "name": "Sol", "institutions": ["solsikken"], "password": "a long enough password"}),
        )
        .await;
    assert_eq!(coordinator.status(), StatusCode::CREATED);
    let taken = admin
        .post("/api/v1/admin/coordinators", &json!({"email": "SOL@solsikken.demo", "name": "Sol 2", "password": "a long enough password"}))
        .await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let signed_in = app
        .client
        .post(app.url("/api/v1/admin/session"))
        .json(&json!({"email": "sol@solsikken.demo", "password": "a long enough password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::OK);
    let session: Value = signed_in.json().await.unwrap();
    assert_eq!(session["coordinator"]["institutions"], json!(["solsikken"]));
    let list: Value = admin
        .get("/api/v1/admin/coordinators")
        .await
        .json()
        .await
        .unwrap();
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["email"] == "sol@solsikken.demo"));

    let site = "https://solsikken.billund.dk";
    let before = app
        .client
        .request(
            Method::OPTIONS,
            app.url("/api/v1/municipalities/billund/initiatives"),
        )
        .header("Origin", site)
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(before.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        admin
            .post(
                "/api/v1/admin/origins",
                &json!({"origin": "https://Solsikken.billund.dk/"})
            )
            .await
            .status(),
        StatusCode::CREATED
    );
    let after = app
        .client
        .request(
            Method::OPTIONS,
            app.url("/api/v1/municipalities/billund/initiatives"),
        )
        .header("Origin", site)
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), StatusCode::NO_CONTENT);
    let removed = admin
        .request(
            Method::DELETE,
            &format!("/api/v1/admin/origins?origin={site}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);

    let audit: Value = admin.get("/api/v1/admin/audit").await.json().await.unwrap();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for expected in [
        "create_institution",
        "create_category",
        "create_coordinator",
        "allow_origin",
        "disallow_origin",
    ] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
}

async fn coordinators_read_the_offers_they_may_see(app: TestApp) {
    let offer = |name: &str, institution: Option<&str>| {
        json!({"contact": {"name": name, "email": format!("{}@example.dk", name.to_lowercase())},
               "skills": ["madlavning"], "area": {"name": "Billund"}, "institution": institution})
    };
    for (name, institution) in [
        ("Alle", None),
        ("Regnbue", Some("regnbuen")),
        ("Stenderup", Some("stenderup-skole")),
    ] {
        let response = app
            .post_json(
                "/api/v1/municipalities/billund/offers",
                &offer(name, institution),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let names = |offers: Value| -> Vec<String> {
        let mut names: Vec<String> = offers
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["contact"]["name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    let pia = app.sign_in("pia@regnbuen.demo").await;
    assert_eq!(
        names(pia.get("/api/v1/admin/offers").await.json().await.unwrap()),
        vec!["Alle", "Regnbue"]
    );
    let admin = app.sign_in("admin@billund.demo").await;
    assert_eq!(
        names(
            admin
                .get("/api/v1/admin/offers")
                .await
                .json()
                .await
                .unwrap()
        ),
        vec!["Alle", "Regnbue", "Stenderup"]
    );
    let nordfyns = app.sign_in("admin@nordfyns.demo").await;
    let seen = names(
        nordfyns
            .get("/api/v1/admin/offers")
            .await
            .json()
            .await
            .unwrap(),
    );
    assert!(
        !seen
            .iter()
            .any(|n| ["Alle", "Regnbue", "Stenderup"].contains(&n.as_str())),
        "no Billund offers in Nordfyns: {seen:?}"
    );
}

async fn an_admin_gives_a_place_its_point_and_what_is_tied_to_it_has_a_place(app: TestApp) {
    let admin = app.sign_in("admin@skanderborg.demo").await;
    let response = admin
        .post(
            "/api/v1/admin/institutions",
            &json!({"slug": "morud-hallen", "name": "Hallen i Morud", "kind": "club"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let point = "/api/v1/admin/institutions/morud-hallen/point";
    // Half a point, out of range, an unknown place.
    for (path, body, status) in [
        (
            point,
            json!({"lat": 56.06}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            point,
            json!({"lat": 96.0, "lon": 9.99}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/admin/institutions/nowhere/point",
            json!({"lat": 56.0, "lon": 9.9}),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let response = admin
            .request(Method::PUT, path)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{path} {body}");
    }
    // Tied to it before it has a point: no point. (A write checks its form
    // against the municipality kept in memory; setting the point below
    // must reach the next one.)
    let offer = |name: &str| {
        json!({"contact": {"name": name, "phone": "+45 40 40 40 40"},
               "skills": ["bordtennis"], "institution": "morud-hallen",
               "area": {"name": "Morud", "radius_km": 2}})
    };
    let response = app
        .post_json("/api/v1/municipalities/skanderborg/offers", &offer("Ib"))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = admin
        .request(Method::PUT, point)
        .json(&json!({"lat": 56.0612, "lon": 9.9885}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let places: Value = admin
        .get("/api/v1/admin/institutions")
        .await
        .json()
        .await
        .unwrap();
    let morud = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "morud-hallen")
        .unwrap()
        .clone();
    assert_eq!(morud["point"], json!({"lat": 56.0612, "lon": 9.9885}));
    assert!(
        places
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["slug"] == "stilling-skole" && p["point"].is_object()),
        "the demo places have points: {places}"
    );

    // A proposal tied to it without a point of its own lands there, and so
    // "near me" finds it once published.
    let response = app
        .post_json(
            "/api/v1/municipalities/skanderborg/initiatives",
            &json!({
                "title": "Bordtennis i hallen",
                "summary": "Vi spiller bordtennis hver onsdag.",
                "category": "walking_group",
                "institution": "morud-hallen",
                "place": {"name": "Hallen"},
                "contact": {"name": "Per", "email": "per@example.dk"}
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let id = created["id"].as_str().unwrap();
    app.publish(id).await;
    let near = app
        .get_json(
            "/api/v1/municipalities/skanderborg/initiatives?lat=56.0612&lon=9.9885&radius_km=1",
        )
        .await;
    let found = near["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("near me finds it: {near}"))
        .clone();
    assert_eq!(
        found["place"]["point"],
        json!({"lat": 56.0612, "lon": 9.9885})
    );

    // An offer tied to it likewise.
    let response = app
        .post_json("/api/v1/municipalities/skanderborg/offers", &offer("Lis"))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let placed = |name: &'static str| {
        let app = &app;
        async move {
            app.count(
                "SELECT COUNT(*) FROM offers WHERE contact_name = $1 AND lat IS NOT NULL",
                vec![name.into()],
            )
            .await
        }
    };
    assert_eq!(placed("Ib").await, 0, "no point when Ib offered");
    assert_eq!(placed("Lis").await, 1, "the point set since");

    // Removed again: both null.
    let response = admin
        .request(Method::PUT, point)
        .json(&json!({"lat": null, "lon": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let place: Value = response.json().await.unwrap();
    assert_eq!(place["point"], Value::Null);
    let response = app
        .post_json("/api/v1/municipalities/skanderborg/offers", &offer("Bo"))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(placed("Bo").await, 0, "no point once it is removed");
}
