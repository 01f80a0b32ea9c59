//! The service catalogue, for admins (`/staff/catalogue`): the services caregivers pick from
//! when they record an experience or rate trust. Add a service, rename it or change its
//! description, withdraw it (it stays, so older entries keep its name, but devices stop offering
//! it) or offer it again. Every change is a new version of the item, pulled by every device of
//! the agency at its next sync.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use convivio_core::catalogue::CatalogueItem;
use convivio_core::text::{LongText, ShortText};
use convivio_core::{Owner, RecordId};
use serde::Deserialize;
use uuid::Uuid;

use super::entry::problem;
use super::{Nav, render};
use crate::api::AppState;
use crate::staff::form::Form;
use crate::staff::i18n::Tr;
use crate::staff::session::{Admin, Staff};
use crate::staff::writes::{self, CatalogueEdit, Failed};
use crate::staff::{STAFF, StaffError};
use crate::storage::Store;
use crate::storage::dashboard::catalogue;

#[derive(Debug)]
pub struct Row {
    pub id: RecordId,
    pub name: String,
    pub description: String,
    pub active: bool,
    pub rename_label: String,
    pub description_label: String,
    pub toggle_label: String,
}

#[derive(Template)]
#[template(path = "staff/catalogue.html")]
struct CataloguePage {
    tr: Tr,
    nav: Nav,
    problems: Vec<String>,
    rows: Vec<Row>,
    name: String,
    description: String,
    name_max: usize,
    description_max: usize,
}

async fn view<S: Store>(
    state: &AppState<S>,
    staff: &Staff,
    typed: &ItemForm,
    problems: Vec<String>,
    done: Option<&str>,
) -> Result<CataloguePage, StaffError> {
    let tr = staff.tr();
    let rows = catalogue::list(&state.store, staff.member.agency_id)
        .await?
        .into_iter()
        .map(|item| {
            let name = item.name.as_str().to_owned();
            Row {
                id: item.id,
                rename_label: tr.t1("catalogue-name-of", "name", &name),
                description_label: tr.t1("catalogue-description-of", "name", &name),
                toggle_label: tr.t1(
                    if item.active { "catalogue-withdraw-label" } else { "catalogue-restore-label" },
                    "name",
                    &name,
                ),
                name,
                description: item.description.map(|d| d.as_str().to_owned()).unwrap_or_default(),
                active: item.active,
            }
        })
        .collect();
    Ok(CataloguePage {
        nav: Nav::new(staff, "catalogue", done),
        problems,
        rows,
        name: typed.name.clone(),
        description: typed.description.clone(),
        name_max: ShortText::MAX_CHARS,
        description_max: LongText::MAX_CHARS,
        tr,
    })
}

pub async fn show<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Admin(staff): Admin,
    Query(q): Query<super::entry::Done>,
) -> Result<Response, StaffError> {
    Ok(render(view(&state, &staff, &ItemForm::default(), Vec::new(), q.done.as_deref()).await?))
}

#[derive(Debug, Default, Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
}

/// The name and description typed, checked; the problem names the field.
fn parse(tr: &Tr, form: &ItemForm) -> Result<(ShortText, Option<LongText>), String> {
    let name = ShortText::parse("name", &form.name).map_err(|e| problem(tr, "catalogue-name", &e))?;
    let description = LongText::parse_optional("description", Some(form.description.as_str()))
        .map_err(|e| problem(tr, "catalogue-description", &e))?;
    Ok((name, description))
}

async fn refused<S: Store>(
    state: &AppState<S>,
    staff: &Staff,
    typed: &ItemForm,
    problem: String,
) -> Result<Response, StaffError> {
    let page = view(state, staff, typed, vec![problem], None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)).into_response())
}

/// Whether another item of the catalogue has this name already (case and spacing aside).
async fn name_taken<S: Store>(
    state: &AppState<S>,
    staff: &Staff,
    name: &ShortText,
    except: Option<RecordId>,
) -> Result<bool, StaffError> {
    let folded = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let wanted = folded(name.as_str());
    Ok(catalogue::list(&state.store, staff.member.agency_id)
        .await?
        .iter()
        .any(|i| Some(i.id) != except && folded(i.name.as_str()) == wanted))
}

