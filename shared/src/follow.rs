//! The proposer's follow link: their proposal, its dialogue with the
//! coordinator, and what they may do next — with a token, no account.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::initiative::{InstitutionRef, NeedView, NewInitiative, Place};
use crate::invitation::InvitedVolunteer;
use crate::person::ContactView;
use crate::route::GroupRoute;
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
    /// Whether the page is the proposer's (by the follow link) rather than
    /// a co-organiser's: only she adds or removes co-organisers.
    #[serde(default)]
    pub proposer: bool,
    /// The co-organisers (their emails only to the proposer, who gave them).
    #[serde(default)]
    pub co_organisers: Vec<CoOrganiserView>,
}

/// A co-organiser: someone the proposer added, with a link of their own to
/// the organiser's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoOrganiserView {
    pub id: Uuid,
    pub name: String,
    /// Only on the proposer's page.
    pub email: Option<String>,
}

/// A co-organiser to add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCoOrganiser {
    pub name: String,
    pub email: String,
}

/// Someone who joined, as the organiser sees them: the name, and the email
/// or phone only if they chose to show it (see `signup::OrganiserSees`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinedPerson {
    /// Names them when the organiser forms groups.
    pub signup_id: Uuid,
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

/// A group the organiser forms by hand from the people who joined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupByOrganiser {
    /// E.g. "Lørdagsholdet"; "Gruppe n" when left out.
    #[serde(default)]
    pub name: Option<String>,
    /// Signup ids of people who joined (`JoinedPerson::signup_id`), each in
    /// at most one group.
    pub members: Vec<Uuid>,
    /// Whether the organiser is in the group herself: at hand-over she gets
    /// her own link to its space.
    #[serde(default)]
    pub with_me: bool,
}

/// The organiser's groups, saved as a draft (replacing the one before).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupsByOrganiser {
    pub groups: Vec<GroupByOrganiser>,
}

/// A saved group as the organiser sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganiserGroup {
    pub name: String,
    pub members: Vec<Uuid>,
    pub with_me: bool,
    /// An escort group (a walking group with a place to walk to) as a
    /// route, as saved: which way its homes lie and how far. `None` for
    /// other groups, or when nobody in it gave a home.
    #[serde(default)]
    pub route: Option<GroupRoute>,
}

/// The initiative's groups on the organiser's page (whoever formed them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganiserGroups {
    pub groups: Vec<OrganiserGroup>,
    /// Once handed over the groups belong to their members and can't be
    /// replaced.
    pub handed_over: bool,
    /// Only in the answer to the hand-over: the organiser's own links to the
    /// groups she is in (also sent to her by email).
    #[serde(default)]
    pub my_links: Vec<String>,
    /// Only in the answer to the hand-over: links of members who gave no
    /// email, for the organiser to pass on.
    #[serde(default)]
    pub links_to_pass_on: Vec<LinkForMember>,
}

/// A member's private group link to pass on by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkForMember {
    pub signup_id: Uuid,
    pub name: String,
    pub link: String,
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
    /// People who joined without an email: the message does not reach them.
    #[serde(default)]
    pub without_email: u32,
}

/// The organiser marks the initiative done, with what came of it: shown to
/// everyone among the widget's results.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkDone {
    #[serde(default)]
    pub outcome: String,
}
