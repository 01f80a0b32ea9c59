//! Just enough HTTP/1.1 framing for the test proxies: read one request (head and
//! `Content-Length` body) and rewrite a message's head to `Connection: close`, so every
//! exchange has a connection of its own and a fault hits exactly one exchange.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt};

const MAX_HEAD: usize = 64 * 1024;

/// Reads one whole request from `stream`: `None` if the peer closed before sending anything.
pub async fn read_request(stream: &mut (impl AsyncRead + Unpin)) -> io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 16 * 1024];
    let (head_len, body_len) = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return if buf.is_empty() { Ok(None) } else { Err(io::ErrorKind::UnexpectedEof.into()) };
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&buf).map_err(io::Error::other)? {
            httparse::Status::Complete(head_len) => {
                let body_len = content_length(request.headers)?;
                break (head_len, body_len);
            }
            httparse::Status::Partial if buf.len() > MAX_HEAD => {
                return Err(io::Error::other("request head too large"));
            }
            httparse::Status::Partial => {}
        }
    };
    while buf.len() < head_len + body_len {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(buf))
}

fn content_length(headers: &[httparse::Header<'_>]) -> io::Result<usize> {
    for h in headers {
        if h.name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(io::Error::other("chunked requests are not supported by the test proxy"));
        }
    }
    let Some(h) = headers.iter().find(|h| h.name.eq_ignore_ascii_case("content-length")) else {
        return Ok(0);
    };
    std::str::from_utf8(h.value)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| io::Error::other("bad content-length"))
}

/// Where the head of `message` ends (just after the blank line), if it is complete.
pub fn head_len(message: &[u8]) -> Option<usize> {
    message.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

/// `message` with every `Connection` header replaced by `Connection: close`.
pub fn with_connection_close(message: &[u8]) -> Vec<u8> {
    let Some(head_len) = head_len(message) else { return message.to_vec() };
    let head = &message[..head_len - 2];
    let mut out = Vec::with_capacity(message.len() + 19);
    for (i, line) in head.split(|&b| b == b'\n').filter(|l| !l.is_empty()).enumerate() {
        let is_connection = line.len() > 11 && line[..11].eq_ignore_ascii_case(b"connection:");
        if i > 0 && is_connection {
            continue;
        }
        out.extend_from_slice(line);
        out.push(b'\n');
        if i == 0 {
            out.extend_from_slice(b"connection: close\r\n");
        }
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&message[head_len..]);
    out
}

/// The status code of a response, if its head is complete.
pub fn status(response: &[u8]) -> Option<u16> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Response::new(&mut headers);
    match parsed.parse(response) {
        Ok(httparse::Status::Complete(_)) => parsed.code,
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_request_is_read_whole_and_its_connection_header_rewritten() {
        let raw = b"POST /api/v1/sync HTTP/1.1\r\nhost: x\r\nConnection: keep-alive\r\ncontent-length: 5\r\n\r\nhello";
        let mut reader: &[u8] = raw;
        let read = read_request(&mut reader).await.unwrap().unwrap();
        assert_eq!(read, raw);
        let closed = String::from_utf8(with_connection_close(&read)).unwrap();
        assert_eq!(
            closed,
            "POST /api/v1/sync HTTP/1.1\r\nconnection: close\r\nhost: x\r\ncontent-length: 5\r\n\r\nhello"
        );
        assert_eq!(status(b"HTTP/1.1 409 Conflict\r\n\r\n"), Some(409));
    }

    #[tokio::test]
    async fn a_request_cut_short_is_an_error() {
        let mut reader: &[u8] = b"POST / HTTP/1.1\r\ncontent-length: 10\r\n\r\nhel";
        assert!(read_request(&mut reader).await.is_err());
        let mut empty: &[u8] = b"";
        assert!(read_request(&mut empty).await.unwrap().is_none());
    }
}
