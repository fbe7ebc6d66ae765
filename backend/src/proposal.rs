//! A proposal as its proposer and coordinator see it: the initiative with its
//! contact, version and dialogue. Looked up by follow link (the proposer) or
//! by id within a municipality (the coordinator, privacy requests).

use crate::said;
use chrono::{DateTime, Utc};
use sammen_shared::follow::{Author, JoinedPerson, MessageView, ProposalView};
use sammen_shared::initiative::Place;
use sammen_shared::person::ContactView;
use sammen_shared::signup::OrganiserSees;
use sammen_shared::status::{Action, Status};
use sammen_shared::ErrorCode;
use sammen_shared::ReaderLang;
use uuid::Uuid;

use crate::args;
use crate::db::{self, Db, Executor};
use crate::error::{Error, Result};
use crate::initiative::{institution_ref, needs_of};
use crate::public_answers::PublicAnswers;
use crate::stored::timestamp;
use crate::token;

/// An initiative with its contact: for the proposer and the coordinator only.
#[derive(sqlx::FromRow)]
pub struct ProposalRow {
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
    pub version: i64,
    pub lang: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    /// The page of the municipality's site it was proposed on, if known.
    pub page_url: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl ProposalRow {
    pub fn status(&self) -> Result<Status> {
        Status::parse(&self.status)
            .ok_or_else(|| Error::Internal(format!("unknown status '{}' stored", self.status)))
    }
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: Uuid,
    author: String,
    body: String,
    action: Option<String>,
    created_at: DateTime<Utc>,
}

const PROPOSAL_SELECT: &str = "SELECT i.id, i.municipality, i.institution, \
     inst.name AS institution_name, i.category, i.title, i.summary, i.audience, i.place_name, \
     i.lat, i.lon, i.time_text, i.status, i.version, i.lang, i.contact_name, i.contact_email, \
     i.contact_phone, i.page_url, i.created_at, i.updated_at FROM initiatives i \
     LEFT JOIN institutions inst \
     ON inst.municipality = i.municipality AND inst.slug = i.institution";

/// The proposal behind a follow link, or 404.
pub async fn proposal_by_token(ex: &mut impl Executor, token: &str) -> Result<ProposalRow> {
    // The first link, or one mailed to her since (`mail_follow_link`).
    let sql = format!(
        "{PROPOSAL_SELECT} WHERE i.follow_token_hash = $1 \
         OR i.id IN (SELECT initiative_id FROM follow_links WHERE token_hash = $1)"
    );
    db::fetch_optional(ex, &sql, args![token::hash(token)])
        .await?
        .ok_or_else(|| Error::refused(ErrorCode::NotFound, &said::FOLLOW_LINK_GONE))
}

/// An initiative of `municipality` with everything its coordinator may see,
/// or `None`.
pub async fn proposal_by_id(
    ex: &mut impl Executor,
    municipality: &str,
    id: Uuid,
) -> Result<Option<ProposalRow>> {
    let sql = format!("{PROPOSAL_SELECT} WHERE i.id = $1 AND i.municipality = $2");
    Ok(db::fetch_optional(ex, &sql, args![id, municipality]).await?)
}

/// The full view of a proposal and its dialogue, oldest message first.
pub async fn view_of(
    ex: &mut impl Executor,
    row: ProposalRow,
) -> Result<(ProposalView, Vec<MessageView>)> {
    let status = row.status()?;
    let mut needs = needs_of(ex, &[row.id]).await?;
    let messages: Vec<MessageRow> = db::fetch_all(
        ex,
        "SELECT id, author, body, action, created_at FROM messages \
         WHERE initiative_id = $1 ORDER BY created_at, id",
        args![row.id],
    )
    .await?;
    let messages = messages
        .into_iter()
        .map(|m| MessageView {
            id: m.id,
            author: if m.author == "coordinator" {
                Author::Coordinator
            } else {
                Author::Proposer
            },
            body: m.body,
            action: m.action.as_deref().and_then(action_from_str),
            created_at: timestamp(m.created_at),
        })
        .collect();
    let point = match (row.lat, row.lon) {
        (Some(lat), Some(lon)) => Some(sammen_shared::geo::GeoPoint { lat, lon }),
        _ => None,
    };
    Ok((
        ProposalView {
            needs: needs.remove(&row.id).unwrap_or_default(),
            id: row.id,
            municipality: row.municipality,
            institution: institution_ref(row.institution, row.institution_name),
            category: row.category,
            title: row.title,
            summary: row.summary,
            audience: row.audience,
            place: Place {
                name: row.place_name,
                point,
            },
            when: row.time_text,
            contact: ContactView {
                name: row.contact_name.unwrap_or_default(),
                email: row.contact_email,
                phone: row.contact_phone,
            },
            lang: ReaderLang::from_code(&row.lang).unwrap_or_default().base(),
            status,
            version: row.version,
            created_at: timestamp(row.created_at),
            updated_at: timestamp(row.updated_at),
        },
        messages,
    ))
}

fn action_from_str(word: &str) -> Option<Action> {
    Action::ALL.into_iter().find(|a| a.as_str() == word)
}

/// Adds a message to the dialogue of a proposal.
pub async fn add_message(
    ex: &mut impl Executor,
    initiative: Uuid,
    author: Author,
    body: &str,
    action: Option<Action>,
) -> Result<()> {
    let author = match author {
        Author::Proposer => "proposer",
        Author::Coordinator => "coordinator",
    };
    db::execute(
        ex,
        "INSERT INTO messages (id, initiative_id, author, body, action, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        args![
            Uuid::new_v4(),
            initiative,
            author,
            body,
            action.map(Action::as_str),
            Utc::now()
        ],
    )
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct JoinedRow {
    id: Uuid,
    need_id: Option<Uuid>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    message: Option<String>,
    organiser_sees: String,
    created_at: DateTime<Utc>,
}

/// Who joined initiative `id`, as its organiser may see them: each person's
/// name, and the email or phone they chose to show. Families a group invited
/// in are the group's, not the organiser's; erased signups are gone.
pub async fn people_of(ex: &mut impl Executor, id: Uuid) -> Result<Vec<JoinedPerson>> {
    let rows: Vec<JoinedRow> = db::fetch_all(
        ex,
        "SELECT id, need_id, contact_name, contact_email, contact_phone, message, organiser_sees, \
         created_at FROM signups WHERE initiative_id = $1 AND erased_at IS NULL \
         AND NOT joined_by_invite AND NOT is_organiser ORDER BY created_at, id",
        args![id],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let shows = OrganiserSees::parse(&row.organiser_sees);
            JoinedPerson {
                signup_id: row.id,
                need_id: row.need_id,
                name: row.contact_name.unwrap_or_default(),
                email: row.contact_email.filter(|_| shows == OrganiserSees::Email),
                phone: row.contact_phone.filter(|_| shows == OrganiserSees::Phone),
                message: row.message,
                joined_at: timestamp(row.created_at),
            }
        })
        .collect())
}

