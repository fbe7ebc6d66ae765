//! Idempotent citizen writes. The first response to an `Idempotency-Key` is
//! stored in the same transaction as the write it answers, so a retry (or two
//! racing retries) gets that response back and the write happens once.
//!
//! The key row is the transaction's first write: a racing request with the
//! same key blocks on it (PostgreSQL's unique index, SQLite's write lock)
//! until the first commits, then finds the stored response.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use sammen_shared::ErrorCode;
use serde::Serialize;
use uuid::Uuid;

use crate::args;
use crate::db::{self, Db, Tx};
use crate::error::{Error, Result};

/// How long a stored response is replayed; older keys are forgotten.
pub const KEEP_FOR: Duration = Duration::hours(24);

/// A write that may have been done before.
pub enum Start {
    /// The key was seen: answer with the first response.
    Replay(Response),
    /// Do the write in this transaction, then [`finish`] it.
    Fresh(Write),
}

/// A write in progress: its transaction and, if given, its key.
pub struct Write {
    pub tx: Tx,
    key: Option<Uuid>,
}

#[derive(sqlx::FromRow)]
struct Stored {
    fingerprint: String,
    status_code: Option<i64>,
    response: Option<String>,
}

/// Starts a write. `fingerprint` identifies the request (method, path, body
/// digest); the same key with another fingerprint is refused with 422.
pub async fn start(db: &Db, key: Option<Uuid>, fingerprint: &str) -> Result<Start> {
    let mut tx = db.begin().await?;
    let Some(key) = key else {
        return Ok(Start::Fresh(Write { tx, key: None }));
    };
    let inserted = db::execute(
        &mut tx,
        "INSERT INTO idempotency (key, fingerprint, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO NOTHING",
        args![key, fingerprint, Utc::now()],
    )
    .await?;
    if inserted == 1 {
        return Ok(Start::Fresh(Write { tx, key: Some(key) }));
    }
    drop(tx);
    let mut conn = db.acquire().await?;
    let stored: Option<Stored> = db::fetch_optional(
        &mut conn,
        "SELECT fingerprint, status_code, response FROM idempotency WHERE key = $1",
        args![key],
    )
    .await?;
    let Some(stored) = stored else {
        // The first attempt rolled back between our insert and this read.
        return Err(Error::conflict(
            "The first request with this key failed; retry it.",
        ));
    };
    if stored.fingerprint != fingerprint {
        return Err(Error::with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::IdempotencyKeyReused,
            "This Idempotency-Key was used for a different request; make a new key.",
        ));
    }
    match (stored.status_code, stored.response) {
        (Some(status), Some(body)) => Ok(Start::Replay(replay(status, body))),
        _ => Err(Error::conflict(
            "A request with this key is still being processed; retry.",
        )),
    }
}

/// Stores the response under the key (if any) and commits the write.
pub async fn finish<T: Serialize>(write: Write, status: StatusCode, body: &T) -> Result<Response> {
    let Write { mut tx, key } = write;
    let json = serde_json::to_string(body)?;
    if let Some(key) = key {
        db::execute(
            &mut tx,
            "UPDATE idempotency SET status_code = $1, response = $2 WHERE key = $3",
            args![i64::from(status.as_u16()), json.clone(), key],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(json_response(status, json, false))
}

/// Forgets keys older than [`KEEP_FOR`]; returns how many.
pub async fn forget_old(db: &Db) -> Result<u64> {
    let mut conn = db.acquire().await?;
    let cutoff = Utc::now() - KEEP_FOR;
    Ok(db::execute(
        &mut conn,
        "DELETE FROM idempotency WHERE created_at < $1",
        args![cutoff],
    )
    .await?)
}

fn replay(status: i64, body: String) -> Response {
    let status = u16::try_from(status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    json_response(status, body, true)
}

fn json_response(status: StatusCode, body: String, replayed: bool) -> Response {
    let mut response = (
        status,
        [(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response();
    if replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}

/// The fingerprint of a request: what it does and to what.
pub fn fingerprint(method: &str, path: &str, body_digest: &str) -> String {
    format!("{method} {path} {body_digest}")
}
