//! Person data: who a citizen is and how to reach them. It never appears in a
//! public response; see `ARCHITECTURE.md` for who may read it.

use serde::{Deserialize, Serialize};

use crate::text::{parse_optional_text, parse_text, LABEL};
use crate::{FieldError, FieldErrors};

/// How to reach a citizen, as they typed it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// A checked contact: a name, and an email and/or phone when given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl ContactInput {
    /// Checks the contact; errors go under `{field}.name`, `{field}.email`, ….
    pub fn parse(&self, field: &str, errors: &mut FieldErrors) -> Option<Contact> {
        let name = errors.check(&format!("{field}.name"), parse_text(&self.name, LABEL));
        let email = errors.check(
            &format!("{field}.email"),
            parse_email(self.email.as_deref()),
        );
        let phone = errors.check(
            &format!("{field}.phone"),
            parse_phone(self.phone.as_deref()),
        );
        Some(Contact {
            name: name?,
            email: email?,
            phone: phone?,
        })
    }
}

/// An optional email address: one `@`, something before it, a dotted domain
/// after it, no spaces. Deliverability is the mail server's to judge.
pub fn parse_email(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(email) = parse_optional_text(raw, LABEL)? else {
        return Ok(None);
    };
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(char::is_whitespace)
                && email.len() <= 254
        }
        None => false,
    };
    valid.then_some(Some(email)).ok_or(FieldError::InvalidEmail)
}

/// An optional phone number: digits with spaces, dashes, parentheses and a
/// leading `+`; 6 to 15 digits (E.164 allows 15).
pub fn parse_phone(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(phone) = parse_optional_text(raw, LABEL)? else {
        return Ok(None);
    };
    let allowed = phone
        .char_indices()
        .all(|(i, c)| c.is_ascii_digit() || " -()".contains(c) || (c == '+' && i == 0));
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    (allowed && (6..=15).contains(&digits))
        .then_some(Some(phone))
        .ok_or(FieldError::InvalidPhone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_numbers() {
        assert_eq!(
            parse_email(Some(" mette@example.dk ")),
            Ok(Some("mette@example.dk".into()))
        );
        assert_eq!(
            parse_phone(Some("+45 12 34 56 78")),
            Ok(Some("+45 12 34 56 78".into()))
        );
        assert_eq!(parse_email(Some("")), Ok(None));
        assert_eq!(parse_phone(None), Ok(None));
    }

    #[test]
    fn refuses_malformed_addresses_and_numbers() {
        for bad in [
            "mette", "mette@", "@x.dk", "a@b", "a b@c.dk", "a@b@c.dk", "a@.dk",
        ] {
            assert_eq!(
                parse_email(Some(bad)),
                Err(FieldError::InvalidEmail),
                "{bad}"
            );
        }
        for bad in ["12", "call me", "45+12345678", "1234567890123456"] {
            assert_eq!(
                parse_phone(Some(bad)),
                Err(FieldError::InvalidPhone),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_contact_needs_a_name() {
        let mut errors = FieldErrors::new();
        let input = ContactInput {
            name: " ".into(),
            email: None,
            phone: None,
        };
        assert_eq!(input.parse("contact", &mut errors), None);
        assert_eq!(errors.get("contact.name"), Some(&FieldError::Required));
    }
}
