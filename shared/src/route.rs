//! Escort groups' routes: a walking group's members walk to one place (a
//! school, a preschool, a meeting point), and each group is described by
//! where its homes lie on the way there. The composer finds the routes; the
//! coordinator's console and the organiser's page show them.

use serde::{Deserialize, Serialize};

use crate::Lang;

/// One of the eight directions a route comes from, seen from its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Compass {
    North,
    NorthEast,
    East,
    SouthEast,
    South,
    SouthWest,
    West,
    NorthWest,
}

impl Compass {
    const ALL: [Compass; 8] = [
        Compass::North,
        Compass::NorthEast,
        Compass::East,
        Compass::SouthEast,
        Compass::South,
        Compass::SouthWest,
        Compass::West,
        Compass::NorthWest,
    ];

    /// The direction nearest a bearing (degrees clockwise from north).
    pub fn of_bearing(degrees: f64) -> Compass {
        let sector = (degrees.rem_euclid(360.0) / 45.0).round() as usize % 8;
        Compass::ALL[sector]
    }

    /// "nord", "the north": as in "rute fra nord".
    pub fn text(self, lang: Lang) -> &'static str {
        let (da, en) = match self {
            Compass::North => ("nord", "the north"),
            Compass::NorthEast => ("nordøst", "the northeast"),
            Compass::East => ("øst", "the east"),
            Compass::SouthEast => ("sydøst", "the southeast"),
            Compass::South => ("syd", "the south"),
            Compass::SouthWest => ("sydvest", "the southwest"),
            Compass::West => ("vest", "the west"),
            Compass::NorthWest => ("nordvest", "the northwest"),
        };
        match lang {
            Lang::Da => da,
            Lang::En => en,
        }
    }
}

/// What a route leads to, as the people who walk it know it: the distances
/// in a route's description are "from the school", "from Børnehaven
/// Regnbuen" or "from the meeting point".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RouteEnd {
    /// The initiative's institution, a school ("fra skolen"). What a route
    /// led to before its end was told, so the default.
    #[default]
    School,
    /// The initiative's institution of another kind (a preschool, a club,
    /// an area), by its name ("fra Børnehaven Regnbuen").
    Institution { name: String },
    /// The initiative's own place, not its institution's ("fra mødestedet").
    MeetingPoint,
}

impl RouteEnd {
    /// "skolen", "the meeting point", the institution's name: as in "fra
    /// skolen".
    pub fn text(&self, lang: Lang) -> &str {
        match (self, lang) {
            (RouteEnd::School, Lang::Da) => "skolen",
            (RouteEnd::School, Lang::En) => "school",
            (RouteEnd::MeetingPoint, Lang::Da) => "mødestedet",
            (RouteEnd::MeetingPoint, Lang::En) => "the meeting point",
            (RouteEnd::Institution { name }, _) => name,
        }
    }
}

/// A group as a route: the direction its homes lie in seen from the route's
/// end (`None` when they lie in several), how many gave a home and how far
/// the nearest and farthest are (km, one decimal), how many gave none, and
/// what the route leads to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupRoute {
    pub from: Option<Compass>,
    pub homes: usize,
    pub nearest_km: f64,
    pub farthest_km: f64,
    pub without_point: usize,
    #[serde(default)]
    pub to: RouteEnd,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearings_fall_in_the_nearest_of_eight_directions() {
        assert_eq!(Compass::of_bearing(0.0), Compass::North);
        assert_eq!(Compass::of_bearing(22.0), Compass::North);
        assert_eq!(Compass::of_bearing(23.0), Compass::NorthEast);
        assert_eq!(Compass::of_bearing(-90.0), Compass::West);
        assert_eq!(Compass::of_bearing(359.0), Compass::North);
    }

    #[test]
    fn a_route_end_is_named_as_its_walkers_know_it() {
        let regnbuen = RouteEnd::Institution {
            name: "Børnehaven Regnbuen".into(),
        };
        assert_eq!(RouteEnd::School.text(Lang::Da), "skolen");
        assert_eq!(RouteEnd::MeetingPoint.text(Lang::En), "the meeting point");
        assert_eq!(regnbuen.text(Lang::En), "Børnehaven Regnbuen");
        assert_eq!(
            serde_json::to_value(&regnbuen).unwrap(),
            serde_json::json!({"kind": "institution", "name": "Børnehaven Regnbuen"})
        );
    }
}
