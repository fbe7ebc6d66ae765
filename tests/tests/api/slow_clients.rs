//! Clients that trickle bytes cannot hold a connection: headers, bodies and
//! idle keep-alive connections each have a time limit (`connection.rs`).

use std::time::{Duration, Instant};

use sammen_tests::{Backend, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const LIMITS: &[(&str, &str)] = &[
    ("SAMMEN_HEADER_TIMEOUT_S", "1"),
    ("SAMMEN_BODY_TIMEOUT_S", "1"),
    ("SAMMEN_IDLE_TIMEOUT_S", "3"),
];

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .expect("a connection")
}

/// Reads until the server closes; returns what came and when it closed.
async fn read_until_closed(stream: &mut TcpStream, started: Instant) -> (String, Duration) {
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&buffer[..n]),
            Err(_) => panic!("the server kept the connection open for 10 s"),
        }
    }
    (
        String::from_utf8_lossy(&answer).into_owned(),
        started.elapsed(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_trickled_a_byte_at_a_time_are_cut_off() {
    let app = TestApp::spawn_with(Backend::Sqlite, LIMITS).await;
    let (mut reader, mut writer) = connect(&app).await.into_split();
    let started = Instant::now();
    // One byte every 100 ms would take 4.5 s; the limit is 1 s.
    let trickle = tokio::spawn(async move {
        let request = b"GET /healthz HTTP/1.1\r\nHost: sammen\r\nX-Slow: ";
        for byte in request.iter().cycle().take(45) {
            if writer.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let mut answer = Vec::new();
    let mut buffer = [0u8; 1024];
    loop {
        match tokio::time::timeout(Duration::from_secs(10), reader.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&buffer[..n]),
            Err(_) => panic!("the server kept the connection open for 10 s"),
        }
    }
    let closed_after = started.elapsed();
    trickle.abort();
    let answer = String::from_utf8_lossy(&answer);
    assert!(!answer.contains("200 OK"), "{answer}");
    assert!(
        (Duration::from_millis(900)..Duration::from_millis(2_500)).contains(&closed_after),
        "closed after {closed_after:?}, while bytes still came"
    );
    // A connection that says nothing at all is closed too.
    let mut silent = connect(&app).await;
    let started = Instant::now();
    let (_, closed_after) = read_until_closed(&mut silent, started).await;
    assert!(
        (Duration::from_millis(900)..Duration::from_millis(2_500)).contains(&closed_after),
        "{closed_after:?}"
    );
    // Meanwhile a normal client is served.
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickled_body_gets_408() {
    let app = TestApp::spawn_with(Backend::Sqlite, LIMITS).await;
    let mut stream = connect(&app).await;
    let body = serde_json::to_vec(&sammen_tests::good_proposal()).unwrap();
    let head = format!(
        "POST /api/v1/municipalities/billund/initiatives HTTP/1.1\r\nHost: sammen\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let started = Instant::now();
    let trickle = tokio::spawn(async move {
        for byte in &body[..30] {
            if writer.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let mut buffer = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), reader.read(&mut buffer))
        .await
        .expect("an answer in time")
        .unwrap();
    trickle.abort();
    let answer = String::from_utf8_lossy(&buffer[..n]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"request_timeout\""), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM initiatives WHERE title = 'Legegrupper for 3-5-årige'",
            vec![]
        )
        .await,
        0,
        "nothing was stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_is_closed_after_its_own_limit() {
    let app = TestApp::spawn_with(Backend::Sqlite, LIMITS).await;
    let mut stream = connect(&app).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: sammen\r\n\r\n")
        .await
        .unwrap();
    let mut buffer = vec![0u8; 4096];
    let n = stream.read(&mut buffer).await.unwrap();
    assert!(String::from_utf8_lossy(&buffer[..n]).starts_with("HTTP/1.1 200"));
    let idle_since = Instant::now();
    // Past the header limit (1 s) the idle connection is still usable …
    tokio::time::sleep(Duration::from_millis(1_800)).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: sammen\r\n\r\n")
        .await
        .unwrap();
    let n = stream.read(&mut buffer).await.unwrap();
    assert!(
        String::from_utf8_lossy(&buffer[..n]).starts_with("HTTP/1.1 200"),
        "kept alive past the header limit"
    );
    // … and closed once idle longer than 3 s.
    let idle_since_second = Instant::now();
    let (_, closed_after) = read_until_closed(&mut stream, idle_since_second).await;
    assert!(
        (Duration::from_millis(2_900)..Duration::from_millis(5_000)).contains(&closed_after),
        "{closed_after:?} (first request {:?} ago)",
        idle_since.elapsed()
    );
}
