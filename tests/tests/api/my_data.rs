//! A citizen's private link — a proposal's follow token, a signup's or an
//! offer's private token — downloads all their data and deletes it; the link
//! can be replaced or closed. A municipality admin does the same on request.

use reqwest::{Method, StatusCode};
use sammen_tests::{args, good_proposal, on_both_databases, TestApp};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::trust::{good_offer, published_initiative, signups_path, OFFERS};

on_both_databases!(
    a_family_downloads_and_deletes_its_signup_from_the_private_link,
    a_volunteer_deletes_an_offer_and_the_link_stops_working,
    a_proposer_deletes_a_published_initiative_which_stays_public_without_contact,
    a_proposal_never_published_leaves_only_a_tombstone,
    the_link_holder_replaces_or_closes_the_link,
    an_admin_exports_and_deletes_on_request_and_it_is_audited,
    the_widget_on_an_allowed_site_may_delete_through_the_private_link,
    one_person_is_one_email_also_beyond_ascii,
    emails_stored_before_normalising_are_fixed_once,
    erased_data_leaves_the_mail_files_too,
    a_private_link_in_mail_is_kept_only_until_it_is_sent,
    a_contact_left_at_an_open_meeting_is_exported_and_erased_by_email,
);

/// The `.eml` files of the file transport, by name.
fn mail_files(app: &TestApp) -> Vec<String> {
    std::fs::read_dir(app.outbox_dir())
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".eml"))
                .collect()
        })
        .unwrap_or_default()
}

