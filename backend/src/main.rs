//! `sammen`: the server, and its few maintenance commands.

use std::process::ExitCode;

use sammen_backend::config::Config;
use sammen_backend::db::{self, Db};
use sammen_backend::startup::{shutdown_signal, Application};
use sammen_backend::{seed, telemetry};

const USAGE: &str = "usage: sammen [serve | migrate | seed-demo]

  serve      run the server (the default)
  migrate    bring the database schema up to date and exit
  seed-demo  load the demo municipalities if they are missing, and exit

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
            Ok(db) => seed::demo(&db).await.map(|_| ()).map_err(|e| e.to_string()),
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
