//! One module per screen of the console, plus the words for failures.

pub mod audit;
pub mod embed;
pub mod groups;
pub mod matches;
pub mod meetings;
pub mod notice;
pub mod offers;
pub mod proposal;
pub mod published;
pub mod queue;
pub mod settings;
pub mod sign_in;
pub mod stats;
