//! A user-space link between a client and a server on loopback, for the sync benchmarks: it
//! counts every byte each way (headers included), and can behave like a rural link, with a
//! one-way delay, a bandwidth cap each way, and a reset of every connection at a fixed period
//! (`tc netem` is not available on this machine's kernel).
//!
//! Bytes are read in packet-sized pieces; each piece leaves when the capped link has
//! carried the pieces before it, and arrives `delay` later.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// A packet's worth of payload (an Ethernet MTU less IP and TCP headers).
const PACKET: usize = 1460;

/// How the link behaves. The default is a plain counting relay.
#[derive(Debug, Clone, Copy, Default)]
pub struct Shape {
    /// Added to every piece, each way.
    pub delay: Duration,
    /// Bits per second each way; `None` is as fast as loopback.
    pub bits_per_second: Option<u64>,
    /// Every open connection is reset (RST to both ends) at this period.
    pub reset_every: Option<Duration>,
}

impl Shape {
    /// The rural link of the sync targets: 250 ms each way, 100 kbit/s each way.
    pub fn rural() -> Shape {
        Shape { delay: Duration::from_millis(250), bits_per_second: Some(100_000), reset_every: None }
    }
}

#[derive(Debug, Default)]
struct Counters {
    up: AtomicU64,
    down: AtomicU64,
    connections: AtomicU64,
    resets: AtomicU64,
}

/// What crossed the link so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crossed {
    /// Client to server, bytes.
    pub up: u64,
    /// Server to client, bytes.
    pub down: u64,
    pub connections: u64,
    pub resets: u64,
}

impl Crossed {
    pub fn total(&self) -> u64 {
        self.up + self.down
    }
}

/// A running link on 127.0.0.1 in front of `upstream`.
#[derive(Debug)]
pub struct Link {
    pub addr: SocketAddr,
    counters: Arc<Counters>,
    tasks: Vec<JoinHandle<()>>,
}

impl Link {
    pub async fn start(upstream: SocketAddr, shape: Shape) -> std::io::Result<Link> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let counters = Arc::new(Counters::default());
        // Every connection watches this; a new value resets the connections open at the time.
        let (reset_tx, reset_rx) = watch::channel(0u64);
        let mut tasks = Vec::new();
        let c = Arc::clone(&counters);
        tasks.push(tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = TcpStream::connect(upstream).await else { continue };
                c.connections.fetch_add(1, Ordering::Relaxed);
                let _ = (client.set_nodelay(true), server.set_nodelay(true));
                let (cr, cw) = client.into_split();
                let (sr, sw) = server.into_split();
                tokio::spawn(pump(cr, sw, shape, Arc::clone(&c), Direction::Up, reset_rx.clone()));
                tokio::spawn(pump(sr, cw, shape, Arc::clone(&c), Direction::Down, reset_rx.clone()));
            }
        }));
        if let Some(period) = shape.reset_every {
            let c = Arc::clone(&counters);
            tasks.push(tokio::spawn(async move {
                let mut tick = tokio::time::interval_at(Instant::now() + period, period);
                for n in 1.. {
                    tick.tick().await;
                    c.resets.fetch_add(1, Ordering::Relaxed);
                    let _ = reset_tx.send(n);
                }
            }));
        }
        Ok(Link { addr, counters, tasks })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn crossed(&self) -> Crossed {
        Crossed {
            up: self.counters.up.load(Ordering::Relaxed),
            down: self.counters.down.load(Ordering::Relaxed),
            connections: self.counters.connections.load(Ordering::Relaxed),
            resets: self.counters.resets.load(Ordering::Relaxed),
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Up,
    Down,
}

/// Carries one direction of one connection until either end closes or the link resets.
async fn pump(
    mut from: OwnedReadHalf,
    mut to: OwnedWriteHalf,
    shape: Shape,
    counters: Arc<Counters>,
    direction: Direction,
    mut reset: watch::Receiver<u64>,
) {
    reset.mark_unchanged();
    let (tx, mut rx) = mpsc::unbounded_channel::<(Instant, Option<Vec<u8>>)>();
    let reader = async move {
        let mut free_at = Instant::now();
        let mut buf = vec![0u8; PACKET];
        loop {
            let n = from.read(&mut buf).await.unwrap_or(0);
            let now = Instant::now();
            if n == 0 {
                let _ = tx.send((free_at.max(now) + shape.delay, None));
                return;
            }
            let counter = if direction == Direction::Up { &counters.up } else { &counters.down };
            counter.fetch_add(n as u64, Ordering::Relaxed);
            let on_the_wire = shape.bits_per_second.map_or(Duration::ZERO, |bps| {
                Duration::from_nanos((n as u64 * 8).saturating_mul(1_000_000_000) / bps.max(1))
            });
            free_at = free_at.max(now) + on_the_wire;
            if tx.send((free_at + shape.delay, Some(buf[..n].to_vec()))).is_err() {
                return;
            }
        }
    };
    let writer = async {
        while let Some((at, piece)) = rx.recv().await {
            tokio::time::sleep_until(at).await;
            match piece {
                Some(bytes) => {
                    if to.write_all(&bytes).await.is_err() {
                        return;
                    }
                }
                None => {
                    let _ = to.shutdown().await;
                    return;
                }
            }
        }
    };
    tokio::select! {
        _ = async { tokio::join!(reader, writer) } => {}
        // Without a reset period the sender is gone at once; then nothing ever resets.
        _ = async { if reset.changed().await.is_err() { std::future::pending::<()>().await } } => {
            // Closing with linger 0 sends a reset instead of an orderly close.
            let _ = socket2::SockRef::from(to.as_ref()).set_linger(Some(Duration::ZERO));
        }
    }
}
