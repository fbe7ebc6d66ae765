//! The widget's side of the public API: one function per endpoint, each
//! returning the typed answer or an [`ApiFailure`] the views can word.
//!
//! Answers are parsed by the browser (`Response.json()`) and read into our
//! types by [`crate::json`]; serde_json's parser for every type cost the
//! widget a third of its budget. All HTTP goes through one non-generic
//! [`Api::call`], so the request code exists once in the wasm.

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sammen_shared::follow::{EditProposal, NewMessage, Resubmit};
use sammen_shared::ErrorCode;
use serde::Deserialize;

use crate::fields::Fields;
use uuid::Uuid;
use wasm_bindgen::JsValue;

use crate::config::{encode, Config};
use crate::i18n::Lang;
use crate::json;

/// Why a call did not give its answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// No answer at all: offline, server down, or CORS refused. Worth retrying.
    Unreachable,
    /// The server refused, with its typed error when it sent one.
    Refused {
        status: u16,
        code: Option<ErrorCode>,
        message: Option<String>,
        /// Field path → message, already in the requested language.
        fields: Fields,
    },
    /// An answer we could not read (a proxy's HTML page, say).
    Garbled,
}

impl ApiFailure {
    /// Whether sending the same request again later may work.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiFailure::Unreachable => true,
            ApiFailure::Refused { status, .. } => *status == 429 || *status >= 500,
            ApiFailure::Garbled => false,
        }
    }

    /// The per-field messages of a validation failure (empty otherwise).
    pub fn fields(&self) -> Fields {
        match self {
            ApiFailure::Refused { fields, .. } => fields.clone(),
            _ => Fields::new(),
        }
    }
}

/// The public API of one municipality, spoken in one language.
#[derive(Debug, Clone)]
pub struct Api {
    config: Config,
    lang: Lang,
}

/// The filters of the initiative list the widget offers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListFilter {
    pub institution: Option<String>,
    pub category: Option<String>,
    pub near: Option<(f64, f64)>,
    /// What came of it: completed initiatives instead of running ones.
    pub results: bool,
}

impl Api {
    pub fn new(config: Config, lang: Lang) -> Api {
        Api { config, lang }
    }

    pub fn municipality(&self) -> Fetch {
        self.get(self.config.municipality_url(), None)
    }

    pub fn initiatives(&self, filter: &ListFilter) -> Fetch {
        let mut url = format!("{}/initiatives?per_page=50", self.config.municipality_url());
        let mut param = |key: &str, value: &str| {
            url.push('&');
            url.push_str(key);
            url.push('=');
            url.push_str(&encode(value));
        };
        if let Some(institution) = &filter.institution {
            param("institution", institution);
        }
        if let Some(category) = &filter.category {
            param("category", category);
        }
        if filter.results {
            param("results", "true");
        }
        if let Some((lat, lon)) = filter.near {
            // JS formats the numbers: Rust's float formatting would add
            // ~20 KB of wasm for two query parameters.
            param("lat", &number(lat));
            param("lon", &number(lon));
        }
        self.get(url, None)
    }

    pub fn initiative(&self, id: Uuid) -> Fetch {
        self.get(
            format!("{}/initiatives/{id}", self.config.municipality_url()),
            None,
        )
    }

    /// The proposer's view through their follow token.
    pub fn follow(&self, token: &str) -> Fetch {
        self.get(self.follow_url(""), Some(token.to_string()))
    }

    fn get(&self, url: String, token: Option<String>) -> Fetch {
        Fetch {
            api: self.clone(),
            url,
            token,
        }
    }

    /// Sends a public form's JSON `body` to `path` below the municipality's
    /// root (`initiatives`, `offers`, …); `key` makes a resend return the
    /// first answer.
    pub fn submit(&self, path: &str, body: String, key: String, done: Done) {
        let url = format!("{}/{path}", self.config.municipality_url());
        self.send("POST", url, Some(body), Some(key), None, done);
    }

    /// A reply to the coordinator.
    pub fn reply(&self, token: &str, body: &NewMessage, key: String, done: Done) {
        let url = self.follow_url("/messages");
        let body = json::to_string(body);
        self.send("POST", url, body, Some(key), Some(token.into()), done);
    }

    /// Sends the proposal back after changes were requested.
    pub fn resubmit(&self, token: &str, body: &Resubmit, done: Done) {
        let url = self.follow_url("/resubmit");
        let body = json::to_string(body);
        self.send("POST", url, body, None, Some(token.into()), done);
    }

    /// Saves an edit of the proposal (and resubmits it when asked to).
    pub fn edit(&self, token: &str, body: &EditProposal, done: Done) {
        let url = self.follow_url("");
        let body = json::to_string(body);
        self.send("PUT", url, body, None, Some(token.into()), done);
    }

    fn follow_url(&self, rest: &str) -> String {
        format!("{}/api/v1/follow{rest}", self.config.api)
    }

    /// Makes a request and hands the answer to `done`. Every request goes
    /// through here: one future type, one spawn, so the async machinery is
    /// in the wasm once rather than once per endpoint.
    fn send(
        &self,
        method: &'static str,
        url: String,
        body: Option<String>,
        key: Option<String>,
        token: Option<String>,
        done: Done,
    ) {
        let api = self.clone();
        spawn_local(async move {
            let body = body.map(JsValue::from);
            let answer = api
                .call(method, &url, body, key.as_deref(), token.as_deref())
                .await;
            done(answer);
        });
    }

