//! The composer: splits the people who joined an initiative into groups that
//! hold together, and says why each group does.
//!
//! Objective, most important first:
//! 1. every group has at least one day everybody in it is free;
//! 2. short distances inside a group;
//! 3. close child ages;
//! 4. people who need support (families new in the area) are spread, so each
//!    shares a group with established members and, where anyone at all speaks
//!    their language, with someone who does.
//!
//! (1) is lexicographic: no gain in (2)–(4) ever pays for a group without a
//! shared day. (2)–(4) are a weighted [`Score::fit`] in 0..=1.
//!
//! # One engine, three kinds of groups
//! A [`Member`] is anyone to be grouped:
//! - **Playdate groups**: a family; `point` = home, `days` = free afternoons,
//!   `age_band` = the child's, `needs_support` = new in the area
//!   ([`Member::from_family`]).
//! - **Walking groups** (children escorted to school): a family on the route;
//!   `point` = home (or the stop it walks from), `days` = the school days it
//!   walks, `age_band` = the child's, `needs_support` = new in the area.
//!   With [`Rules::route_to`] set to the school, distance becomes distance
//!   *along the way there*: two homes count as close when one lies on the
//!   other's way to school (the detour is small), so each group is a route
//!   whose members live in the same direction, near ones with near ones
//!   ([`GroupReason::Route`] says which way). Members without a home point
//!   still fill groups to their sizes; nobody is left out.
//! - **Snow-clearing teams** (volunteers ↔ addresses): a volunteer is a member
//!   with `needs_support = false`, an elderly address one with
//!   `needs_support = true`; `days` = the weekday mornings each can be cleared
//!   or helped, `age_band = None`. Spreading "needs support" members gives
//!   every team both volunteers and addresses, the size rule sets how many
//!   people a team has, and the language rule puts someone speaking the
//!   resident's language on their team where possible.
//!
//! # How
//! A greedy start (the most constrained members first, each into the group
//! where it adds most, seeded with far-apart members), then simulated
//! annealing over moves and swaps that respect locks and sizes, then a descent
//! to a local optimum. Randomness comes from the seed only and the search is
//! capped by iterations, not by a clock, so the same seed gives the same
//! groups on every machine (and in the browser, where there is no clock).

use std::fmt;

use sammen_shared::geo::GeoPoint;
pub use sammen_shared::route::{Compass, GroupRoute, RouteEnd};
use sammen_shared::signup::{AgeBand, Family};
use sammen_shared::week::Weekday;
use sammen_shared::Lang;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::random::Random;
use crate::vocabulary;

/// Someone to be placed in a group: a family, a walker, a volunteer or an
/// address. See the module documentation for how each maps onto it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub id: Uuid,
    /// Home or area, coarse. Without one, distance neither helps nor hurts.
    #[serde(default)]
    pub point: Option<GeoPoint>,
    /// The days the member is free. Empty means "not said": any day will do.
    #[serde(default)]
    pub days: Vec<Weekday>,
    /// The child's age band; `None` where ages do not matter.
    #[serde(default)]
    pub age_band: Option<AgeBand>,
    /// ISO 639 codes of the languages spoken.
    #[serde(default)]
    pub languages: Vec<String>,
    /// New in the area (or an address needing help): spread across groups.
    #[serde(default)]
    pub needs_support: bool,
}

impl Member {
    /// A family that joined a playdate group.
    pub fn from_family(id: Uuid, family: &Family) -> Member {
        Member {
            id,
            point: family.home,
            days: family.free_afternoons.clone(),
            age_band: Some(family.child_age_band),
            languages: family.languages.clone(),
            needs_support: family.new_in_area,
        }
    }

    /// Someone who joined without family details: nothing to weigh but the
    /// group's size.
    pub fn anyone(id: Uuid) -> Member {
        Member {
            id,
            point: None,
            days: Vec::new(),
            age_band: None,
            languages: Vec::new(),
            needs_support: false,
        }
    }
}

/// How much each soft goal counts. Only their ratios matter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Weights {
    /// Short distances inside a group (per member).
    pub distance: f64,
    /// Close child ages (per member).
    pub age: f64,
    /// A well-placed newcomer (per newcomer). Newcomers are few, so each
    /// counts more than one member's distance by default.
    pub newcomers: f64,
    /// The mean distance to the others, in km, at which a member's distance
    /// goal is half met.
    pub half_km: f64,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            distance: 1.0,
            age: 0.6,
            newcomers: 2.0,
            half_km: 2.0,
        }
    }
}

/// A member the coordinator has put in a group by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lock {
    pub member_id: Uuid,
    /// The group's index (0-based), as in [`Group::index`].
    pub group: usize,
}

/// The coordinator's rules for one run of the composer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rules {
    /// Smallest group, e.g. 4.
    pub min_size: usize,
    /// Largest group, e.g. 6.
    pub max_size: usize,
    /// How many groups; chosen from the sizes when left out (groups as near
    /// the middle size as the count allows, at least one more than the
    /// highest locked group index).
    #[serde(default)]
    pub groups: Option<usize>,
    #[serde(default)]
    pub weights: Weights,
    #[serde(default)]
    pub locks: Vec<Lock>,
    /// Search iterations per member (default 300). More is slower and rarely
    /// better; 0 keeps the greedy start and its descent.
    #[serde(default)]
    pub effort: Option<u32>,
    /// Where every group walks to (a school): members are then grouped by
    /// routes toward it rather than by plain distance. The server sets it
    /// for walking groups from the initiative's point.
    #[serde(default)]
    pub route_to: Option<GeoPoint>,
    /// What `route_to` is, for the words of each route ("fra skolen", "fra
    /// mødestedet"); the server sets it with `route_to`.
    #[serde(default)]
    pub route_end: RouteEnd,
}

impl Rules {
    /// Groups of `min_size..=max_size` with default weights and no locks.
    pub fn sizes(min_size: usize, max_size: usize) -> Rules {
        Rules {
            min_size,
            max_size,
            groups: None,
            weights: Weights::default(),
            locks: Vec::new(),
            effort: None,
            route_to: None,
            route_end: RouteEnd::School,
        }
    }
}

/// How good a partition is. Compare with [`Score::is_better_than`]: fewer
/// groups without a shared day always wins, then a higher fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Score {
    pub groups_without_shared_day: u32,
    /// The weighted soft goals met, 0 to 1 (1: everybody in each group lives
    /// at the same point, children of one age band, newcomers well placed).
    pub fit: f64,
}

impl Score {
    /// Whether this score beats `other` (lexicographically).
    pub fn is_better_than(&self, other: &Score) -> bool {
        self.groups_without_shared_day < other.groups_without_shared_day
            || (self.groups_without_shared_day == other.groups_without_shared_day
                && self.fit > other.fit + 1e-12)
    }

    /// This score as a share of `optimum`'s: 0 when it has more groups
    /// without a shared day, else the ratio of the fits (1 = optimal).
    pub fn ratio_to(&self, optimum: &Score) -> f64 {
        if self.groups_without_shared_day > optimum.groups_without_shared_day {
            0.0
        } else if optimum.fit <= 0.0 {
            1.0
        } else {
            self.fit / optimum.fit
        }
    }
}

/// A newcomer's place in a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Newcomer {
    pub member_id: Uuid,
    /// Established members (not needing support) in the same group.
    pub established: usize,
    /// A language of the newcomer that someone else in the group speaks.
    pub shared_language: Option<String>,
}

/// Why a group holds together (or where it does not), for the console.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GroupReason {
    /// Everybody (who gave days) is free on these days.
    SharedDays { days: Vec<Weekday> },
    /// No day suits everybody.
    NoSharedDay,
    /// The longest and mean distance between two members, km.
    Distance { max_km: f64, mean_km: f64 },
    /// The youngest and oldest child's age band.
    Ages { youngest: AgeBand, oldest: AgeBand },
    /// One newcomer: how many established members are with them and a
    /// language they share with someone in the group.
    Newcomer {
        established: usize,
        language: Option<String>,
    },
    /// A route to where the group walks ([`Rules::route_to`]): which way
    /// its homes lie and how far, and what the route leads to.
    Route(GroupRoute),
}

