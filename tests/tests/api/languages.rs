//! Beyond Danish and English: a reader who asks in Arabic or Ukrainian gets
//! field errors, refusals, consent texts and mail in their language — from
//! the server's packs (`shared/lang/`) — and later mail follows the language
//! they joined or offered help in, whoever sends it.

use reqwest::{Method, StatusCode};
use sammen_shared::{FieldError, ReaderLang};
use sammen_tests::{args, good_proposal, on_both_databases, TestApp};
use serde_json::{json, Value};
use uuid::Uuid;

on_both_databases!(
    an_arabic_reader_gets_arabic_field_errors_and_consent_texts,
    a_family_that_joins_in_arabic_gets_its_link_in_arabic,
    a_volunteer_who_offers_in_ukrainian_is_invited_in_ukrainian,
    a_proposer_reading_the_widget_in_arabic_is_answered_in_arabic,
    a_refusal_is_said_in_the_readers_language_with_its_code_unchanged,
);

/// POSTs `body` as a reader whose browser asks for `accept`.
async fn post_as(app: &TestApp, accept: &str, path: &str, body: &Value) -> (StatusCode, Value) {
    let response = app
        .client
        .post(app.url(path))
        .header("accept-language", accept)
        .json(body)
        .send()
        .await
        .expect("POST answered");
    let status = response.status();
    (status, response.json().await.expect("a JSON body"))
}

fn reader(code: &str) -> ReaderLang {
    ReaderLang::from_code(code).expect("a pack")
}

/// Whether a text is written in Arabic script (not English with a name in it).
fn arabic(text: &str) -> bool {
    text.chars()
        .filter(|c| ('\u{0600}'..='\u{06FF}').contains(c))
        .count()
        > 5
}

fn cyrillic(text: &str) -> bool {
    text.chars()
        .filter(|c| ('\u{0400}'..='\u{04FF}').contains(c))
        .count()
        > 5
}

async fn first_initiative(app: &TestApp, municipality: &str, category: &str) -> Value {
    let page = app
        .get_json(&format!(
            "/api/v1/municipalities/{municipality}/initiatives?category={category}"
        ))
        .await;
    page["items"][0].clone()
}

