//! What the coordinator console and the admin API agree on.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::follow::{MessageView, ProposalView};
use crate::person::Contact;
use crate::signup::Family;
use crate::status::{Action, Status};

/// What a coordinator may do: an admin sees the whole municipality and
/// manages it; a coordinator sees only the institutions assigned to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Coordinator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
        }
    }

    pub fn parse(word: &str) -> Option<Role> {
        match word {
            "admin" => Some(Role::Admin),
            "coordinator" => Some(Role::Coordinator),
            _ => None,
        }
    }
}

/// Email and password, to sign in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
}

/// A coordinator as the console shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoordinatorView {
    pub id: Uuid,
    pub municipality: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The institutions a coordinator is assigned to (all, for an admin).
    pub institutions: Vec<String>,
}

/// The signed-in coordinator and the token to send as `X-CSRF-Token` with
/// every change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub coordinator: CoordinatorView,
    pub csrf_token: String,
    /// When the session ends (RFC 3339, UTC).
    pub expires_at: String,
}

/// Filters of the moderation queue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct QueueQuery {
    /// Only this state (default `submitted`).
    pub status: Option<Status>,
    pub institution: Option<String>,
    pub category: Option<String>,
}

/// How many initiatives are in one state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCount {
    pub status: Status,
    pub count: u64,
}

/// One line of the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueItem {
    pub id: Uuid,
    pub title: String,
    pub category: String,
    pub institution: Option<String>,
    pub status: Status,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// The queue: counts per state and the items of the chosen state, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Queue {
    pub counts: Vec<StatusCount>,
    pub items: Vec<QueueItem>,
}

/// Someone who joined, as the coordinator sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupView {
    pub id: Uuid,
    pub need_id: Option<Uuid>,
    pub contact: Contact,
    pub message: Option<String>,
    pub family: Option<Family>,
    pub created_at: String,
}

/// An initiative as its coordinator sees it: everything, with the dialogue,
/// the decisions possible now and who joined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminInitiative {
    pub proposal: ProposalView,
    pub messages: Vec<MessageView>,
    pub allowed_actions: Vec<Action>,
    pub signups: Vec<SignupView>,
}

/// A coordinator's decision, against the version they saw. Publishing may
/// edit the title and summary first; the edit is recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    pub action: Action,
    pub version: i64,
    /// To the proposer; required when asking for changes or declining.
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: Uuid,
    /// The coordinator's email, or `proposer` / `system`.
    pub actor: String,
    /// `sign_in`, `publish`, `request_changes`, `edit`, `export`, …
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<String>,
    /// The state before and after, as JSON text.
    pub before: Option<String>,
    pub after: Option<String>,
    pub created_at: String,
}
