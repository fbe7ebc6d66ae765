//! A volunteer's invitation to a need, beyond the coordinator's console: the
//! secret link in the invitation's email, by which the volunteer answers
//! without an account, and the answers the organiser sees on the follow link.
//! The coordinator's side (ranking, inviting, marking by hand) is
//! `admin/matching.rs`.

use crate::said;
use chrono::{DateTime, Utc};
use sammen_shared::invitation::{InvitationStatus, InvitedVolunteer, VolunteerInvitation};
use sammen_shared::status::Status;
use sammen_shared::ErrorCode;
use uuid::Uuid;

use crate::args;
use crate::db::{self, Executor};
use crate::error::{Error, Result};
use crate::stored::timestamp;
use crate::token;

/// The page a volunteer answers on; the secret travels in the fragment, so
/// it never reaches a server log or a `Referer`.
pub fn answer_link(public_url: &str, secret: &str) -> String {
    format!("{}/invitation#{secret}", public_url.trim_end_matches('/'))
}

/// An invitation found by its link.
#[derive(sqlx::FromRow)]
pub struct ByLink {
    pub id: Uuid,
    pub municipality: String,
    status: String,
    initiative_status: String,
    municipality_name: String,
    title: String,
    summary: String,
    place_name: String,
    time_text: Option<String>,
    need: String,
}

impl ByLink {
    pub fn status(&self) -> Result<InvitationStatus> {
        InvitationStatus::parse(&self.status)
            .ok_or_else(|| Error::Internal(format!("unknown invitation status '{}'", self.status)))
    }

    /// An answer can be given or changed while the initiative is public and
    /// not yet done.
    pub fn open(&self) -> bool {
        Status::parse(&self.initiative_status) == Some(Status::Published)
    }

    pub fn view(&self) -> Result<VolunteerInvitation> {
        Ok(VolunteerInvitation {
            municipality: self.municipality_name.clone(),
            initiative: self.title.clone(),
            summary: self.summary.clone(),
            place: self.place_name.clone(),
            when: self.time_text.clone(),
            need: self.need.clone(),
            status: self.status()?,
            open: self.open(),
        })
    }
}

/// The invitation behind a link, or 404 — also once the volunteer's offer
/// was erased, since the link is theirs.
pub async fn by_link(ex: &mut impl Executor, secret: &str) -> Result<ByLink> {
    db::fetch_optional(
        ex,
        "SELECT v.id, v.municipality, v.status, i.status AS initiative_status, \
         m.name AS municipality_name, i.title, i.summary, i.place_name, i.time_text, \
         n.title AS need \
         FROM invitations v \
         JOIN initiatives i ON i.id = v.initiative_id \
         JOIN needs n ON n.id = v.need_id \
         JOIN offers o ON o.id = v.offer_id \
         JOIN municipalities m ON m.slug = v.municipality \
         WHERE v.answer_token_hash = $1 AND o.erased_at IS NULL",
        args![token::hash(secret)],
    )
    .await?
    .ok_or_else(|| Error::refused(ErrorCode::NotFound, &said::INVITATION_LINK_GONE))
}

/// Records an answer (the volunteer's, or the coordinator's by hand).
pub async fn set_status(
    ex: &mut impl Executor,
    id: Uuid,
    status: InvitationStatus,
    now: DateTime<Utc>,
) -> Result<()> {
    db::execute(
        ex,
        "UPDATE invitations SET status = $1, updated_at = $2 WHERE id = $3",
        args![status.as_str(), now, id],
    )
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct InvitedRow {
    need_id: Uuid,
    contact_name: Option<String>,
    status: String,
    updated_at: DateTime<Utc>,
}

/// The invited volunteers of an initiative with their answers, for its
/// organiser: first names only (the rest of an offer is for coordinators).
pub async fn of_initiative(ex: &mut impl Executor, id: Uuid) -> Result<Vec<InvitedVolunteer>> {
    let rows: Vec<InvitedRow> = db::fetch_all(
        ex,
        "SELECT v.need_id, o.contact_name, v.status, v.updated_at \
         FROM invitations v JOIN offers o ON o.id = v.offer_id \
         WHERE v.initiative_id = $1 AND o.erased_at IS NULL \
         ORDER BY v.created_at, v.id",
        args![id],
    )
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(InvitedVolunteer {
                need_id: row.need_id,
                first_name: first_name(row.contact_name.as_deref().unwrap_or_default()),
                status: InvitationStatus::parse(&row.status).ok_or_else(|| {
                    Error::Internal(format!("unknown invitation status '{}'", row.status))
                })?,
                updated_at: timestamp(row.updated_at),
            })
        })
        .collect()
}

/// "Karen Holm" → "Karen": enough for an organiser to greet someone.
pub fn first_name(name: &str) -> String {
    name.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_names_and_links() {
        assert_eq!(first_name("  Karen  Holm "), "Karen");
        assert_eq!(first_name(""), "");
        assert_eq!(
            answer_link("https://sammen.example/", "abc"),
            "https://sammen.example/invitation#abc"
        );
    }
}
