//! The API over HTTP against the real server, on SQLite and PostgreSQL.
//! One binary with a module per story keeps linking cheap.

mod admin;
mod bad_input;
mod cors;
mod follow;
mod idempotency;
mod listing;
mod operations;
mod privacy;
mod proposals;
mod settings;
mod signups_and_offers;
