//! The lifecycle of an initiative: one state machine, used by the API to refuse
//! illegal moves and by the clients to show only the buttons that can work.
//!
//! ```text
//! submitted ──publish──────────▶ published ──complete──▶ completed
//!     │  ▲                          │                       │
//!     │  └──resubmit── changes_requested                    │
//!     ├──request_changes──┘         └──archive──▶ archived ◀─┘
//!     └──decline──▶ declined
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where an initiative is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Proposed by a citizen, waiting for a coordinator.
    Submitted,
    /// The coordinator asked the proposer to change something.
    ChangesRequested,
    /// Declined, with a reason the proposer can read.
    Declined,
    /// Public: citizens can see and join it.
    Published,
    /// It happened; still public, as an example to others.
    Completed,
    /// Put away; no longer public.
    Archived,
}

/// Something a coordinator or the proposer does to an initiative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Publish,
    RequestChanges,
    Decline,
    Resubmit,
    Complete,
    Archive,
}

/// Who may take an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Coordinator,
    Proposer,
}

/// An action that the current state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IllegalTransition {
    pub from: Status,
    pub action: Action,
}

impl fmt::Display for IllegalTransition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot {} an initiative that is {}",
            self.action.as_str(),
            self.from.as_str()
        )
    }
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Submitted,
        Status::ChangesRequested,
        Status::Declined,
        Status::Published,
        Status::Completed,
        Status::Archived,
    ];

    /// The state after `action`, or why it cannot be taken now.
    pub fn apply(self, action: Action) -> Result<Status, IllegalTransition> {
        use Action::*;
        use Status::*;
        match (self, action) {
            (Submitted, Publish) => Ok(Published),
            (Submitted, RequestChanges) => Ok(ChangesRequested),
            (Submitted, Decline) => Ok(Declined),
            (ChangesRequested, Resubmit) => Ok(Submitted),
            (Published, Complete) => Ok(Completed),
            (Published | Completed, Archive) => Ok(Archived),
            (from, action) => Err(IllegalTransition { from, action }),
        }
    }

    /// The actions allowed from here, in the order a user interface shows them.
    pub fn allowed_actions(self) -> Vec<Action> {
        Action::ALL
            .into_iter()
            .filter(|a| self.apply(*a).is_ok())
            .collect()
    }

    /// Whether citizens may see it (list, read, join).
    pub fn is_public(self) -> bool {
        matches!(self, Status::Published | Status::Completed)
    }

    /// Whether the proposer may still edit the text through the follow link.
    pub fn proposer_can_edit(self) -> bool {
        matches!(self, Status::Submitted | Status::ChangesRequested)
    }

    /// The stored and serialised word for this state.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::ChangesRequested => "changes_requested",
            Status::Declined => "declined",
            Status::Published => "published",
            Status::Completed => "completed",
            Status::Archived => "archived",
        }
    }

    /// Reads a stored state word.
    pub fn parse(word: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::Publish,
        Action::RequestChanges,
        Action::Decline,
        Action::Resubmit,
        Action::Complete,
        Action::Archive,
    ];

    /// Who takes this action: only the proposer resubmits.
    pub fn actor(self) -> Actor {
        match self {
            Action::Resubmit => Actor::Proposer,
            _ => Actor::Coordinator,
        }
    }

    /// Whether the action must carry a message (a decline always has a reason).
    pub fn needs_message(self) -> bool {
        matches!(self, Action::RequestChanges | Action::Decline)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Publish => "publish",
            Action::RequestChanges => "request_changes",
            Action::Decline => "decline",
            Action::Resubmit => "resubmit",
            Action::Complete => "complete",
            Action::Archive => "archive",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_lifecycle_is_allowed() {
        use Action::*;
        use Status::*;
        let path = [
            (Submitted, RequestChanges, ChangesRequested),
            (ChangesRequested, Resubmit, Submitted),
            (Submitted, Publish, Published),
            (Published, Complete, Completed),
            (Completed, Archive, Archived),
        ];
        for (from, action, to) in path {
            assert_eq!(from.apply(action), Ok(to));
        }
        assert_eq!(Submitted.apply(Decline), Ok(Declined));
        assert_eq!(Published.apply(Archive), Ok(Archived));
    }

    #[test]
    fn everything_else_is_refused() {
        let allowed = 7;
        let refused = Status::ALL
            .iter()
            .flat_map(|s| Action::ALL.iter().map(move |a| s.apply(*a)))
            .filter(Result::is_err)
            .count();
        assert_eq!(refused, Status::ALL.len() * Action::ALL.len() - allowed);
        assert_eq!(
            Status::Declined.apply(Action::Publish),
            Err(IllegalTransition {
                from: Status::Declined,
                action: Action::Publish
            })
        );
        assert!(Status::Archived.allowed_actions().is_empty());
    }

    #[test]
    fn only_published_and_completed_are_public() {
        let public: Vec<Status> = Status::ALL.into_iter().filter(|s| s.is_public()).collect();
        assert_eq!(public, vec![Status::Published, Status::Completed]);
    }

    #[test]
    fn state_words_round_trip() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
    }
}
