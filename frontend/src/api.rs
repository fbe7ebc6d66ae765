//! The widget's side of the public API: one function per endpoint, each
//! returning the typed answer or an [`ApiFailure`] the views can word.

use std::collections::BTreeMap;

use gloo_net::http::{Request, RequestBuilder, Response};
use sammen_shared::follow::{FollowView, NewMessage, Resubmit};
use sammen_shared::initiative::{InitiativeView, NewInitiative, ProposalCreated};
use sammen_shared::municipality::MunicipalityView;
use sammen_shared::offer::{NewOffer, OfferCreated};
use sammen_shared::page::Page;
use sammen_shared::signup::{NewSignup, SignupCreated};
use sammen_shared::{ErrorBody, ErrorCode, Lang};
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

use crate::config::{encode, Config};

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
        receive(self.get(&self.config.municipality_url())).await
    }

    pub async fn initiatives(
        &self,
        filter: &ListFilter,
    ) -> Result<Page<InitiativeView>, ApiFailure> {
        let mut query = vec![("per_page".to_string(), "50".to_string())];
        if let Some(institution) = &filter.institution {
            query.push(("institution".into(), institution.clone()));
        }
        if let Some(category) = &filter.category {
            query.push(("category".into(), category.clone()));
        }
        if let Some((lat, lon)) = filter.near {
            query.push(("lat".into(), lat.to_string()));
            query.push(("lon".into(), lon.to_string()));
        }
        let query: Vec<String> = query
            .iter()
            .map(|(key, value)| format!("{key}={}", encode(value)))
            .collect();
        let url = format!(
            "{}/initiatives?{}",
            self.config.municipality_url(),
            query.join("&")
        );
        receive(self.get(&url)).await
    }

    pub async fn initiative(&self, id: Uuid) -> Result<InitiativeView, ApiFailure> {
        let url = format!("{}/initiatives/{id}", self.config.municipality_url());
        receive(self.get(&url)).await
    }

    /// Proposes an initiative; `key` makes a retry return the first answer.
    pub async fn propose(
        &self,
        body: &NewInitiative,
        key: &str,
    ) -> Result<ProposalCreated, ApiFailure> {
        let url = format!("{}/initiatives", self.config.municipality_url());
        self.send(Request::post(&url), body, Some(key), None).await
    }

    pub async fn join(
        &self,
        initiative: Uuid,
        body: &NewSignup,
        key: &str,
    ) -> Result<SignupCreated, ApiFailure> {
        let url = format!(
            "{}/initiatives/{initiative}/signups",
            self.config.municipality_url()
        );
        self.send(Request::post(&url), body, Some(key), None).await
    }

    pub async fn offer(&self, body: &NewOffer, key: &str) -> Result<OfferCreated, ApiFailure> {
        let url = format!("{}/offers", self.config.municipality_url());
        self.send(Request::post(&url), body, Some(key), None).await
    }

    /// The proposer's view through their follow token.
    pub async fn follow(&self, token: &str) -> Result<FollowView, ApiFailure> {
        let request = self
            .get_builder(&self.follow_url(""))
            .header("Authorization", &format!("Bearer {token}"));
        receive(request.build()).await
    }

    /// A reply to the coordinator; answers with the refreshed view.
    pub async fn reply(&self, token: &str, body: &NewMessage, key: &str) -> Result<(), ApiFailure> {
        let url = self.follow_url("/messages");
        self.send::<_, serde_json::Value>(Request::post(&url), body, Some(key), Some(token))
            .await
            .map(drop)
    }

    /// Sends the proposal back after changes were requested.
    pub async fn resubmit(&self, token: &str, body: &Resubmit) -> Result<(), ApiFailure> {
        let url = self.follow_url("/resubmit");
        self.send::<_, serde_json::Value>(Request::post(&url), body, None, Some(token))
            .await
            .map(drop)
    }

    fn follow_url(&self, rest: &str) -> String {
        format!("{}/api/v1/follow{rest}", self.config.api)
    }

    fn get_builder(&self, url: &str) -> RequestBuilder {
        // The server words its messages (field errors too) in this language.
        Request::get(url).header("Accept-Language", self.lang.code())
    }

    fn get(&self, url: &str) -> Result<Request, gloo_net::Error> {
        self.get_builder(url).build()
    }

    async fn send<B: Serialize, T: DeserializeOwned>(
        &self,
        builder: RequestBuilder,
        body: &B,
        key: Option<&str>,
        token: Option<&str>,
    ) -> Result<T, ApiFailure> {
        let mut builder = builder.header("Accept-Language", self.lang.code());
        if let Some(key) = key {
            builder = builder.header("Idempotency-Key", key);
        }
        if let Some(token) = token {
            builder = builder.header("Authorization", &format!("Bearer {token}"));
        }
        receive(builder.json(body)).await
    }
}

async fn receive<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, ApiFailure> {
    let request = request.map_err(|_| ApiFailure::Garbled)?;
    let response = request.send().await.map_err(|_| ApiFailure::Unreachable)?;
    if response.ok() {
        response.json::<T>().await.map_err(|_| ApiFailure::Garbled)
    } else {
        Err(refusal(response).await)
    }
}

async fn refusal(response: Response) -> ApiFailure {
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => ApiFailure::Refused {
            status,
            code: Some(body.error.code),
            message: Some(body.error.message),
            fields: body.error.fields,
        },
        Err(_) => ApiFailure::Refused {
            status,
            code: None,
            message: None,
            fields: BTreeMap::new(),
        },
    }
}
