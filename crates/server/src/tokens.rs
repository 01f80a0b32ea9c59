//! Secrets handed to devices: enrolment codes and device tokens. The server stores only their
//! SHA-256 hashes. A plain hash suffices (no Argon2) because both are random and long: a token
//! has 256 bits; a code has ~59 bits, expires in days, is single-use and its guessing is
//! throttled.

use rand::Rng;
use sha2::{Digest, Sha256};

/// Letters and digits that cannot be misread for one another (no 0/O, 1/I/L, U/V).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTWXYZ23456789";
const CODE_GROUPS: usize = 3;
const CODE_GROUP_LEN: usize = 4;

/// A new enrolment code such as `K7QM-2XHP-9RTD`.
pub fn new_code() -> String {
    let mut rng = rand::rng();
    let groups: Vec<String> = (0..CODE_GROUPS)
        .map(|_| {
            (0..CODE_GROUP_LEN)
                .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
                .collect()
        })
        .collect();
    groups.join("-")
}

/// A code as typed, made canonical: case, spaces and dashes do not matter.
pub fn normalise_code(typed: &str) -> String {
    typed.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

/// The stored form of a code.
pub fn code_hash(typed: &str) -> String {
    sha256_hex(normalise_code(typed).as_bytes())
}

/// A new device token: 256 random bits, hex.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex::encode(bytes)
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    sha256_hex(token.trim().as_bytes())
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_three_groups_of_unambiguous_characters() {
        let code = new_code();
        assert_eq!(code.len(), 14);
        assert!(code.split('-').all(|g| g.len() == 4));
        assert!(code.chars().filter(|c| *c != '-').all(|c| CODE_ALPHABET.contains(&(c as u8))));
        assert_ne!(new_code(), code);
    }

    #[test]
    fn a_code_typed_loosely_hashes_like_the_original() {
        assert_eq!(code_hash("K7QM-2XHP-9RTD"), code_hash(" k7qm 2xhp 9rtd "));
        assert_ne!(code_hash("K7QM-2XHP-9RTD"), code_hash("K7QM-2XHP-9RTE"));
    }

    #[test]
    fn tokens_are_256_bits_and_hash_stably() {
        let t = new_token();
        assert_eq!(t.len(), 64);
        assert_eq!(token_hash(&t), token_hash(&t));
        assert_ne!(token_hash(&t), t);
    }
}
