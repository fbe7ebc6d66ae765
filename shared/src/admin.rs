//! What the coordinator console and the admin API agree on.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::follow::{MessageView, ProposalView};
use crate::person::ContactView;
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
    /// Needed only when the email has accounts in several municipalities
    /// with this password (the answer is then `choose_municipality`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
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
    /// A deactivated coordinator cannot sign in until an admin reactivates them.
    #[serde(default = "active_by_default")]
    pub active: bool,
}

fn active_by_default() -> bool {
    true
}

/// A coordinator changes their own password.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePassword {
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub new_password: String,
}

/// An admin changes a coordinator's role or activity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoordinatorChange {
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub active: Option<bool>,
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
    pub contact: ContactView,
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
    /// The emails about this initiative (decisions, messages), whether each
    /// was delivered.
    #[serde(default)]
    pub mail: Vec<MailView>,
}

/// Where an email is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MailState {
    /// Not delivered yet; tried again after a growing wait.
    Waiting,
    Sent,
    /// The mail server refused it for good (or it failed too often): it is
    /// not tried again.
    Failed,
}

/// One email as the coordinator sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MailView {
    pub id: Uuid,
    /// `publish`, `request_changes`, `message`, …
    pub kind: String,
    /// Empty once the mail's 30 days are over.
    pub recipient: String,
    pub state: MailState,
    pub attempts: i64,
    /// What the mail server (or the mailer) said last time it failed.
    pub last_error: Option<String>,
    pub created_at: String,
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
    /// The coordinator's client address (kept 90 days); none for citizens
    /// and jobs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// A new coordinator, created by a municipality admin.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCoordinatorInput {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    /// `coordinator` when left out.
    #[serde(default)]
    pub role: Option<Role>,
    /// Institution slugs (for a coordinator).
    #[serde(default)]
    pub institutions: Vec<String>,
    /// A first password (at least 12 characters) to hand over privately.
    #[serde(default)]
    pub password: String,
}

/// An institution or area with the point the admin set (none yet: `null`):
/// what a citizen ties to it has that place when they gave none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstitutionPlace {
    pub slug: String,
    pub name: String,
    pub kind: crate::municipality::InstitutionKind,
    pub point: Option<crate::geo::GeoPoint>,
}

/// The point of an institution or area, as the admin sets it; both `null`
/// removes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstitutionPoint {
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
}

/// A new institution of the municipality.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInstitution {
    /// Lowercase letters, digits and dashes: `regnbuen`.
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: Option<crate::municipality::InstitutionKind>,
}

/// A new category of initiatives.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCategory {
    /// Lowercase letters, digits and underscores: `child_minding`.
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub name_da: String,
    #[serde(default)]
    pub name_en: String,
}

/// A web site allowed to embed the widget, e.g. `https://www.billund.dk`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Origin {
    #[serde(default)]
    pub origin: String,
}

/// A web page that tried to use the widget without being allowed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefusedOrigin {
    /// `https://www.odense.dk`, or `null` for a page opened from a file.
    pub origin: String,
    /// Requests refused since `first_refused_at`.
    pub refusals: i64,
    pub first_refused_at: String,
    pub last_refused_at: String,
}

/// An offer of help as the coordinator sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferView {
    pub id: Uuid,
    pub contact: ContactView,
    pub skills: Vec<String>,
    pub tools: Vec<String>,
    pub slots: Vec<crate::week::WeeklySlot>,
    pub area: crate::offer::Area,
    pub languages: Vec<String>,
    pub note: Option<String>,
    pub institution: Option<String>,
    pub created_at: String,
}

/// Checks a slug: 2–40 of lowercase ASCII letters, digits and `separator`,
/// starting with a letter.
pub fn parse_slug(raw: &str, separator: char) -> Result<String, crate::FieldError> {
    let slug = raw.trim();
    if slug.is_empty() {
        return Err(crate::FieldError::Required);
    }
    let valid = (2..=40).contains(&slug.len())
        && slug.starts_with(|c: char| c.is_ascii_lowercase())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == separator);
    valid
        .then(|| slug.to_string())
        .ok_or(crate::FieldError::InvalidSlug)
}

/// Checks a web origin: `https://host[:port]` (or `http://` for local
/// testing), without path, query or trailing slash.
pub fn parse_origin(raw: &str) -> Result<String, crate::FieldError> {
    let origin = raw.trim().trim_end_matches('/').to_ascii_lowercase();
    // Browsers leave the default port out of `Origin`: so do we, or the
    // site would be allowed under a name no browser ever sends.
    let origin = match (origin.strip_suffix(":443"), origin.strip_suffix(":80")) {
        (Some(bare), _) if origin.starts_with("https://") => bare.to_string(),
        (_, Some(bare)) if origin.starts_with("http://") => bare.to_string(),
        _ => origin,
    };
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    let valid = rest.is_some_and(|host| {
        !host.is_empty()
            && host.len() <= 253
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
    });
    valid
        .then_some(origin)
        .ok_or(crate::FieldError::InvalidOrigin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldError;

    #[test]
    fn slugs_are_plain_lowercase_words() {
        assert_eq!(parse_slug(" regnbuen ", '-'), Ok("regnbuen".into()));
        assert_eq!(
            parse_slug("stenderup-skole", '-'),
            Ok("stenderup-skole".into())
        );
        assert_eq!(parse_slug("child_minding", '_'), Ok("child_minding".into()));
        for bad in ["Regnbuen", "1abc", "a", "æble", "a b", "a/b"] {
            assert_eq!(parse_slug(bad, '-'), Err(FieldError::InvalidSlug), "{bad}");
        }
    }

    #[test]
    fn origins_are_scheme_and_host_only() {
        assert_eq!(
            parse_origin("https://www.Billund.dk/"),
            Ok("https://www.billund.dk".into())
        );
        assert_eq!(
            parse_origin("http://localhost:8080"),
            Ok("http://localhost:8080".into())
        );
        assert_eq!(
            parse_origin("https://www.vejle.dk:443"),
            Ok("https://www.vejle.dk".into())
        );
        assert_eq!(parse_origin("http://x.dk:80/"), Ok("http://x.dk".into()));
        assert_eq!(
            parse_origin("https://x.dk:80"),
            Ok("https://x.dk:80".into()),
            "not the default port of https"
        );
        for bad in [
            "www.billund.dk",
            "https://",
            "https://x.dk/side",
            "ftp://x.dk",
            "https://x.dk?a=1",
        ] {
            assert_eq!(parse_origin(bad), Err(FieldError::InvalidOrigin), "{bad}");
        }
    }
}
