//! Matching: ranks the offers of a municipality for one need of an
//! initiative, with the reasons a coordinator reads before inviting anyone.
//!
//! Hard filters remove an offer: when the need has weekly slots and the offer
//! shares no minute with them, or when the need's place lies outside the
//! volunteer's radius. Soft factors rank the rest: skills and tools covered,
//! distance, minutes of overlap per week and, when the need prefers some
//! languages, whether the volunteer speaks one of them.

use std::cmp::Ordering;

use sammen_shared::geo::GeoPoint;
use sammen_shared::offer::Area;
use sammen_shared::week::{Weekday, WeeklySlot};
use sammen_shared::Lang;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::vocabulary::{self, Keyword};

/// What an initiative needs: "3 people with snow shovels, weekday mornings".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Need {
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub tools: Vec<String>,
    /// Where the help is needed; without it distance neither filters nor ranks.
    #[serde(default)]
    pub place: Option<GeoPoint>,
    /// When the help is needed; without slots time neither filters nor ranks.
    #[serde(default)]
    pub slots: Vec<WeeklySlot>,
    /// How many people the need asks for (the console pre-selects this many).
    #[serde(default = "one")]
    pub people: u32,
    /// Languages that help (ISO 639 codes), e.g. `ar` for an Arabic-speaking
    /// family; volunteers speaking one rank higher. Nobody is filtered out.
    #[serde(default)]
    pub languages: Vec<String>,
}

fn one() -> u32 {
    1
}

/// An offer of help, as the matcher sees it (no contact details).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Offer {
    pub offer_id: Uuid,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub tools: Vec<String>,
    #[serde(default)]
    pub slots: Vec<WeeklySlot>,
    pub area: Area,
    #[serde(default)]
    pub languages: Vec<String>,
}

impl Offer {
    /// The matcher's view of a stored, checked offer.
    pub fn from_parsed(offer_id: Uuid, offer: &sammen_shared::offer::Offer) -> Offer {
        Offer {
            offer_id,
            skills: offer.skills.clone(),
            tools: offer.tools.clone(),
            slots: offer.slots.clone(),
            area: offer.area.clone(),
            languages: offer.languages.clone(),
        }
    }
}

/// One ranked volunteer for a need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Match {
    pub offer_id: Uuid,
    /// 0 to 1; 1 gives everything asked, at the place, all the time asked.
    pub score: f64,
    /// Why this volunteer is here, best-first: distance, tools, skills, time,
    /// languages, then what is missing.
    pub reasons: Vec<Reason>,
}

/// A part of the day, as free time is spoken of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PartOfDay {
    /// Before noon.
    Morning,
    /// Noon to 17:00.
    Afternoon,
    /// From 17:00.
    Evening,
}

impl PartOfDay {
    fn of_minute(minute: u16) -> PartOfDay {
        match minute {
            0..720 => PartOfDay::Morning,
            720..1020 => PartOfDay::Afternoon,
            _ => PartOfDay::Evening,
        }
    }
}

/// Why a volunteer matches (or what they lack), structured so the console can
/// show it in the reader's language with [`Reason::text`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// Kilometres between the need's place and the volunteer's area point.
    Distance { km: f64 },
    /// A tool the need asks for, as the volunteer named it.
    HasTool { tool: String },
    /// A skill the need asks for, as the volunteer named it.
    HasSkill { skill: String },
    /// The volunteer is free on these days in this part of the day, during
    /// the need's slots.
    FreeAt {
        days: Vec<Weekday>,
        part_of_day: PartOfDay,
    },
    /// The volunteer speaks a language the need prefers (ISO 639 code).
    Speaks { language: String },
    /// A skill or tool the need asks for that the volunteer did not offer.
    Lacks { item: String },
}

