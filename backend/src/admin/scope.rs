//! What a signed-in coordinator may see: an initiative of their
//! municipality and institutions, the offers made through them. Anything
//! outside is a 404, so its existence does not leak. Shared by the console's
//! moderation, matching, groups and figures.

use chrono::{DateTime, Utc};
use sammen_shared::admin::{OfferView, Role};
use sammen_shared::geo::GeoPoint;
use sammen_shared::offer::Area;
use sammen_shared::person::Contact;
use uuid::Uuid;

use crate::admin::signed::Signed;
use crate::db::{self, Executor, SqlBuilder};
use crate::error::{Error, Result};
use crate::proposal::{proposal_by_id, ProposalRow};
use crate::stored::{stored_list, timestamp};

/// An initiative the coordinator may see, or 404.
pub async fn visible(ex: &mut impl Executor, signed: &Signed, id: Uuid) -> Result<ProposalRow> {
    proposal_by_id(ex, &signed.municipality, id)
        .await?
        .filter(|row| signed.can_see(row.institution.as_deref()))
        .ok_or_else(|| Error::not_found("There is no such initiative."))
}

#[derive(sqlx::FromRow)]
struct OfferRow {
    id: Uuid,
    institution: Option<String>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    skills: String,
    tools: String,
    slots: String,
    languages: String,
    area_name: String,
    lat: Option<f64>,
    lon: Option<f64>,
    radius_km: i64,
    note: Option<String>,
    created_at: DateTime<Utc>,
}

/// The offers this coordinator may see, newest first, at most `limit`.
pub async fn visible_offers(
    ex: &mut impl Executor,
    signed: &Signed,
    limit: Option<i64>,
) -> Result<Vec<OfferView>> {
    let mut query = SqlBuilder::new(
        "SELECT id, institution, contact_name, contact_email, contact_phone, skills, tools, slots, \
         languages, area_name, lat, lon, radius_km, note, created_at FROM offers \
         WHERE erased_at IS NULL AND municipality = ",
    );
    query.bind(&signed.municipality);
    if signed.role == Role::Coordinator {
        query.push(" AND (institution IS NULL");
        if !signed.institutions.is_empty() {
            query
                .push(" OR institution IN ")
                .bind_list(signed.institutions.iter());
        }
        query.push(")");
    }
    query.push(" ORDER BY created_at DESC, id");
    if let Some(limit) = limit {
        query.push(" LIMIT ").bind(limit);
    }
    let rows: Vec<OfferRow> = db::fetch_all(ex, &query.sql, query.values).await?;
    rows.into_iter()
        .map(|row| {
            Ok(OfferView {
                id: row.id,
                contact: Contact {
                    name: row.contact_name.unwrap_or_default(),
                    email: row.contact_email,
                    phone: row.contact_phone,
                },
                skills: stored_list("skills", &row.skills)?,
                tools: stored_list("tools", &row.tools)?,
                slots: stored_list("slots", &row.slots)?,
                area: Area {
                    name: row.area_name,
                    point: row.lat.zip(row.lon).map(|(lat, lon)| GeoPoint { lat, lon }),
                    radius_km: row.radius_km.clamp(0, u32::MAX as i64) as u32,
                },
                languages: stored_list("languages", &row.languages)?,
                note: row.note,
                institution: row.institution,
                created_at: timestamp(row.created_at),
            })
        })
        .collect::<Result<Vec<_>>>()
}
