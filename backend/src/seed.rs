//! Demo data from the cases our users gave us: Billund (the preschool
//! Regnbuen, Stenderup School), Nordfyns (snow clearing, child minding) and
//! Skanderborg (a playground build, a bathing-area clean-up, a walking group).
//! Loaded once, by `SAMMEN_DEMO=1` or `sammen seed-demo`.

use chrono::{Duration, Utc};
use sammen_shared::admin::Role;
use sammen_shared::initiative::{Need, DEFAULT_CATEGORIES, PLAYDATE_GROUP};
use sammen_shared::week::{Weekday, WeeklySlot};
use uuid::Uuid;

use crate::admin::accounts;
use crate::api::proposals::insert_needs;
use crate::args;
use crate::db::{self, Db, Executor};
use crate::demo_people::{self, DemoVolunteer};
use crate::token;

struct Municipality {
    slug: &'static str,
    name: &'static str,
    institutions: &'static [(&'static str, &'static str, &'static str)],
    /// Web sites that embed the widget.
    origins: &'static [&'static str],
    extra_categories: &'static [(&'static str, &'static str, &'static str)],
    initiatives: fn() -> Vec<Initiative>,
    /// Offers of help, by volunteers of the municipality.
    volunteers: fn() -> Vec<DemoVolunteer>,
}

