//! Matching volunteers to needs and composing groups, through the
//! coordinator's API: the Nordfyns snow-clearing case and the Regnbuen
//! playdate-group case, each checked against facts one can verify by hand.

use std::collections::{BTreeSet, HashMap};

use reqwest::{Method, StatusCode};
use sammen_tests::{good_proposal, on_both_databases, Console, TestApp};
use serde_json::{json, Value};

on_both_databases!(
    nordfyns_volunteers_are_matched_to_elderly_addresses,
    invitations_go_out_once_and_answers_are_marked,
    regnbuen_families_are_composed_into_groups,
    locks_hold_when_the_composer_runs_again,
    groups_are_saved_and_handed_over_with_private_links,
    bad_rules_and_strangers_get_clear_errors,
    a_coordinator_sets_when_a_need_is_wanted,
    escort_groups_are_composed_as_routes_to_the_school,
    a_route_is_worded_by_where_it_leads,
);

const WEEKDAYS: [&str; 5] = ["mon", "tue", "wed", "thu", "fri"];

/// Ten elderly neighbours' addresses, 0.05° of latitude (≈ 5.6 km) apart on
/// a line west of Bogense, far from the demo's volunteers.
fn address(i: usize) -> (f64, f64) {
    (55.45 + 0.05 * i as f64, 9.90)
}

fn mornings(days: &[&str]) -> Value {
    Value::Array(
        days.iter()
            .map(|d| json!({"day": d, "from": "07:00", "to": "09:00"}))
            .collect(),
    )
}

