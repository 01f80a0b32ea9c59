//! The benchmark's agency: 1,000 caregivers and 200 entries each, seeded once per backend with
//! `convivio-server admin seed` and kept between runs (seeding takes minutes; a run must not).
//!
//! A copy is keyed on the seed's size and on a digest of the server's migrations and seeding
//! code, so a change to either seeds afresh. It is built under a temporary name and renamed
//! into place only when complete, so a stopped run never leaves a half-seeded copy behind.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Instant;

use convivio_tests::sync_world::Backend;
use convivio_tests::{pg, server_process};

pub const AGENCY: &str = "Bench Valley";
pub const CAREGIVERS: u32 = 1_000;
pub const ENTRIES_PER_CAREGIVER: u32 = 200;
const SEED: u64 = 1;
/// The staff member the benchmark signs in as.
pub const USERNAME: &str = "bench.admin";
pub const PASSWORD: &str = "a long benchmark password";

/// The seeded database for `backend`, as a `--db` URL, made first if it is missing.
pub fn database(server: &Path, backend: Backend) -> String {
    let name =
        format!("convivio_bench_dashboard_c{CAREGIVERS}_e{ENTRIES_PER_CAREGIVER}_s{SEED}_{}", digest());
    match backend {
        Backend::Sqlite => sqlite(server, &name),
        Backend::Postgres => postgres(server, &name),
    }
}

fn sqlite(server: &Path, name: &str) -> String {
    let dir = cache_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let ready = dir.join(format!("{name}.db"));
    if !ready.exists() {
        let building = dir.join(format!("{name}.db.building"));
        for leftover in sqlite_files(&building) {
            let _ = std::fs::remove_file(leftover);
        }
        fill(server, &format!("sqlite://{}", building.display()), "SQLite");
        for (from, to) in sqlite_files(&building).into_iter().zip(sqlite_files(&ready)) {
            if from.exists() {
                std::fs::rename(from, to).unwrap();
            }
        }
    }
    format!("sqlite://{}", ready.display())
}

/// The database file and its WAL companions.
fn sqlite_files(db: &Path) -> [PathBuf; 3] {
    let with = |suffix: &str| PathBuf::from(format!("{}{suffix}", db.display()));
    [db.to_owned(), with("-wal"), with("-shm")]
}

fn postgres(server: &Path, name: &str) -> String {
    if !pg::database_exists(name) {
        let building = format!("{name}_building");
        pg::admin_execute(format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)")).unwrap();
        pg::admin_execute(format!("CREATE DATABASE {building}")).unwrap();
        fill(server, &pg::url_of(&building), "PostgreSQL");
        // What autovacuum does soon after a bulk load: the visibility map that index-only
        // scans need, and fresh statistics.
        pg::on_database(&building, "VACUUM ANALYZE".into()).unwrap();
        pg::admin_execute(format!("ALTER DATABASE {building} RENAME TO {name}")).unwrap();
    }
    pg::url_of(name)
}

/// Seeds the agency into `db` and adds the member the benchmark signs in as.
fn fill(server: &Path, db: &str, label: &str) {
    eprintln!(
        "seeding {CAREGIVERS} caregivers x {ENTRIES_PER_CAREGIVER} entries on {label} (once; kept in the cache)"
    );
    let started = Instant::now();
    let (c, e, s) = (CAREGIVERS.to_string(), ENTRIES_PER_CAREGIVER.to_string(), SEED.to_string());
    admin(
        server,
        db,
        &["seed", "--agency", AGENCY, "--caregivers", &c, "--entries-per-caregiver", &e, "--seed", &s],
        "",
    );
    admin(
        server,
        db,
        &["create-staff", "--agency", AGENCY, "--username", USERNAME, "--role", "admin"],
        PASSWORD,
    );
    eprintln!("seeded on {label} in {:.0} s", started.elapsed().as_secs_f64());
}

/// Runs `server --db DB admin ARGS` with `stdin` as its input; panics with its error.
fn admin(server: &Path, db: &str, args: &[&str], stdin: &str) {
    server_process::admin(server, db, &[], args, stdin).unwrap_or_else(|e| panic!("{e:#}"));
}

fn cache_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map_or_else(std::env::temp_dir, PathBuf::from);
    home.join(".cache/convivio/bench")
}

/// Eight hex digits that change when the server's migrations or its seeding code change.
fn digest() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["migrations", "crates/server/src/seed", "crates/server/src/storage/columns.rs"] {
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    let mut hash = std::collections::hash_map::DefaultHasher::new();
    for file in files {
        file.strip_prefix(&root).unwrap_or(&file).hash(&mut hash);
        std::fs::read(&file).unwrap().hash(&mut hash);
    }
    format!("{:08x}", hash.finish() as u32)
}

fn collect(path: &Path, into: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            collect(&entry.unwrap().path(), into);
        }
    } else {
        into.push(path.to_owned());
    }
}
