//! Drafts in the browser's localStorage, so that what a citizen typed
//! survives a reload or a dropped connection.
//!
//! A form's draft is a flat map, field name → text, the same for every
//! form: one reader and one writer of one map type is all the wasm holds,
//! instead of a JSON reader per form type.

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::fields::Fields;
use crate::json;

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

    /// The follow token: this tab's, else one remembered on this device.
    pub fn follow(&self) -> Option<String> {
        let key = self.key(FOLLOW);
        [session(), storage()]
            .into_iter()
            .flatten()
            .find_map(|s| s.get_item(&key).ok().flatten())
            // Older versions stored it as a JSON string.
            .map(|token| token.trim_matches('"').to_string())
    }

    /// Keeps the follow token for this tab (a shared library PC forgets it
    /// when the browser closes), and on this device only when `remember`.
    pub fn keep_follow(&self, token: &str, remember: bool) {
        let key = self.key(FOLLOW);
        if let Some(session) = session() {
            let _ = session.set_item(&key, token);
        }
        if let Some(device) = storage() {
            let _ = if remember {
                device.set_item(&key, token)
            } else {
                device.remove_item(&key)
            };
        }
    }

    /// Forgets this device: the follow token and the drafts `names`, in
    /// both storages (not the queue of forms not yet sent).
    pub fn forget_device(&self, names: &[&str]) {
        for storage in [session(), storage()].into_iter().flatten() {
            for name in names.iter().chain([&FOLLOW]) {
                let _ = storage.remove_item(&self.key(name));
            }
        }
    }
}

/// The name the follow token is kept under.
const FOLLOW: &str = "follow";

/// When the form was first shown (ms since the epoch), kept in the draft.
const SHOWN: &str = "_shown";
/// What the draft is about (an initiative's id for a signup), so a draft
/// for one initiative never fills the form of another.
const SCOPE: &str = "_scope";

/// One form's draft: its saved text, to start the form's fields from.
pub struct FormDraft {
    drafts: Drafts,
    name: &'static str,
    saved: Fields,
}

impl FormDraft {
    /// The draft `name` about `scope`, or a fresh one shown now.
    pub fn open(drafts: &Drafts, name: &'static str, scope: &str) -> FormDraft {
        let mut saved: Fields = drafts.load(name).unwrap_or_default();
        if saved.get(SCOPE).map(String::as_str) != Some(scope) {
            saved = Fields::new();
            saved.insert(SCOPE.to_string(), scope.to_string());
            saved.insert(SHOWN.to_string(), now().to_string());
        }
        FormDraft {
            drafts: drafts.clone(),
            name,
            saved,
        }
    }

    /// A field's saved text, if the draft has the field.
    pub fn get(&self, field: &str) -> Option<String> {
        self.saved.get(field).cloned()
    }

    /// A text field's signal, starting from the draft.
    pub fn text(&self, field: &str) -> RwSignal<String> {
        RwSignal::new(self.get(field).unwrap_or_default())
    }

    /// A checkbox's signal, starting from the draft.
    pub fn flag(&self, field: &str) -> RwSignal<bool> {
        RwSignal::new(self.get(field).is_some_and(|v| !v.is_empty()))
    }

    /// When the form was first shown, even before a reload.
    pub fn shown(&self) -> u64 {
        self.get(SHOWN)
            .and_then(|ms| ms.parse().ok())
            .unwrap_or_else(now)
    }

    /// Saves `fields()` (name, text) whenever a signal it reads changes, so
    /// a reload loses nothing.
    pub fn keep(self, fields: impl Fn() -> Vec<(String, String)> + 'static) {
        let FormDraft {
            drafts,
            name,
            saved,
        } = self;
        let fixed: Vec<(String, String)> = saved
            .into_iter()
            .filter(|(key, _)| key == SHOWN || key == SCOPE)
            .collect();
        Effect::new(move |_| {
            let mut all = Fields::new();
            for (key, value) in fields().into_iter().chain(fixed.iter().cloned()) {
                all.insert(key, value);
            }
            drafts.save(name, &all);
        });
    }
}

/// Drops the draft `name` once what it became has arrived, unless it is by
/// now a draft about something else (the signup for another initiative).
pub fn discard(drafts: &Drafts, name: &str, scope: &str) {
    let saved: Option<Fields> = drafts.load(name);
    if saved.is_some_and(|saved| saved.get(SCOPE).is_some_and(|s| s == scope)) {
        drafts.remove(name);
    }
}

/// Pairs a form's text signals with their field names, for [`FormDraft::keep`].
pub fn texts(fields: &[(&str, RwSignal<String>)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(name, value)| (name.to_string(), value.get()))
        .collect()
}

/// A checkbox as draft text: empty when not ticked.
pub fn flag_text(on: bool) -> String {
    if on { "1" } else { "" }.to_string()
}

/// The language the reader chose in the widget on this device, for every
/// municipality's widget on this site; not personal data.
const CHOSEN_LANGUAGE: &str = "sammen:lang";

pub fn chosen_language() -> Option<String> {
    storage()?.get_item(CHOSEN_LANGUAGE).ok()?
}

pub fn keep_language(code: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(CHOSEN_LANGUAGE, code);
    }
}

/// Milliseconds since the epoch.
pub fn now() -> u64 {
    js_sys::Date::now() as u64
}

fn storage() -> Option<web_sys::Storage> {
    // Access can throw (storage disabled for third-party frames): treat as absent.
    web_sys::window()?.local_storage().ok()?
}

/// This tab's storage: gone when the browser closes.
fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}
