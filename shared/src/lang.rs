//! The languages Sammen speaks to people in.

use serde::{Deserialize, Serialize};

use crate::pack::Pack;

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

/// The language a person reads what the server says to them in — field
/// errors, refusals, consent texts, emails: Danish or English, worded in
/// Rust, or a language of the server's [packs](crate::pack) (`ar`, `uk`),
/// which falls back to English where its file lacks a text.
///
/// Not the widget's or the console's language ([`Lang`]): they word their
/// own screens, and the server's packs are not theirs to carry.
#[derive(Debug, Clone, Copy)]
pub struct ReaderLang {
    base: Lang,
    pack: Option<&'static Pack>,
}

impl ReaderLang {
    pub const DA: ReaderLang = ReaderLang {
        base: Lang::Da,
        pack: None,
    };
    pub const EN: ReaderLang = ReaderLang {
        base: Lang::En,
        pack: None,
    };

    /// The language of a stored or sent code (`da`, `en`, `ar`), if the
    /// server speaks it.
    pub fn from_code(code: &str) -> Option<ReaderLang> {
        match code {
            "da" => Some(ReaderLang::DA),
            "en" => Some(ReaderLang::EN),
            _ => Pack::find(code).map(|pack| ReaderLang {
                base: Lang::En,
                pack: Some(pack),
            }),
        }
    }

    /// The language of a BCP 47 tag such as `ar-SY` or `en-GB`, if the
    /// server speaks it.
    pub fn from_tag(tag: &str) -> Option<ReaderLang> {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        Lang::from_tag(&primary)
            .map(ReaderLang::from)
            .or_else(|| ReaderLang::from_code(&primary))
    }

    /// The first language of an `Accept-Language` header the server speaks.
    /// A reader who asked only for languages it does not speak gets English,
    /// not Danish; no header at all (or `*`) gets Danish, Sammen's default.
    pub fn negotiate(header: &str) -> ReaderLang {
        let tags = header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .map(str::trim)
            .filter(|tag| !tag.is_empty() && *tag != "*");
        let mut asked = false;
        for tag in tags {
            asked = true;
            if let Some(lang) = ReaderLang::from_tag(tag) {
                return lang;
            }
        }
        if asked {
            ReaderLang::EN
        } else {
            ReaderLang::DA
        }
    }

    /// Danish or English: the language itself, or the one a pack falls back
    /// to, for what only Rust words (the console's texts).
    pub fn base(self) -> Lang {
        self.base
    }

    /// The pack that words this language, if it is not Danish or English.
    pub fn pack(self) -> Option<&'static Pack> {
        self.pack
    }

    /// The code stored with a person and sent in `lang` attributes.
    pub fn code(self) -> &'static str {
        self.pack.map_or(self.base.code(), |p| p.code)
    }
}

impl Default for ReaderLang {
    fn default() -> Self {
        ReaderLang::DA
    }
}

impl From<Lang> for ReaderLang {
    fn from(lang: Lang) -> Self {
        ReaderLang {
            base: lang,
            pack: None,
        }
    }
}

impl PartialEq for ReaderLang {
    fn eq(&self, other: &Self) -> bool {
        self.code() == other.code()
    }
}

impl Eq for ReaderLang {}

#[cfg(test)]
mod reader_tests {
    use super::*;

    #[test]
    fn a_reader_gets_their_pack_english_for_a_language_without_one_and_danish_by_default() {
        let arabic = ReaderLang::negotiate("ar, en;q=0.8");
        assert_eq!(arabic.code(), "ar");
        assert_eq!(arabic.base(), Lang::En);
        assert_eq!(ReaderLang::negotiate("uk-UA,uk;q=0.9").code(), "uk");
        assert_eq!(ReaderLang::negotiate("fr-FR, de"), ReaderLang::EN);
        assert_eq!(ReaderLang::negotiate("fr, da;q=0.5"), ReaderLang::DA);
        assert_eq!(
            ReaderLang::negotiate("en-GB,en;q=0.9,da;q=0.8"),
            ReaderLang::EN
        );
        assert_eq!(ReaderLang::negotiate("nb"), ReaderLang::DA);
        assert_eq!(ReaderLang::negotiate(""), ReaderLang::DA);
        assert_eq!(ReaderLang::negotiate("*"), ReaderLang::DA);
        assert_eq!(ReaderLang::from_code("xx"), None);
        assert_eq!(ReaderLang::from(Lang::En).code(), "en");
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