async fn until(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..100 {
        if check() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Issue 14, item 3: a citizen erases their data; the mail about it
/// (name, address, title, the coordinator's words) leaves the disk too.
async fn erased_data_leaves_the_mail_files_too(app: TestApp) {
    let created = app.propose(&good_proposal()).await;
    let (id, token) = (
        created["id"].as_str().unwrap(),
        created["follow_token"].as_str().unwrap(),
    );
    let admin = app.sign_in("admin@billund.demo").await;
    let asked = admin
        .post(
            &format!("/api/v1/admin/initiatives/{id}/decisions"),
            &json!({"action": "request_changes", "version": 1, "message": "Hvornår mødes I, Mette?"}),
        )
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    // Her confirmation and the coordinator's question.
    until("the emails as files", || mail_files(&app).len() == 2).await;
    let files: Vec<_> = mail_files(&app)
        .iter()
        .map(|name| app.outbox_dir().join(name))
        .collect();
    for file in &files {
        assert!(std::fs::read_to_string(file)
            .unwrap()
            .contains("mette@example.dk"));
    }

    let erased = with_token(&app, Method::DELETE, "/api/v1/privacy/data", token).await;
    assert_eq!(erased.status(), StatusCode::OK);
    until("the files to go with the data", || {
        files.iter().all(|file| !file.exists())
    })
    .await;
}

/// Issue 14, item 3: a hand-over mail's private group link is not kept in
/// the table once sent, and its file goes after a day.
async fn a_private_link_in_mail_is_kept_only_until_it_is_sent(app: TestApp) {
    let id = Uuid::new_v4();
    {
        let mut conn = app.db.acquire().await.unwrap();
        let now = chrono::Utc::now();
        sammen_backend::db::execute(
            &mut conn,
            "INSERT INTO outbox (id, municipality, recipient, subject, body, kind, subject_id, \
             created_at, attempts, next_attempt_at) VALUES ($1, 'billund', 'familie@example.dk', \
             'Jeres gruppe', 'Jeres side: https://sammen.example/group#sammen-group=hemmelig', \
             'group_link', NULL, $2, 0, $2)",
            args![id, now],
        )
        .await
        .unwrap();
    }
    let file = app.outbox_dir().join(format!("{id}.eml"));
    until("the mail to go out", || file.exists()).await;
    let kept = "SELECT COUNT(*) FROM outbox WHERE body LIKE '%hemmelig%'";
    for _ in 0..50 {
        if app.count(kept, vec![]).await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.count(kept, vec![]).await, 0, "the link left the table");
    assert!(
        std::fs::read_to_string(&file).unwrap().contains("hemmelig"),
        "the mail itself has it"
    );
    let tomorrow = chrono::Utc::now() + chrono::Duration::hours(25);
    let removed = sammen_backend::outbox::forget_files(&app.db, &app.outbox_dir(), tomorrow)
        .await
        .unwrap();
    assert_eq!(removed, 1);
    assert!(!file.exists());
}

/// Issue 14, item 4: SQLite's LOWER() folds ASCII only; `SØREN` and
/// `søren` must be one person for export and erasure on both databases.
async fn one_person_is_one_email_also_beyond_ascii(app: TestApp) {
    let initiative = published_initiative(&app).await;
    let mut proposal = good_proposal();
    proposal["contact"]["email"] = json!("SØREN@example.dk");
    app.propose(&proposal).await;
    let signup = app
        .post_json(
            &signups_path(&initiative),
            &json!({"contact": {"name": "Søren", "email": "Søren@Example.dk"}}),
        )
        .await;
    assert_eq!(signup.status(), StatusCode::CREATED);
    let offer = app
        .post_json(
            "/api/v1/municipalities/billund/offers",
            &good_offer("søren@EXAMPLE.DK"),
        )
        .await;
    assert_eq!(offer.status(), StatusCode::CREATED);

    let admin = app.sign_in("admin@billund.demo").await;
    let found: Value = admin
        .get("/api/v1/admin/privacy?email=S%C3%98REN@EXAMPLE.DK")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["records"].as_array().unwrap().len(), 3, "{found}");
    let erased: Value = admin
        .request(
            Method::DELETE,
            "/api/v1/admin/privacy?email=s%C3%B8ren@example.dk",
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(erased["records"].as_array().unwrap().len(), 3, "{erased}");
    for table in ["initiatives", "signups", "offers"] {
        let left = app
            .count(
                &format!("SELECT COUNT(*) FROM {table} WHERE contact_email LIKE '%example.dk'"),
                vec![],
            )
            .await;
        let left_søren = app
            .count(
                &format!(
                    "SELECT COUNT(*) FROM {table} WHERE contact_email IN ('søren@example.dk', 'SØREN@example.dk', 'Søren@Example.dk')"
                ),
                vec![],
            )
            .await;
        assert_eq!(
            left_søren, 0,
            "{table} keeps no Søren ({left} other addresses)"
        );
    }
}

/// Rows written before emails were normalised are made lowercase once, at
/// the next start, so the admin finds them too.
async fn emails_stored_before_normalising_are_fixed_once(app: TestApp) {
    let mut proposal = good_proposal();
    proposal["contact"]["email"] = json!("soren@example.dk");
    let created = app.propose(&proposal).await;
    let id = Uuid::parse_str(created["id"].as_str().unwrap()).unwrap();
    {
        let mut conn = app.db.acquire().await.unwrap();
        // As an older version stored it, and as if the fix had not run yet.
        sammen_backend::db::execute(
            &mut conn,
            "UPDATE initiatives SET contact_email = 'SØREN@Example.dk' WHERE id = $1",
            args![id],
        )
        .await
        .unwrap();
        sammen_backend::db::execute(&mut conn, "DELETE FROM data_fixes", vec![])
            .await
            .unwrap();
    }
    let fixed = sammen_backend::privacy::normalise_stored_emails(&app.db)
        .await
        .unwrap();
    assert!(fixed >= 1, "{fixed}");
    assert_eq!(
        sammen_backend::privacy::normalise_stored_emails(&app.db)
            .await
            .unwrap(),
        0,
        "once"
    );
    let admin = app.sign_in("admin@billund.demo").await;
    let found: Value = admin
        .get("/api/v1/admin/privacy?email=s%C3%B8ren@example.dk")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["records"].as_array().unwrap().len(), 1, "{found}");
}

/// A contact left with an idea at a meeting still running is the citizen's
/// data too: an admin asked by email finds it, and erasing takes it while
/// the idea stays on the board.
async fn a_contact_left_at_an_open_meeting_is_exported_and_erased_by_email(app: TestApp) {
    let pia = app.sign_in("pia@regnbuen.demo").await;
    let opened = pia
        .post(
            "/api/v1/admin/meetings",
            &json!({"title": "Forældremøde på Regnbuen", "institution": "regnbuen"}),
        )
        .await;
    assert_eq!(opened.status(), StatusCode::CREATED);
    let meeting: Value = opened.json().await.unwrap();
    let code = meeting["code"].as_str().unwrap();
    let joined = app
        .post_json(&format!("/api/v1/meetings/{code}/participants"), &json!({}))
        .await;
    assert_eq!(joined.status(), StatusCode::CREATED);
    let joined: Value = joined.json().await.unwrap();
    let seat = joined["participant_token"].as_str().unwrap();
    let contact =
        json!({"name": "Layla Haddad", "email": "LAYLA@Example.dk", "phone": "+45 20 30 40 50"});
    let proposed = app
        .client
        .post(app.url(&format!("/api/v1/meetings/{code}/proposals")))
        .bearer_auth(seat)
        .header("idempotency-key", Uuid::new_v4().to_string())
        .header("accept-language", "en")
        .json(&json!({"title": "Legeaftaler for nye familier", "contact": contact}))
        .send()
        .await
        .unwrap();
    assert_eq!(proposed.status(), StatusCode::CREATED);
    let board: Value = proposed.json().await.unwrap();
    let idea = board["proposals"][0]["id"].as_str().unwrap().to_string();

    // Another municipality's admin finds nothing.
    let nordfyns = app.sign_in("admin@nordfyns.demo").await;
    let found: Value = nordfyns
        .get("/api/v1/admin/privacy?email=layla@example.dk")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["records"], json!([]));

    let admin = app.sign_in("admin@billund.demo").await;
    let found: Value = admin
        .get("/api/v1/admin/privacy?email=Layla@example.DK")
        .await
        .json()
        .await
        .unwrap();
    let records = found["records"].as_array().unwrap();
    assert_eq!(records.len(), 1, "{found}");
    assert_eq!(records[0]["kind"], "meeting_proposal");
    assert_eq!(records[0]["id"], idea.as_str());
    assert!(records[0]["consent_version"].is_string(), "{found}");
    let held = &records[0]["meeting_proposal"];
    assert_eq!(held["meeting_title"], "Forældremøde på Regnbuen");
    assert_eq!(held["title"], "Legeaftaler for nye familier");
    assert_eq!(
        held["contact"],
        json!({"name": "Layla Haddad", "email": "layla@example.dk", "phone": "+45 20 30 40 50"})
    );
    assert_eq!(held["lang"], "en");
    let one = admin
        .get(&format!("/api/v1/admin/privacy/meeting_proposal/{idea}"))
        .await;
    assert_eq!(one.status(), StatusCode::OK);

    let erased: Value = admin
        .request(
            Method::DELETE,
            "/api/v1/admin/privacy?email=layla@example.dk",
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        erased["records"],
        json!([{"kind": "meeting_proposal", "id": idea}])
    );
    let left = app
        .count(
            "SELECT COUNT(*) FROM meeting_proposals WHERE contact_name IS NOT NULL \
             OR contact_email IS NOT NULL OR contact_phone IS NOT NULL",
            vec![],
        )
        .await;
    assert_eq!(left, 0, "the contact is gone");
    // The idea stays on the board, which never named its proposer.
    let board = app.get_json(&format!("/api/v1/meetings/{code}")).await;
    assert_eq!(
        board["proposals"][0]["title"],
        "Legeaftaler for nye familier"
    );
    let again: Value = admin
        .get("/api/v1/admin/privacy?email=layla@example.dk")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["records"], json!([]));
    let one = admin
        .get(&format!("/api/v1/admin/privacy/meeting_proposal/{idea}"))
        .await;
    assert_eq!(one.status(), StatusCode::NOT_FOUND);
}

