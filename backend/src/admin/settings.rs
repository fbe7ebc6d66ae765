//! What a municipality admin manages: coordinators, institutions, categories
//! and the web sites allowed to embed the widget. Every change is audited.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use sammen_shared::admin::{
    parse_origin, parse_slug, CoordinatorView, InstitutionPlace, InstitutionPoint, NewCategory,
    NewCoordinatorInput, NewInstitution, Origin, Role,
};
use sammen_shared::geo::GeoPoint;
use sammen_shared::municipality::{CategoryView, InstitutionKind, InstitutionView};
use sammen_shared::person::parse_email;
use sammen_shared::text::{self, parse_text};
use sammen_shared::{FieldError, FieldErrors};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::accounts::{self, NewCoordinator};
use crate::admin::signed::Signed;
use crate::args;
use crate::db::{self};
use crate::error::{
    AdminChangeRefused, AdminReadRefused, Error, JsonBodyRefused, NotSignedIn, Result,
};
use crate::extract::{ApiJson, ApiPath, ApiQuery, ConsoleLang};
use crate::password;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_coordinators, add_coordinator))
        .routes(routes!(list_institutions, add_institution))
        .routes(routes!(set_institution_point))
        .routes(routes!(add_category))
        .routes(routes!(list_origins, allow_origin, disallow_origin))
}

#[derive(sqlx::FromRow)]
struct Assignment {
    coordinator_id: Uuid,
    institution: String,
}

#[derive(sqlx::FromRow)]
struct CoordinatorRow {
    id: Uuid,
    email: String,
    name: String,
    role: String,
    active: bool,
}

/// The municipality's coordinators (admins only).
#[utoipa::path(
    get,
    path = "/api/v1/admin/coordinators",
    tag = "admin",
    responses(
        (status = 200, body = Vec<CoordinatorView>),
        AdminReadRefused,
    )
)]
async fn list_coordinators(
    State(state): State<AppState>,
    signed: Signed,
) -> Result<Json<Vec<CoordinatorView>>> {
    signed.require_admin()?;
    let mut conn = state.db.acquire().await?;
    let rows: Vec<CoordinatorRow> = db::fetch_all(
        &mut conn,
        "SELECT id, email, name, role, active FROM coordinators WHERE municipality = $1 \
         ORDER BY name",
        args![&signed.municipality],
    )
    .await?;
    // One query for every assignment, not one per coordinator.
    let assignments: Vec<Assignment> = db::fetch_all(
        &mut conn,
        "SELECT ci.coordinator_id, ci.institution FROM coordinator_institutions ci \
         JOIN coordinators c ON c.id = ci.coordinator_id WHERE c.municipality = $1 \
         ORDER BY ci.institution",
        args![&signed.municipality],
    )
    .await?;
    let mut by_coordinator: std::collections::HashMap<Uuid, Vec<String>> = Default::default();
    for assignment in assignments {
        by_coordinator
            .entry(assignment.coordinator_id)
            .or_default()
            .push(assignment.institution);
    }
    let views = rows
        .into_iter()
        .map(|row| CoordinatorView {
            institutions: by_coordinator.remove(&row.id).unwrap_or_default(),
            id: row.id,
            municipality: signed.municipality.clone(),
            email: row.email,
            name: row.name,
            role: Role::parse(&row.role).unwrap_or(Role::Coordinator),
            active: row.active,
        })
        .collect();
    Ok(Json(views))
}

