//! Initiatives: what a citizen proposes to run, and how the public sees it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::geo::GeoPoint;
use crate::person::{Contact, ContactInput};
use crate::status::Status;
use crate::text::{self, parse_keywords, parse_optional_text, parse_text};
use crate::week::{parse_slots, WeeklySlot};
use crate::{FieldError, FieldErrors, Lang};

/// The categories every municipality starts with; admins may add more.
pub const DEFAULT_CATEGORIES: [&str; 6] = [
    "playdate_group",
    "snow_clearing",
    "playground_build",
    "walking_group",
    "bathing_area",
    "other",
];

/// The category whose signups are families, composed into playdate groups.
pub const PLAYDATE_GROUP: &str = "playdate_group";

/// Most needs one initiative can list.
pub const MAX_NEEDS: usize = 20;

/// A proposal as the citizen typed it. Every field has a default, so a
/// missing field is reported as "required" next to that field rather than
/// as a malformed body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInitiative {
    /// What: a short title, 3–120 characters.
    #[serde(default)]
    pub title: String,
    /// What will happen, in the proposer's words.
    #[serde(default)]
    pub summary: String,
    /// For whom: "families with children aged 3–5".
    #[serde(default)]
    pub audience: Option<String>,
    /// One of the municipality's category slugs.
    #[serde(default)]
    pub category: String,
    /// The institution it belongs to (slug), if any.
    #[serde(default)]
    pub institution: Option<String>,
    /// Where.
    #[serde(default)]
    pub place: PlaceInput,
    /// When, in free text: "Thursdays 15:30–17:00 from March".
    #[serde(default)]
    pub when: Option<String>,
    /// What help is needed.
    #[serde(default)]
    pub needs: Vec<NeedInput>,
    /// How the coordinator can reach the proposer; never public.
    #[serde(default)]
    pub contact: ContactInput,
    /// The language the proposer wants to be written to in.
    #[serde(default)]
    pub lang: Option<Lang>,
    /// The page the widget was on (sent by the widget): links in emails lead
    /// back there when it is on one of the municipality's allowed sites.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
}

/// A place as typed: a name and, optionally, a point.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
}

/// One kind of help an initiative needs, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeedInput {
    /// "People with a snow shovel".
    #[serde(default)]
    pub title: String,
    /// How many people (1–500); 1 when left out.
    #[serde(default)]
    pub people_wanted: Option<u32>,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub tools: Vec<String>,
    /// When the help is needed, every week.
    #[serde(default)]
    pub slots: Vec<WeeklySlot>,
}

/// A place, checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Place {
    pub name: String,
    pub point: Option<GeoPoint>,
}

/// A need, checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Need {
    pub title: String,
    pub people_wanted: u32,
    pub skills: Vec<String>,
    pub tools: Vec<String>,
    pub slots: Vec<WeeklySlot>,
}

/// A proposal whose every field passed the rules; only
/// [`NewInitiative::parse`] makes one (`non_exhaustive`: no other crate can
/// build it with a literal; its fields stay readable).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Proposal {
    pub title: String,
    pub summary: String,
    pub audience: Option<String>,
    pub category: String,
    pub institution: Option<String>,
    pub place: Place,
    pub when: Option<String>,
    pub needs: Vec<Need>,
    pub contact: Contact,
    pub lang: Lang,
}

/// What the municipality knows that a proposal must refer to.
#[derive(Debug, Clone, Copy)]
pub struct Known<'a> {
    pub categories: &'a [String],
    pub institutions: &'a [String],
}

