//! Creating a municipality (a tenant): `sammen add-municipality` and the demo
//! data both go through here, so a real municipality starts exactly like a
//! demo one — the standard categories, and the web sites allowed to embed
//! the widget — and the tenant lookup every per-municipality route starts
//! with.

use crate::said;
use chrono::Utc;
use sammen_shared::admin::{parse_origin, parse_slug};
use sammen_shared::geo::GeoPoint;
use sammen_shared::initiative::DEFAULT_CATEGORIES;
use sammen_shared::municipality::{CategoryView, InstitutionKind, InstitutionView};
use sammen_shared::ErrorCode;

use crate::args;
use crate::db::{self, Db, Executor};
use crate::error::{Error, Result as ApiResult};

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

/// A municipality that exists, with what its records may refer to.
pub struct Tenant {
    pub slug: String,
    pub name: String,
    pub institutions: Vec<InstitutionView>,
    pub categories: Vec<CategoryView>,
    /// Where the admin placed an institution, by its slug.
    points: Vec<(String, GeoPoint)>,
}

impl Tenant {
    pub fn category_slugs(&self) -> Vec<String> {
        self.categories.iter().map(|c| c.slug.clone()).collect()
    }

    pub fn institution_slugs(&self) -> Vec<String> {
        self.institutions.iter().map(|i| i.slug.clone()).collect()
    }

    /// The point the admin set for `institution`, if any: where a proposal
    /// or an offer without a point of its own is placed.
    pub fn institution_point(&self, institution: Option<&str>) -> Option<GeoPoint> {
        let institution = institution?;
        self.points
            .iter()
            .find(|(slug, _)| slug == institution)
            .map(|(_, point)| *point)
    }
}

#[derive(sqlx::FromRow)]
struct InstitutionRow {
    slug: String,
    name: String,
    kind: String,
    lat: Option<f64>,
    lon: Option<f64>,
}

#[derive(sqlx::FromRow)]
struct CategoryRow {
    slug: String,
    name_da: String,
    name_en: String,
}

/// The name of a municipality, or 404. One query: enough for the routes
/// that only need to know the municipality exists (the public list is the
/// hottest path).
pub async fn municipality_name(ex: &mut impl Executor, slug: &str) -> ApiResult<String> {
    let name: Option<String> = db::fetch_scalars(
        ex,
        "SELECT name FROM municipalities WHERE slug = $1",
        args![slug],
    )
    .await?
    .into_iter()
    .next();
    name.ok_or_else(|| {
        Error::refused_with(
            ErrorCode::NotFound,
            &said::NO_SUCH_MUNICIPALITY,
            &[("slug", &slug)],
        )
    })
}

/// Loads a municipality by slug, with its institutions and categories, or 404.
pub async fn tenant(ex: &mut impl Executor, slug: &str) -> ApiResult<Tenant> {
    let name = municipality_name(ex, slug).await?;
    let institutions: Vec<InstitutionRow> = db::fetch_all(
        ex,
        "SELECT slug, name, kind, lat, lon FROM institutions WHERE municipality = $1 \
         ORDER BY name",
        args![slug],
    )
    .await?;
    let categories: Vec<CategoryRow> = db::fetch_all(
        ex,
        "SELECT slug, name_da, name_en FROM categories WHERE municipality = $1 ORDER BY position",
        args![slug],
    )
    .await?;
    let points = institutions
        .iter()
        .filter_map(|row| {
            let (lat, lon) = row.lat.zip(row.lon)?;
            Some((row.slug.clone(), GeoPoint { lat, lon }))
        })
        .collect();
    Ok(Tenant {
        slug: slug.to_string(),
        name,
        points,
        institutions: institutions
            .into_iter()
            .map(|row| InstitutionView {
                slug: row.slug,
                name: row.name,
                kind: InstitutionKind::parse(&row.kind).unwrap_or(InstitutionKind::Area),
            })
            .collect(),
        categories: categories
            .into_iter()
            .map(|row| CategoryView {
                slug: row.slug,
                name_da: row.name_da,
                name_en: row.name_en,
            })
            .collect(),
    })
}

/// Whether the admin allowed pages on `origin` to embed the widget for
/// `municipality`, or for any municipality when none is named.
pub async fn allows_origin(db: &Db, origin: &str, municipality: Option<&str>) -> ApiResult<bool> {
    let mut conn = db.acquire().await?;
    let count: i64 = match municipality {
        Some(municipality) => {
            db::fetch_scalar(
                &mut conn,
                "SELECT COUNT(*) FROM allowed_origins WHERE origin = $1 AND municipality = $2",
                args![origin, municipality],
            )
            .await?
        }
        None => {
            db::fetch_scalar(
                &mut conn,
                "SELECT COUNT(*) FROM allowed_origins WHERE origin = $1",
                args![origin],
            )
            .await?
        }
    };
    Ok(count > 0)
}

/// The municipality's retention period in months.
pub async fn retention_months(ex: &mut impl Executor, municipality: &str) -> ApiResult<u32> {
    let months: i64 = db::fetch_scalar(
        ex,
        "SELECT retention_months FROM municipalities WHERE slug = $1",
        args![municipality],
    )
    .await?;
    Ok(months.clamp(1, 1200) as u32)
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
