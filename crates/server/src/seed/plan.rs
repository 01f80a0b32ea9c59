//! One caregiver's share of the population, as the store will receive it: what each of their
//! devices pushes (in the order it wrote it), when each device enrolled, last synced or was
//! revoked, and what staff wrote back. [`Builder`] makes the records with the right owners,
//! ids and versions; nothing here touches the store.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use convivio_core::consent::Consent;
use convivio_core::entry::{Entry, EntryBody, EntryDraft};
use convivio_core::message::Message;
use convivio_core::need::NeedStatus;
use convivio_core::need_status::NeedStatusChange;
use convivio_core::profile::{Profile, ProfileFields};
use convivio_core::text::{LongText, ShortText};
use convivio_core::{Invalid, NodeId, Owner, Record, RecordId, Sharing};
use rand::Rng;
use rand::rngs::StdRng;

use super::catalogue::Catalogue;
use super::clock::{record_id, version};
use crate::storage::Caregiver;

/// The consent text every consenting caregiver agreed to.
pub(crate) const CONSENT_TEXT: &str = "2025-1";

/// Who writes a record, and on which clock.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Author {
    pub owner: Owner,
    pub node: NodeId,
}

/// What every caregiver's plan shares: the time of seeding, the staff member who answers, and
/// the catalogue.
#[derive(Debug)]
pub(crate) struct World {
    pub now: DateTime<Utc>,
    pub staff: Author,
    pub catalogue: Catalogue,
}

#[derive(Debug, Clone)]
pub(crate) struct DevicePlan {
    pub node: NodeId,
    pub enrolled_at: DateTime<Utc>,
    /// `None`: enrolled, never synced (then it pushed nothing).
    pub last_sync_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// What it pushes, oldest version first.
    pub records: Vec<Record>,
}

