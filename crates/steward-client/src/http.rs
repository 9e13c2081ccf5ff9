//! The HTTP exchange: one JSON call over hyper's pooled client (rustls on ring, HTTP/1.1, plain
//! `http://` too), within a deadline; an answer outside 2xx is read as the server's problem
//! document.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use hyper::{Method, Uri};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::Serialize;
use serde::de::DeserializeOwned;
use zeroize::Zeroizing;

use crate::error::ClientError;

type Connector = hyper_rustls::HttpsConnector<HttpConnector>;

/// Most bytes of an answer read (a report of a large account stays well below).
const MAX_BODY: usize = 64 * 1024 * 1024;

/// An API key. SECURITY: never shown by `Debug`; wiped from memory when dropped.
#[derive(Clone)]
pub(crate) struct ApiKey(Zeroizing<String>);

impl ApiKey {
    pub(crate) fn new(key: String) -> ApiKey {
        ApiKey(Zeroizing::new(key))
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// The connection to one server.
#[derive(Clone)]
pub(crate) struct Transport {
    client: HyperClient<Connector, Full<Bytes>>,
    /// `scheme://authority` and the path prefix, without a trailing `/`.
    base: Arc<str>,
    authorization: Option<Arc<HeaderValue>>,
    timeout: Duration,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base", &self.base)
            .field("authenticated", &self.authorization.is_some())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Transport {
    pub(crate) fn new(
        base_url: &str,
        key: Option<ApiKey>,
        timeout: Duration,
        roots: rustls::RootCertStore,
    ) -> Result<Transport, ClientError> {
        let base = base_url.trim_end_matches('/');
        let uri: Uri = base
            .parse()
            .map_err(|_| ClientError::Url("not a URL".into()))?;
        if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.authority().is_none() {
            return Err(ClientError::Url(
                "give `http://host[:port]` or `https://host[:port]`, with an optional path prefix"
                    .into(),
            ));
        }
        if uri.query().is_some() {
            return Err(ClientError::Url("a base URL has no query".into()));
        }
        let authorization = match key {
            Some(k) => {
                let mut v =
                    HeaderValue::from_str(&format!("Bearer {}", k.0.as_str())).map_err(|_| {
                        ClientError::Url("the API key is not a valid header value".into())
                    })?;
                // SECURITY: kept out of logs and debugging output of the HTTP stack.
                v.set_sensitive(true);
                Some(Arc::new(v))
            }
            None => None,
        };
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|_| ClientError::Tls)?
        .with_root_certificates(roots)
        .with_no_client_auth();
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(timeout));
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = HyperClient::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .build(https);
        Ok(Transport {
            client,
            base: Arc::from(base),
            authorization,
            timeout,
        })
    }

    pub(crate) async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        self.call::<(), T>(Method::GET, path, None, &[]).await
    }

    /// `method path` with `body` as JSON and `headers`; the 2xx answer decoded as `T`.
    pub(crate) async fn call<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
        headers: &[(&'static str, &'static str)],
    ) -> Result<T, ClientError> {
        let (status, bytes) =
            tokio::time::timeout(self.timeout, self.exchange(method, path, body, headers))
                .await
                .map_err(|_| ClientError::Timeout)??;
        if (200..300).contains(&status) {
            return serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode {
                status,
                message: e.to_string(),
            });
        }
        Err(ClientError::from_answer(status, &bytes))
    }

    async fn exchange<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
        headers: &[(&'static str, &'static str)],
    ) -> Result<(u16, Vec<u8>), ClientError> {
        let uri: Uri = format!("{}{path}", self.base)
            .parse()
            .map_err(|_| ClientError::Url(format!("`{path}` does not make a URL")))?;
        let mut req = hyper::Request::builder()
            .method(method)
            .uri(uri)
            .header(ACCEPT, "application/json")
            .header(
                USER_AGENT,
                concat!("steward-client/", env!("CARGO_PKG_VERSION")),
            );
        if let Some(a) = &self.authorization {
            req = req.header(AUTHORIZATION, a.as_ref().clone());
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let payload = match body {
            Some(b) => {
                req = req.header(CONTENT_TYPE, "application/json");
                serde_json::to_vec(b).map_err(|e| ClientError::Encode(e.to_string()))?
            }
            None => Vec::new(),
        };
        let req = req
            .body(Full::new(Bytes::from(payload)))
            .map_err(|e| ClientError::Url(e.to_string()))?;
        let resp = self
            .client
            .request(req)
            .await
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        let status = resp.status().as_u16();
        let mut body = resp.into_body();
        let mut buf = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| ClientError::Transport(e.to_string()))?;
            if let Some(data) = frame.data_ref() {
                if buf.len() + data.len() > MAX_BODY {
                    return Err(ClientError::Transport("the answer is too large".into()));
                }
                buf.extend_from_slice(data);
            }
        }
        Ok((status, buf))
    }
}

/// Percent-encodes a query value (unreserved characters kept).
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("2024-03-04T17:00:00Z"), "2024-03-04T17%3A00%3A00Z");
        assert_eq!(encode("a b&c"), "a%20b%26c");
    }

    #[test]
    fn the_key_never_shows_in_debug() {
        let t = Transport::new(
            "http://127.0.0.1:1/",
            Some(ApiKey::new("stw_secret".into())),
            Duration::from_secs(1),
            rustls::RootCertStore::empty(),
        )
        .unwrap();
        let shown = format!("{t:?} {:?}", ApiKey::new("stw_secret".into()));
        assert!(!shown.contains("stw_secret"), "{shown}");
        assert!(shown.contains("http://127.0.0.1:1"), "{shown}");
    }

    #[test]
    fn base_urls_are_checked() {
        let roots = rustls::RootCertStore::empty;
        let t = |u: &str| Transport::new(u, None, Duration::from_secs(1), roots()).map(|_| ());
        assert!(t("https://steward.internal/prefix").is_ok());
        for bad in ["ftp://x", "127.0.0.1:8080", "http://x/?q=1", "not a url"] {
            assert!(matches!(t(bad), Err(ClientError::Url(_))), "{bad}");
        }
    }
}
