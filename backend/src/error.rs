//! One error type for every handler; each failure becomes the right status and
//! the typed JSON body of DESIGN.md. Bad input never becomes a 500.

use std::collections::BTreeMap;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use sammen_shared::{
    ApiError, Current, ErrorBody, ErrorCode, FieldErrors, MunicipalityChoice, ReaderLang, Text,
};

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Fields break the rules; messages worded in the request's language.
    #[error("validation failed: {0}")]
    Validation(FieldErrors, ReaderLang),
    /// A refusal with its code; the status follows from the code.
    #[error("{code:?}: {message}")]
    Client {
        code: ErrorCode,
        message: String,
        fields: BTreeMap<String, String>,
    },
    /// The record moved on since the client saw it (409, with its state now).
    #[error("stale: {message}")]
    Stale { message: String, current: Current },
    /// The sign-in fits accounts in several municipalities (409); only
    /// said to someone who gave the password of each.
    #[error("choose a municipality")]
    ChooseMunicipality(Vec<MunicipalityChoice>),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("internal: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A refusal with this code (its status is `code.status()`).
    pub fn coded(code: ErrorCode, message: impl Into<String>) -> Error {
        Error::Client {
            code,
            message: message.into(),
            fields: BTreeMap::new(),
        }
    }

    /// A refusal a citizen reads on a page in their language.
    pub fn said(code: ErrorCode, lang: ReaderLang, text: &Text) -> Error {
        Error::coded(code, text.say(lang, &[]))
    }

    pub fn not_found(message: impl Into<String>) -> Error {
        Error::coded(ErrorCode::NotFound, message)
    }

    pub fn conflict(message: impl Into<String>) -> Error {
        Error::coded(ErrorCode::Conflict, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Error {
        Error::coded(ErrorCode::Unauthorized, message)
    }

    pub fn bad_parameter(message: impl Into<String>) -> Error {
        Error::coded(ErrorCode::InvalidParameter, message)
    }

    /// A 422 about one field of a request that is not citizen input with a
    /// typed `FieldError` (composer rules, a proposal id): `message` says it.
    pub fn field(field: &str, message: impl Into<String>) -> Error {
        let message = message.into();
        Error::Client {
            code: ErrorCode::ValidationFailed,
            fields: [(field.to_string(), message.clone())].into(),
            message,
        }
    }

    /// A body that parsed as JSON but has a field of the wrong type or shape.
    pub fn invalid_body(path: String, detail: String) -> Error {
        let mut fields = BTreeMap::new();
        if !path.is_empty() && path != "." {
            fields.insert(path, detail.clone());
        }
        Error::Client {
            code: ErrorCode::InvalidBody,
            message: format!("The JSON body has the wrong shape: {detail}"),
            fields,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, error) = match self {
            Error::Validation(fields, lang) => {
                (StatusCode::UNPROCESSABLE_ENTITY, fields.to_api_error(lang))
            }
            Error::Client {
                code,
                message,
                fields,
            } => (
                status_of(code),
                ApiError {
                    code,
                    message,
                    fields,
                    field_codes: BTreeMap::new(),
                    current: None,
                    choices: Vec::new(),
                },
            ),
            Error::Stale { message, current } => (
                StatusCode::CONFLICT,
                ApiError {
                    code: ErrorCode::Conflict,
                    message,
                    fields: BTreeMap::new(),
                    field_codes: BTreeMap::new(),
                    current: Some(current),
                    choices: Vec::new(),
                },
            ),
            Error::ChooseMunicipality(choices) => (
                StatusCode::CONFLICT,
                ApiError {
                    code: ErrorCode::ChooseMunicipality,
                    message: "This email has accounts in several municipalities: choose one."
                        .into(),
                    fields: BTreeMap::new(),
                    field_codes: BTreeMap::new(),
                    current: None,
                    choices,
                },
            ),
            Error::Database(error) => {
                let busy = matches!(
                    error,
                    sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
                );
                tracing::error!(%error, "database error");
                let status = if busy {
                    StatusCode::SERVICE_UNAVAILABLE
                } else {
                    StatusCode::INTERNAL_SERVER_ERROR
                };
                (
                    status,
                    internal("The database could not complete the request; try again."),
                )
            }
            Error::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    internal("Something went wrong on our side."),
                )
            }
        };
        let mut response = (status, Json(ErrorBody { error })).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

fn internal(message: &str) -> ApiError {
    ApiError {
        code: ErrorCode::Internal,
        message: message.into(),
        fields: BTreeMap::new(),
        field_codes: BTreeMap::new(),
        current: None,
        choices: Vec::new(),
    }
}

impl From<serde_json::Error> for Error {
    fn from(error: serde_json::Error) -> Self {
        Error::Internal(format!("json: {error}"))
    }
}

/// The status of a code, as axum's type.
pub fn status_of(code: ErrorCode) -> StatusCode {
    StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The answers of every route behind the session cookie when there is none
/// or it ended, for the OpenAPI document (`responses(…, NotSignedIn)`).
#[derive(utoipa::IntoResponses)]
pub enum NotSignedIn {
    #[response(status = 401, description = "Not signed in")]
    Unauthorized(ErrorBody),
}

/// The answers of every route behind a private link sent without one.
#[derive(utoipa::IntoResponses)]
pub enum NoToken {
    #[response(status = 401, description = "No token sent")]
    Unauthorized(ErrorBody),
}

/// What every route that reads a JSON body may answer about the body itself,
/// before its fields are read.
#[derive(utoipa::IntoResponses)]
pub enum JsonBodyRefused {
    #[response(status = 413, description = "The body is larger than 64 KiB")]
    TooLarge(ErrorBody),
    #[response(status = 415, description = "The body is not application/json")]
    NotJson(ErrorBody),
}

/// A change behind the session: not signed in, or no CSRF token.
#[derive(utoipa::IntoResponses)]
pub enum SignedChangeRefused {
    #[response(status = 401, description = "Not signed in")]
    Unauthorized(ErrorBody),
    #[response(status = 403, description = "No CSRF token")]
    Forbidden(ErrorBody),
}

/// A change only an admin makes: not signed in, not an admin, or no CSRF
/// token.
#[derive(utoipa::IntoResponses)]
pub enum AdminChangeRefused {
    #[response(status = 401, description = "Not signed in")]
    Unauthorized(ErrorBody),
    #[response(status = 403, description = "Not an admin, or no CSRF token")]
    Forbidden(ErrorBody),
}

/// What only an admin reads: not signed in, or not an admin.
#[derive(utoipa::IntoResponses)]
pub enum AdminReadRefused {
    #[response(status = 401, description = "Not signed in")]
    Unauthorized(ErrorBody),
    #[response(status = 403, description = "Not an admin")]
    Forbidden(ErrorBody),
}
