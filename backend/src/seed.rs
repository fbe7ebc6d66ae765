//! Demo data from the cases our users gave us: Billund (the preschool
//! Regnbuen, Stenderup School), Nordfyns (snow clearing, child minding),
//! Skanderborg (a playground build, a bathing-area clean-up, a walking group)
//! and Odense, which wants to see the resources and effects of volunteering
//! across its areas (a homework café in Vollsmose, walking companions from
//! the volunteer centre, a repair café and a proposed community garden in
//! Bolbro, a harbour-bath clean-up, and a walking group that has finished,
//! with what came of it). Loaded once, by `SAMMEN_DEMO=1` or
//! `sammen seed-demo`.

use chrono::{Duration, Utc};
use sammen_shared::admin::Role;
use sammen_shared::initiative::{Need, PLAYDATE_GROUP};
use sammen_shared::status::Action;
use sammen_shared::week::{Weekday, WeeklySlot};
use uuid::Uuid;

use crate::accounts;
use crate::args;
use crate::db::{self, Db, Executor};
use crate::demo_people::{self, DemoVolunteer};
use crate::initiative::insert_needs;
use crate::token;

/// Where the demo institutions and areas are, as an admin would set it in
/// the console (`PUT /api/v1/admin/institutions/{slug}/point`).
const DEMO_POINTS: [(&str, f64, f64); 9] = [
    ("regnbuen", 55.7298, 9.1147),
    ("stenderup-skole", 55.7412, 9.0871),
    ("otterup", 55.5153, 10.3977),
    ("bogense", 55.5669, 10.0886),
    ("stilling-skole", 56.0611, 10.0004),
    ("skanderborg-so", 56.0316, 9.9376),
    ("vollsmose", 55.4090, 10.4260),
    ("bolbro", 55.3960, 10.3500),
    ("frivilligcenter", 55.3959, 10.3881),
];

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
    /// What came of it, for a `completed` initiative: the coordinator's
    /// message when marking it done.
    outcome: Option<&'static str>,
}

/// The slugs of the demo municipalities.
pub fn demo_municipalities() -> Vec<&'static str> {
    MUNICIPALITIES.iter().map(|m| m.slug).collect()
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

const MUNICIPALITIES: [Municipality; 4] = [
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
    Municipality {
        slug: "odense",
        name: "Odense Kommune",
        institutions: &[
            ("vollsmose", "Vollsmose", "area"),
            ("bolbro", "Bolbro", "area"),
            ("frivilligcenter", "Frivilligcenter Odense", "club"),
        ],
        origins: &["https://www.odense.dk"],
        extra_categories: &[("homework_cafe", "Lektiecaféer", "Homework cafés")],
        initiatives: odense,
        volunteers: demo_people::odense_volunteers,
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
            outcome: None,
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
            outcome: None,
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
            outcome: None,
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
            outcome: None,
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
            outcome: None,
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
            outcome: None,
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
            outcome: None,
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
            outcome: None,
        },
    ]
}

