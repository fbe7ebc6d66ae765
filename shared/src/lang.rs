//! The languages Sammen speaks to people in.

use serde::{Deserialize, Serialize};

/// A language the user interface and messages are written in.
/// Danish is the default: Sammen is made for Danish municipalities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Da,
    En,
}

impl Lang {
    /// Picks the first supported language of an `Accept-Language` header or a
    /// `lang` attribute (`"en-GB,en;q=0.9"`, `"da"`), Danish when none fits.
    pub fn negotiate(header: &str) -> Lang {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .map(|tag| tag.trim().to_ascii_lowercase())
            .find_map(|tag| Lang::from_tag(&tag))
            .unwrap_or_default()
    }

    /// The language of a BCP 47 tag such as `en-GB`, if Sammen speaks it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "da" | "nb" | "no" => Some(Lang::Da),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The two-letter code, as used in `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_first_supported_language_of_a_header() {
        assert_eq!(Lang::negotiate("en-GB,en;q=0.9,da;q=0.8"), Lang::En);
        assert_eq!(Lang::negotiate("ar, da;q=0.5"), Lang::Da);
        assert_eq!(Lang::negotiate("fr-FR, de"), Lang::Da);
        assert_eq!(Lang::negotiate(""), Lang::Da);
    }
}

/// Parses the languages a person speaks, as ISO 639 codes (`da`, `en`, `ar`,
/// `uk`, `prs`): lowercased, 2–3 letters, no duplicates, at most 10.
pub fn parse_language_codes(
    raw: &[String],
    field: &str,
    errors: &mut crate::FieldErrors,
) -> Vec<String> {
    const MAX: usize = 10;
    if raw.len() > MAX {
        errors.add(field, crate::FieldError::TooMany { max: MAX });
        return Vec::new();
    }
    let mut codes: Vec<String> = Vec::new();
    for (index, code) in raw.iter().enumerate() {
        let code = code.trim().to_ascii_lowercase();
        let valid = (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_lowercase());
        if !valid {
            errors.add(
                format!("{field}[{index}]"),
                crate::FieldError::InvalidLanguage,
            );
        } else if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

#[cfg(test)]
mod language_code_tests {
    use super::*;

    #[test]
    fn language_codes_are_lowercased_and_deduplicated() {
        let mut errors = crate::FieldErrors::new();
        let raw = ["DA".to_string(), "ar".into(), "da".into(), "arabic".into()];
        assert_eq!(
            parse_language_codes(&raw, "languages", &mut errors),
            vec!["da", "ar"]
        );
        assert_eq!(
            errors.get("languages[3]"),
            Some(&crate::FieldError::InvalidLanguage)
        );
    }
}
