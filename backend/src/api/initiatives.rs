//! The public side of initiatives: list the published ones of a municipality
//! (filters, "near me", pages) and read one. Only public columns are selected
//! here; the proposer's contact never leaves the database on these paths.

use std::collections::HashMap;

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, SecondsFormat, Utc};
use sammen_shared::geo::GeoPoint;
use sammen_shared::initiative::{InitiativeView, InstitutionRef, NeedView, Place};
use sammen_shared::page::{
    InitiativeQuery, Page, DEFAULT_PER_PAGE, DEFAULT_RADIUS_KM, MAX_PER_PAGE,
};
use sammen_shared::status::Status;
use sammen_shared::week::WeeklySlot;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::api::municipalities::municipality_name;
use crate::api::AppState;
use crate::args;
use crate::db::{self, like_escape, Executor, SqlBuilder};
use crate::error::{Error, Result};
use crate::extract::{ApiPath, ApiQuery};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_initiatives))
        .routes(routes!(read_initiative))
}

/// At most this many candidates are ranked by distance for a near search.
const NEAR_CANDIDATES: i64 = 5000;

/// The columns of an initiative that anyone may see, plus its signup count.
pub const PUBLIC_COLUMNS: &str =
    "i.id, i.municipality, i.institution, inst.name AS institution_name, \
     i.category, i.title, i.summary, i.audience, i.place_name, i.lat, i.lon, i.time_text, \
     i.status, i.published_at, \
     (SELECT COUNT(*) FROM signups s WHERE s.initiative_id = i.id) AS joined";

pub const FROM_INITIATIVES: &str = " FROM initiatives i LEFT JOIN institutions inst \
     ON inst.municipality = i.municipality AND inst.slug = i.institution";

#[derive(sqlx::FromRow)]
pub struct InitiativeRow {
    pub id: Uuid,
    pub municipality: String,
    pub institution: Option<String>,
    pub institution_name: Option<String>,
    pub category: String,
    pub title: String,
    pub summary: String,
    pub audience: Option<String>,
    pub place_name: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub time_text: Option<String>,
    pub status: String,
    pub published_at: Option<DateTime<Utc>>,
    pub joined: i64,
}

#[derive(sqlx::FromRow)]
struct NeedRow {
    id: Uuid,
    initiative_id: Uuid,
    title: String,
    people_wanted: i64,
    skills: String,
    tools: String,
    slots: String,
    joined: i64,
}

impl InitiativeRow {
    pub fn point(&self) -> Option<GeoPoint> {
        Some(GeoPoint {
            lat: self.lat?,
            lon: self.lon?,
        })
    }

    pub fn status(&self) -> Result<Status> {
        Status::parse(&self.status)
            .ok_or_else(|| Error::Internal(format!("unknown status '{}' stored", self.status)))
    }

    pub fn into_view(
        self,
        needs: Vec<NeedView>,
        distance_km: Option<f64>,
    ) -> Result<InitiativeView> {
        let status = self.status()?;
        let place = Place {
            name: self.place_name.clone(),
            point: self.point(),
        };
        Ok(InitiativeView {
            id: self.id,
            municipality: self.municipality,
            institution: institution_ref(self.institution, self.institution_name),
            category: self.category,
            title: self.title,
            summary: self.summary,
            audience: self.audience,
            place,
            when: self.time_text,
            status,
            joined: count(self.joined),
            needs,
            published_at: self.published_at.map(timestamp),
            distance_km,
        })
    }
}

pub fn institution_ref(slug: Option<String>, name: Option<String>) -> Option<InstitutionRef> {
    let slug = slug?;
    let name = name.unwrap_or_else(|| slug.clone());
    Some(InstitutionRef { slug, name })
}

/// A time as the API writes it: RFC 3339 in UTC, to the millisecond.
pub fn timestamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// Reads a JSON list stored in a TEXT column.
pub fn stored_list<T: serde::de::DeserializeOwned>(column: &str, text: &str) -> Result<Vec<T>> {
    serde_json::from_str(text)
        .map_err(|e| Error::Internal(format!("stored {column} unreadable: {e}")))
}

