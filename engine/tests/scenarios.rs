//! The two stories the engine was built for, checked against facts anyone
//! can verify by hand: Nordfyns' snow clearing and Regnbuen's playdate groups.

use sammen_engine::composer::{compose, Lock, Member, Rules};
use sammen_engine::matching::{rank, Need, Offer, Reason};
use sammen_shared::geo::GeoPoint;
use sammen_shared::offer::Area;
use sammen_shared::signup::AgeBand;
use sammen_shared::week::{Weekday, WeeklySlot};
use sammen_shared::Lang;
use uuid::Uuid;
use Weekday::*;

const WEEKDAYS: [Weekday; 5] = [Mon, Tue, Wed, Thu, Fri];

/// A point `north`/`east` km from `origin`.
fn at(origin: GeoPoint, north: f64, east: f64) -> GeoPoint {
    GeoPoint {
        lat: origin.lat + north / 111.195,
        lon: origin.lon + east / (111.195 * origin.lat.to_radians().cos()),
    }
}

mod nordfyns {
    use super::*;

    const OTTERUP: GeoPoint = GeoPoint {
        lat: 55.5151,
        lon: 10.3976,
    };

    /// 30 volunteers with snow shovels on a 1 km grid. Every fifth is free
    /// only on Saturday mornings; the others on two weekday mornings,
    /// 06:30–08:30. Radius 3 km (even) or 5 km (odd).
    fn volunteers() -> Vec<Offer> {
        (0..30)
            .map(|i| {
                let slots = if i % 5 == 4 {
                    vec![slot(Sat, "09:00", "12:00")]
                } else {
                    vec![
                        slot(WEEKDAYS[i % 5], "06:30", "08:30"),
                        slot(WEEKDAYS[(i + 2) % 5], "06:30", "08:30"),
                    ]
                };
                Offer {
                    offer_id: Uuid::from_u128(i as u128),
                    skills: vec![],
                    tools: vec!["Sneskovl".into()],
                    slots,
                    area: Area {
                        name: "Otterup".into(),
                        point: Some(at(OTTERUP, (i % 6) as f64 - 2.5, (i / 6) as f64 - 2.0)),
                        radius_km: if i % 2 == 0 { 3 } else { 5 },
                    },
                    languages: vec!["da".into()],
                }
            })
            .collect()
    }

    /// 10 elderly addresses along a road through town.
    fn addresses() -> Vec<GeoPoint> {
        (0..10)
            .map(|a| at(OTTERUP, a as f64 * 0.5 - 2.5, (a % 3) as f64 - 1.0))
            .collect()
    }

    fn slot(day: Weekday, from: &str, to: &str) -> WeeklySlot {
        WeeklySlot {
            day,
            from: from.into(),
            to: to.into(),
        }
    }

    /// Snow every weekday morning: 07:00–09:00, Monday to Friday.
    fn need(place: GeoPoint) -> Need {
        Need {
            tools: vec!["snow shovel".into()],
            place: Some(place),
            slots: WEEKDAYS
                .iter()
                .map(|d| slot(*d, "07:00", "09:00"))
                .collect(),
            people: 3,
            languages: vec![],
            skills: vec![],
        }
    }

    /// By hand: a volunteer can help at an address when free some weekday
    /// morning (everyone but every fifth) and the address is within reach.
    fn can_help(offer: &Offer, place: GeoPoint) -> bool {
        let weekday_mornings = offer.slots.iter().any(|s| WEEKDAYS.contains(&s.day));
        let km = offer.area.point.unwrap().distance_km(place);
        weekday_mornings && km <= f64::from(offer.area.radius_km)
    }

    #[test]
    fn every_address_gets_exactly_the_volunteers_who_can_come_nearest_first() {
        let offers = volunteers();
        for (a, place) in addresses().into_iter().enumerate() {
            let matches = rank(&need(place), &offers, 30);
            let mut matched: Vec<u128> = matches.iter().map(|m| m.offer_id.as_u128()).collect();
            let expected: Vec<u128> = offers
                .iter()
                .filter(|o| can_help(o, place))
                .map(|o| o.offer_id.as_u128())
                .collect();
            assert!(!expected.is_empty(), "address {a} has helpers");
            // Everyone has a shovel and 3 hours of the 10 asked, so only the
            // distance orders them.
            let distances: Vec<f64> = matches
                .iter()
                .map(|m| {
                    offers[m.offer_id.as_u128() as usize]
                        .area
                        .point
                        .unwrap()
                        .distance_km(place)
                })
                .collect();
            assert!(
                distances.windows(2).all(|w| w[0] <= w[1] + 1e-9),
                "address {a}"
            );
            matched.sort();
            assert_eq!(matched, expected, "address {a}");
            assert!(
                matched.iter().all(|id| id % 5 != 4),
                "nobody free only on Saturday"
            );
            for m in &matches {
                assert!(m.reasons.contains(&Reason::HasTool {
                    tool: "Sneskovl".into()
                }));
            }
        }
    }

