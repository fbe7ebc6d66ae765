//! Listing and paging public initiatives.

use serde::{Deserialize, Serialize};

/// Default and largest page sizes.
pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;
/// Default radius of a "near me" search, in km.
pub const DEFAULT_RADIUS_KM: f64 = 10.0;

/// One page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
    /// How many match in all.
    pub total: u64,
}

/// The filters of the public initiative list, as query parameters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct InitiativeQuery {
    /// Only this institution's initiatives (slug).
    pub institution: Option<String>,
    /// Only this category (slug).
    pub category: Option<String>,
    /// Words that must occur in the title or summary (any case).
    pub q: Option<String>,
    /// Latitude of "near me"; with `lon`, sorts by distance and filters by `radius_km`.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Radius of the near search in km (0.1–500, default 10).
    pub radius_km: Option<f64>,
    /// Page number, from 1. Without `after`, a page must start within the
    /// first 10,000 initiatives (deeper ones are reached with `after`); with
    /// it, only the number the answer repeats.
    pub page: Option<u32>,
    /// Results per page, 1–100 (default 20).
    pub per_page: Option<u32>,
    /// `true`: what came of it — completed initiatives, most recently
    /// completed first — instead of those running.
    pub results: Option<bool>,
    /// Where the page starts: the cursor from the previous answer's
    /// `Link: <…>; rel="next"` header (opaque). Not with `lat`/`lon`.
    pub after: Option<String>,
}
