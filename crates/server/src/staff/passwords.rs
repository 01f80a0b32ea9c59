//! Argon2id work for the dashboard's forms, off the async threads (a hash takes tens of
//! milliseconds of CPU): checking a typed password against a stored hash, and hashing a new one.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordVerifier};

use super::StaffError;
use crate::admin::password_hash;
use crate::error::StoreError;

/// Whether `password` is the one `hash` (a PHC string) was made from.
pub async fn verify(hash: String, password: String) -> Result<bool, StaffError> {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
    })
    .await
    .map_err(|_| StaffError::Internal("password check panicked"))
}

/// The hash of a new password, or `None` when it is shorter than
/// [`MIN_PASSWORD`](crate::admin::MIN_PASSWORD) (the form says so in the member's words).
pub async fn hash_new(password: String) -> Result<Option<String>, StaffError> {
    let hashed = tokio::task::spawn_blocking(move || password_hash("password", &password))
        .await
        .map_err(|_| StaffError::Internal("password hashing panicked"))?;
    match hashed {
        Ok(h) => Ok(Some(h)),
        Err(StoreError::Invalid(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
