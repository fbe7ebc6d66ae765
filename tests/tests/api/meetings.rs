//! The open meeting: a room of phones proposing and putting dots at once,
//! the projector's live stream, the QR code, closing into the moderation
//! queue, and the meeting's own limits.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::join_all;
use futures::StreamExt;
use reqwest::StatusCode;
use sammen_tests::{on_both_databases, TestApp};
use serde_json::{json, Value};
use uuid::Uuid;

on_both_databases!(
    fifty_phones_propose_and_put_dots_at_once_and_the_projector_shows_it,
    closing_sends_the_chosen_proposals_to_the_moderation_queue,
    the_meeting_refuses_what_it_should,
    a_phone_keeps_its_seat_and_a_locked_room_takes_no_new_phones,
    a_chosen_idea_keeps_its_proposer_and_the_others_lose_their_contact,
    a_dot_through_one_backend_reaches_the_projector_of_another,
);

/// Pia opens a meeting at Regnbuen; its view.
async fn open(app: &TestApp) -> Value {
    let console = app.sign_in("pia@regnbuen.demo").await;
    let response = console
        .post(
            "/api/v1/admin/meetings",
            &json!({"title": "Forældremøde på Regnbuen", "institution": "regnbuen"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn join(app: &TestApp, code: &str) -> String {
    let response = app
        .post_json(&format!("/api/v1/meetings/{code}/participants"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let joined: Value = response.json().await.unwrap();
    joined["participant_token"].as_str().unwrap().to_string()
}

async fn post(
    app: &TestApp,
    path: &str,
    token: &str,
    key: Uuid,
    body: &Value,
) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .header("idempotency-key", key.to_string())
        .json(body)
        .send()
        .await
        .unwrap()
}

/// Reads the live stream into `boards` until dropped.
fn watch(app: &TestApp, code: &str) -> (Arc<Mutex<Vec<Value>>>, tokio::task::JoinHandle<()>) {
    let boards = Arc::new(Mutex::new(Vec::new()));
    let seen = boards.clone();
    let request = app
        .client
        .get(app.url(&format!("/api/v1/meetings/{code}/live")));
    let task = tokio::spawn(async move {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream"));
        let mut stream = response.bytes_stream();
        let mut buffer = String::new();
        while let Some(Ok(chunk)) = stream.next().await {
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find("\n\n") {
                let event: String = buffer.drain(..end + 2).collect();
                if event.lines().any(|l| l == "event: board") {
                    let data: String = event
                        .lines()
                        .filter_map(|l| l.strip_prefix("data: "))
                        .collect();
                    seen.lock()
                        .unwrap()
                        .push(serde_json::from_str(&data).unwrap());
                }
            }
        }
    });
    (boards, task)
}

async fn fifty_phones_propose_and_put_dots_at_once_and_the_projector_shows_it(app: TestApp) {
    let meeting = open(&app).await;
    let code = meeting["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 6);
    let (boards, projector) = watch(&app, &code);

    let phones: Vec<String> = join_all((0..50).map(|_| join(&app, &code))).await;
    // Every phone proposes at once, and sends it twice with the same key, as
    // a phone on a flaky connection would.
    let proposals = format!("/api/v1/meetings/{code}/proposals");
    join_all(phones.iter().enumerate().map(|(i, token)| {
        let (app, path) = (&app, &proposals);
        async move {
            let key = Uuid::new_v4();
            let body = json!({"title": format!("Forslag {i:02}"), "category": "playdate_group"});
            for _ in 0..2 {
                let response = post(app, path, token, key, &body).await;
                assert_eq!(response.status(), StatusCode::CREATED, "proposal {i}");
            }
        }
    }))
    .await;
    let board = app.get_json(&format!("/api/v1/meetings/{code}")).await;
    let ids: Vec<String> = (0..50)
        .map(|i| {
            board["proposals"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["title"] == format!("Forslag {i:02}"))
                .unwrap_or_else(|| panic!("proposal {i} on the board once"))["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        board["proposals"].as_array().unwrap().len(),
        50,
        "none doubled"
    );

    // A second screen joins midway: it shares the meeting's watcher and
    // starts from the newest board the watcher has.
    let (second_boards, second_screen) = watch(&app, &code);

    // Every phone puts its three dots on the next three phones' proposals,
    // all at once, each dot sent twice with its key.
    let votes = format!("/api/v1/meetings/{code}/votes");
    join_all(phones.iter().enumerate().map(|(i, token)| {
        let (app, path, ids) = (&app, &votes, &ids);
        async move {
            for k in 1..=3 {
                let key = Uuid::new_v4();
                let body = json!({"proposal_id": ids[(i + k) % 50]});
                for _ in 0..2 {
                    let response = post(app, path, token, key, &body).await;
                    assert_eq!(
                        response.status(),
                        StatusCode::CREATED,
                        "dot {k} of phone {i}"
                    );
                }
            }
        }
    }))
    .await;
    let board = app.get_json(&format!("/api/v1/meetings/{code}")).await;
    assert_eq!(board["participants"], 50);
    assert_eq!(board["votes_cast"], 150, "every dot counted once");
    assert!(board["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["votes"] == 3));

    // A fourth dot is one too many; a dot on one's own proposal is refused.
    let fourth = post(
        &app,
        &votes,
        &phones[0],
        Uuid::new_v4(),
        &json!({"proposal_id": ids[10]}),
    )
    .await;
    assert_eq!(fourth.status(), StatusCode::CONFLICT);
    let late = join(&app, &code).await;
    let own = post(
        &app,
        &proposals,
        &late,
        Uuid::new_v4(),
        &json!({"title": "Mit eget"}),
    )
    .await;
    let own: Value = own.json().await.unwrap();
    let own_id = own["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == "Mit eget")
        .unwrap()["id"]
        .clone();
    let refused = post(
        &app,
        &votes,
        &late,
        Uuid::new_v4(),
        &json!({"proposal_id": own_id}),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The projector's stream caught up with all of it, and so did the
    // screen that came later.
    let caught_up = |boards: &Arc<Mutex<Vec<Value>>>| {
        let last = boards.lock().unwrap().last().cloned();
        last.is_some_and(|last| {
            last["votes_cast"] == 150 && last["proposals"].as_array().unwrap().len() == 51
        })
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !(caught_up(&boards) && caught_up(&second_boards)) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the projector did not catch up"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for screen in [&boards, &second_boards] {
        let versions: Vec<i64> = screen
            .lock()
            .unwrap()
            .iter()
            .map(|b| b["version"].as_i64().unwrap())
            .collect();
        assert!(
            versions.windows(2).all(|w| w[0] < w[1]),
            "boards arrive in order, each once: {versions:?}"
        );
    }
    projector.abort();
    second_screen.abort();

    // With every screen gone the watcher stops; a screen opened afterwards
    // starts a new one and gets the board.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let (again, screen) = watch(&app, &code);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !caught_up(&again) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "a screen opened later got no board"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    screen.abort();
}

async fn closing_sends_the_chosen_proposals_to_the_moderation_queue(app: TestApp) {
    let meeting = open(&app).await;
    let code = meeting["code"].as_str().unwrap().to_string();
    let id = meeting["id"].as_str().unwrap().to_string();
    assert!(meeting["join_url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/meeting#{code}")));

    let qr = app.get(meeting["qr_svg_path"].as_str().unwrap()).await;
    assert_eq!(qr.status(), StatusCode::OK);
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");
    assert!(qr.text().await.unwrap().contains("<svg"));
    for page in [
        "/meeting",
        "/meeting/projector",
        "/meeting/phone.js",
        "/meeting/lang/ar.json",
    ] {
        assert_eq!(app.get(page).await.status(), StatusCode::OK, "{page}");
    }

    let (anna, bo) = (join(&app, &code).await, join(&app, &code).await);
    let proposals = format!("/api/v1/meetings/{code}/proposals");
    let titles = ["Fælles madpakkedag", "Cykeltur til skoven", "Loppemarked"];
    for (i, title) in titles.iter().enumerate() {
        let token = if i == 0 { &anna } else { &bo };
        let response = post(
            &app,
            &proposals,
            token,
            Uuid::new_v4(),
            &json!({"title": title}),
        )
        .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let board = app.get_json(&format!("/api/v1/meetings/{code}")).await;
    let id_of = |title: &str| {
        board["proposals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["title"] == title)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let chosen = [id_of(titles[0]), id_of(titles[2])];

    let console = app.sign_in("pia@regnbuen.demo").await;
    let response = console
        .post(
            &format!("/api/v1/admin/meetings/{id}/close"),
            &json!({"promote": chosen}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let closed: Value = response.json().await.unwrap();
    assert_eq!(closed["board"]["status"], "closed");
    let promoted = closed["board"]["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["initiative_id"].is_string())
        .count();
    assert_eq!(promoted, 2);

    let queue: Value = console
        .get("/api/v1/admin/initiatives?status=submitted")
        .await
        .json()
        .await
        .unwrap();
    let waiting: Vec<&str> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert!(
        waiting.contains(&titles[0]) && waiting.contains(&titles[2]),
        "{waiting:?}"
    );
    assert!(!waiting.contains(&titles[1]));

    // Closed: no more proposals, dots or second closing.
    let late = post(
        &app,
        &proposals,
        &anna,
        Uuid::new_v4(),
        &json!({"title": "For sent"}),
    )
    .await;
    assert_eq!(late.status(), StatusCode::CONFLICT);
    let again = console
        .post(&format!("/api/v1/admin/meetings/{id}/close"), &json!({}))
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let stranger = app.sign_in("lars@stenderup.demo").await;
    assert_eq!(
        stranger
            .get(&format!("/api/v1/admin/meetings/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn the_meeting_refuses_what_it_should(app: TestApp) {
    let console = app.sign_in("pia@regnbuen.demo").await;
    for body in [
        json!({"title": ""}),
        json!({"title": "Møde", "votes_per_person": 0}),
        json!({"title": "Møde", "institution": "stenderup-skole"}),
        json!({"title": "Møde", "institution": "no-such-place"}),
    ] {
        let response = console.post("/api/v1/admin/meetings", &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
    }
    // An admin may open one for the whole municipality (not for a place that
    // does not exist), and close it.
    let admin = app.sign_in("admin@billund.demo").await;
    let nowhere = admin
        .post(
            "/api/v1/admin/meetings",
            &json!({"title": "Borgermøde", "institution": "nowhere"}),
        )
        .await;
    assert_eq!(nowhere.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let whole: Value = admin
        .post("/api/v1/admin/meetings", &json!({"title": "Borgermøde"}))
        .await
        .json()
        .await
        .unwrap();
    let closed = admin
        .post(
            &format!(
                "/api/v1/admin/meetings/{}/close",
                whole["id"].as_str().unwrap()
            ),
            &json!({}),
        )
        .await;
    assert_eq!(closed.status(), StatusCode::OK);
    let meeting = open(&app).await;
    let code = meeting["code"].as_str().unwrap().to_string();
    assert_eq!(
        app.get("/api/v1/meetings/NOSUCH").await.status(),
        StatusCode::NOT_FOUND
    );
    let proposals = format!("/api/v1/meetings/{code}/proposals");
    let not_joined = post(
        &app,
        &proposals,
        &"0".repeat(64),
        Uuid::new_v4(),
        &json!({"title": "Hej"}),
    )
    .await;
    assert_eq!(not_joined.status(), StatusCode::UNAUTHORIZED);
    let token = join(&app, &code).await;
    for body in [
        json!({"title": ""}),
        json!({"title": "Hej", "category": "no_such"}),
    ] {
        let response = post(&app, &proposals, &token, Uuid::new_v4(), &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
    }
    for n in 0..5 {
        let response = post(
            &app,
            &proposals,
            &token,
            Uuid::new_v4(),
            &json!({"title": format!("Idé {n}")}),
        )
        .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let sixth = post(
        &app,
        &proposals,
        &token,
        Uuid::new_v4(),
        &json!({"title": "Idé 6"}),
    )
    .await;
    assert_eq!(
        sixth.status(),
        StatusCode::CONFLICT,
        "five proposals per person"
    );
    // The board is anonymous.
    let board = app
        .get(&format!("/api/v1/meetings/{code}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !board.contains("pia@") && !board.contains("token"),
        "{board}"
    );
}

/// Issue 14, item 2: a phone keeps its seat across reloads (joining again
/// with its key mints nothing: no new participant, no new dots); the
/// coordinator locks the room to new phones; the board says so.
async fn a_phone_keeps_its_seat_and_a_locked_room_takes_no_new_phones(app: TestApp) {
    let meeting = open(&app).await;
    let code = meeting["code"].as_str().unwrap().to_string();
    let id = meeting["id"].as_str().unwrap().to_string();
    let mine = join(&app, &code).await;
    let other = join(&app, &code).await;
    let proposed = post(
        &app,
        &format!("/api/v1/meetings/{code}/proposals"),
        &other,
        Uuid::new_v4(),
        &json!({"title": "Fælles madpakkedag"}),
    )
    .await;
    assert_eq!(proposed.status(), StatusCode::CREATED);
    let board: Value = proposed.json().await.unwrap();
    let proposal = board["proposals"][0]["id"].as_str().unwrap().to_string();
    let dot = post(
        &app,
        &format!("/api/v1/meetings/{code}/votes"),
        &mine,
        Uuid::new_v4(),
        &json!({"proposal_id": proposal}),
    )
    .await;
    assert_eq!(dot.status(), StatusCode::CREATED);

    // Forty reloads with the key: the same seat, the dots as they were.
    for _ in 0..40 {
        let again = app
            .client
            .post(app.url(&format!("/api/v1/meetings/{code}/participants")))
            .bearer_auth(&mine)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::OK);
        let seat: Value = again.json().await.unwrap();
        assert_eq!(seat["participant_token"], mine.as_str());
        assert_eq!(seat["votes_left"], 2, "one dot of three used");
    }
    let board = app.get_json(&format!("/api/v1/meetings/{code}")).await;
    assert_eq!(board["participants"], 2, "no seat was minted");
    assert_eq!(board["locked"], false);

    // Locked: new phones are refused, the ones in keep going.
    let pia = app.sign_in("pia@regnbuen.demo").await;
    let locked = pia
        .request(
            reqwest::Method::PUT,
            &format!("/api/v1/admin/meetings/{id}/lock"),
        )
        .json(&json!({"locked": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(locked.status(), StatusCode::OK);
    let view: Value = locked.json().await.unwrap();
    assert_eq!(view["board"]["locked"], true);
    let newcomer = app
        .client
        .post(app.url(&format!("/api/v1/meetings/{code}/participants")))
        .header("accept-language", "da")
        .send()
        .await
        .unwrap();
    assert_eq!(newcomer.status(), StatusCode::CONFLICT);
    let error: Value = newcomer.json().await.unwrap();
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("lukket for nye"),
        "{error}"
    );
    let still_in = app
        .client
        .post(app.url(&format!("/api/v1/meetings/{code}/participants")))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(
        still_in.status(),
        StatusCode::OK,
        "a seat held before the lock"
    );
    let dot = post(
        &app,
        &format!("/api/v1/meetings/{code}/votes"),
        &mine,
        Uuid::new_v4(),
        &json!({"proposal_id": proposal}),
    )
    .await;
    assert_eq!(dot.status(), StatusCode::CREATED, "dots go on while locked");
    let board = app.get_json(&format!("/api/v1/meetings/{code}")).await;
    assert_eq!(board["locked"], true);
    assert_eq!(board["participants"], 2);

    // Unlocked again; and the lock is the meeting coordinator's to set.
    let lars = app.sign_in("lars@stenderup.demo").await;
    let stranger = lars
        .request(
            reqwest::Method::PUT,
            &format!("/api/v1/admin/meetings/{id}/lock"),
        )
        .json(&json!({"locked": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get_json(&format!("/api/v1/meetings/{code}")).await["locked"],
        true
    );
    let unlocked = pia
        .request(
            reqwest::Method::PUT,
            &format!("/api/v1/admin/meetings/{id}/lock"),
        )
        .json(&json!({"locked": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(unlocked.status(), StatusCode::OK);
    join(&app, &code).await;
}

/// Issue 14, item 2: one address cannot fill the room in seconds, nor guess
/// codes at speed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_cannot_flood_the_room_or_guess_codes() {
    let app = TestApp::spawn_with(
        sammen_tests::Backend::Sqlite,
        &[
            ("SAMMEN_MEETING_JOINS_PER_MINUTE_PER_ADDRESS", "30"),
            ("SAMMEN_MEETING_CODE_MISSES_PER_MINUTE_PER_ADDRESS", "10"),
        ],
    )
    .await;
    let meeting = open(&app).await;
    let code = meeting["code"].as_str().unwrap().to_string();
    let mut statuses = Vec::new();
    for _ in 0..60 {
        let answer = app
            .post_json(&format!("/api/v1/meetings/{code}/participants"), &json!({}))
            .await;
        statuses.push(answer.status().as_u16());
    }
    let joined = statuses.iter().filter(|s| **s == 201).count();
    assert_eq!(
        joined, 30,
        "a minute's allowance at once, then a wait: {statuses:?}"
    );
    assert!(statuses[30..].iter().all(|s| *s == 429));
    assert_eq!(
        app.get_json(&format!("/api/v1/meetings/{code}")).await["participants"],
        30
    );

    // Guessing: ten wrong codes, then even the right one waits.
    for n in 0..12 {
        let guess = app.get(&format!("/api/v1/meetings/ZZZ{n:03}")).await;
        assert!(
            [404, 429].contains(&guess.status().as_u16()),
            "{}",
            guess.status()
        );
    }
    let right = app.get(&format!("/api/v1/meetings/{code}")).await;
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(right.headers().contains_key("retry-after"));
}

async fn a_chosen_idea_keeps_its_proposer_and_the_others_lose_their_contact(app: TestApp) {
    let meeting = open(&app).await;
    let (id, code) = (
        meeting["id"].as_str().unwrap().to_string(),
        meeting["code"].as_str().unwrap().to_string(),
    );
    let path = format!("/api/v1/meetings/{code}/proposals");
    let layla = join(&app, &code).await;
    let response = post(
        &app,
        &path,
        &layla,
        Uuid::new_v4(),
        &json!({"title": "Legeaftaler for nye familier", "category": "playdate_group",
                "contact": {"name": "Layla Haddad", "email": "LAYLA@example.dk"}}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let board: Value = response.json().await.unwrap();
    assert!(
        !board.to_string().contains("Layla") && !board.to_string().contains("layla@"),
        "the board never shows a proposer: {board}"
    );
    assert_eq!(board["municipality"], "billund");
    let idea = board["proposals"][0]["id"].as_str().unwrap().to_string();

    // A contact needs a way to reach its person; a bad email is pointed at.
    let omar = join(&app, &code).await;
    for (contact, field) in [
        (json!({"name": "Omar"}), "contact.email"),
        (json!({"name": "Omar", "email": "omar@"}), "contact.email"),
        (json!({"email": "omar@example.dk"}), "contact.name"),
    ] {
        let response = post(
            &app,
            &path,
            &omar,
            Uuid::new_v4(),
            &json!({"title": "Fodbold i gården", "contact": contact}),
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let refused: Value = response.json().await.unwrap();
        assert!(refused["error"]["fields"][field].is_string(), "{refused}");
    }
    // An empty contact is no contact.
    let response = post(
        &app,
        &path,
        &omar,
        Uuid::new_v4(),
        &json!({"title": "Fodbold i gården", "contact": {"name": " ", "email": null}}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = post(
        &app,
        &path,
        &omar,
        Uuid::new_v4(),
        &json!({"title": "Bogbytte", "contact": {"name": "Omar Aziz", "phone": "+45 30 40 50 60"}}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let console = app.sign_in("pia@regnbuen.demo").await;
    let response = console
        .post(
            &format!("/api/v1/admin/meetings/{id}/close"),
            &json!({"promote": [idea]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    // Layla's idea is a proposal with her as its proposer, and her link.
    let mail = app.mail_text("layla@example.dk", "follow_link").await;
    let link = mail
        .split_whitespace()
        .find(|w| w.contains("/follow?municipality=billund#sammen-follow="))
        .unwrap_or_else(|| panic!("no follow link in {mail}"));
    let token = link.split("#sammen-follow=").nth(1).unwrap();
    let followed = app.get_json_with("/api/v1/follow", token).await;
    assert_eq!(followed["proposal"]["contact"]["name"], "Layla Haddad");
    assert_eq!(followed["proposal"]["contact"]["email"], "layla@example.dk");
    assert_eq!(followed["proposal"]["category"], "playdate_group");
    assert_eq!(followed["proposal"]["status"], "submitted");
    // The coordinator puts it right before publishing: institution and
    // needs, against the version seen; audited.
    let proposal_id = followed["proposal"]["id"].as_str().unwrap().to_string();
    let version = followed["proposal"]["version"].as_i64().unwrap();
    let path = format!("/api/v1/admin/initiatives/{proposal_id}/details");
    let put = |body: Value| {
        console
            .request(reqwest::Method::PUT, &path)
            .json(&body)
            .send()
    };
    let right = json!({"version": version, "category": "playdate_group", "institution": "regnbuen",
                       "needs": [{"title": "Værtsfamilier", "people_wanted": 4}]});
    let response = put(right.clone()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let changed: Value = response.json().await.unwrap();
    assert_eq!(changed["proposal"]["category"], "playdate_group");
    assert_eq!(changed["proposal"]["needs"][0]["title"], "Værtsfamilier");
    assert_eq!(changed["proposal"]["needs"][0]["people_wanted"], 4);
    assert_eq!(changed["proposal"]["version"], version + 1);
    let response = put(right.clone()).await.unwrap();
    assert_eq!(
        response.status(),
        StatusCode::CONFLICT,
        "the version moved on"
    );
    let mut wrong = right.clone();
    wrong["version"] = json!(version + 1);
    wrong["category"] = json!("no_such_category");
    let response = put(wrong.clone()).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused: Value = response.json().await.unwrap();
    assert!(
        refused["error"]["fields"]["category"].is_string(),
        "{refused}"
    );
    // Pia sees Regnbuen only: she cannot move it to another institution.
    wrong["category"] = json!("playdate_group");
    wrong["institution"] = json!("stenderup-skole");
    let response = put(wrong).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let audited = app
        .count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'put_right' AND before_state IS NOT NULL",
            vec![],
        )
        .await;
    assert_eq!(audited, 1);

    // Omar's ideas were not chosen: their contact is gone with the meeting.
    let kept = app
        .count(
            "SELECT COUNT(*) FROM meeting_proposals WHERE contact_name IS NOT NULL \
             OR contact_phone IS NOT NULL OR contact_email IS NOT NULL",
            vec![],
        )
        .await;
    assert_eq!(kept, 0);
    // A meeting never closed keeps an idea's contact two weeks at most.
    let forgotten = open(&app).await;
    let code = forgotten["code"].as_str().unwrap();
    let seat = join(&app, code).await;
    let response = post(
        &app,
        &format!("/api/v1/meetings/{code}/proposals"),
        &seat,
        Uuid::new_v4(),
        &json!({"title": "Sommerfest", "contact": {"name": "Ida", "phone": "+45 40 50 60 70"}}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let now = chrono::Utc::now();
    let swept = sammen_backend::retention::sweep(&app.db, now + chrono::Duration::days(13))
        .await
        .unwrap();
    assert_eq!(swept.meeting_contacts, 0, "kept while the meeting may run");
    let swept = sammen_backend::retention::sweep(&app.db, now + chrono::Duration::days(15))
        .await
        .unwrap();
    assert_eq!(swept.meeting_contacts, 1);

    // The page the link opens is Sammen's own, with the widget.
    let page = app.get("/follow").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("/embed/preview.js"));
}

/// Two backends on one database: the projector follows the board through
/// one, the phones write through the other. On PostgreSQL every change is
/// announced at commit (`LISTEN sammen_meeting`, which each backend's board
/// watcher hears); on SQLite the other backend's watcher finds it by polling.
async fn a_dot_through_one_backend_reaches_the_projector_of_another(app: TestApp) {
    let other = app.spawn_beside().await;
    let meeting = open(&app).await;
    let code = meeting["code"].as_str().unwrap().to_string();
    let id = meeting["id"].as_str().unwrap().to_string();
    let mut listener = match &app.db {
        sammen_backend::db::Db::Postgres(pool) => {
            let mut listener = sqlx::postgres::PgListener::connect_with(pool)
                .await
                .unwrap();
            listener.listen("sammen_meeting").await.unwrap();
            Some(listener)
        }
        sammen_backend::db::Db::Sqlite(..) => None,
    };
    let (boards, projector) = watch(&other, &code);

    let phones: Vec<String> = join_all((0..2).map(|_| join(&app, &code))).await;
    let proposals = format!("/api/v1/meetings/{code}/proposals");
    let body = json!({"title": "Bålaften", "category": "playdate_group"});
    let made = post(&app, &proposals, &phones[0], Uuid::new_v4(), &body).await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let made: Value = made.json().await.unwrap();
    let proposal = made["proposals"][0]["id"].as_str().unwrap().to_string();
    let vote = json!({"proposal_id": proposal});
    let votes = format!("/api/v1/meetings/{code}/votes");
    let cast = post(&app, &votes, &phones[1], Uuid::new_v4(), &vote).await;
    assert_eq!(cast.status(), StatusCode::CREATED);

    if let Some(listener) = listener.as_mut() {
        // Two joins, a proposal and a dot: each announced with the meeting's id.
        for _ in 0..4 {
            let heard = tokio::time::timeout(Duration::from_secs(10), listener.recv())
                .await
                .expect("a notification within 10 s")
                .unwrap();
            assert_eq!(heard.payload(), id);
        }
    }
    let shown = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let last = boards.lock().unwrap().last().cloned();
            if let Some(board) = last {
                if board["proposals"][0]["votes"] == 1 {
                    return board;
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the other backend's projector shows the dot");
    assert_eq!(shown["proposals"][0]["title"], "Bålaften");
    projector.abort();
}
