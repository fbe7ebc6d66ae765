//! The public side of initiatives: list the published ones of a municipality
//! (filters, "near me", pages) and read one. Only public columns are selected
//! here; the proposer's contact never leaves the database on these paths.
//! Both answers are kept in memory under the municipality's public version
//! (`public_answers.rs`), the list per canonical query.
//!
//! The list costs the same at 100,000 initiatives as at 10 (migration
//! `flat_list`): its total is summed from `initiative_counts`, which
//! triggers keep, unless words are searched; a page is read off an index in
//! the list's order, and a deep one from a cursor (`after`, handed out in
//! the `Link: <…>; rel="next"` header) rather than by skipping rows, which
//! is why a page number alone reaches only [`MAX_OFFSET`] rows deep.

use crate::said;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
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
use crate::public_answers::{Linked, PublicRead};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_initiatives))
        .routes(routes!(read_initiative))
}

/// At most this many candidates are ranked by distance for a near search.
const NEAR_CANDIDATES: i64 = 5000;

/// A page asked for by number alone starts within this many initiatives:
/// deeper, skipping rows would cost in proportion to the depth, so deeper
/// pages are reached with `after`, which costs the same at any depth.
pub const MAX_OFFSET: i64 = 10_000;

/// Where a page of the list starts: just after the initiative with this
/// sort key (`published_at`, or `updated_at` for results) and id, in the
/// list's order (newest first, then by id). Sent as `after`, opaque:
/// base64url of the seconds, nanoseconds and id.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Cursor {
    at: DateTime<Utc>,
    id: Uuid,
}

impl Cursor {
    const BYTES: usize = 8 + 4 + 16;

