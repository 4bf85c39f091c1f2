//! The one-shot loopback listener the USPS consent redirect lands on: binds 127.0.0.1 only
//! (never all interfaces), answers exactly one request to the callback path, and
//! gives up after a timeout. Other paths (a browser's `/favicon.ico`) get a 404 and do not count.
//!
//! A hand-written HTTP/1.1 reader is enough here: one GET with a query string, from the user's
//! own browser, read with a size limit; pulling a server framework into core for it would not be.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::error::{AppError, AppResult, ErrorCode, ErrorDetails};

const MAX_REQUEST_BYTES: usize = 16 * 1024;
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The query parameters of the callback request.
pub(crate) type CallbackQuery = Vec<(String, String)>;

/// Binds `127.0.0.1:<port>`; a busy port is a clear error (the port is part of the redirect URI
/// USPS has on file, so another one cannot simply be picked).
pub(crate) async fn bind(port: u16) -> AppResult<TcpListener> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    TcpListener::bind(addr).await.map_err(|e| {
        AppError::conflict(format!(
            "Cannot listen for the USPS sign-in on 127.0.0.1:{port} ({e}). Close the program \
             using that port (or a sign-in already in progress), or configure another redirect \
             port that is registered with USPS."
        ))
        .with_details(ErrorDetails::PortInUse { port })
    })
}

/// Waits for the one callback on `path`, answers the browser with `page(&query)`, and returns
/// the query. Times out with a CANCELLED error.
pub(crate) async fn accept_callback(
    listener: TcpListener,
    path: &str,
    timeout: Duration,
    page: impl Fn(&CallbackQuery) -> (u16, String),
) -> AppResult<CallbackQuery> {
    let wait = async {
        loop {
            let (stream, _) = listener
                .accept()
                .await
                .map_err(|e| AppError::internal("The sign-in listener failed", &e))?;
            match handle(stream, path, &page).await {
                Ok(Some(query)) => return Ok(query),
                Ok(None) => continue,
                Err(e) => {
                    tracing::debug!("ignored a malformed request on the sign-in listener: {e}")
                }
            }
        }
    };
    match tokio::time::timeout(timeout, wait).await {
        Ok(result) => result,
        Err(_) => Err(AppError::new(
            ErrorCode::Cancelled,
            format!(
                "No answer came back from the USPS sign-in within {} minutes. Start the sign-in \
                 again; if the browser did not open, copy the address into it yourself.",
                timeout.as_secs().div_ceil(60)
            ),
        )),
    }
}

/// Reads one request; `Some(query)` when it was the callback (answered with the page), `None`
/// when it was another path (answered 404).
async fn handle(
    mut stream: TcpStream,
    path: &str,
    page: &impl Fn(&CallbackQuery) -> (u16, String),
) -> std::io::Result<Option<CallbackQuery>> {
    let head = tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream))
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "slow client"))??;
    let request_line = head.lines().next().unwrap_or_default();
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let parsed = url::Url::parse("http://127.0.0.1").and_then(|base| base.join(target));
    match parsed {
        Ok(url) if method == "GET" && url.path() == path => {
            let query: CallbackQuery = url.query_pairs().into_owned().collect();
            let (status, body) = page(&query);
            respond(&mut stream, status, &body).await?;
            Ok(Some(query))
        }
        _ => {
            respond(&mut stream, 404, "Not found").await?;
            Ok(None)
        }
    }
}

async fn read_head(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.windows(4).any(|w| w == b"\r\n\r\n") || buf.len() >= MAX_REQUEST_BYTES {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

async fn respond(stream: &mut TcpStream, status: u16, body: &str) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        _ => "OK",
    };
    let content_type = if status == 404 {
        "text/plain"
    } else {
        "text/html"
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}; charset=utf-8\r\n\
         Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn free_listener() -> (TcpListener, u16) {
        let listener = bind(0).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        (listener, port)
    }

    #[tokio::test]
    async fn binds_loopback_only() {
        let (listener, _) = free_listener().await;
        assert!(listener.local_addr().unwrap().ip().is_loopback());
    }

    #[tokio::test]
    async fn answers_one_callback_after_ignoring_other_paths() {
        let (listener, port) = free_listener().await;
        let waiter = tokio::spawn(accept_callback(
            listener,
            "/usps/callback",
            Duration::from_secs(5),
            |q| (200, format!("<p>got {}</p>", q.len())),
        ));
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let favicon = http
            .get(format!("{base}/favicon.ico"))
            .send()
            .await
            .unwrap();
        assert_eq!(favicon.status(), 404);
        let page = http
            .get(format!("{base}/usps/callback?code=abc&state=x%20y"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        assert_eq!(page.text().await.unwrap(), "<p>got 2</p>");
        let query = waiter.await.unwrap().unwrap();
        assert_eq!(
            query,
            vec![
                ("code".into(), "abc".into()),
                ("state".into(), "x y".into())
            ]
        );
        // One-shot: the listener is gone.
        assert!(
            http.get(format!("{base}/usps/callback"))
                .send()
                .await
                .is_err()
        );
    }

    #[tokio::test]
    async fn times_out_with_a_clear_error() {
        let (listener, _) = free_listener().await;
        let err = accept_callback(
            listener,
            "/usps/callback",
            Duration::from_millis(50),
            |_| (200, String::new()),
        )
        .await
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::Cancelled);
        assert!(err.message.contains("No answer"), "{}", err.message);
    }

    #[tokio::test]
    async fn a_busy_port_is_a_conflict() {
        let (_held, port) = free_listener().await;
        let err = bind(port).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::Conflict);
        assert!(err.message.contains(&port.to_string()));
    }
}
