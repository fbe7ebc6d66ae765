//! Public answers kept in memory: the list of a municipality's initiatives
//! (per query), an initiative's page and the municipality itself, as the JSON
//! bytes sent, under the municipality's public version (`public_versions`,
//! bumped by triggers in every transaction that changes what the public sees
//! of it). Every request reads the version first, so a write made through
//! any backend is seen on the next read through every other; what is cached
//! is only ever what an anonymous caller is shown, and these routes read no
//! session.
//!
//! The version read is exact yet cheap under load: a request waits for a
//! read of the version that *started after it arrived* (and so sees every
//! write committed before it), and all requests waiting on one municipality
//! share one such read, so a busy backend reads the row once per round trip
//! rather than once per request. On SQLite with a file it is cheaper still:
//! the version is read on the request's own thread (`sqlite_reader.rs`), and
//! the shared read is only the fallback.
//!
//! Answers carry a weak `ETag` of the version and the question, and
//! `Cache-Control: no-cache`: a browser or a CDN may keep the bytes but asks
//! each time, and a current copy costs a 304 after one shared version read.
//! No lifetime without asking, because a citizen who has just joined must
//! see herself counted on her next read (see ARCHITECTURE.md).

use crate::said;
use sammen_shared::ErrorCode;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use quick_cache::sync::Cache;
use quick_cache::{UnitWeighter, Weighter};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::sync::watch;

use crate::args;
use crate::db::{self, Db};
use crate::error::{Error, Result};
use crate::municipality::{self, Tenant};

/// At most this many bytes of answers (keys and bodies) are kept per process.
const ANSWER_BYTES: u64 = 64 * 1024 * 1024;
/// What an entry costs beside its key and body (the entry and its `Bytes`).
const ENTRY_OVERHEAD: u64 = 128;
/// Municipalities (or slugs asked for) whose version reads are shared, and
/// (municipality, version, origin) answers of the embedding check kept.
const GATES: usize = 4096;
const ORIGINS: usize = 16_384;

const CACHE_CONTROL: &str = "public, no-cache";

/// Which answer: the municipality's slug, the version it was made at and
/// the question in a canonical form (`list?…`, `initiative/<id>`, `tenant`).
#[derive(Clone, PartialEq, Eq, Hash)]
struct AnswerKey {
    municipality: String,
    version: i64,
    what: String,
}

/// A cached answer: its status (200, or a 404 that is as public), body and
/// `Link` header (the next page of a list).
#[derive(Clone)]
struct Answer {
    status: StatusCode,
    body: Bytes,
    link: Option<HeaderValue>,
}

/// What a list answers: its body and the `Link` header that goes with it
/// (RFC 8288; `rel="next"` when there is a next page), kept together.
pub struct Linked<T> {
    pub body: T,
    pub link: Option<HeaderValue>,
}

#[derive(Clone)]
struct AnswerWeight;

impl Weighter<AnswerKey, Answer> for AnswerWeight {
    fn weight(&self, key: &AnswerKey, answer: &Answer) -> u64 {
        let link = answer.link.as_ref().map_or(0, HeaderValue::len);
        (key.municipality.len() + key.what.len() + answer.body.len() + link) as u64 + ENTRY_OVERHEAD
    }
}

/// The last version read of one municipality: when it started on the
/// process's clock, and the version (`None`: no such municipality).
#[derive(Clone, Copy)]
struct Read {
    started: u64,
    version: Option<i64>,
}

/// Shares reads of one municipality's version among waiting requests.
struct Gate {
    last: watch::Sender<Read>,
    reading: AtomicBool,
}

/// Lets waiting requests go on when a read ends without an answer (an
/// error, or the reading request dropped): one of them reads instead.
struct Reading<'a>(&'a Gate);

impl Reading<'_> {
    /// Hands the read to everyone waiting. `reading` is cleared first, so
    /// a waiter that finds this read too old for it starts the next one.
    fn finish(self, read: Read) {
        self.0.reading.store(false, Ordering::Release);
        self.0.last.send_replace(read);
        std::mem::forget(self);
    }
}

impl Drop for Reading<'_> {
    fn drop(&mut self) {
        self.0.reading.store(false, Ordering::Release);
        self.0.last.send_modify(|_| {});
    }
}

/// The municipality's public version as a request found it: read by the
/// CORS check when it ran (and kept in the request's extensions for the
/// handler), else by the handler.
#[derive(Clone, Debug)]
pub struct PublicVersion {
    pub municipality: String,
    pub version: i64,
}

/// What a public read brings to [`PublicAnswers::answer`]: the version the
/// CORS check read, if it did, and the `If-None-Match` sent.
pub struct PublicRead {
    known: Option<PublicVersion>,
    if_none_match: Option<HeaderValue>,
}