    fn encode(&self) -> String {
        let mut bytes = Vec::with_capacity(Self::BYTES);
        bytes.extend_from_slice(&self.at.timestamp().to_be_bytes());
        bytes.extend_from_slice(&self.at.timestamp_subsec_nanos().to_be_bytes());
        bytes.extend_from_slice(self.id.as_bytes());
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The cursor `text` is, or `None` for anything an answer did not hand out.
    fn parse(text: &str) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
        if bytes.len() != Self::BYTES {
            return None;
        }
        let seconds = i64::from_be_bytes(bytes[0..8].try_into().ok()?);
        let nanos = u32::from_be_bytes(bytes[8..12].try_into().ok()?);
        let at = DateTime::from_timestamp(seconds, nanos).filter(|_| nanos < 1_000_000_000)?;
        let id = Uuid::from_slice(&bytes[12..]).ok()?;
        Some(Cursor { at, id })
    }
}

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
    /// Start after this row instead of skipping `(page - 1) * per_page`.
    after: Option<Cursor>,
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
        if let Some(after) = &self.after {
            key.push_str(&format!("&after={}", after.encode()));
        }
        key
    }

    /// How many rows a page asked for by number skips.
    fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    /// The column the list is ordered by (newest first).
    fn sort_column(&self) -> &'static str {
        // Results: the most recently completed first (completing is its
        // last change).
        if self.results {
            "i.updated_at"
        } else {
            "i.published_at"
        }
    }

    /// The `Link` header that leads to the page after the one ending at
    /// `last`: these filters, the next page's number, and `after`.
    fn next_link(&self, municipality: &str, last: Cursor) -> Option<HeaderValue> {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if let Some(institution) = &self.institution {
            query.append_pair("institution", institution);
        }
        if let Some(category) = &self.category {
            query.append_pair("category", category);
        }
        if !self.words.is_empty() {
            query.append_pair("q", &self.words.join(" "));
        }
        if self.results {
            query.append_pair("results", "true");
        }
        query.append_pair("per_page", &self.per_page.to_string());
        query.append_pair("page", &self.page.saturating_add(1).to_string());
        query.append_pair("after", &last.encode());
        let municipality: String =
            url::form_urlencoded::byte_serialize(municipality.as_bytes()).collect();
        HeaderValue::from_str(&format!(
            "</api/v1/municipalities/{municipality}/initiatives?{}>; rel=\"next\"",
            query.finish()
        ))
        .ok()
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
    let after = match query.after.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            Cursor::parse(text)
                .ok_or_else(|| Error::refused(ErrorCode::InvalidParameter, &said::BAD_CURSOR))?,
        ),
    };
    if after.is_some() && point.is_some() {
        return Err(Error::refused(
            ErrorCode::InvalidParameter,
            &said::AFTER_NOT_NEAR,
        ));
    }
    let slug = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let filters = Filters {
        institution: slug(query.institution),
        category: slug(query.category),
        words,
        near: point.map(|p| (p, radius)),
        results: query.results.unwrap_or(false),
        page,
        per_page,
        after,
    };
    // A near search ranks at most NEAR_CANDIDATES in memory: its pages
    // cost no more deep than shallow.
    if filters.after.is_none() && filters.near.is_none() && filters.offset() >= MAX_OFFSET {
        return Err(Error::refused_with(
            ErrorCode::InvalidParameter,
            &said::PAGE_TOO_DEEP,
            &[("max", &MAX_OFFSET)],
        ));
    }
    Ok(filters)
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
///
/// Walk the list with the `Link: <…>; rel="next"` header: it carries the
/// filters, the next page's number and `after`, a cursor where this page
/// ended, and is absent on the last page. A page costs the same at any
/// depth that way. A page asked for by number alone must start within the
/// first 10,000 initiatives (400 beyond, naming `after`), as search engines
/// do; a near search pages by number only.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{municipality}/initiatives",
    tag = "public",
    params(("municipality" = String, Path, description = "Slug, e.g. `billund`"), InitiativeQuery),
    responses(
        (status = 200, body = Page<InitiativeView>,
         description = "The page, with a weak `ETag` and `Cache-Control: public, no-cache`",
         headers(("Link" = String, description = "`</api/v1/municipalities/…/initiatives?…&page=2&after=…>; rel=\"next\"` when there is a next page (RFC 8288)"))),
        (status = 304, description = "Not modified: the `ETag` sent in `If-None-Match` is current"),
        (status = 400, description = "A malformed filter or `after`; `after` with `lat`/`lon`; or a `page` starting beyond the first 10,000 initiatives without `after`", body = sammen_shared::ErrorBody),
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
        .answer_linked(&state.db, &municipality, read, what, || {
            list(&state, &municipality, &filters)
        })
        .await
}

/// A row of the list with the key it is sorted by, for the next cursor.
#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    row: InitiativeRow,
    sort_at: Option<DateTime<Utc>>,
}

/// The page of initiatives `filters` ask for, with the link to the next;
/// the municipality exists.
async fn list(
    state: &AppState,
    municipality: &str,
    filters: &Filters,
) -> Result<Linked<Page<InitiativeView>>> {
    let mut conn = state.db.acquire().await?;
    let mut found = Vec::with_capacity(filters.words.len());
    for word in &filters.words {
        found.push(match state.db.kind() {
            Kind::Sqlite => rare_word(&mut conn, word).await?,
            // PostgreSQL's planner weighs the trigram index itself.
            Kind::Postgres => None,
        });
    }
    let (total, page_rows, link) = if let Some((point, radius)) = filters.near {
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
            .skip(filters.offset() as usize)
            .take(filters.per_page as usize)
            .collect();
        (total, page, None)
    } else {
        let count = count_query(municipality, filters, &found);
        let total: i64 = db::fetch_scalar(&mut conn, &count.sql, count.values).await?;
        let query = page_query(municipality, filters, &found);
        let mut rows: Vec<ListedRow> = db::fetch_all(&mut conn, &query.sql, query.values).await?;
        let more = rows.len() > filters.per_page as usize;
        rows.truncate(filters.per_page as usize);
        // A public row without its sort key (not written by Sammen) ends
        // the walk by link; pages by number still reach past it.
        let link = rows
            .last()
            .filter(|_| more)
            .and_then(|last| {
                Some(Cursor {
                    at: last.sort_at?,
                    id: last.row.id,
                })
            })
            .and_then(|last| filters.next_link(municipality, last));
        let rows = rows.into_iter().map(|listed| (listed.row, None)).collect();
        (total, rows, link)
    };

    Ok(Linked {
        body: Page {
            items: views(&mut conn, page_rows).await?,
            page: filters.page,
            per_page: filters.per_page,
            total: total.max(0) as u64,
        },
        link,
    })
}