impl GroupReason {
    /// The reason as a coordinator reads it, in Danish or English.
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (GroupReason::SharedDays { days }, Lang::Da) => {
                format!("alle fri {}", vocabulary::days_text(days, lang))
            }
            (GroupReason::SharedDays { days }, Lang::En) => {
                format!("all free {}", vocabulary::days_text(days, lang))
            }
            (GroupReason::NoSharedDay, Lang::Da) => "ingen fælles fri dag".into(),
            (GroupReason::NoSharedDay, Lang::En) => "no day suits everybody".into(),
            (GroupReason::Distance { max_km, mean_km }, Lang::Da) => format!(
                "højst {} fra hinanden (gns. {})",
                vocabulary::km_text(*max_km, lang),
                vocabulary::km_text(*mean_km, lang)
            ),
            (GroupReason::Distance { max_km, mean_km }, Lang::En) => format!(
                "at most {} apart (mean {})",
                vocabulary::km_text(*max_km, lang),
                vocabulary::km_text(*mean_km, lang)
            ),
            (GroupReason::Ages { youngest, oldest }, _) if youngest == oldest => match lang {
                Lang::Da => format!("alle {} år", vocabulary::age_band_text(*youngest)),
                Lang::En => format!("all aged {}", vocabulary::age_band_text(*youngest)),
            },
            (GroupReason::Ages { youngest, oldest }, _) => {
                let (young, old) = (
                    vocabulary::age_band_text(*youngest),
                    vocabulary::age_band_text(*oldest),
                );
                match lang {
                    Lang::Da => format!("alder {young} til {old} år"),
                    Lang::En => format!("aged {young} to {old}"),
                }
            }
            (
                GroupReason::Newcomer {
                    established,
                    language,
                },
                Lang::Da,
            ) => {
                let with = format!("ny i området, med {established} etablerede");
                match language {
                    Some(code) => format!(
                        "{with}; taler {} med en anden",
                        vocabulary::language_name(code, lang)
                    ),
                    None => format!("{with}; intet fælles sprog"),
                }
            }
            (
                GroupReason::Newcomer {
                    established,
                    language,
                },
                Lang::En,
            ) => {
                let with = format!("new in the area, with {established} established");
                match language {
                    Some(code) => format!(
                        "{with}; shares {} with someone",
                        vocabulary::language_name(code, lang)
                    ),
                    None => format!("{with}; no shared language"),
                }
            }
            (GroupReason::Route(route), _) => route_text(route, lang),
        }
    }
}

fn route_text(route: &GroupRoute, lang: Lang) -> String {
    let GroupRoute {
        from,
        homes,
        nearest_km,
        farthest_km,
        without_point,
        to,
    } = route;
    let (near, far) = (
        vocabulary::km_text(*nearest_km, lang),
        vocabulary::km_text(*farthest_km, lang),
    );
    // "0,4–1,2 km": the unit once.
    let span = if near == far {
        far
    } else {
        format!("{}–{far}", near.trim_end_matches(" km"))
    };
    let mut text = match (lang, *from) {
        (Lang::Da, Some(way)) => format!("rute fra {}: ", way.text(lang)),
        (Lang::Da, None) => "rute fra flere retninger: ".to_string(),
        (Lang::En, Some(way)) => format!("route from {}: ", way.text(lang)),
        (Lang::En, None) => "route from several directions: ".to_string(),
    };
    let to = to.text(lang);
    text += &match (lang, *homes) {
        (Lang::Da, n) => format!("{n} hjem {span} fra {to}"),
        (Lang::En, 1) => format!("1 home {span} from {to}"),
        (Lang::En, n) => format!("{n} homes {span} from {to}"),
    };
    text += &match (lang, *without_point) {
        (_, 0) => String::new(),
        (Lang::Da, n) => format!("; {n} uden adresse"),
        (Lang::En, 1) => "; 1 without an address".to_string(),
        (Lang::En, n) => format!("; {n} without an address"),
    };
    text
}

/// One composed group and why it holds together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Group {
    /// 0-based; what a [`Lock`] refers to.
    pub index: usize,
    /// Member ids in the order they were given.
    pub members: Vec<Uuid>,
    /// Days everybody who gave days is free; empty if none or nobody gave.
    pub shared_days: Vec<Weekday>,
    pub max_distance_km: Option<f64>,
    pub mean_distance_km: Option<f64>,
    pub youngest: Option<AgeBand>,
    pub oldest: Option<AgeBand>,
    pub newcomers: Vec<Newcomer>,
    /// The facts above as reasons, for [`GroupReason::text`].
    pub reasons: Vec<GroupReason>,
}

/// A partition of all members into groups, with its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Composition {
    pub groups: Vec<Group>,
    pub score: Score,
}

/// Why the composer could not run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ComposeError {
    /// `min_size` must be at least 1 and at most `max_size`.
    InvalidSizes { min: usize, max: usize },
    /// The asked number of groups cannot hold the members within the sizes.
    GroupsDontFit {
        groups: usize,
        members: usize,
        min: usize,
        max: usize,
    },
    /// The same member id was given twice.
    DuplicateMember { member_id: Uuid },
    /// A lock or a hand-made group names someone not among the members.
    UnknownMember { member_id: Uuid },
    /// A member is locked to two groups.
    ConflictingLocks { member_id: Uuid },
    /// A lock names a group beyond the asked number of groups.
    LockOutOfRange { member_id: Uuid, group: usize },
    /// More members are locked to a group than it may hold.
    TooManyLocked { group: usize, max: usize },
    /// A hand-made partition leaves a member out.
    MemberMissing { member_id: Uuid },
    /// The exhaustive search only runs on small instances.
    TooManyForExhaustive { members: usize, max: usize },
}

impl fmt::Display for ComposeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ComposeError::InvalidSizes { min, max } => {
                write!(
                    f,
                    "group sizes {min}..={max}: the smallest must be 1 to the largest"
                )
            }
            ComposeError::GroupsDontFit {
                groups,
                members,
                min,
                max,
            } => write!(
                f,
                "{members} members do not fit in {groups} groups of {min} to {max}"
            ),
            ComposeError::DuplicateMember { member_id } => {
                write!(f, "member {member_id} is given twice")
            }
            ComposeError::UnknownMember { member_id } => {
                write!(f, "{member_id} is not among the members")
            }
            ComposeError::ConflictingLocks { member_id } => {
                write!(f, "member {member_id} is locked to two groups")
            }
            ComposeError::LockOutOfRange { member_id, group } => {
                write!(
                    f,
                    "member {member_id} is locked to group {group}, which does not exist"
                )
            }
            ComposeError::TooManyLocked { group, max } => {
                write!(f, "more than {max} members are locked to group {group}")
            }
            ComposeError::MemberMissing { member_id } => {
                write!(f, "member {member_id} is in no group")
            }
            ComposeError::TooManyForExhaustive { members, max } => {
                write!(
                    f,
                    "exhaustive search takes at most {max} members, not {members}"
                )
            }
        }
    }
}

impl std::error::Error for ComposeError {}

/// Splits `members` into groups by `rules`. The same members, rules and
/// `seed` always give the same composition.
///
/// Promises: every member is in exactly one group; locked members are in
/// their group; every group's size is within `min_size..=max_size` whenever
/// the number of members allows it (otherwise groups are as even as
/// possible, none above `max_size`); no group lacks a shared day if the
/// search finds a partition where none does.
pub fn compose(members: &[Member], rules: &Rules, seed: u64) -> Result<Composition, ComposeError> {
    let plan = Plan::new(members, rules)?;
    let model = Model::new(members, rules, &plan);
    if members.is_empty() {
        return Ok(model.describe(members, &vec![Vec::new(); plan.groups]));
    }
    let n = members.len();
    let iterations = rules.effort.unwrap_or(300) as usize * n;
    // Small instances are cheap: several starts make the answer far more
    // reliable. Large ones get one long run.
    let restarts = (240 / n).clamp(1, 8);
    let mut best: Option<(f64, Vec<usize>)> = None;
    for restart in 0..restarts as u64 {
        let mut random = Random::new(seed.wrapping_add(restart.wrapping_mul(0x9E37_79B9)));
        let seeds = if restart == 0 {
            Seeds::FarApart
        } else {
            Seeds::Random
        };
        let mut search = Search::start(&model, &plan, seeds, &mut random);
        search.anneal(iterations, &mut random);
        // Descend toward fewer conflicts, then polish the soft goals alone;
        // and the same without the first part, which may pull toward a group
        // with a day only to leave another group without one.
        let annealed = search.group_of.clone();
        search.judge = Judge::Guided;
        search.descend();
        search.judge = Judge::Objective;
        search.descend();
        let guided = (search.energy(), search.group_of.clone());
        search.restore(annealed);
        search.descend();
        if guided.0 < search.energy() - 1e-12 {
            search.restore(guided.1);
        }
        let energy = search.energy();
        if best.as_ref().is_none_or(|(e, _)| energy < *e - 1e-12) {
            best = Some((energy, search.group_of.clone()));
        }
    }
    let (_, group_of) = best.expect("at least one start");
    let mut groups = vec![Vec::new(); plan.groups];
    for (member, group) in group_of.into_iter().enumerate() {
        groups[group].push(member);
    }
    Ok(model.describe(members, &groups))
}

