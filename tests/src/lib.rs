//! What every end-to-end test stands on: [`TestApp::spawn`] starts the real
//! server on a free port with a fresh database — a SQLite file of its own, or
//! a new PostgreSQL database — loaded with the demo municipalities.

use std::time::Duration;

use reqwest::{Client, Response};
use sammen_backend::config::Config;
use sammen_backend::db::{self, Db};
use sammen_backend::startup::Application;
use serde_json::Value;
use sqlx::{Connection, Executor, PgConnection};
use uuid::Uuid;

pub use sammen_backend::args;

/// The demo coordinators' password in tests.
pub const DEMO_PASSWORD: &str = "demo-password-for-tests";

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("SAMMEN_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Databases made by tests start with this, so the test runner can drop them.
pub const TEST_DATABASE_PREFIX: &str = "sammen_t_";

/// A running server and a way to look into its database.
pub struct TestApp {
    pub base: String,
    /// `http://…` of the separate metrics listener, when `SAMMEN_METRICS_ADDR` is set.
    pub metrics_base: Option<String>,
    pub db: Db,
    pub client: Client,
    pub backend: Backend,
    /// The database the server uses.
    pub database_url: String,
    /// The PostgreSQL database this test made, dropped with the app.
    postgres_database: Option<String>,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// Starts the server on `backend` with the demo data loaded.
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, &[]).await
    }

    /// Like [`TestApp::spawn`], with some settings changed (`("SAMMEN_…", "…")`).
    pub async fn spawn_with(backend: Backend, settings: &[(&str, &str)]) -> TestApp {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (database_url, postgres_database) = match backend {
            Backend::Sqlite => (format!("sqlite://{}/sammen.db", dir.path().display()), None),
            Backend::Postgres => {
                let (url, name) = fresh_postgres_database().await;
                (url, Some(name))
            }
        };
        let (base, metrics_base, db) = start_server(&database_url, &dir, settings).await;
        TestApp {
            base,
            metrics_base,
            db,
            client: test_client(),
            backend,
            database_url,
            postgres_database,
            _dir: dir,
        }
    }

    /// A second server on this app's database, with its own state and pool
    /// — two backends behind one load balancer on PostgreSQL, or two
    /// processes on one SQLite file. The database stays this app's: it is
    /// dropped with this app, not with the one returned.
    pub async fn spawn_beside(&self) -> TestApp {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (base, metrics_base, db) = start_server(&self.database_url, &dir, &[]).await;
        TestApp {
            base,
            metrics_base,
            db,
            client: test_client(),
            backend: self.backend,
            database_url: self.database_url.clone(),
            postgres_database: None,
            _dir: dir,
        }
    }

    /// Signs a demo coordinator in.
    pub async fn sign_in(&self, email: &str) -> Console<'_> {
        let response = self
            .client
            .post(self.url("/api/v1/admin/session"))
            .json(&serde_json::json!({"email": email, "password": DEMO_PASSWORD}))
            .send()
            .await
            .expect("sign-in answered");
        assert_eq!(response.status(), 200, "{email} signs in");
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_string();
        let cookie = cookie.split(';').next().unwrap().to_string();
        let session: Value = response.json().await.unwrap();
        Console {
            app: self,
            cookie,
            csrf: session["csrf_token"].as_str().unwrap().to_string(),
        }
    }

    /// The emails in the outbox table: (recipient, subject, kind).
    pub async fn outbox(&self) -> Vec<(String, String, String)> {
        #[derive(sqlx::FromRow)]
        struct Row {
            recipient: String,
            subject: String,
            kind: String,
        }
        let mut conn = self.db.acquire().await.expect("a connection");
        let rows: Vec<Row> = db::fetch_all(
            &mut conn,
            "SELECT recipient, subject, kind FROM outbox ORDER BY created_at",
            vec![],
        )
        .await
        .expect("outbox rows");
        rows.into_iter()
            .map(|r| (r.recipient, r.subject, r.kind))
            .collect()
    }

    /// The SQLite file of a SQLite app.
    pub fn sqlite_file(&self) -> std::path::PathBuf {
        self._dir.path().join("sammen.db")
    }

    /// The folder the file transport writes emails to.
    /// The text of an email as its recipient reads it: from the outbox row
    /// while it waits, else from the file the file transport wrote (a mail
    /// with a private link keeps its text only until it is sent).
    pub async fn mail_text(&self, recipient: &str, kind: &str) -> String {
        for _ in 0..100 {
            let row: Option<(Uuid, String)> = {
                let mut conn = self.db.acquire().await.expect("a connection");
                db::fetch_optional(
                    &mut conn,
                    "SELECT id, body FROM outbox WHERE recipient = $1 AND kind = $2",
                    args![recipient, kind],
                )
                .await
                .expect("the outbox")
            };
            if let Some((id, body)) = row {
                if !body.is_empty() {
                    return body;
                }
                let file = self.outbox_dir().join(format!("{id}.eml"));
                if let Ok(raw) = std::fs::read_to_string(&file) {
                    return decode_mail_body(&raw);
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no {kind} mail to {recipient}")
    }

    pub fn outbox_dir(&self) -> std::path::PathBuf {
        self._dir.path().join("outbox")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("GET answered")
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("a JSON body")
    }

    /// GET behind a private link (`Authorization: Bearer <token>`), which
    /// must answer 200 with JSON.
    pub async fn get_json_with(&self, path: &str, token: &str) -> Value {
        let response = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET answered");
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("a JSON body")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("POST answered")
    }

    /// POSTs with an `Idempotency-Key`.
    pub async fn post_idempotent(&self, path: &str, key: Uuid, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .header("Idempotency-Key", key.to_string())
            .json(body)
            .send()
            .await
            .expect("POST answered")
    }

    /// Proposes `body` in Billund and returns the created answer.
    pub async fn propose(&self, body: &Value) -> Value {
        let response = self
            .post_json("/api/v1/municipalities/billund/initiatives", body)
            .await;
        let status = response.status();
        let json: Value = response.json().await.expect("a JSON body");
        assert_eq!(status, 201, "propose: {json}");
        json
    }

    /// Publishes an initiative directly in the database, standing in for the
    /// coordinator until the console exists.
    pub async fn publish(&self, id: &str) {
        let id = Uuid::parse_str(id).expect("an id");
        let mut conn = self.db.acquire().await.expect("a connection");
        let now = chrono::Utc::now();
        let changed = db::execute(
            &mut conn,
            "UPDATE initiatives SET status = 'published', published_at = $1, version = version + 1 \
             WHERE id = $2",
            args![now, id],
        )
        .await
        .expect("publish");
        assert_eq!(changed, 1);
    }

    /// A coordinator asks for changes, directly in the database.
    pub async fn request_changes(&self, id: &str, message: &str) {
        let id = Uuid::parse_str(id).expect("an id");
        let mut conn = self.db.acquire().await.expect("a connection");
        db::execute(
            &mut conn,
            "UPDATE initiatives SET status = 'changes_requested', version = version + 1 WHERE id = $1",
            args![id],
        )
        .await
        .expect("request changes");
        db::execute(
            &mut conn,
            "INSERT INTO messages (id, initiative_id, author, body, action, created_at) \
             VALUES ($1, $2, 'coordinator', $3, 'request_changes', $4)",
            args![Uuid::new_v4(), id, message, chrono::Utc::now()],
        )
        .await
        .expect("coordinator message");
    }

    /// Counts rows with a query such as `SELECT COUNT(*) FROM initiatives WHERE title = $1`.
    pub async fn count(&self, sql: &str, values: Vec<db::Value>) -> i64 {
        let mut conn = self.db.acquire().await.expect("a connection");
        db::fetch_scalar::<i64>(&mut conn, sql, values)
            .await
            .expect("a count")
    }
}

impl Drop for TestApp {
    /// Drops the test's PostgreSQL database, also when the test failed. It
    /// runs on a thread of its own because `Drop` cannot wait on the test's
    /// runtime; `WITH (FORCE)` ends the server's pooled connections.
    fn drop(&mut self) {
        let Some(name) = self.postgres_database.take() else {
            return;
        };
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut conn = PgConnection::connect(&postgres_admin_url()).await.ok()?;
                conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await
                    .ok()
            })
        });
        let _ = cleanup.join();
    }
}

