//! `convivio-server admin seed`: a synthetic, reproducible population for an agency, for
//! demos and for trying the staff dashboard at the size of a real agency.
//!
//! The key decision: everything goes in through the [`Store`] calls real traffic makes (a
//! device enrolls by redeeming a code, pushes its records in sync batches, staff answer through
//! `put_agency_records`, a sync is noted with `touch_device`), so the seeded database is one the
//! server could have made, every record passed the checks sync applies, and the dashboard is
//! benchmarked on what it will really read.
//!
//! Reproducible: the same `--seed` and agency name give the same content, record ids and
//! versions included (ids are UUIDv7s from each record's time and the seeded generator), for the
//! same "now". Ids the store makes (agency, caregivers, devices, staff) stay random. Dates are
//! counted back from "now": entries over the last six months, nothing in the future.
//!
//! Besides `--caregivers` random caregivers, the seed always plants the early-warning cases
//! (`cases`): a few caregivers of their own per rule, some that fire and some near misses, and
//! keeps the random part from firing those rules by accident (see `guard`, `needs`,
//! `entries`). The report lists each case with its records.
//!
//! Seeding an agency a second time is refused: its cases would be planted twice and a test
//! could no longer tell which are meant. Seed another agency, or a fresh database.

mod cases;
mod catalogue;
mod clock;
mod diary;
mod entries;
mod guard;
mod needs;
mod people;
mod pick;
mod plan;
mod report;
mod words;
mod write;

pub use report::{Case, Counts, SeedReport, WarningRule};

use chrono::{DateTime, Utc};
use convivio_core::{Invalid, NodeId, Owner, Rule};
use rand::distr::Alphanumeric;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sha2::{Digest, Sha256};
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::admin;
use crate::error::{StoreError, StoreResult};
use crate::storage::{StaffRole, Store};
use catalogue::Catalogue;
use entries::ServiceFactors;
use plan::{Author, World};

/// The staff member who writes the agency's side of a seeded population: `seed.operatrice.`
/// and the agency's name folded to a username (usernames are unique on the whole server).
pub fn staff_username(agency: &str) -> String {
    let slug: String = agency
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_lowercase() || c.is_ascii_digit() { c } else { '-' })
        .collect();
    let slug = slug.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    format!("seed.operatrice.{slug}").chars().take(64).collect()
}

/// How caregivers see the seeded staff member's name (read receipts, replies).
pub const STAFF_DISPLAY_NAME: &str = "Giulia Bianchi";
pub const MAX_CAREGIVERS: u32 = 100_000;
pub const MAX_ENTRIES_PER_CAREGIVER: u32 = 10_000;
/// Caregivers written at once: the store's pool works on several while the next is planned.
const PARALLEL: usize = 4;

/// What to seed.
#[derive(Debug, Clone)]
pub struct SeedOptions {
    /// The agency, made if it does not exist.
    pub agency: String,
    /// Random caregivers, besides the warning cases' own.
    pub caregivers: u32,
    pub entries_per_caregiver: u32,
    pub seed: u64,
}

/// How far seeding has got: caregivers of the random population written so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

impl SeedOptions {
    fn check(&self) -> Result<(), Invalid> {
        let range = |field: &str, value: u32, max: u32| {
            if value > max {
                Err(Invalid::new(
                    field,
                    Rule::OutOfRange { min: 0, max: i64::from(max) },
                    format!("must be from 0 to {max} (got {value})"),
                ))
            } else {
                Ok(())
            }
        };
        range("caregivers", self.caregivers, MAX_CAREGIVERS)?;
        range("entries_per_caregiver", self.entries_per_caregiver, MAX_ENTRIES_PER_CAREGIVER)
    }
}

/// The generator for `seed` and `agency`: the agency's name is mixed in so two agencies seeded
/// with one seed in one database do not make the same record ids.
fn generator(seed: u64, agency: &str) -> StdRng {
    let mut hash = Sha256::new();
    hash.update(b"convivio seed 1\0");
    hash.update(seed.to_le_bytes());
    hash.update(agency.as_bytes());
    StdRng::from_seed(hash.finalize().into())
}

