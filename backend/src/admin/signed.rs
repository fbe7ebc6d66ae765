//! Who is signed in: the [`Signed`] extractor every admin route uses — a
//! session cookie (HttpOnly, SameSite=Strict, Secure over https) plus an
//! `X-CSRF-Token` header on every change — and the session cookie itself.
//! Signing in and out is `session.rs`.

use std::net::IpAddr;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use chrono::{DateTime, Utc};
use sammen_shared::admin::{CoordinatorView, Role};
use sammen_shared::ErrorCode;
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::args;
use crate::client_addr::ClientAddr;
use crate::db::{self, Executor};
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::token;

pub const COOKIE: &str = "sammen_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session lasts from sign-in.
pub const SESSION_HOURS: i64 = 8;

/// A signed-in coordinator, checked on every request.
pub struct Signed {
    pub id: Uuid,
    pub municipality: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Assigned institutions; for an admin, all of the municipality's.
    pub institutions: Vec<String>,
    /// Where this request came from, for the audit log.
    pub address: IpAddr,
    // Read by `session.rs` to answer "who am I"; no handler needs them.
    pub(in crate::admin) csrf_token: String,
    pub(in crate::admin) expires_at: DateTime<Utc>,
}

impl Signed {
    /// The audit entry for what this coordinator does to one subject, with
    /// no before or after: add them with struct update syntax
    /// (`Entry { before, ..signed.entry(…) }`) and write it with
    /// `audit::record` in the change's transaction.
    pub fn entry<'a>(
        &'a self,
        action: &'a str,
        subject_type: &'a str,
        subject_id: impl ToString,
    ) -> crate::audit::Entry<'a> {
        crate::audit::Entry {
            municipality: &self.municipality,
            actor_id: Some(self.id),
            address: Some(self.address),
            actor: &self.email,
            action,
            subject_type,
            subject_id: Some(subject_id.to_string()),
            before: None,
            after: None,
        }
    }

    /// Writes what this coordinator did (`after`) to the audit log, in
    /// `ex`'s transaction.
    pub async fn record(
        &self,
        ex: &mut impl Executor,
        action: &str,
        subject_type: &str,
        subject_id: impl ToString,
        after: serde_json::Value,
    ) -> Result<()> {
        let entry = crate::audit::Entry {
            after: Some(after),
            ..self.entry(action, subject_type, subject_id)
        };
        crate::audit::record(ex, entry).await
    }

    /// Whether this coordinator may see records of `institution` (`None`:
    /// the municipality's own, which only admins see).
    pub fn can_see(&self, institution: Option<&str>) -> bool {
        match (self.role, institution) {
            (Role::Admin, _) => true,
            (Role::Coordinator, Some(slug)) => self.institutions.iter().any(|i| i == slug),
            (Role::Coordinator, None) => false,
        }
    }

    /// Refuses (403) what only a municipality admin may do.
    pub fn require_admin(&self) -> Result<()> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(Error::coded(
                ErrorCode::Forbidden,
                "Only a municipality admin may do this.",
            ))
        }
    }

    pub fn view(&self) -> CoordinatorView {
        CoordinatorView {
            id: self.id,
            municipality: self.municipality.clone(),
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role,
            institutions: self.institutions.clone(),
            active: true,
        }
    }
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: Uuid,
    municipality: String,
    email: String,
    name: String,
    role: String,
    csrf_token: String,
    expires_at: DateTime<Utc>,
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let token = cookie(&parts.headers, COOKIE)
            .ok_or_else(|| Error::unauthorized("Sign in to use the console."))?;
        let mut conn = state.db.acquire().await?;
        let row: Option<SessionRow> = db::fetch_optional(
            &mut conn,
            "SELECT c.id, c.municipality, c.email, c.name, c.role, s.csrf_token, s.expires_at \
             FROM sessions s JOIN coordinators c ON c.id = s.coordinator_id \
             WHERE s.token_hash = $1 AND c.active = $2",
            args![token::hash(&token), true],
        )
        .await?;
        let row = row
            .filter(|row| row.expires_at > Utc::now())
            .ok_or_else(|| Error::unauthorized("The session has ended; sign in again."))?;
        if !parts.method.is_safe() {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .map(|v| v.as_bytes())
                .unwrap_or_default();
            if !bool::from(sent.ct_eq(row.csrf_token.as_bytes())) {
                return Err(Error::coded(
                    ErrorCode::CsrfFailed,
                    "Send the session's X-CSRF-Token header with every change.",
                ));
            }
        }
        let role = Role::parse(&row.role)
            .ok_or_else(|| Error::Internal(format!("unknown role '{}' stored", row.role)))?;
        let institutions = institutions_of(&mut conn, row.id, &row.municipality, role).await?;
        Ok(Signed {
            id: row.id,
            municipality: row.municipality,
            email: row.email,
            name: row.name,
            role,
            institutions,
            address: ClientAddr::of(&parts.extensions),
            csrf_token: row.csrf_token,
            expires_at: row.expires_at,
        })
    }
}

/// The institutions a coordinator works with; for an admin, all of the
/// municipality's.
pub async fn institutions_of(
    ex: &mut impl Executor,
    coordinator: Uuid,
    municipality: &str,
    role: Role,
) -> Result<Vec<String>> {
    Ok(match role {
        Role::Admin => {
            db::fetch_scalars(
                ex,
                "SELECT slug FROM institutions WHERE municipality = $1 ORDER BY slug",
                args![municipality],
            )
            .await?
        }
        Role::Coordinator => {
            db::fetch_scalars(
                ex,
                "SELECT institution FROM coordinator_institutions WHERE coordinator_id = $1 \
                 ORDER BY institution",
                args![coordinator],
            )
            .await?
        }
    })
}

/// The value of one cookie of the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

/// The session cookie: HttpOnly, SameSite=Strict, Secure over https.
pub fn session_cookie(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text =
        format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Forgets ended sessions; returns how many.
pub async fn forget_ended(db: &crate::db::Db) -> Result<u64> {
    let mut conn = db.acquire().await?;
    Ok(db::execute(
        &mut conn,
        "DELETE FROM sessions WHERE expires_at < $1",
        args![Utc::now()],
    )
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_cookie_among_several() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; sammen_session=abc; b=2"),
        );
        assert_eq!(cookie(&headers, COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, "c"), None);
    }

    #[test]
    fn the_session_cookie_is_httponly_and_strict() {
        let value = session_cookie("abc", 60, true);
        let text = value.to_str().unwrap();
        assert!(
            text.contains("HttpOnly")
                && text.contains("SameSite=Strict")
                && text.ends_with("Secure")
        );
        assert!(!session_cookie("abc", 60, false)
            .to_str()
            .unwrap()
            .contains("Secure"));
    }
}
