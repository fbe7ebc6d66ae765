//! Bots on public forms: a honeypot field people never see (`website`) and a
//! minimum time between opening a form and sending it (`fill_ms`). Both are
//! read beside the form's own fields, from the same JSON body, together with
//! the consent version the citizen agreed to.

use sammen_shared::consent::{parse_consent_version, ConsentForm};
use sammen_shared::privacy::FormExtras;
use sammen_shared::{ErrorCode, FieldErrors, ReaderLang};

use crate::error::{Error, Result};
use crate::said;

/// Reads the extras of a public form's body and checks them; returns the
/// consent version to store. A filled honeypot is a 422 `spam_suspected`, a
/// form sent faster than `min_fill_ms` a 422 `too_fast` (no `fill_ms`, as from
/// API clients without a form, passes), an unknown consent version a field
/// error. Nothing is stored in any of these cases.
pub fn screen(raw: &[u8], form: ConsentForm, min_fill_ms: u64, lang: ReaderLang) -> Result<String> {
    let mut deserializer = serde_json::Deserializer::from_slice(raw);
    let extras: FormExtras =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let path = error.path().to_string();
            Error::invalid_body(path, error.into_inner().to_string())
        })?;
    if extras
        .website
        .as_deref()
        .is_some_and(|w| !w.trim().is_empty())
    {
        tracing::info!(form = ?form, "honeypot filled; refused");
        return Err(Error::said(
            ErrorCode::SpamSuspected,
            lang,
            &said::SPAM_SUSPECTED,
        ));
    }
    if let Some(fill_ms) = extras.fill_ms {
        if fill_ms < min_fill_ms {
            // Words for the citizen, who reads them in the widget (a
            // browser's autofill can be this fast); the numbers go to the log.
            tracing::info!(form = ?form, fill_ms, min_fill_ms, "form sent too fast; refused");
            return Err(Error::said(ErrorCode::TooFast, lang, &said::TOO_FAST));
        }
    }
    let mut errors = FieldErrors::new();
    match errors.check(
        "consent_version",
        parse_consent_version(extras.consent_version.as_deref(), form),
    ) {
        Some(version) => Ok(version),
        None => Err(Error::Validation(errors, lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(result: Result<String>) -> Option<ErrorCode> {
        match result {
            Err(error) => error.code(),
            Ok(_) => None,
        }
    }

    #[test]
    fn refuses_honeypots_hurry_and_unknown_consent() {
        let check = |body: &str| {
            code(screen(
                body.as_bytes(),
                ConsentForm::Offer,
                3000,
                ReaderLang::EN,
            ))
        };
        assert_eq!(check(r#"{"website": "", "fill_ms": 4000}"#), None);
        assert_eq!(check(r#"{}"#), None);
        assert_eq!(check(r#"{"website": "x"}"#), Some(ErrorCode::SpamSuspected));
        assert_eq!(check(r#"{"fill_ms": 2999}"#), Some(ErrorCode::TooFast));
        assert_eq!(
            check(r#"{"fill_ms": "soon"}"#),
            Some(ErrorCode::InvalidBody)
        );
        assert_eq!(
            check(r#"{"consent_version": "1999-01-01"}"#),
            Some(ErrorCode::ValidationFailed)
        );
    }
}
