//! Coarse points on the map and distances between them.

use serde::{Deserialize, Serialize};

use crate::{FieldError, FieldErrors};

/// A point in WGS84 degrees. Points of people (homes, areas) are rounded to
/// about 100 m so that nobody's address can be read back from them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

const EARTH_RADIUS_KM: f64 = 6371.0;

impl GeoPoint {
    /// Checks the ranges of a latitude/longitude pair given as optional
    /// fields: both or neither. Errors go under `{field}.lat` / `{field}.lon`.
    pub fn parse_optional(
        lat: Option<f64>,
        lon: Option<f64>,
        field: &str,
        errors: &mut FieldErrors,
    ) -> Option<GeoPoint> {
        match (lat, lon) {
            (None, None) => None,
            (Some(_), None) => {
                errors.add(format!("{field}.lon"), FieldError::IncompletePoint);
                None
            }
            (None, Some(_)) => {
                errors.add(format!("{field}.lat"), FieldError::IncompletePoint);
                None
            }
            (Some(lat), Some(lon)) => {
                let lat_ok = lat.is_finite() && (-90.0..=90.0).contains(&lat);
                let lon_ok = lon.is_finite() && (-180.0..=180.0).contains(&lon);
                if !lat_ok {
                    errors.add(format!("{field}.lat"), FieldError::LatitudeOutOfRange);
                }
                if !lon_ok {
                    errors.add(format!("{field}.lon"), FieldError::LongitudeOutOfRange);
                }
                (lat_ok && lon_ok).then_some(GeoPoint { lat, lon })
            }
        }
    }

    /// The same point rounded to three decimals (≈ 100 m).
    pub fn coarse(self) -> GeoPoint {
        let round = |v: f64| (v * 1000.0).round() / 1000.0;
        GeoPoint {
            lat: round(self.lat),
            lon: round(self.lon),
        }
    }

    /// Great-circle distance in kilometres (haversine).
    pub fn distance_km(self, other: GeoPoint) -> f64 {
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.lon - self.lon).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
    }

    /// A latitude/longitude box that holds every point within `radius_km`,
    /// for a cheap pre-filter in the database before the exact distance.
    pub fn bounding_box(self, radius_km: f64) -> (GeoPoint, GeoPoint) {
        let dlat = (radius_km / EARTH_RADIUS_KM).to_degrees();
        let cos = self.lat.to_radians().cos().abs().max(0.01);
        let dlon = (dlat / cos).min(180.0);
        (
            GeoPoint {
                lat: (self.lat - dlat).max(-90.0),
                lon: (self.lon - dlon).max(-180.0),
            },
            GeoPoint {
                lat: (self.lat + dlat).min(90.0),
                lon: (self.lon + dlon).min(180.0),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BILLUND: GeoPoint = GeoPoint {
        lat: 55.7308,
        lon: 9.1153,
    };
    const SKANDERBORG: GeoPoint = GeoPoint {
        lat: 56.0393,
        lon: 9.9277,
    };

    #[test]
    fn distance_between_two_danish_towns_is_about_right() {
        let km = BILLUND.distance_km(SKANDERBORG);
        assert!((58.0..62.0).contains(&km), "{km}");
        assert_eq!(BILLUND.distance_km(BILLUND), 0.0);
    }

    #[test]
    fn refuses_out_of_range_and_half_points() {
        let mut errors = FieldErrors::new();
        assert_eq!(
            GeoPoint::parse_optional(Some(200.0), Some(9.0), "place", &mut errors),
            None
        );
        assert_eq!(
            errors.get("place.lat"),
            Some(&FieldError::LatitudeOutOfRange)
        );
        let mut errors = FieldErrors::new();
        assert_eq!(
            GeoPoint::parse_optional(Some(55.0), None, "place", &mut errors),
            None
        );
        assert_eq!(errors.get("place.lon"), Some(&FieldError::IncompletePoint));
        let mut errors = FieldErrors::new();
        let nan = GeoPoint::parse_optional(Some(f64::NAN), Some(9.0), "p", &mut errors);
        assert_eq!(nan, None);
    }

    #[test]
    fn the_bounding_box_contains_the_circle() {
        let (low, high) = BILLUND.bounding_box(10.0);
        for bearing in 0..36 {
            let angle = (bearing as f64 * 10.0).to_radians();
            let p = GeoPoint {
                lat: BILLUND.lat + 0.0899 * angle.cos(),
                lon: BILLUND.lon + 0.0899 / BILLUND.lat.to_radians().cos() * angle.sin(),
            };
            if BILLUND.distance_km(p) <= 10.0 {
                assert!(
                    p.lat >= low.lat && p.lat <= high.lat && p.lon >= low.lon && p.lon <= high.lon
                );
            }
        }
    }

    #[test]
    fn coarse_points_are_rounded_to_about_100_metres() {
        let p = GeoPoint {
            lat: 55.730_849,
            lon: 9.115_349,
        }
        .coarse();
        assert_eq!(
            p,
            GeoPoint {
                lat: 55.731,
                lon: 9.115
            }
        );
    }
}
