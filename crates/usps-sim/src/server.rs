//! The accept loop, hand-rolled on hyper (instead of `axum::serve`) for two reasons:
//! - the "commit a label, then drop the connection" fault must close a TCP connection without
//!   writing any response, which a handler cannot do on its own: every request carries a
//!   [`ConnectionKiller`] for its connection, and a handler that fires it never answers;
//! - every request head is read and checked here before hyper parses it
//!   (`request_head.rs`), so a silent client is cut off and a malformed or oversized head is
//!   answered in USPS's envelope rather than by hyper's empty-bodied error.
//!
//! One request per connection: the head check sees every head only if hyper never reads a
//! second one on its own, so hyper runs without keep-alive and each answer says
//! `Connection: close`.

use axum::Router;
use axum::response::Response;
use futures_util::FutureExt;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};

use crate::Shared;
use crate::errors::refusal;
use crate::request_head::{self, Head, HttpLimits};

/// Closes the connection a request arrived on, without a response.
#[derive(Clone)]
pub struct ConnectionKiller(Arc<Notify>);

impl ConnectionKiller {
    pub fn kill(&self) {
        self.0.notify_one();
    }
}

pub async fn serve(
    listener: TcpListener,
    app: Router,
    shared: Arc<Shared>,
    limits: HttpLimits,
    stop: watch::Receiver<bool>,
) {
    let mut stop_accepting = stop.clone();
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop_accepting.changed() => return,
        };
        let (stream, _) = match accepted {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("usps-sim accept: {e}");
                continue;
            }
        };
        let (app, shared, stop) = (app.clone(), shared.clone(), stop.clone());
        tokio::spawn(async move {
            let connection = connection(stream, app, shared.clone(), limits, stop);
            if let Err(payload) = AssertUnwindSafe(connection).catch_unwind().await {
                let what = crate::panics::message(payload.as_ref());
                shared.panics.record(format!("connection: {what}"));
            }
        });
    }
}

async fn connection(
    mut stream: TcpStream,
    app: Router,
    shared: Arc<Shared>,
    limits: HttpLimits,
    mut stop: watch::Receiver<bool>,
) {
    let head = tokio::select! {
        h = request_head::read(&mut stream, &limits) => h,
        _ = stop.changed() => return,
    };
    let prefix = match head {
        Head::Accepted(bytes) => bytes,
        Head::Gone => return,
        Head::Refused(r) => {
            let resp = refusal(&r.path, r.status, r.detail, r.parameter);
            refuse(stream, resp).await;
            return;
        }
    };
    let kill = Arc::new(Notify::new());
    let killer = ConnectionKiller(kill.clone());
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let fut = crate::front::handle(req, app.clone(), shared.clone(), limits, killer.clone());
        async move { Ok::<_, std::convert::Infallible>(fut.await) }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(false)
        .serve_connection(TokioIo::new(Replay::new(prefix, stream)), service);
    tokio::select! {
        _ = conn => {}
        _ = kill.notified() => {}
        _ = stop.changed() => {}
    }
}

/// Writes a refusal, then lets the client finish sending before closing, so the answer is not
/// lost to a reset while the rest of an oversized request is still arriving.
async fn refuse(mut stream: TcpStream, resp: Response) {
    let bytes = serialize(resp).await;
    if stream.write_all(&bytes).await.is_err() {
        return;
    }
    let _ = stream.shutdown().await;
    let drain = async {
        let mut sink = [0u8; 8192];
        let mut left: usize = 16 * 1024 * 1024;
        while left > 0 {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => break,
                Ok(n) => left = left.saturating_sub(n),
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), drain).await;
}

/// An HTTP/1.1 response as bytes, for answers written before hyper is involved.
async fn serialize(resp: Response) -> Vec<u8> {
    let (parts, body) = resp.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        parts.status.as_u16(),
        parts.status.canonical_reason().unwrap_or("")
    )
    .into_bytes();
    for (name, value) in &parts.headers {
        if name == axum::http::header::CONTENT_LENGTH || name == axum::http::header::CONNECTION {
            continue;
        }
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(
        format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&body);
    out
}

/// A stream that first gives back bytes already read from it.
struct Replay {
    prefix: Vec<u8>,
    at: usize,
    inner: TcpStream,
}

impl Replay {
    fn new(prefix: Vec<u8>, inner: TcpStream) -> Replay {
        Replay {
            prefix,
            at: 0,
            inner,
        }
    }
}

impl AsyncRead for Replay {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if self.at < self.prefix.len() {
            let n = buf.remaining().min(self.prefix.len() - self.at);
            let at = self.at;
            buf.put_slice(&self.prefix[at..at + n]);
            self.at += n;
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Replay {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
