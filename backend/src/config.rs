//! Configuration from environment variables, each with a default that runs
//! Sammen on one machine with no set-up.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::client_addr::{ForwardedHeader, TrustedProxies};
use crate::connection::Timeouts;

/// Everything the server needs to start.
#[derive(Clone, Debug)]
pub struct Config {
    /// `SAMMEN_ADDR`: where to listen (default `127.0.0.1:8080`).
    pub addr: SocketAddr,
    /// `DATABASE_URL`: `sqlite://…` (default: a file in the data folder) or
    /// `postgres://…`.
    pub database_url: String,
    /// `SAMMEN_DB_MAX_CONNECTIONS`: pool size (default 10).
    pub max_connections: u32,
    /// `SAMMEN_DEMO=1`: load the demo municipalities if they are missing.
    pub demo: bool,
    /// `SAMMEN_PUBLIC_URL`: the address people reach this server at, for links
    /// in emails and the printed demo URL (default `http://{SAMMEN_ADDR}`).
    pub public_url: String,
    /// `SAMMEN_STATIC_DIR`: the folder with the built widget (`dist/`, served
    /// at `/widget/`) and the demo pages (`demo/`) (default `frontend`).
    pub static_dir: PathBuf,
    /// `SAMMEN_LOG_FORMAT`: `pretty` (default) or `json`.
    pub log_json: bool,
    /// `SAMMEN_SMTP_URL`: send mail over SMTP (`smtps://user:pass@host`);
    /// unset, mail is written as files to `outbox_dir`.
    pub smtp_url: Option<String>,
    /// `SAMMEN_MAIL_FROM` (default `Sammen <noreply@sammen.invalid>`).
    pub mail_from: String,
    /// `SAMMEN_OUTBOX_DIR` (default `{SAMMEN_DATA_DIR}/outbox`).
    pub outbox_dir: PathBuf,
    /// `SAMMEN_OUTBOX_INTERVAL_MS`: how often due mail is sent (default 2000).
    pub outbox_interval: std::time::Duration,
    /// `SAMMEN_WRITES_PER_MINUTE_PER_ADDRESS`: citizens' writes per client
    /// address (default 30; 0 turns it off).
    pub writes_per_address: u32,
    /// `SAMMEN_WRITES_PER_MINUTE_PER_MUNICIPALITY` (default 600; 0 = off).
    pub writes_per_municipality: u32,
    /// `SAMMEN_DEMO_PASSWORD`: the demo coordinators' password; made up and
    /// printed once when unset.
    pub demo_password: Option<String>,
    /// `SAMMEN_MIN_FILL_MS`: a public form sent with `fill_ms` below this is
    /// refused as too fast (default 3000; 0 turns it off).
    pub min_fill_ms: u64,
    /// `SAMMEN_RETENTION_INTERVAL_S`: how often the retention job runs
    /// (default 3600).
    pub retention_interval: std::time::Duration,
    /// `SAMMEN_TRUSTED_PROXIES`: addresses or networks of our own reverse
    /// proxies, comma-separated (default: none). Only from these is the client
    /// address read from `X-Forwarded-For` (or `Forwarded`, with
    /// `SAMMEN_CLIENT_ADDRESS_HEADER=forwarded`).
    pub trusted_proxies: Arc<TrustedProxies>,
    /// `SAMMEN_HEADER_TIMEOUT_S` (10), `SAMMEN_BODY_TIMEOUT_S` (30),
    /// `SAMMEN_IDLE_TIMEOUT_S` (60): limits for slow clients.
    pub timeouts: Timeouts,
    /// `SAMMEN_METRICS_ADDR`: serve `/metrics` on this address only (an
    /// internal one), without a token.
    pub metrics_addr: Option<SocketAddr>,
    /// `SAMMEN_METRICS_TOKEN`: serve `/metrics` on the main address to
    /// `Authorization: Bearer <token>`. With neither setting there is no
    /// `/metrics`.
    pub metrics_token: Option<String>,
    /// `SAMMEN_MAIL_RETRY_S`: the first wait after a failed delivery (default
    /// 30; it doubles up to an hour).
    pub mail_retry: Duration,
    /// `SAMMEN_MEETING_JOINS_PER_MINUTE_PER_ADDRESS`: phones joining open
    /// meetings from one address (default 120, all at once if need be; 0 =
    /// off).
    pub meeting_joins_per_address: u32,
    /// `SAMMEN_MEETING_CODE_MISSES_PER_MINUTE_PER_ADDRESS`: meeting codes that
    /// match nothing, per address, before it waits (default 20; 0 = off).
    pub meeting_code_misses_per_address: u32,
}