impl NewInitiative {
    /// Checks every field against the rules and the municipality's categories
    /// and institutions; returns the proposal or every problem found.
    pub fn parse(&self, known: Known<'_>) -> Result<Proposal, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.check("title", parse_text(&self.title, text::TITLE));
        let summary = errors.check("summary", parse_text(&self.summary, text::BODY));
        let audience = errors.check(
            "audience",
            parse_optional_text(self.audience.as_deref(), text::LABEL),
        );
        let category = errors.check("category", parse_category(&self.category, known.categories));
        let institution = errors.check(
            "institution",
            parse_institution(self.institution.as_deref(), known.institutions),
        );
        let place_name = errors.check("place.name", parse_text(&self.place.name, text::LABEL));
        let point = GeoPoint::parse_optional(self.place.lat, self.place.lon, "place", &mut errors);
        let when = errors.check(
            "when",
            parse_optional_text(self.when.as_deref(), text::LABEL),
        );
        let needs = parse_needs(&self.needs, &mut errors);
        let contact = self.contact.parse("contact", &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        // Every `check` above succeeded, so each value is present.
        Ok(Proposal {
            title: title.unwrap_or_default(),
            summary: summary.unwrap_or_default(),
            audience: audience.flatten(),
            category: category.unwrap_or_default(),
            institution: institution.flatten(),
            place: Place {
                name: place_name.unwrap_or_default(),
                point,
            },
            when: when.flatten(),
            needs,
            contact: contact.expect("contact parsed without errors"),
            lang: self.lang.unwrap_or_default(),
        })
    }
}

fn parse_category(raw: &str, known: &[String]) -> Result<String, FieldError> {
    let slug = raw.trim();
    if slug.is_empty() {
        return Err(FieldError::Required);
    }
    known
        .iter()
        .find(|k| k.as_str() == slug)
        .cloned()
        .ok_or(FieldError::UnknownCategory)
}

fn parse_institution(raw: Option<&str>, known: &[String]) -> Result<Option<String>, FieldError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(slug) => known
            .iter()
            .find(|k| k.as_str() == slug)
            .map(|k| Some(k.clone()))
            .ok_or(FieldError::UnknownInstitution),
    }
}

/// A coordinator puts a proposal right before publishing it: its category
/// (an idea from the open meeting may have come as "other"), its institution
/// and its needs. Against the version last seen.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalDetails {
    pub version: i64,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub institution: Option<String>,
    #[serde(default)]
    pub needs: Vec<NeedInput>,
}

/// [`ProposalDetails`] whose every field passed the rules; only its `parse`
/// makes one outside this crate.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CheckedDetails {
    pub category: String,
    pub institution: Option<String>,
    pub needs: Vec<Need>,
}

impl ProposalDetails {
    pub fn parse(&self, known: Known<'_>) -> Result<CheckedDetails, FieldErrors> {
        let mut errors = FieldErrors::new();
        let category = errors.check("category", parse_category(&self.category, known.categories));
        let institution = errors.check(
            "institution",
            parse_institution(self.institution.as_deref(), known.institutions),
        );
        let needs = parse_needs(&self.needs, &mut errors);
        match (category, institution) {
            (Some(category), Some(institution)) if errors.is_empty() => Ok(CheckedDetails {
                category,
                institution,
                needs,
            }),
            _ => Err(errors),
        }
    }
}

fn parse_needs(raw: &[NeedInput], errors: &mut FieldErrors) -> Vec<Need> {
    if raw.len() > MAX_NEEDS {
        errors.add("needs", FieldError::TooMany { max: MAX_NEEDS });
        return Vec::new();
    }
    raw.iter()
        .enumerate()
        .filter_map(|(index, need)| need.parse(&format!("needs[{index}]"), errors))
        .collect()
}

impl NeedInput {
    /// Checks one need; errors go under `{field}.title`, `{field}.people_wanted`, ….
    pub fn parse(&self, field: &str, errors: &mut FieldErrors) -> Option<Need> {
        let title = errors.check(
            &format!("{field}.title"),
            parse_text(&self.title, text::LABEL),
        );
        let wanted = self.people_wanted.unwrap_or(1);
        let people_wanted = errors.check(
            &format!("{field}.people_wanted"),
            if (1..=500).contains(&wanted) {
                Ok(wanted)
            } else {
                Err(FieldError::OutOfRange { min: 1, max: 500 })
            },
        );
        let skills = parse_keywords(&self.skills, 20, &format!("{field}.skills"), errors);
        let tools = parse_keywords(&self.tools, 20, &format!("{field}.tools"), errors);
        let slots = parse_slots(&self.slots, &format!("{field}.slots"), errors);
        Some(Need {
            title: title?,
            people_wanted: people_wanted?,
            skills,
            tools,
            slots,
        })
    }
}

/// An institution as the public sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstitutionRef {
    pub slug: String,
    pub name: String,
}

/// A need as the public sees it: how many are wanted and how many joined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeedView {
    pub id: Uuid,
    pub title: String,
    pub people_wanted: u32,
    pub people_joined: u32,
    pub skills: Vec<String>,
    pub tools: Vec<String>,
    pub slots: Vec<WeeklySlot>,
}

impl NeedView {
    /// How many more people are wanted (never below zero).
    pub fn still_needed(&self) -> u32 {
        self.people_wanted.saturating_sub(self.people_joined)
    }
}

