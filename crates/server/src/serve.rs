//! Serving connections: one accept loop for plain HTTP and HTTPS, with the limits that keep idle
//! and slow sockets from starving real devices.
//!
//! - **A connection cap.** A semaphore of `max_connections` permits is taken *before* each
//!   `accept`: at the cap the server stops accepting, and further connections wait in the
//!   kernel's listen queue until one ends (nothing is read from them, nothing is spent on them).
//! - **A header timeout.** A new connection has `header_timeout` from its accept, TLS handshake
//!   included, to deliver a whole request head. A client that sends nothing, or drips a byte a
//!   second, is closed then; dripping does not buy time.
//! - **An idle timeout.** A kept-alive connection with no request for `idle_timeout` is closed;
//!   so is one with a request in flight that moved no byte either way for as long (a client
//!   that stopped reading its answer or sending its body). A request is in flight from its head
//!   until its answer's body has been handed to the connection, so a slow rural upload or
//!   download that keeps moving is never cut, and `request_timeout` still bounds the handler.
//! - **Graceful stop.** [`serve`] stops accepting when `stop` resolves, asks every connection to
//!   finish (HTTP/1: close after the answer in flight; HTTP/2: GOAWAY), gives them `grace`, and
//!   then closes what is left. A connection with nothing in flight for a second after the stop
//!   is closed at once, so a kept-alive or half-sent socket does not hold the shutdown.
//!
//! Why not hyper's own `header_read_timeout`: it restarts whenever a kept-alive HTTP/1
//! connection goes idle, so it would cut every kept-alive connection at the header timeout,
//! and it does not cover the first bytes that tell HTTP/1 from HTTP/2 (hyper-util's
//! `auto::Builder` waits for those without a limit) nor HTTP/2 at all. One watchdog per
//! connection does all of it, for both protocols and both listeners.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response};
use hyper::body::{Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// The limits of [`serve`], from `config::Limits`.
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
    /// How long a graceful stop waits for requests in flight.
    pub grace: Duration,
}

impl ConnLimits {
    pub fn from_config(limits: &crate::config::Limits) -> Self {
        ConnLimits {
            header_timeout: Duration::from_secs(limits.header_timeout_secs.max(1)),
            idle_timeout: Duration::from_secs(limits.idle_timeout_secs.max(1)),
            max_connections: limits.max_connections.clamp(1, Semaphore::MAX_PERMITS),
            grace: Duration::from_secs(limits.request_timeout_secs),
        }
    }
}

/// After a stop, a connection with nothing in flight this long is closed.
const STOP_LINGER: Duration = Duration::from_secs(1);

/// HTTP/2 streams one connection may have open at once.
const MAX_STREAMS: u32 = 64;

/// Accepts on `listener` (over TLS with `tls`) and serves `app` until `stop` resolves, then
/// stops gracefully (see the module doc).
pub async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    app: Router,
    limits: ConnLimits,
    stop: impl std::future::Future<Output = ()> + Send,
) -> io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let (stopping, stopped) = watch::channel(false);
    let builder = Arc::new(builder());
    let mut connections = JoinSet::new();
    tokio::pin!(stop);
    loop {
        while connections.try_join_next().is_some() {}
        let permit = tokio::select! {
            () = &mut stop => break,
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let (tcp, peer) = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
        };
        let connection = Connection {
            peer,
            tls: tls.clone(),
            app: app.clone(),
            builder: Arc::clone(&builder),
            limits,
            stopped: stopped.clone(),
            _permit: permit,
        };
        connections.spawn(connection.run(tcp));
    }
    drop(listener);
    let _ = stopping.send(true);
    let drained =
        tokio::time::timeout(limits.grace, async { while connections.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tracing::warn!(left = connections.len(), "closing connections still busy after the grace period");
        connections.shutdown().await;
    }
    Ok(())
}

/// HTTP/1.1 and HTTP/2 (by prior knowledge on plain HTTP, by ALPN over TLS).
fn builder() -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    // The watchdog keeps the header timeout (see the module doc).
    builder.http1().timer(TokioTimer::new()).header_read_timeout(None);
    builder.http2().timer(TokioTimer::new()).max_concurrent_streams(MAX_STREAMS);
    builder
}

/// A failed `accept`: a connection that died in the queue is nothing; anything else (out of
/// file descriptors) is logged and waited out, so the loop does not spin.
async fn accept_failed(e: io::Error) {
    if matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "accept failed; retrying in a second");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// One accepted connection and what it needs.
struct Connection {
    peer: SocketAddr,
    tls: Option<TlsAcceptor>,
    app: Router,
    builder: Arc<auto::Builder<TokioExecutor>>,
    limits: ConnLimits,
    stopped: watch::Receiver<bool>,
    /// Held while the connection lives: its place under the cap.
    _permit: OwnedSemaphorePermit,
}

