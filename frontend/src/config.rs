//! What the host page told the widget: which municipality, which institution,
//! which language, and where the API is.

use crate::i18n::Lang;

/// The embedding's settings, fixed for the widget's life.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Origin of the server that served the loader, without a trailing slash.
    pub api: String,
    /// Municipality slug (`data-municipality`).
    pub municipality: String,
    /// Institution slug (`data-institution`), when the widget is embedded on
    /// an institution's page: the list shows only its initiatives.
    pub institution: Option<String>,
    /// The language to start in.
    pub lang: Lang,
    /// Lay out right to left whatever the language: the pseudo-locale
    /// `data-lang="da-x-rtl"` (a BCP 47 private-use subtag) lets us check the
    /// layout mirrors before an RTL language such as Arabic has its table.
    pub rtl: bool,
}

impl Config {
    /// Reads the loader's raw strings; empty means "not given".
    pub fn new(api: String, municipality: String, institution: String, lang: &str) -> Config {
        let institution = institution.trim();
        Config {
            api: api.trim_end_matches('/').to_string(),
            municipality: municipality.trim().to_string(),
            institution: (!institution.is_empty()).then(|| institution.to_string()),
            lang: Lang::negotiate(lang),
            rtl: lang
                .split(',')
                .next()
                .is_some_and(|tag| tag.trim().ends_with("-x-rtl")),
        }
    }

    /// `{api}/api/v1/municipalities/{m}`: the root of the tenant's public API.
    pub fn municipality_url(&self) -> String {
        format!(
            "{}/api/v1/municipalities/{}",
            self.api,
            encode(&self.municipality)
        )
    }
}

/// Percent-encodes one URL component (path segment or query value).
pub fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}
