//! The public side of initiatives: list the published ones of a municipality
//! (filters, "near me", pages) and read one. Only public columns are selected
//! here; the proposer's contact never leaves the database on these paths.
//! Both answers are kept in memory under the municipality's public version
//! (`public_answers.rs`), the list per canonical query.

use crate::said;
use axum::extract::State;
use axum::response::Response;
use sammen_shared::geo::GeoPoint;
use sammen_shared::initiative::InitiativeView;
use sammen_shared::page::{
    InitiativeQuery, Page, DEFAULT_PER_PAGE, DEFAULT_RADIUS_KM, MAX_PER_PAGE,
};
use sammen_shared::ErrorCode;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::db::{self, like_escape, Kind, SqlBuilder};
use crate::error::{Error, Result};
use crate::extract::{ApiPath, ApiQuery};
use crate::initiative::{
    public_initiative, rare_word, views, InitiativeRow, FROM_INITIATIVES, PUBLIC_COLUMNS,
};
use crate::public_answers::PublicRead;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_initiatives))
        .routes(routes!(read_initiative))
}

/// At most this many candidates are ranked by distance for a near search.
const NEAR_CANDIDATES: i64 = 5000;

/// The checked filters of a list request.
struct Filters {
    institution: Option<String>,
    category: Option<String>,
    words: Vec<String>,
    near: Option<(GeoPoint, f64)>,
    /// Completed initiatives (what came of it) instead of published ones.
    results: bool,
    page: u32,
    per_page: u32,
}

impl Filters {
    /// The question these filters ask, one text per meaning (the words as
    /// searched, numbers as parsed): the key of the answer kept.
    fn canonical(&self) -> String {
        let mut key = format!(
            "list?results={}&page={}&per_page={}",
            self.results, self.page, self.per_page
        );
        if let Some(institution) = &self.institution {
            key.push_str(&format!("&institution={institution:?}"));
        }
        if let Some(category) = &self.category {
            key.push_str(&format!("&category={category:?}"));
        }
        if !self.words.is_empty() {
            key.push_str(&format!("&q={:?}", self.words));
        }
        if let Some((point, radius)) = self.near {
            key.push_str(&format!("&near={},{},{radius}", point.lat, point.lon));
        }
        key
    }
}

fn parse_filters(query: InitiativeQuery) -> Result<Filters> {
    let page = query.page.unwrap_or(1);
    if page == 0 {
        return Err(Error::refused(
            ErrorCode::InvalidParameter,
            &said::PAGE_FROM_ONE,
        ));
    }
    let per_page = query.per_page.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(Error::refused_with(
            ErrorCode::InvalidParameter,
            &said::PER_PAGE_RANGE,
            &[("max", &MAX_PER_PAGE)],
        ));
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
        return Err(Error::refused(
            ErrorCode::InvalidParameter,
            &said::RADIUS_RANGE,
        ));
    }
    let text = query.q.unwrap_or_default();
    if text.chars().count() > 100 || text.chars().any(char::is_control) {
        return Err(Error::refused(
            ErrorCode::InvalidParameter,
            &said::QUERY_TOO_LONG,
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
        results: query.results.unwrap_or(false),
        page,
        per_page,
    })
}

fn push_filters(
    query: &mut SqlBuilder,
    municipality: &str,
    filters: &Filters,
    found: &[Option<Vec<Uuid>>],
) {
    // With the rows of a rare word at hand, SQLite is to look them up by id:
    // the unary `+` keeps it from reading the whole municipality through
    // the status index instead (its planner cannot tell how few they are).
    let by_id = if found.iter().any(Option::is_some) {
        "+"
    } else {
        ""
    };
    query
        .push(&format!(" WHERE {by_id}i.municipality = "))
        .bind(municipality);
    query.push(&format!(
        " AND {by_id}i.status = '{}'",
        if filters.results {
            "completed"
        } else {
            "published"
        }
    ));
    if let Some(institution) = &filters.institution {
        query.push(" AND i.institution = ").bind(institution);
    }
    if let Some(category) = &filters.category {
        query.push(" AND i.category = ").bind(category);
    }
    for (word, found) in filters.words.iter().zip(found) {
        match found {
            // A rare word, found through the trigram index: those rows only.
            Some(ids) if ids.is_empty() => {
                query.push(" AND 1 = 0");
            }
            Some(ids) => {
                query.push(" AND i.id IN ").bind_list(ids.iter().copied());
            }
            None => {
                query
                    .push(" AND i.search_text LIKE ")
                    .bind(format!("%{}%", like_escape(word)));
                query.push(" ESCAPE '\\'");
            }
        }
    }
    if let Some((point, radius)) = filters.near {
        // Those without a place stay in the list (after the others): a
        // citizen's proposal often names a place but no point.
        let (low, high) = point.bounding_box(radius);
        query
            .push(" AND (i.lat IS NULL OR i.lon IS NULL OR (i.lat BETWEEN ")
            .bind(low.lat)
            .push(" AND ")
            .bind(high.lat);
        query
            .push(" AND i.lon BETWEEN ")
            .bind(low.lon)
            .push(" AND ")
            .bind(high.lon)
            .push("))");
    }
}

