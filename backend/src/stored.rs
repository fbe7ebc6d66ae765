//! How values are stored and written back: times as RFC 3339 text, lists as
//! JSON in a TEXT column, counts from the database's signed integers. One
//! place, so every module reads and writes them alike on both databases.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::error::{Error, Result};

/// A time as the API writes it: RFC 3339 in UTC, to the millisecond.
pub fn timestamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A count from the database, never negative, saturating.
pub fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// Reads a JSON list stored in a TEXT column.
pub fn stored_list<T: serde::de::DeserializeOwned>(column: &str, text: &str) -> Result<Vec<T>> {
    serde_json::from_str(text)
        .map_err(|e| Error::Internal(format!("stored {column} unreadable: {e}")))
}

/// The languages of a family as stored (JSON in `signups.family`), for the
/// language of its emails; none when there is no family or it is unreadable.
pub fn family_languages(family: Option<&str>) -> Vec<String> {
    family
        .and_then(|t| serde_json::from_str::<sammen_shared::signup::Family>(t).ok())
        .map(|f| f.languages)
        .unwrap_or_default()
}