/// Starts the server on `database_url` with the test settings (and
/// `settings` over them); returns its base URL, its metrics listener's and
/// its database pool.
async fn start_server(
    database_url: &str,
    dir: &tempfile::TempDir,
    settings: &[(&str, &str)],
) -> (String, Option<String>, Db) {
    let static_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../frontend");
    let config = Config::from_lookup(|name| {
        if let Some((_, value)) = settings.iter().find(|(key, _)| *key == name) {
            return Some(value.to_string());
        }
        match name {
            "SAMMEN_ADDR" => Some("127.0.0.1:0".into()),
            "DATABASE_URL" => Some(database_url.to_string()),
            "SAMMEN_DEMO" => Some("1".into()),
            "SAMMEN_DB_MAX_CONNECTIONS" => Some("8".into()),
            "SAMMEN_STATIC_DIR" => Some(static_dir.into()),
            "SAMMEN_DATA_DIR" => Some(dir.path().display().to_string()),
            "SAMMEN_DEMO_PASSWORD" => Some(DEMO_PASSWORD.into()),
            "SAMMEN_OUTBOX_INTERVAL_MS" => Some("50".into()),
            // Tests write fast from one address; the limits have their own test.
            "SAMMEN_WRITES_PER_MINUTE_PER_ADDRESS" => Some("0".into()),
            "SAMMEN_WRITES_PER_MINUTE_PER_MUNICIPALITY" => Some("0".into()),
            "SAMMEN_MEETING_JOINS_PER_MINUTE_PER_ADDRESS" => Some("0".into()),
            _ => None,
        }
    })
    .expect("a valid test configuration");
    let app = Application::build(config).await.expect("the server starts");
    let base = format!("http://{}", app.local_addr());
    let metrics_base = app.metrics_addr().map(|addr| format!("http://{addr}"));
    let db = app.db().clone();
    tokio::spawn(app.run_until(std::future::pending()));
    (base, metrics_base, db)
}

