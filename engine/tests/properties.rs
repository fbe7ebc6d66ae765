//! Properties that hold for any input: checked on random small instances.

use proptest::prelude::*;
use sammen_engine::composer::{compose, exhaustive_optimum, Lock, Member, Rules};
use sammen_engine::matching::{rank, Need, Offer};
use sammen_shared::geo::GeoPoint;
use sammen_shared::offer::Area;
use sammen_shared::signup::AgeBand;
use sammen_shared::week::{Weekday, WeeklySlot};
use uuid::Uuid;

const BANDS: [AgeBand; 5] = [
    AgeBand::Toddler,
    AgeBand::Preschool,
    AgeBand::YoungSchool,
    AgeBand::OlderSchool,
    AgeBand::Teen,
];
const SIZES: [(usize, usize); 6] = [(1, 2), (2, 3), (2, 4), (3, 4), (3, 5), (4, 6)];

fn member() -> impl Strategy<Value = Member> {
    (
        0u8..32,
        (-0.03f64..0.03, -0.05f64..0.05),
        proptest::option::weighted(0.9, 0usize..5),
        proptest::bool::weighted(0.25),
        0u8..8,
    )
        .prop_map(|(days, (dlat, dlon), band, support, languages)| Member {
            id: Uuid::nil(),
            point: Some(GeoPoint {
                lat: 55.73 + dlat,
                lon: 9.11 + dlon,
            }),
            // Bit d: free on weekday d; none means "not said".
            days: (0..5)
                .filter(|d| days >> d & 1 == 1)
                .map(|d| Weekday::ALL[d])
                .collect(),
            age_band: band.map(|b| BANDS[b]),
            languages: ["da", "ar", "uk"]
                .iter()
                .enumerate()
                .filter(|(i, _)| languages >> i & 1 == 1)
                .map(|(_, l)| l.to_string())
                .collect(),
            needs_support: support,
        })
}

/// Up to `most` members with distinct ids, rules, maybe a lock into group 0.
fn instance(most: usize) -> impl Strategy<Value = (Vec<Member>, Rules, u64)> {
    (
        proptest::collection::vec(member(), 1..=most),
        0..SIZES.len(),
        proptest::option::of(any::<prop::sample::Index>()),
        any::<u64>(),
    )
        .prop_map(|(mut members, sizes, lock, seed)| {
            for (i, member) in members.iter_mut().enumerate() {
                member.id = Uuid::from_u128(i as u128 + 1);
            }
            let mut rules = Rules::sizes(SIZES[sizes].0, SIZES[sizes].1);
            if let Some(index) = lock {
                rules.locks.push(Lock {
                    member_id: members[index.index(members.len())].id,
                    group: 0,
                });
            }
            // Less search than by default: the properties must hold anyway.
            rules.effort = Some(100);
            (members, rules, seed)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn everyone_is_in_exactly_one_group_of_an_allowed_size((members, rules, seed) in instance(30)) {
        let composition = compose(&members, &rules, seed).unwrap();
        let mut placed: Vec<Uuid> = composition.groups.iter().flat_map(|g| g.members.clone()).collect();
        placed.sort();
        let mut all: Vec<Uuid> = members.iter().map(|m| m.id).collect();
        all.sort();
        prop_assert_eq!(placed, all);
        let n = members.len();
        let count_allows = (1..=n).any(|k| k * rules.min_size <= n && n <= k * rules.max_size);
        for group in &composition.groups {
            prop_assert!(group.members.len() <= rules.max_size);
            if count_allows {
                prop_assert!(group.members.len() >= rules.min_size, "sizes {:?}", composition.groups.iter().map(|g| g.members.len()).collect::<Vec<_>>());
            }
        }
        for (index, group) in composition.groups.iter().enumerate() {
            prop_assert_eq!(group.index, index);
        }
    }

    #[test]
    fn locked_members_stay_and_the_same_seed_gives_the_same_groups((members, rules, seed) in instance(30)) {
        let composition = compose(&members, &rules, seed).unwrap();
        for lock in &rules.locks {
            prop_assert!(composition.groups[lock.group].members.contains(&lock.member_id));
        }
        prop_assert_eq!(&composition, &compose(&members, &rules, seed).unwrap());
    }

    #[test]
    fn no_group_lacks_a_shared_day_when_a_partition_without_one_exists((members, rules, seed) in instance(9)) {
        let optimum = exhaustive_optimum(&members, &rules).unwrap();
        let composition = compose(&members, &rules, seed).unwrap();
        prop_assert_eq!(
            composition.score.groups_without_shared_day,
            optimum.groups_without_shared_day
        );
        // The yardstick is a yardstick: nothing beats it.
        prop_assert!(!composition.score.is_better_than(&optimum));
        prop_assert!(composition.score.ratio_to(&optimum) <= 1.0 + 1e-9);
    }

    #[test]
    fn ranking_keeps_the_best_by_score_and_only_those_that_pass(
        offers in proptest::collection::vec((0u8..4, 0u16..20, 0u16..8, 0.0f64..8.0, 1u32..6), 0..60),
        limit in 0usize..12,
    ) {
        let need = Need {
            tools: vec!["snow shovel".into()],
            place: Some(GeoPoint { lat: 55.5, lon: 10.4 }),
            slots: vec![WeeklySlot { day: Weekday::Tue, from: "07:00".into(), to: "09:00".into() }],
            ..Default::default()
        };
        let offers: Vec<Offer> = offers
            .iter()
            .enumerate()
            .map(|(i, &(tool, start, hours, km, radius))| Offer {
                offer_id: Uuid::from_u128(i as u128),
                skills: vec![],
                tools: vec![["sneskovl", "Snow Shovel", "trailer", "skovl"][tool as usize].into()],
                slots: vec![WeeklySlot {
                    day: Weekday::Tue,
                    from: format!("{:02}:00", start.min(23)),
                    to: format!("{:02}:00", (start + hours + 1).min(24)),
                }],
                area: Area {
                    name: "x".into(),
                    point: Some(GeoPoint { lat: 55.5 + km / 111.195, lon: 10.4 }),
                    radius_km: radius,
                },
                languages: vec![],
            })
            .collect();
        let matches = rank(&need, &offers, limit);
        let passing: Vec<&Offer> = offers
            .iter()
            .filter(|o| {
                let (from, to) = o.slots[0].minutes().unwrap();
                let overlaps = from < 9 * 60 && to > 7 * 60;
                let km = o.area.point.unwrap().distance_km(need.place.unwrap());
                overlaps && km <= f64::from(o.area.radius_km)
            })
            .collect();
        prop_assert_eq!(matches.len(), passing.len().min(limit));
        prop_assert!(matches.windows(2).all(|w| w[0].score >= w[1].score));
        let all = rank(&need, &offers, offers.len());
        prop_assert_eq!(all.len(), passing.len());
        prop_assert_eq!(&all[..matches.len()], &matches[..]);
        prop_assert!(all.iter().all(|m| (0.0..=1.0).contains(&m.score)));
    }
}
