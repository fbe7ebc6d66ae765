//! The personal data Sammen holds about a citizen, record by record: finding
//! a record by its private link, exporting everything held with it, erasing
//! the personal part, and turning the link over. Used by the citizen's
//! private link (`api/privacy.rs`), by admins on request (`admin/privacy.rs`)
//! and by the retention job (`retention.rs`).
//!
//! Erasing keeps the row as an anonymous count (that someone proposed,
//! joined or offered, when, where in the municipality) and removes names,
//! emails, phones, messages, family details, free text and the link itself.
//! A published or completed initiative stays public without its contact;
//! any other initiative loses its text too. An idea at an open meeting
//! (found by its proposer's email only: the phone's seat is no private link)
//! stays on the board, which never showed who proposed it, without its
//! contact. The outbox forgets the address with the record: mail already
//! sent to it goes, and mail not yet sent goes too once no other record of
//! the municipality has that address.

use crate::said;
use chrono::{DateTime, Utc};
use sammen_shared::admin::SignupView;
use sammen_shared::person::{normalise_email, ContactView};
use sammen_shared::privacy::{
    ErasedRecord, MeetingProposalExport, RecordExport, RecordKind, SignupExport,
};
use sammen_shared::signup::Family;
use sammen_shared::ErrorCode;
use uuid::Uuid;

use crate::args;
use crate::db::{self, Db, Executor};
use crate::error::{Error, Result};
use crate::offer::{OfferRow, OFFER_COLUMNS};
use crate::proposal::{proposal_by_id, view_of};
use crate::stored::timestamp;
use crate::token;

/// A record a private link or an admin request points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub kind: RecordKind,
    pub id: Uuid,
    pub municipality: String,
}

#[derive(sqlx::FromRow)]
struct Found {
    id: Uuid,
    municipality: String,
}

/// The record whose private link is `token` (a proposal's follow token, a
/// signup's or an offer's private token, or a group member's link, which is
/// their signup's private link too), or `None`. The lookup is by the
/// token's hash, so its time does not depend on how much of a guess is right.
pub async fn by_token(ex: &mut impl Executor, token: &str) -> Result<Option<Record>> {
    let hash = token::hash(token);
    let queries = [
        (
            RecordKind::Proposal,
            "SELECT id, municipality FROM initiatives WHERE (follow_token_hash = $1 \
             OR id IN (SELECT initiative_id FROM follow_links WHERE token_hash = $1)) \
             AND erased_at IS NULL",
        ),
        (
            RecordKind::Signup,
            "SELECT s.id, i.municipality FROM signups s JOIN initiatives i ON i.id = s.initiative_id \
             WHERE s.private_token_hash = $1 AND s.erased_at IS NULL",
        ),
        (
            RecordKind::Offer,
            "SELECT id, municipality FROM offers WHERE private_token_hash = $1 AND erased_at IS NULL",
        ),
        (
            RecordKind::Signup,
            "SELECT s.id, i.municipality FROM group_members m \
             JOIN signups s ON s.id = m.signup_id JOIN initiatives i ON i.id = s.initiative_id \
             WHERE m.token_hash = $1 AND s.erased_at IS NULL",
        ),
    ];
    for (kind, sql) in queries {
        if let Some(found) = db::fetch_optional::<Found>(ex, sql, args![&hash]).await? {
            return Ok(Some(Record {
                kind,
                id: found.id,
                municipality: found.municipality,
            }));
        }
    }
    Ok(None)
}

/// The record `kind`/`id` of `municipality` if it exists and is not erased.
pub async fn by_id(
    ex: &mut impl Executor,
    municipality: &str,
    kind: RecordKind,
    id: Uuid,
) -> Result<Option<Record>> {
    let sql = match kind {
        RecordKind::Proposal => {
            "SELECT id, municipality FROM initiatives \
             WHERE id = $1 AND municipality = $2 AND erased_at IS NULL"
        }
        RecordKind::Signup => {
            "SELECT s.id, i.municipality FROM signups s JOIN initiatives i ON i.id = s.initiative_id \
             WHERE s.id = $1 AND i.municipality = $2 AND s.erased_at IS NULL"
        }
        RecordKind::Offer => {
            "SELECT id, municipality FROM offers \
             WHERE id = $1 AND municipality = $2 AND erased_at IS NULL"
        }
        RecordKind::MeetingProposal => {
            "SELECT p.id, m.municipality FROM meeting_proposals p \
             JOIN meetings m ON m.id = p.meeting_id \
             WHERE p.id = $1 AND m.municipality = $2 AND (p.contact_name IS NOT NULL \
             OR p.contact_email IS NOT NULL OR p.contact_phone IS NOT NULL)"
        }
    };
    Ok(
        db::fetch_optional::<Found>(ex, sql, args![id, municipality])
            .await?
            .map(|found| Record {
                kind,
                id: found.id,
                municipality: found.municipality,
            }),
    )
}

