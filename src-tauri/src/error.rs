//! The one error every command returns. It crosses the bridge as `{ code, message, field? }`:
//! the UI branches on the stable `code`, shows `message` as is, and marks the input `field`.

use convivio_core::Rule;
use convivio_diary::DiaryError;
use convivio_diary::sync::SyncFailure;
use serde::{Serialize, Serializer};

#[derive(Debug, thiserror::Error)]
pub enum IpcError {
    /// Anything the diary refused or failed at: its code, field and message pass through.
    #[error(transparent)]
    Diary(#[from] DiaryError),

    /// A sync or an enrolment did not happen: its stable code (`unreachable`, `revoked`,
    /// `code_refused`, `already_enrolled`, ...) and its plain words pass through.
    #[error(transparent)]
    Sync(SyncFailure),

    /// The command's arguments did not have the expected shape (an unknown field, a list
    /// where text was expected, ...). Field-level rules are the diary's, not this.
    #[error("the request was not understood: {0}")]
    BadRequest(String),

    /// A command that needs the open diary came while it was locked.
    #[error("the diary is locked; open it with your passphrase first")]
    Locked,

    /// The blocking task running the command was cancelled or panicked.
    #[error("the app stopped this task before it finished; please try again")]
    Interrupted,
}

impl IpcError {
    pub fn code(&self) -> &'static str {
        match self {
            IpcError::Diary(e) => e.code(),
            IpcError::Sync(f) => f.code(),
            IpcError::BadRequest(_) => "bad_request",
            IpcError::Locked => "locked",
            IpcError::Interrupted => "interrupted",
        }
    }

    /// The input field at fault: a validation error's own, or the enrolment form's field a
    /// refusal is about (`server` for an address the client will not use, `code` for a code
    /// the server did not accept).
    pub fn field(&self) -> Option<&str> {
        match self {
            IpcError::Diary(e) => e.field(),
            IpcError::Sync(SyncFailure::BadServerUrl(_)) => Some("server"),
            IpcError::Sync(SyncFailure::CodeRefused(_)) => Some("code"),
            _ => None,
        }
    }

    /// Arguments that serde could not read into the diary's input type.
    pub fn bad_request(error: serde_json::Error) -> Self {
        IpcError::BadRequest(error.to_string())
    }
}

/// The diary's own errors keep their code, field and rule; a locked diary is the app's one
/// `locked`.
impl From<SyncFailure> for IpcError {
    fn from(failure: SyncFailure) -> Self {
        match failure {
            SyncFailure::Diary(e) => IpcError::Diary(e),
            SyncFailure::Locked => IpcError::Locked,
            failure => IpcError::Sync(failure),
        }
    }
}

/// The shape on the wire: `{ code, message, field?, rule?, min?, max? }`. `rule` and its
/// limits let the UI say what went wrong in the caregiver's language; `message` is English.
#[derive(Serialize)]
struct Wire<'a> {
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    rule: Option<Rule>,
}

impl Serialize for IpcError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rule = match self {
            IpcError::Diary(e) => e.rule(),
            _ => None,
        };
        Wire { code: self.code(), message: self.to_string(), field: self.field(), rule }.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_field_error_names_its_field() {
        let rule = Rule::OutOfRange { min: 1, max: 5 };
        let error =
            IpcError::from(DiaryError::from(convivio_core::Invalid::new("mood", rule, "must be 1 to 5")));
        assert_eq!(
            serde_json::to_value(&error).expect("serializes"),
            json!({ "code": "invalid", "message": "mood: must be 1 to 5", "field": "mood",
                    "rule": "out_of_range", "min": 1, "max": 5 })
        );
    }

    #[test]
    fn a_refused_enrolment_code_names_the_code_field_and_keeps_its_code() {
        let error = IpcError::from(SyncFailure::CodeRefused("unknown or expired code".into()));
        let wire = serde_json::to_value(&error).expect("serializes");
        assert_eq!((&wire["code"], &wire["field"]), (&json!("code_refused"), &json!("code")));
        assert!(wire["message"].as_str().is_some_and(|m| m.contains("ask the agency")), "{wire}");
    }

    #[test]
    fn a_revoked_device_has_its_own_code_and_no_field() {
        let wire = serde_json::to_value(IpcError::from(SyncFailure::Revoked)).expect("serializes");
        assert_eq!(wire["code"], "revoked");
        assert!(wire.get("field").is_none(), "{wire}");
    }

    #[test]
    fn a_sync_that_found_the_diary_locked_is_the_apps_one_locked_error() {
        assert_eq!(IpcError::from(SyncFailure::Locked).code(), "locked");
        assert_eq!(IpcError::from(SyncFailure::Diary(DiaryError::NotEnrolled)).code(), "not_enrolled");
    }

    #[test]
    fn an_error_without_a_field_has_no_field_key() {
        assert_eq!(
            serde_json::to_value(IpcError::Locked).expect("serializes"),
            json!({ "code": "locked", "message": "the diary is locked; open it with your passphrase first" })
        );
    }
}
