//! A citizen's public form (propose, join, offer): what every one of them
//! reads before its own rules — the idempotency key, the JSON body as typed
//! and as sent, and this request's route for the fingerprint of a retry — in
//! one extractor, and the two steps they share: the screen (honeypot, fill
//! time, consent version: `abuse.rs`) and the start of the write.
//!
//! The fingerprint is taken from the request itself (its method and
//! percent-decoded path), so no handler retypes its route: a retry of
//! `/municipalities/bill%75nd/…` is the same request as `/municipalities/billund/…`.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use percent_encoding::percent_decode_str;
use sammen_shared::consent::ConsentForm;
use sammen_shared::ReaderLang;
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

use crate::abuse;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::extract::{ApiJson, IdempotencyKey};
use crate::idempotency::{self, Start};

/// The form as typed (`value`), with what its screen and its write need.
pub struct PublicForm<T> {
    pub value: T,
    body: ApiJson<()>,
    key: Option<Uuid>,
    method: String,
    path: String,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for PublicForm<T> {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        let (mut parts, body) = request.into_parts();
        // The key's 400 comes before the body's errors, as it always did.
        let IdempotencyKey(key) = IdempotencyKey::from_request_parts(&mut parts, state).await?;
        let method = parts.method.to_string();
        let path = percent_decode_str(parts.uri.path())
            .decode_utf8_lossy()
            .into_owned();
        let json = ApiJson::<T>::from_request(Request::from_parts(parts, body), state).await?;
        Ok(PublicForm {
            value: json.value,
            body: ApiJson {
                value: (),
                digest: json.digest,
                raw: json.raw,
            },
            key,
            method,
            path,
        })
    }
}

impl<T> PublicForm<T> {
    /// The honeypot, the fill time and the consent version of `form`: the
    /// consent version the citizen agreed to, or the refusal.
    pub fn screen(&self, form: ConsentForm, min_fill_ms: u64, lang: ReaderLang) -> Result<String> {
        abuse::screen(&self.body.raw, form, min_fill_ms, lang)
    }

    /// Opens the write, or replays the answer this key got for this very
    /// request before.
    pub async fn start(&self, db: &Db) -> Result<Start> {
        let fingerprint = idempotency::fingerprint(&self.method, &self.path, &self.body.digest);
        idempotency::start(db, self.key, &fingerprint).await
    }

    /// [`PublicForm::start`] for a write whose answer is known before it
    /// begins (see [`idempotency::start_answered`]).
    pub async fn start_answered<A: Serialize>(
        &self,
        db: &Db,
        status: StatusCode,
        answer: &A,
    ) -> Result<Start> {
        let fingerprint = idempotency::fingerprint(&self.method, &self.path, &self.body.digest);
        idempotency::start_answered(db, self.key, &fingerprint, status, answer).await
    }
}
