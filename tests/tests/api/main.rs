//! The API over HTTP against the real server, on SQLite and PostgreSQL.
//! One binary with a module per story keeps linking cheap.

mod admin;
mod backup;
mod bad_input;
mod cors;
mod follow;
mod idempotency;
mod limits;
mod listing;
mod operations;
mod privacy;
mod proposals;
mod settings;
mod signups_and_offers;