fn test_client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client")
}

/// Creates an empty database; returns its URL and name.
async fn fresh_postgres_database() -> (String, String) {
    let admin = postgres_admin_url();
    let mut conn = PgConnection::connect(&admin).await.unwrap_or_else(|e| {
        panic!(
            "PostgreSQL is not reachable at {admin} ({e}). Start it (see README.md, \
             'Tests') or point SAMMEN_TEST_POSTGRES at a server where tests may create databases."
        )
    });
    let name = format!("{TEST_DATABASE_PREFIX}{}", Uuid::new_v4().simple());
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("CREATE DATABASE");
    let _ = conn.close().await;
    let base = admin
        .rsplit_once('/')
        .map(|(base, _)| base)
        .unwrap_or(&admin);
    (format!("{base}/{name}"), name)
}

/// A proposal that passes every rule, to vary in tests.
pub fn good_proposal() -> Value {
    serde_json::json!({
        "title": "Legegrupper for 3-5-årige",
        "summary": "Vi mødes hjemme hos hinanden hver anden torsdag.",
        "audience": "Familier på Regnbuen",
        "category": "playdate_group",
        "institution": "regnbuen",
        "place": {"name": "Regnbuen", "lat": 55.727, "lon": 9.109},
        "when": "Torsdage kl. 15.30",
        "needs": [{"title": "Værtsfamilier", "people_wanted": 4}],
        "contact": {"name": "Mette Hansen", "email": "mette@example.dk", "phone": "+45 12 34 56 78"}
    })
}

