//! Schemathesis (PyPI) against the running server's `/api/openapi.json`:
//! thousands of generated requests to every operation, public and signed in
//! as a municipality admin; none may get a 5xx or an answer that does not
//! match the documented schema, status codes and headers. A fixture
//! (`tests/schemathesis/fixture.py`) first makes real records through the API
//! and pins each operation's path ids and bearer token to them, so the
//! generated requests reach the handlers instead of stopping at 404 or 401.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{cargo, run};

/// The schemathesis release the suite was made green with.
const VERSION: &str = "4.32.5";
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_schema_conformance,response_headers_conformance";
const PASSWORD: &str = "schemathesis-demo-password";

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn run_against_server(root: &Path) -> Result<(), String> {
    ensure_installed()?;
    run(cargo().current_dir(root).args([
        "build",
        "-q",
        "-p",
        "sammen-backend",
        "--bin",
        "sammen",
    ]))?;
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let data = std::env::temp_dir().join(format!("sammen-schemathesis-{port}"));
    let _ = std::fs::remove_dir_all(&data);
    let base = format!("http://127.0.0.1:{port}");
    let _server = Server(
        Command::new(root.join("target/debug/sammen"))
            .current_dir(root)
            .env("SAMMEN_ADDR", format!("127.0.0.1:{port}"))
            .env("SAMMEN_DATA_DIR", &data)
            .env("SAMMEN_DEMO", "1")
            .env("SAMMEN_DEMO_PASSWORD", PASSWORD)
            .env("SAMMEN_WRITES_PER_MINUTE_PER_ADDRESS", "0")
            .env("SAMMEN_WRITES_PER_MINUTE_PER_MUNICIPALITY", "0")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?,
    );
    wait_until_ready(&base)?;
    let (cookie, csrf) = sign_in(&base)?;
    // Fresh records for each run: the first run erases and closes links.
    let fixture = |name: &str| -> Result<std::path::PathBuf, String> {
        let config = data.join(name);
        run(Command::new("python3")
            .arg(root.join("tests/schemathesis/fixture.py"))
            .args([base.as_str(), "admin@billund.demo", PASSWORD])
            .arg(&config))?;
        Ok(config)
    };
    let schema = format!("{base}/api/openapi.json");
    println!("== schemathesis: public operations");
    run(&mut schemathesis(&fixture("public.toml")?, &schema))?;
    println!("== schemathesis: signed in as a municipality admin");
    run(schemathesis(&fixture("signed-in.toml")?, &schema)
        .args(["-H", &format!("Cookie: sammen_session={cookie}")])
        .args(["-H", &format!("X-CSRF-Token: {csrf}")])
        // Signing out would end the session the run relies on.
        .args(["--exclude-path", "/api/v1/admin/session"]))?;
    let _ = std::fs::remove_dir_all(&data);
    Ok(())
}

fn schemathesis(config: &Path, schema: &str) -> Command {
    let mut command = Command::new("st");
    command
        .arg("--config-file")
        .arg(config)
        .args([
            "run",
            schema,
            "--checks",
            CHECKS,
            "--max-examples",
            "40",
            "--workers",
            "2",
        ])
        .args(["--seed", "20261123"]);
    command
}

fn ensure_installed() -> Result<(), String> {
    let installed = Command::new("st")
        .arg("--version")
        .output()
        .ok()
        .is_some_and(|out| String::from_utf8_lossy(&out.stdout).contains(VERSION));
    if installed {
        return Ok(());
    }
    eprintln!("installing schemathesis {VERSION} (pip)…");
    run(Command::new("python3").args([
        "-m",
        "pip",
        "install",
        "--quiet",
        &format!("schemathesis=={VERSION}"),
    ]))
}

fn wait_until_ready(base: &str) -> Result<(), String> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        let ready = Command::new("curl")
            .args(["-sf", &format!("{base}/readyz")])
            .output();
        if ready.is_ok_and(|out| out.status.success()) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!("the server at {base} did not become ready"))
}

/// Signs the demo admin in with curl; returns the session cookie and CSRF token.
fn sign_in(base: &str) -> Result<(String, String), String> {
    let body = format!("{{\"email\":\"admin@billund.demo\",\"password\":\"{PASSWORD}\"}}");
    let out = Command::new("curl")
        .args([
            "-s",
            "-i",
            "-H",
            "content-type: application/json",
            "-d",
            &body,
        ])
        .arg(format!("{base}/api/v1/admin/session"))
        .output()
        .map_err(|e| format!("cannot run curl: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let cookie = text
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie:")
                .then(|| l.to_string())
        })
        .and_then(|l| {
            l.split_once("sammen_session=")
                .map(|(_, v)| v.split(';').next().unwrap_or("").to_string())
        })
        .ok_or("signing in gave no session cookie")?;
    let csrf = text
        .split_once("\"csrf_token\":\"")
        .and_then(|(_, rest)| rest.split('"').next())
        .map(str::to_string)
        .ok_or("signing in gave no CSRF token")?;
    Ok((cookie, csrf))
}
