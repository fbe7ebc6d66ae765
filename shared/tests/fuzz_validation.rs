//! Fuzzing the edge: arbitrary strings, numbers and JSON-shaped input thrown
//! at every parser and check in `shared`. None may panic; what they accept
//! respects its limits and parses to itself again (normal forms are fixed
//! points), so the server and the widget agree on it.

use proptest::prelude::*;
use sammen_shared::admin::{parse_origin, parse_slug};
use sammen_shared::consent::{parse_consent_version, ConsentForm, CONSENT_VERSION};
use sammen_shared::geo::GeoPoint;
use sammen_shared::initiative::{Known, NeedInput, NewInitiative, PlaceInput};
use sammen_shared::lang::parse_language_codes;
use sammen_shared::offer::{AreaInput, NewOffer};
use sammen_shared::person::{parse_email, parse_phone, ContactInput};
use sammen_shared::signup::{FamilyInput, NewSignup};
use sammen_shared::text::{self, parse_keywords, parse_optional_text, parse_text, TextRule};
use sammen_shared::week::{minutes_of_day, parse_slots, Weekday, WeeklySlot};
use sammen_shared::{FieldErrors, Lang};

/// Text as citizens and attackers type it: Danish and Arabic letters,
/// control characters, line breaks, lone surrogates are impossible in Rust
/// strings, so everything else printable too.
fn messy_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,200}",
        "[ \t\r\na-zæøåÆØÅ0-9@.+()-]{0,80}",
        "[\\x00-\\x1f\\x7f ]{0,10}[a-z]{0,5}",
        "[\u{0600}-\u{06ff} ]{0,50}",
        Just(String::new()),
        ".{4000,4100}",
    ]
}

/// Mostly what a person would type, sometimes anything: enough valid input
/// reaches the round-trip checks (see `enough_fuzzed_proposals_are_valid`).
fn typed_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[A-Za-zæøåÆØÅ][A-Za-zæøå0-9 ,.-]{2,60}",
        1 => messy_text(),
    ]
}

fn typed_email() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        2 => Just(None),
        2 => "[a-z]{1,10}@[a-z]{1,10}\\.dk".prop_map(Some),
        1 => proptest::option::of(messy_text()),
    ]
}

fn typed_phone() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        2 => Just(None),
        2 => "\\+45 [0-9]{8}".prop_map(Some),
        1 => proptest::option::of(messy_text()),
    ]
}

fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        -200.0f64..200.0,
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(-0.0),
    ]
}

fn weekday() -> impl Strategy<Value = Weekday> {
    prop_oneof![
        Just(Weekday::Mon),
        Just(Weekday::Tue),
        Just(Weekday::Wed),
        Just(Weekday::Thu),
        Just(Weekday::Fri),
        Just(Weekday::Sat),
        Just(Weekday::Sun),
    ]
}

fn time_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "(0?[0-9]|1[0-9]|2[0-3]):[0-5][0-9]",
        1 => "[0-9]{1,2}:[0-9]{2}",
        1 => "[0-9: ]{0,6}",
        1 => ".{0,8}",
    ]
}

fn slot() -> impl Strategy<Value = WeeklySlot> {
    (weekday(), time_text(), time_text()).prop_map(|(day, from, to)| WeeklySlot { day, from, to })
}

fn contact() -> impl Strategy<Value = ContactInput> {
    (typed_text(), typed_email(), typed_phone()).prop_map(|(name, email, phone)| ContactInput {
        name,
        email,
        phone,
    })
}

fn point() -> impl Strategy<Value = (Option<f64>, Option<f64>)> {
    prop_oneof![
        2 => Just((None, None)),
        2 => (-90.0f64..=90.0, -180.0f64..=180.0).prop_map(|(lat, lon)| (Some(lat), Some(lon))),
        1 => (proptest::option::of(any_f64()), proptest::option::of(any_f64())),
    ]
}

