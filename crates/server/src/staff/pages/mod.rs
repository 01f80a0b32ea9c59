//! The dashboard's pages, one module per page or form family. Each handler takes the member
//! (`Staff` or `Admin`), reads through `storage::dashboard`, and renders an askama template.

pub mod account;
pub mod audit;
pub mod caregivers;
pub mod catalogue;
pub mod entry;
pub mod overview;
pub mod queue;
pub mod settings;
pub mod sign_in;
pub mod team;
pub mod warnings;

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use super::StaffError;
use super::session::Staff;

/// What the page frame shows: the member, their sections, the sign-out form's token and a
/// notice from the action that led here.
#[derive(Debug, Clone)]
pub struct Nav {
    pub name: String,
    pub links: Vec<Link>,
    /// The member's own account page is the one shown.
    pub account: bool,
    pub csrf: String,
    pub done: Option<String>,
}

/// One choice of a `<select>`: its value, its label, whether it is the one chosen.
#[derive(Debug)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The choices of a `<select>` of coded values, `chosen` the one selected.
pub fn choices<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> String,
    chosen: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice { value: code(*v).to_owned(), label: label(*v), selected: code(*v) == chosen })
        .collect()
}

/// A section in the navigation.
#[derive(Debug, Clone)]
pub struct Link {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// The dashboard's sections: name, path, label key, for admins only. A section is shown only
/// when its page is one of [`super::ROUTES`], so the navigation never leads to a missing page.
const SECTIONS: &[(&str, &str, &str, bool)] = &[
    ("queue", "/", "nav-queue", false),
    ("caregivers", "/caregivers", "nav-caregivers", false),
    ("warnings", "/warnings", "nav-warnings", false),
    ("overview", "/overview", "nav-overview", false),
    ("catalogue", "/catalogue", "nav-catalogue", true),
    ("staff", "/team", "nav-staff", true),
    ("settings", "/settings", "nav-settings", true),
    ("audit", "/audit", "nav-audit", true),
];

impl Nav {
    pub fn new(staff: &Staff, section: &'static str, done: Option<&str>) -> Nav {
        let tr = staff.tr();
        let links = SECTIONS
            .iter()
            .filter(|(_, path, _, admin)| {
                (!admin || staff.is_admin())
                    && super::ROUTES.iter().any(|r| r.method == "GET" && r.path == *path)
            })
            .map(|(name, path, key, _)| Link {
                href: format!("{}{}", super::STAFF, if *path == "/" { "" } else { path }),
                label: tr.t(key),
                current: *name == section,
            })
            .collect();
        Nav {
            name: staff.member.display_name.clone(),
            links,
            account: section == "account",
            csrf: staff.visit.csrf().to_owned(),
            // Only notices this dashboard writes: a key of ours, shown in the member's language.
            done: done.filter(|k| NOTICES.contains(k)).map(|k| tr.t(k)),
        }
    }
}

/// The notices an action may leave for the page it redirects to (`?done=KEY`).
const NOTICES: &[&str] = &[
    "entry-reply-sent",
    "entry-status-saved",
    "entry-due-saved",
    "signed-out",
    "account-saved",
    "account-password-changed",
    "team-created",
    "team-saved",
    "team-disabled",
    "team-enabled",
    "team-password-reset",
    "catalogue-added",
    "catalogue-saved",
    "catalogue-withdrawn",
    "catalogue-restored",
    "settings-saved",
    "warning-acked",
    "device-revoked-done",
    "code-revoked-done",
];

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
