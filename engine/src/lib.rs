//! The Sammen engine: matching volunteers to the needs of an initiative and
//! composing groups (playdate groups, walking groups, snow-clearing teams).
//!
//! Pure code: no I/O, no async, no clock and no operating-system randomness.
//! Every answer is a function of the arguments (and, for the composer, a
//! seed), so the server and the browser (wasm) give the same answer.
//!
//! - [`matching::rank`]: the best offers for one need, with reasons.
//! - [`composer::compose`]: a partition of members into groups, with reasons;
//!   [`composer::describe`] scores a partition changed by hand;
//!   [`composer::exhaustive_optimum`] is the yardstick for small instances.
//! - [`quality`]: how close the composer gets to that yardstick.

pub mod composer;
pub mod console;
pub mod matching;
pub mod quality;
mod random;
pub mod rotation;
pub mod vocabulary;

pub use composer::{
    compose, describe, exhaustive_optimum, Compass, ComposeError, Composition, Group, GroupReason,
    Lock, Member, Newcomer, Rules, Score, Weights,
};
pub use matching::{rank, Match, Need, Offer, PartOfDay, Reason};
