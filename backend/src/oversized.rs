//! A body announced larger than allowed is read and dropped before the 413
//! goes out. Answering at once and closing would leave the client's bytes
//! unread; the kernel then resets the connection, and a browser still sending
//! sees a network error instead of the typed 413 (CI once saw exactly that).
//! Past `DRAIN_LIMIT` the reset is the cheaper answer, so draining stops there.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::future::Future;

use crate::extract::{too_large, BODY_LIMIT};

/// The most a refused body is read for (8 MiB).
pub const DRAIN_LIMIT: u64 = 8 * 1024 * 1024;

/// Refuses a body whose `Content-Length` is over `BODY_LIMIT` before any
/// handler runs; bodies without a length meet the same limit in `ApiJson`.
pub async fn refuse<F, Fut>(request: Request, next: F) -> Response
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Response>,
{
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    let Some(length) = announced.filter(|length| *length > BODY_LIMIT as u64) else {
        return next(request).await;
    };
    if length <= DRAIN_LIMIT {
        drain(request.into_body()).await;
    }
    let mut response = too_large().into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Reads a body to its end (or its first error, e.g. the body timeout).
async fn drain(body: Body) {
    let mut stream = body.into_data_stream();
    while let Some(Ok(_)) = stream.next().await {}
}