/// A write of an item already checked here: only storage can fail it.
fn failed(e: Failed) -> StaffError {
    match e {
        Failed::Invalid(_) => StaffError::Internal("a checked catalogue item was refused"),
        Failed::Store(e) => e.into(),
    }
}

pub async fn add<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Admin(staff): Admin,
    Form(form): Form<ItemForm>,
) -> Result<Response, StaffError> {
    let tr = staff.tr();
    let (name, description) = match parse(&tr, &form) {
        Ok(parsed) => parsed,
        Err(problem) => return refused(&state, &staff, &form, problem).await,
    };
    if name_taken(&state, &staff, &name, None).await? {
        return refused(
            &state,
            &staff,
            &form,
            format!("{}: {}", tr.t("catalogue-name"), tr.t("catalogue-taken")),
        )
        .await;
    }
    let now = Utc::now();
    let item = CatalogueItem {
        id: RecordId::new(),
        version: writes::version(&staff.member, now),
        owner: Owner::agency(staff.member.agency_id),
        name,
        description,
        active: true,
    };
    if let Err(e) = writes::catalogue_item(&state.store, &staff.member, item, CatalogueEdit::Added, now).await
    {
        return Err(failed(e));
    }
    Ok(Redirect::to(&format!("{STAFF}/catalogue?done=catalogue-added")).into_response())
}

/// The item `id` of the admin's agency; another agency's is not found.
async fn item_of<S: Store>(
    state: &AppState<S>,
    staff: &Staff,
    id: &str,
) -> Result<CatalogueItem, StaffError> {
    let not_found = || StaffError::NotFound(staff.visit.lang);
    let id = Uuid::parse_str(id).map(RecordId::from_uuid).map_err(|_| not_found())?;
    catalogue::get(&state.store, staff.member.agency_id, id).await?.ok_or_else(not_found)
}

pub async fn rename<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Admin(staff): Admin,
    Path(id): Path<String>,
    Form(form): Form<ItemForm>,
) -> Result<Response, StaffError> {
    let tr = staff.tr();
    let item = item_of(&state, &staff, &id).await?;
    let (name, description) = match parse(&tr, &form) {
        Ok(parsed) => parsed,
        Err(problem) => return refused(&state, &staff, &ItemForm::default(), problem).await,
    };
    if name_taken(&state, &staff, &name, Some(item.id)).await? {
        let problem = format!("{}: {}", tr.t("catalogue-name"), tr.t("catalogue-taken"));
        return refused(&state, &staff, &ItemForm::default(), problem).await;
    }
    let now = Utc::now();
    let next = CatalogueItem {
        version: writes::version_after(&staff.member, now, item.version),
        name,
        description,
        ..item
    };
    if let Err(e) =
        writes::catalogue_item(&state.store, &staff.member, next, CatalogueEdit::Renamed, now).await
    {
        return Err(failed(e));
    }
    Ok(Redirect::to(&format!("{STAFF}/catalogue?done=catalogue-saved")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct OfferForm {
    /// `withdraw` or `restore`.
    #[serde(default)]
    offer: String,
}

pub async fn offer<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Admin(staff): Admin,
    Path(id): Path<String>,
    Form(form): Form<OfferForm>,
) -> Result<Response, StaffError> {
    let tr = staff.tr();
    let item = item_of(&state, &staff, &id).await?;
    let (active, edit, done) = match form.offer.as_str() {
        "withdraw" => (false, CatalogueEdit::Withdrawn, "catalogue-withdrawn"),
        "restore" => (true, CatalogueEdit::Restored, "catalogue-restored"),
        _ => {
            let problem = format!("{}: {}", tr.t("catalogue-offer"), tr.t("rule-choose"));
            return refused(&state, &staff, &ItemForm::default(), problem).await;
        }
    };
    if item.active != active {
        let now = Utc::now();
        let next = CatalogueItem {
            version: writes::version_after(&staff.member, now, item.version),
            active,
            ..item
        };
        if let Err(e) = writes::catalogue_item(&state.store, &staff.member, next, edit, now).await {
            return Err(failed(e));
        }
    }
    Ok(Redirect::to(&format!("{STAFF}/catalogue?done={done}")).into_response())
}
