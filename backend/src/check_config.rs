//! `sammen check-config`: the settings a start would use, and what a
//! production setup should not have. It reads the database but never
//! changes it (no migration, no file created), so it can run before every
//! start (`ExecStartPre=` in `deploy/sammen.service`).
//!
//! Errors (the server would not start, or not work) make the exit status 1;
//! warnings do not.

use std::fmt::Write;
use std::path::Path;

use crate::args;
use crate::config::Config;
use crate::db::{self, Db};
use crate::startup::redact;

/// What the check found.
#[derive(Debug, Default)]
pub struct Report {
    pub settings: Vec<(&'static str, String)>,
    pub municipalities: Vec<String>,
    pub warnings: Vec<String>,
    pub errors: Vec<String>,
}

impl Report {
    pub fn render(&self) -> String {
        let mut out = String::from("Settings\n");
        for (name, value) in &self.settings {
            let _ = writeln!(out, "  {name:<30} {value}");
        }
        if !self.municipalities.is_empty() {
            out.push_str("\nMunicipalities\n");
            for line in &self.municipalities {
                let _ = writeln!(out, "  {line}");
            }
        }
        for (heading, items) in [("Warnings", &self.warnings), ("Errors", &self.errors)] {
            if !items.is_empty() {
                let _ = writeln!(out, "\n{heading}");
                for item in items.iter() {
                    let _ = writeln!(out, "  - {item}");
                }
            }
        }
        if self.errors.is_empty() {
            out.push_str(if self.warnings.is_empty() {
                "\nReady for production.\n"
            } else {
                "\nSammen can start; see the warnings before going live.\n"
            });
        }
        out
    }
}

/// Checks `config` (already parsed, so its syntax is right) and what the
/// database says about the municipalities.
pub async fn check(config: &Config) -> Report {
    let mut report = Report::default();
    settings(config, &mut report);
    production_warnings(config, &mut report);
    if let Err(error) = crate::outbox::Mailer::new(
        config.smtp_url.as_deref(),
        &config.mail_from,
        config.outbox_dir.clone(),
        config.outbox_interval,
    ) {
        report.errors.push(error);
    }
    database(config, &mut report).await;
    report
}

fn settings(config: &Config, report: &mut Report) {
    let proxies = &config.trusted_proxies;
    let trusted = if proxies.is_empty() {
        "none: the connecting peer is the client".to_string()
    } else {
        let networks: Vec<String> = proxies.networks().iter().map(|n| n.to_string()).collect();
        format!(
            "{} (client address from {})",
            networks.join(", "),
            proxies.header().name()
        )
    };
    let mail = match &config.smtp_url {
        Some(url) => format!("SMTP {}", redact(url)),
        None => format!("files in {}", config.outbox_dir.display()),
    };
    let metrics = match (config.metrics_addr, &config.metrics_token) {
        (Some(addr), _) => format!("on {addr} only"),
        (None, Some(_)) => "on the main address, to the bearer token".into(),
        (None, None) => "off".into(),
    };
    let limit = |n: u32| {
        if n == 0 {
            "off".to_string()
        } else {
            format!("{n}/min")
        }
    };
    let t = config.timeouts;
    report.settings = vec![
        ("SAMMEN_ADDR", config.addr.to_string()),
        ("DATABASE_URL", redact(&config.database_url)),
        ("SAMMEN_PUBLIC_URL", config.public_url.clone()),
        ("SAMMEN_TRUSTED_PROXIES", trusted),
        ("mail (SAMMEN_SMTP_URL)", mail),
        ("SAMMEN_MAIL_FROM", config.mail_from.clone()),
        ("metrics", metrics),
        (
            "timeouts (header, body, idle)",
            format!(
                "{} s, {} s, {} s",
                t.header.as_secs_f64(),
                t.body.as_secs_f64(),
                t.idle.as_secs_f64()
            ),
        ),
        (
            "writes per address, municipality",
            format!(
                "{}, {}",
                limit(config.writes_per_address),
                limit(config.writes_per_municipality)
            ),
        ),
        ("SAMMEN_STATIC_DIR", config.static_dir.display().to_string()),
        (
            "SAMMEN_DEMO",
            if config.demo { "on" } else { "off" }.to_string(),
        ),
    ];
}

fn production_warnings(config: &Config, report: &mut Report) {
    let warn = &mut report.warnings;
    if !config.public_url.starts_with("https://") {
        warn.push(format!(
            "SAMMEN_PUBLIC_URL ({}) is not https: cookies are not Secure, links in emails are \
             plain http, and there is no Strict-Transport-Security",
            config.public_url
        ));
    }
    if config.smtp_url.is_none() {
        warn.push(format!(
            "mail is written to files in {} and reaches nobody: set SAMMEN_SMTP_URL",
            config.outbox_dir.display()
        ));
    }
    if config.demo {
        warn.push("SAMMEN_DEMO is on: the demo municipalities are loaded".into());
    }
    if config.trusted_proxies.is_empty() && config.public_url.starts_with("https://") {
        warn.push(
            "no SAMMEN_TRUSTED_PROXIES although the public URL is https: behind a TLS proxy \
             every client has the proxy's address (one write limit and one sign-in throttle \
             for the whole town)"
                .into(),
        );
    }
    if config.metrics_addr.is_some_and(|a| !a.ip().is_loopback()) {
        warn.push(
            "SAMMEN_METRICS_ADDR is not a loopback address: make sure only the scraper reaches it"
                .into(),
        );
    }
    let widget = config.static_dir.join("dist").join("sammen.js");
    if !widget.is_file() {
        report.errors.push(format!(
            "the widget is not built: {} is missing (cargo xtask build-widget, or \
             SAMMEN_STATIC_DIR points elsewhere)",
            widget.display()
        ));
    }
}

#[derive(sqlx::FromRow)]
struct MunicipalityRow {
    slug: String,
    name: String,
    admins: i64,
    sites: i64,
}

async fn database(config: &Config, report: &mut Report) {
    if let Some(file) = crate::backup::sqlite_file(&config.database_url) {
        if !Path::new(file).exists() {
            report.warnings.push(format!(
                "there is no database at {} yet; the first start creates it",
                file.display()
            ));
            return;
        }
    }
    let db = match Db::connect(&db::Options {
        url: config.database_url.clone(),
        max_connections: 1,
    })
    .await
    {
        Ok(db) => db,
        Err(error) => {
            report.errors.push(format!(
                "cannot reach the database {}: {error}",
                redact(&config.database_url)
            ));
            return;
        }
    };
    let Ok(mut conn) = db.acquire().await else {
        report
            .errors
            .push("cannot open a database connection".into());
        return;
    };
    let applied: Result<i64, _> =
        db::fetch_scalar(&mut conn, "SELECT COUNT(*) FROM _sqlx_migrations", vec![]).await;
    match applied {
        Err(_) => {
            report
                .warnings
                .push("the database has no schema yet; the first start creates it".into());
            return;
        }
        Ok(applied) if (applied as usize) < db.migration_count() => report.warnings.push(format!(
            "{} database migrations are waiting; the next start applies them (back up first)",
            db.migration_count() - applied as usize
        )),
        Ok(_) => {}
    }
    let rows: Vec<MunicipalityRow> = match db::fetch_all(
        &mut conn,
        "SELECT m.slug, m.name, \
         (SELECT COUNT(*) FROM coordinators c WHERE c.municipality = m.slug \
          AND c.role = 'admin' AND c.active = $1) AS admins, \
         (SELECT COUNT(*) FROM allowed_origins o WHERE o.municipality = m.slug) AS sites \
         FROM municipalities m ORDER BY m.slug",
        args![true],
    )
    .await
    {
        Ok(rows) => rows,
        Err(error) => {
            report
                .errors
                .push(format!("cannot read the municipalities: {error}"));
            return;
        }
    };
    if rows.is_empty() {
        report.warnings.push(
            "no municipality yet: sammen add-municipality --slug … --name … --site https://…"
                .into(),
        );
    }
    for row in rows {
        report.municipalities.push(format!(
            "{:<20} {:<30} admins: {}, allowed sites: {}",
            row.slug, row.name, row.admins, row.sites
        ));
        if row.admins == 0 {
            report.warnings.push(format!(
                "{} has no admin: sammen add-coordinator --municipality {} --email … --name … \
                 --role admin",
                row.slug, row.slug
            ));
        }
        if row.sites == 0 {
            report.warnings.push(format!(
                "{} allows no web site: the widget works on no page until an admin adds one \
                 (console → Settings → Embed on your website, or add-municipality --site)",
                row.slug
            ));
        }
    }
    let notices: Vec<String> = db::fetch_scalars(
        &mut conn,
        "SELECT detail FROM operator_notices WHERE last_at > $1 ORDER BY key",
        args![chrono::Utc::now() - chrono::Duration::days(7)],
    )
    .await
    .unwrap_or_default();
    report.warnings.extend(notices);
    drop(conn);
    db.close().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Config {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned()).unwrap()
    }

