//! Structured logs with `tracing`: readable lines by default, JSON lines for
//! log collectors (`SAMMEN_LOG_FORMAT=json`); levels from `RUST_LOG`. Logs go to
//! stderr, so stdout carries only what the server tells its operator.

use tracing_subscriber::EnvFilter;

pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