async fn with_token(app: &TestApp, method: Method, path: &str, token: &str) -> reqwest::Response {
    app.client
        .request(method, app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("answered")
}

async fn export(app: &TestApp, token: &str) -> Value {
    let response = with_token(app, Method::GET, "/api/v1/privacy/export", token).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn a_family_downloads_and_deletes_its_signup_from_the_private_link(app: TestApp) {
    let created = app.propose(&good_proposal()).await;
    let initiative = created["id"].as_str().unwrap();
    app.publish(initiative).await;
    let family = json!({
        "contact": {"name": "Amal Haddad", "email": "amal@example.dk", "phone": "+45 55 66 77 88"},
        "message": "Vi bor på Hovedgaden 3.",
        "family": {"child_age_band": "3-5", "area": "Billund øst", "lat": 55.731, "lon": 9.12,
                   "languages": ["ar", "da"], "new_in_area": true}
    });
    let response = app.post_json(&signups_path(initiative), &family).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let signup: Value = response.json().await.unwrap();
    let token = signup["private_token"].as_str().unwrap();
    assert_eq!(token.len(), 76, "its time and 256 bits, hex");
    let stored_plain = app
        .count(
            "SELECT COUNT(*) FROM signups WHERE private_token_hash = $1",
            args![token],
        )
        .await;
    assert_eq!(stored_plain, 0, "only the hash is stored");

    let data = export(&app, token).await;
    let record = &data["records"][0];
    assert_eq!(record["kind"], "signup");
    assert_eq!(record["id"], signup["id"]);
    assert_eq!(record["signup"]["initiative_id"], initiative);
    assert_eq!(
        record["signup"]["signup"]["contact"]["email"],
        "amal@example.dk"
    );
    assert_eq!(
        record["signup"]["signup"]["family"]["child_age_band"],
        "3-5"
    );
    assert_eq!(
        record["signup"]["signup"]["message"],
        "Vi bor på Hovedgaden 3."
    );
    assert!(record["consent_version"].is_string());
    let joined_before = app
        .get_json(&format!(
            "/api/v1/municipalities/billund/initiatives/{initiative}"
        ))
        .await["joined"]
        .clone();

    let response = with_token(&app, Method::DELETE, "/api/v1/privacy/data", token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let erased: Value = response.json().await.unwrap();
    assert_eq!(
        erased["records"],
        json!([{"kind": "signup", "id": signup["id"]}])
    );

    // The personal part is gone, the count stays, the link is dead.
    let left = app
        .count(
            "SELECT COUNT(*) FROM signups WHERE initiative_id = $1 AND contact_name IS NULL \
             AND contact_email IS NULL AND contact_phone IS NULL AND message IS NULL \
             AND family IS NULL AND erased_at IS NOT NULL",
            args![Uuid::parse_str(initiative).unwrap()],
        )
        .await;
    assert_eq!(left, 1);
    let anywhere = app
        .count(
            "SELECT COUNT(*) FROM signups WHERE contact_email = 'amal@example.dk' OR message LIKE '%Hovedgaden%'",
            vec![],
        )
        .await;
    assert_eq!(anywhere, 0);
    let joined_after = app
        .get_json(&format!(
            "/api/v1/municipalities/billund/initiatives/{initiative}"
        ))
        .await["joined"]
        .clone();
    assert_eq!(joined_after, joined_before);
    for (method, path) in [
        (Method::GET, "/api/v1/privacy/export"),
        (Method::DELETE, "/api/v1/privacy/data"),
        (Method::POST, "/api/v1/privacy/link"),
    ] {
        let response = with_token(&app, method, path, token).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let unsigned = app.get("/api/v1/privacy/export").await;
    assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
    let body: Value = unsigned.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
}

async fn a_volunteer_deletes_an_offer_and_the_link_stops_working(app: TestApp) {
    let response = app.post_json(OFFERS, &good_offer("jens@example.dk")).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let offer: Value = response.json().await.unwrap();
    let token = offer["private_token"].as_str().unwrap();
    let data = export(&app, token).await;
    let record = &data["records"][0];
    assert_eq!(record["kind"], "offer");
    assert_eq!(record["municipality"], "nordfyns");
    assert_eq!(record["offer"]["contact"]["phone"], "+45 22 33 44 55");
    assert_eq!(record["offer"]["tools"], json!(["Sneskovl"]));

    // A retry of the deletion with its key gets the first answer.
    let key = Uuid::new_v4().to_string();
    let mut answers = Vec::new();
    for _ in 0..2 {
        let response = app
            .client
            .delete(app.url("/api/v1/privacy/data"))
            .bearer_auth(token)
            .header("Idempotency-Key", &key)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        answers.push(response.json::<Value>().await.unwrap());
    }
    assert_eq!(answers[0], answers[1]);
    let personal = app
        .count(
            "SELECT COUNT(*) FROM offers WHERE contact_email IS NOT NULL OR note IS NOT NULL \
             OR area_name <> '' OR lat IS NOT NULL OR private_token_hash IS NOT NULL",
            vec![],
        )
        .await;
    let total_before_demo = app
        .count(
            "SELECT COUNT(*) FROM offers WHERE erased_at IS NULL",
            vec![],
        )
        .await;
    assert_eq!(
        personal, total_before_demo,
        "only the demo offers keep data"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM offers WHERE erased_at IS NOT NULL",
            vec![]
        )
        .await,
        1
    );
    let response = with_token(&app, Method::GET, "/api/v1/privacy/export", token).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Coordinators no longer see it among the volunteers.
    let admin = app.sign_in("admin@nordfyns.demo").await;
    let offers: Value = admin
        .get("/api/v1/admin/offers")
        .await
        .json()
        .await
        .unwrap();
    assert!(!offers.to_string().contains("jens@example.dk"));
    assert!(offers
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["id"] != offer["id"]));
}

async fn a_proposer_deletes_a_published_initiative_which_stays_public_without_contact(
    app: TestApp,
) {
    let created = app.propose(&good_proposal()).await;
    let (id, token) = (
        created["id"].as_str().unwrap(),
        created["follow_token"].as_str().unwrap(),
    );
    // Published by a coordinator, so the proposer gets an email about it.
    let admin = app.sign_in("admin@billund.demo").await;
    let published = admin
        .post(
            &format!("/api/v1/admin/initiatives/{id}/decisions"),
            &json!({"action": "publish", "version": 1}),
        )
        .await;
    assert_eq!(published.status(), StatusCode::OK);
    let joined = app
        .post_json(
            &signups_path(id),
            &json!({"contact": {"name": "Anden Forælder"},
            "family": {"child_age_band": "0-2", "area": "Billund"}}),
        )
        .await;
    assert_eq!(joined.status(), StatusCode::CREATED);
    let data = export(&app, token).await;
    assert_eq!(data["records"][0]["kind"], "proposal");
    assert_eq!(
        data["records"][0]["proposal"]["contact"]["email"],
        "mette@example.dk"
    );
    let mail_to_mette = "SELECT COUNT(*) FROM outbox WHERE LOWER(recipient) = 'mette@example.dk'";
    assert!(
        app.count(mail_to_mette, vec![]).await >= 1,
        "publishing wrote to the proposer"
    );

    let response = with_token(&app, Method::DELETE, "/api/v1/privacy/data", token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        app.count(mail_to_mette, vec![]).await,
        0,
        "the outbox forgets the address with the record"
    );
    let public = app
        .get_json(&format!("/api/v1/municipalities/billund/initiatives/{id}"))
        .await;
    assert_eq!(public["title"], "Legegrupper for 3-5-årige");
    let uuid = Uuid::parse_str(id).unwrap();
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM initiatives WHERE id = $1 AND contact_name IS NULL \
             AND contact_email IS NULL AND contact_phone IS NULL",
            args![uuid]
        )
        .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM messages WHERE initiative_id = $1",
            args![uuid]
        )
        .await,
        0
    );
    // Another parent's signup is theirs to delete, not the proposer's.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM signups WHERE initiative_id = $1 AND contact_name = 'Anden Forælder'",
            args![uuid]
        )
        .await,
        1
    );
    let follow = with_token(&app, Method::GET, "/api/v1/follow", token).await;
    assert_eq!(follow.status(), StatusCode::NOT_FOUND);
}

