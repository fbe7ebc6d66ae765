//! Builds the application from its configuration: database, migrations, demo
//! data, routes and middleware, bound to its address. Tests use the same path
//! with port 0, so what they exercise is the server that ships.

use std::any::Any;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use sammen_shared::ErrorCode;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::admin::signed;
use crate::client_addr::{self, ClientAddr};
use crate::config::Config;
use crate::db::{self, Db};
use crate::error::Error;
use crate::extract::BODY_LIMIT;
use crate::limits::WriteLimits;
use crate::outbox::{self, Mailer};
use crate::state::AppState;
use crate::{idempotency, seed};

/// A server bound to its address, ready to run.
pub struct Application {
    listener: TcpListener,
    router: Router,
    /// `SAMMEN_METRICS_ADDR`: a second listener that serves only `/metrics`.
    metrics: Option<(TcpListener, Router)>,
    timeouts: crate::connection::Timeouts,
    db: Db,
    mailer: Mailer,
    limits: Arc<WriteLimits>,
    meeting_limits: Arc<crate::limits::MeetingLimits>,
    group_limits: Arc<crate::limits::GroupLimits>,
    refused: Arc<crate::refused_origins::RefusedOrigins>,
    proxies: Arc<crate::client_addr::TrustedProxies>,
    retention_interval: Duration,
    /// Held while serving, so a restore cannot swap the SQLite file.
    _database_lock: Option<std::fs::File>,
}

impl Application {
    /// Opens and migrates the database, loads demo data when asked, and binds
    /// the listener (port 0 picks a free port).
    pub async fn build(config: Config) -> Result<Application, String> {
        let db = Db::connect(&db::Options {
            url: config.database_url.clone(),
            max_connections: config.max_connections,
        })
        .await
        .map_err(|e| {
            format!(
                "cannot open the database {}: {e}",
                redact(&config.database_url)
            )
        })?;
        migrate(&db).await?;
        if config.demo {
            seed::demo(&db, config.demo_password.as_deref())
                .await
                .map_err(|e| format!("cannot load the demo data: {e}"))?;
        }
        let mailer = Mailer::with_retry(
            config.smtp_url.as_deref(),
            &config.mail_from,
            config.outbox_dir.clone(),
            config.outbox_interval,
            config.mail_retry,
        )?
        .message_ids_at(&config.public_url);
        let database_lock = match crate::backup::sqlite_file(&config.database_url) {
            Some(file) => Some(crate::backup::hold_shared_lock(file)?),
            None => None,
        };
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
        let metrics_listener = match config.metrics_addr {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .map_err(|e| format!("cannot listen on {addr} (SAMMEN_METRICS_ADDR): {e}"))?,
            ),
            None => None,
        };
        let timeouts = config.timeouts;
        let limits = Arc::new(WriteLimits::new(
            config.writes_per_address,
            config.writes_per_municipality,
        ));
        let retention_interval = config.retention_interval;
        let refused = Arc::new(crate::refused_origins::RefusedOrigins::default());
        let group_limits = Arc::new(crate::limits::GroupLimits::default());
        let meeting_limits = Arc::new(crate::limits::MeetingLimits::new(
            config.meeting_joins_per_address,
            config.meeting_code_misses_per_address,
        ));
        let proxies = config.trusted_proxies.clone();
        let state = AppState::new(crate::state::Shared {
            db: db.clone(),
            config: Arc::new(config),
            metrics: Arc::default(),
            limits: limits.clone(),
            boards: Default::default(),
            refused: refused.clone(),
            meeting_limits: meeting_limits.clone(),
            group_limits: group_limits.clone(),
            public: Arc::default(),
        });
        let metrics =
            metrics_listener.map(|listener| (listener, crate::api::metrics::router(state.clone())));
        Ok(Application {
            listener,
            router: app(state),
            metrics,
            timeouts,
            db,
            mailer,
            limits,
            meeting_limits,
            group_limits,
            refused,
            proxies,
            retention_interval,
            _database_lock: database_lock,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Where `/metrics` is served on its own, if it is.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics
            .as_ref()
            .and_then(|(listener, _)| listener.local_addr().ok())
    }

    /// Serves until `shutdown` completes, then finishes the requests in
    /// flight and closes the database.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let janitor = tokio::spawn(forget_old_keys(
            self.db.clone(),
            self.limits.clone(),
            self.meeting_limits.clone(),
            self.group_limits.clone(),
        ));
        let postman = tokio::spawn(outbox::run_worker(self.db.clone(), self.mailer.clone()));
        let reminders = tokio::spawn(crate::reminders::run_worker(self.db.clone()));
        let sweeper = tokio::spawn(crate::retention::run_worker(
            self.db.clone(),
            self.retention_interval,
        ));
        let counter = tokio::spawn(crate::refused_origins::run_worker(
            self.db.clone(),
            self.refused.clone(),
            self.proxies.clone(),
        ));
        let metrics = self.metrics.map(|(listener, router)| {
            // Internal and read by a scraper only: the same timeouts.
            tokio::spawn(crate::connection::serve(
                listener,
                router,
                self.timeouts,
                std::future::pending(),
            ))
        });
        let result =
            crate::connection::serve(self.listener, self.router, self.timeouts, shutdown).await;
        if let Some(metrics) = metrics {
            metrics.abort();
        }
        janitor.abort();
        postman.abort();
        reminders.abort();
        sweeper.abort();
        counter.abort();
        self.db.close().await;
        result
    }
}

