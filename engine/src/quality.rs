//! How good the composer is: random small instances, each composed and
//! compared with the exhaustive optimum. Used by the quality benchmark, the
//! `quality` example and the tests.

use sammen_shared::geo::GeoPoint;
use sammen_shared::signup::AgeBand;
use sammen_shared::week::Weekday;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::composer::{compose, describe, exhaustive_optimum, Lock, Member, Rules, Score};
use crate::random::Random;

/// Members and rules to compose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    pub members: Vec<Member>,
    pub rules: Rules,
}

/// A random playdate-group instance of `n` families around Billund (within
/// ≈ 6 km): weekday afternoons, mostly preschool children, about one in five
/// new in the area (often speaking Arabic or Ukrainian), group sizes that fit
/// `n`, and now and then a lock. The same seed gives the same instance.
pub fn random_instance(seed: u64, n: usize) -> Instance {
    const BILLUND: GeoPoint = GeoPoint {
        lat: 55.7308,
        lon: 9.1153,
    };
    let mut random = Random::new(seed);
    let bands = [
        AgeBand::Toddler,
        AgeBand::Preschool,
        AgeBand::Preschool,
        AgeBand::YoungSchool,
    ];
    let members = (0..n)
        .map(|i| {
            let mut days: Vec<Weekday> = Weekday::ALL[..5]
                .iter()
                .copied()
                .filter(|_| random.unit() < 0.45)
                .collect();
            if days.is_empty() {
                days.push(Weekday::ALL[random.below(5)]);
            }
            let newcomer = random.unit() < 0.2;
            let languages: Vec<String> = if newcomer {
                match random.below(3) {
                    0 => vec!["ar".into()],
                    1 => vec!["uk".into(), "en".into()],
                    _ => vec!["ar".into(), "en".into()],
                }
            } else {
                let mut languages = vec!["da".to_string()];
                if random.unit() < 0.15 {
                    languages.push(["ar", "uk"][random.below(2)].into());
                }
                languages
            };
            Member {
                id: Uuid::from_u128(seed as u128 * 1000 + i as u128),
                point: Some(GeoPoint {
                    lat: BILLUND.lat + (random.unit() - 0.5) * 0.1,
                    lon: BILLUND.lon + (random.unit() - 0.5) * 0.18,
                }),
                days,
                age_band: Some(bands[random.below(bands.len())]),
                languages,
                needs_support: newcomer,
            }
        })
        .collect::<Vec<_>>();
    let sizes = [(2, 3), (3, 4), (3, 5), (4, 6)];
    let fitting: Vec<(usize, usize)> = sizes
        .iter()
        .copied()
        .filter(|(min, _)| n >= 2 * min)
        .collect();
    let (min, max) = if fitting.is_empty() {
        (2, 3)
    } else {
        fitting[random.below(fitting.len())]
    };
    let mut rules = Rules::sizes(min, max);
    if n > 0 && random.unit() < 0.2 {
        rules.locks.push(Lock {
            member_id: members[random.below(n)].id,
            group: 0,
        });
    }
    Instance { members, rules }
}

/// The composer against the optimum on many instances.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityReport {
    pub instances: usize,
    /// Mean of composer score / optimum score (see [`Score::ratio_to`]).
    pub mean_ratio: f64,
    pub worst_ratio: f64,
    /// Instances where the composer found an optimum.
    pub optimal: usize,
    /// Instances where the composer left a group without a shared day that
    /// the optimum avoided.
    pub missed_days: usize,
    /// The same ratios for the greedy start and its descent alone (effort 0).
    pub greedy_mean_ratio: f64,
    pub greedy_worst_ratio: f64,
    /// The same ratio for a random partition of the same sizes, to show the
    /// measure tells good from bad.
    pub random_mean_ratio: f64,
}

/// Composes `count` random instances of 4 to 12 members (from `seed`) and
/// compares each with its exhaustive optimum.
pub fn quality_report(count: usize, seed: u64) -> QualityReport {
    let mut random = Random::new(seed);
    let mut ratios = Vec::with_capacity(count);
    let mut greedy = Vec::with_capacity(count);
    let mut baseline = Vec::with_capacity(count);
    let (mut optimal, mut missed_days) = (0, 0);
    for i in 0..count {
        let n = 4 + random.below(9);
        let instance = random_instance(seed.wrapping_mul(1_000_003).wrapping_add(i as u64), n);
        let optimum = exhaustive_optimum(&instance.members, &instance.rules)
            .expect("random instances are valid");
        let composed = compose(&instance.members, &instance.rules, i as u64)
            .expect("random instances are valid");
        let ratio = composed.score.ratio_to(&optimum);
        optimal += usize::from(ratio > 1.0 - 1e-9);
        missed_days += usize::from(
            composed.score.groups_without_shared_day > optimum.groups_without_shared_day,
        );
        ratios.push(ratio);
        let mut quick = instance.rules.clone();
        quick.effort = Some(0);
        let greedy_score = compose(&instance.members, &quick, i as u64)
            .expect("random instances are valid")
            .score;
        greedy.push(greedy_score.ratio_to(&optimum));
        let shuffled = random_partition(&instance, &composed, &mut random);
        baseline.push(shuffled.ratio_to(&optimum));
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let worst = |v: &[f64]| v.iter().copied().fold(1.0, f64::min);
    QualityReport {
        instances: count,
        mean_ratio: mean(&ratios),
        worst_ratio: worst(&ratios),
        optimal,
        missed_days,
        greedy_mean_ratio: mean(&greedy),
        greedy_worst_ratio: worst(&greedy),
        random_mean_ratio: mean(&baseline),
    }
}

/// A random partition with the composed groups' sizes and the same locks.
fn random_partition(
    instance: &Instance,
    composed: &crate::composer::Composition,
    random: &mut Random,
) -> Score {
    let locked: Vec<&Lock> = instance.rules.locks.iter().collect();
    let mut groups: Vec<Vec<Uuid>> = vec![Vec::new(); composed.groups.len()];
    for lock in &locked {
        groups[lock.group].push(lock.member_id);
    }
    let mut free: Vec<Uuid> = instance
        .members
        .iter()
        .map(|m| m.id)
        .filter(|id| !locked.iter().any(|l| l.member_id == *id))
        .collect();
    random.shuffle(&mut free);
    for (g, group) in composed.groups.iter().enumerate() {
        while groups[g].len() < group.members.len() {
            groups[g].push(free.pop().expect("sizes add up"));
        }
    }
    describe(&instance.members, &instance.rules, &groups)
        .expect("a partition of the members")
        .score
}
