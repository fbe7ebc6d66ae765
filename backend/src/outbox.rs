//! Email notifications through an outbox: a message is a row written in the
//! same transaction as the decision that causes it, so a crash never loses
//! one; a worker sends due rows and marks them sent.
//!
//! A row is claimed (`claimed_until`) before sending, so two backends never
//! send it at once. The file transport writes `<id>.eml`, so a retry after a
//! crash between sending and marking overwrites the same file instead of
//! adding a second; over SMTP the Message-ID is the row's id, for the same
//! reason at the receiving end.
//!
//! A mail server that is down or answers 4xx gets the message again later,
//! after a wait that doubles (`SAMMEN_MAIL_RETRY_S`, 30 s, … at most an
//! hour). A permanent refusal — a 5xx, an address no mailer can use — or
//! [`MAX_ATTEMPTS`] failures mark the message failed (`failed_at`): it is not
//! tried again, and the coordinator sees it with the initiative.

use std::path::PathBuf;
use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sammen_shared::admin::{MailState, MailView};
use uuid::Uuid;

use futures_util::StreamExt;

use crate::args;
use crate::db::{self, Db, Executor};
use crate::error::{Error, Result};

/// Where mail goes.
#[derive(Clone)]
pub enum Transport {
    /// One `.eml` file per message in this folder (the default: the demo
    /// works without a mail server).
    Files(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// The outbox's settings.
#[derive(Clone)]
pub struct Mailer {
    pub transport: Transport,
    pub from: Mailbox,
    /// How often the worker looks for due mail.
    pub interval: StdDuration,
    /// The first wait after a failed delivery; it doubles, up to an hour.
    pub retry: StdDuration,
    /// The right side of Message-IDs: the host of `SAMMEN_PUBLIC_URL`.
    pub domain: String,
}

/// After this many failed deliveries a message is given up (about a day
/// with the default waits).
pub const MAX_ATTEMPTS: i64 = 30;

/// Kinds of mail that carry a private link: their text is kept only until it
/// is sent, and their file (file transport) for [`SECRET_FILES_KEPT_HOURS`].
pub const SECRET_KINDS: [&str; 13] = [
    "group_link",
    "invitation",
    "follow_link",
    "organiser_link",
    "signup_link",
    "offer_link",
    "proposal_received",
    // A coordinator's decision or message carries the proposer's follow link.
    "publish",
    "request_changes",
    "decline",
    "complete",
    "archive",
    "message",
];
/// How long the file transport keeps a sent mail that carries a private link.
pub const SECRET_FILES_KEPT_HOURS: i64 = 24;

impl Mailer {
    /// From `SAMMEN_SMTP_URL` (e.g. `smtps://user:pass@mail.example.dk`), or
    /// files in `outbox_dir`.
    pub fn new(
        smtp_url: Option<&str>,
        from: &str,
        outbox_dir: PathBuf,
        interval: StdDuration,
    ) -> std::result::Result<Mailer, String> {
        Mailer::with_retry(
            smtp_url,
            from,
            outbox_dir,
            interval,
            StdDuration::from_secs(30),
        )
    }

    /// [`Mailer::new`], with the first wait after a failed delivery.
    pub fn with_retry(
        smtp_url: Option<&str>,
        from: &str,
        outbox_dir: PathBuf,
        interval: StdDuration,
        retry: StdDuration,
    ) -> std::result::Result<Mailer, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("SAMMEN_MAIL_FROM is not an address: {e}"))?;
        let transport = match smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("SAMMEN_SMTP_URL: {e}"))?
                    .build(),
            ),
            None => Transport::Files(outbox_dir),
        };
        Ok(Mailer {
            transport,
            from,
            interval,
            retry,
            domain: "sammen".into(),
        })
    }

    /// Message-IDs end in `domain` (the host people reach Sammen at).
    pub fn message_ids_at(mut self, public_url: &str) -> Mailer {
        let host = public_url
            .split_once("://")
            .map_or(public_url, |(_, rest)| rest)
            .split(['/', ':'])
            .next()
            .unwrap_or_default();
        if !host.is_empty() {
            self.domain = host.to_string();
        }
        self
    }
}

/// One email to queue.
pub struct Email<'a> {
    pub municipality: &'a str,
    pub recipient: &'a str,
    pub subject: String,
    pub body: String,
    pub kind: &'a str,
    pub subject_id: Option<Uuid>,
}