impl Reason {
    /// The reason as a coordinator reads it: "1,2 km", "har sneskovl",
    /// "fri tir/tor formiddag", "taler arabisk" (Danish) or "1.2 km",
    /// "has snow shovel", "free Tue/Thu mornings", "speaks Arabic" (English).
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Reason::Distance { km }, _) => vocabulary::km_text(*km, lang),
            (Reason::HasTool { tool }, Lang::Da) => {
                format!("har {}", vocabulary::translate(tool, lang))
            }
            (Reason::HasTool { tool }, Lang::En) => {
                format!("has {}", vocabulary::translate(tool, lang))
            }
            (Reason::HasSkill { skill }, Lang::Da) => {
                format!("kan {}", vocabulary::translate(skill, lang))
            }
            (Reason::HasSkill { skill }, Lang::En) => {
                format!("knows {}", vocabulary::translate(skill, lang))
            }
            (Reason::FreeAt { days, part_of_day }, Lang::Da) => {
                let part = match part_of_day {
                    PartOfDay::Morning => "formiddag",
                    PartOfDay::Afternoon => "eftermiddag",
                    PartOfDay::Evening => "aften",
                };
                format!("fri {} {part}", vocabulary::days_text(days, lang))
            }
            (Reason::FreeAt { days, part_of_day }, Lang::En) => {
                let part = match (part_of_day, days.len()) {
                    (PartOfDay::Morning, 1) => "morning",
                    (PartOfDay::Morning, _) => "mornings",
                    (PartOfDay::Afternoon, 1) => "afternoon",
                    (PartOfDay::Afternoon, _) => "afternoons",
                    (PartOfDay::Evening, 1) => "evening",
                    (PartOfDay::Evening, _) => "evenings",
                };
                format!("free {} {part}", vocabulary::days_text(days, lang))
            }
            (Reason::Speaks { language }, Lang::Da) => {
                format!("taler {}", vocabulary::language_name(language, lang))
            }
            (Reason::Speaks { language }, Lang::En) => {
                format!("speaks {}", vocabulary::language_name(language, lang))
            }
            (Reason::Lacks { item }, Lang::Da) => {
                format!("mangler {}", vocabulary::translate(item, lang))
            }
            (Reason::Lacks { item }, Lang::En) => {
                format!("no {}", vocabulary::translate(item, lang))
            }
        }
    }
}

// The weights of the soft factors. Only the factors the need speaks to count,
// and the score is divided by their sum, so it stays within 0..=1.
const WEIGHT_COVERAGE: f64 = 0.40;
const WEIGHT_DISTANCE: f64 = 0.25;
const WEIGHT_TIME: f64 = 0.25;
const WEIGHT_LANGUAGE: f64 = 0.10;
/// At this many kilometres the distance factor is one half.
const HALF_KM: f64 = 2.0;
/// The distance factor of a volunteer who gave no point: ranked below
/// anyone known to be within ~3 km.
const UNKNOWN_DISTANCE: f64 = 0.4;

/// A need prepared once for scoring many offers.
struct Prepared<'a> {
    need: &'a Need,
    skills: Vec<Keyword>,
    tools: Vec<Keyword>,
    slots: Vec<(Weekday, u16, u16)>,
    slot_minutes: u32,
    languages: Vec<String>,
}

