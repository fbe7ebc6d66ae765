//! The API over HTTP against the real server, on SQLite and PostgreSQL.
//! One binary with a module per story keeps linking cheap.

mod accounts;
mod admin;
mod backup;
mod bad_input;
mod cors;
mod flat_list;
mod follow;
mod group_space;
mod idempotency;
mod languages;
mod limits;
mod listing;
mod mail;
mod matching_and_groups;
mod meetings;
mod my_data;
mod operations;
mod organisers;
mod privacy;
mod proposals;
mod proxy;
mod public_answers;
mod retention;
mod scale_out;
mod settings;
mod signups_and_offers;
mod slow_clients;
mod trust;
