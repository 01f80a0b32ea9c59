//! How the dashboard refuses: a status and an HTML page in the member's language, never the
//! device API's JSON. Server faults stay opaque; their detail goes to the log.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::i18n::{Tr, UiLang};
use crate::error::StoreError;

#[derive(Debug)]
pub enum StaffError {
    /// No such page, or a record of another agency (the same answer for both).
    NotFound(UiLang),
    /// The member's role does not allow the page.
    Forbidden(UiLang),
    /// A POST without the session's CSRF token: nothing was done.
    Csrf(UiLang),
    /// A form larger than any dashboard form.
    TooLarge,
    /// A form that does not parse (a field missing or of the wrong shape), with what was wrong.
    BadForm(UiLang, String),
    /// Storage failed.
    Store(StoreError),
    /// A bug: the named assumption did not hold.
    Internal(&'static str),
}

impl From<StoreError> for StaffError {
    fn from(e: StoreError) -> Self {
        StaffError::Store(e)
    }
}

#[derive(Template)]
#[template(path = "staff/error.html")]
struct ErrorPage {
    tr: Tr,
    title: String,
    words: String,
}

impl IntoResponse for StaffError {
    fn into_response(self) -> Response {
        if let StaffError::BadForm(lang, problem) = self {
            let tr = Tr::new(lang);
            let page = ErrorPage { tr, title: tr.t("error-invalid-title"), words: problem };
            return match page.render() {
                Ok(html) => (StatusCode::BAD_REQUEST, Html(html)).into_response(),
                Err(_) => StatusCode::BAD_REQUEST.into_response(),
            };
        }
        let (status, lang, title, words) = match self {
            StaffError::NotFound(lang) => {
                (StatusCode::NOT_FOUND, lang, "error-not-found-title", "error-not-found")
            }
            StaffError::Forbidden(lang) => {
                (StatusCode::FORBIDDEN, lang, "error-forbidden-title", "error-forbidden")
            }
            StaffError::Csrf(lang) => (StatusCode::FORBIDDEN, lang, "error-forbidden-title", "error-csrf"),
            StaffError::TooLarge => {
                (StatusCode::PAYLOAD_TOO_LARGE, UiLang::It, "error-invalid-title", "error-server")
            }
            StaffError::Store(e) => {
                tracing::error!(error = %e, "storage failed");
                (StatusCode::INTERNAL_SERVER_ERROR, UiLang::It, "error-server-title", "error-server")
            }
            StaffError::BadForm(..) => unreachable!("answered above"),
            StaffError::Internal(what) => {
                tracing::error!(what, "dashboard bug");
                (StatusCode::INTERNAL_SERVER_ERROR, UiLang::It, "error-server-title", "error-server")
            }
        };
        let tr = Tr::new(lang);
        let page = ErrorPage { tr, title: tr.t(title), words: tr.t(words) };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "the error page did not render");
                status.into_response()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header;

    #[tokio::test]
    async fn a_storage_failure_is_an_opaque_html_page() {
        let response = StaffError::Store(StoreError::Database("secret detail".into())).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "text/html; charset=utf-8");
        let body = axum::body::to_bytes(response.into_body(), 64 * 1024).await.unwrap();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert!(body.contains("<h1>Qualcosa è andato storto</h1>") && !body.contains("secret"), "{body}");
    }
}