/// Scores and explains a partition made or changed by hand (each inner list
/// is one group, by member id). Sizes are not checked: the coordinator may
/// break them on purpose.
pub fn describe(
    members: &[Member],
    rules: &Rules,
    groups: &[Vec<Uuid>],
) -> Result<Composition, ComposeError> {
    let index = member_index(members)?;
    let mut placed = vec![false; members.len()];
    let mut indices = Vec::with_capacity(groups.len());
    for group in groups {
        let mut list = Vec::with_capacity(group.len());
        for id in group {
            let Some(&i) = index.get(id) else {
                return Err(ComposeError::UnknownMember { member_id: *id });
            };
            if placed[i] {
                return Err(ComposeError::DuplicateMember { member_id: *id });
            }
            placed[i] = true;
            list.push(i);
        }
        list.sort_unstable();
        indices.push(list);
    }
    if let Some(i) = placed.iter().position(|p| !p) {
        return Err(ComposeError::MemberMissing {
            member_id: members[i].id,
        });
    }
    let plan = Plan {
        groups: groups.len(),
        low: 0,
        high: usize::MAX,
        locked: vec![None; members.len()],
    };
    let model = Model::new(members, rules, &plan);
    Ok(model.describe(members, &indices))
}

/// The most members [`exhaustive_optimum`] takes.
pub const EXHAUSTIVE_MAX: usize = 12;

/// The best score any partition allowed by `rules` reaches (same number of
/// groups, sizes and locks as [`compose`] uses), by trying them all. Only
/// for up to [`EXHAUSTIVE_MAX`] members: it measures the composer.
pub fn exhaustive_optimum(members: &[Member], rules: &Rules) -> Result<Score, ComposeError> {
    if members.len() > EXHAUSTIVE_MAX {
        return Err(ComposeError::TooManyForExhaustive {
            members: members.len(),
            max: EXHAUSTIVE_MAX,
        });
    }
    let plan = Plan::new(members, rules)?;
    let model = Model::new(members, rules, &plan);
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); plan.groups];
    let mut free = Vec::new();
    for (member, lock) in plan.locked.iter().enumerate() {
        match lock {
            Some(group) => groups[*group].push(member),
            None => free.push(member),
        }
    }
    let labelled: Vec<bool> = groups.iter().map(|g| !g.is_empty()).collect();
    let mut best = f64::INFINITY;
    exhaust(&model, &plan, &free, &labelled, &mut groups, &mut best);
    Ok(model.score_of_energy(best))
}

fn exhaust(
    model: &Model,
    plan: &Plan,
    free: &[usize],
    labelled: &[bool],
    groups: &mut [Vec<usize>],
    best: &mut f64,
) {
    let Some((&member, rest)) = free.split_first() else {
        if groups.iter().all(|g| g.len() >= plan.low) {
            let energy: f64 = groups.iter().map(|g| model.value(g).energy(model)).sum();
            *best = best.min(energy);
        }
        return;
    };
    let mut opened_empty = false;
    for g in 0..groups.len() {
        if groups[g].len() >= plan.high {
            continue;
        }
        // Groups nobody is locked to are interchangeable: open only the first
        // empty one, so each partition is visited once.
        if !labelled[g] && groups[g].is_empty() {
            if opened_empty {
                continue;
            }
            opened_empty = true;
        }
        groups[g].push(member);
        let deficit: usize = groups
            .iter()
            .map(|x| plan.low.saturating_sub(x.len()))
            .sum();
        if deficit <= rest.len() {
            exhaust(model, plan, rest, labelled, groups, best);
        }
        groups[g].pop();
    }
}

fn member_index(
    members: &[Member],
) -> Result<std::collections::HashMap<Uuid, usize>, ComposeError> {
    let mut index = std::collections::HashMap::with_capacity(members.len());
    for (i, member) in members.iter().enumerate() {
        if index.insert(member.id, i).is_some() {
            return Err(ComposeError::DuplicateMember {
                member_id: member.id,
            });
        }
    }
    Ok(index)
}

/// The shape of the partition: how many groups, the sizes allowed, locks.
#[derive(Debug, Clone)]
struct Plan {
    groups: usize,
    low: usize,
    high: usize,
    /// Per member (input order), its locked group.
    locked: Vec<Option<usize>>,
}

impl Plan {
    fn new(members: &[Member], rules: &Rules) -> Result<Plan, ComposeError> {
        let (min, max) = (rules.min_size, rules.max_size);
        if min == 0 || min > max {
            return Err(ComposeError::InvalidSizes { min, max });
        }
        let index = member_index(members)?;
        let mut locked = vec![None; members.len()];
        for lock in &rules.locks {
            let Some(&i) = index.get(&lock.member_id) else {
                return Err(ComposeError::UnknownMember {
                    member_id: lock.member_id,
                });
            };
            match locked[i] {
                Some(group) if group != lock.group => {
                    return Err(ComposeError::ConflictingLocks {
                        member_id: lock.member_id,
                    })
                }
                _ => locked[i] = Some(lock.group),
            }
        }
        let n = members.len();
        let needed_by_locks = rules.locks.iter().map(|l| l.group + 1).max().unwrap_or(0);
        let (groups, low) = match rules.groups {
            Some(k) => {
                if let Some(lock) = rules.locks.iter().find(|l| l.group >= k) {
                    return Err(ComposeError::LockOutOfRange {
                        member_id: lock.member_id,
                        group: lock.group,
                    });
                }
                if k == 0 && n > 0 || n < k * min || n > k * max {
                    return Err(ComposeError::GroupsDontFit {
                        groups: k,
                        members: n,
                        min,
                        max,
                    });
                }
                (k, min)
            }
            None if n == 0 => (needed_by_locks, 0),
            None => {
                let fewest = n.div_ceil(max);
                let most = n / min;
                let middle = (n as f64 / ((min + max) as f64 / 2.0)).round() as usize;
                let k = if fewest <= most {
                    middle.clamp(fewest, most)
                } else {
                    fewest
                }
                .max(needed_by_locks)
                .max(1);
                // When the count does not allow min..=max, groups may be smaller.
                (k, min.min(n / k))
            }
        };
        let plan = Plan {
            groups,
            low,
            high: max,
            locked,
        };
        let mut counts = vec![0; groups];
        for group in plan.locked.iter().flatten() {
            counts[*group] += 1;
            if counts[*group] > max {
                return Err(ComposeError::TooManyLocked { group: *group, max });
            }
        }
        Ok(plan)
    }
}

/// A group's contribution: whether it lacks a shared day, how many members
/// keep it from having one, and the weighted soft goals its members meet.
#[derive(Debug, Clone, Copy)]
struct Value {
    missing: u32,
    /// The fewest members to take out for the rest to share a day.
    conflicts: u32,
    benefit: f64,
}

impl Value {
    /// The objective as one number, lower is better: groups without a shared
    /// day first, then the soft goals (lexicographic, as [`Score`]).
    fn energy(self, model: &Model) -> f64 {
        f64::from(self.missing) * model.missing_penalty - self.benefit
    }

    /// The same with the conflicts in between. Whether a group has a shared
    /// day is all-or-nothing, which leaves the search no slope to follow
    /// toward fixing a group; the conflicts give it one.
    fn guided_energy(self, model: &Model) -> f64 {
        self.energy(model) + f64::from(self.conflicts) * model.day_penalty
    }
}

/// The members prepared for fast scoring.
struct Model {
    /// Planar kilometres around the members' mean latitude: within a
    /// municipality this is haversine to a few metres, and far cheaper.
    x: Vec<f64>,
    y: Vec<f64>,
    /// With a route's end: each member's distance to it, km.
    to_goal: Option<Vec<f64>>,
    route_to: Option<GeoPoint>,
    route_end: RouteEnd,
    has_point: Vec<bool>,
    /// Bit per weekday; everyone who gave no days has all bits.
    days: Vec<u8>,
    gave_days: Vec<bool>,
    band: Vec<Option<u8>>,
    languages: Vec<Vec<u16>>,
    support: Vec<bool>,
    /// Someone else at all speaks one of this member's languages.
    language_possible: Vec<bool>,
    /// Newcomers one group may take before they stop being spread.
    support_cap: usize,
    weights: Weights,
    total_weight: f64,
    /// More than all soft goals together: one conflict outweighs any fit.
    day_penalty: f64,
    /// More than all conflicts together: one group without a shared day
    /// outweighs anything else.
    missing_penalty: f64,
}

