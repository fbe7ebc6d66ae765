//! A group member's private link: made at hand-over, made again when a
//! coordinator re-issues it or the member asks for it by email. Only its hash
//! is kept, so an old link can never be sent again: making one ends the one
//! before (and the calendar feed's address, which derives from it).

use uuid::Uuid;

use crate::args;
use crate::db::{self, Executor};
use crate::error::Result;
use crate::stored::family_languages;
use crate::token::{self, calendar_secret};
use crate::{mails, outbox};

/// The fragment of a member's private link: `/group#sammen-group=<token>`.
pub const GROUP_FRAGMENT: &str = "sammen-group=";

/// A member as a link is made for them; select with [`MEMBER_COLUMNS`].
#[derive(sqlx::FromRow)]
pub struct Member {
    pub signup_id: Uuid,
    pub group_name: String,
    pub initiative_id: Uuid,
    pub initiative_title: String,
    pub municipality: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub family: Option<String>,
    /// The language they joined in (`mails::reader_lang`).
    pub lang: Option<String>,
}

/// The columns of [`Member`] and the joins they come from; add a `WHERE`.
pub const MEMBER_COLUMNS: &str = "s.id AS signup_id, g.name AS group_name, \
     i.id AS initiative_id, i.title AS initiative_title, i.municipality, s.contact_name, \
     s.contact_email, s.contact_phone, s.family, s.lang FROM initiative_groups g \
     JOIN group_members m ON m.group_id = g.id JOIN signups s ON s.id = m.signup_id \
     JOIN initiatives i ON i.id = g.initiative_id";

/// Makes `member` a new link (the old one stops working), and emails it when
/// the member gave an email. Returns the link, for a coordinator to pass on
/// to a member without one.
pub async fn issue(ex: &mut impl Executor, public_url: &str, member: &Member) -> Result<String> {
    let secret = token::generate();
    db::execute(
        ex,
        "UPDATE group_members SET token_hash = $1, calendar_hash = $2 WHERE signup_id = $3",
        args![
            token::hash(&secret),
            token::hash(&calendar_secret(&secret)),
            member.signup_id
        ],
    )
    .await?;
    let link = format!(
        "{}/group#{GROUP_FRAGMENT}{secret}",
        public_url.trim_end_matches('/')
    );
    if let Some(email) = member.contact_email.as_deref() {
        let (subject, body) = mails::to_group_member(
            mails::reader_lang(
                member.lang.as_deref(),
                &family_languages(member.family.as_deref()),
            ),
            member.contact_name.as_deref().unwrap_or_default(),
            &member.group_name,
            &member.initiative_title,
            &link,
        );
        outbox::enqueue(
            ex,
            outbox::Email {
                municipality: &member.municipality,
                recipient: email,
                subject,
                body,
                kind: "group_link",
                subject_id: Some(member.initiative_id),
            },
        )
        .await?;
    }
    Ok(link)
}
