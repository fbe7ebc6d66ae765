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

/// A checked contact: a name, and an email and/or phone when given. Only
/// [`ContactInput::parse`] builds one outside this crate (`non_exhaustive`,
/// no `Deserialize`); what the API shows is a [`ContactView`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Contact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A contact as the API shows it (to a coordinator, the group, its owner).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Contact))]
pub struct ContactView {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl From<Contact> for ContactView {
    fn from(contact: Contact) -> ContactView {
        ContactView {
            name: contact.name,
            email: contact.email,
            phone: contact.phone,
        }
    }
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

/// An optional email address, checked as a mailer checks it (the
/// `email_address` crate that `lettre` uses: RFC 5321/5322 with UTF-8),
/// plus a dotted domain and at most 254 bytes; nothing that would turn into
/// a header or a link (`?bcc=`, `javascript:`). Stored normalised: trimmed
/// and lowercase (Unicode), so `SØREN@example.dk` and `søren@example.dk` are
/// one person when a citizen's data is looked up, exported or erased.
pub fn parse_email(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(email) = parse_optional_text(raw, LABEL)? else {
        return Ok(None);
    };
    let email = normalise_email(&email);
    let valid = match email.rsplit_once('@') {
        Some((local, domain)) => {
            email_address::EmailAddress::is_valid_local_part(local)
                // A quoted local part is valid mail, and a trap in a link.
                && !local.starts_with('"')
                && is_host_name(domain)
                && email.len() <= 254
        }
        None => false,
    };
    valid.then_some(Some(email)).ok_or(FieldError::InvalidEmail)
}

/// A domain as mail goes to it: two or more dot-separated labels of letters
/// (any script: `blåbær.dk`), digits and inner hyphens, each at most 63
/// bytes. Stricter than `email_address`'s domain rule, which lets `?`, `%`
/// and `=` through (`example.dk?bcc=…`).
fn is_host_name(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// The form an email is stored and matched in: trimmed, lowercase.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
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
            "mette",
            "mette@",
            "@x.dk",
            "a@b",
            "a b@c.dk",
            "a@b@c.dk",
            "a@.dk",
            // What a mailer or a mailto: link would read as more than an
            // address (issue 14, item 12).
            "mette@example.dk?bcc=spy%40evil.dk",
            "javascript:alert(1)@x.dk",
            "\"a b\"@x.dk",
            "a@[127.0.0.1]",
        ] {
            assert_eq!(
                parse_email(Some(bad)),
                Err(FieldError::InvalidEmail),
                "{bad}"
            );
        }
        assert_eq!(
            parse_email(Some("a@x.dk\r\nBcc: spy@evil.dk")),
            Err(FieldError::ControlCharacters)
        );
        for bad in ["12", "call me", "45+12345678", "1234567890123456"] {
            assert_eq!(
                parse_phone(Some(bad)),
                Err(FieldError::InvalidPhone),
                "{bad}"
            );
        }
    }

    #[test]
    fn addresses_are_kept_lowercase_also_beyond_ascii() {
        assert_eq!(
            parse_email(Some("SØREN@Example.DK")),
            Ok(Some("søren@example.dk".into()))
        );
        assert_eq!(
            parse_email(Some("anne.marie+sammen@blåbær.dk")),
            Ok(Some("anne.marie+sammen@blåbær.dk".into()))
        );
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
