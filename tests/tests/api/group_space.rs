//! The group space through members' private links: consent before names,
//! the host rotation with accept/swap/cancel/done, the calendar feed (parsed
//! with an iCalendar parser), invites and leaving, messages through Sammen,
//! reminders the day before (with a moved clock), and what the coordinator
//! sees of a group.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use reqwest::{Method, StatusCode};
use sammen_tests::{args, good_proposal, on_both_databases, Console, TestApp};
use serde_json::{json, Value};

on_both_databases!(
    members_see_names_and_contacts_only_with_consent,
    the_rotation_proposes_a_fair_host_who_accepts_or_passes_it_on,
    the_calendar_feed_parses_and_holds_the_dates,
    invites_work_once_and_can_be_revoked_and_members_can_leave,
    a_message_reaches_a_member_without_revealing_their_address,
    reminders_go_out_the_day_before_and_only_once,
    check_ins_reach_the_coordinator_without_names_unless_shared,
    the_figures_count_what_happened_and_the_csv_holds_no_personal_data,
    an_inactive_group_loses_its_personal_data_after_the_retention_period,
    a_member_cannot_use_the_group_as_a_mail_relay_or_an_invite_mill,
    a_family_that_came_by_invite_consents_has_its_link_and_leaves_no_data,
    a_lost_link_is_made_again_by_the_coordinator_or_by_email,
    a_rota_of_mornings_is_taken_in_turn_and_mailed_once,
    a_rota_that_cannot_be_is_refused_field_by_field,
);

