//! Drafts in the browser's localStorage, so that what a citizen typed
//! survives a reload or a dropped connection, together with the idempotency
//! key of a submission that has not been confirmed yet (a resend must reuse
//! it, or the server would create a duplicate).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::json;

/// A form's content and the state of its submission.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft<T> {
    pub body: T,
    /// Set when the citizen pressed send; cleared when the server confirmed.
    #[serde(default)]
    pub key: Option<String>,
    /// Sending failed for want of a connection: send again when online.
    #[serde(default)]
    pub queued: bool,
}

/// The widget's corner of localStorage, one per municipality, so two widgets
/// on one site do not mix their drafts.
#[derive(Debug, Clone, PartialEq)]
pub struct Drafts {
    prefix: String,
}

impl Drafts {
    pub fn new(municipality: &str) -> Drafts {
        Drafts {
            prefix: format!("sammen:{municipality}:"),
        }
    }

    pub fn load<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        let raw = storage()?.get_item(&self.key(name)).ok()??;
        json::from_str(&raw)
    }

    /// Saves quietly: without storage (private mode, full quota) the widget
    /// still works, it just forgets on reload.
    pub fn save<T: Serialize>(&self, name: &str, value: &T) {
        let json = json::to_string(value);
        if let (Some(storage), Some(json)) = (storage(), json) {
            let _ = storage.set_item(&self.key(name), &json);
        }
    }

    pub fn remove(&self, name: &str) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(&self.key(name));
        }
    }

    fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }
}

fn storage() -> Option<web_sys::Storage> {
    // Access can throw (storage disabled for third-party frames): treat as absent.
    web_sys::window()?.local_storage().ok()?
}
