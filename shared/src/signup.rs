//! Signups: a citizen (or, for a playdate group, a family) joins an initiative.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::geo::GeoPoint;
use crate::lang::parse_language_codes;
use crate::person::{Contact, ContactInput};
use crate::text::{self, parse_optional_text, parse_text};
use crate::week::{parse_days, Weekday};
use crate::{FieldError, FieldErrors};

/// A child's age, only ever as a band: Sammen never stores a child's name or
/// birth date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AgeBand {
    #[serde(rename = "0-2")]
    Toddler,
    #[serde(rename = "3-5")]
    Preschool,
    #[serde(rename = "6-9")]
    YoungSchool,
    #[serde(rename = "10-13")]
    OlderSchool,
    #[serde(rename = "14-17")]
    Teen,
}

/// A request to join, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSignup {
    /// The need this person joins for, if any (one of the initiative's needs).
    #[serde(default)]
    pub need_id: Option<Uuid>,
    #[serde(default)]
    pub contact: ContactInput,
    /// A note to the organisers.
    #[serde(default)]
    pub message: Option<String>,
    /// Required when joining a playdate group.
    #[serde(default)]
    pub family: Option<FamilyInput>,
    /// What the organiser sees besides the name; only the name when left out.
    #[serde(default)]
    pub organiser_sees: OrganiserSees,
}

/// What the organiser of an initiative sees of someone who joined: the name
/// always, and the email or the phone only if the person chose to show it.
/// The coordinator sees the whole contact; the organiser can always write
/// through Sammen without seeing an address.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrganiserSees {
    #[default]
    Name,
    Email,
    Phone,
}

impl OrganiserSees {
    pub fn as_str(self) -> &'static str {
        match self {
            OrganiserSees::Name => "name",
            OrganiserSees::Email => "email",
            OrganiserSees::Phone => "phone",
        }
    }

    /// As stored; an unknown word shows the name only.
    pub fn parse(word: &str) -> OrganiserSees {
        match word {
            "email" => OrganiserSees::Email,
            "phone" => OrganiserSees::Phone,
            _ => OrganiserSees::Name,
        }
    }
}

/// A family joining a playdate group, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyInput {
    #[serde(default)]
    pub child_age_band: Option<AgeBand>,
    /// The neighbourhood, in words: "Grindsted nord".
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub free_afternoons: Vec<Weekday>,
    /// ISO 639 codes of the languages spoken at home.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Self-declared: the family is new in the area.
    #[serde(default)]
    pub new_in_area: bool,
}

/// A family, checked. The home point is coarse (≈ 100 m).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Family {
    pub child_age_band: AgeBand,
    pub area: String,
    pub home: Option<GeoPoint>,
    pub free_afternoons: Vec<Weekday>,
    pub languages: Vec<String>,
    pub new_in_area: bool,
}

/// A signup whose fields passed the rules; only [`NewSignup::parse`] makes
/// one outside this crate (`non_exhaustive`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Signup {
    pub need_id: Option<Uuid>,
    pub contact: Contact,
    pub message: Option<String>,
    pub family: Option<Family>,
    pub organiser_sees: OrganiserSees,
}

impl NewSignup {
    /// Checks the signup for an initiative of `category` whose needs are `needs`.
    pub fn parse(&self, category: &str, needs: &[Uuid]) -> Result<Signup, FieldErrors> {
        let mut errors = FieldErrors::new();
        if let Some(need) = self.need_id {
            if !needs.contains(&need) {
                errors.add("need_id", FieldError::UnknownNeed);
            }
        }
        let contact = self.contact.parse("contact", &mut errors);
        let message = errors.check(
            "message",
            parse_optional_text(self.message.as_deref(), text::OPTIONAL_BODY),
        );
        let family = match (&self.family, category == crate::initiative::PLAYDATE_GROUP) {
            (Some(family), _) => family.parse("family", &mut errors),
            (None, true) => {
                errors.add("family", FieldError::FamilyRequired);
                None
            }
            (None, false) => None,
        };
        // Showing an email or a phone one did not give is a slip to point at.
        let shown = match self.organiser_sees {
            OrganiserSees::Name => None,
            OrganiserSees::Email => Some(("contact.email", &self.contact.email)),
            OrganiserSees::Phone => Some(("contact.phone", &self.contact.phone)),
        };
        if let Some((field, value)) = shown {
            if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
                errors.add(field, FieldError::Required);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Signup {
            need_id: self.need_id,
            contact: contact.expect("contact parsed without errors"),
            message: message.flatten(),
            family,
            organiser_sees: self.organiser_sees,
        })
    }
}