/// Queues an email in the caller's transaction.
pub async fn enqueue(ex: &mut impl Executor, email: Email<'_>) -> Result<()> {
    let now = Utc::now();
    // Nobody reads the row back in the write that queues it: put off.
    db::execute_later(
        ex,
        "INSERT INTO outbox (id, municipality, recipient, subject, body, kind, subject_id, \
         created_at, attempts, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $8)",
        args![
            // Ordered by time, as an initiative's id (api/proposals.rs).
            Uuid::now_v7(),
            email.municipality,
            email.recipient,
            email.subject,
            email.body,
            email.kind,
            email.subject_id,
            now,
        ],
    )
    .await?;
    Ok(())
}

/// A citizen's private link to see, download or delete what they gave:
/// `/my-data#<secret>`, a page of Sammen's own.
pub fn my_data_link(public_url: &str, secret: &str) -> String {
    format!("{}/my-data#{secret}", public_url.trim_end_matches('/'))
}

#[derive(sqlx::FromRow)]
struct Due {
    id: Uuid,
    recipient: String,
    subject: String,
    body: String,
    attempts: i64,
}

/// At most this many messages are claimed, then sent, in one round.
const ROUND: usize = 20;

/// Sends what is due until the process stops; with the file transport it
/// also removes the files of mail the outbox no longer keeps.
pub async fn run_worker(db: Db, mailer: Mailer) {
    let mut tick = tokio::time::interval(mailer.interval);
    loop {
        tick.tick().await;
        // A full round means more may be due: the next goes at once, so a
        // morning's thousands of mails leave at the mail server's pace, not
        // a round per tick (20 every 2 s was 36,000 an hour at most). Each
        // round's mail is out of the next one's way (sent, failed, waiting
        // for a retry, or claimed by another backend), so this ends.
        loop {
            match deliver_due(&db, &mailer).await {
                Ok(due) if due == ROUND => continue,
                Ok(_) => break,
                Err(error) => {
                    tracing::warn!(%error, "outbox round failed; will retry");
                    break;
                }
            }
        }
        if let Transport::Files(dir) = &mailer.transport {
            if let Err(error) = forget_files(&db, dir, Utc::now()).await {
                tracing::warn!(%error, "could not tidy the outbox folder");
            }
        }
    }
}