/// The needs of these initiatives with how many joined each, by initiative.
pub async fn needs_of(
    ex: &mut impl Executor,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<NeedView>>> {
    let mut by_initiative: HashMap<Uuid, Vec<NeedView>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_initiative);
    }
    let mut query = SqlBuilder::new(
        "SELECT n.id, n.initiative_id, n.title, n.people_wanted, n.skills, n.tools, n.slots, \
         (SELECT COUNT(*) FROM signups s WHERE s.need_id = n.id) AS joined \
         FROM needs n WHERE n.initiative_id IN ",
    );
    query
        .bind_list(ids.iter().copied())
        .push(" ORDER BY n.initiative_id, n.position");
    let rows: Vec<NeedRow> = db::fetch_all(ex, &query.sql, query.values).await?;
    for row in rows {
        let view = NeedView {
            id: row.id,
            title: row.title,
            people_wanted: count(row.people_wanted),
            people_joined: count(row.joined),
            skills: stored_list("skills", &row.skills)?,
            tools: stored_list("tools", &row.tools)?,
            slots: stored_list::<WeeklySlot>("slots", &row.slots)?,
        };
        by_initiative
            .entry(row.initiative_id)
            .or_default()
            .push(view);
    }
    Ok(by_initiative)
}

/// Turns rows into views with their needs, in one query for all needs.
pub async fn views(
    ex: &mut impl Executor,
    rows: Vec<(InitiativeRow, Option<f64>)>,
) -> Result<Vec<InitiativeView>> {
    let ids: Vec<Uuid> = rows.iter().map(|(row, _)| row.id).collect();
    let mut needs = needs_of(ex, &ids).await?;
    rows.into_iter()
        .map(|(row, distance)| {
            let row_needs = needs.remove(&row.id).unwrap_or_default();
            row.into_view(row_needs, distance)
        })
        .collect()
}

/// The checked filters of a list request.
struct Filters {
    institution: Option<String>,
    category: Option<String>,
    words: Vec<String>,
    near: Option<(GeoPoint, f64)>,
    page: u32,
    per_page: u32,
}

fn parse_filters(query: InitiativeQuery) -> Result<Filters> {
    let page = query.page.unwrap_or(1);
    if page == 0 {
        return Err(Error::bad_parameter("page starts at 1."));
    }
    let per_page = query.per_page.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(Error::bad_parameter(format!(
            "per_page must be from 1 to {MAX_PER_PAGE}."
        )));
    }
    let mut errors = sammen_shared::FieldErrors::new();
    let point = GeoPoint::parse_optional(query.lat, query.lon, "near", &mut errors);
    if let Some((field, error)) = errors.iter().next() {
        return Err(Error::bad_parameter(format!(
            "{field}: {}",
            error.message(sammen_shared::Lang::En)
        )));
    }
    let radius = query.radius_km.unwrap_or(DEFAULT_RADIUS_KM);
    if !(radius.is_finite() && (0.1..=500.0).contains(&radius)) {
        return Err(Error::bad_parameter("radius_km must be from 0.1 to 500."));
    }
    let text = query.q.unwrap_or_default();
    if text.chars().count() > 100 || text.chars().any(char::is_control) {
        return Err(Error::bad_parameter(
            "q must be at most 100 characters of plain text.",
        ));
    }
    let words = text
        .split_whitespace()
        .take(8)
        .map(str::to_lowercase)
        .collect();
    let slug = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(Filters {
        institution: slug(query.institution),
        category: slug(query.category),
        words,
        near: point.map(|p| (p, radius)),
        page,
        per_page,
    })
}

fn push_filters(query: &mut SqlBuilder, municipality: &str, filters: &Filters) {
    query.push(" WHERE i.municipality = ").bind(municipality);
    query.push(" AND i.status = 'published'");
    if let Some(institution) = &filters.institution {
        query.push(" AND i.institution = ").bind(institution);
    }
    if let Some(category) = &filters.category {
        query.push(" AND i.category = ").bind(category);
    }
    for word in &filters.words {
        query
            .push(" AND i.search_text LIKE ")
            .bind(format!("%{}%", like_escape(word)));
        query.push(" ESCAPE '\\'");
    }
    if let Some((point, radius)) = filters.near {
        let (low, high) = point.bounding_box(radius);
        query
            .push(" AND i.lat BETWEEN ")
            .bind(low.lat)
            .push(" AND ")
            .bind(high.lat);
        query
            .push(" AND i.lon BETWEEN ")
            .bind(low.lon)
            .push(" AND ")
            .bind(high.lon);
    }
}