async fn an_arabic_reader_gets_arabic_field_errors_and_consent_texts(app: TestApp) {
    let playdates = first_initiative(&app, "billund", "playdate_group").await;
    let path = format!(
        "/api/v1/municipalities/billund/initiatives/{}/signups",
        playdates["id"].as_str().unwrap()
    );
    let bad = json!({"contact": {"name": "", "email": "ikke en adresse"}});
    // What the widget sends for a reader of its Arabic pack.
    let (status, body) = post_as(&app, "ar, en;q=0.8", &path, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = &body["error"];
    assert_eq!(error["code"], "validation_failed");
    assert_eq!(error["field_codes"]["contact.email"], "invalid_email");
    assert_eq!(error["field_codes"]["contact.name"], "required");
    let email = error["fields"]["contact.email"].as_str().unwrap();
    assert_eq!(email, FieldError::InvalidEmail.message(reader("ar")));
    assert!(arabic(email), "{email}");
    assert!(arabic(error["message"].as_str().unwrap()), "{error}");

    let (_, ukrainian) = post_as(&app, "uk-UA,uk;q=0.9", &path, &bad).await;
    let name = ukrainian["error"]["fields"]["contact.name"]
        .as_str()
        .unwrap();
    assert_eq!(name, "Це поле треба заповнити.");
    // A language the server has no texts for is answered in English, and
    // a request that names none in Danish, as before.
    let (_, french) = post_as(&app, "fr-FR, de;q=0.5", &path, &bad).await;
    assert_eq!(
        french["error"]["fields"]["contact.name"],
        "Please fill this in."
    );
    let silent = app.post_json(&path, &bad).await;
    let silent: Value = silent.json().await.unwrap();
    assert_eq!(silent["error"]["fields"]["contact.name"], "Skal udfyldes.");

    let consent: Value = app
        .client
        .get(app.url("/api/v1/municipalities/billund/consent"))
        .header("accept-language", "ar")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for form in consent.as_array().unwrap() {
        for part in ["stored", "who_sees", "how_long"] {
            let text = form[part].as_str().unwrap();
            assert!(arabic(text), "{part}: {text}");
        }
        assert!(form["how_long"].as_str().unwrap().contains("12"));
    }
}

async fn a_family_that_joins_in_arabic_gets_its_link_in_arabic(app: TestApp) {
    let playdates = first_initiative(&app, "billund", "playdate_group").await;
    let path = format!(
        "/api/v1/municipalities/billund/initiatives/{}/signups",
        playdates["id"].as_str().unwrap()
    );
    let family = json!({
        "contact": {"name": "Rania", "email": "rania@example.dk"},
        "organiser_sees": "email",
        "family": {"child_age_band": "3-5", "area": "Grindsted", "free_afternoons": ["tue"],
                   "languages": ["ar", "da"], "new_in_area": true}
    });
    let (status, created) = post_as(&app, "ar, en;q=0.8", &path, &family).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let token = created["private_token"].as_str().unwrap();
    let mail = app.mail_text("rania@example.dk", "signup_link").await;
    assert!(mail.starts_with("عزيزتي/عزيزي Rania"), "{mail}");
    assert!(
        mail.contains("اسمك وبريدك الإلكتروني"),
        "what the organiser sees: {mail}"
    );
    // The link stands on a line of its own, whole, so no right-to-left
    // reordering can take a character from it.
    let link = format!("/my-data#{token}");
    assert!(
        mail.lines()
            .any(|l| l.starts_with("http") && l.ends_with(&link)),
        "{mail}"
    );
    let (_, subject, _) = app.outbox().await.pop().unwrap();
    assert!(subject.starts_with("أنت مشارك: "), "{subject}");
    // Though the family also speaks Danish, later mail (the group's link,
    // reminders) follows the language they joined in.
    let stored = app
        .count(
            "SELECT COUNT(*) FROM signups WHERE contact_email = $1 AND lang = 'ar'",
            args!["rania@example.dk"],
        )
        .await;
    assert_eq!(stored, 1);
}

async fn a_volunteer_who_offers_in_ukrainian_is_invited_in_ukrainian(app: TestApp) {
    let offer = json!({
        "contact": {"name": "Olena", "email": "olena@example.dk"},
        "tools": ["Sneskovl"],
        "slots": [{"day": "mon", "from": "07:00", "to": "09:00"}],
        "area": {"name": "Otterup", "lat": 55.51512, "lon": 10.39761, "radius_km": 3},
        "languages": ["uk", "en"]
    });
    let (status, created) = post_as(
        &app,
        "uk, en;q=0.8",
        "/api/v1/municipalities/nordfyns/offers",
        &offer,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let thanks = app.mail_text("olena@example.dk", "offer_link").await;
    assert!(cyrillic(&thanks), "{thanks}");
    assert!(thanks.contains(&format!(
        "/my-data#{}",
        created["private_token"].as_str().unwrap()
    )));

    // The coordinator reads the console in Danish; the volunteer's
    // invitation is in the language she offered help in.
    let snow = first_initiative(&app, "nordfyns", "snow_clearing").await;
    let (id, need) = (
        snow["id"].as_str().unwrap(),
        snow["needs"][0]["id"].as_str().unwrap(),
    );
    let console = app.sign_in("admin@nordfyns.demo").await;
    let response = console
        .request(
            Method::POST,
            &format!("/api/v1/admin/initiatives/{id}/needs/{need}/invitations"),
        )
        .header("accept-language", "da")
        .json(&json!({"offer_ids": [created["id"]], "message": "Tak, Olena!"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let invitation = app.mail_text("olena@example.dk", "invitation").await;
    assert!(
        invitation.starts_with("Шановна/шановний Olena!"),
        "{invitation}"
    );
    assert!(invitation.contains("«Tak, Olena!»"), "{invitation}");
    assert!(
        invitation.contains("/invitation#"),
        "the answer link: {invitation}"
    );
}

async fn a_proposer_reading_the_widget_in_arabic_is_answered_in_arabic(app: TestApp) {
    // The widget names the server's fallback (English) in the body and asks
    // for Arabic first in the header: the proposer is written to in Arabic.
    let mut proposal = good_proposal();
    proposal["lang"] = json!("en");
    proposal["contact"]["email"] = json!("huda@example.dk");
    let (status, created) = post_as(
        &app,
        "ar, en;q=0.8",
        "/api/v1/municipalities/billund/initiatives",
        &proposal,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let mail = app.mail_text("huda@example.dk", "proposal_received").await;
    assert!(arabic(&mail) && mail.contains("#sammen-follow="), "{mail}");
    let stored = app
        .count(
            "SELECT COUNT(*) FROM initiatives WHERE contact_email = $1 AND lang = 'ar'",
            args!["huda@example.dk"],
        )
        .await;
    assert_eq!(stored, 1);
    // The follow link reports the built-in language she falls back to.
    let follow = app
        .get_json_with("/api/v1/follow", created["follow_token"].as_str().unwrap())
        .await;
    assert_eq!(follow["proposal"]["lang"], "en", "{follow}");
    // Her edit from the widget (body en again) keeps her Arabic.
    let mut edited = proposal.clone();
    edited["audience"] = json!("Børn på 3-5 år");
    let response = app
        .client
        .put(app.url("/api/v1/follow"))
        .bearer_auth(created["follow_token"].as_str().unwrap())
        .header("accept-language", "ar, en;q=0.8")
        .json(&json!({"version": follow["proposal"]["version"], "proposal": edited}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let still = app
        .count(
            "SELECT COUNT(*) FROM initiatives WHERE contact_email = $1 AND lang = 'ar' \
             AND audience IS NOT NULL",
            args!["huda@example.dk"],
        )
        .await;
    assert_eq!(still, 1, "the edit kept her language");

    // A body that names Danish is Danish, whatever the header.
    let mut danish = good_proposal();
    danish["lang"] = json!("da");
    danish["contact"]["email"] = json!("mette@example.dk");
    let (status, _) = post_as(
        &app,
        "ar",
        "/api/v1/municipalities/billund/initiatives",
        &danish,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let mail = app.mail_text("mette@example.dk", "proposal_received").await;
    assert!(mail.starts_with("Kære "), "{mail}");
}

/// Sends `method path` as a reader whose browser asks for `accept`, with
/// `token` as the private link's bearer and a fresh idempotency key.
async fn as_reader(
    app: &TestApp,
    accept: &str,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = app
        .client
        .request(method, app.url(path))
        .header("accept-language", accept)
        .header("idempotency-key", Uuid::new_v4().to_string());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("answered");
    let status = response.status();
    (status, response.json().await.expect("a JSON body"))
}

/// The refusal's code and message, after checking its status.
fn refusal(answer: &(StatusCode, Value), status: StatusCode) -> (String, String) {
    assert_eq!(answer.0, status, "{}", answer.1);
    let error = &answer.1["error"];
    (
        error["code"].as_str().unwrap().to_string(),
        error["message"].as_str().unwrap().to_string(),
    )
}

async fn a_refusal_is_said_in_the_readers_language_with_its_code_unchanged(app: TestApp) {
    // A group member whose link no longer works, reading in Arabic; the
    // same in English, and in Danish when the browser names no language.
    let dead = "0".repeat(64);
    let group = |accept: &'static str| {
        let (app, dead) = (&app, &dead);
        async move { as_reader(app, accept, Method::GET, "/api/v1/group", Some(dead), None).await }
    };
    let (code, message) = refusal(&group("ar").await, StatusCode::NOT_FOUND);
    assert_eq!(code, "not_found");
    assert_eq!(message, "رابط المجموعة هذا غير موجود.");
    let (_, english) = refusal(&group("en-GB").await, StatusCode::NOT_FOUND);
    assert_eq!(english, "There is no such group link.");
    let (_, danish) = refusal(&group("").await, StatusCode::NOT_FOUND);
    assert_eq!(danish, "Linket til gruppen findes ikke.");
    // An address with nothing behind it, in Ukrainian.
    let nothing = as_reader(&app, "uk", Method::GET, "/api/v1/nothing-here", None, None).await;
    let (code, message) = refusal(&nothing, StatusCode::NOT_FOUND);
    assert_eq!(code, "not_found");
    assert_eq!(message, "За цією адресою нічого немає.");

    // The open meeting, from phones reading Ukrainian and Arabic.
    let console = app.sign_in("pia@regnbuen.demo").await;
    let meeting: Value = console
        .post(
            "/api/v1/admin/meetings",
            &json!({"title": "Forældremøde", "institution": "regnbuen"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let code = meeting["code"].as_str().unwrap();
    let join = || {
        let path = format!("/api/v1/meetings/{code}/participants");
        let app = &app;
        async move {
            let (status, joined) = as_reader(app, "uk", Method::POST, &path, None, None).await;
            assert_eq!(status, StatusCode::CREATED, "{joined}");
            joined["participant_token"].as_str().unwrap().to_string()
        }
    };
    let (olena, rania) = (join().await, join().await);
    let proposals = format!("/api/v1/meetings/{code}/proposals");
    let idea = json!({"title": "Fælles madpakkedag"});
    let (status, board) = as_reader(
        &app,
        "uk",
        Method::POST,
        &proposals,
        Some(&olena),
        Some(idea),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{board}");
    let proposal = board["proposals"][0]["id"].clone();
    let votes = format!("/api/v1/meetings/{code}/votes");
    let dot = |token: &str, accept: &'static str| {
        let (app, votes, token) = (&app, &votes, token.to_string());
        let body = json!({"proposal_id": proposal});
        async move { as_reader(app, accept, Method::POST, votes, Some(&token), Some(body)).await }
    };
    // A dot on one's own idea is a field error, worded for the field too.
    let own = dot(&olena, "uk").await;
    let (code_of, message) = refusal(&own, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code_of, "validation_failed");
    assert_eq!(message, "Крапки ставлять на чужі пропозиції.");
    assert_eq!(own.1["error"]["fields"]["proposal_id"], message.as_str());
    for _ in 0..3 {
        assert_eq!(dot(&rania, "ar").await.0, StatusCode::CREATED);
    }
    let (code_of, message) = refusal(&dot(&rania, "ar").await, StatusCode::CONFLICT);
    assert_eq!(code_of, "conflict");
    assert_eq!(message, "لقد وضعت كل نقاطك.");
    let (_, message) = refusal(&dot(&rania, "uk").await, StatusCode::CONFLICT);
    assert_eq!(message, "Ви використали всі свої крапки.");
    let closed = console
        .post(
            &format!(
                "/api/v1/admin/meetings/{}/close",
                meeting["id"].as_str().unwrap()
            ),
            &json!({}),
        )
        .await;
    assert_eq!(closed.status(), StatusCode::OK);
    let late = as_reader(
        &app,
        "ar-SY",
        Method::POST,
        &format!("/api/v1/meetings/{code}/participants"),
        None,
        None,
    )
    .await;
    let (code_of, message) = refusal(&late, StatusCode::CONFLICT);
    assert_eq!(code_of, "conflict");
    assert_eq!(message, "الاجتماع مغلق.");
    let (_, message) = refusal(&dot(&rania, "uk").await, StatusCode::CONFLICT);
    assert_eq!(message, "Зустріч закрито.");

    // An initiative that has ended takes no signups: said in Danish, in
    // Ukrainian, and in English to a language the server does not speak.
    let admin = app.sign_in("admin@billund.demo").await;
    let ended = app.propose(&good_proposal()).await;
    let id = ended["id"].as_str().unwrap();
    for (version, action) in [(1, "publish"), (2, "complete")] {
        let decided = admin
            .post(
                &format!("/api/v1/admin/initiatives/{id}/decisions"),
                &json!({"action": action, "version": version, "message": "Tak!"}),
            )
            .await;
        assert_eq!(decided.status(), StatusCode::OK, "{action}");
    }
    let signups = format!("/api/v1/municipalities/billund/initiatives/{id}/signups");
    let family = json!({"contact": {"name": "Mette", "email": "mette@example.dk"}});
    let said = |accept: &'static str| {
        let (app, signups, family) = (&app, &signups, family.clone());
        async move { post_as(app, accept, signups, &family).await }
    };
    for (accept, expected) in [
        (
            "da",
            "Initiativet er slut; man kan ikke melde sig til mere.",
        ),
        (
            "uk-UA,uk;q=0.9",
            "Ця ініціатива завершилася; нові записи не приймаються.",
        ),
        ("ar", "انتهت هذه المبادرة؛ لم يعد التسجيل فيها ممكنًا."),
        ("fr", "This initiative has ended; it takes no new signups."),
    ] {
        let (code_of, message) = refusal(&said(accept).await, StatusCode::CONFLICT);
        assert_eq!(code_of, "conflict", "{accept}");
        assert_eq!(message, expected, "{accept}");
    }
}
