//! The dashboard's stylesheet and script, embedded in the binary (nothing is loaded from
//! another host; the CSP allows only these).

use axum::http::header;
use axum::response::IntoResponse;

const CSS: &str = include_str!("../../assets/staff.css");
const JS: &str = include_str!("../../assets/staff.js");

pub async fn css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS)
}

pub async fn js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], JS)
}
