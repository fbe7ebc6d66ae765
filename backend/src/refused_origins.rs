//! Web pages that tried to use a municipality's API without being allowed,
//! counted so that connecting a new site is not guesswork: the admin sees
//! "https://www.odense.dk was refused 14 times, last at 10:02" and knows
//! which origin to allow. Counts only, no addresses or paths.
//!
//! Refusals are counted in memory (a refused request costs no write) and
//! added to the table every few seconds by each backend. Memory and table
//! stay bounded: at most [`PENDING_LIMIT`] origins wait in memory, a
//! municipality keeps its [`KEPT_PER_MUNICIPALITY`] most recent origins, and
//! an origin not refused for [`KEPT_DAYS`] days is forgotten.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::args;
use crate::client_addr::TrustedProxies;
use crate::db::{self, Db};
use crate::error::Result;

pub const PENDING_LIMIT: usize = 1000;
pub const KEPT_PER_MUNICIPALITY: i64 = 50;
pub const KEPT_DAYS: i64 = 30;
/// How often each backend adds its counts to the table.
pub const FLUSH_EVERY: Duration = Duration::from_secs(5);

#[derive(Clone, Copy)]
struct Pending {
    refusals: i64,
    first_at: DateTime<Utc>,
    last_at: DateTime<Utc>,
}

/// This process's refusals not yet in the table.
#[derive(Default)]
pub struct RefusedOrigins {
    pending: Mutex<HashMap<(String, String), Pending>>,
}

impl RefusedOrigins {
    /// Counts one refusal of `origin` (as the browser sent it) for
    /// `municipality` (as in the path; unknown ones are dropped on flush).
    pub fn count(&self, municipality: &str, origin: &str) {
        let Some(origin) = recordable(origin) else {
            return;
        };
        if municipality.len() > 40 {
            return; // no municipality has a longer slug
        }
        let now = Utc::now();
        let Ok(mut pending) = self.pending.lock() else {
            return;
        };
        let key = (municipality.to_string(), origin);
        if let Some(entry) = pending.get_mut(&key) {
            entry.refusals += 1;
            entry.last_at = now;
        } else if pending.len() < PENDING_LIMIT {
            pending.insert(
                key,
                Pending {
                    refusals: 1,
                    first_at: now,
                    last_at: now,
                },
            );
        }
    }

    fn take(&self) -> Vec<((String, String), Pending)> {
        self.pending
            .lock()
            .map(|mut pending| pending.drain().collect())
            .unwrap_or_default()
    }

    /// Adds the counts to the table and trims it.
    pub async fn flush(&self, db: &Db) -> Result<()> {
        let pending = self.take();
        if pending.is_empty() {
            return Ok(());
        }
        let mut conn = db.acquire().await?;
        let mut municipalities: Vec<String> = Vec::new();
        for ((municipality, origin), counts) in pending {
            db::execute(
                &mut conn,
                "INSERT INTO refused_origins (municipality, origin, refusals, first_at, last_at) \
                 SELECT slug, $2, $3, $4, $5 FROM municipalities WHERE slug = $1 \
                 ON CONFLICT (municipality, origin) DO UPDATE SET \
                 refusals = refused_origins.refusals + $3, last_at = $5",
                args![
                    &municipality,
                    &origin,
                    counts.refusals,
                    counts.first_at,
                    counts.last_at
                ],
            )
            .await?;
            if !municipalities.contains(&municipality) {
                municipalities.push(municipality);
            }
        }
        for municipality in municipalities {
            db::execute(
                &mut conn,
                "DELETE FROM refused_origins WHERE municipality = $1 AND origin NOT IN \
                 (SELECT origin FROM refused_origins WHERE municipality = $1 \
                  ORDER BY last_at DESC LIMIT $2)",
                args![&municipality, KEPT_PER_MUNICIPALITY],
            )
            .await?;
        }
        Ok(())
    }
}

/// The origin as we keep it: lowercase `scheme://host[:port]` of at most 200
/// characters, or `null` (a page opened from a file, a sandboxed frame).
fn recordable(origin: &str) -> Option<String> {
    if origin == "null" {
        return Some(origin.into());
    }
    let origin = sammen_shared::admin::parse_origin(origin).ok()?;
    (origin.len() <= 200).then_some(origin)
}

/// Forgets origins not refused for [`KEPT_DAYS`] days.
pub async fn forget_old(db: &Db, now: DateTime<Utc>) -> Result<u64> {
    let mut conn = db.acquire().await?;
    Ok(db::execute(
        &mut conn,
        "DELETE FROM refused_origins WHERE last_at < $1",
        args![now - chrono::Duration::days(KEPT_DAYS)],
    )
    .await?)
}

/// Notes for the operator that `sammen check-config` reads: forwarded
/// headers arriving from a peer that is not a trusted proxy.
pub async fn note_for_operator(db: &Db, proxies: &TrustedProxies) -> Result<()> {
    if !proxies.saw_untrusted_forwarding() {
        return Ok(());
    }
    let mut conn = db.acquire().await?;
    db::execute(
        &mut conn,
        "INSERT INTO operator_notices (key, detail, last_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET detail = $2, last_at = $3",
        args![
            UNTRUSTED_FORWARDING,
            "Forwarded headers arrived from a peer that is not in SAMMEN_TRUSTED_PROXIES; \
             if Sammen runs behind a proxy, every client has the proxy's address.",
            Utc::now()
        ],
    )
    .await?;
    Ok(())
}

/// The key of the notice about forwarded headers from an untrusted peer.
pub const UNTRUSTED_FORWARDING: &str = "untrusted_forwarding";

/// Flushes every [`FLUSH_EVERY`] until the process stops.
pub async fn run_worker(
    db: Db,
    refused: std::sync::Arc<RefusedOrigins>,
    proxies: std::sync::Arc<TrustedProxies>,
) {
    let mut every = tokio::time::interval(FLUSH_EVERY);
    let mut noted = false;
    loop {
        every.tick().await;
        if let Err(error) = refused.flush(&db).await {
            tracing::warn!(%error, "could not count refused origins");
        }
        if !noted && proxies.saw_untrusted_forwarding() {
            noted = note_for_operator(&db, &proxies).await.is_ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_origins_are_kept() {
        assert_eq!(
            recordable("https://www.Odense.dk"),
            Some("https://www.odense.dk".into())
        );
        assert_eq!(recordable("null"), Some("null".into()));
        assert_eq!(recordable("https://x.dk/path?email=a@b"), None);
        assert_eq!(recordable(&format!("https://{}.dk", "a".repeat(240))), None);
    }

    #[test]
    fn memory_is_bounded() {
        let refused = RefusedOrigins::default();
        for n in 0..(PENDING_LIMIT + 50) {
            refused.count("billund", &format!("https://site{n}.example"));
        }
        refused.count("billund", "https://site0.example");
        let taken = refused.take();
        assert_eq!(taken.len(), PENDING_LIMIT);
        let first = taken
            .iter()
            .find(|((_, origin), _)| origin == "https://site0.example")
            .unwrap();
        assert_eq!(first.1.refusals, 2);
    }
}