/// Published initiatives of a municipality, newest first — or nearest first
/// when `lat`/`lon` are given.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{municipality}/initiatives",
    tag = "public",
    params(("municipality" = String, Path, description = "Slug, e.g. `billund`"), InitiativeQuery),
    responses(
        (status = 200, body = Page<InitiativeView>),
        (status = 400, description = "A malformed filter", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such municipality", body = sammen_shared::ErrorBody),
    )
)]
async fn list_initiatives(
    State(state): State<AppState>,
    ApiPath(municipality): ApiPath<String>,
    ApiQuery(query): ApiQuery<InitiativeQuery>,
) -> Result<Json<Page<InitiativeView>>> {
    let filters = parse_filters(query)?;
    let mut conn = state.db.acquire().await?;
    municipality_name(&mut conn, &municipality).await?;
    let offset = i64::from(filters.page - 1) * i64::from(filters.per_page);

    let (total, page_rows) = if let Some((point, radius)) = filters.near {
        let mut query = SqlBuilder::new(&format!("SELECT {PUBLIC_COLUMNS}{FROM_INITIATIVES}"));
        push_filters(&mut query, &municipality, &filters);
        query
            .push(" ORDER BY i.published_at DESC LIMIT ")
            .bind(NEAR_CANDIDATES);
        let rows: Vec<InitiativeRow> = db::fetch_all(&mut conn, &query.sql, query.values).await?;
        let mut near: Vec<(InitiativeRow, Option<f64>)> = rows
            .into_iter()
            .filter_map(|row| {
                let km = row.point()?.distance_km(point);
                (km <= radius).then_some((row, Some((km * 10.0).round() / 10.0)))
            })
            .collect();
        near.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal));
        let total = near.len() as i64;
        let page = near
            .into_iter()
            .skip(offset as usize)
            .take(filters.per_page as usize)
            .collect();
        (total, page)
    } else {
        let mut count = SqlBuilder::new("SELECT COUNT(*) FROM initiatives i");
        push_filters(&mut count, &municipality, &filters);
        let total: i64 = db::fetch_scalar(&mut conn, &count.sql, count.values).await?;
        let mut query = SqlBuilder::new(&format!("SELECT {PUBLIC_COLUMNS}{FROM_INITIATIVES}"));
        push_filters(&mut query, &municipality, &filters);
        query
            .push(" ORDER BY i.published_at DESC, i.id LIMIT ")
            .bind(i64::from(filters.per_page));
        query.push(" OFFSET ").bind(offset);
        let rows: Vec<InitiativeRow> = db::fetch_all(&mut conn, &query.sql, query.values).await?;
        (total, rows.into_iter().map(|row| (row, None)).collect())
    };

    Ok(Json(Page {
        items: views(&mut conn, page_rows).await?,
        page: filters.page,
        per_page: filters.per_page,
        total: total.max(0) as u64,
    }))
}

/// One public initiative (published or completed).
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{municipality}/initiatives/{id}",
    tag = "public",
    params(
        ("municipality" = String, Path, description = "Slug, e.g. `billund`"),
        ("id" = Uuid, Path, description = "The initiative's id"),
    ),
    responses(
        (status = 200, body = InitiativeView),
        (status = 400, description = "The id is not a UUID", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such public initiative", body = sammen_shared::ErrorBody),
    )
)]
async fn read_initiative(
    State(state): State<AppState>,
    ApiPath((municipality, id)): ApiPath<(String, Uuid)>,
) -> Result<Json<InitiativeView>> {
    let mut conn = state.db.acquire().await?;
    municipality_name(&mut conn, &municipality).await?;
    let row = public_initiative(&mut conn, &municipality, id).await?;
    let mut views = views(&mut conn, vec![(row, None)]).await?;
    Ok(Json(views.remove(0)))
}

/// A public initiative of this municipality, or 404 (also for one that
/// exists but is not public: its existence is nobody's business).
pub async fn public_initiative(
    ex: &mut impl Executor,
    municipality: &str,
    id: Uuid,
) -> Result<InitiativeRow> {
    let sql = format!(
        "SELECT {PUBLIC_COLUMNS}{FROM_INITIATIVES} \
         WHERE i.municipality = $1 AND i.id = $2 AND i.status IN ('published', 'completed')"
    );
    db::fetch_optional(ex, &sql, args![municipality, id])
        .await?
        .ok_or_else(|| Error::not_found("There is no such public initiative."))
}