impl<S: Send + Sync> FromRequestParts<S> for PublicRead {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(PublicRead {
            known: parts.extensions.get::<PublicVersion>().cloned(),
            if_none_match: parts.headers.get(header::IF_NONE_MATCH).cloned(),
        })
    }
}

/// The process's public answers, the version reads they hang on and the
/// embedding check's answers.
pub struct PublicAnswers {
    /// Orders version reads after the requests they serve.
    clock: AtomicU64,
    gates: Cache<String, Arc<Gate>, UnitWeighter>,
    answers: Cache<AnswerKey, Answer, AnswerWeight>,
    origins: Cache<(String, i64, String), bool, UnitWeighter>,
    tenants: Cache<(String, i64), Arc<Tenant>, UnitWeighter>,
}

impl Default for PublicAnswers {
    fn default() -> Self {
        PublicAnswers {
            clock: AtomicU64::new(1),
            gates: Cache::new(GATES),
            answers: Cache::with_weighter(
                (ANSWER_BYTES / 4096) as usize,
                ANSWER_BYTES,
                AnswerWeight,
            ),
            origins: Cache::new(ORIGINS),
            tenants: Cache::new(GATES),
        }
    }
}

impl PublicAnswers {
    /// The municipality's public version, from a read that started after
    /// this call did (so every write committed before it is counted), or
    /// `None` when there is no such municipality.
    pub async fn version(&self, db: &Db, municipality: &str) -> Result<Option<i64>> {
        if let Some(version) = db.version_in_place(municipality) {
            return Ok(version);
        }
        let arrived = self.clock.fetch_add(1, Ordering::SeqCst);
        let gate = self
            .gates
            .get_or_insert_with(municipality, || {
                Ok::<_, std::convert::Infallible>(Arc::new(Gate {
                    last: watch::Sender::new(Read {
                        started: 0,
                        version: None,
                    }),
                    reading: AtomicBool::new(false),
                }))
            })
            .unwrap_or_else(|never| match never {});
        let mut last = gate.last.subscribe();
        loop {
            let read = *last.borrow_and_update();
            if read.started > arrived {
                return Ok(read.version);
            }
            if !gate.reading.swap(true, Ordering::AcqRel) {
                let reading = Reading(&gate);
                let started = self.clock.fetch_add(1, Ordering::SeqCst);
                let version = read_version(db, municipality).await?;
                reading.finish(Read { started, version });
                return Ok(version);
            }
            // Woken by the read under way (or its end without answer).
            if last.changed().await.is_err() {
                return Err(Error::Internal("a version gate closed".into()));
            }
        }
    }

    /// The version `read` came with or a fresh one; 404 for no such
    /// municipality.
    async fn current(&self, db: &Db, municipality: &str, read: &PublicRead) -> Result<i64> {
        if let Some(known) = read
            .known
            .as_ref()
            .filter(|k| k.municipality == municipality)
        {
            return Ok(known.version);
        }
        self.version(db, municipality).await?.ok_or_else(|| {
            Error::refused_with(
                ErrorCode::NotFound,
                &said::NO_SUCH_MUNICIPALITY,
                &[("slug", &municipality)],
            )
        })
    }

