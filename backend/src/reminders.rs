//! Reminders: the day before a group's date, every member with an email gets
//! one, in their language, through the outbox; for a date of a rota (a
//! series, `rota.rs`) only whoever takes it, so a winter of mornings is not
//! a mail to everyone every day. A date is reminded once: the
//! claim (`reminded_at`) and the emails are one transaction, so two backends
//! on one database never both send.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use sammen_shared::ReaderLang;
use uuid::Uuid;

use crate::args;
use crate::db::{self, Db};
use crate::error::Result;
use crate::stored::family_languages;
use crate::{mails, outbox};

/// How far ahead a date is reminded: "the day before".
pub const AHEAD: Duration = Duration::hours(30);
/// How often the backend looks for due reminders.
const EVERY: StdDuration = StdDuration::from_secs(600);

#[derive(sqlx::FromRow)]
struct DueDate {
    id: Uuid,
    starts_at: DateTime<Utc>,
    group_id: Uuid,
    group_name: String,
    municipality: String,
    host: Option<Uuid>,
    series_id: Option<Uuid>,
}

#[derive(sqlx::FromRow)]
struct Recipient {
    signup_id: Uuid,
    contact_name: Option<String>,
    contact_email: Option<String>,
    family: Option<String>,
    lang: Option<String>,
}

/// Queues the reminders due at `now`; returns how many emails were queued.
/// `now` is a parameter so tests can move the clock.
pub async fn send_due(db: &Db, now: DateTime<Utc>) -> Result<usize> {
    let due: Vec<DueDate> = {
        let mut conn = db.acquire().await?;
        db::fetch_all(
            &mut conn,
            "SELECT d.id, d.starts_at, d.group_id, g.name AS group_name, i.municipality, \
             d.host, d.series_id \
             FROM group_dates d JOIN initiative_groups g ON g.id = d.group_id \
             JOIN initiatives i ON i.id = g.initiative_id \
             WHERE d.reminded_at IS NULL AND d.status IN ('proposed', 'accepted') \
             AND d.starts_at > $1 AND d.starts_at <= $2 ORDER BY d.starts_at LIMIT 500",
            args![now, now + AHEAD],
        )
        .await?
    };
    let mut queued = 0;
    for date in due {
        let mut tx = db.begin().await?;
        let claimed = db::execute(
            &mut tx,
            "UPDATE group_dates SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL",
            args![now, date.id],
        )
        .await?;
        if claimed == 0 {
            continue;
        }
        let recipients: Vec<Recipient> = db::fetch_all(
            &mut tx,
            "SELECT m.signup_id, s.contact_name, s.contact_email, s.family, s.lang FROM group_members m \
             JOIN signups s ON s.id = m.signup_id WHERE m.group_id = $1",
            args![date.group_id],
        )
        .await?;
        let rota = date.series_id.is_some();
        for recipient in recipients {
            if rota && date.host != Some(recipient.signup_id) {
                continue;
            }
            let Some(email) = recipient.contact_email.as_deref() else {
                continue;
            };
            let lang = mails::reader_lang(
                recipient.lang.as_deref(),
                &family_languages(recipient.family.as_deref()),
            );
            let (subject, body) = reminder(
                lang,
                recipient.contact_name.as_deref().unwrap_or(""),
                &date.group_name,
                date.starts_at,
                rota,
            );
            outbox::enqueue(
                &mut tx,
                outbox::Email {
                    municipality: &date.municipality,
                    recipient: email,
                    subject,
                    body,
                    kind: "group_reminder",
                    subject_id: Some(date.id),
                },
            )
            .await?;
            queued += 1;
        }
        tx.commit().await?;
    }
    Ok(queued)
}

/// The reminder's words; `your_turn` for the one who takes a rota's date.
fn reminder(
    lang: ReaderLang,
    name: &str,
    group: &str,
    at: DateTime<Utc>,
    your_turn: bool,
) -> (String, String) {
    // Times in emails are Danish local time; the API speaks UTC.
    let local = at.with_timezone(&chrono_tz::Europe::Copenhagen);
    let when = local.format("%d.%m.%Y %H:%M").to_string();
    mails::reminder(lang, name, group, &when, your_turn)
}

/// Sends due reminders until the process stops.
pub async fn run_worker(db: Db) {
    loop {
        if let Err(error) = send_due(&db, Utc::now()).await {
            tracing::warn!(%error, "reminders failed; trying again later");
        }
        tokio::time::sleep(EVERY).await;
    }
}