/// Issue 16: a family that lost its link asks for it by email, or the
/// coordinator makes it again; either way the old link stops.
async fn a_lost_link_is_made_again_by_the_coordinator_or_by_email(app: TestApp) {
    let group = handed_over_group(&app).await;
    let (with_email, without) = {
        let email = FAMILIES.iter().position(|(_, _, e)| e.is_some()).unwrap();
        let none = FAMILIES.iter().position(|(_, _, e)| e.is_none()).unwrap();
        (email, none)
    };
    let address = FAMILIES[with_email].2.unwrap();
    assert_eq!(wait_for_links(&app, address, 1).await.len(), 1);

    // Asking by email: the same answer for a known and an unknown address.
    for email in [address.to_uppercase(), "nobody@example.dk".to_string()] {
        let response = app
            .post_json("/api/v1/group/link-requests", &json!({"email": email}))
            .await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        assert_eq!(
            response.json::<Value>().await.unwrap(),
            json!({"queued": true})
        );
    }
    let links = wait_for_links(&app, address, 2).await;
    let new_token = links[1].split("sammen-group=").nth(1).unwrap();
    assert_ne!(new_token, group.members[with_email].token);
    let (status, _) = group
        .call(with_email, Method::GET, "/api/v1/group", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the old link stopped");
    let response = app
        .client
        .get(app.url("/api/v1/group"))
        .bearer_auth(new_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "the new one works");
    let response = app
        .post_json(
            "/api/v1/group/link-requests",
            &json!({"email": "not an email"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Asking again and again for one address is limited.
    let mut limited = false;
    for _ in 0..5 {
        let response = app
            .post_json("/api/v1/group/link-requests", &json!({"email": address}))
            .await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
    }
    assert!(limited);

    // The coordinator makes a phone-only family's link again and passes it on.
    let id = &group.members[without].id;
    let response = group
        .console
        .post(
            &format!("/api/v1/admin/group-members/{id}/link"),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let reissued: Value = response.json().await.unwrap();
    assert_eq!(reissued["emailed"], false);
    let link = reissued["link"].as_str().unwrap();
    let (status, _) = group
        .call(without, Method::GET, "/api/v1/group", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the old link stopped");
    let response = app
        .client
        .get(app.url("/api/v1/group"))
        .bearer_auth(link.split("sammen-group=").nth(1).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // For a family with an email it goes by email and is not shown.
    let id = &group.members[with_email].id;
    let reissued: Value = group
        .console
        .post(
            &format!("/api/v1/admin/group-members/{id}/link"),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(reissued["emailed"], true);
    assert_eq!(reissued["link"], Value::Null);
    wait_for_links(&app, address, 3).await;
    // Another municipality's coordinator cannot.
    let stranger = app.sign_in("admin@nordfyns.demo").await;
    let response = stranger
        .post(
            &format!("/api/v1/admin/group-members/{id}/link"),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let audited = app
        .count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'reissue_group_link'",
            vec![],
        )
        .await;
    // Every link made again is audited: each mailed to Anna after the
    // hand-over's, and the phone-only family's.
    let mailed = app
        .count(
            "SELECT COUNT(*) FROM outbox WHERE recipient = $1 AND kind = 'group_link'",
            args![address],
        )
        .await;
    assert_eq!(audited, mailed - 1 + 1);
}

/// The group links mailed to `address`, oldest first, as the family reads them.
async fn group_links(app: &TestApp, address: &str) -> Vec<String> {
    let mut conn = app.db.acquire().await.unwrap();
    let ids: Vec<uuid::Uuid> = sammen_backend::db::fetch_scalars(
        &mut conn,
        "SELECT id FROM outbox WHERE recipient = $1 AND kind = 'group_link' ORDER BY created_at, id",
        args![address],
    )
    .await
    .unwrap();
    let mut links = Vec::new();
    for id in ids {
        let file = app.outbox_dir().join(format!("{id}.eml"));
        let Ok(raw) = std::fs::read_to_string(&file) else {
            continue;
        };
        let text = sammen_tests::decode_mail_body(&raw);
        if let Some(link) = text
            .split_whitespace()
            .find(|w| w.contains("sammen-group="))
        {
            links.push(link.to_string());
        }
    }
    links
}

async fn wait_for_links(app: &TestApp, address: &str, n: usize) -> Vec<String> {
    for _ in 0..100 {
        let links = group_links(app, address).await;
        if links.len() >= n {
            return links;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("fewer than {n} group links to {address}")
}

/// Issue 14, item 6: messages go out as the municipality's mail, held dates
/// mail everyone a check-in, invites add families: each is limited per member.
async fn a_member_cannot_use_the_group_as_a_mail_relay_or_an_invite_mill(app: TestApp) {
    let group = handed_over_group(&app).await;
    let to = group.members[1].id.clone();
    let mut statuses = Vec::new();
    for n in 0..30 {
        let (status, _) = group
            .call(
                0,
                Method::POST,
                &format!("/api/v1/group/members/{to}/messages"),
                Some(json!({"body": format!("Besked nummer {n}")})),
            )
            .await;
        statuses.push(status.as_u16());
    }
    let sent = statuses.iter().filter(|s| **s == 202).count();
    assert_eq!(sent, 5, "a few at once, then a wait: {statuses:?}");
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    let mails = app
        .count(
            "SELECT COUNT(*) FROM outbox WHERE kind = 'group_message'",
            vec![],
        )
        .await;
    assert_eq!(mails, 5);
    // Another member is not held up by the first one's messages.
    let (status, _) = group
        .call(
            1,
            Method::POST,
            &format!("/api/v1/group/members/{}/messages", group.members[0].id),
            Some(json!({"body": "Hej Anna"})),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);

    let mut invites = Vec::new();
    for _ in 0..20 {
        let (status, _) = group
            .call(2, Method::POST, "/api/v1/group/invites", None)
            .await;
        invites.push(status.as_u16());
    }
    assert_eq!(
        invites.iter().filter(|s| **s == 201).count(),
        5,
        "{invites:?}"
    );

    let mut dates = Vec::new();
    let tomorrow = (Utc::now() + Duration::days(1)).to_rfc3339();
    for _ in 0..20 {
        let (status, _) = group
            .call(
                3,
                Method::POST,
                "/api/v1/group/dates",
                Some(json!({"starts_at": tomorrow})),
            )
            .await;
        dates.push(status.as_u16());
    }
    assert_eq!(dates.iter().filter(|s| **s == 201).count(), 10, "{dates:?}");
}

/// Issue 14, item 7: a family joining by invite has a consent record, its
/// group link is its private link to its data, and leaving takes the data.
async fn a_family_that_came_by_invite_consents_has_its_link_and_leaves_no_data(app: TestApp) {
    let group = handed_over_group(&app).await;
    let (status, invite) = group
        .call(0, Method::POST, "/api/v1/group/invites", None)
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let joined = app
        .post_json(
            "/api/v1/group/join",
            &json!({"invite_token": invite["invite_token"],
                    "contact": {"name": "Olena Nova", "email": "olena@example.dk"},
                    "family": {"child_age_band": "3-5", "area": "Billund"}}),
        )
        .await;
    assert_eq!(joined.status(), StatusCode::CREATED);
    let token = joined.json::<Value>().await.unwrap()["member_token"]
        .as_str()
        .unwrap()
        .to_string();
    let consented = app
        .count(
            "SELECT COUNT(*) FROM signups WHERE contact_name = 'Olena Nova' \
             AND consent_version IS NOT NULL AND joined_by_invite = $1",
            args![true],
        )
        .await;
    assert_eq!(consented, 1, "a consent record");
    let export = app
        .client
        .get(app.url("/api/v1/privacy/export"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        export.status(),
        StatusCode::OK,
        "the group link is the private link"
    );
    let export: Value = export.json().await.unwrap();
    assert_eq!(
        export["records"][0]["signup"]["signup"]["contact"]["email"],
        "olena@example.dk"
    );

    let left = app
        .client
        .delete(app.url("/api/v1/group/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM signups WHERE contact_name = 'Olena Nova' \
             OR contact_email = 'olena@example.dk'",
            vec![]
        )
        .await,
        0,
        "nothing of hers is left"
    );
}

/// The families of a small group: name, free afternoons, email.
const FAMILIES: [(&str, &[&str], Option<&str>); 5] = [
    ("Anna Aabo", &["mon"], Some("anna@example.dk")),
    ("Bo Berg", &["thu"], Some("bo@example.dk")),
    ("Cai Cortzen", &["thu"], None),
    ("Dorte Dahl", &["tue"], None),
    ("Eik Eriksen", &["thu"], None),
];

/// One member's link and id.
struct Member {
    token: String,
    id: String,
}

struct Group<'a> {
    app: &'a TestApp,
    initiative: String,
    /// In the order of `FAMILIES`.
    members: Vec<Member>,
    console: Console<'a>,
}

/// A published playdate initiative at Regnbuen with the five families in
/// one group, handed over. Tokens of members with an email are read from
/// the outbox, as the family would from their inbox.
async fn handed_over_group(app: &TestApp) -> Group<'_> {
    let created = app.propose(&good_proposal()).await;
    let initiative = created["id"].as_str().unwrap().to_string();
    app.publish(&initiative).await;
    for (i, (name, days, email)) in FAMILIES.iter().enumerate() {
        let mut contact = json!({"name": name, "phone": format!("+45 20 00 00 0{i}")});
        if let Some(email) = email {
            contact["email"] = json!(email);
        }
        let response = app
            .post_json(
                &format!("/api/v1/municipalities/billund/initiatives/{initiative}/signups"),
                &json!({"contact": contact, "family": {
                    "child_age_band": "3-5", "area": "Billund", "lat": 55.73, "lon": 9.11,
                    "free_afternoons": days, "languages": ["da"]
                }}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let console = app.sign_in("pia@regnbuen.demo").await;
    let view: Value = console
        .get(&format!("/api/v1/admin/initiatives/{initiative}"))
        .await
        .json()
        .await
        .unwrap();
    let id_of = |name: &str| {
        view["signups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["contact"]["name"] == name)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let ids: Vec<String> = FAMILIES.iter().map(|(name, _, _)| id_of(name)).collect();
    let path = format!("/api/v1/admin/initiatives/{initiative}/groups");
    let saved = console
        .request(Method::PUT, &path)
        .json(&json!({"groups": [ids]}))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    let handed: Value = console
        .post(&format!("{path}/hand-over"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let mut members = Vec::new();
    for ((name, _, email), id) in FAMILIES.iter().zip(ids) {
        let link = match email {
            Some(email) => app
                .mail_text(email, "group_link")
                .await
                .split_whitespace()
                .find(|w| w.contains("sammen-group="))
                .unwrap()
                .to_string(),
            None => handed["links_to_pass_on"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["name"] == *name)
                .unwrap()["link"]
                .as_str()
                .unwrap()
                .to_string(),
        };
        let token = link.split("sammen-group=").nth(1).unwrap().to_string();
        members.push(Member { token, id });
    }
    Group {
        app,
        initiative,
        members,
        console,
    }
}

impl Group<'_> {
    async fn call(
        &self,
        member: usize,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .app
            .client
            .request(method, self.app.url(path))
            .bearer_auth(&self.members[member].token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn space(&self, member: usize) -> Value {
        let (status, space) = self.call(member, Method::GET, "/api/v1/group", None).await;
        assert_eq!(status, StatusCode::OK);
        space
    }

    async fn add_date(&self, member: usize, starts_at: &str, note: &str) -> Value {
        let (status, space) = self
            .call(
                member,
                Method::POST,
                "/api/v1/group/dates",
                Some(json!({"starts_at": starts_at, "note": note})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{space}");
        space
    }

    async fn change(&self, member: usize, date: &str, action: &str) -> (StatusCode, Value) {
        self.call(
            member,
            Method::POST,
            &format!("/api/v1/group/dates/{date}/changes"),
            Some(json!({"action": action})),
        )
        .await
    }
}

/// The first Thursday at least `days` days from now, 15:30 Danish winter
/// time (an explicit offset, as the API asks).
fn thursday_after(days: i64) -> (NaiveDate, String) {
    let mut day = (Utc::now() + Duration::days(days)).date_naive();
    while day.weekday() != chrono::Weekday::Thu {
        day = day.succ_opt().unwrap();
    }
    (day, format!("{day}T15:30:00+01:00"))
}

fn date_with_note<'v>(space: &'v Value, note: &str) -> &'v Value {
    space["dates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["note"] == note)
        .unwrap()
}

async fn members_see_names_and_contacts_only_with_consent(app: TestApp) {
    let group = handed_over_group(&app).await;
    let anna = group.space(0).await;
    let labels: Vec<&str> = anna["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "Anna Aabo",
            "Familie 2",
            "Familie 3",
            "Familie 4",
            "Familie 5"
        ]
    );
    let text = anna.to_string();
    for (name, _, email) in &FAMILIES[1..] {
        assert!(!text.contains(name), "{name} did not agree to share");
        if let Some(email) = email {
            assert!(!text.contains(email));
        }
    }
    assert!(text.contains("anna@example.dk"), "I see my own contact");

    // Bo agrees to share: from now on the others see his name and contact.
    let (status, bo) = group
        .call(
            1,
            Method::PUT,
            "/api/v1/group/me",
            Some(json!({"share_contact": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bo["i_share_contact"], true);
    let anna = group.space(0).await;
    assert_eq!(anna["members"][1]["label"], "Bo Berg");
    assert_eq!(anna["members"][1]["contact"]["email"], "bo@example.dk");
    assert!(anna["members"][2]["contact"].is_null());

    // In English the anonymous ones are "Family n".
    let english: Value = app
        .client
        .get(app.url("/api/v1/group"))
        .bearer_auth(&group.members[0].token)
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(english["members"][2]["label"], "Family 3");

    // The coordinator sees that the group is alive, not what it does.
    let (_, thursday) = thursday_after(3);
    group
        .add_date(0, &thursday, "Legeaftale hos os, husk regntøj")
        .await;
    let overview = group
        .console
        .get(&format!(
            "/api/v1/admin/initiatives/{}/groups",
            group.initiative
        ))
        .await
        .text()
        .await
        .unwrap();
    let overview_json: Value = serde_json::from_str(&overview).unwrap();
    assert!(overview_json["groups"][0]["last_activity_at"].is_string());
    assert!(
        !overview.contains("regntøj"),
        "no private details: {overview}"
    );
}

async fn the_rotation_proposes_a_fair_host_who_accepts_or_passes_it_on(app: TestApp) {
    let group = handed_over_group(&app).await;
    let (bo, cai, eik) = (
        &group.members[1].id,
        &group.members[2].id,
        &group.members[4].id,
    );
    let (_, thursday) = thursday_after(3);
    // Bo, Cai and Eik are free on Thursdays and nobody hosted yet: Bo, the
    // first of them to join, is proposed.
    let space = group.add_date(0, &thursday, "first").await;
    let first = date_with_note(&space, "first");
    assert_eq!(first["host"], bo.as_str());
    assert_eq!(first["host_reason"], "fewest_and_free");
    assert_eq!(first["status"], "proposed");
    let date = first["id"].as_str().unwrap().to_string();

    let (status, _) = group.change(0, &date, "accept").await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the proposed host accepts"
    );
    let (status, space) = group.change(1, &date, "swap").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        date_with_note(&space, "first")["host"],
        cai.as_str(),
        "passed on to the next"
    );
    let (status, space) = group.change(2, &date, "accept").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(date_with_note(&space, "first")["status"], "accepted");

    // Cai hosts one now: the next Thursday goes to Bo again (fewest, free).
    let (_, next) = thursday_after(10);
    let space = group.add_date(3, &next, "second").await;
    assert_eq!(date_with_note(&space, "second")["host"], bo.as_str());
    let second = date_with_note(&space, "second")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, _) = group.change(3, &second, "cancel").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = group.change(3, &second, "done").await;
    assert_eq!(status, StatusCode::CONFLICT, "a cancelled date is not held");

    // A third Thursday: Bo and Eik have hosted nothing (the cancelled date
    // does not count), Bo joined first.
    let (_, third) = thursday_after(17);
    let space = group.add_date(4, &third, "third").await;
    assert_eq!(date_with_note(&space, "third")["host"], bo.as_str());
    let (status, space) = group
        .change(
            1,
            date_with_note(&space, "third")["id"].as_str().unwrap(),
            "swap",
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(date_with_note(&space, "third")["host"], eik.as_str());

    // Held: the coordinator's overview counts it.
    let (status, _) = group.change(0, &date, "done").await;
    assert_eq!(status, StatusCode::OK);
    let overview: Value = group
        .console
        .get(&format!(
            "/api/v1/admin/initiatives/{}/groups",
            group.initiative
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(overview["groups"][0]["dates_held"], 1);

    // Bad input is refused clearly.
    for body in [
        json!({"starts_at": "next thursday"}),
        json!({"starts_at": "2001-01-01T10:00:00Z"}),
        json!({"starts_at": thursday, "host": group.initiative}),
    ] {
        let (status, error) = group
            .call(0, Method::POST, "/api/v1/group/dates", Some(body.clone()))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {error}");
    }
    let (status, _) = group.change(0, &group.initiative, "cancel").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn the_calendar_feed_parses_and_holds_the_dates(app: TestApp) {
    let group = handed_over_group(&app).await;
    let (day, thursday) = thursday_after(3);
    group.add_date(0, &thursday, "first").await;
    let (_, later) = thursday_after(10);
    let space = group.add_date(0, &later, "cancelled one").await;
    let cancelled = date_with_note(&space, "cancelled one")["id"]
        .as_str()
        .unwrap()
        .to_string();
    group.change(0, &cancelled, "cancel").await;

    let space = group.space(3).await;
    let path = space["calendar_path"].as_str().unwrap();
    assert!(
        !path.contains(&group.members[3].token),
        "the feed has its own secret"
    );
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let text = response.text().await.unwrap();
    let calendar: icalendar::Calendar = text.parse().expect("a valid iCalendar document");
    use icalendar::Component;
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    assert_eq!(
        events.len(),
        1,
        "the cancelled date is not in the feed: {text}"
    );
    let event = events[0];
    assert!(
        event.get_summary().unwrap().starts_with("Gruppe 1"),
        "{text}"
    );
    let starts = event.get_start().expect("a start");
    let expected = day.and_hms_opt(14, 30, 0).unwrap().and_utc();
    match starts {
        icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(at)) => {
            assert_eq!(at, expected, "15:30 at +01:00 is 14:30 UTC")
        }
        other => panic!("a UTC start expected, got {other:?}"),
    }

    let wrong = app.get("/api/v1/group-calendar/0000.ics").await;
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    let with_member_token = app
        .get(&format!(
            "/api/v1/group-calendar/{}.ics",
            group.members[3].token
        ))
        .await;
    assert_eq!(with_member_token.status(), StatusCode::NOT_FOUND);
}

async fn invites_work_once_and_can_be_revoked_and_members_can_leave(app: TestApp) {
    let group = handed_over_group(&app).await;
    let (status, invite) = group
        .call(0, Method::POST, "/api/v1/group/invites", None)
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let secret = invite["invite_token"].as_str().unwrap();
    assert!(secret.len() >= 32);
    let join = |token: String, name: &'static str| {
        let app = &app;
        async move {
            app.post_json(
                "/api/v1/group/join",
                &json!({"invite_token": token, "contact": {"name": name, "email": "ny@example.dk"},
                        "family": {"child_age_band": "3-5", "area": "Billund",
                                   "free_afternoons": ["thu"], "languages": ["uk"], "new_in_area": true}}),
            )
            .await
        }
    };
    let response = join(secret.to_string(), "Olena Nova").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let joined: Value = response.json().await.unwrap();
    let newcomer = joined["member_token"].as_str().unwrap().to_string();
    let view: Value = app
        .client
        .get(app.url("/api/v1/group"))
        .bearer_auth(&newcomer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(view["members"].as_array().unwrap().len(), 6);
    assert_eq!(view["members"][5]["label"], "Olena Nova");

    let again = join(secret.to_string(), "Someone Else").await;
    assert_eq!(
        again.status(),
        StatusCode::NOT_FOUND,
        "an invite works once"
    );

    let (_, second) = group
        .call(1, Method::POST, "/api/v1/group/invites", None)
        .await;
    let (status, _) = group
        .call(
            0,
            Method::DELETE,
            &format!("/api/v1/group/invites/{}", second["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let revoked = join(
        second["invite_token"].as_str().unwrap().to_string(),
        "Too Late",
    )
    .await;
    assert_eq!(revoked.status(), StatusCode::NOT_FOUND);
    let bad = join("x".repeat(64), "").await;
    assert_eq!(
        bad.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the name is required first"
    );

    // The newcomer leaves: their link stops working, the group has five.
    let left = app
        .client
        .delete(app.url("/api/v1/group/me"))
        .bearer_auth(&newcomer)
        .send()
        .await
        .unwrap();
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    let gone = app
        .client
        .get(app.url("/api/v1/group"))
        .bearer_auth(&newcomer)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert_eq!(group.space(0).await["members"].as_array().unwrap().len(), 5);
}

async fn a_message_reaches_a_member_without_revealing_their_address(app: TestApp) {
    let group = handed_over_group(&app).await;
    let bo = group.members[1].id.clone();
    let cai = group.members[2].id.clone();
    let path = format!("/api/v1/group/members/{bo}/messages");
    let (status, _) = group
        .call(
            3,
            Method::POST,
            &path,
            Some(json!({"body": "Kan I tage kage med torsdag?"})),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let sent: Vec<_> = app
        .outbox()
        .await
        .into_iter()
        .filter(|(_, _, kind)| kind == "group_message")
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, "bo@example.dk");
    assert!(
        sent[0].1.contains("Familie 4"),
        "the sender did not share their name: {}",
        sent[0].1
    );
    assert!(!group.space(3).await.to_string().contains("bo@example.dk"));

    let (status, _) = group
        .call(
            0,
            Method::POST,
            &format!("/api/v1/group/members/{cai}/messages"),
            Some(json!({"body": "Hej"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "Cai gave no email");
    let (status, _) = group
        .call(0, Method::POST, &path, Some(json!({"body": "  "})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn reminders_go_out_the_day_before_and_only_once(app: TestApp) {
    let group = handed_over_group(&app).await;
    let (day, thursday) = thursday_after(3);
    group.add_date(0, &thursday, "reminded").await;
    let now = Utc::now();
    let reminders = || async {
        app.outbox()
            .await
            .into_iter()
            .filter(|(_, _, kind)| kind == "group_reminder")
            .count()
    };
    assert_eq!(
        sammen_backend::reminders::send_due(&app.db, now)
            .await
            .unwrap(),
        0,
        "too early"
    );
    assert_eq!(reminders().await, 0);
    // The clock moves to the afternoon before the date.
    let day_before = day
        .pred_opt()
        .unwrap()
        .and_hms_opt(16, 0, 0)
        .unwrap()
        .and_utc();
    let sent = sammen_backend::reminders::send_due(&app.db, day_before)
        .await
        .unwrap();
    assert_eq!(sent, 2, "Anna and Bo gave an email");
    assert_eq!(reminders().await, 2);
    assert_eq!(
        sammen_backend::reminders::send_due(&app.db, day_before + Duration::hours(1))
            .await
            .unwrap(),
        0,
        "reminded once"
    );
    assert_eq!(reminders().await, 2);
}

/// Adds a Thursday date, lets its proposed host accept and marks it held.
async fn held_date(group: &Group<'_>) -> String {
    let (_, thursday) = thursday_after(3);
    let space = group.add_date(0, &thursday, "held").await;
    let date = date_with_note(&space, "held");
    let id = date["id"].as_str().unwrap().to_string();
    let host = group
        .members
        .iter()
        .position(|m| date["host"] == m.id.as_str())
        .unwrap();
    assert_eq!(group.change(host, &id, "accept").await.0, StatusCode::OK);
    assert_eq!(group.change(0, &id, "done").await.0, StatusCode::OK);
    id
}

async fn check_ins_reach_the_coordinator_without_names_unless_shared(app: TestApp) {
    let group = handed_over_group(&app).await;
    let (_, later) = thursday_after(10);
    let space = group.add_date(0, &later, "not yet").await;
    let not_yet = date_with_note(&space, "not yet")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let date = held_date(&group).await;
    let asked = app
        .outbox()
        .await
        .into_iter()
        .filter(|(_, _, kind)| kind == "check_in")
        .count();
    assert_eq!(asked, 2, "Anna and Bo gave an email");

    let path = |id: &str| format!("/api/v1/group/dates/{id}/check-in");
    let (status, _) = group
        .call(
            0,
            Method::PUT,
            &path(&not_yet),
            Some(json!({"how": "good"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "not held yet");
    for (member, body) in [
        (0, json!({"how": "bad"})),
        (0, json!({"how": "good", "change": "Mere frugt"})),
        (
            1,
            json!({"how": "mixed", "change": "Kortere tid", "share_name": true}),
        ),
    ] {
        let (status, _) = group
            .call(member, Method::PUT, &path(&date), Some(body))
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    let (status, _) = group
        .call(
            2,
            Method::PUT,
            &path(&date),
            Some(json!({"how": "fantastic"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let response = group
        .console
        .get(&format!(
            "/api/v1/admin/initiatives/{}/check-ins",
            group.initiative
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let answers: Value = serde_json::from_str(&text).unwrap();
    let answers = answers.as_array().unwrap();
    assert_eq!(answers.len(), 2, "answering again replaced the answer");
    let anna = answers
        .iter()
        .find(|a| a["change"] == "Mere frugt")
        .unwrap();
    assert_eq!(anna["how"], "good");
    assert!(anna["name"].is_null());
    let bo = answers
        .iter()
        .find(|a| a["change"] == "Kortere tid")
        .unwrap();
    assert_eq!(bo["name"], "Bo Berg");
    assert!(!text.contains("Anna"), "anonymous unless shared: {text}");
}

async fn the_figures_count_what_happened_and_the_csv_holds_no_personal_data(app: TestApp) {
    let group = handed_over_group(&app).await;
    let held = held_date(&group).await;
    // Two members say how it went: counted, never with their names.
    for (member, how) in [(0, "good"), (1, "mixed")] {
        let (status, body) = group
            .call(
                member,
                Method::PUT,
                &format!("/api/v1/group/dates/{held}/check-in"),
                Some(json!({"how": how, "change": "Kortere tid", "share_name": true})),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    // The group sees its own answers, counted.
    assert_eq!(
        group.space(2).await["how_it_went"],
        json!({"good": 1, "mixed": 1, "bad": 0})
    );
    // One more family, new in the area, and an offer of two hours a week.
    let response = app
        .post_json(
            &format!("/api/v1/municipalities/billund/initiatives/{}/signups", group.initiative),
            &json!({"contact": {"name": "Nour Nasser", "email": "nour@example.dk"},
                    "family": {"child_age_band": "3-5", "area": "Billund", "free_afternoons": ["thu"],
                               "languages": ["ar"], "new_in_area": true}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = app
        .post_json(
            "/api/v1/municipalities/billund/offers",
            &json!({"contact": {"name": "Hjælper", "email": "hjaelper@example.dk"},
                    "slots": [{"day": "tue", "from": "15:00", "to": "17:00"}],
                    "area": {"name": "Billund"}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let stats: Value = group
        .console
        .get("/api/v1/admin/stats")
        .await
        .json()
        .await
        .unwrap();
    let row = |institution: &str, category: &str| {
        stats["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["institution"] == institution && r["category"] == category)
            .cloned()
            .unwrap_or_else(|| panic!("a row for {institution}/{category}: {stats}"))
    };
    // Regnbuen's playdate groups: the seeded initiative (14 families, three
    // of them new in the area) and this test's (5 families + Nour).
    let playdates = row("regnbuen", "playdate_group");
    assert_eq!(playdates["proposed"], 2);
    assert_eq!(playdates["published"], 2);
    assert_eq!(playdates["running"], 2);
    assert_eq!(playdates["people"], 20);
    assert_eq!(playdates["families"], 20);
    assert_eq!(playdates["newcomers"], 4);
    assert_eq!(playdates["dates_held"], 1);
    let dinner = row("regnbuen", "other");
    assert_eq!(
        (dinner["proposed"].clone(), dinner["published"].clone()),
        (json!(1), json!(0))
    );
    assert!(
        stats["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["institution"] == "regnbuen"),
        "Pia sees only Regnbuen"
    );
    assert_eq!(stats["total"]["people"], 20);
    assert_eq!(stats["volunteer_hours_offered"], 2.0);

    let response = group.console.get("/api/v1/admin/stats.csv").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = response.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next().unwrap(), sammen_shared::stats::CSV_HEADER);
    assert!(
        csv.contains("\"regnbuen\",\"playdate_group\",2,2,2,0,20,20,4,1,"),
        "{csv}"
    );
    for personal in ["Anna", "Nour", "@", "Familien", "+45", "Kortere"] {
        assert!(!csv.contains(personal), "{personal} in the CSV");
    }
    assert!(
        csv.contains("\"regnbuen\",\"playdate_group\",2,2,2,0,20,20,4,1,0.0,1,1,0"),
        "check-ins by answer: {csv}"
    );

    // A period: the figures count what happened in it.
    let today = Utc::now().date_naive();
    let row = |stats: &Value| {
        stats["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["institution"] == "regnbuen" && r["category"] == "playdate_group")
            .cloned()
            .unwrap_or(Value::Null)
    };
    let this_year: Value = group
        .console
        .get(&format!(
            "/api/v1/admin/stats?from={}&to={}",
            today - Duration::days(1),
            today + Duration::days(1)
        ))
        .await
        .json()
        .await
        .unwrap();
    // The seeded initiative and its 14 families came weeks ago: outside.
    let this_year = row(&this_year);
    assert_eq!(this_year["proposed"], 1, "{this_year}");
    assert_eq!(this_year["people"], 6, "this test's 5 families and Nour");
    assert_eq!(this_year["went_well"], 1);
    assert_eq!(this_year["went_mixed"], 1);
    let two_months: Value = group
        .console
        .get(&format!(
            "/api/v1/admin/stats?from={}",
            today - Duration::days(60)
        ))
        .await
        .json()
        .await
        .unwrap();
    let two_months = row(&two_months);
    assert_eq!(two_months["proposed"], 2);
    assert_eq!(two_months["people"], 20);
    let later: Value = group
        .console
        .get(&format!(
            "/api/v1/admin/stats?from={}",
            today + Duration::days(40)
        ))
        .await
        .json()
        .await
        .unwrap();
    let later = row(&later);
    assert_eq!(later["proposed"], 0, "{later}");
    assert_eq!(later["people"], 0);
    assert_eq!(later["went_well"], 0);
    let response = group
        .console
        .get(&format!(
            "/api/v1/admin/stats.csv?to={}",
            today - Duration::days(400)
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("\"regnbuen\",\"playdate_group\",0,0,"));
    for bad in [
        "from=2026-13-01",
        "from=2026-02-01&to=2026-01-01",
        "to=yesterday",
    ] {
        let response = group
            .console
            .get(&format!("/api/v1/admin/stats?{bad}"))
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
}

async fn an_inactive_group_loses_its_personal_data_after_the_retention_period(app: TestApp) {
    let group = handed_over_group(&app).await;
    group
        .call(
            1,
            Method::PUT,
            "/api/v1/group/me",
            Some(json!({"share_contact": true})),
        )
        .await;
    let now = Utc::now();
    let swept = sammen_backend::retention::sweep(&app.db, now + Duration::days(200))
        .await
        .unwrap();
    assert_eq!(swept.signups, 0, "within the 12 months nothing goes");
    assert_eq!(group.space(0).await["members"][1]["label"], "Bo Berg");

    let swept = sammen_backend::retention::sweep(&app.db, now + Duration::days(400))
        .await
        .unwrap();
    // Every member of the inactive group (and, since the demo data is a year
    // older by now, the signups of its ended initiatives).
    assert!(swept.signups >= 5, "{swept:?}");
    let (status, _) = group.call(0, Method::GET, "/api/v1/group", None).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the links died with the data"
    );
    let overview = group
        .console
        .get(&format!(
            "/api/v1/admin/initiatives/{}/groups",
            group.initiative
        ))
        .await
        .text()
        .await
        .unwrap();
    for (name, _, _) in FAMILIES {
        assert!(!overview.contains(name), "{name} is erased: {overview}");
    }
    let stats: Value = group
        .console
        .get("/api/v1/admin/stats")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        stats["total"]["people"].as_u64().unwrap() >= 5,
        "the anonymous counts stay"
    );
}

/// The Monday at least `days` days from now.
fn monday_after(days: i64) -> NaiveDate {
    let mut day = (Utc::now() + Duration::days(days)).date_naive();
    while day.weekday() != chrono::Weekday::Mon {
        day = day.succ_opt().unwrap();
    }
    day
}

/// Issue 16: a rota of weekday mornings added at once, taken in turn; one
/// mail per member about it, and each morning reminded and asked about only
/// to whoever takes it.
async fn a_rota_of_mornings_is_taken_in_turn_and_mailed_once(app: TestApp) {
    let group = handed_over_group(&app).await;
    let first = monday_after(2);
    let last = first + Duration::days(25);
    let series = json!({
        "weekdays": ["mon", "tue", "wed", "thu", "fri"],
        "from": first.to_string(), "until": last.to_string(),
        "time": "06:30", "note": "Snerydning ved Regnbuen"
    });
    let key = uuid::Uuid::new_v4();
    let post = || {
        app.client
            .post(app.url("/api/v1/group/date-series"))
            .bearer_auth(&group.members[3].token)
            .header("Idempotency-Key", key.to_string())
            .json(&series)
            .send()
    };
    let response = post().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let added: Value = response.json().await.unwrap();
    // Four weeks of Monday to Friday.
    assert_eq!(added["added"], 20);
    let dates = added["space"]["dates"].as_array().unwrap();
    assert_eq!(dates.len(), 20);
    // 06:30 in Copenhagen: 05:30 UTC in winter, 04:30 in summer.
    assert!(dates.iter().all(|d| {
        let at: chrono::DateTime<Utc> = d["starts_at"].as_str().unwrap().parse().unwrap();
        ["05:30", "04:30"].contains(&at.format("%H:%M").to_string().as_str())
    }));
    // In turn: five members, four mornings each.
    let hosts: Vec<usize> = dates
        .iter()
        .map(|d| {
            group
                .members
                .iter()
                .position(|m| d["host"] == m.id.as_str())
                .expect("every morning has someone to take it")
        })
        .collect();
    for member in 0..5 {
        assert_eq!(
            hosts.iter().filter(|h| **h == member).count(),
            4,
            "{hosts:?}"
        );
    }
    // Sent again with its key: the same answer, no second series.
    let again: Value = post().await.unwrap().json().await.unwrap();
    assert_eq!(again, added);
    assert_eq!(group.space(0).await["dates"].as_array().unwrap().len(), 20);

    // One mail to each member with an email, listing their own turns.
    let mails = app.outbox().await;
    let rota: Vec<&(String, String, String)> = mails
        .iter()
        .filter(|(_, _, kind)| kind == "group_rota")
        .collect();
    assert_eq!(rota.len(), 2, "Anna and Bo gave an email: {mails:?}");
    assert!(rota
        .iter()
        .all(|(_, subject, _)| subject.ends_with(": 20 aftaler")));
    let anna = app.mail_text("anna@example.dk", "group_rota").await;
    assert!(anna.contains("Du er foreslået til 4:"), "{anna}");
    assert!(anna.contains("kl. 06:30"), "{anna}");

    // The day before Anna's first morning only Anna is reminded.
    let annas = dates[hosts.iter().position(|h| *h == 0).unwrap()]["starts_at"]
        .as_str()
        .unwrap()
        .parse::<chrono::DateTime<Utc>>()
        .unwrap();
    let sent = sammen_backend::reminders::send_due(&app.db, annas - Duration::hours(14))
        .await
        .unwrap();
    assert_eq!(sent, 1);
    let reminders: Vec<(String, String, String)> = app
        .outbox()
        .await
        .into_iter()
        .filter(|(_, _, kind)| kind == "group_reminder")
        .collect();
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].0, "anna@example.dk");
    assert!(reminders[0].1.starts_with("I morgen er det din tur"));

    // A morning Bo took is held: only Bo is asked how it went.
    let bos = dates[hosts.iter().position(|h| *h == 1).unwrap()]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(group.change(4, &bos, "done").await.0, StatusCode::OK);
    let check_ins: Vec<String> = app
        .outbox()
        .await
        .into_iter()
        .filter(|(_, _, kind)| kind == "check_in")
        .map(|(to, _, _)| to)
        .collect();
    assert_eq!(check_ins, ["bo@example.dk"]);

    // The plan changes: the rest of the rota is cancelled at once; the
    // morning held stays held.
    let series = dates[0]["series_id"].as_str().unwrap().to_string();
    assert!(dates.iter().all(|d| d["series_id"] == series.as_str()));
    let (status, space) = group
        .call(
            2,
            Method::POST,
            &format!("/api/v1/group/date-series/{series}/cancel"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{space}");
    let statuses: Vec<&str> = space["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == "done").count(), 1);
    assert_eq!(statuses.iter().filter(|s| **s == "cancelled").count(), 19);
    let (status, _) = group
        .call(
            2,
            Method::POST,
            &format!("/api/v1/group/date-series/{}/cancel", uuid::Uuid::new_v4()),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn a_rota_that_cannot_be_is_refused_field_by_field(app: TestApp) {
    let group = handed_over_group(&app).await;
    let first = monday_after(2);
    let refused = |body: Value| {
        let group = &group;
        async move {
            let (status, answer) = group
                .call(0, Method::POST, "/api/v1/group/date-series", Some(body))
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
            assert_eq!(answer["error"]["code"], "validation_failed");
            answer["error"].clone()
        }
    };
    let day = |offset: i64| (first + Duration::days(offset)).to_string();
    // No weekday, the end before the start.
    let error =
        refused(json!({"weekdays": [], "from": day(7), "until": day(0), "time": "06:30"})).await;
    assert_eq!(error["field_codes"]["weekdays"], "required");
    assert_eq!(error["field_codes"]["until"], "ends_before_start");
    assert_eq!(
        error["fields"]["until"],
        "Den sidste dag skal ligge på eller efter den første."
    );
    // Every day for half a year is too many dates; two years too long.
    let error = refused(json!({
        "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "from": day(0), "until": day(180), "time": "06:30"
    }))
    .await;
    assert_eq!(error["field_codes"]["until"], "too_many_dates");
    let error =
        refused(json!({"weekdays": ["sat"], "from": day(0), "until": day(730), "time": "06:30"}))
            .await;
    assert_eq!(error["field_codes"]["until"], "period_too_long");
    // A day in the past, a day and a time not as asked.
    let error = refused(
        json!({"weekdays": ["mon"], "from": "2020-01-06", "until": day(7), "time": "6.30"}),
    )
    .await;
    assert_eq!(error["field_codes"]["from"], "date_in_past");
    assert_eq!(error["field_codes"]["time"], "invalid_time");
    let error = refused(
        json!({"weekdays": ["mon"], "from": "1. december", "until": day(7), "time": "06:30"}),
    )
    .await;
    assert_eq!(error["field_codes"]["from"], "invalid_date");
    // A Saturday rota over Monday to Friday has no date at all.
    let error =
        refused(json!({"weekdays": ["sat"], "from": day(0), "until": day(4), "time": "06:30"}))
            .await;
    assert_eq!(error["field_codes"]["weekdays"], "no_date_in_period");
    // An unknown weekday is JSON of the wrong shape, named by its place.
    let (status, answer) = group
        .call(
            0,
            Method::POST,
            "/api/v1/group/date-series",
            Some(
                json!({"weekdays": ["someday"], "from": day(0), "until": day(4), "time": "06:30"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["error"]["code"], "invalid_body");
    assert!(
        answer["error"]["fields"]["weekdays[0]"].is_string(),
        "{answer}"
    );
    // Nothing was added, nobody was mailed; a dead link is a 404.
    assert!(group.space(0).await["dates"].as_array().unwrap().is_empty());
    assert!(!app
        .outbox()
        .await
        .iter()
        .any(|(_, _, kind)| kind == "group_rota"));
    let response = app
        .client
        .post(app.url("/api/v1/group/date-series"))
        .bearer_auth("0".repeat(64))
        .json(&json!({"weekdays": ["mon"], "from": day(0), "until": day(7), "time": "06:30"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