/// Every record of `municipality` with the contact email `email` (emails are
/// stored normalised, `person::normalise_email`), not yet erased.
pub async fn by_email(
    ex: &mut impl Executor,
    municipality: &str,
    email: &str,
) -> Result<Vec<Record>> {
    let email = normalise_email(email);
    let mut records = Vec::new();
    let queries = [
        (
            RecordKind::Proposal,
            "SELECT id, municipality FROM initiatives WHERE municipality = $1 \
             AND contact_email = $2 AND erased_at IS NULL ORDER BY created_at, id",
        ),
        (
            RecordKind::Signup,
            "SELECT s.id, i.municipality FROM signups s JOIN initiatives i ON i.id = s.initiative_id \
             WHERE i.municipality = $1 AND s.contact_email = $2 AND s.erased_at IS NULL \
             ORDER BY s.created_at, s.id",
        ),
        (
            RecordKind::Offer,
            "SELECT id, municipality FROM offers WHERE municipality = $1 \
             AND contact_email = $2 AND erased_at IS NULL ORDER BY created_at, id",
        ),
        // Emptied when the meeting closes or is forgotten (`retention.rs`):
        // an email still there is one an open meeting holds.
        (
            RecordKind::MeetingProposal,
            "SELECT p.id, m.municipality FROM meeting_proposals p \
             JOIN meetings m ON m.id = p.meeting_id \
             WHERE m.municipality = $1 AND p.contact_email = $2 ORDER BY p.created_at, p.id",
        ),
    ];
    for (kind, sql) in queries {
        let found: Vec<Found> = db::fetch_all(ex, sql, args![municipality, &email]).await?;
        records.extend(found.into_iter().map(|f| Record {
            kind,
            id: f.id,
            municipality: f.municipality,
        }));
    }
    Ok(records)
}

#[derive(sqlx::FromRow)]
struct SignupRow {
    id: Uuid,
    initiative_id: Uuid,
    initiative_title: String,
    need_id: Option<Uuid>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    message: Option<String>,
    family: Option<String>,
    consent_version: Option<String>,
    created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct MeetingProposalRow {
    meeting_id: Uuid,
    meeting_title: String,
    title: String,
    summary: Option<String>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    consent_version: Option<String>,
    lang: Option<String>,
    created_at: DateTime<Utc>,
}

/// Everything held with one record: the record itself with its contact, and
/// for a proposal its dialogue.
pub async fn export(ex: &mut impl Executor, record: &Record) -> Result<RecordExport> {
    let gone = || Error::refused(ErrorCode::NotFound, &said::RECORD_GONE);
    let mut export = RecordExport {
        kind: record.kind,
        id: record.id,
        municipality: record.municipality.clone(),
        consent_version: None,
        proposal: None,
        messages: Vec::new(),
        signup: None,
        offer: None,
        meeting_proposal: None,
    };
    match record.kind {
        RecordKind::Proposal => {
            let row = proposal_by_id(ex, &record.municipality, record.id)
                .await?
                .ok_or_else(gone)?;
            let (proposal, messages) = view_of(ex, row).await?;
            export.consent_version = db::fetch_scalar(
                ex,
                "SELECT consent_version FROM initiatives WHERE id = $1",
                args![record.id],
            )
            .await?;
            export.proposal = Some(proposal);
            export.messages = messages;
        }
        RecordKind::Signup => {
            let row: SignupRow = db::fetch_optional(
                ex,
                "SELECT s.id, s.initiative_id, i.title AS initiative_title, s.need_id, \
                 s.contact_name, s.contact_email, s.contact_phone, s.message, s.family, \
                 s.consent_version, s.created_at FROM signups s \
                 JOIN initiatives i ON i.id = s.initiative_id WHERE s.id = $1",
                args![record.id],
            )
            .await?
            .ok_or_else(gone)?;
            let family = row
                .family
                .as_deref()
                .map(serde_json::from_str::<Family>)
                .transpose()
                .map_err(|e| Error::Internal(format!("stored family unreadable: {e}")))?;
            export.consent_version = row.consent_version;
            export.signup = Some(SignupExport {
                initiative_id: row.initiative_id,
                initiative_title: row.initiative_title,
                signup: SignupView {
                    id: row.id,
                    need_id: row.need_id,
                    contact: ContactView {
                        name: row.contact_name.unwrap_or_default(),
                        email: row.contact_email,
                        phone: row.contact_phone,
                    },
                    message: row.message,
                    family,
                    created_at: timestamp(row.created_at),
                },
            });
        }
        RecordKind::Offer => {
            let row: OfferRow = db::fetch_optional(
                ex,
                &format!("SELECT {OFFER_COLUMNS} FROM offers WHERE id = $1"),
                args![record.id],
            )
            .await?
            .ok_or_else(gone)?;
            export.consent_version = row.consent_version.clone();
            export.offer = Some(row.into_view()?);
        }
        RecordKind::MeetingProposal => {
            let row: MeetingProposalRow = db::fetch_optional(
                ex,
                "SELECT p.meeting_id, m.title AS meeting_title, p.title, p.summary, \
                 p.contact_name, p.contact_email, p.contact_phone, p.consent_version, p.lang, \
                 p.created_at FROM meeting_proposals p JOIN meetings m ON m.id = p.meeting_id \
                 WHERE p.id = $1",
                args![record.id],
            )
            .await?
            .ok_or_else(gone)?;
            export.consent_version = row.consent_version;
            export.meeting_proposal = Some(MeetingProposalExport {
                meeting_id: row.meeting_id,
                meeting_title: row.meeting_title,
                title: row.title,
                summary: row.summary,
                contact: ContactView {
                    name: row.contact_name.unwrap_or_default(),
                    email: row.contact_email,
                    phone: row.contact_phone,
                },
                lang: row.lang,
                created_at: timestamp(row.created_at),
            });
        }
    }
    Ok(export)
}

/// What erasing an initiative takes with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signups {
    /// Other people's signups stay (the proposer erases their own data).
    Keep,
    /// Signups are erased too (the initiative ended and its time is up).
    Erase,
}

