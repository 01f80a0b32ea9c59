//! The diary's error: kinds kept apart so the CLI and the Tauri commands can map them to a
//! stable code, and messages that tell the caregiver what to do next.

use convivio_core::Invalid;

#[derive(Debug, thiserror::Error)]
pub enum DiaryError {
    #[error(transparent)]
    Invalid(#[from] Invalid),

    #[error("the passphrase is not right for this diary; check it and try again")]
    WrongPassphrase,

    #[error("there is no diary in {0}; create one first")]
    NoDiary(String),

    #[error("a diary already exists in {0}; open it instead of creating a new one")]
    AlreadyExists(String),

    #[error("no {kind} with id {id}")]
    NotFound { kind: &'static str, id: String },

    #[error("the diary file is damaged or was written by a newer version of Convivio: {0}")]
    Damaged(String),

    #[error("could not read or write the diary: {0}")]
    Storage(#[from] rusqlite::Error),

    #[error("could not read or write a file: {0}")]
    Io(#[from] std::io::Error),

    #[error("this diary is not connected to an agency yet; enrol it with the code the agency gave you")]
    NotEnrolled,

    /// The server answered something that breaks the sync protocol; nothing was applied.
    #[error(
        "the agency's server answered something this app cannot use ({0}); nothing was changed, try again later"
    )]
    Protocol(String),

    /// One line of a bulk import is wrong; nothing was imported.
    #[error("line {line}: {source}; nothing was imported")]
    BadLine { line: usize, source: Invalid },
}

impl DiaryError {
    /// A stable code for the edges to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            DiaryError::Invalid(_) => "invalid",
            DiaryError::WrongPassphrase => "wrong_passphrase",
            DiaryError::NoDiary(_) => "no_diary",
            DiaryError::AlreadyExists(_) => "already_exists",
            DiaryError::NotFound { .. } => "not_found",
            DiaryError::Damaged(_) => "damaged",
            DiaryError::Storage(_) => "storage",
            DiaryError::Io(_) => "io",
            DiaryError::NotEnrolled => "not_enrolled",
            DiaryError::Protocol(_) => "protocol",
            DiaryError::BadLine { .. } => "invalid",
        }
    }

    /// The input field at fault, for validation errors.
    pub fn field(&self) -> Option<&str> {
        match self {
            DiaryError::Invalid(i) | DiaryError::BadLine { source: i, .. } => Some(&i.field),
            _ => None,
        }
    }

    /// The kind of rule broken, for validation errors: what the app translates.
    pub fn rule(&self) -> Option<convivio_core::Rule> {
        match self {
            DiaryError::Invalid(i) | DiaryError::BadLine { source: i, .. } => Some(i.code),
            _ => None,
        }
    }

    pub(crate) fn not_found(kind: &'static str, id: impl ToString) -> Self {
        DiaryError::NotFound { kind, id: id.to_string() }
    }
}

pub type Result<T, E = DiaryError> = std::result::Result<T, E>;

/// A stored JSON body that does not parse means damage, not bad input.
pub(crate) fn damaged(e: serde_json::Error) -> DiaryError {
    DiaryError::Damaged(e.to_string())
}