impl DevicePlan {
    /// Whether this device could have written something at `at` and synced it since.
    pub(crate) fn covers(&self, at: DateTime<Utc>) -> bool {
        self.enrolled_at < at && self.last_sync_at.is_some_and(|s| at < s)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct CaregiverPlan {
    pub caregiver: Caregiver,
    pub devices: Vec<DevicePlan>,
    /// Staff messages and need status changes, oldest first.
    pub staff_records: Vec<Record>,
}

/// Makes one caregiver's records.
#[derive(Debug)]
pub(crate) struct Builder<'w> {
    pub world: &'w World,
    first_name: &'static str,
    plan: CaregiverPlan,
}

pub(crate) fn long(field: &str, text: &str) -> Result<LongText, Invalid> {
    LongText::parse(field, text)
}

impl<'w> Builder<'w> {
    pub(crate) fn new(world: &'w World, caregiver: Caregiver, first_name: &'static str) -> Self {
        Builder {
            world,
            first_name,
            plan: CaregiverPlan { caregiver, devices: Vec::new(), staff_records: Vec::new() },
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.world.now
    }

    fn owner(&self) -> Owner {
        Owner::caregiver(self.plan.caregiver.id)
    }

    /// A new device of this caregiver; returns its index.
    pub(crate) fn device(
        &mut self,
        rng: &mut StdRng,
        enrolled_at: DateTime<Utc>,
        last_sync_at: Option<DateTime<Utc>>,
        revoked_at: Option<DateTime<Utc>>,
    ) -> usize {
        let node = NodeId(rng.random());
        self.plan.devices.push(DevicePlan {
            node,
            enrolled_at,
            last_sync_at,
            revoked_at,
            records: Vec::new(),
        });
        self.plan.devices.len() - 1
    }

    /// Staff revoked `device` at `at`.
    pub(crate) fn revoke(&mut self, device: usize, at: DateTime<Utc>) {
        self.plan.devices[device].revoked_at = Some(at);
    }

    pub(crate) fn devices(&self) -> &[DevicePlan] {
        &self.plan.devices
    }

    fn push(&mut self, device: usize, record: Record) {
        self.plan.devices[device].records.push(record);
    }

    fn device_author(&self, device: usize) -> Author {
        Author { owner: self.owner(), node: self.plan.devices[device].node }
    }

    /// An entry written on `device` at `recorded_at`.
    pub(crate) fn entry(
        &mut self,
        rng: &mut StdRng,
        device: usize,
        recorded_at: DateTime<Utc>,
        occurred_at: DateTime<FixedOffset>,
        sharing: Sharing,
        body: EntryBody,
    ) -> RecordId {
        let author = self.device_author(device);
        let id = record_id(rng, recorded_at);
        let draft = EntryDraft { occurred_at, sharing, body };
        self.push(
            device,
            Record::Entry(Entry::create(
                id,
                version(recorded_at, author.node),
                author.owner,
                recorded_at,
                draft,
            )),
        );
        id
    }

    /// The caregiver's message under `entry`, sent from `device`.
    pub(crate) fn reply(
        &mut self,
        rng: &mut StdRng,
        device: usize,
        entry: RecordId,
        at: DateTime<Utc>,
        text: &str,
    ) -> Result<RecordId, Invalid> {
        let record = message(rng, self.device_author(device), entry, at, text)?;
        let id = record.id();
        self.push(device, record);
        Ok(id)
    }

    /// A staff message under `entry`; `{name}` in `text` becomes the caregiver's first name.
    pub(crate) fn staff_message(
        &mut self,
        rng: &mut StdRng,
        entry: RecordId,
        at: DateTime<Utc>,
        text: &str,
    ) -> Result<RecordId, Invalid> {
        let text = text.replace("{name}", self.first_name);
        let record = message(rng, self.world.staff, entry, at, &text)?;
        let id = record.id();
        self.plan.staff_records.push(record);
        Ok(id)
    }

    /// Staff moving the need `entry` to `status` at `at`.
    pub(crate) fn status(
        &mut self,
        rng: &mut StdRng,
        entry: RecordId,
        at: DateTime<Utc>,
        status: NeedStatus,
        reason: Option<&str>,
    ) -> Result<RecordId, Invalid> {
        let staff = self.world.staff;
        let change = NeedStatusChange {
            id: record_id(rng, at),
            version: version(at, staff.node),
            owner: staff.owner,
            entry_id: entry,
            status,
            reason: reason.map(|r| long("reason", r)).transpose()?,
            changed_at: at,
        };
        change.validate()?;
        let id = change.id;
        self.plan.staff_records.push(Record::NeedStatusChange(change));
        Ok(id)
    }

    /// The caregiver's profile, filled in on `device` at `at`.
    pub(crate) fn profile(
        &mut self,
        rng: &mut StdRng,
        device: usize,
        at: DateTime<Utc>,
        fields: ProfileFields,
    ) {
        let author = self.device_author(device);
        let profile = Profile {
            id: record_id(rng, at),
            version: version(at, author.node),
            owner: author.owner,
            fields,
        };
        self.push(device, Record::Profile(profile));
    }

    /// Research consent given on `device` at `given_at`, and perhaps revoked later (a new
    /// version of the same record, from the device that was in use then).
    pub(crate) fn consent(
        &mut self,
        rng: &mut StdRng,
        device: usize,
        given_at: DateTime<Utc>,
        revoked: Option<(usize, DateTime<Utc>)>,
    ) -> Result<(), Invalid> {
        let author = self.device_author(device);
        let consent = Consent {
            id: record_id(rng, given_at),
            version: version(given_at, author.node),
            owner: author.owner,
            text_version: ShortText::parse("text_version", CONSENT_TEXT)?,
            given_at,
            revoked_at: None,
        };
        if let Some((later, at)) = revoked {
            let node = self.plan.devices[later].node;
            let revocation = Consent { version: version(at, node), revoked_at: Some(at), ..consent.clone() };
            self.push(later, Record::Consent(revocation));
        }
        self.push(device, Record::Consent(consent));
        Ok(())
    }

    /// The plan, each device's records and the staff's in the order they were written.
    pub(crate) fn finish(mut self) -> CaregiverPlan {
        for device in &mut self.plan.devices {
            device.records.sort_by_key(Record::version);
        }
        self.plan.staff_records.sort_by_key(Record::version);
        self.plan
    }
}

fn message(
    rng: &mut StdRng,
    author: Author,
    entry: RecordId,
    at: DateTime<Utc>,
    text: &str,
) -> Result<Record, Invalid> {
    Ok(Record::Message(Message {
        id: record_id(rng, at),
        version: version(at, author.node),
        owner: author.owner,
        entry_id: entry,
        body: long("body", text)?,
        sent_at: at,
    }))
}

/// `at`, but no later than a minute before `now`: nothing seeded is dated in the future.
pub(crate) fn past(at: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    at.min(now - Duration::minutes(1))
}