/// Removes the personal data of one record; returns what was erased (the
/// record, and with [`Signups::Erase`] the signups of an initiative).
/// Idempotent: an erased record is left as it is.
pub async fn erase(
    ex: &mut impl Executor,
    record: &Record,
    signups: Signups,
    now: DateTime<Utc>,
) -> Result<Vec<ErasedRecord>> {
    let (table, live) = stored(record.kind);
    // The first statement writes (see `Db::begin`): the outbox's copies of
    // mail already sent to the addresses being erased go.
    let signup_addresses = if record.kind == RecordKind::Proposal && signups == Signups::Erase {
        " UNION SELECT contact_email FROM signups WHERE initiative_id = $2 \
         AND contact_email IS NOT NULL AND erased_at IS NULL"
    } else {
        ""
    };
    db::execute(
        ex,
        &format!(
            "DELETE FROM outbox WHERE municipality = $1 AND sent_at IS NOT NULL \
             AND recipient IN (SELECT contact_email FROM {table} \
             WHERE id = $2 AND contact_email IS NOT NULL AND {live}{signup_addresses})"
        ),
        args![&record.municipality, record.id],
    )
    .await?;
    let mut erased = Vec::new();
    let mut addresses: Vec<String> = live_email(ex, record.kind, record.id)
        .await?
        .into_iter()
        .collect();
    match record.kind {
        RecordKind::Proposal => {
            // The follow token's column is NOT NULL UNIQUE: a hash nobody
            // holds the token of closes the link.
            let changed = db::execute(
                ex,
                "UPDATE initiatives SET contact_name = NULL, contact_email = NULL, \
                 contact_phone = NULL, follow_token_hash = $1, erased_at = $2, \
                 version = version + 1, updated_at = $2 WHERE id = $3 AND erased_at IS NULL",
                args![token::hash(&token::generate()), now, record.id],
            )
            .await?;
            if changed == 0 {
                return Ok(erased);
            }
            // Text of what never became public is the proposer's alone.
            db::execute(
                ex,
                "UPDATE initiatives SET title = '', summary = '', audience = NULL, \
                 place_name = '', lat = NULL, lon = NULL, time_text = NULL, search_text = '' \
                 WHERE id = $1 AND status NOT IN ('published', 'completed')",
                args![record.id],
            )
            .await?;
            db::execute(
                ex,
                "DELETE FROM needs WHERE initiative_id = $1 AND EXISTS (SELECT 1 FROM initiatives \
                 WHERE id = $1 AND status NOT IN ('published', 'completed'))",
                args![record.id],
            )
            .await?;
            db::execute(
                ex,
                "DELETE FROM messages WHERE initiative_id = $1",
                args![record.id],
            )
            .await?;
            // Co-organisers were hers to add: their names, emails and links
            // go with her contact, as do the follow links mailed to her and
            // the page she proposed on.
            for sql in [
                "DELETE FROM co_organisers WHERE initiative_id = $1",
                "DELETE FROM follow_links WHERE initiative_id = $1",
                "UPDATE initiatives SET page_url = NULL WHERE id = $1",
            ] {
                db::execute(ex, sql, args![record.id]).await?;
            }
            erased.push(ErasedRecord {
                kind: RecordKind::Proposal,
                id: record.id,
            });
            // The organiser's own memberships of groups she formed hold her
            // contact too: they go with the proposal, whoever else stays.
            let whose = match signups {
                Signups::Erase => "",
                Signups::Keep => " AND is_organiser",
            };
            let joined: Vec<Joined> = db::fetch_all(
                ex,
                &format!(
                    "SELECT id, contact_email FROM signups WHERE initiative_id = $1 \
                     AND erased_at IS NULL{whose}"
                ),
                args![record.id],
            )
            .await?;
            for Joined { id, contact_email } in joined {
                addresses.extend(contact_email);
                erase_signup(ex, id, now).await?;
                erased.push(ErasedRecord {
                    kind: RecordKind::Signup,
                    id,
                });
            }
        }
        RecordKind::Signup => {
            if erase_signup(ex, record.id, now).await? {
                erased.push(ErasedRecord {
                    kind: RecordKind::Signup,
                    id: record.id,
                });
            }
        }
        RecordKind::Offer => {
            let changed = db::execute(
                ex,
                "UPDATE offers SET contact_name = NULL, contact_email = NULL, contact_phone = NULL, \
                 note = NULL, skills = '[]', tools = '[]', slots = '[]', languages = '[]', \
                 area_name = '', lat = NULL, lon = NULL, private_token_hash = NULL, erased_at = $1 \
                 WHERE id = $2 AND erased_at IS NULL",
                args![now, record.id],
            )
            .await?;
            if changed > 0 {
                erased.push(ErasedRecord {
                    kind: RecordKind::Offer,
                    id: record.id,
                });
            }
        }
        RecordKind::MeetingProposal => {
            // The idea stays on the board, which never showed who proposed
            // it; chosen later, it becomes an initiative without a proposer,
            // like an idea left without a contact.
            let changed = db::execute(
                ex,
                &format!(
                    "UPDATE meeting_proposals SET contact_name = NULL, contact_email = NULL, \
                     contact_phone = NULL WHERE id = $1 AND {live}"
                ),
                args![record.id],
            )
            .await?;
            if changed > 0 {
                erased.push(ErasedRecord {
                    kind: RecordKind::MeetingProposal,
                    id: record.id,
                });
            }
        }
    }
    addresses.sort_unstable();
    addresses.dedup();
    for address in addresses {
        forget_unsent_mail(ex, &record.municipality, &address).await?;
    }
    Ok(erased)
}

