//! What the Sammen backend and the widget agree on: the serde types of the API
//! and the pure domain logic (initiative lifecycle, validation of citizen input).
//!
//! No I/O and no async here: everything is a function of its arguments, so the
//! same rules run on the server and, compiled to wasm, in the citizen's browser.

pub mod admin;
pub mod consent;
pub mod error;
pub mod follow;
pub mod geo;
pub mod group;
pub mod initiative;
pub mod invitation;
pub mod lang;
pub mod meeting;
pub mod municipality;
pub mod offer;
pub mod pack;
pub mod page;
pub mod person;
pub mod privacy;
pub mod route;
pub mod signup;
pub mod stats;
pub mod status;
pub mod text;
pub mod week;
pub mod wording;

pub use error::{
    ApiError, Current, ErrorBody, ErrorCode, FieldError, FieldErrors, MunicipalityChoice,
};
pub use lang::{Lang, ReaderLang};
pub use wording::Text;
