//! `convivio-server`: see `convivio_server::cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    convivio_server::cli::main().await
}