#[derive(sqlx::FromRow)]
struct Joined {
    id: Uuid,
    contact_email: Option<String>,
}

/// The table a kind of record is stored in, and the condition its row still
/// holds personal data under.
fn stored(kind: RecordKind) -> (&'static str, &'static str) {
    match kind {
        RecordKind::Proposal => ("initiatives", "erased_at IS NULL"),
        RecordKind::Signup => ("signups", "erased_at IS NULL"),
        RecordKind::Offer => ("offers", "erased_at IS NULL"),
        // An idea keeps no more of its proposer than the contact, which
        // closing the meeting or the retention job empties.
        RecordKind::MeetingProposal => (
            "meeting_proposals",
            "(contact_name IS NOT NULL OR contact_email IS NOT NULL OR contact_phone IS NOT NULL)",
        ),
    }
}

/// The contact email of a record that is not erased yet.
async fn live_email(ex: &mut impl Executor, kind: RecordKind, id: Uuid) -> Result<Option<String>> {
    let (table, live) = stored(kind);
    let found: Vec<Option<String>> = db::fetch_scalars(
        ex,
        &format!("SELECT contact_email FROM {table} WHERE id = $1 AND {live}"),
        args![id],
    )
    .await?;
    Ok(found.into_iter().flatten().next())
}

