//! Serving connections with timeouts for slow clients. `axum::serve` has no
//! settings; this is the same loop over hyper with three limits, so a client
//! that trickles bytes cannot hold a connection (and its memory) for ever:
//!
//! - **header**: from a connection's first byte of a request (or from its
//!   opening) until the request's headers are complete;
//! - **body**: from the headers until the whole body is read (the handler
//!   answers 408 `request_timeout`);
//! - **idle**: how long a kept-alive connection may wait for its next request.
//!
//! Time spent answering is not limited: the meeting's live board streams for
//! as long as the projector watches. HTTP/1.1 only: behind the TLS proxy every
//! production setup has, that is what arrives.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::{Body as _, Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

/// The slow-client limits (`SAMMEN_HEADER_TIMEOUT_S`, `SAMMEN_BODY_TIMEOUT_S`,
/// `SAMMEN_IDLE_TIMEOUT_S`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    pub header: Duration,
    pub body: Duration,
    pub idle: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            header: Duration::from_secs(10),
            body: Duration::from_secs(30),
            idle: Duration::from_secs(60),
        }
    }
}

/// How long shutting down waits for connections still open (a live board
/// streams until its watcher leaves) before it closes them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Serves `router` on `listener` until `shutdown` completes; then stops
/// accepting, lets requests in flight finish and closes idle connections.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait, go on.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve_connection(
            stream,
            peer,
            router.clone(),
            timeouts,
            stop_rx.clone(),
        ));
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(stop_rx);
    // Every connection holds a receiver; all gone means all closed.
    if tokio::time::timeout(SHUTDOWN_GRACE, stop_tx.closed())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the grace period; closing them");
    }
    Ok(())
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    timeouts: Timeouts,
    mut stop: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let requests = activity.clone();
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let guard = requests.begin_request();
        let body_timeout = timeouts.body;
        let mut request = request.map(|body| {
            if body.is_end_stream() {
                Body::new(body)
            } else {
                Body::new(Deadline::new(body, body_timeout))
            }
        });
        request.extensions_mut().insert(ConnectInfo(peer));
        let router = router.clone();
        async move {
            let response = router.oneshot(request).await.unwrap_or_else(|e| match e {});
            Ok::<_, Infallible>(response.map(|body| Body::new(Guarded { body, guard })))
        }
    });
    let connection = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(io, service)
        .with_upgrades();
    let mut connection = std::pin::pin!(connection);
    let tick = timeouts
        .header
        .min(timeouts.idle)
        .div_f64(4.0)
        .clamp(Duration::from_millis(20), Duration::from_secs(1));
    let mut ticks = tokio::time::interval(tick);
    let mut closing = *stop.borrow();
    if closing {
        connection.as_mut().graceful_shutdown();
    }
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(%peer, %error, "connection ended with an error");
                }
                return;
            }
            changed = stop.changed(), if !closing => {
                if changed.is_ok() {
                    connection.as_mut().graceful_shutdown();
                }
                closing = true;
            }
            _ = ticks.tick() => match activity.overdue(&timeouts) {
                Some(Overdue::Header) => {
                    tracing::debug!(%peer, "request headers too slow; connection closed");
                    return;
                }
                Some(Overdue::Idle) if !closing => {
                    connection.as_mut().graceful_shutdown();
                    closing = true;
                }
                _ => {}
            }
        }
    }
}

/// What one connection is doing, shared by its reader and its requests.
struct Activity {
    started: Instant,
    /// Requests whose answer is not yet fully sent.
    in_flight: AtomicUsize,
    /// Bytes of a request arrived and its headers are not complete yet.
    reading_head: AtomicBool,
    /// When the current phase (waiting, reading a head) began, in ms since
    /// `started`.
    since_ms: AtomicU64,
}

enum Overdue {
    Header,
    Idle,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            started: Instant::now(),
            in_flight: AtomicUsize::new(0),
            // A new connection owes us its first request's headers.
            reading_head: AtomicBool::new(true),
            since_ms: AtomicU64::new(0),
        }
    }

    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    fn begin_request(self: &Arc<Self>) -> RequestGuard {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        self.reading_head.store(false, Ordering::SeqCst);
        RequestGuard(self.clone())
    }

    fn bytes_arrived(&self) {
        if self.in_flight.load(Ordering::SeqCst) == 0
            && !self.reading_head.swap(true, Ordering::SeqCst)
        {
            self.since_ms.store(self.now_ms(), Ordering::SeqCst);
        }
    }

    fn overdue(&self, timeouts: &Timeouts) -> Option<Overdue> {
        if self.in_flight.load(Ordering::SeqCst) > 0 {
            return None;
        }
        let waited = Duration::from_millis(
            self.now_ms() - self.since_ms.load(Ordering::SeqCst).min(self.now_ms()),
        );
        if self.reading_head.load(Ordering::SeqCst) {
            (waited > timeouts.header).then_some(Overdue::Header)
        } else {
            (waited > timeouts.idle).then_some(Overdue::Idle)
        }
    }
}

/// Held by a request until its answer is sent (or dropped).
struct RequestGuard(Arc<Activity>);

impl Drop for RequestGuard {
    fn drop(&mut self) {
        let activity = &self.0;
        activity.since_ms.store(activity.now_ms(), Ordering::SeqCst);
        activity.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The socket, telling [`Activity`] when bytes arrive.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.bytes_arrived();
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// The error a request body gives once its time is up; `extract.rs` turns
/// it into a 408.
#[derive(Debug)]
pub struct BodyTimedOut;

impl std::fmt::Display for BodyTimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request body did not arrive in time")
    }
}

impl std::error::Error for BodyTimedOut {}

/// A request body that must be complete by a deadline (unlike tower-http's
/// `TimeoutBody`, whose timer restarts with every frame, so a byte every few
/// seconds would never time out).
struct Deadline {
    body: Incoming,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl Deadline {
    fn new(body: Incoming, timeout: Duration) -> Deadline {
        Deadline {
            body,
            sleep: Box::pin(tokio::time::sleep(timeout)),
        }
    }
}

impl hyper::body::Body for Deadline {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if self.sleep.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Box::new(BodyTimedOut))));
        }
        Pin::new(&mut self.body)
            .poll_frame(cx)
            .map_err(|error| Box::new(error) as axum::BoxError)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// A response body that holds its request's guard until it is sent.
struct Guarded {
    body: Body,
    #[allow(dead_code)] // held for its Drop
    guard: RequestGuard,
}

impl hyper::body::Body for Guarded {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeouts() -> Timeouts {
        Timeouts {
            header: Duration::from_millis(100),
            body: Duration::from_millis(100),
            idle: Duration::from_millis(300),
        }
    }

    #[test]
    fn a_new_connection_owes_its_headers_and_a_finished_one_may_idle() {
        let activity = Arc::new(Activity::new());
        assert!(activity.overdue(&timeouts()).is_none());
        std::thread::sleep(Duration::from_millis(150));
        assert!(matches!(
            activity.overdue(&timeouts()),
            Some(Overdue::Header)
        ));
        let guard = activity.begin_request();
        std::thread::sleep(Duration::from_millis(150));
        assert!(
            activity.overdue(&timeouts()).is_none(),
            "answering is not limited"
        );
        drop(guard);
        std::thread::sleep(Duration::from_millis(150));
        assert!(
            activity.overdue(&timeouts()).is_none(),
            "idle, within its time"
        );
        activity.bytes_arrived();
        std::thread::sleep(Duration::from_millis(150));
        assert!(matches!(
            activity.overdue(&timeouts()),
            Some(Overdue::Header)
        ));
    }
}
