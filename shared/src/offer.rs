//! Offers: what a citizen can give — skills, tools, weekly time, an area,
//! languages — without a specific initiative in mind.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::geo::GeoPoint;
use crate::lang::parse_language_codes;
use crate::person::{Contact, ContactInput};
use crate::text::{self, parse_keywords, parse_optional_text, parse_text};
use crate::week::{parse_slots, WeeklySlot};
use crate::{FieldError, FieldErrors};

/// An offer as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewOffer {
    #[serde(default)]
    pub contact: ContactInput,
    /// "First aid", "carpentry".
    #[serde(default)]
    pub skills: Vec<String>,
    /// "Snow shovel", "trailer".
    #[serde(default)]
    pub tools: Vec<String>,
    /// When the citizen is free, every week.
    #[serde(default)]
    pub slots: Vec<WeeklySlot>,
    /// Where the citizen can help.
    #[serde(default)]
    pub area: AreaInput,
    /// ISO 639 codes of the languages the citizen speaks.
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// The institution the offer is made through, if any (slug).
    #[serde(default)]
    pub institution: Option<String>,
}

/// An area as typed: a name, a point and how far the citizen will go.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AreaInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    /// Kilometres, 1–100; 5 when left out.
    #[serde(default)]
    pub radius_km: Option<u32>,
}

/// An area, checked; the point is coarse (≈ 100 m).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Area {
    pub name: String,
    pub point: Option<GeoPoint>,
    pub radius_km: u32,
}

/// An offer whose fields passed the rules; only [`NewOffer::parse`] makes
/// one outside this crate (`non_exhaustive`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Offer {
    pub contact: Contact,
    pub skills: Vec<String>,
    pub tools: Vec<String>,
    pub slots: Vec<WeeklySlot>,
    pub area: Area,
    pub languages: Vec<String>,
    pub note: Option<String>,
    pub institution: Option<String>,
}

impl NewOffer {
    /// Checks the offer against the rules and the municipality's institutions.
    /// An offer must give something: a skill, a tool or some time.
    pub fn parse(&self, institutions: &[String]) -> Result<Offer, FieldErrors> {
        let mut errors = FieldErrors::new();
        let contact = self.contact.parse("contact", &mut errors);
        let skills = parse_keywords(&self.skills, 20, "skills", &mut errors);
        let tools = parse_keywords(&self.tools, 20, "tools", &mut errors);
        let slots = parse_slots(&self.slots, "slots", &mut errors);
        if self.skills.is_empty() && self.tools.is_empty() && self.slots.is_empty() {
            errors.add("skills", FieldError::Required);
        }
        let area_name = errors.check("area.name", parse_text(&self.area.name, text::LABEL));
        let point = GeoPoint::parse_optional(self.area.lat, self.area.lon, "area", &mut errors)
            .map(GeoPoint::coarse);
        let radius = self.area.radius_km.unwrap_or(5);
        if !(1..=100).contains(&radius) {
            errors.add(
                "area.radius_km",
                FieldError::OutOfRange { min: 1, max: 100 },
            );
        }
        let languages = parse_language_codes(&self.languages, "languages", &mut errors);
        let note = errors.check(
            "note",
            parse_optional_text(self.note.as_deref(), text::OPTIONAL_BODY),
        );
        let institution = match self.institution.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(slug) if institutions.iter().any(|i| i == slug) => Some(slug.to_string()),
            Some(_) => {
                errors.add("institution", FieldError::UnknownInstitution);
                None
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Offer {
            contact: contact.expect("contact parsed without errors"),
            skills,
            tools,
            slots,
            area: Area {
                name: area_name.unwrap_or_default(),
                point,
                radius_km: radius,
            },
            languages,
            note: note.flatten(),
            institution,
        })
    }
}

/// The answer to an offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferCreated {
    pub id: Uuid,
    /// The secret of the offer's private link (download or delete your
    /// data): shown once, send it as `Authorization: Bearer …`.
    pub private_token: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::week::Weekday;

    fn shovel() -> NewOffer {
        NewOffer {
            contact: ContactInput {
                name: "Jens".into(),
                email: None,
                phone: Some("12345678".into()),
            },
            tools: vec!["Sneskovl".into()],
            slots: vec![WeeklySlot {
                day: Weekday::Mon,
                from: "7:00".into(),
                to: "9:00".into(),
            }],
            area: AreaInput {
                name: "Otterup".into(),
                lat: Some(55.5151),
                lon: Some(10.3976),
                radius_km: None,
            },
            languages: vec!["da".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_good_offer_gets_defaults_and_a_coarse_point() {
        let offer = shovel().parse(&[]).unwrap();
        assert_eq!(offer.area.radius_km, 5);
        assert_eq!(
            offer.area.point,
            Some(GeoPoint {
                lat: 55.515,
                lon: 10.398
            })
        );
        assert_eq!(offer.slots[0].from, "07:00");
    }

    #[test]
    fn an_offer_must_give_something_and_stay_in_range() {
        let mut input = shovel();
        input.tools.clear();
        input.slots.clear();
        input.area.radius_km = Some(0);
        let errors = input.parse(&[]).unwrap_err();
        assert_eq!(errors.get("skills"), Some(&FieldError::Required));
        assert_eq!(
            errors.get("area.radius_km"),
            Some(&FieldError::OutOfRange { min: 1, max: 100 })
        );
    }
}