impl FamilyInput {
    /// Checks the family part; errors go under `{field}.…`.
    pub fn parse(&self, field: &str, errors: &mut FieldErrors) -> Option<Family> {
        let band = self.child_age_band;
        if band.is_none() {
            errors.add(format!("{field}.child_age_band"), FieldError::Required);
        }
        let area = errors.check(
            &format!("{field}.area"),
            parse_text(&self.area, text::LABEL),
        );
        let home =
            GeoPoint::parse_optional(self.lat, self.lon, field, errors).map(GeoPoint::coarse);
        let languages =
            parse_language_codes(&self.languages, &format!("{field}.languages"), errors);
        Some(Family {
            child_age_band: band?,
            area: area?,
            home,
            free_afternoons: parse_days(&self.free_afternoons),
            languages,
            new_in_area: self.new_in_area,
        })
    }
}

/// The answer to a signup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupCreated {
    pub id: Uuid,
    pub initiative_id: Uuid,
    pub need_id: Option<Uuid>,
    /// The secret of the signup's private link (download or delete your
    /// data): shown once, send it as `Authorization: Bearer …`.
    pub private_token: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact() -> ContactInput {
        ContactInput {
            name: "Yusuf".into(),
            email: None,
            phone: Some("+45 11 22 33 44".into()),
        }
    }

    #[test]
    fn a_playdate_group_is_joined_as_a_family() {
        let signup = NewSignup {
            contact: contact(),
            ..Default::default()
        };
        let errors = signup.parse("playdate_group", &[]).unwrap_err();
        assert_eq!(errors.get("family"), Some(&FieldError::FamilyRequired));
        assert!(signup.parse("snow_clearing", &[]).is_ok());
    }

    #[test]
    fn a_family_keeps_only_an_age_band_and_a_coarse_home() {
        let signup = NewSignup {
            contact: contact(),
            family: Some(FamilyInput {
                child_age_band: Some(AgeBand::Preschool),
                area: "Billund øst".into(),
                lat: Some(55.731_234),
                lon: Some(9.123_456),
                free_afternoons: vec![Weekday::Thu, Weekday::Tue, Weekday::Thu],
                languages: vec!["ar".into(), "da".into()],
                new_in_area: true,
            }),
            ..Default::default()
        };
        let family = signup.parse("playdate_group", &[]).unwrap().family.unwrap();
        assert_eq!(
            family.home,
            Some(GeoPoint {
                lat: 55.731,
                lon: 9.123
            })
        );
        assert_eq!(family.free_afternoons, vec![Weekday::Tue, Weekday::Thu]);
        let json = serde_json::to_string(&AgeBand::Preschool).unwrap();
        assert_eq!(json, "\"3-5\"");
    }

    #[test]
    fn a_need_must_belong_to_the_initiative() {
        let signup = NewSignup {
            contact: contact(),
            need_id: Some(Uuid::from_u128(7)),
            ..Default::default()
        };
        let errors = signup
            .parse("snow_clearing", &[Uuid::from_u128(8)])
            .unwrap_err();
        assert_eq!(errors.get("need_id"), Some(&FieldError::UnknownNeed));
        assert!(signup.parse("snow_clearing", &[Uuid::from_u128(7)]).is_ok());
    }
}
