//! A proxy between the sync client and the server that breaks exchanges on purpose.
//!
//! Each connection carries one exchange (heads are rewritten to `Connection: close`), and
//! each exchange takes the next [`Fault`] from the plan; with the plan empty, exchanges pass.
//! The faults are the ones a rural link and a busy server produce: lost requests and lost
//! answers, long stalls, retransmitted and late requests, bodies cut short, connections reset
//! mid-answer, gateway errors (before and after the server did the work), and the server
//! process killed while it applies a batch.

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::http_bytes::{head_len, read_request, with_connection_close};
use crate::lock;

/// What happens to one exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Passes untouched.
    Pass,
    /// The request is lost: the client's connection closes, the server sees nothing.
    DropRequest,
    /// The server does the work; the answer is lost.
    DropResponse,
    /// The request waits this long before it goes on (longer than the client's timeout, the
    /// client gives up while the server may still do the work).
    Delay(Duration),
    /// The request reaches the server twice at once; the client gets one answer.
    Duplicate,
    /// The request is held back (the client sees a reset) and reaches the server late, after
    /// the next exchange.
    Reorder,
    /// Half of the request body reaches the server, then the connection closes.
    TruncateRequest,
    /// The server answers; the client gets half of the answer and an orderly close.
    TruncateResponse,
    /// The server answers; the client gets part of it, then a TCP reset.
    ResetMidResponse,
    /// 502 from the proxy; the server sees nothing.
    BadGateway,
    /// The server does the work; the client gets 503 instead of the answer.
    UnavailableAfterWork,
    /// The request reaches the server, which is killed (SIGKILL) this long after, then started
    /// again.
    KillServer(Duration),
}

/// Kills the server behind upstream number `index` and starts it again; returns its new
/// address. Called on a blocking thread.
pub type KillHook = Arc<dyn Fn(usize) -> SocketAddr + Send + Sync>;

/// A running proxy on 127.0.0.1.
pub struct FaultProxy {
    pub addr: SocketAddr,
    inner: Arc<Inner>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for FaultProxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaultProxy").field("addr", &self.addr).finish_non_exhaustive()
    }
}

struct Inner {
    /// Exchanges go to these in turn (two server processes on one database).
    upstreams: Mutex<Vec<SocketAddr>>,
    turn: AtomicUsize,
    plan: Mutex<VecDeque<Fault>>,
    held: Mutex<Vec<(usize, Vec<u8>)>>,
    applied: Mutex<Vec<Fault>>,
    kill: Option<KillHook>,
}

