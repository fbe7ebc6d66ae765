//! `sammen`: the server, and its few maintenance commands.

use std::io::IsTerminal;
use std::process::ExitCode;

use sammen_backend::accounts;
use sammen_backend::config::Config;
use sammen_backend::db::{self, Db};
use sammen_backend::startup::{shutdown_signal, Application};
use sammen_backend::{backup, check_config, municipality, seed, telemetry};
use sammen_shared::admin::Role;

/// mimalloc instead of glibc's malloc: a public read allocates a few dozen
/// small buffers and futures, and glibc's malloc and free were 12 % of its
/// time under load (perf); the benches use the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: sammen [serve | check-config | migrate | seed-demo | add-municipality … | add-coordinator …]

  serve      run the server (the default)
  check-config
             print the settings a start would use and warn about what a
             production setup should not have; exit status 1 on errors
  migrate    bring the database schema up to date and exit
  seed-demo  load the demo municipalities if they are missing, and exit
  add-municipality --slug SLUG --name NAME [--site https://…]…
             create a municipality with the standard categories and the web
             sites allowed to embed the widget; run again, it changes only a
             new name and adds new sites
  add-coordinator --municipality SLUG --email EMAIL --name NAME
             [--role admin|coordinator] [--institution SLUG]…
             create a coordinator (default role: coordinator); the password
             comes from SAMMEN_PASSWORD, else it is asked for (not shown) on
             a terminal, else read from the first line of standard input
  backup FILE
             write a consistent copy of the SQLite database to FILE (safe
             while the server runs)
  restore FILE
             replace the SQLite database with the backup FILE (stop the
             server first)

Configuration comes from environment variables; see README.md.";

/// Said after a mistake on the command line, instead of all of [`USAGE`].
const HELP: &str = "`sammen help` lists the commands and their flags";

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
            (_, None) => Err(format!("backup needs a file name; {HELP}")),
        },
        "restore" => match (
            backup::sqlite_file(&config.database_url),
            std::env::args().nth(2),
        ) {
            (Some(database), Some(file)) => backup::restore(database, std::path::Path::new(&file))
                .await
                .map(|()| println!("restored {} from {file}", database.display())),
            (None, _) => Err("restore is for SQLite; use pg_restore for PostgreSQL".into()),
            (_, None) => Err(format!("restore needs a file name; {HELP}")),
        },
        "add-coordinator" => match open(&config).await {
            Ok(db) => add_coordinator(&db, &std::env::args().skip(2).collect::<Vec<_>>()).await,
            Err(error) => Err(error),
        },
        "add-municipality" => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            match Flags::parse(&args) {
                Err(error) => Err(error),
                Ok(flags) => match open(&config).await {
                    Ok(db) => add_municipality(&db, &flags, &config.public_url).await,
                    Err(error) => Err(error),
                },
            }
        }
        "check-config" => {
            let report = check_config::check(&config).await;
            print!("{}", report.render());
            if report.errors.is_empty() {
                Ok(())
            } else {
                return ExitCode::FAILURE;
            }
        }
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command '{other}'; {HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The server's failure also goes to its (JSON) log; a command's
            // error is for the person who typed it, said once.
            if command == "serve" {
                tracing::error!("{error}");
            }
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
    sammen_backend::startup::migrate(&db).await?;
    Ok(db)
}

async fn serve(config: Config) -> Result<(), String> {
    let public_url = config.public_url.clone();
    let demo = config.demo;
    let app = Application::build(config).await?;
    let addr = app.local_addr();
    // Before the announcement: a SIGTERM right after it stops us cleanly.
    let shutdown = shutdown_signal();
    tracing::info!(%addr, database = ?app.db().kind(), "Sammen is listening");
    if demo {
        println!("Sammen is running at {public_url}/demo  (API: {public_url}/api/openapi.json)");
    } else {
        println!("Sammen is running at {public_url}  (console: {public_url}/console, API: {public_url}/api/openapi.json)");
    }
    app.run_until(shutdown)
        .await
        .map_err(|e| format!("server error: {e}"))
}

/// `--flag value` pairs of a command line.
struct Flags<'a>(Vec<(&'a str, &'a str)>);