/// Odense's initiatives, oldest first: a walking group that has finished,
/// four running across the areas and one proposal waiting for a coordinator.
fn odense() -> Vec<Initiative> {
    let saturday = || demo_people::slots(&[Weekday::Sat], "10:00", "13:00");
    let tuesday = || demo_people::slots(&[Weekday::Tue], "10:00", "11:30");
    vec![
        Initiative {
            institution: Some("vollsmose"),
            category: "walking_group",
            title: "Gåtur for nye og gamle naboer i Vollsmose",
            summary: "Hver tirsdag formiddag går vi en time sammen gennem de grønne områder i \
                      Vollsmose og slutter med kaffe i beboerhuset. Turen er for alle, men især \
                      for dem, der er nye i området eller ikke kender så mange endnu.",
            audience: Some("Voksne i Vollsmose, også med barnevogn eller rollator"),
            place: ("Vollsmose Torv", 55.4070, 10.4440),
            when: "Tirsdage kl. 10–11.30 i fire uger",
            status: "completed",
            needs: vec![
                need("Naboer der vil gå med", 20, &[], &[], tuesday()),
                need(
                    "Gåværter der kender ruten",
                    2,
                    &["førstehjælp"],
                    &[],
                    tuesday(),
                ),
            ],
            signups: 16,
            outcome: Some(
                "Tak for fire gode tirsdage! 16 meldte sig, og vi var 10–12 på hver tur, \
                 heraf omkring halvdelen nye i området. Gruppen fortsætter på egen hånd og \
                 mødes fortsat ved beboerhuset tirsdag kl. 10.",
            ),
        },
        Initiative {
            institution: Some("vollsmose"),
            category: "homework_cafe",
            title: "Lektiecafé på Vollsmose Bibliotek",
            summary: "Frivillige hjælper skolebørn med lektierne fire eftermiddage om ugen. Der \
                      er saftevand og frugt, og forældrene er velkomne til at sidde med. Vi \
                      mangler især voksne, der kan hjælpe med matematik og dansk.",
            audience: Some("Elever i 1.–9. klasse i Vollsmose og omegn"),
            place: ("Vollsmose Bibliotek", 55.4085, 10.4450),
            when: "Mandag til torsdag kl. 15–17.30",
            status: "published",
            needs: vec![
                need(
                    "Frivillige til lektiehjælp",
                    6,
                    &["lektiehjælp"],
                    &[],
                    demo_people::slots(&Weekday::ALL[..4], "15:00", "17:30"),
                ),
                need(
                    "Nogen der kan tale med forældrene på arabisk eller somali",
                    2,
                    &["tolkning"],
                    &[],
                    vec![],
                ),
            ],
            signups: 4,
            outcome: None,
        },
        Initiative {
            institution: Some("frivilligcenter"),
            category: "other",
            title: "Følgevenner: med til lægen og kommunen",
            summary: "Nye borgere i Odense kan få en følgeven med til lægen, jobcentret eller et \
                      møde på skolen. Følgevennen hjælper med at finde vej, forstå breve og stille \
                      de rigtige spørgsmål, og taler gerne borgerens eget sprog.",
            audience: Some("Nyankomne borgere i Odense"),
            place: ("Frivilligcenter Odense", 55.3965, 10.3870),
            when: "Hverdage i dagtimerne, efter aftale",
            status: "published",
            needs: vec![
                need(
                    "Følgevenner der taler arabisk, somali, tyrkisk eller ukrainsk",
                    6,
                    &["tolkning"],
                    &[],
                    weekdays("09:00", "15:00"),
                ),
                need(
                    "Følgevenner med bil til ture uden for byen",
                    2,
                    &["kørekort"],
                    &["bil"],
                    vec![],
                ),
            ],
            signups: 3,
            outcome: None,
        },
        Initiative {
            institution: Some("bolbro"),
            category: "other",
            title: "Reparationscafé i Bolbro Brugerhus",
            summary: "Tag din cykel, lampe eller dine bukser med, så reparerer vi dem sammen i \
                      stedet for at smide dem ud. Frivillige viser, hvordan man gør, og der er \
                      kaffe på kanden.",
            audience: None,
            place: ("Bolbro Brugerhus", 55.3940, 10.3565),
            when: "Første lørdag i måneden kl. 10–13",
            status: "published",
            needs: vec![
                need(
                    "Frivillige der kan reparere cykler",
                    3,
                    &["cykelreparation"],
                    &["værktøj"],
                    saturday(),
                ),
                need(
                    "Nogen der kan sy og lappe tøj",
                    2,
                    &["syning"],
                    &["symaskine"],
                    saturday(),
                ),
            ],
            signups: 2,
            outcome: None,
        },
        Initiative {
            institution: None,
            category: "bathing_area",
            title: "Forårsoprydning ved Odense Havnebad",
            summary: "Inden badesæsonen samler vi affald langs kajen og omkring havnebadet, så \
                      det er rart at bade fra første solskinsdag. Kommunen stiller sække og \
                      affaldsgribere til rådighed.",
            audience: None,
            place: ("Odense Havnebad", 55.4062, 10.3862),
            when: "Lørdag 17. maj kl. 10–13",
            status: "published",
            needs: vec![need(
                "Hjælpere med handsker",
                12,
                &[],
                &["handsker"],
                vec![],
            )],
            signups: 7,
            outcome: None,
        },
        Initiative {
            institution: Some("bolbro"),
            category: "other",
            title: "Fælleshave bag Bolbro Brugerhus",
            summary: "Vi vil gerne bygge højbede på græsplænen bag brugerhuset, hvor naboer kan \
                      dyrke grøntsager og krydderurter sammen. Vi søger om lov til at bruge \
                      pladsen og om lidt penge til brædder og muld.",
            audience: Some("Naboer i Bolbro, også familier og dem uden egen have"),
            place: ("Græsplænen bag Bolbro Brugerhus", 55.3945, 10.3555),
            when: "Lørdage fra april kl. 10–13",
            status: "submitted",
            needs: vec![need(
                "Naboer der vil bygge højbede",
                6,
                &["havearbejde"],
                &["skovl", "trillebør"],
                saturday(),
            )],
            signups: 0,
            outcome: None,
        },
    ]
}