/// The addresses an organiser's message to the people of initiative `id`
/// goes to (never shown to the organiser): those who joined with an email,
/// and volunteers who said yes; only those of `need` when given. Each
/// address once.
pub async fn reachable(
    ex: &mut impl Executor,
    id: Uuid,
    need: Option<Uuid>,
) -> Result<Vec<String>> {
    let mut query = db::SqlBuilder::new("SELECT contact_email FROM signups WHERE initiative_id = ");
    query.bind(id);
    query.push(
        " AND erased_at IS NULL AND NOT joined_by_invite AND NOT is_organiser \
         AND contact_email IS NOT NULL",
    );
    if let Some(need) = need {
        query.push(" AND need_id = ").bind(need);
    }
    query.push(
        " UNION SELECT o.contact_email FROM invitations v JOIN offers o ON o.id = v.offer_id \
         WHERE v.status = 'accepted' AND o.erased_at IS NULL AND o.contact_email IS NOT NULL \
         AND v.initiative_id = ",
    );
    query.bind(id);
    if let Some(need) = need {
        query.push(" AND v.need_id = ").bind(need);
    }
    Ok(db::fetch_scalars(ex, &query.sql, query.values).await?)
}

/// How many who joined initiative `id` (those of `need` when given) an
/// organiser's message cannot reach: they gave no email.
pub async fn unreachable(ex: &mut impl Executor, id: Uuid, need: Option<Uuid>) -> Result<u32> {
    let mut query = db::SqlBuilder::new("SELECT COUNT(*) FROM signups WHERE initiative_id = ");
    query.bind(id);
    query.push(
        " AND erased_at IS NULL AND NOT joined_by_invite AND NOT is_organiser \
         AND contact_email IS NULL",
    );
    if let Some(need) = need {
        query.push(" AND need_id = ").bind(need);
    }
    let count: i64 = db::fetch_scalar(ex, &query.sql, query.values).await?;
    Ok(u32::try_from(count).unwrap_or(0))
}

