//! The request head as it arrives on the socket, read and checked before hyper sees it.
//!
//! hyper answers a head it cannot parse by itself, with an empty body, and waits for a silent
//! client as long as it likes. Reading the head here first gives every such case USPS's error
//! envelope and a deadline: a client that connects and says nothing is cut off after the header
//! timeout; a request line longer than USPS's gateway takes is 414; header fields too large or
//! too many are 431; a URL with bytes that are not URL characters, or whose escapes do not
//! decode to UTF-8, is 400; a body announced above the size limit is 413 before a byte of it is
//! read. What passes is handed to hyper unchanged. The limits are in docs/usps.md#http-limits.

use axum::http::{self, StatusCode};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};

/// Size and time limits on one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpLimits {
    /// From the connection's first byte (or its opening) to the end of the request head.
    pub header_timeout: Duration,
    /// From the end of the head to the last byte of the announced body.
    pub body_timeout: Duration,
    /// The request line (method, URL, version).
    pub max_request_line: usize,
    /// The whole head: request line and header fields.
    pub max_head: usize,
    pub max_headers: usize,
    pub max_body: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_request_line: 7 * 1024,
            max_head: 25 * 1024,
            max_headers: 100,
            max_body: 10 * 1024 * 1024,
        }
    }
}

/// A request refused from its head alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    /// The URL path as far as it could be read, to pick the envelope's `apiVersion`.
    pub path: String,
    pub detail: String,
    pub parameter: Option<&'static str>,
}

/// How reading a head ended.
#[derive(Debug)]
pub enum Head {
    /// A complete head that passed every check, with whatever followed it on the socket.
    Accepted(Vec<u8>),
    /// The client closed, or stayed silent until the header timeout: nothing to answer.
    Gone,
    Refused(Refusal),
}

/// Reads one request head within `limits.header_timeout`.
pub async fn read<R: AsyncRead + Unpin>(io: &mut R, limits: &HttpLimits) -> Head {
    let deadline = tokio::time::Instant::now() + limits.header_timeout;
    let mut buf: Vec<u8> = Vec::with_capacity(2048);
    let mut chunk = [0u8; 4096];
    loop {
        let start = first_content(&buf);
        if let Some(end) = head_end(&buf[start..]) {
            return match check(&buf[start..start + end], limits) {
                Ok(()) => Head::Accepted(buf),
                Err(r) => Head::Refused(r),
            };
        }
        if let Some(r) = too_long_so_far(&buf[start..], limits) {
            return Head::Refused(r);
        }
        match tokio::time::timeout_at(deadline, io.read(&mut chunk)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Head::Gone,
            Ok(Ok(n)) => buf.extend_from_slice(&chunk[..n]),
            Err(_) if buf[start..].is_empty() => return Head::Gone,
            Err(_) => {
                return Head::Refused(Refusal {
                    status: StatusCode::REQUEST_TIMEOUT,
                    path: path_of(request_target(&buf[start..]).unwrap_or_default()),
                    detail: format!(
                        "The request head was not received within {} seconds.",
                        limits.header_timeout.as_secs_f64()
                    ),
                    parameter: None,
                });
            }
        }
    }
}

/// Empty lines before a request line are allowed (RFC 9112 §2.2).
fn first_content(buf: &[u8]) -> usize {
    buf.iter()
        .position(|b| !matches!(b, b'\r' | b'\n'))
        .unwrap_or(buf.len())
}

/// The length of the head including its blank line, once it is complete.
fn head_end(buf: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(nl) = buf[i..].iter().position(|b| *b == b'\n') {
        let next = i + nl + 1;
        match buf.get(next) {
            Some(b'\n') => return Some(next + 1),
            Some(b'\r') if buf.get(next + 1) == Some(&b'\n') => return Some(next + 2),
            _ => i = next,
        }
    }
    None
}

/// The request line, up to (not including) its line break, once it is complete.
fn request_line(head: &[u8]) -> Option<&[u8]> {
    let nl = head.iter().position(|b| *b == b'\n')?;
    let line = &head[..nl];
    Some(line.strip_suffix(b"\r").unwrap_or(line))
}

