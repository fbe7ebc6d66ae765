//! The widget's screens, one module each, and the pieces they share.

pub mod detail;
pub mod follow;
pub mod form;
pub mod join;
pub mod languages;
pub mod list;
pub mod notice;
pub mod offer;
pub mod propose;
pub mod week;