fn new_initiative() -> impl Strategy<Value = NewInitiative> {
    let needs = proptest::collection::vec(
        (
            typed_text(),
            prop_oneof![3 => proptest::option::of(0u32..600), 1 => proptest::option::of(any::<u32>())],
            proptest::collection::vec(typed_text(), 0..3),
            proptest::collection::vec(slot(), 0..3),
        ),
        0..4,
    );
    let text = (
        typed_text(),
        typed_text(),
        proptest::option::of(typed_text()),
        prop_oneof![3 => Just("snow_clearing".to_string()), 1 => messy_text()],
        prop_oneof![
            2 => Just(None),
            2 => Just(Some("regnbuen".to_string())),
            1 => proptest::option::of(messy_text()),
        ],
        proptest::option::of(typed_text()),
    );
    (text, typed_text(), point(), needs, contact()).prop_map(
        |(
            (title, summary, audience, category, institution, when),
            place,
            (lat, lon),
            needs,
            contact,
        )| {
            NewInitiative {
                title,
                summary,
                audience,
                category,
                institution,
                place: PlaceInput {
                    name: place,
                    lat,
                    lon,
                },
                when,
                needs: needs
                    .into_iter()
                    .map(|(title, people_wanted, skills, slots)| NeedInput {
                        title,
                        people_wanted,
                        skills,
                        tools: Vec::new(),
                        slots,
                    })
                    .collect(),
                contact,
                lang: None,
                page: None,
            }
        },
    )
}

const CATEGORIES: [&str; 2] = ["snow_clearing", "playdate_group"];

fn known_lists() -> (Vec<String>, Vec<String>) {
    (
        CATEGORIES.iter().map(|c| c.to_string()).collect(),
        vec!["regnbuen".to_string()],
    )
}

/// The round trip below means something only if valid proposals come up.
#[test]
fn enough_fuzzed_proposals_are_valid() {
    use proptest::strategy::ValueTree;
    let (categories, institutions) = known_lists();
    let known = Known {
        categories: &categories,
        institutions: &institutions,
    };
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = new_initiative();
    let valid = (0..1000)
        .filter(|_| {
            let input = strategy.new_tree(&mut runner).expect("a value").current();
            input.parse(known).is_ok()
        })
        .count();
    assert!(
        valid >= 50,
        "only {valid} of 1000 fuzzed proposals were valid"
    );
    assert!(
        valid <= 950,
        "{valid} of 1000 fuzzed proposals were valid: too few bad ones"
    );
}

