//! Idempotent citizen writes. The first response to an `Idempotency-Key` is
//! stored in the same transaction as the write it answers, so a retry (or two
//! racing retries) gets that response back and the write happens once.
//!
//! The key row is the transaction's first write: a racing request with the
//! same key blocks on it (PostgreSQL's unique index, SQLite's write lock —
//! or, in this process, the writer's turn) until the first has written its
//! answer, then finds the stored response, and replays it once the first
//! write is committed.
//!
//! The table keeps no secret anyone but the client could read: a stored
//! answer (which may hold a fresh follow or private token, and the contact
//! data a citizen may erase a minute later) is encrypted (ChaCha20-Poly1305)
//! with a key derived from the `Idempotency-Key`, and the row is found by a
//! hash of that key, never the key itself. Only the client that holds the key
//! — the one who may replay — can have the answer back.

use crate::said;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use sammen_shared::ErrorCode;
use serde::Serialize;
use uuid::Uuid;

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::args;
use crate::db::{self, Db, Kind, Tx};
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

/// A write in progress: its transaction, its key if given, and its answer
/// when it was known (and stored) before the write began.
pub struct Write {
    pub tx: Tx,
    key: Option<Uuid>,
    answered: Option<(StatusCode, String)>,
    /// Where to find the first answer if the key turns out taken at the
    /// commit (a PostgreSQL write sent whole then, see [`begin`]), and
    /// this request's fingerprint to check it against.
    taken: Option<(Db, String)>,
}

#[derive(sqlx::FromRow)]
struct Stored {
    fingerprint: String,
    status_code: Option<i64>,
    response: Option<String>,
}

/// The row's id for a client's key: the first 128 bits of a hash of it, so
/// the table holds nothing to derive the answer's key from — except that a
/// key made from the time (a UUID v7, as the widget and Sammen's pages make
/// them) keeps its time, the first 48 bits, in front of the hash: the index
/// on the row's id then grows at its end instead of taking each write on a
/// random page of it (`token.rs` says what that costs). The time is no
/// secret: the row's `created_at` holds it too.
fn lookup(key: Uuid) -> Uuid {
    let digest = row_digest(key);
    let mut id = [0u8; 16];
    match key.get_version() {
        Some(uuid::Version::SortRand) => {
            id[..6].copy_from_slice(&key.as_bytes()[..6]);
            id[6..].copy_from_slice(&digest[..10]);
        }
        _ => id.copy_from_slice(&digest[..16]),
    }
    Uuid::from_bytes(id)
}

/// The row a UUID v7 key had before its time went in front ([`lookup`]):
/// a retry across the upgrade finds its first answer there. `None` for
/// other keys, whose row did not move.
fn lookup_before(key: Uuid) -> Option<Uuid> {
    (key.get_version() == Some(uuid::Version::SortRand)).then(|| {
        let mut id = [0u8; 16];
        id.copy_from_slice(&row_digest(key)[..16]);
        Uuid::from_bytes(id)
    })
}

fn row_digest(key: Uuid) -> [u8; 32] {
    Sha256::digest([b"sammen-idempotency-row\0".as_slice(), key.as_bytes()].concat()).into()
}

/// The cipher that seals the answer to `key`.
fn cipher(key: Uuid) -> ChaCha20Poly1305 {
    let digest =
        Sha256::digest([b"sammen-idempotency-answer\0".as_slice(), key.as_bytes()].concat());
    ChaCha20Poly1305::new(Key::from_slice(&digest))
}

/// Stored answers start with this, then the nonce and ciphertext in hex.
const SEALED: &str = "v1:";

fn seal(key: Uuid, json: &str) -> Result<String> {
    let mut nonce = [0u8; 12];
    OsRng.fill_bytes(&mut nonce);
    let sealed = cipher(key)
        .encrypt(Nonce::from_slice(&nonce), json.as_bytes())
        .map_err(|_| Error::Internal("cannot seal the stored answer".into()))?;
    Ok(format!(
        "{SEALED}{}{}",
        hex::encode(nonce),
        hex::encode(sealed)
    ))
}

