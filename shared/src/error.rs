//! The typed error every Sammen API answers with, and the per-field problems of
//! citizen input, with messages in each language.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{ReaderLang, Text};

/// What went wrong, as a stable machine-readable word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not JSON at all (400).
    InvalidJson,
    /// The JSON has a field of the wrong type or shape (422).
    InvalidBody,
    /// A query string or path parameter is malformed (400).
    InvalidParameter,
    /// The fields were read but some break the rules; see `fields` (422).
    ValidationFailed,
    /// The `Idempotency-Key` header is not a UUID (400).
    InvalidIdempotencyKey,
    /// The same `Idempotency-Key` came with a different request (422).
    IdempotencyKeyReused,
    /// No such municipality, initiative or link — or not visible to you (404).
    NotFound,
    /// The request needs credentials it did not carry (401).
    Unauthorized,
    /// The credentials do not allow this (403).
    Forbidden,
    /// A change without the session's `X-CSRF-Token` (403).
    CsrfFailed,
    /// The record changed or its state does not allow this action (409).
    Conflict,
    /// The body is larger than the server accepts (413).
    PayloadTooLarge,
    /// The body is not `application/json` (415).
    UnsupportedMediaType,
    /// Too many requests; see `Retry-After` (429).
    RateLimited,
    /// The HTTP method does not exist on this path (405).
    MethodNotAllowed,
    /// The form's hidden field was filled in, as only bots do; nothing was
    /// stored (422).
    SpamSuspected,
    /// The form was sent sooner after it opened than a person can fill it
    /// in; nothing was stored (422).
    TooFast,
    /// The request's body did not arrive in time (408); send it again.
    RequestTimeout,
    /// The page that called is not one of the web sites this municipality
    /// allows to embed Sammen (403); an admin can allow it.
    OriginNotAllowed,
    /// The email and password fit accounts in several municipalities; send
    /// the sign-in again with one of `choices` as `municipality` (409).
    ChooseMunicipality,
    /// The server could not do it; nothing the client sent was wrong (500/503).
    Internal,
}

impl ErrorCode {
    /// The HTTP status that goes with this code: each code has exactly one,
    /// so no caller pairs them by hand.
    pub const fn status(self) -> u16 {
        match self {
            ErrorCode::InvalidJson
            | ErrorCode::InvalidParameter
            | ErrorCode::InvalidIdempotencyKey => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden | ErrorCode::CsrfFailed | ErrorCode::OriginNotAllowed => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::RequestTimeout => 408,
            ErrorCode::Conflict | ErrorCode::ChooseMunicipality => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::InvalidBody
            | ErrorCode::ValidationFailed
            | ErrorCode::IdempotencyKeyReused
            | ErrorCode::SpamSuspected
            | ErrorCode::TooFast => 422,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
        }
    }
}

/// The body of every error response:
/// `{"error": {"code": "validation_failed", "message": "…", "fields": {"title": "…"}}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ApiError,
}

/// One error: its code, a sentence for people, and per-field messages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// Field path (`title`, `place.lat`, `needs[0].title`) → what to fix there.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    /// The same fields with a stable code each, for clients that translate.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub field_codes: BTreeMap<String, String>,
    /// With a 409: the record's state now, to reload from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Current>,
    /// With `choose_municipality`: the municipalities to choose among.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<MunicipalityChoice>,
}

/// A municipality someone may choose, by slug and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MunicipalityChoice {
    pub slug: String,
    pub name: String,
}

/// The state and version of a record, sent with a 409.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Current {
    pub status: crate::status::Status,
    pub version: i64,
}

/// Why one field of citizen input was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldError {
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    ControlCharacters,
    UnknownCategory,
    UnknownInstitution,
    UnknownNeed,
    LatitudeOutOfRange,
    LongitudeOutOfRange,
    /// Only one of latitude and longitude was given.
    IncompletePoint,
    InvalidEmail,
    InvalidPhone,
    InvalidLanguage,
    InvalidTime,
    /// A weekly slot ends before it starts.
    EmptySlot,
    OutOfRange {
        min: u32,
        max: u32,
    },
    TooMany {
        max: usize,
    },
    Duplicate,
    /// A playdate group is joined as a family: the family part is missing.
    FamilyRequired,
    InvalidSlug,
    InvalidOrigin,
    WeakPassword,
    /// The current password given to change it is not the right one.
    WrongPassword,
    /// Already taken (an email, a slug).
    Taken,
    /// A consent text version Sammen never showed.
    UnknownConsentVersion,
    /// Not a date written `YYYY-MM-DD`.
    InvalidDate,
    /// A date before today where only coming days make sense.
    DateInPast,
    /// A period's last day is before its first.
    EndsBeforeStart,
    /// A period longer than it may be at once.
    PeriodTooLong {
        max_days: u32,
    },
    /// A series of dates with more dates than it may add at once.
    TooManyDates {
        max: usize,
    },
    /// None of the chosen weekdays falls in the period.
    NoDateInPeriod,
}

