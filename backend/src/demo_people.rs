//! The people of the demo: families who joined the playdate groups at
//! Regnbuen and volunteers who offered help in Nordfyns and Odense. Made up,
//! but shaped like the real cases: most families established and
//! Danish-speaking, a few new in the area (two speaking Arabic, one
//! Ukrainian); volunteers with and without snow shovels, free on different
//! mornings, living near and far; in Odense, homework helpers, interpreters,
//! a bicycle mender and gardeners in Vollsmose, Bolbro and the city centre,
//! speaking Arabic, Somali, Turkish and Ukrainian as well as Danish.

use sammen_shared::geo::GeoPoint;
use sammen_shared::signup::{AgeBand, Family};
use sammen_shared::week::{Weekday, WeeklySlot};

use Weekday::{Fri, Mon, Sat, Sun, Thu, Tue, Wed};

/// A family of the demo: a name and what it told Sammen when joining.
pub struct DemoFamily {
    pub name: String,
    pub family: Family,
}

const SURNAMES: [&str; 14] = [
    "Hansen",
    "Jensen",
    "Nielsen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Al-Sayed",
    "Haddad",
    "Kovalenko",
    "Madsen",
    "Kristensen",
];

/// Fourteen families around Billund, in the order they joined.
pub fn families() -> Vec<DemoFamily> {
    let areas = [
        ("Billund nord", 55.7390, 9.1080),
        ("Billund centrum", 55.7290, 9.1130),
        ("Billund syd", 55.7180, 9.1100),
        ("Billund øst", 55.7300, 9.1350),
    ];
    let day_patterns: [&[Weekday]; 5] = [
        &[Mon, Wed],
        &[Tue, Thu],
        &[Mon, Thu],
        &[Wed, Fri],
        &[Tue, Wed, Thu],
    ];
    SURNAMES
        .iter()
        .enumerate()
        .map(|(i, surname)| {
            let (area, lat, lon) = areas[i % areas.len()];
            // Spread the homes a little inside each area.
            let jitter = (i as f64 - 7.0) * 0.0006;
            let languages = match *surname {
                "Al-Sayed" | "Haddad" => vec!["ar".to_string()],
                "Kovalenko" => vec!["uk".to_string(), "en".to_string()],
                "Madsen" => vec!["da".to_string(), "ar".to_string()],
                _ => vec!["da".to_string()],
            };
            DemoFamily {
                name: format!("Familien {surname}"),
                family: Family {
                    child_age_band: if i % 4 == 3 {
                        AgeBand::Toddler
                    } else {
                        AgeBand::Preschool
                    },
                    area: area.to_string(),
                    home: Some(GeoPoint {
                        lat: lat + jitter,
                        lon: lon - jitter,
                    }),
                    free_afternoons: day_patterns[i % day_patterns.len()].to_vec(),
                    new_in_area: matches!(*surname, "Al-Sayed" | "Haddad" | "Kovalenko"),
                    languages,
                },
            }
        })
        .collect()
}

/// A volunteer of the demo and what they offered.
pub struct DemoVolunteer {
    pub name: &'static str,
    pub email: Option<&'static str>,
    pub phone: Option<&'static str>,
    pub tools: &'static [&'static str],
    pub skills: &'static [&'static str],
    pub slots: Vec<WeeklySlot>,
    pub area: (&'static str, f64, f64),
    pub radius_km: u32,
    pub languages: &'static [&'static str],
}

fn mornings(days: &[Weekday]) -> Vec<WeeklySlot> {
    slots(days, "07:00", "10:00")
}

/// The same hours on each of `days`.
pub fn slots(days: &[Weekday], from: &str, to: &str) -> Vec<WeeklySlot> {
    days.iter()
        .map(|day| WeeklySlot {
            day: *day,
            from: from.into(),
            to: to.into(),
        })
        .collect()
}

