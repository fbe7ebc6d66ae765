//! The retention job: every record with personal data has an end of life.
//! Once the municipality's retention period (`municipalities.retention_months`,
//! default 12) has passed, it erases the personal data of
//! - initiatives that ended (declined, archived, completed) or were never
//!   moderated (submitted, changes requested), counted from their last change,
//!   with their signups;
//! - initiatives still published, after twice the period without a change or
//!   a new signup (a walking group may run for years; a forgotten one not);
//! - offers, from when they were made;
//! - the members of groups that have done nothing (since hand-over).
//!
//! Sent mail keeps its address and text for [`SENT_MAIL_KEPT_DAYS`], the
//! audit log a coordinator's address for [`AUDIT_ADDRESS_KEPT_DAYS`], and an
//! idea at an open meeting its proposer's contact until the meeting closes
//! (then it moves to the chosen initiative or goes), at most
//! [`MEETING_CONTACT_KEPT_DAYS`].
//!
//! Every backend runs [`run_worker`]; [`sweep`] takes the time as an
//! argument, so tests move the clock by calling it with a later `now`. Erasing
//! is conditional on not being erased yet, so two backends sweeping at once
//! do the work once.

use std::time::Duration;

use chrono::{DateTime, Months, Utc};
use sammen_shared::privacy::RecordKind;
use uuid::Uuid;

use crate::args;
use crate::audit;
use crate::db::{self, Db};
use crate::error::Result;
use crate::privacy::{self, Record, Signups};

/// What one sweep erased.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub initiatives: usize,
    pub signups: usize,
    pub offers: usize,
    /// Sent (or failed) emails whose address, subject and text were emptied.
    pub mails: usize,
    /// Audit entries whose coordinator address was forgotten.
    pub audit_addresses: usize,
    /// Ideas at meetings never closed whose proposer's contact was emptied.
    pub meeting_contacts: usize,
}

/// How long an idea at a meeting that is never closed keeps its proposer's
/// contact: a meeting lasts an evening; a forgotten one must not keep it.
pub const MEETING_CONTACT_KEPT_DAYS: i64 = 14;

/// How long the audit log keeps a coordinator's client address: long enough
/// to look into a suspicious sign-in, no longer.
pub const AUDIT_ADDRESS_KEPT_DAYS: i64 = 90;

/// How long the outbox keeps a sent email's address and text: long enough
/// to answer "did the mail go out, and to whom?", no longer.
pub const SENT_MAIL_KEPT_DAYS: i64 = 30;

#[derive(sqlx::FromRow)]
struct Tenant {
    slug: String,
    retention_months: i64,
}