    #[test]
    fn a_development_setup_gets_the_production_warnings() {
        let mut report = Report::default();
        production_warnings(&config(&[]), &mut report);
        let text = report.warnings.join("\n");
        assert!(text.contains("not https"), "{text}");
        assert!(text.contains("SAMMEN_SMTP_URL"), "{text}");
    }

    #[test]
    fn https_without_trusted_proxies_is_named() {
        let mut report = Report::default();
        production_warnings(
            &config(&[
                ("SAMMEN_PUBLIC_URL", "https://sammen.example.dk"),
                ("SAMMEN_SMTP_URL", "smtps://u:p@mail.example.dk"),
            ]),
            &mut report,
        );
        assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
        assert!(report.warnings[0].contains("SAMMEN_TRUSTED_PROXIES"));
        let mut behind = Report::default();
        production_warnings(
            &config(&[
                ("SAMMEN_PUBLIC_URL", "https://sammen.example.dk"),
                ("SAMMEN_SMTP_URL", "smtps://u:p@mail.example.dk"),
                ("SAMMEN_TRUSTED_PROXIES", "127.0.0.1"),
            ]),
            &mut behind,
        );
        assert!(behind.warnings.is_empty(), "{:?}", behind.warnings);
    }

    #[test]
    fn secrets_are_not_printed() {
        let mut report = Report::default();
        settings(
            &config(&[
                ("DATABASE_URL", "postgres://sammen:db-secret@db/sammen"),
                (
                    "SAMMEN_SMTP_URL",
                    "smtps://user:mail-secret@mail.example.dk",
                ),
                ("SAMMEN_METRICS_TOKEN", "metrics-secret-0123456789"),
            ]),
            &mut report,
        );
        let text = report.render();
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("sammen:***@db"), "{text}");
    }
}
