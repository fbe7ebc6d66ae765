//! Secrets of private links (follow links, joins, group and invite links,
//! sessions): 256 bits from the operating system's CSPRNG, stored only as a
//! SHA-256 hash, so a copy of the database does not open anyone's link.
//!
//! A secret starts with the time it was made (12 hex digits of Unix
//! milliseconds, not secret), and so does what is stored of it: the unique
//! indexes on these hashes then grow at their end, as an index on a time
//! does, instead of taking each new hash on a random page of the index.
//! Measured on SQLite, three random index pages per proposal (its follow
//! token, its mailed follow link, its idempotency key) were a third of a
//! proposal's cost: every such page is copied into the write's savepoint,
//! the WAL at COMMIT, and the database file at the checkpoint.
//! Secrets made before (64 hex digits, all random) are stored and looked up
//! as they always were.

use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Hex digits of the time a secret starts with.
const TIME_DIGITS: usize = 12;

/// A secret's length: its time and 256 random bits, in hex.
const SECRET_LEN: usize = TIME_DIGITS + 64;

/// A fresh secret: the time, then 256 random bits, as 76 hex characters.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let millis = chrono::Utc::now().timestamp_millis().max(0) as u64;
    // The low 48 bits: Unix milliseconds fit them until the year 10889.
    let mut secret = format!("{:012x}", millis & 0xffff_ffff_ffff);
    secret.push_str(&hex::encode(bytes));
    secret
}

/// A short code people type: `len` characters without look-alikes (no 0/O,
/// 1/I/L). Not a secret; 31^6 ≈ 900 million codes keep collisions rare.
pub fn short_code(len: usize) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut bytes = vec![0u8; len];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// What is stored and looked up instead of the secret: its time, then its
/// SHA-256; a secret of the old form, its SHA-256 alone. Lookup by an
/// indexed hash does not leak the secret through timing the way comparing
/// it would.
pub fn hash(token: &str) -> String {
    match token.get(..TIME_DIGITS) {
        Some(time) if token.len() == SECRET_LEN => format!("{time}{}", digest(token)),
        _ => digest(token),
    }
}

/// SHA-256 in hex.
fn digest(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The read-only calendar secret that goes with a member's secret: whoever
/// sees the feed's address can read the dates, not act as the member.
pub fn calendar_secret(member_secret: &str) -> String {
    // The digest alone, as ever: feeds already subscribed keep working.
    digest(&format!("calendar:{member_secret}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_unique_and_hashed() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.len(), 76);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), a);
        assert_ne!(hash(&a), hash(&b));
    }

    #[test]
    fn secrets_and_their_hashes_are_ordered_by_time() {
        let first = generate();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let second = generate();
        assert!(first[..12] < second[..12], "{first} then {second}");
        assert!(hash(&first) < hash(&second));
        assert_eq!(hash(&first)[..12], first[..12]);
        // The random part is hashed, never stored.
        assert!(!hash(&first).contains(&first[12..]));
    }

    #[test]
    fn secrets_of_the_old_form_hash_as_before() {
        // A follow link mailed before secrets began with their time.
        let old = "7f3a".repeat(16);
        assert_eq!(
            hash(&old),
            hex::encode(Sha256::digest(old.as_bytes())),
            "stored as ever"
        );
        assert_eq!(
            calendar_secret(&old),
            hex::encode(Sha256::digest(format!("calendar:{old}").as_bytes()))
        );
    }
}
