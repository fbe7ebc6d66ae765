//! What citizens' public forms carry besides their content (consent version,
//! honeypot, fill time), and what a citizen or an admin gets back when they
//! ask for the data Sammen holds about someone.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::admin::{OfferView, SignupView};
use crate::follow::{MessageView, ProposalView};
use crate::person::ContactView;

/// The fields every public form sends next to its content. A client sends
/// them at the top level of the JSON body, beside the form's own fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormExtras {
    /// The consent text version the citizen saw (see `consent.rs`); the one
    /// in force when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_version: Option<String>,
    /// A field people never see and so leave empty; anything in it marks
    /// the request as sent by a bot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Milliseconds the form was open before it was sent; API clients
    /// without a form leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fill_ms: Option<u64>,
}

/// The body of `POST …/initiatives`: the proposal with the form's extras.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalForm {
    #[serde(flatten)]
    pub form: crate::initiative::NewInitiative,
    #[serde(flatten)]
    pub extras: FormExtras,
}

/// The body of `POST …/signups`: the signup with the form's extras.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupForm {
    #[serde(flatten)]
    pub form: crate::signup::NewSignup,
    #[serde(flatten)]
    pub extras: FormExtras,
}

/// The body of `POST …/offers`: the offer with the form's extras.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferForm {
    #[serde(flatten)]
    pub form: crate::offer::NewOffer,
    #[serde(flatten)]
    pub extras: FormExtras,
}

/// Which kind of record a private link or an admin request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Proposal,
    Signup,
    Offer,
    /// An idea left at an open meeting with its proposer's contact.
    MeetingProposal,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Proposal => "proposal",
            RecordKind::Signup => "signup",
            RecordKind::Offer => "offer",
            RecordKind::MeetingProposal => "meeting_proposal",
        }
    }
}

/// A signup with the title of what was joined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupExport {
    pub initiative_id: Uuid,
    pub initiative_title: String,
    pub signup: SignupView,
}

/// An idea left at an open meeting, with the contact its proposer gave so
/// the idea keeps them if it is chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingProposalExport {
    pub meeting_id: Uuid,
    pub meeting_title: String,
    pub title: String,
    pub summary: Option<String>,
    pub contact: ContactView,
    /// The language the phone asked in (`da`, `en`).
    pub lang: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// One record and everything Sammen holds with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordExport {
    pub kind: RecordKind,
    pub id: Uuid,
    pub municipality: String,
    /// The consent text version agreed to (none for records made before
    /// versions were stored).
    pub consent_version: Option<String>,
    /// A proposal, with the proposer's contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal: Option<ProposalView>,
    /// The dialogue of a proposal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<MessageView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signup: Option<SignupExport>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<OfferView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_proposal: Option<MeetingProposalExport>,
}

/// All data Sammen holds about a person, as JSON to keep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonalData {
    /// RFC 3339, UTC.
    pub exported_at: String,
    pub records: Vec<RecordExport>,
}

/// What a deletion did: the records whose personal data is gone. Anonymous
/// counts (that a signup or an offer existed) stay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Erased {
    pub records: Vec<ErasedRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErasedRecord {
    pub kind: RecordKind,
    pub id: Uuid,
}

/// A fresh private link: the old one stopped working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrivateLink {
    pub kind: RecordKind,
    pub id: Uuid,
    /// Shown once; send it as `Authorization: Bearer …`.
    pub token: String,
}

/// How long a municipality keeps personal data of ended initiatives and
/// unused offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Retention {
    /// 1–120 months.
    pub months: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extras_sit_beside_the_form_fields() {
        let body = OfferForm {
            extras: FormExtras {
                website: Some(String::new()),
                fill_ms: Some(4200),
                consent_version: None,
            },
            ..Default::default()
        };
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["fill_ms"], 4200);
        assert_eq!(json["website"], "");
        assert!(json.get("contact").is_some());
        let back: OfferForm = serde_json::from_value(json).unwrap();
        assert_eq!(back, body);
    }
}
