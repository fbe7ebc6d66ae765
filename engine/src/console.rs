//! The coordinator API's types for matching and groups: what the backend
//! sends the console and what the console sends back. They wrap the engine's
//! answers with the people behind the ids, which only a coordinator of the
//! initiative's institution sees.

use sammen_shared::person::ContactView;
use sammen_shared::signup::Family;
use sammen_shared::week::Weekday;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::composer::{Newcomer, Rules, Score};
use crate::matching::Reason;

/// A reason with its text in the reader's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonText {
    /// "1,2 km", "har sneskovl", "fri tir/tor formiddag".
    pub text: String,
    pub reason: Reason,
}

pub use sammen_shared::invitation::InvitationStatus;

/// A volunteer invited to a need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationView {
    pub id: Uuid,
    pub need_id: Uuid,
    pub offer_id: Uuid,
    pub status: InvitationStatus,
    /// Whether the invitation went out by email (false: the volunteer gave
    /// only a phone number, so the coordinator calls).
    pub emailed: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// One ranked volunteer for a need, with who they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Candidate {
    pub offer_id: Uuid,
    /// 0 to 1; see [`crate::Match::score`].
    pub score: f64,
    pub reasons: Vec<ReasonText>,
    pub contact: ContactView,
    /// The volunteer's area in their words.
    pub area_name: String,
    pub invitation: Option<InvitationView>,
}

/// The ranked volunteers for one need of an initiative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeedMatches {
    pub need_id: Uuid,
    pub title: String,
    pub people_wanted: u32,
    /// Offers in the municipality the coordinator may see, before filters.
    pub offers_considered: u32,
    pub candidates: Vec<Candidate>,
    /// Invitations of volunteers no longer among the candidates (their offer
    /// changed, or the need did) are still listed here.
    pub invitations: Vec<InvitationView>,
}

/// Invite chosen volunteers to a need.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInvitations {
    pub offer_ids: Vec<Uuid>,
    /// A personal line for the email.
    #[serde(default)]
    pub message: Option<String>,
}

/// Mark what a volunteer answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationAnswer {
    pub status: InvitationStatus,
}

/// Run the composer over the initiative's families. Locks name signups
/// (`member_id` is the signup's id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComposeRequest {
    pub rules: Rules,
    /// The same seed gives the same groups; default 1.
    #[serde(default)]
    pub seed: Option<u64>,
}

/// Score groups the coordinator changed by hand (each list is one group of
/// signup ids; each person at most once).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupsDraft {
    pub groups: Vec<Vec<Uuid>>,
}

/// Someone who joined, as the coordinator sees them in a group: a family
/// (playdate groups) or anyone who joined a need (a work day, a rota).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinedMember {
    pub signup_id: Uuid,
    pub name: String,
    /// The title of the need they joined for, if any.
    #[serde(default)]
    pub need: Option<String>,
    /// Only for those who joined as a family.
    #[serde(default)]
    pub family: Option<Family>,
}

/// One group with its members and why it holds together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupView {
    pub index: usize,
    pub members: Vec<JoinedMember>,
    pub shared_days: Vec<Weekday>,
    pub max_distance_km: Option<f64>,
    pub mean_distance_km: Option<f64>,
    pub newcomers: Vec<Newcomer>,
    /// In the reader's language: "alle fri tir", "højst 1,4 km fra hinanden".
    pub reasons: Vec<String>,
}

/// A composition (by the composer or by hand) as the console shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompositionView {
    pub groups: Vec<GroupView>,
    pub score: Score,
}

/// A saved group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedGroup {
    pub id: Uuid,
    /// "Gruppe 1" / "Group 1".
    pub name: String,
    pub members: Vec<JoinedMember>,
    /// The organiser is in it too (formed by her).
    #[serde(default)]
    pub organiser_in: bool,
    pub handed_over_at: Option<String>,
    /// When the members last did anything in their group space: whether the
    /// group is alive, without its private details.
    pub last_activity_at: Option<String>,
    /// Dates the members marked as held.
    pub dates_held: u32,
}

/// The initiative's saved groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedGroups {
    pub groups: Vec<SavedGroup>,
    /// Whether the groups were handed over (then they can't be replaced).
    pub handed_over: bool,
    /// Private links of members who gave no email, for the coordinator to
    /// pass on by hand; only in the answer to the hand-over itself.
    #[serde(default)]
    pub links_to_pass_on: Vec<LinkToPassOn>,
}

/// A member's private group link the coordinator passes on by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkToPassOn {
    pub signup_id: Uuid,
    pub name: String,
    pub phone: Option<String>,
    pub link: String,
}

/// A member's group link made again by the coordinator (the old one stops):
/// sent by email when the member gave one, else here to pass on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReissuedLink {
    pub signup_id: Uuid,
    pub emailed: bool,
    /// Only when it was not emailed.
    pub link: Option<String>,
}
