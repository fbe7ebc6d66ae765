//! One error type for every handler; each failure becomes the right status and
//! the typed JSON body of DESIGN.md. Bad input never becomes a 500.

use std::collections::BTreeMap;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use sammen_shared::{
    ApiError, Current, ErrorBody, ErrorCode, FieldErrors, Lang, MunicipalityChoice,
};

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Fields break the rules; messages worded in the request's language.
    #[error("validation failed: {0}")]
    Validation(FieldErrors, Lang),
    #[error("{code:?}: {message}")]
    Client {
        status: StatusCode,
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
    fn client(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Error {
        Error::Client {
            status,
            code,
            message: message.into(),
            fields: BTreeMap::new(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Error {
        Error::client(StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
    }

    pub fn conflict(message: impl Into<String>) -> Error {
        Error::client(StatusCode::CONFLICT, ErrorCode::Conflict, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Error {
        Error::client(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, message)
    }

    pub fn bad_parameter(message: impl Into<String>) -> Error {
        Error::client(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidParameter,
            message,
        )
    }

    /// A 422 about one field of a request that is not citizen input with a
    /// typed `FieldError` (composer rules, a proposal id): `message` says it.
    pub fn field(field: &str, message: impl Into<String>) -> Error {
        let message = message.into();
        Error::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::ValidationFailed,
            fields: [(field.to_string(), message.clone())].into(),
            message,
        }
    }

    pub fn with_status(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Error {
        Error::client(status, code, message)
    }

    /// A body that parsed as JSON but has a field of the wrong type or shape.
    pub fn invalid_body(path: String, detail: String) -> Error {
        let mut fields = BTreeMap::new();
        if !path.is_empty() && path != "." {
            fields.insert(path, detail.clone());
        }
        Error::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
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
                status,
                code,
                message,
                fields,
            } => (
                status,
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
