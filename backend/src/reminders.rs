//! Reminders: the day before a group's date, every member with an email gets
//! one, in their language, through the outbox. A date is reminded once: the
//! claim (`reminded_at`) and the emails are one transaction, so two backends
//! on one database never both send.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use sammen_shared::signup::Family;
use sammen_shared::Lang;
use uuid::Uuid;

use crate::args;
use crate::db::{self, Db};
use crate::error::Result;
use crate::outbox;

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
}

#[derive(sqlx::FromRow)]
struct Recipient {
    contact_name: Option<String>,
    contact_email: Option<String>,
    family: Option<String>,
}

/// Queues the reminders due at `now`; returns how many emails were queued.
/// `now` is a parameter so tests can move the clock.
pub async fn send_due(db: &Db, now: DateTime<Utc>) -> Result<usize> {
    let due: Vec<DueDate> = {
        let mut conn = db.acquire().await?;
        db::fetch_all(
            &mut conn,
            "SELECT d.id, d.starts_at, d.group_id, g.name AS group_name, i.municipality \
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
            "SELECT s.contact_name, s.contact_email, s.family FROM group_members m \
             JOIN signups s ON s.id = m.signup_id WHERE m.group_id = $1",
            args![date.group_id],
        )
        .await?;
        for recipient in recipients {
            let Some(email) = recipient.contact_email.as_deref() else {
                continue;
            };
            let languages = recipient
                .family
                .as_deref()
                .and_then(|t| serde_json::from_str::<Family>(t).ok())
                .map(|f| f.languages)
                .unwrap_or_default();
            let lang = outbox::reading_lang(&languages);
            let (subject, body) = reminder(
                lang,
                recipient.contact_name.as_deref().unwrap_or(""),
                &date.group_name,
                date.starts_at,
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

fn reminder(lang: Lang, name: &str, group: &str, at: DateTime<Utc>) -> (String, String) {
    // Times in emails are Danish local time; the API speaks UTC.
    let local = at.with_timezone(&chrono_tz::Europe::Copenhagen);
    let when = local.format("%d.%m.%Y %H:%M");
    match lang {
        Lang::Da => (
            format!("I morgen: {group}"),
            format!("Kære {name}\n\nPåmindelse: {group} ses {when}.\n\nVenlig hilsen\nSammen"),
        ),
        Lang::En => (
            format!("Tomorrow: {group}"),
            format!("Dear {name}\n\nA reminder: {group} meets on {when}.\n\nKind regards\nSammen"),
        ),
    }
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
