//! The audit log: every decision, edit, sign-in and export, with who, when
//! and the state before and after. Written in the transaction of what it
//! records, by the console's handlers, a citizen's erasure and the retention
//! job alike; no route changes or deletes it (`admin/audit_log.rs` reads it).

use std::net::IpAddr;

use chrono::Utc;
use uuid::Uuid;

use crate::args;
use crate::db::{self, Executor};
use crate::error::Result;

/// What happened, to record.
pub struct Entry<'a> {
    pub municipality: &'a str,
    pub actor_id: Option<Uuid>,
    /// The coordinator's client address (`client_addr.rs`); `None` for
    /// citizens and jobs, whose addresses we do not keep.
    pub address: Option<IpAddr>,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl<'a> Entry<'a> {
    /// What someone without an account did (a citizen by a private link, a
    /// job): no actor id and no address. Add `before`/`after` with struct
    /// update syntax. A coordinator's entry is `Signed::entry`.
    pub fn unsigned(
        municipality: &'a str,
        actor: &'a str,
        action: &'a str,
        subject_type: &'a str,
        subject_id: impl ToString,
    ) -> Entry<'a> {
        Entry {
            municipality,
            actor_id: None,
            address: None,
            actor,
            action,
            subject_type,
            subject_id: Some(subject_id.to_string()),
            before: None,
            after: None,
        }
    }
}

/// Writes one entry.
pub async fn record(ex: &mut impl Executor, entry: Entry<'_>) -> Result<()> {
    db::execute(
        ex,
        "INSERT INTO audit_log (id, municipality, actor_id, actor, action, subject_type, \
         subject_id, before_state, after_state, created_at, client_address) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        args![
            Uuid::new_v4(),
            entry.municipality,
            entry.actor_id,
            entry.actor,
            entry.action,
            entry.subject_type,
            entry.subject_id,
            entry.before.map(|v| v.to_string()),
            entry.after.map(|v| v.to_string()),
            Utc::now(),
            entry.address.map(|a| a.to_string()),
        ],
    )
    .await?;
    Ok(())
}