    #[test]
    fn the_reasons_read_as_a_coordinator_writes_them() {
        let offers = volunteers();
        // Address 5 is 1 km east of the centre; volunteers 20 and 21 are
        // 0.5 km south and north of it; 20 is the first of the two.
        let place = addresses()[5];
        let best = &rank(&need(place), &offers, 3)[0];
        assert_eq!(best.offer_id.as_u128(), 20);
        let texts = |lang| {
            best.reasons
                .iter()
                .map(|r| r.text(lang))
                .collect::<Vec<String>>()
        };
        // Volunteer 20 is free Mon and Wed (20 % 5 = 0, + 2).
        assert_eq!(
            texts(Lang::Da),
            ["0,5 km", "har sneskovl", "fri man/ons formiddag"]
        );
        assert_eq!(
            texts(Lang::En),
            ["0.5 km", "has snow shovel", "free Mon/Wed mornings"]
        );
    }

    #[test]
    fn snow_teams_get_one_address_each_and_a_shared_morning() {
        // Volunteers who can come on weekday mornings, and the addresses
        // (needing support), composed into ten teams.
        let mut members: Vec<Member> = volunteers()
            .into_iter()
            .filter(|o| o.offer_id.as_u128() % 5 != 4)
            .map(|o| Member {
                id: o.offer_id,
                point: o.area.point,
                days: o.slots.iter().map(|s| s.day).collect(),
                age_band: None,
                languages: o.languages,
                needs_support: false,
            })
            .collect();
        for (a, place) in addresses().into_iter().enumerate() {
            members.push(Member {
                id: Uuid::from_u128(100 + a as u128),
                point: Some(place),
                days: WEEKDAYS.to_vec(),
                age_band: None,
                languages: vec!["da".into()],
                needs_support: true,
            });
        }
        assert_eq!(members.len(), 34);
        let teams = compose(&members, &Rules::sizes(3, 4), 2025).unwrap();
        assert_eq!(teams.groups.len(), 10);
        assert_eq!(teams.score.groups_without_shared_day, 0);
        for team in &teams.groups {
            let addresses = team.members.iter().filter(|id| id.as_u128() >= 100).count();
            assert_eq!(addresses, 1, "team {}: {:?}", team.index, team.members);
            assert!(!team.shared_days.is_empty());
            assert!((3..=4).contains(&team.members.len()));
            assert_eq!(team.newcomers[0].established, team.members.len() - 1);
        }
    }
}

mod regnbuen {
    use super::*;

    const REGNBUEN: GeoPoint = GeoPoint {
        lat: 55.7308,
        lon: 9.1153,
    };
    const ARABIC_NEWCOMER: u128 = 3;
    const ARABIC_FAMILY: u128 = 22;
    const UKRAINIAN_NEWCOMER: u128 = 9;
    const DARI_NEWCOMER: u128 = 20;

    /// 23 families within 3 km of Regnbuen, each free two weekday
    /// afternoons (family i: day i mod 5 and the next). Three are new in the
    /// area: one speaks Arabic only, one Ukrainian and English, one Dari
    /// only. One established family (22) speaks Danish and Arabic, 1.8 km
    /// from the Arabic-speaking newcomer (3), whose nearest neighbour with a
    /// shared afternoon (8) lives 1 km away.
    fn families() -> Vec<Member> {
        (0..23u128)
            .map(|i| {
                let angle = i as f64 * 2.4;
                let km = 0.4 + (i % 7) as f64 * 0.4;
                let mut member = Member {
                    id: Uuid::from_u128(i),
                    point: Some(at(REGNBUEN, km * angle.sin(), km * angle.cos())),
                    days: vec![WEEKDAYS[i as usize % 5], WEEKDAYS[(i as usize + 1) % 5]],
                    age_band: Some(if i % 4 == 0 {
                        AgeBand::Toddler
                    } else {
                        AgeBand::Preschool
                    }),
                    languages: vec!["da".into()],
                    needs_support: false,
                };
                match i {
                    ARABIC_NEWCOMER => {
                        member.needs_support = true;
                        member.languages = vec!["ar".into()];
                    }
                    UKRAINIAN_NEWCOMER => {
                        member.needs_support = true;
                        member.languages = vec!["uk".into(), "en".into()];
                    }
                    DARI_NEWCOMER => {
                        member.needs_support = true;
                        member.languages = vec!["prs".into()];
                    }
                    ARABIC_FAMILY => member.languages.push("ar".into()),
                    _ => {}
                }
                member
            })
            .collect()
    }