impl Connection {
    async fn run(mut self, tcp: TcpStream) {
        // Small answers go out at once rather than waiting for Nagle.
        let _ = tcp.set_nodelay(true);
        let activity = Arc::new(Activity::new());
        let io = Watched { inner: tcp, activity: Arc::clone(&activity) };
        match self.tls.take() {
            None => self.http(TokioIo::new(io), activity).await,
            Some(acceptor) => {
                let deadline = activity.accepted + self.limits.header_timeout;
                let handshake = tokio::select! {
                    done = tokio::time::timeout_at(deadline, acceptor.accept(io)) => done,
                    _ = self.stopped.changed() => return,
                };
                match handshake {
                    Ok(Ok(stream)) => self.http(TokioIo::new(stream), activity).await,
                    Ok(Err(e)) => tracing::debug!(error = %e, "TLS handshake failed"),
                    Err(_) => tracing::debug!("TLS handshake timed out"),
                }
            }
        }
    }

    /// Serves HTTP on `io` under the watchdog.
    async fn http<I>(mut self, io: I, activity: Arc<Activity>)
    where
        I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    {
        let (app, peer) = (self.app.clone(), self.peer);
        let tracked = Arc::clone(&activity);
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let in_flight = InFlight::start(&tracked);
            let answer = app.clone().oneshot(request);
            async move {
                let response: Response<axum::body::Body> = answer.await?;
                Ok::<_, std::convert::Infallible>(
                    response.map(|body| Tracked { body, _in_flight: in_flight }),
                )
            }
        });
        let builder = Arc::clone(&self.builder);
        let connection = builder.serve_connection(io, service);
        tokio::pin!(connection);
        let mut stopping: Option<Instant> = None;
        loop {
            let wake = match stopping {
                Some(_) => (Instant::now() + STOP_LINGER / 4).min(activity.deadline(&self.limits)),
                None => activity.deadline(&self.limits),
            };
            tokio::select! {
                ended = connection.as_mut() => {
                    if let Err(e) = ended {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                    return;
                }
                () = tokio::time::sleep_until(wake) => {
                    let now = Instant::now();
                    if now >= activity.deadline(&self.limits) {
                        tracing::debug!(reason = activity.why(), "closing a connection");
                        return;
                    }
                    if let Some(since) = stopping
                        && activity.in_flight() == 0
                        && now.duration_since(since) >= STOP_LINGER
                    {
                        return;
                    }
                }
                _ = self.stopped.changed(), if stopping.is_none() => {
                    connection.as_mut().graceful_shutdown();
                    stopping = Some(Instant::now());
                }
            }
        }
    }
}

/// What the watchdog knows of one connection. Times are milliseconds since `accepted`.
#[derive(Debug)]
struct Activity {
    accepted: Instant,
    last_io: AtomicU64,
    idle_since: AtomicU64,
    in_flight: AtomicUsize,
    served: AtomicBool,
}

impl Activity {
    fn new() -> Self {
        Activity {
            accepted: Instant::now(),
            last_io: AtomicU64::new(0),
            idle_since: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
            served: AtomicBool::new(false),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.accepted.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn at(&self, ms: u64) -> Instant {
        self.accepted + Duration::from_millis(ms)
    }

    fn moved(&self) {
        self.last_io.store(self.now_ms(), Ordering::Relaxed);
    }

    fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Acquire)
    }

    /// When the connection is to be closed if nothing changes. Deadlines only move later
    /// (bytes moving, requests starting and ending), so a watchdog that wakes at an old one
    /// just looks again.
    fn deadline(&self, limits: &ConnLimits) -> Instant {
        if self.in_flight() > 0 {
            self.at(self.last_io.load(Ordering::Relaxed)) + limits.idle_timeout
        } else if self.served.load(Ordering::Acquire) {
            self.at(self.idle_since.load(Ordering::Relaxed)) + limits.idle_timeout
        } else {
            self.accepted + limits.header_timeout
        }
    }

    fn why(&self) -> &'static str {
        if self.in_flight() > 0 {
            "no byte moved"
        } else if self.served.load(Ordering::Acquire) {
            "idle"
        } else {
            "no request head in time"
        }
    }
}

/// A request in flight, from its head until its answer's body is dropped.
#[derive(Debug)]
struct InFlight(Arc<Activity>);

impl InFlight {
    fn start(activity: &Arc<Activity>) -> Self {
        activity.moved();
        activity.served.store(true, Ordering::Release);
        activity.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight(Arc::clone(activity))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.idle_since.store(self.0.now_ms(), Ordering::Relaxed);
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// An answer's body, which holds its request [`InFlight`] until hyper is done with it.
struct Tracked {
    body: axum::body::Body,
    _in_flight: InFlight,
}

impl hyper::body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// A socket that notes when bytes move, for the watchdog.
struct Watched<T> {
    inner: T,
    activity: Arc<Activity>,
}

impl<T: AsyncRead + Unpin> AsyncRead for Watched<T> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.activity.moved();
        }
        polled
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Watched<T> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.moved();
        }
        polled
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.moved();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
