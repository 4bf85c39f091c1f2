//! A bare TCP client for what an HTTP library will not send: silent connections, bodies
//! announced and never sent, raw non-UTF-8 bytes in a URL, request lines of any length.

use serde_json::Value;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What came back on one connection.
#[derive(Debug)]
pub struct RawResponse {
    /// 0 when nothing that looks like a status line arrived.
    pub status: u16,
    pub head: String,
    pub json: Value,
    /// Whether the server closed the connection (rather than the wait running out).
    pub closed: bool,
    pub elapsed: Duration,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
}

/// `host:port` of a simulator's base URL.
pub fn address(base: &str) -> String {
    base.trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}

/// Sends `request` (possibly nothing), then reads until the server closes or `wait` runs out.
pub async fn exchange(address: &str, request: &[u8], wait: Duration) -> RawResponse {
    let started = Instant::now();
    let mut stream = TcpStream::connect(address).await.expect("connect");
    if !request.is_empty() {
        stream.write_all(request).await.expect("send");
    }
    let mut received = Vec::new();
    let mut chunk = [0u8; 8192];
    let closed = loop {
        match tokio::time::timeout_at((started + wait).into(), stream.read(&mut chunk)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break true,
            Ok(Ok(n)) => received.extend_from_slice(&chunk[..n]),
            Err(_) => break false,
        }
    };
    let elapsed = started.elapsed();
    let text = String::from_utf8_lossy(&received).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .lines()
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    RawResponse {
        status,
        head: head.to_string(),
        json: serde_json::from_str(body).unwrap_or(Value::Null),
        closed,
        elapsed,
    }
}
