//! The dashboard's pages, one module per page or form family. Each handler takes the member
//! (`Staff` or `Admin`), reads through `storage::dashboard`, and renders an askama template.

pub mod entry;
pub mod queue;
pub mod sign_in;

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use super::StaffError;
use super::session::Staff;

/// What the page frame shows: the member, their sections, the sign-out form's token and a
/// notice from the action that led here.
#[derive(Debug, Clone)]
pub struct Nav {
    pub name: String,
    pub admin: bool,
    pub section: &'static str,
    pub csrf: String,
    pub done: Option<String>,
}

impl Nav {
    pub fn new(staff: &Staff, section: &'static str, done: Option<&str>) -> Nav {
        let tr = staff.tr();
        Nav {
            name: staff.member.display_name.clone(),
            admin: staff.is_admin(),
            section,
            csrf: staff.visit.csrf().to_owned(),
            // Only notices this dashboard writes: a key of ours, shown in the member's language.
            done: done.filter(|k| NOTICES.contains(k)).map(|k| tr.t(k)),
        }
    }
}

/// The notices an action may leave for the page it redirects to (`?done=KEY`).
const NOTICES: &[&str] = &["entry-reply-sent", "entry-status-saved", "entry-due-saved", "signed-out"];

/// Renders a page, or the opaque error page if the template fails.
pub fn render(page: impl Template) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a page did not render");
            StaffError::Internal("a template failed").into_response()
        }
    }
}