async fn a_proposal_never_published_leaves_only_a_tombstone(app: TestApp) {
    let created = app.propose(&good_proposal()).await;
    let token = created["follow_token"].as_str().unwrap();
    let admin = app.sign_in("admin@billund.demo").await;
    let queue: Value = admin
        .get("/api/v1/admin/initiatives")
        .await
        .json()
        .await
        .unwrap();
    assert!(queue.to_string().contains(created["id"].as_str().unwrap()));

    let response = with_token(&app, Method::DELETE, "/api/v1/privacy/data", token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let uuid = Uuid::parse_str(created["id"].as_str().unwrap()).unwrap();
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM initiatives WHERE id = $1 AND title = '' AND summary = '' \
             AND place_name = '' AND contact_name IS NULL AND erased_at IS NOT NULL",
            args![uuid]
        )
        .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM needs WHERE initiative_id = $1",
            args![uuid]
        )
        .await,
        0
    );
    let queue: Value = admin
        .get("/api/v1/admin/initiatives")
        .await
        .json()
        .await
        .unwrap();
    assert!(!queue.to_string().contains(created["id"].as_str().unwrap()));
}

async fn the_link_holder_replaces_or_closes_the_link(app: TestApp) {
    let response = app.post_json(OFFERS, &good_offer("skift@example.dk")).await;
    let offer: Value = response.json().await.unwrap();
    let old = offer["private_token"].as_str().unwrap().to_string();

    let key = Uuid::new_v4().to_string();
    let rotate = || {
        app.client
            .post(app.url("/api/v1/privacy/link"))
            .bearer_auth(&old)
            .header("Idempotency-Key", &key)
            .send()
    };
    let first = rotate().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let first: Value = first.json().await.unwrap();
    // The answer got lost? The same key with the old token gives it again.
    let again: Value = rotate().await.unwrap().json().await.unwrap();
    assert_eq!(first, again);
    let new = first["token"].as_str().unwrap();
    assert_ne!(new, old);
    assert_eq!(first["kind"], "offer");
    let response = with_token(&app, Method::GET, "/api/v1/privacy/export", &old).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(export(&app, new).await["records"][0]["id"], offer["id"]);

    let response = with_token(&app, Method::DELETE, "/api/v1/privacy/link", new).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = with_token(&app, Method::GET, "/api/v1/privacy/export", new).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Closing the link keeps the data (an admin can still act on request).
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM offers WHERE contact_email = 'skift@example.dk'",
            vec![]
        )
        .await,
        1
    );

    // A follow link can be closed the same way.
    let created = app.propose(&good_proposal()).await;
    let follow = created["follow_token"].as_str().unwrap();
    let response = with_token(&app, Method::DELETE, "/api/v1/privacy/link", follow).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = with_token(&app, Method::GET, "/api/v1/follow", follow).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

