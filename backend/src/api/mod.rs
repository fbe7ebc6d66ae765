//! The public HTTP API: what citizens, proposers, group members and the
//! meeting room do. One module per resource, each with its router, handlers
//! and request types; storage lives in the core modules beside `db.rs`, and
//! `routes.rs` mounts every router.

pub mod co_organisers;
pub mod follow;
pub mod groups;
pub mod health;
pub mod initiatives;
pub mod invitation;
pub mod meetings;
pub mod metrics;
pub mod municipalities;
pub mod offers;
pub mod organiser;
pub mod organiser_groups;
pub mod privacy;
pub mod proposals;
pub mod signups;