impl Model {
    fn new(members: &[Member], rules: &Rules, plan: &Plan) -> Model {
        let weights = &rules.weights;
        let with_points: Vec<GeoPoint> = members.iter().filter_map(|m| m.point).collect();
        let mean_lat = if with_points.is_empty() {
            0.0
        } else {
            with_points.iter().map(|p| p.lat).sum::<f64>() / with_points.len() as f64
        };
        const KM_PER_DEGREE: f64 = 111.195;
        let cos = mean_lat.to_radians().cos();
        let mut codes: Vec<String> = members
            .iter()
            .flat_map(|m| m.languages.iter().map(|l| l.trim().to_lowercase()))
            .collect();
        codes.sort();
        codes.dedup();
        let languages: Vec<Vec<u16>> = members
            .iter()
            .map(|m| {
                let mut ids: Vec<u16> = m
                    .languages
                    .iter()
                    .filter_map(|l| codes.binary_search(&l.trim().to_lowercase()).ok())
                    .map(|i| i as u16)
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                ids
            })
            .collect();
        let mut speakers = vec![0usize; codes.len()];
        for ids in &languages {
            for id in ids {
                speakers[*id as usize] += 1;
            }
        }
        let language_possible = languages
            .iter()
            .map(|ids| ids.iter().any(|id| speakers[*id as usize] >= 2))
            .collect();
        let support_count = members.iter().filter(|m| m.needs_support).count();
        let weights = Weights {
            distance: weights.distance.max(0.0),
            age: weights.age.max(0.0),
            newcomers: weights.newcomers.max(0.0),
            half_km: if weights.half_km > 0.0 {
                weights.half_km
            } else {
                2.0
            },
        };
        let total_weight = members.len() as f64 * (weights.distance + weights.age)
            + support_count as f64 * weights.newcomers;
        let x: Vec<f64> = members
            .iter()
            .map(|m| m.point.map_or(0.0, |p| p.lon * cos * KM_PER_DEGREE))
            .collect();
        let y: Vec<f64> = members
            .iter()
            .map(|m| m.point.map_or(0.0, |p| p.lat * KM_PER_DEGREE))
            .collect();
        let to_goal = rules.route_to.map(|goal| {
            let (gx, gy) = (goal.lon * cos * KM_PER_DEGREE, goal.lat * KM_PER_DEGREE);
            x.iter()
                .zip(&y)
                .map(|(x, y)| ((x - gx).powi(2) + (y - gy).powi(2)).sqrt())
                .collect()
        });
        Model {
            x,
            y,
            to_goal,
            route_to: rules.route_to,
            route_end: rules.route_end.clone(),
            has_point: members.iter().map(|m| m.point.is_some()).collect(),
            days: members.iter().map(|m| day_bits(&m.days)).collect(),
            gave_days: members.iter().map(|m| !m.days.is_empty()).collect(),
            band: members
                .iter()
                .map(|m| m.age_band.map(|b| b as u8))
                .collect(),
            languages,
            support: members.iter().map(|m| m.needs_support).collect(),
            language_possible,
            support_cap: support_count.div_ceil(plan.groups.max(1)),
            weights,
            total_weight,
            day_penalty: total_weight + 1.0,
            missing_penalty: (total_weight + 1.0) * (members.len() as f64 + 1.0),
        }
    }

    /// How far apart two members are for grouping. On a route it is the
    /// distance less half the difference of their distances to the end:
    /// the detour one makes walking past the other's home (d − |Δ|), plus
    /// half of that difference, so a road's near homes go with near ones.
    /// Same way: small; opposite sides of the school: the full distance.
    fn km(&self, a: usize, b: usize) -> f64 {
        let (dx, dy) = (self.x[a] - self.x[b], self.y[a] - self.y[b]);
        let plain = (dx * dx + dy * dy).sqrt();
        match &self.to_goal {
            Some(goal) => (plain - 0.5 * (goal[a] - goal[b]).abs()).max(0.0),
            None => plain,
        }
    }

    fn share_language(&self, a: usize, b: usize) -> bool {
        let (mut i, mut j) = (0, 0);
        let (la, lb) = (&self.languages[a], &self.languages[b]);
        while i < la.len() && j < lb.len() {
            match la[i].cmp(&lb[j]) {
                std::cmp::Ordering::Equal => return true,
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
            }
        }
        false
    }

    fn value(&self, group: &[usize]) -> Value {
        let mut days = 0x7F;
        let mut supported = 0;
        let mut free_on = [0u32; 7];
        for &m in group {
            days &= self.days[m];
            supported += usize::from(self.support[m]);
            for (day, count) in free_on.iter_mut().enumerate() {
                *count += u32::from(self.days[m] >> day & 1);
            }
        }
        let established = group.len() - supported;
        let w = &self.weights;
        let mut benefit = 0.0;
        for &a in group {
            let (mut km, mut pairs, mut gap, mut aged) = (0.0, 0u32, 0u32, 0u32);
            let mut language = !self.language_possible[a];
            for &b in group {
                if a == b {
                    continue;
                }
                if self.has_point[a] && self.has_point[b] {
                    km += self.km(a, b);
                    pairs += 1;
                }
                if let (Some(x), Some(y)) = (self.band[a], self.band[b]) {
                    gap += u32::from(x.abs_diff(y));
                    aged += 1;
                }
                if self.support[a] && !language {
                    language = self.share_language(a, b);
                }
            }
            benefit += w.distance
                * if pairs > 0 {
                    1.0 / (1.0 + km / f64::from(pairs) / w.half_km)
                } else {
                    1.0
                };
            benefit += w.age
                * if aged > 0 {
                    1.0 - f64::from(gap) / f64::from(aged) / 4.0
                } else {
                    1.0
                };
            if self.support[a] {
                let met = u8::from(established > 0)
                    + u8::from(supported <= self.support_cap)
                    + u8::from(language);
                benefit += w.newcomers * f64::from(met) / 3.0;
            }
        }
        Value {
            missing: u32::from(!group.is_empty() && days == 0),
            conflicts: group.len() as u32 - free_on.iter().max().copied().unwrap_or(0),
            benefit,
        }
    }

    fn score_of_energy(&self, energy: f64) -> Score {
        // energy = missing · penalty − benefit, with 0 ≤ benefit ≤ total.
        let missing = (energy / self.missing_penalty).ceil().max(0.0);
        let benefit = missing * self.missing_penalty - energy;
        Score {
            groups_without_shared_day: missing as u32,
            fit: self.fit(benefit),
        }
    }

    fn fit(&self, benefit: f64) -> f64 {
        if self.total_weight > 0.0 {
            (benefit / self.total_weight).clamp(0.0, 1.0)
        } else {
            1.0
        }
    }

    fn describe(&self, members: &[Member], groups: &[Vec<usize>]) -> Composition {
        let mut missing = 0;
        let mut benefit = 0.0;
        let described = groups
            .iter()
            .enumerate()
            .map(|(index, group)| {
                let value = self.value(group);
                missing += value.missing;
                benefit += value.benefit;
                self.describe_group(members, index, group)
            })
            .collect();
        Composition {
            groups: described,
            score: Score {
                groups_without_shared_day: missing,
                fit: self.fit(benefit),
            },
        }
    }

