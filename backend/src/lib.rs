//! The Sammen backend: an axum API over SQLite (default) or PostgreSQL.
//! See `ARCHITECTURE.md` at the repository root for the map.

pub mod abuse;
pub mod admin;
pub mod api;
pub mod backup;
pub mod check_config;
pub mod client_addr;
pub mod config;
pub mod connection;
pub mod cors;
pub mod db;
mod demo_people;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod limits;
pub mod metrics;
pub mod municipality;
pub mod outbox;
pub mod password;
pub mod privacy;
pub mod refused_origins;
pub mod reminders;
pub mod retention;
pub mod seed;
pub mod sign_in_throttle;
pub mod startup;
pub mod telemetry;
pub mod tenant;
pub mod token;
pub mod web;