fn open(key: Uuid, stored: &str) -> Result<String> {
    let Some(sealed) = stored.strip_prefix(SEALED) else {
        // Stored before answers were sealed (within the last 24 h of an upgrade).
        return Ok(stored.to_string());
    };
    let bytes =
        hex::decode(sealed).map_err(|_| Error::Internal("a stored answer is damaged".into()))?;
    if bytes.len() < 12 {
        return Err(Error::Internal("a stored answer is damaged".into()));
    }
    let (nonce, ciphertext) = bytes.split_at(12);
    let json = cipher(key)
        .decrypt(Nonce::from_slice(nonce), ciphertext)
        .map_err(|_| Error::Internal("a stored answer does not open".into()))?;
    String::from_utf8(json).map_err(|_| Error::Internal("a stored answer is damaged".into()))
}

/// Starts a write. `fingerprint` identifies the request (method, path, body
/// digest); the same key with another fingerprint is refused with 422.
pub async fn start(db: &Db, key: Option<Uuid>, fingerprint: &str) -> Result<Start> {
    begin(db, key, fingerprint, None).await
}

/// [`start`] for a write whose answer is known before it begins (made of
/// ids and tokens drawn up front): the answer is stored with the key in
/// the transaction's first statement, one statement fewer in a write's
/// turn at SQLite's one writer; end it with [`finish_answered`].
pub async fn start_answered<T: Serialize>(
    db: &Db,
    key: Option<Uuid>,
    fingerprint: &str,
    status: StatusCode,
    body: &T,
) -> Result<Start> {
    let json = serde_json::to_string(body)?;
    begin(db, key, fingerprint, Some((status, json))).await
}

async fn begin(
    db: &Db,
    key: Option<Uuid>,
    fingerprint: &str,
    answered: Option<(StatusCode, String)>,
) -> Result<Start> {
    let Some(key) = key else {
        let tx = db.begin().await?;
        return Ok(Start::Fresh(Write {
            tx,
            key: None,
            answered,
            taken: None,
        }));
    };
    let row = lookup(key);
    // Sealed before the write's turn, which is short.
    let (status_code, sealed) = match &answered {
        Some((status, json)) => (Some(i64::from(status.as_u16())), Some(seal(key, json)?)),
        None => (None, None),
    };
    // Not where the key's first try went, if an earlier version stored a
    // v7 key the old way (for other keys `before` is the row itself).
    let before = lookup_before(key).unwrap_or(row);
    if answered.is_some() && db.kind() == Kind::Postgres {
        let mut tx = db.begin_inserts().await?;
        // Sent with the write's inserts as one statement at its commit
        // (`db::PgWrite`). A key seen before — in its row, or in the row
        // an earlier version gave it — fails that statement on the key's
        // unique index, and nothing of it is written; a racing first try
        // is waited for there. [`finish_answered`] then replays.
        tx.first_later(
            "INSERT INTO idempotency (key, fingerprint, created_at, status_code, response) \
             VALUES (CASE WHEN EXISTS (SELECT 1 FROM idempotency WHERE key = $6) \
             THEN $6 ELSE $1 END, $2, $3, $4, $5)",
            args![row, fingerprint, Utc::now(), status_code, sealed, before],
        )
        .await?;
        return Ok(Start::Fresh(Write {
            tx,
            key: Some(key),
            answered,
            taken: Some((db.clone(), fingerprint.to_string())),
        }));
    }
    let mut tx = db.begin().await?;
    // A read (RETURNING) rather than a count of changed rows: on SQLite
    // a write's first statement carries its SAVEPOINT in the same call
    // (`sqlite_writer.rs`), and a count would include that statement's.
    let inserted: Vec<i64> = db::fetch_scalars(
        &mut tx,
        "INSERT INTO idempotency (key, fingerprint, created_at, status_code, response) \
         SELECT $1, $2, $3, $4, $5 \
         WHERE NOT EXISTS (SELECT 1 FROM idempotency WHERE key = $6) \
         ON CONFLICT (key) DO NOTHING RETURNING CAST(1 AS BIGINT)",
        args![row, fingerprint, Utc::now(), status_code, sealed, before],
    )
    .await?;
    if !inserted.is_empty() {
        return Ok(Start::Fresh(Write {
            tx,
            key: Some(key),
            answered,
            taken: None,
        }));
    }
    // Read through the same transaction: on SQLite the first attempt may
    // be in the writer's batch still, seen here and nowhere else yet; and
    // the replay is sent only once that batch has committed (this empty
    // write commits with it), so no answer is replayed that could be lost.
    let stored = stored_answer(&mut tx, key).await?;
    tx.commit().await?;
    first_answer(stored, key, fingerprint).map(Start::Replay)
}