impl<'a> Flags<'a> {
    fn parse(args: &'a [String]) -> Result<Flags<'a>, String> {
        let mut flags = Vec::new();
        let mut rest = args.iter();
        while let Some(flag) = rest.next() {
            if !flag.starts_with("--") {
                return Err(format!("'{flag}' is not a flag (--name value); {HELP}"));
            }
            let value = rest
                .next()
                .ok_or_else(|| format!("{flag} needs a value; {HELP}"))?;
            flags.push((flag.as_str(), value.as_str()));
        }
        Ok(Flags(flags))
    }

    fn optional(&self, name: &str) -> Option<&'a str> {
        self.0
            .iter()
            .find(|(flag, _)| *flag == name)
            .map(|(_, v)| *v)
    }

    fn one(&self, command: &str, name: &str) -> Result<&'a str, String> {
        self.optional(name)
            .ok_or_else(|| format!("{command} needs {name}; {HELP}"))
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(flag, _)| *flag == name)
            .map(|(_, value)| value.to_string())
            .collect()
    }

    /// Refuses flags the command does not know (a typo would otherwise be
    /// silently ignored).
    fn only(&self, command: &str, known: &[&str]) -> Result<(), String> {
        match self.0.iter().find(|(flag, _)| !known.contains(flag)) {
            Some((flag, _)) => Err(format!(
                "{command} has no flag {flag}; it takes {}",
                known.join(", ")
            )),
            None => Ok(()),
        }
    }
}

async fn add_municipality(db: &Db, flags: &Flags<'_>, public_url: &str) -> Result<(), String> {
    const COMMAND: &str = "add-municipality";
    flags.only(COMMAND, &["--slug", "--name", "--site"])?;
    let slug = flags.one(COMMAND, "--slug")?;
    let sites = flags.all("--site");
    let added = municipality::add(
        db,
        municipality::NewMunicipality {
            slug,
            name: flags.one(COMMAND, "--name")?,
            sites: &sites,
        },
    )
    .await?;
    let slug = slug.trim();
    if added.created {
        println!(
            "created the municipality {slug} with {} standard categories",
            added.categories
        );
    } else if added.renamed {
        println!("the municipality {slug} exists; its name is updated");
    } else if added.sites_added.is_empty() {
        println!("the municipality {slug} exists; nothing to change");
    } else {
        println!("the municipality {slug} exists");
    }
    for site in &added.sites_added {
        println!("allowed {site} to embed the widget");
        if site.starts_with("http://") {
            println!("  note: {site} is not https; browsers will not mix it with an https Sammen");
        }
    }
    if added.created {
        println!(
            "next: its first admin, e.g.\n  sammen add-coordinator --municipality {slug} \
             --email anne@example.dk --name \"Anne Admin\" --role admin\n\
             then sign in at {public_url}/console"
        );
    }
    Ok(())
}

async fn add_coordinator(db: &Db, args: &[String]) -> Result<(), String> {
    const COMMAND: &str = "add-coordinator";
    let flags = Flags::parse(args)?;
    flags.only(
        COMMAND,
        &[
            "--municipality",
            "--email",
            "--name",
            "--role",
            "--institution",
        ],
    )?;
    let role = match flags.optional("--role") {
        None => Role::Coordinator,
        Some(word) => Role::parse(word).ok_or("--role is admin or coordinator")?,
    };
    let institutions = flags.all("--institution");
    let password = match std::env::var("SAMMEN_PASSWORD") {
        Ok(password) => password,
        // A person at a terminal is asked, and what they type is not shown.
        Err(_) if std::io::stdin().is_terminal() => rpassword::prompt_password(
            "Password for the new coordinator (at least 12 characters): ",
        )
        .map_err(|e| format!("cannot read the password: {e}"))?,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the password: {e}"))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let email = flags.one(COMMAND, "--email")?;
    accounts::create(
        db,
        accounts::NewCoordinator {
            municipality: flags.one(COMMAND, "--municipality")?,
            email,
            name: flags.one(COMMAND, "--name")?,
            role,
            institutions: &institutions,
            password: &password,
        },
    )
    .await?;
    println!("created {} {email}", role.as_str());
    Ok(())
}
