//! What came of it: per institution and category, how many initiatives were
//! proposed, published, running and completed; how many people, families
//! and newcomers joined; dates held; volunteer hours offered and used. The
//! same figures as JSON (for the console's charts) and as CSV. Counts only:
//! no name, contact or free text leaves through here.
//!
//! With a period (`from`/`to`, days in Danish time, both included — a budget
//! year), each figure counts what happened in it: initiatives proposed,
//! published and completed then, people who joined then, dates held then,
//! check-in answers given then, volunteers who said yes then. "Running"
//! stays a state: published now with someone who joined in the period.

use std::collections::{BTreeMap, HashMap};

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Copenhagen;
use sammen_shared::admin::Role;
use sammen_shared::signup::Family;
use sammen_shared::stats::{csv_line, weekly_hours, Period, Stats, StatsRow, CSV_HEADER};
use sammen_shared::week::WeeklySlot;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::admin::scope::visible_offers;
use crate::admin::signed::Signed;
use crate::db::{self, Executor, SqlBuilder};
use crate::error::{Error, NotSignedIn, Result};
use crate::extract::ApiQuery;
use crate::state::AppState;
use crate::stored::stored_list;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(stats))
        .routes(routes!(stats_csv))
}

#[derive(sqlx::FromRow)]
struct InitiativeRow {
    id: Uuid,
    institution: Option<String>,
    category: String,
    status: String,
    created_at: DateTime<Utc>,
    published_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct SignupRow {
    initiative_id: Uuid,
    family: Option<String>,
}

#[derive(sqlx::FromRow)]
struct HeldRow {
    initiative_id: Uuid,
    held: i64,
}

#[derive(sqlx::FromRow)]
struct AcceptedRow {
    initiative_id: Uuid,
    slots: String,
}

/// `AND i.institution IN (…)` for a coordinator; nothing for an admin.
fn scope(query: &mut SqlBuilder, signed: &Signed) {
    if signed.role == Role::Coordinator {
        if signed.institutions.is_empty() {
            query.push(" AND 1 = 0");
        } else {
            query
                .push(" AND i.institution IN ")
                .bind_list(signed.institutions.iter());
        }
    }
}

/// A checked period: instants, the end excluded.
#[derive(Clone, Copy, Default)]
struct Span {
    from: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
}

impl Span {
    fn parse(period: &Period) -> Result<Span> {
        // A day starts at midnight in Denmark.
        let start_of = |field: &str, text: &str| -> Result<DateTime<Utc>> {
            let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                Error::bad_parameter(format!("{field} must be a date such as 2026-01-01."))
            })?;
            Ok(Copenhagen
                .from_local_datetime(&day.and_time(NaiveTime::MIN))
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| day.and_time(NaiveTime::MIN).and_utc()))
        };
        let from = period
            .from
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(|t| start_of("from", t))
            .transpose()?;
        let until = period
            .to
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(|t| start_of("to", t).map(|start| start + Duration::days(1)))
            .transpose()?;
        if let (Some(from), Some(until)) = (from, until) {
            if until <= from {
                return Err(Error::bad_parameter("to must not be before from."));
            }
        }
        Ok(Span { from, until })
    }

    /// `AND {column} >= from AND {column} < until`, for the ends given.
    fn push(self, query: &mut SqlBuilder, column: &str) {
        if let Some(from) = self.from {
            query.push(&format!(" AND {column} >= ")).bind(from);
        }
        if let Some(until) = self.until {
            query.push(&format!(" AND {column} < ")).bind(until);
        }
    }
}

#[derive(sqlx::FromRow)]
struct CheckInRow {
    initiative_id: Uuid,
    how: String,
}

