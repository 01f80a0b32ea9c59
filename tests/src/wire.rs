//! Measuring sync on the wire: a device pushing through a [`Link`] straight to the server (no
//! fault proxy: its header rewrite would change the counts). Shared by the wire-size test,
//! which holds the byte targets in CI, and the sync benchmark, which prints the figures.

use std::time::{Duration, Instant};

use convivio_core::entry::Entry;
use convivio_core::{Hlc, NodeId, Owner, Record, RecordId, Role};
use convivio_diary::sync::{HttpConfig, SyncClient, SyncFailure};
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::diary_text::DiaryText;
use crate::link::{Crossed, Link, Shape};
use crate::sync_world::{TestDevice, World};

/// Text bytes per entry. With the entry's other fields its JSON record averages 684 bytes
/// (BENCHMARKS.md), heavier than the ~500 B the sync targets assume.
pub const TEXT_BYTES: usize = 330;

/// One device enrolled through a link in front of the world's first server.
pub struct Rig {
    pub link: Link,
    pub device: TestDevice,
    pub client: SyncClient,
}

impl std::fmt::Debug for Rig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rig").field("link", &self.link).finish_non_exhaustive()
    }
}

/// What one sync cost.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub requests: u32,
    pub attempts: u32,
    pub crossed: Crossed,
    pub elapsed: Duration,
}

impl Rig {
    pub async fn new(world: &World, shape: Shape) -> Rig {
        let link = Link::start(world.direct_addr(0), shape).await.unwrap_or_else(|e| panic!("link: {e}"));
        let client = SyncClient::new(HttpConfig::default()).unwrap_or_else(|e| panic!("{e}"));
        let device = TestDevice::enrol(&client, &link.url(), &world.code(None).await).await;
        Rig { link, device, client }
    }

    /// Writes `n` shared notes of realistic text (seeded, so runs compare), in one transaction.
    pub fn write(&mut self, n: usize, seed: u64) {
        let text = DiaryText::default();
        let mut rng = StdRng::seed_from_u64(seed);
        let mut lines = String::new();
        for _ in 0..n {
            let text = text.text(&mut rng, TEXT_BYTES);
            lines.push_str(
                &serde_json::json!({"kind": "note", "sharing": "agency", "text": text}).to_string(),
            );
            lines.push('\n');
        }
        self.device.import(&lines);
    }

    /// The average size of one entry as pushed (its JSON record), over `n` written like
    /// [`Rig::write`] writes them.
    pub fn average_entry_json(&self, n: usize, seed: u64) -> usize {
        let text = DiaryText::default();
        let mut rng = StdRng::seed_from_u64(seed);
        let owner = Owner { role: Role::Caregiver, id: self.device.caregiver_id };
        let total: usize = (0..n)
            .map(|i| {
                let record = note_record(owner, &text.text(&mut rng, TEXT_BYTES), i as u64, NodeId(7));
                serde_json::to_vec(&record).map_or(0, |v| v.len())
            })
            .sum();
        total / n.max(1)
    }

    /// Syncs until done, starting again at once after a failure (a reset link), and says what
    /// crossed the link meanwhile.
    pub async fn sync(&self) -> Measured {
        let before = self.link.crossed();
        let started = Instant::now();
        let (mut requests, mut attempts) = (0, 0);
        loop {
            attempts += 1;
            match self.client.sync_once(&self.device.diary).await {
                Ok(summary) => {
                    requests += summary.requests;
                    break;
                }
                Err(SyncFailure::Unreachable(_) | SyncFailure::TimedOut) if attempts < 50 => {}
                Err(e) => panic!("sync failed: {e}"),
            }
        }
        let after = self.link.crossed();
        Measured {
            requests,
            attempts,
            crossed: Crossed {
                up: after.up - before.up,
                down: after.down - before.down,
                connections: after.connections - before.connections,
                resets: after.resets - before.resets,
            },
            elapsed: started.elapsed(),
        }
    }
}

/// A shared note of `owner` with `text`, as a device would push it: a fresh id, version
/// `wall_ms` (offset from a fixed day, so sizes compare between runs) on clock `node`.
pub fn note_record(owner: Owner, text: &str, wall_ms: u64, node: NodeId) -> Record {
    let draft = crate::sync_world::note(text, "agency")
        .parse(chrono::Local::now().fixed_offset())
        .unwrap_or_else(|e| panic!("{e}"));
    let version = Hlc { wall_ms: 1_796_000_000_000 + wall_ms, counter: 0, node };
    Record::Entry(Entry::create(RecordId::new(), version, owner, chrono::Utc::now(), draft))
}
