//! An open meeting as stored: its row, the lookup by code, and the board
//! (proposals ranked by dots) that the room, the projector and the console
//! all read.

use crate::said;
use sammen_shared::meeting::{BoardProposal, MeetingBoard, MeetingStatus};
use sammen_shared::ErrorCode;
use uuid::Uuid;

use crate::args;
use crate::db::{self, Db, Executor};
use crate::error::{Error, Result};

#[derive(sqlx::FromRow)]
pub struct MeetingRow {
    pub id: Uuid,
    pub municipality: String,
    pub institution: Option<String>,
    pub code: String,
    pub title: String,
    pub votes_per_person: i64,
    pub status: String,
    pub version: i64,
    pub locked: bool,
}

pub const MEETING_COLUMNS: &str =
    "id, municipality, institution, code, title, votes_per_person, status, version, locked \
     FROM meetings";

impl MeetingRow {
    pub fn is_open(&self) -> bool {
        self.status == "open"
    }
}

/// The meeting with this code (case-insensitive), or 404.
pub async fn by_code(ex: &mut impl Executor, code: &str) -> Result<MeetingRow> {
    db::fetch_optional(
        ex,
        &format!("SELECT {MEETING_COLUMNS} WHERE code = $1"),
        args![code.trim().to_ascii_uppercase()],
    )
    .await?
    .ok_or_else(|| Error::refused(ErrorCode::NotFound, &said::NO_SUCH_MEETING))
}

#[derive(sqlx::FromRow)]
struct ProposalRow {
    id: Uuid,
    title: String,
    summary: Option<String>,
    category: String,
    initiative_id: Option<Uuid>,
    votes: i64,
}

/// The board: proposals ranked by dots, then oldest first.
pub async fn board(ex: &mut impl Executor, meeting: &MeetingRow) -> Result<MeetingBoard> {
    let proposals: Vec<ProposalRow> = db::fetch_all(
        ex,
        "SELECT p.id, p.title, p.summary, p.category, p.initiative_id, \
         (SELECT COUNT(*) FROM meeting_votes v WHERE v.proposal_id = p.id) AS votes \
         FROM meeting_proposals p WHERE p.meeting_id = $1 \
         ORDER BY votes DESC, p.created_at, p.id",
        args![meeting.id],
    )
    .await?;
    let participants: i64 = db::fetch_scalar(
        ex,
        "SELECT COUNT(*) FROM meeting_participants WHERE meeting_id = $1",
        args![meeting.id],
    )
    .await?;
    let count = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
    Ok(MeetingBoard {
        code: meeting.code.clone(),
        title: meeting.title.clone(),
        municipality: meeting.municipality.clone(),
        status: if meeting.is_open() {
            MeetingStatus::Open
        } else {
            MeetingStatus::Closed
        },
        votes_per_person: count(meeting.votes_per_person),
        participants: count(participants),
        votes_cast: count(proposals.iter().map(|p| p.votes).sum()),
        proposals: proposals
            .into_iter()
            .map(|p| BoardProposal {
                id: p.id,
                title: p.title,
                summary: p.summary,
                category: p.category,
                votes: count(p.votes),
                initiative_id: p.initiative_id,
            })
            .collect(),
        version: meeting.version,
        locked: meeting.locked,
    })
}

/// The address phones open to join: the meeting page with the code.
pub fn join_url(public_url: &str, code: &str) -> String {
    format!("{}/meeting#{code}", public_url.trim_end_matches('/'))
}

/// The board when its version differs from `seen`.
pub async fn changed_board(db: &Db, id: Uuid, seen: Option<i64>) -> Result<Option<MeetingBoard>> {
    let mut conn = db.acquire().await?;
    let version: i64 = db::fetch_scalar(
        &mut conn,
        "SELECT version FROM meetings WHERE id = $1",
        args![id],
    )
    .await?;
    if Some(version) == seen {
        return Ok(None);
    }
    let meeting: MeetingRow = db::fetch_optional(
        &mut conn,
        &format!("SELECT {MEETING_COLUMNS} WHERE id = $1"),
        args![id],
    )
    .await?
    .ok_or_else(|| Error::refused(ErrorCode::NotFound, &said::MEETING_GONE))?;
    Ok(Some(board(&mut conn, &meeting).await?))
}
