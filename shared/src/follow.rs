//! The proposer's follow link: their proposal, its dialogue with the
//! coordinator, and what they may do next — with a token, no account.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::initiative::{InstitutionRef, NeedView, NewInitiative, Place};
use crate::invitation::InvitedVolunteer;
use crate::person::ContactView;
use crate::status::{Action, Status};
use crate::Lang;

/// Who wrote a message in the dialogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Proposer,
    Coordinator,
}

/// One message of the dialogue; decisions carry their action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageView {
    pub id: Uuid,
    pub author: Author,
    pub body: String,
    /// The decision this message came with, if any.
    pub action: Option<Action>,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// The proposal as its proposer sees it, with their own contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalView {
    pub id: Uuid,
    pub municipality: String,
    pub institution: Option<InstitutionRef>,
    pub category: String,
    pub title: String,
    pub summary: String,
    pub audience: Option<String>,
    pub place: Place,
    pub when: Option<String>,
    pub needs: Vec<NeedView>,
    pub contact: ContactView,
    pub lang: Lang,
    pub status: Status,
    /// Increases with every change; send it back with an edit or resubmit.
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// Everything the follow link shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowView {
    pub proposal: ProposalView,
    pub messages: Vec<MessageView>,
    /// The proposer may edit the text now.
    pub can_edit: bool,
    /// The proposer may resubmit now (changes were requested).
    pub can_resubmit: bool,
}

/// The organiser's page behind the follow link, once the initiative is
/// published: who joined and who was invited, per need. Apart from
/// [`FollowView`] so the widget, which links to the page, does not carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganiserView {
    pub title: String,
    pub status: Status,
    /// What came of it, once marked done.
    #[serde(default)]
    pub outcome: Option<String>,
    pub needs: Vec<NeedView>,
    /// Who joined, as the organiser may see them (empty before publication).
    pub people: Vec<JoinedPerson>,
    /// Volunteers the coordinator invited, and their answers.
    pub invited: Vec<InvitedVolunteer>,
}

/// Someone who joined, as the organiser sees them: the name, and the email
/// or phone only if they chose to show it (see `signup::OrganiserSees`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinedPerson {
    /// The need they joined for, if any.
    pub need_id: Option<Uuid>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Their note to the organisers.
    pub message: Option<String>,
    /// RFC 3339, UTC.
    pub joined_at: String,
}

/// A reply from the proposer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMessage {
    #[serde(default)]
    pub body: String,
}

/// An edit of the proposal, against the version the proposer last saw.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditProposal {
    pub version: i64,
    pub proposal: NewInitiative,
    /// Send it back to the coordinator in the same step (only when changes
    /// were requested).
    #[serde(default)]
    pub resubmit: bool,
    /// A note to the coordinator about what changed.
    #[serde(default)]
    pub message: Option<String>,
}

/// Sends the proposal back to the coordinator after changes were requested.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Resubmit {
    pub version: i64,
    #[serde(default)]
    pub message: Option<String>,
}

/// The organiser writes to the people who joined, through Sammen: each gets
/// an email; nobody's address is shown to the organiser.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageToPeople {
    #[serde(default)]
    pub body: String,
    /// Only the people who joined for this need (and volunteers who said
    /// yes to it); everyone when left out.
    #[serde(default)]
    pub need_id: Option<Uuid>,
}

/// How many people the organiser's message went to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageQueued {
    pub sent_to: u32,
}

/// The organiser marks the initiative done, with what came of it: shown to
/// everyone among the widget's results.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkDone {
    #[serde(default)]
    pub outcome: String,
}