/// Runs each named `async fn(TestApp)` once on SQLite and once on PostgreSQL,
/// as tests `name::sqlite` and `name::postgres`; `name with SETTINGS` starts
/// the server with settings changed (see [`TestApp::spawn_with`]).
#[macro_export]
macro_rules! on_both_databases {
    ($name:ident with $settings:expr) => {
        mod $name {
            // The settings are written in the test's own module.
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(
                    $crate::TestApp::spawn_with($crate::Backend::Sqlite, $settings).await,
                )
                .await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name(
                    $crate::TestApp::spawn_with($crate::Backend::Postgres, $settings).await,
                )
                .await
            }
        }
    };
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::TestApp::spawn($crate::Backend::Sqlite).await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::TestApp::spawn($crate::Backend::Postgres).await).await
            }
        }
    )*};
}

/// A signed-in coordinator's view of the API: the session cookie on every
/// request and the CSRF token on every change.
pub struct Console<'a> {
    app: &'a TestApp,
    pub cookie: String,
    pub csrf: String,
}

impl Console<'_> {
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let changes = method != reqwest::Method::GET;
        let builder = self
            .app
            .client
            .request(method, self.app.url(path))
            .header("cookie", &self.cookie);
        if changes {
            builder.header("x-csrf-token", &self.csrf)
        } else {
            builder
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(reqwest::Method::GET, path)
            .send()
            .await
            .expect("GET answered")
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.request(reqwest::Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("POST answered")
    }
}

/// A real SMTP server (`tests/smtp/smtp_server.py`, on PyPI's aiosmtpd) on a
/// port of its own: it keeps every message it accepts as JSON and refuses
/// (550) recipients whose address starts with `refused`. Stopped when dropped.
pub struct SmtpServer {
    pub port: u16,
    folder: tempfile::TempDir,
    child: std::process::Child,
}

impl SmtpServer {
    /// Starts the server on a free port.
    pub fn start() -> SmtpServer {
        Self::start_on(free_port())
    }

    /// Starts the server on `port` (say, one a test first kept closed).
    pub fn start_on(port: u16) -> SmtpServer {
        use std::io::BufRead;
        let folder = tempfile::tempdir().expect("a mail folder");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/smtp/smtp_server.py");
        let mut child = std::process::Command::new("python3")
            .arg(script)
            .args(["--port", &port.to_string()])
            .arg("--folder")
            .arg(folder.path())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs the SMTP server (pip install aiosmtpd)");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("its output");
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the SMTP server starts");
        assert_eq!(
            line.trim(),
            "ready",
            "the SMTP server did not start (is aiosmtpd installed?)"
        );
        SmtpServer {
            port,
            folder,
            child,
        }
    }