impl<'a> Prepared<'a> {
    fn new(need: &'a Need) -> Prepared<'a> {
        let slots: Vec<(Weekday, u16, u16)> = need
            .slots
            .iter()
            .filter_map(|s| s.minutes().map(|(from, to)| (s.day, from, to)))
            .filter(|(_, from, to)| to > from)
            .collect();
        let slot_minutes = slots.iter().map(|(_, f, t)| u32::from(t - f)).sum();
        Prepared {
            need,
            skills: need.skills.iter().map(|s| Keyword::new(s)).collect(),
            tools: need.tools.iter().map(|s| Keyword::new(s)).collect(),
            slots,
            slot_minutes,
            languages: need.languages.iter().map(|l| l.to_lowercase()).collect(),
        }
    }

    /// The offer's score, or `None` when a hard filter removes it.
    fn score(&self, offer: &Offer) -> Option<f64> {
        let mut weight = 0.0;
        let mut total = 0.0;
        if !self.slots.is_empty() {
            let overlap = self.overlap(offer, |_, _, _| ());
            if overlap == 0 {
                return None;
            }
            weight += WEIGHT_TIME;
            total += WEIGHT_TIME * (overlap as f64 / self.slot_minutes as f64).min(1.0);
        }
        if let Some(place) = self.need.place {
            weight += WEIGHT_DISTANCE;
            match offer.area.point {
                Some(point) => {
                    let km = place.distance_km(point);
                    if km > f64::from(offer.area.radius_km) {
                        return None;
                    }
                    total += WEIGHT_DISTANCE / (1.0 + km / HALF_KM);
                }
                None => total += WEIGHT_DISTANCE * UNKNOWN_DISTANCE,
            }
        }
        let asked = self.skills.len() + self.tools.len();
        if asked > 0 {
            let covered = covered(&self.skills, &offer.skills).count()
                + covered(&self.tools, &offer.tools).count();
            weight += WEIGHT_COVERAGE;
            total += WEIGHT_COVERAGE * covered as f64 / asked as f64;
        }
        if !self.languages.is_empty() {
            weight += WEIGHT_LANGUAGE;
            if self.speaks(offer).next().is_some() {
                total += WEIGHT_LANGUAGE;
            }
        }
        Some(if weight > 0.0 { total / weight } else { 1.0 })
    }

    /// Minutes a week the offer's slots share with the need's; `each` sees
    /// every shared stretch (day, from, to).
    fn overlap(&self, offer: &Offer, mut each: impl FnMut(Weekday, u16, u16)) -> u32 {
        let mut minutes = 0;
        for slot in &offer.slots {
            let Some((from, to)) = slot.minutes() else {
                continue;
            };
            for &(day, need_from, need_to) in &self.slots {
                if day != slot.day {
                    continue;
                }
                let (start, end) = (from.max(need_from), to.min(need_to));
                if end > start {
                    minutes += u32::from(end - start);
                    each(day, start, end);
                }
            }
        }
        minutes
    }

    fn speaks<'o>(&'o self, offer: &'o Offer) -> impl Iterator<Item = &'o String> + 'o {
        self.languages.iter().filter(|wanted| {
            offer
                .languages
                .iter()
                .any(|l| l.eq_ignore_ascii_case(wanted))
        })
    }

    fn reasons(&self, offer: &Offer) -> Vec<Reason> {
        let mut reasons = Vec::new();
        if let (Some(place), Some(point)) = (self.need.place, offer.area.point) {
            let km = place.distance_km(point);
            reasons.push(Reason::Distance {
                km: (km * 10.0).round() / 10.0,
            });
        }
        for (needed, given) in given_by(&self.tools, &offer.tools) {
            match given {
                Some(tool) => reasons.push(Reason::HasTool { tool: tool.clone() }),
                None => reasons.push(Reason::Lacks {
                    item: needed.typed.clone(),
                }),
            }
        }
        for (needed, given) in given_by(&self.skills, &offer.skills) {
            match given {
                Some(skill) => reasons.push(Reason::HasSkill {
                    skill: skill.clone(),
                }),
                None => reasons.push(Reason::Lacks {
                    item: needed.typed.clone(),
                }),
            }
        }
        let mut free: Vec<(PartOfDay, Weekday)> = Vec::new();
        self.overlap(offer, |day, start, end| {
            free.push((PartOfDay::of_minute((start + end) / 2), day));
        });
        free.sort();
        free.dedup();
        for part in [PartOfDay::Morning, PartOfDay::Afternoon, PartOfDay::Evening] {
            let days: Vec<Weekday> = free
                .iter()
                .filter(|(p, _)| *p == part)
                .map(|(_, d)| *d)
                .collect();
            if !days.is_empty() {
                reasons.push(Reason::FreeAt {
                    days,
                    part_of_day: part,
                });
            }
        }
        for language in self.speaks(offer) {
            reasons.push(Reason::Speaks {
                language: language.clone(),
            });
        }
        // Lacks go last: first what speaks for the volunteer.
        reasons.sort_by_key(|r| matches!(r, Reason::Lacks { .. }));
        reasons
    }
}

