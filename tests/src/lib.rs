//! Cross-crate tests for Convivio. The tests live in `tests/`; this library holds what they
//! share with each other and with the helper binaries in `src/bin/`.

pub mod diary_text;
pub mod fault_proxy;
pub mod http_bytes;
pub mod link;
pub mod pg;
pub mod server_process;
pub mod staff;
pub mod sync_world;
pub mod wire;

/// Argon2 costs for test diaries: the real format, cheap enough to unlock hundreds of times.
pub fn cheap_kdf() -> convivio_diary::KdfParams {
    convivio_diary::KdfParams { m_cost_kib: 1024, t_cost: 1, p_cost: 1 }
}

/// The passphrase of every test diary.
pub const PASSPHRASE: &str = "crash test passphrase";

/// Locks `m`; a panic elsewhere while it was held leaves a value the tests can still read.
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