    /// `smtp://127.0.0.1:PORT`, for `SAMMEN_SMTP_URL`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages accepted so far (envelope, headers, decoded subject and
    /// text, raw), in no particular order.
    pub fn messages(&self) -> Vec<Value> {
        let mut messages = Vec::new();
        for entry in std::fs::read_dir(self.folder.path()).expect("the mail folder") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).expect("a message");
                messages.push(serde_json::from_str(&text).expect("JSON"));
            }
        }
        messages
    }

    /// Waits up to 15 s for `count` messages.
    pub async fn wait_for(&self, count: usize) -> Vec<Value> {
        for _ in 0..150 {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "the SMTP server got {} messages, not {count}",
            self.messages().len()
        );
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

/// The body of a one-part `.eml`: quoted-printable, base64 or plain.
pub fn decode_mail_body(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or(("", &raw));
    let head = head.to_ascii_lowercase();
    let bytes: Vec<u8> = if head.contains("content-transfer-encoding: quoted-printable") {
        let joined = body.replace("=\n", "");
        let mut out = Vec::new();
        let mut rest = joined.as_bytes();
        while let Some((&first, tail)) = rest.split_first() {
            let hex = tail.get(..2).and_then(|h| std::str::from_utf8(h).ok());
            match (first, hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
                (b'=', Some(byte)) => {
                    out.push(byte);
                    rest = &tail[2..];
                }
                _ => {
                    out.push(first);
                    rest = tail;
                }
            }
        }
        out
    } else if head.contains("content-transfer-encoding: base64") {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let sextets: Vec<u32> = body
            .bytes()
            .filter_map(|b| ALPHABET.iter().position(|&a| a == b).map(|p| p as u32))
            .collect();
        sextets
            .chunks(4)
            .flat_map(|chunk| {
                let n = chunk.iter().fold(0u32, |acc, s| (acc << 6) | s) << (6 * (4 - chunk.len()));
                let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
                bytes[..chunk.len().saturating_sub(1)].to_vec()
            })
            .collect()
    } else {
        body.as_bytes().to_vec()
    };
    String::from_utf8_lossy(&bytes).into_owned()
}

const CATEGORIES: [&str; 4] = ["playdate_group", "snow_clearing", "walking_group", "other"];
const INSTITUTIONS: [Option<&str>; 3] = [None, Some("regnbuen"), Some("stenderup-skole")];

/// Inserts `count` initiatives of `status` straight into the table (as an
/// import or an operator would), in batches: categories and institutions
/// take turns, and every two share a timestamp, so the list's order needs
/// its tie-break. The newest is `newest`; returns the ids, newest first.
pub async fn seed_initiatives(
    app: &TestApp,
    municipality: &str,
    status: &str,
    count: usize,
    newest: chrono::DateTime<chrono::Utc>,
) -> Vec<Uuid> {
    let mut tx = app.db.begin().await.unwrap();
    let mut ids = Vec::with_capacity(count);
    for batch in (0..count).collect::<Vec<_>>().chunks(500) {
        let mut query = db::SqlBuilder::new(
            "INSERT INTO initiatives (id, municipality, institution, category, title, summary, \
             place_name, search_text, status, version, lang, follow_token_hash, created_at, \
             updated_at, published_at) VALUES ",
        );
        for (k, &i) in batch.iter().enumerate() {
            let id = Uuid::new_v4();
            ids.push(id);
            let at = newest - chrono::Duration::seconds((i / 2) as i64 * 60);
            let title = format!("Fællesspisning nr {i}");
            if k > 0 {
                query.push(", ");
            }
            query
                .push("(")
                .bind(id)
                .push(", ")
                .bind(municipality)
                .push(", ")
                .bind(INSTITUTIONS[i % 3])
                .push(", ")
                .bind(CATEGORIES[i % 4])
                .push(", ")
                .bind(title.as_str())
                .push(", 'Vi laver mad sammen.', 'Billund', ")
                .bind(title.to_lowercase())
                .push(", ")
                .bind(status)
                .push(", 1, 'da', ")
                .bind(format!("seeded-{}", Uuid::new_v4().simple()))
                .push(", ")
                .bind(at)
                .push(", ")
                .bind(at)
                .push(", ")
                .bind(at)
                .push(")");
        }
        db::execute(&mut tx, &query.sql, query.values)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    ids
}

#[cfg(test)]
mod tests {
    use super::decode_mail_body;

    #[test]
    fn reads_quoted_printable_base64_and_plain_bodies() {
        let qp = "Subject: x\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
                  G=C3=A5 til https://x.dk/group#sammen-group=3Dabc=\r\ndef her\r\n";
        assert_eq!(
            decode_mail_body(qp),
            "Gå til https://x.dk/group#sammen-group=abcdef her\n"
        );
        let b64 = "Content-Transfer-Encoding: base64\n\nR8OlIHRpbA==\n";
        assert_eq!(decode_mail_body(b64), "Gå til");
        assert_eq!(decode_mail_body("To: a\n\nHej"), "Hej");
    }
}