/// The demo's coordinators: (municipality, email, name, role, institutions).
const COORDINATORS: [(&str, &str, &str, Role, &[&str]); 7] = [
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
    ("odense", "admin@odense.demo", "Ole Olsen", Role::Admin, &[]),
    (
        "odense",
        "vera@vollsmose.demo",
        "Vera Vestergaard",
        Role::Coordinator,
        &["vollsmose"],
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
        let point = DEMO_POINTS
            .iter()
            .find(|(s, _, _)| s == slug)
            .map(|(_, lat, lon)| (*lat, *lon));
        db::execute(
            tx,
            "INSERT INTO institutions (municipality, slug, name, kind, lat, lon) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            args![
                m.slug,
                *slug,
                *name,
                *kind,
                point.map(|p| p.0),
                point.map(|p| p.1)
            ],
        )
        .await?;
    }
    crate::municipality::add_standard_categories(tx, m.slug, m.extra_categories).await?;
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
        // Published two days after it was proposed; a completed one was
        // published too, and marked done yesterday (its last change).
        let published = matches!(initiative.status, "published" | "completed")
            .then_some(created + Duration::days(2));
        let updated = if initiative.status == "completed" {
            now - Duration::days(1)
        } else {
            created
        };
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
             $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)",
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
                updated,
                published,
            ],
        )
        .await?;
        if let Some(outcome) = initiative.outcome {
            // What came of it: public among the results, and the
            // coordinator's message when marking it done.
            db::execute(
                tx,
                "UPDATE initiatives SET outcome = $1 WHERE id = $2",
                args![outcome, id],
            )
            .await?;
            db::execute(
                tx,
                "INSERT INTO messages (id, initiative_id, author, body, action, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
                args![
                    Uuid::new_v4(),
                    id,
                    "coordinator",
                    outcome,
                    Action::Complete.as_str(),
                    updated
                ],
            )
            .await?;
        }
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

#[cfg(test)]
mod tests {
    use sammen_engine::matching;
    use sammen_shared::geo::GeoPoint;
    use sammen_shared::initiative::{
        Known, NeedInput, NewInitiative, PlaceInput, DEFAULT_CATEGORIES,
    };
    use sammen_shared::municipality::InstitutionKind;
    use sammen_shared::offer::{AreaInput, NewOffer};
    use sammen_shared::person::ContactInput;
    use sammen_shared::status::Status;

    use super::*;

    fn categories(m: &Municipality) -> Vec<String> {
        DEFAULT_CATEGORIES
            .iter()
            .copied()
            .chain(m.extra_categories.iter().map(|(slug, _, _)| *slug))
            .map(String::from)
            .collect()
    }

    fn institutions(m: &Municipality) -> Vec<String> {
        m.institutions
            .iter()
            .map(|(slug, _, _)| slug.to_string())
            .collect()
    }

    fn offer(volunteer: &DemoVolunteer, institutions: &[String]) -> sammen_shared::offer::Offer {
        let typed = NewOffer {
            contact: ContactInput {
                name: volunteer.name.into(),
                email: volunteer.email.map(String::from),
                phone: volunteer.phone.map(String::from),
            },
            skills: volunteer.skills.iter().map(|s| s.to_string()).collect(),
            tools: volunteer.tools.iter().map(|s| s.to_string()).collect(),
            slots: volunteer.slots.clone(),
            area: AreaInput {
                name: volunteer.area.0.into(),
                lat: Some(volunteer.area.1),
                lon: Some(volunteer.area.2),
                radius_km: Some(volunteer.radius_km),
            },
            languages: volunteer.languages.iter().map(|s| s.to_string()).collect(),
            note: None,
            institution: None,
        };
        typed
            .parse(institutions)
            .unwrap_or_else(|e| panic!("{}: {e:?}", volunteer.name))
    }

