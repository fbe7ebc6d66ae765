//! The storage tests run on PostgreSQL too: make sure one answers, starting
//! the machine's cluster when it is installed but down.

use std::net::{TcpStream, ToSocketAddrs};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::{on_path, run};

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Returns once PostgreSQL accepts connections, or says what to do.
pub fn ensure_running() -> Result<(), String> {
    let url = std::env::var("SAMMEN_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_URL.into());
    let address = host_and_port(&url)?;
    if answers(&address) {
        return Ok(());
    }
    let versions = std::fs::read_dir("/etc/postgresql")
        .map(|dir| {
            dir.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    if versions.is_empty() || !on_path("pg_ctlcluster") {
        return Err(format!(
            "PostgreSQL does not answer at {address} and none is installed here: install it \
             (Debian: apt-get install -y postgresql) or set SAMMEN_TEST_POSTGRES=postgres://user@host:port/db"
        ));
    }
    for version in &versions {
        eprintln!("starting PostgreSQL {version} (pg_ctlcluster)…");
        let _ = run(Command::new("pg_ctlcluster").args([
            "--skip-systemctl-redirect",
            version,
            "main",
            "start",
        ]));
    }
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if answers(&address) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Err(format!(
        "started PostgreSQL, but it does not answer at {address}"
    ))
}

fn answers(address: &str) -> bool {
    address
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .is_some_and(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok())
}

/// `host:port` of a `postgres://user@host:port/db` URL (port 5432 by default).
fn host_and_port(url: &str) -> Result<String, String> {
    let rest = url
        .split_once("://")
        .map(|(_, rest)| rest)
        .ok_or_else(|| format!("SAMMEN_TEST_POSTGRES is not a URL: {url}"))?;
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let host_port = authority
        .rsplit_once('@')
        .map(|(_, hp)| hp)
        .unwrap_or(authority);
    if host_port.is_empty() {
        return Err(format!("SAMMEN_TEST_POSTGRES names no host: {url}"));
    }
    Ok(if host_port.contains(':') {
        host_port.to_string()
    } else {
        format!("{host_port}:5432")
    })
}

#[cfg(test)]
mod tests {
    use super::host_and_port;

    #[test]
    fn finds_the_host_and_port_of_a_url() {
        assert_eq!(
            host_and_port("postgres://postgres@127.0.0.1:5432/postgres").unwrap(),
            "127.0.0.1:5432"
        );
        assert_eq!(
            host_and_port("postgres://u:p@db/x?sslmode=disable").unwrap(),
            "db:5432"
        );
        assert!(host_and_port("nonsense").is_err());
    }
}