/// Brings the schema up to date, then the one-off data fixes that SQL cannot
/// do on both databases (see `privacy::normalise_stored_emails`).
pub async fn migrate(db: &Db) -> Result<(), String> {
    db.migrate()
        .await
        .map_err(|e| format!("cannot migrate the database: {e}"))?;
    let fixed = crate::privacy::normalise_stored_emails(db)
        .await
        .map_err(|e| format!("cannot normalise the stored emails: {e}"))?;
    if fixed > 0 {
        tracing::info!(fixed, "stored emails made lowercase");
    }
    Ok(())
}

/// The router with every middleware layer.
pub fn app(state: AppState) -> Router {
    let proxies = state.config.trusted_proxies.clone();
    // Over https the browser should never try plain http again (a year;
    // subdomains are the municipality's business, not ours).
    let hsts = state
        .config
        .public_url
        .starts_with("https://")
        .then(|| HeaderValue::from_static("max-age=31536000"));
    crate::routes::router(state)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::map_response_with_state(
            hsts,
            security_headers,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    // The path only: query strings may carry search words.
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        path = %request.uri().path(),
                        client = %ClientAddr::of(request.extensions()),
                    )
                })
                // One line per answer at the default level: status and time,
                // in the span of its method, path and client.
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        // Before the trace span, so that logs carry the client's address.
        .layer(axum::middleware::from_fn_with_state(
            proxies,
            client_addr::resolve_client,
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        // Outermost, so that every refusal (a limit's, a panic's) is worded
        // for the reader's language.
        .layer(axum::middleware::from_fn(crate::said::speak))
}

/// The headers every answer carries, in one layer rather than one each
/// (every layer is cloned and wrapped for every request). HSTS replaces
/// any a handler set; the rest are defaults a page may set otherwise.
async fn security_headers(
    axum::extract::State(hsts): axum::extract::State<Option<HeaderValue>>,
    mut response: Response,
) -> Response {
    let headers = response.headers_mut();
    if let Some(hsts) = hsts {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, hsts);
    }
    let defaults = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (HeaderName::from_static("x-frame-options"), "DENY"),
        // API answers are data, never a document to run: nothing may load.
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'",
        ),
    ];
    for (name, value) in defaults {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    response
}

fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(detail, "handler panicked");
    let mut response = Error::refused(ErrorCode::Internal, &crate::said::OUR_FAULT).into_response();
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response
}

async fn forget_old_keys(
    db: Db,
    limits: Arc<WriteLimits>,
    meeting_limits: Arc<crate::limits::MeetingLimits>,
    group_limits: Arc<crate::limits::GroupLimits>,
) {
    let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        match idempotency::forget_old(&db).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(forgotten = n, "forgot old idempotency keys"),
            Err(error) => tracing::warn!(%error, "could not forget old idempotency keys"),
        }
        limits.forget_idle();
        meeting_limits.forget_idle();
        group_limits.forget_idle();
        if let Err(error) = signed::forget_ended(&db).await {
            tracing::warn!(%error, "could not forget ended sessions");
        }
        if let Err(error) = crate::sign_in_throttle::forget_old(&db, chrono::Utc::now()).await {
            tracing::warn!(%error, "could not forget old sign-in counters");
        }
        if let Err(error) = crate::refused_origins::forget_old(&db, chrono::Utc::now()).await {
            tracing::warn!(%error, "could not forget old refused origins");
        }
    }
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM. The handlers are installed when
/// this is called, not when the future is first polled: a SIGTERM that
/// arrives between "running" and the first poll must still stop the server
/// cleanly. Call it inside the runtime, before announcing the address.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let (interrupt, terminate) = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let wait = |stream: Option<tokio::signal::unix::Signal>| async move {
                match stream {
                    Some(mut stream) => {
                        stream.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(interrupt) => {},
                _ = wait(terminate) => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn hides_the_password_of_a_database_url() {
        assert_eq!(
            redact("postgres://sammen:secret@db:5432/sammen"),
            "postgres://sammen:***@db:5432/sammen"
        );
        assert_eq!(redact("sqlite://data/sammen.db"), "sqlite://data/sammen.db");
    }
}