impl FieldError {
    /// A stable word for this problem, for clients that translate themselves.
    pub fn code(&self) -> &'static str {
        match self {
            FieldError::Required => "required",
            FieldError::TooShort { .. } => "too_short",
            FieldError::TooLong { .. } => "too_long",
            FieldError::ControlCharacters => "control_characters",
            FieldError::UnknownCategory => "unknown_category",
            FieldError::UnknownInstitution => "unknown_institution",
            FieldError::UnknownNeed => "unknown_need",
            FieldError::LatitudeOutOfRange => "latitude_out_of_range",
            FieldError::LongitudeOutOfRange => "longitude_out_of_range",
            FieldError::IncompletePoint => "incomplete_point",
            FieldError::InvalidEmail => "invalid_email",
            FieldError::InvalidPhone => "invalid_phone",
            FieldError::InvalidLanguage => "invalid_language",
            FieldError::InvalidTime => "invalid_time",
            FieldError::EmptySlot => "empty_slot",
            FieldError::OutOfRange { .. } => "out_of_range",
            FieldError::TooMany { .. } => "too_many",
            FieldError::Duplicate => "duplicate",
            FieldError::FamilyRequired => "family_required",
            FieldError::InvalidSlug => "invalid_slug",
            FieldError::InvalidOrigin => "invalid_origin",
            FieldError::WeakPassword => "weak_password",
            FieldError::WrongPassword => "wrong_password",
            FieldError::Taken => "taken",
            FieldError::UnknownConsentVersion => "unknown_consent_version",
            FieldError::InvalidDate => "invalid_date",
            FieldError::DateInPast => "date_in_past",
            FieldError::EndsBeforeStart => "ends_before_start",
            FieldError::PeriodTooLong { .. } => "period_too_long",
            FieldError::TooManyDates { .. } => "too_many_dates",
            FieldError::NoDateInPeriod => "no_date_in_period",
        }
    }

    /// What the citizen should do, in their language.
    pub fn message(&self, lang: impl Into<ReaderLang>) -> String {
        let lang = lang.into();
        let text = self.text();
        match *self {
            FieldError::TooShort { min } => text.say(lang, &[("min", &min)]),
            FieldError::TooLong { max }
            | FieldError::TooMany { max }
            | FieldError::TooManyDates { max } => text.say(lang, &[("max", &max)]),
            FieldError::OutOfRange { min, max } => text.say(lang, &[("min", &min), ("max", &max)]),
            FieldError::PeriodTooLong { max_days } => text.say(lang, &[("max_days", &max_days)]),
            _ => text.say(lang, &[]),
        }
    }

    /// The wording of this problem: `field.<code>` in the packs.
    fn text(&self) -> &'static Text {
        use FieldError::*;
        match self {
            Required => &FIELD_REQUIRED,
            TooShort { .. } => &FIELD_TOO_SHORT,
            TooLong { .. } => &FIELD_TOO_LONG,
            ControlCharacters => &FIELD_CONTROL_CHARACTERS,
            UnknownCategory => &FIELD_UNKNOWN_CATEGORY,
            UnknownInstitution => &FIELD_UNKNOWN_INSTITUTION,
            UnknownNeed => &FIELD_UNKNOWN_NEED,
            LatitudeOutOfRange => &FIELD_LATITUDE_OUT_OF_RANGE,
            LongitudeOutOfRange => &FIELD_LONGITUDE_OUT_OF_RANGE,
            IncompletePoint => &FIELD_INCOMPLETE_POINT,
            InvalidEmail => &FIELD_INVALID_EMAIL,
            InvalidPhone => &FIELD_INVALID_PHONE,
            InvalidLanguage => &FIELD_INVALID_LANGUAGE,
            InvalidTime => &FIELD_INVALID_TIME,
            EmptySlot => &FIELD_EMPTY_SLOT,
            OutOfRange { .. } => &FIELD_OUT_OF_RANGE,
            TooMany { .. } => &FIELD_TOO_MANY,
            Duplicate => &FIELD_DUPLICATE,
            FamilyRequired => &FIELD_FAMILY_REQUIRED,
            InvalidSlug => &FIELD_INVALID_SLUG,
            InvalidOrigin => &FIELD_INVALID_ORIGIN,
            WeakPassword => &FIELD_WEAK_PASSWORD,
            WrongPassword => &FIELD_WRONG_PASSWORD,
            Taken => &FIELD_TAKEN,
            UnknownConsentVersion => &FIELD_UNKNOWN_CONSENT_VERSION,
            InvalidDate => &FIELD_INVALID_DATE,
            DateInPast => &FIELD_DATE_IN_PAST,
            EndsBeforeStart => &FIELD_ENDS_BEFORE_START,
            PeriodTooLong { .. } => &FIELD_PERIOD_TOO_LONG,
            TooManyDates { .. } => &FIELD_TOO_MANY_DATES,
            NoDateInPeriod => &FIELD_NO_DATE_IN_PERIOD,
        }
    }
}

