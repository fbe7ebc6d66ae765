//! `/metrics` in the Prometheus text format: requests by route and status,
//! their latencies, and how many emails wait in the outbox. Routes are the
//! matched templates (`/api/v1/municipalities/{municipality}/initiatives`)
//! and methods one of a fixed few, so neither ids nor made-up methods or
//! paths can grow the label sets. No personal data is exposed.
//!
//! Not public: served on its own internal address (`SAMMEN_METRICS_ADDR`) or
//! to a bearer token (`SAMMEN_METRICS_TOKEN`); with neither, not at all.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::db::Db;
use crate::error::{Error, Result};
use crate::outbox;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

/// The method as a label: the ones HTTP defines, anything else `other`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// The process's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    outbox_depth: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("sammen");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            // 0.5 ms … ~4 s
            Histogram::new(exponential_buckets(0.0005, 2.0, 14))
        });
        registry.register(
            "http_request_duration_seconds",
            "Time to answer",
            latency.clone(),
        );
        let outbox_depth = Gauge::default();
        registry.register(
            "outbox_depth",
            "Emails waiting to be sent",
            outbox_depth.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            outbox_depth,
        }
    }
}

/// A request on its way in: what it is counted and timed under.
pub struct Arrival {
    started: Instant,
    method: &'static str,
    route: String,
}

impl Arrival {
    /// Notes the request's method, route and arrival time.
    pub fn of(request: &Request) -> Arrival {
        Arrival {
            started: Instant::now(),
            method: method_label(request.method()),
            route: request
                .extensions()
                .get::<MatchedPath>()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "unmatched".into()),
        }
    }

    /// Counts and times the request by its answer.
    pub fn answered(self, metrics: &Metrics, response: &Response) {
        let Arrival {
            started,
            method,
            route,
        } = self;
        metrics
            .requests
            .get_or_create(&RequestLabels {
                method,
                route: route.clone(),
                status: response.status().as_u16(),
            })
            .inc();
        metrics
            .latency
            .get_or_create(&RouteLabels { method, route })
            .observe(started.elapsed().as_secs_f64());
    }
}

/// The metrics in the Prometheus text format, with the outbox's depth now.
pub async fn render(metrics: &Metrics, db: &Db) -> Result<Response> {
    let depth = outbox::depth(db).await?;
    metrics.outbox_depth.set(depth);
    let mut text = String::new();
    encode(&mut text, &metrics.registry).map_err(|e| Error::Internal(format!("metrics: {e}")))?;
    let content_type =
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8");
    Ok(([(header::CONTENT_TYPE, content_type)], text).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_up_methods_share_one_label() {
        assert_eq!(method_label(&Method::GET), "GET");
        let made_up = Method::from_bytes(b"BREW").unwrap();
        assert_eq!(method_label(&made_up), "other");
    }
}