const RULES: [TextRule; 6] = [
    text::TITLE,
    text::LABEL,
    text::OPTIONAL_LABEL,
    text::KEYWORD,
    text::BODY,
    text::OPTIONAL_BODY,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn text_rules_hold_and_accepted_text_is_its_own_normal_form(raw in messy_text()) {
        for rule in RULES {
            if let Ok(text) = parse_text(&raw, rule) {
                let length = text.chars().count();
                prop_assert!(length >= rule.min && length <= rule.max);
                prop_assert_eq!(text.trim(), text.as_str());
                prop_assert!(!text.chars().any(|c| c.is_control() && !(rule.multiline && (c == '\n' || c == '\t'))));
                prop_assert_eq!(parse_text(&text, rule), Ok(text.clone()));
            }
            if let Ok(Some(text)) = parse_optional_text(Some(&raw), rule) {
                prop_assert!(!text.is_empty() && text.chars().count() <= rule.max);
            }
        }
    }

    #[test]
    fn keywords_are_few_short_and_distinct(raw in proptest::collection::vec(messy_text(), 0..25)) {
        let mut errors = FieldErrors::new();
        let words = parse_keywords(&raw, 20, "skills", &mut errors);
        prop_assert!(words.len() <= 20 && words.len() <= raw.len());
        for (i, word) in words.iter().enumerate() {
            prop_assert!((1..=60).contains(&word.chars().count()));
            prop_assert!(!words[..i].contains(word));
        }
        if errors.is_empty() {
            let mut again = FieldErrors::new();
            prop_assert_eq!(parse_keywords(&words, 20, "skills", &mut again), words.clone());
            prop_assert!(again.is_empty());
        }
    }

    #[test]
    fn emails_and_phones_are_plausible_and_stable(raw in messy_text()) {
        if let Ok(Some(email)) = parse_email(Some(&raw)) {
            prop_assert!(email.contains('@') && email.len() <= 254);
            prop_assert!(!email.chars().any(char::is_whitespace));
            prop_assert_eq!(parse_email(Some(&email)), Ok(Some(email.clone())));
        }
        if let Ok(Some(phone)) = parse_phone(Some(&raw)) {
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            prop_assert!((6..=15).contains(&digits));
            prop_assert_eq!(parse_phone(Some(&phone)), Ok(Some(phone.clone())));
        }
    }

    #[test]
    fn slugs_and_origins_are_plain_ascii(raw in messy_text(), separator in prop_oneof![Just('-'), Just('_')]) {
        if let Ok(slug) = parse_slug(&raw, separator) {
            prop_assert!((2..=40).contains(&slug.len()));
            prop_assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == separator));
            prop_assert_eq!(parse_slug(&slug, separator), Ok(slug.clone()));
        }
        if let Ok(origin) = parse_origin(&raw) {
            prop_assert!(origin.starts_with("https://") || origin.starts_with("http://"));
            prop_assert!(!origin.ends_with('/') && origin.is_ascii());
            prop_assert_eq!(parse_origin(&origin), Ok(origin.clone()));
        }
        let _ = Lang::negotiate(&raw);
        let _ = Lang::from_tag(&raw);
        let version = parse_consent_version(Some(&raw), ConsentForm::Offer);
        prop_assert!(version.is_err() || version == Ok(CONSENT_VERSION.to_string()));
    }

    #[test]
    fn times_slots_and_points_stay_in_range(
        raw in time_text(),
        slots in proptest::collection::vec(slot(), 0..25),
        (lat, lon) in point(),
        languages in proptest::collection::vec(".{0,5}", 0..12),
    ) {
        if let Ok(minutes) = minutes_of_day(&raw) {
            prop_assert!(minutes <= 24 * 60);
        }
        let mut errors = FieldErrors::new();
        let parsed = parse_slots(&slots, "slots", &mut errors);
        prop_assert!(parsed.len() <= 21);
        for slot in &parsed {
            let (from, to) = slot.minutes().expect("a parsed slot reads back");
            prop_assert!(from < to && to <= 24 * 60);
            prop_assert_eq!(slot.from.len(), 5);
        }
        let mut errors = FieldErrors::new();
        if let Some(point) = GeoPoint::parse_optional(lat, lon, "place", &mut errors) {
            prop_assert!(errors.is_empty());
            prop_assert!(point.lat.abs() <= 90.0 && point.lon.abs() <= 180.0);
            let coarse = point.coarse();
            prop_assert!(coarse.lat.abs() <= 90.0 && coarse.lon.abs() <= 180.0);
            prop_assert!((coarse.lat - point.lat).abs() <= 0.0005 + f64::EPSILON);
            prop_assert_eq!(coarse.coarse(), coarse);
        }
        let mut errors = FieldErrors::new();
        let codes = parse_language_codes(&languages, "languages", &mut errors);
        prop_assert!(codes.len() <= 10);
        prop_assert!(codes.iter().all(|c| (2..=3).contains(&c.len()) && c.chars().all(|c| c.is_ascii_lowercase())));
    }

    #[test]
    fn a_proposal_that_parses_parses_again_to_itself(input in new_initiative()) {
        let (categories, institutions) = known_lists();
        let known = Known { categories: &categories, institutions: &institutions };
        if let Ok(proposal) = input.parse(known) {
            prop_assert!(proposal.needs.len() <= sammen_shared::initiative::MAX_NEEDS);
            prop_assert!((3..=120).contains(&proposal.title.chars().count()));
            prop_assert!(categories.contains(&proposal.category));
            // The checked values, typed in again, are accepted unchanged.
            let again = NewInitiative {
                title: proposal.title.clone(),
                summary: proposal.summary.clone(),
                audience: proposal.audience.clone(),
                category: proposal.category.clone(),
                institution: proposal.institution.clone(),
                place: PlaceInput {
                    name: proposal.place.name.clone(),
                    lat: proposal.place.point.map(|p| p.lat),
                    lon: proposal.place.point.map(|p| p.lon),
                },
                when: proposal.when.clone(),
                needs: proposal.needs.iter().map(|n| NeedInput {
                    title: n.title.clone(),
                    people_wanted: Some(n.people_wanted),
                    skills: n.skills.clone(),
                    tools: n.tools.clone(),
                    slots: n.slots.clone(),
                }).collect(),
                contact: ContactInput {
                    name: proposal.contact.name.clone(),
                    email: proposal.contact.email.clone(),
                    phone: proposal.contact.phone.clone(),
                },
                lang: Some(proposal.lang),
                page: None,
            };
            prop_assert_eq!(again.parse(known), Ok(proposal));
        }
    }

    #[test]
    fn signups_and_offers_never_panic_and_keep_children_to_an_age_band(
        contact in contact(),
        message in proptest::option::of(messy_text()),
        area in messy_text(),
        (lat, lon) in point(),
        afternoons in proptest::collection::vec(weekday(), 0..10),
        skills in proptest::collection::vec(messy_text(), 0..22),
        slots in proptest::collection::vec(slot(), 0..4),
        radius in proptest::option::of(any::<u32>()),
        note in proptest::option::of(messy_text()),
        sees in 0..3usize,
    ) {
        use sammen_shared::signup::OrganiserSees;
        let sees = [OrganiserSees::Name, OrganiserSees::Email, OrganiserSees::Phone][sees];
        let signup = NewSignup {
            organiser_sees: sees,
            need_id: None,
            contact: contact.clone(),
            message,
            family: Some(FamilyInput {
                child_age_band: Some(sammen_shared::signup::AgeBand::Preschool),
                area: area.clone(),
                lat,
                lon,
                free_afternoons: afternoons,
                languages: vec!["da".into()],
                new_in_area: false,
            }),
        };
        if let Ok(parsed) = signup.parse("playdate_group", &[]) {
            // What the organiser may see was given.
            match parsed.organiser_sees {
                OrganiserSees::Email => prop_assert!(parsed.contact.email.is_some()),
                OrganiserSees::Phone => prop_assert!(parsed.contact.phone.is_some()),
                OrganiserSees::Name => {}
            }
            let family = parsed.family.expect("a family");
            prop_assert!(family.free_afternoons.len() <= 7);
            if let Some(home) = family.home {
                prop_assert_eq!(home.coarse(), home);
            }
            let json = serde_json::to_string(&family).unwrap();
            prop_assert!(!json.contains("birth") && !json.contains("child_name"));
        }
        let offer = NewOffer {
            contact,
            skills,
            tools: Vec::new(),
            slots,
            area: AreaInput { name: area, lat, lon, radius_km: radius },
            languages: Vec::new(),
            note,
            institution: None,
        };
        if let Ok(parsed) = offer.parse(&[]) {
            prop_assert!((1..=100).contains(&parsed.area.radius_km));
            prop_assert!(parsed.skills.len() <= 20);
            prop_assert!(!parsed.skills.is_empty() || !parsed.slots.is_empty());
        }
    }

    #[test]
    fn json_shaped_bodies_never_panic(raw in prop_oneof![
        ".{0,300}",
        r#"\{"(title|contact|needs|place|area|family|slots)": ?(null|1e999|-1|"[^"]{0,20}"|\[\]|\{\}|true)\}"#,
    ]) {
        // What the server does first with a body: read it into the input types.
        let _ = serde_json::from_str::<NewInitiative>(&raw);
        let _ = serde_json::from_str::<NewSignup>(&raw);
        let _ = serde_json::from_str::<NewOffer>(&raw);
        let _ = serde_json::from_str::<sammen_shared::privacy::FormExtras>(&raw);
        if let Ok(input) = serde_json::from_str::<NewInitiative>(&raw) {
            let none: [String; 0] = [];
            let _ = input.parse(Known { categories: &none, institutions: &none });
        }
    }
}
