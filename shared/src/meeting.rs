//! The open meeting: a coordinator opens it for an institution, people in
//! the room join on their phones with a short code (or the QR code on the
//! projector), propose initiatives and put dots on others' proposals; the
//! projector shows them ranked, live. At the end the coordinator sends the
//! chosen proposals to the moderation queue.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Open a meeting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMeeting {
    /// "Forældremøde på Regnbuen".
    pub title: String,
    #[serde(default)]
    pub institution: Option<String>,
    /// Dots each participant may put on others' proposals (1–10, default 3).
    #[serde(default)]
    pub votes_per_person: Option<u32>,
}

/// Whether a meeting takes proposals and dots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    Open,
    Closed,
}

/// One proposal on the board, with its dots. Anonymous: no one's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardProposal {
    pub id: Uuid,
    pub title: String,
    pub summary: Option<String>,
    pub category: String,
    pub votes: u32,
    /// Set when the coordinator sent it to the moderation queue.
    pub initiative_id: Option<Uuid>,
}

/// The board as the projector and the phones see it: proposals ranked by
/// dots (then oldest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingBoard {
    pub code: String,
    pub title: String,
    pub status: MeetingStatus,
    pub votes_per_person: u32,
    pub participants: u32,
    pub votes_cast: u32,
    pub proposals: Vec<BoardProposal>,
    /// Grows with every change; the live stream sends a board when it moves.
    pub version: i64,
    /// No new phones may join (those in keep their seat).
    #[serde(default)]
    pub locked: bool,
    /// The municipality's slug: phones read its categories from
    /// `/api/v1/municipalities/{slug}`.
    #[serde(default)]
    pub municipality: String,
}

/// Lock or unlock a meeting for new participants.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingLock {
    pub locked: bool,
}

/// A meeting as its coordinator sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingView {
    pub id: Uuid,
    /// What people type on their phones: 6 letters and digits.
    pub code: String,
    /// The page phones open (also inside the QR code).
    pub join_url: String,
    /// The QR code of `join_url` as SVG.
    pub qr_svg_path: String,
    /// The projector page, updated live.
    pub projector_path: String,
    pub board: MeetingBoard,
}

/// A participant's anonymous key for this meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Participant {
    pub participant_token: String,
    pub votes_left: u32,
}

/// A proposal made in the room.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMeetingProposal {
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    /// A category of the municipality (default `other`).
    #[serde(default)]
    pub category: Option<String>,
    /// Who proposes it, if they want to run it and follow it (optional):
    /// a name and an email or phone. Only the coordinator sees it; when the
    /// idea is chosen the proposer gets its follow link by email.
    #[serde(default)]
    pub contact: Option<crate::person::ContactInput>,
    /// The consent text version the proposer saw (the proposal form's).
    #[serde(default)]
    pub consent_version: Option<String>,
}

/// A dot on a proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewVote {
    pub proposal_id: Uuid,
}

/// What a participant has left after a dot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoteCast {
    pub votes_left: u32,
}

/// Close the meeting, sending the chosen proposals to the moderation queue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloseMeeting {
    #[serde(default)]
    pub promote: Vec<Uuid>,
}