    fn describe_group(&self, members: &[Member], index: usize, group: &[usize]) -> Group {
        let mut sorted = group.to_vec();
        sorted.sort_unstable();
        let gave: Vec<usize> = sorted
            .iter()
            .copied()
            .filter(|m| self.gave_days[*m])
            .collect();
        let shared_days: Vec<Weekday> = if gave.is_empty() {
            Vec::new()
        } else {
            let bits = gave.iter().fold(0x7F, |bits, m| bits & self.days[*m]);
            Weekday::ALL
                .iter()
                .enumerate()
                .filter(|(i, _)| bits & (1 << i) != 0)
                .map(|(_, d)| *d)
                .collect()
        };
        let (mut max_km, mut sum_km, mut pairs) = (0.0f64, 0.0, 0u32);
        for (i, &a) in sorted.iter().enumerate() {
            for &b in &sorted[i + 1..] {
                if let (Some(p), Some(q)) = (members[a].point, members[b].point) {
                    let km = p.distance_km(q);
                    max_km = max_km.max(km);
                    sum_km += km;
                    pairs += 1;
                }
            }
        }
        let round = |km: f64| (km * 10.0).round() / 10.0;
        let (max_distance_km, mean_distance_km) = if pairs > 0 {
            (Some(round(max_km)), Some(round(sum_km / f64::from(pairs))))
        } else {
            (None, None)
        };
        let bands: Vec<AgeBand> = sorted.iter().filter_map(|m| members[*m].age_band).collect();
        let (youngest, oldest) = (bands.iter().min().copied(), bands.iter().max().copied());
        let established = sorted.iter().filter(|m| !self.support[**m]).count();
        let newcomers: Vec<Newcomer> = sorted
            .iter()
            .filter(|m| self.support[**m])
            .map(|&a| Newcomer {
                member_id: members[a].id,
                established,
                shared_language: members[a]
                    .languages
                    .iter()
                    .find(|code| {
                        sorted.iter().any(|&b| {
                            b != a
                                && members[b]
                                    .languages
                                    .iter()
                                    .any(|l| l.trim().eq_ignore_ascii_case(code.trim()))
                        })
                    })
                    .map(|code| code.trim().to_lowercase()),
            })
            .collect();
        // On a route, the way comes first: it is what the group is.
        let mut reasons: Vec<GroupReason> =
            self.route_reason(members, &sorted).into_iter().collect();
        if !gave.is_empty() {
            reasons.push(if shared_days.is_empty() {
                GroupReason::NoSharedDay
            } else {
                GroupReason::SharedDays {
                    days: shared_days.clone(),
                }
            });
        }
        if let (Some(max_km), Some(mean_km)) = (max_distance_km, mean_distance_km) {
            reasons.push(GroupReason::Distance { max_km, mean_km });
        }
        if let (Some(youngest), Some(oldest)) = (youngest, oldest) {
            reasons.push(GroupReason::Ages { youngest, oldest });
        }
        for newcomer in &newcomers {
            reasons.push(GroupReason::Newcomer {
                established: newcomer.established,
                language: newcomer.shared_language.clone(),
            });
        }
        Group {
            index,
            members: sorted.iter().map(|m| members[*m].id).collect(),
            shared_days,
            max_distance_km,
            mean_distance_km,
            youngest,
            oldest,
            newcomers,
            reasons,
        }
    }
}

impl Model {
    /// Which way a group's homes lie from the route's end, and how far.
    /// `None` without a route or without a home in the group.
    fn route_reason(&self, members: &[Member], group: &[usize]) -> Option<GroupReason> {
        let goal = self.route_to?;
        let homes: Vec<GeoPoint> = group.iter().filter_map(|m| members[*m].point).collect();
        let distances: Vec<f64> = homes.iter().map(|h| goal.distance_km(*h)).collect();
        let nearest = distances.iter().copied().reduce(f64::min)?;
        let farthest = distances.iter().copied().fold(nearest, f64::max);
        // The mean of the directions as unit vectors: long when they agree.
        // Homes at the school itself point nowhere and are left out.
        let cos = goal.lat.to_radians().cos();
        let (mut east, mut north, mut counted) = (0.0, 0.0, 0u32);
        for home in &homes {
            let (dx, dy) = ((home.lon - goal.lon) * cos, home.lat - goal.lat);
            let length = (dx * dx + dy * dy).sqrt();
            if length > 1e-6 {
                east += dx / length;
                north += dy / length;
                counted += 1;
            }
        }
        let agree = counted > 0 && (east * east + north * north).sqrt() / f64::from(counted) > 0.7;
        let round = |km: f64| (km * 10.0).round() / 10.0;
        Some(GroupReason::Route(GroupRoute {
            from: agree.then(|| Compass::of_bearing(east.atan2(north).to_degrees())),
            homes: homes.len(),
            nearest_km: round(nearest),
            farthest_km: round(farthest),
            without_point: group.len() - homes.len(),
            to: self.route_end.clone(),
        }))
    }
}

fn day_bits(days: &[Weekday]) -> u8 {
    if days.is_empty() {
        return 0x7F;
    }
    days.iter().fold(0, |bits, day| {
        let i = Weekday::ALL.iter().position(|d| d == day).unwrap_or(0);
        bits | 1 << i
    })
}

/// One run of the local search.
struct Search<'a> {
    model: &'a Model,
    plan: &'a Plan,
    group_of: Vec<usize>,
    groups: Vec<Vec<usize>>,
    values: Vec<Value>,
    /// Members that may move (not locked).
    movable: Vec<usize>,
    /// Each member's nearest others (same days first, then distance): where
    /// good moves are found.
    near: Vec<Vec<usize>>,
    scratch_a: Vec<usize>,
    scratch_b: Vec<usize>,
    judge: Judge,
    /// What [`Judge::Relaxed`] charges for a group without a shared day.
    relaxed_penalty: f64,
}

/// How the search judges a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Judge {
    /// By the objective with the conflicts (see [`Value::guided_energy`]).
    Guided,
    /// By the objective alone.
    Objective,
    /// With a group without a shared day costing about one group's worth of
    /// fit: where no partition gives every group a day, the search must be
    /// able to trade which group lacks one.
    Relaxed,
}

/// How the greedy start picks the first member of each group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seeds {
    /// Far from everyone placed: groups start spread over the map.
    FarApart,
    /// At random: other starts for other restarts.
    Random,
}

/// A change to try.
#[derive(Debug, Clone, Copy)]
enum Step {
    Move { member: usize, to: usize },
    Swap { a: usize, b: usize },
}

