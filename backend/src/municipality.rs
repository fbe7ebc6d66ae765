//! Creating a municipality (a tenant): `sammen add-municipality` and the demo
//! data both go through here, so a real municipality starts exactly like a
//! demo one — the standard categories, and the web sites allowed to embed
//! the widget.

use chrono::Utc;
use sammen_shared::admin::{parse_origin, parse_slug};
use sammen_shared::initiative::DEFAULT_CATEGORIES;

use crate::args;
use crate::db::{self, Db, Executor};

/// A municipality to add, as the operator typed it.
pub struct NewMunicipality<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    /// Web sites allowed to embed the widget (`https://www.odense.dk`).
    pub sites: &'a [String],
}

/// What adding did, to print.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Added {
    pub created: bool,
    pub renamed: bool,
    pub categories: usize,
    pub sites_added: Vec<String>,
}

/// The names of a standard category: (Danish, English).
pub fn category_names(slug: &str) -> (&'static str, &'static str) {
    match slug {
        "playdate_group" => ("Legegrupper", "Playdate groups"),
        "snow_clearing" => ("Snerydning", "Snow clearing"),
        "playground_build" => ("Legepladsbyg", "Playground build"),
        "walking_group" => ("Gå-grupper", "Walking groups"),
        "bathing_area" => ("Badeområder", "Bathing areas"),
        _ => ("Andet", "Other"),
    }
}

/// Checks the operator's input; an error names the flag and the rule.
pub fn check(new: &NewMunicipality<'_>) -> Result<(String, String, Vec<String>), String> {
    let slug = parse_slug(new.slug, '-').map_err(|_| {
        format!(
            "--slug '{}' breaks the rule: 2 to 40 characters of lowercase a–z, digits and '-', \
             starting with a letter (e.g. odense, ringkobing-skjern)",
            new.slug
        )
    })?;
    let name = new.name.trim();
    if !(2..=100).contains(&name.chars().count()) || name.chars().any(char::is_control) {
        return Err(format!(
            "--name '{}' breaks the rule: 2 to 100 characters, on one line (e.g. \"Odense Kommune\")",
            new.name
        ));
    }
    let sites = new
        .sites
        .iter()
        .map(|site| {
            parse_origin(site).map_err(|_| {
                format!(
                    "--site '{site}' is not a web site's address: write the scheme and host only, \
                     like https://www.odense.dk (no path, no trailing page)"
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((slug, name.to_string(), sites))
}

/// Adds the municipality with the standard categories and `sites`; run again,
/// it changes nothing but a new name and sites not yet allowed.
pub async fn add(db: &Db, new: NewMunicipality<'_>) -> Result<Added, String> {
    let (slug, name, sites) = check(&new)?;
    let fail = |e: sqlx::Error| format!("cannot add the municipality: {e}");
    let mut tx = db.begin().await.map_err(fail)?;
    let mut added = Added::default();
    let created = db::execute(
        &mut tx,
        "INSERT INTO municipalities (slug, name, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (slug) DO NOTHING",
        args![&slug, &name, Utc::now()],
    )
    .await
    .map_err(fail)?;
    if created == 1 {
        added.created = true;
        added.categories = add_standard_categories(&mut tx, &slug, &[])
            .await
            .map_err(fail)?;
    } else {
        added.renamed = db::execute(
            &mut tx,
            "UPDATE municipalities SET name = $1 WHERE slug = $2 AND name <> $1",
            args![&name, &slug],
        )
        .await
        .map_err(fail)?
            == 1;
    }
    for site in sites {
        let inserted = db::execute(
            &mut tx,
            "INSERT INTO allowed_origins (municipality, origin) VALUES ($1, $2) \
             ON CONFLICT (municipality, origin) DO NOTHING",
            args![&slug, &site],
        )
        .await
        .map_err(fail)?;
        if inserted == 1 {
            added.sites_added.push(site);
        }
    }
    tx.commit().await.map_err(fail)?;
    Ok(added)
}

/// Adds the standard categories (and `extra` ones: slug, Danish, English)
/// to a new municipality; returns how many.
pub async fn add_standard_categories(
    ex: &mut impl Executor,
    municipality: &str,
    extra: &[(&str, &str, &str)],
) -> Result<usize, sqlx::Error> {
    let standard = DEFAULT_CATEGORIES.iter().map(|slug| {
        let (da, en) = category_names(slug);
        (*slug, da, en)
    });
    let mut count = 0;
    for (position, (slug, da, en)) in standard.chain(extra.iter().copied()).enumerate() {
        db::execute(
            ex,
            "INSERT INTO categories (municipality, slug, name_da, name_en, position) \
             VALUES ($1, $2, $3, $4, $5)",
            args![municipality, slug, da, en, position as i64],
        )
        .await?;
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new<'a>(slug: &'a str, name: &'a str, sites: &'a [String]) -> NewMunicipality<'a> {
        NewMunicipality { slug, name, sites }
    }

    #[test]
    fn bad_input_names_the_flag_and_the_rule() {
        let error = check(&new("Odense", "Odense Kommune", &[])).unwrap_err();
        assert!(
            error.contains("--slug 'Odense'") && error.contains("lowercase"),
            "{error}"
        );
        let error = check(&new("odense", " ", &[])).unwrap_err();
        assert!(error.contains("--name"), "{error}");
        let sites = ["www.odense.dk".to_string()];
        let error = check(&new("odense", "Odense Kommune", &sites)).unwrap_err();
        assert!(
            error.contains("--site 'www.odense.dk'") && error.contains("https://"),
            "{error}"
        );
        let sites = ["https://www.Odense.dk/".to_string()];
        let (slug, name, sites) = check(&new(" odense ", " Odense Kommune ", &sites)).unwrap();
        assert_eq!(
            (slug.as_str(), name.as_str(), sites),
            (
                "odense",
                "Odense Kommune",
                vec!["https://www.odense.dk".to_string()]
            )
        );
    }
}