impl FaultProxy {
    /// Listens on a free loopback port and forwards to `upstreams`, one after the other.
    pub async fn start(upstreams: Vec<SocketAddr>, kill: Option<KillHook>) -> io::Result<FaultProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let inner = Arc::new(Inner {
            upstreams: Mutex::new(upstreams),
            turn: AtomicUsize::new(0),
            plan: Mutex::default(),
            held: Mutex::default(),
            applied: Mutex::default(),
            kill,
        });
        let shared = Arc::clone(&inner);
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let inner = Arc::clone(&shared);
                tokio::spawn(async move {
                    let _ = inner.exchange(client).await;
                });
            }
        });
        Ok(FaultProxy { addr, inner, task })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Faults for the next exchanges, in order (appended to what is left of the plan).
    pub fn plan(&self, faults: impl IntoIterator<Item = Fault>) {
        lock(&self.inner.plan).extend(faults);
    }

    /// Forgets the plan: from now on exchanges pass.
    pub fn clear(&self) {
        lock(&self.inner.plan).clear();
    }

    /// The faults applied so far, one per exchange, in the order exchanges began.
    pub fn applied(&self) -> Vec<Fault> {
        lock(&self.inner.applied).clone()
    }

    /// From now on, exchanges for upstream `index` go to `addr` (a server started again).
    pub fn set_upstream(&self, index: usize, addr: SocketAddr) {
        lock(&self.inner.upstreams)[index] = addr;
    }

    /// Sends every held-back request now (before a final check).
    pub async fn release_held(&self) {
        self.inner.release_held().await;
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Inner {
    fn next_upstream(&self) -> (usize, SocketAddr) {
        let upstreams = lock(&self.upstreams);
        let i = self.turn.fetch_add(1, Ordering::Relaxed) % upstreams.len();
        (i, upstreams[i])
    }

    async fn exchange(self: &Arc<Self>, mut client: TcpStream) -> io::Result<()> {
        let Some(request) = read_request(&mut client).await? else { return Ok(()) };
        let request = with_connection_close(&request);
        let fault = lock(&self.plan).pop_front().unwrap_or(Fault::Pass);
        lock(&self.applied).push(fault);
        let (index, upstream) = self.next_upstream();
        let result = self.run(fault, &mut client, index, upstream, request).await;
        if fault != Fault::Reorder {
            self.release_held().await;
        }
        result
    }

    async fn run(
        self: &Arc<Self>,
        fault: Fault,
        client: &mut TcpStream,
        index: usize,
        upstream: SocketAddr,
        request: Vec<u8>,
    ) -> io::Result<()> {
        match fault {
            Fault::Pass => answer(client, &forward(upstream, &request).await?).await,
            Fault::DropRequest => reset(client),
            Fault::DropResponse => {
                forward(upstream, &request).await?;
                reset(client)
            }
            Fault::Delay(pause) => {
                tokio::time::sleep(pause).await;
                let response = forward(upstream, &request).await?;
                // The client may have given up; then this write fails, as on a real link.
                answer(client, &response).await
            }
            Fault::Duplicate => {
                let (first, second) = tokio::join!(forward(upstream, &request), forward(upstream, &request));
                let _ = second;
                answer(client, &first?).await
            }
            Fault::Reorder => {
                lock(&self.held).push((index, request));
                reset(client)
            }
            Fault::TruncateRequest => {
                let cut = head_len(&request).map_or(request.len() / 2, |h| h + (request.len() - h) / 2);
                let mut server = TcpStream::connect(upstream).await?;
                server.write_all(&request[..cut]).await?;
                server.shutdown().await?;
                let mut ignored = Vec::new();
                let _ = server.read_to_end(&mut ignored).await;
                reset(client)
            }
            Fault::TruncateResponse => {
                let response = forward(upstream, &request).await?;
                client.write_all(&response[..response.len() / 2]).await?;
                client.shutdown().await
            }
            Fault::ResetMidResponse => {
                let response = forward(upstream, &request).await?;
                let cut = head_len(&response).unwrap_or(0).max(response.len() / 2).min(response.len());
                client.write_all(&response[..cut]).await?;
                client.flush().await?;
                reset(client)
            }
            Fault::BadGateway => {
                answer(client, b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n").await
            }
            Fault::UnavailableAfterWork => {
                forward(upstream, &request).await?;
                answer(client, b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n").await
            }
            Fault::KillServer(after) => {
                let mut server = TcpStream::connect(upstream).await?;
                server.write_all(&request).await?;
                tokio::time::sleep(after).await;
                if let Some(kill) = self.kill.clone() {
                    let restarted = tokio::task::spawn_blocking(move || kill(index))
                        .await
                        .map_err(|_| io::Error::other("the kill hook panicked"))?;
                    lock(&self.upstreams)[index] = restarted;
                }
                // Whatever the server managed to say before it died is passed on, as a real
                // reverse proxy would; usually nothing.
                let mut partial = Vec::new();
                let _ = server.read_to_end(&mut partial).await;
                client.write_all(&partial).await?;
                reset(client)
            }
        }
    }

    async fn release_held(&self) {
        let held = std::mem::take(&mut *lock(&self.held));
        for (index, request) in held {
            let upstream = lock(&self.upstreams)[index];
            let _ = forward(upstream, &request).await;
        }
    }
}

/// Sends `request` on a new connection and reads the answer to the end.
async fn forward(upstream: SocketAddr, request: &[u8]) -> io::Result<Vec<u8>> {
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(request).await?;
    let mut response = Vec::new();
    server.read_to_end(&mut response).await?;
    Ok(response)
}

async fn answer(client: &mut TcpStream, response: &[u8]) -> io::Result<()> {
    client.write_all(&with_connection_close(response)).await?;
    client.shutdown().await
}

/// Closes with a TCP reset instead of an orderly close.
fn reset(client: &TcpStream) -> io::Result<()> {
    socket2::SockRef::from(client).set_linger(Some(Duration::ZERO))?;
    Ok(())
}