/// Create a coordinator (admins only). Hand the first password over privately.
#[utoipa::path(
    post,
    path = "/api/v1/admin/coordinators",
    tag = "admin",
    request_body = NewCoordinatorInput,
    responses(
        (status = 201, body = CoordinatorView),
        AdminChangeRefused,
        (status = 422, description = "Fields to correct", body = sammen_shared::ErrorBody),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
    )
)]
async fn add_coordinator(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    body: ApiJson<NewCoordinatorInput>,
) -> Result<(StatusCode, Json<CoordinatorView>)> {
    signed.require_admin()?;
    let input = body.value;
    let mut errors = FieldErrors::new();
    let email = input.email.trim().to_lowercase();
    match parse_email(Some(&email)) {
        Ok(Some(_)) => {}
        Ok(None) => errors.add("email", FieldError::Required),
        Err(error) => errors.add("email", error),
    }
    let name = errors.check("name", parse_text(&input.name, text::LABEL));
    if password::check_strength(&input.password).is_err() {
        errors.add("password", FieldError::WeakPassword);
    }
    for (index, slug) in input.institutions.iter().enumerate() {
        if !signed.institutions.contains(slug) {
            errors.add(
                format!("institutions[{index}]"),
                FieldError::UnknownInstitution,
            );
        }
    }
    let mut conn = state.db.acquire().await?;
    let taken: i64 = db::fetch_scalar(
        &mut conn,
        "SELECT COUNT(*) FROM coordinators WHERE municipality = $1 AND email = $2",
        args![&signed.municipality, &email],
    )
    .await?;
    if taken > 0 {
        errors.add("email", FieldError::Taken);
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors, lang.into()));
    }
    drop(conn);
    let role = input.role.unwrap_or(Role::Coordinator);
    let name = name.unwrap_or_default();
    let id = accounts::create(
        &state.db,
        NewCoordinator {
            municipality: &signed.municipality,
            email: &email,
            name: &name,
            role,
            institutions: &input.institutions,
            password: &input.password,
        },
    )
    .await
    .map_err(|e| Error::conflict(format!("The coordinator was not created: {e}")))?;
    let mut conn = state.db.acquire().await?;
    let view = CoordinatorView {
        id,
        municipality: signed.municipality.clone(),
        email,
        name,
        role,
        institutions: input.institutions,
        active: true,
    };
    signed
        .record(
            &mut conn,
            "create_coordinator",
            "coordinator",
            id.to_string(),
            json!({"email": view.email, "role": role.as_str(), "institutions": view.institutions}),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(sqlx::FromRow)]
struct PlaceRow {
    slug: String,
    name: String,
    kind: String,
    lat: Option<f64>,
    lon: Option<f64>,
}

fn place_of(row: PlaceRow) -> Result<InstitutionPlace> {
    Ok(InstitutionPlace {
        kind: InstitutionKind::parse(&row.kind)
            .ok_or_else(|| Error::Internal(format!("unknown kind '{}'", row.kind)))?,
        point: row.lat.zip(row.lon).map(|(lat, lon)| GeoPoint { lat, lon }),
        slug: row.slug,
        name: row.name,
    })
}

/// The municipality's institutions and areas with their points.
#[utoipa::path(
    get,
    path = "/api/v1/admin/institutions",
    tag = "admin",
    responses(
        (status = 200, body = Vec<InstitutionPlace>),
        NotSignedIn,
    )
)]
async fn list_institutions(
    State(state): State<AppState>,
    signed: Signed,
) -> Result<Json<Vec<InstitutionPlace>>> {
    let mut conn = state.db.acquire().await?;
    let rows: Vec<PlaceRow> = db::fetch_all(
        &mut conn,
        "SELECT slug, name, kind, lat, lon FROM institutions WHERE municipality = $1 ORDER BY name",
        args![&signed.municipality],
    )
    .await?;
    rows.into_iter()
        .map(place_of)
        .collect::<Result<_>>()
        .map(Json)
}