/// Proposes and publishes one snow-clearing initiative per address, each
/// needing one person with a snow shovel on weekday mornings.
async fn snow_addresses(app: &TestApp) -> Vec<(String, String)> {
    let mut made = Vec::new();
    for i in 0..10 {
        let (lat, lon) = address(i);
        let response = app
            .post_json(
                "/api/v1/municipalities/nordfyns/initiatives",
                &json!({
                    "title": format!("Snerydning hos nabo {}", i + 1),
                    "summary": "Fortov og indkørsel ryddes, når det har sneet.",
                    "category": "snow_clearing",
                    "institution": "otterup",
                    "place": {"name": format!("Adresse {}", i + 1), "lat": lat, "lon": lon},
                    "needs": [{
                        "title": "En med sneskovl",
                        "people_wanted": 1,
                        "tools": ["sneskovl"],
                        "slots": mornings(&WEEKDAYS)
                    }],
                    "contact": {"name": format!("Nabo {}", i + 1), "phone": "+45 11 22 33 44"}
                }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let created: Value = response.json().await.unwrap();
        let id = created["id"].as_str().unwrap().to_string();
        app.publish(&id).await;
        let detail = app
            .get_json(&format!("/api/v1/municipalities/nordfyns/initiatives/{id}"))
            .await;
        let need = detail["needs"][0]["id"].as_str().unwrap().to_string();
        made.push((id, need));
    }
    made
}

async fn offer(
    app: &TestApp,
    name: &str,
    tools: &[&str],
    days: &[&str],
    at: (f64, f64),
    radius: u32,
) {
    let response = app
        .post_json(
            "/api/v1/municipalities/nordfyns/offers",
            &json!({
                "contact": {"name": name, "email": format!("{}@example.dk", name.to_lowercase().replace(' ', "."))},
                "tools": tools,
                "slots": mornings(days),
                "area": {"name": "Nordfyn", "lat": at.0, "lon": at.1, "radius_km": radius},
                "languages": ["da"]
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "offer by {name}");
}

/// Thirty volunteers: for each address one neighbour 0.3 km away with a
/// shovel, free every weekday morning (radius 2 km); for addresses 1–5 also
/// one without a shovel; ten with shovels free only on Saturdays; five with
/// shovels on weekdays who live 20 km away and help within 5 km.
async fn thirty_volunteers(app: &TestApp) {
    for i in 0..10 {
        let (lat, lon) = address(i);
        offer(
            app,
            &format!("Nabo med skovl {i}"),
            &["sneskovl"],
            &WEEKDAYS,
            (lat + 0.0027, lon),
            2,
        )
        .await;
        offer(
            app,
            &format!("Lørdagshjælper {i}"),
            &["sneskovl"],
            &["sat"],
            (lat, lon),
            10,
        )
        .await;
    }
    for i in 0..5 {
        let (lat, lon) = address(i);
        offer(
            app,
            &format!("Nabo uden skovl {i}"),
            &[],
            &WEEKDAYS,
            (lat - 0.0018, lon),
            2,
        )
        .await;
        offer(
            app,
            &format!("Langt væk {i}"),
            &["sneskovl"],
            &WEEKDAYS,
            (lat, lon + 0.32),
            5,
        )
        .await;
    }
}

async fn matches(console: &Console<'_>, initiative: &str, need: &str) -> Value {
    let response = console
        .get(&format!(
            "/api/v1/admin/initiatives/{initiative}/needs/{need}/matches?limit=50"
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn names(matches: &Value) -> Vec<String> {
    matches["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["contact"]["name"].as_str().unwrap().to_string())
        .collect()
}

async fn nordfyns_volunteers_are_matched_to_elderly_addresses(app: TestApp) {
    let addresses = snow_addresses(&app).await;
    thirty_volunteers(&app).await;
    let console = app.sign_in("admin@nordfyns.demo").await;
    for (i, (initiative, need)) in addresses.iter().enumerate() {
        let found = matches(&console, initiative, need).await;
        assert!(found["offers_considered"].as_u64().unwrap() >= 30);
        let names = names(&found);
        // The neighbour with a shovel is first; with a radius of 2 km no
        // other address (5.6 km away) reaches them.
        assert_eq!(
            names[0],
            format!("Nabo med skovl {i}"),
            "address {i}: {names:?}"
        );
        let expected = if i < 5 {
            vec![
                format!("Nabo med skovl {i}"),
                format!("Nabo uden skovl {i}"),
            ]
        } else {
            vec![format!("Nabo med skovl {i}")]
        };
        assert_eq!(
            names, expected,
            "address {i}: Saturday-only and far-away volunteers are filtered out"
        );
        let top = &found["candidates"][0];
        let texts: Vec<&str> = top["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["text"].as_str().unwrap())
            .collect();
        assert!(texts.contains(&"har sneskovl"), "{texts:?}");
        let km = top["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["reason"]["kind"] == "distance")
            .map(|r| r["reason"]["km"].as_f64().unwrap())
            .unwrap();
        assert!((0.25..0.35).contains(&km), "0.3 km away, said {km}");
        assert!(
            top["contact"]["email"].as_str().is_some(),
            "the coordinator sees how to reach them"
        );
        if i < 5 {
            let second = &found["candidates"][1];
            assert!(second["score"].as_f64() < top["score"].as_f64());
            assert!(second["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["reason"]["kind"] == "lacks" && r["reason"]["item"] == "sneskovl"));
        }
    }
    // In English on request.
    let (initiative, need) = &addresses[0];
    let english: Value = console
        .request(
            Method::GET,
            &format!("/api/v1/admin/initiatives/{initiative}/needs/{need}/matches"),
        )
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let texts: Vec<&str> = english["candidates"][0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    assert!(texts.contains(&"has snow shovel"), "{texts:?}");
}

async fn invitations_go_out_once_and_answers_are_marked(app: TestApp) {
    let addresses = snow_addresses(&app).await;
    thirty_volunteers(&app).await;
    let console = app.sign_in("admin@nordfyns.demo").await;
    let mut invited = Vec::new();
    for (initiative, need) in &addresses {
        let found = matches(&console, initiative, need).await;
        let best = found["candidates"][0]["offer_id"]
            .as_str()
            .unwrap()
            .to_string();
        let path = format!("/api/v1/admin/initiatives/{initiative}/needs/{need}/invitations");
        for _ in 0..2 {
            let response = console
                .post(&path, &json!({"offer_ids": [best], "message": "Tak!"}))
                .await;
            assert_eq!(response.status(), StatusCode::CREATED);
            let list: Value = response.json().await.unwrap();
            assert_eq!(
                list.as_array().unwrap().len(),
                1,
                "inviting twice is one invitation"
            );
            assert_eq!(list[0]["status"], "invited");
            assert_eq!(list[0]["emailed"], true);
        }
        invited.push((initiative.clone(), need.clone(), best));
    }
    let emails: Vec<_> = app
        .outbox()
        .await
        .into_iter()
        .filter(|(_, _, kind)| kind == "invitation")
        .collect();
    assert_eq!(
        emails.len(),
        10,
        "one email per invited volunteer, not per click"
    );
    let recipients: BTreeSet<String> = emails.iter().map(|(to, _, _)| to.clone()).collect();
    let expected: BTreeSet<String> = (0..10)
        .map(|i| format!("nabo.med.skovl.{i}@example.dk"))
        .collect();
    assert_eq!(recipients, expected);
    assert!(emails[0].1.starts_with("Vil du hjælpe?"), "{}", emails[0].1);

    let (initiative, need, offer) = &invited[3];
    let found = matches(&console, initiative, need).await;
    let invitation = found["candidates"][0]["invitation"].clone();
    assert_eq!(invitation["offer_id"], offer.as_str());
    let response = console
        .request(
            Method::PUT,
            &format!(
                "/api/v1/admin/invitations/{}",
                invitation["id"].as_str().unwrap()
            ),
        )
        .json(&json!({"status": "accepted"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let found = matches(&console, initiative, need).await;
    assert_eq!(found["candidates"][0]["invitation"]["status"], "accepted");
    let audited = app
        .count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'invitation_answer'",
            vec![],
        )
        .await;
    assert_eq!(audited, 1);

    // A coordinator of Billund cannot see Nordfyns' invitation.
    let stranger = app.sign_in("admin@billund.demo").await;
    let response = stranger
        .request(
            Method::PUT,
            &format!(
                "/api/v1/admin/invitations/{}",
                invitation["id"].as_str().unwrap()
            ),
        )
        .json(&json!({"status": "declined"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

/// One family as the signup API takes it.
struct Family {
    name: String,
    days: &'static [&'static str],
    languages: &'static [&'static str],
    new_in_area: bool,
    email: bool,
    at: (f64, f64),
}

/// The Regnbuen case: 23 families. Twelve are free Monday and Wednesday
/// afternoons, eleven Tuesday and Thursday, so a partition in which every
/// group shares an afternoon exists only if the two halves are not mixed.
/// Three are new in the area: two speak Arabic (one in each half, where one
/// established family also speaks Arabic), one Ukrainian. Three gave no
/// email.
fn regnbuen_families() -> Vec<Family> {
    (0..23)
        .map(|i| {
            let first_half = i < 12;
            let (languages, new_in_area): (&'static [&'static str], bool) = match i {
                0 | 12 => (&["ar"], true),
                5 => (&["uk", "en"], true),
                3 | 15 => (&["da", "ar"], false),
                _ => (&["da"], false),
            };
            Family {
                name: format!("Familie {i:02}"),
                days: if first_half {
                    &["mon", "wed"]
                } else {
                    &["tue", "thu"]
                },
                languages,
                new_in_area,
                email: !matches!(i, 7 | 8 | 20),
                at: (
                    55.72 + 0.002 * (i % 6) as f64,
                    9.10 + 0.003 * (i % 5) as f64,
                ),
            }
        })
        .collect()
}

/// A fresh published playdate initiative at Regnbuen with the 23 families;
/// its id and the signup id of each family by name.
async fn regnbuen_with_families(app: &TestApp) -> (String, HashMap<String, String>) {
    let created = app.propose(&good_proposal()).await;
    let id = created["id"].as_str().unwrap().to_string();
    app.publish(&id).await;
    let path = format!("/api/v1/municipalities/billund/initiatives/{id}/signups");
    for family in regnbuen_families() {
        let mut contact = json!({"name": family.name, "phone": "+45 40 50 60 70"});
        if family.email {
            contact["email"] = json!(format!(
                "{}@example.dk",
                family.name.replace(' ', ".").to_lowercase()
            ));
        }
        let response = app
            .post_json(
                &path,
                &json!({
                    "contact": contact,
                    "family": {
                        "child_age_band": "3-5",
                        "area": "Billund",
                        "lat": family.at.0, "lon": family.at.1,
                        "free_afternoons": family.days,
                        "languages": family.languages,
                        "new_in_area": family.new_in_area
                    }
                }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let console = app.sign_in("pia@regnbuen.demo").await;
    let view: Value = console
        .get(&format!("/api/v1/admin/initiatives/{id}"))
        .await
        .json()
        .await
        .unwrap();
    let ids = view["signups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["contact"]["name"].as_str().unwrap().to_string(),
                s["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (id, ids)
}

async fn compose(console: &Console<'_>, id: &str, body: Value) -> Value {
    let response = console
        .post(&format!("/api/v1/admin/initiatives/{id}/compose"), &body)
        .await;
    let status = response.status();
    let json: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{json}");
    json
}

/// [`compose`] for a coordinator who reads English.
async fn compose_in_english(console: &Console<'_>, id: &str, body: &Value) -> Value {
    let response = console
        .request(
            Method::POST,
            &format!("/api/v1/admin/initiatives/{id}/compose"),
        )
        .header("Accept-Language", "en")
        .json(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn group_names(composition: &Value) -> Vec<Vec<String>> {
    composition["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            g["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["name"].as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

fn group_ids(composition: &Value) -> Vec<Vec<String>> {
    composition["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            g["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["signup_id"].as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

async fn regnbuen_families_are_composed_into_groups(app: TestApp) {
    let (id, _) = regnbuen_with_families(&app).await;
    let console = app.sign_in("pia@regnbuen.demo").await;
    let rules = json!({"rules": {"min_size": 4, "max_size": 6}, "seed": 7});
    let composition = compose(&console, &id, rules.clone()).await;
    let groups = group_names(&composition);

    let everyone: Vec<&String> = groups.iter().flatten().collect();
    let distinct: BTreeSet<&String> = everyone.iter().copied().collect();
    assert_eq!(everyone.len(), 23, "every family is placed");
    assert_eq!(distinct.len(), 23, "and only once");
    assert!(
        (4..=5).contains(&groups.len()),
        "23 families in groups of 4–6: {groups:?}"
    );
    assert!(
        groups.iter().all(|g| (4..=6).contains(&g.len())),
        "{groups:?}"
    );
    assert_eq!(composition["score"]["groups_without_shared_day"], 0);

    let number = |name: &String| name[8..].parse::<usize>().unwrap();
    for (group, view) in groups.iter().zip(composition["groups"].as_array().unwrap()) {
        let halves: BTreeSet<bool> = group.iter().map(|n| number(n) < 12).collect();
        assert_eq!(
            halves.len(),
            1,
            "Mon/Wed and Tue/Thu families are not mixed: {group:?}"
        );
        assert!(!view["shared_days"].as_array().unwrap().is_empty());
        assert!(
            view["reasons"][0].as_str().unwrap().starts_with("alle fri"),
            "{}",
            view["reasons"]
        );
        let newcomers = view["newcomers"].as_array().unwrap();
        assert!(newcomers.len() <= 1, "newcomers are spread: {group:?}");
        for newcomer in newcomers {
            assert!(newcomer["established"].as_u64().unwrap() >= 3);
        }
    }
    // The two Arabic-speaking newcomers each share a group with an
    // established family speaking Arabic.
    for arabic in ["Familie 00", "Familie 12"] {
        let view = composition["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| {
                g["members"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|m| m["name"] == arabic)
            })
            .unwrap();
        assert_eq!(
            view["newcomers"][0]["shared_language"], "ar",
            "{arabic}: {view}"
        );
    }

    let again = compose(&console, &id, rules).await;
    assert_eq!(again, composition, "the same seed gives the same groups");
}

async fn locks_hold_when_the_composer_runs_again(app: TestApp) {
    let (id, ids) = regnbuen_with_families(&app).await;
    let console = app.sign_in("pia@regnbuen.demo").await;
    let first = compose(
        &console,
        &id,
        json!({"rules": {"min_size": 4, "max_size": 6}, "seed": 1}),
    )
    .await;
    let count = first["groups"].as_array().unwrap().len();
    // The coordinator keeps Familie 04 and Familie 09 together in the last
    // group and re-runs the composer for the rest with another seed.
    let locks = json!([
        {"member_id": ids["Familie 04"], "group": count - 1},
        {"member_id": ids["Familie 09"], "group": count - 1}
    ]);
    for seed in [2, 3, 4] {
        let rerun = compose(
            &console,
            &id,
            json!({"rules": {"min_size": 4, "max_size": 6, "groups": count, "locks": locks}, "seed": seed}),
        )
        .await;
        let groups = group_names(&rerun);
        assert_eq!(groups.len(), count);
        assert!(
            groups[count - 1].contains(&"Familie 04".to_string()),
            "{groups:?}"
        );
        assert!(
            groups[count - 1].contains(&"Familie 09".to_string()),
            "{groups:?}"
        );
        assert_eq!(groups.iter().flatten().count(), 23);
    }

    // Moving a family by hand: the describe answer follows the move.
    let mut moved = group_ids(&first);
    let family = moved[0].pop().unwrap();
    moved[1].push(family.clone());
    let response = console
        .post(
            &format!("/api/v1/admin/initiatives/{id}/compose/describe"),
            &json!({"groups": moved}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let described: Value = response.json().await.unwrap();
    let as_sets = |groups: Vec<Vec<String>>| -> Vec<BTreeSet<String>> {
        groups
            .into_iter()
            .map(|g| g.into_iter().collect())
            .collect()
    };
    assert_eq!(as_sets(group_ids(&described)), as_sets(moved));
}

async fn groups_are_saved_and_handed_over_with_private_links(app: TestApp) {
    let (id, _) = regnbuen_with_families(&app).await;
    let console = app.sign_in("pia@regnbuen.demo").await;
    let composition = compose(
        &console,
        &id,
        json!({"rules": {"min_size": 4, "max_size": 6}}),
    )
    .await;
    let groups = group_ids(&composition);
    let path = format!("/api/v1/admin/initiatives/{id}/groups");

    let empty: Value = console.get(&path).await.json().await.unwrap();
    assert_eq!(empty["groups"], json!([]));
    for _ in 0..2 {
        // Saving again replaces the draft.
        let response = console
            .request(Method::PUT, &path)
            .json(&json!({"groups": groups}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    let saved: Value = console.get(&path).await.json().await.unwrap();
    assert_eq!(group_ids(&saved), groups);
    assert_eq!(saved["groups"][0]["name"], "Gruppe 1");
    assert_eq!(saved["handed_over"], false);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM group_members", vec![])
            .await,
        23,
        "the second save replaced the first"
    );

    let response = console.post(&format!("{path}/hand-over"), &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let handed: Value = response.json().await.unwrap();
    assert_eq!(handed["handed_over"], true);
    let links = handed["links_to_pass_on"].as_array().unwrap();
    let without_email: BTreeSet<&str> = links.iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(
        without_email,
        BTreeSet::from(["Familie 07", "Familie 08", "Familie 20"])
    );
    let group_links = app
        .outbox()
        .await
        .into_iter()
        .filter(|(_, _, kind)| kind == "group_link")
        .count();
    assert_eq!(group_links, 20, "every family with an email got its link");

    // The private link opens the group's welcome: no names, no contacts.
    let link = links[0]["link"].as_str().unwrap();
    let secret = link.split("sammen-group=").nth(1).unwrap();
    assert!(secret.len() >= 32, "at least 128 bits");
    let response = app
        .client
        .get(app.url("/api/v1/group"))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let welcome: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(welcome["initiative_title"], "Legegrupper for 3-5-årige");
    let members = welcome["members"].as_array().unwrap();
    assert!((4..=6).contains(&members.len()));
    assert!(!welcome["shared_days"].as_array().unwrap().is_empty());
    // Nobody agreed to share yet: the others are "Familie n", no contacts.
    for member in members.iter().filter(|m| m["is_me"] == false) {
        assert!(member["contact"].is_null(), "{member}");
        let label = member["label"].as_str().unwrap();
        assert!(
            label.len() == "Familie 1".len() && label.starts_with("Familie "),
            "{label}"
        );
    }
    assert!(!text.contains('@'), "{text}");
    let wrong = app
        .client
        .get(app.url("/api/v1/group"))
        .bearer_auth("0".repeat(64))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    let page = app.get("/group").await;
    assert_eq!(page.status(), StatusCode::OK);

    // Handed over: it happens once, and the groups can't be replaced.
    let again = console.post(&format!("{path}/hand-over"), &json!({})).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let replace = console
        .request(Method::PUT, &path)
        .json(&json!({"groups": groups}))
        .send()
        .await
        .unwrap();
    assert_eq!(replace.status(), StatusCode::CONFLICT);
}

async fn bad_rules_and_strangers_get_clear_errors(app: TestApp) {
    let (id, ids) = regnbuen_with_families(&app).await;
    let console = app.sign_in("pia@regnbuen.demo").await;
    let compose_path = format!("/api/v1/admin/initiatives/{id}/compose");
    let refused = |body: Value| {
        let console = &console;
        let path = compose_path.clone();
        async move {
            let response = console.post(&path, &body).await;
            let status = response.status();
            let json: Value = response.json().await.unwrap();
            (status, json)
        }
    };
    for (body, field) in [
        (
            json!({"rules": {"min_size": 0, "max_size": 6}}),
            "rules.min_size",
        ),
        (
            json!({"rules": {"min_size": 7, "max_size": 6}}),
            "rules.min_size",
        ),
        (
            json!({"rules": {"min_size": 4, "max_size": 6, "groups": 1}}),
            "rules.groups",
        ),
        (
            json!({"rules": {"min_size": 4, "max_size": 6, "effort": 100000}}),
            "rules.effort",
        ),
        (
            json!({"rules": {"min_size": 2, "max_size": u64::MAX, "groups": u64::MAX / 2}}),
            "rules.max_size",
        ),
        (
            json!({"rules": {"min_size": 4, "max_size": 6,
                "locks": [{"member_id": ids["Familie 01"], "group": u64::MAX}]}}),
            "rules.locks",
        ),
        (
            json!({"rules": {"min_size": 4, "max_size": 6, "locks": [{"member_id": id, "group": 0}]}}),
            "groups",
        ),
    ] {
        let (status, error) = refused(body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {error}");
        assert_eq!(error["error"]["code"], "validation_failed");
        assert!(
            error["error"]["fields"][field].is_string(),
            "{body}: {error}"
        );
    }
    let (status, error) = refused(json!({"rules": {"min_size": "four"}})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");

    // A hand-made draft that forgets a family, or names one twice.
    let all: Vec<&String> = ids.values().collect();
    let forgot = json!({"groups": [all[..22].to_vec()]});
    let twice = json!({"groups": [all.clone(), vec![all[0]]]});
    for draft in [forgot, twice, json!({"groups": [all.clone(), []]})] {
        let response = console
            .post(
                &format!("/api/v1/admin/initiatives/{id}/compose/describe"),
                &draft,
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let response = console
            .request(
                Method::PUT,
                &format!("/api/v1/admin/initiatives/{id}/groups"),
            )
            .json(&draft)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let hand_over_nothing = console
        .post(
            &format!("/api/v1/admin/initiatives/{id}/groups/hand-over"),
            &json!({}),
        )
        .await;
    assert_eq!(hand_over_nothing.status(), StatusCode::CONFLICT);

    // Matching: an unknown need, a bad limit, no one to invite.
    let view: Value = console
        .get(&format!("/api/v1/admin/initiatives/{id}"))
        .await
        .json()
        .await
        .unwrap();
    let need = view["proposal"]["needs"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let unknown = console
        .get(&format!(
            "/api/v1/admin/initiatives/{id}/needs/{id}/matches"
        ))
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let bad_limit = console
        .get(&format!(
            "/api/v1/admin/initiatives/{id}/needs/{need}/matches?limit=0"
        ))
        .await;
    assert_eq!(bad_limit.status(), StatusCode::BAD_REQUEST);
    let nobody = console
        .post(
            &format!("/api/v1/admin/initiatives/{id}/needs/{need}/invitations"),
            &json!({"offer_ids": []}),
        )
        .await;
    assert_eq!(nobody.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let not_an_offer = console
        .post(
            &format!("/api/v1/admin/initiatives/{id}/needs/{need}/invitations"),
            &json!({"offer_ids": [id]}),
        )
        .await;
    assert_eq!(not_an_offer.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Another institution's coordinator does not see the initiative at all;
    // without a session nobody does.
    let lars = app.sign_in("lars@stenderup.demo").await;
    for path in [
        format!("/api/v1/admin/initiatives/{id}/groups"),
        format!("/api/v1/admin/initiatives/{id}/needs/{need}/matches"),
    ] {
        assert_eq!(lars.get(&path).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(&path).await.status(), StatusCode::UNAUTHORIZED);
    }
    let response = lars
        .post(
            &compose_path,
            &json!({"rules": {"min_size": 4, "max_size": 6}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

/// A proposer writes "when" as free text, so the need has no times and the
/// ranking cannot tell a Saturday helper from a weekday one; the
/// coordinator sets the need's weekly times and the ranking follows.
async fn a_coordinator_sets_when_a_need_is_wanted(app: TestApp) {
    let (lat, lon) = (55.60, 10.10);
    let response = app
        .post_json(
            "/api/v1/municipalities/nordfyns/initiatives",
            &json!({
                "title": "Snerydning på Kirkevej",
                "summary": "Fortovet ryddes før skoletid, når det har sneet.",
                "category": "snow_clearing",
                "place": {"name": "Kirkevej 3", "lat": lat, "lon": lon},
                "when": "Hverdage tidligt om morgenen",
                "needs": [{"title": "En med sneskovl", "people_wanted": 1, "tools": ["sneskovl"]}],
                "contact": {"name": "Ingrid", "phone": "+45 11 22 33 44"}
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.publish(&id).await;
    let detail = app
        .get_json(&format!("/api/v1/municipalities/nordfyns/initiatives/{id}"))
        .await;
    let need = detail["needs"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(detail["needs"][0]["slots"], json!([]));
    offer(
        &app,
        "Anna Hverdag",
        &["sneskovl"],
        &WEEKDAYS,
        (lat + 0.002, lon),
        3,
    )
    .await;
    offer(
        &app,
        "Bo Weekend",
        &["sneskovl"],
        &["sat", "sun"],
        (lat - 0.002, lon),
        3,
    )
    .await;

    let console = app.sign_in("admin@nordfyns.demo").await;
    let before = names(&matches(&console, &id, &need).await);
    assert!(
        before.contains(&"Anna Hverdag".to_string()) && before.contains(&"Bo Weekend".to_string()),
        "without times both may help: {before:?}"
    );

    let path = format!("/api/v1/admin/initiatives/{id}/needs/{need}/slots");
    let response = console
        .request(Method::PUT, &path)
        .json(&json!({"slots": mornings(&WEEKDAYS)}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let saved: Value = response.json().await.unwrap();
    assert_eq!(saved["id"], need.as_str());
    assert_eq!(saved["slots"].as_array().unwrap().len(), 5);
    let after = names(&matches(&console, &id, &need).await);
    assert!(after.contains(&"Anna Hverdag".to_string()), "{after:?}");
    assert!(
        !after.contains(&"Bo Weekend".to_string()),
        "no shared time, so filtered out: {after:?}"
    );
    let public = app
        .get_json(&format!("/api/v1/municipalities/nordfyns/initiatives/{id}"))
        .await;
    assert_eq!(public["needs"][0]["slots"], saved["slots"]);

    // Bad times are field errors; nothing changes.
    let response = console
        .request(Method::PUT, &path)
        .json(&json!({"slots": [{"day": "mon", "from": "10:00", "to": "09:00"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = response.json().await.unwrap();
    assert!(
        problem["error"]["fields"]
            .as_object()
            .unwrap()
            .keys()
            .all(|k| k.starts_with("slots[0]")),
        "{problem}"
    );
    let public = app
        .get_json(&format!("/api/v1/municipalities/nordfyns/initiatives/{id}"))
        .await;
    assert_eq!(public["needs"][0]["slots"], saved["slots"]);

    // Another need, or another municipality's coordinator: not found.
    let response = console
        .request(
            Method::PUT,
            &format!("/api/v1/admin/initiatives/{id}/needs/{id}/slots"),
        )
        .json(&json!({"slots": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let stranger = app.sign_in("admin@billund.demo").await;
    let response = stranger
        .request(Method::PUT, &path)
        .json(&json!({"slots": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    let audit: Value = console
        .get("/api/v1/admin/audit")
        .await
        .json()
        .await
        .unwrap();
    assert!(audit
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "set_need_slots" && e["subject_id"] == need.as_str()));
}

/// Stilling Skole, where Skanderborg's walking bus walks to.
const STILLING_SKOLE: (f64, f64) = (56.0610, 9.9890);

/// A point `km_north`/`km_east` of Stilling Skole.
fn from_school(km_north: f64, km_east: f64) -> (f64, f64) {
    let (lat, lon) = STILLING_SKOLE;
    (
        lat + km_north / 111.195,
        lon + km_east / (111.195 * lat.to_radians().cos()),
    )
}

async fn escort_groups_are_composed_as_routes_to_the_school(app: TestApp) {
    let all = app
        .get_json("/api/v1/municipalities/skanderborg/initiatives?category=walking_group")
        .await;
    let bus = all["items"][0]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/municipalities/skanderborg/initiatives/{bus}/signups");
    // Three parents north of the school, three east, near and far on each
    // side; a seventh gives no home. The demo's three helpers give none
    // either: they fill groups wherever the sizes allow.
    let homes = [
        ("Nord 1", 0.4, 0.0),
        ("Øst 1", 0.0, 0.4),
        ("Nord 2", 0.9, -0.1),
        ("Øst 2", -0.1, 0.9),
        ("Nord 3", 1.5, 0.1),
        ("Øst 3", 0.1, 1.5),
    ];
    for (name, north, east) in homes {
        let (lat, lon) = from_school(north, east);
        let response = app
            .post_json(
                &path,
                &json!({
                    "contact": {"name": name, "email": format!("{}@example.dk", name.replace(' ', "").to_lowercase())},
                    "family": {"child_age_band": "6-9", "area": "Stilling", "lat": lat, "lon": lon}
                }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let response = app
        .post_json(
            &path,
            &json!({"contact": {"name": "Uden adresse", "phone": "+45 20 30 40 50"}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let console = app.sign_in("admin@skanderborg.demo").await;
    let rules = json!({"rules": {"min_size": 3, "max_size": 6, "groups": 2}, "seed": 3});
    let composition = compose(&console, &bus, rules.clone()).await;
    let names = group_names(&composition);
    assert_eq!(names.concat().len(), 10, "nobody is dropped: {names:?}");
    let mut routes: Vec<Vec<String>> = names
        .iter()
        .map(|group| {
            let mut homes: Vec<String> = group
                .iter()
                .filter(|n| n.starts_with("Nord") || n.starts_with("Øst"))
                .cloned()
                .collect();
            homes.sort();
            homes
        })
        .collect();
    routes.sort();
    assert_eq!(
        routes,
        [["Nord 1", "Nord 2", "Nord 3"], ["Øst 1", "Øst 2", "Øst 3"]],
        "{names:?}"
    );
    let reasons: Vec<String> = composition["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["reasons"][0].as_str().unwrap().to_string())
        .collect();
    for way in ["nord", "øst"] {
        assert!(
            reasons.iter().any(|r| r
                .starts_with(&format!("rute fra {way}: 3 hjem 0,4–1,5 km fra skolen; "))
                && r.ends_with("uden adresse")),
            "{reasons:?}"
        );
    }
    // The same in English, and the same groups for the same seed.
    let english = compose_in_english(&console, &bus, &rules).await;
    assert_eq!(group_names(&english), names);
    let first = english["groups"][0]["reasons"][0].as_str().unwrap();
    assert!(first.starts_with("route from the "), "{first}");
    assert!(first.contains(" homes 0.4–1.5 km from school"), "{first}");

    // Moved by hand (a northern and an eastern parent swap), each group is
    // still described as a route.
    let ids = group_ids(&composition);
    let at = |prefix: &str| -> (usize, usize) {
        names
            .iter()
            .enumerate()
            .find_map(|(g, group)| group.iter().position(|n| n == prefix).map(|m| (g, m)))
            .unwrap()
    };
    let (north, east) = (at("Nord 3"), at("Øst 3"));
    let mut moved = ids.clone();
    moved[north.0][north.1] = ids[east.0][east.1].clone();
    moved[east.0][east.1] = ids[north.0][north.1].clone();
    let described: Value = console
        .post(
            &format!("/api/v1/admin/initiatives/{bus}/compose/describe"),
            &json!({"groups": moved}),
        )
        .await
        .json()
        .await
        .unwrap();
    let texts: Vec<&str> = described["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["reasons"][0].as_str().unwrap())
        .collect();
    assert!(
        texts.iter().all(|t| t.starts_with("rute fra ")),
        "{texts:?}"
    );

    // A playdate group is no route: no school to walk to.
    let (regnbuen, _) = regnbuen_with_families(&app).await;
    let pia = app.sign_in("pia@regnbuen.demo").await;
    let playdates = compose(
        &pia,
        &regnbuen,
        json!({"rules": {"min_size": 4, "max_size": 6}, "seed": 7}),
    )
    .await;
    assert!(!playdates.to_string().contains("rute"), "{playdates}");
}

/// A point `km_north` of `(lat, lon)`.
fn north_of((lat, lon): (f64, f64), km_north: f64) -> (f64, f64) {
    (lat + km_north / 111.195, lon)
}

async fn a_route_is_worded_by_where_it_leads(app: TestApp) {
    // Walking groups whose goal is no school: a preschool's (the proposal
    // takes Regnbuen's point, having none of its own), a meeting point with
    // no institution, and a meeting point a kilometre from its school. Two
    // homes north of each goal, composed as one route.
    let regnbuen = (55.7298, 9.1147);
    let (school_lat, school_lon) = (56.0611, 10.0004);
    let gathering = (school_lat + 1.0 / 111.195, school_lon);
    let cases = [
        (
            "billund",
            "admin@billund.demo",
            json!({"institution": "regnbuen", "place": {"name": "Vi går fra børnehaven"}}),
            regnbuen,
            "fra Børnehaven Regnbuen",
            "from Børnehaven Regnbuen",
        ),
        (
            "skanderborg",
            "admin@skanderborg.demo",
            json!({"place": {"name": "Grønningen", "lat": 56.0600, "lon": 9.9930}}),
            (56.0600, 9.9930),
            "fra mødestedet",
            "from the meeting point",
        ),
        (
            "skanderborg",
            "admin@skanderborg.demo",
            json!({"institution": "stilling-skole",
                   "place": {"name": "Kirkepladsen", "lat": gathering.0, "lon": gathering.1}}),
            gathering,
            "fra mødestedet",
            "from the meeting point",
        ),
    ];
    for (municipality, admin, place, goal, da, en) in cases {
        let mut proposal = json!({
            "title": "Vi går sammen om morgenen",
            "summary": "Voksne skiftes til at gå med, hver morgen ad samme vej.",
            "category": "walking_group",
            "contact": {"name": "Katrine", "email": "katrine@example.dk"}
        });
        proposal
            .as_object_mut()
            .unwrap()
            .extend(place.as_object().unwrap().clone());
        let response = app
            .post_json(
                &format!("/api/v1/municipalities/{municipality}/initiatives"),
                &proposal,
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{place}");
        let created: Value = response.json().await.unwrap();
        let id = created["id"].as_str().unwrap().to_string();
        app.publish(&id).await;
        for (name, km) in [("Nær", 0.4), ("Fjern", 1.2)] {
            let (lat, lon) = north_of(goal, km);
            let response = app
                .post_json(
                    &format!("/api/v1/municipalities/{municipality}/initiatives/{id}/signups"),
                    &json!({
                        "contact": {"name": name, "phone": "+45 20 30 40 50"},
                        "family": {"child_age_band": "6-9", "area": "Her", "lat": lat, "lon": lon}
                    }),
                )
                .await;
            assert_eq!(response.status(), StatusCode::CREATED, "{place}");
        }
        let console = app.sign_in(admin).await;
        let rules = json!({"rules": {"min_size": 2, "max_size": 2}});
        let composition = compose(&console, &id, rules.clone()).await;
        assert_eq!(
            composition["groups"][0]["reasons"][0],
            format!("rute fra nord: 2 hjem 0,4–1,2 km {da}"),
            "{place}"
        );
        let english = compose_in_english(&console, &id, &rules).await;
        assert_eq!(
            english["groups"][0]["reasons"][0],
            format!("route from the north: 2 homes 0.4–1.2 km {en}"),
            "{place}"
        );
    }
}
