//! One module per screen of the console, plus the words for failures.

pub mod account;
pub mod audit;
pub mod embed;
pub mod groups;
pub mod matches;
pub mod meetings;
pub mod notice;
pub mod offers;
pub mod proposal;
pub mod published;
pub mod queue;
pub mod settings;
pub mod sign_in;
pub mod stats;

/// A `mailto:` link that can only ever be this one address: each side of
/// the `@` percent-encoded, so no `?bcc=` or `&body=` in stored data can add
/// recipients or text to the coordinator's email.
pub fn mailto(email: &str) -> String {
    let encode = |part: &str| String::from(js_sys::encode_uri_component(part));
    match email.rsplit_once('@') {
        Some((local, domain)) => format!("mailto:{}@{}", encode(local), encode(domain)),
        None => format!("mailto:{}", encode(email)),
    }
}