/// Erases what is past each municipality's retention period at `now`.
pub async fn sweep(db: &Db, now: DateTime<Utc>) -> Result<Swept> {
    let tenants: Vec<Tenant> = {
        let mut conn = db.acquire().await?;
        db::fetch_all(
            &mut conn,
            "SELECT slug, retention_months FROM municipalities ORDER BY slug",
            vec![],
        )
        .await?
    };
    let mut swept = Swept {
        mails: empty_sent_mail(db, now).await?,
        audit_addresses: forget_audit_addresses(db, now).await?,
        meeting_contacts: forget_meeting_contacts(db, now).await?,
        ..Swept::default()
    };
    for tenant in tenants {
        let months = Months::new(tenant.retention_months.clamp(1, 1200) as u32);
        let Some(cutoff) = now.checked_sub_months(months) else {
            continue;
        };
        // A published initiative may run for years: it is left alone until
        // twice the period has passed without a change or a new signup.
        let Some(quiet) = cutoff.checked_sub_months(months) else {
            continue;
        };
        let (initiatives, offers, members): (Vec<Uuid>, Vec<Uuid>, Vec<Uuid>) = {
            let mut conn = db.acquire().await?;
            // Ended (declined, archived, completed) or never moderated
            // (submitted, changes requested) and untouched for the period; or
            // published and quiet for twice the period.
            let initiatives = db::fetch_scalars(
                &mut conn,
                "SELECT i.id FROM initiatives i WHERE i.municipality = $1 AND i.erased_at IS NULL \
                 AND ((i.status IN ('declined', 'archived', 'completed', 'submitted', \
                 'changes_requested') AND i.updated_at < $2) \
                 OR (i.status = 'published' AND i.updated_at < $3 AND NOT EXISTS \
                 (SELECT 1 FROM signups s WHERE s.initiative_id = i.id AND s.created_at >= $3)))",
                args![&tenant.slug, cutoff, quiet],
            )
            .await?;
            let offers = db::fetch_scalars(
                &mut conn,
                "SELECT id FROM offers WHERE municipality = $1 AND created_at < $2 \
                 AND erased_at IS NULL",
                args![&tenant.slug, cutoff],
            )
            .await?;
            let members = db::fetch_scalars(
                &mut conn,
                "SELECT m.signup_id FROM group_members m \
                 JOIN initiative_groups g ON g.id = m.group_id \
                 JOIN initiatives i ON i.id = g.initiative_id \
                 JOIN signups s ON s.id = m.signup_id \
                 WHERE i.municipality = $1 AND g.handed_over_at IS NOT NULL \
                 AND COALESCE(g.last_activity_at, g.handed_over_at) < $2 AND s.erased_at IS NULL",
                args![&tenant.slug, cutoff],
            )
            .await?;
            (initiatives, offers, members)
        };
        let due = initiatives
            .into_iter()
            .map(|id| (RecordKind::Proposal, id))
            .chain(offers.into_iter().map(|id| (RecordKind::Offer, id)))
            .chain(members.into_iter().map(|id| (RecordKind::Signup, id)));
        for (kind, id) in due {
            let record = Record {
                kind,
                id,
                municipality: tenant.slug.clone(),
            };
            let mut tx = db.begin().await?;
            let erased = privacy::erase(&mut tx, &record, Signups::Erase, now).await?;
            for done in &erased {
                match done.kind {
                    RecordKind::Proposal => swept.initiatives += 1,
                    RecordKind::Signup => swept.signups += 1,
                    RecordKind::Offer => swept.offers += 1,
                    // Not swept here: see `forget_meeting_contacts`.
                    RecordKind::MeetingProposal => {}
                }
            }
            if !erased.is_empty() {
                audit::record(
                    &mut tx,
                    audit::Entry {
                        after: Some(serde_json::json!({ "erased": erased.len() })),
                        ..audit::Entry::unsigned(
                            &tenant.slug,
                            "retention job",
                            "erase_personal_data",
                            kind.as_str(),
                            id,
                        )
                    },
                )
                .await?;
            }
            tx.commit().await?;
        }
    }
    Ok(swept)
}

/// Empties the address, subject and text of mail sent (or given up on)
/// more than [`SENT_MAIL_KEPT_DAYS`] before `now`; the row stays as a count
/// of what kind of mail went out when.
async fn empty_sent_mail(db: &Db, now: DateTime<Utc>) -> Result<usize> {
    let cutoff = now - chrono::Duration::days(SENT_MAIL_KEPT_DAYS);
    let mut conn = db.acquire().await?;
    let emptied = db::execute(
        &mut conn,
        "UPDATE outbox SET recipient = '', subject = '', body = '' \
         WHERE (sent_at < $1 OR failed_at < $1) AND recipient <> ''",
        args![cutoff],
    )
    .await?;
    Ok(emptied as usize)
}

/// Forgets the client addresses of audit entries older than
/// [`AUDIT_ADDRESS_KEPT_DAYS`]; the entries stay.
async fn forget_audit_addresses(db: &Db, now: DateTime<Utc>) -> Result<usize> {
    let cutoff = now - chrono::Duration::days(AUDIT_ADDRESS_KEPT_DAYS);
    let mut conn = db.acquire().await?;
    let forgotten = db::execute(
        &mut conn,
        "UPDATE audit_log SET client_address = NULL \
         WHERE client_address IS NOT NULL AND created_at < $1",
        args![cutoff],
    )
    .await?;
    Ok(forgotten as usize)
}

async fn forget_meeting_contacts(db: &Db, now: DateTime<Utc>) -> Result<usize> {
    let cutoff = now - chrono::Duration::days(MEETING_CONTACT_KEPT_DAYS);
    let mut conn = db.acquire().await?;
    let forgotten = db::execute(
        &mut conn,
        "UPDATE meeting_proposals SET contact_name = NULL, contact_email = NULL, \
         contact_phone = NULL WHERE created_at < $1 AND (contact_name IS NOT NULL \
         OR contact_email IS NOT NULL OR contact_phone IS NOT NULL)",
        args![cutoff],
    )
    .await?;
    Ok(forgotten as usize)
}

/// Sweeps every `interval`, from the start.
pub async fn run_worker(db: Db, interval: Duration) {
    let mut every = tokio::time::interval(interval);
    loop {
        every.tick().await;
        match sweep(&db, Utc::now()).await {
            Ok(swept) if swept == Swept::default() => {}
            Ok(swept) => tracing::info!(?swept, "retention: erased personal data past its time"),
            Err(error) => tracing::warn!(%error, "retention sweep failed; retrying later"),
        }
    }
}
