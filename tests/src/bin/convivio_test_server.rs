//! The real `convivio-server` program, built inside this package so that the sync tests can run
//! it as a child process (`CARGO_BIN_EXE_convivio_test_server`) and kill it with SIGKILL in the
//! middle of a batch.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    convivio_server::cli::main().await
}