struct Initiative {
    institution: Option<&'static str>,
    category: &'static str,
    title: &'static str,
    summary: &'static str,
    audience: Option<&'static str>,
    place: (&'static str, f64, f64),
    when: &'static str,
    status: &'static str,
    needs: Vec<Need>,
    signups: usize,
}

/// The names of the categories every municipality starts with.
pub fn category_names(slug: &str) -> (&'static str, &'static str) {
    match slug {
        "playdate_group" => ("Legegrupper", "Playdate groups"),
        "snow_clearing" => ("Snerydning", "Snow clearing"),
        "playground_build" => ("Legepladsbyg", "Playground build"),
        "walking_group" => ("Gå-grupper", "Walking groups"),
        "bathing_area" => ("Badeområder", "Bathing areas"),
        _ => ("Andet", "Other"),
    }
}

fn need(title: &str, people: u32, skills: &[&str], tools: &[&str], slots: Vec<WeeklySlot>) -> Need {
    Need {
        title: title.into(),
        people_wanted: people,
        skills: skills.iter().map(|s| s.to_string()).collect(),
        tools: tools.iter().map(|s| s.to_string()).collect(),
        slots,
    }
}

fn weekdays(from: &str, to: &str) -> Vec<WeeklySlot> {
    Weekday::ALL[..5]
        .iter()
        .map(|day| WeeklySlot {
            day: *day,
            from: from.into(),
            to: to.into(),
        })
        .collect()
}

const MUNICIPALITIES: [Municipality; 3] = [
    Municipality {
        slug: "billund",
        name: "Billund Kommune",
        institutions: &[
            ("regnbuen", "Børnehaven Regnbuen", "preschool"),
            ("stenderup-skole", "Stenderup Skole", "school"),
        ],
        origins: &["https://www.billund.dk", "https://regnbuen.billund.dk"],
        extra_categories: &[],
        initiatives: billund,
        volunteers: Vec::new,
    },
    Municipality {
        slug: "nordfyns",
        name: "Nordfyns Kommune",
        institutions: &[
            ("otterup", "Otterup", "area"),
            ("bogense", "Bogense", "area"),
        ],
        origins: &["https://www.nordfynskommune.dk"],
        extra_categories: &[("child_minding", "Børnepasning", "Child minding")],
        initiatives: nordfyns,
        volunteers: demo_people::volunteers,
    },
    Municipality {
        slug: "skanderborg",
        name: "Skanderborg Kommune",
        institutions: &[
            ("stilling-skole", "Stilling Skole", "school"),
            ("skanderborg-so", "Skanderborg Sø", "area"),
        ],
        origins: &["https://www.skanderborg.dk"],
        extra_categories: &[],
        initiatives: skanderborg,
        volunteers: Vec::new,
    },
];

fn billund() -> Vec<Initiative> {
    vec![
        Initiative {
            institution: Some("regnbuen"),
            category: "playdate_group",
            title: "Legegrupper for børnene på Regnbuen",
            summary:
                "På forældremødet foreslog vi legegrupper: fire til seks familier, der skiftes \
                      til at have børnene hjemme en eftermiddag. Pædagogerne hjælper med at sætte \
                      grupperne sammen, og derefter klarer vi forældre resten selv.",
            audience: Some("Familier med børn på Regnbuen (3–5 år)"),
            place: ("Børnehaven Regnbuen, Billund", 55.7270, 9.1090),
            when: "En eftermiddag hver anden uge, fra januar",
            status: "published",
            needs: vec![need("Familier der vil være værter", 12, &[], &[], vec![])],
            signups: 14,
        },
        Initiative {
            institution: Some("stenderup-skole"),
            category: "other",
            title: "Sportseftermiddag for 0.–3. klasse",
            summary: "Forældre arrangerer boldspil, stafet og forhindringsbane i skolegården. \
                      Vi mangler voksne til posterne og nogen, der kan låne os udstyr.",
            audience: Some("Elever i 0.–3. klasse og deres søskende"),
            place: ("Stenderup Skole, skolegården", 55.6590, 9.1860),
            when: "Onsdag kl. 14–16 i maj",
            status: "published",
            needs: vec![
                need("Voksne til at stå ved en post", 6, &[], &[], vec![]),
                need(
                    "Lån af bolde og kegler",
                    1,
                    &[],
                    &["bolde", "kegler"],
                    vec![],
                ),
            ],
            signups: 3,
        },
        Initiative {
            institution: Some("regnbuen"),
            category: "other",
            title: "Fællesspisning for nye familier",
            summary: "Vi vil gerne invitere nye familier i området til fællesspisning i \
                      børnehaven, så de lærer andre forældre at kende.",
            audience: Some("Nye familier i Billund"),
            place: ("Børnehaven Regnbuen, Billund", 55.7270, 9.1090),
            when: "Første fredag i måneden kl. 17",
            status: "submitted",
            needs: vec![need(
                "Nogen der vil lave mad",
                3,
                &["madlavning"],
                &[],
                vec![],
            )],
            signups: 0,
        },
    ]
}

fn nordfyns() -> Vec<Initiative> {
    vec![
        Initiative {
            institution: Some("otterup"),
            category: "snow_clearing",
            title: "Snerydning hos ældre naboer i Otterup",
            summary: "Når sneen falder, rydder vi fortov og indkørsel hos ældre naboer, der ikke \
                      selv kan. Vi fordeler adresserne, så ingen skal gå langt.",
            audience: Some("Ældre og gangbesværede i Otterup"),
            place: ("Otterup", 55.5151, 10.3976),
            when: "Hverdagsmorgener, når det har sneet",
            status: "published",
            needs: vec![need(
                "Frivillige med sneskovl",
                8,
                &[],
                &["sneskovl"],
                weekdays("07:00", "09:00"),
            )],
            signups: 4,
        },
        Initiative {
            institution: Some("bogense"),
            category: "child_minding",
            title: "Naboer passer børn i Bogense",
            summary:
                "Forældre, der arbejder på skiftehold, hjælper hinanden med at hente og passe \
                      børnene et par timer, når institutionen lukker.",
            audience: Some("Familier i Bogense med børn under 10 år"),
            place: ("Bogense", 55.5670, 10.0890),
            when: "Hverdage kl. 16–18",
            status: "published",
            needs: vec![need(
                "Voksne der kan passe børn en eftermiddag",
                5,
                &["børnepasning"],
                &[],
                weekdays("16:00", "18:00"),
            )],
            signups: 2,
        },
    ]
}

fn skanderborg() -> Vec<Initiative> {
    vec![
        Initiative {
            institution: Some("stilling-skole"),
            category: "playground_build",
            title: "Vi bygger en legeplads i Stilling",
            summary: "Kommunen giver materialerne, vi bygger legepladsen sammen over tre \
                      weekender: klatrestativ, sandkasse og bænke.",
            audience: Some("Alle i Stilling, store og små"),
            place: ("Grønningen, Stilling", 56.0600, 9.9930),
            when: "Lørdage i april kl. 9–15",
            status: "published",
            needs: vec![
                need(
                    "Folk med håndværkerevner",
                    6,
                    &["tømrer", "snedker"],
                    &[],
                    vec![],
                ),
                need("Trailer til materialer", 2, &[], &["trailer"], vec![]),
            ],
            signups: 7,
        },
        Initiative {
            institution: Some("skanderborg-so"),
            category: "bathing_area",
            title: "Oprydning ved badestranden i Skanderborg Sø",
            summary: "Vi samler affald, river tang og gør badebroen klar til sommeren. \
                      Bagefter griller vi sammen.",
            audience: None,
            place: ("Badestranden ved Skanderborg Sø", 56.0330, 9.9380),
            when: "Søndag 1. juni kl. 10–13",
            status: "published",
            needs: vec![need(
                "Hjælpere med handsker og river",
                15,
                &[],
                &["handsker", "rive"],
                vec![],
            )],
            signups: 9,
        },
        Initiative {
            institution: Some("stilling-skole"),
            category: "walking_group",
            title: "Gå-bus: vi følger børn i skole",
            summary: "Voksne skiftes til at gå med en gruppe børn ad en fast rute til Stilling \
                      Skole om morgenen, så børnene kan gå sikkert og sammen.",
            audience: Some("Elever i 0.–4. klasse og deres forældre"),
            place: ("Stilling Skole", 56.0610, 9.9890),
            when: "Hverdagsmorgener kl. 7.30–8.15",
            status: "published",
            needs: vec![need(
                "Voksne der går med om morgenen",
                6,
                &[],
                &[],
                weekdays("07:30", "08:15"),
            )],
            signups: 3,
        },
    ]
}

/// The demo's coordinators: (municipality, email, name, role, institutions).
const COORDINATORS: [(&str, &str, &str, Role, &[&str]); 5] = [
    (
        "billund",
        "admin@billund.demo",
        "Birgitte Bach",
        Role::Admin,
        &[],
    ),
    (
        "billund",
        "pia@regnbuen.demo",
        "Pia Pædagog",
        Role::Coordinator,
        &["regnbuen"],
    ),
    (
        "billund",
        "lars@stenderup.demo",
        "Lars Lærer",
        Role::Coordinator,
        &["stenderup-skole"],
    ),
    (
        "nordfyns",
        "admin@nordfyns.demo",
        "Nina Nielsen",
        Role::Admin,
        &[],
    ),
    (
        "skanderborg",
        "admin@skanderborg.demo",
        "Søren Skov",
        Role::Admin,
        &[],
    ),
];

/// Loads the demo municipalities and their coordinators unless they are
/// there already. Safe to run from several processes at once: the first
/// insert decides who loads. The coordinators get `password`, or one made
/// up here and printed once.
pub async fn demo(db: &Db, password: Option<&str>) -> Result<bool, String> {
    let mut tx = db.begin().await.map_err(|e| e.to_string())?;
    let mut loaded = Vec::new();
    for municipality in &MUNICIPALITIES {
        let inserted = db::execute(
            &mut tx,
            "INSERT INTO municipalities (slug, name, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (slug) DO NOTHING",
            args![municipality.slug, municipality.name, Utc::now()],
        )
        .await
        .map_err(|e| e.to_string())?;
        if inserted == 1 {
            load_municipality(&mut tx, municipality)
                .await
                .map_err(|e| e.to_string())?;
            loaded.push(municipality.slug);
        }
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    if loaded.is_empty() {
        return Ok(false);
    }
    let made_up = password
        .is_none()
        .then(|| token::generate()[..20].to_string());
    let password = password.or(made_up.as_deref()).unwrap_or_default();
    for (municipality, email, name, role, institutions) in COORDINATORS {
        if !loaded.contains(&municipality) {
            continue;
        }
        let institutions: Vec<String> = institutions.iter().map(|s| s.to_string()).collect();
        accounts::create(
            db,
            accounts::NewCoordinator {
                municipality,
                email,
                name,
                role,
                institutions: &institutions,
                password,
            },
        )
        .await?;
    }
    tracing::info!("loaded the demo municipalities and coordinators");
    if let Some(password) = made_up {
        println!("Demo coordinators (admin@billund.demo, pia@regnbuen.demo, …) sign in with the password {password}");
    }
    Ok(true)
}

async fn load_municipality(tx: &mut impl Executor, m: &Municipality) -> Result<(), sqlx::Error> {
    for (slug, name, kind) in m.institutions {
        db::execute(
            tx,
            "INSERT INTO institutions (municipality, slug, name, kind) VALUES ($1, $2, $3, $4)",
            args![m.slug, *slug, *name, *kind],
        )
        .await?;
    }
    let defaults = DEFAULT_CATEGORIES.iter().map(|slug| {
        let (da, en) = category_names(slug);
        (*slug, da, en)
    });
    for (position, (slug, da, en)) in defaults
        .chain(m.extra_categories.iter().copied())
        .enumerate()
    {
        db::execute(
            tx,
            "INSERT INTO categories (municipality, slug, name_da, name_en, position) \
             VALUES ($1, $2, $3, $4, $5)",
            args![m.slug, slug, da, en, position as i64],
        )
        .await?;
    }
    // The demo page of `cargo xtask run` is also reachable as localhost.
    let demo = ["http://127.0.0.1:8080", "http://localhost:8080"];
    for origin in m.origins.iter().chain(demo.iter()) {
        db::execute(
            tx,
            "INSERT INTO allowed_origins (municipality, origin) VALUES ($1, $2)",
            args![m.slug, *origin],
        )
        .await?;
    }
    let now = Utc::now();
    for (age, initiative) in (m.initiatives)().into_iter().enumerate() {
        let id = Uuid::new_v4();
        let created = now - Duration::days(30 - age as i64);
        let published = (initiative.status == "published").then_some(created + Duration::days(2));
        let search = [
            initiative.title,
            initiative.summary,
            initiative.audience.unwrap_or(""),
            initiative.place.0,
            initiative.when,
        ]
        .join("\n")
        .to_lowercase();
        db::execute(
            tx,
            "INSERT INTO initiatives (id, municipality, institution, category, title, summary, \
             audience, place_name, lat, lon, time_text, search_text, status, version, lang, \
             contact_name, contact_email, contact_phone, follow_token_hash, created_at, \
             updated_at, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
             $12, $13, $14, $15, $16, $17, $18, $19, $20, $20, $21)",
            args![
                id,
                m.slug,
                initiative.institution,
                initiative.category,
                initiative.title,
                initiative.summary,
                initiative.audience,
                initiative.place.0,
                initiative.place.1,
                initiative.place.2,
                initiative.when,
                search,
                initiative.status,
                1i64,
                "da",
                "Demo Forslagsstiller",
                "forslag@example.dk",
                None::<String>,
                token::hash(&token::generate()),
                created,
                published,
            ],
        )
        .await?;
        let needs = insert_needs(tx, id, &initiative.needs)
            .await
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        let families = demo_people::families();
        for n in 0..initiative.signups {
            // Playdate groups are joined as families, so the coordinator
            // has someone to compose groups from.
            let family = (initiative.category == PLAYDATE_GROUP)
                .then(|| families.get(n))
                .flatten();
            let name = family
                .map(|f| f.name.clone())
                .unwrap_or_else(|| format!("Demo deltager {}", n + 1));
            let family = family
                .map(|f| serde_json::to_string(&f.family))
                .transpose()
                .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
            db::execute(
                tx,
                "INSERT INTO signups (id, initiative_id, need_id, contact_name, family, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
                args![
                    Uuid::new_v4(),
                    id,
                    needs.first().copied(),
                    name,
                    family,
                    created + Duration::minutes(n as i64)
                ],
            )
            .await?;
        }
    }
    for (n, volunteer) in (m.volunteers)().into_iter().enumerate() {
        let list = |items: &[&str]| {
            serde_json::to_string(items).map_err(|e| sqlx::Error::Protocol(e.to_string()))
        };
        let slots = serde_json::to_string(&volunteer.slots)
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        db::execute(
            tx,
            "INSERT INTO offers (id, municipality, institution, contact_name, contact_email, \
             contact_phone, skills, tools, slots, languages, area_name, lat, lon, radius_km, \
             note, created_at) VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
             $13, NULL, $14)",
            args![
                Uuid::new_v4(),
                m.slug,
                volunteer.name,
                volunteer.email,
                volunteer.phone,
                list(volunteer.skills)?,
                list(volunteer.tools)?,
                slots,
                list(volunteer.languages)?,
                volunteer.area.0,
                volunteer.area.1,
                volunteer.area.2,
                volunteer.radius_km,
                now - Duration::days(20) + Duration::hours(n as i64)
            ],
        )
        .await?;
    }
    Ok(())
}
