//! The one error every command returns. It crosses the bridge as `{ code, message, field? }`:
//! the UI branches on the stable `code`, shows `message` as is, and marks the input `field`.

use convivio_core::Rule;
use convivio_diary::DiaryError;
use serde::{Serialize, Serializer};

#[derive(Debug, thiserror::Error)]
pub enum IpcError {
    /// Anything the diary refused or failed at: its code, field and message pass through.
    #[error(transparent)]
    Diary(#[from] DiaryError),

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
            IpcError::BadRequest(_) => "bad_request",
            IpcError::Locked => "locked",
            IpcError::Interrupted => "interrupted",
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            IpcError::Diary(e) => e.field(),
            _ => None,
        }
    }

    /// Arguments that serde could not read into the diary's input type.
    pub fn bad_request(error: serde_json::Error) -> Self {
        IpcError::BadRequest(error.to_string())
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
    fn an_error_without_a_field_has_no_field_key() {
        assert_eq!(
            serde_json::to_value(IpcError::Locked).expect("serializes"),
            json!({ "code": "locked", "message": "the diary is locked; open it with your passphrase first" })
        );
    }
}
