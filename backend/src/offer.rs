//! An offer of help as stored, and as the coordinator and its maker see it.
//! The console's list and the private link's export read it alike.

use chrono::{DateTime, Utc};
use sammen_shared::admin::OfferView;
use sammen_shared::geo::GeoPoint;
use sammen_shared::offer::Area;
use sammen_shared::person::ContactView;
use uuid::Uuid;

use crate::error::Result;
use crate::stored::{stored_list, timestamp};

/// The columns of [`OfferRow`], after `SELECT`.
pub const OFFER_COLUMNS: &str = "id, institution, contact_name, contact_email, contact_phone, \
     skills, tools, slots, languages, area_name, lat, lon, radius_km, note, consent_version, \
     created_at";

#[derive(sqlx::FromRow)]
pub struct OfferRow {
    pub id: Uuid,
    pub institution: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub skills: String,
    pub tools: String,
    pub slots: String,
    pub languages: String,
    pub area_name: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub radius_km: i64,
    pub note: Option<String>,
    pub consent_version: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl OfferRow {
    pub fn into_view(self) -> Result<OfferView> {
        Ok(OfferView {
            id: self.id,
            contact: ContactView {
                name: self.contact_name.unwrap_or_default(),
                email: self.contact_email,
                phone: self.contact_phone,
            },
            skills: stored_list("skills", &self.skills)?,
            tools: stored_list("tools", &self.tools)?,
            slots: stored_list("slots", &self.slots)?,
            area: Area {
                name: self.area_name,
                point: self
                    .lat
                    .zip(self.lon)
                    .map(|(lat, lon)| GeoPoint { lat, lon }),
                radius_km: self.radius_km.clamp(0, u32::MAX as i64) as u32,
            },
            languages: stored_list("languages", &self.languages)?,
            note: self.note,
            institution: self.institution,
            created_at: timestamp(self.created_at),
        })
    }
}
