//! A volunteer's invitation to a need, as the volunteer, the organiser and
//! the coordinator see it. The volunteer answers from the link in the
//! invitation's email, without an account.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    /// Asked; no answer yet.
    Invited,
    Accepted,
    Declined,
}

impl InvitationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InvitationStatus::Invited => "invited",
            InvitationStatus::Accepted => "accepted",
            InvitationStatus::Declined => "declined",
        }
    }

    pub fn parse(text: &str) -> Option<InvitationStatus> {
        [
            InvitationStatus::Invited,
            InvitationStatus::Accepted,
            InvitationStatus::Declined,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// What the volunteer sees behind the link in the invitation's email: what
/// they are asked to help with, and their answer so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolunteerInvitation {
    /// The municipality's name.
    pub municipality: String,
    pub initiative: String,
    pub summary: String,
    pub place: String,
    pub when: Option<String>,
    /// The need the volunteer's offer fits ("People with a snow shovel").
    pub need: String,
    pub status: InvitationStatus,
    /// Whether an answer can still be given or changed: not once the
    /// initiative has ended.
    pub open: bool,
}

/// The volunteer's answer: `accepted` or `declined`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolunteerAnswer {
    pub status: InvitationStatus,
}

/// A volunteer the coordinator invited to one of the organiser's needs, and
/// their answer: the organiser sees the first name only and writes through
/// Sammen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitedVolunteer {
    pub need_id: Uuid,
    pub first_name: String,
    pub status: InvitationStatus,
    pub updated_at: String,
}