/// Published initiatives of a municipality, newest first — or nearest first
/// when `lat`/`lon` are given (within `radius_km`; those without a point
/// follow, never dropped).
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{municipality}/initiatives",
    tag = "public",
    params(("municipality" = String, Path, description = "Slug, e.g. `billund`"), InitiativeQuery),
    responses(
        (status = 200, body = Page<InitiativeView>, description = "The page, with a weak `ETag` and `Cache-Control: public, no-cache`"),
        (status = 304, description = "Not modified: the `ETag` sent in `If-None-Match` is current"),
        (status = 400, description = "A malformed filter", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such municipality", body = sammen_shared::ErrorBody),
    )
)]
async fn list_initiatives(
    State(state): State<AppState>,
    ApiPath(municipality): ApiPath<String>,
    ApiQuery(query): ApiQuery<InitiativeQuery>,
    read: PublicRead,
) -> Result<Response> {
    let filters = parse_filters(query)?;
    let what = filters.canonical();
    state
        .public
        .answer(&state.db, &municipality, read, what, || {
            list(&state, &municipality, &filters)
        })
        .await
}

/// The page of initiatives `filters` ask for; the municipality exists.
async fn list(
    state: &AppState,
    municipality: &str,
    filters: &Filters,
) -> Result<Page<InitiativeView>> {
    let mut conn = state.db.acquire().await?;
    let mut found = Vec::with_capacity(filters.words.len());
    for word in &filters.words {
        found.push(match state.db.kind() {
            Kind::Sqlite => rare_word(&mut conn, word).await?,
            // PostgreSQL's planner weighs the trigram index itself.
            Kind::Postgres => None,
        });
    }
    let offset = i64::from(filters.page - 1) * i64::from(filters.per_page);

    let (total, page_rows) = if let Some((point, radius)) = filters.near {
        let mut query = SqlBuilder::new(&format!("SELECT {PUBLIC_COLUMNS}{FROM_INITIATIVES}"));
        push_filters(&mut query, municipality, filters, &found);
        query
            .push(" ORDER BY i.published_at DESC LIMIT ")
            .bind(NEAR_CANDIDATES);
        let rows: Vec<InitiativeRow> = db::fetch_all(&mut conn, &query.sql, query.values).await?;
        let mut near: Vec<(InitiativeRow, Option<f64>)> = rows
            .into_iter()
            .filter_map(|row| match row.point() {
                Some(at) => {
                    let km = at.distance_km(point);
                    (km <= radius).then_some((row, Some((km * 10.0).round() / 10.0)))
                }
                None => Some((row, None)),
            })
            .collect();
        // Nearest first; those without a point after all the others, newest
        // first as they came (the sort is stable).
        near.sort_by(|a, b| match (a.1, b.1) {
            (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        let total = near.len() as i64;
        let page = near
            .into_iter()
            .skip(offset as usize)
            .take(filters.per_page as usize)
            .collect();
        (total, page)
    } else {
        let mut count = SqlBuilder::new("SELECT COUNT(*) FROM initiatives i");
        push_filters(&mut count, municipality, filters, &found);
        let total: i64 = db::fetch_scalar(&mut conn, &count.sql, count.values).await?;
        let mut query = SqlBuilder::new(&format!("SELECT {PUBLIC_COLUMNS}{FROM_INITIATIVES}"));
        push_filters(&mut query, municipality, filters, &found);
        // Results: the most recently completed first (completing is its
        // last change).
        query
            .push(if filters.results {
                " ORDER BY i.updated_at DESC, i.id LIMIT "
            } else {
                " ORDER BY i.published_at DESC, i.id LIMIT "
            })
            .bind(i64::from(filters.per_page));
        query.push(" OFFSET ").bind(offset);
        let rows: Vec<InitiativeRow> = db::fetch_all(&mut conn, &query.sql, query.values).await?;
        (total, rows.into_iter().map(|row| (row, None)).collect())
    };

    Ok(Page {
        items: views(&mut conn, page_rows).await?,
        page: filters.page,
        per_page: filters.per_page,
        total: total.max(0) as u64,
    })
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
        (status = 200, body = InitiativeView, description = "The initiative, with a weak `ETag` and `Cache-Control: public, no-cache`"),
        (status = 304, description = "Not modified: the `ETag` sent in `If-None-Match` is current"),
        (status = 400, description = "The id is not a UUID", body = sammen_shared::ErrorBody),
        (status = 404, description = "No such public initiative", body = sammen_shared::ErrorBody),
    )
)]
async fn read_initiative(
    State(state): State<AppState>,
    ApiPath((municipality, id)): ApiPath<(String, Uuid)>,
    read: PublicRead,
) -> Result<Response> {
    let what = format!("initiative/{id}");
    state
        .public
        .answer(&state.db, &municipality, read, what, || async {
            let mut conn = state.db.acquire().await?;
            let row = public_initiative(&mut conn, &municipality, id).await?;
            let mut views = views(&mut conn, vec![(row, None)]).await?;
            Ok(views.remove(0))
        })
        .await
}
