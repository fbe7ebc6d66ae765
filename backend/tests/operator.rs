//! The operator's commands on the shipped binary, on SQLite and PostgreSQL:
//! `add-municipality` (checked input, run twice changes nothing),
//! `add-coordinator` for the new municipality, and `check-config` before
//! and after.

use std::path::Path;
use std::process::{Command, Output};

#[path = "support/scratch_postgres.rs"]
mod scratch_postgres;

use scratch_postgres::ScratchDatabase;

struct Operator {
    database_url: String,
    data: tempfile::TempDir,
    /// A stand-in for the built widget, so `check-config` finds it.
    static_dir: tempfile::TempDir,
}

impl Operator {
    fn new(database_url: String) -> Operator {
        let static_dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(static_dir.path().join("dist")).unwrap();
        std::fs::write(static_dir.path().join("dist/sammen.js"), "// built").unwrap();
        Operator {
            database_url,
            data: tempfile::tempdir().unwrap(),
            static_dir,
        }
    }

    fn sammen(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sammen"));
        command
            .env_clear()
            .env("DATABASE_URL", &self.database_url)
            .env("SAMMEN_DATA_DIR", self.data.path())
            .env("SAMMEN_STATIC_DIR", self.static_dir.path())
            .env("RUST_LOG", "warn")
            .args(args);
        for (name, value) in env {
            command.env(name, value);
        }
        command.output().expect("sammen runs")
    }
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn goes_live(operator: &Operator) {
    // Bad input: a clear error with the rule, and nothing created.
    let bad_slug = operator.sammen(
        &[
            "add-municipality",
            "--slug",
            "Odense Kommune",
            "--name",
            "Odense Kommune",
        ],
        &[],
    );
    assert_eq!(bad_slug.status.code(), Some(1));
    assert!(
        text(&bad_slug).contains("lowercase a–z"),
        "{}",
        text(&bad_slug)
    );
    let bad_site = operator.sammen(
        &[
            "add-municipality",
            "--slug",
            "odense",
            "--name",
            "Odense Kommune",
            "--site",
            "www.odense.dk/borger",
        ],
        &[],
    );
    assert_eq!(bad_site.status.code(), Some(1));
    assert!(
        text(&bad_site).contains("https://www.odense.dk"),
        "{}",
        text(&bad_site)
    );
    let typo = operator.sammen(
        &["add-municipality", "--slug", "odense", "--nmae", "Odense"],
        &[],
    );
    assert_eq!(typo.status.code(), Some(1));
    assert!(text(&typo).contains("no flag --nmae"), "{}", text(&typo));

    // Before anything exists, check-config says what is missing.
    let fresh = operator.sammen(&["check-config"], &[]);
    assert_eq!(fresh.status.code(), Some(0), "{}", text(&fresh));

    let created = operator.sammen(
        &[
            "add-municipality",
            "--slug",
            "odense",
            "--name",
            "Odense Kommune",
            "--site",
            "https://www.odense.dk",
        ],
        &[],
    );
    assert!(created.status.success(), "{}", text(&created));
    let said = text(&created);
    assert!(
        said.contains("created the municipality odense with 6 standard categories"),
        "{said}"
    );
    assert!(said.contains("allowed https://www.odense.dk"), "{said}");
    assert!(
        said.contains("add-coordinator --municipality odense"),
        "{said}"
    );

    let again = operator.sammen(
        &[
            "add-municipality",
            "--slug",
            "odense",
            "--name",
            "Odense Kommune",
            "--site",
            "https://www.odense.dk",
        ],
        &[],
    );
    assert!(again.status.success());
    assert!(
        text(&again).contains("nothing to change"),
        "{}",
        text(&again)
    );
    assert!(!text(&again).contains("allowed"), "{}", text(&again));
    let renamed = operator.sammen(
        &[
            "add-municipality",
            "--slug",
            "odense",
            "--name",
            "Odense Kommune (test)",
            "--site",
            "https://borger.odense.dk",
        ],
        &[],
    );
    assert!(
        text(&renamed).contains("name is updated"),
        "{}",
        text(&renamed)
    );
    assert!(text(&renamed).contains("allowed https://borger.odense.dk"));

    let production = [
        ("SAMMEN_PUBLIC_URL", "https://sammen.example.dk"),
        ("SAMMEN_SMTP_URL", "smtp://127.0.0.1:2525"),
        ("SAMMEN_TRUSTED_PROXIES", "127.0.0.1"),
    ];
    let no_admin = operator.sammen(&["check-config"], &production);
    let report = text(&no_admin);
    assert_eq!(no_admin.status.code(), Some(0), "{report}");
    assert!(report.contains("odense has no admin"), "{report}");
    assert!(report.contains("admins: 0, allowed sites: 2"), "{report}");

    let admin = operator.sammen(
        &[
            "add-coordinator",
            "--municipality",
            "odense",
            "--email",
            "anne@odense.example",
            "--name",
            "Anne Admin",
            "--role",
            "admin",
        ],
        &[("SAMMEN_PASSWORD", "a long private passphrase")],
    );
    assert!(admin.status.success(), "{}", text(&admin));
    let ready = operator.sammen(&["check-config"], &production);
    let report = text(&ready);
    assert!(ready.status.success(), "{report}");
    assert!(report.contains("Ready for production"), "{report}");
    assert!(!report.contains("Warnings"), "{report}");
    assert!(!report.contains("a long private"), "no secrets");

    // A development setup is warned about, not refused …
    let development = operator.sammen(&["check-config"], &[]);
    let report = text(&development);
    assert!(development.status.success(), "{report}");
    assert!(
        report.contains("is not https") && report.contains("SAMMEN_SMTP_URL"),
        "{report}"
    );
    // … but a missing widget is an error.
    let empty = tempfile::tempdir().unwrap();
    let unbuilt = operator.sammen(
        &["check-config"],
        &[("SAMMEN_STATIC_DIR", empty.path().to_str().unwrap())],
    );
    assert_eq!(unbuilt.status.code(), Some(1), "{}", text(&unbuilt));
    assert!(text(&unbuilt).contains("the widget is not built"));
}

#[test]
fn a_municipality_goes_live_from_the_command_line_on_sqlite() {
    let data = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", data.path().join("sammen.db").display());
    let operator = Operator::new(url);
    goes_live(&operator);
    assert!(Path::new(&data.path().join("sammen.db")).exists());
}

#[test]
fn a_municipality_goes_live_from_the_command_line_on_postgres() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let database = runtime.block_on(ScratchDatabase::create());
    let operator = Operator::new(database.url.clone());
    goes_live(&operator);
    runtime.block_on(database.drop_database());
}

#[test]
fn check_config_fails_when_the_database_cannot_be_reached() {
    let operator = Operator::new("postgres://nobody@127.0.0.1:1/none".into());
    let output = operator.sammen(&["check-config"], &[]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).contains("cannot reach the database"),
        "{}",
        text(&output)
    );
}
