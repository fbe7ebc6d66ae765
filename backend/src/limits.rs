//! Rate limits on citizens' writes, per client address and per
//! municipality, so one script cannot flood a municipality's queue: 429 with
//! `Retry-After`. Limits are kept in each backend's memory; with N backends
//! behind a balancer the effective limit is up to N times the setting.

use crate::said;
use sammen_shared::Text;
use std::net::IpAddr;
use std::num::NonZeroU32;

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sammen_shared::ErrorCode;

use crate::client_addr::ClientAddr;
use crate::error::Error;

/// The write limits of this process.
pub struct WriteLimits {
    by_address: Option<DefaultKeyedRateLimiter<IpAddr>>,
    by_municipality: Option<DefaultKeyedRateLimiter<String>>,
}

fn limiter<K: std::hash::Hash + Eq + Clone>(per_minute: u32) -> Option<DefaultKeyedRateLimiter<K>> {
    let rate = NonZeroU32::new(per_minute)?;
    // A burst of a third of a minute's allowance: a family filling in three
    // forms in a row is fine, a script is not.
    let burst = NonZeroU32::new((per_minute / 3).max(1)).unwrap_or(rate);
    Some(RateLimiter::keyed(
        Quota::per_minute(rate).allow_burst(burst),
    ))
}

/// Now on the limiters' clock. One clock for the process: making one
/// calibrates it (CPUID and a timing loop), which cost 2 % of a write's
/// time under load when each refusal check made its own.
fn now() -> <DefaultClock as Clock>::Instant {
    static CLOCK: std::sync::LazyLock<DefaultClock> =
        std::sync::LazyLock::new(DefaultClock::default);
    CLOCK.now()
}

impl WriteLimits {
    /// Limits per minute; 0 turns a limit off.
    pub fn new(per_address: u32, per_municipality: u32) -> WriteLimits {
        WriteLimits {
            by_address: limiter(per_address),
            by_municipality: limiter(per_municipality),
        }
    }

    /// Seconds to wait, when a write from `address` to `municipality` must wait.
    fn check(&self, address: IpAddr, municipality: Option<&str>) -> Option<u64> {
        let wait = |outcome: Result<(), governor::NotUntil<_>>| {
            outcome
                .err()
                .map(|not_until| not_until.wait_time_from(now()).as_secs() + 1)
        };
        if let Some(limiter) = &self.by_address {
            if let Some(seconds) = wait(limiter.check_key(&address)) {
                return Some(seconds);
            }
        }
        match (&self.by_municipality, municipality) {
            (Some(limiter), Some(municipality)) => {
                wait(limiter.check_key(&municipality.to_string()))
            }
            _ => None,
        }
    }

    /// Forgets keys that are back to a full allowance (memory stays bounded).
    pub fn forget_idle(&self) {
        if let Some(limiter) = &self.by_address {
            limiter.retain_recent();
        }
        if let Some(limiter) = &self.by_municipality {
            limiter.retain_recent();
        }
    }
}

/// The open meeting's limits per client address: joining (a room behind one
/// venue wifi joins within minutes, a script thousands of times in seconds),
/// and looking up codes that do not exist (guessing). An address that
/// guessed too often is refused every code for a while, right or wrong, so
/// the answers cannot tell it when it hit one.
pub struct MeetingLimits {
    joins: Option<DefaultKeyedRateLimiter<IpAddr>>,
    misses: Option<DefaultKeyedRateLimiter<IpAddr>>,
    blocked: std::sync::Mutex<std::collections::HashMap<IpAddr, std::time::Instant>>,
}

/// A limiter that allows a whole minute's allowance at once (a room joins
/// in a burst), then that many a minute.
fn burst_limiter(per_minute: u32) -> Option<DefaultKeyedRateLimiter<IpAddr>> {
    let rate = NonZeroU32::new(per_minute)?;
    Some(RateLimiter::keyed(
        Quota::per_minute(rate).allow_burst(rate),
    ))
}

impl MeetingLimits {
    /// Joins and code misses per minute and address; 0 turns one off.
    pub fn new(joins_per_minute: u32, misses_per_minute: u32) -> MeetingLimits {
        MeetingLimits {
            joins: burst_limiter(joins_per_minute),
            misses: burst_limiter(misses_per_minute),
            blocked: Default::default(),
        }
    }

    /// Seconds `address` must wait before it may look up a code again.
    pub fn guessing(&self, address: IpAddr) -> Option<u64> {
        let blocked = self.blocked.lock().ok()?;
        let until = blocked.get(&address)?;
        let now = std::time::Instant::now();
        (*until > now).then(|| (*until - now).as_secs() + 1)
    }

    /// Counts a code that matched no meeting; an address over its allowance
    /// is blocked until it has one again.
    pub fn missed(&self, address: IpAddr) {
        let Some(limiter) = &self.misses else {
            return;
        };
        if let Err(not_until) = limiter.check_key(&address) {
            let wait = not_until.wait_time_from(now());
            if let Ok(mut blocked) = self.blocked.lock() {
                blocked.insert(address, std::time::Instant::now() + wait);
            }
        }
    }

    /// Seconds to wait, when `address` joined too often.
    pub fn join(&self, address: IpAddr) -> Option<u64> {
        let limiter = self.joins.as_ref()?;
        limiter
            .check_key(&address)
            .err()
            .map(|not_until| not_until.wait_time_from(now()).as_secs() + 1)
    }

