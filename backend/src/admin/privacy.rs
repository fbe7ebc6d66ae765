//! A municipality admin acting on a citizen's request: export or delete the
//! personal data of one record (by its id) or of every record with an email
//! address, and setting how long personal data is kept. Admins only, each
//! export and deletion in the audit log (ids only: the log holds no personal
//! data itself).

use axum::extract::State;
use axum::Json;
use chrono::Utc;
use sammen_shared::person::parse_email;
use sammen_shared::privacy::{Erased, PersonalData, RecordKind, Retention};
use sammen_shared::{FieldError, FieldErrors};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::admin::signed::Signed;
use crate::args;
use crate::audit;
use crate::db::{self, Executor};
use crate::error::{AdminChangeRefused, AdminReadRefused, Error, JsonBodyRefused, Result};
use crate::extract::{ApiJson, ApiPath, ApiQuery, ConsoleLang};
use crate::municipality::retention_months;
use crate::privacy::{self, Record, Signups};
use crate::state::AppState;
use crate::stored::timestamp;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export_record, erase_record))
        .routes(routes!(export_by_email, erase_by_email))
        .routes(routes!(read_retention, set_retention))
}

async fn audit_each(
    ex: &mut impl Executor,
    signed: &Signed,
    action: &str,
    records: &[(RecordKind, Uuid)],
) -> Result<()> {
    for (kind, id) in records {
        audit::record(ex, signed.entry(action, kind.as_str(), id)).await?;
    }
    Ok(())
}

async fn one(
    ex: &mut impl Executor,
    signed: &Signed,
    kind: RecordKind,
    id: Uuid,
) -> Result<Record> {
    privacy::by_id(ex, &signed.municipality, kind, id)
        .await?
        .ok_or_else(|| Error::not_found("There is no such record, or its data was deleted."))
}

/// Export the personal data of one record (admins only; audited).
#[utoipa::path(
    get,
    path = "/api/v1/admin/privacy/{kind}/{id}",
    tag = "admin",
    params(
        ("kind" = RecordKind, Path, description = "`proposal`, `signup`, `offer` or `meeting_proposal`"),
        ("id" = Uuid, Path, description = "The record's id"),
    ),
    responses(
        (status = 200, body = PersonalData),
        (status = 400, description = "A malformed kind or id", body = sammen_shared::ErrorBody),
        AdminReadRefused,
        (status = 404, description = "No such record in your municipality", body = sammen_shared::ErrorBody),
    )
)]
async fn export_record(
    State(state): State<AppState>,
    signed: Signed,
    ApiPath((kind, id)): ApiPath<(RecordKind, Uuid)>,
) -> Result<Json<PersonalData>> {
    signed.require_admin()?;
    let mut tx = state.db.begin().await?;
    audit_each(&mut tx, &signed, "export_personal_data", &[(kind, id)]).await?;
    let record = one(&mut tx, &signed, kind, id).await?;
    let export = privacy::export(&mut tx, &record).await?;
    tx.commit().await?;
    Ok(Json(PersonalData {
        exported_at: timestamp(Utc::now()),
        records: vec![export],
    }))
}