/// Set or remove the point of an institution or area (admins only): a
/// proposal or an offer tied to it without a place of its own gets it.
#[utoipa::path(
    put,
    path = "/api/v1/admin/institutions/{slug}/point",
    tag = "admin",
    params(("slug" = String, Path, description = "The institution's slug")),
    request_body = InstitutionPoint,
    responses(
        (status = 200, body = InstitutionPlace),
        AdminChangeRefused,
        (status = 404, description = "No such institution", body = sammen_shared::ErrorBody),
        (status = 422, description = "Half a point, or out of range", body = sammen_shared::ErrorBody),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
    )
)]
async fn set_institution_point(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    ApiPath(slug): ApiPath<String>,
    body: ApiJson<InstitutionPoint>,
) -> Result<Json<InstitutionPlace>> {
    signed.require_admin()?;
    let mut errors = FieldErrors::new();
    let point = GeoPoint::parse_optional(body.value.lat, body.value.lon, "point", &mut errors);
    if !errors.is_empty() {
        return Err(Error::Validation(errors, lang.into()));
    }
    let mut tx = state.db.begin().await?;
    let changed = db::execute(
        &mut tx,
        "UPDATE institutions SET lat = $1, lon = $2 WHERE municipality = $3 AND slug = $4",
        args![
            point.map(|p| p.lat),
            point.map(|p| p.lon),
            &signed.municipality,
            &slug
        ],
    )
    .await?;
    if changed == 0 {
        return Err(Error::not_found("There is no such institution."));
    }
    signed
        .record(
            &mut tx,
            "set_institution_point",
            "institution",
            slug.clone(),
            json!({"point": point}),
        )
        .await?;
    let row: PlaceRow = db::fetch_optional(
        &mut tx,
        "SELECT slug, name, kind, lat, lon FROM institutions WHERE municipality = $1 AND slug = $2",
        args![&signed.municipality, &slug],
    )
    .await?
    .ok_or_else(|| Error::Internal("the institution just changed is gone".into()))?;
    tx.commit().await?;
    Ok(Json(place_of(row)?))
}

/// Add an institution (admins only).
#[utoipa::path(
    post,
    path = "/api/v1/admin/institutions",
    tag = "admin",
    request_body = NewInstitution,
    responses(
        (status = 201, body = InstitutionView),
        AdminChangeRefused,
        (status = 422, description = "Fields to correct", body = sammen_shared::ErrorBody),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
    )
)]
async fn add_institution(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    body: ApiJson<NewInstitution>,
) -> Result<(StatusCode, Json<InstitutionView>)> {
    signed.require_admin()?;
    let mut errors = FieldErrors::new();
    let slug = errors.check("slug", parse_slug(&body.value.slug, '-'));
    let name = errors.check("name", parse_text(&body.value.name, text::LABEL));
    let kind = body.value.kind.unwrap_or(InstitutionKind::Area);
    let (Some(slug), Some(name)) = (slug, name) else {
        return Err(Error::Validation(errors, lang.into()));
    };
    let mut tx = state.db.begin().await?;
    let inserted = db::execute(
        &mut tx,
        "INSERT INTO institutions (municipality, slug, name, kind) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (municipality, slug) DO NOTHING",
        args![&signed.municipality, &slug, &name, kind.as_str()],
    )
    .await?;
    if inserted == 0 {
        errors.add("slug", FieldError::Taken);
        return Err(Error::Validation(errors, lang.into()));
    }
    signed
        .record(
            &mut tx,
            "create_institution",
            "institution",
            slug.clone(),
            json!({"slug": slug, "name": name}),
        )
        .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(InstitutionView { slug, name, kind }),
    ))
}

/// Add a category of initiatives (admins only).
#[utoipa::path(
    post,
    path = "/api/v1/admin/categories",
    tag = "admin",
    request_body = NewCategory,
    responses(
        (status = 201, body = CategoryView),
        AdminChangeRefused,
        (status = 422, description = "Fields to correct", body = sammen_shared::ErrorBody),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
    )
)]
async fn add_category(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    body: ApiJson<NewCategory>,
) -> Result<(StatusCode, Json<CategoryView>)> {
    signed.require_admin()?;
    let mut errors = FieldErrors::new();
    let slug = errors.check("slug", parse_slug(&body.value.slug, '_'));
    let name_da = errors.check("name_da", parse_text(&body.value.name_da, text::LABEL));
    let name_en = errors.check("name_en", parse_text(&body.value.name_en, text::LABEL));
    let (Some(slug), Some(name_da), Some(name_en)) = (slug, name_da, name_en) else {
        return Err(Error::Validation(errors, lang.into()));
    };
    let mut tx = state.db.begin().await?;
    let inserted = db::execute(
        &mut tx,
        "INSERT INTO categories (municipality, slug, name_da, name_en, position) \
         SELECT $1, $2, $3, $4, COALESCE(MAX(position), -1) + 1 FROM categories WHERE municipality = $1 \
         ON CONFLICT (municipality, slug) DO NOTHING",
        args![&signed.municipality, &slug, &name_da, &name_en],
    )
    .await?;
    if inserted == 0 {
        errors.add("slug", FieldError::Taken);
        return Err(Error::Validation(errors, lang.into()));
    }
    signed
        .record(
            &mut tx,
            "create_category",
            "category",
            slug.clone(),
            json!({"slug": slug, "name_da": name_da}),
        )
        .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(CategoryView {
            slug,
            name_da,
            name_en,
        }),
    ))
}

