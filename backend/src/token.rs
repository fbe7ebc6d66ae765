//! Secrets of private links (follow links now; group and invite links later):
//! 256 bits from the operating system's CSPRNG, stored only as a SHA-256 hash,
//! so a copy of the database does not open anyone's link.

use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A fresh secret, as 64 hex characters.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
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

/// What is stored and looked up instead of the secret. Lookup by an indexed
/// hash does not leak the secret through timing the way comparing it would.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The read-only calendar secret that goes with a member's secret: whoever
/// sees the feed's address can read the dates, not act as the member.
pub fn calendar_secret(member_secret: &str) -> String {
    hash(&format!("calendar:{member_secret}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_unique_and_hashed() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), a);
    }
}