impl<'a> Search<'a> {
    /// The greedy start.
    fn start(model: &'a Model, plan: &'a Plan, seeds: Seeds, random: &mut Random) -> Search<'a> {
        let n = plan.locked.len();
        let k = plan.groups;
        let mut groups: Vec<Vec<usize>> = vec![Vec::new(); k];
        let mut group_of = vec![usize::MAX; n];
        for (member, lock) in plan.locked.iter().enumerate() {
            if let Some(g) = lock {
                groups[*g].push(member);
                group_of[member] = *g;
            }
        }
        // Even sizes; the larger ones go where the locks already are.
        let mut by_locks: Vec<usize> = (0..k).collect();
        by_locks.sort_by_key(|g| std::cmp::Reverse(groups[*g].len()));
        let mut caps = vec![n / k; k];
        for g in by_locks.iter().take(n % k) {
            caps[*g] += 1;
        }
        for g in 0..k {
            caps[g] = caps[g]
                .max(groups[g].len())
                .min(plan.high.max(groups[g].len()));
        }
        let mut free: Vec<usize> = (0..n).filter(|m| group_of[*m] == usize::MAX).collect();
        random.shuffle(&mut free);
        // Seeds far apart: each empty group starts with the member farthest
        // from everyone already placed.
        let placed: Vec<usize> = groups.iter().flatten().copied().collect();
        // Each free member's distance to the nearest placed one, kept up to
        // date as seeds are placed: O(n) per group.
        let mut nearest: Vec<f64> = free
            .iter()
            .map(|&m| {
                placed
                    .iter()
                    .map(|&p| model.km(m, p))
                    .fold(f64::INFINITY, f64::min)
            })
            .collect();
        let mut any_placed = !placed.is_empty();
        for (g, group) in groups.iter_mut().enumerate() {
            if !group.is_empty() || free.is_empty() {
                continue;
            }
            let pick = if !any_placed || seeds == Seeds::Random {
                0
            } else {
                (0..free.len())
                    .max_by(|&a, &b| nearest[a].total_cmp(&nearest[b]))
                    .unwrap_or(0)
            };
            let member = free.swap_remove(pick);
            nearest.swap_remove(pick);
            for (other, distance) in free.iter().zip(nearest.iter_mut()) {
                *distance = distance.min(model.km(*other, member));
            }
            group.push(member);
            group_of[member] = g;
            any_placed = true;
        }
        // The fewest free days first: they are the hardest to place later.
        free.sort_by_key(|m| model.days[*m].count_ones());
        let mut values: Vec<Value> = groups.iter().map(|g| model.value(g)).collect();
        let mut scratch = Vec::new();
        for (done, &member) in free.iter().enumerate() {
            let remaining = free.len() - done;
            let deficit: usize = groups
                .iter()
                .map(|g| plan.low.saturating_sub(g.len()))
                .sum();
            let must_fill = remaining <= deficit;
            let mut best: Option<(f64, usize, Value)> = None;
            for g in 0..k {
                let room = if must_fill {
                    groups[g].len() < plan.low
                } else {
                    groups[g].len() < caps[g]
                };
                if !room {
                    continue;
                }
                scratch.clear();
                scratch.extend_from_slice(&groups[g]);
                scratch.push(member);
                let value = model.value(&scratch);
                let delta = value.guided_energy(model) - values[g].guided_energy(model);
                if best.is_none_or(|(d, _, _)| delta < d) {
                    best = Some((delta, g, value));
                }
            }
            // Caps always leave room (they add up to at least n); this is a
            // guard, not a path.
            let (g, value) = match best {
                Some((_, g, value)) => (g, value),
                None => {
                    let g = (0..k).min_by_key(|g| groups[*g].len()).unwrap_or(0);
                    let mut with = groups[g].clone();
                    with.push(member);
                    (g, model.value(&with))
                }
            };
            groups[g].push(member);
            group_of[member] = g;
            values[g] = value;
        }
        Search {
            model,
            plan,
            movable: (0..n).filter(|m| plan.locked[*m].is_none()).collect(),
            near: nearest_others(model, 10),
            group_of,
            groups,
            values,
            scratch_a: Vec::new(),
            scratch_b: Vec::new(),
            judge: Judge::Guided,
            relaxed_penalty: 1.5 * model.total_weight / n.max(1) as f64,
        }
    }

    fn judge(&self, value: Value) -> f64 {
        match self.judge {
            Judge::Guided => value.guided_energy(self.model),
            Judge::Objective => value.energy(self.model),
            Judge::Relaxed => f64::from(value.missing) * self.relaxed_penalty - value.benefit,
        }
    }

    fn energy(&self) -> f64 {
        self.values.iter().map(|v| v.energy(self.model)).sum()
    }

    /// The change in energy `step` would make, with the two new group values.
    fn try_step(&mut self, step: Step) -> Option<(f64, Value, Value)> {
        let (g, h) = match step {
            Step::Move { member, to } => {
                let g = self.group_of[member];
                if g == to
                    || self.groups[g].len() <= self.plan.low
                    || self.groups[to].len() >= self.plan.high
                {
                    return None;
                }
                self.scratch_a.clear();
                self.scratch_a
                    .extend(self.groups[g].iter().copied().filter(|m| *m != member));
                self.scratch_b.clear();
                self.scratch_b.extend_from_slice(&self.groups[to]);
                self.scratch_b.push(member);
                (g, to)
            }
            Step::Swap { a, b } => {
                let (g, h) = (self.group_of[a], self.group_of[b]);
                if g == h || self.plan.locked[a].is_some() || self.plan.locked[b].is_some() {
                    return None;
                }
                let swap = |m: usize| {
                    if m == a {
                        b
                    } else if m == b {
                        a
                    } else {
                        m
                    }
                };
                self.scratch_a.clear();
                self.scratch_a
                    .extend(self.groups[g].iter().map(|m| swap(*m)));
                self.scratch_b.clear();
                self.scratch_b
                    .extend(self.groups[h].iter().map(|m| swap(*m)));
                (g, h)
            }
        };
        let (va, vb) = (
            self.model.value(&self.scratch_a),
            self.model.value(&self.scratch_b),
        );
        let before = self.judge(self.values[g]) + self.judge(self.values[h]);
        let delta = self.judge(va) + self.judge(vb) - before;
        Some((delta, va, vb))
    }

    fn apply(&mut self, step: Step, va: Value, vb: Value) {
        match step {
            Step::Move { member, to } => {
                let g = self.group_of[member];
                let at = self.groups[g].iter().position(|m| *m == member);
                self.groups[g].swap_remove(at.expect("member is in its group"));
                self.groups[to].push(member);
                self.group_of[member] = to;
                self.values[g] = va;
                self.values[to] = vb;
            }
            Step::Swap { a, b } => {
                let (g, h) = (self.group_of[a], self.group_of[b]);
                for m in self.groups[g].iter_mut() {
                    if *m == a {
                        *m = b;
                    }
                }
                for m in self.groups[h].iter_mut() {
                    if *m == b {
                        *m = a;
                    }
                }
                self.group_of.swap(a, b);
                self.values[g] = va;
                self.values[h] = vb;
            }
        }
    }

    /// Simulated annealing: random moves and swaps toward near members,
    /// accepting worse ones less and less often.
    fn anneal(&mut self, iterations: usize, random: &mut Random) {
        let n = self.group_of.len();
        if self.movable.is_empty() || self.plan.groups < 2 || iterations == 0 {
            return;
        }
        let scale = self.model.total_weight / n as f64;
        let (hot, cold) = (0.5 * scale, 0.002 * scale);
        let mut cooling = (cold / hot).powf(1.0 / guided_phase(iterations) as f64);
        let mut temperature = hot;
        // First toward shared days (guided), then toward fit (relaxed),
        // keeping the best partition by the real objective.
        let guided_until = guided_phase(iterations);
        self.judge = Judge::Guided;
        let check_every = n.max(64);
        let mut best = (self.energy(), self.group_of.clone());
        for iteration in 0..iterations {
            if iteration == guided_until {
                // Warm up again: leaving a local optimum of the first phase
                // may mean passing through worse partitions.
                self.judge = Judge::Relaxed;
                temperature = temperature.max(hot / 2.0);
                cooling = (cold / temperature).powf(1.0 / (iterations - iteration) as f64);
            }
            if iteration % check_every == 0 {
                let energy = self.energy();
                if energy < best.0 - 1e-12 {
                    best = (energy, self.group_of.clone());
                }
            }
            temperature *= cooling;
            let a = self.movable[random.below(self.movable.len())];
            let near = &self.near[a];
            let b = if !near.is_empty() && random.unit() < 0.75 {
                near[random.below(near.len())]
            } else {
                random.below(n)
            };
            let to = self.group_of[b];
            if to == self.group_of[a] {
                continue;
            }
            let step = if random.unit() < 0.4 {
                Step::Move { member: a, to }
            } else {
                let group = &self.groups[to];
                let other = if random.unit() < 0.5 {
                    b
                } else {
                    group[random.below(group.len())]
                };
                Step::Swap { a, b: other }
            };
            let Some((delta, va, vb)) = self.try_step(step) else {
                continue;
            };
            if delta <= 0.0 || random.unit() < (-delta / temperature).exp() {
                self.apply(step, va, vb);
            }
        }
        if best.0 < self.energy() - 1e-12 {
            self.restore(best.1);
        }
    }

    /// Goes back to a partition kept earlier.
    fn restore(&mut self, group_of: Vec<usize>) {
        for group in &mut self.groups {
            group.clear();
        }
        for (member, group) in group_of.iter().enumerate() {
            self.groups[*group].push(member);
        }
        self.values = self.groups.iter().map(|g| self.model.value(g)).collect();
        self.group_of = group_of;
    }

    /// Takes every improving move or swap until none is left (or 50 rounds).
    /// Small instances try every pair, large ones each member's near ones.
    fn descend(&mut self) {
        let n = self.group_of.len();
        let everyone: Vec<usize> = (0..n).collect();
        for _ in 0..50 {
            let mut improved = false;
            for index in 0..self.movable.len() {
                let a = self.movable[index];
                let candidates = if n <= 60 {
                    everyone.clone()
                } else {
                    self.near[a].clone()
                };
                for b in candidates {
                    let to = self.group_of[b];
                    if to == self.group_of[a] {
                        continue;
                    }
                    for step in [Step::Move { member: a, to }, Step::Swap { a, b }] {
                        if let Some((delta, va, vb)) = self.try_step(step) {
                            if delta < -1e-9 {
                                self.apply(step, va, vb);
                                improved = true;
                                break;
                            }
                        }
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }
}

/// How many of the annealing's iterations look for shared days first.
fn guided_phase(iterations: usize) -> usize {
    (iterations * 3 / 5).max(1)
}

/// For each member, up to `count` others that share a day with it, nearest
/// first (those without a point count as 5 km away). O(n²): fine for the
/// thousands of families one initiative has.
fn nearest_others(model: &Model, count: usize) -> Vec<Vec<usize>> {
    let n = model.days.len();
    let mut row: Vec<(f64, usize)> = Vec::with_capacity(n);
    (0..n)
        .map(|a| {
            row.clear();
            for b in 0..n {
                if a == b {
                    continue;
                }
                let km = if model.has_point[a] && model.has_point[b] {
                    model.km(a, b)
                } else {
                    5.0
                };
                let apart = if model.days[a] & model.days[b] == 0 {
                    1e6
                } else {
                    0.0
                };
                row.push((km + apart, b));
            }
            let keep = count.min(row.len());
            if keep > 0 && keep < row.len() {
                row.select_nth_unstable_by(keep - 1, |x, y| {
                    x.0.total_cmp(&y.0).then(x.1.cmp(&y.1))
                });
            }
            row.truncate(keep);
            row.sort_unstable_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            row.iter().map(|(_, b)| *b).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::*;

    const REGNBUEN: GeoPoint = GeoPoint {
        lat: 55.7308,
        lon: 9.1153,
    };

    /// A family `km_north`/`km_east` of Regnbuen.
    fn family(id: u128, km_north: f64, km_east: f64, days: &[Weekday]) -> Member {
        Member {
            id: Uuid::from_u128(id),
            point: Some(GeoPoint {
                lat: REGNBUEN.lat + km_north / 111.195,
                lon: REGNBUEN.lon + km_east / (111.195 * REGNBUEN.lat.to_radians().cos()),
            }),
            days: days.to_vec(),
            age_band: Some(AgeBand::Preschool),
            languages: vec!["da".into()],
            needs_support: false,
        }
    }

    fn ids(group: &Group) -> Vec<u128> {
        group.members.iter().map(|id| id.as_u128()).collect()
    }

    #[test]
    fn neighbours_free_on_the_same_day_end_up_together() {
        // Four homes in the north free on Tuesdays, four in the south on
        // Thursdays; the input interleaves them.
        let members: Vec<Member> = (0..8)
            .map(|i| {
                let north = i % 2 == 0;
                let (km, day) = if north { (3.0, Tue) } else { (-3.0, Thu) };
                family(
                    i,
                    km,
                    i as f64 * 0.1,
                    &[day, Fri][..if i == 0 { 2 } else { 1 }],
                )
            })
            .collect();
        let composition = compose(&members, &Rules::sizes(4, 4), 1).unwrap();
        let mut groups: Vec<Vec<u128>> = composition.groups.iter().map(ids).collect();
        groups.sort();
        assert_eq!(groups, [vec![0, 2, 4, 6], vec![1, 3, 5, 7]]);
        let north = composition.groups.iter().find(|g| ids(g)[0] == 0).unwrap();
        assert_eq!(north.shared_days, [Tue]);
        assert!(north.max_distance_km.unwrap() < 0.7);
        assert_eq!(composition.score.groups_without_shared_day, 0);
        assert_eq!(
            north.reasons[0].text(Lang::Da),
            "alle fri tir",
            "{:?}",
            north.reasons
        );
    }

    #[test]
    fn a_shared_day_outweighs_any_distance() {
        // The two Monday families live far apart, yet must be together.
        let members = vec![
            family(1, 0.0, 0.0, &[Mon]),
            family(2, 0.1, 0.0, &[Wed]),
            family(3, 20.0, 0.0, &[Mon]),
            family(4, 20.1, 0.0, &[Wed]),
        ];
        let composition = compose(&members, &Rules::sizes(2, 2), 3).unwrap();
        let mut groups: Vec<Vec<u128>> = composition.groups.iter().map(ids).collect();
        groups.sort();
        assert_eq!(groups, [vec![1, 3], vec![2, 4]]);
        assert_eq!(composition.score.groups_without_shared_day, 0);
        let optimum = exhaustive_optimum(&members, &Rules::sizes(2, 2)).unwrap();
        assert_eq!(composition.score.ratio_to(&optimum), 1.0);
    }

    #[test]
    fn the_number_of_groups_follows_the_sizes() {
        let members: Vec<Member> = (0..23)
            .map(|i| family(i, i as f64 * 0.1, 0.0, &[]))
            .collect();
        let sizes = |rules: &Rules| -> Vec<usize> {
            let composition = compose(&members, rules, 9).unwrap();
            let mut sizes: Vec<usize> =
                composition.groups.iter().map(|g| g.members.len()).collect();
            sizes.sort();
            sizes
        };
        // 23 / 5 (the middle of 4..=6) → 5 groups.
        assert_eq!(sizes(&Rules::sizes(4, 6)), [4, 4, 5, 5, 5]);
        let mut four = Rules::sizes(4, 6);
        four.groups = Some(4);
        assert_eq!(sizes(&four), [5, 6, 6, 6]);
        four.groups = Some(7);
        assert_eq!(
            compose(&members, &four, 9).unwrap_err(),
            ComposeError::GroupsDontFit {
                groups: 7,
                members: 23,
                min: 4,
                max: 6
            }
        );
        // Seven families cannot make groups of 4 to 6: two even groups.
        let seven = &members[..7];
        let composition = compose(seven, &Rules::sizes(4, 6), 9).unwrap();
        let mut sizes: Vec<usize> = composition.groups.iter().map(|g| g.members.len()).collect();
        sizes.sort();
        assert_eq!(sizes, [3, 4]);
    }

    #[test]
    fn locked_families_stay_and_bad_locks_are_refused() {
        let members: Vec<Member> = (0..8)
            .map(|i| family(i, if i < 4 { 0.0 } else { 5.0 }, 0.0, &[Tue]))
            .collect();
        let mut rules = Rules::sizes(4, 4);
        // Lock family 0 (south) with two northern families.
        for (member, group) in [(0, 1), (5, 1), (6, 1)] {
            rules.locks.push(Lock {
                member_id: Uuid::from_u128(member),
                group,
            });
        }
        let composition = compose(&members, &rules, 4).unwrap();
        let locked = &composition.groups[1];
        assert!([0, 5, 6].iter().all(|m| ids(locked).contains(m)));
        // The fourth is the remaining northern family: closest to the three.
        assert_eq!(ids(locked), [0, 4, 5, 6]);

        let mut bad = Rules::sizes(4, 4);
        bad.locks = vec![Lock {
            member_id: Uuid::from_u128(99),
            group: 0,
        }];
        assert!(matches!(
            compose(&members, &bad, 1),
            Err(ComposeError::UnknownMember { .. })
        ));
        bad.locks = (0..5)
            .map(|m| Lock {
                member_id: Uuid::from_u128(m),
                group: 0,
            })
            .collect();
        assert_eq!(
            compose(&members, &bad, 1).unwrap_err(),
            ComposeError::TooManyLocked { group: 0, max: 4 }
        );
        bad.locks = vec![
            Lock {
                member_id: Uuid::from_u128(1),
                group: 0,
            },
            Lock {
                member_id: Uuid::from_u128(1),
                group: 1,
            },
        ];
        assert!(matches!(
            compose(&members, &bad, 1),
            Err(ComposeError::ConflictingLocks { .. })
        ));
    }

    #[test]
    fn newcomers_are_spread_and_meet_someone_speaking_their_language() {
        let mut members: Vec<Member> = (0..8)
            .map(|i| family(i, 0.0, i as f64 * 0.2, &[Wed]))
            .collect();
        // Two newcomers next door to each other, one speaking Arabic; one
        // established family speaks Arabic too, at the other end of the street.
        for newcomer in [0, 1] {
            members[newcomer].needs_support = true;
        }
        members[0].languages = vec!["ar".into()];
        members[7].languages.push("ar".into());
        let composition = compose(&members, &Rules::sizes(4, 4), 5).unwrap();
        let with_0 = composition
            .groups
            .iter()
            .find(|g| ids(g).contains(&0))
            .unwrap();
        assert!(!ids(with_0).contains(&1), "newcomers are spread");
        assert!(ids(with_0).contains(&7), "the Arabic speakers meet");
        assert_eq!(
            with_0.newcomers,
            [Newcomer {
                member_id: Uuid::from_u128(0),
                established: 3,
                shared_language: Some("ar".into())
            }]
        );
        let reason = with_0.reasons.last().unwrap();
        assert_eq!(
            reason.text(Lang::En),
            "new in the area, with 3 established; shares Arabic with someone"
        );
        assert_eq!(
            reason.text(Lang::Da),
            "ny i området, med 3 etablerede; taler arabisk med en anden"
        );
    }

    #[test]
    fn a_partition_made_by_hand_is_scored_and_checked() {
        let members: Vec<Member> = (0..4).map(|i| family(i, 0.0, i as f64, &[Mon])).collect();
        let id = Uuid::from_u128;
        let rules = Rules::sizes(2, 2);
        let near = describe(&members, &rules, &[vec![id(0), id(1)], vec![id(2), id(3)]]).unwrap();
        let far = describe(&members, &rules, &[vec![id(0), id(3)], vec![id(1), id(2)]]).unwrap();
        assert!(near.score.is_better_than(&far.score));
        assert_eq!(near.groups[0].max_distance_km, Some(1.0));
        assert_eq!(
            far.groups[0].reasons[1].text(Lang::Da),
            "højst 3,0 km fra hinanden (gns. 3,0 km)"
        );
        assert_eq!(
            describe(&members, &rules, &[vec![id(0), id(1)], vec![id(2)]]).unwrap_err(),
            ComposeError::MemberMissing { member_id: id(3) }
        );
        assert_eq!(
            describe(
                &members,
                &rules,
                &[vec![id(0), id(1), id(1)], vec![id(2), id(3)]]
            )
            .unwrap_err(),
            ComposeError::DuplicateMember { member_id: id(1) }
        );
    }

    #[test]
    fn nothing_to_compose_and_wrong_sizes() {
        let composition = compose(&[], &Rules::sizes(4, 6), 1).unwrap();
        assert!(composition.groups.is_empty());
        assert_eq!(
            compose(&[], &Rules::sizes(5, 4), 1).unwrap_err(),
            ComposeError::InvalidSizes { min: 5, max: 4 }
        );
        assert!(matches!(
            exhaustive_optimum(
                &(0..13)
                    .map(|i| family(i, 0.0, 0.0, &[]))
                    .collect::<Vec<_>>(),
                &Rules::sizes(4, 6)
            ),
            Err(ComposeError::TooManyForExhaustive {
                members: 13,
                max: 12
            })
        ));
    }

    #[test]
    fn ages_are_described_by_band() {
        let mut members: Vec<Member> = (0..2).map(|i| family(i, 0.0, 0.0, &[])).collect();
        members[1].age_band = Some(AgeBand::YoungSchool);
        let composition = compose(&members, &Rules::sizes(2, 2), 1).unwrap();
        let reason = composition.groups[0].reasons.last().unwrap();
        assert_eq!(reason.text(Lang::En), "aged 3-5 to 6-9");
        assert_eq!(reason.text(Lang::Da), "alder 3-5 til 6-9 år");
    }

    /// Rules for walking to school at Regnbuen in groups of `size`.
    fn to_school(size: usize) -> Rules {
        let mut rules = Rules::sizes(size, size);
        rules.route_to = Some(REGNBUEN);
        rules
    }

    fn sorted_groups(composition: &Composition) -> Vec<Vec<u128>> {
        let mut groups: Vec<Vec<u128>> = composition.groups.iter().map(ids).collect();
        groups.sort();
        groups
    }

    /// Three homes north of the school and three east of it, near and far
    /// on each side, given mixed up: north 1, 3, 5 and east 2, 4, 6.
    fn two_ways() -> Vec<Member> {
        vec![
            family(1, 0.4, 0.0, &[]),
            family(2, 0.0, 0.4, &[]),
            family(3, 1.5, 0.1, &[]),
            family(4, 0.1, 1.5, &[]),
            family(5, 0.9, -0.1, &[]),
            family(6, -0.1, 0.9, &[]),
        ]
    }

    #[test]
    fn six_homes_in_two_directions_make_two_routes() {
        let members = two_ways();
        for seed in [1, 2, 3] {
            let composition = compose(&members, &to_school(3), seed).unwrap();
            assert_eq!(
                sorted_groups(&composition),
                [vec![1, 3, 5], vec![2, 4, 6]],
                "seed {seed}"
            );
        }
        let composition = compose(&members, &to_school(3), 1).unwrap();
        let north = composition.groups.iter().find(|g| ids(g)[0] == 1).unwrap();
        assert_eq!(
            north.reasons[0],
            GroupReason::Route(GroupRoute {
                from: Some(Compass::North),
                homes: 3,
                nearest_km: 0.4,
                farthest_km: 1.5,
                without_point: 0,
                to: RouteEnd::School,
            })
        );
        assert_eq!(
            north.reasons[0].text(Lang::Da),
            "rute fra nord: 3 hjem 0,4–1,5 km fra skolen"
        );
        let east = composition.groups.iter().find(|g| ids(g)[0] == 2).unwrap();
        assert_eq!(
            east.reasons[0].text(Lang::En),
            "route from the east: 3 homes 0.4–1.5 km from school"
        );
        // The same composition the same way every time.
        assert_eq!(compose(&members, &to_school(3), 1).unwrap(), composition);
    }

    #[test]
    fn a_route_goes_one_way_where_plain_distance_would_cross_the_school() {
        // Two homes just by the school on either side, two far out: by plain
        // distance the near ones pair up and the far ones cross the school to
        // meet; on routes each near home goes with the far one behind it.
        let members = vec![
            family(1, 0.1, 0.0, &[]),
            family(2, -0.1, 0.0, &[]),
            family(3, 1.0, 0.0, &[]),
            family(4, -1.0, 0.0, &[]),
        ];
        let plain = compose(&members, &Rules::sizes(2, 2), 1).unwrap();
        assert_eq!(sorted_groups(&plain), [vec![1, 2], vec![3, 4]]);
        assert!(plain.groups[0]
            .reasons
            .iter()
            .all(|r| !matches!(r, GroupReason::Route(_))));
        let routes = compose(&members, &to_school(2), 1).unwrap();
        assert_eq!(sorted_groups(&routes), [vec![1, 3], vec![2, 4]]);
        let optimum = exhaustive_optimum(&members, &to_school(2)).unwrap();
        assert_eq!(routes.score.ratio_to(&optimum), 1.0);
        let south = routes.groups.iter().find(|g| ids(g)[0] == 2).unwrap();
        assert_eq!(
            south.reasons[0].text(Lang::En),
            "route from the south: 2 homes 0.1–1.0 km from school"
        );
    }

    #[test]
    fn members_without_a_home_fill_the_routes_and_are_never_dropped() {
        let mut members = two_ways();
        members.push(Member::anyone(Uuid::from_u128(7)));
        members.push(Member::anyone(Uuid::from_u128(8)));
        let composition = compose(&members, &to_school(4), 1).unwrap();
        let groups = sorted_groups(&composition);
        assert_eq!(groups.concat().len(), 8, "{groups:?}");
        assert!(groups.iter().all(|g| g.len() == 4), "{groups:?}");
        // The homes still make their two routes; one without a home each.
        for group in &groups {
            let homes: Vec<u128> = group.iter().copied().filter(|m| *m <= 6).collect();
            assert!(homes == [1, 3, 5] || homes == [2, 4, 6], "{groups:?}");
        }
        let texts: Vec<String> = composition
            .groups
            .iter()
            .map(|g| g.reasons[0].text(Lang::Da))
            .collect();
        assert!(
            texts
                .iter()
                .all(|t| t.ends_with("fra skolen; 1 uden adresse")),
            "{texts:?}"
        );
        // Homes in every direction: the route says so rather than guess one.
        let around = vec![
            family(1, 1.0, 0.0, &[]),
            family(2, -1.0, 0.0, &[]),
            family(3, 0.0, 1.0, &[]),
        ];
        let one = compose(&around, &to_school(3), 1).unwrap();
        assert_eq!(
            one.groups[0].reasons[0].text(Lang::En),
            "route from several directions: 3 homes 1.0 km from school"
        );
    }

    #[test]
    fn a_route_is_worded_by_what_it_leads_to() {
        let members = two_ways();
        let worded = |end: RouteEnd, lang: Lang| {
            let mut rules = to_school(3);
            rules.route_end = end;
            let composition = compose(&members, &rules, 1).unwrap();
            let north = composition.groups.iter().find(|g| ids(g)[0] == 1).unwrap();
            north.reasons[0].text(lang)
        };
        assert_eq!(
            worded(RouteEnd::MeetingPoint, Lang::Da),
            "rute fra nord: 3 hjem 0,4–1,5 km fra mødestedet"
        );
        assert_eq!(
            worded(RouteEnd::MeetingPoint, Lang::En),
            "route from the north: 3 homes 0.4–1.5 km from the meeting point"
        );
        let regnbuen = || RouteEnd::Institution {
            name: "Børnehaven Regnbuen".into(),
        };
        assert_eq!(
            worded(regnbuen(), Lang::Da),
            "rute fra nord: 3 hjem 0,4–1,5 km fra Børnehaven Regnbuen"
        );
        assert_eq!(
            worded(regnbuen(), Lang::En),
            "route from the north: 3 homes 0.4–1.5 km from Børnehaven Regnbuen"
        );
    }

    #[test]
    fn the_score_reads_back_from_an_energy() {
        let members: Vec<Member> = (0..3).map(|i| family(i, 0.0, 0.0, &[])).collect();
        let plan = Plan::new(&members, &Rules::sizes(1, 3)).unwrap();
        let model = Model::new(&members, &Rules::sizes(1, 3), &plan);
        let score = model.score_of_energy(2.0 * model.missing_penalty - 0.5 * model.total_weight);
        assert_eq!(score.groups_without_shared_day, 2);
        assert!((score.fit - 0.5).abs() < 1e-9);
        let score = model.score_of_energy(-model.total_weight);
        assert_eq!((score.groups_without_shared_day, score.fit), (0, 1.0));
    }
}
