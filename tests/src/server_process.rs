//! The agency server as a child process on loopback, which a test can kill (SIGKILL, no
//! goodbye) and start again on the same database.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running `convivio-server serve`. Killed when dropped.
#[derive(Debug)]
pub struct ServerProcess {
    exe: PathBuf,
    db: String,
    env: Vec<(String, String)>,
    child: Child,
    pub addr: SocketAddr,
}

impl ServerProcess {
    /// Starts `exe serve --db DB --listen 127.0.0.1:0` with `env` added (for example
    /// `CONVIVIO_ENROLMENT__ATTEMPTS_PER_MINUTE`) and waits until it listens.
    pub fn start(exe: impl Into<PathBuf>, db: &str, env: &[(&str, &str)]) -> anyhow::Result<ServerProcess> {
        let exe = exe.into();
        let env: Vec<_> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let (child, addr) = launch(&exe, db, &env)?;
        Ok(ServerProcess { exe, db: db.to_owned(), env, child, addr })
    }

    /// The server's process id (to read its `/proc/PID/status`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: whatever the server was doing stops mid-way, as in a power cut.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Runs `exe admin ARGS` on the same database (the server may be stopped); returns what it
    /// printed.
    pub fn admin(&self, args: &[&str]) -> anyhow::Result<String> {
        admin(&self.exe, &self.db, &self.env, args, "")
    }

    /// Starts the server again after [`kill`](Self::kill) (on a new port: see `addr`).
    pub fn start_again(&mut self) -> anyhow::Result<SocketAddr> {
        let (child, addr) = launch(&self.exe, &self.db, &self.env)?;
        self.child = child;
        self.addr = addr;
        Ok(addr)
    }

    /// Kills the server and starts it again on the same database (on a new port: see `addr`).
    pub fn restart(&mut self) -> anyhow::Result<SocketAddr> {
        self.kill();
        let (child, addr) = launch(&self.exe, &self.db, &self.env)?;
        self.child = child;
        self.addr = addr;
        Ok(addr)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

fn launch(exe: &PathBuf, db: &str, env: &[(String, String)]) -> anyhow::Result<(Child, SocketAddr)> {
    let mut child = Command::new(exe)
        .args(["serve", "--listen", "127.0.0.1:0", "--db", db])
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let stderr = child.stderr.take().ok_or_else(|| anyhow::anyhow!("no stderr"))?;
    // The server prints `... listening on http://ADDR` once bound. The rest of its stderr is
    // drained by the same thread so the server never blocks on a full pipe.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            match line.split_once("listening on ").map(|(_, rest)| rest.rsplit("://").next()) {
                Some(Some(addr)) if tx.is_some() => {
                    if let (Some(tx), Ok(addr)) = (tx.take(), addr.trim().parse::<SocketAddr>()) {
                        let _ = tx.send(Ok(addr));
                    }
                }
                _ => match &tx {
                    Some(tx) => {
                        let _ = tx.send(Err(line));
                    }
                    None => eprintln!("[server] {line}"),
                },
            }
        }
    });
    let mut said = Vec::new();
    loop {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Ok(addr)) => return Ok((child, addr)),
            Ok(Err(line)) => said.push(line),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                anyhow::bail!("the server did not start listening: {}", said.join("\n"));
            }
        }
    }
}

/// Runs `exe --db DB admin ARGS` with `env` added and `stdin` as its input (a password for
/// `create-staff`, say), with or without a server running; returns what it printed.
pub fn admin(
    exe: &Path,
    db: &str,
    env: &[(String, String)],
    args: &[&str],
    stdin: &str,
) -> anyhow::Result<String> {
    let mut child = Command::new(exe)
        .args(["--db", db, "admin"])
        .args(args)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child.stdin.take().map(|mut input| input.write_all(stdin.as_bytes())).transpose()?;
    let out = child.wait_with_output()?;
    anyhow::ensure!(out.status.success(), "admin {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
