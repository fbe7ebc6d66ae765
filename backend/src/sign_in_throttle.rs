//! The sign-in throttle: failed attempts slow down the guesser, not the town.
//!
//! Three counters of failures, each with a free allowance and then a growing
//! delay (30 s, 1, 2, 4, 8 minutes, at most 15) before the next attempt:
//!
//! | counter | free | why |
//! |---|---|---|
//! | account × address | 5 | a guesser at one address, one account |
//! | address | 30 | one address trying many accounts |
//! | account | 20 | many addresses trying one account |
//!
//! Only failures count: a town hall behind one NAT signs in all morning
//! without using anything up. The account counter does not apply at an
//! address the account has signed in from before (a *known* address, kept
//! 90 days), so a stranger typing wrong passwords for a coordinator slows
//! down strangers, never the coordinator at their usual desk. A counter
//! forgets after an hour without failures.
//!
//! Keys are SHA-256 hashes of the email and address: a password typed into
//! the email field is never stored, and a row has a fixed size. A refused
//! attempt writes nothing. Attempts are counted *before* the password is
//! checked (and given back on success), and beyond a free allowance only an
//! attempt whose count nobody else moved since it looked may go on, so a
//! burst of parallel guesses cannot slip past the limit.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use crate::args;
use crate::db::{self, Db};
use crate::error::Result;

/// A counter's free failures.
const PAIR_FREE: i64 = 5;
const ADDRESS_FREE: i64 = 30;
const ACCOUNT_FREE: i64 = 20;
/// The first delay beyond the allowance; it doubles with each failure.
const FIRST_DELAY_S: i64 = 30;
const LONGEST_DELAY_S: i64 = 15 * 60;
/// A counter without failures for this long starts again from zero.
const FORGET_AFTER: Duration = Duration::hours(1);
/// How long an address stays known to an account after a sign-in from it.
const KNOWN_FOR: Duration = Duration::days(90);

/// The longest email we look at; anything longer is cut before hashing (and
/// is no coordinator's address).
pub const EMAIL_LIMIT: usize = 320;

/// One sign-in attempt's counters.
pub struct Attempt {
    pair: String,
    address: String,
    account: String,
    known: String,
    /// Whether the account's counter was counted (not at a known address).
    counted_account: bool,
}

impl Attempt {
    pub fn new(email: &str, address: IpAddr) -> Attempt {
        let email = cap(email);
        let address = address.to_string();
        Attempt {
            pair: key(&["pair", email, &address]),
            address: key(&["address", &address]),
            account: key(&["account", email]),
            known: key(&["known", email, &address]),
            counted_account: false,
        }
    }

    /// The counters that apply: (key, free allowance).
    fn counters(&self, known_address: bool) -> Vec<(&str, i64)> {
        let mut counters = vec![
            (self.pair.as_str(), PAIR_FREE),
            (self.address.as_str(), ADDRESS_FREE),
        ];
        if !known_address {
            counters.push((self.account.as_str(), ACCOUNT_FREE));
        }
        counters
    }
}

/// What the throttle says about an attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Counted; check the password, and call [`succeeded`] if it matched.
    Go,
    /// Try again in this many seconds; nothing was written.
    Wait(i64),
}

fn cap(email: &str) -> &str {
    match email.char_indices().nth(EMAIL_LIMIT) {
        Some((at, _)) => &email[..at],
        None => email,
    }
}

fn key(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hex::encode(hash.finalize())
}

/// The wait before the next attempt after `failures`, of which `free` are free.
fn delay(failures: i64, free: i64) -> Duration {
    if failures < free {
        return Duration::zero();
    }
    let doublings = (failures - free).min(10) as u32;
    Duration::seconds((FIRST_DELAY_S << doublings).min(LONGEST_DELAY_S))
}

#[derive(sqlx::FromRow)]
struct Counter {
    key: String,
    failures: i64,
    last_at: DateTime<Utc>,
}

