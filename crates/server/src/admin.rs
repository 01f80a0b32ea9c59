//! `convivio-server admin ...`: what an operator does before staff have a dashboard. Each
//! command returns a serialisable result, printed as text or, with `--json`, as one JSON
//! object for scripts and tests.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, SaltString};
use chrono::{DateTime, Duration, Utc};
use convivio_core::Invalid;
use convivio_core::Rule;
use serde::Serialize;
use uuid::Uuid;

use crate::error::{StoreError, StoreResult};
use crate::storage::{Agency, NewEnrolment, StaffRole, Store};
use crate::tokens::{code_hash, new_code};

/// The shortest staff password accepted.
pub const MIN_PASSWORD: usize = 12;

/// What `admin enrol` prints: the code to hand to the caregiver, once.
#[derive(Debug, Clone, Serialize)]
pub struct EnrolmentCode {
    pub code: String,
    pub caregiver_id: Uuid,
    pub expires_at: DateTime<Utc>,
}

pub async fn agency<S: Store>(store: &S, name: &str) -> StoreResult<Agency> {
    store
        .agency_by_name(name)
        .await?
        .ok_or_else(|| StoreError::NotFound { kind: "agency", id: name.to_owned() })
}

pub async fn create_agency<S: Store>(store: &S, name: &str) -> StoreResult<Agency> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Invalid::new("name", Rule::TooLong { max: 200 }, "must be 1 to 200 characters").into());
    }
    if store.agency_by_name(name).await?.is_some() {
        return Err(StoreError::Conflict(format!("agency '{name}'")));
    }
    store.create_agency(name).await
}

pub async fn create_staff<S: Store>(
    store: &S,
    agency_name: &str,
    username: &str,
    role: StaffRole,
    password: &str,
) -> StoreResult<crate::storage::Staff> {
    let agency = agency(store, agency_name).await?;
    let username = check_username(username)?;
    let hash = password_hash("password", password)?;
    store.create_staff(agency.id, username, &hash, role).await
}

/// A staff username, trimmed: 1 to 64 lower-case letters, digits, '.', '_' or '-' (it is typed
/// at every sign-in and shown in the audit log, so nothing that could look like another name).
pub fn check_username(username: &str) -> Result<&str, Invalid> {
    let username = username.trim();
    let valid = !username.is_empty()
        && username.len() <= 64
        && username.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if valid {
        Ok(username)
    } else {
        Err(Invalid::new(
            "username",
            Rule::BadFormat,
            "must be 1 to 64 characters: lower-case letters, digits, '.', '_' or '-'",
        ))
    }
}

/// The Argon2id PHC string of a new staff password, refused (naming `field`) when it is shorter
/// than [`MIN_PASSWORD`].
pub fn password_hash(field: &str, password: &str) -> StoreResult<String> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(Invalid::new(
            field,
            Rule::TooShort { min: MIN_PASSWORD as u64 },
            format!("must be at least {MIN_PASSWORD} characters"),
        )
        .into());
    }
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| StoreError::Database(e.to_string()))?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| StoreError::Database(e.to_string()))?
        .to_string())
}

/// Makes a one-time code for a new caregiver (`caregiver_name`) or for another device of an
/// existing one (`caregiver_id`).
pub async fn enrol<S: Store>(
    store: &S,
    agency_name: &str,
    caregiver_name: Option<&str>,
    caregiver_id: Option<Uuid>,
    ttl_days: i64,
) -> StoreResult<EnrolmentCode> {
    let agency = agency(store, agency_name).await?;
    let caregiver = match (caregiver_name, caregiver_id) {
        (_, Some(id)) => {
            let c = store
                .caregiver(id)
                .await?
                .ok_or_else(|| StoreError::NotFound { kind: "caregiver", id: id.to_string() })?;
            if c.agency_id != agency.id {
                return Err(StoreError::NotFound { kind: "caregiver", id: id.to_string() });
            }
            c
        }
        (Some(name), None) => {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 200 {
                return Err(Invalid::new(
                    "caregiver",
                    Rule::TooLong { max: 200 },
                    "must be 1 to 200 characters",
                )
                .into());
            }
            store.create_caregiver(agency.id, name).await?
        }
        (None, None) => {
            return Err(Invalid::new(
                "caregiver",
                Rule::Required,
                "give --caregiver NAME or --caregiver-id ID",
            )
            .into());
        }
    };
    let code = new_code();
    let expires_at = Utc::now() + Duration::days(ttl_days);
    store
        .create_enrolment(NewEnrolment {
            code_hash: code_hash(&code),
            caregiver_id: caregiver.id,
            expires_at,
        })
        .await?;
    Ok(EnrolmentCode { code, caregiver_id: caregiver.id, expires_at })
}
