//! A small HTTP/1.1 client for webhook deliveries: one `POST` per connection
//! (`Connection: close`), over TCP or TLS (rustls with the ring provider and the webpki root
//! certificates), with a deadline on the whole exchange.
//!
//! Why not reqwest: its 0.13 rustls backend defaults to aws-lc (a second crypto library next
//! to ring, with a C build) and it pulls a large dependency tree for what is one request
//! shape here. Redirects are deliberately not followed (a webhook endpoint that redirects is
//! misconfigured, and following would send signed bodies elsewhere).

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

/// The largest response read (the body only matters for a confirmation flag).
const MAX_RESPONSE: usize = 64 * 1024;

/// A parsed `http://` or `https://` URL.
#[derive(Clone, PartialEq, Eq)]
pub struct Url {
    https: bool,
    host: String,
    port: u16,
    path: String,
}

impl std::fmt::Debug for Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The query may carry a token: only scheme, host and port are shown.
        write!(
            f,
            "Url({}://{}:{})",
            if self.https { "https" } else { "http" },
            self.host,
            self.port
        )
    }
}

/// Why a URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid webhook url: {0}")]
pub struct BadUrl(pub &'static str);

impl std::str::FromStr for Url {
    type Err = BadUrl;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (https, rest) = if let Some(r) = s.strip_prefix("https://") {
            (true, r)
        } else if let Some(r) = s.strip_prefix("http://") {
            (false, r)
        } else {
            return Err(BadUrl("the scheme must be http or https"));
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if authority.contains('@') {
            return Err(BadUrl("credentials in the url are not supported"));
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let end = v6.find(']').ok_or(BadUrl("unclosed ipv6 address"))?;
            let host = &v6[..end];
            let port = match &v6[end + 1..] {
                "" => None,
                p => Some(p.strip_prefix(':').ok_or(BadUrl("bad port"))?),
            };
            (host.to_string(), port)
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (authority.to_string(), None),
            }
        };
        if host.is_empty()
            || !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        {
            return Err(BadUrl("bad host"));
        }
        let port = match port {
            Some(p) => p.parse().map_err(|_| BadUrl("bad port"))?,
            None if https => 443,
            None => 80,
        };
        let path = if path.starts_with('?') {
            format!("/{path}")
        } else {
            path.to_string()
        };
        if path.chars().any(|c| c.is_ascii_control() || c == ' ') {
            return Err(BadUrl("bad path"));
        }
        Ok(Url {
            https,
            host,
            port,
            path,
        })
    }
}

impl Url {
    /// Whether TLS is used.
    #[must_use]
    pub fn is_https(&self) -> bool {
        self.https
    }
}

/// A response.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The body (at most 64 KiB; chunked encoding decoded).
    pub body: Vec<u8>,
}

impl PartialEq for Response {
    fn eq(&self, o: &Self) -> bool {
        self.status == o.status && self.body == o.body
    }
}

/// Why an exchange failed, as a stable code (stored with the delivery).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// No connection (refused, unreachable, DNS).
    #[error("CONNECT")]
    Connect,
    /// The TLS handshake failed (certificate, protocol).
    #[error("TLS")]
    Tls,
    /// The deadline passed.
    #[error("TIMEOUT")]
    Timeout,
    /// The connection broke mid-exchange.
    #[error("IO")]
    Io,
    /// The response was not HTTP/1.x.
    #[error("BAD_RESPONSE")]
    BadResponse,
}

impl HttpError {
    /// The stable code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            HttpError::Connect => "CONNECT",
            HttpError::Tls => "TLS",
            HttpError::Timeout => "TIMEOUT",
            HttpError::Io => "IO",
            HttpError::BadResponse => "BAD_RESPONSE",
        }
    }
}

/// An HTTP client (holds the TLS configuration; cheap to clone).
#[derive(Clone)]
pub struct Client {
    tls: tokio_rustls::TlsConnector,
    timeout: Duration,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Client {
    /// A client whose exchanges (connect, TLS, request, response) each finish within `timeout`.
    ///
    /// # Errors
    /// When the TLS configuration cannot be built (never with the bundled provider).
    pub fn new(timeout: Duration) -> Result<Client, HttpError> {
        use tokio_rustls::rustls;
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|_| HttpError::Tls)?
        .with_root_certificates(roots)
        .with_no_client_auth();
        Ok(Client {
            tls: tokio_rustls::TlsConnector::from(Arc::new(config)),
            timeout,
        })
    }

    /// `POST url` with `headers` and a JSON `body`.
    ///
    /// # Errors
    /// See [`HttpError`].
    pub async fn post_json(
        &self,
        url: &Url,
        headers: &[(&str, String)],
        body: &[u8],
    ) -> Result<Response, HttpError> {
        match tokio::time::timeout(self.timeout, self.exchange(url, headers, body)).await {
            Ok(r) => r,
            Err(_) => Err(HttpError::Timeout),
        }
    }