/// Seeds `options.agency` as of `now`, calling `progress` at every tenth of the random
/// population written.
pub async fn seed<S: Store>(
    store: &S,
    options: &SeedOptions,
    now: DateTime<Utc>,
    mut progress: impl FnMut(Progress),
) -> StoreResult<SeedReport> {
    options.check()?;
    let agency = match store.agency_by_name(options.agency.trim()).await? {
        Some(agency) => agency,
        None => admin::create_agency(store, &options.agency).await?,
    };
    // A password nobody is told: the account only signs what the seed writes.
    let password: String = rand::rng().sample_iter(&Alphanumeric).take(32).map(char::from).collect();
    let username = staff_username(&agency.name);
    let staff = match admin::create_staff(store, &agency.name, &username, StaffRole::Staff, &password).await {
        Err(StoreError::Conflict(_)) => {
            return Err(StoreError::Conflict(format!(
                "a seeded population in agency '{}' (its staff member {username})",
                agency.name
            )));
        }
        other => other?,
    };
    let named = crate::storage::dashboard::accounts::Change {
        display_name: Some(STAFF_DISPLAY_NAME.to_owned()),
        ..Default::default()
    };
    crate::storage::dashboard::accounts::update(store, agency.id, staff.id, &named, now).await?;

    let mut master = generator(options.seed, &agency.name);
    let staff = Author { owner: Owner::staff(staff.id), node: NodeId(master.random()) };
    let agency_node = NodeId(master.random());
    let catalogue = Catalogue::make(&mut StdRng::from_rng(&mut master), agency.id, agency_node, now)?;
    write::agency_records(store, agency.id, None, &catalogue.records, now).await?;
    let world = World { now, staff, catalogue };
    let mut counts = Counts { catalogue_items: world.catalogue.len() as u64, ..Counts::default() };

    let mut case_rng = StdRng::from_rng(&mut master);
    let mut planted = Vec::new();
    for spec in cases::all() {
        let mut cast = Vec::with_capacity(spec.caregivers);
        for _ in 0..spec.caregivers {
            let person = people::person(&mut case_rng);
            cast.push((store.create_caregiver(agency.id, &person.display_name).await?, person));
        }
        let mut this = spec.plant(&mut case_rng, &world, &cast)?;
        for (i, plan) in this.plans.iter().enumerate() {
            counts.add(plan);
            let devices = write::caregiver(store, agency.id, plan, now).await?;
            if let Some((p, d)) = this.device
                && p == i
            {
                this.case.device_id = devices.get(d).copied();
            }
        }
        counts.case_caregivers += spec.caregivers as u64;
        planted.push(this.case);
    }

    let mut per_service = ServiceFactors::default();
    for pair in cases::reserved(&world) {
        per_service.reserve(pair);
    }
    let mut population = StdRng::from_rng(&mut master);
    let total = u64::from(options.caregivers);
    let mut writing: JoinSet<StoreResult<Vec<Uuid>>> = JoinSet::new();
    let (mut done, mut told) = (0u64, 0u64);
    let mut finished = |done: u64| {
        let tenth = (done * 10).checked_div(total).unwrap_or(10);
        if tenth > told {
            told = tenth;
            progress(Progress { done, total });
        }
    };
    for _ in 0..total {
        let mut rng = StdRng::from_rng(&mut population);
        let person = people::person(&mut rng);
        let caregiver = store.create_caregiver(agency.id, &person.display_name).await?;
        let plan = diary::random_caregiver(
            &mut rng,
            &world,
            &mut per_service,
            caregiver,
            &person,
            options.entries_per_caregiver,
        )?;
        counts.add(&plan);
        while writing.len() >= PARALLEL {
            joined(writing.join_next().await)?;
            done += 1;
            finished(done);
        }
        let (store, agency_id) = (store.clone(), agency.id);
        writing.spawn(async move { write::caregiver(&store, agency_id, &plan, now).await });
    }
    while let Some(result) = writing.join_next().await {
        joined(Some(result))?;
        done += 1;
        finished(done);
    }

    // A bulk load: fresh planner statistics now, as PostgreSQL's autovacuum or SQLite's next
    // start would make them later, so the dashboard is fast from the first page.
    store.transaction(vec![store.sql("ANALYZE")]).await?;

    Ok(SeedReport {
        agency_id: agency.id,
        agency_name: agency.name,
        staff_username: username,
        seed: options.seed,
        seeded_at: now,
        counts,
        cases: planted,
    })
}

/// The outcome of one finished writer task.
fn joined(result: Option<Result<StoreResult<Vec<Uuid>>, tokio::task::JoinError>>) -> StoreResult<()> {
    match result {
        Some(Ok(written)) => written.map(|_| ()),
        Some(Err(e)) => Err(StoreError::Database(format!("a seeding task failed: {e}"))),
        None => Ok(()),
    }
}