/// The web sites allowed to embed the widget (admins only).
#[utoipa::path(
    get,
    path = "/api/v1/admin/origins",
    tag = "admin",
    responses(
        (status = 200, body = Vec<Origin>),
        AdminReadRefused,
        (status = 400, description = "A malformed parameter", body = sammen_shared::ErrorBody),
    )
)]
async fn list_origins(State(state): State<AppState>, signed: Signed) -> Result<Json<Vec<Origin>>> {
    signed.require_admin()?;
    let mut conn = state.db.acquire().await?;
    let origins: Vec<String> = db::fetch_scalars(
        &mut conn,
        "SELECT origin FROM allowed_origins WHERE municipality = $1 ORDER BY origin",
        args![&signed.municipality],
    )
    .await?;
    Ok(Json(
        origins
            .into_iter()
            .map(|origin| Origin { origin })
            .collect(),
    ))
}

/// Allow a web site to embed the widget (admins only).
#[utoipa::path(
    post,
    path = "/api/v1/admin/origins",
    tag = "admin",
    request_body = Origin,
    responses(
        (status = 201, body = Origin),
        AdminChangeRefused,
        (status = 422, description = "Not an origin", body = sammen_shared::ErrorBody),
        (status = 400, description = "The body is not JSON, or a parameter is malformed", body = sammen_shared::ErrorBody),
        JsonBodyRefused,
    )
)]
async fn allow_origin(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    body: ApiJson<Origin>,
) -> Result<(StatusCode, Json<Origin>)> {
    signed.require_admin()?;
    let mut errors = FieldErrors::new();
    let Some(origin) = errors.check("origin", parse_origin(&body.value.origin)) else {
        return Err(Error::Validation(errors, lang.into()));
    };
    let mut tx = state.db.begin().await?;
    db::execute(
        &mut tx,
        "INSERT INTO allowed_origins (municipality, origin) VALUES ($1, $2) \
         ON CONFLICT (municipality, origin) DO NOTHING",
        args![&signed.municipality, &origin],
    )
    .await?;
    signed
        .record(
            &mut tx,
            "allow_origin",
            "origin",
            origin.clone(),
            json!({"origin": origin}),
        )
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Origin { origin })))
}

/// Stop a web site from embedding the widget (admins only).
#[utoipa::path(
    delete,
    path = "/api/v1/admin/origins",
    tag = "admin",
    params(("origin" = String, Query, description = "The origin to remove")),
    responses(
        (status = 204, description = "Removed"),
        AdminChangeRefused,
        (status = 404, description = "Not allowed anyway", body = sammen_shared::ErrorBody),
        (status = 400, description = "A malformed parameter", body = sammen_shared::ErrorBody),
    )
)]
async fn disallow_origin(
    State(state): State<AppState>,
    signed: Signed,
    ApiQuery(query): ApiQuery<Origin>,
) -> Result<StatusCode> {
    signed.require_admin()?;
    let origin = parse_origin(&query.origin)
        .map_err(|_| Error::bad_parameter("origin is not an origin."))?;
    let mut tx = state.db.begin().await?;
    let removed = db::execute(
        &mut tx,
        "DELETE FROM allowed_origins WHERE municipality = $1 AND origin = $2",
        args![&signed.municipality, &origin],
    )
    .await?;
    if removed == 0 {
        return Err(Error::not_found("That origin is not allowed anyway."));
    }
    signed
        .record(
            &mut tx,
            "disallow_origin",
            "origin",
            origin.clone(),
            json!({"origin": origin}),
        )
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
