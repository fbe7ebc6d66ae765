//! Initiatives as stored: the public columns and rows, their needs with how
//! many joined, the text the list searches, and the lookups every part of
//! Sammen shares (the widget's API, the console, privacy and retention).
//! Only public columns are selected by `PUBLIC_COLUMNS`; the proposer's
//! contact is read through `proposal.rs`.

use crate::said;
use sammen_shared::ErrorCode;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sammen_shared::geo::GeoPoint;
use sammen_shared::initiative::{InitiativeView, InstitutionRef, Need, NeedView, Place, Proposal};
use sammen_shared::status::Status;
use sammen_shared::week::WeeklySlot;
use uuid::Uuid;

use crate::args;
use crate::db::{self, like_escape, Executor, SqlBuilder};
use crate::error::{Error, Result};
use crate::stored::{count, stored_list, timestamp};

/// The columns of an initiative that anyone may see, plus its signup count.
pub const PUBLIC_COLUMNS: &str =
    "i.id, i.municipality, i.institution, inst.name AS institution_name, \
     i.category, i.title, i.summary, i.audience, i.place_name, i.lat, i.lon, i.time_text, \
     i.status, i.published_at, i.outcome, \
     (SELECT COUNT(*) FROM signups s WHERE s.initiative_id = i.id AND NOT s.is_organiser) AS joined";

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
    pub outcome: Option<String>,
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
            outcome: self.outcome,
        })
    }
}

pub fn institution_ref(slug: Option<String>, name: Option<String>) -> Option<InstitutionRef> {
    let slug = slug?;
    let name = name.unwrap_or_else(|| slug.clone());
    Some(InstitutionRef { slug, name })
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
         (SELECT COUNT(*) FROM signups s WHERE s.need_id = n.id) \
         + (SELECT COUNT(*) FROM invitations v WHERE v.need_id = n.id AND v.status = 'accepted') \
         AS joined \
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
        .ok_or_else(|| Error::refused(ErrorCode::NotFound, &said::NO_SUCH_INITIATIVE))
}

/// Stores the needs of an initiative, in the order given; returns their ids.
pub async fn insert_needs(
    ex: &mut impl Executor,
    initiative: Uuid,
    needs: &[Need],
) -> Result<Vec<Uuid>> {
    let mut ids = Vec::with_capacity(needs.len());
    for (position, need) in needs.iter().enumerate() {
        let id = Uuid::new_v4();
        ids.push(id);
        db::execute_later(
            ex,
            "INSERT INTO needs (id, initiative_id, position, title, people_wanted, skills, tools, slots) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            args![
                id,
                initiative,
                position as i64,
                &need.title,
                need.people_wanted,
                serde_json::to_string(&need.skills)?,
                serde_json::to_string(&need.tools)?,
                serde_json::to_string(&need.slots)?,
            ],
        )
        .await?;
    }
    Ok(ids)
}

/// More matches than this and a word is too common for a list of ids: the
/// rows are read instead.
pub const RARE_WORD_MATCHES: usize = 2000;

/// On SQLite, the initiatives (of any municipality) whose search text holds
/// `word`, through the trigram index (`initiatives_search`), or `None` when
/// the index cannot help: a word under three characters or with a wildcard
/// character (the index takes no ESCAPE), or one so common that reading the
/// rows costs less. SQLite's planner cannot tell a rare word from a common
/// one, so this asks the index first, for at most a bounded answer.
pub async fn rare_word(ex: &mut impl Executor, word: &str) -> Result<Option<Vec<Uuid>>> {
    let pattern = format!("%{}%", like_escape(word));
    if word.chars().count() < 3 || pattern != format!("%{word}%") {
        return Ok(None);
    }
    let ids: Vec<Uuid> = db::fetch_scalars(
        ex,
        "SELECT id FROM initiatives_search WHERE search_text LIKE $1 LIMIT $2",
        args![pattern, RARE_WORD_MATCHES as i64 + 1],
    )
    .await?;
    Ok((ids.len() <= RARE_WORD_MATCHES).then_some(ids))
}

/// The lowercased public text of a proposal, searched by the list's `q`.
pub fn search_text(proposal: &Proposal) -> String {
    search_text_of(
        &proposal.title,
        &proposal.summary,
        proposal.audience.as_deref(),
        &proposal.place.name,
        proposal.when.as_deref(),
    )
}

/// Lowercased here in Rust because SQLite's `lower()` only knows ASCII (æøå).
pub fn search_text_of(
    title: &str,
    summary: &str,
    audience: Option<&str>,
    place: &str,
    when: Option<&str>,
) -> String {
    [Some(title), Some(summary), audience, Some(place), when]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n")
        .to_lowercase()
}