/// The follow link a proposer gets by email when there is no page of the
/// municipality's to point at (an idea chosen at an open meeting): Sammen's
/// own `/follow` page shows the widget's follow view. The secret stays in
/// the fragment.
pub fn follow_link(public_url: &str, municipality: &str, secret: &str) -> String {
    format!(
        "{}/follow?municipality={municipality}#sammen-follow={secret}",
        public_url.trim_end_matches('/')
    )
}

/// A new follow link for an email to the proposer: the secret is kept only
/// as a hash, so each email gets its own, working beside the first. It leads
/// to the page she proposed on, or else to Sammen's `/follow` page.
pub async fn mail_follow_link(
    ex: &mut impl Executor,
    row: &ProposalRow,
    public_url: &str,
) -> Result<String> {
    mint_follow_link(
        ex,
        row.id,
        &row.municipality,
        row.page_url.as_deref(),
        public_url,
    )
    .await
}

/// [`mail_follow_link`] for an initiative not read back yet (the one just
/// proposed).
pub async fn mint_follow_link(
    ex: &mut impl Executor,
    id: Uuid,
    municipality: &str,
    page_url: Option<&str>,
    public_url: &str,
) -> Result<String> {
    let secret = token::generate();
    db::execute_later(
        ex,
        "INSERT INTO follow_links (token_hash, initiative_id, created_at) VALUES ($1, $2, $3)",
        args![token::hash(&secret), id, Utc::now()],
    )
    .await?;
    Ok(match page_url {
        Some(page) => format!("{page}#sammen-follow={secret}"),
        None => follow_link(public_url, municipality, &secret),
    })
}

/// The page a proposal was made on, kept only when it is on one of the
/// municipality's allowed sites or Sammen's own (the demo), without its
/// fragment; anything else is dropped, never refused: the citizen did not
/// type it.
pub async fn page_on_allowed_site(
    public: &PublicAnswers,
    db: &Db,
    (municipality, version): (&str, i64),
    public_url: &str,
    raw: Option<&str>,
) -> Result<Option<String>> {
    let Some(mut page) = raw
        .filter(|r| r.len() <= 2000)
        .and_then(|r| url::Url::parse(r).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
    else {
        return Ok(None);
    };
    page.set_fragment(None);
    let origin = page.origin().ascii_serialization();
    let own = url::Url::parse(public_url)
        .map(|u| u.origin().ascii_serialization() == origin)
        .unwrap_or(false);
    let allowed = own
        || public
            .site_allowed(db, municipality, version, &origin)
            .await?;
    Ok(allowed.then(|| page.to_string()))
}