/// The file transport writes each mail as `<id>.eml`: a copy of personal
/// data on disk. A file goes when its row does (the citizen erased their
/// data, or the retention job did) or is emptied (30 days after sending),
/// and a mail with a private link after a day. Returns how many went.
pub async fn forget_files(
    db: &Db,
    dir: &std::path::Path,
    now: chrono::DateTime<Utc>,
) -> Result<usize> {
    let Ok(mut entries) = tokio::fs::read_dir(dir).await else {
        return Ok(0); // nothing written yet
    };
    let mut files: Vec<(Uuid, PathBuf)> = Vec::new();
    while let Ok(Some(entry)) = entries.next_entry().await {
        let path = entry.path();
        let id = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| {
                n.strip_suffix(".eml")
                    .or_else(|| n.strip_suffix(".eml.partial"))
            })
            .and_then(|n| Uuid::parse_str(n).ok());
        if let Some(id) = id {
            files.push((id, path));
        }
    }
    if files.is_empty() {
        return Ok(0);
    }
    let mut kept: Vec<Uuid> = Vec::new();
    let mut conn = db.acquire().await?;
    for chunk in files.chunks(200) {
        let mut query =
            db::SqlBuilder::new("SELECT id FROM outbox WHERE recipient <> '' AND id IN ");
        query.bind_list(chunk.iter().map(|(id, _)| *id));
        query.push(" AND NOT (kind IN ");
        query.bind_list(SECRET_KINDS);
        query.push(" AND sent_at < ");
        query.bind(now - Duration::hours(SECRET_FILES_KEPT_HOURS));
        query.push(")");
        let found: Vec<Uuid> = db::fetch_scalars(&mut conn, &query.sql, query.values).await?;
        kept.extend(found);
    }
    let mut removed = 0;
    for (id, path) in files {
        if !kept.contains(&id) && tokio::fs::remove_file(&path).await.is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

/// One round: claim the due messages, send each and mark it as it goes.
/// Returns how many were due (at most [`ROUND`]).
pub async fn deliver_due(db: &Db, mailer: &Mailer) -> Result<usize> {
    let now = Utc::now();
    let due: Vec<Due> = {
        let mut conn = db.acquire().await?;
        db::fetch_all(
            &mut conn,
            "SELECT id, recipient, subject, body, attempts FROM outbox WHERE sent_at IS NULL \
             AND failed_at IS NULL AND next_attempt_at <= $1 \
             AND (claimed_until IS NULL OR claimed_until < $1) \
             ORDER BY created_at LIMIT $2",
            args![now, ROUND as i64],
        )
        .await?
    };
    let count = due.len();
    if due.is_empty() {
        return Ok(0);
    }
    // All in one statement; what another backend claimed meanwhile is its.
    let mut claim = db::SqlBuilder::new("UPDATE outbox SET claimed_until = ");
    claim.bind(now + Duration::minutes(2));
    claim.push(", attempts = attempts + 1 WHERE id IN ");
    claim.bind_list(due.iter().map(|message| message.id));
    claim.push(" AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < ");
    claim.bind(now).push(") RETURNING id");
    // A write that reads (RETURNING): through a write transaction, which
    // on SQLite is the writer's turn.
    let mut tx = db.begin().await?;
    let claimed: Vec<Uuid> = db::fetch_scalars(&mut tx, &claim.sql, claim.values).await?;
    tx.commit().await?;
    // Each recipient's mail in the order it was queued (a confirmation
    // before the decision that follows it), recipients side by side.
    let mut recipients: Vec<Vec<Due>> = Vec::new();
    for message in due.into_iter().filter(|m| claimed.contains(&m.id)) {
        match recipients
            .iter_mut()
            .find(|queue| queue[0].recipient == message.recipient)
        {
            Some(queue) => queue.push(message),
            None => recipients.push(vec![message]),
        }
    }
    let delivered: Vec<Result<()>> = futures_util::stream::iter(recipients)
        .map(|queue| deliver_in_order(db, mailer, queue))
        .buffer_unordered(AT_ONCE)
        .collect()
        .await;
    delivered.into_iter().collect::<Result<()>>()?;
    Ok(count)
}

/// How many recipients' mail is on its way at once. Over SMTP each message
/// waits out TCP's delayed acknowledgement, about 40 ms (lettre writes the
/// end of the data apart with Nagle on; lettre/lettre#1159, not released
/// yet): one at a time that was 19 a second, whatever the server's speed.
const AT_ONCE: usize = 8;

/// Sends one recipient's claimed mail in order, marking each as it goes.
async fn deliver_in_order(db: &Db, mailer: &Mailer, queue: Vec<Due>) -> Result<()> {
    for message in queue {
        let outcome = send(mailer, &message).await;
        let mut conn = db.acquire().await?;
        match outcome {
            Ok(()) => {
                // A private link, once on its way, is not kept in the table.
                let mut query = db::SqlBuilder::new("UPDATE outbox SET sent_at = ");
                query.bind(Utc::now());
                query.push(", claimed_until = NULL, last_error = NULL, body = CASE WHEN kind IN ");
                query.bind_list(SECRET_KINDS);
                query
                    .push(" THEN '' ELSE body END WHERE id = ")
                    .bind(message.id);
                db::execute(&mut conn, &query.sql, query.values).await?;
            }
            Err(failure) if failure.permanent || message.attempts + 1 >= MAX_ATTEMPTS => {
                tracing::warn!(id = %message.id, error = %failure.error, "email refused for good; not retrying");
                db::execute(
                    &mut conn,
                    "UPDATE outbox SET claimed_until = NULL, last_error = $1, failed_at = $2 WHERE id = $3",
                    args![failure.error, Utc::now(), message.id],
                )
                .await?;
            }
            Err(failure) => {
                let retry_at = Utc::now() + backoff(mailer.retry, message.attempts + 1);
                tracing::warn!(id = %message.id, error = %failure.error, "email not sent; will retry");
                db::execute(
                    &mut conn,
                    "UPDATE outbox SET claimed_until = NULL, last_error = $1, next_attempt_at = $2 WHERE id = $3",
                    args![failure.error, retry_at, message.id],
                )
                .await?;
            }
        }
    }
    Ok(())
}

/// Waits longer after each failure: `first`, twice that, … at most an hour.
fn backoff(first: StdDuration, attempts: i64) -> Duration {
    let doublings = attempts.clamp(1, 12).saturating_sub(1) as u32;
    let wait = first
        .saturating_mul(1 << doublings)
        .min(StdDuration::from_secs(3600));
    Duration::from_std(wait).unwrap_or(Duration::hours(1))
}

/// Why a delivery failed, and whether trying again can help.
struct Failure {
    error: String,
    permanent: bool,
}

impl Failure {
    fn permanent(error: String) -> Failure {
        Failure {
            error,
            permanent: true,
        }
    }

    fn transient(error: String) -> Failure {
        Failure {
            error,
            permanent: false,
        }
    }
}

async fn send(mailer: &Mailer, message: &Due) -> std::result::Result<(), Failure> {
    let to: Mailbox = message
        .recipient
        .parse()
        .map_err(|e| Failure::permanent(format!("not an address a mailer can use: {e}")))?;
    let email = Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(message.subject.clone())
        .message_id(Some(format!("<{}@{}>", message.id, mailer.domain)))
        .header(ContentType::TEXT_PLAIN)
        .body(message.body.clone())
        .map_err(|e| Failure::permanent(format!("cannot build the email: {e}")))?;
    match &mailer.transport {
        Transport::Files(dir) => {
            let io = |e: std::io::Error| Failure::transient(e.to_string());
            tokio::fs::create_dir_all(dir).await.map_err(io)?;
            let path = dir.join(format!("{}.eml", message.id));
            let partial = dir.join(format!("{}.eml.partial", message.id));
            tokio::fs::write(&partial, email.formatted())
                .await
                .map_err(io)?;
            // Rename is atomic: a reader sees the whole email or none.
            tokio::fs::rename(&partial, &path).await.map_err(io)
        }
        Transport::Smtp(smtp) => smtp.send(email).await.map(|_| ()).map_err(|e| {
            // 5xx: the server will never take this message; anything else
            // (4xx, a connection refused, a timeout) may pass later.
            if e.is_permanent() {
                Failure::permanent(e.to_string())
            } else {
                Failure::transient(e.to_string())
            }
        }),
    }
}

/// The mail about one record (`subject_id`), oldest first, for the
/// coordinator: whether each went, waits, or failed, and why.
pub async fn about(ex: &mut impl Executor, subject: Uuid) -> Result<Vec<MailView>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        kind: String,
        recipient: String,
        attempts: i64,
        last_error: Option<String>,
        created_at: chrono::DateTime<Utc>,
        sent_at: Option<chrono::DateTime<Utc>>,
        failed_at: Option<chrono::DateTime<Utc>>,
    }
    let rows: Vec<Row> = db::fetch_all(
        ex,
        "SELECT id, kind, recipient, attempts, last_error, created_at, sent_at, failed_at \
         FROM outbox WHERE subject_id = $1 ORDER BY created_at, id",
        args![subject],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| MailView {
            id: row.id,
            kind: row.kind,
            recipient: row.recipient,
            state: match (row.sent_at, row.failed_at) {
                (Some(_), _) => MailState::Sent,
                (None, Some(_)) => MailState::Failed,
                (None, None) => MailState::Waiting,
            },
            attempts: row.attempts,
            last_error: row.last_error,
            created_at: crate::stored::timestamp(row.created_at),
        })
        .collect())
}

/// How many emails wait to be sent (for metrics and tests).
pub async fn depth(db: &Db) -> Result<i64> {
    let mut conn = db.acquire().await?;
    db::fetch_scalar(
        &mut conn,
        "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL",
        vec![],
    )
    .await
    .map_err(Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stops_at_an_hour() {
        let first = StdDuration::from_secs(30);
        assert_eq!(backoff(first, 1), Duration::seconds(30));
        assert_eq!(backoff(first, 2), Duration::seconds(60));
        assert_eq!(backoff(first, 7), Duration::seconds(1920));
        assert_eq!(backoff(first, 50), Duration::hours(1));
        let quick = StdDuration::from_millis(200);
        assert_eq!(backoff(quick, 3), Duration::milliseconds(800));
    }

    #[test]
    fn message_ids_are_at_the_public_host() {
        let mailer = Mailer::new(
            None,
            "Sammen <a@b.dk>",
            PathBuf::from("x"),
            StdDuration::from_secs(1),
        )
        .unwrap()
        .message_ids_at("https://sammen.odense.dk:8443/");
        assert_eq!(mailer.domain, "sammen.odense.dk");
    }
}