/// Checks the attempt's counters and, unless it must wait, counts it.
pub async fn check_and_count(
    db: &Db,
    attempt: &mut Attempt,
    now: DateTime<Utc>,
) -> Result<Verdict> {
    let mut conn = db.acquire().await?;
    let known: i64 = db::fetch_scalar(
        &mut conn,
        "SELECT COUNT(*) FROM sign_in_known WHERE key = $1 AND last_success > $2",
        args![&attempt.known, now - KNOWN_FOR],
    )
    .await?;
    attempt.counted_account = known == 0;
    let attempt = &*attempt;
    let counters = attempt.counters(known > 0);
    let rows: Vec<Counter> = db::fetch_all(
        &mut conn,
        "SELECT key, failures, last_at FROM sign_in_failures WHERE key IN ($1, $2, $3)",
        args![&attempt.pair, &attempt.address, &attempt.account],
    )
    .await?;
    let seen = |key: &str| {
        rows.iter()
            .find(|row| row.key == key && row.last_at > now - FORGET_AFTER)
            .map(|row| (row.failures, row.last_at))
    };
    let wait = counters
        .iter()
        .filter_map(|(key, free)| {
            let (failures, last_at) = seen(key)?;
            let until = last_at + delay(failures, *free);
            (until > now).then(|| (until - now).num_seconds().max(1))
        })
        .max();
    if let Some(seconds) = wait {
        return Ok(Verdict::Wait(seconds));
    }
    for (key, free) in counters {
        let failures: i64 = db::fetch_scalar(
            &mut conn,
            "INSERT INTO sign_in_failures (key, failures, last_at) VALUES ($1, 1, $2) \
             ON CONFLICT (key) DO UPDATE SET \
             failures = CASE WHEN sign_in_failures.last_at < $3 THEN 1 \
                             ELSE sign_in_failures.failures + 1 END, \
             last_at = $2 \
             RETURNING failures",
            args![key, now, now - FORGET_AFTER],
        )
        .await?;
        let before = seen(key).map(|(failures, _)| failures).unwrap_or(0);
        // Beyond the allowance, someone else counted since we looked: a
        // parallel guess. It waits as if it had come after that one.
        if failures > free && failures - 1 != before {
            return Ok(Verdict::Wait(
                delay(failures - 1, free).num_seconds().max(1),
            ));
        }
    }
    Ok(Verdict::Go)
}

/// The password matched: the attempt was no failure. Gives back what it
/// counted and remembers the address for the account.
pub async fn succeeded(db: &Db, attempt: &Attempt, now: DateTime<Utc>) -> Result<()> {
    let mut tx = db.begin().await?;
    db::execute(
        &mut tx,
        "DELETE FROM sign_in_failures WHERE key = $1",
        args![&attempt.pair],
    )
    .await?;
    let given_back = if attempt.counted_account {
        vec![&attempt.address, &attempt.account]
    } else {
        vec![&attempt.address]
    };
    for key in given_back {
        db::execute(
            &mut tx,
            "UPDATE sign_in_failures SET failures = failures - 1 WHERE key = $1 AND failures > 0",
            args![key],
        )
        .await?;
    }
    db::execute(
        &mut tx,
        "INSERT INTO sign_in_known (key, last_success) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET last_success = $2",
        args![&attempt.known, now],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets counters nobody has added to for an hour and addresses not used
/// for 90 days; returns how many rows went.
pub async fn forget_old(db: &Db, now: DateTime<Utc>) -> Result<u64> {
    let mut conn = db.acquire().await?;
    let failures = db::execute(
        &mut conn,
        "DELETE FROM sign_in_failures WHERE last_at < $1",
        args![now - FORGET_AFTER],
    )
    .await?;
    let known = db::execute(
        &mut conn,
        "DELETE FROM sign_in_known WHERE last_success < $1",
        args![now - KNOWN_FOR],
    )
    .await?;
    Ok(failures + known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_grows_from_thirty_seconds_to_a_quarter_hour() {
        assert_eq!(delay(4, 5), Duration::zero());
        assert_eq!(delay(5, 5), Duration::seconds(30));
        assert_eq!(delay(6, 5), Duration::seconds(60));
        assert_eq!(delay(9, 5), Duration::seconds(480));
        assert_eq!(delay(10, 5), Duration::seconds(900));
        assert_eq!(delay(500, 5), Duration::seconds(900));
    }

    #[test]
    fn keys_are_hashes_of_bounded_input() {
        let long = "x".repeat(70_000);
        let attempt = Attempt::new(&long, IpAddr::from([10, 0, 0, 1]));
        assert_eq!(attempt.account.len(), 64);
        assert!(!attempt.pair.contains('x'));
        let capped = Attempt::new(&"x".repeat(EMAIL_LIMIT), IpAddr::from([10, 0, 0, 1]));
        assert_eq!(attempt.account, capped.account, "cut at the limit");
        let other = Attempt::new("pia@regnbuen.demo", IpAddr::from([10, 0, 0, 1]));
        assert_ne!(other.pair, other.known);
    }
}