impl Config {
    /// Reads the environment; a malformed value is an error naming it.
    pub fn from_env() -> Result<Config, String> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup` (the environment, or a test's map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let addr: SocketAddr = lookup("SAMMEN_ADDR")
            .unwrap_or_else(|| "127.0.0.1:8080".into())
            .parse()
            .map_err(|e| format!("SAMMEN_ADDR must be host:port, like 127.0.0.1:8080 ({e})"))?;
        let data_dir = lookup("SAMMEN_DATA_DIR").unwrap_or_else(|| "data".into());
        let database_url = lookup("DATABASE_URL")
            .filter(|url| !url.trim().is_empty())
            .unwrap_or_else(|| format!("sqlite://{data_dir}/sammen.db"));
        let known = ["sqlite:", "postgres://", "postgresql://"];
        if !known.iter().any(|prefix| database_url.starts_with(prefix)) {
            return Err("DATABASE_URL must start with sqlite: or postgres://".into());
        }
        let max_connections = match lookup("SAMMEN_DB_MAX_CONNECTIONS") {
            None => 10,
            Some(n) => n
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or("SAMMEN_DB_MAX_CONNECTIONS must be a number from 1 to 1000")?,
        };
        let flag = |name: &str| {
            lookup(name).is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes" | "on"))
        };
        let public_url = lookup("SAMMEN_PUBLIC_URL")
            .map(|url| url.trim_end_matches('/').to_string())
            .unwrap_or_else(|| format!("http://{addr}"));
        let log_json = match lookup("SAMMEN_LOG_FORMAT").as_deref() {
            None | Some("pretty") => false,
            Some("json") => true,
            Some(other) => {
                return Err(format!(
                    "SAMMEN_LOG_FORMAT must be pretty or json, not {other}"
                ))
            }
        };
        let outbox_interval = match lookup("SAMMEN_OUTBOX_INTERVAL_MS") {
            None => 2000,
            Some(ms) => ms
                .parse::<u64>()
                .ok()
                .filter(|ms| (10..=3_600_000).contains(ms))
                .ok_or("SAMMEN_OUTBOX_INTERVAL_MS must be a number from 10 to 3600000")?,
        };
        let per_minute = |name: &str, default: u32| match lookup(name) {
            None => Ok(default),
            Some(n) => n
                .parse::<u32>()
                .map_err(|_| format!("{name} must be a whole number (0 turns it off)")),
        };
        let min_fill_ms = match lookup("SAMMEN_MIN_FILL_MS") {
            None => 3000,
            Some(ms) => ms
                .parse::<u64>()
                .ok()
                .filter(|ms| *ms <= 600_000)
                .ok_or("SAMMEN_MIN_FILL_MS must be a number from 0 to 600000")?,
        };
        let retention_interval = match lookup("SAMMEN_RETENTION_INTERVAL_S") {
            None => 3600,
            Some(s) => s
                .parse::<u64>()
                .ok()
                .filter(|s| (1..=86_400).contains(s))
                .ok_or("SAMMEN_RETENTION_INTERVAL_S must be a number from 1 to 86400")?,
        };
        let seconds = |name: &str, default: u64, max: u64| match lookup(name) {
            None => Ok(Duration::from_secs(default)),
            Some(s) => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|s| *s > 0.0 && *s <= max as f64)
                .map(Duration::from_secs_f64)
                .ok_or(format!(
                    "{name} must be a number of seconds above 0 and at most {max}"
                )),
        };
        let defaults = Timeouts::default();
        let timeouts = Timeouts {
            header: seconds("SAMMEN_HEADER_TIMEOUT_S", defaults.header.as_secs(), 600)?,
            body: seconds("SAMMEN_BODY_TIMEOUT_S", defaults.body.as_secs(), 3600)?,
            idle: seconds("SAMMEN_IDLE_TIMEOUT_S", defaults.idle.as_secs(), 3600)?,
        };
        let metrics_addr = match lookup("SAMMEN_METRICS_ADDR").filter(|a| !a.trim().is_empty()) {
            None => None,
            Some(a) => Some(a.trim().parse::<SocketAddr>().map_err(|e| {
                format!("SAMMEN_METRICS_ADDR must be host:port, like 127.0.0.1:9090 ({e})")
            })?),
        };
        let metrics_token = lookup("SAMMEN_METRICS_TOKEN").filter(|t| !t.trim().is_empty());
        if metrics_token.as_ref().is_some_and(|t| t.trim().len() < 16) {
            return Err("SAMMEN_METRICS_TOKEN must be at least 16 characters".into());
        }
        let trusted_proxies = TrustedProxies::parse(
            &lookup("SAMMEN_TRUSTED_PROXIES").unwrap_or_default(),
            ForwardedHeader::parse(&lookup("SAMMEN_CLIENT_ADDRESS_HEADER").unwrap_or_default())?,
        )?;
        Ok(Config {
            trusted_proxies: Arc::new(trusted_proxies),
            timeouts,
            metrics_addr,
            metrics_token: metrics_token.map(|t| t.trim().to_string()),
            mail_retry: seconds("SAMMEN_MAIL_RETRY_S", 30, 3600)?,
            meeting_joins_per_address: per_minute(
                "SAMMEN_MEETING_JOINS_PER_MINUTE_PER_ADDRESS",
                120,
            )?,
            meeting_code_misses_per_address: per_minute(
                "SAMMEN_MEETING_CODE_MISSES_PER_MINUTE_PER_ADDRESS",
                20,
            )?,
            min_fill_ms,
            retention_interval: std::time::Duration::from_secs(retention_interval),
            writes_per_address: per_minute("SAMMEN_WRITES_PER_MINUTE_PER_ADDRESS", 30)?,
            writes_per_municipality: per_minute("SAMMEN_WRITES_PER_MINUTE_PER_MUNICIPALITY", 600)?,
            smtp_url: lookup("SAMMEN_SMTP_URL").filter(|url| !url.trim().is_empty()),
            mail_from: lookup("SAMMEN_MAIL_FROM")
                .unwrap_or_else(|| "Sammen <noreply@sammen.invalid>".into()),
            outbox_dir: lookup("SAMMEN_OUTBOX_DIR")
                .unwrap_or_else(|| format!("{data_dir}/outbox"))
                .into(),
            outbox_interval: std::time::Duration::from_millis(outbox_interval),
            demo_password: lookup("SAMMEN_DEMO_PASSWORD").filter(|p| !p.is_empty()),
            addr,
            database_url,
            max_connections,
            demo: flag("SAMMEN_DEMO"),
            public_url,
            static_dir: lookup("SAMMEN_STATIC_DIR")
                .unwrap_or_else(|| "frontend".into())
                .into(),
            log_json,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_run_on_a_local_sqlite_file() {
        let config = config(&[]).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database_url, "sqlite://data/sammen.db");
        assert_eq!(config.public_url, "http://127.0.0.1:8080");
        assert!(!config.demo);
    }

    #[test]
    fn malformed_values_are_named() {
        assert!(config(&[("SAMMEN_ADDR", "nowhere")])
            .unwrap_err()
            .contains("SAMMEN_ADDR"));
        assert!(config(&[("DATABASE_URL", "mysql://x")])
            .unwrap_err()
            .contains("DATABASE_URL"));
        let error = config(&[("SAMMEN_DB_MAX_CONNECTIONS", "0")]).unwrap_err();
        assert!(error.contains("SAMMEN_DB_MAX_CONNECTIONS"));
        for (name, value) in [
            ("SAMMEN_TRUSTED_PROXIES", "proxy.local"),
            ("SAMMEN_HEADER_TIMEOUT_S", "0"),
            ("SAMMEN_IDLE_TIMEOUT_S", "soon"),
            ("SAMMEN_METRICS_ADDR", "9090"),
            ("SAMMEN_METRICS_TOKEN", "short"),
        ] {
            let error = config(&[(name, value)]).unwrap_err();
            assert!(error.contains(name), "{name}: {error}");
        }
    }

    #[test]
    fn slow_client_limits_and_proxies_are_read() {
        let config = config(&[
            ("SAMMEN_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8"),
            ("SAMMEN_HEADER_TIMEOUT_S", "0.5"),
        ])
        .unwrap();
        assert_eq!(config.trusted_proxies.networks().len(), 2);
        assert_eq!(config.timeouts.header, Duration::from_millis(500));
        assert_eq!(config.timeouts.idle, Duration::from_secs(60));
        assert!(config.metrics_addr.is_none() && config.metrics_token.is_none());
    }
}