fn covered<'k>(needed: &'k [Keyword], offered: &'k [String]) -> impl Iterator<Item = &'k Keyword> {
    needed
        .iter()
        .filter(|k| offered.iter().any(|o| k.is_given_by(o)))
}

fn given_by<'k>(
    needed: &'k [Keyword],
    offered: &'k [String],
) -> impl Iterator<Item = (&'k Keyword, Option<&'k String>)> {
    needed
        .iter()
        .map(|k| (k, offered.iter().find(|o| k.is_given_by(o))))
}

/// Ranks `offers` for `need`, best first, and returns at most `limit` matches
/// with their reasons. Offers outside the hard filters never appear. Equal
/// scores are ordered by offer id, so the answer is the same on every call.
///
/// Time: one pass scoring every offer, a linear-time selection of the best
/// `limit` and a sort of those: O(n + k log k) for n offers and k = `limit`.
pub fn rank(need: &Need, offers: &[Offer], limit: usize) -> Vec<Match> {
    if limit == 0 {
        return Vec::new();
    }
    let prepared = Prepared::new(need);
    let mut scored: Vec<(f64, usize)> = offers
        .iter()
        .enumerate()
        .filter_map(|(index, offer)| prepared.score(offer).map(|score| (score, index)))
        .collect();
    let best_first = |a: &(f64, usize), b: &(f64, usize)| -> Ordering {
        b.0.total_cmp(&a.0)
            .then_with(|| offers[a.1].offer_id.cmp(&offers[b.1].offer_id))
    };
    if scored.len() > limit {
        scored.select_nth_unstable_by(limit - 1, best_first);
        scored.truncate(limit);
    }
    scored.sort_unstable_by(best_first);
    scored
        .into_iter()
        .map(|(score, index)| Match {
            offer_id: offers[index].offer_id,
            score,
            reasons: prepared.reasons(&offers[index]),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::*;

    const OTTERUP: GeoPoint = GeoPoint {
        lat: 55.5151,
        lon: 10.3976,
    };

    fn slot(day: Weekday, from: &str, to: &str) -> WeeklySlot {
        WeeklySlot {
            day,
            from: from.into(),
            to: to.into(),
        }
    }

    fn offer(id: u128, tools: &[&str], slots: Vec<WeeklySlot>, km_north: f64) -> Offer {
        Offer {
            offer_id: Uuid::from_u128(id),
            skills: vec![],
            tools: tools.iter().map(|t| t.to_string()).collect(),
            slots,
            area: Area {
                name: "Otterup".into(),
                // One degree of latitude is 111.2 km.
                point: Some(GeoPoint {
                    lat: OTTERUP.lat + km_north / 111.195,
                    lon: OTTERUP.lon,
                }),
                radius_km: 5,
            },
            languages: vec!["da".into()],
        }
    }

    fn snow_need() -> Need {
        Need {
            tools: vec!["snow shovel".into()],
            place: Some(OTTERUP),
            slots: vec![slot(Tue, "07:00", "09:00"), slot(Thu, "07:00", "09:00")],
            people: 3,
            ..Default::default()
        }
    }

    #[test]
    fn a_close_volunteer_with_a_shovel_ranks_first_with_readable_reasons() {
        let offers = vec![
            offer(1, &["Sneskovl"], vec![slot(Tue, "06:00", "10:00")], 3.0),
            offer(
                2,
                &["Sneskovl"],
                vec![slot(Tue, "06:00", "10:00"), slot(Thu, "08:00", "12:00")],
                1.2,
            ),
            offer(3, &["trailer"], vec![slot(Thu, "07:00", "09:00")], 0.5),
        ];
        let matches = rank(&snow_need(), &offers, 10);
        let ids: Vec<u128> = matches.iter().map(|m| m.offer_id.as_u128()).collect();
        assert_eq!(ids[0], 2);
        let best = &matches[0];
        let da: Vec<String> = best.reasons.iter().map(|r| r.text(Lang::Da)).collect();
        let en: Vec<String> = best.reasons.iter().map(|r| r.text(Lang::En)).collect();
        assert_eq!(da, ["1,2 km", "har sneskovl", "fri tir/tor formiddag"]);
        assert_eq!(en, ["1.2 km", "has snow shovel", "free Tue/Thu mornings"]);
        // Without a shovel the nearby volunteer is still shown, after, with what it lacks.
        let third = matches.iter().find(|m| m.offer_id.as_u128() == 3).unwrap();
        assert_eq!(
            third.reasons.last().unwrap().text(Lang::En),
            "no snow shovel"
        );
        assert!(matches.iter().all(|m| (0.0..=1.0).contains(&m.score)));
    }

    #[test]
    fn no_shared_minute_or_outside_the_radius_is_no_match() {
        let offers = vec![
            offer(1, &["sneskovl"], vec![slot(Tue, "09:00", "12:00")], 1.0),
            offer(2, &["sneskovl"], vec![slot(Wed, "07:00", "09:00")], 1.0),
            offer(3, &["sneskovl"], vec![slot(Tue, "08:00", "09:00")], 6.0),
            offer(4, &["sneskovl"], vec![], 1.0),
        ];
        assert!(rank(&snow_need(), &offers, 10).is_empty());
        // Without slots on the need, time filters nobody.
        let mut need = snow_need();
        need.slots.clear();
        let ids: Vec<u128> = rank(&need, &offers, 10)
            .iter()
            .map(|m| m.offer_id.as_u128())
            .collect();
        assert_eq!(ids, [1, 2, 4]);
    }

    #[test]
    fn a_preferred_language_lifts_a_volunteer_and_says_so() {
        let mut need = snow_need();
        need.languages = vec!["ar".into()];
        let mut arabic = offer(1, &["sneskovl"], vec![slot(Tue, "07:00", "09:00")], 2.0);
        arabic.languages.push("ar".into());
        let danish = offer(2, &["sneskovl"], vec![slot(Tue, "07:00", "09:00")], 1.5);
        let matches = rank(&need, &[danish, arabic], 10);
        assert_eq!(matches[0].offer_id.as_u128(), 1);
        let last = matches[0].reasons.last().unwrap();
        assert_eq!(last.text(Lang::Da), "taler arabisk");
        assert_eq!(last.text(Lang::En), "speaks Arabic");
    }

    #[test]
    fn the_limit_keeps_the_best_and_ties_follow_the_offer_id() {
        let offers: Vec<Offer> = (0..50)
            .rev()
            .map(|i| offer(i, &["sneskovl"], vec![slot(Tue, "07:00", "09:00")], 1.0))
            .collect();
        let matches = rank(&snow_need(), &offers, 5);
        let ids: Vec<u128> = matches.iter().map(|m| m.offer_id.as_u128()).collect();
        assert_eq!(ids, [0, 1, 2, 3, 4]);
        assert!(rank(&snow_need(), &offers, 0).is_empty());
    }

    #[test]
    fn a_need_asking_nothing_in_particular_scores_everyone_fully() {
        let offers = vec![offer(1, &[], vec![], 1.0)];
        let matches = rank(&Need::default(), &offers, 3);
        assert_eq!(matches[0].score, 1.0);
        assert!(matches[0].reasons.is_empty());
    }

    #[test]
    fn reasons_travel_as_tagged_json() {
        let reason = Reason::FreeAt {
            days: vec![Tue, Thu],
            part_of_day: PartOfDay::Morning,
        };
        let json = serde_json::to_value(&reason).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "free_at", "days": ["tue", "thu"], "part_of_day": "morning"})
        );
    }
}
