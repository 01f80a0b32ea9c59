//! How the dashboard refuses: a status and a plain HTML page a person can read, never the
//! device API's JSON. Server faults stay opaque; their detail goes to the log.
//!
//! The pages are fixed text (no request data goes into them, so nothing needs escaping); the
//! askama templates of the dashboard replace them when its first pages arrive.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::StoreError;

#[derive(Debug)]
pub enum StaffError {
    /// No such page.
    NotFound,
    /// Storage failed.
    Store(StoreError),
}

impl From<StoreError> for StaffError {
    fn from(e: StoreError) -> Self {
        StaffError::Store(e)
    }
}

impl IntoResponse for StaffError {
    fn into_response(self) -> Response {
        let (status, title, words) = match self {
            StaffError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                "There is no such page. Go back to the review queue.",
            ),
            StaffError::Store(e) => {
                tracing::error!(error = %e, "storage failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "The server could not do this. Try again in a few minutes.",
                )
            }
        };
        let page = format!(
            "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title} - Convivio</title></head>\n<body><main><h1>{title}</h1><p>{words}</p>\
             <p><a href=\"/staff\">Review queue</a></p></main></body>\n</html>\n"
        );
        let mut response = (status, page).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_storage_failure_is_an_opaque_html_page() {
        let response = StaffError::Store(StoreError::Database("secret detail".into())).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "text/html; charset=utf-8");
        let body = axum::body::to_bytes(response.into_body(), 64 * 1024).await.unwrap();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert!(body.contains("<h1>Something went wrong</h1>") && !body.contains("secret"), "{body}");
    }
}
