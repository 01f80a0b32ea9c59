//! Form bodies for the dashboard's POST handlers: repeated fields allowed (bulk actions), and a
//! form that does not parse is the dashboard's own 400 page naming the problem, not a bare
//! framework message. (The CSRF token was checked before any handler runs: `session::guard`.)

use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use super::StaffError;
use super::session::Visit;

/// The parsed form.
#[derive(Debug)]
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = StaffError;

    async fn from_request(request: Request, state: &S) -> Result<Form<T>, StaffError> {
        let lang = request.extensions().get::<Visit>().map_or(super::i18n::UiLang::It, |v| v.lang);
        match axum_extra::extract::Form::<T>::from_request(request, state).await {
            Ok(axum_extra::extract::Form(value)) => Ok(Form(value)),
            Err(e) => Err(StaffError::BadForm(lang, e.body_text())),
        }
    }
}