/// Eight volunteers in Nordfyns: snow clearing and child minding.
pub fn volunteers() -> Vec<DemoVolunteer> {
    vec![
        DemoVolunteer {
            name: "Ole Bak",
            email: Some("ole@example.dk"),
            phone: None,
            tools: &["sneskovl", "saltspreder"],
            skills: &[],
            slots: mornings(&[Mon, Tue, Wed, Thu, Fri]),
            area: ("Otterup", 55.5160, 10.3990),
            radius_km: 3,
            languages: &["da"],
        },
        DemoVolunteer {
            name: "Karin Holm",
            email: Some("karin@example.dk"),
            phone: Some("+45 20 11 22 33"),
            tools: &["sneskovl"],
            skills: &[],
            slots: mornings(&[Tue, Thu]),
            area: ("Otterup nord", 55.5300, 10.4000),
            radius_km: 5,
            languages: &["da", "en"],
        },
        DemoVolunteer {
            name: "Ahmad Rahimi",
            email: Some("ahmad@example.dk"),
            phone: None,
            tools: &["sneskovl"],
            skills: &[],
            slots: mornings(&[Mon, Wed, Fri]),
            area: ("Otterup", 55.5120, 10.3900),
            radius_km: 4,
            languages: &["fa", "da"],
        },
        DemoVolunteer {
            name: "Birthe Lund",
            email: None,
            phone: Some("+45 30 44 55 66"),
            tools: &[],
            skills: &["kaffe og snak"],
            slots: mornings(&[Mon, Tue, Wed, Thu, Fri]),
            area: ("Otterup", 55.5140, 10.4010),
            radius_km: 2,
            languages: &["da"],
        },
        DemoVolunteer {
            name: "Jonas Friis",
            email: Some("jonas@example.dk"),
            phone: None,
            tools: &["sneskovl"],
            skills: &[],
            slots: slots(&[Sat], "08:00", "12:00"),
            area: ("Otterup", 55.5150, 10.3980),
            radius_km: 5,
            languages: &["da"],
        },
        DemoVolunteer {
            name: "Mette Kjær",
            email: Some("mette@example.dk"),
            phone: None,
            tools: &["sneskovl"],
            skills: &[],
            slots: mornings(&[Mon, Tue, Wed, Thu, Fri]),
            area: ("Bogense", 55.5670, 10.0890),
            radius_km: 5,
            languages: &["da"],
        },
        DemoVolunteer {
            name: "Lise Dam",
            email: Some("lise@example.dk"),
            phone: None,
            tools: &[],
            skills: &["børnepasning"],
            slots: slots(&[Mon, Wed, Thu], "15:30", "18:00"),
            area: ("Bogense", 55.5650, 10.0900),
            radius_km: 3,
            languages: &["da"],
        },
        DemoVolunteer {
            name: "Peter Vang",
            email: Some("peter@example.dk"),
            phone: None,
            tools: &["snefræser"],
            skills: &[],
            slots: mornings(&[Mon, Tue, Wed, Thu, Fri]),
            area: ("Otterup syd", 55.5000, 10.3950),
            radius_km: 6,
            languages: &["da", "de"],
        },
    ]
}

