//! Raw HTTP/1.1 over TCP, for what a well-behaved client would never do: bodies streamed by the
//! test (so it can see how much the server pulled), sockets that send nothing or drip a byte,
//! connections held open.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The address part of `http://ADDR`.
pub fn addr(url: &str) -> String {
    url.trim_start_matches("http://").trim_start_matches("https://").to_owned()
}

/// What a streamed upload met.
#[derive(Debug)]
pub struct Upload {
    /// The answer's status, if one came before the connection ended.
    pub status: Option<u16>,
    /// The answer's body (as far as it was read).
    pub body: String,
    /// Body bytes the client had written when the answer (or the end) came.
    pub written_by_answer: usize,
    pub elapsed: Duration,
}

/// POSTs `head_lines` (without the request line's CRLF) and then a chunked body taken from
/// `chunks`, writing while the socket takes it and the answer has not come, and reads the answer.
pub async fn streamed_post(
    url: &str,
    path: &str,
    head_lines: &[&str],
    chunks: impl Iterator<Item = Vec<u8>> + Send + 'static,
) -> Upload {
    let started = Instant::now();
    // A small send buffer, so that what the client has written is close to what the server
    // took in (the kernel would otherwise hold megabytes of it for a server that reads none).
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_send_buffer_size(64 * 1024).unwrap();
    let stream = socket.connect(addr(url).parse().unwrap()).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let mut head = format!("POST {path} HTTP/1.1\r\nhost: test\r\ntransfer-encoding: chunked\r\n");
    for line in head_lines {
        head.push_str(line);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    let written = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(AtomicBool::new(false));
    let writer = {
        let (written, answered) = (Arc::clone(&written), Arc::clone(&answered));
        tokio::spawn(async move {
            write.write_all(head.as_bytes()).await?;
            for chunk in chunks {
                if answered.load(Ordering::SeqCst) {
                    break;
                }
                write.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await?;
                write.write_all(&chunk).await?;
                write.write_all(b"\r\n").await?;
                written.fetch_add(chunk.len(), Ordering::SeqCst);
            }
            write.write_all(b"0\r\n\r\n").await?;
            Ok::<_, std::io::Error>(())
        })
    };
    let mut got = Vec::new();
    let mut buf = vec![0u8; 16 * 1024];
    let mut written_by_answer = None;
    loop {
        match tokio::time::timeout(Duration::from_secs(30), read.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
            Ok(Ok(n)) => {
                if written_by_answer.is_none() {
                    written_by_answer = Some(written.load(Ordering::SeqCst));
                    answered.store(true, Ordering::SeqCst);
                }
                got.extend_from_slice(&buf[..n]);
                if head_and_body_done(&got) {
                    break;
                }
            }
        }
    }
    answered.store(true, Ordering::SeqCst);
    let elapsed = started.elapsed();
    writer.abort();
    let text = String::from_utf8_lossy(&got).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).filter(|_| text.starts_with("HTTP/1.1"));
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    Upload {
        status,
        body,
        written_by_answer: written_by_answer.unwrap_or_else(|| written.load(Ordering::SeqCst)),
        elapsed,
    }
}

/// Whether `got` holds a whole answer with a `content-length` body.
fn head_and_body_done(got: &[u8]) -> bool {
    let text = String::from_utf8_lossy(got);
    let Some((head, body)) = text.split_once("\r\n\r\n") else { return false };
    let length = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
        .and_then(|v| v.parse::<usize>().ok());
    length.is_some_and(|n| body.len() >= n)
}

/// Waits until the server closes `stream` (a read of 0 bytes or an error), at most `limit`;
/// returns how long it took, or `None` if it stayed open.
pub async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(limit.saturating_sub(started.elapsed()), stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
}

/// Sends one `GET path` on `stream` (kept alive) and reads the whole answer; returns the status.
pub async fn get(stream: &mut TcpStream, path: &str) -> Option<u16> {
    let request = format!("GET {path} HTTP/1.1\r\nhost: test\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !head_and_body_done(&got) {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&got).split(' ').nth(1)?.parse().ok()
}

/// Bytes that zstd cannot shrink much (`len` of them, from a cheap generator), as one zstd
/// stream cut in chunks of 64 KiB: the server, if it read them, would have to take them all.
pub fn incompressible_zstd(len: usize) -> impl Iterator<Item = Vec<u8>> + Send + 'static {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut plain = Vec::with_capacity(len);
    plain.extend_from_slice(
        br#"{"protocol":1,"device_id":"00000000-0000-0000-0000-000000000000","padding":""#,
    );
    while plain.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        plain.extend(
            state.to_le_bytes().iter().map(|b| b"abcdefghijklmnopqrstuvwxyz012345"[usize::from(b % 32)]),
        );
    }
    let compressed = zstd::encode_all(plain.as_slice(), 1).unwrap();
    compressed.chunks(64 * 1024).map(<[u8]>::to_vec).collect::<Vec<_>>().into_iter()
}