    async fn exchange(
        &self,
        url: &Url,
        headers: &[(&str, String)],
        body: &[u8],
    ) -> Result<Response, HttpError> {
        let tcp = TcpStream::connect((url.host.as_str(), url.port))
            .await
            .map_err(|_| HttpError::Connect)?;
        let _ = tcp.set_nodelay(true);
        let host_header = if (url.https && url.port == 443) || (!url.https && url.port == 80) {
            url.host.clone()
        } else if url.host.contains(':') {
            format!("[{}]:{}", url.host, url.port)
        } else {
            format!("{}:{}", url.host, url.port)
        };
        let mut head = format!(
            "POST {} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: steward\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
            url.path,
            body.len()
        );
        for (k, v) in headers {
            // Header values are generated by Steward (ids, signatures): no CR/LF.
            head.push_str(k);
            head.push_str(": ");
            head.extend(v.chars().filter(|c| *c != '\r' && *c != '\n'));
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        if url.https {
            let name = tokio_rustls::rustls::pki_types::ServerName::try_from(url.host.clone())
                .map_err(|_| HttpError::Tls)?;
            let stream = self
                .tls
                .connect(name, tcp)
                .await
                .map_err(|_| HttpError::Tls)?;
            roundtrip(stream, head.as_bytes(), body).await
        } else {
            roundtrip(tcp, head.as_bytes(), body).await
        }
    }
}

async fn roundtrip<S: AsyncRead + AsyncWrite + Unpin>(
    mut s: S,
    head: &[u8],
    body: &[u8],
) -> Result<Response, HttpError> {
    s.write_all(head).await.map_err(|_| HttpError::Io)?;
    s.write_all(body).await.map_err(|_| HttpError::Io)?;
    s.flush().await.map_err(|_| HttpError::Io)?;
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        match s.read(&mut chunk).await {
            Ok(0) => break,
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                if buf.len() >= MAX_RESPONSE {
                    break;
                }
                // Stop early once a complete response with a known length is in.
                if let Some(done) = complete_length(&buf)
                    && buf.len() >= done
                {
                    break;
                }
            }
            // A TLS peer that closes without close_notify: use what arrived.
            Err(_) if !buf.is_empty() => break,
            Err(_) => return Err(HttpError::Io),
        }
    }
    parse_response(&buf)
}

fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4)
}

fn header_value<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.split("\r\n").skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then_some(v.trim())
    })
}

/// The total length of a response whose head is complete and that has a Content-Length.
fn complete_length(buf: &[u8]) -> Option<usize> {
    let end = find_head_end(buf)?;
    let head = std::str::from_utf8(&buf[..end]).ok()?;
    let len: usize = header_value(head, "content-length")?.parse().ok()?;
    Some(end + len)
}

fn parse_response(buf: &[u8]) -> Result<Response, HttpError> {
    let end = find_head_end(buf).ok_or(HttpError::BadResponse)?;
    let head = std::str::from_utf8(&buf[..end]).map_err(|_| HttpError::BadResponse)?;
    let status_line = head.split("\r\n").next().ok_or(HttpError::BadResponse)?;
    let mut parts = status_line.split(' ');
    let version = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/1.") {
        return Err(HttpError::BadResponse);
    }
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .filter(|s| (100..600).contains(s))
        .ok_or(HttpError::BadResponse)?;
    let raw = &buf[end..];
    let body = if header_value(head, "transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    {
        dechunk(raw)
    } else if let Some(len) =
        header_value(head, "content-length").and_then(|v| v.parse::<usize>().ok())
    {
        raw[..len.min(raw.len())].to_vec()
    } else {
        raw.to_vec()
    };
    Ok(Response { status, body })
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = raw.windows(2).position(|w| w == b"\r\n") {
        let size_text = std::str::from_utf8(&raw[..line_end]).unwrap_or("0");
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("0").trim(), 16)
            .unwrap_or(0);
        raw = &raw[line_end + 2..];
        if size == 0 || raw.len() < size {
            out.extend_from_slice(&raw[..size.min(raw.len())]);
            break;
        }
        out.extend_from_slice(&raw[..size]);
        raw = raw.get(size + 2..).unwrap_or_default();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse() {
        let u: Url = "https://hooks.example.com/steward?token=abc"
            .parse()
            .unwrap();
        assert!(u.https);
        assert_eq!((u.host.as_str(), u.port), ("hooks.example.com", 443));
        assert_eq!(u.path, "/steward?token=abc");
        assert!(
            !format!("{u:?}").contains("abc"),
            "the query is not printed"
        );
        let u: Url = "http://127.0.0.1:8081".parse().unwrap();
        assert_eq!((u.port, u.path.as_str()), (8081, "/"));
        let u: Url = "http://[::1]:9000/x".parse().unwrap();
        assert_eq!((u.host.as_str(), u.port), ("::1", 9000));
        assert!("ftp://x".parse::<Url>().is_err());
        assert!("http://user:pw@x/".parse::<Url>().is_err());
        assert!("http://x y/".parse::<Url>().is_err());
    }

    #[test]
    fn responses_parse() {
        let r =
            parse_response(b"HTTP/1.1 202 Accepted\r\nContent-Length: 4\r\n\r\nokAYextra").unwrap();
        assert_eq!((r.status, r.body.as_slice()), (202, b"okAY".as_slice()));
        let r = parse_response(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(r.body, b"{\"a\":1}");
        assert_eq!(parse_response(b"garbage"), Err(HttpError::BadResponse));
    }
}