// Each field problem's key is `field.` and its code, so a translator finds
// the one a client saw in `field_codes`.
crate::texts! {
    TEXTS;
    FIELD_REQUIRED "field.required" => "Skal udfyldes.", "Please fill this in.";
    FIELD_TOO_SHORT "field.too_short" => "Skriv mindst {min} tegn.", "Write at least {min} characters.";
    FIELD_TOO_LONG "field.too_long" => "Højst {max} tegn.", "At most {max} characters.";
    FIELD_CONTROL_CHARACTERS "field.control_characters" =>
        "Indeholder usynlige styretegn; skriv teksten igen.",
        "Contains invisible control characters; please retype it.";
    FIELD_UNKNOWN_CATEGORY "field.unknown_category" =>
        "Vælg en af kategorierne.", "Choose one of the categories.";
    FIELD_UNKNOWN_INSTITUTION "field.unknown_institution" =>
        "Vælg en af institutionerne.", "Choose one of the institutions.";
    FIELD_UNKNOWN_NEED "field.unknown_need" =>
        "Vælg et af initiativets behov.", "Choose one of the initiative's needs.";
    FIELD_LATITUDE_OUT_OF_RANGE "field.latitude_out_of_range" =>
        "Breddegraden skal ligge mellem -90 og 90.", "Latitude must be between -90 and 90.";
    FIELD_LONGITUDE_OUT_OF_RANGE "field.longitude_out_of_range" =>
        "Længdegraden skal ligge mellem -180 og 180.", "Longitude must be between -180 and 180.";
    FIELD_INCOMPLETE_POINT "field.incomplete_point" =>
        "Angiv både bredde- og længdegrad, eller ingen af dem.",
        "Give both latitude and longitude, or neither.";
    FIELD_INVALID_EMAIL "field.invalid_email" =>
        "Skriv en gyldig e-mailadresse, fx navn@eksempel.dk.",
        "Enter a valid email address, e.g. name@example.com.";
    FIELD_INVALID_PHONE "field.invalid_phone" =>
        "Skriv et gyldigt telefonnummer, fx +45 12 34 56 78.",
        "Enter a valid phone number, e.g. +45 12 34 56 78.";
    FIELD_INVALID_LANGUAGE "field.invalid_language" =>
        "Brug en sprogkode som da, en eller ar.", "Use a language code such as da, en or ar.";
    FIELD_INVALID_TIME "field.invalid_time" =>
        "Skriv tiden som timer og minutter, fx 08:30.", "Write the time as HH:MM, e.g. 08:30.";
    FIELD_EMPTY_SLOT "field.empty_slot" =>
        "Sluttiden skal ligge efter starttiden.", "The end time must be after the start time.";
    FIELD_OUT_OF_RANGE "field.out_of_range" =>
        "Skal være mellem {min} og {max}.", "Must be between {min} and {max}.";
    FIELD_TOO_MANY "field.too_many" => "Højst {max}.", "At most {max}.";
    FIELD_DUPLICATE "field.duplicate" => "Står der allerede.", "Already listed.";
    FIELD_FAMILY_REQUIRED "field.family_required" =>
        "Fortæl lidt om jeres familie for at deltage.",
        "Tell us a little about your family to join.";
    FIELD_INVALID_SLUG "field.invalid_slug" =>
        "Brug små bogstaver a-z, tal og bindestreg, fx regnbuen.",
        "Use lowercase a-z, digits and dashes, e.g. regnbuen.";
    FIELD_INVALID_ORIGIN "field.invalid_origin" =>
        "Skriv adressen som https://www.eksempel.dk", "Write the address as https://www.example.dk";
    FIELD_WEAK_PASSWORD "field.weak_password" =>
        "Adgangskoden skal have mindst 12 tegn (mellemrum tæller ikke) og må ikke være let at gætte.",
        "The password needs at least 12 characters (spaces do not count) and must not be easy to guess.";
    FIELD_WRONG_PASSWORD "field.wrong_password" =>
        "Den nuværende adgangskode er forkert.", "The current password is wrong.";
    FIELD_TAKEN "field.taken" => "Er allerede i brug.", "Already in use.";
    FIELD_UNKNOWN_CONSENT_VERSION "field.unknown_consent_version" =>
        "Samtyketeksten er ukendt; genindlæs siden og prøv igen.",
        "Unknown consent text version; reload the page and try again.";
    FIELD_INVALID_DATE "field.invalid_date" =>
        "Skriv datoen som ÅÅÅÅ-MM-DD, fx 2026-12-01.", "Write the date as YYYY-MM-DD, e.g. 2026-12-01.";
    FIELD_DATE_IN_PAST "field.date_in_past" =>
        "Vælg en dag fra i dag og frem.", "Choose a day from today on.";
    FIELD_ENDS_BEFORE_START "field.ends_before_start" =>
        "Den sidste dag skal ligge på eller efter den første.",
        "The last day must be on or after the first.";
    FIELD_PERIOD_TOO_LONG "field.period_too_long" =>
        "Højst {max_days} dage ad gangen; tilføj resten senere.",
        "At most {max_days} days at once; add the rest later.";
    FIELD_TOO_MANY_DATES "field.too_many_dates" =>
        "Højst {max} aftaler ad gangen: vælg en kortere periode eller færre ugedage.",
        "At most {max} dates at once: choose a shorter period or fewer weekdays.";
    FIELD_NO_DATE_IN_PERIOD "field.no_date_in_period" =>
        "Ingen af ugedagene falder i perioden.", "None of the weekdays falls in the period.";
    VALIDATION_FAILED "error.validation_failed" =>
        "Nogle felter skal rettes.", "Some fields need to be corrected.";
}