async fn an_admin_exports_and_deletes_on_request_and_it_is_audited(app: TestApp) {
    let mut proposal = good_proposal();
    proposal["contact"]["email"] = json!("Borger@Example.dk");
    let created = app.propose(&proposal).await;
    let initiative = published_initiative(&app).await;
    let signup = app
        .post_json(
            &signups_path(&initiative),
            &json!({"contact": {"name": "Borger", "email": "borger@example.dk"}}),
        )
        .await;
    assert_eq!(signup.status(), StatusCode::CREATED);
    let signup: Value = signup.json().await.unwrap();

    // A coordinator may not; another municipality's admin finds nothing.
    let pia = app.sign_in("pia@regnbuen.demo").await;
    let path = format!(
        "/api/v1/admin/privacy/signup/{}",
        signup["id"].as_str().unwrap()
    );
    assert_eq!(pia.get(&path).await.status(), StatusCode::FORBIDDEN);
    let nordfyns = app.sign_in("admin@nordfyns.demo").await;
    assert_eq!(nordfyns.get(&path).await.status(), StatusCode::NOT_FOUND);
    let found: Value = nordfyns
        .get("/api/v1/admin/privacy?email=borger@example.dk")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["records"], json!([]));

    let admin = app.sign_in("admin@billund.demo").await;
    let one: Value = admin.get(&path).await.json().await.unwrap();
    assert_eq!(
        one["records"][0]["signup"]["signup"]["contact"]["name"],
        "Borger"
    );
    let all: Value = admin
        .get("/api/v1/admin/privacy?email=BORGER@example.dk")
        .await
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = all["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["proposal", "signup"]);
    let bad = admin
        .get("/api/v1/admin/privacy?email=not-an-address")
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Deleting needs the CSRF token.
    let no_csrf = app
        .client
        .delete(app.url("/api/v1/admin/privacy?email=borger@example.dk"))
        .header("cookie", &admin.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(no_csrf.status(), StatusCode::FORBIDDEN);
    let erased: Value = admin
        .request(
            Method::DELETE,
            "/api/v1/admin/privacy?email=borger@example.dk",
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(erased["records"].as_array().unwrap().len(), 2);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM initiatives WHERE LOWER(contact_email) = 'borger@example.dk'",
            vec![]
        )
        .await
            + app
                .count(
                    "SELECT COUNT(*) FROM signups WHERE contact_email = 'borger@example.dk'",
                    vec![]
                )
                .await,
        0
    );
    let follow = with_token(
        &app,
        Method::GET,
        "/api/v1/follow",
        created["follow_token"].as_str().unwrap(),
    )
    .await;
    assert_eq!(follow.status(), StatusCode::NOT_FOUND);
    assert_eq!(admin.get(&path).await.status(), StatusCode::NOT_FOUND);

    let audit: Value = admin.get("/api/v1/admin/audit").await.json().await.unwrap();
    let actions: Vec<(String, String)> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["subject_type"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for expected in [
        ("export_personal_data", "signup"),
        ("export_personal_data", "proposal"),
        ("erase_personal_data", "signup"),
        ("erase_personal_data", "proposal"),
    ] {
        assert!(
            actions.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} in {actions:?}"
        );
    }
    assert!(
        !audit.to_string().contains("borger@example.dk"),
        "the log holds no personal data"
    );
}

async fn the_widget_on_an_allowed_site_may_delete_through_the_private_link(app: TestApp) {
    let origin = "https://regnbuen.billund.dk";
    let preflight = app
        .client
        .request(Method::OPTIONS, app.url("/api/v1/privacy/data"))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "DELETE")
        .header(
            "Access-Control-Request-Headers",
            "authorization, idempotency-key",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), StatusCode::NO_CONTENT);
    assert_eq!(preflight.headers()["access-control-allow-origin"], origin);
    let methods = preflight.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap();
    assert!(methods.contains("DELETE"), "{methods}");
    let refused = app
        .client
        .request(Method::OPTIONS, app.url("/api/v1/privacy/data"))
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "DELETE")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}
