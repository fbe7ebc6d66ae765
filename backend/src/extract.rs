//! Request extractors whose every rejection is the typed JSON error, never
//! axum's plain-text default.

use crate::said;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use sammen_shared::{ErrorCode, Lang, ReaderLang};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::Error;

/// The largest request body accepted (413 beyond it).
pub const BODY_LIMIT: usize = 64 * 1024;

/// A JSON body, plus a digest of its bytes (for idempotency fingerprints).
/// Refuses a wrong content type (415), an oversized body (413), bytes that
/// are not JSON (400) and JSON of the wrong shape (422, naming the field).
pub struct ApiJson<T> {
    pub value: T,
    pub digest: String,
    /// The body as sent, for fields read beside `value` (see `abuse.rs`).
    pub raw: Bytes,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        if !is_json(request.headers().get(header::CONTENT_TYPE)) {
            return Err(Error::refused(
                ErrorCode::UnsupportedMediaType,
                &said::NOT_JSON,
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(body_error)?;
        let not_json = |error: serde_json::Error| {
            Error::coded(
                ErrorCode::InvalidJson,
                format!("The body is not valid JSON: {error}"),
            )
        };
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let path = error.path().to_string();
            let inner = error.into_inner();
            if inner.is_data() {
                Error::invalid_body(path, inner.to_string())
            } else {
                not_json(inner)
            }
        })?;
        deserializer.end().map_err(not_json)?;
        Ok(ApiJson {
            value,
            digest: hex::encode(Sha256::digest(&bytes)),
            raw: bytes,
        })
    }
}

fn is_json(content_type: Option<&header::HeaderValue>) -> bool {
    let Some(value) = content_type.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mime = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

fn body_error(rejection: BytesRejection) -> Error {
    if timed_out(&rejection) {
        return Error::refused(ErrorCode::RequestTimeout, &said::BODY_LATE);
    }
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        Error::coded(ErrorCode::InvalidJson, rejection.body_text())
    }
}

/// The 413 for a body over `BODY_LIMIT` (also `oversized.rs`).
pub fn too_large() -> Error {
    Error::refused_with(
        ErrorCode::PayloadTooLarge,
        &said::BODY_TOO_LARGE,
        &[("kib", &(BODY_LIMIT / 1024))],
    )
}

/// Whether the body failed because its time was up (`connection.rs`).
fn timed_out(rejection: &BytesRejection) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(rejection);
    while let Some(error) = source {
        if error.is::<crate::connection::BodyTimedOut>() {
            return true;
        }
        source = error.source();
    }
    false
}

/// Query parameters; a malformed one is a 400 naming it.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| ApiQuery(value))
            .map_err(|rejection: QueryRejection| Error::bad_parameter(rejection.body_text()))
    }
}

/// Path parameters; a malformed one (say, an id that is no UUID) is a 400.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| ApiPath(value))
            .map_err(|rejection: PathRejection| Error::bad_parameter(rejection.body_text()))
    }
}

/// The language the reader of the answer asked for in `Accept-Language`:
/// Danish by default, English for a language the server does not speak, a
/// pack's language (`ar`, `uk`) for field errors, refusals and mails.
pub struct RequestLang(pub ReaderLang);

impl<S: Send + Sync> FromRequestParts<S> for RequestLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        Ok(RequestLang(ReaderLang::negotiate(header)))
    }
}

/// The console's language: Danish or English, which is all it speaks (a
/// coordinator whose browser asks for Arabic reads English).
pub struct ConsoleLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ConsoleLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let RequestLang(reader) = RequestLang::from_request_parts(parts, state).await?;
        Ok(ConsoleLang(reader.base()))
    }
}

/// The `Idempotency-Key` header: a UUID the client made for this write.
pub struct IdempotencyKey(pub Option<Uuid>);

pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        let Some(value) = parts.headers.get(IDEMPOTENCY_HEADER) else {
            return Ok(IdempotencyKey(None));
        };
        value
            .to_str()
            .ok()
            .and_then(|text| Uuid::parse_str(text.trim()).ok())
            .map(|key| IdempotencyKey(Some(key)))
            .ok_or_else(|| Error::refused(ErrorCode::InvalidIdempotencyKey, &said::KEY_NOT_UUID))
    }
}

/// The secret of a private link (follow, meeting seat, invitation), sent as `Authorization: Bearer <token>`.
pub struct LinkToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for LinkToken {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(|token| LinkToken(token.trim().to_string()))
            .filter(|token| !token.0.is_empty())
            .ok_or_else(|| Error::refused(ErrorCode::Unauthorized, &said::SEND_SECRET))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_json_content_types() {
        let ok = |v: &str| is_json(Some(&header::HeaderValue::from_str(v).unwrap()));
        assert!(ok("application/json"));
        assert!(ok("Application/JSON; charset=utf-8"));
        assert!(ok("application/merge-patch+json"));
        assert!(!ok("text/plain"));
        assert!(!is_json(None));
    }
}