/// Every field problem found in one piece of input, by field path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<String, FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem; the first one found for a field is kept.
    pub fn add(&mut self, field: impl Into<String>, error: FieldError) {
        self.0.entry(field.into()).or_insert(error);
    }

    /// Runs a field parser, records its error under `field`, and returns the
    /// value when it was good.
    pub fn check<T>(&mut self, field: &str, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.get(field)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &FieldError)> {
        self.0.iter()
    }

    /// `Ok(value)` when no problem was recorded, else these errors.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }

    /// The typed API error for these problems, worded in `lang`.
    pub fn to_api_error(&self, lang: impl Into<ReaderLang>) -> ApiError {
        let lang = lang.into();
        ApiError {
            code: ErrorCode::ValidationFailed,
            message: VALIDATION_FAILED.say(lang, &[]),
            fields: self
                .0
                .iter()
                .map(|(field, error)| (field.clone(), error.message(lang)))
                .collect(),
            field_codes: self
                .0
                .iter()
                .map(|(field, error)| (field.clone(), error.code().to_string()))
                .collect(),
            current: None,
            choices: Vec::new(),
        }
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields: Vec<String> = self
            .0
            .iter()
            .map(|(field, error)| format!("{field}: {}", error.code()))
            .collect();
        write!(f, "{}", fields.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn keeps_the_first_problem_of_each_field_and_words_it_per_language() {
        let mut errors = FieldErrors::new();
        errors.add("title", FieldError::Required);
        errors.add("title", FieldError::TooLong { max: 3 });
        let api = errors.to_api_error(Lang::En);
        assert_eq!(api.code, ErrorCode::ValidationFailed);
        assert_eq!(api.fields["title"], "Please fill this in.");
        assert_eq!(api.field_codes["title"], "required");
        assert_eq!(
            errors.to_api_error(Lang::Da).fields["title"],
            "Skal udfyldes."
        );
    }

    #[test]
    fn serialises_to_the_documented_shape() {
        let body = ErrorBody {
            error: ApiError {
                code: ErrorCode::NotFound,
                message: "No such municipality.".into(),
                fields: BTreeMap::new(),
                field_codes: BTreeMap::new(),
                current: None,
                choices: Vec::new(),
            },
        };
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "not_found", "message": "No such municipality."}})
        );
    }
}
