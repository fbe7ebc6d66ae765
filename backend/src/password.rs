//! Coordinator passwords: argon2id hashes in PHC format, never the password.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

/// Shortest password accepted for a coordinator.
pub const MIN_LENGTH: usize = 12;

/// Hashes a password with argon2id and a fresh salt.
pub fn hash(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| format!("cannot hash the password: {e}"))
}

/// Whether `password` matches the stored hash. A malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of no one's password, verified against when the email is unknown
/// so that the answer takes as long as for a known email.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash(&crate::token::generate()).unwrap_or_default())
}

/// Checks a new password's strength; the message says what to do.
pub fn check_strength(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_LENGTH {
        return Err(format!(
            "A password needs at least {MIN_LENGTH} characters."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_hash_only() {
        let stored = hash("korrekt hest batteri").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("korrekt hest batteri", &stored));
        assert!(!verify("forkert", &stored));
        assert!(!verify("korrekt hest batteri", "not a hash"));
    }
}
