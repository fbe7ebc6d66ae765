//! Consent: what each public form tells the citizen about their data — what
//! is stored, who sees it, for how long — and the version of that text, which
//! is stored with every proposal, signup and offer.
//!
//! A new wording gets a new version (the date it took effect) in
//! [`KNOWN_VERSIONS`]; older versions stay known so a form opened before the
//! change can still be sent.

use serde::{Deserialize, Serialize};

use crate::{FieldError, ReaderLang};

/// The consent version in force for every form.
pub const CONSENT_VERSION: &str = "2026-11-26";

/// Every consent version a client may send, oldest first.
pub const KNOWN_VERSIONS: &[&str] = &["2026-11-23", CONSENT_VERSION];

/// Months personal data is kept after an initiative ends, unless the
/// municipality chose another period.
pub const DEFAULT_RETENTION_MONTHS: u32 = 12;

/// The public forms that collect personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentForm {
    Propose,
    Signup,
    Offer,
}

impl ConsentForm {
    pub const ALL: [ConsentForm; 3] = [
        ConsentForm::Propose,
        ConsentForm::Signup,
        ConsentForm::Offer,
    ];

    /// The version in force for this form.
    pub fn current_version(self) -> &'static str {
        CONSENT_VERSION
    }
}

/// The consent text of one form in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentText {
    pub form: ConsentForm,
    pub version: String,
    /// What Sammen stores.
    pub stored: String,
    /// Who sees it.
    pub who_sees: String,
    /// For how long, and how to have it deleted sooner.
    pub how_long: String,
}

/// The text a form shows, in `lang`; `months` is the municipality's
/// retention period.
pub fn text(form: ConsentForm, lang: impl Into<ReaderLang>, months: u32) -> ConsentText {
    let lang = lang.into();
    let (stored, who_sees) = match form {
        ConsentForm::Propose => (&PROPOSE_STORED, &PROPOSE_WHO_SEES),
        ConsentForm::Signup => (&SIGNUP_STORED, &SIGNUP_WHO_SEES),
        ConsentForm::Offer => (&OFFER_STORED, &OFFER_WHO_SEES),
    };
    ConsentText {
        form,
        version: form.current_version().to_string(),
        stored: stored.say(lang, &[]),
        who_sees: who_sees.say(lang, &[]),
        how_long: HOW_LONG.say(lang, &[("months", &months)]),
    }
}

// A changed wording here is a new consent version (see the module doc); the
// packs' texts of the same key are translations of it, not other promises.
crate::texts! {
    TEXTS;
    PROPOSE_STORED "consent.propose.stored" =>
        "Dit forslag (titel, beskrivelse, sted, tid, behov) og din kontakt: navn, e-mail og/eller telefon.",
        "Your proposal (title, description, place, time, needs) and your contact: name, email and/or phone.";
    PROPOSE_WHO_SEES "consent.propose.who_sees" =>
        "Kommunens koordinatorer for den institution, forslaget hører til. Offentliggøres forslaget, kan alle se titel, beskrivelse, sted og tid — aldrig din kontakt.",
        "The municipality's coordinators for the institution it belongs to. If it is published, everyone sees its title, description, place and time — never your contact.";
    SIGNUP_STORED "consent.signup.stored" =>
        "Din kontakt (navn, e-mail og/eller telefon), din besked og, for legegrupper, barnets aldersgruppe (aldrig navn eller fødselsdato), området, ledige eftermiddage og sprog.",
        "Your contact (name, email and/or phone), your message and, for playdate groups, the child's age band (never a name or birth date), the area, free afternoons and languages.";
    SIGNUP_WHO_SEES "consent.signup.who_sees" =>
        "Initiativets arrangør ser dit navn, din besked og — kun hvis du vælger det — din e-mail eller telefon; kommunens koordinatorer ser din kontakt. Gruppens medlemmer ser kun det, I selv vælger at dele i gruppen.",
        "The initiative's organiser sees your name, your message and — only if you choose — your email or phone; the municipality's coordinators see your contact. Group members see only what you choose to share within the group.";
    OFFER_STORED "consent.offer.stored" =>
        "Din kontakt (navn, e-mail og/eller telefon), hvad du kan tilbyde (færdigheder, redskaber, tid), dit område og dine sprog.",
        "Your contact (name, email and/or phone), what you offer (skills, tools, time), your area and your languages.";
    OFFER_WHO_SEES "consent.offer.who_sees" =>
        "Kommunens koordinatorer, når de leder efter hjælpere. Inviterer de dig til et initiativ, ser dets arrangør dit fornavn og dit svar.",
        "The municipality's coordinators, when they look for helpers. If they invite you to an initiative, its organiser sees your first name and your answer.";
    HOW_LONG "consent.how_long" =>
        "Indtil {months} måneder efter initiativet er afsluttet eller afvist (tilbud: {months} måneder). Med dit private link kan du til enhver tid hente alle dine data eller slette dem.",
        "Until {months} months after the initiative ends or is declined (offers: {months} months). With your private link you can download or delete all your data at any time.";
}

/// The consent version a request agreed to: the one in force when the client
/// sent none (API clients without a form), a known one as sent, otherwise
/// [`FieldError::UnknownConsentVersion`].
pub fn parse_consent_version(raw: Option<&str>, form: ConsentForm) -> Result<String, FieldError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(form.current_version().to_string()),
        Some(version) if KNOWN_VERSIONS.contains(&version) => Ok(version.to_string()),
        Some(_) => Err(FieldError::UnknownConsentVersion),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn an_absent_version_is_the_current_one_and_an_unknown_one_is_refused() {
        for form in ConsentForm::ALL {
            assert_eq!(parse_consent_version(None, form).unwrap(), CONSENT_VERSION);
            assert_eq!(
                parse_consent_version(Some(" 2026-11-23 "), form).unwrap(),
                "2026-11-23"
            );
            assert_eq!(
                parse_consent_version(Some("1999-01-01"), form),
                Err(FieldError::UnknownConsentVersion)
            );
        }
    }

    #[test]
    fn every_form_says_what_who_and_how_long_in_every_language() {
        for form in ConsentForm::ALL {
            let languages = [Lang::Da.into(), Lang::En.into()]
                .into_iter()
                .chain(["ar", "uk"].map(|code| ReaderLang::from_code(code).expect("a pack")));
            for lang in languages {
                let text = text(form, lang, 12);
                assert!(!text.stored.is_empty() && !text.who_sees.is_empty());
                assert!(text.how_long.contains("12"));
                assert_eq!(text.version, CONSENT_VERSION);
            }
        }
    }
}