/// Drops mail still waiting for `address`, unless a record of the
/// municipality that keeps the address may be what the mail is about; and
/// mail the outbox worker sent while this erasure ran (on PostgreSQL each
/// statement sees what committed before it, so the first statement may have
/// found that mail still unsent).
async fn forget_unsent_mail(
    ex: &mut impl Executor,
    municipality: &str,
    address: &str,
) -> Result<()> {
    let address = normalise_email(address);
    let kept_by_another = !by_email(ex, municipality, &address).await?.is_empty();
    // One statement, so a mail the outbox worker marks sent meanwhile is
    // caught either way (PostgreSQL re-checks the condition of a row that
    // changed under a DELETE; two statements would each miss it).
    db::execute(
        ex,
        "DELETE FROM outbox WHERE municipality = $1 AND recipient = $2 \
         AND (sent_at IS NOT NULL OR $3)",
        args![municipality, &address, !kept_by_another],
    )
    .await?;
    Ok(())
}

async fn erase_signup(ex: &mut impl Executor, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    let changed = db::execute(
        ex,
        "UPDATE signups SET contact_name = NULL, contact_email = NULL, contact_phone = NULL, \
         message = NULL, family = NULL, private_token_hash = NULL, erased_at = $1 \
         WHERE id = $2 AND erased_at IS NULL",
        args![now, id],
    )
    .await?;
    if changed > 0 {
        // The group link and calendar feed die with the data; the member
        // stays counted in the group as "Familie n".
        db::execute(
            ex,
            "UPDATE group_members SET token_hash = NULL, calendar_hash = NULL, \
             shares_contact = FALSE WHERE signup_id = $1",
            args![id],
        )
        .await?;
        db::execute(
            ex,
            "UPDATE group_check_ins SET change = NULL, share_name = FALSE WHERE signup_id = $1",
            args![id],
        )
        .await?;
    }
    Ok(changed > 0)
}

/// Gives the record a new private link and returns its token, or with
/// `rotate == false` closes the link without a new one. The old token stops
/// working either way.
pub async fn replace_link(
    ex: &mut impl Executor,
    record: &Record,
    rotate: bool,
) -> Result<Option<String>> {
    let fresh = rotate.then(token::generate);
    // A proposal's follow token column may not be empty: a closed link gets
    // the hash of a token nobody holds.
    let hash = match &fresh {
        Some(token) => Some(token::hash(token)),
        None if record.kind == RecordKind::Proposal => Some(token::hash(&token::generate())),
        None => None,
    };
    let sql = match record.kind {
        RecordKind::Proposal => "UPDATE initiatives SET follow_token_hash = $1 WHERE id = $2",
        RecordKind::Signup => "UPDATE signups SET private_token_hash = $1 WHERE id = $2",
        RecordKind::Offer => "UPDATE offers SET private_token_hash = $1 WHERE id = $2",
        // The phone's seat is no private link: there is none to replace.
        RecordKind::MeetingProposal => return Ok(None),
    };
    db::execute(ex, sql, args![hash, record.id]).await?;
    if record.kind == RecordKind::Proposal {
        // The links mailed to her go too: one link replaced is all replaced.
        db::execute(
            ex,
            "DELETE FROM follow_links WHERE initiative_id = $1",
            args![record.id],
        )
        .await?;
    }
    Ok(fresh)
}

/// Emails stored before they were normalised on the way in (SQLite's
/// `LOWER()` folds ASCII only, so matching cannot fix them in SQL): made
/// lowercase once, in Rust, and marked done in `data_fixes`. Safe to run from
/// several backends at once.
pub async fn normalise_stored_emails(db: &Db) -> Result<usize> {
    const FIX: &str = "normalise_emails";
    let mut conn = db.acquire().await?;
    let done: i64 = db::fetch_scalar(
        &mut conn,
        "SELECT COUNT(*) FROM data_fixes WHERE name = $1",
        args![FIX],
    )
    .await?;
    if done > 0 {
        return Ok(0);
    }
    #[derive(sqlx::FromRow)]
    struct Stored {
        id: Uuid,
        email: String,
    }
    let mut changed = 0;
    for (table, column) in [
        ("initiatives", "contact_email"),
        ("signups", "contact_email"),
        ("offers", "contact_email"),
        ("outbox", "recipient"),
    ] {
        let rows: Vec<Stored> = db::fetch_all(
            &mut conn,
            &format!("SELECT id, {column} AS email FROM {table} WHERE {column} IS NOT NULL"),
            vec![],
        )
        .await?;
        for row in rows {
            let normal = normalise_email(&row.email);
            if normal != row.email {
                changed += db::execute(
                    &mut conn,
                    &format!("UPDATE {table} SET {column} = $1 WHERE id = $2"),
                    args![normal, row.id],
                )
                .await? as usize;
            }
        }
    }
    db::execute(
        &mut conn,
        "INSERT INTO data_fixes (name, done_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        args![FIX, Utc::now()],
    )
    .await?;
    Ok(changed)
}
