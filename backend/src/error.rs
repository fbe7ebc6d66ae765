//! One error type for every handler; each failure becomes the right status and
//! the typed JSON body of DESIGN.md. Bad input never becomes a 500.

use std::collections::BTreeMap;
use std::fmt;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use sammen_shared::{
    ApiError, Current, ErrorBody, ErrorCode, FieldErrors, MunicipalityChoice, ReaderLang, Text,
};

use crate::said;

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
    /// A refusal worded for whoever reads it: said in Danish here, and in
    /// the language the request asked for by [`said::speak`](crate::said::speak).
    /// `current` is the record's state now when it moved on meanwhile.
    #[error("{code:?}: {}", .unsaid.text.en)]
    Refused {
        code: ErrorCode,
        unsaid: Unsaid,
        current: Option<Current>,
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

    /// The code of a refusal (none for a failure on our side).
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Error::Validation(..) => Some(ErrorCode::ValidationFailed),
            Error::Client { code, .. } | Error::Refused { code, .. } => Some(*code),
            Error::Stale { .. } => Some(ErrorCode::Conflict),
            Error::ChooseMunicipality(_) => Some(ErrorCode::ChooseMunicipality),
            Error::Database(_) | Error::Internal(_) => None,
        }
    }

    /// A refusal with this code, said in the reader's language.
    pub fn refused(code: ErrorCode, text: &'static Text) -> Error {
        Error::Refused {
            code,
            unsaid: Unsaid::new(text, &[]),
            current: None,
        }
    }

    /// A refusal with this code, its text filled in with `values`.
    pub fn refused_with(
        code: ErrorCode,
        text: &'static Text,
        values: &[(&'static str, &dyn fmt::Display)],
    ) -> Error {
        Error::Refused {
            code,
            unsaid: Unsaid::new(text, values),
            current: None,
        }
    }

    /// A 422 about one field of a request, said in the reader's language.
    pub fn field_refused(
        field: &'static str,
        text: &'static Text,
        values: &[(&'static str, &dyn fmt::Display)],
    ) -> Error {
        let mut unsaid = Unsaid::new(text, values);
        unsaid.field = Some(field);
        Error::Refused {
            code: ErrorCode::ValidationFailed,
            unsaid,
            current: None,
        }
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
            Error::Refused {
                code,
                unsaid,
                current,
            } => {
                return unsaid.answer(status_of(code), code, current);
            }
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
                let mut response = Unsaid::new(&said::DATABASE_BUSY, &[]).answer(
                    status,
                    ErrorCode::Internal,
                    None,
                );
                if busy {
                    response
                        .headers_mut()
                        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                }
                return response;
            }
            Error::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                return Error::refused(ErrorCode::Internal, &said::OUR_FAULT).into_response();
            }
        };
        (status, Json(ErrorBody { error })).into_response()
    }
}

/// A text the server says, with the values it is filled with and the field
/// it is about, not yet put into words: an answer carries it (as an
/// extension) until [`said::speak`](crate::said::speak) words it for the
/// request's reader.
#[derive(Debug, Clone)]
pub struct Unsaid {
    pub text: &'static Text,
    values: Vec<(&'static str, String)>,
    field: Option<&'static str>,
}

/// An answer's body before its words, kept with the answer for
/// [`said::speak`](crate::said::speak).
#[derive(Debug, Clone)]
pub struct Unworded {
    pub unsaid: Unsaid,
    pub error: ApiError,
}

impl Unsaid {
    pub fn new(text: &'static Text, values: &[(&'static str, &dyn fmt::Display)]) -> Unsaid {
        Unsaid {
            text,
            values: values.iter().map(|(n, v)| (*n, v.to_string())).collect(),
            field: None,
        }
    }

    /// The body in `lang`: its message, and the field's message if about one.
    pub fn word(&self, lang: ReaderLang, error: &mut ApiError) {
        let values: Vec<(&str, &dyn fmt::Display)> = self
            .values
            .iter()
            .map(|(n, v)| (*n, v as &dyn fmt::Display))
            .collect();
        error.message = self.text.say(lang, &values);
        if let Some(field) = self.field {
            error
                .fields
                .insert(field.to_string(), error.message.clone());
        }
    }

    /// The answer, said in Danish until `speak` words it for its reader.
    fn answer(self, status: StatusCode, code: ErrorCode, current: Option<Current>) -> Response {
        let mut error = ApiError {
            code,
            message: String::new(),
            fields: BTreeMap::new(),
            field_codes: BTreeMap::new(),
            current,
            choices: Vec::new(),
        };
        self.word(ReaderLang::DA, &mut error);
        let mut response = (
            status,
            Json(ErrorBody {
                error: error.clone(),
            }),
        )
            .into_response();
        response.extensions_mut().insert(Unworded {
            unsaid: self,
            error,
        });
        response
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
