//! `sammen`: the server, and its few maintenance commands.

use std::process::ExitCode;

use sammen_backend::admin::accounts;
use sammen_backend::config::Config;
use sammen_backend::db::{self, Db};
use sammen_backend::startup::{shutdown_signal, Application};
use sammen_backend::{backup, seed, telemetry};
use sammen_shared::admin::Role;

const USAGE: &str = "usage: sammen [serve | migrate | seed-demo | add-coordinator …]

  serve      run the server (the default)
  migrate    bring the database schema up to date and exit
  seed-demo  load the demo municipalities if they are missing, and exit
  backup FILE     write a consistent copy of the SQLite database to FILE
                  (safe while the server runs)
  restore FILE    replace the SQLite database with the backup FILE (stop the
                  server first)
  add-coordinator --municipality SLUG --email EMAIL --name NAME
                  [--role admin|coordinator] [--institution SLUG]…
             create a coordinator (default role: coordinator); the password
             comes from SAMMEN_PASSWORD or the first line of standard input

Configuration comes from environment variables; see README.md.";

#[tokio::main]
async fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("sammen: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_json);
    let result = match command.as_str() {
        "serve" => serve(config).await,
        "migrate" => open(&config).await.map(|_| ()),
        "seed-demo" => match open(&config).await {
            Ok(db) => seed::demo(&db, config.demo_password.as_deref())
                .await
                .map(|_| ()),
            Err(error) => Err(error),
        },
        "backup" => match (open(&config).await, std::env::args().nth(2)) {
            (Ok(db), Some(file)) => backup::backup(&db, std::path::Path::new(&file))
                .await
                .map(|()| println!("backed up to {file}")),
            (Err(error), _) => Err(error),
            (_, None) => Err(format!("backup needs a file name\n{USAGE}")),
        },
        "restore" => match (
            backup::sqlite_file(&config.database_url),
            std::env::args().nth(2),
        ) {
            (Some(database), Some(file)) => backup::restore(database, std::path::Path::new(&file))
                .await
                .map(|()| println!("restored {} from {file}", database.display())),
            (None, _) => Err("restore is for SQLite; use pg_restore for PostgreSQL".into()),
            (_, None) => Err(format!("restore needs a file name\n{USAGE}")),
        },
        "add-coordinator" => match open(&config).await {
            Ok(db) => add_coordinator(&db, &std::env::args().skip(2).collect::<Vec<_>>()).await,
            Err(error) => Err(error),
        },
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command '{other}'\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            eprintln!("sammen: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn open(config: &Config) -> Result<Db, String> {
    let db = Db::connect(&db::Options {
        url: config.database_url.clone(),
        max_connections: 2,
    })
    .await
    .map_err(|e| format!("cannot open the database: {e}"))?;
    db.migrate()
        .await
        .map_err(|e| format!("cannot migrate the database: {e}"))?;
    Ok(db)
}

async fn serve(config: Config) -> Result<(), String> {
    let public_url = config.public_url.clone();
    let app = Application::build(config).await?;
    let addr = app.local_addr();
    tracing::info!(%addr, database = ?app.db().kind(), "Sammen is listening");
    println!("Sammen is running at {public_url}/demo  (API: {public_url}/api/openapi.json)");
    app.run_until(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))
}

async fn add_coordinator(db: &Db, args: &[String]) -> Result<(), String> {
    let mut flags: Vec<(&str, &str)> = Vec::new();
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let value = rest
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        flags.push((flag.as_str(), value.as_str()));
    }
    let one = |name: &str| {
        flags
            .iter()
            .find(|(flag, _)| *flag == name)
            .map(|(_, value)| *value)
            .ok_or_else(|| format!("add-coordinator needs {name}\n{USAGE}"))
    };
    let role = match flags
        .iter()
        .find(|(flag, _)| *flag == "--role")
        .map(|(_, v)| *v)
    {
        None => Role::Coordinator,
        Some(word) => Role::parse(word).ok_or("--role is admin or coordinator")?,
    };
    let institutions: Vec<String> = flags
        .iter()
        .filter(|(flag, _)| *flag == "--institution")
        .map(|(_, value)| value.to_string())
        .collect();
    let password = match std::env::var("SAMMEN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the password: {e}"))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let email = one("--email")?;
    accounts::create(
        db,
        accounts::NewCoordinator {
            municipality: one("--municipality")?,
            email,
            name: one("--name")?,
            role,
            institutions: &institutions,
            password: &password,
        },
    )
    .await?;
    println!("created {} {email}", role.as_str());
    Ok(())
}