/// Delete the personal data of one record (admins only; audited). An
/// initiative's signups are other people's and stay.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/privacy/{kind}/{id}",
    tag = "admin",
    params(
        ("kind" = RecordKind, Path, description = "`proposal`, `signup`, `offer` or `meeting_proposal`"),
        ("id" = Uuid, Path, description = "The record's id"),
    ),
    responses(
        (status = 200, description = "Deleted", body = Erased),
        (status = 400, description = "A malformed kind or id", body = sammen_shared::ErrorBody),
        AdminChangeRefused,
        (status = 404, description = "No such record in your municipality", body = sammen_shared::ErrorBody),
    )
)]
async fn erase_record(
    State(state): State<AppState>,
    signed: Signed,
    ApiPath((kind, id)): ApiPath<(RecordKind, Uuid)>,
) -> Result<Json<Erased>> {
    signed.require_admin()?;
    let mut tx = state.db.begin().await?;
    audit_each(&mut tx, &signed, "erase_personal_data", &[(kind, id)]).await?;
    let record = one(&mut tx, &signed, kind, id).await?;
    let records = privacy::erase(&mut tx, &record, Signups::Keep, Utc::now()).await?;
    tx.commit().await?;
    Ok(Json(Erased { records }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ByEmail {
    /// The citizen's email address, as they gave it (case does not matter).
    email: String,
}

fn checked_email(raw: &str, lang: sammen_shared::Lang) -> Result<String> {
    let mut errors = FieldErrors::new();
    match errors.check("email", parse_email(Some(raw))) {
        Some(Some(email)) => Ok(email),
        Some(None) => {
            errors.add("email", FieldError::Required);
            Err(Error::Validation(errors, lang.into()))
        }
        None => Err(Error::Validation(errors, lang.into())),
    }
}

/// Export every record of the municipality with this contact email, ideas
/// at open meetings included (admins only; audited).
#[utoipa::path(
    get,
    path = "/api/v1/admin/privacy",
    tag = "admin",
    params(ByEmail),
    responses(
        (status = 200, description = "Every record with the address (none: an empty list)", body = PersonalData),
        (status = 400, description = "No email parameter", body = sammen_shared::ErrorBody),
        AdminReadRefused,
        (status = 422, description = "Not an email address", body = sammen_shared::ErrorBody),
    )
)]
async fn export_by_email(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    ApiQuery(query): ApiQuery<ByEmail>,
) -> Result<Json<PersonalData>> {
    signed.require_admin()?;
    let email = checked_email(&query.email, lang)?;
    let found = {
        let mut conn = state.db.acquire().await?;
        privacy::by_email(&mut conn, &signed.municipality, &email).await?
    };
    // The audit entries are the transaction's first writes (see `Db::begin`).
    let mut tx = state.db.begin().await?;
    let ids: Vec<_> = found.iter().map(|r| (r.kind, r.id)).collect();
    audit_each(&mut tx, &signed, "export_personal_data", &ids).await?;
    let mut records = Vec::with_capacity(found.len());
    for record in &found {
        records.push(privacy::export(&mut tx, record).await?);
    }
    tx.commit().await?;
    Ok(Json(PersonalData {
        exported_at: timestamp(Utc::now()),
        records,
    }))
}

/// Delete the personal data of every record of the municipality with this
/// contact email, ideas at open meetings included (admins only; audited).
#[utoipa::path(
    delete,
    path = "/api/v1/admin/privacy",
    tag = "admin",
    params(ByEmail),
    responses(
        (status = 200, description = "Deleted (none found: an empty list)", body = Erased),
        (status = 400, description = "No email parameter", body = sammen_shared::ErrorBody),
        AdminChangeRefused,
        (status = 422, description = "Not an email address", body = sammen_shared::ErrorBody),
    )
)]
async fn erase_by_email(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    ApiQuery(query): ApiQuery<ByEmail>,
) -> Result<Json<Erased>> {
    signed.require_admin()?;
    let email = checked_email(&query.email, lang)?;
    let found = {
        let mut conn = state.db.acquire().await?;
        privacy::by_email(&mut conn, &signed.municipality, &email).await?
    };
    // The audit entries are the transaction's first writes (see `Db::begin`).
    let mut tx = state.db.begin().await?;
    let ids: Vec<_> = found.iter().map(|r| (r.kind, r.id)).collect();
    audit_each(&mut tx, &signed, "erase_personal_data", &ids).await?;
    let now = Utc::now();
    let mut records = Vec::new();
    for record in &found {
        records.extend(privacy::erase(&mut tx, record, Signups::Keep, now).await?);
    }
    tx.commit().await?;
    Ok(Json(Erased { records }))
}

/// How long personal data of ended initiatives and unused offers is kept.
#[utoipa::path(
    get,
    path = "/api/v1/admin/retention",
    tag = "admin",
    responses(
        (status = 200, body = Retention),
        AdminReadRefused,
    )
)]
async fn read_retention(State(state): State<AppState>, signed: Signed) -> Result<Json<Retention>> {
    signed.require_admin()?;
    let mut conn = state.db.acquire().await?;
    let months = retention_months(&mut conn, &signed.municipality).await?;
    Ok(Json(Retention { months }))
}

/// Set how long personal data is kept, 1–120 months (admins only; audited).
#[utoipa::path(
    put,
    path = "/api/v1/admin/retention",
    tag = "admin",
    request_body = Retention,
    responses(
        (status = 200, body = Retention),
        (status = 400, description = "The body is not JSON", body = sammen_shared::ErrorBody),
        AdminChangeRefused,
        JsonBodyRefused,
        (status = 422, description = "Fields to correct", body = sammen_shared::ErrorBody),
    )
)]
async fn set_retention(
    State(state): State<AppState>,
    signed: Signed,
    ConsoleLang(lang): ConsoleLang,
    body: ApiJson<Retention>,
) -> Result<Json<Retention>> {
    signed.require_admin()?;
    let months = body.value.months;
    if !(1..=120).contains(&months) {
        let mut errors = FieldErrors::new();
        errors.add("months", FieldError::OutOfRange { min: 1, max: 120 });
        return Err(Error::Validation(errors, lang.into()));
    }
    let mut tx = state.db.begin().await?;
    db::execute(
        &mut tx,
        "UPDATE municipalities SET retention_months = $1 WHERE slug = $2",
        args![i64::from(months), &signed.municipality],
    )
    .await?;
    signed
        .record(
            &mut tx,
            "set_retention",
            "municipality",
            &signed.municipality,
            json!({ "months": months }),
        )
        .await?;
    tx.commit().await?;
    Ok(Json(Retention { months }))
}
