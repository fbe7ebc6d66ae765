//! The widget's side of the public API: one function per endpoint, each
//! returning the typed answer or an [`ApiFailure`] the views can word.
//!
//! Answers are parsed by the browser (`Response.json()`) and read into our
//! types by [`crate::json`]; serde_json's parser for every type cost the
//! widget a third of its budget. All HTTP goes through one non-generic
//! [`Api::call`], so the request code exists once in the wasm.

use std::collections::BTreeMap;

use std::future::Future;

use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sammen_shared::follow::{EditProposal, FollowView, NewMessage, Resubmit};
use sammen_shared::initiative::{InitiativeView, NewInitiative, ProposalCreated};
use sammen_shared::municipality::MunicipalityView;
use sammen_shared::page::Page;
use sammen_shared::signup::NewSignup;
use sammen_shared::{ErrorBody, ErrorCode, Lang};
use serde::Serialize;
use uuid::Uuid;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::config::{encode, Config};
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
        fields: BTreeMap<String, String>,
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
    pub fn fields(&self) -> BTreeMap<String, String> {
        match self {
            ApiFailure::Refused { fields, .. } => fields.clone(),
            _ => BTreeMap::new(),
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
}

impl Api {
    pub fn new(config: Config, lang: Lang) -> Api {
        Api { config, lang }
    }

    pub async fn municipality(&self) -> Result<MunicipalityView, ApiFailure> {
        let url = self.config.municipality_url();
        typed(self.call(Method::GET, &url, None, None, None).await)
    }

    pub async fn initiatives(
        &self,
        filter: &ListFilter,
    ) -> Result<Page<InitiativeView>, ApiFailure> {
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
        if let Some((lat, lon)) = filter.near {
            // JS formats the numbers: Rust's float formatting would add
            // ~20 KB of wasm for two query parameters.
            param("lat", &number(lat));
            param("lon", &number(lon));
        }
        typed(self.call(Method::GET, &url, None, None, None).await)
    }

    pub async fn initiative(&self, id: Uuid) -> Result<InitiativeView, ApiFailure> {
        let url = format!("{}/initiatives/{id}", self.config.municipality_url());
        typed(self.call(Method::GET, &url, None, None, None).await)
    }

    /// Proposes an initiative; `key` makes a retry return the first answer.
    pub async fn propose(
        &self,
        body: &NewInitiative,
        key: &str,
    ) -> Result<ProposalCreated, ApiFailure> {
        let url = format!("{}/initiatives", self.config.municipality_url());
        typed(self.post(&url, body, Some(key), None).await)
    }

    /// Signs up for an initiative. The answer's content does not matter to
    /// the widget, only that it came.
    pub async fn join(
        &self,
        initiative: Uuid,
        body: &NewSignup,
        key: &str,
    ) -> Result<(), ApiFailure> {
        let url = format!(
            "{}/initiatives/{initiative}/signups",
            self.config.municipality_url()
        );
        self.post(&url, body, Some(key), None).await.map(drop)
    }

    /// Sends an offer (any `Serialize` body the offers route takes).
    pub async fn offer(&self, body: &impl Serialize, key: &str) -> Result<(), ApiFailure> {
        let url = format!("{}/offers", self.config.municipality_url());
        self.post(&url, body, Some(key), None).await.map(drop)
    }

    /// The proposer's view through their follow token.
    pub async fn follow(&self, token: &str) -> Result<FollowView, ApiFailure> {
        let url = self.follow_url("");
        typed(self.call(Method::GET, &url, None, None, Some(token)).await)
    }

    /// A reply to the coordinator.
    pub async fn reply(&self, token: &str, body: &NewMessage, key: &str) -> Result<(), ApiFailure> {
        let url = self.follow_url("/messages");
        self.post(&url, body, Some(key), Some(token))
            .await
            .map(drop)
    }

    /// Sends the proposal back after changes were requested.
    pub async fn resubmit(&self, token: &str, body: &Resubmit) -> Result<(), ApiFailure> {
        let url = self.follow_url("/resubmit");
        self.post(&url, body, None, Some(token)).await.map(drop)
    }

    /// Saves an edit of the proposal (and resubmits it when asked to).
    pub async fn edit(&self, token: &str, body: &EditProposal) -> Result<(), ApiFailure> {
        let url = self.follow_url("");
        let body = to_json(body).ok_or(ApiFailure::Garbled)?;
        self.call(Method::PUT, &url, Some(body), None, Some(token))
            .await
            .map(drop)
    }

    fn follow_url(&self, rest: &str) -> String {
        format!("{}/api/v1/follow{rest}", self.config.api)
    }

    async fn post(
        &self,
        url: &str,
        body: &impl Serialize,
        key: Option<&str>,
        token: Option<&str>,
    ) -> Result<JsValue, ApiFailure> {
        let body = to_json(body).ok_or(ApiFailure::Garbled)?;
        self.call(Method::POST, url, Some(body), key, token).await
    }

    /// The one place a request is made: `body` is JSON text already.
    async fn call(
        &self,
        method: Method,
        url: &str,
        body: Option<JsValue>,
        key: Option<&str>,
        token: Option<&str>,
    ) -> Result<JsValue, ApiFailure> {
        // The server words its messages (field errors too) in this language.
        let mut builder = RequestBuilder::new(url)
            .method(method)
            .header("Accept-Language", self.lang.code());
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
        let raw = web_sys::Response::from(response);
        let json = match raw.json() {
            Ok(promise) => JsFuture::from(promise).await.ok(),
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
                fields: BTreeMap::new(),
            },
        })
    }
}

/// Reads an answer into its type.
fn typed<T: serde::de::DeserializeOwned>(
    answer: Result<JsValue, ApiFailure>,
) -> Result<T, ApiFailure> {
    json::from_js(answer?).ok_or(ApiFailure::Garbled)
}

/// A request body: JSON text as a JS string.
fn to_json(value: &impl Serialize) -> Option<JsValue> {
    json::to_string(value).map(JsValue::from)
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
/// [`Loaded::refetch`]; an older answer never overwrites a newer one.
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

impl<T: Clone + Send + Sync + 'static> Loaded<T> {
    pub fn new<F>(load: impl Fn() -> F + 'static) -> Loaded<T>
    where
        F: Future<Output = Result<T, ApiFailure>> + 'static,
    {
        let value = RwSignal::new(None);
        let tries = RwSignal::new(0u32);
        let latest = StoredValue::new(0u32);
        Effect::new(move |_| {
            tries.track();
            // Reading signals here (a filter, say) makes a change reload.
            let answer = load();
            let ticket = latest.get_value().wrapping_add(1);
            latest.set_value(ticket);
            if value.with_untracked(Option::is_some) {
                value.set(None);
            }
            spawn_local(async move {
                let answer = answer.await;
                // The view may be gone by now, or a newer load under way.
                if latest.try_get_value() == Some(ticket) {
                    value.try_set(Some(answer));
                }
            });
        });
        Loaded { value, tries }
    }

    /// The answer, tracked: `None` while loading.
    pub fn get(&self) -> Option<Result<T, ApiFailure>> {
        self.value.get()
    }

    pub fn get_untracked(&self) -> Option<Result<T, ApiFailure>> {
        self.value.get_untracked()
    }

    /// Loads again (a retry after a failure, or after a change).
    pub fn refetch(&self) {
        self.tries.update(|n| *n = n.wrapping_add(1));
    }
}
