//! The dashboard's early warnings on a seeded population: each planted case that should fire
//! does, each near miss stays quiet, the random population raises nothing, and an
//! acknowledgement hides a warning until newer evidence.

use std::collections::BTreeSet;

use chrono::Utc;
use convivio_server::seed::{Case, WarningRule};
use convivio_server::storage::Store;
use convivio_server::storage::dashboard::settings::Settings;
use convivio_server::storage::dashboard::warnings::{self, Rule, Warning};
use uuid::Uuid;

use super::seeded;

pub async fn the_dashboards_warnings_fire_for_exactly_the_planted_cases<S: Store>(store: S) {
    let report = seeded(&store, 12, 25, Utc::now()).await;
    let at = report.seeded_at;
    let found = warnings::current(&store, report.agency_id, &Settings::default(), at).await.unwrap();
    let matches = |w: &Warning, case: &Case| {
        w.rule == case.rule
            && match (case.device_id, case.service_id) {
                (Some(device), _) if case.rule == WarningRule::SilentDevice => {
                    w.subject == format!("device:{device}")
                }
                (_, Some(_)) => {
                    w.caregiver_id.is_none()
                        && w.entries.iter().all(|e| case.entry_ids.contains(e) || case.record_ids.contains(e))
                }
                _ => w.caregiver_id == Some(case.caregiver_id),
            }
    };
    for case in &report.cases {
        let hits: Vec<&Warning> = found.iter().filter(|w| matches(w, case)).collect();
        if case.fires {
            assert!(!hits.is_empty(), "{:?} should fire: {} (found {found:#?})", case.rule, case.what);
        } else {
            assert!(hits.is_empty(), "{:?} near miss fired: {}: {hits:#?}", case.rule, case.what);
        }
    }
    let case_caregivers: BTreeSet<Uuid> = report
        .cases
        .iter()
        .flat_map(|c| std::iter::once(c.caregiver_id).chain(c.other_caregiver_ids.iter().copied()))
        .collect();
    let stray: Vec<&Warning> =
        found.iter().filter(|w| w.caregiver_id.is_some_and(|c| !case_caregivers.contains(&c))).collect();
    assert!(stray.is_empty(), "the random population raises nothing: {stray:#?}");

    // Acknowledged, it is gone; the same evidence does not bring it back.
    let first = found.iter().find(|w| w.rule == Rule::FallingTrust).unwrap().clone();
    let (agency, staff) = (report.agency_id, Uuid::now_v7());
    let member = store
        .create_staff(
            agency,
            &format!("ack{staff}"),
            "$argon2id$x",
            convivio_server::storage::StaffRole::Staff,
        )
        .await
        .unwrap();
    let line = convivio_server::storage::dashboard::audit::Line::new(
        Some(agency),
        Some(member.id),
        "ack",
        convivio_server::storage::dashboard::audit::Action::WarningAcknowledged,
    );
    let audit = convivio_server::storage::dashboard::audit::insert(&store, &line, at);
    warnings::acknowledge(
        &store,
        agency,
        member.id,
        &first,
        "Chiamata la signora, ne parliamo giovedì",
        at,
        audit,
    )
    .await
    .unwrap();
    let after = warnings::current(&store, agency, &Settings::default(), at).await.unwrap();
    assert!(!after.contains(&first), "acknowledged");
    assert_eq!(after.len(), found.len() - 1, "only that one");
}
