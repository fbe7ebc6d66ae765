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

/// Words the commonest passwords are made of; with only digits and marks
/// around them (`Password1234!`, `Velkommen2024`) a password is refused.
const COMMON_WORDS: [&str; 20] = [
    "password",
    "passwords",
    "passw0rd",
    "adgangskode",
    "kodeord",
    "qwerty",
    "qwertyuiop",
    "asdfghjkl",
    "sammen",
    "velkommen",
    "welcome",
    "letmein",
    "iloveyou",
    "admin",
    "administrator",
    "sommer",
    "vinter",
    "danmark",
    "abcdefghijkl",
    "monkey",
];

/// Checks a new password's strength; the message says what to do. At least
/// [`MIN_LENGTH`] characters that are not spaces; not one character over and
/// over, not a run like `123456789012`, not a common word dressed in digits.
pub fn check_strength(password: &str) -> Result<(), String> {
    let visible: Vec<char> = password
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if visible.len() < MIN_LENGTH {
        return Err(format!(
            "A password needs at least {MIN_LENGTH} characters (spaces do not count)."
        ));
    }
    let too_easy = || Err("This password is among the easiest to guess; choose another.".into());
    if visible.iter().all(|c| *c == visible[0]) {
        return too_easy();
    }
    // Each character one more (or one less) than the one before: 123456789012, abcdef….
    let step = |a: char, b: char| (b as i64 - a as i64).rem_euclid(10);
    if visible.windows(2).all(|w| step(w[0], w[1]) == 1)
        || visible.windows(2).all(|w| step(w[1], w[0]) == 1)
    {
        return too_easy();
    }
    let core: String = visible.iter().filter(|c| c.is_alphabetic()).collect();
    if COMMON_WORDS
        .iter()
        .any(|word| core == *word || core == format!("{word}{word}"))
    {
        return too_easy();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_runs_and_dressed_up_common_words_are_refused() {
        // Issue 14, item 11.
        for weak in [
            "            ",
            "  kort kort  ",
            "aaaaaaaaaaaaaa",
            "123456789012",
            "210987654321",
            "Password1234!",
            "Velkommen2024",
            "qwertyuiop12",
            "AdgangskodeAdgangskode",
        ] {
            assert!(check_strength(weak).is_err(), "{weak}");
        }
        for strong in [
            "korrekt hest batteri",
            "Regnbuen-legegrupper-2026",
            "en lang privat sætning",
        ] {
            assert_eq!(check_strength(strong), Ok(()), "{strong}");
        }
    }

    #[test]
    fn a_password_verifies_against_its_hash_only() {
        let stored = hash("korrekt hest batteri").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("korrekt hest batteri", &stored));
        assert!(!verify("forkert", &stored));
        assert!(!verify("korrekt hest batteri", "not a hash"));
    }
}
