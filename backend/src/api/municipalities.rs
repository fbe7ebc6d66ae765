//! `GET /api/v1/municipalities/{municipality}`: what the widget needs to know
//! about a tenant — its institutions and categories — and the tenant lookup
//! every per-municipality route starts with.

use axum::extract::State;
use axum::Json;
use sammen_shared::municipality::{
    CategoryView, InstitutionKind, InstitutionView, MunicipalityView,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::AppState;
use crate::args;
use crate::db::{self, Executor};
use crate::error::{Error, Result};
use crate::extract::ApiPath;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read_municipality))
}

/// A municipality that exists, with what its records may refer to.
pub struct Tenant {
    pub slug: String,
    pub name: String,
    pub institutions: Vec<InstitutionView>,
    pub categories: Vec<CategoryView>,
}

impl Tenant {
    pub fn category_slugs(&self) -> Vec<String> {
        self.categories.iter().map(|c| c.slug.clone()).collect()
    }

    pub fn institution_slugs(&self) -> Vec<String> {
        self.institutions.iter().map(|i| i.slug.clone()).collect()
    }
}

#[derive(sqlx::FromRow)]
struct InstitutionRow {
    slug: String,
    name: String,
    kind: String,
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
pub async fn municipality_name(ex: &mut impl Executor, slug: &str) -> Result<String> {
    let name: Option<String> = db::fetch_scalars(
        ex,
        "SELECT name FROM municipalities WHERE slug = $1",
        args![slug],
    )
    .await?
    .into_iter()
    .next();
    name.ok_or_else(|| Error::not_found(format!("There is no municipality called '{slug}'.")))
}

/// Loads a municipality by slug, with its institutions and categories, or 404.
pub async fn tenant(ex: &mut impl Executor, slug: &str) -> Result<Tenant> {
    let name = municipality_name(ex, slug).await?;
    let institutions: Vec<InstitutionRow> = db::fetch_all(
        ex,
        "SELECT slug, name, kind FROM institutions WHERE municipality = $1 ORDER BY name",
        args![slug],
    )
    .await?;
    let categories: Vec<CategoryRow> = db::fetch_all(
        ex,
        "SELECT slug, name_da, name_en FROM categories WHERE municipality = $1 ORDER BY position",
        args![slug],
    )
    .await?;
    Ok(Tenant {
        slug: slug.to_string(),
        name,
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

/// A municipality: its name, institutions and categories.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{municipality}",
    tag = "public",
    params(("municipality" = String, Path, description = "Slug, e.g. `billund`")),
    responses(
        (status = 200, body = MunicipalityView),
        (status = 404, description = "No such municipality", body = sammen_shared::ErrorBody),
    )
)]
async fn read_municipality(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<MunicipalityView>> {
    let mut conn = state.db.acquire().await?;
    let tenant = tenant(&mut conn, &slug).await?;
    Ok(Json(MunicipalityView {
        slug: tenant.slug,
        name: tenant.name,
        institutions: tenant.institutions,
        categories: tenant.categories,
    }))
}