    /// Forgets what has passed (memory stays bounded).
    pub fn forget_idle(&self) {
        for limiter in [&self.joins, &self.misses].into_iter().flatten() {
            limiter.retain_recent();
        }
        if let Ok(mut blocked) = self.blocked.lock() {
            let now = std::time::Instant::now();
            blocked.retain(|_, until| *until > now);
        }
    }
}

/// What a group member may do how often: a group runs itself, but its
/// members' writes go out as the municipality's mail (messages, check-ins
/// after held dates) and invites add families. Per member, in this process.
pub struct GroupLimits {
    messages: DefaultKeyedRateLimiter<uuid::Uuid>,
    dates: DefaultKeyedRateLimiter<uuid::Uuid>,
    invites: DefaultKeyedRateLimiter<uuid::Uuid>,
    link_requests: DefaultKeyedRateLimiter<uuid::Uuid>,
}

/// A group member's kind of write.
#[derive(Clone, Copy, Debug)]
pub enum GroupWrite {
    /// A message to another member (an email): 5 at once, 10 an hour.
    Message,
    /// Adding or changing a date (holding one mails everyone a check-in): 10
    /// at once, 30 an hour.
    Date,
    /// An invite for another family: 5 a day.
    Invite,
    /// Asking for one's group link again by email, per email and per client
    /// address ([`GroupLimits::key`]): 3 at once, 3 an hour. Each request
    /// makes a new link and ends the old one, so a stranger who knows the
    /// email must not be able to do it often.
    LinkRequest,
}

impl Default for GroupLimits {
    fn default() -> Self {
        let per_hour = |n: u32, burst: u32| {
            RateLimiter::keyed(
                Quota::with_period(std::time::Duration::from_secs(3600 / u64::from(n)))
                    .unwrap_or_else(|| Quota::per_hour(NonZeroU32::MIN))
                    .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN)),
            )
        };
        GroupLimits {
            messages: per_hour(10, 5),
            dates: per_hour(30, 10),
            invites: RateLimiter::keyed(
                Quota::with_period(std::time::Duration::from_secs(86_400 / 5))
                    .unwrap_or_else(|| Quota::per_hour(NonZeroU32::MIN))
                    .allow_burst(NonZeroU32::new(5).unwrap_or(NonZeroU32::MIN)),
            ),
            link_requests: per_hour(3, 3),
        }
    }
}

impl GroupLimits {
    /// A 429 when `member` must wait before this `write`.
    pub fn wait(&self, member: uuid::Uuid, write: GroupWrite) -> Option<Response> {
        let limiter = match write {
            GroupWrite::Message => &self.messages,
            GroupWrite::Date => &self.dates,
            GroupWrite::Invite => &self.invites,
            GroupWrite::LinkRequest => &self.link_requests,
        };
        limiter.check_key(&member).err().map(|not_until| {
            let seconds = not_until.wait_time_from(now()).as_secs() + 1;
            too_many(seconds, &said::SLOW_DOWN)
        })
    }

    /// A limiter key for something that is not a member (an email, a client
    /// address): the first 16 bytes of its SHA-256, so nothing readable is
    /// kept in memory either.
    pub fn key(text: &str) -> uuid::Uuid {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(text.as_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        uuid::Uuid::from_bytes(bytes)
    }

    pub fn forget_idle(&self) {
        self.link_requests.retain_recent();
        self.messages.retain_recent();
        self.dates.retain_recent();
        self.invites.retain_recent();
    }
}

/// A 429 with `Retry-After`.
pub fn too_many(seconds: u64, text: &'static Text) -> Response {
    let mut response =
        Error::refused_with(ErrorCode::RateLimited, text, &[("seconds", &seconds)]).into_response();
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// The 429 for a public write over its limits, or `None` to let it on (reads
/// and the console always pass; the console's sign-in has its own throttle).
pub fn refusal(limits: &WriteLimits, request: &Request) -> Option<Response> {
    let path = request.uri().path();
    let public = path.starts_with("/api/v1/municipalities/")
        || path.starts_with("/api/v1/follow")
        || path.starts_with("/api/v1/privacy");
    let writes = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::DELETE | Method::PATCH
    );
    if !(public && writes) {
        return None;
    }
    let address = ClientAddr::of(request.extensions());
    // Keyed on the decoded tenant: `bill%75nd` is Billund's allowance too.
    let municipality = crate::tenant::municipality_in_path(path);
    limits
        .check(address, municipality.as_deref())
        .map(|seconds| too_many(seconds, &said::TOO_MANY_SUBMISSIONS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_address_waits() {
        let limits = WriteLimits::new(6, 0);
        let address = IpAddr::from([10, 0, 0, 1]);
        assert_eq!(limits.check(address, Some("billund")), None);
        assert_eq!(limits.check(address, Some("billund")), None);
        let wait = limits
            .check(address, Some("billund"))
            .expect("the third write waits");
        assert!((1..=11).contains(&wait), "{wait}");
        assert_eq!(
            limits.check(IpAddr::from([10, 0, 0, 2]), Some("billund")),
            None,
            "another address is free"
        );
    }

    #[test]
    fn zero_turns_a_limit_off() {
        let limits = WriteLimits::new(0, 0);
        for _ in 0..1000 {
            assert_eq!(
                limits.check(IpAddr::from([10, 0, 0, 1]), Some("billund")),
                None
            );
        }
    }
}