/// The second word of the request line as far as it has arrived.
fn request_target(head: &[u8]) -> Option<&[u8]> {
    let line = request_line(head).unwrap_or(head);
    let after_method = line.iter().position(|b| *b == b' ')? + 1;
    let rest = &line[after_method..];
    let end = rest.iter().position(|b| *b == b' ').unwrap_or(rest.len());
    Some(&rest[..end])
}

/// The path of a request target, for choosing the envelope (lossy: only its first segment
/// matters there).
fn path_of(target: &[u8]) -> String {
    let end = target
        .iter()
        .position(|b| matches!(b, b'?' | b'#'))
        .unwrap_or(target.len());
    String::from_utf8_lossy(&target[..end]).into_owned()
}

/// A head still incomplete but already over a limit.
fn too_long_so_far(head: &[u8], limits: &HttpLimits) -> Option<Refusal> {
    if request_line(head).is_none() && head.len() > limits.max_request_line {
        return Some(uri_too_long(head, limits));
    }
    (head.len() > limits.max_head).then(|| head_too_large(head, limits))
}

fn uri_too_long(head: &[u8], limits: &HttpLimits) -> Refusal {
    Refusal {
        status: StatusCode::URI_TOO_LONG,
        path: path_of(request_target(head).unwrap_or_default()),
        detail: format!(
            "The request line exceeds {} bytes.",
            limits.max_request_line
        ),
        parameter: None,
    }
}

fn head_too_large(head: &[u8], limits: &HttpLimits) -> Refusal {
    Refusal {
        status: StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        path: path_of(request_target(head).unwrap_or_default()),
        detail: format!(
            "The request header fields exceed {} bytes or {} fields.",
            limits.max_head, limits.max_headers
        ),
        parameter: None,
    }
}

/// Checks a complete head (request line, header fields, blank line).
pub fn check(head: &[u8], limits: &HttpLimits) -> Result<(), Refusal> {
    let line = request_line(head).unwrap_or(head);
    if line.len() > limits.max_request_line {
        return Err(uri_too_long(head, limits));
    }
    if head.len() > limits.max_head {
        return Err(head_too_large(head, limits));
    }
    let target = request_target(head).unwrap_or_default();
    let path = path_of(target);
    let bad = |detail: String, parameter: Option<&'static str>| Refusal {
        status: StatusCode::BAD_REQUEST,
        path: path.clone(),
        detail,
        parameter,
    };
    let words: Vec<&[u8]> = line.split(|b| *b == b' ').collect();
    let [method, _, version] = words.as_slice() else {
        return Err(bad(
            "The request line must be: method, URL and HTTP version, separated by single spaces."
                .into(),
            None,
        ));
    };
    if http::Method::from_bytes(method).is_err() {
        return Err(bad("The request method is not valid.".into(), None));
    }
    let http10 = match *version {
        b"HTTP/1.1" => false,
        b"HTTP/1.0" => true,
        v if v.starts_with(b"HTTP/") => {
            return Err(Refusal {
                status: StatusCode::HTTP_VERSION_NOT_SUPPORTED,
                path,
                detail: "Only HTTP/1.1 and HTTP/1.0 are served.".into(),
                parameter: None,
            });
        }
        _ => return Err(bad("The request line has no HTTP version.".into(), None)),
    };
    check_target(target).map_err(|detail| bad(detail, Some("URL")))?;
    let fields = header_fields(head).map_err(|detail| bad(detail, None))?;
    if fields.len() > limits.max_headers {
        return Err(head_too_large(head, limits));
    }
    let body = announced_body(&fields, http10).map_err(|detail| bad(detail, None))?;
    if body.is_some_and(|n| n > limits.max_body as u64) {
        return Err(Refusal {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            path,
            detail: format!("The request body exceeds {} bytes.", limits.max_body),
            parameter: Some("Content-Length"),
        });
    }
    Ok(())
}

/// URL characters only, a URL `http` can parse, and escapes that decode to UTF-8.
fn check_target(target: &[u8]) -> Result<(), String> {
    if let Some(b) = target.iter().find(|b| !(0x21..=0x7e).contains(*b)) {
        return Err(format!(
            "The request URL contains the byte 0x{b:02X}, which is not a URL character (non-ASCII text must be percent-encoded UTF-8)."
        ));
    }
    if http::Uri::try_from(target).is_err() {
        return Err("The request URL is not a valid URL.".into());
    }
    let (path, query) = match target.iter().position(|b| *b == b'?') {
        Some(q) => (&target[..q], &target[q + 1..]),
        None => (target, &target[..0]),
    };
    if std::str::from_utf8(&percent_decode(path)).is_err() {
        return Err("The request URL path does not decode to UTF-8.".into());
    }
    let undecodable = query.split(|b| *b == b'&').any(|pair| {
        let pair: Vec<u8> = pair
            .iter()
            .map(|b| if *b == b'+' { b' ' } else { *b })
            .collect();
        std::str::from_utf8(&percent_decode(&pair)).is_err()
    });
    if undecodable {
        return Err("The request URL query does not decode to UTF-8.".into());
    }
    Ok(())
}