async fn figures(ex: &mut impl Executor, signed: &Signed, span: Span) -> Result<Stats> {
    let scoped = |sql: &str| {
        let mut query = SqlBuilder::new(sql);
        query.bind(&signed.municipality);
        scope(&mut query, signed);
        query
    };
    // Every initiative, for its row; what it counts depends on the period.
    let q = scoped(
        "SELECT i.id, i.institution, i.category, i.status, i.created_at, i.published_at, \
         i.updated_at FROM initiatives i WHERE i.municipality = ",
    );
    let initiatives: Vec<InitiativeRow> = db::fetch_all(ex, &q.sql, q.values).await?;
    let mut q = scoped(
        "SELECT s.initiative_id, s.family FROM signups s JOIN initiatives i ON i.id = s.initiative_id \
         WHERE NOT s.is_organiser AND i.municipality = ",
    );
    span.push(&mut q, "s.created_at");
    let signups: Vec<SignupRow> = db::fetch_all(ex, &q.sql, q.values).await?;
    let mut q = scoped(
        "SELECT g.initiative_id, COUNT(*) AS held FROM group_dates d \
         JOIN initiative_groups g ON g.id = d.group_id JOIN initiatives i ON i.id = g.initiative_id \
         WHERE d.status = 'done' AND i.municipality = ",
    );
    span.push(&mut q, "d.starts_at");
    q.push(" GROUP BY g.initiative_id");
    let held: Vec<HeldRow> = db::fetch_all(ex, &q.sql, q.values).await?;
    let mut q = scoped(
        "SELECT v.initiative_id, n.slots FROM invitations v JOIN needs n ON n.id = v.need_id \
         JOIN initiatives i ON i.id = v.initiative_id WHERE v.status = 'accepted' AND i.municipality = ",
    );
    span.push(&mut q, "v.updated_at");
    let accepted: Vec<AcceptedRow> = db::fetch_all(ex, &q.sql, q.values).await?;
    let mut q = scoped(
        "SELECT g.initiative_id, c.how FROM group_check_ins c JOIN group_dates d ON d.id = c.date_id \
         JOIN initiative_groups g ON g.id = d.group_id JOIN initiatives i ON i.id = g.initiative_id \
         WHERE i.municipality = ",
    );
    span.push(&mut q, "c.created_at");
    let check_ins: Vec<CheckInRow> = db::fetch_all(ex, &q.sql, q.values).await?;
    let within = |at: Option<DateTime<Utc>>| match at {
        Some(at) => span.from.is_none_or(|f| at >= f) && span.until.is_none_or(|u| at < u),
        None => false,
    };

    let mut per_initiative: HashMap<Uuid, StatsRow> = HashMap::new();
    for signup in &signups {
        let row = per_initiative.entry(signup.initiative_id).or_default();
        row.people += 1;
        if let Some(family) = signup
            .family
            .as_deref()
            .and_then(|t| serde_json::from_str::<Family>(t).ok())
        {
            row.families += 1;
            row.newcomers += u32::from(family.new_in_area);
        }
    }
    for h in &held {
        per_initiative
            .entry(h.initiative_id)
            .or_default()
            .dates_held += u32::try_from(h.held.max(0)).unwrap_or(u32::MAX);
    }
    for c in &check_ins {
        let row = per_initiative.entry(c.initiative_id).or_default();
        match c.how.as_str() {
            "good" => row.went_well += 1,
            "mixed" => row.went_mixed += 1,
            _ => row.went_badly += 1,
        }
    }
    for a in &accepted {
        let slots: Vec<WeeklySlot> = stored_list("slots", &a.slots)?;
        per_initiative
            .entry(a.initiative_id)
            .or_default()
            .volunteer_hours_used += weekly_hours(&slots);
    }

    let mut rows: BTreeMap<(Option<String>, String), StatsRow> = BTreeMap::new();
    for initiative in &initiatives {
        let key = (initiative.institution.clone(), initiative.category.clone());
        let row = rows.entry(key.clone()).or_insert_with(|| StatsRow {
            institution: key.0,
            category: key.1,
            ..StatsRow::default()
        });
        let own = per_initiative.remove(&initiative.id).unwrap_or_default();
        let whole = span.from.is_none() && span.until.is_none();
        row.proposed += u32::from(within(Some(initiative.created_at)));
        match initiative.status.as_str() {
            "published" => {
                // Without a period: published now; with one: published then.
                row.published += u32::from(whole || within(initiative.published_at));
                row.running += u32::from(own.people > 0);
            }
            // When it was completed is its last change.
            "completed" => row.completed += u32::from(within(Some(initiative.updated_at))),
            _ => {}
        }
        // `own` holds only what joined and happened, not the states.
        row.add(&own);
    }
    let rows: Vec<StatsRow> = rows.into_values().collect();
    let mut total = StatsRow {
        category: "total".into(),
        ..StatsRow::default()
    };
    for row in &rows {
        total.add(row);
    }
    let offered = visible_offers(ex, signed, None)
        .await?
        .iter()
        .map(|offer| weekly_hours(&offer.slots))
        .fold(0.0, |total, hours| total + hours);
    Ok(Stats {
        rows,
        total,
        volunteer_hours_offered: offered,
    })
}

/// The figures per institution and category, and in total.
#[utoipa::path(
    get,
    path = "/api/v1/admin/stats",
    tag = "admin",
    params(Period),
    responses(
        (status = 200, body = Stats),
        (status = 400, description = "A malformed period", body = sammen_shared::ErrorBody),
        NotSignedIn,
    )
)]
async fn stats(
    State(state): State<AppState>,
    signed: Signed,
    ApiQuery(period): ApiQuery<Period>,
) -> Result<Json<Stats>> {
    let span = Span::parse(&period)?;
    let mut conn = state.db.acquire().await?;
    Ok(Json(figures(&mut conn, &signed, span).await?))
}

/// The same figures as CSV (UTF-8, one row per institution and category,
/// then the total). No personal data.
#[utoipa::path(
    get,
    path = "/api/v1/admin/stats.csv",
    tag = "admin",
    params(Period),
    responses(
        (status = 200, description = "The figures", content_type = "text/csv", body = String),
        (status = 400, description = "A malformed period", body = sammen_shared::ErrorBody),
        NotSignedIn,
    )
)]
async fn stats_csv(
    State(state): State<AppState>,
    signed: Signed,
    ApiQuery(period): ApiQuery<Period>,
) -> Result<Response> {
    let span = Span::parse(&period)?;
    let figures = {
        let mut conn = state.db.acquire().await?;
        figures(&mut conn, &signed, span).await?
    };
    let mut csv = String::from(CSV_HEADER);
    csv.push('\n');
    for row in figures.rows.iter().chain(std::iter::once(&figures.total)) {
        csv.push_str(&csv_line(row));
        csv.push('\n');
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"sammen-stats.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}