/// Eleven volunteers in Odense: homework help and interpreting in Vollsmose,
/// walking companions, a bicycle mender and gardeners in Bolbro, a swimmer
/// by the harbour bath. Their free hours overlap the Odense initiatives'
/// needs unevenly, so matching has something to rank.
pub fn odense_volunteers() -> Vec<DemoVolunteer> {
    vec![
        DemoVolunteer {
            name: "Fatima Hassan",
            email: Some("fatima.hassan@example.dk"),
            phone: None,
            tools: &[],
            skills: &["lektiehjælp", "tolkning"],
            slots: slots(&[Mon, Wed], "15:00", "18:00"),
            area: ("Vollsmose", 55.4075, 10.4455),
            radius_km: 3,
            languages: &["ar", "da"],
        },
        DemoVolunteer {
            name: "Mads Kirkegaard",
            email: Some("mads.kirkegaard@example.dk"),
            phone: None,
            tools: &["ladcykel"],
            skills: &["lektiehjælp", "matematik"],
            slots: slots(&[Tue, Thu], "15:00", "18:00"),
            area: ("Odense C", 55.3960, 10.3880),
            radius_km: 5,
            languages: &["da", "en"],
        },
        DemoVolunteer {
            name: "Grethe Mortensen",
            email: None,
            phone: Some("+45 40 12 34 56"),
            tools: &[],
            skills: &["lektiehjælp", "dansk som andetsprog"],
            slots: slots(&[Mon, Tue, Wed, Thu], "14:30", "17:30"),
            area: ("Vollsmose", 55.4050, 10.4400),
            radius_km: 4,
            languages: &["da", "de"],
        },
        DemoVolunteer {
            name: "Layla Al-Khatib",
            email: Some("layla.alkhatib@example.dk"),
            phone: None,
            tools: &[],
            skills: &["lektiehjælp", "madlavning"],
            slots: slots(&[Tue, Wed], "15:00", "18:00"),
            area: ("Vollsmose", 55.4095, 10.4480),
            radius_km: 2,
            languages: &["ar", "da", "en"],
        },
        DemoVolunteer {
            name: "Abdi Warsame",
            email: Some("abdi.warsame@example.dk"),
            phone: Some("+45 50 23 45 67"),
            tools: &[],
            skills: &["tolkning"],
            slots: slots(&[Mon, Tue, Wed, Thu, Fri], "09:00", "13:00"),
            area: ("Vollsmose", 55.4090, 10.4470),
            radius_km: 6,
            languages: &["so", "da", "en"],
        },
        DemoVolunteer {
            name: "Olena Shevchenko",
            email: Some("olena.shevchenko@example.dk"),
            phone: None,
            tools: &[],
            skills: &["tolkning", "oversættelse"],
            slots: slots(&[Mon, Wed, Fri], "09:00", "14:00"),
            area: ("Bolbro", 55.3945, 10.3580),
            radius_km: 5,
            languages: &["uk", "ru", "en"],
        },
        DemoVolunteer {
            name: "Yusuf Demir",
            email: Some("yusuf.demir@example.dk"),
            phone: None,
            tools: &["bil"],
            skills: &["tolkning", "kørekort"],
            slots: slots(&[Tue, Thu], "09:00", "15:00"),
            area: ("Odense Ø", 55.4010, 10.4200),
            radius_km: 6,
            languages: &["tr", "ku", "da"],
        },
        DemoVolunteer {
            name: "Henrik Bech",
            email: Some("henrik.bech@example.dk"),
            phone: None,
            tools: &["værktøj", "cykelstativ"],
            skills: &["cykelreparation"],
            slots: [
                slots(&[Wed], "14:00", "17:00"),
                slots(&[Sat], "09:00", "13:00"),
            ]
            .concat(),
            area: ("Bolbro", 55.3960, 10.3600),
            radius_km: 4,
            languages: &["da"],
        },
        DemoVolunteer {
            name: "Emine Yılmaz",
            email: Some("emine.yilmaz@example.dk"),
            phone: None,
            tools: &["skovl"],
            skills: &["havearbejde", "madlavning"],
            slots: slots(&[Sat, Sun], "10:00", "14:00"),
            area: ("Bolbro", 55.3930, 10.3540),
            radius_km: 3,
            languages: &["tr", "da"],
        },
        DemoVolunteer {
            name: "Sofie Lauritsen",
            email: Some("sofie.lauritsen@example.dk"),
            phone: None,
            tools: &["trillebør", "skovl"],
            skills: &["havearbejde"],
            slots: slots(&[Sat], "09:00", "12:00"),
            area: ("Bolbro", 55.3950, 10.3560),
            radius_km: 2,
            languages: &["da", "en"],
        },
        DemoVolunteer {
            name: "Jens Thygesen",
            email: Some("jens.thygesen@example.dk"),
            phone: None,
            tools: &["handsker", "affaldsgriber"],
            skills: &["livredning", "svømning"],
            slots: slots(&[Sat, Sun], "08:00", "12:00"),
            area: ("Odense C", 55.4010, 10.3850),
            radius_km: 5,
            languages: &["da"],
        },
    ]
}