    fn group_of(composition: &sammen_engine::Composition, id: u128) -> &sammen_engine::Group {
        composition
            .groups
            .iter()
            .find(|g| g.members.contains(&Uuid::from_u128(id)))
            .expect("everyone is in a group")
    }

    #[test]
    fn the_arabic_speaking_newcomer_and_the_arabic_family_are_placed_together() {
        let families = families();
        let at_distance = families[ARABIC_NEWCOMER as usize]
            .point
            .unwrap()
            .distance_km(families[ARABIC_FAMILY as usize].point.unwrap());
        assert!((1.0..2.5).contains(&at_distance), "{at_distance}");
        let composition = compose(&families, &Rules::sizes(4, 6), 1).unwrap();
        // 23 families of 4 to 6: five groups (23 / 5, the middle size).
        assert_eq!(composition.groups.len(), 5);
        let group = group_of(&composition, ARABIC_NEWCOMER);
        assert!(group.members.contains(&Uuid::from_u128(ARABIC_FAMILY)));
        let newcomer = group
            .newcomers
            .iter()
            .find(|n| n.member_id.as_u128() == ARABIC_NEWCOMER)
            .unwrap();
        assert_eq!(newcomer.shared_language.as_deref(), Some("ar"));
        let text: Vec<String> = group.reasons.iter().map(|r| r.text(Lang::En)).collect();
        assert!(
            text.iter()
                .any(|t| t.ends_with("shares Arabic with someone")),
            "{text:?}"
        );
    }

    #[test]
    fn every_group_shares_an_afternoon_and_newcomers_are_spread() {
        let composition = compose(&families(), &Rules::sizes(4, 6), 1).unwrap();
        assert_eq!(composition.score.groups_without_shared_day, 0);
        assert_eq!(composition.groups.len(), 5);
        assert!(composition
            .groups
            .iter()
            .all(|g| (4..=6).contains(&g.members.len())));
        let newcomer_groups: Vec<usize> = [ARABIC_NEWCOMER, UKRAINIAN_NEWCOMER, DARI_NEWCOMER]
            .iter()
            .map(|id| group_of(&composition, *id).index)
            .collect();
        let mut distinct = newcomer_groups.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 3, "three newcomers in three groups");
        for group in &composition.groups {
            assert!(!group.shared_days.is_empty());
            assert!(group.max_distance_km.unwrap() < 6.0);
            for newcomer in &group.newcomers {
                assert!(newcomer.established >= 3);
            }
        }
        // Nobody else speaks Dari: the group says so.
        let dari = group_of(&composition, DARI_NEWCOMER);
        assert!(dari
            .reasons
            .iter()
            .any(|r| r.text(Lang::Da).ends_with("intet fælles sprog")));
    }

    #[test]
    fn locked_families_stay_when_the_coordinator_runs_it_again() {
        let families = families();
        let first = compose(&families, &Rules::sizes(4, 6), 1).unwrap();
        // The coordinator moves family 0 and family 1 into group 4 by hand
        // and locks them, then composes the rest again.
        let mut rules = Rules::sizes(4, 6);
        rules.locks = vec![
            Lock {
                member_id: Uuid::from_u128(0),
                group: 4,
            },
            Lock {
                member_id: Uuid::from_u128(1),
                group: 4,
            },
        ];
        let again = compose(&families, &rules, 1).unwrap();
        let group = &again.groups[4];
        assert!(group.members.contains(&Uuid::from_u128(0)));
        assert!(group.members.contains(&Uuid::from_u128(1)));
        assert_eq!(again.score.groups_without_shared_day, 0);
        // Family 0 (Mon, Tue) and 1 (Tue, Wed) share Tuesday.
        assert!(group.shared_days.contains(&Tue));
        assert_eq!(again, compose(&families, &rules, 1).unwrap(), "same seed");
        assert_eq!(first.groups.len(), again.groups.len());
    }
}
