//! `convivio enrol | sync | status`: the sync client from the command line, on a small
//! single-threaded runtime (the diary work still goes to tokio's blocking pool).

use anyhow::Context;
use convivio_diary::Diary;
use convivio_diary::sync::{HttpConfig, SharedDiary, SyncClient, SyncFailure, shared};

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("could not start the sync runtime")
}

fn client() -> anyhow::Result<SyncClient> {
    Ok(SyncClient::new(HttpConfig::default())?)
}

/// Trades an enrolment code for a device identity. An active enrolment is replaced only with
/// `again` (the diary's rule, `Diary::may_enrol`): the code is single-use and the old identity
/// stops syncing.
pub fn enrol(diary: Diary, server: &str, code: &str, again: bool) -> anyhow::Result<()> {
    let diary: SharedDiary = shared(diary);
    let client = client()?;
    let enrolling = async {
        if again {
            client.enrol_again(&diary, server, code).await
        } else {
            client.enrol(&diary, server, code).await
        }
    };
    let enrolled = match runtime()?.block_on(enrolling) {
        Err(refused @ SyncFailure::AlreadyEnrolled { .. }) => {
            anyhow::bail!("{refused}; run again with --again if you mean it")
        }
        result => result?,
    };
    println!("enrolled with {} as device {}", enrolled.agency_name, enrolled.device_id);
    Ok(())
}

/// One full sync; a one-line summary, or the failure in plain words (non-zero exit).
pub fn sync(diary: Diary) -> anyhow::Result<()> {
    let agency = diary.sync_status()?.agency_name;
    let diary = shared(diary);
    let summary = runtime()?.block_on(client()?.sync_once(&diary))?;
    println!("synced with {}: {}", agency.unwrap_or_default(), summary.one_line());
    Ok(())
}

pub fn status(diary: &Diary, json: bool) -> anyhow::Result<()> {
    let status = diary.sync_status()?;
    if json {
        println!("{}", serde_json::to_string(&status)?);
    } else {
        println!("{}", status.describe());
        for refused in &status.refused {
            println!(
                "refused by the agency's server: {} {} ({}): {}",
                refused.record_kind, refused.record_id, refused.code, refused.message
            );
        }
    }
    Ok(())
}
