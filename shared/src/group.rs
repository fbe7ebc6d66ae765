//! The group space: what a member sees and does through their private group
//! link — the roster (names and contacts only of members who agreed to share
//! them with the group), the schedule of dates with a host rotation, invites
//! for another family, and leaving.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::person::ContactView;
use crate::week::Weekday;

/// One member of the group as another member sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupMember {
    pub member_id: Uuid,
    /// Their name if they share it with the group, else "Familie 3".
    pub label: String,
    /// Only when they agreed to share it with the group.
    pub contact: Option<ContactView>,
    pub is_me: bool,
    /// Dates they host or hosted (not cancelled).
    pub hosted: u32,
}

/// Where a date stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DateStatus {
    /// The rotation proposed a host; they have not said yes yet.
    Proposed,
    /// The host said yes.
    Accepted,
    Cancelled,
    /// It took place.
    Done,
}

impl DateStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DateStatus::Proposed => "proposed",
            DateStatus::Accepted => "accepted",
            DateStatus::Cancelled => "cancelled",
            DateStatus::Done => "done",
        }
    }

    pub fn parse(text: &str) -> Option<DateStatus> {
        [
            DateStatus::Proposed,
            DateStatus::Accepted,
            DateStatus::Cancelled,
            DateStatus::Done,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// Why the rotation proposed this host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HostReason {
    /// Hosted the fewest dates and is free that day.
    FewestAndFree,
    /// Hosted the fewest dates; nobody among them is free that day.
    Fewest,
    /// A member chose the host.
    Chosen,
}

/// One date of the group's schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupDate {
    pub id: Uuid,
    /// RFC 3339, UTC.
    pub starts_at: String,
    pub note: Option<String>,
    pub host: Option<Uuid>,
    pub host_reason: Option<HostReason>,
    pub status: DateStatus,
    /// The rota (series of dates) it was added with, if any: the rest of a
    /// rota can be cancelled at once.
    #[serde(default)]
    pub series_id: Option<Uuid>,
}

/// Everything a member's link shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupSpace {
    pub initiative_title: String,
    pub group_name: String,
    /// A group of families (a playdate group) rather than of people who
    /// joined to help: the page speaks of families and asks invitees for
    /// their family's details.
    pub families: bool,
    pub members: Vec<GroupMember>,
    /// Days every member who gave their free afternoons is free.
    pub shared_days: Vec<Weekday>,
    /// Upcoming and past dates, soonest first.
    pub dates: Vec<GroupDate>,
    /// Whether I share my name and contact with the group.
    pub i_share_contact: bool,
    /// The address of my calendar feed (`.ics`), read-only.
    pub calendar_path: String,
    /// How the held dates went, as the members answered: counts only, so
    /// nobody's answer is singled out.
    #[serde(default)]
    pub how_it_went: HowItWentCounts,
}

/// Answers to "how did it go?", counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HowItWentCounts {
    pub good: u32,
    pub mixed: u32,
    pub bad: u32,
}

/// Add a date: the rotation proposes the host unless one is chosen.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewGroupDate {
    /// RFC 3339 with an offset, e.g. `2026-12-03T15:30:00+01:00`.
    pub starts_at: String,
    #[serde(default)]
    pub note: Option<String>,
    /// A member to host; the rotation picks when left out.
    #[serde(default)]
    pub host: Option<Uuid>,
}

/// What a member does with a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DateAction {
    /// The proposed host says yes.
    Accept,
    /// The proposed host passes it on: the rotation proposes the next.
    Swap,
    Cancel,
    /// It took place.
    Done,
}

/// A change to a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DateChange {
    pub action: DateAction,
}

/// What I share with the group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sharing {
    pub share_contact: bool,
}

/// A message to another member through Sammen (their address stays hidden).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageToMember {
    pub body: String,
}

/// An invite link for another family (shown once).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteCreated {
    pub id: Uuid,
    /// The secret of the one-time link.
    pub invite_token: String,
}

/// Joining a group through an invite: who the new family is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinByInvite {
    pub invite_token: String,
    #[serde(default)]
    pub contact: crate::person::ContactInput,
    #[serde(default)]
    pub family: Option<crate::signup::FamilyInput>,
}

/// The new member's own private link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinedGroup {
    pub member_token: String,
}

/// How a date went, in one tap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HowItWent {
    Good,
    Mixed,
    Bad,
}

impl HowItWent {
    pub fn as_str(self) -> &'static str {
        match self {
            HowItWent::Good => "good",
            HowItWent::Mixed => "mixed",
            HowItWent::Bad => "bad",
        }
    }

    pub fn parse(text: &str) -> Option<HowItWent> {
        [HowItWent::Good, HowItWent::Mixed, HowItWent::Bad]
            .into_iter()
            .find(|h| h.as_str() == text)
    }
}

/// The two-question check-in after a date. Anonymous to the coordinator
/// unless `share_name`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckIn {
    pub how: HowItWent,
    /// One thing to change next time.
    #[serde(default)]
    pub change: Option<String>,
    #[serde(default)]
    pub share_name: bool,
}

/// A check-in as the coordinator reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckInView {
    pub group_name: String,
    /// The date's start, RFC 3339 UTC.
    pub date: String,
    pub how: HowItWent,
    pub change: Option<String>,
    /// Only when the member chose to share it.
    pub name: Option<String>,
}

/// Asking for one's group links again: every group this email is a member of
/// gets a new link by email (the old one stops).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkRequest {
    #[serde(default)]
    pub email: String,
}