/// `%XX` escapes decoded; anything else (including a malformed escape) kept as it is.
fn percent_decode(s: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let escaped = (s[i] == b'%')
            .then(|| Some((hex(*s.get(i + 1)?)?, hex(*s.get(i + 2)?)?)))
            .flatten();
        match escaped {
            Some((hi, lo)) => {
                out.push(hi << 4 | lo);
                i += 3;
            }
            None => {
                out.push(s[i]);
                i += 1;
            }
        }
    }
    out
}

/// The header fields as (name, value) pairs, each checked the way `http` (and so hyper)
/// checks them.
fn header_fields(head: &[u8]) -> Result<Vec<(http::HeaderName, Vec<u8>)>, String> {
    let mut out = Vec::new();
    let lines = head
        .split(|b| *b == b'\n')
        .skip(1)
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .take_while(|l| !l.is_empty());
    for line in lines {
        if matches!(line.first(), Some(b' ' | b'\t')) {
            return Err("Header fields may not be folded over several lines.".into());
        }
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            return Err("A header field has no ':'.".into());
        };
        let name = http::HeaderName::from_bytes(&line[..colon])
            .map_err(|_| "A header field name is not valid.".to_string())?;
        let value = line[colon + 1..].trim_ascii();
        http::HeaderValue::from_bytes(value)
            .map_err(|_| format!("The value of the {name} header is not valid."))?;
        out.push((name, value.to_vec()));
    }
    Ok(out)
}

