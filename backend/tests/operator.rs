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

impl Operator {
    /// `sammen add-municipality --slug SLUG --name NAME [--site SITE]…`.
    fn add_municipality(&self, slug: &str, name: &str, sites: &[&str]) -> Output {
        let mut args = vec!["add-municipality", "--slug", slug, "--name", name];
        for site in sites {
            args.extend(["--site", site]);
        }
        self.sammen(&args, &[])
    }
}

/// Asserts the command succeeded (or failed with status 1) and said `words`.
fn says(output: &Output, success: bool, words: &str) {
    let said = text(output);
    let status = if success { Some(0) } else { Some(1) };
    assert_eq!(output.status.code(), status, "{said}");
    assert!(said.contains(words), "expected «{words}» in: {said}");
}

fn goes_live(operator: &Operator) {
    // Bad input: a clear error with the rule, and nothing created.
    let bad_slug = operator.add_municipality("Odense Kommune", "Odense Kommune", &[]);
    says(&bad_slug, false, "lowercase a–z");
    let bad_site = operator.add_municipality("odense", "Odense Kommune", &["www.odense.dk/borger"]);
    says(&bad_site, false, "https://www.odense.dk");
    let typo = operator.sammen(
        &["add-municipality", "--slug", "odense", "--nmae", "Odense"],
        &[],
    );
    says(&typo, false, "no flag --nmae");

    // Before anything exists, check-config says what is missing.
    let fresh = operator.sammen(&["check-config"], &[]);
    assert_eq!(fresh.status.code(), Some(0), "{}", text(&fresh));

    let site = ["https://www.odense.dk"];
    let created = operator.add_municipality("odense", "Odense Kommune", &site);
    says(
        &created,
        true,
        "created the municipality odense with 6 standard categories",
    );
    says(&created, true, "allowed https://www.odense.dk");
    says(&created, true, "add-coordinator --municipality odense");

    let again = operator.add_municipality("odense", "Odense Kommune", &site);
    says(&again, true, "nothing to change");
    assert!(!text(&again).contains("allowed"), "{}", text(&again));
    let renamed = operator.add_municipality(
        "odense",
        "Odense Kommune (test)",
        &["https://borger.odense.dk"],
    );
    says(&renamed, true, "name is updated");
    says(&renamed, true, "allowed https://borger.odense.dk");

    let production = [
        ("SAMMEN_PUBLIC_URL", "https://sammen.example.dk"),
        ("SAMMEN_SMTP_URL", "smtp://127.0.0.1:2525"),
        ("SAMMEN_TRUSTED_PROXIES", "127.0.0.1"),
    ];
    let no_admin = operator.sammen(&["check-config"], &production);
    says(&no_admin, true, "odense has no admin");
    says(&no_admin, true, "admins: 0, allowed sites: 2");

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
    says(&ready, true, "Ready for production");
    assert!(!text(&ready).contains("Warnings"), "{}", text(&ready));
    assert!(!text(&ready).contains("a long private"), "no secrets");

    // A development setup is warned about, not refused …
    let development = operator.sammen(&["check-config"], &[]);
    says(&development, true, "is not https");
    says(&development, true, "SAMMEN_SMTP_URL");
    // … but a missing widget is an error.
    let empty = tempfile::tempdir().unwrap();
    let unbuilt = operator.sammen(
        &["check-config"],
        &[("SAMMEN_STATIC_DIR", empty.path().to_str().unwrap())],
    );
    says(&unbuilt, false, "the widget is not built");
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
    says(&output, false, "cannot reach the database");
}
