//! Municipalities (tenants) and their institutions, as the widget needs them.

use serde::{Deserialize, Serialize};

/// What kind of place an institution is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InstitutionKind {
    Preschool,
    School,
    Club,
    Area,
}

impl InstitutionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InstitutionKind::Preschool => "preschool",
            InstitutionKind::School => "school",
            InstitutionKind::Club => "club",
            InstitutionKind::Area => "area",
        }
    }

    pub fn parse(word: &str) -> Option<InstitutionKind> {
        [Self::Preschool, Self::School, Self::Club, Self::Area]
            .into_iter()
            .find(|k| k.as_str() == word)
    }
}

/// An institution of a municipality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstitutionView {
    pub slug: String,
    pub name: String,
    pub kind: InstitutionKind,
}

/// A category of initiatives, with its names in Danish and English.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryView {
    pub slug: String,
    pub name_da: String,
    pub name_en: String,
}

/// A municipality as the widget sees it: its name, institutions and categories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MunicipalityView {
    pub slug: String,
    pub name: String,
    pub institutions: Vec<InstitutionView>,
    pub categories: Vec<CategoryView>,
}