/// What was stored under `key`, in its row or where an earlier version
/// kept a v7 key's.
async fn stored_answer(ex: &mut impl db::Executor, key: Uuid) -> Result<Option<Stored>> {
    let row = lookup(key);
    Ok(db::fetch_optional(
        ex,
        "SELECT fingerprint, status_code, response FROM idempotency WHERE key IN ($1, $2)",
        args![row, lookup_before(key).unwrap_or(row)],
    )
    .await?)
}

/// The first answer to `key`, replayed, when this request is the same.
fn first_answer(stored: Option<Stored>, key: Uuid, fingerprint: &str) -> Result<Response> {
    let Some(stored) = stored else {
        // The first attempt rolled back between our insert and this read.
        return Err(Error::refused(ErrorCode::Conflict, &said::FIRST_TRY_FAILED));
    };
    if stored.fingerprint != fingerprint {
        return Err(Error::refused(
            ErrorCode::IdempotencyKeyReused,
            &said::KEY_REUSED,
        ));
    }
    match (stored.status_code, stored.response) {
        (Some(status), Some(body)) => Ok(replay(status, open(key, &body)?)),
        _ => Err(Error::refused(ErrorCode::Conflict, &said::STILL_WORKING)),
    }
}

/// Stores the response under the key (if any) and commits the write.
pub async fn finish<T: Serialize>(write: Write, status: StatusCode, body: &T) -> Result<Response> {
    let Write { mut tx, key, .. } = write;
    let json = serde_json::to_string(body)?;
    if let Some(key) = key {
        db::execute(
            &mut tx,
            "UPDATE idempotency SET status_code = $1, response = $2 WHERE key = $3",
            args![i64::from(status.as_u16()), seal(key, &json)?, lookup(key)],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(json_response(status, json, false))
}

/// Commits a write begun with [`start_answered`] and sends its answer —
/// or the first answer to its key, if the commit found the key taken.
pub async fn finish_answered(write: Write) -> Result<Response> {
    let Write {
        tx,
        key,
        answered,
        taken,
    } = write;
    let Some((status, json)) = answered else {
        return Err(Error::Internal(
            "a write without its answer was finished as answered".into(),
        ));
    };
    match (tx.commit().await, key, taken) {
        (Ok(()), ..) => Ok(json_response(status, json, false)),
        (Err(error), Some(key), Some((db, fingerprint))) if key_taken(&error) => {
            // The row that failed the statement was committed before the
            // failure was reported: the first answer is there to read.
            let mut conn = db.acquire().await?;
            let stored = stored_answer(&mut conn, key).await?;
            first_answer(stored, key, &fingerprint)
        }
        (Err(error), ..) => Err(error.into()),
    }
}

/// The statement failed on the key's unique index: it was used before.
fn key_taken(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e)
        if e.is_unique_violation() && e.constraint() == Some("idempotency_pkey"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_answer_opens_only_with_its_key() {
        let key = Uuid::new_v4();
        let answer = r#"{"follow_token":"f0110w"}"#;
        let sealed = seal(key, answer).unwrap();
        assert!(sealed.starts_with(SEALED) && !sealed.contains("f0110w"));
        assert_eq!(open(key, &sealed).unwrap(), answer);
        assert!(open(Uuid::new_v4(), &sealed).is_err());
        assert_ne!(lookup(key), key);
        assert_eq!(
            open(key, answer).unwrap(),
            answer,
            "plain, from before sealing"
        );
    }

    #[test]
    fn a_time_ordered_key_keeps_its_time_in_front_of_its_row() {
        let (first, second) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(lookup(first).as_bytes()[..6], first.as_bytes()[..6]);
        assert_ne!(lookup(first).as_bytes()[6..], first.as_bytes()[6..]);
        assert!(lookup(first) <= lookup(second) || first.as_bytes()[..6] == second.as_bytes()[..6]);
        let before = lookup_before(first).expect("a v7 key's row moved");
        assert_ne!(before, lookup(first));
        assert_eq!(before.as_bytes()[..], row_digest(first)[..16]);
        // Other keys stay where they were.
        let random = Uuid::new_v4();
        assert_eq!(lookup_before(random), None);
        assert_eq!(lookup(random).as_bytes()[..], row_digest(random)[..16]);
    }
}
