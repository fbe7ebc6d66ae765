//! The shipped binary as an operator runs it: configured by environment,
//! announcing its demo URL, stopping cleanly on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn http_get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

#[test]
fn the_server_announces_its_demo_url_and_stops_cleanly_on_sigterm() {
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_sammen"))
            .env_clear()
            .env("SAMMEN_ADDR", format!("127.0.0.1:{port}"))
            .env("SAMMEN_DATA_DIR", data.path())
            .env("SAMMEN_DEMO", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut stdout = BufReader::new(server.0.stdout.take().unwrap());
    // The demo's made-up password comes first, then the address.
    let mut printed = String::new();
    while !printed.contains("Sammen is running") {
        let read = stdout.read_line(&mut printed).unwrap();
        assert!(read > 0, "the server said: {printed}");
    }
    assert!(printed.contains("sign in with the password"), "{printed}");
    let url = format!("http://127.0.0.1:{port}/demo");
    assert!(printed.contains(&url), "{printed}");

    let started = Instant::now();
    let ready = loop {
        match http_get(port, "/readyz") {
            Some(response) => break response,
            None if started.elapsed() < Duration::from_secs(20) => {
                std::thread::sleep(Duration::from_millis(100))
            }
            None => panic!("the server did not answer"),
        }
    };
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    assert!(
        data.path().join("sammen.db").exists(),
        "the SQLite file lives in the data folder"
    );
    assert!(
        data.path().join("sammen.db-wal").exists(),
        "SQLite runs in WAL mode"
    );

    let killed = Command::new("kill")
        .arg("-TERM")
        .arg(server.0.id().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    let stopped = Instant::now();
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            stopped.elapsed() < Duration::from_secs(10),
            "the server did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "a clean exit after SIGTERM, not {status}");
}

#[test]
fn a_malformed_setting_stops_the_server_with_a_clear_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_sammen"))
        .env_clear()
        .env("SAMMEN_ADDR", "not-an-address")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("SAMMEN_ADDR must be host:port"), "{stderr}");
}