    /// The one place a request is made: `body` is JSON text already.
    async fn call(
        &self,
        method: &'static str,
        url: &str,
        body: Option<JsValue>,
        key: Option<&str>,
        token: Option<&str>,
    ) -> Result<JsValue, ApiFailure> {
        // gloo-net is the workspace's HTTP client (the design card's choice);
        // one non-generic call site keeps its cost to a single copy.
        let builder = match method {
            "POST" => gloo_net::http::RequestBuilder::new(url).method(Method::POST),
            "PUT" => gloo_net::http::RequestBuilder::new(url).method(Method::PUT),
            "DELETE" => gloo_net::http::RequestBuilder::new(url).method(Method::DELETE),
            _ => gloo_net::http::RequestBuilder::new(url),
        };
        // The server words its messages (field errors too) in this language.
        let mut builder = builder.header("Accept-Language", &self.lang.accept());
        if let Some(key) = key {
            builder = builder.header("Idempotency-Key", key);
        }
        if let Some(token) = token {
            builder = builder.header("Authorization", &format!("Bearer {token}"));
        }
        let request = match body {
            Some(body) => builder
                .header("Content-Type", "application/json")
                .body(body),
            None => builder.build(),
        }
        .map_err(|_| ApiFailure::Garbled)?;
        let response = request.send().await.map_err(|_| ApiFailure::Unreachable)?;
        let (status, ok) = (response.status(), response.ok());
        // The widget reads JSON as JS values (json.rs), not through serde_json.
        let json = match response.text().await {
            Ok(text) => js_sys::JSON::parse(&text).ok(),
            Err(_) => None,
        };
        if ok {
            return json.ok_or(ApiFailure::Garbled);
        }
        let body = json.and_then(json::from_js::<ErrorBody>);
        Err(match body {
            Some(body) => ApiFailure::Refused {
                status,
                code: Some(body.error.code),
                message: Some(body.error.message),
                fields: body.error.fields,
            },
            None => ApiFailure::Refused {
                status,
                code: None,
                message: None,
                fields: Fields::new(),
            },
        })
    }
}

/// What becomes of an answer: boxed, so that [`Api::send`] is not generic.
pub type Done = Box<dyn FnOnce(Result<JsValue, ApiFailure>)>;

/// A GET prepared for [`Loaded`].
pub struct Fetch {
    api: Api,
    url: String,
    token: Option<String>,
}

/// A number as JavaScript writes it (`55.7`, not `55.700000000000003`).
fn number(value: f64) -> String {
    js_sys::Number::from(value)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

/// An API answer a view shows: `None` while it loads. A small stand-in for
/// Leptos' `LocalResource`, whose async machinery (transitions, suspense,
/// scoped futures) cost ~10 KB brotli for the widget's few loads. It loads
/// again when a signal read by the `load` closure changes, and on
/// [`Retry::run`]; an older answer never overwrites a newer one.
pub struct Loaded<T: Send + Sync + 'static> {
    value: RwSignal<Option<Result<T, ApiFailure>>>,
    tries: RwSignal<u32>,
}

impl<T: Send + Sync + 'static> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Loaded<T> {}

impl<T: Clone + Send + Sync + serde::de::DeserializeOwned + 'static> Loaded<T> {
    pub fn new(load: impl Fn() -> Fetch + 'static) -> Loaded<T> {
        let value = RwSignal::new(None);
        let tries = RwSignal::new(0u32);
        let latest = StoredValue::new(0u32);
        Effect::new(move |_| {
            tries.track();
            // Reading signals here (a filter, say) makes a change reload.
            let Fetch { api, url, token } = load();
            let ticket = latest.get_value().wrapping_add(1);
            latest.set_value(ticket);
            if value.with_untracked(Option::is_some) {
                value.set(None);
            }
            let done = move |answer: Result<JsValue, ApiFailure>| {
                // The view may be gone by now, or a newer load under way.
                if latest.try_get_value() == Some(ticket) {
                    let typed =
                        answer.and_then(|raw| json::from_js(raw).ok_or(ApiFailure::Garbled));
                    value.try_set(Some(typed));
                }
            };
            api.send("GET", url, None, None, token, Box::new(done));
        });
        Loaded { value, tries }
    }

    /// The answer, tracked: `None` while loading.
    pub fn get(&self) -> Option<Result<T, ApiFailure>> {
        self.value.get()
    }

    /// A handle that loads again, the same type whatever `T` is, so that
    /// what offers a retry is in the wasm once.
    pub fn retry(&self) -> Retry {
        Retry(self.tries)
    }
}

/// Loads a [`Loaded`] again.
#[derive(Clone, Copy)]
pub struct Retry(pub RwSignal<u32>);

impl Retry {
    pub fn run(self) {
        self.0.update(|n| *n = n.wrapping_add(1));
    }
}

/// The API's error body (`sammen_shared::ErrorBody`) as far as the widget
/// reads it: its field messages as [`Fields`], the rest left unread.
#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: ErrorCode,
    message: String,
    #[serde(default)]
    fields: Fields,
}