/// The body length the head announces: `Some(n)` for a Content-Length, `None` for none or a
/// chunked body (whose size the request handler limits as it reads).
fn announced_body(
    fields: &[(http::HeaderName, Vec<u8>)],
    http10: bool,
) -> Result<Option<u64>, String> {
    fn values(
        fields: &[(http::HeaderName, Vec<u8>)],
        name: http::HeaderName,
    ) -> impl Iterator<Item = &(http::HeaderName, Vec<u8>)> {
        fields.iter().filter(move |(n, _)| *n == name)
    }
    let mut codings = values(fields, http::header::TRANSFER_ENCODING).peekable();
    if codings.peek().is_some() {
        if http10 {
            return Err("HTTP/1.0 requests cannot use Transfer-Encoding.".into());
        }
        let last = codings
            .flat_map(|(_, v)| v.split(|b| *b == b','))
            .map(<[u8]>::trim_ascii)
            .filter(|c| !c.is_empty())
            .last()
            .unwrap_or_default();
        if !last.eq_ignore_ascii_case(b"chunked") {
            return Err(
                "A request with Transfer-Encoding must end its codings with chunked.".into(),
            );
        }
        return Ok(None);
    }
    let mut length: Option<u64> = None;
    for (_, v) in values(fields, http::header::CONTENT_LENGTH) {
        for part in v.split(|b| *b == b',').map(<[u8]>::trim_ascii) {
            let n = std::str::from_utf8(part)
                .ok()
                .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|s| s.parse::<u64>().ok())
                .ok_or_else(|| "Content-Length must be a number of bytes.".to_string())?;
            if length.is_some_and(|l| l != n) {
                return Err("The request has different Content-Length values.".into());
            }
            length = Some(n);
        }
    }
    Ok(length)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> HttpLimits {
        HttpLimits {
            max_request_line: 80,
            max_head: 256,
            max_headers: 4,
            max_body: 100,
            ..HttpLimits::default()
        }
    }

    fn status(head: &str) -> Option<u16> {
        check(head.as_bytes(), &limits())
            .err()
            .map(|r| r.status.as_u16())
    }

    #[test]
    fn accepts_ordinary_heads() {
        assert_eq!(
            status("GET /labels/v3/label HTTP/1.1\r\nHost: x\r\n\r\n"),
            None
        );
        assert_eq!(
            status("POST /prices/v3/base-rates/search HTTP/1.1\r\nContent-Length: 100\r\n\r\n"),
            None
        );
        assert_eq!(
            status("GET /addresses/v3/address?city=Saint%20Louis&firm=Caf%C3%A9 HTTP/1.0\n\n"),
            None
        );
        assert_eq!(
            status("POST /x HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
            None
        );
    }

    #[test]
    fn refuses_what_hyper_would_answer_with_an_empty_body() {
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(80));
        assert_eq!(status(&long), Some(414));
        assert_eq!(status("GET /l\u{e9} HTTP/1.1\r\n\r\n"), Some(400));
        assert_eq!(status("GET /%FF%FE HTTP/1.1\r\n\r\n"), Some(400));
        assert_eq!(status("GET /a?x=%C3 HTTP/1.1\r\n\r\n"), Some(400));
        assert_eq!(status("GET /a b HTTP/1.1\r\n\r\n"), Some(400));
        assert_eq!(status("GET /a HTTP/2.0\r\n\r\n"), Some(505));
        assert_eq!(status("GET /a HTTP/1.1\r\nBad Name: x\r\n\r\n"), Some(400));
        assert_eq!(status("GET /a HTTP/1.1\r\nX: a\r\n b\r\n\r\n"), Some(400));
        assert_eq!(
            status("GET /a HTTP/1.1\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\n\r\n"),
            Some(431)
        );
        assert_eq!(
            status("POST /a HTTP/1.1\r\nContent-Length: 101\r\n\r\n"),
            Some(413)
        );
        assert_eq!(
            status("POST /a HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"),
            Some(400)
        );
        assert_eq!(
            status("POST /a HTTP/1.1\r\nContent-Length: -1\r\n\r\n"),
            Some(400)
        );
        assert_eq!(
            status("POST /a HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"),
            Some(400)
        );
        assert_eq!(
            status("POST /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Some(400)
        );
    }

    #[test]
    fn refusals_name_the_api_path() {
        let r = check(b"GET /labels/v3/label/%FF HTTP/1.1\r\n\r\n", &limits()).unwrap_err();
        assert_eq!(r.path, "/labels/v3/label/%FF");
        assert_eq!(r.parameter, Some("URL"));
    }

    #[test]
    fn head_end_accepts_both_line_endings() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n\r\nbody"), Some(24));
        assert_eq!(head_end(b"GET / HTTP/1.1\nA: b\n\nbody"), Some(21));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n"), None);
        assert_eq!(percent_decode(b"a%20b%zz%4"), b"a b%zz%4");
    }

    #[tokio::test]
    async fn reading_stops_at_limits_and_deadlines() {
        let (mut client, mut server) = tokio::io::duplex(1 << 16);
        let limits = HttpLimits {
            header_timeout: Duration::from_millis(50),
            ..limits()
        };
        // Silent: gone, nothing to answer.
        assert!(matches!(read(&mut server, &limits).await, Head::Gone));
        // Half a head, then silence: 408.
        use tokio::io::AsyncWriteExt;
        client.write_all(b"GET /labels/v3/label HT").await.unwrap();
        match read(&mut server, &limits).await {
            Head::Refused(r) => {
                assert_eq!(r.status, StatusCode::REQUEST_TIMEOUT);
                assert_eq!(r.path, "/labels/v3/label");
            }
            other => panic!("{other:?}"),
        }
        // An endless request line: 414 without waiting for its end.
        let (mut client, mut server) = tokio::io::duplex(1 << 16);
        client
            .write_all(format!("GET /{}", "x".repeat(200)).as_bytes())
            .await
            .unwrap();
        match read(&mut server, &limits).await {
            Head::Refused(r) => assert_eq!(r.status, StatusCode::URI_TOO_LONG),
            other => panic!("{other:?}"),
        }
        // A complete head comes back whole, with what followed it.
        let (mut client, mut server) = tokio::io::duplex(1 << 16);
        client
            .write_all(b"\r\nPOST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi")
            .await
            .unwrap();
        match read(&mut server, &limits).await {
            Head::Accepted(buf) => assert!(buf.ends_with(b"\r\n\r\nhi")),
            other => panic!("{other:?}"),
        }
    }
}