/// The query of the list's total (not near). Without words: the sum of the
/// few `initiative_counts` rows of its municipality and status that its
/// category and institution select (one per category and institution at
/// most), however many initiatives there are; with words, they are counted.
fn count_query(municipality: &str, filters: &Filters, found: &[Option<Vec<Uuid>>]) -> SqlBuilder {
    if !filters.words.is_empty() {
        let mut count = SqlBuilder::new("SELECT COUNT(*) FROM initiatives i");
        push_filters(&mut count, municipality, filters, found);
        return count;
    }
    let mut query = SqlBuilder::new(
        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM initiative_counts WHERE municipality = ",
    );
    query
        .bind(municipality)
        .push(" AND status = ")
        .bind(if filters.results {
            "completed"
        } else {
            "published"
        });
    if let Some(category) = &filters.category {
        query.push(" AND category = ").bind(category);
    }
    if let Some(institution) = &filters.institution {
        query.push(" AND institution = ").bind(institution);
    }
    query
}

/// The query of one page (not near): one row more than the page, to tell
/// whether there is a next, in the list's order, from the top (skipping
/// `(page - 1) * per_page` rows) or from where `after` ended.
fn page_query(municipality: &str, filters: &Filters, found: &[Option<Vec<Uuid>>]) -> SqlBuilder {
    let column = filters.sort_column();
    let mut query = SqlBuilder::new(&format!(
        "SELECT {PUBLIC_COLUMNS}, {column} AS sort_at{FROM_INITIATIVES}"
    ));
    push_filters(&mut query, municipality, filters, found);
    if let Some(after) = filters.after {
        // Where the last page ended, in the list's order: the bound on the
        // sort key alone starts the index range there; the rest passes
        // over the ties before it.
        query
            .push(&format!(" AND {column} <= "))
            .bind(after.at)
            .push(&format!(" AND ({column} < "))
            .bind(after.at)
            .push(" OR i.id > ")
            .bind(after.id)
            .push(")");
    }
    query
        .push(&format!(" ORDER BY {column} DESC, i.id LIMIT "))
        .bind(i64::from(filters.per_page) + 1);
    if filters.after.is_none() {
        query.push(" OFFSET ").bind(filters.offset());
    }
    query
}

/// The statements the list runs for `query` without "near" (its total,
/// then its page), as SQL and values: for tests and benchmarks that check
/// their plans and time them. Words are searched as on PostgreSQL, in the
/// rows' text (SQLite asks its own index first, see [`rare_word`]). `None`
/// for a query the list refuses, or one with "near".
pub fn list_sql(
    municipality: &str,
    query: InitiativeQuery,
) -> Option<[(String, Vec<db::Value>); 2]> {
    let filters = parse_filters(query).ok()?;
    if filters.near.is_some() {
        return None;
    }
    let found = vec![None; filters.words.len()];
    let count = count_query(municipality, &filters, &found);
    let page = page_query(municipality, &filters, &found);
    Some([(count.sql, count.values), (page.sql, page.values)])
}

/// The cursor (`after`) of the page that follows one ending at the
/// initiative `id` whose sort key is `at`: for tests and benchmarks.
pub fn cursor_after(at: DateTime<Utc>, id: Uuid) -> String {
    Cursor { at, id }.encode()
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
