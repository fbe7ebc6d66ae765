//! `/api/v1/admin/…`: what coordinators and municipality admins do, behind a
//! session cookie and a CSRF token (`signed.rs`). Every query is scoped to the
//! signed-in coordinator's municipality (and, for a coordinator,
//! institutions; `scope.rs`). Modules with a `router()` never import each
//! other (`cargo xtask lint` checks it); `routes.rs` mounts them.

pub mod audit_log;
pub mod coordinators;
pub mod embedding;
pub mod groups;
pub mod matching;
pub mod meetings;
pub mod moderation;
pub mod offers;
pub mod privacy;
pub mod scope;
pub mod session;
pub mod settings;
pub mod signed;
pub mod stats;