    /// The demo data could have been typed into the widget: every initiative
    /// and offer passes the rules a citizen's would, in a state the seed can
    /// store, with an outcome exactly when it is completed.
    #[test]
    fn the_demo_data_passes_the_rules() {
        let mut slugs = Vec::new();
        for m in &MUNICIPALITIES {
            assert!(!slugs.contains(&m.slug), "{} twice", m.slug);
            slugs.push(m.slug);
            for (slug, _, kind) in m.institutions {
                assert!(InstitutionKind::parse(kind).is_some(), "{slug}: {kind}");
            }
            let (categories, institutions) = (categories(m), institutions(m));
            for initiative in (m.initiatives)() {
                let typed = NewInitiative {
                    title: initiative.title.into(),
                    summary: initiative.summary.into(),
                    audience: initiative.audience.map(String::from),
                    category: initiative.category.into(),
                    institution: initiative.institution.map(String::from),
                    place: PlaceInput {
                        name: initiative.place.0.into(),
                        lat: Some(initiative.place.1),
                        lon: Some(initiative.place.2),
                    },
                    when: Some(initiative.when.into()),
                    needs: initiative
                        .needs
                        .iter()
                        .map(|n| NeedInput {
                            title: n.title.clone(),
                            people_wanted: Some(n.people_wanted),
                            skills: n.skills.clone(),
                            tools: n.tools.clone(),
                            slots: n.slots.clone(),
                        })
                        .collect(),
                    contact: ContactInput {
                        name: "Demo Forslagsstiller".into(),
                        email: Some("forslag@example.dk".into()),
                        phone: None,
                    },
                    lang: None,
                    page: None,
                };
                let proposal = typed
                    .parse(Known {
                        categories: &categories,
                        institutions: &institutions,
                    })
                    .unwrap_or_else(|e| panic!("{}: {e:?}", initiative.title));
                assert_eq!(proposal.needs, initiative.needs, "{}", initiative.title);
                let status = Status::parse(initiative.status).expect(initiative.status);
                assert!(
                    matches!(
                        status,
                        Status::Submitted | Status::Published | Status::Completed
                    ),
                    "{}: the seed stores no {status}",
                    initiative.title
                );
                assert_eq!(
                    initiative.outcome.is_some(),
                    status == Status::Completed,
                    "{}",
                    initiative.title
                );
                if status == Status::Submitted {
                    assert_eq!(initiative.signups, 0, "nobody joins a proposal");
                }
            }
            for volunteer in (m.volunteers)() {
                offer(&volunteer, &institutions);
            }
        }
        for (municipality, email, _, role, scope) in COORDINATORS {
            let m = MUNICIPALITIES
                .iter()
                .find(|m| m.slug == municipality)
                .unwrap_or_else(|| panic!("{email}: no {municipality}"));
            assert_eq!(role == Role::Admin, scope.is_empty(), "{email}");
            for slug in scope {
                assert!(institutions(m).iter().any(|i| i == slug), "{email}: {slug}");
            }
        }
    }

    /// Odense's volunteers give the coordinator a choice: every open need
    /// asking for a skill or a tool has a volunteer who can come, and the
    /// homework café has several to rank.
    #[test]
    fn odense_needs_have_volunteers_to_rank() {
        let odense = MUNICIPALITIES.iter().find(|m| m.slug == "odense").unwrap();
        let institutions = institutions(odense);
        let offers: Vec<matching::Offer> = (odense.volunteers)()
            .iter()
            .map(|v| matching::Offer::from_parsed(Uuid::new_v4(), &offer(v, &institutions)))
            .collect();
        let initiatives = (odense.initiatives)();
        let statuses: Vec<&str> = initiatives.iter().map(|i| i.status).collect();
        assert!(statuses.contains(&"completed") && statuses.contains(&"submitted"));
        for initiative in initiatives.iter().filter(|i| i.status != "completed") {
            for need in &initiative.needs {
                if need.skills.is_empty() && need.tools.is_empty() {
                    continue;
                }
                let ranked = matching::rank(
                    &matching::Need {
                        skills: need.skills.clone(),
                        tools: need.tools.clone(),
                        place: Some(GeoPoint {
                            lat: initiative.place.1,
                            lon: initiative.place.2,
                        }),
                        slots: need.slots.clone(),
                        people: need.people_wanted,
                        languages: Vec::new(),
                    },
                    &offers,
                    50,
                );
                assert!(!ranked.is_empty(), "nobody for {}", need.title);
                if need.skills.iter().any(|s| s == "lektiehjælp") {
                    assert!(ranked.len() >= 3, "{ranked:?}");
                }
            }
        }
    }
}