    /// The public answer to `what` in `municipality`: 304 when the client's
    /// `If-None-Match` is current, the bytes kept for this version, or what
    /// `make` answers now (made once for all who ask at once, and kept when
    /// it is a 200 or a 404).
    pub async fn answer<T, F, Fut>(
        &self,
        db: &Db,
        municipality: &str,
        read: PublicRead,
        what: String,
        make: F,
    ) -> Result<Response>
    where
        T: Serialize,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        self.answer_linked(db, municipality, read, what, || async {
            make().await.map(|body| Linked { body, link: None })
        })
        .await
    }

    /// Like [`PublicAnswers::answer`], for an answer with a `Link` header,
    /// which is kept with its body and sent with every 200 of it.
    pub async fn answer_linked<T, F, Fut>(
        &self,
        db: &Db,
        municipality: &str,
        read: PublicRead,
        what: String,
        make: F,
    ) -> Result<Response>
    where
        T: Serialize,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Linked<T>>>,
    {
        let version = self.current(db, municipality, &read).await?;
        let key = AnswerKey {
            municipality: municipality.to_string(),
            version,
            what,
        };
        let etag = etag(&key);
        if read
            .if_none_match
            .as_ref()
            .is_some_and(|sent| matches(sent, &etag))
        {
            return Ok(with_validators(
                StatusCode::NOT_MODIFIED.into_response(),
                etag,
            ));
        }
        let answer = match self.answers.get_value_or_guard_async(&key).await {
            Ok(answer) => answer,
            Err(guard) => {
                let (response, link) = match make().await {
                    Ok(Linked { body, link }) => (Json(body).into_response(), link),
                    Err(error) => (error.into_response(), None),
                };
                let status = response.status();
                if !matches!(status, StatusCode::OK | StatusCode::NOT_FOUND) {
                    // A failure of ours is nobody's answer to keep.
                    return Ok(response);
                }
                let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                    .await
                    .map_err(|e| Error::Internal(format!("an answer's body: {e}")))?;
                let answer = Answer { status, body, link };
                let _ = guard.insert(answer.clone());
                answer
            }
        };
        let mut response = (
            answer.status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            answer.body,
        )
            .into_response();
        if answer.status == StatusCode::OK {
            if let Some(link) = answer.link {
                response.headers_mut().insert(header::LINK, link);
            }
            response = with_validators(response, etag);
        }
        Ok(response)
    }

    /// Whether `origin` may embed `municipality` at `version`, asking
    /// `check` only once per version: an admin's change to the allowed
    /// sites bumps the version, so it holds from the next request on.
    pub async fn origin_allowed<Fut>(
        &self,
        municipality: &str,
        version: i64,
        origin: &str,
        check: Fut,
    ) -> Result<bool>
    where
        Fut: Future<Output = Result<bool>>,
    {
        let key = (municipality.to_string(), version, origin.to_string());
        self.origins.get_or_insert_async(&key, check).await
    }

    /// The municipality — its name, institutions (with their points) and
    /// categories — and the public version it was read at, or 404. Read once
    /// per version: a change to any of them bumps it, and a citizen's write
    /// checks its form against this instead of three queries of its own.
    pub async fn tenant(
        &self,
        db: &Db,
        slug: &str,
        read: &PublicRead,
    ) -> Result<(i64, Arc<Tenant>)> {
        let version = self.current(db, slug, read).await?;
        let tenant = self
            .tenants
            .get_or_insert_async(&(slug.to_string(), version), async {
                let mut conn = db.acquire().await?;
                Ok::<_, Error>(Arc::new(municipality::tenant(&mut conn, slug).await?))
            })
            .await?;
        Ok((version, tenant))
    }

    /// [`PublicAnswers::origin_allowed`] with the allowed sites' table as
    /// the check: whether a page on `origin` may embed `municipality`.
    pub async fn site_allowed(
        &self,
        db: &Db,
        municipality: &str,
        version: i64,
        origin: &str,
    ) -> Result<bool> {
        self.origin_allowed(
            municipality,
            version,
            origin,
            municipality::allows_origin(db, origin, Some(municipality)),
        )
        .await
    }
}

async fn read_version(db: &Db, municipality: &str) -> Result<Option<i64>> {
    let mut conn = db.acquire().await?;
    let version: Option<i64> = db::fetch_scalars(
        &mut conn,
        "SELECT version FROM public_versions WHERE municipality = $1",
        args![municipality],
    )
    .await?
    .into_iter()
    .next();
    Ok(version)
}

/// `W/"<version>-<hash of the question>"`: weak, because two backends may
/// make the answer to one version a moment apart and differ in what came
/// after it; equal versions mean no public write in between.
fn etag(key: &AnswerKey) -> HeaderValue {
    let mut hash = Sha256::new();
    hash.update(key.municipality.as_bytes());
    hash.update([0]);
    hash.update(key.what.as_bytes());
    let digest = hash.finalize();
    let tag = format!("W/\"{}-{}\"", key.version, hex::encode(&digest[..8]));
    HeaderValue::from_str(&tag).unwrap_or_else(|_| HeaderValue::from_static("W/\"0\""))
}

/// `If-None-Match` holds `etag` (weak comparison; `*` or a list).
fn matches(sent: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(sent) = sent.to_str() else {
        return false;
    };
    let ours = etag.to_str().unwrap_or_default().trim_start_matches("W/");
    sent.split(',')
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == ours)
}

fn with_validators(mut response: Response, etag: HeaderValue) -> Response {
    let headers: &mut HeaderMap = response.headers_mut();
    headers.insert(header::ETAG, etag);
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(version: i64, what: &str) -> AnswerKey {
        AnswerKey {
            municipality: "billund".into(),
            version,
            what: what.into(),
        }
    }

    #[test]
    fn an_etag_names_the_version_and_the_question() {
        let a = etag(&key(7, "list?page=1"));
        assert!(a.to_str().unwrap().starts_with("W/\"7-"));
        assert_ne!(a, etag(&key(8, "list?page=1")));
        assert_ne!(a, etag(&key(7, "list?page=2")));
        assert_eq!(a, etag(&key(7, "list?page=1")));
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists() {
        let ours = etag(&key(3, "tenant"));
        let bare = ours.to_str().unwrap().trim_start_matches("W/").to_string();
        for sent in [
            ours.to_str().unwrap().to_string(),
            bare.clone(),
            format!("\"other\", {bare}"),
            "*".to_string(),
        ] {
            assert!(
                matches(&HeaderValue::from_str(&sent).unwrap(), &ours),
                "{sent}"
            );
        }
        let older = etag(&key(2, "tenant"));
        assert!(!matches(&older, &ours));
    }
}