/// A published initiative as anyone may see it: no person data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InitiativeView {
    pub id: Uuid,
    pub municipality: String,
    pub institution: Option<InstitutionRef>,
    pub category: String,
    pub title: String,
    pub summary: String,
    pub audience: Option<String>,
    pub place: Place,
    pub when: Option<String>,
    pub status: Status,
    /// How many people or families have joined.
    pub joined: u32,
    pub needs: Vec<NeedView>,
    /// When it was published (RFC 3339, UTC).
    pub published_at: Option<String>,
    /// Distance from the `near` point of the query, in km, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
    /// What came of it, in its organiser's words (when completed).
    #[serde(default)]
    pub outcome: Option<String>,
}

/// The answer to a proposal: its id, its status and the private follow token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalCreated {
    pub id: Uuid,
    pub status: Status,
    /// The secret of the proposer's follow link. Shown once; keep it.
    pub follow_token: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> (Vec<String>, Vec<String>) {
        (
            DEFAULT_CATEGORIES.iter().map(|s| s.to_string()).collect(),
            vec!["regnbuen".to_string()],
        )
    }

    fn playdate() -> NewInitiative {
        NewInitiative {
            title: "  Legegrupper for 3–5-årige ".into(),
            summary: "Vi mødes hjemme hos hinanden.".into(),
            category: "playdate_group".into(),
            institution: Some("regnbuen".into()),
            place: PlaceInput {
                name: "Regnbuen".into(),
                lat: Some(55.73),
                lon: Some(9.11),
            },
            needs: vec![NeedInput {
                title: "Forældre der vil være værter".into(),
                ..Default::default()
            }],
            contact: ContactInput {
                name: "Mette".into(),
                email: Some("mette@example.dk".into()),
                phone: None,
            },
            ..Default::default()
        }
    }

    #[test]
    fn a_good_proposal_is_trimmed_and_kept() {
        let (categories, institutions) = known();
        let known = Known {
            categories: &categories,
            institutions: &institutions,
        };
        let proposal = playdate().parse(known).unwrap();
        assert_eq!(proposal.title, "Legegrupper for 3–5-årige");
        assert_eq!(proposal.needs[0].people_wanted, 1);
        assert_eq!(proposal.institution.as_deref(), Some("regnbuen"));
        assert_eq!(proposal.lang, Lang::Da);
    }

    #[test]
    fn every_problem_is_reported_at_its_field() {
        let (categories, institutions) = known();
        let known = Known {
            categories: &categories,
            institutions: &institutions,
        };
        let mut input = playdate();
        input.title = String::new();
        input.category = "karaoke".into();
        input.institution = Some("elsewhere".into());
        input.place.lat = Some(200.0);
        input.needs[0].people_wanted = Some(0);
        input.contact.email = Some("not-an-address".into());
        let errors = input.parse(known).unwrap_err();
        assert_eq!(errors.get("title"), Some(&FieldError::Required));
        assert_eq!(errors.get("category"), Some(&FieldError::UnknownCategory));
        assert_eq!(
            errors.get("institution"),
            Some(&FieldError::UnknownInstitution)
        );
        assert_eq!(
            errors.get("place.lat"),
            Some(&FieldError::LatitudeOutOfRange)
        );
        assert_eq!(
            errors.get("needs[0].people_wanted"),
            Some(&FieldError::OutOfRange { min: 1, max: 500 })
        );
        assert_eq!(errors.get("contact.email"), Some(&FieldError::InvalidEmail));
    }

    #[test]
    fn a_missing_body_field_reads_as_empty_and_is_reported_as_required() {
        let input: NewInitiative = serde_json::from_str("{}").unwrap();
        let (categories, institutions) = known();
        let errors = input
            .parse(Known {
                categories: &categories,
                institutions: &institutions,
            })
            .unwrap_err();
        for field in ["title", "summary", "category", "place.name", "contact.name"] {
            assert_eq!(errors.get(field), Some(&FieldError::Required), "{field}");
        }
    }

    #[test]
    fn still_needed_never_goes_below_zero() {
        let need = NeedView {
            id: Uuid::nil(),
            title: "x".into(),
            people_wanted: 2,
            people_joined: 5,
            skills: vec![],
            tools: vec![],
            slots: vec![],
        };
        assert_eq!(need.still_needed(), 0);
    }
}
