//! Who runs an initiative: its proposer (by the follow link) and the
//! co-organisers she adds, each with a link of their own to the organiser's
//! page. A co-organiser's link opens that page only: the proposal's own
//! follow link, which edits or erases the proposal, stays the proposer's.

use chrono::Utc;
use sammen_shared::follow::CoOrganiserView;
use sammen_shared::{ErrorCode, ReaderLang};
use uuid::Uuid;

use crate::args;
use crate::db::{self, Executor};
use crate::error::{Error, Result};
use crate::proposal::{proposal_by_id, proposal_by_token, ProposalRow};
use crate::token;
use crate::{mails, outbox, said};

/// Most co-organisers one initiative has.
pub const MAX: i64 = 5;

/// Who holds the link.
pub enum Organiser {
    Proposer,
    CoOrganiser { name: String },
}

impl Organiser {
    /// As the audit log names them.
    pub fn actor(&self) -> &'static str {
        match self {
            Organiser::Proposer => "organiser (follow link)",
            Organiser::CoOrganiser { .. } => "co-organiser (link)",
        }
    }

    /// The name to sign messages with.
    pub fn name(&self, row: &ProposalRow) -> String {
        match self {
            Organiser::Proposer => row.contact_name.clone().unwrap_or_default(),
            Organiser::CoOrganiser { name } => name.clone(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    initiative_id: Uuid,
    name: String,
    municipality: String,
}

/// The initiative behind an organiser's link, the proposer's follow link or
/// a co-organiser's, and who holds it; 404 otherwise.
pub async fn by_token(ex: &mut impl Executor, secret: &str) -> Result<(ProposalRow, Organiser)> {
    match proposal_by_token(ex, secret).await {
        Ok(row) => return Ok((row, Organiser::Proposer)),
        Err(error) if error.code() == Some(ErrorCode::NotFound) => {}
        Err(other) => return Err(other),
    }
    let gone = || Error::refused(ErrorCode::NotFound, &said::FOLLOW_LINK_GONE);
    let link: LinkRow = db::fetch_optional(
        ex,
        "SELECT c.initiative_id, c.name, i.municipality FROM co_organisers c \
         JOIN initiatives i ON i.id = c.initiative_id WHERE c.token_hash = $1",
        args![token::hash(secret)],
    )
    .await?
    .ok_or_else(gone)?;
    let row = proposal_by_id(ex, &link.municipality, link.initiative_id)
        .await?
        .ok_or_else(gone)?;
    Ok((row, Organiser::CoOrganiser { name: link.name }))
}

#[derive(sqlx::FromRow)]
struct ViewRow {
    id: Uuid,
    name: String,
    email: String,
}

/// The initiative's co-organisers, oldest first.
pub async fn of_initiative(ex: &mut impl Executor, id: Uuid) -> Result<Vec<CoOrganiserView>> {
    let rows: Vec<ViewRow> = db::fetch_all(
        ex,
        "SELECT id, name, email FROM co_organisers WHERE initiative_id = $1 \
         ORDER BY created_at, id",
        args![id],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CoOrganiserView {
            id: r.id,
            name: r.name,
            email: Some(r.email),
        })
        .collect())
}

/// Adds a co-organiser and mails them their own link; refuses (409) beyond
/// [`MAX`] or an email already among them. `ex` is the caller's
/// transaction, whose first statement this is.
pub async fn add(
    ex: &mut impl Executor,
    public_url: &str,
    row: &ProposalRow,
    name: &str,
    email: &str,
    lang: ReaderLang,
) -> Result<CoOrganiserView> {
    if row.contact_email.as_deref() == Some(email) {
        return Err(Error::field("email", said::OWN_EMAIL.say(lang, &[])));
    }
    let id = Uuid::new_v4();
    let secret = token::generate();
    // Inserted only while there is room and the email is new: one statement,
    // so two adds at once cannot pass the limit together.
    let added = db::execute(
        ex,
        "INSERT INTO co_organisers (id, initiative_id, name, email, token_hash, created_at) \
         SELECT $1, $2, $3, $4, $5, $6 WHERE (SELECT COUNT(*) FROM co_organisers \
         WHERE initiative_id = $2) < $7 AND NOT EXISTS (SELECT 1 FROM co_organisers \
         WHERE initiative_id = $2 AND email = $4)",
        args![
            id,
            row.id,
            name,
            email,
            token::hash(&secret),
            Utc::now(),
            MAX
        ],
    )
    .await?;
    if added == 0 {
        return Err(Error::refused_with(
            ErrorCode::Conflict,
            &said::AT_MOST_CO_ORGANISERS,
            &[("max", &MAX)],
        ));
    }
    let link = format!("{}/organiser#{secret}", public_url.trim_end_matches('/'));
    let (subject, body) = mails::to_co_organiser(
        lang,
        name,
        row.contact_name.as_deref().unwrap_or_default(),
        &row.title,
        &link,
    );
    outbox::enqueue(
        ex,
        outbox::Email {
            municipality: &row.municipality,
            recipient: email,
            subject,
            body,
            kind: "organiser_link",
            subject_id: Some(row.id),
        },
    )
    .await?;
    Ok(CoOrganiserView {
        id,
        name: name.to_string(),
        email: Some(email.to_string()),
    })
}

/// Removes a co-organiser (their link stops); whether there was one.
pub async fn remove(ex: &mut impl Executor, initiative: Uuid, id: Uuid) -> Result<bool> {
    Ok(db::execute(
        ex,
        "DELETE FROM co_organisers WHERE initiative_id = $1 AND id = $2",
        args![initiative, id],
    )
    .await?
        > 0)
}
