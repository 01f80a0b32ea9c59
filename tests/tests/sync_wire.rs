//! What sync costs on the wire, headers included: a no-op sync is one request of at most
//! 600 bytes in all, and 1,000 entries of realistic text (about 500 bytes each) go in at most
//! 3 requests and 180 KB. `cargo bench -p convivio-tests --bench sync` prints the full table.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::time::Duration;

use convivio_tests::link::Shape;
use convivio_tests::sync_world::{Backend, World};
use convivio_tests::wire::Rig;

const SERVER: &str = env!("CARGO_BIN_EXE_convivio_test_server");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_no_op_sync_is_one_small_request_and_a_thousand_entries_fit_three() {
    let world = World::start(SERVER, Backend::Sqlite, 1, &[]).await;
    let mut rig = Rig::new(&world, Shape::default()).await;

    let noop = rig.sync().await;
    assert_eq!(noop.requests, 1, "{noop:?}");
    assert!(noop.crossed.total() <= 600, "a no-op sync took {} bytes: {noop:?}", noop.crossed.total());

    rig.write(1_000, 1);
    let thousand = rig.sync().await;
    assert!(thousand.requests <= 3, "{thousand:?}");
    assert!(thousand.crossed.total() <= 180_000, "1,000 entries took {} bytes", thousand.crossed.total());
    assert_eq!(rig.device.outbox().0, 0, "all sent");
    eprintln!("no-op: {noop:?}\n1,000 entries: {thousand:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_that_resets_faster_than_a_batch_crosses_still_carries_the_sync() {
    let world = World::start(SERVER, Backend::Sqlite, 1, &[]).await;
    // 400 kbit/s and a reset every second: the first batch (500 entries, about 75 KB, 1.5 s on
    // this link) cannot cross whole; the client must shrink it until one fits.
    let shape = Shape {
        delay: Duration::from_millis(20),
        bits_per_second: Some(400_000),
        reset_every: Some(Duration::from_secs(1)),
    };
    let mut rig = Rig::new(&world, shape).await;
    rig.write(1_000, 2);
    let done = rig.sync().await;
    assert!(done.crossed.resets > 0 && done.attempts + done.requests > 2, "resets met: {done:?}");
    assert_eq!(rig.device.outbox().0, 0, "everything was sent: {done:?}");
    convivio_tests::sync_world::check_same(&world, &[&rig.device]).await.unwrap();
    eprintln!("reset every second: {done:?}");
}
