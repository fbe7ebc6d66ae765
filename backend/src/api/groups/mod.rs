//! The group space behind a member's private link (`Authorization: Bearer
//! <secret>`, no account), one module per feature. What they share (who I
//! am by my link, the roster, the dates) is `group_space.rs`.

pub mod calendar;
pub mod check_ins;
pub mod dates;
pub mod invites;
pub mod links;
pub mod messages;
pub mod roster;
